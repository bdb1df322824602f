"""People with at least N orders said with 张 + 单, and people who paid every order one way said
with 走 / 拿 (session 46, helper D). Values against hand-written SQL; each reading beside a
look-alike that keeps its own answer."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, sql_number

_YEAR_OLIST = "paid_at >= '2018-01-01' AND paid_at < '2018-09-01'"


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
