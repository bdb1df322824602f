"""Damaged and unreadable input: good rows land, bad rows are quarantined with reasons, a file
that cannot be read changes nothing."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from shopql.config import load_settings
from shopql.sync.engine import run_sync
from tests.conftest import OLIST, run_cli, warehouse_reader


def olist_head(name: str, rows: int) -> list[str]:
    with gzip.open(OLIST / name, "rt", encoding="utf-8", newline="") as f:
        return [next(f) for _ in range(rows + 1)]


def query(ws: Path, sql: str) -> list[tuple]:
    with warehouse_reader(ws) as con:
        return con.execute(sql).fetchall()


def test_corrupted_olist_orders_file(workspace: Path, tmp_path: Path) -> None:
    lines = olist_head("olist_orders_dataset.csv.gz", 200)
    header, body = lines[0], lines[1:]
    bad_date = body[10].split(",")
    bad_date[3] = "2017-13-45 99:00:00"  # order_purchase_timestamp
    body[10] = ",".join(bad_date)
    body.insert(100, header)  # a duplicated header row in the middle
    body[-1] = body[-1][:40]  # truncated last line (no newline, cut inside the row)
    corrupted = tmp_path / "olist_orders_dataset.csv"
    corrupted.write_text(header + "".join(body), encoding="utf-8")

    report = run_sync(load_settings(workspace), [corrupted])

    (result,) = report.files
    assert result.status == "loaded"
    assert result.rows_read == 201  # 200 rows + the repeated header
    assert result.rows_loaded == 198
    assert result.rows_quarantined == 3
    reasons = query(workspace, "select line, reason from _quarantine order by line")
    assert [line for line, _ in reasons] == [12, 102, 202]
    assert (
        "not a date/time in column order_purchase_timestamp: 2017-13-45 99:00:00" in reasons[0][1]
    )
    assert reasons[1][1] == "repeated header row in the middle of the file"
    assert "cut short" in reasons[2][1] or "unbalanced quotes" in reasons[2][1]
    assert query(workspace, "select count(*) from orders") == [(198,)]
    raw = query(workspace, "select raw from _quarantine where line = 12")[0][0]
    assert "2017-13-45 99:00:00" in raw


def test_text_in_a_money_column(workspace: Path, tmp_path: Path) -> None:
    lines = olist_head("olist_order_items_dataset.csv.gz", 50)
    cells = lines[5].split(",")
    cells[5] = "abc"  # price
    lines[5] = ",".join(cells)
    damaged = tmp_path / "items.csv"
    damaged.write_text("".join(lines), encoding="utf-8")

    report = run_sync(load_settings(workspace), [damaged])

    assert report.files[0].rows_loaded == 49
    assert report.files[0].rows_quarantined == 1
    assert query(workspace, "select line, reason from _quarantine") == [
        (6, "not an amount in column price: abc")
    ]
    assert query(workspace, "select count(*) from order_items") == [(49,)]


def warehouse_digest(ws: Path) -> str:
    tables = [r[0] for r in query(ws, "select table_name from information_schema.tables")]
    counts = [query(ws, f'select count(*) from "{t}"')[0][0] for t in sorted(tables)]
    return hashlib.sha256(repr(counts).encode()).hexdigest()


def test_binary_junk_changes_nothing(workspace: Path, tmp_path: Path) -> None:
    junk = tmp_path / "export.csv"
    junk.write_bytes(bytes(range(256)) * 50)
    before = warehouse_digest(workspace)
    done = run_cli("--workspace", str(workspace), "sync", str(junk))
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "binary" in lines[0]
    assert "Traceback" not in done.stderr
    assert warehouse_digest(workspace) == before


def test_unknown_headers_named_explicitly_is_an_error(workspace: Path, tmp_path: Path) -> None:
    unknown = tmp_path / "mystery.csv"
    unknown.write_text("foo,bar,baz\n1,2,3\n", encoding="utf-8")
    before = warehouse_digest(workspace)
    done = run_cli("--workspace", str(workspace), "sync", str(unknown))
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert "matches no known export" in line and "--platform" in line and "--mapping" in line
    assert warehouse_digest(workspace) == before


def test_unknown_file_in_a_folder_is_skipped(workspace: Path, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "mystery.csv").write_text("foo,bar\n1,2\n", encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    (folder / "olist_sellers_dataset.csv").write_text(
        "".join(olist_head("olist_sellers_dataset.csv.gz", 10)), encoding="utf-8"
    )
    report = run_sync(load_settings(workspace), [folder])
    by_name = {Path(f.file).name: f for f in report.files}
    assert by_name["mystery.csv"].status == "skipped"
    assert "matches no known export" in (by_name["mystery.csv"].reason or "")
    assert by_name["notes.pdf"].status == "skipped"
    assert by_name["olist_sellers_dataset.csv"].rows_loaded == 10
    assert not report.failed


def test_no_workspace_is_one_clear_line(tmp_path: Path) -> None:
    done = run_cli("sql", "select 1", cwd=tmp_path)
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert "no shopql workspace" in line and "shopql init" in line
