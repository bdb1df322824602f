"""Comparisons (issue 11, session 15, helper d): a growth ranking among the groups with at least N
in the period compared with, the bound said with its unit and period in either language
("（去年至少1000人）", "(Q2至少20个)", "(min 1000 buyers last year)"); a bound whose unit does not
fit the ranked metric is refused, never read as another condition. Values against hand-written
SQL on the real workspaces; paraphrases written here, not taken from the dev sets."""

from __future__ import annotations

import datetime as dt

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql

STATE_BUYERS = (
    "WITH s AS (SELECT c.province, count(DISTINCT o.one_id) FILTER (WHERE o.paid_at >= '2018-01-01'"
    " AND o.paid_at < '2018-07-01') AS cur, count(DISTINCT o.one_id) FILTER (WHERE o.paid_at >="
    " '2017-01-01' AND o.paid_at < '2017-07-01') AS prev FROM orders o JOIN customers c"
    " ON c.customer_id = o.customer_id WHERE o.one_id IS NOT NULL GROUP BY 1)"
    " SELECT province, cur, prev FROM s WHERE prev >= {n} ORDER BY (cur - prev) / prev DESC"
)


@pytest.mark.parametrize(
    "question",
    [
        "哪个州买家数今年上半年比去年上半年涨得最快（去年至少1000人）",
        "哪个州 买家 今年上半年比去年上半年 增长最快，去年至少有1000个买家",
        "fastest growing state by buyers H1 2018 vs H1 2017 (min 1000 buyers last year)",
        "fastest growing state by buyers H1 2018 vs H1 2017 (at least 1000 buyers in H1 2017)",
    ],
)
def test_growth_ranked_among_groups_with_a_base(olist: Workspace, question: str) -> None:
    expected = sql(olist, STATE_BUYERS.format(n=1000))
    assert len(expected) == 3  # SP, MG, RJ: the other states had fewer than 1000 buyers
    got = rows(olist, question)
    assert [(r[0], r[1], r[2]) for r in got] == [expected[0]]


def test_a_base_in_money_beside_people_is_refused(olist: Workspace) -> None:
    e = refused(olist, "哪个州买家数今年上半年比去年上半年涨得最快（去年至少1000元）")
    assert "1000" in str(e)


def test_people_bound_beside_sales_is_refused(olist: Workspace) -> None:
    e = refused(olist, "哪个州销售额今年上半年比去年上半年涨得最快（去年至少1000人）")
    assert "1000" in str(e)


def test_quarter_base_in_retail(retail: Workspace) -> None:
    expected = sql(
        retail,
        "WITH s AS (SELECT country, count(DISTINCT one_id) FILTER (WHERE paid_at >= '2011-07-01'"
        " AND paid_at < '2011-10-01') AS cur, count(DISTINCT one_id) FILTER (WHERE paid_at >="
        " '2011-04-01' AND paid_at < '2011-07-01') AS prev FROM orders WHERE one_id IS NOT NULL"
        " GROUP BY 1) SELECT country, cur, prev FROM s WHERE prev >= 40"
        " ORDER BY (cur - prev) / prev DESC",
    )
    got = rows(retail, "Q3比Q2 哪个国家的客户涨得最快（Q2至少40个）")
    assert [(r[0], r[1], r[2]) for r in got] == [expected[0]]
    assert all(prev >= 40 for _, _, prev in expected)


CITY_ORDERS = (
    "SELECT c.city, count(*) FROM orders o JOIN customers c ON c.customer_id = o.customer_id"
    " WHERE c.city IN ('sao paulo', 'campinas') AND o.created_at >= '2018-01-01'"
    " AND o.created_at < '2019-01-01' GROUP BY 1 ORDER BY 2 DESC"
)


@pytest.mark.parametrize(
    "question", ["campinas vs sao paulo orders 2018", "sao paulo x campinas: pedidos em 2018"]
)
def test_a_name_compared_with_a_city_is_the_city(olist: Workspace, question: str) -> None:
    """sao paulo is a state (SP) and a city: beside the city campinas it is the city."""
    expected = sql(olist, CITY_ORDERS)
    got = rows(olist, question)
    assert sorted(got) == sorted(expected)
    assert dict(got)["sao paulo"] < 10_000  # the city's orders, not the state's (about 24k)


def test_two_states_stay_states(olist: Workspace) -> None:
    got = dict(rows(olist, "sao paulo vs rio de janeiro orders 2018"))
    assert set(got) == {"SP", "RJ"}


# -- a year said alone beside a part of another year: that part of the year said ----------------

DAY_ORDERS = (
    "SELECT count(*) FROM orders WHERE created_at >= DATE '{d}' AND created_at < DATE '{d}' + 1"
)


@pytest.mark.parametrize(
    "question",
    ["情人节单量 今年比去年 增长率", "今年情人节订单比去年涨了多少", "情人节订单 今年对比去年"],
)
def test_festival_this_year_vs_a_bare_last_year(demo: Workspace, question: str) -> None:
    assert demo.today == dt.date(2025, 6, 1)
    (cur,) = sql(demo, DAY_ORDERS.format(d="2025-02-14"))[0]
    (prev,) = sql(demo, DAY_ORDERS.format(d="2024-02-14"))[0]
    got = answer(demo, question, "offline").main
    values = [v for row in got.rows for v in row]
    assert cur in values and prev in values, (got.columns, got.rows)
    assert cur != prev


def test_a_moving_festival_in_the_bare_year(demo: Workspace) -> None:
    """年货节 runs from 28 to 7 days before 春节: 2025-01-01 → 01-22, 2024-01-13 → 02-03."""
    got = answer(demo, "年货节销售额 今年和去年比", "offline")
    said = " ".join(got.understood)
    assert "2024-01-13" in said and "2025-01-01" in said, said


def test_a_moving_festival_is_found_again_in_the_bare_year(olist: Workspace) -> None:
    """黑五 2017 is 24 November, 2016's is 25 November: not the same date a year before."""
    got = answer(olist, "2017年黑五订单数 比2016", "offline")
    said = " ".join(got.understood)
    assert "2016-11-25" in said, said
