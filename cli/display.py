"""How numbers read in a table: money with separators and two decimals, rates and changes as
percentages (▲ 37.3 %), column labels from the catalog in the question's language.

Only the table output uses this; JSON and CSV keep the raw values.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

COMPARE_LABELS = {
    "previous_period": {"en": "vs prev. period", "zh": "环比"},
    "year_over_year": {"en": "vs last year", "zh": "同比"},
}
PREVIOUS_LABELS = {
    "previous_period": {"en": "prev. period", "zh": "上期"},
    "year_over_year": {"en": "last year", "zh": "去年同期"},
}


SUFFIX_LABELS: dict[str, tuple[dict[str, str], str | None]] = {
    "delta": ({"en": "change", "zh": "增减"}, None),
    "total": ({"en": "(all)", "zh": "（全部）"}, None),
    "share": ({"en": "share", "zh": "占比"}, "ratio"),
}


@dataclass(frozen=True)
class ColumnView:
    """How one result column is shown: its label and the kind of its values."""

    label: str
    kind: str = "auto"  # money, count, ratio, change, number, auto


def language_of(text: str | None) -> str:
    """'zh' when the text has Chinese characters, else 'en'."""
    return "zh" if text and re.search(r"[\u4e00-\u9fff]", text) else "en"


def column_views(
    columns: list[str], catalog: Any, lang: str = "en", compare: str | None = None
) -> list[ColumnView]:
    """Labels and kinds for the columns of a metric result (catalog names → readable labels)."""
    return [_view(name, catalog, lang, compare) for name in columns]


def _view(name: str, catalog: Any, lang: str, compare: str | None) -> ColumnView:
    base, _, suffix = name.partition("__")
    metric = catalog.metrics.get(base) if catalog is not None else None
    if metric is None:
        dim = catalog.dimensions.get(name) if catalog is not None else None
        return ColumnView(_label(dim.label, lang, name) if dim else name)
    label = _label(metric.label, lang, base)
    kind = metric.value_type if metric.value_type in ("money", "count", "ratio") else "number"
    which = compare or "previous_period"
    if suffix == "change":
        sep = "" if lang == "zh" else " "
        return ColumnView(f"{label}{sep}{COMPARE_LABELS[which][lang]}", "change")
    if suffix in SUFFIX_LABELS:  # growth (absolute change), share of one value: issue 11
        words, suffix_kind = SUFFIX_LABELS[suffix]
        sep = "" if lang == "zh" else " "
        return ColumnView(f"{label}{sep}{words[lang]}", suffix_kind or kind)
    if suffix == "previous":
        if lang == "zh":
            return ColumnView(f"{label}（{PREVIOUS_LABELS[which][lang]}）", kind)
        return ColumnView(f"{label} ({PREVIOUS_LABELS[which][lang]})", kind)
    return ColumnView(label, kind)


def _label(labels: dict[str, str], lang: str, default: str) -> str:
    return labels.get(lang) or labels.get("en") or default


def format_value(value: Any, kind: str = "auto") -> str:
    """A value as a person reads it (no markup)."""
    if value is None:
        return "∅"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return str(value)
    if kind == "change":
        return change_text(float(value))
    if kind == "ratio":
        return f"{float(value) * 100:,.1f} %"
    if kind == "money":
        return f"{Decimal(str(value)):,.2f}"
    if kind == "count" or isinstance(value, int):
        return f"{value:,.0f}"
    if isinstance(value, Decimal):  # keeps its own scale: 170.30 stays 170.30
        return f"{value:,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) < 1e15 else str(value)


def change_text(change: float) -> str:
    """A relative change as '▲ 37.3 %', '▼ 12.0 %' or '0.0 %'."""
    pct = change * 100
    if round(pct, 1) == 0:
        return "0.0 %"
    return f"{'▲' if pct > 0 else '▼'} {abs(pct):,.1f} %"


def human_number(value: float, lang: str = "en") -> str:
    """A short axis label: 943k / 1.2M, or 94.3万 / 1.2亿 in Chinese."""
    sign, v = ("-" if value < 0 else ""), abs(float(value))
    steps = ((1e8, "亿"), (1e4, "万")) if lang == "zh" else ((1e9, "B"), (1e6, "M"), (1e3, "k"))
    for size, unit in steps:
        if v >= size:
            scaled = v / size  # three significant digits: 943k, 94.3万, 1.2M
            text = f"{scaled:.0f}" if scaled >= 100 else f"{scaled:.1f}".removesuffix(".0")
            return f"{sign}{text}{unit}"
    return f"{sign}{v:.0f}" if v >= 10 or v == int(v) else f"{sign}{v:.1f}"
