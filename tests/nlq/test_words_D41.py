"""Words, measures, filters, counts and product words (session 41, helper D; the blind dev set W36):
each reading is a class, kept where the catalog keeps such words, with values against hand-written
SQL and a look-alike that keeps its own answer or is refused.

- measures: "Ribbon sales in 2011 - total units?" — the bare word "sales" as the topic and the
  units said after a break or "in" (the units alone, not the money beside them); 实收 (the paid
  sales); the one largest / smallest paid order asked how much (max/min_order_value); a line's
  own quantity (一行就买了超过100件的大行) and the lines counted; the different products inside
  one invoice (order_products); the freight paid said with "did … pay", "pay for shipping",
  "total shipping"; 成交明细里…单价 (the unit price of the lines sold); 走了多少瓶 (pieces sold);
- counts: the places counted said as the buyers' (多少个不同的买家城市, 覆盖了), 统共 (一共), the
  invoices German customers "did pay", visitors who "hit the fav button";
- filters: a platform's store (京东店, 京东旗舰店), places outside a region said 以外的地方, zero
  said 零 (运费为零), only the product lines (只算正经商品行, product lines only), pt cobrado;
- product words: a word glossed in the other language takes the side the titles write (Silk
  quilts (蚕丝被) on Chinese titles), a Chinese word read only in part beside its Latin gloss is
  that gloss (圣诞树CHRISTMAS TREE)."""

from __future__ import annotations

from typing import Any

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.languages import read, readings_of
from tests.nlq.helpers import number, refused, rows, sql_number

R_2011 = "o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01'"  # 今年 on Retail
R_YEAR = "o.paid_at >= '2011-01-01' AND o.paid_at < '2012-01-01'"  # "in 2011": the calendar year
R_OCT = "o.paid_at >= '2011-10-01' AND o.paid_at < '2011-11-01'"
R_NOV = "o.paid_at >= '2011-11-01' AND o.paid_at < '2011-12-01'"
O_2018 = "o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'"  # 今年 on Olist
O_AUG = "o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01'"
D_MAY = "o.paid_at >= '2025-05-01' AND o.paid_at < '2025-06-01'"  # 上个月 on the seed-7 demo
D_2025 = "o.paid_at >= '2025-01-01' AND o.paid_at < '2025-06-01'"  # 今年 on the seed-7 demo


def _sql_of(ws: Any, question: str) -> str:
    return answer(ws, question, "offline").main.sql or ""


# -- measures: the bare "sales" as the topic, the units said after it -------------------------

_RIBBON_UNITS = (
    "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
    f" WHERE coalesce(i.clean_title, i.title) LIKE '%RIBBON%' AND {R_YEAR}"
)


@pytest.mark.parametrize(
    "question",
    [
        "Ribbon sales in 2011 - total units?",
        "ribbon sales 2011: how many units?",
        "Ribbon sales in 2011 (units)",
        "Ribbon sales in 2011, in units",
        "How were ribbon sales in 2011? Total units please",
    ],
)
def test_sales_counted_in_units_is_the_units_alone(retail: Any, question: str) -> None:
    got = rows(retail, question)
    assert len(got) == 1 and len(got[0]) == 1, got  # the units, not the money beside them
    assert float(got[0][0]) == sql_number(retail, _RIBBON_UNITS)


@pytest.mark.parametrize(
    "question",
    [
        "Ribbon sales and units in 2011",  # joined by "and": both
        "Ribbon sales in 2011 and total units",
        "Ribbon revenue in 2011 - total units?",  # revenue is no topic word: both
        "Ribbon sales in 2011 - units and revenue?",
    ],
)
def test_sales_beside_units_keeps_both(retail: Any, question: str) -> None:
    got = rows(retail, question)
    assert len(got[0]) == 2, got
    assert float(got[0][1]) == sql_number(retail, _RIBBON_UNITS)


# -- product words: the side of a gloss the titles write ----------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "Silk quilts (蚕丝被): units sold this year?",
        "蚕丝被 (silk quilts): units sold this year?",
        "silk quilt 蚕丝被 今年卖了几件",
    ],
)
def test_a_gloss_takes_the_side_the_titles_write(demo: Any, question: str) -> None:
    want = sql_number(
        demo,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
        f" WHERE coalesce(i.clean_title, i.title) LIKE '%蚕丝被%' AND {D_2025}",
    )
    assert want > 0
    assert number(demo, question) == want


def test_a_gloss_on_english_titles_stays_the_latin(retail: Any) -> None:
    assert "T-LIGHT HOLDER" in _sql_of(retail, "烛台(t-light holder)卖了多少")
    assert "ALARM CLOCK" in _sql_of(retail, "闹钟 alarm clock 2011年销量")


_TREE_NOV = (
    "SELECT sum(i.paid_amount) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
    f" WHERE coalesce(i.clean_title, i.title) LIKE '%CHRISTMAS TREE%' AND {R_NOV}"
)


@pytest.mark.parametrize(
    "question",
    [
        "11月圣诞树CHRISTMAS TREE相关的货卖了多少钱",
        "圣诞树 (christmas tree) 11月卖了多少钱",
        "christmas tree 圣诞树 11月卖了多少钱",
        "11月 CHRISTMAS TREE(圣诞树) 的销售额",
    ],
)
def test_a_chinese_word_read_in_part_beside_its_gloss(retail: Any, question: str) -> None:
    assert number(retail, question) == pytest.approx(sql_number(retail, _TREE_NOV))


@pytest.mark.parametrize(
    "question",
    [
        "christmas 圣诞树 11月卖了多少钱",  # the Latin says nothing of 树
        "圣诞树 11月卖了多少钱",  # no gloss: 树 stays unplaced
    ],
)
def test_a_head_with_no_gloss_for_it_stays_refused(retail: Any, question: str) -> None:
    assert "树" in refused(retail, question).unknown


# -- filters: a platform's store, places outside a region, zero, product lines ------------------


@pytest.mark.parametrize(
    "question", ["上个月京东店的付款单量", "上个月京东旗舰店的付款单量", "上个月京东小店的付款单量"]
)
def test_a_platform_store_is_the_platform(demo: Any, question: str) -> None:
    want = sql_number(demo, f"SELECT count(*) FROM orders o WHERE o.platform = 'jd' AND {D_MAY}")
    assert number(demo, question) == want == number(demo, "上个月京东的付款单量")


def test_a_store_of_no_platform_stays_refused(demo: Any) -> None:
    assert refused(demo, "上个月卖家店的付款单量").unknown


@pytest.mark.parametrize(
    "question", ["上个月广东省以外的地方一共卖了多少钱", "上个月除了广东以外的地方卖了多少钱"]
)
def test_places_outside_a_region(demo: Any, question: str) -> None:
    want = sql_number(
        demo,
        "SELECT sum(o.paid_amount) FROM orders o WHERE (o.province IS NULL OR o.province <> '广东省')"
        f" AND {D_MAY}",
    )
    assert number(demo, question) == pytest.approx(want)
    assert number(demo, question) == number(demo, "上个月广东省以外的地区一共卖了多少钱")


@pytest.mark.parametrize("question", ["8月运费为零的付款单有几单", "8月运费是零的付款单有几单"])
def test_zero_said_in_its_character(olist: Any, question: str) -> None:
    want = sql_number(olist, f"SELECT count(*) FROM orders o WHERE o.shipping_fee = 0 AND {O_AUG}")
    assert number(olist, question) == want


def test_zero_inside_a_number_or_a_word_is_not_read(olist: Any) -> None:
    readings = readings_of(olist)
    for text in ("运费为一百零五的订单", "零售价", "零钱"):
        assert read(text, readings)[0] == text


@pytest.mark.parametrize(
    "question",
    [
        "今年到现在卖掉多少件货 只算正经商品行",
        "今年卖了多少件，仅统计商品行",
        "units sold this year, product lines only",
    ],
)
def test_only_the_product_lines(retail: Any, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
        f" WHERE i.product_id IS NOT NULL AND {R_2011}",
    )
    every = number(retail, "今年到现在卖掉多少件货")  # the look-alike: every line
    assert number(retail, question) == want != every


def test_only_the_goods_alone_stays_refused(retail: Any) -> None:
    # 只算商品 alone may be the goods' value without the freight: not read
    assert refused(retail, "今年卖了多少钱 只算商品").unknown


# -- counts --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question", ["8月里拿voucher付的单子统共几单", "8月里拿voucher付的单子拢共几单"]
)
def test_tonggong_is_the_total(olist: Any, question: str) -> None:
    assert number(olist, question) == number(olist, "8月里拿voucher付的单子一共几单")


@pytest.mark.parametrize(
    "question",
    [
        "2018年到目前 付款订单覆盖了多少个不同的买家城市",
        "2018年到目前 付款订单有多少个不同的买家城市",
        "2018年到目前 付款订单覆盖了多少个城市",
    ],
)
def test_places_counted_said_as_the_buyers(olist: Any, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT count(DISTINCT coalesce(o.city, c.city)) FROM orders o"
        f" LEFT JOIN customers c ON c.customer_id = o.customer_id WHERE {O_2018}",
    )
    got = rows(olist, question)
    assert len(got) == 1 and float(got[0][-1]) == want


def test_the_buyers_cities_as_a_breakdown_keep_their_rows(olist: Any) -> None:
    assert len(rows(olist, "2018年买家城市分布")) > 100  # each city's buyers, not a count


@pytest.mark.parametrize(
    "question",
    [
        "How many invoices did German customers pay in October?",
        "how many invoices did the German customers pay in October",
    ],
)
def test_invoices_people_did_pay(retail: Any, question: str) -> None:
    want = sql_number(
        retail, f"SELECT count(*) FROM orders o WHERE o.country = 'Germany' AND {R_OCT}"
    )
    assert number(retail, question) == want


def test_orders_unqualified_people_did_pay_stay_refused(retail: Any) -> None:
    # "orders were paid by customers" is read as the people who paid: not taken here
    assert "pay" in refused(retail, "how many orders did customers pay in october").unknown


@pytest.mark.parametrize(
    "question",
    [
        "Last Monday-to-Sunday week: number of distinct visitors who hit the fav button?",
        "number of visitors who added to favorites last week",
        "how many visitors faved something last week",
    ],
)
def test_the_fav_button_is_favouriting(demo: Any, question: str) -> None:
    want = sql_number(
        demo,
        "SELECT count(DISTINCT e.user_key) FROM events e WHERE e.event_type = 'fav'"
        " AND e.event_time >= date_trunc('week', DATE '2025-06-01') - INTERVAL 7 DAY"
        " AND e.event_time < date_trunc('week', DATE '2025-06-01')",
    )
    assert number(demo, question) == want


# -- measures said in sellers' words -------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "How much shipping did Shopify customers pay this year?",
        "How much did Shopify customers pay for shipping this year?",
        "How much postage did Shopify customers pay this year?",
    ],
)
def test_the_freight_people_paid(demo: Any, question: str) -> None:
    assert number(demo, question) == number(demo, "Shopify total freight this year")


def test_what_people_paid_is_what_they_spent(demo: Any) -> None:
    want = sql_number(
        demo, f"SELECT sum(o.paid_amount) FROM orders o WHERE o.platform = 'shopify' AND {D_2025}"
    )
    assert number(demo, "How much did Shopify customers pay this year?") == pytest.approx(want)


def test_shipping_as_an_event_is_not_money(demo: Any) -> None:
    assert "shipping" in refused(demo, "average shipping time this year").unknown


@pytest.mark.parametrize(
    "question", ["10月份发票实收合计是多少", "10月实收了多少", "10月份实收金额"]
)
def test_shishou_is_the_paid_sales(retail: Any, question: str) -> None:
    want = sql_number(retail, f"SELECT sum(o.paid_amount) FROM orders o WHERE {R_OCT}")
    assert number(retail, question) == pytest.approx(want)


def test_shishou_per_invoice_is_the_average(retail: Any) -> None:
    want = sql_number(retail, f"SELECT sum(o.paid_amount) / count(*) FROM orders o WHERE {R_OCT}")
    assert number(retail, "10月份每张发票平均实收多少") == pytest.approx(want, abs=0.01)


@pytest.mark.parametrize(
    "question",
    ["今年 金额 最 大 的 那 张 付款 发票 值 多少", "今年金额最大的那张付款发票值多少"],
)
def test_the_largest_paid_invoice(retail: Any, question: str) -> None:
    want = sql_number(retail, f"SELECT max(o.paid_amount) FROM orders o WHERE {R_2011}")
    assert number(retail, question) == pytest.approx(want)


@pytest.mark.parametrize(
    "question",
    ["上个月 付款 单 中 金额 最 低 的 那 张 多少 钱", "上个月付款单里最低的那一单多少钱"],
)
def test_the_smallest_paid_order(demo: Any, question: str) -> None:
    want = sql_number(demo, f"SELECT min(o.paid_amount) FROM orders o WHERE {D_MAY}")
    assert number(demo, question) == pytest.approx(want)


def test_which_invoice_is_not_its_amount(retail: Any) -> None:
    refused(retail, "今年金额最大的那张发票是哪张")


@pytest.mark.parametrize(
    "question",
    ["今年一行就买了超过100件的大行一共有多少行", "今年数量超过100的明细行一共有多少条"],
)
def test_lines_over_a_quantity(retail: Any, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
        f" WHERE i.quantity > 100 AND {R_2011}",
    )
    assert number(retail, question) == want


def test_an_order_over_a_quantity_stays_the_orders(retail: Any) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM (SELECT o.order_id FROM orders o JOIN order_items i"
        f" ON i.order_id = o.order_id WHERE {R_2011} GROUP BY 1 HAVING sum(i.quantity) > 100)",
    )
    assert number(retail, "今年一单买了超过100件的订单有几单") == want


_PRODUCTS_20 = (
    "SELECT count(*) FROM (SELECT o.order_id FROM order_items i JOIN orders o ON o.order_id ="
    f" i.order_id WHERE i.product_id IS NOT NULL AND {R_NOV} GROUP BY 1"
    " HAVING count(DISTINCT coalesce(i.spu_id, i.product_id)) >= 20)"
)


@pytest.mark.parametrize(
    "question",
    [
        "11月 一张 发票 上 不同 商品 不少于 20 种 的 有 几 张",
        "11月一张发票里不同商品至少20种的有几张",
    ],
)
def test_invoices_of_many_different_products(retail: Any, question: str) -> None:
    assert number(retail, question) == sql_number(retail, _PRODUCTS_20)


def test_invoices_of_many_lines_keep_the_lines(retail: Any) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM (SELECT o.order_id FROM order_items i JOIN orders o ON o.order_id ="
        f" i.order_id WHERE {R_NOV} GROUP BY 1 HAVING count(*) >= 50)",
    )
    assert number(retail, "11月一张发票里不少于50行的有几张") == want


@pytest.mark.parametrize(
    "question", ["今年成交明细里最高的单价是多少", "今年成交明细中单价最高是多少"]
)
def test_the_lines_sold_before_a_price(olist: Any, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT max(i.unit_price) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
        f" WHERE {O_2018}",
    )
    assert number(olist, question) == pytest.approx(want)


def test_the_lines_sold_counted_keep_their_count(olist: Any) -> None:
    # no price asked: the lines of the paid orders counted, not a price
    want = sql_number(
        olist,
        f"SELECT count(*) FROM order_items i JOIN orders o ON o.order_id = i.order_id WHERE {O_2018}",
    )
    assert number(olist, "今年成交明细有多少行") == want


@pytest.mark.parametrize(
    "question",
    ["perfumaria 今年 一共 走 了 多少 瓶", "香水今年走了几瓶", "perfumaria今年走了多少盒"],
)
def test_goods_moved_said_with_zou(olist: Any, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
        f" JOIN products p ON p.product_id = i.product_id WHERE p.category = 'perfumaria' AND {O_2018}",
    )
    assert number(olist, question) == want


@pytest.mark.parametrize("question", ["今年perfumaria一共发走了多少瓶", "8月走了多少单"])
def test_zou_of_shipping_or_orders_stays_refused(olist: Any, question: str) -> None:
    refused(olist, question)


@pytest.mark.parametrize(
    "question",
    [
        "Qual foi o valor total de frete cobrado nos pedidos de julho?",
        "what was the total freight charged on the orders of july?",
    ],
)
def test_freight_charged(olist: Any, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT sum(o.shipping_fee) FROM orders o"
        " WHERE o.created_at >= '2018-07-01' AND o.created_at < '2018-08-01'",
    )
    assert number(olist, question) == pytest.approx(want)


def test_freight_and_orders_keep_both(olist: Any) -> None:
    assert len(rows(olist, "freight charged and orders in july")[0]) == 2


# -- a figure of the orders named with their event after them ------------------------------------

_FREIGHT_PAID_JULY = (
    "SELECT sum(o.shipping_fee) FROM orders o"
    " WHERE o.paid_at >= '2018-07-01' AND o.paid_at < '2018-08-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "freight on the orders paid in July",
        "How much freight did we charge on the orders paid in July?",
        "In July, how much shipping did buyers pay on the orders they paid for that month?",
        "7月付款的订单运费合计",  # the Chinese reading it mirrors
    ],
)
def test_the_freight_of_the_orders_paid(olist: Any, question: str) -> None:
    got = rows(olist, question)
    assert len(got[0]) == 1, got  # the freight alone, not a count of the paid orders beside it
    assert float(got[0][0]) == pytest.approx(sql_number(olist, _FREIGHT_PAID_JULY))


def test_the_freight_of_the_orders_placed_keeps_the_order_time(olist: Any) -> None:
    want = sql_number(
        olist,
        "SELECT sum(o.shipping_fee) FROM orders o"
        " WHERE o.created_at >= '2018-07-01' AND o.created_at < '2018-08-01'",
    )
    assert number(olist, "total freight on the orders placed in july") == pytest.approx(want)


@pytest.mark.parametrize(
    "question",
    ["freight and orders paid in july", "how many orders paid in july and their freight"],
)
def test_the_freight_beside_the_paid_orders_counted_keeps_both(olist: Any, question: str) -> None:
    assert len(rows(olist, question)[0]) == 2


@pytest.mark.parametrize(
    "question", ["今年卖出的单件商品里 单价最高是多少", "今年卖出的商品里 单价最高是多少"]
)
def test_the_price_of_the_goods_sold_piece_by_piece(olist: Any, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT max(i.unit_price) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
        f" WHERE {O_2018}",
    )
    assert number(olist, question) == pytest.approx(want)


# -- thresholds said in other words ----------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "How many orders placed in August had no shipping charge at all?",
        "How many orders placed in August with free shipping?",
        "How many orders placed in August had freight of 0?",  # the reading it is said as
    ],
)
def test_no_freight_is_freight_of_zero(olist: Any, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT count(*) FROM orders o WHERE o.shipping_fee = 0"
        " AND o.created_at >= '2018-08-01' AND o.created_at < '2018-09-01'",
    )
    assert number(olist, question) == want


@pytest.mark.parametrize("question", ["今年邮费过50块的订单有多少", "今年邮费超过50块的订单有多少"])
def test_over_an_amount_said_guo(olist: Any, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT count(*) FROM orders o WHERE o.shipping_fee > 50"
        " AND o.created_at >= '2018-01-01' AND o.created_at < '2018-09-01'",
    )
    assert number(olist, question) == want


def test_guo_after_a_verb_is_not_over(olist: Any) -> None:
    assert "买过" in refused(olist, "今年买过50件的客户有几个").unknown


@pytest.mark.parametrize(
    "question", ["上个月 金额 过 2000镑 的 大单 有 几张", "上个月金额超过2000镑的发票有几张"]
)
def test_big_invoices_over_an_amount(retail: Any, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM orders o WHERE o.paid_amount > 2000"
        " AND o.created_at >= '2011-11-01' AND o.created_at < '2011-12-01'",
    )
    assert number(retail, question) == want


@pytest.mark.parametrize(
    "question",
    ["11月 单行 数量 不少于 100件 的 明细 有 几 行", "11月单行数量不少于100件的明细行有几条"],
)
def test_lines_of_a_quantity_counted_with_hang(retail: Any, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
        f" WHERE i.quantity >= 100 AND {R_NOV}",
    )
    assert number(retail, question) == want


def test_lines_per_invoice_keep_their_average(retail: Any) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) * 1.0 / count(DISTINCT o.order_id) FROM order_items i JOIN orders o"
        f" ON o.order_id = i.order_id WHERE {R_NOV}",
    )
    assert number(retail, "11月每张发票平均几行明细") == pytest.approx(want, abs=0.001)


@pytest.mark.parametrize("question", ["8月 里约 市 的 买家 下 了 几 单", "8月里约市的买家下了几单"])
def test_a_city_said_with_shi(olist: Any, question: str) -> None:
    got = rows(olist, question)
    assert got == rows(olist, "8月里约的买家下了几单")


# -- sellers counted with their own measure word ---------------------------------------------------

_SOLD_JULY_NOT_AUGUST = (
    "SELECT count(*) FROM (SELECT i.shop_id FROM order_items i JOIN orders o ON o.order_id ="
    " i.order_id WHERE o.paid_at >= '2018-07-01' AND o.paid_at < '2018-09-01' GROUP BY 1"
    " HAVING count(*) FILTER (WHERE o.paid_at < '2018-08-01') > 0"
    " AND count(*) FILTER (WHERE o.paid_at >= '2018-08-01') = 0)"
)


@pytest.mark.parametrize(
    "question",
    [
        "7月还卖过货 8月却一单都没卖出去的卖家有几家",
        "7月卖过 8月一单都没卖出去的卖家有几家",
        "7月还卖过货 8月却一单都没卖出去的卖家有多少",  # the count said without the measure word
    ],
)
def test_sellers_counted_with_jia(olist: Any, question: str) -> None:
    assert number(olist, question) == sql_number(olist, _SOLD_JULY_NOT_AUGUST)


def test_sellers_counted_with_jia_keep_both_periods(olist: Any) -> None:
    both = sql_number(
        olist,
        "SELECT count(*) FROM (SELECT i.shop_id FROM order_items i JOIN orders o ON o.order_id ="
        " i.order_id WHERE o.paid_at >= '2018-07-01' AND o.paid_at < '2018-09-01' GROUP BY 1"
        " HAVING count(*) FILTER (WHERE o.paid_at < '2018-08-01') > 0"
        " AND count(*) FILTER (WHERE o.paid_at >= '2018-08-01') > 0)",
    )
    assert number(olist, "7月和8月都卖过货的卖家有几家") == both


# -- the goods' value before discounts said 商品原价 -------------------------------------------------


@pytest.mark.parametrize(
    "question",
    ["7月下的单商品原价（优惠前）加起来是多少", "7月订单的商品原价合计", "7月商品原价(折前)是多少"],
)
def test_the_goods_list_price_is_goods_amount(olist: Any, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT sum(o.goods_amount) FROM orders o"
        " WHERE o.created_at >= '2018-07-01' AND o.created_at < '2018-08-01'",
    )
    assert float(rows(olist, question)[0][-1]) == pytest.approx(want)


def test_a_discount_asked_stays_refused_where_there_is_none(olist: Any) -> None:
    refused(olist, "7月优惠了多少钱")


def test_spent_guo_before_yishang_stays_the_experiential(retail: Any) -> None:
    # 消费过1000镑以上: "have spent over 1,000" (过 after the verb), not 消费超过…以上 (w32r39)
    want = sql_number(
        retail,
        "SELECT count(*) FROM (SELECT one_id FROM (SELECT o.one_id, quarter(o.paid_at) AS q,"
        " sum(o.paid_amount) AS spend FROM orders o WHERE o.one_id IS NOT NULL AND"
        f" {R_2011} GROUP BY 1, 2) WHERE spend >= 1000 GROUP BY 1 HAVING count(*) = 4)",
    )
    assert number(retail, "今年每个季度都消费过1000镑以上的客户有几个") == want


# -- the orders counted, said with the payers after them --------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "how many orders were paid by customers in october",
        "how many invoices were paid by customers in october",
    ],
)
def test_orders_paid_by_customers_are_counted(retail: Any, question: str) -> None:
    # was: the customers alone (1,364) as the answer to "how many orders"
    want = sql_number(retail, f"SELECT count(*) FROM orders o WHERE {R_OCT}")
    assert float(rows(retail, question)[0][0]) == want


def test_customers_of_orders_shipped_stay_the_people(olist: Any) -> None:
    want = sql_number(
        olist,
        "SELECT count(DISTINCT o.one_id) FROM orders o"  # people: OneIDs
        " WHERE o.shipped_at >= '2018-08-01' AND o.shipped_at < '2018-09-01'",
    )
    assert number(olist, "how many customers had orders shipped in august") == want
