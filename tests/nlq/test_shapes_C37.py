"""Two groups the question names, each its own figure (issue 11, session 37, helper C):

- the weekend's two days against the five working days (周六周日 … 跟周一到周五的比): a row per
  group (day type), not one per day (w32o12, wrong with 7 rows);
- one day against the other days (礼拜天的客单价跟其他日子比是高还是低): the day and the rest,
  two rows (w32r11, refused);
- two values of one dimension named apart with 各 (5星的单和1星的单各几天送到): the breakdown kept
  to the values named — and a breakdown by a filtered dimension (5星和1星的单各…) keeps only the
  named groups, no other score an order's second review brings along (was: all five scores);
- the scorer: a gold's True / False split of one group and the rest matches the answer's two
  labelled rows (eval `_yes_no_meaning`);
- a share of a subset per month (不收运费的单子比例 按月: 不收运费 read as free shipping, the share
  composes) and the steepest rise by percent (涨得最猛（按百分比）: the rate, not a share).

Values against hand-written SQL; each with a look-alike that keeps its answer or stays refused.
"""

from __future__ import annotations

from typing import Any

import pytest

from shopql.nlq.eval import same_result
from tests.nlq.helpers import refused, rows, sql

_AOV = "sum(paid_amount) / count(*)"


def test_weekend_against_the_working_days(olist: Any) -> None:
    want = dict(
        sql(
            olist,
            f"SELECT isodow(paid_at) IN (6, 7), {_AOV} FROM orders "
            "WHERE paid_at >= '2018-01-01' AND paid_at < '2018-09-01' GROUP BY 1",
        )
    )
    got = rows(olist, "今年周六周日付款的单子跟周一到周五的比 平均一单各多少钱")
    assert {r[1]: round(float(r[-1]), 2) for r in got} == {
        "weekend": round(want[True], 2),
        "weekday": round(want[False], 2),
    }


def test_every_day_named_stays_a_row_each(olist: Any) -> None:
    """Look-alike: 周一到周日每天 — seven rows, one a day."""
    assert len(rows(olist, "今年周一到周日每天的客单价")) == 7


def test_sunday_against_the_other_days(retail: Any) -> None:
    want = dict(
        sql(
            retail,
            f"SELECT isodow(paid_at) = 7, {_AOV} FROM orders "
            "WHERE paid_at >= '2011-01-01' AND paid_at < '2011-12-01' GROUP BY 1",
        )
    )
    got = {
        r[0]: round(float(r[-1]), 2)
        for r in rows(retail, "今年礼拜天的客单价跟其他日子比是高还是低")
    }
    assert got == {"7": round(want[True], 2), "其他": round(want[False], 2)}


_DELIVERY = """
SELECT s, round(avg(d), 2) FROM (
  SELECT DISTINCT o.order_id, r.score AS s,
         date_diff('second', o.created_at, o.finished_at) / 86400.0 AS d
  FROM orders o JOIN reviews r ON r.order_id = o.order_id
  WHERE r.score IN (1, 5) AND o.finished_at IS NOT NULL
    AND o.created_at >= '2018-01-01' AND o.created_at < '2018-09-01') GROUP BY 1
"""


@pytest.mark.parametrize(
    "question", ["今年5星的单和1星的单各几天送到", "今年5星和1星的单各几天送到"]
)
def test_two_scores_each_their_delivery_days(olist: Any, question: str) -> None:
    """Each order once in each score its reviews give; only the two scores named."""
    want = dict(sql(olist, _DELIVERY))
    got = {r[0]: float(r[-1]) for r in rows(olist, question)}
    assert got == pytest.approx({k: float(v) for k, v in want.items()}, abs=0.006)


def test_two_scores_without_each_stay_refused(olist: Any) -> None:
    """Look-alike: no 各 — one figure of orders both 5 and 1 star? Still refused."""
    refused(olist, "今年5星的单和1星的单平均几天送到")


@pytest.mark.parametrize(
    ("labels", "matches"),
    [
        (["weekday", "weekend"], True),
        (["weekend", "weekday"], False),  # the labels swapped: not the gold's rows
        (["7", "其他"], False),  # neither the gold's name nor a group beside the rest
    ],
)
def test_scorer_yes_no_of_a_named_group(labels: list[str], matches: bool) -> None:
    gold = (["weekend", "aov"], [(False, 160.68), (True, 161.72)])
    got = (["day_type_en", "aov"], [(labels[0], 160.68), (labels[1], 161.72)])
    assert (same_result(gold, got) == "") is matches


def test_scorer_yes_no_of_one_value_and_the_rest() -> None:
    gold = (["sunday", "aov"], [(False, 519.91), (True, 369.24)])
    assert same_result(gold, (["day_of_week", "aov"], [("其他", 519.91), ("7", 369.24)])) == ""
    assert same_result(gold, (["day_of_week", "aov"], [("7", 519.91), ("其他", 369.24)])) != ""


# -- shares and rises per month -------------------------------------------------------------------


def test_share_of_free_shipping_orders_by_month(demo: Any) -> None:
    """w32d44: 不收运费 is free shipping (运费为0元); its share of the orders, month by month."""
    want = sql(
        demo,
        "SELECT CAST(date_trunc('month', created_at) AS DATE), "
        "round(count(*) FILTER (WHERE shipping_fee = 0) * 1.0 / count(*), 4) FROM orders "
        "WHERE created_at >= '2025-01-01' AND created_at < '2025-06-01' GROUP BY 1 ORDER BY 1",
    )
    got = rows(demo, "今年 按 月 看 不收 运费 的 单子 比例")
    assert [(r[0], round(float(r[-1]), 4)) for r in got] == [(m, float(s)) for m, s in want]


def test_orders_charged_freight_stay_charged(demo: Any) -> None:
    """Look-alike: 收了运费的单子 are those with freight above 0."""
    want = sql(
        demo,
        "SELECT count(*) FROM orders WHERE shipping_fee > 0 "
        "AND created_at >= '2025-05-01' AND created_at < '2025-06-01'",
    )
    assert rows(demo, "上个月收了运费的单子有多少") == want


_MONTHLY = """
WITH m AS (SELECT date_trunc('month', paid_at) AS month, sum(paid_amount) AS gmv FROM orders
           WHERE paid_at >= '2024-12-01' AND paid_at < '2025-06-01' GROUP BY 1)
SELECT CAST(month AS DATE) FROM (SELECT month, gmv - lag(gmv) OVER (ORDER BY month) AS delta,
       gmv / lag(gmv) OVER (ORDER BY month) - 1 AS rate FROM m)
WHERE month >= '2025-01-01' ORDER BY {0} DESC LIMIT 1
"""


def test_steepest_rise_by_percent(demo: Any) -> None:
    """w32d28: 环比涨得最猛（按百分比） — the month with the largest rate (was: 百分比 a share)."""
    assert (
        rows(demo, "今年哪个月的营业额环比涨得最猛（按百分比）")[0][0]
        == sql(demo, _MONTHLY.format("rate"))[0][0]
    )


def test_largest_rise_stays_the_amount(demo: Any) -> None:
    """Look-alike: 涨得最多 — the largest increase (an amount)."""
    assert (
        rows(demo, "今年哪个月的营业额环比涨得最多")[0][0]
        == sql(demo, _MONTHLY.format("delta"))[0][0]
    )
