"""Catalog-driven question families: countable entities, measurable columns, durations between
two timestamps and derived time parts (day of week, hour of day, month of year).

They are declared in catalog YAML (any file of the pack; the default pack's is
``catalog/default/measurables.yaml``):

    countables:            # "how many sellers", "多少个商品"
      - name: seller
        model: orders      # counted as distinct `expr` over this model's rows, by its time
        expr: shop_id
        filter: …          # optional, SQL over the model
        time: order_date   # optional, a time dimension of the model (default: the model's)
        all: {model: shops, expr: shop_id}   # optional: every one known (no time range)
        dimension: shop    # optional: what its words mean when not counted ("top sellers by …")
        per_ratio: true    # optional: "sales per seller" is sales / sellers, not sales by seller
        label: {en: Sellers, zh: 卖家}
        synonyms: [sellers, merchants, 卖家, 商家]
    measurables:           # "average review score", "平均运费", "median payment value"
      - name: review_score
        model: reviews
        expr: score
        aggs: [avg, min, max, median, sum]   # allowed aggregations (default: all five)
        default_agg: avg                     # when the question names none
        metrics: {avg: avg_review_score}     # aggregations an existing metric already defines
        value_type: score
    durations:             # "median delivery days", "平均发货时长"
      - name: delivery_days
        model: orders
        start: created_at
        end: finished_at
        unit: day          # day | hour
    time_parts:            # "orders by day of week", "每小时订单数"
      - name: day_of_week
        part: isodow       # isodow | hour | month
        names: {en: [Monday, …], zh: [周一, …]}

``generate(catalog)`` turns each into ordinary measures and simple metrics (one per allowed
aggregation, named ``<agg>_<name>``: ``median_delivery_days``; counts ``<name>_count`` and
``<name>_count_all``), each with a label and a definition (口径) in English and Chinese, so the
metric compiler, the join planner's fan-out checks, `shopql metric` and both question engines use
them like any catalog metric. ``resolve_metric(catalog, "avg:review_score")`` names the metric of
an aggregation of a measurable. Time parts become dimensions every metric can be split by: the
compiler derives them from each metric's own time column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shopql.catalog.model import (
    Catalog,
    DimensionInfo,
    Issue,
    Location,
    Measure,
    Metric,
    text,
)

MEASURE_AGGS = ("sum", "avg", "min", "max", "median")
UNITS = {"day": 86400, "hour": 3600, "minute": 60}
PARTS = ("isodow", "hour", "month", "daytype")  # daytype: 1 weekday, 2 weekend
AGG_EN = {
    "sum": "Total",
    "avg": "Average",
    "min": "Minimum",
    "max": "Maximum",
    "median": "Median",
    "count": "Number of",
}
AGG_ZH = {
    "sum": "{}合计",
    "avg": "平均{}",
    "min": "最低{}",
    "max": "最高{}",
    "median": "{}中位数",
    "count": "{}",
}
# Words a generated metric is also called by (adjacent to the measurable's own names).
AGG_WORDS = {
    "avg": (["average", "avg", "mean"], ["平均{}", "{}平均值", "{}均值"]),
    "median": (["median"], ["{}中位数", "{}的中位数", "中位数{}"]),
    "max": (["max", "maximum"], ["最高{}", "最大{}", "{}最大值", "{}最高值"]),
    "min": (["min", "minimum"], ["最低{}", "最小{}", "{}最小值", "{}最低值"]),
    "sum": (["total", "sum of"], ["总{}", "{}合计", "{}总额"]),
}


@dataclass
class Measurable:
    """A number the catalog can aggregate: a column, a duration or a count of an entity."""

    name: str
    kind: str  # column | duration | count
    model: str
    expr: str
    label: dict[str, str] = field(default_factory=dict)
    synonyms: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # bare names (卖家): a count only when asked
    counters: list[str] = field(default_factory=list)  # countables' measure words: 家 (几家卖家)
    description: dict[str, str] = field(default_factory=dict)
    aggs: tuple[str, ...] = MEASURE_AGGS
    default_agg: str = "sum"
    value_type: str = "number"
    filter: str | None = None
    time: str | None = None
    unit: str | None = None  # durations: unit, start and end timestamps (SQL over the model)
    start: str | None = None
    end: str | None = None
    all_model: str | None = None  # countables: every one known, not only the active ones
    all_expr: str | None = None
    dimension: str | None = None  # countables: the dimension their words name when not counted
    per_ratio: bool = False  # countables: "sales per seller" is the average over them, not a split
    metrics: dict[str, str] = field(default_factory=dict)  # agg -> metric name
    where: Location = field(default_factory=Location)

    starts: list[str] = field(default_factory=list)  # durations: words for the start event
    ends: list[str] = field(default_factory=list)  # … and the end ("from payment to shipping")

    @property
    def phrases(self) -> list[str]:
        names = [self.name, self.name.replace("_", " "), *self.label.values(), *self.synonyms]
        return [*names, *self.words, *self.between]

    @property
    def between(self) -> list[str]:
        """A duration named by its two events: "payment to shipping", "from order to delivery",
        "between first and second purchase", 付款到发货, 从下单到送达, 首单到第二单."""
        out = []
        for a in self.starts:
            for b in self.ends:
                if all(ord(ch) < 0x2E80 for ch in a + b):
                    out += [f"{a} to {b}", f"from {a} to {b}", f"between {a} and {b}"]
                    out += [f"{a} until {b}", f"from {a} until {b}"]
                else:
                    out += [f"{a}到{b}", f"从{a}到{b}", f"{a}至{b}", f"从{a}至{b}"]
        return out


@dataclass
class TimePart:
    """A cyclic part of a metric's time: day of week (1 = Monday), hour of day, month of year."""

    name: str
    part: str
    label: dict[str, str] = field(default_factory=dict)
    synonyms: list[str] = field(default_factory=list)
    names: dict[str, list[str]] = field(default_factory=dict)  # lang -> names, 1-based parts
    values: dict[str, list[int]] = field(default_factory=dict)  # phrase -> part numbers (周末)
    where: Location = field(default_factory=Location)

    @property
    def columns(self) -> list[str]:
        """The output columns: the part's number, then its name in each language."""
        return [self.name, *(f"{self.name}_{lang}" for lang in self.names)]


FAMILY_KEYS = ("countables", "measurables", "durations", "time_parts")


def read_families(r: Any, data: Any, catalog: Catalog) -> None:
    """Read the family sections of one catalog file (`r` is the loader's shape reader)."""
    for obj in r.items(data, "countables"):
        _add(catalog, r, obj, _countable(r, obj))
    for obj in r.items(data, "measurables"):
        _add(catalog, r, obj, _measurable(r, obj, "column"))
    for obj in r.items(data, "durations"):
        _add(catalog, r, obj, _measurable(r, obj, "duration"))
    for obj in r.items(data, "time_parts"):
        part = r.choice(obj, "part", PARTS, "isodow")
        names = obj.get("names") if isinstance(obj.get("names"), dict) else {}
        tp = TimePart(
            name=obj["name"],
            part=part,
            label=text(obj.get("label")),
            synonyms=r.strings(obj, "synonyms"),
            names={str(k): [str(x) for x in v or []] for k, v in (names or {}).items()},
            values=_part_values(r, obj),
            where=r.loc(obj),
        )
        if tp.name in catalog.time_parts:
            r.error(obj, f"time part {tp.name} is defined twice")
        catalog.time_parts[tp.name] = tp


def _part_values(r: Any, obj: Any) -> dict[str, list[int]]:
    """`values: {weekend: [6, 7], 工作日: [1, 2, 3, 4, 5]}`: phrases naming part numbers."""
    raw = obj.get("values") if isinstance(obj.get("values"), dict) else {}
    out: dict[str, list[int]] = {}
    for phrase, numbers in (raw or {}).items():
        numbers = numbers if isinstance(numbers, list) else [numbers]
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
            r.error(obj, f"{obj['name']}: values of {phrase!r} must be whole numbers", "values")
            continue
        out[str(phrase)] = list(numbers)
    return out


def _add(catalog: Catalog, r: Any, obj: Any, item: Measurable | None) -> None:
    if item is None:
        return
    if item.name in catalog.measurables:
        r.error(obj, f"measurable {item.name} is defined twice")
        return
    catalog.measurables[item.name] = item


def _common(r: Any, obj: Any) -> dict[str, Any]:
    return {
        "label": text(obj.get("label")),
        "synonyms": r.strings(obj, "synonyms"),
        "words": r.strings(obj, "words"),
        "description": text(obj.get("description")),
        "filter": r.string(obj, "filter"),
        "time": r.string(obj, "time"),
        "where": r.loc(obj),
    }


def _countable(r: Any, obj: Any) -> Measurable | None:
    model, expr = r.string(obj, "model", required=True), r.string(obj, "expr", required=True)
    if not model or not expr:
        return None
    every = obj.get("all") if isinstance(obj.get("all"), dict) else {}
    return Measurable(
        name=obj["name"],
        kind="count",
        model=model,
        expr=expr,
        aggs=("count",),
        default_agg="count",
        value_type="count",
        all_model=(every or {}).get("model"),
        all_expr=(every or {}).get("expr"),
        dimension=r.string(obj, "dimension"),
        counters=r.strings(obj, "counters"),
        per_ratio=_flag(r, obj, "per_ratio"),
        **_common(r, obj),
    )


def _flag(r: Any, obj: Any, key: str) -> bool:
    value = obj.get(key, False)
    if not isinstance(value, bool):
        r.error(obj, f"{obj.get('name', '?')}: `{key}` must be true or false", key)
        return False
    return value


def _measurable(r: Any, obj: Any, kind: str) -> Measurable | None:
    name = obj["name"]
    model = r.string(obj, "model", required=True)
    if not model:
        return None
    unit = None
    if kind == "duration":
        start, end = r.string(obj, "start", required=True), r.string(obj, "end", required=True)
        if not start or not end:
            return None
        unit = r.choice(obj, "unit", tuple(UNITS), "day")
        expr = f"(epoch({end}) - epoch({start})) / {UNITS[unit]}.0"
    else:
        expr = r.string(obj, "expr", required=True) or ""
        if not expr:
            return None
    aggs = tuple(r.strings(obj, "aggs")) or (
        MEASURE_AGGS if kind == "column" else ("avg", "median", "min", "max")
    )
    bad = [a for a in aggs if a not in MEASURE_AGGS]
    if bad:
        r.error(obj, f"{name}: unknown aggregation {', '.join(bad)} (use {MEASURE_AGGS})", "aggs")
        aggs = tuple(a for a in aggs if a in MEASURE_AGGS)
    default = r.choice(
        obj, "default_agg", aggs or MEASURE_AGGS, "avg" if kind != "column" else "sum"
    )
    declared = obj.get("metrics") if isinstance(obj.get("metrics"), dict) else {}
    common = _common(r, obj)
    if kind == "duration" and not common["filter"]:
        common["filter"] = f"{start} IS NOT NULL AND {end} IS NOT NULL"
    return Measurable(
        name=name,
        kind=kind,
        model=model,
        expr=expr,
        starts=r.strings(obj, "from"),
        ends=r.strings(obj, "to"),
        aggs=aggs,
        default_agg=default,
        value_type=str(obj.get("value_type") or ("days" if kind == "duration" else "number")),
        unit=unit,
        start=start if kind == "duration" else None,
        end=end if kind == "duration" else None,
        metrics={str(k): str(v) for k, v in (declared or {}).items()},
        **common,
    )


# -- generation -----------------------------------------------------------------------------------


def generate(catalog: Catalog) -> None:
    """Add a measure and a metric for each allowed aggregation of each measurable (a metric the
    catalog already defines under that name, or declares in `metrics`, is used as it is)."""
    taken = _words_in_use(catalog)
    for m in catalog.measurables.values():
        if m.model not in catalog.models:
            catalog.issues.append(
                Issue("error", f"measurable {m.name}: unknown semantic model {m.model}", m.where)
            )
            continue
        for agg in m.aggs:
            name = m.metrics.get(agg) or _generated_name(m, agg)
            if name in catalog.metrics:
                m.metrics[agg] = name
                continue
            _add_metric(catalog, m, agg, name, m.model, m.expr, taken)
            m.metrics[agg] = name
        if m.kind == "count" and m.all_model and m.all_expr:
            if m.all_model not in catalog.models:
                catalog.issues.append(
                    Issue("error", f"countable {m.name}: unknown model {m.all_model}", m.where)
                )
                continue
            name = f"{m.name}_count_all"
            if name not in catalog.metrics:
                _add_metric(catalog, m, "count", name, m.all_model, m.all_expr, set(), every=True)
            m.metrics["all"] = name


def dimension_count(catalog: Catalog, dimension: str, timed: bool = False) -> str | None:
    """The count of distinct values of a categorical dimension ("how many payment types",
    "几种支付方式"): the countable naming that dimension when the catalog has one, else a
    generated metric `<dimension>_count` over the first model defining it (by that model's time;
    NULL is not a value). None for a time dimension, one no model defines, or one only a model
    without a time defines when the question has a period (`timed`: a snapshot would ignore it).
    Said with 个/种/类 (几种支付方式)."""
    for m in catalog.measurables.values():
        if m.kind == "count" and m.dimension == dimension and "count" in m.metrics:
            return m.metrics["count"]
    info = catalog.dimensions.get(dimension)
    if info is None or info.type != "categorical":
        return None
    name = f"{dimension}_count"
    if name in catalog.metrics:
        return name if catalog.metrics[name].value_type == "count" else None
    models = [catalog.models[n] for n in info.models if n in catalog.models]
    models.sort(key=lambda model: model.default_time is None)  # a model with a time first
    found = next(
        (model.dimensions[dimension] for model in models if dimension in model.dimensions), None
    )
    if found is None or found.type != "categorical":
        return None
    if timed and catalog.models[found.model].default_time is None:
        return None
    en = (info.label.get("en") or dimension.replace("_", " ")).lower()
    m = Measurable(
        name=dimension,
        kind="count",
        model=found.model,
        expr=found.expr,
        label={"en": f"Number of distinct {en}", "zh": f"{info.label.get('zh', '')}数"},
        aggs=("count",),
        default_agg="count",
        value_type="count",
        dimension=dimension,
        counters=["个", "种", "类"],
    )
    _add_metric(catalog, m, "count", name, found.model, found.expr, set())
    m.metrics["count"] = name
    catalog.measurables.setdefault(f"{dimension}__values", m)
    return name


def ratio_metric(catalog: Catalog, numerator: str, denominator: str) -> str | None:
    """The catalog's ratio of two metrics ("average sales per seller": paid GMV / sellers), or a
    generated one `<numerator>_per_<denominator>` when the catalog has none: each side is
    computed by its own definition over the same range and filters, then divided. Only an
    additive numerator (a sum or a count) over a count of distinct things is divided."""
    for metric in catalog.metrics.values():
        if metric.type == "ratio" and (metric.numerator, metric.denominator) == (
            numerator,
            denominator,
        ):
            return metric.name
    top, bottom = catalog.metrics.get(numerator), catalog.metrics.get(denominator)
    if top is None or bottom is None or top.type != "simple" or bottom.type != "simple":
        return None
    measures = catalog.measures
    counted_on = getattr(measures.get(bottom.measure or ""), "model", None)
    line = catalog.metrics.get(top.line_metric or "")
    if counted_on == "order_items" and line is not None and line.type == "simple":
        # "sales per seller": what the split by seller adds up (line amounts), over the sellers
        numerator, top = line.name, line
    top_agg = getattr(measures.get(top.measure or ""), "agg", None)
    bottom_agg = getattr(measures.get(bottom.measure or ""), "agg", None)
    if top_agg not in ("sum", "count", "count_distinct") or bottom_agg != "count_distinct":
        return None
    name = f"{numerator}_per_{denominator}"
    if name in catalog.metrics:
        return name
    en = f"{top.label.get('en', numerator)} per {_entity_en(bottom)}"
    zh = f"平均每{_entity_zh(bottom)}{top.label.get('zh', numerator)}"
    pairs = _counted_per_entity(catalog, top, bottom)
    if pairs is not None:  # "平均一个商家接了多少订单": each seller's orders, averaged
        numerator, top = pairs.name, pairs
    elif top_agg == "count_distinct":
        # "平均每个卖家有多少个买家": a buyer of two sellers is one of each seller's buyers, but
        # once in the distinct count — buyers / sellers is not the average per seller
        return None
    catalog.metrics[name] = Metric(
        name=name,
        type="ratio",
        label={"en": en, "zh": zh},
        description={
            "en": f"{numerator} / {denominator}, each by its own definition over the same "
            f"period and filters ({top.description.get('en', '')} / "
            f"{bottom.description.get('en', '')})",
            "zh": f"{numerator} / {denominator}，两者各按自身口径、同一时间范围和筛选计算后相除"
            f"（{top.description.get('zh', '')} / {bottom.description.get('zh', '')}）",
        },
        value_type=top.value_type if top.value_type == "money" else "number",
        numerator=numerator,
        denominator=denominator,
        generated=True,
    )
    return name


def _counted_per_entity(catalog: Catalog, top: Metric, bottom: Metric) -> Metric | None:
    """ "Orders per seller" over the same population as its denominator: a count of one model's
    keys (orders) over a count of entities of the model that references them (the sellers of
    the order lines) is the average per entity — each entity's own distinct keys (the (seller,
    order) pairs, an order with two sellers once for each; lines with no seller not counted)
    over the entities. A generated metric `<numerator>_of_<denominator entity>` on the
    entities' model, with the numerator's filter and time; None when the shapes do not fit."""
    import sqlglot
    from sqlglot import exp

    measures = catalog.measures
    tm, bm = measures.get(top.measure or ""), measures.get(bottom.measure or "")
    if tm is None or bm is None or tm.agg != "count_distinct" or tm.model == bm.model:
        return None
    if tm.having or bm.having:
        return None
    owner = catalog.models.get(bm.model)
    if owner is None or not any(e.type == "foreign" and e.expr == tm.expr for e in owner.entities):
        return None  # the entities' rows do not carry the counted key
    name = f"{top.name}_of_{_entity_en(bottom).replace(' ', '_')}s"
    if name in catalog.metrics:
        return catalog.metrics[name]
    where = None
    if top.filter:  # the numerator's condition, said on its own model's columns
        tree = sqlglot.parse_one(top.filter, dialect="duckdb")
        for column in tree.find_all(exp.Column):
            if not column.table:
                column.set("table", exp.to_identifier(tm.model))
        where = tree.sql(dialect="duckdb")
    measure = Measure(
        name=f"{name}__measure",
        agg="count_distinct",
        expr=f"CAST({tm.expr} AS VARCHAR) || '|' || CAST({bm.expr} AS VARCHAR)",
        model=bm.model,
    )
    owner.measures[measure.name] = measure
    entity = _entity_en(bottom)
    catalog.metrics[name] = Metric(
        name=name,
        type="simple",
        label={
            "en": f"{top.label.get('en', top.name)} of the {entity}s",
            "zh": f"{_entity_zh(bottom)}的{top.label.get('zh', top.name)}",
        },
        description={
            "en": f"{top.name} counted per {entity}: each {entity}'s own ({tm.expr}, {entity}) "
            f"pairs, so one with two {entity}s counts once for each; rows with no {entity} are "
            f"not counted (the same population as {bottom.name}).",
            "zh": f"按{_entity_zh(bottom)}计的{top.label.get('zh', top.name)}：每个"
            f"{_entity_zh(bottom)}自己的（{tm.expr}，{_entity_zh(bottom)}）组合，一单有两个"
            f"{_entity_zh(bottom)}时各算一次；没有{_entity_zh(bottom)}的行不计（与 "
            f"{bottom.name} 同一口径的人群）。",
        },
        value_type="count",
        measure=measure.name,
        filter=where,
        time=top.time,
        generated=True,
    )
    return catalog.metrics[name]


def _entity_en(metric: Metric) -> str:
    label = metric.label.get("en", metric.name)
    return label.removeprefix("Number of ").removesuffix(" sold").rstrip("s").lower()


def _entity_zh(metric: Metric) -> str:
    return metric.label.get("zh", metric.name).removesuffix("数")


def _generated_name(m: Measurable, agg: str) -> str:
    return f"{m.name}_count" if agg == "count" else f"{agg}_{m.name}"


def _add_metric(
    catalog: Catalog,
    m: Measurable,
    agg: str,
    name: str,
    model: str,
    expr: str,
    taken: set[str],
    every: bool = False,
) -> None:
    measure = Measure(
        name=f"{name}__measure",
        agg="count_distinct" if agg == "count" else agg,
        expr=expr,
        model=model,
        where=m.where,
    )
    catalog.models[model].measures[measure.name] = measure
    words = [] if every else _synonyms(m, agg)
    words = [w for w in words if w.lower() not in taken]
    taken.update(w.lower() for w in words)
    en, zh = m.label.get("en", m.name.replace("_", " ")), m.label.get("zh", "")
    label = {"en": en if agg == "count" else f"{AGG_EN[agg]} {en[:1].lower()}{en[1:]}"}
    if zh:
        label["zh"] = AGG_ZH[agg].format(zh)
    if every:
        label = {"en": f"{en} (all known)", "zh": f"{zh}（全部）" if zh else ""}
    catalog.metrics[name] = Metric(
        name=name,
        type="simple",
        label={k: v for k, v in label.items() if v},
        synonyms=words,
        description=_definition(catalog, m, agg, model, expr, every),
        value_type=_value_type(m, agg),
        measure=measure.name,
        filter=None if every else m.filter,
        time=None if every else m.time,
        rounding=None if agg == "count" else 2,
        generated=True,
        where=m.where,
    )


def _value_type(m: Measurable, agg: str) -> str:
    if agg == "count":
        return "count"
    if m.value_type == "count" and agg != "sum":
        return "number"
    return m.value_type


def _synonyms(m: Measurable, agg: str) -> list[str]:
    if agg == "count":
        return [*m.label.values(), *m.synonyms]
    names = [m.name.replace("_", " "), *m.label.values(), *m.synonyms, *m.words]
    en, zh = AGG_WORDS[agg]
    out = []
    for n in names:
        latin = all(ord(ch) < 0x2E80 for ch in n)
        out += [f"{w} {n}" for w in en] if latin else [w.format(n) for w in zh]
    return out


def _definition(
    catalog: Catalog, m: Measurable, agg: str, model: str, expr: str, every: bool
) -> dict[str, str]:
    """The 口径 of a generated metric in one line per language."""
    owner = catalog.models[model]
    rows = owner.table or owner.name
    time = m.time or owner.default_time
    en_time = f", by {time}" if time else " (a snapshot: no time range applies)"
    zh_time = f"，按 {time} 统计" if time else "（快照值，不受时间范围影响）"
    where_en = f" where {m.filter}" if m.filter and not every else ""
    where_zh = f"（条件：{m.filter}）" if m.filter and not every else ""
    zh_name = m.label.get("zh", m.name)
    if every:
        return {
            "en": f"Number of distinct {expr} in {rows} (every one known, whether it sold or not).",
            "zh": f"{rows} 中去重的 {expr} 个数（全部已知的，无论是否有成交）。",
        }
    own_en, own_zh = m.description.get("en", ""), m.description.get("zh", "")
    if agg == "count":
        return {
            "en": f"{own_en} Number of distinct {expr} over {rows} rows{where_en}{en_time}.".strip(),
            "zh": f"{own_zh}{rows} 中去重的 {expr} 个数{where_zh}{zh_time}。",
        }
    what, what_zh = expr, f"{zh_name}（{expr}）"
    if m.kind == "duration":
        unit_zh = {"day": "天", "hour": "小时", "minute": "分钟"}.get(m.unit or "day", "")
        what = f"the {m.unit}s from {m.start} to {m.end} (fractional)"
        what_zh = f"从 {m.start} 到 {m.end} 的{unit_zh}数（含小数）"
    agg_en = {"avg": "Average", "median": "Median", "min": "Minimum", "max": "Maximum"}
    agg_en["sum"] = "Sum"
    agg_zh = {"avg": "平均值", "median": "中位数", "min": "最小值", "max": "最大值", "sum": "之和"}
    return {
        "en": f"{agg_en[agg]} of {what} over {rows} rows{where_en}{en_time}; rows without a value are left out.",
        "zh": f"{rows} 中{what_zh}的{agg_zh[agg]}{where_zh}{zh_time}；没有值的行不计入。",
    }


def _words_in_use(catalog: Catalog) -> set[str]:
    """Words a generated metric may not take: other metrics' names, labels and synonyms, and
    dimension names and synonyms (those stay dimensions; the engines read them as counts or
    measures from the question's shape)."""
    words: set[str] = set()
    for model in catalog.models.values():
        for dim in model.dimensions.values():
            words |= {w.strip().lower() for w in (dim.name, *dim.synonyms, *dim.label.values())}
    for metric in catalog.metrics.values():
        words.add(metric.name.lower())
        words |= {s.strip().lower() for s in metric.synonyms}
        words |= {v.strip().lower() for v in metric.label.values()}
    return words


def add_time_parts(catalog: Catalog) -> None:
    """Time parts as dimensions of every model with a time (the compiler derives them)."""
    for tp in catalog.time_parts.values():
        if tp.name in catalog.dimensions:
            continue
        catalog.dimensions[tp.name] = DimensionInfo(
            name=tp.name,
            type="categorical",
            label=tp.label,
            synonyms=list(tp.synonyms),
            description={
                "en": f"{tp.label.get('en', tp.name)}, from each metric's own time column.",
                "zh": f"{tp.label.get('zh', tp.name)}，取自各指标自身的时间字段。",
            },
            models=[],
            values=list(range(*_range(tp.part))),
        )


def _range(part: str) -> tuple[int, int]:
    return {"isodow": (1, 8), "hour": (0, 24), "month": (1, 13), "daytype": (1, 3)}[part]


# -- lookups for the compiler and the engines -------------------------------------------------


def resolve_metric(catalog: Catalog, name: str) -> str:
    """`agg:measurable` (e.g. `avg:review_score`, `count:seller`) → the metric's name; any other
    name is returned as it is."""
    if ":" not in name:
        return name
    agg, _, base = name.partition(":")
    m = catalog.measurables.get(base.strip())
    if m is None:
        from shopql.catalog.model import CatalogError

        raise CatalogError(
            f"unknown measurable {base!r} in {name!r}",
            "see the catalog's countables, measurables and durations",
        )
    agg = agg.strip().lower()
    agg = {"mean": "avg", "average": "avg", "total": "sum"}.get(agg, agg)
    metric = m.metrics.get(agg)
    if metric is None:
        from shopql.catalog.model import CatalogError

        raise CatalogError(f"{base} has no {agg} aggregation", f"use one of {', '.join(m.metrics)}")
    return metric


def measurable_of(catalog: Catalog, metric: str) -> tuple[Measurable, str] | None:
    """The measurable and aggregation a metric is (generated or declared), else None."""
    for m in catalog.measurables.values():
        for agg, name in m.metrics.items():
            if name == metric:
                return m, agg
    return None


def time_part_sql(tp: TimePart, time: str) -> list[tuple[str, str]]:
    """(column name, SQL) for the part's number and its names, over the SQL `time`."""
    if tp.part == "daytype":  # 1 = Monday-Friday, 2 = Saturday or Sunday
        number = f"(CASE WHEN isodow({time}) >= 6 THEN 2 ELSE 1 END)"
    else:
        fn = {"isodow": "isodow", "hour": "hour", "month": "month"}[tp.part]
        number = f"{fn}({time})"
    out = [(tp.name, number)]
    lo, _ = _range(tp.part)
    for lang, names in tp.names.items():
        listed = ", ".join("'" + n.replace("'", "''") + "'" for n in names)
        out.append((f"{tp.name}_{lang}", f"[{listed}][{number} + {1 - lo}]"))
    return out


def null_time_notes(checks: list[tuple[str, str]], run: Any) -> list[str]:
    """Notes for the rows a time breakdown left out (time NULL); `run(sql)` runs one check
    (guarded, on the caller's engine) and returns its result (`.rows`: one count)."""
    notes = []
    for metric, sql in checks:
        rows = run(sql).rows
        n = rows[0][0] if rows else None
        if n:
            notes.append(
                f"{metric}: {n} row{'s' if n != 1 else ''} without a time are not in any period "
                "of the breakdown (left out)"
            )
    return notes


def unkeyed_notes(checks: list[tuple[str, str, str, str]], count: Any) -> list[str]:
    """Notes for the rows a distinct count left out (what it counts is NULL there, e.g. orders
    whose export names no buyer); `count(sql)` runs one check."""
    notes = []
    for metric, rows, what, sql in checks:
        n = count(sql)
        if n:
            notes.append(
                f"{metric}: {n:,} {rows} in scope have no {what} (their export names none) and "
                "are not counted"
            )
    return notes
