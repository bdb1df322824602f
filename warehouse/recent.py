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
        self.builds = 0

    def ensure(self, since: dt.datetime, narrower: tuple[dt.datetime, ...] = ()) -> None:
        """Make the slices hold every row of the warehouse from `since` on, plus the narrower
        slices from each of `narrower`."""
        version = file_version(self.warehouse)
        fresh = self.con is not None and self.version == version
        if not (fresh and self.since is not None and self.since <= since):
            self.close()
            try:
                self.con = _build(self.warehouse, since)
            except duckdb.Error:  # e.g. a sync holds the file: this tick reads the warehouse
                return
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
        if [s for s, _ in self.levels] != wanted[::-1]:
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
        self.levels = []
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
) -> None:
    """The sliced tables of `source` (a schema) from `since`, as tables in `target`."""
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
    slices = {
        "orders": "SELECT * FROM _recent_orders",
        "payments": f"""SELECT * FROM {wh}.payments WHERE attempted_at >= $1
            UNION ALL SELECT * FROM {wh}.payments WHERE attempted_at IS NULL
                AND order_id IN (SELECT order_id FROM _recent_orders)""",
        "refunds": f"""SELECT * FROM {wh}.refunds WHERE {refund_time} >= $1
            OR order_id IN (SELECT order_id FROM _recent_orders)""",
        "order_items": f"""SELECT * FROM {wh}.order_items
            WHERE order_id IN (SELECT order_id FROM _recent_orders)""",
    }
    for table, select in slices.items():
        params = [since] if "$1" in select else []
        mem.execute(f"CREATE TABLE {target}.{table} AS {select}", params)
    mem.execute("DROP TABLE _recent_orders")
