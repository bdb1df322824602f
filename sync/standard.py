"""Re-derive the data standard over a whole warehouse from what was loaded (used by the schema
migration that introduced it, so an existing warehouse upgrades in place without a re-sync)."""

from __future__ import annotations

import duckdb

from shopql.sync import sqlgen
from shopql.sync.places import standardize
from shopql.sync.products import refresh_master

# platforms whose addresses are Chinese (the others keep their own names unless they say CN)
CHINESE_PLATFORMS = ("taobao", "jd", "pinduoduo", "douyin", "kuaishou", "wechat_shop", "youzan")


def _places(con: duckdb.DuckDBPyConnection, table: str, has_district: bool) -> None:
    """Standardise the distinct addresses of `table` once each and write them back."""
    district = "district" if has_district else "NULL"
    country = (
        "CASE WHEN platform IN (" + ", ".join(sqlgen.lit(p) for p in CHINESE_PLATFORMS) + ") "
        "THEN 'CN' END"
    )
    distinct = con.execute(
        f"""SELECT DISTINCT province, city, {district}, {country}
        FROM {table} WHERE province IS NOT NULL OR city IS NOT NULL"""
    ).fetchall()
    if not distinct:
        return
    places = standardize([(p, c, d, None, k) for p, c, d, k in distinct])
    lists = [[r[i] for r in distinct] for i in range(4)]
    fields = ["province", "city", "district"]
    if table == "orders":
        fields += ["province_code", "city_code", "district_code", "region", "country"]
    lists += [[getattr(p, f) for p in places] for f in fields]
    select = ", ".join(
        [f"unnest(${i + 1}::VARCHAR[]) AS k{i}" for i in range(4)]
        + [f"unnest(${5 + j}::VARCHAR[]) AS n_{f}" for j, f in enumerate(fields)]
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE _std_addr AS SELECT {select}", lists)
    raw = "raw_province = t.province, raw_city = t.city, raw_district = t.district, " * (
        table == "orders"
    )
    sets = ", ".join(
        f"{f} = coalesce(a.n_{f}, t.{f})"
        if f in ("province", "city", "district")
        else f"{f} = a.n_{f}"
        for f in fields
        if f != "district" or has_district
    )
    con.execute(
        f"""UPDATE {table} t SET {raw}{sets} FROM _std_addr a
        WHERE t.province IS NOT DISTINCT FROM a.k0 AND t.city IS NOT DISTINCT FROM a.k1
          AND {"t.district" if has_district else "NULL"} IS NOT DISTINCT FROM a.k2
          AND ({country.replace("platform", "t.platform")}) IS NOT DISTINCT FROM a.k3"""
    )
    con.execute("DROP TABLE _std_addr")


def rederive(con: duckdb.DuckDBPyConnection) -> None:
    """Canonical vocabularies, addresses and product keys for every stored row."""
    for statement in sqlgen.macros("UTC"):
        con.execute(statement)
    con.execute(
        """UPDATE orders SET raw_payment_channel = payment_channel,
               payment_channel = sq_channel(payment_channel)
        WHERE payment_channel IS NOT NULL AND raw_payment_channel IS NULL"""
    )
    con.execute(
        """UPDATE payments SET raw_channel = channel, channel = sq_channel(channel)
        WHERE channel IS NOT NULL AND raw_channel IS NULL"""
    )
    con.execute(
        """UPDATE order_items SET raw_refund_status = refund_status,
               refund_status = sq_refund_status(refund_status)
        WHERE refund_status IS NOT NULL AND raw_refund_status IS NULL"""
    )
    _places(con, "orders", has_district=True)
    _places(con, "customers", has_district=False)
    for table, props in (
        ("order_items", ""),
        (
            "products",
            ", colour = sq_prop(sq_variant(title), 'colour'), size = sq_prop(sq_variant(title), 'size')",
        ),
    ):
        con.execute(
            f"""UPDATE {table} SET variant = sq_variant(title),
                   clean_title = coalesce(sq_clean_title(title), title),
                   spu_id = coalesce(sq_spu(outer_code), product_id),
                   spu_source = CASE WHEN sq_spu(outer_code) IS NOT NULL THEN 'outer_code'
                                     ELSE 'listing' END,
                   sku_key = coalesce(sq_spu(outer_code), product_id)
                             || coalesce('/' || sq_variant(title), ''){props}
            WHERE spu_id IS NULL"""
        )
    refresh_master(con, {})
