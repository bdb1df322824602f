"""Values in questions (issue 11): filters on any categorical value and the word introducing it,
"A or B" / "A and B" / "each", the value glossary (茶几 = coffee table, 边几 is not), and concepts
the warehouse has no data for — on the demo and Olist session workspaces, checked against SQL
written by hand. The dev set tests/nlq/dev_g.yaml is scored by test_dev_sets.py."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from shopql.catalog import load_catalog
from shopql.catalog.store import default_pack_dir
from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.glossary import load_glossary, suggest_entries
from shopql.nlq.offline import NoData, NotUnderstood, understand
from shopql.nlq.session import Workspace
from tests.conftest import cli_in_process, run_cli
from tests.nlq.conftest import DEMO_TODAY, FakeLLM
from tests.nlq.helpers import rows, sql

# -- values and the word that introduces them (Olist) -------------------------------------------


def test_orders_paid_with_boleto_filter_the_payment_type_not_the_status(olist: Workspace) -> None:
    (boleto,) = sql(
        olist, "SELECT count(DISTINCT order_id) FROM orders WHERE payment_channel = 'boleto'"
    )[0]
    assert boleto == 19784
    for q in ("orders paid with boleto", "boleto orders", "用boleto支付的订单数"):
        u = understand(q, olist)
        assert [(f.dimension, f.values) for f in u.query.filters] == [
            ("payment_channel", ("boleto",))
        ], q
        assert rows(olist, q) == [(boleto,)], q


def test_paid_sales_is_the_metric_not_the_paid_status(olist: Workspace) -> None:
    """The issue's case: "paid sales" in one category last month read as status = paid gave
    3 % of the true figure."""
    (gold,) = sql(
        olist,
        "SELECT sum(i.paid_amount) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "LEFT JOIN products p ON p.product_id = i.product_id WHERE o.paid_at >= '2018-08-01' "
        "AND o.paid_at < '2018-09-01' AND coalesce(i.category, p.category) = 'cama_mesa_banho'",
    )[0]
    u = understand("paid sales in bed bath table last month", olist)
    assert u.query.metrics == ("paid_gmv",)
    assert [f.dimension for f in u.query.filters] == ["category"]
    assert rows(olist, "paid sales in bed bath table last month") == [(gold,)]
    assert rows(olist, "上个月床上用品的支付金额") == [(gold,)]  # the glossary's Chinese name


def test_a_or_b_of_one_dimension_is_in_and_across_dimensions_is_refused(olist: Workspace) -> None:
    (both,) = sql(
        olist,
        "SELECT count(DISTINCT order_id) FROM orders WHERE payment_channel IN ('boleto', 'credit_card') "
        "AND created_at >= '2017-01-01' AND created_at < '2018-01-01'",
    )[0]
    assert rows(olist, "orders paid by boleto or credit card in 2017") == [(both,)]
    assert rows(olist, "2017年boleto或者信用卡支付的订单数") == [(both,)]
    # an OR across two dimensions is no AND of filters: "or" stays unplaced, nothing answered
    assert understand("orders with boleto or in SP", olist).ignored == ["or"]
    with pytest.raises(NotUnderstood) as e:
        answer(olist, "orders with boleto or in SP", "offline")
    assert e.value.unknown == ["or"]


def test_a_and_b_each_is_a_breakdown_restricted_to_them(olist: Workspace) -> None:
    gold = sql(
        olist,
        "SELECT payment_channel, sum(paid_amount) FROM orders WHERE payment_channel IN "
        "('boleto', 'credit_card') AND paid_at >= '2017-01-01' AND paid_at < '2018-01-01' "
        "GROUP BY 1 ORDER BY 1",
    )
    got = sorted(rows(olist, "sales of boleto and credit card each in 2017"))
    assert got == gold and len(gold) == 2
    (total,) = rows(olist, "sales of boleto and credit card in 2017")  # no "each": the sum
    assert total[0] == sum(v for _, v in gold)


def test_values_of_every_non_pii_categorical_column_and_never_pii(demo: Workspace) -> None:
    """Sales region and country come from the catalog's dimensions; personal columns (names,
    phones, districts) are never indexed."""
    values = demo.values.values
    assert {"华东", "华南"} <= set(values["sales_region"])
    assert values["country"] == ["CN"]
    from shopql.warehouse.policy import pii_columns

    pii = pii_columns(demo.catalog)
    indexed = {dim for dim in values}
    assert not indexed & {"district", "name", "nick", "phone", "email", "buyer_key"}
    assert pii["orders"]["district"] == "address"
    (gold,) = sql(
        demo,
        "SELECT count(DISTINCT order_id) FROM orders WHERE region = '华东' "
        "AND created_at >= '2025-05-01' AND created_at < '2025-06-01'",
    )[0]
    assert rows(demo, "华东地区上个月的订单数") == [(gold,)]  # 地区 names 华东's kind: no breakdown
    (cn,) = sql(
        demo,
        "SELECT sum(paid_amount) FROM orders WHERE country = 'CN' "
        "AND paid_at >= '2025-05-01' AND paid_at < '2025-06-01'",
    )[0]
    assert rows(demo, "sales in china last month") == [(cn,)]


# -- the glossary (demo: Chinese titles) --------------------------------------------------------

UNITS_LIKE = (
    "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
    "LEFT JOIN products p ON p.product_id = i.product_id WHERE o.paid_at IS NOT NULL "
    "AND coalesce(i.clean_title, i.title, p.title) LIKE '{}'"
)


def test_coffee_tables_in_both_languages_and_side_tables_are_not_coffee_tables(
    demo: Workspace,
) -> None:
    (coffee,) = sql(demo, UNITS_LIKE.format("%茶几%"))[0]
    (side,) = sql(demo, UNITS_LIKE.format("%边几%"))[0]
    assert (
        coffee == 16 and side == 21
    )  # two coffee-table listings; one side table (北欧边几 小圆桌)
    assert rows(demo, "coffee tables sold") == [(coffee,)]
    assert rows(demo, "茶几的销量") == [(coffee,)]
    # the near neighbour is its own concept: never counted as a coffee table, nor the reverse
    assert rows(demo, "边几销量多少") == [(side,)]
    assert rows(demo, "side tables sold") == [(side,)]
    u = understand("coffee tables sold", demo)
    assert all("边几" not in str(v) for f in u.query.filters for v in f.values)
    (both,) = sql(demo, UNITS_LIKE.format("%沙发%"))[0]
    assert rows(demo, "sofas or coffee tables sold") == [(both + coffee,)]
    assert rows(demo, "沙发和茶几一共卖了多少件") == [(both + coffee,)]


def test_a_glossary_word_no_title_uses_is_not_matched_to_a_neighbour(demo: Workspace) -> None:
    """ "dining table" (餐桌) is in the glossary but no demo title has it: refused, not read as
    'table' (桌, which the side table's title 小圆桌 contains)."""
    assert understand("dining tables sold", demo).ignored == ["dining", "tables"]
    with pytest.raises(NotUnderstood):
        answer(demo, "dining tables sold", "offline")


def test_the_glossary_is_editable_in_the_catalog_yaml(
    tmp_path: Path, nlq_demo_workspace: Path
) -> None:
    """A workspace's own catalog/glossary.yaml replaces the default: a new English word finds the
    Chinese titles."""
    ws_dir = tmp_path / "demo"
    shutil.copytree(nlq_demo_workspace, ws_dir, ignore=shutil.ignore_patterns(".shopql"))
    before = Workspace(load_settings(ws_dir), today=DEMO_TODAY)
    try:
        with pytest.raises(NotUnderstood):
            answer(before, "cloud couch sales", "offline")
    finally:
        before.close()
    (ws_dir / "catalog" / "glossary.yaml").write_text(
        "glossary:\n  - {name: cloud_sofa, en: [cloud couch], zh: [云朵布艺沙发]}\n",
        encoding="utf-8",
    )
    after = Workspace(load_settings(ws_dir), today=DEMO_TODAY)
    try:
        u = understand("cloud couch sales", after)
        assert [(f.dimension, f.values) for f in u.query.filters] == [
            ("product_title", ("%云朵布艺沙发%",))
        ]
    finally:
        after.close()


def test_glossary_suggest_proposes_pairs_from_titles_and_categories(tmp_path: Path) -> None:
    """Titles of one product in two languages give a pair; an uncovered category translation and
    a frequent uncovered title word are proposed too; `--write` adds them to the YAML."""
    from shopql.warehouse.connection import open_writer
    from shopql.warehouse.workspace import init_workspace

    ws = tmp_path / "ws"
    init_workspace(ws)
    con = open_writer(ws / "warehouse.duckdb")
    con.execute(
        "INSERT INTO products (product_id, platform, spu_id, title) VALUES "
        "('tmall:1', 'tmall', 'S1', '栖木 懒人豆袋 客厅'), ('shopify:1', 'shopify', 'S1', 'Qimu Beanbag Lounge'),"
        "('tmall:2', 'tmall', 'S2', '栖木 懒人豆袋 卧室'), ('shopify:2', 'shopify', 'S2', 'Qimu Beanbag Bedroom'),"
        "('tmall:3', 'tmall', 'S3', '栖木 摇椅 藤编'), ('tmall:4', 'tmall', 'S4', '栖木 摇椅 实木'),"
        "('tmall:5', 'tmall', 'S5', '栖木 茶几 岩板'), ('shopify:3', 'shopify', 'S6', 'Qimu Rocking Chair')"
    )
    con.execute(
        "INSERT INTO category_names (platform, category, name_en, name_zh) VALUES "
        "('olist', 'moveis_jardim', 'garden_furniture', NULL)"
    )
    con.close()
    done = cli_in_process("--workspace", str(ws), "catalog", "glossary", "--suggest", "--write")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "en: [beanbag], zh: [懒人豆袋]" in out
    assert "pt: [moveis_jardim], en: [garden_furniture, garden furniture]" in out
    assert "zh: [摇椅]" in out  # in 2 titles, no English yet
    assert "茶几" not in out  # already in the glossary
    assert "栖木" not in out  # the brand, in every title
    # written to the workspace's own file; the pack's glossary.yaml stays as shipped (upgradable)
    text = (ws / "catalog" / "glossary_mine.yaml").read_text(encoding="utf-8")
    assert "懒人豆袋" in text and "coffee_table" not in text
    pack = (ws / "catalog" / "glossary.yaml").read_text(encoding="utf-8")
    assert "懒人豆袋" not in pack and "coffee_table" in pack
    assert pack == (default_pack_dir() / "glossary.yaml").read_text(encoding="utf-8")
    glossary, issues = load_glossary(ws / "catalog")
    assert issues == [] and glossary.synonyms("beanbag") == ["beanbag", "懒人豆袋"]
    again = suggest_entries(ws / "warehouse.duckdb", glossary)
    assert not any("懒人豆袋" in x.yaml() for x in again)  # accepted: no longer proposed
    catalog = load_catalog(ws)  # the catalog with the new file still loads cleanly
    assert not [i for i in catalog.issues if "glossary" in str(i)]


def test_a_concept_in_the_users_file_extends_the_packs(tmp_path: Path) -> None:
    """catalog/glossary_mine.yaml names a concept the pack's glossary.yaml has too: one concept,
    the words of both (the pack's first); the same name twice in ONE file stays an error."""
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    shutil.copyfile(default_pack_dir() / "glossary.yaml", catalog / "glossary.yaml")
    (catalog / "glossary_mine.yaml").write_text(
        "glossary:\n  - {name: coffee_table, zh: [咖啡桌]}\n", encoding="utf-8"
    )
    glossary, issues = load_glossary(catalog)
    assert issues == []
    words = glossary.concepts["coffee_table"]
    assert words[-1] == "咖啡桌" and "茶几" in words and words.index("茶几") < words.index("咖啡桌")
    assert glossary.synonyms("咖啡桌")[0] == "咖啡桌" and "茶几" in glossary.synonyms("咖啡桌")
    (catalog / "glossary_mine.yaml").write_text(
        "glossary:\n  - {name: beanbag, zh: [懒人豆袋]}\n  - {name: beanbag, en: [bean bag]}\n",
        encoding="utf-8",
    )
    _, issues = load_glossary(catalog)
    assert [i.message for i in issues] == ["glossary beanbag is defined twice"]
    assert str(issues[0].where) == "catalog/glossary_mine.yaml:3"


# -- no data for it -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("ad spend last month", "ad spend"),
        ("ROI by platform", "ad spend"),
        ("上个月投放的投产比", "广告投放"),
        ("直播间主播卖了多少", "直播"),
        ("courier performance last month", "carrier"),
        ("客服平均响应时间", "客服"),
    ],
)
def test_concepts_without_data_are_refused_with_the_data_needed(
    demo: Workspace, question: str, named: str
) -> None:
    with pytest.raises(NoData) as e:
        understand(question, demo)
    message = str(e.value)
    assert named in message
    assert "needs" in message or "需要" in message


def test_the_same_word_is_answered_where_the_data_exists(demo: Workspace, olist: Workspace) -> None:
    """The demo has behaviour events, Olist has none: UV is answered on one, refused on the other;
    reviews the other way round."""
    (uv,) = sql(
        demo,
        "SELECT count(DISTINCT user_key) FROM events WHERE event_time >= '2025-05-01' "
        "AND event_time < '2025-06-01'",
    )[0]
    assert uv > 0 and rows(demo, "上个月访客数") == [(uv,)]
    with pytest.raises(NoData) as e:
        understand("上个月访客数", olist)
    assert "events" in str(e.value)
    with pytest.raises(NoData):
        understand("average rating last month", demo)
    assert understand("average rating last month", olist).query.metrics == ("avg_review_score",)
    # "payment conversion" is the payment success rate: not the traffic concept
    assert understand("payment conversion in 2018", olist).query.metrics == (
        "payment_success_rate",
    )


def test_refusal_exit_code_and_message_on_the_command_line(nlq_demo_workspace: Path) -> None:
    done = run_cli(
        "--workspace", str(nlq_demo_workspace), "ask", "ad spend last month", "--engine", "offline"
    )
    assert done.returncode == 5, done.stderr
    assert "import your ad platform's spend export" in done.stderr


def test_auto_does_not_ask_the_llm_about_data_the_warehouse_lacks(
    shop: Path, fake_llm: FakeLLM
) -> None:
    """No model can answer "ad spend" from a warehouse without it: `auto` refuses as offline does."""
    llm = {"base_url": fake_llm.url, "api_key": "k", "model": "m", "max_tries": 1}
    ws = Workspace(load_settings(shop, llm), today=dt.date(2025, 6, 30))
    fake_llm.enqueue("```sql\nSELECT sum(paid_amount) FROM orders\n```")
    with pytest.raises(NoData, match="ad spend"):
        answer(ws, "ad spend last month", engine="auto")
    assert fake_llm.requests == []


def test_chinese_words_find_english_titles_and_near_misses_do_not(shop: Path) -> None:
    """The small shop's titles are English ("Sofa", "Coffee table", "Lamp"): 茶几 finds the coffee
    table, 边几 / "side table" find nothing (refused), never the coffee table."""
    ws = Workspace(load_settings(shop), today=dt.date(2025, 6, 30))
    try:
        assert rows(ws, "茶几卖了多少件") == [(2,)]
        assert rows(ws, "沙发的销量") == [(2,)]  # tmall:o1 and jd:o3, one each
        u = understand("茶几卖了多少件", ws)
        assert [(f.dimension, f.values) for f in u.query.filters] == [
            ("product_title", ("%Coffee table%",))
        ]
        for q in ("边几卖了多少件", "side tables sold"):
            assert understand(q, ws).ignored, q
            with pytest.raises(NotUnderstood):
                answer(ws, q, "offline")
    finally:
        ws.close()


# -- numeric thresholds: the words decide the comparison, units must match -----------------------


class _Values:
    def __init__(self, currency: list[str]) -> None:
        self.values = {"currency": currency}


class _Shop:
    """What nlq/thresholds.find reads: the catalog and the value index (no warehouse)."""

    def __init__(self, currency: list[str]) -> None:
        self.catalog = load_catalog(None)
        self.values = _Values(currency)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("评分低于3的订单数", [("review_score", "<", (3,))]),
        ("orders with review score of 1 or 2", [("review_score", "in", (1, 2))]),
        ("orders over r$500", [("order_value", ">", (500,))]),
        ("500元以上的订单", [("order_value", ">=", (500,))]),  # 以上 is inclusive
        ("运费500元以下的订单", [("freight", "<=", (500,))]),  # and 以下
        ("客单价超过200的订单", [("order_value", ">", (200,))]),
        ("买了至少3件的订单", [("order_units", ">=", (3,))]),
        ("orders with 3 or more items", [("order_units", ">=", (3,))]),
        ("不少于三件的订单", [("order_units", ">=", (3,))]),
        ("customers who spent more than 1000", [("person_spend", ">", (1000,))]),
        ("送货超过10天的订单", [("delivery_days", ">", (10,))]),
        ("订单金额100到200之间的订单数", [("order_value", "between", (100, 200))]),
        ("orders between r$100 and r$200", [("order_value", "between", (100, 200))]),
        ("评分1-2分的单子", [("review_score", "between", (1, 2))]),
        # refused by leaving the words in place: no unit, another unit, another currency, words
        # that disagree on strict or inclusive
        ("orders over 500", []),
        ("评分低于3件的订单", []),
        ("orders over £500", []),
        ("超过100元以上的订单", []),
    ],
)
def test_threshold_words(question: str, expected: list[tuple[str, str, tuple[Any, ...]]]) -> None:
    from shopql.nlq.thresholds import find

    found = find(question, _Shop(["BRL"]))
    assert [(f.dimension, f.op, f.values) for f in found.filters] == expected
    assert (found.text == question) == (not expected)


def test_value_groups_are_dimensions_of_the_catalog() -> None:
    catalog = load_catalog(None)
    assert {"br_region", "eu_member", "continent", "uk_or_not"} <= set(catalog.dimensions)
    gs = catalog.value_groups["br_region"]
    assert gs.applies(["SP", "RJ"]) and not gs.applies(["浙江省"])
    assert sorted(m for g in gs.groups for m in g.members) == sorted(
        "AC AL AM AP BA CE DF ES GO MA MG MS MT PA PB PE PI PR RJ RN RO RR RS SC SE SP TO".split()
    )


def test_a_warehouse_synced_before_gets_the_sellers_states(tmp_path: Path) -> None:
    """shops.province/city are new (the seller's own place); an Olist warehouse the last release
    synced has them only in the shop name shopql wrote, and the migration reads them back."""
    import duckdb

    from shopql.warehouse.connection import open_writer
    from shopql.warehouse.schema import MIGRATIONS, V_SHOP_PLACE, schema_version

    path = tmp_path / "warehouse.duckdb"
    open_writer(path).close()
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE shops DROP COLUMN province")
    con.execute("ALTER TABLE shops DROP COLUMN city")
    con.execute(
        """INSERT INTO shops (shop_id, platform, name) VALUES
        ('olist:a', 'olist', 'Olist seller 3442f895 (campinas/SP)'),
        ('olist:b', 'olist', 'Olist seller d1b65fc7 (rio de janeiro/RJ)'),
        ('tmall:c', 'tmall', '旗舰店 (杭州/ZJ)')"""
    )
    before = MIGRATIONS.index(V_SHOP_PLACE)  # type: ignore[arg-type]
    con.execute("UPDATE _meta SET value = ? WHERE key = 'schema_version'", [str(before)])
    con.close()
    writer = open_writer(path)
    assert schema_version(writer) == len(MIGRATIONS)
    got = writer.execute("SELECT shop_id, province, city FROM shops ORDER BY 1").fetchall()
    writer.close()
    assert got == [
        ("olist:a", "SP", "campinas"),
        ("olist:b", "RJ", "rio de janeiro"),
        ("tmall:c", None, None),  # not a name shopql wrote for Olist: left unknown
    ]


def test_both_values_are_on_one_order_and_either_is_in(olist: Workspace) -> None:
    """ "both credit card and voucher": an order with a payment of each (2,245 on Olist);
    without "both" the two values are either one, as before."""
    both = sql(
        olist,
        "SELECT count(*) FROM orders WHERE order_id IN (SELECT order_id FROM payments "
        "WHERE channel = 'credit_card') AND order_id IN (SELECT order_id FROM payments "
        "WHERE channel = 'voucher')",
    )[0][0]
    either = sql(
        olist, "SELECT count(*) FROM orders WHERE payment_channel IN ('credit_card', 'voucher')"
    )[0][0]
    assert (both, either) == (2245, 78125)
    assert rows(olist, "orders paid with both credit card and voucher") == [(both,)]
    assert rows(olist, "同时用信用卡和voucher支付的订单数") == [(both,)]
    assert rows(olist, "orders paid with credit card or voucher") == [(either,)]
