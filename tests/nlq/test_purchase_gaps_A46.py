"""The time along one person's purchases in more wordings (session 46, helper A): first to
second said with 次 / 回 (第一次到第二次, 头一回跟第二回 — before only 张 / 头 / 笔 were read), each
purchase to the next said with 回 (两回之间), the first-to-last span with 最近 as the last
(从第一次买到最近一次买, 头一张到最近一张), people counted in 回 (买过两回以上), a gap of people with
no period said at all (来过至少5次的客户: all of time, nothing unsaid), and the days from the last
invoice to now (最后一张发票到现在: each person's recency, before read as the first-to-last span).
Values against hand-written SQL on Online Retail (today 2011-12-01); look-alikes keep their
reading or stay refused."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, sql_number

_YEAR = "'2011-01-01'", "'2011-12-01'"


def _first_to_nth(n: int, where: str) -> str:
    """Each person's first paid order to their n-th (by OneID), averaged over `where` (a: first,
    b: the n-th)."""
    return (
        "WITH r AS (SELECT one_id, paid_at, row_number() OVER (PARTITION BY one_id ORDER BY"
        " paid_at, order_id) AS rn FROM orders WHERE one_id IS NOT NULL AND paid_at IS NOT NULL)"
        " SELECT avg(date_diff('second', a.paid_at, b.paid_at)) / 86400.0 FROM r a JOIN r b"
        f" ON b.one_id = a.one_id AND a.rn = 1 AND b.rn = {n} WHERE {where}"
    )


def _people_of_year(at_least: int) -> str:
    """The people with at least `at_least` paid orders in 2011 (to today)."""
    lo, hi = _YEAR
    return (
        f"SELECT one_id FROM orders WHERE one_id IS NOT NULL AND paid_at >= {lo} AND paid_at < {hi}"
        f" GROUP BY 1 HAVING count(*) >= {at_least}"
    )


# --- first → second, said with 次 / 回 ---


@pytest.mark.parametrize(
    "question",
    [
        "今年的客户第一次到第二次平均隔几天",
        "今年的客户 第一次 到 第二次 平均 隔 几天",
        "今年的客户 头一回跟第二回 平均隔了多少天",
        "今年的客户第一回和第二回之间平均隔几天",
    ],
)
def test_first_to_second_said_with_times(retail: Workspace, question: str) -> None:
    lo, hi = _YEAR
    want = sql_number(retail, _first_to_nth(2, f"b.paid_at >= {lo} AND b.paid_at < {hi}"))
    assert number(retail, question) == pytest.approx(want, abs=0.01)


@pytest.mark.parametrize(
    "question", ["今年的新客户 头一回跟第二回 平均隔几天", "今年的新客户第一次到第二次平均隔几天"]
)
def test_first_to_second_of_new_customers_is_their_cohort(retail: Workspace, question: str) -> None:
    lo, hi = _YEAR
    want = sql_number(retail, _first_to_nth(2, f"a.paid_at >= {lo} AND a.paid_at < {hi}"))
    assert number(retail, question) == pytest.approx(want, abs=0.01)


# --- each purchase to the next, 回 ---


@pytest.mark.parametrize(
    "question",
    ["今年来过3回及以上的客户 两回之间平均隔几天", "今年来过3次及以上的客户 两次之间平均隔几天"],
)
def test_each_gap_of_people_counted_in_times(retail: Workspace, question: str) -> None:
    lo, hi = _YEAR
    want = sql_number(
        retail,
        "WITH g AS (SELECT one_id, paid_at, lag(paid_at) OVER (PARTITION BY one_id ORDER BY paid_at,"
        f" order_id) AS prev FROM orders WHERE one_id IS NOT NULL AND paid_at >= {lo}"
        f" AND paid_at < {hi}) SELECT avg(date_diff('second', prev, paid_at)) / 86400.0 FROM g"
        f" WHERE prev IS NOT NULL AND one_id IN ({_people_of_year(3)})",
    )
    assert number(retail, question) == pytest.approx(want, abs=0.01)


# --- first → last, 最近 as the last ---


def _span(where: str, having: str) -> str:
    return (
        "SELECT avg(date_diff('second', f, l)) / 86400.0 FROM (SELECT one_id, min(paid_at) AS f,"
        " max(paid_at) AS l FROM orders WHERE one_id IS NOT NULL AND paid_at IS NOT NULL"
        f" {where} GROUP BY 1 HAVING {having})"
    )


@pytest.mark.parametrize(
    "question",
    [
        "今年买过两回以上的客户 头一张到最近一张平均跨多少天",
        "今年买过两次以上的客户 从第一次买到最近一次买 平均跨了多少天",
    ],
)
def test_first_to_latest_span_of_the_year(retail: Workspace, question: str) -> None:
    lo, hi = _YEAR
    want = sql_number(retail, _span(f"AND paid_at >= {lo} AND paid_at < {hi}", "count(*) >= 2"))
    assert number(retail, question) == pytest.approx(want, abs=0.01)


def test_span_of_people_with_no_period_is_all_of_time(retail: Workspace) -> None:
    want = sql_number(retail, _span("", "count(*) >= 5"))
    got = number(retail, "来过至少5次的客户 从第一次买到最近一次买 平均跨了多少天")
    assert got == pytest.approx(want, abs=0.01)


def test_a_countrys_own_span_stays_refused(retail: Workspace) -> None:
    # the country's first to last invoice, not its customers' average: never read as theirs
    refused(retail, "今年 每 个 国家 从 第一 张 发票 到 最近 一 张 跨了 多少 天")


def test_who_had_the_longest_gap_stays_refused(retail: Workspace) -> None:
    refused(retail, "今年 两回 开票 之间 隔得 最久 的 客户 是 谁")


def test_gap_of_people_of_a_period_said_elsewhere_stays_refused(retail: Workspace) -> None:
    # people of this year, the gap of no period: whether both purchases fall in it is not said
    refused(retail, "今年买过两回以上的客户 上个月 两回之间平均隔几天")


# --- the last invoice to now: each person's recency ---


@pytest.mark.parametrize(
    "question",
    [
        "客户 最后一张发票 到现在 平均多少天了",
        "客户最近一次买到今天平均多少天",
        "客户从最近一张发票到现在平均几天",
    ],
)
def test_last_invoice_to_now_is_recency(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT avg(date_diff('second', l, TIMESTAMP '2011-12-01')) / 86400.0 FROM (SELECT one_id,"
        " max(paid_at) AS l FROM orders WHERE one_id IS NOT NULL AND paid_at < '2011-12-01'"
        " GROUP BY 1)",
    )
    assert number(retail, question) == pytest.approx(want, abs=0.01)


def test_first_to_last_invoice_keeps_the_span(retail: Workspace) -> None:
    want = sql_number(retail, _span("", "count(*) >= 2"))
    got = number(retail, "客户从第一张发票到最后一张发票平均隔了多少天")
    assert got == pytest.approx(want, abs=0.01)


# --- the first invoice to now: each person's age as a customer, by their first purchase ---


def _since_first(where: str) -> str:
    return (
        "SELECT avg(date_diff('second', f, TIMESTAMP '2011-12-01')) / 86400.0 FROM (SELECT one_id,"
        " min(paid_at) AS f FROM orders WHERE one_id IS NOT NULL AND paid_at < '2011-12-01'"
        f" GROUP BY 1) WHERE {where}"
    )


@pytest.mark.parametrize(
    "question",
    [
        "今年的新客户从第一张发票到今天平均多少天",
        "今年的新客户 首单到现在 平均几天了",
        "今年的客户 平均距首单天数",
        "今年的新客户从第一次买到现在平均多少天了",
    ],
)
def test_first_invoice_to_now_of_the_years_new_customers(retail: Workspace, question: str) -> None:
    lo, hi = _YEAR
    want = sql_number(retail, _since_first(f"f >= {lo} AND f < {hi}"))
    assert number(retail, question) == pytest.approx(want, abs=0.01)


def test_first_invoice_to_the_last_keeps_the_span(retail: Workspace) -> None:
    # 第一张发票 … 最后一张: the span, never read as the days to today
    want = sql_number(retail, _span("", "count(*) >= 2"))
    assert number(retail, "客户 第一张发票到最后一张发票 平均多少天") == pytest.approx(
        want, abs=0.01
    )
