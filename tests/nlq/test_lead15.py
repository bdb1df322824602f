"""Lead, session 15: a comparison of an average (a review score, an order value) works out its
change from the exact values of the two periods, not from their rounded display (4.01 vs 4.11
is −2.43 %, the scores themselves −2.34 %)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.nlq.helpers import ask_at, scalar

OLIST_TODAY = dt.date(2018, 9, 1)
DEMO_TODAY = dt.date(2025, 6, 1)  # the session demo's (tests/nlq/conftest.py)


def test_the_change_of_an_average_is_worked_out_exactly(olist_workspace: Path) -> None:
    cur, prev = (
        scalar(
            olist_workspace,
            f"SELECT avg(score) FROM reviews WHERE created_at >= '{a}' AND created_at < '{b}'",
        )
        for a, b in (("2018-01-01", "2018-07-01"), ("2017-01-01", "2017-07-01"))
    )
    got = ask_at(olist_workspace, "平均评分 今年上半年比去年上半年 变了多少", OLIST_TODAY)
    assert len(got) == 1
    shown_now, shown_before, change = got[0][:3]
    assert (shown_now, shown_before) == (round(cur, 2), round(prev, 2))
    assert change == pytest.approx(round((cur - prev) / prev, 4))
    assert change != pytest.approx(round((round(cur, 2) - round(prev, 2)) / round(prev, 2), 4))
    assert got[0][3] == pytest.approx(round(cur - prev, 2))  # 变了多少: by how much, shown rounded


def test_conditions_no_row_can_meet_together_are_refused(olist_workspace: Path) -> None:
    """ "好评(4-5星)和差评(1-2星)各多少条" is two groups; read as four conditions on one score it
    was a confident 0 for both. Conditions that exclude each other are said, not answered."""
    from shopql.catalog.compiler import _check_satisfiable
    from shopql.catalog.semantic import Filter
    from shopql.errors import ShopqlError

    with pytest.raises(ShopqlError, match="cannot all hold"):
        ask_at(olist_workspace, "今年 好评(4-5星)和差评(1-2星) 各多少条", OLIST_TODAY)
    for apart in (
        (Filter("review_score", ">=", (4,)), Filter("review_score", "<=", (2,))),
        (Filter("review_score", ">", (3,)), Filter("review_score", "<", (3,))),
        (Filter("review_score", ">", (3,)), Filter("review_score", "<=", (3,))),
        (Filter("province", "=", ("SP",)), Filter("province", "=", ("RJ",))),
        (Filter("province", "in", ("SP", "RJ")), Filter("province", "in", ("MG",))),
        (Filter("review_score", "in", (1, 2)), Filter("review_score", ">=", (4,))),
    ):
        with pytest.raises(ShopqlError):
            _check_satisfiable(apart)
    for together in (
        (Filter("review_score", ">=", (4,)), Filter("review_score", "<=", (5,))),
        (Filter("review_score", ">=", (3,)), Filter("review_score", "<=", (3,))),
        (Filter("province", "in", ("SP", "RJ")), Filter("province", "=", ("SP",))),
        (Filter("review_score", "in", (1, 5)), Filter("review_score", ">=", (4,))),
        (Filter("province", "=", ("SP",)), Filter("city", "=", ("campinas",))),
    ):
        _check_satisfiable(together)


def test_sales_per_seller_counts_the_sellers_of_the_sales(olist_workspace: Path) -> None:
    """The sellers a month's sales are divided by are the sellers of the lines paid that month
    (the numerator's dating), not the sellers of the orders placed that month."""
    want = scalar(
        olist_workspace,
        "SELECT round(sum(i.paid_amount) / count(DISTINCT i.shop_id), 2) FROM order_items i "
        "JOIN orders o ON o.order_id = i.order_id "
        "WHERE o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01'",
    )
    placed = scalar(
        olist_workspace,
        "SELECT count(DISTINCT i.shop_id) FROM order_items i JOIN orders o USING (order_id) "
        "WHERE o.created_at >= '2018-08-01' AND o.created_at < '2018-09-01'",
    )
    paid = scalar(
        olist_workspace,
        "SELECT count(DISTINCT i.shop_id) FROM order_items i JOIN orders o USING (order_id) "
        "WHERE o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01'",
    )
    assert placed != paid  # the two datings differ on this month
    got = ask_at(olist_workspace, "8月 平均每个卖家卖了多少钱", OLIST_TODAY)
    assert float(got[0][0]) == pytest.approx(float(want))


def test_a_condition_that_leaves_a_metric_none_of_its_rows_is_refused(
    nlq_demo_workspace: Path, olist_workspace: Path
) -> None:
    """Conversion among view events only (event_type = view) was a confident 0.0: converted
    visitors count buy events. A question's condition against a metric's own condition is
    refused; one within it narrows it (5星好评: positive reviews with score 5); and 'view to buy
    conversion' is its own metric, the buyers among the viewers."""
    from shopql.catalog.compiler import compile_query
    from shopql.catalog.semantic import Filter, SemanticQuery
    from shopql.config import load_settings
    from shopql.errors import ShopqlError
    from shopql.nlq.session import Workspace

    with Workspace(load_settings(nlq_demo_workspace), today=DEMO_TODAY) as ws:
        query = SemanticQuery(
            metrics=("conversion_rate",), filters=(Filter("event_type", "in", ("view",)),)
        )
        with pytest.raises(ShopqlError, match="converted_visitors"):
            compile_query(ws.catalog, query, DEMO_TODAY)
    want = scalar(
        nlq_demo_workspace,
        """WITH v AS (SELECT DISTINCT user_key FROM events WHERE event_type = 'view'
        AND event_time >= DATE '2025-05-19' AND event_time < DATE '2025-05-26'),
        b AS (SELECT DISTINCT user_key FROM events WHERE event_type = 'buy'
        AND event_time >= DATE '2025-05-19' AND event_time < DATE '2025-05-26')
        SELECT round(count(b.user_key) / count(*), 4) FROM v LEFT JOIN b USING (user_key)""",
    )
    assert 0 < want < 1
    for question in ("view to buy conversion last week", "上周浏览到购买的转化率"):
        assert ask_at(nlq_demo_workspace, question, DEMO_TODAY) == [(want,)]
    five = scalar(olist_workspace, "SELECT count(*) FROM reviews WHERE score = 5")
    assert ask_at(olist_workspace, "5星好评有多少", OLIST_TODAY) == [(five,)]
