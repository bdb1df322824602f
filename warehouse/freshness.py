"""How far the synced data reaches: the board anchors on it, and answers about a period after it
say so instead of showing an empty table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb

# the moments sales data records; the latest of them is where the data ends. Behaviour events
# count only in a warehouse without orders (their clocks run apart from the shop's sales)
SALES_TIMES = (("orders", "created_at"), ("orders", "paid_at"), ("payments", "attempted_at"))
EVENT_TIMES = (("events", "event_time"),)


def latest_data_time(con: duckdb.DuckDBPyConnection) -> dt.datetime | None:
    """The latest order or payment time in the warehouse, else the latest behaviour event
    (None when empty)."""
    return _latest(con, SALES_TIMES) or _latest(con, EVENT_TIMES)


def _latest(
    con: duckdb.DuckDBPyConnection, times: tuple[tuple[str, str], ...]
) -> dt.datetime | None:
    found: list[dt.datetime] = []
    for table, column in times:
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
