"""Funnels defined in the catalog YAML (``funnels:``, any file of the workspace's catalog/):
named lists of steps, each a set of event types, and a window. `shopql funnel` runs them
(insights/funnel.py); `catalog lint` reports a malformed one with its file:line.

    funnels:
      - name: view_to_buy
        label: {en: View to buy, zh: 浏览-加购-购买}
        window: 7d          # 30m, 12h, 7d
        steps:
          - {name: view, events: [view]}
          - {name: cart_or_fav, events: [cart, fav]}
          - {name: buy, events: [buy]}

When the workspace's catalog defines none, the default pack's ``funnels.yaml`` is used.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shopql.catalog.model import Issue, Location, text

WINDOW = re.compile(r"^\s*(\d+)\s*(m|h|d)\s*$")
UNITS = {"m": "minutes", "h": "hours", "d": "days"}
EVENT_TYPES = ("view", "cart", "fav", "buy")


@dataclass
class Step:
    name: str
    events: tuple[str, ...]


@dataclass
class Funnel:
    name: str
    steps: list[Step]
    window: dt.timedelta
    label: dict[str, str] = field(default_factory=dict)
    where: Location | None = None


def load_funnels(catalog_dir: Path | None) -> tuple[dict[str, Funnel], list[Issue]]:
    """The funnels of a workspace's catalog YAML, else of the default pack; issues with file:line."""
    from shopql.catalog.store import catalog_files, default_pack_dir

    issues: list[Issue] = []
    funnels = _read(catalog_files(catalog_dir), issues)
    if not funnels:
        pack = default_pack_dir()
        funnels = _read([(p, f"<default>/{p.name}") for p in sorted(pack.glob("*.yaml"))], issues)
    return funnels, issues


def _read(files: list[tuple[Path, str]], issues: list[Issue]) -> dict[str, Funnel]:
    from shopql.catalog.loader import read_yaml

    out: dict[str, Funnel] = {}
    for path, display in files:
        data = read_yaml(path, issues, display)
        entries = data.get("funnels") if isinstance(data, dict) else None
        if entries is None:
            continue
        if not isinstance(entries, list):
            issues.append(Issue("error", "`funnels` must be a list", Location(display, 0)))
            continue
        for obj in entries:
            funnel = _funnel(obj, display, issues)
            if funnel is not None and funnel.name in out:
                issues.append(
                    Issue(
                        "error",
                        f"funnel {funnel.name} is defined twice",
                        funnel.where or Location(display, 0),
                    )
                )
            elif funnel is not None:
                out[funnel.name] = funnel
    return out


def _funnel(obj: Any, file: str, issues: list[Issue]) -> Funnel | None:
    where = Location(file, getattr(obj, "line", 0))

    def bad(message: str) -> None:
        issues.append(Issue("error", message, where, "shape"))

    if not isinstance(obj, dict) or not str(obj.get("name", "")).isidentifier():
        bad("every funnel needs a `name` (letters, digits, _)")
        return None
    name = str(obj["name"])
    window = parse_window(str(obj.get("window", "7d")))
    if window is None:
        bad(f"funnel {name}: window {obj.get('window')!r} is not like 30m, 12h or 7d")
        return None
    steps = [_step(s, name, bad) for s in obj.get("steps") or []]
    if len(steps) < 2 or None in steps:
        if len(steps) < 2:
            bad(f"funnel {name}: needs at least two steps")
        return None
    return Funnel(name, [s for s in steps if s], window, text(obj.get("label")), where)


def _step(obj: Any, funnel: str, bad: Any) -> Step | None:
    if isinstance(obj, str):
        obj = {"name": obj, "events": [obj]}
    events = obj.get("events") if isinstance(obj, dict) else None
    if isinstance(events, str):
        events = [events]
    if not isinstance(events, list) or not events:
        bad(f"funnel {funnel}: every step needs `events` (a list of event types)")
        return None
    unknown = [e for e in events if e not in EVENT_TYPES]
    if unknown:
        bad(f"funnel {funnel}: unknown event type {unknown[0]!r}, expected {EVENT_TYPES}")
        return None
    return Step(str(obj.get("name") or "+".join(events)), tuple(str(e) for e in events))


def parse_window(value: str) -> dt.timedelta | None:
    """'30m', '12h', '7d' as a timedelta; None when it is not one."""
    m = WINDOW.match(value)
    return dt.timedelta(**{UNITS[m.group(2)]: int(m.group(1))}) if m else None
