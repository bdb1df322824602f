"""`shopql identity build|explain` and `shopql customer`: thin shells over shopql.insights."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import click

from shopql.cli.main import settings_from
from shopql.cli.output import format_option, print_json, print_table, stderr_console


@click.group()
def identity() -> None:
    """Build OneID (one person id across platform accounts) and explain how accounts were joined."""


@identity.command()
@click.option(
    "--max-shared",
    type=click.IntRange(min=1),
    help="A value carried by more accounts than this is junk (default: [identity] max_shared).",
)
@format_option("table", "json")
@click.pass_context
def build(ctx: click.Context, max_shared: int | None, fmt: str) -> None:
    """Rebuild OneID from the identities of every account; ids of known persons are kept."""
    from shopql.insights.customer360 import identifier_value, identity_overview
    from shopql.insights.oneid import build_one_ids
    from shopql.insights.tags import refresh_workspace_tags
    from shopql.warehouse.connection import open_writer
    from shopql.warehouse.policy import personal_data, require_role_for

    s = settings_from(ctx)
    require_role_for(
        s, "identity build"
    )  # before the writer is opened: a refused role changes nothing
    limit = max_shared or s.identity_max_shared
    policy = personal_data(s)
    con = open_writer(s.warehouse_path, memory_limit=s.memory_limit)
    try:
        stats = build_one_ids(con, max_shared=limit, blocklist=s.identity_blocklist)
        refresh_workspace_tags(con, s.workspace)  # tags live on persons: recompute them
        overview = identity_overview(con)
        junk = [
            {"type": t, "value": identifier_value(con, t, v, policy), "accounts": n, "status": st}
            for t, v, n, st in stats.junk_examples
        ]
    finally:
        con.close()
    doc: dict[str, Any] = asdict(stats)
    doc["max_shared"] = limit
    doc["multi_account_persons"] = overview["multi_account_persons"]
    doc["identifiers"] = overview["identifiers"]
    doc["junk_examples"] = junk
    if fmt == "json":
        print_json(doc)
        return
    _print_build(doc)


def _print_build(doc: dict[str, Any]) -> None:
    facts = [
        ["accounts", doc["accounts"]],
        ["persons (one_id)", doc["persons"]],
        ["accounts merged with another", doc["merged_accounts"]],
        ["persons with several accounts", doc["multi_account_persons"]],
        ["new persons this build", doc["new_persons"]],
        ["one_ids retired by merges", doc["retired_one_ids"]],
        ["junk values dropped", doc["junk_identifiers"]],
        ["masked values (never joined)", doc["masked_identifiers"]],
    ]
    print_table(["OneID", "value"], facts, title="OneID build")
    if doc["junk_examples"]:
        rows = [[j["type"], j["value"], j["accounts"], j["status"]] for j in doc["junk_examples"]]
        print_table(["type", "value", "accounts", "why dropped"], rows, title="Junk examples")
    stderr_console().print(
        f"[dim]{doc['seconds']:.2f} s, {doc['iterations']} rounds, max_shared "
        f"{doc['max_shared']}; `shopql identity explain ONE_ID` shows the evidence[/dim]"
    )


@identity.command()
@click.argument("one_id")
@format_option("table", "json")
@click.pass_context
def explain(ctx: click.Context, one_id: str, fmt: str) -> None:
    """Which identifiers joined which accounts of ONE_ID (or a phone, nick, customer_id)."""
    from shopql.insights.customer360 import explain as explain_person
    from shopql.warehouse.policy import personal_data

    s = settings_from(ctx, fresh=True)
    doc = _with_reader(s, lambda con: explain_person(con, one_id, personal_data(s)))
    if fmt == "json":
        print_json(doc)
        return
    _print_accounts(doc["accounts"], f"Person {doc['one_id']}")
    if doc["merged_from"]:
        stderr_console().print(f"merged from earlier ids: {', '.join(doc['merged_from'])}")
    for key, title in (("joined_by", "Joined by"), ("ignored", "Ignored (never joined on)")):
        columns = ["type", "value", "status", "carried by", "this person's accounts", "platforms"]
        rows = [
            [
                r["type"],
                r["value"],
                r["status"],
                r["shared_by"],
                "\n".join(r["accounts"]),
                ", ".join(r["platforms"]),
            ]
            for r in doc[key]
        ]
        if rows:
            print_table(columns, rows, title)
    if not doc["joined_by"]:
        stderr_console().print(
            "[dim]a person alone: no identifier is shared with another account[/dim]"
        )


def _print_accounts(accounts: list[dict[str, Any]], title: str) -> None:
    columns = ["customer_id", "platform", "nick", "phone", "email", "orders", "first_order_at"]
    rows = [[_text(a[c]) for c in columns] for a in accounts]
    print_table(columns, rows, title=title)


def _text(value: Any) -> Any:
    """A value for a table cell: numbers and times stay themselves (the table formats them:
    2,878.00, 2025-11-06 07:46:08); anything else becomes readable text."""
    import datetime as dt
    from decimal import Decimal

    if value is None or isinstance(value, (int, float, Decimal, str, dt.date)):
        return value
    from shopql.warehouse.query import to_json_value

    return str(to_json_value(value))


def _money(amount: Any, currency: str | None) -> str:
    """'2,878.00 CNY'; several currencies as 'CNY 2,878.00, USD 12.00'."""
    from decimal import Decimal

    if isinstance(amount, dict):
        return ", ".join(f"{c} {Decimal(str(v)):,.2f}" for c, v in amount.items())
    if amount is None:
        return "–"
    return f"{Decimal(str(amount)):,.2f} {currency or ''}".strip()


def _with_reader(s: Any, work: Any) -> Any:
    from shopql.warehouse.connection import open_reader

    con = open_reader(s.warehouse_path)
    try:
        return work(con)
    finally:
        con.close()


@click.command()
@click.argument("ref")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="How many top products to list.",
)
@format_option("table", "json")
@click.pass_context
def customer(ctx: click.Context, ref: str, top: int, fmt: str) -> None:
    """The 360° view of one person: REF is a one_id, customer_id, phone, e-mail or nick."""
    from shopql.insights.customer360 import customer_view
    from shopql.warehouse.policy import personal_data

    s = settings_from(ctx, fresh=True)
    doc = _with_reader(s, lambda con: customer_view(con, ref, personal_data(s), top))
    if fmt == "json":
        print_json(doc)
        return
    _print_customer(doc)


def _print_customer(doc: dict[str, Any]) -> None:
    spend = doc["spend"] if doc["spend"] is not None else doc["spend_by_currency"]
    facts = [
        ["platforms", ", ".join(doc["platforms"])],
        ["accounts", len(doc["accounts"])],
        ["orders (paid)", f"{doc['orders']} ({doc['paid_orders']})"],
        ["spend", _money(spend, doc["currency"])],
        ["refunded", _money(doc["refund_amount"], doc["currency"])],
        ["first order", _text(doc["first_order_at"])],
        ["last order", _text(doc["last_order_at"])],
    ]
    print_table(["", "value"], facts, title=f"Customer {doc['one_id']}")
    _print_accounts(doc["accounts"], "Accounts")
    sections = (
        ("by_platform", ["platform", "orders", "spend", "first_order_at", "last_order_at"]),
        ("categories", ["category", "items", "quantity", "spend"]),
        ("top_products", ["product_id", "title", "quantity", "spend"]),
    )
    for key, columns in sections:
        if doc[key]:
            rows = [[_text(r[c]) for c in columns] for r in doc[key]]
            print_table(columns, rows, title=key.replace("_", " ").capitalize())
