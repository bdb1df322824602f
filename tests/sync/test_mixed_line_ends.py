"""An export whose lines end in both CR LF and a bare LF is read whole, not failed.

DuckDB's CSV reader takes one kind of line end per file and stops at the other ("The CSV Parser
state machine reached an invalid state"): one bare LF in a Windows export — blank lines an
editor added at the end, a line appended by hand, two files joined — failed the whole file with
that message. The sync now reads such a file from a copy whose CR LF are LF (the same lines,
numbered the same, so a quarantined row keeps its line). Found in session 33 by syncing the real
Tmall sample with blank lines added (`failed …: Invalid Input Error: The CSV Parser state
machine reached an invalid state.`)."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest

from shopql.config import load_settings
from shopql.sync.engine import run_sync
from shopql.sync.reader import CHUNK, lf_copy, line_ends_mixed
from tests.conftest import SAMPLES

REPORT = SAMPLES / "tmall" / "tmall_order_report_2020-02.csv"


def _lines(n: int = 41) -> list[bytes]:
    """The real report's header and first n - 1 orders, each ending in CR LF (as exported)."""
    with REPORT.open("rb") as f:
        lines = [f.readline() for _ in range(n)]
    assert all(line.endswith(b"\r\n") for line in lines)
    return lines


def _lf(line: bytes) -> bytes:
    return line.replace(b"\r\n", b"\n")


def _synced(workspace: Path, data: bytes, gz: bool = False) -> tuple[tuple, tuple, list]:
    name = "tmall_order_report_2020-02.csv" + (".gz" if gz else "")
    export = workspace / name
    export.write_bytes(gzip.compress(data) if gz else data)
    settings = load_settings(workspace)
    got = run_sync(settings, [export]).files[0]
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        totals = con.execute("SELECT count(*), sum(paid_amount) FROM orders").fetchone()
        quarantined = con.execute("SELECT line, raw FROM _quarantine ORDER BY line").fetchall()
    finally:
        con.close()
    assert totals is not None
    return (got.status, got.rows_read, got.rows_loaded, got.rows_quarantined), totals, quarantined


LINES = _lines()
MIXED = {
    "blank LF lines at the end": b"".join(LINES) + b"\n\n\n",
    "a blank LF line inside": b"".join(LINES[:20]) + b"\n" + b"".join(LINES[20:]),
    "one order line ending in LF": b"".join(LINES[:20]) + _lf(LINES[20]) + b"".join(LINES[21:]),
    "an LF file with one CR LF line": b"".join(map(_lf, LINES[:20]))
    + LINES[20]
    + b"".join(map(_lf, LINES[21:])),
}


@pytest.mark.parametrize("gz", [False, True], ids=["csv", "gzip"])
@pytest.mark.parametrize("data", MIXED.values(), ids=MIXED.keys())
def test_mixed_line_ends_load_every_order(workspace: Path, data: bytes, gz: bool) -> None:
    counts, totals, quarantined = _synced(workspace, data, gz)
    # the 40 orders of the real file, as its unmixed copy loads them (below); paid_amount is
    # 买家实际支付金额 (net of refunds) + 退款金额: 3,390.10 + 733.40 (summed from the CSV by hand)
    assert counts == ("loaded", 40, 40, 0)
    assert totals[0] == 40 and str(totals[1]) == "4123.50"
    assert quarantined == []


def test_the_unmixed_file_loads_the_same(workspace: Path) -> None:
    counts, totals, _ = _synced(workspace, b"".join(LINES))
    assert counts == ("loaded", 40, 40, 0)
    assert (totals[0], str(totals[1])) == (40, "4123.50")


def test_a_bad_row_keeps_its_line_number(workspace: Path) -> None:
    """Line 11 (order 10) with a paid amount that is no number, in a file mixing line ends:
    quarantined as line 11 with its own text (the copy's lines are the file's lines)."""
    bad = LINES[10].split(b",")
    assert bad[0] == b"10"
    bad[2] = b"abc"
    lines = LINES[:10] + [b",".join(bad)] + LINES[11:]
    counts, totals, quarantined = _synced(workspace, b"".join(lines) + b"\n")
    assert counts == ("loaded", 40, 39, 1)
    assert [(line, raw.split(",")[:3]) for line, raw in quarantined] == [
        (11, ["10", bad[1].decode(), "abc"])
    ]


def test_line_ends_mixed_and_the_copy(tmp_path: Path) -> None:
    def mixed(data: bytes) -> bool:
        path = tmp_path / "f.csv"
        path.write_bytes(data)
        return line_ends_mixed(path)

    assert mixed(b"a\r\nb\n") and mixed(b"a\nb\r\n") and mixed(b"a\r\n\n")
    assert not mixed(b"a\r\nb\r\n") and not mixed(b"a\nb\n") and not mixed(b"a\rb\n")
    # a CR LF split between two chunks read counts as one (the LF opens the next chunk)
    straddle = b"x" * (CHUNK - 1) + b"\r\n" + b"y\r\n"
    assert not mixed(straddle)
    path = tmp_path / "s.csv"
    path.write_bytes(straddle + b"z\n")
    copy = lf_copy(path, tmp_path)
    assert copy.read_bytes() == b"x" * (CHUNK - 1) + b"\ny\nz\n"
