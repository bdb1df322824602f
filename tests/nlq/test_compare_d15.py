"""Comparisons (issue 11, session 15, helper d): a growth ranking among the groups with at least N
in the period compared with, the bound said with its unit and period in either language
("（去年至少1000人）", "(Q2至少20个)", "(min 1000 buyers last year)"); a bound whose unit does not
fit the ranked metric is refused, never read as another condition. Values against hand-written
SQL on the real workspaces; paraphrases written here, not taken from the dev sets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

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


# -- "vs the same days last year": the days named as a second period, one row each --------------


@pytest.fixture(scope="module")
def mid_may(nlq_demo_workspace: Path) -> Iterator[Workspace]:
    """The test demo on 20 May 2025: this month so far is 1-19 May."""
    from shopql.config import load_settings

    with Workspace(load_settings(nlq_demo_workspace), today=dt.date(2025, 5, 20)) as ws:
        yield ws


@pytest.mark.parametrize(
    "question",
    ["sales this month so far vs the same days last year", "本月至今销售额 对比 去年同样的日子"],
)
def test_the_same_days_last_year_are_a_row(mid_may: Workspace, question: str) -> None:
    demo = mid_may
    first = demo.today.replace(day=1)
    got = answer(demo, question, "offline").main
    (cur,) = sql(
        demo,
        f"SELECT sum(paid_amount) FROM orders WHERE paid_at >= '{first}' AND paid_at < '{demo.today}'",
    )[0]
    (prev,) = sql(
        demo,
        f"SELECT sum(paid_amount) FROM orders WHERE paid_at >= '{first.replace(year=first.year - 1)}'"
        f" AND paid_at < '{demo.today.replace(year=demo.today.year - 1)}'",
    )[0]
    assert len(got.rows) == 2
    values = {float(r[1]) for r in got.rows}
    assert values == {float(cur), float(prev)}


def test_the_same_period_last_year_stays_one_row(mid_may: Workspace) -> None:
    got = answer(mid_may, "sales this month so far vs the same period last year", "offline").main
    assert len(got.rows) == 1


def test_scorer_reads_same_days_last_year_as_the_earlier_period() -> None:
    from shopql.nlq.eval import same_result

    gold = (["period", "gmv"], [("this_month", 70), ("same_days_last_year", 96)])
    got = (["period", "gmv"], [("2025-12-01 → 2025-12-02", 96), ("2026-12-01 → 2026-12-02", 70)])
    assert same_result(gold, got) == ""
    wrong = (["period", "gmv"], [("2025-12-01 → 2025-12-02", 70), ("2026-12-01 → 2026-12-02", 96)])
    assert same_result(gold, wrong) != ""


# -- "states other than SP and RJ": the rest together, one figure ---------------------------------

REST_SALES = (
    "SELECT sum(o.paid_amount) FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id"
    " WHERE coalesce(o.province, c.province) NOT IN ('SP', 'RJ') AND o.paid_at >= '2018-01-01'"
    " AND o.paid_at < '2019-01-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "sales in states other than SP and RJ 2018",
        "2018 revenue from states other than SP and RJ",
        "除了SP和RJ 其他州 2018年销售额",
    ],
)
def test_states_other_than_two_are_one_total(olist: Workspace, question: str) -> None:
    (expected,) = sql(olist, REST_SALES)[0]
    got = rows(olist, question)
    assert len(got) == 1 and len(got[0]) == 1, got[:3]
    assert round(float(got[0][0]), 2) == round(float(expected), 2)


def test_other_than_with_a_ranking_keeps_the_states(olist: Workspace) -> None:
    got = rows(olist, "top 3 states other than SP by sales in 2018")
    assert len(got) == 3 and "SP" not in {r[0] for r in got}


# -- "SP 和 其他州", "tmall vs the rest": the value named, and every other value together ---------

SP_OR_REST_DAYS = (
    "SELECT CASE WHEN coalesce(o.province, c.province) = 'SP' THEN 'SP' ELSE 'other' END,"
    " round(avg(date_diff('second', o.created_at, o.finished_at) / 86400.0), 2) FROM orders o"
    " LEFT JOIN customers c ON c.customer_id = o.customer_id WHERE o.created_at >= '2018-01-01'"
    " AND o.created_at < '2018-09-01' AND o.finished_at IS NOT NULL GROUP BY 1"
)


@pytest.mark.parametrize(
    "question",
    ["SP 和 其他州 今年平均几天到货", "avg delivery days this year, SP vs the other states"],
)
def test_a_value_and_the_rest_of_its_kind(olist: Workspace, question: str) -> None:
    expected = dict(sql(olist, SP_OR_REST_DAYS))
    got = rows(olist, question)
    assert len(got) == 2
    labels = {"其他": "other", "other": "other", "SP": "SP"}
    assert {labels[r[0]]: round(float(r[1]), 2) for r in got} == {
        k: float(v) for k, v in expected.items()
    }


def test_a_value_and_the_rest_group_are_two_rows(retail: Workspace) -> None:
    """英国和其他国家: the UK and the catalog's 'Rest of the world' group side by side, never their
    sum (every sale)."""
    got = dict(rows(retail, "英国和其他国家 2011年销售额"))
    expected = dict(
        sql(
            retail,
            "SELECT CASE WHEN country = 'United Kingdom' THEN 'United Kingdom' ELSE"
            " 'Rest of the world' END, sum(paid_amount) FROM orders WHERE"
            " paid_at >= '2011-01-01' AND paid_at < '2012-01-01' GROUP BY 1",  # no country: the rest
        )
    )
    assert {k: round(float(v), 2) for k, v in got.items()} == {
        k: round(float(v), 2) for k, v in expected.items()
    }


def test_scorer_reads_other_said_in_chinese() -> None:
    from shopql.nlq.eval import same_result

    gold = (["state", "days"], [("SP", 8.1), ("other", 14.2)])
    assert same_result(gold, (["province", "days"], [("SP", 8.1), ("其他", 14.2)])) == ""
    assert same_result(gold, (["province", "days"], [("SP", 14.2), ("其他", 8.1)])) != ""


# -- "跌得最狠", "fell the hardest": the largest fall in amount, the rate's first said beside -------

STATE_FALL = (
    "WITH s AS (SELECT coalesce(o.province, c.province) AS state, coalesce(sum(o.paid_amount)"
    " FILTER (WHERE o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01'), 0) AS cur,"
    " coalesce(sum(o.paid_amount) FILTER (WHERE o.paid_at >= '2018-07-01'"
    " AND o.paid_at < '2018-08-01'), 0) AS prev FROM orders o LEFT JOIN customers c"
    " ON c.customer_id = o.customer_id GROUP BY 1)"
    " SELECT state, cur - prev, (cur - prev) / nullif(prev, 0) FROM s ORDER BY 2 LIMIT 1"
)


@pytest.mark.parametrize(
    "question",
    ["8月比7月 哪个州销售额跌得最狠", "which state fell the hardest in sales aug vs jul"],
)
def test_fell_the_hardest_is_the_largest_fall(olist: Workspace, question: str) -> None:
    state, fall, _ = sql(olist, STATE_FALL)[0]
    got = answer(olist, question, "offline")
    cols = got.main.columns
    top = dict(zip(cols, got.main.rows[0], strict=True))
    assert top["province"] == state
    assert round(float(top["paid_gmv__delta"]), 2) == round(float(fall), 2)
    (steepest,) = sql(
        olist,
        STATE_FALL.replace("ORDER BY 2 LIMIT 1", "WHERE prev > 0 ORDER BY 3, 1 LIMIT 1"),
    )
    assert any(str(steepest[0]) in n and "%" in n for n in got.notes), got.notes


def test_a_festival_in_two_years_side_by_side(demo: Workspace) -> None:
    """比一比 a year apart: one row each (labelled by its day), the earlier first."""
    got = answer(demo, "今年情人节和去年情人节的订单数比一比", "offline").main
    (cur,) = sql(demo, DAY_ORDERS.format(d="2025-02-14"))[0]
    (prev,) = sql(demo, DAY_ORDERS.format(d="2024-02-14"))[0]
    assert [(r[0], r[1]) for r in got.rows] == [("2024-02-14", prev), ("2025-02-14", cur)]


def test_scorer_reads_one_day_in_each_year_as_its_year() -> None:
    from shopql.nlq.eval import same_result

    gold = (["yr", "sales"], [(2025, 10), (2026, 20)])
    assert same_result(gold, (["period", "s"], [("2025-11-11", 10), ("2026-11-11", 20)])) == ""
    two_days = (["period", "s"], [("2026-11-11", 10), ("2026-11-12", 20)])
    assert same_result(gold, two_days) != ""
