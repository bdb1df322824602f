"""Dev set W (tests/nlq/dev_w.yaml): well formed, and every Olist gold answer is a real result.
It does not score the engine: engine helpers run `shopql eval --set tests/nlq/dev_w.yaml`."""

from __future__ import annotations

from pathlib import Path

from tests.nlq.setcheck import check_shape, empty_olist_gold

DEV_W = Path(__file__).resolve().parent / "dev_w.yaml"


def test_dev_w_is_large_bilingual_and_covers_every_family() -> None:
    cases = check_shape(DEV_W, 90)
    assert sum(c.dataset == "olist" for c in cases) >= 35
    assert sum(c.dataset == "retail" for c in cases) >= 18
    assert sum(c.dataset == "demo" for c in cases) >= 28


def test_dev_w_olist_gold_sql_returns_rows(olist_workspace: Path) -> None:
    assert empty_olist_gold(DEV_W, olist_workspace) == []
