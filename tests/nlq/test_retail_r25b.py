"""Online Retail questions answered, never another question (issue 11, session 25 round 2, helper r).

The total up to the end of each month said without 累计 (到每个月底为止一共卖了多少, 截至每个月底的
销售额): each month beside its running total, the grain kept from 每个月底 (the period's total is not
given instead); coming back for the second purchase (平均过了多少天才回来买第二次) is the days from the
first to the second paid order. Values against hand-written SQL on the Retail test workspace (today
2011-12-01); paraphrases with and without spaces."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql, sql_number

PAID_2011 = "paid_at >= '2011-01-01' AND paid_at < '2011-12-01'"


def _close(a: object, b: object, places: float = 0.01) -> bool:
    return abs(float(a) - float(b)) < places  # type: ignore[arg-type]


# -- the total up to the end of each month: a running total by month ---------------------------


@pytest.mark.parametrize(
    "question",
    [
        "今年到每个月底为止一共卖了多少 按月列出来",
        "今年到每个月底为止一共卖了多少",
        "今年 截至 每个 月底 的 销售额",
    ],
)
def test_total_to_each_month_end_is_a_running_total(retail: Workspace, question: str) -> None:
    want = sql(
        retail,
        "SELECT date_trunc('month', paid_at) AS m, sum(sum(paid_amount)) OVER (ORDER BY "
        f"date_trunc('month', paid_at)) FROM orders WHERE {PAID_2011} GROUP BY 1 ORDER BY 1",
    )
    got = rows(retail, question)
    assert len(got) == len(want) == 11, question
    for r, (m, running) in zip(got, want, strict=True):
        assert str(r[0])[:10] == str(m)[:10], question
        assert _close(r[-1], running), question  # the running total, beside the month's own


def test_orders_to_each_month_end_count_every_invoice_placed(retail: Workspace) -> None:
    want = sql(
        retail,
        "SELECT date_trunc('month', created_at), sum(count(*)) OVER (ORDER BY "
        "date_trunc('month', created_at)) FROM orders WHERE created_at >= '2011-01-01' AND "
        "created_at < '2012-01-01' GROUP BY 1 ORDER BY 1",
    )
    got = rows(retail, "2011年 到 每个 月底 为止 的 订单数")
    assert [int(r[-1]) for r in got] == [int(n) for _, n in want]


def test_month_end_without_to_stays_refused(retail: Workspace) -> None:
    refused(retail, "今年每个月底为止一共卖了多少")  # no 到 / 截至: not read as a running total


# -- coming back for the second purchase -------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("去年12月第一次来的客户 平均过了多少天才回来买第二次", "2010-12-01", "2011-01-01"),
        ("去年12月第一次来的客户平均过了多少天才回来买第二次", "2010-12-01", "2011-01-01"),
        ("2011年1月的新客户平均多久才回来下第二单", "2011-01-01", "2011-02-01"),
    ],
)
def test_days_until_coming_back_for_the_second_purchase(
    retail: Workspace, question: str, start: str, end: str
) -> None:
    want = sql_number(
        retail,
        "SELECT avg(date_diff('second', f1, f2) / 86400.0) FROM (SELECT one_id, min(paid_at) AS f1, "
        "(list(paid_at ORDER BY paid_at))[2] AS f2 FROM orders WHERE paid_at IS NOT NULL AND "
        f"one_id IS NOT NULL GROUP BY 1) WHERE f1 >= '{start}' AND f1 < '{end}' AND f2 IS NOT NULL",
    )
    got = rows(retail, question)
    assert len(got) == 1 and _close(got[0][0], want), question
