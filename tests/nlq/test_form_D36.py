"""The answer-form check (nlq/form.py, issue 11), session 36: its gaps and two small families.

- Model-written SQL (the LLM path's fallback) is held to the form the question asks, as the
  semantic path is: an answer in another form goes back to the model like a guard error, and
  when no try fits, nothing is shown (exit 5). Tested against the scripted OpenAI-compatible
  server on 127.0.0.1 (never a real LLM).
- The one at the top ("哪个品类销售额最高", "which state bought the most") is a form of its own:
  one row, ties at the top aside.
Values against hand-written SQL; each reading with a look-alike that keeps its answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shopql.config import load_settings
from shopql.nlq import form
from shopql.nlq.answer import answer
from shopql.nlq.llm import LLMFailed
from shopql.nlq.session import Workspace
from tests.nlq.conftest import DEMO_TODAY, FakeLLM

MAY = "o.paid_at >= '2025-05-01' AND o.paid_at < '2025-06-01'"  # 上个月 on the demo
BY_CATEGORY = (
    "SELECT p.category, sum(i.paid_amount) AS gmv FROM order_items i JOIN orders o "
    f"USING (order_id) JOIN products p ON p.product_id = i.product_id WHERE {MAY} "
    "GROUP BY 1 ORDER BY 2 DESC"
)
BY_PLATFORM = (
    f"SELECT o.platform, sum(o.paid_amount) AS gmv FROM orders o WHERE {MAY} GROUP BY 1 ORDER BY 1"
)
TOTAL = f"SELECT sum(o.paid_amount) AS gmv FROM orders o WHERE {MAY}"


def llm_ws(folder: Path, fake: FakeLLM) -> Workspace:
    settings = load_settings(
        folder, {"base_url": fake.url, "api_key": "test-key", "model": "fake-model"}
    )
    return Workspace(settings, today=DEMO_TODAY)


def fenced(sql: str) -> str:
    return f"```sql\n{sql}\n```"


def hand(ws: Workspace, sql: str) -> list[tuple[Any, ...]]:
    return ws.run(sql, None, source="test").rows


# --- model-written SQL: the form asked ------------------------------------------------------------


def test_model_sql_with_every_category_for_the_top_one_goes_back_and_the_fix_is_shown(
    nlq_demo_workspace: Path, fake_llm: FakeLLM
) -> None:
    """'哪个品类销售额最高' answered with every category (was: the list shown as the answer):
    sent back to the model, whose next query (LIMIT 1) is the answer."""
    ws = llm_ws(nlq_demo_workspace, fake_llm)
    everything = hand(ws, BY_CATEGORY)
    assert len(everything) > 5
    fake_llm.enqueue(fenced(BY_CATEGORY))
    fake_llm.enqueue(fenced(BY_CATEGORY + " LIMIT 1"))
    a = answer(ws, "上个月哪个品类销售额最高", engine="llm")
    assert (a.path, a.main.rows) == ("sql", everything[:1])
    assert len(fake_llm.requests) == 2
    repair = fake_llm.last_user_message()
    assert "not in the form the question asks" in repair and f"{len(everything)} 行" in repair
    assert a.attempts[0].error and "form" in a.attempts[0].error


def test_model_sql_split_by_platform_for_one_figure_is_never_shown(
    nlq_demo_workspace: Path, fake_llm: FakeLLM
) -> None:
    """'上个月GMV多少' asks one figure; a model that keeps answering by platform gets no answer
    shown (exit 5, each try's reason listed), not the rows as the answer."""
    ws = llm_ws(nlq_demo_workspace, fake_llm)
    assert len(hand(ws, BY_PLATFORM)) > 1
    fake_llm.responder = lambda body: fenced(BY_PLATFORM)
    with pytest.raises(LLMFailed) as e:
        answer(ws, "上个月GMV多少", engine="llm")
    assert e.value.exit_code == 5
    assert all("一个数" in (t.error or "") for t in e.value.attempts)


@pytest.mark.parametrize(
    ("question", "sql"),
    [
        ("上个月GMV多少", TOTAL),  # one figure, one row: shown
        ("上个月各平台GMV多少", BY_PLATFORM),  # a breakdown asked: its rows shown
        ("上个月天猫和京东哪个卖得最多", BY_PLATFORM),  # two values side by side: both shown
        ("上个月各品类销售额 从高到低", BY_CATEGORY),  # a ranking, not the one at the top
    ],
)
def test_look_alikes_model_sql_in_the_form_asked_is_shown(
    nlq_demo_workspace: Path, fake_llm: FakeLLM, question: str, sql: str
) -> None:
    ws = llm_ws(nlq_demo_workspace, fake_llm)
    fake_llm.enqueue(fenced(sql))
    a = answer(ws, question, engine="llm")
    assert a.main.rows == hand(ws, sql)
    assert len(fake_llm.requests) == 1


# --- the one at the top, read from the words -------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "top_one"),
    [
        ("哪个品类销售额最高", True),
        ("卖得最好的是哪个月", True),
        ("11月哪天最忙", True),
        ("今年营业额最高的是几月份", True),
        ("which state bought the most last month", True),
        ("SP和RJ哪个卖得最多", False),  # two values side by side
        ("最高和最低的是哪个月", False),  # the best and the worst: two rows
        ("哪几个品类卖得最好", False),  # several
        ("每个州卖得最好的是哪个品类", False),  # one per group
        ("今年卖得最多的3个品类", False),  # a top 3 (its own form)
        ("哪个品类的销售额", False),  # no superlative
    ],
)
def test_the_one_at_the_top_asked(question: str, top_one: bool) -> None:
    assert (form.asked_top_one(question) is not None) is top_one


def test_a_tie_at_the_top_is_the_answer() -> None:
    form.check("哪个品类销售额最高", None, ["category", "gmv"], [("a", 5), ("b", 5)])
    with pytest.raises(Exception, match="前 1"):
        form.check("哪个品类销售额最高", None, ["category", "gmv"], [("a", 5), ("b", 4)])
