"""`catalog lint`: all three validation stages, every issue at once with its file:line.

Stage 3 ("does it compile") compiles every metric and every dimension and runs the SQL on an
empty in-memory copy of the warehouse schema, so a typo in an expression, a bad function or a
wrong type is caught before anyone asks a question.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlglot import exp

from shopql.catalog.compiler import compile_query
from shopql.catalog.joins import JoinPlan
from shopql.catalog.model import Catalog, CatalogError, Issue, Location
from shopql.catalog.semantic import SemanticQuery
from shopql.catalog.store import load_catalog


def lint_catalog(workspace_dir: Path | str | None) -> list[Issue]:
    """Every issue of the workspace's catalog, errors first, in file order."""
    catalog = load_catalog(workspace_dir, strict=False)
    issues = list(catalog.issues)
    if not catalog.errors:
        issues += compile_stage(catalog)
    return sorted(issues, key=lambda i: (i.level != "error", i.where.file, i.where.line))


def compile_stage(catalog: Catalog) -> list[Issue]:
    """Compile each metric and dimension, and run the SQL on the empty canonical schema."""
    con = _empty_warehouse()
    issues: list[Issue] = []
    try:
        for metric in catalog.metrics.values():
            issues += _try(
                con,
                metric.where,
                f"metric {metric.name}",
                lambda m=metric: _metric_sql(catalog, m.name),
            )
        for model in catalog.models.values():
            for dim in model.dimensions.values():
                issues += _try(
                    con,
                    dim.where,
                    f"dimension {dim.name}",
                    lambda m=model, d=dim.name: _dim_sql(catalog, m.name, d),
                )
    finally:
        con.close()
    return issues


def _metric_sql(catalog: Catalog, name: str) -> str:
    return compile_query(catalog, SemanticQuery(metrics=(name,))).sql


def _dim_sql(catalog: Catalog, model: str, dim: str) -> str:
    plan = JoinPlan(catalog, catalog.models[model], allow_fanout=False)
    value, _ = plan.dimension(dim)
    return plan.from_clause(exp.select(value.as_(dim))).limit(0).sql(dialect="duckdb")


def _try(con: Any, where: Location, what: str, build: Any) -> list[Issue]:
    import duckdb

    try:
        sql = build()
    except CatalogError as e:
        return [Issue("error", f"{what} does not compile: {e.message}", where, "compile")]
    try:
        con.execute(sql).fetchall()
    except duckdb.Error as e:
        return [Issue("error", f"{what}: SQL fails: {str(e).splitlines()[0]}", where, "compile")]
    return []


def _empty_warehouse() -> Any:
    import duckdb

    from shopql.warehouse.schema import migrate

    con = duckdb.connect(":memory:")
    migrate(con)
    return con
