"""Demo brand questions (session 23, helper g): each answered as a careful analyst would, values
against hand-written SQL on the session demo, or refused — discounts as a share of the goods
amount, an order's different SKUs, stock summed over both warehouses, refunds by reason, people
who did two behaviour events (or one and not the other), and the share of one event's visitors
that did another."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.nlq.helpers import refused, rows, sql


def _last_month(demo: Any) -> tuple[dt.date, dt.date]:
    end = demo.today.replace(day=1)
    return (end - dt.timedelta(days=1)).replace(day=1), end


def test_discounts_as_a_share_of_the_goods_amount(demo: Any) -> None:
    """'优惠 占 商品金额 的 比例': the discounts over the goods amount before discounts (was
    refused: 商品 read as a breakdown by product)."""
    start, end = _last_month(demo)
    ((want,),) = sql(
        demo,
        "SELECT sum(discount_amount) * 1.0 / sum(goods_amount) FROM orders "
        f"WHERE created_at >= DATE '{start}' AND created_at < DATE '{end}'",
    )
    for question in (
        "上个月 优惠 金额 占 商品 金额 的 比例",
        "上个月优惠占商品金额的比例",
        "上个月 优惠 占 商品总额 多少",
        "discounts as a share of goods amount last month",
    ):
        assert rows(demo, question)[0][-1] == pytest.approx(want, abs=1e-4), question


def test_each_products_amount_is_no_goods_amount(demo: Any) -> None:
    """'各商品 金额': 商品 after 各 is a breakdown, not the goods amount of every order."""
    for question in ("上个月 各商品 金额", "上个月每个商品金额"):
        assert "金额" in refused(demo, question).unknown, question


def test_different_skus_per_order(demo: Any) -> None:
    """'平均每单有几个SKU': each paid order's different SKUs, averaged (was: the average order
    value beside the count of SKUs)."""
    start, end = _last_month(demo)
    ((want,),) = sql(
        demo,
        "SELECT avg(n) FROM (SELECT i.order_id, count(DISTINCT i.sku_key) AS n FROM order_items i "
        "JOIN orders o ON o.order_id = i.order_id WHERE o.paid_at >= "
        f"DATE '{start}' AND o.paid_at < DATE '{end}' GROUP BY 1)",
    )
    for question in (
        "上个月 平均 每单 有 几个 SKU",
        "上个月平均每单有几个SKU",
        "上个月 每单 平均 几个 SKU",
        "average SKUs per order last month",
    ):
        assert rows(demo, question) == [(pytest.approx(want),)], question


def test_stock_summed_over_both_warehouses(demo: Any) -> None:
    """'库存最多的5个SKU (两个仓加起来)': each SKU's latest stock in each warehouse, added up
    over the warehouses (was: a row per SKU and warehouse)."""
    want = sql(
        demo,
        "SELECT outer_code, sum(on_hand) FROM (SELECT outer_code, warehouse, on_hand FROM "
        "inventory QUALIFY row_number() OVER (PARTITION BY outer_code, warehouse ORDER BY as_of "
        "DESC) = 1) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5",
    )
    for question in (
        "现在 库存 最多 的 5个 SKU (两个 仓 加 起来)",
        "现在库存最多的5个SKU(两个仓加起来)",
    ):
        got = rows(demo, question)
        assert [(c, int(n)) for c, n in got] == [(c, int(n)) for c, n in want], question


def test_refunds_by_reason(demo: Any) -> None:
    """'退款 按原因 各 占 多少': each refund reason's share of the refund money (was refused as a
    'why'); a why asked is still refused."""
    start = demo.today - dt.timedelta(days=90)
    want = sql(
        demo,
        "SELECT e.reason, sum(e.amount) / sum(sum(e.amount)) OVER () FROM (SELECT r.order_id, "
        "r.amount, r.reason, coalesce(r.finished_at, r.requested_at, o.paid_at, o.created_at) AS "
        "t FROM refunds r LEFT JOIN orders o ON o.order_id = r.order_id WHERE r.status IS NULL "
        "OR lower(r.status) = 'success' UNION ALL SELECT o.order_id, o.refund_amount, NULL, "
        "coalesce(o.paid_at, o.created_at) FROM orders o WHERE o.refund_amount <> 0 AND NOT "
        "EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.order_id)) e WHERE e.t >= "
        f"DATE '{start}' AND e.t < DATE '{demo.today}' GROUP BY 1",
    )
    shares = {r: pytest.approx(float(s), abs=1e-4) for r, s in want}
    for question in ("近90天 退款 按原因 各 占 多少", "近90天退款按原因各占多少"):
        assert {r[0]: r[-1] for r in rows(demo, question)} == shares, question
    refused(demo, "近90天 退款 为什么 这么 多")


def _visitors(demo: Any, having: str) -> int:
    start, end = _last_month(demo)
    ((n,),) = sql(
        demo,
        "SELECT count(*) FROM (SELECT user_key FROM events WHERE event_time >= "
        f"DATE '{start}' AND event_time < DATE '{end}' GROUP BY 1 HAVING {having})",
    )
    return int(n)


def test_visitors_who_did_two_things_or_one_and_not_the_other(demo: Any) -> None:
    """'既收藏又加购的访客' (was refused: 既 unplaced), '收藏了但没买的人' (was refused as an
    exclusion)."""
    both = _visitors(demo, "bool_or(event_type = 'fav') AND bool_or(event_type = 'cart')")
    for question in (
        "上个月 既 收藏 又 加购 的 访客 有 多少",
        "上个月既收藏又加购的访客有多少",
        "上个月 收藏了 也 加了购 的 人 有几个",
    ):
        assert rows(demo, question) == [(both,)], question
    only = _visitors(demo, "bool_or(event_type = 'fav') AND NOT bool_or(event_type = 'buy')")
    for question in (
        "上个月 收藏了 但 没 买 的 人 有多少",
        "上个月收藏了但没买的人有多少",
        "how many visitors favourited but didn't buy last month",
    ):
        assert rows(demo, question) == [(only,)], question
    viewed = _visitors(demo, "bool_or(event_type = 'view') AND bool_or(event_type = 'buy')")
    assert rows(demo, "上个月 既 浏览 又 购买 的 访客 有 多少") == [(viewed,)]


def test_spoken_fillers_and_verbs(demo: Any) -> None:
    """'有几单走的顺丰' (走 before the carrier, with 的 between them), '每天的销售额 列一下' (a list
    asked), '银联和card各付了多少钱' (the paid amount of each value; was: no metric)."""
    start, end = _last_month(demo)
    span = f"paid_at >= DATE '{start}' AND paid_at < DATE '{end}'"
    ((sf,),) = sql(demo, f"SELECT count(*) FROM orders WHERE carrier = 'sf' AND {span}")
    for question in ("上个月 付款 的 单 里 有 几单 走 的 顺丰", "上个月付款的单里有几单走的顺丰"):
        assert rows(demo, question) == [(sf,)], question
    week = demo.today - dt.timedelta(days=demo.today.weekday() + 7)
    daily = sql(
        demo,
        "SELECT CAST(paid_at AS DATE), sum(paid_amount) FROM orders WHERE paid_at >= "
        f"DATE '{week}' AND paid_at < DATE '{week + dt.timedelta(days=7)}' GROUP BY 1",
    )
    want = {str(d): pytest.approx(float(v)) for d, v in daily}
    for question in ("上周 每天 的 销售额 列 一下", "上周每天的销售额列一下"):
        assert {str(d): float(v) for d, v in rows(demo, question)} == want, question
    channels = sql(
        demo,
        "SELECT payment_channel, sum(paid_amount) FROM orders WHERE payment_channel IN "
        f"('unionpay', 'card') AND {span} GROUP BY 1",
    )
    want = {c: pytest.approx(float(v)) for c, v in channels}
    assert len(want) == 2
    for question in ("上个月 银联 和 card 各 付了 多少 钱", "上个月银联和card各付了多少钱"):
        assert {c: float(v) for c, v in rows(demo, question)} == want, question


def test_the_discount_said_as_taken_off(demo: Any) -> None:
    """'优惠最多的一单减了多少': 减 says the discount again (was refused: 减 unplaced); a
    decrease asked against another period ('比去年减了多少') is not rewritten."""
    start = demo.today.replace(month=1, day=1)
    ((want,),) = sql(
        demo,
        "SELECT max(discount_amount) FROM orders WHERE created_at >= "
        f"DATE '{start}' AND created_at < DATE '{demo.today}'",
    )
    for question in ("今年 优惠 最多 的 一单 减 了 多少", "今年优惠最多的一单减了多少"):
        assert rows(demo, question) == [(pytest.approx(float(want)),)], question
