"""Small warehouses written row by row, so every OneID case states exactly what it contains."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from shopql.warehouse import person_key
from shopql.warehouse.connection import open_writer
from tests.conftest import SHARED, built_once, demo_seed7

# The made-up shop behind `shop_workspace` (no real personal data).
SHOP_PHONE = "0571-8888 6666"  # the shop's own phone, typed into every order


def add_account(
    con: duckdb.DuckDBPyConnection,
    customer_id: str,
    *identifiers: tuple[str, str],
    nick: str | None = None,
    phone: str | None = None,
    email: str | None = None,
) -> None:
    """One platform account and the identifiers a connector would have written for it."""
    platform = customer_id.split(":", 1)[0]
    con.execute(
        "INSERT INTO customers (customer_id, platform, nick, phone, email) VALUES (?, ?, ?, ?, ?)",
        [customer_id, platform, nick, phone, email],
    )
    con.executemany(
        """INSERT INTO identities (identifier_type, identifier_value, customer_id, platform)
           VALUES (?, ?, ?, ?)""",
        [[t, v, customer_id, platform] for t, v in identifiers],
    )


def add_order(
    con: duckdb.DuckDBPyConnection,
    order_id: str,
    customer_id: str,
    status: str,
    created_at: str,
    paid_amount: float | None,
    items: list[tuple[str, str | None, int, float]],
    refund_amount: float = 0.0,
) -> None:
    """An order with its lines (product_id, category, quantity, paid_amount)."""
    platform = customer_id.split(":", 1)[0]
    paid_at = created_at if paid_amount is not None else None
    con.execute(
        """INSERT INTO orders (order_id, platform, customer_id, status, created_at, paid_at,
               currency, paid_amount, refund_amount) VALUES (?, ?, ?, ?, ?, ?, 'CNY', ?, ?)""",
        [order_id, platform, customer_id, status, created_at, paid_at, paid_amount, refund_amount],
    )
    if person_key.has_key(con):  # the person key, as sync writes it (not before its release)
        con.execute(
            """UPDATE orders SET one_id = coalesce(
                   (SELECT min(one_id) FROM customers WHERE customer_id = ?), customer_id)
               WHERE order_id = ?""",
            [customer_id, order_id],
        )
    for line_no, (product, category, quantity, amount) in enumerate(items, start=1):
        con.execute(
            """INSERT INTO order_items (order_id, line_no, product_id, outer_code, title, category,
                   quantity, paid_amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                order_id,
                line_no,
                product,
                product.split(":")[-1].upper(),
                product.split(":")[-1],
                category,
                quantity,
                amount,
            ],
        )


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writer on an empty warehouse file at the current schema."""
    con = open_writer(tmp_path / "warehouse.duckdb")
    yield con
    con.close()


def fill_shop(con: duckdb.DuckDBPyConnection) -> None:
    """Alice on Tmall, JD and Shopify (phone in three spellings, e-mail in two); Bob on Tmall and
    PDD with only a masked phone; 25 one-off Tmall buyers; the shop phone on every account."""
    shop = ("phone", SHOP_PHONE)
    add_account(
        con,
        "tmall:alice_tb",
        ("nick", "alice_tb"),
        ("phone", "+86 139 1234 5678"),
        shop,
        nick="alice_tb",
        phone="+86 139 1234 5678",
    )
    add_account(
        con,
        "jd:alice_jd",
        ("phone", "0086-13912345678"),
        ("email", "Alice@Mail.example"),
        shop,
        phone="13912345678",
        email="Alice@Mail.example",
    )
    add_account(con, "shopify:1001", ("email", " alice@mail.example "), email="alice@mail.example")
    add_account(con, "tmall:bob_tb", ("nick", "bob_tb"), ("phone", "138****0001"), shop)
    add_account(con, "pdd:bob", ("phone", "138****0001"), shop)
    for i in range(25):
        add_account(con, f"tmall:buyer{i:02d}", ("nick", f"buyer{i:02d}"), shop)
    add_order(
        con,
        "tmall:T1",
        "tmall:alice_tb",
        "completed",
        "2024-03-01 10:00:00",
        100.00,
        [("tmall:sofa", "Sofa", 1, 100.00)],
    )
    add_order(
        con,
        "tmall:T2",
        "tmall:alice_tb",
        "refunded",
        "2024-05-02 11:00:00",
        50.50,
        [("tmall:lamp", "Lamp", 2, 50.50)],
        refund_amount=50.50,
    )
    add_order(
        con,
        "tmall:T3",
        "tmall:alice_tb",
        "cancelled",
        "2024-05-03 09:00:00",
        None,
        [("tmall:rug", "Rug", 1, 999.00)],
    )
    add_order(
        con,
        "jd:J1",
        "jd:alice_jd",
        "shipped",
        "2024-06-18 20:00:00",
        200.00,
        [("jd:sofa", "Sofa", 1, 200.00)],
    )
    add_order(
        con,
        "tmall:T9",
        "tmall:bob_tb",
        "completed",
        "2024-04-01 08:00:00",
        30.00,
        [("tmall:lamp", None, 1, 30.00)],
    )
    # that line has no category; the same goods (outer_code LAMP) carry one on Shopify
    con.execute(
        """INSERT INTO products (product_id, platform, outer_code, title, category)
           VALUES ('shopify:lamp-9', 'shopify', 'LAMP', 'Lamp', 'Lighting')"""
    )


@pytest.fixture
def shop_workspace(workspace: Path) -> Path:
    """A workspace holding `fill_shop`'s accounts and orders, OneID built."""
    from shopql.insights.oneid import build_one_ids

    con = open_writer(workspace / "warehouse.duckdb")
    try:
        fill_shop(con)
        build_one_ids(con, max_shared=20)
    finally:
        con.close()
    return workspace


# -- workspaces of the customer analyses (cohort, ltv, funnel, crosssell): synced once a session --

RETAIL_FILE = SHARED / "data" / "online_retail"
USERBEHAVIOR_FILE = SHARED / "data" / "taobao_userbehavior"


def _synced(tmp_path_factory: pytest.TempPathFactory, name: str, source: Path) -> Path:
    from shopql.config import load_settings
    from shopql.sync.engine import run_sync
    from shopql.warehouse.workspace import init_workspace

    if not source.is_dir():
        pytest.skip(f"{source} is not beside the repository")

    def build(ws: Path) -> None:
        init_workspace(ws)
        report = run_sync(load_settings(ws), [source])  # builds OneID too
        assert not report.failed, report.failed

    return built_once(tmp_path_factory, name, build)


@pytest.fixture(scope="session")
def retail_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """UCI Online Retail synced through the real connector, OneID built (read-only use)."""
    return _synced(tmp_path_factory, "retail-full", RETAIL_FILE)


@pytest.fixture(scope="session")
def userbehavior_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Taobao UserBehavior sample synced as events (read-only use)."""
    return _synced(tmp_path_factory, "userbehavior", USERBEHAVIOR_FILE)


@pytest.fixture(scope="session")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated demo (seed 7, scale 0.1, dates pinned) with its planted facts."""
    return demo_seed7(tmp_path_factory)


@pytest.fixture(scope="session")
def raw_retail_invoices() -> Any:
    """One row per paid invoice of a known customer (customer, at, amount), read with pandas from
    the raw Online Retail file, independently of the warehouse.

    Paid = an ordinary invoice (not a C credit note, not an A bad-debt adjustment, not a stock
    write-off whose quantities are all negative); amount = its lines' quantity × price in cents.
    """
    import pandas as pd

    df = pd.read_csv(
        RETAIL_FILE / "online_retail.csv.gz",
        dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": "Float64"},
        parse_dates=["InvoiceDate"],
    )
    df = df[df["CustomerID"].notna() & ~df["InvoiceNo"].str.match(r"^[CA]")]
    df = df.assign(total=(df["Quantity"] * df["UnitPrice"]).round(2))
    inv = df.groupby("InvoiceNo").agg(
        customer=("CustomerID", "first"),
        at=("InvoiceDate", "min"),
        amount=("total", "sum"),
        max_qty=("Quantity", "max"),
    )
    return inv[inv["max_qty"] >= 0]
