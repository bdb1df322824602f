"""Olist questions of session 21 (helper o): the groups that had some of a metric, a measure's
lowest and highest together, each group's average score as a condition, and the later of two
periods said up to now against the whole earlier one. Values against hand-written SQL on the
Olist test workspace (today 2018-09-01) and Online Retail (today 2011-12-01); paraphrases in
both languages."""

from __future__ import annotations

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql, sql_number

CITIES_PAID_IN_MAY = (
    "SELECT count(DISTINCT c.city) FROM orders o JOIN customers c ON c.customer_id = o.customer_id"
    " WHERE o.paid_at >= '2018-05-01' AND o.paid_at < '2018-06-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "how many cities had buyers in may",
        "how many cities with buyers in may",
        "5月有买家的城市有几个",
        "5月有多少个城市有买家",
    ],
)
def test_cities_that_had_buyers(olist: Workspace, question: str) -> None:
    """The cities with a paid order in May (1232), was the cities of every order placed in May
    (1200) beside the buyers' total, or refused in Chinese."""
    assert number(olist, question) == sql_number(olist, CITIES_PAID_IN_MAY) == 1232


def test_categories_that_had_sales(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT count(DISTINCT p.category) FROM order_items i JOIN orders o ON o.order_id ="
        " i.order_id JOIN products p ON p.product_id = i.product_id WHERE o.paid_at >="
        " '2018-05-01' AND o.paid_at < '2018-06-01'",
    )
    assert number(olist, "how many categories had sales in may") == want


def test_a_count_beside_another_metric_stays_two_figures(olist: Workspace) -> None:
    """'cities and buyers': no 'had' between them, both figures as before."""
    a = answer(olist, "how many cities and buyers in may", "offline")
    assert a.main.columns == ["city_count", "buyers"]


def test_countries_that_had_customers_buying(retail: Workspace) -> None:
    """A country 'had buyers' when it had a paid invoice, anonymous ones too (on the whole data
    29 countries, not the 28 with a named buyer; the test workspace is a slice of it)."""
    want = sql_number(
        retail,
        "SELECT count(DISTINCT country) FROM orders WHERE paid_at >= '2011-07-01'"
        " AND paid_at < '2011-10-01'",
    )
    assert number(retail, "Q3 有几个国家有客户买东西") == want
    assert number(retail, "how many countries had buyers in q3") == want


@pytest.mark.parametrize(
    ("question", "order"),
    [
        ("上个月 订单金额 最小 和 最大 各是多少", ("min", "max")),
        ("上个月 订单金额 最大 和 最小", ("max", "min")),
        ("smallest and largest order value last month", ("min", "max")),
    ],
)
def test_lowest_and_highest_of_a_measure(
    olist: Workspace, question: str, order: tuple[str, str]
) -> None:
    lo, hi = sql(
        olist,
        "SELECT min(paid_amount), max(paid_amount) FROM orders WHERE paid_at >= '2018-08-01'"
        " AND paid_at < '2018-09-01'",
    )[0]
    got = rows(olist, question)[0]
    want = {"min": float(lo), "max": float(hi)}
    assert [float(x) for x in got] == [want[order[0]], want[order[1]]]


@pytest.mark.parametrize(
    "question",
    ["销售额最高和最低的州", "各州 订单金额 最小 和 最大", "best and worst category by sales"],
)
def test_highest_and_lowest_of_a_ranking_refused(olist: Workspace, question: str) -> None:
    """Both ends of a ranking asked together: was the lowest one alone (RR), the top dropped."""
    assert refused(olist, question)


def test_hour_that_gets_the_most_orders(olist: Workspace) -> None:
    want = sql(
        olist,
        "SELECT hour(created_at), count(*) FROM orders WHERE created_at >= '2018-01-01'"
        " AND created_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )[0]
    assert rows(olist, "which hour of the day gets the most orders this year")[0] == want


CATEGORY_SCORES = (
    "SELECT p.category, avg(r.score) FROM reviews r JOIN (SELECT DISTINCT i.order_id, p.category"
    " FROM order_items i JOIN products p ON p.product_id = i.product_id) p ON p.order_id ="
    " r.order_id WHERE p.category IS NOT NULL {where} GROUP BY 1 HAVING avg(r.score) < 3"
)


@pytest.mark.parametrize(
    ("question", "where"),
    [
        ("评分低于3的品类", ""),
        ("categories with an average review score below 3", ""),
        (
            "今年 平均评分低于3的品类有哪些",
            "AND r.created_at >= '2018-01-01' AND r.created_at < '2018-09-01'",
        ),
    ],
)
def test_categories_by_their_average_score(olist: Workspace, question: str, where: str) -> None:
    """Each category's average score under 3 (1 category all time, 2 this year), never the
    categories with one review under 3 (72)."""
    want = sorted(c for c, _ in sql(olist, CATEGORY_SCORES.format(where=where)))
    assert sorted(r[0] for r in rows(olist, question)) == want


def test_count_of_groups_by_their_average_score(olist: Workspace) -> None:
    sellers = sql_number(
        olist,
        "SELECT count(*) FROM (SELECT i.shop_id FROM reviews r JOIN (SELECT DISTINCT order_id,"
        " shop_id FROM order_items) i ON i.order_id = r.order_id GROUP BY 1"
        " HAVING avg(r.score) < 3)",
    )
    assert number(olist, "评分低于3的卖家有几个") == sellers == 304
    assert number(olist, "评分低于3的品类有几个") == 1


def test_score_of_reviews_stays_their_own(olist: Workspace) -> None:
    """Said of reviews or orders, the score is each row's own."""
    want = sql_number(olist, "SELECT count(*) FROM reviews WHERE score < 3")
    assert number(olist, "评分低于3的评价有几条") == want


@pytest.mark.parametrize(
    "question",
    [
        "今年下半年(到现在) 比 上半年 销售额 多了多少",
        "今年下半年到目前为止 比 上半年 销售额 多了多少",
    ],
)
def test_half_so_far_against_the_whole_first_half(retail: Workspace, question: str) -> None:
    """H2 up to today (Jul-Nov) minus the whole H1 (Jan-Jun), was against Jan-May."""
    want = sql_number(
        retail,
        "SELECT sum(paid_amount) FILTER (WHERE paid_at >= '2011-07-01' AND paid_at < '2011-12-01')"
        " - sum(paid_amount) FILTER (WHERE paid_at >= '2011-01-01' AND paid_at < '2011-07-01')"
        " FROM orders",
    )
    a = answer(retail, question, "offline")
    got = dict(zip(a.main.columns, a.main.rows[0], strict=True))
    assert float(got["paid_gmv__delta"]) == pytest.approx(want, abs=0.01)


def test_half_so_far_side_by_side(olist: Workspace) -> None:
    want = sql(
        olist,
        "SELECT count(*) FILTER (WHERE created_at >= '2018-01-01' AND created_at < '2018-07-01'),"
        " count(*) FILTER (WHERE created_at >= '2018-07-01' AND created_at < '2018-09-01')"
        " FROM orders",
    )[0]
    got = rows(olist, "H2 so far vs H1 orders")
    assert [r[1] for r in got] == list(want)


def test_half_without_so_far_stays_like_for_like(retail: Workspace) -> None:
    """Not said up to now: the whole first half all the same (session 26, the sets' reading:
    dev_w9 w9_r39); the same days (Jan-May) only when 同期 is said."""
    a = answer(retail, "下半年 比 上半年 销售额 多了多少", "offline")
    got = dict(zip(a.main.columns, a.main.rows[0], strict=True))
    want = sql_number(
        retail,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2011-01-01'"
        " AND paid_at < '2011-07-01'",
    )
    assert float(got["paid_gmv__previous"]) == pytest.approx(want, abs=0.01)
    a = answer(retail, "下半年 比 上半年 同期 销售额 多了多少", "offline")
    got = dict(zip(a.main.columns, a.main.rows[0], strict=True))
    want = sql_number(
        retail,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2011-01-01'"
        " AND paid_at < '2011-06-01'",
    )
    assert float(got["paid_gmv__previous"]) == pytest.approx(want, abs=0.01)
