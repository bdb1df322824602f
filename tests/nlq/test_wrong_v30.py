"""Online Retail refusals of dev_w27 (issue 11, session 30 round 2, helper v): a second part of a
period said after 和 without its period ("上个月 头 5天 和 最后 5天") is that period's part too.
Values against hand-written SQL on the test workspace (Retail today 2011-12-01); paraphrases with
and without spaces, and look-alikes that keep their reading."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql_number

PAID = "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '{0}' AND paid_at < '{1}'"


@pytest.mark.parametrize(
    "question",
    [
        "上个月 头 5天 和 最后 5天 加起来 卖了 多少",
        "上个月头5天和最后5天加起来卖了多少",
        "上个月的头五天跟最后五天一共卖了多少钱",
        "11月头5天和最后5天加起来卖了多少",
    ],
)
def test_second_part_of_a_period_after_and(retail: Workspace, question: str) -> None:
    """The first and the last 5 days of November 2011, added up — was refused ('最后', '天'
    not placed: the second part had no period of its own)."""
    want = sql_number(
        retail,
        PAID.format("2011-11-01", "2011-11-06") + " OR (paid_at >= '2011-11-26' "
        "AND paid_at < '2011-12-01')",
    )
    assert number(retail, question) == pytest.approx(want), question


def test_second_part_counts_orders_too(retail: Workspace) -> None:
    """An order count over the first and last 10 days of November (orders dated by creation)."""
    want = sql_number(
        retail,
        "SELECT count(*) FROM orders WHERE (created_at >= '2011-11-01' AND created_at < "
        "'2011-11-11') OR (created_at >= '2011-11-21' AND created_at < '2011-12-01')",
    )
    assert number(retail, "11月头10天和最后10天的订单数加起来是多少") == want


def test_first_part_alone_unchanged(retail: Workspace) -> None:
    """Look-alike: one part said alone stays the first 5 days of last month."""
    want = sql_number(retail, PAID.format("2011-11-01", "2011-11-06"))
    assert number(retail, "上个月头5天卖了多少") == pytest.approx(want)


def test_a_rolling_period_after_and_unchanged(retail: Workspace) -> None:
    """Look-alike: 近5天 after 和 is the last 5 days up to today, not a part of 上个月 — two rows."""
    got = rows(retail, "上个月头5天和近5天卖了多少")
    assert len(got) == 2
    assert float(got[0][1]) == pytest.approx(
        sql_number(retail, PAID.format("2011-11-01", "2011-11-06"))
    )


def test_each_part_asked_separately_still_refused(retail: Workspace) -> None:
    """分别 over two non-adjacent periods stays a clean refusal (no side-by-side rows for them)."""
    assert refused(retail, "上个月头5天和最后5天分别卖了多少")


# -- the lines a line's condition is said of ("数量在100件以上的(大额)行") --------------------------

LINES_NOV = (
    "SELECT sum(i.paid_amount) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
    "WHERE i.quantity {0} 100 AND o.paid_at >= '2011-11-01' AND o.paid_at < '2011-12-01'"
)


@pytest.mark.parametrize(
    ("question", "op"),
    [
        ("11月里 数量 在 100件 以上 的 大额行 一共 卖了 多少钱", ">="),
        ("11月里数量在100件以上的行一共卖了多少钱", ">="),
        ("11月数量超过100的订单行卖了多少钱", ">"),
        ("11月 数量 超过 100 的 明细行 一共 卖了 多少", ">"),
    ],
)
def test_lines_named_after_a_line_condition(retail: Workspace, question: str, op: str) -> None:
    """The sales of November's lines with a quantity of 100 or more — was refused ('大额行',
    '行', '订单行' not placed)."""
    want = sql_number(retail, LINES_NOV.format(op))
    assert number(retail, question) == pytest.approx(want), question


def test_line_count_word_after_a_line_condition_unread(retail: Workspace) -> None:
    """Look-alike: 行数 (a count of lines) after the condition is not the lines named: refused
    as before, not read as the lines' sales."""
    assert refused(retail, "11月 数量 在 100件 以上 的 行数")
