"""Model-written SQL (the LLM path's write_sql / fenced SQL fallback) that reads sellers from
orders.shop_id on a marketplace whose orders can have several sellers (Olist: 1,278 orders)
would give the whole order to its first seller: it is sent back to the model like a guard
error, and the model's fixed SQL (order_items.shop_id) answers. A warehouse with one shop per
order (the demo) runs it as before; a person's own SQL (`shopql sql`) is not touched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.sellers import order_shop_sql
from shopql.nlq.session import Workspace
from tests.nlq.conftest import FakeLLM
from tests.nlq.helpers import sql

BY_FIRST = (
    "SELECT s.province, count(*) FROM orders o JOIN shops s ON s.shop_id = o.shop_id GROUP BY 1"
)
BY_LINE = (
    "SELECT s.province, count(DISTINCT i.order_id) AS orders FROM order_items i "
    "JOIN shops s ON s.shop_id = i.shop_id GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3"
)


@pytest.fixture
def olist_llm(olist_workspace: Path, fake_llm: FakeLLM) -> Iterator[Workspace]:
    settings = load_settings(
        olist_workspace,
        {"base_url": fake_llm.url, "api_key": "test-key", "model": "fake-model"},
    )
    with Workspace(settings, today=dt.date(2018, 9, 1)) as ws:
        yield ws


@pytest.fixture
def olist_ws(olist: Workspace) -> Iterator[Workspace]:
    yield olist


@pytest.mark.parametrize(
    "text",
    [
        "SELECT shop_id, count(*) FROM orders GROUP BY 1",
        "SELECT o.shop_id, sum(o.paid_amount) FROM orders o GROUP BY 1",
        BY_FIRST,
        "SELECT s.province, count(*) FROM orders o JOIN shops s USING (shop_id) GROUP BY 1",
        "WITH x AS (SELECT shop_id, order_id FROM orders) SELECT x.shop_id, count(*) FROM x GROUP BY 1",
        "SELECT count(*) FROM orders WHERE shop_id IN (SELECT shop_id FROM shops WHERE province = 'SP')",
    ],
)
def test_orders_shop_id_is_caught_on_olist(olist_ws: Workspace, text: str) -> None:
    why = order_shop_sql(text, olist_ws)
    assert why is not None and "order_items.shop_id" in why


@pytest.mark.parametrize(
    "text",
    [
        BY_LINE,
        "SELECT i.shop_id, sum(i.paid_amount) FROM order_items i JOIN orders o USING (order_id) GROUP BY 1",
        "WITH x AS (SELECT shop_id, order_id FROM order_items) SELECT shop_id, count(*) FROM x GROUP BY 1",
        "SELECT province, count(*) FROM orders GROUP BY 1",
        "SELECT count(*) FROM shops WHERE province = 'SP'",
    ],
)
def test_line_sellers_and_other_columns_pass(olist_ws: Workspace, text: str) -> None:
    assert order_shop_sql(text, olist_ws) is None


def test_demo_orders_shop_id_is_its_only_shop(demo: Workspace) -> None:
    """One shop per order: orders.shop_id is the shop, nothing to catch."""
    assert order_shop_sql("SELECT shop_id, count(*) FROM orders GROUP BY 1", demo) is None


def test_write_sql_by_first_seller_goes_back_then_line_sellers_answer(
    olist_llm: Workspace, fake_llm: FakeLLM
) -> None:
    fake_llm.enqueue_call("write_sql", {"reason": "orders by seller state", "sql": BY_FIRST})
    fake_llm.enqueue_call("write_sql", {"reason": "each line's seller", "sql": BY_LINE})
    a = answer(olist_llm, "which 3 seller states have the most orders", engine="llm")
    assert "FIRST seller" in fake_llm.tool_results(1)[-1]
    assert [tuple(r) for r in a.main.rows] == sql(olist_llm, BY_LINE)
    assert "o.shop_id" not in a.sql


def test_fenced_sql_by_first_seller_is_repaired(olist_llm: Workspace, fake_llm: FakeLLM) -> None:
    """The plain SQL fallback (no tools): the same check, the repair message says why."""
    fake_llm.enqueue("I cannot use the semantic layer; I will write SQL.")
    fake_llm.enqueue(f"```sql\n{BY_FIRST}\n```")
    fake_llm.enqueue(f"```sql\n{BY_LINE}\n```")
    a = answer(olist_llm, "orders by seller state, top 3", engine="llm")
    assert [tuple(r) for r in a.main.rows] == sql(olist_llm, BY_LINE)
    assert any("FIRST seller" in str(t.error) for t in a.attempts)
