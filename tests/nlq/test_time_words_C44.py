"""Periods, grains and states said in everyday Chinese (session 44, helper C): 七夕情人节 is one
day (七夕, not 七夕 and Valentine's Day); a grain said by repeating its unit (一天一天看, 一 天 一 天,
一个月一个月); orders placed in a period and unpaid up to today (8月份下单之后到现在都没付钱的单子:
the period is the month, 到现在 says the state is today's); the visitors who came to look at the
products (来逛商品的访客) are the viewers. Values against hand-written SQL (as the blind dev set
W39 writes them); each reading beside a look-alike that keeps its own answer or stays refused."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, rows, sql, sql_number

# --- 七夕情人节: one day, the lunar 7/7 (w39d32) ---

_GMV_ON = (
    "SELECT coalesce(sum(paid_amount), 0) FROM orders WHERE paid_at >= '{a}' AND paid_at < '{b}'"
)


@pytest.mark.parametrize(
    "question",
    ["去年七夕情人节当天进账多少", "去年七夕情人节那天卖了多少钱", "去年七夕情人节的营业额"],
)
def test_qixi_valentine_is_one_day(demo: Workspace, question: str) -> None:
    # the demo's today is 2025-06-01: 去年 is 2024, whose 七夕 is 10 August
    want = sql_number(demo, _GMV_ON.format(a="2024-08-10", b="2024-08-11"))
    assert number(demo, question, -1) == want


def test_valentine_alone_keeps_14_february(demo: Workspace) -> None:
    # look-alike: 情人节 alone is Valentine's Day
    want = sql_number(demo, _GMV_ON.format(a="2024-02-14", b="2024-02-15"))
    assert number(demo, "去年情人节当天进账多少", -1) == want


def test_qixi_and_valentine_stay_two_days(demo: Workspace) -> None:
    # look-alike: the two festivals said apart are two periods, side by side
    assert len(rows(demo, "去年七夕和情人节的营业额")) == 2


# --- a grain said by repeating its unit (w39d42) ---

_REFUNDS_BY_DAY = (
    "SELECT CAST(e.refunded_at AS DATE) AS day, sum(e.amount) FROM (SELECT r.amount,"
    " coalesce(r.finished_at, r.requested_at, o.paid_at, o.created_at) AS refunded_at FROM refunds r"
    " LEFT JOIN orders o ON o.order_id = r.order_id WHERE r.status IS NULL OR lower(r.status) ="
    " 'success' UNION ALL SELECT o.refund_amount, coalesce(o.paid_at, o.created_at) FROM orders o"
    " WHERE o.refund_amount <> 0 AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id ="
    " o.order_id)) e WHERE e.refunded_at >= '2025-05-01' AND e.refunded_at < '2025-06-01'"
    " GROUP BY 1 ORDER BY 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "上个月 一 天 一 天 看 退出去 多少 钱",
        "上个月一天一天看退款金额",
        "上个月一天天地看退了多少钱",
    ],
)
def test_day_by_day_is_the_daily_series(demo: Workspace, question: str) -> None:
    want = {(str(d), round(float(v), 2)) for d, v in sql(demo, _REFUNDS_BY_DAY)}
    got = {(str(r[0])[:10], round(float(r[-1]), 2)) for r in rows(demo, question) if r[-1]}
    assert got == want and len(want) > 3  # the days with refunds (the days without show 0)


def test_month_by_month_is_the_monthly_series(demo: Workspace) -> None:
    got = rows(demo, "今年一个月一个月看订单数")
    assert len(got) == 5  # January to May 2025


def test_one_day_stays_one_day(demo: Workspace) -> None:
    # look-alike: 一天 alone is not a grain; 双十一那一天天猫 is not 一天天
    got = rows(demo, "去年双十一那一天天猫的营业额")
    want = sql_number(
        demo,
        "SELECT coalesce(sum(paid_amount), 0) FROM orders WHERE platform = 'tmall' AND paid_at >="
        " '2024-11-11' AND paid_at < '2024-11-12'",
    )
    assert len(got) == 1 and float(got[0][-1]) == want


# --- placed in a period, unpaid up to today (w39o03) ---

_UNPAID = "SELECT count(*) FROM orders WHERE paid_at IS NULL AND created_at >= '{a}' AND created_at < '{b}'"


@pytest.mark.parametrize(
    "question",
    [
        "8月份下单之后到现在都没付钱的单子数",
        "8月下单后到现在还没付款的订单数",
        "8月下单以后至今还没付款的订单有几个",
    ],
)
def test_placed_then_unpaid_to_now(olist: Workspace, question: str) -> None:
    assert number(olist, question) == sql_number(
        olist, _UNPAID.format(a="2018-08-01", b="2018-09-01")
    )


@pytest.mark.parametrize(
    "question", ["7月下单到现在还没付款的订单数", "7月份下单之后到现在都没付钱的单子数"]
)
def test_an_earlier_month_is_the_month_alone(olist: Workspace, question: str) -> None:
    # July's orders still unpaid: not July to today (August's orders are not July's)
    assert number(olist, question) == sql_number(
        olist, _UNPAID.format(a="2018-07-01", b="2018-08-01")
    )


def test_placed_to_today_gap_keeps_its_reading(olist: Workspace) -> None:
    # look-alike: 下单到今天 with no 没 after it is the days since the last order
    got = rows(olist, "RR州的买家最近一次下单到今天隔了多少天")
    assert len(got) == 1 and float(got[0][0]) > 0


# --- the visitors who came to look at the products: the viewers (w39d15) ---

_VIEWERS_BY_HOUR = (
    "SELECT hour(event_time), count(DISTINCT user_key) FROM events WHERE event_type = 'view' AND"
    " event_time >= '2025-01-01' AND event_time < '2025-06-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
)


@pytest.mark.parametrize(
    "question",
    ["今年哪个钟点来逛商品的访客最多", "今年几点钟来逛店的人最多", "今年哪个小时逛宝贝的访客最多"],
)
def test_browsing_visitors_are_the_viewers(demo: Workspace, question: str) -> None:
    hour, viewers = sql(demo, _VIEWERS_BY_HOUR)[0]
    got = rows(demo, question)
    assert int(got[0][0]) == hour and float(got[0][-1]) == viewers


def test_all_visitors_keep_their_reading(demo: Workspace) -> None:
    # look-alike: 访客 with no browsing said is every visitor (any event)
    want = sql(
        demo,
        "SELECT hour(event_time), count(DISTINCT user_key) FROM events WHERE event_time >="
        " '2025-01-01' AND event_time < '2025-06-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )[0]
    got = rows(demo, "今年哪个钟点的访客最多")
    assert int(got[0][0]) == want[0] and float(got[0][-1]) == want[1]
