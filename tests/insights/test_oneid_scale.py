"""OneID at scale: the work tables live outside the write transaction (so what a round drops
is freed), and the persons are exactly those of a plain union-find over the same evidence."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from shopql.bench.oneid_bench import generate
from shopql.insights.oneid import build_one_ids


class Recording:
    """A connection that remembers each statement it ran (and nothing else changes)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.statements: list[str] = []

    def execute(self, sql: str, *args: Any) -> Any:
        self.statements.append(" ".join(sql.split()))
        return self.con.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.con, name)


def union_find_persons(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """customer_id -> person as an independent oracle: union-find over the values the build
    recorded as `joined`, ids numbered P00000001… in the order of each person's first account."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (account,) in con.execute("SELECT customer_id FROM customers").fetchall():
        find(account)
    rows = con.execute(
        """SELECT customer_id, identifier_type || ':' || identifier_value FROM _identity_links
           WHERE status = 'joined'"""
    ).fetchall()
    for account, value in rows:
        a, b = find(account), find("value " + value)
        if a != b:
            parent[a] = b
    groups: dict[str, list[str]] = {}
    for account in [a for a in parent if not a.startswith("value ")]:
        groups.setdefault(find(account), []).append(account)
    ordered = sorted(groups.values(), key=min)
    return {a: f"P{n:08d}" for n, members in enumerate(ordered, 1) for a in members}


def test_generated_accounts_get_the_union_find_persons(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    generate(warehouse, 6_000, seed=3)
    stats = build_one_ids(warehouse)
    got = dict(warehouse.execute("SELECT customer_id, one_id FROM one_ids").fetchall())
    want = union_find_persons(warehouse)
    assert got == want
    assert stats.accounts == len(want) == 6_000
    assert stats.persons == len(set(want.values()))
    sizes: dict[str, int] = {}
    for person in want.values():
        sizes[person] = sizes.get(person, 0) + 1
    assert stats.merged_accounts == sum(n for n in sizes.values() if n > 1)
    assert 0 < stats.merged_accounts < stats.accounts  # the generator plants multi-account persons
    # the customers and the evidence agree with one_ids
    mismatched = warehouse.execute(
        """SELECT count(*) FROM customers c JOIN one_ids o USING (customer_id)
           WHERE c.one_id IS DISTINCT FROM o.one_id"""
    ).fetchone()
    assert mismatched == (0,)
    assert build_one_ids(warehouse).new_persons == 0  # a rebuild keeps every id


def test_work_tables_are_made_and_dropped_outside_the_write_transaction(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    generate(warehouse, 500, seed=5)
    recording = Recording(warehouse)
    build_one_ids(recording)  # type: ignore[arg-type]
    statements = recording.statements
    begin = statements.index("BEGIN TRANSACTION")
    commit = statements.index("COMMIT")
    work = ("_id_norm", "_id_shared", "_id_edges", "_id_label")
    # every round of labels is made before the transaction, where replacing frees the last one
    rounds = [i for i, s in enumerate(statements) if "WITH key_min AS" in s]
    assert len(rounds) >= 2 and max(rounds) < begin
    inside = statements[begin:commit]
    made = [f"CREATE OR REPLACE TEMP TABLE {t} " for t in work]
    assert not [s for s in inside if any(s.startswith(m) for m in made)]
    # nothing of the build's work is left behind, and the setting it changed is restored
    temp = warehouse.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name LIKE '\\_id\\_%' ESCAPE '\\'"
    ).fetchone()
    assert temp == (0,)
    assert warehouse.execute("SELECT current_setting('preserve_insertion_order')").fetchone() == (
        True,
    )


def test_the_evidence_keeps_each_identifiers_own_platform_and_text(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    # Values are numbered and grouped as integers; the text and the platform an identifier came
    # from (its own, the account's when it names none, the smallest when it came several ways)
    # must come back unchanged in `_identity_links`.
    warehouse.execute(
        """INSERT INTO customers (customer_id, platform, phone) VALUES
           ('tmall:a', 'tmall', '139 1234 5678'), ('jd:b', 'jd', NULL), ('pdd:c', 'pdd', NULL)"""
    )
    warehouse.executemany(
        """INSERT INTO identities (identifier_type, identifier_value, customer_id, platform)
           VALUES (?, ?, ?, ?)""",
        [
            ["mobile", "+86 13912345678", "tmall:a", "youzan"],  # the same phone, another source
            ["phone", "13912345678", "jd:b", None],  # names no platform: the account's
            ["e-mail", "Bo@Mail.Example", "jd:b", "jd"],
            ["email", "bo@mail.example", "jd:b", "douyin"],  # same value twice: smallest platform
            ["nick", "bo", "jd:b", None],
            ["nick", "bo", "pdd:c", "pdd"],
            ["name", "Bo", "pdd:c", "pdd"],
        ],
    )
    build_one_ids(warehouse)
    rows = warehouse.execute(
        """SELECT customer_id, platform, identifier_type, identifier_value, status, accounts
           FROM _identity_links ORDER BY ALL"""
    ).fetchall()
    assert rows == [
        ("jd:b", "douyin", "email", "bo@mail.example", "unique", 1),
        ("jd:b", "jd", "nick", "jd:bo", "unique", 1),
        ("jd:b", "jd", "phone", "13912345678", "joined", 2),
        ("pdd:c", "pdd", "name", "Bo", "weak", 1),
        ("pdd:c", "pdd", "nick", "pdd:bo", "unique", 1),
        ("tmall:a", "tmall", "phone", "13912345678", "joined", 2),
    ]
    persons = warehouse.execute("SELECT count(DISTINCT one_id) FROM one_ids").fetchone()
    assert persons == (2,)


def test_values_sharing_a_number_are_numbered_again(
    warehouse: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Values are keyed by a 64-bit hash. Force every value of one build onto one number: the
    # check hash must see it, and the build must number them again and find the same persons and
    # evidence as the build before it, whose numbers never collided.
    from shopql.insights import oneid

    generate(warehouse, 400, seed=11)

    def state() -> tuple[list[Any], list[Any]]:
        links = warehouse.execute("SELECT * FROM _identity_links ORDER BY ALL").fetchall()
        return links, warehouse.execute("SELECT * FROM one_ids ORDER BY ALL").fetchall()

    build_one_ids(warehouse)
    want = state()
    assert len(want[0]) > 400 and len({p for _, p in want[1]}) > 1
    monkeypatch.setattr(
        oneid, "VALUE_HASH", "CASE WHEN {seed} = 0 THEN 7::UBIGINT ELSE hash(type, value) END"
    )
    recording = Recording(warehouse)
    stats = build_one_ids(recording)  # type: ignore[arg-type]
    assert sum("THEN 7::UBIGINT" in s and "_id_norm AS" in s for s in recording.statements) == 2
    assert state() == want
    assert (stats.accounts, stats.new_persons, stats.retired_one_ids) == (len(want[1]), 0, 0)
    # numbers that always collide are an error before anything is written, not a wrong person
    monkeypatch.setattr(oneid, "VALUE_HASH", "7::UBIGINT")
    with pytest.raises(RuntimeError, match="collided"):
        build_one_ids(warehouse)
    assert state() == want
