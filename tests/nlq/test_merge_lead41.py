"""Readings the lead corrected merging session 41's branches (issue 11)."""

from __future__ import annotations

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql

_LINES = (
    "FROM order_items i JOIN orders o ON o.order_id = i.order_id JOIN shops s ON s.shop_id = "
    "i.shop_id WHERE o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'"
)


def test_a_place_against_its_negation_is_two_sides(olist: Workspace) -> None:
    """'今年 SP州的卖家 和 非SP州的卖家 销售额' was one number: the sellers in SP whose buyers were
    outside SP (C's person word refiled the first SP as the sellers' state, the negated one kept
    the buyers'). A place and its own negation joined as two sides is the place against every
    other one: one row each, of the same kind."""
    (sp,) = sql(olist, f"SELECT sum(i.paid_amount) {_LINES} AND s.province = 'SP'")[0]
    (rest,) = sql(olist, f"SELECT sum(i.paid_amount) {_LINES} AND s.province <> 'SP'")[0]
    sp, rest = float(sp), float(rest)
    assert round(sp, 2) == 4802578.51 and round(rest, 2) == 2591563.55
    for q in (
        "今年 SP州的卖家 和 非SP州的卖家 销售额",
        "今年SP州卖家跟非SP州卖家的销售额",
        "SP卖家和非SP卖家今年的销售额",
    ):
        got = {k: round(float(v), 2) for k, v in rows(olist, q)}
        assert got == {"SP": round(sp, 2), "其他": round(rest, 2)}, q
    placed = (
        "FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id WHERE "
        "o.created_at >= '2018-01-01' AND o.created_at < '2018-09-01' AND "
        "coalesce(o.province, c.province)"
    )
    (orders_sp,) = sql(olist, f"SELECT count(*) {placed} = 'SP'")[0]
    (orders_rest,) = sql(olist, f"SELECT count(*) {placed} <> 'SP'")[0]
    assert (orders_sp, orders_rest) == (23861, 30130)
    assert dict(rows(olist, "今年SP州和非SP州的订单数")) == {"SP": orders_sp, "其他": orders_rest}
    # look-alikes: a place's sellers selling outside it is one condition of each kind, not two
    # sides — not read as 'the rest' (refused today); a negated place alone stays one filter
    refused(olist, "SP州的卖家卖给非SP州买家的销售额")
    assert rows(olist, "今年非SP州的订单数") == [(orders_rest,)]
