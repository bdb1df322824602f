"""SVG snapshots of the board's overview (pytest-textual-snapshot) with a fixed clock and the small
known shop, so the pictures only change when the board does. Update with --snapshot-update."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.tui.shop import AT

pytest.importorskip("pytest_textual_snapshot")


def board(ws: Path) -> Any:
    from shopql.config import load_settings
    from shopql.tui.app import BoardApp

    return BoardApp(load_settings(ws), refresh_s=0, now=lambda: AT)


async def loaded(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_overview_80x24(shop: Path, snap_compare: Any) -> None:
    """At 80×24: three two-line KPI tiles per row ("Paid GMV 1,080.00", "Orders 24", "Buyers 5"
    …, each with d/d and w/w changes), the red alert strip naming payment_channel_down [wechat]
    0.0% and stock_out [SKU-1], the whole 30-day trend chart (axes in human units, 1.1k; no
    braille legend) beside the platforms table, and the titles of the channel and product
    tables above the status line."""
    assert snap_compare(board(shop), terminal_size=(80, 24), run_before=loaded)


def test_overview_160x48(shop: Path, snap_compare: Any) -> None:
    """At 160×48: all six KPI tiles on one row, the alert strip, the trend chart (title naming
    the two lines by colour, no braille legend) with the platforms table, and the
    payment-channel (wechat 11.8% in red) and top-products tables."""
    assert snap_compare(board(shop), terminal_size=(160, 48), run_before=loaded)


def test_overview_light_80x24(shop: Path, snap_compare: Any) -> None:
    """The same overview as test_overview_80x24 in the light theme (F6): dark text on a light
    background, the alert strip still tinted red."""
    assert snap_compare(board(shop), press=["f6"], terminal_size=(80, 24), run_before=loaded)


async def drilled_into_jd(pilot: Any) -> None:
    await loaded(pilot)
    table = pilot.app.query_one("#platforms")
    rows = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
    table.focus()
    await pilot.press(*["down"] * rows.index("jd"), "enter")
    while pilot.app.refreshing:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.05)
    await loaded(pilot)


def test_overview_drilled_into_a_platform_80x24(shop: Path, snap_compare: Any) -> None:
    """At 80×24 after Enter on the jd row: the header and the status line name 'platform = jd'
    (with 'Esc: whole shop'), the tiles show jd's numbers only (Paid GMV 360.00, Orders 3,
    Payment success 100.0%), the alert strip still shows the whole shop's alerts, the platforms
    table holds jd alone and the trend is jd's (left axis up to 378)."""
    assert snap_compare(board(shop), terminal_size=(80, 24), run_before=drilled_into_jd)
