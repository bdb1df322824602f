"""Compound answers: "top sellers … and their buyer profile" — the top products first, then who
bought them (province, member level, platform, new vs returning), one result set each, each a
semantic query compiled by the catalog (catalog/people.py), as are the other people answers."""

from __future__ import annotations

from typing import Any

from shopql.catalog.semantic import SemanticQuery


def buyer_profile(ws: Any, query: SemanticQuery, top: Any, question: str) -> list[Any]:
    """The profile result sets for the products in `top` (the first column of its rows): semantic
    queries compiled by the catalog (catalog/people.py `profile_queries`)."""
    from shopql.catalog.compiler import compile_query
    from shopql.catalog.people import new_vs_returning_sql, profile_queries
    from shopql.nlq.shared import ResultSet

    products = [row[0] for row in top.rows if row[0] is not None]
    if not products:
        return []
    results = []
    for name, q in profile_queries(ws.catalog, query, products):
        if q.population is not None:
            sql = new_vs_returning_sql(ws.catalog, q, ws.today)
        else:
            sql = compile_query(ws.catalog, q, today=ws.today).sql
        r = ws.run(sql, question, source="ask:offline")
        results.append(ResultSet(name, r.sql, r.columns, r.rows, r.truncated))
    return results
