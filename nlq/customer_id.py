"""A customer named by the platform's own id: "客户12346买了多少钱", "customer 12346 total spend",
"客户1da09dd64e235e7c2f29a4faff33535c下了几单".

The id (the buyer key the export gives: Online Retail's CustomerID, Olist's customer_unique_id)
is looked up in the customers table as the role running the question sees it; the question is
then read without it and answered for that person (`person` = the OneID(s) of the accounts with
that key: every account of the same person). The PII policy holds: the buyer key is a `key`
column (catalog tables.yaml), pseudonymised for masked roles — for them the id finds no one, and
the question is refused saying so; no name, phone or address is ever shown. An id that names no
customer is refused, never answered for everyone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from shopql.catalog.semantic import Filter
from shopql.nlq.shared import NotUnderstood, Understanding

_SAID = re.compile(
    r"(?:客户|顾客|买家|会员|用户|\bcustomers?|\bbuyers?|\bclients?)\s*(?:id|ID|号|编号|#|no\.?)?"
    r"\s*[:：#]?\s*(?P<id>\d{4,12}|[0-9a-f]{32})(?![0-9a-zA-Z])"
    r"(?!\s*(?:年|月|日|号|天|个|位|名|人|单|笔|件|张|元|块|镑|次|%|\.\d))",
    re.IGNORECASE,
)


def customer_question(
    question: str, ws: Any, understand: Callable[[str, Any], Understanding]
) -> Understanding | None:
    """The question answered for the one customer it names by id, or None when it names none."""
    m = _SAID.search(question)
    if m is None:
        return None
    key = m.group("id").lower()
    found = ws.run(
        "SELECT DISTINCT one_id FROM customers WHERE lower(buyer_key) = "
        f"'{key}' AND one_id IS NOT NULL ORDER BY 1",
        None,
        source="ask:offline",
    ).rows
    if not found and not re.search(r"id|号|#|no", m.group(0), re.IGNORECASE):
        return None  # a number beside 客户 that is no customer's id: read as the engine reads it
    if not found:
        raise NotUnderstood(
            f"no customer has the id {m.group('id')} here (a buyer key the export gives; hidden"
            " from roles that see buyer keys pseudonymised)",
            [m.group("id")],
            [],
        )
    rest = (question[: m.start()] + " " + question[m.end() :]).strip()
    u = understand(rest, ws)
    q = u.query
    if q.population is not None or not q.metrics or u.ignored or "person" in q.dimensions:
        return None
    people = tuple(str(r[0]) for r in found)
    query = replace(q, filters=(*q.filters, Filter("person", "in", people)))
    return Understanding(
        query=query,
        compound=u.compound,
        recognised=[*u.recognised, f"customer {m.group('id')}: person {', '.join(people)}"],
        ignored=[],
    )
