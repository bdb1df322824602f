"""The core never imports the front ends: warehouse, sync, catalog, nlq and insights stay free of
click, rich and textual (checked in a fresh interpreter, as harlequin does)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import shopql

CORE = ("warehouse", "sync", "catalog", "nlq", "insights", "demo")
FRONT_ENDS = ("click", "rich", "textual")


def core_modules() -> list[str]:
    root = Path(shopql.__file__).parent
    names = []
    for package in CORE:
        names.append(f"shopql.{package}")
        for info in pkgutil.walk_packages([str(root / package)], prefix=f"shopql.{package}."):
            names.append(info.name)
    return sorted(names)


def test_core_imports_no_front_end() -> None:
    modules = core_modules()
    assert "shopql.sync.loader" in modules and "shopql.warehouse.guard" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted(m for m in {FRONT_ENDS!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
