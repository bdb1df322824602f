"""Helper C's Olist dev questions (tests/nlq/dev_olist.yaml: sellers' questions combining a metric,
a period, filters, a breakdown and top-N, some the data cannot answer): the offline engine answers
each correctly or refuses — never a wrong answer."""

from __future__ import annotations

from pathlib import Path

from shopql.config import load_settings
from shopql.nlq.eval import evaluate, load_golden

DEV_SET = Path(__file__).with_name("dev_olist.yaml")
MIN_CORRECT = 104  # of 121 (17 refused, 0 wrong) when written


def test_the_dev_set_is_bilingual_and_large_enough() -> None:
    cases = load_golden(DEV_SET)
    assert len(cases) >= 100
    assert sum(c.lang == "zh" for c in cases) * 2 >= len(cases)
    assert len({c.id for c in cases}) == len(cases)


def test_olist_questions_are_answered_or_refused(olist_workspace: Path) -> None:
    report = evaluate(load_settings(olist_workspace), DEV_SET, ["offline"], "olist")
    wrong = [f"{r.case.id}: {r.reason}" for r in report.results if r.outcome == "wrong"]
    assert wrong == []
    assert report.outcomes("offline")["correct"] >= MIN_CORRECT, [
        f"{r.case.id}: {r.reason}" for r in report.failures()
    ]
