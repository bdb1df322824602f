"""Differential tests on the real Olist data: each default metric compiled by shopql equals a
hand-written query over the canonical tables (all time, a year, by platform, month and category)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests.catalog.helpers import Warehouse, same, span
from tests.conftest import run_cli

Y2017 = span("2017-01-01", "2018-01-01")
BUYER = "coalesce(c.one_id, o.customer_id)"
PAID = "o.paid_at IS NOT NULL AND o.paid_at >= '2017-01-01' AND o.paid_at < '2018-01-01'"
PLACED = "o.created_at >= '2017-01-01' AND o.created_at < '2018-01-01'"

# metric -> hand-written SQL for 2017, one row, one value
HAND_2017 = {
    "placed_gmv": "SELECT sum(coalesce(goods_amount - coalesce(discount_amount, 0) + coalesce(shipping_fee, 0), paid_amount, 0)) FROM orders o WHERE "
    + PLACED,
    "paid_gmv": f"SELECT sum(paid_amount) FROM orders o WHERE {PAID}",
    "refund_amount": f"SELECT sum(coalesce(refund_amount, 0)) FROM orders o WHERE {PAID}",
    "net_sales": f"SELECT sum(paid_amount) - sum(coalesce(refund_amount, 0)) FROM orders o WHERE {PAID}",
    "orders": f"SELECT count(*) FROM orders o WHERE {PLACED}",
    "paid_orders": f"SELECT count(*) FROM orders o WHERE {PAID}",
    "buyers": f"SELECT count(DISTINCT {BUYER}) FROM orders o LEFT JOIN customers c USING (customer_id) WHERE {PAID}",
    "aov": f"SELECT round(sum(paid_amount) / count(*), 2) FROM orders o WHERE {PAID}",
    "sales_per_buyer": f"SELECT round(sum(paid_amount) / count(DISTINCT {BUYER}), 2) FROM orders o LEFT JOIN customers c USING (customer_id) WHERE {PAID}",
    "units": f"SELECT sum(i.quantity) FROM order_items i JOIN orders o USING (order_id) WHERE {PAID}",
    "refund_rate": f"SELECT round(sum(coalesce(refund_amount, 0))::DOUBLE / sum(paid_amount), 4) FROM orders o WHERE {PAID}",
    "repurchase_rate": f"SELECT round(count(*) FILTER (WHERE n >= 2)::DOUBLE / count(*), 4) FROM (SELECT {BUYER}, count(*) n FROM orders o LEFT JOIN customers c USING (customer_id) WHERE {PAID} GROUP BY 1)",
    "new_buyers": f"SELECT count(*) FROM (SELECT {BUYER}, min(o.paid_at) f FROM orders o LEFT JOIN customers c USING (customer_id) WHERE o.paid_at IS NOT NULL GROUP BY 1) WHERE f >= '2017-01-01' AND f < '2018-01-01'",
    "payment_success_rate": "SELECT round(count(*) FILTER (WHERE p.status = 'success')::DOUBLE / count(*), 4) FROM payments p JOIN orders o USING (order_id) WHERE coalesce(p.attempted_at, o.created_at) >= '2017-01-01' AND coalesce(p.attempted_at, o.created_at) < '2018-01-01'",
    "avg_review_score": "SELECT round(avg(score), 2) FROM reviews WHERE created_at >= '2017-01-01' AND created_at < '2018-01-01'",
    "review_count": "SELECT count(*) FROM reviews WHERE created_at >= '2017-01-01' AND created_at < '2018-01-01'",
}


@pytest.mark.parametrize("name", sorted(HAND_2017))
def test_metric_equals_hand_written_sql(wh: Warehouse, name: str) -> None:
    same(wh.metric(metrics=(name,), time_range=Y2017), wh.sql(HAND_2017[name]))


def test_all_metrics_together_equal_each_alone(wh: Warehouse) -> None:
    names = tuple(sorted(HAND_2017))
    together = wh.metric(metrics=names, time_range=Y2017)[0]
    alone = tuple(wh.sql(HAND_2017[n])[0][0] for n in names)
    same([together], [alone])


def test_known_olist_figures(wh: Warehouse) -> None:
    got = wh.metric(metrics=("orders", "paid_orders", "paid_gmv", "returning_buyers"))
    orders, paid_orders, paid_gmv, returning = got[0]
    assert orders == 99441
    assert paid_orders == wh.sql("SELECT count(*) FROM orders WHERE paid_at IS NOT NULL")[0][0]
    assert paid_gmv == wh.sql("SELECT sum(paid_amount) FROM orders WHERE paid_at IS NOT NULL")[0][0]
    assert isinstance(paid_gmv, Decimal)
    assert returning == 0  # over all of history everyone's first order is inside the range


def test_by_platform_and_month(wh: Warehouse) -> None:
    got = wh.metric(
        metrics=("paid_gmv", "buyers", "aov"),
        dimensions=("platform",),
        grain="month",
        time_range=Y2017,
    )
    hand = wh.sql(
        f"SELECT CAST(date_trunc('month', o.paid_at) AS DATE), o.platform, sum(paid_amount),"
        f" count(DISTINCT {BUYER}), round(sum(paid_amount) / count(*), 2)"
        f" FROM orders o LEFT JOIN customers c USING (customer_id) WHERE {PAID} GROUP BY 1, 2"
    )
    assert len(got) == 12
    same(got, hand)


def test_paid_gmv_by_category_does_not_double_count(wh: Warehouse) -> None:
    got = wh.metric(metrics=("paid_gmv",), dimensions=("category",), time_range=Y2017)
    hand = wh.sql(
        "SELECT p.category, sum(i.paid_amount) FROM order_items i JOIN orders o USING (order_id)"
        f" LEFT JOIN products p USING (product_id) WHERE {PAID} GROUP BY 1"
    )
    same(got, hand)
    total_lines = wh.sql(
        f"SELECT sum(i.paid_amount) FROM order_items i JOIN orders o USING (order_id) WHERE {PAID}"
    )
    assert sum(r[1] for r in got) == total_lines[0][0]
    naive = wh.sql(
        "SELECT sum(o.paid_amount) FROM orders o JOIN order_items i USING (order_id)"
        f" LEFT JOIN products p USING (product_id) WHERE {PAID}"
    )
    assert naive[0][0] > wh.sql(HAND_2017["paid_gmv"])[0][0]  # the trap is real in this data


def test_orders_and_buyers_by_category(wh: Warehouse) -> None:
    got = wh.metric(metrics=("paid_orders", "buyers"), dimensions=("category",), time_range=Y2017)
    hand = wh.sql(
        # an order without lines is counted under an empty category, not dropped
        f"SELECT p.category, count(DISTINCT o.order_id), count(DISTINCT {BUYER}) FROM orders o"
        " LEFT JOIN order_items i USING (order_id) LEFT JOIN products p USING (product_id)"
        f" LEFT JOIN customers c ON c.customer_id = o.customer_id WHERE {PAID} GROUP BY 1"
    )
    same(got, hand)


def test_by_province_and_payment_channel(wh: Warehouse) -> None:
    got = wh.metric(
        metrics=("paid_gmv", "paid_orders"),
        dimensions=("province", "payment_channel"),
        time_range=Y2017,
    )
    hand = wh.sql(
        "SELECT coalesce(o.province, c.province), o.payment_channel, sum(o.paid_amount), count(*)"
        f" FROM orders o LEFT JOIN customers c USING (customer_id) WHERE {PAID} GROUP BY 1, 2"
    )
    same(got, hand)


def test_metric_cli_json_equals_hand_sql(olist_workspace: Path, wh: Warehouse) -> None:
    done = run_cli(
        "--workspace",
        str(olist_workspace),
        "metric",
        "paid_gmv",
        "aov",
        "--by",
        "platform",
        "--since",
        "2017-01-01",
        "--until",
        "2017-12-31",
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["columns"] == ["platform", "paid_gmv", "aov"]
    hand = wh.sql(
        f"SELECT o.platform, sum(paid_amount), round(sum(paid_amount) / count(*), 2) FROM orders o WHERE {PAID} GROUP BY 1"
    )
    assert doc["rows"] == [[p, float(g), float(a)] for p, g, a in hand]
    assert "SUM(orders.paid_amount)" in doc["sql"] and "LIMIT" in doc["sql"]
    assert {m["name"] for m in doc["metrics"]} == {"paid_gmv", "aov", "paid_orders"}
    assert doc["time_range"] == {
        "start": "2017-01-01T00:00:00",
        "end": "2018-01-01T00:00:00",
        "label": "2017-01-01 – 2017-12-31",
    }


def test_metric_cli_csv_and_where(olist_workspace: Path, wh: Warehouse) -> None:
    done = run_cli(
        "--workspace",
        str(olist_workspace),
        "metric",
        "paid_orders",
        "--by",
        "status",
        "--where",
        "status IN ('completed', 'shipped')",
        "--format",
        "csv",
    )
    assert done.returncode == 0, done.stderr
    hand = wh.sql(
        "SELECT status, count(*) FROM orders WHERE paid_at IS NOT NULL AND status IN ('completed', 'shipped') GROUP BY 1 ORDER BY 2 DESC"
    )
    assert done.stdout.splitlines() == ["status,paid_orders", *[f"{s},{n}" for s, n in hand]]


def test_metric_cli_errors_are_one_line(olist_workspace: Path) -> None:
    for args, needle in (
        (("paid_gmvv",), "did you mean paid_gmv"),
        (("paid_gmv", "--by", "flavour"), "unknown dimension flavour"),
        (("paid_gmv", "--since", "someday"), "not a date or time phrase"),
        (("paid_gmv", "--where", "1 = 1; DROP TABLE orders"), "--where"),
        (("paid_gmv", "--where", "platform = lower('X')"), "not a plain value"),
        (("inventory_on_hand", "--by", "payment_channel"), "cannot be reached"),
    ):
        done = run_cli("--workspace", str(olist_workspace), "metric", *args)
        assert done.returncode != 0, args
        assert needle in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
