"""Settings precedence: flag > environment > shopql.toml > default; typed; clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopql.config import find_workspace, load_settings
from shopql.errors import ConfigError, WorkspaceError


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
    with pytest.raises(ConfigError, match="row_cap.*must be int"):
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
