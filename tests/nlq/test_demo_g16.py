"""The demo brand, session 16 (slice g): refunds counted as transactions (退款笔数: each refund
record, an order refunded line by line counting once per refund) and every SKU known ("how many
SKUs in the catalog") — checked against hand-written SQL on the generated demo (seed 7, today
2025-06-01) and on Olist and Online Retail."""

from __future__ import annotations

from typing import Any

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql, sql_number, unknown

REFUND_EVENTS = (
    "SELECT r.refund_id, r.order_id, r.amount, coalesce(r.finished_at, r.requested_at, "
    "o.paid_at, o.created_at) AS t FROM refunds r LEFT JOIN orders o ON o.order_id = r.order_id "
    "WHERE r.status IS NULL OR lower(r.status) = 'success' UNION ALL SELECT o.order_id || "
    "'#refund', o.order_id, o.refund_amount, coalesce(o.paid_at, o.created_at) FROM orders o "
    "WHERE o.refund_amount <> 0 AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = "
    "o.order_id)"
)
LAST_90 = "t >= DATE '2025-06-01' - INTERVAL 90 DAY AND t < DATE '2025-06-01'"


def metrics(ws: Workspace, question: str) -> tuple[str, ...]:
    return tuple(answer(ws, question, "offline").query.metrics)


def test_refund_transactions_by_platform(demo: Workspace) -> None:
    """天猫 refunds line by line: more refunds (笔) than refunded orders; each side by the
    refund's own time."""
    want = sql(
        demo,
        "SELECT o.platform, count(*), count(DISTINCT e.order_id) FROM "
        f"({REFUND_EVENTS}) e JOIN orders o ON o.order_id = e.order_id "
        f"WHERE e.amount > 0 AND {LAST_90} AND o.platform IN ('tmall', 'jd') GROUP BY 1",
    )
    records = {platform: n for platform, n, _ in want}
    orders = {platform: n for platform, _, n in want}
    assert records["tmall"] > orders["tmall"] > 0  # the two readings differ on this data
    got = dict(rows(demo, "天猫 vs 京东 近90天 退款笔数"))
    assert got == records


@pytest.mark.parametrize("question", ["退款笔数", "一共有多少退款记录数", "refund records"])
def test_refund_records(demo: Workspace, question: str) -> None:
    want = sql_number(demo, f"SELECT count(*) FROM ({REFUND_EVENTS}) WHERE amount > 0")
    orders = sql_number(
        demo, f"SELECT count(DISTINCT order_id) FROM ({REFUND_EVENTS}) WHERE amount > 0"
    )
    assert want > orders
    assert number(demo, question) == want


def test_refunded_orders_stay_orders(demo: Workspace) -> None:
    """退款订单数 counts the orders, 退款次数 the orders by the refund's time: not the records."""
    assert metrics(demo, "上个月退款订单数") == ("refunded_orders",)
    assert metrics(demo, "上个月退款次数") == ("refund_count",)
    assert metrics(demo, "上个月退款笔数") == ("refund_records",)


SKUS_KNOWN = (
    "SELECT count(*) FROM (SELECT sku_key FROM product_skus UNION SELECT coalesce(sku_key, "
    "product_id) FROM products UNION SELECT coalesce(sku_key, product_id) FROM order_items "
    "WHERE product_id IS NOT NULL)"
)


@pytest.mark.parametrize(
    "question",
    ["how many SKUs do we have in the catalog", "目录里有多少个SKU", "how many SKUs do we have"],
)
def test_skus_in_the_catalog(demo: Workspace, question: str) -> None:
    want = sql_number(demo, SKUS_KNOWN)
    assert want == sql_number(demo, "SELECT count(*) FROM product_skus")  # the SKU master
    assert number(demo, question) == want


def test_products_and_categories_in_the_catalog(demo: Workspace) -> None:
    want = sql_number(demo, "SELECT count(DISTINCT coalesce(spu_id, product_id)) FROM products")
    assert number(demo, "how many products are in the catalog") == want
    want = sql_number(demo, "SELECT count(DISTINCT category) FROM products")
    assert number(demo, "目录里有几个类目") == want


def test_the_catalog_with_a_period_stays_unplaced(demo: Workspace) -> None:
    """Those sold last month are not 'the catalog': the word is left for the reader."""
    assert "catalog" in unknown(demo, "how many SKUs in the catalog sold last month")


@pytest.mark.parametrize("fixture", ["olist", "retail"])
def test_skus_known_elsewhere(fixture: str, request: Any) -> None:
    """Olist has no SKU master (product_skus is empty): its SKUs are its products'; Online
    Retail's master holds stock codes no paid line has."""
    ws = request.getfixturevalue(fixture)
    want = sql_number(ws, SKUS_KNOWN)
    assert want > 0
    assert number(ws, "how many SKUs do we have in the catalog") == want
    sold = sql_number(
        ws,
        "SELECT count(DISTINCT coalesce(i.sku_key, i.product_id)) FROM order_items i "
        "JOIN orders o ON o.order_id = i.order_id "
        "WHERE o.paid_at IS NOT NULL AND i.product_id IS NOT NULL",
    )
    assert number(ws, "how many SKUs have we sold") == sold


@pytest.mark.parametrize(
    ("question", "agg"),
    [
        ("最贵的商品 标价多少", "max"),
        ("the most expensive product's list price", "max"),
        ("最便宜的商品标价多少", "min"),
        ("list price of the cheapest product", "min"),
    ],
)
def test_list_price_of_the_priciest_product(demo: Workspace, question: str, agg: str) -> None:
    """The price word ranks the products (the top one), each by its listings' own price — read
    from the listings, not the order lines they were sold on."""
    order = "DESC" if agg == "max" else "ASC"
    want = sql(
        demo,
        f"SELECT coalesce(spu_id, product_id) AS p, {agg}(list_price) AS v FROM products "
        f"GROUP BY 1 QUALIFY rank() OVER (ORDER BY v {order}) = 1",
    )
    got = rows(demo, question)
    assert [(r[0], float(r[-1])) for r in got] == [(p, float(v)) for p, v in want]


def test_list_price_by_category_reads_the_listings(demo: Workspace) -> None:
    want = dict(sql(demo, "SELECT category, round(avg(list_price), 2) FROM products GROUP BY 1"))
    got = {r[0]: float(r[-1]) for r in rows(demo, "每个类目平均标价")}
    assert got == {k: float(v) for k, v in want.items()}


def test_list_price_without_the_data_is_refused(olist: Workspace) -> None:
    """Olist's listings carry no price: the concept is refused with the data it needs."""
    assert sql_number(olist, "SELECT count(list_price) FROM products") == 0
    message = refused(olist, "最贵的商品 标价多少").message
    assert "标价" in message


SPANS = (
    "SELECT avg(date_diff('second', f, l) / 86400.0) FROM (SELECT one_id, min(paid_at) AS f, "
    "max(paid_at) AS l FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL GROUP BY 1 "
    "HAVING count(*) >= 2)"
)


@pytest.mark.parametrize(
    "question",
    [
        "复购的客户 首单到最后一单 平均多少天",
        "首单到最后一单平均隔几天",
        "第一单到最近一单 平均多少天",
    ],
)
def test_first_to_last_order_is_no_per_order_average(demo: Workspace, question: str) -> None:
    """最后一单 / 最近一单 are the last order, not 'each order' (一单 read as 每单 only where it
    counts one): the days from each repeat buyer's first paid order to their last."""
    assert number(demo, question) == pytest.approx(sql_number(demo, SPANS), abs=0.05)


BUYERS_PAID = "FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL"


@pytest.mark.parametrize(
    ("question", "numerator"),
    [
        ("每个买家贡献多少销售额", "sum(paid_amount)"),
        ("每个客户买了多少钱", "sum(paid_amount)"),
        ("每个客户下了几单", "count(*)"),
        ("每位买家买了几件", None),
    ],
)
def test_each_one_of_people_is_the_average_per_one(
    demo: Workspace, question: str, numerator: str | None
) -> None:
    """Buyers are counted, never listed (no dimension): 'each buyer' is no breakdown but the
    average per buyer, said without an average word."""
    if numerator is None:
        want = sql_number(
            demo,
            "SELECT sum(i.quantity) / count(DISTINCT o.one_id) FROM order_items i JOIN orders o "
            "ON o.order_id = i.order_id WHERE o.paid_at IS NOT NULL AND o.one_id IS NOT NULL",
        )
    else:
        want = sql_number(demo, f"SELECT {numerator} / count(DISTINCT one_id) {BUYERS_PAID}")
    assert number(demo, question) == pytest.approx(want, abs=0.005)


def test_each_one_of_a_listed_entity_stays_a_breakdown(demo: Workspace) -> None:
    """Shops are a dimension: 每个卖家多少销售额 lists them, one row each."""
    want = sql(
        demo, "SELECT shop_id, sum(paid_amount) FROM orders WHERE paid_at IS NOT NULL GROUP BY 1"
    )
    got = rows(demo, "每个卖家多少销售额")
    assert sorted((r[0], float(r[-1])) for r in got) == sorted((s, float(v)) for s, v in want)


def among_viewers(ws: Workspace, other: str, where: str = "TRUE") -> tuple[int, int]:
    """(people with a view and an `other` event, people with a view) over the events meeting
    `where` (joined to their listing p)."""
    ((part, whole),) = sql(
        ws,
        "SELECT count(*) FILTER (WHERE v AND o), count(*) FILTER (WHERE v) FROM (SELECT "
        f"e.user_key, bool_or(e.event_type = 'view') AS v, bool_or(e.event_type = '{other}') AS o "
        "FROM events e LEFT JOIN products p ON p.product_id = e.product_id "
        f"WHERE e.user_key IS NOT NULL AND {where} GROUP BY 1)",
    )
    return int(part), int(whole)


@pytest.mark.parametrize(
    ("question", "other", "where"),
    [
        (
            "of the people who viewed 沙发, what share added to cart",
            "cart",
            "p.title LIKE '%沙发%'",
        ),
        ("浏览过沙发的人里多少比例加了购", "cart", "p.title LIKE '%沙发%'"),
        ("of the people who viewed, how many added to cart", "cart", "TRUE"),
        ("of the users that viewed, what % favourited", "fav", "TRUE"),
    ],
)
def test_share_of_the_people_who_viewed(
    demo: Workspace, question: str, other: str, where: str
) -> None:
    """'of the people who viewed X': those people are the whole, the others counted among them
    (people with both events) — not the share of X's viewers among all viewers."""
    part, whole = among_viewers(demo, other, where)
    assert 0 < part < whole
    (got,) = rows(demo, question)
    assert got[:2] == (part, whole)
    assert float(got[-1]) == pytest.approx(part / whole, abs=0.00005)
    # asked in percent (what %): the percent shown beside the share (C, session 42)
    assert got[2:-1] == ((round(100 * part / whole, 2),) if "%" in question else ())


ON_HAND = (
    "SELECT sum(on_hand) FROM (SELECT on_hand FROM inventory QUALIFY row_number() OVER "
    "(PARTITION BY outer_code, warehouse ORDER BY as_of DESC) = 1)"
)
# the 30 whole days before today (2025-06-01), as 近30天 counts them
UNITS_30 = (
    "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
    "WHERE o.paid_at >= DATE '2025-05-02' AND o.paid_at < DATE '2025-06-01'"
)


@pytest.mark.parametrize(
    "question", ["现在的库存还能卖几天", "库存可售天数", "how long will our stock last"]
)
def test_days_of_cover_over_the_days_before_today(demo: Workspace, question: str) -> None:
    """One rule for the trailing 30 days: the catalog's run rate counts the same days as a
    question's 近30天 (the whole days before today), not today's running day."""
    units = sql_number(demo, UNITS_30)
    assert number(demo, "近30天销量") == units
    want = sql_number(demo, ON_HAND) / (units / 30)
    assert number(demo, question) == pytest.approx(want, abs=0.005)  # shown to 2 places
