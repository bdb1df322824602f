"""Fixtures of the board tests: the small known shop (tests/tui/shop.py) in a workspace."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.shop import build_shop


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace named `shop` holding the small shop; tests only read it."""
    from shopql.warehouse.workspace import init_workspace

    ws = tmp_path_factory.mktemp("board") / "shop"
    init_workspace(ws)
    build_shop(ws)
    return ws
