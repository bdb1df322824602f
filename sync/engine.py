"""Sync as a user runs it: open the writer, load the files, rebuild OneID when anything changed."""

from __future__ import annotations

from pathlib import Path

import duckdb

from shopql.config import Settings
from shopql.errors import ExitCode
from shopql.sync.loader import ProgressFn, SyncReport, sync_paths
from shopql.sync.stopping import INTERRUPTED, INTERRUPTED_HINT, SyncStopped, is_interrupt
from shopql.warehouse.connection import open_writer


def run_sync(
    settings: Settings,
    paths: list[Path],
    *,
    platform: str | None = None,
    mapping: Path | None = None,
    force: bool = False,
    progress: ProgressFn | None = None,
) -> SyncReport:
    """Sync `paths` into the workspace's warehouse and rebuild identities if rows changed.

    Raises:
        SyncStopped: Ctrl-C, a full disk or a damaged warehouse stopped the run; its message
            says which files were kept.
    """
    con = open_writer(settings.warehouse_path)
    try:
        report = sync_paths(
            con,
            paths,
            timezone=settings.timezone,
            platform=platform,
            mapping=mapping,
            force=force,
            progress=progress,
        )
        if any(f.status == "loaded" for f in report.files):
            _rebuild_identities(con, settings, report, progress)
    except SyncStopped as stop:
        con.close()
        _settle(stop, settings.warehouse_path)
        raise
    finally:
        con.close()
    return report


def _rebuild_identities(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    report: SyncReport,
    progress: ProgressFn | None,
) -> None:
    from shopql.insights.oneid import build_one_ids

    if progress:
        progress("identities", "building OneID", 1.0)
    try:
        build_one_ids(
            con,
            max_shared=settings.identity_max_shared,
            blocklist=settings.identity_blocklist,
        )
    except BaseException as e:
        if is_interrupt(e):
            raise SyncStopped(
                INTERRUPTED + " while building OneID",
                INTERRUPTED_HINT,
                report,
                exit_code=ExitCode.INTERRUPTED,
            ) from e
        raise


def _settle(stop: SyncStopped, warehouse: Path) -> None:
    """Say truly whether the file in progress was kept (the stop may have come after its commit)
    and whether OneID is behind the files that were kept."""
    kept_before = any(f.status == "loaded" for f in stop.report.files)
    if stop.current_file_id is not None:  # set once the file's transaction began
        stop.current_kept = _file_recorded(warehouse, stop.current_file_id)
    stop.identities_stale = kept_before or bool(stop.current_kept)
    stop.refresh()


def _file_recorded(warehouse: Path, file_id: int) -> bool | None:
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute(
            "SELECT count(*) FROM _sync_files WHERE file_id = ?", [file_id]
        ).fetchone()
        return bool(row and row[0])
    except duckdb.Error:
        return None
    finally:
        con.close()
