"""Helper G's Online Retail dev questions (tests/nlq/dev_retail.yaml: countries, cancellations,
stock codes, products, unit price, quantity, customers, no-data concepts): the offline engine
answers each correctly or refuses — never a wrong answer — on a slice of the real file."""

from __future__ import annotations

from pathlib import Path

from shopql.config import load_settings
from shopql.nlq.eval import evaluate, load_golden

DEV_SET = Path(__file__).with_name("dev_retail.yaml")


def test_the_dev_set_is_bilingual_and_large_enough() -> None:
    cases = load_golden(DEV_SET)
    assert len(cases) >= 45
    assert sum(c.lang == "zh" for c in cases) * 2 >= len(cases)
    assert len({c.id for c in cases}) == len(cases)
    assert {c.dataset for c in cases} == {"retail"}


def test_retail_questions_are_answered_or_refused(retail_workspace: Path) -> None:
    report = evaluate(load_settings(retail_workspace), DEV_SET, ["offline"], "retail")
    wrong = [f"{r.case.id}: {r.reason}" for r in report.results if r.outcome == "wrong"]
    assert wrong == []
    assert report.outcomes("offline")["correct"] >= 34, [
        f"{r.case.id}: {r.reason}" for r in report.failures()
    ]
