"""Fixtures of the CLI tests: the full-scale demo workspace (about 180 k behaviour events)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import built_once

DEMO_TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="session")
def full_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`shopql demo` at its default scale, its dates pinned (tests only read it)."""
    from shopql.demo.runner import run_demo

    def build(folder: Path) -> None:
        result = run_demo(folder, seed=42, today=DEMO_TODAY)
        assert not result.report.failed, result.report.failed

    return built_once(tmp_path_factory, "full-demo", build)
