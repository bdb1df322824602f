"""A quoted field with line breaks that straddles DuckDB's 32 MiB read buffer is read whole.

DuckDB 2.0.1's parallel CSV reader refuses a quoted line break when null_padding is on ("The
parallel scanner does not support null_padding in conjunction with quoted new lines"), and the
sync then reads the file on one thread, except when a read buffer's boundary (every 32 MiB of
the text) falls between a quoted field's opening quote and its first line break: then the
record is read whole AND the thread reading the next buffer starts at that line break, so the
field's later lines come out as extra rows, without error. The sync finds lines with an odd
number of quotes (a line break inside quotes, or a stray quote) while it hashes the file
(reader.LineScan) and reads such a file again on one thread when the parallel read took it."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import duckdb
import pytest

from shopql.config import load_settings
from shopql.sync import loader
from shopql.sync.engine import run_sync
from shopql.sync.reader import CHUNK, LineScan

BUFFER = loader.READ_BUFFER  # 32 MiB
HEADER = (
    '"review_id","order_id","review_score","review_comment_title","review_comment_message",'
    '"review_creation_date","review_answer_timestamp","internal_note"\n'
)
HEAD = len('"r000","o000","5","",')  # a review's bytes before its message's opening quote
MESSAGE = "chegou antes do prazo\nprazo ok, entrega ok, 5\nrecomendo"  # a line like a review
FIRST = "质量很好，物流很快，卖家服务态度也不错，好评"
FILLER = 1_000_000  # a long note no table keeps: few rows, 32 MiB read fast


def _review(i: int, message: str, note: str = "", end: str = "\n") -> str:
    return (
        f'"r{i:03d}","o{i:03d}","5","","{message}","2018-01-01 00:00:00",'
        f'"2018-01-02 00:00:00","{note}"{end}'
    )


def reviews_text(quote_at: int, message: str = MESSAGE, end: str = "\n") -> tuple[str, int]:
    """A reviews export whose review with `message` opens its message's quote at byte
    `quote_at` of its UTF-8 text, and its number of reviews. The first review is in Chinese
    (a GB18030 file is told by its first bytes); the others are filler with long notes."""
    out, i = [HEADER.replace("\n", end), _review(0, FIRST, end=end)], 1
    n = sum(len(s.encode()) for s in out)
    base = len(_review(0, "", end=end))
    while quote_at - n - HEAD > 2 * (FILLER + base):
        out.append(_review(i, "ok", "x" * FILLER, end))
        n, i = n + len(out[-1]), i + 1
    out.append(_review(i, "ok", "y" * (quote_at - n - base - HEAD - 2), end))
    n += len(out[-1])
    assert n + HEAD == quote_at
    out += [_review(i + 1, message, end=end)] + [_review(i + k, "ok", end=end) for k in (2, 3, 4)]
    return "".join(out), i + 5


def _synced(
    workspace: Path, export: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[tuple, list, list, list[bool]]:
    """The sync's counts, quarantine, reviews other than the filler, and its reads (parallel?)."""
    reads: list[bool] = []
    stage = loader._stage

    def staging(*args: object, **kwargs: object) -> bool:
        reads.append(stage(*args, **kwargs))  # type: ignore[arg-type]
        return reads[-1]

    monkeypatch.setattr(loader, "_stage", staging)
    settings = load_settings(workspace)
    got = run_sync(settings, [export]).files[0]
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        quarantined = con.execute("SELECT line, reason FROM _quarantine ORDER BY line").fetchall()
        odd = con.execute(
            f"SELECT review_id, comment FROM reviews WHERE comment NOT IN ('ok', '{FIRST}') "
            "ORDER BY review_id"
        ).fetchall()
    finally:
        con.close()
    counts = (got.status, got.rows_read, got.rows_loaded, got.rows_quarantined)
    return counts, quarantined, odd, reads


def _write(export: Path, text: str, packing: str) -> Path:
    if packing == "gzip":
        export = export.with_name(export.name + ".gz")
        with gzip.open(export, "wt", encoding="utf-8", compresslevel=1) as f:
            f.write(text)
    else:
        export.write_bytes(text.encode("gb18030" if packing == "gb18030" else "utf-8"))
    return export


@pytest.mark.parametrize(
    ("packing", "message", "end"),
    [
        ("csv", MESSAGE, "\n"),
        ("gzip", MESSAGE, "\n"),
        # read from its UTF-8 copy, where the boundary falls inside 到货很快 (4 × 3 bytes)
        ("gb18030", "到货很快\n质量不错, 五星\n推荐", "\n"),
        ("csv", MESSAGE.replace("\n", "\r\n"), "\r\n"),  # Windows line ends throughout
    ],
    ids=["csv", "gzip", "gb18030", "crlf"],
)
def test_a_review_with_line_breaks_across_the_read_buffer_is_read_whole(
    workspace: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    packing: str,
    message: str,
    end: str,
) -> None:
    text, reviews = reviews_text(BUFFER - 10, message, end)
    export = _write(tmp_path / "olist_order_reviews_dataset.csv", text, packing)
    counts, quarantined, odd, reads = _synced(workspace, export, monkeypatch)
    # was ('loaded', 40, 38, 2) in all three: the message read whole, and its last two lines
    # again as rows of their own, quarantined ("row is cut short: fewer fields than the header")
    assert counts == ("loaded", reviews, reviews, 0)
    assert quarantined == []
    assert odd == [(f"olist:r{reviews - 4:03d}", message)]
    assert reads == [True, False]  # the parallel read took it: read again on one thread


def test_a_row_pasted_in_a_review_is_not_loaded_as_a_review(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A message's line that parses as a whole row was loaded as a review of its own."""
    message = "colei a linha do pedido:\nr999,o999,1,,,2018-01-03 00:00:00,,\nfim"
    text, reviews = reviews_text(BUFFER - 10, message)
    export = _write(tmp_path / "olist_order_reviews_dataset.csv", text, "csv")
    counts, quarantined, odd, _ = _synced(workspace, export, monkeypatch)
    # was ('loaded', 40, 39, 1) with a review 'olist:r999' (score 1) that no one wrote
    assert counts == ("loaded", reviews, reviews, 0) and quarantined == []
    assert odd == [(f"olist:r{reviews - 4:03d}", message)]


@pytest.mark.parametrize(
    ("quote_at", "message", "reads"),
    [
        # the same review well inside a buffer: DuckDB's parallel reader refuses it itself
        (4_000_000, MESSAGE, [False]),
        # balanced quotes (escaped ones too) across the boundary: one parallel read
        (BUFFER - 10, 'chegou ""antes"" do prazo, recomendo', [True]),
    ],
    ids=["inside-a-buffer", "no-line-break"],
)
def test_other_files_are_read_once(
    workspace: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    quote_at: int,
    message: str,
    reads: list[bool],
) -> None:
    text, reviews = reviews_text(quote_at, message)
    export = _write(tmp_path / "olist_order_reviews_dataset.csv", text, "csv")
    counts, quarantined, odd, read = _synced(workspace, export, monkeypatch)
    assert counts == ("loaded", reviews, reviews, 0) and quarantined == []
    assert odd == [(f"olist:r{reviews - 4:03d}", message.replace('""', '"'))]
    assert read == reads


@pytest.mark.parametrize(
    ("data", "odd"),
    [
        (b'"a","b"\n"c",""\n', False),
        (b'"a\nb","c"\n', True),  # a line break inside quotes
        (b'"say ""hi""","x"\r\n"y"\r\n', False),  # escaped quotes, CRLF
        (b'"a""\n""b"\n', True),  # an escaped quote, then a line break inside the quotes
        (b'a,17" screen,b\n', True),  # a stray quote: read on one thread too
        (b"a,b\nc,d\n", False),
        (b'"a","b"\n"c', True),  # an unclosed quote at the end
        (b'"a","b"\n"c"', False),  # no line feed at the end
        (b'"a","b"\n"c","d"\n"e\nf","g"\n"h","i"\n', True),  # lines of 4 quotes, then 3
        (b'"a","b"\n"c","d"\n"e","f"\n"g"\n', False),  # lines of 4 quotes, then 2
    ],
)
def test_line_scan_finds_lines_with_odd_quotes_in_any_chunks(data: bytes, odd: bool) -> None:
    for size in range(1, len(data) + 1):
        scan = LineScan('"')
        for i in range(0, len(data), size):
            scan.feed(data[i : i + size])
        scan.close()
        assert scan.odd_quotes is odd, size
    unquoted = LineScan("")  # a kind that never quotes (Amazon flat files)
    unquoted.feed(data)
    unquoted.close()
    assert unquoted.odd_quotes is False


def test_line_scan_still_measures_long_lines_with_quotes() -> None:
    data = b'"a"\n"' + b"b" * (3 * CHUNK) + b'\nc"\n'
    scan = LineScan('"')
    for i in range(0, len(data), CHUNK):
        scan.feed(data[i : i + CHUNK])
    assert scan.close() == 3 * CHUNK + 1 and scan.odd_quotes


def test_line_scan_agrees_with_counting_each_line() -> None:
    rng = random.Random(31)
    for _ in range(300):
        data = bytes(rng.choice(b'"""\n,ab') for _ in range(rng.randrange(60)))
        expected = any(line.count(b'"') % 2 for line in data.split(b"\n"))
        size = rng.randrange(1, 9)
        scan = LineScan('"')
        for i in range(0, len(data), size):
            scan.feed(data[i : i + size])
        scan.close()
        assert scan.odd_quotes is expected, (data, size)
