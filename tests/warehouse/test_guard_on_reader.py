"""The guard given the workspace's read-only reader (what a question passes, nlq.session) parses
and binds there instead of opening an in-memory database, and decides exactly as without it:
the same SQL out, or the same refusal, for every attack and bypass the security suite tries."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

import pytest

from shopql.config import load_settings
from shopql.errors import GuardError
from shopql.nlq.session import Workspace
from shopql.warehouse import duckdb_ast
from shopql.warehouse.guard import GuardContext, guard_sql
from tests.conftest import demo_seed7
from tests.security.attacks import attack_table
from tests.security.test_bypass import ATTEMPTS

# forms where binding on the reader would differ from the empty copy: the guard must fall back
QUALIFIED = [
    "select phone from warehouse.main.customers",
    "select phone from warehouse.customers",
    "select count(*) from memory.main.orders",
    "select count(*) from temp.main.orders",
    "select count(*) from main.orders",
    "select table_name from information_schema.tables",
    "with orders as (select 1 as x) select x from orders",
    "select nosuch from orders",
    "select order_id from orders o join nosuch n using (order_id)",
    "select sum(paid_amount) from orders where platform = 1",
    "select platform, count(*) from orders group by all order by 2 desc",
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    with Workspace(load_settings(demo_seed7(tmp_path_factory))) as ws:
        yield ws


def _decision(sql: str, ctx: GuardContext) -> tuple[str, str]:
    try:
        out = guard_sql(sql, ctx)
    except GuardError as e:
        return "refused", e.message
    return "ok", re.sub(r"_shopql_masked_[0-9a-f]+", "_shopql_masked_N", out)


def _queries(ws: Workspace) -> list[str]:
    one_per_feature: dict[str, str] = {}
    for feature, _, _, sql in attack_table(ws.schema):
        one_per_feature.setdefault(feature, sql)
    return [*ATTEMPTS, *one_per_feature.values(), *QUALIFIED]


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_the_reader_decides_as_the_in_memory_copy(demo: Workspace, role: str) -> None:
    built = demo.guard_context
    base = GuardContext.for_role(
        role, schema=built.schema, roles=demo.settings.roles, pii_columns=built.pii_columns
    )
    on_reader = dataclasses.replace(base, connection=demo.reader())
    queries = _queries(demo)
    assert len(queries) > 100
    differ = [
        (sql, a, b)
        for sql in queries
        if (a := _decision(sql, base)) != (b := _decision(sql, on_reader))
    ]
    assert differ == []
    refused = sum(_decision(sql, on_reader)[0] == "refused" for sql in queries)
    assert refused > 40  # the suite's bypasses really are refused on the reader too


def test_a_question_opens_no_in_memory_database(
    demo: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def none(*args: object) -> None:
        raise AssertionError("the guard opened its own DuckDB")

    monkeypatch.setattr(duckdb_ast, "parser_connection", none)
    got = demo.run("select platform, count(*) as n from orders group by 1 order by 1", "q")
    assert got.columns == ["platform", "n"] and len(got.rows) >= 3
    with pytest.raises(GuardError, match="not allowed"):
        demo.run("select * from read_csv('/etc/passwd')", "q")
    demo.close()


def test_what_the_reader_cannot_bind_like_the_copy_falls_back(demo: Workspace) -> None:
    ctx = dataclasses.replace(demo.guard_context, connection=demo.reader())
    with pytest.raises(GuardError, match="does not bind"):
        guard_sql("select phone from warehouse.main.customers", ctx)
    demo.close()
