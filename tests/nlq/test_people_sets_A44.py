"""People counted in everyday words (session 44, helper A): coming to buy said with 货 or 上门
(10月来买货的客户, 哪一季上门买货的客户最多), two named platforms said as 两家店 (京东跟天猫两家店都掏过钱).
Values against hand-written SQL (as the blind dev set W39 writes them); each reading beside a
look-alike that keeps its own answer or stays refused."""

from __future__ import annotations

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.nodata import NoDataHere
from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql, sql_number

# --- coming to buy said with 货 / 上门 (w39r26, w39r15) ---

_BUYERS_OCT = (
    "SELECT count(DISTINCT one_id) FROM orders WHERE one_id IS NOT NULL AND paid_at >= '2011-10-01'"
    " AND paid_at < '2011-11-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "10月来买货的客户有几个",
        "10月上门买东西的客户有多少",
        "10月上门买货的顾客有几位",
        "10月来购物的客户有几个",
    ],
)
def test_coming_to_buy_goods_is_a_buyer(retail: Workspace, question: str) -> None:
    assert number(retail, question) == sql_number(retail, _BUYERS_OCT), question


def test_buyers_of_two_months_said_with_goods(retail: Workspace) -> None:
    want = sql_number(
        retail,
        "SELECT count(DISTINCT one_id) FILTER (WHERE paid_at >= '2011-10-01') - count(DISTINCT"
        " one_id) FILTER (WHERE paid_at < '2011-10-01') FROM orders WHERE one_id IS NOT NULL AND"
        " paid_at >= '2011-09-01' AND paid_at < '2011-11-01'",
    )
    for question in ["跟9月比 10月来买货的客户多出几个人", "10月上门买东西的客户比9月多了几个"]:
        assert want in [float(x) for x in rows(retail, question)[0] if isinstance(x, int | float)]


def test_quarter_with_most_buyers_said_with_goods(retail: Workspace) -> None:
    want = sql(
        retail,
        "SELECT quarter(paid_at), count(DISTINCT one_id) FROM orders WHERE one_id IS NOT NULL AND"
        " paid_at >= '2011-01-01' AND paid_at < '2011-12-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    for question in ["今年四个季度里哪一季上门买货的客户人数最多", "今年哪个季度来买货的客户最多"]:
        assert rows(retail, question)[0][-1] == want[0][1], question


def test_delivery_to_the_door_is_not_coming_to_buy(retail: Workspace) -> None:
    # look-alikes: 送货上门 is delivery, 退货 a return — neither read as coming to buy
    refused(retail, "10月送货上门的客户有几个")
    assert number(retail, "10月退货的客户有几个") != sql_number(retail, _BUYERS_OCT)


# --- two named platforms said as 两家店 (w39d35) ---

_BOTH = (
    "SELECT count(*) FROM (SELECT o.one_id FROM orders o WHERE o.one_id IS NOT NULL AND o.paid_at"
    " >= date_trunc('year', DATE '{today}') AND o.paid_at < DATE '{today}' GROUP BY 1 HAVING"
    " count(*) FILTER (WHERE o.platform = 'jd') > 0 AND count(*) FILTER (WHERE o.platform ="
    " 'tmall') > 0)"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年京东跟天猫两家店都掏过钱的客户数",
        "今年天猫京东两家店都买过的客户有多少",
        "今年京东和天猫两家店都下过单的买家有几个",
    ],
)
def test_two_named_shops_each_bought_in(demo: Workspace, question: str) -> None:
    today = str(sql(demo, "SELECT CAST(max(paid_at) AS DATE) + 1 FROM orders")[0][0])
    assert number(demo, question) == sql_number(demo, _BOTH.format(today=today)), question


def test_three_shops_beside_two_named_stays_refused(demo: Workspace) -> None:
    # look-alike: a number of shops that is not the count of the platforms named
    refused(demo, "今年京东跟天猫三家店都买过的客户数")


# --- one order's amount said with a verb of paying (w39d37) ---

_ONE_ORDER_OVER = (
    "SELECT count(DISTINCT o.one_id) FROM orders o WHERE o.one_id IS NOT NULL AND o.paid_amount"
    " {op} {n} AND o.paid_at >= '{a}' AND o.paid_at < '{b}'"
)


@pytest.mark.parametrize(
    ("question", "op"),
    [
        ("今年单笔付过2000以上的客户有几个", ">="),
        ("今年有一笔花了超过2000的客户有几个", ">"),
        ("今年单笔支付超过2000的客户有几个", ">"),
        ("今年单笔消费2000元以上的买家有多少", ">="),
    ],
)
def test_one_order_paid_over_an_amount(demo: Workspace, question: str, op: str) -> None:
    today = str(sql(demo, "SELECT CAST(max(paid_at) AS DATE) + 1 FROM orders")[0][0])
    want = sql_number(demo, _ONE_ORDER_OVER.format(op=op, n=2000, a=today[:4] + "-01-01", b=today))
    assert number(demo, question) == want, question


def test_one_invoice_over_an_amount_in_pounds(retail: Workspace) -> None:
    want = sql_number(
        retail, _ONE_ORDER_OVER.format(op=">=", n=500, a="2011-11-01", b="2011-12-01")
    )
    assert number(retail, "11月单笔付了500镑以上的客户有几位") == want
    assert number(retail, "11月单张发票开过500镑以上的客户有几个") == want


def test_paid_over_an_amount_without_one_order_is_not_one_order(demo: Workspace) -> None:
    # look-alikes: no single order said (付过2000以上: the person's spend) and the first order
    # (第一笔就付了: the first order's amount) keep their own readings — here refused
    refused(demo, "今年付过2000以上的客户有几个")
    refused(demo, "今年第一笔就付了2000以上的客户有几个")
    refused(demo, "上个月单笔付了超过500块的退款有几笔")


# --- people counted over their payment types (w39o35) ---

_PAY_TYPES = (
    "SELECT count(*) FROM (SELECT o.one_id FROM orders o WHERE o.one_id IS NOT NULL AND o.paid_at"
    " >= '2018-01-01' AND o.paid_at < '2018-09-01' GROUP BY 1 HAVING count(DISTINCT"
    " o.payment_channel) >= {n})"
)


@pytest.mark.parametrize(
    ("question", "n"),
    [
        ("今年用过两种以上付款方式的买家有几个", 2),
        ("今年用过多种支付方式的买家有多少", 2),
        ("今年用过至少3种付款方式的客户数", 3),
        ("how many buyers used 2 or more payment methods this year", 2),
        ("how many customers paid with more than one payment type this year", 2),
    ],
)
def test_buyers_of_several_payment_types(olist: Workspace, question: str, n: int) -> None:
    assert number(olist, question) == sql_number(olist, _PAY_TYPES.format(n=n)), question


def test_buyers_by_payment_type_keep_their_breakdown(olist: Workspace) -> None:
    # look-alike: the buyers of each payment type (a breakdown), not a condition on people
    got = rows(olist, "今年各付款方式的买家数")
    want = sql(
        olist,
        "SELECT payment_channel, count(DISTINCT one_id) FROM orders WHERE paid_at >= '2018-01-01'"
        " AND paid_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC",
    )
    assert [tuple(r) for r in got][:3] == [tuple(r) for r in want][:3]


def test_payment_types_where_there_are_none_are_refused(retail: Workspace) -> None:
    # Online Retail has no payment type on any invoice: no data, never 0 people
    with pytest.raises(NoDataHere):
        answer(retail, "今年用过两种以上付款方式的客户有几个", "offline")


# --- orders counted on one and the same day (w39r44) ---

_ONE_DAY = (
    "SELECT count(DISTINCT one_id) FROM (SELECT o.one_id, CAST(o.paid_at AS DATE) AS day FROM"
    " orders o WHERE o.one_id IS NOT NULL AND o.paid_at >= '2011-11-01' AND o.paid_at <"
    " '2011-12-01' GROUP BY 1, 2 HAVING count(*) >= {n})"
)


@pytest.mark.parametrize(
    ("question", "n"),
    [
        ("11月有几位客户同一天里开了两张以上发票", 2),
        ("11月一天之内下了3单以上的客户有几个", 3),
        ("11月同一天买了至少两次的客户有多少", 2),
        ("how many customers had 2 or more invoices on the same day in November", 2),
    ],
)
def test_orders_on_one_day(retail: Workspace, question: str, n: int) -> None:
    assert number(retail, question) == sql_number(retail, _ONE_DAY.format(n=n)), question


def test_orders_not_on_one_day_keep_their_reading(retail: Workspace) -> None:
    # look-alikes: the orders of the month (no day said), and the same day with nothing counted
    want = sql_number(
        retail,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE one_id IS NOT NULL AND paid_at >="
        " '2011-11-01' AND paid_at < '2011-12-01' GROUP BY 1 HAVING count(*) >= 2)",
    )
    assert number(retail, "11月有几位客户开了两张以上发票") == want
    assert want > sql_number(retail, _ONE_DAY.format(n=2))
    refused(retail, "11月同一天里来过的客户有几个")


# --- every review of theirs of one score (w39o37) ---

_ALL_REVIEWS = (
    "SELECT count(*) FROM (SELECT o.one_id FROM orders o JOIN reviews r ON r.order_id = o.order_id"
    " WHERE o.one_id IS NOT NULL AND r.created_at >= '2018-01-01' AND r.created_at < '2018-09-01'"
    " GROUP BY 1 HAVING bool_and(r.score = {n}))"
)


@pytest.mark.parametrize(
    ("question", "n"),
    [
        ("今年给的评价全是5星的买家有几个", 5),
        ("今年每条评价都是5分的客户有多少", 5),
        ("今年打的评分全都是1星的买家有几个", 1),
        ("how many buyers this year whose reviews were all 5 stars", 5),
    ],
)
def test_people_whose_reviews_all_have_one_score(olist: Workspace, question: str, n: int) -> None:
    assert number(olist, question) == sql_number(olist, _ALL_REVIEWS.format(n=n)), question


def test_one_review_of_a_score_keeps_its_reading(olist: Workspace) -> None:
    # look-alike: a 5-star review given (one of them, the reviewers), more people than all-5
    want = sql_number(
        olist,
        "SELECT count(DISTINCT o.one_id) FROM reviews r JOIN orders o ON o.order_id = r.order_id"
        " WHERE r.created_at >= '2018-01-01' AND r.created_at < '2018-09-01' AND r.score = 5",
    )
    assert number(olist, "今年给过5星评价的买家有几个") == want
    assert want > sql_number(olist, _ALL_REVIEWS.format(n=5))
    # orders whose reviews are all 5 stars: not people — stays refused
    refused(olist, "今年评价全是5星的订单有几个")


# --- the people with a credit note counted per month (w39r41) ---


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("今年逐月看开过C发票的客户人数", "month"),
        ("今年每个月开过红字发票的客户数", "month"),
        ("今年按季度统计有退货单的客户人数", "quarter"),
    ],
)
def test_people_with_a_credit_note_per_month(retail: Workspace, question: str, unit: str) -> None:
    want = sql(
        retail,
        f"SELECT {unit}(o.created_at), count(DISTINCT o.one_id) FROM orders o WHERE o.raw_status ="
        " 'cancellation invoice' AND o.one_id IS NOT NULL AND o.created_at >= '2011-01-01' AND"
        " o.created_at < '2011-12-01' GROUP BY 1 ORDER BY 1",
    )
    assert [r[-1] for r in rows(retail, question)] == [r[1] for r in want], question


def test_people_with_a_credit_note_in_the_year_keep_their_reading(retail: Workspace) -> None:
    # look-alikes: no grain (the set of people, as before) and a grain with another condition
    want = sql_number(
        retail,
        "SELECT count(DISTINCT o.one_id) FROM orders o WHERE o.raw_status = 'cancellation"
        " invoice' AND o.one_id IS NOT NULL AND o.created_at >= '2011-01-01' AND o.created_at <"
        " '2011-12-01'",
    )
    assert number(retail, "今年开过C发票的客户人数") == want
    refused(retail, "今年每个月开过C发票的客户里有几个是英国的")


# --- a seller's first sale said as opening for business (w39o41) ---

_NEW_SELLERS = (
    "SELECT month(s.first_sale), count(*) FROM (SELECT i.shop_id, min(o.paid_at) AS first_sale FROM"
    " order_items i JOIN orders o ON o.order_id = i.order_id WHERE o.paid_at IS NOT NULL GROUP BY"
    " 1) s WHERE s.first_sale >= '2018-01-01' AND s.first_sale < '2018-09-01' GROUP BY 1 ORDER BY 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年逐月统计第一次开张出单的卖家数",
        "今年每月新开张出单的卖家有几个",
        "今年每月首次开张的商家数",
    ],
)
def test_sellers_opening_for_business_each_month(olist: Workspace, question: str) -> None:
    want = sql(olist, _NEW_SELLERS)
    assert [r[-1] for r in rows(olist, question)] == [r[1] for r in want], question


def test_sellers_selling_each_month_are_not_new(olist: Workspace) -> None:
    # look-alike: the sellers with a sale each month (no first sale said), many more
    got = rows(olist, "今年每月出单的卖家数")
    assert got[0][-1] > sql(olist, _NEW_SELLERS)[0][1]


# --- the span from a person's first invoice to their last (w39r21) ---

_SPAN_5 = (
    "SELECT avg(date_diff('second', t.first_paid, t.last_paid)) / 86400.0 FROM (SELECT o.one_id,"
    " min(o.paid_at) AS first_paid, max(o.paid_at) AS last_paid FROM orders o WHERE o.one_id IS NOT"
    " NULL AND o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01' GROUP BY 1 HAVING count(*)"
    " >= 5) t"
)


@pytest.mark.parametrize(
    "question",
    [
        "For customers who bought at least 5 times this year, what is the average span in days"
        " from their first to their last invoice?",
        "customers with at least 5 invoices this year: average days from their first to their"
        " last invoice",
        "customers with at least 5 invoices this year: average days from first invoice to last"
        " invoice",
        "今年买过5次以上的客户 第一张发票到最后一张发票平均隔了多少天",
    ],
)
def test_span_from_first_to_last_invoice(retail: Workspace, question: str) -> None:
    assert number(retail, question) == pytest.approx(sql_number(retail, _SPAN_5), abs=0.01)


def test_a_span_of_nothing_named_stays_refused(retail: Workspace) -> None:
    # look-alike: "span" beside no duration (the orders counted) is not placed
    refused(retail, "average span of orders this year")


# --- the categories a buyer buys across, averaged (w39o16) ---

_CATEGORIES_PER_BUYER = (
    "SELECT avg(n) FROM (SELECT o.one_id, count(DISTINCT p.category) AS n FROM order_items i JOIN"
    " orders o ON o.order_id = i.order_id JOIN products p ON p.product_id = i.product_id WHERE"
    " o.one_id IS NOT NULL AND o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01' GROUP BY 1)"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年一个买家平均会跨几个品类买东西",
        "今年每个买家平均跨多少个类目下单",
        "今年平均每个买家会跨几个品类购物",
    ],
)
def test_categories_a_buyer_buys_across(olist: Workspace, question: str) -> None:
    got = rows(olist, question)[0][0]
    assert float(got) == pytest.approx(sql_number(olist, _CATEGORIES_PER_BUYER), abs=0.005)


def test_buyers_across_two_categories_keep_their_set(olist: Workspace) -> None:
    # look-alike: a number of categories said (跨两个以上品类) is the set of people, as before
    want = sql_number(
        olist,
        "SELECT count(*) FROM (SELECT o.one_id FROM order_items i JOIN orders o ON o.order_id ="
        " i.order_id JOIN products p ON p.product_id = i.product_id WHERE o.one_id IS NOT NULL AND"
        " o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01' GROUP BY 1 HAVING"
        " count(DISTINCT p.category) >= 2)",
    )
    assert number(olist, "今年跨两个以上品类买过的买家有几个") == want
