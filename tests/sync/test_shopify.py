"""Shopify: orders (order fields on the first row only), products, customers; fixture and real samples."""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal
from pathlib import Path

from tests.conftest import FIXTURES, SAMPLES
from tests.sync.helpers import by_kind, rows, scalar, sync

FIX = FIXTURES / "shopify"


def test_fixture_orders_statuses_and_money(workspace: Path) -> None:
    report = sync(workspace, FIX / "orders_export_1.csv")
    assert by_kind(report) == {"orders": (11, 11, 0)}
    assert dict(rows(workspace, "select platform_order_id, status from orders")) == {
        "#2001": "completed",  # paid + fulfilled
        "#2002": "pending",
        "#2003": "refunded",  # refunded + Cancelled at
        "#2004": "cancelled",  # voided + Cancelled at
        "#2005": "shipped",  # paid + partial
        "#2006": "pending",  # authorized
        "#2007": "completed",  # partially_refunded + fulfilled
        "#2008": "paid",  # paid + unfulfilled
    }
    assert scalar(workspace, "select sum(paid_amount) from orders") == Decimal("226.75")
    assert scalar(workspace, "select sum(refund_amount) from orders") == Decimal("30.00")
    # order money is taken once per order, never summed over its lines
    assert rows(
        workspace,
        """select goods_amount, shipping_fee, discount_amount, paid_amount, currency
           from orders where order_id = 'shopify:#2005'""",
    ) == [(Decimal("67.50"), Decimal("0.00"), Decimal("5.00"), Decimal("66.75"), "USD")]
    assert scalar(workspace, "select count(*) from order_items") == 11
    assert scalar(workspace, "select sum(quantity) from order_items") == 19
    assert rows(
        workspace,
        """select line_no, product_id, quantity, paid_amount from order_items
           where order_id = 'shopify:#2005' order by line_no""",
    ) == [
        (1, "shopify:sku:MUG-BLU", 1, Decimal("12.50")),
        (2, "shopify:sku:TEE-M", 2, Decimal("40.00")),
        (3, "shopify:title:Canvas Cap", 1, Decimal("15.00")),
    ]
    # Paid at blank on a paid order: Created at (-0500) in shop time (Asia/Shanghai)
    assert (
        str(scalar(workspace, "select paid_at from orders where order_id = 'shopify:#2001'"))
        == "2025-03-01 22:00:00"
    )
    assert scalar(workspace, "select paid_at from orders where order_id = 'shopify:#2002'") is None
    assert scalar(workspace, "select count(*) from payments") == 5
    assert scalar(workspace, "select count(*) from orders where source_file_id is null") == 0
    assert scalar(workspace, "select sum(amount) from refunds") == Decimal("30.00")
    # placeholders: Billing Zip '-' and empty provinces do not become values
    assert scalar(workspace, "select province from orders where order_id = 'shopify:#2008'") is None
    assert scalar(workspace, "select province from orders where order_id = 'shopify:#2001'") == (
        "Oregon"
    )


def test_fixture_customers_from_orders_and_exports(workspace: Path) -> None:
    sync(workspace, FIX / "orders_export_1.csv")
    assert scalar(workspace, "select count(*) from customers") == 6
    # e-mail is the key and is lower-cased, so the customers export joins the orders
    assert (
        scalar(workspace, "select customer_id from orders where order_id = 'shopify:#2008'")
        == "shopify:frank.buyer@example.com"
    )
    report = sync(workspace, FIX / "customers_export.csv", FIX / "customers_export_old_layout.csv")
    assert by_kind(report) == {"customers": (5, 5, 0)}
    assert scalar(workspace, "select count(*) from customers") == 8
    assert rows(
        workspace,
        "select name, phone, city from customers where customer_id = 'shopify:alice@example.com'",
    ) == [("Alice Tester", "+15035550101", "Portland")]
    assert (
        scalar(
            workspace,
            "select count(*) from customers where customer_id = 'shopify:phone:+15035550109'",
        )
        == 1
    )
    assert rows(
        workspace,
        """select identifier_type, identifier_value from identities
           where customer_id = 'shopify:alice@example.com' order by 1""",
    ) == [
        ("email", "alice@example.com"),
        ("phone", "+15035550101"),
        ("platform_user", "shopify:7010000000001"),
    ]
    assert rows(
        workspace,
        "select phone, province from customers where customer_id = 'shopify:heidi@example.com'",
    ) == [("+15415550110", "Oregon")]


def test_fixture_products_variants_and_image_rows(workspace: Path) -> None:
    report = sync(workspace, FIX / "products_export_1.csv")
    assert by_kind(report) == {"products": (5, 5, 0)}
    assert rows(
        workspace,
        "select product_id, title, category, brand, list_price, cost from products order by 1",
    ) == [
        ("shopify:handle:canvas-cap", "Canvas Cap", "Hats", "Cap Co", Decimal("15.00"), None),
        (
            "shopify:sku:MUG-BLU",
            "Ceramic Mug - Blue",
            "Home & Garden > Kitchen",
            "Test Vendor",
            Decimal("12.50"),
            Decimal("4.00"),
        ),
        (
            "shopify:sku:MUG-RED",
            "Ceramic Mug - Red",
            "Home & Garden > Kitchen",
            "Test Vendor",
            Decimal("13.00"),
            Decimal("4.20"),
        ),
        ("shopify:sku:TEE-M", "Cotton Tee - M", "Shirts", "Test Vendor", Decimal("20.00"), None),
    ]
    # the orders export does not overwrite the product facts of the products export
    sync(workspace, FIX / "orders_export_1.csv")
    assert scalar(
        workspace, "select category from products where product_id = 'shopify:sku:MUG-BLU'"
    ) == ("Home & Garden > Kitchen")


def test_reexport_with_changed_statuses_updates_orders(workspace: Path) -> None:
    sync(workspace, FIX / "orders_export_1.csv")
    sync(workspace, FIX / "orders_export_2.csv")
    assert scalar(workspace, "select count(*) from orders") == 8
    assert scalar(workspace, "select count(*) from order_items") == 11
    statuses = dict(rows(workspace, "select platform_order_id, status from orders"))
    assert (statuses["#2002"], statuses["#2006"], statuses["#2008"]) == (
        "paid",
        "cancelled",
        "completed",
    )
    assert scalar(workspace, "select paid_amount from orders where order_id = 'shopify:#2002'") == (
        Decimal("15.00")
    )
    assert scalar(workspace, "select sum(paid_amount) from orders") == Decimal("241.75")


def _sample_orders() -> list[dict[str, str]]:
    with open(
        SAMPLES / "shopify" / "orders_export_1.pseudonymized.csv", encoding="utf-8", newline=""
    ) as f:
        return list(csv.DictReader(f))


def test_real_samples_load_with_their_line_items(workspace: Path) -> None:
    report = sync(workspace, SAMPLES / "shopify")
    lines = _sample_orders()
    firsts = [r for r in lines if r["Financial Status"]]
    assert by_kind(report) == {"orders": (len(lines), len(lines), 0), "products": (21, 21, 0)}
    assert scalar(workspace, "select count(*) from orders") == len({r["Name"] for r in lines}) == 51
    assert scalar(workspace, "select count(*) from order_items") == len(lines) == 121
    assert scalar(workspace, "select sum(paid_amount) from orders") == sum(
        Decimal(r["Total"]) for r in firsts
    )
    assert scalar(workspace, "select sum(goods_amount) from orders") == sum(
        Decimal(r["Subtotal"]) for r in firsts
    )
    assert scalar(workspace, "select sum(quantity) from order_items") == sum(
        int(r["Lineitem quantity"]) for r in lines
    )
    assert scalar(workspace, "select sum(unit_price * quantity) from order_items") == sum(
        Decimal(r["Lineitem price"]) * int(r["Lineitem quantity"]) for r in lines
    )
    per_order = Counter(r["Name"] for r in lines)
    assert dict(
        rows(
            workspace,
            "select platform_order_id, count(*) from order_items join orders using (order_id) group by 1",
        )
    ) == dict(per_order)
    assert scalar(workspace, "select count(*) from orders where status = 'paid'") == 51
    assert scalar(workspace, "select count(*) from orders where paid_at is null") == 0
    assert scalar(workspace, "select count(*) from customers") == 2
    assert (
        scalar(workspace, "select count(*) from products where platform_product_id is not null")
        == 21
    )


def test_phone_only_buyer_is_keyed_by_phone(workspace: Path, tmp_path: Path) -> None:
    with open(FIX / "orders_export_1.csv", encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    first = dict.fromkeys(header, "")
    first.update(
        {
            "Name": "#3001",
            "Financial Status": "paid",
            "Fulfillment Status": "unfulfilled",
            "Currency": "USD",
            "Subtotal": "30.00",
            "Total": "30.00",
            "Created at": "2025-05-01 08:00:00 +0800",
            "Lineitem quantity": "1",
            "Lineitem name": "Canvas Cap",
            "Lineitem price": "15.00",
            "Phone": "'+8613900000001",
        }
    )
    second = {
        h: first[h] if h in {"Name", "Created at"} or h.startswith("Lineitem") else ""
        for h in header
    }
    path = tmp_path / "orders_export_9.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows([[first[h] for h in header], [second[h] for h in header]])
    sync(workspace, path)
    assert rows(workspace, "select customer_id, status, paid_amount from orders") == [
        ("shopify:phone:+8613900000001", "paid", Decimal("30.00"))
    ]
    assert rows(workspace, "select identifier_type, identifier_value from identities") == [
        ("phone", "+8613900000001")
    ]
    assert scalar(workspace, "select count(*) from order_items") == 2
