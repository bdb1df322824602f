"""`shopql board`: start the Textual dashboard (imported only when the command runs)."""

from __future__ import annotations

import click

from shopql.cli.main import settings_from


@click.command()
@click.option("--refresh", "refresh_s", type=click.FloatRange(min=1), default=30.0,
              show_default=True, help="Seconds between refreshes of the overview.")  # fmt: skip
@click.option("--light", is_flag=True, help="Start with the light theme (F6 switches).")
@click.pass_context
def board(ctx: click.Context, refresh_s: float, light: bool) -> None:
    """The live dashboard: KPI tiles, trend, breakdowns, alerts, Ask and Customers tabs.

    Keys: F1 Overview, F2 Ask, F3 Customers, F5 refresh, F6 light/dark, Ctrl+Q quit.
    """
    from shopql.tui.app import BoardApp

    settings = settings_from(ctx)
    if not settings.warehouse_path.exists():
        from shopql.errors import WorkspaceError

        raise WorkspaceError(
            f"no warehouse at {settings.warehouse_path}", "run `shopql sync` first"
        )
    theme = "textual-light" if light else "textual-dark"
    BoardApp(settings, refresh_s=refresh_s, theme=theme).run()
