"""A minimal reproduction of a DuckDB CSV reader bug, written to be reported upstream (issue 14).

    python -m shopql.bench.duckdb_quoted_break_repro      # ~1 s; exit 1 while the bug is there

DuckDB's parallel `read_csv` (2.0.1 here) splits a quoted field that holds a line break into extra
rows, without any error, when a read-buffer boundary (`buffer_size`, 32 MiB by default) falls
between the field's opening quote (inclusive) and its first line break: the thread reading the
buffer before takes the record whole, and the thread reading the next buffer starts at that line
break, so the field's later lines come out as rows of their own. Seen with `null_padding=true`,
`store_rejects=true`, `strict_mode=true`, 1, 2 or 4 threads, plain or gzip. With the quote a few
bytes later, the same parallel read refuses the file (the documented behaviour for quoted line
breaks with null_padding); `parallel=false` reads every position right.

The file below is a reviews export: 37 records of seven quoted fields, one of them a three-line
comment whose opening quote sits at byte `buffer_size + offset`. Expected: 37 rows at every
offset. What 2.0.1 prints:

    offset  parallel  serial
        -2        39      37      <- two rows that no one wrote
        -1        39      37
         0        39      37
         1     error      37
         2     error      37

shopql's sync works around it (sync/reader.py `LineScan.odd_quotes`: a file with a line of an odd
number of quotes that the parallel reader accepted is read again on one thread;
tests/sync/test_quoted_breaks_q31.py). This script is the report's body: no shopql import.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import duckdb

BUFFER = 33_554_432  # DuckDB's default CSV buffer_size (32 MiB)
HEADER = (
    '"review_id","order_id","review_score","review_comment_title","review_comment_message",'
    '"review_creation_date","review_answer_timestamp"\n'
)
MESSAGE = "chegou antes do prazo\nprazo ok, entrega ok, 5\nrecomendo"
HEAD = len('"r000","o000","5","",')  # bytes of a record before the message's opening quote


def review(i: int, message: str) -> str:
    return f'"r{i:03d}","o{i:03d}","5","","{message}","2018-01-01 00:00:00","2018-01-02 00:00:00"\n'


def csv_text(quote_at: int, filler: int = 1_000_000) -> tuple[str, int]:
    """The file's text with the multi-line message's opening quote at byte `quote_at`, and its
    number of records."""
    out, n, i = [HEADER], len(HEADER), 0
    base = len(review(0, ""))
    while quote_at - n - HEAD > 2 * (filler + base):
        line = review(i, "x" * filler)
        out.append(line)
        n, i = n + len(line), i + 1
    line = review(i, "y" * (quote_at - n - base - HEAD))
    out.append(line)
    n, i = n + len(line), i + 1
    assert n + HEAD == quote_at
    out += [review(i, MESSAGE)] + [review(i + k, "ok") for k in (1, 2, 3)]
    return "".join(out), i + 4


def rows_read(path: Path, parallel: bool) -> int | str:
    con = duckdb.connect()
    columns = "{" + ",".join(f"'c{k}': 'VARCHAR'" for k in range(7)) + "}"
    try:
        row = con.execute(
            f"""SELECT count(*) FROM read_csv('{path}', columns={columns}, header=true,
            delim=',', quote='"', escape='"', auto_detect=false, null_padding=true,
            store_rejects=true, strict_mode=true, buffer_size={BUFFER}, parallel={parallel})"""
        ).fetchone()
        return int(row[0]) if row else "none"
    except duckdb.Error:
        return "error"
    finally:
        con.close()


def main() -> int:
    print(f"duckdb {duckdb.__version__}\n  offset  parallel  serial  (records in the file)")
    wrong = 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reviews.csv"
        for offset in (-2, -1, 0, 1, 2):
            text, records = csv_text(BUFFER + offset)
            path.write_text(text, encoding="utf-8")
            par, ser = rows_read(path, True), rows_read(path, False)
            silent = isinstance(par, int) and par != records
            wrong += silent
            note = "  <- rows no one wrote" if silent else ""
            print(f"  {offset:6d}  {par!s:>8}  {ser!s:>6}  ({records}){note}")
    print("reproduced: a quoted line break split into rows" if wrong else "not reproduced")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
