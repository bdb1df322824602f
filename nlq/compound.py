"""Compound answers: "top sellers … and their buyer profile" — the top products first, then who
bought them (province, member level, platform, new vs returning), one result set each. The SQL
is built in the catalog's people module (catalog/people.py), as are the other people answers."""

from __future__ import annotations

from typing import Any

from shopql.catalog.people import profile_sqls
from shopql.catalog.semantic import SemanticQuery


def buyer_profile(ws: Any, query: SemanticQuery, top: Any, question: str) -> list[Any]:
    """The profile result sets for the products in `top` (the first column of its rows)."""
    from shopql.nlq.answer import ResultSet

    products = [row[0] for row in top.rows if row[0] is not None]
    if not products:
        return []
    results = []
    for name, sql in profile_sqls(query, products):
        r = ws.run(sql, question, source="ask:offline")
        results.append(ResultSet(name, r.sql, r.columns, r.rows, r.truncated))
    return results
