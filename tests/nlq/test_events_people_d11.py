"""The demo brand, session 11 (issue 11 §2, slice d): behaviour-event metrics (add-to-cart and
favourite visitors and events, the cart-to-buy conversion rate) and set logic in time order
("bought A, then later B") — each compared with hand-written SQL on the generated demo (seed 7,
today 2025-06-01), in English and Chinese paraphrases."""

from __future__ import annotations

from typing import Any

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql

LAST_30 = "event_time >= DATE '2025-05-02' AND event_time < DATE '2025-06-01'"
LAST_MONTH = "event_time >= DATE '2025-05-01' AND event_time < DATE '2025-06-01'"


def one(ws: Workspace, question: str) -> Any:
    (row,) = rows(ws, question)
    return row[-1]


@pytest.mark.parametrize("question", ["上个月加购人数", "how many cart visitors last month"])
def test_cart_visitors(demo: Workspace, question: str) -> None:
    (want,) = sql(
        demo,
        f"SELECT count(DISTINCT user_key) FROM events WHERE event_type = 'cart' AND {LAST_MONTH}",
    )
    assert want[0] > 0
    assert one(demo, question) == want[0]


@pytest.mark.parametrize("question", ["上个月加购次数", "how many add-to-carts last month"])
def test_cart_events(demo: Workspace, question: str) -> None:
    """Events, not visitors: one visitor adding three times is three add-to-carts."""
    (want,) = sql(demo, f"SELECT count(*) FROM events WHERE event_type = 'cart' AND {LAST_MONTH}")
    (visitors,) = sql(
        demo,
        f"SELECT count(DISTINCT user_key) FROM events WHERE event_type = 'cart' AND {LAST_MONTH}",
    )
    assert want[0] > visitors[0]
    assert one(demo, question) == want[0]


@pytest.mark.parametrize("question", ["一天里几点加购的人最多", "哪个小时加购人数最多"])
def test_hour_with_most_cart_visitors(demo: Workspace, question: str) -> None:
    want = sql(
        demo,
        "SELECT hour(event_time), count(DISTINCT user_key) AS n FROM events "
        "WHERE event_type = 'cart' GROUP BY 1 QUALIFY rank() OVER (ORDER BY n DESC) = 1",
    )
    assert [tuple(r[-2:]) for r in rows(demo, question)] == want


@pytest.mark.parametrize("question", ["收藏最多的类目", "which category has the most favourites"])
def test_category_most_favourited(demo: Workspace, question: str) -> None:
    want = sql(
        demo,
        "SELECT coalesce(e.category, p.category) AS c, count(*) AS n FROM events e "
        "LEFT JOIN products p USING (product_id) WHERE e.event_type = 'fav' GROUP BY 1 "
        "QUALIFY rank() OVER (ORDER BY n DESC) = 1",
    )
    assert [tuple(r[-2:]) for r in rows(demo, question)] == want


@pytest.mark.parametrize(
    "question",
    ["近30天各平台加购到购买的转化率", "cart to buy conversion by platform, last 30 days"],
)
def test_cart_to_buy_rate_by_platform(demo: Workspace, question: str) -> None:
    """Visitors with a cart and a buy event (in the window, on that platform) / visitors with a
    cart event: never above 1, as a buy without a cart is no cart conversion."""
    want = sql(
        demo,
        "SELECT platform, round(count(*) FILTER (WHERE c AND b) / count(*) FILTER (WHERE c), 4) "
        "FROM (SELECT platform, user_key, bool_or(event_type = 'cart') AS c, "
        f"bool_or(event_type = 'buy') AS b FROM events WHERE {LAST_30} AND user_key IS NOT NULL "
        "GROUP BY 1, 2) GROUP BY 1 HAVING count(*) FILTER (WHERE c) > 0 ORDER BY 2 DESC, 1",
    )
    got = rows(demo, question)
    assert len(want) >= 2 and all(0 < r[1] <= 1 for r in want)
    assert sorted(got) == sorted(want)


SEQUENCE = (
    "SELECT count(DISTINCT a.one_id) FROM (SELECT o.one_id, o.paid_at FROM orders o "
    "JOIN order_items i USING (order_id) WHERE {a} AND o.paid_at IS NOT NULL "
    "AND o.one_id IS NOT NULL) a JOIN (SELECT o.one_id, o.paid_at FROM orders o "
    "JOIN order_items i USING (order_id) WHERE {b} AND o.paid_at IS NOT NULL) b "
    "ON a.one_id = b.one_id AND b.paid_at > a.paid_at"
)
SOFA = "coalesce(i.clean_title, i.title) LIKE '%沙发%'"
TABLE = "coalesce(i.clean_title, i.title) LIKE '%茶几%'"


@pytest.mark.parametrize(
    "question",
    [
        "customers who bought a sofa and later came back for a coffee table",
        "买了沙发之后又买了茶几的客户有几个",
        "先买沙发后来又买茶几的人有多少",
        "bought a sofa then a coffee table, how many customers",
    ],
)
def test_sofa_then_coffee_table(demo: Workspace, question: str) -> None:
    (want,) = sql(demo, SEQUENCE.format(a=SOFA, b=TABLE))
    assert want[0] > 0
    assert one(demo, question) == want[0]


def test_the_order_is_the_order_named(demo: Workspace) -> None:
    """Tmall then JD is not JD then Tmall (nor both, in any order)."""
    tmall_jd, jd_tmall, both = (
        sql(
            demo,
            "SELECT count(DISTINCT a.one_id) FROM orders a JOIN orders b ON a.one_id = b.one_id "
            f"AND {cond} WHERE a.platform = 'tmall' AND b.platform = 'jd' "
            "AND a.paid_at IS NOT NULL AND b.paid_at IS NOT NULL",
        )[0][0]
        for cond in ("b.paid_at > a.paid_at", "b.paid_at < a.paid_at", "true")
    )
    assert len({tmall_jd, jd_tmall, both}) == 3
    assert one(demo, "先在天猫买后来又在京东买的人有多少") == tmall_jd
    assert one(demo, "how many people bought on tmall and then on jd") == tmall_jd
    assert one(demo, "customers who first bought on jd then later on tmall") == jd_tmall
    assert one(demo, "天猫和京东都买过的人有多少") == both


def test_first_order_on_one_platform_then_another(demo: Workspace) -> None:
    """第一次在天猫买: the first paid order ever is Tmall's (this year), then a later JD order."""
    (want,) = sql(
        demo,
        "WITH f AS (SELECT one_id, arg_min(platform, paid_at) AS p, min(paid_at) AS t "
        "FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL GROUP BY 1) "
        "SELECT count(*) FROM f WHERE p = 'tmall' AND t >= DATE '2025-01-01' AND t < "
        "DATE '2025-06-01' AND EXISTS (SELECT 1 FROM orders o WHERE o.one_id = f.one_id "
        "AND o.platform = 'jd' AND o.paid_at > f.t)",
    )
    assert want[0] > 0
    assert one(demo, "今年第一次在天猫买、后来又去京东买过的人有几个") == want[0]


@pytest.mark.parametrize(
    "question",
    [
        "退过款之后又回来下单的客户有几个",  # a refund then an order: not two things bought
        "买了沙发之后又回来买东西的客户有几个",  # one thing named
    ],
)
def test_then_without_two_purchases_is_refused(demo: Workspace, question: str) -> None:
    refused(demo, question)


def test_then_is_said(demo: Workspace) -> None:
    got = answer(demo, "买了沙发之后又买了茶几的客户有几个", "offline")
    assert any("then later" in line for line in got.understood)
