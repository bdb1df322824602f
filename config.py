"""Workspace settings: one typed place.

Precedence, highest first:

1. command-line flags (``--workspace``, ``--role``, ``--engine`` …), passed in as ``overrides``;
2. environment variables: ``SHOPQL_WORKSPACE``, ``SHOPQL_ROLE``, ``SHOPQL_TIMEZONE``,
   ``SHOPQL_CURRENCY``, ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, ``SHOPQL_MODEL``,
   ``SHOPQL_LLM_MAX_TRIES``;
3. the workspace's ``shopql.toml``;
4. the defaults below.

Workspace discovery: ``--workspace``, else ``$SHOPQL_WORKSPACE``, else the nearest folder upwards
from the current directory holding a ``shopql.toml``, else the current directory (which then has
to be a workspace for commands that need one).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from shopql.errors import ConfigError, WorkspaceError

CONFIG_NAME = "shopql.toml"
WAREHOUSE_NAME = "warehouse.duckdb"

DEFAULT_ROLES: dict[str, dict[str, Any]] = {
    "admin": {"pii": "show"},
    "analyst": {"pii": "mask"},
    "marketer": {"pii": "mask", "export_contacts": True},
}


@dataclass(frozen=True)
class LLMSettings:
    """How to reach an OpenAI-compatible endpoint; empty model means no LLM is configured."""

    base_url: str | None = None
    api_key: str | None = None
    model: str | None = None
    max_tries: int = 3
    timeout_s: float = 60.0
    deadline_s: float = 60.0  # one overall deadline per question: every try, wait and repair

    @property
    def configured(self) -> bool:
        return bool(self.model and (self.base_url or self.api_key))


@dataclass(frozen=True)
class Settings:
    """Everything a command needs to know about its workspace."""

    workspace: Path
    timezone: str = "Asia/Shanghai"
    currency: str = "CNY"
    role: str = "admin"
    roles: dict[str, dict[str, Any]] = field(default_factory=lambda: dict(DEFAULT_ROLES))
    row_cap: int = 10_000
    query_timeout_s: float = 30.0
    identity_max_shared: int = 20
    identity_blocklist: tuple[str, ...] = ()  # extra "type:value" identifiers OneID never joins on
    llm: LLMSettings = field(default_factory=LLMSettings)

    @property
    def warehouse_path(self) -> Path:
        return self.workspace / WAREHOUSE_NAME

    @property
    def config_path(self) -> Path:
        return self.workspace / CONFIG_NAME

    @property
    def catalog_dir(self) -> Path:
        return self.workspace / "catalog"


DEFAULT_TOML = """\
# shopql workspace settings. Precedence: command-line flag > environment > this file > default.
timezone = "Asia/Shanghai"   # shop-local time zone; timestamps with an offset are converted to it
currency = "CNY"             # reporting currency
role = "admin"               # default role for commands (admin | analyst | marketer)
row_cap = 10000              # rows returned at most by one query
query_timeout_s = 30         # a query running longer is interrupted

[identity]
max_shared = 20              # an identifier shared by more accounts than this is junk (e.g. a shop's own phone)
# blocklist = ["phone:0571-88886666", "email:orders@myshop.com"]   # never join accounts on these

[roles.admin]
pii = "show"
[roles.analyst]
pii = "mask"
[roles.marketer]
pii = "mask"
export_contacts = true

[llm]
# Any OpenAI-compatible endpoint (OpenAI, DeepSeek, Qwen, Ollama, vLLM …).
# Environment variables OPENAI_BASE_URL, OPENAI_API_KEY and SHOPQL_MODEL override these.
# base_url = "http://127.0.0.1:11434/v1"
# model = "qwen2.5:7b"
max_tries = 3
deadline_s = 60            # one question gets at most this long with the model, all tries included
"""


def find_workspace(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Path:
    """Return the workspace folder by the discovery rule in this module's docstring."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("SHOPQL_WORKSPACE")
    if env:
        return Path(env).expanduser().resolve()
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return start


def load_settings(
    explicit_workspace: str | os.PathLike[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    require: bool = True,
) -> Settings:
    """Load settings for the discovered workspace; raise WorkspaceError if none and `require`."""
    workspace = find_workspace(explicit_workspace)
    config_file = workspace / CONFIG_NAME
    if require and not config_file.is_file():
        raise WorkspaceError(
            f"no shopql workspace at {workspace}",
            "run `shopql init DIR` to create one, or pass --workspace DIR / set SHOPQL_WORKSPACE",
        )
    data = _read_toml(config_file) if config_file.is_file() else {}
    settings = _from_mapping(workspace, data)
    settings = _apply_env(settings)
    return _apply_overrides(settings, overrides or {})


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: {e}", "fix the syntax of shopql.toml") from e


def _typed(name: str, value: Any, kind: type) -> Any:
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(
            f"shopql.toml: `{name}` must be {kind.__name__}, got {value!r}",
            "fix the value in shopql.toml",
        )
    return value


def _from_mapping(workspace: Path, data: Mapping[str, Any]) -> Settings:
    types = {
        "timezone": str,
        "currency": str,
        "role": str,
        "row_cap": int,
        "query_timeout_s": float,
    }
    known = {f.name for f in fields(Settings)} | {"identity", "llm", "roles"}
    unknown = set(data) - known
    if unknown:
        raise ConfigError(
            f"shopql.toml: unknown setting(s) {', '.join(sorted(unknown))}",
            "remove them or check the spelling",
        )
    kwargs: dict[str, Any] = {k: _typed(k, data[k], t) for k, t in types.items() if k in data}
    if "roles" in data:
        kwargs["roles"] = {**DEFAULT_ROLES, **data["roles"]}
    identity = data.get("identity", {})
    if "max_shared" in identity:
        kwargs["identity_max_shared"] = _typed("identity.max_shared", identity["max_shared"], int)
    if "blocklist" in identity:
        entries = _typed("identity.blocklist", identity["blocklist"], list)
        kwargs["identity_blocklist"] = tuple(_typed("identity.blocklist", e, str) for e in entries)
    llm = data.get("llm", {})
    kwargs["llm"] = LLMSettings(
        base_url=llm.get("base_url"),
        api_key=llm.get("api_key"),
        model=llm.get("model"),
        max_tries=_typed("llm.max_tries", llm.get("max_tries", 3), int),
        timeout_s=_typed("llm.timeout_s", llm.get("timeout_s", 60.0), float),
        deadline_s=_typed("llm.deadline_s", llm.get("deadline_s", 60.0), float),
    )
    return Settings(workspace=workspace, **kwargs)


def _apply_env(s: Settings) -> Settings:
    env = os.environ
    llm = replace(
        s.llm,
        base_url=env.get("OPENAI_BASE_URL") or s.llm.base_url,
        api_key=env.get("OPENAI_API_KEY") or s.llm.api_key,
        model=env.get("SHOPQL_MODEL") or s.llm.model,
        max_tries=int(env.get("SHOPQL_LLM_MAX_TRIES") or s.llm.max_tries),
    )
    return replace(
        s,
        timezone=env.get("SHOPQL_TIMEZONE") or s.timezone,
        currency=env.get("SHOPQL_CURRENCY") or s.currency,
        role=env.get("SHOPQL_ROLE") or s.role,
        llm=llm,
    )


def _apply_overrides(s: Settings, overrides: Mapping[str, Any]) -> Settings:
    given = {k: v for k, v in overrides.items() if v is not None}
    llm_keys = {"base_url", "api_key", "model", "max_tries"}
    llm = replace(s.llm, **{k: v for k, v in given.items() if k in llm_keys})
    rest = {k: v for k, v in given.items() if k not in llm_keys}
    settings = replace(s, llm=llm, **rest)
    if settings.role not in settings.roles:
        raise ConfigError(
            f"unknown role {settings.role!r}",
            f"use one of: {', '.join(sorted(settings.roles))}",
        )
    return settings
