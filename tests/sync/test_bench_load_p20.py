"""sync_bench's load contenders (issue 14): shopql's own load of an order-lines file, into the
canonical tables and into tables of only the columns the file fills, writes what `shopql sync`
writes — so the narrow load measures what shopql would cost without the empty columns."""

from __future__ import annotations

from pathlib import Path

import duckdb

from shopql.bench.sync_bench import NARROW_TABLES, generate, narrow_tables, run_load
from shopql.config import load_settings
from shopql.sync.engine import run_sync
from shopql.warehouse.workspace import init_workspace


def _rows(warehouse: Path, table: str, columns: str) -> list[tuple]:  # type: ignore[type-arg]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(f"SELECT {columns} FROM {table} ORDER BY ALL").fetchall()
    finally:
        con.close()


def _columns(warehouse: Path, table: str) -> list[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        found = con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position",
            [table],
        ).fetchall()
        return [name for (name,) in found]
    finally:
        con.close()


def test_the_load_contenders_write_the_rows_shopql_sync_writes(tmp_path: Path) -> None:
    export = tmp_path / "olist_order_items_dataset.csv"
    generate(export, 3000)
    synced = tmp_path / "ws"
    init_workspace(synced)
    assert run_sync(load_settings(synced), [export]).files[0].rows_loaded == 3000
    loads = {}
    for narrow in (False, True):
        work = tmp_path / f"narrow{narrow}"
        init_workspace(work / "load")
        if narrow:
            narrow_tables(work / "load" / "warehouse.duckdb")
        assert run_load(export, work) == 3000
        loads[narrow] = work / "load" / "warehouse.duckdb"
    for table, spec in NARROW_TABLES.items():
        wanted = [part.split()[0] for part in spec.split(", ")]
        # the narrow load's tables hold the file's columns only; the canonical load's all of them
        assert _columns(loads[True], table) == wanted
        assert len(_columns(loads[False], table)) > len(wanted)
        columns = ", ".join(wanted)
        rows = _rows(load_settings(synced).warehouse_path, table, columns)
        assert len(rows) == {"order_items": 3000, "orders": 1000, "products": 3000}[table]
        assert _rows(loads[False], table, columns) == rows
        assert _rows(loads[True], table, columns) == rows
    # an order's goods amount is the sum of its lines, in every warehouse alike
    for warehouse in (*loads.values(), load_settings(synced).warehouse_path):
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            total = con.execute("SELECT sum(goods_amount) FROM orders").fetchone()
            lines = con.execute("SELECT sum(paid_amount) FROM order_items").fetchone()
        finally:
            con.close()
        assert total == lines and total is not None and total[0] > 0
