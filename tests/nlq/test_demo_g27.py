"""Demo brand questions (session 27, helper g), values against hand-written SQL on the session
demo (seed 7): a behaviour event's count averaged over the bare visitors is averaged over the
visitors who did that event (每个访客平均浏览几次: the views over the viewers, the sets'
convention, as 收藏过的访客 平均每人收藏几次 already was); a period set beside 去年同月 / 去年同期
with 和 / 跟 / vs is one row per period; 买过的客户 before a per-buyer figure is placed (the buyers
it is over)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.nlq.helpers import rows, sql


def _last_month(demo: Any) -> tuple[dt.date, dt.date]:
    end = demo.today.replace(day=1)
    return (end - dt.timedelta(days=1)).replace(day=1), end


@pytest.mark.parametrize(
    ("question", "event"),
    [
        ("上个月 每个 访客 平均 浏览 了 几次", "view"),
        ("上个月每个访客平均浏览了几次", "view"),
        ("上个月平均每个访客看了几次商品", "view"),
        ("上个月 平均 每个 访客 看 了 几 次 商品", "view"),
        ("上个月每个访客平均看几次", "view"),
        ("上个月每个访客平均加购几次", "cart"),
    ],
)
def test_events_per_visitor_are_over_the_visitors_who_did_them(
    demo: Any, question: str, event: str
) -> None:
    start, end = _last_month(demo)
    ((want, everyone),) = sql(
        demo,
        f"SELECT count(*) FILTER (WHERE event_type = '{event}') * 1.0 / count(DISTINCT user_key) "
        f"FILTER (WHERE event_type = '{event}'), count(*) FILTER (WHERE event_type = '{event}') "
        f"* 1.0 / count(DISTINCT user_key) FROM events WHERE event_time >= DATE '{start}' AND "
        f"event_time < DATE '{end}'",
    )
    assert want != pytest.approx(everyone)  # the two readings differ on this data
    (row,) = rows(demo, question)
    assert len(row) == 1 and float(row[0]) == pytest.approx(want), question


@pytest.mark.parametrize(
    "question",
    [
        "上个月 和 去年 同月 客单价 对比",
        "上个月和去年同月的客单价对比",
        "上个月客单价 vs 去年同月",
    ],
)
def test_a_month_beside_the_same_month_last_year_is_a_row_each(demo: Any, question: str) -> None:
    start, end = _last_month(demo)
    before, after = start.replace(year=start.year - 1), end.replace(year=end.year - 1)
    want = sql(
        demo,
        "SELECT sum(paid_amount) / count(*) FROM orders WHERE paid_at >= DATE "
        f"'{before}' AND paid_at < DATE '{after}' UNION ALL SELECT sum(paid_amount) / count(*) "
        f"FROM orders WHERE paid_at >= DATE '{start}' AND paid_at < DATE '{end}'",
    )
    got = rows(demo, question)
    assert len(got) == 2, question
    assert [float(r[1]) for r in got] == pytest.approx([float(w[0]) for w in want], abs=0.01)


def test_a_change_asked_keeps_the_comparison_row(demo: Any) -> None:
    """涨了多少 / 同比: the change is asked — one row (value, previous, change)."""
    for question in ("上个月客单价和去年同月比涨了多少", "上个月客单价同比"):
        assert len(rows(demo, question)) == 1, question


@pytest.mark.parametrize(
    "question",
    [
        "上个月在抖音买过的客户 平均每人在抖音花了多少",
        "上个月在抖音买过的客户平均每人花了多少钱",
    ],
)
def test_bought_before_a_per_buyer_figure(demo: Any, question: str) -> None:
    start, end = _last_month(demo)
    ((want,),) = sql(
        demo,
        "SELECT sum(paid_amount) / count(DISTINCT one_id) FROM orders WHERE platform = 'douyin' "
        f"AND one_id IS NOT NULL AND paid_at >= DATE '{start}' AND paid_at < DATE '{end}'",
    )
    (row,) = rows(demo, question)
    assert float(row[-1]) == pytest.approx(float(want), abs=0.01), question


@pytest.mark.parametrize(
    ("question", "days"),
    [
        ("最后 一次 买 已经 是 半年 (180天) 前 的 客户 有 多少", 180),
        ("最后一次买已经是半年 (180天) 前的客户有多少", 180),
        ("最近一次下单已经是90天前的客户有几个", 90),
    ],
)
def test_last_purchase_already_a_span_ago(demo: Any, question: str, days: int) -> None:
    """'最后一次买 已经是 N天前' (已经 before 是) and a span explained in brackets before 前:
    the lapsed people (their latest paid order before the last N days)."""
    ((want,),) = sql(
        demo,
        "SELECT count(*) FROM (SELECT one_id, max(paid_at) AS l FROM orders WHERE paid_at IS NOT "
        f"NULL AND one_id IS NOT NULL AND paid_at < DATE '{demo.today}' GROUP BY 1) WHERE l < "
        f"DATE '{demo.today}' - INTERVAL {days} DAY",
    )
    assert 0 < want
    ((got,),) = rows(demo, question)
    assert got == want, question


@pytest.mark.parametrize(
    "question",
    [
        "上个月UV和PV",
        "上个月访客数和浏览量",
        "上个月 访客数 和 浏览量",
        "visitors and page views last month",
    ],
)
def test_visitors_and_views_are_two_figures(demo: Any, question: str) -> None:
    """UV和PV: the visitors and the view events — was one figure, the viewers (the bare people
    word read as 'the people of the event')."""
    start, end = _last_month(demo)
    ((visitors, views),) = sql(
        demo,
        "SELECT count(DISTINCT user_key), count(*) FILTER (WHERE event_type = 'view') FROM events "
        f"WHERE event_time >= DATE '{start}' AND event_time < DATE '{end}'",
    )
    assert rows(demo, question) == [(visitors, views)], question


@pytest.mark.parametrize(
    "question",
    ["上个月抖音的件数和去年同月放一起", "上个月 抖音 的 件数 和 去年 同月 放 在 一起"],
)
def test_set_side_by_side_said_so(demo: Any, question: str) -> None:
    """放一起 / 放在一起 beside two periods: one row each (was: 放一起 unplaced, refused)."""
    start, end = _last_month(demo)
    before, after = start.replace(year=start.year - 1), end.replace(year=end.year - 1)
    want = [
        sql(
            demo,
            "SELECT coalesce(sum(i.quantity), 0) FROM order_items i JOIN orders o USING (order_id) "
            f"WHERE o.platform = 'douyin' AND o.paid_at >= DATE '{a}' AND o.paid_at < DATE '{b}'",
        )[0][0]
        for a, b in ((before, after), (start, end))
    ]
    got = rows(demo, question)
    assert [int(r[1]) for r in got] == [int(w) for w in want], question


def test_an_english_word_for_a_chinese_title_word_is_labelled_by_it(demo: Any) -> None:
    """'落地灯 和 side table 哪个卖得多' (a Chinese question): the side tables' row is labelled by
    the title word the lines are matched on (边几), as the other row is."""
    got = rows(demo, "今年 落地灯 和 side table 哪个 卖得 多")
    assert {r[0] for r in got} == {"落地灯", "边几"}
    english = rows(demo, "which sold more this year, floor lamps or side tables")
    assert {r[0] for r in english} == {"floor lamps", "side tables"}


def _this_year(demo: Any) -> str:
    return f"event_time >= DATE '{demo.today.year}-01-01' AND event_time < DATE '{demo.today}'"


def test_a_share_of_one_event_count_in_another(demo: Any) -> None:
    """'加购次数占浏览次数的比例': the cart events over the view events, each counted on its own —
    was both filters on one row (cart AND view), a confident 0."""
    ((carts, views),) = sql(
        demo,
        "SELECT count(*) FILTER (WHERE event_type = 'cart'), count(*) FILTER (WHERE event_type = "
        f"'view') FROM events WHERE {_this_year(demo)}",
    )
    assert carts > 0
    for question in ("今年加购次数占浏览次数的比例", "今年加购次数是浏览次数的几倍"):
        ((a, b, share),) = rows(demo, question)
        assert (a, b) == (carts, views), question
        assert float(share) == pytest.approx(carts / views, abs=1e-4), question


@pytest.mark.parametrize(
    "question",
    ["今年收藏的人是加购的人的几分之几", "今年 收藏人数 是 加购人数 的 几分之几"],
)
def test_people_of_one_event_over_another_plain(demo: Any, question: str) -> None:
    """'A 是 B 的几分之几 / 几倍': the first figure over the second, each counted on its own (not
    the people who did both)."""
    ((favs, carts),) = sql(
        demo,
        "SELECT count(DISTINCT user_key) FILTER (WHERE event_type = 'fav'), count(DISTINCT "
        f"user_key) FILTER (WHERE event_type = 'cart') FROM events WHERE {_this_year(demo)}",
    )
    ((a, b, ratio),) = rows(demo, question)
    assert (a, b) == (favs, carts), question
    assert float(ratio) == pytest.approx(favs / carts, abs=1e-4), question
