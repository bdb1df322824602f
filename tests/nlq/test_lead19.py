"""Never answer a different question (issue 11, session 19, the lead): three readings found among
the wrong answers of heldout17 after its score was taken (the set is spent since), each fixed as a
mechanism and checked on paraphrases. Values against hand-written SQL on the session workspaces
(the Online Retail slice, today 2011-12-01; the demo at seed 7)."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql


def _last_month(today: dt.date) -> tuple[dt.date, dt.date]:
    end = today.replace(day=1)
    return (end - dt.timedelta(days=1)).replace(day=1), end


def test_weekend_and_weekday_said_apart_are_the_split(demo: Workspace) -> None:
    """ "上个月 周末 和 工作日 平均每天 卖多少" (spaced, so not the split's own synonym): one row
    for weekdays and one for weekends, each per calendar day of its kind (was: one figure over
    every day, the two kinds read as one filter that keeps all seven)."""
    start, end = _last_month(demo.today)
    totals = dict(
        sql(
            demo,
            "SELECT CASE WHEN isodow(paid_at) IN (6, 7) THEN 'weekend' ELSE 'weekday' END, "
            f"sum(paid_amount) FROM orders WHERE paid_at >= DATE '{start}' AND paid_at < "
            f"DATE '{end}' GROUP BY 1",
        )
    )
    days = [start + dt.timedelta(d) for d in range(calendar.monthrange(start.year, start.month)[1])]
    weekend = sum(d.isoweekday() >= 6 for d in days)
    want = {
        "weekday": round(float(totals["weekday"]) / (len(days) - weekend), 2),
        "weekend": round(float(totals["weekend"]) / weekend, 2),
    }
    for question in (
        "上个月 周末 和 工作日 平均每天 卖多少",
        "上个月 周末和工作日 平均每天 卖多少",
        "last month weekend and weekday daily avg sales",
    ):
        got = {r[1]: float(r[-1]) for r in rows(demo, question)}
        assert got == pytest.approx(want, abs=0.01), question
    split = {r[1]: float(r[-1]) for r in rows(demo, "上个月 周末 和 工作日 卖了多少")}
    assert split == pytest.approx({k: float(v) for k, v in totals.items()}, abs=0.01)


def test_people_of_this_year_are_counted_up_to_today(retail: Workspace) -> None:
    """ "今年买过 但是 近90天 没再买的客户": 今年 up to today (2011-12-01), as every answer —
    not the whole calendar year, which took in the people whose only 2011 orders are dated after
    today (the data runs to 2011-12-09)."""
    ((want,),) = sql(
        retail,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at IS NOT NULL AND one_id IS"
        " NOT NULL GROUP BY 1 HAVING count(*) FILTER (WHERE paid_at >= DATE '2011-01-01' AND"
        " paid_at < DATE '2011-09-02') > 0 AND count(*) FILTER (WHERE paid_at >= DATE"
        " '2011-09-02' AND paid_at < DATE '2011-12-01') = 0)",
    )
    ((after_today,),) = sql(retail, "SELECT count(*) FROM orders WHERE paid_at >= '2011-12-01'")
    assert want > 0 and after_today > 0
    assert rows(retail, "今年买过 但是 近90天 没再买的客户 有几个") == [(want,)]


def test_a_carrier_said_with_a_shipping_verb_counts_what_it_shipped(demo: Workspace) -> None:
    """ "上个月 中通 发了 几单": the orders ZTO shipped last month, by shipping time (shipped_orders,
    as "各快递 发了多少单"), not the orders placed last month that ZTO carried (21 against 20 at seed 7); "走中通的订单" (no
    shipping verb) stays the orders placed."""
    start, end = _last_month(demo.today)

    def count(time: str) -> int:
        ((n,),) = sql(
            demo,
            f"SELECT count(*) FROM orders WHERE carrier = 'zto' AND {time} >= DATE '{start}'"
            f" AND {time} < DATE '{end}'",
        )
        return int(n)

    shipped, placed = count("shipped_at"), count("created_at")
    assert shipped != placed
    for question in (
        "上个月 中通 发了 几单",
        "上个月 中通 发货了 几单",
        "上个月中通发货的订单有多少",
    ):
        assert rows(demo, question) == [(shipped,)], question
    assert rows(demo, "上个月 走中通的订单 有几单") == [(placed,)]
