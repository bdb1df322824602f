"""Person tags + RFM and segment size previews on generated persons, in one process.

    nice python -m shopql.bench.tags_bench --persons 1000000

The generator plants persons (one account each, OneID already built) with 1–8 paid orders over
two years (about 60 % buy once), 1–3 lines an order over 40 products in 8 categories, five
platforms, 5 % refunded orders and a discount on a third of them. Reported: the full tag refresh
(RFM, segments, lifecycle, preferences, price band, discount sensitivity, the default rule tags)
with its time and the process's peak RSS, next to one plain DuckDB query computing the same
R/F/M scores (checked equal), as a ratio; then `segment size` for typical conditions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import tempfile
import time
from pathlib import Path

import duckdb

CATEGORIES = ["沙发", "茶几", "床品", "灯具", "地毯", "餐具", "收纳", "窗帘"]


def generate(con: duckdb.DuckDBPyConnection, persons: int, seed: int) -> int:
    """Fill customers, one_ids, products, orders and order_items; return the order count."""
    platforms = "['tmall', 'jd', 'pinduoduo', 'douyin', 'shopify']"
    con.execute(
        f"""INSERT INTO customers (customer_id, platform, phone, province, one_id)
        SELECT 'acc' || p, {platforms}[1 + (hash(p, {seed}) % 5)::INT],
               '13' || lpad(p::VARCHAR, 9, '0'), 'P' || (hash(p, {seed}, 'prov') % 31),
               'P' || lpad(p::VARCHAR, 8, '0')
        FROM range({persons}) t(p)"""
    )
    con.execute("INSERT INTO one_ids SELECT customer_id, one_id FROM customers")
    cats = "[" + ", ".join(f"'{c}'" for c in CATEGORIES) + "]"
    con.execute(
        f"""INSERT INTO products (product_id, platform, outer_code, title, category, list_price)
        SELECT 'prod' || k, 'tmall', 'SKU-' || k, 'product ' || k, {cats}[1 + k % 8],
               (19 + (k * 37) % 980)::DECIMAL(18,2) FROM range(40) t(k)"""
    )
    # orders per person: 1 with 60 %, then a geometric-ish tail up to 8
    con.execute(
        f"""INSERT INTO orders (order_id, platform, customer_id, status, created_at, paid_at,
                               currency, goods_amount, discount_amount, paid_amount,
                               refund_amount)
        SELECT 'o' || p || '_' || n, c.platform, c.customer_id,
               CASE WHEN hash(p, n, {seed}, 'r') % 20 = 0 THEN 'refunded' ELSE 'completed' END,
               ts, ts, 'CNY', amount,
               CASE WHEN hash(p, n, {seed}, 'd') % 3 = 0 THEN round(amount * 0.1, 2) ELSE 0 END,
               amount,
               CASE WHEN hash(p, n, {seed}, 'r') % 20 = 0 THEN amount ELSE 0 END
        FROM (SELECT p, n, TIMESTAMP '2023-06-01' + to_seconds(
                     (hash(p, n, {seed}, 't') % (730 * 86400))::BIGINT) AS ts,
                     (20 + hash(p, n, {seed}, 'a') % 2000)::DECIMAL(18,2) AS amount
              FROM (SELECT p, unnest(range(1 + (k >= 60)::INT + (k >= 75)::INT + (k >= 85)::INT
                                           + (k >= 92)::INT + (k >= 96)::INT + (k >= 98)::INT
                                           + (k >= 99)::INT)) AS n
                    FROM (SELECT p, hash(p, {seed}, 'k') % 100 AS k FROM range({persons}) t(p))))
        JOIN customers c ON c.customer_id = 'acc' || p"""
    )
    con.execute(
        f"""INSERT INTO order_items (order_id, line_no, product_id, outer_code, category,
                                    quantity, unit_price, paid_amount)
        SELECT order_id, l + 1, 'prod' || k, 'SKU-' || k, {cats}[1 + k % 8], 1,
               paid_amount / lines, (paid_amount / lines)::DECIMAL(18,2)
        FROM (SELECT order_id, paid_amount, lines, l,
                     (hash(order_id, l, {seed}) % 40)::INT AS k
              FROM (SELECT order_id, paid_amount, 1 + hash(order_id, {seed}) % 3 AS lines
                    FROM orders), range(3) t(l) WHERE l < lines)"""
    )
    row = con.execute("SELECT count(*) FROM orders").fetchone()
    return int(row[0]) if row else 0


PLAIN_RFM = """
WITH p AS (
    SELECT c.one_id,
           date_diff('day', max(o.paid_at)::DATE, (SELECT max(paid_at)::DATE FROM orders)) AS rec,
           count(*) FILTER (WHERE o.status NOT IN ('refunded', 'cancelled')) AS f,
           sum(CASE WHEN o.status IN ('refunded', 'cancelled') THEN 0
               ELSE greatest(o.paid_amount - coalesce(o.refund_amount, 0), 0) END) AS m
    FROM orders o JOIN customers c ON c.customer_id = o.customer_id
    WHERE o.paid_at IS NOT NULL GROUP BY 1)
SELECT one_id,
       least(5, 1 + floor(5 * (rank() OVER (ORDER BY rec DESC) - 1) / count(*) OVER ()))::INT,
       least(5, 1 + floor(5 * (rank() OVER (ORDER BY f) - 1) / count(*) OVER ()))::INT,
       least(5, 1 + floor(5 * (rank() OVER (ORDER BY m) - 1) / count(*) OVER ()))::INT
FROM p
"""

CONDITIONS = [
    "rfm_segment = '重要价值客户'",
    "lifecycle IN ('at_risk', 'lapsed') AND net_spend >= 2000",
    "tag = 'repeat_buyer' AND province = 'P7'",
    "bought(category = '沙发') AND NOT bought(category = '茶几')",
    "bought(category = '沙发', days = 90, platform = 'tmall') AND rfm_segment = '重要价值客户'",
]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run(persons: int, seed: int, threads: int) -> None:
    from shopql.insights.segments import preview
    from shopql.insights.tags import RuleTag, refresh_tags
    from shopql.warehouse.connection import open_writer

    with tempfile.TemporaryDirectory() as tmp:
        con = open_writer(Path(tmp) / "bench.duckdb")
        con.execute(f"SET threads = {threads}")
        started = time.perf_counter()
        orders = generate(con, persons, seed)
        print(f"generated {persons:,} persons, {orders:,} orders in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        rss_before = peak_rss_mb()
        rules = [
            RuleTag("repeat_buyer", "orders >= 2"),
            RuleTag("deal_seeker", "discount_sensitivity = 'high'"),
            RuleTag("lapsing_big_spender", "m_score = 5 AND lifecycle IN ('at_risk', 'lapsed')"),
        ]
        started = time.perf_counter()
        tag_run = refresh_tags(con, rules)
        tags_s = time.perf_counter() - started
        print(f"tags refresh: {tags_s:.2f} s for {tag_run.buyers:,} tagged persons "
              f"({tag_run.buyers / tags_s:,.0f} persons/s); peak RSS {peak_rss_mb():,.0f} MB "
              f"(before: {rss_before:,.0f} MB)")  # fmt: skip
        started = time.perf_counter()
        plain = con.execute(PLAIN_RFM).fetchall()
        plain_s = time.perf_counter() - started
        ours = con.execute(
            "SELECT one_id, r_score, f_score, m_score FROM person_tags WHERE r_score IS NOT NULL"
        ).fetchall()
        same = sorted(plain) == sorted(ours)
        print(f"plain DuckDB RFM query: {plain_s:.2f} s; tags / plain = {tags_s / plain_s:.1f}x "
              f"(the refresh also does segments, lifecycle, preferences, rule tags); "
              f"scores equal: {same}")  # fmt: skip
        today = dt.date(2025, 6, 1)
        for condition in CONDITIONS:
            preview(con, condition, today)  # warm
            result = preview(con, condition, today)
            print(f"segment size {result['size']:>9,} in {result['ms']:>7.1f} ms  {condition}")
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    run(args.persons, args.seed, args.threads)


if __name__ == "__main__":
    main()
