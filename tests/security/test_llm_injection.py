"""The LLM path as an attacker would use it (a hostile model, or a prompt injected through a
question or a data value): personal data sent to the model's endpoint, SQL smuggled in the
semantic query's filter values and names, SQL that writes or reads personal data. Served by the
scripted OpenAI-compatible server on 127.0.0.1 (tests/nlq/conftest.py); no network.

Found in this review: the repair loop sent DuckDB's execution error to the model word for word,
and those quote the data being read — `SELECT CAST(phone AS INTEGER) …` (or `error(nick)`) run as
the owner sent a raw phone number (or nick) to the endpoint. Runtime errors now go back as their
kind only; the guard's own errors (from the SQL text and the schema) still go back whole."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from shopql.config import load_settings
from shopql.errors import ShopqlError
from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from tests.nlq import conftest as nlq
from tests.nlq.conftest import FakeLLM

fake_llm = nlq.fake_llm  # the fixtures of tests/nlq: the scripted server, the seeded shop
read_only_shop = nlq.read_only_shop


@pytest.fixture
def shop(read_only_shop: Path) -> Path:
    """The seeded shop, one for the module (its vocabulary and catalog built once, not once a
    test, ~0.4 CPU s each): no test here may change its data, and the ones that try to write
    read it back to show they did not."""
    return read_only_shop


PII = ("13812345678", "13900001111", "alice@example.com", "bob@example.org", "tb_alice", "张三")
TOTAL = Decimal("550.50")  # paid GMV of the seeded shop, every platform


def space(ws: Path, fake: FakeLLM, role: str = "admin") -> Workspace:
    settings = load_settings(ws, {"base_url": fake.url, "api_key": "k", "model": "m", "role": role})
    return Workspace(settings, today=dt.date(2025, 6, 30))


def sent(fake: FakeLLM) -> list[str]:
    text = json.dumps(fake.requests, ensure_ascii=False)
    return [p for p in PII if p in text]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT CAST(phone AS INTEGER) AS p FROM customers WHERE phone IS NOT NULL",
        "SELECT error(nick) FROM customers WHERE nick IS NOT NULL",
        "SELECT CAST(email AS DATE) FROM customers WHERE email IS NOT NULL",
        "SELECT CAST(nick AS UUID) FROM customers WHERE nick IS NOT NULL",
        "SELECT strptime(name, '%Y') FROM customers WHERE name IS NOT NULL",
        "SELECT CAST(phone AS BOOLEAN) FROM customers WHERE phone IS NOT NULL",
    ],
)
@pytest.mark.parametrize("path", ["write_sql", "fenced"])
def test_an_error_sends_no_personal_data_to_the_model(
    shop: Path, fake_llm: FakeLLM, sql: str, path: str
) -> None:
    if path == "write_sql":
        fake_llm.enqueue_call("write_sql", {"reason": "r", "sql": sql})
        fake_llm.enqueue_call(
            "write_sql", {"reason": "r", "sql": "SELECT count(*) AS n FROM orders"}
        )
    else:
        fake_llm.enqueue(f"```sql\n{sql}\n```")
        fake_llm.enqueue("```sql\nSELECT count(*) AS n FROM orders\n```")
    try:
        a = answer(space(shop, fake_llm), "how many orders", engine="llm")
        assert a.main.rows == [(5,)]
    except ShopqlError:
        pass  # the path gave up: what matters is what was sent
    assert len(fake_llm.requests) >= 2  # the error went back to the model …
    repair = json.dumps(fake_llm.requests[1]["messages"][-1], ensure_ascii=False)
    assert "query failed while running" in repair or "rejected" in repair
    assert sent(fake_llm) == []  # … without the data it quoted


def test_the_guards_errors_still_go_back_whole(shop: Path, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue_call("write_sql", {"reason": "r", "sql": "SELECT phon FROM customers"})
    fake_llm.enqueue_call("write_sql", {"reason": "r", "sql": "SELECT count(*) AS n FROM orders"})
    answer(space(shop, fake_llm), "how many orders", engine="llm")
    assert "no column 'phon' in customers; did you mean phone" in fake_llm.tool_results(1)[0]


SMUGGLED = [
    "tmall' OR '1'='1",
    "tmall'); DROP TABLE orders; --",
    "x' UNION SELECT phone FROM customers --",
    "tmall\\' OR 1=1 --",
    "' OR platform IS NOT NULL OR '",
]


@pytest.mark.parametrize("value", SMUGGLED)
def test_filter_values_are_values(shop: Path, fake_llm: FakeLLM, value: str) -> None:
    """A semantic query's filter value stays one value: never a wider filter, a second statement
    or a read of another table."""
    query = {
        "metrics": ["paid_gmv"],
        "filters": [{"dimension": "platform", "op": "=", "values": [value]}],
    }
    for _ in range(3):
        fake_llm.enqueue_call("semantic_query", query)
    try:
        a = answer(space(shop, fake_llm), "tmall 的支付金额", engine="llm")
        cells = [c for r in a.main.rows for c in r]
        assert TOTAL not in cells and all(c in (None, 0) for c in cells), a.main.rows
    except ShopqlError:
        pass  # refused: as good
    con = duckdb.connect(str(shop / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM orders").fetchone() == (5,)
    finally:
        con.close()


@pytest.mark.parametrize(
    "query",
    [
        {"metrics": ["paid_gmv) FROM orders; DROP TABLE orders; --"]},
        {"metrics": ["paid_gmv"], "dimensions": ["phone"]},
        {"metrics": ["paid_gmv"], "dimensions": ["platform; SELECT phone FROM customers"]},
        {
            "metrics": ["paid_gmv"],
            "filters": [{"dimension": "1=1 OR platform", "op": "=", "values": ["x"]}],
        },  # fmt: skip
        {
            "metrics": ["paid_gmv"],
            "filters": [{"dimension": "platform", "op": "= 'x' OR 1=1 --", "values": ["x"]}],
        },  # fmt: skip
    ],
)
def test_names_and_operators_must_be_the_catalogs(
    shop: Path, fake_llm: FakeLLM, query: dict
) -> None:
    for _ in range(3):
        fake_llm.enqueue_call("semantic_query", query)
    with pytest.raises(ShopqlError):
        answer(space(shop, fake_llm, "analyst"), "支付金额", engine="llm")
    assert sent(fake_llm) == []


@pytest.mark.parametrize(
    "sql",
    [
        "DROP TABLE orders",
        "COPY customers TO '/tmp/out.csv'",
        "ATTACH '/tmp/x.duckdb' AS x",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT 1; DELETE FROM orders",
        "INSTALL httpfs",
        "SET enable_external_access = true",
        "CREATE TABLE x AS SELECT phone FROM customers",
        "WITH d AS (DELETE FROM orders RETURNING *) SELECT count(*) FROM d",
    ],
)
def test_the_model_cannot_write_or_reach_out(shop: Path, fake_llm: FakeLLM, sql: str) -> None:
    for _ in range(3):
        fake_llm.enqueue_call("write_sql", {"reason": "r", "sql": sql})
    with pytest.raises(ShopqlError):
        answer(space(shop, fake_llm), "orders", engine="llm")
    con = duckdb.connect(str(shop / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM orders").fetchone() == (5,)
        assert con.execute("SELECT count(*) FROM customers").fetchone() == (3,)
    finally:
        con.close()
    assert not Path("/tmp/out.csv").exists() or Path("/tmp/out.csv").stat().st_size == 0


def test_the_models_sql_reads_masked_values_for_a_masked_role(
    shop: Path, fake_llm: FakeLLM
) -> None:
    fake_llm.enqueue_call(
        "write_sql", {"reason": "r", "sql": "SELECT nick, name, phone, email FROM customers"}
    )
    a = answer(space(shop, fake_llm, "analyst"), "list the buyers", engine="llm")
    cells = {str(c) for r in a.main.rows for c in r}
    assert len(a.main.rows) == 3 and not cells & set(PII)
    assert "138****5678" in cells
