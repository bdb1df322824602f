"""Never answer a different question (issue 11, session 21, the lead): a year said once for two
periods of a people set is both periods' year, in Chinese and English word order; a period after
the data's end in a people set is refused as the single-period questions refuse it. Values
against hand-written SQL on the session workspaces (Olist, today 2018-09-01; the demo at seed 7).
Found among dev_w18's wrong answers ('2017年 上半年 和 下半年 都 买过 的 客户': 42, the second half
read as 2018's; '去年 和 今年 双十一 都 买了 的 客户': 53, the whole of last year)."""

from __future__ import annotations

import pytest

from shopql.nlq.periods import NoDataInPeriod
from shopql.nlq.session import Workspace
from tests.nlq.helpers import answer, rows, sql

# people (OneID) with a paid order in each of two periods
BOTH = """
SELECT count(*) FROM (
    SELECT one_id FROM orders
    WHERE one_id IS NOT NULL AND paid_at >= TIMESTAMP '{a}' AND paid_at < TIMESTAMP '{b}'
    INTERSECT
    SELECT one_id FROM orders
    WHERE one_id IS NOT NULL AND paid_at >= TIMESTAMP '{c}' AND paid_at < TIMESTAMP '{d}'
)
"""


def both(ws: Workspace, a: str, b: str, c: str, d: str) -> int:
    ((n,),) = sql(ws, BOTH.format(a=a, b=b, c=c, d=d))
    return int(n)


@pytest.mark.parametrize(
    "question",
    [
        "2017年 上半年 和 下半年 都 买过 的 客户",  # was 42: 2018's second half (to date)
        "2017年上半年和下半年都下过单的人有多少",
        "customers who bought in both H1 and H2 2017",  # was 409: 2018's first half
        "how many customers bought in both the first half and the second half of 2017",
    ],
)
def test_a_year_said_once_is_both_halves_year(olist: Workspace, question: str) -> None:
    want = both(olist, "2017-01-01", "2017-07-01", "2017-07-01", "2018-01-01")
    assert want == 231
    assert rows(olist, question) == [(want,)]


def test_a_bare_part_after_a_later_one_keeps_its_own_reading(olist: Workspace) -> None:
    """ "17年12月买过 1月又买了": January after December is the next year's, not the same year's
    (which would put it before the period said first)."""
    want = both(olist, "2017-12-01", "2018-01-01", "2018-01-01", "2018-02-01")
    assert rows(olist, "17年12月买过 1月又买了的客户有多少") == [(want,)]


@pytest.mark.parametrize(
    ("question", "a", "b"),
    [
        # was the whole of last year and this year's part (the demo's today: 2025-06-01)
        ("去年 和 今年 3月 都 买了 的 客户", "2024-03-01", "2025-03-01"),
        ("去年和今年的3月都买过的客户有几个", "2024-03-01", "2025-03-01"),
        ("2024和2025年的3月都买过的客户", "2024-03-01", "2025-03-01"),  # the part said after
        ("customers who bought in march of both 2024 and 2025", "2024-03-01", "2025-03-01"),
    ],
)
def test_a_part_said_once_beside_two_years_is_each_years(
    demo: Workspace, question: str, a: str, b: str
) -> None:
    import datetime as dt

    def end(day: str) -> str:
        d = dt.date.fromisoformat(day)
        if d.day == 1:  # a month
            return (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1).isoformat()
        return (d + dt.timedelta(days=1)).isoformat()

    want = both(demo, a, end(a), b, end(b))
    assert want > 0
    assert rows(demo, question) == [(want,)]


@pytest.mark.parametrize(
    "question",
    [
        "customers who bought on black friday in both 2017 and 2018",  # was 5: BF 2017 ∩ 2017 ∩ 2018
        "2017年和2018年 黑五 都买过的人有多少",
        "2019年和2017年都买过的客户有多少",  # was 0
    ],
)
def test_people_of_a_period_after_the_data_are_refused(olist: Workspace, question: str) -> None:
    """Black Friday 2018 (23 November) and 2019 are after Olist's data ends (2018-10-17): nobody
    can be counted in them — refused with where the data ends (exit 5), never a 0."""
    with pytest.raises(NoDataInPeriod) as e:
        answer(olist, question, "offline")
    assert "the data ends 2018-10-17" in str(e.value)


def test_a_half_of_this_year_moved_beside_it_still_runs_to_today(retail: Workspace) -> None:
    """ "今年 上半年 没买 下半年 又回来": this year's second half, still running on 2011-12-01,
    counted up to today like any running period (not to 31 December, with the orders dated after
    today: on the full data 117 against the right 112)."""
    both_ends = """
        SELECT count(*) FROM (
            SELECT one_id FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL
            GROUP BY 1
            HAVING count(*) FILTER (WHERE paid_at >= '2010-12-01' AND paid_at < '2011-01-01') > 0
               AND count(*) FILTER (WHERE paid_at >= '2011-01-01' AND paid_at < '2011-07-01') = 0
               AND count(*) FILTER (WHERE paid_at >= '2011-07-01' AND paid_at < '{end}') > 0
        )
        """
    want = sql(retail, both_ends.format(end="2011-12-01"))
    whole_half = sql(retail, both_ends.format(end="2012-01-01"))
    assert want[0][0] > 0 and want != whole_half
    assert rows(retail, "去年12月 买过 今年 上半年 没买 下半年 又 回来 的 客户") == want
