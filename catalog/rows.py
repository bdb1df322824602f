"""Orders as rows: "上个月最贵的5单", "the 5 largest orders last month", "最贵的一张发票是哪张".

A `SemanticQuery` whose `extra["order_rows"]` is "desc" (the largest first) or "asc" (the
smallest first) lists single orders — each order's key (the invoice number on Online Retail),
its platform, its paid amount and its payment time — ranked by the paid amount, the top
`limit` (1 when none is said). Which orders are listed is exactly which orders the largest
(smallest) order value (`max_order_value` / `min_order_value`: paid orders, by payment time)
is taken over for the same period and filters: that metric's query is compiled by the metric
compiler and its rows become the set of orders listed, so a filter joining another table (a
category on the order's lines, the buyer's province) keeps its own join. No buyer column is
shown (the PII policy: an order is listed by its own key, never by who placed it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from shopql.catalog.semantic import SemanticQuery

ROW_METRICS = {"desc": "max_order_value", "asc": "min_order_value"}
ROW_COLUMNS = ["order_id", "platform", "paid_amount", "paid_at"]


def compile_order_rows(catalog: Any, query: SemanticQuery, today: dt.date) -> Any:
    """The CompiledQuery listing the orders `query` asks for (see the module)."""
    from sqlglot import exp, parse_one

    from shopql.catalog.compiler import CompiledQuery, _Builder
    from shopql.catalog.model import CatalogError

    direction = query.extra.get("order_rows")
    metric = ROW_METRICS.get(str(direction))
    if metric is None or metric not in catalog.metrics:
        raise CatalogError("single orders are listed by their paid amount only")
    if query.dimensions or query.grain or query.population is not None or query.compare:
        raise CatalogError("single orders are listed without a breakdown or a comparison")
    plain = replace(query, metrics=(metric,), extra={}, limit=None, order_by=(), having=())
    compiled = _Builder(catalog, plain, today).build()
    tree = parse_one(compiled.sql, dialect="duckdb")
    inner = next(
        (
            s
            for s in tree.find_all(exp.Select)
            if any(e.alias_or_name == metric for e in s.expressions)
            and isinstance(_from(s), exp.Table)
            and _from(s).name == "orders"
        ),
        None,
    )
    if inner is None or inner.args.get("group"):
        raise CatalogError("single orders are listed from the orders table only")
    alias = _from(inner).alias_or_name
    kept = [
        f.args["expression"].this
        for f in inner.find_all(exp.Filter)
        if isinstance(f.args.get("expression"), exp.Where)
    ]
    inner.set("expressions", [exp.column("order_id", table=alias)])
    for condition in kept:  # the metric's own condition (paid orders) becomes the rows'
        inner.where(condition.copy(), copy=False)
    n = query.limit or 1
    order = "DESC" if direction == "desc" else "ASC"
    sql = (
        "SELECT o.order_id AS order_id, o.platform AS platform, o.paid_amount AS paid_amount, "
        f"o.paid_at AS paid_at FROM orders AS o WHERE o.order_id IN ({inner.sql(dialect='duckdb')})"
        f" ORDER BY o.paid_amount {order} NULLS LAST, o.order_id LIMIT {int(n)}"
    )
    return CompiledQuery(
        sql,
        list(ROW_COLUMNS),
        compiled.metrics,
        query,
        query.time_range,
        notes=compiled.notes,
    )


def _from(select: Any) -> Any:
    """The table (or subquery) a SELECT reads first, whichever name sqlglot keeps it under."""
    found = select.args.get("from_") or select.args.get("from")
    return found.this if found is not None else None
