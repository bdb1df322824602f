"""Connections to the warehouse: one writer (sync, identity build) and locked-down readers."""

from __future__ import annotations

import time
from collections.abc import Sequence
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
    return con


def open_reader(
    path: Path,
    *,
    memory_limit: str | None = None,
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
    config: dict[str, str | bool] = {} if allowed_paths else {"enable_external_access": False}
    if memory_limit:
        config["memory_limit"] = memory_limit
    con = _connect(path, wait_s, read_only=True, config=config)
    try:
        if schema_version(con) != SCHEMA_VERSION:
            con.close()
            _upgrade(path)
            con = duckdb.connect(str(path), read_only=True, config=config)
        _lock_down(con, allowed_paths)
    except BaseException:
        con.close()  # a connection left open would hold the file's lock until collected
        raise
    return con


def _lock_down(con: duckdb.DuckDBPyConnection, allowed_paths: Sequence[Path]) -> None:
    """External access off (but for `allowed_paths`), configuration locked.

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
    con.execute("SET lock_configuration = true")


def _upgrade(path: Path) -> None:
    con = open_writer(path)
    con.close()
