"""People sets on the LLM path (issue 11 §3): the semantic_query schema offers `population`
(generated from the catalog, kinds described in English and Chinese), the model's set is checked
against the catalog, compiled by catalog/people.py, and a bad set goes back through the repair
loop. Answers are compared with the offline engine and hand SQL on the demo."""

from __future__ import annotations

import json
from pathlib import Path

from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.pipeline import arguments_json
from shopql.nlq.semantic_tool import semantic_schema
from shopql.nlq.session import Workspace
from tests.conftest import cli_in_process, warehouse_reader
from tests.nlq.conftest import DEMO_TODAY, FakeLLM

MULTI = {"metrics": [], "population": {"conditions": [{"kind": "platforms", "n": 2}]}}
HAND_MULTI = (
    "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at IS NOT NULL "
    "AND one_id IS NOT NULL GROUP BY one_id HAVING count(DISTINCT platform) >= 2)"
)


def demo_ws(folder: Path, fake: FakeLLM, **overrides: object) -> Workspace:
    settings = load_settings(
        folder, {"base_url": fake.url, "api_key": "test-key", "model": "fake-model", **overrides}
    )
    return Workspace(settings, today=DEMO_TODAY)


def hand(folder: Path, sql: str) -> list[tuple[object, ...]]:
    with warehouse_reader(folder) as con:
        return con.execute(sql).fetchall()


def test_the_schema_offers_people_sets(nlq_demo_workspace: Path, fake_llm: FakeLLM) -> None:
    ws = demo_ws(nlq_demo_workspace, fake_llm)
    props = semantic_schema(ws.catalog)["properties"]
    people = props["population"]
    condition = people["properties"]["conditions"]["items"]["properties"]
    assert condition["kind"]["enum"] == [
        "bought", "not_bought", "platforms", "orders", "lapsed", "first_order", "returning",
        "sellers", "only", "repeat_within", "refunded", "categories", "orders_exactly", "countries",
        "sellers_exactly", "orders_at_most",
    ]  # fmt: skip
    assert condition["filters"]["items"]["properties"]["dimension"]["enum"] == sorted(
        ws.catalog.dimensions
    )
    assert people["properties"]["output"]["enum"] == ["count", "list"]
    assert "platforms: paid orders on at least n platforms" in people["description"]
    assert "跨平台" in people["description"]  # both languages, the question's first
    zh = semantic_schema(ws.catalog, "zh")["properties"]["population"]["description"]
    assert zh.index("在至少 n 个平台") < zh.index("paid orders on at least n platforms")
    json.dumps(props)


def test_multi_platform_people_same_count_as_offline_and_hand_sql(
    nlq_demo_workspace: Path, fake_llm: FakeLLM
) -> None:
    ws = demo_ws(nlq_demo_workspace, fake_llm)
    question = "customers who bought on more than one platform"
    offline = answer(ws, question, engine="offline")
    fake_llm.enqueue_call("semantic_query", MULTI)
    llm = answer(ws, "how many customers bought on more than one platform", engine="llm")
    (expected,) = hand(nlq_demo_workspace, HAND_MULTI)
    assert expected == (54,)
    assert (llm.engine, llm.path) == ("llm", "semantic")
    # a bare "customers who …" is a count, with who they are beside it
    assert llm.main.rows == [expected] == offline.main.rows
    assert [(len(offline.results[1].rows),)] == [expected]
    assert "people who bought on at least 2 platforms" in llm.understood
    assert llm.query is not None and llm.query.population is not None
    # the offline engine's query, sent as the model's arguments, compiles to the same SQL
    fake_llm.enqueue_call("semantic_query", arguments_json(offline.query))
    again = answer(ws, question, engine="llm")
    assert again.sql == offline.sql and again.main.rows == offline.main.rows


def test_a_metric_over_the_people_and_a_bought_set(
    nlq_demo_workspace: Path, fake_llm: FakeLLM
) -> None:
    ws = demo_ws(nlq_demo_workspace, fake_llm)
    fake_llm.enqueue_call("semantic_query", {**MULTI, "metrics": ["paid_gmv"]})
    gmv = answer(ws, "GMV of multi-platform customers", engine="llm")
    (want,) = hand(
        nlq_demo_workspace,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at IS NOT NULL AND one_id IN (SELECT "
        "one_id FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL GROUP BY one_id "
        "HAVING count(DISTINCT platform) >= 2)",
    )
    assert gmv.main.rows == [want]
    sofa_and_table = {
        "metrics": [],
        "population": {
            "conditions": [
                {"kind": "bought", "filters": [{"dimension": "product_title", "op": "like",
                                                "values": ["%沙发%"]}]},
                {"kind": "bought", "filters": [{"dimension": "product_title", "op": "like",
                                                "values": ["%茶几%"]}]},
            ]
        },
    }  # fmt: skip
    fake_llm.enqueue_call("semantic_query", sofa_and_table)
    both = answer(ws, "customers who bought a sofa and a coffee table", engine="llm")
    (hand_both,) = hand(
        nlq_demo_workspace,
        "SELECT count(*) FROM (SELECT o.one_id FROM orders o JOIN order_items i USING (order_id) "
        "WHERE o.paid_at IS NOT NULL AND o.one_id IS NOT NULL GROUP BY o.one_id HAVING "
        "bool_or(i.title LIKE '%沙发%') AND bool_or(i.title LIKE '%茶几%'))",
    )
    assert both.main.rows == [hand_both] and hand_both[0] > 0


def test_a_bad_people_set_is_repaired(nlq_demo_workspace: Path, fake_llm: FakeLLM) -> None:
    ws = demo_ws(nlq_demo_workspace, fake_llm, max_tries=4)
    fake_llm.enqueue_call(
        "semantic_query",
        {"metrics": [], "population": {"conditions": [{"kind": "multi_platform"}]}},
    )
    fake_llm.enqueue_call(
        "semantic_query", {"metrics": [], "population": {"conditions": [{"kind": "platforms"}]}}
    )
    fake_llm.enqueue_call(
        "semantic_query",
        {"metrics": [], "population": {"conditions": [
            {"kind": "platforms", "n": 2,
             "filters": [{"dimension": "platform", "op": "in", "values": ["天猫", "京东"]}]}]}},
    )  # fmt: skip
    fake_llm.enqueue_call(
        "semantic_query",
        {"metrics": [], "population": {"conditions": [
            {"kind": "platforms", "n": 2,
             "filters": [{"dimension": "platform", "op": "in", "values": ["tmall", "jd"]}]}]}},
    )  # fmt: skip
    a = answer(ws, "天猫和京东都买过的客户有多少", engine="llm")
    results = [fake_llm.tool_results(i) for i in (1, 2, 3)]
    assert "kind 'multi_platform' is not a kind" in results[0][0]
    assert "platforms" in results[0][0]
    assert "platforms needs n" in results[1][-1]
    assert "platform has no value '天猫'" in results[2][-1] and "'tmall'" in results[2][-1]
    (want,) = hand(
        nlq_demo_workspace,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at IS NOT NULL AND one_id "
        "IS NOT NULL AND platform IN ('tmall', 'jd') GROUP BY one_id "
        "HAVING count(DISTINCT platform) >= 2)",
    )
    assert a.path == "semantic" and a.main.rows == [want] and want[0] > 0
    assert "tries: 4" in a.understood


def test_no_metric_and_no_people_is_refused(nlq_demo_workspace: Path, fake_llm: FakeLLM) -> None:
    ws = demo_ws(nlq_demo_workspace, fake_llm)
    fake_llm.enqueue_call("semantic_query", {"metrics": []})
    fake_llm.enqueue_call("semantic_query", MULTI)
    a = answer(ws, "multi-platform people", engine="llm")
    assert "no metric" in fake_llm.tool_results(1)[0]
    assert a.main.rows == [(54,)]


def test_auto_says_the_llm_answered_after_the_offline_refusal(
    nlq_demo_workspace: Path, fake_llm: FakeLLM
) -> None:
    env = {"OPENAI_BASE_URL": fake_llm.url, "OPENAI_API_KEY": "k", "SHOPQL_MODEL": "m"}
    fake_llm.enqueue_call("semantic_query", MULTI)
    done = cli_in_process(
        "--workspace", str(nlq_demo_workspace), "ask", "--engine", "auto", "--today",
        str(DEMO_TODAY), "how many shoppers zigzag between storefronts", "--format", "json",
        env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert (doc["engine"], doc["path"], doc["rows"]) == ("llm", "semantic", [[54]])
    assert doc["understood"][0].startswith("engine: the offline engine did not understand")
    assert doc["understood"][0].endswith("the LLM answered with a semantic query")
    assert len(fake_llm.requests) == 1
