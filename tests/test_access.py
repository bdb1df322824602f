"""Who may do what on one machine: owner-only files from `init`, OS users mapped to roles."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import cli_in_process


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_creates_a_workspace_only_its_owner_can_read(tmp_path: Path) -> None:
    done = cli_in_process("init", str(tmp_path / "shop"))
    assert done.returncode == 0, done.stderr
    ws = tmp_path / "shop"
    assert _mode(ws) == 0o700 and _mode(ws / "catalog") == 0o700
    assert _mode(ws / "shopql.toml") == 0o600 and _mode(ws / "warehouse.duckdb") == 0o600
    assert "note:" not in done.stderr


def test_init_in_a_shared_folder_says_so(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    done = cli_in_process("init", str(shared))
    assert done.returncode == 0, done.stderr
    assert f"note: other OS users may read . in {shared}" in done.stderr
    assert _mode(shared) == 0o755  # a folder init did not create keeps its mode
    assert _mode(shared / "warehouse.duckdb") == 0o600


def _invoke(ws: Path, *args: str) -> tuple[int, str]:
    from shopql.cli.main import cli

    result = CliRunner().invoke(cli, ["-w", str(ws), *args])
    return result.exit_code, result.output


def test_another_os_user_is_capped_and_cannot_raise_its_role(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import shopql.config

    monkeypatch.setattr(shopql.config, "os_identity", lambda _p: ("mallory", False))
    code, out = _invoke(workspace, "config", "--format", "json")
    assert code == 0, out
    doc = json.loads(out)
    role = next(s for s in doc["settings"] if s["name"] == "role")
    assert (doc["os_user"], doc["max_role"], role["value"]) == ("mallory", "analyst", "analyst")
    from shopql.cli.main import main

    capsys.readouterr()
    with pytest.raises(SystemExit) as caught:
        main(["-w", str(workspace), "--role", "admin", "sql", "select 1"])
    assert caught.value.code == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("error: role admin is above what OS user mallory may use in this")
