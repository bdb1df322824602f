"""Never answer a different question (issue 11, session 16, lead): the mechanisms behind wrong
answers of the older held-out sets, each answered as a careful analyst would (values against
hand-written SQL on the session workspaces: Olist today 2018-09-01, the Online Retail slice today
2011-12-01, the demo at seed 7) or refused with the word named."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql


def test_year_against_year_in_portuguese_is_the_same_month_a_year_before(
    olist: Workspace,
) -> None:
    ((cur, prev),) = sql(
        olist,
        "SELECT sum(i.paid_amount) FILTER (WHERE o.paid_at >= '2018-07-01' AND o.paid_at <"
        " '2018-08-01'), sum(i.paid_amount) FILTER (WHERE o.paid_at >= '2017-07-01' AND"
        " o.paid_at < '2017-08-01') FROM order_items i JOIN orders o USING (order_id) JOIN"
        " products p USING (product_id) WHERE p.category = 'beleza_saude'",
    )
    for question in (
        "beleza_saude julho: crescimento ano contra ano",  # was: July against June
        "beleza_saude julho crescimento year vs year",
    ):
        ((now, before, change),) = rows(olist, question)
        assert (float(now), float(before)) == (
            pytest.approx(float(cur), abs=0.01),
            pytest.approx(float(prev), abs=0.01),
        ), question
        assert float(change) == pytest.approx(float((cur - prev) / prev), abs=1e-4)
