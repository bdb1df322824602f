"""Demo brand questions (issue 11, session 19, helper g): each answered as a careful analyst
would, values against hand-written SQL on the session demo (seed 7, today 2025-06-01), or refused."""

from __future__ import annotations

from typing import Any

import pytest

from tests.nlq.helpers import rows, sql

_DAYS_90 = "event_time >= DATE '2025-06-01' - INTERVAL 90 DAY AND event_time < DATE '2025-06-01'"
_LAST_MONTH = "event_time >= '2025-05-01' AND event_time < '2025-06-01'"


def _among(demo: Any, group: str, where: str) -> tuple[int, int]:
    """(visitors of the group who bought, visitors of the group) in the events of `where`."""
    ((bought, whole),) = sql(
        demo,
        f"SELECT count(*) FILTER (WHERE b), count(*) FROM (SELECT user_key, bool_or(event_type ="
        f" 'buy') AS b FROM events WHERE {where} GROUP BY 1 HAVING bool_or(event_type ="
        f" '{group}'))",
    )
    return int(bought), int(whole)


@pytest.mark.parametrize(
    ("question", "group", "where"),
    [
        ("最近90天 看过商品的人里 有多少比例 下单了", "view", _DAYS_90),
        ("最近90天 浏览过的人里 多少比例 下单了", "view", _DAYS_90),
        ("最近90天 浏览过的人里 多少 买了", "view", _DAYS_90),
        ("近90天 加购的人里 多少比例 下单了", "cart", _DAYS_90),
        ("近90天 收藏过的人中 有多少比例 购买了", "fav", _DAYS_90),
        (
            "of the people who viewed something in the last 90 days, what share bought",
            "view",
            _DAYS_90,
        ),
        ("among visitors who added to cart last month, how many purchased", "cart", _LAST_MONTH),
    ],
)
def test_bought_among_the_people_of_an_event(
    demo: Any, question: str, group: str, where: str
) -> None:
    """A buying verb said of a group of visitors is their buy event, counted among them: was
    '人' unplaced, a share refused, or — worse — the group's own count alone ('浏览过的人里 多少
    买了' answered the number of viewers, '看过商品的人里 多少比例 加购了' the cart visitors by
    product)."""
    bought, whole = _among(demo, group, where)
    assert 0 < bought < whole
    (got,) = rows(demo, question)
    assert got[:2] == (bought, whole)
    assert float(got[2]) == pytest.approx(bought / whole, abs=1e-4)


def test_viewed_said_as_kan_guo(demo: Any) -> None:
    """看过 is viewed: '看过商品的人里 多少比例 加购了' was the cart visitors by product."""
    ((cart, whole),) = sql(
        demo,
        "SELECT count(*) FILTER (WHERE c), count(*) FROM (SELECT user_key, bool_or(event_type ="
        " 'cart') AS c FROM events GROUP BY 1 HAVING bool_or(event_type = 'view'))",
    )
    (got,) = rows(demo, "看过商品的人里 多少比例 加购了")
    assert got[:2] == (cart, whole)


@pytest.mark.parametrize(
    "question",
    [
        "上个月 下单后 平均几分钟 付款",
        "上个月下单以后平均多少分钟才付款",
        "上个月 下单到付款平均几分钟",
    ],
)
def test_minutes_to_pay_said_around_the_events(demo: Any, question: str) -> None:
    """几分钟 between 下单后 and 付款 asks the time to pay in minutes (was: '钟', '后' unplaced)."""
    ((want,),) = sql(
        demo,
        "SELECT avg(date_diff('second', created_at, paid_at) / 60.0) FROM orders WHERE"
        " created_at >= '2025-05-01' AND created_at < '2025-06-01' AND paid_at IS NOT NULL",
    )
    (got,) = rows(demo, question)
    assert float(got[-1]) == pytest.approx(float(want), abs=0.01)
