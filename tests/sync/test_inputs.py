"""Input containers and encodings: zip, xlsx, GB18030, UTF-16, BOM; --mapping and --platform."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from shopql.config import load_settings
from shopql.errors import SyncError
from shopql.sync.engine import run_sync
from shopql.sync.pseudonym import load_key, pseudonym
from tests.conftest import cli_in_process
from tests.sync.helpers import mapping_file, zip_bytes

MAPPING = """
source: pos
label: A shop's point-of-sale export
files:
  - kind: sales
    detect: {all: [单号, 会员手机, 金额]}
    fields:
      order_no: {from: [单号, 订单号], type: id, required: true}
      phone: {from: 会员手机}
      amount: {from: [金额, 金额(元)], type: money, required: true}
      sold_at: {from: 时间, type: timestamp, required: true}
      state: {from: 状态, required: true, statuses: {已付款: paid, 已退款: refunded, 待付款: pending}}
    targets:
      - table: orders
        key: [order_id]
        columns:
          order_id: "'pos:' || order_no"
          platform: "'pos'"
          platform_order_id: order_no
          customer_id: "'pos:' || phone"
          status: state
          raw_status: state_raw
          created_at: sold_at
          paid_amount: amount
      - table: customers
        key: [customer_id]
        where: phone IS NOT NULL
        columns:
          customer_id: "'pos:' || phone"
          platform: "'pos'"
          phone: phone
"""

ROWS = [
    ["单号", "会员手机", "金额", "时间", "状态"],
    ["=" + '"202401010001"', "'13800000001", "¥1,299.00", "2024/1/2 9:05", "已付款"],
    ["202401010002", "-", "￥88.5", "2024-01-03 10:00:00", "已退款"],
    ["202401010003", "13800000003", "12元", "45300.5", "待付款"],
    ["202401010004", "13800000004", "abc", "2024-01-05 10:00:00", "已付款"],
    ["202401010005", "13800000005", "10", "2024-01-05 10:00:00", "神秘状态"],
]


def write_csv(path: Path, encoding: str, delimiter: str = ",") -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=delimiter, lineterminator="\r\n").writerows(ROWS)
    return path


def orders(ws: Path) -> list[tuple]:
    """The orders, with the pseudonymised customer keys shown as the raw keys they stand for."""
    secret = load_key(ws / "warehouse.duckdb")
    raw = {
        pseudonym(secret, f"pos:1{n}"): f"pos:1{n}" for n in (3800000001, 3800000003, 3900000009)
    }
    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        rows = con.execute(
            """select platform_order_id, status, paid_amount::VARCHAR, created_at::VARCHAR,
                      customer_id from orders order by 1"""
        ).fetchall()
    finally:
        con.close()
    return [(*r[:4], raw.get(r[4], r[4])) for r in rows]


EXPECTED = [
    ("202401010001", "paid", "1299.00", "2024-01-02 09:05:00", "pos:13800000001"),
    ("202401010002", "refunded", "88.50", "2024-01-03 10:00:00", None),
    ("202401010003", "pending", "12.00", "2024-01-09 12:00:00", "pos:13800000003"),
]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("gb18030", ","), ("utf-16", "\t")],
)
def test_encodings_with_a_mapping(
    workspace: Path, tmp_path: Path, encoding: str, delimiter: str
) -> None:
    mapping = mapping_file(tmp_path, MAPPING)
    export = write_csv(tmp_path / "sales.csv", encoding, delimiter)

    report = run_sync(load_settings(workspace), [export], mapping=mapping)

    (result,) = report.files
    assert result.encoding == encoding.replace("utf-16", "utf-16")
    assert (result.rows_loaded, result.rows_quarantined) == (3, 2)
    assert orders(workspace) == EXPECTED
    con = duckdb.connect(str(workspace / "warehouse.duckdb"), read_only=True)
    reasons = [r[0] for r in con.execute("select reason from _quarantine order by line").fetchall()]
    con.close()
    assert reasons == [
        "not an amount in column 金额: abc",
        "unknown state 神秘状态 (add it to the mapping or report it)",
    ]


def test_zip_of_exports(workspace: Path, tmp_path: Path) -> None:
    mapping = mapping_file(tmp_path, MAPPING)
    export = write_csv(tmp_path / "销售.csv", "gb18030")
    archive = tmp_path / "exports.zip"
    archive.write_bytes(
        zip_bytes({"2024/销售.csv": export.read_bytes(), "readme.md": "not a table"})
    )
    report = run_sync(load_settings(workspace), [archive], mapping=mapping)
    statuses = {f.file.split(str(tmp_path))[-1]: f.status for f in report.files}
    assert statuses == {"/exports.zip!2024/销售.csv": "loaded", "/exports.zip!readme.md": "skipped"}
    assert orders(workspace) == EXPECTED


def test_xlsx_export(workspace: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    mapping = mapping_file(tmp_path, MAPPING)
    book = Workbook()
    sheet = book.active
    for row in ROWS[:3]:
        # a real workbook holds the order number as a text cell, not an ="…" formula
        sheet.append([cell.strip('="') if cell.startswith("=") else cell for cell in row])
    book.save(tmp_path / "sales.xlsx")
    report = run_sync(load_settings(workspace), [tmp_path / "sales.xlsx"], mapping=mapping)
    assert report.files[0].rows_loaded == 2
    assert orders(workspace) == EXPECTED[:2]


def test_resync_same_bytes_then_force(workspace: Path, tmp_path: Path) -> None:
    mapping = mapping_file(tmp_path, MAPPING)
    export = write_csv(tmp_path / "sales.csv", "utf-8")
    settings = load_settings(workspace)
    run_sync(settings, [export], mapping=mapping)
    again = run_sync(settings, [export], mapping=mapping)
    assert again.files[0].status == "already synced"
    forced = run_sync(settings, [export], mapping=mapping, force=True)
    assert forced.files[0].status == "loaded"
    assert orders(workspace) == EXPECTED  # upsert by key: no duplicates


def test_newer_export_updates_status(workspace: Path, tmp_path: Path) -> None:
    mapping = mapping_file(tmp_path, MAPPING)
    settings = load_settings(workspace)
    run_sync(settings, [write_csv(tmp_path / "day1.csv", "utf-8")], mapping=mapping)
    later = tmp_path / "day2.csv"
    later.write_text("单号,会员手机,金额,时间,状态\n202401010003,13800000003,12,45300.5,已付款\n")
    run_sync(settings, [later], mapping=mapping)
    assert orders(workspace)[2][1] == "paid"
    assert len(orders(workspace)) == 3


def test_platform_that_does_not_match(workspace: Path, tmp_path: Path) -> None:
    export = write_csv(tmp_path / "sales.csv", "utf-8")
    with pytest.raises(SyncError, match="does not match olist"):
        run_sync(load_settings(workspace), [export], platform="olist")
    done = cli_in_process("-w", str(workspace), "sync", str(export), "--platform", "nope")
    assert done.returncode == 1 and "unknown platform 'nope'" in done.stderr


def test_missing_path_is_one_line(workspace: Path) -> None:
    done = cli_in_process("-w", str(workspace), "sync", "no/such/folder")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "error: no/such/folder: no such file or folder — check the path"
    ]


def test_zip_members_with_the_same_name_in_two_folders(workspace: Path, tmp_path: Path) -> None:
    """shopA/sales.csv and shopB/sales.csv are two exports: both load, neither overwrites."""
    mapping = mapping_file(tmp_path, MAPPING)
    shop_a = write_csv(tmp_path / "a.csv", "utf-8")
    shop_b = tmp_path / "b.csv"
    shop_b.write_text(
        "单号,会员手机,金额,时间,状态\n202402020001,13900000009,50,2024-02-02 10:00,已付款\n"
    )
    archive = tmp_path / "shops.zip"
    members = {"shopA/sales.csv": shop_a.read_bytes(), "shopB/sales.csv": shop_b.read_bytes()}
    members["../evil/notes.md"] = "x"  # stays inside the extraction folder
    archive.write_bytes(zip_bytes(members))
    report = run_sync(load_settings(workspace), [archive], mapping=mapping)
    statuses = sorted((f.file.split("!")[-1], f.status) for f in report.files)
    assert statuses == [
        ("../evil/notes.md", "skipped"),
        ("shopA/sales.csv", "loaded"),
        ("shopB/sales.csv", "loaded"),
    ]
    assert [r[0] for r in orders(workspace)] == [
        "202401010001",
        "202401010002",
        "202401010003",
        "202402020001",
    ]
    from shopql.sync.reader import _safe_member_path

    assert _safe_member_path("../../evil/x.csv") == Path("evil/x.csv")
    assert _safe_member_path("/abs\\win\\x.csv") == Path("abs/win/x.csv")
