"""The generated attack suite: every feature of `attacks.py` against every personal-data column
(or table) of the demo, each under one of the roles that may not see personal data (analyst,
guest — a role defined in the workspace's shopql.toml — and viewer, pii = deny), through the
same path `ask` uses. No raw personal value may come back, and every query that returned rows
has its audit record."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.errors import ShopqlError
from shopql.nlq.session import Workspace
from shopql.warehouse.guard import warehouse_schema
from tests.conftest import warehouse_reader
from tests.security.attacks import COLUMN_ATTACKS, TABLE_ATTACKS, attack_table
from tests.security.conftest import leaked

ROLES = ("analyst", "guest", "viewer")


@pytest.fixture(scope="module")
def outcomes(attack_ws: Path, secrets: set[str]) -> dict[str, object]:
    """Run the whole table once: each query under the role of its turn (row cap 50, which is
    plenty to see a leak and keeps the suite quick)."""
    table = attack_table(warehouse_schema(attack_ws / "warehouse.duckdb"))
    spaces = {
        role: Workspace(load_settings(attack_ws, overrides={"role": role, "row_cap": 50}))
        for role in ROLES
    }
    leaks, returned, refused = [], dict.fromkeys(ROLES, 0), 0
    try:
        for n, (feature, tbl, column, sql) in enumerate(table):
            role = ROLES[n % len(ROLES)]
            try:
                result = spaces[role].run(sql, f"attack {n}", source="attack-suite")
            except ShopqlError:
                refused += 1
                continue
            returned[role] += 1
            found = leaked(result.rows, secrets)
            if found:
                leaks.append((role, feature, tbl, column, sql, found[:3]))
    finally:
        for ws in spaces.values():
            ws.close()
    return {"table": table, "leaks": leaks, "returned": returned, "refused": refused}


def test_the_table_covers_every_feature_column_and_role(outcomes: dict[str, object]) -> None:
    table = outcomes["table"]
    assert isinstance(table, list) and len(table) > 900
    assert {f for f, *_ in table} == set(COLUMN_ATTACKS) | set(TABLE_ATTACKS)
    pairs = {(t, c) for _, t, c, _ in table if c != "*"}
    assert ("customers", "phone") in pairs and ("orders", "customer_id") in pairs
    assert ("events", "user_key") in pairs and ("identities", "identifier_value") in pairs
    assert len(pairs) == 18  # orders.raw_district and district_code: copies of district


def test_no_raw_personal_value_comes_back(outcomes: dict[str, object]) -> None:
    assert outcomes["leaks"] == []
    returned = outcomes["returned"]
    assert isinstance(returned, dict)
    # for masking roles most attacks are ordinary SQL that runs, masked; the deny role refuses
    # every query naming a removed column, and runs the rest without those columns
    assert returned["analyst"] > 200 and returned["guest"] > 200, returned
    assert returned["viewer"] > 20, returned


def test_every_returned_query_is_audited(outcomes: dict[str, object], attack_ws: Path) -> None:
    con = warehouse_reader(attack_ws)
    try:
        audited = dict(
            con.execute(
                "SELECT role, count(*) FROM _audit WHERE source = 'attack-suite' "
                "AND outcome = 'ok' GROUP BY role"
            ).fetchall()
        )
        total = con.execute("SELECT count(*) FROM _audit WHERE source = 'attack-suite'").fetchone()
    finally:
        con.close()
    assert audited == outcomes["returned"]
    assert total == (len(outcomes["table"]),)  # type: ignore[arg-type]
