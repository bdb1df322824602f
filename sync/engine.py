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
    """Sync `paths` into the workspace's warehouse and rebuild identities if rows changed."""
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

            if progress:
                progress("identities", "building OneID", 1.0)
            build_one_ids(
                con,
                max_shared=settings.identity_max_shared,
                blocklist=settings.identity_blocklist,
            )
            from shopql.insights.tags import refresh_workspace_tags

            if progress:
                progress("tags", "tagging persons (RFM, lifecycle, rule tags)", 1.0)
            refresh_workspace_tags(con, settings.workspace)
    finally:
        con.close()
    return report
