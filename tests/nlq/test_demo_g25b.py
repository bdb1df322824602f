"""Demo brand questions (session 25 round 2, helper g), values against hand-written SQL on the
session demo (seed 7): one value's share of the whole period by period (今年京东在总销售额里的比重
逐月看 — each month's part over that month's whole), refused when the value is the whole said with
里 (天猫订单里 退过款的占比); and 'only' said beside an order count (只在抖音买 而且买了3单以上), in
either order."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.nlq.helpers import refused, rows, sql


def _year(demo: Any) -> tuple[dt.date, dt.date]:
    return demo.today.replace(month=1, day=1), demo.today


@pytest.mark.parametrize(
    "question",
    [
        "今年京东在总销售额里的比重 逐月看",
        "今年每月京东销售额占比",
        "今年 每个月 京东 销售额 占比",
        "share of jd in paid sales by month this year",
    ],
)
def test_one_value_share_by_month(demo: Any, question: str) -> None:
    start, end = _year(demo)
    want = sql(
        demo,
        "SELECT date_trunc('month', paid_at)::DATE, sum(paid_amount) FILTER (WHERE platform = "
        "'jd'), sum(paid_amount) FROM orders WHERE paid_at IS NOT NULL AND paid_at >= DATE "
        f"'{start}' AND paid_at < DATE '{end}' GROUP BY 1 ORDER BY 1",
    )
    got = rows(demo, question)
    assert len(got) == len(want) > 1, question
    for (month, part, whole, share), (m, p, w) in zip(got, want, strict=True):
        assert str(month)[:10] == str(m)[:10], question
        assert float(part) == pytest.approx(float(p or 0)), question
        assert float(whole) == pytest.approx(float(w)), question
        assert float(share) == pytest.approx(float(p or 0) / float(w), abs=1e-4), question


def test_orders_share_by_month(demo: Any) -> None:
    start, end = _year(demo)
    want = sql(
        demo,
        # 订单数: the orders placed (paid or not), by order time
        "SELECT date_trunc('month', created_at)::DATE, count(DISTINCT order_id) FILTER (WHERE "
        "platform = 'tmall'), count(DISTINCT order_id) FROM orders WHERE created_at >= "
        f"DATE '{start}' AND created_at < DATE '{end}' GROUP BY 1 ORDER BY 1",
    )
    got = rows(demo, "今年每个月天猫订单数占比")
    assert [(str(r[0])[:10], int(r[1]), int(r[2])) for r in got] == [
        (str(m)[:10], int(p or 0), int(w)) for m, p, w in want
    ]


@pytest.mark.parametrize(
    "question", ["今年每月天猫订单里退过款的占比", "今年 每个月 天猫 的 订单 中 退款 的 比例"]
)
def test_value_as_the_whole_by_month_refused(demo: Any, question: str) -> None:
    # the refunds among Tmall's orders, not Tmall's part of every refund: never answered as that
    refused(demo, question)


@pytest.mark.parametrize(
    "question",
    [
        "今年只在抖音买 而且买了3单以上的人有几个",
        "今年只在抖音买过而且买了3单以上的人有几个",
        "今年 只在 抖音 下过单 并且 下单3次以上 的 客户 有 多少",
        "今年买了3单以上 而且只在抖音买过的人有几个",
        "how many people placed at least 3 orders this year and only bought on douyin",
    ],
)
def test_only_one_platform_and_an_order_count(demo: Any, question: str) -> None:
    start, end = _year(demo)
    ((want,),) = sql(
        demo,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE one_id IS NOT NULL AND paid_at >= "
        f"DATE '{start}' AND paid_at < DATE '{end}' GROUP BY 1 HAVING bool_and(platform = "
        "'douyin') AND count(*) >= 3)",
    )
    assert want > 0
    assert rows(demo, question) == [(want,)], question
