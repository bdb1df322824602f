"""`shopql board`: the live dashboard. Overview (KPI tiles, trend, breakdowns, alerts), Ask and
Customers tabs. Every query runs in a worker thread on a read-only connection opened for that
refresh, so the UI never waits on DuckDB and a `shopql sync` can write between refreshes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Static,
    TabbedContent,
    TabPane,
)
from textual.worker import Worker, WorkerState

from shopql.cli.display import plain, printable
from shopql.errors import ShopqlError, WorkspaceError
from shopql.insights.alerts import format_value
from shopql.tui.data import KPIS, Focus, Overview, OverviewLoader
from shopql.tui.panels import AskResult
from shopql.tui.widgets import (
    AlertStrip,
    HistoryInput,
    KpiTile,
    TrendChart,
    fill_table,
    short,
)
from shopql.warehouse.workspace import history_path

Clock = Callable[[], dt.datetime]
THEMES = ("textual-dark", "textual-light")
MIN_GAP_S = 0.5  # between the end of one refresh and the start of the next: a sync gets its turn
DRILL_TABLES = {"platforms": "platform", "channels": "payment_channel", "products": "product_title"}


class BoardApp(App[None]):
    """The shopql board."""

    CSS_PATH = "board.tcss"
    TITLE = "shopql board"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (150, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # short: two-line tiles, lower chart
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("f1", "show_tab('overview')", "Overview"),
        Binding("f2", "show_tab('ask')", "Ask"),
        Binding("f3", "show_tab('customers')", "Customers"),
        Binding("f5", "refresh", "Refresh"),
        Binding("f6", "toggle_theme", "Theme"),
        Binding("escape", "clear_focus", "Back", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("r", "refresh", "Refresh", show=False),
        Binding("t", "toggle_theme", "Theme", show=False),
        Binding("q", "quit", "Quit", show=False),
    ]

    overview: reactive[Overview | None] = reactive(None, init=False, always_update=True)
    """The last overview loaded; None before the first refresh."""
    busy: reactive[bool] = reactive(False, init=False)
    """True while the warehouse is locked by a writer (a sync): the last numbers stay shown."""
    focus: reactive[Focus | None] = reactive(None, init=False)
    """The drill-down (Enter on a platform, channel or product row); Esc clears it."""

    def __init__(
        self,
        settings: Any,
        *,
        refresh_s: float = 30.0,
        now: Clock | None = None,
        theme: str = "textual-dark",
        anchor: bool = True,
    ) -> None:
        super().__init__()
        from shopql.insights.alerts import now_in

        self.settings = settings
        self.refresh_s = refresh_s
        self.now: Clock = now or (lambda: now_in(settings.timezone))
        self._loader: OverviewLoader | None = None
        self.anchor = anchor  # show the data's last day when 'now' has none (not under --at)
        self._loading = False  # a refresh is running: another request waits for it (F5 spam)
        self._pending = False
        self._last_done = 0.0
        self.min_gap_s = MIN_GAP_S
        self._ask_ws: Any = None  # the question engines' workspace, loaded on the first question
        self._last_answer: AskResult | None = None  # follow-up questions build on it
        self.theme = theme
        self.sub_title = settings.workspace.name

    # -- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="overview"):
            with TabPane("Overview", id="overview"):
                yield from self._overview()
            with TabPane("Ask", id="ask"):
                yield from self._ask()
            with TabPane("Customers", id="customers"):
                yield from self._customers()
        yield Static("loading…", id="status")
        yield Footer()

    def _overview(self) -> ComposeResult:
        with VerticalScroll(id="overview-body"):
            with Vertical(id="tiles"):
                for metric, label in KPIS:
                    yield KpiTile(metric, label, id=f"tile-{metric}")
            yield AlertStrip("…", id="alerts")
            with Horizontal(id="middle"):
                yield TrendChart(id="trend")
                with Vertical(classes="panel-table"):
                    yield Label("Platforms today", id="platforms-title", classes="panel-title")
                    yield DataTable(id="platforms", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="bottom"):
                with Vertical(classes="panel-table"):
                    yield Label(
                        "Payment success by channel today",
                        id="channels-title",
                        classes="panel-title",
                    )
                    yield DataTable(id="channels", cursor_type="row", zebra_stripes=True)
                with Vertical(classes="panel-table"):
                    yield Label("Top products today", id="products-title", classes="panel-title")
                    yield DataTable(id="products", cursor_type="row", zebra_stripes=True)

    def _ask(self) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield HistoryInput(
                history_file=history_path(self.settings.workspace, "chat"),
                placeholder="Ask a question (EN/中文) or type SQL, then Enter; ↑ ↓ history",
                id="ask-input",
            )
        yield Static("", id="ask-understood")
        yield Static("", id="ask-sql")
        yield DataTable(id="ask-table", zebra_stripes=True)

    def _customers(self) -> ComposeResult:
        from shopql.tui.customers import AudiencePanel

        with Horizontal(classes="form-row"):
            yield Input(placeholder="OneID, customer id, phone, e-mail or nick, then Enter",
                        id="customer-input")  # fmt: skip
        with VerticalScroll(id="customers-body"):  # the overview and a person: scrolls at 80×24
            yield AudiencePanel(self.settings, self.refresh_s, id="audience")
            yield Static("", id="customer-head")
            yield DataTable(id="customer-accounts", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="customer-products", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.action_refresh()
        if self.refresh_s > 0:
            self.set_interval(self.refresh_s, self.action_refresh)

    # -- actions ----------------------------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        """Switch tab and put the cursor where typing goes."""
        self.query_one(TabbedContent).active = tab
        if tab == "ask":
            self.query_one("#ask-input", Input).focus()
        elif tab == "customers":
            self.query_one("#customer-input", Input).focus()

    def action_toggle_theme(self) -> None:
        """Light ↔ dark."""
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    def action_refresh(self) -> None:
        """Reload the overview in a worker; input stays live meanwhile. While one refresh runs,
        more requests (F5 pressed again) become one refresh after it, at least MIN_GAP_S later:
        the board never opens two readers at once nor starves a sync of the file."""
        import time

        wait = self._last_done + self.min_gap_s - time.monotonic()
        if self._loading or wait > 0:
            if not self._pending:
                self._pending = True
                self.set_timer(max(wait, self.min_gap_s), self._refresh_pending)
            return
        self._loading = True
        self.load_overview(self.focus)

    @property
    def refreshing(self) -> bool:
        """A refresh is running or due (requested while one ran, or too soon after one)."""
        return self._loading or self._pending

    def _refresh_pending(self) -> None:
        if self._loading:  # still running: try again when the gap after it has passed
            self.set_timer(self.min_gap_s, self._refresh_pending)
            return
        self._pending = False
        self.action_refresh()

    def _refresh_done(self) -> None:
        import time

        self._loading = False
        self._last_done = time.monotonic()

    def action_clear_focus(self) -> None:
        """Esc: back from a drill-down to the whole shop."""
        if self.focus is not None:
            self.focus = None

    def watch_focus(self, focus: Focus | None) -> None:
        self._status(f"loading {focus.describe()}…" if focus else "loading the whole shop…")
        self.action_refresh()

    @on(DataTable.RowSelected)
    def _drill_down(self, event: DataTable.RowSelected) -> None:
        dimension = DRILL_TABLES.get(event.data_table.id or "")
        if dimension is None or event.row_key.value is None:
            return
        self.focus = Focus(dimension, str(event.row_key.value))

    # -- overview ---------------------------------------------------------------------------------

    @work(thread=True, group="overview", exit_on_error=False)
    def load_overview(self, focus: Focus | None = None) -> None:
        at = self.now()
        try:
            if self._loader is None:
                self._loader = OverviewLoader(self.settings)
            view = self._loader.load(at, anchor=self.anchor, focus=focus)
        except WorkspaceError as e:
            if "writing" not in (e.hint or ""):
                raise
            self.call_from_thread(self._set_busy, at)
            return
        finally:
            self.call_from_thread(self._refresh_done)
        self.call_from_thread(self._set_overview, view)

    def _set_busy(self, at: dt.datetime) -> None:
        self.busy = True
        self._status(
            f"syncing… the warehouse is busy at {at:%H:%M:%S}; retrying next refresh", busy=True
        )

    def _set_overview(self, view: Overview) -> None:
        self.busy = False
        self.overview = view

    def watch_overview(self, view: Overview | None) -> None:
        if view is None:
            return
        for tile in view.tiles:
            self.query_one(f"#tile-{tile.metric}", KpiTile).tile = tile
        self.query_one(AlertStrip).show(view)
        self.query_one(TrendChart).show(view)
        self._fill_breakdowns(view)
        self.sub_title = printable(board_subtitle(self.settings.workspace.name, view))
        every = f" · every {self.refresh_s:g}s" if self.refresh_s > 0 else ""
        day = "that day" if view.anchored else "today"
        status = (
            f"data ends {view.data_end:%Y-%m-%d %H:%M} · showing that day · --at to choose · "
            if view.anchored and view.data_end
            else ""
        )
        status += f"{day} until {view.at:%H:%M:%S} · d/d w/w: vs 1 and 7 days before"
        status += f" · Enter on a row: drill down{every}"
        if view.focus is not None:
            status = f"{view.focus.describe()} · Esc: whole shop · " + status
            if view.unavailable:
                status += f" · not split by {view.focus.dimension}: {', '.join(view.unavailable)}"
        self._status(status)

    def _fill_breakdowns(self, view: Overview) -> None:
        day = "that day" if view.anchored else "today"
        for table, title in (
            ("platforms", "Platforms"),
            ("channels", "Payment success by channel"),
            ("products", "Top products"),
        ):
            self.query_one(f"#{table}-title", Label).update(f"{title} {day}")
        fill_table(
            self.query_one("#platforms", DataTable),
            ["platform", "GMV", "paid"],
            [[p, round(g), n] for p, g, n in view.platforms],
            keys=[p for p, _, _ in view.platforms],
        )
        fill_table(
            self.query_one("#channels", DataTable),
            ["channel", "success", "tries"],
            [[c, _rate(r, n), n] for c, r, n in view.channels],
            keys=[c for c, _, _ in view.channels],
        )
        fill_table(
            self.query_one("#products", DataTable),
            ["product", "GMV", "units"],
            [[short(t, 24), round(g), u] for t, g, u in view.products],
            keys=[t for t, _, _ in view.products],
        )

    def _status(self, text: str, busy: bool = False) -> None:
        status = self.query_one("#status", Static)
        # it may name a drill-down value (a product title): plain content, never markup
        status.update(Content(printable(text)))
        status.set_class(busy, "-busy")

    # -- ask --------------------------------------------------------------------------------------

    @on(Input.Submitted, "#ask-input")
    def _ask_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.query_one("#ask-input", HistoryInput).remember(event.value.strip())
            self.query_one("#ask-understood", Static).update(Text("thinking…", style="dim"))
            self.run_ask(event.value.strip())

    @work(thread=True, exclusive=True, group="ask", exit_on_error=False)
    def run_ask(self, text: str) -> None:
        from shopql.tui.panels import ask, question_workspace

        try:
            today = self.now().date()
            if self._ask_ws is None or self._ask_ws.today != today:
                self._ask_ws = question_workspace(self.settings, today)
            result = ask(self.settings, text, workspace=self._ask_ws,
                         previous=self._last_answer)  # fmt: skip
        except Exception as e:  # shown in the panel; the board keeps running
            self.call_from_thread(self._ask_failed, _as_user_error(e))
            return
        self.call_from_thread(self._show_answer, result)

    def _ask_failed(self, e: ShopqlError) -> None:
        hint = f"\n{e.hint}" if e.hint else ""
        self.query_one("#ask-understood", Static).update(plain(f"✗ {e.message}{hint}", style="red"))
        self.query_one("#ask-sql", Static).update("")
        self.query_one("#ask-table", DataTable).clear(columns=True)

    def _show_answer(self, result: AskResult) -> None:
        if result.query is not None:
            self._last_answer = result
        lines = plain(f"{result.engine}: ", style="bold")
        lines += plain("; ".join(result.understood) or result.question)
        for note in result.notes[:2]:  # the definitions (口径) used, first
            lines += plain("\n" + short(note, 160), style="dim")
        self.query_one("#ask-understood", Static).update(lines)
        self.query_one("#ask-sql", Static).update(Syntax(result.sql, "sql", word_wrap=True))
        labels, rows = readable_answer(result, self._ask_ws.catalog if self._ask_ws else None)
        fill_table(self.query_one("#ask-table", DataTable), labels, rows)

    # -- customers --------------------------------------------------------------------------------

    @on(Input.Submitted, "#customer-input")
    def _customer_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.look_up(event.value.strip())

    @work(thread=True, exclusive=True, group="customer", exit_on_error=False)
    def look_up(self, ref: str) -> None:
        from shopql.tui.panels import customer

        try:
            view = customer(self.settings, ref)
        except Exception as e:
            self.call_from_thread(self._customer_failed, _as_user_error(e))
            return
        self.call_from_thread(self._show_customer, view)

    def _customer_failed(self, e: ShopqlError) -> None:
        hint = f"\n{e.hint}" if e.hint else ""
        self.query_one("#customer-head", Static).update(plain(f"✗ {e.message}{hint}", style="red"))
        for table in ("#customer-accounts", "#customer-products"):
            self.query_one(table, DataTable).clear(columns=True)

    def _show_customer(self, view: dict[str, Any]) -> None:
        head = plain(f"{view['one_id']}", style="bold")
        head += plain(
            f"  {len(view['accounts'])} accounts on {', '.join(view['platforms']) or '–'}"
        )
        spend = view.get("spend")
        head += Text(
            f"\n{view.get('orders', 0)} orders, {view.get('paid_orders', 0)} paid, spend "
            f"{format_value(float(spend) if spend is not None else None, 'money')} "
            f"{view.get('currency') or ''}, refunds {format_value(float(view.get('refund_amount') or 0), 'money')}"
        )
        if view.get("first_order_at"):
            head += Text(
                f"\nfirst order {view['first_order_at']:%Y-%m-%d}, last {view['last_order_at']:%Y-%m-%d}"
            )
        self.query_one("#customer-head", Static).update(head)
        fill_table(
            self.query_one("#customer-accounts", DataTable),
            ["account", "platform", "nick", "phone", "orders", "city"],
            [[a["customer_id"], a["platform"], a["nick"], a["phone"], a["orders"], a["city"]]
             for a in view["accounts"]],
        )  # fmt: skip
        fill_table(
            self.query_one("#customer-products", DataTable),
            ["top product", "qty", "spend"],
            [[short(str(p["title"] or p["product_id"]), 40), p["quantity"], p["spend"]]
             for p in view["top_products"]],
        )  # fmt: skip

    # -- errors -----------------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place for unexpected worker failures: say it in the status line, keep running."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            message = (
                error.message
                if isinstance(error, ShopqlError)
                else f"{type(error).__name__}: {error}"
            )
            self._status(f"✗ {message}", busy=True)


def readable_answer(result: AskResult, catalog: Any) -> tuple[list[str], list[list[Any]]]:
    """An answer's columns as catalog labels in the question's language and its numbers as
    people read them (money 1,080.00, rates and changes in %), as the CLI's tables show them."""
    from decimal import Decimal

    from shopql.cli.display import column_views, format_value, language_of

    lang = language_of(result.question)
    views = column_views(result.columns, catalog, lang, getattr(result.query, "compare", None))
    rows = [
        [
            Text(format_value(v, view.kind), justify="right")
            if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)
            else v
            for v, view in zip(row, views, strict=True)
        ]
        for row in result.rows
    ]
    return [v.label for v in views], rows


def board_subtitle(workspace: str, view: Overview) -> str:
    """The header's second part: the moment shown, and why when it is not now."""
    parts = [workspace]
    if view.anchored and view.data_end is not None:
        parts.append(f"data ends {view.data_end:%Y-%m-%d %H:%M} · showing that day")
    else:
        parts.append(f"{view.at:%Y-%m-%d %H:%M}")
    if view.focus is not None:
        parts.append(view.focus.describe())
    return " · ".join(parts)


def _as_user_error(e: Exception) -> ShopqlError:
    if isinstance(e, ShopqlError):
        return e
    first = str(e).splitlines()[0] if str(e) else ""
    return ShopqlError(f"{type(e).__name__}: {first}", "the warehouse may be busy; try again")


def _rate(rate: float | None, attempts: float) -> Text:
    if rate is None:
        return Text("–", style="dim")
    style = "bold red" if rate < 0.5 and attempts >= 10 else ""
    return plain(f"{rate * 100:.1f}%", style=style, justify="right")
