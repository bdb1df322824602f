"""Helper d's set logic and comparisons (session 16), on real workspaces against SQL written by
hand: people who bought both of two title words said with a noun for the lines ("retrospot and
polkadot items": the items are the lines the words keep, not a breakdown by product)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from shopql.config import load_settings
from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, rows, sql, sql_number

RETAIL_TODAY = dt.date(2011, 12, 1)

_BOTH_WORDS = (
    "SELECT count(*) FROM (SELECT o.one_id FROM order_items i JOIN orders o USING (order_id) "
    "WHERE o.paid_at IS NOT NULL AND o.one_id IS NOT NULL AND i.clean_title LIKE '%{a}%' "
    "INTERSECT SELECT o.one_id FROM order_items i JOIN orders o USING (order_id) "
    "WHERE o.paid_at IS NOT NULL AND o.one_id IS NOT NULL AND i.clean_title LIKE '%{b}%')"
)


def test_people_who_bought_both_title_words_named_as_items(retail_workspace: Path) -> None:
    """ "customers who bought both retrospot and polkadot items": the people in both sets (was:
    'both' unplaced; without 'both' the buyers of either, 3079 against 1535 on the full file)."""
    with Workspace(load_settings(retail_workspace), today=RETAIL_TODAY) as ws:
        both = sql_number(ws, _BOTH_WORDS.format(a="RETROSPOT", b="POLKADOT"))
        either = sql_number(
            ws,
            "SELECT count(DISTINCT o.one_id) FROM order_items i JOIN orders o USING (order_id) "
            "WHERE o.paid_at IS NOT NULL AND (i.clean_title LIKE '%RETROSPOT%' "
            "OR i.clean_title LIKE '%POLKADOT%')",
        )
        assert 0 < both < either
        for q in (
            "customers who bought both retrospot and polkadot items",
            "customers who bought retrospot and polkadot products",
            "how many people bought both lunch bag and jumbo bag items",
        ):
            want = (
                both
                if "retrospot" in q
                else sql_number(ws, _BOTH_WORDS.format(a="LUNCH BAG", b="JUMBO BAG"))
            )
            assert number(ws, q) == want, q


def test_added_or_gained_the_most_ranks_by_the_increase(olist: Workspace) -> None:
    """ "which seller added the most revenue in aug vs jul": the seller whose line amounts rose
    most (an amount, not a rate; was: 'added' unplaced)."""
    want = sql(
        olist,
        "WITH s AS (SELECT i.shop_id, coalesce(sum(i.paid_amount) FILTER (WHERE o.paid_at >= "
        "'2018-08-01' AND o.paid_at < '2018-09-01'), 0) AS cur, coalesce(sum(i.paid_amount) "
        "FILTER (WHERE o.paid_at >= '2018-07-01' AND o.paid_at < '2018-08-01'), 0) AS prev "
        "FROM order_items i JOIN orders o USING (order_id) GROUP BY 1) "
        "SELECT shop_id, cur - prev FROM s ORDER BY 2 DESC LIMIT 1",
    )[0]
    for q in (
        "which seller added the most revenue in aug vs jul",
        "which seller gained the most sales august vs july",
    ):
        got = rows(olist, q)[0]
        assert (got[0], float(got[3])) == (want[0], float(want[1])), q
    states = sql(
        olist,
        "WITH s AS (SELECT c.province, count(DISTINCT o.one_id) FILTER (WHERE o.paid_at >= "
        "'2018-04-01' AND o.paid_at < '2018-07-01') AS cur, count(DISTINCT o.one_id) FILTER "
        "(WHERE o.paid_at >= '2018-01-01' AND o.paid_at < '2018-04-01') AS prev FROM orders o "
        "JOIN customers c USING (customer_id) GROUP BY 1) "
        "SELECT province, cur - prev FROM s ORDER BY 2 DESC LIMIT 1",
    )[0]
    got = rows(olist, "which state gained the most buyers in q2 vs q1 2018")[0]
    assert (got[0], got[3]) == states
