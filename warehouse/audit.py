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
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from shopql.errors import QueryError

PENDING = Path(".shopql") / "audit.jsonl"
MAX_SQL_CHARS = 20_000  # what one record keeps of a query's text (an 800 KB reply is cut)
MAX_QUESTION_CHARS = 2_000
FOLD_BYTES = 1_000_000  # a journal this large is folded in by the process that wrote it
FOLDED = "audit_folded:"  # `_meta` key of a claimed file already merged (value: its rows)
COLUMNS = ("executed_at", "role", "source", "question", "sql", "rows", "duration_ms", "outcome")

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
    placeholders = ", ".join("?" for _ in COLUMNS)
    con.executemany(
        f"INSERT INTO _audit ({', '.join(COLUMNS)}) VALUES ({placeholders})",
        [[r.get(c) for c in COLUMNS] for r in rows],
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
    return (folder / PENDING.name).exists() or (
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
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
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
    merged = 0
    for file in claimed:
        key = FOLDED + file.name
        if con.execute("SELECT 1 FROM _meta WHERE key = ?", [key]).fetchone() is None:
            rows = _read_claimed(file)
            con.execute("BEGIN TRANSACTION")
            try:
                insert(con, rows)
                con.execute("INSERT INTO _meta VALUES (?, ?)", [key, str(len(rows))])
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
            merged += len(rows)
        file.unlink(missing_ok=True)
        con.execute("DELETE FROM _meta WHERE key = ?", [key])  # the file is gone: so is the mark
    return merged


def _read_claimed(file: Path) -> list[dict[str, Any]]:
    import fcntl

    fd = os.open(file, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # an appender that opened it before the rename finishes
        with os.fdopen(os.dup(fd), "rb") as handle:
            lines = handle.read().decode("utf-8", errors="replace").splitlines()
    finally:
        os.close(fd)
    rows = []
    for line in lines:
        try:
            rows.append(json.loads(line))
        except ValueError:
            rows.append({"executed_at": None, "outcome": "unreadable", "sql": clip(line, 2000)})
    return rows
