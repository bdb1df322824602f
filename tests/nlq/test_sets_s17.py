"""Set and people questions (issue 11, session 17, helper s): the visitors who added to cart
and did not buy (one catalog metric over the events), "今年复购的有多少" (the people, not the
rate), "已经下了两单以上" (已经 said before the orders' count). Values against hand-written SQL on
the session workspaces (Olist today 2018-09-01, the demo at seed 7)."""

from __future__ import annotations

import pytest

from shopql.errors import ShopqlError
from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql


def test_visitors_who_added_to_cart_and_did_not_buy(demo: Workspace) -> None:
    """ "加购了但没下单的有多少人": the visitor keys with a cart event and no buy event in the
    window (was refused: an exclusion); the bare 人 / people says how it is counted."""
    ((nobuy,),) = sql(
        demo,
        "SELECT count(*) FROM (SELECT user_key FROM events WHERE event_type = 'cart' AND"
        " event_time >= DATE '2025-05-25' AND event_time < DATE '2025-06-01' EXCEPT SELECT"
        " user_key FROM events WHERE event_type = 'buy' AND event_time >= DATE '2025-05-25' AND"
        " event_time < DATE '2025-06-01')",
    )
    assert nobuy > 0
    for question in (
        "近7天 加购了但没下单的有多少人",
        "近7天 加购没买的人有多少",
        "近7天加购未购买人数",
        "how many people added to cart but didn't buy in the last 7 days",
        "visitors who added to cart but did not buy in the last 7 days",
    ):
        assert rows(demo, question) == [(nobuy,)], question
    ((carters,),) = sql(
        demo,
        "SELECT count(DISTINCT user_key) FROM events WHERE event_type = 'cart' AND"
        " event_time >= DATE '2025-05-25' AND event_time < DATE '2025-06-01'",
    )
    assert carters > nobuy
    # "加购人数有多少人": one figure (was: beside the number of tagged persons)
    assert rows(demo, "近7天 加购人数有多少人") == [(carters,)]


def test_who_bought_again_counted_is_the_people_not_the_rate(olist: Workspace) -> None:
    """ "今年复购的有多少": the people with two paid orders or more this year (was: the rate)."""
    ((repeat,),) = sql(
        olist,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at >= '2018-01-01' AND"
        " paid_at < '2018-09-01' AND one_id IS NOT NULL GROUP BY 1 HAVING count(*) >= 2)",
    )
    assert repeat == 1135
    for question in ("今年复购的有多少", "今年回购的有几个", "今年复购的人有多少"):
        assert rows(olist, question) == [(repeat,)], question
    ((rate,),) = rows(olist, "今年复购率")
    assert 0 < float(rate) < 1


def test_already_placed_orders_among_new_people(demo: Workspace) -> None:
    """ "第一次买的人里 已经下了两单以上的": 已经 before the orders' count (was refused)."""
    ((people,),) = sql(
        demo,
        "WITH f AS (SELECT one_id, min(paid_at) AS first_paid, count(*) AS n FROM orders WHERE"
        " paid_at IS NOT NULL AND paid_at < DATE '2025-06-01' AND one_id IS NOT NULL GROUP BY 1)"
        " SELECT count(*) FROM f WHERE first_paid >= DATE '2025-06-01' - INTERVAL 90 DAY AND n >= 2",
    )
    for question in (
        "近90天 第一次买的人里 已经下了两单以上的",
        "近90天 第一次买的人里 下了两单以上的",
    ):
        assert rows(demo, question) == [(people,)], question


def test_a_festival_year_over_year_is_the_festival_a_year_before(retail: Workspace) -> None:
    """ "black friday … vs last year": black friday 2010 was 26 November (was: 25 November 2010,
    the same date, a Thursday); the festival's own day a year before, its week too."""
    from shopql.catalog.timephrase import previous_range
    from shopql.nlq.periods import find_period

    for text, before in (
        ("black friday 2011", ("2010-11-26", "2010-11-27")),
        ("黑五那周 2011", ("2010-11-22", "2010-11-29")),
        ("双11 2011", ("2010-11-11", "2010-11-12")),
    ):
        found = find_period(text, retail.today)
        assert found is not None, text
        prior = previous_range(found[0], "year_over_year")
        assert (prior.start.date().isoformat(), prior.end.date().isoformat()) == before, text
        assert previous_range(found[0]).end == found[0].start, text  # the period before: as was
    # 2010-11-26 is before the data starts: nothing to compare with, refused (session 25: was
    # answered with a 0 for it)
    with pytest.raises(ShopqlError, match=r"has no data \(the data starts 2010-12-01\)"):
        rows(retail, "black friday 2011 sales vs last year")


def test_new_people_of_two_periods_as_a_multiple(olist: Workspace) -> None:
    """ "今年上半年新客数 是去年上半年的几倍": the ratio of the two periods' new buyers (was
    refused: 几倍 unplaced by the set reading)."""
    ((cur, prev),) = sql(
        olist,
        "WITH f AS (SELECT one_id, min(paid_at) AS f FROM orders WHERE paid_at IS NOT NULL AND"
        " one_id IS NOT NULL GROUP BY 1) SELECT count(*) FILTER (WHERE f >= '2018-01-01' AND"
        " f < '2018-07-01'), count(*) FILTER (WHERE f >= '2017-01-01' AND f < '2017-07-01')"
        " FROM f",
    )
    ((now, before, _change, ratio),) = rows(olist, "今年上半年新客数 是去年上半年的几倍")
    assert (now, before) == (cur, prev)
    assert float(ratio) == pytest.approx(cur / prev, abs=1e-4)


def test_days_from_the_third_order_to_the_fourth(olist: Workspace) -> None:
    """ "第三单到第四单平均间隔几天": each person's fourth paid order against their third (was
    refused: 第四单 unplaced)."""
    ((gap,),) = sql(
        olist,
        "WITH r AS (SELECT one_id, paid_at, row_number() OVER (PARTITION BY one_id ORDER BY"
        " paid_at, order_id) AS n, lag(paid_at) OVER (PARTITION BY one_id ORDER BY paid_at,"
        " order_id) AS prev FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL)"
        " SELECT avg(date_diff('second', prev, paid_at) / 86400.0) FROM r WHERE n = 4",
    )
    for question in (
        "第三单到第四单平均间隔几天",
        "average days between the third and fourth order",
    ):
        ((days,),) = rows(olist, question)
        assert float(days) == pytest.approx(gap, abs=0.01), question


def test_people_who_did_it_to_products_are_no_breakdown(demo: Workspace) -> None:
    """ "近7天 收藏过商品的人 多少": the visitors with a favourite event, one figure (was: a row
    per product); a breakdown said as one (各商品, 按商品) stays one."""
    ((favs,),) = sql(
        demo,
        "SELECT count(DISTINCT user_key) FROM events WHERE event_type = 'fav' AND event_time >="
        " DATE '2025-05-25' AND event_time < DATE '2025-06-01'",
    )
    assert rows(demo, "近7天 收藏过商品的人 多少") == [(favs,)]
    assert len(rows(demo, "近7天 收藏过的人 按商品")) > 1


def test_newly_added_first_time_buyers(olist: Workspace) -> None:
    """ "近60天 新增了几个首购买家": 新增 beside a first-order cue says new, as the cue does (was
    refused); the people whose first paid order falls in the window."""
    ((new,),) = sql(
        olist,
        "SELECT count(*) FROM (SELECT one_id, min(paid_at) AS f FROM orders WHERE paid_at IS NOT"
        " NULL AND one_id IS NOT NULL GROUP BY 1) WHERE f >= '2018-07-03' AND f < '2018-09-01'",
    )
    for question in (
        "近60天 新增了几个首购买家",
        "近60天 新增了几个新客",
        "近60天 新增了多少首单客户",
    ):
        assert rows(olist, question) == [(new,)], question
