"""Segments and audience exports on the six-person warehouse of test_tags."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from pathlib import Path

import duckdb
import pytest

from shopql.config import DEFAULT_ROLES
from shopql.insights.audience_export import ExportRefused, audit_export, export_segment
from shopql.insights.conditions import ConditionError
from shopql.insights.segments import (
    Actor,
    SegmentError,
    create_list_segment,
    create_segment,
    members_sql,
    overlap,
    preview,
    refresh_segments,
    segment_sql,
    show_segment,
)
from shopql.insights.tags import RuleTag, refresh_tags
from tests.insights.test_tags import AS_OF, build_shop

ADMIN = Actor("alice", "admin")


@pytest.fixture
def shop(warehouse: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    build_shop(warehouse)
    refresh_tags(warehouse, [RuleTag("repeat", "orders >= 2")], as_of=AS_OF)
    return warehouse


def members(con: duckdb.DuckDBPyConnection, condition: str) -> set[str]:
    rows = con.execute(members_sql(con, condition, AS_OF)).fetchall()
    return {r[0].split(":")[1] for r in rows}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("bought(category = '沙发')", "ac"),
        ("bought(category = '沙发') AND NOT bought(category = '地毯')", "c"),
        ("bought(category = '茶几')", ""),  # e's coffee table was refunded
        ("bought(times >= 2)", "adf"),
        ("bought(spend >= 240)", "acd"),
        ("bought(days = 30)", "abef"),  # paid on or after 2025-06-01
        ("bought(platform = 'jd', since = '2025-01-01', until = '2025-06-15')", "de"),
        ("bought(product = 'SOFA', days = 7)", "a"),  # the seller code matches too
        ("platform = 'jd' AND NOT tag = 'repeat'", "e"),
        ("rfm_segment IN ('重要价值客户', '重要挽留客户') OR lifecycle = 'won_back'", "acf"),
        ("net_spend BETWEEN 100 AND 300 AND NOT (r_score < 3)", "af"),
        ("NOT bought()", ""),
    ],
)
def test_conditions(shop: duckdb.DuckDBPyConnection, condition: str, expected: str) -> None:
    assert members(shop, condition) == set(expected)


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("net_spnd > 1", "unknown person field 'net_spnd'"),
        ("bought(colour = 'red')", "bought() does not know 'colour'"),
        ("drop_table()", "unknown function drop_table()"),
        ("bought(days = 'x')", "days = N"),
        ("province = upper('x')", "is not a plain value"),
        ("1; DROP TABLE orders", "one expression"),
        ("rfm_segment > 5", "rfm_segment is text"),
        ("net_spend >= 'lots'", "net_spend is a number"),
        ("first_purchase_at > 'soon'", "takes a date"),
    ],
)
def test_bad_conditions_say_why(
    shop: duckdb.DuckDBPyConnection, condition: str, message: str
) -> None:
    with pytest.raises((ConditionError, SegmentError, Exception)) as info:
        members_sql(shop, condition, AS_OF)
    assert message in str(info.value)


def test_segment_history_overlap_and_lists(shop: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    create_segment(shop, "sofa", "bought(category = '沙发')", ADMIN, AS_OF, description="x")
    with pytest.raises(SegmentError, match="exists"):
        create_segment(shop, "sofa", "bought(category = '杯子')", ADMIN, AS_OF)
    bob = Actor("bob", "marketer")
    create_segment(shop, "sofa", "bought(category IN ('沙发', '杯子'))", bob, AS_OF, replace=True)
    listed = tmp_path / "people.csv"
    listed.write_text("customer_id\ntmall:a\njd:d\n", encoding="utf-8")
    assert create_list_segment(shop, "picked", listed, ADMIN, policy="show")["size"] == 2
    assert preview(shop, "segment('picked') AND segment('sofa')", AS_OF)["size"] == 2
    assert overlap(shop, "sofa", "picked", AS_OF) | {"jaccard": None} == {
        "a": "sofa",
        "b": "picked",
        "size_a": 6,
        "size_b": 2,
        "both": 2,
        "only_a": 4,
        "only_b": 0,
        "union": 6,
        "jaccard": None,
    }
    refresh_segments(shop, ["sofa"], ADMIN, AS_OF)
    doc = show_segment(shop, "sofa", AS_OF)
    history = [(h["os_user"], h["role"], h["action"], h["size"]) for h in doc["history"]]
    assert history == [
        ("alice", "admin", "create", 2),
        ("bob", "marketer", "update", 6),
        ("alice", "admin", "refresh", 6),
    ]
    assert doc["updated_by"] == "bob (marketer)" and doc["description"] == "x"


def test_person_list_with_unknown_lines_is_refused(
    shop: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    listed = tmp_path / "people.txt"
    listed.write_text("tmall:a\nnobody\n", encoding="utf-8")
    with pytest.raises(SegmentError, match="1 of 2 lines"):
        create_list_segment(shop, "bad", listed, ADMIN, policy="show")
    assert shop.execute("SELECT count(*) FROM segments").fetchone() == (0,)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _normal_phone(raw: str) -> str:
    """Independent of the SQL: digits, and E.164 with the country code the export wrote."""
    digits = re.sub(r"\D", "", raw)
    return "+" + digits


def export(
    con: duckdb.DuckDBPyConnection, target: str, tmp_path: Path, role: str = "admin"
) -> list:
    create_segment(con, "all", "bought()", ADMIN, AS_OF, replace=True)
    sql = segment_sql(con, "all", AS_OF)
    out = tmp_path / f"{target}.csv"
    doc = export_segment(con, sql, "all", target, out, role=role, roles=DEFAULT_ROLES)
    audit_export(con, role, doc, sql)
    with out.open(encoding="utf-8-sig") as f:
        return list(csv.reader(f))


def test_meta_and_google_hash_normalised_contacts(
    shop: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    a_phone, f_phone = _normal_phone("+86 139 1234 5678"), _normal_phone("+1 (415) 555-0100")
    email = " Alice@Example.COM ".strip().lower()
    meta = export(shop, "meta", tmp_path)
    assert (
        meta
        == [
            ["email", "phone", "country"],
            [_sha("d@qq.com"), "", ""],  # jd:d's phone is masked: never exported
            ["", _sha(f_phone[1:]), ""],  # Meta: digits with the country code, no +
            [_sha(email), _sha(a_phone[1:]), _sha("cn")],
        ]
    )  # b, c and e have no phone or e-mail: skipped
    google = export(shop, "google", tmp_path)
    assert google[2:] == [["", _sha(f_phone), ""], [_sha(email), _sha(a_phone), "CN"]]
    audited = shop.execute(
        "SELECT role, rows, question FROM _audit WHERE source = 'segment export' ORDER BY 3"
    ).fetchall()
    assert [(r[0], r[1]) for r in audited] == [("admin", 3), ("admin", 3)]
    assert "--target google" in audited[0][2]


def test_domestic_targets_use_md5_of_the_mobile(
    shop: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    rows = export(shop, "taobao", tmp_path)
    assert rows == [["phone_md5", "taobao_buyer_id"], [hashlib.md5(b"13912345678").hexdigest(), ""]]


def test_roles_limit_contact_exports(shop: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    with pytest.raises(ExportRefused, match="raw phones"):
        export(shop, "shopify", tmp_path, role="marketer")
    with pytest.raises(ExportRefused, match="even hashed"):
        export(shop, "jd", tmp_path, role="analyst")
    assert export(shop, "persons", tmp_path, role="analyst")[0][0] == "one_id"
    shopify = export(shop, "shopify", tmp_path)
    assert shopify[3][2] == "alice@example.com" and shopify[3][4] == "+8613912345678"
    assert shopify[3][6] == "all"  # the segment becomes the customer tag


def test_today_window_is_inclusive(shop: duckdb.DuckDBPyConnection) -> None:
    day = dt.date(2025, 6, 29)
    assert len(shop.execute(members_sql(shop, "bought(days = 1)", day)).fetchall()) == 2


def test_conditions_from_offline_questions(shop: duckdb.DuckDBPyConnection) -> None:
    from shopql.catalog.semantic import Filter, SemanticQuery, TimeRange
    from shopql.insights.segments import NotAPersonSet, condition_from_query

    june = TimeRange(dt.datetime(2025, 6, 1), dt.datetime(2025, 7, 1), "2025-06")
    without = SemanticQuery(
        metrics=("buyers",),
        time_range=june,
        filters=(
            Filter("product_title", "like", ("%SOFA%",)),
            Filter("product_title", "not like", ("%table%",)),
        ),
    )
    condition = condition_from_query(without, "buyers_without")
    assert condition == (
        "bought((title ILIKE '%SOFA%'), since = '2025-06-01', until = '2025-06-30') "
        "AND NOT bought((title ILIKE '%table%'))"
    )
    assert members(shop, condition) == {"a"}  # a's sofa was in June; c's in March
    tagged = SemanticQuery(
        metrics=("tagged_persons",), filters=(Filter("lifecycle", "=", ("new",)),)
    )
    assert members(shop, condition_from_query(tagged)) == {"b"}
    for refused in (
        SemanticQuery(metrics=("paid_gmv",)),
        SemanticQuery(metrics=("buyers",), dimensions=("platform",)),
        SemanticQuery(metrics=("buyers",), filters=(Filter("payment_channel", "=", ("alipay",)),)),
    ):
        with pytest.raises(NotAPersonSet) as info:
            condition_from_query(refused)
        assert info.value.exit_code == 5


def test_refresh_all_reports_a_broken_segment_and_goes_on(shop: duckdb.DuckDBPyConnection) -> None:
    from shopql.insights.segments import delete_segment

    create_segment(shop, "base", "platform = 'jd'", ADMIN, AS_OF)
    create_segment(shop, "derived", "segment('base') AND orders >= 2", ADMIN, AS_OF)
    create_segment(shop, "other", "lifecycle = 'new'", ADMIN, AS_OF)
    delete_segment(shop, "base", ADMIN)
    rows = {d["name"]: (d["size"], d["error"]) for d in refresh_segments(shop, [], ADMIN, AS_OF)}
    assert rows["other"] == (1, None)
    assert rows["derived"][0] is None and "no segment named 'base'" in rows["derived"][1]
    with pytest.raises(SegmentError):
        refresh_segments(shop, ["derived"], ADMIN, AS_OF)
