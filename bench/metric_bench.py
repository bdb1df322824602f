"""Metric queries over a large warehouse, timed against a bare DuckDB aggregate in one process.

    python -m shopql.bench.metric_bench --lines 10000000

Builds a workspace whose canonical tables hold N order lines (N/2.5 orders over 5 platforms and
40 categories, two years), then times each catalog query (compile + guard + run, the way
`shopql metric` does) and, as the baseline, the equivalent hand-written aggregate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

QUERIES = [
    ("paid_gmv by platform", ("paid_gmv",), ("platform",), None),
    ("paid_gmv, aov by month", ("paid_gmv", "aov"), (), "month"),
    ("paid_gmv by category", ("paid_gmv",), ("category",), None),
    ("buyers, repurchase_rate by platform", ("buyers", "repurchase_rate"), ("platform",), None),
]
BASELINE = {
    "paid_gmv by platform": "SELECT platform, sum(paid_amount) FROM orders "
    "WHERE paid_at IS NOT NULL GROUP BY 1",
    "paid_gmv, aov by month": "SELECT date_trunc('month', paid_at), sum(paid_amount), "
    "sum(paid_amount) / count(*) FROM orders WHERE paid_at IS NOT NULL GROUP BY 1",
    "paid_gmv by category": "SELECT i.category, sum(i.paid_amount) FROM order_items i "
    "JOIN orders o USING (order_id) WHERE o.paid_at IS NOT NULL GROUP BY 1",
    "buyers, repurchase_rate by platform": "SELECT platform, count(DISTINCT customer_id), "
    "avg((n >= 2)::INT) FROM (SELECT platform, customer_id, count(*) n FROM orders "
    "WHERE paid_at IS NOT NULL GROUP BY 1, 2) GROUP BY 1",
}


def build(ws: Path, lines: int) -> None:
    from shopql.warehouse.connection import open_writer
    from shopql.warehouse.workspace import init_workspace

    init_workspace(ws)
    orders = int(lines / 2.5)
    con = open_writer(ws / "warehouse.duckdb")
    platforms = "['tmall','jd','pinduoduo','douyin','shopify']"
    con.execute(
        f"""INSERT INTO orders (order_id, platform, customer_id, status, created_at, paid_at,
               currency, paid_amount)
        SELECT 'o' || i, {platforms}[i % 5 + 1], 'c' || (i * 7919 % {orders // 3}), 'completed',
               TIMESTAMP '2024-01-01' + to_seconds(i * 63072000 // {orders}),
               TIMESTAMP '2024-01-01' + to_seconds(i * 63072000 // {orders} + 60), 'CNY',
               (10 + i * 7 % 990)::DECIMAL(18,2)
        FROM range({orders}) t(i)"""
    )
    con.execute(
        f"""INSERT INTO order_items (order_id, line_no, category, quantity, paid_amount)
        SELECT 'o' || (i // 2.5)::BIGINT, (i % 3)::INT, 'cat' || (i % 40), 1,
               (5 + i * 13 % 500)::DECIMAL(18,2)
        FROM range({lines}) t(i)"""
    )
    con.execute(
        f"""INSERT INTO customers (customer_id, platform, one_id)
        SELECT 'c' || i, 'tmall', 'P' || i FROM range({orders // 3}) t(i)"""
    )
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    args = parser.parse_args()

    from shopql.catalog import run_metrics
    from shopql.catalog.semantic import SemanticQuery
    from shopql.config import load_settings

    work = Path(tempfile.mkdtemp(prefix="shopql-metric-bench-"))
    try:
        ws = work / "ws"
        started = time.perf_counter()
        build(ws, args.lines)
        print(
            f"warehouse: {args.lines:,} order lines built in {time.perf_counter() - started:.1f} s"
        )
        settings = load_settings(ws)
        today = dt.date(2026, 1, 1)
        for label, metrics, dims, grain in QUERIES:
            query = SemanticQuery(metrics=metrics, dimensions=dims, grain=grain)
            run_metrics(settings, query, today=today)  # warm: catalog and file cache
            started = time.perf_counter()
            run_metrics(settings, query, today=today)
            shopql_s = time.perf_counter() - started
            con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
            con.execute(BASELINE[label]).fetchall()
            started = time.perf_counter()
            con.execute(BASELINE[label]).fetchall()
            bare_s = time.perf_counter() - started
            con.close()
            print(f"{label:<38} shopql {shopql_s:6.2f} s   bare SQL {bare_s:6.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
