"""The data standard (issue 9): canonical vocabularies with raw values kept, the address standard,
the product master, and the in-place upgrade of a warehouse written before it existed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from shopql.sync.places import standardize
from shopql.sync.vocab import OTHER, order_statuses, vocabulary
from shopql.warehouse.schema import MIGRATIONS, SCHEMA_VERSION, migrate, schema_version
from tests.conftest import SAMPLES, cli_in_process, pin_secrets
from tests.sync.helpers import rows, scalar, sync

SOURCES = Path(__file__).resolve().parents[2] / "sync" / "sources"


def test_every_connector_status_maps_into_the_canonical_set() -> None:
    canonical = order_statuses()
    for path in SOURCES.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for kind in data["files"]:
            if not any(t["table"] == "orders" for t in kind.get("targets") or ()):
                continue  # after-sales files map into refund statuses
            for name, field in (kind.get("fields") or {}).items():
                if isinstance(field, dict) and field.get("statuses") and name == "status":
                    assert set(field["statuses"].values()) <= canonical, path.name


def test_real_samples_map_to_canonical_values(workspace: Path) -> None:
    report = sync(workspace, SAMPLES / "shopify", SAMPLES / "youzan", SAMPLES / "tmall")
    assert all(not f.unmapped for f in report.files), [f.unmapped for f in report.files]
    found = rows(
        workspace,
        "SELECT DISTINCT raw_payment_channel, payment_channel FROM orders "
        "WHERE raw_payment_channel IS NOT NULL ORDER BY 1",
    )
    assert found and all(c != OTHER for _, c in found)
    assert ("微信支付", "wechat") in found and ("manual", "manual") in found
    # Tmall sample: municipalities without 市 land on the official name, with adcodes and 大区
    shanghai = scalar(workspace, "SELECT count(*) FROM orders WHERE province LIKE '上海%'")
    assert shanghai > 0 and shanghai == scalar(
        workspace,
        "SELECT count(*) FROM orders WHERE province = '上海市' AND province_code = '310000' "
        "AND region = '华东'",
    )
    assert scalar(workspace, "SELECT count(DISTINCT province) FROM orders") <= 34
    # non-Chinese addresses keep their country and region (the Shopify sample ships to India)
    assert (
        scalar(workspace, "SELECT count(*) FROM orders WHERE country = 'IN' AND region IS NULL") > 0
    )


def test_unknown_values_are_kept_and_reported(workspace: Path, tmp_path: Path) -> None:
    header = (
        "商品,订单号,订单状态,商品数量(件),支付时间,商品规格,商家编码-规格维度,商品总价(元),"
        "用户实付金额(元),商家实收金额(元),快递公司,省,市,区,支付方式"
    )
    body = (
        "围巾,240301-1,待发货,1,2024-03-01 10:00:00,颜色分类:驼色,QM-1,100,100,100,"
        "火星快递,广东,深圳,南山区,火星支付\n"
    )
    path = tmp_path / "pdd_orders.csv"
    path.write_text(header + "\n" + body, encoding="utf-8")
    report = sync(workspace, path)
    assert report.files[0].rows_loaded == 1
    assert report.files[0].unmapped == {
        "orders.payment_channel": ["火星支付"],
        "orders.carrier": ["火星快递"],
    }
    assert rows(
        workspace,
        "SELECT payment_channel, raw_payment_channel, carrier, province, city, district, "
        "district_code, region FROM orders",
    ) == [(OTHER, "火星支付", OTHER, "广东省", "深圳市", "南山区", "440305", "华南")]


def test_vocabulary_lookup_and_addresses() -> None:
    channels = vocabulary("payment_channels")
    assert {channels.lookup(v) for v in ("alipay", "Alipay", "支付宝")} == {"alipay"}
    assert {channels.lookup(v) for v in ("wechat", "WeChat Pay", "微信支付")} == {"wechat"}
    assert {channels.lookup(v) for v in ("card", "Shopify Payments")} == {"card"}
    places = standardize(
        [
            (None, None, None, "北京朝阳区建国路88号", "CN"),
            ("Guangdong", "Shenzhen", "Nanshan Qu", None, "CN"),
            ("SC", "Florianopolis", None, None, "BR"),  # Santa Catarina, not Sichuan
        ]
    )
    assert [(p.province, p.city, p.district_code, p.region) for p in places] == [
        ("北京市", "北京市", "110105", "华北"),
        ("广东省", "深圳市", "440305", "华南"),
        ("SC", "Florianopolis", None, None),
    ]


def _v3_warehouse(path: Path) -> None:
    """A warehouse as the release before the data standard (schema v3, main at bd9e719) wrote
    it: its DDL and rows as its connectors loaded them (raw spellings, short provinces)."""
    con = duckdb.connect(str(path))
    for migration in MIGRATIONS[:3]:
        for statement in migration:
            con.execute(statement)
    con.execute("INSERT INTO _meta VALUES ('schema_version', '3')")
    con.execute(
        """INSERT INTO orders (order_id, platform, status, paid_amount, payment_channel,
               province, city, district) VALUES
           ('shopify:#1', 'shopify', 'paid', 10.00, 'Alipay', NULL, NULL, NULL),
           ('jd:1', 'jd', 'paid', 20.00, '在线支付', '北京市', NULL, NULL),
           ('pdd:1', 'pinduoduo', 'paid', 30.00, '微信支付', '上海', '上海市', '浦东新区'),
           ('olist:1', 'olist', 'paid', 40.00, 'credit_card', 'SP', 'sao paulo', NULL)"""
    )
    con.execute(
        """INSERT INTO order_items (order_id, line_no, product_id, outer_code, title, quantity,
               paid_amount, refund_status) VALUES
           ('pdd:1', 1, 'pdd:QM-1', 'QM-1', '羊羔毛外套 女 颜色分类:奶杏色;尺码:M', 1, 30.00, '无售后或售后取消'),
           ('jd:1', 1, 'jd:QM-1', 'qm-1', '羊羔毛外套 女', 1, 20.00, NULL)"""
    )
    con.execute(
        """INSERT INTO products (product_id, platform, outer_code, title) VALUES
           ('pdd:QM-1', 'pinduoduo', 'QM-1', '羊羔毛外套 女 颜色分类:奶杏色;尺码:M'),
           ('jd:QM-1', 'jd', 'qm-1', '羊羔毛外套 女'), ('jd:X', 'jd', NULL, '无编码商品')"""
    )
    con.execute(
        "INSERT INTO payments VALUES ('p1', 'shopify:#1', 'Shopify Payments', 'success', 10, NULL)"
    )
    con.execute(
        "INSERT INTO customers (customer_id, platform, province) VALUES ('jd:a', 'jd', '重庆')"
    )
    con.close()


def test_v3_warehouse_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    _v3_warehouse(path)
    con = duckdb.connect(str(path))
    assert schema_version(con) == 3
    migrate(con)
    assert schema_version(con) == SCHEMA_VERSION
    assert con.execute(
        "SELECT order_id, payment_channel, raw_payment_channel, province, city, province_code, "
        "region, raw_province FROM orders ORDER BY 1"
    ).fetchall() == [
        ("jd:1", "online", "在线支付", "北京市", "北京市", "110000", "华北", "北京市"),
        ("olist:1", "credit_card", "credit_card", "SP", "sao paulo", None, None, "SP"),
        ("pdd:1", "wechat", "微信支付", "上海市", "上海市", "310000", "华东", "上海"),
        ("shopify:#1", "alipay", "Alipay", None, None, None, None, None),
    ]
    assert con.execute("SELECT sum(paid_amount) FROM orders").fetchone() == (Decimal("100.00"),)
    assert con.execute("SELECT channel, raw_channel FROM payments").fetchall() == [
        ("card", "Shopify Payments")
    ]
    assert con.execute(
        "SELECT order_id, spu_id, clean_title, variant, refund_status, raw_refund_status "
        "FROM order_items ORDER BY 1"
    ).fetchall() == [
        ("jd:1", "QM-1", "羊羔毛外套 女", None, None, None),
        ("pdd:1", "QM-1", "羊羔毛外套 女", "colour:奶杏色;size:M", None, "无售后或售后取消"),
    ]
    assert con.execute(
        "SELECT spu_id, title, listings, platforms, spu_source FROM product_spus ORDER BY 1"
    ).fetchall() == [
        ("QM-1", "羊羔毛外套 女", 2, "jd,pinduoduo", "outer_code"),
        ("jd:X", "无编码商品", 1, "jd", "listing"),
    ]
    assert con.execute("SELECT province FROM customers").fetchall() == [("重庆市",)]
    con.close()


@pytest.fixture(scope="module")
def demo_con(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from datetime import date

    from shopql.demo.runner import run_demo

    folder = tmp_path_factory.mktemp("std") / "d"
    pin_secrets(folder, 3)  # the same account keys and OneIDs in every run
    demo = run_demo(folder, seed=3, scale=0.1, today=date(2026, 6, 1))
    con = duckdb.connect(str(demo.folder / "warehouse.duckdb"), read_only=True)
    yield demo, con
    con.close()


def test_demo_speaks_one_standard(demo_con) -> None:  # type: ignore[no-untyped-def]
    _, con = demo_con
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    assert one("SELECT count(DISTINCT province) FROM orders") <= 31
    assert one("SELECT count(*) FROM orders WHERE province_code IS NULL") == 0
    assert one("SELECT count(*) FROM orders WHERE platform = 'jd' AND city IS NULL") == 0
    # Shopify's pinyin places land on the same names as the Chinese platforms'
    assert one("SELECT count(*) FROM orders WHERE platform = 'shopify' AND NOT regexp_matches(province, '[省市区]$')") == 0  # fmt: skip
    channels = [r[0] for r in con.execute("SELECT DISTINCT payment_channel FROM orders WHERE paid_at IS NOT NULL AND payment_channel IS NOT NULL ORDER BY 1").fetchall()]  # fmt: skip
    assert channels == ["alipay", "card", "unionpay", "wechat"]
    assert [r[0] for r in con.execute("SELECT DISTINCT channel FROM payments ORDER BY 1").fetchall()] == channels  # fmt: skip
    # top products: the variants of one SPU are one product, on every platform
    top = con.execute(
        """SELECT spu_id, count(DISTINCT variant), count(DISTINCT o.platform), sum(quantity)
        FROM order_items JOIN orders o USING (order_id) GROUP BY 1 ORDER BY 4 DESC LIMIT 3"""
    ).fetchall()
    assert all(platforms >= 3 for _, _, platforms, _ in top)
    assert (
        one(
            "SELECT max(n) FROM (SELECT count(DISTINCT variant) n FROM order_items GROUP BY spu_id)"
        )
        > 1
    )
    assert one("SELECT count(DISTINCT spu_id) FROM order_items") <= 30  # the brand sells 30 goods
    assert one("SELECT count(DISTINCT title) FROM order_items") > one(
        "SELECT count(DISTINCT spu_id) FROM order_items"
    )
    assert (
        one("SELECT count(*) FROM order_items WHERE spu_id IS NULL OR clean_title LIKE '%:%'") == 0
    )
    assert one("SELECT count(*) FROM product_spus WHERE spu_source = 'listing'") == 0
    # Pinduoduo and Douyin orders whose export named a receiver have an account
    assert (
        one("""SELECT count(*) FROM orders o WHERE platform = 'douyin' AND customer_id IS NULL""")
        == 0
    )
    pdd = con.execute(
        "SELECT count(*), count(customer_id) FROM orders WHERE platform = 'pinduoduo'"
    ).fetchone()
    assert 0 < pdd[1] < pdd[0]  # the older export names the receiver, the 2023 layout does not
    assert one("SELECT count(DISTINCT platform) FROM shops") == 5


def test_catalog_products_lists_and_maps_unmatched_listings(
    workspace: Path, tmp_path: Path
) -> None:
    header = "商品,订单号,订单状态,商品数量(件),支付时间,商品id,商品规格,商品总价(元),用户实付金额(元),商家实收金额(元)"
    body = "无编码围巾,240301-1,待发货,1,2024-03-01 10:00:00,555,颜色分类:驼色,100,100,100\n"
    path = tmp_path / "pdd_orders.csv"
    path.write_text(header + "\n" + body, encoding="utf-8")
    assert cli_in_process("--workspace", str(workspace), "sync", str(path)).returncode == 0
    listed = cli_in_process(
        "--workspace", str(workspace), "catalog", "products", "--format", "json"
    )
    assert listed.returncode == 0, listed.stderr
    assert '"pdd:item-555"' in listed.stdout
    mapped = cli_in_process(
        "--workspace", str(workspace), "catalog", "products", "--map", "pdd:item-555", "qm-ac-2501"
    )
    assert mapped.returncode == 0, mapped.stderr
    assert (workspace / "product_map.yaml").exists()
    assert (
        scalar(workspace, "SELECT spu_id || '|' || spu_source FROM order_items")
        == "QM-AC-2501|mapping"
    )
    # applied again on the next sync (a re-export of the same order)
    path.write_text(header + "\n" + body.replace("待发货", "已发货，待签收"), encoding="utf-8")
    assert cli_in_process("--workspace", str(workspace), "sync", str(path)).returncode == 0
    assert scalar(workspace, "SELECT spu_id FROM order_items") == "QM-AC-2501"
    assert scalar(workspace, "SELECT count(*) FROM product_spus WHERE spu_id = 'QM-AC-2501'") == 1


def test_sync_command_lists_unmapped_values(workspace: Path, tmp_path: Path) -> None:
    header = "商品,订单号,订单状态,商品数量(件),支付时间,商品总价(元),用户实付金额(元),商家实收金额(元),支付方式"
    path = tmp_path / "pdd_orders.csv"
    path.write_text(header + "\n围巾,240301-1,待发货,1,2024-03-01 10:00:00,100,100,100,火星支付\n")
    done = cli_in_process("--workspace", str(workspace), "sync", str(path))
    assert done.returncode == 0, done.stderr
    assert "unmapped" in done.stderr and "orders.payment_channel 火星支付" in done.stderr
    assert scalar(workspace, "SELECT count(*) FROM orders WHERE payment_channel = 'other'") == 1


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_an_spus_name_breaks_ties_the_same_way_whatever_the_listing_order(
    tmp_path: Path, order: str
) -> None:
    """Two listings of one SPU each with its own title, category and brand (a tie) and a third
    pair with 2 to 1: the SPU's fields are the most frequent, a tie to the first by name, however
    the listings arrived (mode() kept whichever the scan met first)."""
    from shopql.sync.products import refresh_master
    from shopql.warehouse.connection import open_writer

    listings = [
        ("jd:1", "QM-1", "羊毛衫 B", "女装", "栖木"),
        ("pdd:1", "QM-1", "羊毛衫 A", "针织", "QIMU"),
        ("jd:2", "QM-2", "围巾", "配饰", "栖木"),
        ("pdd:2", "QM-2", "围巾 秋冬", "配饰", "栖木"),
        ("tb:2", "QM-2", "围巾 秋冬", "围巾", "栖木"),
    ]
    con = open_writer(tmp_path / "warehouse.duckdb")
    try:
        for pid, spu, title, category, brand in sorted(listings, reverse=order == "desc"):
            con.execute(
                """INSERT INTO products (product_id, platform, spu_id, clean_title, title,
                       category, brand, spu_source, sku_key) VALUES (?, ?, ?, ?, ?, ?, ?,
                       'outer_code', ?)""",
                [pid, pid.split(":")[0], spu, title, title, category, brand, spu],
            )
        refresh_master(con, {})
        got = con.execute(
            "SELECT spu_id, title, category, brand FROM product_spus ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    assert got == [("QM-1", "羊毛衫 A", "女装", "QIMU"), ("QM-2", "围巾 秋冬", "配饰", "栖木")]
