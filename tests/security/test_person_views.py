"""Person views outside the SQL guard (`shopql customer`, `identity explain`, `tags show`, the
board's Customers tab) show personal data by the guard's own masks.

Attack (worked before this fix): as `analyst`, `shopql customer P…` and `identity explain P…`
printed every account's raw customer_id (``douyin:~0145…``, the sync-time pseudonym or a
platform's own account id), which the guard shows that role only as its keyed hash
(``douyin:k759c…``); the role could also look persons up by the raw key (a lookup the guard's
own view never offers) but not by the key it was shown."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from shopql.config import load_settings
from shopql.insights.customer360 import IdentityError, customer_view, explain
from shopql.insights.tags import person_tags
from shopql.warehouse.connection import open_reader
from shopql.warehouse.policy import PersonalData, personal_data
from shopql.warehouse.query import run_guarded
from tests.conftest import cli_in_process
from tests.security.conftest import leaked


@pytest.fixture(scope="module")
def person(attack_ws: Path) -> dict[str, object]:
    """A person with several accounts joined by an identifier, their raw keys (the owner's view)."""
    con = duckdb.connect(str(attack_ws / "warehouse.duckdb"), read_only=True)
    try:
        one_id, keys = con.execute(
            """SELECT one_id, list(customer_id ORDER BY customer_id) FROM one_ids
               GROUP BY 1 HAVING count(*) >= 2 ORDER BY 1 LIMIT 1"""
        ).fetchone()
        all_keys = {r[0] for r in con.execute("SELECT customer_id FROM customers").fetchall()}
    finally:
        con.close()
    return {"one_id": one_id, "keys": list(keys), "all_keys": all_keys}


def guard_keys(ws: Path, role: str, one_id: str) -> list[str | None]:
    """The account keys of `one_id` as the SQL guard shows them to `role`."""
    settings = replace(load_settings(ws), role=role)
    from shopql.warehouse.policy import guard_context

    done = run_guarded(
        settings.warehouse_path,
        f"SELECT c.customer_id FROM customers c JOIN one_ids i ON i.customer_id = c.customer_id "
        f"WHERE i.one_id = '{one_id}' ORDER BY 1",
        role=role,
        source="test",
        row_cap=100,
        timeout_s=30,
        ctx=guard_context(settings),
    )
    return [r[0] for r in done.rows]


def view_as(ws: Path, role: str) -> PersonalData:
    return personal_data(replace(load_settings(ws), role=role))


def test_customer_shows_keys_as_the_guard_does(attack_ws: Path, person: dict) -> None:
    one_id, keys = str(person["one_id"]), person["keys"]
    expected = {role: guard_keys(attack_ws, role, one_id) for role in ("analyst", "guest")}
    con = open_reader(attack_ws / "warehouse.duckdb")
    try:
        owner = customer_view(con, one_id, view_as(attack_ws, "admin"))
        for role in ("analyst", "guest"):
            shown = customer_view(con, one_id, view_as(attack_ws, role))
            masked = sorted(a["customer_id"] for a in shown["accounts"])
            assert masked == expected[role]
            assert not set(masked) & person["all_keys"]
            assert all(k.split(":")[1].startswith("k") for k in masked)
            assert not leaked([(json.dumps(shown, default=str),)], person["all_keys"])
        denied = customer_view(con, one_id, view_as(attack_ws, "viewer"))
    finally:
        con.close()
    assert sorted(a["customer_id"] for a in owner["accounts"]) == keys  # the control
    assert [a["customer_id"] for a in denied["accounts"]] == [None] * len(keys)
    assert (denied["orders"], denied["spend"]) == (owner["orders"], owner["spend"])


def test_explain_shows_keys_and_identifiers_masked(attack_ws: Path, person: dict) -> None:
    one_id = str(person["one_id"])
    con = open_reader(attack_ws / "warehouse.duckdb")
    try:
        owner = explain(con, one_id, "show")
        shown = explain(con, one_id, view_as(attack_ws, "analyst"))
        denied = explain(con, one_id, view_as(attack_ws, "viewer"))
    finally:
        con.close()
    links = [*owner["joined_by"], *owner["ignored"]]
    assert any(set(r["accounts"]) & person["all_keys"] for r in links)  # the control
    masked_links = [*shown["joined_by"], *shown["ignored"]]
    assert len(masked_links) == len(links)
    for row in masked_links:
        assert not set(row["accounts"]) & person["all_keys"]
        assert row["accounts"] and all(":k" in a for a in row["accounts"])
        assert "*" in str(row["value"])
    assert not leaked([(json.dumps(shown, default=str),)], person["all_keys"])
    for row in [*denied["joined_by"], *denied["ignored"]]:
        assert row["value"] is None and row["accounts"] == []


def test_a_masked_role_looks_up_by_the_key_it_is_shown(attack_ws: Path, person: dict) -> None:
    one_id, raw = str(person["one_id"]), str(person["keys"][0])
    expected = guard_keys(attack_ws, "analyst", one_id)
    con = open_reader(attack_ws / "warehouse.duckdb")
    try:
        analyst = view_as(attack_ws, "analyst")
        hashed = analyst.value(con, "key", raw)
        assert hashed != raw and hashed in expected
        assert customer_view(con, hashed, analyst)["one_id"] == one_id
        assert person_tags(con, hashed, analyst)["one_id"] == one_id
        with pytest.raises(IdentityError, match="no person matches"):
            customer_view(con, raw, analyst)  # the raw key is no lookup for this role
        assert customer_view(con, raw, "show")["one_id"] == one_id
    finally:
        con.close()


def test_cli_customer_and_explain_as_analyst(attack_ws: Path, person: dict) -> None:
    ws, one_id = str(attack_ws), str(person["one_id"])
    expected = guard_keys(attack_ws, "analyst", one_id)
    for command in (["customer", one_id], ["identity", "explain", one_id]):
        done = cli_in_process("--workspace", ws, "--role", "analyst", *command, "--format", "json")
        assert done.returncode == 0, done.stderr
        assert not leaked([(done.stdout,)], person["all_keys"]), command
        doc = json.loads(done.stdout)
        assert sorted(a["customer_id"] for a in doc["accounts"]) == expected
        table = cli_in_process("--workspace", ws, "--role", "analyst", *command)
        assert table.returncode == 0 and not leaked([(table.stdout,)], person["all_keys"])


def test_board_customers_tab_as_analyst(attack_ws: Path, person: dict) -> None:
    from shopql.tui.panels import customer

    settings = replace(load_settings(attack_ws), role="analyst")
    doc = customer(settings, str(person["one_id"]))
    assert len(doc["accounts"]) == len(person["keys"])
    assert not leaked([(json.dumps(doc, default=str),)], person["all_keys"])
