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


def ranks_orders(catalog: Any, metric: str, direction: str) -> bool:
    """Whether `metric` is the largest (desc) or smallest (asc) of a column of each order:
    max_order_value, max_freight, min_discount … (the orders listed are ranked by it)."""
    m = catalog.metrics.get(metric)
    if m is None or m.type != "simple" or not metric.startswith(("max_", "min_")):
        return False
    if metric.startswith("max_") != (direction == "desc"):
        return False
    measure = catalog.measures.get(m.measure or "")
    return measure is not None and measure.model == "orders"


def compile_order_rows(catalog: Any, query: SemanticQuery, today: dt.date) -> Any:
    """The CompiledQuery listing the orders `query` asks for (see the module)."""
    from sqlglot import exp, parse_one

    from shopql.catalog.compiler import CompiledQuery, _Builder
    from shopql.catalog.model import CatalogError

    direction = str(query.extra.get("order_rows"))
    metric = query.metrics[0] if len(query.metrics) == 1 else ""
    if not ranks_orders(catalog, metric, direction):
        raise CatalogError("single orders are listed by a figure of each order only")
    if query.dimensions or query.grain or query.population is not None or query.compare:
        raise CatalogError("single orders are listed without a breakdown or a comparison")
    plain = replace(query, extra={}, limit=None, order_by=(), having=())
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
    aggregate = next((a for e in inner.expressions for a in e.find_all(exp.Max, exp.Min)), None)
    figure = aggregate.this if aggregate is not None else None
    if figure is None or any(c.table != alias for c in figure.find_all(exp.Column)):
        raise CatalogError("single orders are listed by a figure of each order only")
    kept = [
        f.args["expression"].this
        for f in inner.find_all(exp.Filter)
        if isinstance(f.args.get("expression"), exp.Where)
    ]
    time = _time_column(inner, alias, kept)
    inner.set("expressions", [exp.column("order_id", table=alias)])
    for condition in kept:  # the metric's own condition (paid orders) becomes the rows'
        inner.where(condition.copy(), copy=False)
    value = figure.sql(dialect="duckdb").replace(f"{alias}.", "o.")
    name = figure.name if isinstance(figure, exp.Column) else metric[4:]
    n = query.limit or 1
    order = "DESC" if direction == "desc" else "ASC"
    sql = (
        "SELECT o.platform_order_id AS order_no, o.platform AS platform, "
        f"{value} AS {name}, o.{time} AS {time} FROM orders AS o"
        f" WHERE o.order_id IN ({inner.sql(dialect='duckdb')}) AND {value} IS NOT NULL"
        f" ORDER BY {value} {order}, o.order_id LIMIT {int(n)}"
    )
    return CompiledQuery(
        sql,
        ["order_no", "platform", name, time],
        compiled.metrics,
        query,
        query.time_range,
        notes=compiled.notes,
    )


def _time_column(inner: Any, alias: str, kept: list[Any]) -> str:
    """The order time the figure is counted by (the period's column), else the time its own
    condition names (paid orders: paid_at), else when the order was placed."""
    from sqlglot import exp

    where = inner.args.get("where")
    for node in [*(where.find_all(exp.GTE) if where is not None else ()), *kept]:
        for column in node.find_all(exp.Column):
            if column.table == alias and column.name.endswith("_at"):
                return str(column.name)
    return "created_at"


def _from(select: Any) -> Any:
    """The table (or subquery) a SELECT reads first, whichever name sqlglot keeps it under."""
    found = select.args.get("from_") or select.args.get("from")
    return found.this if found is not None else None
