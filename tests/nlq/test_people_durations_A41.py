"""People, sets of people and durations said in everyday words (session 41, helper A): a duration
whose start event is said, of the orders placed in a month (8月下的单 从付完钱到送达: from the
payment, the orders of August by their placing), and two values side by side with nothing between,
then both bought (男装女装两样都买过). Values against hand-written SQL (as the blind dev set W36
writes them); each reading beside a look-alike that keeps its own answer or stays refused."""

from __future__ import annotations

import datetime as dt

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, sql_number

# the days from the payment to the delivery of the orders placed in August 2018
_PAID_TO_DELIVERED_PLACED = (
    "SELECT avg(date_diff('second', o.paid_at, o.finished_at)) / 86400.0 FROM orders o"
    " WHERE o.paid_at IS NOT NULL AND o.finished_at IS NOT NULL"
    " AND o.created_at >= '2018-08-01' AND o.created_at < '2018-09-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "8月下的单 从付完钱到送达平均要几天",
        "8月下的单从付款到签收平均几天",
        "8月 下 的 订单 付款 后 平均 几 天 送到",
        "For orders placed in August, how many days on average from payment to delivery?",
    ],
)
def test_start_said_of_orders_placed_in_a_month(olist: Workspace, question: str) -> None:
    want = round(sql_number(olist, _PAID_TO_DELIVERED_PLACED), 2)
    assert number(olist, question) == pytest.approx(want, abs=0.01), question


def test_placing_alone_times_from_the_placing(olist: Workspace) -> None:
    # look-alikes: no start said — from the placing; the payment said without the placing — the
    # orders paid in August (the duration's own date)
    placed = number(olist, "8月下的单 平均几天送达")
    want = sql_number(
        olist,
        "SELECT avg(date_diff('second', created_at, finished_at)) / 86400.0 FROM orders"
        " WHERE finished_at IS NOT NULL AND created_at >= '2018-08-01' AND created_at < '2018-09-01'",
    )
    assert placed == pytest.approx(round(want, 2), abs=0.01)
    paid = number(olist, "8月从付款到送达平均要几天")
    want = sql_number(
        olist,
        "SELECT avg(date_diff('second', paid_at, finished_at)) / 86400.0 FROM orders"
        " WHERE finished_at IS NOT NULL AND paid_at >= '2018-08-01' AND paid_at < '2018-09-01'",
    )
    assert paid == pytest.approx(round(want, 2), abs=0.01)
    ship = number(olist, "7月下的单平均几天才发货")  # from the placing to the shipping
    want = sql_number(
        olist,
        "SELECT avg(date_diff('second', created_at, shipped_at)) / 86400.0 FROM orders"
        " WHERE shipped_at IS NOT NULL AND created_at >= '2018-07-01' AND created_at < '2018-08-01'",
    )
    assert ship == pytest.approx(round(want, 2), abs=0.01)


def _last_month(today: dt.date) -> tuple[str, str]:
    end = today.replace(day=1)
    return (end - dt.timedelta(days=1)).replace(day=1).isoformat(), end.isoformat()


_BOTH_CATEGORIES = (
    "SELECT count(*) FROM (SELECT o.one_id FROM order_items i JOIN orders o ON o.order_id ="
    " i.order_id LEFT JOIN products p ON p.product_id = i.product_id WHERE o.one_id IS NOT NULL"
    " AND o.paid_at >= '{start}' AND o.paid_at < '{end}' GROUP BY 1 HAVING count(*) FILTER"
    " (WHERE coalesce(i.category, p.category) = '男装') > 0 AND count(*) FILTER (WHERE"
    " coalesce(i.category, p.category) = '女装') > 0)"
)
_EITHER_CATEGORY = (
    "SELECT count(DISTINCT o.one_id) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
    " LEFT JOIN products p ON p.product_id = i.product_id WHERE o.paid_at >= '{start}' AND"
    " o.paid_at < '{end}' AND coalesce(i.category, p.category) IN ('男装', '女装')"
)


@pytest.mark.parametrize(
    "question",
    [
        "上个月男装女装两样都买过的客户有几位",
        "上个月男装女装都买过的有多少人",
        "上个月 男装 女装 两个 都 买过 的 客户 数",
        "上个月男装女装都有买的顾客有几个",
    ],
)
def test_two_values_side_by_side_then_both_bought(demo: Workspace, question: str) -> None:
    start, end = _last_month(demo.today)
    want = sql_number(demo, _BOTH_CATEGORIES.format(start=start, end=end))
    assert want > 0
    assert number(demo, question) == want, question


def test_side_by_side_without_both_is_either(demo: Workspace) -> None:
    # look-alike: no word for both — the buyers of either category, one IN
    start, end = _last_month(demo.today)
    either = sql_number(demo, _EITHER_CATEGORY.format(start=start, end=end))
    both = sql_number(demo, _BOTH_CATEGORIES.format(start=start, end=end))
    assert either != both
    assert number(demo, "上个月男装女装的买家数") == either
