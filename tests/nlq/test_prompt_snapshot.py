"""The system prompt the LLM receives for a handful of questions on the demo, recorded in
tests/nlq/prompts/ so any change in what the model sees shows up in review.

After an intended change, rewrite the records and review the diff:
    SHOPQL_UPDATE_PROMPTS=1 .venv/bin/python -m pytest tests/nlq/test_prompt_snapshot.py
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Iterator
from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.nlq.context import build_context
from shopql.nlq.eval import prompt_sizes
from shopql.nlq.prompt import estimate_tokens, render_system
from shopql.nlq.session import Workspace
from tests.nlq.conftest import DEMO_TODAY

RECORDS = Path(__file__).resolve().parent / "prompts"
QUESTIONS = {
    "repeat-buyers-platform-zh": "近三个月哪些买家复购了两次以上，他们主要在哪个平台",
    "net-revenue": "What is our net revenue?",
    "top-products-net-last-month": "top 10 products by net sales last month",
    "gmv-platform-last-month-zh": "上个月各平台的销售额",
}
# estimated tokens (nlq.prompt.estimate_tokens) a prompt may reach before it needs trimming
PROMPT_BUDGET = 3000


@pytest.fixture(scope="module")
def ws(nlq_demo_workspace: Path) -> Iterator[Workspace]:
    with Workspace(load_settings(nlq_demo_workspace), today=DEMO_TODAY) as ws:
        yield ws


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_prompt_matches_its_record(ws: Workspace, name: str) -> None:
    ctx, _ = build_context(ws, QUESTIONS[name])
    prompt = render_system(ctx)
    record = RECORDS / f"{name}.txt"
    if os.environ.get("SHOPQL_UPDATE_PROMPTS"):
        record.write_text(prompt + "\n", encoding="utf-8")
    assert prompt + "\n" == record.read_text(encoding="utf-8"), (
        f"the prompt for {name!r} changed: review it, then rewrite the record with "
        "SHOPQL_UPDATE_PROMPTS=1"
    )


def test_prompt_tells_the_truth_about_columns_and_values(ws: Workspace) -> None:
    ctx, _ = build_context(ws, QUESTIONS["repeat-buyers-platform-zh"])
    prompt = render_system(ctx)
    assert "payment_channel VARCHAR — How the order was paid (alipay, wechat, credit_card …)." in (
        prompt
    )
    assert "raw_status" not in prompt  # the canonical status only
    # the "two or more" logic: two orders of one person (an order is one row of orders)
    assert "COUNT(*) >= 2 AS _ok0" in prompt and "orders.one_id AS _entity" in prompt


def test_prompt_size_stays_bounded_on_the_golden_demo_questions(ws: Workspace) -> None:
    sizes = prompt_sizes(ws, "demo")
    assert len(sizes) >= 10
    assert max(sizes) < PROMPT_BUDGET, (statistics.median(sizes), max(sizes))


def test_token_estimate() -> None:
    assert estimate_tokens("abcd" * 10) == 10
    assert estimate_tokens("近三个月") == 4
    assert estimate_tokens("sales 近三个月") == 4 + 2
