"""The person key on the orders (orders.one_id, issue 14): person counts read it instead of joining
customers at query time, and answer exactly what the join answered."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from shopql.catalog import SemanticQuery, compile_query, load_catalog
from shopql.catalog.store import default_pack_dir
from shopql.warehouse.derived import PERSON_KEY, needs_rebuild
from shopql.warehouse.schema import MIGRATIONS, SCHEMA_VERSION, V_PERSON_KEY, schema_version
from tests.catalog.helpers import same
from tests.conftest import warehouse_reader

PERSON_METRICS = ("buyers", "repeat_buyers", "repurchase_rate", "new_buyers", "sales_per_buyer")
JOIN_KEY = "coalesce(customers.one_id, customer_id)"  # the person as the release before joined it


def join_catalog(folder: Path) -> Path:
    """A workspace catalog that is the default pack with the person resolved by the join."""
    own = folder / "catalog"
    own.mkdir(parents=True)
    for path in default_pack_dir().glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.name == "semantic_models.yaml":
            assert text.count("expr: one_id\n") >= 3
            text = text.replace(
                "        expr: one_id\n        label: {en: Person (OneID)",
                f"        expr: {JOIN_KEY}\n        label: {{en: Person (OneID)",
            )
            text = text.replace("agg: count_distinct\n        expr: one_id\n", "agg: count_distinct\n"
                                f"        expr: {JOIN_KEY}\n")  # fmt: skip
            old_first = (
                "coalesce(c.one_id, o.customer_id) AS buyer_id, o.paid_at,\n"
                "               row_number() OVER (PARTITION BY coalesce(c.one_id, o.customer_id)"
                " ORDER BY o.paid_at, o.order_id) AS nth\n"
                "        FROM orders AS o LEFT JOIN customers AS c ON c.customer_id = o.customer_id"
            )
            text = text.replace(
                "o.one_id AS buyer_id, o.paid_at,\n"
                "               row_number() OVER (PARTITION BY o.one_id ORDER BY o.paid_at,"
                " o.order_id) AS nth\n        FROM orders AS o",
                old_first,
            )
            # the person dimension and the buyer, ordering-person and repeat-buyer counts
            assert text.count(JOIN_KEY) == 4 and old_first in text
        (own / path.name).write_text(text, encoding="utf-8")
    return folder


QUERIES = [
    dict(metrics=PERSON_METRICS, dimensions=("platform",)),
    dict(metrics=PERSON_METRICS, grain="month"),
    dict(metrics=("buyers", "repeat_buyers"), dimensions=("category",)),
    dict(metrics=("buyers", "repurchase_rate"), dimensions=("province",)),
    dict(metrics=("buyers", "new_buyers"), dimensions=("platform",), grain="quarter"),
]


def both_ways(warehouse: Path, join_ws: Path, key_ws: Path, today: dt.date) -> int:
    """Run every query with the key and with the join; assert equal rows; return rows compared."""
    with_key = load_catalog(key_ws)
    with_join = load_catalog(join_ws)
    con = warehouse_reader(warehouse.parent)
    compared = 0
    try:
        for q in QUERIES:
            query = SemanticQuery(**q)  # type: ignore[arg-type]
            key_sql = compile_query(with_key, query, today=today).sql
            join_sql = compile_query(with_join, query, today=today).sql
            assert "customers" in join_sql
            # no join left for the person (the buyer's province still reads the account)
            assert ("customers" in key_sql) == ("province" in query.dimensions)
            got, expected = con.execute(key_sql).fetchall(), con.execute(join_sql).fetchall()
            assert expected and any(r[-1] for r in expected)
            same(got, expected)
            compared += len(got)
    finally:
        con.close()
    return compared


def test_demo_person_metrics_are_the_same_with_the_key_and_with_the_join(
    demo_workspace: Path, tmp_path: Path
) -> None:
    from tests.catalog.conftest import DEMO_TODAY

    rows = both_ways(
        demo_workspace / "warehouse.duckdb",
        join_catalog(tmp_path / "j"),
        demo_workspace,
        DEMO_TODAY,
    )
    assert rows > 20
    with warehouse_reader(demo_workspace) as con:
        # the key is the person (OneID), not the account, on every order that has an account
        assert con.execute(
            """SELECT count(*) FILTER (WHERE o.one_id IS DISTINCT FROM coalesce(c.one_id,
                      o.customer_id)),
                      count(*) FILTER (WHERE o.one_id LIKE 'P%' AND o.one_id <> o.customer_id),
                      count(o.customer_id)
               FROM orders o LEFT JOIN customers c USING (customer_id)"""
        ).fetchone() == (0, 2148, 2148)


def test_olist_person_metrics_are_the_same_with_the_key_and_with_the_join(
    olist_workspace: Path, tmp_path: Path
) -> None:
    rows = both_ways(
        olist_workspace / "warehouse.duckdb",
        join_catalog(tmp_path / "j"),
        olist_workspace,
        dt.date(2018, 10, 1),
    )
    assert rows > 50


def release_warehouse(source: Path, target: Path) -> Path:
    """A copy of `source` as the release before the key wrote it: no orders.one_id, the schema
    version before V_PERSON_KEY."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    before = MIGRATIONS.index(V_PERSON_KEY)  # type: ignore[arg-type]
    con = duckdb.connect(str(target))
    con.execute("ALTER TABLE orders DROP COLUMN one_id")
    con.execute("UPDATE _meta SET value = ? WHERE key = 'schema_version'", [str(before)])
    con.close()
    return target


def test_migration_keys_the_orders_of_a_release_warehouse(
    demo_workspace: Path, tmp_path: Path
) -> None:
    from shopql.warehouse.connection import open_writer

    ws = tmp_path / "ws"
    path = release_warehouse(demo_workspace / "warehouse.duckdb", ws / "warehouse.duckdb")
    con = open_writer(path)
    assert schema_version(con) == SCHEMA_VERSION
    missing, orders, persons = con.execute(
        """SELECT count(*) FILTER (WHERE o.one_id IS DISTINCT FROM coalesce(c.one_id,
                  o.customer_id)), count(*), count(DISTINCT o.one_id)
           FROM orders o LEFT JOIN customers c USING (customer_id)"""
    ).fetchone()  # type: ignore[misc]
    assert missing == 0 and persons < orders
    assert needs_rebuild(con) == {}
    con.close()
    for name in ("workspace.toml", "warehouse.key"):
        if (demo_workspace / name).exists():
            shutil.copy(demo_workspace / name, ws / name)
    from tests.catalog.conftest import DEMO_TODAY

    assert both_ways(path, join_catalog(tmp_path / "j"), demo_workspace, DEMO_TODAY) > 20


def test_orders_written_without_the_key_are_stale_and_rebuilt(
    demo_workspace: Path, tmp_path: Path
) -> None:
    from shopql.config import load_settings
    from shopql.sync.engine import refresh_derived
    from shopql.warehouse.connection import open_writer

    ws = tmp_path / "ws"
    shutil.copytree(demo_workspace, ws)
    con = open_writer(ws / "warehouse.duckdb")
    person, account = con.execute(
        "SELECT one_id, customer_id FROM customers WHERE one_id IS NOT NULL ORDER BY 2 LIMIT 1"
    ).fetchone()  # type: ignore[misc]
    con.execute(
        """INSERT INTO orders (order_id, platform, customer_id, status, created_at, paid_at,
               paid_amount) VALUES ('x:1', 'tmall', ?, 'completed', '2025-05-30', '2025-05-30', 9)""",
        [account],
    )
    assert PERSON_KEY in needs_rebuild(con)
    con.close()
    note = refresh_derived(load_settings(ws))
    assert note and "person_key" in note
    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    assert con.execute("SELECT one_id FROM orders WHERE order_id = 'x:1'").fetchone() == (person,)
    assert needs_rebuild(con) == {}
    con.close()


@pytest.mark.parametrize("rebuild", ["identity build", "sync rebuild"])
def test_a_oneid_build_moves_the_key_of_the_orders(tmp_path: Path, rebuild: str) -> None:
    """Two accounts merge into one person: their orders follow, in the build's transaction."""
    from shopql.config import load_settings
    from shopql.insights.oneid import build_one_ids
    from shopql.sync.engine import rebuild_derived
    from shopql.warehouse import person_key
    from shopql.warehouse.connection import open_writer
    from shopql.warehouse.derived import ONE_ID, mark_stale
    from shopql.warehouse.workspace import init_workspace

    ws = tmp_path / "ws"
    init_workspace(ws)
    con = open_writer(ws / "warehouse.duckdb")
    con.execute(
        """INSERT INTO customers (customer_id, platform, phone) VALUES
           ('tmall:a', 'tmall', '13900001111'), ('jd:b', 'jd', NULL)"""
    )
    con.execute(
        """INSERT INTO orders (order_id, platform, customer_id, status, created_at, paid_at,
               paid_amount) VALUES
           ('tmall:1', 'tmall', 'tmall:a', 'completed', '2025-05-01', '2025-05-01', 10),
           ('jd:2', 'jd', 'jd:b', 'completed', '2025-05-02', '2025-05-02', 20),
           ('jd:3', 'jd', NULL, 'completed', '2025-05-03', '2025-05-03', 30)"""
    )
    assert person_key.refresh(con) == 2  # before OneID: the accounts; no account: no person
    build_one_ids(con)
    keys = dict(con.execute("SELECT order_id, one_id FROM orders").fetchall())
    assert keys["jd:3"] is None and keys["tmall:1"] != keys["jd:2"]
    assert keys["tmall:1"].startswith("P")
    # the JD account turns out to carry the same phone: one person now
    con.execute("UPDATE customers SET phone = '+86 139-0000-1111' WHERE customer_id = 'jd:b'")
    if rebuild == "identity build":
        build_one_ids(con)
    else:
        mark_stale(con, ONE_ID, "test")
        assert rebuild_derived(con, load_settings(ws)) == [ONE_ID]
    keys = dict(con.execute("SELECT order_id, one_id FROM orders").fetchall())
    assert (
        keys["tmall:1"]
        == keys["jd:2"]
        == con.execute("SELECT one_id FROM customers WHERE customer_id = 'jd:b'").fetchone()[0]
    )  # type: ignore[index]
    assert needs_rebuild(con) == {}
    con.close()


def test_sync_writes_the_key_with_the_orders_it_loads(tmp_path: Path) -> None:
    """The load alone (no OneID rebuild after it) keys the orders it writes from the accounts."""
    from shopql.config import load_settings
    from shopql.sync.engine import run_sync
    from shopql.sync.loader import sync_paths
    from shopql.warehouse.connection import open_writer
    from shopql.warehouse.workspace import init_workspace

    fixtures = Path(__file__).parents[1] / "fixtures" / "jd"
    first, second = sorted(fixtures.glob("*.csv"))
    ws = tmp_path / "ws"
    init_workspace(ws)
    settings = load_settings(ws)
    run_sync(settings, [first])  # loads and builds OneID
    con = open_writer(ws / "warehouse.duckdb")
    keys = """SELECT count(*), count(*) FILTER (WHERE o.one_id IS NOT DISTINCT FROM
                     coalesce(c.one_id, o.customer_id)), count(*) FILTER (WHERE o.one_id LIKE 'P%')
              FROM orders o LEFT JOIN customers c USING (customer_id)"""
    orders, right, persons = con.execute(keys).fetchone()  # type: ignore[misc]
    assert orders and right == orders and persons
    con.execute("UPDATE orders SET one_id = NULL")  # as if never keyed
    sync_paths(con, [first], timezone=settings.timezone, force=True)  # the load, no rebuild
    assert con.execute(keys).fetchone() == (orders, orders, persons)
    sync_paths(con, [second], timezone=settings.timezone)  # the next export (updates orders)
    total, right, _ = con.execute(keys).fetchone()  # type: ignore[misc]
    assert total >= orders and right == total
    con.close()
