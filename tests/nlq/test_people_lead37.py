"""Two conditions on people with each group's own figure asked (各 / 分别) are two groups, never
the people meeting both: "回头客跟只来过一次的人 平均一单各花多少" was one figure over the
intersection (nobody can be both), shown as the answer. Found re-scoring session 37's merge."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, sql_number

_ONCE_AND_RETURNING = (
    "SELECT count(*) FROM (SELECT one_id FROM orders WHERE one_id IS NOT NULL AND paid_at >="
    " '2018-01-01' AND paid_at < '2018-09-01' GROUP BY 1 HAVING count(*) = 1) p WHERE EXISTS"
    " (SELECT 1 FROM orders b WHERE b.one_id = p.one_id AND b.paid_at < '2018-01-01')"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年回头客和只买过一次的客户 客单价分别是多少",
        "今年老顾客跟只来过一次的顾客 平均每单各花了多少钱",
    ],
)
def test_each_of_two_groups_of_people_is_refused_not_intersected(
    olist: Workspace, question: str
) -> None:
    why = refused(olist, question)
    assert "each one's own figure asked" in why.message or "each asked for" in why.message


def test_look_alike_the_people_meeting_both_conditions_are_counted(olist: Workspace) -> None:
    """Among the returning customers, those who came once this year: one group, both
    conditions (no 各), as before."""
    want = sql_number(olist, _ONCE_AND_RETURNING)
    assert want > 0
    assert number(olist, "今年回头客里只来过一次的人有多少") == want
