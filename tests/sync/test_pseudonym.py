"""Account keys derived from personal data are pseudonymised at sync time (issue 10, item 4):
no nick, e-mail or phone in customer_id / buyer_key / user_key, joins intact, the key kept in the
workspace for its owner only, and existing warehouses re-keyed by a migration."""

from __future__ import annotations

import stat
from pathlib import Path

import duckdb
import pytest

from shopql.config import load_settings
from shopql.insights.oneid import build_one_ids
from shopql.sync import pseudonym as P
from shopql.sync.engine import run_sync
from shopql.sync.pseudonym import key_path, load_key, pseudonym
from shopql.warehouse import schema
from shopql.warehouse.connection import open_writer
from tests.conftest import FIXTURES, OLIST

FILES = [FIXTURES / "taobao", FIXTURES / "shopify", FIXTURES / "jd"]
KEY_COLUMNS = [
    ("customers", "customer_id"),
    ("customers", "buyer_key"),
    ("orders", "customer_id"),
    ("identities", "customer_id"),
    ("one_ids", "customer_id"),
    ("_identity_links", "customer_id"),
]


def read(ws: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_sql_macro_and_python_agree() -> None:
    key = bytes(range(32))
    con = duckdb.connect()
    con.execute(P.macro(key))
    values = ["taobao:tb158880144", "shopify:alice@example.com", "tb_李四", "jd:阿木_9635", None]
    got = [r[0] for r in con.execute("SELECT sq_pseudo(unnest(?))", [values]).fetchall()]
    assert got == [pseudonym(key, v) for v in values]
    assert got[0].startswith("taobao:~") and len(got[0]) == len("taobao:~") + 24
    assert got[2].startswith("~") and got[4] is None
    assert pseudonym(key, "taobao:x") != pseudonym(bytes(32), "taobao:x")  # keyed


def test_sync_writes_no_raw_key_and_joins_still_work(workspace: Path) -> None:
    run_sync(load_settings(workspace), FILES)
    nicks = {r[0] for r in read(workspace, "SELECT nick FROM customers WHERE nick IS NOT NULL")}
    emails = {r[0] for r in read(workspace, "SELECT lower(email) FROM customers WHERE email > ''")}
    assert len(nicks) >= 5 and len(emails) >= 3
    for table, column in KEY_COLUMNS:
        keys = [r[0] for r in read(workspace, f"SELECT DISTINCT {column} FROM {table}") if r[0]]
        assert keys, (table, column)
        assert all(P.is_safe_key(k) and "~" in k for k in keys), (table, column, keys[:3])
        leaked = [k for k in keys if any(v in k for v in nicks | emails)]
        assert leaked == [], (table, column)
    # joins: every order's and identity's account exists, every account has its person
    assert read(
        workspace,
        """SELECT count(*) FILTER (WHERE c.customer_id IS NULL), count(*) FROM orders o
           LEFT JOIN customers c USING (customer_id) WHERE o.customer_id IS NOT NULL""",
    )[0] == (0, read(workspace, "SELECT count(customer_id) FROM orders")[0][0])
    assert read(
        workspace,
        """SELECT count(*) FROM identities i ANTI JOIN customers c USING (customer_id)""",
    ) == [(0,)]
    assert read(workspace, "SELECT count(*) FROM customers WHERE one_id IS NULL") == [(0,)]
    # the key: owner-only, stable, and it gives the same pseudonym for the same raw key
    secret = load_key(workspace / "warehouse.duckdb")
    path = key_path(workspace / "warehouse.duckdb")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    expected = pseudonym(secret, "shopify:alice@example.com")
    assert read(
        workspace, f"SELECT email, buyer_key FROM customers WHERE customer_id = '{expected}'"
    ) == [("alice@example.com", pseudonym(secret, "alice@example.com"))]


def test_opaque_dataset_ids_stay_raw(workspace: Path) -> None:
    run_sync(load_settings(workspace), [OLIST / "olist_customers_dataset.csv.gz"])
    keys = read(workspace, "SELECT customer_id, buyer_key FROM customers LIMIT 3")
    assert all(k.startswith("olist:") and "~" not in k and "~" not in b for k, b in keys)


def raw_warehouse(ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A warehouse as the release before pseudonyms wrote it: schema up to the migration
    before V_PSEUDONYM_KEYS, raw nick- and e-mail-based keys, OneID built."""
    path = ws / "warehouse.duckdb"
    path.unlink()
    con = duckdb.connect(str(path))
    schema.migrate(con, target=schema.MIGRATIONS.index(schema.V_PSEUDONYM_KEYS))
    from shopql.sync.loader import sync_paths

    with monkeypatch.context() as m:
        m.setattr(P, "pseudonymise_rows", lambda con, table, names: None)
        sync_paths(con, FILES, timezone="Asia/Shanghai")
    build_one_ids(con)
    con.close()
    return path


def test_migration_rekeys_an_existing_warehouse_consistently(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = raw_warehouse(workspace, monkeypatch)
    before = {
        (t, c): read(workspace, f"SELECT {c} FROM {t} ORDER BY rowid") for t, c in KEY_COLUMNS
    }
    persons = read(workspace, "SELECT customer_id, one_id FROM customers ORDER BY rowid")
    assert ("taobao:tb_li_2",) in before[("customers", "customer_id")]

    open_writer(path).close()  # opening for writing runs the migration

    secret = load_key(path)
    for (table, column), rows in before.items():
        after = read(workspace, f"SELECT {column} FROM {table} ORDER BY rowid")
        assert after == [(pseudonym(secret, r[0]),) for r in rows], (table, column)
    # the same persons, now under pseudonymised keys
    assert read(workspace, "SELECT customer_id, one_id FROM customers ORDER BY rowid") == [
        (pseudonym(secret, c), o) for c, o in persons
    ]
    # and a new file synced after the migration joins the re-keyed accounts, not duplicates
    report = run_sync(load_settings(workspace), [FIXTURES / "taobao"], force=True)
    assert not report.failed
    assert read(workspace, "SELECT count(*) FROM customers WHERE customer_id NOT LIKE '%:~%'") == [
        (0,)
    ]
    assert read(workspace, "SELECT count(*) FROM customers")[0][0] == len(persons)


def test_a_raw_key_typed_by_a_user_still_finds_the_person(workspace: Path) -> None:
    from shopql.insights.customer360 import resolve_one_id
    from shopql.warehouse.connection import open_reader

    run_sync(load_settings(workspace), [FIXTURES / "taobao"])
    secret = load_key(workspace / "warehouse.duckdb")
    (one_id,) = read(
        workspace,
        f"SELECT one_id FROM customers WHERE customer_id = '{pseudonym(secret, 'taobao:tb_li_2')}'",
    )[0]
    con = open_reader(workspace / "warehouse.duckdb")
    try:
        assert resolve_one_id(con, "taobao:tb_li_2", "show") == one_id
    finally:
        con.close()


def test_a_lost_key_is_refused_not_replaced(workspace: Path) -> None:
    from shopql.errors import SyncError

    settings = load_settings(workspace)
    run_sync(settings, [FIXTURES / "taobao"])
    accounts = read(workspace, "SELECT count(*) FROM customers")
    key_path(workspace / "warehouse.duckdb").unlink()
    with pytest.raises(SyncError, match="pseudonym key .* is missing") as refused:
        run_sync(settings, [FIXTURES / "jd"])
    assert "restore the key file" in (refused.value.hint or "")
    assert read(workspace, "SELECT count(*) FROM customers") == accounts
    assert not key_path(workspace / "warehouse.duckdb").exists()


def test_sources_that_keep_raw_keys_are_the_ones_the_migration_knows() -> None:
    """The migration keeps keys with RAW_KEY_PREFIXES raw: exactly the sources that opt out."""
    from shopql.sync.registry import builtin_sources

    opted_out = [s for s in builtin_sources() if not all(k.pseudonymise for k in s.kinds)]
    assert sorted(s.name for s in opted_out) == ["olist", "retail", "taobao_userbehavior"]
    for source in opted_out:
        for kind in source.kinds:
            for target in kind.targets:
                for column in set(target.columns) & set(P.COLUMNS) - {"buyer_key"}:
                    expr = target.columns[column]
                    assert expr.startswith(tuple(f"'{p}'" for p in P.RAW_KEY_PREFIXES)), expr
