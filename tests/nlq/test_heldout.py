"""The held-out question set (tests/nlq/heldout.yaml): its shape, its gold SQL, and the three-way
scoring (correct / refused / wrong) that `shopql eval --set heldout` reports."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import sqlglot

from shopql.config import load_settings
from shopql.nlq.eval import HELDOUT_SET, evaluate, load_golden, set_path
from tests.conftest import cli_in_process
from tests.nlq.conftest import FakeLLM
from tests.nlq.setcheck import empty_olist_gold

# The question families of issue 11, each asked at least five ways.
FAMILIES = (
    "count",
    "measure",
    "filter",
    "time_dim",
    "ratio",
    "duration",
    "ranking",
    "set_logic",
    "growth",
    "share",
    "period",
    "product_words",
    "no_data",
)


def test_heldout_set_is_large_bilingual_and_covers_the_families() -> None:
    cases = load_golden(HELDOUT_SET)
    assert len(cases) >= 150
    assert sum(c.lang == "zh" for c in cases) * 2 >= len(cases)
    assert len({c.id for c in cases}) == len(cases)
    assert {c.dataset for c in cases} == {"olist", "retail", "demo"}
    per_family = Counter(c.family for c in cases)
    assert all(per_family[f] >= 5 for f in FAMILIES), per_family
    for case in cases:
        assert case.expect_refusal or case.sql, case.id
        for sql in case.gold_sqls(case.today or dt.date(2026, 12, 1)):
            sqlglot.parse_one(sql, read="duckdb")
    assert set_path("heldout") == HELDOUT_SET


def test_heldout_gold_sql_runs_on_olist(olist_workspace: Path) -> None:
    """Every Olist gold answer is a real, non-empty result (a gold SQL that returns nothing would
    score an engine that answers nothing)."""
    assert not empty_olist_gold(HELDOUT_SET, olist_workspace)


def test_three_way_scoring_with_a_scripted_model(
    nlq_demo_workspace: Path, fake_llm: FakeLLM
) -> None:
    """A model answering every demo question with its gold SQL is correct on each of them and
    wrong on each question the data cannot answer; a model answering nonsense is wrong on all
    answerable ones; an endpoint that fails is 'refused' everywhere but on those it should refuse."""
    from shopql.nlq.eval import data_end
    from shopql.nlq.session import Workspace

    probe = Workspace(load_settings(nlq_demo_workspace))
    try:
        today = data_end(probe)
    finally:
        probe.close()
    cases = [c for c in load_golden(HELDOUT_SET) if c.dataset == "demo"]
    gold = {c.question: c.gold_sqls(today)[0] if c.sql else "SELECT 1" for c in cases}
    refuse = sum(c.expect_refusal for c in cases)
    llm = {"base_url": fake_llm.url, "api_key": "k", "model": "m", "max_tries": 1}
    settings = load_settings(nlq_demo_workspace, llm)

    fake_llm.responder = lambda body: f"```sql\n{gold[body['messages'][-1]['content']]}\n```"
    report = evaluate(settings, HELDOUT_SET, ["llm"], "demo")
    assert report.outcomes("llm") == {
        "correct": len(cases) - refuse,
        "refused": 0,
        "wrong": refuse,
    }

    fake_llm.responder = lambda body: "```sql\nSELECT 42 AS answer\n```"
    report = evaluate(settings, HELDOUT_SET, ["llm"], "demo")
    assert report.outcomes("llm") == {"correct": 0, "refused": 0, "wrong": len(cases)}

    fake_llm.responder = lambda body: "I cannot write SQL for that."
    report = evaluate(settings, HELDOUT_SET, ["llm"], "demo")
    assert report.outcomes("llm") == {
        "correct": refuse,
        "refused": len(cases) - refuse,
        "wrong": 0,
    }


def test_eval_cli_reports_outcomes_per_language(nlq_demo_workspace: Path) -> None:
    done = cli_in_process(
        "--workspace",
        str(nlq_demo_workspace),
        "eval",
        "--set",
        "heldout",
        "--engine",
        "offline",
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    outcomes = report["outcomes"]["offline"]
    demo_cases = [c for c in load_golden(HELDOUT_SET) if c.dataset == "demo"]
    assert sum(outcomes["all"].values()) == len(demo_cases)
    assert outcomes["en"]["correct"] + outcomes["zh"]["correct"] == outcomes["all"]["correct"]
    assert {c["outcome"] for c in report["cases"]} <= {"correct", "refused", "wrong"}
    unknown = cli_in_process("--workspace", str(nlq_demo_workspace), "eval", "--set", "nope")
    assert unknown.returncode == 2
