"""How far the synced data reaches: the board anchors on it, and answers about a period after it
say so instead of showing an empty table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb

# the moments the data records; the latest of them is where the data ends
_TIMES = (
    ("orders", "created_at"),
    ("orders", "paid_at"),
    ("payments", "attempted_at"),
    ("events", "event_time"),
)


def latest_data_time(con: duckdb.DuckDBPyConnection) -> dt.datetime | None:
    """The latest order, payment or behaviour event time in the warehouse (None when empty)."""
    found: list[dt.datetime] = []
    for table, column in _TIMES:
        try:
            row = con.execute(f'SELECT max("{column}") FROM "{table}"').fetchone()
        except duckdb.Error:  # a table an older warehouse lacks
            continue
        if row and isinstance(row[0], dt.datetime):
            found.append(row[0].replace(tzinfo=None))
    return max(found) if found else None


def warehouse_data_end(warehouse: Path) -> dt.datetime | None:
    """`latest_data_time` of the warehouse file, read on a short-lived reader."""
    from shopql.warehouse.connection import open_reader

    if not warehouse.exists():
        return None
    con = open_reader(warehouse)
    try:
        return latest_data_time(con)
    finally:
        con.close()


def after_data_note(time_range: Any, data_end: dt.datetime | None) -> str | None:
    """A note when the period asked for starts after the data ends (its answer is empty)."""
    start = getattr(time_range, "start", None)
    if start is None or data_end is None or start <= data_end:
        return None
    label = getattr(time_range, "label", "") or "the period"
    return (
        f"the data ends {data_end:%Y-%m-%d %H:%M}; {label} starts {start:%Y-%m-%d}, after it — "
        f"use --today {data_end:%Y-%m-%d} to count relative periods from the data's end"
    )
