"""Audiences on the generated demo: tags after sync, RFM against an independent computation, the
sofa / coffee-table planting as a segment, tags as catalog dimensions, the CLI."""

from __future__ import annotations

import bisect
import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import DEMO_SEED7_TODAY, cli_in_process, demo_seed7, warehouse_reader

TODAY = dt.date(2025, 6, 1)
SOFAS = "('QM-FN-2701', 'QM-FN-2702')"
TABLES = "('QM-FN-2711', 'QM-FN-2712')"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo at a small scale; synced through the real connectors (tags come from the hook)."""
    assert TODAY == DEMO_SEED7_TODAY
    return demo_seed7(tmp_path_factory)


@pytest.fixture
def demo_copy(demo: Path, tmp_path: Path) -> Path:
    """A private copy for tests that write (segments, audit)."""
    return Path(shutil.copytree(demo, tmp_path / "ws"))


def read(ws: Path) -> duckdb.DuckDBPyConnection:
    return warehouse_reader(ws)


def independent_scores(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int, int]]:
    """Plain SQL for the raw values, quantile scores in Python: 1 + floor(5 · (persons with a
    strictly worse value) / n), the documented rule."""
    rows = con.execute(
        """SELECT coalesce(c.one_id, o.customer_id) AS who,
                  date_diff('day', max(o.paid_at)::DATE,
                            (SELECT max(paid_at)::DATE FROM orders)) AS recency,
                  count(*) FILTER (WHERE o.status NOT IN ('refunded', 'cancelled')) AS f,
                  sum(CASE WHEN o.status IN ('refunded', 'cancelled') THEN 0
                      ELSE greatest(o.paid_amount - coalesce(o.refund_amount, 0), 0) END) AS m
           FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id
           WHERE o.paid_at IS NOT NULL AND o.customer_id IS NOT NULL GROUP BY 1"""
    ).fetchall()
    n = len(rows)
    recency = sorted(-r[1] for r in rows)  # fewer days is better
    freq, money = sorted(r[2] for r in rows), sorted(float(r[3]) for r in rows)

    def score(values: list[float], v: float) -> int:
        return min(5, 1 + (5 * bisect.bisect_left(values, v)) // n)

    return {
        r[0]: (score(recency, -r[1]), score(freq, r[2]), score(money, float(r[3]))) for r in rows
    }


def test_sync_tags_every_buyer_and_scores_match_plain_sql(demo: Path) -> None:
    with read(demo) as con:
        expected = independent_scores(con)
        got = {
            r[0]: (r[1], r[2], r[3])
            for r in con.execute(
                "SELECT one_id, r_score, f_score, m_score FROM person_tags WHERE r_score IS NOT NULL"
            ).fetchall()
        }
        runs = con.execute("SELECT count(*) FROM _tag_runs").fetchone()
    assert runs and runs[0] >= 1  # the sync hook ran
    assert len(got) == len(expected) > 500
    assert got == expected


def test_sofa_without_coffee_table_segment(demo: Path) -> None:
    from shopql.insights.segments import members_sql

    facts = json.loads((demo / "demo_facts.json").read_text(encoding="utf-8"))
    truth = facts["sofa_and_coffee_table"]
    with read(demo) as con:
        sofa = members_sql(con, f"bought(outer_code IN {SOFAS})", TODAY)
        assert len(con.execute(sofa).fetchall()) == truth["sofa_buyers"]
        never = members_sql(
            con, f"bought(outer_code IN {SOFAS}) AND NOT bought(outer_code IN {TABLES})", TODAY
        )
        got = {r[0] for r in con.execute(never).fetchall()}
        by_hand = """
            WITH bought AS (
                SELECT c.one_id, i.outer_code, o.created_at FROM orders o
                JOIN order_items i ON i.order_id = o.order_id
                JOIN customers c ON c.customer_id = o.customer_id
                WHERE o.paid_at IS NOT NULL AND o.status NOT IN ('refunded', 'cancelled'))
            SELECT DISTINCT one_id FROM bought WHERE outer_code IN {sofas}
            EXCEPT SELECT one_id FROM bought WHERE outer_code IN {tables} {after}"""
        hand = {
            r[0]
            for r in con.execute(by_hand.format(sofas=SOFAS, tables=TABLES, after="")).fetchall()
        }
        # the truth counts coffee tables bought at or after the first sofa; one buyer had a
        # table before the sofa, which 'never bought' excludes and the truth does not
        after = f"""AND created_at >= (SELECT min(created_at) FROM bought b
                    WHERE b.one_id = bought.one_id AND b.outer_code IN {SOFAS})"""
        later = by_hand.format(sofas=SOFAS, tables=TABLES, after=after)
        not_after = {r[0] for r in con.execute(later).fetchall()}
    assert got == hand
    assert len(not_after) == truth["sofa_buyers"] - truth["also_bought_coffee_table"]
    assert got <= not_after


def test_tags_are_catalog_dimensions(demo: Path) -> None:
    from shopql.catalog.run import run_metrics
    from shopql.catalog.semantic import SemanticQuery
    from shopql.config import load_settings

    settings = load_settings(demo)
    _, result = run_metrics(
        settings, SemanticQuery(metrics=("paid_gmv",), dimensions=("rfm_segment",)), today=TODAY
    )
    got = {r[0]: float(r[1]) for r in result.rows}
    with read(demo) as con:
        plain = con.execute(
            """SELECT t.rfm_segment, sum(o.paid_amount) FROM orders o
               LEFT JOIN customers c ON c.customer_id = o.customer_id
               LEFT JOIN person_tags t ON t.one_id = c.one_id
               WHERE o.paid_at IS NOT NULL GROUP BY 1"""
        ).fetchall()
    assert got == {r[0]: float(r[1]) for r in plain}
    assert "重要价值客户" in got and len(got) == 9  # eight segments and orders without a buyer


def test_ask_counts_a_segment_and_saves_it(demo_copy: Path) -> None:
    done = cli_in_process(
        "--workspace",
        str(demo_copy),
        "ask",
        "重要价值客户有多少人",
        "--format",
        "json",
        "--save-segment",
        "vip",
    )
    assert done.returncode == 0, done.stderr
    with read(demo_copy) as con:
        count = con.execute(
            "SELECT count(*) FROM person_tags WHERE rfm_segment = '重要价值客户'"
        ).fetchone()
        saved = con.execute("SELECT size, definition FROM segments WHERE name = 'vip'").fetchone()
    assert json.loads(done.stdout)["rows"] == [[count[0]]]
    assert saved[0] == count[0]
    assert saved[1].endswith("rfm_segment IN ('重要价值客户')")  # (of the buyers: the same people)
    split = cli_in_process(
        "--workspace", str(demo_copy), "ask", "buyers by platform", "--save-segment", "nope",
    )  # fmt: skip
    assert split.returncode == 5  # split by a dimension: not one set of persons
    assert "defines no single segment" in split.stderr
    without = cli_in_process(
        "--workspace", str(demo_copy), "ask", "买了沙发但没买茶几的客户", "--save-segment", "sofa",
    )  # fmt: skip
    assert without.returncode == 0, without.stderr
    from shopql.insights.segments import members_sql

    with read(demo_copy) as con:
        saved = {r[0] for r in con.execute(members_sql(con, "segment('sofa')", TODAY)).fetchall()}
        by_code = members_sql(
            con, f"bought(outer_code IN {SOFAS}) AND NOT bought(outer_code IN {TABLES})", TODAY
        )
        assert saved == {r[0] for r in con.execute(by_code).fetchall()}  # titles name the codes


def test_ask_gmv_by_rfm_segment_last_quarter(demo: Path) -> None:
    done = cli_in_process(
        "--workspace", str(demo), "ask", "GMV by RFM segment last quarter", "--today",
        str(TODAY), "--format", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["columns"] == ["rfm_segment", "placed_gmv"]
    with read(demo) as con:  # placed GMV 口径, orders placed in 2025 Q1, by the buyer's segment
        plain = con.execute(
            """SELECT t.rfm_segment, sum(coalesce(o.goods_amount - coalesce(o.discount_amount, 0)
                      + coalesce(o.shipping_fee, 0), o.paid_amount, 0))
               FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id
               LEFT JOIN person_tags t ON t.one_id = c.one_id
               WHERE o.created_at >= '2025-01-01' AND o.created_at < '2025-04-01' GROUP BY 1"""
        ).fetchall()
    assert {r[0]: r[1] for r in doc["rows"]} == {r[0]: float(r[1]) for r in plain}


def test_cli_segment_export_is_audited_and_role_bound(demo_copy: Path, tmp_path: Path) -> None:
    ws = ["--workspace", str(demo_copy)]
    made = cli_in_process(
        *ws, "segment", "create", "sofa_no_table", "--where",
        f"bought(outer_code IN {SOFAS}) AND NOT bought(outer_code IN {TABLES})",
        "--format", "json",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    size = json.loads(made.stdout)["size"]
    out = tmp_path / "sofa.xlsx"
    done = cli_in_process(
        *ws, "--role", "marketer", "segment", "export", "sofa_no_table", "--out", str(out),
        "--target", "meta", "--format", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["rows"] + doc["skipped_no_identifier"] == size
    from openpyxl import load_workbook

    sheet = load_workbook(out, read_only=True)["audience"]
    written = list(sheet.iter_rows(values_only=True))
    assert written[0] == ("email", "phone", "country") and len(written) == doc["rows"] + 1
    assert all(len(v) == 64 for row in written[1:] for v in row if v)  # SHA-256 hex
    refused = cli_in_process(
        *ws, "--role", "marketer", "segment", "export", "sofa_no_table", "--out",
        str(tmp_path / "raw.csv"), "--target", "shopify",
    )  # fmt: skip
    assert refused.returncode == 3 and "raw phones" in refused.stderr
    assert not (tmp_path / "raw.csv").exists()
    with read(demo_copy) as con:
        audit = con.execute(
            """SELECT role, rows, outcome FROM _audit WHERE source = 'segment export'
               ORDER BY executed_at"""
        ).fetchall()
    assert audit[0] == ("marketer", doc["rows"], "ok")
    assert audit[1][0] == "marketer" and audit[1][2].startswith("refused")


def test_cli_tags_list_and_show(demo: Path) -> None:
    listed = cli_in_process("--workspace", str(demo), "tags", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    doc = json.loads(listed.stdout)
    buyers = doc["last_run"]["buyers"]
    assert sum(r["persons"] for r in doc["rfm_segments"]) == buyers
    assert sum(r["persons"] for r in doc["lifecycle"]) == buyers
    assert {r["rfm_segment"] for r in doc["rfm_segments"]} <= {
        "重要价值客户", "重要发展客户", "重要保持客户", "重要挽留客户",
        "一般价值客户", "一般发展客户", "一般保持客户", "一般挽留客户",
    }  # fmt: skip
    with read(demo) as con:
        one_id, segment = con.execute(
            "SELECT one_id, rfm_segment FROM person_tags WHERE orders >= 2 ORDER BY 1 LIMIT 1"
        ).fetchone()
    shown = cli_in_process("--workspace", str(demo), "tags", "show", one_id, "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["rfm_segment"] == segment
