"""Person keys: ``orders.one_id`` and every column copied from a one_id (person_tags,
person_lines, segment_members …) hold ``coalesce(customers.one_id, customer_id)`` — the raw
account key wherever an account has no OneID yet. ``customer_id`` is personal data (class
``key``): a role that may not see it must not read it through a person key either — not by
SELECT, aggregates, exports, audience exports or a lake export. People are still counted.

The workspace: the attack demo with OneID "not built yet" for every account off Tmall (the
state an older release's warehouse or a sync stopped before its OneID step leaves behind), so
orders.one_id and the person tags hold raw account keys for them.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from shopql.catalog.run import run_metrics
from shopql.catalog.semantic import SemanticQuery
from shopql.config import DEFAULT_ROLES, load_settings
from shopql.errors import GuardError, ShopqlError
from shopql.insights.audience_export import export_segment
from shopql.insights.segments import Actor, create_segment, segment_sql
from shopql.insights.tags import refresh_tags
from shopql.nlq.session import Workspace
from shopql.warehouse.connection import open_writer, pseudonym_secret
from shopql.warehouse.export import export_query
from shopql.warehouse.guard import BUILTIN_PII, PERSON
from shopql.warehouse.lake import export_lake
from shopql.warehouse.person_key import refresh
from shopql.warehouse.policy import guard_context_at
from tests.security.attacks import COLUMN_ATTACKS
from tests.security.conftest import ATTACK_TODAY, leaked

MASKED_ROLES = ("analyst", "marketer")
PERSON_TABLES = sorted(t for t, cols in BUILTIN_PII.items() if PERSON in cols.values())


@pytest.fixture(scope="module")
def leaky_ws(attack_ws: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("person-keys") / "ws"
    shutil.copytree(attack_ws, folder, ignore=shutil.ignore_patterns("exports", "_truth"))
    con = open_writer(folder / "warehouse.duckdb")
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute("UPDATE customers SET one_id = NULL WHERE platform <> 'tmall'")
        assert refresh(con) > 500  # orders re-keyed to their raw account keys
        con.execute("COMMIT")
        refresh_tags(con, as_of=ATTACK_TODAY)  # the person tags copy them
        create_segment(con, "everyone", "net_spend >= 0", Actor("t", "admin"), ATTACK_TODAY)
    finally:
        con.close()
    return folder


@pytest.fixture(scope="module")
def account_keys(leaky_ws: Path) -> set[str]:
    """The raw account keys the person keys hold (what the attacker is after)."""
    con = duckdb.connect(str(leaky_ws / "warehouse.duckdb"), read_only=True)
    try:
        keys = {
            str(r[0]) for r in con.execute("SELECT DISTINCT customer_id FROM customers").fetchall()
        }
        held = {
            str(r[0])
            for table in ("orders", "person_tags", "segment_members", "person_lines")
            for r in con.execute(
                f"SELECT DISTINCT one_id FROM {table} WHERE one_id IS NOT NULL"
            ).fetchall()
        }
    finally:
        con.close()
    found = keys & held
    assert len(found) > 300  # the attack has something to find
    return found


_spaces: dict[tuple[Path, str], Workspace] = {}


def rows_of(ws: Path, sql: str, role: str) -> list[tuple[Any, ...]]:
    """The rows `role` reads, through the path `ask` uses (one reader per role, audited)."""
    if (ws, role) not in _spaces:
        _spaces[ws, role] = Workspace(load_settings(ws, overrides={"role": role}))
    return list(_spaces[ws, role].run(sql, "attack", source="attack-person").rows)


def close_readers() -> None:
    """Before another connection of this process opens the file (DuckDB allows one
    configuration per file and process)."""
    for space in _spaces.values():
        space.close()
    _spaces.clear()


@pytest.fixture(scope="module", autouse=True)
def _close_spaces() -> Iterator[None]:
    yield
    close_readers()


@pytest.mark.parametrize("role", MASKED_ROLES)
def test_no_account_key_through_orders_one_id(
    leaky_ws: Path, account_keys: set[str], role: str
) -> None:
    """Every column attack of the generated suite, on orders.one_id."""
    ran, leaks = 0, []
    for feature, template in COLUMN_ATTACKS.items():
        sql = template.format(t="orders", T="ORDERS", c="one_id", C="ONE_ID", i=1, xs="x1")
        try:
            rows = rows_of(leaky_ws, sql, role)
        except ShopqlError:  # refused, or not valid SQL for this column
            continue
        ran += bool(rows)
        leaks += [(feature, v) for v in leaked(rows, account_keys)[:1]]
    assert leaks == []
    assert ran > 35


@pytest.mark.parametrize("role", MASKED_ROLES)
def test_no_account_key_through_any_person_column(
    leaky_ws: Path, account_keys: set[str], role: str
) -> None:
    """Every table holding a person key: rows, aggregates that keep values, and stars."""
    for table in PERSON_TABLES:
        for column, kind in BUILTIN_PII[table].items():
            if kind != PERSON:
                continue
            for sql in (
                f"select {column} from {table}",
                f"select min({column}), max({column}), string_agg({column}, ',') from {table}",
                f"select to_json({table}) from {table}",
            ):
                assert leaked(rows_of(leaky_ws, sql, role), account_keys) == [], sql


def test_people_are_still_counted(leaky_ws: Path) -> None:
    """count(distinct one_id) is the same for every role, and a masked person key is the same
    pseudonym as the masked customer_id (joins and per-account counts still line up)."""
    count = (
        "select count(distinct one_id), count(*) filter (where one_id = customer_id) from orders"
    )
    admin = rows_of(leaky_ws, count, "admin")
    assert admin[0][0] > 1000 and admin[0][1] > 500
    for role in MASKED_ROLES:
        assert rows_of(leaky_ws, count, role) == admin
    people = "select count(distinct one_id) from orders"
    assert rows_of(leaky_ws, people, "viewer") == [(admin[0][0],)]  # pii = deny: masked, kept
    with pytest.raises(GuardError, match="customer_id"):
        rows_of(leaky_ws, "select customer_id from orders", "viewer")
    joined = (
        "select count(distinct t.one_id) from person_tags t join orders o using (one_id) "
        "join customers c on c.customer_id = o.customer_id"
    )
    assert rows_of(leaky_ws, joined, "analyst") == rows_of(leaky_ws, joined, "admin")
    close_readers()
    query = SemanticQuery(metrics=["buyers", "repeat_buyers"], dimensions=["platform"])
    answers = {
        role: run_metrics(load_settings(leaky_ws, overrides={"role": role}), query)[1].rows
        for role in ("admin", *MASKED_ROLES)
    }
    assert len(answers["admin"]) == 5 and sum(r[1] for r in answers["admin"]) > 1000
    assert answers["analyst"] == answers["marketer"] == answers["admin"]


@pytest.mark.parametrize("role", MASKED_ROLES)
def test_exports_carry_no_account_key(
    leaky_ws: Path, account_keys: set[str], role: str, tmp_path: Path
) -> None:
    close_readers()
    warehouse = leaky_ws / "warehouse.duckdb"
    ctx = guard_context_at(warehouse, role, 10_000)
    out = tmp_path / "orders.csv"
    result = export_query(warehouse, "select one_id, platform from orders", out, ctx=ctx)
    assert result.row_count > 2000
    with out.open(encoding="utf-8") as f:
        cells = [tuple(r) for r in csv.reader(f)]
    assert leaked(cells, account_keys) == []

    con = open_writer(warehouse)
    try:
        persons = tmp_path / "persons.csv"
        members = segment_sql(con, "everyone", ATTACK_TODAY)
        doc = export_segment(
            con,
            members,
            "everyone",
            "persons",
            persons,
            role=role,
            roles=DEFAULT_ROLES,
            key_secret=pseudonym_secret(leaky_ws),
        )
        size = con.execute(f"SELECT count(DISTINCT one_id) FROM ({members})").fetchone()
    finally:
        con.close()
    with persons.open(encoding="utf-8-sig") as f:
        cells = [tuple(r) for r in csv.reader(f)]
    assert doc["rows"] == len(cells) - 1 == (size[0] if size else -1)
    assert sum(not r[0].startswith("P") for r in cells[1:]) > 300  # persons without a OneID
    assert leaked(cells, account_keys) == []


def test_lake_export_as_analyst_carries_no_account_key(
    leaky_ws: Path, account_keys: set[str], tmp_path: Path
) -> None:
    close_readers()
    settings = load_settings(leaky_ws, overrides={"role": "analyst"})
    lake = tmp_path / "lake"
    export_lake(settings, lake)
    con = duckdb.connect()
    try:
        for table in PERSON_TABLES:
            files = sorted((lake / table).rglob("*.parquet"))
            if not files:
                continue
            rows = con.execute(
                "SELECT * FROM read_parquet(?, union_by_name = true)", [[str(f) for f in files]]
            ).fetchall()
            assert leaked(rows, account_keys) == [], table
    finally:
        con.close()
