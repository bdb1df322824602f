"""Measures, rankings and comparisons said in everyday words (session 44, helper B). Values against
hand-written SQL (as the blind dev set W39 writes them); each reading beside a look-alike that keeps
its own answer or stays refused."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql, sql_number

# --- the refunds of some orders: their money, not the refunded orders counted (w39d06) ---

_REFUNDS = (
    "SELECT coalesce(sum(e.amount), 0) FROM (SELECT r.order_id, r.amount, coalesce(r.finished_at,"
    " r.requested_at, o.paid_at, o.created_at) AS refunded_at FROM refunds r LEFT JOIN orders o ON"
    " o.order_id = r.order_id WHERE r.status IS NULL OR lower(r.status) = 'success' UNION ALL SELECT"
    " o.order_id, o.refund_amount, coalesce(o.paid_at, o.created_at) FROM orders o WHERE"
    " o.refund_amount <> 0 AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.order_id))"
    " e JOIN orders o ON o.order_id = e.order_id WHERE o.platform = 'tmall' AND e.refunded_at >="
    " '2025-05-01' AND e.refunded_at < '2025-06-01'"
)
_REFUNDED_ORDERS = (
    "SELECT count(DISTINCT e.order_id) FROM (SELECT r.order_id, r.amount FROM refunds r WHERE"
    " r.status IS NULL OR lower(r.status) = 'success' UNION ALL SELECT o.order_id, o.refund_amount"
    " FROM orders o WHERE o.refund_amount <> 0 AND NOT EXISTS (SELECT 1 FROM refunds r WHERE"
    " r.order_id = o.order_id)) e JOIN orders o ON o.order_id = e.order_id WHERE e.amount > 0 AND"
    " o.platform = 'tmall' AND o.paid_at >= '2025-05-01' AND o.paid_at < '2025-06-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "Total refunds on Tmall orders last month?",
        "What were the refunds on Tmall orders last month?",
        "total refunds for Tmall orders last month",
        "上个月天猫订单退款总额",
        "上个月天猫订单的退款一共多少",
    ],
)
def test_refunds_of_orders_are_money(demo: Workspace, question: str) -> None:
    assert number(demo, question) == pytest.approx(sql_number(demo, _REFUNDS))


@pytest.mark.parametrize(
    "question",
    [
        "How many Tmall orders had refunds last month?",
        "Tmall orders with refunds last month",
        "上个月天猫有多少订单退款",
    ],
)
def test_orders_with_refunds_stay_counted(demo: Workspace, question: str) -> None:
    # look-alike: the orders counted, the refund their condition
    assert number(demo, question) == sql_number(demo, _REFUNDED_ORDERS)


def test_refunds_of_orders_placed_in_a_period_are_refused(demo: Workspace) -> None:
    # look-alike: the period is the orders' — which refunds is not said
    assert refused(demo, "total refunds on Tmall orders placed last month")


# --- the orders' average amount said loosely: 单均, an average invoice (w39d10, w39r12, w39o25) ---

_AOV_BY = (
    "SELECT {dim}, sum(o.paid_amount) / count(*) FROM orders o {join} WHERE o.paid_at >= '{a}' AND"
    " o.paid_at < '{b}' {where} GROUP BY 1 {having} ORDER BY 2 {order}"
)


@pytest.mark.parametrize(
    "question",
    [
        "上个月天猫跟京东比 哪家单均高",
        "上个月天猫和京东 单均 谁高",
        "上个月天猫跟京东比 哪家客单价高",
    ],
)
def test_two_platforms_by_their_order_average(demo: Workspace, question: str) -> None:
    want = sql(
        demo,
        _AOV_BY.format(
            dim="o.platform",
            join="",
            a="2025-05-01",
            b="2025-06-01",
            where="AND o.platform IN ('tmall', 'jd')",
            having="",
            order="DESC",
        ),
    )
    got = rows(demo, question)
    assert [(r[0], pytest.approx(float(r[1]), abs=0.01)) for r in got] == [
        (r[0], float(r[1])) for r in want
    ]


def test_which_one_alone_stays_unplaced(demo: Workspace) -> None:
    # look-alike: 哪家 with no values named says no kind of thing ranked (not the products)
    assert "哪家" in " ".join(refused(demo, "上个月哪家卖得最多").unknown)


def test_order_average_word_keeps_other_measures(demo: Workspace) -> None:
    # look-alike: 单均件数 is the pieces per order, not 客单价
    want = sql_number(
        demo,
        "SELECT sum(u) * 1.0 / count(*) FROM (SELECT o.order_id, sum(i.quantity) AS u FROM orders o"
        " JOIN order_items i ON i.order_id = o.order_id WHERE o.paid_at >= '2025-05-01' AND"
        " o.paid_at < '2025-06-01' AND o.platform = 'tmall' GROUP BY 1)",
    )
    assert number(demo, "上个月天猫单均件数") == pytest.approx(want, rel=0.02)


@pytest.mark.parametrize(
    "question",
    [
        "Belgium or Switzerland: which had the bigger average invoice this year?",
        "Belgium vs Switzerland average invoice this year",
        "比利时和瑞士今年哪个单均高",
    ],
)
def test_average_invoice_is_its_value(retail: Workspace, question: str) -> None:
    want = sql(
        retail,
        _AOV_BY.format(
            dim="o.country",
            join="",
            a="2011-01-01",
            b="2011-12-01",
            where="AND o.country IN ('Belgium', 'Switzerland')",
            having="",
            order="DESC",
        ),
    )
    got = rows(retail, question)
    assert [r[0] for r in got] == [r[0] for r in want]
    assert float(got[0][1]) == pytest.approx(float(want[0][1]), abs=0.01)


def test_average_invoice_per_customer_keeps_its_reading(retail: Workspace) -> None:
    # look-alike: invoices per customer, not the invoice value
    want = sql_number(
        retail,
        "SELECT count(*) * 1.0 / count(DISTINCT one_id) FROM orders WHERE paid_at >= '2011-01-01'"
        " AND paid_at < '2011-12-01' AND one_id IS NOT NULL",
    )
    assert number(retail, "average invoice per customer this year") == pytest.approx(want, rel=0.01)


@pytest.mark.parametrize(
    "question",
    [
        "今年单均最低的是哪个州 付款单满100单的才算",
        "今年哪个州客单价最低 满100单以上的才算",
        "今年单均最低的州（至少100单）",
    ],
)
def test_lowest_order_average_of_states_over_a_floor(olist: Workspace, question: str) -> None:
    want = sql(
        olist,
        _AOV_BY.format(
            dim="c.province",
            join="JOIN customers c ON c.customer_id = o.customer_id",
            a="2018-01-01",
            b="2018-09-01",
            where="",
            having="HAVING count(*) >= 100",
            order="ASC LIMIT 1",
        ),
    )
    got = rows(olist, question)
    assert got[0][0] == want[0][0]
    assert float(got[0][1]) == pytest.approx(float(want[0][1]), abs=0.01)


# --- a rate glued to its comparative (w39o11) ---


@pytest.mark.parametrize(
    "question", ["7月和8月哪个月的取消率高", "7月和8月哪个月取消率更高", "7月和8月的取消率哪个高"]
)
def test_two_months_cancel_rate(olist: Workspace, question: str) -> None:
    want = {
        r[0]: float(r[1])
        for r in sql(
            olist,
            "SELECT month(created_at), count(*) FILTER (WHERE status = 'cancelled') * 1.0 /"
            " count(*) FROM orders WHERE created_at >= '2018-07-01' AND created_at < '2018-09-01'"
            " GROUP BY 1",
        )
    }
    got = rows(olist, question)
    assert len(got) == 2
    assert sorted(float(r[-1]) for r in got) == pytest.approx(sorted(want.values()), abs=1e-4)


# --- the smallest non-zero invoice (w39r06) ---

_MIN_NON_ZERO = (
    "SELECT min(paid_amount) FROM orders WHERE paid_amount > 0 AND paid_at >= '2011-10-01' AND"
    " paid_at < '2011-11-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "What was the smallest non-zero invoice paid in October?",
        "lowest nonzero invoice in October",
        "10月非零的发票里金额最小的是多少",
        "10月金额最小的非0发票",
    ],
)
def test_smallest_non_zero_invoice(retail: Workspace, question: str) -> None:
    assert number(retail, question) == pytest.approx(sql_number(retail, _MIN_NON_ZERO))


def test_smallest_invoice_keeps_the_zeros(retail: Workspace) -> None:
    # look-alike: no non-zero said — the smallest is 0
    want = sql_number(
        retail,
        "SELECT min(paid_amount) FROM orders WHERE paid_at >= '2011-10-01' AND paid_at < '2011-11-01'",
    )
    assert number(retail, "What was the smallest invoice paid in October?") == want


# --- the freight said to come in (w39o05) ---

_FREIGHT = (
    "SELECT sum(shipping_fee) FROM orders WHERE created_at >= '2018-01-01' AND created_at <"
    " '2018-09-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年1到8月一共进来多少运费",
        "今年1到8月一共进了多少运费",
        "今年1到8月进来的运费一共多少",
        "今年1到8月运费一共进来多少",
    ],
)
def test_freight_come_in(olist: Workspace, question: str) -> None:
    assert number(olist, question) == pytest.approx(sql_number(olist, _FREIGHT))


def test_money_come_in_stays_the_sales(olist: Workspace) -> None:
    # look-alike: 进了多少钱 is the sales, not the freight
    want = sql_number(
        olist,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2018-01-01' AND paid_at <"
        " '2018-09-01'",
    )
    assert number(olist, "今年1到8月进了多少钱") == pytest.approx(want)


# --- goods counted by 样 (w39r23) ---

_TOP_UNITS = (
    "SELECT coalesce(i.spu_id, i.product_id), sum(i.quantity) FROM order_items i JOIN orders o ON"
    " o.order_id = i.order_id WHERE i.product_id IS NOT NULL AND o.paid_at >= '2011-10-01' AND"
    " o.paid_at < '2011-11-01' GROUP BY 1 ORDER BY 2 DESC LIMIT {n}"
)


@pytest.mark.parametrize(
    ("question", "n"),
    [
        ("10月走量最大的3样货（按件）", 3),
        ("10月卖得最多的五样东西", 5),
        ("10月销量最高的3样商品", 3),
    ],
)
def test_goods_counted_by_yang(retail: Workspace, question: str, n: int) -> None:
    want = sql(retail, _TOP_UNITS.format(n=n))
    got = rows(retail, question)
    assert [(str(r[0]), float(r[-1])) for r in got] == [(str(r[0]), float(r[1])) for r in want]


# --- different goods said as 品种, goods sold said as 卖掉的货 (w39r02) ---

_KINDS_SOLD = (
    "SELECT count(DISTINCT coalesce(i.spu_id, i.product_id)) FROM order_items i JOIN orders o ON"
    " o.order_id = i.order_id WHERE i.product_id IS NOT NULL AND o.paid_at >= '2011-11-01' AND"
    " o.paid_at < '2011-12-01'"
)


@pytest.mark.parametrize(
    "question",
    ["11月卖掉的货里一共涉及多少个不同品种", "11月卖出了几个品种", "11月一共卖了多少种不同的品种"],
)
def test_kinds_of_goods_sold(retail: Workspace, question: str) -> None:
    assert number(retail, question) == sql_number(retail, _KINDS_SOLD)


def test_goods_sold_said_with_diao_keep_units(retail: Workspace) -> None:
    # look-alike: 卖掉的货 counted in pieces stays the pieces
    want = sql_number(
        retail,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id WHERE"
        " o.paid_at >= '2011-11-01' AND o.paid_at < '2011-12-01'",
    )
    assert number(retail, "11月卖掉的货一共多少件") == want


# --- cheap goods restating their price bound (w39r31) ---

_CHEAP_SHARE = (
    "SELECT sum(i.quantity) FILTER (WHERE i.unit_price < 2) * 1.0 / sum(i.quantity) FROM"
    " order_items i JOIN orders o ON o.order_id = i.order_id WHERE o.paid_at >= '2011-01-01' AND"
    " o.paid_at < '2011-12-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年卖出去的件数里单价不到2镑的便宜货占多少比例",
        "今年卖出的件数里 单价低于2镑的便宜东西占几成",
        "今年卖出去的件数里单价不到2镑的占多少比例",
    ],
)
def test_cheap_goods_share_of_units(retail: Workspace, question: str) -> None:
    assert number(retail, question, -1) == pytest.approx(sql_number(retail, _CHEAP_SHARE), abs=1e-3)


def test_goods_over_a_price_named_per_product_stay_refused(retail: Workspace) -> None:
    # look-alike: 的商品 after the bound asks per product — too many rows for one number
    assert refused(retail, "今年卖出去的件数里单价不到2镑的商品占多少比例")


# --- goods sent back ranked by their pieces (w39r24) ---


@pytest.mark.parametrize(
    "question",
    [
        "Which customer sent back the most units this year?",
        "Which customer returned the most units this year?",
        "今年哪个客户退回的件数最多",
    ],
)
def test_customer_who_sent_back_most_units(retail: Workspace, question: str) -> None:
    want = sql(
        retail,
        "SELECT o.one_id, sum(-i.quantity) FROM order_items i JOIN orders o ON o.order_id ="
        " i.order_id WHERE o.raw_status = 'cancellation invoice' AND o.one_id IS NOT NULL AND"
        " i.product_id IS NOT NULL AND o.created_at >= '2011-01-01' AND o.created_at <"
        " '2011-12-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    got = rows(retail, question)
    assert got[0][0] == want[0][0]
    assert float(got[0][-1]) == float(want[0][1])


def test_customer_who_bought_most_units_keeps_its_reading(retail: Workspace) -> None:
    # look-alike: bought, not sent back
    got = rows(retail, "Which customer bought the most units this year?")
    want = sql(
        retail,
        "SELECT o.one_id, sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id ="
        " i.order_id WHERE o.one_id IS NOT NULL AND o.paid_at >= '2011-01-01' AND o.paid_at <"
        " '2011-12-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    assert got[0][0] == want[0][0]


def test_freight_not_zero_keeps_its_own_threshold(demo: Workspace) -> None:
    # look-alike: 运费不是0 names the freight, not the orders' amount
    want = sql_number(
        demo,
        "SELECT count(*) FROM orders WHERE shipping_fee <> 0 AND created_at >= '2025-05-01' AND"
        " created_at < '2025-06-01'",
    )
    assert number(demo, "上个月运费不是0的订单有几单") == want


# --- reputation said as 口碑, the ranking's measure said again (w39o22) ---

_SELLER_SCORES = (
    "SELECT s.shop_id, avg(s.score) FROM (SELECT DISTINCT r.review_id, i.shop_id, r.score FROM"
    " reviews r JOIN order_items i ON i.order_id = r.order_id WHERE r.created_at >= '2018-01-01'"
    " AND r.created_at < '2018-09-01') s GROUP BY 1 HAVING count(*) >= 50 ORDER BY 2 {order},"
    " 1 LIMIT {n}"
)


@pytest.mark.parametrize(
    ("question", "order", "n"),
    [
        ("今年口碑最差的5个卖家 按平均分排（起码50条评价）", "ASC", 5),
        ("今年口碑最差的卖家是哪个 至少50条评价", "ASC", 1),
        ("今年口碑最好的5个卖家（至少50条评价）", "DESC", 5),
        ("今年评分最低的5个卖家 按平均评分排序 至少50条评价", "ASC", 5),
    ],
)
def test_sellers_by_reputation(olist: Workspace, question: str, order: str, n: int) -> None:
    want = sql(olist, _SELLER_SCORES.format(order=order, n=n))
    got = rows(olist, question)
    assert [float(r[1]) for r in got] == pytest.approx([float(r[1]) for r in want], abs=0.01)


# --- one count of orders over a narrower one: refused, never 1.0 (found beside w39o17) ---


@pytest.mark.parametrize(
    "question",
    [
        "8月取消订单数和支付订单数之比",
        "cancelled orders divided by paid orders in August",
        "8月订单数和支付订单数之比",
    ],
)
def test_orders_over_a_narrower_count_refused(olist: Workspace, question: str) -> None:
    assert refused(olist, question)


def test_paid_orders_over_orders_keeps_its_reading(olist: Workspace) -> None:
    # look-alike: the part narrower than the whole — the share of August's orders that were paid
    got = rows(olist, "8月支付订单数和订单数之比")
    want = sql(
        olist,
        "SELECT count(*) FILTER (WHERE paid_at IS NOT NULL), count(*) FROM orders WHERE"
        " created_at >= '2018-08-01' AND created_at < '2018-09-01'",
    )
    assert (int(got[0][0]), int(got[0][1])) == (int(want[0][0]), int(want[0][1]))


# --- one amount said to equal a part of another (w39d18) ---

_DISCOUNT_PCT = (
    "SELECT sum(discount_amount) * 100.0 / sum(goods_amount) FROM orders WHERE created_at >="
    " '2025-05-01' AND created_at < '2025-06-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "上个月订单的优惠金额相当于商品原价的百分之几",
        "上个月优惠金额等于商品金额的百分之多少",
        "上个月优惠金额是商品原价的百分之几",
    ],
)
def test_discount_as_a_part_of_list_price(demo: Workspace, question: str) -> None:
    got = rows(demo, question)[0]
    assert float(got[2]) == pytest.approx(sql_number(demo, _DISCOUNT_PCT), abs=0.01)


def test_times_said_with_xiangdangyu_keeps_its_reading(demo: Workspace) -> None:
    # look-alike: 相当于…的几倍 stays A / B of two values
    got = rows(demo, "上个月天猫的销售额相当于京东的几倍")
    assert got[0][0] == "tmall" and got[0][2] == "jd"
