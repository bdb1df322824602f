"""The test run keeps compiled bytecode outside the source tree (tests/conftest.py
pytest_configure): where PYTHONDONTWRITEBYTECODE is set, the run's processes write it under a
temporary PYTHONPYCACHEPREFIX instead of compiling shopql again in every subprocess."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.conftest import ROOT, run_cli


def test_the_run_writes_bytecode_but_never_beside_the_source() -> None:
    assert "PYTHONDONTWRITEBYTECODE" not in os.environ
    prefix = os.environ.get("PYTHONPYCACHEPREFIX")
    if prefix is None:  # the machine writes __pycache__ folders itself: nothing was changed
        return
    assert not sys.dont_write_bytecode
    assert not Path(prefix).resolve().is_relative_to(ROOT.resolve())
    done = run_cli("--help")  # a subprocess finds the kept bytecode of the modules it imports
    assert done.returncode == 0, done.stderr
    kept = {p.name for p in Path(prefix).rglob("*.pyc")}
    assert any(name.startswith("main.") for name in kept), sorted(kept)[:20]
