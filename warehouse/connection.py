"""Connections to the warehouse: one writer (sync, identity build) and locked-down readers."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import duckdb

from shopql.errors import WorkspaceError
from shopql.warehouse.schema import SCHEMA_VERSION, migrate, schema_version


def _lock_error(path: Path, e: Exception) -> WorkspaceError:
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
            if "lock" not in str(e).lower() or time.monotonic() >= deadline:
                raise _lock_error(path, e) from e
            time.sleep(0.2)


def open_writer(path: Path, *, wait_s: float = 10.0) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse for writing and bring its schema up to date.

    Waits up to `wait_s` seconds for another process to let go of the file.
    """
    con = _connect(path, wait_s)
    migrate(con)
    if (path.parent / ".shopql" / "audit.jsonl").exists() or _claimed_audits(path.parent):
        from shopql.warehouse.audit import merge_pending

        merge_pending(con, path.parent)
    return con


def _claimed_audits(workspace: Path) -> bool:
    folder = workspace / ".shopql"
    return folder.is_dir() and any(folder.glob("audit.*.merging"))


# Every reader in a process has the same configuration (DuckDB shares one instance per file and
# process, and refuses a second connection with different settings).
READER_MEMORY_LIMIT = "2GB"


def open_reader(
    path: Path, *, memory_limit: str | None = READER_MEMORY_LIMIT, wait_s: float = 2.0
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only with external access off and configuration locked.

    Such a connection cannot write the database, read or write other files, attach databases,
    install or load extensions, or change its own settings.
    """
    if not path.exists():
        raise WorkspaceError(f"no warehouse at {path}", "run `shopql init` and `shopql sync` first")
    config: dict[str, str | bool] = {
        "enable_external_access": False,
        "python_enable_replacements": False,  # no Python variable is ever a table
    }
    if memory_limit:
        config["memory_limit"] = memory_limit
    con = _connect(path, wait_s, read_only=True, config=config)
    version = schema_version(con)
    if version != SCHEMA_VERSION:
        con.close()
        _upgrade(path)
        con = duckdb.connect(str(path), read_only=True, config=config)
    from shopql.warehouse.guard import key_macro_sql

    con.execute(key_macro_sql(pseudonym_secret(path.parent)))
    locked = con.execute("SELECT current_setting('lock_configuration')").fetchone()
    if not (locked and locked[0]):  # another reader of this process may have locked it
        con.execute("SET lock_configuration = true")
    return con


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


def _upgrade(path: Path) -> None:
    con = open_writer(path)
    con.close()
