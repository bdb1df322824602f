"""`shopql sql`: one query, an export (--out), or the interactive shell (no query)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from shopql.cli.lake import backend_option, say_out_on_duckdb, spark_runner
from shopql.cli.main import settings_from
from shopql.cli.output import (
    RESULT_HINT,
    export_rows,
    format_option,
    out_option,
    print_csv,
    print_json,
    print_table,
    say_truncated,
    stderr_console,
)


@click.command()
@click.argument("query", required=False)
@format_option()
@out_option
@backend_option
@click.pass_context
def sql(
    ctx: click.Context, query: str | None, fmt: str, out: Path | None, backend: str | None
) -> None:
    """Run one read-only SELECT through the SQL guard (no writes, no files). Printing shows at
    most row_cap rows; --out FILE writes every row. Without QUERY, an interactive shell opens.

    \b
    shopql sql "select platform, count(*) from orders group by 1"
    shopql sql "select * from events" --out events.parquet
    shopql sql                      # the shell: history, multi-line, completion
    """
    from shopql.warehouse.policy import guard_context

    s = settings_from(ctx, fresh=True, backend=backend)
    if query is None:
        from shopql.cli.shell import run_shell

        if out is not None:
            raise click.UsageError('--out needs a QUERY: shopql sql "select …" --out FILE')

        run_shell(s, fmt)
        return
    guard = guard_context(s)  # the one policy path: workspace roles, catalog PII classes
    if out is not None:
        say_out_on_duckdb(s)
        export_rows(s.warehouse_path, query, out, guard, "sql")
        return
    run_and_print(s, query, fmt, guard, spark_runner(s))


def run_and_print(s: Any, query: str, fmt: str, guard: Any, runner: Any = None) -> None:
    """Run `query` (display cap) and print it; a capped result says the total on stderr.
    `runner`: on Spark over the lake (`--backend spark`)."""
    from shopql.warehouse.query import run_guarded

    result = run_guarded(
        s.warehouse_path,
        query,
        role=s.role,
        source="sql",
        row_cap=s.row_cap,
        timeout_s=s.query_timeout_s,
        ctx=guard,
        runner=runner,
    )
    rows = result.json_rows()
    if fmt == "json":
        print_json(
            {
                "sql": result.sql,
                "columns": result.columns,
                "rows": rows,
                "truncated": result.truncated,
                "duration_ms": result.duration_ms,
            }
        )
    elif fmt == "csv":
        print_csv(result.columns, rows)
    else:
        print_table(result.columns, [list(r) for r in result.rows], hidden_hint=RESULT_HINT)
        stderr_console().print(
            f"[dim]{len(rows):,} rows in {result.duration_ms:.0f} ms[/dim]", highlight=False
        )
    if result.truncated:
        say_truncated(len(result.rows), None if runner else _total(s, query, guard))


def _total(s: Any, query: str, guard: Any) -> int | None:
    from shopql.warehouse.export import count_rows

    return count_rows(s.warehouse_path, query, guard, s.query_timeout_s)
