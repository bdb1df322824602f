"""Online Retail questions answered as asked (issue 11, session 29, helper r): the wrong answers
of the dev sets, by mechanism, and questions that look alike but mean something else. Values
against hand-written SQL on the test workspaces (Retail today 2011-12-01); paraphrases in both
languages, with and without spaces."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql_number

# -- goods said of new customers (新客, no 首单): bought in the period, any order -------------

XMAS_2011 = (
    "SELECT DISTINCT o.one_id FROM order_items i JOIN orders o ON o.order_id = i.order_id "
    "WHERE i.clean_title LIKE '%CHRISTMAS%' AND o.paid_at >= '2011-01-01' "
    "AND o.paid_at < '2011-12-01' AND o.one_id IS NOT NULL"
)
FIRST = (
    "SELECT one_id, min(paid_at) AS f, arg_min(order_id, paid_at) AS first_order FROM orders "
    "WHERE paid_at IS NOT NULL AND one_id IS NOT NULL GROUP BY 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年买圣诞商品的新客有多少",
        "今年 买 圣诞 商品 的 新客 有 多少",
        "今年买过圣诞商品的新客户有几个",
        "今年 新客 买 圣诞 商品 的 有 多少",
        "how many new customers bought christmas items this year",
    ],
)
def test_new_customers_who_bought_a_thing_in_the_period(retail: Workspace, question: str) -> None:
    """This year's new customers (first paid order in 2011 up to today) who bought a Christmas
    product this year, on any order — was: only those whose FIRST order held one (the goods read
    onto the first order, which only 首单 / 第一单 says)."""
    want = sql_number(
        retail,
        f"SELECT count(*) FROM ({XMAS_2011}) b JOIN ({FIRST}) f ON f.one_id = b.one_id "
        "WHERE f.f >= '2011-01-01' AND f.f < '2011-12-01'",
    )
    first_order_only = sql_number(
        retail,
        f"SELECT count(*) FROM ({FIRST}) f WHERE f.f >= '2011-01-01' AND f.f < '2011-12-01' "
        "AND EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = f.first_order "
        "AND i.clean_title LIKE '%CHRISTMAS%')",
    )
    assert want != first_order_only  # the two readings differ on this data
    assert rows(retail, question) == [(want,)], question


@pytest.mark.parametrize(
    "question", ["11月首单买了圣诞商品的客户有多少", "11月 首单 买了 圣诞 商品 的 客户 有 多少"]
)
def test_the_first_order_said_keeps_the_goods_on_it(retail: Workspace, question: str) -> None:
    """首单 said: the goods are the first order's (unchanged)."""
    want = sql_number(
        retail,
        f"SELECT count(*) FROM ({FIRST}) f WHERE f.f >= '2011-11-01' AND f.f < '2011-12-01' "
        "AND EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = f.first_order "
        "AND i.clean_title LIKE '%CHRISTMAS%')",
    )
    assert rows(retail, question) == [(want,)], question


def test_new_customers_of_a_category_on_olist(olist: Workspace) -> None:
    """The same on Olist: August's new customers who bought bed & bath (any August order)."""
    want = sql_number(
        olist,
        "WITH f AS (SELECT one_id, min(paid_at) AS f FROM orders WHERE paid_at IS NOT NULL "
        "AND one_id IS NOT NULL GROUP BY 1), b AS (SELECT DISTINCT o.one_id FROM orders o "
        "JOIN order_items i ON i.order_id = o.order_id JOIN products p ON p.product_id = "
        "i.product_id WHERE p.category = 'cama_mesa_banho' AND o.paid_at >= '2018-08-01' "
        "AND o.paid_at < '2018-09-01' AND o.one_id IS NOT NULL) "
        "SELECT count(*) FROM b JOIN f USING (one_id) WHERE f.f >= '2018-08-01' "
        "AND f.f < '2018-09-01'",
    )
    assert rows(olist, "上个月买了床上用品的新客有多少") == [(want,)]
