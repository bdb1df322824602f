"""Schema versions: an older warehouse is upgraded in place, a newer one is refused."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from shopql.errors import WorkspaceError
from shopql.warehouse.connection import open_reader, open_writer
from shopql.warehouse.schema import SCHEMA_VERSION, migrate, schema_version


def test_v1_warehouse_is_upgraded_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=1)  # what the first shopql release created
    con.execute("INSERT INTO orders (order_id, platform, status) VALUES ('t:1', 't', 'paid')")
    con.close()

    con = open_writer(path)
    assert schema_version(con) == SCHEMA_VERSION
    assert con.execute("SELECT order_id, status, raw_status FROM orders").fetchall() == [
        ("t:1", "paid", None)
    ]
    assert con.execute("SELECT count(*) FROM category_names").fetchone() == (0,)
    con.close()


def test_reader_upgrades_an_old_warehouse_too(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=1)
    con.close()
    reader = open_reader(path)
    assert schema_version(reader) == SCHEMA_VERSION
    reader.close()


def test_newer_warehouse_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    con = open_writer(path)
    con.execute("UPDATE _meta SET value = '999' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(WorkspaceError, match="newer than this shopql"):
        open_writer(path)


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    con = open_writer(tmp_path / "w.duckdb")
    assert migrate(con) == SCHEMA_VERSION
    con.close()
