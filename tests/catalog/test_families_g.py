"""Session 6 families (issue 11 part 2), compiled and checked against hand-written SQL on the real
Olist data: counts of any categorical dimension, per-entity ratios the catalog does not declare,
conditions on each order line (unit price, quantity), and the second purchase of people only."""

from __future__ import annotations

import pytest

from shopql.catalog import Filter
from shopql.catalog.families import dimension_count, ratio_metric
from tests.catalog.helpers import Warehouse, same, span

Y2017 = span("2017-01-01", "2018-01-01")
Y2018 = span("2018-01-01", "2019-01-01")


def test_a_categorical_dimension_is_counted_by_its_own_model(wh: Warehouse) -> None:
    name = dimension_count(wh.catalog, "payment_channel", timed=True)
    assert name == "payment_channel_count"
    assert wh.catalog.metrics[name].description["en"] and wh.catalog.metrics[name].label["zh"]
    same(
        wh.metric(metrics=(name,), time_range=Y2018),
        wh.sql(
            "SELECT count(DISTINCT payment_channel) FROM orders "
            "WHERE created_at >= '2018-01-01' AND created_at < '2019-01-01'"
        ),
    )
    assert dimension_count(wh.catalog, "platform") == "platform_count"  # the countable's own
    # the seller's city is a snapshot (shops): with a period it is not counted at all
    assert dimension_count(wh.catalog, "seller_city", timed=True) is None
    assert dimension_count(wh.catalog, "paid_date") is None  # a time is not counted


def test_a_ratio_the_catalog_lacks_is_each_side_divided(wh: Warehouse) -> None:
    assert ratio_metric(wh.catalog, "paid_gmv", "paid_orders") == "aov"  # declared: used
    name = ratio_metric(wh.catalog, "paid_gmv", "seller_count")
    # sales per seller: what the split by seller adds up (the line amounts), over the sellers
    # of those lines — counted by the same (payment) time as the sales (session 15)
    assert name == "item_paid_gmv_per_seller_count"
    got = wh.metric(metrics=(name,), time_range=Y2017)
    expected = wh.sql(
        "SELECT (SELECT sum(i.paid_amount) FROM order_items i JOIN orders o USING (order_id) "
        "WHERE o.paid_at >= '2017-01-01' AND o.paid_at < '2018-01-01')::DOUBLE / "
        "(SELECT count(DISTINCT coalesce(i.shop_id, o.shop_id)) FROM order_items i "
        "JOIN orders o USING (order_id) "
        "WHERE o.paid_at >= '2017-01-01' AND o.paid_at < '2018-01-01')"
    )
    assert float(got[0][0]) == pytest.approx(expected[0][0], abs=0.01)
    assert ratio_metric(wh.catalog, "aov", "buyers") is None  # a ratio is not divided again
    assert ratio_metric(wh.catalog, "paid_gmv", "units") is not None  # sales_per_unit


def test_a_condition_on_each_line(wh: Warehouse) -> None:
    pricey = Filter("unit_price", ">", (100,))
    lines = (
        "FROM order_items i JOIN orders o USING (order_id) WHERE i.unit_price > 100 "
        "AND o.paid_at >= '2018-01-01' AND o.paid_at < '2019-01-01'"
    )
    same(
        wh.metric(metrics=("units", "product_count"), filters=(pricey,), time_range=Y2018),
        wh.sql(f"SELECT sum(i.quantity), count(DISTINCT coalesce(i.spu_id, i.product_id)) {lines}"),
    )
    # an order-level amount with a line-level twin: the lines' own amounts
    same(
        wh.metric(metrics=("paid_gmv",), filters=(pricey,), time_range=Y2018),
        wh.sql(f"SELECT sum(i.paid_amount) {lines}"),
    )
    # an order count: the orders with such a line
    same(
        wh.metric(metrics=("orders",), filters=(Filter("unit_price", ">", (1000,)),)),
        wh.sql(
            "SELECT count(*) FROM orders WHERE order_id IN "
            "(SELECT order_id FROM order_items WHERE unit_price > 1000)"
        ),
    )
    same(
        wh.metric(metrics=("units",), filters=(Filter("line_quantity", ">=", (5,)),)),
        wh.sql(
            "SELECT coalesce(sum(i.quantity), 0) FROM order_items i JOIN orders o USING (order_id) "
            "WHERE i.quantity >= 5 AND o.paid_at IS NOT NULL"
        ),
    )


def test_the_second_purchase_is_a_person_s(wh: Warehouse) -> None:
    """Orders naming no buyer are no one's: they do not make a 'second order' of a NULL person."""
    same(
        wh.metric(metrics=("median_repurchase_days",)),
        wh.sql(
            "WITH r AS (SELECT one_id, paid_at, row_number() OVER (PARTITION BY one_id "
            "ORDER BY paid_at, order_id) AS n FROM orders WHERE paid_at IS NOT NULL "
            "AND one_id IS NOT NULL) SELECT round(median((epoch(b.paid_at) - epoch(a.paid_at)) "
            "/ 86400.0), 2) FROM r a JOIN r b ON a.one_id = b.one_id AND a.n = 1 AND b.n = 2"
        ),
    )
