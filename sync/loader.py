"""The sync engine: detect each file, stage it with DuckDB, clean and check it in SQL, and write
the canonical tables in one transaction per file, with quarantine and lineage.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from shopql.errors import ExitCode, SyncError
from shopql.sync import pseudonym, sqlgen
from shopql.sync.reader import (
    CHUNK,
    InputFile,
    LineScan,
    Sniffed,
    bare_cr,
    expand_inputs,
    lf_copy,
    line_ends_mixed,
    scan_text,
    sniff,
    utf8_copy,
)
from shopql.sync.registry import candidate_kinds, detect_kind
from shopql.sync.spec import ADDRESS_PARTS, FileKind, TargetSpec, normalize_header
from shopql.sync.stopping import (
    INTERRUPTED,
    INTERRUPTED_HINT,
    RunStop,
    SyncStopped,
    stop_if_fatal,
)
from shopql.warehouse import changes, person_key
from shopql.warehouse.connection import database_path
from shopql.warehouse.derived import ONE_ID, mark_stale
from shopql.warehouse.faults import fault_point, fault_soon

ProgressFn = Callable[[str, str, float], None]  # (file shown to the user, phase, run fraction 0..1)

# DuckDB's read of a file: a line over MAX_LINE bytes is rejected ("line is too long"); its read
# buffer (READ_BUFFER) is named, see `_raw_view`. DuckDB's parallel reader (2.0.1) can drop such a
# line without listing it as rejected (a 15 MB line across a buffer's end; any line longer than the
# buffer), which its one-thread reader never does: a file with a line over LONG_LINE bytes (half
# the limit, a margin over how DuckDB counts a line; far longer than any row of an export) is read
# on one thread. The longest line is measured while the file is hashed (LineScan).
# The same reader splits a record holding a quoted line break into extra rows, without error,
# when a read buffer's boundary (every READ_BUFFER bytes of the text) falls between the field's
# opening quote and its line break: the record is read whole, and again from the line break on
# by the thread reading the next buffer (with store_rejects; anywhere else it refuses a quoted
# line break, and the file is read on one thread). A file with a line holding an odd number of quotes (found while
# hashing, LineScan.odd_quotes) that the parallel reader took is read again on one thread.
MAX_LINE = 10_000_000
READ_BUFFER = 33_554_432
LONG_LINE = MAX_LINE // 2
assert LONG_LINE > CHUNK  # LineScan measures every line longer than its chunks

REJECT_REASONS = {
    "TOO MANY COLUMNS": "row has more fields than the header",
    "UNQUOTED VALUE": "unbalanced quotes (damaged or truncated row)",
    "INVALID ENCODING": "invalid characters for the file's encoding",
    "INVALID UNICODE": "invalid characters for the file's encoding",
    "MISSING COLUMNS": "row is cut short: fewer fields than the header (truncated file?)",
    "LINE SIZE OVER MAXIMUM": "line is too long to be a row of this table",
}


@dataclass
class FileResult:
    """What happened to one input file."""

    file: str
    status: str  # loaded | already synced | skipped | failed
    source: str | None = None
    kind: str | None = None
    encoding: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    tables: dict[str, int] = field(default_factory=dict)
    reason: str | None = None
    unmapped: dict[str, list[str]] = field(default_factory=dict)  # column -> raw values (other)
    file_id: int | None = None
    seconds: float = 0.0
    started_at: dt.datetime | None = None


@dataclass
class SyncReport:
    """The outcome of one `shopql sync`."""

    files: list[FileResult] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    def totals(self) -> dict[str, int]:
        keys = ("rows_read", "rows_loaded", "rows_quarantined")
        totals = {k: sum(getattr(f, k) for f in self.files) for k in keys}
        for status in ("loaded", "already synced", "skipped", "failed"):
            totals[f"files_{status.replace(' ', '_')}"] = sum(
                1 for f in self.files if f.status == status
            )
        return totals

    def to_dict(self) -> dict[str, object]:
        return {"files": [asdict(f) for f in self.files], "totals": self.totals()}


class Tracker:
    """Turns each file's phases into one fraction of the whole run (weighted by file size)."""

    PHASES = {"reading": (0.0, 0.5), "checking": (0.5, 0.7), "writing": (0.7, 1.0)}

    def __init__(self, progress: ProgressFn | None, sizes: list[int]) -> None:
        self.progress = progress
        self.total = max(sum(sizes), 1)
        self.done = 0
        self.size = 0
        self.file = ""

    def start(self, file: str, size: int) -> None:
        self.file, self.size = file, size

    def phase(self, name: str, within: float = 0.0) -> None:
        if self.progress is None:
            return
        lo, hi = self.PHASES[name]
        part = self.size * (lo + (hi - lo) * min(max(within, 0.0), 1.0))
        self.progress(self.file, name, min((self.done + part) / self.total, 1.0))

    def finish(self) -> None:
        self.done += self.size
        if self.progress is not None:
            self.progress(self.file, "done", min(self.done / self.total, 1.0))


@contextmanager
def _watching(con: duckdb.DuckDBPyConnection, report: Callable[[float], None]) -> Iterator[None]:
    """Report DuckDB's own progress of the running statement (polled from a thread)."""
    stop = threading.Event()

    def poll() -> None:
        while not stop.wait(0.25):
            try:
                percent = con.query_progress()
            except duckdb.Error:
                return
            if percent >= 0:
                report(percent / 100)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@dataclass(frozen=True)
class FilePlan:
    """A file with its detected kind, ready to load."""

    input: InputFile
    readable: Path  # the file DuckDB reads (the original, or a CSV made from an .xlsx)
    sniffed: Sniffed
    kind: FileKind


def sync_paths(
    con: duckdb.DuckDBPyConnection,
    paths: list[Path],
    *,
    timezone: str,
    platform: str | None = None,
    mapping: Path | None = None,
    force: bool = False,
    progress: ProgressFn | None = None,
) -> SyncReport:
    """Sync files and folders into the warehouse behind `con` (a writer connection).

    Raises:
        SyncError: a file named explicitly cannot be read or matches no known layout; nothing
            was written.
    """
    report = SyncReport()
    kinds = candidate_kinds(platform, mapping)
    try:
        _sync_into(con, paths, report, kinds, timezone, platform, mapping, force, progress)
    except KeyboardInterrupt as e:  # while listing or detecting files: nothing was written
        raise SyncStopped(
            INTERRUPTED, INTERRUPTED_HINT, report, exit_code=ExitCode.INTERRUPTED
        ) from e
    return report


def _sync_into(
    con: duckdb.DuckDBPyConnection,
    paths: list[Path],
    report: SyncReport,
    kinds: list[FileKind],
    timezone: str,
    platform: str | None,
    mapping: Path | None,
    force: bool,
    progress: ProgressFn | None,
) -> None:
    database = database_path(con)
    with tempfile.TemporaryDirectory(prefix="shopql-sync-") as tmp:
        work = Path(tmp)
        inputs, skipped = expand_inputs(paths, work)
        report.files.extend(FileResult(name, "skipped", reason=why) for name, why in skipped)
        plans: list[FilePlan] = []
        for item in inputs:
            if item.problem:
                report.files.append(FileResult(item.display, "failed", reason=item.problem))
                continue
            plan, why = _plan(item, kinds, work, platform, mapping)
            if plan is None:
                report.files.append(FileResult(item.display, "skipped", reason=why))
            elif plan.kind.skip_reason:
                report.files.append(
                    FileResult(
                        item.display,
                        "skipped",
                        source=plan.kind.source,
                        kind=plan.kind.kind,
                        reason=plan.kind.skip_reason,
                    )
                )
            else:
                plans.append(plan)
        for statement in sqlgen.macros(timezone):
            con.execute(statement)
        con.execute(pseudonym.macro(pseudonym.sync_key(con, database)))
        con.execute(pseudonym.CACHE)
        tracker = Tracker(progress, [p.input.path.stat().st_size for p in plans])
        for i, plan in enumerate(plans):
            tracker.start(plan.input.display, plan.input.path.stat().st_size)
            tracker.phase("reading")
            row = con.execute("SELECT coalesce(max(file_id), 0) FROM _sync_files").fetchone()
            last_file_id = int(row[0]) if row else 0
            try:
                result = load_file(con, plan, work, force=force, tracker=tracker, database=database)
            except KeyboardInterrupt as e:  # outside its transaction: before or after it
                stopped = SyncStopped(
                    INTERRUPTED,
                    INTERRUPTED_HINT,
                    report,
                    current=plan.input.display,
                    pending=[p.input.display for p in plans[i + 1 :]],
                    exit_code=ExitCode.INTERRUPTED,
                )
                # before its transaction (still hashing) or after its commit: the files table
                # tells which once the writer is closed (engine._settle)
                stopped.current_kept = None
                stopped.files_before = last_file_id
                raise stopped from e
            except RunStop as stop:
                raise SyncStopped(
                    stop.cause,
                    stop.hint,
                    report,
                    current=plan.input.display,
                    pending=[p.input.display for p in plans[i + 1 :]],
                    exit_code=stop.exit_code,
                    current_file_id=stop.file_id,
                ) from stop.__cause__
            report.files.append(result)
            tracker.finish()
        con.execute("DROP TABLE IF EXISTS _pseudo")  # raw keys live no longer than the run


def _plan(
    item: InputFile, kinds: list[FileKind], work: Path, platform: str | None, mapping: Path | None
) -> tuple[FilePlan | None, str]:
    """Detect a file's kind; an explicitly named file that fails raises instead of skipping."""
    try:
        readable = item.path
        sniffed = sniff(readable)
    except SyncError as e:
        if item.explicit:
            raise SyncError(f"{item.display}: {e.message}", e.hint) from e
        return None, e.message
    headers = {normalize_header(h) for h in sniffed.header}
    first_line = sniffed.delimiter.join(sniffed.header)
    kind = detect_kind(headers, first_line, kinds)
    if kind is not None and not kind.quote and sniffed.quoted_header:
        # a layout that never quotes, written by a tool that quotes every field: read its quotes
        kind = dataclasses.replace(kind, quote='"')
    if kind is not None:
        return FilePlan(item, readable, sniffed, kind), ""
    shown = ", ".join(h.strip() for h in sniffed.header[:6]) + (
        ", …" if len(sniffed.header) > 6 else ""
    )
    why = f"header row matches no known export (columns: {shown})"
    if platform or mapping:
        why = f"header row does not match {mapping or platform} (columns: {shown})"
    if item.explicit:
        raise SyncError(
            f"{item.display}: {why}",
            "pass --platform NAME to force a platform, or --mapping FILE.yaml for another layout",
        )
    return None, why


def file_sha256(path: Path, lines: LineScan | None = None) -> str:
    """The file's SHA-256; `lines`, when given, is fed the same bytes (see LineScan)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            if lines is not None:
                lines.feed(chunk)
    return digest.hexdigest()


class _Hashing:
    """A file's SHA-256 and a scan of the text it holds (LineScan: its longest line, lines with
    an odd number of quotes; a gzipped file's text read again unpacked), computed on a thread
    once started (hashlib releases the GIL while it hashes), or here when asked for first."""

    def __init__(self, path: Path, gzipped: bool, quote: str) -> None:
        self._path = path
        self._gzipped = gzipped
        self._quote = quote
        self._thread: threading.Thread | None = None
        self._sha: str | None = None
        self._error: BaseException | None = None
        self.lines = LineScan(quote)  # set with the hash

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            lines = None if self._gzipped else LineScan(self._quote)
            sha = file_sha256(self._path, lines)
            if lines:
                lines.close()
            self.lines = lines or scan_text(self._path, self._quote)
            self._sha = sha
        except BaseException as e:  # raised where the hash is asked for
            self._error = e

    def result(self) -> str:
        if self._thread is not None:
            self._thread.join()
        elif self._sha is None and self._error is None:
            self._run()
        if self._error is not None:
            raise self._error
        assert self._sha is not None
        return self._sha


def _same_size_synced(con: duckdb.DuckDBPyConnection, size: int) -> bool:
    row = con.execute("SELECT EXISTS (FROM _sync_files WHERE bytes = ?)", [size]).fetchone()
    return bool(row and row[0])


def _already_synced(
    con: duckdb.DuckDBPyConnection, sha: str, result: FileResult, force: bool
) -> bool:
    """Whether identical bytes were synced before (and `result` says so), unless forced."""
    seen = con.execute("SELECT file_id FROM _sync_files WHERE sha256 = ? LIMIT 1", [sha]).fetchone()
    if not seen or force:
        return False
    result.status = "already synced"
    result.file_id = int(seen[0])
    result.reason = "identical bytes were synced before (use --force to load again)"
    return True


def load_file(
    con: duckdb.DuckDBPyConnection,
    plan: FilePlan,
    work: Path,
    *,
    force: bool = False,
    tracker: Tracker | None = None,
    database: Path | None = None,
) -> FileResult:
    """Load one detected file atomically; a failure leaves the warehouse as it was.

    Raises:
        RunStop: Ctrl-C, or the warehouse's disk or file failed (`database` names it): the file
            was rolled back and the run must stop.
    """
    tracker = tracker or Tracker(None, [])
    started = time.perf_counter()
    kind = plan.kind
    result = FileResult(
        plan.input.display,
        "loaded",
        source=kind.source,
        kind=kind.kind,
        encoding=_encoding(plan),
        started_at=dt.datetime.now(),
    )
    # The hash says whether these bytes were synced before. Only a synced file of the same size
    # can be the same bytes: with none, the file is hashed while it is staged (the hash is read
    # on another thread; staging writes temporary objects only) instead of before.
    hashing = _Hashing(plan.input.path, plan.sniffed.gzipped, plan.kind.quote)
    if force or not _same_size_synced(con, plan.input.path.stat().st_size):
        hashing.start()
    elif _already_synced(con, hashing.result(), result, force):
        return result
    source_path = utf8_copy(plan.readable, result.encoding or plan.sniffed.encoding, work)
    in_transaction = False
    try:
        columns, headers = _columns(plan)
        field_columns = _field_columns(plan.kind, headers)
        with _watching(con, lambda f: tracker.phase("reading", f)):
            # temporary objects only: outside the transaction
            try:
                parallel = _stage(con, plan, source_path, columns, headers, field_columns)
            except duckdb.Error as e:
                # line ends of both kinds, or a CR that ends no line, stop DuckDB's reader:
                # read a copy with one kind of line end and no bare CR
                if "invalid state" not in str(e) or not (
                    line_ends_mixed(source_path) or bare_cr(source_path)
                ):
                    raise
                source_path = lf_copy(source_path, work)
                parallel = _stage(con, plan, source_path, columns, headers, field_columns)
        sha = hashing.result()
        if _already_synced(con, sha, result, force):
            return result  # (staging is dropped on the way out)
        lines = hashing.lines
        if source_path != plan.input.path:  # a transcoded copy: its own lines
            lines = scan_text(source_path, plan.kind.quote)
        # a line the parallel read may have dropped unseen, or quoted line breaks it took (the
        # records may have been split): read again on one thread
        if lines.longest > LONG_LINE or (lines.odd_quotes and parallel):
            with _watching(con, lambda f: tracker.phase("reading", f)):
                _stage(con, plan, source_path, columns, headers, field_columns, parallel=False)
        con.execute("BEGIN TRANSACTION")
        in_transaction = True
        before = changes.marks(con) if changes.has_log(con) else None
        _load(con, plan, columns, headers, field_columns, sha, result, tracker)
        if before is not None:  # same transaction: what the board's recent slice refreshes
            changes.record_write(
                con, before, plan.input.display, file_id=result.file_id,
                written=result.tables, lines_replaced=_lines_replaced(plan.kind),
            )  # fmt: skip
        # same transaction: a kill after this commit leaves OneID marked stale, not silently stale
        mark_stale(con, ONE_ID, f"{plan.input.display} loaded")
        fault_point("before_commit")
        fault_soon("in_commit")
        con.execute("COMMIT")
    except BaseException as e:
        if in_transaction:
            _quietly(con, "ROLLBACK")
        stop_if_fatal(e, database, result.file_id)
        if not isinstance(e, (duckdb.Error, SyncError)):
            raise
        result.status = "failed"
        result.reason = str(e).splitlines()[0]
        result.rows_loaded = result.rows_quarantined = 0
        result.tables = {}
    finally:
        _quietly(con, None)
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _lines_replaced(kind: FileKind) -> bool:
    """The kind writes order lines (if at all) by replacing each order's lines."""
    return all(
        t.mode == "replace" and list(t.key) == ["order_id"]
        for t in kind.targets
        if t.table == "order_items"
    )


def _quietly(con: duckdb.DuckDBPyConnection, statement: str | None) -> None:
    """Roll back or drop staging after a failure; a dead connection (a fatal error, Ctrl-C)
    must not hide the failure that brought us here."""
    try:
        if statement:
            con.execute(statement)
        _drop_staging(con)
    except (duckdb.Error, RuntimeError):
        pass


def _encoding(plan: FilePlan) -> str:
    """The encoding to read: a kind's own fallback replaces the GB18030 guess for non-UTF-8 text."""
    if plan.sniffed.encoding == "gb18030" and plan.kind.encoding_fallback:
        return plan.kind.encoding_fallback
    return plan.sniffed.encoding


def _columns(plan: FilePlan) -> tuple[list[str], list[str]]:
    """Positional column names for `_raw` and the header cells they stand for."""
    kind = plan.kind
    headers = list(plan.sniffed.header) if kind.header else list(kind.columns)
    return [f"c{i + 1}" for i in range(len(headers))], headers


def _field_columns(kind: FileKind, headers: list[str]) -> dict[str, int]:
    """Field name -> column index: the first header matching one of the field's aliases."""
    normalized = [normalize_header(h) for h in headers]
    found: dict[str, int] = {}
    missing: list[str] = []
    for f in kind.fields:
        idx = next((normalized.index(a) for a in f.aliases if a in normalized), None)
        if idx is not None:
            found[f.name] = idx
        elif f.required:
            missing.append(f.aliases[0] if f.aliases else f.name)
    if missing:
        raise SyncError(
            f"looks like {kind.label} but lacks column(s) {', '.join(missing)}",
            "export the file again with all columns",
        )
    return found


def _load(
    con: duckdb.DuckDBPyConnection,
    plan: FilePlan,
    columns: list[str],
    headers: list[str],
    field_columns: dict[str, int],
    sha: str,
    result: FileResult,
    tracker: Tracker,
) -> None:
    kind = plan.kind
    file_id = int(con.execute("SELECT nextval('_file_seq')").fetchone()[0])  # type: ignore[index]
    result.file_id = file_id
    tracker.phase("checking")
    header_lines = 1 if kind.header else 0
    # The lines the read that made `_clean` rejected. Rereading the file (`_raw`, for quarantined
    # rows' raw text) can reject more: DuckDB checks a cell's UTF-8 only when the cell is read,
    # and `_clean` reads only the mapped columns — a bad byte in an unmapped column is a row of
    # `_clean` there and a rejected line here. Counted and quarantined once, by this read.
    con.execute("CREATE OR REPLACE TEMP TABLE _rej_seen AS SELECT * FROM _rej")
    _whole_orders(con, kind)
    _quarantine(con, file_id, plan, columns, header_lines)
    tracker.phase("writing")
    required = frozenset(f.name for f in kind.fields if f.required and f.name in field_columns)
    for target in kind.targets:
        table_cols = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                [target.table],
            ).fetchall()
        }
        if not table_cols:
            raise SyncError(f"{kind.label}: unknown target table {target.table!r}")
        select, names = sqlgen.target_source(
            target, file_id, table_cols, bool(kind.address), required
        )
        if sqlgen.deduplicates(target):
            select = _latest(con, target, select, names)
        empty = not con.execute(f'SELECT EXISTS (FROM "{target.table}")').fetchone()[0]  # type: ignore[index]
        # the person key: orders naming their account (a file of lines alone names none)
        person = target.table == "orders" and "one_id" in table_cols and "customer_id" in names
        if person or _staged(kind, target, names, empty):
            con.execute(f"CREATE OR REPLACE TEMP TABLE _target_rows AS {select}")
            if kind.pseudonymise:
                pseudonym.pseudonymise_rows(con, "_target_rows", names)
            if person:  # same transaction as the orders
                names = person_key.stage_orders(con, "_target_rows", names)
            written = int(con.execute("SELECT count(*) FROM _target_rows").fetchone()[0])  # type: ignore[index]
            _note_unmapped(con, target.table, names, result)
            for statement in sqlgen.write_target(target, names, empty=empty):
                con.execute(statement)
        else:  # straight from `_clean` into the table: one INSERT, no copy of the rows
            *before, insert = sqlgen.write_target(target, names, f"({select})", empty=empty)
            for statement in before:
                con.execute(statement)
            written = int(con.execute(insert).fetchone()[0])  # type: ignore[index]
        result.tables[target.table] = result.tables.get(target.table, 0) + written
    counts = con.execute(
        "SELECT count(*) FILTER (WHERE len(_reasons) = 0), count(*) FROM _clean"
    ).fetchone()
    rejected = con.execute("SELECT count(DISTINCT line) FROM _rej_seen").fetchone()
    assert counts and rejected
    result.rows_loaded = int(counts[0])
    result.rows_read = int(counts[1]) + int(rejected[0])
    result.rows_quarantined = result.rows_read - result.rows_loaded
    con.execute(
        """INSERT INTO _sync_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
           ?, current_localtimestamp())""",
        [
            file_id,
            plan.input.display,
            sha,
            plan.input.path.stat().st_size,
            kind.source,
            kind.kind,
            result.encoding,
            result.rows_read,
            result.rows_loaded,
            result.rows_quarantined,
            result.started_at,
        ],
    )


def _latest(con: duckdb.DuckDBPyConnection, target: TargetSpec, rows: str, names: list[str]) -> str:
    """The SELECT of `rows` holding each key once, the latest row of the file winning."""
    con.execute(sqlgen.repeated_keys(target, rows))
    superseded = False
    if con.execute("SELECT EXISTS (FROM _repeated)").fetchone()[0]:  # type: ignore[index]
        con.execute(sqlgen.superseded_rows(target, rows))
        superseded = bool(con.execute("SELECT EXISTS (FROM _superseded)").fetchone()[0])  # type: ignore[index]
    return sqlgen.latest_rows(names, rows, superseded)


def _staged(kind: FileKind, target: TargetSpec, names: list[str], empty: bool) -> bool:
    """Whether a target's rows are staged in `_target_rows` before the write: to pseudonymise
    their keys, to report unmapped vocabulary values, or to count them before a MERGE (whose own
    count leaves out rows it skips). Otherwise one INSERT writes them and counts them."""
    from shopql.sync.vocab import STANDARD_COLUMNS

    if kind.pseudonymise and any(n in pseudonym.COLUMNS for n in names):
        return True
    if any(c in names for c in STANDARD_COLUMNS.get(target.table, {})):
        return True
    return not (empty or target.mode in {"append", "replace"})


def _note_unmapped(
    con: duckdb.DuckDBPyConnection, table: str, names: list[str], result: FileResult
) -> None:
    """Raw vocabulary values no canonical value matched: kept (as `other`) and reported."""
    from shopql.sync.vocab import OTHER, STANDARD_COLUMNS

    for col, (raw_col, _) in STANDARD_COLUMNS.get(table, {}).items():
        if col not in names or raw_col not in names:
            continue
        found = con.execute(
            f'SELECT DISTINCT "{raw_col}" FROM _target_rows WHERE "{col}" = ? ORDER BY 1 LIMIT 20',
            [OTHER],
        ).fetchall()
        if found:
            values = result.unmapped.setdefault(f"{table}.{col}", [])
            values += [v for (v,) in found if v not in values]


def _standardize_addresses(con: duckdb.DuckDBPyConnection, kind: FileKind) -> None:
    """Add the standardised address (addr_* columns) to `_clean`: each distinct address of the
    file is parsed once (sync/places.py), then joined back to its rows."""
    from shopql.sync.places import standardize

    parts = [kind.address.get(p) or "NULL" for p in ADDRESS_PARTS]
    keyed = ", ".join(f"({e})::VARCHAR AS _a{i}" for i, e in enumerate(parts))
    con.execute(f"CREATE TEMP TABLE _keyed AS SELECT *, {keyed} FROM _clean")
    keys = ", ".join(f"_a{i}" for i in range(len(parts)))
    distinct = con.execute(f"SELECT DISTINCT {keys} FROM _keyed WHERE len(_reasons) = 0").fetchall()
    places = standardize([tuple(r) for r in distinct])  # type: ignore[misc,unused-ignore]
    names = list(sqlgen.ADDRESS_COLUMNS.values())
    fields = [n.removeprefix("addr_") for n in names]
    lists = [[r[i] for r in distinct] for i in range(len(parts))]
    lists += [[getattr(p, f) for p in places] for f in fields]
    select = ", ".join(
        [f"unnest(${i + 1}::VARCHAR[]) AS k{i}" for i in range(len(parts))]
        + [f"unnest(${len(parts) + j + 1}::VARCHAR[]) AS {n}" for j, n in enumerate(names)]
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE _addr AS SELECT {select}", lists)
    on = " AND ".join(f"c._a{i} IS NOT DISTINCT FROM a.k{i}" for i in range(len(parts)))
    con.execute(
        f"""CREATE TEMP TABLE _placed AS
        SELECT c.* EXCLUDE ({keys}), {", ".join(f"a.{n}" for n in names)}
        FROM _keyed c LEFT JOIN _addr a ON {on}"""
    )
    con.execute("DROP TABLE _keyed")
    con.execute("CREATE OR REPLACE TEMP VIEW _clean AS SELECT * FROM _placed")


def _trailing_empty(headers: list[str]) -> set[int]:
    """Indexes of empty header cells at the end of the header row (a trailing delimiter)."""
    out: set[int] = set()
    for i in range(len(headers) - 1, 0, -1):
        if headers[i].strip():
            break
        out.add(i)
    return out


def _drop_staging(con: duckdb.DuckDBPyConnection) -> None:
    for view in ("_clean", "_raw", "_cells"):
        con.execute(f"DROP VIEW IF EXISTS {view}")
    for table in (
        "_checked",
        "_keyed",
        "_placed",
        "_target_rows",
        "_rej",
        "_rej_seen",
        "_rej_more",
        "_qrows",
        "_qraw",
        "_torn",
        "_rejscan",
        "_addr",
        "_repeated",
        "_superseded",
    ):
        con.execute(f"DROP TABLE IF EXISTS {table}")


def _stage(
    con: duckdb.DuckDBPyConnection,
    plan: FilePlan,
    path: Path,
    columns: list[str],
    headers: list[str],
    field_columns: dict[str, int],
    *,
    parallel: bool = True,
) -> bool:
    """Read the file as text (the `_raw` view: one column per header cell, parser rejects kept in
    `_rej`) and clean, type and check it in the same pass into `_clean`; on one thread unless
    `parallel` (DuckDB's parallel reader, when it can read the file). Whether it read in parallel."""
    kind = plan.kind
    trailing_ok = set(range(1, len(headers))) if kind.ragged else _trailing_empty(headers)
    keep_raw = sqlgen.raw_fields_used(kind)
    keep_typed = sqlgen.typed_fields_used(kind)
    parts = (kind, columns, headers, field_columns, trailing_ok, keep_raw)
    # Rows are numbered (`_row`: quarantine lines, latest row wins) by `_checked`'s rowid when its
    # plan keeps file order (scan, projections: DuckDB keeps insertion order), which lets the
    # read and every check run on all threads; else by row_number() while reading, on one.
    # (DuckDB would plan the checks' IN lists as joins, which do not keep order: kept as lists)
    con.execute("SET preserve_insertion_order = true")  # DuckDB's default, relied on here
    optimizers = con.execute("SELECT current_setting('disabled_optimizers')").fetchone()[0]  # type: ignore[index]
    con.execute("SET disabled_optimizers = 'in_clause'")
    try:
        while True:
            try:
                _raw_view(con, plan, path, columns, parallel=parallel)
                clean = sqlgen.clean_select(*parts, "_cells", keep_typed)
                if _keeps_order(con, clean):
                    con.execute(f"CREATE TEMP TABLE _checked AS {clean}")
                    con.execute(
                        "CREATE TEMP VIEW _clean AS SELECT rowid + 1 AS _row, * FROM _checked"
                    )
                else:
                    con.execute(
                        f"CREATE TEMP TABLE _checked AS {sqlgen.clean_select(*parts, keep_typed=keep_typed)}"
                    )
                    con.execute("CREATE TEMP VIEW _clean AS SELECT * FROM _checked")
                break
            except duckdb.Error as e:
                # DuckDB's parallel reader cannot pad short rows when quoted fields hold line
                # breaks.
                if "parallel" not in str(e) or not parallel:
                    raise
                parallel = False
    finally:
        _quietly_set(con, optimizers or "")
    if kind.address:
        _standardize_addresses(con, kind)
    return parallel


def _quietly_set(con: duckdb.DuckDBPyConnection, optimizers: str) -> None:
    """Restore the optimizers; a dead connection must not hide why it died."""
    try:
        con.execute("SET disabled_optimizers = ?", [optimizers])
    except (duckdb.Error, RuntimeError):
        pass


ORDER_KEEPING = {"PROJECTION", "FILTER", "READ_CSV", "TABLE_SCAN", "EMPTY_RESULT", "DUMMY_SCAN"}


def _keeps_order(con: duckdb.DuckDBPyConnection, select: str) -> bool:
    """True when DuckDB's plan for `select` only reads and projects (so rows stay in file order)."""
    import json

    plan = json.loads(con.execute(f"EXPLAIN (FORMAT json) {select}").fetchall()[0][1])
    stack = list(plan)
    while stack:
        node = stack.pop()
        if node.get("name") not in ORDER_KEEPING:
            return False
        stack += node.get("children", [])
    return True


def _raw_view(
    con: duckdb.DuckDBPyConnection, plan: FilePlan, path: Path, columns: list[str], parallel: bool
) -> None:
    spec = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in columns) + "}"
    delimiter = plan.kind.delimiter or plan.sniffed.delimiter
    quote = sqlgen.lit(plan.kind.quote)
    _drop_staging(con)
    # Views, not tables: the file is scanned once (`_cells`) into `_checked`, and again (`_raw`,
    # its rows numbered) only to show the raw lines of quarantined rows. The buffer is named:
    # DuckDB sizes it from the line limit, and with 10 MB lines order_items written from
    # `_checked` came in row groups the checkpoint compressed again, on one thread (measured at
    # 1 M lines: 0.3 CPU s more at close, order_items a third larger).
    con.execute(
        f"""CREATE TEMP VIEW _cells AS
        SELECT * FROM read_csv({sqlgen.lit(str(path))}, columns = {spec},
            header = {plan.kind.header}, delim = {sqlgen.lit(delimiter)}, quote = {quote},
            escape = {quote}, auto_detect = false, null_padding = true, nullstr = chr(1),
            store_rejects = true, rejects_table = '_rej', rejects_scan = '_rejscan',
            max_line_size = {MAX_LINE}, buffer_size = {READ_BUFFER}, strict_mode = true,
            parallel = {parallel})"""
    )
    con.execute("CREATE TEMP VIEW _raw AS SELECT row_number() OVER () AS _row, * FROM _cells")


def _quarantine(
    con: duckdb.DuckDBPyConnection,
    file_id: int,
    plan: FilePlan,
    columns: list[str],
    header_lines: int,
) -> None:
    """Write rejected rows (parser errors and failed checks) to `_quarantine` with line numbers."""
    display = plan.input.display
    raw = sqlgen.raw_line(columns, plan.kind.delimiter or plan.sniffed.delimiter)
    failed = con.execute("SELECT count(*) FROM _clean WHERE len(_reasons) > 0").fetchone()
    if failed and failed[0]:  # only then is the file read again, for the raw lines
        _quarantine_checked(con, file_id, display, raw, header_lines)
    reasons = "CASE error_type " + " ".join(
        f"WHEN {sqlgen.lit(k)} THEN {sqlgen.lit(v)}" for k, v in REJECT_REASONS.items()
    )
    con.execute(
        f"""INSERT INTO _quarantine (file_id, path, line, raw, reason, created_at)
        SELECT ?, ?, line, rtrim(any_value(csv_line), chr(13) || chr(10)),
               any_value({reasons} ELSE error_message END), current_localtimestamp()
        FROM _rej_seen GROUP BY line""",
        [file_id, display],
    )


def _quarantine_checked(
    con: duckdb.DuckDBPyConnection, file_id: int, display: str, raw: str, header_lines: int
) -> None:
    """Quarantine the rows that failed a check, each with its line and its raw text from a
    second read of the file (`_raw`). A checked row's line: its ordinal plus the header plus the
    lines the first read rejected before it. The second read reads every column, so it can
    reject a line the first took (a bad byte in an unmapped column, `_load`): rows after such a
    line come one place earlier in it, and the line itself has only the parser's text."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _qrows AS
        SELECT c._row, c._row + {header_lines} + (
                 SELECT count(*) FROM (
                   SELECT line - {header_lines} - row_number() OVER (ORDER BY line) AS before
                   FROM (SELECT DISTINCT line FROM _rej_seen)) WHERE before < c._row) AS line,
               c._reasons
        FROM _clean c WHERE len(c._reasons) > 0"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _qraw AS
        SELECT r._row, {raw} AS raw FROM _raw r JOIN _qrows q USING (_row)"""
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _rej_more AS
        SELECT DISTINCT line FROM _rej EXCEPT SELECT DISTINCT line FROM _rej_seen"""
    )
    if con.execute("SELECT count(*) FROM _rej_more").fetchone()[0]:  # type: ignore[index]
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE _qraw AS
            SELECT q._row, {raw} AS raw FROM _raw r JOIN (
                SELECT _row, _row - (SELECT count(*) FROM _rej_more m WHERE m.line < q.line)
                       AS raw_row
                FROM _qrows q WHERE line NOT IN (SELECT line FROM _rej_more)) q
              ON r._row = q.raw_row"""
        )
    con.execute(
        """INSERT INTO _quarantine (file_id, path, line, raw, reason, created_at)
        SELECT ?, ?, q.line, coalesce(w.raw, (
                 SELECT rtrim(any_value(csv_line), chr(13) || chr(10)) FROM _rej
                 WHERE _rej.line = q.line)), q._reasons, current_localtimestamp()
        FROM _qrows q LEFT JOIN _qraw w USING (_row)""",
        [file_id, display],
    )


def _whole_orders(con: duckdb.DuckDBPyConnection, kind: FileKind) -> None:
    """An order is loaded whole or not at all: when a row of an order fails a check, the order's
    other rows in the file are quarantined with it (a reason naming the order). Shopify writes
    an order's totals on its first row only: with that row quarantined, the order's other lines
    loaded as an order paid 0.00 — a wrong number in every sum, found by syncing an export with
    one damaged amount (bench/hunts/sync_mutations.py)."""
    key = next(
        (t.columns["order_id"] for t in kind.targets if "order_id" in t.columns and t.key),
        None,
    )
    if key is None:
        return
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _torn AS
        SELECT DISTINCT ({key}) AS k FROM _clean WHERE len(_reasons) > 0 AND ({key}) IS NOT NULL"""
    )
    if not con.execute("SELECT count(*) FROM _torn").fetchone()[0]:  # type: ignore[index]
        return
    backing = "_placed" if kind.address else "_checked"  # the table `_clean` reads
    con.execute(
        f"""UPDATE {backing} SET _reasons = 'another row of order ' || ({key})
              || ' failed a check: the order is kept out whole (fix that row and sync again)'
        WHERE len(_reasons) = 0 AND ({key}) IN (SELECT k FROM _torn)"""
    )
