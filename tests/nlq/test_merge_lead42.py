"""Readings the lead corrected in session 42 (issue 11)."""

from __future__ import annotations

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql


def test_a_count_said_with_its_classifier(retail: Workspace) -> None:
    """'今年有买家的国家个数' was the buyers of each country: 个数 was no word of the catalog, so
    国家 stayed a breakdown and the count was dropped. A count named by a thing's word and 数
    (国家数) said with 个 before 数 is the same count, in every workspace."""
    (countries,) = sql(
        retail,
        "SELECT count(DISTINCT country) FROM orders WHERE paid_at >= '2011-01-01'"
        " AND paid_at < '2011-12-01' AND country IS NOT NULL",
    )[0]
    assert countries > 1
    for q in ("今年有买家的国家个数", "今年有买家的国家数", "今年 有买家的 国家 个数"):
        assert rows(retail, q) == [(countries,)], q
    # the catalog's own count of countries (国家数), however it counts them, said with 个
    november = rows(retail, "11月的国家数")
    assert rows(retail, "11月的国家个数") == november and november[0][0] > 1
    # per month, the countries with buyers: beyond the engine, refused (it was the buyers of
    # each country and month, a wrong answer)
    refused(retail, "今年每月有买家的国家个数")
    # a count whose word before 数 is not a thing of the catalog makes no 个数 phrase
    assert "人个数" not in retail.vocabulary.terms and "件个数" not in retail.vocabulary.terms


def test_sellers_counted_with_the_classifier(olist: Workspace) -> None:
    (sellers,) = sql(
        olist,
        "SELECT count(DISTINCT i.shop_id) FROM order_items i JOIN orders o ON o.order_id ="
        " i.order_id WHERE o.created_at >= '2018-08-01' AND o.created_at < '2018-09-01'",
    )[0]
    assert rows(olist, "8月卖家个数") == rows(olist, "8月卖家数") == [(sellers,)]


def test_which_day_of_one_month_is_its_date(olist: Workspace) -> None:
    """'8月几号进账最多' ranked the day numbers (20) where a date was asked: 几号 of one month
    named is the date in it (2018-08-20), as 8月哪天; over a year or each month it stays the day
    of the month (今年每个月几号卖得最好: the 18th, across months)."""
    top = sql(
        olist,
        "SELECT CAST(paid_at AS DATE) AS day, sum(paid_amount) FROM orders WHERE paid_at >="
        " '2018-08-01' AND paid_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 2",
    )
    assert top[0][1] > top[1][1]  # no tie at the top
    day = str(top[0][0])
    for q in ("8月几号进账最多", "8月份几号卖得最好", "2018年8月的几号支付金额最高"):
        got = rows(olist, q)
        assert str(got[0][0]) == day, q
    months = sql(
        olist,
        "SELECT day(paid_at) AS d, sum(paid_amount) FROM orders WHERE paid_at >= '2018-01-01'"
        " AND paid_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )[0][0]
    for q in ("今年每个月几号卖得最好", "今年几号卖得最好"):
        assert rows(olist, q)[0][0] == months, q
