"""Session 31, helper g: general readings found on the dev sets W26 / W27 (and W28a), each
against hand-written SQL, with a look-alike that keeps its own answer."""

from __future__ import annotations

from typing import Any

from shopql.nlq.answer import answer
from tests.nlq.helpers import sql

# --- a list of people shows each person's own keys in the exports (Retail's CustomerID) ---

_INVOICES_BY_CUSTOMER = (
    "SELECT c.buyer_key, count(*) FROM orders o JOIN customers c ON c.customer_id = o.customer_id "
    "WHERE o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01' GROUP BY 1 "
    "ORDER BY 2 DESC LIMIT 5"
)


def test_people_ranking_names_the_customer_id(retail: Any) -> None:
    """ "发票数第二多的客户是谁" (dev W27 w27r23, W26 w26r26): the seller knows a customer by the
    CustomerID of the export, not by the OneID shopql gave them."""
    gold = sql(retail, _INVOICES_BY_CUSTOMER)
    a = answer(retail, "今年发票数第二多的客户是谁", "offline").main
    got = dict(zip(a.columns, a.rows[0], strict=True))
    assert (got["accounts"], got["paid_orders"]) == gold[1]
    top = answer(retail, "Which five customers raised the most invoices in 2011 so far?", "offline")
    i, n = top.main.columns.index("accounts"), top.main.columns.index("paid_orders")
    assert [(r[i], r[n]) for r in top.main.rows] == gold


def test_country_ranking_keeps_its_own_columns(retail: Any) -> None:
    """Look-alike: a ranking of countries is no list of people (no accounts column)."""
    a = answer(retail, "今年发票数第二多的国家", "offline").main
    assert "accounts" not in a.columns
    gold = sql(
        retail,
        "SELECT country, count(*) FROM orders WHERE created_at >= '2011-01-01' AND "
        "created_at < '2011-12-01' AND country IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1 OFFSET 1",
    )
    assert (a.rows[0][0], a.rows[0][-1]) == gold[0]
