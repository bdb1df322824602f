"""Sync as a user runs it: open the writer, load the files, rebuild the derived state (OneID)
that the loads marked stale — or that an interrupted earlier run left stale."""

from __future__ import annotations

from pathlib import Path

import duckdb

from shopql.config import Settings
from shopql.errors import ExitCode
from shopql.sync.loader import ProgressFn, SyncReport, sync_paths
from shopql.sync.stopping import INTERRUPTED, INTERRUPTED_HINT, SyncStopped, is_interrupt
from shopql.warehouse.connection import open_writer
from shopql.warehouse.derived import (
    ONE_ID,
    PERSON_KEY,
    needs_rebuild,
    stale_state,
    with_unkeyed_orders,
)
from shopql.warehouse.faults import fault_point


def run_sync(
    settings: Settings,
    paths: list[Path],
    *,
    platform: str | None = None,
    mapping: Path | None = None,
    force: bool = False,
    progress: ProgressFn | None = None,
) -> SyncReport:
    """Sync `paths` into the workspace's warehouse; when rows changed, refresh the product master
    (applying the workspace's product_map.yaml); then rebuild whatever derived state is stale.

    Raises:
        SyncStopped: Ctrl-C, a full disk or a damaged warehouse stopped the run; its message
            says which files were kept.
    """
    from shopql.sync.products import read_map, refresh_master

    product_map = read_map(settings.workspace)  # a broken map file stops before anything is read
    con = open_writer(settings.warehouse_path, memory_limit=settings.memory_limit)
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
        fault_point("after_commit")
        if any(f.status == "loaded" for f in report.files):
            con.execute("BEGIN TRANSACTION")
            refresh_master(con, product_map)
            con.execute("COMMIT")
        if needs_rebuild(con):
            _rebuild(con, settings, report, progress)
    except SyncStopped as stop:
        con.close()
        _settle(stop, settings.warehouse_path)
        raise
    finally:
        con.close()
    return report


def rebuild_derived(con: duckdb.DuckDBPyConnection, settings: Settings) -> list[str]:
    """Rebuild every derived state marked stale (each clears its mark in its own transaction);
    returns the names rebuilt."""
    stale = needs_rebuild(con)
    if ONE_ID in stale:
        from shopql.insights.oneid import build_one_ids

        build_one_ids(  # keys the orders too, and clears the person key's mark
            con, max_shared=settings.identity_max_shared, blocklist=settings.identity_blocklist
        )
    elif PERSON_KEY in stale:
        from shopql.warehouse.person_key import rebuild

        rebuild(con)
    return sorted(stale)


def refresh_derived(settings: Settings) -> str | None:
    """Before a command reads the warehouse: rebuild stale derived state (OneID after a sync
    that was killed before its rebuild). Returns a line for the user when something happened or
    could not happen, else None. Never fails the command: the read goes on either way."""
    from shopql.errors import WorkspaceError

    path = settings.warehouse_path
    if not path.exists():
        return None
    try:
        reader = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None  # busy or unreadable: the command's own open says why
    try:
        # marks only: accounts without a one_id (an older release's leftovers) wait for the
        # next sync, which holds the writer anyway; orders without a person key do not wait
        # (person counts read it)
        stale = with_unkeyed_orders(reader, stale_state(reader))
    except duckdb.Error:
        stale = {}
    finally:
        reader.close()
    if not stale:
        return None
    names = ", ".join(sorted(stale))
    try:
        con = open_writer(path, wait_s=0, memory_limit=settings.memory_limit)
    except WorkspaceError:
        return f"{names} is out of date (another process is writing); answers may lag until it ends"
    try:
        rebuild_derived(con, settings)
    finally:
        con.close()
    return f"rebuilt {names}: it was out of date ({'; '.join(stale.values())})"


def _rebuild(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    report: SyncReport,
    progress: ProgressFn | None,
) -> None:
    """Rebuild the stale derived state (OneID), then the person tags that read it."""
    try:
        if progress:
            progress("identities", "building OneID", 1.0)
        rebuild_derived(con, settings)
        if _has_persons(con):  # files of order lines alone (no buyers) leave nobody to tag
            # imported here: the tags pull in the guard and sqlglot (0.1 CPU s a sync), which a
            # sync with nobody to tag does not need
            from shopql.insights.tags import refresh_workspace_tags

            if progress:
                progress("tags", "tagging persons (RFM, lifecycle, rule tags)", 1.0)
            refresh_workspace_tags(con, settings.workspace)
    except BaseException as e:
        if is_interrupt(e):
            raise SyncStopped(
                INTERRUPTED + " while building OneID",
                INTERRUPTED_HINT,
                report,
                exit_code=ExitCode.INTERRUPTED,
            ) from e
        raise


def _has_persons(con: duckdb.DuckDBPyConnection) -> bool:
    """Anyone to tag, or tags to clear."""
    row = con.execute(
        "SELECT EXISTS (SELECT 1 FROM customers) OR EXISTS (SELECT 1 FROM person_tags)"
    ).fetchone()
    return bool(row and row[0])


def _settle(stop: SyncStopped, warehouse: Path) -> None:
    """Say truly whether the file in progress was kept (the stop may have come after its commit)
    and whether OneID is behind the files that were kept."""
    kept_before = any(f.status == "loaded" for f in stop.report.files)
    if stop.current_file_id is not None:  # set once the file's transaction began
        stop.current_kept = _file_recorded(warehouse, file_id=stop.current_file_id)
    elif stop.files_before is not None and stop.current:  # stopped outside its transaction
        stop.current_kept = _file_recorded(
            warehouse, path=stop.current, after_file_id=stop.files_before
        )
    stop.identities_stale = kept_before or bool(stop.current_kept)
    stop.refresh()


def _file_recorded(
    warehouse: Path,
    *,
    file_id: int | None = None,
    path: str | None = None,
    after_file_id: int | None = None,
) -> bool | None:
    """Whether `_sync_files` records file `file_id`, or `path` loaded after file id
    `after_file_id` (None: the warehouse cannot tell)."""
    params: list[object]
    if file_id is not None:
        sql, params = "SELECT count(*) FROM _sync_files WHERE file_id = ?", [file_id]
    elif path is not None and after_file_id is not None:
        sql = "SELECT count(*) FROM _sync_files WHERE file_id > ? AND path = ?"
        params = [after_file_id, path]
    else:
        raise ValueError("give file_id, or path and after_file_id")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute(sql, params).fetchone()
        return bool(row and row[0])
    except duckdb.Error:
        return None
    finally:
        con.close()
