"""The product master (商品主数据): cross-platform SPUs and their SKUs.

Keys:
- ``spu_id``: the seller's product-level code (商家编码 / outer_code, upper-cased) where the export
  carries one, so the same goods on five platforms are one SPU. Fallback: the platform listing
  (``product_id``, e.g. ``pdd:item-583…``), marked ``spu_source = 'listing'`` ("unmatched") until
  the user maps it in the workspace's ``product_map.yaml`` (applied on every sync).
- ``variant``: the variant attributes parsed out of the SKU column or the title (``颜色分类:奶杏色;
  尺码:M``, Shopify's ``Title - 奶杏色 / M``) as sorted ``key:value`` pairs with keys normalised
  (colour, size, spec); ``sku_key`` = ``spu_id`` + ``/`` + variant.
- ``clean_title``: the title without the variant text.

Parsing happens in SQL macros while the loader writes the rows (no Python per row).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import yaml

from shopql.errors import SyncError

MAP_FILE = "product_map.yaml"
SIZE = r"(XXS|XS|S|M|L|XL|XXL|XXXL|[2-6]XL|均码|[0-9]{2,3}(/[0-9]{2,3}[AB]?)?)"
KEYS = {
    "colour": ("颜色分类", "颜色", "顏色", "color", "colour", "色系"),
    "size": ("尺码", "尺寸", "码数", "鞋码", "size"),
    "spec": ("规格", "型号", "spec", "款式"),
}


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def product_macros() -> list[str]:
    key_case = " ".join(
        f"WHEN {_lit(raw.lower())} THEN {_lit(key)}" for key, raws in KEYS.items() for raw in raws
    )
    pair = r"[^\s:：;；]+[:：][^;；]+"
    return [
        f"CREATE OR REPLACE TEMP MACRO sq_prop_key(k) AS CASE lower(trim(k)) {key_case} ELSE trim(k) END",
        # key:value pairs (Taobao 商品属性, PDD/Douyin 商品规格 appended to titles)
        f"""CREATE OR REPLACE TEMP MACRO sq_variant_pairs(t) AS list_sort(list_transform(
            regexp_extract_all(t, {_lit(pair)}),
            lambda kv: sq_prop_key(regexp_extract(kv, '^([^:：]+)', 1)) || ':'
                       || trim(regexp_extract(kv, '[:：](.*)$', 1))))""",
        # Shopify line names: "Title - 奶杏色 / M" (option values; sizes recognised, others colour)
        f"""CREATE OR REPLACE TEMP MACRO sq_variant_options(t) AS list_sort(list_transform(
            string_split(regexp_extract(t, ' - ([^-]+)$', 1), ' / '),
            lambda p: CASE WHEN regexp_full_match(trim(p), {_lit(SIZE)}) THEN 'size:' ELSE 'colour:' END
                      || trim(p)))""",
        f"""CREATE OR REPLACE TEMP MACRO sq_variant(t) AS CASE
            WHEN t IS NULL THEN NULL
            WHEN regexp_matches(t, {_lit(pair)}) THEN array_to_string(sq_variant_pairs(t), ';')
            WHEN regexp_matches(t, ' - ([^-]+ / [^-]+|{SIZE})$')
                 THEN array_to_string(sq_variant_options(t), ';')
            END""",
        f"""CREATE OR REPLACE TEMP MACRO sq_clean_title(t) AS nullif(trim(regexp_replace(
            regexp_replace(t, '\\s*({pair}[;；]?)+$', ''), ' - ([^-]+ / [^-]+|{SIZE})$', '')), '')""",
        """CREATE OR REPLACE TEMP MACRO sq_prop(v, k) AS
            nullif(regexp_extract(v, '(^|;)' || k || ':([^;]+)', 2), '')""",
        "CREATE OR REPLACE TEMP MACRO sq_spu(code) AS nullif(upper(trim(code)), '')",
    ]


def standard_product_columns(columns: dict[str, str], table_columns: set[str]) -> dict[str, str]:
    """Add spu/sku keys, variant, clean title (and colour/size) to an order_items or products
    target that writes a title."""
    title = columns.get("title")
    if title is None or "spu_id" not in table_columns:
        return columns
    out = dict(columns)
    variant = out.get("variant") or f"sq_variant({title})"
    outer = out.get("outer_code", "NULL")
    spu = f"coalesce(sq_spu({outer}), {out.get('product_id', 'NULL')})"
    out["variant"] = variant
    out["clean_title"] = f"coalesce(sq_clean_title({title}), {title})"
    out["spu_id"] = spu
    out["spu_source"] = (
        f"CASE WHEN sq_spu({outer}) IS NOT NULL THEN 'outer_code' ELSE 'listing' END"
    )
    out["sku_key"] = f"{spu} || coalesce('/' || ({variant}), '')"
    for prop in ("colour", "size"):
        if prop in table_columns:
            out[prop] = f"sq_prop({variant}, {_lit(prop)})"
    return {k: v for k, v in out.items() if k in table_columns}


def read_map(workspace: Path) -> dict[str, str]:
    """The workspace's listing -> SPU mapping (``product_map.yaml``: ``listings: {id: SPU}``)."""
    path = workspace / MAP_FILE
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise SyncError(f"{path} is not valid YAML: {e}", "fix or delete the file") from e
    listings = data.get("listings") if isinstance(data, dict) else None
    if not isinstance(listings, dict):
        raise SyncError(f"{path} must have a `listings:` mapping of product_id to SPU code")
    return {str(k): str(v).strip().upper() for k, v in listings.items() if v}


def write_map(workspace: Path, mapping: dict[str, str]) -> Path:
    path = workspace / MAP_FILE
    header = (
        "# Listing (products.product_id) -> SPU (the seller's product code), applied on every sync.\n"
        "# Written by `shopql catalog products --map LISTING SPU`; edit freely.\n"
    )
    body = yaml.safe_dump({"listings": dict(sorted(mapping.items()))}, allow_unicode=True)
    path.write_text(header + body, encoding="utf-8")
    return path


def refresh_master(con: duckdb.DuckDBPyConnection, mapping: dict[str, str]) -> None:
    """Line up products with the orders that sell them (sync/consistency.py), apply the listing
    map to products and order lines, then rebuild product_spus/product_skus."""
    from shopql.sync.consistency import reconcile_products

    reconcile_products(con)
    if mapping:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _product_map AS SELECT unnest($1::VARCHAR[]) AS product_id, "
            "unnest($2::VARCHAR[]) AS spu_id",
            [list(mapping), list(mapping.values())],
        )
        for table in ("products", "order_items"):
            con.execute(
                f"""UPDATE {table} t SET spu_id = m.spu_id, spu_source = 'mapping',
                       sku_key = m.spu_id || coalesce('/' || t.variant, '')
                FROM _product_map m WHERE t.product_id = m.product_id
                  AND (t.spu_id IS DISTINCT FROM m.spu_id OR t.spu_source <> 'mapping')"""
            )
        con.execute("DROP TABLE _product_map")
    # an SPU's title, category and brand: its listings' most frequent, a tie to the first by name
    # (mode() over a list in that order keeps the first of the tied; plain mode() kept whichever
    # the scan met first, so two syncs of the same files could name an SPU differently)
    top = "list_aggregate(list({c} ORDER BY {c}), 'mode')"
    con.execute(
        f"""CREATE OR REPLACE TABLE product_spus AS
        SELECT spu_id, {top.format(c="clean_title")} AS title,
               {top.format(c="category")} AS category, {top.format(c="brand")} AS brand,
               min(spu_source) AS spu_source,
               count(*) AS listings, count(DISTINCT sku_key) AS skus,
               string_agg(DISTINCT platform, ',' ORDER BY platform) AS platforms
        FROM products WHERE spu_id IS NOT NULL GROUP BY spu_id"""
    )
    # SKUs as sold: every SPU + variant seen on an order line or a listing
    prop = "nullif(regexp_extract(variant, '(^|;){}:([^;]+)', 2), '')"
    con.execute(
        f"""CREATE OR REPLACE TABLE product_skus AS
        SELECT sku_key, any_value(spu_id) AS spu_id, any_value(variant) AS variant,
               any_value({prop.format("colour")}) AS colour, any_value({prop.format("size")}) AS size,
               count(*) AS listings, string_agg(DISTINCT platform, ',' ORDER BY platform) AS platforms
        FROM (SELECT DISTINCT i.sku_key, i.spu_id, i.variant, o.platform
              FROM order_items i JOIN orders o USING (order_id)
              UNION
              SELECT sku_key, spu_id, variant, platform FROM products)
        WHERE sku_key IS NOT NULL GROUP BY sku_key"""
    )


def unmatched_listings(con: duckdb.DuckDBPyConnection, limit: int = 50) -> list[tuple]:
    """Listings whose SPU is only the listing itself: (product_id, platform, title, lines, paid)."""
    return con.execute(
        """SELECT p.product_id, p.platform, p.clean_title, count(i.order_id) AS lines,
                  coalesce(sum(i.paid_amount), 0) AS paid
        FROM products p LEFT JOIN order_items i ON i.product_id = p.product_id
        WHERE p.spu_source = 'listing'
        GROUP BY ALL ORDER BY lines DESC, p.product_id LIMIT ?""",
        [limit],
    ).fetchall()


def map_listing(workspace: Path, warehouse: Path, listing: str, spu: str) -> dict[str, str]:
    """Map one listing to an SPU: record it in product_map.yaml and apply it to the warehouse."""
    from shopql.warehouse.connection import open_writer

    spu = spu.strip().upper()
    if not spu:
        raise SyncError("the SPU code is empty", "give the seller's product code, e.g. QM-WC-2301")
    mapping = read_map(workspace)
    con = open_writer(warehouse)
    try:
        found = con.execute("SELECT count(*) FROM products WHERE product_id = ?", [listing])
        if not found.fetchone()[0]:  # type: ignore[index]
            raise SyncError(
                f"no listing {listing!r} in the warehouse",
                "run `shopql catalog products` to see the unmatched listings",
            )
        mapping[listing] = spu
        write_map(workspace, mapping)
        con.execute("BEGIN TRANSACTION")
        refresh_master(con, mapping)
        con.execute("COMMIT")
    finally:
        con.close()
    return mapping
