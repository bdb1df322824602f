"""Sync throughput against two baselines, in one process, as ratios.

    python -m shopql.bench.sync_bench --rows 1000000

1. `shopql sync` of an Olist-layout order-lines export (detect, stage, clean, check, upsert,
   quarantine, lineage) into a fresh warehouse;
2. the limit: DuckDB's own `read_csv` of the same file into a table (typed, no checks);
3. the naive baseline: pandas `read_csv` plus one INSERT per row (run on a slice, since it is
   slow; rows/s is what is compared).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

HEADER = (
    '"order_id","order_item_id","product_id","seller_id","shipping_limit_date","price",'
    '"freight_value"\n'
)


def generate(path: Path, rows: int) -> None:
    """An Olist-layout order-lines file with `rows` lines, written by DuckDB."""
    con = duckdb.connect()
    con.execute(
        f"""COPY (SELECT md5((i // 3)::VARCHAR) AS order_id, (i % 3 + 1) AS order_item_id,
                   md5((i % 30000)::VARCHAR) AS product_id, md5((i % 3000)::VARCHAR) AS seller_id,
                   TIMESTAMP '2017-01-01' + to_seconds(i * 13 % 60000000) AS shipping_limit_date,
                   round(10 + (i * 7919 % 100000) / 100.0, 2)::DECIMAL(18,2) AS price,
                   round((i * 104729 % 5000) / 100.0, 2)::DECIMAL(18,2) AS freight_value
            FROM range({rows}) t(i)) TO '{path}' (HEADER false)"""
    )
    con.close()
    body = path.read_bytes()
    path.write_bytes(HEADER.encode() + body)


def bench_shopql(path: Path, work: Path) -> float:
    from shopql.config import load_settings
    from shopql.sync.engine import run_sync
    from shopql.warehouse.workspace import init_workspace

    ws = work / "ws"
    init_workspace(ws)
    started = time.perf_counter()
    report = run_sync(load_settings(ws), [path])
    elapsed = time.perf_counter() - started
    assert not report.failed and report.files[0].rows_quarantined == 0, report.files
    return elapsed


def bench_read_csv(path: Path, work: Path) -> float:
    con = duckdb.connect(str(work / "limit.duckdb"))
    started = time.perf_counter()
    con.execute(f"CREATE TABLE items AS SELECT * FROM read_csv('{path}')")
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def bench_pandas(path: Path, work: Path, rows: int) -> float:
    import pandas as pd

    con = duckdb.connect(str(work / "naive.duckdb"))
    con.execute(
        """CREATE TABLE items (order_id VARCHAR, order_item_id INTEGER, product_id VARCHAR,
           seller_id VARCHAR, shipping_limit_date TIMESTAMP, price DECIMAL(18,2),
           freight_value DECIMAL(18,2))"""
    )
    started = time.perf_counter()
    frame = pd.read_csv(path, nrows=rows, dtype=str)
    for row in frame.itertuples(index=False):
        con.execute("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?)", list(row))
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--naive-rows", type=int, default=20_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="shopql-bench-"))
    try:
        path = work / "olist_order_items_dataset.csv"
        generate(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        limit = args.rows / bench_read_csv(path, work)
        shopql = args.rows / bench_shopql(path, work)
        naive = args.naive_rows / bench_pandas(path, work, args.naive_rows)
        print(f"file: {args.rows:,} order lines, {size_mb:.0f} MB")
        print(f"duckdb read_csv into a table : {limit:>12,.0f} rows/s  (the limit)")
        print(f"shopql sync                  : {shopql:>12,.0f} rows/s")
        print(
            f"pandas read_csv + row inserts: {naive:>12,.0f} rows/s  (on {args.naive_rows:,} rows)"
        )
        print(f"shopql / read_csv = {shopql / limit:.2f}   shopql / naive = {shopql / naive:.0f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
