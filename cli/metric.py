"""`shopql metric NAME… [--by DIM…] [--grain G] [--since D] [--until D] [--where EXPR]`."""

from __future__ import annotations

import datetime as dt
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

GRAINS = ("day", "week", "month", "quarter", "year")
HINTS = {"metric": "see `shopql catalog metrics`", "dimension": "see `shopql catalog list`"}


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--by a,b --by c` → (a, b, c)."""
    return tuple(p.strip() for v in values for p in v.split(",") if p.strip())


@click.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--by", "by", multiple=True, help="Dimension(s) to split by (repeat or a,b).")
@click.option("--grain", type=click.Choice(GRAINS), help="Add the metric time at this grain.")
@click.option("--since", help="Start: a date or phrase (2025-01-01, 'last 90 days', 近三个月).")
@click.option("--until", help="End, included: a date or phrase (2025-03-31, 'last month').")
@click.option("--where", "where", multiple=True, help="Filter, e.g. \"platform = 'tmall'\".")
@click.option(
    "--compare",
    type=click.Choice(["previous_period", "year_over_year"]),
    help="Add the previous period's value and the change.",
)
@click.option(
    "--order", "order", multiple=True, help="Sort by a metric or dimension (largest first)."
)
@click.option("--asc", is_flag=True, help="Sort --order smallest first.")
@click.option("--limit", type=int, help="At most this many rows.")
@click.option("--sql-only", is_flag=True, help="Print the SQL without running it.")
@click.option(
    "--today",
    "--at",
    "today_text",
    metavar="YYYY-MM-DD",
    help="Resolve 'last month', '近三个月' … against this day (default: today).",
)
@format_option()
@out_option
@backend_option
@click.pass_context
def metric(
    ctx: click.Context,
    names: tuple[str, ...],
    by: tuple[str, ...],
    grain: str | None,
    since: str | None,
    until: str | None,
    where: tuple[str, ...],
    compare: str | None,
    order: tuple[str, ...],
    asc: bool,
    limit: int | None,
    sql_only: bool,
    today_text: str | None,
    fmt: str,
    out: Path | None,
    backend: str | None,
) -> None:
    """Compute catalog metrics (e.g. paid_gmv aov) by dimensions over a time range.

    \b
    shopql metric paid_gmv --by platform --since "last month" --compare previous_period
    shopql metric paid_gmv --grain day --since 近三个月 --today 2018-08-31
    shopql metric paid_gmv --by product --out sales.xlsx
    """
    from shopql.catalog import OrderBy, SemanticQuery, compile_query, load_catalog, run_metrics
    from shopql.catalog.compiler import today_in
    from shopql.catalog.run import guard_context
    from shopql.catalog.where import parse_where

    s = settings_from(ctx, fresh=True, backend=backend)
    cat = load_catalog(s.workspace, timezone=s.timezone)
    _known(cat, _split(names), _split(by))
    today = parse_day(today_text, "--today") if today_text else today_in(s.timezone)
    query = SemanticQuery(
        metrics=_split(names),
        dimensions=_split(by),
        grain=grain,
        time_range=_time_range(since, until, today),
        filters=tuple(f for text in where for f in parse_where(text)),
        order_by=tuple(OrderBy(name, descending=not asc) for name in _split(order)),
        limit=limit,
        compare=compare,
    )
    if sql_only:
        click.echo(compile_query(cat, query, today=today).sql)
        return
    if out is not None:
        compiled = compile_query(cat, query, today=today)
        say_out_on_duckdb(s)
        export_rows(s.warehouse_path, compiled.sql, out, guard_context(s, cat), "metric")
        say_after_data(s, compiled.time_range)
        return
    runner = spark_runner(s)
    compiled, result = run_metrics(s, query, today=today, catalog=cat, runner=runner)
    _render(fmt, compiled, result, cat)
    if result.truncated and runner is None:
        from shopql.warehouse.export import count_rows

        total = count_rows(s.warehouse_path, compiled.sql, guard_context(s, cat))
        say_truncated(len(result.rows), total)
    say_after_data(s, compiled.time_range)


def _known(catalog: Any, metrics: tuple[str, ...], dimensions: tuple[str, ...]) -> None:
    """An unknown metric or dimension is a usage error (exit 2), with the closest names."""
    from shopql.catalog.model import CatalogError, close_names
    from shopql.errors import UsageError

    for kind, names, known in (
        ("metric", metrics, catalog.metrics),
        ("dimension", dimensions, catalog.dimensions),
    ):
        for name in names:
            if kind == "metric" and ":" in name:  # agg:measurable, e.g. median:delivery_days
                from shopql.catalog.families import resolve_metric

                try:
                    name = resolve_metric(catalog, name)
                except CatalogError as e:
                    raise UsageError(e.message, e.hint) from None
            if name not in known:
                close = close_names(name, known)
                hint = f"did you mean {', '.join(close)}?" if close else HINTS[kind]
                raise UsageError(f"unknown {kind} {name}", hint)


def parse_day(text: str, flag: str) -> dt.date:
    """A YYYY-MM-DD option value (a date-time's day is taken too), or a usage error."""
    try:
        return dt.datetime.fromisoformat(text.strip()).date()
    except ValueError as e:
        raise click.BadParameter(f"{text!r} is not a date (YYYY-MM-DD)", param_hint=flag) from e


def say_after_data(s: Any, time_range: Any, span: tuple[Any, ...] | None = None) -> None:
    """On stderr: the period asked for starts after the data ends (so the answer is empty).
    `span`: the data's (first, last) moment when the answer already read it (() when empty)."""
    from shopql.warehouse.freshness import after_data_note, warehouse_data_end

    if getattr(time_range, "start", None) is None:
        return
    end = warehouse_data_end(s.warehouse_path) if span is None else (span[1] if span else None)
    note = after_data_note(time_range, end)
    if note:
        stderr_console().print(f"[yellow]note:[/yellow] {note}", highlight=False)


def _time_range(since: str | None, until: str | None, today: Any) -> Any:
    """--since's start and --until's end (a date in --until is included)."""
    from shopql.catalog import TimeRange, parse_time_range
    from shopql.catalog.model import CatalogError

    if not since and not until:
        return None
    parts = {}
    for flag, text in (("--since", since), ("--until", until)):
        if text:
            found = parse_time_range(text, today)
            if found is None:
                raise CatalogError(
                    f"{flag} {text!r} is not a date or time phrase",
                    "use 2025-01-01, 2025-Q2, 'last 90 days', 'this month', 近三个月, 上个月",
                )
            parts[flag] = found
    start = parts["--since"].start if "--since" in parts else None
    end = parts["--until"].end if "--until" in parts else None
    if since and not until:
        end = parts["--since"].end if _is_period(since) else None
    label = " – ".join(t for t in (since, until) if t)
    return TimeRange(start, end, label)


def _is_period(text: str) -> bool:
    """A relative phrase ('last month', '近三个月') bounds both ends; a date or a calendar period
    written with digits ('2025-01-01', '2025-Q2') in --since means 'from then on'."""
    return not text.strip()[:1].isdigit()


def _render(fmt: str, compiled: Any, result: Any, catalog: Any) -> None:
    rows = result.json_rows()
    tr = compiled.time_range
    if fmt == "json":
        print_json(
            {
                "sql": result.sql,
                "columns": result.columns,
                "rows": rows,
                "metrics": [
                    {
                        "name": m.name,
                        "label": m.label,
                        "type": m.type,
                        "description": m.description,
                        "notes": m.notes or None,
                    }
                    for m in compiled.metrics
                ],
                "time_range": _range_doc(tr),
                "previous_range": _range_doc(compiled.previous),
                "notes": compiled.notes,
                "duration_ms": result.duration_ms,
            }
        )
    elif fmt == "csv":
        print_csv(result.columns, rows)
    else:
        from shopql.cli.display import column_views

        table_rows = [list(r) for r in result.rows]
        views = column_views(result.columns, catalog, "en", compiled.query.compare)
        title = _range_doc(tr)["label"] if tr else None
        print_table(result.columns, table_rows, title=title, views=views, hidden_hint=RESULT_HINT)
        err = stderr_console()
        for note in compiled.notes:
            err.print(f"[yellow]note:[/yellow] {note}")
        for m in compiled.metrics:
            if m.name in compiled.query.metrics:
                err.print(f"[dim]{m.name}: {m.description.get('en', '')}[/dim]")


def _range_doc(tr: Any) -> dict[str, Any] | None:
    if tr is None:
        return None
    return {
        "start": tr.start.isoformat() if tr.start else None,
        "end": tr.end.isoformat() if tr.end else None,
        "label": tr.label,
    }
