"""`--explain`: what a query does, in words, read from its sqlglot AST (any engine's SQL)."""

from __future__ import annotations

from typing import Any


def explain_sql(sql: str) -> list[str]:
    """Sentences saying which tables the query reads, how it filters, groups, orders and limits."""
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except sqlglot.errors.ParseError:
        return ["(the query could not be read back)"]
    ctes = {c.alias_or_name for c in tree.find_all(exp.CTE)}
    tables = sorted({t.name for t in tree.find_all(exp.Table) if t.name and t.name not in ctes})
    lines = [f"reads {', '.join(tables) or 'no table'}"]
    if ctes:
        lines.append(f"builds {len(ctes)} intermediate result(s): {', '.join(sorted(ctes))}")
    for where in tree.find_all(exp.Where):
        lines.append(f"keeps rows where {where.this.sql(dialect='duckdb')}")
    joins = [j for j in tree.find_all(exp.Join)]
    if joins:
        lines.append(
            f"joins {len(joins)} time(s) on keys (many-to-one, so amounts are not repeated)"
        )
    for group in tree.find_all(exp.Group):
        select = group.parent
        names = ", ".join(_projection(select, g) for g in group.expressions)
        lines.append(f"groups by {names} and aggregates each group")
    if isinstance(tree, exp.Select):
        order = tree.args.get("order")
        if order:
            parts = [
                f"{o.this.sql(dialect='duckdb')}{' descending' if o.args.get('desc') else ''}"
                for o in order.expressions
            ]
            lines.append("orders by " + ", ".join(parts))
    limit = tree.args.get("limit")
    if limit is not None and limit.expression is not None:
        lines.append(f"returns at most {limit.expression.sql()} rows")
    return lines


def _projection(select: Any, node: Any) -> str:
    from sqlglot import exp

    if isinstance(node, exp.Literal) and node.is_int:
        index = int(node.this) - 1
        if 0 <= index < len(select.expressions):
            return select.expressions[index].alias_or_name
    return str(node.sql(dialect="duckdb"))
