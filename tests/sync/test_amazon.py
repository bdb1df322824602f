"""Amazon "All Orders" flat file: TAB-separated, ISO dates with offsets, item-price a line total."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.conftest import FIXTURES
from tests.sync.helpers import by_kind, rows, scalar, sync

FIX = FIXTURES / "amazon"
FIRST = FIX / "All_Orders_2025-04-06.txt"
LATER = FIX / "All_Orders_by_last_update_2025-04-13.txt"


def test_fixture_loads_with_statuses_and_money(workspace: Path) -> None:
    report = sync(workspace, FIRST)
    assert by_kind(report) == {"all_orders": (7, 7, 0)}  # one ragged row, one lone " in a name
    assert dict(rows(workspace, "select platform_order_id, status from orders")) == {
        "111-0000001-0000001": "shipped",
        "111-0000002-0000002": "pending",
        "111-0000003-0000003": "cancelled",
        "111-0000004-0000004": "paid",  # Unshipped
        "404-0000005-0000005": "completed",  # Shipped - Delivered to Buyer
        "404-0000006-0000006": "refunded",  # Shipped - Returned to Seller
    }
    # 39.98 (2 units, line total) + 3.20 tax + 5.00 shipping - 2.00 promotion; the
    # cancelled brush on the shipped order is not paid for
    assert rows(
        workspace,
        """select goods_amount, shipping_fee, discount_amount, paid_amount, currency
           from orders where order_id = 'amazon:111-0000001-0000001'""",
    ) == [(Decimal("39.98"), Decimal("5.00"), Decimal("2.00"), Decimal("46.18"), "USD")]
    assert scalar(workspace, "select sum(paid_amount) from orders") == Decimal("1803.18")
    assert scalar(workspace, "select sum(refund_amount) from orders") == Decimal("433.00")
    assert rows(
        workspace,
        """select line_no, quantity, unit_price, paid_amount, refund_status from order_items
           where order_id = 'amazon:111-0000001-0000001' order by line_no""",
    ) == [
        (1, 2, Decimal("19.99"), Decimal("39.98"), None),
        (2, 1, Decimal("15.00"), Decimal("0.00"), "cancelled"),
    ]
    assert scalar(
        workspace,
        "select unit_price from order_items where order_id = 'amazon:404-0000005-0000005'",
    ) == Decimal("433.00")
    # pending orders have an empty price: NULL, not 0
    assert rows(
        workspace,
        "select unit_price, paid_amount from order_items where order_id = 'amazon:111-0000002-0000002'",
    ) == [(None, None)]
    assert scalar(
        workspace, "select title from products where product_id = 'amazon:B0TEST0004'"
    ) == ('Test 12" Pizza Pan')
    # ISO dates with offsets land in shop time (Asia/Shanghai)
    assert (
        str(
            scalar(
                workspace,
                "select created_at from orders where order_id = 'amazon:111-0000001-0000001'",
            )
        )
        == "2025-04-01 16:04:21"
    )
    assert (
        str(
            scalar(
                workspace,
                "select created_at from orders where order_id = 'amazon:404-0000005-0000005'",
            )
        )
        == "2025-04-04 12:30:00"
    )
    assert (
        scalar(workspace, "select count(*) from customers") == 0
    )  # no buyer identity in the report
    assert scalar(workspace, "select count(*) from orders where source_file_id is null") == 0
    assert dict(rows(workspace, "select shop_id, currency from shops")) == {
        "amazon:Amazon.com": "USD",
        "amazon:Amazon.in": "INR",
    }


def test_reexport_with_other_column_order_updates_orders(workspace: Path) -> None:
    sync(workspace, FIRST)
    report = sync(workspace, LATER)  # newer layout: extra columns, url gone, other order
    assert by_kind(report) == {"all_orders": (7, 7, 0)}
    assert scalar(workspace, "select count(*) from orders") == 6
    assert scalar(workspace, "select count(*) from order_items") == 7
    statuses = dict(rows(workspace, "select platform_order_id, status from orders"))
    assert statuses["111-0000002-0000002"] == "paid"
    assert statuses["111-0000004-0000004"] == "shipped"
    assert scalar(
        workspace, "select paid_amount from orders where order_id = 'amazon:111-0000002-0000002'"
    ) == Decimal("19.98")
    assert scalar(workspace, "select sum(paid_amount) from orders") == Decimal("1823.16")


def test_legacy_eu_file_in_windows_1252(workspace: Path) -> None:
    # bytes such as "ü" + "h" are also valid GB18030: the kind's encoding_fallback decides
    report = sync(workspace, FIX / "All_Orders_DE_legacy_2025-04-09.txt")
    assert report.files[0].encoding == "cp1252"
    assert by_kind(report) == {"all_orders": (2, 2, 0)}
    assert rows(workspace, "select city, currency, paid_amount from orders order by 1") == [
        ("Düsseldorf", "EUR", Decimal("29.90")),
        ("Köln", "EUR", Decimal("39.80")),
    ]
    assert scalar(workspace, "select title from order_items where sku_id = 'TD-L'") == (
        "Tischdecke Größe L"
    )


def test_iso_times_in_utc_written_with_z_land_in_shop_time(workspace: Path, tmp_path: Path) -> None:
    """'2025-04-01T08:04:21Z' is the same instant as '+00:00' (was rejected: not a date/time)."""
    zulu = tmp_path / "All_Orders_2025-04-06.txt"
    text = FIRST.read_text(encoding="utf-8")
    zulu.write_text(
        text.replace("T08:04:21+00:00", "T08:04:21Z").replace("T12:00:00+00:00", "T12:00:00.250z"),
        encoding="utf-8",
    )
    report = sync(workspace, zulu)
    assert by_kind(report) == {"all_orders": (7, 7, 0)}
    assert rows(
        workspace,
        """select platform_order_id, created_at::VARCHAR from orders
           where platform_order_id in ('111-0000001-0000001', '111-0000003-0000003')
           order by 1""",
    ) == [
        ("111-0000001-0000001", "2025-04-01 16:04:21"),
        ("111-0000003-0000003", "2025-04-02 20:00:00.25"),
    ]
