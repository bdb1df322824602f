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

`extra["order_rows"] == "recent"` lists the latest orders an order count is taken over ("最近10个
被取消的订单", "the 10 most recent cancelled orders": the `orders` metric with its filters):
each order's key, platform, status, paid amount and the time the count dates it by, the latest
first. `extra["refund_rows"]` ("desc", "asc" or "recent") lists single refunds the same way
("上个月最大的5笔退款", "the 10 most recent refunds"): the records a refund metric
(`refund_amount`, `return_amount`) adds up for the same period and filters, each with its
order's key and platform, its amount and its time, ranked by the amount or the latest first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from shopql.catalog.semantic import SemanticQuery

ROW_METRICS = {"desc": "max_order_value", "asc": "min_order_value"}
# the refund metrics whose records can be listed one by one (their model: refund_events)
REFUND_ROW_METRICS = ("refund_amount", "return_amount")


def counts_orders(catalog: Any, metric: str) -> bool:
    """Whether `metric` counts the orders themselves (each order once: `orders`, with any
    filter), so the orders it counts can be listed ("the 10 most recent cancelled orders")."""
    m = catalog.metrics.get(metric)
    if m is None or m.type != "simple":
        return False
    measure = catalog.measure(m.measure or "")
    return (
        measure is not None
        and measure.model == "orders"
        and measure.agg in ("count", "count_distinct")
        and measure.expr.strip() == "order_id"
    )


def ranks_orders(catalog: Any, metric: str, direction: str) -> bool:
    """Whether `metric` is the largest (desc) or smallest (asc) of a column of each order:
    max_order_value, max_freight, min_discount … (the orders listed are ranked by it)."""
    m = catalog.metrics.get(metric)
    if m is None or m.type != "simple" or not metric.startswith(("max_", "min_")):
        return False
    if metric.startswith("max_") != (direction == "desc"):
        return False
    measure = catalog.measure(m.measure or "")
    return measure is not None and measure.model == "orders"


def compile_order_rows(catalog: Any, query: SemanticQuery, today: dt.date) -> Any:
    """The CompiledQuery listing the orders `query` asks for (see the module)."""
    from sqlglot import exp, parse_one

    from shopql.catalog.compiler import CompiledQuery, _Builder
    from shopql.catalog.model import CatalogError

    direction = str(query.extra.get("order_rows"))
    metric = query.metrics[0] if len(query.metrics) == 1 else ""
    recent = direction == "recent"
    if recent and not counts_orders(catalog, metric):
        raise CatalogError("the latest orders are listed from a count of orders only")
    if not recent and not ranks_orders(catalog, metric, direction):
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
    if recent:
        figure = exp.column("paid_amount", table=alias)
    else:
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
    if recent:  # the latest first: the time the count dates the orders by
        sql = (
            "SELECT o.platform_order_id AS order_no, o.platform AS platform, o.status AS status, "
            f"o.paid_amount AS paid_amount, o.{time} AS {time} FROM orders AS o"
            f" WHERE o.order_id IN ({inner.sql(dialect='duckdb')}) AND o.{time} < {_after(today)}"
            f" ORDER BY o.{time} DESC NULLS LAST, o.order_id DESC LIMIT {int(n)}"
        )
        return CompiledQuery(
            sql,
            ["order_no", "platform", "status", "paid_amount", time],
            compiled.metrics,
            query,
            query.time_range,
            notes=compiled.notes,
        )
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


def compile_refund_rows(catalog: Any, query: SemanticQuery, today: dt.date) -> Any:
    """The CompiledQuery listing the single refunds `query` asks for (see the module): the
    records the refund metric adds up, over the same period and filters."""
    from sqlglot import exp, parse_one

    from shopql.catalog.compiler import CompiledQuery, _Builder
    from shopql.catalog.model import CatalogError

    direction = str(query.extra.get("refund_rows"))
    metric = query.metrics[0] if len(query.metrics) == 1 else ""
    if metric not in REFUND_ROW_METRICS or direction not in ("desc", "asc", "recent"):
        raise CatalogError("single refunds are listed from a refund amount only")
    if query.dimensions or query.grain or query.population is not None or query.compare:
        raise CatalogError("single refunds are listed without a breakdown or a comparison")
    plain = replace(query, extra={}, limit=None, order_by=(), having=())
    compiled = _Builder(catalog, plain, today).build()
    tree = parse_one(compiled.sql, dialect="duckdb")
    inner = next(
        (
            s
            for s in tree.find_all(exp.Select)
            if any(e.alias_or_name == metric for e in s.expressions)
            and _from(s) is not None
            and _from(s).alias_or_name == "refund_events"
        ),
        None,
    )
    if inner is None or inner.args.get("group"):
        raise CatalogError("single refunds are listed from the refund records only")
    kept = [
        f.args["expression"].this
        for f in inner.find_all(exp.Filter)
        if isinstance(f.args.get("expression"), exp.Where)
    ]
    inner.set(
        "expressions",
        [
            exp.column(c, table="refund_events")
            for c in ("refund_id", "order_id", "amount", "refunded_at")
        ],
    )
    for condition in kept:  # the metric's own condition (a return: an order not cancelled)
        inner.where(condition.copy(), copy=False)
    inner.where("refund_events.amount > 0", copy=False)
    if direction == "recent":  # the latest up to today, not a record dated after it
        inner.where(f"refund_events.refunded_at < {_after(today)}", copy=False)
    n = query.limit or 1
    order = {
        "desc": "r.amount DESC, r.refunded_at DESC",
        "asc": "r.amount ASC, r.refunded_at DESC",
        "recent": "r.refunded_at DESC NULLS LAST, r.amount DESC",
    }[direction]
    sql = (
        "SELECT o.platform_order_id AS order_no, o.platform AS platform, "
        f"r.amount AS {metric}, r.refunded_at AS refunded_at"
        f" FROM ({inner.sql(dialect='duckdb')}) AS r LEFT JOIN orders AS o ON o.order_id = r.order_id"
        f" ORDER BY {order}, r.refund_id LIMIT {int(n)}"
    )
    return CompiledQuery(
        sql,
        ["order_no", "platform", metric, "refunded_at"],
        compiled.metrics,
        query,
        query.time_range,
        notes=compiled.notes,
    )


def _after(today: dt.date) -> str:
    """Today's first moment, as SQL: the latest rows are those before today (as a period ending today)."""
    return f"CAST('{today.isoformat()} 00:00:00' AS TIMESTAMP)"


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
