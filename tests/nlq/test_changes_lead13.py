"""Two readings that answered a different question (dev_w10, lead, session 13):
- "11月对比10月 变化多少": how much it changed between two periods is the change (one row, this and
  the previous period), not a per-day trend of the two months laid side by side;
- "did delivery get faster in Q2 vs Q1": a comparative speed word compares the typical speed
  (the average), never the single fastest order; with nothing compared it stays unplaced."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql

UNITS = (
    "SELECT sum(i.quantity) FILTER (WHERE o.paid_at >= '2011-11-01' AND o.paid_at < '2011-12-01'),"
    " sum(i.quantity) FILTER (WHERE o.paid_at >= '2011-10-01' AND o.paid_at < '2011-11-01')"
    " FROM order_items i JOIN orders o USING (order_id)"
)


@pytest.mark.parametrize(
    "question", ["2011年11月对比10月 件数变化多少", "2011年11月销量比10月变化了多少"]
)
def test_how_much_it_changed_is_the_change(retail: Workspace, question: str) -> None:
    got = rows(retail, question)
    assert len(got) == 1
    cur, prev = sql(retail, UNITS)[0]
    assert (int(got[0][0]), int(got[0][1])) == (int(cur), int(prev)) == (123244, 109012)


def _delivery(olist: Workspace, start: str, end: str) -> float:
    (v,) = sql(
        olist,
        "SELECT avg(date_diff('second', created_at, finished_at) / 86400.0) FROM orders"
        f" WHERE created_at >= '{start}' AND created_at < '{end}' AND finished_at IS NOT NULL",
    )[0]
    return round(float(v), 2)


@pytest.mark.parametrize(
    "question",
    [
        "did delivery get faster in Q2 vs Q1 2018",
        "2018年第二季度比第一季度送货快了吗",
        "was delivery slower in 2018 Q1 than 2017 Q4",
    ],
)
def test_faster_compares_the_average(olist: Workspace, question: str) -> None:
    got = [round(float(r[-2] if len(r) > 2 else r[-1]), 2) for r in rows(olist, question)]
    assert len(got) == 2
    averages = {
        _delivery(olist, "2017-10-01", "2018-01-01"),
        _delivery(olist, "2018-01-01", "2018-04-01"),
        _delivery(olist, "2018-04-01", "2018-07-01"),
    }
    assert set(got) <= averages
    assert _delivery(olist, "2018-01-01", "2018-04-01") == 15.75


def test_faster_than_nothing_is_refused(olist: Workspace) -> None:
    assert "faster" in refused(olist, "is delivery faster in 2018").unknown


C_VALUE = (
    "SELECT one_id, sum(refund_amount) FROM orders WHERE raw_status = 'cancellation invoice'"
    " AND created_at >= '2011-07-01' AND created_at < '2011-10-01' AND one_id IS NOT NULL"
    " GROUP BY 1 ORDER BY 2 DESC LIMIT 3"
)


@pytest.mark.parametrize(
    "question",
    ["上季度 取消金额最大的3个客户", "top 3 customers by cancelled value last quarter"],
)
def test_customers_ranked_by_what_their_credit_notes_gave_back(
    retail: Workspace, question: str
) -> None:
    """Credit notes were never paid: ranking their customers by paid money found no one."""
    want = [(p, round(float(v), 2)) for p, v in sql(retail, C_VALUE)]
    assert len(want) == 3
    # people ranked show their accounts between the person and the figure (session 41)
    got = [(r[0], round(float(r[-1]), 2)) for r in rows(retail, question)]
    assert got == want


def test_customers_ranked_by_how_many_credit_notes(retail: Workspace) -> None:
    want = sql(
        retail,
        "SELECT one_id, count(*) FROM orders WHERE raw_status = 'cancellation invoice'"
        " AND one_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5",
    )
    got = rows(retail, "取消单最多的5个客户")
    assert [r[-1] for r in got] == [n for _, n in want] and want[0][1] > 1
