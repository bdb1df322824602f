"""The LLM engine through the real `openai` client against a scripted server on 127.0.0.1: right
SQL, wrong SQL (bad column, DROP, read_csv), malformed replies, the repair loop, the prompt."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.examples import save_example
from shopql.nlq.llm import LLMError, LLMFailed, ReplyFormatError, extract_sql
from shopql.nlq.session import Workspace
from tests.nlq.conftest import FakeLLM, built_shop

GMV_SQL = (
    "SELECT platform, sum(paid_amount) AS gmv FROM orders "
    "WHERE paid_at IS NOT NULL GROUP BY 1 ORDER BY 1"
)


@pytest.fixture
def shop(read_only_shop: Path) -> Path:
    """The engine only reads the shop: one for the module (the examples test writes its own)."""
    return read_only_shop


def fenced(sql: str, before: str = "Here is the query:") -> str:
    return f"{before}\n```sql\n{sql}\n```\n"


def workspace(shop: Path, fake: FakeLLM, **overrides: object) -> Workspace:
    settings = load_settings(
        shop, {"base_url": fake.url, "api_key": "test-key", "model": "fake-model", **overrides}
    )
    return Workspace(settings, today=dt.date(2025, 6, 30))


def test_right_sql_runs_and_answers(shop: Path, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue(fenced(GMV_SQL))
    a = answer(workspace(shop, fake_llm), "GMV by platform", engine="llm")
    assert a.engine == "llm"
    assert a.main.rows == [("jd", Decimal("350.00")), ("tmall", Decimal("200.50"))]
    assert len(fake_llm.requests) == 1
    assert fake_llm.requests[0]["model"] == "fake-model"
    assert fake_llm.requests[0]["messages"][-1] == {"role": "user", "content": "GMV by platform"}


def test_prompt_carries_linked_context_and_no_personal_values(
    shop: Path, fake_llm: FakeLLM
) -> None:
    fake_llm.enqueue(fenced("SELECT count(*) FROM orders"))
    answer(workspace(shop, fake_llm), "天猫 销售额 by province", engine="llm")
    prompt = fake_llm.system_prompt()
    assert "```sql" in prompt and "Today is 2025-06-30" in prompt
    assert "- orders" in prompt and "paid_amount DECIMAL(18,2)" in prompt
    assert "paid_gmv:" in prompt and (
        "SUM(orders.paid_amount) FILTER(WHERE\n      NOT orders.paid_at IS NULL) AS paid_gmv"
        in prompt
    )
    assert "'天猫' means orders.platform = 'tmall'" in prompt
    fake_llm.enqueue(fenced("SELECT 1"))
    answer(workspace(shop, fake_llm), "sales last month", engine="llm")
    assert (
        "'last month' means 2025-05-01 to 2025-05-31 inclusive: >= TIMESTAMP '2025-05-01' "
        "AND < TIMESTAMP '2025-06-01'" in fake_llm.system_prompt(1)
    )
    assert "phone VARCHAR" in prompt and "personal data" in prompt
    assert "orders.platform values: 'jd', 'tmall'" in prompt
    assert "customers.member_level values: 'gold', 'silver'" in prompt
    for secret in ("13812345678", "alice@example.com", "张三", "tb_alice", "13900001111"):
        assert secret not in prompt


def test_stored_examples_are_offered(tmp_path: Path, fake_llm: FakeLLM) -> None:
    shop = built_shop(tmp_path)  # examples.jsonl is written: a shop of its own
    ws = workspace(shop, fake_llm)
    save_example(ws.examples_path, "refund amount by platform", "SELECT 42 AS example_marker")
    save_example(ws.examples_path, "something unrelated entirely", "SELECT 1")
    fake_llm.enqueue(fenced("SELECT count(*) FROM orders"))
    answer(ws, "refund amount by platform last year", engine="llm")
    assert "Q: refund amount by platform\n```sql\nSELECT 42 AS example_marker" in (
        fake_llm.system_prompt()
    )


def test_bad_column_is_sent_back_and_repaired(shop: Path, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue(fenced("SELECT sum(paid_amout) AS gmv FROM orders"))
    fake_llm.enqueue(fenced("SELECT sum(paid_amount) AS gmv FROM orders"))
    a = answer(workspace(shop, fake_llm), "total paid amount", engine="llm")
    assert a.main.rows == [(Decimal("550.50"),)]
    assert len(fake_llm.requests) == 2
    repair = fake_llm.last_user_message()
    assert "no column 'paid_amout' in orders; did you mean paid_amount or" in repair
    assert "```sql" in repair
    # the model sees its own failed reply before the error
    assert fake_llm.requests[1]["messages"][-2]["role"] == "assistant"
    assert [x.error is None for x in a.attempts] == [False, True]


def test_execution_error_is_sent_back(shop: Path, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue(fenced("SELECT CAST(platform AS INTEGER) AS p FROM orders"))
    fake_llm.enqueue(fenced("SELECT count(*) AS n FROM orders"))
    a = answer(workspace(shop, fake_llm), "count orders", engine="llm")
    assert a.main.rows == [(5,)]
    assert "query failed" in fake_llm.last_user_message()


def test_drop_read_csv_and_malformed_end_in_a_clear_failure(shop: Path, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue(fenced("DROP TABLE orders"))
    fake_llm.enqueue(fenced("SELECT * FROM read_csv('/etc/passwd')"))
    fake_llm.enqueue("I think you should look at the orders table.")
    with pytest.raises(LLMFailed) as failed:
        answer(workspace(shop, fake_llm), "delete everything", engine="llm")
    e = failed.value
    assert e.message == "the model did not produce a query that runs after 3 tries"
    assert "try 1: 'DROP TABLE orders' → only SELECT queries may run here, not DROP" in e.hint
    assert "try 2:" in e.hint and "read_csv() is not allowed" in e.hint
    assert "try 3:" in e.hint and "no SQL query" in e.hint
    assert len(fake_llm.requests) == 3
    assert "not DROP" in fake_llm.last_user_message(1)
    assert "read_csv" in fake_llm.last_user_message(2)
    con = duckdb.connect(str(shop / "warehouse.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM orders").fetchone() == (5,)
    con.close()


def test_max_tries_is_configurable(shop: Path, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue(fenced("SELECT nope FROM orders"))
    with pytest.raises(LLMFailed, match="after 1 tries"):
        answer(workspace(shop, fake_llm, max_tries=1), "x", engine="llm")
    assert len(fake_llm.requests) == 1


def test_bare_query_is_tolerated(shop: Path, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue("SELECT count(*) AS n FROM orders WHERE platform = 'jd'")
    assert answer(workspace(shop, fake_llm), "jd orders", engine="llm").main.rows == [(2,)]


def test_llm_sql_is_masked_for_analysts(shop: Path, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue(fenced("SELECT phone FROM customers WHERE member_level = 'gold'"))
    ws = workspace(shop, fake_llm, role="analyst")
    assert answer(ws, "alice's phone", engine="llm").main.rows == [("138****5678",)]


def test_http_errors_become_one_line(shop: Path, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue("invalid api key", status=401)
    with pytest.raises(LLMError, match="answered 401"):
        answer(workspace(shop, fake_llm), "orders", engine="llm")


def test_unreachable_endpoint(shop: Path, fake_llm: FakeLLM) -> None:
    fake_llm.url = "http://127.0.0.1:9/v1"
    with pytest.raises(LLMError, match="cannot reach the model at http://127.0.0.1:9/v1"):
        answer(workspace(shop, fake_llm), "orders", engine="llm")


def test_no_llm_configured(shop: Path) -> None:
    ws = Workspace(load_settings(shop), today=dt.date(2025, 6, 30))
    with pytest.raises(LLMError, match="no LLM is configured"):
        answer(ws, "orders", engine="llm")


def test_auto_prefers_offline_and_falls_back_to_the_llm(shop: Path, fake_llm: FakeLLM) -> None:
    ws = workspace(shop, fake_llm)
    a = answer(ws, "paid GMV by platform", engine="auto")
    assert a.engine == "offline" and fake_llm.requests == []
    assert a.main.rows == [("jd", Decimal("350.00")), ("tmall", Decimal("200.50"))]
    fake_llm.enqueue(fenced("SELECT DISTINCT o.customer_id FROM orders o ORDER BY 1"))
    a = answer(ws, "which customers posted about us on social media", engine="auto")
    assert a.engine == "llm" and len(fake_llm.requests) == 1


@pytest.mark.parametrize(
    ("reply", "sql"),
    [
        ("```sql\nSELECT 1;\n```", "SELECT 1"),
        (
            "text\n```SQL\nWITH t AS (SELECT 1) SELECT * FROM t\n```\nmore",
            "WITH t AS (SELECT 1) SELECT * FROM t",
        ),
        ("```\nSELECT 2\n```", "SELECT 2"),
        ("  select 3 from orders;", "select 3 from orders"),
        ("```python\nprint(1)\n```\n```sql\nSELECT 4\n```", "SELECT 4"),
    ],
)
def test_extract_sql(reply: str, sql: str) -> None:
    assert extract_sql(reply) == sql


@pytest.mark.parametrize("reply", ["", "Sorry, I cannot help.", "```python\nprint(1)\n```"])
def test_extract_sql_refuses_replies_without_a_query(reply: str) -> None:
    with pytest.raises(ReplyFormatError):
        extract_sql(reply)


def test_chat_follow_ups_tell_the_model_the_earlier_question(shop: Path, fake_llm: FakeLLM) -> None:
    from shopql.nlq.chat import Conversation

    chat = Conversation(workspace(shop, fake_llm), "auto")
    fake_llm.enqueue(fenced("SELECT customer_id FROM orders GROUP BY 1 ORDER BY 1"))
    fake_llm.enqueue(
        fenced("SELECT customer_id FROM orders WHERE platform = 'tmall' GROUP BY 1 ORDER BY 1")
    )
    chat.ask("which customers posted about us on social media")
    a = chat.ask("and only on Tmall?")
    assert a.engine == "llm" and a.main.rows == [("tmall:1",), ("tmall:3",)]
    assert fake_llm.last_user_message() == (
        "and only on Tmall?\n(This follows: which customers posted about us on social media)"
    )


def test_auto_refuses_when_unsure_and_the_llm_fails(shop: Path, fake_llm: FakeLLM) -> None:
    """Unsure offline + failing LLM = nothing answered (exit 5), saying both; --lenient gives
    the offline answer of the understood part with a note."""
    from shopql.nlq.offline import Unsure

    fake_llm.enqueue("model overloaded", status=503)
    with pytest.raises(Unsure) as refused:
        answer(workspace(shop, fake_llm, max_tries=1), "paid GMV by platform flibbertigibbet")
    assert refused.value.exit_code == 5
    assert "'flibbertigibbet'" in refused.value.message
    assert "the LLM could not answer either" in refused.value.message
    fake_llm.enqueue("model overloaded", status=503)
    a = answer(
        workspace(shop, fake_llm, max_tries=1),
        "paid GMV by platform flibbertigibbet",
        lenient=True,
    )
    assert a.engine == "offline"
    assert a.main.rows == [("jd", Decimal("350.00")), ("tmall", Decimal("200.50"))]
    assert "the LLM could not answer" in a.notes[-1] and "'flibbertigibbet'" in a.notes[-1]
