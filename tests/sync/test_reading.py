"""Reading files like a library would (issue 9; issue 10 item 14): encodings beyond UTF-8/GBK
(Big5, UTF-16 LE without a BOM, Shift-JIS), semicolon- and pipe-separated exports, every sheet
of a workbook, formula cells with no saved value refused with the reason. Fixtures are made in
tmp_path from real header layouts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.sync import reader
from shopql.sync.engine import run_sync
from tests.conftest import FIXTURES
from tests.sync.helpers import by_kind, rows, sync
from tests.sync.test_inputs import EXPECTED, MAPPING, ROWS, orders

TW_MAPPING = """
source: tw_shop
label: A Taiwanese shop's order export (Big5)
files:
  - kind: orders
    detect: {all: [訂單編號, 商品名稱, 金額]}
    fields:
      order_no: {from: 訂單編號, type: id, required: true}
      title: {from: 商品名稱}
      amount: {from: 金額, type: money, required: true}
      buyer: {from: 買家帳號}
    targets:
      - table: order_items
        key: [order_id, line_no]
        columns:
          order_id: "'tw:' || order_no"
          line_no: "1"
          title: title
          paid_amount: amount
"""


def test_big5_export(workspace: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "tw.yaml"
    mapping.write_text(TW_MAPPING, encoding="utf-8")
    export = tmp_path / "訂單.csv"
    export.write_bytes(
        "訂單編號,商品名稱,數量,金額,買家帳號\r\n"
        "1001,保溫杯 不鏽鋼 500ml,2,599,王小明\r\n"
        "1002,臺灣高山茶葉禮盒,1,1200,陳美麗\r\n".encode("cp950")
    )
    report = run_sync(load_settings(workspace), [export], mapping=mapping)
    assert (report.files[0].encoding, report.files[0].rows_loaded) == ("cp950", 2)
    assert rows(workspace, "select title, paid_amount::VARCHAR from order_items order by 1") == [
        ("保溫杯 不鏽鋼 500ml", "599.00"),
        ("臺灣高山茶葉禮盒", "1200.00"),
    ]


def test_utf16_le_without_bom(workspace: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "pos.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    export = tmp_path / "sales.txt"
    with open(export, "w", encoding="utf-16-le", newline="") as f:  # no BOM
        csv.writer(f, delimiter="\t", lineterminator="\r\n").writerows(ROWS)
    assert not export.read_bytes().startswith(b"\xff\xfe")
    report = run_sync(load_settings(workspace), [export], mapping=mapping)
    assert report.files[0].encoding == "utf-16-le"
    assert (report.files[0].rows_loaded, report.files[0].rows_quarantined) == (3, 2)
    assert orders(workspace) == EXPECTED


def test_shift_jis_amazon_jp_flat_file(workspace: Path, tmp_path: Path) -> None:
    """An Amazon.co.jp All Orders report: the documented header, Japanese names in Shift-JIS."""
    header = (FIXTURES / "amazon" / "All_Orders_2025-04-06.txt").read_text().splitlines()[0]
    columns = header.split("\t")
    lines = [header]
    for n, (name, price) in enumerate(
        [("ステンレス 水筒 500ml 保温保冷", "2980"), ("日本製 木製 まな板 大サイズ", "3500")]
    ):
        row = dict.fromkeys(columns, "")
        row.update(
            {
                "amazon-order-id": f"503-000000{n}-000000{n}",
                "purchase-date": "2025-04-01T10:00:00+09:00",
                "last-updated-date": "2025-04-02T10:00:00+09:00",
                "order-status": "Shipped",
                "sales-channel": "Amazon.co.jp",
                "product-name": name,
                "sku": f"JP-{n}",
                "asin": f"B0JP00000{n}",
                "item-status": "Shipped",
                "quantity": "1",
                "currency": "JPY",
                "item-price": price,
                "ship-city": "渋谷区",
                "ship-state": "東京都",
                "ship-country": "JP",
            }
        )
        lines.append("\t".join(row[c] for c in columns))
    export = tmp_path / "All_Orders_JP.txt"
    export.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    report = sync(workspace, export)
    assert report.files[0].encoding == "cp932"
    assert by_kind(report) == {"all_orders": (2, 2, 0)}
    assert rows(workspace, "select title from products order by 1") == [
        ("ステンレス 水筒 500ml 保温保冷",),
        ("日本製 木製 まな板 大サイズ",),
    ]
    assert rows(workspace, "select sum(paid_amount)::VARCHAR, max(currency) from orders") == [
        ("6480.00", "JPY")
    ]


def rewrite(source: Path, target: Path, encoding: str, delimiter: str) -> Path:
    with open(source, encoding=encoding, newline="") as f:
        table = list(csv.reader(f))
    with open(target, "w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return target


@pytest.mark.parametrize(
    ("source", "encoding", "delimiter", "kind"),
    [
        (FIXTURES / "shopify" / "orders_export_1.csv", "utf-8", ";", "orders"),
        (FIXTURES / "jd" / "订单导出_20240210.csv", "gb18030", "|", "orders"),
    ],
)
def test_semicolon_and_pipe_exports_load_like_the_comma_ones(
    tmp_path: Path, source: Path, encoding: str, delimiter: str, kind: str
) -> None:
    from shopql.warehouse.workspace import init_workspace

    comma, other = tmp_path / "comma", tmp_path / "other"
    init_workspace(comma)
    init_workspace(other)
    expected = sync(comma, source)
    report = sync(other, rewrite(source, tmp_path / source.name, encoding, delimiter))
    assert by_kind(report) == by_kind(expected) and by_kind(report)[kind][1] > 0
    query = """select platform_order_id, status, paid_amount::VARCHAR, created_at::VARCHAR
               from orders order by 1"""
    assert rows(other, query) == rows(comma, query)
    assert rows(other, "select count(*) from order_items") == rows(
        comma, "select count(*) from order_items"
    )


def test_common_files_never_reach_the_detector(monkeypatch: pytest.MonkeyPatch) -> None:
    """BOM, UTF-8 and GBK-only samples take the fast paths; charset-normalizer is not asked."""

    def ranked(sample: bytes, fitting: list[str]) -> str:
        raise AssertionError(f"detector called for {fitting}")

    monkeypatch.setattr(reader, "_rank", ranked)
    assert reader.detect_encoding("订单编号,金额\n1,2\n".encode()) == "utf-8"
    assert reader.detect_encoding(b"\xef\xbb\xbfa,b\n") == "utf-8-sig"
    tmall = (FIXTURES / "taobao" / "ExportOrderList202401151030.csv").read_bytes()
    assert reader.detect_encoding(tmall) == "gb18030"
    with pytest.raises(Exception, match="binary data"):
        reader.detect_encoding(b"PK\x03\x04\x00\x00\x14\x00\x00\x08" * 20)


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, table in sheets.items():
        sheet = book.create_sheet(name)
        for row in table:
            sheet.append(row)
    book.save(path)
    return path


def clean(table: list[list[str]]) -> list[list[str]]:
    return [[c.strip('="') if c.startswith("=") else c for c in row] for row in table]


def test_every_sheet_is_considered(workspace: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "pos.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    book = workbook(
        tmp_path / "sales.xlsx",
        {
            "说明": [["本表由收银系统导出"], ["导出时间", "2024-01-10"]],
            "Empty": [],
            "销售": clean(ROWS[:4]),
        },
    )
    report = run_sync(load_settings(workspace), [book], mapping=mapping)
    outcome = {f.file.split("!")[-1]: (f.status, f.rows_loaded) for f in report.files}
    assert outcome == {"说明": ("skipped", 0), "销售": ("loaded", 3)}
    notes = next(f for f in report.files if f.file.endswith("!说明"))
    assert notes.reason and notes.reason.startswith("header row does not match")
    assert orders(workspace) == EXPECTED


def test_formula_cells_without_a_saved_value_are_refused(workspace: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "pos.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    table = clean(ROWS[:3])
    table[1][2] = "=10+20"  # openpyxl saves the formula without a cached value, as scripts do
    book = workbook(tmp_path / "sales.xlsx", {"销售": table})
    report = run_sync(load_settings(workspace), [book], mapping=mapping)
    (result,) = report.files
    assert result.status == "failed"
    assert result.reason and result.reason.startswith(
        "1 formula cell(s) have no saved value (C2 =10+20); they would load as empty"
    )
    assert orders(workspace) == []  # nothing of the sheet loaded, no NULL money


def test_formula_pattern_ignores_cells_with_a_cached_value() -> None:
    xml = (
        b'<row r="2"><c r="A2"><v>1</v></c><c r="B2"><f>A2*2</f><v>2</v></c>'
        b'<c r="C2" t="str"><f>A2&amp;"x"</f></c><c r="D2"><f t="shared" si="0"/><v></v></c></row>'
    )
    found = [(m.group(1), m.group(2)) for m in reader._CELL_FORMULA.finditer(xml)]
    assert found == [(b"C2", b'A2&amp;"x"'), (b"D2", None)]
