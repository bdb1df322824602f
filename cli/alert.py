"""`shopql alert add|list|check` and `shopql watch`: thin shells over shopql.insights.alerts."""

from __future__ import annotations

import datetime as dt
import sys
import time
from typing import Any

import click

from shopql.cli.display import markup_safe, printable
from shopql.cli.lake import backend_option
from shopql.cli.main import settings_from
from shopql.cli.output import format_option, print_json, print_table, stderr_console
from shopql.errors import ExitCode

SEVERITY_STYLE = {"critical": "bold red", "warning": "yellow", "info": "cyan"}


def _parse_at(_ctx: Any, _param: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, tuple):
        return tuple(_parse_at(_ctx, _param, v) for v in value)
    try:
        return dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a timestamp; write it like '2026-11-10 20:55'"
        ) from None


@click.group()
def alert() -> None:
    """Alert rules in the workspace's alerts.yaml: add, list, check (exit 4 when one fires)."""


@alert.command("add", short_help="Add (or replace) a rule; --defaults adds the default pack.")
@click.argument("name", required=False)
@click.option("--metric", help="Catalog metric, e.g. payment_success_rate.")
@click.option("--by", help="One incident per value of this dimension, e.g. payment_channel.")
@click.option("--where", "where", multiple=True, help="Filter DIM=VALUE (repeatable).")
@click.option("--window", default="1h", show_default=True, help="5m, 1h, 1d …")
@click.option(
    "--condition", help="below 0.9 | above 100 | drop 30% | rise 50% | anomaly 3 [low|high]"
)
@click.option("--min-volume", type=float, default=0, help="Samples needed before it may fire.")
@click.option("--volume", help="Metric counted for --min-volume (default: a ratio's denominator).")
@click.option("--severity", type=click.Choice(["info", "warning", "critical"]), default="warning")
@click.option("--webhook", help="POST a JSON body to this URL when it fires.")
@click.option("--shape", type=click.Choice(["json", "slack", "dingtalk", "feishu", "lark"]),
              default="json", show_default=True, help="Body shape of --webhook.")  # fmt: skip
@click.option("--command", "command", help="Run this shell command (alert JSON on stdin).")
@click.option("--stock", is_flag=True, help="A stock rule: condition 'days_of_cover below 3' …")
@click.option("--defaults", is_flag=True, help="Add the default rule pack instead.")
@click.pass_context
def add(ctx: click.Context, name: str | None, defaults: bool, **opts: Any) -> None:
    """Add (or replace) a rule: metric, window, condition, severity, notification.

    \b
    shopql alert add wechat_down --metric payment_success_rate --by payment_channel
    --where payment_channel=wechat --window 10m --condition "below 0.5" --min-volume 15
    """
    from shopql.insights.alert_rules import add_rule, load_rules, write_default_rules

    s = settings_from(ctx)
    if defaults:
        path = write_default_rules(s.workspace)
        click.echo(f"{len(load_rules(s.workspace))} rules in {path}", err=True)
        return
    if not name or not opts["condition"] or not (opts["metric"] or opts["stock"]):
        raise click.UsageError("give NAME, --metric (or --stock) and --condition, or --defaults")
    rule = _rule_from(opts, name)
    _check_names(s, rule)
    path = add_rule(s.workspace, rule)
    click.echo(f"rule {rule.name} saved in {path}", err=True)


def _rule_from(opts: dict[str, Any], name: str) -> Any:
    from shopql.insights.alert_rules import parse_rule

    where: dict[str, list[str]] = {}
    for item in opts["where"]:
        dim, sep, value = item.partition("=")
        if not sep or not dim.strip():
            raise click.BadParameter(f"{item!r}: write DIM=VALUE", param_hint="--where")
        where.setdefault(dim.strip(), []).append(value.strip())
    notify: list[Any] = ["terminal"]
    if opts["webhook"] and not opts["webhook"].lower().startswith(("http://", "https://")):
        raise click.BadParameter(
            f"{opts['webhook']!r}: only http:// and https:// URLs are allowed",
            param_hint="--webhook",
        )
    if opts["webhook"]:
        notify.append({"webhook": opts["webhook"], "shape": opts["shape"]})
    if opts["command"]:
        notify.append({"command": opts["command"]})
    raw = {
        "name": name,
        "kind": "stock" if opts["stock"] else "metric",
        "metric": opts["metric"],
        "by": opts["by"],
        "where": where,
        "window": opts["window"],
        "condition": opts["condition"],
        "min_volume": opts["min_volume"],
        "volume": opts["volume"],
        "severity": opts["severity"],
        "notify": notify,
    }
    return parse_rule(raw, "shopql alert add")


def _check_names(settings: Any, *rules: Any) -> None:
    """Unknown metric or dimension names are refused now (exit 2), not at 3 a.m. when the rule
    runs and checks nothing."""
    from shopql.catalog import load_catalog
    from shopql.insights.alert_rules import check_names

    if all(rule.kind != "metric" for rule in rules):
        return
    catalog = load_catalog(settings.workspace, timezone=settings.timezone)
    check_names(list(rules), catalog.metrics, catalog.dimensions)


@alert.command("list")
@format_option("table", "json")
@click.pass_context
def list_rules(ctx: click.Context, fmt: str) -> None:
    """The rules of alerts.yaml."""
    from shopql.insights.alert_rules import condition_text, format_window, load_rules, rule_dict

    rules = load_rules(settings_from(ctx).workspace)
    if fmt == "json":
        print_json({"rules": [rule_dict(r) for r in rules]})
        return
    if not rules:
        click.echo("no rules yet: `shopql alert add --defaults` adds a starter pack", err=True)
        return
    rows = [
        [
            r.name,
            (r.metric + (f" by {r.by}" if r.by else "")) if r.kind == "metric" else "stock",
            format_window(r.window) if r.kind == "metric" else "30d",
            condition_text(r.condition) + (f" (≥{r.min_volume:g})" if r.min_volume else ""),
            r.severity,
        ]
        for r in rules
    ]
    print_table(["rule", "metric", "window", "condition (min volume)", "severity"], rows)


@alert.command("check", short_help="Check every rule once; exit 4 when one fires.")
@click.option("--at", callback=_parse_at, help="Replay a past moment, e.g. '2026-11-10 20:55'.")
@click.option("--rule", "only", multiple=True, help="Check only these rules.")
@click.option("--notify/--no-notify", default=None,
              help="Send webhooks/commands (default: yes, except when replaying with --at).")  # fmt: skip
@format_option("table", "json")
@backend_option
@click.pass_context
def check(
    ctx: click.Context,
    at: dt.datetime | None,
    only: tuple[str, ...],
    notify: bool | None,
    fmt: str,
    backend: str | None,
) -> None:
    """Check every rule once; exit 4 when any fires (so cron can act on it).

    Without --at, incidents already reported by an earlier check are not notified again.
    """
    s = settings_from(ctx, fresh=True, backend=backend)
    rules = _selected(s, only)
    moment = at or _now(s)
    results = _check(s, rules, moment)
    firings = [f for r in results for f in r.firings]
    notify = at is None if notify is None else notify
    if at is None:
        new = _remember(s, results, moment, notify)
    else:
        new = firings
        if notify:
            _notify(new, results)
    if fmt == "json":
        print_json(_document(moment, results, new))
    else:
        _print_results(moment, results)
    if firings:
        # not ctx.exit: the lazy group runs click with standalone_mode=False, which swallows it
        sys.exit(int(ExitCode.ALERT))


def _has_rules(settings: Any) -> bool:
    from shopql.insights.alert_rules import load_rules

    return bool(load_rules(settings.workspace))


def _selected(settings: Any, only: tuple[str, ...]) -> list[Any]:
    from shopql.errors import ConfigError
    from shopql.insights.alert_rules import load_rules

    rules = load_rules(settings.workspace)
    if not rules:
        raise ConfigError(
            "no alert rules in this workspace", "add some: `shopql alert add --defaults`"
        )
    _check_names(settings, *rules)
    if only:
        missing = sorted(set(only) - {r.name for r in rules})
        if missing:
            raise ConfigError(f"no rule named {', '.join(missing)}", "see `shopql alert list`")
        rules = [r for r in rules if r.name in only]
    return rules


def _now(settings: Any) -> dt.datetime:
    from shopql.insights.alerts import now_in

    return now_in(settings.timezone)


def _check(settings: Any, rules: list[Any], at: dt.datetime) -> list[Any]:
    from shopql.cli.lake import spark_runner
    from shopql.insights.alerts import check_workspace

    results = check_workspace(settings, at, rules, runner=spark_runner(settings))
    for r in results:
        if r.error:
            stderr_console().print(
                f"[red]rule {markup_safe(r.rule.name)} could not be checked:[/] "
                f"{markup_safe(r.error)}"
            )
    return results


def _remember(settings: Any, results: list[Any], at: dt.datetime, notify: bool) -> list[Any]:
    """Update alerts_state.json; notify new incidents and recoveries; return the new firings."""
    from shopql.insights.alert_notify import send_recovery
    from shopql.insights.alert_state import load_state, reconcile, save_state

    firings = [f for r in results for f in r.firings]
    checked = {r.rule.name for r in results if not r.error}
    change, open_now = reconcile(
        load_state(settings.workspace), firings, checked, f"{at:%Y-%m-%d %H:%M:%S}"
    )
    save_state(settings.workspace, open_now)
    err = stderr_console()
    for info in change.recovered:
        err.print(
            f"[green]RECOVERED[/] {markup_safe(info['rule'])} {markup_safe(info.get('key') or '')} "
            f"(open since {info['since']})"
        )
    for firing in change.ongoing:
        err.print(
            f"[dim]still firing (already notified):[/] {markup_safe(firing.rule)} "
            f"{markup_safe(firing.key)}"
        )
    if notify:
        _notify(change.new, results)
        targets = {r.rule.name: r.rule.notify for r in results}
        for info in change.recovered:
            for problem in send_recovery(targets.get(info["rule"], ()), info):
                err.print(f"[red]notification failed:[/] {markup_safe(problem)}")
    return change.new


def _notify(firings: list[Any], results: list[Any]) -> None:
    from shopql.insights.alert_notify import send

    targets = {r.rule.name: r.rule.notify for r in results}
    for firing in firings:
        for problem in send(targets.get(firing.rule, ()), firing):
            stderr_console().print(f"[red]notification failed:[/] {markup_safe(problem)}")


def _document(at: dt.datetime, results: list[Any], new: list[Any]) -> dict[str, Any]:
    new_ids = {f.incident for f in new}
    return {
        "at": at.isoformat(sep=" "),
        "firing": [
            {**f.to_dict(), "new": f.incident in new_ids} for r in results for f in r.firings
        ],
        "rules": [
            {
                "name": r.rule.name,
                "checked": r.checked,
                "firing": len(r.firings),
                "note": r.note or None,
                "error": r.error,
            }
            for r in results
        ],
    }


# what a firing's reference value is, by the rule's condition: a fixed threshold is no baseline
BASELINE_LABELS = {
    "threshold": "threshold",
    "stock": "threshold",
    "change": "previous window",
    "anomaly": "expected",
}


def _kind(rule: Any) -> str:
    condition = getattr(rule, "condition", None)
    return str(getattr(condition, "kind", "")) if condition is not None else "stock"


def _print_results(at: dt.datetime, results: list[Any]) -> None:

    from shopql.cli.output import stdout_console
    from shopql.insights.alerts import format_value, format_window_span

    firings = [f for r in results for f in r.firings]
    compared_with = {r.rule.name: BASELINE_LABELS.get(_kind(r.rule), "baseline") for r in results}
    err = stderr_console()
    err.print(f"{len(results)} rules checked at {at:%Y-%m-%d %H:%M:%S}: {len(firings)} firing")
    if not firings:
        return
    out = stdout_console()
    for f in firings:
        style = SEVERITY_STYLE.get(f.severity, "")
        where = markup_safe(f" [{f.key}]") if f.key else ""
        label = f" {markup_safe(f.label)}" if f.label else ""
        out.print(f"[{style}]{f.severity.upper()}[/] [bold]{markup_safe(f.rule)}[/]{where}{label}")
        out.print(
            f"  {f.metric} = {format_value(f.value, f.value_type)}"
            f"  {compared_with.get(f.rule, 'baseline')} {format_value(f.baseline, f.value_type)}"
            f"  window {format_window_span(f.window_start, f.window_end)}"
        )
        out.print(f"  why: {markup_safe(f.reason)}")


@click.command()
@click.option("--sync", "folder", type=click.Path(exists=True, file_okay=False),
              help="Sync new export files dropped into this folder on every round.")  # fmt: skip
@click.option("--every", default="60s", show_default=True, help="Time between rounds (30s, 5m …).")
@click.option("--rounds", type=int, default=0, hidden=True, help="Stop after N rounds (tests).")
@click.option("--at", "ats", multiple=True, callback=_parse_at, hidden=True,
              help="Check these moments instead of now, one per round (tests, replays).")  # fmt: skip
@click.pass_context
def watch(
    ctx: click.Context, folder: str | None, every: str, rounds: int, ats: tuple[dt.datetime, ...]
) -> None:
    """Sync new files from a folder and check the alert rules on every round (Ctrl-C stops).

    An incident is announced once, while it lasts it is not repeated, and its recovery is said.
    """
    from pathlib import Path

    from shopql.insights.alert_rules import parse_window

    s = settings_from(ctx, fresh=True)
    pause = parse_window(every if every[-1:].isalpha() else f"{every}s").total_seconds()
    # with a folder to sync, watching is useful before any rule exists
    rules = _selected(s, ()) if not folder or _has_rules(s) else []
    err = stderr_console()
    err.print(
        f"watching {len(rules)} rules every {every}" + (f", syncing {folder}" if folder else "")
    )
    n = 0
    while True:
        n += 1
        if folder:
            _sync_round(s, Path(folder))
        moment = ats[min(n, len(ats)) - 1] if ats else _now(s)
        _watch_round(s, rules, moment)
        if rounds and n >= rounds:
            return
        time.sleep(pause)


def _watch_round(settings: Any, rules: list[Any], moment: dt.datetime) -> None:
    """Check and report one round; a warehouse busy with another writer is retried next round."""
    from shopql.errors import WorkspaceError

    err = stderr_console()
    try:
        results = _check(settings, rules, moment)
    except WorkspaceError as e:
        if "writing" not in (e.hint or ""):
            raise
        err.print("[yellow]warehouse busy (a sync is writing); checking again next round[/]")
        return
    for firing in _remember(settings, results, moment, notify=True):
        style = SEVERITY_STYLE.get(firing.severity, "")
        click.echo(printable(f"{moment:%Y-%m-%d %H:%M:%S} FIRING {firing.message()}"))
        err.print(
            f"[{style}]▲ new incident[/] {markup_safe(firing.rule)} {markup_safe(firing.key)}"
        )


def _sync_round(settings: Any, folder: Any) -> None:
    from shopql.errors import ShopqlError
    from shopql.sync.engine import run_sync

    try:
        report = run_sync(settings, [folder])
    except ShopqlError as e:  # a busy warehouse or a broken file: say so, try again next round
        stderr_console().print(f"[yellow]sync skipped this round:[/] {markup_safe(e.message)}")
        return
    loaded = [f for f in report.files if f.status == "loaded"]
    if loaded:
        stderr_console().print(f"synced {len(loaded)} new file(s) from {folder}")
