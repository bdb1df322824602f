"""Fixtures of the CLI tests: the full-scale demo workspace (about 180 k behaviour events)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import FULL_DEMO_TODAY, full_demo_seed42

DEMO_TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="session")
def full_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`shopql demo` at its default scale, its dates pinned (tests only read it)."""
    assert DEMO_TODAY == FULL_DEMO_TODAY
    return full_demo_seed42(tmp_path_factory)
