"""People said in everyday words (issue 11, session 38, helper A): the first purchase said as
paying us or doing business with us (头一回 / 头一次 … 付款 / 做生意), one paid order (只付过一单),
each of two months bought in said with a record of paying (都有付款记录, 两个月都), 有消费 for bought,
a month 以后到现在, the most spent said with 花钱, every month's spend said before 都, "placed
orders in … and again in …". Values against hand-written SQL (as the blind dev set W33 writes
them); each reading beside a look-alike that keeps its own answer or stays refused."""

from __future__ import annotations

import datetime as dt

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, sql_number

_NEW = (
    "SELECT count(*) FROM (SELECT o.one_id, min(o.paid_at) AS first_paid FROM orders o"
    " WHERE o.one_id IS NOT NULL AND o.paid_at IS NOT NULL GROUP BY 1) f"
    " WHERE f.first_paid >= '{start}' AND f.first_paid < '{end}'"
)


@pytest.mark.parametrize(
    "question",
    [
        "7月头一回在咱们店付款的买家有多少",
        "7月 第一次 在 我们 店里 付款 的 客户 有 几个",
        "7月头一次来咱们这消费的顾客有多少",
    ],
)
def test_first_purchase_said_as_paying_us(olist: Workspace, question: str) -> None:
    want = sql_number(olist, _NEW.format(start="2018-07-01", end="2018-08-01"))
    assert number(olist, question) == want, question


def test_first_purchase_said_as_doing_business(retail: Workspace) -> None:
    want = sql_number(retail, _NEW.format(start="2011-10-01", end="2011-11-01"))
    assert number(retail, "10月头一次跟我们做生意的客户有几个") == want
    assert number(retail, "10月头一回跟咱们做买卖的客户有多少") == want
    # look-alike: every customer who paid in October, not only the new ones
    assert number(retail, "10月付过款的客户有几个") > want


def test_one_paid_order_only(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT count(*) FROM (SELECT o.one_id FROM orders o WHERE o.one_id IS NOT NULL"
        " AND o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01' GROUP BY 1 HAVING count(*) = 1)",
    )
    assert number(olist, "今年只付过一单的买家一共多少人") == want
    assert number(olist, "今年仅支付过1笔的买家有几个") == want
    # look-alike: every buyer of the year
    assert number(olist, "今年的买家一共多少人") > want


_BOTH_MONTHS = (
    "SELECT count(*) FROM (SELECT o.one_id FROM orders o WHERE o.one_id IS NOT NULL"
    " AND o.paid_at >= '{start}' AND o.paid_at < '{end}' GROUP BY 1"
    " HAVING count(DISTINCT month(o.paid_at)) = {n})"
)


def test_each_month_bought_in_said_with_payments(olist: Workspace) -> None:
    want = sql_number(olist, _BOTH_MONTHS.format(start="2018-07-01", end="2018-09-01", n=2))
    assert want > 0
    assert number(olist, "7月和8月两个月都有付款记录的买家") == want
    assert number(olist, "7月和8月都付过款的买家有多少") == want
    assert number(olist, "7月跟8月这两个月都有消费的客户有几个") == want
    # look-alike: the buyers of July and August together (one period, no 都)
    assert number(olist, "7月到8月一共有多少买家") > want


def test_each_month_bought_in_said_in_english(retail: Workspace) -> None:
    want = sql_number(retail, _BOTH_MONTHS.format(start="2011-10-01", end="2011-12-01", n=2))
    assert (
        number(retail, "How many customers placed orders in October and again in November?") == want
    )
    assert number(retail, "How many customers made purchases in both October and November?") == want
    # look-alike: the orders placed in October stay orders, not people
    orders = sql_number(
        retail,
        "SELECT count(*) FROM orders o WHERE o.paid_at >= '2011-10-01' AND o.paid_at < '2011-11-01'",
    )
    assert number(retail, "How many orders did customers place in October?") == orders


def test_bought_in_a_half_and_not_since_a_month(retail: Workspace) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM (SELECT DISTINCT o.one_id FROM orders o WHERE o.one_id IS NOT NULL"
        " AND o.paid_at >= '2011-01-01' AND o.paid_at < '2011-07-01' EXCEPT SELECT DISTINCT o.one_id"
        " FROM orders o WHERE o.one_id IS NOT NULL AND o.paid_at >= '2011-07-01'"
        " AND o.paid_at < '2011-12-01')",
    )
    assert number(retail, "上半年有消费 7月以后到现在再没下过单的客户数") == want
    assert number(retail, "上半年有过消费、7月之后至今没再买过的客户有几个") == want
    # look-alike: the amount spent in the first half is a figure, not people
    assert "消费" not in str(
        refused(retail, "上半年有消费金额 7月以后到现在再没下过单的客户数多少钱")
    )


def test_top_spenders_share_said_with_money_spent(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT (SELECT sum(spend) FROM (SELECT sum(o.paid_amount) AS spend FROM orders o"
        " WHERE o.one_id IS NOT NULL AND o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01'"
        " GROUP BY o.one_id ORDER BY 1 DESC LIMIT 10)) / sum(o.paid_amount) FROM orders o"
        " WHERE o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01'",
    )
    for q in ("8月花钱最多的10个买家占了营业额多少", "8月花得最多的10个买家占了营业额的几成"):
        assert number(olist, q, -1) == pytest.approx(want, abs=0.0006), q
    # look-alike: the largest single order's spend stays the order's (客单价 ranked), not people
    assert number(olist, "8月消费最多的10个买家占了营业额多少", -1) == pytest.approx(
        want, abs=0.0006
    )


def test_every_month_above_an_amount_said_with_money(retail: Workspace) -> None:
    gold = (
        "SELECT count(*) FROM (SELECT one_id FROM (SELECT o.one_id, month(o.paid_at) AS m,"
        " sum(o.paid_amount) AS spend FROM orders o WHERE o.one_id IS NOT NULL"
        " AND o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01' GROUP BY 1, 2) t"
        " WHERE spend {op} 100 GROUP BY 1 HAVING count(*) = 11)"
    )
    assert number(retail, "今年每个月花的钱都超过100镑的客户有几个") == sql_number(
        retail, gold.format(op=">")
    )
    assert number(retail, "今年每个月消费金额都在100镑以上的客户有多少") == sql_number(
        retail, gold.format(op=">=")
    )
    # look-alike: every month bought in, no amount
    assert number(retail, "今年每个月都买过的客户有几个") >= sql_number(
        retail, gold.format(op=">=")
    )


# -- visitors with one behaviour event and not another --------------------------------------------

_EVENTS_WITHOUT = (
    "SELECT count(*) FROM (SELECT e.user_key FROM events e WHERE e.event_time >= DATE '{start}'"
    " AND e.event_time < DATE '{end}' GROUP BY 1 HAVING bool_or(e.event_type = '{did}')"
    " AND NOT bool_or(e.event_type = '{not_}'))"
)


def _last_month(demo: Workspace) -> tuple[str, str]:
    first = demo.today.replace(day=1)
    start = (first - dt.timedelta(days=1)).replace(day=1)
    return start.isoformat(), first.isoformat()


@pytest.mark.parametrize(
    "question",
    [
        "上个月 看过 商品 但 一次 都 没 加购 的 访客 有 多少",
        "上个月看过东西却一直没加过购物车的人有几个",
        "上个月浏览过但没加购的人有多少",
        "how many visitors viewed but didn't add to cart last month",
    ],
)
def test_viewed_but_never_carted(demo: Workspace, question: str) -> None:
    start, end = _last_month(demo)
    want = sql_number(demo, _EVENTS_WITHOUT.format(start=start, end=end, did="view", not_="cart"))
    assert want > 0
    assert number(demo, question) == want, question


def test_never_ever_said_of_a_behaviour_is_refused(demo: Workspace) -> None:
    """从来没 is never at any time (the lead, merging: 但从来没买过 B = B never bought, ever); a
    behaviour never done at any time is not read, so it is refused rather than answered inside
    the month."""
    refused(demo, "上个月看过东西却从来没加过购物车的人有几个")


def test_carted_but_never_bought_said_with_the_cart(demo: Workspace) -> None:
    start, end = _last_month(demo)
    want = sql_number(demo, _EVENTS_WITHOUT.format(start=start, end=end, did="cart", not_="buy"))
    assert number(demo, "上个月把东西放进购物车却一直没买的访客有几个") == want
    assert number(demo, "上个月把商品加进购物车但始终没下单的人有多少") == want
    # look-alike: every visitor who added to cart, bought or not
    assert number(demo, "上个月加购的访客有几个") > want
    # look-alike: viewed, then a share asked of the carters — not the non-carters counted
    refused(demo, "上个月看过商品的人里有多少没加过购物车")


# -- the time between a person's purchases in a person's words --------------------------------------

_RETAIL_2011 = "o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01'"


def test_first_to_second_invoice_of_the_new_customers(retail: Workspace) -> None:
    want = sql_number(
        retail,
        "WITH r AS (SELECT o.one_id, o.paid_at, row_number() OVER (PARTITION BY o.one_id"
        " ORDER BY o.paid_at, o.order_id) AS rn FROM orders o WHERE o.one_id IS NOT NULL"
        " AND o.paid_at IS NOT NULL), p AS (SELECT one_id, max(paid_at) FILTER (WHERE rn = 1)"
        " AS first_at, max(paid_at) FILTER (WHERE rn = 2) AS second_at FROM r GROUP BY 1)"
        " SELECT avg(date_diff('second', first_at, second_at)) / 86400.0 FROM p"
        " WHERE first_at >= '2011-01-01' AND first_at < '2011-12-01' AND second_at IS NOT NULL",
    )
    for q in (
        "今年第一次来的客户 隔了多少天才来下第二张单 平均一下",
        "今年的新客户平均隔了几天才开第二张发票",
    ):
        assert number(retail, q) == pytest.approx(want, abs=0.006), q
    # look-alike: each purchase to the next, of every customer
    assert number(retail, "今年客户平均隔几天买一次") != pytest.approx(want, abs=0.5)


def test_first_to_last_invoice_the_longest(retail: Workspace) -> None:
    span = (
        "SELECT {agg}(date_diff('second', first_at, last_at)) / 86400.0 FROM (SELECT o.one_id,"
        f" min(o.paid_at) AS first_at, max(o.paid_at) AS last_at FROM orders o WHERE"
        f" o.one_id IS NOT NULL AND {_RETAIL_2011} GROUP BY 1 HAVING count(*) >= 2)"
    )
    longest = sql_number(retail, span.format(agg="max"))
    for q in (
        "今年 同 一个 客户 第一张 和 最后 一张 发票 最多 隔 了 几 天",
        "今年客户第一张和最后一张发票最长隔了几天",
    ):
        assert number(retail, q) == pytest.approx(longest, abs=0.006), q
    # look-alike: the average span stays the average
    average = number(retail, "今年客户从第一张到最后一张发票平均跨了多少天")
    assert average == pytest.approx(sql_number(retail, span.format(agg="avg")), abs=0.006)


def test_days_between_two_invoices_of_the_same_customer(retail: Workspace) -> None:
    gold = (
        "WITH g AS (SELECT o.one_id, o.paid_at, lag(o.paid_at) OVER (PARTITION BY o.one_id"
        " ORDER BY o.paid_at) AS prev FROM orders o WHERE o.one_id IS NOT NULL {where}"
        f" AND {_RETAIL_2011}) SELECT avg(date_diff('second', prev, paid_at)) / 86400.0"
        " FROM g WHERE prev IS NOT NULL"
    )
    dutch = sql_number(retail, gold.format(where="AND o.country = 'Netherlands'"))
    q = "On average, how many days pass between two invoices from the same Dutch customer this year?"
    assert number(retail, q) == pytest.approx(dutch, abs=0.006)
    everyone = sql_number(retail, gold.format(where=""))
    q = "How many days pass between two orders from the same customer this year, on average?"
    assert number(retail, q) == pytest.approx(everyone, abs=0.006)
    assert number(retail, "今年同一个客户两次购买之间平均隔几天") == pytest.approx(
        everyone, abs=0.006
    )


# -- bought, and never wrote a review -------------------------------------------------------------


def test_buyers_who_never_reviewed(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT count(*) FROM (SELECT DISTINCT o.one_id FROM orders o WHERE o.one_id IS NOT NULL"
        " AND o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01') b WHERE NOT EXISTS"
        " (SELECT 1 FROM orders o2 JOIN reviews r ON r.order_id = o2.order_id"
        " WHERE o2.one_id = b.one_id)",
    )
    assert want > 0
    for q in (
        "今年下过单却一条评价都没写过的买家有几个",
        "今年买过东西但从来没写过评价的客户有多少",
        "how many customers bought this year but never left a review",
    ):
        assert number(olist, q) == want, q
    # look-alike: orders (not people) without a review stay unread
    refused(olist, "今年没写过评价的订单有多少")


def test_buyers_who_never_reviewed_where_no_reviews(demo: Workspace) -> None:
    # the demo holds no reviews: nobody is counted as 'never reviewed' from an empty table
    assert "评价" in str(refused(demo, "今年下过单却一条评价都没写过的买家有几个"))


# -- a refund, and no purchase after it ----------------------------------------------------------

_REFUND_THEN_NONE = (
    "WITH r AS (SELECT o.one_id, min(e.refunded_at) AS first_refund FROM (SELECT r.order_id,"
    " coalesce(r.finished_at, r.requested_at, o.paid_at, o.created_at) AS refunded_at FROM"
    " refunds r LEFT JOIN orders o ON o.order_id = r.order_id WHERE r.status IS NULL OR"
    " lower(r.status) = 'success' UNION ALL SELECT o.order_id, coalesce(o.paid_at, o.created_at)"
    " FROM orders o WHERE o.refund_amount <> 0 AND NOT EXISTS (SELECT 1 FROM refunds r WHERE"
    " r.order_id = o.order_id)) e JOIN orders o ON o.order_id = e.order_id WHERE o.one_id IS NOT"
    " NULL AND e.refunded_at >= DATE '{start}' AND e.refunded_at < DATE '{today}' GROUP BY 1)"
    " SELECT count(*) FROM r WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.one_id = r.one_id"
    " AND o.paid_at > r.first_refund{cut})"
)


def test_refunded_then_never_bought_again(demo: Workspace) -> None:
    start, today = demo.today.replace(month=1, day=1).isoformat(), demo.today.isoformat()
    want = {
        sql_number(demo, _REFUND_THEN_NONE.format(start=start, today=today, cut=cut))
        for cut in ("", f" AND o.paid_at < DATE '{today}'")
    }
    for q in (
        "今年退过款以后就再也没买过的客户有几个",
        "今年退货之后再没回来下过单的客户有多少",
        "this year, how many customers got a refund and never bought again",
    ):
        assert number(demo, q) in want, q
    # look-alikes: a refund, then an order (the other side), and every refunding customer
    again = number(demo, "今年退过款之后又回来下单的客户有几个")
    everyone = number(demo, "今年退过款的客户有几个")
    assert again + number(demo, "今年退过款以后就再也没买过的客户有几个") == everyone
    # a value said before it: whose refund (or purchase) it limits is not said
    refused(demo, "今年天猫退过款以后就再也没买过的客户有几个")


# -- a share of people said per 100 ---------------------------------------------------------------


def test_share_of_buyers_said_per_100(olist: Workspace) -> None:
    gold = (
        "SELECT count(*) FILTER (WHERE n {op}) * {per}.0 / count(*) FROM (SELECT o.one_id,"
        " count(*) AS n FROM orders o WHERE o.one_id IS NOT NULL AND o.paid_at >= '2018-01-01'"
        " AND o.paid_at < '2018-09-01' GROUP BY 1)"
    )
    per_100 = sql_number(olist, gold.format(op=">= 2", per=100))
    for q in (
        "今年 每 100个 买家 里 有 几 个 是 买 了 不止 一次 的",
        "out of every 100 buyers this year, how many bought more than once",
    ):
        assert number(olist, q, -1) == pytest.approx(per_100, abs=0.0001), q
    per_1000 = sql_number(olist, gold.format(op=">= 2", per=1000))
    assert number(olist, "今年每1000个买家里有多少人买过两次以上", -1) == pytest.approx(
        per_1000, abs=0.0001
    )
    # look-alikes: the count of those people stays a count; per 100 with no people set is refused
    assert number(olist, "今年买了不止一次的买家有几个") == sql_number(
        olist, gold.format(op=">= 2", per=1).replace("* 1.0 / count(*)", "")
    )
    refused(olist, "今年每100个买家的销售额")


def test_share_of_customers_said_per_100(retail: Workspace) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FILTER (WHERE n = 1) * 100.0 / count(*) FROM (SELECT o.one_id, count(*)"
        f" AS n FROM orders o WHERE o.one_id IS NOT NULL AND {_RETAIL_2011} GROUP BY 1)",
    )
    assert number(retail, "今年每100个客户里有几个只买过一次", -1) == pytest.approx(
        want, abs=0.0001
    )


# -- how many of the largest spenders make up a part of the sales ------------------------------------

_REACH = (
    "WITH p AS (SELECT o.one_id, sum(o.paid_amount) AS spend FROM orders o WHERE o.one_id IS NOT"
    " NULL AND {period} GROUP BY 1), c AS (SELECT spend, sum(spend) OVER (ORDER BY spend DESC,"
    " one_id ROWS UNBOUNDED PRECEDING) - spend AS before FROM p) SELECT count(*) FROM c WHERE"
    " before < {part} * (SELECT sum(o.paid_amount) FROM orders o WHERE {period})"
)


def test_customers_making_up_half_of_sales(retail: Workspace) -> None:
    half = sql_number(retail, _REACH.format(period=_RETAIL_2011, part=0.5))
    for q in (
        "今年 的 营业额 有 一半 是 多少 个 客户 贡献 的",
        "今年一半的销售额来自多少个客户",
        "how many customers make up half of our revenue this year",
    ):
        assert number(retail, q) == half, q
    most = sql_number(retail, _REACH.format(period=_RETAIL_2011, part=0.8))
    assert number(retail, "今年多少个客户贡献了80%的销售额") == most
    assert most > half
    # look-alike: the top 10 customers' share stays a share
    assert number(retail, "今年销售额前10的客户占了多少", -1) < 1


def test_buyers_making_up_half_of_sales_on_olist(olist: Workspace) -> None:
    period = "o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'"
    want = sql_number(olist, _REACH.format(period=period, part=0.5))
    assert number(olist, "今年的营业额有一半是多少个买家贡献的") == want


# -- more everyday words for the same people (older dev sets) --------------------------------------


def test_first_invoice_with_us(retail: Workspace) -> None:
    want = sql_number(retail, _NEW.format(start="2011-11-01", end="2011-12-01"))
    assert number(retail, "11月有多少客户是第一次在我们这开票的") == want
    assert number(retail, "11月第一次来我们这开发票的客户有几个") == want
    # look-alike: every customer invoiced in November
    assert number(retail, "11月开票的客户有多少", -1) > want


def test_exactly_one_invoice_in_english(retail: Workspace) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM (SELECT o.one_id FROM orders o WHERE o.one_id IS NOT NULL"
        " AND o.paid_at >= '2011-11-01' AND o.paid_at < '2011-12-01' GROUP BY 1 HAVING count(*) = 1)",
    )
    assert (
        number(retail, "How many customers placed exactly one invoice with us in November?") == want
    )
    assert number(retail, "How many customers placed only one order with us in November?") == want


def test_came_in_one_month_not_the_next(retail: Workspace) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM (SELECT o.one_id FROM orders o WHERE o.one_id IS NOT NULL"
        " AND o.paid_at >= '2011-10-01' AND o.paid_at < '2011-12-01' GROUP BY 1 HAVING"
        " count(*) FILTER (WHERE o.paid_at < '2011-11-01') > 0"
        " AND count(*) FILTER (WHERE o.paid_at >= '2011-11-01') = 0)",
    )
    assert number(retail, "10月来过 可11月没再来的客户有几个") == want
    assert number(retail, "10月买过 但11月没再买的客户有几个") == want


def test_new_arrivals_on_a_platform(demo: Workspace) -> None:
    said = number(demo, "上个月天猫新来了多少客户")
    assert said == number(demo, "上个月天猫的新客户有多少")
    assert said < number(demo, "上个月新来了多少客户")


def test_quarters_listed_by_number_all_bought_in(olist: Workspace) -> None:
    gold = (
        "SELECT count(*) FROM (SELECT o.one_id FROM orders o WHERE o.one_id IS NOT NULL"
        " AND o.paid_at >= '2018-01-01' AND o.paid_at < '{end}' GROUP BY 1"
        " HAVING count(DISTINCT quarter(o.paid_at)) = {n})"
    )
    three = sql_number(olist, gold.format(end="2018-09-01", n=3))
    assert number(olist, "今年一二三季度都下过单的买家有几个") == three
    two = sql_number(olist, gold.format(end="2018-07-01", n=2))
    assert number(olist, "今年1、2季度都买过的买家有几个") == two
    assert number(olist, "今年一季度、二季度都买过的买家有几个") == two
    # look-alike: 一二季度 with no 都 is no list of quarters bought in (left as it was: refused)
    refused(olist, "今年一二季度的销售额")
