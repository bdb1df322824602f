"""The fault suite: `kill -9` at each point of a sync (before, during and after a file's commit,
during the OneID rebuild). Each leaves a consistent warehouse — a file is wholly in or wholly
out, lineage complete — and the next command repairs what was left stale.

The kill is real (SIGKILL in a subprocess), placed exactly by ``SHOPQL_FAULT=<point>``
(shopql.warehouse.faults); killing mid-read of a big file is tests/sync/test_kill.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner, Result

from tests.conftest import FIXTURES, run_cli

SHOPIFY = FIXTURES / "shopify" / "orders_export_1.csv"
JD = FIXTURES / "jd"  # two exports of the same 7 orders (the second with newer states), 5 buyers
JD_ORDERS = 7


@pytest.fixture
def ws(workspace: Path) -> Path:
    """A workspace with one Shopify export synced and OneID up to date."""
    from shopql.config import load_settings
    from shopql.sync.engine import run_sync

    assert not run_sync(load_settings(workspace), [SHOPIFY]).failed
    return workspace


def killed_sync(ws: Path, point: str, *paths: Path) -> None:
    """`shopql sync` in a real process, killed with SIGKILL at `point`."""
    done = run_cli("-w", str(ws), "sync", *map(str, paths), env={"SHOPQL_FAULT": point})
    assert done.returncode == -9, f"not killed at {point}: {done.returncode} {done.stderr}"


def shopql(ws: Path, *args: str) -> Result:
    """The next command, in this process (the kill already happened in another)."""
    from shopql.cli.main import cli

    return CliRunner().invoke(cli, ["-w", str(ws), *args], catch_exceptions=False)


def facts(ws: Path) -> dict[str, object]:
    """What the warehouse holds, checking on the way that it is consistent."""
    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:

        def one(sql: str) -> object:
            return con.execute(sql).fetchone()[0]  # type: ignore[index]

        # every row's file is recorded, and each file's quarantine is whole (no half file)
        lineage = "SELECT count(*) FROM orders ANTI JOIN _sync_files ON file_id = source_file_id"
        assert one(lineage) == 0
        assert one("SELECT count(*) FROM _quarantine ANTI JOIN _sync_files USING (file_id)") == 0
        halves = """SELECT count(*) FROM _sync_files f WHERE rows_quarantined <>
                    (SELECT count(DISTINCT line) FROM _quarantine q WHERE q.file_id = f.file_id)"""
        assert one(halves) == 0
        return {
            "files": one("SELECT count(*) FROM _sync_files"),
            "jd_orders": one("SELECT count(*) FROM orders WHERE platform = 'jd'"),
            "customers": one("SELECT count(*) FROM customers"),
            "without_one_id": one("SELECT count(*) FROM customers WHERE one_id IS NULL"),
            "one_ids": one("SELECT count(*) FROM one_ids"),
            "stale": one("SELECT count(*) FROM _meta WHERE key LIKE 'stale:%'"),
        }
    finally:
        con.close()


def assert_up_to_date(ws: Path) -> None:
    now = facts(ws)
    assert now["without_one_id"] == 0 and now["stale"] == 0
    assert now["one_ids"] == now["customers"]


def test_kill_before_commit_keeps_nothing_of_the_file(ws: Path) -> None:
    before = facts(ws)
    killed_sync(ws, "before_commit", JD)
    assert facts(ws) == before  # the file's rows, its lineage and its stale mark all rolled back
    again = shopql(ws, "sync", str(JD), "--format", "json")
    assert again.exit_code == 0, again.stderr
    assert [f["status"] for f in json.loads(again.stdout)["files"]] == ["loaded", "loaded"]
    assert facts(ws)["jd_orders"] == JD_ORDERS
    assert_up_to_date(ws)


def test_kill_during_commit_keeps_the_file_whole_or_not_at_all(ws: Path) -> None:
    killed_sync(ws, "in_commit", JD)
    after = facts(ws)  # consistency is checked inside, whichever side of the commit the kill hit
    assert after["files"] in (1, 2) and after["jd_orders"] in (0, JD_ORDERS)
    again = shopql(ws, "sync", str(JD))
    assert again.exit_code == 0, again.stderr
    final = facts(ws)
    assert (final["files"], final["jd_orders"]) == (3, JD_ORDERS)
    assert_up_to_date(ws)


def test_kill_after_commit_leaves_oneid_marked_stale_and_the_next_sync_rebuilds(ws: Path) -> None:
    killed_sync(ws, "after_commit", JD)
    after = facts(ws)
    assert (after["files"], after["jd_orders"]) == (3, JD_ORDERS)
    assert after["without_one_id"] == 5 and after["stale"] == 1  # the JD buyers, and it is known
    again = shopql(ws, "sync", str(JD), "--format", "json")
    assert again.exit_code == 0, again.stderr
    assert {f["status"] for f in json.loads(again.stdout)["files"]} == {"already synced"}
    assert_up_to_date(ws)


def test_kill_after_commit_is_repaired_by_the_next_query(ws: Path) -> None:
    killed_sync(ws, "after_commit", JD)
    done = shopql(
        ws, "sql", "select count(*) as n from customers where one_id is null", "--format", "json"
    )
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["rows"] == [[0]]
    assert "note: rebuilt one_id: it was out of date" in done.stderr
    assert_up_to_date(ws)
    quiet = shopql(ws, "sql", "select 1")
    assert "note:" not in quiet.stderr  # rebuilt once, not on every command


def test_kill_during_oneid_rolls_it_back_and_customer_lookup_repairs(ws: Path) -> None:
    killed_sync(ws, "in_one_id", JD)
    after = facts(ws)
    assert after["jd_orders"] == JD_ORDERS and after["without_one_id"] == 5
    assert after["stale"] == 1  # the rebuild's transaction, with the mark's removal, rolled back
    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    jd_customer = con.execute("SELECT min(customer_id) FROM customers WHERE platform = 'jd'")
    customer_id = jd_customer.fetchone()[0]  # type: ignore[index]
    con.close()
    done = shopql(ws, "customer", customer_id, "--format", "json")
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["one_id"].startswith("P")
    assert_up_to_date(ws)


def test_identity_build_clears_the_stale_mark_in_its_own_transaction(ws: Path) -> None:
    from shopql.warehouse.connection import open_writer
    from shopql.warehouse.derived import ONE_ID, mark_stale, stale_state

    con = open_writer(ws / "warehouse.duckdb")
    try:
        mark_stale(con, ONE_ID, "a test")
        assert stale_state(con)[ONE_ID].startswith("a test at ")
        con.execute("DELETE FROM one_ids")
        con.execute("UPDATE customers SET one_id = NULL")
    finally:
        con.close()
    done = shopql(ws, "identity", "build", "--format", "json")
    assert done.exit_code == 0, done.stderr
    assert_up_to_date(ws)


def test_a_warehouse_left_behind_before_stale_marks_existed_is_repaired_by_the_next_sync(
    ws: Path,
) -> None:
    # what the old release left after a kill between commit and OneID: accounts without a
    # one_id, no mark, and every file "already synced"
    con = duckdb.connect(str(ws / "warehouse.duckdb"))
    con.execute("UPDATE customers SET one_id = NULL WHERE customer_id IN "
                "(SELECT customer_id FROM customers LIMIT 3)")  # fmt: skip
    con.close()
    assert facts(ws)["without_one_id"] == 3 and facts(ws)["stale"] == 0
    again = shopql(ws, "sync", str(SHOPIFY), "--format", "json")
    assert again.exit_code == 0, again.stderr
    assert {f["status"] for f in json.loads(again.stdout)["files"]} == {"already synced"}
    assert_up_to_date(ws)
