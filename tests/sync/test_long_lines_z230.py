"""A line longer than DuckDB's line limit is quarantined with its reason, never lost.

DuckDB 2.0.1's parallel CSV reader can drop a line over `max_line_size` without listing it as
rejected (any line longer than its read buffer; a shorter one across a buffer's end), which its
one-thread reader never does: the sync measures the longest line while it hashes the file and
reads a file holding a line over loader.LONG_LINE on one thread (sync/loader.py)."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest

from shopql.config import load_settings
from shopql.sync import loader
from shopql.sync.engine import run_sync
from shopql.sync.reader import CHUNK, LineScan, longest_line

HEADER = (
    '"order_id","order_item_id","product_id","seller_id","shipping_limit_date","price",'
    '"freight_value"\n'
)
BIG = 40_000_000  # over DuckDB's 32 MiB read buffer
TOO_LONG = "line is too long to be a row of this table"


def _line(i: int, product: str = '"p1"', seller: str = '"s1"') -> str:
    return f'"o{i:04d}","1",{product},{seller},"2017-01-01 00:00:00","10.00","1.00"\n'


def _synced(workspace: Path, export: Path) -> tuple[tuple, list, int]:
    settings = load_settings(workspace)
    got = run_sync(settings, [export]).files[0]
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        quarantined = con.execute(
            "SELECT line, reason, length(raw) FROM _quarantine ORDER BY line"
        ).fetchall()
        items = int(con.execute("SELECT count(*) FROM order_items").fetchone()[0])  # type: ignore[index]
    finally:
        con.close()
    return (got.status, got.rows_read, got.rows_loaded, got.rows_quarantined), quarantined, items


@pytest.mark.parametrize("packed", [False, True], ids=["csv", "gzip"])
def test_a_line_longer_than_the_read_buffer_is_quarantined_not_lost(
    workspace: Path, tmp_path: Path, packed: bool
) -> None:
    text = HEADER + _line(1) + _line(2, product="x" * BIG) + _line(3)
    export = tmp_path / ("olist_order_items_dataset.csv" + (".gz" if packed else ""))
    if packed:
        with gzip.open(export, "wt", encoding="utf-8", compresslevel=1) as f:
            f.write(text)
    else:
        export.write_text(text, encoding="utf-8")
    counts, quarantined, items = _synced(workspace, export)
    assert counts == ("loaded", 3, 2, 1)  # was ('loaded', 2, 2, 0): the line vanished
    assert [(line, reason) for line, reason, _ in quarantined] == [(3, TOO_LONG)]
    assert items == 2


def test_a_transcoded_file_is_measured_on_its_utf8_copy(workspace: Path, tmp_path: Path) -> None:
    """A GB18030 export is read from its UTF-8 copy: the copy's lines are the ones measured."""
    text = (
        HEADER
        + _line(1, seller='"杭州卖家"')
        + _line(2, product="商" * (BIG // 3 + 1))  # 26.7 MB in GB18030, 40 MB in UTF-8
        + _line(3)
    )
    export = tmp_path / "olist_order_items_dataset.csv"
    export.write_bytes(text.encode("gb18030"))
    counts, quarantined, items = _synced(workspace, export)
    assert counts == ("loaded", 3, 2, 1)
    assert [(line, reason) for line, reason, _ in quarantined] == [(3, TOO_LONG)]
    assert items == 2


def test_quoted_line_breaks_and_an_over_long_record(workspace: Path, tmp_path: Path) -> None:
    """A record over the limit made of short lines (a quoted field with line breaks) and a normal
    record with a quoted line break: every record read, the long one quarantined."""
    long_field = "\n".join(["q" * 99] * 120_000)  # 12 MB over 120,000 short lines
    export = tmp_path / "olist_order_items_dataset.csv"
    export.write_text(
        HEADER
        + _line(1, product='"two\nlines"')
        + _line(2, product=f'"{long_field}"')
        + _line(3)
        + _line(4, product="x" * BIG),
        encoding="utf-8",
    )
    counts, quarantined, items = _synced(workspace, export)
    assert counts == ("loaded", 4, 2, 2)
    assert [(line, reason) for line, reason, _ in quarantined] == [(3, TOO_LONG), (5, TOO_LONG)]
    assert items == 2


def test_ordinary_files_are_read_in_parallel_once(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a file with a line over LONG_LINE is read again on one thread."""
    calls: list[bool] = []
    stage = loader._stage

    def staging(*args: object, **kwargs: object) -> None:
        calls.append(bool(kwargs.get("parallel", True)))
        stage(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "_stage", staging)
    export = tmp_path / "olist_order_items_dataset.csv"
    export.write_text(
        HEADER + _line(1) + _line(2, product="y" * (loader.LONG_LINE - 100)) + _line(3),
        encoding="utf-8",
    )
    counts, quarantined, items = _synced(workspace, export)
    assert counts == ("loaded", 3, 3, 0) and quarantined == [] and items == 3
    assert calls == [True]

    calls.clear()
    other = tmp_path / "b" / "olist_order_items_dataset.csv"
    other.parent.mkdir()
    other.write_text(HEADER + _line(4, product="y" * BIG), encoding="utf-8")
    counts, quarantined, items = _synced(workspace, other)
    assert counts == ("loaded", 1, 0, 1) and [q[:2] for q in quarantined] == [(2, TOO_LONG)]
    assert calls == [True, False]


def test_line_scan_measures_every_line_longer_than_its_chunks(tmp_path: Path) -> None:
    sizes = [10, 3 * CHUNK + 5, 7, 2 * CHUNK, 1]
    data = b"\n".join(b"a" * n for n in sizes)  # no final line feed
    scan = LineScan()
    for i in range(0, len(data), CHUNK):
        scan.feed(data[i : i + CHUNK])
    assert scan.close() == 3 * CHUNK + 5
    path = tmp_path / "f.csv.gz"
    with gzip.open(path, "wb") as f:
        f.write(data + b"\n" + b"b" * (4 * CHUNK))
    assert longest_line(path) == 4 * CHUNK  # the unpacked text's lines
    (tmp_path / "g.csv").write_bytes(b"a,b\n1,2\n")
    assert longest_line(tmp_path / "g.csv") == 3
