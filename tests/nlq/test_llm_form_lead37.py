"""The semantic tool path holds the model to the question's form, as the SQL path does: a
semantic query that runs but answers in another form (every category for "which category sold
most", rows for one figure) goes back to the model with the reason — it was a refusal (exit 5)
with no second chance. Scripted model on 127.0.0.1 (tests/nlq/conftest.FakeLLM)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.llm import LLMFailed
from shopql.nlq.pipeline import arguments_json
from shopql.nlq.session import Workspace
from tests.nlq.conftest import DEMO_TODAY, FakeLLM, tool_call

TOP_CATEGORY = "上个月哪个品类销售额最高"


def llm_ws(folder: Path, fake: FakeLLM) -> Workspace:
    settings = load_settings(
        folder, {"base_url": fake.url, "api_key": "test-key", "model": "fake-model"}
    )
    return Workspace(settings, today=DEMO_TODAY)


def test_a_semantic_query_in_another_form_goes_back_and_the_fix_is_shown(
    nlq_demo_workspace: Path, fake_llm: FakeLLM
) -> None:
    ws = llm_ws(nlq_demo_workspace, fake_llm)
    offline = answer(ws, TOP_CATEGORY, engine="offline")
    # offline: the top one, with the ranking beside it
    assert offline.query is not None and len(offline.main.rows) == 1
    every = json.loads(arguments_json(offline.query))  # every category, ranked
    assert "limit" not in every and len(offline.results[1].rows) == 6
    fake_llm.enqueue_call("semantic_query", every)
    fake_llm.enqueue_call("semantic_query", {**every, "limit": 1})
    a = answer(ws, TOP_CATEGORY, engine="llm")
    assert (a.path, a.main.rows) == ("semantic", offline.main.rows)
    assert a.main.rows[0][0] == "女装"
    assert len(fake_llm.requests) == 2
    repair = fake_llm.tool_results(1)[-1]
    assert (
        "not in the form the question asks" in repair and "limit 1 for the one at the top" in repair
    )
    assert a.attempts[0].error is not None and "前 1 个" in a.attempts[0].error
    assert a.attempts[1].error is None


def test_a_model_that_keeps_the_wrong_form_gets_no_answer_shown(
    nlq_demo_workspace: Path, fake_llm: FakeLLM
) -> None:
    ws = llm_ws(nlq_demo_workspace, fake_llm)
    offline = answer(ws, TOP_CATEGORY, engine="offline")
    assert offline.query is not None
    every = json.loads(arguments_json(offline.query))
    ranking = f"```sql\n{offline.results[1].sql}\n```"  # and asked for SQL only: the same
    fake_llm.responder = lambda body: (
        tool_call("semantic_query", every) if body.get("tools") else ranking
    )
    with pytest.raises(LLMFailed) as e:
        answer(ws, TOP_CATEGORY, engine="llm")
    assert e.value.exit_code == 5
    paths = {t.path for t in e.value.attempts}
    assert paths == {"semantic", "sql"}
    assert all("not in the form" in (t.error or "") for t in e.value.attempts)


def test_look_alike_a_ranking_asked_keeps_every_row(
    nlq_demo_workspace: Path, fake_llm: FakeLLM
) -> None:
    """'各品类销售额 从高到低' asks the whole ranking: the same query is the answer at once."""
    ws = llm_ws(nlq_demo_workspace, fake_llm)
    question = "上个月各品类销售额 从高到低"
    offline = answer(ws, question, engine="offline")
    assert offline.query is not None and offline.query.limit is None
    fake_llm.enqueue_call("semantic_query", arguments_json(offline.query))
    a = answer(ws, question, engine="llm")
    assert a.main.rows == offline.main.rows and len(a.main.rows) > 5
    assert len(fake_llm.requests) == 1
