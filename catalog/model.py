"""The catalog as typed objects: tables and columns, semantic models, metrics, and lint issues.

Vocabulary from dbt MetricFlow: a *semantic model* sits on one table (or a SELECT) and declares
*entities* (primary/foreign keys: the only join paths), *dimensions* (categorical or time) and
*measures* (an aggregation of an expression). *Metrics* are typed ``simple`` (one measure, an
optional filter and time column), ``ratio`` (numerator metric / denominator metric, each aggregated
on its own) or ``derived`` (an arithmetic expression over other metrics).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from shopql.errors import ShopqlError

PII_CLASSES = ("phone", "email", "name", "address", "openid", "identifier", "key", "person")
GRAINS = ("day", "week", "month", "quarter", "year")
AGGREGATIONS = ("sum", "count", "count_distinct", "avg", "min", "max", "median")
# aggregations that give the same answer when a one-to-many join repeats a row
FANOUT_SAFE = ("count_distinct", "min", "max")
ADDITIVE = ("sum", "count", "count_distinct")
METRIC_TYPES = ("simple", "ratio", "derived")
VALUE_TYPES = ("money", "count", "ratio", "score", "days", "number")


class CatalogError(ShopqlError):
    """The catalog is broken, or a query asks for something it does not define."""


@dataclass(frozen=True)
class Location:
    """Where something was written: a catalog file and a 1-based line."""

    file: str = "<default>"
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Issue:
    """One lint finding: `level` is error or warning; `stage` is shape, references or compile."""

    level: str
    message: str
    where: Location = field(default_factory=Location)
    stage: str = "shape"

    def __str__(self) -> str:
        return f"{self.where}: {self.level}: {self.message}"


def text(value: Any) -> dict[str, str]:
    """A bilingual text: {en: …, zh: …}; a plain string is taken as English."""
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items() if v is not None}
    return {"en": str(value)} if value else {}


def pick(label: dict[str, str], lang: str = "en", default: str = "") -> str:
    """The text in `lang`, else the other language, else `default`."""
    return label.get(lang) or label.get("en") or label.get("zh") or default


@dataclass
class Column:
    name: str
    description: dict[str, str] = field(default_factory=dict)
    synonyms: list[str] = field(default_factory=list)
    pii: str | None = None
    type: str | None = None  # from introspection
    values: list[Any] = field(default_factory=list)  # low-cardinality values, from introspection
    where: Location = field(default_factory=Location)


@dataclass
class Table:
    name: str
    description: dict[str, str] = field(default_factory=dict)
    synonyms: list[str] = field(default_factory=list)
    columns: dict[str, Column] = field(default_factory=dict)
    row_count: int | None = None  # from introspection
    where: Location = field(default_factory=Location)


@dataclass
class Entity:
    """A key: `primary` (unique in its model), `foreign` (points at another model's primary)."""

    name: str
    type: str
    expr: str
    where: Location = field(default_factory=Location)


@dataclass
class Dimension:
    name: str
    type: str  # categorical | time
    expr: str
    model: str
    label: dict[str, str] = field(default_factory=dict)
    synonyms: list[str] = field(default_factory=list)
    description: dict[str, str] = field(default_factory=dict)
    granularities: tuple[str, ...] = ()
    where: Location = field(default_factory=Location)
    # words naming this dimension only in questions measured on its own model, where the
    # dimension they name elsewhere cannot be reached (the stock's seller code is its 'sku'):
    # not in the vocabulary, so they never make another question guess
    own_words: list[str] = field(default_factory=list)


@dataclass
class Measure:
    """`agg(expr)` over the model's rows; with `having`, count the distinct `expr` values whose
    group satisfies `having` (e.g. buyers with two or more orders)."""

    name: str
    agg: str
    expr: str
    model: str
    having: str | None = None
    description: dict[str, str] = field(default_factory=dict)
    where: Location = field(default_factory=Location)

    @property
    def sql(self) -> str:
        if self.agg == "count_distinct":
            return f"count(DISTINCT {self.expr})"
        fraction = percentile_fraction(self.agg)
        if fraction is not None:  # p90: the 90th percentile, interpolated as the median is
            return f"quantile_cont({self.expr}, {fraction})"
        return f"{self.agg}({self.expr})"


def percentile_fraction(agg: str) -> str | None:
    """`p90` → "0.9" (the 90th percentile, catalog.families.percentile_metric), else None."""
    if len(agg) in (2, 3) and agg[0] == "p" and agg[1:].isdigit() and 0 < int(agg[1:]) < 100:
        return str(int(agg[1:]) / 100)
    return None


@dataclass
class SemanticModel:
    name: str
    table: str | None = None
    sql: str | None = None  # a SELECT standing in for a table (e.g. each buyer's first order)
    description: dict[str, str] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)
    dimensions: dict[str, Dimension] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    default_time: str | None = None  # the time dimension metrics use unless they say otherwise
    where: Location = field(default_factory=Location)

    @property
    def primary(self) -> Entity | None:
        return next((e for e in self.entities if e.type == "primary"), None)

    def entity(self, name: str) -> Entity | None:
        return next((e for e in self.entities if e.name == name), None)


@dataclass
class Metric:
    """One definition (口径). `definition` is the exact rule in one line."""

    name: str
    type: str
    label: dict[str, str] = field(default_factory=dict)
    synonyms: list[str] = field(default_factory=list)
    description: dict[str, str] = field(default_factory=dict)
    notes: str = ""
    value_type: str = "number"
    # simple
    measure: str | None = None
    filter: str | None = None
    time: str | None = None  # a time dimension name or an expression; default: the model's
    window_days: int | None = None  # fixed trailing window ending where the query's range ends
    line_metric: str | None = None  # used instead when split by a line-level dimension
    # ratio
    numerator: str | None = None
    denominator: str | None = None
    # derived
    expr: str | None = None
    inputs: list[str] = field(default_factory=list)
    table: str | None = None  # the DESIGN shorthand: `table` + `expr: sum(col)` for a simple metric
    rounding: int | None = None  # decimals shown, instead of the value type's (generated metrics)
    generated: bool = False  # made from a countable, measurable or duration (catalog.families)
    where: Location = field(default_factory=Location)

    @property
    def inputs_used(self) -> list[str]:
        """The metrics this one is computed from (empty for simple metrics)."""
        if self.type == "ratio":
            return [m for m in (self.numerator, self.denominator) if m]
        if self.type == "derived":
            return list(self.inputs)
        return []


@dataclass
class RuleTag:
    """A person tag defined in the catalog (`tags:`): who carries it is a condition in the
    audience condition language (shopql.insights.conditions) over person fields."""

    name: str
    condition: str
    label: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    where: Location = field(default_factory=Location)


@dataclass
class DimensionInfo:
    """What a question engine needs about a dimension name, across the models defining it."""

    name: str
    type: str
    label: dict[str, str] = field(default_factory=dict)
    synonyms: list[str] = field(default_factory=list)
    description: dict[str, str] = field(default_factory=dict)
    models: list[str] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)  # known values (from introspection)


@dataclass
class Catalog:
    """Everything loaded from a workspace's catalog/ folder (plus introspection)."""

    tables: dict[str, Table] = field(default_factory=dict)
    models: dict[str, SemanticModel] = field(default_factory=dict)
    metrics: dict[str, Metric] = field(default_factory=dict)
    dimensions: dict[str, DimensionInfo] = field(default_factory=dict)
    tags: dict[str, RuleTag] = field(default_factory=dict)
    # catalog.families: countables, measurables and durations (name -> Measurable), time parts
    measurables: dict[str, Any] = field(default_factory=dict)
    time_parts: dict[str, Any] = field(default_factory=dict)
    # catalog.thresholds: numeric conditions on an entity, groups of a dimension's values
    thresholds: dict[str, Any] = field(default_factory=dict)
    value_groups: dict[str, Any] = field(default_factory=dict)
    owned_values: list[tuple[str, str, str]] = field(default_factory=list)  # (dim, owner, as)
    issues: list[Issue] = field(default_factory=list)
    directory: str | None = None
    timezone: str = "Asia/Shanghai"

    @property
    def measures(self) -> dict[str, Measure]:
        return {n: m for model in self.models.values() for n, m in model.measures.items()}

    def measure(self, name: str) -> Measure | None:
        """`measures.get(name)` without building the merged dict (the question engine looks up
        one measure some 20 times a question): the last model's, as in `measures`."""
        for model in reversed(self.models.values()):
            found = model.measures.get(name)
            if found is not None:
                return found
        return None

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    def pii_columns(self) -> dict[str, dict[str, str]]:
        """table -> column -> PII class, for the guard's masking policy."""
        return {
            t.name: {c.name: c.pii for c in t.columns.values() if c.pii}
            for t in self.tables.values()
        }

    def model_of_entity(self, entity: str) -> SemanticModel | None:
        """The model whose primary entity is `entity`."""
        return next(
            (m for m in self.models.values() if m.primary and m.primary.name == entity), None
        )


def close_names(name: str, items: Mapping[str, Any], n: int = 3) -> list[str]:
    """The names in `items` a mistyped or loosely said `name` most likely meant: one whose
    synonym or label is `name` (revenue → paid_gmv), then close spellings (paid_gmvv), then
    names of which `name` is a whole part (gmv → paid_gmv, placed_gmv)."""
    import difflib

    said = name.strip().lower()
    found: list[str] = []
    for key, item in items.items():
        words = [*getattr(item, "synonyms", []), *getattr(item, "label", {}).values()]
        if said in (str(w).strip().lower() for w in words):
            found.append(key)
    found += difflib.get_close_matches(name, list(items), n=n)
    found += [key for key in items if said and said in key.lower().split("_")]
    return list(dict.fromkeys(found))[:n]
