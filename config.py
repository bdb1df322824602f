"""Workspace settings: one typed place, validated once, at load, with the file and line.

Precedence, highest first:

1. command-line flags (``--workspace``, ``--role`` …), passed in as ``overrides``;
2. environment variables: ``SHOPQL_WORKSPACE``, ``SHOPQL_ROLE``, ``SHOPQL_TIMEZONE``,
   ``SHOPQL_CURRENCY``, ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, ``SHOPQL_MODEL``,
   ``SHOPQL_LLM_MAX_TRIES``, ``SHOPQL_MEMORY_LIMIT``;
3. the workspace's ``shopql.toml``;
4. the user config file, ``config.toml`` in the platform's config folder (platformdirs:
   ``~/.config/shopql`` on Linux, ``~/Library/Application Support/shopql`` on macOS,
   ``%APPDATA%\\shopql`` on Windows; ``$SHOPQL_CONFIG_DIR`` replaces the folder). It holds only
   the ``[llm]`` table (endpoint, model, key), so a key is not copied into every workspace;
5. the defaults below.

`Settings.sources` says where each effective value came from (``flag``, ``env NAME``,
``workspace FILE:LINE``, ``user FILE:LINE``, ``default``); ``shopql config`` prints it.

Roles: the OS user running shopql has a ceiling role. The workspace owner (the owner of
``shopql.toml``) is ``admin``; other users get the role ``[users]`` maps them to, else
``[users] "*"``, else ``analyst`` (the least privileged built-in role). ``role`` in shopql.toml
is a default that the ceiling caps; ``--role`` and ``SHOPQL_ROLE`` may only lower privileges.

Workspace discovery: ``--workspace``, else ``$SHOPQL_WORKSPACE``, else the nearest folder upwards
from the current directory holding a ``shopql.toml``, else the current directory (which then has
to be a workspace for commands that need one).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shopql.errors import ConfigError, UsageError, WorkspaceError

CONFIG_NAME = "shopql.toml"
WAREHOUSE_NAME = "warehouse.duckdb"
USER_CONFIG_NAME = "config.toml"
UNKNOWN_USER_ROLE = "analyst"  # the role of an OS user [users] does not name

DEFAULT_ROLES: dict[str, dict[str, Any]] = {
    "admin": {"pii": "show"},
    "analyst": {"pii": "mask"},
    "marketer": {"pii": "mask", "export_contacts": True},
}
PII_RANK = {"deny": 0, "mask": 1, "show": 2}


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
class BackendSettings:
    """Which engine runs the queries of metric, sql, ask and alert check ([backend])."""

    name: str = "duckdb"  # duckdb: the warehouse; spark: the lake's Parquet on Spark
    lake: str = "lake"  # the lake folder (relative to the workspace), see `shopql lake export`
    spark_remote: str | None = None  # sc://host:port: a cluster through Spark Connect
    spark_master: str = "local[*]"  # the local session's master when no remote is set


@dataclass(frozen=True)
class Settings:
    """Everything a command needs to know about its workspace."""

    workspace: Path
    timezone: str = "Asia/Shanghai"
    currency: str = "CNY"
    # closed by default: Settings made without a role get an unknown OS user's (load_settings
    # resolves the real one)
    role: str = UNKNOWN_USER_ROLE
    roles: dict[str, dict[str, Any]] = field(default_factory=lambda: dict(DEFAULT_ROLES))
    row_cap: int = 10_000
    query_timeout_s: float = 30.0
    identity_max_shared: int = 20
    identity_blocklist: tuple[str, ...] = ()  # extra "type:value" identifiers OneID never joins on
    memory_limit: str = "3GB"  # DuckDB's memory for sync and identity builds (spills beyond it)
    llm: LLMSettings = field(default_factory=LLMSettings)
    backend: BackendSettings = field(default_factory=BackendSettings)
    os_user: str = ""  # who runs this command
    max_role: str = UNKNOWN_USER_ROLE  # the highest role that OS user may take here
    users: dict[str, str] = field(default_factory=dict)  # [users]: OS user -> role
    # setting -> where its value came from (flag, env NAME, workspace FILE:LINE, user …, default)
    sources: dict[str, str] = field(default_factory=dict, compare=False)

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
# shopql workspace settings. Precedence: command-line flag > environment > this file >
# user config ([llm] only) > default. `shopql config` shows every effective value and its source.
timezone = "Asia/Shanghai"   # shop-local time zone; timestamps with an offset are converted to it
currency = "CNY"             # reporting currency
role = "admin"               # default role for commands (capped by [users]; see below)
row_cap = 10000              # rows returned at most by one query
query_timeout_s = 30         # a query running longer is interrupted
# memory_limit = "3GB"       # DuckDB's memory for sync and identity builds; spills to .shopql/tmp

[identity]
max_shared = 20              # an identifier shared by more accounts than this is junk (e.g. a shop's own phone)
# blocklist = ["phone:0571-88886666", "email:orders@myshop.com"]   # never join accounts on these

[users]
# OS user -> highest role. The owner of this file is admin; anyone else not listed here gets
# "*" (default analyst). --role and SHOPQL_ROLE may only lower privileges.
# alice = "marketer"
# "*" = "analyst"

[roles.admin]
pii = "show"
[roles.analyst]
pii = "mask"
[roles.marketer]
pii = "mask"
export_contacts = true

[llm]
# Any OpenAI-compatible endpoint (OpenAI, DeepSeek, Qwen, Ollama, vLLM …). Better kept once in
# the user config file (see `shopql config`) than in every workspace.
# Environment variables OPENAI_BASE_URL, OPENAI_API_KEY and SHOPQL_MODEL override these.
# base_url = "http://127.0.0.1:11434/v1"
# model = "qwen2.5:7b"
max_tries = 3
deadline_s = 60            # one question gets at most this long with the model, all tries included
"""


# --- what may be set, and how each value is checked ------------------------------------------


def _zone(value: str) -> str | None:
    """None when `value` is a time zone this machine knows (or it knows none to check against)."""
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        if not zoneinfo.available_timezones():
            return None  # no time zone data here: DuckDB's own check will speak at query time
        return "is not a known time zone; write it like Asia/Shanghai, Europe/Berlin or UTC"
    return None


def _at_least(low: float) -> Callable[[Any], str | None]:
    return lambda v: None if v >= low else f"must be at least {low:g}"


def _positive(v: float) -> str | None:
    return None if v > 0 else "must be greater than 0"


def _http_url(v: str) -> str | None:
    return None if re.match(r"https?://", v) else "must be an http:// or https:// URL"


def _nonempty(v: str) -> str | None:
    return None if v.strip() else "must not be empty"


def _memory(v: str) -> str | None:
    ok = re.fullmatch(r"\s*[0-9]+(\.[0-9]+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*", v, re.I)
    return None if ok else "must be an amount of memory such as 3GB or 512MB"


BACKENDS = ("duckdb", "spark")


def _spark_remote(v: str) -> str | None:
    return None if v.startswith("sc://") else "must be a Spark Connect address, sc://host:port"


# dotted name -> (type, default, extra check)
SPEC: dict[str, tuple[type, Any, Callable[[Any], str | None] | None]] = {
    "timezone": (str, "Asia/Shanghai", _zone),
    "currency": (str, "CNY", _nonempty),
    "role": (str, None, None),  # checked against the roles once they are known
    "row_cap": (int, 10_000, _at_least(1)),
    "query_timeout_s": (float, 30.0, _positive),
    "identity.max_shared": (int, 20, _at_least(1)),
    "identity.blocklist": (list, [], None),
    "memory_limit": (str, "3GB", _memory),
    "llm.base_url": (str, None, _http_url),
    "llm.api_key": (str, None, None),
    "llm.model": (str, None, None),
    "llm.max_tries": (int, 3, _at_least(1)),
    "llm.timeout_s": (float, 60.0, _positive),
    "llm.deadline_s": (float, 60.0, _positive),
    "backend.name": (str, "duckdb", lambda v: None if v in BACKENDS else "must be duckdb or spark"),
    "backend.lake": (str, "lake", _nonempty),
    "backend.spark_remote": (str, None, _spark_remote),
    "backend.spark_master": (str, "local[*]", _nonempty),
}
ENV = {
    "SHOPQL_TIMEZONE": "timezone",
    "SHOPQL_CURRENCY": "currency",
    "SHOPQL_ROLE": "role",
    "OPENAI_BASE_URL": "llm.base_url",
    "OPENAI_API_KEY": "llm.api_key",
    "SHOPQL_MODEL": "llm.model",
    "SHOPQL_LLM_MAX_TRIES": "llm.max_tries",
    "SHOPQL_MEMORY_LIMIT": "memory_limit",
    "SHOPQL_BACKEND": "backend.name",
}
FLAG_KEYS = {"base_url": "llm.base_url", "api_key": "llm.api_key", "model": "llm.model"}
FLAG_KEYS |= {"max_tries": "llm.max_tries", "timeout_s": "llm.timeout_s"}
FLAG_KEYS |= {"backend": "backend.name"}
USER_KEYS = {k for k in SPEC if k.startswith("llm.")}
SECRET_KEYS = {"llm.api_key"}


@dataclass(frozen=True)
class Value:
    """One setting's value and where it came from."""

    value: Any
    source: str  # flag | env NAME | workspace FILE:LINE | user FILE:LINE | default


# --- loading ----------------------------------------------------------------------------------


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


def user_config_dir() -> Path:
    """The folder of the user config file: $SHOPQL_CONFIG_DIR, else the platform's own."""
    explicit = os.environ.get("SHOPQL_CONFIG_DIR")
    if explicit:
        return Path(explicit).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("shopql", appauthor=False))


def user_cache_dir() -> Path:
    """The folder of the user's caches (compiled regexes): $SHOPQL_CACHE_DIR, else `cache` in
    $SHOPQL_CONFIG_DIR when that is set (a redirected user folder takes its caches along), else
    the platform's own."""
    explicit = os.environ.get("SHOPQL_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    config = os.environ.get("SHOPQL_CONFIG_DIR")
    if config:
        return Path(config).expanduser() / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("shopql", appauthor=False))


def user_config_path() -> Path:
    return user_config_dir() / USER_CONFIG_NAME


def load_settings(
    explicit_workspace: str | os.PathLike[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    require: bool = True,
) -> Settings:
    """Load and validate the settings of the discovered workspace.

    Raises:
        WorkspaceError: no workspace and `require`.
        ConfigError: a value is malformed or out of range (the message names file and line).
        UsageError: --role or SHOPQL_ROLE asks for more than the OS user may have.
    """
    workspace = find_workspace(explicit_workspace)
    config_file = workspace / CONFIG_NAME
    if require and not config_file.is_file():
        raise WorkspaceError(
            f"no shopql workspace at {workspace}",
            "run `shopql init DIR` to create one, or pass --workspace DIR / set SHOPQL_WORKSPACE",
        )
    values: dict[str, Value] = {k: Value(d, "default") for k, (_, d, _) in SPEC.items()}
    user_file = user_config_path()
    user, user_tables = _file_layer(user_file, "user") if user_file.is_file() else ({}, {})
    _only_llm(user, user_tables)
    values.update(user)
    layer, tables = _file_layer(config_file, "workspace") if config_file.is_file() else ({}, {})
    values.update(layer)
    values.update(_env_layer())
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    values.update({FLAG_KEYS.get(k, k): Value(v, "flag") for k, v in given.items()})
    checked = {k: _checked(k, v) for k, v in values.items()}
    return _settings(workspace, checked, values, tables, config_file)


def _file_layer(path: Path, origin: str) -> tuple[dict[str, Value], dict[str, Any]]:
    """The settings of one TOML file as dotted names with FILE:LINE sources, and its tables
    that are not plain settings ([roles], [users])."""
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: {e}", f"fix the syntax of {path.name}") from e
    lines = toml_lines(text)
    flat: dict[str, Value] = {}
    tables: dict[str, Any] = {k: data.pop(k) for k in ("roles", "users") if k in data}
    for key, value in _flatten(data):
        if key not in SPEC:
            where = f"{path}:{lines.get(key, 1)}"
            raise ConfigError(f"{where}: unknown setting {key}", "remove it or check the spelling")
        flat[key] = Value(value, f"{origin} {path}:{lines.get(key, 1)}")
    for name, table in tables.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}:{lines.get(name, 1)}: `{name}` must be a table")
    return flat, {**tables, "_lines": lines}


def _flatten(data: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and f"{name}." in {k[: len(name) + 1] for k in SPEC}:
            out.extend(_flatten(value, f"{name}."))
        else:
            out.append((name, value))
    return out


def toml_lines(text: str) -> dict[str, int]:
    """Dotted key -> line number of its `key = value` line (tables: of their [header])."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[\[?\s*([^\]]+?)\s*\]", line)
        if header:
            table = ".".join(p.strip().strip("\"'") for p in header.group(1).split("."))
            lines.setdefault(table, number)
            continue
        key = re.match(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""", line)
        if key:
            name = key.group(1).strip("\"'")
            lines.setdefault(f"{table}.{name}" if table else name, number)
    return lines


def _only_llm(layer: dict[str, Value], tables: dict[str, Any]) -> None:
    lines = tables.get("_lines", {})
    path = user_config_path()
    misplaced: list[tuple[str, str]] = [
        (k, f"{path}:{lines.get(k, 1)}") for k in ("roles", "users") if k in tables
    ]
    misplaced += [
        (k, v.source.removeprefix("user ")) for k, v in layer.items() if k not in USER_KEYS
    ]
    if misplaced:
        key, where = misplaced[0]
        raise ConfigError(
            f"{where}: {key} cannot be set in the user config",
            "the user config holds only [llm] settings; put the rest in the workspace's "
            "shopql.toml",
        )


def _env_layer() -> dict[str, Value]:
    out: dict[str, Value] = {}
    for name, key in ENV.items():
        raw = os.environ.get(name)
        if raw:
            kind = SPEC[key][0]
            out[key] = Value(_from_text(raw, kind, f"environment variable {name}"), f"env {name}")
    return out


def _from_text(raw: str, kind: type, where: str) -> Any:
    try:
        return kind(raw.strip()) if kind in (int, float) else raw
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ConfigError(
            f"{where} is {raw!r}, not {what}", f"set it to {what} or unset it"
        ) from None


def _checked(key: str, v: Value) -> Any:
    """The value with its type and range checked; ConfigError naming where it was set."""
    kind, _, check = SPEC[key]
    value = v.value
    if value is None:
        return None
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        _bad(key, v, f"must be {'a whole number' if kind is int else kind.__name__}")
    problem = check(value) if check else None
    if problem:
        _bad(key, v, problem)
    if key == "identity.blocklist" and not all(isinstance(e, str) for e in value):
        _bad(key, v, 'must be a list of "type:value" strings')
    return value


def _bad(key: str, v: Value, problem: str) -> None:
    where = _where(v.source)
    raise ConfigError(f"{where}{key} = {v.value!r} {problem}", _fix_hint(v.source))


def _where(source: str) -> str:
    if source.startswith(("workspace ", "user ")):
        return source.split(" ", 1)[1] + ": "
    if source.startswith("env "):
        return f"environment variable {source[4:]}: "
    return "--" if source == "flag" else ""


def _fix_hint(source: str) -> str:
    if source.startswith("env "):
        return f"fix or unset {source[4:]}"
    if source == "flag":
        return "fix the option's value"
    return "fix the value in that file"


def _settings(
    workspace: Path,
    v: dict[str, Any],
    values: dict[str, Value],
    tables: dict[str, Any],
    config_file: Path,
) -> Settings:
    lines = tables.get("_lines", {})
    roles = _roles(tables.get("roles", {}), config_file, lines)
    users = _users(tables.get("users", {}), roles, config_file, lines)
    os_user, owner = os_identity(config_file if config_file.exists() else workspace)
    ceiling = "admin" if owner else users.get(os_user, users.get("*", UNKNOWN_USER_ROLE))
    role, role_source = _role(values["role"], v["role"], roles, ceiling, os_user)
    sources = {k: values[k].source for k in SPEC}
    sources["role"] = role_source
    return Settings(
        workspace=workspace,
        timezone=v["timezone"],
        currency=v["currency"],
        role=role,
        roles=roles,
        row_cap=v["row_cap"],
        query_timeout_s=v["query_timeout_s"],
        identity_max_shared=v["identity.max_shared"],
        identity_blocklist=tuple(v["identity.blocklist"]),
        memory_limit=v["memory_limit"],
        llm=LLMSettings(
            base_url=v["llm.base_url"],
            api_key=v["llm.api_key"],
            model=v["llm.model"],
            max_tries=v["llm.max_tries"],
            timeout_s=v["llm.timeout_s"],
            deadline_s=v["llm.deadline_s"],
        ),
        backend=BackendSettings(
            name=v["backend.name"],
            lake=v["backend.lake"],
            spark_remote=v["backend.spark_remote"],
            spark_master=v["backend.spark_master"],
        ),
        os_user=os_user,
        max_role=ceiling,
        users=users,
        sources=sources,
    )


def _roles(raw: Mapping[str, Any], path: Path, lines: dict[str, int]) -> dict[str, dict[str, Any]]:
    roles = {**DEFAULT_ROLES, **raw}
    for name, role in raw.items():
        where = f"{path}:{lines.get(f'roles.{name}', 1)}"
        if not isinstance(role, dict):
            raise ConfigError(f"{where}: [roles.{name}] must be a table", 'e.g. pii = "mask"')
        if str(role.get("pii", "mask")) not in PII_RANK:
            raise ConfigError(
                f"{where}: roles.{name}.pii = {role.get('pii')!r} is not show, mask or deny",
                "fix the value in that file",
            )
    return roles


def _users(
    raw: Mapping[str, Any], roles: Mapping[str, Any], path: Path, lines: dict[str, int]
) -> dict[str, str]:
    for user, role in raw.items():
        if role not in roles:
            raise ConfigError(
                f"{path}:{lines.get(f'users.{user}', 1)}: users.{user} = {role!r} is not a role",
                f"use one of: {', '.join(sorted(roles))}",
            )
    return {str(k): str(v) for k, v in raw.items()}


def os_identity(owned: Path) -> tuple[str, bool]:
    """The OS user running this process (from the process's uid, not $USER, which anyone can
    set), and whether it owns `owned` (the workspace's shopql.toml)."""
    if not hasattr(os, "geteuid"):  # no uids (Windows): the account's own files, its own rules
        import getpass

        return getpass.getuser(), True
    import pwd

    uid = os.geteuid()
    try:
        name = pwd.getpwuid(uid).pw_name
    except KeyError:
        name = str(uid)
    try:
        owner = owned.stat().st_uid == uid
    except OSError:
        owner = True  # nothing there yet: whoever creates it owns it
    return name, owner


def _role(
    requested: Value, value: str | None, roles: Mapping[str, Any], ceiling: str, user: str
) -> tuple[str, str]:
    """The effective role and where it came from: a flag or env may only lower privileges; the
    workspace default is capped by the ceiling."""
    if value is None:
        return ceiling, f"default (highest role of OS user {user})"
    if value not in roles:
        raise ConfigError(
            f"{_where(requested.source)}unknown role {value!r}",
            f"use one of: {', '.join(sorted(roles))}",
        )
    if role_at_most(value, ceiling, roles):
        return value, requested.source
    if requested.source.startswith("workspace "):
        return ceiling, f"{requested.source}, capped to {ceiling} for OS user {user}"
    raise UsageError(
        f"role {value} is above what OS user {user} may use in this workspace ({ceiling})",
        "--role and SHOPQL_ROLE may only lower privileges; the workspace owner grants more in "
        "[users] of shopql.toml",
    )


def role_at_most(role: str, ceiling: str, roles: Mapping[str, Mapping[str, Any]]) -> bool:
    """Whether `role` grants nothing that `ceiling` does not (admin is above every role)."""
    if role == ceiling or ceiling == "admin":
        return True
    if role == "admin":
        return False
    mine, cap = roles.get(role, {}), roles.get(ceiling, {})
    for key in set(mine) | set(cap):
        a, b = mine.get(key), cap.get(key)
        if key == "pii":
            if PII_RANK.get(str(a or "mask"), 2) > PII_RANK.get(str(b or "mask"), 0):
                return False
        elif isinstance(a, bool) or isinstance(b, bool):
            if bool(a) and not bool(b):
                return False
        elif a != b:
            return False
    return True


def masked(key: str, value: Any) -> Any:
    """A setting's value as `shopql config` may print it (keys masked)."""
    if key in SECRET_KEYS and value:
        text = str(value)
        return "****" + text[-4:] if len(text) > 8 else "****"
    return value


def effective(settings: Settings) -> list[tuple[str, Any, str]]:
    """Every effective setting as (name, printable value, source)."""
    values = {
        "timezone": settings.timezone,
        "currency": settings.currency,
        "role": settings.role,
        "row_cap": settings.row_cap,
        "query_timeout_s": settings.query_timeout_s,
        "identity.max_shared": settings.identity_max_shared,
        "identity.blocklist": list(settings.identity_blocklist),
        "memory_limit": settings.memory_limit,
        "llm.base_url": settings.llm.base_url,
        "llm.api_key": settings.llm.api_key,
        "llm.model": settings.llm.model,
        "llm.max_tries": settings.llm.max_tries,
        "llm.timeout_s": settings.llm.timeout_s,
        "llm.deadline_s": settings.llm.deadline_s,
    }
    return [(k, masked(k, v), settings.sources.get(k, "default")) for k, v in values.items()]
