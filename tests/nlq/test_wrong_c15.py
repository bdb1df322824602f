"""Never answer a different question (issue 11, session 15, helper c): Olist measures and
filters — a number is bound to a review score only when it lies on the warehouse's score scale
and its unit is the score's (2018 before 星期 is a year and a week, not 2018 stars). Values
against hand-written SQL on the Olist test workspace (today 2018-09-01); paraphrases written
here, both languages."""

from __future__ import annotations

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql

NEGATIVE_BY_WEEKDAY_2018 = (
    "SELECT isodow(created_at), count(*) FROM reviews WHERE score <= 2"
    " AND created_at >= '2018-01-01' AND created_at < '2019-01-01' GROUP BY 1 ORDER BY 2 DESC"
)


@pytest.mark.parametrize("question", ["2018 星期几差评最多", "2018 周几差评最多"])
def test_a_year_before_a_week_word_is_no_review_score(olist: Workspace, question: str) -> None:
    a = answer(olist, question, "offline")
    assert not any("review_score" in line for line in a.understood), a.understood
    day, count = sql(olist, NEGATIVE_BY_WEEKDAY_2018)[0]
    got = dict(zip(a.main.columns, a.main.rows[0], strict=True))
    assert (got["day_of_week"], got["negative_reviews"]) == (day, count)


@pytest.mark.parametrize("question", ["最近3星期的订单数", "最近三星期的订单数"])
def test_weeks_said_with_xingqi_are_the_period(olist: Workspace, question: str) -> None:
    """3 before 星期 counts weeks: it was read as a 3-star review condition on the orders."""
    expected = sql(
        olist,
        "SELECT count(*) FROM orders WHERE created_at >= '2018-08-11' AND created_at < '2018-09-01'",
    )
    assert rows(olist, question) == expected
