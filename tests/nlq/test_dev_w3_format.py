"""Dev set W3 (tests/nlq/dev_w3.yaml, written blind on 2026-12-02): well formed, bilingual, every
dataset and family, and every Olist gold answer a real result. It does not score the engine: engine
helpers run `shopql eval --set tests/nlq/dev_w3.yaml` in their workspaces."""

from __future__ import annotations

from pathlib import Path

from tests.nlq.setcheck import check_mix, check_shape, empty_olist_gold

DEV_W3 = Path(__file__).resolve().parent / "dev_w3.yaml"


def test_dev_w3_is_large_bilingual_and_covers_every_family() -> None:
    cases = check_shape(DEV_W3, 170)
    check_mix(cases, {"olist": 55, "retail": 45, "demo": 55}, (0.05, 0.2))


def test_dev_w3_olist_gold_sql_returns_rows(olist_workspace: Path) -> None:
    assert empty_olist_gold(DEV_W3, olist_workspace) == []
