"""The same catalog queries on DuckDB (the warehouse) and on Spark local (the lake's Parquet).

    python -m shopql.bench.spark_bench --lines 10000000

Builds the metric bench's warehouse (N order lines, N/2.5 orders over 5 platforms, two years;
``bench.metric_bench.build``), exports it as a lake (``shopql lake export``), starts a local Spark
session, then times each query the way `shopql metric` runs it — compile, guard, run — on DuckDB
and on Spark (`--backend spark`), each once to warm up and then timed, and checks that both give
the same answer.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

from shopql.bench.metric_bench import QUERIES, build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--master", default="local[*]", help="Spark master (default local[*]).")
    args = parser.parse_args()

    from shopql.catalog import run_metrics
    from shopql.catalog.semantic import SemanticQuery
    from shopql.config import load_settings
    from shopql.warehouse.lake import export_lake
    from shopql.warehouse.spark import SparkRunner, SparkSettings, stop_sessions

    work = Path(tempfile.mkdtemp(prefix="shopql-spark-bench-"))
    try:
        ws = work / "ws"
        started = time.perf_counter()
        build(ws, args.lines)
        print(
            f"warehouse: {args.lines:,} order lines built in {time.perf_counter() - started:.1f} s"
        )
        # a shared machine may be slow: time the queries, do not stop them
        settings = dataclasses.replace(load_settings(ws), query_timeout_s=3600.0)
        started = time.perf_counter()
        report = export_lake(settings, ws / "lake")
        print(
            f"lake export: {report.written} partitions in {time.perf_counter() - started:.1f} s; "
            f"again (nothing changed): ",
            end="",
            flush=True,
        )
        started = time.perf_counter()
        again = export_lake(settings, ws / "lake")
        print(
            f"{again.written} written, {again.skipped} skipped in {time.perf_counter() - started:.1f} s"
        )
        runner = SparkRunner(SparkSettings(lake=ws / "lake", master=args.master), "bench")
        started = time.perf_counter()
        runner.session  # noqa: B018 (the JVM starts here)
        print(f"Spark session ({args.master}) started in {time.perf_counter() - started:.1f} s")
        today = dt.date(2026, 1, 1)
        print(f"{'query':<38} {'DuckDB':>9} {'Spark':>9} {'Spark/DuckDB':>13}  same answer")
        for label, metrics, dims, grain in QUERIES:
            query = SemanticQuery(metrics=metrics, dimensions=dims, grain=grain)
            times, rows = [], []
            for engine in (None, runner):
                run_metrics(settings, query, today=today, runner=engine)  # warm
                started = time.perf_counter()
                _, result = run_metrics(settings, query, today=today, runner=engine)
                times.append(time.perf_counter() - started)
                rows.append(sorted(repr(_rounded(r)) for r in result.rows))
            duck_s, spark_s = times
            print(
                f"{label:<38} {duck_s:8.2f}s {spark_s:8.2f}s {spark_s / duck_s:12.1f}x  "
                f"{'yes' if rows[0] == rows[1] else 'NO'}"
            )
    finally:
        stop_sessions()
        shutil.rmtree(work, ignore_errors=True)


def _rounded(row: tuple) -> tuple:
    """Floats to 9 significant digits (DuckDB and Spark may add in another order)."""
    return tuple(float(f"{v:.9g}") if isinstance(v, float) else v for v in row)


if __name__ == "__main__":
    main()
