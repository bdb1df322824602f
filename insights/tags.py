"""Built-in and rule tags per OneID person, recomputed in one transaction.

Built-in tags (see ``shopql.insights.rfm`` for RFM and lifecycle): preferred platform (most spend
kept, then most orders), preferred category (most line spend net of line refunds; the line's
category, else the product's), price band (the person's average unit price against the shop's
terciles of line unit prices: ``low`` up to the 1/3 quantile, ``high`` above the 2/3 quantile,
else ``mid``), discount sensitivity (share of the person's orders that carried a discount:
``none`` at 0, ``high`` above one half, else ``low``; unknown when no export said), first and
last purchase, lifetime spend net of refunds, province (most frequent on their orders), number of
platforms bought on. Preferences and price bands read ``person_lines`` (written first).

Everything is recomputed: quantile scores and the cadence thresholds depend on every person, so a
new order anywhere can move anyone's score, and the full SQL pass takes seconds on a million
persons (bench/tags_bench.py) — an incremental update would not pay for its complexity.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb

from shopql.catalog.model import RuleTag
from shopql.errors import ShopqlError
from shopql.insights.rfm import LIFECYCLE, Cadence, cadence, rfm_rows_sql, stage_orders
from shopql.warehouse.policy import PersonalData

TEMP_TABLES = ("_tg_orders", "_tg_person", "_tg_gaps", "_tg_scores", "_tg_rfm", "_tg_pref")

# Person columns a condition may name (tags, scores, spend, region): column -> kind.
PERSON_COLUMNS: dict[str, str] = {
    "first_purchase_at": "time",
    "last_purchase_at": "time",
    "orders": "number",
    "spend": "number",
    "refunded": "number",
    "net_spend": "number",
    "avg_order_value": "number",
    "recency_days": "number",
    "r_score": "number",
    "f_score": "number",
    "m_score": "number",
    "rfm_code": "text",
    "rfm_segment": "text",
    "rfm_segment_en": "text",
    "lifecycle": "text",
    "preferred_platform": "text",
    "preferred_category": "text",
    "price_band": "text",
    "discount_share": "number",
    "discount_sensitivity": "text",
    "province": "text",
    "platforms": "number",
}

PREFERENCES = """
CREATE OR REPLACE TEMP TABLE _tg_pref AS
WITH cats AS (SELECT one_id, category, sum(line_amount) AS amount FROM person_lines
              WHERE category IS NOT NULL GROUP BY ALL),
plats AS (SELECT one_id, platform, sum(kept) AS kept, count(*) AS n FROM _tg_orders GROUP BY ALL),
unit AS (SELECT one_id, sum(line_amount) / sum(quantity) AS unit_price FROM person_lines
         WHERE quantity IS NOT NULL AND line_amount > 0 GROUP BY ALL),
top_plat AS (SELECT one_id, platform FROM plats QUALIFY row_number() OVER (
                 PARTITION BY one_id ORDER BY kept DESC, n DESC, platform) = 1),
top_cat AS (SELECT one_id, category FROM cats QUALIFY row_number() OVER (
                PARTITION BY one_id ORDER BY amount DESC, category) = 1)
SELECT b.one_id, top_plat.platform AS preferred_platform,
       top_cat.category AS preferred_category, unit.unit_price
FROM _tg_person AS b LEFT JOIN top_plat USING (one_id) LEFT JOIN top_cat USING (one_id)
LEFT JOIN unit USING (one_id)
"""

# Kept lines per person (an order without lines gets one line with no product), rebuilt with the
# tags so a segment's bought(…) reads one table.
PERSON_LINES = """
INSERT INTO person_lines BY NAME
SELECT t.one_id, t.order_id, i.line_no IS NULL OR i.line_no = f.first_line AS first_line,
       t.paid_at, t.platform, t.province, i.product_id,
       coalesce(i.outer_code, p.outer_code) AS outer_code, p.platform_product_id,
       coalesce(i.category, p.category) AS category, coalesce(i.title, p.title) AS title,
       p.brand, nullif(i.quantity, 0) AS quantity,
       greatest(coalesce(i.paid_amount, i.quantity * i.unit_price, 0)
                - coalesce(i.refund_amount, 0), 0)::DECIMAL(18,2) AS line_amount,
       t.kept::DECIMAL(18,2) AS order_kept
FROM _tg_orders AS t LEFT JOIN order_items AS i ON i.order_id = t.order_id
LEFT JOIN (SELECT order_id, min(line_no) AS first_line FROM order_items GROUP BY 1) AS f
    ON f.order_id = t.order_id
LEFT JOIN products AS p ON p.product_id = i.product_id
WHERE t.counted
ORDER BY category, one_id  -- zone maps then skip the row groups of other categories
"""

BANDS = """
SELECT quantile_cont(line_amount / quantity, 1 / 3), quantile_cont(line_amount / quantity, 2 / 3)
FROM person_lines WHERE quantity IS NOT NULL AND line_amount > 0
"""


class TagError(ShopqlError):
    """A tag or person that cannot be shown or computed."""


@dataclass
class TagRun:
    """What one refresh did."""

    persons: int
    buyers: int
    as_of: str | None
    median_interval_days: float | None
    active_days: float | None
    lapsed_days: float | None
    from_repeat_purchases: bool
    price_low_max: float | None
    price_high_min: float | None
    rule_tags: dict[str, int] = field(default_factory=dict)
    skipped_rules: list[str] = field(default_factory=list)
    segments: dict[str, int] = field(default_factory=dict)  # saved segments' new sizes
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def refresh_tags(
    con: duckdb.DuckDBPyConnection,
    rule_tags: Sequence[RuleTag] = (),
    as_of: dt.date | None = None,
) -> TagRun:
    """Recompute every person's tags and rule tags, written in one transaction.

    Args:
        con: a writer connection on a warehouse at the current schema.
        rule_tags: the catalog's rule tags (conditions already linted).
        as_of: the day recency is measured to; default the day of the newest paid order.
    Returns:
        the counts and thresholds of the run.
    """
    from shopql.warehouse.connection import transaction

    started = time.perf_counter()
    try:
        with transaction(con):
            run = _refresh(con, list(rule_tags), as_of)
    finally:
        for table in TEMP_TABLES:
            con.execute(f"DROP TABLE IF EXISTS {table}")
    run.seconds = round(time.perf_counter() - started, 3)
    return run


def _as_of(con: duckdb.DuckDBPyConnection, as_of: dt.date | None) -> str | None:
    if as_of is not None:
        return as_of.isoformat()
    row = con.execute("SELECT max(paid_at)::DATE FROM orders").fetchone()
    return row[0].isoformat() if row and row[0] is not None else None


def _refresh(con: duckdb.DuckDBPyConnection, rules: list[RuleTag], as_of: dt.date | None) -> TagRun:
    day = _as_of(con, as_of)
    con.execute("DELETE FROM person_tags")
    con.execute("DELETE FROM person_rule_tags")
    con.execute("DELETE FROM person_lines")
    run = TagRun(0, 0, day, None, None, None, False, None, None)
    if day is not None:
        stage_orders(con, day)
        con.execute(PERSON_LINES)
        c = cadence(con)
        low, high = con.execute(BANDS).fetchone() or (None, None)
        _write_person_tags(con, c, low, high)
        run.buyers = _scalar(con, "SELECT count(*) FROM person_tags")
        run.median_interval_days, run.active_days = c.median_interval_days, c.active_days
        run.lapsed_days, run.from_repeat_purchases = c.lapsed_days, c.from_repeat_purchases
        run.price_low_max = float(low) if low is not None else None
        run.price_high_min = float(high) if high is not None else None
    # every other person too (no purchase: no scores), so a segment has one person list to read
    con.execute(
        """INSERT INTO person_tags (one_id, computed_at)
        SELECT DISTINCT one_id, current_localtimestamp() FROM one_ids
        WHERE one_id IS NOT NULL AND one_id NOT IN (SELECT one_id FROM person_tags)"""
    )
    run.persons = _scalar(con, "SELECT count(*) FROM person_tags")
    # a rule's bought(days = N) window ends on the day recency is measured to
    run.rule_tags = _apply_rules(con, rules, dt.date.fromisoformat(day) if day else None)
    _record(con, run, len(rules))
    return run


def _write_person_tags(con: duckdb.DuckDBPyConnection, c: Cadence, low: Any, high: Any) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE _tg_rfm AS {rfm_rows_sql(c)}")
    con.execute(PREFERENCES)
    band = "NULL"
    if low is not None and high is not None:
        band = (
            f"CASE WHEN f.unit_price IS NULL THEN NULL WHEN f.unit_price <= {float(low)} "
            f"THEN 'low' WHEN f.unit_price > {float(high)} THEN 'high' ELSE 'mid' END"
        )
    con.execute(
        f"""INSERT INTO person_tags BY NAME
        SELECT r.one_id, r.first_purchase_at, r.last_purchase_at, r.orders, r.spend,
               r.refunded, r.net_spend, r.avg_order_value, r.recency_days, r.r_score,
               r.f_score, r.m_score, r.rfm_code, r.rfm_segment, r.rfm_segment_en, r.lifecycle,
               f.preferred_platform, f.preferred_category, {band} AS price_band,
               r.discount_share,
               CASE WHEN r.discount_share IS NULL THEN NULL WHEN r.discount_share = 0
                    THEN 'none' WHEN r.discount_share > 0.5 THEN 'high' ELSE 'low' END
                   AS discount_sensitivity,
               r.province, r.platforms, current_localtimestamp() AS computed_at
        FROM _tg_rfm AS r LEFT JOIN _tg_pref AS f USING (one_id)"""
    )


def _apply_rules(
    con: duckdb.DuckDBPyConnection, rules: list[RuleTag], today: dt.date | None
) -> dict[str, int]:
    from shopql.insights.segments import person_condition_sql

    counts: dict[str, int] = {}
    for rule in rules:
        where = person_condition_sql(rule.condition, today)
        con.execute(
            f"""INSERT INTO person_rule_tags SELECT pt.one_id, ? FROM person_tags AS pt
                WHERE {where}""",
            [rule.name],
        )
        counts[rule.name] = _scalar(
            con, f"SELECT count(*) FROM person_rule_tags WHERE tag = '{_quote(rule.name)}'"
        )
    return counts


def _record(con: duckdb.DuckDBPyConnection, run: TagRun, rules: int) -> None:
    con.execute(
        "INSERT INTO _tag_runs VALUES (current_localtimestamp(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run.as_of,
            run.persons,
            run.buyers,
            run.median_interval_days,
            run.active_days,
            run.lapsed_days,
            run.price_low_max,
            run.price_high_min,
            rules,
            run.seconds,
        ],
    )


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _quote(text: str) -> str:
    return text.replace("'", "''")


def tag_overview(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Counts of persons per RFM segment, lifecycle stage and rule tag, with the last run."""
    run = con.execute(
        """SELECT computed_at, as_of, persons, buyers, median_interval_days, active_days,
                  lapsed_days, price_low_max, price_high_min FROM _tag_runs
           ORDER BY computed_at DESC LIMIT 1"""
    ).fetchone()
    names: tuple[str, ...] = ("computed_at", "as_of", "persons", "buyers", "median_interval_days")
    names += ("active_days", "lapsed_days", "price_low_max", "price_high_min")
    doc: dict[str, Any] = {"last_run": dict(zip(names, run, strict=True)) if run else None}
    doc["rfm_segments"] = _counts(con, "rfm_segment, rfm_segment_en", "person_tags")
    doc["lifecycle"] = [
        {**r, "zh": LIFECYCLE.get(r["lifecycle"], ("", ""))[0]}
        for r in _counts(con, "lifecycle", "person_tags")
    ]
    doc["rule_tags"] = _counts(con, "tag", "person_rule_tags")
    return doc


def _counts(con: duckdb.DuckDBPyConnection, columns: str, table: str) -> list[dict[str, Any]]:
    cursor = con.execute(
        f"SELECT {columns}, count(*) AS persons FROM {table} WHERE {columns.split(',')[0]} "
        f"IS NOT NULL GROUP BY ALL ORDER BY persons DESC, 1"
    )
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def resolve_person(
    con: duckdb.DuckDBPyConnection, ref: str, policy: str | PersonalData = "mask"
) -> str:
    """The person meant by `ref`: a tagged person id as the role sees it (before OneID is built
    a person is an account: its key, pseudonymised for a role that may not see keys), else what
    OneID resolves it to (one_id, customer_id; a phone, e-mail or nick only for a role whose PII
    `policy` is ``show``: otherwise the lookup would confirm who owns a phone number). The
    default is the closed one. Returns the stored person id."""
    from shopql.insights.customer360 import resolve_one_id

    view = PersonalData.of(policy).ready(con)
    person = view.sql("person_tags", "one_id", "one_id")
    tagged = con.execute(
        f"SELECT one_id FROM person_tags WHERE {person} = ? LIMIT 1", [ref.strip()]
    ).fetchone()
    return str(tagged[0]) if tagged else resolve_one_id(con, ref, view)


def person_tags(
    con: duckdb.DuckDBPyConnection, ref: str, policy: str | PersonalData = "mask"
) -> dict[str, Any]:
    """The tags of one person (REF: a one_id or customer_id; a phone, e-mail or nick too for a
    role whose PII `policy` is ``show``), every personal-data column as the role may see it."""
    view = PersonalData.of(policy)
    one_id = resolve_person(con, ref, view)
    cursor = con.execute("SELECT * FROM person_tags WHERE one_id = ?", [one_id])
    names = [d[0] for d in cursor.description or []]
    row = cursor.fetchone()
    doc: dict[str, Any] = {n: None for n in names}
    if row is not None:
        doc.update(dict(zip(names, row, strict=True)))
    doc["one_id"] = one_id
    for name in names:
        doc[name] = view.value(con, view.kind("person_tags", name), doc[name])
    doc["bought"] = doc["first_purchase_at"] is not None
    rules = con.execute(
        "SELECT tag FROM person_rule_tags WHERE one_id = ? ORDER BY tag", [one_id]
    ).fetchall()
    doc["rule_tags"] = [r[0] for r in rules]
    return doc


def catalog_rule_tags(workspace: Any) -> tuple[list[RuleTag], list[str]]:
    """The workspace catalog's rule tags whose condition compiles, and the names skipped (with
    why); a catalog with errors elsewhere still gives its good tags."""
    from shopql.catalog.store import load_catalog
    from shopql.insights.segments import person_condition_sql

    catalog = load_catalog(workspace, strict=False)
    good: list[RuleTag] = []
    skipped: list[str] = []
    for tag in catalog.tags.values():
        try:
            person_condition_sql(tag.condition)
        except ShopqlError as e:
            skipped.append(f"{tag.name} ({tag.where}: {e.message})")
            continue
        good.append(tag)
    return good, skipped


def refresh_workspace_tags(
    con: duckdb.DuckDBPyConnection, workspace: Any, as_of: dt.date | None = None
) -> TagRun:
    """Refresh tags with the workspace catalog's rule tags, then record every saved segment's
    new size in its history (the hook after sync and OneID: segments get a size over time)."""
    from shopql.catalog.compiler import today_in
    from shopql.catalog.store import _workspace_timezone
    from shopql.insights.segments import Actor, refresh_segments

    rules, skipped = catalog_rule_tags(workspace)
    run = refresh_tags(con, rules, as_of)
    run.skipped_rules = skipped
    today = today_in(_workspace_timezone(workspace)) if workspace is not None else dt.date.today()
    sizes = refresh_segments(con, [], Actor.current("system"), today, action="auto-refresh")
    run.segments = {d["name"]: d["size"] for d in sizes}
    run.skipped_rules += [f"segment {d['name']}: {d['error']}" for d in sizes if d["error"]]
    return run
