"""A period said inside a clause on people ("7月下过单的客户…", "customers who ordered in July …")
says who the people are; a second period says what they did then (issue 11). It was read as the
two periods' figures side by side — the buyers and orders of July and of August, a confident
answer to another question. Values against hand-written SQL; look-alikes keep their readings."""

from __future__ import annotations

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql_number

_BOTH_MONTHS = (
    "SELECT count(*) FROM (SELECT one_id FROM orders WHERE one_id IS NOT NULL AND paid_at >= '2018-07-01'"
    " AND paid_at < '2018-08-01' INTERSECT SELECT one_id FROM orders WHERE one_id IS NOT NULL"
    " AND paid_at >= '2018-08-01' AND paid_at < '2018-09-01')"
)


def test_the_first_periods_people_counted_in_the_second(olist: Workspace) -> None:
    want = sql_number(olist, _BOTH_MONTHS)
    assert want > 0
    assert number(olist, "7月下过单的客户8月有多少人还下单") == want
    assert (
        number(olist, "customers who ordered in july: how many of them ordered in august") == want
    )


def test_a_measure_of_those_people_in_another_period_is_refused(olist: Workspace) -> None:
    """Their orders (or spend) in the second period is a cohort measure the engine does not
    compose: refused, never the two months' figures."""
    for q in (
        "7月下过单的客户8月下了多少单",
        "7月下过单的客户 8月下了几单",
        "7月买过的买家8月的客单价",
        "customers who placed orders in july, how many orders did they place in august",
    ):
        assert "several periods" in str(refused(olist, q)), q


def test_two_periods_side_by_side_keep_their_reading(olist: Workspace) -> None:
    # look-alikes: the two months' buyers, one row each; two groups joined by 和 refused
    got = rows(olist, "7月和8月的客户数")
    assert len(got) == 2
    assert "two groups" in str(refused(olist, "7月下单的客户和8月下单的客户各多少"))
    assert len(rows(olist, "buyers in july vs august")) == 2
