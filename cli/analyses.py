"""`shopql cohort`, `ltv`, `funnel` and `crosssell`: thin shells over shopql.insights."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from shopql.cli.main import settings_from
from shopql.cli.output import (
    format_option,
    print_csv,
    print_json,
    print_table,
    stderr_console,
    stdout_console,
)


def _with_reader(ctx: click.Context, work: Callable[[Any], Any]) -> Any:
    from shopql.warehouse.connection import open_reader

    s = settings_from(ctx)
    con = open_reader(s.warehouse_path)
    try:
        return work(con)
    finally:
        con.close()


def _notes(notes: list[str]) -> None:
    console = stderr_console()
    for note in notes:
        console.print(f"[dim]{note}[/dim]", highlight=False)


def _pct(value: float | None) -> str | None:
    return None if value is None else f"{value * 100:.1f}%"


# -- cohort --------------------------------------------------------------------------------------


@click.command()
@click.option("--grain", type=click.Choice(["month", "week"]), default="month", show_default=True,
              help="Cohorts and periods by calendar month or ISO week.")  # fmt: skip
@click.option("--by", "by", type=click.Choice(["platform", "province", "shop", "category",
              "rfm_segment", "lifecycle"]),
              help="Split cohorts by the person's platform, province, shop or category at the "
              "first purchase, or by a tag (after `shopql tags refresh`).")  # fmt: skip
@click.option("--metric", type=click.Choice(["retention", "revenue"]), default="retention",
              show_default=True,
              help="retention: share of the cohort buying in each period; revenue: cumulative "
              "paid amount per person.")  # fmt: skip
@click.option("--periods", type=click.IntRange(min=1),
              help="Periods shown in the table (default: as many as fit; JSON and CSV have all).")  # fmt: skip
@format_option()
@click.pass_context
def cohort(
    ctx: click.Context, grain: str, by: str | None, metric: str, periods: int | None, fmt: str
) -> None:
    """Cohorts of persons (OneID) by first purchase: retention or revenue per period, as a
    heatmap."""
    from shopql.insights.cohort import cohort_table, to_document

    table = _with_reader(ctx, lambda con: cohort_table(con, grain, by))
    if fmt == "json":
        print_json(to_document(table, metric))
        return
    if fmt == "csv":
        print_csv(*table.matrix(metric))
        return
    from shopql.cli.heatmap import heatmap

    first = 3 if by else 2
    if periods is None:  # labels take about 16 characters (26 with --by), a period 5 or 6
        cell = 5 if metric == "retention" else 6
        periods = max(1, (stdout_console().width - (26 if by else 16)) // cell)
    columns, rows = table.matrix(metric, periods)
    what = "retention" if metric == "retention" else "cumulative revenue per person"
    title = f"{grain.capitalize()}ly cohorts by first purchase: {what}"
    stdout_console().print(heatmap(columns, rows, first_value=first, metric=metric, title=title))
    if table.periods > periods:
        table.notes.append(f"{table.periods - periods} later periods not shown (--periods)")
    _notes(table.notes)


# -- ltv -----------------------------------------------------------------------------------------


@click.command()
@click.option("--by", "by", type=click.Choice(["cohort", "segment"]), default="cohort",
              show_default=True,
              help="Group by first-purchase cohort, or by RFM segment (tags) or first platform.")  # fmt: skip
@click.option("--grain", type=click.Choice(["month", "week"]), default="month", show_default=True,
              help="Cohort grain.")  # fmt: skip
@click.option("--horizon", "horizon", type=click.IntRange(min=1), default=365, show_default=True,
              help="Days ahead for the predicted purchases and spend.")  # fmt: skip
@click.option("--backtest", is_flag=True,
              help="Fit on a calibration period and score on the holdout that follows.")  # fmt: skip
@click.option("--holdout-days", type=click.IntRange(min=7), default=180, show_default=True,
              help="Length of the backtest's holdout (the last days of the data).")  # fmt: skip
@format_option()
@click.pass_context
def ltv(
    ctx: click.Context,
    by: str,
    grain: str,
    horizon: int,
    backtest: bool,
    holdout_days: int,
    fmt: str,
) -> None:
    """Customer lifetime value per person: historical by cohort or segment, predicted with
    BG/NBD + Gamma-Gamma."""
    if backtest:
        _ltv_backtest(ctx, holdout_days, fmt)
        return
    from shopql.insights.ltv import ltv_report

    report = _with_reader(ctx, lambda con: ltv_report(con, by, grain, horizon))
    if fmt == "json":
        print_json(
            {
                "by": report.by,
                "segment_source": report.segment_source,
                "horizon_days": report.horizon_days,
                "columns": report.columns,
                "rows": report.rows,
                "model": report.model,
                "notes": report.notes,
            }
        )
        return
    if fmt == "csv":
        print_csv(report.columns, report.rows)
        return
    source = f" ({report.segment_source})" if report.segment_source else ""
    heads = [report.by, "persons", "orders", "paid", "refunds", "net", "net 90d", "net 180d",
             "net 365d"]  # fmt: skip
    _compact_table(heads, [[r[0], r[1], r[2], *[_whole(v) for v in r[3:9]]] for r in report.rows],
                   f"Historical LTV per person by {report.by}{source}")  # fmt: skip
    if report.model:
        h = report.horizon_days
        _compact_table([report.by, "persons", "P(alive)", f"purchases {h}d", f"spend {h}d"],
                       [[r[0], r[1], *r[9:]] for r in report.rows],
                       f"Predicted per person, next {h} days (BG/NBD + Gamma-Gamma)")  # fmt: skip
    if report.model:
        params = ", ".join(f"{k}={v:.4g}" for k, v in report.model.items() if v is not None)
        report.notes.append(f"BG/NBD + Gamma-Gamma: {params}")
    _notes(report.notes)


def _compact_table(columns: list[str], rows: list[list[Any]], title: str) -> None:
    """A table without vertical rules whose first column never wraps."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, header_style="bold cyan", box=box.SIMPLE_HEAD)
    for i, name in enumerate(columns):
        table.add_column(name, justify="left" if i == 0 else "right", no_wrap=i == 0)
    for row in rows:
        table.add_row(*["∅" if v is None else f"{v:,}" if isinstance(v, int | float) else str(v)
                        for v in row])  # fmt: skip
    stdout_console().print(table)


def _whole(value: Any) -> int | None:
    return None if value is None else round(value)


def _ltv_backtest(ctx: click.Context, holdout_days: int, fmt: str) -> None:
    from dataclasses import asdict

    from shopql.insights.ltv import backtest

    got = _with_reader(ctx, lambda con: backtest(con, holdout_days))
    doc = asdict(got)
    doc["purchases_error"] = got.purchases_error
    doc["spend_error"] = got.spend_error
    if fmt == "json":
        print_json(doc)
        return
    rows = [
        ["purchases (days with an order)", got.actual_purchases, got.predicted_purchases,
         _pct(got.purchases_error), got.mae_purchases, got.baseline_mae_purchases],
        ["spend", got.actual_spend, got.predicted_spend, _pct(got.spend_error), got.mae_spend,
         got.baseline_mae_spend],
    ]  # fmt: skip
    columns = ["holdout", "actual", "predicted", "error", "MAE per person", "MAE last-window"]
    if fmt == "csv":
        print_csv(columns, rows)
        return
    title = (
        f"Backtest: fitted before {got.calibration_end}, scored on the next {got.holdout_days} "
        f"days ({got.persons:,} persons, {got.repeaters:,} bought twice)"
    )
    print_table(columns, [[round(v, 2) if isinstance(v, float) else v for v in r] for r in rows],
                title=title)  # fmt: skip
    _notes(["MAE last-window: predicting that each person repeats their previous "
            f"{got.holdout_days} days"])  # fmt: skip


# -- funnel --------------------------------------------------------------------------------------


@click.command()
@click.argument("name", required=False)
@click.option("--by", "by", type=click.Choice(["category", "day", "platform"]),
              help="One funnel per category, day of entry or platform.")  # fmt: skip
@click.option("--since", help="Only events from this date (YYYY-MM-DD).")
@click.option("--until", help="Only events before this date (YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="At most this many groups in the table (largest first).")  # fmt: skip
@format_option()
@click.pass_context
def funnel(
    ctx: click.Context,
    name: str | None,
    by: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    fmt: str,
) -> None:
    """A behaviour funnel (view → cart/favourite → buy by default; more in the catalog YAML):
    visitors, conversion and drop-off per step."""
    from shopql.insights.funnel import load_funnels, pick_funnel, run_funnel

    s = settings_from(ctx)
    funnels, issues = load_funnels(s.catalog_dir)
    for issue in issues:
        stderr_console().print(f"[yellow]{issue}[/yellow]", highlight=False)
    chosen = pick_funnel(funnels, name)
    start, end = _day(since, "--since"), _day(until, "--until")
    results = _with_reader(ctx, lambda con: run_funnel(con, chosen, by, start, end))
    columns = [*([by] if by else []), "step", "name", "visitors", "conversion",
               "step_conversion", "drop_off"]  # fmt: skip
    rows = [
        [*([r.group] if by else []), r.step, r.name, r.visitors, r.conversion, r.step_conversion,
         r.drop_off]
        for r in results
    ]  # fmt: skip
    if fmt == "json":
        steps = [{"name": st.name, "events": list(st.events)} for st in chosen.steps]
        print_json({"funnel": chosen.name, "steps": steps, "window_seconds":
                    int(chosen.window.total_seconds()), "by": by, "columns": columns,
                    "rows": rows})  # fmt: skip
        return
    if fmt == "csv":
        print_csv(columns, rows)
        return
    shown = _first_groups(rows, by, limit, len(chosen.steps))
    table = [[*r[:-3], _pct(r[-3]), _pct(r[-2]), r[-1]] for r in shown]
    label = chosen.label.get("en") or chosen.name
    window = _duration(chosen.window.total_seconds())
    print_table(columns, table, title=f"Funnel {chosen.name}: {label} (window {window})")
    if len(shown) < len(rows):
        _notes([f"{(len(rows) - len(shown)) // len(chosen.steps)} more groups (--limit, or "
                "--format csv for all)"])  # fmt: skip


def _duration(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:.0f}{unit}"
    return f"{seconds:.0f}s"


def _first_groups(rows: list[list[Any]], by: str | None, limit: int, steps: int) -> list[Any]:
    return rows if by is None else rows[: limit * steps]


def _day(value: str | None, option: str) -> Any:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        message = f"{value!r} is not a date like 2025-01-31"
        raise click.BadParameter(message, param_hint=option) from None


# -- crosssell -----------------------------------------------------------------------------------


@click.command()
@click.argument("item", required=False)
@click.option("--level", type=click.Choice(["product", "category"]), default="category",
              show_default=True, help="Pairs of products or of categories (without ITEM).")  # fmt: skip
@click.option("--min-persons", type=click.IntRange(min=1), default=3, show_default=True,
              help="Only pairs bought by at least this many persons.")  # fmt: skip
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="At most this many pairs.")  # fmt: skip
@click.option("--sort", type=click.Choice(["lift", "confidence", "persons"]), default="lift",
              show_default=True, help="Rank pairs by lift, confidence or persons who bought both.")  # fmt: skip
@click.option("--not-bought", "not_bought", metavar="B",
              help="Size of the audience that bought ITEM and never bought B.")  # fmt: skip
@format_option()
@click.pass_context
def crosssell(
    ctx: click.Context,
    item: str | None,
    level: str,
    min_persons: int,
    limit: int,
    sort: str,
    not_bought: str | None,
    fmt: str,
) -> None:
    """What persons who bought ITEM (a product code, title word or category) also bought — or
    the top pairs overall — with support, confidence and lift."""
    if not_bought is not None:
        if item is None:
            raise click.UsageError("--not-bought needs ITEM: the product or category bought")
        _audience(ctx, item, not_bought, fmt)
        return
    from shopql.insights.crosssell import match_items, pairs
    from shopql.insights.purchases import coverage, require_persons

    def work(con: Any) -> tuple[Any, list[Any]]:
        require_persons(coverage(con))
        match = match_items(con, item) if item else None
        return match, pairs(con, level, match, min_persons, limit, sort)

    match, found = _with_reader(ctx, work)
    columns = ["a", "a_label", "b", "b_label", "persons_a", "persons_b", "persons_both",
               "support", "confidence", "lift"]  # fmt: skip
    rows = [[p.a, p.a_label, p.b, p.b_label, p.persons_a, p.persons_b, p.persons_both,
             round(p.support, 6), round(p.confidence, 6), round(p.lift, 4)] for p in found]  # fmt: skip
    if fmt == "json":
        matched = None if match is None else {"ref": match.ref, "level": match.level,
                                              "items": list(match.items)}  # fmt: skip
        print_json({"item": matched, "level": match.level if match else level,
                    "min_persons": min_persons, "columns": columns, "rows": rows})  # fmt: skip
        return
    if fmt == "csv":
        print_csv(columns, rows)
        return
    if match:
        title = f"Bought by the {rows[0][4] if rows else '?'} persons who bought {match.shown}"
        shown = [[r[3], r[5], r[6], _pct(r[7]), _pct(r[8]), r[9]] for r in rows]
        heads = ["also bought", "buyers", "both", "support", "confidence", "lift"]
    else:
        title = f"{level.capitalize()} pairs bought by the same persons"
        shown = [[r[1], r[3], r[6], _pct(r[7]), _pct(r[8]), r[9]] for r in rows]
        heads = ["a", "b", "both", "support", "confidence a→b", "lift"]
    print_table(heads, shown, title=title)
    if not rows:
        _notes([f"no pair bought by at least {min_persons} persons (--min-persons)"])


def _audience(ctx: click.Context, a: str, b: str, fmt: str) -> None:
    from shopql.insights.crosssell import bought_a_not_b

    one_ids = _with_reader(ctx, lambda con: bought_a_not_b(con, a, b))
    if fmt == "json":
        print_json({"bought": a, "not_bought": b, "persons": len(one_ids), "one_ids": one_ids})
    elif fmt == "csv":
        print_csv(["one_id"], [[p] for p in one_ids])
    else:
        print_table(["audience", "persons"], [[f"bought {a}, never bought {b}", len(one_ids)]])
