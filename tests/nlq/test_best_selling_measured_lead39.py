"""A figure asked of the best-selling group — "8月卖得最好的品类的客单价", "the average review score
of the best-selling category" (issue 11): the group is picked by what sells (sales; the catalog's
bestseller measure) and the figure is shown for it. It was the group with the highest figure
itself (the category with the highest AOV: a category selling a few computers). Values against
hand-written SQL; the figure said as the ranking (客单价最高的品类) keeps its reading."""

from __future__ import annotations

from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql

_BY_CATEGORY = (
    "SELECT p.category, sum(i.paid_amount) AS sales FROM order_items i JOIN orders o"
    " ON o.order_id = i.order_id JOIN products p ON p.product_id = i.product_id"
    " WHERE o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01' AND p.category IS NOT NULL"
    " GROUP BY 1 ORDER BY 2 DESC LIMIT 2"
)


def test_the_aov_of_the_best_selling_category(olist: Workspace) -> None:
    (best, sales), (second, _s) = sql(olist, _BY_CATEGORY)
    for q in ("8月卖得最好的品类的客单价", "8月卖得最好的那个品类客单价多少"):
        got = rows(olist, q)
        assert got[0][0] == best and abs(float(got[0][1]) - float(sales)) < 0.01, q
        assert len(got) == 1, q
    # the AOV shown is the category's own, as asked of it by name
    (aov,) = rows(olist, f"8月{best}品类的客单价")[0]
    assert float(got[0][2]) == float(aov)


def test_a_figure_of_the_best_selling_category_in_english(olist: Workspace) -> None:
    (best, _sales), _second = sql(olist, _BY_CATEGORY)
    for q in (
        "what was the average review score of the best-selling category in august",
        "average review score of our best selling category in august",
    ):
        assert rows(olist, q)[0][0] == best, q


def test_the_figure_said_as_the_ranking_keeps_its_reading(olist: Workspace) -> None:
    # look-alikes: ranked by the AOV itself (the top one is not the best-selling category)
    (best, _sales), _second = sql(olist, _BY_CATEGORY)
    for q in ("8月客单价最高的品类", "8月客单价卖得最好的品类"):
        got = rows(olist, q)
        assert len(got[0]) == 2 and got[0][0] != best, q
