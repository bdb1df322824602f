"""shopql.catalog: the semantic catalog and metric layer (one definition, 口径, per metric).

The API other parts of shopql use (stable; safe to call from several threads, nothing is shared
but immutable caches):

``load_catalog(workspace_dir, *, strict=True, timezone=None) -> Catalog``
    Reads ``<workspace>/catalog/*.yaml`` (the default pack in ``catalog/default`` when there are
    none) plus ``_introspected.yaml``; validates shape and references. ``Catalog`` has
    ``tables`` (name → Table: description {en, zh}, synonyms, row_count, columns name → Column:
    description, synonyms, pii class or None, type, low-cardinality values), ``metrics``
    (name → Metric: type simple|ratio|derived, label {en, zh}, synonyms, description {en, zh},
    notes, value_type), ``dimensions`` (name → DimensionInfo: type categorical|time, label,
    synonyms, models, values), ``models`` (semantic models), ``issues`` and ``pii_columns()``.
    With ``strict`` a catalog with errors raises CatalogError (a ShopqlError).

``compile_query(catalog, SemanticQuery, today=None) -> CompiledQuery``
    DuckDB SQL for the query (metrics, dimensions, grain, time range, filters, order, limit,
    compare="previous_period"|"year_over_year"). ``CompiledQuery`` has ``sql``, ``columns`` (the
    output names: grain first, then dimensions, then metrics; with compare each metric ``m`` is
    followed by ``m__previous`` and ``m__change``; with a grain, each bucket meets the bucket it
    compares with, e.g. 2025-03 with 2024-03 for year_over_year), ``metrics`` (the Metric objects used, inputs
    included: their definitions), ``time_range``, ``previous`` and ``notes``. Raises
    CatalogError for unknown names or breakdowns that would double count. ``today`` pins the
    date relative ranges are computed from (tests pin it).

``parse_time_range(text, today=None) -> TimeRange | None``
    Dates and phrases in English and Chinese ("last 90 days", "this month", "2025-Q2",
    "2025-01-01", "近三个月", "上个月", "今年", "上周", "去年", "2025-01-01 to 2025-03-31") as a
    half-open [start, end) range; None when the text is not a time phrase.

``lint_catalog(workspace_dir) -> list[Issue]``
    Every issue (shape, references, compile) with level and file:line.

``run_metrics(settings, SemanticQuery, today=None) -> (CompiledQuery, QueryResult)``
    Compile and run through the SQL guard (read-only connection, audit), masking the catalog's
    PII columns for the settings' role.

Also: ``compiler.formula(catalog, metric)`` (the exact rule in one line, e.g.
``sum(paid_amount) on orders where paid_at IS NOT NULL, time paid_date``),
``CompiledQuery.definitions(lang)`` (metric → description), ``where.parse_where(text)``
(``platform = 'tmall' AND province IN (…)`` → Filters; values stay values), and
``compiler.metric_closure(catalog, names)`` (the metrics a list depends on).

Semantics worth knowing (details in ``catalog/default/metrics.yaml``): each metric has its own
time column (placed metrics by order time, paid ones by payment time); an order-level amount
split by a line-level dimension (category, product, brand) becomes its ``line_metric`` (line
amounts), while order and buyer counts count an order once in each category it has; buyers are
people (OneID).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shopql.catalog.compiler import CompiledQuery, compile_query, metric_closure
    from shopql.catalog.lint import lint_catalog
    from shopql.catalog.model import (
        Catalog,
        CatalogError,
        Column,
        DimensionInfo,
        Issue,
        Metric,
        Table,
    )
    from shopql.catalog.run import run_metrics
    from shopql.catalog.semantic import Filter, OrderBy, SemanticQuery, TimeRange
    from shopql.catalog.store import load_catalog
    from shopql.catalog.timephrase import parse_time_range, previous_range

# Each name is imported from its module on first use: importing one light module of the package
# (catalog.semantic, catalog.model) does not load the compiler, the linter and the YAML reader.
_HOME = {
    "CompiledQuery": "compiler",
    "compile_query": "compiler",
    "metric_closure": "compiler",
    "lint_catalog": "lint",
    "Catalog": "model",
    "CatalogError": "model",
    "Column": "model",
    "DimensionInfo": "model",
    "Issue": "model",
    "Metric": "model",
    "Table": "model",
    "run_metrics": "run",
    "Filter": "semantic",
    "OrderBy": "semantic",
    "SemanticQuery": "semantic",
    "TimeRange": "semantic",
    "load_catalog": "store",
    "parse_time_range": "timephrase",
    "previous_range": "timephrase",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'shopql.catalog' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"shopql.catalog.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "Catalog",
    "CatalogError",
    "Column",
    "CompiledQuery",
    "DimensionInfo",
    "Filter",
    "Issue",
    "Metric",
    "OrderBy",
    "SemanticQuery",
    "Table",
    "TimeRange",
    "compile_query",
    "lint_catalog",
    "load_catalog",
    "metric_closure",
    "parse_time_range",
    "previous_range",
    "run_metrics",
]
