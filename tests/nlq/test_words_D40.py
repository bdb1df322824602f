"""Words, periods, filters and measures placed in session 40 (helper D), from dev_w35's refusals: money
received said with 收 as one rule (收了多少 / 一共收了多少 = the paid amount; 收了钱 / 收到钱 / 收款的订单 =
the order paid; 运费收了多少钱 = the freight alone) beside its look-alikes (收到货, 签收: delivered;
收藏: a favourite; 收款金额: the payments' own amount), paid and held (收了钱却一直压着没发 = 付了款还没发货),
开年 (the year's start), sellers 开张出过货 (with a sale), a breakdown's verb after it (按月列一下, 按月汇总),
a named month said again with 这个月, a range said inclusive (介于 … (含)), the rows pointed at again (的
那些行), Portuguese deste ano, seller codes in stock said after them (商家编码是有货的), English "unit
count", "add up to", "that day" of one day, and the country every order of the data is in (巴西买家 on
Olist: no filter). Values against hand-written SQL; each reading beside a look-alike that keeps its
own answer or stays refused."""

from __future__ import annotations

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.offline import NotUnderstood
from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql_number

_PAID = (
    "SELECT sum(o.paid_amount) FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id"
    " WHERE o.paid_at >= '{start}' AND o.paid_at < '{end}' {more}"
)


def _paid(ws: Workspace, start: str, end: str, more: str = "") -> float:
    return sql_number(ws, _PAID.format(start=start, end=end, more=more))


def _metrics(ws: Workspace, question: str) -> tuple[str, ...]:
    return tuple(answer(ws, question, "offline").query.metrics)


# --- 收: the money taken in -------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "2018年开年到现在 总共收了多少钱",
        "今年一共收了多少",
        "今年 总共 收了 多少",
        "开年以来收了多少",
        "今年收了多少？",
    ],
)
def test_money_received_this_year(olist: Workspace, question: str) -> None:
    assert number(olist, question) == pytest.approx(_paid(olist, "2018-01-01", "2018-09-01"))


@pytest.mark.parametrize(
    "question", ["今年发到巴伊亚州(BA)的单收了多少", "今年BA的订单收了多少", "今年 BA 收了 多少"]
)
def test_money_received_of_a_place(olist: Workspace, question: str) -> None:
    want = _paid(olist, "2018-01-01", "2018-09-01", "AND coalesce(o.province, c.province) = 'BA'")
    assert number(olist, question) == pytest.approx(want)


def test_money_received_look_alikes(olist: Workspace) -> None:
    # the freight named before 收: the freight alone (was: the freight and the sales side by side)
    freight = sql_number(
        olist,
        "SELECT sum(shipping_fee) FROM orders WHERE created_at >= '2018-08-01'"
        " AND created_at < '2018-09-01'",
    )
    for q in ("8月运费收了多少钱", "8月运费一共收了多少", "8月 运费 收了 多少"):
        assert _metrics(olist, q) == ("sum_freight",), q
        assert number(olist, q) == pytest.approx(freight), q
    # delivered (收到货: 签收) and counted with another unit (收了多少单) are not the money
    assert _metrics(olist, "8月收到货的订单数") == _metrics(olist, "8月签收的订单数")
    assert "paid_gmv" not in _metrics(olist, "8月收到货的订单数")
    for q in ("8月签收了多少", "8月收了多少单", "8月没收到货的订单数"):
        refused(olist, q)


@pytest.mark.parametrize(
    "question",
    [
        "8月借记卡收款占总营业额的比重",
        "8月 借记卡 收款 占 总 销售额 多少",
        "8月借记卡收款额占销售额的几成",
    ],
)
def test_received_by_a_way_of_paying_as_a_share(olist: Workspace, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT sum(paid_amount) FILTER (WHERE payment_channel = 'debit_card') / sum(paid_amount)"
        " FROM orders WHERE paid_at >= '2018-08-01' AND paid_at < '2018-09-01'",
    )
    assert number(olist, question, -1) == pytest.approx(want, abs=1e-4)
    # look-alike: the whole said as 收款 too keeps the payments' own amount
    assert _metrics(olist, "8月借记卡收款金额占总收款金额的比重")[0] == "payment_amount"
    # the reviews received keep their count
    assert _metrics(olist, "8月收到多少条评价") == ("review_count",)


_HELD = (
    "SELECT count(*) FROM orders o WHERE o.status = 'paid' AND o.paid_at >= '2018-08-01'"
    " AND o.paid_at < '2018-09-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "8月份收了钱却一直压着没发的订单数量",
        "8月份付了款却没发货的订单数量",
        "8月 收到钱 但 还没 发货 的 订单 有 几单",
        "8月份收了钱还拖着没发的订单数",
    ],
)
def test_paid_and_held(olist: Workspace, question: str) -> None:
    assert number(olist, question) == sql_number(olist, _HELD)


def test_paid_orders_said_with_shou(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT count(*) FROM orders WHERE paid_at >= '2018-08-01' AND paid_at < '2018-09-01'",
    )
    for q in ("8月收了钱的订单有多少", "8月收到钱的订单有几单", "8月已收款的订单数"):
        assert number(olist, q) == want, q
    # look-alike: held orders are fewer than every paid order
    assert sql_number(olist, _HELD) < want


def test_received_by_alipay(demo: Workspace) -> None:
    start, end = "2025-05-01", "2025-06-01"
    want = _paid(demo, start, end, "AND o.payment_channel = 'alipay'")
    for q in (
        "上个月支付宝收款的订单金额合计",
        "上个月支付宝收了多少",
        "上个月 支付宝 一共 收了 多少",
    ):
        assert number(demo, q) == pytest.approx(want), q
    # look-alike: the payments' own amount (收款金额) keeps its metric
    assert _metrics(demo, "上个月的收款金额") == ("payment_amount",)
    # a favourite (收藏) is not money
    assert "paid_gmv" not in _metrics(demo, "上个月收藏了多少")


# --- periods ----------------------------------------------------------------------------------


def test_year_start_said_kainian(olist: Workspace) -> None:
    want = _paid(olist, "2017-01-01", "2018-09-01")
    assert number(olist, "2017年开年到现在卖了多少钱") == pytest.approx(want)
    refused(olist, "开年第一个月卖了多少钱")  # look-alike: not read as a whole year


@pytest.mark.parametrize(
    "question", ["7月这个月卖了多少钱", "7月份 这个 月 卖了 多少 钱", "7月那个月的销售额"]
)
def test_named_month_said_again(olist: Workspace, question: str) -> None:
    assert number(olist, question) == pytest.approx(_paid(olist, "2018-07-01", "2018-08-01"))


def test_named_month_said_again_demo(demo: Workspace) -> None:
    want = sql_number(
        demo,
        "SELECT sum(paid_amount) / count(*) FROM orders WHERE paid_at >= '2025-05-01'"
        " AND paid_at < '2025-06-01'",
    )
    assert number(demo, "5月这个月 平均一张订单收了多少钱") == pytest.approx(want, abs=0.01)


@pytest.mark.parametrize(
    "question",
    ["Quanto vendemos no Dia dos Pais deste ano?", "quanto vendemos no dia dos pais desse ano"],
)
def test_portuguese_this_year(olist: Workspace, question: str) -> None:
    assert number(olist, question) == pytest.approx(_paid(olist, "2018-08-12", "2018-08-13"))


def test_that_day_of_one_day(olist: Workspace) -> None:
    want = _paid(olist, "2017-11-24", "2017-11-25")
    for q in (
        "Black Friday sales last year: what did we make that day?",
        "Black Friday last year: what were sales that day?",
    ):
        assert number(olist, q) == pytest.approx(want), q
    # look-alike: a week is not one day ('day' stays unplaced)
    refused(olist, "sales last week: what did we make that day?")


# --- breakdowns, filters, measures ------------------------------------------------------------


@pytest.mark.parametrize(
    "question", ["按月列一下今年每单平均金额", "按月列出今年的客单价", "今年按月汇总一下客单价"]
)
def test_breakdown_verb_after_it(olist: Workspace, question: str) -> None:
    want = [
        (m, round(v, 2))
        for m, v in olist.run(
            "SELECT date_trunc('month', paid_at)::DATE, sum(paid_amount) / count(*) FROM orders"
            " WHERE paid_at >= '2018-01-01' AND paid_at < '2018-09-01' GROUP BY 1 ORDER BY 1",
            None,
            source="test",
        ).rows
    ]
    got = [(m, round(float(v), 2)) for m, v in rows(olist, question)]
    assert got == want


def test_breakdown_verb_look_alike(olist: Workspace) -> None:
    refused(olist, "把今年的销售额汇总一下")  # 汇总 not after a breakdown: left as it was


def test_sellers_with_a_sale_said_kaizhang(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT count(DISTINCT i.shop_id) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
        " WHERE o.paid_at >= '2018-07-01' AND o.paid_at < '2018-08-01'",
    )
    for q in (
        "7月有多少个卖家开张出过货",
        "7月 有 几个 商家 开张 卖过货",
        "7月有多少店铺开张有成交",
    ):
        assert number(olist, q) == want, q
    # look-alikes: 开张 alone may be the sellers newly opened — left as it was (refused), and
    # 新开张的卖家 keeps the new sellers
    refused(olist, "8月有几家店铺开张了")
    assert _metrics(olist, "今年新开张的卖家有几个") == ("new_sellers",)


@pytest.mark.parametrize(
    "question",
    [
        "今年 发票 金额 介于 100 和 200 镑 (含) 的 张数",
        "今年金额介于100到200镑（含）的发票有几张",
        "今年发票金额介于100和200之间(包含)的有几张",
    ],
)
def test_range_said_inclusive(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM orders WHERE paid_amount BETWEEN 100 AND 200"
        " AND paid_at >= '2011-01-01' AND paid_at < '2011-12-01'",
    )
    assert number(retail, question) == want


def test_range_said_exclusive_refused(retail: Workspace) -> None:
    refused(retail, "今年金额介于100和200镑（不含）的发票有几张")


@pytest.mark.parametrize(
    "question",
    ["今年单行数量超过100件的那些行 一共卖了多少钱", "今年数量超过100件的这些行卖了多少钱"],
)
def test_rows_pointed_at_again(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT sum(i.paid_amount) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
        " WHERE i.quantity > 100 AND o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01'",
    )
    assert number(retail, question) == pytest.approx(want)


@pytest.mark.parametrize(
    "question",
    [
        "What was the July unit count for the pet_shop category?",
        "pet_shop unit count in july",
    ],
)
def test_unit_count(olist: Workspace, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
        " JOIN products p ON p.product_id = i.product_id WHERE p.category = 'pet_shop'"
        " AND o.paid_at >= '2018-07-01' AND o.paid_at < '2018-08-01'",
    )
    assert number(olist, question) == want
    # look-alike: the unit price stays the price
    assert _metrics(olist, "what was the average unit price in july") != ("units",)


def test_add_up_to(retail: Workspace) -> None:
    want = number(retail, "refunds of C invoices in October")
    for q in (
        "In October, what did the C invoices add up to in refunds?",
        "what did refunds from C invoices add up to in october",
    ):
        assert number(retail, q) == pytest.approx(want), q
    # look-alike: a bound after it is not the total
    refused(retail, "How many invoices added up to more than 100 in October?")


_STOCK = (
    "SELECT count(DISTINCT outer_code) FROM (SELECT outer_code, warehouse, on_hand FROM inventory"
    " QUALIFY row_number() OVER (PARTITION BY outer_code, warehouse ORDER BY as_of DESC) = 1)"
    " WHERE warehouse LIKE '%{place}%' AND on_hand > 0"
)


def test_codes_in_stock_said_after(demo: Workspace) -> None:
    for q, place in (
        ("东莞 仓 现在 有 几 个 商家编码 是 有 货 的", "东莞"),
        ("东莞仓现在有货的商家编码有几个", "东莞"),
        ("嘉兴仓有几个SKU是有库存的", "嘉兴"),
    ):
        assert number(demo, q) == sql_number(demo, _STOCK.format(place=place)), q


def test_codes_in_stock_without_stock_data(olist: Workspace) -> None:
    """No stock data: the refusal names what is missing."""
    e = refused(olist, "现在有几个商家编码是有货的")
    assert "库存" in str(e)


# --- the country of all the data --------------------------------------------------------------


def test_country_of_all_the_data(olist: Workspace) -> None:
    want = _paid(olist, "2017-12-25", "2017-12-26")
    assert number(olist, "去年圣诞当天 巴西买家付了多少钱", -1) == pytest.approx(want)
    assert number(olist, "去年圣诞当天 巴西 的 销售额") == pytest.approx(want)
    year = _paid(olist, "2017-01-01", "2018-01-01")
    assert number(olist, "sales to brazilian customers last year") == pytest.approx(year)
    # look-alikes: another country, or Brazil said with a negation, stay refused
    for q in ("去年美国买家付了多少钱", "去年非巴西买家付了多少钱", "去年巴西以外的买家付了多少钱"):
        refused(olist, q)


def test_country_stored_is_a_filter(retail: Workspace) -> None:
    """Online Retail stores countries: a country named is a filter as before, never all the data."""
    want = sql_number(retail, "SELECT sum(paid_amount) FROM orders WHERE country = 'Germany'")
    assert number(retail, "德国客户买了多少钱") == pytest.approx(want)
    total = sql_number(retail, "SELECT sum(paid_amount) FROM orders")
    try:
        brazil = number(retail, "巴西客户买了多少钱")
    except NotUnderstood:
        return  # not stored in this workspace: refused, fine
    assert brazil < total
