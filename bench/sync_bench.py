"""Sync throughput against DuckDB's own reader and the paths a Python user would take, as ratios.

    python -m shopql.bench.sync_bench --rows 1000000
    python -m shopql.bench.sync_bench --events --rows 100000000 --only read_csv,shopql \
        --naive-rows 0 --keep /data/events-100m

On one generated Olist-layout order-lines file (or, with --events, a Taobao UserBehavior-layout
behaviour log, the biggest table), each contender runs in its own fresh process (so each has its
own peak memory), timed from start to a closed database file:

1. `shopql sync` into a fresh workspace: detect, stage, clean, check, write order_items, orders
   and products, quarantine, lineage, product master, OneID; DuckDB's memory capped by the
   workspace's `memory_limit` (3GB unless set), spilling to .shopql/tmp;
2. the limit: DuckDB's own `read_csv` of the same file into a typed table (no checks);
   the floor: the rows shopql writes, straight from a typed `read_csv` into the canonical
   tables (no checks, quarantine, de-duplication, lineage or OneID) — what the tables' own
   width and string keys cost, the best any sync into them could do; the narrow floor: the
   same rows into tables of only the columns an order-lines file fills (what the canonical
   tables' empty columns cost: the data-model lever, measured; not a table shopql has);
   shopql's load: the sync's own read, checks, quarantine, writes and lineage (no product
   master, no OneID), into the canonical tables and (the narrow load) into the narrow ones —
   what shopql itself would cost if the canonical tables held only the file's columns;
3. pandas: `read_csv` (dates parsed) + the DataFrame inserted into DuckDB;
4. polars: `read_csv` (dates parsed) + insert through Arrow;
5. the naive baseline: pandas `read_csv` plus one INSERT per row (on a slice; rows/s compared).

`--storage` measures instead the order lines' write alone (the floor's INSERT into order_items,
the file read beforehand) under DuckDB's storage settings and insert forms (STORAGE): each
variant's CPU s and the size of the file it leaves, each in a fresh process.

Times are wall-clock: on a machine shared with other work, run it when the machine is quiet
(the load average is printed) or use --repeat to keep each contender's best run. --keep DIR
writes the file into DIR once (reused by later runs) and keeps shopql's workspace as DIR/ws.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

HEADER = (
    '"order_id","order_item_id","product_id","seller_id","shipping_limit_date","price",'
    '"freight_value"\n'
)
EVENT_COLUMNS = ["user_id", "item_id", "category_id", "behavior_type", "timestamp"]
EVENTS_FILE = "UserBehavior.csv"  # the Tianchi file's own name: sync detects its first line
CONTENDERS = ("read_csv", "floor", "narrow", "shopql", "load", "narrow_load", "pandas", "polars")
LABELS = {
    "read_csv": "duckdb read_csv into a table    ",
    "floor": "canonical tables, no checks    ",
    "narrow": "narrow tables, no checks       ",
    "shopql": "shopql sync                     ",
    "load": "shopql load, canonical tables   ",
    "narrow_load": "shopql load, narrow tables      ",
    "pandas": "pandas read_csv + frame insert  ",
    "polars": "polars read_csv + Arrow insert  ",
}


def generate(path: Path, rows: int) -> None:
    """An Olist-layout order-lines file with `rows` lines, written by DuckDB."""
    con = duckdb.connect()
    con.execute(
        f"""COPY (SELECT md5((i // 3)::VARCHAR) AS order_id, (i % 3 + 1) AS order_item_id,
                   md5((i % 30000)::VARCHAR) AS product_id, md5((i % 3000)::VARCHAR) AS seller_id,
                   TIMESTAMP '2017-01-01' + to_seconds(i * 13 % 60000000) AS shipping_limit_date,
                   round(10 + (i * 7919 % 100000) / 100.0, 2)::DECIMAL(18,2) AS price,
                   round((i * 104729 % 5000) / 100.0, 2)::DECIMAL(18,2) AS freight_value
            FROM range({rows}) t(i)) TO '{path}' (HEADER false)"""
    )
    con.close()
    with open(path, "rb") as body, open(path.with_suffix(".tmp"), "wb") as out:
        out.write(HEADER.encode())
        shutil.copyfileobj(body, out, 1 << 24)
    path.with_suffix(".tmp").replace(path)


def generate_events(path: Path, rows: int) -> None:
    """A Taobao UserBehavior-layout file (headerless `user,item,category,behaviour,unix time`,
    as Tianchi publishes its 100 M-row log): nine days, pv/cart/fav/buy at the published mix
    (89/5.5/3.5/2 %), one user per ~100 events, 4 M items in 9,439 categories, grouped by user."""
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    con.execute(
        f"""COPY (SELECT i // 100 + 1 AS user_id, hash(i, 'p') % 4000000 + 1 AS item_id,
                   (hash(i, 'p') % 4000000) % 9439 + 1 AS category_id,
                   CASE WHEN hash(i, 't') % 1000 < 890 THEN 'pv'
                        WHEN hash(i, 't') % 1000 < 945 THEN 'cart'
                        WHEN hash(i, 't') % 1000 < 980 THEN 'fav' ELSE 'buy' END AS behavior_type,
                   1511539200 + hash(i, 's') % 777600 AS ts
            FROM range({rows}) t(i)) TO '{path}' (HEADER false)"""
    )
    con.close()


# --- the contenders, each run in a child process: (path, work folder) -> rows written -----------


def run_shopql(path: Path, work: Path) -> int:
    from shopql.config import load_settings
    from shopql.sync.engine import run_sync

    report = run_sync(load_settings(work / "ws"), [path])  # closes the warehouse (checkpoint)
    result = report.files[0]
    assert not report.failed and result.rows_quarantined == 0, report.files
    return result.rows_loaded


# --- the profile: shopql's sync phase by phase (--profile) -------------------------------------

# Functions of the sync whose SQL (and Python) make up a phase, innermost first: a statement is
# charged to the first of these found on its call stack.
PHASES = {
    "_raw_view": "typed read + cell checks (staging)",
    "_keeps_order": "typed read + cell checks (staging)",
    "_stage": "typed read + cell checks (staging)",
    "_standardize_addresses": "addresses",
    "_quarantine": "rejects (quarantine)",
    "_latest": "dedupe (latest row wins)",
    "pseudonymise_rows": "pseudonymise",
    "stage_orders": "person key (orders)",
    "_note_unmapped": "unmapped vocabulary",
    "record_write": "change log",
    "marks": "change log",
    "mark_stale": "derived marks",
    "refresh_master": "product master",
    "build_one_ids": "OneID build",
    "rebuild": "person key rebuild",
    "refresh_workspace_tags": "person tags",
    "needs_rebuild": "derived marks",
    "_sync_into": "macros + pseudonym key",
    "load_file": "already synced? (sha lookup)",
}


# The staging statements the profile replays step by step (`staging_steps`): the views over the
# file and the cleaning SELECT, as the sync ran them.
STAGING = ("CREATE TEMP VIEW _cells ", "CREATE TEMP VIEW _raw ", "CREATE TEMP TABLE _checked AS ")


class _Timed:
    """A connection that charges each statement's wall and CPU time to its phase (and keeps the
    staging statements in `staged`)."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        spent: dict[str, list[float]],
        staged: dict[str, str] | None = None,
    ) -> None:
        self._con, self._spent = con, spent
        self._staged = staged if staged is not None else {}

    def __getattr__(self, name: str) -> object:
        return getattr(self._con, name)

    def execute(self, sql: str, *args: object) -> object:
        import inspect

        phase = "other SQL"
        for prefix in STAGING:
            if sql.startswith(prefix):
                self._staged[prefix] = sql
        head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if head in {"COMMIT", "BEGIN"}:
            phase = "commit" if head == "COMMIT" else "begin"
        else:
            frame = inspect.currentframe()
            frame = frame.f_back if frame else None
            while frame is not None:
                fn = frame.f_code.co_name
                if fn == "_load" and "target" in frame.f_locals:
                    phase = f"write {frame.f_locals['target'].table}"
                    break
                if fn == "_load":
                    phase = "lineage (_sync_files, counts)"
                    break
                if fn in PHASES:
                    phase = PHASES[fn]
                    break
                frame = frame.f_back
        wall, cpu = time.perf_counter(), _cpu()
        try:
            self._con.execute(sql, *args)
        finally:
            got = self._spent.setdefault(phase, [0.0, 0.0, 0])
            got[0] += time.perf_counter() - wall
            got[1] += _cpu() - cpu
            got[2] += 1
        return self

    def close(self) -> None:
        wall, cpu = time.perf_counter(), _cpu()
        self._con.close()
        got = self._spent.setdefault("close (checkpoint)", [0.0, 0.0, 0])
        got[0] += time.perf_counter() - wall
        got[1] += _cpu() - cpu
        got[2] += 1


def profile_shopql(path: Path, work: Path) -> None:
    """One shopql sync of `path`, in this process, timed phase by phase (wall and CPU s)."""
    from shopql.config import load_settings
    from shopql.sync import engine, loader, reader
    from shopql.warehouse.workspace import init_workspace

    spent: dict[str, list[float]] = {}
    staged: dict[str, str] = {}

    def timed(name: str, fn: Callable[..., object]) -> Callable[..., object]:
        def run(*args: object, **kwargs: object) -> object:
            wall, cpu = time.perf_counter(), _cpu()
            try:
                return fn(*args, **kwargs)
            finally:
                got = spent.setdefault(name, [0.0, 0.0, 0])
                got[0] += time.perf_counter() - wall
                got[1] += _cpu() - cpu
                got[2] += 1

        return run

    init_workspace(work / "ws")
    patched = {
        (engine, "open_writer"): timed(
            "open + migrate", lambda *a, **k: _Timed(opened(*a, **k), spent, staged)
        ),
        (loader, "file_sha256"): timed("file sha256 (Python)", loader.file_sha256),
        (loader, "sniff"): timed("sniff (Python)", reader.sniff),
        (loader, "utf8_copy"): timed("decode (utf-8 copy)", reader.utf8_copy),
    }
    opened = engine.open_writer
    saved = {key: getattr(*key) for key in patched}
    for (module, name), fn in patched.items():
        setattr(module, name, fn)
    try:
        before = _cpu()
        started = time.perf_counter()
        report = engine.run_sync(load_settings(work / "ws"), [path])
        seconds, cpu = time.perf_counter() - started, _cpu() - before
    finally:  # the process goes on as it was (the profile also runs inside tests)
        for (module, name), fn in saved.items():
            setattr(module, name, fn)
    assert not report.failed, report.files
    print(f"shopql sync, phase by phase ({report.files[0].rows_loaded:,} rows):")
    print(f"  {'phase':<40} {'wall s':>7} {'CPU s':>7} {'statements':>10}")
    for name, (w, c, n) in sorted(spent.items(), key=lambda kv: -kv[1][0]):
        print(f"  {name:<40} {w:7.2f} {c:7.2f} {int(n):>10}")
    inside = sum(w for w, _c, _n in spent.values())
    print(f"  {'(Python between statements)':<40} {seconds - inside:7.2f}")
    print(f"  {'total':<40} {seconds:7.2f} {cpu:7.2f}")
    staging_steps(path, staged, load_settings(work / "ws").timezone)


def staging_steps(path: Path, staged: dict[str, str], timezone: str, runs: int = 3) -> None:
    """The staging of `path` replayed step by step in a fresh in-memory DuckDB, each step into a
    temporary table (best CPU of `runs`): DuckDB's own typed read; shopql's read of every cell
    as text (rejects kept); the cleaning SELECT without the strip of each cell's ends (typing,
    placeholders, checks); the whole cleaning SELECT as the sync ran it."""
    import re

    from shopql.sync import sqlgen

    checked = staged.get(STAGING[2], "").removeprefix(STAGING[2])
    if not checked:
        return
    con = duckdb.connect()
    try:
        for statement in sqlgen.macros(timezone):
            con.execute(statement)
        for prefix in STAGING[:2]:
            if prefix in staged:
                con.execute(staged[prefix])
        con.execute("SET disabled_optimizers = 'in_clause'")  # as the sync stages
        steps = {
            "DuckDB typed read_csv (no checks)": f"FROM read_csv({sqlgen.lit(str(path))})",
            "every cell read as text (+ rejects)": "FROM _cells",
            "+ typing, placeholders, checks": re.sub(r"sq_strip\((c\d+)\)", r"\1", checked),
            "+ each cell's ends stripped (= staging)": checked,
        }
        print(f"staging, step by step (best CPU s of {runs}; each into a temporary table):")
        for name, select in steps.items():
            best = float("inf")
            for _ in range(runs):
                con.execute("DROP TABLE IF EXISTS _step")
                before = _cpu()
                con.execute(f"CREATE TEMP TABLE _step AS {select}")
                best = min(best, _cpu() - before)
            print(f"  {name:<40} {best:7.2f}")
    finally:
        con.close()


def run_read_csv(path: Path, work: Path) -> int:
    con = duckdb.connect(str(work / "limit.duckdb"))
    con.execute(f"CREATE TABLE items AS SELECT * FROM read_csv('{path}')")
    rows = _count(con)
    con.close()
    return rows


# The narrow floor's tables: only the columns an order-lines file fills (the canonical tables
# have 19, 34 and more; see warehouse/schema.py).
NARROW_TABLES = {
    "order_items": "order_id VARCHAR, line_no INTEGER, product_id VARCHAR, shop_id VARCHAR, "
    "quantity INTEGER, unit_price DECIMAL(18,2), paid_amount DECIMAL(18,2)",
    "orders": "order_id VARCHAR, shop_id VARCHAR, goods_amount DECIMAL(18,2), "
    "shipping_fee DECIMAL(18,2)",
    "products": "product_id VARCHAR, shop_id VARCHAR",
}


def run_floor(path: Path, work: Path, narrow: bool = False) -> int:
    """The floor under any sync into the canonical tables: the same rows shopql writes (keys
    namespaced, amounts typed, order totals and products grouped) straight from a typed
    `read_csv`, with no checks, no quarantine, no de-duplication, no lineage, no OneID.
    `narrow`: the same rows into `narrow_<table>` tables of only the columns the file fills."""
    from shopql.warehouse.connection import open_writer

    con = open_writer(work / "floor" / "warehouse.duckdb")
    table = {t: f"narrow_{t}" if narrow else t for t in NARROW_TABLES}
    if narrow:  # made before the clock's work: the canonical tables exist already too
        for name, columns in NARROW_TABLES.items():
            con.execute(f"CREATE TABLE {table[name]} ({columns})")
    con.execute("BEGIN")
    if path.name == EVENTS_FILE:
        columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in EVENT_COLUMNS) + "}"
        rows = con.execute(
            f"""INSERT INTO events (event_time, platform, user_key, event_type, product_id,
                   category)
            SELECT timezone('Asia/Shanghai', to_timestamp(timestamp::BIGINT)), 'taobao',
                   'userbehavior:' || user_id,
                   CASE behavior_type WHEN 'pv' THEN 'view' ELSE behavior_type END,
                   'userbehavior:' || item_id, category_id
            FROM read_csv('{path}', header = false, columns = {columns})"""
        ).fetchone()[0]  # type: ignore[index]
    else:
        con.execute(f"CREATE TEMP TABLE r AS FROM read_csv('{path}')")
        rows = con.execute(
            f"""INSERT INTO {table["order_items"]} (order_id, line_no, product_id, shop_id,
                   quantity, unit_price, paid_amount)
            SELECT 'olist:' || order_id, order_item_id, 'olist:' || product_id,
                   'olist:' || seller_id, 1, price, price
            FROM r"""
        ).fetchone()[0]  # type: ignore[index]
        con.execute(
            f"""INSERT INTO {table["orders"]} (order_id, shop_id, goods_amount, shipping_fee)
            SELECT 'olist:' || order_id, 'olist:' || arg_min(seller_id, order_item_id),
                   sum(price), sum(freight_value) FROM r GROUP BY order_id ORDER BY min(rowid)"""
        )  # in file order, as shopql writes grouped rows (no second compression at the checkpoint)
        con.execute(
            f"""INSERT INTO {table["products"]} (product_id, shop_id)
            SELECT 'olist:' || product_id, 'olist:' || min(seller_id) FROM r GROUP BY 1
            ORDER BY min(rowid)"""
        )
    con.execute("COMMIT")
    con.close()
    return int(rows)


def run_narrow(path: Path, work: Path) -> int:
    return run_floor(path, work, narrow=True)


def narrow_tables(warehouse: Path) -> None:
    """Replace the order-lines file's three canonical tables by tables of only the columns that
    file fills (NARROW_TABLES), in a fresh warehouse: the narrow load's tables."""
    from shopql.warehouse.connection import open_writer

    con = open_writer(warehouse)
    try:
        for name, columns in NARROW_TABLES.items():
            con.execute(f"DROP TABLE {name}")
            con.execute(f"CREATE TABLE {name} ({columns})")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def run_load(path: Path, work: Path) -> int:
    """shopql's load of the file alone: detect, read, clean, check, quarantine, write the targets,
    lineage — `sync_paths`, without the product master and OneID that `shopql sync` runs after it
    — into the warehouse of `work / "load"` (the canonical tables, or the narrow ones)."""
    from shopql.config import load_settings
    from shopql.sync.loader import sync_paths
    from shopql.warehouse.connection import open_writer

    settings = load_settings(work / "load")
    con = open_writer(settings.warehouse_path, memory_limit=settings.memory_limit)
    try:
        report = sync_paths(con, [path], timezone=settings.timezone)
    finally:
        con.close()
    result = report.files[0]
    assert not report.failed and result.rows_quarantined == 0, report.files
    return result.rows_loaded


# --storage: the order lines' write (the floor's INSERT into order_items) under DuckDB's storage
# settings and insert forms, each in a fresh process and warehouse: its CPU s and the file it
# leaves. Issue 14 asked whether compression settings or the way the empty columns are written
# make the canonical tables cheaper to write. Each: (connect config, statement run first, form).
STORAGE: dict[str, tuple[dict[str, str], str, str]] = {
    "defaults: a column list, as sync writes": ({}, "", "columns"),
    "disabled_compression_methods = 'dict_fsst'": (
        {},
        "SET disabled_compression_methods = 'dict_fsst'",
        "columns",
    ),
    "disabled_compression_methods = 'zstd'": (
        {},
        "SET disabled_compression_methods = 'zstd'",
        "columns",
    ),
    "force_compression = 'uncompressed'": ({}, "SET force_compression = 'uncompressed'", "columns"),
    "storage_compatibility_version = v1.0.0": (
        {"storage_compatibility_version": "v1.0.0"},
        "",
        "columns",
    ),
    "write_buffer_row_group_count = 1": ({}, "SET write_buffer_row_group_count = 1", "columns"),
    "every column named, the empty ones NULL": ({}, "", "nulls"),
    "INSERT ... BY NAME": ({}, "", "by_name"),
    "CREATE TABLE AS, the empty ones NULL": ({}, "", "ctas"),
    "only the file's columns (narrow table)": ({}, "", "narrow"),
}

# What the floor writes into order_items for each line of the file `r`.
_LINE_VALUES = {
    "order_id": "'olist:' || order_id",
    "line_no": "order_item_id",
    "product_id": "'olist:' || product_id",
    "shop_id": "'olist:' || seller_id",
    "quantity": "1",
    "unit_price": "price",
    "paid_amount": "price",
}


def run_storage(variant: str, path: Path, work: Path) -> dict[str, float]:
    """One STORAGE variant: the file read into a temporary table first (not timed), then the
    order lines written into a fresh warehouse's order_items, committed and the file closed."""
    from shopql.warehouse.schema import migrate

    config, setting, form = STORAGE[variant]
    warehouse = work / "storage.duckdb"
    con = duckdb.connect(str(warehouse), config=config)
    migrate(con)
    con.execute(f"CREATE TEMP TABLE r AS FROM read_csv('{path}')")
    found = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = 'order_items' ORDER BY ordinal_position"
    ).fetchall()
    # every column of the table, typed as the table declares it (CREATE TABLE AS keeps types)
    every = ", ".join(f"CAST({_LINE_VALUES.get(n, 'NULL')} AS {t}) AS {n}" for n, t in found)
    if setting:
        con.execute(setting)
    before = _cpu()
    con.execute("BEGIN")
    if form == "columns":
        con.execute(
            f"INSERT INTO order_items ({', '.join(_LINE_VALUES)}) "
            f"SELECT {', '.join(_LINE_VALUES.values())} FROM r"
        )
    elif form == "nulls":
        con.execute(f"INSERT INTO order_items SELECT {every} FROM r")
    elif form == "by_name":
        named = ", ".join(f"{v} AS {k}" for k, v in _LINE_VALUES.items())
        con.execute(f"INSERT INTO order_items BY NAME SELECT {named} FROM r")
    elif form == "ctas":
        con.execute("DROP TABLE order_items")
        con.execute(f"CREATE TABLE order_items AS SELECT {every} FROM r")
    else:
        con.execute(f"CREATE TABLE narrow_items ({NARROW_TABLES['order_items']})")
        con.execute(
            f"INSERT INTO narrow_items ({', '.join(_LINE_VALUES)}) "
            f"SELECT {', '.join(_LINE_VALUES.values())} FROM r"
        )
    con.execute("COMMIT")
    table = "narrow_items" if form == "narrow" else "order_items"
    rows = int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]
    written = con.execute(f"SELECT name, type FROM pragma_table_info('{table}')").fetchall()
    con.close()
    cpu = _cpu() - before
    if form == "narrow":
        assert [name for name, _ in written] == list(_LINE_VALUES), written
    else:  # the canonical table's columns and types, whatever the form
        assert written == found, written
    return {"cpu": cpu, "rows": rows, "mb": warehouse.stat().st_size / 1e6}


def storage_bench(path: Path, work: Path, repeat: int) -> None:
    """Print each STORAGE variant's best CPU s of `repeat` runs (interleaved) and file size."""
    got: dict[str, list[dict[str, float]]] = {}
    for _ in range(repeat):
        for number, variant in enumerate(STORAGE):
            measured = measure(f"storage{number}", path, work, None)
            assert measured is not None
            got.setdefault(variant, []).append(measured)
    print(f"order lines into order_items, by DuckDB's storage settings (best CPU s of {repeat}):")
    print(f"  {'variant':<44} {'CPU s':>6} {'runs':>16} {'file MB':>8}")
    for variant, runs in got.items():
        cpus = " ".join(f"{r['cpu']:.2f}" for r in runs)
        best = min(runs, key=lambda r: r["cpu"])
        print(f"  {variant:<44} {best['cpu']:6.2f} {cpus:>16} {best['mb']:8.0f}")


def run_pandas(path: Path, work: Path) -> int:
    import pandas as pd

    if path.name == EVENTS_FILE:
        frame = pd.read_csv(path, header=None, names=EVENT_COLUMNS)
        frame["timestamp"] = pd.to_datetime(frame["timestamp"], unit="s")
    else:
        frame = pd.read_csv(path, parse_dates=["shipping_limit_date"])
    con = duckdb.connect(str(work / "pandas.duckdb"))
    con.register("frame", frame)
    con.execute("CREATE TABLE items AS SELECT * FROM frame")
    rows = _count(con)
    con.close()
    return rows


def run_polars(path: Path, work: Path) -> int:
    import polars as pl

    if path.name == EVENTS_FILE:
        frame = pl.read_csv(path, has_header=False, new_columns=EVENT_COLUMNS)
        frame = frame.with_columns(pl.from_epoch("timestamp"))
    else:
        frame = pl.read_csv(path, try_parse_dates=True)
    con = duckdb.connect(str(work / "polars.duckdb"))
    con.register("frame", frame.to_arrow())
    con.execute("CREATE TABLE items AS SELECT * FROM frame")
    rows = _count(con)
    con.close()
    return rows


def _count(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT count(*) FROM items").fetchone()[0])  # type: ignore[index]


RUNNERS: dict[str, Callable[[Path, Path], int]] = {
    "shopql": run_shopql,
    "floor": run_floor,
    "narrow": run_narrow,
    "load": run_load,
    "narrow_load": run_load,
    "read_csv": run_read_csv,
    "pandas": run_pandas,
    "polars": run_polars,
}


def child(name: str, path: Path, work: Path) -> None:
    """Run one contender in this (fresh) process; print its time and peak memory as JSON."""
    if name in ("shopql", "floor", "narrow", "load", "narrow_load"):  # made before the clock
        from shopql.warehouse.workspace import init_workspace

        folder = {"shopql": "ws", "floor": "floor", "narrow": "floor"}.get(name, "load")
        init_workspace(work / folder)
        if name == "narrow_load":
            narrow_tables(work / folder / "warehouse.duckdb")
    if name.startswith("storage"):  # its own clock: the read into `r` is not timed
        variant = list(STORAGE)[int(name.removeprefix("storage"))]
        print(json.dumps(run_storage(variant, path, work)))
        return
    before = _cpu()
    started = time.perf_counter()
    rows = RUNNERS[name](path, work)
    seconds = time.perf_counter() - started
    cpu = _cpu() - before
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": rows, "peak_mb": peak_kb / 1024}))


def _cpu() -> float:
    """CPU seconds of this process, every thread (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(name: str, path: Path, work: Path, keep: Path | None) -> dict[str, float] | None:
    """One contender in a fresh process and folder; None when its library is not installed.
    With `keep`, shopql's workspace is moved there once it is done."""
    folder = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=work))
    try:
        done = subprocess.run(
            [sys.executable, "-m", "shopql.bench.sync_bench", "--child", name, str(path)],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
        if keep and name == "shopql" and done.returncode == 0:
            shutil.rmtree(keep, ignore_errors=True)
            shutil.move(folder / "ws", keep)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if done.returncode != 0:
        if "ModuleNotFoundError" in done.stderr:
            return None
        raise RuntimeError(f"{name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def bench_naive(path: Path, work: Path, rows: int) -> float:
    """pandas read_csv + one INSERT per row, on the first `rows` rows: seconds."""
    import pandas as pd

    con = duckdb.connect(str(work / "naive.duckdb"))
    con.execute(
        """CREATE TABLE items (order_id VARCHAR, order_item_id INTEGER, product_id VARCHAR,
           seller_id VARCHAR, shipping_limit_date TIMESTAMP, price DECIMAL(18,2),
           freight_value DECIMAL(18,2))"""
    )
    started = time.perf_counter()
    frame = pd.read_csv(path, nrows=rows, dtype=str)
    for row in frame.itertuples(index=False):
        con.execute("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?)", list(row))
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def _lines(path: Path) -> int:
    """Lines in a file (a kept file is reused only when it has the rows asked for)."""
    with open(path, "rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 24), b""))


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--naive-rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs per contender; best kept")
    parser.add_argument("--events", action="store_true", help="a behaviour log, not order lines")
    parser.add_argument("--only", help="comma-separated contenders (" + ",".join(CONTENDERS) + ")")
    parser.add_argument("--keep", type=Path, help="keep the file and shopql's workspace here")
    parser.add_argument(
        "--profile", action="store_true", help="time shopql's sync phase by phase (wall, CPU)"
    )
    parser.add_argument(
        "--storage",
        action="store_true",
        help="the order lines' write under DuckDB's storage settings (CPU s, file MB)",
    )
    parser.add_argument("--child", nargs=2, metavar=("NAME", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path.cwd())
        return
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="shopql-bench-", dir=args.keep))
    contenders = args.only.split(",") if args.only else list(CONTENDERS)
    if args.events:  # a behaviour log fills its one table's columns: no narrow floor
        contenders = [c for c in contenders if c not in ("narrow", "narrow_load")]
    what = "behaviour events" if args.events else "order lines"
    try:
        name = EVENTS_FILE if args.events else "olist_order_items_dataset.csv"
        path = (args.keep or work) / name
        if not (args.keep and path.exists() and _lines(path) == args.rows + (not args.events)):
            (generate_events if args.events else generate)(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        print(f"file: {args.rows:,} {what}, {size_mb:.0f} MB   (load average {_load()})")
        if args.storage:
            storage_bench(path, work, args.repeat)
            print(f"load average after: {_load()}")
            return
        if args.profile:
            profile_shopql(path, Path(tempfile.mkdtemp(prefix="profile-", dir=work)))
            print(f"load average after: {_load()}")
            return
        best: dict[str, dict[str, float]] = {}
        for _ in range(args.repeat):  # interleaved, so a busy minute hits every contender
            for name in contenders:
                kept = args.keep / "ws" if args.keep else None
                got = measure(name, path, work, kept)
                if got is None:
                    continue
                assert got["rows"] == args.rows, (name, got)
                if name not in best or got["seconds"] < best[name]["seconds"]:
                    best[name] = got
        rate = {name: args.rows / got["seconds"] for name, got in best.items()}
        for name in contenders:
            if name not in best:
                print(f"{LABELS[name]}: not installed (pip install -e '.[bench]')")
                continue
            notes = {
                "read_csv": "  (the limit)",
                "floor": "  (the best any sync can do)",
                "narrow": "  (the floor without the empty columns)",
                "load": "  (shopql sync without product master and OneID)",
                "narrow_load": "  (the same without the empty columns)",
            }
            note = notes.get(name, "")
            print(
                f"{LABELS[name]}: {rate[name]:>12,.0f} rows/s  {best[name]['seconds']:6.2f} s  "
                f"{best[name]['cpu']:6.2f} CPU s  peak RSS {best[name]['peak_mb']:,.0f} MB{note}"
            )
        pairs = [("shopql", "read_csv"), ("floor", "read_csv"), ("shopql", "floor")]
        pairs += [("narrow", "read_csv"), ("narrow", "floor")]
        pairs += [("load", "read_csv"), ("narrow_load", "read_csv"), ("narrow_load", "load")]
        pairs += [("shopql", "pandas"), ("shopql", "polars")]
        pairs = [(a, b) for a, b in pairs if a in rate and b in rate]
        for a, b in pairs:
            print(f"{a} / {b} = {rate[a] / rate[b]:.2f}")
        if args.naive_rows and not args.events and "shopql" in rate:
            naive = args.naive_rows / bench_naive(path, work, args.naive_rows)
            print(
                f"pandas read_csv + row inserts   : {naive:>12,.0f} rows/s  "
                f"(on {args.naive_rows:,} rows)   shopql / naive = {rate['shopql'] / naive:.0f}x"
            )
        # CPU seconds survive a machine shared with other work; wall-clock is what a user waits
        cpu = {name: got["cpu"] for name, got in best.items()}
        print("by CPU time: " + "   ".join(f"{a} / {b} = {cpu[b] / cpu[a]:.2f}" for a, b in pairs))
        print(f"load average after: {_load()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
