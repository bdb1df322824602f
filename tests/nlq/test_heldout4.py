"""Held-out set 4 (tests/nlq/heldout4.yaml, frozen 2026-12-02, written without seeing the engine):
well formed, bilingual, every dataset and family, and every Olist gold answer a real result. It
never scores the engine: the lead measures with `shopql eval --set tests/nlq/heldout4.yaml`."""

from __future__ import annotations

from pathlib import Path

from tests.nlq.setcheck import check_mix, check_shape, empty_olist_gold

HELDOUT4 = Path(__file__).resolve().parent / "heldout4.yaml"


def test_heldout4_is_large_bilingual_and_covers_every_family() -> None:
    cases = check_shape(HELDOUT4, 190)
    check_mix(cases, {"olist": 65, "retail": 50, "demo": 65}, (0.05, 0.2))


def test_heldout4_olist_gold_sql_returns_rows(olist_workspace: Path) -> None:
    assert empty_olist_gold(HELDOUT4, olist_workspace) == []
