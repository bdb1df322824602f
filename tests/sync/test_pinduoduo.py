"""Pinduoduo connector: the 82-column 订单导出 with \\t-padded cells, a lone \\t for empty, GBK then
UTF-8-with-BOM re-export with full-width （元） headers, combined fulfilment/refund statuses."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.conftest import FIXTURES
from tests.sync.helpers import rows as query
from tests.sync.helpers import sync

PDD = FIXTURES / "pinduoduo"


def statuses(ws: Path) -> dict[str, str]:
    return {o[-1:]: s for o, s in query(ws, "select platform_order_id, status from orders")}


def test_gbk_export_with_tab_padding(workspace: Path) -> None:
    report = sync(workspace, PDD / "orders_export_20240306.csv")

    (result,) = report.files
    assert (result.source, result.kind, result.encoding) == ("pinduoduo", "orders", "gb18030")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (7, 7, 0)
    assert statuses(workspace) == {
        "1": "paid",
        "2": "shipped",  # 已发货，待签收
        "3": "completed",
        "4": "pending",
        "5": "cancelled",  # cancelled, never paid
        "6": "refunded",  # 已取消 after payment, 售后 退款成功
        "7": "refunded",  # 已发货，退款成功
    }
    assert query(
        workspace,
        "select count(*), sum(goods_amount), sum(shipping_fee), sum(discount_amount),"
        " sum(paid_amount), sum(refund_amount) from orders",
    ) == [
        (7, Decimal("2244.00"), Decimal("10.00"), Decimal("35.00"), Decimal("2135.00"), Decimal("578.00"))
    ]  # fmt: skip
    # \t-padded order number kept exact; 1,299.00 parsed; yyyy/M/d H:mm dates
    assert query(
        workspace,
        "select order_id, platform, paid_amount, created_at::varchar, finished_at::varchar,"
        " province from orders where platform_order_id = '240302-100000000000003'",
    ) == [
        (
            "pdd:240302-100000000000003",
            "pinduoduo",
            Decimal("1299.00"),
            "2024-03-02 09:05:00",
            "2024-03-09 10:00:00",
            "上海市",
        )
    ]
    # a lone \t in 支付时间 is empty
    assert query(workspace, "select paid_at from orders where platform_order_id like '%004'") == [
        (None,)
    ]
    # 订单成交时间 blank: created_at falls back to the payment time
    assert query(
        workspace, "select created_at::varchar from orders where platform_order_id like '%007'"
    ) == [("2024-03-05 08:00:00",)]


def test_items_products_and_the_few_customers(workspace: Path) -> None:
    sync(workspace, PDD / "orders_export_20240306.csv")

    assert query(
        workspace,
        "select right(order_id, 1), line_no, product_id, outer_code, title, quantity, unit_price,"
        " paid_amount from order_items order by 1",
    )[:2] == [
        ("1", 1, "pdd:MZ-PILLOW-GRY", "MZ-PILLOW-GRY", "北欧风抱枕 灰色 45x45cm", 2, Decimal("99.00"), Decimal("183.00")),
        ("2", 1, "pdd:MZ-BOX-01", "MZ-BOX-01", "收纳盒三件套", 3, Decimal("25.00"), Decimal("75.00")),
    ]  # fmt: skip
    # no 商家编码-规格维度: the product-level seller code keys the product
    assert query(workspace, "select product_id from order_items where order_id like '%007'") == [
        ("pdd:MZ-RUG",)
    ]
    assert query(workspace, "select count(*) from products") == [(6,)]
    assert query(workspace, "select refund_id, status, amount from refunds order by 1") == [
        ("pdd:240304-100000000000006", "success", Decimal("89.00")),
        ("pdd:240305-100000000000007", "success", Decimal("489.00")),
    ]
    # only a full phone, or a masked one together with the receiver's name, makes an account (a
    # masked phone alone would lump strangers together); no phone in any key column
    assert query(
        workspace, "select phone, province, customer_id like '%1370000%' from customers order by 1"
    ) == [("13700007777", "上海市", False)]
    assert query(workspace, "select count(*) from orders where customer_id is not null") == [(1,)]
    assert query(
        workspace, "select identifier_type, identifier_value from identities order by 2"
    ) == [
        ("phone", "13700007777"),
    ]


def test_re_export_in_utf8_with_full_width_headers_updates_orders(workspace: Path) -> None:
    sync(workspace, PDD / "orders_export_20240306.csv")
    report = sync(workspace, PDD / "orders_export_20240310.csv")

    (result,) = report.files
    assert (result.status, result.encoding, result.rows_loaded) == ("loaded", "utf-8-sig", 7)
    assert statuses(workspace) == {
        "1": "shipped",  # 已发货，待收货
        "2": "completed",
        "3": "completed",
        "4": "paid",
        "5": "cancelled",
        "6": "refunded",
        "7": "refunded",
    }
    # headers with （元） matched the same fields
    assert query(workspace, "select count(*), sum(goods_amount), sum(paid_amount) from orders") == [
        (7, Decimal("2244.00"), Decimal("2194.00"))
    ]
    assert query(workspace, "select count(*) from order_items") == [(7,)]
