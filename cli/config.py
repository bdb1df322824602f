"""`shopql config`: every effective setting and where it came from."""

from __future__ import annotations

from typing import Any

import click

from shopql.cli.main import settings_from
from shopql.cli.output import format_option, print_json, print_table, stderr_console


@click.command()
@format_option("table", "json")
@click.pass_context
def config(ctx: click.Context, fmt: str) -> None:
    """Every effective setting and its source: flag, env, workspace, user config or default.

    API keys are masked. The user config file (platform config folder, [llm] only) keeps an
    endpoint, model and key out of every workspace.
    """
    from shopql.config import effective, user_config_path

    s = settings_from(ctx, require=False)
    user = user_config_path()
    doc: dict[str, Any] = {
        "workspace": str(s.workspace),
        "workspace_config": str(s.config_path) if s.config_path.is_file() else None,
        "user_config": str(user),
        "user_config_exists": user.is_file(),
        "os_user": s.os_user,
        "max_role": s.max_role,
        "users": s.users,
        "roles": s.roles,
        "settings": [
            {"name": name, "value": value, "source": source} for name, value, source in effective(s)
        ],
    }
    if fmt == "json":
        print_json(doc)
        return
    rows = [[name, _shown(value), source] for name, value, source in effective(s)]
    print_table(["setting", "value", "source"], rows, title="Effective settings", wrap=True)
    err = stderr_console()
    err.print(f"workspace: {doc['workspace_config'] or f'{s.workspace} (no shopql.toml)'}")
    err.print(f"user config: {user}" + ("" if doc["user_config_exists"] else " (not created)"))
    err.print(f"OS user {s.os_user}: at most role {s.max_role} here")


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    return str(value)
