"""`shopql sql`."""

from __future__ import annotations

import click

from shopql.cli.main import settings_from
from shopql.cli.output import format_option, print_csv, print_json, print_table, stderr_console


@click.command()
@click.argument("query")
@format_option()
@click.pass_context
def sql(ctx: click.Context, query: str, fmt: str) -> None:
    """Run one read-only SELECT through the SQL guard (no writes, no files, a row cap)."""
    from shopql.warehouse.policy import guard_context
    from shopql.warehouse.query import run_guarded

    s = settings_from(ctx)
    result = run_guarded(
        s.warehouse_path,
        query,
        role=s.role,
        source="sql",
        row_cap=s.row_cap,
        timeout_s=s.query_timeout_s,
        ctx=guard_context(s),
    )
    rows = result.json_rows()
    if fmt == "json":
        print_json(
            {
                "sql": result.sql,
                "columns": result.columns,
                "rows": rows,
                "duration_ms": result.duration_ms,
            }
        )
    elif fmt == "csv":
        print_csv(result.columns, rows)
    else:
        print_table(result.columns, [list(r) for r in result.rows])
        note = f"{len(rows):,} rows in {result.duration_ms:.0f} ms"
        if result.truncated:
            note += f" (capped at {s.row_cap:,}; add LIMIT or raise row_cap)"
        stderr_console().print(f"[dim]{note}[/dim]")
