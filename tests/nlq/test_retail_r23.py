"""Online Retail questions answered, never another question (issue 11, session 23, helper r).

A period said as a share's part (2011年 英国的订单中 12月 占多少: December's share of the UK's
2011 orders, was the UK's share of December; 11月的销售额占全年的比例); things bought said after
the new customers' 里/中 (11月的新客中买过茶杯的比例: of November's new customers, was of every
November buyer); a minimum count of invoices beside an average over invoices (at least 50
invoices: the paid invoices the average is over); 后来 又 回来 买 said with spaces beside a first
order (two paid orders or more, as unspaced). Values against hand-written SQL on the Retail test
workspace (today 2011-12-01); paraphrases in both languages, with and without spaces."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, rows, sql, sql_number


def _close(a: object, b: object, places: float = 0.0001) -> bool:
    return abs(float(a) - float(b)) < places  # type: ignore[arg-type]


# -- a period as the part of a share -----------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "2011年 英国的订单中 12月 占多少",  # was the UK's share of December's orders (0.908)
        "2011年英国的订单中12月占多少",
        "英国 2011年 的 订单 里 12月 占 多少",
    ],
)
def test_a_month_of_the_year_as_the_part(retail: Workspace, question: str) -> None:
    part, whole = sql(
        retail,
        "SELECT count(*) FILTER (WHERE created_at >= '2011-12-01'), count(*) FROM orders WHERE "
        "country = 'United Kingdom' AND created_at >= '2011-01-01' AND created_at < '2012-01-01'",
    )[0]
    got = rows(retail, question)[0]
    assert got[:2] == (part, whole), question
    assert _close(got[-1], part / whole), question


@pytest.mark.parametrize(
    ("question", "end"),
    [
        ("2011年的销售额中第三季度占多少", "2012-01-01"),  # was refused
        ("2011年 11月 的 销售额 占 全年 多少", "2012-01-01"),  # the year said: the calendar year
        ("11月的销售额占全年的比例", "2011-12-01"),  # not said: the year up to today
    ],
)
def test_a_period_share_of_its_year(retail: Workspace, question: str, end: str) -> None:
    q3 = "第三季度" in question
    start, stop = ("2011-07-01", "2011-10-01") if q3 else ("2011-11-01", "2011-12-01")
    want = sql_number(
        retail,
        f"SELECT sum(paid_amount) FILTER (WHERE paid_at >= '{start}' AND paid_at < '{stop}') "
        f"* 1.0 / sum(paid_amount) FROM orders WHERE paid_at >= '2011-01-01' AND paid_at < '{end}'",
    )
    assert _close(number(retail, question, -1), want), question


def test_a_value_as_the_part_is_unchanged(retail: Workspace) -> None:
    """A value said between 中 and 占 stays the part (Germany's share of the return invoices)."""
    want = sql_number(
        retail,
        "SELECT sum(refund_amount) FILTER (WHERE country = 'Germany') * 1.0 / sum(refund_amount)"
        " FROM orders WHERE raw_status = 'cancellation invoice' AND created_at >= '2011-01-01' "
        "AND created_at < '2011-12-01'",
    )
    assert _close(number(retail, "今年退货单金额中德国占多少", -1), want)


# -- things bought among the new customers ----------------------------------------------------

_NEW_NOV = (
    "WITH f AS (SELECT one_id, min(paid_at) AS f FROM orders WHERE paid_at IS NOT NULL AND one_id "
    "IS NOT NULL GROUP BY 1), n AS (SELECT one_id FROM f WHERE f >= '2011-11-01' AND f < "
    "'2011-12-01'), t AS (SELECT DISTINCT o.one_id FROM order_items i JOIN orders o USING "
    "(order_id) WHERE i.clean_title LIKE '%TEACUP%' AND o.paid_at >= '2011-11-01' AND o.paid_at "
    "< '2011-12-01') SELECT count(*) FILTER (WHERE one_id IN (SELECT one_id FROM t)), count(*) "
    "FROM n"
)


@pytest.mark.parametrize(
    "question",
    [
        "11月的新客中买过茶杯的比例",  # was 11 / 1665: every November buyer the whole
        "11月 的 新客 里 买过 茶杯 的 占 多少",
        "11月新客户当中买了茶杯的占几成",
        "what % of new customers in november bought teacups",  # was 11 / 1665 too
        "of the new customers in november, what share bought a teacup",
    ],
)
def test_things_bought_among_new_customers(retail: Workspace, question: str) -> None:
    part, whole = sql(retail, _NEW_NOV)[0]
    got = rows(retail, question)[0]
    assert got[:2] == (part, whole), question
    assert _close(got[-1], part / whole), question


def test_a_value_of_the_person_among_new_customers_is_unchanged(retail: Workspace) -> None:
    """11月的新客户中 德国 的 占多少: the new customers from Germany over all new ones."""
    got = rows(retail, "11月的新客户中 德国 的 占多少")[0]
    want = sql(
        retail,
        "WITH f AS (SELECT one_id, arg_min(country, (paid_at, order_id)) AS c, min(paid_at) AS f "
        "FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL GROUP BY 1) SELECT count(*) "
        "FILTER (WHERE c = 'Germany'), count(*) FROM f WHERE f >= '2011-11-01' AND f < "
        "'2011-12-01'",
    )[0]
    assert got[:2] == want


# -- a minimum count of invoices beside an average over invoices --------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "rank countries by items per invoice this year (at least 50 invoices)",  # was 11 rows
        "今年 各国家 每张发票件数 排名 (至少 50张 发票)",
        "今年各国家每张发票件数排名(至少50张发票)",
    ],
)
def test_at_least_n_invoices_beside_items_per_invoice(retail: Workspace, question: str) -> None:
    want = sql(
        retail,
        "SELECT o.country, sum(i.quantity) * 1.0 / count(DISTINCT i.order_id) FROM order_items i "
        "JOIN orders o ON o.order_id = i.order_id WHERE o.paid_at >= '2011-01-01' AND o.paid_at < "
        "'2011-12-01' AND o.country IS NOT NULL GROUP BY 1 HAVING count(DISTINCT i.order_id) >= "
        "50 ORDER BY 2 DESC",
    )
    got = rows(retail, question)
    assert [r[0] for r in got] == [r[0] for r in want], question
    assert all(_close(g[1], w[1]) for g, w in zip(got, want, strict=True)), question


# -- 后来 又 回来 买 with spaces, beside a first order -----------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "一季度 第一次下单的客户 后来 又回来买过的 有多少",  # was 910: bought after 一季度
        "一季度第一次下单的客户后来又回来买过的有多少",
        "一季度 新客 之后 又 回来 买 的 有多少",
    ],
)
def test_came_back_after_a_first_order_with_spaces(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM (SELECT one_id, min(paid_at) AS f, count(*) AS n FROM orders WHERE "
        "paid_at IS NOT NULL AND one_id IS NOT NULL GROUP BY 1) WHERE f >= '2011-01-01' AND f < "
        "'2011-04-01' AND n >= 2",
    )
    assert number(retail, question) == want, question


def test_came_back_after_a_day_stays_the_period_reading(retail: Workspace) -> None:
    """No first order said: 之后 又 回来 买 is after the day (bought on it, and after it)."""
    want = sql_number(
        retail,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at IS NOT NULL AND one_id IS "
        "NOT NULL GROUP BY 1 HAVING count(*) FILTER (WHERE paid_at >= '2011-11-11' AND paid_at < "
        "'2011-11-12') > 0 AND count(*) FILTER (WHERE paid_at >= '2011-11-12' AND paid_at < "
        "'2011-12-01') > 0)",
    )
    assert number(retail, "双十一 买过 之后 又 回来 买 的 客户 有多少") == want
