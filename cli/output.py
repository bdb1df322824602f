"""Rendering results: one `--format` option for every command, tables with rich, JSON, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def format_option(*choices: str) -> Callable[[F], F]:
    """The `--format` option shared by every command that prints data."""
    choices = choices or ("table", "json", "csv")
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="Output format: a table for people, JSON or CSV for scripts.",
    )


def print_json(document: Any) -> None:
    """Print one JSON document on stdout and nothing else."""
    from shopql.warehouse.query import to_json_value

    click.echo(json.dumps(to_json_value(document), ensure_ascii=False, indent=2))


def print_csv(columns: list[str], rows: list[list[Any]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)


def stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def stdout_console() -> Any:
    from rich.console import Console

    return Console()


def print_table(columns: list[str], rows: list[list[Any]], title: str | None = None) -> None:
    """A rich table on stdout; numbers right-aligned, NULL shown dimmed."""
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold cyan")
    numeric = [
        bool(rows) and all(isinstance(r[i], (int, float, Decimal)) or r[i] is None for r in rows)
        for i in range(len(columns))
    ]
    for name, is_num in zip(columns, numeric, strict=True):
        table.add_column(str(name), justify="right" if is_num else "left")
    for row in rows:
        table.add_row(*["[dim]∅[/dim]" if v is None else _cell(v) for v in row])
    stdout_console().print(table)


def _cell(value: Any) -> str:
    from rich.markup import escape

    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) < 1e15 else str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, Decimal):  # money keeps its cents: 170.30, not 170.3
        return f"{value:,}"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return escape(str(value))
