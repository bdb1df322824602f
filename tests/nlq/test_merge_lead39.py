"""Readings the lead corrected re-scoring session 39's merges on every set (issue 11)."""

from __future__ import annotations

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, sql_number

_VOUCHER_PAID = (
    "SELECT sum(paid_amount) FROM orders WHERE payment_channel = 'voucher'"
    " AND paid_at >= '2018-08-01' AND paid_at < '2018-09-01'"
)
_VOUCHER_ORDERS = (
    "SELECT count(*) FROM orders WHERE payment_channel = 'voucher'"
    " AND created_at >= '2018-08-01' AND created_at < '2018-09-01'"
)


def test_what_the_orders_paid_is_money(olist: Workspace) -> None:
    """'…的订单总共付了多少': the money those orders paid, not how many orders — helper D's 结账 =
    付款 exposed it (h34o08 turned from refused to a count of orders), and the plain 付款 wording
    was a count on main."""
    want = sql_number(olist, _VOUCHER_PAID)
    for q in (
        "8月用voucher付款的订单总共付了多少",
        "8月拿voucher结账的单子总共付了多少",
        "8月用voucher付款的订单一共支付了多少",
    ):
        assert abs(number(olist, q) - want) < 0.01, q
    # look-alikes: how many orders, said with 有多少 or with a counter after the verb
    orders = sql_number(olist, _VOUCHER_ORDERS)
    assert number(olist, "8月用voucher付款的订单有多少") == orders
    assert number(olist, "8月用voucher付款的订单付了多少单") == orders
