"""Time parts, periods, trends and per-order ratios said in everyday words (session 42, helper C):
按礼拜 (the week) beside 礼拜几 (the weekday), payments most concentrated in an hour, the Portuguese
hour asked, the period ranked first (哪个季度第一), Black Friday's weekend and 正月十五, the refund
rate by its own payment month, the paid orders' per-order ratios said with the orders first, each
line's pieces, a share asked per hundred orders and a share asked in percent. Values against
hand-written SQL (as the blind dev sets write them); each reading beside a look-alike that keeps
its own answer or stays refused."""

from __future__ import annotations

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql, sql_number


def _columns(ws: Workspace, question: str) -> list[str]:
    return list(answer(ws, question, "offline").main.columns)


def _column(ws: Workspace, question: str, name: str) -> list[object]:
    result = answer(ws, question, "offline").main
    at = list(result.columns).index(name)
    return [r[at] for r in result.rows]


# --- 礼拜: the week when said alone, the weekday as 礼拜几 (retail, today 2011-12-01) ---

_WEEKLY_INVOICES = (
    "SELECT count(*) FROM orders o WHERE o.created_at >= '2011-11-01'"
    " AND o.created_at < '2011-12-01' GROUP BY date_trunc('week', o.created_at)"
    " ORDER BY date_trunc('week', o.created_at)"
)


@pytest.mark.parametrize(
    "question",
    ["11月 按 礼拜 统计 发票 张数", "11月按礼拜统计发票张数", "11月分礼拜看发票数"],
)
def test_libai_alone_is_the_week(retail: Workspace, question: str) -> None:
    want = [r[0] for r in sql(retail, _WEEKLY_INVOICES)]
    assert "week" in _columns(retail, question), question
    assert _column(retail, question, "orders") == want, question


@pytest.mark.parametrize(
    "question",
    ["11月 按 礼拜几 统计 发票 张数", "11月按礼拜看哪天发票最多", "11月按星期统计发票张数"],
)
def test_weekday_words_keep_the_weekday(retail: Workspace, question: str) -> None:
    # look-alikes: 礼拜几, a day asked, 按星期 — the day of the week, never the week
    columns = _columns(retail, question)
    assert "day_of_week" in columns and "week" not in columns, question


# --- payments concentrated in an hour (demo, today 2025-06-01) ---

_TOP_PAID_HOUR = (
    "SELECT hour(o.paid_at) FROM orders o WHERE o.paid_at >= '2025-05-01' AND o.paid_at < "
    "'2025-06-01' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
)


@pytest.mark.parametrize(
    "question", ["上个月付款最集中的钟点", "上个月付款最频繁的是几点", "上个月几点付款最集中"]
)
def test_payments_most_concentrated_hour(demo: Workspace, question: str) -> None:
    assert "paid_orders" in _columns(demo, question), question
    assert rows(demo, question)[0][0] == sql_number(demo, _TOP_PAID_HOUR), question


def test_payments_most_said_is_not_read(demo: Workspace) -> None:
    # look-alike: 付款最多 (the money or the count?) is left refused
    refused(demo, "上个月付款最多的钟点")


# --- the hour asked in Portuguese (olist, today 2018-09-01) ---


@pytest.mark.parametrize(
    "question",
    [
        "Em que hora do dia entram mais pedidos em agosto?",
        "Em que hora entraram mais pedidos em agosto?",
        "Qual hora do dia teve mais pedidos em agosto?",
    ],
)
def test_portuguese_hour_of_most_orders(olist: Workspace, question: str) -> None:
    want = sql(
        olist,
        "SELECT hour(created_at), count(*) FROM orders WHERE created_at >= '2018-08-01'"
        " AND created_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )[0]
    got = rows(olist, question)
    assert len(got) == 1 and (got[0][0], got[0][-1]) == want, question


def test_orders_that_arrive_are_not_read(olist: Workspace) -> None:
    # look-alike: chegam (arrive: maybe delivered) stays unplaced
    refused(olist, "Em que hora do dia chegam mais pedidos em agosto?")


# --- the period ranked first (retail) ---


@pytest.mark.parametrize(
    "question",
    ["今年 按 季度 比 客户 人数 哪个 季度 第一", "今年各季度客户人数 哪一个季度排第一？"],
)
def test_quarter_ranked_first(retail: Workspace, question: str) -> None:
    want = sql(
        retail,
        "SELECT count(DISTINCT one_id) FROM orders WHERE one_id IS NOT NULL AND paid_at >= "
        "'2011-01-01' AND paid_at < '2011-12-01' GROUP BY quarter(paid_at) ORDER BY 1 DESC LIMIT 1",
    )[0][0]
    got = rows(retail, question)
    assert len(got) == 1 and got[0][-1] == want, question


def test_first_time_is_not_first_place(retail: Workspace) -> None:
    refused(retail, "今年哪个季度第一次有德国客户")


# --- Black Friday's weekend, 正月十五 ---

_BF_WEEKEND = (
    "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2017-11-24' AND paid_at < '2017-11-27'"
)


@pytest.mark.parametrize(
    "question",
    [
        "去年黑五那个周末（周五到周日）卖了多少",
        "去年黑五周末的销售额",
        "black friday weekend 2017 sales",
    ],
)
def test_black_friday_weekend(olist: Workspace, question: str) -> None:
    assert number(olist, question) == pytest.approx(sql_number(olist, _BF_WEEKEND), abs=0.01)


def test_black_friday_alone_is_the_day(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2017-11-24' AND paid_at < '2017-11-25'",
    )
    assert number(olist, "去年黑五卖了多少") == pytest.approx(want, abs=0.01)


@pytest.mark.parametrize("question", ["今年正月十五元宵节当天的营业额", "今年正月十五的营业额"])
def test_first_full_moon_is_the_lantern_festival(demo: Workspace, question: str) -> None:
    want = sql_number(
        demo,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2025-02-12' AND paid_at < '2025-02-13'",
    )
    assert number(demo, question) == pytest.approx(want, abs=0.01), question


# --- the refund rate by its own payment month (demo) ---


@pytest.mark.parametrize("question", ["今年按付款月份算的退款率走势", "今年按付款时间每月的退款率"])
def test_refund_rate_by_payment_month(demo: Workspace, question: str) -> None:
    plain = _column(demo, "今年每月的退款率", "refund_rate")
    assert _column(demo, question, "refund_rate") == plain, question


# --- visitors said with 人数 (demo) ---


@pytest.mark.parametrize("question", ["上个月 逐 日 的 访客 人数", "上个月每天的访问人数"])
def test_visitor_headcount(demo: Workspace, question: str) -> None:
    want = [
        r[0]
        for r in sql(
            demo,
            "SELECT count(DISTINCT user_key) FROM events WHERE event_time >= '2025-05-01'"
            " AND event_time < '2025-06-01' GROUP BY CAST(event_time AS DATE) ORDER BY"
            " CAST(event_time AS DATE)",
        )
    ]
    assert _column(demo, question, "visitors") == want, question


# --- the paid orders' per-order ratios said with the orders first ---

_LINES_PER_INVOICE = (
    "SELECT count(*) * 1.0 / count(DISTINCT o.order_id) FROM order_items i JOIN orders o"
    " ON o.order_id = i.order_id WHERE o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年付款发票平均每张列了几行明细",
        "今年发票平均每张有几行明细",
        "今年平均每张付款发票有几行明细",
    ],
)
def test_lines_per_paid_invoice(retail: Workspace, question: str) -> None:
    want = sql_number(retail, _LINES_PER_INVOICE)
    assert number(retail, question, -1) == pytest.approx(want, abs=0.01), question


@pytest.mark.parametrize(
    "question", ["11月每一行明细平均卖出几件", "11月每条明细平均卖了多少件", "11月平均每行明细几件"]
)
def test_units_per_line(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT sum(i.quantity) * 1.0 / count(*) FROM order_items i JOIN orders o ON"
        " o.order_id = i.order_id WHERE o.paid_at >= '2011-11-01' AND o.paid_at < '2011-12-01'",
    )
    assert number(retail, question, -1) == pytest.approx(want, abs=0.01), question


@pytest.mark.parametrize(
    "question",
    ["8月每张付款单平均包含几种不同的商品", "8月付款单平均每笔包含几种不同的商品"],
)
def test_products_per_paid_order(olist: Workspace, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT avg(n) FROM (SELECT o.order_id, count(DISTINCT coalesce(i.spu_id, i.product_id))"
        " AS n FROM order_items i JOIN orders o ON o.order_id = i.order_id WHERE o.paid_at >="
        " '2018-08-01' AND o.paid_at < '2018-09-01' GROUP BY 1)",
    )
    assert number(olist, question, -1) == pytest.approx(want, abs=0.01), question


def test_orders_first_before_money_keeps_its_reading(demo: Workspace) -> None:
    # look-alike: 最贵的那10%订单平均一单多少钱 — the top 10% orders' AOV, never a per-order count
    columns = _columns(demo, "上个月最贵的那10%订单平均一单多少钱")
    assert not any(c.endswith("_per_order") for c in columns), columns


def test_cancelled_orders_per_order_not_rewritten(olist: Workspace) -> None:
    # look-alike: the cancelled orders said with 每张 are not the paid orders' ratio
    refused(olist, "8月每张取消的订单平均几件")


# --- a share asked per hundred, and in percent ---

_CANCELLED_PER_100 = (
    "SELECT count(*) FILTER (WHERE status = 'cancelled') * 100.0 / count(*) FROM orders"
    " WHERE created_at >= '2018-07-01' AND created_at < '2018-08-01'"
)


@pytest.mark.parametrize(
    "question",
    ["7月每100张下单里有几张被取消", "7月每一百单里有几单被取消", "7月每100个订单里有多少个取消了"],
)
def test_cancelled_per_hundred(olist: Workspace, question: str) -> None:
    got = _column(olist, question, "orders__per_100")
    assert got[0] == pytest.approx(round(sql_number(olist, _CANCELLED_PER_100), 2), abs=0.005)


def test_share_without_per_hundred_has_no_per_column(olist: Workspace) -> None:
    columns = _columns(olist, "7月下单里有几成被取消")
    assert "orders__share" in columns and not any("per_" in c for c in columns)


_FREIGHT_PCT = (
    "SELECT sum(shipping_fee) * 100.0 / sum(paid_amount) FROM orders"
    " WHERE paid_at >= '2018-08-01' AND paid_at < '2018-09-01'"
)


@pytest.mark.parametrize(
    "question",
    ["8月 的 运费 占 实付 的 百分 之 几", "8月的运费占实付的百分之几", "8月运费占实付金额的百分比"],
)
def test_freight_share_in_percent(olist: Workspace, question: str) -> None:
    got = _column(olist, question, "sum_freight__pct")
    assert got[0] == pytest.approx(round(sql_number(olist, _FREIGHT_PCT), 2), abs=0.005)


def test_share_in_tenths_has_no_percent_column(olist: Workspace) -> None:
    columns = _columns(olist, "8月的运费占实付的几成")
    assert "sum_freight__share" in columns and "sum_freight__pct" not in columns
