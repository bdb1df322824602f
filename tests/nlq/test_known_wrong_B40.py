"""Three readings main got wrong (session 40, helper B), each closed as a family:

- a duration's threshold said with its start event (付款以后超过3天才发货的单, 下单后超过30天才收到货的订
  单) takes that start word: how long asked after it is the threshold's own duration (the ship time
  of those orders), not the time to pay (付款 read again as the metric);
- the weekday / hour of a first order said placed (首单是在周末下的, first order placed on a weekend)
  is that order's placing (created_at), not its payment;
- the money of orders said with a total between (8月boleto的订单一共花了多少, 加起来花了多少钱) is
  their paid GMV alone, not the order count beside it.

Values against hand-written SQL; each beside a look-alike that keeps its old reading."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql_number

_SHIP_OVER_3 = (
    "SELECT avg(epoch(o.shipped_at - o.paid_at) / 86400.0) FROM orders o"
    " WHERE o.shipped_at IS NOT NULL AND epoch(o.shipped_at - o.paid_at) > 3 * 86400"
    " AND o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年付款以后超过3天才发货的单 平均几天",
        "今年付款以后超过3天才发货的订单 平均要几天",
        "今年付款后超过3天才发货的订单平均多少天",
        "今年 付款 之后 超过 3 天 才 发货 的 单子 平均 几 天",
    ],
)
def test_ship_time_of_orders_shipped_late(olist: Workspace, question: str) -> None:
    assert number(olist, question) == pytest.approx(sql_number(olist, _SHIP_OVER_3), abs=0.01)


def test_ship_time_in_hours_of_orders_shipped_late(olist: Workspace) -> None:
    want = sql_number(olist, _SHIP_OVER_3) * 24
    got = number(olist, "今年付款后超过3天才发货的订单平均要多少个小时")
    assert got == pytest.approx(want, abs=0.01)


def test_delivery_time_of_orders_delivered_late(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT avg(epoch(finished_at - created_at) / 86400.0) FROM orders"
        " WHERE finished_at IS NOT NULL AND epoch(finished_at - created_at) > 30 * 86400",
    )
    got = number(olist, "下单后超过30天才收到货的订单 平均几天")
    assert got == pytest.approx(want, abs=0.01)


def test_late_shipped_orders_counted_keep_their_reading(olist: Workspace) -> None:
    # look-alike: no duration asked, the orders counted — the paid ones, by the payment (as before)
    want = sql_number(
        olist,
        "SELECT count(*) FROM orders WHERE paid_at >= '2018-01-01' AND paid_at < '2018-09-01'"
        " AND epoch(shipped_at - paid_at) > 3 * 86400",
    )
    assert number(olist, "今年付款后超过3天才发货的订单有多少") == want
    # the time to pay asked in its own words stays the time to pay
    pay = number(olist, "今年付款后超过3天才发货的订单 平均付款用了几天")
    assert pay < 1
    # the delay beyond the bound (拖了几天) stays refused (dev_w26 w26o23)
    refused(olist, "今年付款以后超过3天才发货的单 平均拖了几天")
    # a score's points (几分) are no minutes: the orders' average review score, the reviews of the
    # year (the catalog dates review scores by the review) of the orders shipped late — since
    # session 41 (A: a duration's start word said before its threshold is the threshold's) no
    # longer refused
    score = sql_number(
        olist,
        "SELECT round(avg(score), 2) FROM reviews WHERE created_at >= '2018-01-01' AND"
        " created_at < '2018-09-01' AND order_id IN (SELECT order_id FROM orders WHERE"
        " epoch(shipped_at - paid_at) > 3 * 86400)",
    )
    assert number(olist, "今年付款后超过3天才发货的订单 评分平均几分") == score == 3.87


_NEW_WEEKEND = (
    "SELECT count(*) FROM (SELECT one_id, arg_min(created_at, (paid_at, order_id)) AS placed,"
    " min(paid_at) AS first_paid FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL"
    " GROUP BY 1) f WHERE f.first_paid >= '2018-01-01' AND f.first_paid < '2018-09-01'"
    " AND isodow(f.{col}) IN (6, 7)"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年新买家里 首单是在周末下的 有多少",
        "今年的新客 第一单在周末下单的有几个",
        "how many new customers this year placed their first order on a weekend",
    ],
)
def test_first_order_placed_on_a_weekend(olist: Workspace, question: str) -> None:
    assert number(olist, question) == sql_number(olist, _NEW_WEEKEND.format(col="placed"))


def test_first_order_on_a_weekend_without_placing_keeps_the_payment(olist: Workspace) -> None:
    # look-alike: no placing said — the first order's payment day, as before
    paid = sql_number(olist, _NEW_WEEKEND.format(col="first_paid"))
    assert number(olist, "今年新客里 首单在周末的有多少") == paid
    assert paid != sql_number(olist, _NEW_WEEKEND.format(col="placed"))


_BOLETO_AUGUST = (
    "SELECT sum(paid_amount) FROM orders WHERE payment_channel = 'boleto'"
    " AND paid_at >= '2018-08-01' AND paid_at < '2018-09-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "8月boleto的订单一共花了多少",
        "8月boleto订单一共卖了多少钱",
        "8月boleto的订单总共消费了多少钱",
        "8月boleto的单子加起来花了多少钱",
        "how much did boleto orders spend in total in August",
    ],
)
def test_money_of_orders_said_with_a_total(olist: Workspace, question: str) -> None:
    got = rows(olist, question)
    assert len(got[0]) == 1, got  # the money alone, no order count beside it
    assert float(got[0][0]) == pytest.approx(sql_number(olist, _BOLETO_AUGUST), abs=0.01)


def test_orders_counted_beside_money_when_asked(olist: Workspace) -> None:
    # look-alike: the count asked too keeps both
    got = rows(olist, "8月boleto的订单一共多少单 花了多少钱")
    assert len(got[0]) == 2
    assert number(olist, "8月boleto的订单一共有几个") == sql_number(
        olist,
        "SELECT count(*) FROM orders WHERE payment_channel = 'boleto'"
        " AND created_at >= '2018-08-01' AND created_at < '2018-09-01'",
    )


# --- orders whose lines span two or more categories (w34o19, w34d21) ---

_MULTI_CATEGORY = (
    "SELECT count(*) FILTER (WHERE n >= {n}) * 1.0 / count(*) FROM (SELECT o.order_id,"
    " count(DISTINCT coalesce(i.category, p.category)) AS n FROM order_items i"
    " JOIN orders o ON o.order_id = i.order_id LEFT JOIN products p ON p.product_id = i.product_id"
    " WHERE o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01' GROUP BY 1)"
)


@pytest.mark.parametrize(
    "question",
    [
        "8月的单子里 同时买了两个以上品类的占几成",
        "8月的订单里 一单里有2个或以上类目的占多少比例",
        "8月的单子里 混搭了不同品类的占几成",
        "8月 的 单子 里 同时 买 了 不同 品类 的 占 几 成",
    ],
)
def test_share_of_orders_spanning_categories(olist: Workspace, question: str) -> None:
    got = rows(olist, question)[0][-1]
    assert float(got) == pytest.approx(sql_number(olist, _MULTI_CATEGORY.format(n=2)), abs=1e-4)


def test_orders_spanning_three_categories_counted(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT count(*) FROM (SELECT i.order_id FROM order_items i JOIN orders o ON"
        " o.order_id = i.order_id LEFT JOIN products p ON p.product_id = i.product_id"
        " WHERE o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01' GROUP BY 1"
        " HAVING count(DISTINCT coalesce(i.category, p.category)) >= 3)",
    )
    assert number(olist, "8月一单里买了3个或以上类目的订单有多少") == want


def test_categories_across_orders_stay_a_persons(olist: Workspace) -> None:
    # look-alike: no 同时 / 一单 — the people who bought from 3+ categories over all their orders
    want = sql_number(
        olist,
        "SELECT count(*) FROM (SELECT o.one_id FROM order_items i JOIN orders o ON"
        " o.order_id = i.order_id LEFT JOIN products p ON p.product_id = i.product_id"
        " WHERE o.one_id IS NOT NULL AND o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01'"
        " GROUP BY 1 HAVING count(DISTINCT coalesce(i.category, p.category)) >= 3)",
    )
    assert number(olist, "8月买过3个以上品类的客户有多少") == want
    # the English said without the engine's words stays refused
    refused(olist, "what share of orders in August mixed different categories")
