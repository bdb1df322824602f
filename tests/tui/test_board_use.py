"""The board in everyday use: it shows the data's last day when 'now' has none, drills down into
a platform, channel or product and back, keeps the Ask history, and refreshes a hundred times in
a row while `shopql sync` writes in another process — both succeed."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.tui.shop import AT
from tests.tui.test_board import make_app, metric_values, run_board, settle

pytest.importorskip("textual")

AFTER = dt.datetime(2026, 11, 13, 9, 30)  # three days after the shop's last order


def tiles(app: Any) -> dict[str, Any]:
    return {t.metric: t.value for t in app.overview.tiles}


def test_board_anchors_on_the_last_data_when_now_has_none(shop: Path) -> None:
    from shopql.warehouse.connection import open_reader
    from shopql.warehouse.freshness import latest_data_time

    con = open_reader(shop / "warehouse.duckdb")
    end = latest_data_time(con)
    con.close()
    assert end is not None and end.date() == AT.date()
    expected = metric_values(shop, dt.datetime.combine(end.date(), dt.time()), end)
    got: dict[str, Any] = {}

    async def body(pilot: Any) -> None:
        got["tiles"] = tiles(pilot.app)
        got["view"] = pilot.app.overview
        got["title"] = pilot.app.sub_title
        got["status"] = str(pilot.app.query_one("#status").render())

    run_board(make_app(shop, AFTER), body)
    assert got["view"].anchored and got["view"].at == end
    assert got["tiles"] == expected and got["tiles"]["orders"] == 24
    assert f"data ends {end:%Y-%m-%d %H:%M} · showing that day" in got["title"]
    assert got["status"].startswith(f"data ends {end:%Y-%m-%d %H:%M} · showing that day · --at")


def test_board_at_a_chosen_moment_does_not_move(shop: Path) -> None:
    """`shopql board --at T` shows T even when T has no data (anchor off)."""
    from shopql.config import load_settings
    from shopql.tui.app import BoardApp

    got: dict[str, Any] = {}

    async def body(pilot: Any) -> None:
        got["view"] = pilot.app.overview

    app = BoardApp(load_settings(shop), refresh_s=0, now=lambda: AFTER, anchor=False)
    run_board(app, body)
    assert not got["view"].anchored and got["view"].at == AFTER
    assert got["view"].tiles[1].value == 0  # no orders that morning


def test_enter_drills_down_and_esc_goes_back(shop: Path) -> None:
    from shopql.catalog import Filter, SemanticQuery, TimeRange, compile_query, load_catalog
    from shopql.tui.data import KPIS
    from shopql.warehouse.connection import open_reader

    midnight = dt.datetime.combine(AT.date(), dt.time())
    query = SemanticQuery(
        metrics=tuple(m for m, _ in KPIS),
        time_range=TimeRange(midnight, AT),
        filters=(Filter("platform", "=", ("jd",)),),
    )
    compiled = compile_query(load_catalog(shop), query, today=AT.date())
    con = open_reader(shop / "warehouse.duckdb")
    row = con.execute(compiled.sql).fetchone()
    con.close()
    jd = {c: None if v is None else float(v) for c, v in zip(compiled.columns, row, strict=True)}
    whole = metric_values(shop, midnight, AT)
    got: dict[str, Any] = {}

    async def body(pilot: Any) -> None:
        app = pilot.app
        table = app.query_one("#platforms")
        platforms = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        table.focus()
        await pilot.press(*["down"] * platforms.index("jd"), "enter")
        await settle(pilot)
        got["focused"] = tiles(app)
        got["platforms"] = [r[0] for r in app.overview.platforms]
        got["title"] = app.sub_title
        await pilot.press("escape")
        await settle(pilot)
        got["back"] = tiles(app)
        got["focus"] = app.focus

    run_board(make_app(shop), body)
    assert got["focused"] == jd and got["focused"] != got["back"]
    assert got["platforms"] == ["jd"]
    assert "platform = jd" in got["title"]
    assert got["back"] == whole and got["focus"] is None


def test_product_drill_down_says_what_it_cannot_split(shop: Path) -> None:
    got: dict[str, Any] = {}

    async def body(pilot: Any) -> None:
        app = pilot.app
        app.query_one("#products").focus()
        await pilot.press("enter")
        await settle(pilot)
        got["view"] = app.overview
        got["status"] = str(app.query_one("#status").render())

    run_board(make_app(shop), body)
    view = got["view"]
    assert view.focus.dimension == "product_title"
    assert [p for p, _, _ in view.products] == [view.focus.value]
    # payments of the orders that hold the product, each once (an average or count over a
    # many-valued filter takes each row once since session 10): no longer unavailable
    assert "payment_success_rate" not in view.unavailable
    assert ("not split by product_title" in got["status"]) == bool(view.unavailable)


def test_ask_panel_keeps_a_history(shop: Path, tmp_path: Path) -> None:
    from shopql.warehouse.workspace import history_path

    ws = tmp_path / "shop"
    shutil.copytree(shop, ws)
    got: dict[str, Any] = {}

    async def ask_two(pilot: Any) -> None:
        await pilot.press("f2")
        box = pilot.app.query_one("#ask-input")
        for text in ("select count(*) from orders", "select 2"):
            box.value = text
            await pilot.press("enter")
            await settle(pilot)
        await pilot.press("up")
        got["up1"] = box.value
        await pilot.press("up")
        got["up2"] = box.value
        await pilot.press("down", "down")
        got["down"] = box.value

    run_board(make_app(ws), ask_two)
    assert (got["up1"], got["up2"], got["down"]) == ("select 2", "select count(*) from orders", "")

    async def later(pilot: Any) -> None:  # a new board remembers
        await pilot.press("f2", "up")
        got["later"] = pilot.app.query_one("#ask-input").value

    run_board(make_app(ws), later)
    assert got["later"] == "select 2"
    assert history_path(ws, "chat").is_file()


SYNC_FOLDERS = ["douyin", "jd", "youzan"]


def start_sync(ws: Path) -> subprocess.Popen[str]:
    """`shopql sync` of three fixture folders in another process (a few seconds of writing)."""
    from tests.conftest import FIXTURES

    return subprocess.Popen(
        [sys.executable, "-m", "shopql.cli", "--workspace", str(ws), "sync",
         *[str(FIXTURES / f) for f in SYNC_FOLDERS]],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_f5_pressed_a_hundred_times_while_sync_runs(shop: Path, tmp_path: Path) -> None:
    """F5 a hundred times in a row while `shopql sync` writes in another process: the presses
    become one refresh at a time (never two readers at once), every status is the numbers or
    "syncing…" (never an error), the sync exits 0, and the next refresh shows what it loaded."""
    import threading

    from shopql.tui.data import OverviewLoader

    ws = tmp_path / "shop"
    shutil.copytree(shop, ws)
    states: list[str] = []
    running, most = [0], [0]
    guard = threading.Lock()

    async def body(pilot: Any) -> None:
        app = pilot.app
        loader = OverviewLoader(app.settings, rules=[])  # the alert rules are tested elsewhere
        load = loader.load

        def counted(*args: Any, **kwargs: Any) -> Any:
            with guard:
                running[0] += 1
                most[0] = max(most[0], running[0])
            try:
                return load(*args, **kwargs)
            finally:
                with guard:
                    running[0] -= 1

        loader.load = counted  # type: ignore[method-assign]
        app._loader = loader
        sync = start_sync(ws)
        for _ in range(100):
            await pilot.press("f5")
            states.append(str(app.query_one("#status").render()))
        while sync.poll() is None:
            await pilot.press("f5")
            await settle(pilot)
            states.append(str(app.query_one("#status").render()))
        assert sync.returncode == 0, sync.communicate()[1]
        await pilot.press("f5")
        await settle(pilot)
        states.append(str(app.query_one("#status").render()))

    run_board(make_app(ws, AT), body)
    assert most[0] == 1
    assert not [s for s in states if "✗" in s], states
    assert states[-1].startswith("today until")
    from tests.sync.test_bad_input import query

    assert query(ws, "select count(distinct platform) from orders")[0][0] >= 4


def test_a_hundred_reader_cycles_in_a_row_let_a_sync_through(shop: Path, tmp_path: Path) -> None:
    """What one board refresh does to the file — open a reader, read, close — a hundred times in
    a row with the board's gap between refreshes, while a sync writes: every cycle reads or finds
    the warehouse busy (a WorkspaceError saying so), and the sync exits 0."""
    import time

    from shopql.errors import WorkspaceError
    from shopql.tui.app import MIN_GAP_S
    from shopql.warehouse.connection import open_reader
    from shopql.warehouse.freshness import latest_data_time

    ws = tmp_path / "shop"
    shutil.copytree(shop, ws)
    sync = start_sync(ws)
    outcomes = []
    for _ in range(100):
        try:
            con = open_reader(ws / "warehouse.duckdb", wait_s=0)
        except WorkspaceError as e:
            assert "writing" in (e.hint or "")
            outcomes.append("busy")
        else:
            try:
                outcomes.append(latest_data_time(con))
            finally:
                con.close()
        time.sleep(MIN_GAP_S / 10)
    _, err = sync.communicate(timeout=300)
    assert sync.returncode == 0, err
    assert len(outcomes) == 100 and any(o != "busy" for o in outcomes)


def test_two_readers_in_one_process_share_the_locked_instance(shop: Path) -> None:
    """The board's refresh and its Ask panel may read at once: the second reader must not try to
    configure the instance the first one locked (the old 'lock_configuration' error)."""
    import duckdb

    from shopql.warehouse.connection import open_reader

    first = open_reader(shop / "warehouse.duckdb")
    second = open_reader(shop / "warehouse.duckdb")
    try:
        assert (
            second.execute("select count(*) from orders").fetchone()
            == first.execute("select count(*) from orders").fetchone()
        )
        with pytest.raises(duckdb.Error, match="disabled by configuration|locked"):
            second.execute("select * from read_csv('/etc/passwd')")
        with pytest.raises(duckdb.Error):
            second.execute("SET enable_external_access = true")
    finally:
        first.close()
        second.close()


def test_ask_panel_reads_like_the_cli(shop: Path) -> None:
    """Catalog labels in the question's language, money with separators and two decimals."""
    from tests.tui.test_board import table_rows

    got: dict[str, Any] = {}

    async def body(pilot: Any) -> None:
        await pilot.press("f2")
        pilot.app.query_one("#ask-input").value = "本月各平台的销售额"
        await pilot.press("enter")
        await settle(pilot)
        table = pilot.app.query_one("#ask-table")
        got["headers"] = [str(c.label) for c in table.columns.values()]
        got["rows"] = table_rows(pilot.app, "#ask-table")

    run_board(make_app(shop), body)
    assert got["headers"] == ["平台", "支付金额"]
    assert got["rows"] and all(re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d", r[1]) for r in got["rows"])
