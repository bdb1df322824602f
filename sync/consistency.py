"""Product rows agree with the orders that sell them (the data standard across tables).

Three rules, applied after every sync (with the product master, `refresh_master`) and once to an
existing warehouse by a migration:

- **Shop and platform.** A listing carries the shop that sells it and that shop's platform, the
  same `platform` its orders carry. Taobao and Tmall share one key space (``taobao:<商家编码>``, one
  order-number space) and their item exports name no shop: only the orders file does (店铺名称/
  店铺Id), so without this rule a Tmall shop's products said ``taobao`` while its orders said
  ``tmall``. The shop is the one shop all the product's order lines were sold in; a listing
  with no sales (or sold in several shops) takes the only shop its key space has, if it has one.
- **Line shop.** Each order line carries its seller (``order_items.shop_id``): the line's own
  where the source names one per line (a marketplace order can have several sellers), else the
  order's shop.
- **Grain.** A listing row is keyed per product (商家编码, 商品ID) while order lines name the
  variant sold (颜色/尺码). Exports that carry the spec on the order row (PDD's and Douyin's
  商品规格) wrote it onto the listing too, so the listing's `variant`/`sku_key` (and PDD's 样式ID
  `sku_id`) were those of whichever order was synced last. A listing whose order lines show
  several variants keeps none: the variants live on the lines and in `product_skus`.
"""

from __future__ import annotations

import re

import duckdb


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    found = con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
        [table, column],
    ).fetchone()
    return bool(found and found[0])


def align_product_shops(con: duckdb.DuckDBPyConnection) -> None:
    """Fill products.shop_id where it is unknown, then set products.platform from the shop."""
    # a line's own seller where the source has one (marketplaces), else the order's shop
    line_shop = (
        "coalesce(i.shop_id, o.shop_id)"
        if _has_column(con, "order_items", "shop_id")
        else "o.shop_id"
    )
    con.execute(
        f"""UPDATE products p SET shop_id = s.shop_id FROM (
            SELECT i.product_id, min({line_shop}) AS shop_id
            FROM order_items i JOIN orders o USING (order_id)
            WHERE i.product_id IN (SELECT product_id FROM products WHERE shop_id IS NULL)
            GROUP BY i.product_id HAVING count(DISTINCT {line_shop}) = 1) s
        WHERE p.product_id = s.product_id AND p.shop_id IS NULL"""
    )
    con.execute(
        """UPDATE products p SET shop_id = s.shop_id FROM (
            SELECT split_part(shop_id, ':', 1) AS space, min(shop_id) AS shop_id
            FROM shops GROUP BY space HAVING count(DISTINCT shop_id) = 1) s
        WHERE p.shop_id IS NULL AND split_part(p.product_id, ':', 1) = s.space"""
    )
    con.execute(
        """UPDATE products p SET platform = s.platform FROM shops s
        WHERE p.shop_id = s.shop_id AND s.platform IS NOT NULL
          AND p.platform IS DISTINCT FROM s.platform"""
    )


def drop_stray_variants(con: duckdb.DuckDBPyConnection) -> None:
    """Listings whose order lines show several variants (or SKU ids) lose the one they carry."""
    con.execute(
        """UPDATE products p SET
               title = CASE WHEN v.variants > 1 THEN coalesce(p.clean_title, p.title)
                            ELSE p.title END,
               variant = CASE WHEN v.variants > 1 THEN NULL ELSE p.variant END,
               colour = CASE WHEN v.variants > 1 THEN NULL ELSE p.colour END,
               size = CASE WHEN v.variants > 1 THEN NULL ELSE p.size END,
               sku_key = CASE WHEN v.variants > 1 THEN p.spu_id ELSE p.sku_key END,
               sku_id = CASE WHEN v.sku_ids > 1 THEN NULL ELSE p.sku_id END
        FROM (SELECT product_id, count(DISTINCT variant) AS variants,
                     count(DISTINCT sku_id) AS sku_ids
              FROM order_items
              WHERE product_id IN (SELECT product_id FROM products
                                   WHERE variant IS NOT NULL OR sku_id IS NOT NULL)
              GROUP BY product_id) v
        WHERE p.product_id = v.product_id
          AND ((v.variants > 1 AND p.variant IS NOT NULL) OR (v.sku_ids > 1 AND p.sku_id IS NOT NULL))"""
    )


def line_seller_spaces() -> tuple[str, ...]:
    """Key spaces (order id prefixes) of the built-in sources whose lines name their own seller
    (a marketplace: Olist's olist_order_items_dataset has seller_id per line)."""
    from shopql.sync.registry import builtin_sources

    spaces = {
        m.group(1)
        for source in builtin_sources()
        for kind in source.kinds
        for t in kind.targets
        if t.table == "order_items"
        and "shop_id" in t.columns
        and (m := re.match(r"\s*'([^':]+):'", t.columns.get("order_id", "")))
    }
    return tuple(sorted(spaces))


def fill_line_shops(con: duckdb.DuckDBPyConnection) -> None:
    """order_items.shop_id = the order's shop where the line names none. A marketplace line
    without its seller (a warehouse from before the column) is filled only when it is its order's
    first line: the marketplace order's shop is its first line's seller (Olist's mapping writes
    arg_min(seller_id, order_item_id)); the later lines stay NULL (unknown) until the items file
    is synced again, rather than all going to the first line's seller."""
    if not _has_column(con, "order_items", "shop_id"):
        return
    spaces = ", ".join("'" + s.replace("'", "''") + "'" for s in line_seller_spaces()) or "NULL"
    con.execute(
        f"""UPDATE order_items i SET shop_id = o.shop_id FROM orders o
        WHERE i.order_id = o.order_id AND i.shop_id IS NULL AND o.shop_id IS NOT NULL
          AND (split_part(i.order_id, ':', 1) NOT IN ({spaces})
               OR NOT EXISTS (SELECT 1 FROM order_items j
                              WHERE j.order_id = i.order_id AND j.line_no < i.line_no))"""
    )


def reconcile_products(con: duckdb.DuckDBPyConnection) -> None:
    """The rules, in the caller's transaction."""
    fill_line_shops(con)
    align_product_shops(con)
    drop_stray_variants(con)


def migrate_products(con: duckdb.DuckDBPyConnection) -> None:
    """The migration step: the rules over the whole warehouse, then the product master."""
    from shopql.sync.products import refresh_master

    refresh_master(con, {})  # reconciles first
