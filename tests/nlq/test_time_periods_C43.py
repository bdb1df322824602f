"""Time parts, periods, growth, durations and ratios said in everyday words (session 43, helper C):
days said vaguely and then exactly in brackets (万圣节前后一周（10月28号到11月3号）, 9月最后那一周
（24号到30号）). Values against hand-written SQL (as the blind dev sets write them); each reading
beside a look-alike that keeps its own answer or stays refused."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, sql_number

# --- days said vaguely, then exactly in brackets (retail, today 2011-12-01) ---

_GMV = "SELECT sum(o.paid_amount) FROM orders o WHERE o.paid_at >= '{a}' AND o.paid_at < '{b}'"
_INVOICES = "SELECT count(*) FROM orders o WHERE o.created_at >= '{a}' AND o.created_at < '{b}'"


@pytest.mark.parametrize(
    ("question", "want"),
    [
        ("今年 万圣节 前后 一 周（10月28号 到 11月3号）的 营业额", _GMV),
        ("万圣节左右那一周 (10月28日-11月3日) 卖了多少钱", _GMV),
        ("万圣节前后几天（10月28号到11月3号）开了几张发票", _INVOICES),
    ],
)
def test_days_around_a_festival_said_in_brackets(
    retail: Workspace, question: str, want: str
) -> None:
    expected = sql_number(retail, want.format(a="2011-10-28", b="2011-11-04"))
    assert number(retail, question) == pytest.approx(expected, abs=0.01), question


@pytest.mark.parametrize(
    "question",
    [
        "9月最后那一周（24号到30号）收了多少钱",
        "9月 最后 那个 礼拜 （24号到30号）的营业额",
        "9月的最后一个星期(24-30号)卖了多少钱",
    ],
)
def test_last_week_of_a_month_said_again_in_brackets(retail: Workspace, question: str) -> None:
    expected = sql_number(retail, _GMV.format(a="2011-09-24", b="2011-10-01"))
    assert number(retail, question) == pytest.approx(expected, abs=0.01), question


@pytest.mark.parametrize(
    "question",
    [
        # other days in the brackets than the period said: never one or the other silently
        "9月最后那一周（23号到30号）收了多少钱",
        "万圣节前后一周（11月1号到11月7号）的营业额",
        # 前后一周 with no days said: left unplaced, as before
        "万圣节前后一周的营业额",
    ],
)
def test_brackets_that_disagree_are_refused(retail: Workspace, question: str) -> None:
    refused(retail, question)
