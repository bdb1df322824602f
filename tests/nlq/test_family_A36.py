"""The days between one person's purchases as a family (issue 11, session 36, helper A): a gap
asked for a period is a gap between two purchases BOTH in it (catalog/joins.bounded_sql bounds the
order_gaps and buyer_spans models by the question's period: this year's first order has none
before it), and the spoken forms of the first-to-last span, the first-to-n-th days and the gap
between neighbouring purchases (nlq/gaps.py). Values against hand-written SQL; each reading has a
look-alike that keeps its own answer or stays refused."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql, sql_number

# each purchase to the next, both in 2011 (to 2011-12-01), the later one's figure
_GAPS = (
    "SELECT {agg}(gap) FROM (SELECT epoch(o.paid_at - lag(o.paid_at) OVER (PARTITION BY o.one_id"
    " ORDER BY o.paid_at, o.order_id)) / 86400.0 AS gap FROM orders o WHERE o.one_id IS NOT NULL"
    " AND o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01' {where}) WHERE gap IS NOT NULL"
)


@pytest.mark.parametrize(
    ("question", "agg", "where"),
    [
        ("德国客户今年两次下单之间平均几天", "avg", "AND o.country = 'Germany'"),
        ("今年 回头客 相邻 两 次 下单 之间 最 长 隔 了 多少 天", "max", ""),
        ("今年两次开票之间平均隔了几天", "avg", ""),
    ],
)
def test_gaps_of_a_period_are_between_its_own_purchases(
    retail: Workspace, question: str, agg: str, where: str
) -> None:
    want = sql_number(retail, _GAPS.format(agg=agg, where=where))
    assert number(retail, question) == pytest.approx(want, abs=0.006), question


def test_a_gap_with_no_period_is_over_all_time(retail: Workspace) -> None:
    """Look-alike: no period, every gap of every person (the bounds stay open)."""
    want = sql_number(
        retail,
        "SELECT avg(gap) FROM (SELECT epoch(paid_at - lag(paid_at) OVER (PARTITION BY one_id"
        " ORDER BY paid_at, order_id)) / 86400.0 AS gap FROM orders WHERE one_id IS NOT NULL"
        " AND paid_at IS NOT NULL) WHERE gap IS NOT NULL",
    )
    got = number(retail, "客户两次购买之间平均隔几天")
    assert got == pytest.approx(want, abs=0.006)
    assert got != pytest.approx(number(retail, "今年两次开票之间平均隔了几天"), abs=0.01)


# the first to the last purchase of the people with two or more in the period
_SPAN = (
    "SELECT avg(epoch(mx - mn) / 86400.0) FROM (SELECT o.one_id, min(o.paid_at) AS mn,"
    " max(o.paid_at) AS mx FROM orders o WHERE o.one_id IS NOT NULL AND o.paid_at >= '2011-01-01'"
    " AND o.paid_at < '2011-12-01' {where} GROUP BY 1 HAVING count(*) >= 2)"
)


@pytest.mark.parametrize(
    ("question", "where"),
    [
        ("今年 回头客 头一单 和 最后 一单 平均 相隔 几天", ""),
        ("荷兰客户今年从第一张到最后一张发票 平均跨了多少天", "AND o.country = 'Netherlands'"),
    ],
)
def test_first_to_last_purchase_in_the_period(retail: Workspace, question: str, where: str) -> None:
    want = sql_number(retail, _SPAN.format(where=where))
    assert number(retail, question) == pytest.approx(want, abs=0.006), question


def test_one_customers_first_to_last_purchase(retail: Workspace) -> None:
    want = sql_number(
        retail,
        "SELECT epoch(max(o.paid_at) - min(o.paid_at)) / 86400.0 FROM orders o JOIN customers c"
        " ON c.customer_id = o.customer_id WHERE c.buyer_key = '12433' AND o.paid_at IS NOT NULL",
    )
    assert number(retail, "客户12433从第一次到最后一次买东西 隔了多少天") == pytest.approx(
        want, abs=0.006
    )


# the first purchase to the n-th, both in the period, of the people with n or more in it
_NTH = (
    "WITH p AS (SELECT o.one_id, o.paid_at, row_number() OVER (PARTITION BY o.one_id ORDER BY"
    " o.paid_at, o.order_id) AS rn FROM orders o WHERE o.one_id IS NOT NULL AND o.paid_at >= '{a}'"
    " AND o.paid_at < '{b}') SELECT avg(epoch(t.paid_at - f.paid_at) / 86400.0) FROM p f JOIN p t"
    " ON t.one_id = f.one_id AND f.rn = {m} AND t.rn = {n}"
)


def test_first_to_third_of_people_counted_in_the_period(olist: Workspace) -> None:
    """The people counted by their orders of the period, the gap between two of those orders:
    nothing left unsaid (was refused: whether both purchases fall in the period)."""
    want = sql_number(olist, _NTH.format(a="2018-01-01", b="2018-09-01", m=1, n=3))
    got = number(olist, "今年买了3次以上的人 从第一次到第三次平均隔了多少天")
    assert got == pytest.approx(want, abs=0.006)


def test_first_to_fifth(retail: Workspace) -> None:
    want = sql_number(retail, _NTH.format(a="2011-01-01", b="2011-12-01", m=1, n=5))
    got = number(retail, "今年至少下过5张发票的人 从头一张到第五张 平均花了多少天")
    assert got == pytest.approx(want, abs=0.006)


def test_second_to_third_in_the_period(demo: Workspace) -> None:
    today = demo.today.isoformat()  # the demo's data end
    want = sql_number(demo, _NTH.format(a=f"{today[:4]}-01-01", b=today, m=2, n=3))
    assert number(demo, "今年买过3单以上的客户 第二单到第三单平均隔几天") == pytest.approx(
        want, abs=0.006
    )


@pytest.mark.parametrize(
    "question",
    [
        # who, not one figure (was wrong: the longest gap alone, the customer dropped)
        "今年 两次 开票 之间 隔得 最久 的 客户 是 谁 隔了 多少天",
        # new customers' first invoice to their fifth: a cohort (the first in the period, the
        # fifth at any time) — not said which, refused
        "今年新来的客户 从第一张发票到第五张 平均隔了多少天",
    ],
)
def test_gap_look_alikes_refused(retail: Workspace, question: str) -> None:
    refused(retail, question)


def test_one_orders_own_duration_is_no_gap(olist: Workspace) -> None:
    """Look-alike: 下单到发货 隔了几天 is a duration between two times of ONE order."""
    want = sql_number(
        olist,
        "SELECT avg(epoch(shipped_at - created_at) / 86400.0) FROM orders WHERE created_at"
        " >= '2018-01-01' AND created_at < '2018-09-01' AND shipped_at IS NOT NULL",
    )
    assert number(olist, "今年下单到发货平均隔了几天") == pytest.approx(want, abs=0.006)


# -- the order (invoice) as a unit ------------------------------------------------------------------

_LINES = (
    "SELECT count(*) FROM (SELECT o.order_id FROM order_items i JOIN orders o ON o.order_id ="
    " i.order_id WHERE o.paid_at >= '2011-11-01' AND o.paid_at < '2011-12-01' GROUP BY 1"
    " HAVING count(*) >= 50)"
)


@pytest.mark.parametrize(
    "question", ["11月一张发票里不少于50行的有几张", "11月有50行以上的发票有几张"]
)
def test_invoices_of_at_least_n_lines(retail: Workspace, question: str) -> None:
    assert number(retail, question) == sql_number(retail, _LINES), question


def test_lines_of_one_invoice_on_average_stays_the_ratio(retail: Workspace) -> None:
    """Look-alike: 一张发票平均几行 is the lines per invoice, no threshold."""
    want = sql_number(
        retail,
        "SELECT count(*) * 1.0 / count(DISTINCT o.order_id) FROM order_items i JOIN orders o"
        " ON o.order_id = i.order_id WHERE o.paid_at >= '2011-11-01' AND o.paid_at < '2011-12-01'",
    )
    assert number(retail, "11月一张发票平均几行") == pytest.approx(want, abs=0.006)


def test_largest_single_invoice_by_country(retail: Workspace) -> None:
    want = dict(
        sql(
            retail,
            "SELECT country, max(paid_amount) FROM orders WHERE country IS NOT NULL AND paid_at"
            " >= '2011-01-01' AND paid_at < '2011-12-01' GROUP BY 1",
        )
    )
    got = dict((r[0], r[-1]) for r in rows(retail, "今年各国单张发票的最高金额"))
    for country in ("United Kingdom", "Germany", "France"):
        assert float(got[country]) == pytest.approx(float(want[country]), abs=0.006), country


def test_largest_order_by_state(olist: Workspace) -> None:
    want = dict(
        sql(
            olist,
            "SELECT c.province, max(o.paid_amount) FROM orders o JOIN customers c ON c.customer_id"
            " = o.customer_id WHERE o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'"
            " GROUP BY 1",
        )
    )
    got = dict((r[0], r[-1]) for r in rows(olist, "今年每个州最大的一单是多少钱"))
    for state in ("SP", "RJ", "MG"):
        assert float(got[state]) == pytest.approx(float(want[state]), abs=0.006), state


def test_average_single_order_is_no_maximum(retail: Workspace) -> None:
    """Look-alike: 平均一张发票多少钱 is the average order value (one figure), not the largest."""
    want = sql_number(
        retail,
        "SELECT avg(paid_amount) FROM orders WHERE paid_at >= '2011-01-01' AND paid_at < '2011-12-01'",
    )
    assert number(retail, "今年平均一张发票多少钱") == pytest.approx(want, abs=0.006)


# -- a person's threshold beyond a count ------------------------------------------------------------

_SPENT = (
    "SELECT count(*) FROM (SELECT o.one_id FROM orders o WHERE o.one_id IS NOT NULL AND o.paid_at"
    " >= '2011-01-01' AND o.paid_at < '2011-12-01' GROUP BY 1 HAVING sum(o.paid_amount) {op} 5000)"
)


def test_spending_topped_a_sum(retail: Workspace) -> None:
    q = "How many customers have we had this year whose spending topped £5,000?"
    assert number(retail, q) == sql_number(retail, _SPENT.format(op=">"))
    # look-alike: at least is >=, its own count (the same here only if no one spent exactly 5000)
    q = "How many customers this year spent at least £5,000?"
    assert number(retail, q) == sql_number(retail, _SPENT.format(op=">="))
