"""Running a semantic query: compile it, then execute through the SQL guard (read-only, audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shopql.catalog.compiler import CompiledQuery, compile_query
from shopql.catalog.semantic import SemanticQuery
from shopql.catalog.store import load_catalog


def run_metrics(
    settings: Any,
    query: SemanticQuery,
    *,
    today: dt.date | None = None,
    source: str = "metric",
    question: str | None = None,
    catalog: Any = None,
    runner: Any = None,
) -> tuple[CompiledQuery, Any]:
    """Compile `query` against the workspace's catalog and run it; (compiled, QueryResult).
    `runner`: run it on Spark over the lake instead (``warehouse.spark.runner_for``)."""
    from shopql.warehouse.query import run_guarded

    catalog = catalog or load_catalog(settings.workspace, timezone=settings.timezone)
    compiled = compile_query(catalog, query, today=today)
    ctx = guard_context(settings, catalog)

    def run(sql: str) -> Any:
        return run_guarded(
            settings.warehouse_path,
            sql,
            role=settings.role,
            source=source,
            question=question,
            row_cap=settings.row_cap,
            timeout_s=settings.query_timeout_s,
            ctx=ctx,
            runner=runner,
        )

    result = run(compiled.sql)
    # rows a time breakdown left out (their time is NULL), rows a distinct count left out (what
    # it counts is NULL): their checks counted together
    if compiled.null_checks or compiled.unkeyed_checks:
        from shopql.catalog.families import check_notes

        compiled.notes += check_notes(compiled.null_checks, compiled.unkeyed_checks, run)
    return compiled, result


def first_value(result: Any) -> Any:
    """The first cell of a query result, None when it has no rows."""
    return result.rows[0][0] if result.rows else None


def guard_context(settings: Any, catalog: Any) -> Any:
    """The guard's context for the settings' role (the one policy path, warehouse.policy)."""
    from shopql.warehouse.policy import guard_context as policy_context

    return policy_context(settings, catalog=catalog)
