"""Sync as a user runs it: open the writer, load the files, rebuild OneID when anything changed."""

from __future__ import annotations

from pathlib import Path

from shopql.config import Settings
from shopql.sync.loader import ProgressFn, SyncReport, sync_paths
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
    """Sync `paths` into the workspace's warehouse; when rows changed, refresh the product master
    (applying the workspace's product_map.yaml) and rebuild identities."""
    from shopql.sync.products import read_map, refresh_master

    product_map = read_map(settings.workspace)  # a broken map file stops before anything is read
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
            from shopql.insights.oneid import build_one_ids

            con.execute("BEGIN TRANSACTION")
            refresh_master(con, product_map)
            con.execute("COMMIT")

            if progress:
                progress("identities", "building OneID", 1.0)
            build_one_ids(
                con,
                max_shared=settings.identity_max_shared,
                blocklist=settings.identity_blocklist,
            )
    finally:
        con.close()
    return report
