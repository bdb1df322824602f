"""Session 24 round 2, helper g: two wrong answers of dev_w20 (Olist) — a period said again in a
condition's brackets no longer takes the place of the period compared, and a change over a range
of more than two months (6月到8月 … 涨得最多: August against June) is refused rather than read
as the three months against the three before. Each in more than one phrasing."""

from __future__ import annotations

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql

Q2_18 = "o.created_at >= '2018-04-01' AND o.created_at < '2018-07-01'"
Q2_17 = "o.created_at >= '2017-04-01' AND o.created_at < '2017-07-01'"


def test_a_period_said_again_in_a_condition_is_the_condition_s(olist: Workspace) -> None:
    """nlq/reading.parse: "Q2比去年Q2 … (去年Q2至少200单)" — 去年Q2 said twice is not one period
    restated with Q2 left over: Q2 (2018's) against 去年Q2, the categories with at least 200
    orders in 2017's Q2 ranked by growth (was 去年Q2 against 2017's Q1)."""
    top = sql(
        olist,
        f"SELECT p.category, count(DISTINCT i.order_id) FILTER (WHERE {Q2_18}), "
        f"count(DISTINCT i.order_id) FILTER (WHERE {Q2_17}) FROM order_items i "
        "JOIN orders o ON o.order_id = i.order_id JOIN products p ON p.product_id = i.product_id "
        f"WHERE p.category IS NOT NULL AND ({Q2_18} OR {Q2_17}) GROUP BY 1 "
        f"HAVING count(DISTINCT i.order_id) FILTER (WHERE {Q2_17}) >= 200 "
        f"ORDER BY count(DISTINCT i.order_id) FILTER (WHERE {Q2_18}) * 1.0 / "
        f"count(DISTINCT i.order_id) FILTER (WHERE {Q2_17}) DESC LIMIT 1",
    )
    assert top == [("relogios_presentes", 1517, 334)]
    for q in (
        "Q2 比 去年 Q2 订单 数 增长 最快 的 品类 (去年 Q2 至少 200单)",
        "Q2比去年Q2订单数增长最快的品类(去年Q2至少200单)",
        "Q2比去年Q2订单数增长最快的品类，去年Q2至少200单",
    ):
        assert rows(olist, q)[0][:3] == top[0], q


def test_a_change_over_three_months_is_refused(olist: Workspace) -> None:
    """nlq/offline._from_to_change: "6月到8月哪个州的AOV涨得最多" is August against June (two
    months apart, which the engine does not compare) — refused, not June-August against
    March-May; two months ("7月到8月") stay the second against the first."""
    for q in (
        "今年6月到8月 哪个州的AOV涨得最多",
        "今年6月到8月哪个州的客单价涨得最多",
        "今年 6月 到 8月 哪个 州 的 客单价 涨 得 最多",
    ):
        assert "two months apart" in str(refused(olist, q)), q
    aug, jul = sql(
        olist,
        "SELECT avg(o.paid_amount) FILTER (WHERE o.paid_at >= '2018-08-01'), "
        "avg(o.paid_amount) FILTER (WHERE o.paid_at < '2018-08-01') FROM orders o "
        "JOIN customers c ON c.customer_id = o.customer_id WHERE c.province = 'RO' "
        "AND o.paid_at >= '2018-07-01' AND o.paid_at < '2018-09-01'",
    )[0]
    top = rows(olist, "今年7月到8月哪个州的客单价涨得最多")[0]
    assert top[0] == "RO" and tuple(map(float, top[1:3])) == (round(aug, 2), round(jul, 2))
