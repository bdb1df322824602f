"""Validation stage 2, references: every name a catalog entry uses must exist.

Tables and columns are checked against the warehouse schema (the canonical model, plus whatever
introspection found); metrics against measures and other metrics; synonyms must not make two
metrics ambiguous; a ratio's denominator must not be zero by definition.
"""

from __future__ import annotations

import functools

import sqlglot
from sqlglot import exp

from shopql.catalog.model import Catalog, Issue, Location, Metric, SemanticModel

Schema = dict[str, dict[str, str]]  # table -> column -> type


def check_references(catalog: Catalog, schema: Schema) -> list[Issue]:
    """All reference problems at once."""
    issues: list[Issue] = []
    issues += _tables(catalog, schema)
    for model in catalog.models.values():
        issues += _model(catalog, model, schema)
    for metric in catalog.metrics.values():
        issues += _metric(catalog, metric, schema)
    issues += _cycles(catalog)
    issues += _synonyms(catalog)
    issues += _dimension_words(catalog)
    return issues


def _issue(message: str, where: Location, level: str = "error") -> Issue:
    return Issue(level, message, where, "references")


def _tables(catalog: Catalog, schema: Schema) -> list[Issue]:
    out = []
    for table in catalog.tables.values():
        if table.name not in schema:
            out.append(_issue(f"table {table.name} is not in the warehouse", table.where))
            continue
        for col in table.columns.values():
            if col.name not in schema[table.name]:
                out.append(_issue(f"unknown column {table.name}.{col.name}", col.where))
    return out


@functools.lru_cache(maxsize=2048)  # generated metrics repeat their measurable's SQL
def _columns_of(sql: str) -> tuple[list[exp.Column], str | None]:
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except sqlglot.errors.ParseError as e:
        return [], str(e).splitlines()[0]
    return list(tree.find_all(exp.Column)), None


def check_expr(
    catalog: Catalog, model: SemanticModel, sql: str, schema: Schema, where: Location, what: str
) -> list[Issue]:
    """Columns of `sql` exist: bare ones in the model's table, `model.col` in that model's."""
    if model.sql:  # a SELECT model: its columns are whatever it selects; the compile stage checks
        return []
    cols, error = _columns_of(sql)
    if error:
        return [_issue(f"{what}: cannot parse {sql!r}: {error}", where)]
    out = []
    for col in cols:
        owner = model
        if col.table:
            owner = catalog.model_of_entity(col.table) or catalog.models.get(col.table)  # type: ignore[assignment]
            if owner is None:
                out.append(
                    _issue(f"{what}: unknown model or entity {col.table!r} in {sql!r}", where)
                )
                continue
            if owner.sql:
                continue
        table = owner.table or owner.name
        if col.name != "*" and col.name not in schema.get(table, {}):
            out.append(_issue(f"{what}: unknown column {table}.{col.name}", where))
    return out


def _model(catalog: Catalog, model: SemanticModel, schema: Schema) -> list[Issue]:
    out = []
    if model.table and model.table not in schema:
        return [_issue(f"semantic model {model.name}: unknown table {model.table}", model.where)]
    for ent in model.entities:
        out += check_expr(catalog, model, ent.expr, schema, ent.where, f"entity {ent.name}")
        if ent.type == "foreign" and catalog.model_of_entity(ent.name) is None:
            out.append(
                _issue(
                    f"entity {ent.name}: no semantic model has it as primary", ent.where, "warning"
                )
            )
    for dim in model.dimensions.values():
        out += check_expr(catalog, model, dim.expr, schema, dim.where, f"dimension {dim.name}")
    for mea in model.measures.values():
        out += check_expr(catalog, model, mea.expr, schema, mea.where, f"measure {mea.name}")
        if mea.having:
            out += check_expr(catalog, model, mea.having, schema, mea.where, f"measure {mea.name}")
    if model.default_time and model.default_time not in model.dimensions:
        out.append(
            _issue(f"{model.name}: unknown agg_time_dimension {model.default_time}", model.where)
        )
    return out


def _metric(catalog: Catalog, metric: Metric, schema: Schema) -> list[Issue]:
    out = []
    where = metric.where
    if metric.type == "simple":
        measure = catalog.measure(metric.measure or "")
        if measure is None:
            return [_issue(f"metric {metric.name}: unknown measure {metric.measure}", where)]
        model = catalog.models[measure.model]
        if metric.time and metric.time not in model.dimensions:
            out += check_expr(
                catalog, model, metric.time, schema, where, f"metric {metric.name} time"
            )
        if metric.filter:
            out += check_expr(
                catalog, model, metric.filter, schema, where, f"metric {metric.name} filter"
            )
        if metric.line_metric and metric.line_metric not in catalog.metrics:
            out.append(
                _issue(
                    f"metric {metric.name}: line_metric {metric.line_metric} is not a metric", where
                )
            )
    for ref in metric.inputs_used:
        if ref not in catalog.metrics and not (metric.type == "ratio" and _zero(catalog, ref)):
            out.append(_issue(f"metric {metric.name} refers to a missing metric {ref}", where))
    missing = [k for k in ("en", "zh") if not metric.label.get(k)]
    if missing:
        out.append(
            _issue(f"metric {metric.name} has no {'/'.join(missing)} label", where, "warning")
        )
    if not metric.description:
        out.append(
            _issue(f"metric {metric.name} has no description (its 口径 in words)", where, "warning")
        )
    if metric.type == "ratio" and metric.denominator:
        if _zero(catalog, metric.denominator):
            out.append(
                _issue(
                    f"ratio {metric.name}: the denominator {metric.denominator} is zero by definition",
                    where,
                )
            )
    if metric.type == "derived" and metric.expr:
        cols, error = _columns_of(metric.expr)
        if error:
            out.append(
                _issue(f"metric {metric.name}: cannot parse {metric.expr!r}: {error}", where)
            )
        for col in cols:
            if col.name not in metric.inputs:
                out.append(
                    _issue(
                        f"metric {metric.name}: {col.name} in expr is not listed in metrics", where
                    )
                )
    return out


def _zero(catalog: Catalog, name: str) -> bool:
    """Whether metric `name` is constantly zero: a literal 0, a 0 expression, or a false filter."""
    if name.strip() in ("0", "0.0"):
        return True
    metric = catalog.metrics.get(name)
    if metric is None:
        return False
    if metric.type == "derived" and metric.expr:
        return _constant_zero(metric.expr)
    if metric.type != "simple":
        return False
    measure = catalog.measure(metric.measure or "")
    if metric.filter and _constant_false(metric.filter):
        return True
    return bool(measure and measure.agg in ("sum", "count", "avg") and _constant_zero(measure.expr))


def _simplified(sql: str) -> exp.Expression | None:
    from sqlglot.optimizer.simplify import simplify

    try:
        return simplify(sqlglot.parse_one(sql, read="duckdb"))
    except Exception:
        return None


@functools.lru_cache(maxsize=2048)  # generated metrics repeat their measurable's SQL
def _constant_zero(sql: str) -> bool:
    tree = _simplified(sql)
    return isinstance(tree, exp.Literal) and tree.is_number and float(tree.this) == 0


@functools.lru_cache(maxsize=2048)  # generated metrics repeat their measurable's SQL
def _constant_false(sql: str) -> bool:
    tree = _simplified(sql)
    return isinstance(tree, exp.Boolean) and not tree.this


def _cycles(catalog: Catalog) -> list[Issue]:
    out = []
    for metric in catalog.metrics.values():
        stack, seen = list(metric.inputs_used), set()
        while stack:
            name = stack.pop()
            if name == metric.name:
                out.append(
                    _issue(f"metric {metric.name} is defined in terms of itself", metric.where)
                )
                break
            if name in seen or name not in catalog.metrics:
                continue
            seen.add(name)
            stack += catalog.metrics[name].inputs_used
    return out


def _dimension_words(catalog: Catalog) -> list[Issue]:
    """A word naming two dimensions, or a metric and a dimension, makes questions guess."""
    owner: dict[str, str] = {}
    out = []
    for model in catalog.models.values():
        for dim in model.dimensions.values():
            for word in {w.strip().lower() for w in (dim.name, *dim.synonyms) if w.strip()}:
                first = owner.setdefault(word, dim.name)
                if first != dim.name:
                    message = (
                        f"synonym {word!r} of dimension {dim.name} also names dimension {first}"
                    )
                    out.append(_issue(message, dim.where, "warning"))
    for metric in catalog.metrics.values():
        for word in {w.strip().lower() for w in metric.synonyms if w.strip()}:
            if word in owner:
                message = (
                    f"synonym {word!r} of metric {metric.name} also names dimension {owner[word]}"
                )
                out.append(_issue(message, metric.where, "warning"))
    return out


def _synonyms(catalog: Catalog) -> list[Issue]:
    """A word may name one metric only, else a question using it is ambiguous."""
    owner: dict[str, str] = {}
    for metric in catalog.metrics.values():
        owner.setdefault(metric.name.lower(), metric.name)
    out = []
    for metric in catalog.metrics.values():
        words = {s.strip().lower() for s in metric.synonyms if s.strip()}
        words |= {v.strip().lower() for v in metric.label.values() if v.strip()}
        for word in sorted(words):
            first = owner.setdefault(word, metric.name)
            if first != metric.name:
                where = catalog.metrics[first].where
                out.append(
                    _issue(
                        f"synonym {word!r} of metric {metric.name} also names metric {first} "
                        f"({where}): questions using it are ambiguous",
                        metric.where,
                    )
                )
    return out
