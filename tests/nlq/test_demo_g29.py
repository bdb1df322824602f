"""Demo brand questions and the running periods (issue 11, session 29, helper g), values against
hand-written SQL: a half or a quarter said by its number with no year ("H2", "Q4", "this year's
Q4") is the running one up to today, as 下半年 / 四季度 already were (was: to 31 December, past
today — the Retail workspace holds invoices of 1-9 December 2011); "日均销量" / "average daily
sales" beside a period is that period's average per day, not the 30 days before its end."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from shopql.nlq.periods import year_said
from tests.nlq.helpers import refused, rows, sql_number

# -- a numbered half or quarter with no year runs up to today ------------------------------------


@pytest.mark.parametrize(
    ("label", "said"),
    [
        ("h2", False),
        ("q4", False),
        ("this year's q4", False),
        ("h2 vs h1", False),
        ("6月", False),
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
