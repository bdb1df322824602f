"""Wrong answers of session 29 (helper y, round 2) read as asked: the Christmas goods of
November's new customers (Retail, today 2011-12-01), 去年同期 said before the quarter it names and
an English table word counted by 数 (Olist, today 2018-09-01). Values against hand-written SQL;
paraphrases spaced and unspaced, and a look-alike that keeps its answer."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql, sql_number

NOV_O = "o.paid_at >= '2011-11-01' AND o.paid_at < '2011-12-01'"
NEW_IN_NOV = (
    "SELECT one_id FROM (SELECT one_id, min(paid_at) AS fp FROM orders WHERE paid_at IS NOT NULL"
    " AND one_id IS NOT NULL GROUP BY 1) WHERE fp >= '2011-11-01' AND fp < '2011-12-01'"
)
XMAS = "coalesce(i.clean_title, i.title) LIKE '%CHRISTMAS%'"


# -- 11月新客买了多少件圣诞商品: the Christmas lines they bought, not all their units -------------


@pytest.mark.parametrize(
    "question",
    [
        "11月新客买了多少件圣诞商品",
        "11月 新客 买了 多少件 圣诞商品",
        "11月新客的圣诞商品销量",
        "units of christmas items bought by new customers in november",
    ],
)
def test_units_of_the_goods_bought_by_new_customers(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o USING (order_id) "
        f"WHERE {NOV_O} AND {XMAS} "
        f"AND o.one_id IN ({NEW_IN_NOV})",
    )
    assert want > 0
    assert float(rows(retail, question)[0][0]) == want, question


def test_units_of_new_customers_without_goods_stay_all_their_units(retail: Workspace) -> None:
    want = sql_number(
        retail,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o USING (order_id) "
        f"WHERE {NOV_O} AND o.one_id IN ({NEW_IN_NOV})",
    )
    assert float(rows(retail, "11月新客买了多少件")[0][0]) == want


# -- 买圣诞商品的新客占新客的多少: the whole is the new customers said after 占 ---------------------


@pytest.mark.parametrize(
    "question",
    [
        "11月买圣诞商品的新客占新客的多少",
        "11月 买 圣诞商品 的 新客 占 新客 的 比例",
        "11月买圣诞商品的新客占全部新客的百分之几",
    ],
)
def test_share_of_new_customers_who_bought_the_goods(retail: Workspace, question: str) -> None:
    ((part, whole),) = sql(
        retail,
        "SELECT (SELECT count(DISTINCT o.one_id) FROM order_items i JOIN orders o "
        f"USING (order_id) WHERE {NOV_O} AND {XMAS} AND o.one_id IN ({NEW_IN_NOV})), (SELECT count(*) FROM ({NEW_IN_NOV}))",
    )
    assert 0 < part < whole
    got = rows(retail, question)[0]
    assert (got[0], got[1]) == (part, whole), question
    assert float(got[2]) == pytest.approx(part / whole, abs=1e-4)


def test_share_among_new_customers_said_with_zhong_keeps_its_answer(retail: Workspace) -> None:
    said_after = rows(retail, "11月买圣诞商品的新客占新客的多少")[0]
    got = rows(retail, "11月的新客中买过圣诞商品的比例")[0]
    assert (got[0], got[1]) == (said_after[0], said_after[1])


# -- 去年同期二季度: that quarter of last year, not this year's --------------------------------

Q2_2017 = "paid_at >= '2017-04-01' AND paid_at < '2017-07-01'"


@pytest.mark.parametrize(
    "question",
    ["去年同期二季度的买家数", "去年同期 二季度 买家数", "去年同期第二季度有多少买家"],
)
def test_same_period_said_before_the_quarter(olist: Workspace, question: str) -> None:
    want = sql_number(
        olist,
        f"SELECT count(DISTINCT one_id) FROM orders WHERE {Q2_2017} AND one_id IS NOT NULL",
    )
    assert float(rows(olist, question)[0][0]) == want, question


def test_same_period_said_after_stays_a_comparison(olist: Workspace) -> None:
    got = rows(olist, "二季度买家数和去年同期比")[0]
    last = sql_number(
        olist,
        f"SELECT count(DISTINCT one_id) FROM orders WHERE {Q2_2017} AND one_id IS NOT NULL",
    )
    assert len(got) == 3 and float(got[1]) == last


# -- order数: an English table word counted by 数 is the count of its rows ---------------------


@pytest.mark.parametrize(
    "question",
    [
        "7月 比 6月 order数 掉得 最多 的 品类",
        "7月比6月order数掉得最多的品类",
        "7月 比 6月 order量 降 最多 的 品类",
    ],
)
def test_order_count_word_ranks_by_orders(olist: Workspace, question: str) -> None:
    want = rows(olist, "7月比6月订单数掉得最多的品类")
    assert want != rows(olist, "7月比6月销售额掉得最多的品类")
    assert rows(olist, question) == want, question


def test_order_count_word_alone(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT count(*) FROM orders WHERE created_at >= '2018-06-01' AND created_at < '2018-07-01'",
    )
    assert float(rows(olist, "6月order数")[0][0]) == want
