"""Word accounting (issue 11, session 4): a word the question says must be used by the query the
engine runs, not merely linked — a bare number or "%" left over, a period bound (6月后, 以前),
a ranking word with nothing ranked, a table word ("order", "refund") the query never reads. Each
is refused (exit 5) with the word named; the readings that do use the word still answer, checked
against SQL on the Olist session workspace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.offline import NotUnderstood
from shopql.nlq.session import Workspace


@pytest.fixture(scope="module")
def olist(olist_workspace: Path) -> Iterator[Workspace]:
    ws = Workspace(load_settings(olist_workspace), today=dt.date(2018, 9, 1))
    yield ws
    ws.close()


def sql(ws: Workspace, text: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in ws.run(text, None, source="test").rows]


def rows(ws: Workspace, question: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in answer(ws, question, "offline").main.rows]


def refused_words(ws: Workspace, question: str) -> list[str]:
    with pytest.raises(NotUnderstood) as e:
        answer(ws, question, "offline")
    return list(e.value.unknown)


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("what % of reviews are 5 stars", "5"),  # was: review count and average score
        ("what % of reviews are 5 stars", "%"),
        ("2018年6月后的订单数", "后"),  # was: June 2018 only
        ("6月前的销售额", "前"),
        ("2018年以前的订单", "以前"),
        ("most orders", "most"),  # was: all orders, "most" dropped
        ("what time do people order most", "order"),  # was: the number of tagged persons
        ("refund orders last month", "refund"),  # was: every order of the month
    ],
)
def test_a_word_the_query_does_not_use_is_refused(
    olist: Workspace, question: str, word: str
) -> None:
    assert word in refused_words(olist, question)


def test_readings_that_use_the_word_still_answer(olist: Workspace) -> None:
    # a ranking word read as the aggregation: the highest unit price
    assert rows(olist, "highest unit price") == sql(
        olist, "SELECT max(unit_price) FROM order_items"
    )
    assert rows(olist, "highest unit price") == [(6735,)]
    # the payment word placed by the payment type the query filters on
    boleto = sql(
        olist,
        "SELECT count(DISTINCT order_id) FROM orders WHERE payment_channel = 'boleto'"
        " AND created_at >= '2017-01-01' AND created_at < '2018-01-01'",
    )
    assert rows(olist, "2017年用boleto付款的订单有多少") == boleto == [(9508,)]


def test_the_year_before_last_is_a_calendar_year(olist: Workspace) -> None:
    # 前年 was read as "the last 1 year" (2017-09-02 → 2018-09-01): 12.2 M instead of 58 k
    expected = sql(
        olist,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2016-01-01' AND paid_at < '2017-01-01'",
    )
    assert rows(olist, "前年的销售额") == expected
    assert float(expected[0][0]) == pytest.approx(58400.36)
    assert "前天" in refused_words(olist, "前天的订单")
