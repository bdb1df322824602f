"""The compiler's contract: output columns, ordering, errors, compare, and guard-clean SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from shopql.catalog import (
    CatalogError,
    Filter,
    OrderBy,
    SemanticQuery,
    compile_query,
    load_catalog,
    parse_time_range,
)
from shopql.catalog.where import parse_where
from tests.catalog.conftest import TODAY, build_shop_workspace
from tests.catalog.helpers import Warehouse, span
from tests.conftest import warehouse_reader


@pytest.fixture(scope="module")
def wh(shop_workspace: Path) -> Iterator[Warehouse]:
    w = Warehouse(shop_workspace, today=TODAY)
    yield w
    w.close()


def test_columns_definitions_and_top_n(wh: Warehouse) -> None:
    q = SemanticQuery(
        metrics=("paid_gmv", "aov"),
        dimensions=("shop_name",),
        order_by=(OrderBy("paid_gmv"),),
        limit=1,
    )
    compiled = compile_query(wh.catalog, q, today=TODAY)
    assert compiled.columns == ["shop_name", "paid_gmv", "aov"]
    assert [m.name for m in compiled.metrics] == ["paid_gmv", "paid_orders", "aov"]
    assert compiled.definitions()["aov"] == "Paid GMV / paid orders."
    assert compiled.definitions("zh")["paid_gmv"].startswith("已付款订单")
    rows = wh.con.execute(compiled.sql).fetchall()
    assert [r[0] for r in rows] == ["Tmall flagship"]


def test_relative_phrase_uses_the_pinned_today(wh: Warehouse) -> None:
    tr = parse_time_range("上个月", TODAY)
    assert wh.metric(metrics=("paid_orders",), time_range=tr) == [(2,)]  # January 2025
    tr = parse_time_range("本月", TODAY)
    assert wh.metric(metrics=("paid_orders", "orders"), time_range=tr) == [(3, 4)]


def test_year_over_year(wh: Warehouse) -> None:
    tr = span("2025-01-01", "2025-02-01")
    rows = wh.metric(
        metrics=("paid_gmv",), dimensions=("platform",), time_range=tr, compare="year_over_year"
    )
    # nothing a year before: previous 0, change unknown (not infinite)
    assert [(r[0], str(r[1]), str(r[2]), r[3]) for r in rows] == [("tmall", "399.99", "0.00", None)]


def test_previous_period_keeps_dimension_values_missing_on_one_side(wh: Warehouse) -> None:
    tr = span("2025-01-01", "2025-02-01")
    rows = wh.metric(
        metrics=("paid_orders",), dimensions=("platform",), time_range=tr, compare="previous_period"
    )
    assert sorted(rows) == [("jd", 0, 1, -1.0), ("tmall", 2, 0, None)]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (SemanticQuery(metrics=("gmvv",)), "unknown metric gmvv"),
        (
            SemanticQuery(metrics=("paid_gmv",), dimensions=("flavour",)),
            "unknown dimension flavour",
        ),
        (SemanticQuery(metrics=("paid_gmv",), grain="hour"), "unknown grain"),
        (SemanticQuery(metrics=("inventory_on_hand",), grain="month"), "no time column"),
        (
            SemanticQuery(metrics=("inventory_on_hand",), dimensions=("platform",)),
            "cannot be reached",
        ),
        (
            # a sum split by a many-valued breakdown counts a row several times (an average or
            # a count takes each row once per value since session 10)
            SemanticQuery(metrics=("sum:freight",), dimensions=("category",)),
            "cannot be split by category",
        ),
        (SemanticQuery(metrics=("paid_gmv",), compare="previous_period"), "needs a time range"),
        (
            SemanticQuery(metrics=("paid_gmv",), filters=(Filter("platform", "between", (1,)),)),
            "operator",
        ),
        (
            SemanticQuery(metrics=("paid_gmv",), order_by=(OrderBy("units"),)),
            "cannot order by units",
        ),
        (SemanticQuery(metrics=()), "no metric"),
    ],
)
def test_errors_say_what_is_wrong(wh: Warehouse, query: SemanticQuery, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        compile_query(wh.catalog, query, today=TODAY)


def test_where_text_becomes_filters() -> None:
    assert parse_where("platform = 'tmall' AND province IN ('浙江省', '上海市')") == (
        Filter("platform", "=", ("tmall",)),
        Filter("province", "in", ("浙江省", "上海市")),
    )
    assert parse_where("NOT status IN ('cancelled') and review_score >= 4") == (
        Filter("status", "not in", ("cancelled",)),
        Filter("review_score", ">=", (4,)),
    )
    for bad in (
        "platform = lower('x')",
        "a = 1; DROP TABLE orders",
        "platform = 'a' OR 1 = 1",
        "orders.platform = 'x'",
    ):
        with pytest.raises(CatalogError):
            parse_where(bad)


def test_every_metric_passes_the_guard_for_every_role(tmp_path: Path) -> None:
    from shopql.catalog.run import guard_context
    from shopql.config import load_settings
    from shopql.warehouse.guard import guard_sql

    shop_workspace = build_shop_workspace(tmp_path / "ws")  # this process holds the shared one open
    catalog = load_catalog(shop_workspace)
    compiled = []  # compiled once: the SQL does not depend on the role
    for name in catalog.metrics:
        for dims in ((), ("platform",)):
            try:
                query = SemanticQuery(metrics=(name,), dimensions=dims)
                compiled.append(compile_query(catalog, query, today=TODAY).sql)
            except CatalogError:
                continue  # e.g. stock has no platform
    assert len(compiled) > len(catalog.metrics)
    for role in ("admin", "analyst", "marketer"):
        ctx = guard_context(load_settings(shop_workspace, {"role": role}), catalog)
        for sql in compiled:
            guard_sql(sql, ctx)


def test_run_metrics_audits_and_masks_nothing_it_needs(tmp_path: Path) -> None:
    from shopql.catalog import run_metrics
    from shopql.config import load_settings

    shop_workspace = build_shop_workspace(tmp_path / "ws")
    settings = load_settings(shop_workspace, {"role": "analyst"})
    q = SemanticQuery(
        metrics=("buyers", "paid_gmv"),
        dimensions=("member_level",),
        time_range=span("2025-01-01", "2026-01-01"),
    )
    compiled, result = run_metrics(settings, q, today=dt.date(2025, 2, 20))
    assert result.columns == compiled.columns == ["member_level", "buyers", "paid_gmv"]
    assert {r[0]: r[1] for r in result.rows} == {"gold": 1, None: 1, "silver": 1}
    audit = warehouse_reader(shop_workspace)
    try:
        logged = audit.execute("SELECT role, source, outcome, rows FROM _audit").fetchall()
    finally:
        audit.close()
    # the answer, then the count of buyers' orders with no person (unkeyed_checks): audited too
    assert sorted(logged, key=lambda r: -r[3]) == [
        ("analyst", "metric", "ok", 3),
        ("analyst", "metric", "ok", 1),
    ]


def test_compare_with_a_grain_lines_buckets_up(wh: Warehouse) -> None:
    tr = span("2025-02-01", "2025-03-01")
    rows = wh.metric(
        metrics=("paid_orders",), grain="month", time_range=tr, compare="previous_period"
    )
    assert [(str(r[0]), *r[1:]) for r in rows] == [("2025-02-01", 3, 2, 0.5)]
    days = wh.metric(
        metrics=("paid_orders",),
        grain="day",
        time_range=span("2025-02-03", "2025-02-04"),
        compare="previous_period",
    )
    assert [(str(r[0]), *r[1:]) for r in days] == [("2025-02-03", 1, 0, None)]
    with pytest.raises(CatalogError, match="does not line up with week buckets"):
        wh.metric(metrics=("paid_orders",), grain="week", time_range=tr, compare="previous_period")
