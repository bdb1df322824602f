"""`shopql cohort` on UCI Online Retail, checked against figures computed here with pandas from
the raw csv.gz (not from the warehouse)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.conftest import cli_in_process, warehouse_reader


def _cohorts(inv: pd.DataFrame, freq: str) -> pd.DataFrame:
    period = inv["at"].dt.to_period(freq)
    first = period.groupby(inv["customer"]).transform("min")
    return inv.assign(cohort=first, k=(period - first).apply(lambda d: d.n))


def _cli_json(ws: Path, *args: str) -> dict:
    done = cli_in_process("--workspace", str(ws), *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_monthly_retention_matches_the_raw_file(
    retail_workspace: Path, raw_retail_invoices: pd.DataFrame
) -> None:
    doc = _cli_json(retail_workspace, "cohort")
    got = {c["cohort"][:7]: c for c in doc["cohorts"]}
    inv = _cohorts(raw_retail_invoices, "M")
    sizes = inv.groupby("cohort")["customer"].nunique()
    active = inv.groupby(["cohort", "k"])["customer"].nunique()
    assert len(got) == len(sizes) == 13
    dec = got["2010-12"]
    assert dec["persons"] == sizes[pd.Period("2010-12")] == 885
    # the classic figures of this dataset: 36.6 %, 32.3 %, 38.4 % of December's buyers came back
    assert [round(p["retention"], 3) for p in dec["periods"][1:4]] == [0.366, 0.323, 0.384]
    for cohort, size in sizes.items():
        c = got[str(cohort)]
        assert c["persons"] == size
        for p in c["periods"]:
            assert p["active"] == active.get((cohort, p["period"]), 0), (cohort, p["period"])
    # 13 monthly cohorts, the oldest observed for 13 periods (Dec 2010 .. Dec 2011)
    assert [len(c["periods"]) for c in doc["cohorts"]] == list(range(13, 0, -1))
    assert doc["columns"][:4] == ["cohort", "persons", "m0", "m1"]
    assert doc["rows"][0][:3] == ["2010-12-01", 885, 1.0]
    assert doc["rows"][-1][3:] == [None] * 12  # the youngest cohort: later periods not observed


def test_cumulative_revenue_per_person(
    retail_workspace: Path, raw_retail_invoices: pd.DataFrame
) -> None:
    doc = _cli_json(retail_workspace, "cohort", "--metric", "revenue")
    inv = _cohorts(raw_retail_invoices, "M")
    dec = inv[inv["cohort"] == pd.Period("2010-12")]
    per_k = dec.groupby("k")["amount"].sum().cumsum() / dec["customer"].nunique()
    first = doc["cohorts"][0]
    for p in first["periods"]:
        assert p["revenue_per_person"] == pytest.approx(per_k[p["period"]], abs=0.01)
    assert doc["rows"][0][2] == pytest.approx(per_k[0], abs=0.01)


def test_weekly_cohorts(retail_workspace: Path, raw_retail_invoices: pd.DataFrame) -> None:
    doc = _cli_json(retail_workspace, "cohort", "--grain", "week")
    inv = _cohorts(raw_retail_invoices, "W-SUN")  # weeks Monday..Sunday, as DuckDB's date_trunc
    sizes = inv.groupby("cohort")["customer"].nunique()
    active = inv.groupby(["cohort", "k"])["customer"].nunique()
    got = {c["cohort"]: c for c in doc["cohorts"]}
    assert len(got) == len(sizes)
    for cohort in list(sizes.index)[:5]:
        c = got[cohort.start_time.date().isoformat()]
        assert c["persons"] == sizes[cohort]
        assert [p["active"] for p in c["periods"][:6]] == [
            active.get((cohort, k), 0) for k in range(6)
        ]
    assert doc["columns"][2:4] == ["w0", "w1"]


def test_heatmap_and_csv(retail_workspace: Path) -> None:
    done = cli_in_process("--workspace", str(retail_workspace), "cohort", "--periods", "4")
    assert done.returncode == 0, done.stderr
    assert "2010-12" in done.stdout and "885" in done.stdout and " 37%" in done.stdout
    assert "guests" in done.stderr  # orders without a customer are said to be left out
    done = cli_in_process("--workspace", str(retail_workspace), "cohort", "--format", "csv")
    lines = done.stdout.splitlines()
    assert lines[0].startswith("cohort,persons,m0,m1,m2")
    assert lines[1].startswith("2010-12-01,885,1.0,0.3661,0.3232,0.3842")
    assert len(lines) == 14


def test_by_dimension_partitions_the_cohorts(demo_ws: Path) -> None:
    from shopql.insights.cohort import cohort_table

    con = warehouse_reader(demo_ws)
    try:
        whole = {c.cohort: c.persons for c in cohort_table(con).cohorts}
        split = cohort_table(con, "month", "platform")
        persons = con.execute(
            """SELECT count(DISTINCT c.one_id) FROM orders o JOIN customers c USING (customer_id)
               WHERE o.paid_at IS NOT NULL"""
        ).fetchone()[0]
    finally:
        con.close()
    assert sum(whole.values()) == persons
    # Pinduoduo orders have a person only where the export named the receiver (the data standard)
    assert {c.group for c in split.cohorts} == {"tmall", "jd", "douyin", "shopify", "pinduoduo"}
    for month, n in whole.items():
        assert sum(c.persons for c in split.cohorts if c.cohort == month) == n


def test_rfm_split_reads_the_tags_sync_wrote(demo_ws: Path, tmp_path: Path) -> None:
    """Sync refreshes the person tags, so cohorts split by RFM segment at once; without the tags
    table the command says to run `shopql tags refresh`."""
    import shutil

    done = cli_in_process(
        "--workspace", str(demo_ws), "cohort", "--by", "rfm_segment", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    groups = {row[1] for row in json.loads(done.stdout)["rows"]}
    assert groups and groups <= {
        "重要价值客户",
        "重要发展客户",
        "重要保持客户",
        "重要挽留客户",
        "一般价值客户",
        "一般发展客户",
        "一般保持客户",
        "一般挽留客户",
    }, groups
    bare = tmp_path / "bare"
    shutil.copytree(demo_ws, bare)
    con = duckdb.connect(str(bare / "warehouse.duckdb"))
    con.execute("DROP TABLE person_tags")
    con.close()
    done = cli_in_process("--workspace", str(bare), "cohort", "--by", "rfm_segment")
    assert done.returncode == 1
    assert "shopql tags refresh" in done.stderr and "Traceback" not in done.stderr
