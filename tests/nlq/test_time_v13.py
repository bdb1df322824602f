"""Time words, session 13 (issue 11, helper V): 前天 / 大前天 / "the day before yesterday"; a day
of a week named (上周五, 上个星期三, 这周一, "last friday", "this monday"); Thanksgiving and 元旦 in
the festivals catalog; the week before a festival said 前那一周 / 之前的那个星期; the first / last
N days of a period said beside it (上个月前10天, 本月最后5天, "the first 10 days of last month"); a
period something runs since (元旦以来, 从双11开始, 上个月起, "since new year's day"). Values
against hand-written SQL, paraphrases written here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from shopql.nlq.phrases import find_time
from tests.nlq.helpers import rows, sql

THU = dt.date(2011, 12, 1)  # a Thursday (Online Retail's pinned today)


def _day(tr: Any) -> tuple[str, str]:
    return str(tr.start.date()), str(tr.end.date())


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("前天卖了多少", "2011-11-29", "2011-11-30"),
        ("大前天的订单", "2011-11-28", "2011-11-29"),
        ("sales the day before yesterday", "2011-11-29", "2011-11-30"),
        ("上周五卖了多少", "2011-11-25", "2011-11-26"),
        ("上个星期三的订单", "2011-11-23", "2011-11-24"),
        ("上礼拜天", "2011-11-27", "2011-11-28"),
        ("这周一的销售额", "2011-11-28", "2011-11-29"),
        ("上上周五", "2011-11-18", "2011-11-19"),
        ("last friday sales", "2011-11-25", "2011-11-26"),
        ("last wednesday", "2011-11-30", "2011-12-01"),  # the most recent one before today
        ("orders this monday", "2011-11-28", "2011-11-29"),
        ("sales on friday of last week", "2011-11-25", "2011-11-26"),
        ("上个月前10天卖了多少", "2011-11-01", "2011-11-11"),
        ("上个月的头两周", "2011-11-01", "2011-11-15"),
        ("上个月最后5天", "2011-11-26", "2011-12-01"),
        ("sales in the first 10 days of last month", "2011-11-01", "2011-11-11"),
        ("orders in the last 3 days of last month", "2011-11-28", "2011-12-01"),
        ("2011年前两周", "2011-01-01", "2011-01-15"),
        ("上个月起的订单数", "2011-11-01", "2011-12-01"),
        ("从上个月开始卖了多少", "2011-11-01", "2011-12-01"),
        ("去年以来", "2010-01-01", "2011-12-01"),
        ("since last month", "2011-11-01", "2011-12-01"),
    ],
)
def test_time_words(text: str, start: str, end: str) -> None:
    tr, found, _rest = find_time(text, THU)
    assert tr is not None and found is not None, text
    assert _day(tr) == (start, end), text


def test_rolling_periods_unchanged() -> None:
    # a rolling period said alone stays the days before today
    for text in ("前10天的销售额", "近10天的销售额", "last 10 days sales"):
        tr, _found, _rest = find_time(text, THU)
        assert tr is not None and _day(tr) == ("2011-11-21", "2011-12-01"), text
    # "从X到Y" is a range, not "since X"
    tr, _found, _rest = find_time("从2011年1月到2011年3月", THU)
    assert tr is not None and _day(tr) == ("2011-01-01", "2011-04-01")


def _paid(ws: Any, start: str, end: str) -> float:
    got = sql(
        ws,
        f"SELECT sum(paid_amount) FROM orders WHERE paid_at >= '{start}' AND paid_at < '{end}'",
    )
    return round(float(got[0][0]), 2)


def _one(ws: Any, question: str) -> float:
    got = rows(ws, question)
    assert len(got) == 1, (question, got)
    return round(float(got[0][-1]), 2)


def test_days_of_a_week_on_retail(retail: Any) -> None:
    friday = _paid(retail, "2011-11-25", "2011-11-26")
    assert friday > 0
    for q in ("上周五卖了多少", "上个星期五的销售额是多少", "how much did we sell last friday"):
        assert _one(retail, q) == friday, q
    before = _paid(retail, "2011-11-29", "2011-11-30")
    for q in ("前天卖了多少钱", "sales the day before yesterday"):
        assert _one(retail, q) == before, q


def test_thanksgiving_and_new_years_day(retail: Any, olist: Any) -> None:
    day = _paid(retail, "2011-11-24", "2011-11-25")
    for q in ("thanksgiving 2011 sales", "2011年感恩节卖了多少", "sales on thanksgiving day 2011"):
        assert _one(retail, q) == day, q
    new_year = _paid(olist, "2018-01-01", "2018-01-02")
    for q in ("2018元旦那天卖了多少", "sales on new year's day 2018", "2018年元旦的销售额"):
        assert _one(olist, q) == new_year, q
    since = _paid(olist, "2018-01-01", "2018-09-01")
    for q in ("元旦以来卖了多少", "元旦到现在的销售额", "sales since new year's day"):
        assert _one(olist, q) == since, q


def test_the_week_before_a_festival(olist: Any) -> None:
    gold = sql(
        olist,
        "SELECT count(*) FROM orders WHERE created_at >= '2017-12-18' AND created_at < '2017-12-25'",
    )[0][0]
    for q in (
        "2017年圣诞前那一周 几单",
        "2017年圣诞节之前的那个星期有多少订单",
        "how many orders the week before christmas 2017",
    ):
        assert int(_one(olist, q)) == gold, q


def test_first_and_last_days_of_a_period(olist: Any) -> None:
    first = _paid(olist, "2018-08-01", "2018-08-11")
    for q in (
        "上个月前10天卖了多少",
        "上个月的前十天销售额",
        "sales in the first 10 days of last month",
    ):
        assert _one(olist, q) == first, q
    last = _paid(olist, "2018-08-27", "2018-09-01")
    for q in ("上个月最后5天的销售额", "sales over the last 5 days of last month"):
        assert _one(olist, q) == last, q


def test_since_a_festival(olist: Any) -> None:
    since = _paid(olist, "2017-11-11", "2018-09-01")
    for q in ("从双11开始卖了多少", "双十一以来的销售额", "sales since singles day"):
        assert _one(olist, q) == since, q


def test_mothers_day_an_nth_weekday_anchor(olist: Any) -> None:
    # festivals.yaml anchor "05-sun-2": the second Sunday of May (2018-05-13)
    day = _paid(olist, "2018-05-13", "2018-05-14")
    for q in ("mother's day 2018 sales", "2018年母亲节卖了多少", "dia das mães 2018 quanto vendeu"):
        assert _one(olist, q) == day, q
    week = _paid(olist, "2018-05-07", "2018-05-14")
    assert _one(olist, "2018年母亲节那周的销售额") == week
