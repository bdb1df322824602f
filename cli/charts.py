"""Terminal charts for an answer: a ranking as aligned horizontal bars (labels measured in
terminal cells, so Chinese labels line up), a trend as a plotext line; values in human units
(943k, 94.3万)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shopql.cli.display import human_number

WIDTH = 70
LABEL_MAX = 18  # cells
EIGHTHS = " ▏▎▍▌▋▊▉"


def result_chart(columns: list[str], rows: list[list[Any]], views: Any, lang: str) -> str:
    """A chart when it reads better (a trend: date + number; a ranking: label + number), else ''."""
    if len(columns) < 2 or not 2 <= len(rows) <= 40:
        return ""
    at = len(columns) - 1 if len(columns) == 2 else 1
    values = [r[at] for r in rows]
    if not all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in values):
        return ""
    labels = [str(r[0]) for r in rows]
    numbers = [float(v) for v in values]
    if labels[0][:4].isdigit() and "-" in labels[0]:
        return trend_chart(labels, numbers, lang)
    return bar_chart(labels[:15], numbers[:15], lang)


def fit_cells(text: str, width: int) -> str:
    """`text` cut to `width` terminal cells (a wide character counts two), then padded to it."""
    from rich.cells import cell_len

    if cell_len(text) > width:
        out = ""
        for ch in text:
            if cell_len(out + ch) > width - 1:
                break
            out += ch
        text = out + "…"
    return text + " " * (width - cell_len(text))


def bar_chart(labels: list[str], values: list[float], lang: str = "en") -> str:
    """One row per label: the label padded to a common cell width, a bar, the value."""
    from rich.cells import cell_len

    label_w = min(LABEL_MAX, max(cell_len(lbl) for lbl in labels))
    texts = [human_number(v, lang) for v in values]
    bar_w = max(10, WIDTH - label_w - 3 - max(len(t) for t in texts))
    top = max((abs(v) for v in values), default=0) or 1
    lines = []
    for label, value, text in zip(labels, values, texts, strict=True):
        eighths = round(abs(value) / top * bar_w * 8)
        bar = "█" * (eighths // 8) + (EIGHTHS[eighths % 8] if eighths % 8 else "")
        lines.append(f"{fit_cells(label, label_w)} │{bar} {text}")
    return "\n".join(lines)


def trend_chart(labels: list[str], values: list[float], lang: str = "en") -> str:
    """A line over time, the y axis in human units."""
    import plotext as plt

    plt.clear_figure()
    plt.plotsize(WIDTH, 14)
    plt.theme("clear")
    xs = list(range(len(values)))
    plt.plot(xs, values, marker="braille")
    step = max(1, len(labels) // 6)
    plt.xticks(xs[::step], [lbl[:10] for lbl in labels[::step]])
    low, high = min(values), max(values)
    ticks = [low + (high - low) * i / 4 for i in range(5)] if high > low else [low]
    plt.yticks(ticks, [human_number(t, lang) for t in ticks])
    return str(plt.build())
