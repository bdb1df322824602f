"""Which incidents are open, kept in the workspace's `alerts_state.json` between checks, so a rule
firing every minute for the same channel notifies once, and its recovery is said once.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shopql.insights.alerts import Firing

STATE_FILE = "alerts_state.json"


@dataclass
class Transition:
    """What changed since the last check."""

    new: list[Firing] = field(default_factory=list)  # fired now, not open before: notify
    ongoing: list[Firing] = field(default_factory=list)  # still firing: stay quiet
    recovered: list[dict[str, Any]] = field(default_factory=list)  # open before, quiet now


def state_path(workspace: Path) -> Path:
    return Path(workspace) / STATE_FILE


def load_state(workspace: Path) -> dict[str, dict[str, Any]]:
    """incident -> what is remembered of it; an unreadable file counts as no open incident."""
    path = state_path(workspace)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    open_ = data.get("open") if isinstance(data, dict) else None
    return open_ if isinstance(open_, dict) else {}


def save_state(workspace: Path, open_incidents: dict[str, dict[str, Any]]) -> None:
    """Write atomically (a reader never sees half a file)."""
    path = state_path(workspace)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"open": open_incidents}, ensure_ascii=False, indent=2), "utf-8")
    os.replace(tmp, path)


def reconcile(
    open_incidents: dict[str, dict[str, Any]],
    firings: list[Firing],
    checked_rules: set[str],
    at: str,
) -> tuple[Transition, dict[str, dict[str, Any]]]:
    """Split `firings` into new and ongoing; incidents of `checked_rules` not firing recovered.

    Rules that could not be checked this round (an error) keep their incidents open.
    """
    change = Transition()
    now: dict[str, dict[str, Any]] = {}
    for firing in firings:
        before = open_incidents.get(firing.incident)
        (change.ongoing if before else change.new).append(firing)
        now[firing.incident] = {
            "rule": firing.rule,
            "key": firing.key,
            "severity": firing.severity,
            "since": before["since"] if before else at,
            "last_seen": at,
            "message": firing.message(),
        }
    for incident, info in open_incidents.items():
        if incident in now:
            continue
        if info.get("rule") in checked_rules:
            change.recovered.append({**info, "recovered_at": at})
        else:
            now[incident] = info
    return change, now
