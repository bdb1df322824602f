"""`shopql lake export DIR` (incremental) must not trust the manifest over the folder.

Attacks (each worked before this fix: the export skipped the partition as "unchanged" because
its checksum in manifest.json still matched the warehouse, leaving the lake wrong):
- a partition's file deleted, replaced by another, changed in place (same size), or a file
  added beside it (Spark and `lake import` read every listed file);
- a lake of the previous release, whose manifest has no file hashes;
- an edited manifest listing a file outside the lake (`lake import` read it);
- a table folder replaced by a symbolic link to the user's own folder: a changed partition was
  then written into that folder (`mkdir` and rename through the link), a link inside a
  partition was listed and read as lake data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from shopql.config import load_settings
from shopql.warehouse.lake import LakeError, export_lake, read_manifest, table_files
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def built_lake(attack_ws: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's lake, exported once for the module (each test tampers with its own copy)."""
    folder = tmp_path_factory.mktemp("attack-lake") / "lake"
    export_lake(load_settings(attack_ws), folder)
    return folder


@pytest.fixture
def lake(built_lake: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "lake"
    shutil.copytree(built_lake, copy, symlinks=True)
    return copy


def _manifest(lake: Path) -> dict[str, Any]:
    return read_manifest(lake)


def _save(lake: Path, manifest: dict[str, Any]) -> None:
    (lake / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _a_partition(lake: Path, table: str = "orders") -> tuple[str, dict[str, Any]]:
    """The partition of `table` with the most rows (several exist: the demo has 5 platforms)."""
    parts = _manifest(lake)["tables"][table]["partitions"]
    key = max(parts, key=lambda k: parts[k]["rows"])
    return key, parts[key]


def _copied_out(lake: Path, outside: Path) -> tuple[str, dict[str, Any]]:
    """A copy of a partition's file at `outside` (beside the lake); that partition."""
    key, part = _a_partition(lake)
    shutil.copyfile(lake / part["files"][0], outside)
    return key, part


def assert_lake_matches_manifest(lake: Path) -> None:
    """Every partition's folder holds exactly its listed files, and they hold its rows."""
    manifest = _manifest(lake)
    con = duckdb.connect()
    try:
        for table, info in manifest["tables"].items():
            for key, part in info["partitions"].items():
                folder = lake / table / key if key else lake / table
                on_disk = sorted(str(p.relative_to(lake)) for p in folder.rglob("*") if p.is_file())
                assert on_disk == sorted(part["files"]), (table, key)
                files = [str(lake / f) for f in part["files"]]
                (rows,) = con.execute(f"SELECT count(*) FROM read_parquet({files!r})").fetchone()
                assert rows == part["rows"], (table, key)
    finally:
        con.close()


def _export(ws: Path, lake: Path) -> Any:
    return export_lake(load_settings(ws), lake)


def test_an_untouched_lake_is_skipped_whole(attack_ws: Path, lake: Path) -> None:
    report = _export(attack_ws, lake)  # the control: incremental still skips
    assert (report.written, report.repaired) == (0, 0) and report.skipped > 10
    assert_lake_matches_manifest(lake)


def test_a_deleted_file_is_written_again(attack_ws: Path, lake: Path) -> None:
    key, part = _a_partition(lake)
    (lake / part["files"][0]).unlink()
    report = _export(attack_ws, lake)
    orders = next(t for t in report.tables if t.name == "orders")
    assert orders.repaired == [key] and orders.written == [key] and report.written == 1
    assert (lake / part["files"][0]).is_file()
    assert_lake_matches_manifest(lake)


def test_a_replaced_or_changed_file_is_written_again(attack_ws: Path, lake: Path) -> None:
    parts = _manifest(lake)["tables"]["orders"]["partitions"]
    big, small = sorted(parts, key=lambda k: parts[k]["rows"])[-2:]
    shutil.copyfile(lake / parts[small]["files"][0], lake / parts[big]["files"][0])  # other rows
    key, part = _a_partition(lake, "order_items")
    path = lake / part["files"][0]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, one byte changed
    path.write_bytes(bytes(data))
    report = _export(attack_ws, lake)
    assert report.repaired == 2
    assert {(t.name, k) for t in report.tables for k in t.repaired} == {
        ("orders", big),
        ("order_items", key),
    }
    assert_lake_matches_manifest(lake)


def test_a_planted_file_in_a_partition_is_dropped(attack_ws: Path, lake: Path) -> None:
    key, part = _a_partition(lake)
    planted = lake / "orders" / key / "extra.parquet"
    shutil.copyfile(lake / part["files"][0], planted)
    report = _export(attack_ws, lake)
    assert report.repaired == 1 and not planted.exists()
    assert_lake_matches_manifest(lake)


def test_a_lake_without_file_hashes_is_written_once(attack_ws: Path, lake: Path) -> None:
    manifest = _manifest(lake)
    for info in manifest["tables"].values():
        for part in info["partitions"].values():
            del part["file_checks"]  # as the previous release wrote it
    _save(lake, manifest)
    first = _export(attack_ws, lake)
    assert first.repaired == first.written > 10 and first.skipped == 0
    second = _export(attack_ws, lake)
    assert (second.written, second.skipped) == (0, first.written)


def test_a_listed_file_outside_the_lake_is_never_read(
    attack_ws: Path, lake: Path, tmp_path: Path
) -> None:
    key, part = _copied_out(lake, tmp_path / "outside.parquet")
    manifest = _manifest(lake)
    edited = manifest["tables"]["orders"]["partitions"][key]
    edited["files"] = ["../outside.parquet"]
    edited["file_checks"] = {"../outside.parquet": part["file_checks"][part["files"][0]]}
    _save(lake, manifest)
    with pytest.raises(LakeError, match="does not name a folder inside the lake"):
        table_files(lake, manifest, "orders")  # what `lake import` and Spark read
    report = _export(attack_ws, lake)
    assert [k for t in report.tables for k in t.repaired] == [key]
    assert_lake_matches_manifest(lake)
    assert all(".." not in f for f in table_files(lake, _manifest(lake), "orders"))


def test_a_table_folder_linked_elsewhere_is_refused(
    attack_ws: Path, lake: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "documents"
    shutil.copytree(lake / "orders", victim)  # the user's folder, the lake's names by chance
    shutil.rmtree(lake / "orders")
    (lake / "orders").symlink_to(victim)
    key, part = _a_partition(lake)
    (victim / key / Path(part["files"][0]).name).unlink()  # would be written again, in `victim`
    before = sorted(str(p.relative_to(victim)) for p in victim.rglob("*"))
    with pytest.raises(LakeError, match="orders in the lake .* is a symbolic link"):
        _export(attack_ws, lake)
    assert sorted(str(p.relative_to(victim)) for p in victim.rglob("*")) == before
    done = run_cli("-w", str(attack_ws), "lake", "export", str(lake))
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    assert "is a symbolic link" in done.stderr
    assert sorted(str(p.relative_to(victim)) for p in victim.rglob("*")) == before


def test_a_linked_file_inside_a_partition_is_refused(
    attack_ws: Path, lake: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.parquet"
    key, _ = _copied_out(lake, secret)
    (lake / "orders" / key / "more.parquet").symlink_to(secret)
    with pytest.raises(LakeError, match="more.parquet in the lake .* is a symbolic link"):
        _export(attack_ws, lake)
    assert secret.is_file()


@pytest.mark.parametrize("table", ["_audit", "_meta"])
def test_a_lake_never_imports_the_tables_an_export_never_writes(
    lake: Path, tmp_path: Path, table: str
) -> None:
    """A forged lake with an `_audit` (another history of who asked what) or a `_meta` (the
    warehouse's own bookkeeping: schema version, fold marks) beside the real tables: before,
    `lake import` replaced the new warehouse's table with the lake's."""
    from shopql.warehouse.lake import import_lake
    from shopql.warehouse.workspace import init_workspace

    columns = {
        "_audit": {"executed_at": "TIMESTAMP", "role": "VARCHAR", "source": "VARCHAR",
                   "question": "VARCHAR", "sql": "VARCHAR", "rows": "BIGINT",
                   "duration_ms": "DOUBLE", "outcome": "VARCHAR"},
        "_meta": {"key": "VARCHAR", "value": "VARCHAR"},
    }[table]  # fmt: skip
    row = {
        "_audit": "SELECT TIMESTAMP '2020-01-01' AS executed_at, 'admin' AS role, 'sql' AS source, "
        "NULL AS question, 'select 1' AS sql, 1::BIGINT AS rows, 1.0 AS duration_ms, 'ok' AS outcome",
        "_meta": "SELECT 'schema_version' AS key, '1' AS value",
    }[table]
    (lake / table).mkdir()
    con = duckdb.connect()
    try:
        con.execute(f"COPY ({row}) TO '{lake / table / 'data.parquet'}' (FORMAT parquet)")
    finally:
        con.close()
    manifest = _manifest(lake)
    name = f"{table}/data.parquet"
    manifest["tables"][table] = {
        "columns": columns,
        "partition_by": [],
        "rows": 1,
        "partitions": {"": {"rows": 1, "checksum": "1:0", "files": [name], "file_checks": {}}},
    }
    _save(lake, manifest)
    ws = tmp_path / "new"
    init_workspace(ws)
    before = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        kept = before.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
    finally:
        before.close()
    with pytest.raises(LakeError, match=f"the lake's table {table} is never part of a lake"):
        import_lake(lake, ws / "warehouse.duckdb")
    after = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        assert after.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() == kept
        assert after.execute("SELECT count(*) FROM orders").fetchone() == (0,)
    finally:
        after.close()
