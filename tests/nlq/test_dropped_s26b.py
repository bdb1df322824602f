"""Dropped words, round 2 of the session-26 hunt (helper s): the each-word of a period of several
months (weeks, quarters …) was read as nothing and the period's one total answered.

- "orders in each of the last 3 months", "for each of the past 6 months": 'each of' dropped, one
  total of the three months; now one row per month of the period (by month in the last 3 months);
- "最近三个月的订单分别是多少", "近两周的销售额各是多少": 分别/各 after the period with nothing
  else listed dropped the same way; now each month (week …) of it. With values or metrics listed
  (SP和RJ …分别, 销售额和订单数分别) 分别 still means each of those;
- "每一个月", "每一周", "each quarter", "each year": the each-words of a grain not known (refused
  or dropped); now a breakdown by it, like 每个月 / each month.

Values against hand-written SQL on the real test workspaces; paraphrases in both languages,
Chinese with and without spaces."""

from __future__ import annotations

from typing import Any

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql


def _per_month(ws: Workspace, start: str, end: str) -> list[tuple[str, int]]:
    return [
        (str(m), int(n))
        for m, n in sql(
            ws,
            "SELECT CAST(date_trunc('month', created_at) AS DATE), count(order_id) FROM orders "
            f"WHERE created_at >= '{start}' AND created_at < '{end}' GROUP BY 1 ORDER BY 1",
        )
    ]


def _got(ws: Workspace, question: str) -> list[tuple[str, int]]:
    return [(str(r[0]), int(r[1])) for r in rows(ws, question)]


@pytest.mark.parametrize(
    "question",
    [
        "orders in each of the last 3 months",
        "how many orders in each of the last 3 months",
        "最近三个月的订单分别是多少",
        "最近三个月的订单各是多少",
        "最近 三个月 的 订单 分别 是 多少",
        "过去3个月里每一个月各有多少单",
        "过去 3个月 里 每一个月 各 有 多少单",
    ],
)
def test_each_of_the_last_months_is_per_month(olist: Workspace, question: str) -> None:
    want = _per_month(olist, "2018-06-01", "2018-09-01")
    assert len(want) == 3
    assert _got(olist, question) == want, question


def test_each_of_the_past_six_months(olist: Workspace) -> None:
    want = _per_month(olist, "2018-03-01", "2018-09-01")
    assert _got(olist, "orders for each of the past 6 months") == want


def test_the_last_months_without_each_is_one_total(olist: Workspace) -> None:
    total = sum(n for _, n in _per_month(olist, "2018-06-01", "2018-09-01"))
    assert rows(olist, "orders in the last 3 months") == [(total,)]
    assert rows(olist, "最近三个月的订单是多少") == [(total,)]


def test_each_said_of_listed_values_stays_theirs(olist: Workspace) -> None:
    """分别 after two values listed: each of the values, over the whole period."""
    want = dict(
        sql(
            olist,
            "SELECT c.province, count(o.order_id) FROM orders o JOIN customers c "
            "ON o.customer_id = c.customer_id WHERE o.created_at >= '2018-06-01' "
            "AND o.created_at < '2018-09-01' AND c.province IN ('SP', 'RJ') GROUP BY 1",
        )
    )
    got = dict(rows(olist, "最近三个月SP和RJ的订单分别是多少"))
    assert got == want


def test_each_quarter_and_year(olist: Workspace) -> None:
    want = sql(
        olist,
        "SELECT CAST(date_trunc('year', created_at) AS DATE), count(order_id) FROM orders "
        "WHERE created_at >= '2016-01-01' AND created_at < '2018-01-01' GROUP BY 1 ORDER BY 1",
    )
    want_rows = [(str(a), int(b)) for a, b in want]
    assert _got(olist, "orders in each of the last two years") == want_rows
    assert _got(olist, "过去2年的订单分别有几单") == want_rows
    quarters = _got(olist, "orders each quarter in the last 4 quarters")
    assert [q for q, _ in quarters] == ["2017-07-01", "2017-10-01", "2018-01-01", "2018-04-01"]


def test_each_of_the_last_months_retail(retail: Workspace) -> None:
    got = rows(retail, "sales in each of the last 3 months")
    assert [str(r[0]) for r in got] == ["2011-09-01", "2011-10-01", "2011-11-01"]
    assert rows(retail, "最近 三个月 销售额 分别 是 多少") == got


def test_each_week_of_recent_weeks(demo: Any) -> None:
    got = rows(demo, "近两周的销售额分别多少")
    assert len(got) == 2
    assert rows(demo, "近两周每周的销售额") == got


def test_each_of_values_after_recent_days_stays_theirs(demo: Any) -> None:
    """'近7天京东天猫销售额分别是多少': each platform over the 7 days, never each day."""
    got = rows(demo, "近7天京东天猫销售额分别是多少")
    assert sorted(str(r[0]) for r in got) == ["jd", "tmall"]
