"""Pilot tests of `shopql board` on the small known shop, with the clock fixed."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.tui.shop import AT, NORMAL_EVENING

pytest.importorskip("textual")


def make_app(ws: Path, at: dt.datetime = AT) -> Any:
    from shopql.config import load_settings
    from shopql.tui.app import BoardApp

    return BoardApp(load_settings(ws), refresh_s=0, now=lambda: at)


async def settle(pilot: Any) -> None:
    """Let every refresh (also one deferred: F5 again right after one) finish and the screen
    catch up."""
    await pilot.pause()
    while pilot.app.refreshing:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def run_board(app: Any, body: Callable[[Any], Awaitable[None]], size=(80, 24)) -> None:
    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await body(pilot)

    asyncio.run(main())


def metric_values(ws: Path, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """The KPI metrics as the metric layer computes them for [start, end)."""
    from shopql.catalog import SemanticQuery, TimeRange, compile_query, load_catalog
    from shopql.tui.data import KPIS
    from shopql.warehouse.connection import open_reader

    catalog = load_catalog(ws)
    query = SemanticQuery(metrics=tuple(m for m, _ in KPIS), time_range=TimeRange(start, end))
    compiled = compile_query(catalog, query, today=end.date())
    con = open_reader(ws / "warehouse.duckdb")
    try:
        row = con.execute(compiled.sql).fetchone()
    finally:
        con.close()
    return {c: None if v is None else float(v) for c, v in zip(compiled.columns, row, strict=True)}


def test_tiles_show_the_metric_layer_numbers(shop: Path) -> None:
    from shopql.tui.widgets import KpiTile

    midnight = dt.datetime(2026, 11, 10)
    today = metric_values(shop, midnight, AT)
    yesterday = metric_values(shop, midnight - dt.timedelta(days=1), AT - dt.timedelta(days=1))
    week = metric_values(shop, midnight - dt.timedelta(days=7), AT - dt.timedelta(days=7))
    seen: dict[str, Any] = {}

    async def body(pilot: Any) -> None:
        for tile in pilot.app.query(KpiTile):
            seen[tile.metric] = tile.tile

    run_board(make_app(shop), body)
    assert set(seen) == set(today)
    for metric, tile in seen.items():
        assert (tile.value, tile.yesterday, tile.last_week) == (
            today[metric],
            yesterday[metric],
            week[metric],
        ), metric
    # the shop's own arithmetic: 6 day orders + 3 evening paid, 15 pending placed
    assert seen["orders"].value == 24
    assert seen["paid_gmv"].value == sum(100 + 10 * i for i in range(6)) + 100 + 110 + 120
    assert seen["paid_gmv"].yesterday == sum(101 + 10 * i for i in range(6))
    assert seen["payment_success_rate"].value == round(9 / 39, 4)


def test_alert_strip_shows_the_incident_when_the_clock_is_in_it(shop: Path) -> None:
    from shopql.tui.widgets import AlertStrip

    found: dict[str, Any] = {}

    async def body(pilot: Any) -> None:
        strip = pilot.app.query_one(AlertStrip)
        found["firing"] = strip.has_class("-firing")
        found["text"] = str(strip.render())
        found["alerts"] = [(f.rule, f.key) for f in pilot.app.overview.alerts]

    run_board(make_app(shop, AT), body)
    assert found["firing"]
    assert ("payment_channel_down", "wechat") in found["alerts"]
    assert ("stock_out", "SKU-1") in found["alerts"]
    assert "payment_channel_down [wechat] payment_success_rate 0.0%: below 50.0%" in found["text"]

    run_board(make_app(shop, NORMAL_EVENING), body)
    assert not found["firing"]
    assert found["alerts"] == []
    assert "no active alerts" in found["text"]


def table_rows(app: Any, selector: str) -> list[list[str]]:
    from textual.widgets import DataTable

    table = app.query_one(selector, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def test_breakdowns_follow_the_day(shop: Path) -> None:
    got: dict[str, Any] = {}

    async def body(pilot: Any) -> None:
        got["platforms"] = table_rows(pilot.app, "#platforms")
        got["channels"] = table_rows(pilot.app, "#channels")
        got["trend"] = pilot.app.overview.trend

    run_board(make_app(shop), body)
    # today's paid orders: tmall i=0,3 + 20:10; jd i=1,4 + 20:30; douyin i=2,5 + 20:45
    assert sorted(r[0] for r in got["platforms"]) == ["douyin", "jd", "tmall"]
    assert all(r[2] == "3" for r in got["platforms"])
    channels = {r[0]: r[1:] for r in got["channels"]}
    assert channels["wechat"] == ["11.8%", "34"]  # 4 paid of 34 attempts (30 failed)
    assert channels["alipay"] == ["100.0%", "5"]
    assert len(got["trend"]) == 30 and got["trend"][-1][2] == 24 and got["trend"][0][2] == 6


def test_ask_panel_runs_sql_and_questions(shop: Path) -> None:
    got: dict[str, Any] = {}

    async def ask(pilot: Any, text: str) -> None:
        await pilot.press("f2")
        pilot.app.query_one("#ask-input").value = text
        await pilot.press("enter")
        await settle(pilot)

    async def body(pilot: Any) -> None:
        await ask(pilot, "SELECT platform, count(*) AS n FROM orders GROUP BY 1 ORDER BY 1")
        got["sql"] = table_rows(pilot.app, "#ask-table")
        got["sql_head"] = str(pilot.app.query_one("#ask-understood").render())
        await ask(pilot, "paid orders by platform")
        got["nl"] = table_rows(pilot.app, "#ask-table")
        got["nl_head"] = str(pilot.app.query_one("#ask-understood").render())
        await ask(pilot, "and only on Tmall?")  # a follow-up keeps the question's context
        got["follow_up"] = table_rows(pilot.app, "#ask-table")
        await ask(pilot, "SELECT nope FROM orders")
        got["bad"] = str(pilot.app.query_one("#ask-understood").render())

    run_board(make_app(shop), body)
    assert got["sql"] == [["douyin", "61"], ["jd", "61"], ["tmall", "76"]]
    assert got["sql_head"].startswith("sql:")
    assert got["nl_head"].startswith("offline:")
    assert sorted(r[0] for r in got["nl"]) == ["douyin", "jd", "tmall"]
    tmall = {r[0]: r[1] for r in got["nl"]}["tmall"]
    assert tmall == "61" and got["follow_up"] == [[tmall]]  # only Tmall's paid orders
    assert "✗" in got["bad"] and "nope" in got["bad"]


def test_customers_panel_shows_the_person(shop: Path) -> None:
    got: dict[str, Any] = {}

    async def body(pilot: Any) -> None:
        await pilot.press("f3")
        pilot.app.query_one("#customer-input").value = "P00000001"
        await pilot.press("enter")
        await settle(pilot)
        got["head"] = str(pilot.app.query_one("#customer-head").render())
        got["accounts"] = table_rows(pilot.app, "#customer-accounts")

    run_board(make_app(shop), body)
    assert "P00000001" in got["head"] and "2 accounts on jd, tmall" in got["head"]
    assert sorted(r[0] for r in got["accounts"]) == ["jd:c1", "tmall:c0"]


HOLD_WRITER = """
import sys
from pathlib import Path
from shopql.warehouse.connection import open_writer
con = open_writer(Path(sys.argv[1]))
print("locked", flush=True)
sys.stdin.readline()
con.close()
"""


def test_board_survives_a_writer_in_another_process(shop: Path, tmp_path: Path) -> None:
    """While another process holds the warehouse for writing (what `shopql sync` does), a refresh
    says "syncing…" and keeps the last numbers; the next refresh after it is done works again."""
    import shutil

    ws = tmp_path / "shop"
    shutil.copytree(shop, ws)
    got: dict[str, Any] = {}

    async def body(pilot: Any) -> None:
        app = pilot.app
        got["before"] = app.overview.tiles[1].value
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD_WRITER, str(ws / "warehouse.duckdb")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
            await pilot.press("f5")
            await settle(pilot)
            got["busy"] = app.busy
            got["status"] = str(app.query_one("#status").render())
            got["during"] = app.overview.tiles[1].value
            await pilot.press("f2")  # the UI still answers keys
            got["tab"] = app.query_one("TabbedContent").active
        finally:
            holder.communicate("\n", timeout=60)
        await pilot.press("f5")
        await settle(pilot)
        got["after_busy"] = app.busy
        got["after_status"] = str(app.query_one("#status").render())

    run_board(make_app(ws), body)
    assert got["busy"] and got["status"].startswith("syncing…")
    assert got["during"] == got["before"] == 24
    assert got["tab"] == "ask"
    assert not got["after_busy"] and got["after_status"].startswith("today until 20:55:00")


def test_board_keeps_refreshing_during_a_real_sync(shop: Path, tmp_path: Path) -> None:
    """`shopql sync` in another process while the board refreshes: no crash, and once the sync
    is done the board shows what it loaded or says it is syncing; it never shows an error."""
    import shutil

    from tests.conftest import FIXTURES

    ws = tmp_path / "shop"
    shutil.copytree(shop, ws)
    states: list[str] = []

    async def body(pilot: Any) -> None:
        sync = subprocess.Popen(
            [sys.executable, "-m", "shopql.cli", "--workspace", str(ws), "sync",
             str(FIXTURES / "youzan")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        while sync.poll() is None:
            await pilot.press("f5")
            await settle(pilot)
            states.append(str(pilot.app.query_one("#status").render()))
            await asyncio.sleep(0.05)
        await pilot.press("f5")
        await settle(pilot)
        states.append(str(pilot.app.query_one("#status").render()))
        assert sync.returncode in (0, 1), sync.stderr

    run_board(make_app(ws), body)
    assert states and all(s.startswith(("today until", "syncing…")) for s in states), states
    assert states[-1].startswith("today until")


def test_keys_switch_tabs_and_theme(shop: Path) -> None:
    got: dict[str, Any] = {}

    async def body(pilot: Any) -> None:
        app = pilot.app
        got["start"] = (app.query_one("TabbedContent").active, app.theme)
        await pilot.press("f6")
        got["light"] = app.theme
        await pilot.press("f3")
        got["tab"] = app.query_one("TabbedContent").active
        got["focus"] = app.focused.id if app.focused else None
        await pilot.press("f6", "f1")
        got["end"] = (app.query_one("TabbedContent").active, app.theme)
        got["footer"] = sorted(
            b.description for _, b, enabled, _ in app.active_bindings.values() if b.show
        )

    run_board(make_app(shop), body)
    assert got["start"] == ("overview", "textual-dark")
    assert got["light"] == "textual-light"
    assert (got["tab"], got["focus"]) == ("customers", "customer-input")
    assert got["end"] == ("overview", "textual-dark")
    assert got["footer"] == ["Ask", "Customers", "Overview", "Quit", "Refresh", "Theme"]


def test_board_replay_clock_starts_at_the_given_moment() -> None:
    import click

    from shopql.cli.board import _replay

    clock = _replay("2026-11-10 20:40")
    assert clock is not None
    assert dt.datetime(2026, 11, 10, 20, 40) <= clock() < dt.datetime(2026, 11, 10, 21, 40)
    assert _replay(None) is None
    with pytest.raises(click.BadParameter):
        _replay("yesterday-ish")
