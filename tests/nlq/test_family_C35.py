"""Refusals fixed by family, not by phrase (issue 11 part 2, session 35, helper C). The dev sets'
refusals were sorted by the kind of gap; the kinds that recur across several sets are read as families:

- "that day" said after a period of one day (上礼拜五那天, 昨天那天, 5月20号那天): the day just named
  (lexicon THAT_DAY, placed like 当天); after a longer period (8月最忙那天, 上个月那天) it picks a day
  out of it — another question, still refused;
- a comparative asked either way (高了还是低了, 多还是少, 是高是低): which way the figure went against
  the period compared with, as 涨了还是跌了 already is (lexicon WHICH_WAY); and "哪个高(一点)" of
  exactly two whole periods of a breakdown: the two rows, the larger first (offline
  `_which_of_two_periods`); over a longer range (今年哪个月客单价高) it stays refused;
- the same of two periods apart (今年10月的客单价比去年12月高还是低): the two rows and the change, as
  a plain comparison of the two (offline `_periods_apart`); with 差多少 after it, the difference
  (languages.yaml); with a breakdown it stays refused;
- colloquial verbs of buying, selling and paying, read as the plain verb (languages.yaml: 买走,
  走量, 付钱, 退出去, 来买东西 / 买东西的人; lexicon HARMLESS: 卖出去, 卖掉, 售出; 'placed');
- refunds counted by their measure word (退款了多少笔 = 退款笔数, 退款了几次 = 退款次数), the amount
  kept for 退款了多少钱;
- people who bought on N different days (在10个以上不同日子下过单, 有3天以上都来买过): the set
  reading of N different months extended to days (people.py cues, catalog SEVERAL in_days), and
  跨 before the number of countries / categories (跨两个以上国家, 跨至少3个品类购物);
- an average per unit said with 下来 / 按月 (平均下来一个月, 按 月 平均 下来 一个 月) and a bound said
  with 了 or 破 (超过了5万镑, 破了3万): the forms already read (平均每个月, 超过5万) — languages.yaml;
- sellers' first sale said colloquially (头一回出单, 新 开张 出 第一单 的 卖家): the new
  sellers (languages.yaml), counted with 家 (lexicon METRIC_UNIT_WORDS).

Values against hand-written SQL; each reading has a look-alike that keeps its answer or stays
refused.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.nlq.helpers import number, refused, rows, sql, sql_number, unknown

# -- "that day" after a one-day period -------------------------------------------------------


def test_that_day_after_a_weekday(olist: Any) -> None:
    want = sql_number(
        olist,
        "SELECT count(*) FROM orders WHERE created_at >= '2018-08-24' AND created_at < '2018-08-25'",
    )
    assert float(rows(olist, "上礼拜五那天单量多少")[0][0]) == want > 0


def test_that_day_after_yesterday(retail: Any) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM orders WHERE created_at >= '2011-11-30' AND created_at < '2011-12-01'",
    )
    assert float(rows(retail, "昨天那一天开出去的发票数")[0][0]) == want > 0


@pytest.mark.parametrize("question", ["上个月那天的订单数", "8月最忙那天的单量多少"])
def test_that_day_of_a_longer_period_stays_refused(olist: Any, question: str) -> None:
    """A day picked out of a month (which one is not said, or by a word not read): refused."""
    assert any("那天" in w for w in unknown(olist, question))


# -- a comparative asked either way ------------------------------------------------------------

_AOV = "SELECT sum(paid_amount) / count(*) FROM orders WHERE paid_at >= '{0}' AND paid_at < '{1}'"


@pytest.mark.parametrize(
    "question", ["8月的客单价比7月高了还是低了", "8月的客单价和7月比是高还是低"]
)
def test_higher_or_lower_is_the_change(olist: Any, question: str) -> None:
    now = sql_number(olist, _AOV.format("2018-08-01", "2018-09-01"))
    before = sql_number(olist, _AOV.format("2018-07-01", "2018-08-01"))
    (row,) = rows(olist, question)
    assert float(row[0]) == pytest.approx(now, abs=0.01)
    assert float(row[1]) == pytest.approx(before, abs=0.01)
    assert float(row[2]) == pytest.approx(now / before - 1, abs=0.0001)


def test_more_or_fewer_orders_is_the_change(olist: Any) -> None:
    count = "SELECT count(*) FROM orders WHERE created_at >= '{0}' AND created_at < '{1}'"
    (row,) = rows(olist, "8月的订单比7月多还是少")
    assert float(row[0]) == sql_number(olist, count.format("2018-08-01", "2018-09-01"))
    assert float(row[1]) == sql_number(olist, count.format("2018-07-01", "2018-08-01"))


@pytest.mark.parametrize("question", ["7月和8月的客单价哪个高一点", "7月和8月的客单价哪个更高"])
def test_which_of_two_months_is_higher(olist: Any, question: str) -> None:
    want = sql(
        olist,
        "SELECT month(paid_at), sum(paid_amount) / count(*) AS aov FROM orders WHERE paid_at >="
        " '2018-07-01' AND paid_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC",
    )
    got = rows(olist, question)
    assert [round(float(r[-1]), 2) for r in got] == [round(float(r[1]), 2) for r in want]
    assert [r[0].month for r in got] == [r[0] for r in want]


_AOV_RETAIL = (
    "SELECT sum(paid_amount) / count(*) FROM orders WHERE paid_at >= '{0}' AND paid_at < '{1}'"
)


def test_higher_or_lower_of_two_periods_apart(retail: Any) -> None:
    oct_ = sql_number(retail, _AOV_RETAIL.format("2011-10-01", "2011-11-01"))
    dec = sql_number(retail, _AOV_RETAIL.format("2010-12-01", "2011-01-01"))
    got = rows(retail, "今年10月的客单价比去年12月高还是低")
    assert [round(float(r[1]), 2) for r in got] == [round(dec, 2), round(oct_, 2)]
    assert float(got[1][2]) == pytest.approx(oct_ / dec - 1, abs=0.0001)


def test_higher_or_lower_by_how_much_is_the_difference(retail: Any) -> None:
    oct_ = sql_number(retail, _AOV_RETAIL.format("2011-10-01", "2011-11-01"))
    dec = sql_number(retail, _AOV_RETAIL.format("2010-12-01", "2011-01-01"))
    (row,) = rows(retail, "今年 10月 的 客单价 比 去年 12月 高 还是 低 差 多少")
    assert float(row[-1]) == pytest.approx(oct_ - dec, abs=0.01)


def test_higher_or_lower_apart_by_country_stays_refused(retail: Any) -> None:
    """With a breakdown, two periods apart are not set side by side: refused as before."""
    refused(retail, "今年10月各国家的客单价比去年12月高还是低")


def test_which_month_of_a_year_is_higher_stays_refused(olist: Any) -> None:
    """Eight months, not two: which is higher is a ranking (最高), not read from 高 alone."""
    assert "高" in unknown(olist, "今年哪个月客单价高")


# -- colloquial verbs of buying, selling and paying -------------------------------------------


def test_came_to_buy_things_are_the_buyers(olist: Any) -> None:
    want = sql_number(
        olist,
        "SELECT count(DISTINCT one_id) FROM orders WHERE paid_at >= '2018-08-20' AND paid_at <"
        " '2018-08-27'",
    )
    assert float(rows(olist, "上礼拜来买东西的人有几个")[0][0]) == want > 0


_NL_UNITS = (
    "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id WHERE"
    " o.country = 'Netherlands' AND o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01'"
)


def test_bought_away_pieces_are_the_units(retail: Any) -> None:
    assert float(rows(retail, "今年荷兰的客户一共买走多少件")[0][0]) == sql_number(
        retail, _NL_UNITS
    )


def test_bought_away_money_stays_the_sales(retail: Any) -> None:
    """The look-alike with 多少钱: the money they paid, not the pieces."""
    want = sql_number(
        retail,
        "SELECT sum(paid_amount) FROM orders WHERE country = 'Netherlands' AND paid_at >="
        " '2011-01-01' AND paid_at < '2011-12-01'",
    )
    got = float(rows(retail, "今年荷兰的客户一共买走多少钱")[0][0])
    assert got == pytest.approx(want, abs=0.01) and got != sql_number(retail, _NL_UNITS)


def test_volume_moved_is_the_units(olist: Any) -> None:
    want = sql(
        olist,
        "SELECT p.category, sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id ="
        " i.order_id JOIN products p ON p.product_id = i.product_id WHERE o.paid_at >="
        " '2018-01-01' AND o.paid_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    got = rows(olist, "今年走量最大的品类是哪个")
    assert (got[0][0], float(got[0][1])) == (want[0][0], float(want[0][1]))


def test_paid_with_money_is_paid(olist: Any) -> None:
    want = sql(
        olist,
        "SELECT hour(paid_at), count(*) FROM orders WHERE paid_at >= '2018-01-01' AND paid_at <"
        " '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    got = rows(olist, "今年 一天 里 哪个 钟头 付钱 的 订单 最多")
    assert (int(got[0][0]), int(got[0][1])) == (int(want[0][0]), int(want[0][1]))


@pytest.mark.parametrize(
    ("question", "category"),
    [("8月 饮料 卖 出去 几 单", "bebidas"), ("8月 手机 卖出去 几单", "telefonia")],
)
def test_orders_sold_out_are_the_paid_orders(olist: Any, question: str, category: str) -> None:
    """卖出去几单 counts the orders SOLD (the blind golds: paid orders, by payment time); read with
    卖出去 dropped it was the orders placed — in August's phones 246 where 252 were sold (the
    bebidas figures happen to agree). Refused until session 36, now read as the paid orders
    (convention, session 36: 卖了 / 卖出 / 卖掉 / 成交 / 卖出去 几单 = paid orders)."""
    placed, sold = (
        sql_number(
            olist,
            "SELECT count(DISTINCT i.order_id) FROM order_items i JOIN orders o ON o.order_id ="
            " i.order_id JOIN products p ON p.product_id = i.product_id WHERE p.category ="
            f" '{category}' AND o.{t} >= '2018-08-01' AND o.{t} < '2018-09-01'",
        )
        for t in ("created_at", "paid_at")
    )
    if category == "telefonia":
        assert (placed, sold) == (246, 252)
    assert number(olist, question) == sold


def test_sold_out_products_stay_a_count_of_products(olist: Any) -> None:
    """The look-alike: 卖出去过的商品 keeps its count of the products sold."""
    want = sql_number(
        olist,
        "SELECT count(DISTINCT i.product_id) FROM order_items i JOIN orders o ON o.order_id ="
        " i.order_id WHERE o.paid_at >= '2018-07-01' AND o.paid_at < '2018-08-01'",
    )
    assert float(rows(olist, "7月卖出去过的商品有几个")[0][0]) == want > 0


# -- refunds counted by their measure word -----------------------------------------------------


_REFUND_EVENTS = (
    "SELECT date_trunc('month', e.t) AS month, count(*) AS n, sum(e.amount) AS amount FROM (SELECT"
    " r.amount, coalesce(r.finished_at, r.requested_at, o.paid_at, o.created_at) AS t FROM refunds"
    " r LEFT JOIN orders o ON o.order_id = r.order_id WHERE (r.status IS NULL OR lower(r.status) ="
    " 'success') AND r.amount > 0 UNION ALL SELECT o.refund_amount, coalesce(o.paid_at,"
    " o.created_at) FROM orders o WHERE o.refund_amount > 0 AND NOT EXISTS (SELECT 1 FROM refunds"
    " r WHERE r.order_id = o.order_id)) e WHERE e.t >= '2025-01-01' AND e.t < '2025-06-01' GROUP"
    " BY 1 ORDER BY 1"
)


def test_refunds_counted_by_bi_are_the_records(demo: Any) -> None:
    want = sql(demo, _REFUND_EVENTS)
    got = rows(demo, "今年每个月退款了多少笔")
    assert [(r[0].month, int(r[-1])) for r in got] == [(r[0].month, int(r[1])) for r in want]


def test_refunds_counted_by_money_stay_the_amount(demo: Any) -> None:
    """The look-alike with 多少钱: the amount refunded each month, not the number."""
    want = sql(demo, _REFUND_EVENTS)
    got = rows(demo, "今年每个月退款了多少钱")
    assert [(r[0].month, round(float(r[-1]), 2)) for r in got] == [
        (r[0].month, round(float(r[2]), 2)) for r in want
    ]


# -- people on N different days; 跨 N things ----------------------------------------------------

_DAYS = (
    "SELECT count(*) FROM (SELECT one_id FROM orders WHERE one_id IS NOT NULL AND paid_at >="
    " '{0}' AND paid_at < '{1}' GROUP BY 1 HAVING count(DISTINCT CAST(paid_at AS DATE)) >= {2})"
)


def test_customers_on_ten_different_days(retail: Any) -> None:
    want = sql_number(retail, _DAYS.format("2011-01-01", "2011-12-01", 10))
    assert float(rows(retail, "今年在10个以上不同日子下过单的客户有几个")[0][0]) == want > 0


def test_buyers_who_came_on_three_days(olist: Any) -> None:
    want = sql_number(olist, _DAYS.format("2018-01-01", "2018-09-01", 3))
    assert float(rows(olist, "今年有3天以上都来买过东西的买家有几个")[0][0]) == want > 0


def test_different_months_keep_their_count(retail: Any) -> None:
    """The look-alike with months: at least 3 different months, fewer people than 3 days."""
    months = sql_number(
        retail,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE one_id IS NOT NULL AND paid_at >="
        " '2011-01-01' AND paid_at < '2011-12-01' GROUP BY 1 HAVING count(DISTINCT"
        " date_trunc('month', paid_at)) >= 3)",
    )
    days = sql_number(retail, _DAYS.format("2011-01-01", "2011-12-01", 3))
    assert float(rows(retail, "今年在3个以上不同月份买过的客户有几个")[0][0]) == months < days


def test_days_without_all_stay_a_lapse(retail: Any) -> None:
    """3天以上 without 都 is a span (not bought for 3 days), never 3 different days."""
    assert "different days" not in str(refused(retail, "今年3天以上没来买过的客户有几个"))


def test_across_two_countries(retail: Any) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE one_id IS NOT NULL AND paid_at >="
        " '2011-01-01' AND paid_at < '2011-12-01' GROUP BY 1 HAVING count(DISTINCT country) >= 2)",
    )
    assert float(rows(retail, "今年跨两个以上国家下单的客户数")[0][0]) == want > 0


def test_shopped_across_three_categories(demo: Any) -> None:
    want = sql_number(
        demo,
        "SELECT count(*) FROM (SELECT o.one_id FROM order_items i JOIN orders o ON o.order_id ="
        " i.order_id LEFT JOIN products p ON p.product_id = i.product_id WHERE o.one_id IS NOT"
        " NULL AND o.paid_at >= '2025-01-01' AND o.paid_at < '2025-06-01' AND i.quantity > 0"
        " GROUP BY 1 HAVING count(DISTINCT coalesce(i.category, p.category)) >= 3)",
    )
    assert float(rows(demo, "今年 跨 至少 3个 品类 购物 的 客户 数")[0][0]) == want > 0


# -- 'placed', 退出去 ----------------------------------------------------------------------------


def test_customers_who_placed_a_big_order(olist: Any) -> None:
    want = sql_number(
        olist,
        "SELECT count(DISTINCT one_id) FROM orders WHERE paid_amount > 500 AND paid_at >="
        " '2018-08-01' AND paid_at < '2018-09-01'",
    )
    got = rows(olist, "How many customers placed an order of over R$500 in August?")
    assert float(got[0][0]) == want > 0


def test_orders_placed_stay_the_orders(olist: Any) -> None:
    """The look-alike: orders placed are counted (the orders, not their buyers)."""
    want = sql_number(
        olist,
        "SELECT count(*) FROM orders WHERE created_at >= '2018-08-01' AND created_at < '2018-09-01'",
    )
    assert float(rows(olist, "How many orders were placed in August?")[0][0]) == want > 0


def test_refunds_given_back_are_the_amount(retail: Any) -> None:
    want = sql_number(
        retail,
        "SELECT sum(refund_amount) FROM orders WHERE raw_status = 'cancellation invoice' AND"
        " created_at >= '2011-11-01' AND created_at < '2011-12-01'",
    )
    got = float(rows(retail, "11月退货一共退出去多少钱")[0][0])
    assert got == pytest.approx(want, abs=0.01)


# -- 平均下来一个月; 超过了 / 破 --------------------------------------------------------------------

_MONTHS = (
    "SELECT date_trunc('month', paid_at), sum(paid_amount) FROM orders WHERE paid_at >="
    " '2011-01-01' AND paid_at < '2011-12-01' GROUP BY 1 ORDER BY 1"
)


@pytest.mark.parametrize(
    "question", ["今年 按 月 平均 下来 一个 月 卖 多少 钱", "今年平均下来一个月卖多少钱"]
)
def test_average_per_month_said_with_xialai(retail: Any, question: str) -> None:
    months = sql(retail, _MONTHS)
    want = sum(float(r[1]) for r in months) / len(months)
    assert float(rows(retail, question)[0][-1]) == pytest.approx(want, abs=0.01)


def test_by_month_without_average_stays_a_row_per_month(retail: Any) -> None:
    """The look-alike without 平均: a row per month, not one average."""
    got = rows(retail, "今年 按 月 卖 多少 钱")
    assert [round(float(r[-1]), 2) for r in got] == [
        round(float(r[1]), 2) for r in sql(retail, _MONTHS)
    ]


_DAYS_OVER = (
    "SELECT count(*) FILTER (WHERE s > 10000), count(*) FROM (SELECT"
    " CAST(paid_at AS DATE), sum(paid_amount) AS s FROM orders WHERE paid_at >= '2011-01-01' AND"
    " paid_at < '2011-12-01' GROUP BY 1)"
)


@pytest.mark.parametrize(
    "question", ["今年有几天单日营业额超过了1万镑", "今年有几天单日营业额破了1万"]
)
def test_days_over_a_bound_said_with_le_or_po(retail: Any, question: str) -> None:
    over, _ = sql(retail, _DAYS_OVER)[0]
    assert float(rows(retail, question)[0][0]) == over > 0


def test_days_under_the_bound_stay_refused(retail: Any) -> None:
    """The look-alike the other way (不到 / 低于 a day's figure is not read): refused, never the
    count of the days over."""
    assert unknown(retail, "今年有几天单日营业额不到5万镑")


# -- new sellers said colloquially ------------------------------------------------------------

_NEW_SELLERS = (
    "SELECT count(*) FROM (SELECT i.shop_id, min(o.paid_at) AS first_sale FROM order_items i JOIN"
    " orders o ON o.order_id = i.order_id WHERE o.paid_at IS NOT NULL GROUP BY 1) WHERE"
    " first_sale >= '{0}' AND first_sale < '{1}'"
)


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("8月 新 开张 出 第一单 的 卖家 几家", "2018-08-01", "2018-09-01"),
        ("今年冒出来几个头一回出单的卖家", "2018-01-01", "2018-09-01"),
        ("8月新卖家几家", "2018-08-01", "2018-09-01"),
    ],
)
def test_sellers_first_sale_said_colloquially(
    olist: Any, question: str, start: str, end: str
) -> None:
    want = sql_number(olist, _NEW_SELLERS.format(start, end))
    assert float(rows(olist, question)[0][0]) == want > 0


def test_sellers_counted_with_jia_stay_every_seller(olist: Any) -> None:
    """The look-alike without 新 / 第一单: every seller with an order in August, more than the new."""
    every = sql_number(
        olist,
        "SELECT count(DISTINCT coalesce(i.shop_id, o.shop_id)) FROM order_items i JOIN orders o"
        " ON o.order_id = i.order_id WHERE o.created_at >= '2018-08-01' AND o.created_at <"
        " '2018-09-01'",
    )
    new = sql_number(olist, _NEW_SELLERS.format("2018-08-01", "2018-09-01"))
    assert float(rows(olist, "8月卖家几家")[0][0]) == every > new
