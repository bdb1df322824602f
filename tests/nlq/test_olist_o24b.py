"""Session 24 round 2, helper o2 (Olist, issue 11): each answer checked against SQL written by
hand on the real workspace; each fix tried in more than one phrasing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, sql
from tests.nlq.helpers import rows as _rows


def rows(ws: Workspace, question: str) -> list[tuple[Any, ...]]:
    """The answer's rows, a decimal as the float the hand-written SQL gives (cast to DOUBLE)."""
    return [
        tuple(float(v) if isinstance(v, Decimal) else v for v in r) for r in _rows(ws, question)
    ]


def test_orders_paid_by_a_channel_are_that_channels_orders(olist: Workspace) -> None:
    """offline._paid_by_said: "orders paid by debit card" names the order's own payment channel
    (a filter already placed), not the payments table; with a period ("paid by boleto in 2018")
    it stays unplaced (the period may date the payment)."""
    ((score, n),) = sql(
        olist,
        "SELECT round(avg(r.score), 2)::DOUBLE, count(DISTINCT o.order_id) FROM reviews r "
        "JOIN orders o ON o.order_id = r.order_id WHERE o.payment_channel = 'debit_card'",
    )
    ((orders,),) = sql(olist, "SELECT count(*) FROM orders WHERE payment_channel = 'debit_card'")
    assert (score, orders) == (4.17, 1528)
    for q in (
        "What's the average review score on orders paid by debit card?",
        "average review score on orders paid with a debit card",
        "avg review score for orders paid using debit card",
    ):
        assert rows(olist, q)[0][0] == score, q
    assert refused(olist, "avg review score for orders paid by boleto in 2018")


def test_a_fall_said_as_a_drop(olist: Workspace) -> None:
    """catalog languages: 掉了多少 / 掉了几单 is 降了 (how much it fell: the comparison row, the
    fall as a positive delta)."""
    ((dec, nov),) = sql(
        olist,
        "SELECT round(sum(paid_amount) FILTER (WHERE paid_at >= '2017-12-01' AND paid_at < "
        "'2018-01-01'), 2)::DOUBLE, round(sum(paid_amount) FILTER (WHERE paid_at >= '2017-11-01' "
        "AND paid_at < '2017-12-01'), 2)::DOUBLE FROM orders",
    )
    assert (dec, nov) == (902534.69, 1174911.51)
    for q in (
        "2017年12月比11月销售额掉了多少",
        "2017年 12月 比 11月 销售额 掉了 多少",
        "2017年12月的销售额比11月掉了多少",
    ):
        got = rows(olist, q)
        assert got[0][:2] == (dec, nov), q
        # since session 41 (B): the signed change (dec − nov), then the fall as asked, last
        assert round(got[0][3], 2) == round(dec - nov, 2), q
        assert round(got[0][-1], 2) == round(nov - dec, 2), q
