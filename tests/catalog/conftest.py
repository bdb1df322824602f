"""A small hand-built multi-platform workspace: every number in it can be worked out by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.catalog.helpers import Warehouse
from tests.conftest import DEMO_SEED7_TODAY, demo_seed7, shared_workspace


@pytest.fixture(scope="module")
def wh(olist_workspace: Path) -> Iterator[Warehouse]:
    """The Olist warehouse and its catalog, one per test module (closed at its end): the
    families and Olist checks share it; a module about another workspace defines its own `wh`."""
    w = Warehouse(olist_workspace)
    yield w
    w.close()


TODAY = dt.date(2025, 2, 20)

SHOPS = [
    ("tmall:s1", "tmall", "Tmall flagship", "CNY", "Asia/Shanghai"),
    ("jd:s2", "jd", "JD store", "CNY", "Asia/Shanghai"),
]
# customer_id, platform, shop_id, member_level, province, city, one_id
CUSTOMERS = [
    ("tmall:c1", "tmall", "tmall:s1", "gold", "浙江省", "杭州市", "P1"),
    ("jd:c2", "jd", "jd:s2", None, "浙江省", "杭州市", "P1"),  # same person as tmall:c1
    ("tmall:c3", "tmall", "tmall:s1", "silver", "上海市", "上海市", "P3"),
    ("jd:c4", "jd", "jd:s2", None, "广东省", "深圳市", None),  # OneID not built for it
]
# product_id, platform, shop_id, outer_code, title, category
PRODUCTS = [
    ("tmall:p1", "tmall", "tmall:s1", "A", "Running shoe", "shoes"),
    ("tmall:p2", "tmall", "tmall:s1", "B", "Tote bag", "bags"),
    ("jd:p3", "jd", "jd:s2", "A", "Running shoe", "shoes"),
]
# order_id, platform, shop, customer, status, created, paid, goods, discount, shipping, paid, refund, channel, province
ORDERS = [
    (
        "tmall:o1",
        "tmall",
        "tmall:s1",
        "tmall:c1",
        "completed",
        "2025-01-05 10:00",
        "2025-01-05 10:01",
        "280.00",
        "10.00",
        "30.00",
        "300.00",
        "50.00",
        "alipay",
        "浙江省",
    ),
    (
        "tmall:o2",
        "tmall",
        "tmall:s1",
        "tmall:c1",
        "completed",
        "2025-01-20 09:00",
        "2025-01-21 08:00",
        "99.99",
        None,
        None,
        "99.99",
        None,
        "alipay",
        None,
    ),
    (
        "jd:o3",
        "jd",
        "jd:s2",
        "jd:c2",
        "refunded",
        "2025-02-03 12:00",
        "2025-02-03 12:05",
        "55.50",
        "0.00",
        "0.00",
        "55.50",
        "55.50",
        "jdpay",
        "浙江省",
    ),
    (
        "tmall:o4",
        "tmall",
        "tmall:s1",
        "tmall:c3",
        "pending",
        "2025-02-10 20:00",
        None,
        "20.00",
        None,
        None,
        None,
        None,
        None,
        "上海市",
    ),
    (
        "jd:o5",
        "jd",
        "jd:s2",
        "jd:c4",
        "completed",
        "2024-12-30 23:00",
        "2024-12-30 23:10",
        "10.10",
        None,
        None,
        "10.10",
        None,
        "jdpay",
        "广东省",
    ),
    (
        "tmall:o6",
        "tmall",
        "tmall:s1",
        "tmall:c3",
        "paid",
        "2025-02-15 10:00",
        "2025-02-16 10:00",
        "0.10",
        None,
        None,
        "0.10",
        None,
        "wechat",
        "上海市",
    ),
    (
        "tmall:o7",
        "tmall",
        "tmall:s1",
        "tmall:c3",
        "paid",
        "2025-02-16 11:00",
        "2025-02-16 11:30",
        "0.20",
        None,
        None,
        "0.20",
        None,
        "wechat",
        "上海市",
    ),
]
# order_id, line_no, product_id, quantity, unit_price, paid_amount, refund_amount
ITEMS = [
    ("tmall:o1", 1, "tmall:p1", 1, "100.00", "100.00", None),
    ("tmall:o1", 2, "tmall:p2", 2, "90.00", "170.00", "50.00"),
    ("tmall:o2", 1, "tmall:p1", 1, "99.99", "99.99", None),
    ("jd:o3", 1, "jd:p3", 3, "18.50", "55.50", "55.50"),
    ("tmall:o4", 1, "tmall:p2", 1, "20.00", None, None),
    ("jd:o5", 1, "jd:p3", 1, "10.10", "10.10", None),
    ("tmall:o6", 1, "tmall:p2", 1, "0.10", "0.10", None),
    ("tmall:o7", 1, "tmall:p2", 1, "0.20", "0.20", None),
]
PAYMENTS = [
    ("pay1", "tmall:o1", "wechat", "failed", "300.00", "2025-01-05 10:00"),
    ("pay2", "tmall:o1", "alipay", "success", "300.00", "2025-01-05 10:01"),
    ("pay3", "tmall:o2", "alipay", "success", "99.99", "2025-01-21 08:00"),
    ("pay4", "jd:o3", "jdpay", "failed", "55.50", "2025-02-03 12:01"),
    ("pay5", "jd:o3", "jdpay", "failed", "55.50", "2025-02-03 12:03"),
    ("pay6", "jd:o3", "jdpay", "success", "55.50", "2025-02-03 12:05"),
    ("pay7", "tmall:o4", "wechat", "failed", "20.00", "2025-02-10 20:01"),
    ("pay8", "jd:o5", "jdpay", "success", "10.10", "2024-12-30 23:10"),
]
REFUNDS = [
    ("r1", "tmall:o1", 2, "success", "50.00", "damaged", "2025-01-08 09:00", "2025-01-09 09:00"),
    ("r2", "jd:o3", 1, "success", "55.50", "wrong size", "2025-02-05 09:00", "2025-02-06 09:00"),
]
EVENTS = [
    ("2025-02-01 10:00", "tmall", "u1", "tmall:c1", "view", "tmall:p1", None),
    ("2025-02-01 10:05", "tmall", "u1", "tmall:c1", "cart", "tmall:p1", None),
    ("2025-02-01 10:09", "tmall", "u1", "tmall:c1", "buy", "tmall:p1", None),
    ("2025-02-02 11:00", "tmall", "u2", None, "view", "tmall:p2", None),
    ("2025-02-03 11:00", "tmall", "u3", None, "view", "tmall:p2", None),
    ("2025-02-04 11:00", "tmall", "u3", None, "view", "tmall:p1", None),
    ("2025-02-05 12:00", "jd", "u4", "jd:c2", "view", "jd:p3", None),
    ("2025-02-05 12:30", "jd", "u4", "jd:c2", "buy", "jd:p3", None),
]
REVIEWS = [
    ("tmall:o1", "tmall:p1", 5, "good", "2025-01-10 10:00", "rv1"),
    ("tmall:o2", "tmall:p1", 3, "ok", "2025-01-25 10:00", "rv2"),
    ("jd:o3", "jd:p3", 1, "bad", "2025-02-07 10:00", "rv3"),
]
INVENTORY = [
    ("A", "wh1", 50, 0, "2025-01-01 00:00"),
    ("A", "wh1", 40, 5, "2025-02-01 00:00"),  # the latest snapshot of A/wh1
    ("A", "wh2", 10, 0, "2025-02-01 00:00"),
    ("B", "wh1", 30, 2, "2025-02-01 00:00"),
]


def build_shop_workspace(folder: Path) -> Path:
    """Create a workspace and insert the rows above straight into the canonical tables."""
    from shopql.warehouse import person_key
    from shopql.warehouse.connection import open_writer
    from shopql.warehouse.workspace import init_workspace

    init_workspace(folder)
    con = open_writer(folder / "warehouse.duckdb")
    try:
        con.executemany(
            "INSERT INTO shops (shop_id, platform, name, currency, timezone) VALUES (?, ?, ?, ?, ?)",
            SHOPS,
        )
        con.executemany(
            "INSERT INTO customers (customer_id, platform, shop_id, member_level, province, city,"
            " one_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            CUSTOMERS,
        )
        con.executemany(
            "INSERT INTO products (product_id, platform, shop_id, outer_code, title, category)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            PRODUCTS,
        )
        con.executemany(
            "INSERT INTO orders (order_id, platform, shop_id, customer_id, status, created_at,"
            " paid_at, goods_amount, discount_amount, shipping_fee, paid_amount, refund_amount,"
            " payment_channel, province, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, 'CNY')",
            ORDERS,
        )
        con.executemany(
            "INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price,"
            " paid_amount, refund_amount) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ITEMS,
        )
        con.executemany(
            "INSERT INTO payments (payment_id, order_id, channel, status, amount, attempted_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            PAYMENTS,
        )
        con.executemany("INSERT INTO refunds VALUES (?, ?, ?, ?, ?, ?, ?, ?)", REFUNDS)
        con.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", EVENTS)
        con.executemany(
            "INSERT INTO reviews (order_id, product_id, score, comment, created_at, review_id)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            REVIEWS,
        )
        con.executemany("INSERT INTO inventory VALUES (?, ?, ?, ?, ?)", INVENTORY)
        person_key.refresh(con)  # what sync does for the orders it writes
    finally:
        con.close()
    return folder


@pytest.fixture(scope="session")
def shop_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-built two-platform workspace (read-only use)."""
    return shared_workspace(build_shop_workspace(tmp_path_factory.mktemp("shop") / "ws"))


DEMO_TODAY = dt.date(2025, 6, 1)


@pytest.fixture(scope="session")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated multi-platform demo at a small scale, its dates pinned (read-only use)."""
    assert DEMO_TODAY == DEMO_SEED7_TODAY
    return demo_seed7(tmp_path_factory)
