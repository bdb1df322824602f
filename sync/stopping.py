"""A sync that stops part-way (Ctrl-C, a full disk, a damaged warehouse): what was kept."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from shopql.errors import ExitCode, SyncError
from shopql.warehouse.connection import warehouse_fault

if TYPE_CHECKING:
    from shopql.sync.loader import FileResult, SyncReport


def short_name(file: str) -> str:
    """A file's short name: `orders.csv`, or `book.xlsx!Sheet2` for a sheet of a workbook."""
    parts = file.split("!")
    if len(parts) > 1 and parts[-2].lower().endswith(".xlsx"):
        return f"{Path(parts[-2]).name}!{parts[-1]}"
    return Path(parts[-1]).name


class SyncStopped(SyncError):
    """The run stopped part-way (Ctrl-C, a full disk, a damaged warehouse): the message says
    what was kept (files committed before) and what was not (the file in progress, the rest)."""

    def __init__(
        self,
        cause: str,
        hint: str | None,
        report: SyncReport,
        current: str | None = None,
        pending: list[str] | None = None,
        exit_code: ExitCode = ExitCode.ERROR,
        current_file_id: int | None = None,
    ) -> None:
        self.cause = cause
        self.report = report
        self.current = current
        self.current_file_id = current_file_id  # set once its transaction began
        self.current_kept: bool | None = False
        self.files_before: int | None = None  # the last file id before the current file began
        self.pending = pending or []
        self.identities_stale = False
        super().__init__("", hint)
        self.exit_code = exit_code
        self.refresh()

    def refresh(self) -> None:
        """Recompose the message after `current_kept` or `identities_stale` changed."""
        kept = [f for f in self.report.files if f.status == "loaded"]
        parts = [self.cause]
        if kept:
            parts.append(f"kept {len(kept)} file(s) loaded before it: {_names(kept)}")
        if self.current:
            name = short_name(self.current)
            state = {True: "was loaded and kept", False: "was not loaded (rolled back)"}
            said = state.get(self.current_kept) if self.current_kept is not None else None
            parts.append(f"{name} {said or 'may not have been loaded'}")
        if self.pending:
            parts.append(f"{len(self.pending)} more file(s) not started")
        if not kept and not self.current_kept:
            parts.append("the warehouse is as it was before this sync")
        if self.identities_stale:
            parts.append("OneID was not rebuilt (run `shopql identity build`)")
        self.message = "; ".join(parts)


def _names(files: list[FileResult], most: int = 5) -> str:
    names = [short_name(f.file) for f in files]
    return ", ".join(names[:most]) + (f" and {len(names) - most} more" if len(names) > most else "")


class RunStop(Exception):
    """Raised by load_file when the whole run must stop; sync_paths adds what was kept."""

    def __init__(
        self, cause: str, hint: str | None, exit_code: ExitCode, file_id: int | None
    ) -> None:
        super().__init__(cause)
        self.cause, self.hint, self.exit_code, self.file_id = cause, hint, exit_code, file_id


def is_interrupt(e: BaseException) -> bool:
    """Ctrl-C, whether Python saw it or DuckDB interrupted a running statement for it."""
    if isinstance(e, KeyboardInterrupt):
        return True
    interrupt = getattr(duckdb, "InterruptException", ())
    return (interrupt and isinstance(e, interrupt)) or (
        isinstance(e, RuntimeError) and "interrupted" in str(e).lower()
    )


INTERRUPTED = "interrupted (Ctrl-C)"
INTERRUPTED_HINT = "run the same sync again to load the rest: files already loaded are skipped"


def stop_if_fatal(e: BaseException, database: Path | None, file_id: int | None) -> None:
    """Raise RunStop when `e` ends the whole run rather than failing one file."""
    if is_interrupt(e):
        raise RunStop(INTERRUPTED, INTERRUPTED_HINT, ExitCode.INTERRUPTED, file_id) from e
    if database is not None and isinstance(e, (duckdb.Error, OSError)):
        fault = warehouse_fault(database, e)
        if fault is not None:
            raise RunStop(fault.message, fault.hint, ExitCode.ERROR, file_id) from e
