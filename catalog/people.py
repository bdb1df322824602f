"""Set logic over people: a SemanticQuery with a `population` (PeopleSet) compiled to SQL.

Each condition becomes the set of `person` values (the catalog's person dimension: OneID, the
account before OneID is built) that meet it, each computed by the metric compiler itself — so
"bought" means what the `buyers` metric means (a paid order, by payment time), filters reach
categories, titles and platforms the way every other question does, and "new" is the
`new_buyers` metric's first-order model. The population is their intersection; it then answers:

- a count of people (no metric asked; by dimensions → the buyers among them per value);
- a list of people (person key, platforms, paid orders, paid GMV, first and last payment);
- any metrics over their orders only (the compiler's `person IN (…)` filter).

The SQL of the older compound answers (the buyer profile of top products) lives here too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sqlglot import exp

from shopql.catalog.model import Catalog, CatalogError
from shopql.catalog.semantic import (
    Filter,
    OrderBy,
    PeopleCondition,
    PeopleSet,
    SemanticQuery,
    TimeRange,
)

PERSON = "person"
BOUGHT_METRIC = "buyers"  # a paid order, counted per person
ORDERS_METRIC = "paid_orders"
FIRST_METRIC = "new_buyers"  # the first-order model
LIST_METRICS = ("paid_orders", "paid_gmv")
LINE_METRIC = "units"  # a paid order line, counted per person (a seller is the line's)
REFUND_METRIC = "refunded_orders"  # orders with a completed refund, counted per person
REVIEW_METRIC = "review_count"  # reviews written, counted per person (on their orders)
REFUND_TIME_METRIC = "refund_count"  # the same, by the refund's own time ('then' conditions)
REPEAT_METRIC = "max:repurchase_days"  # days from the first paid order to the second
# a set of sellers (PeopleSet.entity): the shop dimension, by each order line's own seller; "sold"
# is a paid order with a line of theirs, by payment time (as "bought" is), "had orders" an order
# placed with a line of theirs, by order time (what seller_count counts)
SELLER = "shop"
SOLD_METRICS = {"seller": "paid_orders_with_items", "seller_orders": "orders_with_items"}
SELLER_ORDERS_METRIC = "paid_orders_with_items"  # a person's paid orders with one seller's line
CATEGORY = "category"  # a person's paid orders with a line of one category (same_category)
# people counted over distinct values of a dimension: kind → (the metric of a purchase, dimension)
SPREAD = {
    "platforms": (BOUGHT_METRIC, "platform"),
    "sellers": (LINE_METRIC, "shop"),
    "categories": (LINE_METRIC, "category"),
    "countries": (BOUGHT_METRIC, "country"),  # the order's country (Online Retail: per invoice)
    "payment_channels": (BOUGHT_METRIC, "payment_channel"),  # the order's payment type (Olist)
}
# people counted over exactly n distinct values ("always from the same seller": one)
EXACT_SPREAD = {"sellers_exactly": "sellers", "categories_exactly": "categories"}
# bought in every month / quarter / week of the period (the offline engine's, not the LLM's)
EVERY = {"every_month": "month", "every_quarter": "quarter", "every_week": "week"}
# spent at least n (paid GMV) in every month / quarter / week of the period (offline only)
EVERY_SPEND = {
    **{f"{k}_spend": g for k, g in EVERY.items()},  # at least n
    **{f"{k}_spend_over": g for k, g in EVERY.items()},  # more than n (超过)
}
# bought in at least n different months / quarters / weeks (the offline engine's too)
SEVERAL = {"in_months": "month", "in_quarters": "quarter", "in_weeks": "week", "in_days": "day"}
# a person's own figure in the period against the average person's (those who bought in it, the
# same filters): kind → (the metric per person, its comparison) — "今年花的钱比买家平均水平高的有
# 多少人", "customers who spent more than the average customer" (the offline engine's too)
SPEND_METRIC = "paid_gmv"  # what a person spent (paid orders, by payment time)
VS_AVERAGE = {
    "spend_above_average": (SPEND_METRIC, ">"),
    "spend_below_average": (SPEND_METRIC, "<"),
    "orders_above_average": (ORDERS_METRIC, ">"),
    "orders_below_average": (ORDERS_METRIC, "<"),
}


# a number's comparison turned around: every order over R$500 = none at R$500 or less
_OPPOSITE = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}


def negated(filters: tuple[Filter, ...]) -> list[Filter]:
    """Each filter turned around: in → not in, like → not like, > → <= (a threshold)."""
    return [
        Filter(f.dimension, _OPPOSITE[f.op], f.values)
        if f.op in _OPPOSITE
        else Filter(f.dimension, "not like" if "like" in f.op else "not in", f.values)
        for f in filters
    ]


def compile_people(catalog: Catalog, query: SemanticQuery, today: dt.date) -> Any:
    """The CompiledQuery answering `query`, whose `population` is set."""
    from shopql.catalog.compiler import CompiledQuery, _Builder

    people = query.population
    assert people is not None
    members = people_sql(catalog, people, today)
    if people.entity in SOLD_METRICS:  # "7月和8月都出过单的卖家有多少": counted, nothing else
        if people.output != "count" or query.metrics or query.dimensions or query.grain:
            raise CatalogError("a set of sellers is answered as a count of them only")
        sql = f"SELECT count(*) AS sellers FROM ({members}) AS population"
        return CompiledQuery(sql, ["sellers"], [], query, query.time_range)
    plain = replace(query, population=None)
    if query.extra.get("share_within_groups"):  # "每个平台的客户里只买过一次的各占几成"
        return _share_within_groups(catalog, query, today)
    if people.output == "list":  # who: the metrics (if any) only said what they are
        return _list(catalog, query, members, today)
    if not query.metrics and not query.dimensions:
        sql = f"SELECT count(*) AS people FROM ({members}) AS population"
        return CompiledQuery(sql, ["people"], [], query, query.time_range)
    if not query.metrics:  # by a breakdown: the buyers among them per value
        plain = replace(plain, metrics=(_need(catalog, BOUGHT_METRIC),))
    part = query.extra.get("population_share")
    if part is True and plain.metrics == ("orders",) and "paid_orders" in catalog.metrics:
        # "11月的发票里有几成是老客户开的": the people are those who paid in the period, so
        # their orders are the paid ones, and so is the whole (placed orders would count their
        # unpaid ones but not those of the people who placed without paying)
        plain = replace(plain, metrics=("paid_orders",))
        query = replace(query, metrics=("paid_orders",))
    builder = _Builder(catalog, plain, today)
    builder.people_sql = members
    compiled = builder.build()
    compiled.query = query
    compiled.sql = with_population(compiled.sql, members)
    part = query.extra.get("population_share")
    if isinstance(part, tuple):  # "新客户中SP的占比": those with the value ÷ all those people
        return _share_of_people(catalog, query, part, compiled, today)
    if part:  # "老客贡献的销售额占比": theirs ÷ everyone's
        return _per(_population_share(catalog, plain, compiled, today), query)
    return compiled


def _per(compiled: Any, query: SemanticQuery) -> Any:
    """ "每100个买家里有几个 …": the share said per N people as well (share × N)."""
    n = query.extra.get("per")
    if not isinstance(n, int) or n <= 0:
        return compiled
    m = compiled.columns[0]
    per = f"{m}__per_{n}"
    figure = f"CAST({m} AS DOUBLE) * {n} / nullif({m}__all, 0)"
    compiled.sql = f"SELECT *, round({figure}, 4) AS {per} FROM ({compiled.sql}) AS shared"
    compiled.columns = [*compiled.columns, per]
    return compiled


def compile_by_buyer_kind(catalog: Catalog, query: SemanticQuery, today: dt.date) -> Any:
    """ "新客和老客的客单价各多少", "AOV of new vs returning customers this year": the query's
    metrics over the orders of the period's new buyers (first paid order ever in the period,
    the first_order condition) and, beside them, over its returning buyers (a paid order before
    the period) — one row each, labelled 'new' and 'returning' (buyer_type), each
    compiled as "上个月新客的客单价" is. The period must be bounded: over all time every buyer
    is new."""
    from shopql.catalog.compiler import CompiledQuery

    tr = query.time_range
    if tr is None or tr.start is None:
        raise CatalogError("new vs returning buyers need a period: new in which period?")
    if query.dimensions or query.grain or query.population is not None or query.compare:
        raise CatalogError("a figure of new vs returning buyers is answered alone, not split")
    plain = replace(query, extra={k: v for k, v in query.extra.items() if k != "by_buyer_kind"})
    parts = []
    first: Any = None
    # returning: a paid order before the period — over paid orders of the period the same people
    # as "bought in it and before", and a refund of the period (新老客户各退了多少钱) is an old
    # customer's even when they bought nothing new in it
    earlier = TimeRange(None, tr.start, f"before {tr.label}")
    kinds = (
        ("new", PeopleCondition("first_order", (), tr)),
        ("returning", PeopleCondition("bought", (), earlier)),
    )
    for label, condition in kinds:
        people = PeopleSet((condition,))
        compiled = compile_people(catalog, replace(plain, population=people), today)
        first = first or compiled
        cols = ", ".join(f'"{c}"' for c in compiled.columns)
        parts.append(
            f"SELECT '{label}' AS buyer_type, {cols} FROM ({compiled.sql}) AS {label}_buyers"
        )
    assert first is not None
    sql = " UNION ALL ".join(parts)
    return CompiledQuery(
        sql,
        ["buyer_type", *first.columns],
        first.metrics,
        query,
        first.time_range,
        first.previous,
        list(first.notes),
    )


def _share_within_groups(catalog: Catalog, query: SemanticQuery, today: dt.date) -> Any:
    """Per value of the query's dimensions, the people with a count of paid orders there (one
    condition: orders / orders_exactly, counted within the value) ÷ all the people who bought
    there: "今年每个平台的客户里只买过一次的各占几成" — a person buying once on each of two
    platforms is a one-time buyer of each."""
    from shopql.catalog.compiler import CompiledQuery

    people = query.population
    assert people is not None and len(people.conditions) == 1
    c = people.conditions[0]
    if c.kind not in ("orders", "orders_exactly") or not query.dimensions:
        raise CatalogError("a share of people within each group takes one count of orders")
    dims = query.dimensions
    per = _per_person(catalog, ORDERS_METRIC, c.filters, c.time_range, today, dims)
    cond = f"{ORDERS_METRIC} {'>=' if c.kind == 'orders' else '='} {_n(c)}"
    keys = ", ".join(dims)
    sql = (
        f"SELECT {keys}, count(*) FILTER (WHERE {cond}) AS buyers, count(*) AS buyers__all, "
        f"round(CAST(count(*) FILTER (WHERE {cond}) AS DOUBLE) / nullif(count(*), 0), 4) "
        f"AS buyers__share FROM ({per}) AS p WHERE {ORDERS_METRIC} > 0 "
        f"GROUP BY {keys} ORDER BY {keys}"
    )
    columns = [*dims, "buyers", "buyers__all", "buyers__share"]
    return CompiledQuery(sql, columns, [], query, query.time_range)


def _share_of_people(
    catalog: Catalog, query: SemanticQuery, part: tuple[str, ...], theirs: Any, today: dt.date
) -> Any:
    """The people's metric with the values of `part`, the same people's without them (their
    conditions keep every other filter), and the share: "2018年新客户中SP的占比" is SP's new
    customers over all new customers."""
    people = query.population
    assert people is not None
    if query.dimensions or query.grain or len(query.metrics) != 1:
        raise CatalogError("a share of people takes one metric and no breakdown")
    conditions = tuple(
        replace(c, filters=tuple(f for f in c.filters if f.dimension not in part))
        for c in people.conditions
    )
    whole = replace(
        query,
        population=replace(people, conditions=conditions),
        filters=tuple(f for f in query.filters if f.dimension not in part),
        extra={},
    )
    everyone = compile_people(catalog, whole, today)
    m = query.metrics[0]
    theirs.sql = (
        f"SELECT t.{m} AS {m}, a.{m} AS {m}__all, "
        f"round(CAST(t.{m} AS DOUBLE) / nullif(a.{m}, 0), 4) AS {m}__share "
        f"FROM ({theirs.sql}) AS t CROSS JOIN ({everyone.sql}) AS a"
    )
    theirs.columns = [m, f"{m}__all", f"{m}__share"]
    return theirs


def _population_share(catalog: Catalog, plain: SemanticQuery, theirs: Any, today: dt.date) -> Any:
    """The people's metric, everyone's (the same query without the population), and the share:
    one row, each side compiled by the metric compiler."""
    from shopql.catalog.compiler import compile_query

    if plain.dimensions or plain.grain or len(plain.metrics) != 1:
        raise CatalogError("a share of people's metric takes one metric and no breakdown")
    m = plain.metrics[0]
    everyone = compile_query(catalog, replace(plain, extra={}), today)
    theirs.sql = (
        f"SELECT t.{m} AS {m}, a.{m} AS {m}__all, "
        f"round(CAST(t.{m} AS DOUBLE) / nullif(a.{m}, 0), 4) AS {m}__share "
        f"FROM ({theirs.sql}) AS t CROSS JOIN ({everyone.sql}) AS a"
    )
    theirs.columns = [m, f"{m}__all", f"{m}__share"]
    return theirs


def people_sql(catalog: Catalog, people: PeopleSet, today: dt.date) -> str:
    """SELECT person: one row per person meeting every condition of `people`."""
    if not people.conditions:
        raise CatalogError("a people set needs at least one condition")
    positive: list[str] = []
    negative: list[str] = []
    sold = SOLD_METRICS.get(people.entity)  # a set of sellers: what they did
    for c in people.conditions:
        if sold and c.kind not in ("bought", "not_bought"):
            raise CatalogError(f"a set of sellers takes sold / not sold conditions, not {c.kind}")
        for sql, keep in (
            _condition(catalog, c, today) if not sold else [_sold(catalog, sold, c, today)]
        ):
            (positive if keep else negative).append(sql)
    if not positive:  # "never bought X": among everyone who ever bought (sold)
        everyone = PeopleCondition("bought")
        positive.append(
            _sold(catalog, sold, everyone, today)[0] if sold else _bought(catalog, (), None, today)
        )
    ctes = [f"c{i} AS ({sql})" for i, sql in enumerate(positive + negative)]
    where = [f"person IN (SELECT person FROM c{i})" for i in range(1, len(positive))]
    where += [
        f"person NOT IN (SELECT person FROM c{len(positive) + i})" for i in range(len(negative))
    ]
    tail = f" WHERE {' AND '.join(where)}" if where else ""
    return f"WITH {', '.join(ctes)} SELECT DISTINCT person FROM c0{tail}"


def _condition(catalog: Catalog, c: PeopleCondition, today: dt.date) -> list[tuple[str, bool]]:
    """(SELECT person …, True to keep / False to exclude) for one condition."""
    if c.kind == "bought":
        return [(_bought(catalog, c.filters, c.time_range, today), True)]
    if c.kind == "not_bought":
        return [(_bought(catalog, c.filters, c.time_range, today), False)]
    if c.kind in SPREAD:
        metric, dim = SPREAD[c.kind]
        per = _per_person(catalog, metric, c.filters, c.time_range, today, (dim,))
        having = f"count(DISTINCT {dim}) >= {_n(c)}"
        sql = f"SELECT person FROM ({per}) AS p WHERE {metric} > 0 GROUP BY person"
        return [(f"{sql} HAVING {having}", True)]
    if c.kind in EXACT_SPREAD:  # "只认一个卖家买": exactly n different sellers (one: the same)
        metric, dim = SPREAD[EXACT_SPREAD[c.kind]]
        per = _per_person(catalog, metric, c.filters, c.time_range, today, (dim,))
        sql = f"SELECT person FROM ({per}) AS p WHERE {metric} > 0 GROUP BY person"
        return [(f"{sql} HAVING count(DISTINCT {dim}) = {_n(c)}", True)]
    if c.kind in VS_AVERAGE:  # above (below) the average person's figure of the same orders
        metric, op = VS_AVERAGE[c.kind]
        per = _per_person(catalog, metric, c.filters, c.time_range, today)
        column = _need(catalog, metric)
        sql = (
            f"SELECT person FROM ({per}) AS p "
            f"WHERE {column} {op} (SELECT avg({column}) FROM ({per}) AS everyone)"
        )
        return [(sql, True)]
    if c.kind == "orders_one_seller":  # 在同一家卖家买过3次以上: n paid orders with one seller
        metric = _need(catalog, SELLER_ORDERS_METRIC)
        per = _per_person(catalog, metric, c.filters, c.time_range, today, (SELLER,))
        sql = f"SELECT DISTINCT person FROM ({per}) AS p WHERE {metric} >= {_n(c)}"
        return [(sql, True)]
    if c.kind == "orders_one_day":  # 同一天里开了两张以上发票: n paid orders on one day
        per = _per_person(catalog, ORDERS_METRIC, c.filters, c.time_range, today, grain="day")
        return [
            (f"SELECT DISTINCT person FROM ({per}) AS p WHERE {ORDERS_METRIC} >= {_n(c)}", True)
        ]
    if c.kind == "orders_one_category":  # 在同一个品类下单3次以上: n paid orders in one category
        metric = _need(catalog, SELLER_ORDERS_METRIC)
        per = _per_person(catalog, metric, c.filters, c.time_range, today, (CATEGORY,))
        sql = (
            f"SELECT DISTINCT person FROM ({per}) AS p"
            f" WHERE {CATEGORY} IS NOT NULL AND {metric} >= {_n(c)}"
        )
        return [(sql, True)]
    if c.kind in SEVERAL:  # bought in at least n different months (quarters, weeks)
        grain = SEVERAL[c.kind]
        per = _per_person(catalog, BOUGHT_METRIC, c.filters, c.time_range, today, grain=grain)
        sql = f"SELECT person FROM ({per}) AS p WHERE {BOUGHT_METRIC} > 0 GROUP BY person"
        return [(f"{sql} HAVING count(DISTINCT {grain}) >= {_n(c)}", True)]
    if c.kind in EVERY or c.kind in EVERY_SPEND:  # bought (spent n) in every month of it
        grain = EVERY.get(c.kind) or EVERY_SPEND[c.kind]
        tr = c.time_range
        n = periods_in(tr, grain, today)
        if tr is None or n is None:
            raise CatalogError(f"'every {grain}' needs the period it counts the {grain}s of")
        now = dt.datetime.combine(today, dt.time())
        if tr.end is None or tr.end > now:  # the grains counted are those up to today
            tr = TimeRange(tr.start, now, tr.label)
        metric, least = (BOUGHT_METRIC, "> 0") if c.kind in EVERY else (SPEND_METRIC, "")
        if not least:
            least = f"{'>' if c.kind.endswith('_over') else '>='} {_n(c)}"
        per = _per_person(catalog, metric, c.filters, tr, today, grain=grain)
        sql = f"SELECT person FROM ({per}) AS p WHERE {metric} {least} GROUP BY person"
        return [(f"{sql} HAVING count(DISTINCT {grain}) >= {n}", True)]
    if c.kind == "only":  # bought matching the filter, and nothing that does not match it
        if len(c.filters) != 1:
            raise CatalogError("an 'only' condition takes exactly one filter")
        # an order whose value is unknown (NULL: NOT IN is never true for it) is not known to
        # be there, so it counts as elsewhere: every paid order must match the filter
        unknown = (Filter(c.filters[0].dimension, "is null"),)
        out = [
            (_bought(catalog, c.filters, c.time_range, today), True),
            (_bought(catalog, tuple(negated(c.filters)), c.time_range, today), False),
        ]
        threshold = getattr(catalog, "thresholds", {}).get(c.filters[0].dimension)
        if threshold is not None and threshold.entity == "person":
            raise CatalogError(
                f"'every order' compares each order: {threshold.name} is a person's total"
            )
        if threshold is not None:
            return out  # "every order over R$500": a number no order lacks is compared as said
        return [
            *out,
            (_bought(catalog, _unknown_line(catalog, unknown), c.time_range, today), False),
        ]
    if c.kind == "repeat_within":  # the second paid order ever, at most n days after the first
        per = _per_person(
            _exact(catalog, REPEAT_METRIC), REPEAT_METRIC, c.filters, c.time_range, today
        )
        column = REPEAT_METRIC.replace(":", "_")
        return [(f"SELECT person FROM ({per}) AS p WHERE {column} <= {_n(c)}", True)]
    if c.kind == "orders":
        per = _per_person(catalog, ORDERS_METRIC, c.filters, c.time_range, today)
        return [(f"SELECT person FROM ({per}) AS p WHERE {ORDERS_METRIC} >= {_n(c)}", True)]
    if c.kind == "orders_exactly":  # 只买过一次: exactly n paid orders (in the period)
        per = _per_person(catalog, ORDERS_METRIC, c.filters, c.time_range, today)
        return [(f"SELECT person FROM ({per}) AS p WHERE {ORDERS_METRIC} = {_n(c)}", True)]
    if c.kind == "orders_at_most":  # 只下过一两单: bought, at most n paid orders (in the period)
        per = _per_person(catalog, ORDERS_METRIC, c.filters, c.time_range, today)
        where = f"{ORDERS_METRIC} >= 1 AND {ORDERS_METRIC} <= {_n(c)}"
        return [(f"SELECT person FROM ({per}) AS p WHERE {where}", True)]
    if c.kind == "lapsed":
        window = last_days(_n(c), today)
        before = TimeRange(None, window.start, f"before {window.label}")
        return [
            (_bought(catalog, c.filters, before, today), True),
            (_bought(catalog, (), window, today), False),
        ]
    if c.kind == "first_order":
        if c.time_range is None:
            raise CatalogError("first_order needs the period of the first order")
        per = _per_person(catalog, FIRST_METRIC, c.filters, c.time_range, today)
        return [(f"SELECT person FROM ({per}) AS p WHERE {FIRST_METRIC} > 0", True)]
    if c.kind == "returning":
        tr = c.time_range
        if tr is None or tr.start is None:
            raise CatalogError("returning needs a period with a start")
        earlier = TimeRange(None, tr.start, f"before {tr.label}")
        return [
            (_bought(catalog, c.filters, tr, today), True),
            (_bought(catalog, (), earlier, today), True),
        ]
    if c.kind == "then":  # 买了A之后又买了B: a paid B order strictly after a paid A order
        return [(_then(catalog, c, today), True)]
    if c.kind in ("refunded", "not_refunded"):  # 退过款的客户 / 没退过货的: a completed refund
        per = _per_person(catalog, REFUND_METRIC, c.filters, c.time_range, today)
        sql = f"SELECT person FROM ({per}) AS p WHERE {REFUND_METRIC} > 0"
        return [(sql, c.kind == "refunded")]
    if c.kind == "refund_then_none":  # 退过款以后就再也没买过: a refund, and no paid order after it
        per = _per_person(catalog, REFUND_TIME_METRIC, c.filters, c.time_range, today)
        return [
            (f"SELECT person FROM ({per}) AS p WHERE {REFUND_TIME_METRIC} > 0", True),
            (_then(catalog, c, today), False),
        ]
    if c.kind == "reviews_all":  # 给的评价全是5星: reviews in the period, none of another score
        if not c.filters:
            raise CatalogError("'all their reviews' needs the score they all have")
        yes = _per_person(catalog, REVIEW_METRIC, c.filters, c.time_range, today)
        other = tuple(  # a score is a number: = 5 turned around is != 5 (not "not in")
            Filter(f.dimension, "!=", f.values) if f.op == "=" else n
            for f, n in zip(c.filters, negated(c.filters), strict=True)
        )
        no = _per_person(catalog, REVIEW_METRIC, other, c.time_range, today)
        return [
            (f"SELECT person FROM ({yes}) AS p WHERE {REVIEW_METRIC} > 0", True),
            (f"SELECT person FROM ({no}) AS p WHERE {REVIEW_METRIC} > 0", False),
        ]
    if c.kind == "not_reviewed":  # 一条评价都没写过: no review on any order of theirs
        per = _per_person(catalog, REVIEW_METRIC, c.filters, c.time_range, today)
        return [(f"SELECT person FROM ({per}) AS p WHERE {REVIEW_METRIC} > 0", False)]
    raise CatalogError(f"unknown people condition {c.kind!r}")


def _unknown_line(catalog: Catalog, unknown: tuple[Filter, ...]) -> tuple[Filter, ...]:
    """ "只买过 esporte_lazer 的客户": a value of an order's lines (a category, a title) is
    unknown on a line of a product whose value is missing — bought elsewhere, as far as anyone
    knows —, not on a paid order with no product line at all (Olist keeps a few paid orders
    without items): such an order bought nothing to hold against the person. An order's own
    value (a platform, a payment channel) stays unknown wherever it is missing."""
    bought = catalog.metrics.get(BOUGHT_METRIC)
    measure = catalog.measure(getattr(bought, "measure", None) or "")
    info = catalog.dimensions.get(unknown[0].dimension)
    line = catalog.dimensions.get("product")
    if measure is None or info is None or line is None or measure.model in info.models:
        return unknown
    if not set(info.models) & set(line.models):
        return unknown
    return (*unknown, Filter("product", "is not null"))


def _then(catalog: Catalog, c: PeopleCondition, today: dt.date) -> str:
    """People with a paid order matching `c.filters` (in `c.time_range`) and a paid order
    matching `c.later` paid strictly after it: each side is the compiler's bought metric by
    person and by the metric's own time (its time dimension, to the second), so "bought" and
    the time it happened mean what they mean everywhere else."""
    refund_first = c.after == "refunded"
    if (not c.filters or not c.later) and not refund_first:
        raise CatalogError("a 'then' condition needs what was bought first and what later")
    before = REFUND_TIME_METRIC if refund_first else BOUGHT_METRIC
    t1, t2 = _time_dimension(catalog, before), _time_dimension(catalog, BOUGHT_METRIC)
    first = _per_person(catalog, before, c.filters, c.time_range, today, (t1,))
    later = _per_person(catalog, BOUGHT_METRIC, c.later, None, today, (t2,))
    return (
        f"SELECT DISTINCT a.person FROM ({first}) AS a JOIN ({later}) AS b "
        f"ON b.person = a.person AND b.{t2} > a.{t1} "
        f"WHERE a.{before} > 0 AND b.{BOUGHT_METRIC} > 0"
    )


def _time_dimension(catalog: Catalog, name: str) -> str:
    """The time dimension `name` (a metric) is counted by: its own, else its model's."""
    metric = catalog.metrics[_need(catalog, name)]
    when = metric.time
    if not when:
        measure = catalog.measure(metric.measure or "")
        model = catalog.models.get(measure.model) if measure is not None else None
        when = getattr(model, "default_time", None)
    if not when or when not in catalog.dimensions:
        raise CatalogError(
            f"the {name} metric is counted by no time dimension, so 'later' has no meaning",
            "give the metric a `time:` that is a time dimension",
        )
    return str(when)


def last_days(n: int, today: dt.date) -> TimeRange:
    """The last `n` whole days before today, as every other 'last N days' reads."""
    from shopql.catalog.timephrase import parse_time_range

    tr = parse_time_range(f"last {n} days", today)
    assert tr is not None
    return tr


def periods_in(tr: TimeRange | None, grain: str, today: dt.date) -> int | None:
    """How many calendar `grain`s (month, quarter, week) the range touches up to today (2011 so
    far, on 1 December 2011: 4 quarters, 11 months); None without a start."""
    from shopql.catalog.timephrase import add_months

    if tr is None or tr.start is None:
        return None
    now = dt.datetime.combine(today, dt.time())
    end = min(tr.end, now) if tr.end is not None else now
    day = tr.start.date()
    if grain == "week":
        day -= dt.timedelta(days=day.weekday())
    else:
        months = 3 if grain == "quarter" else 1
        day = dt.date(day.year, (day.month - 1) // months * months + 1, 1)
    n = 0
    while dt.datetime.combine(day, dt.time()) < end and n < 1000:
        n += 1
        if grain == "week":
            day += dt.timedelta(days=7)
        else:
            day = add_months(day, 3 if grain == "quarter" else 1)
    return n or None


def _n(c: PeopleCondition) -> int:
    if c.n is None or int(c.n) < 1:
        raise CatalogError(f"the {c.kind} condition needs a whole number n ≥ 1")
    return int(c.n)


def _bought(
    catalog: Catalog, filters: tuple[Filter, ...], tr: TimeRange | None, today: dt.date
) -> str:
    per = _per_person(catalog, BOUGHT_METRIC, filters, tr, today)
    # the metric's own filter (a paid order) is on the aggregate: a person whose orders in the
    # range were all unpaid has a row with 0
    return f"SELECT person FROM ({per}) AS p WHERE {BOUGHT_METRIC} > 0"


def _sold(catalog: Catalog, metric: str, c: PeopleCondition, today: dt.date) -> tuple[str, bool]:
    """(SELECT person …, keep) for a seller's bought / not_bought condition: the sellers with an
    order line matching the filters in the range, counted by `metric` (SOLD_METRICS: paid by
    payment time, or placed by order time) by each line's own seller, their key named `person`
    like a person's."""
    from shopql.catalog.compiler import compile_query

    if SELLER not in catalog.dimensions:
        raise CatalogError("the catalog has no shop dimension, so it cannot tell sellers apart")
    query = SemanticQuery(
        metrics=(_need(catalog, metric),),
        dimensions=(SELLER,),
        time_range=c.time_range,
        filters=(*c.filters, Filter(SELLER, "is not null")),
        line_seller=True,
    )
    per = compile_query(catalog, query, today).sql
    sql = f"SELECT {SELLER} AS person FROM ({per}) AS p WHERE {metric} > 0"
    return sql, c.kind == "bought"


def _per_person(
    catalog: Catalog,
    metric: str,
    filters: tuple[Filter, ...],
    tr: TimeRange | None,
    today: dt.date,
    dims: tuple[str, ...] = (),
    grain: str | None = None,
) -> str:
    """The compiler's SQL of `metric` by person (and `dims`, and the `grain` of its time), known
    people only."""
    from shopql.catalog.compiler import compile_query

    if PERSON not in catalog.dimensions:
        raise CatalogError(
            "the catalog has no person dimension, so it cannot tell people apart",
            "declare a `person` dimension on the orders model",
        )
    query = SemanticQuery(
        metrics=(_need(catalog, metric),),
        dimensions=(PERSON, *dims),
        grain=grain,
        time_range=tr,
        filters=(*filters, Filter(PERSON, "is not null")),
    )
    return compile_query(catalog, query, today).sql


def _exact(catalog: Catalog, metric: str) -> Catalog:
    """`catalog` with `metric` rounded to 6 decimals, not for display (2): a day count compared
    with a threshold must not round 7 days and 6 minutes down to 7 (1e-6 day < 1 second)."""
    import copy

    from shopql.catalog.families import resolve_metric

    name = resolve_metric(catalog, metric)
    out = copy.copy(catalog)
    out.metrics = {**catalog.metrics, name: replace(catalog.metrics[name], rounding=6)}
    return out


def _need(catalog: Catalog, metric: str) -> str:
    if metric not in catalog.metrics and ":" not in metric:  # agg:measurable: the compiler's
        raise CatalogError(
            f"set logic over people needs the {metric} metric, which this catalog lacks",
            "restore it from the default catalog (shopql catalog show)",
        )
    return metric


POPULATION = "_population"  # the CTE holding the people, added by `with_population`


def population_filter(plan: Any, members: str) -> exp.Expression:
    """`person IN (the population)` for a measure's rows (the compiler's hook). The people's
    SQL itself is added once, as a CTE, by `with_population` (not copied into every leaf)."""
    column, _ = plan.dimension(PERSON)
    return column.isin(query=exp.select(PERSON).from_(POPULATION))


def with_population(sql: str, members: str) -> str:
    """`sql` (a compiled SELECT, with or without CTEs) with the population CTE in front."""
    head = f"WITH {POPULATION} AS ({members})"
    if sql.lstrip().upper().startswith("WITH "):
        return f"{head}, {sql.lstrip()[5:]}"
    return f"{head} {sql}"


def _list(catalog: Catalog, query: SemanticQuery, members: str, today: dt.date) -> Any:
    """The people, one row each: key, platforms, paid orders and paid GMV in the period (the
    query's filters apply to those orders), first and last payment; by spend unless ordered."""
    from shopql.catalog.compiler import CompiledQuery, _Builder

    metrics = tuple(_need(catalog, m) for m in LIST_METRICS)
    order = query.order_by or (OrderBy("paid_gmv", True),)
    ranking = replace(
        query,
        metrics=metrics,
        dimensions=(PERSON,),
        population=None,
        filters=(*query.filters, Filter(PERSON, "is not null")),
        order_by=(*order, OrderBy(PERSON, False)),
        limit=None,  # the limit is the list's, after the people with no such order are in
    )
    builder = _Builder(catalog, ranking, today)
    builder.people_sql = members
    ranked = builder.build()
    tr = query.time_range
    window = ""
    if tr and tr.start:
        window += f" AND o.paid_at >= TIMESTAMP '{tr.start.isoformat(sep=' ')}'"
    if tr and tr.end:
        window += f" AND o.paid_at < TIMESTAMP '{tr.end.isoformat(sep=' ')}'"
    # every person of the population is listed (as many as the count of them says): one with
    # no paid order in the period (a C invoice, a refund of an older order) has 0 orders and 0 GMV
    direction = ", ".join(
        f"{'p.person' if o.name == PERSON else f'coalesce(r.{o.name}, 0)'} "
        f"{'DESC' if o.descending else 'ASC'}"
        for o in ranking.order_by
    )
    limit = f" LIMIT {int(query.limit)}" if query.limit is not None else ""
    sql = (
        f"WITH {POPULATION} AS ({members}), ranked AS ({ranked.sql}), "
        "seen AS (SELECT coalesce(c.one_id, o.customer_id) AS person, "
        "string_agg(DISTINCT o.platform, ', ' ORDER BY o.platform) AS platforms, "
        "min(o.paid_at) AS first_paid, max(o.paid_at) AS last_paid "
        "FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id "
        f"WHERE o.paid_at IS NOT NULL{window} GROUP BY 1), "
        # the person's own keys in the seller's exports (Retail's CustomerID, Olist's
        # customer_unique_id, a shop's buyer nick): what the seller knows them by
        "accounts AS (SELECT coalesce(one_id, customer_id) AS person, "
        "string_agg(DISTINCT buyer_key, ', ' ORDER BY buyer_key) AS accounts FROM customers "
        f"WHERE coalesce(one_id, customer_id) IN (SELECT person FROM {POPULATION}) GROUP BY 1) "
        "SELECT p.person AS buyer, s.platforms, coalesce(r.paid_orders, 0) AS paid_orders, "
        "coalesce(r.paid_gmv, 0) AS paid_gmv, s.first_paid, s.last_paid, a.accounts "
        f"FROM (SELECT DISTINCT person FROM {POPULATION}) p "
        "LEFT JOIN ranked r ON r.person = p.person LEFT JOIN seen s ON s.person = p.person "
        "LEFT JOIN accounts a ON a.person = p.person "
        f"ORDER BY {direction}{limit}"
    )
    columns = [
        "buyer",
        "platforms",
        "paid_orders",
        "paid_gmv",
        "first_paid",
        "last_paid",
        "accounts",
    ]
    notes = list(ranked.notes)
    if query.filters:
        notes.append(
            "paid_orders and paid_gmv count the orders matching the filters; platforms, "
            "first_paid and last_paid come from all their paid orders in the period"
        )
    return CompiledQuery(sql, columns, ranked.metrics, query, tr, notes=notes)


def _said_op(f: Filter) -> str:
    if f.op in _OPPOSITE:
        return f.op  # "order_value > 500"
    return "like" if "like" in f.op else "=" if len(f.values) == 1 else "in"


def describe_people(people: PeopleSet, measured: bool = False) -> list[str]:
    """The population in words, one line per condition (for 'understood')."""
    lines = []
    for c in people.conditions:
        what = " and ".join(
            f"{f.dimension.replace('@', ' of ')} {_said_op(f)} "
            + ", ".join(str(v).strip("%") for v in f.values)
            for f in c.filters
        )
        when = _when(c.time_range)
        text = {
            "bought": f"bought {what or 'anything'}{when}",
            "not_bought": f"never bought {what or 'anything'}{when or ' at any time'}",
            "platforms": f"bought on at least {c.n} platforms{when}"
            + (f" ({what})" if what else ""),
            "orders": f"placed at least {c.n} paid orders{when}" + (f" ({what})" if what else ""),
            "orders_exactly": f"placed exactly {c.n} paid order{'s' if c.n != 1 else ''}"
            + (when or " ever")
            + (f" ({what})" if what else ""),
            "orders_at_most": f"placed at most {c.n} paid order{'s' if c.n != 1 else ''} (one or"
            " more)" + (when or " ever") + (f" ({what})" if what else ""),
            "lapsed": f"bought before the last {c.n} days, and not in them"
            + (f" ({what})" if what else ""),
            "first_order": f"first paid order ever{when}" + (f" ({what})" if what else ""),
            "returning": f"bought{when} and had paid before it" + (f" ({what})" if what else ""),
            "sellers": f"bought from at least {c.n} different sellers{when}"
            + (f" ({what})" if what else ""),
            "sellers_exactly": (
                "bought from one seller only" if c.n == 1 else f"bought from exactly {c.n} sellers"
            )
            + when
            + (f" ({what})" if what else ""),
            "categories_exactly": (
                "bought in one category only"
                if c.n == 1
                else f"bought in exactly {c.n} different categories"
            )
            + when
            + (f" ({what})" if what else ""),
            "orders_one_seller": f"placed at least {c.n} paid orders with one and the same seller"
            + when
            + (f" ({what})" if what else ""),
            "orders_one_day": f"placed at least {c.n} paid orders on one and the same day"
            + when
            + (f" ({what})" if what else ""),
            "reviews_all": f"every review of theirs{when} has {what}",
            "orders_one_category": f"placed at least {c.n} paid orders in one and the same category"
            + when
            + (f" ({what})" if what else ""),
            "categories": f"bought from at least {c.n} different categories{when}"
            + (f" ({what})" if what else ""),
            "countries": f"ordered from at least {c.n} different countries{when}"
            + (f" ({what})" if what else ""),
            "payment_channels": f"paid with at least {c.n} different payment types{when}"
            + (f" ({what})" if what else ""),
            "only": f"bought{when} only {what}",
            **{k: f"bought {what or 'anything'} in every {g}{when}" for k, g in EVERY.items()},
            **{
                k: f"spent {'more than' if k.endswith('_over') else 'at least'} {c.n} in every"
                f" {g}{when}" + (f" ({what})" if what else "")
                for k, g in EVERY_SPEND.items()
            },
            **{
                k: f"bought {what or 'anything'} in at least {c.n} different {g}s{when}"
                for k, g in SEVERAL.items()
            },
            **{
                k: f"{'spent' if m != ORDERS_METRIC else 'placed paid orders'}{when} "
                f"{'above' if op == '>' else 'below'} the average person's"
                + (f" ({what})" if what else "")
                for k, (m, op) in VS_AVERAGE.items()
            },
            "repeat_within": f"placed their second paid order within {c.n} days of the first"
            + when,
            "refunded": f"had a completed refund on an order paid{when or ' at any time'}"
            + (f" ({what})" if what else ""),
            "not_refunded": f"had no completed refund on an order paid{when or ' at any time'}"
            + (f" ({what})" if what else ""),
            "not_reviewed": f"wrote no review{when or ' at any time'}",
            "refund_then_none": f"had a completed refund{when} (by its time) and bought nothing"
            " after it (paid later)",
            "then": (
                f"had a completed refund{when} (by its time), then later (paid after it) bought "
                if c.after == "refunded"
                else f"bought {what}{when}, then later (paid after it) "
            )
            + (
                " and ".join(
                    f"{f.dimension} {'like' if 'like' in f.op else '='} "
                    + ", ".join(str(v).strip("%") for v in f.values)
                    for f in c.later
                )
                or "anything"
            ),
        }[c.kind]
        if people.entity in SOLD_METRICS:  # an order line of theirs, paid or placed
            paid = people.entity == "seller"
            did = "sold" if paid else "had an order"
            did = f"{'never ' if c.kind == 'not_bought' else ''}{did}"
            did += (f" of {what}" if what else "") + (when or " at any time")
            how = (
                "a paid order with a line of theirs, by payment time"
                if paid
                else ("an order placed with a line of theirs, any status, by order time")
            )
            lines.append(f"sellers who {did} ({how})")
            continue
        lines.append("people who " + text)
    if measured:
        lines.append("answer: the metrics over these people's orders")
    else:
        lines.append(
            f"answer: {'the list of these people' if people.output == 'list' else 'how many'}"
        )
    return lines


def _when(tr: TimeRange | None) -> str:
    if tr is None or (tr.start is None and tr.end is None):
        return ""
    start = tr.start.date().isoformat() if tr.start else "the beginning"
    end = (tr.end - dt.timedelta(days=1)).date().isoformat() if tr.end else "now"
    return f" in {start} → {end}" + (f" ({tr.label})" if tr.label else "")


# -- the buyer profile of top products (a compound answer) ------------------------------------

PROFILE_DIMENSIONS = (
    ("buyers_by_province", "province"),
    ("buyers_by_member_level", "member_level"),
    ("buyers_by_platform", "platform"),
)
PROFILE_TOP = 20


def profile_queries(
    catalog: Catalog, query: SemanticQuery, products: list[Any]
) -> list[tuple[str, SemanticQuery]]:
    """The buyer profile of `products` (values of the query's first dimension, within its range
    and filters) as semantic queries: buyers by province, member level and platform of those
    purchases, then how many of them are new (their first paid order ever was one of those
    purchases) and how many returning."""
    bought = (Filter(query.dimensions[0], "in", tuple(products)), *query.filters)
    out = [
        (
            name,
            SemanticQuery(
                metrics=(_need(catalog, BOUGHT_METRIC),),
                dimensions=(dim,),
                time_range=query.time_range,
                filters=bought,
                order_by=(OrderBy(BOUGHT_METRIC, True), OrderBy(dim, False)),
                limit=PROFILE_TOP,
            ),
        )
        for name, dim in PROFILE_DIMENSIONS
        if dim in catalog.dimensions
    ]
    tr = query.time_range
    buyers = PeopleSet((PeopleCondition("bought", bought, tr),))
    first = PeopleSet((PeopleCondition("first_order", bought, tr or TimeRange(None, None)),))
    out.append(("new_vs_returning", SemanticQuery((), population=buyers, extra={"new": first})))
    return out


def new_vs_returning_sql(catalog: Catalog, query: SemanticQuery, today: dt.date) -> str:
    """buyer_type, buyers: the people of `query.population` whose first paid order ever was
    among those purchases (`extra["new"]`), and the others; a type without people is left out."""
    everyone = people_sql(catalog, query.population or PeopleSet(()), today)
    new = people_sql(catalog, query.extra["new"], today)
    return (
        f"WITH everyone AS ({everyone}), fresh AS ({new}) "
        "SELECT buyer_type, buyers FROM (SELECT 'new' AS buyer_type, count(*) AS buyers "
        "FROM everyone WHERE person IN (SELECT person FROM fresh) "
        "UNION ALL SELECT 'returning', count(*) FROM everyone "
        "WHERE person NOT IN (SELECT person FROM fresh)) AS t WHERE buyers > 0 ORDER BY 1"
    )
