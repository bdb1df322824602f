"""Session 14, slice d (demo refusals and leftovers): lunar festivals (中秋, 端午 …), days of a month
said by number (上个月1号到7号), a festival's days said in brackets (618大促期间(6月1号到18号)), the
demo's card payments (刷卡), orders still waiting to ship, how far apart two values are (天猫比京东多卖了
多少, "how much more did A sell than B"), 卖了几个不同的款 (the count alone) and a share said with 是
(退款金额是销售额的百分之几) — each compared with hand-written SQL on the generated demo (seed 7, today
2025-06-01) and Online Retail (today 2011-12-01), in English and Chinese paraphrases written for
these tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from shopql.nlq.periods import lunar_day
from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql

MAY = "paid_at >= DATE '2025-05-01' AND paid_at < DATE '2025-06-01'"


def one(ws: Workspace, question: str) -> Any:
    got = rows(ws, question)
    assert len(got) == 1, got
    return got[0][0]


def close(a: Any, b: Any, places: int = 2) -> bool:
    return round(float(a), places) == round(float(b), places)


# --- lunar festivals ----------------------------------------------------------------------------


def test_lunar_days_table() -> None:
    import datetime as dt

    assert lunar_day("08-15", 2026) == dt.date(2026, 9, 25)  # 中秋
    assert lunar_day("05-05", 2025) == dt.date(2025, 5, 31)  # 端午
    assert lunar_day("01-15", 2025) == dt.date(2025, 2, 12)  # 元宵
    assert lunar_day("07-07", 2024) == dt.date(2024, 8, 10)  # 七夕
    assert lunar_day("08-15", 2040) is None


@pytest.mark.parametrize(
    "question",
    ["端午节那天卖了多少", "sales on the dragon boat festival", "2025端午当天的销售额"],
)
def test_dragon_boat_day(demo: Workspace, question: str) -> None:
    want = sql(
        demo,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= DATE '2025-05-31' "
        "AND paid_at < DATE '2025-06-01'",
    )[0][0]
    assert close(one(demo, question), want)


@pytest.mark.parametrize("question", ["元宵节的订单数", "how many orders on lantern festival"])
def test_lantern_festival_orders(demo: Workspace, question: str) -> None:
    want = sql(
        demo,
        "SELECT count(*) FROM orders WHERE created_at >= DATE '2025-02-12' "
        "AND created_at < DATE '2025-02-13'",
    )[0][0]
    assert one(demo, question) == want


# --- days of a month by number --------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "上个月1号到7号 几单",
        "上个月的1-7号有多少订单",
        "orders from the 1st to the 7th of last month",
        "上个月前7天的订单数",
    ],
)
def test_first_days_of_last_month(demo: Workspace, question: str) -> None:
    want = sql(
        demo,
        "SELECT count(*) FROM orders WHERE created_at >= DATE '2025-05-01' "
        "AND created_at < DATE '2025-05-08'",
    )[0][0]
    assert one(demo, question) == want


@pytest.mark.parametrize("question", ["上个月15号的销售额", "上个月10号到20号卖了多少"])
def test_days_inside_last_month(demo: Workspace, question: str) -> None:
    start, end = (
        ("2025-05-15", "2025-05-16") if "15号" in question else ("2025-05-10", "2025-05-21")
    )
    want = sql(
        demo,
        f"SELECT sum(paid_amount) FROM orders WHERE paid_at >= DATE '{start}' "
        f"AND paid_at < DATE '{end}'",
    )[0][0]
    assert close(one(demo, question), want)


def test_month_alone_is_unchanged(demo: Workspace) -> None:
    want = sql(demo, f"SELECT count(*) FROM orders WHERE {MAY.replace('paid_at', 'created_at')}")
    assert one(demo, "上个月订单数") == want[0][0]


# --- a festival's days said in brackets -----------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "双11大促期间(11月1号到11号)的订单数",
        "双十一(11.1-11.11)有多少单",
        "orders in 11.11 (11.1-11.11)",
    ],
)
def test_festival_range_in_brackets(demo: Workspace, question: str) -> None:
    want = sql(
        demo,
        "SELECT count(*) FROM orders WHERE created_at >= DATE '2024-11-01' "
        "AND created_at < DATE '2024-11-12'",
    )[0][0]
    assert one(demo, question) == want


def test_festival_without_brackets_is_its_day(demo: Workspace) -> None:
    want = sql(
        demo,
        "SELECT count(*) FROM orders WHERE created_at >= DATE '2024-11-11' "
        "AND created_at < DATE '2024-11-12'",
    )[0][0]
    assert one(demo, "双11大促期间的订单数") == want


# --- card payments, orders waiting to ship ---------------------------------------------------------


@pytest.mark.parametrize(
    "question", ["上个月 shopify 上刷卡付的有几单", "上个月shopify信用卡支付的订单数"]
)
def test_card_payments(demo: Workspace, question: str) -> None:
    want = sql(
        demo,
        "SELECT count(*) FROM orders WHERE created_at >= DATE '2025-05-01' AND created_at < "
        "DATE '2025-06-01' AND platform = 'shopify' AND payment_channel = 'card'",
    )[0][0]
    assert one(demo, question) == want


@pytest.mark.parametrize(
    "question",
    [
        "how many paid orders are still waiting to ship",
        "how many orders haven't shipped yet",
        "还没发货的订单有多少",
        "待发货的订单有几单",
    ],
)
def test_waiting_to_ship(demo: Workspace, question: str) -> None:
    want = sql(demo, "SELECT count(*) FROM orders WHERE status = 'paid'")[0][0]
    assert one(demo, question) == want


# --- how far apart two values are -----------------------------------------------------------------


def _platform_sales(ws: Workspace, where: str = "TRUE") -> dict[str, Decimal]:
    got = sql(
        ws,
        f"SELECT platform, sum(paid_amount) FROM orders WHERE paid_at IS NOT NULL AND {where} "
        "GROUP BY 1",
    )
    return {p: v for p, v in got}


@pytest.mark.parametrize(
    "question",
    [
        "上个月天猫比京东多卖了多少",
        "how much more did tmall sell than jd last month",
        "上个月天猫的销售额比京东多多少",
        "difference between tmall and jd sales last month",
        "上个月天猫跟京东的销售额相差多少",
    ],
)
def test_how_much_more(demo: Workspace, question: str) -> None:
    sales = _platform_sales(demo, MAY)
    got = rows(demo, question)
    assert len(got) == 1, got
    row = got[0]
    assert row[0] == "tmall" and row[2] == "jd"
    assert close(row[1], sales["tmall"]) and close(row[3], sales["jd"])
    assert close(row[4], sales["tmall"] - sales["jd"])


@pytest.mark.parametrize(
    "question",
    ["上个月京东比天猫少多少单", "how many fewer orders did jd have than tmall last month"],
)
def test_how_many_fewer(demo: Workspace, question: str) -> None:
    counts = dict(
        sql(
            demo,
            "SELECT platform, count(*) FROM orders WHERE created_at >= DATE '2025-05-01' "
            "AND created_at < DATE '2025-06-01' GROUP BY 1",
        )
    )
    got = rows(demo, question)
    assert len(got) == 1, got
    assert got[0][0] == "jd" and got[0][4] == counts["tmall"] - counts["jd"]


def test_two_values_joined_by_and_stay_their_total(demo: Workspace) -> None:
    sales = _platform_sales(demo)
    assert close(one(demo, "天猫和京东的销售额"), sales["tmall"] + sales["jd"])


def test_how_much_more_on_retail(retail: Workspace) -> None:
    got = rows(retail, "how much more did Germany sell than France in 2011")
    want = dict(
        sql(
            retail,
            "SELECT country, sum(paid_amount) FROM orders WHERE paid_at >= DATE '2011-01-01' "
            "AND paid_at < DATE '2012-01-01' AND country IN ('Germany', 'France') GROUP BY 1",
        )
    )
    assert len(got) == 1
    assert close(got[0][4], want["Germany"] - want["France"])
    assert rows(retail, "荷兰的销售额比比利时多多少")[0][0] == "Netherlands"


# --- the count alone, a share said with 是 ----------------------------------------------------------


@pytest.mark.parametrize(
    "question", ["今年卖了几个不同的款", "今年卖了几个不同的商品", "今年卖出多少种不同的商品"]
)
def test_distinct_products_sold_alone(demo: Workspace, question: str) -> None:
    want = sql(
        demo,
        "SELECT count(DISTINCT coalesce(i.spu_id, i.product_id)) FROM order_items i "
        "JOIN orders o ON o.order_id = i.order_id WHERE o.paid_at >= DATE '2025-01-01' "
        "AND o.paid_at < DATE '2025-06-02'",
    )[0][0]
    got = rows(demo, question)
    assert got == [(want,)], got


def test_units_sold_still_units(demo: Workspace) -> None:
    want = sql(
        demo,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "WHERE o.paid_at >= DATE '2025-01-01' AND o.paid_at < DATE '2025-06-02'",
    )[0][0]
    assert one(demo, "今年卖了多少件") == want


@pytest.mark.parametrize(
    "question",
    [
        "上个月运费是销售额的百分之几",
        "上个月运费相当于销售额的几成",
        "上个月运费占销售额的百分之几",
    ],
)
def test_share_said_with_is(demo: Workspace, question: str) -> None:
    freight, sales = sql(
        demo,
        f"SELECT sum(shipping_fee), sum(paid_amount) FROM orders WHERE {MAY}",
    )[0]
    got = rows(demo, question)
    assert len(got) == 1
    assert close(got[0][0], freight) and close(got[0][1], sales)
    assert close(got[0][-1], float(freight) / float(sales), 4)
    # asked in percent (百分之几): the percent shown beside the share (C, session 42)
    if "百分之" in question:
        assert close(got[0][2], 100 * float(freight) / float(sales), 2) and len(got[0]) == 4
    else:
        assert len(got[0]) == 3


# --- the bottom N said 排最后 / 垫底 ----------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "今年件数排最后的3个商品（卖过的）",
        "今年销量排最后的3个商品",
        "今年卖过的商品里销量最低的3个",
        "今年销量垫底的3个商品",
    ],
)
def test_bottom_three_products(demo: Workspace, question: str) -> None:
    want = sql(
        demo,
        "SELECT coalesce(i.spu_id, i.product_id), sum(i.quantity) FROM order_items i "
        "JOIN orders o ON o.order_id = i.order_id WHERE o.paid_at >= DATE '2025-01-01' "
        "AND o.paid_at < DATE '2025-06-02' AND i.product_id IS NOT NULL GROUP BY 1 "
        "HAVING sum(i.quantity) > 0 ORDER BY 2 ASC, 1 LIMIT 3",
    )
    got = rows(demo, question)
    assert [(r[0], r[-1]) for r in got] == want


# --- the share of the rows that meet one condition ------------------------------------------------


@pytest.mark.parametrize(
    "question,column",
    [
        ("share of last month's orders that used a discount", "discount_amount"),
        ("上个月有优惠的订单占比", "discount_amount"),
        ("上个月有优惠的订单占几成", "discount_amount"),
        ("上个月有运费的订单占比", "shipping_fee"),
    ],
)
def test_share_of_orders_with_a_condition(demo: Workspace, question: str, column: str) -> None:
    part, whole = sql(
        demo,
        f"SELECT count(*) FILTER (WHERE {column} > 0), count(*) FROM orders "
        "WHERE created_at >= DATE '2025-05-01' AND created_at < DATE '2025-06-01'",
    )[0]
    got = rows(demo, question)
    assert len(got) == 1
    assert got[0][0] == part and got[0][1] == whole
    assert close(got[0][2], part / whole, 4)


# --- over a round thousand said as a word ---------------------------------------------------------


@pytest.mark.parametrize(
    "question,amount",
    [
        ("今年单笔过千的订单有几单", 1000),
        ("今年过千的订单有几单", 1000),
        ("今年单笔破千的订单有多少", 1000),
        ("今年金额过万的订单有多少", 10000),
    ],
)
def test_orders_over_a_round_amount(demo: Workspace, question: str, amount: int) -> None:
    want = sql(
        demo,
        f"SELECT count(*) FROM orders WHERE paid_amount > {amount} "
        "AND created_at >= DATE '2025-01-01' AND created_at < DATE '2025-06-02'",
    )[0][0]
    assert one(demo, question) == want


# --- the refund rate by orders --------------------------------------------------------------------


@pytest.mark.parametrize(
    "question", ["上个月按单数算的退款率", "order refund rate last month", "上个月订单退款率"]
)
def test_refund_rate_by_orders(demo: Workspace, question: str) -> None:
    want = sql(
        demo,
        "WITH e AS (SELECT r.order_id, r.amount FROM refunds r WHERE r.status IS NULL OR "
        "lower(r.status) = 'success' UNION ALL SELECT o.order_id, o.refund_amount FROM orders o "
        "WHERE o.refund_amount <> 0 AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = "
        "o.order_id)) SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM e WHERE e.order_id = "
        "o.order_id AND e.amount > 0)) * 1.0 / count(*) FROM orders o "
        f"WHERE {MAY.replace('paid_at', 'o.paid_at')}",
    )[0][0]
    assert close(one(demo, question), want, 4)


def test_refund_rate_alone_stays_by_amount(demo: Workspace) -> None:
    got = rows(demo, "上个月退款率")
    assert len(got) == 1 and len(got[0]) == 1
