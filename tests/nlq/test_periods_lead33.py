"""A range of months whose first year is said in two digits (17年10月到2018年3月) is the range, as
2017年10月到2018年3月 is — it was read as two separate months and the figures of October 2017 and
March 2018 added (11,842 orders instead of 39,056): the range pattern wanted four-digit years
(found by session 33's paraphrase hunt, bench/hunts/paraphrases.py). Two months joined by 和 stay
two months, added."""

from __future__ import annotations

from typing import Any

import pytest

from tests.nlq.helpers import number, sql_number

RANGE = "SELECT count(*) FROM orders WHERE created_at >= '2017-10-01' AND created_at < '2018-04-01'"
TWO_MONTHS = (
    "SELECT count(*) FROM orders WHERE (created_at >= '2017-10-01' AND created_at < '2017-11-01')"
    " OR (created_at >= '2018-03-01' AND created_at < '2018-04-01')"
)


@pytest.mark.parametrize(
    "question",
    [
        "17年10月到2018年3月 一共下了多少单",
        "17年10月到18年3月一共下了多少单",
        "2017年10月到18年3月 一共下了多少单",
        "2017年10月到2018年3月 一共下了多少单",
    ],
)
def test_a_month_range_with_a_two_digit_year(olist: Any, question: str) -> None:
    assert sql_number(olist, RANGE) == 39056
    assert number(olist, question) == 39056


def test_two_months_joined_by_and_stay_two(olist: Any) -> None:
    assert sql_number(olist, TWO_MONTHS) == 11842
    assert number(olist, "17年10月和2018年3月 一共下了多少单") == 11842


# "vs the previous year" is the same period a year before (was the period just before: double 11
# against 10 November, Q1 2018 against Q4 2017); of a whole year the two are the same year
YOY = "SELECT sum(paid_amount) FILTER (WHERE paid_at >= '{a}' AND paid_at < '{b}') FROM orders"


@pytest.mark.parametrize(
    "question",
    [
        "sales in Q1 2018 vs the previous year",
        "sales in Q1 2018 compared with the year before",
        "sales in Q1 2018 vs last year",
    ],
)
def test_vs_the_previous_year_is_a_year_before(olist: Any, question: str) -> None:
    now = sql_number(olist, YOY.format(a="2018-01-01", b="2018-04-01"))
    before = sql_number(olist, YOY.format(a="2017-01-01", b="2017-04-01"))
    assert (now, before) == (3260881.95, 869692.70)
    assert number(olist, question, 0) == now
    assert number(olist, question, 1) == before  # Q1 2017, not Q4 2017


def test_vs_the_previous_quarter_stays_the_one_before(olist: Any) -> None:
    before = sql_number(olist, YOY.format(a="2017-10-01", b="2018-01-01"))
    assert number(olist, "sales in Q1 2018 vs the previous quarter", 1) == before
