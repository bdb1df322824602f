"""The offline engine: question → SemanticQuery, deterministically, from the catalog's vocabulary,
the value index and the phrase finders. No model, no network.

It covers metrics by dimensions over time ranges, top-N and rankings, filters on known values,
comparisons with the previous period or the same period last year, grains (按月 …), follow-ups
(a question without a metric reuses the previous one), and the compound "top sellers and their
buyer profile". When it cannot answer it says so: what it did not understand, and close questions
it can answer. It never guesses silently: every word it ignored is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from shopql.catalog.semantic import Filter, OrderBy, SemanticQuery, TimeRange
from shopql.errors import ExitCode, ShopqlError
from shopql.nlq.families import read_families
from shopql.nlq.lexicon import FOLLOW_UP_WORDS, HARMLESS, SUGGESTIONS
from shopql.nlq.linking import Links, link, normalise
from shopql.nlq.phrases import asks_for_one, blank, find_time, find_top_n

PRODUCT_DIMS = ("product_title", "product")
# Excluding these is about what a buyer did NOT buy (a set difference), not a row filter.
LINE_DIMS = ("product_title", "product", "category", "brand", "outer_code")
DEFAULT_TOP = 10


class NotUnderstood(ShopqlError):
    """The offline engine cannot answer this question; `suggestions` are close ones it can."""

    exit_code = ExitCode.NOT_UNDERSTOOD

    def __init__(
        self,
        message: str,
        unknown: list[str],
        suggestions: list[str],
        understood: list[str] | None = None,
    ) -> None:
        hint = "try: " + " | ".join(suggestions) if suggestions else "rephrase the question"
        super().__init__(message, hint)
        self.unknown = unknown
        self.suggestions = suggestions
        self.understood = understood or []


class Unsure(NotUnderstood):
    """The offline engine has an answer, but it ignored some words of the question."""


@dataclass
class Understanding:
    """What the offline engine made of a question."""

    query: SemanticQuery
    compound: str | None = None  # "buyer_profile": top products, then who bought them
    recognised: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    follow_up: bool = False

    @property
    def confident(self) -> bool:
        return not self.ignored


@dataclass
class Parsed:
    """The pieces found in one question, before they become a SemanticQuery."""

    links: Links
    time: TimeRange | None
    top_n: int | None
    modifiers: dict[str, Any]
    metrics: list[str]
    dimensions: list[str]
    filters: list[Filter]
    excluded: list[Filter]
    two_periods: str | None = None  # "2018 vs 2017": the comparison the two ranges imply


def parse(question: str, ws: Any) -> Parsed:
    """Find the time range, top-N, modifiers, metrics, dimensions and values in `question`."""
    text = normalise(question)
    shielded = _shield_compare(text, ws)
    time, found, rest = find_time(shielded, ws.today)
    implied = None
    if found:
        text = blank(text, found.start, found.end)
        other, second, _ = find_time(rest, ws.today)
        if time is not None and other is not None and second is not None:
            text = blank(text, second.start, second.end)
            time, implied = _two_periods(time, other)
    top_n, from_bottom, text = find_top_n(text)
    links = link(text, ws.vocabulary, fuzzy_values=ws.fuzzy)
    modifiers: dict[str, Any] = {"bottom": True} if from_bottom else {}
    for m in links.of("modifier"):
        modifiers.setdefault(m.term.target, m.term.value if m.term.value is not None else True)
    timed = time is not None or bool(modifiers.keys() & {"grain", "trend", "compare"})
    read_families(links, modifiers, ws.vocabulary, ws.catalog, timed)  # measures, counts
    if top_n is None and modifiers.keys() & {"top", "bottom"} and asks_for_one(text):
        top_n = 1
    filters, excluded = _value_filters(links, ws.vocabulary)
    parsed = Parsed(
        links=links,
        time=time,
        top_n=top_n,
        modifiers=modifiers,
        metrics=links.targets("metric"),
        dimensions=[],
        filters=filters,
        excluded=excluded,
        two_periods=implied,
    )
    parsed.dimensions = _pick_dimensions(parsed, ws)
    return parsed


def _two_periods(a: TimeRange, b: TimeRange) -> tuple[TimeRange, str | None]:
    """Two ranges in one question: the later one, compared with the earlier when that is the
    period just before it or the same period a year before (else None: not comparable)."""
    from shopql.catalog.timephrase import previous_range

    if a.start is None or b.start is None or a.end is None or b.end is None:
        return a, None
    a_inside_b = b.start <= a.start and a.end <= b.end
    b_inside_a = a.start <= b.start and b.end <= a.end
    if a_inside_b or b_inside_a:  # "singles day 2017": one range, the narrower one
        inner = a if a_inside_b else b
        return TimeRange(inner.start, inner.end, f"{a.label} {b.label}".strip()), None
    current, earlier = (a, b) if a.start >= b.start else (b, a)
    for kind in ("previous_period", "year_over_year"):
        before = previous_range(current, kind)
        if (before.start, before.end) == (earlier.start, earlier.end):
            label = f"{current.label} vs {earlier.label}"
            return TimeRange(current.start, current.end, label), kind
    return current, "not comparable"


def _shield_compare(text: str, ws: Any) -> str:
    """Blank comparison phrases ("same period last year") so they are not read as time ranges."""
    for phrase in ws.vocabulary.phrases_longest_first():  # cached: not sorted per question
        if phrase not in text:
            continue
        term = ws.vocabulary.terms[phrase][0]
        if term.kind == "modifier" and term.target == "compare":
            i = text.find(phrase)
            text = blank(text, i, i + len(phrase))
    return text


def _value_filters(links: Links, vocabulary: Any) -> tuple[list[Filter], list[Filter]]:
    """Values grouped by dimension (several values → IN; a phrase naming several stored values
    of one dimension, such as 上海 for '上海' and '上海市', takes them all), title keywords as
    LIKE; a value right after a negation word is excluded instead."""
    keep: dict[str, list[Any]] = {}
    drop: dict[str, list[Any]] = {}
    likes: tuple[list[Filter], list[Filter]] = ([], [])
    previous = None
    for m in links.mentions:
        negated = previous is not None and previous.term.target == "negation"
        if m.term.kind == "value":
            values = (drop if negated else keep).setdefault(m.term.target, [])
            same = [
                t.value
                for t in vocabulary.terms.get(m.phrase, [m.term])
                if t.kind == "value" and t.target == m.term.target
            ]
            values += [v for v in same or [m.term.value] if v not in values]
        elif m.term.kind == "keyword":
            op = "not like" if negated else "like"
            likes[negated].append(Filter(m.term.target, op, (f"%{m.term.value}%",)))
        else:
            previous = m
    kept = [Filter(k, "in", tuple(v)) for k, v in keep.items()] + likes[0]
    dropped = [Filter(k, "not in", tuple(v)) for k, v in drop.items()] + likes[1]
    return kept, dropped


def _pick_dimensions(p: Parsed, ws: Any) -> list[str]:
    """Dimension mentions, each read as the dimension the asked metrics can be split by when a
    phrase has several meanings ("channel": platform, or payment channel for payment metrics)."""
    models = _metric_models(ws, p.metrics)
    dims = ws.catalog.dimensions
    chosen = []
    for m in p.links.of("dimension"):
        options = [t.target for t in ws.vocabulary.terms.get(m.phrase, []) if t.kind == "dimension"]
        fitting = [d for d in options if d in dims and set(dims[d].models) & models]
        chosen.append((fitting or options or [m.term.target])[0])
    return list(dict.fromkeys(chosen))


def _metric_models(ws: Any, metrics: list[str]) -> set[str]:
    from shopql.catalog.compiler import metric_closure

    catalog = ws.catalog
    models = set()
    for metric in metric_closure(catalog, [m for m in metrics if m in catalog.metrics]):
        measure = catalog.measures.get(metric.measure or "")
        if measure is not None:
            models.add(measure.model)
    return models


def understand(question: str, ws: Any, previous: SemanticQuery | None = None) -> Understanding:
    """Turn `question` into a SemanticQuery, or raise NotUnderstood saying why."""
    p = parse(question, ws)
    _refuse_unsupported(question, p, ws)
    if _is_follow_up(question, p, previous):
        assert previous is not None
        refines = p.filters or p.excluded or p.dimensions or p.time or p.top_n or p.metrics
        if not (refines or p.modifiers):
            raise _not_understood(question, p, ws, "nothing in it refines the previous question")
        return _follow_up(p, previous, ws)
    if p.modifiers.get("profile") and _wants_products(p):
        return _buyer_profile(p, ws)
    if p.modifiers.get("negation") and _is_buyers_without(p):
        return _buyers_without(p, ws)
    if _ranks_customers(p):
        return _top_customers(p, ws)
    if _compare(p) and p.time is None:
        p.time = _default_compare_range(question, ws)
    metrics = _metrics(p, ws)
    if not metrics:
        raise _not_understood(question, p, ws, "no metric recognised")
    dims = _dimensions(p, ws)
    query = SemanticQuery(
        metrics=tuple(metrics),
        dimensions=tuple(dims),
        grain=_grain(p),
        time_range=p.time,
        filters=tuple(p.filters + p.excluded),
        compare=_compare(p),
    )
    query = _ranked(query, p)
    if p.modifiers.get("share"):
        query = _with_share(question, query, p, ws)
    return Understanding(query, recognised=describe(query, ws), ignored=_ignored(p))


def _with_share(question: str, query: SemanticQuery, p: Parsed, ws: Any) -> SemanticQuery:
    """ "各平台销售额占比": each row's share of the total, for additive metrics by dimensions."""
    metric = ws.catalog.metrics[query.metrics[0]]
    if not query.dimensions or query.grain or query.compare:
        why = "a share needs a breakdown (by platform, 按类目 …) and no grain or comparison"
        raise _not_understood(question, p, ws, why)
    if metric.type == "ratio" or metric.value_type == "ratio":
        raise _not_understood(
            question, p, ws, f"{metric.name} is a rate: it has no share of a total"
        )
    return replace(query, extra={**query.extra, "share": True})


def _refuse_unsupported(question: str, p: Parsed, ws: Any) -> None:
    if p.two_periods == "not comparable":
        why = "it compares two periods only when one is the period just before the other or a year before"
        raise _not_understood(question, p, ws, why)
    for kind, why in (
        ("forecast", "forecasting is not something the offline engine does"),
        ("why", "explaining causes (why) is beyond the offline engine"),
    ):
        if p.modifiers.get(kind):
            raise _not_understood(question, p, ws, why)
    line_level = {f.dimension for f in p.excluded} & set(LINE_DIMS)
    if p.modifiers.get("negation") and line_level and _is_buyers_without(p):
        return
    if p.modifiers.get("negation") and (not p.excluded or line_level):
        raise _not_understood(
            question, p, ws, "questions with an exclusion (bought X but not Y) need the LLM engine"
        )


def _is_follow_up(question: str, p: Parsed, previous: SemanticQuery | None) -> bool:
    if previous is None or p.modifiers.get("profile"):
        return False
    starts = normalise(question).startswith(FOLLOW_UP_WORDS)
    return not p.metrics or starts


def _follow_up(p: Parsed, previous: SemanticQuery, ws: Any) -> Understanding:
    """Reuse the previous question: replace what the follow-up names, keep the rest."""
    filters = {f.dimension: f for f in previous.filters}
    filters.update({f.dimension: f for f in p.filters + p.excluded})
    dims = list(previous.dimensions) + [
        d for d in _dimensions(p, ws) if d not in previous.dimensions
    ]
    dims = [d for d in dims if d not in {f.dimension for f in p.filters}]
    metrics = tuple(_metrics(p, ws)) or previous.metrics
    order_by = previous.order_by
    if metrics != previous.metrics and order_by and order_by[0].name in previous.metrics:
        order_by = (OrderBy(metrics[0], order_by[0].descending), *order_by[1:])
    query = replace(
        previous,
        metrics=metrics,
        order_by=order_by,
        dimensions=tuple(dims),
        grain=_grain(p) or previous.grain,
        time_range=p.time or previous.time_range,
        filters=tuple(filters.values()),
        compare=_compare(p) or (previous.compare if not _grain(p) else None),
    )
    if p.top_n or p.modifiers.get("top") or p.modifiers.get("bottom"):
        query = _ranked(replace(query, limit=None, order_by=()), p)
    return Understanding(query, recognised=describe(query, ws), ignored=_ignored(p), follow_up=True)


CUSTOMER_WORDS = {
    "customers",
    "customer",
    "buyers",
    "buyer",
    "客户",
    "买家",
    "顾客",
    "会员",
    "用户",
}


def _ranks_customers(p: Parsed) -> bool:
    """ "top 10 customers by spend", "消费最多的前10个客户": a ranking of people, not a count."""
    ranking = p.top_n or p.modifiers.get("top") or p.modifiers.get("bottom")
    named = any(
        m.term.target in ("buyers", "customers") and m.phrase in CUSTOMER_WORDS
        for m in p.links.of("metric") + p.links.of("table")
    )
    return bool(ranking and named and not p.dimensions and not p.modifiers.get("bestsellers"))


def _people_by_metric(p: Parsed, ws: Any, metric: str) -> Understanding:
    """ "top 10 customers by net sales": any other metric ranks people through the metric layer
    (its `person` dimension), so returns are deducted as the metric defines them."""
    query = SemanticQuery(
        metrics=(metric,),
        dimensions=("person",),
        time_range=p.time,
        filters=(*p.filters, *p.excluded, Filter("person", "is not null")),  # guests are no one
        order_by=(OrderBy(metric, not p.modifiers.get("bottom")),),
        limit=p.top_n or DEFAULT_TOP,
    )
    return Understanding(query, recognised=describe(query, ws), ignored=_ignored(p))


def _top_customers(p: Parsed, ws: Any) -> Understanding:
    from shopql.nlq.compound import CUSTOMER_RANKINGS

    other = [m for m in p.metrics if m not in CUSTOMER_RANKINGS and m != "buyers"]
    if other and "person" in ws.catalog.dimensions:
        return _people_by_metric(p, ws, other[0])
    metric = next((m for m in p.metrics if m in CUSTOMER_RANKINGS), "paid_gmv")
    query = SemanticQuery(
        metrics=(metric,),
        time_range=p.time,
        filters=tuple(p.filters + p.excluded),
        order_by=(OrderBy(metric, not p.modifiers.get("bottom")),),
        limit=p.top_n or DEFAULT_TOP,
    )
    direction = "bottom" if p.modifiers.get("bottom") else "top"
    recognised = [
        f"{direction} {query.limit} customers (people, by OneID) by {metric}",
        "time: " + describe_range(p.time),
        *[f"filter: {_filter_text(f)}" for f in query.filters],
    ]
    return Understanding(
        query, compound="top_customers", recognised=recognised, ignored=_ignored(p)
    )


def _is_buyers_without(p: Parsed) -> bool:
    """ "customers who bought X but not Y": a line-level value kept and another excluded."""
    kept = {f.dimension for f in p.filters} & set(LINE_DIMS)
    dropped = {f.dimension for f in p.excluded} & set(LINE_DIMS)
    about_buyers = not p.metrics or set(p.metrics) <= {"buyers", "orders"}
    return bool(kept and dropped) and about_buyers


def _buyers_without(p: Parsed, ws: Any) -> Understanding:
    """The people who bought X in the range and never bought Y."""
    query = SemanticQuery(
        metrics=("buyers",),
        time_range=p.time,
        filters=tuple(p.filters + p.excluded),
    )
    kept = " and ".join(_filter_text(f) for f in p.filters)
    dropped = " or ".join(_filter_text(f) for f in p.excluded)
    recognised = [
        f"buyers of {kept}",
        "time: " + describe_range(p.time),
        f"excluding anyone who bought {dropped} at any time",
    ]
    return Understanding(
        query, compound="buyers_without", recognised=recognised, ignored=_ignored(p)
    )


def _filter_text(f: Filter) -> str:
    values = ", ".join(str(v).strip("%") for v in f.values)
    return f"{f.dimension} {'like' if 'like' in f.op else '='} {values}"


def _default_compare_range(question: str, ws: Any) -> TimeRange:
    """A comparison without a range compares this month so far."""
    from shopql.catalog.timephrase import parse_time_range

    tr = parse_time_range("mtd", ws.today)
    assert tr is not None
    zh = any("\u4e00" <= ch <= "\u9fff" for ch in question)
    return TimeRange(tr.start, tr.end, "本月至今（默认）" if zh else "month to date (default)")


def _wants_products(p: Parsed) -> bool:
    return bool(p.modifiers.get("bestsellers") or set(p.dimensions) & set(PRODUCT_DIMS) or p.top_n)


def product_dimension(ws: Any) -> str:
    """product_title when the warehouse has titles, else the product key."""
    dims = ws.catalog.dimensions
    if "product_title" in dims and ws.values.values.get("product_title"):
        return "product_title"
    return "product" if "product" in dims else "product_title"


def _metrics(p: Parsed, ws: Any) -> list[str]:
    metrics = list(p.metrics)
    if p.modifiers.get("new_vs_returning"):
        metrics += [m for m in ("new_buyers", "returning_buyers") if m not in metrics]
    if not metrics and p.modifiers.get("bestsellers"):
        metrics = ["units"]
    if not metrics and (p.top_n or p.modifiers.get("top")) and _wants_products(p):
        metrics = ["units"]
    if not metrics and p.modifiers.get("distribution") and p.dimensions:
        metrics = ["orders"]  # "订单状态分布": how the orders spread over the dimension
    return [m for m in metrics if m in ws.catalog.metrics]


def _dimensions(p: Parsed, ws: Any) -> list[str]:
    filtered = {f.dimension for f in p.filters}
    dims: list[str] = []
    for d in p.dimensions:
        d = product_dimension(ws) if d in PRODUCT_DIMS else d
        if d not in dims and d not in filtered and d in ws.catalog.dimensions:
            dims.append(d)
    if p.modifiers.get("bestsellers") and not dims:
        dims.append(product_dimension(ws))
    return dims


def _grain(p: Parsed) -> str | None:
    grain = p.modifiers.get("grain")
    if grain:
        return str(grain)
    if p.modifiers.get("trend"):
        tr = p.time
        if tr and tr.start and tr.end and (tr.end - tr.start).days <= 62:
            return "day"
        return "month"
    return None


def _compare(p: Parsed) -> str | None:
    value = p.modifiers.get("compare") or p.two_periods
    return str(value) if value else None


def _ranked(query: SemanticQuery, p: Parsed) -> SemanticQuery:
    """Order and limit for top-N / bottom-N / rankings."""
    ranking = (
        p.top_n
        or p.modifiers.get("top")
        or p.modifiers.get("bottom")
        or p.modifiers.get("bestsellers")
    )
    if not ranking or not query.dimensions or query.grain:
        return query
    n = p.top_n or DEFAULT_TOP
    ascending = bool(p.modifiers.get("bottom"))
    ties = tuple(OrderBy(d, False) for d in query.dimensions)  # stable ranks on ties
    return replace(query, order_by=(OrderBy(query.metrics[0], not ascending), *ties), limit=n)


def _buyer_profile(p: Parsed, ws: Any) -> Understanding:
    """Top products by units (or the metric asked), then the profile of their buyers."""
    metric = next((m for m in p.metrics if m in ("units", "item_paid_gmv", "paid_gmv")), "units")
    if metric == "paid_gmv":
        metric = "item_paid_gmv"
    query = SemanticQuery(
        metrics=(metric,),
        dimensions=(product_dimension(ws),),
        time_range=p.time,
        filters=tuple(p.filters + p.excluded),
        order_by=(OrderBy(metric, True), OrderBy(product_dimension(ws), False)),
        limit=p.top_n or DEFAULT_TOP,
    )
    recognised = describe(query, ws) + [
        "then: the buyers of those products by province, member level, platform, new vs returning"
    ]
    return Understanding(
        query, compound="buyer_profile", recognised=recognised, ignored=_ignored(p)
    )


def _ignored(p: Parsed) -> list[str]:
    return [w for w in p.links.leftover if w not in HARMLESS and len(w) > 1]


def describe(query: SemanticQuery, ws: Any) -> list[str]:
    """The question as understood, one line per part, with dates resolved."""
    catalog = ws.catalog
    lines = ["metrics: " + ", ".join(f"{m} ({_label(catalog.metrics[m])})" for m in query.metrics)]
    if query.dimensions:
        lines.append("by: " + ", ".join(query.dimensions))
    if query.grain:
        lines.append(f"per {query.grain}")
    lines.append("time: " + describe_range(query.time_range))
    for f in query.filters:
        lines.append(f"filter: {f.dimension} {f.op} {', '.join(map(str, f.values))}")
    if query.compare:
        lines.append(
            "compared with: "
            + (
                "the previous period"
                if query.compare == "previous_period"
                else "the same period a year before"
            )
        )
    if query.extra.get("share"):
        lines.append(f"share of the total: {query.metrics[0]}__share")
    if query.limit:
        order = query.order_by[0] if query.order_by else None
        direction = "top" if not order or order.descending else "bottom"
        lines.append(f"{direction} {query.limit}" + (f" by {order.name}" if order else ""))
    return lines


def describe_range(tr: TimeRange | None) -> str:
    if tr is None or (tr.start is None and tr.end is None):
        return "all time"
    import datetime as dt

    start = tr.start.date().isoformat() if tr.start else "the beginning"
    end = (tr.end - dt.timedelta(days=1)).date().isoformat() if tr.end else "now"
    span = start if start == end else f"{start} → {end}"
    return f"{span} ({tr.label})" if tr.label else span


def _label(metric: Any) -> str:
    label = getattr(metric, "label", {}) or {}
    return label.get("zh") or label.get("en") or metric.name


def suggestions_for(question: str, p: Parsed | None, ws: Any) -> list[str]:
    """Three questions close to `question` that the offline engine answers."""
    zh = any("\u4e00" <= ch <= "\u9fff" for ch in question)
    year = str(ws.today.year - 1)
    pool = [s.replace("{year}", year) for s in SUGGESTIONS["zh" if zh else "en"]]
    if p is not None and p.metrics:
        metric = ws.catalog.metrics[p.metrics[0]]
        name = (metric.label.get("zh") if zh else metric.label.get("en")) or metric.name
        pool.insert(0, f"上个月各平台的{name}" if zh else f"{name} by platform last month")
    from rapidfuzz import fuzz, process

    ranked = process.extract(question, pool, scorer=fuzz.token_set_ratio, limit=3)
    return [s for s, _, _ in ranked]


def close_questions(question: str, query: SemanticQuery, ws: Any) -> list[str]:
    """Two or three questions built from what was understood of `question` (its metrics, time,
    breakdown), which the engine can answer as they stand."""
    zh = any("\u4e00" <= ch <= "\u9fff" for ch in question)
    names = [_metric_name(ws.catalog.metrics[m], zh) for m in query.metrics]
    what = ("和" if zh else " and ").join(names)
    when = query.time_range.label if query.time_range and query.time_range.label else ""
    shapes: list[tuple[str, ...]] = [query.dimensions, (), ("platform",)]
    out: list[str] = []
    for dims in shapes:
        by = "、".join(dims) if zh else ", ".join(dims)
        if zh:
            text = f"{when}{'各' + by + '的' if by else ''}{what}"
        else:
            text = " ".join(x for x in (what, f"by {by}" if by else "", when) if x)
        if text not in out:
            out.append(text)
    return out[:3]


def _metric_name(metric: Any, zh: bool) -> str:
    label = getattr(metric, "label", {}) or {}
    return (label.get("zh") if zh else label.get("en")) or metric.name


def _not_understood(question: str, p: Parsed, ws: Any, why: str) -> NotUnderstood:
    unknown = _ignored(p)
    said = f"; did not understand: {', '.join(repr(w) for w in unknown)}" if unknown else ""
    return NotUnderstood(
        f"the offline engine cannot answer this: {why}{said}",
        unknown,
        suggestions_for(question, p, ws),
    )
