"""Every third-party module shopql imports is a declared dependency.

The test environment installs the dev extra, which pulls in pyarrow, polars and pyspark: an import
of one of them from the core ran green here and failed on a plain `pip install shopql` (the board's
first tick, "No module named 'pyarrow'"). This reads every import statement of the package and maps
it to its distribution; core code may only import what `[project] dependencies` declares, and an
extra's module only from the file that serves that extra.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# modules that belong to an extra, and the only files allowed to import them (lazily)
OPTIONAL = {"pyspark": {"warehouse/spark.py"}}
NOT_PACKAGE = {".venv", "tests", "bench", "build", ".ci"}


def _declared(names: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", n, maxsplit=1)[0].lower().replace("_", "-") for n in names}


def _imports() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in NOT_PACKAGE or rel.parts[0].startswith("."):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in {"shopql", "__future__"}:
                    continue
                found.setdefault(top, set()).add(rel.as_posix())
    return found


def test_every_third_party_import_is_a_declared_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = _declared(project["dependencies"])
    distributions = md.packages_distributions()
    imports = _imports()
    assert "duckdb" in imports and "sqlglot" in imports  # the walk reads the package
    undeclared = {}
    for module, files in imports.items():
        if module in OPTIONAL:
            outside = files - OPTIONAL[module]
            if outside:
                undeclared[module] = outside
            continue
        dists = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
        if not dists & core:
            undeclared[module] = files
    assert undeclared == {}, f"imported but not in [project] dependencies: {undeclared}"
