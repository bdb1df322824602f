"""Olist questions of session 20 (helper o), values against hand-written SQL on the real Olist
workspace (today 2018-09-01): sellers in both of two periods (or in one and not the other) are
a set of sellers, never two monthly counts side by side; an ordinal asked of a period
(第几周) is the period asked for."""

from __future__ import annotations

from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql

_LINES = (
    "SELECT i.shop_id FROM order_items i JOIN orders o ON o.order_id = i.order_id "
    "WHERE o.{t} >= '{a}' AND o.{t} < '{b}'"
)


def _count(
    olist: Workspace, t: str, first: tuple[str, str], second: tuple[str, str], op: str
) -> int:
    a = _LINES.format(t=t, a=first[0], b=first[1])
    b = _LINES.format(t=t, a=second[0], b=second[1])
    ((n,),) = sql(olist, f"SELECT count(*) FROM ({a} {op} {b})")
    return int(n)


JULY = ("2018-07-01", "2018-08-01")
AUGUST = ("2018-08-01", "2018-09-01")


def test_sellers_who_sold_in_both_months_are_the_sellers_of_both(olist: Workspace) -> None:
    """ "sold" is a paid order with a line of theirs, by payment time (each line's own seller):
    909 sellers, where the answer was refused ('both') in English and, in Chinese, July's and
    August's counts side by side (1,261 and 1,278) — not the question."""
    both = _count(olist, "paid_at", JULY, AUGUST, "INTERSECT")
    assert both == 909
    for question in (
        "how many sellers sold something in both july and august",
        "how many sellers made a sale in both july and august",
        "7、8月都卖出过东西的卖家数",
        "7月和8月都卖过东西的卖家有多少个",
    ):
        assert rows(olist, question) == [(both,)], question


def test_sellers_with_orders_in_both_months_count_the_orders_placed(olist: Workspace) -> None:
    """ "出过单", "有订单": an order placed with a line of theirs, any status, by order time — what
    the count of sellers itself counts (上个月有多少个卖家出过单)."""
    both = _count(olist, "created_at", JULY, AUGUST, "INTERSECT")
    assert both == 911
    for question in ("7月和8月都出过单的卖家有多少", "7月和8月都有订单的卖家有多少个"):
        a = answer(olist, question, "offline")
        assert [tuple(r) for r in a.main.rows] == [(both,)], question
        assert any("sellers who had an order" in line for line in a.understood), question


def test_sellers_who_sold_in_one_month_and_not_the_next(olist: Workspace) -> None:
    gone = _count(olist, "paid_at", JULY, AUGUST, "EXCEPT")
    assert gone == 342
    assert rows(olist, "7月卖过货 但 8月没卖的卖家有几个") == [(gone,)]


def test_sellers_counted_side_by_side_stay_two_figures(olist: Workspace) -> None:
    """No word for both: July's and August's counts, each with its own sellers."""
    got = rows(olist, "7月和8月的卖家数")
    assert [int(r[1]) for r in got] == [1261, 1278]


def test_a_set_of_sellers_asked_beyond_a_count_is_refused(olist: Workspace) -> None:
    """A metric over those sellers (their orders) is not answered as a count of them."""
    refused(olist, "6月有订单 7月没有订单的卖家有多少")


def test_which_week_asked_as_an_ordinal(olist: Workspace) -> None:
    """ "2017年第几周订单最多": the week with the most orders (2017-11-20, Black Friday's week),
    read as 哪周; 第几个月 and 第几季度 alike."""
    ((week, orders),) = sql(
        olist,
        "SELECT CAST(date_trunc('week', created_at) AS DATE), count(*) FROM orders "
        "WHERE created_at >= '2017-01-01' AND created_at < '2018-01-01' "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    for question in (
        "2017年 第几周 订单最多",
        "订单最多的是2017年第几周",
        "2017年 哪一周 订单最多",
    ):
        got = rows(olist, question)[0]
        assert (str(got[0]), int(got[1])) == (str(week), int(orders)), question
    ((month,),) = sql(
        olist,
        "SELECT CAST(date_trunc('month', paid_at) AS DATE) FROM orders WHERE paid_at >= "
        "'2017-01-01' AND paid_at < '2018-01-01' GROUP BY 1 ORDER BY sum(paid_amount) DESC "
        "LIMIT 1",
    )
    assert str(rows(olist, "2017年 第几个月 销售额最高")[0][0]) == str(month)
