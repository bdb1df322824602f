"""Differential tests on the hand-built two-platform workspace (refunds, failed payments, events,
inventory): the compiled SQL and hand-written SQL agree, and both agree with arithmetic by hand."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from shopql.catalog.semantic import Filter
from tests.catalog.conftest import TODAY
from tests.catalog.helpers import Warehouse, same, span

Y2025 = span("2025-01-01", "2026-01-01")
BUYER = "coalesce(c.one_id, o.customer_id)"
PAID_2025 = "o.paid_at >= '2025-01-01' AND o.paid_at < '2026-01-01'"


@pytest.fixture(scope="module")
def wh(shop_workspace: Path) -> Iterator[Warehouse]:
    w = Warehouse(shop_workspace, today=TODAY)
    yield w
    w.close()


def test_paid_gmv_is_exact_and_matches_by_platform(wh: Warehouse) -> None:
    got = wh.metric(metrics=("paid_gmv",), dimensions=("platform",), time_range=Y2025)
    hand = wh.sql(
        f"SELECT platform, sum(paid_amount) FROM orders o WHERE paid_at IS NOT NULL AND {PAID_2025}"
        " GROUP BY 1"
    )
    same(got, hand)
    assert dict(got) == {"tmall": Decimal("400.29"), "jd": Decimal("55.50")}


def test_placed_gmv_and_orders_count_unpaid_orders(wh: Warehouse) -> None:
    got = wh.metric(metrics=("placed_gmv", "orders", "paid_orders"), time_range=Y2025)
    hand = wh.sql(
        "SELECT sum(coalesce(goods_amount - coalesce(discount_amount, 0) + coalesce(shipping_fee, 0),"
        " paid_amount, 0)), count(*), count(paid_at) FROM orders"
        " WHERE created_at >= '2025-01-01' AND created_at < '2026-01-01'"
    )
    same(got, hand)
    assert got == [(Decimal("475.79"), 6, 5)]


def test_refunds_net_sales_and_refund_rate(wh: Warehouse) -> None:
    got = wh.metric(
        metrics=("refund_amount", "net_sales", "refund_rate", "refunded_orders"),
        dimensions=("platform",),
        time_range=Y2025,
    )
    hand = wh.sql(
        "SELECT platform, sum(coalesce(refund_amount, 0)),"
        " sum(paid_amount) - sum(coalesce(refund_amount, 0)),"
        " round(sum(coalesce(refund_amount, 0))::DOUBLE / sum(paid_amount), 4),"
        " count(*) FILTER (WHERE refund_amount > 0)"
        f" FROM orders o WHERE paid_at IS NOT NULL AND {PAID_2025} GROUP BY 1"
    )
    same(got, hand)
    assert {r[0]: r[1:3] for r in got} == {
        "tmall": (Decimal("50.00"), Decimal("350.29")),
        "jd": (Decimal("55.50"), Decimal("0.00")),
    }


def test_paid_gmv_by_category_does_not_double_count_multi_line_orders(wh: Warehouse) -> None:
    got = wh.metric(metrics=("paid_gmv",), dimensions=("category",), time_range=Y2025)
    hand = wh.sql(
        "SELECT p.category, sum(i.paid_amount) FROM order_items i JOIN orders o USING (order_id)"
        f" LEFT JOIN products p USING (product_id) WHERE o.paid_at IS NOT NULL AND {PAID_2025}"
        " GROUP BY 1"
    )
    same(got, hand)
    # tmall:o1 has a shoe line and a bag line: its 300.00 is not given to both categories
    assert dict(got) == {"shoes": Decimal("255.49"), "bags": Decimal("170.30")}
    naive = dict(
        wh.sql(
            "SELECT p.category, sum(o.paid_amount) FROM orders o JOIN order_items i USING (order_id)"
            f" JOIN products p USING (product_id) WHERE {PAID_2025} GROUP BY 1"
        )
    )
    assert naive["shoes"] == Decimal("455.49")  # the double count the compiler avoids


def test_orders_by_category_count_an_order_once_per_category(wh: Warehouse) -> None:
    got = wh.metric(metrics=("orders", "units"), dimensions=("category",), time_range=Y2025)
    assert {r[0]: r[1] for r in got} == {"shoes": 3, "bags": 4}
    units = wh.sql(
        "SELECT p.category, sum(i.quantity) FROM order_items i JOIN orders o USING (order_id)"
        f" LEFT JOIN products p USING (product_id) WHERE o.paid_at IS NOT NULL AND {PAID_2025}"
        " GROUP BY 1"
    )
    assert {r[0]: r[2] for r in got} == dict(units) == {"shoes": 5, "bags": 4}


def test_buyers_are_people_across_platforms(wh: Warehouse) -> None:
    got = wh.metric(metrics=("buyers", "new_buyers", "returning_buyers"), time_range=Y2025)
    hand = wh.sql(
        f"SELECT count(DISTINCT {BUYER}) FROM orders o LEFT JOIN customers c USING (customer_id)"
        f" WHERE o.paid_at IS NOT NULL AND {PAID_2025}"
    )
    assert got[0][0] == hand[0][0] == 2  # P1 (tmall:c1 + jd:c2) and P3
    assert got == [(2, 2, 0)]
    by_platform = wh.metric(
        metrics=("buyers", "new_buyers", "returning_buyers"),
        dimensions=("platform",),
        time_range=Y2025,
    )
    # P1's first order was on tmall, so on jd P1 is a returning buyer
    assert sorted(by_platform) == [("jd", 1, 0, 1), ("tmall", 2, 2, 0)]


def test_new_buyers_match_first_paid_order_by_hand(wh: Warehouse) -> None:
    for tr in (Y2025, span("2024-01-01", "2025-01-01"), span("2025-02-01", "2025-03-01")):
        got = wh.metric(metrics=("new_buyers",), time_range=tr)
        hand = wh.sql(
            f"SELECT count(*) FROM (SELECT {BUYER} b, min(o.paid_at) f FROM orders o"
            " LEFT JOIN customers c USING (customer_id) WHERE o.paid_at IS NOT NULL GROUP BY 1)"
            " WHERE f >= ? AND f < ?",
            [tr.start, tr.end],
        )
        same(got, hand)


def test_repurchase_rate(wh: Warehouse) -> None:
    got = wh.metric(
        metrics=("repurchase_rate", "repeat_buyers"), dimensions=("platform",), time_range=Y2025
    )
    hand = wh.sql(
        f"SELECT platform, round(count(*) FILTER (WHERE n >= 2)::DOUBLE / count(*), 4),"
        f" count(*) FILTER (WHERE n >= 2) FROM (SELECT o.platform, {BUYER} b, count(*) n"
        f" FROM orders o LEFT JOIN customers c USING (customer_id)"
        f" WHERE o.paid_at IS NOT NULL AND {PAID_2025} GROUP BY 1, 2) GROUP BY 1"
    )
    same(got, hand)
    assert sorted(got) == [("jd", 0.0, 0), ("tmall", 1.0, 2)]


def test_payment_success_rate_counts_failed_attempts(wh: Warehouse) -> None:
    got = wh.metric(metrics=("payment_success_rate",), dimensions=("payment_channel",))
    hand = wh.sql(
        "SELECT channel, round(count(*) FILTER (WHERE status = 'success')::DOUBLE / count(*), 4)"
        " FROM payments GROUP BY 1"
    )
    same(got, hand)
    assert wh.metric(metrics=("payment_success_rate", "payment_attempts")) == [(0.5, 8)]


def test_conversion_rate_from_events(wh: Warehouse) -> None:
    got = wh.metric(metrics=("conversion_rate", "visitors"), dimensions=("platform",))
    hand = wh.sql(
        "SELECT platform, round(count(DISTINCT user_key) FILTER (WHERE event_type = 'buy')::DOUBLE"
        " / count(DISTINCT user_key), 4), count(DISTINCT user_key) FROM events GROUP BY 1"
    )
    same(got, hand)
    assert sorted(got) == [("jd", 1.0, 1), ("tmall", 0.3333, 3)]


def test_average_review_score(wh: Warehouse) -> None:
    got = wh.metric(metrics=("avg_review_score", "review_count"), dimensions=("platform",))
    hand = wh.sql(
        "SELECT o.platform, round(avg(r.score), 2), count(*) FROM reviews r"
        " LEFT JOIN orders o USING (order_id) GROUP BY 1"
    )
    same(got, hand)
    assert sorted(got) == [("jd", 1.0, 1), ("tmall", 4.0, 2)]


def test_inventory_uses_the_latest_snapshot_and_days_of_cover(wh: Warehouse) -> None:
    got = wh.metric(
        metrics=("inventory_on_hand", "units_last_30d", "days_of_cover"), dimensions=("outer_code",)
    )
    # today 2025-02-20: the 30 days are 2025-01-21 .. 2025-02-19, the whole days before today
    # (tmall:o2 1×A, jd:o3 3×A; tmall:o6, o7 1×B each)
    assert sorted(got) == [("A", 50, 4, 375.0), ("B", 30, 2, 450.0)]
    hand = wh.sql(
        "WITH s AS (SELECT outer_code, sum(on_hand) oh FROM (SELECT * FROM inventory QUALIFY"
        " row_number() OVER (PARTITION BY outer_code, warehouse ORDER BY as_of DESC) = 1) GROUP BY 1),"
        " u AS (SELECT p.outer_code, sum(i.quantity) q FROM order_items i JOIN orders o USING (order_id)"
        " JOIN products p USING (product_id) WHERE o.paid_at >= DATE '2025-01-21'"
        " AND o.paid_at < DATE '2025-02-20' GROUP BY 1)"
        " SELECT s.outer_code, s.oh, u.q, round(s.oh / (u.q / 30.0), 2) FROM s LEFT JOIN u USING (outer_code)"
    )
    same(got, hand)


def test_filters_become_literals(wh: Warehouse) -> None:
    got = wh.metric(
        metrics=("paid_gmv",),
        filters=(
            Filter("province", "in", ("浙江省", "上海市")),
            Filter("platform", "=", ("tmall",)),
        ),
        time_range=Y2025,
    )
    # tmall:o2 has no province on the order: the buyer's (浙江省) is used
    assert got == [(Decimal("400.29"),)]
    quoted = wh.metric(metrics=("orders",), filters=(Filter("platform", "=", ("x' OR 1=1 --",)),))
    assert quoted == [(0,)]


def test_month_grain_and_previous_period(wh: Warehouse) -> None:
    got = wh.metric(metrics=("paid_gmv", "paid_orders"), grain="month", time_range=Y2025)
    assert [(str(r[0]), r[1], r[2]) for r in got] == [
        ("2025-01-01", Decimal("399.99"), 2),
        ("2025-02-01", Decimal("55.80"), 3),
    ]
    compared = wh.metric(
        metrics=("paid_gmv",),
        time_range=span("2025-02-01", "2025-03-01"),
        compare="previous_period",
    )
    assert compared == [(Decimal("55.80"), Decimal("399.99"), round((55.80 - 399.99) / 399.99, 4))]
