"""Exports: every row of a guarded query, streamed to a file (csv, jsonl, parquet or xlsx).

The query meets the same guard as `shopql sql` except the row cap, runs on the same locked-down
read-only connection and is audited with the number of rows written. Rows are fetched in batches
(`fetchmany`), so memory stays flat in the result's size. Parquet is written by DuckDB itself
(`COPY … TO`): the reader's external access stays off and only the export's own temporary file is
on its allow-list (DuckDB's `allowed_paths`), so the guarded query still cannot read or write any
other file. A file is written under a temporary name and renamed when complete: an interrupted or
failed export leaves no half-written file behind. It gets the permissions any new file of the
user gets (0666 less the umask: 0644 with the usual 022), except a file that may hold personal
data as stored (an admin's rows of a personal-data column, an audience file of contacts, even
hashed): that one is readable by its owner only (0600), like the warehouse itself.

Money stays exact: DECIMAL values are written from the Decimal (943121.70, never 943121.7) — as
JSON numbers in .jsonl, as text in .csv, as numbers with two decimals shown in .xlsx, as DECIMAL
in .parquet.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import decimal
import json
import math
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from shopql.errors import QueryError, ShopqlError, UsageError
from shopql.warehouse.connection import open_reader
from shopql.warehouse.guard import RULES, GuardContext, guard_sql, shows_personal_data

BATCH_ROWS = 10_000
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet size, less the header row
FORMATS = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".xlsx": "xlsx",
}

# called with the rows written so far, or (parquet, written by DuckDB) with None and the percent
# of the query DuckDB reports done
Progress = Callable[[int | None, float | None], None]


class ExportError(ShopqlError):
    """An export file that cannot be written as asked (an unknown extension is a usage error)."""


class ExportUsageError(ExportError, UsageError):
    """An --out file whose extension names no format."""


@dataclass
class ExportResult:
    """What an export wrote: `row_count` rows of `rows_total` (fewer only when the format holds
    fewer rows, e.g. xlsx), to `path`."""

    path: Path
    format: str
    sql: str
    columns: list[str]
    row_count: int
    rows_total: int
    duration_ms: float
    private: bool = True  # 0600: it may hold personal data as stored (else the umask's mode)

    @property
    def truncated(self) -> bool:
        return self.row_count < self.rows_total


def export_format(path: Path) -> str:
    """The format chosen by the file's extension, or a usage error saying which exist."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ExportUsageError(
            f"cannot tell the export format of {path.name!r}",
            "end the file name with .csv, .jsonl, .parquet or .xlsx",
        )
    return fmt


def guard_uncapped(sql: str, ctx: GuardContext) -> str:
    """The guard's every rule except the row cap: an export or a count wants every row."""
    return guard_sql(sql, ctx, rules=tuple(r for r in RULES if r.__name__ != "row_cap"))


def count_rows(warehouse: Path, sql: str, ctx: GuardContext, timeout_s: float = 30.0) -> int | None:
    """How many rows `sql` returns without the row cap (None when that cannot be told in time)."""
    safe = guard_uncapped(sql, ctx)
    con = open_reader(warehouse)
    timer = threading.Timer(timeout_s, con.interrupt)
    timer.start()
    try:
        found = con.execute(f"SELECT count(*) FROM ({safe})").fetchall()
        return int(found[0][0])
    except duckdb.Error:
        return None
    finally:
        timer.cancel()
        con.close()


def export_query(
    warehouse: Path,
    sql: str,
    out: Path,
    *,
    ctx: GuardContext,
    source: str = "sql",
    question: str | None = None,
    progress: Progress | None = None,
    rows: Sequence[Sequence[Any]] | None = None,
) -> ExportResult:
    """Guard `sql` (no row cap), stream every row to `out` and audit the outcome with the row
    count. `rows`: an answer's whole table as shown (what `sql` returned, then cut or edited by
    the answer: a top N read one row past its cut, groups with no figure blanked), written as
    they are instead of running `sql` again, so the file holds what was shown. Raises
    GuardError, QueryError, ExportError."""
    from shopql.warehouse.query import audit

    fmt = export_format(out)
    outcome, result = "refused", None
    try:
        safe = guard_uncapped(sql, ctx)
        outcome = "error"
        from shopql.warehouse.audit import fold_before

        fold_before(warehouse, safe)  # `_audit` exported: the questions' pending records first
        private = shows_personal_data(safe, ctx)
        result = _write(warehouse, safe, out, fmt, progress, private, rows)
        outcome = "ok"
        return result
    finally:
        audit(warehouse, ctx.role, source, question, sql, result, outcome)


def _write(
    warehouse: Path,
    safe: str,
    out: Path,
    fmt: str,
    progress: Progress | None,
    private: bool,
    rows: Sequence[Sequence[Any]] | None = None,
) -> Any:
    started = time.perf_counter()
    with output_file(out, private=private) as tmp:
        out = tmp.with_name(out.name)
        con = open_reader(warehouse, allowed_paths=[tmp] if fmt == "parquet" else ())
        try:
            if rows is not None and fmt == "parquet":
                # the query's own column types (bound, LIMIT 0 runs nothing), the rows given
                con.execute(f"CREATE TEMP TABLE shown AS SELECT * FROM ({safe}) AS q LIMIT 0")
                columns = [d[0] for d in con.execute("DESCRIBE shown").fetchall()]
                marks = ", ".join("?" for _ in columns)
                if rows:
                    con.executemany(f"INSERT INTO shown VALUES ({marks})", [list(r) for r in rows])
                columns, written, total = _copy_parquet(con, "SELECT * FROM shown", tmp, progress)
            elif rows is not None:
                cursor = con.execute(f"SELECT * FROM ({safe}) AS q LIMIT 0")
                columns = [d[0] for d in cursor.description or []]
                written, total = WRITERS[fmt](tmp, columns, iter([list(rows)]), progress)
            elif fmt == "parquet":
                columns, written, total = _copy_parquet(con, safe, tmp, progress)
            else:
                cursor = con.execute(safe)
                columns = [d[0] for d in cursor.description or []]
                written, total = WRITERS[fmt](tmp, columns, _batches(cursor), progress)
        except duckdb.Error as e:
            raise QueryError(f"export failed: {str(e).splitlines()[0]}") from e
        finally:
            con.close()
    ms = round((time.perf_counter() - started) * 1000, 2)
    return ExportResult(out, fmt, safe, columns, written, total, ms, private)


@contextlib.contextmanager
def output_file(out: Path, *, private: bool = True) -> Iterator[Path]:
    """A file the caller writes in full, then put at `out` in one rename (an interrupted write
    leaves nothing behind). The one way shopql writes a user's output file (`--out`, segment
    exports): the temporary file is created new with a random name (O_EXCL: a symbolic link
    planted at a guessable name in a shared folder is never written through), and `out` is
    refused when it is a symbolic link or not a regular file — the rename would otherwise
    follow a link planted at `out` (``/tmp/report.csv -> ~/.bashrc``) or replace a folder.
    The file is readable by its owner only when `private` (the default: closed), else it gets
    the mode of any new file of the user (0666 less the umask)."""
    import tempfile

    out = out.expanduser()
    folder = out.parent.resolve()
    if not folder.is_dir():
        raise ExportError(f"no folder {out.parent}", "create it first or choose another --out")
    target = folder / out.name
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise ExportError(
            f"{out} is {'a symbolic link' if target.is_symlink() else 'not a regular file'}",
            "give a plain file path to write (a link is never written through)",
        )
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=folder)
    except OSError as e:  # a read-only folder (/proc, another user's): say the folder, not the temp
        raise ExportError(
            f"cannot write in {out.parent}: {e.strerror or type(e).__name__}",
            "choose a folder you may write in for --out",
        ) from e
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if not private:  # mkstemp made it 0600
            os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def current_umask() -> int:
    """This process's umask (read by setting it, then putting it back)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _batches(cursor: Any) -> Iterator[list[tuple[Any, ...]]]:
    while batch := cursor.fetchmany(BATCH_ROWS):
        yield batch


def _copy_parquet(
    con: Any, safe: str, tmp: Path, progress: Progress | None
) -> tuple[list[str], int, int]:
    columns = [d[0] for d in con.execute(f"DESCRIBE {safe}").fetchall()]
    target = str(tmp).replace("'", "''")
    done = threading.Event()
    if progress:
        threading.Thread(target=_poll_progress, args=(con, progress, done), daemon=True).start()
    try:
        found = con.execute(
            f"COPY ({safe}) TO '{target}' (FORMAT parquet, USE_TMP_FILE false)"
        ).fetchall()
    finally:
        done.set()
    written = int(found[0][0])
    if progress:
        progress(written, None)
    return columns, written, written


def _poll_progress(con: Any, progress: Progress, done: threading.Event) -> None:
    """Report DuckDB's own progress of a running COPY (it writes the rows, not Python)."""
    while not done.wait(0.2):
        try:
            percent = float(con.query_progress())
        except duckdb.Error:
            return
        if percent >= 0:
            progress(None, percent)


def _write_csv(
    path: Path, columns: list[str], batches: Iterator[list[Any]], progress: Progress | None
) -> tuple[int, int]:
    written = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        for batch in batches:
            writer.writerows([spreadsheet_text(csv_value(v)) for v in row] for row in batch)
            written += len(batch)
            if progress:
                progress(written, None)
    return written, written


def _write_jsonl(
    path: Path, columns: list[str], batches: Iterator[list[Any]], progress: Progress | None
) -> tuple[int, int]:
    written = 0
    keys = [json.dumps(str(c), ensure_ascii=False) for c in columns]
    with path.open("w", encoding="utf-8") as f:
        for batch in batches:
            f.writelines(_jsonl_line(keys, row) for row in batch)
            written += len(batch)
            if progress:
                progress(written, None)
    return written, written


def _jsonl_line(keys: list[str], row: Sequence[Any]) -> str:
    pairs = ", ".join(f"{k}: {exact_json(v)}" for k, v in zip(keys, row, strict=True))
    return "{" + pairs + "}\n"


def _write_xlsx(
    path: Path, columns: list[str], batches: Iterator[list[Any]], progress: Progress | None
) -> tuple[int, int]:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    styles = _xlsx_styles(book)
    sheet = book.add_worksheet("result")
    sheet.write_row(0, 0, columns, styles["header"])
    written = total = 0
    for batch in batches:
        total += len(batch)
        for row in batch[: max(0, XLSX_MAX_ROWS - written)]:
            written += 1
            for c, value in enumerate(row):
                _xlsx_cell(sheet, written, c, value, styles)
        if progress:
            progress(written, None)
    book.close()
    return written, total


def _xlsx_styles(book: Any) -> dict[str, Any]:
    return {
        "header": book.add_format({"bold": True}),
        "money": book.add_format({"num_format": "#,##0.00"}),
        "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
    }


def _xlsx_cell(sheet: Any, r: int, c: int, value: Any, styles: dict[str, Any]) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(r, c, value)
    elif isinstance(value, decimal.Decimal):
        places = -int(value.as_tuple().exponent) if value.is_finite() else 0
        sheet.write_number(r, c, float(value), styles["money"] if places == 2 else None)
    elif isinstance(value, (int, float)) and math.isfinite(value):
        sheet.write_number(r, c, value)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(r, c, value.replace(tzinfo=None), styles["datetime"])
    elif isinstance(value, dt.date):
        sheet.write_datetime(r, c, value, styles["date"])
    else:
        sheet.write_string(r, c, csv_value(value))  # text stays text, never a formula


WRITERS: dict[str, Callable[..., tuple[int, int]]] = {
    "csv": _write_csv,
    "jsonl": _write_jsonl,
    "xlsx": _write_xlsx,
}


# What a spreadsheet reads as a formula at the start of a cell (OWASP "CSV injection"), and the
# text that starts so but holds no formula: numbers, signed amounts, phones, masked phones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_LIKE = re.compile(r"[+-]?[0-9][0-9 ().,*/:-]*")


def spreadsheet_text(value: Any) -> Any:
    """`value`, with a leading apostrophe when it is text a spreadsheet would run as a formula
    (a stranger's nick, title or order number such as ``=HYPERLINK(…)``): for .csv files."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _NUMBER_LIKE.fullmatch(value)
    ):
        return "'" + value
    return value


def csv_value(value: Any) -> Any:
    """A CSV cell: DECIMAL as its exact text, timestamps as '2026-11-30 23:58:00', NULL empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time, decimal.Decimal)):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, (list, tuple, dict)):
        return exact_json(value)
    return value


def exact_json(value: Any, indent: int | None = None, _level: int = 0) -> str:
    """JSON text with DECIMAL written exactly as a number (943121.70), timestamps as ISO strings.

    `json.dumps` cannot write a Decimal as a number without going through float."""
    if isinstance(value, decimal.Decimal):
        return str(value) if value.is_finite() else "null"
    if isinstance(value, float) and not math.isfinite(value):
        return "null"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return json.dumps(value.isoformat())
    if isinstance(value, dt.timedelta):
        return json.dumps(value.total_seconds())
    if isinstance(value, (bytes, bytearray)):
        return json.dumps(value.hex())
    if isinstance(value, dict):
        items = [(json.dumps(str(k), ensure_ascii=False), v) for k, v in value.items()]
        return _container(
            "{", "}", [f"{k}: {_sub(v, indent, _level)}" for k, v in items], indent, _level
        )
    if isinstance(value, (list, tuple)):
        return _container("[", "]", [_sub(v, indent, _level) for v in value], indent, _level)
    return json.dumps(value, ensure_ascii=False)


def _sub(value: Any, indent: int | None, level: int) -> str:
    return exact_json(value, indent, level + 1)


def _container(start: str, end: str, parts: list[str], indent: int | None, level: int) -> str:
    if not parts:
        return start + end
    if indent is None:
        return start + ", ".join(parts) + end
    inner, outer = "\n" + " " * indent * (level + 1), "\n" + " " * indent * level
    return start + inner + ("," + inner).join(parts) + outer + end
