"""What one bulk write of order lines into the canonical tables costs under each DuckDB setting
or insert path: the measurements behind the sync's write (README "Scaling: sync").

    python -m shopql.bench.insert_bench --rows 1000000

Each variant runs in its own fresh process on a fresh warehouse (the real schema): one
transaction inserting `rows` order lines into order_items and their orders into orders (the
columns the Olist items file fills), then the commit and the close (the checkpoint). The source
rows are a typed table made first, outside the clock, so only the write is measured.
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
from pathlib import Path

import duckdb

ITEMS = "order_id, line_no, product_id, shop_id, quantity, unit_price, paid_amount"
ITEMS_SELECT = (
    "'olist:' || order_id, order_item_id, 'olist:' || product_id, 'olist:' || seller_id, 1, "
    "price, price"
)
ORDERS = "order_id, shop_id, goods_amount, shipping_fee"
ORDERS_SELECT = (
    "'olist:' || order_id, 'olist:' || arg_min(seller_id, order_item_id), sum(price), "
    "sum(freight_value)"
)

# name -> (settings before the write, how the rows are written)
VARIANTS: dict[str, tuple[list[str], str]] = {
    "default": ([], "insert"),
    "preserve_insertion_order=false": (["SET preserve_insertion_order = false"], "insert"),
    "no optimistic write": (["SET enable_optimistic_write = false"], "insert"),
    "checkpoint_threshold=10GB": (["SET checkpoint_threshold = '10GB'"], "insert"),
    "write_buffer_row_group_count=1": (["SET write_buffer_row_group_count = 1"], "insert"),
    "uncompressed": (["SET force_compression = 'uncompressed'"], "insert"),
    "no fsst": (["SET disabled_compression_methods = 'fsst'"], "insert"),
    "no fsst, dict_fsst": (["SET disabled_compression_methods = 'fsst,dict_fsst'"], "insert"),
    "force dict_fsst": (["SET force_compression = 'dict_fsst'"], "insert"),
    "force dictionary": (["SET force_compression = 'dictionary'"], "insert"),
    "no zstd": (["SET disabled_compression_methods = 'zstd'"], "insert"),
    "no zstd/alp/alprd/chimp/patas": (
        ["SET disabled_compression_methods = 'zstd,alp,alprd,chimp,patas'"],
        "insert",
    ),
    "insert through Arrow": ([], "arrow"),
    "CTAS + swap": ([], "ctas"),
    "narrow tables (ceiling)": ([], "narrow"),
}


def _split(select: str) -> list[str]:
    """The expressions of a SELECT list (commas inside parentheses kept)."""
    out, depth, current = [], 0, ""
    for ch in select:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            out.append(current.strip())
            current = ""
        else:
            current += ch
    return [*out, current.strip()]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(variant: str, source: Path, work: Path) -> None:
    """One write under `variant` into a fresh warehouse in `work`; prints JSON."""
    from shopql.warehouse.connection import open_writer
    from shopql.warehouse.workspace import init_workspace

    init_workspace(work / "ws")
    con = open_writer(work / "ws" / "warehouse.duckdb")
    con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
    con.execute("CREATE TEMP TABLE r AS FROM src.r")  # in memory, outside the clock
    settings, how = VARIANTS[variant]
    for statement in settings:
        con.execute(statement)
    before, started = _cpu(), time.perf_counter()
    con.execute("BEGIN")
    if how == "insert":
        con.execute(f"INSERT INTO order_items ({ITEMS}) SELECT {ITEMS_SELECT} FROM r")
        con.execute(
            f"INSERT INTO orders ({ORDERS}) SELECT {ORDERS_SELECT} FROM r GROUP BY order_id"
        )
    elif how == "arrow":
        items = con.execute(f"SELECT {ITEMS_SELECT} FROM r").to_arrow_table()
        orders = con.execute(f"SELECT {ORDERS_SELECT} FROM r GROUP BY order_id").to_arrow_table()
        con.register("items_arrow", items)
        con.register("orders_arrow", orders)
        con.execute(f"INSERT INTO order_items ({ITEMS}) SELECT * FROM items_arrow")
        con.execute(f"INSERT INTO orders ({ORDERS}) SELECT * FROM orders_arrow")
    elif how == "ctas":  # a new table with every declared column, swapped in for the empty one
        for table, cols, select, group in (
            ("order_items", ITEMS, ITEMS_SELECT, ""),
            ("orders", ORDERS, ORDERS_SELECT, " GROUP BY order_id"),
        ):
            given = dict(zip(cols.split(", "), _split(select), strict=True))
            declared = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ? ORDER BY ordinal_position",
                [table],
            ).fetchall()
            projection = ", ".join(
                f'CAST({given.get(c, "NULL")} AS {t}) AS "{c}"' for c, t in declared
            )
            con.execute(f"CREATE TABLE {table}_new AS SELECT {projection} FROM r{group}")
            con.execute(f"DROP TABLE {table}")
            con.execute(f"ALTER TABLE {table}_new RENAME TO {table}")
    elif how == "narrow":  # what the same rows cost in tables holding only the file's columns
        con.execute(
            "CREATE TABLE items_narrow (order_id VARCHAR, line_no INTEGER, product_id VARCHAR, "
            "shop_id VARCHAR, quantity INTEGER, unit_price DECIMAL(18,2), "
            "paid_amount DECIMAL(18,2))"
        )
        con.execute(
            "CREATE TABLE orders_narrow (order_id VARCHAR, shop_id VARCHAR, "
            "goods_amount DECIMAL(18,2), shipping_fee DECIMAL(18,2))"
        )
        con.execute(f"INSERT INTO items_narrow SELECT {ITEMS_SELECT} FROM r")
        con.execute(f"INSERT INTO orders_narrow SELECT {ORDERS_SELECT} FROM r GROUP BY order_id")
    con.execute("COMMIT")
    con.close()
    seconds, cpu = time.perf_counter() - started, _cpu() - before
    size = (work / "ws" / "warehouse.duckdb").stat().st_size
    print(json.dumps({"seconds": seconds, "cpu": cpu, "mb": size / 1e6}))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2, help="runs per variant; best CPU kept")
    parser.add_argument("--only", help="comma-separated variant names")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path.cwd())
        return
    from shopql.bench.sync_bench import generate

    work = Path(tempfile.mkdtemp(prefix="shopql-insert-bench-"))
    try:
        csv = work / "items.csv"
        generate(csv, args.rows)
        source = work / "source.duckdb"
        con = duckdb.connect(str(source))
        con.execute(f"CREATE TABLE r AS FROM read_csv('{csv}')")
        con.close()
        print(f"{args.rows:,} order lines   (load average {_load()})")
        names = args.only.split(",") if args.only else list(VARIANTS)
        best: dict[str, dict[str, float]] = {}
        for _ in range(args.repeat):  # interleaved: a busy minute hits every variant
            for name in names:
                folder = Path(tempfile.mkdtemp(dir=work))
                done = subprocess.run(
                    [sys.executable, "-m", "shopql.bench.insert_bench", "--child", name,
                     str(source)],
                    cwd=folder, capture_output=True, text=True, check=False,
                )  # fmt: skip
                shutil.rmtree(folder, ignore_errors=True)
                if done.returncode:
                    raise RuntimeError(f"{name} failed:\n{done.stderr[-2000:]}")
                got = json.loads(done.stdout.strip().splitlines()[-1])
                if name not in best or got["cpu"] < best[name]["cpu"]:
                    best[name] = got
        base = best.get("default")
        for name in names:
            got = best[name]
            ratio = f"  {got['cpu'] / base['cpu']:.2f} x default CPU" if base else ""
            print(
                f"  {name:<32} {got['seconds']:6.2f} s {got['cpu']:6.2f} CPU s  "
                f"file {got['mb']:6.1f} MB{ratio}"
            )
        print(f"load average after: {_load()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
