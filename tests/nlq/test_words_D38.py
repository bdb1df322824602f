"""The words, measures and periods sellers type (issue 11, session 38, helper D): a few words the
engine could not place refused a question it otherwise understood (dev_w33). Each family is read
as the words the engine already knows say it:

- sold said with 去 (卖出去, 卖 出去): 卖出 — counts of what was sold, pieces counted with the
  thing's own measure word (落地灯 卖出去 几 盏), the money per piece of the goods sold (卖出的商品
  平均一件多少钱: sales_per_unit, no breakdown by product), the dearest piece's price said after
  单价 (单价最高的那件卖了多少钱);
- money and places: 账面上的进账 (the money itself), orders sent to a place (寄往 / 寄去 RS州: the
  place's orders), goods taken from us (从我们这进过货: bought here), pieces taken away (带走几件),
  shipping income (freight), a bound on the paid orders said short (付款单至少100单);
- counts: 评价的条数 (the reviews), units sent back / came back (returned units), 各个月份;
  退钱退得最多 (the refund amount), 那批订单, the orders said before their own pieces per order;
- averages per entity: 摊到每家卖家头上 (per seller), 平均一国 / 按国家摊 (per country);
- durations: "the customer receiving them" (delivery), "wait to ship after payment" (the start
  said after the end's verb); Portuguese "pedidos feitos" (orders placed);
- periods: a festival's day restated in English in brackets ("Valentine's Day (14 Feb)"), the Nth
  or last weekday of a month (11月第一个礼拜一), the weekend a month ends with (收尾的那个周六周日).
Values against hand-written SQL; each reading has a look-alike that keeps its own answer or is
refused."""

from __future__ import annotations

from typing import Any

import pytest

from shopql.nlq.answer import answer
from tests.nlq.helpers import number, refused, rows, sql, sql_number

O_2018 = "o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'"  # 今年 on Olist
O_JUL = "o.paid_at >= '2018-07-01' AND o.paid_at < '2018-08-01'"
O_AUG = "o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01'"
R_2011 = "o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01'"  # 今年 on Retail
D_MAY = "o.paid_at >= '2025-05-01' AND o.paid_at < '2025-06-01'"  # 上个月 on the demo


def columns(ws: Any, question: str) -> list[str]:
    return list(answer(ws, question, "offline").main.columns)


def paid(ws: Any, where: str) -> float:
    return sql_number(ws, f"SELECT sum(o.paid_amount) FROM orders o WHERE {where}")


# --- sold said with 去 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question", ["今年 卖出去 过 东西 的 品类 一共 有 几 个", "今年卖出去过东西的品类一共有几个"]
)
def test_categories_sold_said_with_qu(olist: Any, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT count(DISTINCT p.category) FROM order_items i JOIN orders o ON o.order_id = "
        f"i.order_id JOIN products p ON p.product_id = i.product_id WHERE {O_2018}",
    )
    assert number(olist, question) == want
    assert number(olist, "今年卖出过东西的品类一共有几个") == want


def test_pieces_sold_said_with_qu_and_a_measure_word(demo: Any) -> None:
    """落地灯 卖出去 几 盏: the pieces of the titles sold (盏, a lamp's measure word)."""
    want = sql_number(
        demo,
        "SELECT coalesce(sum(i.quantity), 0) FROM order_items i JOIN orders o ON o.order_id = "
        "i.order_id WHERE coalesce(i.clean_title, i.title) LIKE '%落地灯%' "
        "AND o.paid_at >= '2025-01-01' AND o.paid_at < '2025-06-01'",
    )
    assert number(demo, "今年 落地灯 一共 卖出去 几 盏") == want
    assert number(demo, "今年落地灯一共卖出几件") == want


def test_unsold_is_not_sold(olist: Any) -> None:
    """Look-alike: 卖不出去 (unsold) is never read as 卖出 (sold): refused, not the count of
    categories sold."""
    refused(olist, "今年卖不出去的品类有几个")


@pytest.mark.parametrize(
    "question",
    [
        "今年 卖 出去 的 东西 里 单价 最高 的 那 件 卖 了 多少 钱",
        "今年卖出的东西里单价最高的那件多少钱",
    ],
)
def test_dearest_piece_sold_said_after_the_price(olist: Any, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT max(i.unit_price) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        f"WHERE {O_2018}",
    )
    assert number(olist, question) == pytest.approx(want)


def test_dearest_piece_asked_which_is_not_its_price(olist: Any) -> None:
    """Look-alike: 单价最高的那件是哪个品类的 asks which category — not the price read above."""
    refused(olist, "今年卖出的东西里单价最高的那件是哪个品类的")


@pytest.mark.parametrize(
    "question", ["今年每个月卖出去的商品平均一件多少钱", "今年每个月卖出的东西平均每件多少钱"]
)
def test_money_per_piece_of_goods_sold_by_month(retail: Any, question: str) -> None:
    """The goods sold named before the per-piece average are the pieces sold: a row per month,
    no breakdown by product (sales / units, every line of the paid orders)."""
    want = sql(
        retail,
        "SELECT date_trunc('month', o.paid_at), sum(i.paid_amount) / sum(i.quantity) FROM "
        f"order_items i JOIN orders o ON o.order_id = i.order_id WHERE {R_2011} GROUP BY 1 "
        "ORDER BY 1",
    )
    got = rows(retail, question)
    assert len(got) == len(want) == 11
    assert [float(r[-1]) for r in got] == pytest.approx([float(r[1]) for r in want], abs=0.006)


def test_money_per_piece_of_each_product_stays_by_product(retail: Any) -> None:
    """Look-alike: 每个商品平均一件卖多少钱 is each product's own (a row per product)."""
    assert "product" in columns(retail, "今年每个商品平均一件卖多少钱")


# --- money, places, goods ---------------------------------------------------------------------


@pytest.mark.parametrize("question", ["7月账面上的进账是多少", "7月账上的进账有多少"])
def test_money_on_the_books(olist: Any, question: str) -> None:
    assert number(olist, question) == pytest.approx(paid(olist, O_JUL))


@pytest.mark.parametrize("question", ["7月的单子里寄去RJ州的有几成", "7月的单子里发往RJ州的占几成"])
def test_orders_sent_to_a_state(olist: Any, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT count(*) FILTER (WHERE c.province = 'RJ') * 1.0 / count(*) FROM orders o JOIN "
        "customers c ON c.customer_id = o.customer_id WHERE o.created_at >= '2018-07-01' AND "
        "o.created_at < '2018-08-01'",
    )
    assert number(olist, question, -1) == pytest.approx(want, abs=1e-4)


def test_orders_sent_from_one_state_to_another_are_refused(olist: Any) -> None:
    """Look-alike: 从SP州寄往RJ州 names the sellers' state and the buyers': never one filter."""
    refused(olist, "7月从SP州寄往RJ州的订单有多少")


@pytest.mark.parametrize(
    "question", ["今年 从 我们 这 进过 货 的 国家 有 几 个", "今年从咱们店里拿过货的国家有几个"]
)
def test_countries_that_took_goods_from_us(retail: Any, question: str) -> None:
    want = sql_number(retail, f"SELECT count(DISTINCT o.country) FROM orders o WHERE {R_2011}")
    assert number(retail, question) == want


def test_stock_bought_in_stays_unread(retail: Any) -> None:
    """Look-alike: 进了几件货 (stock bought in) is not the goods customers bought here."""
    refused(retail, "11月进了几件货")


@pytest.mark.parametrize("question", ["今年每张发票平均带走几件货", "今年平均每张发票带走了多少件"])
def test_pieces_taken_away_per_invoice(retail: Any, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT sum(i.quantity) * 1.0 / count(DISTINCT o.order_id) FROM order_items i JOIN "
        f"orders o ON o.order_id = i.order_id WHERE {R_2011}",
    )
    assert number(retail, question) == pytest.approx(want, rel=1e-3)


@pytest.mark.parametrize(
    "question", ["What was our total shipping income last month?", "上个月的运费收入一共多少"]
)
def test_shipping_income_is_the_freight(demo: Any, question: str) -> None:
    want = sql_number(
        demo,
        "SELECT sum(o.shipping_fee) FROM orders o WHERE o.created_at >= '2025-05-01' "
        "AND o.created_at < '2025-06-01'",
    )
    assert number(demo, question) == pytest.approx(want)


def test_income_alone_stays_the_sales(demo: Any) -> None:
    """Look-alike: 收入 alone (上个月的收入) is the paid sales, not the freight."""
    assert number(demo, "上个月的收入一共多少") == pytest.approx(paid(demo, D_MAY))


# --- counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question", ["今年每个月评价的条数和平均分", "今年每个月评论的条数和平均分"]
)
def test_reviews_counted_said_with_de(olist: Any, question: str) -> None:
    want = sql(
        olist,
        "SELECT date_trunc('month', r.created_at), count(*), avg(r.score) FROM reviews r WHERE "
        "r.created_at >= '2018-01-01' AND r.created_at < '2018-09-01' GROUP BY 1 ORDER BY 1",
    )
    got = rows(olist, question)
    assert [int(r[1]) for r in got] == [int(r[1]) for r in want]


def test_good_reviews_counted_said_with_de(olist: Any) -> None:
    """好评的条数: the good reviews (4 and 5 stars), not every review."""
    want = sql_number(
        olist,
        "SELECT count(*) FROM reviews r WHERE r.score >= 4 AND r.created_at >= '2018-01-01' "
        "AND r.created_at < '2018-09-01'",
    )
    assert number(olist, "今年好评的条数") == want


@pytest.mark.parametrize(
    "question",
    [
        "How many units came back on cancellation invoices in November?",
        "How many items came back in November?",
    ],
)
def test_units_came_back(retail: Any, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT -sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "WHERE o.raw_status = 'cancellation invoice' AND o.created_at >= '2011-11-01' "
        "AND o.created_at < '2011-12-01'",
    )
    assert number(retail, question) == want


def test_product_with_most_units_sent_back(retail: Any) -> None:
    want = sql(
        retail,
        "SELECT coalesce(i.spu_id, i.product_id), -sum(i.quantity) FROM order_items i JOIN "
        "orders o ON o.order_id = i.order_id WHERE o.raw_status = 'cancellation invoice' AND "
        "i.product_id IS NOT NULL AND o.created_at >= '2011-01-01' AND o.created_at < "
        "'2011-12-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )[0]
    got = rows(retail, "Which product had the most units sent back this year?")[0]
    assert (got[0], float(got[-1])) == (want[0], float(want[1]))


def test_units_sold_stay_units_sold(retail: Any) -> None:
    """Look-alike: units sold (no sending back said) are the units sold, not those returned."""
    assert "returned_units" not in columns(retail, "How many units were sold in November?")


@pytest.mark.parametrize("question", ["今年各个月份加过购物车的人数", "今年各月份加过购物车的人数"])
def test_each_month_said_gege_yuefen(demo: Any, question: str) -> None:
    got = rows(demo, question)
    assert len(got) == 5  # January to May 2025
    assert columns(demo, question)[-1] == "cart_visitors"


@pytest.mark.parametrize("question", ["今年退钱退得最多的是哪个月", "今年退款退得最多的是哪个月"])
def test_money_refunded_the_most(demo: Any, question: str) -> None:
    got = rows(demo, question)
    assert "refund_amount" in columns(demo, question)
    assert "refund_count" not in columns(demo, question)
    amounts = [float(r[-1]) for r in got]
    assert amounts[0] == max(amounts)


def test_orders_of_that_batch(demo: Any) -> None:
    """上个月那批订单: the orders just named by their period (placed then), their delivery days."""
    want = sql_number(
        demo,
        "SELECT avg(date_diff('second', o.created_at, o.finished_at)) / 86400.0 FROM orders o "
        "WHERE o.finished_at IS NOT NULL AND o.created_at >= '2025-05-01' AND o.created_at < "
        "'2025-06-01'",
    )
    for q in ("上个月那批订单 买家平均等了几天才收到货", "上个月这批订单平均几天送到"):
        assert number(demo, q, -1) == pytest.approx(want, abs=0.01)


@pytest.mark.parametrize(
    "question", ["上个月的订单 一单平均包含几件商品", "上个月的订单 平均每单有几件"]
)
def test_pieces_per_order_after_the_orders_named(demo: Any, question: str) -> None:
    want = sql_number(
        demo,
        "SELECT sum(i.quantity) * 1.0 / count(DISTINCT o.order_id) FROM order_items i JOIN "
        f"orders o ON o.order_id = i.order_id WHERE {D_MAY}",
    )
    assert number(demo, question) == pytest.approx(want, rel=1e-3)


# --- averages per entity ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "question", ["今年 摊 到 每 家 卖家 头上 卖 了 多少 钱", "今年摊到每个卖家身上卖了多少钱"]
)
def test_sales_spread_over_each_seller(olist: Any, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT sum(i.paid_amount) / count(DISTINCT i.shop_id) FROM order_items i JOIN orders o "
        f"ON o.order_id = i.order_id WHERE {O_2018}",
    )
    assert number(olist, question) == pytest.approx(want, abs=0.01)


def test_each_seller_without_spreading_is_a_row_each(olist: Any) -> None:
    """Look-alike: 每个卖家卖了多少钱 is each seller's own figure (a row per seller)."""
    assert "shop" in columns(olist, "今年每个卖家卖了多少钱")


@pytest.mark.parametrize(
    "question", ["今年按国家摊 平均一国有几位客户", "今年平均每个国家有几位客户"]
)
def test_customers_per_country(retail: Any, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT count(DISTINCT (o.country, o.one_id)) * 1.0 / count(DISTINCT o.country) FROM "
        f"orders o WHERE o.one_id IS NOT NULL AND o.country IS NOT NULL AND {R_2011}",
    )
    assert number(retail, question) == pytest.approx(want, abs=0.01)


# --- bounds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "今年 客单价 最高 的 省份（付款 单 至少 100 单）",
        "今年客单价最高的省份（支付订单数至少100单）",
        "今年客单价最高的省份（至少100单）",
    ],
)
def test_a_bound_on_the_paid_orders(olist: Any, question: str) -> None:
    """The count named before 单 is the condition's count: the paid orders, not every order."""
    query = answer(olist, question, "offline").query
    assert query is not None
    assert [(f.dimension, f.op, f.values) for f in query.having] == [("paid_orders", ">=", (100,))]
    want = sql(
        olist,
        "SELECT c.province, sum(o.paid_amount) / count(*) FROM orders o JOIN customers c ON "
        f"c.customer_id = o.customer_id WHERE {O_2018} GROUP BY 1 HAVING count(*) >= 100 "
        "ORDER BY 2 DESC LIMIT 1",
    )[0]
    assert rows(olist, question)[0][0] == want[0]


def test_a_bound_on_every_order_stays_orders(olist: Any) -> None:
    """Look-alike: 订单数至少100单 is every order placed, as said."""
    query = answer(olist, "今年订单数至少100单的州有几个", "offline").query
    assert query is not None
    assert [(f.dimension, f.op, f.values) for f in query.having] == [("orders", ">=", (100,))]


# --- durations and languages ------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "Orders paid in August: median days between payment and the customer receiving them?",
        "Orders paid in August: median days between payment and receiving?",
    ],
)
def test_receiving_is_the_delivery(olist: Any, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT median(date_diff('second', o.paid_at, o.finished_at)) / 86400.0 FROM orders o "
        f"WHERE o.finished_at IS NOT NULL AND {O_AUG}",
    )
    assert number(olist, question, -1) == pytest.approx(want, abs=0.01)


@pytest.mark.parametrize(
    "question",
    [
        "Last month, how many hours on average did Pinduoduo orders wait to ship after payment?",
        "Last month, how many hours on average did pinduoduo orders take to ship after payment?",
    ],
)
def test_ship_after_payment(demo: Any, question: str) -> None:
    want = sql_number(
        demo,
        "SELECT avg(date_diff('second', o.paid_at, o.shipped_at)) / 3600.0 FROM orders o WHERE "
        f"o.platform = 'pinduoduo' AND o.shipped_at IS NOT NULL AND {D_MAY}",
    )
    assert number(demo, question) == pytest.approx(want, abs=0.01)


def test_pay_after_ordering_stays_the_time_to_pay(demo: Any) -> None:
    """Look-alike: hours after ordering until customers paid is the time to pay."""
    assert columns(demo, "how many hours on average after ordering did customers pay last month")[
        -1
    ].endswith("pay_hours")


@pytest.mark.parametrize(
    "question",
    [
        "Quantos pedidos feitos em julho tiveram frete acima de 50 reais?",
        "Quantos pedidos realizados em julho tiveram frete acima de 50 reais?",
    ],
)
def test_orders_placed_in_portuguese(olist: Any, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT count(*) FROM orders o WHERE o.shipping_fee > 50 AND o.created_at >= "
        "'2018-07-01' AND o.created_at < '2018-08-01'",
    )
    assert number(olist, question) == want


# --- periods ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "What was our revenue on Valentine's Day (14 Feb) this year?",
        "What was our revenue on Valentine's Day (Feb 14th) this year?",
    ],
)
def test_festival_day_restated_in_english(olist: Any, question: str) -> None:
    want = paid(olist, "o.paid_at >= '2018-02-14' AND o.paid_at < '2018-02-15'")
    assert number(olist, question) == pytest.approx(want)


def test_another_day_in_brackets_is_refused(olist: Any) -> None:
    """Look-alike: a day in brackets that is not the festival's is left unread."""
    refused(olist, "What was our revenue on Valentine's Day (15 Feb) this year?")


@pytest.mark.parametrize(
    ("question", "day"),
    [
        ("11月 第一 个 礼拜一 那天 卖 了 多少", "2011-11-07"),
        ("11月的第一个星期一卖了多少", "2011-11-07"),
        ("11月最后一个星期五卖了多少", "2011-11-25"),
        ("10月第二个周三卖了多少", "2011-10-12"),
    ],
)
def test_nth_weekday_of_a_month(retail: Any, question: str, day: str) -> None:
    want = paid(retail, f"o.paid_at >= '{day}' AND o.paid_at < DATE '{day}' + INTERVAL 1 DAY")
    assert number(retail, question) == pytest.approx(want)


def test_first_week_of_a_month_stays_a_week(retail: Any) -> None:
    """Look-alike: 11月第一个星期 (no weekday after it) is the month's first seven days."""
    want = paid(retail, "o.paid_at >= '2011-11-01' AND o.paid_at < '2011-11-08'")
    assert number(retail, "11月第一个星期卖了多少") == pytest.approx(want)


@pytest.mark.parametrize(
    "question",
    [
        "上个月 收尾 的 那 个 周六 周日 进账 多少",
        "上个月最后那个周六周日卖了多少",
        "上个月最后一个周末卖了多少",
    ],
)
def test_the_weekend_a_month_ends_with(retail: Any, question: str) -> None:
    # November 2011 ends on a Wednesday: its last weekend is the 26th and the 27th
    want = paid(retail, "o.paid_at >= '2011-11-26' AND o.paid_at < '2011-11-28'")
    assert number(retail, question) == pytest.approx(want)


def test_a_weekend_day_alone_is_no_last_weekend(retail: Any) -> None:
    """Look-alike: 上个月周六周日 (no 收尾 / 最后) is every weekend day of the month."""
    query = answer(retail, "上个月周六周日卖了多少", "offline").query
    assert query is not None and query.time_range is not None
    assert query.time_range.start.day == 1


@pytest.mark.parametrize(
    "question",
    [
        "For orders shipped last month, how long did delivery take on average after shipping?",
        "For orders shipped last month, how many days on average did delivery take after shipping?",
    ],
)
def test_delivery_after_shipping_said_again(demo: Any, question: str) -> None:
    """The start said again after the end, "after" before it, is the start; the first 'shipped'
    says which orders (those shipped then): the transit days of May's shipments."""
    want = sql_number(
        demo,
        "SELECT avg(date_diff('second', o.shipped_at, o.finished_at)) / 86400.0 FROM orders o "
        "WHERE o.finished_at IS NOT NULL AND o.shipped_at >= '2025-05-01' "
        "AND o.shipped_at < '2025-06-01'",
    )
    assert number(demo, question, -1) == pytest.approx(want, abs=0.01)


def test_delivery_after_another_event_is_not_the_transit(demo: Any) -> None:
    """Look-alike: "after payment" beside shipped orders is no transit time: refused."""
    refused(
        demo, "For orders shipped last month, how long did delivery take on average after payment?"
    )
