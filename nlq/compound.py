"""Compound answers: "top sellers … and their buyer profile" — the top products first, then who
bought them (province, member level, platform, new vs returning), one result set each."""

from __future__ import annotations

from typing import Any

from shopql.catalog.semantic import SemanticQuery

# How the profile SQL reaches each dimension (aliases: i order_items, o orders, p products,
# c customers).
DIMENSION_SQL = {
    "product": "i.product_id",
    "product_title": "coalesce(i.title, p.title)",
    "platform": "o.platform",
    "province": "coalesce(o.province, c.province)",
    "city": "coalesce(o.city, c.city)",
    "member_level": "c.member_level",
    "category": "coalesce(i.category, p.category)",
    "brand": "p.brand",
    "status": "o.status",
    "payment_channel": "o.payment_channel",
}
PROFILES = (
    ("buyers_by_province", "province", "coalesce(province, '(unknown)')"),
    ("buyers_by_member_level", "member_level", "coalesce(member_level, '(none)')"),
    ("buyers_by_platform", "platform", "platform"),
)


def _literal(value: Any) -> str:
    from sqlglot import exp

    return exp.convert(value).sql(dialect="duckdb")


def purchases_sql(query: SemanticQuery, products: list[Any]) -> str:
    """One row per (buyer, paid order) holding one of `products`, within the query's range."""
    dim = query.dimensions[0]
    where = [
        "o.paid_at IS NOT NULL",
        f"{DIMENSION_SQL[dim]} IN ({', '.join(map(_literal, products))})",
    ]
    tr = query.time_range
    if tr and tr.start:
        where.append(f"o.paid_at >= TIMESTAMP '{tr.start.isoformat(sep=' ')}'")
    if tr and tr.end:
        where.append(f"o.paid_at < TIMESTAMP '{tr.end.isoformat(sep=' ')}'")
    for f in query.filters:
        column = DIMENSION_SQL.get(f.dimension)
        if column:
            negate = "NOT " if f.op.lower() in ("not in", "!=", "<>") else ""
            where.append(f"{negate}{column} IN ({', '.join(map(_literal, f.values))})")
    return (
        "SELECT DISTINCT coalesce(c.one_id, o.customer_id) AS buyer, o.order_id, o.paid_at, "
        "o.platform, coalesce(o.province, c.province) AS province, c.member_level "
        "FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "LEFT JOIN products p ON p.product_id = i.product_id "
        "LEFT JOIN customers c ON c.customer_id = o.customer_id "
        f"WHERE {' AND '.join(where)}"
    )


def profile_sqls(query: SemanticQuery, products: list[Any]) -> list[tuple[str, str]]:
    """(name, SQL) of each profile of the buyers of `products`."""
    base = f"WITH bought AS ({purchases_sql(query, products)}) "
    out = [
        (
            name,
            f"{base}SELECT {expr} AS {column}, count(DISTINCT buyer) AS buyers FROM bought "
            "GROUP BY 1 ORDER BY buyers DESC, 1 LIMIT 20",
        )
        for name, column, expr in PROFILES
    ]
    firsts = (
        "firsts AS (SELECT coalesce(c.one_id, o.customer_id) AS buyer, min(o.paid_at) AS first_paid "
        "FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id "
        "WHERE o.paid_at IS NOT NULL GROUP BY 1), "
        "entered AS (SELECT buyer, min(paid_at) AS first_here FROM bought GROUP BY 1)"
    )
    out.append(
        (
            "new_vs_returning",
            f"{base}, {firsts} SELECT CASE WHEN f.first_paid >= e.first_here THEN 'new' "
            "ELSE 'returning' END AS buyer_type, count(*) AS buyers "
            "FROM entered e JOIN firsts f USING (buyer) GROUP BY 1 ORDER BY 1",
        )
    )
    return out


def buyer_profile(ws: Any, query: SemanticQuery, top: Any, question: str) -> list[Any]:
    """The profile result sets for the products in `top` (the first column of its rows)."""
    from shopql.nlq.shared import ResultSet

    products = [row[0] for row in top.rows if row[0] is not None]
    if not products:
        return []
    results = []
    for name, sql in profile_sqls(query, products):
        r = ws.run(sql, question, source="ask:offline")
        results.append(ResultSet(name, r.sql, r.columns, r.rows, r.truncated))
    return results


def _condition(column: str, op: str, values: tuple[Any, ...]) -> str:
    """The positive form of a filter (the exclusion is applied by the caller)."""
    if "like" in op.lower():
        return " OR ".join(f"{column} ILIKE {_literal(v)}" for v in values)
    return f"{column} IN ({', '.join(map(_literal, values))})"


def buyers_without_sql(query: SemanticQuery) -> str:
    """People who bought what the kept filters name within the range, and never what the
    excluded filters name; one row per person."""
    keep = [f for f in query.filters if not f.op.lower().startswith("not")]
    drop = [f for f in query.filters if f.op.lower().startswith("not")]
    kept = " AND ".join(f"({_condition(DIMENSION_SQL[f.dimension], f.op, f.values)})" for f in keep)
    dropped = " OR ".join(
        f"({_condition(DIMENSION_SQL[f.dimension], f.op, f.values)})" for f in drop
    )
    tr = query.time_range
    window = ""
    if tr and tr.start:
        window += f" AND o.paid_at >= TIMESTAMP '{tr.start.isoformat(sep=' ')}'"
    if tr and tr.end:
        window += f" AND o.paid_at < TIMESTAMP '{tr.end.isoformat(sep=' ')}'"
    lines = (
        "SELECT coalesce(c.one_id, o.customer_id) AS buyer, o.customer_id, o.platform, "
        "coalesce(o.province, c.province) AS province, c.member_level, o.paid_at, "
        "i.product_id, i.title, i.category "
        "FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "LEFT JOIN products p ON p.product_id = i.product_id "
        "LEFT JOIN customers c ON c.customer_id = o.customer_id "
        "WHERE o.paid_at IS NOT NULL"
    )
    return (
        f"WITH bought AS ({lines}{window} AND {kept}), "
        f"excluded AS ({lines} AND ({dropped})) "
        "SELECT buyer, string_agg(DISTINCT platform, ', ' ORDER BY platform) AS platforms, "
        "min(province) AS province, min(member_level) AS member_level, "
        "min(paid_at) AS first_bought, count(*) AS lines "
        "FROM bought WHERE buyer NOT IN (SELECT buyer FROM excluded WHERE buyer IS NOT NULL) "
        "GROUP BY buyer ORDER BY first_bought DESC, buyer"
    )


CUSTOMER_RANKINGS = {
    "paid_gmv": "sum(o.paid_amount)",
    "paid_orders": "count(DISTINCT o.order_id)",
    "orders": "count(DISTINCT o.order_id)",
}
ORDER_LEVEL = ("platform", "province", "city", "member_level", "status", "payment_channel")


def top_customers_sql(query: SemanticQuery) -> str:
    """People ranked by what they paid (or their paid orders) in the range: one row each."""
    metric = query.metrics[0]
    descending = not query.order_by or query.order_by[0].descending
    where = ["o.paid_at IS NOT NULL"]
    tr = query.time_range
    if tr and tr.start:
        where.append(f"o.paid_at >= TIMESTAMP '{tr.start.isoformat(sep=' ')}'")
    if tr and tr.end:
        where.append(f"o.paid_at < TIMESTAMP '{tr.end.isoformat(sep=' ')}'")
    lines: list[str] = []
    for f in query.filters:
        negate = "NOT " if f.op.lower().startswith("not") else ""
        condition = f"{negate}({_condition(DIMENSION_SQL[f.dimension], f.op, f.values)})"
        (where if f.dimension in ORDER_LEVEL else lines).append(condition)
    if lines:
        where.append(
            "EXISTS (SELECT 1 FROM order_items i LEFT JOIN products p ON p.product_id = i.product_id "
            f"WHERE i.order_id = o.order_id AND {' AND '.join(lines)})"
        )
    direction = "DESC" if descending else "ASC"
    return (
        "SELECT coalesce(c.one_id, o.customer_id) AS buyer, "
        "string_agg(DISTINCT o.platform, ', ' ORDER BY o.platform) AS platforms, "
        "count(DISTINCT o.order_id) AS paid_orders, sum(o.paid_amount) AS paid_gmv, "
        "min(o.paid_at) AS first_paid, max(o.paid_at) AS last_paid "
        "FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id "
        f"WHERE {' AND '.join(where)} AND coalesce(c.one_id, o.customer_id) IS NOT NULL "
        f"GROUP BY 1 ORDER BY {CUSTOMER_RANKINGS[metric]} {direction}, buyer "
        f"LIMIT {int(query.limit or 10)}"
    )
