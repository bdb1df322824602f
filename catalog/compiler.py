"""The metric compiler: a SemanticQuery becomes one DuckDB SELECT, built with sqlglot expressions.

Plan, per query:
1. every requested metric is expanded to the *simple* metrics it needs (ratio and derived metrics
   are arithmetic over simple ones);
2. each simple metric is aggregated on its own, in its own CTE, over its own model, time column,
   filter and the requested dimensions (fan-out safety: measures from different tables never share
   a join, so one order's lines never multiply its amount);
3. the CTEs are stacked (UNION ALL) and collapsed per dimension values, and ratio/derived metrics
   are computed on the collapsed row (numerator and denominator each aggregated separately).

User values (filters, dates) only ever become SQL literals; catalog expressions are parsed by
sqlglot and their columns qualified against the semantic model.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import sqlglot
from sqlglot import exp

from shopql.catalog.joins import ROW_NUMBER, FanoutError, JoinPlan, parse_expr, seller_dims
from shopql.catalog.model import (
    ADDITIVE,
    FANOUT_SAFE,
    GRAINS,
    Catalog,
    CatalogError,
    Metric,
    SemanticModel,
    percentile_fraction,
)
from shopql.catalog.semantic import (
    OF_GROUPS,
    OFFLINE_OF_GROUPS,
    Filter,
    SemanticQuery,
    TimeRange,
)
from shopql.catalog.timephrase import period_start, previous_range

FILTER_OPS = ("=", "!=", "<>", "in", "not in", "<", "<=", ">", ">=", "like", "not like")
NULL_OPS = ("is null", "is not null")  # take no value
ROUNDING = {"ratio": 4, "score": 2, "days": 1, "money": 2}


# the filters a per-person total is taken within (`_scope`): values named, not ranges or nulls
VALUE_OPS = ("in", "not in", "=", "like", "not like")


@dataclass
class CompiledQuery:
    """The SQL for a semantic query, its output columns, and the metric definitions it used."""

    sql: str
    columns: list[str]
    metrics: list[Metric]
    query: SemanticQuery
    time_range: TimeRange | None = None
    previous: TimeRange | None = None
    notes: list[str] = field(default_factory=list)
    # (metric name, SQL counting the rows a time breakdown left out because their time is NULL):
    # run by whoever runs `sql` (null_time_notes), a note says how many when any were
    null_checks: list[tuple[str, str]] = field(default_factory=list)
    # (metric name, rows, what, SQL counting the rows a distinct count leaves out because the
    # thing counted is NULL there: orders whose export names no buyer); run like null_checks
    unkeyed_checks: list[tuple[str, str, str, str]] = field(default_factory=list)

    def definitions(self, lang: str = "en") -> dict[str, str]:
        """metric name → its definition (口径) in one line."""
        return {
            m.name: m.description.get(lang) or m.description.get("en", "") for m in self.metrics
        }


def _today_in(sql: str, today: dt.date) -> str:
    """CURRENT_DATE in a catalog model's SQL ("days since the last purchase") is the day the
    question is asked about: the engine's today, not the machine's clock."""
    return sql.replace("CURRENT_DATE", f"CAST('{today.isoformat()}' AS DATE)")


def today_in(timezone: str) -> dt.date:
    """Today's date in the shop's time zone."""
    try:
        from zoneinfo import ZoneInfo

        return dt.datetime.now(ZoneInfo(timezone)).date()
    except Exception:  # no tz database: the machine's date is close enough
        return dt.date.today()


def compile_query(
    catalog: Catalog, query: SemanticQuery, today: dt.date | None = None
) -> CompiledQuery:
    """Compile `query` against `catalog`; raise CatalogError for what the catalog cannot answer."""
    today = today or today_in(catalog.timezone)
    if query.extra.get("order_rows"):  # "上个月最贵的5单": single orders listed (catalog/rows.py)
        from shopql.catalog.rows import compile_order_rows

        return compile_order_rows(catalog, query, today)
    if query.extra.get("refund_rows"):  # "上个月最大的5笔退款": single refunds listed (rows.py)
        from shopql.catalog.rows import compile_refund_rows

        return compile_refund_rows(catalog, query, today)
    if query.extra.get("by_buyer_kind"):  # "新客和老客的客单价": one row per kind of buyer
        from shopql.catalog.people import compile_by_buyer_kind

        return compile_by_buyer_kind(catalog, query, today)
    if query.population is not None:  # set logic over people (catalog/people.py)
        from shopql.catalog.people import compile_people

        return compile_people(catalog, query, today)
    builder = _Builder(catalog, query, today)
    return builder.build()


def _own_conditions(catalog: Catalog, metric: Metric) -> tuple[Filter, ...]:
    """The simple conditions (`column op literal`, joined by AND) of a simple metric's own filter,
    named by the dimensions of its model they test: converted_visitors' `event_type = 'buy'`
    is `event_type = buy`. Conditions on columns no dimension names are left out."""
    measure = catalog.measure(metric.measure or "") if metric.type == "simple" else None
    model = catalog.models.get(measure.model) if measure else None
    if not metric.filter or model is None:
        return ()
    try:
        tree = parse_expr(metric.filter)  # parsed once per process
    except CatalogError:
        return ()
    named = {d.expr: d.name for d in model.dimensions.values()}
    ops = {exp.EQ: "=", exp.GT: ">", exp.GTE: ">=", exp.LT: "<", exp.LTE: "<="}
    out: list[Filter] = []
    for part in tree.flatten() if isinstance(tree, exp.And) else [tree]:
        column: exp.Column | None = None
        values: tuple[exp.Expression, ...] = ()
        op = ""
        if type(part) in ops and isinstance(part.this, exp.Column):
            column, op = part.this, ops[type(part)]
            values = (part.expression,)
        elif isinstance(part, exp.In) and isinstance(part.this, exp.Column):
            column, op, values = part.this, "in", tuple(part.expressions)
        if column is None or not values or not all(isinstance(v, exp.Literal) for v in values):
            continue
        name = named.get(column.name) or named.get(column.sql(dialect="duckdb"))
        if name is None:
            continue
        literals = tuple(
            v.this if v.is_string else (int(v.this) if v.is_int else float(v.this))
            for v in values
            if isinstance(v, exp.Literal)
        )
        out.append(Filter(name, op, literals))
    return tuple(out)


def _check_satisfiable(filters: tuple[Filter, ...], metric: str | None = None) -> None:
    """Refuse conditions on one dimension that no row can meet together (score ≥ 4 and score ≤ 2,
    state = SP and state = RJ): their AND is empty, and a 0 shown for it would answer a question
    nobody asked ("好评(4-5星)和差评(1-2星)各多少" is two groups, not one group meeting both)."""
    by_dim: dict[str, list[Filter]] = {}
    for f in filters:
        by_dim.setdefault(f.dimension, []).append(f)
    for dim, conds in by_dim.items():
        if len(conds) < 2:
            continue
        allowed: set[Any] | None = None  # the values = / in leave
        low: tuple[float, bool] | None = None  # (bound, inclusive)
        high: tuple[float, bool] | None = None
        for f in conds:
            op = f.op.lower()
            if op in ("=", "in"):
                values = set(f.values)
                allowed = values if allowed is None else allowed & values
            elif op in (">", ">=", "<", "<=") and len(f.values) == 1:
                v = f.values[0]
                if isinstance(v, bool) or not isinstance(v, (int, float)):
                    continue
                bound = (float(v), op.endswith("="))
                if op.startswith(">") and (
                    low is None or bound[0] > low[0] or bound == (low[0], False)
                ):
                    low = bound
                if op.startswith("<") and (
                    high is None or bound[0] < high[0] or bound == (high[0], False)
                ):
                    high = bound
        if allowed is not None:  # "in SP" and "not in SP" (outside SP … in SP): nothing left
            for f in conds:
                if f.op.lower() in ("!=", "not in"):
                    allowed = allowed - set(f.values)
        empty = allowed is not None and not allowed
        if not empty and low is not None and high is not None:
            empty = low[0] > high[0] or (low[0] == high[0] and not (low[1] and high[1]))
        if not empty and allowed and (low is not None or high is not None):
            numbers = [
                v for v in allowed if isinstance(v, (int, float)) and not isinstance(v, bool)
            ]
            if len(numbers) == len(allowed):
                empty = not any(_within(float(v), low, high) for v in numbers)
        if empty:
            said = " and ".join(f"{dim} {f.op} {', '.join(map(str, f.values))}" for f in conds)
            whose = f" ({metric} counts only rows of its own condition)" if metric else ""
            raise CatalogError(
                f"the conditions {said} cannot all hold at once{whose}: no row could meet them",
                "ask for each group on its own, or compare them ('4-5 stars vs 1-2 stars')",
            )


def _within(v: float, low: tuple[float, bool] | None, high: tuple[float, bool] | None) -> bool:
    if low is not None and (v < low[0] or (v == low[0] and not low[1])):
        return False
    return high is None or v < high[0] or (v == high[0] and high[1])


def metric_closure(catalog: Catalog, names: tuple[str, ...] | list[str]) -> list[Metric]:
    """The metrics `names` and every metric they are computed from, each once, inputs first."""
    seen: dict[str, Metric] = {}

    def visit(name: str, trail: tuple[str, ...]) -> None:
        if name in trail:
            raise CatalogError(f"metric {name} is defined in terms of itself ({' → '.join(trail)})")
        metric = catalog.metrics.get(name)
        if metric is None:
            raise CatalogError(f"unknown metric {name}", _suggest(name, catalog.metrics))
        for sub in metric.inputs_used:
            visit(sub, (*trail, name))
        seen.setdefault(name, metric)

    for name in names:
        visit(name, ())
    return list(seen.values())


def formula(catalog: Catalog, metric: Metric) -> str:
    """The exact rule of `metric` in one line, e.g. `sum(paid_amount) on orders where …`."""
    if metric.type == "ratio":
        return f"{metric.numerator} / {metric.denominator}"
    if metric.type == "derived":
        return metric.expr or ""
    measure = catalog.measure(metric.measure or "")
    if measure is None:
        return f"? (unknown measure {metric.measure})"
    text = f"{measure.sql} on {measure.model}"
    if measure.having:
        text = f"count of {measure.expr} having {measure.having} on {measure.model}"
    if metric.filter:
        text += f" where {metric.filter}"
    model = catalog.models.get(measure.model)
    time = metric.time or (model.default_time if model else None)
    text += f", time {time}" if time else ", a snapshot (no time)"
    if metric.window_days:
        text += f", last {metric.window_days} days"
    return text


def _suggest(
    name: str, choices: Mapping[str, Any], fallback: str = "see `shopql catalog metrics`"
) -> str:
    from shopql.catalog.model import close_names

    close = close_names(name, choices)
    return f"did you mean {', '.join(close)}?" if close else fallback


class _Builder:
    def __init__(self, catalog: Catalog, query: SemanticQuery, today: dt.date) -> None:
        from shopql.catalog.families import resolve_metric

        self.catalog = catalog
        metrics = tuple(resolve_metric(catalog, m) for m in query.metrics)
        orders = tuple(replace(o, name=resolve_metric(catalog, o.name)) for o in query.order_by)
        query = replace(query, metrics=metrics, order_by=orders)
        self.q = query
        self.today = today
        # building the two sides of a comparison: their values stay exact, so the change is
        # worked out from the values and not from their rounded display (4.01 vs 4.11)
        self._exact = False
        # a rounded column's exact value, kept unshown under `_having`'s condition
        self._exact_kept: dict[str, exp.Expression] = {}
        self.notes: list[str] = []
        self.null_checks: list[tuple[str, str]] = []
        self.unkeyed_checks: list[tuple[str, str, str, str]] = []
        self.parts = {d: catalog.time_parts[d] for d in query.dimensions if d in catalog.time_parts}
        self.people_sql: str | None = None  # only the orders of these people (catalog/people.py)
        if query.grain and query.grain not in GRAINS:
            raise CatalogError(f"unknown grain {query.grain!r}", f"use one of {', '.join(GRAINS)}")
        for f in query.filters:  # "all": every value on one order (catalog/thresholds.py)
            if f.op.lower() not in FILTER_OPS + NULL_OPS + ("all",):
                raise CatalogError(
                    f"unknown filter operator {f.op!r}", f"use {', '.join(FILTER_OPS + NULL_OPS)}"
                )
        filtered = (_part_said_of(f.dimension, catalog) for f in query.filters)
        for name in (*query.dimensions, *filtered):
            if name not in catalog.dimensions and not (
                name in catalog.thresholds and name not in query.dimensions
            ):
                raise CatalogError(
                    f"unknown dimension {name}",
                    _suggest(name, catalog.dimensions, "see `shopql catalog show METRIC`"),
                )
        _check_satisfiable(query.filters)
        self.closure = metric_closure(catalog, query.metrics)
        asked = {f.dimension for f in query.filters}
        for metric in self.closure if asked else ():  # its own condition and the question's
            own = _own_conditions(catalog, metric)
            if asked & {f.dimension for f in own}:
                _check_satisfiable((*own, *query.filters), metric.name)
        # by each order line's own seller (`SemanticQuery.line_seller`): an order counts
        # once for each of its sellers, an amount of the whole order is no seller's
        self.line_dims = seller_dims(catalog) if query.line_seller else frozenset()
        if not query.metrics:
            raise CatalogError("no metric asked for", "name one, e.g. paid_gmv")

    @property
    def dims(self) -> list[str]:
        """The output columns of the breakdown: grain, then each dimension's (a time part has
        its number and its names)."""
        cols = [self.q.grain] if self.q.grain else []
        for d in self.q.dimensions:
            cols += self.parts[d].columns if d in self.parts else [d]
        return cols

    def build(self) -> CompiledQuery:
        tr, previous = self.q.time_range, None
        if self.q.compare:
            select, previous = self._compared(tr)
        else:
            select = self._base(tr)
        if self.q.having:
            select = self._having(select)
        if self.q.of_groups == "mean":  # one row per group, ordered as a breakdown is
            select = self._mean(select)
        else:
            select = self._order_limit(select)
            select = self._accounts_beside(select)
        if self.q.extra.get("cumulative"):  # "2018年每月累计销售额": a running total
            select = self._cumulative(select)
        if self.q.of_groups and self.q.of_groups != "mean":
            select = self._of_groups(select)
        columns = [s.alias_or_name for s in select.expressions]
        return CompiledQuery(
            # the tree is this builder's own and dies with it: the generator need not copy it
            # first (a copy of the whole query, ~5 % of question → SQL)
            sql=_today_in(select.sql(dialect="duckdb", pretty=True, copy=False), self.today),
            columns=columns,
            metrics=self.closure,
            query=self.q,
            time_range=tr,
            previous=previous,
            notes=list(dict.fromkeys(self.notes)),  # compare builds each leaf twice
            null_checks=list(dict.fromkeys(self.null_checks)),
            unkeyed_checks=list(dict.fromkeys(self.unkeyed_checks)),
        )

    # -- one simple metric ------------------------------------------------------------------------

    def _leaf(self, metric: Metric, tr: TimeRange | None, out_name: str) -> _Part | exp.Select:
        measure = self.catalog.measure(metric.measure or "")
        if measure is None:
            raise CatalogError(f"metric {metric.name}: unknown measure {metric.measure}")
        model = self.catalog.models[measure.model]
        plan = JoinPlan(self.catalog, model, allow_fanout=measure.agg in FANOUT_SAFE)
        plan.line_dims = self.line_dims
        try:
            part = self._leaf_select(metric, measure, model, plan, tr, out_name)
            if plan.via_lines and metric.value_type == "money":  # the max order value by seller
                raise self._no_seller_amount(metric)
            return part
        except FanoutError:
            if metric.line_metric and metric.line_metric in self.catalog.metrics:
                line = self.catalog.metrics[metric.line_metric]
                self.notes.append(
                    f"{metric.name} split by a line-level dimension is computed as "
                    f"{line.name} (line amounts), so an order with several lines is not counted twice"
                )
                return self._leaf(line, tr, out_name)
            per_row = self._per_row_leaf(metric, measure, model, tr, out_name)
            if per_row is not None:
                return per_row
            if plan.via_lines:
                raise self._no_seller_amount(metric) from None
            asked = ", ".join(self.q.dimensions + tuple(f.dimension for f in self.q.filters))
            raise CatalogError(
                f"{metric.name} is counted per {model.name} row and cannot be split by {asked} "
                "without counting a row several times",
                "choose a line-level metric (e.g. item_paid_gmv, units) for that breakdown",
            ) from None

    def _no_seller_amount(self, metric: Metric) -> CatalogError:
        """An amount kept per order (its freight, its value), asked per seller of a marketplace
        whose orders can have several: no seller's own part of it is known."""
        label = metric.label.get("en", metric.name) if metric.label else metric.name
        return CatalogError(
            f"{metric.name} ({label}) is kept per order, not per order line: an order with "
            "several sellers has one for all of them, so it cannot be split or filtered by "
            "seller without giving one seller another's part",
            "by seller ask for sales (each seller's line amounts), orders, units, average order "
            "value, delivery or shipping days, or review scores",
        )

    def _per_row_leaf(
        self, metric: Metric, measure: Any, model: SemanticModel, tr: Any, out: str
    ) -> exp.Select | None:
        """A count, average, median, minimum or maximum of `model`'s rows split (or filtered) by
        a dimension its rows have several values of (a review's order has lines of several
        categories): each row counts once per value it has — the distinct (row, value) pairs —
        so one review is one review of each category its order touches, never two of the same.
        Sums are left out: their totals over the values would add up to more than the whole."""
        percentile = percentile_fraction(measure.agg)
        if (
            measure.agg not in ("count", "avg", "median", "mode", "min", "max")
            and percentile is None
        ):
            return None
        if measure.having:
            return None
        if measure.agg == "count" and measure.expr.strip() != "*":
            return None
        plan = JoinPlan(self.catalog, model, allow_fanout=True)
        plan.numbered = True
        plan.line_dims = self.line_dims
        try:
            part = self._leaf_select(metric, measure, model, plan, tr, out)
        except FanoutError:
            return None
        if not isinstance(part, _Part):
            return None
        if plan.via_lines and metric.value_type == "money":  # an order's freight: no seller's
            return None
        names = [c.alias_or_name for c in part.cols]
        inner = exp.select(*[c.copy() for c in part.cols])
        inner = inner.select(exp.column(ROW_NUMBER, model.name).as_(ROW_NUMBER))
        if measure.agg != "count":
            inner = inner.select(plan.expr(measure.expr).as_("_value"))
        where = ([part.condition] if part.condition is not None else []) + part.where
        inner = self._finish(plan, inner.distinct(), where, 0)
        value = (
            exp.func("count", exp.Star())
            if measure.agg == "count"
            else exp.func("quantile_cont", exp.column("_value"), exp.Literal.number(percentile))
            if percentile is not None
            else exp.func(measure.agg, exp.column("_value"))
        )
        select = exp.select(*[exp.column(n) for n in names], value.as_(out))
        select = select.from_(inner.subquery("per_row"))
        if names:
            select = select.group_by(*[exp.Literal.number(i + 1) for i in range(len(names))])
        split = ", ".join(
            dict.fromkeys(self.q.dimensions + tuple(f.dimension for f in self.q.filters))
        )
        self.notes.append(
            f"{metric.name} by {split}: a {model.name} row counts once for each {split} value "
            "it has (one order may have several), never twice for the same one"
        )
        return select

    def _leaf_select(
        self, metric: Metric, measure: Any, model: SemanticModel, plan: JoinPlan, tr: Any, out: str
    ) -> _Part | exp.Select:
        cols: list[exp.Expression] = []
        time = self._time_expr(metric, model, plan)
        if self.q.grain:
            if time is None:
                raise CatalogError(f"{metric.name} has no time column, so it has no {self.q.grain}")
            trunc = exp.func("date_trunc", exp.Literal.string(self.q.grain), time.copy())
            cols.append(exp.cast(trunc, "DATE").as_(self.q.grain))
        for d in self.q.dimensions:
            if d in self.parts:
                cols += self._part_cols(metric, d, time)
            else:
                cols.append(plan.dimension(d)[0].as_(d))
        condition = plan.expr(metric.filter) if metric.filter else None
        self._leaf_range = tr  # a per-person threshold counts the rows of the same period
        self._leaf_line = bool(metric.line_metric and metric.line_metric in self.catalog.metrics)
        person = model.dimensions.get("person")  # a count of people: 'all of' is per person,
        self._leaf_people = (  # over the orders the count counts (its condition and period)
            (metric.filter, metric.time, tr)
            if measure.agg == "count_distinct"
            and person is not None
            and person.expr == measure.expr
            else None
        )
        common = self._time_where(metric, time, tr)
        if tr is not None and time is not None and not metric.window_days:
            plan.period = (tr.start, tr.end)  # a model bounded by the period (joins.bounded_sql)
        common += [
            self._filter(plan, f, self._part_of(metric, f, self._part_time(f, model, plan, time)))
            for f in self.q.filters
        ]
        if time is not None and (self.q.grain or self.parts):
            self._null_check(metric, plan, time, condition, common)
            common.append(exp.Not(this=exp.Is(this=time.copy(), expression=exp.Null())))
        self._unkeyed_check(metric, measure, model, plan, condition, common)
        if self.people_sql is not None:
            from shopql.catalog.people import population_filter

            common.append(population_filter(plan, self.people_sql))
        key = (
            model.name,
            str(plan.fanned_out),
            *(c.sql() for c in cols),
            "|",
            *(w.sql() for w in common),
        )
        if measure.having:
            entity = plan.expr(measure.expr)
            having = plan.expr(measure.having)
            return _PerEntity(out, plan, cols, common, entity, having, condition, key)
        return _Part(out, plan, cols, common, self._aggregate(measure, model, plan), condition, key)

    def _aggregate(self, measure: Any, model: SemanticModel, plan: JoinPlan) -> exp.Expression:
        """The measure's aggregate. Counting distinct primary keys over rows no join repeated is
        a plain count (a primary entity is unique by declaration), and much cheaper."""
        primary = model.primary
        if measure.agg == "count_distinct" and primary and measure.expr == primary.expr:
            if not plan.fanned_out:
                return exp.func("count", plan.expr(measure.expr))
        return plan.expr(measure.sql)

    def _scan(self, parts: list[_Part]) -> exp.Select:
        """One scan computing several measures over the same rows, each with its own filter."""
        first = parts[0]
        values = [
            exp.Filter(this=p.value, expression=exp.Where(this=p.condition)).as_(p.out)
            if p.condition is not None
            else p.value.as_(p.out)
            for p in parts
        ]
        select = exp.select(*first.cols, *values)
        select = select.from_(first.plan.source(first.plan.root, first.plan.root.name))
        joined: set[str] = set()
        for part in parts:
            for source, alias, on in part.plan.joins:
                if alias not in joined:
                    joined.add(alias)
                    select = select.join(source, on=on, join_type="left")
        if first.where:
            select = select.where(exp.and_(*first.where))
        if first.cols:
            select = select.group_by(*[exp.Literal.number(i + 1) for i in range(len(first.cols))])
        return select

    def _finish(self, plan: JoinPlan, select: exp.Select, where: list[Any], n: int) -> exp.Select:
        select = plan.from_clause(select)
        if where:
            select = select.where(exp.and_(*where))
        if n:
            select = select.group_by(*[exp.Literal.number(i + 1) for i in range(n)])
        return select

    def _per_entity(self, measures: list[_PerEntity], distinct: _Part | None) -> exp.Select:
        """Count the distinct entity values whose own group satisfies each measure's `having`
        — and, with `distinct`, the distinct entity values themselves — in one grouping pass.

        Alone, a measure groups only its rows (its filter and a known entity). With `distinct`
        (COUNT(DISTINCT entity) FILTER (its filter) over the same rows) every row of the common
        conditions is grouped, as that count's own scan would, so the same groups come out:
        the rows of an entity are grouped apart by whether they pass the filter (`_in`); an
        entity counts once, by its passing group, whose `having` sees only those rows."""
        first = measures[0]
        plan, cols, entity = first.plan, first.cols, first.entity
        names = [c.alias for c in cols]
        known = exp.Not(this=exp.Is(this=entity.copy(), expression=exp.Null()))
        inner = exp.select(*cols, entity.as_("_entity"))
        if distinct is None:
            where = ([first.condition] if first.condition else []) + first.where + [known]
            flags = [_cheaper(m.having, plan) for m in measures]
            keys = len(cols) + 1
        else:
            where = list(first.where)
            cond = first.condition
            passing = exp.func("coalesce", exp.paren(cond.copy()), exp.false()) if cond else None
            inner = inner.select((passing or exp.true()).as_("_in"))
            counted = exp.and_(exp.column("_in"), exp.Not(this=exp.Is(
                this=exp.column("_entity"), expression=exp.Null())))  # fmt: skip
            flags = [_cheaper(m.having, plan) for m in measures]
            keys = len(cols) + 2
        inner = inner.select(*[f.as_(f"_ok{i}") for i, f in enumerate(flags)])
        inner = self._finish(plan, inner, where, keys)
        oks = [exp.column(f"_ok{i}") for i in range(len(flags))]
        if distinct is None:
            values = [exp.func("count_if", ok) for ok in oks]
        else:
            values = [exp.func("count_if", counted.copy())]
            values += [exp.func("count_if", exp.and_(counted.copy(), ok)) for ok in oks]
        outs = ([distinct.out] if distinct is not None else []) + [m.out for m in measures]
        outer = exp.select(*names, *[v.as_(o) for v, o in zip(values, outs, strict=True)])
        outer = outer.from_(inner.subquery("per_entity"))
        return outer.group_by(*names) if names else outer

    def _time_expr(self, metric: Metric, model: SemanticModel, plan: JoinPlan) -> Any:
        name = metric.time or model.default_time
        if not name:
            return None
        if name in model.dimensions:
            return plan.expr(model.dimensions[name].expr)
        if name in self.catalog.dimensions:  # another model's time: not a column of this one
            raise CatalogError(
                f"{metric.name} cannot be dated by {name}: {model.name} has no {name}"
            )
        return plan.expr(name)

    def _time_where(self, metric: Metric, time: Any, tr: TimeRange | None) -> list[Any]:
        if metric.window_days:
            # with no range, the N whole days before today, as a question's 近30天 counts them
            # (catalog/timephrase: today is still running)
            end = tr.end if tr and tr.end else dt.datetime.combine(self.today, dt.time())
            tr = TimeRange(end - dt.timedelta(days=metric.window_days), end, "")
        if tr is None or (tr.start is None and tr.end is None):
            return []
        if time is None:
            self.notes.append(f"{metric.name} is a current snapshot: the time range does not apply")
            return []
        out = []
        if tr.start is not None:
            out.append(exp.GTE(this=time.copy(), expression=_literal(tr.start)))
        if tr.end is not None:
            out.append(exp.LT(this=time.copy(), expression=_literal(tr.end)))
        return out

    def _part_cols(self, metric: Metric, name: str, time: Any) -> list[exp.Expression]:
        from shopql.catalog.families import time_part_sql

        if time is None:
            raise CatalogError(f"{metric.name} has no time column, so it has no {name}")
        return [
            parse_expr(sql).as_(col) for col, sql in time_part_sql(self.parts[name], time.sql())
        ]

    def _part_time(self, f: Filter, model: SemanticModel, plan: JoinPlan, time: Any) -> Any:
        """The time a time part's filter is of: the metric's own, or the model's time dimension
        named after `@` (`day_of_week@order_date`: the first order's placing, not its payment)."""
        part, _, of = f.dimension.partition("@")
        if not of or part not in self.catalog.time_parts:
            return time
        if of not in model.dimensions:
            raise CatalogError(f"{model.name} has no time {of}, so it has no {part} of it")
        return plan.expr(model.dimensions[of].expr)

    def _part_of(self, metric: Metric, f: Filter, time: Any) -> exp.Expression | None:
        """A filter on a time part (day_of_week in (6, 7)) is on the part's number."""
        tp = self.catalog.time_parts.get(f.dimension.partition("@")[0])
        if tp is None:
            return None
        from shopql.catalog.families import time_part_sql

        if time is None:
            raise CatalogError(f"{metric.name} has no time column, so it has no {f.dimension}")
        return parse_expr(time_part_sql(tp, time.sql())[0][1])

    def _null_check(
        self, metric: Metric, plan: JoinPlan, time: Any, condition: Any, common: list[Any]
    ) -> None:
        """SQL counting the rows of `metric` a time breakdown leaves out (time is NULL)."""
        where = [*common, exp.Is(this=time.copy(), expression=exp.Null())]
        if condition is not None:
            where.insert(0, condition.copy())
        select = self._finish(plan, exp.select(exp.func("count", exp.Star()).as_("n")), where, 0)
        # the select is this check's own (built from copies): generated without another copy
        self.null_checks.append((metric.name, select.sql(dialect="duckdb", copy=False)))

    def _unkeyed_check(
        self,
        metric: Metric,
        measure: Any,
        model: SemanticModel,
        plan: JoinPlan,
        condition: Any,
        common: list[Any],
    ) -> None:
        """SQL counting the rows a distinct count skips because what it counts is NULL there
        (buyers of orders whose export names no buyer); a primary key is never NULL."""
        primary = model.primary
        if measure.agg != "count_distinct" or (primary and measure.expr == primary.expr):
            return
        missing = exp.Is(this=plan.expr(measure.expr), expression=exp.Null())
        where = [*([condition.copy()] if condition is not None else []), *common, missing]
        select = self._finish(plan, exp.select(exp.func("count", exp.Star()).as_("n")), where, 0)
        text = select.sql(dialect="duckdb", copy=False)  # its own tree, as _null_check's
        check = (metric.name, model.name, measure.expr, text)
        self.unkeyed_checks.append(check)

    def _scope(self, sub: JoinPlan) -> list[exp.Expression]:
        """The query's value filters (a platform, a country, a state: not thresholds) as seen
        from a per-person total's subquery: "天猫上消费超过1000的客户" totals the Tmall orders. A
        filter the subquery cannot reach without fanning out (a line's category) is left out."""
        from shopql.catalog.joins import FanoutError

        out = []
        for g in self.q.filters:
            if g.dimension in self.catalog.thresholds or g.op.lower() not in VALUE_OPS:
                continue
            try:
                out.append(self._filter(sub, g))
            except (CatalogError, FanoutError):
                continue
        return out

    def _filter(
        self, plan: JoinPlan, f: Filter, column: exp.Expression | None = None
    ) -> exp.Expression:
        if column is None and f.dimension in self.catalog.thresholds:
            from shopql.catalog.thresholds import threshold_condition

            tr = getattr(self, "_leaf_range", None)
            line = getattr(self, "_leaf_line", False)  # a line's price: line amounts instead
            return threshold_condition(
                self.catalog, plan, f.op.lower(), f.values, f.dimension, tr, line, self._scope
            )
        if f.op.lower() == "all":
            from shopql.catalog.thresholds import all_values_condition

            people = getattr(self, "_leaf_people", None)
            if people is None:
                return all_values_condition(self.catalog, plan, f.dimension, f.values)
            return all_values_condition(self.catalog, plan, f.dimension, f.values, "person", people)
        if column is None:
            outside = _outside_groups(self.catalog, f) or _only_the_rest(self.catalog, f)
            if outside is not None:
                return self._filter(plan, outside)
            column, _ = plan.dimension(f.dimension)
        op = f.op.lower()
        if op in NULL_OPS:
            missing = exp.Is(this=column, expression=exp.Null())
            return missing if op == "is null" else exp.Not(this=missing)
        values = [_literal(v) for v in f.values]
        if not values:
            raise CatalogError(f"filter on {f.dimension} has no value")
        if op in ("in", "not in"):
            cond: exp.Expression = exp.In(this=column, expressions=values)
            return exp.Not(this=cond) if op == "not in" else cond
        if op in ("like", "not like"):  # several patterns: any of them (a glossary concept)
            cond = exp.or_(*(exp.Like(this=column.copy(), expression=v) for v in values))
            return exp.Not(this=cond) if op == "not like" else cond
        if len(values) > 1 and op == "=":
            return exp.In(this=column, expressions=values)
        node = {"=": exp.EQ, "!=": exp.NEQ, "<>": exp.NEQ, "<": exp.LT, "<=": exp.LTE}.get(op)
        node = node or {">": exp.GT, ">=": exp.GTE}[op]
        return node(this=column, expression=values[0])

    # -- combining --------------------------------------------------------------------------------

    def _base(self, tr: TimeRange | None) -> exp.Select:
        leaves = [m for m in self.closure if m.type == "simple"]
        ctes = self._ctes([self._leaf(m, tr, m.name) for m in leaves])
        dims = self.dims
        if len(ctes) == 1:
            base: exp.Expression = ctes[0][1].subquery("base")
        else:
            base = self._merged(ctes, [m.name for m in leaves], dims)
        values = [self._value(m).as_(m) for m in self.q.metrics]
        select = exp.select(*[exp.column(d, "base") for d in dims], *values).from_(base)
        for f in self.q.filters:
            # a breakdown by a dimension its filter names the values of ("5星和1星的单各几天送到":
            # score in (5, 1), by score): only those groups — a filter kept over a joined table
            # (an order with any such review) would bring the order's other reviews' scores along
            if f.dimension not in dims or f.op.lower() not in ("in", "=") or not f.values:
                continue
            if _outside_groups(self.catalog, f) or _only_the_rest(self.catalog, f):
                continue
            named = [_literal(v) for v in f.values]
            select = select.where(exp.In(this=exp.column(f.dimension, "base"), expressions=named))
        if dims and not any(self._additive(m) for m in self.q.metrics):
            # a group with no value of any asked average or ratio has no data: not a row
            present = [
                exp.Not(this=exp.Is(this=v.this.copy(), expression=exp.Null())) for v in values
            ]
            select = select.where(exp.or_(*present))
        # the CTEs appended to this select in place (it is this function's own), each a copy as
        # before: with_() copying the select for each one copied every CTE already in it again
        # (quadratic: a 40-metric query's ~30 CTEs were ~a third of its compile_query)
        for name, cte, _ in ctes if len(ctes) > 1 else []:
            select = select.with_(name, as_=cte.copy(), copy=False)
        return select

    def _ctes(
        self, leaves: list[_Part | _PerEntity | exp.Select]
    ) -> list[tuple[str, exp.Select, list[str]]]:
        """Leaves over the same rows (same model, time range, dimensions and joins that do not
        repeat rows) share one scan; the others get their own. Measures per entity (people
        with two orders) and the count of those entities (people) share one grouping pass."""
        groups: list[list[_Part]] = []
        singles: list[exp.Select] = []
        per_entity = [leaf for leaf in leaves if isinstance(leaf, _PerEntity)]
        passes, leaves = _entity_passes(per_entity, leaves)
        shared: list[tuple[exp.Select, list[str]]] = [
            (self._per_entity(ms, d), [d.out] + [m.out for m in ms]) for ms, d in passes if d
        ]
        for leaf in leaves:
            if isinstance(leaf, _PerEntity):
                singles.append(self._per_entity([leaf], None))
                continue
            if not isinstance(leaf, _Part):
                singles.append(leaf)
                continue
            group = next(
                (g for g in groups if g[0].key == leaf.key and _same_aliases(g, leaf)), None
            )
            if group is None:
                groups.append([leaf])
            else:
                group.append(leaf)
        ctes = [
            (f"m{i}_{g[0].out}", self._scan(g), [p.out for p in g]) for i, g in enumerate(groups)
        ]
        for single in singles:
            out = single.expressions[-1].alias_or_name
            ctes.append((f"m{len(ctes)}_{out}", single, [out]))
        for select, outs in shared:  # one pass, several values
            ctes.append((f"m{len(ctes)}_{outs[-1]}", select, outs))
        return ctes

    def _merged(
        self, ctes: list[tuple[str, exp.Select, list[str]]], names: list[str], dims: list[str]
    ) -> Any:
        if not dims:  # each CTE is one row: side by side, no stacking needed
            joined = exp.select("*").from_(ctes[0][0])
            for cte_name, _, _ in ctes[1:]:
                joined = joined.join(cte_name, join_type="cross")
            return joined.subquery("base", copy=False)  # built here: not copied again
        parts: list[exp.Select] = []
        for cte_name, _, own in ctes:
            cells = [exp.column(n) if n in own else exp.Null().as_(n) for n in names]
            parts.append(exp.select(*dims, *cells).from_(cte_name))
        union: exp.Expression = parts[0]
        for part in parts[1:]:
            union = exp.union(union, part, distinct=False)
        collapsed = exp.select(*dims, *[exp.func("max", exp.column(n)).as_(n) for n in names])
        collapsed = collapsed.from_(union.subquery("stacked"))
        if dims:
            collapsed = collapsed.group_by(*[exp.Literal.number(i + 1) for i in range(len(dims))])
        return collapsed.subquery("base", copy=False)

    def _value(self, name: str, table: str = "base") -> exp.Expression:
        metric = self.catalog.metrics[name]
        if metric.type == "simple":
            col: exp.Expression = exp.column(name, table)
            measure = self.catalog.measure(metric.measure or "")
            if measure and (measure.agg in ADDITIVE or measure.having):
                return exp.func("coalesce", col, exp.Literal.number(0))
            return self._round(metric, col)
        if metric.type == "ratio":
            num = exp.cast(self._value(metric.numerator or "", table), "DOUBLE")
            den = exp.func(
                "nullif", self._value(metric.denominator or "", table), exp.Literal.number(0)
            )
            return self._round(metric, exp.Div(this=num, expression=den))
        tree = parse_expr(metric.expr or "")
        for col in list(tree.find_all(exp.Column)):
            if col.name in metric.inputs and not col.table:
                col.replace(exp.Paren(this=self._value(col.name, table)))
        return self._round(metric, tree) if metric.value_type != "money" else tree

    def _additive(self, name: str) -> bool:
        """Whether `name` is a sum or count (0 when there are no rows), not a ratio or average."""
        metric = self.catalog.metrics[name]
        if metric.type == "derived":
            return all(self._additive(i) for i in metric.inputs)
        measure = self.catalog.measure(metric.measure or "")
        return metric.type == "simple" and bool(
            measure and (measure.agg in ADDITIVE or measure.having)
        )

    def _round(self, metric: Metric, value: exp.Expression) -> exp.Expression:
        digits = metric.rounding if metric.rounding is not None else ROUNDING.get(metric.value_type)
        if digits is None or self.q.extra.get("unrounded") or self._exact:  # exact, to rank them
            return value
        rounded = exp.func("round", value, exp.Literal.number(digits))
        return exp.cast(rounded, "DECIMAL(18,2)") if metric.value_type == "money" else rounded

    def _compared(self, tr: TimeRange | None) -> tuple[exp.Select, TimeRange]:
        if tr is None or tr.start is None or tr.end is None:
            raise CatalogError("comparing needs a time range", "give a range, e.g. 'last month'")
        previous = previous_range(tr, self.q.compare or "previous_period")
        if self.q.grain and self.q.extra.get("per_bucket") and self.q.compare != "year_over_year":
            # "每月环比", "monthly growth": each bucket with the one before it (January with
            # December), not with the bucket a whole range earlier
            from shopql.catalog.timephrase import shift

            assert tr.start is not None and tr.end is not None
            step = self.q.grain
            previous = TimeRange(
                dt.datetime.combine(shift(tr.start.date(), step, -1), dt.time()),
                dt.datetime.combine(shift(tr.end.date(), step, -1), dt.time()),
                f"each {step} before",
            )
        self._exact = True
        try:
            cur, prev = self._base(tr), self._base(previous)
        finally:
            self._exact = False
        keys = [(d, exp.column(d, "prev")) for d in self.dims if d != self.q.grain]
        if self.q.grain:  # buckets of the previous range, moved onto the ones they compare with
            keys.insert(0, (self.q.grain, self._shifted_bucket(tr, previous)))
        cols: list[exp.Expression] = [
            exp.func("coalesce", exp.column(d, "cur"), other.copy()).as_(d) for d, other in keys
        ]
        for m in self.q.metrics:
            cols += self._compared_values(m)
        on = [exp.NullSafeEQ(this=exp.column(d, "cur"), expression=other) for d, other in keys]
        select = exp.select(*cols).from_(cur.subquery("cur"))
        if on:
            select = select.join(prev.subquery("prev"), on=exp.and_(*on), join_type="full outer")
        else:
            select = select.join(prev.subquery("prev"), join_type="cross")
        if self.q.grain and self.q.extra.get("per_bucket") and self.q.compare != "year_over_year":
            # "crescimento mês a mês em 2018": the month after the data's last one (October,
            # when the orders end in September) has a month before it but none of its own — no
            # month of the answer; a month without sales between two with them stays (a real 0)
            grain = self.q.grain
            last = exp.select(exp.func("max", exp.column(grain))).from_(
                self._base(tr).subquery("last")
            )
            select = select.where(
                exp.or_(
                    exp.column(grain, "cur").is_(exp.null()).not_(),
                    exp.LTE(this=keys[0][1].copy(), expression=exp.Subquery(this=last)),
                )
            )
        return select, previous

    def _compared_values(self, m: str) -> list[exp.Expression]:
        now, before = exp.column(m, "cur"), exp.column(m, "prev")
        if self._additive(m):  # a side without rows had none of it
            now = exp.func("coalesce", now, exp.Literal.number(0))
            before = exp.func("coalesce", before, exp.Literal.number(0))
        change = exp.Div(
            this=exp.Paren(
                this=exp.Sub(this=exp.cast(now.copy(), "DOUBLE"), expression=before.copy())
            ),
            expression=exp.func("nullif", before.copy(), exp.Literal.number(0)),
        )
        shown_now, shown_before = now, before
        if not self._additive(m):  # an average or a ratio: shown rounded, compared exactly
            metric = self.catalog.metrics[m]
            shown_now, shown_before = (
                self._round(metric, now.copy()),
                self._round(metric, before.copy()),
            )
        values = [
            shown_now.as_(m),
            shown_before.as_(f"{m}__previous"),
            exp.func("round", change, exp.Literal.number(4)).as_(f"{m}__change"),
        ]
        if self.q.extra.get("ratio"):  # "翻了几倍", "how many times higher": now / before
            ratio = exp.Div(
                this=exp.cast(now.copy(), "DOUBLE"),
                expression=exp.func("nullif", before.copy(), exp.Literal.number(0)),
            )
            values.append(exp.func("round", ratio, exp.Literal.number(4)).as_(f"{m}__ratio"))
        if self.q.extra.get("delta"):  # "多卖了多少", "by how many days": now - before
            delta: exp.Expression = exp.Sub(this=now.copy(), expression=before.copy())
            if not self._additive(m):  # of exact values, shown as the values are
                delta = self._round(self.catalog.metrics[m], delta)
            values.append(delta.as_(f"{m}__delta"))
            if self.q.extra.get("delta") == "earlier":
                # "8月比7月少了几单", "9月比10月多多少": the signed change (now - before) stays,
                # and the difference the way the sentence asks it (before - now) follows it
                asked: exp.Expression = exp.Sub(this=before.copy(), expression=now.copy())
                if not self._additive(m):
                    asked = self._round(self.catalog.metrics[m], asked)
                values.append(asked.as_(f"{m}__asked"))
        return values

    def _shifted_bucket(self, tr: TimeRange, previous: TimeRange) -> exp.Expression:
        """prev.<grain> moved forward by the distance between the ranges, when buckets align."""
        assert tr.start is not None and previous.start is not None
        grain, start, before = self.q.grain or "", tr.start.date(), previous.start.date()
        months = (start.year - before.year) * 12 + start.month - before.month
        days = (start - before).days
        if start.day == 1 and before.day == 1 and grain in ("month", "quarter", "year"):
            ok = months % {"month": 1, "quarter": 3, "year": 12}[grain] == 0
            amount, unit = months, "MONTH"
        else:
            ok = grain == "day" or (grain == "week" and days % 7 == 0)
            amount, unit = days, "DAY"
        if not ok:
            raise CatalogError(
                f"the previous range does not line up with {grain} buckets",
                "compare whole months with --grain month, or drop --grain",
            )
        interval = exp.Interval(this=exp.Literal.string(str(amount)), unit=exp.var(unit))
        return exp.cast(exp.Add(this=exp.column(grain, "prev"), expression=interval), "DATE")

    def _having(self, select: exp.Select) -> exp.Select:
        """Keep the rows whose metric meets each `having` condition (a group's own count). In a
        comparison a condition names the period it holds in: `m` (the period asked) or
        `m__previous` (the one compared with: "categories with at least 50 orders in Q1")."""
        if not (self.q.dimensions or self.q.grain) or (self.q.compare and not self.q.dimensions):
            raise CatalogError(
                "a condition on a metric's value needs a breakdown, not a comparison"
            )
        names = [s.alias_or_name for s in select.expressions]
        conditions = []
        for f in self.q.having:
            if f.dimension not in names or f.op not in (">", ">=", "<", "<=", "="):
                raise CatalogError(f"cannot keep rows by {f.dimension} {f.op}")
            if len(f.values) != 1 or not isinstance(f.values[0], (int, float)):
                raise CatalogError(f"a condition on {f.dimension} compares one number")
            node = {"=": exp.EQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}[f.op]
            conditions.append(node(this=exp.column(f.dimension), expression=_literal(f.values[0])))
        # the exact value of a rounded column rides along unshown, so the ranking after the
        # condition is still by it (4.5932 before 4.5893, both shown 4.59)
        for s in list(select.expressions):
            exact = _unrounded(s.unalias())
            if exact is not None:
                select = select.select(exact.as_(f"__exact_{s.alias_or_name}"), copy=False)
                self._exact_kept[s.alias_or_name] = exp.column(
                    f"__exact_{s.alias_or_name}", "grouped"
                )
        outer = exp.select(*(exp.column(n) for n in names)).from_(select.subquery("grouped"))
        return outer.where(exp.and_(*conditions))

    def _mean(self, select: exp.Select) -> exp.Select:
        """The average per grain bucket (SemanticQuery.of_groups "mean": 日均 / daily average /
        月均): each metric's sum over the buckets of the range ÷ the calendar buckets of the range
        (days without a sale count as 0), per group of the other dimensions. A time part of the
        breakdown (weekday vs weekend) divides by its own calendar days, and a filter on a time
        part (weekends only) keeps only those days. Sums and counts only (an average of an
        average, or of a rate, is not what 日均 means)."""
        q = self.q
        grain = q.grain
        tr = q.time_range
        if grain is None or q.compare or q.having:
            raise CatalogError("an average per day / month needs a grain and no comparison")
        if tr is None or tr.start is None or tr.end is None:
            raise CatalogError(
                f"an average per {grain} needs a period with a start and an end",
                "name the period: last month, 近30天, 2018",
            )
        start, end = tr.start.date(), tr.end.date()
        if tr.end.time() != dt.time() or tr.start.time() != dt.time():
            raise CatalogError(f"an average per {grain} needs whole days")
        if grain != "day" and (
            period_start(start, grain) != start or period_start(end, grain) != end
        ):
            raise CatalogError(
                f"an average per {grain} needs a period of whole {grain}s",
                f"name whole {grain}s (2018, 上季度) or ask the average per day",
            )
        for name in q.metrics:
            metric = self.catalog.metrics[name]
            measure = self.catalog.measure(metric.measure or "")
            if (
                metric.type != "simple"
                or metric.window_days
                or measure is None
                or measure.agg not in ("sum", "count", "count_distinct")
            ):
                raise CatalogError(
                    f"{name} is not a sum or a count: it has no average per {grain}",
                    "ask the average per day of sales, orders, units or buyers",
                )
        parts = [d for d in q.dimensions if d in self.parts]
        if parts and grain != "day":
            raise CatalogError(f"a day part ({parts[0]}) splits days, not {grain}s")
        part_filters = [f for f in q.filters if f.dimension in self.catalog.time_parts]
        counts: dict[tuple[int, ...], set[dt.date]] = {}
        day = start
        while day < end:
            if all(
                _part_keeps(self.catalog.time_parts[f.dimension].part, f, day) for f in part_filters
            ):
                key = tuple(_part_number(self.parts[d].part, day) for d in parts)
                counts.setdefault(key, set()).add(period_start(day, grain))
            day += dt.timedelta(days=1)
        if not counts:
            raise CatalogError(f"the period has no {grain} to average over")
        if parts:
            cases = exp.Case()
            for key, buckets in counts.items():
                cond = exp.and_(
                    *(
                        exp.EQ(this=exp.column(d), expression=_literal(v))
                        for d, v in zip(parts, key, strict=True)
                    )
                )
                cases = cases.when(cond, _literal(len(buckets)))
            divisor: exp.Expression = cases
        else:
            divisor = _literal(len(counts[()]))
        keys = [c for c in self.dims if c != grain]
        unit = {"day": "daily", "week": "weekly", "month": "monthly"}.get(grain, grain + "ly")

        def over(m: str) -> exp.Expression:
            # a day part set side by side (weekday vs weekend) is an average day of its kind:
            # over its days with any (a shop shut on Saturdays has no Saturday to average, not a
            # Saturday of 0) — the whole period's 日均 keeps every calendar day
            if not parts:
                return divisor.copy()
            some = exp.and_(
                exp.Not(this=exp.Is(this=exp.column(m), expression=exp.Null())),
                exp.NEQ(this=exp.column(m), expression=_literal(0)),
            )
            counted = exp.Filter(this=exp.Count(this=exp.Star()), expression=exp.Where(this=some))
            return exp.func("nullif", counted, _literal(0))

        averages = [
            exp.func(
                "round",
                exp.Div(
                    this=exp.cast(exp.func("sum", exp.column(m)), "DOUBLE"),
                    expression=over(m),
                ),
                _literal(2),
            ).as_(f"{m}__{unit}_avg")
            for m in q.metrics
        ]
        outer = exp.select(*(exp.column(k) for k in keys), *averages).from_(
            select.subquery("per_bucket")
        )
        if q.order_by or q.limit is not None:
            raise CatalogError(f"an average per {grain} is not ranked here")
        if keys:
            outer = outer.group_by(*(exp.column(k) for k in keys))
            order = [exp.Ordered(this=exp.column(d)) for d in parts]  # weekday first
            if len(keys) > len(parts):
                first = exp.column(averages[0].alias)
                order.append(exp.Ordered(this=first, desc=True, nulls_first=False))
            outer = outer.order_by(*order, *(exp.Ordered(this=exp.column(k)) for k in keys))
        if parts:
            self.notes.append(
                f"the average per {grain} of each kind: the total over the {grain}s of that kind "
                f"with any (of {', '.join(str(len(b)) for b in counts.values())} calendar "
                f"{grain}s)"
            )
        else:
            self.notes.append(
                f"the average per {grain}: the total over the calendar {grain}s of the period "
                f"({', '.join(str(len(b)) for b in counts.values())}), a {grain} without any "
                "counted as 0"
            )
        return outer

    def _of_groups(self, select: exp.Select) -> exp.Select:
        """A figure over the groups (SemanticQuery.of_groups): how many there are, or the top
        `limit` groups' share of the first metric's total (the metric without the breakdown,
        same period and filters, rows of no group included: all of the sales, not the sum of
        the ranked groups)."""
        how, q = self.q.of_groups, self.q
        if (
            how not in (*OF_GROUPS, *OFFLINE_OF_GROUPS)
            or q.compare
            or not (q.dimensions or q.grain)
        ):
            raise CatalogError(
                f"{how!r} over groups needs a breakdown and no comparison",
                "use of_groups count, top_share or median with dimensions",
            )
        grouped = select.subquery("grouped_rows")
        if how in ("median", "avg", "max"):
            return self._median_of_groups(grouped, how)
        if how == "count":
            if q.limit is not None:
                raise CatalogError("a count of groups takes no limit")
            name = f"{(q.dimensions or (q.grain,))[0]}_count"
            return exp.select(exp.Count(this=exp.Star()).as_(name)).from_(grouped)
        metric = self.catalog.metrics[q.metrics[0]]
        measure = self.catalog.measure(metric.measure or "")
        if (
            measure is None
            or measure.having
            or not (measure.agg in ("sum", "count") or self._counted_once_per_group(measure))
        ):
            raise CatalogError(
                f"{metric.name} does not add up over groups: the top groups have no share of it",
                "ask the share of a sum or a count (sales, orders, units)",
            )
        reach = how == "reach_count"
        top_n = q.limit is not None or 0 < float(q.extra.get("top_percent") or 0) < 100
        if reach and not (0 < float(q.extra.get("reach") or 0) < 1 and q.limit is None):
            raise CatalogError("a count of the groups reaching a part of the whole needs that part")
        if not reach and (not top_n or not q.order_by or q.order_by[0].name != metric.name):
            raise CatalogError(f"a top groups' share needs a top N by {metric.name}")
        keyed = set(q.dimensions)
        name = (
            metric.name
        )  # split by a line's dimension the part is in line amounts: so is the whole
        lines = f"{name} split by a line-level dimension is computed as {metric.line_metric} "
        if metric.line_metric and any(n.startswith(lines) for n in self.notes):
            name = metric.line_metric
        whole_q = replace(
            q,
            metrics=(name,),
            dimensions=(),
            grain=None,
            filters=tuple(
                f
                for f in q.filters
                if not (f.dimension in keyed and f.op in NULL_OPS)
                or q.extra.get("whole_of_known")  # "所有商品": the groups' whole, none left in
            ),
            order_by=(),
            limit=None,
            having=(),
            of_groups=None,
        )
        from sqlglot import parse_one

        whole = _Builder(self.catalog, whole_q, self.today).build()
        self.notes += whole.notes
        m = metric.name
        if reach:  # the groups, largest first, whose sum before them is under the part asked
            keys = ", ".join([f"{m} DESC NULLS LAST", *q.dimensions])
            part = float(q.extra["reach"])
            ranked = (
                f"SELECT {m}, sum({m}) OVER (ORDER BY {keys} ROWS BETWEEN UNBOUNDED PRECEDING"
                f" AND CURRENT ROW) - {m} AS before_them FROM ({grouped.this.sql(dialect='duckdb')})"
                " AS grouped_rows"
            )
            count = f"{q.dimensions[0]}_count"
            return parse_one(
                f"SELECT count(*) AS {count} FROM ({ranked}) AS ranked CROSS JOIN ({whole.sql})"
                f" AS whole WHERE ranked.before_them < {part} * whole.{name}",
                dialect="duckdb",
            )
        top, total = exp.column(m, "grouped_rows"), exp.column(name, "whole")
        share = exp.func(
            "round",
            exp.Div(
                this=exp.cast(exp.func("sum", top), "DOUBLE"),
                expression=exp.func("nullif", total.copy(), _literal(0)),
            ),
            _literal(4),
        )
        return (
            exp.select(
                exp.func("sum", top.copy()).as_(f"top_{m}"),
                total.copy().as_(m),
                share.as_(f"{m}__share"),
            )
            .from_(grouped)
            .join(parse_one(whole.sql, dialect="duckdb").subquery("whole"), join_type="cross")
            .group_by(total.copy())
        )

    def _counted_once_per_group(self, measure: Any) -> bool:
        """A distinct count of its model's own rows (orders) split by dimensions each row has
        one value of (the buyer's state, not the categories of its lines): every row is in one
        group, so the groups' counts add up to the whole."""
        model = self.catalog.models.get(measure.model)
        if model is None or model.primary is None:
            return False
        if measure.agg != "count_distinct" or measure.expr != model.primary.expr:
            return False
        for name in self.q.dimensions:
            if name in self.line_dims:
                return False  # by each order line's own seller: an order in several groups
            if name in model.dimensions:
                continue
            plan = JoinPlan(self.catalog, model, allow_fanout=False)
            try:
                if plan.find((model.name,), None, dim=name) is None:
                    return False
            except FanoutError:
                return False
        return True

    def _median_of_groups(self, grouped: exp.Subquery, how: str = "median") -> exp.Select:
        """The median (`how` "avg": the average, "max": the largest) over the groups of the first
        metric ("median spend per customer": each person's sales in the period, then the middle
        one; "平均每个卖家有几个买家": each seller's buyers, then their mean; "单个客户最多买过多少单":
        each person's orders, then the most), with how many groups it is over."""
        q = self.q
        if q.limit is not None or len(q.metrics) != 1:
            raise CatalogError(f"a {how} over groups takes one metric and no limit")
        m = q.metrics[0]
        value = exp.column(m, "grouped_rows")
        figure = exp.func(how, exp.cast(value, "DOUBLE"))
        groups = (q.dimensions or (q.grain,))[0]
        select = exp.select(
            exp.func("round", figure, _literal(2)).as_(f"{m}__{how}"),
            exp.Count(this=value.copy()).as_(f"{groups}_count"),
        ).from_(grouped)
        if how in ("median", "max"):
            which = "the middle one" if how == "median" else "the largest"
            self.notes.append(
                f"the {how} of {m} over the {groups} groups of the period (each {groups}'s own "
                f"{m}, then {which})"
            )
            return select
        # a group of the period with none of it (a seller whose items have no category, a
        # product only guests bought): the average with it, and over the groups that had some
        some = exp.Where(this=exp.NEQ(this=value.copy(), expression=_literal(0)))
        self.notes.append(
            f"the average of {m} over the {groups} groups of the period (each {groups}'s own "
            f"{m}, then their mean); {m}__avg_of_some: over the {groups}_with_some groups "
            f"whose {m} is not 0"
        )
        select = select.select(
            exp.func("round", exp.Filter(this=figure.copy(), expression=some), _literal(2)).as_(
                f"{m}__avg_of_some"
            ),
            exp.Filter(this=exp.Count(this=value.copy()), expression=some.copy()).as_(
                f"{groups}_with_some"
            ),
        )
        return self._distinct_per_group(select, some)

    def _distinct_per_group(self, select: exp.Select, some: exp.Where) -> exp.Select:
        """Beside the average over the groups of a distinct count, the whole's distinct count
        over the groups that had some ("每个国家平均有几位客户": the year's customers, each once,
        / the countries they bought in): a person in two countries is counted once, not in
        each. Only people (and sellers), whose key is one across the groups (a city's name is not:
        two states' cities of one name are two cities); over dimensions (not a grain) and with no
        condition on the groups."""
        q = self.q
        m = q.metrics[0]
        metric = self.catalog.metrics.get(m)
        measure = self.catalog.measure(metric.measure or "") if metric is not None else None
        if (
            measure is None
            or measure.agg != "count_distinct"
            or not re.search(r"\b(?:one_id|user_key|buyer_id|shop_id|seller_id)\b", measure.expr)
            or measure.having
            or len(q.dimensions) != 1
            or q.grain
            or q.having
        ):
            return select
        from sqlglot import parse_one

        whole_q = replace(
            q, dimensions=(), grain=None, order_by=(), limit=None, having=(), of_groups=None
        )
        try:
            whole = _Builder(self.catalog, whole_q, self.today).build()
        except CatalogError:
            return select
        groups = q.dimensions[0]
        value = exp.column(m, "grouped_rows")
        count = exp.Filter(this=exp.Count(this=value), expression=some.copy())
        per = exp.func(
            "round",
            exp.Div(
                this=exp.cast(exp.func("max", exp.column(m, "whole")), "DOUBLE"),
                expression=exp.func("nullif", count, _literal(0)),
            ),
            _literal(2),
        )
        self.notes.append(
            f"{m}__per_{groups}: the period's {m} counted once each (not once per {groups}) / "
            f"the {groups}_with_some groups"
        )
        return select.select(per.as_(f"{m}__per_{groups}")).join(
            parse_one(whole.sql, dialect="duckdb").subquery("whole"), join_type="cross"
        )

    def _cumulative(self, select: exp.Select) -> exp.Select:
        """Running totals (`extra["cumulative"]`: "2018年每月累计销售额", "running total of
        revenue by month"): each metric's figure per grain bucket beside its sum over the
        buckets up to that one, in time order (within each value of the other dimensions), from
        the start of the range. Only metrics that add up over periods (a sum, a count of the
        model's own rows, a count of the people new in each period): people counted again in
        each month would be counted twice in the total."""
        from shopql.catalog.families import adds_up

        q = self.q
        if not q.grain or q.compare or q.having or q.of_groups or q.limit is not None:
            raise CatalogError(
                "a running total is a sum over the buckets of a grain (by month, week, day …)",
                "ask it by month (每月累计), with no comparison, condition or top-N",
            )
        bad = [m for m in q.metrics if not adds_up(self.catalog, m)]
        if bad:
            raise CatalogError(
                f"{', '.join(bad)} does not add up over periods: its running total would count "
                "one person (or thing) again in each period",
                "ask a running total of sales, orders, units or new customers",
            )
        columns = [s.alias_or_name for s in select.expressions]
        others = [c for c in self.dims if c != q.grain]
        part = f"PARTITION BY {', '.join(others)} " if others else ""
        window = f"{part}ORDER BY {q.grain} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"
        runs = [
            sqlglot.parse_one(f"sum({m}) OVER ({window})", dialect="duckdb").as_(f"{m}__cumulative")
            for m in q.metrics
        ]
        out = exp.select(*[exp.column(c) for c in columns], *runs)
        out = out.from_(select.subquery("per_period"))
        return out.order_by(*[exp.column(c) for c in others], exp.column(q.grain))

    def _accounts_beside(self, select: exp.Select) -> exp.Select:
        """People ranked ("11月买的不同商品最多的三位客户", "top 5 customers by invoices"): each
        person's own keys in the seller's exports (Retail's CustomerID, Olist's
        customer_unique_id, a shop's buyer nick) beside the OneID, what the seller knows them by
        — as the people lists show them (catalog/people.py)."""
        q = self.q
        if "person" not in q.dimensions or q.compare or q.of_groups or q.grain:
            return select
        if q.limit is None and not q.extra.get("which_one") and not q.order_by:
            return select  # a plain breakdown (every person, unranked): no accounts
        if q.extra.get("cumulative") or len(q.dimensions) != 1:
            return select
        names = {s.alias_or_name for s in select.expressions}
        if "person" not in names or "accounts" in names:
            return select
        accounts = sqlglot.parse_one(
            "(SELECT string_agg(DISTINCT c.buyer_key, ', ' ORDER BY c.buyer_key) FROM customers"
            " AS c WHERE c.one_id = base.person)",
            read="duckdb",
        )
        # right after the person (the figures stay last, beside their label)
        at = next(i for i, e in enumerate(select.expressions) if e.alias_or_name == "person")
        select.expressions.insert(at + 1, exp.alias_(accounts, "accounts"))
        return select

    def _order_limit(self, select: exp.Select) -> exp.Select:
        available = {s.alias_or_name for s in select.expressions}
        shown = {s.alias_or_name: s.unalias() for s in select.expressions}
        order: list[exp.Expression] = []
        for o in self.q.order_by:
            if o.name not in available:
                raise CatalogError(
                    f"cannot order by {o.name}", f"order by one of {', '.join(sorted(available))}"
                )
            # ranked by the exact value, not the one rounded for display (1.1584 before 1.1575,
            # both shown 1.16), with the rounded value first so the order shown stays sorted
            key = [exp.column(o.name)]
            exact = _unrounded(shown[o.name])
            if exact is None and o.name in self._exact_kept:  # kept beside a condition
                exact = self._exact_kept[o.name].copy()
            if exact is not None:
                key.append(exact)
            order += [exp.Ordered(this=k, desc=o.descending, nulls_first=False) for k in key]
        if not order:
            if self.q.grain:
                order.append(exp.Ordered(this=exp.column(self.q.grain)))
            order += [exp.Ordered(this=exp.column(d)) for d in self.parts]  # Monday first
            if self.q.dimensions:
                first = self.q.metrics[0]
                order.append(exp.Ordered(this=exp.column(first), desc=True, nulls_first=False))
            order += [exp.Ordered(this=exp.column(d)) for d in self.q.dimensions]
        if order:
            select = select.order_by(*order)
        percent = self.q.extra.get("top_percent") if self.q.of_groups == "top_share" else None
        if percent is not None and order and self.q.limit is None:
            # "the top 20 % of customers": the first ceil(n × 20 %) groups of the ranking (as
            # ntile(5)'s first bucket holds), n the groups ranked
            keys = ", ".join(o.sql(dialect="duckdb") for o in order)
            cut = f"ceil(count(*) OVER () * {float(percent)} / 100)"
            select = select.qualify(
                f"row_number() OVER (ORDER BY {keys}) <= {cut}", dialect="duckdb"
            )
        if self.q.limit is not None:
            select = select.limit(int(self.q.limit))
        return select


def _unrounded(value: exp.Expression) -> exp.Expression | None:
    """The exact value inside a ROUND(x, n) (or CAST(ROUND(x, n) AS …)) put there for display."""
    inner = value.this if isinstance(value, exp.Cast) else value
    if isinstance(inner, exp.Round):
        return inner.this.copy()
    return None


@dataclass
class _Part:
    """One measure ready to be computed: its aggregate, its own filter, and the rows it reads."""

    out: str
    plan: JoinPlan
    cols: list[exp.Expression]
    where: list[exp.Expression]
    value: exp.Expression
    condition: exp.Expression | None
    key: tuple[str, ...]


@dataclass
class _PerEntity:
    """A measure counting the entities (e.g. people) whose own rows satisfy `having`."""

    out: str
    plan: JoinPlan
    cols: list[exp.Expression]
    where: list[exp.Expression]
    entity: exp.Expression
    having: exp.Expression
    condition: exp.Expression | None
    key: tuple[str, ...]

    def rows(self) -> tuple[str, ...]:
        """What decides the rows and groups it reads: shared by measures that can share a pass."""
        cond = self.condition.sql() if self.condition is not None else ""
        return (*self.key, "|", self.entity.sql(), "|", cond)


def _entity_passes(
    per_entity: list[_PerEntity], leaves: list[Any]
) -> tuple[list[tuple[list[_PerEntity], _Part | None]], list[Any]]:
    """Group the per-entity measures reading the same rows, each with the count of distinct
    entities over those rows when the query has one (taken out of `leaves`, which is returned
    without the grouped leaves)."""
    passes: list[tuple[list[_PerEntity], _Part | None]] = []
    taken: set[int] = set()
    for m in per_entity:
        if any(m.having.find_all(exp.Filter, exp.Window)):
            continue  # its aggregates cannot take the rows' filter: its own pass
        same = next((p for p in passes if p[0][0].rows() == m.rows()), None)
        if same is not None and _same_aliases_as(same[0][0].plan, m.plan):
            same[0].append(m)
            taken.add(id(m))
            continue
        counted = f"COUNT(DISTINCT {m.entity.sql()})"
        cond = m.condition.sql() if m.condition is not None else None
        distinct = next(
            (
                leaf
                for leaf in leaves
                if isinstance(leaf, _Part)
                and id(leaf) not in taken
                and leaf.key == m.key
                and leaf.value.sql() == counted
                and (leaf.condition.sql() if leaf.condition is not None else None) == cond
                and _same_aliases_as(leaf.plan, m.plan)
            ),
            None,
        )
        if distinct is None:
            continue  # alone: its own pass, as before
        taken.update((id(m), id(distinct)))
        passes.append(([m], distinct))
    return passes, [leaf for leaf in leaves if id(leaf) not in taken]


def _same_aliases_as(a: JoinPlan, b: JoinPlan) -> bool:
    return a.aliases == b.aliases and [j[1] for j in a.joins] == [j[1] for j in b.joins]


def _cheaper(having: exp.Expression, plan: JoinPlan) -> exp.Expression:
    """`having` with COUNT(DISTINCT <primary key>) over rows no join repeated as COUNT(*): a
    primary entity is unique by declaration (as `_aggregate` counts it)."""
    having = having.copy()
    primary = plan.root.primary
    if plan.fanned_out or primary is None:
        return having
    key = plan.expr(primary.expr).sql()
    for count in list(having.find_all(exp.Count)):
        inner = count.this
        if isinstance(inner, exp.Distinct) and [e.sql() for e in inner.expressions] == [key]:
            count.replace(exp.Count(this=exp.Star()))
    return having


def _same_aliases(group: list[_Part], part: _Part) -> bool:
    """Whether `part` names every joined model the way the group does (so joins can be shared)."""
    seen = {alias: path for g in group for path, alias in g.plan.aliases.items()}
    return all(seen.get(alias, path) == path for path, alias in part.plan.aliases.items())


def _outside_groups(catalog: Catalog, f: Filter) -> Filter | None:
    """ "江浙沪以外": a group set with no `others` names no group for the rest of the base
    dimension's values (its CASE leaves them NULL, which a NOT IN drops with the unknown ones):
    outside some of its groups is the base dimension outside their members (every other
    province kept, a row with no province still left out)."""
    gs = (getattr(catalog, "value_groups", None) or {}).get(f.dimension)
    if gs is None or gs.others is not None or f.op.lower() not in ("not in", "!=", "<>"):
        return None
    named = [g for g in gs.groups if g.name in {str(v) for v in f.values}]
    if len(named) != len(set(map(str, f.values))):
        return None
    return Filter(gs.dimension, "not in", tuple(m for g in named for m in g.members))


def _only_the_rest(catalog: Catalog, f: Filter) -> Filter | None:
    """ "英国以外", "outside the UK": the `others` group named alone is the base dimension outside
    every group's members — a row with no country left out (not known to be abroad), though the
    CASE counts it in the rest beside the named groups ("the UK vs the rest": every invoice)."""
    gs = (getattr(catalog, "value_groups", None) or {}).get(f.dimension)
    if gs is None or gs.others is None or f.op.lower() not in ("in", "="):
        return None
    if {str(v) for v in f.values} != {gs.others.name}:
        return None
    return Filter(gs.dimension, "not in", tuple(m for g in gs.groups for m in g.members))


def _literal(value: Any) -> exp.Expression:
    if isinstance(value, dt.datetime):
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), "TIMESTAMP")
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), "DATE")
    if value is None:
        return exp.Null()
    if isinstance(value, (bool, int, float, str)):
        return exp.convert(value)
    return exp.Literal.string(str(value))


def _part_said_of(name: str, catalog: Any) -> str:
    """A time part's filter said of a named time (`day_of_week@order_date`): its part, if the
    catalog has both; else the name as it is (unknown)."""
    part, _, of = name.partition("@")
    return part if of and part in catalog.time_parts and of in catalog.dimensions else name


def _part_number(part: str, day: dt.date) -> int:
    """A day's number for a time part (catalog/families.time_part_sql): isodow 1-7, daytype
    1 = Monday-Friday / 2 = weekend, month 1-12."""
    if part == "daytype":
        return 2 if day.isoweekday() >= 6 else 1
    if part == "isodow":
        return day.isoweekday()
    if part == "month":
        return day.month
    if part == "day":
        return day.day
    raise CatalogError(f"a day has no single {part}: no average per day by it")


def _part_keeps(part: str, f: Filter, day: dt.date) -> bool:
    """Whether a filter on a time part keeps `day` (an hour filter keeps every day)."""
    if part == "hour":
        return True
    n = _part_number(part, day)
    values = [int(v) for v in f.values]
    op = f.op.lower()
    if op in ("in", "="):
        return n in values
    if op in ("not in", "!="):
        return n not in values
    ops = {"<": n < values[0], "<=": n <= values[0], ">": n > values[0], ">=": n >= values[0]}
    if op in ops:
        return ops[op]
    raise CatalogError(f"cannot average per day with a filter {f.dimension} {f.op}")
