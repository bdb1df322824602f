"""The audit trail: every query that returns rows to a user is recorded, or its rows are not
returned.

Records go to the `_audit` table. When the warehouse cannot be written right now (a sync holds
it, the file is read-only), they are appended to `.shopql/audit.jsonl` in the workspace — one
JSON line each, under an exclusive lock, fsynced — and merged into `_audit` by the next process
that opens the warehouse for writing (``warehouse.connection.open_writer``). Only when neither
can be written does a query that returned rows fail (``AuditError``).

A question's records (``write(..., journal=True)``: `shopql ask`, chat, the board's Ask panel)
go to that file first: an append costs a fraction of a millisecond where opening the warehouse
for writing costs tens. They are as durable (fsynced before the answer is printed) and are folded
into `_audit` by the next writer, by any guarded query that reads `_audit` (``fold_before``), or
by the asking process itself once the file passes FOLD_BYTES. A fold is idempotent: the file it
claimed is noted in `_meta` in the same transaction as its rows, so a fold killed between its
commit and the file's removal is not inserted twice.

The journal is a file in the workspace, so a fold trusts none of its lines: each must be a record
as ``records`` writes it (exactly its keys, their types and lengths, an ISO timestamp that is not
in the future, a role of the workspace, a known outcome). A line that is not — forged, damaged,
cut short by a crash, or longer than any record — is not folded as a record: it becomes one row
with outcome ``rejected`` (the reason in `question`, the line's start in `sql`, no role), so the
admin sees it in `_audit` and `shopql doctor` reports it, and the valid lines around it fold as
usual.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from shopql.errors import QueryError

PENDING = Path(".shopql") / "audit.jsonl"
MAX_SQL_CHARS = 20_000  # what one record keeps of a query's text (an 800 KB reply is cut)
MAX_QUESTION_CHARS = 2_000
FOLD_BYTES = 1_000_000  # a journal this large is folded in by the process that wrote it
FOLDED = "audit_folded:"  # `_meta` key of a claimed file already merged (value: its rows)
COLUMNS = ("executed_at", "role", "source", "question", "sql", "rows", "duration_ms", "outcome")
OUTCOMES = frozenset({"ok", "refused", "error"})
REJECTED = "rejected"  # the outcome of a journal line that was not a valid record
MAX_LINE_BYTES = 256 * 1024  # above any record (20,000 + 2,000 characters, JSON-escaped)
KEPT_OF_REJECTED = 2_000  # characters of a rejected line kept in its row
FUTURE_SLACK = dt.timedelta(hours=2)  # local times: a DST change moves the clock back an hour

AuditEntry = tuple[str, str | None, str, Any, str]  # source, question, sql, result, outcome


class AuditError(QueryError):
    """The audit record could be written neither to the warehouse nor to the workspace."""


def clip(text: str | None, limit: int) -> str | None:
    """`text` cut to `limit` characters, saying how much was left out."""
    if text is None or len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit:,} more characters not kept]"


def row_count(result: Any) -> int | None:
    """Rows returned, or written by an export (which holds a count, not the rows)."""
    if result is None:
        return None
    count = getattr(result, "row_count", None)
    return int(count) if count is not None else len(result.rows)


def records(role: str, entries: list[AuditEntry]) -> list[dict[str, Any]]:
    """One record per entry (a result is anything with `rows` and `duration_ms`)."""
    now = dt.datetime.now().isoformat(timespec="microseconds")
    return [
        {
            "executed_at": now,
            "role": role,
            "source": source,
            "question": clip(question, MAX_QUESTION_CHARS),
            "sql": clip(sql, MAX_SQL_CHARS),
            "rows": row_count(result),
            "duration_ms": result.duration_ms if result is not None else None,
            "outcome": outcome,
        }
        for source, question, sql, result, outcome in entries
    ]


def insert(con: Any, rows: list[dict[str, Any]]) -> None:
    """`rows` into `_audit` in one statement: one VALUES row of parameters each (executemany ran
    the statement once a row, ~1.5 ms each: folding a journal of 1,000 records cost 1.5 CPU s,
    one statement 0.13 s; the rows stored are the same, value for value)."""
    if not rows:
        return
    row = "(" + ", ".join("?" for _ in COLUMNS) + ")"
    con.execute(
        f"INSERT INTO _audit ({', '.join(COLUMNS)}) VALUES {', '.join(row for _ in rows)}",
        [r.get(c) for r in rows for c in COLUMNS],
    )


def write(warehouse: Path, role: str, entries: list[AuditEntry], *, journal: bool = False) -> None:
    """Record `entries` in `_audit`, else in the workspace's pending file; raise AuditError when
    neither works and an entry returned rows. `journal`: the pending file first (no writer opened;
    the warehouse only when the file cannot be written)."""
    from shopql.warehouse.connection import open_writer

    rows = records(role, entries)
    if journal:
        try:
            size = append_pending(warehouse.parent, rows)
        except OSError:
            pass  # the warehouse may still take them
        else:
            if size > FOLD_BYTES:
                fold(warehouse, wait_s=0)
            return
    try:
        con = open_writer(warehouse, wait_s=0)
    except Exception:  # busy or read-only: the pending file takes the records
        con = None
    if con is not None:
        try:
            insert(con, rows)
            return
        except Exception:  # noqa: S110 - fall through to the pending file
            pass
        finally:
            con.close()
    try:
        append_pending(warehouse.parent, rows)
    except OSError as e:
        if any(r["outcome"] == "ok" for r in rows):
            raise AuditError(
                f"the query could not be recorded in the audit log ({e.strerror or e}), "
                "so its rows are not shown",
                f"make {warehouse.parent / '.shopql'} writable, or wait for the other process",
            ) from e


def pending(workspace: Path) -> bool:
    """Whether records wait in the workspace's pending file (or in a claimed, unmerged one)."""
    folder = workspace / PENDING.parent
    return os.path.lexists(folder / PENDING.name) or (
        folder.is_dir() and any(folder.glob("audit.*.merging"))
    )


def fold(warehouse: Path, wait_s: float = 2.0) -> bool:
    """Merge the pending records into `_audit` now (the writer merges them when it opens);
    False when the warehouse could not be opened for writing (they stay pending)."""
    from shopql.warehouse.connection import open_writer

    if not pending(warehouse.parent):
        return True
    try:
        open_writer(warehouse, wait_s=wait_s).close()
    except Exception:  # busy, read-only, or open in this process as a reader: later
        return False
    return True


def fold_before(warehouse: Path, sql: str) -> bool:
    """Before a query that reads `_audit` (admin only: the guard refused it for anyone else),
    fold the pending records in, so it sees every query recorded so far. True when it folded
    (the warehouse was written: a reader of this process must be opened again)."""
    if "_audit" not in sql.lower() or not pending(warehouse.parent):
        return False
    return fold(warehouse)


def append_pending(workspace: Path, rows: list[dict[str, Any]]) -> int:
    """Append records to `.shopql/audit.jsonl` atomically (whole lines, under a lock, fsynced);
    the file's size after the append."""
    import fcntl

    path = workspace / PENDING
    path.parent.mkdir(exist_ok=True)
    data = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows).encode()
    while True:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NO_LINK, 0o600)
        try:
            _regular(fd, path)  # a link or a FIFO planted at the name: the warehouse takes them
            fcntl.flock(fd, fcntl.LOCK_EX)
            if not _same_file(fd, path):  # a merger took the file meanwhile: use the new one
                continue
            before = os.fstat(fd).st_size
            rest = memoryview(data)
            while rest:
                rest = rest[os.write(fd, rest) :]
            os.fsync(fd)
            if before == 0:  # a new file: its name must outlive a crash too
                _sync_folder(path.parent)
            return before + len(data)
        finally:
            os.close(fd)


# the journal's name is opened, never followed: a link planted there would have a question's
# records appended to, or a fold read (and keep in `_audit`), whatever file it points at; a FIFO
# would block every writer's fold. A hard link is a regular file too, but one with a second name:
# shopql never makes one, so a journal with more than one name is refused like a symbolic link
_NO_LINK = os.O_NOFOLLOW | os.O_NONBLOCK


def _regular(fd: int, path: Path) -> None:
    import stat

    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
        raise OSError(f"{path} is not a regular file of one name")


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder: the file itself is synced
    finally:
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


def merge_pending(con: Any, workspace: Path) -> int:
    """Move the pending records into `_audit` (the caller holds the writer connection, so one
    merge runs at a time); the number of records merged. Each claimed file's rows and its name
    (in `_meta`) commit together: a file found again after a crash is removed, not merged twice."""
    path = workspace / PENDING
    claimed = sorted(path.parent.glob("audit.*.merging")) if path.parent.is_dir() else []
    if path.exists():
        target = path.with_name(f"audit.{os.getpid()}.{os.urandom(8).hex()}.merging")
        try:
            os.rename(path, target)
            claimed.append(target)
        except OSError:
            pass
    merged, roles = 0, frozenset[str]()
    for file in claimed:
        key = FOLDED + file.name
        if con.execute("SELECT 1 FROM _meta WHERE key = ?", [key]).fetchone() is None:
            roles = roles or workspace_roles(workspace)
            count = 0
            con.execute("BEGIN TRANSACTION")
            try:
                for batch in _batches(_read_claimed(file, roles)):
                    insert(con, batch)
                    count += len(batch)
                con.execute("INSERT INTO _meta VALUES (?, ?)", [key, str(count)])
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
            merged += count
        try:
            file.unlink(missing_ok=True)
        except OSError:  # a folder planted at the journal's name: set aside, not folded again
            os.rename(file, file.with_suffix(".rejected"))
        con.execute("DELETE FROM _meta WHERE key = ?", [key])  # the file is gone: so is the mark
    return merged


def _batches(rows: Iterator[dict[str, Any]], size: int = 1_000) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _read_claimed(file: Path, roles: frozenset[str]) -> Iterator[dict[str, Any]]:
    """The claimed file's records, valid or rejected (see the module's doc), one line at a time
    (a huge forged line is skipped past, never held whole)."""
    import fcntl

    fd = -1
    try:
        fd = os.open(file, os.O_RDONLY | _NO_LINK)
        _regular(fd, file)
    except OSError:  # a symbolic link (ELOOP), a FIFO, a folder: never read through
        if fd >= 0:
            os.close(fd)
        yield rejected(b"", 1, "the journal was not a regular file (a link?): not read")
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # an appender that opened it before the rename finishes
        with os.fdopen(os.dup(fd), "rb") as handle:
            number = 0
            while line := handle.readline(MAX_LINE_BYTES + 1):
                number += 1
                if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                    skipped = len(line)
                    while (more := handle.readline(MAX_LINE_BYTES)) and not more.endswith(b"\n"):
                        skipped += len(more)
                    skipped += len(more)
                    why = f"longer than any record ({skipped:,} bytes)"
                    yield rejected(line[:KEPT_OF_REJECTED], number, why)
                    continue
                if not line.endswith(b"\n"):
                    yield rejected(line, number, "cut short (no end of line: a crash mid-write)")
                    continue
                yield _record_or_rejected(line, number, roles)
    finally:
        os.close(fd)


def _record_or_rejected(line: bytes, number: int, roles: frozenset[str]) -> dict[str, Any]:
    try:
        record = json.loads(line.decode("utf-8"))
    except ValueError:  # UnicodeDecodeError is one
        return rejected(line, number, "not a JSON line")
    why = invalid(record, roles)
    return rejected(line, number, why) if why else record


def rejected(line: bytes, number: int, why: str) -> dict[str, Any]:
    """The row that keeps a rejected journal line in view: when it was folded, why, its text."""
    return {
        "executed_at": dt.datetime.now().isoformat(timespec="microseconds"),
        "role": None,
        "source": "journal",
        "question": f"journal line {number} rejected: {why}",
        "sql": clip(line.decode("utf-8", errors="replace"), KEPT_OF_REJECTED),
        "rows": None,
        "duration_ms": None,
        "outcome": REJECTED,
    }


def invalid(record: Any, roles: frozenset[str]) -> str | None:
    """Why `record` (a parsed journal line) is not one that ``records`` writes; None when it is."""
    if not isinstance(record, dict):
        return f"a JSON {type(record).__name__}, not a record"
    if set(record) != set(COLUMNS):
        extra, missing = sorted(set(record) - set(COLUMNS)), sorted(set(COLUMNS) - set(record))
        return "; ".join(
            [f"unknown keys {clip(', '.join(extra), 80)}"] * bool(extra)
            + [f"missing keys {', '.join(missing)}"] * bool(missing)
        )
    stamp, role, source = record["executed_at"], record["role"], record["source"]
    if not isinstance(stamp, str) or len(stamp) > 32:
        return "executed_at is not a timestamp"
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return "executed_at is not a timestamp"
    if when.tzinfo is not None or not dt.datetime(2000, 1, 1) <= when:
        return "executed_at is not a local timestamp of this century"
    if when > dt.datetime.now() + FUTURE_SLACK:
        return "executed_at is in the future"
    if not isinstance(role, str) or role not in roles:
        return f"role {clip(str(role), 40)!r} is not a role of this workspace"
    if not isinstance(source, str) or not _SOURCE.fullmatch(source):
        return "source is not a command name"
    if record["outcome"] not in OUTCOMES:
        return f"outcome {clip(str(record['outcome']), 40)!r} is not one of ok, refused, error"
    for key, limit in (("question", MAX_QUESTION_CHARS), ("sql", MAX_SQL_CHARS)):
        text = record[key]
        if text is not None and (not isinstance(text, str) or len(text) > limit + _CLIP_NOTE):
            return f"{key} is not a text of at most {limit:,} characters"
    if record["outcome"] == "ok" and record["sql"] is None:
        return "an answered query without its SQL"
    rows, took = record["rows"], record["duration_ms"]
    if rows is not None and (type(rows) is not int or not 0 <= rows < 2**63):
        return "rows is not a count"
    if took is not None and (type(took) not in (int, float) or not 0 <= took < 1e12):
        return "duration_ms is not a duration"
    return None


_SOURCE = re.compile(r"[a-z][a-z0-9_.:-]{0,39}")
_CLIP_NOTE = len("… [99,999,999,999 more characters not kept]")


def workspace_roles(workspace: Path) -> frozenset[str]:
    """The roles a journal line may name: the built-in ones and the workspace's [roles]."""
    import tomllib

    from shopql.config import CONFIG_NAME, DEFAULT_ROLES

    try:
        data = tomllib.loads((workspace / CONFIG_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # no or broken config: its own command says so
        data = {}
    extra = data.get("roles")
    return frozenset(DEFAULT_ROLES) | (frozenset(extra) if isinstance(extra, dict) else frozenset())
