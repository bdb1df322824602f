"""Wrong answers found by the session-25 hunt (helper s): questions one word away from answered
ones, answered as the other question (issue 11).

- "今年买了超过1000件的客户几个": a number of items beside a count of people, no single order said,
  is the units of all their paid orders in the period (person_units), not the people with one
  order of that many items ("一单买了超过1000件的客户" stays the order's own);
- "今年天猫老客有多少": the returning buyers of a platform are those buyers with a paid order
  before the period, not buyers - new buyers split by the platform of each person's first order
  (split by a platform, "每个平台的老客数", it stays the catalog's returning_buyers: the set's
  answer dropped a platform with none);
- "上个月的销售额跟去年同月比涨了多少" on Online Retail (data from December 2010): the period
  compared with has no data at all — refused, never a 0 for it and no change.

Values against hand-written SQL on the test workspaces; paraphrases in both languages, Chinese
with and without spaces."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from shopql.errors import ShopqlError
from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from tests.nlq.conftest import DEMO_TODAY
from tests.nlq.helpers import rows, sql, sql_number

PAID_2011 = "o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01'"


def _people_over_units(retail: Workspace, n: int, per_order: bool = False) -> float:
    per = "o.order_id" if per_order else "o.one_id"
    return sql_number(
        retail,
        "SELECT count(DISTINCT one_id) FROM (SELECT o.one_id, "
        f"{per} AS k FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        f"WHERE {PAID_2011} AND o.one_id IS NOT NULL GROUP BY o.one_id, {per} "
        f"HAVING sum(i.quantity) > {n})",
    )


@pytest.mark.parametrize(
    "question",
    [
        "今年买了超过1000件的客户几个",
        "今年 买了 超过 1000件 的 客户 有 几个",
        "今年总共买了超过1000件的客户有几个",
        "今年累计买了超过1000件的买家有多少",
        "customers who bought more than 1000 units this year",
    ],
)
def test_items_bought_by_people_are_all_their_orders(retail: Workspace, question: str) -> None:
    want = _people_over_units(retail, 1000)
    assert want != _people_over_units(retail, 1000, per_order=True)  # the two readings differ
    assert rows(retail, question)[0][0] == want, question


@pytest.mark.parametrize(
    "question", ["今年一单买了超过1000件的客户几个", "今年 一单 买了 超过 1000件 的 客户"]
)
def test_items_in_one_order_stay_the_orders_own(retail: Workspace, question: str) -> None:
    assert rows(retail, question)[0][0] == _people_over_units(retail, 1000, per_order=True)


def test_orders_with_many_items_stay_orders(retail: Workspace) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM (SELECT o.order_id FROM order_items i JOIN orders o "
        f"ON o.order_id = i.order_id WHERE {PAID_2011} GROUP BY 1 HAVING sum(i.quantity) > 1000)",
    )
    assert (
        rows(retail, "今年买了超过1000件的订单有几单")[0][0] >= want
    )  # placed orders, by created_at
    a = answer(retail, "今年买了超过1000件的订单有几单", "offline")
    assert "filter: order_units > 1000" in a.understood


def _returning(demo: Any, dimension: str, where: str = "TRUE") -> dict[Any, int]:
    start = f"{DEMO_TODAY.year}-01-01"
    return {
        k: int(n)
        for k, n in sql(
            demo,
            "WITH f AS (SELECT one_id, min(paid_at) AS f FROM orders WHERE paid_at IS NOT NULL "
            f"AND one_id IS NOT NULL GROUP BY 1) SELECT o.{dimension}, count(DISTINCT o.one_id) "
            f"FROM orders o JOIN f ON f.one_id = o.one_id WHERE o.paid_at >= '{start}' "
            f"AND o.paid_at < '{DEMO_TODAY}' AND f.f < '{start}' AND {where} GROUP BY 1",
        )
    }


@pytest.mark.parametrize(
    "question",
    ["今年天猫老客有多少", "今年 天猫 老客户 有 多少", "returning customers on tmall this year"],
)
def test_returning_buyers_of_a_platform(demo: Any, question: str) -> None:
    want = _returning(demo, "platform").get("tmall", 0)
    assert want > 0
    assert rows(demo, question)[0][-1] == want, question


def test_returning_buyers_alone_unchanged(demo: Any) -> None:
    start = f"{DEMO_TODAY.year}-01-01"
    want = sql_number(
        demo,
        "WITH f AS (SELECT one_id, min(paid_at) AS f FROM orders WHERE paid_at IS NOT NULL "
        "AND one_id IS NOT NULL GROUP BY 1) SELECT count(DISTINCT o.one_id) FROM orders o "
        f"JOIN f ON f.one_id = o.one_id WHERE o.paid_at >= '{start}' AND o.paid_at < '{DEMO_TODAY}' "
        f"AND f.f < '{start}'",
    )
    a = answer(demo, "今年老客有多少", "offline")
    assert a.main.rows[0][0] == want
    assert any("returning_buyers" in u for u in a.understood)  # still the catalog metric


@pytest.mark.parametrize(
    "question",
    [
        "上个月的销售额跟去年同月比涨了多少",
        "上个月销售额同比",
        "11月 销售额 比 去年11月 涨了 多少",
        "sales growth last month vs the same month last year",
    ],
)
def test_comparison_with_a_period_without_data_refused(retail: Workspace, question: str) -> None:
    with pytest.raises(ShopqlError, match=r"has no data \(the data starts 2010-12-01\)"):
        answer(retail, question, "offline")


def test_comparison_with_a_period_with_data_still_answered(retail: Workspace) -> None:
    a = answer(retail, "上个月销售额环比", "offline")
    nov = sql_number(
        retail,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2011-11-01' AND paid_at < '2011-12-01'",
    )
    oct_ = sql_number(
        retail,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2011-10-01' AND paid_at < '2011-11-01'",
    )
    assert [float(v) for v in a.main.rows[0][:2]] == pytest.approx([nov, oct_])
    assert dt.date(2011, 12, 1) == retail.today


@pytest.mark.parametrize(
    "question",
    [
        "How many orders this year went out with YTO or Yunda?",
        "How many orders were shipped with YTO or Yunda this year",
        "今年圆通和韵达发了多少单",
    ],
)
def test_orders_sent_with_a_carrier_counted_by_ship_time(demo: Any, question: str) -> None:
    start = f"{DEMO_TODAY.year}-01-01"
    shipped = sql_number(
        demo,
        "SELECT count(*) FROM orders WHERE carrier IN ('yto', 'yunda') AND "
        f"shipped_at >= '{start}' AND shipped_at < '{DEMO_TODAY}'",
    )
    a = answer(demo, question, "offline")
    assert any("shipped_orders" in u for u in a.understood), question
    assert a.main.rows[0][0] == shipped, question


def test_orders_placed_with_a_carrier_stay_placed(demo: Any) -> None:
    a = answer(demo, "how many yto orders this year", "offline")
    assert any("metrics: orders" in u for u in a.understood)


@pytest.mark.parametrize(
    "question",
    [
        "Quantos itens a mais vendemos em agosto do que em julho?",
        "quantos produtos a mais vendemos em agosto do que em julho",
    ],
)
def test_portuguese_a_mais_is_never_the_most(olist: Any, question: str) -> None:
    """'a mais' is more (a difference): never the top product of August (was: 'mais' = most)."""
    try:
        a = answer(olist, question, "offline")
    except ShopqlError:
        return  # refused: acceptable where the difference is not read
    assert not any("the top" in u for u in a.understood), question


def test_portuguese_a_mais_difference_of_units(olist: Any) -> None:
    units = [
        sql_number(
            olist,
            "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
            f"WHERE o.paid_at >= '{a}' AND o.paid_at < '{b}'",
        )
        for a, b in (("2018-08-01", "2018-09-01"), ("2018-07-01", "2018-08-01"))
    ]
    got = rows(olist, "quantas unidades a mais vendemos em agosto do que em julho")[0]
    assert float(got[-1]) == units[0] - units[1]


@pytest.mark.parametrize(
    "question",
    ["今年每个国家的客户人数", "今年 每个 国家 的 客户 人数", "今年每个国家的发票数和客户人数"],
)
def test_customers_of_a_period_are_its_buyers(retail: Workspace, question: str) -> None:
    want = {
        c: n
        for c, n in sql(
            retail,
            "SELECT country, count(DISTINCT one_id) FROM orders WHERE paid_at >= '2011-01-01' "
            "AND paid_at < '2011-12-01' AND one_id IS NOT NULL GROUP BY 1",
        )
    }
    got = {r[0]: r[-1] for r in rows(retail, question)}
    assert got == want, question


def test_customer_count_without_a_period_stays_the_persons(retail: Workspace) -> None:
    a = answer(retail, "客户人数", "offline")
    assert any("tagged_persons" in u for u in a.understood)
