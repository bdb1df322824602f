"""Connections to the warehouse: one writer (sync, identity build) and locked-down readers."""

from __future__ import annotations

from pathlib import Path

import duckdb

from shopql.errors import WorkspaceError
from shopql.warehouse.schema import SCHEMA_VERSION, migrate, schema_version


def _lock_error(path: Path, e: Exception) -> WorkspaceError:
    return WorkspaceError(
        f"cannot open {path}: {str(e).splitlines()[0]}",
        "another shopql process may be writing; wait for it to finish and try again",
    )


def open_writer(path: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse for writing and bring its schema up to date."""
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error as e:
        raise _lock_error(path, e) from e
    migrate(con)
    return con


def open_reader(path: Path, *, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only with external access off and configuration locked.

    Such a connection cannot write the database, read or write other files, attach databases,
    install or load extensions, or change its own settings.
    """
    if not path.exists():
        raise WorkspaceError(f"no warehouse at {path}", "run `shopql init` and `shopql sync` first")
    config: dict[str, str | bool] = {"enable_external_access": False}
    if memory_limit:
        config["memory_limit"] = memory_limit
    try:
        con = duckdb.connect(str(path), read_only=True, config=config)
    except duckdb.Error as e:
        raise _lock_error(path, e) from e
    version = schema_version(con)
    if version != SCHEMA_VERSION:
        con.close()
        _upgrade(path)
        con = duckdb.connect(str(path), read_only=True, config=config)
    con.execute("SET lock_configuration = true")
    return con


def _upgrade(path: Path) -> None:
    con = open_writer(path)
    con.close()
