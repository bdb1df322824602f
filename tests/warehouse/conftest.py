"""Fixtures shared by the guard's tests."""

from __future__ import annotations

import duckdb
import pytest

from shopql.warehouse.guard import schema_from_connection
from shopql.warehouse.schema import MIGRATIONS


@pytest.fixture(scope="module")
def schema() -> dict[str, dict[str, str]]:
    """The warehouse schema every migration builds (tables and columns), without data."""
    con = duckdb.connect()
    for migration in MIGRATIONS:
        for statement in migration:
            if isinstance(statement, str):  # function steps migrate data only
                con.execute(statement)
    return schema_from_connection(con)
