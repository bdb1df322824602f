"""The types DuckDB gives a query's expressions, so another engine can compute the same values.

``DuckTypes(tree, schema).of(node)`` is the DuckDB type of any expression of `tree` (a parsed
DuckDB query over tables of `schema`): columns are followed through every level of subqueries,
CTEs and set operations to the table they come from (sqlglot's scopes); the numeric rules that
decide how a value is computed are DuckDB's own — ``/`` and ``avg`` give DOUBLE, a DECIMAL
``median`` stays DECIMAL, ``sum`` of DECIMAL(p, s) is DECIMAL(38, s), DECIMAL arithmetic keeps
(or, for ``*``, adds) scales; everything else comes from sqlglot's ``annotate_types`` in
DuckDB's dialect. None when the type cannot be told.

The Spark transpiler (``warehouse.spark``) asks it which averages, medians and roundings need
DuckDB's arithmetic.
"""

from __future__ import annotations

import re
from typing import Any

from sqlglot import exp
from sqlglot.optimizer.scope import Scope, traverse_scope

DOUBLE = exp.DataType.build("DOUBLE")
BIGINT = exp.DataType.build("BIGINT")
_FLOATS = {exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT}
_INTS = exp.DataType.INTEGER_TYPES
_SAME_AS_ARG = (exp.Max, exp.Min, exp.AnyValue, exp.First, exp.Last, exp.ArgMax, exp.ArgMin)


def decimal_scale(kind: exp.DataType | None) -> int | None:
    """The scale of a DECIMAL type (0 when it has none), else None."""
    if kind is None or kind.this != exp.DataType.Type.DECIMAL:
        return None
    params = kind.expressions
    if len(params) < 2:
        return 0 if params else 3  # DuckDB's DECIMAL is DECIMAL(18, 3)
    return int(params[1].this.this if isinstance(params[1], exp.DataTypeParam) else params[1].name)


def is_double(kind: exp.DataType | None) -> bool:
    return kind is not None and kind.this in _FLOATS


def decimal(scale: int, precision: int = 38) -> exp.DataType:
    return exp.DataType.build(f"DECIMAL({precision}, {scale})")


class DuckTypes:
    """DuckDB's type of each expression of one parsed query."""

    def __init__(self, tree: exp.Expression, schema: dict[str, dict[str, str]]) -> None:
        from sqlglot.optimizer.annotate_types import annotate_types
        from sqlglot.schema import MappingSchema

        self.schema = {
            t.lower(): {c.lower(): k for c, k in cols.items()} for t, cols in schema.items()
        }
        try:
            annotate_types(tree, schema=MappingSchema(schema, dialect="duckdb"), dialect="duckdb")
        except Exception:  # sqlglot could not type a part: our own rules still apply
            pass
        self.scope_of: dict[int, Scope] = {}
        self.scopes: dict[int, Scope] = {}
        for scope in traverse_scope(tree):
            self.scopes[id(scope.expression)] = scope
            for column in scope.columns:
                self.scope_of[id(column)] = scope
        self._memo: dict[int, exp.DataType | None] = {}
        self._busy: set[int] = set()

    def of(self, node: exp.Expression | None) -> exp.DataType | None:
        if node is None:
            return None
        key = id(node)
        if key in self._memo:
            return self._memo[key]
        if key in self._busy:  # a recursive CTE names itself
            return None
        self._busy.add(key)
        try:
            found = self._type(node)
        finally:
            self._busy.discard(key)
        self._memo[key] = found
        return found

    # --- the rules ------------------------------------------------------------------------

    def _type(self, node: exp.Expression) -> exp.DataType | None:
        if isinstance(node, (exp.Paren, exp.Alias, exp.Neg, exp.Window, exp.Filter)):
            return self.of(node.this)
        if isinstance(node, (exp.Cast, exp.TryCast)):
            return node.to
        if isinstance(node, exp.Null):
            return None
        if isinstance(node, exp.Literal):
            return _literal_type(node)
        if isinstance(node, exp.Column):
            return self._column(node)
        if isinstance(node, (exp.Div, exp.Avg)):
            return DOUBLE
        if isinstance(node, (exp.Count, exp.CountIf)):
            return BIGINT
        if isinstance(node, exp.Sum):
            arg = self.of(node.this)
            scale = decimal_scale(arg)
            return decimal(scale) if scale is not None else arg
        if isinstance(node, (exp.Median, exp.Quantile, exp.PercentileCont)):
            arg = self.of(node.this)
            return arg if decimal_scale(arg) is not None else DOUBLE
        if isinstance(node, _SAME_AS_ARG + (exp.Nullif,)):
            return self.of(node.this)
        if isinstance(node, exp.Coalesce):
            return _first(self.of(a) for a in [node.this, *node.expressions])
        if isinstance(node, exp.Case):
            branches = [i.args.get("true") for i in node.args.get("ifs") or []]
            return _first(self.of(b) for b in [*branches, node.args.get("default")])
        if isinstance(node, exp.If):
            return _first(self.of(node.args.get(k)) for k in ("true", "false"))
        if isinstance(node, (exp.Add, exp.Sub, exp.Mul)):
            return self._arithmetic(node)
        if isinstance(node, exp.Round):
            arg = self.of(node.this)
            places = node.args.get("decimals")
            if decimal_scale(arg) is not None:
                n = int(places.this) if isinstance(places, exp.Literal) and places.is_int else 0
                return decimal(max(n, 0))
            return arg
        if isinstance(node, exp.Subquery):
            return self.of(node.this)
        if isinstance(node, exp.Select):
            return self.of(node.selects[0]) if len(node.selects) == 1 else None
        known = node.type
        if known is None or known.this == exp.DataType.Type.UNKNOWN:
            return None
        return known

    def _arithmetic(self, node: exp.Binary) -> exp.DataType | None:
        left, right = self.of(node.this), self.of(node.expression)
        if is_double(left) or is_double(right):
            return DOUBLE
        ls, rs = decimal_scale(left), decimal_scale(right)
        if ls is None and rs is None:
            return left if left is not None and left.this in _INTS else right
        if isinstance(node, exp.Mul):
            return decimal((ls or 0) + (rs or 0))
        return decimal(max(ls or 0, rs or 0))

    def _column(self, column: exp.Column) -> exp.DataType | None:
        scope = self.scope_of.get(id(column))
        if scope is None:
            return None
        name = column.name.lower()
        sources = scope.sources
        if column.table:
            candidates = [sources.get(column.table)]
        else:
            candidates = list(sources.values())
        for source in candidates:
            found = self._source_column(source, name)
            if found is not None:
                return found
        return None

    def _source_column(self, source: Any, name: str) -> exp.DataType | None:
        if isinstance(source, exp.Table):
            kind = self.schema.get(source.name.lower(), {}).get(name)
            return exp.DataType.build(kind, dialect="duckdb") if kind else None
        if isinstance(source, Scope):
            return self._query_column(source.expression, name)
        return None

    def _query_column(self, query: exp.Expression, name: str) -> exp.DataType | None:
        if isinstance(query, exp.SetOperation):  # the first branch that says (NULL says nothing)
            return self._query_column(query.left, name) or self._query_column(query.right, name)
        if isinstance(query, exp.Subquery):
            return self._query_column(query.this, name)
        if not isinstance(query, exp.Select):
            return None
        for projection in query.selects:
            if isinstance(projection, exp.Star) or (
                isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star)
            ):
                scope = self.scopes.get(id(query))
                for source in scope.sources.values() if scope else []:
                    found = self._source_column(source, name)
                    if found is not None:
                        return found
            elif projection.alias_or_name.lower() == name:
                return self.of(projection)
        return None


def _first(kinds: Any) -> exp.DataType | None:
    return next((k for k in kinds if k is not None), None)


def _literal_type(node: exp.Literal) -> exp.DataType | None:
    if node.is_string:
        return exp.DataType.build("VARCHAR")
    text = node.name
    if re.fullmatch(r"\d+", text):
        return exp.DataType.build("INTEGER")
    m = re.fullmatch(r"\d*\.(\d+)", text)
    if m:  # DuckDB reads 0.5 as DECIMAL(2, 1)
        return decimal(len(m.group(1)), max(len(text) - 1, len(m.group(1))))
    return DOUBLE
