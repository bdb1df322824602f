"""The transpile step from guarded DuckDB SQL to Spark SQL (no Spark needed): the guard's masking
subqueries, its keyed pseudonym, DuckDB's DOUBLE division and average, and the settings."""

from __future__ import annotations

import hashlib

import duckdb
import pytest

from shopql.config import load_settings
from shopql.errors import ConfigError
from shopql.warehouse.guard import GuardContext, guard_sql, key_macro_sql
from shopql.warehouse.lake import effective_pii
from shopql.warehouse.spark import to_spark

SCHEMA = {
    "customers": {"customer_id": "VARCHAR", "phone": "VARCHAR", "province": "VARCHAR"},
    "orders": {"order_id": "VARCHAR", "paid_amount": "DECIMAL(18,2)", "paid_at": "TIMESTAMP"},
}


def test_masking_subquery_becomes_a_column_list_in_the_table_order() -> None:
    ctx = GuardContext.for_role("analyst", schema=SCHEMA)
    safe = guard_sql("select phone, province from customers", ctx)
    assert "REPLACE" in safe.upper()
    spark = to_spark(safe, SCHEMA, key_secret="s3cret")
    assert "REPLACE" not in spark.upper() and "main." not in spark
    inner = spark[spark.index("(SELECT") : spark.index(" FROM customers")]
    # customer_id (keyed), phone (masked), province (as stored) — in the table's order
    assert inner.index("customer_id") < inner.index("phone") < inner.index("`province`")
    assert "SHA2(CONCAT('s3cret'" in spark


def test_keyed_pseudonym_is_the_same_hash_as_duckdb() -> None:
    con = duckdb.connect()
    con.execute(key_macro_sql("s3cret"))
    ours = con.execute("SELECT _shopql_key('tmall:tb123'), _shopql_key('abc')").fetchall()[0]
    digest = hashlib.sha256(b"s3crettmall:tb123").hexdigest()[:16]
    assert ours[0] == f"tmall:k{digest}"
    spark = to_spark("SELECT _shopql_key(x) FROM t", {"t": {"x": "VARCHAR"}}, "s3cret")
    assert "SPLIT_PART(x, ':', 1)" in spark and "LEFT(SHA2(CONCAT('s3cret', x), 256), 16)" in spark


def test_division_and_average_are_double_as_in_duckdb() -> None:
    spark = to_spark("SELECT sum(a) / count(*), avg(b), 1 / 30.0 FROM t", {}, None)
    assert spark.count("AS DOUBLE)") == 5
    assert "AVG(CAST(b AS DOUBLE))" in spark


def test_parameters_become_typed_literals() -> None:
    import datetime as dt

    spark = to_spark(
        "SELECT count(*) FROM orders WHERE paid_at <= ? AND order_id = ?",
        SCHEMA,
        params=[dt.datetime(2026, 11, 10, 20, 55), "o1"],
    )
    assert "CAST('2026-11-10 20:55:00' AS TIMESTAMP" in spark and "'o1'" in spark


def test_pii_still_to_mask_over_a_lake() -> None:
    assert effective_pii("show", "mask") == "mask"  # an admin's lake read by an analyst
    assert effective_pii("mask", "mask") == "show"  # already masked: not keyed twice
    assert effective_pii("mask", "deny") == "deny"
    assert effective_pii("mask", "show") == "show"


def test_backend_settings(workspace) -> None:  # type: ignore[no-untyped-def]
    assert load_settings(workspace).backend.name == "duckdb"
    s = load_settings(workspace, {"backend": "spark"})
    assert (s.backend.name, s.sources["backend.name"]) == ("spark", "flag")
    toml = workspace / "shopql.toml"
    toml.write_text(
        toml.read_text() + '\n[backend]\nname = "spark"\nspark_remote = "sc://cluster:15002"\n'
    )
    s = load_settings(workspace)
    assert (s.backend.name, s.backend.spark_remote, s.backend.lake) == (
        "spark",
        "sc://cluster:15002",
        "lake",
    )
    toml.write_text(toml.read_text().replace("sc://cluster:15002", "http://cluster"))
    with pytest.raises(ConfigError, match="backend.spark_remote"):
        load_settings(workspace)


def test_round_of_a_double_is_duckdb_s_and_distinct_listagg_a_sorted_set() -> None:
    spark = to_spark("SELECT round(sum(a) / count(*), 2) FROM t", {}, None)
    assert "134217729.0 AS DOUBLE" in spark and "FLOOR(" in spark and "CEIL(" in spark
    assert to_spark("SELECT round(d, 2) FROM t", {}, None) == "SELECT ROUND(d, 2) FROM t"
    spark = to_spark("SELECT listagg(DISTINCT p, ', ' ORDER BY p) FROM t", {}, None)
    assert "ARRAY_JOIN(ARRAY_SORT(COLLECT_SET(p)), ', ')" in spark
