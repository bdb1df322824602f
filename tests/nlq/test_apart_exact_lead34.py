"""Two periods apart compared by a ratio metric: the change and the ratio come from the exact
figures, not from the rounded ones shown. 件单价 is shown to 2 places; 11月 over 3月 on the whole of
Online Retail is 1.0494 exactly but 1.96 / 1.86 = 1.0538, wrong from the second decimal place
(session 34: a blind question of this shape answered 0.8106 for 0.8114)."""

from __future__ import annotations

from typing import Any

from tests.nlq.helpers import rows, sql_number

SPU = (
    "SELECT sum(o.paid_amount) / (SELECT sum(i.quantity) FROM order_items i JOIN orders o "
    "USING (order_id) WHERE o.paid_at >= '{a}' AND o.paid_at < '{b}') FROM orders o "
    "WHERE o.paid_at >= '{a}' AND o.paid_at < '{b}'"
)


def test_the_ratio_of_two_months_apart_is_of_the_exact_figures(retail: Any) -> None:
    (got,) = rows(retail, "11月的件单价是3月的几倍")
    shown, before, change, ratio = (float(v) for v in got)
    nov = sql_number(retail, SPU.format(a="2011-11-01", b="2011-12-01"))
    mar = sql_number(retail, SPU.format(a="2011-03-01", b="2011-04-01"))
    assert (shown, before) == (round(nov, 2), round(mar, 2))
    assert ratio == round(nov / mar, 4) != round(shown / before, 4)  # the exact figures'
    assert change == round(nov / mar - 1, 4)
