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

# The one path for text from strangers (warehouse values, file names, messages quoting them) on
# the way to a terminal, in the CLI and the board alike: C0/C1 control characters (ESC starts
# ANSI CSI and OSC 8 hyperlinks / window titles; U+009B is CSI on its own) and the bidi and
# direction marks that reorder what is shown (Trojan Source: ‮ turns "txt.exe" around) are
# shown escaped, never sent; Rich markup in such text is shown, never obeyed.
_UNSAFE = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in "\n\t"}
_UNSAFE.update(
    {
        c: f"\\u{c:04x}"
        for c in [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
    }
)


def printable(text: str) -> str:
    """`text` with control characters and bidi marks shown as ``\\x1b`` / ``\\u202e`` instead
    of sent to the terminal: a stranger's file name or cell can hold escape sequences (window
    title, colours, cursor, hyperlinks)."""
    return text.translate(_UNSAFE)


def markup_safe(value: Any) -> str:
    """`value` as text to put inside a Rich markup string: printable, its markup escaped."""
    from rich.markup import escape

    return escape(printable(str(value)))


def plain(value: Any, style: str = "", **kwargs: Any) -> Any:
    """`value` as a rich Text (never parsed as markup: Textual parses a bare str), printable."""
    from rich.text import Text

    return Text(printable(str(value)), style=style, **kwargs)


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
    # "8月比7月少了几单": the difference the way the sentence asks it (the earlier minus the later)
    "asked": ({"en": "difference as asked", "zh": "按问法的差额"}, None),
    "total": ({"en": "(all)", "zh": "（全部）"}, None),
    "share": ({"en": "share", "zh": "占比"}, "ratio"),
    # a value's share in two periods (nlq/comparisons._share_compared): the earlier's, the change
    "share__previous": ({"en": "share (compared with)", "zh": "占比（对比期）"}, "ratio"),
    "share__change_pp": ({"en": "share change (points)", "zh": "占比变化（百分点）"}, "number"),
    # the average per unit of a period (SemanticQuery.of_groups "mean"): 12.5 orders a day
    "daily_avg": ({"en": "(daily average)", "zh": "（日均）"}, "average"),
    "weekly_avg": ({"en": "(weekly average)", "zh": "（周均）"}, "average"),
    "monthly_avg": ({"en": "(monthly average)", "zh": "（月均）"}, "average"),
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


# the segment naming the other time a distinct count is dated by (catalog.families.dated_by):
# `seller_count__by_paid_date__change` is seller_count's change, said as seller_count's
_DATED_BY = re.compile(r"__by_[a-z0-9_]+?(?=__|$)")


def _view(name: str, catalog: Any, lang: str, compare: str | None) -> ColumnView:
    base, _, suffix = _DATED_BY.sub("", name).partition("__")
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
        if suffix_kind == "average":  # money stays money; an average count is not whole
            suffix_kind = "money" if kind == "money" else "number"
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
