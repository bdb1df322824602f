"""The question's path (issue 11, "Shape"): answer.py enters the offline engine by its two doors
only, and what the engines read from the catalog is read from it (the seller's own attributes are
the shops entity's dimensions, not a list) — checked on the Olist session workspace."""

from __future__ import annotations

import ast
from pathlib import Path

import shopql.nlq
from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql

NLQ = Path(shopql.nlq.__file__).parent


def test_answer_enters_the_offline_engine_only_to_understand() -> None:
    """Refusal types and suggestions come from their own modules (nlq.shared, nlq.reading), not
    through offline.py's re-exports: the answer path calls the parser, nothing else of it."""
    tree = ast.parse((NLQ / "answer.py").read_text(encoding="utf-8"))
    taken = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "shopql.nlq.offline"
        for alias in node.names
    }
    assert taken == {"understand", "close_questions"}


def test_a_shop_attribute_ranking_splits_orders_per_line_like_the_sellers(
    olist: Workspace,
) -> None:
    """Olist orders can have several sellers: a ranking by the shop's name (an attribute the
    catalog declares on the shops entity only) credits each line to its own seller, as the
    ranking of sellers does — not the whole order to one of them (189,542.35 for the first)."""
    gold = sql(
        olist,
        "SELECT s.name, sum(i.paid_amount) FROM order_items i "
        "JOIN orders o ON o.order_id = i.order_id JOIN shops s ON s.shop_id = i.shop_id "
        "WHERE o.paid_at >= '2017-01-01' AND o.paid_at < '2018-01-01' "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 3",
    )
    assert [round(float(v), 2) for _, v in gold] == [181113.92, 159389.13, 127497.87]
    got = rows(olist, "sales by shop name in 2017 top 3")
    assert [(n, round(float(v), 2)) for n, v in got] == [(n, round(float(v), 2)) for n, v in gold]
    sellers = rows(olist, "top 3 sellers by sales in 2017")
    assert [round(float(v), 2) for _, v in sellers] == [round(float(v), 2) for _, v in gold]
    # platform is on the shops model too, but orders have it: not a seller attribute
    by_platform = rows(olist, "sales by platform in 2017")
    (whole,) = sql(
        olist,
        "SELECT sum(paid_amount) FROM orders "
        "WHERE paid_at >= '2017-01-01' AND paid_at < '2018-01-01'",
    )[0]
    assert [(p, round(float(v), 2)) for p, v in by_platform] == [("olist", round(float(whole), 2))]
