"""A question's audit records go to the workspace's journal (.shopql/audit.jsonl, fsynced) instead
of opening the warehouse for writing; they reach `_audit` before anyone reads it, once each."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from shopql.config import load_settings
from shopql.nlq.session import Workspace
from shopql.warehouse import audit
from shopql.warehouse.connection import open_writer
from shopql.warehouse.query import run_guarded
from tests.conftest import run_cli, warehouse_reader


def _journal(ws: Path) -> list[dict[str, Any]]:
    path = ws / ".shopql" / "audit.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_question_is_journaled_without_a_writer_and_read_back_from_audit(
    small_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shopql.warehouse.connection as connection

    def no_writer(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a question opened the warehouse for writing")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "open_writer", no_writer)
        with Workspace(load_settings(small_ws, overrides={"role": "analyst"})) as ws:
            assert ws.run("select count(*) as n from shops", "how many shops").rows == [(2,)]
            with pytest.raises(Exception, match="admin role only"):
                ws.run("select * from _audit", "who asked what")
    written = _journal(small_ws)
    assert [(r["role"], r["question"], r["outcome"], r["rows"]) for r in written] == [
        ("analyst", "how many shops", "ok", 1),
        ("analyst", "who asked what", "refused", None),
    ]
    # an admin reading `_audit` sees them (folded in first), and the journal is gone
    seen = run_guarded(
        small_ws / "warehouse.duckdb",
        "select role, question, outcome from _audit order by executed_at",
        role="admin",
    )
    assert seen.rows == [
        ("analyst", "how many shops", "ok"),
        ("analyst", "who asked what", "refused"),
    ]
    assert _journal(small_ws) == [] and not audit.pending(small_ws)


def test_an_admin_question_about_the_audit_sees_the_pending_records(small_ws: Path) -> None:
    with Workspace(load_settings(small_ws)) as ws:
        ws.run("select shop_id from shops", "list shops")
        ws.close()  # journaled
        assert len(_journal(small_ws)) == 1
        got = ws.run("select question, rows from _audit", "what was asked")
    assert got.rows == [("list shops", 2)]


def test_a_fold_killed_after_its_commit_does_not_insert_twice(
    small_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = small_ws / "warehouse.duckdb"
    entries = [("ask:offline", f"q{i}", "select 1", None, "ok") for i in range(3)]
    audit.write(warehouse, "admin", entries, journal=True)
    real_unlink = Path.unlink

    def killed(self: Path, missing_ok: bool = False) -> None:
        if self.name.endswith(".merging"):
            raise KeyboardInterrupt  # the process dies between the commit and the removal
        real_unlink(self, missing_ok=missing_ok)

    with monkeypatch.context() as patched:
        patched.setattr(Path, "unlink", killed)
        with pytest.raises(KeyboardInterrupt):
            open_writer(warehouse)
    assert audit.pending(small_ws)  # the claimed file is still there
    assert audit.fold(warehouse)
    con = warehouse_reader(small_ws)
    try:
        rows = con.execute("select question from _audit order by question").fetchall()
        marks = con.execute("select count(*) from _meta where key like 'audit_folded:%'").fetchone()
    finally:
        con.close()
    assert rows == [("q0",), ("q1",), ("q2",)] and marks == (0,)
    assert not audit.pending(small_ws)


APPENDER = """
import sys
from pathlib import Path
from shopql.warehouse import audit
warehouse, who, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for i in range(n):
    audit.write(warehouse, "analyst", [("ask:offline", f"{who}-{i}", "select 1", None, "ok")], journal=True)
"""

FOLDER = """
import sys, time
from pathlib import Path
from shopql.warehouse import audit
warehouse, stop = Path(sys.argv[1]), Path(sys.argv[2])
while not stop.exists():
    audit.fold(warehouse, wait_s=0)
    time.sleep(0.05)
"""


def test_concurrent_questions_and_folds_lose_and_double_nothing(
    small_ws: Path, tmp_path: Path
) -> None:
    warehouse, stop = small_ws / "warehouse.duckdb", tmp_path / "stop"
    folders = [
        subprocess.Popen([sys.executable, "-c", FOLDER, str(warehouse), str(stop)])
        for _ in range(2)
    ]
    try:
        appenders = [
            subprocess.Popen([sys.executable, "-c", APPENDER, str(warehouse), f"p{p}", "40"])
            for p in range(4)
        ]
        assert [a.wait(timeout=120) for a in appenders] == [0, 0, 0, 0]
    finally:
        stop.touch()
        assert [f.wait(timeout=60) for f in folders] == [0, 0]
    assert audit.fold(warehouse)
    con = warehouse_reader(small_ws)
    try:
        total, distinct = con.execute(
            "select count(*), count(distinct question) from _audit where source = 'ask:offline'"
        ).fetchone() or (0, 0)
    finally:
        con.close()
    assert (total, distinct) == (160, 160)
    assert not audit.pending(small_ws)


KILLED_AFTER_PRINTING = """
import os, signal, sys
import shopql.cli.ask as ask
from shopql.cli.main import main
shown = ask.render
def render(*args, **kwargs):
    shown(*args, **kwargs)
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)  # nothing after the answer runs: no close, no exit
ask.render = render
sys.argv = ["shopql", *sys.argv[1:]]
main()
"""


def test_every_ask_is_audited_even_one_killed_right_after_printing(
    olist_workspace: Path,
) -> None:
    ws, started = str(olist_workspace), dt.datetime.now().isoformat()
    common = ["--engine", "offline", "--today", "2018-09-01", "--format", "json"]
    questions = ["orders in 2017", "top 3 states by sales in 2017"]
    for q in questions:
        assert run_cli("--workspace", ws, "ask", q, *common).returncode == 0
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AFTER_PRINTING, "--workspace", ws, "ask", "gmv in 2017"]
        + common,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert killed.returncode == -9 and json.loads(killed.stdout)["rows"]
    done = run_cli(
        "--workspace", ws, "sql", "--format", "json",
        "select question, outcome, rows from _audit where source like 'ask%' "
        f"and executed_at >= '{started}' order by executed_at",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["rows"]
    assert [r[0] for r in rows] == [*questions, "gmv in 2017"] and all(
        r[1] == "ok" and r[2] >= 1 for r in rows
    )


def test_a_large_journal_is_folded_by_the_process_that_wrote_it(
    small_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = small_ws / "warehouse.duckdb"
    monkeypatch.setattr(audit, "FOLD_BYTES", 600)
    audit.write(
        warehouse, "admin", [("ask:offline", "small", "select 1", None, "ok")], journal=True
    )
    assert audit.pending(small_ws)
    long = "select 1 -- " + "x" * 700
    audit.write(warehouse, "admin", [("ask:offline", "big", long, None, "ok")], journal=True)
    assert not audit.pending(small_ws)
    con = warehouse_reader(small_ws)
    try:
        got = con.execute("select question from _audit order by executed_at").fetchall()
    finally:
        con.close()
    assert got == [("small",), ("big",)]


def test_the_journal_is_written_whole_lines_only(small_ws: Path) -> None:
    entries = [("ask:offline", "第一\n行", "select '\n'", None, "ok")]
    audit.write(small_ws / "warehouse.duckdb", "admin", entries, journal=True)
    text = (small_ws / ".shopql" / "audit.jsonl").read_text(encoding="utf-8")
    assert text.count("\n") == 1 and json.loads(text)["question"] == "第一\n行"
