"""The entry point: exit codes from commands reach the shell, user errors are one line."""

from __future__ import annotations

import click
import pytest

from shopql.cli import main as entry
from shopql.errors import SyncError


def run(monkeypatch: pytest.MonkeyPatch, command: click.Command, *args: str) -> int:
    monkeypatch.setattr(entry.LazyGroup, "list_commands", lambda self, ctx: ["probe"])
    monkeypatch.setattr(entry.LazyGroup, "get_command", lambda self, ctx, name: command)
    with pytest.raises(SystemExit) as exited:
        entry.main(["probe", *args])
    return int(exited.value.code or 0)


def test_ctx_exit_code_reaches_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    @click.command()
    @click.pass_context
    def probe(ctx: click.Context) -> None:
        ctx.exit(4)

    assert run(monkeypatch, probe) == 4


def test_shopql_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    @click.command()
    def probe() -> None:
        raise SyncError("x.csv: header row matches no known export", "pass --platform")

    assert run(monkeypatch, probe) == 1
    assert (
        capsys.readouterr().err
        == "error: x.csv: header row matches no known export — pass --platform\n"
    )


def test_unexpected_error_without_debug_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    @click.command()
    def probe() -> None:
        raise RuntimeError("boom")

    assert run(monkeypatch, probe) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--debug" in err


def test_usage_error_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    @click.command()
    @click.argument("x")
    def probe(x: str) -> None:
        pass

    assert run(monkeypatch, probe) == 2


def test_shell_completion_offers_commands_and_subcommands() -> None:
    """The README's completion lines work: click's completion through the lazy group."""
    from tests.conftest import run_cli

    source = run_cli(env={"_SHOPQL_COMPLETE": "bash_source"})
    assert source.returncode == 0 and "_shopql_completion()" in source.stdout
    done = run_cli(
        env={"_SHOPQL_COMPLETE": "bash_complete", "COMP_WORDS": "shopql do", "COMP_CWORD": "1"}
    )
    assert done.stdout.split() == ["plain,doctor"]
    done = run_cli(
        env={"_SHOPQL_COMPLETE": "bash_complete", "COMP_WORDS": "shopql alert c", "COMP_CWORD": "2"}
    )
    assert done.stdout.split() == ["plain,check"]
