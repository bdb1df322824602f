"""OneID built in hash partitions of the values (issue 14: the 10 M build outgrew memory) finds
the same persons, the same ids and the same evidence as the build in one piece, on generated
accounts, on the demo and on Olist, first build and rebuild alike."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from shopql.bench.oneid_bench import generate
from shopql.insights import oneid
from shopql.insights.oneid import build_one_ids
from shopql.warehouse.connection import open_writer
from tests.conftest import demo_seed7
from tests.insights.conftest import add_account
from tests.insights.test_oneid_scale import union_find_persons

State = tuple[list[Any], ...]


def state(con: duckdb.DuckDBPyConnection) -> State:
    """Everything a build writes: ids, the accounts' and orders' person, evidence, merges."""
    return (
        con.execute("SELECT customer_id, one_id FROM one_ids ORDER BY ALL").fetchall(),
        con.execute("SELECT customer_id, one_id FROM customers ORDER BY ALL").fetchall(),
        con.execute("SELECT order_id, one_id FROM orders ORDER BY ALL").fetchall(),
        con.execute("SELECT * FROM _identity_links ORDER BY ALL").fetchall(),
        con.execute("SELECT retired_one_id, one_id FROM _one_id_merges ORDER BY ALL").fetchall(),
        con.execute("SELECT value FROM _meta WHERE key = 'one_id_last'").fetchall(),
    )


def both_ways(source: Path, tmp_path: Path, partitions: int) -> tuple[State, State]:
    """Build OneID on two copies of the warehouse file `source`: in one piece and in
    `partitions` hash partitions; return what each wrote."""
    states = []
    for parts in (1, partitions):
        copy = tmp_path / f"parts{parts}" / "warehouse.duckdb"
        copy.parent.mkdir(parents=True)
        shutil.copyfile(source, copy)
        con = open_writer(copy)
        try:
            stats = build_one_ids(con, partitions=parts)
            assert stats.partitions == parts
            states.append(state(con))
        finally:
            con.close()
    return states[0], states[1]


def test_generated_accounts_same_persons_in_partitions(tmp_path: Path) -> None:
    source = tmp_path / "generated.duckdb"
    con = open_writer(source)
    generate(con, 20_000, seed=5)
    con.close()
    whole, parted = both_ways(source, tmp_path, partitions=7)
    assert parted == whole
    assert len(whole[0]) == 20_000
    # and both are the persons of a plain union-find over the joined evidence
    con = duckdb.connect(str(tmp_path / "parts7" / "warehouse.duckdb"))
    try:
        assert dict(whole[0]) == union_find_persons(con)
    finally:
        con.close()
    persons = {p for _, p in whole[0]}
    assert 1 < len(persons) < 20_000  # the generator plants multi-account persons
    # the junk the generator plants is refused the same way in every partition
    statuses = {row[4] for row in whole[3]}
    assert {"joined", "unique", "masked", "over_shared", "blocklisted"} <= statuses


def test_demo_same_persons_in_partitions(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    demo = demo_seed7(tmp_path_factory)
    whole, parted = both_ways(demo / "warehouse.duckdb", tmp_path, partitions=4)
    assert parted == whole
    assert whole[0] and whole[2]
    # some persons hold several accounts (the demo plants buyers on several platforms)
    persons = [p for _, p in whole[0]]
    assert len(set(persons)) < len(persons)


def test_olist_same_persons_in_partitions(olist_workspace: Path, tmp_path: Path) -> None:
    whole, parted = both_ways(olist_workspace / "warehouse.duckdb", tmp_path, partitions=5)
    assert parted == whole
    # Olist's customer_unique_id joins each buyer's per-order customer ids
    persons = [p for _, p in whole[0]]
    assert len(set(persons)) < len(persons)


def test_grown_data_rebuilds_alike_in_partitions(tmp_path: Path) -> None:
    # A first build, then accounts that bridge two persons and a new one: the rebuild in
    # partitions keeps, retires and issues exactly the ids the one-piece rebuild does.
    source = tmp_path / "grown.duckdb"
    con = open_writer(source)
    generate(con, 3_000, seed=9)
    build_one_ids(con)
    first = dict(con.execute("SELECT customer_id, one_id FROM one_ids").fetchall())
    phones = con.execute(
        """SELECT min(identifier_value) FROM _identity_links JOIN one_ids USING (customer_id)
           WHERE identifier_type = 'phone' AND status IN ('joined', 'unique')
           GROUP BY one_id ORDER BY one_id LIMIT 2"""
    ).fetchall()
    add_account(con, "jd:bridge", *[("phone", p) for (p,) in phones])
    add_account(con, "jd:newcomer", ("email", "new@mail.example"))
    add_account(con, "pdd:newcomer", ("email", "NEW@mail.example"))
    con.close()
    whole, parted = both_ways(source, tmp_path, partitions=3)
    assert parted == whole
    after = dict(whole[0])
    assert after["jd:newcomer"] == after["pdd:newcomer"] not in first.values()
    assert len(whole[4]) == 1  # the bridge retired the younger of the two persons' ids
    assert sum(after[a] != first[a] for a in first) >= 1


def test_partitions_follow_the_memory_limit_and_leave_no_files(
    warehouse: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(warehouse, 2_000, seed=4)
    rows = warehouse.execute("SELECT count(*) FROM identities").fetchone()
    assert rows is not None
    memory = oneid._memory_limit(warehouse)
    assert memory is not None and memory > 10**8  # the writer's bound (3GB → 2.2 GiB)
    assert oneid._partitions(warehouse) == 1  # a small warehouse is built in one piece
    # plan a byte budget per row that splits this warehouse into four partitions
    monkeypatch.setattr(oneid, "BYTES_PER_ROW", memory * 7 // (2 * rows[0]))
    assert oneid._partitions(warehouse) == 4
    stats = build_one_ids(warehouse)
    assert stats.partitions == 4
    spill = warehouse.execute("SELECT current_setting('temp_directory')").fetchone()
    assert spill is not None
    assert not list(Path(str(spill[0])).glob("oneid-*"))  # its files are gone
    temp = warehouse.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name LIKE '\\_id\\_%' ESCAPE '\\'"
    ).fetchone()
    assert temp == (0,)
    assert dict(warehouse.execute("SELECT customer_id, one_id FROM one_ids").fetchall()) == (
        union_find_persons(warehouse)
    )


def test_values_sharing_a_number_are_numbered_again_in_partitions(
    warehouse: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A collision is seen within the partition both values fall in; the build numbers every
    # value again and ends as the build without the collision.
    generate(warehouse, 400, seed=11)
    build_one_ids(warehouse, partitions=3)
    want = state(warehouse)
    monkeypatch.setattr(
        oneid, "VALUE_HASH", "CASE WHEN {seed} = 0 THEN 7::UBIGINT ELSE hash(type, value) END"
    )
    stats = build_one_ids(warehouse, partitions=3)
    assert state(warehouse) == want
    assert (stats.new_persons, stats.retired_one_ids) == (0, 0)
    monkeypatch.setattr(oneid, "VALUE_HASH", "7::UBIGINT")
    with pytest.raises(RuntimeError, match="collided"):
        build_one_ids(warehouse, partitions=3)
    assert state(warehouse) == want
