"""Helper T's dev questions (tests/nlq/dev_t.yaml: periods, empty periods, A vs B, share of one
value, growth rankings, rankings): the offline engine answers each correctly or refuses — never a
wrong answer."""

from __future__ import annotations

from pathlib import Path

from shopql.config import load_settings
from shopql.nlq.eval import evaluate, load_golden

DEV_SET = Path(__file__).with_name("dev_t.yaml")


def test_the_dev_set_is_bilingual_and_large_enough() -> None:
    cases = load_golden(DEV_SET)
    assert len(cases) >= 40
    assert sum(c.lang == "zh" for c in cases) * 2 >= len(cases)
    assert len({c.id for c in cases}) == len(cases)


def _check(workspace: Path, dataset: str, min_correct: int) -> None:
    report = evaluate(load_settings(workspace), DEV_SET, ["offline"], dataset)
    wrong = [f"{r.case.id}: {r.reason}" for r in report.results if r.outcome == "wrong"]
    assert wrong == []
    assert report.outcomes("offline")["correct"] >= min_correct, [
        f"{r.case.id}: {r.reason}" for r in report.failures()
    ]


def test_olist_questions_are_answered_or_refused(olist_workspace: Path) -> None:
    _check(olist_workspace, "olist", 76)  # 79 of 80 (session 5); 1 refused ('pls')


def test_demo_questions_are_answered_or_refused(nlq_demo_workspace: Path) -> None:
    _check(nlq_demo_workspace, "demo", 33)  # 35 of 35 (session 5)
