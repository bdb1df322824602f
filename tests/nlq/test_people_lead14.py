"""A year said before 'orders' / 'invoices' is the period, never a count of orders a person
placed: "2011 orders per customer" is the orders per buyer of 2011 (it was: people with at least
2011 orders, 0). A count said the same way still is one ("customers with 10 or more invoices")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.nlq.helpers import ask_at, scalar

TODAY = dt.date(2011, 12, 1)


@pytest.mark.parametrize(
    "question", ["2011 orders per customer", "2011 invoices per customer", "2011 orders per buyer"]
)
def test_a_year_before_orders_is_the_period(retail_workspace: Path, question: str) -> None:
    per = scalar(
        retail_workspace,
        """SELECT count(*) / count(DISTINCT one_id) FROM orders WHERE one_id IS NOT NULL
        AND paid_at >= '2011-01-01' AND paid_at < '2012-01-01'""",
    )
    assert ask_at(retail_workspace, question, TODAY)[0][0] == pytest.approx(per, rel=1e-3)


def test_a_count_before_invoices_is_still_a_count(retail_workspace: Path) -> None:
    people = scalar(
        retail_workspace,
        """SELECT count(*) FROM (SELECT one_id FROM orders WHERE one_id IS NOT NULL
        AND paid_at IS NOT NULL GROUP BY 1 HAVING count(*) >= 3)""",
    )
    assert people > 0
    assert ask_at(retail_workspace, "how many customers with 3 or more invoices", TODAY) == [
        (people,)
    ]
