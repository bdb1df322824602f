"""`shopql sql` without a query: the interactive shell (history in the workspace, multi-line
statements, completion, the same guard and audit), driven through prompt_toolkit's pipe input;
and `shopql chat`'s question history."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.sync.test_bad_input import query

pytest.importorskip("prompt_toolkit")

ENTER = "\r"
UP = "\x1b[A"
CTRL_D = "\x04"


@pytest.fixture
def demo_copy(full_demo: Path, tmp_path: Path) -> Path:
    """A copy of the full demo's workspace files the shell may write history and audit into."""
    ws = tmp_path / "ws"
    ws.mkdir()
    for name in ("shopql.toml", "warehouse.duckdb"):
        shutil.copy(full_demo / name, ws / name)
    shutil.copytree(full_demo / "catalog", ws / "catalog")
    return ws


def shell(ws: Path, keys: str, capsys: Any) -> tuple[str, str]:
    """Type `keys` into the shell of `ws`; (stdout, stderr)."""
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from shopql.cli.shell import run_shell
    from shopql.config import load_settings

    capsys.readouterr()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        run_shell(load_settings(ws), "table", input=pipe, output=DummyOutput())
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_multi_line_statement_runs_at_the_semicolon_and_is_remembered(
    demo_copy: Path, capsys: Any
) -> None:
    from shopql.warehouse.workspace import history_path

    (n,) = query(demo_copy, "select count(*) from payments")[0]
    audit = "select count(*) from _audit where sql like '%from payments%'"
    (before,) = query(demo_copy, audit)[0]  # the session's other tests audit queries too
    keys = f"select count(*) as n{ENTER}from payments{ENTER};{ENTER}{CTRL_D}"
    out, err = shell(demo_copy, keys, capsys)
    assert f"{n:,}" in out and "1 rows" in err, (out, err)
    history = history_path(demo_copy, "sql").read_text(encoding="utf-8")
    assert "+select count(*) as n\n+from payments\n+;" in history
    # a new shell: ↑ brings the statement back, Enter runs it again
    out, _ = shell(demo_copy, f"{UP}{ENTER}{CTRL_D}", capsys)
    assert f"{n:,}" in out
    assert query(demo_copy, audit) == [(before + 2,)]


def test_the_guard_refuses_and_the_shell_goes_on(demo_copy: Path, capsys: Any) -> None:
    keys = f"drop table orders;{ENTER}select count(*) from shops;{ENTER}{CTRL_D}"
    out, err = shell(demo_copy, keys, capsys)
    assert "error: only SELECT" in err
    assert query(demo_copy, "select count(*) from orders")[0][0] > 0
    (shops,) = query(demo_copy, "select count(*) from shops")[0]
    assert re.search(rf"│\s+{shops}\s+│", out), out
    outcomes = query(demo_copy, "select outcome from _audit order by executed_at")
    assert [o for (o,) in outcomes][-2:] == ["refused", "ok"]


def test_dot_commands(demo_copy: Path, capsys: Any) -> None:
    keys = f".tables{ENTER}.schema shops{ENTER}.metric paid_gmv{ENTER}.nope{ENTER}.quit{ENTER}"
    out, err = shell(demo_copy, keys, capsys)
    assert "orders" in out and "currency" in out
    assert "paid_gmv:" in out and "SUM(" in out.upper()
    assert "not a shell command: .nope" in err


def test_completion_offers_tables_columns_and_metrics(demo_copy: Path) -> None:
    from prompt_toolkit.document import Document

    from shopql.catalog import load_catalog
    from shopql.cli.shell import SqlCompleter
    from shopql.warehouse.guard import warehouse_schema

    schema = warehouse_schema(demo_copy / "warehouse.duckdb")
    completer = SqlCompleter(schema, load_catalog(demo_copy).metrics).as_prompt_toolkit()

    def complete(text: str) -> dict[str, str]:
        found = completer.get_completions(Document(text), None)
        return {c.text: c.display_meta_text for c in found}

    found = complete("select * from ord")
    assert found["orders"] == found["order_items"] == "table"
    assert found["order_id"].startswith("column of") and found["order by"] == "keyword"
    assert all(name.lower().startswith("ord") for name in found)
    assert complete("select orders.paid_a") == {
        "paid_at": "column of orders",
        "paid_amount": "column of orders",
    }
    assert complete("select paid_gm")["paid_gmv"] == "metric"
    assert set(complete("select orders.")) == set(schema["orders"])


def test_piped_statements_run_without_a_prompt(full_demo: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "shopql.cli", "--workspace", str(full_demo), "sql", "--format",
         "csv"],
        input="select count(*) as n from shops;\nselect 'a;b' as x;\n",
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (shops,) = query(full_demo, "select count(*) from shops")[0]
    assert done.stdout.splitlines() == ["n", str(shops), "x", "a;b"]


def test_chat_questions_have_a_history(tmp_path: Path) -> None:
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from shopql.cli.ask import question_reader
    from shopql.warehouse.workspace import history_path

    with create_pipe_input() as pipe:
        pipe.send_text(f"GMV by platform{ENTER}上个月的销售额{ENTER}{CTRL_D}")
        read = question_reader(tmp_path, input=pipe, output=DummyOutput())
        assert [read(), read(), read()] == ["GMV by platform", "上个月的销售额", None]
    with create_pipe_input() as pipe:
        pipe.send_text(f"{UP}{UP}{ENTER}")
        read = question_reader(tmp_path, input=pipe, output=DummyOutput())
        assert read() == "GMV by platform"
    assert "+上个月的销售额" in history_path(tmp_path, "chat").read_text(encoding="utf-8")
