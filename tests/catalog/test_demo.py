"""Differential tests on the generated multi-platform demo (small scale, dates pinned): refunds,
failed payment attempts, events, inventory snapshots and OneID across five platforms."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.catalog.conftest import DEMO_TODAY
from tests.catalog.helpers import Warehouse, same, span

WINDOW = span("2025-03-01", "2025-06-01")
BUYER = "coalesce(c.one_id, o.customer_id)"
PAID = "o.paid_at IS NOT NULL AND o.paid_at >= '2025-03-01' AND o.paid_at < '2025-06-01'"


@pytest.fixture(scope="module")
def wh(demo_workspace: Path) -> Iterator[Warehouse]:
    w = Warehouse(demo_workspace, today=DEMO_TODAY)
    yield w
    w.close()


def test_sales_refunds_and_buyers_by_platform(wh: Warehouse) -> None:
    got = wh.metric(
        metrics=(
            "paid_gmv",
            "refund_amount",
            "net_sales",
            "refund_rate",
            "paid_orders",
            "buyers",
            "aov",
        ),
        dimensions=("platform",),
        time_range=WINDOW,
    )
    hand = wh.sql(
        "SELECT o.platform, sum(o.paid_amount), sum(coalesce(o.refund_amount, 0)),"
        " sum(o.paid_amount) - sum(coalesce(o.refund_amount, 0)),"
        " round(sum(coalesce(o.refund_amount, 0))::DOUBLE / sum(o.paid_amount), 4), count(*),"
        f" count(DISTINCT {BUYER}), round(sum(o.paid_amount) / count(*), 2)"
        f" FROM orders o LEFT JOIN customers c USING (customer_id) WHERE {PAID} GROUP BY 1"
    )
    assert len(got) == 5
    same(got, hand)
    assert sum(r[2] for r in got) > 0  # the demo has refunds


def test_repurchase_and_new_buyers(wh: Warehouse) -> None:
    got = wh.metric(metrics=("repeat_buyers", "buyers", "new_buyers"), time_range=WINDOW)
    hand = wh.sql(
        f"WITH b AS (SELECT {BUYER} AS buyer, count(*) AS n FROM orders o LEFT JOIN customers c"
        f" USING (customer_id) WHERE {PAID} AND {BUYER} IS NOT NULL GROUP BY 1),"
        f" f AS (SELECT {BUYER} AS buyer, min(o.paid_at) AS first FROM orders o LEFT JOIN customers c"
        f" USING (customer_id) WHERE o.paid_at IS NOT NULL AND {BUYER} IS NOT NULL GROUP BY 1)"
        " SELECT (SELECT count(*) FROM b WHERE n >= 2), (SELECT count(*) FROM b),"
        " (SELECT count(*) FROM f WHERE first >= '2025-03-01' AND first < '2025-06-01')"
    )
    same(got, hand)
    assert got[0][0] > 0


def test_payment_success_rate_by_channel(wh: Warehouse) -> None:
    got = wh.metric(
        metrics=("payment_success_rate", "payment_attempts"), dimensions=("payment_channel",)
    )
    hand = wh.sql(
        "SELECT coalesce(p.channel, o.payment_channel), round(count(*) FILTER (WHERE lower(p.status) ="
        " 'success')::DOUBLE / count(*), 4), count(*) FROM payments p LEFT JOIN orders o USING (order_id)"
        " GROUP BY 1"
    )
    same(got, hand)
    assert min(r[1] for r in got) < 1  # failed attempts exist


def test_conversion_rate_by_platform_and_month(wh: Warehouse) -> None:
    got = wh.metric(
        metrics=("conversion_rate",), dimensions=("platform",), grain="month", time_range=WINDOW
    )
    hand = wh.sql(
        "SELECT CAST(date_trunc('month', event_time) AS DATE), platform,"
        " round(count(DISTINCT user_key) FILTER (WHERE event_type = 'buy')::DOUBLE"
        " / count(DISTINCT user_key), 4) FROM events"
        " WHERE event_time >= '2025-03-01' AND event_time < '2025-06-01' GROUP BY 1, 2"
    )
    assert got
    same(got, hand)


def test_units_and_sales_by_category(wh: Warehouse) -> None:
    got = wh.metric(
        metrics=("paid_gmv", "units", "paid_orders"), dimensions=("category",), time_range=WINDOW
    )
    hand = wh.sql(
        "SELECT coalesce(i.category, p.category), sum(i.paid_amount), sum(i.quantity),"
        " count(DISTINCT o.order_id) FROM order_items i JOIN orders o USING (order_id)"
        f" LEFT JOIN products p USING (product_id) WHERE {PAID} GROUP BY 1"
    )
    same(got, hand)


def test_inventory_and_days_of_cover(wh: Warehouse) -> None:
    # today is pinned to 2025-06-01: the 30 days are 2025-05-02 .. 2025-05-31, the whole days
    # before today (as a question's 近30天)
    got = wh.metric(
        metrics=("inventory_on_hand", "units_last_30d", "days_of_cover"), dimensions=("outer_code",)
    )
    hand = wh.sql(
        "WITH s AS (SELECT outer_code, sum(on_hand) AS oh FROM (SELECT * FROM inventory QUALIFY"
        " row_number() OVER (PARTITION BY outer_code, warehouse ORDER BY as_of DESC) = 1) GROUP BY 1),"
        " u AS (SELECT coalesce(i.outer_code, p.outer_code) AS outer_code, sum(i.quantity) AS q"
        " FROM order_items i JOIN orders o USING (order_id) LEFT JOIN products p USING (product_id)"
        " WHERE o.paid_at >= DATE '2025-05-02' AND o.paid_at < DATE '2025-06-01' GROUP BY 1)"
        " SELECT s.outer_code, s.oh, coalesce(u.q, 0), round(s.oh / nullif(u.q / 30.0, 0), 2)"
        " FROM s LEFT JOIN u USING (outer_code)"
        " UNION ALL SELECT u.outer_code, 0, u.q, round(0 / (u.q / 30.0), 2) FROM u"
        " WHERE u.outer_code NOT IN (SELECT outer_code FROM s)"
    )
    same(got, hand)
    assert any(r[3] is not None for r in got)
