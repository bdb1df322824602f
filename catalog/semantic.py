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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
