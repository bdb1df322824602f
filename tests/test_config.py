"""Settings precedence: flag > environment > shopql.toml > default; typed; clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shopql.config import DEFAULT_ROLES, find_workspace, load_settings, role_at_most
from shopql.errors import ConfigError, UsageError, WorkspaceError
from tests.conftest import cli_in_process


def test_defaults_then_file_then_env_then_flag(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert load_settings(workspace).timezone == "Asia/Shanghai"
    text = (workspace / "shopql.toml").read_text(encoding="utf-8")
    (workspace / "shopql.toml").write_text(
        text.replace('timezone = "Asia/Shanghai"', 'timezone = "Europe/London"'), encoding="utf-8"
    )
    assert load_settings(workspace).timezone == "Europe/London"
    monkeypatch.setenv("SHOPQL_TIMEZONE", "America/Sao_Paulo")
    assert load_settings(workspace).timezone == "America/Sao_Paulo"
    assert load_settings(workspace, {"timezone": "UTC"}).timezone == "UTC"


def test_llm_settings_from_environment(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not load_settings(workspace).llm.configured
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("SHOPQL_MODEL", "tiny")
    llm = load_settings(workspace).llm
    assert llm.configured and llm.model == "tiny" and llm.max_tries == 3


def test_wrong_type_is_a_clear_error(workspace: Path) -> None:
    with open(workspace / "shopql.toml", "a", encoding="utf-8") as f:
        f.write("\n[identity]\n")
    (workspace / "shopql.toml").write_text('row_cap = "many"\n', encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"shopql.toml:1: row_cap = 'many' must be a whole number"
    ):
        load_settings(workspace)


def test_unknown_role_is_refused(workspace: Path) -> None:
    with pytest.raises(ConfigError, match="unknown role 'boss'"):
        load_settings(workspace, {"role": "boss"})


def test_discovery_walks_up_and_env_wins(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nested = workspace / "a" / "b"
    nested.mkdir(parents=True)
    assert find_workspace(cwd=nested) == workspace.resolve()
    monkeypatch.setenv("SHOPQL_WORKSPACE", str(tmp_path))
    assert find_workspace(cwd=nested) == tmp_path.resolve()
    assert find_workspace("elsewhere", cwd=nested).name == "elsewhere"


def test_missing_workspace(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="no shopql workspace"):
        load_settings(tmp_path / "nothing")


# --- validated once, at load, with the file and line ----------------------------------------


def _append(ws: Path, text: str) -> None:
    config = ws / "shopql.toml"
    config.write_text(config.read_text(encoding="utf-8") + text, encoding="utf-8")


def _line_of(ws: Path, needle: str) -> int:
    lines = (ws / "shopql.toml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(needle))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("row_cap = 10000", "row_cap = -5", "row_cap = -5 must be at least 1"),
        ("row_cap = 10000", "row_cap = 0", "row_cap = 0 must be at least 1"),
        ('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"', "is not a known time zone"),
        ("query_timeout_s = 30", "query_timeout_s = 0", "must be greater than 0"),
        ("max_tries = 3", "max_tries = 0", "llm.max_tries = 0 must be at least 1"),
    ],
)
def test_bad_values_name_file_and_line(workspace: Path, old: str, new: str, message: str) -> None:
    config = workspace / "shopql.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    line = _line_of(workspace, new)
    with pytest.raises(ConfigError) as caught:
        load_settings(workspace)
    assert caught.value.message.startswith(f"{config}:{line}: ")
    assert message in caught.value.message
    assert caught.value.exit_code == 2


def test_unknown_setting_in_a_table_names_its_line(workspace: Path) -> None:
    config = workspace / "shopql.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("max_shared = 20", "max_share = 20"),
        encoding="utf-8",
    )
    line = _line_of(workspace, "max_share =")
    with pytest.raises(
        ConfigError, match=rf"shopql.toml:{line}: unknown setting identity.max_share"
    ):
        load_settings(workspace)


def test_bad_environment_value_is_a_config_error_not_a_crash(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOPQL_LLM_MAX_TRIES", "abc")
    with pytest.raises(ConfigError, match="SHOPQL_LLM_MAX_TRIES is 'abc', not a whole number"):
        load_settings(workspace)
    done = cli_in_process(
        "-w", str(workspace), "sql", "select 1", env={"SHOPQL_LLM_MAX_TRIES": "abc"}
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "error: environment variable SHOPQL_LLM_MAX_TRIES is 'abc', not a whole number — "
        "set it to a whole number or unset it"
    ]
    monkeypatch.setenv("SHOPQL_LLM_MAX_TRIES", "5")
    assert load_settings(workspace).llm.max_tries == 5


def test_bad_role_and_user_tables(workspace: Path) -> None:
    _append(workspace, '[roles.auditor]\npii = "peek"\n')
    with pytest.raises(ConfigError, match=r"roles.auditor.pii = 'peek' is not show, mask or deny"):
        load_settings(workspace)


# --- the user config file (platformdirs) and where each value came from ------------------------


def _user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    folder = tmp_path / "user-config"
    folder.mkdir(exist_ok=True)
    (folder / "config.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("SHOPQL_CONFIG_DIR", str(folder))
    return folder / "config.toml"


def test_user_config_supplies_the_llm_and_workspace_and_env_win(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = _user_config(
        tmp_path,
        monkeypatch,
        '[llm]\nbase_url = "http://127.0.0.1:9/v1"\nmodel = "qwen"\napi_key = "sk-user-12345678"\n',
    )
    s = load_settings(workspace)
    assert (s.llm.base_url, s.llm.model, s.llm.api_key) == (
        "http://127.0.0.1:9/v1", "qwen", "sk-user-12345678",
    )  # fmt: skip
    assert s.sources["llm.model"] == f"user {user}:3"
    assert s.sources["llm.max_tries"].startswith(f"workspace {workspace / 'shopql.toml'}:")
    assert s.sources["row_cap"].startswith("workspace ") and s.sources["llm.timeout_s"] == "default"
    _append(workspace, "")
    config = workspace / "shopql.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('# model = "qwen2.5:7b"', 'model = "ws-model"'),
        encoding="utf-8",
    )
    assert load_settings(workspace).llm.model == "ws-model"
    monkeypatch.setenv("SHOPQL_MODEL", "env-model")
    s = load_settings(workspace)
    assert (s.llm.model, s.sources["llm.model"]) == ("env-model", "env SHOPQL_MODEL")
    s = load_settings(workspace, {"model": "flag-model"})
    assert (s.llm.model, s.sources["llm.model"]) == ("flag-model", "flag")


def test_user_config_holds_only_llm_settings(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _user_config(tmp_path, monkeypatch, 'row_cap = 5\n[llm]\nmodel = "m"\n')
    with pytest.raises(
        ConfigError, match="config.toml:1: row_cap cannot be set in the user config"
    ):
        load_settings(workspace)


def test_config_command_shows_values_and_sources_with_keys_masked(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = _user_config(tmp_path, monkeypatch, '[llm]\napi_key = "sk-secret-abcd1234"\n')
    done = cli_in_process(
        "-w", str(workspace), "config", "--format", "json", env={"SHOPQL_MODEL": "tiny"}
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    settings = {s["name"]: s for s in doc["settings"]}
    assert settings["llm.api_key"] == {
        "name": "llm.api_key", "value": "****1234", "source": f"user {user}:2"
    }  # fmt: skip
    assert settings["llm.model"]["source"] == "env SHOPQL_MODEL"
    assert settings["row_cap"]["value"] == 10000
    assert settings["llm.timeout_s"]["source"] == "default"
    assert doc["user_config"] == str(user) and doc["workspace"] == str(workspace.resolve())
    assert "sk-secret" not in done.stdout
    table = cli_in_process("-w", str(workspace), "--role", "analyst", "config")
    assert table.returncode == 0 and "sk-secret" not in table.stdout
    assert "role" in table.stdout and "analyst" in table.stdout and "flag" in table.stdout


# --- who may do what: OS users, roles, --role only lowers ------------------------------------


def _as_user(monkeypatch: pytest.MonkeyPatch, name: str, owner: bool) -> None:
    import shopql.config

    monkeypatch.setattr(shopql.config, "os_identity", lambda _path: (name, owner))


def test_owner_is_admin_and_may_lower(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = load_settings(workspace)
    assert (s.role, s.max_role) == ("admin", "admin")
    assert load_settings(workspace, {"role": "analyst"}).role == "analyst"
    monkeypatch.setenv("SHOPQL_ROLE", "marketer")
    assert load_settings(workspace).role == "marketer"


def test_other_users_get_their_mapping_or_analyst(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = workspace / "shopql.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('# alice = "marketer"', 'alice = "marketer"'),
        encoding="utf-8",
    )
    _as_user(monkeypatch, "alice", owner=False)
    s = load_settings(workspace)  # role = "admin" in the file is capped, not refused
    assert (s.role, s.max_role) == ("marketer", "marketer")
    assert "capped to marketer for OS user alice" in s.sources["role"]
    assert load_settings(workspace, {"role": "analyst"}).role == "analyst"  # lower: fine
    with pytest.raises(UsageError, match="role admin is above what OS user alice may use"):
        load_settings(workspace, {"role": "admin"})
    _as_user(monkeypatch, "mallory", owner=False)
    s = load_settings(workspace)
    assert (s.role, s.max_role) == ("analyst", "analyst")
    monkeypatch.setenv("SHOPQL_ROLE", "marketer")  # marketer may export contacts: more, refused
    with pytest.raises(UsageError, match="role marketer is above") as caught:
        load_settings(workspace)
    assert caught.value.exit_code == 2


def test_a_role_is_lower_only_when_it_grants_nothing_more() -> None:
    roles = {
        **DEFAULT_ROLES,
        "viewer": {"pii": "deny"},
        "exporter": {"pii": "deny", "export_contacts": True},
    }
    assert role_at_most("viewer", "analyst", roles) and role_at_most("analyst", "marketer", roles)
    assert not role_at_most("marketer", "analyst", roles)
    assert not role_at_most("exporter", "analyst", roles)
    assert not role_at_most("analyst", "viewer", roles) and not role_at_most(
        "admin", "viewer", roles
    )
    assert all(role_at_most(r, "admin", roles) for r in roles)


def test_role_flag_above_the_users_role_exits_2_with_one_line(workspace: Path) -> None:
    # the subprocess runs as the workspace's owner: lowering works, an unknown role is refused
    ok = cli_in_process("-w", str(workspace), "--role", "analyst", "sql", "select 1 as x")
    assert ok.returncode == 0, ok.stderr
    bad = cli_in_process("-w", str(workspace), "--role", "boss", "sql", "select 1")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_roles_and_users_cannot_come_from_the_user_config(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a user file must not be able to grant itself a role in someone's workspace
    _user_config(tmp_path, monkeypatch, '[llm]\nmodel = "m"\n\n[users]\nmallory = "admin"\n')
    with pytest.raises(ConfigError, match="config.toml:4: users cannot be set in the user config"):
        load_settings(workspace)
