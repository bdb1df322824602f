"""Answers made of no data: refused rather than shown (issue 11).

A breakdown by a column the warehouse never fills (payment method or city on Online Retail, whose
file has neither) comes back as one row whose key is NULL: "100 % of orders were paid with —" is
an answer to a question nobody asked. A metric that has no value on any row (an average delivery
time where no order has a delivery time) is NULL, not a figure. Both exit 5 with what is missing.
"""

from __future__ import annotations

import re
from typing import Any

from shopql.errors import ExitCode, ShopqlError
from shopql.nlq.linking import has_chinese


class NoDataHere(ShopqlError):
    """The answer would be made of NULLs: nothing is answered (exit 5), and no other engine is
    asked to make up a figure for it."""

    exit_code = ExitCode.NOT_UNDERSTOOD


def check(
    ws: Any, query: Any, columns: list[str], rows: list[tuple[Any, ...]], question: str
) -> None:
    """Raise NoDataHere when a breakdown of `query` is NULL on every row of the answer, or every
    metric of it is NULL on every row."""
    zh = has_chinese(question)
    _people_spread_empty(ws, query, zh)
    if not rows:
        empty = _empty_tables(ws, query)
        if empty:
            what = ", ".join(empty)
            if zh:
                raise NoDataHere(f"仓库里没有这些数据（{what} 表为空）", "导入相应的数据再问")
            raise NoDataHere(
                f"the warehouse has no rows for this ({what} is empty)", "import that data"
            )
        for dim in query.dimensions:  # "哪个城市买得最多" on Online Retail: no city on any row
            if _dimension_empty(ws, dim):
                _no_dimension(ws, dim, zh)
        own_filter_contradicted(ws, query, zh)  # "2011年被取消件数最多的商品": none is paid
        return
    if getattr(query, "of_groups", None) in ("avg", "median", "count", "max"):
        for dim in query.dimensions:  # "平均每个城市有几个客户" on Online Retail: no city
            if _dimension_empty(ws, dim):
                _no_dimension(ws, dim, zh)
    position = {c: i for i, c in enumerate(columns)}
    for dim in query.dimensions:
        i = position.get(dim)
        if i is not None and all(r[i] is None for r in rows):
            _no_dimension(ws, dim, zh)
    metrics = [position[m] for m in query.metrics if m in position]
    if metrics and all(r[i] in (None, 0) for r in rows for i in metrics):
        _filtered_empty(ws, query, zh)  # "上个月 天猫 优惠 多少": no discounts in Tmall's export
        own_filter_contradicted(ws, query, zh)  # "2011年被取消的件数": cancelled orders never paid
    if metrics and all(r[i] is None for r in rows for i in metrics):
        labels = ", ".join(_metric_label(ws, m, zh) for m in query.metrics if m in position)
        if zh:
            raise NoDataHere(
                f"这份数据里没有可计算{labels}的值（相关字段全部为空）",
                "导入带有这些字段的数据再问",
            )
        raise NoDataHere(
            f"this data has no values to compute {labels} from (the fields it needs are empty)",
            "import data that has them",
        )


def own_filter_contradicted(ws: Any, query: Any, zh: bool) -> None:
    """Raise NoDataHere when the question's filters keep only rows the metric's own filter never
    keeps, at any time: "2011年被取消件数最多的商品" — units counts paid orders, and no cancelled
    (refunded) invoice of Online Retail has a payment time, so the ranking is empty. An empty
    table there is no answer ("nothing was cancelled") but a metric that does not count those
    rows. Probed only for an empty (or all 0) answer: the metric over the question's filters at
    any time is nothing with its own filter and something without it."""
    from dataclasses import replace

    from shopql.catalog.compiler import compile_query, metric_closure
    from shopql.catalog.semantic import SemanticQuery

    rows_listed = ("order_rows", "refund_rows", "by_buyer_kind")
    if (
        not query.filters
        or query.population is not None
        or any(query.extra.get(k) for k in rows_listed)
    ):
        return
    catalog = ws.catalog
    try:
        closure = metric_closure(catalog, [m for m in query.metrics if m in catalog.metrics])
    except Exception:  # an unknown metric: the compiler has said so already
        return
    for metric in closure:
        if metric.type != "simple" or not metric.filter:
            continue
        probe = _rows_probe(catalog, metric)
        if probe is None:
            continue
        asked = SemanticQuery(metrics=("__rows_kept",), filters=tuple(query.filters))
        try:  # the rows of the question's filters at any time, with and without the metric's own
            kept = _one_value(ws, compile_query(probe, asked, today=ws.today).sql)
            if kept not in (None, 0):
                continue
            loose = replace(asked, metrics=("__rows_all",))
            unfiltered = _one_value(ws, compile_query(probe, loose, today=ws.today).sql)
            anywhere = _one_value(
                ws,
                compile_query(probe, SemanticQuery(metrics=("__rows_kept",)), today=ws.today).sql,
            )
        except Exception:  # a probe the compiler or the warehouse cannot run: leave it
            continue
        if unfiltered in (None, 0) or anywhere in (None, 0):
            continue
        label = _metric_label(ws, metric.name, zh)
        rule = (metric.description or {}).get("zh" if zh else "en") or metric.filter
        said = "; ".join(
            f"{f.dimension} {f.op} {', '.join(str(v) for v in f.values)}"
            for f in query.filters
            if f.values  # "product is not null" (a ranking's own) is no condition of the question
        )
        if zh:
            raise NoDataHere(
                f"{label}只统计满足 {metric.filter} 的行（{rule.rstrip('。')}），而 {said} 的行"
                "在这份数据里没有一行满足它：空结果不是答案，这个指标不计这些行",
                "换一个统计这些行的指标再问（例如订单数），或去掉这个条件",
            )
        raise NoDataHere(
            f"{label} counts only rows with {metric.filter} ({rule.rstrip('.')}), and no row of "
            f"{said} has it in this data: an empty result would be no answer, the metric does "
            "not count those rows",
            "ask for a metric that counts those rows, or leave the condition out",
        )


def _people_spread_empty(ws: Any, query: Any, zh: bool) -> None:
    """ "今年用过两种以上付款方式的客户" on Online Retail (no payment type on any invoice): people
    counted over the distinct values of a dimension empty on every row are none for want of data,
    not an answer of 0."""
    from shopql.catalog.people import SPREAD

    population = getattr(query, "population", None)
    for c in getattr(population, "conditions", ()) or ():
        spread = SPREAD.get(c.kind)
        if spread is not None and _dimension_empty(ws, spread[1]):
            _no_dimension(ws, spread[1], zh)


def _rows_probe(catalog: Any, metric: Any) -> Any:
    """`catalog` with two row counts over `metric`'s model and time: __rows_kept (with the
    metric's own filter) and __rows_all (without it); None when the model is unknown."""
    from dataclasses import replace

    from shopql.catalog.model import Measure

    measure = catalog.measure(metric.measure or "")
    model = catalog.models.get(measure.model) if measure is not None else None
    if measure is None or model is None:
        return None
    rows = Measure(name="__rows", agg="count", expr="1", model=measure.model)
    models = {
        **catalog.models,
        measure.model: replace(model, measures={**model.measures, "__rows": rows}),
    }
    kept = replace(metric, name="__rows_kept", measure="__rows", line_metric=None, window_days=None)
    every = replace(kept, name="__rows_all", filter=None)
    return replace(
        catalog, models=models, metrics={**catalog.metrics, kept.name: kept, every.name: every}
    )


def _one_value(ws: Any, sql: str) -> Any:
    row = ws.reader().execute(sql).fetchone()
    return row[0] if row else None


def _no_dimension(ws: Any, dim: str, zh: bool) -> None:
    label = _label(ws, dim, zh)
    if zh:
        raise NoDataHere(
            f"这份数据没有{label}（每一行的{label}都为空），无法按{label}拆分或筛选",
            "导入带有该字段的数据，或换一个维度再问",
        )
    raise NoDataHere(
        f"this data has no {label} (it is empty on every row): nothing to split by",
        "import data that has it, or ask by another dimension",
    )


_COLUMN_REF = re.compile(r"\b([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\b")


def _dimension_empty(ws: Any, dim: str) -> bool:
    """True when every table.column the dimension's expression reads is empty in the warehouse
    (a ranking that leaves out the NULL group came back with no row: the city of Online Retail)."""
    from shopql.nlq.absent import has_data

    refs: list[tuple[str, str]] = []
    for model in ws.catalog.models.values():
        d = model.dimensions.get(dim)
        if d is None or not model.table:
            continue
        found = _COLUMN_REF.findall(d.expr or "")
        if not found and _PLAIN.fullmatch(d.expr or ""):
            found = [(model.table, d.expr)]  # a column of the model's own table
        refs += found
    if not refs:
        return False
    return not any(has_data(ws.reader(), ws.schema, f"{t}.{c}") for t, c in refs)


def _label(ws: Any, dim: str, zh: bool) -> str:
    info = ws.catalog.dimensions.get(dim)
    label = getattr(info, "label", None) or {}
    text = label.get("zh" if zh else "en") or dim.replace("_", " ")
    return text if zh else text[:1].lower() + text[1:]


def _metric_label(ws: Any, metric: str, zh: bool) -> str:
    info = ws.catalog.metrics.get(metric)
    label = getattr(info, "label", None) or {}
    return label.get("zh" if zh else "en") or metric


def _empty_tables(ws: Any, query: Any) -> list[str]:
    """The tables the metrics of `query` read that hold no row at all."""
    from shopql.catalog.compiler import metric_closure
    from shopql.nlq.absent import has_data

    catalog = ws.catalog
    tables = []
    for metric in metric_closure(catalog, [m for m in query.metrics if m in catalog.metrics]):
        measure = catalog.measure(metric.measure or "")
        model = catalog.models.get(measure.model) if measure is not None else None
        table = getattr(model, "table", None)
        if table and table not in tables:
            tables.append(table)
    return [t for t in tables if not has_data(ws.reader(), ws.schema, t)]


def _filtered_empty(ws: Any, query: Any, zh: bool) -> None:
    """Raise NoDataHere when a sum of `query` reads a column that is empty on every row the
    query's filters keep, at any time: a total of 0 there is no figure but an export that does
    not carry the column ("上个月 天猫 优惠 多少": Tmall's orders name no discount; the sum came
    back 0 through the compiler's COALESCE). Only filters on plain columns of the measure's own
    table are applied; a column empty over the filter in this period only is left as 0."""
    from shopql.catalog.compiler import metric_closure
    from shopql.nlq.absent import has_data

    catalog = ws.catalog
    for metric in metric_closure(catalog, [m for m in query.metrics if m in catalog.metrics]):
        measure = catalog.measure(metric.measure or "")
        model = catalog.models.get(measure.model) if measure is not None else None
        table = getattr(model, "table", None)
        if measure is None or measure.agg != "sum" or not _PLAIN.fullmatch(measure.expr):
            continue
        if not table or table not in ws.schema or measure.expr not in ws.schema[table]:
            continue
        where: list[tuple[str, list[str]]] = []
        own: dict[str, Any] = dict(getattr(model, "dimensions", None) or {})
        for f in query.filters:
            dim = own.get(f.dimension)
            if dim is None or not _PLAIN.fullmatch(dim.expr):
                continue
            values = [v for v in (f.values or []) if isinstance(v, str)]
            if f.op not in ("=", "in") or not values or dim.expr not in ws.schema[table]:
                continue
            where.append((dim.expr, values))
        if not where:
            continue
        con, schema = ws.reader(), ws.schema
        kept = has_data(con, schema, table, where)
        filled = kept and has_data(con, schema, f"{table}.{measure.expr}", where)
        if kept and not filled:
            label = _metric_label(ws, metric.name, zh)
            said = ", ".join(str(v) for _, values in where for v in values)
            if zh:
                raise NoDataHere(
                    f"{said} 的数据里没有可计算{label}的值（{measure.expr} 在这些行上全部为空，"
                    "合计的 0 不是真实数字）",
                    "导入带有该字段的报表再问，或按平台拆分看哪些有数据",
                )
            raise NoDataHere(
                f"the rows of {said} carry no {measure.expr} at all: a {label} of 0 there would "
                "be no figure",
                "import an export that has it, or ask by platform to see which do",
            )


def empty_groups(ws: Any, query: Any) -> list[tuple[str, str, list[str], list[tuple[Any, ...]]]]:
    """The groups of `query`'s breakdown whose rows never carry a sum's column, at any time:
    (metric, column, the breakdown's dimensions, their values). "total discount by platform":
    Tmall's export names no discount, so its 0 (the compiler's COALESCE) would be no figure — as
    the same total asked of Tmall alone is refused (`_filtered_empty`). Only a breakdown by plain
    columns of the sum's own table is probed, with the query's plain filters; a group with the
    column empty in this period only keeps its 0."""
    catalog = ws.catalog
    out: list[tuple[str, str, list[str], list[tuple[Any, ...]]]] = []
    if not query.dimensions:
        return out
    for name in query.metrics:
        metric = catalog.metrics.get(name)
        if metric is None or metric.type != "simple":
            continue
        measure = catalog.measure(metric.measure or "")
        model = catalog.models.get(measure.model) if measure is not None else None
        table = getattr(model, "table", None)
        if measure is None or measure.agg != "sum" or not _PLAIN.fullmatch(measure.expr):
            continue
        if table not in ws.schema or measure.expr not in ws.schema[table]:
            continue
        own: dict[str, Any] = dict(getattr(model, "dimensions", None) or {})
        keys = [getattr(own.get(d), "expr", "") for d in query.dimensions]
        if not all(_PLAIN.fullmatch(k) and k in ws.schema[table] for k in keys):
            continue
        where, params = [], []
        for f in query.filters:
            dim = own.get(f.dimension)
            if dim is None or not _PLAIN.fullmatch(dim.expr) or dim.expr not in ws.schema[table]:
                continue
            values = [v for v in (f.values or []) if isinstance(v, str)]
            if f.op in ("=", "in") and values:
                where.append(f'"{dim.expr}" IN ({", ".join("?" for _ in values)})')
                params += values
        cols = ", ".join(f'"{k}"' for k in keys)
        sql = (
            f'SELECT {cols} FROM "{table}"'
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + f' GROUP BY ALL HAVING count("{measure.expr}") = 0'
        )
        try:
            found = [tuple(r) for r in ws.reader().execute(sql, params).fetchall()]
        except Exception:  # unreadable: leave the answer as it is
            continue
        found = [r for r in found if all(v is not None for v in r)]
        if found:
            out.append((name, measure.expr, list(query.dimensions), found))
    return out


def blank_groups(
    ws: Any, query: Any, columns: list[str], rows: list[tuple[Any, ...]], question: str
) -> tuple[list[tuple[Any, ...]], list[str]]:
    """The rows with the figure of each group in `empty_groups` blank (NULL), not 0, and a note
    for each group blanked."""
    position = {c: i for i, c in enumerate(columns)}
    if not rows or not query.dimensions:
        return rows, []
    out = [list(r) for r in rows]
    notes: list[str] = []
    zh = has_chinese(question)
    for name, column, dims, groups in empty_groups(ws, query):
        i = position.get(name)
        if i is None or any(d not in position for d in dims):
            continue
        for row in out:
            key = tuple(row[position[d]] for d in dims)
            if key in groups and row[i] in (None, 0):
                row[i] = None
                said = ", ".join(str(v) for v in key)
                label = _metric_label(ws, name, zh)
                notes.append(
                    f"{said}：数据里没有 {column}（全部为空），{label}留空而不是 0"
                    if zh
                    else f"{said}: its rows carry no {column} at all, so its {label} is left "
                    "blank (no figure), not 0"
                )
    return [tuple(r) for r in out], notes


def left_out_groups(ws: Any, query: Any, question: str) -> tuple[Any, list[str]]:
    """A ranking of `query` without the groups in `empty_groups` (a filter leaving them out) and
    a note for each: Tmall, whose export names no discount, is no platform with the least
    discount."""
    from dataclasses import replace

    from shopql.catalog.semantic import Filter

    ranked = {o.name for o in query.order_by}
    found = [g for g in empty_groups(ws, query) if g[0] in ranked or not ranked]
    found = [g for g in found if len(g[2]) == 1]
    if not found:
        return query, []
    zh = has_chinese(question)
    filters, notes = list(query.filters), []
    for name, column, (dim,), groups in found:
        values = tuple(v for (v,) in groups)
        filters.append(Filter(dim, "not in", values))
        said = ", ".join(str(v) for v in values)
        label = _metric_label(ws, name, zh)
        notes.append(
            f"{said} 不参与排名：数据里没有 {column}（全部为空），没有{label}可比"
            if zh
            else f"{said} left out of the ranking: its rows carry no {column} at all (no "
            f"{label} to rank)"
        )
    return replace(query, filters=tuple(filters)), notes


_PLAIN = re.compile(r"[a-z_][a-z0-9_]*")
