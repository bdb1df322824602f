"""Time parts, periods, averages and shares said in everyday words (session 41, helper C): the day of
the month said 日期号数 / 号数, the day split at noon (中午12点之前和之后), the orders paid counted 几单付了款,
a time part of the payment's own time (按付款钟点看 收钱), 按X分开看 and the products viewed (商品被浏览), the
shop said 店里 before money taken, a range said again as 这一周, the weeks counted back 往前N个完整的周一到
周日 逐周, the cart said 往购物车加东西, averages said 摊下来一张 / 一单, the sellers with sales before a
per-seller average, the share of a set of orders an event happened to (8月进来的订单里有几成后来签收了) and
the credit notes said C发票. Values against hand-written SQL (as the blind dev set W36 writes them);
each reading beside a look-alike that keeps its own answer or stays refused."""

from __future__ import annotations

import pytest

from shopql.nlq.offline import understand
from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql, sql_number

# --- the day of the month (olist, today 2018-09-01) ---

_DAY_OF_MONTH = (
    "SELECT day(o.created_at) AS d, count(DISTINCT o.one_id) FROM orders o WHERE o.one_id IS NOT"
    " NULL AND o.created_at >= '2018-01-01' AND o.created_at < '2018-09-01' GROUP BY 1"
    " ORDER BY 2 DESC LIMIT 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年按日期号数看（1号到31号） 哪个号数来下单的买家最多",
        "今年按号数看 哪个号数来下单的买家最多",
        "今年按几号看 哪天下单的买家最多",
    ],
)
def test_day_of_the_month_said_as_its_number(olist: Workspace, question: str) -> None:
    got = rows(olist, question)
    assert got[0][0] == sql(olist, _DAY_OF_MONTH)[0][0]


def test_day_of_the_month_within_each_month_keeps_its_reading(olist: Workspace) -> None:
    # look-alike: 每个月里 asks the top day inside each month (one row a month)
    assert len(rows(olist, "今年每个月里 哪个号数下单的买家最多")) == 8


# --- the day split at noon ---

_HALVES = (
    "SELECT CASE WHEN hour(o.created_at) < 12 THEN 1 ELSE 2 END, count(*) FROM orders o WHERE"
    " o.created_at >= '2018-08-01' AND o.created_at < '2018-09-01' GROUP BY 1 ORDER BY 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "8月份 中午12点 之前 和 之后 各 接 了 几 单",
        "8月 12点前跟12点后 分别下了多少单",
        "8月份中午之前和中午之后各有几个订单",
        "August orders: before noon vs after noon",
    ],
)
def test_before_and_after_noon_is_the_half_day(olist: Workspace, question: str) -> None:
    got = rows(olist, question)
    assert [(r[0], r[-1]) for r in got] == sql(olist, _HALVES)


def test_before_and_after_midnight_is_not_noon(olist: Workspace) -> None:
    # look-alike: 晚上12点 is midnight, not noon: not read as the half day
    refused(olist, "8月晚上12点之前和之后各几单")


def test_before_noon_alone_stays_a_filter(olist: Workspace) -> None:
    # look-alike: only before noon named: one figure, the morning's
    assert number(olist, "8月中午12点之前下了几单") == sql(olist, _HALVES)[0][1]


# --- the orders paid counted 几单付了款 ---

_PAID_DAILY = (
    "SELECT CAST(o.paid_at AS DATE), count(*) FROM orders o WHERE o.paid_at >= '2018-08-01'"
    " AND o.paid_at < '2018-09-01' GROUP BY 1 ORDER BY 1"
)


@pytest.mark.parametrize(
    "question",
    ["8月每天各有几单付了款", "8月份每天有多少单已经付过款", "8月 每天 各 有 几 单 付了 钱"],
)
def test_orders_paid_counted_after_the_count(olist: Workspace, question: str) -> None:
    got = [(r[0].date() if hasattr(r[0], "date") else r[0], r[-1]) for r in rows(olist, question)]
    assert got == sql(olist, _PAID_DAILY)


def test_paid_among_the_placed_stays_refused(olist: Workspace) -> None:
    # look-alike: the orders placed in August, those of them paid: a set, not read as a count
    refused(olist, "8月下的单里有几单付了款")


# --- the share of a set of orders an event happened to ---

_DELIVERED_SHARE = (
    "SELECT count(*) FILTER (WHERE o.finished_at IS NOT NULL) * 1.0 / count(*) FROM orders o"
    " WHERE o.created_at >= '2018-08-01' AND o.created_at < '2018-09-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "8月进来的订单里有几成后来签收了",
        "8月 下的 单 里 签收了的 占 几成",
        "8月份的订单中 有百分之多少已经送达",
        "What share of the orders placed in August were delivered?",
    ],
)
def test_share_of_the_orders_an_event_happened_to(olist: Workspace, question: str) -> None:
    assert number(olist, question, -1) == pytest.approx(
        sql_number(olist, _DELIVERED_SHARE), abs=1e-4
    )


def test_event_of_a_set_counted_or_without_a_set_stays_refused(olist: Workspace) -> None:
    # look-alikes: how many of them (a count) and a share with no set named
    refused(olist, "8月下的订单里签收的有几单")
    refused(olist, "8月签收的订单占几成")


# --- averages said as spread over each one ---

_UNITS_PER_SELLER = (
    "SELECT sum(i.quantity) * 1.0 / count(DISTINCT i.shop_id) FROM order_items i JOIN orders o"
    " ON o.order_id = i.order_id WHERE o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'"
)


@pytest.mark.parametrize(
    "question", ["今年 有 出货 的 卖家 平均 每家 卖 出 几 件", "今年出过单的卖家平均每家卖出几件"]
)
def test_sellers_with_sales_before_a_per_seller_average(olist: Workspace, question: str) -> None:
    assert number(olist, question) == pytest.approx(sql_number(olist, _UNITS_PER_SELLER), abs=0.01)


def test_sellers_with_sales_counted_stays_refused(olist: Workspace) -> None:
    # look-alike: a count of the sellers 有出货 (maybe of shipments): not read
    refused(olist, "今年有出货的卖家有几家")


_UNITS_PER_INVOICE = (
    "SELECT sum(i.quantity) * 1.0 / count(DISTINCT o.order_id) FROM order_items i JOIN orders o"
    " ON o.order_id = i.order_id WHERE o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年 付了 款 的 发票 摊下来 一 张 几 件",
        "今年 发票 摊下来 每张 多少件",
        "今年支付的发票平均一张有几件",
    ],
)
def test_units_per_invoice_said_spread(retail: Workspace, question: str) -> None:
    assert number(retail, question) == pytest.approx(
        sql_number(retail, _UNITS_PER_INVOICE), abs=0.01
    )


_C_HOUR = (
    "SELECT hour(o.created_at) FROM orders o WHERE o.raw_status = 'cancellation invoice' AND"
    " o.created_at >= '2011-01-01' AND o.created_at < '2011-12-01' GROUP BY 1 ORDER BY count(*)"
    " DESC LIMIT 1"
)


@pytest.mark.parametrize("question", ["今年C发票几点钟开得最多", "今年C票一般几点开的最多"])
def test_credit_notes_said_c_invoices(retail: Workspace, question: str) -> None:
    assert rows(retail, question)[0][0] == sql(retail, _C_HOUR)[0][0]


# --- the demo (today 2025-06-01) ---

_AVG_DISCOUNT = (
    "SELECT avg(o.discount_amount) FROM orders o WHERE o.created_at >= '2025-01-01'"
    " AND o.created_at < '2025-06-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年 所有 下 的 单 摊下来 一 单 减了 多少 优惠",
        "今年所有下的单 平均每单减了多少优惠",
        "今年下的单 摊下来一单省了多少钱的优惠",
    ],
)
def test_discount_per_order_said_spread(demo: Workspace, question: str) -> None:
    assert number(demo, question) == pytest.approx(sql_number(demo, _AVG_DISCOUNT), abs=0.01)


_HOURLY_PAID = (
    "SELECT hour(o.paid_at) FROM orders o WHERE o.paid_at >= '2025-05-01' AND o.paid_at <"
    " '2025-06-01' GROUP BY 1 ORDER BY sum(o.paid_amount) DESC LIMIT 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "上个月 按 付款 钟点 看 哪个 小时 收 钱 最 多",
        "上个月按付款小时看 哪个小时收钱最多",
        "上个月按付款的小时看 哪个钟点进账最多",
    ],
)
def test_hour_of_the_payment_said_before_the_part(demo: Workspace, question: str) -> None:
    assert rows(demo, question)[0][0] == sql(demo, _HOURLY_PAID)[0][0]


def test_hour_of_another_event_before_the_money_keeps_its_reading(demo: Workspace) -> None:
    # look-alike: the hour the order was placed: the money of the orders placed, by their hour
    # (the reading main gave before this session), not the payments' hour
    q = understand("上个月按下单钟点看 哪个小时收钱最多", demo).query
    assert q.metrics == ("placed_gmv",) and q.dimensions == ("hour_of_day",)


_VIEWS_BY_WEEKDAY = (
    "SELECT isodow(e.event_time), count(*) FROM events e WHERE e.event_type = 'view' AND"
    " e.event_time >= '2025-05-01' AND e.event_time < '2025-06-01' GROUP BY 1 ORDER BY 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "上个月按礼拜几分开看商品被浏览了多少次",
        "上个月按星期几分开来看 商品被浏览多少次",
        "上个月 按 礼拜几 看 商品 被 浏览 了 几次",
    ],
)
def test_views_by_weekday_said_apart(demo: Workspace, question: str) -> None:
    assert [(r[0], r[-1]) for r in rows(demo, question)] == sql(demo, _VIEWS_BY_WEEKDAY)


def test_which_product_viewed_most_keeps_the_product(demo: Workspace) -> None:
    # look-alike: 哪个商品被浏览 names each product
    assert "product" in understand("上个月哪个商品被浏览得最多", demo).query.dimensions


_520 = (
    "SELECT sum(o.paid_amount) FROM orders o WHERE o.paid_at >= '2025-05-20'"
    " AND o.paid_at < '2025-05-21'"
)


@pytest.mark.parametrize(
    "question", ["今年的520表白日 店里进了多少钱", "今年5月20号 咱们店里收了多少钱"]
)
def test_the_shop_said_before_money_taken(demo: Workspace, question: str) -> None:
    assert number(demo, question) == pytest.approx(sql_number(demo, _520), abs=0.01)


_FIRST_WEEK = (
    "SELECT sum(o.paid_amount) FROM orders o WHERE o.paid_at >= '2025-01-01'"
    " AND o.paid_at < '2025-01-08'"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年 元旦 到 1月7号 这 一周 进账 多少",
        "今年元旦到1月7号这七天 营业额多少",
        "今年1月1号到1月7号 那一周 卖了多少钱",
    ],
)
def test_a_range_said_again_as_its_week(demo: Workspace, question: str) -> None:
    assert number(demo, question) == pytest.approx(sql_number(demo, _FIRST_WEEK), abs=0.01)


def test_a_range_said_as_its_week_keeps_its_days(demo: Workspace) -> None:
    # look-alike: 每天 after it: one row a day
    assert len(rows(demo, "今年元旦到1月7号 这一周 每天卖了多少钱")) == 7


_WEEKS_BACK = (
    "SELECT date_trunc('week', o.paid_at), sum(o.paid_amount) FROM orders o WHERE o.paid_at >="
    " date_trunc('week', DATE '2025-06-01') - INTERVAL 56 DAY AND o.paid_at < date_trunc('week',"
    " DATE '2025-06-01') GROUP BY 1 ORDER BY 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "往前8个完整的周一到周日 逐周进账",
        "往前推8个完整的星期一到星期天 每周的营业额",
        "前8个完整的周 逐周 卖了多少钱",
    ],
)
def test_whole_weeks_counted_back_week_by_week(demo: Workspace, question: str) -> None:
    got = [float(r[-1]) for r in rows(demo, question)]
    want = [float(r[1]) for r in sql(demo, _WEEKS_BACK)]
    assert got == pytest.approx(want, abs=0.01)


_CARTERS = (
    "SELECT month(e.event_time), count(DISTINCT e.user_key) FROM events e WHERE e.event_type ="
    " 'cart' AND e.event_time >= '2025-01-01' AND e.event_time < '2025-06-01' GROUP BY 1 ORDER BY 1"
)


@pytest.mark.parametrize(
    "question", ["今年 每个 月 往 购物车 加 东西 的 人数", "今年每个月有多少人往购物车里放过东西"]
)
def test_people_adding_to_the_cart_said_with_wang(demo: Workspace, question: str) -> None:
    assert [r[-1] for r in rows(demo, question)] == [r[1] for r in sql(demo, _CARTERS)]


def test_times_added_to_the_cart_keep_their_reading(demo: Workspace) -> None:
    # look-alike: 次数 counts the add-to-cart events, not the people
    got = [r[-1] for r in rows(demo, "今年每个月往购物车加东西的次数")]
    carts = sql(
        demo,
        "SELECT count(*) FROM events e WHERE e.event_type = 'cart' AND e.event_time >= '2025-01-01'"
        " AND e.event_time < '2025-06-01' GROUP BY month(e.event_time) ORDER BY month(e.event_time)",
    )
    assert got == [r[0] for r in carts]


# --- two things set side by side ---

_PER_UNIT = (
    "SELECT coalesce(i.category, p.category), sum(i.paid_amount) / sum(i.quantity) FROM order_items"
    " i JOIN orders o ON o.order_id = i.order_id LEFT JOIN products p ON p.product_id ="
    " i.product_id WHERE coalesce(i.category, p.category) IN ('女装', '家纺') AND o.paid_at >="
    " '2025-01-01' AND o.paid_at < '2025-06-01' GROUP BY 1 ORDER BY 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年女装vs家纺 每件平均成交价",
        "今年女装和家纺的件均价",
        "今年 女装 跟 家纺 平均每件成交价 各是多少",
    ],
)
def test_price_per_unit_of_two_categories(demo: Workspace, question: str) -> None:
    got = sorted((r[0], float(r[-1])) for r in rows(demo, question))
    want = sorted((r[0], float(r[1])) for r in sql(demo, _PER_UNIT))
    assert [g[0] for g in got] == [w[0] for w in want]
    assert [g[1] for g in got] == pytest.approx([w[1] for w in want], abs=0.01)


def test_average_unit_price_keeps_its_reading(demo: Workspace) -> None:
    # look-alike: 平均单价 is the average price of the lines, not sales over units
    assert understand("今年女装vs家纺的平均单价", demo).query.metrics == ("avg_unit_price",)


@pytest.mark.parametrize(
    "question",
    [
        "Last month, was an average weekend day or weekday bigger for sales? Give both daily averages.",
        "上个月周末和工作日 哪个日均销售额更高",
        "Last month: daily average sales, weekend vs weekday — which was higher?",
    ],
)
def test_weekend_day_against_weekday_both_rows(demo: Workspace, question: str) -> None:
    assert rows(demo, question) == rows(demo, "上个月周末和工作日的日均销售额")


def test_both_without_two_sides_stays_refused(demo: Workspace) -> None:
    # look-alike: "both" with no two sides named is not placed
    refused(demo, "Last month, give both sales figures")


_NEW_SHARE = (
    "SELECT sum(o.paid_amount) FILTER (WHERE f.first_paid >= '2011-11-01') / sum(o.paid_amount)"
    " FROM orders o LEFT JOIN (SELECT one_id, min(paid_at) AS first_paid FROM orders WHERE one_id IS"
    " NOT NULL AND paid_at IS NOT NULL GROUP BY 1) f ON f.one_id = o.one_id WHERE o.paid_at >="
    " '2011-11-01' AND o.paid_at < '2011-12-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "11月 流水 里 新 客户（首次 购买）的 贡献 比例 百分数",
        "11月 流水 里 新客户(第一次下单的) 贡献了 多大比例",
        "11月营业额里 新买家（首次购买）的占比 用百分比表示",
    ],
)
def test_new_customers_share_explained_in_brackets(retail: Workspace, question: str) -> None:
    assert number(retail, question, -1) == pytest.approx(sql_number(retail, _NEW_SHARE), abs=1e-3)


_BF_WEEK = (
    "SELECT sum(o.paid_amount) FROM orders o WHERE o.paid_at >= '2017-11-20'"
    " AND o.paid_at < '2017-11-27'"
)


@pytest.mark.parametrize(
    "question",
    [
        "2017年黑五所在那一周（周一到周日）的营业额",
        "2017年黑色星期五所在的那个星期（周一到周日） 卖了多少钱",
        "2017年black friday在的那一周(周一至周日)营业额",
    ],
)
def test_the_week_a_festival_falls_in(olist: Workspace, question: str) -> None:
    assert number(olist, question) == pytest.approx(sql_number(olist, _BF_WEEK), abs=0.01)


def test_the_festival_day_alone_keeps_its_reading(olist: Workspace) -> None:
    # look-alike: 当天 is the one day
    one_day = "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2017-11-24' AND paid_at < '2017-11-25'"
    assert number(olist, "2017年黑五当天的营业额") == pytest.approx(
        sql_number(olist, one_day), abs=0.01
    )


_SP_SELLERS = (
    "SELECT CASE WHEN s.province = 'SP' THEN 'SP' ELSE 'other' END, sum(i.paid_amount) FROM"
    " order_items i JOIN orders o ON o.order_id = i.order_id JOIN shops s ON s.shop_id = i.shop_id"
    " WHERE o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC"
)


@pytest.mark.parametrize(
    "question",
    [
        "圣保罗本地卖家跟其他州卖家 今年各自的销售额",
        "今年SP州卖家和其他州卖家的销售额",
        "今年 SP卖家 跟 其他卖家 各自卖了多少钱",
    ],
)
def test_a_states_sellers_against_the_rest(olist: Workspace, question: str) -> None:
    got = sorted((float(r[-1]) for r in rows(olist, question)), reverse=True)
    assert got == pytest.approx([float(r[1]) for r in sql(olist, _SP_SELLERS)], abs=0.01)


def test_a_states_customers_against_the_rest_keep_their_state(olist: Workspace) -> None:
    # look-alike: 客户 after the state: the buyers' state, not the sellers'
    q = understand("今年SP州客户和其他州客户的销售额", olist).query
    assert q.extra["rest_of"][0] == "province"


_HALVES_OLIST = (
    "SELECT CASE WHEN paid_at < '2018-07-01' THEN 1 ELSE 2 END, sum(paid_amount) FROM orders WHERE"
    " paid_at >= '2018-01-01' AND paid_at < '2018-09-01' GROUP BY 1 ORDER BY 1"
)


@pytest.mark.parametrize(
    "question", ["今年1-6月和7月至今的营业额分别多少", "今年1到6月跟7月到现在 营业额各是多少"]
)
def test_the_halves_said_by_their_months(olist: Workspace, question: str) -> None:
    got = sorted(float(r[1]) for r in rows(olist, question))
    want = sorted(float(r[1]) for r in sql(olist, _HALVES_OLIST))
    assert got == pytest.approx(want, abs=0.01)


_FAV_TO_BUY = (
    "SELECT count(*) FILTER (WHERE b) * 1.0 / count(*) FROM (SELECT e.user_key, bool_or(e.event_type"
    " = 'buy') AS b FROM events e WHERE e.event_time >= '2025-05-01' AND e.event_time < '2025-06-01'"
    " GROUP BY 1 HAVING bool_or(e.event_type = 'fav'))"
)


@pytest.mark.parametrize(
    "question",
    ["上个月收藏过商品的访客 后来有几成下单买了", "上个月收藏过商品的访客里 买了的占几成"],
)
def test_favouriting_visitors_who_went_on_to_buy(demo: Workspace, question: str) -> None:
    assert number(demo, question, -1) == pytest.approx(sql_number(demo, _FAV_TO_BUY), abs=1e-3)


def test_favouriting_visitors_who_bought_counted_stays_refused(demo: Workspace) -> None:
    # look-alike: 多少 (how many of them), not a share: not read
    refused(demo, "上个月收藏过商品的访客 后来有多少下单买了")


_NEW_BY_MONTH = (
    "SELECT month(first_paid) FROM (SELECT one_id, min(paid_at) AS first_paid FROM orders WHERE"
    " one_id IS NOT NULL AND paid_at IS NOT NULL GROUP BY 1) WHERE first_paid >= '2025-01-01' AND"
    " first_paid < '2025-06-01' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
)


@pytest.mark.parametrize(
    "question", ["今年新客按首单月份算 哪个月最多", "今年新客户按第一单的月份 哪个月最多"]
)
def test_new_customers_by_their_first_orders_month(demo: Workspace, question: str) -> None:
    top = rows(demo, question)[0][0]
    assert getattr(top, "month", top) == sql(demo, _NEW_BY_MONTH)[0][0]


_HOME_SPEND = (
    "SELECT sum(i.paid_amount) / count(DISTINCT o.one_id) FROM order_items i JOIN orders o ON"
    " o.order_id = i.order_id LEFT JOIN products p ON p.product_id = i.product_id WHERE o.one_id IS"
    " NOT NULL AND coalesce(i.category, p.category) = '家纺' AND o.paid_at >= '2025-01-01' AND"
    " o.paid_at < '2025-06-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年 买过 家纺 的 客户 平均 每人 在 家纺 上 花了 多少",
        "今年买过家纺的顾客 人均在家纺上消费了多少",
    ],
)
def test_spend_on_a_category_of_its_buyers(demo: Workspace, question: str) -> None:
    assert number(demo, question) == pytest.approx(sql_number(demo, _HOME_SPEND), abs=0.01)


def test_all_spend_of_a_categorys_buyers_stays_refused(demo: Workspace) -> None:
    # look-alike: their spend on anything (the people's whole spend) is not this reading
    refused(demo, "今年买过家纺的客户平均每人花了多少")


# 春节 2025 is Wednesday 29 January: its calendar week is Monday 27 January to Sunday 2 February
_SPRING_WEEK = (
    "SELECT sum(o.paid_amount) FROM orders o WHERE o.paid_at >= '2025-01-27'"
    " AND o.paid_at < '2025-02-03'"
)


@pytest.mark.parametrize(
    "question", ["今年春节所在那个礼拜卖了多少", "今年春节所在的那一周（周一到周日）的营业额"]
)
def test_the_calendar_week_a_festival_falls_in(demo: Workspace, question: str) -> None:
    assert number(demo, question) == pytest.approx(sql_number(demo, _SPRING_WEEK), abs=0.01)


def test_spend_spread_over_each_buyers_head_keeps_its_reading(olist: Workspace) -> None:
    # look-alike (dev_w28a w28o05): 摊到每个买家头上 is the spend per buyer, read by its own rule
    spend = (
        "SELECT sum(o.paid_amount) / count(DISTINCT o.one_id) FROM orders o WHERE o.one_id IS NOT"
        " NULL AND o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'"
    )
    got = number(olist, "今年 摊到 每个 买家 头上 平均 花了 多少")
    assert got == pytest.approx(sql_number(olist, spend), abs=0.01)
