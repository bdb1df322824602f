"""Sellers on a marketplace whose orders can have several (Olist: 1,278 orders): figures by
seller, or of the sellers in a place, take each order line's own seller — its lines' amounts,
each order once for each of its sellers — never the whole order to the first of them. Shared
by the offline reading (nlq/comparisons.py), the people sets (nlq/people.py) and the LLM's
semantic query (nlq/pipeline.py); the compiler reads the seller through the order's lines
(`SemanticQuery.line_seller`, catalog/joins.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from shopql.catalog.semantic import SemanticQuery


def _seller_dims(ws: Any) -> set[str]:
    """The seller and its own attributes, split per line like the seller itself (shop_name,
    seller_state, seller_city; not platform, which orders have too)."""
    from shopql.catalog.joins import seller_dims

    return set(seller_dims(ws.catalog))


# Counts of orders and buyers per seller: the orders (buyers) with a line of that seller
LINE_COUNTS = {
    "orders": "orders_with_items",
    "paid_orders": "paid_orders_with_items",
    "buyers": "buyers_with_items",
}


def by_line_seller(query: SemanticQuery, ws: Any) -> SemanticQuery:
    """Sellers ranked, split or filtered ("sales of sellers in PR") by an amount, a count or a
    measure of orders, on a marketplace whose orders can have several sellers (Olist: 1,278
    orders): each line's amount goes to its own seller (the line metric by
    `order_items.shop_id`), an order counts once for each of its sellers — its orders, buyers,
    delivery days, review scores, average order value (the seller's line amounts over its
    orders) — not the whole order to the first of them. The compiler reads the seller through
    the order's lines (`line_seller`) and refuses an amount kept per order (freight)."""
    sellers = _seller_dims(ws)
    filtered = any(f.dimension in sellers for f in query.filters)
    if not (sellers & set(query.dimensions) or filtered) or not _split_orders(ws):
        return query
    metrics = ws.catalog.metrics
    renamed = {
        m: str(line)
        for m in query.metrics
        for line in [getattr(metrics.get(m), "line_metric", None) or LINE_COUNTS.get(m)]
        if line and line in metrics
    }
    lines = tuple(renamed.get(m, m) for m in query.metrics)
    order = tuple(replace(o, name=str(renamed.get(o.name, o.name))) for o in query.order_by)
    amounts = [m for m in renamed if m not in LINE_COUNTS]
    counts = [m for m in query.metrics if m not in amounts]  # once for each seller
    said = "both" if counts and amounts else "amounts" if amounts else "counts"
    extra = {**query.extra, "line_seller": said}
    having = tuple(
        replace(f, dimension=str(renamed.get(f.dimension, f.dimension))) for f in query.having
    )
    return replace(
        query, metrics=lines, order_by=order, extra=extra, having=having, line_seller=True
    )


def _split_orders(ws: Any) -> bool:
    """Whether some order's lines name another seller than the order (read once)."""
    cached = ws.__dict__.get("_t_split_orders")
    if cached is None:
        try:
            row = ws.reader().execute(
                "SELECT 1 FROM order_items i JOIN orders o ON o.order_id = i.order_id "
                "WHERE i.shop_id <> o.shop_id LIMIT 1"
            )
            cached = row.fetchone() is not None
        except Exception:  # an older warehouse without line sellers
            cached = False
        ws.__dict__["_t_split_orders"] = cached
    return bool(cached)


def describe(query: SemanticQuery) -> list[str]:
    """The 'understood' line of a figure by each line's seller."""
    said = query.extra.get("line_seller")
    if not said:
        return []
    return [
        "by each order line's own seller: an order with several sellers"
        + (" counts once for each" if said != "amounts" else "")
        + (" and" if said == "both" else "")
        + (" gives each its lines' amounts (goods, no shipping)" if said != "counts" else "")
    ]
