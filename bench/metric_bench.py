"""Metric queries over a large warehouse, timed against a bare DuckDB aggregate in one process.

    python -m shopql.bench.metric_bench --lines 10000000
    python -m shopql.bench.metric_bench --lines 0 --events 100000000 --keep /tmp/events-100m

Builds a workspace whose canonical tables hold N order lines (N/2.5 orders over 5 platforms and
40 categories, two years), then times each catalog query (compile + guard + run, the way
`shopql metric` does) and, as the baseline, the equivalent hand-written aggregate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

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
    # one_id: the person key sync and OneID keep on each order (customers.one_id of its account)
    con.execute(
        f"""INSERT INTO orders (order_id, platform, customer_id, status, created_at, paid_at,
               currency, paid_amount, one_id)
        SELECT 'o' || i, {platforms}[i % 5 + 1], 'c' || (i * 7919 % {orders // 3}), 'completed',
               TIMESTAMP '2024-01-01' + to_seconds(i * 63072000 // {orders}),
               TIMESTAMP '2024-01-01' + to_seconds(i * 63072000 // {orders} + 60), 'CNY',
               (10 + i * 7 % 990)::DECIMAL(18,2), 'P' || (i * 7919 % {orders // 3})
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


def build_events(ws: Path, events: int) -> None:
    """`events` behaviour events (Taobao UserBehavior's shape: nine days, pv/cart/fav/buy, one
    user per ~100 events), in time order. A page view is written 'view', as sync writes Taobao's
    'pv' (the funnel catalog accepts only view/cart/fav/buy)."""
    from shopql.warehouse.connection import open_writer

    con = open_writer(ws / "warehouse.duckdb")
    con.execute("SET enable_progress_bar = false")
    users = max(events // 100, 1)
    con.execute(
        f"""INSERT INTO events (event_time, platform, user_key, event_type, product_id, category)
        SELECT TIMESTAMP '2017-11-25' + to_seconds(i * 777600 // {events}), 'taobao',
               'taobao:u' || (hash(i, 'u') % {users}),
               CASE WHEN hash(i, 't') % 100 < 89 THEN 'view' WHEN hash(i, 't') % 100 < 95 THEN 'cart'
                    WHEN hash(i, 't') % 100 < 98 THEN 'fav' ELSE 'buy' END,
               'taobao:' || (hash(i, 'p') % 400000), 'c' || (hash(i, 'c') % 900)
        FROM range({events}) t(i)"""
    )
    con.execute("CHECKPOINT")
    con.close()


JOINED = {
    "buyers, repurchase_rate by platform": "SELECT platform, count(DISTINCT p), "
    "avg((n >= 2)::INT) FROM (SELECT o.platform, coalesce(c.one_id, o.customer_id) p, count(*) n "
    "FROM orders o LEFT JOIN customers c USING (customer_id) "
    "WHERE o.paid_at IS NOT NULL GROUP BY 1, 2) GROUP BY 1",
}
EVENT_QUERIES = [("visitors by event_type", ("visitors",), ("event_type",), None)]
BASELINE["visitors by event_type"] = (
    "SELECT event_type, count(DISTINCT user_key) FROM events GROUP BY 1"
)


def median_time(fn: Any, runs: int) -> float:
    if runs > 1:
        fn()  # warm: catalog and file cache (a single run is timed as it comes)
    times, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), _cpu()
        fn()
        times.append(time.perf_counter() - started)
        cpus.append(_cpu() - cpu)
    LAST_CPU[0] = statistics.median(cpus)
    return statistics.median(times)


LAST_CPU = [0.0]  # CPU seconds (every thread) of the last median_time's runs, median


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--events", type=int, default=0, help="also N behaviour events")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per query (median)")
    parser.add_argument("--keep", type=Path, help="build the workspace here once and reuse it")
    args = parser.parse_args()

    from shopql.catalog import run_metrics
    from shopql.catalog.semantic import SemanticQuery
    from shopql.config import load_settings

    work = Path(tempfile.mkdtemp(prefix="shopql-metric-bench-")) if not args.keep else None
    ws = args.keep or (work / "ws")  # type: ignore[operator]
    try:
        if not (ws / "warehouse.duckdb").exists():
            started = time.perf_counter()
            build(ws, args.lines) if args.lines else _empty(ws)
            if args.events:
                build_events(ws, args.events)
            print(f"warehouse: {args.lines:,} order lines, {args.events:,} events built in "
                  f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        # the bench times queries, it does not stop them (the default query_timeout_s is 30 s)
        settings = load_settings(ws, {"query_timeout_s": 3600})
        today = dt.date(2026, 1, 1)
        queries = (QUERIES if args.lines else []) + (EVENT_QUERIES if args.events else [])
        for label, metrics, dims, grain in queries:
            query = SemanticQuery(metrics=metrics, dimensions=dims, grain=grain)
            shopql_s = median_time(lambda q=query: run_metrics(settings, q, today=today), args.runs)
            shopql_cpu = LAST_CPU[0]
            _, result = run_metrics(settings, query, today=today)
            con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
            bare_rows = con.execute(BASELINE[label]).fetchall()
            bare_s = median_time(lambda c=con, sql=BASELINE[label]: c.execute(sql).fetchall(),
                                 args.runs)  # fmt: skip
            bare_cpu = LAST_CPU[0]
            con.close()
            # the first measure is the same number both ways (people, money, visitors)
            same = sorted(r[1] for r in result.rows) == sorted(r[1] for r in bare_rows)
            print(f"{label:<38} shopql {shopql_s:6.2f} s   bare SQL {bare_s:6.2f} s   "
                  f"ratio {shopql_s / bare_s:5.2f}   same answer: {'yes' if same else 'NO'}")  # fmt: skip
            print(f"{'':<38} CPU s: shopql {shopql_cpu:.2f}, bare SQL {bare_cpu:.2f}; peak RSS so "
                  f"far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")  # fmt: skip
            if "buyers" in metrics:  # person measures in one pass vs each its own (before)
                passes = separate_passes_sql(ws, query, today)
                con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
                one = compile_sql(ws, query, today)
                one_s = median_time(lambda c=con, q=one: c.execute(q).fetchall(), args.runs)
                two_s = median_time(lambda c=con, q=passes: c.execute(q).fetchall(), args.runs)
                con.close()
                print(f"{'':<38} its SQL alone: one pass per person {one_s:.2f} s, each measure "
                      f"its own pass (before) {two_s:.2f} s")  # fmt: skip
            if label in JOINED:  # the person resolved at query time, as before the person key
                con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
                joined = JOINED[label]
                join_s = median_time(lambda c=con, j=joined: c.execute(j).fetchall(), args.runs)
                con.close()
                print(f"{'':<38} bare SQL joining customers for the person (before the key): "
                      f"{join_s:.2f} s")  # fmt: skip
        print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    finally:
        if work:
            shutil.rmtree(work, ignore_errors=True)


def compile_sql(ws: Path, query: Any, today: dt.date) -> str:
    from shopql.catalog import compile_query, load_catalog

    return compile_query(load_catalog(ws), query, today=today).sql


def separate_passes_sql(ws: Path, query: Any, today: dt.date) -> str:
    """The query as the compiler wrote it before person measures shared a pass."""
    from shopql.catalog import compiler

    shared = compiler._entity_passes
    compiler._entity_passes = lambda per_entity, leaves: ([], leaves)  # type: ignore[assignment]
    try:
        return compile_sql(ws, query, today)
    finally:
        compiler._entity_passes = shared  # type: ignore[assignment]


def _empty(ws: Path) -> None:
    from shopql.warehouse.workspace import init_workspace

    init_workspace(ws)


if __name__ == "__main__":
    main()
