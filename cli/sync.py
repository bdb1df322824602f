"""`shopql sync`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from shopql.cli.main import settings_from
from shopql.cli.output import format_option, print_json, stderr_console, stdout_console


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--platform", help="Force a platform instead of detecting it from the headers.")
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A mapping YAML for a layout that is not a built-in platform.",
)
@click.option("--force", is_flag=True, help="Load files again even if identical bytes were synced.")
@click.option(
    "--watch",
    "watch_every",
    is_flag=False,
    flag_value="60s",
    default=None,
    metavar="[EVERY]",
    help="Then keep watching the folder: sync new files and check alert rules every 60s "
    "(or the given interval, e.g. --watch 30s). The same as `shopql watch --sync DIR`.",
)
@format_option("table", "json")
@click.pass_context
def sync(
    ctx: click.Context,
    paths: tuple[Path, ...],
    platform: str | None,
    mapping: Path | None,
    force: bool,
    watch_every: str | None,
    fmt: str,
) -> None:
    """Load exports (files, folders, .zip) into the warehouse: detect, clean, upsert, quarantine."""
    from shopql.errors import ExitCode
    from shopql.sync.engine import run_sync
    from shopql.sync.stopping import SyncStopped

    settings = settings_from(ctx)
    try:
        with _progress() as progress:
            report = run_sync(
                settings,
                list(paths),
                platform=platform,
                mapping=mapping,
                force=force,
                progress=progress,
            )
    except SyncStopped as stop:
        _stopped(stop, fmt)
        ctx.exit(int(stop.exit_code))
    if fmt == "json":
        print_json(report.to_dict())
    else:
        _summary(report)
    if watch_every:
        if len(paths) != 1 or not paths[0].is_dir():
            raise click.UsageError("--watch needs exactly one folder to watch")
        from shopql.cli.alert import watch

        ctx.invoke(watch, folder=str(paths[0]), every=watch_every, rounds=0, ats=())
    if report.failed:
        ctx.exit(int(ExitCode.ERROR))


def _stopped(stop: Any, fmt: str) -> None:
    """What a stopped run kept: the files loaded so far on stdout, the cause on stderr."""
    if fmt == "json":
        print_json({**stop.report.to_dict(), "stopped": stop.message})
    elif stop.report.files:
        _summary(stop.report)
    from rich.markup import escape

    word = "" if stop.exit_code == 130 else "error: "  # the message starts with "interrupted"
    hint = f" — {stop.hint}" if stop.hint else ""
    stderr_console().print(
        f"[red]{word}{escape(stop.message)}{hint}[/]", highlight=False, soft_wrap=True
    )


class _progress:
    """A rich progress bar on stderr while files load (off when stderr is not a terminal)."""

    def __enter__(self) -> Any:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from shopql.sync.stopping import short_name

        console = stderr_console()
        self.bar: Any = None
        if not console.is_terminal:
            return None
        self.bar = Progress(
            TextColumn("{task.description}", table_column=None),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.bar.__enter__()
        task = self.bar.add_task("syncing", total=1.0)

        def update(file: str, phase: str, fraction: float) -> None:
            name = short_name(file)
            self.bar.update(task, completed=fraction, description=f"{phase} {name}")

        return update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _summary(report: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    from shopql.cli.output import printable
    from shopql.sync.stopping import short_name

    table = Table(title="sync", header_style="bold cyan")
    table.add_column("file", overflow="fold")
    table.add_column("status")
    table.add_column("detected as")
    for name in ("rows", "loaded", "quarantined"):
        table.add_column(name, justify="right")
    colours = {"loaded": "green", "already synced": "dim", "skipped": "yellow", "failed": "red"}
    notes: list[str] = []
    for f in report.files:
        name = printable(short_name(f.file))
        table.add_row(
            escape(name),
            f"[{colours.get(f.status, 'white')}]{f.status}[/]",
            f"{f.source}/{f.kind}" if f.source else "",
            f"{f.rows_read:,}" if f.rows_read else "",
            f"{f.rows_loaded:,}" if f.rows_read else "",
            f"[red]{f.rows_quarantined:,}[/]" if f.rows_quarantined else "",
        )
        if f.status in {"skipped", "failed"} and f.reason:
            reason = escape(printable(f.reason))
            notes.append(f"[{colours[f.status]}]{f.status}[/] {escape(name)}: {reason}")
        for column, values in f.unmapped.items():
            notes.append(
                f"[yellow]unmapped[/] {escape(name)}: {column} {escape(', '.join(values))} "
                "(kept as 'other'; add the spelling to sync/vocabularies.yaml or report it)"
            )
    stdout_console().print(table)
    t = report.totals()
    console = stderr_console()
    for note in notes:
        console.print(note)
    console.print(
        f"{t['files_loaded']} loaded, {t['files_already_synced']} already synced, "
        f"{t['files_skipped']} skipped, {t['files_failed']} failed; "
        f"{t['rows_loaded']:,} rows loaded, {t['rows_quarantined']:,} quarantined"
    )
    if t["rows_quarantined"]:
        console.print(
            'see why: shopql sql "select path, line, reason, raw from _quarantine order by 1, 2"'
        )
