"""Connections to the warehouse: one writer (sync, identity build) and locked-down readers."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from shopql.errors import WorkspaceError
from shopql.warehouse.schema import SCHEMA_VERSION, migrate, schema_version

# What DuckDB (or the OS) says, lower-cased, for each cause a user can act on.
_DISK_FULL = ("no space left on device", "disk full", "errno 28")
_READ_ONLY = ("read-only file system", "errno 30")
_DENIED = ("permission denied", "errno 13")
_DAMAGED = (
    "could not read enough bytes",
    "not a valid duckdb database",
    "corrupt",
    "checksum",
    "invalid magic",
    "failed to load metadata",
    "the file is too small",
)


def warehouse_fault(path: Path, e: BaseException) -> WorkspaceError | None:
    """The true cause of a failure to open or write the warehouse at `path`, as a user-facing
    error, or None when `e` is not about the warehouse's file (a query or input problem)."""
    text = " ".join(str(e).lower().split())
    first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    if "database has been invalidated" in text and "original error" in text:
        first = str(e).split("Original error:", 1)[1].strip().strip('"')
    if any(k in text for k in _DISK_FULL):
        return WorkspaceError(
            f"the disk holding {path} is full ({first})",
            "free some space, then run the same sync again (files already loaded are skipped)",
        )
    if any(k in text for k in _READ_ONLY):
        return WorkspaceError(
            f"cannot write {path}: it is on a read-only file system",
            "copy the workspace to a writable folder (or remount it read-write); "
            "reading commands such as `shopql sql` still work here",
        )
    if any(k in text for k in _DENIED):
        return WorkspaceError(
            f"cannot write {path}: permission denied",
            "run shopql as the user who owns the workspace, or make the folder writable",
        )
    if str(path) in str(e) and any(k in text for k in _DAMAGED):
        return WorkspaceError(
            f"the warehouse file {path} is damaged or truncated ({first})",
            "restore it from a backup, or move it away and run `shopql init` and sync the "
            "exports again",
        )
    return None


def _lock_error(path: Path, e: Exception) -> WorkspaceError:
    fault = warehouse_fault(path, e)
    if fault is not None:
        return fault
    return WorkspaceError(
        f"cannot open {path}: {str(e).splitlines()[0]}",
        "another shopql process may be writing; wait for it to finish and try again",
    )


def _connect(path: Path, wait_s: float, **kwargs: Any) -> duckdb.DuckDBPyConnection:
    """Connect, retrying for up to `wait_s` seconds while another process holds the file's lock
    (a board refresh or a query holds it for about a second)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return duckdb.connect(str(path), **kwargs)
        except duckdb.Error as e:
            if not _is_lock_conflict(e) or time.monotonic() >= deadline:
                raise _lock_error(path, e) from e
            time.sleep(0.2)


def _is_lock_conflict(e: Exception) -> bool:
    return "lock" in str(e).lower() and warehouse_fault(Path(), e) is None


# DuckDB's memory for the writer (sync, identity build) unless the workspace sets `memory_limit`:
# DuckDB's own default is 80 % of the RAM; this leaves an 8 GB laptop room for everything else.
# Beyond it, DuckDB spills to the workspace's .shopql/tmp (see bound_memory).
WRITER_MEMORY_LIMIT = "3GB"
SPILL_FOLDER = Path(".shopql") / "tmp"


# DuckDB's memory_limit bounds its buffer pool, not the process: the Python interpreter and the
# libraries (about 100 MB), the query's state outside the pool and the allocator's slack come on
# top (OneID on 10 M accounts peaked at 3,310 MB with memory_limit 3GB; 1 M accounts under a
# 600MB limit with DuckDB given 480MB peaked at 602 MB). DuckDB gets DUCKDB_SHARE of the setting
# and leaves at least PROCESS_ROOM for the rest, so the process stays within what the user set;
# never less than half of it.
DUCKDB_SHARE = 0.8
PROCESS_ROOM = 200 * 1000**2
_UNITS = {"b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "tb": 1000**4}
_UNITS |= {"kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4}


def memory_bytes(memory_limit: str) -> int | None:
    """Bytes in an amount such as "3GB" or "512MiB" (None when it is not one)."""
    import re

    found = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-z]+)\s*", memory_limit, re.I)
    if not found or found.group(2).lower() not in _UNITS:
        return None
    return int(float(found.group(1)) * _UNITS[found.group(2).lower()])


def duckdb_memory(memory_limit: str) -> str:
    """DuckDB's `memory_limit` for a process the user allows `memory_limit` (e.g. "3GB" ->
    2400MB, "600MB" -> 400MB), in whole MB. A value DuckDB reads but this does not is passed on
    as it is."""
    amount = memory_bytes(memory_limit)
    if amount is None:
        return memory_limit
    share = max(min(amount * DUCKDB_SHARE, amount - PROCESS_ROOM), amount / 2)
    return f"{max(int(share) // 1000**2, 1)}MB"


def bound_memory(
    con: duckdb.DuckDBPyConnection, workspace: Path, memory_limit: str = WRITER_MEMORY_LIMIT
) -> None:
    """Keep the process within `memory_limit` (DuckDB gets `duckdb_memory` of it, the rest is
    for everything outside its buffers) and let DuckDB spill to `workspace`/.shopql/tmp (a folder it
    can write: the warehouse's own disk, not the system's /tmp)."""
    con.execute("SET memory_limit = ?", [duckdb_memory(memory_limit)])
    spill = workspace / SPILL_FOLDER
    try:
        spill.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # a read-only or full disk: the write that follows says so, in its own words
    con.execute("SET temp_directory = ?", [str(spill)])


def open_writer(
    path: Path, *, wait_s: float = 10.0, memory_limit: str = WRITER_MEMORY_LIMIT
) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse for writing and bring its schema up to date.

    Waits up to `wait_s` seconds for another process to let go of the file. DuckDB's memory is
    capped at `memory_limit`, spilling to the workspace's .shopql/tmp beyond it.
    """
    con = _connect(path, wait_s)
    try:
        bound_memory(con, path.parent, memory_limit)
        migrate(con)
    except duckdb.Error as e:
        con.close()
        raise (warehouse_fault(path, e) or e) from e
    from shopql.warehouse.audit import merge_pending, pending

    if pending(path.parent):
        try:
            merge_pending(con, path.parent)
        except BaseException:
            con.close()  # a connection left open would hold the file's lock until collected
            raise
    return con


# Every reader in a process has the same configuration (DuckDB shares one instance per file and
# process, and refuses a second connection with different settings).
READER_MEMORY_LIMIT = "2GB"


def open_reader(
    path: Path,
    *,
    memory_limit: str | None = READER_MEMORY_LIMIT,
    wait_s: float = 2.0,
    allowed_paths: Sequence[Path] = (),
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only with external access off and configuration locked.

    Such a connection cannot write the database, read or write other files, attach databases,
    install or load extensions, or change its own settings. `allowed_paths` are the only files it
    may reach (an export's own output file); DuckDB takes that list only once it has started.
    """
    if not path.exists():
        raise WorkspaceError(f"no warehouse at {path}", "run `shopql init` and `shopql sync` first")
    config: dict[str, str | bool | int | float | list[str]] = {
        "python_enable_replacements": False,  # no Python variable is ever a table
    }
    if not allowed_paths:
        config["enable_external_access"] = False
    if memory_limit:
        config["memory_limit"] = memory_limit
    with _READERS:  # one thread at a time sets up (or finds set up) the shared instance
        return _open_locked_down(path, wait_s, config, allowed_paths)


# Readers of one file in one process share a DuckDB instance: two threads opening readers at
# once (the board's overview and its Customers tab) would both try to lock its configuration.
_READERS = threading.RLock()


def _open_locked_down(
    path: Path,
    wait_s: float,
    config: dict[str, str | bool | int | float | list[str]],
    allowed_paths: Sequence[Path],
) -> duckdb.DuckDBPyConnection:
    con = _connect(path, wait_s, read_only=True, config=config)
    try:
        try:
            version = schema_version(con)
        except duckdb.Error as e:
            raise (warehouse_fault(path, e) or e) from e
        if version != SCHEMA_VERSION:
            con.close()
            upgrade(path)
            con = duckdb.connect(str(path), read_only=True, config=config)
        from shopql.warehouse.guard import key_macro_sql

        con.execute(key_macro_sql(pseudonym_secret(path.parent)))
        _lock_down(con, allowed_paths)
    except BaseException:
        con.close()  # a connection left open would hold the file's lock until collected
        raise
    return con


def database_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file behind `con`, None for an in-memory database."""
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return Path(row[0]) if row and row[0] else None


def _lock_down(con: duckdb.DuckDBPyConnection, allowed_paths: Sequence[Path]) -> None:
    """External access off (but for `allowed_paths`), no progress bar, configuration locked.

    Connections to one file in one process share a database instance (DuckDB caches it), so a
    second reader opened while another is still open (the board refreshing while it answers a
    question) finds the instance already locked down: it must not, and cannot, set it again."""
    setting = (
        "SELECT current_setting('lock_configuration'), current_setting('enable_external_access')"
    )
    locked, external = con.execute(setting).fetchone() or (False, True)
    if locked:
        if external or allowed_paths:
            raise WorkspaceError(
                "the warehouse is open in this process with other settings",
                "wait for the other query (or export) to finish and try again",
            )
        return
    if allowed_paths:
        listed = ", ".join("'" + str(p).replace("'", "''") + "'" for p in allowed_paths)
        con.execute(f"SET allowed_paths = [{listed}]")
    con.execute("SET enable_external_access = false")
    # DuckDB draws its progress bar on stdout, which carries data only
    con.execute("SET enable_progress_bar = false")
    con.execute("SET lock_configuration = true")


_ephemeral_secret: str | None = None


def pseudonym_secret(workspace: Path) -> str:
    """The workspace's secret for pseudonymised keys (`.shopql/guard.key`, owner-only), created
    on first use; a workspace that cannot be written gets a per-process secret instead (keys
    then differ between runs, but never show the raw value)."""
    global _ephemeral_secret
    import os
    import secrets

    key_file = workspace / ".shopql" / "guard.key"
    try:
        return key_file.read_text(encoding="ascii").strip()
    except OSError:
        pass
    try:
        key_file.parent.mkdir(exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32))
        return key_file.read_text(encoding="ascii").strip()
    except OSError:
        if _ephemeral_secret is None:
            _ephemeral_secret = secrets.token_hex(32)
        return _ephemeral_secret


def upgrade(path: Path) -> None:
    """Bring the warehouse at `path` to the current schema (runs the pending migrations)."""
    con = open_writer(path)
    con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Everything inside commits together or not at all."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
