"""The LLM's context for one question: the linked tables and columns, metric definitions as SQL,
the values the question names, and the stored examples closest to it. Never a PII value."""

from __future__ import annotations

from typing import Any

from shopql.nlq.examples import closest_examples
from shopql.nlq.prompt import CORE_TABLES, MetricInfo, PromptContext, tables_from_schema

# Where a dimension's values live, for telling the model "'天猫' means orders.platform = 'tmall'".
DIMENSION_COLUMNS = {
    "platform": "orders.platform",
    "status": "orders.status",
    "payment_channel": "orders.payment_channel",
    "province": "orders.province",
    "city": "customers.city",
    "member_level": "customers.member_level",
    "category": "order_items.category",
    "brand": "products.brand",
    # the titles the value index holds: the clean titles (no variant text), as the filter reads
    "product_title": "products.clean_title",
    "shop_name": "shops.name",
}
CORE_METRICS = ("paid_gmv", "orders", "buyers", "units")


def build_context(ws: Any, question: str) -> tuple[PromptContext, list[Any]]:
    """The PromptContext for `question`, and the catalog metrics it describes."""
    try:
        catalog = ws.catalog
        links = _links(ws, question)
    except Exception:  # a broken catalog still leaves the schema to work with
        catalog, links = None, None
    metrics = _metrics(catalog, links)
    tables = _tables(catalog, links, metrics)
    period = question_range(question, ws.today)
    columns, notes = tables_from_schema(ws.schema, tables, catalog)
    pii = {(t, c) for t, cols in ws.pii_columns().items() for c in cols}
    values = []
    for m in links.of("value") if links else []:
        column = DIMENSION_COLUMNS.get(m.term.target)
        if column and tuple(column.split(".")) not in pii:
            values.append((m.phrase, column, m.term.value))
    ctx = PromptContext(
        today=ws.today,
        tables=columns,
        table_notes=notes,
        metrics=[
            MetricInfo(m.name, _en(m.description), metric_sql(catalog, m, period, ws.today))
            for m in shown_metrics(catalog, metrics)
        ],
        values=values,
        examples=closest_examples(ws.examples_path, question),
        timezone=ws.settings.timezone,
        notes=time_notes(question, ws.today) + sample_values(ws, columns),
    )
    return ctx, metrics


def sample_values(ws: Any, tables: dict[str, Any], limit: int = 30) -> list[str]:
    """The stored values of small categorical columns of the offered tables, so the model
    writes literals that exist; never of a column the catalog or the guard calls personal."""
    pii = {f"{t}.{c}" for t, cols in ws.pii_columns().items() for c in cols}
    notes = []
    for dim, column in DIMENSION_COLUMNS.items():
        values = ws.values.values.get(dim, [])
        if column in pii:
            continue
        if column.split(".")[0] in tables and 0 < len(values) <= limit:
            notes.append(f"{column} values: {', '.join(repr(v) for v in values)}")
    return notes


def question_range(question: str, today: Any) -> Any:
    """The question's time phrase as a closed TimeRange (start and end), else None."""
    from shopql.nlq.linking import normalise
    from shopql.nlq.phrases import find_time

    tr, found, _ = find_time(normalise(question), today)
    if tr is None or found is None or tr.start is None or tr.end is None:
        return None
    return tr


def time_notes(question: str, today: Any) -> list[str]:
    """The question's time phrase resolved to dates, so the model need not guess them."""
    import datetime as dt

    from shopql.nlq.linking import normalise
    from shopql.nlq.phrases import find_time

    tr, found, _ = find_time(normalise(question), today)
    if tr is None or found is None or tr.start is None or tr.end is None:
        return []
    last = (tr.end - dt.timedelta(days=1)).date()
    return [
        f"'{found.text}' means {tr.start.date()} to {last} inclusive: "
        f">= TIMESTAMP '{tr.start.date()}' AND < TIMESTAMP '{tr.end.date()}'"
    ]


def _links(ws: Any, question: str) -> Any:
    from shopql.nlq.linking import link

    return link(question, ws.vocabulary, fuzzy_values=ws.fuzzy)


def _metrics(catalog: Any, links: Any) -> list[Any]:
    if catalog is None:
        return []
    names = links.targets("metric") if links else []
    names = names or [m for m in CORE_METRICS if m in catalog.metrics]
    from shopql.catalog.compiler import metric_closure

    return metric_closure(catalog, names)


def _tables(catalog: Any, links: Any, metrics: list[Any]) -> list[str]:
    wanted: list[str] = []
    if links is not None:
        wanted += links.targets("table")
    for metric in metrics:
        measure = catalog.measure(metric.measure or "") if metric.measure else None
        model = catalog.models.get(measure.model) if measure else None
        if model is not None:
            wanted += [model.table] if model.table else _tables_read(model.sql)
    for m in links.of("value") + links.of("dimension") if links else []:
        column = DIMENSION_COLUMNS.get(m.term.target)
        if column:
            wanted.append(column.split(".")[0])
    wanted += [t for t in CORE_TABLES if t not in wanted]
    return list(dict.fromkeys(wanted))


def _tables_read(sql: str | None) -> list[str]:
    """The tables a semantic model's SELECT reads (the prompt lists them with their columns)."""
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(sql or "", read="duckdb")
    except sqlglot.errors.ParseError:
        return []
    return list(dict.fromkeys(t.name for t in tree.find_all(exp.Table)))


def shown_metrics(catalog: Any, metrics: list[Any]) -> list[Any]:
    """The metrics to define in the prompt: those asked for, not the inputs a ratio or derived
    metric is computed from (its SQL already holds them)."""
    inputs = {i for m in metrics for i in m.inputs_used}
    return [m for m in metrics if m.name not in inputs]


def metric_sql(catalog: Any, metric: Any, period: Any = None, today: Any = None) -> str:
    """The SQL the metric compiler runs for `metric` alone over `period` (all time when None):
    joins, person keys, HAVING logic and filters included, exactly as `shopql metric` runs it."""
    from shopql.catalog.compiler import compile_query
    from shopql.catalog.model import CatalogError
    from shopql.catalog.semantic import SemanticQuery

    try:
        query = SemanticQuery(metrics=(metric.name,), time_range=period)
        return compile_query(catalog, query, today=today).sql
    except CatalogError as e:  # a broken user metric: say so rather than show wrong SQL
        return f"-- not computable: {e}"


def _en(text: Any) -> str:
    return (
        str(text.get("en") or text.get("zh") or "") if isinstance(text, dict) else str(text or "")
    )
