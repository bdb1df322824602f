"""A question's query is described by DuckDB once: the guard's binder DESCRIBEs the guarded text
on the workspace's reader, and the run (warehouse.query.execute_readonly) takes those columns and
types for that same text on that same connection, once, instead of binding it again. Any other
text or connection is described again, and the columns are what DuckDB says either way."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from shopql.config import load_settings
from shopql.nlq.session import Workspace
from shopql.warehouse import guard
from shopql.warehouse.connection import open_reader
from shopql.warehouse.guard import described, guard_sql
from shopql.warehouse.query import execute_readonly


def test_the_guard_s_describe_is_taken_once_by_the_run_on_its_reader(small_ws: Path) -> None:
    with Workspace(load_settings(small_ws)) as ws:
        con = ws.reader()
        ctx = dataclasses.replace(ws.guard_context, connection=con)
        safe = guard_sql("select platform, count(*) as n from shops group by 1 order by 1", ctx)
        rows = con.execute("DESCRIBE " + safe).fetchall()
        assert described(con, safe) == rows  # kept for this text on this reader
        assert described(con, safe) is None  # taken once
        guard_sql("select shop_id from shops", ctx)
        assert described(con, "select 1") is None  # another text: DuckDB's own DESCRIBE
        guard_sql("select shop_id from shops", ctx)
        other = open_reader(small_ws / "warehouse.duckdb")
        try:
            assert described(other, guard_sql("select shop_id from shops", ctx)) is None
        finally:
            other.close()


def test_the_run_returns_what_duckdb_describes(small_ws: Path) -> None:
    with Workspace(load_settings(small_ws)) as ws:
        result = ws.run("select platform, count(*) as n from shops group by 1 order by 1", None)
        assert result.columns == ["platform", "n"]
        assert result.types == ["VARCHAR", "BIGINT"]
        assert result.rows == [("jd", 1), ("tmall", 1)]
        con = ws.reader()
        safe = guard_sql("select shop_id from shops order by 1", ws.guard_context)  # no reader
        assert getattr(guard._last_described, "entry", None) is None
        plain = execute_readonly(con, safe, 10, 100)
        assert plain.columns == ["shop_id"] and plain.rows == [("s1",), ("s2",)]
