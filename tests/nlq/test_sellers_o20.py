"""Olist questions of session 20 (helper o), values against hand-written SQL on the real Olist
workspace (today 2018-09-01): sellers in both of two periods (or in one and not the other) are
a set of sellers, never two monthly counts side by side; an ordinal asked of a period
(第几周) is the period asked for."""

from __future__ import annotations

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.offline import NotUnderstood
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
    """ "有订单": an order placed with a line of theirs, any status, by order time — what the
    count of sellers itself counts; "出过单" is a sale (session 26: a paid line of theirs, by
    payment time, as 上个月有多少个卖家出过单 is counted)."""
    both = _count(olist, "created_at", JULY, AUGUST, "INTERSECT")
    assert both == 911
    for question in ("7月和8月都有订单的卖家有多少个", "7月和8月都有订单的卖家有多少"):
        a = answer(olist, question, "offline")
        assert [tuple(r) for r in a.main.rows] == [(both,)], question
        assert any("sellers who had an order" in line for line in a.understood), question
    sold = _count(olist, "paid_at", JULY, AUGUST, "INTERSECT")
    assert sold == 909
    for question in ("7月和8月都出过单的卖家有多少", "7月 和 8月 都 出过 单 的 卖家 有 多少"):
        assert rows(olist, question) == [(sold,)], question


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


def _paid(olist: Workspace, start: str, end: str) -> float:
    ((v,),) = sql(
        olist,
        f"SELECT sum(paid_amount) FROM orders WHERE paid_at >= '{start}' AND paid_at < '{end}'",
    )
    return float(v)


def test_the_second_half_to_date_against_the_same_months_of_the_first(olist: Workspace) -> None:
    """Today 2018-09-01: 下半年 so far is July-August, compared with January-February when the
    same days are asked (同期; said without, the whole first half: session 26, test_wrong_c13) —
    was April-May, as if July-August were the third quarter to date. The answer says which days."""
    a = answer(olist, "今年下半年比上半年同期多卖了多少", "offline")
    cols = dict(zip(a.main.columns, a.main.rows[0], strict=True))
    assert float(cols["paid_gmv"]) == pytest.approx(
        _paid(olist, "2018-07-01", "2018-09-01"), abs=0.01
    )
    assert float(cols["paid_gmv__previous"]) == pytest.approx(
        _paid(olist, "2018-01-01", "2018-03-01"), abs=0.01
    )
    assert any("the same days of the period before" in line for line in a.understood)
    # the quarter to date stays against the quarter before's same days
    quarter = rows(olist, "本季度 vs 上季度同期 销售额")
    assert float(quarter[0][1]) == pytest.approx(_paid(olist, "2018-04-01", "2018-06-01"), abs=0.01)


def test_a_minimum_said_with_the_selling_verb_bounds_the_earlier_period(olist: Workspace) -> None:
    """ "(6月至少卖了5000)": the categories with at least 5,000 of sales in June, ranked by July's
    growth (was refused: 至少卖了 unplaced); a count said (至少卖了100件) is no amount."""
    ((top, growth),) = sql(
        olist,
        "SELECT p.category, sum(i.paid_amount) FILTER (WHERE o.paid_at >= '2018-07-01') / "
        "sum(i.paid_amount) FILTER (WHERE o.paid_at < '2018-07-01') - 1 FROM order_items i "
        "JOIN orders o ON o.order_id = i.order_id JOIN products p ON p.product_id = i.product_id "
        "WHERE o.paid_at >= '2018-06-01' AND o.paid_at < '2018-08-01' AND p.category IS NOT NULL "
        "GROUP BY 1 HAVING sum(i.paid_amount) FILTER (WHERE o.paid_at < '2018-07-01') >= 5000 "
        "ORDER BY 2 DESC LIMIT 1",
    )
    for question in (
        "7月 比 6月 销售额 增长最快的 品类 (6月至少卖了5000)",
        "7月比6月 销售额 涨得最快的品类 (6月至少卖出5000元)",
    ):
        got = answer(olist, question, "offline").main.rows[0]
        assert got[0] == top, question
        assert float(got[-1]) == pytest.approx(float(growth), abs=1e-4), question
    try:  # refused today; never the pieces read as a bound of money
        a = answer(olist, "7月 比 6月 销量 增长最快的 品类 (6月至少卖了100件)", "offline")
    except NotUnderstood:
        return
    assert not any("paid_gmv" in line for line in a.understood)


def _orders(olist: Workspace, start: str, end: str) -> int:
    ((n,),) = sql(
        olist, f"SELECT count(*) FROM orders WHERE created_at >= '{start}' AND created_at < '{end}'"
    )
    return int(n)


def test_a_year_said_once_before_two_halves_is_both_halves(olist: Workspace) -> None:
    """ "2017年 下半年 订单 是 上半年 的 几倍": 2017's second half over 2017's first (2.087) — was
    2018's first half over 2017's second (the latest first half, which follows it)."""
    h1, h2 = _orders(olist, "2017-01-01", "2017-07-01"), _orders(olist, "2017-07-01", "2018-01-01")
    for question in (
        "2017年 下半年 订单 是 上半年 的 几倍",
        "2017年 下半年 比 上半年 订单 多了多少",
    ):
        a = answer(olist, question, "offline")
        cols = dict(zip(a.main.columns, a.main.rows[0], strict=True))
        assert (int(cols["orders"]), int(cols["orders__previous"])) == (h2, h1), question
    main = answer(olist, "2017年 下半年 订单 是 上半年 的 几倍", "offline").main
    cols = dict(zip(main.columns, main.rows[0], strict=True))
    assert float(cols["orders__ratio"]) == pytest.approx(h2 / h1, abs=1e-4)


def test_a_period_counted_from_today_keeps_its_own_year(olist: Workspace) -> None:
    """ "2017年12月 vs 上个月": 上个月 is August 2018 (today 2018-09-01), not August 2017 — a year
    said beside another period never moves one counted from today."""
    got = {str(r[0])[:7]: int(r[1]) for r in rows(olist, "2017年12月 vs 上个月 订单")}
    assert got == {
        "2017-12": _orders(olist, "2017-12-01", "2018-01-01"),
        "2018-08": _orders(olist, "2018-08-01", "2018-09-01"),
    }
    # a part of the year said bare still takes the year said once
    got = {str(r[0])[:7]: int(r[1]) for r in rows(olist, "2017年3月和6月 订单 比")}
    assert set(got) == {"2017-03", "2017-06"}


def test_active_sellers_are_the_sellers_with_a_sale(olist: Workspace) -> None:
    """ "how many active sellers last month": the sellers with a paid line in August (1,286) —
    was: the sellers of the orders of the customers tagged active (a person's lifecycle said of
    sellers, 154). The customers' lifecycle stays theirs."""
    ((n,),) = sql(
        olist,
        "SELECT count(DISTINCT i.shop_id) FROM order_items i JOIN orders o ON o.order_id = "
        "i.order_id WHERE o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01'",
    )
    assert rows(olist, "how many active sellers last month") == [(n,)]
    a = answer(olist, "how many active customers last month", "offline")
    assert any("lifecycle in active" in line for line in a.understood)


def test_a_kind_asked_among_a_dimension_named_is_that_dimension(olist: Workspace) -> None:
    """ "今年 卖家 所在城市 里 哪个 城市 卖得 最多": the sellers' city with the most sales (sao
    paulo) — was a breakdown by the sellers' city AND the buyers' city (the top pair)."""
    ((city, sales),) = sql(
        olist,
        "SELECT s.city, sum(i.paid_amount) FROM order_items i JOIN orders o ON o.order_id = "
        "i.order_id JOIN shops s ON s.shop_id = i.shop_id WHERE o.paid_at >= '2018-01-01' AND "
        "o.paid_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    for question in (
        "今年 卖家 所在城市 里 哪个 城市 卖得 最多",
        "今年卖家所在城市里哪个城市卖得最多",
    ):
        a = answer(olist, question, "offline").main
        assert a.columns[0] == "seller_city", question
        assert (a.rows[0][0], float(a.rows[0][-1])) == (city, pytest.approx(float(sales), abs=0.01))
