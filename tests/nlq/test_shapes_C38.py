"""Ranking and comparison shapes that were refused on the dev sets, answered (issue 11, session 38,
helper C), each against hand-written SQL beside a look-alike that keeps its reading:

- the orders' average amount said of 单子 (单子平均金额 = 客单价, as 订单平均金额 is) and an event
  word naming a ratio's own time (付款的单子: 客单价 is paid GMV over paid orders, both by payment
  time) — "8月哪个钟点付款的单子平均金额最高" is the hour with the highest AOV (w33o15).
"""

from __future__ import annotations

from typing import Any

from tests.nlq.helpers import rows, sql, unknown

_AOV_BY_HOUR = (
    "SELECT hour(paid_at), sum(paid_amount) / count(*) FROM orders WHERE paid_at >= '2018-08-01' "
    "AND paid_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
)


def test_hour_with_the_highest_aov(olist: Any) -> None:
    """w33o15: the hour 14, AOV 187.95."""
    ((hour, aov),) = sql(olist, _AOV_BY_HOUR)
    for q in (
        "8月哪个钟点付款的单子平均金额最高",
        "8月哪个小时付款的订单平均金额最高",
        "8月哪个小时的单子平均金额最高",
    ):
        got = rows(olist, q)[0]
        assert (got[0], round(float(got[-1]), 2)) == (hour, round(float(aov), 2)), q


def test_an_event_of_another_time_stays_unplaced(olist: Any) -> None:
    """Look-alike: 发货 is not the AOV's time (payment) — not read, refused."""
    assert "发货" in unknown(olist, "8月哪个小时发货的单子平均金额最高")


# -- the smallest rise ------------------------------------------------------------------------------

_CHANGE_BY_PROVINCE = """
SELECT province, coalesce(sum(paid_amount) FILTER (WHERE paid_at >= '2025-05-01'), 0)
  - coalesce(sum(paid_amount) FILTER (WHERE paid_at < '2025-05-01'), 0)
FROM orders WHERE province IS NOT NULL AND paid_at >= '2025-04-01' AND paid_at < '2025-06-01'
GROUP BY 1 HAVING sum(paid_amount) FILTER (WHERE paid_at < '2025-05-01') > 0 ORDER BY 2 {way}
LIMIT 1
"""


def test_province_that_rose_the_least(demo: Any) -> None:
    """w33d28: 上个月哪个省的营业额比4月涨得最少 — ranked from the bottom by the change (was
    refused: the superlative of the comparison read as one period's level)."""
    ((province, change),) = sql(demo, _CHANGE_BY_PROVINCE.format(way="ASC"))
    for q in (
        "上个月哪个省的营业额比4月涨得最少",
        "上个月哪个省的营业额比4月增长最少",
        "which province's sales grew the least last month vs april",
    ):
        got = rows(demo, q)[0]
        assert (got[0], round(float(got[3]), 2)) == (province, round(float(change), 2)), q


def test_province_that_rose_the_most_stays_the_top(demo: Any) -> None:
    """Look-alike: 涨得最多 — the largest change first."""
    ((province, change),) = sql(demo, _CHANGE_BY_PROVINCE.format(way="DESC"))
    got = rows(demo, "上个月哪个省的营业额比4月涨得最多")[0]
    assert (got[0], round(float(got[3]), 2)) == (province, round(float(change), 2))


# -- each value's best period -----------------------------------------------------------------------

_BEST_DAY = """
SELECT platform, day, gmv FROM (
  SELECT platform, CAST(paid_at AS DATE) AS day, sum(paid_amount) AS gmv,
         rank() OVER (PARTITION BY platform ORDER BY sum(paid_amount) DESC) AS r
  FROM orders WHERE paid_at >= '2025-05-01' AND paid_at < '2025-06-01' AND platform IS NOT NULL
  GROUP BY 1, 2) WHERE r = 1 ORDER BY 1
"""


def test_each_platforms_best_day(demo: Any) -> None:
    """w32d25: 上个月每个平台卖得最好的是哪一天 — a row per platform, its own top day (was refused:
    每个平台 not placed beside a top (platform, day) pair)."""
    want = {(p, str(d), round(float(g), 2)) for p, d, g in sql(demo, _BEST_DAY)}
    for q in (
        "上个月每个平台卖得最好的是哪一天",
        "上个月各平台销售额最高的是哪天",
        "each platform's best day by sales last month",
    ):
        got = rows(demo, q)
        assert {(r[1], str(r[0]), round(float(r[2]), 2)) for r in got} == want, q


def test_each_days_best_platform_stays_per_day(demo: Any) -> None:
    """Look-alike: 每天 … 哪个平台 — each day's top platform (a row per day)."""
    got = rows(demo, "上个月每天卖得最好的是哪个平台")
    assert len({r[0] for r in got}) == len(got) >= 28


# -- the running total said up to each bucket -------------------------------------------------------

_MONTHS_RUNNING = """
WITH m AS (SELECT CAST(date_trunc('month', paid_at) AS DATE) AS month, sum(paid_amount) AS gmv
  FROM orders WHERE paid_at >= '2025-01-01' AND paid_at < '2025-06-01' GROUP BY 1)
SELECT month, gmv, sum(gmv) OVER (ORDER BY month) FROM m ORDER BY 1
"""


def test_running_total_up_to_each_month(demo: Any) -> None:
    """w33d45: 今年每个月的营业额和到当月为止的累计营业额 — each month and its running total (was
    refused: 当月 read as this month, 为止 / 累计 unplaced)."""
    want = [(m, round(float(g), 2), round(float(c), 2)) for m, g, c in sql(demo, _MONTHS_RUNNING)]
    for q in (
        "今年每个月的营业额和到当月为止的累计营业额",
        "今年每个月的营业额和截至当月的累计营业额",
    ):
        got = [(r[0], round(float(r[1]), 2), round(float(r[2]), 2)) for r in rows(demo, q)]
        assert got == want, q


def test_each_months_figure_alone_has_no_running_total(demo: Any) -> None:
    """Look-alike: no running-total word — each month's own figure only."""
    got = rows(demo, "今年每个月的营业额")
    assert [(r[0], round(float(r[1]), 2)) for r in got] == [
        (m, g) for m, g, _ in ((m, round(float(g), 2), c) for m, g, c in sql(demo, _MONTHS_RUNNING))
    ]
    assert len(got[0]) == 2


# -- the top N % of orders ---------------------------------------------------------------------------

_TOP_DECILE_AOV = """
SELECT avg(paid_amount) FROM orders WHERE paid_at >= '2025-05-01' AND paid_at < '2025-06-01'
AND paid_amount > (SELECT quantile_cont(paid_amount, 0.9) FROM orders
  WHERE paid_at >= '2025-05-01' AND paid_at < '2025-06-01')
"""


def test_aov_of_the_top_tenth_of_orders(demo: Any) -> None:
    """w32d06: 上个月最贵的那10%订单平均一单多少钱 — the orders above the 90th percentile of order
    value, their AOV (was refused: 10 % and 最贵 unplaced)."""
    want = round(float(sql(demo, _TOP_DECILE_AOV)[0][0]), 2)
    for q in (
        "上个月最贵的那10%订单平均一单多少钱",
        "上个月金额排前10%的订单平均一单多少钱",
        "AOV of the top 10% of orders last month",
    ):
        assert round(float(rows(demo, q)[0][0]), 2) == want, q


def test_largest_orders_left_out_stay_left_out(demo: Any) -> None:
    """Look-alike: 去掉最大的10%订单 — the orders at or below the cut."""
    want = sql(
        demo,
        _TOP_DECILE_AOV.replace("paid_amount > (", "paid_amount <= ("),
    )[0][0]
    got = rows(demo, "上个月去掉最大的10%订单后的客单价")[0][0]
    assert round(float(got), 2) == round(float(want), 2)


def test_top_tenth_by_another_figure_is_refused(demo: Any) -> None:
    """Look-alike: ranked by the pieces (件数排前10%), not by order value — not read."""
    assert "10" in unknown(demo, "上个月件数排前10%的订单平均一单多少钱")
