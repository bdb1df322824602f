"""The recent slice: the rows of the big fact tables a time-bounded read can touch, kept in memory
between the board's ticks.

The board asks the same kind of question every few seconds, always about the last days (today
so far, the same span yesterday and a week ago, a 30-day trend, alert windows). Some catalog
times cannot be pruned by DuckDB's zone maps (a payment's time falls back to its order's through
a join; a refund's through the order too), so on a big warehouse each of those reads joins years
of orders. The slice copies, once per change of the warehouse file, every row a read starting at
or after `since` can count or join:

- orders created or paid since then, plus the orders of recent payments, refunds and reviews
  (their dimensions come from the order);
- payments attempted since then, plus those without an attempt time whose order is in the slice
  (they take the order's time);
- refunds finished or requested since then, plus every refund of an order in the slice (the
  refund events without a record look for them);
- the lines of the orders in the slice; the small tables (products, shops, inventory, …) whole.

A read may use the slice when every table it names is in it, its time range (and the range it
compares with) starts at or after `since`, and no measure comes from a model that ranks all
history (each person's first order). Anything else reads the warehouse, as before.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import duckdb

SLICED = ("orders", "payments", "refunds", "order_items")
WHOLE = (
    "products",
    "shops",
    "inventory",
    "category_names",
    "product_spus",
    "product_skus",
)
# models over the sliced tables that need rows from before the read's range
HISTORY_MODELS = ("first_orders",)


def file_version(path: Path) -> tuple[int, ...]:
    """Size and modification time of the warehouse file and its WAL: any write changes one."""
    out: list[int] = []
    for p in (path, path.with_name(path.name + ".wal")):
        try:
            st = p.stat()
            out += [st.st_size, st.st_mtime_ns]
        except OSError:
            out += [-1, -1]
    return tuple(out)


class RecentSlice:
    """In-memory copies of the warehouse's recent rows, rebuilt when the warehouse file changed
    or a read needs older rows than they hold. Besides the widest slice (from `since`), narrower
    ones (e.g. the last week, for the KPI tiles) are cut from it in memory: each read takes the
    narrowest that holds its range."""

    def __init__(self, warehouse: Path) -> None:
        self.warehouse = warehouse
        self.con: duckdb.DuckDBPyConnection | None = None  # the widest slice
        self.since: dt.datetime | None = None
        self.version: tuple[int, ...] | None = None
        self.tables: set[str] = set()
        self.levels: list[tuple[dt.datetime, duckdb.DuckDBPyConnection]] = []  # narrowest first
        self.levels_for: list[dt.datetime] | None = None
        self.level_db: dict[dt.datetime, str] = {}  # a narrower slice's start -> its database
        # where the warehouse's change log stood when the slice last matched it (None: no log)
        self.log: tuple[int, tuple[int, ...]] | None = None
        self.builds = 0
        self.refreshes = 0  # incremental refreshes (only the changed days copied)

    def ensure(
        self,
        since: dt.datetime,
        narrower: tuple[dt.datetime, ...] = (),
        reader: duckdb.DuckDBPyConnection | None = None,
    ) -> None:
        """Make the slices hold every row of the warehouse from `since` on, plus the narrower
        slices from each of `narrower`. `reader`, a read-only connection to the warehouse, lets
        a slice whose warehouse changed since it was copied refresh only the changed days (from
        the change log, warehouse/changes.py) instead of copying everything again."""
        version = file_version(self.warehouse)
        covers = self.con is not None and self.since is not None and self.since <= since
        if covers and self.version != version and reader is not None:
            if self._refresh(reader):
                self.version = version
                self.refreshes += 1
        if not (covers and self.version == version):
            self.close()
            try:
                self.con = _build(self.warehouse, since)
            except duckdb.Error:  # e.g. a sync holds the file: this tick reads the warehouse
                return
            self.log = log_state(reader) if reader is not None else None
            self.tables = {
                str(r[0])
                for r in self.con.execute(
                    "SELECT table_name FROM information_schema.tables"
                    " WHERE table_catalog = 'memory' AND table_schema = 'main'"
                ).fetchall()
            }
            self.since, self.version = since, version
            self.builds += 1
        wanted = sorted({n for n in narrower if self.since is not None and n > self.since})
        if not _serve(sorted(s for s, _ in self.levels), wanted) or self.levels_for is None:
            self.levels_for = wanted
            try:
                self._cut(wanted)
            except duckdb.Error:  # out of memory: the widest slice serves every read
                for _, cursor in self.levels:
                    cursor.close()
                self.levels = []

    def _cut(self, starts: list[dt.datetime]) -> None:
        """Narrower slices, cut from the widest one (each its own attached in-memory database,
        read through its own cursor)."""
        assert self.con is not None
        for _, cursor in self.levels:
            cursor.close()
        self.levels, self.level_db = [], {}
        names = {
            str(r[0])
            for r in self.con.execute(
                "SELECT database_name FROM duckdb_databases() WHERE NOT internal"
            ).fetchall()
        }
        for i, start in enumerate(starts):
            name = f"slice{i}"
            if name in names:
                self.con.execute(f"DETACH {name}")
            self.con.execute(f"ATTACH ':memory:' AS {name}")
            if set(SLICED) <= self.tables:
                _fill(self.con, start, source="memory.main", target=f"{name}.main")
            for table in self.tables - set(SLICED):
                self.con.execute(
                    f"CREATE VIEW {name}.main.{table} AS SELECT * FROM memory.main.{table}"
                )
            cursor = self.con.cursor()
            cursor.execute(f"USE {name}")
            self.levels.insert(0, (start, cursor))
            self.level_db[start] = name

    def reader(
        self, sql: str, starts: list[dt.datetime | None], models: set[str]
    ) -> duckdb.DuckDBPyConnection | None:
        """The narrowest slice on which a read of `sql` — whose ranges start at `starts` (None:
        unbounded) and whose measures come from `models` — gives the same rows; None when only
        the warehouse does."""
        if self.con is None or self.since is None:
            return None
        if any(s is None or s < self.since for s in starts) or models & set(HISTORY_MODELS):
            return None
        if not tables_of(sql) <= self.tables:
            return None
        first = min(s for s in starts if s is not None) if starts else self.since
        for start, cursor in self.levels:
            if start <= first:
                return cursor
        return self.con

    def can_read(self, sql: str, starts: list[dt.datetime | None], models: set[str]) -> bool:
        return self.reader(sql, starts, models) is not None

    def close(self) -> None:
        for _, cursor in self.levels:
            cursor.close()
        if self.con is not None:
            self.con.close()
        self.con, self.since, self.version, self.tables, self.levels = None, None, None, set(), []
        self.log, self.levels_for = None, None

    def _refresh(self, reader: duckdb.DuckDBPyConnection) -> bool:
        """Bring the slice up to date with the writes logged since it last matched the warehouse,
        copying only the rows from the day of the earliest time they touched. False when the log
        cannot tell (no log, a write outside it, a change before the slice's start, deleted or
        updated rows it cannot place): the caller copies everything again."""
        if self.log is None or self.con is None or self.since is None:
            return False
        try:
            plan = _plan(reader, self.log)
        except duckdb.Error:
            return False
        if plan is None:
            return False
        seq, marks, since, items_from, rekeyed = plan
        start = None if since is None else dt.datetime.combine(since.date(), dt.time())
        if start is not None and start < self.since:
            return False
        levels = [(start_, self.level_db[start_]) for start_, _ in self.levels]
        try:
            if not _apply(reader, self.con, self.tables, self.since, start, items_from, levels):
                self.levels_for = None  # cut the narrower slices again
            if rekeyed and "orders" in self.tables:
                _rekey(reader, self.con, self.since)
                self.levels_for = None
        except duckdb.Error:
            return False
        self.log = (seq, marks)
        return True


_TABLES: dict[str, frozenset[str]] = {}
_TIMESTAMPS = re.compile(r"'\d{4}-\d\d-\d\d[0-9 :.]*'")


def tables_of(sql: str) -> frozenset[str]:
    """The tables a statement names (CTE names excluded); remembered per statement shape (its
    timestamps left out: the board asks the same shapes every tick)."""
    import sqlglot
    from sqlglot import exp

    key = _TIMESTAMPS.sub("''", sql)
    found = _TABLES.get(key)
    if found is None:
        tree = sqlglot.parse_one(sql, read="duckdb")
        ctes = {c.alias_or_name for c in tree.find_all(exp.CTE)}
        found = frozenset(t.name for t in tree.find_all(exp.Table) if t.name not in ctes)
        if len(_TABLES) > 512:
            _TABLES.clear()
        _TABLES[key] = found
    return found


def _build(warehouse: Path, since: dt.datetime) -> duckdb.DuckDBPyConnection:
    """A new in-memory database holding the slice of `warehouse` from `since`. The file is
    attached read-only while copying and detached after; then file access is switched off (for
    good: DuckDB cannot switch it on again), like the warehouse readers."""
    import pyarrow  # noqa: F401  (refreshes move rows through Arrow: imported once, here)

    from shopql.warehouse.connection import READER_MEMORY_LIMIT

    # bounded like a reader: a slice that does not fit fails its build, and the board reads the
    # warehouse instead
    mem = duckdb.connect(
        ":memory:",
        config={"python_enable_replacements": False, "memory_limit": READER_MEMORY_LIMIT},
    )
    try:
        _copy_slice(mem, warehouse, since)
    except BaseException:
        mem.close()
        raise
    return mem


def _copy_slice(mem: duckdb.DuckDBPyConnection, warehouse: Path, since: dt.datetime) -> None:
    try:
        mem.execute("ATTACH ? AS _wh (READ_ONLY)", [str(warehouse)])
        present = {
            str(r[0])
            for r in mem.execute(
                """SELECT table_name FROM information_schema.tables
                   WHERE table_catalog = '_wh' AND table_schema = 'main'
                     AND table_type = 'BASE TABLE'"""
            ).fetchall()
        }
        if set(SLICED) <= present:  # else an empty slice: every read goes to the warehouse
            _fill(mem, since, "_wh.main", "memory.main", "reviews" in present)
            for table in WHOLE:
                if table in present:
                    mem.execute(
                        f"CREATE TABLE memory.main.{table} AS SELECT * FROM _wh.main.{table}"
                    )
    finally:
        mem.execute("DETACH DATABASE IF EXISTS _wh")
        mem.execute("SET enable_external_access = false")  # cannot be switched on again


def _fill(
    mem: duckdb.DuckDBPyConnection,
    since: dt.datetime,
    source: str,
    target: str,
    reviews: bool = False,
    items_from: int | None = -1,
) -> None:
    """The sliced tables of `source` (a schema) from `since`, as tables in `target`. With
    `items_from`, only the order lines from that row id on (those a change appended; None:
    none) — the lines of the orders it did not touch are in the slice already."""
    wh = source
    mem.execute(
        f"""CREATE OR REPLACE TEMP TABLE _recent_orders AS
        SELECT * FROM {wh}.orders WHERE created_at >= $1
        UNION ALL
        SELECT * FROM {wh}.orders WHERE paid_at >= $1 AND (created_at < $1 OR created_at IS NULL)""",
        [since],
    )
    refund_time = "coalesce(finished_at, requested_at)"
    recent_reviews = (
        f"UNION SELECT order_id FROM {wh}.reviews WHERE created_at >= $1" if reviews else ""
    )
    mem.execute(
        f"""INSERT INTO _recent_orders
        SELECT * FROM {wh}.orders WHERE order_id IN (
            SELECT order_id FROM (
                SELECT order_id FROM {wh}.payments WHERE attempted_at >= $1
                UNION SELECT order_id FROM {wh}.refunds WHERE {refund_time} >= $1
                {recent_reviews})
            WHERE order_id IS NOT NULL
            EXCEPT SELECT order_id FROM _recent_orders)""",
        [since],
    )
    lines_from = "" if items_from == -1 else f" AND rowid >= {items_from}"
    if items_from is None:
        lines_from = " AND false"
    slices = {
        "orders": "SELECT * FROM _recent_orders",
        "payments": f"""SELECT * FROM {wh}.payments WHERE attempted_at >= $1
            UNION ALL SELECT * FROM {wh}.payments WHERE attempted_at IS NULL
                AND order_id IN (SELECT order_id FROM _recent_orders)""",
        "refunds": f"""SELECT * FROM {wh}.refunds WHERE {refund_time} >= $1
            OR order_id IN (SELECT order_id FROM _recent_orders)""",
        "order_items": f"""SELECT * FROM {wh}.order_items
            WHERE order_id IN (SELECT order_id FROM _recent_orders){lines_from}""",
    }
    for table, select in slices.items():
        params = [since] if "$1" in select else []
        temp = "TEMP " if target.startswith("temp.") else ""
        mem.execute(f"CREATE {temp}TABLE {target}.{table} AS {select}", params)
    mem.execute("DROP TABLE _recent_orders")


def _serve(levels: list[dt.datetime], wanted: list[dt.datetime]) -> bool:
    """Narrower slices starting at `levels` serve reads from `wanted` on: each starts at or
    before its wanted start and at most two days before it (the board's day moved on)."""
    return len(levels) == len(wanted) and all(
        have <= want <= have + dt.timedelta(days=2)
        for have, want in zip(levels, wanted, strict=True)
    )


LogState = tuple[int, tuple[int, ...]]  # the last change logged, the table marks after it


def log_state(reader: duckdb.DuckDBPyConnection) -> LogState | None:
    """Where the change log stands in the warehouse behind `reader` (None: it has no log)."""
    from shopql.warehouse import changes

    try:
        if not changes.has_log(reader):
            return None
        row = reader.execute("SELECT coalesce(max(seq), 0) FROM _changes").fetchone()
        return (int(row[0]) if row else 0, changes.marks(reader))
    except duckdb.Error:
        return None


def _plan(
    reader: duckdb.DuckDBPyConnection, state: LogState
) -> tuple[int, tuple[int, ...], dt.datetime | None, int | None, bool] | None:
    """What changed since `state`: (last change, marks now, the earliest time touched — None:
    no row of the sliced tables —, the first appended order line's row id, whether persons'
    keys moved); None when the log
    does not account for every change (the slice must be copied again)."""
    from shopql.warehouse import changes

    if not changes.has_log(reader):
        return None
    seq, chain = state
    rows = reader.execute(
        """SELECT seq, since, full_copy, items_from, before, after, updated FROM _changes
           WHERE seq > ? ORDER BY seq""",
        [seq],
    ).fetchall()
    since: dt.datetime | None = None
    items_from: int | None = None
    rekeyed = False
    for r in rows:
        if changes.decode(r[4]) != chain:  # a write outside the log
            return None
        chain = changes.decode(r[5]) or ()
        seq = int(r[0])
        if r[6] == "orders.one_id":  # only the person key moved: re-read it for every order
            rekeyed = True
            continue
        if r[2]:  # rows it could not place in time
            return None
        if r[1] is not None:
            since = r[1] if since is None else min(since, r[1])
        if r[3] is not None:
            items_from = int(r[3]) if items_from is None else min(items_from, int(r[3]))
    if changes.marks(reader) != chain:  # written without a log row since
        return None
    if items_from is not None and since is None:
        return None
    return seq, chain, since, items_from, rekeyed


def _apply(
    reader: duckdb.DuckDBPyConnection,
    mem: duckdb.DuckDBPyConnection,
    tables: set[str],
    since: dt.datetime,
    start: dt.datetime | None,
    items_from: int | None,
    levels: list[tuple[dt.datetime, str]],
) -> bool:
    """Replace the slice's rows from `start` on (and the rows joined to them) with the
    warehouse's, in the widest slice (from `since`) and in the narrower `levels` (their start,
    their database); the small tables are copied whole. False when a narrower slice starts after
    `start`: it must be cut again."""
    cur = reader.cursor()
    try:
        fresh: dict[str, object] = {}
        for table in sorted(tables - set(SLICED)):  # copied again when they changed
            mark = f"SELECT count(*), sum(hash(t)) FROM {{}}{table} AS t"
            if (
                cur.execute(mark.format("")).fetchall()
                != mem.execute(mark.format("memory.main.")).fetchall()
            ):
                fresh[table] = cur.sql(f"SELECT * FROM {table}").to_arrow_table()
        if start is not None and set(SLICED) <= tables:
            db = cur.execute("SELECT current_database()").fetchone()[0]  # type: ignore[index]
            present = {str(r[0]) for r in cur.execute("SHOW TABLES").fetchall()}
            _fill(cur, start, f'"{db}".main', "temp.main", "reviews" in present, items_from)
            for table in SLICED:
                fresh["_d_" + table] = cur.sql(f"SELECT * FROM temp.main.{table}").to_arrow_table()
    finally:
        cur.close()
    for name, data in fresh.items():
        mem.register("_arrow_in", data)
        try:
            if name.startswith("_d_"):
                mem.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM _arrow_in")
            else:
                mem.execute(f"DELETE FROM memory.main.{name}")
                mem.execute(f"INSERT INTO memory.main.{name} SELECT * FROM _arrow_in")
        finally:
            mem.unregister("_arrow_in")
    if start is None or not set(SLICED) <= tables:
        return True
    recut = False
    try:

        def from_warehouse(ids: list[str]) -> None:  # lines written before: a scan of all lines
            cur = reader.cursor()
            try:
                lines = cur.sql(
                    "SELECT * FROM order_items WHERE order_id IN (SELECT unnest($1::VARCHAR[]))",
                    params=[ids],
                ).to_arrow_table()
            finally:
                cur.close()
            mem.register("_arrow_in", lines)
            try:
                mem.execute("INSERT INTO memory.main.order_items SELECT * FROM _arrow_in")
            finally:
                mem.unregister("_arrow_in")

        _merge(mem, "memory.main", start, since, from_warehouse)
        for level_start, name in levels:  # the narrower slices take the same rows
            if start < level_start:
                recut = True
                continue

            def from_widest(ids: list[str], name: str = name) -> None:
                mem.execute(
                    f"""INSERT INTO {name}.main.order_items SELECT * FROM memory.main.order_items
                    WHERE order_id IN (SELECT unnest($1::VARCHAR[]))""",
                    [ids],
                )

            _merge(mem, f"{name}.main", start, level_start, from_widest)
    finally:
        for table in SLICED:
            mem.execute(f"DROP TABLE IF EXISTS _d_{table}")
    return not recut


def _merge(
    mem: duckdb.DuckDBPyConnection,
    schema: str,
    start: dt.datetime,
    since: dt.datetime,
    older_lines: Any,
) -> None:
    """Replace the rows of the slice in `schema` (which holds the rows from `since` on) from
    `start` on with the delta tables ``_d_*``; `older_lines(ids)` adds the lines of orders new
    to the slice whose lines the change did not append."""
    refund_time = "coalesce(finished_at, requested_at)"
    params = [start]
    mem.execute("BEGIN TRANSACTION")
    try:
        # the slice's orders replaced: those from the start on, and those the changes brought in
        mem.execute(
            f"""CREATE OR REPLACE TEMP TABLE _gone AS SELECT order_id FROM {schema}.orders
            WHERE created_at >= $1 OR paid_at >= $1
               OR order_id IN (SELECT order_id FROM _d_orders)""",
            params,
        )
        # orders new to the slice whose lines were not just appended: their lines are older
        mem.execute(
            f"""CREATE OR REPLACE TEMP TABLE _newcomers AS
            SELECT order_id FROM _d_orders
            EXCEPT SELECT order_id FROM {schema}.orders
            EXCEPT SELECT order_id FROM _d_order_items"""
        )
        mem.execute(
            f"""DELETE FROM {schema}.payments WHERE attempted_at >= $1
               OR (attempted_at IS NULL AND order_id IN (SELECT order_id FROM _gone))""",
            params,
        )
        mem.execute(
            f"""DELETE FROM {schema}.refunds WHERE {refund_time} >= $1
               OR (order_id IN (SELECT order_id FROM _gone)
                   AND NOT coalesce({refund_time} >= $2 AND {refund_time} < $1, false))""",
            [start, since],
        )
        mem.execute(
            f"""DELETE FROM {schema}.order_items WHERE order_id IN (
                SELECT order_id FROM _d_order_items
                UNION SELECT order_id FROM _gone EXCEPT SELECT order_id FROM _d_orders)"""
        )
        mem.execute(f"DELETE FROM {schema}.orders WHERE order_id IN (SELECT order_id FROM _gone)")
        mem.execute(f"INSERT INTO {schema}.orders SELECT * FROM _d_orders")
        mem.execute(f"INSERT INTO {schema}.payments SELECT * FROM _d_payments")
        mem.execute(
            f"""INSERT INTO {schema}.refunds SELECT * FROM _d_refunds
            WHERE NOT coalesce({refund_time} >= $2 AND {refund_time} < $1, false)""",
            [start, since],
        )
        mem.execute(f"INSERT INTO {schema}.order_items SELECT * FROM _d_order_items")
        ids = mem.execute("SELECT list(order_id) FROM _newcomers").fetchall()[0][0] or []
        if ids:
            older_lines(ids)
        mem.execute("COMMIT")
    except BaseException:
        mem.execute("ROLLBACK")
        raise
    finally:
        for name in ("_gone", "_newcomers"):
            mem.execute(f"DROP TABLE IF EXISTS {name}")


def _rekey(
    reader: duckdb.DuckDBPyConnection, mem: duckdb.DuckDBPyConnection, since: dt.datetime
) -> None:
    """Re-read the person key of every order in the slice (a OneID build moved some)."""
    older = mem.execute(
        """SELECT list(order_id) FROM memory.main.orders
           WHERE NOT coalesce(created_at >= $1 OR paid_at >= $1, false)""",
        [since],
    ).fetchall()[0]
    ids = (older[0] if older else None) or []
    cur = reader.cursor()  # a connection of its own: no result of the caller's is pending
    try:
        _rekey_from(cur, mem, since, ids)
    finally:
        cur.close()


def _rekey_from(
    reader: duckdb.DuckDBPyConnection,
    mem: duckdb.DuckDBPyConnection,
    since: dt.datetime,
    ids: list[str],
) -> None:
    keys = reader.sql(
        """SELECT order_id, one_id FROM orders WHERE created_at >= $1
        UNION ALL SELECT order_id, one_id FROM orders
        WHERE paid_at >= $1 AND (created_at < $1 OR created_at IS NULL)""",
        params=[since],
    ).to_arrow_table()
    mem.register("_arrow_keys", keys)
    try:
        mem.execute(
            """UPDATE memory.main.orders SET one_id = k.one_id FROM _arrow_keys k
               WHERE orders.order_id = k.order_id AND orders.one_id IS DISTINCT FROM k.one_id"""
        )
    finally:
        mem.unregister("_arrow_keys")
    if ids:  # orders in the slice for a recent payment or refund: looked up by id
        keys = reader.sql(
            """SELECT order_id, one_id FROM orders
               WHERE order_id IN (SELECT unnest($1::VARCHAR[]))""",
            params=[ids],
        ).to_arrow_table()
        mem.register("_arrow_keys", keys)
        try:
            mem.execute(
                """UPDATE memory.main.orders SET one_id = k.one_id FROM _arrow_keys k
                   WHERE orders.order_id = k.order_id
                     AND orders.one_id IS DISTINCT FROM k.one_id"""
            )
        finally:
            mem.unregister("_arrow_keys")
