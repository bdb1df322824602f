"""Shared fixtures: the real datasets in ../shared, workspaces built in tmp paths, the CLI."""

from __future__ import annotations

import datetime as dt
import fcntl
import gc
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OLIST = SHARED / "data" / "olist"
SAMPLES = SHARED / "formats" / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests never see the user's real configuration or an LLM endpoint."""
    # the user config folder (platformdirs) points at an empty folder of the test session
    monkeypatch.setenv("SHOPQL_CONFIG_DIR", str(tmp_path_factory.getbasetemp() / "user-config"))
    for name in (
        "SHOPQL_WORKSPACE",
        "SHOPQL_ROLE",
        "SHOPQL_TIMEZONE",
        "SHOPQL_CURRENCY",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "SHOPQL_MODEL",
    ):
        monkeypatch.delenv(name, raising=False)


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run the real `shopql` command in a subprocess; returns the completed process."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("SHOPQL_", "OPENAI_"))}
    full_env["SHOPQL_CONFIG_DIR"] = os.environ["SHOPQL_CONFIG_DIR"]  # never the real user's
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "shopql.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full_env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` (a lock file), held across processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def built_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A private copy of workspace `name`, which `build(folder)` makes once per test run: once
    for every fixture that asks for the same name, and once for all pytest-xdist workers (the
    first builds it under the run's shared temporary folder while the others wait). Copying a
    built warehouse costs a fraction of a second where building it costs a sync; each copy is
    its own, so a test that writes never disturbs another fixture's workspace (nor meets another
    worker's DuckDB file lock)."""
    base = factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    store = shared / "built-once"
    done = store / f"{name}.done"
    with _locked(store / f"{name}.lock"):
        if not done.is_file():
            shutil.rmtree(store / name, ignore_errors=True)
            build(store / name / "ws")
            done.touch()
    copy = factory.mktemp(name) / "ws"
    shutil.copytree(store / name / "ws", copy, symlinks=True)
    return copy


DEMO_SEED7_TODAY = dt.date(2025, 6, 1)


def _build_demo_seed7(folder: Path) -> None:
    from shopql.demo.runner import run_demo

    result = run_demo(folder, seed=7, scale=0.1, today=DEMO_SEED7_TODAY)
    assert not result.report.failed, result.report.failed


def demo_seed7(factory: pytest.TempPathFactory) -> Path:
    """A private copy of the generated demo at seed 7, scale 0.1, its dates pinned to 2025-06-01
    (`shopql demo` through the real connectors): the workspace of the catalog, question, insight
    and security tests, generated once per run."""
    return built_once(factory, "demo-seed7", _build_demo_seed7)


FULL_DEMO_TODAY = dt.date(2026, 12, 1)


def _build_full_demo(folder: Path) -> None:
    from shopql.demo.runner import run_demo

    result = run_demo(folder, seed=42, scale=1.0, today=FULL_DEMO_TODAY)
    assert not result.report.failed, result.report.failed


def full_demo_seed42(factory: pytest.TempPathFactory) -> Path:
    """A private copy of `shopql demo` at its default seed and scale (about 180 k behaviour
    events), its dates pinned to 2026-12-01; its planted facts are in demo_facts.json. The
    workspace of the CLI and alert tests, generated once per run."""
    return built_once(factory, "full-demo", _build_full_demo)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A fresh, empty workspace."""
    from shopql.warehouse.workspace import init_workspace

    ws = tmp_path / "ws"
    init_workspace(ws)
    return ws


@pytest.fixture(scope="session")
def olist_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with the whole real Olist dataset synced once per test session (read-only use)."""
    from shopql.config import load_settings
    from shopql.sync.engine import run_sync
    from shopql.warehouse.workspace import init_workspace

    if not OLIST.is_dir():
        pytest.skip("../shared/data/olist is not beside the repository")

    def build(ws: Path) -> None:
        init_workspace(ws)
        report = run_sync(load_settings(ws), [OLIST])
        assert not report.failed, report.failed

    return built_once(tmp_path_factory, "olist", build)


RETAIL = SHARED / "data" / "online_retail" / "online_retail.csv.gz"


@pytest.fixture(scope="session")
def retail_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with a slice of UCI Online Retail synced once per test session (read-only
    use): every invoice of one in six (whole invoices, by invoice number), all 13 months and the
    countries, cancellations (C invoices) and stock adjustments included."""
    import csv
    import gzip
    import zlib

    from shopql.config import load_settings
    from shopql.sync.engine import run_sync
    from shopql.warehouse.workspace import init_workspace

    if not RETAIL.is_file():
        pytest.skip("../shared/data/online_retail is not beside the repository")

    def build(ws: Path) -> None:
        sliced = ws.parent / "online_retail_slice.csv"
        sliced.parent.mkdir(parents=True, exist_ok=True)
        with (
            gzip.open(RETAIL, "rt", encoding="utf-8", newline="") as src,
            sliced.open("w", encoding="utf-8", newline="") as dst,
        ):
            reader = csv.reader(src)
            writer = csv.writer(dst)
            writer.writerow(next(reader))
            writer.writerows(r for r in reader if zlib.crc32(r[0].encode()) % 6 == 0)
        init_workspace(ws)
        report = run_sync(load_settings(ws), [sliced])
        assert not report.failed, report.failed

    return built_once(tmp_path_factory, "retail-slice", build)


@pytest.fixture(autouse=True, scope="module")
def _collect_readers_left_in_cycles() -> Iterator[None]:
    """Collect garbage between test files. A test that kept a shopql reader in a reference cycle
    (a `pytest.raises` excinfo holds the frame that holds the Workspace) keeps its DuckDB instance
    open until the collector runs; the next file on the same worker that opens the shared
    workspace with another configuration then fails ("different configuration than existing
    connections"), depending on which files the worker ran before it."""
    gc.collect()
    yield
