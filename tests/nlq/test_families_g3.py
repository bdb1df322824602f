"""Session 7 families (issue 11 §2), asked as questions and checked against SQL written by hand on
the real Olist and Online Retail data and the demo: shares without a breakdown (one value's share,
one metric over another), conditions on a group's count (HAVING), durations asked as questions
(多少天送到, 多久才发货, "waits longest"). The dev set tests/nlq/dev_g3.yaml is scored by
test_dev_sets.py."""

from __future__ import annotations

import pytest

from shopql.nlq.offline import understand
from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql

# -- shares without a breakdown ------------------------------------------------------------------


def test_one_metric_over_another_counts_the_part_over_the_wholes_rows(olist: Workspace) -> None:
    """ "运费占销售额的比例": freight of the orders PAID in the period (as sales are), over sales.
    今年 said alone runs to today (2018-09-01, Olist's pinned today; tests/nlq/test_wrong_c7.py)."""
    gold = sql(
        olist,
        "SELECT sum(shipping_fee), sum(paid_amount), round(sum(shipping_fee) / sum(paid_amount), 4) "
        "FROM orders WHERE paid_at >= '2018-01-01' AND paid_at < '2018-09-01'",
    )
    assert float(gold[0][0]) == pytest.approx(1258882.71)
    for q in ("今年运费占销售额的比例是多少", "freight as a share of sales this year"):
        got = rows(olist, q)
        assert len(got) == 1 and len(got[0]) == 3, q
        assert [round(float(x), 4) for x in got[0]] == [round(float(x), 4) for x in gold[0]], q
    u = understand("今年运费占销售额的比例是多少", olist)
    assert u.query.metrics == ("sum_freight", "paid_gmv") and u.confident
    # the whole is the metric said after 占 / "share of", whatever the order of the words
    assert understand("what share of sales is freight, 2018", olist).query.metrics[0] == (
        "sum_freight"
    )


def test_a_share_of_metrics_in_different_units_is_refused(olist: Workspace) -> None:
    why = refused(olist, "今年订单数占销售额的比例")
    assert "same unit" in str(why)


def test_a_value_with_no_metric_is_a_share_of_its_own_rows(olist: Workspace) -> None:
    """ "1星评价占比": reviews scored 1 over all reviews (a review has no amount to be a share of)."""
    one, total = sql(
        olist,
        "SELECT count(*) FILTER (WHERE score = 1), count(*) FROM reviews "
        "WHERE created_at >= '2018-01-01' AND created_at < '2019-01-01'",
    )[0]
    assert (one, total) == (6736, 56156)
    for q in ("1星评价占比 今年", "share of 1 star reviews this year"):
        got = rows(olist, q)
        assert got == [(one, total, round(one / total, 4))], q
    # an order's value names no rows to count: of sales? of orders? — not guessed
    refused(olist, "订单金额超过1000的占比 今年")


def test_a_share_of_all_but_one_value(retail: Workspace) -> None:
    part, whole = sql(
        retail,
        "SELECT count(DISTINCT one_id) FILTER (WHERE country <> 'United Kingdom'), "
        "count(DISTINCT one_id) FROM orders WHERE paid_at IS NOT NULL",
    )[0]
    got = rows(retail, "非英国客户占多少比例")
    assert got == [(part, whole, round(part / whole, 4))]


def test_share_question_words_are_placed_by_the_share(demo: Workspace) -> None:
    part, whole = sql(
        demo,
        "SELECT count(DISTINCT order_id) FILTER (WHERE payment_channel = 'wechat'), "
        "count(DISTINCT order_id) FROM orders WHERE created_at >= DATE '2025-05-02' "
        "AND created_at < DATE '2025-06-01'",
    )[0]
    assert part > 0
    for q in ("微信支付的订单占几成 近30天", "微信支付的订单占百分之几 近30天"):
        assert rows(demo, q) == [(part, whole, round(part / whole, 4))], q


# -- a condition on each group's count (HAVING) ---------------------------------------------------


def test_groups_with_more_than_n_orders(olist: Workspace) -> None:
    gold = sql(
        olist,
        "SELECT i.shop_id, count(DISTINCT i.order_id) FROM order_items i JOIN orders o USING "
        "(order_id) WHERE i.shop_id IS NOT NULL AND o.paid_at IS NOT NULL GROUP BY 1 "
        "HAVING count(DISTINCT i.order_id) > 100 ORDER BY 2 DESC, 1",
    )  # an order counts for each of its sellers (its own lines; session 12, c), its paid ones (26)
    assert len(gold) == 210  # and the orders naming no seller (no items) are no seller
    u = understand("sellers with more than 100 orders", olist)
    having = [(f.dimension, f.op, f.values) for f in u.query.having]
    # each seller's own lines' orders, its paid ones (a seller's orders are its sales, session 26)
    assert having == [("paid_orders_with_items", ">", (100,))]
    # not a condition on each order's items (was order_units > 100)
    assert [(f.dimension, f.op) for f in u.query.filters] == [("shop", "is not null")]
    assert sorted(rows(olist, "sellers with more than 100 orders")) == sorted(gold)
    assert sorted(rows(olist, "超过100单的卖家有哪些")) == sorted(gold)
    # how many such sellers: the count of those groups (session 8, SemanticQuery.of_groups)
    assert rows(olist, "how many sellers have more than 100 orders") == [(len(gold),)]


def test_a_ranking_among_groups_with_enough_reviews(olist: Workspace) -> None:
    # a review counts once for each seller of its order's lines (session 13), not the first's
    gold = sql(
        olist,
        "SELECT shop_id, round(avg(score), 2), count(*) FROM (SELECT DISTINCT i.shop_id, r.rn, "
        "r.score FROM (SELECT row_number() OVER () AS rn, * FROM reviews) r "
        "JOIN order_items i USING (order_id)) GROUP BY 1 "
        "HAVING count(*) >= 50 ORDER BY 2, 1 LIMIT 5",
    )
    got = rows(olist, "sellers with at least 50 reviews, avg score, lowest 5")
    assert [(r[0], float(r[1]), r[2]) for r in got] == [(g[0], float(g[1]), g[2]) for g in gold]
    u = understand("评价数至少50条的卖家里平均评分最低的5个", olist)
    assert [(f.dimension, f.op, f.values) for f in u.query.having] == [
        ("review_count", ">=", (50,))
    ]


# -- durations asked as questions -----------------------------------------------------------------


def test_how_many_days_to_arrive_in_a_state(olist: Workspace) -> None:
    (gold,) = sql(
        olist,
        "SELECT round(avg((epoch(o.finished_at) - epoch(o.created_at)) / 86400.0), 2) "
        "FROM orders o LEFT JOIN customers c USING (customer_id) "
        "WHERE coalesce(o.province, c.province) = 'RJ' "
        "AND o.created_at >= '2018-01-01' AND o.created_at < '2019-01-01'",
    )[0]
    u = understand("RJ 2018年的订单平均多少天送到", olist)
    assert "avg_delivery_days" in u.query.metrics and u.confident
    got = rows(olist, "RJ 2018年的订单平均多少天送到")
    assert float(got[0][u.query.metrics.index("avg_delivery_days")]) == pytest.approx(
        float(gold), abs=0.01
    )


def test_how_long_after_paying_until_shipped(olist: Workspace) -> None:
    (gold,) = sql(
        olist,
        "SELECT round(avg((epoch(shipped_at) - epoch(paid_at)) / 86400.0), 2) FROM orders",
    )[0]
    for q in ("付款以后平均要多久才发货", "on average how long after payment until shipped"):
        u = understand(q, olist)
        assert u.query.metrics == ("avg_ship_days",) and u.confident, q
        assert float(rows(olist, q)[0][0]) == pytest.approx(float(gold), abs=0.01), q


def test_the_state_waiting_longest(olist: Workspace) -> None:
    gold = sql(
        olist,
        "SELECT coalesce(o.province, c.province) AS s, "
        "round(avg((epoch(o.finished_at) - epoch(o.created_at)) / 86400.0), 2) AS d "
        "FROM orders o LEFT JOIN customers c USING (customer_id) WHERE s IS NOT NULL "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    got = rows(olist, "which state waits longest for deliveries (avg days)")
    assert [(r[0], float(r[1])) for r in got] == [(g[0], float(g[1])) for g in gold]
    # the start event named already by a duration's phrase keeps its reading
    assert understand("从下单到送达平均几天", olist).query.metrics == ("avg_delivery_days",)


# -- thresholds said in another unit or with no unit; periods said as a range or "the one before" --


def test_hours_on_a_duration_counted_in_days(demo: Workspace) -> None:
    (gold,) = sql(
        demo,
        "SELECT count(DISTINCT order_id) FROM orders WHERE "
        "(epoch(shipped_at) - epoch(paid_at)) / 3600.0 > 48 "
        "AND created_at >= DATE '2025-05-02' AND created_at < DATE '2025-06-01'",
    )[0]
    u = understand("发货超过48小时的订单 近30天有几单", demo)
    assert [(f.dimension, f.op, f.values) for f in u.query.filters] == [("ship_days", ">", (2,))]
    assert rows(demo, "发货超过48小时的订单 近30天有几单") == [(gold,)]


def test_orders_over_an_amount_with_nothing_grouped(demo: Workspace, olist: Workspace) -> None:
    (gold,) = sql(
        demo,
        "SELECT count(DISTINCT order_id) FROM orders WHERE platform = 'shopify' "
        "AND paid_amount > 500 AND created_at >= '2025-05-01' AND created_at < '2025-06-01'",
    )[0]
    assert rows(demo, "shopify orders over 500 last month") == [(gold,)]
    # no platform, no period: every order whose amount is over the number (was refused, session 4)
    (olist_gold,) = sql(
        olist, "SELECT count(DISTINCT order_id) FROM orders WHERE paid_amount > 100"
    )[0]
    assert rows(olist, "orders over 100") == [(olist_gold,)] == [(52181,)]
    # with a breakdown the same words are each group's count
    u = understand("platforms with more than 500 orders last month", demo)
    assert [(f.dimension, f.op) for f in u.query.having] == [("orders", ">")]


def test_the_period_before_the_one_named(demo: Workspace) -> None:
    u = understand("上个月比前一个月销售额涨了多少", demo)
    tr = u.query.time_range
    assert u.query.compare == "previous_period"
    assert (tr.start.date().isoformat(), tr.end.date().isoformat()) == ("2025-05-01", "2025-06-01")


def test_two_days_joined_by_to_are_a_range(demo: Workspace) -> None:
    (gold,) = sql(
        demo,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2025-05-05' "
        "AND paid_at < '2025-05-12'",
    )[0]
    for q in (
        "5月5号到11号的销售额",
        "5月5日到5月11日卖了多少",
        "sales from 2025-05-05 to 2025-05-11",
    ):
        got = rows(demo, q)
        assert [round(float(got[0][0]), 2)] == [round(float(gold), 2)], q


def test_a_range_of_hours_of_the_day(demo: Workspace) -> None:
    (gold,) = sql(
        demo,
        "SELECT sum(paid_amount) FROM orders WHERE hour(paid_at) >= 20 "
        "AND paid_at >= '2025-05-01' AND paid_at < '2025-06-01'",
    )[0]
    for q in ("晚上8点到12点的销售额 上个月", "sales between 8pm and midnight last month"):
        u = understand(q, demo)
        assert [(f.dimension, f.values) for f in u.query.filters] == [
            ("hour_of_day", (20, 21, 22, 23))
        ], q
        assert [round(float(r[0]), 2) for r in rows(demo, q)] == [round(float(gold), 2)], q
    # the end before the start is no range: left unplaced, refused
    refused(demo, "晚上8点到6点的销售额 上个月")


def test_thousands_said_with_k(retail: Workspace) -> None:
    (gold,) = sql(
        retail,
        "SELECT count(DISTINCT order_id) FROM orders WHERE paid_amount > 1000 "
        "AND created_at >= '2011-11-01' AND created_at < '2011-12-01'",
    )[0]
    assert rows(retail, "invoices over 1k last month?") == [(gold,)]
