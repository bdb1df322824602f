"""Everyday questions the offline engine refused for one word it did not place (issue 11, session
33, helper R): the word now read by a class of spoken forms (catalog/default/languages.yaml, spoken
Chinese patterns, "session 33"), values against hand-written SQL, each beside a look-alike that
keeps its own answer or is refused.

- the returned pieces said with the return verb: 被退回来 件数, 退回来的件数, 退回来多少件货 =
  退回件数 (returned_units);
- the pieces sold with no verb or a spoken one at the end: 一共多少件, 总共走了多少件, 的有多少件 =
  一共卖了多少件 (units) — never of stock, returns, one order or an average;
- the buyers' place said as where the goods go: 收货地在上海市的订单 = 上海市的订单;
- a list of people asked: 客户名单, 前5个客户 编号和金额 (the rows are the people), 拉个表 at the end;
- 单里 后来用中通发货的 = 单里 用中通发货的; 来买过货的客户 = 买过东西的客户; 一张发票开多少钱.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.nlq.helpers import number, refused, rows, sql, sql_number

RETAIL_2011 = "o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01'"
RETURNS = (
    "SELECT {cols} sum(-i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
    "WHERE o.raw_status = 'cancellation invoice' AND o.created_at >= '{a}' AND o.created_at < '{b}' {where}"
)

# -- returned pieces ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    ["上个月 被退回来 件数 是 多少", "上个月退回来的件数", "上个月 退回来 多少件货"],
)
def test_returned_pieces_said_with_the_verb(retail: Any, question: str) -> None:
    gold = sql_number(retail, RETURNS.format(cols="", a="2011-11-01", b="2011-12-01", where=""))
    assert number(retail, question) == pytest.approx(gold), question


def test_returned_pieces_top_product_and_a_share(retail: Any) -> None:
    gold = sql(
        retail,
        RETURNS.format(
            cols="coalesce(i.spu_id, i.product_id),",
            a="2011-11-01",
            b="2011-12-01",
            where="AND i.product_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
        ),
    )
    got = rows(retail, "上个月 被退回来 件数 最多 的 是 哪个 商品")
    assert got[0][0] == gold[0][0] and float(got[0][-1]) == pytest.approx(float(gold[0][1]))
    part = sql_number(
        retail,
        RETURNS.format(cols="", a="2011-01-01", b="2011-12-01", where="AND o.country = 'Germany'"),
    )
    whole = sql_number(retail, RETURNS.format(cols="", a="2011-01-01", b="2011-12-01", where=""))
    share = number(retail, "今年退回来的件数里德国占几成", -1)
    assert share == pytest.approx(part / whole, abs=1e-4)  # shown to 4 places


def test_returned_orders_said_with_the_verb_stay_unread(retail: Any) -> None:
    # 退回来 多少单: the return orders, not the pieces — not read as pieces (left refused)
    refused(retail, "上个月 退回来 多少单")


# -- pieces sold, no verb -------------------------------------------------------------------------

OLIST_UNITS = (
    "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id {join} "
    "WHERE o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01' AND {where}"
)


def test_pieces_counted_at_the_end(olist: Any) -> None:
    gold = sql_number(
        olist,
        OLIST_UNITS.format(
            join="JOIN shops s ON s.shop_id = i.shop_id",
            where="s.province = 'SP' AND i.unit_price BETWEEN 50 AND 100",
        ),
    )
    q = "今年SP州卖家卖出去的 单价在50到100之间的商品 一共多少件"
    assert number(olist, q) == pytest.approx(gold)
    gold = sql_number(
        olist,
        OLIST_UNITS.format(
            join="JOIN products p ON p.product_id = i.product_id "
            "JOIN customers c ON c.customer_id = o.customer_id",
            where="c.province = 'RJ' AND p.category = 'relogios_presentes' AND i.unit_price > 200",
        ),
    )
    q = "今年RJ州的买家买的relogios_presentes里 单价超过200的有多少件"
    assert number(olist, q) == pytest.approx(gold)


def test_pieces_of_stock_returns_or_one_order_are_not_sales(demo: Any, retail: Any) -> None:
    # stock keeps its own reading (inventory_on_hand), not the pieces sold
    assert number(demo, "现在库存还有多少件") == number(demo, "现在库存数量")
    refused(demo, "上个月最贵的那单有几件")
    refused(retail, "上个月 退货单 一共有多少件")


# -- the ship-to place, a list of people, a table --------------------------------------------------

DEMO_LAST_MONTH = (
    "o.created_at >= date_trunc('month', DATE '{today}') - INTERVAL 1 MONTH "
    "AND o.created_at < date_trunc('month', DATE '{today}')"
)


def test_ship_to_place_is_the_province(demo: Any) -> None:
    today = demo.today.isoformat()
    for province in ("上海市", "广东省"):
        gold = sql_number(
            demo,
            f"SELECT count(*) FROM orders o WHERE o.province = '{province}' AND "
            + DEMO_LAST_MONTH.format(today=today),
        )
        assert number(demo, f"上个月收货地在{province}的订单有几单") == gold, province
    assert number(demo, "上个月收货地在上海市的订单有几单") != number(
        demo, "上个月收货地在广东省的订单有几单"
    )


def test_a_list_of_customers_is_the_top_customers(retail: Any) -> None:
    gold = sql(
        retail,
        "SELECT o.one_id, sum(o.paid_amount) FROM orders o WHERE o.one_id IS NOT NULL "
        f"AND {RETAIL_2011} GROUP BY 1 ORDER BY 2 DESC LIMIT 10",
    )
    got = rows(retail, "今年消费金额排前十的客户名单")
    assert got == rows(retail, "今年消费金额排前十的客户")
    assert [float(r[3]) for r in got] == pytest.approx([float(r[1]) for r in gold])  # 支付金额
    five = rows(retail, "上个月买得最多的前5个客户 编号和金额")
    assert len(five) == 5
    # the look-alike: the top products, not the customers
    products = rows(retail, "今年消费金额排前十的商品")
    assert [float(r[-1]) for r in products][:1] != pytest.approx([float(gold[0][1])])


def test_a_table_asked_at_the_end(demo: Any) -> None:
    said = rows(demo, "今年 退款金额 按 平台 拉 个 表")
    assert said == rows(demo, "今年 退款金额 按 平台")
    assert said != rows(demo, "今年 退款金额 按 月份 拉个表")


# -- 后来, 买过货, 发票开多少钱 ---------------------------------------------------------------------


def test_later_shipped_among_paid_orders(demo: Any) -> None:
    gold = sql_number(
        demo,
        "SELECT count(*) FROM orders o WHERE o.carrier = 'zto' AND o.shipped_at IS NOT NULL "
        "AND o.paid_at >= '2024-11-11' AND o.paid_at < '2024-11-12'",
    )
    assert number(demo, "去年双十一付款的单里 后来用中通发货的有几单") == gold
    assert number(demo, "去年双十一付款的单里 后来用顺丰发货的有几单") != gold


def test_bought_goods_and_an_invoice_made_out(retail: Any) -> None:
    buyers = sql_number(
        retail,
        f"SELECT count(DISTINCT o.one_id) FROM orders o WHERE o.one_id IS NOT NULL AND {RETAIL_2011}",
    )
    assert number(retail, "今年一共有多少个不同的客户来买过货") == buyers
    aov = sql_number(
        retail, f"SELECT sum(o.paid_amount) / count(*) FROM orders o WHERE {RETAIL_2011}"
    )
    assert number(retail, "今年 平均 一张 发票 开 多少钱") == pytest.approx(aov, abs=0.01)
    # 退过货 is a return, not goods bought: never read as 买过东西
    assert number(retail, "今年一共有多少个客户退过货") < buyers


# -- spend per buyer, 一单花得最多, a month of two years, the busiest days, unpaid in English ---------

OLIST_2018 = "o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'"


def test_spend_spread_over_each_buyer(olist: Any) -> None:
    gold = sql_number(
        olist,
        "SELECT sum(o.paid_amount) / count(DISTINCT o.one_id) FROM orders o "
        f"WHERE o.one_id IS NOT NULL AND {OLIST_2018}",
    )
    assert number(olist, "今年 摊到 每个 买家 头上 平均 花了 多少") == pytest.approx(gold, abs=0.01)


def test_what_one_order_spent_ranked_by_month(olist: Any) -> None:
    by_month = (
        "SELECT month(o.paid_at), sum(o.paid_amount) / count(*) FROM orders o "
        f"WHERE {OLIST_2018} GROUP BY 1 ORDER BY 2 {{}} LIMIT 1"
    )
    top, bottom = sql(olist, by_month.format("DESC"))[0], sql(olist, by_month.format("ASC"))[0]
    assert number(olist, "今年哪个月份大家一单花得最多", -1) == pytest.approx(
        float(top[1]), abs=0.01
    )
    assert number(olist, "今年哪个月份大家一单花得最少", -1) == pytest.approx(
        float(bottom[1]), abs=0.01
    )


def test_one_month_of_two_years(olist: Any) -> None:
    gold = sql(
        olist,
        "SELECT year(o.paid_at), sum(o.paid_amount) FROM orders o WHERE (o.paid_at >= '2017-07-01' "
        "AND o.paid_at < '2017-08-01') OR (o.paid_at >= '2018-07-01' AND o.paid_at < '2018-08-01') "
        "GROUP BY 1 ORDER BY 1",
    )
    got = rows(olist, "7月份 的 销售额 今年 和 去年 各是 多少")  # month, paid_gmv, change
    assert [float(r[1]) for r in got] == pytest.approx([float(r[1]) for r in gold], abs=0.01)
    # another month keeps its own figures
    other = rows(olist, "6月份 的 销售额 今年 和 去年 各是 多少")
    assert other != rows(olist, "7月份 的 销售额 今年 和 去年 各是 多少")


def test_the_busiest_days(demo: Any) -> None:
    top = (
        "SELECT CAST(o.paid_at AS DATE), sum(o.paid_amount) FROM orders o WHERE o.paid_at >= "
        "'2025-01-01' AND o.paid_at < '2025-06-01' GROUP BY 1 ORDER BY 2 {} LIMIT 5"
    )
    for said, order in (("最旺", "DESC"), ("最淡", "ASC")):
        gold = sql(demo, top.format(order))
        got = rows(demo, f"今年{said}的5天是哪几天")
        assert [float(r[-1]) for r in got] == pytest.approx([float(r[1]) for r in gold]), said


def test_orders_left_unpaid_in_english(olist: Any) -> None:
    placed = "o.created_at >= '2018-01-01' AND o.created_at < '2018-09-01'"
    gold = sql_number(olist, f"SELECT count(*) FROM orders o WHERE o.paid_at IS NULL AND {placed}")
    # the orders placed are shown beside (the word orders is read too): the unpaid ones are last
    assert number(olist, "How many orders placed this year never got paid?", -1) == gold
    assert number(olist, "This year, how many orders were placed but left unpaid?", -1) == gold
    assert number(olist, "How many orders were placed this year?") == sql_number(
        olist, f"SELECT count(*) FROM orders o WHERE {placed}"
    )


# -- each seller's states averaged, a group of values as the part of a share, 卖出去的钱 ------------


def test_states_each_seller_sold_to_averaged(olist: Any) -> None:
    per_seller = (
        "SELECT i.shop_id, count(DISTINCT c.province) AS n FROM order_items i JOIN orders o "
        "ON o.order_id = i.order_id JOIN customers c ON c.customer_id = o.customer_id "
        f"WHERE {OLIST_2018} GROUP BY 1"
    )
    gold = sql_number(olist, f"SELECT avg(n) FROM ({per_seller})")
    assert number(olist, "今年每个卖家平均卖到了几个州") == pytest.approx(gold, abs=0.005)
    # the look-alike: the sellers counted whose states reach 10 or more
    many = sql_number(olist, f"SELECT count(*) FROM ({per_seller}) WHERE n >= 10")
    assert number(olist, "今年卖到10个以上州的卖家有几个") == many


def test_a_group_of_values_as_the_part_of_a_share(olist: Any, retail: Any) -> None:
    items = (
        "SELECT sum(i.paid_amount) {f} FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "LEFT JOIN products p ON p.product_id = i.product_id "
        "WHERE o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01'"
    )
    gold = sql_number(olist, items.format(f="FILTER (WHERE p.category LIKE 'moveis_%')"))
    gold /= sql_number(olist, items.format(f=""))
    for q in ("上个月 卖出去 的 钱 里 家具类 占 多少", "上个月 销售额 里 家具 占 多少"):
        assert number(olist, q, -1) == pytest.approx(gold, abs=1e-4), q
    # one value of the whole named beside the part: no part, refused as before
    refused(olist, "上个月 SP的销售额 里 RJ 占 多少")


def test_goods_sold_said_with_the_verb_stay_unread(olist: Any) -> None:
    """卖出去的东西 = 卖的 read 卖出去的东西平均单价 (every paid line's, test_retail_r10) as another
    figure: taken back by the lead at the merge, refused as before."""
    refused(olist, "今年PR州卖家卖出去的东西 平均每单多少钱")


# -- states said short in Chinese, 'actually' ------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "state"), [("米纳斯", "MG"), ("里约州", "RJ"), ("南大河州", "RS")]
)
def test_states_said_short_in_chinese(olist: Any, said: str, state: str) -> None:
    gold = sql_number(
        olist,
        "SELECT count(*) FROM orders o JOIN customers c ON c.customer_id = o.customer_id "
        f"WHERE c.province = '{state}' AND o.created_at >= '2018-08-01' "
        "AND o.created_at < '2018-09-01'",
    )
    assert number(olist, f"8月份{said}那边的订单几单") == gold, said


def test_actually_is_an_emphasis(olist: Any) -> None:
    gold = sql_number(
        olist,
        "SELECT count(DISTINCT coalesce(i.spu_id, i.product_id)) FROM order_items i JOIN orders o "
        "ON o.order_id = i.order_id WHERE o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01'",
    )
    assert number(olist, "How many different products did we actually sell in August?") == gold
    assert number(olist, "How many different products did we actually sell in July?") != gold


# -- the peak hour, 同期 of another year, a payment that arrives -----------------------------------

AUGUST = "{c} >= '2018-08-01' AND {c} < '2018-09-01'"


def test_the_peak_hour_of_payments_and_of_orders(olist: Any) -> None:
    peak = "SELECT hour({c}), count(*) FROM orders o WHERE {w} GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
    paid = sql(olist, peak.format(c="o.paid_at", w=AUGUST.format(c="o.paid_at")))[0]
    got = rows(olist, "8月 的 付款 高峰 一般 在 几点")[0]
    assert (int(got[0]), int(got[-1])) == (int(paid[0]), int(paid[1]))
    placed = sql(olist, peak.format(c="o.created_at", w=AUGUST.format(c="o.created_at")))[0]
    got = rows(olist, "8月 的 下单 高峰 一般 在 几点")[0]
    assert (int(got[0]), int(got[-1])) == (int(placed[0]), int(placed[1]))


@pytest.mark.parametrize(("said", "end"), [("前8个月", "09-01"), ("上半年", "07-01")])
def test_the_same_part_of_another_year(olist: Any, said: str, end: str) -> None:
    year = "SELECT sum(o.paid_amount) FROM orders o WHERE o.paid_at >= '{y}-01-01' AND o.paid_at < '{y}-{e}'"
    gold = sql_number(olist, year.format(y=2018, e=end)) / sql_number(
        olist, year.format(y=2017, e=end)
    )
    got = number(olist, f"2018年{said}的销售额是2017年同期的几倍", -1)  # the ratio, last
    assert got == pytest.approx(gold, abs=1e-4), said


def test_a_payment_that_arrives(olist: Any) -> None:
    hours = (
        "SELECT avg(epoch(o.paid_at - o.created_at) / 3600.0) FROM orders o WHERE "
        "o.payment_channel = '{p}' AND o.paid_at IS NOT NULL AND o.created_at >= '2018-01-01' "
        "AND o.created_at < '2018-09-01'"
    )
    gold = sql_number(olist, hours.format(p="boleto"))
    assert number(olist, "boleto付的单今年平均要等多少小时才到账") == pytest.approx(gold, abs=0.01)
    card = number(olist, "信用卡付的单今年平均要等多少小时才到账")
    assert card == pytest.approx(sql_number(olist, hours.format(p="credit_card")), abs=0.01)


# -- a way of paying left out, pence and a price per piece, 过了, shipped and on the way -------------


def test_a_way_of_paying_left_out(olist: Any) -> None:
    toys = (
        "SELECT sum(i.paid_amount) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "JOIN customers c ON c.customer_id = o.customer_id JOIN products p ON p.product_id = "
        "i.product_id WHERE c.province = 'MG' AND p.category = 'brinquedos' AND "
        f"o.payment_channel {{}} 'credit_card' AND {OLIST_2018}"
    )
    said = "今年MG州的买家买brinquedos {}信用卡付的 花了多少"
    assert number(olist, said.format("没用")) == pytest.approx(sql_number(olist, toys.format("<>")))
    assert number(olist, said.format("用")) == pytest.approx(sql_number(olist, toys.format("=")))


def test_pence_and_a_price_per_piece(retail: Any) -> None:
    units = (
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        f"WHERE i.unit_price < {{}} AND i.product_id IS NOT NULL AND {RETAIL_2011}"
    )  # 小商品: the product lines at that price (session 34: a line with no product — postage, a
    # manual charge — is no 商品, as dev_w29's header says; test_retail_r28.py)
    q = "今年 不到 {} 一件 的 小商品 总共 走了 多少 件"
    assert number(retail, q.format("50便士")) == sql_number(retail, units.format(0.5))
    assert number(retail, q.format("5便士")) == sql_number(retail, units.format(0.05))
    assert number(retail, q.format("1英镑")) == sql_number(retail, units.format(1))


def test_an_amount_passed(retail: Any) -> None:
    over = f"SELECT count(*) FROM orders o WHERE o.paid_amount > {{}} AND {RETAIL_2011}"
    assert number(retail, "今年有几张发票金额过了五千镑") == sql_number(retail, over.format(5000))
    assert number(retail, "今年有几张发票金额过了一千镑") == sql_number(retail, over.format(1000))


def test_shipped_and_still_on_the_way(demo: Any) -> None:
    month = DEMO_LAST_MONTH.format(today=demo.today.isoformat())
    on_way = sql_number(
        demo,
        "SELECT count(*) FROM orders o WHERE o.platform = 'douyin' AND o.status = 'shipped' "
        f"AND {month}",
    )
    assert number(demo, "上个月 下 的 抖音 单 里 已经 发货 还 在 路上 的 有 几单") == on_way
    assert number(demo, "上个月 下 的 抖音 单 里 还在路上 的 有 几单") == on_way


# -- delivered within days said as arrived, a share of a year's buyers -------------------------------


def test_delivered_within_days_said_as_arrived(olist: Any) -> None:
    within = (
        "SELECT avg(CASE WHEN epoch(o.finished_at - o.created_at) / 86400.0 <= {} THEN 1.0 ELSE 0 "
        "END) FROM orders o WHERE o.finished_at >= '2018-01-01' AND o.finished_at < '2018-09-01'"
    )
    for days in (5, 10):
        got = number(olist, f"今年送达的单里{days}天以内就到的占几成", -1)
        assert got == pytest.approx(sql_number(olist, within.format(days)), abs=1e-4), days


def test_a_share_of_a_years_buyers_is_refused(olist: Any) -> None:
    """'What share of 2017 buyers came back …': reading the whole after a bare 'share' (once 'of
    2017' is the period) also read "of the people who viewed X, what share added to cart" as
    another whole (test_demo_g16, g19): taken back by the lead at the merge; refused, as before."""
    for year in (2017, 2018):
        refused(olist, f"What share of {year} buyers came back for a second order?")


# -- that batch of people, not once in a period ----------------------------------------------------

FIRST_IN = (
    "SELECT count(*) FROM (SELECT one_id, min(paid_at) AS f FROM orders WHERE paid_at IS NOT NULL "
    "AND one_id IS NOT NULL GROUP BY 1) f WHERE f.f >= '2011-{m:02d}-01' AND f.f < '2011-{n:02d}-01' "
    "AND EXISTS (SELECT 1 FROM orders o WHERE o.one_id = f.one_id AND o.paid_at >= '2011-11-01' "
    "AND o.paid_at < '2011-12-01')"
)


def test_that_batch_of_customers(retail: Any) -> None:
    for month, said in ((3, "三月份"), (4, "四月份")):
        gold = sql_number(retail, FIRST_IN.format(m=month, n=month + 1))
        got = number(retail, f"{said}首次下单的那批客户 11月份还有几个在下单")
        assert got == gold, said


def test_not_once_in_a_period(retail: Any) -> None:
    gone = (
        "SELECT count(*) FROM (SELECT DISTINCT o.one_id FROM orders o WHERE o.one_id IS NOT NULL "
        "AND o.paid_at >= '2011-10-01' AND o.paid_at < '2011-11-01') a WHERE {} EXISTS (SELECT 1 "
        "FROM orders o WHERE o.one_id = a.one_id AND o.paid_at >= '2011-11-01' "
        "AND o.paid_at < '2011-12-01')"
    )
    assert number(retail, "10月买过东西 11月却一次没来的客户有几个") == sql_number(
        retail, gone.format("NOT")
    )
    assert number(retail, "10月买过东西 11月又来了的客户有几个") == sql_number(
        retail, gone.format("")
    )


@pytest.mark.parametrize(("month", "said"), [(7, "进账 多少"), (8, "卖了 多少钱")])
def test_orders_and_sales_asked_with_their_verbs(olist: Any, month: int, said: str) -> None:
    span = "o.{c} >= '2018-{m:02d}-01' AND o.{c} < '2018-{n:02d}-01'"
    orders = sql_number(
        olist,
        "SELECT count(*) FROM orders o WHERE " + span.format(c="created_at", m=month, n=month + 1),
    )
    sales = sql_number(
        olist,
        "SELECT sum(o.paid_amount) FROM orders o WHERE "
        + span.format(c="paid_at", m=month, n=month + 1),
    )
    got = rows(olist, f"{month}月 下了 多少单 {said}")[0]
    assert float(got[0]) == orders and float(got[1]) == pytest.approx(sales, abs=0.01)


@pytest.mark.parametrize(
    "said",
    [
        "上个月有几天单日销售额超过{}",
        "上个月 日销售额超过{}的天数",
        "上个月 每天销售额超过{}的有几天",
    ],
)
def test_days_counted_by_their_own_sales(demo: Any, said: str) -> None:
    days = (
        "SELECT count(*) FROM (SELECT CAST(o.paid_at AS DATE), sum(o.paid_amount) AS s FROM orders o "
        "WHERE o.paid_at >= '2025-05-01' AND o.paid_at < '2025-06-01' GROUP BY 1) WHERE s > {}"
    )
    daily = [float(r[0]) for r in sql(demo, days.replace("count(*)", "s").format(0))]
    low, high = sorted(daily)[len(daily) // 4], sorted(daily)[3 * len(daily) // 4]
    got = [number(demo, said.format(int(t))) for t in (low, high)]
    assert got == [sql_number(demo, days.format(int(t))) for t in (low, high)], said
    assert got[0] > got[1]


# -- what one customer bought, each kind -------------------------------------------------------------


@pytest.mark.parametrize("key", ["17850", "13047"])
def test_what_one_customer_bought_each_product(retail: Any, key: str) -> None:
    gold = sql(
        retail,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id JOIN "
        f"customers c ON c.customer_id = o.customer_id WHERE c.buyer_key = '{key}' AND o.paid_at "
        "IS NOT NULL GROUP BY i.clean_title ORDER BY 1 DESC",
    )
    got = rows(retail, f"客户{key}都买了些啥 每样买了多少件")
    # products met only on unpaid lines (C invoices) are listed with 0: the paid ones are the gold
    assert sorted(float(r[-1]) for r in got if r[-1]) == sorted(float(r[0]) for r in gold), key


def test_what_one_customer_bought_each_category(olist: Any) -> None:
    key = "1da09dd64e235e7c2f29a4faff33535c"
    gold = sql(
        olist,
        "SELECT p.category, sum(i.paid_amount) FROM order_items i JOIN orders o ON o.order_id = "
        "i.order_id JOIN customers c ON c.customer_id = o.customer_id LEFT JOIN products p ON "
        f"p.product_id = i.product_id WHERE c.buyer_key = '{key}' AND o.paid_at IS NOT NULL GROUP BY 1",
    )
    got = rows(olist, f"客户{key}买过哪些品类 每类花了多少")
    assert sorted((str(r[0]), float(r[-1])) for r in got) == sorted(
        (str(r[0]), float(r[1])) for r in gold
    )


def test_sales_said_with_the_verb_beside_a_refund_stays_unread(retail: Any) -> None:
    # which refunds are meant (every refund, or the credit notes only) is not said: refused, as
    # before (dev_w23 r17 was answered 6.83 % against the credit notes' 6.71 %)
    refused(retail, "今年退掉的钱 相当于卖出去的钱的百分之几")
