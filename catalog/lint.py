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
from shopql.catalog.store import live_schema, load_catalog
from shopql.errors import ShopqlError


def lint_catalog(workspace_dir: Path | str | None) -> list[Issue]:
    """Every issue of the workspace's catalog, errors first, in file order."""
    from shopql.catalog.funnels import load_funnels

    catalog = load_catalog(workspace_dir, strict=False)
    issues = list(catalog.issues)
    if workspace_dir is not None:  # funnels: view → cart → buy steps (shopql funnel)
        issues += load_funnels(Path(workspace_dir) / "catalog")[1]
    if not catalog.errors:
        extra = live_schema(Path(workspace_dir)) if workspace_dir is not None else {}
        issues += compile_stage(catalog, extra)
    return sorted(issues, key=lambda i: (i.level != "error", i.where.file, i.where.line))


def compile_stage(catalog: Catalog, extra: dict[str, dict[str, str]] | None = None) -> list[Issue]:
    """Compile each metric and dimension, and run the SQL on the empty canonical schema (plus
    `extra` tables: table -> column -> type, e.g. tables a mapping added)."""
    con = _empty_warehouse(extra or {})
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
        for tag in catalog.tags.values():
            issues += _try(con, tag.where, f"tag {tag.name}", lambda t=tag: _tag_sql(t.condition))
    finally:
        con.close()
    return issues


def _tag_sql(condition: str) -> str:
    from shopql.insights.segments import person_condition_sql

    try:
        where = person_condition_sql(condition)
    except ShopqlError as e:  # the condition language's own errors read like the compiler's
        raise CatalogError(e.message) from e
    return f"SELECT pt.one_id FROM person_tags AS pt WHERE {where} LIMIT 0"


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


def _empty_warehouse(extra: dict[str, dict[str, str]]) -> Any:
    import duckdb

    from shopql.warehouse.schema import migrate

    con = duckdb.connect(":memory:")
    migrate(con)
    known = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    for table, cols in extra.items():
        if table not in known and cols:
            defs = [
                exp.ColumnDef(
                    this=exp.to_identifier(c), kind=exp.DataType.build(t, dialect="duckdb")
                )
                for c, t in cols.items()
            ]
            create = exp.Create(
                this=exp.Schema(this=exp.to_table(table), expressions=defs), kind="TABLE"
            )
            con.execute(create.sql(dialect="duckdb"))
    return con
