"""Olist splits two categories in two (eletrodomesticos / eletrodomesticos_2, casa_conforto /
casa_conforto_2). The everyday word (家电, home appliances, eletrodomésticos) names both halves;
the stored value itself, or "home appliances 2" / 家用电器二, names the one it says."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows, sql


def _sales_2017(olist: Workspace, where: str) -> list[tuple[object, ...]]:
    return sql(
        olist,
        "SELECT round(sum(i.paid_amount)::DOUBLE, 2) FROM order_items i JOIN orders o USING (order_id)"
        " JOIN products p ON p.product_id = i.product_id WHERE o.paid_at >= '2017-01-01'"
        f" AND o.paid_at < '2018-01-01' AND {where}",
    )


@pytest.mark.parametrize(
    "question",
    ["home appliances sales in 2017", "2017年家电销售额", "eletrodomésticos vendas 2017"],
)
def test_the_everyday_word_names_both_halves(olist: Workspace, question: str) -> None:
    both = _sales_2017(olist, "p.category IN ('eletrodomesticos', 'eletrodomesticos_2')")
    assert both == [(47785.72,)]
    assert [(round(float(v), 2),) for (v,) in rows(olist, question)] == both


@pytest.mark.parametrize("question", ["家用电器二 2017年销售额", "eletrodomesticos_2 sales 2017"])
def test_the_second_half_said_alone(olist: Workspace, question: str) -> None:
    one = _sales_2017(olist, "p.category = 'eletrodomesticos_2'")
    assert [(round(float(v), 2),) for (v,) in rows(olist, question)] == one == [(24064.88,)]


def test_home_comfort_names_both(olist: Workspace) -> None:
    both = _sales_2017(olist, "p.category IN ('casa_conforto', 'casa_conforto_2')")
    assert [(round(float(v), 2),) for (v,) in rows(olist, "家居舒适 2017年销售额")] == both
