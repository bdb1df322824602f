"""The golden set: the offline engine's accuracy on the Olist data may only go up."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from shopql.config import load_settings
from shopql.nlq.eval import DEFAULT_SET, evaluate, load_golden, same_result
from tests.conftest import run_cli
from tests.nlq.conftest import FakeLLM

# Reached when the set was written: 82/82 on Olist, 28/28 on the demo. The margin allows about
# two misses per language on Olist and one on the demo.
MIN_ACCURACY = {"all": 0.92, "en": 0.92, "zh": 0.92}


def test_golden_set_is_bilingual_and_large_enough() -> None:
    cases = load_golden(DEFAULT_SET)
    assert len(cases) >= 60
    assert sum(c.lang == "zh" for c in cases) * 2 >= len(cases)
    assert len({c.id for c in cases}) == len(cases)


def test_offline_accuracy_on_olist(olist_workspace: Path) -> None:
    done = run_cli(
        "--workspace", str(olist_workspace), "eval", "--engine", "offline", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    accuracy = report["accuracy"]["offline"]
    failing = [f"{c['id']}: {c['reason']}" for c in report["cases"] if not c["passed"]]
    for lang, minimum in MIN_ACCURACY.items():
        assert accuracy[lang] >= minimum, (lang, accuracy, failing)


def test_offline_accuracy_on_the_demo(nlq_demo_workspace: Path) -> None:
    report = evaluate(load_settings(nlq_demo_workspace), DEFAULT_SET, ["offline"], "demo")
    failing = [f"{r.case.id}: {r.reason}" for r in report.failures()]
    passed, total = report.accuracy("offline")
    assert total >= 26
    for lang, minimum in MIN_ACCURACY.items():
        ok, n = report.accuracy("offline", None if lang == "all" else lang)
        assert ok / n >= minimum, (lang, ok, n, failing)


def test_llm_engine_is_scored_by_the_same_harness(
    nlq_demo_workspace: Path, fake_llm: FakeLLM
) -> None:
    """A model that answers each golden question with its golden SQL scores 100%; one that
    answers nonsense scores 0% with the reason recorded."""
    golden = {c.question: c.sql for c in load_golden(DEFAULT_SET) if c.dataset == "demo"}
    fake_llm.responder = lambda body: f"```sql\n{golden[body['messages'][-1]['content']]}\n```"
    llm = {"base_url": fake_llm.url, "api_key": "k", "model": "m", "max_tries": 1}
    report = evaluate(load_settings(nlq_demo_workspace, llm), DEFAULT_SET, ["llm"], "demo")
    assert report.accuracy("llm") == (len(golden), len(golden))
    fake_llm.responder = lambda body: "```sql\nSELECT 42\n```"
    report = evaluate(load_settings(nlq_demo_workspace, llm), DEFAULT_SET, ["llm"], "demo")
    assert report.accuracy("llm") == (0, len(golden))


def test_results_compare_as_sets_of_rows() -> None:
    golden = (["p", "s"], [("SP", Decimal("10.004")), ("RJ", Decimal("5.00"))])
    assert same_result(golden, (["paid_gmv", "province"], [(5, "RJ"), (10.0041, "SP")])) == ""
    assert (
        same_result(golden, (["province", "paid_gmv", "extra"], [("SP", 10, 1), ("RJ", 5, 2)]))
        == ""
    )
    assert "rows" in same_result(golden, (["p", "s"], [("SP", 10)]))
    assert "pair" in same_result(golden, (["p", "s"], [("SP", 5), ("RJ", 10)]))
    assert "no column" in same_result(golden, (["p", "s"], [("SP", 11), ("RJ", 5)]))
    dates = (["d"], [(dt.datetime(2025, 1, 1),)])
    assert same_result(dates, (["month"], [(dt.date(2025, 1, 1),)])) == ""


def test_an_answer_rounded_for_display_matches_the_gold_it_rounds() -> None:
    """4.09 answers an average of 4.086 and a share of 0.0100 answers 0.010011 — but 4.10 does
    not, and rounding to whole numbers never hides a difference."""
    assert same_result((["a"], [(4.0862,)]), (["x"], [(Decimal("4.09"),)])) == ""
    assert same_result((["a"], [(0.010011,), (0.7923371,)]), (["x"], [(0.01,), (0.7923,)])) == ""
    assert "no column" in same_result((["a"], [(4.0862,)]), (["x"], [(Decimal("4.10"),)]))
    # a DECIMAL rounded to 2 places ending in 0 is still rounded to 2 places (0.70 is 0.698)
    assert same_result((["a"], [(0.698,)]), (["x"], [(Decimal("0.70"),)])) == ""
    assert "no column" in same_result((["a"], [(0.698,)]), (["x"], [(Decimal("0.60"),)]))
    assert "no column" in same_result((["a"], [(1175432.12,)]), (["x"], [(1180000,)]))
