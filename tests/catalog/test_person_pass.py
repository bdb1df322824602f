"""Person measures over the same rows share one grouping pass (issue 14): buyers and repeat
buyers (and every metric built on them) come from one GROUP BY person instead of a distinct
count plus a per-person pass. The answers must not move: every person metric, on the demo and
on Olist, by several breakdowns, is compared with the compiler that gave each measure its own
pass."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from shopql.catalog import SemanticQuery, compile_query, load_catalog, metric_closure
from shopql.catalog import compiler as compiler_module
from tests.catalog.helpers import same
from tests.conftest import warehouse_reader

BREAKDOWNS: list[dict[str, Any]] = [
    {},
    {"dimensions": ("platform",)},
    {"grain": "month"},
    {"dimensions": ("province",)},
    {"dimensions": ("category",)},
]


def person_metrics(catalog: Any) -> list[str]:
    """Every catalog metric computed from a per-person measure (a `having`) or a distinct
    count of persons."""
    out = []
    for name in catalog.metrics:
        for m in metric_closure(catalog, [name]):
            measure = catalog.measures.get(m.measure or "")
            if measure and (measure.having or (measure.agg == "count_distinct"
                                               and measure.expr == "one_id")):  # fmt: skip
                out.append(name)
                break
    return out


def separate_passes(per_entity: list[Any], leaves: list[Any]) -> tuple[list[Any], list[Any]]:
    return [], leaves  # the compiler before: each per-person measure its own pass


def compare(ws: Path, today: dt.date, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """(rows compared, queries whose SQL now shares a pass)."""
    catalog = load_catalog(ws)
    names = person_metrics(catalog)
    assert {"buyers", "repeat_buyers", "repurchase_rate"} <= set(names)
    con = warehouse_reader(ws)
    rows = merged = 0
    try:
        together = ("buyers", "repeat_buyers", "repurchase_rate", "new_buyers", "paid_gmv")
        for name in [*names, together]:
            for extra in BREAKDOWNS:
                # next to the person count, and with other metrics' own scans
                for metrics in ((name, "buyers") if isinstance(name, str) else name,):
                    query = SemanticQuery(metrics=tuple(dict.fromkeys(metrics)), **extra)
                    try:
                        now = compile_query(catalog, query, today=today).sql
                    except Exception:  # a breakdown this metric cannot take: none either way
                        with monkeypatch.context() as m:
                            m.setattr(compiler_module, "_entity_passes", separate_passes)
                            with pytest.raises(Exception):  # noqa: B017, PT011
                                compile_query(catalog, query, today=today)
                        continue
                    with monkeypatch.context() as m:
                        m.setattr(compiler_module, "_entity_passes", separate_passes)
                        before = compile_query(catalog, query, today=today).sql
                    got, expected = con.execute(now).fetchall(), con.execute(before).fetchall()
                    same(got, expected)
                    rows += len(got)
                    merged += now.count("COUNT(DISTINCT orders.one_id)") < before.count(
                        "COUNT(DISTINCT orders.one_id)"
                    )
    finally:
        con.close()
    return rows, merged


def test_demo_person_metrics_are_the_same_in_one_pass(
    demo_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.catalog.conftest import DEMO_TODAY

    rows, merged = compare(demo_workspace, DEMO_TODAY, monkeypatch)
    assert rows > 300 and merged >= 10


def test_olist_person_metrics_are_the_same_in_one_pass(
    olist_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows, merged = compare(olist_workspace, dt.date(2018, 10, 1), monkeypatch)
    assert rows > 300 and merged >= 10


def test_buyers_and_repeat_buyers_group_once(demo_workspace: Path) -> None:
    """The SQL groups the orders once (per platform and person), and the values are the
    hand-written ones."""
    catalog = load_catalog(demo_workspace)
    query = SemanticQuery(metrics=("buyers", "repeat_buyers"), dimensions=("platform",))
    sql = compile_query(catalog, query).sql
    assert sql.count("FROM orders") == 1 and "COUNT(DISTINCT orders.one_id)" not in sql
    con = warehouse_reader(demo_workspace)
    try:
        expected = con.execute(
            """SELECT platform, count(*), count(*) FILTER (WHERE n >= 2) FROM (
                   SELECT platform, one_id, count(DISTINCT order_id) AS n FROM orders
                   WHERE paid_at IS NOT NULL AND one_id IS NOT NULL GROUP BY 1, 2)
               GROUP BY 1"""
        ).fetchall()
        same(con.execute(sql).fetchall(), expected)
        assert all(r[2] for r in expected)
    finally:
        con.close()
