"""RFM scores, the eight RFM segments and the lifecycle stage of every person, in SQL.

Who: every OneID person with at least one paid order (before OneID is built, each buyer account
is a person). What counts as bought: an order with ``paid_at`` set and status not ``refunded`` or
``cancelled`` (the order's refunds deducted: lifetime spend is net of refunds).

Scores, 1–5 by quantiles: with ``n`` scored persons and ``rank`` the position of a person's value
in ascending order of goodness (ties share the lowest position, SQL ``rank()``),
``score = 1 + floor(5 * (rank - 1) / n)``. Equal values therefore always get the same score, the
score of the first position of their tie group: when most buyers ordered once, they all get F=1
and the next F score used is where the repeat buyers start (some scores can stay empty).
R orders by days since the last purchase (most recent = best), F by the number of orders kept,
M by lifetime spend net of refunds.

Segments: a dimension is high when its score is above the mean score of the shop's buyers (the
usual Chinese RFM model, compared to the average); the eight combinations are named in
``SEGMENTS``.

Lifecycle, from the shop's own cadence: ``I`` is the median number of days between two
consecutive purchase days of the same person (same-day orders are one visit); a shop without any
repeat purchase uses the median recency of its buyers instead. With ``active = 2·I`` and
``lapsed = 4·I`` days, in this order: recency > lapsed → ``lapsed``; recency > active →
``at_risk``; the gap before the last purchase > lapsed → ``won_back``; one purchase day only →
``new``; else ``active``.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

# (R high, F high, M high) -> (code, Chinese name, English name)
SEGMENTS: dict[tuple[bool, bool, bool], tuple[str, str, str]] = {
    (True, True, True): ("important_value", "重要价值客户", "Important value"),
    (True, False, True): ("important_development", "重要发展客户", "Important development"),
    (False, True, True): ("important_retention", "重要保持客户", "Important retention"),
    (False, False, True): ("important_winback", "重要挽留客户", "Important win-back"),
    (True, True, False): ("general_value", "一般价值客户", "General value"),
    (True, False, False): ("general_development", "一般发展客户", "General development"),
    (False, True, False): ("general_retention", "一般保持客户", "General retention"),
    (False, False, False): ("general_winback", "一般挽留客户", "General win-back"),
}
LIFECYCLE = {
    "new": ("新客", "New"),
    "active": ("活跃", "Active"),
    "at_risk": ("流失预警", "At risk"),
    "lapsed": ("已流失", "Lapsed"),
    "won_back": ("回流", "Won back"),
}
ACTIVE_FACTOR = 2.0
LAPSED_FACTOR = 4.0

# One row per paid order: the person, and what the order kept after refunds.
PAID_ORDERS = """
CREATE OR REPLACE TEMP TABLE _tg_orders AS
SELECT coalesce(c.one_id, o.customer_id) AS one_id, o.order_id, o.platform, o.paid_at,
       coalesce(o.paid_amount, 0) AS paid,
       CASE WHEN o.status IN ('refunded', 'cancelled') THEN 0
            ELSE greatest(coalesce(o.paid_amount, 0) - coalesce(o.refund_amount, 0), 0) END AS kept,
       o.status NOT IN ('refunded', 'cancelled') AS counted,
       o.discount_amount, coalesce(o.province, c.province) AS province
FROM orders AS o LEFT JOIN customers AS c ON c.customer_id = o.customer_id
WHERE o.paid_at IS NOT NULL AND o.customer_id IS NOT NULL
"""

# A person's province is the one most of their orders went to; a tie goes to the province of the
# latest of those orders, then the first by name (`mode()` picked any of the tied, so a refresh of
# the same data could move a person to another province).
PERSON_STATS = """
CREATE OR REPLACE TEMP TABLE _tg_person AS
WITH home AS (
    SELECT one_id, province FROM (
        SELECT one_id, province, row_number() OVER (
            PARTITION BY one_id ORDER BY count(*) DESC, max(paid_at) DESC, province) AS rk
        FROM _tg_orders WHERE province IS NOT NULL GROUP BY one_id, province)
    WHERE rk = 1)
SELECT one_id, min(paid_at) AS first_purchase_at, max(paid_at) AS last_purchase_at,
       count(*) FILTER (WHERE counted)::INTEGER AS orders,
       sum(paid)::DECIMAL(18,2) AS spend, sum(kept)::DECIMAL(18,2) AS net_spend,
       date_diff('day', max(paid_at)::DATE, $as_of::DATE)::INTEGER AS recency_days,
       count(*) FILTER (WHERE discount_amount > 0) / nullif(count(discount_amount), 0)
           AS discount_share,
       any_value(h.province) AS province, count(DISTINCT platform)::INTEGER AS platforms
FROM _tg_orders LEFT JOIN home AS h USING (one_id) GROUP BY one_id
"""

# Gaps between consecutive purchase days of a person, and each person's last gap.
GAPS = """
CREATE OR REPLACE TEMP TABLE _tg_gaps AS
SELECT one_id, day, date_diff('day', lag(day) OVER w, day) AS gap,
       row_number() OVER (PARTITION BY one_id ORDER BY day DESC) AS back
FROM (SELECT DISTINCT one_id, paid_at::DATE AS day FROM _tg_orders)
WINDOW w AS (PARTITION BY one_id ORDER BY day)
"""


def _score(order_by: str) -> str:
    return f"least(5, 1 + floor(5 * (rank() OVER (ORDER BY {order_by}) - 1) / count(*) OVER ()))"


SCORES = f"""
CREATE OR REPLACE TEMP TABLE _tg_scores AS
SELECT one_id, {_score("recency_days DESC")}::TINYINT AS r_score,
       {_score("orders")}::TINYINT AS f_score, {_score("net_spend")}::TINYINT AS m_score
FROM _tg_person
"""


@dataclass
class Cadence:
    """The thresholds derived from the shop's purchase cadence (days)."""

    median_interval_days: float
    active_days: float
    lapsed_days: float
    from_repeat_purchases: bool


def stage_orders(con: duckdb.DuckDBPyConnection, as_of: str) -> None:
    """Build the temp tables the tags are computed from."""
    con.execute(PAID_ORDERS)
    con.execute(PERSON_STATS, {"as_of": as_of})
    con.execute(GAPS)
    con.execute(SCORES)


def cadence(con: duckdb.DuckDBPyConnection) -> Cadence:
    """The median inter-purchase interval and the lifecycle thresholds derived from it."""
    row = con.execute("SELECT median(gap) FROM _tg_gaps WHERE gap >= 1").fetchone()
    interval = float(row[0]) if row and row[0] is not None else None
    repeat = interval is not None
    if interval is None:
        row = con.execute("SELECT median(recency_days) FROM _tg_person").fetchone()
        interval = float(row[0]) if row and row[0] is not None else 0.0
    interval = max(interval, 1.0)
    return Cadence(interval, ACTIVE_FACTOR * interval, LAPSED_FACTOR * interval, repeat)


def segment_case(column: int) -> str:
    """SQL CASE naming the RFM segment (column 0 code, 1 Chinese, 2 English)."""
    whens = " ".join(
        f"WHEN r_high = {r} AND f_high = {f} AND m_high = {m} THEN '{names[column]}'"
        for (r, f, m), names in SEGMENTS.items()
    )
    return f"CASE {whens} END"


def lifecycle_case(c: Cadence) -> str:
    """SQL CASE giving the lifecycle stage from recency, the last gap and purchase days."""
    return f"""CASE WHEN recency_days > {c.lapsed_days} THEN 'lapsed'
        WHEN recency_days > {c.active_days} THEN 'at_risk'
        WHEN coalesce(last_gap, 0) > {c.lapsed_days} THEN 'won_back'
        WHEN purchase_days = 1 THEN 'new' ELSE 'active' END"""


def rfm_rows_sql(c: Cadence) -> str:
    """One row per person: stats, scores, segment and lifecycle (reads the staged temp tables)."""
    return f"""
    WITH means AS (SELECT avg(r_score) AS r, avg(f_score) AS f, avg(m_score) AS m
                   FROM _tg_scores),
    days AS (SELECT one_id, count(*) AS purchase_days,
                    max(gap) FILTER (WHERE back = 1) AS last_gap
             FROM _tg_gaps GROUP BY one_id),
    flagged AS (
        SELECT p.*, s.r_score, s.f_score, s.m_score, d.purchase_days, d.last_gap,
               s.r_score > means.r AS r_high, s.f_score > means.f AS f_high,
               s.m_score > means.m AS m_high
        FROM _tg_person AS p JOIN _tg_scores AS s USING (one_id)
        JOIN days AS d USING (one_id) CROSS JOIN means)
    SELECT one_id, first_purchase_at, last_purchase_at, orders, spend,
           (spend - net_spend)::DECIMAL(18,2) AS refunded, net_spend,
           (net_spend / nullif(orders, 0))::DECIMAL(18,2) AS avg_order_value, recency_days,
           r_score, f_score, m_score, concat(r_score, f_score, m_score) AS rfm_code,
           {segment_case(1)} AS rfm_segment, {segment_case(2)} AS rfm_segment_en,
           {lifecycle_case(c)} AS lifecycle, discount_share, province, platforms
    FROM flagged"""
