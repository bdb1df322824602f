"""Online Retail questions answered, never another question (issue 11, session 24 round 2,
helper r2).

买过 said between the people ranked and the different products counted ("今年哪3个客户买过的不同
商品最多") is the verb of those products: each customer's different products. Beside a product
(买过沙发的客户) or anything else it stays a condition the engine must read. Values against
hand-written SQL on the Retail test workspace (today 2011-12-01); paraphrases with and without
spaces."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql

PAID_2011 = "o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01'"


@pytest.mark.parametrize(
    "question",
    [
        "今年 哪3个客户 买过的不同商品最多",
        "今年哪3个客户买过的不同商品最多",
        "今年买过的不同商品最多的3个客户是谁",
        "今年 哪3个客户 买过 的 商品 数 最多",
    ],
)
def test_products_each_customer_bought(retail: Workspace, question: str) -> None:
    want = sql(
        retail,
        "SELECT o.one_id, count(DISTINCT coalesce(i.spu_id, i.product_id)) FROM order_items i "
        f"JOIN orders o ON o.order_id = i.order_id WHERE {PAID_2011} AND o.one_id IS NOT NULL "
        "AND i.product_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3",
    )
    got = rows(retail, question)
    # people ranked show their accounts between the person and the figure (session 41)
    assert [(str(r[0]), int(r[-1])) for r in got[:3]] == [(str(p), int(n)) for p, n in want]
