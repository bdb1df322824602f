"""Families of session 29 (helper p), values against hand-written SQL on the test workspaces
(Olist today 2018-09-01, Online Retail 2011-12-01, the demo at seed 7):

- a metric of new vs returning buyers ("新客和老客的客单价各多少", "AOV of new vs returning
  customers this year"): one row per kind, 'new' (first paid order ever in the period) and
  'returning' (bought in the period and before it), the metric over that kind's orders of the
  period; refused with no period (everyone is new over all time), with a filter or a breakdown.
"""

from __future__ import annotations

from typing import Any

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql

# each kind of buyer's orders in [start, end): kind, paid GMV, paid orders
_KINDS = """
WITH f AS (SELECT one_id, min(paid_at) AS first_paid FROM orders
           WHERE paid_at IS NOT NULL AND one_id IS NOT NULL GROUP BY 1)
SELECT CASE WHEN f.first_paid >= TIMESTAMP '{start}' THEN 'new' ELSE 'returning' END AS kind,
       sum(o.paid_amount), count(*)
FROM orders o JOIN f ON f.one_id = o.one_id
WHERE o.paid_at >= TIMESTAMP '{start}' AND o.paid_at < TIMESTAMP '{end}'
GROUP BY 1 ORDER BY 1
"""


def _kinds(ws: Workspace, start: str, end: str) -> dict[str, tuple[float, int]]:
    return {k: (float(g), int(n)) for k, g, n in sql(ws, _KINDS.format(start=start, end=end))}


def _answer(ws: Workspace, question: str) -> dict[str, float]:
    got = rows(ws, question)
    assert [r[0] for r in got] == ["new", "returning"], (question, got)
    return {r[0]: float(r[1]) for r in got}


@pytest.mark.parametrize(
    "question",
    [
        "上个月新客 vs 老客 的客单价",
        "上个月 新客 和 老客 的 客单价 各 多少",
        "上个月新老客的客单价分别是多少",
        "aov new vs returning customers last month",
        "AOV of new vs returning customers last month",
    ],
)
def test_aov_of_new_and_returning_buyers_is_a_row_each(retail: Workspace, question: str) -> None:
    want = _kinds(retail, "2011-11-01", "2011-12-01")
    got = _answer(retail, question)
    for kind, (gmv, orders) in want.items():
        assert got[kind] == pytest.approx(gmv / orders, abs=0.006), (question, kind)
    assert round(got["new"], 2) != round(got["returning"], 2)


@pytest.mark.parametrize(
    "question",
    [
        "今年 新客 vs 老客 的 销售额",
        "今年新客和老客分别贡献了多少销售额",
        "revenue from new versus returning customers this year",
    ],
)
def test_sales_of_new_and_returning_buyers_this_year(olist: Workspace, question: str) -> None:
    want = _kinds(olist, "2018-01-01", "2018-09-01")
    got = _answer(olist, question)
    assert got == {k: pytest.approx(g, abs=0.01) for k, (g, _) in want.items()}, question


def test_new_and_returning_on_the_demo(demo: Workspace) -> None:
    start, end = "2025-05-01", "2025-06-01"
    want = _kinds(demo, start, end)
    got = _answer(demo, "上个月新客vs老客的销售额")
    assert got == {k: pytest.approx(g, abs=0.01) for k, (g, _) in want.items()}
    assert sum(got.values()) == pytest.approx(
        float(
            sql(
                demo,
                f"SELECT sum(paid_amount) FROM orders WHERE one_id IS NOT NULL AND paid_at >="
                f" TIMESTAMP '{start}' AND paid_at < TIMESTAMP '{end}'",
            )[0][0]
        ),
        abs=0.01,
    )


@pytest.mark.parametrize(
    "question",
    [
        "新客和老客的客单价各多少",  # no period: over all time every buyer is new
        "AOV of new vs returning customers",
        "上个月天猫上新客和老客的客单价",  # new on Tmall, or their Tmall orders?
        "上个月每个平台新客 vs 老客 的客单价",
        "今年每个月新客和老客的销售额",
    ],
)
def test_new_and_returning_not_read_is_refused(demo: Workspace, question: str) -> None:
    assert "new vs returning" in str(refused(demo, question)), question


# -- the best item inside each of the top groups, the groups ranked by another metric ------------

_STATE = "coalesce(o.province, c.province)"
_CATEGORY = "coalesce(i.category, p.category)"


def _top_states_best_category(ws: Workspace, group_figure: str, inside: str) -> list[tuple]:
    """The 3 states with the most `group_figure` (all time) and in each the category with the
    most `inside` over its paid order lines: state, category, inside."""
    return sql(
        ws,
        f"""
        WITH g AS (SELECT {_STATE} AS state, {group_figure} AS figure FROM orders o
                   LEFT JOIN customers c ON c.customer_id = o.customer_id
                   WHERE {_STATE} IS NOT NULL GROUP BY 1
                   QUALIFY rank() OVER (ORDER BY figure DESC) <= 3),
             x AS (SELECT {_STATE} AS state, {_CATEGORY} AS category, {inside} AS v
                   FROM order_items i JOIN orders o ON o.order_id = i.order_id
                   LEFT JOIN customers c ON c.customer_id = o.customer_id
                   LEFT JOIN products p ON p.product_id = i.product_id
                   WHERE o.paid_at IS NOT NULL AND {_CATEGORY} IS NOT NULL GROUP BY 1, 2)
        SELECT x.state, x.category, x.v FROM x JOIN g USING (state)
        QUALIFY rank() OVER (PARTITION BY x.state ORDER BY x.v DESC) = 1
        ORDER BY g.figure DESC
        """,
    )


@pytest.mark.parametrize(
    "question",
    [
        "客户数最多的3个州 各自卖得最好的品类",
        "客户数最多的3个州各自卖得最好的品类",
        "买家最多的 3 个 州 分别 卖 得 最好 的 品类 是 什么",
        "top 3 states by number of customers and the best selling category in each of them",
        "top 3 states by customers, and each one's best selling category",
    ],
)
def test_top_states_by_buyers_each_ones_best_selling_category(
    olist: Workspace, question: str
) -> None:
    """The states by their buyers (40,255 in SP), the category inside each by its sales."""
    want = _top_states_best_category(
        olist, "count(DISTINCT o.one_id) FILTER (WHERE o.paid_at IS NOT NULL)", "sum(i.paid_amount)"
    )
    assert [r[0] for r in want] == ["SP", "RJ", "MG"]
    got = rows(olist, question)
    assert [(r[0], r[1]) for r in got] == [(s, c) for s, c, _ in want], question
    assert [float(r[2]) for r in got] == pytest.approx([float(v) for *_, v in want], abs=0.01)
    assert [r[3] for r in got] == [40255, 12370, 11249]  # each state's own buyers beside


def test_top_states_by_orders_each_ones_category_with_most_pieces(olist: Workspace) -> None:
    """销量最高 inside each: the pieces sold (units), the states by their orders."""
    want = _top_states_best_category(olist, "count(*)", "sum(i.quantity)")
    got = rows(olist, "订单数最多的3个州 各自销量最高的品类")
    assert [(r[0], r[1], int(r[2])) for r in got] == [(s, c, int(v)) for s, c, v in want]


def test_two_metrics_said_one_ranks_the_groups_the_other_inside(olist: Workspace) -> None:
    want = _top_states_best_category(olist, "count(*)", "sum(i.paid_amount)")
    for question in ("订单数前3的州 各自销售额最高的品类", "订单数最多的3个州各自销售额最高的品类"):
        got = rows(olist, question)
        assert [(r[0], r[1]) for r in got] == [(s, c) for s, c, _ in want], question


@pytest.mark.parametrize(
    "question",
    [
        "客户数最多的3个州 各自卖得最差的品类",  # the worst inside: not read
        "客户数最多的3个州 各自客单价最低的品类",
    ],
)
def test_top_groups_with_the_worst_inside_are_refused(olist: Workspace, question: str) -> None:
    refused(olist, question)


def test_top_platforms_by_gmv_each_ones_best_selling_product(demo: Workspace) -> None:
    """GMV ranks both (one metric: the placed GMV, as the catalog names it)."""
    got = rows(demo, "top 3 platforms by GMV and each one's best-selling product")
    assert len(got) == 3 and len({r[0] for r in got}) == 3
    plats = rows(demo, "top 3 platforms by GMV")
    assert [r[0] for r in got] == [r[0] for r in plats]


@pytest.mark.parametrize(
    "question",
    [
        "今年客户数前3的城市 各自最受欢迎的品类（按买的人数）",
        "今年客户数前3的城市各自最受欢迎的品类",
    ],
)
def test_most_popular_inside_each_top_city_by_its_buyers(demo: Any, question: str) -> None:
    """最受欢迎 said of each of the top groups: the best inside each by the metric said (the
    buyers), the each-word placed."""
    start = demo.today.replace(month=1, day=1)
    when = f"o.paid_at >= DATE '{start}' AND o.paid_at < DATE '{demo.today}'"
    want = sql(
        demo,
        f"WITH top AS (SELECT o.city, count(DISTINCT o.one_id) AS n FROM orders o WHERE {when}"
        " AND o.city IS NOT NULL GROUP BY 1 QUALIFY rank() OVER (ORDER BY n DESC) <= 3),"
        " pc AS (SELECT o.city, coalesce(i.category, p.category) AS category,"
        " count(DISTINCT o.one_id) AS buyers FROM order_items i JOIN orders o ON o.order_id ="
        f" i.order_id LEFT JOIN products p ON p.product_id = i.product_id WHERE {when} AND"
        " coalesce(i.category, p.category) IS NOT NULL GROUP BY 1, 2)"
        " SELECT pc.city, pc.category, pc.buyers FROM pc JOIN top USING (city)"
        " QUALIFY rank() OVER (PARTITION BY pc.city ORDER BY pc.buyers DESC) = 1"
        " ORDER BY top.n DESC, pc.city, pc.category",
    )
    got = rows(demo, question)
    assert sorted((r[0], r[1], int(r[2])) for r in got) == sorted(
        (c, g, int(n)) for c, g, n in want
    ), question
