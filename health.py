"""The workspace's health, as `shopql doctor` reports it: each check says what it found and,
when something is wrong, what to do about it.

Checks: settings (shopql.toml, the user config, the environment), the warehouse (present, who
holds its lock, schema version), derived state (OneID) up to date, file permissions, the
catalog (lint) and whether its default files are this shopql's, alert rules, and the LLM endpoint when one is configured (a short timeout).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from shopql.errors import ShopqlError

LLM_TIMEOUT_S = 3.0


@dataclass
class Check:
    """One finding: status ok | problem | skipped."""

    name: str
    status: str
    detail: str
    fix: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def diagnose(workspace: str | Path | None, overrides: dict[str, Any] | None = None) -> list[Check]:
    """Every check, in order; a failing check never stops the later ones."""
    from shopql.config import find_workspace, load_settings

    try:
        settings = load_settings(workspace, overrides)
    except ShopqlError as e:
        where = find_workspace(workspace)
        return [Check("settings", "problem", e.message, e.hint or ""), *_files_only(where)]
    checks = [Check("settings", "ok", f"{settings.config_path} loads; role {settings.role}")]
    checks.extend(_warehouse(settings))
    checks.append(_permissions(settings.workspace))
    checks.append(_catalog(settings.workspace))
    checks.append(_catalog_pack(settings.workspace))
    checks.append(_alerts(settings))
    checks.append(_llm(settings))
    return checks


def _files_only(workspace: Path) -> list[Check]:
    return [_permissions(workspace)] if workspace.is_dir() else []


def _warehouse(settings: Any) -> list[Check]:
    import duckdb

    from shopql.warehouse.derived import needs_rebuild
    from shopql.warehouse.schema import SCHEMA_VERSION, schema_version

    path = settings.warehouse_path
    if not path.exists():
        return [Check("warehouse", "problem", f"no {path.name}", "run `shopql init` here")]
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as e:
        return [lock_check(str(e), path)]
    try:
        version = schema_version(con)
        stale = needs_rebuild(con) if version else {}
        journal = _journal_check(con) if version else None
    finally:
        con.close()
    checks = [Check("lock", "ok", "no other process holds the warehouse")]
    checks.append(_schema(version, SCHEMA_VERSION))
    if stale:
        why = "; ".join(f"{k}: {v}" for k, v in stale.items())
        checks.append(
            Check(
                "derived state",
                "problem",
                f"out of date ({why}) — an interrupted sync",
                "run `shopql identity build` (any query also rebuilds it first)",
            )
        )
    else:
        checks.append(Check("derived state", "ok", "OneID is up to date"))
    if journal:
        checks.append(journal)
    return checks


def _journal_check(con: Any) -> Check:
    """Lines of the audit journal (.shopql/audit.jsonl) a fold refused as records."""
    from shopql.warehouse.audit import REJECTED

    row = con.execute(
        "SELECT count(*), max(executed_at) FROM _audit WHERE outcome = ?", [REJECTED]
    ).fetchone()
    if not row or not row[0]:
        return Check("audit journal", "ok", "every folded line was a valid record")
    return Check(
        "audit journal",
        "problem",
        f"{row[0]:,} line(s) of .shopql/audit.jsonl were not valid records (last folded "
        f"{row[1]:%Y-%m-%d %H:%M}): kept in _audit with outcome '{REJECTED}', not as queries",
        "someone or something wrote the journal by hand; an admin can read them: shopql sql "
        f"\"select executed_at, question, sql from _audit where outcome = '{REJECTED}'\"",
    )


def lock_check(message: str, path: Path) -> Check:
    """Who holds the warehouse, from DuckDB's lock message (it names the PID on Linux/macOS)."""
    if "lock" not in message.lower():
        return Check(
            "warehouse",
            "problem",
            f"{path.name} cannot be opened: {message.splitlines()[0]}",
            "the file may be damaged: restore it from a backup, or re-sync into a new workspace",
        )
    pid = re.search(r"PID (\d+)", message)
    if not pid:
        return Check(
            "lock", "problem", "another process holds the warehouse", "wait for it to finish"
        )
    command = _command_of(int(pid.group(1)))
    return Check(
        "lock",
        "problem",
        f"held by PID {pid.group(1)}" + (f" ({command})" if command else ""),
        f"wait for it to finish; if it hangs, stop it: kill {pid.group(1)}",
    )


def _command_of(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    words = [w for w in raw.decode(errors="replace").split("\0") if w]
    return " ".join(words)[:120]


def _schema(version: int, current: int) -> Check:
    if version == current:
        return Check("schema", "ok", f"version {version}")
    if version > current:
        return Check(
            "schema",
            "problem",
            f"version {version} is newer than this shopql knows ({current})",
            "upgrade shopql (pip install -U shopql)",
        )
    return Check(
        "schema",
        "problem",
        f"version {version}, this shopql writes {current}",
        "run `shopql identity build` or any sync: the warehouse is upgraded when next written",
    )


def _permissions(workspace: Path) -> Check:
    from shopql.warehouse.workspace import exposed

    shared = exposed(workspace)
    if not shared:
        return Check("permissions", "ok", "only the owner can read the workspace")
    return Check(
        "permissions",
        "problem",
        f"other OS users may read {', '.join(shared)}",
        f"chmod -R go-rwx {workspace}",
    )


def _catalog(workspace: Path) -> Check:
    from shopql.catalog import lint_catalog

    try:
        issues = lint_catalog(workspace)
    except ShopqlError as e:
        return Check("catalog", "problem", e.message, e.hint or "")
    errors = [i for i in issues if i.level == "error"]
    if not errors:
        return Check("catalog", "ok", f"lint: 0 errors, {len(issues)} warning(s)")
    return Check(
        "catalog",
        "problem",
        f"lint: {len(errors)} error(s), first: {errors[0]}",
        "run `shopql catalog lint` and fix what it lists",
    )


def _catalog_pack(workspace: Path) -> Check:
    """Whether the workspace's copy of the default catalog is this shopql's (`catalog upgrade`)."""
    from shopql.catalog.upgrade import ADDED, EDITED, UPGRADED, plan

    if not (workspace / "catalog").is_dir():
        return Check("catalog version", "skipped", "no catalog/ folder (the default pack is used)")
    steps = plan(workspace / "catalog")
    behind = [s.name for s in steps if s.status in (ADDED, UPGRADED)]
    edited = [s.name for s in steps if s.status == EDITED]
    mine = f"; your edits of {', '.join(edited)} differ from this shopql's" if edited else ""
    if behind:
        return Check(
            "catalog version",
            "problem",
            f"{len(behind)} default catalog file(s) older than this shopql's: "
            f"{', '.join(behind)}{mine}",
            "run `shopql catalog upgrade` (files you edited are kept)",
        )
    return Check("catalog version", "ok", f"the default catalog files are this shopql's{mine}")


def _alerts(settings: Any) -> Check:
    from shopql.insights.alert_rules import check_names, load_rules, rules_path

    if not rules_path(settings.workspace).is_file():
        return Check("alerts", "skipped", "no alerts.yaml")
    try:
        rules = load_rules(settings.workspace)
        from shopql.catalog import load_catalog

        catalog = load_catalog(settings.workspace, timezone=settings.timezone)
        check_names(rules, catalog.metrics, catalog.dimensions)
    except ShopqlError as e:
        return Check("alerts", "problem", e.message, e.hint or "")
    return Check("alerts", "ok", f"{len(rules)} rule(s) valid")


def _llm(settings: Any) -> Check:
    llm = settings.llm
    if not llm.configured:
        return Check("llm", "skipped", "no LLM endpoint configured (the offline engine answers)")
    base = (llm.base_url or "https://api.openai.com/v1").rstrip("/")
    problem = probe_endpoint(base, llm.api_key, LLM_TIMEOUT_S)
    if problem is None:
        return Check("llm", "ok", f"{base} answers (model {llm.model})")
    source = settings.sources.get("llm.base_url", "default")
    return Check("llm", "problem", f"{base}: {problem}", f"check llm.base_url / the key ({source})")


def probe_endpoint(base_url: str, api_key: str | None, timeout: float) -> str | None:
    """GET {base_url}/models: None when the endpoint answers and accepts the key."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(f"{base_url}/models", method="GET")
    if api_key:
        request.add_header("Authorization", f"Bearer {api_key}")
    try:
        with urllib.request.urlopen(request, timeout=timeout):
            return None
    except urllib.error.HTTPError as e:
        if e.code in (401, 403):
            return f"the key was refused ({e.code})"
        return None if e.code == 404 else f"answered {e.code}"  # 404: no /models, yet it is up
    except (urllib.error.URLError, OSError, ValueError) as e:
        return f"unreachable ({getattr(e, 'reason', e)})"
