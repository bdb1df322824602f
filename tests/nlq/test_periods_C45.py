"""Periods, time parts and sales words read as what they ask (session 45, helper C): business at
its best (生意最旺, 最能卖: the sales ranked), Q几 (which quarter), a day range glossing 第一个七天 in
brackets, N号到月底, a day's week (5月30号那一周: Monday to Sunday), 母亲节那个周末, St Patrick's Day,
Portuguese "1º de maio", "what did we sell" + a period, "issue the most invoices", 从高到低排,
单笔最高的订单金额, 周末两天. Values against hand-written SQL; each reading beside a look-alike that
keeps its own answer or stays refused."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql, sql_number

_SALES = "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '{}' AND paid_at < '{}'"


def _top(ws: Workspace, part: str, start: str, end: str) -> int:
    return int(
        sql(
            ws,
            f"SELECT {part}(paid_at) FROM orders WHERE paid_at >= '{start}' AND paid_at < '{end}'"
            " GROUP BY 1 ORDER BY sum(paid_amount) DESC LIMIT 1",
        )[0][0]
    )


def _part(value: object, part: str) -> int:
    """A ranked period's key as its number (a month's first day is its month)."""
    if hasattr(value, "month"):
        month = int(value.month)  # type: ignore[attr-defined]
        return (month - 1) // 3 + 1 if part == "quarter" else month
    return int(value)  # type: ignore[call-overload]


# --- business at its best: the sales ranked ---


@pytest.mark.parametrize(
    "question", ["今年几月份生意最旺", "今年哪个月生意最好", "今年几月份生意做得最好"]
)
def test_business_best_is_top_month_by_sales(olist: Workspace, question: str) -> None:
    got = rows(olist, question)
    assert _part(got[0][0], "month") == _top(olist, "month", "2018-01-01", "2018-09-01")
    assert float(got[0][-1]) == pytest.approx(
        sql_number(
            olist,
            "SELECT max(s) FROM (SELECT sum(paid_amount) s FROM orders WHERE paid_at >= "
            "'2018-01-01' AND paid_at < '2018-09-01' GROUP BY month(paid_at))",
        )
    )


def test_sells_best_by_day_of_month(olist: Workspace) -> None:
    got = rows(olist, "今年每个月的几号最能卖 加起来看")
    assert int(got[0][0]) == _top(olist, "day", "2018-01-01", "2018-09-01")


def test_business_best_quarter_spaced(retail: Workspace) -> None:
    got = rows(retail, "今年 生意 最 好 的 是 第 几 季度")
    assert _part(got[0][0], "quarter") == _top(retail, "quarter", "2011-01-01", "2011-12-01")


def test_business_worst_stays_refused(olist: Workspace) -> None:
    # 生意最差 is not rewritten to 卖得最好 (nor to anything): still refused
    refused(olist, "今年几月份生意最差")


# --- Q几: which quarter ---


def test_q_which_is_the_quarter(retail: Workspace) -> None:
    got = rows(retail, "今年到现在 Q几的进账是最多的")
    assert _part(got[0][0], "quarter") == _top(retail, "quarter", "2011-01-01", "2011-12-01")


# --- periods said in words: the period's sales against hand-written SQL ---

# (question, workspace, first day, the day after the last): Olist today 2018-09-01, Retail 2011-12-01
_PERIOD_SALES = [
    ("11月第一个七天（1号到7号）的营业额", "retail", "2011-11-01", "2011-11-08"),
    # bracket days outside the words keep the bracket
    ("11月前十天(1号到10号)的营业额", "retail", "2011-11-01", "2011-11-11"),
    ("上个月16号到月底卖了多少", "retail", "2011-11-16", "2011-12-01"),
    ("上个月16号至月末卖了多少", "retail", "2011-11-16", "2011-12-01"),
    # a day's week: 30 May 2011 is a Monday, its week runs to Sunday 5 June
    ("今年5月30号银行假日那一周（周一到周日）卖了多少", "retail", "2011-05-30", "2011-06-06"),
    ("今年5月30号那个星期卖了多少", "retail", "2011-05-30", "2011-06-06"),
    ("今年6月1号所在的那一周卖了多少", "retail", "2011-05-30", "2011-06-06"),
    # Mother's Day 2018 is Sunday 13 May: its weekend is 12-13 May
    ("今年母亲节那个周末卖了多少", "olist", "2018-05-12", "2018-05-14"),
    ("今年母亲节卖了多少", "olist", "2018-05-13", "2018-05-14"),
    ("今年 圣帕特里克节 那 天 卖了 多少", "retail", "2011-03-17", "2011-03-18"),
    ("sales on St Patrick's Day 2011", "retail", "2011-03-17", "2011-03-18"),
    (
        "Quanto vendemos no feriado do Dia do Trabalho, 1º de maio?",
        "olist",
        "2018-05-01",
        "2018-05-02",
    ),
    ("Quanto vendemos em 1º de maio?", "olist", "2018-05-01", "2018-05-02"),
    # "what did we sell" + a period alone: how much was sold then
    ("What did we sell in the last 7 days?", "retail", "2011-11-24", "2011-12-01"),
]


@pytest.mark.parametrize(("question", "dataset", "start", "end"), _PERIOD_SALES)
def test_period_said_in_words(
    request: pytest.FixtureRequest, question: str, dataset: str, start: str, end: str
) -> None:
    ws = request.getfixturevalue(dataset)
    assert number(ws, question) == pytest.approx(sql_number(ws, _SALES.format(start, end)))


def test_weekday_of_that_week_is_not_the_week(retail: Workspace) -> None:
    # 那个星期一 names a day, not the week
    week = sql_number(retail, _SALES.format("2011-05-30", "2011-06-06"))
    got = rows(retail, "今年5月30号那个星期一卖了多少")
    assert float(got[0][-1]) != pytest.approx(week)


# --- English: what did we sell most of, invoices issued ---


def test_what_did_we_sell_most_of_stays_a_ranking(retail: Workspace) -> None:
    assert len(rows(retail, "What did we sell most of last month?")) > 1


def test_issue_the_most_invoices(retail: Workspace) -> None:
    got = rows(retail, "On which date in September did we issue the most invoices?")
    top = sql(
        retail,
        "SELECT CAST(created_at AS DATE), count(*) FROM orders WHERE created_at >= '2011-09-01'"
        " AND created_at < '2011-10-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )[0]
    assert str(got[0][0])[:10] == str(top[0])
    assert float(got[0][-1]) == top[1]


# --- breakdown words ---


def test_high_to_low_sorted_said_with_pai(olist: Workspace) -> None:
    got = rows(olist, "8月 各 品类 卖了 多少钱 从高 到低 排")
    assert got == rows(olist, "8月各品类卖了多少钱 从高到低")
    values = [float(r[-1]) for r in got]
    assert values == sorted(values, reverse=True)


def test_largest_single_order_by_platform(demo: Workspace) -> None:
    got = rows(demo, "今年各平台单笔最高的订单金额")
    assert got == rows(demo, "今年各平台最高订单金额")
    assert len(got) > 1


def test_weekend_two_days(olist: Workspace) -> None:
    # today 2018-09-01: 上上周 = 13-19 August, its weekend 18-19 August
    want = sql_number(
        olist,
        "SELECT count(*) FROM orders WHERE created_at >= '2018-08-18' AND created_at < '2018-08-20'",
    )
    assert number(olist, "上上周 周末 两 天 下 了 多少 单") == want


def test_weekend_days_each_stays_its_own_reading(olist: Workspace) -> None:
    # 周末两天各 … : each day asked (two rows), not the weekend's total alone
    assert len(rows(olist, "上上周周末两天各下了多少单")) == 2


def test_weekend_alone_refused_for_a_day(retail: Workspace) -> None:
    refused(retail, "今年5月30号那周末卖了多少")
