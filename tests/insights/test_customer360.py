"""The 360° view and `identity explain`, in-process and through the CLI (run in this process by
cli_in_process; one test through a real `shopql` process)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from shopql.insights.customer360 import (
    IdentityError,
    customer_view,
    explain,
    resolve_one_id,
)
from shopql.warehouse.policy import PersonalData
from tests.conftest import cli_in_process, run_cli, warehouse_reader


def reader(ws: Path) -> duckdb.DuckDBPyConnection:
    return warehouse_reader(ws)


def alice(ws: Path) -> str:
    con = reader(ws)
    try:
        row = con.execute("SELECT one_id FROM one_ids WHERE customer_id = 'jd:alice_jd'").fetchone()
    finally:
        con.close()
    assert row is not None
    return str(row[0])


@pytest.mark.parametrize(
    "ref", ["jd:alice_jd", "+86 139-1234-5678", "ALICE@mail.example", "alice_tb", "shopify:1001"]
)
def test_references_resolve_to_the_person(shop_workspace: Path, ref: str) -> None:
    con = reader(shop_workspace)
    try:
        assert resolve_one_id(con, ref, "show") == alice(shop_workspace)
    finally:
        con.close()


def test_unknown_and_ambiguous_references(shop_workspace: Path) -> None:
    con = reader(shop_workspace)
    try:
        with pytest.raises(IdentityError, match="no person matches"):
            resolve_one_id(con, "nobody@mail.example", "show")
        # the shop phone is on 29 accounts of 28 persons: never silently one of them
        with pytest.raises(IdentityError, match="matches 28 persons"):
            resolve_one_id(con, "0571 88886666", "show")
    finally:
        con.close()


def test_customer_view_values(shop_workspace: Path) -> None:
    con = reader(shop_workspace)
    try:
        view = customer_view(con, "13912345678", "show")
    finally:
        con.close()
    assert view["platforms"] == ["jd", "shopify", "tmall"]
    assert [a["customer_id"] for a in view["accounts"]] == [
        "tmall:alice_tb",
        "jd:alice_jd",
        "shopify:1001",
    ]
    assert (view["orders"], view["paid_orders"]) == (4, 3)
    assert float(view["spend"]) == 350.50 and view["currency"] == "CNY"
    assert float(view["refund_amount"]) == 50.50
    assert str(view["first_order_at"]) == "2024-03-01 10:00:00"
    assert str(view["last_order_at"]) == "2024-06-18 20:00:00"
    cats = [(c["category"], c["quantity"], float(c["spend"])) for c in view["categories"]]
    assert cats == [("Sofa", 2, 300.0), ("Lamp", 2, 50.5)]
    assert [p["product_id"] for p in view["top_products"]] == [
        "jd:sofa",
        "tmall:sofa",
        "tmall:lamp",
    ]
    by_platform = {p["platform"]: float(p["spend"]) for p in view["by_platform"]}
    assert by_platform == {"jd": 200.0, "tmall": 150.5}


def test_category_from_the_same_goods_on_another_platform(shop_workspace: Path) -> None:
    con = reader(shop_workspace)
    try:
        view = customer_view(con, "tmall:bob_tb", "show")
    finally:
        con.close()
    assert [(c["category"], float(c["spend"])) for c in view["categories"]] == [("Lighting", 30.0)]
    assert view["platforms"] == ["tmall"]  # the masked phone shared with pdd:bob joined nothing


def test_pii_masked_for_roles_without_show(shop_workspace: Path) -> None:
    con = reader(shop_workspace)
    try:
        person = alice(shop_workspace)  # masked roles look persons up by one_id
        shown = customer_view(con, person, "show")["accounts"][1]
        masked = customer_view(con, person, "mask")["accounts"][1]
        denied = customer_view(con, person, "deny")["accounts"][1]
    finally:
        con.close()
    assert (shown["phone"], shown["email"]) == ("13912345678", "Alice@Mail.example")
    assert (masked["phone"], masked["email"]) == ("139****5678", "A***@Mail.example")
    assert (denied["phone"], denied["email"]) == (None, None)
    assert PersonalData.of("mask").value(duckdb.connect(), "phone", "12345") == "****"


def test_explain_lists_links_and_ignored_values(shop_workspace: Path) -> None:
    con = reader(shop_workspace)
    try:
        doc = explain(con, "tmall:alice_tb", "show")
    finally:
        con.close()
    joined = {(r["type"], r["value"]): r["accounts"] for r in doc["joined_by"]}
    assert joined == {
        ("email", "alice@mail.example"): ["jd:alice_jd", "shopify:1001"],
        ("phone", "13912345678"): ["jd:alice_jd", "tmall:alice_tb"],
    }
    ignored = {(r["type"], r["value"], r["status"], r["shared_by"]) for r in doc["ignored"]}
    assert ignored == {("phone", "057188886666", "over_shared", 29)}
    assert doc["joined_by"][1]["platforms"] == ["jd", "tmall"]


def test_cli_identity_build_json(shop_workspace: Path) -> None:
    proc = cli_in_process(
        "--workspace", str(shop_workspace), "identity", "build", "--format", "json"
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert (doc["accounts"], doc["persons"], doc["merged_accounts"]) == (30, 28, 3)
    assert (doc["new_persons"], doc["junk_identifiers"], doc["masked_identifiers"]) == (0, 1, 1)
    assert doc["junk_examples"] == [
        {"type": "phone", "value": "057188886666", "accounts": 29, "status": "over_shared"}
    ]
    assert doc["max_shared"] == 20
    table = cli_in_process("--workspace", str(shop_workspace), "identity", "build")
    assert table.returncode == 0 and "057188886666" in table.stdout


def test_cli_build_honours_the_configured_blocklist(shop_workspace: Path) -> None:
    config = shop_workspace / "shopql.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("[identity]\n", '[identity]\nblocklist = ["phone:139 1234 5678"]\n'),
        encoding="utf-8",
    )
    proc = cli_in_process(
        "--workspace", str(shop_workspace), "identity", "build", "--format", "json"
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    # Alice's Tmall account loses its only link; JD and Shopify stay joined by e-mail
    assert (doc["persons"], doc["merged_accounts"], doc["junk_identifiers"]) == (29, 2, 2)


def test_cli_explain_and_customer_json(shop_workspace: Path) -> None:
    ws = str(shop_workspace)
    one_id = alice(shop_workspace)
    proc = cli_in_process("--workspace", ws, "identity", "explain", one_id, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["one_id"] == one_id and len(doc["accounts"]) == 3
    assert [r["value"] for r in doc["joined_by"]] == ["alice@mail.example", "13912345678"]

    proc = cli_in_process("--workspace", ws, "customer", "alice_tb", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    view = json.loads(proc.stdout)
    assert (view["one_id"], view["orders"], view["spend"]) == (one_id, 4, 350.5)
    assert view["spend_by_currency"] == {"CNY": 350.5}
    assert view["first_order_at"] == "2024-03-01T10:00:00"
    assert view["categories"][0] == {"category": "Sofa", "items": 2, "quantity": 2, "spend": 300}

    analyst = cli_in_process(
        "--workspace", ws, "--role", "analyst", "customer", one_id, "--format", "json"
    )
    phones = [a["phone"] for a in json.loads(analyst.stdout)["accounts"]]
    assert phones == ["+86****5678", "139****5678", None]
    table = cli_in_process("--workspace", ws, "customer", one_id)
    assert table.returncode == 0 and "350.5" in table.stdout and "Sofa" in table.stdout


def test_cli_unknown_person_is_one_clear_line(shop_workspace: Path) -> None:
    # a real process (the file's others run the command in-process): its exit status and stderr
    proc = run_cli("--workspace", str(shop_workspace), "customer", "P99999999")
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: no person matches 'P99999999'")
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_olist_customer_by_customer_unique_id(olist_workspace: Path) -> None:
    # the Olist customer_unique_id with the most orders: 17 accounts, one per order
    proc = cli_in_process(
        "--workspace",
        str(olist_workspace),
        "customer",
        "8d50f5eadf50201ccdcedfb9e2ac8455",
        "--format",
        "json",
    )
    assert proc.returncode == 0, proc.stderr
    view = json.loads(proc.stdout)
    assert (len(view["accounts"]), view["orders"], view["paid_orders"]) == (17, 17, 17)
    assert (view["spend"], view["currency"]) == (927.63, "BRL")
    assert view["categories"][0]["category"] == "sports_leisure"
    explained = cli_in_process(
        "--workspace",
        str(olist_workspace),
        "identity",
        "explain",
        view["one_id"],
        "--format",
        "json",
    )
    doc = json.loads(explained.stdout)
    assert [(r["type"], r["shared_by"]) for r in doc["joined_by"]] == [("platform_user", 17)]


def test_a_role_without_phones_cannot_confirm_whose_phone_it_is(shop_workspace: Path) -> None:
    ws = str(shop_workspace)
    owner = cli_in_process("--workspace", ws, "customer", "13912345678", "--format", "json")
    assert json.loads(owner.stdout)["one_id"] == alice(shop_workspace)

    def as_analyst(ref: str) -> tuple[int, str, str]:
        done = cli_in_process("--workspace", ws, "--role", "analyst", "customer", ref)
        return done.returncode, done.stdout, done.stderr.replace(repr(ref), "REF")

    known, unknown = as_analyst("13912345678"), as_analyst("13900000000")
    assert known == unknown  # the same answer whether or not someone owns the phone
    assert known[0] == 1 and known[1] == "" and "no person matches REF" in known[2]
    assert as_analyst("alice@mail.example") == as_analyst("nobody@mail.example")
    assert as_analyst("alice_tb")[0] == 1  # a nick is personal data too
    explained = cli_in_process(
        "--workspace", ws, "--role", "analyst", "identity", "explain", "13912345678"
    )
    assert explained.returncode == 1 and "no person matches" in explained.stderr
    # one_id and customer_id (as the analyst is shown it: the keyed hash) still work; the raw
    # key tmall:alice_tb (it holds the nick) is no lookup for the analyst
    keys = cli_in_process(
        "--workspace", ws, "--role", "analyst", "sql", "--format", "json",
        f"SELECT customer_id FROM one_ids WHERE one_id = '{alice(shop_workspace)}' ORDER BY 1",
    )  # fmt: skip
    hashed = [r[0] for r in json.loads(keys.stdout)["rows"]]
    assert len(hashed) == 3 and all(":k" in k for k in hashed), keys.stdout
    by_account = cli_in_process(
        "--workspace", ws, "--role", "analyst", "customer", hashed[0], "--format", "json"
    )
    assert by_account.returncode == 0, by_account.stderr
    assert json.loads(by_account.stdout)["one_id"] == alice(shop_workspace)
    assert sorted(a["customer_id"] for a in json.loads(by_account.stdout)["accounts"]) == hashed
    assert as_analyst("tmall:alice_tb")[0] == 1
