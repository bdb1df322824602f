"""Probe: what would `--lenient` give where the strict engine refuses for words it cannot place?

For each case of a question set that the offline engine refuses with "could not place …", the
question is answered again with the unplaced words dropped (`answer(..., lenient=True)`) and
scored as `shopql eval` scores it. Session 34 on the dev sets dev_w25–w29 and dev_w28a: 13
correct, 61 wrong, 3 still refused of 77 — the reason refusing is the default.

    python bench/hunts/lenient_probe.py SET.yaml WSROOT OUT.jsonl

WSROOT holds the synced workspaces olist, retail and demo. Each line of OUT: the case id, the
words it could not place, the lenient outcome (correct, wrong, refused), the reason, the question.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from shopql.config import load_settings
from shopql.errors import ShopqlError
from shopql.nlq import eval as ev
from shopql.nlq.answer import answer
from shopql.nlq.reading import without_suggestions
from shopql.nlq.session import Workspace


def _lenient(ws: Any, case: Any, path: Path) -> dict[str, Any] | None:
    """The lenient outcome of a case the strict engine refuses for unplaced words, else None."""
    try:
        with without_suggestions():
            answer(ws, case.question, "offline")
        return None
    except ShopqlError as e:
        found = re.search(r"could not place (.*?) —", e.message)
        if not found:
            return None
        words = found.group(1)
    golds = [ev._gold(ws, case, sql, path) for sql in case.gold_sqls(ws.today)]
    try:
        with without_suggestions():
            got = answer(ws, case.question, "offline", lenient=True)
    except ShopqlError as e:
        return {"id": case.id, "words": words, "outcome": "refused", "reason": e.message[:150]}
    rounded = ev.rounded_places(got.main.sql or "")
    cuts = [ev._cut(s) for s in (got.main.sql or "", *case.gold_sqls(ws.today)) if s]
    ranked = any(n is not None and n < ws.guard_context.row_cap for n in cuts)
    reasons = [ev.same_result(g, (got.main.columns, got.main.rows), rounded, ranked) for g in golds]
    outcome = "correct" if "" in reasons else "wrong"
    return {"id": case.id, "words": words, "outcome": outcome, "reason": reasons[0][:150]}


def main(argv: list[str]) -> int:
    path, root, out_path = Path(argv[0]), Path(argv[1]), Path(argv[2])
    cases = ev.load_golden(path)
    with out_path.open("w", encoding="utf-8") as out:
        for dataset in ("olist", "retail", "demo"):
            settings = load_settings(root / dataset)
            with Workspace(settings) as probe:
                end = ev.data_end(probe)
            for case in (c for c in cases if c.dataset == dataset and not c.expect_refusal):
                with Workspace(settings, today=case.today or end) as ws:
                    record = _lenient(ws, case, path)
                if record is not None:
                    record["q"] = case.question
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
