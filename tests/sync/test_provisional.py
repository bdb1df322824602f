"""Provisional mappings (Kuaishou, WeChat Shop, WooCommerce): each loads a fixture written from
the documented headers, and each says in its header comment that it is provisional and why."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from shopql.sync.registry import builtin_sources
from tests.conftest import FIXTURES
from tests.sync.helpers import by_kind, rows, scalar, sync


@pytest.mark.parametrize("name", ["kuaishou", "wechat_shop", "woocommerce"])
def test_mapping_is_marked_provisional_and_registered(name: str) -> None:
    text = resources.files("shopql.sync.sources").joinpath(f"{name}.yaml").read_text("utf-8")
    head = text.split("\nsource:")[0]
    assert "PROVISIONAL" in head and "Why provisional" in head
    assert "Status mapping" in head
    assert name in {s.name for s in builtin_sources()}


def test_kuaishou_orders_and_after_sales(workspace: Path) -> None:
    report = sync(workspace, FIXTURES / "kuaishou")
    assert by_kind(report) == {"orders": (5, 5, 0), "after_sales": (2, 2, 0)}
    assert dict(rows(workspace, "select platform_order_id, status from orders")) == {
        "2503010000000001": "completed",
        "2503010000000002": "paid",
        "2503010000000003": "refunded",  # 交易关闭, paid, refunded 15.00
        "2503010000000004": "pending",
    }
    assert scalar(workspace, "select sum(paid_amount) from orders") == Decimal("140.00")
    assert scalar(workspace, "select count(*) from order_items") == 5
    assert rows(
        workspace,
        "select paid_at, province from orders where order_id = 'kuaishou:2503010000000004'",
    ) == [(None, None)]  # '-' and empty cells are NULL
    assert (
        scalar(
            workspace, "select province from orders where order_id = 'kuaishou:2503010000000001'"
        )
        == "浙江省"
    )
    assert dict(rows(workspace, "select refund_id, status from refunds")) == {
        "kuaishou:AS250301000001": "success",
        "kuaishou:AS250301000002": "closed",
    }
    assert scalar(workspace, "select count(*) from customers") == 3


def test_wechat_shop_orders_with_repeated_order_fields(workspace: Path) -> None:
    report = sync(workspace, FIXTURES / "wechat_shop")
    assert by_kind(report) == {"orders": (5, 4, 1)}
    assert rows(workspace, "select line, reason from _quarantine") == [
        (
            6,
            "order_no 3.72995E+18 was turned into scientific notation by Excel; "
            "re-export the file without saving it in Excel",
        )
    ]
    assert dict(rows(workspace, "select platform_order_id, status from orders")) == {
        "3729946591347487488": "completed",  # 19 digits kept exactly
        "3729946591347487499": "refunded",  # 已取消 after payment, 60.00 refunded
        "3729946591347487500": "paid",
    }
    # order money once per order (it repeats on both lines of the first order)
    assert rows(
        workspace,
        """select goods_amount, discount_amount, shipping_fee, paid_amount from orders
           where order_id = 'wechat_shop:3729946591347487488'""",
    ) == [(Decimal("120.00"), Decimal("10.00"), Decimal("8.00"), Decimal("118.00"))]
    assert scalar(workspace, "select sum(paid_amount) from orders") == Decimal("238.00")
    assert scalar(workspace, "select count(*) from order_items") == 4
    # only a complete receiver phone keys a customer; the masked one does not
    assert rows(workspace, "select customer_id, phone from customers") == [
        ("wechat_shop:13700000001", "13700000001")
    ]


def test_woocommerce_three_layouts(workspace: Path) -> None:
    report = sync(workspace, FIXTURES / "woocommerce")
    assert by_kind(report) == {
        "analytics_orders": (6, 6, 0),
        "products": (3, 3, 0),
        "orders": (3, 3, 0),
    }
    assert dict(rows(workspace, "select platform_order_id, status from orders")) == {
        "1001": "completed",
        "1002": "paid",  # processing
        "1003": "pending",  # on-hold
        "1004": "refunded",
        "1006": "cancelled",  # failed
        "5001": "completed",
        "5002": "paid",  # wc-processing
        "5003": "pending",
    }
    assert rows(workspace, "select order_id, amount from refunds") == [
        ("woocommerce:1005", Decimal("12.50"))
    ]
    assert scalar(workspace, "select sum(paid_amount) from orders") == Decimal("130.00")
    # line items unpacked from line_item_N cells
    assert rows(
        workspace,
        """select order_id, line_no, product_id, outer_code, quantity, unit_price, paid_amount
           from order_items order by order_id, line_no""",
    ) == [
        (
            "woocommerce:5001",
            1,
            "woocommerce:30977",
            "MUG-B",
            2,
            Decimal("12.50"),
            Decimal("25.00"),
        ),
        (
            "woocommerce:5001",
            2,
            "woocommerce:30981",
            "+TOWEL-RED",
            1,
            Decimal("12.00"),
            Decimal("12.00"),
        ),
        (
            "woocommerce:5002",
            1,
            "woocommerce:30977",
            "MUG-B",
            1,
            Decimal("12.50"),
            Decimal("10.00"),
        ),
        (
            "woocommerce:5003",
            1,
            "woocommerce:30981",
            "+TOWEL-RED",
            1,
            Decimal("8.00"),
            Decimal("8.00"),
        ),
    ]
    # decimal comma, `'` formula escape, "Parent > Child" categories, header with commas
    assert rows(
        workspace, "select product_id, outer_code, category, list_price from products order by 1"
    ) == [
        ("woocommerce:30977", "MUG-B", "Kitchen", Decimal("12.50")),
        ("woocommerce:30980", "TOWEL", "Textiles", None),
        ("woocommerce:30981", "+TOWEL-RED", None, Decimal("8.00")),
    ]
    assert rows(
        workspace,
        """select identifier_type, identifier_value from identities
           where customer_id = 'woocommerce:ann@example.com' order by 1""",
    ) == [
        ("email", "ann@example.com"),
        ("phone", "+33100000001"),
        ("platform_user", "woocommerce:12"),
    ]
    assert (
        scalar(workspace, "select count(*) from identities where identifier_type = 'platform_user'")
        == 1
    )
