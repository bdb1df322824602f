"""Periods, grains and states said in everyday Chinese (session 44, helper C): 七夕情人节 is one
day (七夕, not 七夕 and Valentine's Day); a grain said by repeating its unit (一天一天看, 一 天 一 天,
一个月一个月); orders placed in a period and unpaid up to today (8月份下单之后到现在都没付钱的单子:
the period is the month, 到现在 says the state is today's); the visitors who came to look at the
products (来逛商品的访客) are the viewers. Values against hand-written SQL (as the blind dev set
W39 writes them); each reading beside a look-alike that keeps its own answer or stays refused."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql, sql_number

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


# --- the C invoices' refunded money, ranked (w39r13) ---

_REFUND_BY_MONTH = (
    "SELECT month(created_at), sum(refund_amount) FROM orders WHERE raw_status = 'cancellation"
    " invoice' AND created_at >= '2011-01-01' AND created_at < '2011-12-01' GROUP BY 1 ORDER BY 2"
    " DESC LIMIT 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年C字头发票退钱退得最凶的是哪个月",
        "今年C发票退款退得最多的是哪个月",
        "今年红字发票退的钱退得最狠的月份",
    ],
)
def test_c_invoices_refunded_money_by_month(retail: Workspace, question: str) -> None:
    month, amount = sql(retail, _REFUND_BY_MONTH)[0]
    got = rows(retail, question)
    assert int(str(got[0][0])[5:7]) == month
    assert round(float(got[0][1]), 2) == round(float(amount), 2)
    assert len(got[0]) == 2  # the money alone, not the count of returns beside it


def test_c_invoices_counted_keep_their_reading(retail: Workspace) -> None:
    # look-alike: the C invoices counted (no money said) are the return invoices counted
    got = rows(retail, "今年C字头发票最多的是哪个月")
    assert "returned_orders" in str(answer_columns(retail, "今年C字头发票最多的是哪个月"))
    assert len(got) >= 1


def answer_columns(ws: Workspace, question: str) -> list[str]:
    from shopql.nlq.answer import answer

    return list(answer(ws, question, "offline").main.columns)


# --- shrank the most against another period (w39d28) ---

_PLATFORM_CHANGE = (
    "SELECT platform, coalesce(sum(paid_amount) FILTER (WHERE paid_at >= '2025-05-01'), 0) -"
    " coalesce(sum(paid_amount) FILTER (WHERE paid_at < '2025-05-01'), 0) AS change FROM orders"
    " WHERE paid_at >= '2025-04-01' AND paid_at < '2025-06-01' GROUP BY 1 ORDER BY 2 ASC"
)


@pytest.mark.parametrize(
    "question",
    [
        "上个月跟4月比营业额缩水最厉害的平台",
        "上个月营业额环比缩水最多的平台",
        "上个月比4月营业额萎缩得最厉害的平台",
    ],
)
def test_shrank_the_most_is_the_largest_fall(demo: Workspace, question: str) -> None:
    changes = sql(demo, _PLATFORM_CHANGE)
    same = rows(demo, "上个月跟4月比营业额跌得最多的平台") if changes[0][1] < 0 else None
    if same is None:  # nothing fell: refused, as 跌得最多 is
        refused(demo, question)
        return
    got = rows(demo, question)
    assert got == same and got[0][0] == changes[0][0]


def test_shrank_is_not_the_largest_figure(demo: Workspace) -> None:
    # look-alike: the largest figure (no change asked) keeps its reading
    want = sql(
        demo,
        "SELECT platform FROM orders WHERE paid_at >= '2025-05-01' AND paid_at < '2025-06-01'"
        " GROUP BY 1 ORDER BY sum(paid_amount) DESC LIMIT 1",
    )[0][0]
    assert rows(demo, "上个月营业额最高的平台")[0][0] == want


# --- the first quarters listed; the freight said as money coming in (w39o13) ---

_FREIGHT_BY_QUARTER = (
    "SELECT quarter(created_at), sum(shipping_fee) FROM orders WHERE created_at >= '2018-01-01'"
    " AND created_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年一二三季度里哪一季的运费进账最高",
        "今年一、二、三季度哪个季度运费最高",
        "今年第一到第三季度哪个季度的运费最多",
        "今年1-3季度里哪个季度运费最多",
    ],
)
def test_first_three_quarters_listed(olist: Workspace, question: str) -> None:
    quarter, freight = sql(olist, _FREIGHT_BY_QUARTER)[0]
    got = rows(olist, question)
    assert str(got[0][0])[5:7] == f"{(quarter - 1) * 3 + 1:02d}"
    assert round(float(got[0][-1]), 2) == round(float(freight), 2)
    assert len(got[0]) == 2  # the freight alone, not the payments beside it


def test_first_two_quarters_listed(olist: Workspace) -> None:
    want = sql(
        olist,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2018-01-01' AND paid_at <"
        " '2018-07-01' GROUP BY quarter(paid_at) ORDER BY quarter(paid_at)",
    )
    got = rows(olist, "今年一二季度每个季度的营业额")
    assert [float(r[-1]) for r in got] == [float(v) for (v,) in want]
    # look-alike: 一二季度 with no quarter asked of it (the span? each?) stays refused
    refused(olist, "今年一二季度的销售额")


def test_quarters_compared_keep_their_reading(olist: Workspace) -> None:
    # look-alike: two quarters named apart and compared stay two rows
    assert len(rows(olist, "今年一季度和二季度的营业额对比")) == 2


def test_freight_coming_in_is_the_freight(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT sum(shipping_fee) FROM orders WHERE created_at >= '2018-01-01' AND created_at <"
        " '2018-09-01'",
    )
    assert number(olist, "今年运费进账多少") == want
    assert number(olist, "今年进账的运费多少") == want


# --- which took more money, said with 收 (w39r11) ---

_HALVES = (
    "SELECT CASE WHEN hour(paid_at) < 12 THEN 1 ELSE 2 END, sum(paid_amount) FROM orders WHERE"
    " paid_at >= '2011-11-01' AND paid_at < '2011-12-01' GROUP BY 1 ORDER BY 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "11月上午和下午开的发票哪个收的钱多",
        "11月上午还是下午收到的钱更多",
        "11月上午跟下午哪个收的钱少",
    ],
)
def test_money_taken_by_half_day(retail: Workspace, question: str) -> None:
    want = [round(float(v), 2) for _, v in sql(retail, _HALVES)]
    got = [round(float(r[-1]), 2) for r in rows(retail, question)]
    assert got == want  # both halves, side by side


def test_money_taken_most_ranks(retail: Workspace) -> None:
    want = sql(
        retail,
        "SELECT country FROM orders WHERE paid_at >= '2011-01-01' AND paid_at < '2011-12-01'"
        " GROUP BY 1 ORDER BY sum(paid_amount) DESC LIMIT 1",
    )[0][0]
    assert rows(retail, "今年哪个国家收的钱最多")[0][0] == want


def test_money_taken_how_much_is_one_figure(retail: Workspace) -> None:
    # look-alike: 收的钱多少 asks how much, not which took more
    want = sql_number(
        retail,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2011-11-01' AND paid_at < '2011-12-01'",
    )
    assert number(retail, "11月收的钱多少") == want


# --- two abutting periods, the later to today, set side by side (w39r10) ---


@pytest.mark.parametrize(
    "question",
    [
        "今年 1到6月 跟 7月 以后 开 的 退货单 张数 对比",
        "今年1到6月和7月以后的退货单数比较",
        "今年1到6月 vs 7月以后 退货单数",
    ],
)
def test_first_half_against_after_june(retail: Workspace, question: str) -> None:
    want = [
        float(v)
        for v in (
            number(retail, "今年1到6月的退货单数"),
            number(retail, "今年7月以后的退货单数"),
        )
    ]
    got = [float(r[1]) for r in rows(retail, question)]
    assert got == want and want[0] > 0


@pytest.mark.parametrize(
    "question", ["今年1到6月跟7月到10月的退货单数对比", "今年1到6月跟7月以后的退货单数"]
)
def test_periods_not_to_today_or_not_compared_stay_refused(
    retail: Workspace, question: str
) -> None:
    # look-alikes: the later stops before today; no side-by-side word said
    refused(retail, question)


# --- minutes (hours) said with the two events after them (w39d21) ---

_PAY_MINUTES = (
    "SELECT {agg}(date_diff('second', created_at, paid_at) / 60.0) FROM orders WHERE paid_at IS"
    " NOT NULL AND created_at >= '2025-05-01' AND created_at < '2025-06-01'"
)


@pytest.mark.parametrize(
    ("question", "agg"),
    [
        ("Last month, median minutes between placing an order and paying for it?", "median"),
        ("Last month, average minutes from placing an order to paying?", "avg"),
        ("median minutes between ordering and payment last month", "median"),
    ],
)
def test_minutes_between_two_events(demo: Workspace, question: str, agg: str) -> None:
    want = sql_number(demo, _PAY_MINUTES.format(agg=agg))
    assert number(demo, question) == pytest.approx(want, abs=0.01)


def test_hours_between_two_events(demo: Workspace) -> None:
    want = sql_number(
        demo,
        "SELECT median(date_diff('second', paid_at, shipped_at) / 3600.0) FROM orders WHERE"
        " shipped_at IS NOT NULL AND paid_at >= '2025-05-01' AND paid_at < '2025-06-01'",
    )
    got = number(demo, "median hours between payment and shipping last month")
    assert got == pytest.approx(want, abs=0.01)


def test_minutes_alone_stay_unread(demo: Workspace) -> None:
    # look-alike: minutes with no events after them are no duration
    refused(demo, "minutes of orders last month")


# --- the orders delivered said as reaching the buyers (w39o21) ---

_TRANSIT_OF_DELIVERED = (
    "SELECT avg(date_diff('second', shipped_at, finished_at)) / 86400.0 FROM orders WHERE"
    " shipped_at IS NOT NULL AND finished_at >= '2018-08-01' AND finished_at < '2018-09-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "Orders that reached buyers in August: average days from dispatch to delivery?",
        "For orders that got to the customers in August, average days in transit?",
        "Orders that made it to the buyers' hands in August: average transit days",
    ],
)
def test_reached_buyers_is_delivered(olist: Workspace, question: str) -> None:
    want = sql_number(olist, _TRANSIT_OF_DELIVERED)
    assert number(olist, question) == pytest.approx(want, abs=0.01)


def test_reached_buyers_counted(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT count(*) FROM orders WHERE finished_at >= '2018-08-01' AND finished_at < '2018-09-01'",
    )
    assert number(olist, "How many orders reached buyers in August?") == want


def test_reached_without_people_stays_unread(olist: Workspace) -> None:
    # look-alike: "reached" with no buyers after it is not a delivery
    refused(olist, "Which month reached the most orders this year?")


def test_each_of_the_quarters_listed_keeps_its_reading(olist: Workspace) -> None:
    # look-alike (w31o38): 一二三季度都 is each of the three quarters, not the span
    want = sql_number(
        olist,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE one_id IS NOT NULL AND paid_at >="
        " '2018-01-01' AND paid_at < '2018-09-01' GROUP BY 1 HAVING count(DISTINCT"
        " quarter(paid_at)) = 3)",
    )
    assert number(olist, "今年一二三季度都下过单的买家有几个") == want
