"""A writer waits for another process's short hold on the warehouse instead of failing."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from shopql.errors import WorkspaceError
from shopql.warehouse.connection import open_writer


def hold(path: Path, seconds: float) -> subprocess.Popen[str]:
    code = (
        "import duckdb, sys, time\n"
        f"con = duckdb.connect({str(path)!r}, read_only=True)\n"
        "print('held', flush=True)\n"
        f"time.sleep({seconds})\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_writer_waits_for_a_short_read(workspace: Path) -> None:
    path = workspace / "warehouse.duckdb"
    proc = hold(path, 1.5)
    started = time.monotonic()
    con = open_writer(path, wait_s=30)
    waited = time.monotonic() - started
    con.close()
    proc.wait()
    assert proc.returncode == 0 and waited > 0  # it got the file once the reader let go


def test_writer_gives_up_with_one_clear_error(workspace: Path) -> None:
    path = workspace / "warehouse.duckdb"
    proc = hold(path, 5)
    try:
        with pytest.raises(WorkspaceError, match="another shopql process"):
            open_writer(path, wait_s=0.5)
    finally:
        proc.kill()
        proc.wait()
