"""A count asked after the groups and their condition ("sellers with more than 500 orders, how
many?", "卖家里订单超过500的有几个") is the number of groups meeting it, as "how many sellers have
more than 500 orders" is — not the list of those groups with the "how many" dropped. Without the
count asked, the groups are listed; the suggestions a refusal offers are never the same twice."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql

# an order counts for each of its sellers (its own lines; session 12, c)
SELLERS_2017 = (
    "SELECT count(*) FROM (SELECT i.shop_id FROM order_items i JOIN orders o USING (order_id)"
    " WHERE o.created_at >= '2017-01-01' AND o.created_at < '2018-01-01' AND i.shop_id IS NOT NULL"
    " GROUP BY 1 HAVING count(DISTINCT i.order_id) > 500)"
)
SELLERS = (
    "SELECT count(*) FROM (SELECT shop_id FROM order_items WHERE shop_id IS NOT NULL"
    " GROUP BY 1 HAVING count(DISTINCT order_id) > 500)"
)


@pytest.mark.parametrize(
    "question",
    [
        "sellers with more than 500 orders in 2017, how many",
        "sellers with more than 500 orders in 2017 - how many are there?",
        "2017年订单超过500的卖家有几个",
    ],
)
def test_how_many_after_the_condition_counts_the_groups(olist: Workspace, question: str) -> None:
    assert rows(olist, question) == sql(olist, SELLERS_2017) == [(8,)]


def test_chinese_count_at_the_end(olist: Workspace) -> None:
    assert rows(olist, "卖家里订单超过500的有几个") == sql(olist, SELLERS) == [(26,)]
    states = sql(
        olist,
        "SELECT count(*) FROM (SELECT coalesce(o.province, c.province) AS p,"
        " count(DISTINCT o.one_id) AS b FROM orders o JOIN customers c USING (customer_id)"
        " WHERE o.paid_at IS NOT NULL GROUP BY 1 HAVING b > 1000) WHERE p IS NOT NULL",
    )
    assert rows(olist, "states with more than 1000 buyers, how many?") == states


def test_without_a_count_the_groups_are_listed(olist: Workspace) -> None:
    got = rows(olist, "订单超过500的卖家")
    assert len(got) == sql(olist, SELLERS)[0][0] == 26
    assert all(n > 500 for _, n in got)


def test_a_refusal_never_offers_the_same_question_twice(demo: Workspace) -> None:
    from shopql.errors import ShopqlError
    from shopql.nlq.answer import answer

    with pytest.raises(ShopqlError) as e:
        answer(demo, "广告花费多少", "offline")
    said = str(e.value.message)
    assert "广告" in said
    suggestions = getattr(e.value, "suggestions", [])
    assert suggestions and len(suggestions) == len(set(suggestions))
