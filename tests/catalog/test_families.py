"""Catalog families (catalog/families.py): countables, measurables, durations and time parts
declared in catalog YAML, compiled through the metric compiler and checked against hand-written
SQL on the real Olist data and on the demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from shopql.catalog import Filter, SemanticQuery, compile_query, load_catalog
from shopql.catalog.families import null_time_notes
from shopql.catalog.model import CatalogError
from tests.catalog.helpers import Warehouse, same, span

Y2018 = span("2018-01-01", "2019-01-01")
DAYS = "(epoch(finished_at) - epoch(created_at)) / 86400.0"


def test_counts_of_entities(wh: Warehouse) -> None:
    same(wh.metric(metrics=("all:seller",)), wh.sql("SELECT count(*) FROM shops"))
    same(
        wh.metric(metrics=("count:seller",), time_range=Y2018),
        wh.sql(  # every seller of an order's lines (an Olist order's shop_id is its first item's)
            "SELECT count(DISTINCT coalesce(i.shop_id, o.shop_id)) FROM order_items i "
            "JOIN orders o USING (order_id) "
            "WHERE o.created_at >= '2018-01-01' AND o.created_at < '2019-01-01'"
        ),
    )
    same(
        wh.metric(metrics=("product_count",), time_range=Y2018),
        wh.sql(
            "SELECT count(DISTINCT coalesce(i.spu_id, i.product_id)) FROM order_items i "
            "JOIN orders o USING (order_id) WHERE o.paid_at >= '2018-01-01' AND o.paid_at < '2019-01-01'"
        ),
    )


def test_aggregations_of_a_column(wh: Warehouse) -> None:
    same(
        wh.metric(metrics=("avg:review_score",)), wh.sql("SELECT round(avg(score), 2) FROM reviews")
    )
    same(
        wh.metric(
            metrics=("median:review_score", "max:unit_price", "sum:freight"), time_range=Y2018
        ),
        wh.sql(
            "SELECT (SELECT median(score) FROM reviews WHERE created_at >= '2018-01-01' AND created_at < '2019-01-01'),"
            " (SELECT max(i.unit_price) FROM order_items i JOIN orders o USING (order_id)"
            "  WHERE o.created_at >= '2018-01-01' AND o.created_at < '2019-01-01'),"
            " (SELECT sum(shipping_fee) FROM orders WHERE created_at >= '2018-01-01' AND created_at < '2019-01-01')"
        ),
    )


def test_durations(wh: Warehouse) -> None:
    same(
        wh.metric(metrics=("median:delivery_days",)),
        wh.sql(f"SELECT round(median({DAYS}), 2) FROM orders WHERE finished_at IS NOT NULL"),
    )
    same(
        wh.metric(metrics=("avg_delivery_days",), dimensions=("platform",)),
        wh.sql(
            f"SELECT platform, round(avg({DAYS}), 2) FROM orders WHERE finished_at IS NOT NULL GROUP BY 1"
        ),
    )


def test_day_of_week_in_both_languages_in_order(wh: Warehouse) -> None:
    rows = wh.metric(metrics=("orders",), dimensions=("day_of_week",), time_range=Y2018)
    assert [r[:3] for r in rows][:2] == [(1, "Monday", "周一"), (2, "Tuesday", "周二")]
    assert [r[0] for r in rows] == list(range(1, 8))
    same(
        [(r[0], r[3]) for r in rows],
        wh.sql(
            "SELECT isodow(created_at), count(*) FROM orders "
            "WHERE created_at >= '2018-01-01' AND created_at < '2019-01-01' GROUP BY 1"
        ),
    )


def test_filter_on_a_time_part_and_hours(wh: Warehouse) -> None:
    weekend = Filter("day_of_week", "in", (6, 7))
    same(
        wh.metric(metrics=("orders",), dimensions=("hour_of_day",), filters=(weekend,)),
        wh.sql(
            "SELECT hour(created_at), count(*) FROM orders WHERE isodow(created_at) IN (6, 7) GROUP BY 1"
        ),
    )


def test_ratios(wh: Warehouse) -> None:
    same(
        wh.metric(metrics=("items_per_order",), time_range=Y2018),
        wh.sql(
            # over the paid orders that list lines (Olist has paid orders whose export has none)
            "SELECT sum(i.quantity)::DOUBLE / count(DISTINCT o.order_id) FROM orders o "
            "JOIN order_items i USING (order_id) WHERE o.paid_at >= '2018-01-01' AND o.paid_at < '2019-01-01'"
        ),
    )


def test_a_time_breakdown_leaves_out_rows_without_a_time_and_counts_them(wh: Warehouse) -> None:
    compiled = compile_query(
        wh.catalog, SemanticQuery(metrics=("avg_review_score",), dimensions=("day_of_week",))
    )
    rows = wh.con.execute(compiled.sql).fetchall()
    assert all(r[0] is not None for r in rows) and len(rows) == 7
    ((name, sql),) = compiled.null_checks
    missing = wh.sql("SELECT count(*) FROM reviews WHERE created_at IS NULL")[0][0]
    assert missing > 0 and wh.con.execute(sql).fetchall()[0][0] == missing
    notes = null_time_notes(
        compiled.null_checks, lambda q: SimpleNamespace(rows=wh.con.execute(q).fetchall())
    )
    assert notes == [
        f"avg_review_score: {missing} rows without a time are not in any period of the "
        "breakdown (left out)"
    ]
    month = compile_query(wh.catalog, SemanticQuery(metrics=("avg_review_score",), grain="month"))
    assert None not in [r[0] for r in wh.con.execute(month.sql).fetchall()]


def test_generated_metrics_carry_definitions_and_fanout_is_refused(wh: Warehouse) -> None:
    metric = wh.catalog.metrics["median_delivery_days"]
    assert metric.label["zh"] and metric.description["en"] and metric.description["zh"]
    assert "finished_at" in metric.description["en"]
    with pytest.raises(CatalogError, match="cannot be split"):
        compile_query(wh.catalog, SemanticQuery(metrics=("sum:freight",), dimensions=("category",)))
    with pytest.raises(CatalogError, match="no sum"):
        compile_query(wh.catalog, SemanticQuery(metrics=("sum:review_score",)))


def test_demo_counts_and_durations(demo_workspace: Path) -> None:
    w = Warehouse(demo_workspace, today=dt.date(2025, 6, 1))
    try:
        same(w.metric(metrics=("seller_count_all",)), w.sql("SELECT count(*) FROM shops"))
        same(
            w.metric(metrics=("avg:ship_days",), dimensions=("platform",)),
            w.sql(
                "SELECT platform, round(avg((epoch(shipped_at) - epoch(paid_at)) / 86400.0), 2) "
                "FROM orders WHERE shipped_at IS NOT NULL AND paid_at IS NOT NULL GROUP BY 1"
            ),
        )
    finally:
        w.close()


def test_a_workspace_declares_its_own_families(tmp_path: Path) -> None:
    """Families are catalog data: a workspace's YAML adds a measurable and a time part."""
    import shutil

    from shopql.catalog.store import default_pack_dir

    cat = tmp_path / "catalog"
    cat.mkdir()
    for f in default_pack_dir().glob("*.yaml"):
        if f.name != "measurables.yaml":
            shutil.copy(f, cat / f.name)
    # without the default measurables, the metrics defined over theirs go too (discount_rate:
    # sum_discount / goods_amount); left in, the catalog names the missing metric, one line
    metrics = yaml.safe_load((cat / "metrics.yaml").read_text(encoding="utf-8"))
    metrics["metrics"] = [m for m in metrics["metrics"] if m.get("numerator") != "sum_discount"]
    (cat / "metrics.yaml").write_text(yaml.safe_dump(metrics, allow_unicode=True), encoding="utf-8")
    (cat / "extra.yaml").write_text(
        "measurables:\n"
        "  - name: list_price\n    model: products\n    expr: list_price\n"
        "    aggs: [avg, max]\n    default_agg: avg\n    value_type: money\n"
        "    label: {en: List price, zh: 标价}\n",
        encoding="utf-8",
    )
    catalog = load_catalog(tmp_path)
    assert {"avg_list_price", "max_list_price"} <= set(catalog.metrics)
    assert "median_list_price" not in catalog.metrics and "day_of_week" not in catalog.dimensions
    sql = compile_query(catalog, SemanticQuery(metrics=("max:list_price",))).sql
    assert "MAX(products.list_price)" in sql
