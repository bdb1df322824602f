"""Who may read an exported file. The choice (README "Exports and the display cap"): a file a
user exports gets the mode of any new file of theirs (0666 less the umask: 0644 with the usual
022, 0640 with 027), so a report they share is readable as they expect; a file that may hold
personal data as stored (an admin's rows of a personal-data column, an audience file of contacts,
even hashed, or of raw person keys) is its owner's only (0600), like the warehouse.

Before: every export was 0600 (the safe temporary file's mode), whatever it held."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.insights.audience_export import export_segment
from shopql.warehouse.export import export_query
from shopql.warehouse.policy import guard_context
from tests.conftest import run_cli, warehouse_reader


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _export(ws: Path, role: str, sql: str, out: Path) -> list[str]:
    ctx = guard_context(replace(load_settings(ws), role=role))
    result = export_query(ws / "warehouse.duckdb", sql, out, ctx=ctx)
    assert result.private == (_mode(out) == 0o600)
    if out.suffix == ".parquet":
        return []
    return out.read_text(encoding="utf-8").splitlines()[1:]


PRIVATE = [  # an admin reads personal data as stored: by name, whole rows, a row as a value
    "select phone from customers where phone not like '%*%'",
    "select * from customers",
    "select c from customers c",
    "select columns('ph.*') from customers",
    "select platform, count(*) from customers where email is not null group by 1",  # filter
    # a position the guard cannot name (two tables): was written 0644 with the phones in it
    "select #7 from customers, (select 1) as one",
    # `*` over a derived table or a CTE is as private as what they select (session 35)
    "select * from (select * from customers) as q",
    "select * from (select phone from customers) as q",
    "with c as (select * from customers) select * from c",
    # the two below end with a LIMIT of their own: their FROM and select list (what decides the
    # mode) are as they were found, but the whole product of the demo's orders and customers is
    # ~1.5 M rows, ~30 CPU s each to write and read back (6 % of a test run's CPU for two cases)
    "select * from (select platform from orders) as q, customers limit 1000",
    # a join in parentheses is no derived table: its `*` reads customers whole (found reading
    # the change again; was 0644)
    "select * from ((select platform from orders) q cross join customers) limit 1000",
]
SHARED = [  # no personal column read
    "select platform, count(*) as n from orders group by 1 order by 1",
    "select count(*) from customers",
    # `*` over derived tables / CTEs that select no personal column (the top-one query wrapped
    # around a ranking: `ask --out` of "哪个平台销售额最高" was 0600 and said it held personal data)
    "select * from (select platform, count(*) as n from orders group by 1) as r order by 1",
    "with r as (select platform from orders group by 1) select * from r order by 1",
]


@pytest.mark.parametrize("sql", PRIVATE)
def test_an_admins_personal_data_is_its_owners_only(
    attack_ws: Path, tmp_path: Path, umask: None, sql: str
) -> None:
    rows = _export(attack_ws, "admin", sql, tmp_path / "out.csv")
    assert rows and _mode(tmp_path / "out.csv") == 0o600


@pytest.mark.parametrize("sql", SHARED)
def test_other_exports_get_the_users_umask(
    attack_ws: Path, tmp_path: Path, umask: None, sql: str
) -> None:
    with warehouse_reader(attack_ws) as con:
        expected = con.execute(sql).fetchall()
    rows = _export(attack_ws, "admin", sql, tmp_path / "out.csv")
    assert rows == [",".join(str(v) for v in r) for r in expected]
    assert _mode(tmp_path / "out.csv") == 0o644
    os.umask(0o027)
    _export(attack_ws, "admin", sql, tmp_path / "out.parquet")
    assert _mode(tmp_path / "out.parquet") == 0o640


def test_a_masked_roles_file_holds_no_raw_data_and_follows_the_umask(
    attack_ws: Path, tmp_path: Path, umask: None
) -> None:
    rows = _export(attack_ws, "analyst", PRIVATE[0], tmp_path / "phones.jsonl")
    assert rows == [] or all("****" in r for r in rows)  # masked phones contain '*'
    rows = _export(attack_ws, "analyst", "select phone from customers", tmp_path / "all.csv")
    assert rows and all("****" in r for r in rows if r != '""')
    assert _mode(tmp_path / "all.csv") == 0o644


def test_the_cli_says_when_a_file_is_private(attack_ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "people.csv"
    done = run_cli("-w", str(attack_ws), "sql", "select nick from customers", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "readable by you only: it holds personal data as stored" in done.stderr
    assert _mode(out) == 0o600


@pytest.mark.parametrize(
    ("role", "target", "private"),
    [("analyst", "persons", False), ("admin", "persons", True), ("marketer", "taobao", True)],
)
def test_audience_files(
    attack_ws: Path, tmp_path: Path, umask: None, role: str, target: str, private: bool
) -> None:
    settings = load_settings(attack_ws)
    out = tmp_path / f"{role}-{target}.csv"
    with warehouse_reader(attack_ws) as con:
        doc = export_segment(
            con,
            "SELECT DISTINCT one_id FROM one_ids",
            "test",
            target,
            out,
            role=role,
            roles=settings.roles,
        )
    assert doc["rows"] > 0
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == doc["rows"] + 1
    assert _mode(out) == (0o600 if private else 0o644)


def test_a_cte_named_like_a_table_counts_as_the_tables_rows() -> None:
    """Guarded SQL never names a CTE like a stored table (the guard refuses it); the check on the
    file's mode does not lean on that: such a CTE's `*` counts as the table's whole rows."""
    from shopql.warehouse.guard import GuardContext, shows_personal_data

    ctx = GuardContext.for_role("admin")
    for sql in (
        "select * from customers, (with customers as (select 1 as a) select * from customers) q",
        "with a as (select * from customers), customers as (select 1 as z) select * from a",
    ):
        assert shows_personal_data(sql, ctx), sql
    assert not shows_personal_data("with r as (select platform from orders) select * from r", ctx)
