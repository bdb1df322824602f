"""`shopql board`: start the Textual dashboard (imported only when the command runs)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import click

from shopql.cli.main import settings_from


@click.command()
@click.option("--refresh", "refresh_s", type=click.FloatRange(min=1), default=30.0,
              show_default=True, help="Seconds between refreshes of the overview.")  # fmt: skip
@click.option("--light", is_flag=True, help="Start with the light theme (F6 switches).")
@click.option("--at", "start_at", help="Show a moment, e.g. '2026-11-10 20:40' (the clock runs "
              "on from there). Default: now, or the data's last day when now has no data.")  # fmt: skip
@click.pass_context
def board(ctx: click.Context, refresh_s: float, light: bool, start_at: str | None) -> None:
    """The live dashboard: KPI tiles, trend, breakdowns, alerts, Ask and Customers tabs.

    Keys: F1 Overview, F2 Ask, F3 Customers, F5 refresh, F6 light/dark, Ctrl+Q quit; Enter on a
    platform, channel or product row filters the board to it, Esc goes back; ↑/↓ in Ask: history.
    """
    from shopql.tui.app import BoardApp

    settings = settings_from(ctx, fresh=True)  # person counts read OneID and the person key
    if not settings.warehouse_path.exists():
        from shopql.errors import WorkspaceError

        raise WorkspaceError(
            f"no warehouse at {settings.warehouse_path}", "run `shopql sync` first"
        )
    theme = "textual-light" if light else "textual-dark"
    clock = _replay(start_at)
    BoardApp(settings, refresh_s=refresh_s, theme=theme, now=clock, anchor=clock is None).run()


def _replay(start_at: str | None) -> Callable[[], dt.datetime] | None:
    """A clock that starts at `start_at` and runs at normal speed; None for the real clock."""
    if not start_at:
        return None
    try:
        start = dt.datetime.fromisoformat(start_at.strip())
    except ValueError:
        raise click.BadParameter(f"{start_at!r}: write it like '2026-11-10 20:40'") from None
    began = time.monotonic()
    return lambda: (start + dt.timedelta(seconds=time.monotonic() - began)).replace(microsecond=0)
