"""Killing `shopql sync` in the middle of a large file leaves the warehouse as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from shopql.config import load_settings
from shopql.sync.engine import run_sync
from tests.conftest import OLIST
from tests.sync.helpers import scalar

HEADER = (
    '"order_id","customer_id","order_status","order_purchase_timestamp","order_approved_at",'
    '"order_delivered_carrier_date","order_delivered_customer_date","order_estimated_delivery_date"'
)


def big_orders_file(path: Path, rows: int) -> None:
    """An Olist-layout orders file with `rows` synthetic rows, written by DuckDB itself."""
    con = duckdb.connect()
    con.execute(
        f"""COPY (SELECT md5(i::VARCHAR) AS order_id, md5((i * 7)::VARCHAR) AS customer_id,
                   'delivered' AS order_status,
                   TIMESTAMP '2017-01-01' + to_seconds(i % 50000000) AS order_purchase_timestamp,
                   TIMESTAMP '2017-01-01' + to_seconds(i % 50000000 + 600) AS order_approved_at,
                   NULL AS order_delivered_carrier_date, NULL AS order_delivered_customer_date,
                   NULL AS order_estimated_delivery_date
            FROM range({rows}) t(i)) TO '{path}' (HEADER false)"""
    )
    con.close()
    body = path.read_bytes()
    path.write_bytes(HEADER.encode() + b"\n" + body)


def test_kill_mid_sync_leaves_warehouse_unchanged(workspace: Path, tmp_path: Path) -> None:
    big = tmp_path / "big" / "orders.csv"
    big.parent.mkdir()
    big_orders_file(big, 2_000_000)
    before = scalar(workspace, "select count(*) from orders")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHOPQL_", "OPENAI_"))}
    env["SHOPQL_CONFIG_DIR"] = os.environ["SHOPQL_CONFIG_DIR"]  # never the real user's
    proc = subprocess.Popen(
        [sys.executable, "-m", "shopql.cli", "--workspace", str(workspace), "sync", str(big)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    time.sleep(3)  # well into reading and writing the 2 M rows
    assert proc.poll() is None, "sync finished before it could be killed; make the file bigger"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    assert scalar(workspace, "select count(*) from orders") == before
    con = duckdb.connect(str(workspace / "warehouse.duckdb"), read_only=True)
    assert con.execute("select count(*) from _sync_files").fetchone()[0] == 0
    con.close()
    # and the warehouse still works: the next sync loads normally
    report = run_sync(load_settings(workspace), [OLIST / "olist_sellers_dataset.csv.gz"])
    assert report.files[0].rows_loaded == 3_095
