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


def test_readers_opened_by_several_threads_at_once_all_work(tmp_path: Path) -> None:
    """The board's overview and its Customers tab open readers from two threads at the same
    moment; readers of one file share a DuckDB instance, and setting it up twice raced ("the
    configuration has been locked") until one thread at a time was let in."""
    import threading

    from shopql.warehouse.connection import open_reader
    from shopql.warehouse.workspace import init_workspace

    init_workspace(tmp_path / "ws")
    warehouse = tmp_path / "ws" / "warehouse.duckdb"
    errors: list[str] = []
    counts: list[int] = []

    def read() -> None:
        for _ in range(25):
            try:
                con = open_reader(warehouse)
                try:
                    counts.append(con.execute("SELECT count(*) FROM orders").fetchall()[0][0])
                finally:
                    con.close()
            except Exception as e:  # collected: the assertion below names them
                errors.append(repr(e))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and counts == [0] * 100
