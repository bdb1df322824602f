"""The lead's fixes at session 25's merge (issue 11): a confident answer to another question,
found comparing the merge with main id by id on the older sets."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql, sql_number

C_2011 = (
    "raw_status = 'cancellation invoice' AND created_at >= '2011-01-01' "
    "AND created_at < '2011-12-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年被退得最多的商品 top3 (件数)",
        "今年 被 退 得 最多 的 商品 件数 前三",
        "今年被退的最多的商品(按数量)",
    ],
)
def test_returned_the_most_in_pieces_is_not_return_invoices(
    retail: Workspace, question: str
) -> None:
    """被退得最多 said with the pieces is the units returned, which no metric holds: refused (the
    passive's rewrite to 退货单 ranked by return invoices beside the units SOLD — a wrong answer)."""
    refused(retail, question)


def test_returned_the_most_alone_is_return_invoices(retail: Workspace) -> None:
    want = sql_number(
        retail,
        "SELECT count(DISTINCT o.order_id) FROM orders o JOIN order_items i USING (order_id) "
        f"WHERE {C_2011.replace('raw_status', 'o.raw_status').replace('created_at', 'o.created_at')}"
        " AND i.product_id IS NOT NULL AND coalesce(i.spu_id, i.product_id) = '22423'",
    )
    got = rows(retail, "今年被退得最多的商品")
    assert got[0][0] == "22423" and got[0][-1] == want


@pytest.mark.parametrize(
    "question",
    [
        "订单最多的商品品类",
        "最常见的商品品类",
        "订单 最多 的 商品 品类",
        "哪个产品类目的订单最多",
        "订单最多的商品分类",
    ],
)
def test_the_products_category_is_the_category(olist: Workspace, question: str) -> None:
    """商品品类 (and 商品 品类, 产品类目, 商品分类) is the category: was read as the product AND its
    category, answering the top product (with its category) — a confident answer to another
    question."""
    want = sql(
        olist,
        "SELECT coalesce(i.category, p.category) AS c, count(DISTINCT i.order_id) FROM order_items i "
        "LEFT JOIN products p ON p.product_id = i.product_id JOIN orders o ON o.order_id = "
        "i.order_id WHERE coalesce(i.category, p.category) IS NOT NULL GROUP BY 1 ORDER BY 2 DESC "
        "LIMIT 1",
    )
    got = rows(olist, question)
    assert len(got[0]) == 2, question  # the category and its figure, no product column
    assert (got[0][0], got[0][1]) == tuple(want[0]), question
