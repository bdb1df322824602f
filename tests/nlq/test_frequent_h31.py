"""Session 31, helper h: the shape refusals that block most often across every dev and retired
held-out set (counted by bench/hunts/refusal_classes.py, then _h.py), each read generally, each with a
look-alike that keeps its different answer or stays refused."""

from __future__ import annotations

from typing import Any

import pytest

from tests.nlq.helpers import number, refused, rows, sql, sql_number

_PLACED_MAY = "created_at >= '2025-05-01' AND created_at < '2025-06-01'"

# -- a rate named with its own formula in brackets (heldout11 h11_d27, h13_d07, h14_d24) ---------


@pytest.mark.parametrize(
    ("question", "where"),
    [
        ("上个月折扣率（优惠/商品金额）", _PLACED_MAY),
        ("上个月 抖音的优惠率 (优惠/商品金额)", f"{_PLACED_MAY} AND platform = 'douyin'"),
        (
            "discount rate this year (discount / goods amount)",
            "created_at >= '2025-01-01' AND created_at < '2025-06-01'",
        ),
    ],
)
def test_rate_with_its_own_formula(demo: Any, question: str, where: str) -> None:
    """The formula restates the catalog's discount_rate (sum_discount / goods_amount): the rate
    is answered — was refused as 'one metric over another' (three metrics read)."""
    want = sql_number(
        demo, f"SELECT sum(discount_amount) / sum(goods_amount) FROM orders WHERE {where}"
    )
    assert number(demo, question) == pytest.approx(want, abs=1e-4)


def test_rate_with_its_formula_by_platform(demo: Any) -> None:
    """By a breakdown the rate is the catalog's rate per platform."""
    want = sql(
        demo,
        "SELECT platform, coalesce(sum(discount_amount), 0) / sum(goods_amount) FROM orders "
        f"WHERE {_PLACED_MAY} GROUP BY 1 ORDER BY 1",
    )
    got = sorted(rows(demo, "上个月各平台折扣率（优惠/商品金额）"))
    assert [r[0] for r in got] == [r[0] for r in want]
    assert [float(r[1]) for r in got] == pytest.approx([float(r[1]) for r in want], abs=1e-4)


@pytest.mark.parametrize(
    "question",
    [
        "上个月折扣率（优惠/支付金额）",  # discounts over paid sales: not the rate's own formula
        "what's our avg discount rate (discount / goods amount)",  # heldout5 h5_d28: was answered
        # avg_discount / goods_amount (0.0 %), the average read into the formula's discount
    ],
)
def test_rate_with_another_formula_stays_refused(demo: Any, question: str) -> None:
    """Look-alikes: a formula that is not the rate's own — the rate or the formula? Refused,
    never the formula's figure under the rate's name."""
    refused(demo, question)


def test_formula_by_a_breakdown_without_a_rate_is_each_platforms_own(demo: Any) -> None:
    """Look-alike: one metric over another by platform, no rate named: each platform's discount
    over its own goods amount (refused before session 39), never the rate's figure."""
    discount = dict(rows(demo, "上个月各平台优惠金额合计"))
    goods = dict(rows(demo, "上个月各平台优惠前商品金额"))
    got = rows(demo, "上个月各平台 优惠/商品金额")
    assert {r[0] for r in got} == set(goods)
    for platform, d, g, share in got:
        assert (d, g) == (discount[platform] or 0, goods[platform])  # no discount: None alone
        assert float(share) == round(float(d) / float(g), 4)


# -- a value's share of a whole named by another value (heldout10 h10_r38, heldout4 h4_r37) -------

_NON_UK_2011 = (
    "SELECT sum(paid_amount) FILTER (WHERE country = 'Germany'), sum(paid_amount) FROM orders "
    "WHERE paid_at >= '2011-01-01' AND paid_at < '2012-01-01' AND country <> 'United Kingdom'"
)


@pytest.mark.parametrize(
    "question",
    [
        "germany share of non-UK revenue 2011",  # the part said first, then "share of" the whole
        "2011年德国在海外销售额里占多少",  # A 在 B 里 占
        "2011年 非英国的销售额里 德国占多少",  # a negated value narrows the whole: was the UK in it
    ],
)
def test_value_share_of_a_whole_named_by_another_value(retail: Any, question: str) -> None:
    part, whole = sql(retail, _NON_UK_2011)[0]
    got = rows(retail, question)
    assert got[0][:2] == (part, whole)
    assert float(got[0][2]) == pytest.approx(float(part) / float(whole), abs=1e-4)


def test_negated_value_alone_is_the_part(retail: Any) -> None:
    """Look-alike: "非英国客户的销售额占多少" — all but the UK is the part, of every country."""
    part, whole = sql(
        retail,
        "SELECT sum(paid_amount) FILTER (WHERE country <> 'United Kingdom'), sum(paid_amount) "
        "FROM orders WHERE paid_at >= '2011-01-01' AND paid_at < '2012-01-01'",
    )[0]
    assert rows(retail, "2011年 非英国客户的销售额占多少")[0][:2] == (part, whole)


def test_two_values_without_a_whole_said_stay_refused(retail: Any) -> None:
    """Look-alike: Germany and the rest of the world said side by side, no 在 … 里 / share of:
    which is the whole is not said — refused as before."""
    refused(retail, "2011年 德国 海外 销售额占比")


# -- an exclusion said in brackets (heldout11 h11_r29, heldout8 h8_d10) ---------------------------

_C_BY_COUNTRY = (
    "SELECT country, count(*) FROM orders WHERE raw_status = 'cancellation invoice' {extra} "
    "AND created_at >= '2011-01-01' AND created_at < '2011-12-01' GROUP BY 1 ORDER BY 2 DESC, 1 "
    "LIMIT 5"
)


@pytest.mark.parametrize(
    "question", ["今年C单最多的5个国家（英国除外）", "今年C单最多的5个国家(英国以外)"]
)
def test_exclusion_closed_by_a_bracket(retail: Any, question: str) -> None:
    """以外 / 除外 closed by a bracket leaves the value out as before a space or 的 — was refused
    ('questions with an exclusion need the LLM engine')."""
    want = sql(retail, _C_BY_COUNTRY.format(extra="AND country <> 'United Kingdom'"))
    got = rows(retail, question)
    assert sorted(got) == sorted(want) and got[0][0] == "Germany"


def test_no_exclusion_keeps_the_value(retail: Any) -> None:
    """Look-alike: without 除外 the UK is ranked (first)."""
    want = sql(retail, _C_BY_COUNTRY.format(extra=""))
    assert rows(retail, "今年C单最多的5个国家")[0] == want[0] == ("United Kingdom", want[0][1])


# -- came back within N days of the first order (heldout3 h3_r28, h4_r26, h5_r33, h7_r33) ---------

_SECOND_WITHIN = """
    WITH r AS (SELECT one_id, paid_at, row_number() OVER (PARTITION BY one_id ORDER BY paid_at,
    order_id) AS n FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL)
    SELECT count(*) FROM r a JOIN r b ON a.one_id = b.one_id AND a.n = 1 AND b.n = 2
    WHERE date_diff('second', a.paid_at, b.paid_at) / 86400.0 <= {days}"""


@pytest.mark.parametrize(
    ("question", "days"),
    [
        ("首单后30天内就回购的客户有多少", 30),
        ("首单后60天以内复购的人有多少", 60),
        ("how many customers came back within 30 days of their 1st order", 30),
        ("首单后一周内就回购的客户有多少", 7),
        ("第二单在首单后7天内的客户有多少", 7),  # the wording read before
    ],
)
def test_came_back_within_days_of_the_first_order(retail: Any, question: str, days: int) -> None:
    """The first order said first, then the coming back: the second paid order at most N days
    after the first (the people set's repeat_within) — was refused ('new customers: say in
    which period')."""
    assert number(retail, question) == sql_number(retail, _SECOND_WITHIN.format(days=days))


def test_share_came_back_within_a_month(retail: Any) -> None:
    """一个月内 is 30 days; the share is of every buyer."""
    got = rows(retail, "有多大比例的客户在首单后一个月内就回购了")[0]
    buyers = sql_number(
        retail,
        "SELECT count(DISTINCT one_id) FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL",
    )
    assert got[:2] == (sql_number(retail, _SECOND_WITHIN.format(days=30)), buyers)


@pytest.mark.parametrize(
    "question", ["首单后30天内就退款的客户有多少", "how many customers came back within 30 days"]
)
def test_other_events_after_the_first_order_stay_refused(retail: Any, question: str) -> None:
    """Look-alikes: a refund after the first order, or a coming back with no first order named,
    is no second order within N days: refused."""
    refused(retail, question)


# -- a filtered count's share of every row it is taken from (heldout14 h14_o45, heldout4 h4_o46) --

_AUG = "WHERE created_at >= '2018-08-01' AND created_at < '2018-09-01'"


@pytest.mark.parametrize(
    ("question", "where"),
    [
        ("8月的评价里 差评(1-2星) 占比", _AUG),  # the stars restate 差评: dropped
        ("1到2星的差评占所有评价多少", ""),
        ("差评占所有评价多少", ""),  # the whole from the catalog's rate (negative_review_rate)
    ],
)
def test_negative_reviews_share_of_all_reviews(olist: Any, question: str, where: str) -> None:
    part, whole = sql(
        olist, f"SELECT count(*) FILTER (WHERE score <= 2), count(*) FROM reviews {where}"
    )[0]
    got = rows(olist, question)[0]
    assert got[:2] == (part, whole)
    assert float(got[2]) == pytest.approx(part / whole, abs=1e-4)


@pytest.mark.parametrize(
    "question",
    ["8月的评价里 差评(1星) 占比", "7月的评价里 5星好评占几成", "2017年五星好评占多少比例"],
)
def test_narrower_stars_than_the_count_stay_refused(olist: Any, question: str) -> None:
    """Look-alikes: 1 star of the 1-2 star reviews, 5 stars of the 4-5 star ones — of which
    whole (the negative reviews, or all)? Still refused."""
    assert "a share of which whole" in str(refused(olist, question))


# -- a top N of the pieces sold, nothing named to rank: products (heldout2 h2_d85, heldout4 h4_d31)

_UNITS_MAY = """
    SELECT coalesce(i.spu_id, i.product_id) AS product, sum(i.quantity) AS units
    FROM order_items i JOIN orders o USING (order_id) LEFT JOIN products p USING (product_id)
    WHERE o.paid_at >= '2025-05-01' AND o.paid_at < '2025-06-01' {extra}
    GROUP BY 1 ORDER BY 2 {way}, 1 LIMIT {n}"""


def test_top_sales_money_names_nothing_to_rank(demo: Any) -> None:
    """Look-alike: a top 3 of sales money with nothing named (products? platforms? provinces?)
    stays refused."""
    assert "names nothing to rank" in str(refused(demo, "上个月销售额top3"))
