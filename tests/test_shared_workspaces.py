"""The guard in tests/conftest.py: a test that leaves a connection open to a shared workspace
fails, naming the test that opened it; a test that closes what it opens passes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PREAMBLE = """
import duckdb
import pytest

from shopql.warehouse.workspace import init_workspace
from tests.conftest import shared_workspace, warehouse_reader


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shared") / "ws"
    init_workspace(folder)
    return shared_workspace(folder)
"""

CLEAN = """
@pytest.fixture(scope="module")
def held(ws):
    holder = {}
    yield holder
    holder["con"].close()


def test_a_module_fixture_may_hold_a_reader_its_tests_opened(ws, held):
    held["con"] = warehouse_reader(ws)


def test_closed_in_the_test(ws, held):
    with warehouse_reader(ws) as con:  # the same settings as the reader held: no conflict
        assert con.execute("SELECT count(*) FROM orders").fetchone() == (0,)
"""

KEPT = """
kept = []


def test_keeps_a_reader(ws):
    kept.append(warehouse_reader(ws))


def test_the_next_one(ws):
    pass
"""

CYCLE = """
def test_in_a_cycle(ws):
    loop = {"con": duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)}
    loop["self"] = loop
"""


def run(folder: Path, files: dict[str, str]) -> subprocess.CompletedProcess[str]:
    folder.mkdir()
    for name, body in files.items():
        (folder / name).write_text(PREAMBLE + body, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-c", "/dev/null",
         "--rootdir", str(folder), "-n", "0", "-p", "no:cacheprovider", "-q", str(folder)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_a_test_that_closes_what_it_opens_passes(tmp_path: Path) -> None:
    done = run(tmp_path / "clean", {"test_clean.py": CLEAN})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout


def test_a_leaked_connection_fails_the_test_that_left_it(tmp_path: Path) -> None:
    done = run(tmp_path / "leaky", {"test_a_kept.py": KEPT, "test_b_cycle.py": CYCLE})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "3 passed, 2 errors" in done.stdout, done.stdout
    # kept in a module's list: found when the module ends, naming the test that opened it
    assert "test_a_kept.py::test_the_next_one left a connection" in done.stdout
    assert "opened by test_a_kept.py::test_keeps_a_reader (the test body)" in done.stdout
    # in a reference cycle: closed only when the collector runs, so the test that made it fails
    assert "test_b_cycle.py::test_in_a_cycle left a connection" in done.stdout
    assert "closed only by garbage collection" in done.stdout
