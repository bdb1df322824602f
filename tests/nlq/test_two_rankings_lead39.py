"""Two rankings said of two breakdowns — "卖得最好的品类在哪个平台卖得最多": the best category over
every platform, then that category's best platform (issue 11). It was answered as the top
(category, platform) pair, which need not be the best category at all: on the full demo the top
(product, platform) pair was a coat second overall. A best product asked of another breakdown is
refused (products as the groups are not read), as is any best said twice with no group read."""

from __future__ import annotations

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows


def test_the_best_group_then_its_best_inside(demo: Workspace) -> None:
    (category, *_rest) = rows(demo, "上个月卖得最好的品类")[0]
    (platform, sales) = rows(demo, f"上个月{category}在哪个平台卖得最多")[0]
    for q in ("上个月卖得最好的品类在哪个平台卖得最多", "上个月卖得最好的品类是在哪个平台卖得最多"):
        got = rows(demo, q)
        assert len(got) == 1, q
        assert (got[0][0], got[0][1]) == (category, platform), q
        assert abs(float(got[0][2]) - float(sales)) < 0.01, q
    (province, *_rest) = rows(demo, "上个月销售额最高的省")[0]
    got = rows(demo, "上个月销售额最高的省在哪个品类卖得最多")
    assert (
        got[0][0] == province and got[0][1] == rows(demo, f"上个月{province}哪个品类卖得最多")[0][0]
    )


def test_a_best_product_asked_of_another_breakdown_is_refused(demo: Workspace) -> None:
    for q in (
        "上个月卖得最好的商品在哪个平台卖的最多",
        "上个月卖得最好的商品是哪个平台卖的最多",
        "上个月卖得最好的商品，哪个平台卖得最多",
    ):
        refused(demo, q)


def test_one_ranking_of_pairs_or_of_each_group_keeps_its_reading(demo: Workspace) -> None:
    # look-alikes: each platform's best product (a row per platform); the top pair asked as one
    each = rows(demo, "上个月每个平台卖得最好的商品")
    assert len({r[0] for r in each}) == len(each) > 1
    pair = rows(demo, "which platform and category had the highest sales last month")
    assert len(pair) == 1 and len(pair[0]) == 3
