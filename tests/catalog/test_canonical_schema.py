"""The canonical schema a catalog is checked against is read from the migrations' DDL without a
database (every `shopql ask` needs it: migrating an in-memory DuckDB instead cost ~0.3 s), and
it is the schema a migrated warehouse has."""

from __future__ import annotations

from shopql.catalog.store import _schema_from_ddl, _schema_from_duckdb


def test_the_ddl_reader_reads_every_migration_and_agrees_with_duckdb() -> None:
    read = _schema_from_ddl()  # raises on a statement it cannot read (then ask would fall back)
    assert read == _schema_from_duckdb()
    assert read["orders"]["paid_amount"] == "DECIMAL(18,2)"
