"""Schema versions: an older warehouse is upgraded in place, a newer one is refused."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from shopql.errors import WorkspaceError
from shopql.warehouse.connection import open_reader, open_writer
from shopql.warehouse.schema import SCHEMA_VERSION, migrate, schema_version


def test_v1_warehouse_is_upgraded_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=1)  # what the first shopql release created
    con.execute("INSERT INTO orders (order_id, platform, status) VALUES ('t:1', 't', 'paid')")
    con.close()

    con = open_writer(path)
    assert schema_version(con) == SCHEMA_VERSION
    assert con.execute("SELECT order_id, status, raw_status FROM orders").fetchall() == [
        ("t:1", "paid", None)
    ]
    assert con.execute("SELECT count(*) FROM category_names").fetchone() == (0,)
    con.close()


def test_reader_upgrades_an_old_warehouse_too(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=1)
    con.close()
    reader = open_reader(path)
    assert schema_version(reader) == SCHEMA_VERSION
    reader.close()


def test_newer_warehouse_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    con = open_writer(path)
    con.execute("UPDATE _meta SET value = '999' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(WorkspaceError, match="newer than this shopql"):
        open_writer(path)


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    con = open_writer(tmp_path / "w.duckdb")
    assert migrate(con) == SCHEMA_VERSION
    con.close()


def test_products_take_their_shops_platform_on_upgrade(tmp_path: Path) -> None:
    """A warehouse written by the release before V_PRODUCT_SHOPS: Tmall products said `taobao`,
    a PDD listing carried the variant of its last order. Both are re-derived in place."""
    from shopql.warehouse.schema import MIGRATIONS, V_PRODUCT_SHOPS

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=MIGRATIONS.index(V_PRODUCT_SHOPS))
    con.execute(
        """INSERT INTO shops (shop_id, platform, name) VALUES
           ('taobao:1', 'tmall', '木子旗舰店'), ('taobao:2', 'taobao', '木子小铺'),
           ('pdd:default', 'pinduoduo', 'PDD')"""
    )
    con.execute(
        """INSERT INTO orders (order_id, platform, shop_id, status) VALUES
           ('taobao:o1', 'tmall', 'taobao:1', 'paid'), ('taobao:o2', 'taobao', 'taobao:2', 'paid'),
           ('pdd:o3', 'pinduoduo', 'pdd:default', 'paid'), ('pdd:o4', 'pinduoduo', 'pdd:default', 'paid')"""
    )
    con.execute(
        """INSERT INTO order_items (order_id, line_no, product_id, variant, sku_key) VALUES
           ('taobao:o1', 1, 'taobao:A', 'size:M', 'A/size:M'),
           ('taobao:o2', 1, 'taobao:B', NULL, 'B'),
           ('pdd:o3', 1, 'pdd:C', 'size:S', 'C/size:S'), ('pdd:o4', 1, 'pdd:C', 'size:L', 'C/size:L')"""
    )
    con.execute(
        """INSERT INTO products (product_id, platform, title, clean_title, spu_id, variant, size,
                                 sku_key) VALUES
           ('taobao:A', 'taobao', '外套', '外套', 'A', NULL, NULL, 'A'),
           ('taobao:B', 'taobao', '杯子', '杯子', 'B', NULL, NULL, 'B'),
           ('taobao:Z', 'taobao', '未售', '未售', 'Z', NULL, NULL, 'Z'),
           ('pdd:C', 'pinduoduo', '裤子 尺码:L', '裤子', 'C', 'size:L', 'L', 'C/size:L')"""
    )
    con.close()

    con = open_writer(path)
    assert schema_version(con) == SCHEMA_VERSION
    assert con.execute(
        "SELECT product_id, platform, shop_id, title, variant, size, sku_key FROM products ORDER BY 1"
    ).fetchall() == [
        ("pdd:C", "pinduoduo", "pdd:default", "裤子", None, None, "C"),
        ("taobao:A", "tmall", "taobao:1", "外套", None, None, "A"),
        ("taobao:B", "taobao", "taobao:2", "杯子", None, None, "B"),
        # unsold, and its key space has two shops: which one is not known
        ("taobao:Z", "taobao", None, "未售", None, None, "Z"),
    ]
    assert con.execute("SELECT platforms FROM product_spus WHERE spu_id = 'A'").fetchall() == [
        ("tmall",)
    ]
    con.close()


def test_order_lines_get_their_shop_on_upgrade(tmp_path: Path) -> None:
    """A warehouse written before V_LINE_SHOP: lines take their order's shop, except the later
    lines of a multi-line marketplace (Olist) order, whose sellers were not kept: unknown, not
    guessed."""
    from shopql.warehouse.schema import MIGRATIONS, V_LINE_SHOP

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=MIGRATIONS.index(V_LINE_SHOP))
    con.execute(
        """INSERT INTO orders (order_id, platform, shop_id, status) VALUES
           ('taobao:1', 'tmall', 'taobao:s', 'paid'), ('olist:2', 'olist', 'olist:a', 'paid'),
           ('olist:3', 'olist', 'olist:b', 'paid')"""
    )
    con.execute(
        """INSERT INTO order_items (order_id, line_no, product_id) VALUES
           ('taobao:1', 1, 'taobao:x'), ('taobao:1', 2, 'taobao:y'),
           ('olist:2', 1, 'olist:p'), ('olist:2', 2, 'olist:q'), ('olist:3', 1, 'olist:r')"""
    )
    con.close()

    con = open_writer(path)
    assert schema_version(con) == SCHEMA_VERSION
    assert con.execute(
        "SELECT order_id, line_no, shop_id FROM order_items ORDER BY 1, 2"
    ).fetchall() == [
        ("olist:2", 1, "olist:a"),  # the order's shop is its first line's seller
        ("olist:2", 2, None),
        ("olist:3", 1, "olist:b"),
        ("taobao:1", 1, "taobao:s"),
        ("taobao:1", 2, "taobao:s"),
    ]
    con.close()


def test_the_first_query_on_an_older_warehouse_sees_the_new_columns(tmp_path: Path) -> None:
    """The guard checks names against the warehouse's schema: on a warehouse an older release
    wrote, the first query after the upgrade must see the columns the pending migrations add
    (it used to fail once with "no column 'shop_id'" and work the second time)."""
    from shopql.warehouse.query import run_guarded
    from shopql.warehouse.schema import MIGRATIONS, V_LINE_SHOP

    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=MIGRATIONS.index(V_LINE_SHOP))
    con.execute("INSERT INTO orders (order_id, platform, shop_id) VALUES ('t:1', 't', 't:s')")
    con.execute("INSERT INTO order_items (order_id, line_no) VALUES ('t:1', 1)")
    con.close()

    result = run_guarded(
        path, "SELECT shop_id, count(*) AS n FROM order_items GROUP BY 1", role="admin"
    )
    assert result.rows == [("t:s", 1)]
    con = duckdb.connect(str(path), read_only=True)
    assert schema_version(con) == SCHEMA_VERSION
    con.close()
