"""Helper C's dev questions (tests/nlq/dev_c.yaml: counts, measures, durations, time parts,
ratios; scored by test_dev_sets.py: every one answered correctly): a time breakdown says how many
rows had no time."""

from __future__ import annotations

from pathlib import Path

from shopql.config import load_settings


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
