"""Shapes refused before (session 39, helper C): the most MORE than another period said in
everyday words (比7月多出来的买家最多: the growth ranking), the change asked either way round
(多卖了还是少卖了多少钱), the top N's share said with 加起来 (the top three together, not the
breakdown dropped), and a sum's share of rows meeting a condition (营业额里 单笔过千的大单占几成).
Values against hand-written SQL; each beside a look-alike that keeps its own answer or stays
refused."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql, sql_number

# --- the most more than another period: ranked by the change

_STATE_CHANGE = (
    "SELECT c.province, count(DISTINCT o.one_id) FILTER (WHERE o.paid_at >= '2018-08-01')"
    " - count(DISTINCT o.one_id) FILTER (WHERE o.paid_at < '2018-08-01') AS change FROM orders o"
    " JOIN customers c ON c.customer_id = o.customer_id WHERE o.one_id IS NOT NULL AND"
    " c.province IS NOT NULL AND o.paid_at >= '2018-07-01' AND o.paid_at < '2018-09-01'"
    " GROUP BY 1 ORDER BY 2 {way}, 1 LIMIT 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "哪个州8月比7月多出来的买家最多",
        "8月比7月多了的买家最多的是哪个州",
        "哪个州8月比7月买家增长最多",
    ],
)
def test_most_more_than_before(olist: Workspace, question: str) -> None:
    want = sql(olist, _STATE_CHANGE.format(way="DESC"))[0]
    got = rows(olist, question)[0]
    assert got[0] == want[0], question


def test_most_fewer_than_before(olist: Workspace) -> None:
    want = sql(olist, _STATE_CHANGE.format(way="ASC"))[0]
    assert rows(olist, "哪个州8月比7月少了的买家最多")[0][0] == want[0]


def test_most_sold_more_money(retail: Workspace) -> None:
    # read as the growth ranking the engine already answers (增长最多)
    want = rows(retail, "11月哪个国家比10月销售额增长最多")
    assert want and rows(retail, "11月哪个国家比10月多卖的钱最多") == want
    # look-alike: the most in November alone (no 比) stays a ranking of the month's level
    level = sql(
        retail,
        "SELECT country FROM orders WHERE country IS NOT NULL AND paid_at >= '2011-11-01' AND"
        " paid_at < '2011-12-01' GROUP BY 1 ORDER BY sum(paid_amount) DESC LIMIT 1",
    )[0][0]
    assert rows(retail, "11月哪个国家卖的钱最多")[0][0] == level


# --- the change asked either way round

_MENSWEAR = (
    "SELECT sum(i.paid_amount) FILTER (WHERE o.paid_at >= '2025-05-01') - sum(i.paid_amount) FILTER"
    " (WHERE o.paid_at < '2025-05-01') FROM order_items i JOIN orders o ON o.order_id = i.order_id"
    " LEFT JOIN products p ON p.product_id = i.product_id WHERE coalesce(i.category, p.category) ="
    " '男装' AND o.paid_at >= '2025-04-01' AND o.paid_at < '2025-06-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "上个月 男装 跟 4月 比 多卖了 还是 少卖了 多少 钱",
        "上个月男装跟4月比多卖了还是少卖了多少钱",
        "上个月男装跟4月比多卖了多少钱",
    ],
)
def test_sold_more_or_less(demo: Workspace, question: str) -> None:
    assert number(demo, question, -1) == pytest.approx(sql_number(demo, _MENSWEAR), abs=0.01)


# --- the top N together: their share, the breakdown kept

_TOP3 = (
    "WITH s AS (SELECT c.province, sum(o.paid_amount) AS gmv FROM orders o JOIN customers c ON"
    " c.customer_id = o.customer_id WHERE c.province IS NOT NULL AND o.paid_at >= '2018-01-01'"
    " AND o.paid_at < '2018-09-01' GROUP BY 1) SELECT (SELECT"
    " sum(gmv) FROM (SELECT gmv FROM s ORDER BY gmv DESC LIMIT 3)) / (SELECT sum(o.paid_amount)"
    " FROM orders o WHERE o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01')"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年营业额前三的州加起来占全国多少",
        "今年营业额前三的州合起来占总营业额多少",
        "今年营业额前三的州占比多少",
    ],
)
def test_top_three_together(olist: Workspace, question: str) -> None:
    assert number(olist, question, -1) == pytest.approx(sql_number(olist, _TOP3), abs=1e-3)


def test_states_summed_without_a_top_stays_one_total(olist: Workspace) -> None:
    # look-alike: no top N, no share: "所有州加起来" is the one total
    want = sql_number(
        olist,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2018-01-01' AND paid_at < '2018-09-01'",
    )
    assert number(olist, "今年所有州加起来的营业额") == pytest.approx(want, abs=0.01)


# --- a sum's share of the rows that meet a condition

_BIG = (
    "SELECT sum(paid_amount) FILTER (WHERE paid_amount > 1000) / sum(paid_amount) FROM orders"
    " WHERE paid_at >= '2025-05-01' AND paid_at < '2025-06-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "上个月的营业额里 单笔过千的大单占几成",
        "上个月营业额里 金额超过1000的订单占几成",
        "上个月金额超过1000的订单的销售额占总销售额多少",
    ],
)
def test_money_share_of_big_orders(demo: Workspace, question: str) -> None:
    assert number(demo, question, -1) == pytest.approx(sql_number(demo, _BIG), abs=1e-3)


def test_count_share_of_big_orders_stays(demo: Workspace) -> None:
    # look-alike: no money said: the share of the orders (a count), not of the money
    got = rows(demo, "上个月金额超过1000的订单占几成")[0]
    assert got[0] < got[1]  # a count of orders beside all of them
    assert float(got[-1]) < sql_number(demo, _BIG) - 0.05
    # an average has no share of a whole
    refused(demo, "上个月客单价里 金额超过1000的订单占几成")


# --- a change asked in percent after 变化 (no trend), the average invoice said with 单张 / 每张

_AOV_CHANGE = (
    "WITH m AS (SELECT sum(paid_amount) FILTER (WHERE paid_at >= '2011-11-01') / count(*) FILTER"
    " (WHERE paid_at >= '2011-11-01') AS nov, sum(paid_amount) FILTER (WHERE paid_at < '2011-11-01')"
    " / count(*) FILTER (WHERE paid_at < '2011-11-01') AS oct FROM orders WHERE paid_at >="
    " '2011-10-01' AND paid_at < '2011-12-01') SELECT nov, oct FROM m"
)


@pytest.mark.parametrize(
    "question",
    [
        "11月单张发票的平均金额 环比10月变化了百分之多少",
        "11月每张发票的平均金额比10月变化了百分之几",
        "11月客单价环比变化百分之几",
        "客单价11月环比变化百分之多少",
    ],
)
def test_aov_change_in_percent(retail: Workspace, question: str) -> None:
    nov, oct_ = sql(retail, _AOV_CHANGE)[0]
    got = rows(retail, question)
    assert len(got) == 1, question  # one comparison, never each day against the day before
    assert float(got[0][0]) == pytest.approx(float(nov), abs=0.01)
    assert float(got[0][1]) == pytest.approx(float(oct_), abs=0.01)


def test_monthly_change_stays_a_trend(retail: Workspace) -> None:
    # look-alike: 每月 … 的变化 is each month's figure
    assert len(rows(retail, "今年每月客单价的变化")) == 11


# --- people ranked by how many different things they bought; money returned said twice over

_KINDS = (
    "SELECT count(DISTINCT coalesce(i.spu_id, i.product_id)) FROM order_items i JOIN orders o ON"
    " o.order_id = i.order_id WHERE i.product_id IS NOT NULL AND o.one_id IS NOT NULL AND"
    " o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01' GROUP BY o.one_id ORDER BY 1 DESC LIMIT 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年买过的货种类最多的客户是谁",
        "今年买的商品种数最多的客户",
        "今年买过最多不同商品的客户是谁",
        "which customer bought the most different products this year",
        "the customer with the most different products this year",
    ],
)
def test_customer_with_most_kinds(retail: Workspace, question: str) -> None:
    assert number(retail, question, -1) == sql_number(retail, _KINDS), question


def test_products_by_buyers_stays(retail: Workspace) -> None:
    # look-alike: the product bought by the most customers is ranked by its buyers
    want = sql_number(
        retail,
        "SELECT count(DISTINCT o.one_id) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
        " WHERE i.product_id IS NOT NULL AND o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01'"
        " GROUP BY coalesce(i.spu_id, i.product_id) ORDER BY 1 DESC LIMIT 1",
    )
    assert number(retail, "今年买家最多的商品", -1) == want


@pytest.mark.parametrize(
    "question",
    [
        "今年被退货退掉金额最多的前五个商品",
        "今年退货退掉的钱最多的5个商品",
        "今年退货金额最多的前五个商品",
    ],
)
def test_returned_money_by_product(retail: Workspace, question: str) -> None:
    want = [
        round(float(r[0]), 2)
        for r in sql(
            retail,
            "SELECT sum(i.refund_amount) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
            " WHERE i.product_id IS NOT NULL AND o.raw_status = 'cancellation invoice' AND"
            " o.created_at >= '2011-01-01' AND o.created_at < '2011-12-01'"
            " GROUP BY coalesce(i.spu_id, i.product_id) ORDER BY 1 DESC LIMIT 5",
        )
    ]
    assert [round(float(r[-1]), 2) for r in rows(retail, question)] == want


# --- the one refund with the most money; the orders above (below) the period's average

_MAX_REFUND = (
    "SELECT max(o.refund_amount) FROM orders o WHERE o.raw_status = 'cancellation invoice' AND"
    " o.created_at >= '2011-11-01' AND o.created_at < '2011-12-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "11月里 退款额最高的那张C字头发票 退了多少",
        "11月退款金额最高的那张发票退了多少",
        "11月退款金额最大的一笔是多少",
    ],
)
def test_largest_refund(retail: Workspace, question: str) -> None:
    assert number(retail, question) == pytest.approx(sql_number(retail, _MAX_REFUND), abs=0.01)


def test_which_refund_invoice_stays_refused(retail: Workspace) -> None:
    # look-alike: which invoice (its number) is not the amount
    refused(retail, "11月退款金额最高的发票是哪张")


_ABOVE = (
    "SELECT count(*) FROM orders o WHERE o.paid_at >= '2011-11-01' AND o.paid_at < '2011-12-01'"
    " AND o.paid_amount {side} (SELECT avg(paid_amount) FROM orders WHERE paid_at >= '2011-11-01'"
    " AND paid_at < '2011-12-01')"
)


@pytest.mark.parametrize(
    "question",
    [
        "11月有几张发票比当月的平均发票金额还大",
        "11月金额超过平均值的订单有几单",
        "how many invoices in November were above the average order value",
        "11月有几单比平均客单价还高",
    ],
)
def test_orders_above_the_average(retail: Workspace, question: str) -> None:
    assert number(retail, question) == sql_number(retail, _ABOVE.format(side=">")), question


def test_orders_below_the_average(retail: Workspace) -> None:
    want = sql_number(retail, _ABOVE.format(side="<"))
    assert number(retail, "11月金额低于平均值的发票有几张") == want


def test_above_the_average_by_group_refused(retail: Workspace) -> None:
    # look-alike: by country, whose average (each country's or all) is not said
    refused(retail, "11月各国家金额高于平均值的发票有几张")
    # and a comparison with the average itself is no condition on the orders
    assert number(retail, "11月客单价") > 0
