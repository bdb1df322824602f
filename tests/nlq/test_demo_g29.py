"""Demo brand questions and the running periods (issue 11, session 29, helper g), values against
hand-written SQL: a half or a quarter said by its number with no year ("H2", "Q4", "this year's
Q4") is the running one up to today, as 下半年 / 四季度 already were (was: to 31 December, past
today — the Retail workspace holds invoices of 1-9 December 2011); "日均销量" / "average daily
sales" beside a period is that period's average per day, not the 30 days before its end."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from shopql.nlq.answer import answer as _answer
from shopql.nlq.periods import year_said
from tests.nlq.helpers import refused, rows, sql, sql_number


def ask(ws: Any, question: str) -> Any:
    """The offline engine's main result (columns and rows) for `question`."""
    return _answer(ws, question, "offline").main


# -- a numbered half or quarter with no year runs up to today ------------------------------------


@pytest.mark.parametrize(
    ("label", "said"),
    [
        ("h2", False),
        ("q4", False),
        ("this year's q4", False),
        ("h2 vs h1", False),
        ("6月", True),  # a month by its number keeps its calendar month (test_wrong_s20)
        ("下半年", False),
        ("h2 2011", True),
        ("2011 q4", True),
        ("11年下半年", True),
        ("half 上半年 18", True),
        ("2018年6月", True),
        ("近30天", True),
    ],
)
def test_a_numbered_part_of_a_year_says_no_year(label: str, said: bool) -> None:
    assert year_said(label) is said


_H2 = "paid_at >= '2011-07-01' AND paid_at < '2011-12-01'"
_Q4 = "created_at >= '2011-10-01' AND created_at < '2011-12-01'"


@pytest.mark.parametrize(
    "question",
    ["sales in H2", "H2 sales", "sales in H2 this year", "下半年销售额", "H2 销售额", "H2的销售额"],
)
def test_h2_with_no_year_is_the_half_up_to_today(retail: Any, question: str) -> None:
    want = sql_number(retail, f"SELECT sum(paid_amount) FROM orders WHERE {_H2}")
    whole = sql_number(retail, "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2011-07-01'")
    assert whole > want  # the workspace holds December's first days: the two readings differ
    assert float(rows(retail, question)[0][-1]) == pytest.approx(want, abs=0.01), question


@pytest.mark.parametrize(
    "question",
    ["Q4 invoices", "how many invoices in Q4", "this year's Q4 invoices", "四季度发票数"],
)
def test_q4_with_no_year_is_the_quarter_up_to_today(retail: Any, question: str) -> None:
    want = sql_number(retail, f"SELECT count(*) FROM orders WHERE {_Q4}")
    assert int(rows(retail, question)[0][-1]) == want, question


@pytest.mark.parametrize("question", ["sales in H2 2011", "2011年下半年销售额", "2011 H2 sales"])
def test_a_half_with_its_year_stays_the_calendar_half(retail: Any, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2011-07-01' "
        "AND paid_at < '2012-01-01'",
    )
    assert float(rows(retail, question)[0][-1]) == pytest.approx(want, abs=0.01), question


def test_h2_against_h1_is_the_half_so_far_against_the_whole_first_half(retail: Any) -> None:
    first = sql_number(
        retail,
        "SELECT count(*) FROM orders WHERE created_at >= '2011-01-01' AND created_at < '2011-07-01'",
    )
    later = sql_number(
        retail,
        "SELECT count(*) FROM orders WHERE created_at >= '2011-07-01' AND created_at < '2011-12-01'",
    )
    for question in ("H2 invoices vs H1", "上半年 vs 下半年 发票数"):
        got = rows(retail, question)
        assert [int(r[1]) for r in got] == [first, later], question


# -- 日均销量 beside a period: that period's units per day -----------------------------------------


def _days(demo: Any, start: dt.date) -> tuple[dt.date, int]:
    end = demo.today
    return end, (end - start).days


def _units(demo: Any, start: dt.date, end: dt.date) -> float:
    return sql_number(
        demo,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        f"WHERE o.paid_at >= DATE '{start}' AND o.paid_at < DATE '{end}'",
    )


@pytest.mark.parametrize(
    "question",
    ["今年日均销量", "今年 日均 销量", "今年的日均销量是多少", "daily units this year"],
)
def test_daily_units_of_this_year_are_over_this_year(demo: Any, question: str) -> None:
    start = demo.today.replace(month=1, day=1)
    end, days = _days(demo, start)
    want = _units(demo, start, end) / days
    last_30 = _units(demo, end - dt.timedelta(days=30), end) / 30
    assert want != pytest.approx(last_30, rel=0.01)  # the two readings differ on this data
    assert float(rows(demo, question)[0][-1]) == pytest.approx(want, abs=0.01), question


@pytest.mark.parametrize(
    "question", ["average daily sales this year", "average daily sales in the last 7 days"]
)
def test_average_daily_sales_over_a_period_are_its_sales_per_day(demo: Any, question: str) -> None:
    """ "sales" is money (as "avg daily sales last month" reads), not the 30-day daily units."""
    start = (
        demo.today - dt.timedelta(days=7)
        if "7 days" in question
        else demo.today.replace(month=1, day=1)
    )
    end, days = _days(demo, start)
    want = sql_number(
        demo,
        f"SELECT sum(paid_amount) FROM orders WHERE paid_at >= DATE '{start}' "
        f"AND paid_at < DATE '{end}'",
    )
    assert float(rows(demo, question)[0][-1]) == pytest.approx(want / days, abs=0.01), question


def test_daily_units_with_no_period_stay_the_30_day_figure(demo: Any) -> None:
    end = demo.today
    want = _units(demo, end - dt.timedelta(days=30), end) / 30
    for question in ("日均销量", "近30天日均销量"):
        assert float(rows(demo, question)[0][-1]) == pytest.approx(want, abs=0.01), question


@pytest.mark.parametrize("question", ["今年每月日均销量", "今年 每个月 的 日均销量"])
def test_daily_units_by_month_are_refused(demo: Any, question: str) -> None:
    """Was: the last 30 days' figure, once, in the last month's row."""
    assert "日均销量" in " ".join(refused(demo, question).unknown), question


# -- a count of times said after another event than buying is that event's ----------------------


@pytest.mark.parametrize(
    "question",
    [
        "上个月 退款 不止 一次 的 客户 有 几个",
        "上个月退款不止一次的客户有几个",
        "上个月退货超过一次的客户",
        "customers who got refunds more than once last month",
    ],
)
def test_refunded_more_than_once_is_not_ordered_more_than_once(demo: Any, question: str) -> None:
    """Was: people with 2+ paid orders who had a refund (the times read as orders)."""
    assert refused(demo, question).unknown, question


@pytest.mark.parametrize(
    "question",
    ["上个月买了不止一次的客户有几个", "上个月 下单 不止 一次 的 客户", "上个月不止一次下单的客户"],
)
def test_bought_more_than_once_still_counts_orders(demo: Any, question: str) -> None:
    end = demo.today.replace(day=1)
    start = (end - dt.timedelta(days=1)).replace(day=1)
    want = sql_number(
        demo,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE one_id IS NOT NULL AND paid_at >= "
        f"DATE '{start}' AND paid_at < DATE '{end}' GROUP BY 1 HAVING count(*) >= 2)",
    )
    assert int(rows(demo, question)[0][-1]) == want, question


# -- 涨跌多少 per group: each group's change in amount, the later minus the earlier ------------------


@pytest.mark.parametrize(
    "question",
    [
        "上个月 比 上上个月 各 平台 客单价 涨跌 多少",
        "上个月比上上个月各平台客单价涨跌多少",
        "上个月比上上个月各平台客单价增减了多少",
        "上个月比上上个月各平台客单价涨了多少",
    ],
)
def test_an_average_s_change_per_group_is_the_amount_too(demo: Any, question: str) -> None:
    end = demo.today.replace(day=1)
    start = (end - dt.timedelta(days=1)).replace(day=1)
    before = (start - dt.timedelta(days=1)).replace(day=1)

    def aov(a: dt.date, b: dt.date) -> str:
        return (
            f"sum(paid_amount) FILTER (WHERE paid_at >= DATE '{a}' AND paid_at < DATE '{b}') / "
            f"count(*) FILTER (WHERE paid_at >= DATE '{a}' AND paid_at < DATE '{b}')"
        )

    want = dict(
        sql(
            demo,
            f"SELECT platform, {aov(start, end)} - {aov(before, start)} FROM orders "
            f"WHERE paid_at >= DATE '{before}' AND paid_at < DATE '{end}' GROUP BY 1",
        )
    )
    answer = ask(demo, question)
    delta = answer.columns.index("aov__delta")
    got = {r[0]: float(r[delta]) for r in answer.rows}
    assert got == {k: pytest.approx(float(v), abs=0.01) for k, v in want.items()}, question


def test_fell_said_alone_is_still_the_earlier_minus_the_later(demo: Any) -> None:
    answer = ask(demo, "上个月 比 上上个月 客单价 跌了 多少")
    ((now, before, *_),) = answer.rows
    # since session 41 (B): __delta is the signed change (later − earlier) and __asked the
    # difference the way the question asks it (跌了多少: earlier − later)
    delta, asked = answer.columns.index("aov__delta"), answer.columns.index("aov__asked")
    assert float(answer.rows[0][delta]) == pytest.approx(float(now) - float(before), abs=0.01)
    assert float(answer.rows[0][asked]) == pytest.approx(float(before) - float(now), abs=0.01)


# -- the first orders of the new customers, valued: refused, not all their orders ----------------


@pytest.mark.parametrize(
    "question",
    [
        "今年的销售额里 新客的首单贡献了多少",
        "今年的销售额里新客的首单贡献了多少",
        "今年新客首单的销售额",
        "今年 新客 首单 的 销售额",
        "how much of this year's sales came from new customers' first orders",
    ],
)
def test_the_new_customers_first_orders_valued_are_refused(demo: Any, question: str) -> None:
    """Was: every order of this year's new customers (首单 read as 新客 said twice)."""
    assert refused(demo, question).unknown, question


def test_new_customers_said_with_their_first_order_still_count(demo: Any) -> None:
    start = demo.today.replace(month=1, day=1)
    want = sql_number(
        demo,
        "SELECT count(*) FROM (SELECT one_id, min(paid_at) AS f FROM orders WHERE paid_at IS NOT "
        f"NULL AND one_id IS NOT NULL GROUP BY 1) WHERE f >= DATE '{start}' "
        f"AND f < DATE '{demo.today}'",
    )
    for question in ("今年首单的新客有多少", "今年新客户(第一次买)有多少"):
        assert int(rows(demo, question)[0][-1]) == want, question


# -- 各自 of named values: one row each (was: 自 left over, refused) -----------------------------


@pytest.mark.parametrize(
    "question",
    [
        "抖音和拼多多 今年各自退了多少钱",
        "抖音和拼多多今年各自的销售额",
        "抖音 拼多多 今年 各自 卖了多少",
    ],
)
def test_each_said_as_ge_zi_splits_the_named_values(demo: Any, question: str) -> None:
    got = {r[0]: float(r[-1]) for r in rows(demo, question)}
    assert set(got) == {"douyin", "pinduoduo"}, question
    if "退" in question:
        alone = {p: float(rows(demo, f"{p}今年退款金额")[0][-1]) for p in ("抖音", "拼多多")}
        assert [got["douyin"], got["pinduoduo"]] == pytest.approx(list(alone.values()), abs=0.01)
    else:
        start = demo.today.replace(month=1, day=1)
        want = dict(
            sql(
                demo,
                "SELECT platform, sum(paid_amount) FROM orders WHERE platform IN ('douyin', "
                f"'pinduoduo') AND paid_at >= DATE '{start}' AND paid_at < DATE '{demo.today}' "
                "GROUP BY 1",
            )
        )
        assert got == {k: pytest.approx(float(v), abs=0.01) for k, v in want.items()}, question


# -- 的单平均多少钱: the average order value of the orders named ----------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "上个月 收货 在 深圳市 而且 用 微信 付 的 单 平均 多少钱",
        "上个月收货在深圳市而且用微信付的单平均多少钱",
        "上个月深圳市用微信付的订单平均多少钱",
    ],
)
def test_the_orders_averaged_in_money_are_the_aov(demo: Any, question: str) -> None:
    end = demo.today.replace(day=1)
    start = (end - dt.timedelta(days=1)).replace(day=1)
    want = sql_number(
        demo,
        "SELECT avg(paid_amount) FROM orders WHERE city = '深圳市' AND payment_channel = 'wechat' "
        f"AND paid_at >= DATE '{start}' AND paid_at < DATE '{end}'",
    )
    assert float(rows(demo, question)[0][-1]) == pytest.approx(want, abs=0.01), question
