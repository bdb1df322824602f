"""A cohort matrix as a rich table whose cells are shaded by value (the terminal heatmap).

Rich only (no click, no textual), so the board's Customers panel shows the same picture.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

# dark blue (low) -> teal -> bright green (high); readable with white or black text
LOW, HIGH = (24, 42, 84), (34, 197, 94)


def shade(share: float) -> str:
    """The background colour for a value at `share` (0..1) of the table's maximum."""
    share = min(max(share, 0.0), 1.0)
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(LOW, HIGH, strict=True))
    return f"on rgb({r},{g},{b})"


def heatmap(
    columns: list[str],
    rows: list[list[Any]],
    *,
    first_value: int,
    metric: str,
    title: str | None = None,
) -> Table:
    """Columns before `first_value` are labels; the rest are shaded relative to the largest value
    (for retention, outside period 0: always 100 %, it would flatten the scale)."""
    skip = first_value + (1 if metric == "retention" else 0)
    values = [_num(v) for r in rows for v in r[skip:] if v is not None]
    top = max((v for v in values if v is not None), default=0.0) or 1.0
    # no vertical rules: the shading separates the cells, and 13 months fit in 80 columns
    table = Table(title=title, header_style="bold cyan", box=box.SIMPLE_HEAD, pad_edge=False,
                  padding=(0, 0), collapse_padding=True)  # fmt: skip
    for i, name in enumerate(columns):
        header = "n" if name == "persons" else name
        justify = "left" if i < first_value - 1 else "right"
        table.add_column(header, justify=justify, no_wrap=True, min_width=4 if i else 0)
    for row in rows:
        cells: list[Any] = [_label(v, columns[-1].startswith("m")) for v in row[:first_value]]
        for k, value in enumerate(row[first_value:]):
            full = k == 0 and metric == "retention"
            cells.append(_cell(value, metric, 1.0 if full else (_num(value) or 0.0) / top))
        table.add_row(*cells)
    return table


def _cell(value: Any, metric: str, share: float) -> Text:
    if value is None:
        return Text("")
    shown = f"{float(value) * 100:.0f}%" if metric == "retention" else compact(float(value))
    shown = f" {shown}"
    return Text(shown, style=f"white {shade(share)}")


def compact(value: float) -> str:
    """647, 1.2k, 12k, 1.2M: four characters for an amount."""
    for size, unit in ((1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            scaled = value / size
            return f"{scaled:.1f}{unit}" if abs(scaled) < 10 else f"{scaled:.0f}{unit}"
    return f"{value:.0f}"


def _label(value: Any, month: bool) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m") if month else value.isoformat()
    if isinstance(value, int):
        return f" {value:,}"
    return "∅" if value is None else str(value)


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float | Decimal) else None
