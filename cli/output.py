"""Rendering results: one `--format` option for every command, tables with rich, JSON, CSV."""

from __future__ import annotations

import contextlib
import csv
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import click

from shopql.cli.display import printable  # the one sanitising path (re-exported)

F = TypeVar("F", bound=Callable[..., Any])


def format_option(*choices: str) -> Callable[[F], F]:
    """The `--format` option shared by every command that prints data."""
    choices = choices or ("table", "json", "csv")
    said = {"table": "a table for people", "json": "JSON", "csv": "CSV"}
    machine = " or ".join(said[c] for c in choices if c != "table")
    text = said[choices[0]] if choices[0] != "table" else said["table"]
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help=f"Output format: {text}" + (f", {machine} for scripts." if machine else "."),
    )


def out_option(f: F) -> F:
    """`--out FILE`: every row, streamed to a file whose extension picks the format."""
    return click.option(
        "--out",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write EVERY row (no row cap) to FILE: .csv, .jsonl, .parquet or .xlsx.",
    )(f)


def print_json(document: Any) -> None:
    """Print one JSON document on stdout and nothing else (DECIMAL written exactly)."""
    from shopql.warehouse.export import exact_json
    from shopql.warehouse.query import to_json_value

    click.echo(exact_json(to_json_value(document), indent=2))


def print_csv(columns: list[str], rows: list[list[Any]]) -> None:
    from shopql.warehouse.export import csv_value

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([csv_value(v) for v in row] for row in rows)


def export_rows(
    warehouse: Path,
    sql: str,
    out: Path,
    ctx: Any,
    source: str,
    question: str | None = None,
    rows: Any = None,
) -> Any:
    """Run the export with a progress line on stderr (on a terminal) and say what was written."""
    from shopql.warehouse.export import export_format, export_query

    export_format(out)  # a wrong extension is said before the query runs
    err = stderr_console()
    with _progress(err, out.name) as progress:
        result = export_query(
            warehouse,
            sql,
            out,
            ctx=ctx,
            source=source,
            question=question,
            progress=progress,
            rows=rows,
        )
    seconds = result.duration_ms / 1000
    private = "; readable by you only: it holds personal data as stored" if result.private else ""
    err.print(
        f"wrote {result.row_count:,} rows to {out} ({result.format}, {seconds:.1f} s{private})",
        highlight=False,
    )
    if result.truncated:
        err.print(
            f"[yellow]warning:[/yellow] {result.format} holds at most {result.row_count:,} rows; "
            f"the query returned {result.rows_total:,} — use .csv, .jsonl or .parquet for all",
            highlight=False,
        )
    return result


@contextlib.contextmanager
def _progress(
    console: Any, name: str
) -> Iterator[Callable[[int | None, float | None], None] | None]:
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(f"{name}: 0 rows")

        def show(rows: int | None, percent: float | None) -> None:
            done = f"{rows:,} rows" if rows is not None else f"{percent or 0:.0f} %"
            bar.update(task, description=f"{name}: {done}")

        yield show


def say_truncated(shown: int, total: int | None) -> None:
    """Say on stderr that a printed result holds fewer rows than the query returns."""
    of = f"{total:,}" if total is not None else "more"
    stderr_console().print(
        f"[yellow]showing {shown:,} of {of} rows[/yellow] (the display cap, row_cap) — "
        "every row: --out FILE.csv|.jsonl|.parquet|.xlsx",
        highlight=False,
    )


def stderr_console() -> Any:
    return _safe_console(stderr=True, soft_wrap=True)


def stdout_console() -> Any:
    return _safe_console()


def _safe_console(**kwargs: Any) -> Any:
    """A rich Console whose text never carries a control character to the terminal, whatever
    was interpolated into what it prints: every text segment goes through `printable` (Rich's
    own styles and cursor moves are control segments, kept)."""
    from rich.console import Console
    from rich.segment import Segment

    class SafeConsole(Console):
        def _render_buffer(self, buffer: Any) -> str:
            return super()._render_buffer(
                s if s.control else Segment(printable(s.text), s.style, s.control) for s in buffer
            )

    return SafeConsole(**kwargs)


RESULT_HINT = "widen the terminal, or use --format csv|json, or --out FILE"  # sql, ask, metric
MAX_CELL = 40  # a wider text column wraps; an id up to this wide is never cut


def print_table(
    columns: list[str],
    rows: list[list[Any]],
    title: str | None = None,
    views: list[Any] | None = None,
    hidden_hint: str = "widen the terminal, or use --format json",
    wrap: bool = False,
) -> None:
    """A rich table on stdout: numbers right-aligned and readable (see cli.display), NULL dimmed.

    Columns keep their natural width; those that do not fit the terminal are left out and
    stderr says how many and how to see them (as the duckdb CLI does), rather than every column
    being squeezed into '…'. `wrap` keeps every column and folds long cells instead (a short
    table whose every column matters, such as `shopql config`)."""
    from rich.cells import cell_len
    from rich.markup import escape
    from rich.table import Table

    from shopql.cli.display import ColumnView, format_value

    views = views or [ColumnView(str(c)) for c in columns]
    text = [[printable(format_value(v, views[i].kind)) for i, v in enumerate(r)] for r in rows]
    widths = [
        min(MAX_CELL, max([_header_width(v.label)] + [cell_len(r[i]) for r in text]))
        for i, v in enumerate(views)
    ]
    console = stdout_console()
    shown = len(widths) if wrap else _columns_that_fit(widths, console.width)
    title = printable(title) if title else title
    table = Table(title=title, show_lines=False, header_style="bold cyan")
    for i in range(shown):
        numeric = _numeric(rows, i)
        table.add_column(
            escape(printable(views[i].label)),
            justify="right" if numeric else "left",
            min_width=None if wrap else widths[i],
            overflow="fold" if wrap else "ellipsis",
        )
    for raw, row in zip(rows, text, strict=True):
        table.add_row(*["[dim]∅[/dim]" if raw[i] is None else escape(row[i]) for i in range(shown)])
    console.print(table)
    if shown < len(columns):
        hidden = [v.label for v in views[shown:]]
        stderr_console().print(
            f"[yellow]{len(hidden)} of {len(columns)} columns hidden[/yellow] "
            f"({', '.join(hidden)}): {hidden_hint}",
            highlight=False,
        )


def _header_width(label: str) -> int:
    """A header may wrap at spaces: its longest word (or 12 cells, if wider) is what it needs."""
    from rich.cells import cell_len

    return min(cell_len(label), max([12] + [cell_len(w) for w in label.split()]))


def _columns_that_fit(widths: list[int], total: int) -> int:
    """How many leading columns fit in `total` cells (a column costs its width + 3: padding and
    a border); at least one."""
    used, shown = 1, 0
    for w in widths:
        if shown and used + w + 3 > total:
            break
        used += w + 3
        shown += 1
    return shown


def _is_number(value: Any) -> bool:
    return value is None or (
        isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
    )


def _numeric(rows: list[list[Any]], i: int) -> bool:
    """A column of numbers (and NULLs), with at least one number."""
    return any(r[i] is not None for r in rows) and all(_is_number(r[i]) for r in rows)
