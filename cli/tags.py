"""`shopql tags refresh|list|show PERSON`: thin shell over shopql.insights.tags."""

from __future__ import annotations

import datetime as dt

import click

from shopql.cli.identity import _text
from shopql.cli.identity import _with_reader as _read
from shopql.cli.main import settings_from
from shopql.cli.output import format_option, print_csv, print_json, print_table, stderr_console


@click.group(invoke_without_command=True)
@click.pass_context
def tags(ctx: click.Context) -> None:
    """Person tags on OneID persons: RFM scores and segments, lifecycle, preferences, rule tags.

    Without a subcommand, lists how many persons carry each tag.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_tags)


@tags.command()
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Day recency is measured to (default: the day of the newest paid order).",
)
@format_option("table", "json")
@click.pass_context
def refresh(ctx: click.Context, as_of: dt.datetime | None, fmt: str) -> None:
    """Recompute every person's tags and the catalog's rule tags (one transaction)."""
    from shopql.insights.tags import refresh_workspace_tags
    from shopql.warehouse.connection import open_writer

    s = settings_from(ctx)
    con = open_writer(s.warehouse_path)
    try:
        run = refresh_workspace_tags(con, s.workspace, as_of.date() if as_of else None)
    finally:
        con.close()
    doc = run.to_dict()
    if fmt == "json":
        print_json(doc)
        return
    facts = [
        ["persons (OneID)", run.persons],
        ["persons who bought (tagged)", run.buyers],
        ["as of", run.as_of],
        ["median days between purchases", run.median_interval_days],
        ["active up to (days since last purchase)", run.active_days],
        ["lapsed after (days)", run.lapsed_days],
        ["price band low ≤ / high >", f"{run.price_low_max} / {run.price_high_min}"],
    ]
    facts += [[f"rule tag {name}", n] for name, n in run.rule_tags.items()]
    facts += [[f"segment {name}", n] for name, n in run.segments.items()]
    print_table(["tags", "value"], facts, title="Tag refresh")
    for skipped in run.skipped_rules:
        stderr_console().print(f"[yellow]skipped: {skipped}[/yellow]")
    stderr_console().print(f"[dim]{run.seconds:.2f} s; `shopql tags list` shows the counts[/dim]")


@tags.command("list")
@format_option()
@click.pass_context
def list_tags(ctx: click.Context, fmt: str) -> None:
    """How many persons are in each RFM segment, lifecycle stage and rule tag."""
    from shopql.insights.tags import tag_overview

    s = settings_from(ctx)
    doc = _read(s, tag_overview)
    rows = [
        ["rfm_segment", f"{r['rfm_segment']} {r['rfm_segment_en']}", r["persons"]]
        for r in doc["rfm_segments"]
    ]
    rows += [["lifecycle", f"{r['lifecycle']} {r['zh']}", r["persons"]] for r in doc["lifecycle"]]
    rows += [["rule tag", r["tag"], r["persons"]] for r in doc["rule_tags"]]
    if fmt == "json":
        print_json(doc)
    elif fmt == "csv":
        print_csv(["kind", "tag", "persons"], rows)
    else:
        if not doc["last_run"]:
            stderr_console().print("[yellow]no tags yet: run `shopql tags refresh`[/yellow]")
        print_table(["kind", "tag", "persons"], rows, title="Person tags")
        run = doc["last_run"]
        if run:
            stderr_console().print(
                f"[dim]computed {run['computed_at']:%Y-%m-%d %H:%M} as of {run['as_of']:%Y-%m-%d}; "
                f"median {run['median_interval_days']} days between purchases → active ≤ "
                f"{run['active_days']} days, lapsed > {run['lapsed_days']} days[/dim]"
            )


@tags.command()
@click.argument("person")
@format_option()
@click.pass_context
def show(ctx: click.Context, person: str, fmt: str) -> None:
    """The tags of one PERSON (a one_id or customer_id; a phone, e-mail or nick for roles that see PII)."""
    from shopql.insights.tags import person_tags
    from shopql.warehouse.policy import personal_data

    s = settings_from(ctx)
    doc = _read(s, lambda con: person_tags(con, person, personal_data(s)))
    rows = [[k, _text(v)] for k, v in doc.items() if k != "rule_tags"]
    rows.append(["rule_tags", ", ".join(doc["rule_tags"])])
    if fmt == "json":
        print_json(doc)
    elif fmt == "csv":
        print_csv(["tag", "value"], rows)
    else:
        print_table(["tag", "value"], rows, title=f"Tags of {doc['one_id']}")
        if not doc["bought"]:
            stderr_console().print("[dim]no paid order: no RFM or lifecycle tags[/dim]")
