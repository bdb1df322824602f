"""The board's widgets: KPI tiles, the alert strip, the trend chart and small tables."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Static
from textual_plotext import PlotextPlot

from shopql.cli.display import human_number, plain
from shopql.insights.alerts import format_value
from shopql.tui.data import Overview, Tile


def change_text(change: float | None, label: str) -> Text:
    """'d/d +12%' in green when up, red when down, dim when there is nothing to compare."""
    if change is None:
        return plain(f"{label} –", style="dim")
    style = "green" if change > 0 else "red" if change < 0 else "dim"
    arrow = "▲" if change > 0 else "▼" if change < 0 else "="
    return plain(f"{label} {arrow}{abs(change) * 100:.0f}%", style=style)


class KpiTile(Static):
    """One KPI: label, today's value, change vs the same time yesterday (d/d) and last week (w/w)."""

    tile: reactive[Tile | None] = reactive(None, layout=False)
    """The KPI shown; None until the first refresh."""

    def __init__(self, metric: str, label: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metric = metric
        self.label = label

    def render(self) -> Text:
        compact = self.size.height < 3  # a short terminal: label and value share a line
        text = Text(self.label + (" " if compact else "\n"), style="bold")
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
            self.update(plain(f"✓ no active alerts{note}", style="dim"))
            return
        text = Text()
        for i, f in enumerate(view.alerts):
            where = f" [{f.key}]" if f.key else ""
            text += plain(f"{'' if i == 0 else chr(10)}▲ {f.severity.upper()} ", style="bold")
            text += plain(f"{f.rule}{where} ", style="bold")
            text += plain(f"{f.metric} {format_value(f.value, f.value_type)}: {f.reason}")
            if f.window_start.date() == f.window_end.date():
                text += plain(f" ({f.window_start:%H:%M}–{f.window_end:%H:%M})")
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
        # no plotext legend: it draws the braille marker as its key ("L ⢕⢕"); the title names
        # the lines by colour instead
        plt.plot(xs, gmv, marker="braille", color="cyan")
        plt.plot(xs, orders, yside="right", marker="braille", color="orange")
        top_gmv, top_orders = max(gmv) * 1.05 or 1, max(orders) * 1.05 or 1
        plt.ylim(0, top_gmv, yside="left")  # amounts start at zero
        plt.ylim(0, top_orders, yside="right")
        for side, top in (("left", top_gmv), ("right", top_orders)):
            ticks = [top * i / 4 for i in range(5)]
            plt.yticks(ticks, [human_number(t) for t in ticks], yside=side)
        ticks = xs[::7]
        if xs[-1] - ticks[-1] < 4:  # two labels side by side would overlap: plotext drops one
            ticks.pop()
        ticks.append(xs[-1])
        plt.xticks(ticks, [view.trend[i][0].strftime("%m-%d") for i in ticks])
        plt.title("GMV (cyan, left) · orders (orange)")
        self.refresh()


def fill_table(
    table: DataTable[Any],
    columns: list[str],
    rows: list[list[Any]],
    keys: list[str] | None = None,
) -> None:
    """Replace a table's columns and rows (numbers right-aligned); `keys` name the rows (what a
    drill-down filters on: the whole product title, not the shortened one shown)."""
    table.clear(columns=True)
    for name in columns:
        table.add_column(plain(name), key=name)
    for i, row in enumerate(rows):
        key = keys[i] if keys is not None and keys[i] not in keys[:i] else None
        table.add_row(*[_cell(v) for v in row], key=key)


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
        return plain(f"{value:,}", justify="right")
    return plain(value)  # a bare str would be parsed as markup by the DataTable


def short(text: str, width: int) -> str:
    """`text` in at most `width` terminal cells (a Chinese character takes two)."""
    from rich.cells import cell_len, set_cell_size

    return text if cell_len(text) <= width else set_cell_size(text, width - 1).rstrip() + "…"


class HistoryInput(Input):
    """An Input that remembers what was submitted: ↑/↓ walk back and forth through it. The
    history is kept in a file (prompt_toolkit's format, shared with `shopql chat`)."""

    BINDINGS = [
        Binding("up", "older", "Older question", show=False),
        Binding("down", "newer", "Newer question", show=False),
    ]

    def __init__(self, history_file: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.history_file = history_file
        self.history: list[str] = []  # oldest first
        self._at: int | None = None  # index being shown; None: the line being typed

    def on_mount(self) -> None:
        if self.history_file is not None:
            from prompt_toolkit.history import FileHistory

            # load_history_strings yields newest first
            self.history = list(
                reversed(list(FileHistory(str(self.history_file)).load_history_strings()))
            )

    def remember(self, text: str) -> None:
        """Add a submitted line (not twice in a row) and store it."""
        self._at = None
        if not text or (self.history and self.history[-1] == text):
            return
        self.history.append(text)
        if self.history_file is not None:
            from prompt_toolkit.history import FileHistory

            self.history_file.parent.mkdir(parents=True, exist_ok=True)
            FileHistory(str(self.history_file)).store_string(text)

    def action_older(self) -> None:
        if not self.history:
            return
        self._at = len(self.history) - 1 if self._at is None else max(0, self._at - 1)
        self._show(self.history[self._at])

    def action_newer(self) -> None:
        if self._at is None:
            return
        self._at += 1
        if self._at >= len(self.history):
            self._at = None
            self._show("")
        else:
            self._show(self.history[self._at])

    def _show(self, text: str) -> None:
        self.value = text
        self.cursor_position = len(text)
