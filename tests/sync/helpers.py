"""Helpers shared by the connector tests: sync files into a workspace, read the warehouse back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from shopql.config import load_settings
from shopql.sync.loader import SyncReport, sync_paths
from shopql.warehouse.connection import open_writer


def sync(ws: Path, *paths: Path, **options: Any) -> SyncReport:
    """Load `paths` into workspace `ws` (the loader alone: OneID has its own tests)."""
    settings = load_settings(ws)
    con = open_writer(settings.warehouse_path)
    try:
        report = sync_paths(con, list(paths), timezone=settings.timezone, **options)
    finally:
        con.close()
    assert not report.failed, [(f.file, f.reason) for f in report.failed]
    return report


def rows(ws: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def scalar(ws: Path, sql: str, params: list[Any] | None = None) -> Any:
    return rows(ws, sql, params)[0][0]


def by_kind(report: SyncReport) -> dict[str, tuple[int, int, int]]:
    """kind -> (rows read, rows loaded, rows quarantined) summed over the report's files."""
    out: dict[str, tuple[int, int, int]] = {}
    for f in report.files:
        if f.kind:
            read, loaded, quarantined = out.get(f.kind, (0, 0, 0))
            out[f.kind] = (
                read + f.rows_read,
                loaded + f.rows_loaded,
                quarantined + f.rows_quarantined,
            )
    return out
