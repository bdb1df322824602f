"""Derived state (OneID and whatever else is computed from the canonical tables).

A load that changes the canonical tables marks the derived state it invalidates as stale in the
SAME transaction (a row ``stale:<name>`` in ``_meta``); the rebuild clears the mark in ITS
transaction. So a process killed between the two leaves a mark behind, never a silently stale
warehouse, and the next command that needs the state rebuilds it.
"""

from __future__ import annotations

import duckdb

ONE_ID = "one_id"  # customers.one_id, one_ids and the identity evidence tables
PERSON_KEY = "person_key"  # orders.one_id (warehouse/person_key.py)
PREFIX = "stale:"


def mark_stale(con: duckdb.DuckDBPyConnection, name: str, why: str) -> None:
    """Record (inside the caller's transaction) that `name` must be rebuilt, and why."""
    con.execute(
        "INSERT OR REPLACE INTO _meta VALUES (?, ? || ' at ' || current_localtimestamp()::VARCHAR)",
        [PREFIX + name, why],
    )


def clear_stale(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Record (inside the rebuild's transaction) that `name` is up to date."""
    con.execute("DELETE FROM _meta WHERE key = ?", [PREFIX + name])


def stale_state(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Derived state waiting for a rebuild: name -> why (empty when all is up to date)."""
    rows = con.execute(
        "SELECT key, value FROM _meta WHERE starts_with(key, ?) ORDER BY key", [PREFIX]
    ).fetchall()
    return {str(k)[len(PREFIX) :]: str(v) for k, v in rows}


def unlinked_customers(con: duckdb.DuckDBPyConnection) -> int:
    """Accounts without a one_id. After a build there are none (a person alone gets an id too),
    so any means OneID is behind — also in a warehouse written before stale marks existed."""
    row = con.execute("SELECT count(*) FROM customers WHERE one_id IS NULL").fetchone()
    return int(row[0]) if row else 0


def needs_rebuild(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """What must be rebuilt: the stale marks, plus OneID when accounts lack a one_id, plus the
    person key when orders lack one."""
    stale = stale_state(con)
    if ONE_ID not in stale:
        missing = unlinked_customers(con)
        if missing:
            stale[ONE_ID] = f"{missing} account(s) without a one_id"
    return with_unkeyed_orders(con, stale)


def with_unkeyed_orders(con: duckdb.DuckDBPyConnection, stale: dict[str, str]) -> dict[str, str]:
    """`stale` plus the person key when orders with an account lack it (never a silent NULL)."""
    from shopql.warehouse.person_key import unkeyed_orders

    if PERSON_KEY not in stale:
        unkeyed = unkeyed_orders(con)
        if unkeyed:
            stale[PERSON_KEY] = f"{unkeyed} order(s) without a person key"
    return stale
