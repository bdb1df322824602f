"""The board's widgets: KPI tiles, the alert strip, the trend chart and small tables."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from shopql.insights.alerts import format_value
from shopql.tui.data import Overview, Tile


def change_text(change: float | None, label: str) -> Text:
    """'d/d +12%' in green when up, red when down, dim when there is nothing to compare."""
    if change is None:
        return Text(f"{label} –", style="dim")
    style = "green" if change > 0 else "red" if change < 0 else "dim"
    arrow = "▲" if change > 0 else "▼" if change < 0 else "="
    return Text(f"{label} {arrow}{abs(change) * 100:.0f}%", style=style)


class KpiTile(Static):
    """One KPI: label, today's value, change vs the same time yesterday (d/d) and last week (w/w)."""

    tile: reactive[Tile | None] = reactive(None, layout=False)
    """The KPI shown; None until the first refresh."""

    def __init__(self, metric: str, label: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metric = metric
        self.label = label

    def render(self) -> Text:
        text = Text(self.label + "\n", style="bold")
        tile = self.tile
        if tile is None:
            return text + Text("…")
        text += Text(format_value(tile.value, tile.value_type) + "\n", style="bold")
        text += (
            change_text(tile.vs_yesterday, "d/d")
            + Text("  ")
            + change_text(tile.vs_last_week, "w/w")
        )
        return text

    def watch_tile(self, tile: Tile | None) -> None:
        down = tile is not None and (tile.vs_yesterday or 0) < 0
        self.set_class(down, "-down")


class AlertStrip(Static):
    """Active alerts, highlighted; a quiet line when there are none."""

    count: reactive[int] = reactive(0)
    """How many firings are shown."""

    def show(self, view: Overview) -> None:
        self.count = len(view.alerts)
        if not view.alerts:
            note = (
                f" ({len(view.alert_errors)} rules could not be checked)"
                if view.alert_errors
                else ""
            )
            self.update(Text(f"✓ no active alerts{note}", style="dim"))
            return
        text = Text()
        for i, f in enumerate(view.alerts):
            where = f" [{f.key}]" if f.key else ""
            text += Text(f"{'' if i == 0 else chr(10)}▲ {f.severity.upper()} ", style="bold")
            text += Text(f"{f.rule}{where} ", style="bold")
            text += Text(f"{f.metric} {format_value(f.value, f.value_type)}: {f.reason}")
            if f.window_start.date() == f.window_end.date():
                text += Text(f" ({f.window_start:%H:%M}–{f.window_end:%H:%M})")
        self.update(text)

    def watch_count(self, count: int) -> None:
        self.set_class(count > 0, "-firing")


class TrendChart(PlotextPlot):
    """Paid GMV (left axis) and orders (right axis) per day over the last 30 days."""

    def show(self, view: Overview) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if not view.trend:
            return
        xs = list(range(len(view.trend)))
        gmv, orders = [g for _, g, _ in view.trend], [o for _, _, o in view.trend]
        plt.plot(xs, gmv, label="paid GMV", marker="braille")
        plt.plot(xs, orders, label="orders", yside="right", marker="braille")
        plt.ylim(0, max(gmv) * 1.05 or 1, yside="left")  # amounts start at zero
        plt.ylim(0, max(orders) * 1.05 or 1, yside="right")
        ticks = xs[::7]
        if xs[-1] - ticks[-1] < 4:  # two labels side by side would overlap: plotext drops one
            ticks.pop()
        ticks.append(xs[-1])
        plt.xticks(ticks, [view.trend[i][0].strftime("%m-%d") for i in ticks])
        plt.title("paid GMV & orders, 30 days")
        self.refresh()


def fill_table(table: DataTable[Any], columns: list[str], rows: list[list[Any]]) -> None:
    """Replace a table's columns and rows (numbers right-aligned)."""
    table.clear(columns=True)
    for name in columns:
        table.add_column(name, key=name)
    for row in rows:
        table.add_row(*[_cell(v) for v in row])


def _cell(value: Any) -> Any:
    if isinstance(value, Text):
        return value
    if value is None:
        return Text("∅", style="dim")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        shown = (
            f"{value:,.2f}"
            if isinstance(value, float) and not value.is_integer()
            else f"{value:,.0f}"
        )
        return Text(shown, justify="right")
    import decimal

    if isinstance(value, decimal.Decimal):
        return Text(f"{value:,}", justify="right")
    return str(value)


def short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
