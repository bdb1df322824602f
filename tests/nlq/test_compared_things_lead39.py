"""Things counted by a comparison each of them meets — "今年退回件数比销量多的商品有几个", "上个月消费
比10月多的客户有几个" (issue 11: never answer a different question). They were answered as the totals
side by side (returned units, units and the number of products) or as the two months compared, a
confident table for another question; refused now, the comparison named. A number or the average
after 比 stays a threshold, and a period compared with no things counted stays a comparison."""

from __future__ import annotations

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows


def test_things_meeting_their_own_comparison_are_refused(
    retail: Workspace, demo: Workspace
) -> None:
    for q in ("今年退回件数比销量多的商品有几个", "今年退货金额比销售额多的国家有几个"):
        assert "each meeting a comparison" in str(refused(retail, q)), q
    for q in (
        "上个月消费比4月多的客户有几个",
        "上个月销售额比4月多的平台有几个",
        "上个月比4月卖得多的品类有哪些",
    ):
        assert "each meeting a comparison" in str(refused(demo, q)), q


def test_a_period_compared_keeps_its_reading(demo: Workspace) -> None:
    # look-alike: the month's sales against April's, one row with the difference
    (got,) = rows(demo, "上个月销售额比4月多了多少")
    assert len(got) == 4 and got[3] == got[0] - got[1]
