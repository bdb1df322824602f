"""Session 24's lead checks at the merge: a money column said before 平均每笔 / 每单 is that
column averaged over the rows counted (was its total beside the AOV); the carrier's days are
dated by the hand-over, as every duration by its start."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql


@pytest.mark.parametrize(
    "question",
    [
        "运费平均每笔多少",  # was the freight total beside the AOV: two answers to another question
        "运费平均每单多少",
        "运费 平均每笔 多少钱",
        "平均每笔运费多少",  # the order said before the column already read so
        "每单平均运费",
    ],
)
def test_a_money_column_said_before_the_average_per_order(olist: Workspace, question: str) -> None:
    ((want,),) = sql(olist, "SELECT round(avg(shipping_fee), 2) FROM orders")
    assert [tuple(float(v) for v in r) for r in rows(olist, question)] == [(want,)], question


@pytest.mark.parametrize(
    "question",
    ["今年RS州的单从发货到送达平均几天", "今年 RS州 的 单 从 发货 到 送达 平均 几天"],
)
def test_transit_days_dated_by_the_hand_over(olist: Workspace, question: str) -> None:
    ((want,),) = sql(
        olist,
        "SELECT round(avg(date_diff('second', o.shipped_at, o.finished_at) / 86400.0), 2) "
        "FROM orders o JOIN customers c ON c.customer_id = o.customer_id WHERE c.province = 'RS' "
        "AND o.shipped_at >= '2018-01-01' AND o.shipped_at < '2018-09-01' "
        "AND o.finished_at IS NOT NULL",
    )
    assert [round(float(r[-1]), 2) for r in rows(olist, question)] == [float(want)], question


@pytest.mark.parametrize(
    "question",
    ["18年7月平均一件商品卖多少钱", "18年7月 平均 一件 商品 卖 多少钱", "18年7月平均一件卖多少钱"],
)
def test_the_piece_said_with_its_noun_is_no_breakdown(olist: Workspace, question: str) -> None:
    """一件商品: the thing a piece is, not a row per product (was 4,141 rows, one per product,
    once 件 became a per-unit classifier): July 2018's sales over its units sold."""
    ((want,),) = sql(
        olist,
        "SELECT round((SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2018-07-01' AND "
        "paid_at < '2018-08-01') / (SELECT sum(i.quantity) FROM order_items i JOIN orders o "
        "USING (order_id) WHERE o.paid_at >= '2018-07-01' AND o.paid_at < '2018-08-01'), 2)",
    )
    assert [tuple(float(v) for v in r) for r in rows(olist, question)] == [(float(want),)]


@pytest.mark.parametrize(
    "question", ["哪个城市买得最多", "哪个城市卖得最多", "which city bought the most"]
)
def test_a_ranking_by_a_dimension_no_row_carries_is_refused(
    retail: Workspace, question: str
) -> None:
    """Online Retail has no city: a ranking leaves the NULL group out and came back with no row,
    shown as an answer (0 rows); now the no-data refusal a breakdown by city already gave."""
    from shopql.nlq.nodata import NoDataHere

    with pytest.raises(NoDataHere):
        rows(retail, question)
