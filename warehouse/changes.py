"""The change log of the big fact tables: what each write did, so a reader that keeps a copy of
the recent rows (the board's recent slice, warehouse/recent.py) can refresh only what changed
instead of copying everything again.

One row in ``_changes`` per write, in the writer's transaction:

- ``since``: the earliest time of any row the write inserted or updated (an order's created or
  paid time; a payment's attempt, a refund's request or finish, a review's time, else its
  order's; an order line's order's). NULL when a row has no time at all, or a write changed rows
  the log cannot place in time (updated in place or deleted) — a reader then copies everything.
- ``items_from``: the first row id of the order lines this write appended. Lines are replaced
  per order (delete the order's lines, append the new ones), so the lines of every order the
  write touched are exactly the appended ones from there on.
- ``before`` / ``after``: the row counts of the tables (and the lines' highest row id) before
  and after the write. A reader checks that the log is a chain (each write starts where the last
  ended, the last ends where the warehouse is now); anything written without a log row (a test
  inserting rows, an import) breaks the chain and the reader copies everything.

Writers: sync (``record_write``, per file) and the person key's refresh after a OneID build
(``record_update``). In-place updates by any other writer are not seen: they must log too.
"""

from __future__ import annotations

import duckdb

TABLES = ("orders", "order_items", "payments", "refunds", "reviews")

# the time of a row of each table, falling back to its order's (alias o) where it has none
_ORDER_TIME = "coalesce(least(o.created_at, o.paid_at), o.created_at, o.paid_at)"
_ROW_TIME = {
    "orders": _ORDER_TIME,
    "payments": f"coalesce(t.attempted_at, {_ORDER_TIME})",
    "refunds": f"coalesce(least(t.requested_at, t.finished_at), t.requested_at, t.finished_at, "
    f"{_ORDER_TIME})",
    "reviews": f"coalesce(t.created_at, {_ORDER_TIME})",
    "order_items": _ORDER_TIME,
}

_OWN_TIME = {
    "payments": "t.attempted_at",
    "refunds": "coalesce(least(t.requested_at, t.finished_at), t.requested_at, t.finished_at)",
    "reviews": "t.created_at",
}

Marks = tuple[int, ...]  # row counts of TABLES, then their highest row ids (-1: empty)


def has_log(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        """SELECT count(*) FROM information_schema.tables WHERE table_name = '_changes'
           AND table_catalog = current_database()"""
    ).fetchone()
    return bool(row and row[0])


def marks(con: duckdb.DuckDBPyConnection) -> Marks:
    """Row counts of the logged tables, then their highest row ids (-1: empty)."""
    counts = [f"(SELECT count(*) FROM {t})" for t in TABLES]
    ids = [f"(SELECT coalesce(max(rowid), -1) FROM {t})" for t in TABLES]
    row = con.execute(f"SELECT {', '.join(counts + ids)}").fetchone()
    assert row is not None
    return tuple(int(v) for v in row)


def encode(m: Marks) -> str:
    return ",".join(str(v) for v in m)


def decode(text: str | None) -> Marks | None:
    return tuple(int(v) for v in text.split(",")) if text else None


def _earliest(
    con: duckdb.DuckDBPyConnection, table: str, where: str, file_id: int | None = None
) -> tuple[bool, object]:
    """(every row of `table` matching `where` has a time, the earliest of them). An order
    line's time is its order's: looked up first among the orders of the same file (`file_id`:
    a read of few rows), then, if some are not there, among all orders."""
    if table == "order_items" and file_id is not None:
        own = f"(SELECT * FROM orders WHERE source_file_id = {int(file_id)})"
        found = _earliest_lines(con, where, own)
        if found[0]:
            return found
    if table == "order_items":
        return _earliest_lines(con, where, "orders")
    if table == "orders":
        rows = f"SELECT {_ORDER_TIME} AS tm FROM orders o WHERE {where}"
    elif table in _OWN_TIME:  # rows with a time of their own need no order
        timed = con.execute(
            f"""SELECT bool_and(tm IS NOT NULL), min(tm) FROM (
                SELECT {_OWN_TIME[table]} AS tm FROM {table} t WHERE {where})"""
        ).fetchone()
        if timed is not None and timed[0] is not False:
            return (True, timed[1])
        rows = f"""SELECT {_ROW_TIME[table]} AS tm FROM {table} t
            LEFT JOIN orders o ON o.order_id = t.order_id WHERE {where}"""
    else:
        rows = f"""SELECT {_ROW_TIME[table]} AS tm FROM {table} t
            LEFT JOIN orders o ON o.order_id = t.order_id WHERE {where}"""
    row = con.execute(f"SELECT bool_and(tm IS NOT NULL), min(tm) FROM ({rows})").fetchone()
    assert row is not None
    return (row[0] is not False, row[1])


def _earliest_lines(con: duckdb.DuckDBPyConnection, where: str, orders: str) -> tuple[bool, object]:
    row = con.execute(
        f"""SELECT bool_and(tm IS NOT NULL), min(tm) FROM (
            SELECT {_ORDER_TIME} AS tm
            FROM (SELECT DISTINCT order_id FROM order_items WHERE {where}) t
            LEFT JOIN {orders} o ON o.order_id = t.order_id)"""
    ).fetchone()
    assert row is not None
    return (row[0] is not False, row[1])


def record_write(
    con: duckdb.DuckDBPyConnection,
    before: Marks,
    what: str,
    *,
    file_id: int | None = None,
    written: dict[str, int] | None = None,
    lines_replaced: bool = True,
) -> None:
    """Log, inside its transaction, a write between `before` (``marks`` taken at its start)
    and now. `written` = rows the write sent per table (more than it appended: some were
    updated in place, or skipped); orders it wrote carry ``source_file_id = file_id``.
    `lines_replaced`: order lines were replaced per order (so an order whose lines it appended
    has no other lines, and every line it deleted belongs to such an order)."""
    if not has_log(con):
        return
    counts = marks(con)[: len(TABLES)]
    written = written or {}
    n = len(TABLES)
    # inside the transaction new rows carry provisional row ids; at commit they follow the
    # table's last row: the highest row id after it is the one before plus the rows appended
    tops: list[int] = []
    times: list[object] = []
    known = True
    items_from: int | None = None
    for i, table in enumerate(TABLES):
        top = before[n + i]  # rows after it were appended by this write
        row = con.execute(f"SELECT count(*) FROM {table} WHERE rowid > {top}").fetchone()
        appended = int(row[0]) if row else 0
        tops.append(top + appended)
        deleted = before[i] + appended - counts[i]
        updated = written.get(table, 0) > appended
        if before[n + i] < 0 and appended:  # a first load: readers copy everything anyway
            known = False
            continue
        if table == "orders" and file_id is not None and not deleted:
            # updated in place or appended: the orders of this file (their own times)
            where, changed = f"source_file_id = {int(file_id)}", bool(appended or updated)
            row = con.execute(f"SELECT count(*) FROM orders WHERE {where}").fetchone()
            if updated and (int(row[0]) if row else 0) < written.get(table, 0):
                known = False  # some were written without the file's id: cannot place them
                continue
        elif table == "order_items" and appended:
            if not lines_replaced:  # appended next to older lines of the same orders
                known = False
                continue
            where, changed, items_from = f"rowid > {top}", True, top + 1
        elif deleted or updated:
            known = False
            continue
        else:
            where, changed = f"t.rowid > {top}", bool(appended)
        if changed:
            ok, t = _earliest(con, table, where, file_id)
            known = known and ok
            times.append(t)
    found = [t for t in times if t is not None]
    since = min(found) if known and found else None  # type: ignore[type-var]
    _insert(con, what, since, known, items_from, before, (*counts, *tops))


def record_update(
    con: duckdb.DuckDBPyConnection, what: str, since: object, column: str = "orders.one_id"
) -> None:
    """Log an in-place update of `column` in order rows whose earliest time is `since` (None:
    unknown). A reader may re-read that column of its rows instead of the changed days."""
    if not has_log(con):
        return
    now = marks(con)
    _insert(con, what, since, since is not None, None, now, now, column)


def _insert(
    con: duckdb.DuckDBPyConnection,
    what: str,
    since: object,
    known: bool,
    items_from: int | None,
    before: Marks,
    after: Marks,
    updated: str | None = None,
) -> None:
    con.execute(
        """INSERT INTO _changes VALUES (nextval('_change_seq'), current_localtimestamp(), ?, ?,
           ?, ?, ?, ?, ?)""",
        [what, since, not known, items_from, encode(before), encode(after), updated],
    )
