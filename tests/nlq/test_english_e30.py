"""English questions of session 30 (helper e): the dev sets' English refusals read as general
mechanisms, values against hand-written SQL on the real workspaces.

- "their very first order", "a customer's first-ever order", "first ever": the first order,
  emphasised (lexicon ABBREVIATIONS); "their first paid order" is the first order too.
- "what share of paid orders were a customer's first order": the orders that ARE a first order,
  which the set of new people (every order of theirs in the period) does not count: refused.
- "sellers that had at least one cancelled order": at least one after a verb of having is there
  being one (had a …); not "at least one hundred", "at least one order every month", "at least two".
- "Where did Douyin sell the most? Top 3 provinces": where asks which place, said by the place
  word; without a place word 'where' stays unplaced (refused).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.nlq.helpers import refused, rows, sql, sql_number

_FIRST = (
    "SELECT one_id, min(paid_at) AS f, arg_min(payment_channel, paid_at) AS pay FROM orders"
    " WHERE paid_at IS NOT NULL AND one_id IS NOT NULL GROUP BY 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "How many buyers placed their very first paid order in August?",
        "How many buyers made their first paid order in August?",
        "how many customers placed their first-ever order in august",
        "how many people placed their first ever order in August 2018",
    ],
)
def test_the_very_first_order_is_the_first_order(olist: Any, question: str) -> None:
    want = sql_number(
        olist, f"SELECT count(*) FROM ({_FIRST}) f WHERE f >= '2018-08-01' AND f < '2018-09-01'"
    )
    assert want == 6398
    assert float(rows(olist, question)[0][-1]) == want, question


def test_the_very_first_order_keeps_its_payment(olist: Any) -> None:
    want = sql_number(
        olist,
        f"SELECT count(*) FROM ({_FIRST}) f WHERE pay = 'voucher' AND f >= '2018-01-01'"
        " AND f < '2018-09-01'",
    )
    assert want == 724
    q = "How many customers paid for their very first order with a voucher this year?"
    assert float(rows(olist, q)[0][-1]) == want


def test_the_very_first_time_in_a_month(retail: Any) -> None:
    want = sql_number(
        retail, f"SELECT count(*) FROM ({_FIRST}) f WHERE f >= '2011-10-01' AND f < '2011-11-01'"
    )
    q = "In October, how many customers bought from us for the very first time?"
    assert float(rows(retail, q)[0][-1]) == want


@pytest.mark.parametrize(
    "question",
    [
        "What share of this year's paid orders were a customer's first-ever order?",
        "What share of this year's paid orders were a customer's first order?",
        "how many of this year's orders were their first purchase",
    ],
)
def test_orders_that_were_first_orders_are_refused(olist: Any, question: str) -> None:
    assert "first order" in str(refused(olist, question)) or refused(olist, question).unknown


def test_orders_of_new_customers_are_still_answered(olist: Any) -> None:
    # every order of the people whose first order fell this year: not the refusal above
    got = rows(olist, "How many orders did new customers place this year?")
    assert got and float(got[0][-1]) > 0


_SELLERS_CANCELLED = (
    "SELECT count(DISTINCT i.shop_id) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
    " WHERE o.status = 'cancelled' AND o.created_at >= '2018-08-01' AND o.created_at < '2018-09-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "How many sellers had at least one cancelled order in August?",
        "how many sellers with at least 1 cancelled order in august",
        "How many sellers had a cancelled order in August?",
    ],
)
def test_at_least_one_is_there_being_one(olist: Any, question: str) -> None:
    want = sql_number(olist, _SELLERS_CANCELLED)
    assert want == 26
    assert rows(olist, question) == [(26,)], question


@pytest.mark.parametrize(
    "question",
    [
        "How many sellers had at least two cancelled orders in August?",
        "How many sellers had at least 2 cancelled orders in August?",
        "How many customers placed at least one order every month this year?",
    ],
)
def test_at_least_more_than_one_is_not_read_as_one(olist: Any, question: str) -> None:
    refused(olist, question)


@pytest.mark.parametrize(
    ("question", "dim"),
    [
        ("Where did we sell the most last month? Top 3 states please.", "province"),
        ("where did we sell the most last month - top 3 states", "province"),
        ("Top 3 states by sales last month", "province"),
    ],
)
def test_where_with_a_place_word_is_which_place(olist: Any, question: str, dim: str) -> None:
    want = sql(
        olist,
        f"SELECT c.{dim}, round(sum(o.paid_amount), 2) FROM orders o JOIN customers c"
        " ON c.customer_id = o.customer_id WHERE o.paid_at >= '2018-08-01'"
        " AND o.paid_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 3",
    )
    got = [(r[0], round(float(r[-1]), 2)) for r in rows(olist, question)]
    assert got == [(r[0], float(r[1])) for r in want], question


def test_where_without_a_place_word_is_refused(olist: Any) -> None:
    assert "where" in refused(olist, "Where did we sell the most last month?").unknown


@pytest.mark.parametrize(
    "question",
    [
        "How many customers bought an item in August?",
        "How many customers bought a product in August?",
        "How many customers bought at least one item in August?",
        "How many customers bought something in August?",
    ],
)
def test_an_item_bought_is_not_a_breakdown_by_product(olist: Any, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT count(DISTINCT one_id) FROM orders WHERE paid_at >= '2018-08-01'"
        " AND paid_at < '2018-09-01'",
    )
    assert want == 6575
    assert rows(olist, question) == [(6575,)], question


def test_a_product_with_a_condition_is_not_read_as_something(olist: Any) -> None:
    refused(olist, "How many customers bought a product over 500 in August?")
