"""The demo brand, session 10 (issue 11 §2): people sets ("last month and the month before",
lapsed said as "nothing in the last 60 days", 退过款的客户), shops (几家店), platforms said with
谁卖得多 / 成交多少, a breakdown said with its size (五个平台, 两个仓), a card's share of orders,
and named days of the week compared — each compared with hand-written SQL on the generated demo
(seed 7, today 2025-06-01)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from shopql.nlq.shared import NotUnderstood
from tests.nlq.conftest import DEMO_TODAY

REFUND_EVENTS = (
    "SELECT r.order_id, r.amount FROM refunds r WHERE r.status IS NULL OR lower(r.status) = "
    "'success' UNION ALL SELECT o.order_id, o.refund_amount FROM orders o WHERE "
    "o.refund_amount <> 0 AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.order_id)"
)


@pytest.fixture(scope="module")
def demo(nlq_demo_workspace: Path) -> Iterator[Workspace]:
    with Workspace(load_settings(nlq_demo_workspace), today=DEMO_TODAY) as ws:
        yield ws


def scalar(ws: Workspace, sql: str) -> Any:
    return ws.run(sql, "test", source="test").rows[0][0]


def rows(ws: Workspace, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in ws.run(sql, "test", source="test").rows]


def asked(ws: Workspace, question: str) -> Any:
    return answer(ws, question, "offline")


def column(a: Any, name: str) -> list[Any]:
    at = a.main.columns.index(name)
    return [r[at] for r in a.main.rows]


def test_bought_last_month_and_the_month_before(demo: Workspace) -> None:
    """'the month before' counts back from the month said before it (April 2025), not from
    today; 'both' before the first period says both."""
    both = scalar(
        demo,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at >= '2025-05-01' "
        "AND paid_at < '2025-06-01' AND one_id IS NOT NULL INTERSECT SELECT one_id FROM orders "
        "WHERE paid_at >= '2025-04-01' AND paid_at < '2025-05-01')",
    )
    assert both > 0
    for question in (
        "people who bought both last month and the month before",
        "customers who bought last month and also the month before",
        "上个月和再前一个月都下过单的客户数",
        "上个月和上上个月都买过的人有多少",
    ):
        a = asked(demo, question)
        assert a.main.rows == [(both,)], question
        starts = [c.time_range.start.date().isoformat() for c in a.query.population.conditions]
        assert sorted(starts) == ["2025-04-01", "2025-05-01"], question
    # a quarter and the one before it
    quarters = scalar(
        demo,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at >= '2025-01-01' "
        "AND paid_at < '2025-04-01' AND one_id IS NOT NULL INTERSECT SELECT one_id FROM orders "
        "WHERE paid_at >= '2024-10-01' AND paid_at < '2025-01-01')",
    )
    assert asked(
        demo, "customers who bought both last quarter and the quarter before"
    ).main.rows == [(quarters,)]


def test_the_month_before_a_period_that_is_no_whole_month_is_refused(demo: Workspace) -> None:
    with pytest.raises(NotUnderstood):
        asked(demo, "people who bought in the last 30 days and the month before")


def test_lapsed_said_as_nothing_in_the_last_days(demo: Workspace) -> None:
    lapsed = scalar(
        demo,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at < DATE '2025-06-01' - "
        "INTERVAL 60 DAY AND one_id IS NOT NULL EXCEPT SELECT one_id FROM orders WHERE paid_at "
        ">= DATE '2025-06-01' - INTERVAL 60 DAY AND paid_at < DATE '2025-06-01')",
    )
    assert lapsed > 0
    for question in (
        "customers who bought before but nothing in the last 60 days",
        "以前买过但最近60天什么都没买的客户有多少",
        "近60天一单都没下的老客户有多少",
    ):
        assert asked(demo, question).main.rows == [(lapsed,)], question
    weeks = scalar(
        demo,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at < DATE '2025-06-01' - "
        "INTERVAL 56 DAY AND one_id IS NOT NULL EXCEPT SELECT one_id FROM orders WHERE paid_at "
        ">= DATE '2025-06-01' - INTERVAL 56 DAY AND paid_at < DATE '2025-06-01')",
    )
    assert asked(demo, "people who ordered before but none in the last 8 weeks").main.rows == [
        (weeks,)
    ]


def test_people_who_had_a_refund(demo: Workspace) -> None:
    """退过款的客户: a completed refund above zero on one of their orders (the refunded_orders
    metric's model), not the buyers and the refund amount side by side."""
    refunded = scalar(
        demo,
        f"SELECT count(DISTINCT o.one_id) FROM ({REFUND_EVENTS}) e JOIN orders o "
        "ON o.order_id = e.order_id WHERE e.amount > 0",
    )
    assert refunded > 0
    for question in (
        "退过款的客户一共多少人",
        "how many customers got a refund",
        "有过退款的买家有几个",
    ):
        a = asked(demo, question)
        assert a.main.rows == [(refunded,)], question
        assert [c.kind for c in a.query.population.conditions] == ["refunded"], question
    tmall = scalar(
        demo,
        f"SELECT count(DISTINCT o.one_id) FROM ({REFUND_EVENTS}) e JOIN orders o "
        "ON o.order_id = e.order_id WHERE e.amount > 0 AND o.platform = 'tmall'",
    )
    assert asked(demo, "退过款的天猫客户有多少").main.rows == [(tmall,)]
    # the sales of those people
    sales = scalar(
        demo,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at IS NOT NULL AND one_id IN "
        f"(SELECT o.one_id FROM ({REFUND_EVENTS}) e JOIN orders o ON o.order_id = e.order_id "
        "WHERE e.amount > 0)",
    )
    got = asked(demo, "退过款的客户的销售额").main.rows[0][0]
    assert float(got) == pytest.approx(float(sales))


def test_how_many_shops(demo: Workspace) -> None:
    shops = scalar(demo, "SELECT count(DISTINCT shop_id) FROM shops")
    assert shops >= 2
    assert asked(demo, "咱们一共有几家店").main.rows == [(shops,)]
    a = asked(demo, "每个平台有几家店")
    assert a.query.dimensions == ("platform",)


def test_which_of_two_platforms_sold_more(demo: Workspace) -> None:
    """谁卖得多 over two named platforms: one row each (never one sum of both)."""
    expected = rows(
        demo,
        "SELECT platform, sum(paid_amount) FROM orders WHERE platform IN ('jd', 'pinduoduo') "
        "AND paid_at >= '2025-05-01' AND paid_at < '2025-06-01' GROUP BY 1 ORDER BY 2 DESC",
    )
    for question in ("京东和拼多多上个月谁卖得多", "上个月京东跟拼多多哪个卖得多"):
        a = asked(demo, question)
        got = list(zip(column(a, "platform"), column(a, "paid_gmv"), strict=True))
        assert [(p, float(v)) for p, v in got] == [(p, float(v)) for p, v in expected], question


def test_festival_day_said_with_cheng_jiao(demo: Workspace) -> None:
    """双11 当天成交多少: the paid sales of 11 November (of the last year it has passed)."""
    sales = scalar(
        demo,
        "SELECT coalesce(sum(paid_amount), 0) FROM orders WHERE platform = 'douyin' "
        "AND paid_at >= '2024-11-11' AND paid_at < '2024-11-12'",
    )
    got = asked(demo, "抖音店 双11 当天成交多少").main.rows[0][0]
    assert float(got or 0) == pytest.approx(float(sales))


def test_a_breakdown_said_with_its_size(demo: Workspace) -> None:
    """两个仓 (the demo has two warehouses), 五个平台 (five platforms): the whole breakdown; a
    number that is not the dimension's size (三个城市) stays unplaced."""
    stock = rows(
        demo,
        "SELECT warehouse, sum(on_hand) FROM inventory WHERE (outer_code, warehouse, as_of) IN "
        "(SELECT outer_code, warehouse, max(as_of) FROM inventory GROUP BY 1, 2) GROUP BY 1 "
        "ORDER BY 2 DESC",
    )
    assert len(stock) == 2
    a = asked(demo, "两个仓现在各有多少库存，排一下")
    assert [tuple(r[:2]) for r in a.main.rows] == stock or sorted(
        (r[0], r[-1]) for r in a.main.rows
    ) == sorted(stock)
    platforms = scalar(demo, "SELECT count(DISTINCT platform) FROM orders")
    share = rows(
        demo,
        "SELECT platform, sum(paid_amount) / sum(sum(paid_amount)) OVER () FROM orders "
        "WHERE paid_at >= '2025-05-01' AND paid_at < '2025-06-01' GROUP BY 1 ORDER BY 2 DESC",
    )
    number = {5: "五", 4: "四", 3: "三"}[platforms]
    a = asked(demo, f"上月{number}个平台各占多少销售额(%)")
    got = dict(zip(column(a, "platform"), column(a, "paid_gmv__share"), strict=True))
    assert {p: round(float(v), 4) for p, v in got.items()} == {
        p: round(float(v), 4) for p, v in share
    }
    with pytest.raises(NotUnderstood):
        asked(demo, "三个城市的销售额")


def test_share_of_orders_paid_with_a_card(demo: Workspace) -> None:
    """'paid with a card': the payment channel (the verb 'paid' is its, not status = paid)."""
    channel = scalar(
        demo,
        "SELECT payment_channel FROM orders WHERE payment_channel IS NOT NULL "
        "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
    )
    share = scalar(
        demo,
        f"SELECT count(*) FILTER (WHERE payment_channel = '{channel}') / count(*) FROM orders "
        "WHERE created_at >= '2025-05-01' AND created_at < '2025-06-01'",
    )
    a = asked(demo, f"last month what share of orders were paid with a {channel}")
    assert a.query.filters and all(f.dimension != "status" for f in a.query.filters)
    assert float(a.main.rows[0][-1]) == pytest.approx(float(share), abs=1e-4)


def test_which_of_two_named_days_sold_more(demo: Workspace) -> None:
    """周四跟周五比哪天卖得多: Thursday and Friday, one row each — not every date."""
    expected = rows(
        demo,
        "SELECT isodow(paid_at), sum(paid_amount) FROM orders WHERE isodow(paid_at) IN (4, 5) "
        "GROUP BY 1 ORDER BY 2 DESC",
    )
    a = asked(demo, "周四跟周五比 哪天卖得多")
    assert len(a.main.rows) == 2
    got = sorted((int(r[0]), float(r[-1])) for r in a.main.rows)
    assert got == sorted((int(d), float(v)) for d, v in expected)


def test_people_who_bought_from_several_categories(demo: Workspace) -> None:
    three = scalar(
        demo,
        "SELECT count(*) FROM (SELECT o.one_id FROM order_items i JOIN orders o USING (order_id) "
        "LEFT JOIN products p ON p.product_id = i.product_id WHERE o.paid_at IS NOT NULL AND "
        "o.one_id IS NOT NULL GROUP BY 1 HAVING count(DISTINCT coalesce(i.category, p.category)) "
        ">= 3)",
    )
    assert three > 0
    for question in (
        "how many shoppers bought from 3+ categories",
        "买过3个及以上类目的客户有多少",
    ):
        a = asked(demo, question)
        assert a.main.rows == [(three,)], question
        assert [(c.kind, c.n) for c in a.query.population.conditions] == [("categories", 3)]


def test_last_order_more_than_days_ago_is_lapsed(demo: Workspace) -> None:
    lapsed = scalar(
        demo,
        "SELECT count(*) FROM (SELECT one_id, max(paid_at) AS last_paid FROM orders WHERE "
        "paid_at IS NOT NULL AND one_id IS NOT NULL AND paid_at < DATE '2025-06-01' GROUP BY 1) "
        "WHERE last_paid < DATE '2025-06-01' - INTERVAL 180 DAY",
    )
    assert lapsed > 0
    for question in (
        "how many buyers whose last order was more than 180 days ago",
        "最后一次购买在180天以前的客户有多少",
    ):
        assert asked(demo, question).main.rows == [(lapsed,)], question


def test_share_of_buyers_in_a_people_set(demo: Workspace) -> None:
    """The buyers in the set over all buyers (never refused as 'share beyond the engine', never
    a count alone)."""
    counts = rows(
        demo,
        "SELECT count(*) FILTER (WHERE platforms >= 2), count(*) FROM (SELECT one_id, "
        "count(DISTINCT platform) AS platforms FROM orders WHERE paid_at IS NOT NULL AND "
        "one_id IS NOT NULL AND paid_at < DATE '2025-06-01' GROUP BY 1)",
    )[0]
    assert 0 < counts[0] < counts[1]
    for question in ("share of buyers who shop on 2+ platforms", "多平台买家占全部买家的比例"):
        row = asked(demo, question).main.rows[0]
        assert (row[0], row[1]) == counts, question
        assert float(row[-1]) == pytest.approx(counts[0] / counts[1], abs=1e-4), question


def test_who_had_more_of_two_named_platforms(demo: Workspace) -> None:
    """'douyin or jd - who had more buyers': the two side by side, not a people set of either;
    'who had more than 3 orders' stays a set."""
    expected = rows(
        demo,
        "SELECT platform, count(DISTINCT one_id) FROM orders WHERE platform IN ('douyin', 'jd') "
        "AND paid_at >= '2025-01-01' AND paid_at < '2025-04-01' GROUP BY 1 ORDER BY 2 DESC",
    )
    a = asked(demo, "douyin or jd - who had more buyers in Q1 2025")
    assert a.query.population is None
    assert sorted(zip(column(a, "platform"), column(a, "buyers"), strict=True)) == sorted(expected)
    b = asked(demo, "how many customers who had more than 3 orders")
    assert b.query.population is not None
