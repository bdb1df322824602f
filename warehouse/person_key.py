"""The person key on the fact rows: ``orders.one_id``.

It is what the catalog's ``person`` dimension and the buyer measures count: the OneID of the
order's account, the account key itself while the account has none (before OneID is built, or an
order whose account never reached ``customers``) — ``coalesce(customers.one_id,
orders.customer_id)`` — kept on the order so person-level metrics need no join at query time.

Who keeps it true, each in the transaction that changes what it is derived from:

- sync, for the orders a file writes (``stage_orders``: the key joins the staged rows before
  they are merged);
- OneID builds (``shopql identity build`` and the identity step of sync), for every order whose
  account's one_id changed (``refresh``);
- the migration that adds the column (``fill``).

Orders written any other way (an INSERT without one_id) are caught by ``unkeyed_orders``: the
derived state ``person_key`` is then stale and is rebuilt before a command reads, like OneID.
"""

from __future__ import annotations

import duckdb

from shopql.warehouse.derived import PERSON_KEY, clear_stale

# One row per account: customers holds one row per customer_id, and OneID gives all rows of an
# account the same one_id; min() keeps an accidental duplicate from repeating an order.
_ACCOUNTS = "(SELECT customer_id, min(one_id) AS one_id FROM customers GROUP BY customer_id)"


def stage_orders(con: duckdb.DuckDBPyConnection, table: str, names: list[str]) -> list[str]:
    """Add the person key to staged order rows in `table` (which carries `names`); returns the
    column names to write. Rows without an account keep a NULL key, as before."""
    if "customer_id" not in names:
        return names
    if "one_id" in names:
        names = [n for n in names if n != "one_id"]
        con.execute(f"ALTER TABLE {table} DROP COLUMN one_id")
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT s.*, coalesce(a.one_id, s.customer_id) AS one_id
        FROM {table} AS s LEFT JOIN {_ACCOUNTS} AS a USING (customer_id)"""
    )
    return [*names, "one_id"]


def refresh(con: duckdb.DuckDBPyConnection) -> int:
    """Set ``orders.one_id`` wherever it differs from what the accounts say now (inside the
    caller's transaction); returns the number of orders changed. Only differing rows are written,
    so a rebuild of OneID that moved few accounts touches few orders. A warehouse before the
    key's migration has nothing to refresh (the migration fills the key)."""
    if not has_key(con):
        return 0
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _person_key_diff AS
        SELECT o.rowid AS rid, coalesce(a.one_id, o.customer_id) AS one_id
        FROM orders AS o LEFT JOIN {_ACCOUNTS} AS a USING (customer_id)
        WHERE o.one_id IS DISTINCT FROM coalesce(a.one_id, o.customer_id)"""
    )
    try:
        row = con.execute("SELECT count(*) FROM _person_key_diff").fetchone()
        changed = int(row[0]) if row else 0
        if changed:
            con.execute(
                """UPDATE orders SET one_id = d.one_id FROM _person_key_diff AS d
                   WHERE orders.rowid = d.rid"""
            )
            _log(con, changed)
    finally:
        con.execute("DROP TABLE IF EXISTS _person_key_diff")
    return changed


def _log(con: duckdb.DuckDBPyConnection, changed: int) -> None:
    """Tell the change log (warehouse/changes.py) the earliest time of the re-keyed orders."""
    from shopql.warehouse import changes

    if not changes.has_log(con):
        return
    row = con.execute(
        """SELECT bool_and(tm IS NOT NULL), min(tm) FROM (
           SELECT coalesce(least(created_at, paid_at), created_at, paid_at) AS tm FROM orders
           WHERE rowid IN (SELECT rid FROM _person_key_diff))"""
    ).fetchone()
    known = bool(row and row[0] is not False)
    changes.record_update(con, f"person key: {changed} order(s)", row[1] if row and known else None)


def has_key(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the warehouse's orders have the person key column."""
    row = con.execute(
        """SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders'
           AND column_name = 'one_id' AND table_catalog = current_database()"""
    ).fetchone()
    return bool(row and row[0])


def fill(con: duckdb.DuckDBPyConnection) -> None:
    """Migration step: key every existing order (the migration's transaction)."""
    refresh(con)


def rebuild(con: duckdb.DuckDBPyConnection) -> int:
    """Refresh the key and clear its stale mark, in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        changed = refresh(con)
        clear_stale(con, PERSON_KEY)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return changed


def unkeyed_orders(con: duckdb.DuckDBPyConnection) -> int:
    """Orders with an account but no person key: written by something other than sync (or by a
    release before the key existed). A scan of two columns, cheap enough for every command."""
    try:
        row = con.execute(
            "SELECT count(*) FROM orders WHERE one_id IS NULL AND customer_id IS NOT NULL"
        ).fetchone()
    except duckdb.Error:  # a warehouse before the key's migration: nothing to say here
        return 0
    return int(row[0]) if row else 0
