"""People counted by what they did in the behaviour events (session 15, slice g; nlq/behaviour.py):
an event word said of people counts the people (the catalog metric over the same model and
filter that counts distinct keys), and an event counted among people who did something else is
counted among them (keys with both kinds of event) — checked against hand-written SQL on the
generated demo (seed 7, today 2025-06-01), in English and Chinese."""

from __future__ import annotations

from typing import Any

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.behaviour import people_twin
from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql

LAST_MONTH = "event_time >= DATE '2025-05-01' AND event_time < DATE '2025-06-01'"
YESTERDAY = "event_time >= DATE '2025-05-31' AND event_time < DATE '2025-06-01'"


def one(ws: Workspace, question: str) -> Any:
    (row,) = rows(ws, question)
    return row[-1]


def people(ws: Workspace, event: str, period: str) -> int:
    (row,) = sql(
        ws, f"SELECT count(DISTINCT user_key) FROM events WHERE event_type = '{event}' AND {period}"
    )
    return int(row[0])


def test_the_pairing_is_read_from_the_catalog(demo: Workspace) -> None:
    assert people_twin(demo, "view_events") == "view_visitors"
    assert people_twin(demo, "cart_events") == "cart_visitors"
    assert people_twin(demo, "fav_events") == "fav_visitors"
    assert people_twin(demo, "orders") is None  # no filter: not an event count


@pytest.mark.parametrize(
    ("question", "period"),
    [
        ("how many ppl viewed something yesterday", YESTERDAY),
        ("how many people viewed yesterday", YESTERDAY),
        ("昨天浏览的人有多少", YESTERDAY),
        ("昨天浏览的用户数", YESTERDAY),
        ("上个月逛过店的人有几个", LAST_MONTH),
        ("上个月浏览人数", LAST_MONTH),
    ],
)
def test_people_who_viewed(demo: Workspace, question: str, period: str) -> None:
    want = people(demo, "view", period)
    (events,) = sql(demo, f"SELECT count(*) FROM events WHERE event_type = 'view' AND {period}")
    assert 0 < want < events[0]  # people, not views
    assert one(demo, question) == want


def test_views_stay_views(demo: Workspace) -> None:
    (want,) = sql(demo, f"SELECT count(*) FROM events WHERE event_type = 'view' AND {LAST_MONTH}")
    assert one(demo, "上个月浏览量") == want[0]
    assert one(demo, "page views last month") == want[0]


@pytest.mark.parametrize("question", ["上个月几点逛店的人最多", "上个月哪个小时浏览的人最多"])
def test_hour_with_most_viewers(demo: Workspace, question: str) -> None:
    want = sql(
        demo,
        "SELECT hour(event_time), count(DISTINCT user_key) AS n FROM events WHERE "
        f"event_type = 'view' AND {LAST_MONTH} GROUP BY 1 QUALIFY rank() OVER (ORDER BY n DESC) = 1",
    )
    got = [tuple(r[-2:]) for r in rows(demo, question)]  # the top one(s), then the ranking
    assert sorted(r for r in got if r[1] == got[0][1]) == sorted(want)


def test_top_categories_by_viewers(demo: Workspace) -> None:
    want = sql(
        demo,
        "SELECT coalesce(e.category, p.category) AS c, count(DISTINCT e.user_key) AS n "
        "FROM events e LEFT JOIN products p USING (product_id) WHERE e.event_type = 'view' "
        f"AND e.{LAST_MONTH} AND c IS NOT NULL GROUP BY 1 ORDER BY n DESC, c LIMIT 3",
    )
    assert rows(demo, "上个月浏览人数前三的品类") == want


AMONG = (
    "SELECT count(*) FILTER (WHERE v AND x), count(*) FILTER (WHERE v) FROM (SELECT user_key, "
    "bool_or(event_type = 'view') AS v, bool_or(event_type = '{x}') AS x FROM events "
    f"WHERE {LAST_MONTH} AND user_key IS NOT NULL GROUP BY 1)"
)


@pytest.mark.parametrize(
    ("question", "event"),
    [
        ("上个月 浏览过的人里 多少比例加了购", "cart"),
        ("上个月浏览过的人中有多少加购了", "cart"),
        ("among visitors who viewed last month, how many added to cart", "cart"),
        ("上个月浏览过的人里有几个收藏了", "fav"),
    ],
)
def test_an_event_among_viewers(demo: Workspace, question: str, event: str) -> None:
    """Viewers who also added to cart (both in the period) over viewers: not every visitor who
    added to cart, and never a row that is both a view and a cart (no one)."""
    ((both, viewers),) = sql(demo, AMONG.format(x=event))
    assert 0 < both < viewers
    if event == "cart":  # some added to cart without a view that month: not among the viewers
        assert both < people(demo, event, LAST_MONTH)
    ((part, whole, share),) = rows(demo, question)
    assert (part, whole) == (both, viewers)
    assert share == round(both / viewers, 4)


def test_two_figures_side_by_side_are_not_among(demo: Workspace) -> None:
    """浏览人数和收藏次数: two figures, each its own (no 里 / among)."""
    got = answer(demo, "上个月浏览人数和收藏次数", "offline")
    (row,) = got.main.rows
    (favs,) = sql(demo, f"SELECT count(*) FROM events WHERE event_type = 'fav' AND {LAST_MONTH}")
    assert tuple(row) == (people(demo, "view", LAST_MONTH), favs[0])


def test_viewers_are_refused_without_events(olist: Workspace) -> None:
    assert "behaviour" in refused(olist, "how many people viewed something in 2018").message
    assert "行为" in refused(olist, "上个月几点逛店的人最多").message


# --- the rest of slice g: thresholds, durations, festivals, stock, person tags -------------------

LAST_WEEK = "DATE '2025-05-19' AND created_at < DATE '2025-05-26'"


@pytest.mark.parametrize("question", ["满500的单 上周几单", "上周满500的订单数"])
def test_man_500_is_an_amount_reached(demo: Workspace, question: str) -> None:
    """满500 without 元: the order's amount reached (满减), inclusive."""
    (want,) = sql(
        demo,
        f"SELECT count(*) FROM orders WHERE created_at >= {LAST_WEEK} AND paid_amount >= 500",
    )
    (every,) = sql(demo, f"SELECT count(*) FROM orders WHERE created_at >= {LAST_WEEK}")
    assert 0 < want[0] < every[0]
    assert one(demo, question) == want[0]


@pytest.mark.parametrize("question", ["韵达 上个月下的单 平均几天到", "上个月韵达的订单平均多久到"])
def test_days_to_arrive_by_carrier(demo: Workspace, question: str) -> None:
    (want,) = sql(
        demo,
        "SELECT round(avg(date_diff('second', created_at, finished_at) / 86400.0), 2) FROM orders "
        "WHERE carrier = 'yunda' AND created_at >= DATE '2025-05-01' AND created_at < "
        "DATE '2025-06-01' AND finished_at IS NOT NULL",
    )
    assert want[0] > 0
    assert one(demo, question) == pytest.approx(float(want[0]), abs=0.01)


def test_520_is_the_day(demo: Workspace) -> None:
    (want,) = sql(
        demo,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= DATE '2024-05-20' "
        "AND paid_at < DATE '2024-05-21'",
    )  # today 2025-06-01: 2025's 520 has passed … unless the data starts later
    (this_year,) = sql(
        demo,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= DATE '2025-05-20' "
        "AND paid_at < DATE '2025-05-21'",
    )
    assert this_year[0] and this_year[0] != want[0]
    assert float(one(demo, "520 那天 销售额")) == pytest.approx(float(this_year[0]), abs=0.01)


@pytest.mark.parametrize(("question", "n"), [("top 520 products", 520), ("前618名的商品", 618)])
def test_a_festival_number_as_a_count_is_the_count(demo: Workspace, question: str, n: int) -> None:
    """ "top 520 products": 520 products of all time, not the top 10 of May 20th."""
    from shopql.nlq.offline import understand

    query = understand(question, demo).query
    assert query.limit == n and query.time_range is None


def test_provinces_whose_people_bought(demo: Workspace) -> None:
    (want,) = sql(
        demo,
        "SELECT count(DISTINCT coalesce(o.province, c.province)) FROM orders o LEFT JOIN "
        "customers c USING (customer_id) WHERE o.created_at >= DATE '2025-01-01' "
        "AND o.created_at < DATE '2025-06-01'",
    )
    assert want[0] > 1
    assert one(demo, "今年有几个省的人买过") == want[0]


def test_now_alone_is_no_duration_event(demo: Workspace) -> None:
    """现在的库存还能卖几天: not the days since anyone's last purchase (现在 alone is no event a
    duration ends with): days of cover (tests/nlq/test_demo_g16.py checks its value)."""
    assert answer(demo, "现在的库存还能卖几天", "offline").query.metrics == ("days_of_cover",)


@pytest.mark.parametrize("question", ["高客单价的客户占几成", "高消费档次的客户占比"])
def test_share_of_a_price_band(demo: Workspace, question: str) -> None:
    ((part, whole),) = sql(
        demo,
        "SELECT count(*) FILTER (WHERE t.price_band = 'high'), count(*) FROM person_tags t "
        "WHERE t.one_id IN (SELECT one_id FROM orders WHERE paid_at IS NOT NULL)",
    )
    assert 0 < part < whole
    assert rows(demo, question) == [(part, whole, round(part / whole, 4))]


def test_high_aov_orders_are_not_a_price_band(demo: Workspace) -> None:
    """高客单价的订单: the orders' own value, or their buyers' band? Not read as the band."""
    refused(demo, "上个月高客单价的订单有几单")
