"""卖得最好 / 卖得最多 with no measure named, over periods: a quarter or month "sells best" by
its sales, as any other group does (pieces of a cheap and a dear item do not add up to which
period sold best); products ranked within each period stay a product ranking (pieces)."""

from __future__ import annotations

from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql


def test_the_period_that_sold_best_is_ranked_by_sales(olist: Workspace) -> None:
    expected = sql(
        olist,
        "SELECT CAST(date_trunc('quarter', paid_at) AS DATE)::VARCHAR, sum(paid_amount) FROM orders"
        " WHERE paid_at >= '2017-01-01' AND paid_at < '2018-01-01' GROUP BY 1 ORDER BY 2 DESC"
        " LIMIT 1",
    )
    got = rows(olist, "17年哪个季度卖得最好")
    assert [(str(q), float(v)) for q, v in got] == [(q, float(v)) for q, v in expected]
    by_units = sql(
        olist,
        "SELECT CAST(date_trunc('quarter', o.paid_at) AS DATE)::VARCHAR, sum(i.quantity)"
        " FROM order_items i JOIN orders o USING (order_id) WHERE o.paid_at >= '2017-01-01'"
        " AND o.paid_at < '2018-01-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    assert float(got[0][1]) != float(by_units[0][1])  # was: the quarter's pieces


def test_a_month_that_sold_most_is_its_sales(olist: Workspace) -> None:
    expected = sql(
        olist,
        "SELECT CAST(date_trunc('month', paid_at) AS DATE)::VARCHAR, sum(paid_amount) FROM orders"
        " WHERE paid_at IS NOT NULL AND paid_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    got = rows(olist, "哪个月卖得最多")
    assert [(str(m), float(v)) for m, v in got] == [(m, float(v)) for m, v in expected]
