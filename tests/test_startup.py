"""`shopql --help` stays fast: nothing heavy is imported on that path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ["duckdb", "sqlglot", "textual", "openai", "pandas", "rich", "yaml", "rapidfuzz", "pyspark"]


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from shopql.cli.main import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('HEAVY:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Commands:" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "HEAVY:"


def test_every_listed_command_has_help() -> None:
    import click

    from shopql.cli.main import COMMANDS, cli

    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None and (command.help or "").strip(), name
        assert name in COMMANDS


# what the offline question path never needs: the LLM client, data frames, the terminal UI, the
# YAML reader (the catalog, vocabulary and parses are kept in .shopql once read), the Spark
# backend and the fuzzy matcher (typos are read without it)
NOT_FOR_ASK = ["openai", "pandas", "numpy", "pyarrow", "scipy", "textual", "rich", "yaml",
               "pyspark", "shopql.nlq.llm", "shopql.nlq.semantic_tool", "shopql.warehouse.spark",
               "shopql.catalog.lint", "shopql.catalog.validate"]  # fmt: skip


def test_ask_offline_imports_only_what_it_uses(tmp_path: Path) -> None:
    from shopql.warehouse.workspace import init_workspace
    from tests.nlq.conftest import seed_shop

    ws = tmp_path / "shop"
    init_workspace(ws)
    seed_shop(ws / "warehouse.duckdb")
    argv = ["--workspace", str(ws), "ask", "paid GMV by platform", "--engine", "offline",
            "--today", "2025-06-30", "--format", "json"]  # fmt: skip
    code = (
        "import sys, json\n"
        "from shopql.cli.main import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        f"print('LOADED:' + json.dumps([m for m in {NOT_FOR_ASK!r} if m in sys.modules]))\n"
    )
    for run in range(2):  # the first run builds the caches (and reads YAML); the second uses them
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        answer = json.loads(done.stdout[: done.stdout.rindex("LOADED:")])
        assert sorted(answer["rows"]) == [["jd", 350], ["tmall", 200.5]]
        loaded = json.loads(done.stdout.strip().splitlines()[-1].removeprefix("LOADED:"))
        assert loaded == (
            [] if run else [m for m in loaded if m in ("yaml", "shopql.catalog.validate")]
        )
    assert (ws / ".shopql" / "cache" / "catalog.pickle").is_file()
    assert (ws / ".shopql" / "cache" / "vocabulary.pickle").is_file()
