"""Douyin shop (抖店) connector: the 72-column 订单导出 (one row per sub-order, order fields
repeated), UTF-8 with BOM, "\\t" inside quoted ids, `-` for empty, encrypted receiver PII, per
sub-order statuses and amounts, and a re-export with changed statuses."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.conftest import FIXTURES
from tests.sync.helpers import rows as query
from tests.sync.helpers import sync

DOUYIN = FIXTURES / "douyin"
FIRST = DOUYIN / "抖店订单导出_20240410.csv"
LATER = DOUYIN / "抖店订单导出_20240415.csv"


def statuses(ws: Path) -> dict[str, str]:
    return {o[-1:]: s for o, s in query(ws, "select platform_order_id, status from orders")}


def test_sub_orders_become_orders_with_summed_amounts(workspace: Path) -> None:
    report = sync(workspace, FIRST)

    (result,) = report.files
    assert (result.source, result.kind, result.encoding) == ("douyin", "orders", "utf-8-sig")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (10, 9, 1)
    assert (result.tables["orders"], result.tables["order_items"]) == (7, 9)
    assert statuses(workspace) == {
        "1": "completed",
        "2": "paid",
        "3": "shipped",
        "4": "pending",
        "5": "cancelled",  # 已关闭, never paid
        "6": "refunded",  # 已关闭 after payment, 同意退款，退款成功
        "7": "completed",  # one sub-order completed, the other closed and refunded
    }
    assert query(
        workspace,
        "select count(*), sum(goods_amount), sum(shipping_fee), sum(discount_amount),"
        " sum(paid_amount), sum(refund_amount) from orders",
    ) == [
        (7, Decimal("3126.80"), Decimal("5.00"), Decimal("100.00"), Decimal("2917.80"), Decimal("538.00"))
    ]  # fmt: skip
    # two sub-orders: 1999 + 2 × 49 goods, 1899 + 98 payable; the 19-digit id exact after "\t…"
    assert query(
        workspace,
        "select order_id, goods_amount, paid_amount, finished_at::varchar, province, city"
        " from orders where platform_order_id = '6920000000000000001'",
    ) == [
        (
            "douyin:6920000000000000001",
            Decimal("2097.00"),
            Decimal("1997.00"),
            "2024-04-08 20:00:00",
            "江苏省",
            "苏州市",
        )
    ]
    # yyyy/MM/dd dates; "-" means empty
    assert query(
        workspace,
        "select created_at::varchar, finished_at from orders where platform_order_id like '%3'",
    ) == [("2024-04-03 10:00:00", None)]
    assert query(
        workspace, "select refund_amount, raw_status from orders where platform_order_id like '%7'"
    ) == [(Decimal("39.00"), "已关闭;已完成")]


def test_damaged_id_is_quarantined(workspace: Path) -> None:
    sync(workspace, FIRST)

    assert query(workspace, "select line, reason from _quarantine") == [
        (
            11,
            "order_no 6.92E+18 was turned into scientific notation by Excel;"
            " re-export the file without saving it in Excel",
        )
    ]


def test_lines_products_and_customers(workspace: Path) -> None:
    sync(workspace, FIRST)

    assert query(
        workspace,
        "select line_no, product_id, title, quantity, unit_price, paid_amount, refund_amount"
        " from order_items where order_id like '%0001' order by line_no",
    ) == [
        (1, "douyin:MZ-SOFA-3S", "北欧三人布艺沙发 浅灰色", 1, Decimal("1999.00"), Decimal("1899.00"), Decimal("0.00")),
        (2, "douyin:MZ-PILLOW-GRY", "棉麻抱枕 灰色 45x45cm", 2, Decimal("49.00"), Decimal("98.00"), Decimal("0.00")),
    ]  # fmt: skip
    assert query(workspace, "select count(*), count(outer_code) from products") == [(9, 8)]
    # one refund case per sub-order with a 售后状态
    assert query(workspace, "select refund_id, status, amount, reason from refunds order by 1") == [
        ("douyin:6920000000000000601", "success", Decimal("499.00"), "主品订单售后完成"),
        ("douyin:6920000000000000702", "success", Decimal("39.00"), "退款成功"),
    ]
    # encrypted receiver (##…, $$…$$): no customer; masked phones are kept as they are
    assert query(workspace, "select customer_id from orders where platform_order_id like '%2'") == [
        (None,)
    ]
    assert query(workspace, "select name, phone from customers order by phone") == [
        ("钱**", "135****0007"),
        ("王**", "137****0004"),
        ("李**", "138****1234"),
        ("张**", "13911112222"),
        ("赵**", "186****0006"),
    ]
    # orders 4 and 5 share receiver and masked phone: one customer
    assert query(
        workspace,
        "select count(distinct customer_id) from orders where platform_order_id similar to '.*[45]'",
    ) == [(1,)]
    assert query(workspace, "select count(*) from identities where identifier_type = 'phone'") == [
        (5,)
    ]


def test_re_export_with_changed_statuses_updates_orders(workspace: Path) -> None:
    sync(workspace, FIRST)
    report = sync(workspace, LATER)

    assert report.files[0].status == "loaded"
    assert statuses(workspace) == {
        "1": "completed",
        "2": "shipped",
        "3": "completed",
        "4": "paid",
        "5": "cancelled",
        "6": "refunded",
        "7": "completed",
    }
    assert query(workspace, "select count(*), sum(paid_amount) from orders") == [
        (7, Decimal("2942.80"))
    ]
    assert query(workspace, "select count(*) from order_items") == [(9,)]
    assert query(workspace, "select list(distinct source_file_id) from orders") == [([2],)]
