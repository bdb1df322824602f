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
