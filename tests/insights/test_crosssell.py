"""`shopql crosssell`: pairs bought by the same OneID person across platforms, the demo's planted
sofa → coffee table, and the "bought A, never bought B" audience."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest

from shopql.insights.crosssell import bought_a_not_b, match_items, pairs
from shopql.insights.oneid import build_one_ids
from shopql.insights.purchases import AnalysisError
from tests.conftest import cli_in_process, warehouse_reader
from tests.insights.conftest import add_account, add_order

SOFAS = {"QM-FN-2701", "QM-FN-2702"}
COFFEE_TABLES = {"QM-FN-2711", "QM-FN-2712"}


def test_sofa_buyers_buy_coffee_tables_first(demo_ws: Path) -> None:
    facts = json.loads((demo_ws / "demo_facts.json").read_text())["sofa_and_coffee_table"]
    done = cli_in_process("--workspace", str(demo_ws), "crosssell", "沙发", "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["item"]["level"] == "product" and set(doc["item"]["items"]) == SOFAS
    top = dict(zip(doc["columns"], doc["rows"][0], strict=True))
    assert top["b"] in COFFEE_TABLES and top["lift"] > 5
    assert top["persons_a"] == facts["sofa_buyers"]  # the planted count, per OneID person
    # both coffee tables rank above everything else bought by sofa buyers
    assert {r[2] for r in doc["rows"][:2]} == COFFEE_TABLES
    done = cli_in_process("--workspace", str(demo_ws), "crosssell", "沙发", "--sort", "persons",
                   "--format", "csv")  # fmt: skip
    both = [int(r["persons_both"]) for r in csv.DictReader(io.StringIO(done.stdout))]
    assert both == sorted(both, reverse=True) and both[0] >= top["persons_both"]
    done = cli_in_process("--workspace", str(demo_ws), "crosssell", "QM-FN-2701")
    assert done.returncode == 0 and "茶几" in done.stdout.splitlines()[4]


def test_bought_a_not_b(demo_ws: Path) -> None:
    facts = json.loads((demo_ws / "demo_facts.json").read_text())["sofa_and_coffee_table"]
    con = warehouse_reader(demo_ws)
    try:
        audience = bought_a_not_b(con, "沙发", "茶几")
        with pytest.raises(AnalysisError, match="no product or category"):
            bought_a_not_b(con, "沙发", "no-such-thing")
    finally:
        con.close()
    # the planted sofa buyers minus those with a coffee table after the sofa; a coffee table
    # bought before the sofa also takes a person out, so at most that many
    assert 0 < len(audience) <= facts["sofa_buyers"] - facts["also_bought_coffee_table"]
    assert audience == sorted(audience) and all(p.startswith("P") for p in audience)
    done = cli_in_process("--workspace", str(demo_ws), "crosssell", "沙发", "--not-bought", "茶几",
                   "--format", "json")  # fmt: skip
    assert json.loads(done.stdout)["persons"] == len(audience)


@pytest.fixture
def two_platform_shop(warehouse: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Ann buys a sofa on Tmall and a table on JD (one person by phone); Ben a sofa only; Cai a
    table only; Dan a lamp, and a table whose order was refunded."""
    add_account(warehouse, "tmall:ann", ("phone", "13900000001"), phone="13900000001")
    add_account(warehouse, "jd:ann", ("phone", "13900000001"), phone="13900000001")
    add_account(warehouse, "tmall:ben", ("nick", "ben"))
    add_account(warehouse, "jd:cai", ("nick", "cai"))
    add_account(warehouse, "jd:dan", ("nick", "dan"))
    add_order(warehouse, "tmall:1", "tmall:ann", "completed", "2024-01-01 10:00", 100,
              [("tmall:sofa", "Furniture", 1, 100)])  # fmt: skip
    add_order(warehouse, "jd:2", "jd:ann", "completed", "2024-02-01 10:00", 50,
              [("jd:table", "Furniture", 1, 50)])  # fmt: skip
    add_order(warehouse, "tmall:3", "tmall:ben", "completed", "2024-01-05 10:00", 100,
              [("tmall:sofa", "Furniture", 1, 100)])  # fmt: skip
    add_order(warehouse, "jd:4", "jd:cai", "completed", "2024-01-06 10:00", 50,
              [("jd:table", "Furniture", 1, 50)])  # fmt: skip
    add_order(warehouse, "jd:5", "jd:dan", "completed", "2024-01-07 10:00", 20,
              [("jd:lamp", "Lighting", 1, 20)])  # fmt: skip
    add_order(warehouse, "jd:6", "jd:dan", "refunded", "2024-01-08 10:00", 50,
              [("jd:table", "Furniture", 1, 50)], refund_amount=50)  # fmt: skip
    build_one_ids(warehouse)
    return warehouse


def test_support_confidence_lift_by_hand(two_platform_shop: duckdb.DuckDBPyConnection) -> None:
    con = two_platform_shop
    # products are keyed by the seller's code: SOFA on Tmall, TABLE on JD (add_order upper-cases)
    sofa = match_items(con, "sofa")
    assert (sofa.level, sofa.items) == ("product", ("SOFA",))
    (pair,) = pairs(con, antecedent=sofa, min_persons=1)
    # 4 persons bought something (Dan's refunded table does not count); Ann and Ben bought the
    # sofa; Ann (across Tmall and JD) and Cai the table
    assert (pair.b, pair.persons_a, pair.persons_b, pair.persons_both) == ("TABLE", 2, 2, 1)
    assert pair.support == pytest.approx(1 / 4)
    assert pair.confidence == pytest.approx(1 / 2)
    assert pair.lift == pytest.approx((1 / 2) / (2 / 4))
    assert pairs(con, antecedent=sofa, min_persons=2) == []
    assert bought_a_not_b(con, "sofa", "table") == [_one_id(con, "tmall:ben")]
    assert bought_a_not_b(con, "table", "sofa") == [_one_id(con, "jd:cai")]
    # nobody kept both furniture and lighting: Dan's table was refunded
    assert pairs(con, "category", min_persons=1) == []


def _one_id(con: duckdb.DuckDBPyConnection, customer_id: str) -> str:
    return con.execute(
        "SELECT one_id FROM customers WHERE customer_id = ?", [customer_id]
    ).fetchone()[0]
