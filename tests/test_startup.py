"""`shopql --help` stays fast: nothing heavy is imported on that path."""

from __future__ import annotations

import subprocess
import sys

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
