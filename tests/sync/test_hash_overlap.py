"""A file is hashed while it is staged unless a synced file has its size (issue 14, sync speed):
the same rows, quarantine and "already synced" answers as hashing first."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pytest

from shopql.bench.sync_bench import generate
from shopql.config import load_settings
from shopql.sync import loader
from shopql.sync.engine import run_sync


def _spy(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """Record the thread each hash runs on and each staging."""
    hashed: list[str] = []
    staged: list[str] = []
    sha, stage = loader.file_sha256, loader._stage

    def hashing(path: Path, *args: object) -> str:
        hashed.append(threading.current_thread().name)
        return sha(path, *args)  # type: ignore[arg-type]

    def staging(*args: object, **kwargs: object) -> None:
        staged.append("stage")
        stage(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "file_sha256", hashing)
    monkeypatch.setattr(loader, "_stage", staging)
    return hashed, staged


def _counts(warehouse: Path) -> tuple:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            """SELECT (SELECT count(*) FROM order_items), (SELECT sum(paid_amount) FROM order_items),
                      (SELECT count(*) FROM orders), (SELECT sum(shipping_fee) FROM orders),
                      (SELECT list(line || ': ' || reason ORDER BY line) FROM _quarantine),
                      (SELECT list(sha256 ORDER BY file_id) FROM _sync_files)"""
        ).fetchone()  # type: ignore[return-value]
    finally:
        con.close()


def test_hashing_overlaps_staging_only_when_no_synced_file_has_the_size(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = tmp_path / "a" / "olist_order_items_dataset.csv"
    export.parent.mkdir()
    generate(export, 600)
    with open(export, "a", encoding="utf-8") as f:
        f.write('"abc","1","p","s","2017-01-01 00:00:00","twelve","1.00"\n')
    settings = load_settings(workspace)
    hashed, staged = _spy(monkeypatch)

    first = run_sync(settings, [export]).files[0]
    assert (first.status, first.rows_read, first.rows_loaded, first.rows_quarantined) == (
        "loaded",
        601,
        600,
        1,
    )
    assert first.tables == {"order_items": 600, "orders": 200, "products": 600}
    assert staged == ["stage"] and len(hashed) == 1
    assert hashed[0] != threading.main_thread().name  # hashed beside the staging
    after_first = _counts(settings.warehouse_path)
    assert after_first[:4] == (600, after_first[1], 200, after_first[3])
    assert after_first[4] == ["602: not an amount in column price: twelve"]
    assert len(after_first[5]) == 1 and len(after_first[5][0]) == 64

    # the same bytes again: hashed first (a synced file has its size), nothing staged or written
    hashed.clear(), staged.clear()
    again = run_sync(settings, [export]).files[0]
    assert (again.status, again.file_id) == ("already synced", first.file_id)
    assert staged == [] and hashed == [threading.main_thread().name]
    assert _counts(settings.warehouse_path) == after_first

    # other bytes of the same size: hashed first, then loaded like any new file
    other = tmp_path / "b" / "olist_order_items_dataset.csv"
    other.parent.mkdir()
    other.write_bytes(export.read_bytes().replace(b'"twelve"', b'"twelvf"'))
    assert other.stat().st_size == export.stat().st_size
    hashed.clear(), staged.clear()
    third = run_sync(settings, [other]).files[0]
    assert (third.status, third.rows_loaded, third.rows_quarantined) == ("loaded", 600, 1)
    assert staged == ["stage"] and hashed == [threading.main_thread().name]
    after_third = _counts(settings.warehouse_path)
    assert after_third[:4] == after_first[:4]  # each order's lines replaced by the same lines
    assert after_third[4] == [
        "602: not an amount in column price: twelve",
        "602: not an amount in column price: twelvf",
    ]
    assert len(set(after_third[5])) == 2

    # --force loads identical bytes again, hashing beside the staging
    hashed.clear(), staged.clear()
    forced = run_sync(settings, [export], force=True).files[0]
    assert (forced.status, forced.rows_loaded) == ("loaded", 600)
    assert staged == ["stage"] and hashed[0] != threading.main_thread().name


def test_a_file_that_cannot_be_hashed_fails_and_writes_nothing(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = tmp_path / "olist_order_items_dataset.csv"
    generate(export, 30)
    settings = load_settings(workspace)

    def broken(path: Path, *args: object) -> str:
        raise OSError("disk read error")

    monkeypatch.setattr(loader, "file_sha256", broken)
    with pytest.raises(OSError, match="disk read error"):
        run_sync(settings, [export])
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        assert con.execute(
            "SELECT (SELECT count(*) FROM order_items), (SELECT count(*) FROM _sync_files)"
        ).fetchone() == (0, 0)
    finally:
        con.close()
