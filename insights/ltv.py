"""Customer lifetime value of OneID persons: historical by cohort or segment, and predicted.

Historical: what persons spent, per group — paid amount (paid_gmv 口径), refunds, net (paid −
refunds) per person to date, and the net value within 90 / 180 / 365 days of the first purchase
(averaged over the persons first seen at least that long before the last paid order, so young
cohorts do not drag it down).

Predicted: BG/NBD (Fader, Hardie & Lee 2005) for how many purchases a person makes in the next
`horizon` days and whether they are still "alive", Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM
and CLV") for how much they spend per purchase; predicted spend = the product. A purchase is a
day with a paid order (several orders on one day are one transaction, as in the papers). The two
likelihoods are maximised here with scipy.optimize; the maintained libraries do not fit (see the
README, "Analyses"): ``lifetimes`` is archived (last release 2020) and breaks on current
pandas/NumPy, ``btyd`` (its fork) stopped at a 2022 beta, ``pymc-marketing`` brings PyMC and
PyTensor (hundreds of MB, a compiler) for a four-parameter maximum likelihood.

`backtest` fits on a calibration period and compares the predictions with what persons really did
in the holdout period that follows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import duckdb

from shopql.insights.purchases import (
    PERSON_ORDERS,
    PERSON_REFUNDS,
    AnalysisError,
    coverage,
    find_tag_source,
    quoted,
    require_persons,
)

if TYPE_CHECKING:
    import numpy as np

BY_CHOICES = ("cohort", "segment")
WINDOWS = (90, 180, 365)
MIN_REPEATERS = 20  # fewer persons with a repeat purchase than this: no model is fitted


# -- the models ----------------------------------------------------------------------------------


@dataclass
class Summary:
    """Per person, in days: x repeat purchase days, t_x first→last, T first→end, m mean repeat
    spend (0 without repeats)."""

    one_ids: list[str]
    x: np.ndarray
    t_x: np.ndarray
    T: np.ndarray
    m: np.ndarray


@dataclass
class Model:
    r: float
    alpha: float
    a: float
    b: float
    p: float | None = None  # Gamma-Gamma; None when too few repeat buyers to fit it
    q: float | None = None
    v: float | None = None

    def params(self) -> dict[str, float | None]:
        return {k: getattr(self, k) for k in ("r", "alpha", "a", "b", "p", "q", "v")}


def fit_bgnbd(s: Summary) -> tuple[float, float, float, float]:
    """Maximum-likelihood r, alpha, a, b of the BG/NBD model."""
    import numpy as np
    from scipy.optimize import minimize
    from scipy.special import gammaln

    x, tx, T = s.x, s.t_x, s.T

    def nll(logp: np.ndarray) -> float:
        r, alpha, a, b = np.exp(logp)
        a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
        a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
        a3 = -(r + x) * np.log(alpha + T)
        with np.errstate(divide="ignore", invalid="ignore"):
            a4 = np.where(
                x > 0,
                np.log(a) - np.log(np.maximum(b + x - 1, 1e-12)) - (r + x) * np.log(alpha + tx),
                -np.inf,
            )
        return float(-(a1 + a2 + np.logaddexp(a3, a4)).sum())

    got = minimize(nll, np.zeros(4), method="Nelder-Mead",
                   options={"maxiter": 4000, "xatol": 1e-6, "fatol": 1e-8})  # fmt: skip
    r, alpha, a, b = (float(v) for v in np.exp(got.x))
    return r, alpha, a, b


def fit_gamma_gamma(s: Summary) -> tuple[float, float, float]:
    """Maximum-likelihood p, q, v of the Gamma-Gamma spend model (repeat buyers only)."""
    import numpy as np
    from scipy.optimize import minimize
    from scipy.special import gammaln

    keep = (s.x > 0) & (s.m > 0)
    x, m = s.x[keep], s.m[keep]

    def nll(logp: np.ndarray) -> float:
        p, q, v = np.exp(logp)
        ll = (
            gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(v)
            + (p * x - 1) * np.log(m) + p * x * np.log(x) - (p * x + q) * np.log(x * m + v)
        )  # fmt: skip
        return float(-ll.sum())

    start = np.log([1.0, 1.0, max(float(np.mean(m)), 1.0)])
    got = minimize(nll, start, method="Nelder-Mead",
                   options={"maxiter": 4000, "xatol": 1e-6, "fatol": 1e-8})  # fmt: skip
    p, q, v = (float(val) for val in np.exp(got.x))
    return p, q, v


def expected_purchases(model: Model, t: float, s: Summary) -> np.ndarray:
    """E[purchases in (T, T + t]] of each person (BG/NBD conditional expectation)."""
    from scipy.special import hyp2f1

    r, alpha, a, b = model.r, model.alpha, model.a, model.b
    x, T = s.x, s.T
    hyp = hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
    numerator = (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp)
    return numerator / (1 + _dead_odds(model, s))


def p_alive(model: Model, s: Summary) -> np.ndarray:
    """P(the person has not dropped out) under BG/NBD."""
    return 1 / (1 + _dead_odds(model, s))


def _dead_odds(model: Model, s: Summary) -> np.ndarray:
    import numpy as np

    r, alpha, a, b = model.r, model.alpha, model.a, model.b
    with np.errstate(divide="ignore", invalid="ignore"):
        odds = (a / (b + s.x - 1)) * ((alpha + s.T) / (alpha + s.t_x)) ** (r + s.x)
    return np.where(s.x > 0, odds, 0.0)


def expected_spend_per_purchase(model: Model, s: Summary) -> np.ndarray:
    """E[spend per purchase] of each person (Gamma-Gamma; the population mean without repeats)."""
    import numpy as np

    if model.p is None or model.q is None or model.v is None or model.q <= 1:
        return np.where(s.x > 0, s.m, np.nan)
    p, q, v = model.p, model.q, model.v
    return (p * (v + s.x * s.m)) / (p * s.x + q - 1)


def fit(s: Summary) -> Model | None:
    """Both models on `s`; None when too few persons bought again to fit anything."""
    import numpy as np

    repeaters = int(np.count_nonzero(s.x > 0))
    if repeaters < MIN_REPEATERS:
        return None
    model = Model(*fit_bgnbd(s))
    model.p, model.q, model.v = fit_gamma_gamma(s)
    return model


# -- data ----------------------------------------------------------------------------------------


def summary(con: duckdb.DuckDBPyConnection, end: dt.date) -> Summary:
    """Frequency, recency, age and mean repeat spend of every person first seen before `end`,
    from purchase days before `end` (one SQL query)."""
    import numpy as np

    rows = con.execute(
        f"""WITH days AS (
                SELECT one_id, paid_at::DATE AS day, sum(paid_amount)::DOUBLE AS spend
                FROM ({PERSON_ORDERS}) WHERE paid_at < ? GROUP BY 1, 2),
            ranked AS (SELECT *, row_number() OVER (PARTITION BY one_id ORDER BY day) AS n
                       FROM days)
            SELECT one_id, count(*) - 1 AS x, datediff('day', min(day), max(day)) AS t_x,
                   datediff('day', min(day), ?::DATE) AS T,
                   coalesce(avg(spend) FILTER (WHERE n > 1), 0) AS m
            FROM ranked GROUP BY 1 ORDER BY 1""",
        [end, end],
    ).fetchall()
    cols: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [()] * 5
    return Summary(
        [str(v) for v in cols[0]],
        np.asarray(cols[1], dtype=float),
        np.asarray(cols[2], dtype=float),
        np.asarray(cols[3], dtype=float),
        np.asarray(cols[4], dtype=float),
    )


def data_end(con: duckdb.DuckDBPyConnection) -> dt.date:
    """The day after the last paid order of a person: where observation ends."""
    row = con.execute(f"SELECT max(paid_at)::DATE FROM ({PERSON_ORDERS})").fetchone()
    if not row or row[0] is None:
        raise AnalysisError("no paid orders of persons", "sync orders and build OneID first")
    return row[0] + dt.timedelta(days=1)


# -- backtest ------------------------------------------------------------------------------------


@dataclass
class Backtest:
    calibration_end: dt.date  # first day of the holdout
    holdout_days: int
    persons: int
    repeaters: int
    model: dict[str, float | None]
    actual_purchases: float
    predicted_purchases: float
    mae_purchases: float
    baseline_mae_purchases: float  # "the next period repeats the last": same-length window
    actual_spend: float
    predicted_spend: float
    mae_spend: float
    baseline_mae_spend: float

    @property
    def purchases_error(self) -> float:
        return (self.predicted_purchases - self.actual_purchases) / self.actual_purchases

    @property
    def spend_error(self) -> float:
        return (self.predicted_spend - self.actual_spend) / self.actual_spend


def backtest(con: duckdb.DuckDBPyConnection, holdout_days: int = 180) -> Backtest:
    """Fit on everything before the last `holdout_days` days; score on those days."""
    import numpy as np

    cov = coverage(con)
    require_persons(cov)
    end = data_end(con)
    start = end - dt.timedelta(days=holdout_days)
    s = summary(con, start)
    model = fit(s)
    if model is None:
        raise AnalysisError(
            f"too few persons bought twice before {start} to fit the model",
            "use a shorter --holdout-days or more history",
        )
    actual_n, actual_spend = _window(con, s.one_ids, start, end)
    last_n, last_spend = _window(con, s.one_ids, start - dt.timedelta(days=holdout_days), start)
    pred_n = expected_purchases(model, holdout_days, s)
    value = expected_spend_per_purchase(model, s)
    pred_spend = pred_n * np.nan_to_num(value)
    return Backtest(
        start, holdout_days, len(s.one_ids), int(np.count_nonzero(s.x > 0)), model.params(),
        float(actual_n.sum()), float(pred_n.sum()), float(np.abs(pred_n - actual_n).mean()),
        float(np.abs(last_n - actual_n).mean()),
        float(actual_spend.sum()), float(pred_spend.sum()),
        float(np.abs(pred_spend - actual_spend).mean()),
        float(np.abs(last_spend - actual_spend).mean()),
    )  # fmt: skip


def _window(
    con: duckdb.DuckDBPyConnection, one_ids: list[str], start: dt.date, end: dt.date
) -> tuple[np.ndarray, np.ndarray]:
    """Purchase days and spend of each person of `one_ids` in [start, end)."""
    import numpy as np

    got = dict(
        (r[0], (r[1], r[2]))
        for r in con.execute(
            f"""SELECT one_id, count(DISTINCT paid_at::DATE), sum(paid_amount)::DOUBLE
                FROM ({PERSON_ORDERS}) WHERE paid_at >= ? AND paid_at < ? GROUP BY 1""",
            [start, end],
        ).fetchall()
    )
    n = np.asarray([got.get(p, (0, 0.0))[0] for p in one_ids], dtype=float)
    spend = np.asarray([got.get(p, (0, 0.0))[1] for p in one_ids], dtype=float)
    return n, spend


# -- the report ----------------------------------------------------------------------------------


@dataclass
class LtvReport:
    by: str  # cohort | segment
    segment_source: str | None  # for by=segment: the tag column, or "first platform"
    horizon_days: int
    columns: list[str]
    rows: list[list[Any]]
    model: dict[str, float | None] | None
    notes: list[str] = field(default_factory=list)


def ltv_report(
    con: duckdb.DuckDBPyConnection,
    by: str = "cohort",
    grain: str = "month",
    horizon_days: int = 365,
) -> LtvReport:
    """Historical and predicted LTV per cohort (month or week of first purchase) or segment."""
    if by not in BY_CHOICES:
        raise AnalysisError(f"unknown --by {by!r}", f"use one of {', '.join(BY_CHOICES)}")
    if grain not in ("month", "week"):
        raise AnalysisError(f"unknown grain {grain!r}", "use month or week")
    cov = coverage(con)
    require_persons(cov)
    group_expr, join, source = _group(con, by, grain)
    groups, end = _historical(con, group_expr, join)
    notes = cov.notes()
    s = summary(con, end)
    model = fit(s)
    predicted = _predicted(model, s, horizon_days) if model else {}
    if model is None:
        notes.append(f"fewer than {MIN_REPEATERS} persons bought twice: no prediction")
    person_group = dict(con.execute(_person_group_sql(group_expr, join)).fetchall())
    means = _group_means(predicted, person_group)
    columns = [by, "persons", "orders_pp", "paid_pp", "refunds_pp", "net_ltv_pp"]
    columns += [f"net_{w}d_pp" for w in WINDOWS]
    columns += ["p_alive", f"pred_purchases_{horizon_days}d_pp", f"pred_spend_{horizon_days}d_pp"]
    rows = [[*row, *means.get(row[0], [None, None, None])] for row in groups]
    notes.append(
        f"pp = per person; net = paid − refunds; net_Nd_pp over persons first seen ≥ N days "
        f"before {end - dt.timedelta(days=1)}; predictions for the {horizon_days} days after it"
    )
    return LtvReport(by, source, horizon_days, columns, rows,
                     model.params() if model else None, notes)  # fmt: skip


def _group(con: duckdb.DuckDBPyConnection, by: str, grain: str) -> tuple[str, str, str | None]:
    """(per-person group expression over PERSON_ORDERS rows, join, what a segment is)."""
    if by == "cohort":
        shown = "%Y-%m" if grain == "month" else "%Y-%m-%d"
        return f"strftime(date_trunc('{grain}', min(paid_at)), '{shown}')", "", None
    tags = find_tag_source(con)
    if tags is not None and tags.rfm_segment:
        join = (
            f"LEFT JOIN (SELECT one_id, any_value({quoted(tags.rfm_segment)}) AS tag "
            f"FROM {quoted(tags.table)} GROUP BY 1) t USING (one_id)"
        )
        return "coalesce(any_value(tag), '(untagged)')", join, f"{tags.table}.{tags.rfm_segment}"
    return "arg_min(platform, paid_at)", "", "platform of the first purchase"


def _person_group_sql(expr: str, join: str) -> str:
    return f"SELECT one_id, {expr} FROM ({PERSON_ORDERS}) p {join} GROUP BY one_id"


def _historical(
    con: duckdb.DuckDBPyConnection, expr: str, join: str
) -> tuple[list[list[Any]], dt.date]:
    end = data_end(con)
    windows = ", ".join(
        f"""sum(paid_amount) FILTER (WHERE paid_at < first_at + INTERVAL {w} DAY)
              - coalesce(sum(refund) FILTER (WHERE refunded_at < first_at + INTERVAL {w} DAY), 0)
              AS net_{w}"""
        for w in WINDOWS
    )
    averages = ", ".join(
        f"round(avg(net_{w}) FILTER (WHERE first_at + INTERVAL {w} DAY <= ?::TIMESTAMP), 2)"
        for w in WINDOWS
    )
    sql = f"""
    WITH person AS (
        SELECT one_id, min(paid_at) AS first_at, count(*) AS orders, {expr} AS grp
        FROM ({PERSON_ORDERS}) p {join} GROUP BY one_id),
    money AS (
        SELECT one_id, paid_at, paid_amount, NULL::TIMESTAMP AS refunded_at, NULL::DECIMAL(18,2) AS refund
        FROM ({PERSON_ORDERS})
        UNION ALL SELECT one_id, NULL, NULL, refunded_at, amount FROM ({PERSON_REFUNDS})),
    per AS (
        SELECT p.one_id, p.grp, p.orders, p.first_at,
               coalesce(sum(m.paid_amount), 0) AS paid, coalesce(sum(m.refund), 0) AS refunds,
               {windows}
        FROM person p JOIN money m USING (one_id) GROUP BY ALL)
    SELECT grp, count(*), round(avg(orders), 2), round(avg(paid), 2), round(avg(refunds), 2),
           round(avg(paid - refunds), 2), {averages}
    FROM per GROUP BY 1 ORDER BY 1
    """
    rows = con.execute(sql, [end] * len(WINDOWS)).fetchall()
    return [list(r) for r in rows], end


def _predicted(model: Model, s: Summary, horizon: int) -> dict[str, tuple[float, float, float]]:
    import numpy as np

    n = expected_purchases(model, horizon, s)
    alive = p_alive(model, s)
    spend = n * np.nan_to_num(expected_spend_per_purchase(model, s))
    return {
        pid: (float(a), float(k), float(v))
        for pid, a, k, v in zip(s.one_ids, alive, n, spend, strict=True)
    }


def _group_means(
    predicted: dict[str, tuple[float, float, float]], person_group: dict[str, Any]
) -> dict[Any, list[float | None]]:
    """Mean P(alive), purchases and spend per group."""
    sums: dict[Any, list[float]] = {}
    for pid, values in predicted.items():
        acc = sums.setdefault(person_group.get(pid), [0.0, 0.0, 0.0, 0.0])
        for i, v in enumerate(values):
            acc[i] += v
        acc[3] += 1
    return {
        g: [round(a[0] / a[3], 4), round(a[1] / a[3], 4), round(a[2] / a[3], 2)]
        for g, a in sums.items()
    }
