"""LTV: the BG/NBD and Gamma-Gamma maths against the published CDNOW example and data simulated
from known parameters; the historical table on the demo; the backtest on Online Retail with the
holdout counted here with pandas from the raw file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from shopql.insights.ltv import (
    Model,
    Summary,
    backtest,
    expected_purchases,
    expected_spend_per_purchase,
    fit_bgnbd,
    fit_gamma_gamma,
    ltv_report,
    p_alive,
)
from tests.conftest import cli_in_process, warehouse_reader


def _one(x: float, t_x: float, T: float, m: float = 0.0) -> Summary:
    return Summary(["p"], np.array([x]), np.array([t_x]), np.array([T]), np.array([m]))


def test_published_cdnow_example() -> None:
    """Fader, Hardie & Lee (2005), section 5: CDNOW parameters; a customer with 2 repeat
    purchases, the last in week 30.43, observed for 38.86 weeks, is expected to make 1.226
    purchases in the next 39 weeks."""
    model = Model(r=0.243, alpha=4.414, a=0.793, b=2.426)
    assert expected_purchases(model, 39, _one(2, 30.43, 38.86))[0] == pytest.approx(1.226, abs=1e-3)
    assert p_alive(model, _one(0, 0, 38.86))[0] == 1.0  # nobody drops out before a repeat
    assert 0 < p_alive(model, _one(2, 5, 38.86))[0] < p_alive(model, _one(2, 38, 38.86))[0]


def _simulate_bgnbd(rng: np.random.Generator, n: int, r: float, alpha: float, a: float,
                    b: float, T: float) -> Summary:  # fmt: skip
    rate = rng.gamma(r, 1 / alpha, n)
    drop = rng.beta(a, b, n)
    x, t_x = np.zeros(n), np.zeros(n)
    for i in range(n):
        t = 0.0
        while True:
            t += rng.exponential(1 / rate[i])
            if t > T:
                break
            x[i], t_x[i] = x[i] + 1, t
            if rng.random() < drop[i]:
                break
    return Summary([str(i) for i in range(n)], x, t_x, np.full(n, T), np.zeros(n))


def test_bgnbd_fit_recovers_simulated_parameters() -> None:
    rng = np.random.default_rng(7)
    s = _simulate_bgnbd(rng, 4000, r=0.5, alpha=10.0, a=0.8, b=2.5, T=52)
    r, alpha, a, b = fit_bgnbd(s)
    assert r == pytest.approx(0.5, rel=0.2) and alpha == pytest.approx(10.0, rel=0.3)
    assert a / (a + b) == pytest.approx(0.8 / 3.3, rel=0.3)  # the mean drop-out probability


def test_gamma_gamma_fit_and_shrinkage() -> None:
    rng = np.random.default_rng(11)
    n, p, q, v = 3000, 6.0, 4.0, 15.0
    x = rng.integers(1, 8, n).astype(float)
    nu = rng.gamma(q, 1 / v, n)  # each person's rate; a purchase ~ Gamma(p, nu)
    m = np.array([rng.gamma(p, 1 / nu[i], int(x[i])).mean() for i in range(n)])
    s = Summary([str(i) for i in range(n)], x, np.zeros(n), np.full(n, 52.0), m)
    got_p, got_q, got_v = fit_gamma_gamma(s)
    population_mean = p * v / (q - 1)
    assert got_p * got_v / (got_q - 1) == pytest.approx(population_mean, rel=0.1)
    model = Model(1, 1, 1, 1, got_p, got_q, got_v)
    # a person's expected spend lies between their own mean and the population's
    one = expected_spend_per_purchase(model, _one(1, 0, 52, 100.0))[0]
    assert population_mean < one < 100.0


@pytest.fixture(scope="module")
def holdout_actual(raw_retail_invoices: pd.DataFrame) -> tuple[int, int, float]:
    """From the raw file: persons first seen before the holdout, their purchase days and spend in
    the 180 days up to the last paid invoice (2011-12-09)."""
    inv = raw_retail_invoices
    start = pd.Timestamp("2011-12-10") - pd.Timedelta(days=180)
    known = set(inv.loc[inv["at"] < start, "customer"])
    later = inv[(inv["at"] >= start) & inv["customer"].isin(known)]
    days = later.assign(day=later["at"].dt.date).groupby("customer")["day"].nunique()
    return len(known), int(days.sum()), float(later["amount"].sum())


def test_backtest_on_online_retail(retail_workspace: Path, holdout_actual: tuple) -> None:
    persons, purchases, spend = holdout_actual
    con = warehouse_reader(retail_workspace)
    try:
        got = backtest(con, holdout_days=180)
    finally:
        con.close()
    assert got.calibration_end == dt.date(2011, 6, 13)
    assert (got.persons, got.actual_purchases) == (persons, purchases)
    assert got.actual_spend == pytest.approx(spend, abs=1.0)
    # the README's figures, loosely: a stationary model under-predicts the Q4 peak a little
    assert -0.2 < got.purchases_error < 0.05
    assert -0.45 < got.spend_error < 0.1
    # better than saying nobody buys (MAE = the mean), close to "the last 180 days repeat"
    assert got.mae_purchases < 0.7 * purchases / persons
    assert got.mae_purchases < 1.2 * got.baseline_mae_purchases


@pytest.mark.parametrize("tags", [True, False])
def test_historical_ltv_on_the_demo(demo_ws: Path, tmp_path: Path, tags: bool) -> None:
    """By segment: the RFM segment once sync has written the tags, else the platform of the
    first purchase; either way the groups add up to every person's paid amount and refunds."""
    import shutil

    warehouse = demo_ws / "warehouse.duckdb"
    if not tags:
        warehouse = tmp_path / "warehouse.duckdb"
        shutil.copy(demo_ws / "warehouse.duckdb", warehouse)
        bare = duckdb.connect(str(warehouse))
        bare.execute("DROP TABLE person_tags")
        bare.close()
    con = warehouse_reader(warehouse.parent)
    try:
        report = ltv_report(con, "segment")
        paid, refunds = con.execute(
            """SELECT sum(o.paid_amount) FILTER (WHERE o.paid_at IS NOT NULL),
                      sum(o.refund_amount)
               FROM orders o JOIN customers c USING (customer_id) WHERE c.one_id IS NOT NULL"""
        ).fetchone()
    finally:
        con.close()
    cols = report.columns
    rows = {r[0]: dict(zip(cols, r, strict=True)) for r in report.rows}
    if tags:
        assert report.segment_source == "person_tags.rfm_segment"
        assert rows and all(name.endswith("客户") for name in rows)
    else:
        assert report.segment_source == "platform of the first purchase"
        assert {"tmall", "jd", "douyin", "shopify"} <= set(rows)
        assert set(rows) <= {"tmall", "jd", "douyin", "shopify", "pinduoduo"}
    total_paid = sum(r["paid_pp"] * r["persons"] for r in rows.values())
    total_refunds = sum(r["refunds_pp"] * r["persons"] for r in rows.values())
    rounding = 0.005 * sum(r["persons"] for r in rows.values())  # averages shown in cents
    assert float(total_paid) == pytest.approx(float(paid), abs=rounding)
    assert float(total_refunds) == pytest.approx(float(refunds), abs=rounding)
    for r in rows.values():
        assert 0 < r["p_alive"] <= 1 and r["pred_spend_365d_pp"] > 0
        assert float(r["net_ltv_pp"]) == pytest.approx(
            float(r["paid_pp"] - r["refunds_pp"]), abs=0.011
        )
    assert report.model is not None and report.model["r"] > 0


def test_ltv_cli_formats(demo_ws: Path) -> None:
    done = cli_in_process("--workspace", str(demo_ws), "ltv", "--format", "json", "--horizon", "90")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["by"] == "cohort" and doc["columns"][:2] == ["cohort", "persons"]
    assert doc["columns"][-2:] == ["pred_purchases_90d_pp", "pred_spend_90d_pp"]
    assert doc["rows"][0][0] == "2023-12" and set(doc["model"]) >= {"r", "alpha", "a", "b", "p"}
    done = cli_in_process("--workspace", str(demo_ws), "ltv")
    assert "Historical LTV per person by cohort" in done.stdout and "P(alive)" in done.stdout


def test_segments_come_from_the_tags_table(shop_workspace: Path) -> None:
    """With a tags table (what `shopql tags refresh` writes), segment = its RFM segment; with too
    few repeat buyers there is no prediction, and the report says so."""
    from shopql.insights.cohort import cohort_table
    from shopql.warehouse.connection import open_writer

    con = open_writer(shop_workspace / "warehouse.duckdb")
    try:
        alice = con.execute(
            "SELECT one_id FROM customers WHERE customer_id = 'tmall:alice_tb'"
        ).fetchone()[0]
        con.execute("DELETE FROM person_tags")  # the schema has the table; refresh fills it
        con.execute(
            "INSERT INTO person_tags (one_id, rfm_segment) VALUES (?, '重要价值客户')", [alice]
        )
        report = ltv_report(con, "segment")
        split = cohort_table(con, "month", "rfm_segment")
    finally:
        con.close()
    assert report.segment_source == "person_tags.rfm_segment"
    rows = {r[0]: dict(zip(report.columns, r, strict=True)) for r in report.rows}
    # Alice: Tmall 100.00 + refunded 50.50 (paid, refunds apart) + JD 200.00; Bob: 30.00
    assert set(rows) == {"重要价值客户", "(untagged)"}
    assert (rows["重要价值客户"]["persons"], rows["重要价值客户"]["orders_pp"]) == (1, 3)
    assert float(rows["重要价值客户"]["paid_pp"]) == 350.50
    assert float(rows["重要价值客户"]["refunds_pp"]) == 50.50
    assert float(rows["(untagged)"]["net_ltv_pp"]) == 30.00
    assert report.model is None and rows["(untagged)"]["p_alive"] is None
    assert any("no prediction" in n for n in report.notes)
    assert {(c.cohort.isoformat(), c.group, c.persons) for c in split.cohorts} == {
        ("2024-03-01", "重要价值客户", 1),
        ("2024-04-01", "(none)", 1),
    }
