"""Shared fixtures: the real datasets in ../shared, workspaces built in tmp paths, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
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
    ws = tmp_path_factory.mktemp("olist") / "ws"
    init_workspace(ws)
    report = run_sync(load_settings(ws), [OLIST])
    assert not report.failed, report.failed
    return ws


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
    root = tmp_path_factory.mktemp("retail")
    sliced = root / "online_retail_slice.csv"
    with (
        gzip.open(RETAIL, "rt", encoding="utf-8", newline="") as src,
        sliced.open("w", encoding="utf-8", newline="") as dst,
    ):
        reader = csv.reader(src)
        writer = csv.writer(dst)
        writer.writerow(next(reader))
        writer.writerows(r for r in reader if zlib.crc32(r[0].encode()) % 6 == 0)
    ws = root / "ws"
    init_workspace(ws)
    report = run_sync(load_settings(ws), [sliced])
    assert not report.failed, report.failed
    return ws
