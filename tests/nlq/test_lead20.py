"""Never answer a different question (issue 11, session 20, the lead): a reading found among the
new wrong answers of the merged helpers' work on the dev set dev_w17, fixed as a mechanism and
checked on paraphrases; and a stock word the engine dropped as harmless. Values against
hand-written SQL on the session workspaces (Online Retail, today 2011-12-01; the demo at seed 7)."""

from __future__ import annotations

import datetime as dt

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql, unknown

# the days from each person's first paid order to their second, of the people whose FIRST order
# was paid in March 2011 (the second order at any time)
COHORT_GAP = """
WITH r AS (
    SELECT one_id, paid_at,
           row_number() OVER (PARTITION BY one_id ORDER BY paid_at, order_id) AS rn
    FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL
)
SELECT round(avg(date_diff('second', a.paid_at, b.paid_at) / 86400.0), 2)
FROM r a JOIN r b ON a.one_id = b.one_id AND a.rn = 1 AND b.rn = 2
WHERE a.paid_at >= TIMESTAMP '2011-03-01' AND a.paid_at < TIMESTAMP '2011-04-01'
"""


@pytest.mark.parametrize(
    "question",
    [
        "3月 首单 的 客户 平均 过了 几天 回购",  # spaced as typed: was the second orders of March too
        "3月首单的客户 平均过了几天回购",
        "3月份 首单客户 平均 几天 回购",
        "avg days to second order for customers who first bought in march",
    ],
)
def test_a_first_order_cohort_waits_for_its_second_order_at_any_time(
    retail: Workspace, question: str
) -> None:
    """The people whose first order is in March, and the days to their second order whenever it
    came (was, spaced: the period put on the second order as well — only those who came back
    within March, 5.99 days on the full data against the cohort's 93.76)."""
    ((want,),) = sql(retail, COHORT_GAP)
    assert want is not None and want > 10
    assert rows(retail, question) == [(pytest.approx(float(want), abs=0.01),)]


# seller codes with units on hand in some warehouse at their latest snapshot (skus_in_stock)
IN_STOCK = """
SELECT count(DISTINCT outer_code) FROM (
    SELECT outer_code, on_hand FROM inventory
    QUALIFY row_number() OVER (PARTITION BY outer_code, warehouse ORDER BY as_of DESC) = 1
) WHERE on_hand > 0
"""


def test_in_stock_said_with_spaces_is_the_stock(demo: Workspace) -> None:
    """ "有货 的 SKU 有几个": the seller codes in stock (was every SKU ever known: 有货 dropped,
    货 harmless as in 几件货 once 有 was cut off as a stop word, and the space kept the catalog's
    有货的sku from being found)."""
    ((want,),) = sql(demo, IN_STOCK)
    ((every,),) = rows(demo, "SKU有几个")
    assert want != every
    for question in ("有货 的 SKU 有几个", "有货的 SKU 有几个", "有货的sku有几个"):
        assert rows(demo, question) == [(want,)], question


def test_a_stock_state_nothing_places_is_refused(demo: Workspace) -> None:
    """ "有货的商品有多少个", "缺货的SKU有几个": no metric counts products in or out of stock, so
    the stock word is left unplaced and nothing is answered (was: every product, every SKU)."""
    assert unknown(demo, "有货的商品有多少个") == ["有货"]
    assert unknown(demo, "缺货 的 SKU 有几个") == ["缺货"]


def test_an_average_above_a_bound_per_customer_is_refused(olist: Workspace) -> None:
    """ "客单价超过200的客户有多少": each customer's average order value over 200 — no row
    condition says it, so the bound is left unplaced (was the customers with ONE order over 200,
    a different number); the orders of that value are still counted."""
    for question in ("客单价超过200的客户有多少", "上个月 客单价 超过 200 的 客户 有几个"):
        assert {"200", "超过"} <= set(unknown(olist, question)), question
    ((orders,),) = sql(olist, "SELECT count(*) FROM orders WHERE paid_amount > 200")
    assert rows(olist, "客单价超过200的订单有几单") == [(orders,)]


def test_a_total_over_rows_that_never_carry_the_column_is_no_figure(demo: Workspace) -> None:
    """ "上个月 天猫 优惠 多少": Tmall's export names no discount, so its total is no 0 but no data
    (exit 5, what is missing); a platform whose export has discounts keeps its total."""
    from shopql.nlq.nodata import NoDataHere

    ((filled, kept),) = sql(
        demo, "SELECT count(discount_amount), count(*) FROM orders WHERE platform = 'tmall'"
    )
    assert kept > 0 and filled == 0
    for question in ("上个月 天猫 优惠 多少", "how much discount did tmall give last month"):
        with pytest.raises(NoDataHere, match="discount_amount"):
            rows(demo, question)
    start, end = demo.today.replace(day=1), demo.today.replace(day=1)
    start = (start - dt.timedelta(days=1)).replace(day=1)
    ((douyin,),) = sql(
        demo,
        "SELECT sum(discount_amount) FROM orders WHERE platform = 'douyin' AND "
        f"created_at >= DATE '{start}' AND created_at < DATE '{end}'",
    )
    assert douyin and rows(demo, "上个月 抖音 优惠 多少") == [(pytest.approx(float(douyin)),)]


def test_two_aggregations_of_one_measure_joined_are_both_answered(retail: Workspace) -> None:
    """ "今年 发票金额 的 平均数 和 中位数": the average and the median of the invoice value, side by
    side (was refused: the measure took the nearer word, the other was left over)."""
    ((aov, median),) = sql(
        retail,
        "SELECT round(sum(paid_amount) / count(*), 2), round(median(paid_amount), 2) FROM orders "
        "WHERE paid_at >= '2011-01-01' AND paid_at < '2011-12-01'",
    )
    for question in ("今年 发票金额 的 平均数 和 中位数", "今年订单金额的平均值和中位数"):
        ((got_aov, got_median),) = rows(retail, question)
        assert (float(got_aov), float(got_median)) == (
            pytest.approx(float(aov)),
            pytest.approx(float(median)),
        ), question
