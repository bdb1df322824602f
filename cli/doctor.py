"""`shopql doctor`: check the workspace and say what to do about each problem."""

from __future__ import annotations

import sys

import click

from shopql.cli.output import format_option, print_json, print_table, stderr_console
from shopql.errors import ExitCode


@click.command()
@format_option("table", "json")
@click.pass_context
def doctor(ctx: click.Context, fmt: str) -> None:
    """Check settings, warehouse (lock, schema, OneID up to date), permissions, catalog, alert
    rules and the LLM endpoint; exit 0 when all is fine, 1 otherwise."""
    from shopql.health import diagnose

    obj = ctx.find_root().obj or {}
    checks = diagnose(obj.get("workspace"), {"role": obj.get("role")})
    problems = [c for c in checks if c.status == "problem"]
    if fmt == "json":
        print_json({"ok": not problems, "checks": [c.to_dict() for c in checks]})
    else:
        mark = {"ok": "ok", "problem": "PROBLEM", "skipped": "skipped"}
        rows = [[c.name, mark[c.status], c.detail, c.fix] for c in checks]
        print_table(["check", "status", "found", "what to do"], rows, title="shopql doctor")
        stderr_console().print(
            f"{len(problems)} problem(s)" if problems else "all fine", highlight=False
        )
    if problems:
        sys.exit(int(ExitCode.ERROR))
