"""Never answer a different question (issue 11, session 20, the lead): a reading found among the
new wrong answers of the merged helpers' work on the dev set dev_w17, fixed as a mechanism and
checked on paraphrases. Values against hand-written SQL on the session's Online Retail workspace
(today 2011-12-01)."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql

# the days from each person's first paid order to their second, of the people whose FIRST order
# was paid in March 2011 (the second order at any time)
COHORT_GAP = """
WITH r AS (
    SELECT one_id, paid_at,
           row_number() OVER (PARTITION BY one_id ORDER BY paid_at, order_id) AS rn
    FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL
)
SELECT round(avg(date_diff('second', a.paid_at, b.paid_at) / 86400.0), 2)
FROM r a JOIN r b ON a.one_id = b.one_id AND a.rn = 1 AND b.rn = 2
WHERE a.paid_at >= TIMESTAMP '2011-03-01' AND a.paid_at < TIMESTAMP '2011-04-01'
"""


@pytest.mark.parametrize(
    "question",
    [
        "3月 首单 的 客户 平均 过了 几天 回购",  # spaced as typed: was the second orders of March too
        "3月首单的客户 平均过了几天回购",
        "3月份 首单客户 平均 几天 回购",
        "avg days to second order for customers who first bought in march",
    ],
)
def test_a_first_order_cohort_waits_for_its_second_order_at_any_time(
    retail: Workspace, question: str
) -> None:
    """The people whose first order is in March, and the days to their second order whenever it
    came (was, spaced: the period put on the second order as well — only those who came back
    within March, 5.99 days on the full data against the cohort's 93.76)."""
    ((want,),) = sql(retail, COHORT_GAP)
    assert want is not None and want > 10
    assert rows(retail, question) == [(pytest.approx(float(want), abs=0.01),)]
