"""Youzan (有赞): orders, order lines and customers exports, fixture and real redacted samples."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from tests.conftest import FIXTURES, SAMPLES
from tests.sync.helpers import by_kind, rows, scalar, sync

FIX = FIXTURES / "youzan"
ORDERS = FIX / "订单数据_20250107.csv"
ORDERS_LATER = FIX / "订单数据_20250110.csv"
ITEMS = FIX / "商品数据_20250107.csv"
CUSTOMERS = FIX / "客户数据_20250107.csv"


def test_fixture_loads_with_counts_amounts_and_statuses(workspace: Path) -> None:
    report = sync(workspace, ORDERS, ITEMS, CUSTOMERS)
    assert by_kind(report) == {
        "orders": (6, 6, 0),
        "order_items": (8, 8, 0),
        "customers": (4, 4, 0),
    }
    statuses = dict(rows(workspace, "select platform_order_id, status from orders"))
    assert statuses == {
        "E20250101100000000000001": "completed",
        "E20250102110000000000002": "paid",
        "E20250103120000000000003": "refunded",  # 交易关闭, paid, 订单已退款金额 300
        "E20250104130000000000004": "cancelled",  # 交易关闭, never paid
        "E20250105140000000000005": "shipped",
        "E20250106150000000000006": "pending",
    }
    assert scalar(workspace, "select sum(paid_amount) from orders") == Decimal("690.00")
    assert scalar(workspace, "select sum(refund_amount) from orders") == Decimal("300.00")
    # 实收 is 500 on the closed unpaid order: never counted as paid
    assert rows(
        workspace,
        "select paid_amount, paid_at from orders where platform_order_id = 'E20250104130000000000004'",
    ) == [(Decimal("0.00"), None)]
    assert rows(
        workspace,
        """select goods_amount, shipping_fee, discount_amount, province, payment_channel,
                  raw_payment_channel
           from orders where platform_order_id = 'E20250102110000000000002'""",
    ) == [(Decimal("200.00"), Decimal("10.00"), Decimal("20.00"), "北京市", "wechat", "微信支付")]
    assert scalar(workspace, "select count(*) from order_items") == 7  # the 运费 line is no item
    assert scalar(workspace, "select sum(paid_amount) from order_items") == Decimal("725.00")
    assert scalar(workspace, "select count(*) from products") == 6
    assert scalar(workspace, "select count(*) from products where title = '运费'") == 0
    assert rows(
        workspace,
        """select line_no, outer_code, quantity, unit_price, paid_amount from order_items
           where order_id = 'youzan:E20250102110000000000002' order by line_no""",
    ) == [
        (1, "SKU-B-8", 1, Decimal("120.00"), Decimal("112.00")),
        (2, "BREAD-C", 2, Decimal("40.00"), Decimal("73.00")),
    ]
    assert scalar(workspace, "select count(*) from orders where source_file_id is null") == 0
    assert scalar(workspace, "select count(*) from _quarantine") == 0


def test_fee_pseudo_item_becomes_shipping_in_either_order(tmp_path: Path) -> None:
    from shopql.warehouse.workspace import init_workspace

    results = []
    for name, files in (("a", [ORDERS, ITEMS]), ("b", [ITEMS, ORDERS])):
        ws = tmp_path / name
        init_workspace(ws)
        for f in files:
            sync(ws, f)
        results.append(
            rows(
                ws,
                """select goods_amount, shipping_fee, paid_amount, status from orders
                   where platform_order_id = 'E20250101100000000000001'""",
            )
        )
    # 商品金额合计 120.00 includes the 20.00 `运费` line; 运费 column says 0.00
    assert (
        results[0]
        == results[1]
        == [(Decimal("100.00"), Decimal("20.00"), Decimal("120.00"), "completed")]
    )


def test_placeholders_become_null_and_codes_lose_tabs(workspace: Path) -> None:
    sync(workspace, ORDERS, ITEMS)
    # 收货人省份 '-', 收货人城市 '——', 收货人地区 ' - '
    assert rows(
        workspace,
        "select province, city, district from orders where platform_order_id = 'E20250105140000000000005'",
    ) == [(None, None, None)]
    assert (
        scalar(workspace, "select payment_id from payments where order_id like '%0000000000001'")
        == "youzan:2501011000050000000001"
    )
    assert (
        scalar(workspace, "select count(*) from products where outer_code like chr(9) || '%'") == 0
    )
    assert rows(
        workspace,
        "select payment_channel, raw_payment_channel from orders where order_id like '%01'",
    ) == [("stored_value", "储值卡支付")]


def test_customers_keep_masked_phones_and_trailing_comma_header(workspace: Path) -> None:
    report = sync(workspace, ORDERS, CUSTOMERS)
    assert by_kind(report)["customers"] == (4, 4, 0)  # 35-cell header, 34-cell rows
    assert scalar(workspace, "select count(*) from customers") == 6
    masked = rows(
        workspace, "select phone, nick from customers where customer_id = 'youzan:nick:买家乙'"
    )
    assert masked == [("139****0102", "买家乙")]
    assert rows(
        workspace,
        "select identifier_value from identities where customer_id = 'youzan:nick:买家乙' "
        "and identifier_type = 'phone'",
    ) == [("139****0102",)]
    # '?' (emoji lost) and 匿名用户 are placeholders, not names
    assert rows(
        workspace, "select name, nick from customers where customer_id = 'youzan:13900000103'"
    ) == [(None, "顾客三")]
    assert (
        scalar(workspace, "select nick from customers where customer_id = 'youzan:13900000106'")
        is None
    )
    assert (
        scalar(
            workspace, "select member_level from customers where customer_id = 'youzan:13900000101'"
        )
        == "注册会员"
    )
    # a gift receiver's phone is recorded but is not a buyer identity
    assert rows(
        workspace,
        "select identifier_type from identities where identifier_value = '13900000999'",
    ) == [("receiver_phone",)]
    orders_customer = scalar(
        workspace,
        "select customer_id from orders where platform_order_id = 'E20250101100000000000001'",
    )
    assert orders_customer == "youzan:13900000101"


def test_reexport_with_changed_statuses_updates_orders(workspace: Path) -> None:
    sync(workspace, ORDERS, ITEMS)
    report = sync(workspace, ORDERS_LATER)
    assert report.files[0].status == "loaded"
    assert scalar(workspace, "select count(*) from orders") == 6
    statuses = dict(rows(workspace, "select platform_order_id, status from orders"))
    assert statuses["E20250102110000000000002"] == "shipped"
    assert statuses["E20250105140000000000005"] == "completed"
    assert statuses["E20250106150000000000006"] == "cancelled"
    assert (
        str(
            scalar(workspace, "select finished_at from orders where order_id like '%0000000000005'")
        )
        == "2025-01-08 09:00:00"
    )
    # the split of the `运费` line survives a newer orders export
    assert rows(
        workspace,
        "select goods_amount, shipping_fee from orders where order_id like '%0000000000001'",
    ) == [(Decimal("100.00"), Decimal("20.00"))]
    again = sync(workspace, ORDERS_LATER)
    assert again.files[0].status == "already synced"


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_real_samples_load_with_their_lines(workspace: Path) -> None:
    folder = SAMPLES / "youzan"
    report = sync(workspace, folder)
    assert by_kind(report) == {
        "orders": (8, 8, 0),
        "order_items": (9, 9, 0),
        "customers": (9, 9, 0),
    }
    orders = _read(folder / "订单数据.redacted-excerpt.csv")
    items = _read(folder / "商品数据.redacted-excerpt.csv")
    goods = [i for i in items if i["商品名称"] != "运费"]
    paid = sum(Decimal(o["订单实付金额"]) for o in orders if o["买家付款时间"].strip())
    assert scalar(workspace, "select count(*) from orders") == len(orders) == 8
    assert scalar(workspace, "select sum(paid_amount) from orders") == paid
    assert scalar(workspace, "select count(*) from order_items") == len(goods) == 8
    assert scalar(workspace, "select sum(paid_amount) from order_items") == sum(
        Decimal(i["商品实际成交金额"]) for i in goods
    )
    assert scalar(workspace, "select sum(quantity) from order_items") == sum(
        int(i["商品数量"]) for i in goods
    )
    fee = sum(Decimal(i["商品金额小计"]) for i in items if i["商品名称"] == "运费")
    assert scalar(workspace, "select sum(shipping_fee) from orders") == fee + sum(
        Decimal(o["运费"]) for o in orders
    )
    assert (
        scalar(
            workspace,
            "select status from orders where platform_order_id = 'E20260619112119000000003'",
        )
        == "refunded"
    )
    assert scalar(workspace, "select count(*) from customers where platform = 'youzan'") == 17
    assert scalar(
        workspace, "select phone from customers where customer_id = 'youzan:nick:昵称丙'"
    ) == ("138****0016")
