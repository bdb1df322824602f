"""Held-out set 3 (tests/nlq/heldout3.yaml, frozen 2026-12-02, written without seeing the engine):
well formed, bilingual, every dataset and family, and every Olist gold answer a real result. It
never scores the engine: the lead measures with `shopql eval --set tests/nlq/heldout3.yaml`."""

from __future__ import annotations

from pathlib import Path

from tests.nlq.setcheck import check_shape, empty_olist_gold

HELDOUT3 = Path(__file__).resolve().parent / "heldout3.yaml"


def test_heldout3_is_large_bilingual_and_covers_every_family() -> None:
    cases = check_shape(HELDOUT3, 180)
    assert sum(c.dataset == "olist" for c in cases) >= 60
    assert sum(c.dataset == "retail" for c in cases) >= 45
    assert sum(c.dataset == "demo" for c in cases) >= 60
    refusals = sum(c.expect_refusal for c in cases)
    assert 0.05 * len(cases) <= refusals <= 0.2 * len(cases)


def test_heldout3_olist_gold_sql_returns_rows(olist_workspace: Path) -> None:
    assert empty_olist_gold(HELDOUT3, olist_workspace) == []
