"""Merge interactions (issue 11, session 30, helper y): the round-1 branches measured together on
the merge h30int (the s30 paraphrase hunt, batches 4 and 4b; the a30 look-alike hunt, batches 2
and 3). No answer turned wrong; these pin readings two branches' work meet in, values against
hand-written SQL.

- a second figure said after a count ("订单一共多少单，销售额多少"): both figures, or a refusal naming
  the count — never the amount alone (helper a's refusal beside the readings of helpers s and e);
- a condition said inside the people averaged over ("平均每个天猫的客户"): the platform filter kept
  (the spoken-Chinese reordering of the merge), the look-alike without it over every platform."""

from __future__ import annotations

from typing import Any

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.offline import NotUnderstood
from tests.nlq.helpers import rows, sql_number

# -- a count of orders and an amount asked together -------------------------------------------

_FREE = "shipping_fee = 0"
_YEAR_CREATED = "created_at >= '2018-01-01' AND created_at < '2018-09-01'"
_YEAR_PAID = "paid_at >= '2018-01-01' AND paid_at < '2018-09-01'"


def _free_orders(olist: Any) -> tuple[float, float]:
    n = sql_number(olist, f"SELECT count(*) FROM orders WHERE {_YEAR_CREATED} AND {_FREE}")
    gmv = sql_number(olist, f"SELECT sum(paid_amount) FROM orders WHERE {_YEAR_PAID} AND {_FREE}")
    return n, gmv


@pytest.mark.parametrize(
    "question",
    [
        "今年 免运费 的 订单 一共 多少 单，销售额多少",
        "今年 免运费 的 订单 有 几单 ， 销售额 多少",
        "今年 免运费 的 订单 有 几单，销售额多少",
    ],
)
def test_the_count_and_the_amount_are_both_answered(olist: Any, question: str) -> None:
    n, gmv = _free_orders(olist)
    assert n == 328 and gmv == pytest.approx(35781.47)
    got = rows(olist, question)
    assert len(got) == 1 and len(got[0]) == 2, got
    assert float(got[0][0]) == n and float(got[0][1]) == pytest.approx(gmv)


@pytest.mark.parametrize(
    "question",
    [
        "今年免运费的订单一共多少单，销售额多少",
        "今年免运费的订单有几单，销售额多少",
        "今年有几单，销售额多少",
        "8月 实付 不到 50块 的 小单 有 几单，销售额 多少",
    ],
)
def test_the_count_is_never_dropped_beside_the_amount(olist: Any, question: str) -> None:
    try:
        a = answer(olist, question, "offline")
    except NotUnderstood as e:
        assert "count of orders" in str(e), question
        return
    assert len(a.main.columns) >= 2, (question, a.main.columns)  # both figures, or a refusal


def test_the_count_alone_keeps_its_answer(olist: Any) -> None:
    n, _ = _free_orders(olist)
    assert rows(olist, "今年免运费的订单一共多少单") == [(n,)]


# -- a condition said inside the people averaged over ------------------------------------------

_DAY = "o.paid_at >= '2024-12-12' AND o.paid_at < '2024-12-13' AND o.one_id IS NOT NULL"


def _units_per_person(demo: Any, platform: str | None) -> float:
    on = f" AND o.platform = '{platform}'" if platform else ""
    return sql_number(
        demo,
        "SELECT sum(i.quantity) * 1.0 / count(DISTINCT o.one_id) FROM order_items i"
        f" JOIN orders o ON o.order_id = i.order_id WHERE {_DAY}{on}",
    )


@pytest.mark.parametrize(
    "question",
    ["双十二那天平均每个天猫的客户买了几件", "双十二 那天 平均 每个 天猫 的 客户 买了 几件"],
)
def test_a_platform_said_inside_the_people_is_kept(demo: Any, question: str) -> None:
    want = _units_per_person(demo, "tmall")
    assert want != pytest.approx(_units_per_person(demo, None))
    assert float(rows(demo, question)[0][0]) == pytest.approx(want)


def test_the_people_of_every_platform_keep_their_answer(demo: Any) -> None:
    want = _units_per_person(demo, None)
    assert float(rows(demo, "双十二那天平均每个客户买了几件")[0][0]) == pytest.approx(want)
