"""What the board shows, computed without Textual: plain data the widgets render.

Every number comes from the catalog's metric compiler (the same 口径 as `shopql metric`), run on
one read-only connection opened for this refresh and closed after it, so a `shopql sync` in
another process can take the writer lock between refreshes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

KPIS: tuple[tuple[str, str], ...] = (
    ("paid_gmv", "Paid GMV"),
    ("orders", "Orders"),
    ("buyers", "Buyers"),
    ("aov", "AOV"),
    ("refund_rate", "Refund rate"),
    ("payment_success_rate", "Payment success"),
)
TREND_DAYS = 30
TOP_PRODUCTS = 5


@dataclass
class Tile:
    """One KPI: today so far, and the same span yesterday and a week ago."""

    metric: str
    label: str
    value_type: str
    value: float | None
    yesterday: float | None
    last_week: float | None

    @staticmethod
    def change(now: float | None, before: float | None) -> float | None:
        if now is None or not before:
            return None
        return (now - before) / abs(before)

    @property
    def vs_yesterday(self) -> float | None:
        return self.change(self.value, self.yesterday)

    @property
    def vs_last_week(self) -> float | None:
        return self.change(self.value, self.last_week)


@dataclass(frozen=True)
class Focus:
    """A drill-down: the whole board filtered to one platform, payment channel or product."""

    dimension: str  # platform | payment_channel | product_title
    value: str

    def describe(self) -> str:
        return f"{self.dimension.replace('_', ' ')} = {self.value}"


@dataclass
class Overview:
    """Everything on the Overview screen at one moment."""

    at: dt.datetime
    data_end: dt.datetime | None = None  # the latest order, payment or event time
    anchored: bool = False  # `at` moved back to data_end: 'now' has no data
    focus: Focus | None = None
    unavailable: list[str] = field(default_factory=list)  # metrics the focus cannot split
    tiles: list[Tile] = field(default_factory=list)
    trend: list[tuple[dt.date, float, float]] = field(default_factory=list)  # day, GMV, orders
    platforms: list[tuple[str, float, float]] = field(default_factory=list)  # GMV, paid orders
    channels: list[tuple[str, float | None, float]] = field(default_factory=list)  # rate, tries
    products: list[tuple[str, float, float]] = field(default_factory=list)  # GMV, units
    alerts: list[Any] = field(default_factory=list)  # Firing
    alert_errors: list[str] = field(default_factory=list)


def day_start(at: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(at.date(), dt.time())


def kpi_ranges(at: dt.datetime) -> dict[str, Any]:
    """today so far, the same span yesterday and the same span a week ago, as TimeRanges."""
    from shopql.catalog import TimeRange

    start = day_start(at)
    return {
        name: TimeRange(start - shift, at - shift, name)
        for name, shift in (
            ("today", dt.timedelta()),
            ("yesterday", dt.timedelta(days=1)),
            ("last_week", dt.timedelta(days=7)),
        )
    }


class OverviewLoader:
    """Builds an Overview from a workspace: catalog loaded once, a reader per refresh."""

    def __init__(
        self, settings: Any, rules: list[Any] | None = None, *, use_recent: bool = True
    ) -> None:
        from shopql.catalog import load_catalog
        from shopql.catalog.cache import CompileCache
        from shopql.insights.alerts import workspace_rules_or_defaults
        from shopql.warehouse.recent import RecentSlice

        self.settings = settings
        self.catalog = load_catalog(settings.workspace, timezone=settings.timezone)
        self.rules = workspace_rules_or_defaults(settings.workspace) if rules is None else rules
        self.focus: Focus | None = None
        self.cannot_split: set[str] = set()  # metrics the focus cannot split, this refresh
        self.compiler = CompileCache(self.catalog)  # the same windows every tick
        # the last days of the big tables, in memory between ticks (warehouse/recent.py)
        self.recent = RecentSlice(settings.warehouse_path) if use_recent else None
        self._data_end: tuple[tuple[int, ...], dt.datetime | None] | None = None
        self.measure_models = {
            name: model.name for model in self.catalog.models.values() for name in model.measures
        }

    def load(self, at: dt.datetime, *, anchor: bool = True, focus: Focus | None = None) -> Overview:
        """The overview at `at`; when `anchor` and the data ends before `at`'s day, at the data's
        end instead. The reader is closed before returning: nothing is held between refreshes.
        Raises WorkspaceError when the warehouse cannot be opened (e.g. a sync holds it)."""
        from shopql.warehouse.connection import open_reader

        con = open_reader(self.settings.warehouse_path)
        try:
            data_end = self.data_end(con)
            anchored = anchor and data_end is not None and data_end < day_start(at)
            self.focus, self.cannot_split = focus, set()
            when = data_end if anchored and data_end else at
            if self.recent is not None:
                day = day_start(when)
                narrower = (day - dt.timedelta(days=7), day - dt.timedelta(days=1))
                self.recent.ensure(self.horizon(when), narrower, reader=con)
            view = self._overview(con, when)
        finally:
            con.close()
        view.data_end, view.anchored, view.focus = data_end, anchored, focus
        return view

    def data_end(self, con: Any) -> dt.datetime | None:
        """Where the data ends; read again only when the warehouse file changed."""
        from shopql.warehouse.freshness import latest_data_time
        from shopql.warehouse.recent import file_version

        version = file_version(self.settings.warehouse_path)
        if self._data_end is None or self._data_end[0] != version:
            self._data_end = (version, latest_data_time(con))
        return self._data_end[1]

    def run(self, con: Any, query: Any, today: dt.date) -> list[dict[str, Any]]:
        """Rows of `query` (with the drill-down's filter added); [] when the focus cannot split
        these metrics (e.g. payment attempts by product)."""
        from dataclasses import replace

        from shopql.catalog import Filter
        from shopql.catalog.model import CatalogError

        if self.focus is not None:
            where = Filter(self.focus.dimension, "=", (self.focus.value,))
            query = replace(query, filters=(*query.filters, where))
        try:
            compiled = self.compiler.compile(query, today)
        except CatalogError:
            if self.focus is None:
                raise
            self.cannot_split.update(query.metrics)
            return []
        rows = self.reader_for(con, compiled).execute(compiled.sql).fetchall()
        return [dict(zip(compiled.columns, row, strict=True)) for row in rows]

    def reader_for(self, con: Any, compiled: Any) -> Any:
        """The recent slice when it gives the same rows for `compiled`, else the warehouse."""
        if self.recent is None:
            return con
        starts = [r.start if r else None for r in (compiled.time_range,)]
        if compiled.previous is not None:
            starts.append(compiled.previous.start)
        for m in compiled.metrics:
            if m.window_days and starts[0] is not None:  # a trailing window before the end
                starts.append((compiled.time_range.end or starts[0]) - dt.timedelta(m.window_days))
        models = {self.measure_models.get(m.measure or "", "") for m in compiled.metrics}
        return self.recent.reader(compiled.sql, starts, models) or con

    def horizon(self, at: dt.datetime) -> dt.datetime:
        """The earliest moment this refresh reads: the trend's first day, the week-ago tile,
        the alert rules' windows and histories (the stock rule's 30 days of sales)."""
        earliest = day_start(at) - dt.timedelta(days=max(TREND_DAYS - 1, 7))
        for rule in self.rules:
            earliest = min(earliest, rule_start(rule, at))
        return day_start(earliest)

    def check(self, con: Any, rule: Any, at: dt.datetime) -> Any:
        """Check one alert rule, on the recent slice when that gives the same result."""
        from shopql.insights.alerts import check_rule

        reader = self.rule_reader(con, rule, at)
        return check_rule(reader, self.catalog, rule, at, compile=self.compiler.compile)

    def rule_reader(self, con: Any, rule: Any, at: dt.datetime) -> Any:
        from shopql.catalog import Filter, SemanticQuery, TimeRange, metric_closure
        from shopql.catalog.model import CatalogError
        from shopql.insights.alerts import STOCK_SQL

        if self.recent is None or self.recent.con is None:
            return con
        start = rule_start(rule, at)
        if rule.kind == "stock":
            return self.recent.reader(STOCK_SQL, [start], set()) or con
        metric = self.catalog.metrics.get(rule.metric)
        if metric is None:
            return con  # the rule reports its own error
        names = [rule.metric] + ([rule.volume] if rule.volume else [])
        try:
            metrics = metric_closure(self.catalog, names)
            query = SemanticQuery(
                metrics=tuple(dict.fromkeys(names)),
                dimensions=(rule.by,) if rule.by else (),
                time_range=TimeRange(start, at, ""),
                filters=tuple(Filter(d, "in", v) for d, v in rule.where.items()),
            )
            sql = self.compiler.compile(query, at.date()).sql
        except CatalogError:
            return con
        if any(m.window_days for m in metrics):
            return con
        models = {self.measure_models.get(m.measure or "", "") for m in metrics}
        return self.recent.reader(sql, [start], models) or con

    def _overview(self, con: Any, at: dt.datetime) -> Overview:
        view = Overview(at=at)
        view.tiles = self.tiles(con, at)
        view.trend = self.trend(con, at)
        view.platforms = self.platforms(con, at)
        view.channels = self.channels(con, at)
        view.products = self.products(con, at)
        view.unavailable = sorted(self.cannot_split)
        for rule in self.rules:
            result = self.check(con, rule, at)
            view.alerts += result.firings
            if result.error:
                view.alert_errors.append(f"{rule.name}: {result.error}")
        return view

    def tiles(self, con: Any, at: dt.datetime) -> list[Tile]:
        from shopql.catalog import SemanticQuery

        metrics = tuple(m for m, _ in KPIS)
        values: dict[str, dict[str, Any]] = {}
        for name, span in kpi_ranges(at).items():
            values[name] = {}
            # one query for all; under a focus, per metric (some cannot be split by it)
            groups = [metrics] if self.focus is None else [(m,) for m in metrics]
            for group in groups:
                rows = self.run(con, SemanticQuery(metrics=group, time_range=span), at.date())
                values[name].update(rows[0] if rows else {})
        return [
            Tile(
                metric,
                label,
                self.catalog.metrics[metric].value_type,
                _num(values["today"].get(metric)),
                _num(values["yesterday"].get(metric)),
                _num(values["last_week"].get(metric)),
            )
            for metric, label in KPIS
        ]

    def trend(self, con: Any, at: dt.datetime) -> list[tuple[dt.date, float, float]]:
        from shopql.catalog import SemanticQuery, TimeRange

        start = day_start(at) - dt.timedelta(days=TREND_DAYS - 1)
        query = SemanticQuery(
            metrics=("paid_gmv", "orders"), grain="day", time_range=TimeRange(start, at, "")
        )
        got = {r["day"]: r for r in self.run(con, query, at.date())}
        days = [start.date() + dt.timedelta(days=i) for i in range(TREND_DAYS)]
        return [
            (
                d,
                _num(got.get(d, {}).get("paid_gmv")) or 0.0,
                _num(got.get(d, {}).get("orders")) or 0.0,
            )
            for d in days
        ]

    def _today(self, metrics: tuple[str, ...], by: str, at: dt.datetime, **kw: Any) -> Any:
        from shopql.catalog import SemanticQuery

        today = kpi_ranges(at)["today"]
        return SemanticQuery(metrics=metrics, dimensions=(by,), time_range=today, **kw)

    def platforms(self, con: Any, at: dt.datetime) -> list[tuple[str, float, float]]:
        rows = self.run(con, self._today(("paid_gmv", "paid_orders"), "platform", at), at.date())
        return [(str(r["platform"]), _num(r["paid_gmv"]) or 0.0, _num(r["paid_orders"]) or 0.0)
                for r in rows]  # fmt: skip

    def channels(self, con: Any, at: dt.datetime) -> list[tuple[str, float | None, float]]:
        from shopql.catalog import OrderBy

        query = self._today(
            ("payment_success_rate", "payment_attempts"), "payment_channel", at,
            order_by=(OrderBy("payment_attempts"), OrderBy("payment_channel", descending=False)),
        )  # fmt: skip
        rows = self.run(con, query, at.date())
        return [
            (
                str(r["payment_channel"]),
                _num(r["payment_success_rate"]),
                _num(r["payment_attempts"]) or 0.0,
            )
            for r in rows
        ]

    def products(self, con: Any, at: dt.datetime) -> list[tuple[str, float, float]]:
        from shopql.catalog import OrderBy

        query = self._today(
            ("item_paid_gmv", "units"), "product_title", at,
            order_by=(OrderBy("item_paid_gmv"), OrderBy("product_title", descending=False)),
            limit=TOP_PRODUCTS,  # ties by title: the same five every tick
        )  # fmt: skip
        rows = self.run(con, query, at.date())
        return [(str(r["product_title"]), _num(r["item_paid_gmv"]) or 0.0, _num(r["units"]) or 0.0)
                for r in rows]  # fmt: skip


def rule_start(rule: Any, at: dt.datetime) -> dt.datetime:
    """The earliest moment an alert rule reads at `at`: its window, the window before it (a
    change) or its history (an anomaly: the plans of insights.alerts); 30 days of sales for
    stock."""
    from shopql.insights.alerts import HISTORY_PLANS

    if rule.kind == "stock":
        return at - dt.timedelta(days=30)
    window = rule.window
    kind = rule.condition.kind
    back = dt.timedelta()
    if kind == "change":
        back = window
    elif kind not in ("threshold",):
        back = max(
            ((step or window) * count for _, step, count in HISTORY_PLANS
             if (step or window) >= window),
            default=dt.timedelta(),
        )  # fmt: skip
    return at - window - back


def _num(value: Any) -> float | None:
    return None if value is None else float(value)
