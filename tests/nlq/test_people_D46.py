"""Orders counted under a payment method, people with at least N orders said with 张 + 单, and
people who paid every order one way said with 走 / 拿 (session 46, helper D). Values against
hand-written SQL; each reading beside a look-alike that keeps its own answer."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, rows, sql, sql_number

_YEAR_OLIST = "paid_at >= '2018-01-01' AND paid_at < '2018-09-01'"


def _paid_orders(where: str, start: str, end: str) -> str:
    """Paid orders by payment time, in [start, end), under `where`."""
    return (
        f"SELECT count(*) FROM orders o WHERE {where}"
        f" AND o.paid_at >= '{start}' AND o.paid_at < '{end}'"
    )


# --- orders counted under a payment method are the paid ones, by payment time ---


@pytest.mark.parametrize(
    ("question", "where", "start", "end"),
    [
        ("8月用voucher付的单有几单", "payment_channel = 'voucher'", "2018-08-01", "2018-09-01"),
        (
            "How many orders were paid by boleto in July?",
            "payment_channel = 'boleto'",
            "2018-07-01",
            "2018-08-01",
        ),
        (
            "上个月不是boleto付的订单有多少",
            "payment_channel <> 'boleto'",
            "2018-08-01",
            "2018-09-01",
        ),
        (
            "7月刷信用卡的订单有多少单",
            "payment_channel = 'credit_card'",
            "2018-07-01",
            "2018-08-01",
        ),
    ],
)
def test_orders_paid_by_a_channel(
    olist: Workspace, question: str, where: str, start: str, end: str
) -> None:
    assert number(olist, question) == sql_number(olist, _paid_orders(where, start, end))


def test_orders_by_channel_in_a_state(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT count(*) FROM orders o JOIN customers c ON c.customer_id = o.customer_id"
        f" WHERE c.province = 'SP' AND o.payment_channel = 'credit_card' AND o.{_YEAR_OLIST}",
    )
    assert number(olist, "今年 SP州 拿 信用卡 结账 的 单 有 几 单") == want


def test_orders_split_by_channel_are_paid(olist: Workspace) -> None:
    got = {r[0]: float(r[1]) for r in rows(olist, "上季度 各种支付方式 各多少单")}
    want = {
        ch: float(n)
        for ch, n in sql(
            olist,
            "SELECT payment_channel, count(*) FROM orders WHERE paid_at >= '2018-04-01'"
            " AND paid_at < '2018-07-01' GROUP BY 1",
        )
    }
    assert got == want


def test_orders_without_a_channel_stay_placed(olist: Workspace) -> None:
    # no payment method said: every order placed, by order time (the catalog's orders)
    want = sql_number(
        olist,
        "SELECT count(*) FROM orders WHERE created_at >= '2018-08-01' AND created_at < '2018-09-01'",
    )
    assert number(olist, "8月有多少单") == want
    assert want != sql_number(olist, _paid_orders("true", "2018-08-01", "2018-09-01"))


# --- people with at least N orders, 张 said before 单 ---

_FIVE_INVOICES = (
    "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at >= '2011-01-01'"
    " AND paid_at < '2011-12-01' AND one_id IS NOT NULL GROUP BY 1 HAVING count(*) >= 5)"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年下过5张以上单的客户有几个",
        "今年 来 下过 不少于 5张 单 的 客户 人数",
        "今年至少下了5张单子的客户有几位",
        "今年下过 5 张 以上 单 的 客户 一共 有 多少",
    ],
)
def test_people_with_n_orders_zhang_dan(retail: Workspace, question: str) -> None:
    assert number(retail, question) == sql_number(retail, _FIVE_INVOICES)


# --- people who paid every order one way, said with 走 / 拿 ---


def _only_channel(channel: str) -> str:
    return (
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE one_id IS NOT NULL"
        f" AND {_YEAR_OLIST} GROUP BY 1 HAVING bool_and(payment_channel = '{channel}'))"
    )


@pytest.mark.parametrize(
    ("question", "channel"),
    [
        ("今年付款全都走boleto的买家有多少", "boleto"),
        ("今年 付款 全 都 走 boleto 的 买家 有 多少", "boleto"),
        ("今年全部拿voucher付款的买家有几个", "voucher"),
        ("今年一直走信用卡付款的买家有几位", "credit_card"),
    ],
)
def test_people_who_paid_every_order_one_way(olist: Workspace, question: str, channel: str) -> None:
    assert number(olist, question) == sql_number(olist, _only_channel(channel))


def test_paid_one_way_once_is_any_such_order(olist: Workspace) -> None:
    # no 全 / 一直: the buyers with a boleto order, not those paying only so
    want = sql_number(
        olist,
        f"SELECT count(DISTINCT one_id) FROM orders WHERE payment_channel = 'boleto' AND {_YEAR_OLIST}",
    )
    assert number(olist, "今年走boleto付过款的买家有多少") == want
    assert want != sql_number(olist, _only_channel("boleto"))


def test_zou_without_a_channel_keeps_units(olist: Workspace) -> None:
    # 走了多少件: the pieces sold, not a payment method
    want = sql_number(
        olist,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
        f" WHERE o.{_YEAR_OLIST}",
    )
    assert number(olist, "今年走了多少件") == want
