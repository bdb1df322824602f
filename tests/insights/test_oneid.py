"""OneID: precision against junk, normalisation, masked phones, stable ids, the real Olist data."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from shopql.insights.customer360 import resolve_one_id
from shopql.insights.oneid import build_one_ids
from tests.conftest import warehouse_reader
from tests.insights.conftest import add_account

SHOP_PHONE = "+86 571 8888 6666"


def components(con: duckdb.DuckDBPyConnection) -> set[frozenset[str]]:
    rows = con.execute("SELECT list(customer_id) FROM one_ids GROUP BY one_id").fetchall()
    return {frozenset(r[0]) for r in rows}


def one_id_of(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("SELECT customer_id, one_id FROM one_ids").fetchall())


def link_status(con: duckdb.DuckDBPyConnection, type_: str, value: str) -> set[str]:
    rows = con.execute(
        """SELECT DISTINCT status FROM _identity_links
           WHERE identifier_type = ? AND identifier_value = ?""",
        [type_, value],
    ).fetchall()
    return {r[0] for r in rows}


def plant_shop(con: duckdb.DuckDBPyConnection) -> list[frozenset[str]]:
    """300 one-off buyers and 5 cross-platform persons, all carrying the shop's phone."""
    shop = ("phone", SHOP_PHONE)
    for i in range(300):
        add_account(con, f"tmall:buyer{i:03d}", ("nick", f"buyer{i:03d}"), shop)
    persons = []
    for k in range(5):
        phone, email = f"1391234000{k}", f"person{k}@mail.example"
        add_account(con, f"tmall:p{k}", ("nick", f"p{k}"), ("phone", phone), shop)
        add_account(con, f"jd:p{k}", ("phone", f"+86 {phone}"), ("email", email.upper()), shop)
        add_account(con, f"shopify:{900 + k}", ("email", email), shop)
        persons.append(frozenset({f"tmall:p{k}", f"jd:p{k}", f"shopify:{900 + k}"}))
    return persons


def test_shared_shop_phone_does_not_merge_everyone(warehouse: duckdb.DuckDBPyConnection) -> None:
    persons = plant_shop(warehouse)
    stats = build_one_ids(warehouse, max_shared=20)
    singles = {frozenset({f"tmall:buyer{i:03d}"}) for i in range(300)}
    assert components(warehouse) == set(persons) | singles
    assert (stats.accounts, stats.persons, stats.merged_accounts) == (315, 305, 15)
    assert stats.junk_identifiers == 1
    assert stats.junk_examples == [("phone", "057188886666", 315, "over_shared")]
    assert link_status(warehouse, "phone", "057188886666") == {"over_shared"}
    assert link_status(warehouse, "email", "person3@mail.example") == {"joined"}


def test_without_the_junk_rule_the_shop_phone_merges_everyone(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    plant_shop(warehouse)
    stats = build_one_ids(warehouse, max_shared=1000)
    assert (stats.accounts, stats.persons) == (315, 1)


def test_masked_phones_never_join(warehouse: duckdb.DuckDBPyConnection) -> None:
    add_account(warehouse, "tmall:a", ("phone", "138****1234"))
    add_account(warehouse, "pdd:b", ("phone", "138****1234"))
    add_account(warehouse, "jd:c", ("phone", "1******1234"), ("phone", "##c1f0a9"))
    add_account(warehouse, "douyin:d", ("phone", "1******1234"))
    stats = build_one_ids(warehouse)
    assert stats.persons == 4
    assert stats.masked_identifiers == 3
    assert link_status(warehouse, "phone", "138****1234") == {"masked"}


@pytest.mark.parametrize(
    "raw",
    [
        "+86 139 1234 5678",
        "0086-13912345678",
        "86 13912345678",
        "139 1234 5678",
        "(+86)139-1234-5678",
    ],
)
def test_phone_spellings_join(warehouse: duckdb.DuckDBPyConnection, raw: str) -> None:
    add_account(warehouse, "tmall:a", ("phone", "13912345678"))
    add_account(warehouse, "jd:b", ("phone", raw))
    stats = build_one_ids(warehouse)
    assert stats.persons == 1
    assert link_status(warehouse, "phone", "13912345678") == {"joined"}


def test_identifier_kinds_normalise_and_stay_in_their_scope(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    add_account(warehouse, "tmall:a", ("email", " Ann@Mail.Example"), ("member_card", "vip 0042"))
    add_account(warehouse, "jd:b", ("email", "ann@mail.example"))
    add_account(warehouse, "youzan:c", ("member_card", "VIP0042"))
    # the same nick on two platforms is two different people
    add_account(warehouse, "tmall:x", ("nick", "lucky"))
    add_account(warehouse, "douyin:y", ("nick", "lucky"))
    # Olist's customer_unique_id: one person behind per-order customer ids
    add_account(warehouse, "olist:o1", ("platform_user", "olist:u1"))
    add_account(warehouse, "olist:o2", ("platform_user", "olist:u1"))
    build_one_ids(warehouse)
    assert components(warehouse) == {
        frozenset({"tmall:a", "jd:b", "youzan:c"}),
        frozenset({"tmall:x"}),
        frozenset({"douyin:y"}),
        frozenset({"olist:o1", "olist:o2"}),
    }
    assert link_status(warehouse, "nick", "tmall:lucky") == {"unique"}
    assert link_status(warehouse, "member_card", "VIP0042") == {"joined"}


def test_a_long_chain_of_links_is_one_person(warehouse: duckdb.DuckDBPyConnection) -> None:
    # account i shares card C{i} with account i+1: the component is found however long the chain
    for i in range(60):
        cards = [("member_card", f"C{j}") for j in (i - 1, i) if 0 <= j < 59]
        add_account(warehouse, f"youzan:m{i:02d}", *cards)
    add_account(warehouse, "youzan:alone", ("member_card", "C999"))
    stats = build_one_ids(warehouse)
    assert stats.persons == 2 and stats.merged_accounts == 60
    assert stats.iterations < 20


def test_blocklisted_and_invalid_values_never_join(warehouse: duckdb.DuckDBPyConnection) -> None:
    for cid in ("tmall:a", "jd:b"):
        add_account(
            warehouse,
            cid,
            ("phone", "11111111111"),
            ("phone", "13800138000"),
            ("phone", "400-820-8820"),
            ("email", "noreply@shop.example"),
            ("email", "null"),
            ("phone", "-"),
            ("name", "张三"),
        )
    stats = build_one_ids(warehouse)
    assert stats.persons == 2
    assert link_status(warehouse, "phone", "4008208820") == {"blocklisted"}
    assert link_status(warehouse, "email", "noreply@shop.example") == {"blocklisted"}
    assert link_status(warehouse, "name", "张三") == {"weak"}
    assert link_status(warehouse, "phone", "-") == {"invalid"}


def test_extra_blocklist_entries(warehouse: duckdb.DuckDBPyConnection) -> None:
    add_account(warehouse, "tmall:a", ("phone", "13912345678"))
    add_account(warehouse, "jd:b", ("phone", "13912345678"))
    assert build_one_ids(warehouse, blocklist=["Phone: +86 139-1234-5678"]).persons == 2
    assert link_status(warehouse, "phone", "13912345678") == {"blocklisted"}


def test_one_ids_stay_stable_when_data_grows(warehouse: duckdb.DuckDBPyConnection) -> None:
    persons = plant_shop(warehouse)
    build_one_ids(warehouse)
    before = one_id_of(warehouse)
    # more accounts: one joins person 2 by e-mail, a new pair, and more one-off buyers
    add_account(warehouse, "douyin:p2", ("email", "Person2@mail.example"))
    add_account(warehouse, "tmall:new1", ("phone", "13700000001"))
    add_account(warehouse, "jd:new1", ("phone", "13700000001"))
    for i in range(5):
        add_account(warehouse, f"pdd:late{i}", ("phone", SHOP_PHONE))
    stats = build_one_ids(warehouse)
    after = one_id_of(warehouse)
    assert all(after[cid] == one_id for cid, one_id in before.items())
    assert after["douyin:p2"] == before["tmall:p2"]
    assert after["tmall:new1"] == after["jd:new1"]
    assert after["tmall:new1"] not in before.values()
    assert stats.new_persons == 6 and stats.retired_one_ids == 0
    assert stats.persons == 305 + 6
    assert frozenset(persons[2] | {"douyin:p2"}) in components(warehouse)
    # a rebuild of unchanged data changes nothing
    build_one_ids(warehouse)
    assert one_id_of(warehouse) == after


def test_bridge_merges_two_persons_and_retires_the_younger_id(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    add_account(warehouse, "tmall:a", ("phone", "13911110000"))
    add_account(warehouse, "jd:b", ("email", "b@mail.example"))
    build_one_ids(warehouse)
    a, b = one_id_of(warehouse)["tmall:a"], one_id_of(warehouse)["jd:b"]
    assert (b, a) == ("P00000001", "P00000002")  # new persons are numbered in customer_id order
    add_account(warehouse, "shopify:c", ("phone", "13911110000"), ("email", "b@mail.example"))
    stats = build_one_ids(warehouse)
    after = one_id_of(warehouse)
    assert stats.retired_one_ids == 1
    assert set(after.values()) == {min(a, b)}
    retired = max(a, b)
    assert warehouse.execute(
        "SELECT one_id FROM _one_id_merges WHERE retired_one_id = ?", [retired]
    ).fetchone() == (min(a, b),)
    # a segment exported with the retired id still finds the person
    assert resolve_one_id(warehouse, retired, "show") == min(a, b)
    # and a fresh person never reuses a retired number
    add_account(warehouse, "pdd:z", ("phone", "13922220000"))
    build_one_ids(warehouse)
    assert one_id_of(warehouse)["pdd:z"] not in {a, b}


def test_value_becoming_over_shared_splits_without_duplicate_ids(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    for i in range(3):
        add_account(warehouse, f"tmall:s{i}", ("phone", "13933330000"))
    build_one_ids(warehouse, max_shared=3)
    (first,) = set(one_id_of(warehouse).values())
    add_account(warehouse, "jd:s3", ("phone", "13933330000"))
    stats = build_one_ids(warehouse, max_shared=3)
    after = one_id_of(warehouse)
    assert stats.persons == 4
    assert len(set(after.values())) == 4
    assert after["tmall:s0"] == first  # the oldest account's component keeps it (ties by label)


def test_evidence_is_recorded_per_account(warehouse: duckdb.DuckDBPyConnection) -> None:
    plant_shop(warehouse)
    build_one_ids(warehouse)
    rows = warehouse.execute(
        """SELECT status, count(*) FROM _identity_links GROUP BY 1 ORDER BY 1"""
    ).fetchall()
    # 305 nicks unique; 315 shop phones; per person 2 phones + 2 e-mails joined
    assert rows == [("joined", 20), ("over_shared", 315), ("unique", 305)]


def test_olist_persons(olist_workspace: Path) -> None:
    con = warehouse_reader(olist_workspace)
    try:
        row = con.execute(
            """SELECT count(*), count(DISTINCT one_id),
                      (SELECT count(DISTINCT one_id) FROM customers),
                      (SELECT count(*) FROM customers WHERE one_id IS NULL)
               FROM one_ids"""
        ).fetchone()
        assert row == (99_441, 96_096, 96_096, 0)
        # every Olist customer_unique_id is exactly one person
        split = con.execute(
            """SELECT count(*) FROM (SELECT buyer_key FROM customers
               GROUP BY 1 HAVING count(DISTINCT one_id) > 1)"""
        ).fetchone()
        assert split == (0,)
        assert con.execute(
            "SELECT count(*) FROM _identity_links WHERE status = 'joined'"
        ).fetchone() == (6_342,)
    finally:
        con.close()
