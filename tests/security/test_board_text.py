"""Warehouse text on the terminal: the board (Textual) and the CLI show a stranger's product
title, payment channel, nick or alert key as text — Rich markup in it is shown, not obeyed, and
terminal control sequences (ANSI CSI, OSC 8 hyperlinks, the C1 CSI byte, bidi overrides) are
shown escaped, never sent.

Attacks (worked before this fix): the board put warehouse strings into DataTable cells as bare
`str`, which Textual parses as markup — a product title ``[link=https://evil.example]…`` became
a live hyperlink, ``[/bold]`` (a closing tag with no opening) crashed the refresh with a
MarkupError, ESC sequences went out raw; the drill-down status line did the same with the
selected title. The CLI's alert lines interpolated keys into markup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.tui.shop import build_shop
from tests.tui.test_board import make_app, run_board, settle

pytest.importorskip("textual")

LINK = "[link=https://evil.example/]Click me[/link]"
HOSTILE = [
    LINK,
    "[/bold] a closing tag with no opening",
    "\x1b]8;;https://evil.example/\x1b\\osc8\x1b]8;;\x1b\\",
    "\x1b[2J\x1b[31mred screen",
    "\x9b31mC1 CSI",
    "gpj\u202eexe.txt",
]
CONTROL = ("\x1b", "\x9b", "\u202e", "\x07")


@pytest.fixture(scope="module")
def hostile_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The board's small shop with a stranger's text in titles, a channel and a nick."""
    from shopql.warehouse.connection import open_writer
    from shopql.warehouse.workspace import init_workspace

    ws = tmp_path_factory.mktemp("hostile") / "shop"
    init_workspace(ws)
    build_shop(ws)
    con = open_writer(ws / "warehouse.duckdb")
    try:
        for i, title in enumerate(HOSTILE):
            con.execute(
                "UPDATE order_items SET title = ? WHERE outer_code = ?", [title, f"SKU-{i}"]
            )
        con.execute("UPDATE payments SET channel = ? WHERE channel = 'wechat'", [HOSTILE[1]])
        con.execute(
            "UPDATE orders SET payment_channel = ? WHERE payment_channel = 'wechat'", [LINK]
        )
        con.execute("UPDATE customers SET nick = ?, city = ? WHERE customer_id = 'tmall:c0'",
                    [LINK, HOSTILE[3]])  # fmt: skip
    finally:
        con.close()
    return ws


def rendered(cell: Any) -> Any:
    """What the DataTable draws for a cell (its own formatter: a bare str is parsed as markup)."""
    from textual.widgets._data_table import default_cell_formatter

    return default_cell_formatter(cell)


def assert_shown_not_obeyed(cells: list[Any]) -> None:
    texts = [rendered(c) for c in cells]
    plain = " ".join(t.plain for t in texts)
    for control in CONTROL:
        assert control not in plain
    for text in texts:
        assert not any("link" in str(span.style) for span in text.spans), text.plain


def test_board_shows_hostile_warehouse_text(hostile_shop: Path) -> None:
    got: dict[str, Any] = {}

    async def body(pilot: Any) -> None:
        from textual.widgets import DataTable, Static

        for name in ("products", "channels"):
            table = pilot.app.query_one(f"#{name}", DataTable)
            got[name] = [c for i in range(table.row_count) for c in table.get_row_at(i)]
        await pilot.press("f3")
        pilot.app.query_one("#customer-input").value = "P00000001"
        await pilot.press("enter")
        await settle(pilot)
        table = pilot.app.query_one("#customer-accounts", DataTable)
        got["accounts"] = [c for i in range(table.row_count) for c in table.get_row_at(i)]
        await pilot.press("f1")
        await settle(pilot)
        products = pilot.app.query_one("#products", DataTable)
        products.focus()
        keys = [k.value for k in products.rows]
        target = next(i for i, k in enumerate(keys) if k and "\x1b]8" in k)
        products.move_cursor(row=target)
        await pilot.press("enter")  # drill down on the OSC 8 title
        await settle(pilot)
        got["status"] = pilot.app.query_one("#status", Static).render()
        got["sub_title"] = pilot.app.sub_title

    run_board(make_app(hostile_shop), body, size=(160, 50))
    titles = " ".join(rendered(c).plain for c in got["products"])
    assert "[link=https://evil.exam" in titles  # shown as typed (cut to 24 cells)
    assert "\\x1b]8;;" in titles and "\\x9b31m" in titles and "\\u202e" in titles
    assert_shown_not_obeyed(got["products"])
    assert "[/bold] a closing tag" in " ".join(rendered(c).plain for c in got["channels"])
    assert_shown_not_obeyed(got["channels"])
    accounts = " ".join(rendered(c).plain for c in got["accounts"])
    assert LINK in accounts and "\\x1b[31mred screen" in accounts
    assert_shown_not_obeyed(got["accounts"])
    status = str(got["status"])
    assert "\\x1b]8;;https://evil.example/" in status and "\x1b" not in status
    assert "\x1b" not in got["sub_title"] and "\\x1b]8" in got["sub_title"]


def test_cli_consoles_never_send_control_characters() -> None:
    from shopql.cli.output import stderr_console, stdout_console

    for console in (stdout_console(), stderr_console()):
        with console.capture() as captured:
            console.print(f"[bold]key[/bold] {HOSTILE[2]} {HOSTILE[4]} {HOSTILE[5]}")
        text = captured.get()
        assert not any(c in text for c in CONTROL), repr(text)
        assert "\\x1b]8;;https://evil.example/" in text and "\\u202e" in text


def test_cli_alert_lines_show_markup_in_keys(tmp_path: Path) -> None:
    """An alert's key (a product title from the warehouse) printed by `alert check` shows its
    markup: the markup_safe path every interpolation of warehouse text takes."""
    from shopql.cli.display import markup_safe
    from shopql.cli.output import stdout_console

    console = stdout_console()
    with console.capture() as captured:
        console.print(f"[bold]rule[/bold] {markup_safe(LINK)} {markup_safe(HOSTILE[1])}")
    text = captured.get()
    assert LINK in text and "[/bold] a closing tag" in text
