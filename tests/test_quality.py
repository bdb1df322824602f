"""The code's own checks, run by the README's test command: ruff (format and lint) over the whole
tree, and mypy over the core (warehouse, sync, catalog, nlq, insights, demo, config), as harlequin
runs mypy in its CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE_PACKAGES = ("warehouse", "sync", "catalog", "nlq", "insights", "demo")
CORE_MODULES = ("config", "errors", "health")


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, env=env
    )


def test_ruff_lint_is_clean() -> None:
    done = _run("ruff", "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_is_clean() -> None:
    done = _run("ruff", "format", "--check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_is_clean_on_the_core(tmp_path: Path) -> None:
    """The repository's root is the package `shopql` (package-dir "."): mypy sees it under that
    name through a link, whatever the clone's folder is called."""
    (tmp_path / "shopql").symlink_to(ROOT, target_is_directory=True)
    env = {**os.environ, "MYPYPATH": str(tmp_path)}
    args = ["mypy", "--config-file", str(ROOT / "pyproject.toml")]
    args += ["--cache-dir", str(tmp_path / ".mypy_cache")]
    for package in CORE_PACKAGES:
        args += ["-p", f"shopql.{package}"]
    for module in CORE_MODULES:
        args += ["-m", f"shopql.{module}"]
    done = _run(*args, env=env)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
