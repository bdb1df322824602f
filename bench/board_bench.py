"""The board's data refresh on a large warehouse, timed without a terminal, in one process.

    python -m shopql.bench.board_bench --lines 10000000 --keep /tmp/board-10m

Builds (or reuses, with --keep) a workspace whose canonical tables hold N order lines: N/2.5
orders over two years up to the data's last day, five platforms, four payment channels, 2,000
products, one payment attempt per order (plus failed retries on 3 %), stock snapshots. Orders
arrive in time order, as monthly exports do. Then times what one tick of `shopql board` does:
`OverviewLoader.load` (KPI tiles for today / yesterday / last week, the 30-day trend, platforms,
payment channels, top products and the default alert rules), a few ticks after a warm-up, and
the same numbers computed by bare hand-written DuckDB SQL (the anchor), on the same reader.
Then syncs the next day (a Shopify export of a day's orders, through sync's own loader) and
times the first tick after it: the recent slice refreshes from the change log (only the new
day is copied), against copying the slice again as before. A kept warehouse grows by that day
on each run (--no-sync leaves it as it is).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

END = dt.datetime(2025, 12, 31, 22, 0)  # the data's last order (the board anchors on it)
SPAN_S = 2 * 365 * 86400
PLATFORMS = "['tmall','jd','pinduoduo','douyin','shopify']"
CHANNELS = "['alipay','wechat','card','unionpay']"


def build(ws: Path, lines: int) -> None:
    """A workspace at `ws` holding `lines` order lines (see the module docstring)."""
    from shopql.warehouse.connection import open_writer
    from shopql.warehouse.workspace import init_workspace

    init_workspace(ws)
    orders = max(int(lines / 2.5), 1)
    accounts = max(orders // 3, 1)
    start = END - dt.timedelta(seconds=SPAN_S)
    con = open_writer(ws / "warehouse.duckdb")
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    con.execute(
        f"""INSERT INTO customers (customer_id, platform, one_id, province)
        SELECT {PLATFORMS}[i % 5 + 1] || ':c' || i, {PLATFORMS}[i % 5 + 1],
               'P' || lpad((i // 2)::VARCHAR, 8, '0'), 'p' || (i % 31)
        FROM range({accounts}) t(i)"""
    )
    # order i at an even pace over two years; its account, platform and channel by hash
    con.execute(
        f"""CREATE TEMP TABLE _o AS
        SELECT i, a, {PLATFORMS}[a % 5 + 1] AS platform,
               TIMESTAMP '{start:%Y-%m-%d %H:%M:%S}' + to_seconds(i * {SPAN_S} // {orders}) AS ts,
               hash(i, 'paid') % 100 < 94 AS paid, hash(i, 'r') % 100 < 4 AS refunded,
               {CHANNELS}[(hash(i, 'ch') % 4)::INT + 1] AS channel,
               (20 + hash(i, 'amt') % 980)::DECIMAL(18,2) AS amount
        FROM (SELECT i, (hash(i, 'acc') % {accounts})::BIGINT AS a FROM range({orders}) t(i))"""
    )
    con.execute(
        """INSERT INTO orders (order_id, platform, shop_id, customer_id, status, created_at,
               paid_at, currency, goods_amount, discount_amount, shipping_fee, paid_amount,
               refund_amount, payment_channel, one_id)
        SELECT platform || ':o' || i, platform, platform || ':shop', platform || ':c' || a,
               CASE WHEN NOT paid THEN 'pending' WHEN refunded THEN 'refunded'
                    ELSE 'completed' END,
               ts, CASE WHEN paid THEN ts + INTERVAL 1 MINUTE END, 'CNY', amount, 0, 0,
               CASE WHEN paid THEN amount END,
               CASE WHEN paid AND refunded THEN amount ELSE 0 END, channel,
               'P' || lpad((a // 2)::VARCHAR, 8, '0')
        FROM _o ORDER BY i"""
    )
    con.execute(
        f"""INSERT INTO order_items (order_id, line_no, product_id, outer_code, title, category,
               quantity, unit_price, paid_amount, refund_amount)
        SELECT o.platform || ':o' || o.i, k + 1, o.platform || ':SKU-' || p, 'SKU-' || p,
               'Product ' || p, 'cat' || (p % 40), 1 + (p % 3), 1, 1, 0
        FROM (SELECT i // 5 * 2 + (i % 5 >= 3)::INT AS oi, i % 5 - 3 * (i % 5 >= 3)::INT AS k,
                     (hash(i, 'p') % 2000)::INT AS p
              FROM range({lines}) t(i)) l
        JOIN _o o ON o.i = l.oi
        ORDER BY o.i, k"""
    )
    # a line's amount is its share of the order (units weigh)
    con.execute(
        """UPDATE order_items SET unit_price = round(o.paid_amount / s.n, 2),
               paid_amount = round(o.paid_amount / s.n, 2) * quantity
        FROM orders o, (SELECT order_id, sum(quantity) AS n FROM order_items GROUP BY 1) s
        WHERE order_items.order_id = o.order_id AND s.order_id = o.order_id"""
    )
    con.execute(
        """INSERT INTO payments (payment_id, order_id, channel, status, amount, attempted_at)
        SELECT 'pay:' || platform || ':o' || i || ':' || n, platform || ':o' || i, channel,
               CASE WHEN paid AND n = 0 THEN 'success' ELSE 'failed' END, amount,
               ts + to_seconds(30 + n * 10)
        FROM (SELECT *, unnest(CASE WHEN hash(i, 'retry') % 100 < 3 OR NOT paid
                                    THEN [1, 0] ELSE [0] END) AS n FROM _o)
        ORDER BY ts, n DESC"""
    )
    con.execute(
        """INSERT INTO products (product_id, platform, outer_code, title, category)
        SELECT p.platform || ':SKU-' || i, p.platform, 'SKU-' || i, 'Product ' || i,
               'cat' || (i % 40)
        FROM range(2000) t(i), (SELECT unnest(['tmall','jd','pinduoduo','douyin','shopify'])
                                AS platform) p"""
    )
    con.execute(
        f"""INSERT INTO inventory (outer_code, warehouse, on_hand, reserved, as_of)
        SELECT 'SKU-' || i, 'main', (hash(i, d) % 500)::INT, 0,
               TIMESTAMP '{END:%Y-%m-%d}' - INTERVAL (d) DAY - INTERVAL 1 SECOND
        FROM range(2000) t(i), range(30) s(d)"""
    )
    con.execute("DROP TABLE _o")
    con.execute("CHECKPOINT")
    con.close()


def day_file(path: Path, day: dt.date, orders: int, first: int) -> None:
    """A Shopify order export of one day: `orders` orders (numbered from `first`), two or three
    lines each, paid a minute after they were placed — the file a daily sync brings."""
    import duckdb

    start = dt.datetime.combine(day, dt.time())
    con = duckdb.connect()
    try:
        con.execute(
            f"""COPY (
            SELECT '#D' || (o.i + {first}) AS "Name",
                   'buyer' || (o.i % {max(orders // 2, 1)}) || '@example.com' AS "Email",
                   'paid' AS "Financial Status",
                   strftime(ts + INTERVAL 1 MINUTE, '%Y-%m-%d %H:%M:%S +0800') AS "Paid at",
                   'unfulfilled' AS "Fulfillment Status", 'CNY' AS "Currency",
                   amount AS "Subtotal", 0 AS "Shipping", amount AS "Total",
                   strftime(ts, '%Y-%m-%d %H:%M:%S +0800') AS "Created at",
                   1 AS "Lineitem quantity", 'Product ' || (hash(o.i, k) % 2000) AS "Lineitem name",
                   round(amount / n, 2) AS "Lineitem price",
                   'SKU-' || (hash(o.i, k) % 2000) AS "Lineitem sku",
                   {CHANNELS}[(hash(o.i, 'ch') % 4)::INT + 1] AS "Payment Method",
                   'pay-' || (o.i + {first}) AS "Payment ID"
            FROM (SELECT i, TIMESTAMP '{start:%Y-%m-%d}' + to_seconds(i * 86000 // {orders}) AS ts,
                         (20 + hash(i, 'amt') % 980)::DECIMAL(18,2) AS amount,
                         2 + (i % 2) AS n
                  FROM range({orders}) t(i)) o, range(3) l(k)
            WHERE k < n ORDER BY o.i, k
            ) TO '{path}' (HEADER, DELIMITER ',')"""
        )
    finally:
        con.close()


def after_a_sync(ws: Path, settings: Any, loader: Any, full: Any, lines: int, ticks: int) -> None:
    """A sync brings the next day (a Shopify export of a day's orders): the first tick after it
    refreshes the recent slice from the change log; compared with copying the slice again."""
    from shopql.sync.loader import sync_paths
    from shopql.tui.data import OverviewLoader
    from shopql.warehouse.connection import open_reader, open_writer

    con = open_reader(settings.warehouse_path)
    last = con.execute("SELECT max(created_at) FROM orders").fetchone()[0]  # type: ignore[index]
    con.close()
    day = last.date() + dt.timedelta(days=1)
    orders = max(int(lines / 2.5 / 730), 10)  # a day of the two years
    with tempfile.TemporaryDirectory(prefix="shopql-board-day-") as tmp:
        path = Path(tmp) / f"orders_export_{day:%Y%m%d}.csv"
        day_file(path, day, orders, int(day.strftime("%Y%m%d")) * 100_000)
        started = time.perf_counter()
        con = open_writer(settings.warehouse_path)
        try:
            report = sync_paths(con, [path], timezone=settings.timezone)
        finally:
            con.close()
        synced = time.perf_counter() - started
    assert not report.failed, report.failed
    refreshes, builds = loader.recent.refreshes, loader.recent.builds
    con = open_reader(settings.warehouse_path)
    end = con.execute("SELECT max(paid_at) FROM orders").fetchone()[0]  # type: ignore[index]
    con.close()
    at = end + dt.timedelta(seconds=5)
    started = time.perf_counter()
    view = loader.load(at, anchor=False)
    first = time.perf_counter() - started
    incremental = loader.recent.refreshes == refreshes + 1 and loader.recent.builds == builds
    expected = full.load(at, anchor=False)
    for name in ("at", "tiles", "trend", "platforms", "channels", "products", "alerts"):
        if getattr(view, name) != getattr(expected, name):
            print(f"  differs: {name}: {getattr(view, name)} != {getattr(expected, name)}")
    assert same_view(view, expected), "the board's numbers changed"
    started = time.perf_counter()
    OverviewLoader(settings).load(at, anchor=False)
    copied = time.perf_counter() - started
    moments = iter(range(1, 10_000))
    after = time_ticks(lambda: loader.load(at + dt.timedelta(seconds=5 * next(moments)),
                                           anchor=False), ticks)  # fmt: skip
    print(f"a sync of the next day ({day}, {orders:,} orders, {report.files[0].rows_loaded:,} "
          f"rows) took {synced:.1f} s; first tick after it {first:.3f} s "
          f"(refreshed from the change log: {'yes' if incremental else 'NO'}; "
          f"copying the slice again instead {copied:.3f} s); "
          f"ticks after it {statistics.median(after):.3f} s; same numbers: yes")  # fmt: skip


def bare_refresh(con: Any, at: dt.datetime) -> dict[str, Any]:
    """The board's numbers (tiles, trend, platforms, channels, top products) in hand-written SQL:
    the anchor. Same definitions as the catalog's metrics for these data."""
    day = dt.datetime.combine(at.date(), dt.time())
    out: dict[str, Any] = {}
    for name, shift in (("today", 0), ("yesterday", 1), ("last_week", 7)):
        s, e = day - dt.timedelta(days=shift), at - dt.timedelta(days=shift)
        out[name] = con.execute(
            """SELECT
                 (SELECT sum(paid_amount) FROM orders WHERE paid_at >= $1 AND paid_at < $2),
                 (SELECT count(*) FROM orders WHERE created_at >= $1 AND created_at < $2),
                 (SELECT count(DISTINCT one_id) FROM orders WHERE paid_at >= $1 AND paid_at < $2),
                 (SELECT count(*) FILTER (WHERE status = 'success') / count(*)
                  FROM payments WHERE attempted_at >= $1 AND attempted_at < $2)""",
            [s, e],
        ).fetchall()
    start = day - dt.timedelta(days=29)
    out["trend"] = con.execute(
        """SELECT paid_at::DATE, sum(paid_amount) FROM orders
           WHERE paid_at >= $1 AND paid_at < $2 GROUP BY 1 ORDER BY 1""",
        [start, at],
    ).fetchall()
    out["platforms"] = con.execute(
        """SELECT platform, sum(paid_amount), count(*) FROM orders
           WHERE paid_at >= $1 AND paid_at < $2 GROUP BY 1""",
        [day, at],
    ).fetchall()
    out["channels"] = con.execute(
        """SELECT channel, count(*) FILTER (WHERE status = 'success') / count(*), count(*)
           FROM payments WHERE attempted_at >= $1 AND attempted_at < $2 GROUP BY 1""",
        [day, at],
    ).fetchall()
    out["products"] = con.execute(
        """SELECT i.title, sum(i.paid_amount), sum(i.quantity) FROM order_items i
           JOIN orders o USING (order_id) WHERE o.paid_at >= $1 AND o.paid_at < $2
           GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5""",
        [day, at],
    ).fetchall()
    return out


def same_view(a: Any, b: Any) -> bool:
    """The numbers and alerts of two overviews are the same."""
    fields = ("at", "tiles", "trend", "platforms", "channels", "products", "alert_errors")
    return all(getattr(a, f) == getattr(b, f) for f in fields) and a.alerts == b.alerts


LAST_CPU = [0.0]  # CPU seconds (every thread) of one call in the last time_ticks, median


def time_ticks(fn: Any, ticks: int) -> list[float]:
    fn()  # warm: catalog, file cache
    out, cpus = [], []
    for _ in range(ticks):
        started, cpu = time.perf_counter(), time.process_time()
        fn()
        out.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    LAST_CPU[0] = statistics.median(cpus)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--ticks", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the workspace here once and reuse it")
    parser.add_argument("--profile", action="store_true", help="time each part of a tick")
    parser.add_argument(
        "--no-sync", action="store_true",
        help="do not sync a next day into the warehouse (it grows by a day each run otherwise)",
    )  # fmt: skip
    args = parser.parse_args()

    from shopql.catalog.cache import CompileCache
    from shopql.config import load_settings
    from shopql.tui.data import OverviewLoader
    from shopql.warehouse.connection import open_reader

    work = Path(tempfile.mkdtemp(prefix="shopql-board-bench-")) if not args.keep else None
    ws = args.keep or (work / "ws")  # type: ignore[operator]
    try:
        if not (ws / "warehouse.duckdb").exists():
            started = time.perf_counter()
            build(ws, args.lines)
            print(f"warehouse: {args.lines:,} order lines built in "
                  f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        settings = load_settings(ws)
        loader = OverviewLoader(settings)
        con = open_reader(settings.warehouse_path)
        lines = con.execute("SELECT count(*) FROM order_items").fetchone()[0]  # type: ignore[index]
        con.close()
        # live: the clock moves 5 s per tick just after the data's last order, so every tick
        # asks for new spans (the board on a shop whose orders arrive today)
        end = view_end = loader.load(dt.datetime(2100, 1, 1)).data_end
        assert end is not None
        ticks = iter(range(1, 10_000))

        def tick() -> Any:
            return loader.load(end + dt.timedelta(seconds=5 * next(ticks)), anchor=False)

        view = tick()
        print(f"warehouse: {lines:,} order lines; board at {view.at} (data ends {view_end}); "
              f"paid GMV today {view.tiles[0].value:,.2f}, {len(view.alerts)} alert(s)")  # fmt: skip
        full = OverviewLoader(settings, use_recent=False)
        full.compiler = CompileCache(full.catalog, remember=False)  # the board before issue 14
        started = time.perf_counter()
        fresh = OverviewLoader(settings)
        fresh.load(view.at, anchor=False)
        first = time.perf_counter() - started
        board = time_ticks(tick, args.ticks)
        board_cpu = LAST_CPU[0]
        last = end + dt.timedelta(seconds=5 * next(ticks))
        before: list[float] = []
        started = time.perf_counter()
        old = full.load(last, anchor=False)
        before.append(time.perf_counter() - started)
        assert same_view(old, loader.load(last, anchor=False)), "the board's numbers changed"

        def bare() -> None:
            c = open_reader(settings.warehouse_path)
            try:
                bare_refresh(c, last)
            finally:
                c.close()

        anchor = time_ticks(bare, args.ticks)
        anchor_cpu = LAST_CPU[0]
        b, a = statistics.median(board), statistics.median(anchor)
        print(f"board refresh (one tick, median of {args.ticks}): {b:.3f} s   "
              f"bare SQL for the same numbers {a:.3f} s   board / bare = {b / a:.2f}")  # fmt: skip
        # CPU time is the figure that survives a machine shared with others
        print(f"  CPU s per tick: board {board_cpu:.3f}, bare SQL {anchor_cpu:.3f} "
              f"(ratio {board_cpu / max(anchor_cpu, 1e-9):.2f})")  # fmt: skip
        print(f"  first tick after the warehouse changed (builds the recent slice): {first:.3f} s;"
              f" a tick as before (whole warehouse, compiling every query): "
              f"{before[0]:.3f} s; same numbers and alerts: yes")  # fmt: skip
        view = old
        if not args.no_sync:
            after_a_sync(ws, settings, loader, full, lines, args.ticks)
        if args.profile:
            profile(loader, settings, view.at)
        print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    finally:
        if work:
            shutil.rmtree(work, ignore_errors=True)


def profile(loader: Any, settings: Any, at: dt.datetime) -> None:
    from shopql.warehouse.connection import open_reader
    from shopql.warehouse.freshness import latest_data_time

    con = open_reader(settings.warehouse_path)
    parts: dict[str, Any] = {
        "data_end": lambda: latest_data_time(con),
        "tiles": lambda: loader.tiles(con, at),
        "trend": lambda: loader.trend(con, at),
        "platforms": lambda: loader.platforms(con, at),
        "channels": lambda: loader.channels(con, at),
        "products": lambda: loader.products(con, at),
    }
    for rule in loader.rules:
        parts[f"alert {rule.name}"] = lambda r=rule: loader.check(con, r, at)
    for name, fn in parts.items():
        print(f"  {name:<32} {statistics.median(time_ticks(fn, 3)):.3f} s")
    con.close()


if __name__ == "__main__":
    main()
