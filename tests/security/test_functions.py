"""The function allow-list is DuckDB's own list, reviewed: a function DuckDB adds in an upgrade
fails this test until someone classifies it in warehouse/functions.py."""

from __future__ import annotations

import duckdb
import pytest

from shopql.errors import GuardError
from shopql.warehouse.functions import (
    ALLOWED_SCALAR,
    ALLOWED_TABLE,
    DENIED_SCALAR,
    DENIED_TABLE,
    denied_reason,
    unclassified,
)
from shopql.warehouse.guard import guard_sql


def test_every_duckdb_function_is_classified() -> None:
    missing = unclassified(duckdb.connect(":memory:"))
    assert missing == [], f"classify these in warehouse/functions.py: {missing}"


def test_allowed_and_denied_do_not_overlap() -> None:
    denied_scalar = {n for names in DENIED_SCALAR.values() for n in names}
    denied_table = {n for names in DENIED_TABLE.values() for n in names}
    assert not ALLOWED_SCALAR & denied_scalar
    assert not ALLOWED_TABLE & denied_table
    assert len(ALLOWED_SCALAR) > 600 and len(denied_scalar) >= 30 and len(denied_table) >= 100


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("json_execute_serialized_sql", True),
        ("json_serialize_sql", False),
        ("query", True),
        ("query_table", True),
        ("read_csv", True),
        ("current_setting", False),
        ("duckdb_settings", True),
        ("sleep_ms", False),
        ("getenv", False),  # not even in this DuckDB: unknown names are refused too
        ("a_function_from_a_future_duckdb", False),
    ],
)
def test_functions_that_reach_outside_are_denied(name: str, table: bool) -> None:
    assert denied_reason(name, table)


@pytest.mark.parametrize(
    "sql",
    [
        "select * from json_execute_serialized_sql(json_serialize_sql('select 1'))",
        "select json_serialize_sql('select 1')",
        "select * from query('select 1')",
        "select * from query_table('orders')",
        "select current_setting('memory_limit')",
        "select * from duckdb_settings()",
        "select sleep_ms(100000)",
        "with q as (select * from query('select 1')) select * from q",
        "select (select current_query())",
        "select _shopql_key('jd:guess')",  # the pseudonym macro is the guard's, not the user's
    ],
)
def test_sql_from_strings_and_engine_internals_are_refused(sql: str) -> None:
    with pytest.raises(GuardError, match="not allowed"):
        guard_sql(sql)


def test_ordinary_functions_pass() -> None:
    sql = (
        "select upper('a') || lower('B'), date_trunc('month', now()), list_sum([1, 2]), "
        "count(*) filter (where true), row_number() over (), 'x' like 'x', 1 + 2 * 3"
    )
    assert guard_sql(sql).startswith("SELECT")
