"""Helper C's dev questions (tests/nlq/dev_c.yaml: counts, measures, durations, time parts,
ratios): the offline engine answers each one correctly or refuses it, never wrongly."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.nlq.eval import SETS_DIR, evaluate, load_golden

DEV = SETS_DIR / "dev_c.yaml"


def test_the_set_is_bilingual_and_large_enough() -> None:
    cases = load_golden(DEV)
    assert len(cases) >= 40
    assert sum(c.lang == "zh" for c in cases) * 2 >= len(cases)
    assert len({c.id for c in cases}) == len(cases)


@pytest.mark.parametrize("dataset", ["olist", "demo"])
def test_no_wrong_answers(dataset: str, olist_workspace: Path, nlq_demo_workspace: Path) -> None:
    ws = olist_workspace if dataset == "olist" else nlq_demo_workspace
    report = evaluate(load_settings(ws), DEV, ["offline"], dataset)
    outcomes = report.outcomes("offline")
    wrong = [f"{r.case.id}: {r.reason}" for r in report.results if r.outcome == "wrong"]
    assert outcomes["wrong"] == 0, wrong
    # written with the engine: every one is answered today (a refusal would not be wrong,
    # but would be a regression worth seeing)
    refused = [r.case.id for r in report.results if r.outcome == "refused"]
    assert outcomes["correct"] == len(report.results), refused


def test_a_time_breakdown_says_how_many_rows_had_no_time(olist_workspace: Path) -> None:
    import datetime as dt

    from shopql.nlq.answer import answer
    from shopql.nlq.session import Workspace

    ws = Workspace(load_settings(olist_workspace), today=dt.date(2018, 9, 1))
    try:
        missing = ws.run("SELECT count(*) FROM reviews WHERE created_at IS NULL", None).rows[0][0]
        for question in ("average review score by day of week", "星期几的平均评分"):
            out = answer(ws, question, engine="offline")
            rows = out.results[0].rows
            assert [r[0] for r in rows] == list(range(1, 8)), question
            assert any(f"{missing} rows without a time" in n for n in out.notes), out.notes
    finally:
        ws.close()
