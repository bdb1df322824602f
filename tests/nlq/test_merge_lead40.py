"""Readings the lead corrected re-scoring session 40's merges on every set (issue 11)."""

from __future__ import annotations

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, sql_number

_BIG = "paid_amount > 5000 AND paid_at >= '2011-01-01' AND paid_at < '2011-12-01'"


def test_one_order_said_before_its_threshold(retail: Workspace) -> None:
    """'今年单张超过5000镑的发票一共收了多少钱' (h34r08) was answered only because another reading
    took 单张 with it; helper B's totals said after the orders (一共) took the right path and left
    单张 unplaced, and the wording without 一共 was refused on main. A one-row word right before an
    order's threshold says the amount is each order's own: the threshold's word."""
    money = sql_number(retail, f"SELECT sum(paid_amount) FROM orders WHERE {_BIG}")
    assert money > 0
    for q in (
        "今年单张超过5000镑的发票一共收了多少钱",
        "今年单张超过5000镑的发票收了多少钱",
        "今年单笔超过5000镑的发票一共付了多少钱",
    ):
        assert abs(number(retail, q) - money) < 0.01, q
    big = "created_at >= '2011-01-01' AND created_at < '2011-12-01' AND paid_amount > 5000"
    count = sql_number(retail, f"SELECT count(*) FROM orders WHERE {big}")
    assert number(retail, "今年单笔超过5000镑的发票有几张") == count
    assert number(retail, "今年一张超过5000镑的发票有多少") == count
    people = sql_number(retail, f"SELECT count(DISTINCT one_id) FROM orders WHERE {_BIG}")
    assert people > 0 and number(retail, "今年一单超过5000镑的客户有几个") == people
    # look-alike: a person's average order over 500 is not one order over 500
    refused(retail, "今年平均一单超过500镑的客户有几个")
