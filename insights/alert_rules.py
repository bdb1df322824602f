"""Alert rules: the `alerts.yaml` format of a workspace, parsed into typed rules.

```yaml
rules:
  - name: wechat_pay_down                 # unique
    metric: payment_success_rate          # a catalog metric
    by: payment_channel                   # optional: one incident per dimension value
    where: {platform: [tmall, jd]}        # optional: dimension -> value(s)
    window: 10m                           # 90s, 5m, 1h, 1d
    condition: below 0.5                  # below X | above X | drop 30% | rise 50% | anomaly 3 [low|high]
    min_volume: 15                        # of `volume` (default: a ratio's denominator, else the metric)
    volume: payment_attempts
    severity: critical                    # info | warning | critical
    notify: [terminal, {webhook: "https://…", shape: slack}, {command: "notify-send shopql"}]
  - name: stock_out
    kind: stock                           # stock on hand per seller code (outer_code)
    condition: days_of_cover below 3      # or: on_hand below 1
    min_volume: 20                        # units sold in the last 30 days
```

A stock rule reads the latest inventory snapshot of each seller code at the checked moment
(available = on_hand - reserved over all warehouses) and the units sold in the 30 days before it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from shopql.errors import ConfigError

RULES_FILE = "alerts.yaml"
SEVERITIES = ("info", "warning", "critical")
SHAPES = ("json", "slack", "dingtalk", "feishu")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


@dataclass(frozen=True)
class Condition:
    """When a rule fires: kind threshold|change|anomaly|stock, a direction and a number."""

    kind: str
    direction: str  # below/above (threshold, stock); drop/rise (change); low/high/both (anomaly)
    value: float  # the threshold; the change as a fraction; k of k·MAD
    measure: str = ""  # stock rules: on_hand | days_of_cover

    def describe(self) -> str:
        if self.kind == "change":
            return f"{self.direction} {self.value * 100:g}% vs the previous window"
        if self.kind == "anomaly":
            side = "" if self.direction == "both" else f" ({self.direction} side)"
            return f"outside median ± {self.value:g}·MAD of history{side}"
        prefix = f"{self.measure} " if self.measure else ""
        return f"{prefix}{self.direction} {self.value:g}"


@dataclass(frozen=True)
class Notify:
    """One notification target: terminal, a webhook (JSON body in a shape) or a command."""

    kind: str  # terminal | webhook | command
    target: str = ""
    shape: str = "json"
    secret: str = ""  # DingTalk/Feishu signing secret; "$NAME" reads the environment variable


@dataclass(frozen=True)
class Rule:
    """One alert rule as written in alerts.yaml."""

    name: str
    condition: Condition
    metric: str = ""
    kind: str = "metric"  # metric | stock
    by: str | None = None
    where: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    window: timedelta = timedelta(hours=1)
    min_volume: float = 0.0
    volume: str | None = None
    severity: str = "warning"
    notify: tuple[Notify, ...] = (Notify("terminal"),)
    description: str = ""
    where_defined: str = field(default="", compare=False)  # "alerts.yaml:12" when read from a file

    def to_yaml(self) -> dict[str, Any]:
        """The rule as a mapping for alerts.yaml (only what differs from the defaults)."""
        out: dict[str, Any] = {"name": self.name}
        if self.kind != "metric":
            out["kind"] = self.kind
        if self.metric:
            out["metric"] = self.metric
        if self.by:
            out["by"] = self.by
        if self.where:
            out["where"] = {k: list(v) if len(v) > 1 else v[0] for k, v in self.where.items()}
        if self.kind == "metric":
            out["window"] = format_window(self.window)
        out["condition"] = condition_text(self.condition)
        if self.min_volume:
            out["min_volume"] = self.min_volume
        if self.volume:
            out["volume"] = self.volume
        out["severity"] = self.severity
        out["notify"] = [_notify_yaml(n) for n in self.notify]
        if self.description:
            out["description"] = self.description
        return out


def _notify_yaml(n: Notify) -> Any:
    if n.kind == "terminal":
        return "terminal"
    if n.kind == "webhook":
        out = {"webhook": n.target, "shape": n.shape}
        return {**out, "secret": n.secret} if n.secret else out
    return {"command": n.target}


def parse_window(text: Any) -> timedelta:
    """'90s', '5m', '1h', '1d', '2w' (a bare number is minutes) as a timedelta."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", str(text).lower())
    if not m or float(m.group(1)) <= 0:
        raise ConfigError(f"bad window {text!r}", "write it like 5m, 1h or 1d")
    return timedelta(seconds=float(m.group(1)) * _UNITS[m.group(2) or "m"])


def format_window(window: timedelta) -> str:
    seconds = int(window.total_seconds())
    for unit in ("w", "d", "h", "m"):
        if seconds % _UNITS[unit] == 0:
            return f"{seconds // _UNITS[unit]}{unit}"
    return f"{seconds}s"


def parse_condition(text: Any, kind: str = "metric") -> Condition:
    """'below 0.9', 'above 100', 'drop 30%', 'rise 50%', 'anomaly 3 low'; stock: 'on_hand below 1'."""
    words = str(text).lower().replace("%", " %").split()
    measure = ""
    if kind == "stock":
        if words and words[0] in ("on_hand", "days_of_cover"):
            measure, words = words[0], words[1:]
        else:
            measure = "on_hand"
    try:
        cond = _condition(words)
    except (IndexError, ValueError):
        cond = None
    if cond is None or (kind == "stock" and cond.kind != "threshold"):
        raise ConfigError(
            f"bad condition {text!r}",
            "use 'on_hand below 1' or 'days_of_cover below 3'"
            if kind == "stock"
            else "use 'below 0.9', 'above 100', 'drop 30%', 'rise 50%' or 'anomaly 3 [low|high]'",
        )
    return Condition(cond.kind, cond.direction, cond.value, measure)


def _condition(words: list[str]) -> Condition | None:
    op = words[0]
    if op in ("below", "above", "<", ">"):
        return Condition("threshold", {"<": "below", ">": "above"}.get(op, op), float(words[1]))
    if op in ("drop", "rise", "drops", "rises"):
        value = float(words[1]) / (100 if "%" in words[2:] else 1)
        return Condition("change", op.rstrip("s"), value)
    if op == "anomaly":
        k = float(words[1]) if len(words) > 1 else 3.0
        side = words[2] if len(words) > 2 else "both"
        return Condition("anomaly", side, k) if side in ("low", "high", "both") else None
    return None


def condition_text(c: Condition) -> str:
    prefix = f"{c.measure} " if c.measure else ""
    if c.kind == "change":
        return f"{c.direction} {c.value * 100:g}%"
    if c.kind == "anomaly":
        return f"anomaly {c.value:g}" + ("" if c.direction == "both" else f" {c.direction}")
    return f"{prefix}{c.direction} {c.value:g}"


def parse_rule(raw: Any, where: str = RULES_FILE) -> Rule:
    """One rule mapping from alerts.yaml; ConfigError saying which rule and what is wrong."""
    if not isinstance(raw, dict) or not raw.get("name"):
        raise ConfigError(f"{where}: every rule needs a name", "see `shopql alert add --help`")
    name = str(raw["name"])
    kind = str(raw.get("kind", "metric"))
    if kind not in ("metric", "stock"):
        raise ConfigError(f"rule {name}: unknown kind {kind!r}", "use metric or stock")
    if kind == "metric" and not raw.get("metric"):
        raise ConfigError(f"rule {name}: no metric", "name a catalog metric, e.g. paid_gmv")
    severity = str(raw.get("severity", "warning")).lower()
    if severity not in SEVERITIES:
        raise ConfigError(
            f"rule {name}: unknown severity {severity!r}", "use info, warning or critical"
        )
    return Rule(
        name=name,
        kind=kind,
        metric=str(raw.get("metric") or ""),
        condition=parse_condition(raw.get("condition", ""), kind),
        by=str(raw["by"]) if raw.get("by") else None,
        where=_where(raw.get("where")),
        window=parse_window(raw.get("window", "1h")),
        min_volume=float(raw.get("min_volume") or 0),
        volume=str(raw["volume"]) if raw.get("volume") else None,
        severity=severity,
        notify=tuple(_notify(n, name) for n in raw.get("notify") or ["terminal"]),
        description=str(raw.get("description") or ""),
    )


def _where(raw: Any) -> dict[str, tuple[Any, ...]]:
    if not raw:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError("where: must map dimensions to values", "e.g. where: {platform: tmall}")
    return {str(k): tuple(v) if isinstance(v, list) else (v,) for k, v in raw.items()}


def _notify(raw: Any, rule: str) -> Notify:
    if raw == "terminal":
        return Notify("terminal")
    if isinstance(raw, dict) and raw.get("webhook"):
        shape = str(raw.get("shape", "json")).lower()
        if shape == "lark":
            shape = "feishu"
        if shape not in SHAPES:
            raise ConfigError(
                f"rule {rule}: unknown webhook shape {shape!r}", f"use {', '.join(SHAPES)}"
            )
        return Notify("webhook", str(raw["webhook"]), shape, str(raw.get("secret") or ""))
    if isinstance(raw, dict) and raw.get("command"):
        return Notify("command", str(raw["command"]))
    raise ConfigError(
        f"rule {rule}: bad notify entry {raw!r}",
        "use terminal, {webhook: URL, shape: slack|dingtalk|feishu|json} or {command: CMD}",
    )


def rules_path(workspace: Path) -> Path:
    return Path(workspace) / RULES_FILE


def load_rules(workspace: Path) -> list[Rule]:
    """The rules of a workspace's alerts.yaml (none when the file does not exist).

    Raises:
        ConfigError: bad YAML or a bad rule, the message starting with ``FILE:LINE:``.
    """
    import dataclasses

    path = rules_path(workspace)
    if not path.is_file():
        return []
    data, lines = _read_yaml(path)
    raw_rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(raw_rules, list):
        raise ConfigError(f"{path}:1: no `rules:` list", "see `shopql alert add --help`")
    rules = []
    for i, raw in enumerate(raw_rules):
        where = f"{path}:{lines[i] if i < len(lines) else 1}"
        try:
            rule = parse_rule(raw, where)
        except ConfigError as e:
            message = e.message if e.message.startswith(where) else f"{where}: {e.message}"
            raise ConfigError(message, e.hint) from None
        rules.append(dataclasses.replace(rule, where_defined=where))
    names = [r.name for r in rules]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        first = next(r for r in rules[::-1] if r.name in dupes)
        raise ConfigError(
            f"{first.where_defined}: rule names repeat: {', '.join(dupes)}",
            "give each rule its own name",
        )
    return rules


def _read_yaml(path: Path) -> tuple[Any, list[int]]:
    """The document and the line of each item of its `rules:` list; syntax errors with a line."""
    import yaml

    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ConfigError(f"{path}{line}: {problem}", "fix the YAML syntax") from None
    lines: list[int] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "rules" and isinstance(value, yaml.SequenceNode):
                lines = [item.start_mark.line + 1 for item in value.value]
    return data, lines


def check_names(rules: list[Rule], metrics: Any, dimensions: Any) -> None:
    """Unknown metric or dimension names in rules: ConfigError naming the rule's file and line
    (so `alert check` run by cron exits 2 instead of quietly checking nothing)."""
    import difflib

    for rule in rules:
        if rule.kind != "metric":
            continue
        for name, known, what in [
            (rule.metric, metrics, "metric"),
            (rule.volume, metrics, "metric"),
            (rule.by, dimensions, "dimension"),
            *[(d, dimensions, "dimension") for d in rule.where],
        ]:
            if name and name not in known:
                close = difflib.get_close_matches(name, list(known), n=3)
                hint = (
                    f"did you mean {', '.join(close)}?"
                    if close
                    else f"see `shopql catalog {what}s`"
                )
                where = f"{rule.where_defined}: " if rule.where_defined else ""
                raise ConfigError(f"{where}rule {rule.name}: unknown {what} {name}", hint)


def save_rules(workspace: Path, rules: list[Rule]) -> Path:
    """Write `rules` to the workspace's alerts.yaml (the whole file)."""
    import yaml

    path = rules_path(workspace)
    body = yaml.safe_dump(
        {"rules": [r.to_yaml() for r in rules]}, allow_unicode=True, sort_keys=False
    )
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def add_rule(workspace: Path, rule: Rule, replace: bool = True) -> Path:
    """Add `rule` to alerts.yaml, replacing a rule of the same name when `replace`."""
    rules = load_rules(workspace)
    if any(r.name == rule.name for r in rules) and not replace:
        raise ConfigError(f"a rule named {rule.name} exists", "choose another name")
    rules = [r for r in rules if r.name != rule.name] + [rule]
    return save_rules(workspace, rules)


HEADER = """\
# shopql alert rules, checked by `shopql alert check` and `shopql watch`.
# condition: below X | above X | drop 30% | rise 50% | anomaly K [low|high]
#            (stock rules: on_hand below N | days_of_cover below N)
# window: 5m, 1h, 1d … ; min_volume: samples needed before a rule may fire
"""


DEFAULT_RULES: list[dict[str, Any]] = [
    {
        "name": "payment_channel_down",
        "metric": "payment_success_rate",
        "by": "payment_channel",
        "window": "10m",
        "condition": "below 0.5",
        "min_volume": 15,
        "severity": "critical",
        "description": "A payment channel fails most attempts (an outage at the gateway or bank).",
    },
    {
        "name": "payment_success_drop",
        "metric": "payment_success_rate",
        "by": "payment_channel",
        "window": "15m",
        "condition": "drop 40%",
        "min_volume": 20,
        "severity": "warning",
        "description": "A channel's success rate fell by 40% against the 15 minutes before.",
    },
    {
        "name": "gmv_unusually_low",
        "metric": "paid_gmv",
        "volume": "paid_orders",
        "window": "1d",
        "condition": "anomaly 6 low",
        "min_volume": 20,
        "severity": "warning",
        "description": "Paid GMV of the last 24 hours is far below the same hours of previous weeks.",
    },
    {
        "name": "refund_rate_high",
        "metric": "refund_rate",
        "window": "1d",
        "condition": "above 0.3",
        "min_volume": 20,
        "volume": "paid_orders",
        "severity": "warning",
        "description": "More than 30% of the last day's paid GMV was refunded.",
    },
    {
        "name": "stock_out",
        "kind": "stock",
        "condition": "days_of_cover below 3",
        "min_volume": 20,
        "severity": "critical",
        "description": "A selling product (20+ units in 30 days) has under 3 days of stock left.",
    },
]


def default_rules() -> list[Rule]:
    return [parse_rule(r, "<default rules>") for r in DEFAULT_RULES]


def write_default_rules(workspace: Path) -> Path:
    """Add the default rule pack to the workspace's alerts.yaml (own rules of the same name stay)."""
    existing = load_rules(workspace)
    names = {r.name for r in existing}
    return save_rules(workspace, existing + [r for r in default_rules() if r.name not in names])


def rule_dict(rule: Rule) -> dict[str, Any]:
    """A JSON-friendly description of a rule."""
    out = asdict(rule)
    out["window"] = format_window(rule.window)
    out["condition"] = condition_text(rule.condition)
    out["where"] = {k: list(v) for k, v in rule.where.items()}
    for n in out["notify"]:  # a literal secret is not printed; "$NAME" references are
        if n["secret"] and not n["secret"].startswith("$"):
            n["secret"] = "***"
    return out
