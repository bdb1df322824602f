"""The demo brand, session 16 (slice g): refunds counted as transactions (退款笔数: each refund
record, an order refunded line by line counting once per refund) and every SKU known ("how many
SKUs in the catalog") — checked against hand-written SQL on the generated demo (seed 7, today
2025-06-01) and on Olist and Online Retail."""

from __future__ import annotations

from typing import Any

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, rows, sql, sql_number, unknown

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
