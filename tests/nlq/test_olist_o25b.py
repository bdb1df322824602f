"""Session 25 round 2, helper o2 (Olist, issue 11): each answer checked against SQL written by hand
on the real workspace, in more than one phrasing (Chinese with and without spaces)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows as _rows
from tests.nlq.helpers import sql

PAID_2018 = "o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'"


def rows(ws: Workspace, question: str) -> list[tuple[Any, ...]]:
    """The answer's rows, a decimal as the float the hand-written SQL gives (cast to DOUBLE)."""
    return [
        tuple(float(v) if isinstance(v, Decimal) else v for v in r) for r in _rows(ws, question)
    ]


def test_not_in_a_state_leaves_it_out(olist: Workspace) -> None:
    """nlq/lexicon negation 不在 / 也不在: "不在SP州也不在RJ州的买家" are the buyers of every
    other state (each value after it left out), as 除了SP和RJ州."""
    ((both,),) = sql(
        olist,
        "SELECT sum(o.paid_amount)::DOUBLE FROM orders o JOIN customers c "
        f"ON c.customer_id = o.customer_id WHERE c.province NOT IN ('SP', 'RJ') AND {PAID_2018}",
    )
    assert round(both, 2) == 4195804.41
    for q in (
        "今年不在SP州也不在RJ州的买家一共花了多少",
        "今年 不在 SP州 也 不在 RJ州 的 买家 一共 花了 多少",
    ):
        assert rows(olist, q) == [(both,)], q
    ((orders,),) = sql(
        olist,
        "SELECT count(*) FROM orders o JOIN customers c ON c.customer_id = o.customer_id "
        "WHERE c.province <> 'SP' AND o.created_at >= '2018-01-01' AND o.created_at < '2018-09-01'",
    )
    assert orders == 30130
    assert rows(olist, "今年不在SP州的订单数") == [(orders,)]


def test_days_since_the_last_order_of_a_group_of_buyers(olist: Workspace) -> None:
    """nlq/recency: buyers named without an average ("RR州的买家最近一次下单") are whose orders
    count: the newest of them to today (not each buyer's own time averaged)."""
    ((days,),) = sql(
        olist,
        "SELECT round(date_diff('second', max(o.created_at), TIMESTAMP '2018-09-01') / 86400.0, 2) "
        "FROM orders o JOIN customers c ON c.customer_id = o.customer_id "
        "WHERE c.province = 'RR' AND o.created_at < '2018-09-01'",
    )
    assert float(days) == 39.14
    for q in (
        "RR州的买家最近一次下单到今天隔了多少天",
        "RR州 的 买家 最近一次 下单 到 今天 隔了 多少天",
    ):
        assert rows(olist, q) == [(float(days),)], q


def test_order_payment_is_the_order_value(olist: Workspace) -> None:
    """catalog measurables order_value: "order payment" is the order's paid amount (largest: its
    max, over paid orders by payment time), not a payment record's value."""
    ((top,),) = sql(olist, f"SELECT max(o.paid_amount)::DOUBLE FROM orders o WHERE {PAID_2018}")
    assert top == 7274.88
    for q in (
        "What was the single largest order payment this year?",
        "largest order payment this year",
        "biggest order payment this year",
    ):
        assert rows(olist, q) == [(top,)], q
