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


@pytest.mark.parametrize(
    ("question", "bought", "nothing"),
    [
        ("去年买过家具 今年啥也没再买的客户有多少", "last", "this"),
        ("去年买过家具今年什么都没买的客户有几个", "last", "this"),
        ("去年 买过 家具 今年 一单 都 没 下 的 客户 有 多少", "last", "this"),
        ("今年买过家具 去年啥也没买的客户有多少", "this", "last"),
    ],
)
def test_value_of_one_period_nothing_in_the_other(
    demo: Any, question: str, bought: str, nothing: str
) -> None:
    start, end = _year(demo)
    last = (start.replace(year=start.year - 1), start)
    span = {"this": (start, end), "last": last}
    (a, b), (c, d) = span[bought], span[nothing]
    d = start.replace(year=start.year + 1) if nothing == "this" else d  # a whole year never bought
    ((want,),) = sql(
        demo,
        "SELECT count(*) FROM (SELECT DISTINCT o.one_id FROM order_items i JOIN orders o ON "
        "o.order_id = i.order_id LEFT JOIN products p ON p.product_id = i.product_id WHERE "
        "o.one_id IS NOT NULL AND coalesce(i.category, p.category) = '家具' AND o.paid_at >= "
        f"DATE '{a}' AND o.paid_at < DATE '{b}' EXCEPT SELECT one_id FROM orders WHERE paid_at >= "
        f"DATE '{c}' AND paid_at < DATE '{d}')",
    )
    assert want > 0
    assert rows(demo, question) == [(want,)], question


@pytest.mark.parametrize(
    "question",
    ["去年买过家具 今年没再买的客户有多少", "去年买过家具 今年没买过家具的客户有多少"],
)
def test_value_with_two_periods_unsaid_stays_refused(demo: Any, question: str) -> None:
    # 没再买 alone: nothing at all, or no furniture again? not guessed
    refused(demo, question)
