"""Periods read wrong (session 28, round 2, helper y), values against hand-written SQL on the real
workspaces and the session demo:

- an English festival name typed against Chinese ("2017年Dia das Mães(5月14日)当天") is the day,
  not two days compared (the festival's words end where ASCII letters do);
- two periods put together, over, with "so far this year" ("january and february combined this
  year so far") are those months, not the year to date;
- a year said alone at the end of a set question ("上半年 和 下半年 都 买过 的 客户 2017年") is
  the halves' year;
- the values of the people before 人里 keep their place when a period said before them is taken
  out of the linked text ("2026年至今买过女装的人里 有几成也买过配饰": of the 女装 buyers);
- a festival after "YYYY年至今" is that year's festival (this year), else refused.
"""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql, sql_number


@pytest.mark.parametrize(
    "question",
    [
        "2017年Dia das Mães(5月14日)当天卖了多少",
        "2017年 Dia das Mães (5月14日) 当天 卖了 多少",
        "2017年Dia das Mães当天卖了多少",
        "how much did we sell on mother's day 2017",
    ],
)
def test_a_festival_typed_against_its_year_is_the_day(olist: Workspace, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2017-05-14' AND paid_at < "
        "'2017-05-15'",
    )
    got = rows(olist, question)
    assert len(got) == 1 and len(got[0]) == 1, question
    assert float(got[0][0]) == pytest.approx(want, abs=0.01), question


@pytest.mark.parametrize(
    "question",
    [
        "total sales for january and february combined this year so far",
        "how much did we sell in january and february together so far this year",
        "今年到目前为止1月和2月一共卖了多少",
        "今年 1月 和 2月 加起来 到目前为止 卖了 多少钱",
    ],
)
def test_two_months_together_so_far_this_year_are_those_months(
    olist: Workspace, question: str
) -> None:
    want = sql_number(
        olist,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2018-01-01' AND paid_at < "
        "'2018-03-01'",
    )
    assert number(olist, question) == pytest.approx(want, abs=0.01), question


@pytest.mark.parametrize(
    "question",
    [
        "上半年 和 下半年 都 买过 的 客户 2017年",
        "上半年和下半年都买过的客户2017年",
        "customers who bought in both H1 and H2, 2017",
        "2017年上半年和下半年都买过的客户",
    ],
)
def test_a_year_said_last_is_the_halves_year(olist: Workspace, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at >= '2017-01-01' AND "
        "paid_at < '2017-07-01' AND one_id IS NOT NULL INTERSECT SELECT one_id FROM orders "
        "WHERE paid_at >= '2017-07-01' AND paid_at < '2018-01-01' AND one_id IS NOT NULL)",
    )
    assert number(olist, question) == want, question


def test_a_year_with_more_said_after_it_stays_a_period(olist: Workspace) -> None:
    """ "2017年也买过": a third condition, not the halves' year."""
    three = number(olist, "上半年和下半年都买过 2017年也买过的客户")
    assert three != number(olist, "上半年和下半年都买过的客户2017年")


@pytest.mark.parametrize(
    "question",
    [
        "2025年至今买过女装的人里 有几成也买过配饰",
        "2025年至今买过女装的人里有几成也买过配饰",
        "今年买过女装的人里 有几成也买过配饰",
        "2025年以来买过女装的客户中有多少比例也买过配饰",
    ],
)
def test_the_share_is_of_the_people_said_before_among(demo: Workspace, question: str) -> None:
    ((both, whole),) = sql(
        demo,
        "WITH b AS (SELECT DISTINCT o.one_id, COALESCE(i.category, p.category) AS c FROM orders o "
        "JOIN order_items i ON o.order_id = i.order_id LEFT JOIN products p ON "
        "i.product_id = p.product_id WHERE o.paid_at >= '2025-01-01' AND o.paid_at < '2025-06-01'"
        " AND o.one_id IS NOT NULL) SELECT count(DISTINCT one_id) FILTER (WHERE c = '女装' AND "
        "one_id IN (SELECT one_id FROM b WHERE c = '配饰')), count(DISTINCT one_id) FILTER "
        "(WHERE c = '女装') FROM b",
    )
    got = rows(demo, question)
    assert len(got) == 1, question
    assert (int(got[0][0]), int(got[0][1])) == (both, whole), question


@pytest.mark.parametrize(
    "question",
    [
        "2011年至今 复活节 那一周 卖了多少",
        "2011年至今复活节那一周卖了多少",
        "2011年复活节那一周卖了多少",
    ],
)
def test_a_festival_after_this_year_to_date_is_this_year_s(
    retail: Workspace, question: str
) -> None:
    want = sql_number(
        retail,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2011-04-18' AND paid_at < "
        "'2011-04-25'",
    )
    assert number(retail, question) == pytest.approx(want, abs=0.01), question


@pytest.mark.parametrize(
    "question", ["2025年至今五一假期卖了多少", "2025年 至今 五一假期 卖了 多少"]
)
def test_the_may_day_holiday_this_year_to_date(demo: Workspace, question: str) -> None:
    want = sql_number(
        demo,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2025-05-01' AND paid_at < "
        "'2025-05-06'",
    )
    assert number(demo, question) == pytest.approx(want, abs=0.01), question


@pytest.mark.parametrize(
    "question", ["2010年至今复活节那一周卖了多少", "2011年至今圣诞那周卖了多少"]
)
def test_a_festival_not_in_the_year_to_date_is_refused(retail: Workspace, question: str) -> None:
    assert "year to date" in str(refused(retail, question)), question
