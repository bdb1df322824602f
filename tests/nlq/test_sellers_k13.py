"""Order-level measures by Olist seller (session 13, k): an Olist order can have several sellers
(1,278 orders), so a figure by seller, or of the sellers in a place, takes each order line's own
seller — an order counts once for each of its sellers (delivery days, review scores, average order
value = the seller's line amounts over its paid orders, repeat buyers) — and an amount kept per
order (freight) is refused by seller, never given to the order's first seller. Offline and through
the LLM's semantic query (a scripted OpenAI-compatible server on 127.0.0.1). Every figure is
checked against SQL written by hand; the paraphrases are this file's own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from tests.nlq.conftest import FakeLLM
from tests.nlq.helpers import rows, sql

DAYS = "(epoch(o.finished_at) - epoch(o.created_at)) / 86400.0"
SHIP = "(epoch(o.shipped_at) - epoch(o.paid_at)) / 86400.0"

AOV_TOP5 = (
    "SELECT i.shop_id, round(sum(i.paid_amount) / count(DISTINCT o.order_id), 2) FROM order_items i "
    "JOIN orders o USING (order_id) WHERE o.paid_at IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5"
)
SLOWEST5 = (
    f"SELECT shop_id, round(avg(d), 2) FROM (SELECT DISTINCT i.shop_id, o.order_id, {DAYS} AS d "
    "FROM orders o JOIN order_items i USING (order_id) WHERE o.finished_at IS NOT NULL "
    "AND o.created_at IS NOT NULL) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5"
)
# each review once for each seller state of its order's lines (an order without lines: no state)
SCORE_BY_STATE = (
    "WITH r AS (SELECT row_number() OVER () AS rn, * FROM reviews) SELECT province, "
    "round(avg(score), 2) FROM (SELECT DISTINCT s.province, r.rn, r.score FROM r "
    "LEFT JOIN order_items i ON i.order_id = r.order_id LEFT JOIN shops s ON s.shop_id = i.shop_id) "
    "GROUP BY 1"
)
DAYS_SP = (
    f"SELECT round(avg(d), 2) FROM (SELECT DISTINCT o.order_id, {DAYS} AS d FROM orders o "
    "JOIN order_items i USING (order_id) JOIN shops s ON s.shop_id = i.shop_id "
    "WHERE s.province = 'SP' AND o.finished_at IS NOT NULL)"
)
SHIP_BY_STATE = (
    f"SELECT province, round(avg(d), 2) FROM (SELECT DISTINCT s.province, o.order_id, {SHIP} AS d "
    "FROM orders o LEFT JOIN order_items i USING (order_id) LEFT JOIN shops s "
    "ON s.shop_id = i.shop_id WHERE o.shipped_at IS NOT NULL AND o.paid_at IS NOT NULL) GROUP BY 1"
)
REVIEWS_TOP5 = (
    "SELECT shop_id, count(*) FROM (SELECT DISTINCT i.shop_id, r.review_id, r.order_id "
    "FROM reviews r JOIN order_items i USING (order_id)) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5"
)
AOV_RJ = (
    "SELECT round(sum(i.paid_amount) / count(DISTINCT o.order_id), 2) FROM order_items i "
    "JOIN orders o USING (order_id) JOIN shops s ON s.shop_id = i.shop_id "
    "WHERE o.paid_at IS NOT NULL AND s.province = 'RJ'"
)
# buyers with two or more paid orders holding that seller's lines
REPEAT_TOP5 = (
    "SELECT shop_id, count(*) FROM (SELECT i.shop_id, o.one_id FROM order_items i "
    "JOIN orders o USING (order_id) WHERE o.paid_at IS NOT NULL AND o.one_id IS NOT NULL "
    "GROUP BY 1, 2 HAVING count(DISTINCT o.order_id) >= 2) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5"
)
# a seller is new where its own first paid line is: its own state (first_sales' seller)
NEW_SELLERS_BY_STATE_2017 = (
    "SELECT s.province, count(*) FROM (SELECT i.shop_id, min(o.paid_at) AS f FROM order_items i "
    "JOIN orders o USING (order_id) WHERE o.paid_at IS NOT NULL GROUP BY 1) n "
    "JOIN shops s ON s.shop_id = n.shop_id WHERE f >= '2017-01-01' AND f < '2018-01-01' "
    "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3"
)


def _num(table: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    return [tuple(float(x) if not isinstance(x, str | None) else x for x in r) for r in table]


@pytest.mark.parametrize("q", ["top 5 sellers by average order value", "客单价最高的5个卖家"])
def test_aov_by_seller_is_its_lines_over_its_orders(olist: Workspace, q: str) -> None:
    assert _num(rows(olist, q)) == _num(sql(olist, AOV_TOP5))


@pytest.mark.parametrize(
    "q", ["which 5 sellers take the longest to deliver on average", "平均配送天数最长的5个卖家"]
)
def test_delivery_days_by_seller_count_an_order_for_each_seller(olist: Workspace, q: str) -> None:
    assert _num(rows(olist, q)) == _num(sql(olist, SLOWEST5))


@pytest.mark.parametrize("q", ["average review score by seller state", "卖家所在州的平均评分"])
def test_review_score_by_seller_state(olist: Workspace, q: str) -> None:
    got = sorted(_num(rows(olist, q)), key=repr)
    assert got == sorted(_num(sql(olist, SCORE_BY_STATE)), key=repr)
    assert len(got) == 24  # 23 states and the reviews of orders without lines


@pytest.mark.parametrize("q", ["average delivery days of sellers in SP", "SP州卖家的平均配送天数"])
def test_delivery_days_of_the_sellers_in_a_state(olist: Workspace, q: str) -> None:
    """An order with two SP sellers counts once."""
    assert _num(rows(olist, q)) == _num(sql(olist, DAYS_SP)) == [(12.35,)]


def test_shipping_days_by_seller_state(olist: Workspace) -> None:
    got = sorted(_num(rows(olist, "average days to ship by seller state")), key=repr)
    assert got == sorted(_num(sql(olist, SHIP_BY_STATE)), key=repr)


def test_reviews_and_repeat_buyers_per_seller(olist: Workspace) -> None:
    assert rows(olist, "top 5 sellers by number of reviews") == sql(olist, REVIEWS_TOP5)
    for q in ("top 5 sellers by repeat buyers", "复购买家最多的5个卖家"):
        assert rows(olist, q) == sql(olist, REPEAT_TOP5)  # not everyone's repeat buyers


def test_aov_of_the_sellers_in_a_state(olist: Workspace) -> None:
    assert _num(rows(olist, "average order value of sellers in RJ")) == _num(sql(olist, AOV_RJ))


def test_new_sellers_by_their_own_state(olist: Workspace) -> None:
    assert rows(olist, "new sellers by seller state 2017 top 3") == sql(
        olist, NEW_SELLERS_BY_STATE_2017
    )


@pytest.mark.parametrize(
    "q",
    [
        "total freight by seller, top 5",
        "卖家运费排名前五",
        "average freight per order for each seller",
        "freight of sellers in SP",
    ],
)
def test_an_amount_kept_per_order_is_refused_by_seller(olist: Workspace, q: str) -> None:
    with pytest.raises(Exception, match="kept per order, not per order line"):
        answer(olist, q, "offline")


def test_freight_by_buyer_state_still_answers(olist: Workspace) -> None:
    got = rows(olist, "total freight by state top 3")
    assert got == sql(
        olist,
        "SELECT coalesce(o.province, c.province) AS p, sum(o.shipping_fee) FROM orders o "
        "LEFT JOIN customers c USING (customer_id) WHERE coalesce(o.province, c.province) "
        "IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3",
    )


def test_a_shop_elsewhere_is_the_orders_own(demo: Workspace) -> None:
    """No order of the demo has lines of another shop: by shop stays the order's shop."""
    a = answer(demo, "average order value by shop", "offline")
    assert a.query is not None and not a.query.line_seller
    want = sql(
        demo,
        "SELECT shop_id, round(sum(paid_amount) / count(*), 2) FROM orders "
        "WHERE paid_at IS NOT NULL GROUP BY 1",
    )
    assert sorted(_num([tuple(r) for r in a.main.rows]), key=repr) == sorted(_num(want), key=repr)


# -- the LLM's semantic query -----------------------------------------------------------------------


@pytest.fixture
def olist_llm(olist_workspace: Path, fake_llm: FakeLLM) -> Iterator[Workspace]:
    settings = load_settings(
        olist_workspace,
        {"base_url": fake_llm.url, "api_key": "test-key", "model": "fake-model"},
    )
    with Workspace(settings, today=dt.date(2018, 9, 1)) as ws:
        yield ws


def test_llm_delivery_days_by_shop_use_each_lines_seller(
    olist_llm: Workspace, fake_llm: FakeLLM
) -> None:
    fake_llm.enqueue_call(
        "semantic_query",
        {
            "metrics": ["avg_delivery_days"],
            "dimensions": ["shop"],
            "filters": [{"dimension": "shop", "op": "is not null"}],
            "order_by": [{"name": "avg_delivery_days", "descending": True}],
            "limit": 5,
        },
    )
    a = answer(olist_llm, "the 5 slowest sellers to deliver", engine="llm")
    assert a.path == "semantic" and a.query is not None and a.query.line_seller
    assert _num([tuple(r) for r in a.main.rows]) == _num(sql(olist_llm, SLOWEST5))
    assert any("line's own seller" in line for line in a.understood)


def test_llm_orders_by_shop_count_each_seller(olist_llm: Workspace, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue_call(
        "semantic_query",
        {
            "metrics": ["orders", "aov"],
            "dimensions": ["shop"],
            "order_by": [{"name": "orders", "descending": True}],
            "limit": 3,
        },
    )
    a = answer(olist_llm, "top 3 sellers by orders, with their aov", engine="llm")
    want = sql(
        olist_llm,
        "SELECT i.shop_id, count(DISTINCT o.order_id), round(sum(i.paid_amount) FILTER "
        "(WHERE o.paid_at IS NOT NULL) / count(DISTINCT o.order_id) FILTER (WHERE o.paid_at "
        "IS NOT NULL), 2) FROM order_items i JOIN orders o USING (order_id) "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3",
    )
    assert _num([tuple(r) for r in a.main.rows]) == _num(want)


def test_llm_freight_by_shop_is_sent_back(olist_llm: Workspace, fake_llm: FakeLLM) -> None:
    """The compiler's refusal goes back to the model as the tool result; its next query runs."""
    fake_llm.enqueue_call("semantic_query", {"metrics": ["sum_freight"], "dimensions": ["shop"]})
    fake_llm.enqueue_call(
        "semantic_query",
        {"metrics": ["avg_delivery_days"], "filters": [
            {"dimension": "seller_state", "op": "in", "values": ["SP"]}]},
    )  # fmt: skip
    a = answer(olist_llm, "运费最高的卖家", engine="llm")
    assert "kept per order, not per order line" in fake_llm.tool_results(1)[-1]
    assert _num([tuple(r) for r in a.main.rows]) == _num(sql(olist_llm, DAYS_SP))
    assert "several sellers" in fake_llm.system_prompt()
