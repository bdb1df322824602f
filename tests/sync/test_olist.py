"""The real Olist dataset through the shipped mapping: counts, sums, persons, idempotent re-sync."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from shopql.config import load_settings
from shopql.sync.engine import run_sync
from tests.conftest import OLIST, warehouse_reader


def scalar(ws: Path, sql: str) -> object:
    con = warehouse_reader(ws)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_olist_counts(olist_workspace: Path) -> None:
    assert scalar(olist_workspace, "select count(*) from orders") == 99_441
    assert scalar(olist_workspace, "select count(*) from order_items") == 112_650
    assert scalar(olist_workspace, "select count(*) from payments") == 103_886
    assert scalar(olist_workspace, "select count(*) from customers") == 99_441
    assert scalar(olist_workspace, "select count(*) from products") == 32_951
    assert scalar(olist_workspace, "select count(*) from shops") == 3_095
    assert scalar(olist_workspace, "select count(*) from reviews") == 99_224
    assert scalar(olist_workspace, "select count(*) from category_names") == 71
    assert scalar(olist_workspace, "select count(*) from _quarantine") == 0


def test_olist_persons_via_customer_unique_id(olist_workspace: Path) -> None:
    assert scalar(olist_workspace, "select count(distinct one_id) from customers") == 96_096
    assert scalar(olist_workspace, "select count(distinct one_id) from one_ids") == 96_096
    # the same person's orders share one person id
    assert (
        scalar(
            olist_workspace,
            """select count(*) from (select c.buyer_key from customers c
               group by 1 having count(distinct c.one_id) > 1)""",
        )
        == 0
    )


def test_olist_amounts_are_exact(olist_workspace: Path) -> None:
    assert scalar(olist_workspace, "select sum(unit_price) from order_items") == Decimal(
        "13591643.70"
    )
    assert scalar(olist_workspace, "select sum(shipping_fee) from orders") == Decimal("2251909.54")
    assert scalar(olist_workspace, "select sum(amount) from payments") == Decimal("16008872.12")
    assert scalar(olist_workspace, "select sum(paid_amount) from orders") == Decimal("16008872.12")
    # 775 orders have no items and 1 has no payment, as in the original
    assert scalar(olist_workspace, "select count(*) from orders where goods_amount is null") == 775
    assert scalar(olist_workspace, "select count(*) from orders where paid_amount is null") == 1


def test_olist_status_mapping(olist_workspace: Path) -> None:
    con = warehouse_reader(olist_workspace)
    rows = dict(con.execute("select raw_status, count(*) from orders group by 1").fetchall())
    mapped = dict(
        con.execute("select distinct raw_status, status from orders").fetchall()  # type: ignore[arg-type]
    )
    con.close()
    assert rows["delivered"] == 96_478
    assert mapped == {
        "delivered": "completed",
        "shipped": "shipped",
        "canceled": "cancelled",
        "unavailable": "cancelled",
        "invoiced": "paid",
        "processing": "paid",
        "approved": "paid",
        "created": "pending",
    }


def test_resync_is_a_no_op(olist_workspace: Path) -> None:
    before = scalar(olist_workspace, "select count(*) from _sync_files")
    report = run_sync(load_settings(olist_workspace), [OLIST])
    statuses = {f.status for f in report.files}
    assert statuses == {"already synced", "skipped"}
    assert report.totals()["rows_loaded"] == 0
    assert scalar(olist_workspace, "select count(*) from _sync_files") == before
    assert scalar(olist_workspace, "select count(*) from orders") == 99_441
    assert scalar(olist_workspace, "select count(distinct one_id) from customers") == 96_096


def _raw_seller_sums() -> tuple[set[str], dict[str, Decimal], dict[str, Decimal]]:
    """From the raw files: the orders with several sellers, and per seller the sum of price over
    those orders' lines and over every line of a paid (approved) order."""
    import csv
    import gzip

    with gzip.open(OLIST / "olist_orders_dataset.csv.gz", "rt", encoding="utf-8") as f:
        paid = {r["order_id"] for r in csv.DictReader(f) if r["order_approved_at"]}
    with gzip.open(OLIST / "olist_order_items_dataset.csv.gz", "rt", encoding="utf-8") as f:
        lines = list(csv.DictReader(f))
    sellers: dict[str, set[str]] = {}
    for r in lines:
        sellers.setdefault(r["order_id"], set()).add(r["seller_id"])
    multi = {o for o, s in sellers.items() if len(s) > 1}
    in_multi: dict[str, Decimal] = {}
    in_paid: dict[str, Decimal] = {}
    for r in lines:
        if r["order_id"] in multi:
            in_multi[r["seller_id"]] = in_multi.get(r["seller_id"], Decimal(0)) + Decimal(
                r["price"]
            )
        if r["order_id"] in paid:
            in_paid[r["seller_id"]] = in_paid.get(r["seller_id"], Decimal(0)) + Decimal(r["price"])
    return multi, in_multi, in_paid


def test_multi_seller_orders_split_per_seller(olist_workspace: Path) -> None:
    """Each line keeps its own seller: a multi-seller order's revenue splits per seller exactly
    as the raw items file does; the line-level metric by shop reads it."""
    from tests.conftest import run_cli

    multi, in_multi, in_paid = _raw_seller_sums()
    assert len(multi) == 1_278
    con = warehouse_reader(olist_workspace)
    try:
        split = con.execute(
            """SELECT shop_id, sum(paid_amount) FROM order_items WHERE order_id IN (
                 SELECT order_id FROM order_items GROUP BY 1 HAVING count(DISTINCT shop_id) > 1)
               GROUP BY 1"""
        ).fetchall()
        assert con.execute("SELECT count(*) FROM order_items WHERE shop_id IS NULL").fetchone() == (
            0,
        )
    finally:
        con.close()
    assert {s.removeprefix("olist:"): v for s, v in split} == in_multi
    result = run_cli(
        "--workspace", str(olist_workspace), "metric", "item_paid_gmv", "--by", "shop",
        "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["rows"]
    by_shop = {shop.removeprefix("olist:"): Decimal(str(v)) for shop, v in rows}
    assert by_shop == {s: v for s, v in in_paid.items()}
