"""Olist questions of session 28 (helper o): wrong answers read right, values against
hand-written SQL on the real Olist workspace (today 2018-09-01).

- Things counted with the orders an event dates ("how many sellers had orders shipped last
  month", "上个月发货的订单有多少卖家", "how many states had paid orders last month",
  "上个月送达的订单有多少个客户"): the things of the orders that event dates in the period — not
  those of the orders placed then (the event word was dropped with "had orders"), nor the count
  beside the number of event orders.
"""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql

_AUG = "'2018-08-01' AND o.{col} < '2018-09-01'"


def _august(col: str) -> str:
    return f"o.{col} >= " + _AUG.format(col=col)


# -- things of the orders an event dates --------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "how many sellers had orders shipped last month",
        "how many sellers had shipped orders last month",
        "上个月发货的订单有多少卖家",
        "上个月 发货 的 订单 有 多少 卖家",
        "上个月有多少卖家有发货的订单",
        "上个月有多少卖家有订单发货",
    ],
)
def test_sellers_of_shipped_orders(olist: Workspace, question: str) -> None:
    """Each order line's own seller, the orders by ship time: 1,323 (by order time 1,278)."""
    want = sql(
        olist,
        "SELECT count(DISTINCT coalesce(i.shop_id, o.shop_id)) FROM order_items i JOIN orders o"
        " ON o.order_id = i.order_id WHERE " + _august("shipped_at"),
    )
    assert want == [(1323,)]
    assert rows(olist, question) == want


@pytest.mark.parametrize(
    ("question", "col"),
    [
        ("how many states had paid orders last month", "paid_at"),
        ("上个月有付款订单的州有几个", "paid_at"),
        ("how many states had orders delivered last month", "delivery"),
        ("上个月有订单送达的州有几个", "delivery"),
        ("how many states got orders delivered last month", "delivery"),
    ],
)
def test_places_of_event_orders(olist: Workspace, question: str, col: str) -> None:
    col = "finished_at" if col == "delivery" else col
    want = sql(
        olist,
        "SELECT count(DISTINCT c.province) FROM orders o JOIN customers c"
        " ON c.customer_id = o.customer_id WHERE " + _august(col),
    )
    assert rows(olist, question) == want


@pytest.mark.parametrize(
    "question",
    [
        "how many customers had orders delivered last month",
        "上个月送达的订单有多少个客户",
        "上个月 送达 的 订单 有 几个 买家",
    ],
)
def test_people_of_delivered_orders(olist: Workspace, question: str) -> None:
    """The people (OneID) with an order delivered in August: 8,247 — not the paying buyers of
    August (6,575) beside the delivered orders (8,314)."""
    want = sql(
        olist, "SELECT count(DISTINCT o.one_id) FROM orders o WHERE " + _august("finished_at")
    )
    assert want == [(8247,)]
    assert rows(olist, question) == want


def test_states_with_orders_stay_by_order_time(olist: Workspace) -> None:
    """Orders said with no event keep the count's own time (the orders placed then)."""
    want = sql(
        olist,
        "SELECT count(DISTINCT c.province) FROM orders o JOIN customers c"
        " ON c.customer_id = o.customer_id WHERE " + _august("created_at"),
    )
    assert rows(olist, "how many states had orders last month") == want


# -- groups by their own average order value ------------------------------------------------------

_AOV_STATES = (
    "SELECT count(*) FROM (SELECT c.province FROM orders o JOIN customers c"
    " ON c.customer_id = o.customer_id WHERE o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'"
    " GROUP BY 1 HAVING sum(o.paid_amount) / count(*) > 250)"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年客单价超过250的州有几个",
        "今年 客单价 超过 250 的 州 有 几个",
        "今年客单价高于250的州一共几个",
        "今年有几个州的客单价超过250",
        "今年 有 几个 州 的 客单价 超过 250",
    ],
)
def test_states_counted_by_their_aov(olist: Workspace, question: str) -> None:
    """Each state's paid sales over its paid orders this year, above 250: 3 states (RR, PB, RO)
    — not the 27 states with one order over 250 ('有几个州的客单价超过250' was that)."""
    want = sql(olist, _AOV_STATES)
    assert want == [(3,)]
    assert rows(olist, question) == want


def test_states_listed_by_their_aov(olist: Workspace) -> None:
    got = rows(olist, "今年哪些州的客单价超过250")
    assert [r[0] for r in got] == ["RR", "PB", "RO"]


def test_orders_over_an_amount_stay_orders(olist: Workspace) -> None:
    """客单价 said of the orders themselves stays each order's value."""
    want = sql(
        olist,
        "SELECT count(*) FROM orders o WHERE o.created_at >= '2018-01-01'"
        " AND o.created_at < '2018-09-01' AND o.paid_amount > 500",
    )
    assert rows(olist, "今年客单价超过500的订单有几个") == want


def test_countries_counted_by_their_aov(retail: Workspace) -> None:
    want = sql(
        retail,
        "SELECT count(*) FROM (SELECT country FROM orders o WHERE o.paid_at >= '2011-01-01'"
        " AND o.paid_at < '2011-12-01' AND country IS NOT NULL GROUP BY 1"
        " HAVING sum(o.paid_amount) / count(*) > 500)",
    )
    assert want[0][0] > 0  # 28 on the whole set
    assert rows(retail, "今年客单价超过500的国家有几个") == want


# -- an average word said before a metric that is no average -------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "上个月订单的平均运费和平均实付各是多少",
        "上个月平均运费和平均实付",
        "上个月 平均 运费 和 平均 实付",
    ],
)
def test_average_of_a_total_said_after_another_average_is_its_own_average(
    olist: Workspace, question: str
) -> None:
    """The second 平均 is 实付's: 平均实付 is the paid amount per paid order (客单价), beside the
    average freight — it was swallowed by 平均运费 before it, answering the month's whole paid
    sales. (At the session-28 merge: o refused it, p read 平均实付 as 客单价; p's reading kept.)"""
    want = sql(
        olist,
        "SELECT round(avg(shipping_fee), 2) FROM orders o WHERE " + _august("created_at"),
    )[0][0]
    aov = sql(
        olist,
        "SELECT round(sum(paid_amount) / count(*), 2) FROM orders o WHERE " + _august("paid_at"),
    )[0][0]
    got = rows(olist, question)  # '订单的' still adds the orders counted, as a first column
    assert [tuple(float(v) for v in row[-2:]) for row in got] == [(float(want), float(aov))]


def test_average_beside_an_average_still_read(olist: Workspace) -> None:
    want = sql(
        olist,
        "SELECT round(sum(paid_amount) / count(*), 2) FROM orders o WHERE " + _august("paid_at"),
    )
    assert [float(rows(olist, "上个月平均 客单价 和 平均运费")[0][0])] == [float(want[0][0])]


# -- which group holds the one extreme --------------------------------------------------------------


def test_the_category_of_the_priciest_item_sold(olist: Workspace) -> None:
    """The highest unit price of a line paid this year (6,729.00) and its category (pcs): one
    row — was every category's own highest price (73 rows)."""
    want = sql(
        olist,
        "SELECT p.category, i.unit_price FROM order_items i JOIN orders o ON o.order_id ="
        " i.order_id LEFT JOIN products p ON p.product_id = i.product_id WHERE o.paid_at >="
        " '2018-01-01' AND o.paid_at < '2018-09-01' ORDER BY i.unit_price DESC LIMIT 1",
    )
    got = rows(olist, "今年卖出去最贵的一件商品多少钱 是哪个品类的")
    assert len(got) == 1
    assert (got[0][0], float(got[0][1])) == (want[0][0], float(want[0][1]))


def test_each_category_extreme_still_listed(olist: Workspace) -> None:
    assert len(rows(olist, "今年各品类卖出的最高单价")) > 50


# -- two sets of orders with a ratio ----------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "上个月取消的单和送达的单 比例是多少",
        "上个月 取消 的 单 和 送达 的 单 比例 是 多少",
        "上个月取消的订单和送达的订单的比例",
    ],
)
def test_two_sets_of_orders_with_a_ratio_refused(olist: Workspace, question: str) -> None:
    """Was the cancelled share of the delivered orders (0 of 8,314): refused, saying why."""
    from tests.nlq.helpers import refused

    assert "two sets of orders" in str(refused(olist, question))


def test_share_of_one_set_among_orders_still_answered(olist: Workspace) -> None:
    want = sql(
        olist,
        "SELECT count(*) FILTER (WHERE status = 'cancelled'), count(*) FROM orders o WHERE "
        + _august("created_at"),
    )
    got = rows(olist, "上个月取消的订单占比")
    assert got[0][:2] == want[0]
