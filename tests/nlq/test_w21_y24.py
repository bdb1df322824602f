"""The fresh dev set W21 (session 24, helper y2): the mechanisms behind its wrong answers and its
most common refusals, each on paraphrases of its own (Chinese with and without spaces, English).

Wrong before: all seven days of the week named ("星期一到星期天 每天 平均发票金额") were one
figure for the whole week (now one row per day of the week; 周末 和 工作日 stay the two groups);
"今年7-9月这个季度" set July-September beside this quarter (now the quarter the months are);
"top 3 SKUs" ranked products (now the line's SKU, as "top 3 SKU" did); and the scorer did not
read the gold's "H2 to date", "UK" / "non-UK" as the answer's periods and "United Kingdom" /
"Rest of the world". Refused before: 亚军 (the second place), 增量最大 (the largest increment),
相对 (against), 哪季 (which quarter), "BIRD图案的东西" (the goods a word names), 付款渠道 (the
payment channel), "要多少小时", "the previous Monday-to-Sunday week", days of a month said in
English or Portuguese ("from 1 to 15 November 2011", "de 10 a 20 de julho de 2018") or in a
bracket after the period ("10月头一周 (1号到7号)"), 单笔退款 (one refund). Values against
hand-written SQL on the real Olist and Online Retail workspaces and the seed-7 demo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from shopql.nlq.eval import same_result
from tests.nlq.helpers import refused, rows, sql

# -- the days of the week, all seven named -----------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "今年 星期一 到 星期天 每天 平均 发票 金额",
        "今年星期一到星期天每天平均发票金额",
        "今年 周一 周二 周三 周四 周五 周六 周日 各 平均 发票 金额",
        "this year average invoice value monday to sunday",
    ],
)
def test_every_day_of_the_week_named_is_one_row_each(retail: Any, question: str) -> None:
    want = sql(
        retail,
        "SELECT isodow(paid_at), round(avg(paid_amount), 2) FROM orders WHERE paid_at >= "
        "'2011-01-01' AND paid_at < '2011-12-01' GROUP BY 1 ORDER BY 1",
    )
    got = [(r[0], float(r[-1])) for r in rows(retail, question)]
    assert got == [(d, pytest.approx(float(v), abs=0.01)) for d, v in want], question


def test_weekend_and_weekdays_stay_two_groups(demo: Any) -> None:
    """'周末 和 工作日': the two groups of days (every day of the week, but not seven rows)."""
    got = rows(demo, "上个月 周末 和 工作日 平均每天 卖多少")
    assert len(got) == 2


# -- a period said again as the calendar unit it is --------------------------------------------


@pytest.mark.parametrize(
    "question",
    ["去年7-9月这个季度的销售额", "去年 7到9月 这个 季度 卖了 多少", "去年7-9月这一季度销售额"],
)
def test_months_said_again_as_their_quarter(demo: Any, question: str) -> None:
    year = demo.today.year - 1
    ((want,),) = sql(
        demo,
        f"SELECT sum(paid_amount) FROM orders WHERE paid_at >= '{year}-07-01' "
        f"AND paid_at < '{year}-10-01'",
    )
    got = rows(demo, question)
    assert len(got) == 1 and float(got[0][0]) == pytest.approx(float(want), abs=0.01), question


def test_months_that_are_no_quarter_stay_apart(demo: Any) -> None:
    """July-August is no quarter: 这个季度 after it is not the same days (not read as them)."""
    refused(demo, "去年7-8月这个季度的销售额")


# -- SKUs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "Top 3 SKUs by units last month",
        "top 3 SKU by units last month",
        "上个月销量前三的SKU",
        "上个月 销量 前3 的 sku",
    ],
)
def test_skus_ranked_are_the_lines_skus(demo: Any, question: str) -> None:
    end = demo.today.replace(day=1)
    start = (end - dt.timedelta(days=1)).replace(day=1)
    want = sql(
        demo,
        "SELECT i.sku_key, sum(i.quantity) FROM order_items i JOIN orders o USING (order_id) "
        f"WHERE o.paid_at >= '{start}' AND o.paid_at < '{end}' AND i.product_id IS NOT NULL "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3",
    )
    got = [(r[0], r[-1]) for r in rows(demo, question)]
    assert got == want, question


# -- the scorer: labels of the same meaning ------------------------------------------------------


def test_scorer_reads_short_and_rest_labels() -> None:
    gold = (["month", "market", "gmv"], [("2011-01-01", "UK", 5.0), ("2011-01-01", "non-UK", 2.0)])
    got = (
        ["month", "uk_or_not", "gmv"],
        [("2011-01-01", "United Kingdom", 5.0), ("2011-01-01", "Rest of the world", 2.0)],
    )
    assert same_result(gold, got) == ""
    swapped = (
        got[0],
        [("2011-01-01", "United Kingdom", 2.0), ("2011-01-01", "Rest of the world", 5.0)],
    )
    assert same_result(gold, swapped) != ""


def test_scorer_reads_a_half_to_date() -> None:
    gold = (["half", "n"], [("H1", 2075), ("H2 to date", 1338)])
    got = (
        ["period", "n"],
        [("2011-01-01 → 2011-06-30", 2075), ("2011-07-01 → 2011-11-30", 1338)],
    )
    assert same_result(gold, got) == ""
    wrong = (got[0], [("2011-01-01 → 2011-06-30", 1338), ("2011-07-01 → 2011-11-30", 2075)])
    assert same_result(gold, wrong) != ""


# -- ranking and comparison words -----------------------------------------------------------------

_AUG_BY_CATEGORY = (
    "SELECT p.category, sum(i.paid_amount) AS s FROM order_items i JOIN orders o USING (order_id) "
    "JOIN products p ON p.product_id = i.product_id WHERE o.paid_at >= '2018-08-01' "
    "AND o.paid_at < '2018-09-01' AND p.category IS NOT NULL GROUP BY 1 ORDER BY 2 DESC"
)


@pytest.mark.parametrize(
    "question",
    [
        "8月按销售额 亚军品类是谁",
        "8月销售额亚军是哪个品类",
        "which category was the runner-up by sales in august",
    ],
)
def test_runner_up_is_the_second_place(olist: Any, question: str) -> None:
    second = sql(olist, _AUG_BY_CATEGORY)[1]
    got = rows(olist, question)
    assert got[0][0] == second[0] and float(got[0][-1]) == pytest.approx(float(second[1])), question


@pytest.mark.parametrize(
    "question",
    [
        "8月相比7月 销售额增量最大的品类",
        "8月比7月销售额增量最大的品类是哪个",
        "8月 相对 7月 销售额 增量 最大 的 品类",
    ],
)
def test_an_increment_is_ranked_by_its_amount(olist: Any, question: str) -> None:
    ((cat, delta),) = sql(
        olist,
        "SELECT p.category, sum(i.paid_amount) FILTER (WHERE o.paid_at >= '2018-08-01') - "
        "coalesce(sum(i.paid_amount) FILTER (WHERE o.paid_at < '2018-08-01'), 0) AS d "
        "FROM order_items i JOIN orders o USING (order_id) JOIN products p ON p.product_id = "
        "i.product_id WHERE o.paid_at >= '2018-07-01' AND o.paid_at < '2018-09-01' AND "
        "p.category IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    got = rows(olist, question)
    assert got[0][0] == cat, question
    assert float(got[0][3]) == pytest.approx(float(delta), abs=0.01), question


@pytest.mark.parametrize(
    "question",
    [
        "11月相对10月 销量增加最多的单品",
        "11月相对于10月销量增加最多的商品",
        "11月 相对 10月 销量 增加 最多 的 商品",
    ],
)
def test_against_said_with_xiangdui(retail: Any, question: str) -> None:
    ((product, delta),) = sql(
        retail,
        "SELECT coalesce(i.spu_id, i.product_id), sum(i.quantity) FILTER (WHERE o.paid_at >= "
        "'2011-11-01') - coalesce(sum(i.quantity) FILTER (WHERE o.paid_at < '2011-11-01'), 0) "
        "FROM order_items i JOIN orders o USING (order_id) WHERE o.paid_at >= '2011-10-01' AND "
        "o.paid_at < '2011-12-01' AND i.product_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1",
    )
    got = rows(retail, question)
    assert got[0][0] == product and got[0][-2] == delta, question


@pytest.mark.parametrize(
    "question",
    ["今年 退货 单 按 季度 看 哪季 最多", "今年退货单哪季度最多", "今年退货单按季度看哪季最多"],
)
def test_which_quarter_said_short(retail: Any, question: str) -> None:
    ((quarter, n),) = sql(
        retail,
        "SELECT date_trunc('quarter', created_at)::DATE, count(*) FROM orders WHERE raw_status = "
        "'cancellation invoice' AND created_at >= '2011-01-01' AND created_at < '2011-12-01' "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    got = rows(retail, question)
    assert str(got[0][0]) == str(quarter) and got[0][-1] == n, question


# -- words said beside what they name ----------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "今年小鸟(BIRD)图案的东西卖了几件",
        "今年 BIRD 图案 的 东西 卖了 几件",
        "今年小鸟图案的东西卖了多少件",
    ],
)
def test_the_goods_a_word_names(retail: Any, question: str) -> None:
    ((want,),) = sql(
        retail,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o USING (order_id) WHERE "
        "o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01' AND "
        "coalesce(i.clean_title, i.title) ILIKE '%BIRD%'",
    )
    assert rows(retail, question) == [(want,)], question


@pytest.mark.parametrize(
    "question",
    [
        "上个月订单按付款渠道拆各几单",
        "上个月 订单 按 付款 渠道 拆 各 几单",
        "上个月各支付渠道的订单数",
    ],
)
def test_payment_channel_said_as_a_channel(demo: Any, question: str) -> None:
    end = demo.today.replace(day=1)
    start = (end - dt.timedelta(days=1)).replace(day=1)
    want = sql(
        demo,
        "SELECT payment_channel, count(*) FROM orders WHERE created_at >= "
        f"'{start}' AND created_at < '{end}' GROUP BY 1",
    )
    got = [(r[0], r[-1]) for r in rows(demo, question)]
    assert sorted(got, key=str) == sorted(want, key=str), question


@pytest.mark.parametrize(
    "question",
    [
        "近90天 从付款到发出 要多少小时",
        "近90天从付款到发货需要多少小时",
        "近90天 付款 到 发货 平均 要 几个 小时",
    ],
)
def test_hours_asked_with_yao(demo: Any, question: str) -> None:
    """In hours since session 25 (the catalog's ship_hours; before, the days figure)."""
    ((hours,),) = sql(
        demo,
        "SELECT avg(date_diff('second', paid_at, shipped_at) / 3600.0) FROM orders WHERE "
        f"paid_at >= DATE '{demo.today}' - INTERVAL 90 DAY AND paid_at < DATE '{demo.today}'",
    )
    assert float(rows(demo, question)[0][0]) == pytest.approx(float(hours), abs=0.01), question


@pytest.mark.parametrize(
    "question",
    ["上个月单笔退款平均多少钱", "上个月 单笔 退款 平均 多少钱", "上个月一笔退款平均多少钱"],
)
def test_one_refund_on_average(demo: Any, question: str) -> None:
    end = demo.today.replace(day=1)
    start = (end - dt.timedelta(days=1)).replace(day=1)
    ((want,),) = sql(
        demo,
        "SELECT avg(e.amount) FROM (SELECT r.amount, coalesce(r.finished_at, r.requested_at, "
        "o.paid_at, o.created_at) AS refunded_at FROM refunds r LEFT JOIN orders o USING "
        "(order_id) WHERE r.status IS NULL OR lower(r.status) = 'success' UNION ALL SELECT "
        "o.refund_amount, coalesce(o.paid_at, o.created_at) FROM orders o WHERE o.refund_amount "
        "<> 0 AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.order_id)) e WHERE "
        f"e.amount > 0 AND e.refunded_at >= '{start}' AND e.refunded_at < '{end}'",
    )
    assert float(rows(demo, question)[0][0]) == pytest.approx(float(want), abs=0.01), question


# -- periods said by their days ------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "What were total sales for the previous Monday-to-Sunday week?",
        "sales last mon-sun week",
        "sales in the last full Monday to Sunday week",
    ],
)
def test_the_week_said_by_its_days(demo: Any, question: str) -> None:
    monday = demo.today - dt.timedelta(days=demo.today.weekday() + 7)
    ((want,),) = sql(
        demo,
        f"SELECT sum(paid_amount) FROM orders WHERE paid_at >= '{monday}' AND paid_at < "
        f"'{monday + dt.timedelta(days=7)}'",
    )
    assert rows(demo, question) == [(want,)], question


_NOV_1_15 = (
    "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2011-11-01' AND paid_at < '2011-11-16'"
)


@pytest.mark.parametrize(
    "question",
    [
        "Sales from 1 to 15 November 2011?",
        "sales november 1-15, 2011",
        "sales nov 1 - nov 15 2011",
        "sales between 1 nov 2011 and 15 nov 2011",
        "sales from 1 to 15 november",  # no year: the latest November passed
    ],
)
def test_days_of_a_month_in_english(retail: Any, question: str) -> None:
    ((want,),) = sql(retail, _NOV_1_15)
    assert rows(retail, question) == [(want,)], question


def test_two_days_are_no_range(retail: Any) -> None:
    """'on 5 and 16 november': two days, not the days between them."""
    refused(retail, "sales on 5 and 16 november 2011")


@pytest.mark.parametrize(
    "question",
    [
        "Vendas de 10 a 20 de julho de 2018",
        "vendas de 10 a 20 de julho",
        "sales from 10 to 20 july 2018",
    ],
)
def test_days_of_a_month_in_portuguese(olist: Any, question: str) -> None:
    ((want,),) = sql(
        olist,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2018-07-10' AND paid_at < '2018-07-21'",
    )
    assert float(rows(olist, question)[0][0]) == pytest.approx(float(want), abs=0.01), question


@pytest.mark.parametrize(
    "question",
    [
        "10月头一周 (1号到7号) 的 销售额",
        "10月头一周(1号到7号)的销售额",
        "10月第一周(1号到7号)卖了多少",
    ],
)
def test_days_in_a_bracket_after_the_period(retail: Any, question: str) -> None:
    ((want,),) = sql(
        retail,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2011-10-01' AND paid_at < '2011-10-08'",
    )
    assert rows(retail, question) == [(want,)], question


def test_days_in_a_bracket_that_are_other_days(retail: Any) -> None:
    refused(retail, "10月头一周(3号到9号)的销售额")
