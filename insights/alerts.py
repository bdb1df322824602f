"""Checking alert rules against the warehouse at one moment (now, or a replayed past moment).

Metric rules compute their catalog metric through the metric compiler (the same 口径 as
`shopql metric` and the board) over the window ending at the moment, split by the rule's `by`
dimension. Conditions:

- threshold (`below 0.5`): the window's value crosses a fixed line;
- change (`drop 30%`): against the window just before it;
- anomaly (`anomaly 3 low`): against history — the same window on the previous 4 weeks, else on
  the previous 7 days, else the 12 windows just before — as median ± k·MAD (scaled by 1.4826,
  floored at 5% of the median), once at least 3 history windows have enough volume.

`min_volume` keeps tiny samples quiet: a rate over 3 payment attempts never fires. Drops in an
additive metric (GMV falling to nothing) are judged on the baseline's volume, everything else on
the current window's.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shopql.insights.alert_rules import Rule, load_rules, write_default_rules

__all__ = [
    "Firing",
    "RuleResult",
    "check_rule",
    "check_workspace",
    "load_rules",
    "write_default_rules",  # `shopql demo` writes the default rule pack with it
]

MIN_HISTORY = 3
HISTORY_PLANS = (
    ("same time on previous weeks", dt.timedelta(days=7), 4),
    ("same time on previous days", dt.timedelta(days=1), 7),
    ("previous windows", None, 12),
)

Sample = tuple[float | None, float]  # (value, volume)


@dataclass
class Firing:
    """One rule firing for one key (a dimension value, a seller code, or '' for the total)."""

    rule: str
    severity: str
    metric: str
    key: str
    value: float | None
    baseline: float | None
    volume: float | None
    window_start: dt.datetime
    window_end: dt.datetime
    reason: str
    value_type: str = "number"
    label: str = ""

    @property
    def incident(self) -> str:
        """What identifies the same incident across checks: rule and key."""
        return f"{self.rule}|{self.key}"

    def message(self) -> str:
        where = f" [{self.key}]" if self.key else ""
        label = f" ({self.label})" if self.label else ""
        return (
            f"{self.severity.upper()} {self.rule}{where}{label}: {self.metric} = "
            f"{format_value(self.value, self.value_type)}, {self.reason}; window "
            f"{format_window_span(self.window_start, self.window_end)}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "metric": self.metric,
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "baseline": self.baseline,
            "volume": self.volume,
            "window_start": self.window_start.isoformat(sep=" "),
            "window_end": self.window_end.isoformat(sep=" "),
            "reason": self.reason,
            "message": self.message(),
        }


@dataclass
class RuleResult:
    """What checking one rule found: firings, how many keys were looked at, notes, an error."""

    rule: Rule
    firings: list[Firing] = field(default_factory=list)
    checked: int = 0
    note: str = ""
    error: str | None = None


def format_window_span(start: dt.datetime, end: dt.datetime) -> str:
    """'2026-11-10 20:45–20:55', or both dates when the window spans days."""
    tail = f"{end:%H:%M}" if start.date() == end.date() else f"{end:%Y-%m-%d %H:%M}"
    return f"{start:%Y-%m-%d %H:%M}–{tail}"


def format_value(value: float | None, value_type: str) -> str:
    if value is None:
        return "–"
    if value_type == "ratio":
        return f"{value * 100:.1f}%"
    if value_type == "money":
        return f"{value:,.2f}"
    if value_type in ("count",) and float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def now_in(timezone: str) -> dt.datetime:
    """The shop-local wall clock, naive, to the second (warehouse timestamps are shop-local)."""
    from zoneinfo import ZoneInfo

    try:
        return dt.datetime.now(ZoneInfo(timezone)).replace(tzinfo=None, microsecond=0)
    except Exception:  # no tz database: the machine's clock
        return dt.datetime.now().replace(microsecond=0)


def check_workspace(
    settings: Any,
    at: dt.datetime | None = None,
    rules: list[Rule] | None = None,
    runner: Any = None,
) -> list[RuleResult]:
    """Check the workspace's rules (or `rules`) at `at` (default: now, shop-local).
    `runner` (warehouse.spark.SparkRunner): the same queries run on Spark over the lake."""
    from shopql.catalog import load_catalog
    from shopql.warehouse.connection import open_reader

    rules = load_rules(settings.workspace) if rules is None else rules
    at = at or now_in(settings.timezone)
    catalog = load_catalog(settings.workspace, timezone=settings.timezone)
    con = runner if runner is not None else open_reader(settings.warehouse_path)
    try:
        return [check_rule(con, catalog, rule, at) for rule in rules]
    finally:
        con.close()


def check_rule(
    con: Any, catalog: Any, rule: Rule, at: dt.datetime, *, compile: Any = None
) -> RuleResult:
    """Check one rule; a rule that cannot be computed reports its error instead of raising.
    `compile(query, today)` replaces compile_query (the board remembers compiled windows)."""
    from shopql.errors import ShopqlError

    result = RuleResult(rule)
    try:
        if rule.kind == "stock":
            _check_stock(con, rule, at, result)
        else:
            _MetricCheck(con, catalog, rule, at, result, compile).run()
    except ShopqlError as e:
        result.error = e.message
    except Exception as e:  # a broken rule must not hide the others
        result.error = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    return result


class _MetricCheck:
    def __init__(
        self, con: Any, catalog: Any, rule: Rule, at: dt.datetime, out: RuleResult,
        compile: Any = None,
    ):  # fmt: skip
        self.con, self.catalog, self.rule, self.at, self.out = con, catalog, rule, at, out
        self.compile = compile
        metric = catalog.metrics.get(rule.metric)
        if metric is None:
            from shopql.catalog import CatalogError

            raise CatalogError(f"rule {rule.name}: unknown metric {rule.metric}")
        self.metric = metric
        self.ratio = metric.type == "ratio"
        self.volume = rule.volume or (metric.denominator if self.ratio else rule.metric)
        self.start = at - rule.window

    def measure(self, start: dt.datetime, end: dt.datetime) -> dict[str, Sample]:
        """key -> (value, volume) of the rule's metric over [start, end)."""
        from shopql.catalog import Filter, SemanticQuery, TimeRange, compile_query

        rule = self.rule
        metrics = tuple(dict.fromkeys((rule.metric, self.volume)))
        query = SemanticQuery(
            metrics=metrics,
            dimensions=(rule.by,) if rule.by else (),
            time_range=TimeRange(start, end, ""),
            filters=tuple(Filter(d, "in", v) for d, v in rule.where.items()),
        )
        if self.compile is not None:
            compiled = self.compile(query, end.date())
        else:
            compiled = compile_query(self.catalog, query, today=end.date())
        rows = self.con.execute(compiled.sql).fetchall()
        index = {c: i for i, c in enumerate(compiled.columns)}
        out: dict[str, Sample] = {}
        for row in rows:
            key = str(row[index[rule.by]]) if rule.by else ""
            value = row[index[rule.metric]]
            volume = row[index[self.volume]]
            out[key] = (None if value is None else float(value), float(volume or 0))
        return out

    def enough(self, volume: float) -> bool:
        return volume >= self.rule.min_volume and volume > 0

    def judged_on_baseline(self) -> bool:
        c = self.rule.condition
        return not self.ratio and c.direction in ("below", "drop", "low")

    def run(self) -> None:
        current = self.measure(self.start, self.at)
        kind = self.rule.condition.kind
        if kind == "threshold":
            self._threshold(current)
        elif kind == "change":
            self._change(current)
        else:
            self._anomaly(current)

    def _fire(self, key: str, value: float | None, baseline: float | None, vol: float, why: str):
        self.out.firings.append(
            Firing(
                self.rule.name,
                self.rule.severity,
                self.rule.metric,
                key,
                value,
                baseline,
                vol,
                self.start,
                self.at,
                why,
                self.metric.value_type,
            )
        )

    def _threshold(self, current: dict[str, Sample]) -> None:
        c = self.rule.condition
        for key, (value, vol) in sorted(current.items()):
            if value is None or not self.enough(vol):
                continue
            self.out.checked += 1
            if (value < c.value) if c.direction == "below" else (value > c.value):
                self._fire(key, value, c.value, vol, f"{c.direction} {_fmt(c.value, self)}")

    def _change(self, current: dict[str, Sample]) -> None:
        c = self.rule.condition
        previous = self.measure(self.start - self.rule.window, self.start)
        for key in sorted(set(current) | set(previous)):
            value, vol = current.get(key, (None if self.ratio else 0.0, 0.0))
            before, before_vol = previous.get(key, (None, 0.0))
            if value is None or not before or not self._volumes_ok(vol, before_vol):
                continue
            self.out.checked += 1
            change = (value - before) / abs(before)
            hit = change <= -c.value if c.direction == "drop" else change >= c.value
            if hit:
                why = f"{change * 100:+.0f}% vs {_fmt(before, self)} in the previous {_win(self)}"
                self._fire(key, value, before, vol, why)

    def _volumes_ok(self, vol: float, baseline_vol: float) -> bool:
        if self.judged_on_baseline():
            return self.enough(baseline_vol)
        return self.enough(vol) and self.enough(baseline_vol)

    def _anomaly(self, current: dict[str, Sample]) -> None:
        c = self.rule.condition
        history, label = self._history(current)
        self.out.note = f"history: {label}" if history else "not enough history yet"
        for key, samples in sorted(history.items()):
            value, vol = current.get(key, (None if self.ratio else 0.0, 0.0))
            if value is None or (not self.judged_on_baseline() and not self.enough(vol)):
                continue
            self.out.checked += 1
            median = statistics.median(samples)
            mad = statistics.median(abs(x - median) for x in samples)
            scale = max(1.4826 * mad, 0.05 * abs(median), 1e-9)
            z = (value - median) / scale
            hit = {"low": z < -c.value, "high": z > c.value}.get(c.direction, abs(z) > c.value)
            if hit:
                why = (
                    f"{z:+.1f}·MAD from the median {_fmt(median, self)} of {len(samples)} "
                    f"{label} (k={c.value:g})"
                )
                self._fire(key, value, median, vol, why)

    def _history(self, current: dict[str, Sample]) -> tuple[dict[str, list[float]], str]:
        """key -> past values, from the first history plan that covers every current key with
        enough points, else from the plan that covers the most keys."""
        wanted = {k for k, (_, vol) in current.items() if self.enough(vol)}
        best: tuple[dict[str, list[float]], str] = ({}, "")
        for label, step, count in HISTORY_PLANS:
            step = step or self.rule.window
            if step < self.rule.window:
                continue
            usable = self._samples(step, count)
            if usable and wanted <= set(usable):
                return usable, label
            if len(usable) > len(best[0]):
                best = (usable, label)
        return best

    def _samples(self, step: dt.timedelta, count: int) -> dict[str, list[float]]:
        samples: dict[str, list[float]] = {}
        for i in range(1, count + 1):
            shift = step * i
            for key, (value, vol) in self.measure(self.start - shift, self.at - shift).items():
                if value is not None and self.enough(vol):
                    samples.setdefault(key, []).append(value)
        return {k: v for k, v in samples.items() if len(v) >= MIN_HISTORY}


def _fmt(value: float, check: _MetricCheck) -> str:
    return format_value(value, check.metric.value_type)


def _win(check: _MetricCheck) -> str:
    from shopql.insights.alert_rules import format_window

    return format_window(check.rule.window)


STOCK_SQL = """
WITH latest AS (
    SELECT outer_code, warehouse, on_hand, coalesce(reserved, 0) AS reserved, as_of,
           row_number() OVER (PARTITION BY outer_code, warehouse ORDER BY as_of DESC) AS rn
    FROM inventory WHERE as_of <= ? AND outer_code IS NOT NULL),
stock AS (
    SELECT outer_code, sum(on_hand - reserved) AS available, max(as_of) AS as_of
    FROM latest WHERE rn = 1 GROUP BY outer_code),
sold AS (
    SELECT oi.outer_code, sum(oi.quantity) AS units
    FROM order_items oi JOIN orders o ON o.order_id = oi.order_id
    WHERE o.paid_at >= ? AND o.paid_at < ? GROUP BY oi.outer_code)
SELECT s.outer_code, s.available, coalesce(u.units, 0) AS units, s.as_of,
       (SELECT min(p.title) FROM products p WHERE p.outer_code = s.outer_code) AS title
FROM stock s LEFT JOIN sold u ON u.outer_code = s.outer_code
ORDER BY s.outer_code
"""


def stock_levels(con: Any, at: dt.datetime) -> list[tuple[str, float, float, dt.datetime, str]]:
    """Per seller code at `at`: (outer_code, available, units sold in 30 days, as_of, title)."""
    rows = con.execute(STOCK_SQL, [at, at - dt.timedelta(days=30), at]).fetchall()
    return [(str(r[0]), float(r[1] or 0), float(r[2] or 0), r[3], str(r[4] or "")) for r in rows]


def _check_stock(con: Any, rule: Rule, at: dt.datetime, out: RuleResult) -> None:
    c = rule.condition
    start = at - dt.timedelta(days=30)
    for code, available, units, as_of, title in stock_levels(con, at):
        if units < rule.min_volume:
            continue
        out.checked += 1
        cover = available / (units / 30) if units else None
        value = cover if c.measure == "days_of_cover" else available
        if value is None:
            continue
        hit = value < c.value if c.direction == "below" else value > c.value
        if not hit:
            continue
        why = f"{available:g} available at the {as_of:%m-%d %H:%M} snapshot, {units:g} sold in 30 days"
        kind = "days" if c.measure == "days_of_cover" else "count"
        firing = Firing(rule.name, rule.severity, c.measure, code, value, c.value, units, start, at,
                        why, kind, title)  # fmt: skip
        out.firings.append(firing)


def firings_of(results: list[RuleResult]) -> list[Firing]:
    return [f for r in results for f in r.firings]


def workspace_rules_or_defaults(workspace: Path) -> list[Rule]:
    """The workspace's rules; the default pack when it has no alerts.yaml (used by the board)."""
    from shopql.insights.alert_rules import default_rules, rules_path

    return load_rules(workspace) if rules_path(workspace).is_file() else default_rules()
