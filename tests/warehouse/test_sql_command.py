"""`shopql sql`: reads run, anything that writes or touches files is refused with one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import cli_in_process, run_cli
from tests.sync.test_bad_input import query


def data_digest(ws: Path) -> list[tuple[str, int]]:
    """Row counts of every table except the audit trail (which records the refusal)."""
    tables = [r[0] for r in query(ws, "select table_name from information_schema.tables")]
    return [
        (t, query(ws, f'select count(*) from "{t}"')[0][0]) for t in sorted(tables) if t != "_audit"
    ]


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("drop table orders", "only SELECT"),
        ("select 1; drop table orders", "exactly one statement"),
        ("copy orders to 'x.csv'", "only SELECT"),
        ("select * from read_csv('/etc/passwd')", "read_csv"),
        ("attach 'x.db'", "only SELECT"),
        ("select * from 'secrets.csv'", "not allowed"),
        ("with t as (select 1) delete from orders", "only SELECT"),
    ],
)
def test_refused(workspace: Path, tmp_path: Path, statement: str, expected: str) -> None:
    before = data_digest(workspace)
    files_before = sorted(p.name for p in tmp_path.rglob("*"))
    # the first statement through a real `shopql` process (its exit status and stderr as a shell
    # sees them), the others through the same entry point in this process
    shopql = run_cli if statement == "drop table orders" else cli_in_process
    done = shopql("--workspace", str(workspace), "sql", statement, cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert expected in line
    assert done.stdout == ""
    assert data_digest(workspace) == before
    assert sorted(p.name for p in tmp_path.rglob("*")) == files_before
    assert query(workspace, "select sql, outcome from _audit") == [(statement, "refused")]


def test_select_as_json(olist_workspace: Path) -> None:
    done = cli_in_process(
        "--workspace",
        str(olist_workspace),
        "sql",
        "select status, count(*) as n from orders group by 1 order by n desc",
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["columns"] == ["status", "n"]
    assert doc["rows"][0] == ["completed", 96_478]
    assert sum(n for _, n in doc["rows"]) == 99_441
    assert "LIMIT" in doc["sql"].upper()


def test_csv_and_money_as_numbers(olist_workspace: Path) -> None:
    done = cli_in_process(
        "-w",
        str(olist_workspace),
        "sql",
        "select sum(amount) as total from payments",
        "--format",
        "csv",
    )
    assert done.stdout.splitlines() == ["total", "16008872.12"]
    done = cli_in_process(
        "-w",
        str(olist_workspace),
        "sql",
        "select min(created_at) as t from orders",
        "--format",
        "json",
    )
    assert json.loads(done.stdout)["rows"] == [["2016-09-04T21:15:19"]]


def test_bad_sql_is_one_line(workspace: Path) -> None:
    done = cli_in_process("--workspace", str(workspace), "sql", "selec * form orders")
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
