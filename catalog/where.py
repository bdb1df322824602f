"""`--where` text → Filter objects: simple conditions only, values kept as values (never SQL)."""

from __future__ import annotations

from typing import Any

import sqlglot
from sqlglot import exp

from shopql.catalog.model import CatalogError
from shopql.catalog.semantic import Filter

_OPS: dict[type[exp.Expression], str] = {
    exp.EQ: "=",
    exp.NEQ: "!=",
    exp.LT: "<",
    exp.LTE: "<=",
    exp.GT: ">",
    exp.GTE: ">=",
    exp.Like: "like",
    exp.In: "in",
}
HINT = "write conditions like: platform = 'tmall' AND province IN ('浙江省', '上海市')"


def parse_where(text: str) -> tuple[Filter, ...]:
    """Parse `dimension op value [AND …]` into filters; anything else is refused."""
    try:
        statements = [s for s in sqlglot.parse(text, read="duckdb") if s is not None]
    except sqlglot.errors.ParseError as e:
        raise CatalogError(f"cannot read --where {text!r}", HINT) from e
    if len(statements) != 1:
        raise CatalogError(f"--where takes one condition, not {text!r}", HINT)
    tree = statements[0]
    return tuple(_filter(part) for part in _conjuncts(tree))


def _conjuncts(tree: exp.Expression) -> list[exp.Expression]:
    if isinstance(tree, exp.And):
        return _conjuncts(tree.this) + _conjuncts(tree.expression)
    if isinstance(tree, exp.Paren):
        return _conjuncts(tree.this)
    return [tree]


def _filter(node: exp.Expression) -> Filter:
    negate = isinstance(node, exp.Not)
    if negate:
        node = node.this
    op = _OPS.get(type(node))
    column = node.this if op else None
    if op is None or not isinstance(column, exp.Column) or column.table:
        raise CatalogError(f"unsupported condition {node.sql()!r}", HINT)
    values = node.expressions if isinstance(node, exp.In) else [node.expression]
    if negate:
        op = {"in": "not in", "like": "not like", "=": "!="}.get(op)
        if op is None:
            raise CatalogError(f"unsupported condition NOT {node.sql()!r}", HINT)
    return Filter(column.name, op, tuple(_value(v) for v in values))


def _value(node: exp.Expression) -> Any:
    if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal):
        return -_value(node.this)
    if isinstance(node, exp.Literal):
        if node.is_string:
            return node.this
        number = float(node.this)
        return int(number) if number.is_integer() and "." not in node.this else number
    if isinstance(node, exp.Boolean):
        return bool(node.this)
    raise CatalogError(f"{node.sql()!r} is not a plain value", HINT)
