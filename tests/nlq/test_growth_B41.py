"""Growth said the other way round and ranked by a place said short (session 41, helper B): "8月
进来的订单比7月少了几单" keeps the signed change (August minus July, as the dev sets write it) in
__delta and shows the difference the way the sentence asks it (July minus August) in __asked; 哪国
is 哪个国家 in a growth ranking ("从9月到10月 哪国客户的进账少了最多"). Values against hand-written
SQL on the session workspaces; each beside a look-alike that keeps its own reading."""

from __future__ import annotations

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from tests.nlq.helpers import sql

_PLACED = (
    "SELECT count(*) FILTER (WHERE created_at >= '2018-08-01'), count(*) FILTER (WHERE"
    " created_at < '2018-08-01') FROM orders WHERE created_at >= '2018-07-01' AND created_at <"
    " '2018-09-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "8月 进来 的 订单 比 7月 少 了 几 单",
        "8月接的单比7月少了多少",
        "How many fewer orders came in in August than in July 2018?",
    ],
)
def test_fewer_asked_of_the_later_keeps_the_signed_change(olist: Workspace, question: str) -> None:
    ((aug, jul),) = sql(olist, _PLACED)
    assert aug - jul == 220  # August had more: the question's 少 is not what happened
    a = answer(olist, question, "offline")
    assert a.main.columns[-2:] == ["orders__delta", "orders__asked"]
    (row,) = a.main.rows
    assert (row[0], row[1], row[-2], row[-1]) == (aug, jul, aug - jul, jul - aug)


def test_more_asked_of_the_later_has_the_change_alone(olist: Workspace) -> None:
    """Look-alike: "8月比7月多了多少单" asks the later minus the earlier: no second difference."""
    ((aug, jul),) = sql(olist, _PLACED)
    a = answer(olist, "8月比7月多了多少单", "offline")
    assert a.main.columns[-1] == "orders__delta"
    assert a.main.rows[0][-1] == aug - jul


def test_the_earlier_said_first_keeps_its_asked_difference_last(olist: Workspace) -> None:
    """ "2018年5月比6月多卖了多少钱": May minus June stays the last column (session 19), the signed
    change (June minus May) beside it."""
    ((may, june),) = sql(
        olist,
        "SELECT sum(paid_amount) FILTER (WHERE paid_at < '2018-06-01'), sum(paid_amount) FILTER"
        " (WHERE paid_at >= '2018-06-01') FROM orders WHERE paid_at >= '2018-05-01' AND paid_at <"
        " '2018-07-01'",
    )
    a = answer(olist, "2018年5月比6月多卖了多少钱", "offline")
    row = a.main.rows[0]
    assert float(row[-1]) == pytest.approx(float(may - june), abs=0.01)
    assert float(row[-2]) == pytest.approx(float(june - may), abs=0.01)


_COUNTRY_CHANGE = (
    "SELECT country, coalesce(sum(paid_amount) FILTER (WHERE paid_at >= '2011-10-01'), 0) -"
    " coalesce(sum(paid_amount) FILTER (WHERE paid_at < '2011-10-01'), 0) AS change FROM orders"
    " WHERE country IS NOT NULL AND paid_at >= '2011-09-01' AND paid_at < '2011-11-01' GROUP BY 1"
    " ORDER BY 2 ASC LIMIT 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "从9月到10月 哪国客户的进账少了最多",
        "10月比9月 哪国的销售额掉得最多",
        "10月 比 9月 哪 国 客户 的 销售额 跌 得 最 多",
    ],
)
def test_which_country_said_short_in_a_growth_ranking(retail: Workspace, question: str) -> None:
    ((country, change),) = sql(retail, _COUNTRY_CHANGE)
    a = answer(retail, question, "offline")
    top = a.main.rows[0]
    cols = a.main.columns
    assert top[0] == country
    assert float(top[cols.index("paid_gmv__delta")]) == pytest.approx(float(change), abs=0.01)


def test_which_country_said_short_ranks_countries(retail: Workspace) -> None:
    """Look-alike: 哪国 in a plain ranking is the country too (the top by the figure said)."""
    ((country,),) = sql(
        retail,
        "SELECT country FROM orders WHERE country IS NOT NULL AND paid_at >= '2011-10-01' AND"
        " paid_at < '2011-11-01' GROUP BY 1 ORDER BY sum(paid_amount) DESC LIMIT 1",
    )
    assert answer(retail, "10月哪国的销售额最高", "offline").main.rows[0][0] == country
