"""A top N tells whether its cut falls inside a tie by reading one row past the cut in the SAME
query (one query per answer, and the row after the cut is the one this ordering put there), on
the small hand-checked shop (tests/nlq/conftest.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace


def _asked(shop: Path, question: str) -> tuple[object, list[dict[str, object]]]:
    journal = shop / ".shopql" / "audit.jsonl"
    journal.unlink(missing_ok=True)
    with Workspace(load_settings(shop), today=dt.date(2025, 6, 30)) as ws:
        got = answer(ws, question, "offline")
    lines = journal.read_text(encoding="utf-8").splitlines()
    return got, [json.loads(line) for line in lines]


def test_the_cut_inside_a_tie_is_read_by_the_same_query(shop: Path) -> None:
    a, audited = _asked(shop, "top 1 province by paid orders")
    assert a.main.rows == [("广东省", 2)]  # ties ordered by name; 浙江省 is second
    assert "the cut at 1 falls inside a tie: 浙江省 also has 2 and is not shown" in a.notes
    assert [(r["outcome"], r["rows"]) for r in audited] == [("ok", 2)]  # one query, two rows
    assert a.sql.rstrip().endswith("LIMIT 2") and str(audited[0]["sql"]).endswith("LIMIT 2")
    assert "the SQL reads row 2 too, only to say whether it ties with row 1 (not shown)" in (
        a.understood
    )


def test_no_tie_at_the_cut_and_fewer_rows_than_asked(shop: Path) -> None:
    b, audited = _asked(shop, "top 2 provinces by paid orders")
    assert len(b.main.rows) == 2 and len(audited) == 1
    assert not any("cut" in n for n in b.notes) and any("ties:" in n for n in b.notes)
    c, audited = _asked(shop, "top 10 provinces by paid orders")
    every = answer_all(shop)
    assert c.main.rows == every and len(audited) == 1
    assert not any("cut" in n for n in c.notes)


def answer_all(shop: Path) -> list[tuple[object, ...]]:
    with Workspace(load_settings(shop), today=dt.date(2025, 6, 30)) as ws:
        return list(answer(ws, "provinces ranked by paid orders", "offline").main.rows)
