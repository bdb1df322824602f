"""`shopql segment create|list|show|size|overlap|export|refresh|delete`: thin shell over
shopql.insights.segments and shopql.insights.audience_export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from shopql.cli.main import settings_from
from shopql.cli.output import format_option, print_csv, print_json, print_table, stderr_console

TARGET_NAMES = ("persons", "taobao", "oceanengine", "jd", "shopify", "meta", "google")


@click.group()
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day `days = N` windows end on (default: today in the shop's time zone).",
)
@click.pass_context
def segment(ctx: click.Context, today: Any) -> None:
    """Saved audiences of OneID persons: define, size, compare, export.

    A condition combines tags (rfm_segment = '重要价值客户', lifecycle = 'at_risk', tag = 'x'),
    behaviour (bought(category = '沙发', days = 60, platform = 'tmall', times >= 2)), spend
    (net_spend >= 1000) and region (province = '浙江省') with AND, OR, NOT; see README
    "Audiences".
    """
    ctx.ensure_object(dict)
    ctx.obj["segment_today"] = today


def _today(s: Any) -> Any:
    from shopql.catalog.compiler import today_in

    given = click.get_current_context().find_object(dict) or {}
    return given["segment_today"].date() if given.get("segment_today") else today_in(s.timezone)


def _actor(s: Any) -> Any:
    from shopql.insights.segments import Actor

    return Actor.current(s.role)


def _with(s: Any, work: Callable[[Any], Any], write: bool = False) -> Any:
    from shopql.warehouse.connection import open_reader, open_writer

    con = open_writer(s.warehouse_path) if write else open_reader(s.warehouse_path)
    try:
        return work(con)
    finally:
        con.close()


def _emit(fmt: str, doc: Any, columns: list[str], rows: list[list[Any]], title: str) -> None:
    from shopql.warehouse.query import to_json_value

    if fmt == "json":
        print_json(doc)
    elif fmt == "csv":
        print_csv(columns, [[to_json_value(v) for v in r] for r in rows])
    else:
        print_table(columns, [[to_json_value(v) for v in r] for r in rows], title=title)


@segment.command()
@click.argument("name")
@click.option("--where", "condition", help="The condition (see `shopql segment --help`).")
@click.option(
    "--from-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file of persons, one one_id or customer_id a line (a phone, e-mail or nick too for roles that see PII).",
)
@click.option("--description", help="What the segment is for.")
@click.option("--replace", is_flag=True, help="Redefine an existing segment (kept in history).")
@format_option()
@click.pass_context
def create(
    ctx: click.Context,
    name: str,
    condition: str | None,
    from_file: Path | None,
    description: str | None,
    replace: bool,
    fmt: str,
) -> None:
    """Save segment NAME from a condition (--where) or a person list (--from-file)."""
    from shopql.insights.segments import create_list_segment, create_segment

    if (condition is None) == (from_file is None):
        raise click.UsageError("give exactly one of --where CONDITION or --from-file FILE")
    s = settings_from(ctx)
    actor, today = _actor(s), _today(s)

    def work(con: Any) -> Any:
        if from_file is not None:
            from shopql.warehouse.policy import personal_data

            return create_list_segment(
                con,
                name,
                from_file,
                actor,
                description=description,
                replace=replace,
                policy=personal_data(s),
            )
        assert condition is not None
        return create_segment(
            con, name, condition, actor, today, description=description, replace=replace
        )

    doc = _with(s, work, write=True)
    rows = [[doc["name"], doc["kind"], doc["size"], doc["definition"]]]
    _emit(fmt, doc, ["segment", "kind", "size", "definition"], rows, "Segment saved")


@segment.command("list")
@format_option()
@click.pass_context
def list_segments(ctx: click.Context, fmt: str) -> None:
    """Every saved segment with its last recorded size and who changed it last."""
    from shopql.insights.segments import list_segments as listed

    s = settings_from(ctx)
    doc = _with(s, listed)
    columns = ["name", "kind", "size", "updated_at", "updated_by", "definition"]
    _emit(fmt, doc, columns, [[d[c] for c in columns] for d in doc], "Segments")


@segment.command()
@click.argument("name")
@format_option()
@click.pass_context
def show(ctx: click.Context, name: str, fmt: str) -> None:
    """A segment's definition, current size and history (size over time, who changed it)."""
    from shopql.insights.segments import show_segment

    s = settings_from(ctx)
    doc = _with(s, lambda con: show_segment(con, name, _today(s)))
    columns = ["changed_at", "os_user", "role", "action", "size", "definition"]
    rows = [[h[c] for c in columns] for h in doc["history"]]
    if fmt == "table":
        facts = [[k, doc[k]] for k in ("name", "kind", "definition", "description", "current_size")]
        print_table(["segment", "value"], facts, title=f"Segment {name}")
    _emit(fmt, doc, columns, rows, "History")


@segment.command()
@click.argument("name_or_condition")
@format_option()
@click.pass_context
def size(ctx: click.Context, name_or_condition: str, fmt: str) -> None:
    """How many persons a saved segment (or an unsaved condition) has right now."""
    from shopql.insights.segments import preview

    s = settings_from(ctx)
    doc = _with(s, lambda con: preview(con, name_or_condition, _today(s)))
    _emit(fmt, doc, ["size", "ms"], [[doc["size"], doc["ms"]]], name_or_condition)


@segment.command()
@click.argument("first")
@click.argument("second")
@format_option()
@click.pass_context
def overlap(ctx: click.Context, first: str, second: str, fmt: str) -> None:
    """How segments (or conditions) FIRST and SECOND intersect."""
    from shopql.insights.segments import overlap as overlap_of

    s = settings_from(ctx)
    doc = _with(s, lambda con: overlap_of(con, first, second, _today(s)))
    columns = ["only_a", "both", "only_b", "union", "jaccard"]
    _emit(fmt, doc, columns, [[doc[c] for c in columns]], f"{first} ∩ {second}")


@segment.command()
@click.argument("names", nargs=-1)
@format_option()
@click.pass_context
def refresh(ctx: click.Context, names: tuple[str, ...], fmt: str) -> None:
    """Recompute and record the size of NAMES (all segments when none is given)."""
    from shopql.insights.segments import refresh_segments

    s = settings_from(ctx)
    doc = _with(s, lambda con: refresh_segments(con, list(names), _actor(s), _today(s)), True)
    columns = ["name", "kind", "size", "error"]
    _emit(fmt, doc, columns, [[d[c] for c in columns] for d in doc], "Segments refreshed")


@segment.command()
@click.argument("name")
@click.pass_context
def delete(ctx: click.Context, name: str) -> None:
    """Remove segment NAME (its history is kept)."""
    from shopql.insights.segments import delete_segment

    s = settings_from(ctx)
    _with(s, lambda con: delete_segment(con, name, _actor(s)), True)
    stderr_console().print(f"segment {name} deleted")


@segment.command()
@click.argument("name")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write: .csv or .xlsx.",
)
@click.option(
    "--target",
    type=click.Choice(TARGET_NAMES),
    default="persons",
    show_default=True,
    help="Whose audience tool the file is for (README 'Audiences' lists each format).",
)
@click.option("--raw", is_flag=True, help="Add plain phone and e-mail (roles that see PII).")
@format_option("table", "json")
@click.pass_context
def export(ctx: click.Context, name: str, out: Path, target: str, raw: bool, fmt: str) -> None:
    """Write segment NAME for an audience tool; every export is recorded in _audit."""
    from shopql.insights.audience_export import ExportRefused, audit_export, export_segment
    from shopql.insights.segments import segment_sql
    from shopql.warehouse.connection import pseudonym_secret

    s = settings_from(ctx)

    def work(con: Any) -> Any:
        sql = segment_sql(con, name, _today(s))
        try:
            doc = export_segment(
                con,
                sql,
                name,
                target,
                out,
                role=s.role,
                roles=s.roles,
                raw=raw,
                key_secret=pseudonym_secret(s.workspace),
            )
        except ExportRefused as e:
            tried = {"segment": name, "target": target, "out": str(out), "raw_contacts": raw}
            audit_export(con, s.role, tried, sql, outcome=f"refused: {e.message}")
            raise
        audit_export(con, s.role, doc, sql)
        return doc

    doc = _with(s, work, write=True)
    if fmt == "json":
        print_json(doc)
        return
    facts = [[k, doc[k]] for k in ("target", "title", "out", "rows", "skipped_no_identifier")]
    facts.append(["columns", ", ".join(doc["columns"])])
    print_table(["export", "value"], facts, title=f"Segment {name} exported")


def save_from_answer(ctx: click.Context, name: str, result: Any, today: str | None) -> None:
    """`ask … --save-segment NAME`: the persons an offline answer counted, as a rule segment."""
    import datetime as dt

    from shopql.insights.segments import NotAPersonSet, condition_from_query, create_segment

    if (
        result.engine != "offline"
        or result.query is None
        or result.compound
        not in (
            None,
            "buyers_without",
        )
    ):
        raise NotAPersonSet(
            "only a question the offline engine understood can be saved as a segment",
            "rephrase it, or use `shopql segment create NAME --where …`",
        )
    condition = condition_from_query(result.query, result.compound)
    s = settings_from(ctx)
    day = dt.date.fromisoformat(today) if today else _today(s)
    doc = _with(s, lambda con: create_segment(con, name, condition, _actor(s), day), True)
    stderr_console().print(
        f"saved segment {name}: {doc['size']} persons — {doc['definition']}", highlight=False
    )
    rows = result.main.rows
    counted = rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else None
    if result.compound == "buyers_without":
        counted = len(rows)  # one row per person
    if isinstance(counted, int) and counted != doc["size"]:
        stderr_console().print(
            f"[yellow]the answer counted {counted}: {(result.query.metrics or ('bought',))[0]} "
            "includes orders "
            "refunded or cancelled later, a segment's bought() leaves them out[/yellow]"
        )
