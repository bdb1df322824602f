"""The Customers tab's audience overview: RFM segment sizes, lifecycle stages and a cohort
retention heatmap, above the person lookup.

`load_audience` is the data function (no Textual: a read-only connection opened and closed per
load); `AudiencePanel` renders it and reloads itself in a worker thread. RFM segments and
lifecycle stages come from the person tags table that `shopql tags refresh` writes; until it
exists those tiles say so, and the heatmap still shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from shopql.cli.display import plain
from shopql.errors import ShopqlError, WorkspaceError

NO_TAGS = "run `shopql tags refresh` to see them"


@dataclass
class AudienceView:
    """What the panel shows; None for a part that cannot be computed (with the reason)."""

    rfm: list[tuple[str, int]] | None = None
    lifecycle: list[tuple[str, int]] | None = None
    cohort_columns: list[str] = field(default_factory=list)
    cohort_rows: list[list[Any]] = field(default_factory=list)
    cohort_note: str | None = None


def load_audience(settings: Any, cohorts: int = 6, periods: int = 6) -> AudienceView:
    """Segment and stage sizes from the tags table (when there is one) and the retention of the
    last `cohorts` monthly cohorts over their first `periods` months."""
    from shopql.insights.cohort import cohort_table
    from shopql.insights.purchases import find_tag_source
    from shopql.warehouse.connection import open_reader

    view = AudienceView()
    con = open_reader(settings.warehouse_path)
    try:
        tags = find_tag_source(con)
        if tags is not None:
            view.rfm = _sizes(con, tags.table, tags.rfm_segment)
            view.lifecycle = _sizes(con, tags.table, tags.lifecycle)
        try:
            table = cohort_table(con, "month")
        except ShopqlError as e:
            view.cohort_note = e.message
        else:
            columns, rows = table.matrix("retention", periods)
            view.cohort_columns, view.cohort_rows = columns, rows[-cohorts:]
    finally:
        con.close()
    return view


def _sizes(con: Any, table: str, column: str | None) -> list[tuple[str, int]] | None:
    from shopql.insights.purchases import quoted

    if column is None:
        return None
    rows = con.execute(
        f"SELECT coalesce({quoted(column)}::VARCHAR, '(none)'), count(DISTINCT one_id) "
        f"FROM {quoted(table)} GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    return [(str(name), int(n)) for name, n in rows]


def sizes_table(title: str, sizes: list[tuple[str, int]] | None, width: int = 0) -> RenderableType:
    """Group sizes with their share of persons (when `width` leaves room for it), or what to do
    when there are none yet."""
    if sizes is None:
        return Text.assemble((title + "\n", "bold"), (NO_TAGS, "dim"))
    total = sum(n for _, n in sizes) or 1
    table = Table(title=title, title_justify="left", box=None, padding=(0, 1), show_header=False)
    table.add_column("name", no_wrap=True, overflow="ellipsis", ratio=1)  # gives way first
    table.add_column("persons", justify="right", no_wrap=True)
    share = width == 0 or width >= 26
    if share:
        table.add_column("share", justify="right", style="dim", no_wrap=True)
    for name, n in sizes:
        table.add_row(plain(name), f"{n:,}", *([f"{n / total * 100:.0f}%"] if share else []))
    return table


def heatmap_renderable(view: AudienceView, width: int = 0) -> RenderableType:
    """The retention heatmap, with as many periods as fit in `width` columns (0: all)."""
    from shopql.cli.heatmap import heatmap

    if not view.cohort_rows:
        note = view.cohort_note or "no cohorts yet"
        return Text.assemble(("Cohort retention\n", "bold"), (note, "dim"))
    keep = len(view.cohort_columns)
    if width > 0:  # cohort and size take about 15 columns, a period 5
        keep = min(keep, 2 + max(1, (width - 15) // 5))
    return heatmap(
        view.cohort_columns[:keep],
        [r[:keep] for r in view.cohort_rows],
        first_value=2,
        metric="retention",
        title="Cohort retention (monthly)",
    )


class AudiencePanel(Horizontal):
    """Three tiles: RFM segments, lifecycle stages, cohort heatmap. Reloads on its own timer."""

    def __init__(self, settings: Any, refresh_s: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings
        self.refresh_s = refresh_s
        self.view: AudienceView | None = None

    def compose(self) -> ComposeResult:
        yield Static("RFM segments …", id="rfm-sizes", classes="audience-tile")
        yield Static("Lifecycle …", id="lifecycle-stages", classes="audience-tile")
        yield Static("Cohort retention …", id="cohort-heatmap", classes="audience-tile")

    def on_mount(self) -> None:
        self.reload()
        if self.refresh_s > 0:
            self.set_interval(self.refresh_s, self.reload)

    @work(thread=True, exclusive=True, group="audience", exit_on_error=False)
    def reload(self) -> None:
        """Load in a thread; while a sync holds the warehouse, keep what is shown."""
        try:
            view = load_audience(self.settings)
        except WorkspaceError as e:
            if "writing" in (e.hint or ""):
                return
            view = AudienceView(cohort_note=e.message)
        self.app.call_from_thread(self.show, view)

    def show(self, view: AudienceView) -> None:
        self.view = view
        for tile_id, title, sizes in (
            ("#rfm-sizes", "RFM segments", view.rfm),
            ("#lifecycle-stages", "Lifecycle stages", view.lifecycle),
        ):
            tile = self.query_one(tile_id, Static)
            tile.update(sizes_table(title, sizes, tile.content_size.width))
        tile = self.query_one("#cohort-heatmap", Static)
        tile.update(heatmap_renderable(view, tile.content_size.width))
