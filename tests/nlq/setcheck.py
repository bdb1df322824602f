"""Checks shared by the question-set tests (test_blind_sets.py; heldout.yaml's gold SQL): a
set is well formed, bilingual, covers every dataset and family, and its Olist gold SQL returns rows.
These checks never score an engine."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import sqlglot

from shopql.config import load_settings
from shopql.nlq.eval import Case, load_golden
from shopql.nlq.session import Workspace

# The question families of issue 11 as these sets name them.
FAMILIES = (
    "count",
    "measure",
    "filter",
    "a-vs-b",
    "time-part",
    "ratio",
    "duration",
    "ranking",
    "growth",
    "share",
    "period",
    "people-set",
    "product-words",
    "no-data",
    "trend/breakdown",
)


def check_shape(path: Path, minimum: int, per_family_min: int = 5) -> list[Case]:
    """Assert the set's shape (every family at least `per_family_min` questions); return its
    cases."""
    cases = load_golden(path)
    assert len(cases) >= minimum, len(cases)
    assert len({c.id for c in cases}) == len(cases), "duplicate ids"
    assert len({c.question for c in cases}) == len(cases), "duplicate questions"
    assert sum(c.lang == "zh" for c in cases) * 2 >= len(cases)
    assert {c.dataset for c in cases} == {"olist", "retail", "demo"}
    per_family = Counter(c.family for c in cases)
    assert set(per_family) <= set(FAMILIES), set(per_family) - set(FAMILIES)
    assert all(per_family[f] >= per_family_min for f in FAMILIES), per_family
    for case in cases:
        assert case.expect_refusal != bool(case.sql), case.id
        if case.dataset == "demo":
            assert case.today is None, f"{case.id}: the demo's today must be data_end"
        else:
            assert case.today is not None, case.id
        for sql in case.gold_sqls(case.today or dt.date(2026, 12, 1)):
            sqlglot.parse_one(sql, read="duckdb")
    return cases


def empty_olist_gold(path: Path, olist_workspace: Path, ws: Workspace | None = None) -> list[str]:
    """Ids of Olist cases whose gold SQL (or one of its alt readings) returns no row or NULLs.
    `ws`: an open Workspace of `olist_workspace` to run them on (a module's, kept open for every
    set: its catalog, guard context and reader made once), else one opened for this set. A gold
    SQL another set already ran on this workspace is not run again (~4 % of the sets' Olist
    golds are the same SQL): its verdict is kept."""
    if ws is None:
        with Workspace(load_settings(olist_workspace)) as own:
            return empty_olist_gold(path, olist_workspace, own)
    empty = []
    for case in load_golden(path):
        if case.dataset != "olist" or case.expect_refusal:
            continue
        assert case.today is not None
        for sql in case.gold_sqls(case.today):
            key = (str(olist_workspace), sql)
            if key not in _RETURNS_ROWS:
                result = ws.run(sql, case.question, source="eval")
                _RETURNS_ROWS[key] = bool(result.rows) and any(
                    v is not None for v in result.rows[0]
                )
            if not _RETURNS_ROWS[key]:
                empty.append(case.id)
    ws.flush_audit()
    return empty


# (workspace, gold SQL) -> whether it returned a row with a value, in this process
_RETURNS_ROWS: dict[tuple[str, str], bool] = {}


def check_mix(
    cases: list[Case], minimums: dict[str, int], refusals: tuple[float, float] | None
) -> None:
    """Assert at least `minimums[dataset]` cases per dataset and a must-refuse share within
    `refusals` (low, high) of the set (None: any share)."""
    per_dataset = Counter(c.dataset for c in cases)
    assert all(per_dataset[d] >= n for d, n in minimums.items()), per_dataset
    if refusals is None:
        return
    low, high = refusals
    assert low * len(cases) <= sum(c.expect_refusal for c in cases) <= high * len(cases)
