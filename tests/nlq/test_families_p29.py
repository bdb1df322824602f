"""Families of session 29 (helper p), values against hand-written SQL on the test workspaces
(Olist today 2018-09-01, Online Retail 2011-12-01, the demo at seed 7):

- a metric of new vs returning buyers ("新客和老客的客单价各多少", "AOV of new vs returning
  customers this year"): one row per kind, 'new' (first paid order ever in the period) and
  'returning' (bought in the period and before it), the metric over that kind's orders of the
  period; refused with no period (everyone is new over all time), with a filter or a breakdown.
"""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql

# each kind of buyer's orders in [start, end): kind, paid GMV, paid orders
_KINDS = """
WITH f AS (SELECT one_id, min(paid_at) AS first_paid FROM orders
           WHERE paid_at IS NOT NULL AND one_id IS NOT NULL GROUP BY 1)
SELECT CASE WHEN f.first_paid >= TIMESTAMP '{start}' THEN 'new' ELSE 'returning' END AS kind,
       sum(o.paid_amount), count(*)
FROM orders o JOIN f ON f.one_id = o.one_id
WHERE o.paid_at >= TIMESTAMP '{start}' AND o.paid_at < TIMESTAMP '{end}'
GROUP BY 1 ORDER BY 1
"""


def _kinds(ws: Workspace, start: str, end: str) -> dict[str, tuple[float, int]]:
    return {k: (float(g), int(n)) for k, g, n in sql(ws, _KINDS.format(start=start, end=end))}


def _answer(ws: Workspace, question: str) -> dict[str, float]:
    got = rows(ws, question)
    assert [r[0] for r in got] == ["new", "returning"], (question, got)
    return {r[0]: float(r[1]) for r in got}


@pytest.mark.parametrize(
    "question",
    [
        "上个月新客 vs 老客 的客单价",
        "上个月 新客 和 老客 的 客单价 各 多少",
        "上个月新老客的客单价分别是多少",
        "aov new vs returning customers last month",
        "AOV of new vs returning customers last month",
    ],
)
def test_aov_of_new_and_returning_buyers_is_a_row_each(retail: Workspace, question: str) -> None:
    want = _kinds(retail, "2011-11-01", "2011-12-01")
    got = _answer(retail, question)
    for kind, (gmv, orders) in want.items():
        assert got[kind] == pytest.approx(gmv / orders, abs=0.006), (question, kind)
    assert round(got["new"], 2) != round(got["returning"], 2)


@pytest.mark.parametrize(
    "question",
    [
        "今年 新客 vs 老客 的 销售额",
        "今年新客和老客分别贡献了多少销售额",
        "revenue from new versus returning customers this year",
    ],
)
def test_sales_of_new_and_returning_buyers_this_year(olist: Workspace, question: str) -> None:
    want = _kinds(olist, "2018-01-01", "2018-09-01")
    got = _answer(olist, question)
    assert got == {k: pytest.approx(g, abs=0.01) for k, (g, _) in want.items()}, question


def test_new_and_returning_on_the_demo(demo: Workspace) -> None:
    start, end = "2025-05-01", "2025-06-01"
    want = _kinds(demo, start, end)
    got = _answer(demo, "上个月新客vs老客的销售额")
    assert got == {k: pytest.approx(g, abs=0.01) for k, (g, _) in want.items()}
    assert sum(got.values()) == pytest.approx(
        float(
            sql(
                demo,
                f"SELECT sum(paid_amount) FROM orders WHERE one_id IS NOT NULL AND paid_at >="
                f" TIMESTAMP '{start}' AND paid_at < TIMESTAMP '{end}'",
            )[0][0]
        ),
        abs=0.01,
    )


@pytest.mark.parametrize(
    "question",
    [
        "新客和老客的客单价各多少",  # no period: over all time every buyer is new
        "AOV of new vs returning customers",
        "上个月天猫上新客和老客的客单价",  # new on Tmall, or their Tmall orders?
        "上个月每个平台新客 vs 老客 的客单价",
        "今年每个月新客和老客的销售额",
    ],
)
def test_new_and_returning_not_read_is_refused(demo: Workspace, question: str) -> None:
    assert "new vs returning" in str(refused(demo, question)), question
