"""Files from strangers: an export rewritten by another tool, or damaged, loads with every row
accounted for. Found in session 34 by bench/hunts/sync_mutations.py (each sample and fixture
rewritten the ways tools rewrite a file, and damaged the ways files get damaged):

- a Taobao export whose field holds a stray CR (`'MZ-PILLOW-GRY\\r`), re-saved with LF line ends
  (pandas, Python's csv module: the CR left unquoted), failed whole: "The CSV Parser state
  machine reached an invalid state". It is read from a copy with that CR a space.
- a file cut inside a multi-byte character said it read 6 rows of 5 and quarantined 2 where the
  quarantine held 1: DuckDB checks a cell's UTF-8 only when the cell is read, so the read of the
  mapped columns took the line (cut short) and the second read, of every column for the raw
  text, rejected it — and was counted again.
- a UTF-8 export with one stray byte was refused whole ("not text in any encoding shopql
  knows"); it loads, the line with the byte quarantined when the byte is in a column shopql
  reads (here an amount: "not an amount"), loaded when it is not — and the raw text of a row quarantined after such a line is its
  own, not its neighbour's.
- a Shopify order whose first row (the only one with the order's totals) failed a check was loaded
  from its other rows as an order paid 0.00; an order is now kept out whole when a row fails."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from shopql.config import load_settings
from shopql.sync.engine import run_sync
from shopql.sync.reader import CHUNK, bare_cr
from tests.conftest import FIXTURES, SAMPLES, warehouse_reader

TAOBAO = FIXTURES / "taobao" / "ExportOrderDetailList202401151030.csv"
YOUZAN = SAMPLES / "youzan" / "订单数据.redacted-excerpt.csv"
SHOPIFY = SAMPLES / "shopify" / "orders_export_1.pseudonymized.csv"


def _sync(ws: Path, path: Path) -> tuple[tuple[str, int, int, int], list[tuple]]:
    (got,) = run_sync(load_settings(ws), [path]).files
    with warehouse_reader(ws) as con:
        quarantined = con.execute("SELECT line, reason, raw FROM _quarantine ORDER BY line")
        held = quarantined.fetchall()
    return (got.status, got.rows_read, got.rows_loaded, got.rows_quarantined), held


def _facts(ws: Path) -> tuple:
    with warehouse_reader(ws) as con:
        return con.execute(
            "SELECT count(*), sum(quantity), string_agg(sku_id, ',' ORDER BY sku_id) "
            "FROM order_items"
        ).fetchall()[0]


def test_an_lf_file_with_an_unquoted_stray_cr_loads_like_the_original(
    workspace: Path, tmp_path: Path
) -> None:
    text = TAOBAO.read_bytes().decode("gb18030")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert any("\r" in cell for row in rows for cell in row)  # the fixture's stray CR
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)  # as pandas writes it: CR unquoted
    resaved = tmp_path / "in" / TAOBAO.name
    resaved.parent.mkdir()
    resaved.write_bytes(out.getvalue().encode("utf-8"))
    assert bare_cr(resaved)

    original = tmp_path / "ws2"
    __import__("shutil").copytree(workspace, original)
    assert _sync(original, TAOBAO)[0] == ("loaded", 6, 6, 0)
    assert _sync(workspace, resaved)[0] == ("loaded", 6, 6, 0)
    assert _facts(workspace) == _facts(original)


def test_bare_cr_looks_across_chunks(tmp_path: Path) -> None:
    at_edge = tmp_path / "edge.csv"
    at_edge.write_bytes(b"a" * (CHUNK - 1) + b"\r\n" + b"b\n")  # CR LF split by the chunk
    assert not bare_cr(at_edge)
    at_edge.write_bytes(b"a" * (CHUNK - 1) + b"\rb\n")  # a bare CR as a chunk's last byte
    assert bare_cr(at_edge)
    at_edge.write_bytes(b"a,b\r\n1,2\r\n")
    assert not bare_cr(at_edge)


def test_a_file_cut_inside_a_character_counts_its_last_row_once(
    workspace: Path, tmp_path: Path
) -> None:
    data = YOUZAN.read_bytes()
    start = data.index(
        "示例烘焙 北京市 北京市 东".encode(), data.index(b"E20260618182430000000005")
    )
    cut = tmp_path / "in" / "订单数据.csv"
    cut.parent.mkdir()
    cut.write_bytes(
        data[: start + len("示例烘焙 北京市 北京市 东".encode()) + 2]
    )  # 城's first bytes
    counts, held = _sync(workspace, cut)
    assert counts == ("loaded", 5, 4, 1)
    ((line, reason, raw),) = held
    assert line == 6 and "cut short" in reason and raw.startswith("E20260618182430000000005,")


def _shopify_with(tmp_path: Path, line: int, old: bytes, new: bytes) -> Path:
    lines = SHOPIFY.read_bytes().split(b"\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    lines[50] = lines[50].replace(b",5196.00,0.00,0.00,5196.00,", b",5196.00,0.00,0.00,abc,", 1)
    path = tmp_path / "in" / "orders_export_1.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(b"\n".join(lines))
    return path


def test_a_stray_byte_in_a_column_not_read_loads_the_row(workspace: Path, tmp_path: Path) -> None:
    # line 11's Accepts Marketing (no canonical column) holds a Latin-1 byte; line 51's Total is text
    path = _shopify_with(tmp_path, 11, b",yes,INR,", b",y\xffs,INR,")
    counts, held = _sync(workspace, path)
    assert counts == ("loaded", 121, 119, 2)  # order #1032: its two lines
    (line, reason, raw), (other, why, _) = held
    assert (line, reason) == (51, "not an amount in column Total: abc")
    assert raw.startswith("#1032,") and ",abc," in raw  # its own line, not line 50's
    assert other == 52 and why.startswith("another row of order shopify:#1032 failed a check")


def test_a_stray_byte_in_a_column_read_quarantines_that_line(
    workspace: Path, tmp_path: Path
) -> None:
    path = _shopify_with(tmp_path, 11, b",INR,6594.00,", b",INR,65\xff4.00,")  # its Subtotal
    counts, held = _sync(workspace, path)
    assert counts == ("loaded", 121, 116, 5)
    failed = [(line, reason) for line, reason, _ in held if not reason.startswith("another")]
    assert [line for line, _ in failed] == [11, 51]
    assert failed[0][1].startswith("not an amount in column Subtotal: 65")  # the byte, shown
    assert [line for line, reason, _ in held if "#1046 " in reason] == [12, 13]
    assert next(raw for line, _, raw in held if line == 51).startswith("#1032,")


def test_an_order_is_kept_out_whole_when_one_of_its_rows_fails(
    workspace: Path, tmp_path: Path
) -> None:
    """Shopify writes an order's totals on its first row only: that row failing loaded the
    order's other lines as an order paid 0.00 (GMV short by the order, silently)."""
    lines = SHOPIFY.read_bytes().split(b"\n")
    assert [i for i, line in enumerate(lines) if line.startswith(b"#1050,")] == [2, 3, 4, 5]
    lines[2] = lines[2].replace(b",11594.00,0.00,0.00,11594.00,", b",11594.00,0.00,0.00,abc,", 1)
    path = tmp_path / "in" / "orders_export_1.csv"
    path.parent.mkdir()
    path.write_bytes(b"\n".join(lines))
    counts, held = _sync(workspace, path)
    assert counts == ("loaded", 121, 117, 4)
    assert [line for line, _, _ in held] == [3, 4, 5, 6]
    with warehouse_reader(workspace) as con:
        orders = con.execute(
            "SELECT count(*), sum(paid_amount), count(*) FILTER (WHERE order_id LIKE '%#1050') "
            "FROM orders"
        ).fetchall()
        items = con.execute("SELECT count(*) FROM order_items WHERE order_id LIKE '%#1050'")
        assert orders == [(50, Decimal("579089.29"), 0)] and items.fetchall() == [(0,)]
    # the order's total in the original export: 590683.29 for 51 orders
    assert Decimal("590683.29") - Decimal("11594.00") == Decimal("579089.29")


def test_an_amazon_flat_file_with_every_field_quoted_loads_like_the_original(
    workspace: Path, tmp_path: Path
) -> None:
    """Amazon's flat files never quote (a product name may hold a bare `"`), so shopql reads them
    without quoting; re-saved by a tool that quotes every field, every row was quarantined
    ('not a date/time in column purchase-date: "2025-04-01T08:04:21+00:00"')."""
    amazon = FIXTURES / "amazon" / "All_Orders_2025-04-06.txt"
    rows = list(csv.reader(io.StringIO(amazon.read_text(encoding="utf-8")), delimiter="\t"))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter="\t", quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    quoted = tmp_path / "in" / amazon.name
    quoted.parent.mkdir()
    quoted.write_text(out.getvalue(), encoding="utf-8")
    original = tmp_path / "ws2"
    __import__("shutil").copytree(workspace, original)
    assert _sync(original, amazon)[0] == ("loaded", 7, 7, 0)
    assert _sync(workspace, quoted)[0] == ("loaded", 7, 7, 0)
    assert _facts(workspace) == _facts(original)
