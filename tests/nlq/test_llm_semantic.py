"""The LLM engine speaks the semantic layer first (issue 11 §3): the model calls `semantic_query`
(OpenAI tool calling, a schema generated from the catalog) against a scripted server on
127.0.0.1; its arguments are checked against the catalog and compiled by the metric compiler;
errors go back as the tool result and are repaired; model-written SQL is the fallback."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from shopql.catalog.semantic import Filter, OrderBy, SemanticQuery, TimeRange
from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.llm import LLMFailed
from shopql.nlq.pipeline import arguments_json
from shopql.nlq.semantic_tool import semantic_schema
from shopql.nlq.session import Workspace
from tests.conftest import cli_in_process
from tests.nlq.conftest import FakeLLM, tool_call

BY_PLATFORM = {
    "metrics": ["paid_gmv"],
    "dimensions": ["platform"],
    "order_by": [{"name": "platform", "descending": False}],
}
ROWS_BY_PLATFORM = [("jd", Decimal("350.00")), ("tmall", Decimal("200.50"))]


@pytest.fixture
def shop(read_only_shop: Path) -> Path:
    """The engine only reads the shop (no test saves an example): one for the module."""
    return read_only_shop


def workspace(shop: Path, fake: FakeLLM, **overrides: object) -> Workspace:
    settings = load_settings(
        shop, {"base_url": fake.url, "api_key": "test-key", "model": "fake-model", **overrides}
    )
    return Workspace(settings, today=dt.date(2025, 6, 30))


def test_a_semantic_query_is_compiled_by_the_catalog(shop: Path, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue_call("semantic_query", BY_PLATFORM)
    a = answer(workspace(shop, fake_llm), "各平台的支付金额", engine="llm")
    assert (a.engine, a.path) == ("llm", "semantic")
    assert a.main.rows == ROWS_BY_PLATFORM
    assert a.query == SemanticQuery(
        metrics=("paid_gmv",), dimensions=("platform",), order_by=(OrderBy("platform", False),)
    )
    assert a.understood[0] == "path: semantic query → catalog compiler (the catalog's 口径)"
    assert "metrics: paid_gmv (支付金额)" in a.understood and "tries: 1" in a.understood
    assert a.definitions["paid_gmv"].startswith("已付款订单")
    request = fake_llm.requests[0]
    assert [t["function"]["name"] for t in request["tools"]] == ["semantic_query", "write_sql"]
    assert request["tool_choice"] == "auto"
    assert "Call the function `semantic_query`" in request["messages"][0]["content"]
    assert request["messages"][-1] == {"role": "user", "content": "各平台的支付金额"}
    document = a.to_json()
    assert document["path"] == "semantic" and document["semantic_query"]["metrics"] == ("paid_gmv",)


def test_same_query_same_sql_as_the_offline_engine(shop: Path, fake_llm: FakeLLM) -> None:
    """The 口径 is the catalog's whichever engine understood the question."""
    ws = workspace(shop, fake_llm)
    offline = answer(ws, "paid GMV by platform last month", engine="offline")
    fake_llm.enqueue_call("semantic_query", arguments_json(offline.query))
    llm = answer(ws, "paid GMV by platform last month", engine="llm")
    assert llm.path == "semantic" and llm.sql == offline.sql
    assert llm.main.rows == offline.main.rows == [("tmall", Decimal("120.50"))]


def test_time_range_and_compare(shop: Path, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue_call(
        "semantic_query",
        {
            "metrics": ["paid_gmv"],
            "time_range": {"start": "2025-06-01", "end": "2025-07-01", "label": "June"},
            "compare": "previous_period",
        },
    )
    a = answer(workspace(shop, fake_llm), "June GMV vs May", engine="llm")
    june = dt.datetime(2025, 6, 1)
    assert a.query is not None and a.query.time_range == TimeRange(
        june, dt.datetime(2025, 7, 1), "June"
    )
    row = dict(zip(a.main.columns, a.main.rows[0], strict=True))
    assert row["paid_gmv"] == Decimal("430.00") and row["paid_gmv__previous"] == Decimal("120.50")
    assert "compared with: 2025-05-01 → 2025-05-31 (previous period)" in a.understood


def test_unknown_metric_is_sent_back_and_repaired(shop: Path, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue_call("semantic_query", {**BY_PLATFORM, "metrics": ["gmv_paid"]})
    fake_llm.enqueue_call("semantic_query", BY_PLATFORM)
    a = answer(workspace(shop, fake_llm), "GMV by platform", engine="llm")
    assert a.path == "semantic" and a.main.rows == ROWS_BY_PLATFORM
    result = fake_llm.tool_results(1)
    assert len(result) == 1 and result[0].startswith("Rejected: unknown metric 'gmv_paid'")
    assert (
        "did you mean item_paid_gmv, paid_gmv" in result[0]  # the closest names first
        and "Call semantic_query again" in result[0]
    )
    # the model sees its own call before the result, with the same id
    call, reply = fake_llm.requests[1]["messages"][-2:]
    assert call["role"] == "assistant" and call["tool_calls"][0]["function"]["name"] == (
        "semantic_query"
    )
    assert reply["tool_call_id"] == call["tool_calls"][0]["id"]
    assert [(x.path, x.error is None) for x in a.attempts] == [
        ("semantic", False),
        ("semantic", True),
    ]
    assert "tries: 2" in a.understood


def test_a_bad_filter_is_repaired_through_the_loop(shop: Path, fake_llm: FakeLLM) -> None:
    def query(op: str, value: Any) -> dict[str, Any]:
        return {
            "metrics": ["paid_gmv", "paid_orders"],
            "filters": [{"dimension": "platform", "op": op, "values": [value]}],
        }

    fake_llm.enqueue_call("semantic_query", query("equals", "tmall"))
    fake_llm.enqueue_call("semantic_query", query("=", "Tmall"))
    fake_llm.enqueue_call("semantic_query", query("=", "tmall"))
    a = answer(workspace(shop, fake_llm), "天猫的支付金额和订单数", engine="llm")
    assert a.main.rows == [(Decimal("200.50"), 2)]
    assert a.query is not None and a.query.filters == (Filter("platform", "=", ("tmall",)),)
    first, second = fake_llm.tool_results(1)[0], fake_llm.tool_results(2)[-1]
    assert "unknown filter operator 'equals' on platform; use one of =, !=" in first
    assert "platform has no value 'Tmall'; did you mean 'tmall'?" in second
    assert "stored values: 'jd', 'tmall'" in second


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"metrics": ["paid_gmv"], "dimensions": ["warehouse"]}, "dimension 'warehouse' cannot "
         "be joined to metric paid_gmv (counted on orders); dimensions it can be split or "
         "filtered by: attempt_date, "),
        ({"metrics": ["inventory_on_hand"], "filters": [{"dimension": "platform", "op": "=",
         "values": ["jd"]}]}, "dimension 'platform' cannot be joined to metric inventory_on_hand"),
        ({"metrics": ["paid_gmv"], "dimensions": ["platfrom"]}, "unknown dimension 'platfrom'; "
         "did you mean platform"),
        ({"metrics": ["paid_gmv"], "filters": [{"dimension": "platform", "op": "in",
         "values": [{"x": 1}]}]}, "filter on platform: values must be strings, numbers or booleans"),
        ({"metrics": ["paid_gmv"], "filters": [{"dimension": "paid_date", "op": ">=",
         "values": ["yesterday"]}]}, "filter on paid_date (a time dimension): 'yesterday' is not a "
         "date"),
        ({"metrics": ["paid_gmv"], "filters": [{"dimension": "platform", "op": "<",
         "values": ["a", "b"]}]}, "filter on platform: < takes exactly one value, not 2"),
        ({"metrics": ["paid_gmv"], "limit": "ten"}, "limit must be a whole number"),
        ({"metrics": ["paid_gmv"], "time_range": {"start": "2025-07-01", "end": "2025-06-01"}},
         "time_range ends (2025-06-01) before it starts (2025-07-01)"),
        ({"metrics": ["paid_gmv"], "compare": "year_over_year"}, "compare=year_over_year needs "
         "a time_range"),
        ({"metrics": ["paid_gmv"], "order_by": [{"name": "units"}]}, "order_by 'units' is not "
         "a metric or dimension of this query"),
        ({"metric": "paid_gmv"}, "unknown field 'metric'"),
        ('{"metrics": ["paid_gmv"', "the arguments are not valid JSON"),
    ],
)  # fmt: skip
def test_invalid_arguments_get_a_precise_error(
    shop: Path, fake_llm: FakeLLM, arguments: Any, error: str
) -> None:
    fake_llm.enqueue_call("semantic_query", arguments)
    fake_llm.enqueue_call("semantic_query", {"metrics": ["paid_orders"]})
    a = answer(workspace(shop, fake_llm), "something", engine="llm")
    assert a.main.rows == [(4,)]
    assert error in fake_llm.tool_results(1)[0]


def test_write_sql_is_the_models_way_out(shop: Path, fake_llm: FakeLLM) -> None:
    sql = "SELECT customer_id, count(*) AS n FROM orders GROUP BY 1 HAVING count(*) > 1 ORDER BY 1"
    fake_llm.enqueue_call(
        "write_sql", {"reason": "a count per customer with a HAVING filter", "sql": sql}
    )
    a = answer(workspace(shop, fake_llm), "customers with more than one order", engine="llm")
    assert (a.engine, a.path) == ("llm", "sql")
    assert a.main.rows == [("jd:2", 2), ("tmall:1", 2)]
    assert a.understood[0] == (
        "path: model-written SQL, through the guard (the model: a count per customer with a "
        "HAVING filter)"
    )
    assert a.to_json()["path"] == "sql" and len(fake_llm.requests) == 1


def test_write_sql_errors_go_back_as_the_tool_result(shop: Path, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue_call("write_sql", {"reason": "r", "sql": "DROP TABLE orders"})
    fake_llm.enqueue_call("write_sql", {"reason": "r", "sql": "SELECT count(*) AS n FROM orders"})
    a = answer(workspace(shop, fake_llm), "orders", engine="llm")
    assert a.path == "sql" and a.main.rows == [(5,)]
    assert "only SELECT queries may run here, not DROP" in fake_llm.tool_results(1)[0]


def test_a_model_that_says_it_needs_sql_is_asked_for_sql(shop: Path, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue("The semantic layer cannot express this; it needs SQL with a window.")
    fake_llm.enqueue("```sql\nSELECT count(DISTINCT customer_id) AS n FROM orders\n```")
    a = answer(workspace(shop, fake_llm), "how many customers", engine="llm")
    assert a.path == "sql" and a.main.rows == [(3,)]
    assert "the model said the semantic layer cannot express it" in a.understood[0]
    assert "tools" not in fake_llm.requests[1]  # the fallback asks for SQL plainly
    assert "```sql" in fake_llm.requests[1]["messages"][0]["content"]


def test_exhausted_semantic_tries_fall_back_to_sql(shop: Path, fake_llm: FakeLLM) -> None:
    for _ in range(2):
        fake_llm.enqueue_call("semantic_query", {"metrics": ["no_such_metric"]})
    fake_llm.enqueue("```sql\nSELECT count(*) AS n FROM orders\n```")
    a = answer(workspace(shop, fake_llm, max_tries=2), "orders", engine="llm")
    assert a.path == "sql" and a.main.rows == [(5,)]
    assert [x.path for x in a.attempts] == ["semantic", "semantic", "sql"]
    assert "rejected 2 times" in a.understood[0]


def test_a_model_that_never_produces_a_valid_query(shop: Path, fake_llm: FakeLLM) -> None:
    fake_llm.responder = lambda body: (
        tool_call("semantic_query", {"metrics": ["ad_spend"]})
        if "tools" in body
        else "```sql\nSELECT ad_spend FROM orders\n```"
    )
    with pytest.raises(LLMFailed) as failed:
        answer(workspace(shop, fake_llm, max_tries=2), "ad spend by day", engine="llm")
    e = failed.value
    assert e.exit_code == 5
    assert e.message == (
        "nothing answered: the model's semantic queries were rejected 2 times, and the model "
        "did not produce SQL that runs after 2 more tries"
    )
    assert e.hint is not None and "try 1 (semantic query):" in e.hint
    assert "unknown metric 'ad_spend'" in e.hint and "try 4: 'SELECT ad_spend" in e.hint
    assert len(fake_llm.requests) == 4 and len(e.attempts) == 4


def test_cli_says_the_path_and_exits_5_when_nothing_runs(shop: Path, fake_llm: FakeLLM) -> None:
    env = {"OPENAI_BASE_URL": fake_llm.url, "OPENAI_API_KEY": "k", "SHOPQL_MODEL": "m"}
    base = ("--workspace", str(shop), "ask", "--engine", "llm", "--today", "2025-06-30")
    fake_llm.enqueue_call("semantic_query", BY_PLATFORM)
    done = cli_in_process(*base, "GMV by platform", "--format", "json", env=env)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert (doc["engine"], doc["path"]) == ("llm", "semantic")
    assert doc["rows"] == [["jd", 350], ["tmall", 200.5]]
    fake_llm.responder = lambda body: (
        tool_call("semantic_query", {"metrics": ["ad_spend"]}) if "tools" in body else "no idea"
    )
    done = cli_in_process(*base, "ad spend", env=env)
    assert done.returncode == 5
    assert "nothing answered" in done.stderr and "Traceback" not in done.stderr


def test_the_schema_is_generated_from_the_catalog(shop: Path, fake_llm: FakeLLM) -> None:
    ws = workspace(shop, fake_llm)
    schema = semantic_schema(ws.catalog)
    props = schema["properties"]
    assert props["metrics"]["items"]["enum"] == sorted(ws.catalog.metrics)
    assert props["dimensions"]["items"]["enum"] == sorted(ws.catalog.dimensions)
    assert "paid_gmv (Paid GMV / 支付金额): Sum of paid_amount" in props["metrics"]["description"]
    assert "is not null" in props["filters"]["items"]["properties"]["op"]["enum"]
    assert props["grain"]["enum"] == ["day", "week", "month", "quarter", "year"]
    assert props["compare"]["enum"] == ["previous_period", "year_over_year"]
    json.dumps(schema)  # plain JSON, as the API takes it
    zh = semantic_schema(ws.catalog, "zh")["properties"]["metrics"]["description"]
    assert "paid_gmv (Paid GMV / 支付金额): 已付款订单" in zh


def test_auto_hands_what_offline_cannot_place_to_the_semantic_tool(
    shop: Path, fake_llm: FakeLLM
) -> None:
    fake_llm.enqueue_call("semantic_query", {"metrics": ["buyers"], "dimensions": ["platform"]})
    a = answer(
        workspace(shop, fake_llm), "how many distinct folks shopped on each storefront, roughly"
    )
    assert (a.engine, a.path) == ("llm", "semantic")
    assert sorted(a.main.rows) == [("jd", 1), ("tmall", 1)]
    assert len(fake_llm.requests) == 1
