"""The semantic query: the plain data structure both the CLI (`shopql metric`) and the
natural-language engines produce, and the metric compiler turns into SQL.

Keep it plain (dataclasses of strings, numbers and dates) so it can be printed, compared in tests,
serialised to JSON (`to_dict`) and carried across follow-up questions in `shopql chat`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class TimeRange:
    """A half-open interval [start, end) in shop-local time, with the phrase it came from."""

    start: dt.datetime | None = None
    end: dt.datetime | None = None
    label: str = ""  # e.g. "last 90 days", "近三个月", "2025-Q2"
    # the same period a year before when it is not the same dates (a festival on a weekday or a
    # lunar date: black friday 2017 → black friday 2016, not 2016-11-24); None: the same dates
    year_before: tuple[dt.datetime, dt.datetime] | None = field(
        default=None, compare=False, repr=False
    )


@dataclass(frozen=True)
class Filter:
    """A condition on a dimension: `dimension op values` (op: =, !=, in, not in, <, <=, >, >=, like)."""

    dimension: str
    op: str = "="
    values: tuple[Any, ...] = ()


@dataclass(frozen=True)
class OrderBy:
    """Sort by a metric or dimension name."""

    name: str
    descending: bool = True


@dataclass(frozen=True)
class SemanticQuery:
    """Metrics by dimensions over a time range: what a user asked for, before any SQL.

    `metrics` are catalog metric names, or `agg:measurable` references the compiler resolves
    (catalog.families): `avg:review_score`, `median:delivery_days`, `max:unit_price`,
    `sum:freight`, `count:seller` (distinct sellers with orders in the range) and
    `all:seller` (every seller known). The generated metrics also have plain names
    (`median_delivery_days`, `seller_count`, `seller_count_all`; see `shopql catalog metrics`),
    and per-entity ratios are ordinary metrics (`items_per_order`, `orders_per_buyer`,
    `sales_per_buyer`). `order_by` may use either form.

    `dimensions` may name a time part (`day_of_week`, `hour_of_day`, `month_of_year`): each
    metric is split by the part of its own time column; the output has the part's number
    (1 = Monday, hour 0-23, month 1-12) and its names (`day_of_week_en`, `day_of_week_zh`),
    ordered naturally, and filters on it compare the number (`Filter("day_of_week", "in",
    (6, 7))`). With a grain or a time part, rows whose time is NULL are left out of every
    bucket; `CompiledQuery.null_checks` counts them for a note.
    """

    metrics: tuple[str, ...]
    dimensions: tuple[str, ...] = ()
    grain: str | None = (
        None  # day | week | month | quarter | year: adds the metric time as a dimension
    )
    time_range: TimeRange | None = None
    filters: tuple[Filter, ...] = ()
    order_by: tuple[OrderBy, ...] = ()
    limit: int | None = None
    compare: str | None = None  # None | "previous_period" | "year_over_year"
    extra: dict[str, Any] = field(default_factory=dict)
    # people the answer is about (set logic over OneID persons); see PeopleSet
    population: PeopleSet | None = None
    # conditions on each row's metric value ("sellers with more than 100 orders": HAVING),
    # Filter(metric, op, (number,)); the metric is one of `metrics`
    having: tuple[Filter, ...] = ()
    # a figure over the groups of the breakdown rather than the groups themselves (OF_GROUPS):
    # "count" = how many groups there are (after `having`: "how many sellers have more than 100
    # orders"); "top_share" = the first metric of the top `limit` groups by `order_by`, over its
    # total without the breakdown ("what share of sales do the top 5 sellers make"); "median"
    # = the median of the first metric over the groups ("客户消费的中位数": each person's sales,
    # then their median); "avg" = their average ("平均每个卖家有几个买家": each seller's
    # buyers, then the mean over the sellers that had any); "max" = the largest ("单个客户最多买过
    # 多少单": each person's orders, then the most any one has); "reach_count" = how many of the
    # groups, largest first by the first metric, it takes to reach extra["reach"] (a fraction)
    # of its total without the breakdown ("营业额有一半是多少个客户贡献的": the top spenders whose
    # spend before them is under half of all sales)
    of_groups: str | None = None
    # the seller dimensions (shop, seller_state …) are each order line's own seller, on a
    # marketplace whose orders can have several (Olist): an order counts once for each of its
    # sellers, an amount kept per order (freight) is no seller's (nlq/comparisons.py)
    line_seller: bool = False

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        if out.get("time_range"):
            out["time_range"].pop("year_before", None)
        if self.population is not None:
            out["population"] = self.population.to_dict()
        return out


OF_GROUPS = ("count", "top_share", "median", "avg", "max")
# figures over the groups only the offline engine asks for (their part is in `extra`, which the
# LLM's function does not take): "reach_count"
OFFLINE_OF_GROUPS = ("reach_count",)
PEOPLE_KINDS = (
    "bought", "not_bought", "platforms", "orders", "lapsed", "first_order", "returning",
    "sellers", "only", "repeat_within", "refunded", "categories", "orders_exactly", "countries",
    "sellers_exactly", "orders_at_most",
)  # fmt: skip
PEOPLE_COUNTED = (
    "platforms",
    "sellers",
    "sellers_exactly",
    "orders",
    "orders_exactly",
    "orders_at_most",
    "lapsed",
    "repeat_within",
    "categories",
    "countries",
)  # kinds taking n
PEOPLE_OUTPUTS = ("count", "list")
# whose set: people (the `person` dimension) or sellers (the `shop` dimension, by each order
# line's own seller; counted only, the offline engine's): "seller" sold (a paid order with a line
# of theirs, by payment time: "sellers who sold in both July and August"), "seller_orders" had an
# order placed (any status, by order time: 7月和8月都出过单的卖家)
PEOPLE_ENTITIES = ("person", "seller", "seller_orders")


@dataclass(frozen=True)
class PeopleCondition:
    """One condition on a person (the catalog's `person` dimension: OneID, the account before
    OneID is built). `kind`:

    - ``bought``: a paid order (line) matching every filter, within `time_range` (None: ever);
    - ``not_bought``: no paid order matching the filters within `time_range` (None: ever);
    - ``platforms``: paid orders on at least `n` platforms within `time_range`;
    - ``orders``: at least `n` paid orders within `time_range`;
    - ``orders_exactly``: exactly `n` paid orders within `time_range` (None: ever) — one-time
      buyers (只买过一次) are n = 1;
    - ``orders_at_most``: one paid order or more, at most `n`, within `time_range` (None: ever)
      — 只下过一两单, "no more than 2 orders";
    - ``lapsed``: bought before the last `n` days, and not within them (流失 / 沉睡);
    - ``first_order``: the person's first paid order ever falls in `time_range` (新客);
    - ``returning``: bought in `time_range` and had a paid order before it (老客).
    - ``sellers``: paid order lines from at least `n` different sellers (the shop dimension)
      within `time_range`;
    - ``sellers_exactly``: paid order lines from exactly `n` different sellers within
      `time_range` — n = 1: always from one and the same seller (只认一个卖家买);
    - ``only``: bought within `time_range`, and every paid order (line) in it matches the one
      filter (只在天猫买过: bought on Tmall, on no other platform);
    - ``repeat_within``: the person's second paid order ever came at most `n` days after the
      first (and, with `time_range`, the second order falls in it);
    - ``categories``: paid order lines in at least `n` different categories within
      `time_range`;
    - ``refunded``: had a completed refund (above zero) on an order matching the filters, the
      refunded_orders metric's model and time (退过款的客户).
    - ``then``: a paid order (line) matching `filters` within `time_range` — with `after`
      "refunded", a completed refund (by its time) — and a later paid order (strictly after
      it, at any time) matching `later` (买了沙发之后又买了茶几, 退过款之后又回来下单; the
      offline engine's, not offered to the LLM).
    """

    kind: str
    filters: tuple[Filter, ...] = ()
    time_range: TimeRange | None = None
    n: int | None = None
    later: tuple[Filter, ...] = ()  # `then`: what the later purchase matches
    after: str = "bought"  # `then`: what came first — a purchase, or a refund ("refunded")


@dataclass(frozen=True)
class PeopleSet:
    """The people meeting ALL `conditions` (an intersection; "A and B" is two ``bought``
    conditions, "A but not B" a ``bought`` and a ``not_bought``).

    On a SemanticQuery (`population`): with `output` "count" and no metric the answer is the
    number of people (by the query's dimensions, when asked: then the buyers among them, per
    value); "list" lists them (person key, paid orders, paid GMV, first and last payment); with
    metrics, the metrics are computed over the orders of these people only.

    JSON shape (what `to_dict` writes and `from_dict` reads; the LLM emits it)::

        {"conditions": [
            {"kind": "bought", "filters": [{"dimension": "category", "op": "in", "values": ["sofa"]}],
             "time_range": {"start": "2025-05-01T00:00:00", "end": "2025-06-01T00:00:00"}},
            {"kind": "not_bought", "filters": [{"dimension": "product_title", "op": "like",
                                                "values": ["%coffee table%"]}]},
            {"kind": "platforms", "n": 2},
            {"kind": "lapsed", "n": 90}],
         "output": "count"}

    `kind` is one of PEOPLE_KINDS; `n` is required for platforms, sellers, orders (≥ 1), lapsed
    and repeat_within (days);
    `time_range` is optional (start/end ISO datetimes, end exclusive; either may be null).

    `entity` "seller" makes it a set of sellers instead ("sold" for bought: a paid order with a
    line of theirs, by payment time; "seller_orders": an order placed with a line of theirs, by
    order time); only bought / not_bought conditions, answered as a count; written to the JSON
    only when it is not "person".
    """

    conditions: tuple[PeopleCondition, ...]
    output: str = "count"  # count | list
    entity: str = "person"  # one of PEOPLE_ENTITIES

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "conditions": [_condition_dict(c) for c in self.conditions],
            "output": self.output,
        }
        if self.entity != "person":
            out["entity"] = self.entity
        return out

    @classmethod
    def from_dict(cls, data: Any) -> PeopleSet:
        """Read the JSON shape above; a ValueError names the bad field (e.g. `conditions[1].n`)."""
        if not isinstance(data, dict):
            raise ValueError("population: expected an object with 'conditions'")
        unknown = set(data) - {"conditions", "output", "entity"}
        if unknown:
            raise ValueError(f"population: unknown field {sorted(unknown)[0]!r}")
        output = data.get("output", "count")
        if output not in PEOPLE_OUTPUTS:
            raise ValueError(f"population.output: {output!r} is not one of {PEOPLE_OUTPUTS}")
        items = data.get("conditions")
        if not isinstance(items, list) or not items:
            raise ValueError("population.conditions: expected a non-empty list")
        entity = data.get("entity", "person")
        if entity not in PEOPLE_ENTITIES:
            raise ValueError(f"population.entity: {entity!r} is not one of {PEOPLE_ENTITIES}")
        return cls(tuple(_condition_from(i, c) for i, c in enumerate(items)), output, entity)


def _condition_dict(c: PeopleCondition) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": c.kind}
    if c.filters:
        out["filters"] = [
            {"dimension": f.dimension, "op": f.op, "values": list(f.values)} for f in c.filters
        ]
    if c.kind == "then":
        out["after"] = c.after
    if c.later:
        out["later"] = [
            {"dimension": f.dimension, "op": f.op, "values": list(f.values)} for f in c.later
        ]
    if c.time_range is not None:
        tr = c.time_range
        out["time_range"] = {
            "start": tr.start.isoformat() if tr.start else None,
            "end": tr.end.isoformat() if tr.end else None,
            "label": tr.label,
        }
    if c.n is not None:
        out["n"] = c.n
    return out


def _condition_from(i: int, data: Any) -> PeopleCondition:
    where = f"population.conditions[{i}]"
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected an object")
    unknown = set(data) - {"kind", "filters", "time_range", "n"}
    if unknown:
        raise ValueError(f"{where}: unknown field {sorted(unknown)[0]!r}")
    kind = data.get("kind")
    if kind not in PEOPLE_KINDS:
        raise ValueError(f"{where}.kind: {kind!r} is not one of {', '.join(PEOPLE_KINDS)}")
    n = data.get("n")
    if kind in PEOPLE_COUNTED:
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise ValueError(f"{where}.n: {kind} needs a whole number ≥ 1, got {n!r}")
    elif n is not None:
        raise ValueError(f"{where}.n: {kind} takes no n")
    filters = []
    for j, f in enumerate(data.get("filters") or []):
        if not isinstance(f, dict) or not isinstance(f.get("dimension"), str):
            raise ValueError(f"{where}.filters[{j}].dimension: expected a dimension name")
        values = f.get("values", [])
        if not isinstance(values, list):
            raise ValueError(f"{where}.filters[{j}].values: expected a list")
        filters.append(Filter(f["dimension"], str(f.get("op", "in")), tuple(values)))
    tr = data.get("time_range")
    time_range = None
    if tr is not None:
        if not isinstance(tr, dict):
            raise ValueError(f"{where}.time_range: expected an object with start and end")
        try:
            start = dt.datetime.fromisoformat(tr["start"]) if tr.get("start") else None
            end = dt.datetime.fromisoformat(tr["end"]) if tr.get("end") else None
        except (TypeError, ValueError) as e:
            raise ValueError(f"{where}.time_range: not an ISO date/time ({e})") from None
        time_range = TimeRange(start, end, str(tr.get("label") or ""))
    if kind == "first_order" and time_range is None:
        raise ValueError(f"{where}.time_range: first_order needs the period of the first order")
    if kind == "returning" and (time_range is None or time_range.start is None):
        raise ValueError(f"{where}.time_range: returning needs a period with a start")
    if kind == "only" and len(filters) != 1:
        raise ValueError(f"{where}.filters: only takes exactly one filter (what all orders match)")
    return PeopleCondition(kind, tuple(filters), time_range, n)
