"""A small, fully known shop for the board and alert tests, written straight into the canonical
tables (no exports): 30 days of orders on three platforms, a payment incident tonight, a product
that sold out yesterday and two accounts of one person.

Every day has six paid orders (09:00, 11:00 … 19:00), order i on platform tmall/jd/douyin by
i % 3, paying 100 + 10·i + day-offset, by alipay (even i) or wechat (odd i); order 5 has 30
refunded. Today also has three evening orders (20:10 tmall/alipay, 20:30 jd/wechat, 20:45
douyin/alipay) and, from 20:40 to 20:54, fifteen pending orders whose two WeChat Pay attempts
each failed: the incident. Every order has one line of 2 units of SKU-i. Stock snapshots are taken
each night at 23:59:59 with 100 units per code, except SKU-1 which is at 0 from yesterday's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

TODAY = dt.date(2026, 11, 10)
AT = dt.datetime(2026, 11, 10, 20, 55)  # inside the incident
NORMAL_EVENING = dt.datetime(2026, 11, 9, 20, 55)
PLATFORMS = ("tmall", "jd", "douyin")
DAYS = 30


def _order(day: dt.date, k: int, i: int, at: dt.datetime, channel: str, paid: bool) -> dict:
    platform = PLATFORMS[i % 3]
    amount = 100 + 10 * i + k
    return {
        "order_id": f"{platform}:{day:%Y%m%d}-{at:%H%M}-{i}",
        "platform": platform,
        "customer_id": f"{platform}:c{i}",
        "status": "completed" if paid else "pending",
        "created_at": at,
        "paid_at": at + dt.timedelta(minutes=1) if paid else None,
        "paid_amount": amount if paid else None,
        "refund_amount": 30 if paid and i == 5 else 0,
        "channel": channel,
        "outer_code": f"SKU-{i}",
    }


def shop_orders() -> list[dict]:
    orders = []
    for k in range(DAYS):
        day = TODAY - dt.timedelta(days=k)
        for i in range(6):
            at = dt.datetime.combine(day, dt.time(9 + 2 * i))
            orders.append(_order(day, k, i, at, "alipay" if i % 2 == 0 else "wechat", True))
    evening = [(dt.time(20, 10), 0, "alipay"), (dt.time(20, 30), 1, "wechat"),
               (dt.time(20, 45), 2, "alipay")]  # fmt: skip
    for t, i, channel in evening:
        orders.append(_order(TODAY, 0, i, dt.datetime.combine(TODAY, t), channel, True))
    for minute in range(40, 55):
        at = dt.datetime.combine(TODAY, dt.time(20, minute))
        orders.append(_order(TODAY, 0, 3, at, "wechat", False))
    return orders


def build_shop(ws: Path) -> None:
    """Fill the (initialised) workspace `ws` with the shop described in the module docstring."""
    from shopql.warehouse import person_key
    from shopql.warehouse.connection import open_writer

    con = open_writer(ws / "warehouse.duckdb")
    try:
        _write(con)
        person_key.refresh(con)  # what sync does for the orders it writes
    finally:
        con.close()


def _insert(con, table: str, columns: str, rows: list[list]) -> None:  # noqa: ANN001
    """Bulk insert through a CSV file (executemany is row by row in DuckDB, and slow)."""
    import csv
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{table}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([["" if v is None else v for v in r] for r in rows])
        con.execute(
            f"INSERT INTO {table} ({columns}) SELECT * FROM read_csv(?, header = false, "
            "all_varchar = true, nullstr = '')",
            [str(path)],
        )


def _write(con) -> None:  # noqa: ANN001 - a duckdb connection
    orders = shop_orders()
    _insert(
        con,
        "orders",
        """order_id, platform, shop_id, platform_order_id, customer_id, status, created_at,
           paid_at, currency, goods_amount, discount_amount, shipping_fee, paid_amount,
           refund_amount, payment_channel""",
        [[o["order_id"], o["platform"], f"{o['platform']}:shop", o["order_id"].split(":")[1],
          o["customer_id"], o["status"], o["created_at"], o["paid_at"], "CNY",
          o["paid_amount"] or 100, 0, 0, o["paid_amount"], o["refund_amount"], o["channel"]]
         for o in orders],
    )  # fmt: skip
    _insert(
        con,
        "order_items",
        """order_id, line_no, product_id, outer_code, title, quantity, unit_price, paid_amount,
           refund_amount""",
        [[o["order_id"], 1, f"{o['platform']}:{o['outer_code']}", o["outer_code"],
          f"Product {o['outer_code'][-1]}", 2, (o["paid_amount"] or 100) / 2, o["paid_amount"],
          o["refund_amount"]] for o in orders],
    )  # fmt: skip
    attempts = []
    for o in orders:
        start = o["created_at"] + dt.timedelta(seconds=30)
        if o["paid_at"]:
            attempts.append([f"pay:{o['order_id']}", o["order_id"], o["channel"], "success",
                             o["paid_amount"], start])  # fmt: skip
        else:
            for n in (0, 1):
                attempts.append([f"pay:{o['order_id']}:{n}", o["order_id"], o["channel"],
                                 "failed", 100, start + dt.timedelta(seconds=n * 10)])  # fmt: skip
    _insert(
        con, "payments", "payment_id, order_id, channel, status, amount, attempted_at", attempts
    )
    snapshots = []
    for k in range(1, DAYS + 1):
        as_of = dt.datetime.combine(TODAY - dt.timedelta(days=k), dt.time(23, 59, 59))
        for i in range(6):
            on_hand = 0 if (i == 1 and k == 1) else 100
            snapshots.append([f"SKU-{i}", "main", on_hand, 0, as_of])
    _insert(con, "inventory", "outer_code, warehouse, on_hand, reserved, as_of", snapshots)
    con.executemany(
        "INSERT INTO products (product_id, platform, outer_code, title) VALUES (?, ?, ?, ?)",
        [[f"{p}:SKU-{i}", p, f"SKU-{i}", f"Product {i}"] for p in PLATFORMS for i in range(6)],
    )
    customers = [(f"{PLATFORMS[i % 3]}:c{i}", PLATFORMS[i % 3], f"nick{i}", f"1380000000{i}")
                 for i in range(6)]  # fmt: skip
    con.executemany(
        "INSERT INTO customers (customer_id, platform, nick, phone, one_id) VALUES (?, ?, ?, ?, ?)",
        [[cid, p, nick, phone, _person(cid)] for cid, p, nick, phone in customers],
    )
    con.executemany(
        "INSERT INTO one_ids VALUES (?, ?)", [[cid, _person(cid)] for cid, *_ in customers]
    )


def _person(customer_id: str) -> str:
    """tmall:c0 and jd:c1 are the same person; everybody else is alone."""
    if customer_id in ("tmall:c0", "jd:c1"):
        return "P00000001"
    return f"P0000010{customer_id[-1]}"
