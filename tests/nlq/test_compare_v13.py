"""Comparisons, session 13 (issue 11, helper V): a quarter written against a Chinese word
(2018Q2比2017Q2); the ratio of two periods asked (翻了几倍, 是去年的几倍, "how many times higher")
as a `__ratio` column beside the change, for periods next to each other and apart; two periods
apart with the later still running are like for like (the same days of the earlier); a bare lower
bound in a growth ranking with its period said ("(min 20k in jul)", "(at least 10k before)",
"（7月至少2万）") is a condition on the ranked metric in that period, never a ranking from the
bottom; elsewhere it is refused. Values against hand-written SQL, paraphrases written here."""

from __future__ import annotations

from typing import Any

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.periods import NoDataInPeriod
from tests.nlq.helpers import refused, rows, sql


def _cols(ws: Any, question: str) -> dict[str, Any]:
    main = answer(ws, question, "offline").main
    assert len(main.rows) == 1, (question, main.rows)
    return dict(zip(main.columns, main.rows[0], strict=True))


def _paid(ws: Any, start: str, end: str, where: str = "") -> float:
    got = sql(
        ws,
        "SELECT sum(i.paid_amount) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        f"JOIN products p ON p.product_id = i.product_id WHERE o.paid_at >= '{start}' "
        f"AND o.paid_at < '{end}' {where}",
    )
    return float(got[0][0])


def test_quarter_after_a_chinese_word(olist: Any) -> None:
    cur = _paid(olist, "2018-04-01", "2018-07-01", "AND p.category = 'beleza_saude'")
    prev = _paid(olist, "2017-04-01", "2017-07-01", "AND p.category = 'beleza_saude'")
    for q in (
        "beleza_saude 2018Q2比2017Q2多卖了多少",
        "beleza_saude 2018q2的销售额比2017q2增长了多少",
    ):
        got = _cols(olist, q)
        assert round(float(got["paid_gmv"]), 2) == round(cur, 2), q
        assert round(float(got["paid_gmv__previous"]), 2) == round(prev, 2), q
    # set side by side: one row each, the earlier first
    got = rows(olist, "beleza_saude 2018q2和2017q2比 销售额")
    assert [round(float(r[1]), 2) for r in got] == [round(prev, 2), round(cur, 2)]


def test_ratio_of_two_periods(olist: Any) -> None:
    # a year before, to date on both sides (today 2018-09-01)
    cur = sql(
        olist,
        "SELECT count(*) FROM orders WHERE created_at >= '2018-01-01' AND created_at < '2018-09-01'",
    )
    prev = sql(
        olist,
        "SELECT count(*) FROM orders WHERE created_at >= '2017-01-01' AND created_at < '2017-09-01'",
    )
    ratio = round(cur[0][0] / prev[0][0], 4)
    for q in (
        "今年到现在比去年同期 订单数翻了几倍",
        "今年的订单数是去年同期的几倍",
        "how many times more orders this year than the same period last year",
    ):
        got = _cols(olist, q)
        assert int(got["orders"]) == cur[0][0], q
        assert float(got["orders__ratio"]) == ratio, q
        assert float(got["orders__change"]) == round(ratio - 1, 4), q


def test_ratio_of_two_periods_apart(olist: Any) -> None:
    count = "SELECT count(*) FROM orders WHERE created_at >= '{}' AND created_at < '{}'"
    a = sql(olist, count.format("2017-03-01", "2017-04-01"))[0][0]
    b = sql(olist, count.format("2017-11-01", "2017-12-01"))[0][0]
    for q in ("2017年11月的订单数是2017年3月的几倍", "2017年11月比2017年3月订单翻了多少倍"):
        got = _cols(olist, q)  # one row, as for two periods next to each other
        assert (int(got["orders"]), int(got["orders__previous"])) == (b, a), q
        assert float(got["orders__ratio"]) == round(b / a, 4), q
    # no metric named: of sales (said)
    paid = "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '{}' AND paid_at < '{}'"
    s3 = float(sql(olist, paid.format("2017-03-01", "2017-04-01"))[0][0])
    s11 = float(sql(olist, paid.format("2017-11-01", "2017-12-01"))[0][0])
    got = _cols(olist, "2017年11月比2017年3月翻了几倍")
    assert float(got["paid_gmv__ratio"]) == round(s11 / s3, 4)
    # side by side without a ratio asked: a row each, as before
    assert len(rows(olist, "2017年11月和2017年3月的订单数对比")) == 2


def test_apart_with_a_running_period_is_like_for_like(olist: Any) -> None:
    # today 2018-09-01: 今年 is 2018-01-01 → 08-31; 前年 (2016) the same days has no data
    with pytest.raises(NoDataInPeriod, match="same days"):
        answer(olist, "今年比前年翻了几倍", "offline")


def test_ratio_words_elsewhere_stay_unplaced(olist: Any) -> None:
    refused(olist, "每个品类的销售额翻了几倍")  # no two periods


def test_bare_lower_bound_in_a_growth_ranking(olist: Any) -> None:
    gold = sql(
        olist,
        "WITH s AS (SELECT p.category, sum(i.paid_amount) FILTER (WHERE o.paid_at >= '2018-08-01'"
        " AND o.paid_at < '2018-09-01') AS cur, sum(i.paid_amount) FILTER (WHERE o.paid_at >="
        " '2018-07-01' AND o.paid_at < '2018-08-01') AS prev FROM order_items i JOIN orders o ON"
        " o.order_id = i.order_id JOIN products p ON p.product_id = i.product_id GROUP BY 1)"
        " SELECT category, round((cur - prev) / prev, 4) FROM s WHERE prev >= 20000"
        " ORDER BY 2 DESC LIMIT 1",
    )
    for q in (
        "which category grew fastest aug vs jul (min 20k in jul)",
        "which category grew fastest in aug compared with jul, at least 20000 in jul",
        "8月比7月增长最快的品类（7月至少2万）",
        "8月比7月增长最快的品类（7月销售额至少2万）",
        "8月比7月增长最快的品类（之前至少2万）",
    ):
        got = rows(olist, q)
        assert [(r[0], float(r[-1])) for r in got] == [(c, float(g)) for c, g in gold], q


def test_bare_lower_bound_elsewhere_is_refused(olist: Any) -> None:
    for q in ("sales by category (at least 20000)", "top 5 categories by sales (min 20k in jul)"):
        refused(olist, q)
