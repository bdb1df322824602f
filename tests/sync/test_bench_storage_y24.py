"""`sync_bench --storage` (issue 14): the order lines' write into order_items under DuckDB's
storage settings and insert forms. Every variant writes the same rows (the canonical table's
columns and values, or the narrow table's), so their CPU s and file sizes compare like for like."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from shopql.bench import sync_bench
from shopql.bench.sync_bench import STORAGE, generate, run_storage

FILLED = "order_id, line_no, product_id, shop_id, quantity, unit_price, paid_amount"


def _rows(warehouse: Path, table: str, columns: str) -> list[tuple]:  # type: ignore[type-arg]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(f"SELECT {columns} FROM {table} ORDER BY ALL").fetchall()
    finally:
        con.close()


def test_every_storage_variant_writes_the_same_rows(tmp_path: Path) -> None:
    path = tmp_path / "olist_order_items_dataset.csv"
    generate(path, 3_000)
    written: dict[str, list[tuple]] = {}  # type: ignore[type-arg]
    for number, variant in enumerate(STORAGE):
        work = tmp_path / f"v{number}"
        work.mkdir()
        got = run_storage(variant, path, work)
        assert got["rows"] == 3_000, variant
        assert got["cpu"] >= 0 and got["mb"] > 0
        narrow = STORAGE[variant][2] == "narrow"
        table = "narrow_items" if narrow else "order_items"
        written[variant] = _rows(work / "storage.duckdb", table, FILLED)
        if not narrow:  # the columns the file does not fill are left empty
            empty = _rows(
                work / "storage.duckdb",
                "order_items",
                "count(*) FILTER (WHERE sku_id IS NOT NULL OR title IS NOT NULL "
                "OR refund_amount IS NOT NULL OR clean_title IS NOT NULL)",
            )
            assert empty == [(0,)], variant
    first = next(iter(written.values()))
    assert first[0][0].startswith("olist:") and first[0][4] == 1
    assert all(rows == first for rows in written.values())


def test_the_storage_table_prints_each_variant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def measured(name: str, path: Path, work: Path, keep: Path | None) -> dict[str, float]:
        calls.append(name)
        return {"cpu": 0.5 + len(calls) / 100, "rows": 10, "mb": 36.0}

    monkeypatch.setattr(sync_bench, "measure", measured)
    sync_bench.storage_bench(tmp_path / "f.csv", tmp_path, repeat=2)
    out = capsys.readouterr().out
    assert calls == [f"storage{n}" for n in range(len(STORAGE))] * 2  # interleaved
    for variant in STORAGE:
        assert variant in out
    assert "defaults: a column list, as sync writes        0.51" in out  # the better of two
