"""Dev set W2 (tests/nlq/dev_w2.yaml, written blind on 2026-12-02): well formed, bilingual, every
dataset and family, and every Olist gold answer a real result. It does not score the engine: engine
helpers run `shopql eval --set tests/nlq/dev_w2.yaml` in their workspaces."""

from __future__ import annotations

from pathlib import Path

from tests.nlq.setcheck import check_mix, check_shape, empty_olist_gold

DEV_W2 = Path(__file__).resolve().parent / "dev_w2.yaml"


def test_dev_w2_is_large_bilingual_and_covers_every_family() -> None:
    cases = check_shape(DEV_W2, 140)
    check_mix(cases, {"olist": 50, "retail": 35, "demo": 50}, (0.05, 0.2))


def test_dev_w2_olist_gold_sql_returns_rows(olist_workspace: Path) -> None:
    assert empty_olist_gold(DEV_W2, olist_workspace) == []
