"""The audit journal (.shopql/audit.jsonl) is a file in the workspace: a fold into `_audit` takes
only lines that are records as shopql writes them. A forged, damaged or cut-short line is kept in
view (one `rejected` row saying why, no role) and reported by `shopql doctor`; it never stops the
valid lines around it, and nothing in it is ever executed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from shopql.config import load_settings
from shopql.health import _warehouse as warehouse_checks
from shopql.warehouse import audit
from tests.conftest import warehouse_reader


def _line(**changes: Any) -> str:
    record: dict[str, Any] = {
        "executed_at": "2026-11-30T10:00:00.000001",
        "role": "analyst",
        "source": "ask:offline",
        "question": "how many shops",
        "sql": "select count(*) from shops",
        "rows": 1,
        "duration_ms": 3.5,
        "outcome": "ok",
    }
    record.update(changes)
    return json.dumps({k: v for k, v in record.items() if v is not _DROP}, ensure_ascii=False)


_DROP = object()


def _audit_rows(ws: Path) -> list[tuple[Any, ...]]:
    con = warehouse_reader(ws)
    try:
        return con.execute(
            "select role, source, question, sql, rows, outcome from _audit order by rowid"
        ).fetchall()
    finally:
        con.close()


def _fold(ws: Path, text: str) -> list[tuple[Any, ...]]:
    (ws / ".shopql").mkdir(exist_ok=True)
    (ws / ".shopql" / "audit.jsonl").write_text(text, encoding="utf-8")
    assert audit.fold(ws / "warehouse.duckdb")
    assert not audit.pending(ws)
    return _audit_rows(ws)


def test_forged_lines_are_rejected_one_by_one_and_the_valid_ones_fold(small_ws: Path) -> None:
    future = (dt.datetime.now() + dt.timedelta(days=2)).isoformat()
    injected = "admin'); DROP TABLE shops; --"
    lines = [
        _line(question="first"),
        _line(rows="many"),  # wrong type
        _line(rows=True),  # a bool is not a count
        _line(duration_ms=float("nan")),  # json writes NaN; not a duration
        _line(extra="x"),  # a key records never write
        _line(outcome=_DROP),  # a key missing
        _line(role="root"),  # a role this workspace does not have
        _line(role=injected),  # SQL in a field: a role like no other
        _line(role=None),  # a record without a role
        _line(executed_at="yesterday"),
        _line(executed_at=future),  # dated after the fold
        _line(executed_at="2026-11-30T10:00:00+08:00"),  # records are local, naive times
        _line(source="sql; drop table shops"),
        _line(outcome="ok-ish"),
        _line(question="q" * 5_000),  # longer than any question a record keeps
        _line(outcome="ok", sql=None),
        "[1, 2, 3]",
        "not json at all",
        _line(question="second: select * from shops; drop table shops; --"),  # valid: text only
    ]
    huge = _line(question="h" * (audit.MAX_LINE_BYTES + 10_000))
    truncated = _line(question="cut")[:60]
    rows = _fold(small_ws, "\n".join([*lines, huge, _line(question="third")]) + "\n" + truncated)

    valid = [r for r in rows if r[5] != "rejected"]
    assert valid == [
        ("analyst", "ask:offline", "first", "select count(*) from shops", 1, "ok"),
        ("analyst", "ask:offline", "second: select * from shops; drop table shops; --",
         "select count(*) from shops", 1, "ok"),
        ("analyst", "ask:offline", "third", "select count(*) from shops", 1, "ok"),
    ]  # fmt: skip
    rejected = [r for r in rows if r[5] == "rejected"]
    assert all(r[0] is None and r[1] == "journal" and r[4] is None for r in rejected)
    reasons = [r[2] for r in rejected]
    assert reasons == [
        "journal line 2 rejected: rows is not a count",
        "journal line 3 rejected: rows is not a count",
        "journal line 4 rejected: duration_ms is not a duration",
        "journal line 5 rejected: unknown keys extra",
        "journal line 6 rejected: missing keys outcome",
        "journal line 7 rejected: role 'root' is not a role of this workspace",
        f"journal line 8 rejected: role {injected!r} is not a role of this workspace",
        "journal line 9 rejected: role 'None' is not a role of this workspace",
        "journal line 10 rejected: executed_at is not a timestamp",
        "journal line 11 rejected: executed_at is in the future",
        "journal line 12 rejected: executed_at is not a local timestamp of this century",
        "journal line 13 rejected: source is not a command name",
        "journal line 14 rejected: outcome 'ok-ish' is not one of ok, refused, error",
        "journal line 15 rejected: question is not a text of at most 2,000 characters",
        "journal line 16 rejected: an answered query without its SQL",
        "journal line 17 rejected: a JSON list, not a record",
        "journal line 18 rejected: not a JSON line",
        f"journal line 20 rejected: longer than any record ({len(huge) + 1:,} bytes)",
        "journal line 22 rejected: cut short (no end of line: a crash mid-write)",
    ]
    # each rejected line is kept as text (its start only), never read as SQL
    assert rejected[6][3] == _line(role=injected) + "\n"
    assert rejected[-1][3] == truncated
    assert len(rejected[-2][3]) < 2_100 and rejected[-2][3].startswith('{"executed_at"')
    con = warehouse_reader(small_ws)
    try:
        assert con.execute("select shop_id from shops order by 1").fetchall() == [("s1",), ("s2",)]
    finally:
        con.close()


def test_a_role_of_the_workspace_config_is_allowed_and_an_unknown_one_is_not(
    small_ws: Path,
) -> None:
    config = small_ws / "shopql.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[roles.auditor]\npii = "mask"\n', encoding="utf-8"
    )
    rows = _fold(small_ws, _line(role="auditor") + "\n" + _line(role="auditor2") + "\n")
    assert [(r[0], r[5]) for r in rows] == [("auditor", "ok"), (None, "rejected")]
    assert rows[1][2] == "journal line 2 rejected: role 'auditor2' is not a role of this workspace"


def test_a_journal_of_records_as_shopql_writes_them_folds_without_a_rejection(
    small_ws: Path,
) -> None:
    entries = [
        ("ask:offline", "第一\n行 — 'quoted'", "select '\n'", None, "ok"),
        ("ask:llm", None, "select * from _audit", None, "refused"),
        ("board", "x" * 3_000, "select " + "1+" * 15_000 + "1", None, "error"),
    ]
    audit.write(small_ws / "warehouse.duckdb", "marketer", entries, journal=True)
    assert audit.fold(small_ws / "warehouse.duckdb")
    rows = _audit_rows(small_ws)
    assert [(r[0], r[1], r[5]) for r in rows] == [
        ("marketer", "ask:offline", "ok"),
        ("marketer", "ask:llm", "refused"),
        ("marketer", "board", "error"),
    ]
    assert rows[0][2] == "第一\n行 — 'quoted'" and rows[2][2].endswith("more characters not kept]")
    assert audit.REJECTED not in {r[5] for r in rows}  # what `doctor` counts (test below)


def test_doctor_reports_the_rejected_lines(small_ws: Path) -> None:
    _fold(small_ws, _line() + "\n" + _line(role="root") + "\n" + "{broken\n")
    # the warehouse's checks of `shopql doctor` (tests/test_doctor.py runs them all)
    check = {c.name: c for c in warehouse_checks(load_settings(small_ws))}["audit journal"]
    assert check.status == "problem"
    assert check.detail.startswith("2 line(s) of .shopql/audit.jsonl were not valid records")
    assert "outcome = 'rejected'" in check.fix


def test_one_bad_line_never_locks_every_writer_out(small_ws: Path) -> None:
    # before: the fold inserted the line as it was, DuckDB refused 'many' as a BIGINT, and every
    # open_writer (sync, identity build, the next fold) failed on it — until someone edited the file
    from shopql.warehouse.connection import open_writer

    (small_ws / ".shopql").mkdir(exist_ok=True)
    (small_ws / ".shopql" / "audit.jsonl").write_text(_line(rows="many") + "\n", encoding="utf-8")
    for _ in range(2):
        con = open_writer(small_ws / "warehouse.duckdb", wait_s=0)
        con.close()
    assert [r[5] for r in _audit_rows(small_ws)] == ["rejected"] and not audit.pending(small_ws)


# --- the journal's name is never followed ---------------------------------------------------------


def _admin_records(ws: Path) -> list[tuple[Any, ...]]:
    return [(r[0], r[2], r[5]) for r in _audit_rows(ws)]


def test_a_link_planted_at_the_journals_name_is_neither_written_nor_read(
    small_ws: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "id_rsa"
    secret.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n", "utf-8")
    before = secret.read_bytes()
    journal = small_ws / ".shopql" / "audit.jsonl"
    journal.parent.mkdir(exist_ok=True)
    journal.symlink_to(secret)
    # a question's records are not appended to the file the link points at: the warehouse takes
    # them, and its writer's fold reads nothing through the link and removes it
    entries = [("ask:offline", "how many shops", "select count(*) from shops", None, "ok")]
    audit.write(small_ws / "warehouse.duckdb", "analyst", entries, journal=True)
    assert secret.read_bytes() == before and not journal.is_symlink()
    assert not audit.pending(small_ws)
    # a link planted at a claimed file's name, the same
    journal.with_name("audit.1.0.merging").symlink_to(secret)
    assert audit.pending(small_ws) and audit.fold(small_ws / "warehouse.duckdb")
    assert secret.read_bytes() == before and not audit.pending(small_ws)
    got = _audit_rows(small_ws)
    assert "OPENSSH" not in repr(got) and "b3BlbnNz" not in repr(got)
    not_read = "journal line 1 rejected: the journal was not a regular file (a link?): not read"
    assert _admin_records(small_ws) == [
        (None, not_read, "rejected"),
        ("analyst", "how many shops", "ok"),
        (None, not_read, "rejected"),
    ]


FIFO_THEN_ASK_AND_FOLD = """
import os, sys
from pathlib import Path
from shopql.warehouse import audit
ws = Path(sys.argv[1])
os.mkfifo(ws / ".shopql" / "audit.jsonl")
audit.write(ws / "warehouse.duckdb", "analyst", [("ask", "q", "select 1", None, "ok")], journal=True)
print(audit.fold(ws / "warehouse.duckdb"), audit.pending(ws))
"""


def test_a_fifo_or_a_folder_at_the_journals_name_blocks_no_one(small_ws: Path) -> None:
    import subprocess
    import sys

    (small_ws / ".shopql").mkdir(exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", FIFO_THEN_ASK_AND_FOLD, str(small_ws)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0 and done.stdout.split() == ["True", "False"], done.stderr[-2000:]
    not_read = "journal line 1 rejected: the journal was not a regular file (a link?): not read"
    assert _admin_records(small_ws) == [(None, not_read, "rejected"), ("analyst", "q", "ok")]
    # a folder: the question's record goes to the warehouse; the fold sets the folder aside
    (small_ws / ".shopql" / "audit.jsonl").mkdir()
    entries = [("ask", "q2", "select 1", None, "ok")]
    audit.write(small_ws / "warehouse.duckdb", "analyst", entries, journal=True)
    assert audit.fold(small_ws / "warehouse.duckdb") and not audit.pending(small_ws)
    assert _admin_records(small_ws)[2:] == [(None, not_read, "rejected"), ("analyst", "q2", "ok")]


def test_a_hard_link_planted_at_the_journals_name_is_neither_written_nor_read(
    small_ws: Path, tmp_path: Path
) -> None:
    """A hard link is a regular file under a second name: appending to it would write a
    question's records into the file it shares with (session 8 let it through)."""
    (small_ws / ".shopql").mkdir(exist_ok=True)
    secret = small_ws / ".shopql" / "notes.txt"  # a hard link must stay on one file system
    secret.write_text("private: the supplier's bank account 6222 0000 1111\n", "utf-8")
    before = secret.read_bytes()
    journal = small_ws / ".shopql" / "audit.jsonl"
    journal.hardlink_to(secret)
    entries = [("ask:offline", "how many shops", "select count(*) from shops", None, "ok")]
    audit.write(small_ws / "warehouse.duckdb", "analyst", entries, journal=True)
    assert secret.read_bytes() == before
    assert not audit.pending(small_ws)
    got = _audit_rows(small_ws)
    assert "6222" not in repr(got) and "supplier" not in repr(got)
    # a hard link at a claimed file's name: not read either
    journal.with_name("audit.1.0.merging").hardlink_to(secret)
    assert audit.pending(small_ws) and audit.fold(small_ws / "warehouse.duckdb")
    assert secret.read_bytes() == before and not audit.pending(small_ws)
    assert "6222" not in repr(_audit_rows(small_ws))
    not_read = "journal line 1 rejected: the journal was not a regular file (a link?): not read"
    assert [r for r in _admin_records(small_ws) if r[2] != "rejected"] == [
        ("analyst", "how many shops", "ok")
    ]
    assert (None, not_read, "rejected") in _admin_records(small_ws)
