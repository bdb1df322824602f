"""`shopql lake export|import`: partitioned Parquet with a manifest, incremental, the role's PII
policy, and a warehouse rebuilt from it that answers every metric the same (no Spark here)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from shopql.config import load_settings
from shopql.warehouse.lake import LakeError, export_lake, import_lake, read_manifest
from shopql.warehouse.workspace import init_workspace
from tests.conftest import cli_in_process

TODAY = dt.date(2018, 9, 1)


def _count(path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_manifest_partitions_and_row_counts(olist_workspace: Path, olist_lake: Path) -> None:
    manifest = read_manifest(olist_lake)
    wh = olist_workspace / "warehouse.duckdb"
    assert manifest["role"] == "admin" and manifest["pii"] == "show"
    assert "_audit" not in manifest["tables"] and "_quarantine" not in manifest["tables"]
    for table in ("orders", "order_items", "payments", "customers", "products"):
        rows = _count(wh, f"SELECT count(*) FROM {table}")[0][0]
        assert manifest["tables"][table]["rows"] == rows, table
    orders = manifest["tables"]["orders"]
    assert orders["partition_by"] == ["_platform", "_month"]
    months = _count(wh, "SELECT count(DISTINCT strftime(created_at, '%Y-%m')) FROM orders")[0][0]
    assert len(orders["partitions"]) == months  # Olist: one platform
    key = "_platform=olist/_month=2017-11"
    part = orders["partitions"][key]
    in_month = _count(
        wh, "SELECT count(*) FROM orders WHERE strftime(created_at, '%Y-%m') = '2017-11'"
    )[0][0]
    assert part["rows"] == in_month > 0
    file = olist_lake / part["files"][0]
    assert file.is_file() and f"orders/{key}/" in str(file)
    # lines go with their order: the lines of November's orders are in November's folder
    lines = _count(
        wh,
        "SELECT count(*) FROM order_items i JOIN orders o USING (order_id) "
        "WHERE strftime(o.created_at, '%Y-%m') = '2017-11'",
    )[0][0]
    assert manifest["tables"]["order_items"]["partitions"][key]["rows"] == lines
    # money stays DECIMAL in the Parquet files
    kinds = {r[0]: r[1] for r in duckdb.sql(f"DESCRIBE SELECT * FROM '{file}'").fetchall()}
    assert kinds["paid_amount"] == "DECIMAL(18,2)" and kinds["created_at"] == "TIMESTAMP"


def test_rebuilt_warehouse_answers_every_metric_the_same(
    olist_workspace: Path, olist_lake: Path, tmp_path: Path
) -> None:
    from shopql.catalog import SemanticQuery, load_catalog, run_metrics

    new = tmp_path / "rebuilt"
    init_workspace(new)
    loaded = import_lake(olist_lake, new / "warehouse.duckdb")
    manifest = read_manifest(olist_lake)
    assert loaded == {t: info["rows"] for t, info in manifest["tables"].items()}
    old_s, new_s = load_settings(olist_workspace), load_settings(new)
    catalog = load_catalog(olist_workspace, timezone=old_s.timezone)
    assert len(catalog.metrics) >= 30
    for query in (
        SemanticQuery(metrics=tuple(catalog.metrics)),  # every metric, one query
        SemanticQuery(metrics=("paid_gmv", "buyers", "aov", "refund_rate"), grain="month"),
    ):
        compiled, before = run_metrics(old_s, query, today=TODAY, catalog=catalog)
        _, after = run_metrics(new_s, query, today=TODAY)
        assert after.columns == before.columns == compiled.columns
        assert after.rows == before.rows and len(before.rows) >= 1
    money = run_metrics(new_s, SemanticQuery(metrics=("paid_gmv",)), today=TODAY)[1].rows[0][0]
    stored = _count(
        olist_workspace / "warehouse.duckdb",
        "SELECT sum(paid_amount) FROM orders WHERE paid_at IS NOT NULL",
    )[0][0]
    assert isinstance(money, Decimal) and money == stored == Decimal("15971742.35")


def test_incremental_export_writes_only_changed_partitions(
    olist_workspace: Path, olist_lake: Path, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(olist_workspace, ws, ignore=shutil.ignore_patterns("*.wal"))
    lake = tmp_path / "lake"
    shutil.copytree(olist_lake, lake)
    settings = load_settings(ws)
    again = export_lake(settings, lake)
    assert again.written == 0 and again.removed == 0 and again.skipped > 30
    before = read_manifest(lake)
    con = duckdb.connect(str(ws / "warehouse.duckdb"))
    con.execute(
        "UPDATE orders SET paid_amount = paid_amount + 1 WHERE order_id = "
        "(SELECT min(order_id) FROM orders WHERE strftime(created_at, '%Y-%m') = '2017-11')"
    )
    con.execute("DELETE FROM reviews WHERE review_id = (SELECT min(review_id) FROM reviews)")
    con.close()
    report = export_lake(settings, lake)
    by_table = {t.name: t for t in report.tables}
    assert by_table["orders"].written == ["_platform=olist/_month=2017-11"]
    assert len(by_table["orders"].skipped) == len(before["tables"]["orders"]["partitions"]) - 1
    assert by_table["reviews"].written == [""]  # an unpartitioned table: its one file
    assert by_table["order_items"].written == [] and by_table["customers"].written == []
    assert report.written == 2
    after = read_manifest(lake)
    key = "_platform=olist/_month=2017-11"
    assert (
        after["tables"]["orders"]["partitions"][key]["checksum"]
        != before["tables"]["orders"]["partitions"][key]["checksum"]
    )
    assert after["tables"]["reviews"]["rows"] == before["tables"]["reviews"]["rows"] - 1
    files = after["tables"]["orders"]["partitions"][key]["files"]
    total = duckdb.sql(
        f"SELECT sum(paid_amount) FROM read_parquet({[str(lake / f) for f in files]!r})"
    ).fetchall()[0][0]
    expected = _count(
        ws / "warehouse.duckdb",
        "SELECT sum(paid_amount) FROM orders WHERE strftime(created_at, '%Y-%m') = '2017-11'",
    )[0][0]
    assert total == expected


def test_analyst_lake_is_masked_and_says_so(olist_workspace: Path, tmp_path: Path) -> None:
    settings = dataclasses.replace(load_settings(olist_workspace), role="analyst")
    lake = tmp_path / "lake"
    report = export_lake(settings, lake)
    manifest = read_manifest(lake)
    assert (report.role, report.pii) == ("analyst", "mask")
    assert manifest["pii"] == "mask" and "masked" in manifest["pii_note"]
    assert manifest["pii_columns"]["customers"]["customer_id"] == "key"
    files = [str(lake / f) for p in manifest["tables"]["customers"]["partitions"].values()
             for f in p["files"]]  # fmt: skip
    stored = _count(olist_workspace / "warehouse.duckdb", "SELECT min(customer_id) FROM customers")[
        0
    ][0]
    keys = duckdb.sql(f"SELECT customer_id FROM read_parquet({files!r})").fetchall()
    assert len(keys) == manifest["tables"]["customers"]["rows"]
    assert stored not in {k[0] for k in keys}
    assert all(k[0].startswith("olist:k") and len(k[0]) == len("olist:k") + 16 for k in keys)
    # an admin may not add to an analyst's lake (one lake, one policy)
    with pytest.raises(LakeError, match="written for role analyst"):
        export_lake(load_settings(olist_workspace), lake)


def test_import_refuses_a_warehouse_with_data_and_a_bad_lake(
    olist_workspace: Path, olist_lake: Path, tmp_path: Path
) -> None:
    shutil.copy(olist_workspace / "warehouse.duckdb", tmp_path / "copy.duckdb")
    with pytest.raises(LakeError, match="already holds data"):
        import_lake(olist_lake, tmp_path / "copy.duckdb")
    broken = tmp_path / "broken"
    shutil.copytree(olist_lake, broken)
    manifest = json.loads((broken / "manifest.json").read_text())
    manifest["tables"]["orders"]["rows"] += 1
    (broken / "manifest.json").write_text(json.dumps(manifest))
    new = tmp_path / "new"
    init_workspace(new)
    with pytest.raises(LakeError, match="orders has .* rows, its manifest says"):
        import_lake(broken, new / "warehouse.duckdb")
    # nothing half-built: the failed import left every table empty
    assert _count(new / "warehouse.duckdb", "SELECT count(*) FROM customers") == [(0,)]
    with pytest.raises(LakeError, match="no lake at"):
        read_manifest(tmp_path)


def test_lake_cli_export_show_import(olist_workspace: Path, tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    done = cli_in_process(
        "-w", str(olist_workspace), "lake", "export", str(lake), "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["written"] > 30 and report["skipped"] == 0 and report["pii"] == "show"
    again = cli_in_process("-w", str(olist_workspace), "lake", "export", str(lake))
    assert again.returncode == 0, again.stderr
    assert f"0 partitions written, {report['written']} unchanged" in again.stdout
    shown = cli_in_process("-w", str(olist_workspace), "lake", "show", str(lake))
    assert "orders" in shown.stdout and "_platform, _month" in shown.stdout
    new = tmp_path / "new"
    init_workspace(new)
    imported = cli_in_process("-w", str(new), "lake", "import", str(lake))
    assert imported.returncode == 0, imported.stderr
    assert "imported" in imported.stdout
    gmv = cli_in_process(
        "-w", str(new), "sql", "select sum(paid_amount) from orders", "--format", "csv"
    )
    stored = _count(olist_workspace / "warehouse.duckdb", "SELECT sum(paid_amount) FROM orders")
    assert gmv.stdout.strip().splitlines()[-1] == str(stored[0][0])
