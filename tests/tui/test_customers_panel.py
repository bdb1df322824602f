"""Pilot tests of the board's Customers tab audience overview: RFM segment and lifecycle sizes
from the person tags table when it exists (what to run when it does not), and the cohort
retention heatmap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.tui.shop import build_shop
from tests.tui.test_board import make_app, run_board, settle

pytest.importorskip("textual")

# one_id, rfm segment, lifecycle stage: the table `shopql tags refresh` writes (helper f's slice)
TAGS = [
    ("P1", "重要价值客户", "active"),
    ("P2", "重要价值客户", "at risk"),
    ("P3", "一般挽留客户", None),
]


def _shop(tmp_path_factory: pytest.TempPathFactory, tagged: bool) -> Path:
    from shopql.warehouse.connection import open_writer
    from shopql.warehouse.workspace import init_workspace

    ws = tmp_path_factory.mktemp("audience") / "shop"
    init_workspace(ws)
    build_shop(ws)
    if tagged:
        con = open_writer(ws / "warehouse.duckdb")
        try:
            con.execute("DELETE FROM person_tags")
            con.executemany(
                "INSERT INTO person_tags (one_id, rfm_segment, lifecycle) VALUES (?, ?, ?)", TAGS
            )
        finally:
            con.close()
    return ws


@pytest.fixture(scope="module")
def plain_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _shop(tmp_path_factory, tagged=False)


@pytest.fixture(scope="module")
def tagged_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _shop(tmp_path_factory, tagged=True)


def _open_customers(ws: Path) -> dict[str, Any]:
    from textual.widgets import Static

    from shopql.tui.customers import AudiencePanel

    seen: dict[str, Any] = {}

    async def body(pilot: Any) -> None:
        await pilot.press("f3")
        await settle(pilot)
        panel = pilot.app.query_one(AudiencePanel)
        seen["view"] = panel.view
        texts = [_plain(pilot.app.query_one(f"#{name}", Static).content)
                 for name in ("rfm-sizes", "lifecycle-stages", "cohort-heatmap")]  # fmt: skip
        seen["screen"] = "\n".join(texts)

    run_board(make_app(ws), body, size=(120, 40))
    return seen


def _plain(renderable: Any) -> str:
    """What a tile shows, as text."""
    import io

    from rich.console import Console

    console = Console(width=60, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def _cohorts_by_sql(ws: Path) -> list[tuple[str, int]]:
    import duckdb

    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(
            """SELECT strftime(first, '%Y-%m'), count(*) FROM (
                   SELECT c.one_id, date_trunc('month', min(o.paid_at)) AS first
                   FROM orders o JOIN customers c USING (customer_id)
                   WHERE o.paid_at IS NOT NULL GROUP BY 1) GROUP BY 1 ORDER BY 1"""
        ).fetchall()
    finally:
        con.close()


def test_without_tags_the_tiles_say_what_to_run(plain_shop: Path) -> None:
    seen = _open_customers(plain_shop)
    view = seen["view"]
    assert view is not None and view.rfm is None and view.lifecycle is None
    assert "shopql tags refresh" in seen["screen"]
    cohorts = _cohorts_by_sql(plain_shop)
    assert [(r[0].strftime("%Y-%m"), r[1]) for r in view.cohort_rows] == cohorts
    assert all(r[2] == 1.0 for r in view.cohort_rows)  # period 0: everyone
    for month, _ in cohorts:
        assert month in seen["screen"]


def test_with_tags_segment_and_stage_sizes(tagged_shop: Path) -> None:
    seen = _open_customers(tagged_shop)
    view = seen["view"]
    assert view.rfm == [("重要价值客户", 2), ("一般挽留客户", 1)]
    assert view.lifecycle == [("(none)", 1), ("active", 1), ("at risk", 1)]
    assert "shopql tags refresh" not in seen["screen"]
    assert "Lifecycle stages" in seen["screen"] and "at risk" in seen["screen"]
