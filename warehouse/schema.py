"""The canonical model (data standard) as DuckDB DDL, with a schema version and forward migrations.

Each migration is a list of statements applied in one transaction; ``_meta.schema_version`` records
the last one applied. A warehouse made by an older shopql is upgraded when opened for writing; one
made by a newer shopql is refused rather than misread.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

import duckdb

from shopql.errors import WorkspaceError

MONEY = "DECIMAL(18,2)"
PYTHON_STEP = "-- python:"  # a migration statement that is a Python function, not SQL

# Keys are enforced by the loader (MERGE by natural key, duplicates resolved latest-row-wins), not by
# PRIMARY KEY indexes: an ART index makes bulk loads about five times slower in DuckDB.
V1 = [
    "CREATE TABLE IF NOT EXISTS _meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE shops (shop_id VARCHAR, platform VARCHAR, name VARCHAR,
        currency VARCHAR, timezone VARCHAR)""",
    """CREATE TABLE customers (customer_id VARCHAR, platform VARCHAR, shop_id VARCHAR,
        buyer_key VARCHAR, nick VARCHAR, name VARCHAR, phone VARCHAR, email VARCHAR,
        openid VARCHAR, member_level VARCHAR, province VARCHAR, city VARCHAR,
        first_order_at TIMESTAMP, one_id VARCHAR)""",
    f"""CREATE TABLE products (product_id VARCHAR, platform VARCHAR, shop_id VARCHAR,
        platform_product_id VARCHAR, sku_id VARCHAR, outer_code VARCHAR, title VARCHAR,
        category VARCHAR, brand VARCHAR, list_price {MONEY}, cost {MONEY})""",
    f"""CREATE TABLE orders (order_id VARCHAR, platform VARCHAR, shop_id VARCHAR,
        platform_order_id VARCHAR, customer_id VARCHAR, status VARCHAR, created_at TIMESTAMP,
        paid_at TIMESTAMP, shipped_at TIMESTAMP, finished_at TIMESTAMP, currency VARCHAR,
        goods_amount {MONEY}, discount_amount {MONEY}, shipping_fee {MONEY},
        paid_amount {MONEY}, refund_amount {MONEY}, payment_channel VARCHAR,
        province VARCHAR, city VARCHAR, district VARCHAR, source_file_id BIGINT)""",
    f"""CREATE TABLE order_items (order_id VARCHAR, line_no INTEGER, product_id VARCHAR,
        sku_id VARCHAR, outer_code VARCHAR, title VARCHAR, category VARCHAR, quantity INTEGER,
        unit_price {MONEY}, paid_amount {MONEY}, refund_status VARCHAR, refund_amount {MONEY})""",
    f"""CREATE TABLE payments (payment_id VARCHAR, order_id VARCHAR, channel VARCHAR,
        status VARCHAR, amount {MONEY}, attempted_at TIMESTAMP)""",
    f"""CREATE TABLE refunds (refund_id VARCHAR, order_id VARCHAR, line_no INTEGER,
        status VARCHAR, amount {MONEY}, reason VARCHAR, requested_at TIMESTAMP,
        finished_at TIMESTAMP)""",
    """CREATE TABLE inventory (outer_code VARCHAR, warehouse VARCHAR, on_hand INTEGER,
        reserved INTEGER, as_of TIMESTAMP)""",
    """CREATE TABLE events (event_time TIMESTAMP, platform VARCHAR, user_key VARCHAR,
        customer_id VARCHAR, event_type VARCHAR, product_id VARCHAR, category VARCHAR)""",
    """CREATE TABLE reviews (order_id VARCHAR, product_id VARCHAR, score INTEGER,
        comment VARCHAR, created_at TIMESTAMP)""",
    """CREATE TABLE identities (identifier_type VARCHAR, identifier_value VARCHAR,
        customer_id VARCHAR)""",
    "CREATE TABLE one_ids (customer_id VARCHAR PRIMARY KEY, one_id VARCHAR)",
    """CREATE TABLE _sync_files (file_id BIGINT PRIMARY KEY, path VARCHAR, sha256 VARCHAR,
        bytes BIGINT, platform VARCHAR, kind VARCHAR, encoding VARCHAR, rows_read BIGINT,
        rows_loaded BIGINT, rows_quarantined BIGINT, started_at TIMESTAMP,
        finished_at TIMESTAMP)""",
    """CREATE TABLE _quarantine (file_id BIGINT, path VARCHAR, line BIGINT, raw VARCHAR,
        reason VARCHAR)""",
    """CREATE TABLE _audit (executed_at TIMESTAMP, role VARCHAR, source VARCHAR, question VARCHAR,
        sql VARCHAR, rows BIGINT, duration_ms DOUBLE, outcome VARCHAR)""",
    "CREATE SEQUENCE _file_seq START 1",
]

# v2: what the first real files asked for. Raw platform status kept next to the canonical one;
# review ids (one review can cover several orders); category names in other languages;
# identities carry where they came from; quarantine rows carry the time they were written.
V2 = [
    "ALTER TABLE orders ADD COLUMN raw_status VARCHAR",
    "ALTER TABLE reviews ADD COLUMN review_id VARCHAR",
    """CREATE TABLE category_names (platform VARCHAR, category VARCHAR, name_en VARCHAR,
        name_zh VARCHAR)""",
    "ALTER TABLE identities ADD COLUMN platform VARCHAR",
    "ALTER TABLE _quarantine ADD COLUMN created_at TIMESTAMP",
]

# v3: OneID evidence. Every normalised identifier of every account with what OneID did with it
# (joined, unique, masked, blocklisted, over_shared, weak, invalid) and how many accounts carry
# it, so `identity explain` can say why accounts were or were not joined; one_ids retired when
# two persons merged point at the surviving one.
V3 = [
    """CREATE TABLE _identity_links (customer_id VARCHAR, platform VARCHAR,
        identifier_type VARCHAR, identifier_value VARCHAR, status VARCHAR, accounts INTEGER)""",
    """CREATE TABLE _one_id_merges (retired_one_id VARCHAR PRIMARY KEY, one_id VARCHAR,
        merged_at TIMESTAMP)""",
]

# Audiences (issue 13): per-person tags and RFM scores (one row per person; the purchase columns
# are NULL for persons who never bought),
# rule tags from the catalog, a record of each tag run (the thresholds it derived), saved segments
# with their history (definition, size, who changed it), the members of list segments, and what
# each person bought (for segment conditions).
V_AUDIENCES = [
    f"""CREATE TABLE person_tags (one_id VARCHAR, first_purchase_at TIMESTAMP,
        last_purchase_at TIMESTAMP, orders INTEGER, spend {MONEY}, refunded {MONEY},
        net_spend {MONEY}, avg_order_value {MONEY}, recency_days INTEGER, r_score TINYINT,
        f_score TINYINT, m_score TINYINT, rfm_code VARCHAR, rfm_segment VARCHAR,
        rfm_segment_en VARCHAR, lifecycle VARCHAR, preferred_platform VARCHAR,
        preferred_category VARCHAR, price_band VARCHAR, discount_share DOUBLE,
        discount_sensitivity VARCHAR, province VARCHAR, platforms INTEGER,
        computed_at TIMESTAMP)""",
    "CREATE TABLE person_rule_tags (one_id VARCHAR, tag VARCHAR)",
    """CREATE TABLE _tag_runs (computed_at TIMESTAMP, as_of TIMESTAMP, persons BIGINT,
        buyers BIGINT, median_interval_days DOUBLE, active_days DOUBLE, lapsed_days DOUBLE,
        price_low_max DOUBLE, price_high_min DOUBLE, rule_tags INTEGER, seconds DOUBLE)""",
    """CREATE TABLE segments (name VARCHAR PRIMARY KEY, kind VARCHAR, definition VARCHAR,
        description VARCHAR, created_at TIMESTAMP, created_by VARCHAR, updated_at TIMESTAMP,
        updated_by VARCHAR, size BIGINT)""",
    """CREATE TABLE segment_history (name VARCHAR, changed_at TIMESTAMP, os_user VARCHAR, role VARCHAR,
        action VARCHAR, definition VARCHAR, size BIGINT)""",
    "CREATE TABLE segment_members (name VARCHAR, one_id VARCHAR)",
    # what each person bought (kept lines, one_id resolved), so segment sizes need no joins
    f"""CREATE TABLE person_lines (one_id VARCHAR, order_id VARCHAR, first_line BOOLEAN,
        paid_at TIMESTAMP, platform VARCHAR, province VARCHAR, product_id VARCHAR,
        outer_code VARCHAR, platform_product_id VARCHAR, category VARCHAR, title VARCHAR,
        brand VARCHAR, quantity INTEGER, line_amount {MONEY}, order_kept {MONEY})""",
]


def _pseudonymise_keys(con: duckdb.DuckDBPyConnection) -> None:
    from shopql.sync.pseudonym import rekey_existing

    rekey_existing(con)


# Pseudonymised keys (issue 10, item 4): account keys derived from nicks, e-mails or phones
# (customer_id, buyer_key, events.user_key) become keyed hashes, in every table at once, with the
# workspace's key (sync/pseudonym.py). A step may be a function of the connection.
V_PSEUDONYM_KEYS: list[str | Callable[[duckdb.DuckDBPyConnection], None]] = [_pseudonymise_keys]


# data standard (issue 9): canonical vocabularies with the raw value kept beside them, the address
# standard (GB/T 2260 codes, 大区, country), the product master (SPU/SKU keys, variant, clean
# title; product_spus and product_skus). Existing rows are re-derived in place by
# shopql.sync.standard.rederive, a Python step (addresses are parsed by cpca-new) written as a
# `-- python: module.function` statement: `migrate` calls it, plain DDL replays see a comment.
V_DATA_STANDARD = [
    "ALTER TABLE orders ADD COLUMN raw_payment_channel VARCHAR",
    "ALTER TABLE orders ADD COLUMN carrier VARCHAR",
    "ALTER TABLE orders ADD COLUMN raw_carrier VARCHAR",
    "ALTER TABLE orders ADD COLUMN raw_province VARCHAR",
    "ALTER TABLE orders ADD COLUMN raw_city VARCHAR",
    "ALTER TABLE orders ADD COLUMN raw_district VARCHAR",
    "ALTER TABLE orders ADD COLUMN province_code VARCHAR",
    "ALTER TABLE orders ADD COLUMN city_code VARCHAR",
    "ALTER TABLE orders ADD COLUMN district_code VARCHAR",
    "ALTER TABLE orders ADD COLUMN region VARCHAR",
    "ALTER TABLE orders ADD COLUMN country VARCHAR",
    "ALTER TABLE payments ADD COLUMN raw_channel VARCHAR",
    "ALTER TABLE order_items ADD COLUMN raw_refund_status VARCHAR",
    "ALTER TABLE order_items ADD COLUMN spu_id VARCHAR",
    "ALTER TABLE order_items ADD COLUMN spu_source VARCHAR",
    "ALTER TABLE order_items ADD COLUMN sku_key VARCHAR",
    "ALTER TABLE order_items ADD COLUMN variant VARCHAR",
    "ALTER TABLE order_items ADD COLUMN clean_title VARCHAR",
    "ALTER TABLE products ADD COLUMN spu_id VARCHAR",
    "ALTER TABLE products ADD COLUMN spu_source VARCHAR",
    "ALTER TABLE products ADD COLUMN sku_key VARCHAR",
    "ALTER TABLE products ADD COLUMN variant VARCHAR",
    "ALTER TABLE products ADD COLUMN clean_title VARCHAR",
    "ALTER TABLE products ADD COLUMN colour VARCHAR",
    "ALTER TABLE products ADD COLUMN size VARCHAR",
    """CREATE TABLE product_spus (spu_id VARCHAR, title VARCHAR, category VARCHAR,
        brand VARCHAR, spu_source VARCHAR, listings BIGINT, skus BIGINT, platforms VARCHAR)""",
    """CREATE TABLE product_skus (sku_key VARCHAR, spu_id VARCHAR, variant VARCHAR,
        colour VARCHAR, size VARCHAR, listings BIGINT, platforms VARCHAR)""",
    f"{PYTHON_STEP} shopql.sync.standard.rederive",
]

# Person key on the fact rows (issue 14): orders.one_id = the OneID of the order's account, the
# account key before OneID is built (warehouse/person_key.py), so person counts need no join to
# customers. Filled from customers in the migration's transaction; keep it after
# V_PSEUDONYM_KEYS (an account key re-keyed later would leave the fallback keys behind).
V_PERSON_KEY = [
    "ALTER TABLE orders ADD COLUMN one_id VARCHAR",
    f"{PYTHON_STEP} shopql.warehouse.person_key.fill",
]

# Products agree with their orders (issue 11's data-standard check, sync/consistency.py): a
# listing's shop and platform are those of the shop that sells it (a Tmall shop's products said
# `taobao`, its orders `tmall`), and a listing keyed per product keeps no variant taken from
# one of its orders. Re-derived in place from the orders and shops already stored.
V_PRODUCT_SHOPS = [f"{PYTHON_STEP} shopql.sync.consistency.migrate_products"]

# The seller of each order line (data standard: order lines carry a shop key): a marketplace order
# can have several sellers (1,278 Olist orders do), and orders.shop_id names one. Filled from the
# order's shop; a later line of a multi-line marketplace order stays NULL (its seller was not
# stored) until its items file is synced again (sync/consistency.py fill_line_shops).
V_LINE_SHOP = [
    "ALTER TABLE order_items ADD COLUMN IF NOT EXISTS shop_id VARCHAR",
    f"{PYTHON_STEP} shopql.sync.consistency.fill_line_shops",
]

# Change log of the big fact tables (issue 14, the board): one row per write by sync or by the
# person key's refresh — the earliest time it touched, the row id where its order lines start,
# the row counts before and after — so the board's recent slice refreshes only the changed days
# (warehouse/changes.py, warehouse/recent.py). An empty log is valid: readers copy everything.
V_BOARD_CHANGES = [
    "CREATE SEQUENCE IF NOT EXISTS _change_seq START 1",
    """CREATE TABLE IF NOT EXISTS _changes (seq BIGINT, logged_at TIMESTAMP, what VARCHAR,
        since TIMESTAMP, full_copy BOOLEAN, items_from BIGINT, before VARCHAR, after VARCHAR,
        updated VARCHAR)""",
]

# Online Retail's country (issue 11): sync/sources/online_retail.yaml wrote the file's Country
# into orders.province and customers.province; it now writes orders.country (and no finished_at:
# an invoice has no delivery time). Existing warehouses move it in place (no re-sync): "how many
# countries" was 0, "by province" listed countries, delivery days were 0.
V_RETAIL_COUNTRY = [
    """UPDATE orders SET country = province, province = NULL
        WHERE platform = 'retail' AND country IS NULL AND province IS NOT NULL""",
    "UPDATE customers SET province = NULL WHERE platform = 'retail' AND province IS NOT NULL",
    # an invoice's time is not a delivery time: delivery days were 0 for every order
    "UPDATE orders SET finished_at = NULL WHERE platform = 'retail' AND finished_at IS NOT NULL",
]

# The seller's own place (issue 11: "sales of sellers in SP" is the seller's state, not the
# buyer's): shops.province / shops.city, written by sync where the export has them (Olist's
# sellers file: seller_state, seller_city). An Olist warehouse synced before keeps them in the
# shop name shopql wrote ("Olist seller 3442f895 (campinas/SP)"): read back from there.
V_SHOP_PLACE = [
    "ALTER TABLE shops ADD COLUMN IF NOT EXISTS province VARCHAR",
    "ALTER TABLE shops ADD COLUMN IF NOT EXISTS city VARCHAR",
    r"""UPDATE shops SET province = regexp_extract(name, '/([A-Za-z]{2})\)$', 1),
        city = regexp_extract(name, '\(([^()/]+)/[A-Za-z]{2}\)$', 1)
        WHERE platform = 'olist' AND province IS NULL
        AND regexp_matches(name, '^Olist seller \S+ \([^()/]+/[A-Za-z]{2}\)$')""",
]

MIGRATIONS: list[Sequence[str | Callable[[duckdb.DuckDBPyConnection], None]]] = [
    V1,
    V2,
    V3,
    V_AUDIENCES,
    V_DATA_STANDARD,
    V_PSEUDONYM_KEYS,  # last: re-keys every table the others made
    V_PERSON_KEY,  # after the re-keying: derived from the (re-keyed) account keys
    V_PRODUCT_SHOPS,
    V_LINE_SHOP,
    V_BOARD_CHANGES,  # the change log: order-independent of the others (new tables only)
    V_RETAIL_COUNTRY,
    V_SHOP_PLACE,  # new columns + an Olist fill: order-independent of the others
]
SCHEMA_VERSION = len(MIGRATIONS)

CANONICAL_TABLES = (
    "shops",
    "customers",
    "products",
    "orders",
    "order_items",
    "payments",
    "refunds",
    "inventory",
    "events",
    "reviews",
    "identities",
    "one_ids",
    "category_names",
    "product_spus",
    "product_skus",
)


def _python_step(con: duckdb.DuckDBPyConnection, target: str) -> None:
    module, _, function = target.rpartition(".")
    getattr(importlib.import_module(module), function)(con)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The version recorded in the warehouse, 0 for an empty database."""
    has_meta = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = '_meta'"
    ).fetchone()
    if not has_meta or not has_meta[0]:
        return 0
    row = con.execute("SELECT value FROM _meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection, target: int = SCHEMA_VERSION) -> int:
    """Apply the missing migrations up to `target`, each in its own transaction."""
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise WorkspaceError(
            f"this warehouse has schema version {current}, newer than this shopql knows "
            f"({SCHEMA_VERSION})",
            "upgrade shopql (pip install -U shopql)",
        )
    for version in range(current + 1, target + 1):
        con.execute("BEGIN TRANSACTION")
        try:
            for statement in MIGRATIONS[version - 1]:
                if callable(statement):
                    statement(con)
                elif statement.startswith(PYTHON_STEP):  # a data step (re-deriving values)
                    _python_step(con, statement.removeprefix(PYTHON_STEP).strip())
                else:
                    con.execute(statement)
            con.execute("INSERT OR REPLACE INTO _meta VALUES ('schema_version', ?)", [str(version)])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return max(current, target)
