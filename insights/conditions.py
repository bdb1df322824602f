"""The audience condition language: who is in a segment or carries a rule tag.

A condition is SQL-like text, parsed with sqlglot and rebuilt from known parts only (values stay
values, names must be known), combined with AND, OR, NOT and parentheses:

- a person column (``shopql.insights.tags.PERSON_COLUMNS``) compared to values, as in
  ``--where``: ``rfm_segment = '重要价值客户'``, ``net_spend >= 1000``, ``province IN ('浙江省')``,
  ``lifecycle != 'lapsed'``, ``r_score BETWEEN 4 AND 5``, ``preferred_category IS NULL``;
- ``tag = 'NAME'``: carries the rule tag NAME; ``platform = 'jd'``: has an account on jd;
- ``bought(…)``: bought (paid, not refunded or cancelled) something matching every condition
  inside: ``category``, ``product`` (product id, seller code or platform product id),
  ``outer_code``, ``title`` (LIKE works), ``brand``, ``platform``; the window ``days = 60``
  (the last 60 days up to today), ``since = '2025-01-01'``, ``until = '2025-03-31'``; how often
  ``times >= 2`` (distinct orders) and how much ``spend >= 500`` (net of refunds: the order's
  amount, or the matching lines' amount when a product field is given). ``NOT bought(…)`` is
  "did not buy". It reads ``person_lines``, rebuilt by every tag refresh (after each sync);
- ``segment('NAME')``: member of another saved segment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlglot
from sqlglot import exp

from shopql.catalog.where import _OPS as WHERE_OPS
from shopql.catalog.where import _value
from shopql.errors import ShopqlError

HINT = (
    "write e.g. bought(category = '沙发', days = 60) AND NOT bought(category = '茶几'), "
    "or rfm_segment = '重要价值客户' AND net_spend >= 1000"
)
_OPS: dict[type[exp.Expression], str] = {**WHERE_OPS, exp.ILike: "ilike"}
# bought(…) fields -> person_lines columns (line-level ones need every line, not one per order)
LINE_FIELDS = {"category", "outer_code", "title", "brand"}
PRODUCT_KEYS = ("product_id", "outer_code", "platform_product_id")
ORDER_FIELDS = {"platform", "province"}
WINDOW_FIELDS = ("days", "since", "until")


class ConditionError(ShopqlError):
    """A segment or rule-tag condition that cannot be understood."""


def parse_condition(text: str) -> exp.Expression:
    """The condition's syntax tree; one clear error when it is not one condition."""
    try:
        trees = [t for t in sqlglot.parse(text, read="duckdb") if t is not None]
    except sqlglot.errors.ParseError as e:
        raise ConditionError(f"cannot read condition {text!r}", HINT) from e
    if len(trees) != 1:
        raise ConditionError(f"a condition is one expression, not {text!r}", HINT)
    return trees[0]


class ConditionCompiler:
    """Turns a condition into a SQL boolean over one person.

    Args:
        person_columns: column -> kind of the person-tags row (aliased ``pt``).
        id_expr: the SQL of the person's one_id in the enclosing query.
        today: the day ``days = N`` windows end on.
        segment_sql: gives the one_id SELECT of a saved segment (None: segments not allowed).
        allow_tags: whether ``tag = …`` may be used (not inside rule tags themselves).
    """

    def __init__(
        self,
        person_columns: dict[str, str],
        id_expr: str,
        today: dt.date,
        segment_sql: Callable[[str], str] | None = None,
        allow_tags: bool = True,
    ) -> None:
        self.columns = person_columns
        self.id = id_expr
        self.today = today
        self.segment_sql = segment_sql
        self.allow_tags = allow_tags

    def compile(self, text: str) -> str:
        return self._node(parse_condition(text)).sql(dialect="duckdb")

    def _node(self, node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Paren):
            return exp.Paren(this=self._node(node.this))
        if isinstance(node, (exp.And, exp.Or)):
            return type(node)(this=self._node(node.this), expression=self._node(node.expression))
        if isinstance(node, exp.Not):
            return exp.Not(this=exp.Paren(this=self._node(node.this)))
        if isinstance(node, exp.Anonymous):
            return self._function(node)
        return self._comparison(node)

    def _function(self, node: exp.Anonymous) -> exp.Expression:
        name = str(node.this).lower()
        if name == "bought":
            return _parse_sql(f"{self.id} IN ({self._bought(node.expressions)})")
        if name == "segment" and self.segment_sql is not None:
            values = [_value(v) for v in node.expressions]
            if len(values) != 1 or not isinstance(values[0], str):
                raise ConditionError("segment() takes one segment name: segment('vip')", HINT)
            return _parse_sql(f"{self.id} IN ({self.segment_sql(values[0])})")
        raise ConditionError(f"unknown function {name}() in a condition", HINT)

    def _comparison(self, node: exp.Expression) -> exp.Expression:
        column, rebuilt = _simple(node)
        if column == "tag" and self.allow_tags:
            inner = f"SELECT one_id FROM person_rule_tags AS rt WHERE {rebuilt('rt.tag')}"
            return _parse_sql(f"{self.id} IN ({inner})")
        if column == "platform":
            inner = (
                "SELECT coalesce(ca.one_id, ca.customer_id) FROM customers AS ca "
                f"WHERE ca.customer_id IS NOT NULL AND {rebuilt('ca.platform')}"
            )
            return _parse_sql(f"{self.id} IN ({inner})")
        if column not in self.columns:
            known = sorted({*self.columns, "platform", *(("tag",) if self.allow_tags else ())})
            raise ConditionError(
                f"unknown person field {column!r}", f"use one of: {', '.join(known)}"
            )
        _check_kind(column, self.columns[column], node)
        return _parse_sql(rebuilt(f"pt.{column}"))

    def _bought(self, args: list[exp.Expression]) -> str:
        where: list[str] = []
        having: list[str] = []
        lines = False
        for arg in args:
            if isinstance(arg, (exp.Paren, exp.Or)):  # alternatives: (title LIKE … OR …)
                sql, on_lines = self._what(arg)
                where.append(sql)
                lines = lines or on_lines
                continue
            field, rebuilt = _simple(arg)
            if field in WINDOW_FIELDS:
                where.append(self._window(field, arg))
            elif field == "times":
                having.append(rebuilt("count(DISTINCT order_id)"))
            elif field == "spend":
                having.append(rebuilt("{spend}"))
            else:
                sql, on_lines = self._what(arg)
                where.append(sql)
                lines = lines or on_lines
        return _bought_sql(where, having, lines)

    def _what(self, node: exp.Expression) -> tuple[str, bool]:
        """A condition on what was bought (product fields, platform, province, with AND / OR /
        NOT inside): its SQL over person_lines, and whether it needs every line."""
        if isinstance(node, exp.Paren):
            sql, lines = self._what(node.this)
            return f"({sql})", lines
        if isinstance(node, (exp.And, exp.Or)):
            (left, a), (right, b) = self._what(node.this), self._what(node.expression)
            return f"{left} {'AND' if isinstance(node, exp.And) else 'OR'} {right}", a or b
        field, rebuilt = _simple(node)
        if field == "product":
            return "(" + " OR ".join(rebuilt(k) for k in PRODUCT_KEYS) + ")", True
        if field in LINE_FIELDS or field in ORDER_FIELDS:
            return rebuilt(field), field in LINE_FIELDS
        raise ConditionError(
            f"bought() does not know {field!r}",
            "use category, product, outer_code, title, brand, platform, province, days, "
            "since, until, times, spend",
        )

    def _window(self, field: str, node: exp.Expression) -> str:
        value = _value(node.expression) if isinstance(node, exp.EQ) else None
        if field == "days":
            if not isinstance(value, int) or value < 1:
                raise ConditionError("write the window as days = N (N ≥ 1)", HINT)
            start = self.today - dt.timedelta(days=value - 1)
            return f"paid_at >= DATE '{start.isoformat()}'"
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError as e:
            raise ConditionError(f"{field} takes a date: {field} = '2025-01-31'", HINT) from e
        if field == "since":
            return f"paid_at >= DATE '{day.isoformat()}'"
        return f"paid_at < DATE '{(day + dt.timedelta(days=1)).isoformat()}'"


def _bought_sql(where: list[str], having: list[str], lines: bool) -> str:
    """Persons with kept purchases (person_lines: paid, not refunded or cancelled) matching."""
    if not lines:
        where.insert(0, "first_line")  # one row per order
    spend = "sum(line_amount)" if lines else "sum(order_kept)"
    group = ""
    if having:
        group = " GROUP BY one_id HAVING " + " AND ".join(
            h.replace("{spend}", spend) for h in having
        )
    return f"SELECT one_id FROM person_lines WHERE {' AND '.join(where) or 'TRUE'}{group}"


def _simple(node: exp.Expression) -> tuple[str, Callable[[str], str]]:
    """(field name, a function rebuilding the comparison on another SQL expression)."""
    negate = isinstance(node, exp.Not)
    inner: Any = node.this if negate else node
    column = (
        getattr(inner, "this", None)
        if isinstance(inner, (exp.In, exp.Between, exp.Is, *_OPS))
        else None
    )
    if not isinstance(column, exp.Column) or column.table:
        raise ConditionError(f"unsupported condition {node.sql()!r}", HINT)
    field = column.name.lower()
    prefix = "NOT " if negate else ""
    if isinstance(inner, exp.In):
        values = ", ".join(_literal(_value(v)) for v in inner.expressions)
        return field, lambda target: f"{prefix}{target} IN ({values})"
    if isinstance(inner, exp.Between):
        low, high = _literal(_value(inner.args["low"])), _literal(_value(inner.args["high"]))
        return field, lambda target: f"{prefix}{target} BETWEEN {low} AND {high}"
    if isinstance(inner, exp.Is):
        if not isinstance(inner.expression, exp.Null):
            raise ConditionError(f"unsupported condition {node.sql()!r}", HINT)
        return field, lambda target: f"{target} IS {prefix}NULL"
    op, value = _OPS[type(inner)], _literal(_value(inner.expression))
    return field, lambda target: f"{prefix}{target} {op} {value}"


def _check_kind(column: str, kind: str, node: exp.Expression) -> None:
    """Refuse a value of the wrong kind now (lint time), not as a failed tag refresh later."""
    inner = node.this if isinstance(node, exp.Not) else node
    if isinstance(inner, exp.In):
        parts = list(inner.expressions)
    elif isinstance(inner, exp.Between):
        parts = [inner.args["low"], inner.args["high"]]
    else:
        parts = [inner.expression]
    for part in parts:
        if isinstance(part, exp.Null):
            continue
        value = _value(part)
        if kind == "number" and not isinstance(value, (int, float)):
            raise ConditionError(f"{column} is a number, not {value!r}", HINT)
        if kind == "text" and not isinstance(value, str):
            raise ConditionError(f"{column} is text: write {column} = '{value}'", HINT)
        if kind == "time":
            try:
                dt.datetime.fromisoformat(str(value))
            except ValueError as e:
                raise ConditionError(f"{column} takes a date such as '2025-01-31'", HINT) from e


def _literal(value: Any) -> str:
    return exp.convert(value).sql(dialect="duckdb")


def _parse_sql(sql: str) -> exp.Expression:
    return sqlglot.parse_one(sql, read="duckdb")
