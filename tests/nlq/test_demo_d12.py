"""The demo brand, session 12 (slice d, demo refusals): weekends as periods (上周末), the average
per day / month of a period (日均, 月均, daily average), weekend vs weekday as the day-type split,
open-ended hours of the day (晚上8点以后, before 9am) and their share, the share of new / returning
buyers among the buyers, 同期 (the same days of the period compared with) and 的单 (the orders) —
each compared with hand-written SQL on the generated demo (seed 7, today 2025-06-01, a Sunday), in
English and Chinese paraphrases written for these tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql

MAY = "paid_at >= DATE '2025-05-01' AND paid_at < DATE '2025-06-01'"
MAY_PLACED = "created_at >= DATE '2025-05-01' AND created_at < DATE '2025-06-01'"
WEEKEND_DAYS, WEEKDAYS = 9, 22  # May 2025: 3-4, 10-11, 17-18, 24-25, 31


def close(a: Any, b: Any, places: int = 2) -> bool:
    return round(float(a), places) == round(float(b), places)


@pytest.fixture(scope="module")
def mid_may(nlq_demo_workspace: Path) -> Iterator[Any]:
    """The same demo with today on 2025-05-20: a month still running ('this month so far')."""
    from shopql.config import load_settings

    with Workspace(load_settings(nlq_demo_workspace), today=dt.date(2025, 5, 20)) as ws:
        yield ws


# --- weekends as periods ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question", ["上周末卖了多少", "上个周末两天卖了多少钱", "how much did we sell last weekend"]
)
def test_last_weekend_sales(demo: Workspace, question: str) -> None:
    """Saturday and Sunday of the previous Monday-Sunday week (24-25 May), not the whole week."""
    (want,) = sql(
        demo,
        "SELECT sum(paid_amount) FROM orders "
        "WHERE paid_at >= DATE '2025-05-24' AND paid_at < DATE '2025-05-26'",
    )
    (week,) = sql(
        demo,
        "SELECT sum(paid_amount) FROM orders "
        "WHERE paid_at >= DATE '2025-05-19' AND paid_at < DATE '2025-05-26'",
    )
    assert want[0] and want[0] < week[0]
    ((got,),) = rows(demo, question)
    assert close(got, want[0])


@pytest.mark.parametrize("question", ["上周末两天一共多少单", "orders last weekend"])
def test_last_weekend_orders(demo: Workspace, question: str) -> None:
    (want,) = sql(
        demo,
        "SELECT count(*) FROM orders "
        "WHERE created_at >= DATE '2025-05-24' AND created_at < DATE '2025-05-26'",
    )
    assert rows(demo, question) == [want]


# --- the average per day / month ----------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "上个月日均销售额",
        "上个月平均每天卖多少钱",
        "上个月一天平均卖多少钱",
        "daily average sales last month",
        "average sales per day last month",
    ],
)
def test_daily_average_sales(demo: Workspace, question: str) -> None:
    """The month's sales over its 31 calendar days, one figure (not a row per day)."""
    (want,) = sql(demo, f"SELECT sum(paid_amount) / 31 FROM orders WHERE {MAY}")
    ((got,),) = rows(demo, question)
    assert close(got, want[0])


@pytest.mark.parametrize(
    "question",
    [
        "how many orders a day on average last month",
        "上个月每天平均多少单",
        "avg daily orders last month",
    ],
)
def test_daily_average_orders(demo: Workspace, question: str) -> None:
    (want,) = sql(demo, f"SELECT count(*) / 31 FROM orders WHERE {MAY_PLACED}")
    ((got,),) = rows(demo, question)
    assert close(got, want[0])


@pytest.mark.parametrize(
    "question",
    [
        "上个月周末和工作日的日均销售额",
        "上个月周末日均销售额 vs 工作日日均",
        "weekend vs weekday daily avg sales last month",
    ],
)
def test_daily_average_weekend_vs_weekday(demo: Workspace, question: str) -> None:
    """Each day type's sales over its own calendar days (9 weekend days, 22 weekdays in May)."""
    want = sql(
        demo,
        f"SELECT isodow(paid_at) >= 6, sum(paid_amount) FROM orders WHERE {MAY} GROUP BY 1",
    )
    per_day = {
        ("weekend" if weekend else "weekday"): total / (WEEKEND_DAYS if weekend else WEEKDAYS)
        for weekend, total in want
    }
    got = {r[1]: r[-1] for r in rows(demo, question)}
    assert set(got) == {"weekday", "weekend"}
    for kind, value in per_day.items():
        assert close(got[kind], value)


@pytest.mark.parametrize(
    "question", ["上个月周末日均订单数", "average orders per day on weekends last month"]
)
def test_daily_average_of_weekend_days(demo: Workspace, question: str) -> None:
    """A filter on the weekend keeps its own days: over 9 days, not 31."""
    (want,) = sql(
        demo,
        f"SELECT count(*) / {WEEKEND_DAYS} FROM orders WHERE {MAY_PLACED} AND isodow(created_at) >= 6",
    )
    ((got,),) = rows(demo, question)
    assert close(got, want[0])


def test_daily_average_by_platform(demo: Workspace) -> None:
    want = sql(
        demo,
        f"SELECT platform, count(*) / 31 FROM orders WHERE {MAY_PLACED} GROUP BY 1",
    )
    got = {r[0]: r[-1] for r in rows(demo, "各平台上个月日均订单数")}
    assert got.keys() == {p for p, _ in want}
    for platform, value in want:
        assert close(got[platform], value)


def test_daily_average_of_buyers(demo: Workspace) -> None:
    """Each day's distinct buyers, averaged over the days (not the month's buyers ÷ 31)."""
    (want,) = sql(
        demo,
        "SELECT sum(n) / 31 FROM (SELECT CAST(paid_at AS DATE), count(DISTINCT one_id) AS n "
        f"FROM orders WHERE {MAY} GROUP BY 1)",
    )
    ((got,),) = rows(demo, "上个月日均买家数")
    assert close(got, want[0])


def test_monthly_average(demo: Workspace) -> None:
    """月均 over whole months: the quarter's orders ÷ 3."""
    (want,) = sql(
        demo,
        "SELECT count(*) / 3 FROM orders "
        "WHERE created_at >= DATE '2025-01-01' AND created_at < DATE '2025-04-01'",
    )
    ((got,),) = rows(demo, "上季度月均订单数")
    assert close(got, want[0])


@pytest.mark.parametrize(
    "question",
    [
        "上个月日均客单价",  # an average of an average: not what 日均 means
        "近45天月均订单数",  # a month average over a period of no whole months
    ],
)
def test_daily_average_refused(demo: Workspace, question: str) -> None:
    refused(demo, question)


@pytest.mark.parametrize("question", ["2023年日均销售额", "average sales per day in 2023"])
def test_daily_average_outside_the_data(demo: Workspace, question: str) -> None:
    """The demo starts on 3 December 2023: the other days of 2023 would count as 0 a day."""
    from shopql.nlq.answer import answer
    from shopql.nlq.periods import NoDataInPeriod

    with pytest.raises(NoDataInPeriod, match="average per day"):
        answer(demo, question, "offline")


# --- hours of the day ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "hours"),
    [
        ("上个月晚上8点以后下的单有多少", "hour(created_at) >= 20"),
        ("orders after 8pm last month", "hour(created_at) >= 20"),
        ("上个月早上9点之前的订单数", "hour(created_at) < 9"),
        ("how many orders before 9am last month", "hour(created_at) < 9"),
        ("上个月凌晨0到6点的订单数", "hour(created_at) < 6"),
    ],
)
def test_hours_open_ended(demo: Workspace, question: str, hours: str) -> None:
    (want,) = sql(demo, f"SELECT count(*) FROM orders WHERE {MAY_PLACED} AND {hours}")
    assert want[0] > 0
    assert rows(demo, question) == [want]


@pytest.mark.parametrize(
    "question", ["凌晨0到6点的订单占多少 上个月", "上个月晚上8点以后的订单占比"]
)
def test_share_of_hours(demo: Workspace, question: str) -> None:
    hours = "hour(created_at) < 6" if "凌晨" in question else "hour(created_at) >= 20"
    (want,) = sql(
        demo,
        f"SELECT count(*) FILTER (WHERE {hours}) / count(*) FROM orders WHERE {MAY_PLACED}",
    )
    (row,) = rows(demo, question)
    assert close(row[-1], want[0], 4)


# --- share of new / returning buyers ------------------------------------------------------------

NEW = (
    "WITH f AS (SELECT one_id, min(paid_at) AS first FROM orders WHERE paid_at IS NOT NULL "
    "GROUP BY 1), b AS (SELECT DISTINCT one_id FROM orders WHERE "
    + MAY
    + ") SELECT count(*) FILTER (WHERE f.first >= DATE '2025-05-01'), count(*) "
    "FROM b JOIN f USING (one_id)"
)


@pytest.mark.parametrize(
    "question", ["上个月新客占比", "share of new buyers last month", "上个月新买家占多少比例"]
)
def test_share_of_new_buyers(demo: Workspace, question: str) -> None:
    ((new, buyers),) = sql(demo, NEW)
    assert 0 < new < buyers
    (row,) = rows(demo, question)
    assert row[0] == new and row[1] == buyers
    assert close(row[-1], new / buyers, 4)


@pytest.mark.parametrize(
    "question", ["上个月老客占比多少", "share of returning customers last month"]
)
def test_share_of_returning_buyers(demo: Workspace, question: str) -> None:
    ((new, buyers),) = sql(demo, NEW)
    (row,) = rows(demo, question)
    assert close(row[-1], (buyers - new) / buyers, 4)


# --- 同期: the same days of the period compared with ---------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "这个月 vs 上个月同期 订单量",
        "本月订单数比上月同期多了多少",
        "orders this month vs the same days last month",
    ],
)
def test_same_days_last_month(mid_may: Workspace, question: str) -> None:
    """Today 2025-05-20: 1-19 May against 1-19 April."""
    ((now,),) = sql(
        mid_may,
        "SELECT count(*) FROM orders WHERE created_at >= DATE '2025-05-01' "
        "AND created_at < DATE '2025-05-20'",
    )
    ((before,),) = sql(
        mid_may,
        "SELECT count(*) FROM orders WHERE created_at >= DATE '2025-04-01' "
        "AND created_at < DATE '2025-04-20'",
    )
    got = rows(mid_may, question)
    values = {v for r in got for v in r if isinstance(v, int)}
    assert {now, before} <= values


def test_same_days_last_quarter(demo: Workspace) -> None:
    """这季度 (Q2 to date: 1 April - 31 May) against 1 January - 28 February."""
    ((now, before),) = sql(
        demo,
        "SELECT count(DISTINCT one_id) FILTER (WHERE paid_at >= DATE '2025-04-01' "
        "AND paid_at < DATE '2025-06-01'), count(DISTINCT one_id) FILTER (WHERE paid_at >= "
        "DATE '2025-01-01' AND paid_at < DATE '2025-03-01') FROM orders",
    )
    (row,) = rows(demo, "这季度的买家数比上季度同期涨了多少")
    assert row[0] == now and row[1] == before
    assert close(row[2], (now - before) / before, 4)


# --- 的单: the orders ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "where"),
    [
        ("上个月天猫的单有多少", "platform = 'tmall'"),
        ("上个月走顺丰的单有多少", "carrier = 'sf'"),
    ],
)
def test_orders_said_as_dan(demo: Workspace, question: str, where: str) -> None:
    (want,) = sql(demo, f"SELECT count(*) FROM orders WHERE {MAY_PLACED} AND {where}")
    assert want[0] > 0
    assert rows(demo, question) == [want]
