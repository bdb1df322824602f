"""No word the engine read may be dropped on the way to the query (issue 11: never answer a
different question) — session 31, helper m. Found with bench/hunts/deletion_probe.py --swap: a
word swapped for its contrast ("都" → "只") that leaves the query as it was was never read.

Each class: the question whose word was read and dropped is refused (the word named), beside
its look-alike without it, which keeps its answer (values against hand-written SQL)."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, sql, sql_number

PAID = "paid_at IS NOT NULL AND one_id IS NOT NULL"
BOTH = (
    f"SELECT count(*) FROM (SELECT one_id FROM orders WHERE {PAID} GROUP BY 1 "
    "HAVING bool_or({dim} = '{a}') AND bool_or({dim} = '{b}'))"
)
ONLY = (
    f"SELECT count(*) FROM (SELECT one_id FROM orders WHERE {PAID} GROUP BY 1 "
    "HAVING count(DISTINCT {dim}) = 1 AND min({dim}) = '{a}')"
)


# 'only' said of two values of one dimension: read as "only the first, and bought the second",
# people who cannot exist (0 answered) — refused; both values, or one 'only' value, answered
@pytest.mark.parametrize(
    "question",
    ["只在天猫和京东买过的客户有几个", "customers who only bought on tmall and jd"],
)
def test_only_over_two_values_is_refused(demo: Workspace, question: str) -> None:
    e = refused(demo, question)
    assert "'only' said of two values of one dimension (tmall/jd)" in e.message


def test_only_over_one_value_and_both_keep_their_answers(demo: Workspace) -> None:
    both = sql_number(demo, BOTH.format(dim="platform", a="tmall", b="jd"))
    only = sql_number(demo, ONLY.format(dim="platform", a="tmall"))
    assert both > 10 and only > 100
    assert number(demo, "在天猫和京东都买过的客户有几个") == both
    assert number(demo, "只在天猫买过的客户有几个") == only


# an only-word no set cue reads ("只付过款": 只 is a stop word for the linker): dropped, the
# question was answered as the people who paid with both — refused, 只 named
def test_only_word_no_cue_reads_is_refused(demo: Workspace) -> None:
    e = refused(demo, "用支付宝和银联只付过款的客户有几个")
    assert list(e.unknown) == ["只"]
    both = sql_number(demo, BOTH.format(dim="payment_channel", a="alipay", b="unionpay"))
    assert both > 0
    assert number(demo, "用支付宝和银联都付过款的客户有几个") == both


# "fell fastest" / "下滑最快": 最快 / fastest is the least of a duration; beside a word of change
# it was read so, and the fall's direction dropped — the fastest grower was named. Now the
# fastest fall (the lowest % change); "grew fastest" keeps the highest.
CHANGE = (
    "SELECT platform, (sum(paid_amount) FILTER (WHERE paid_at >= '2025-04-01') - sum(paid_amount) "
    "FILTER (WHERE paid_at < '2025-04-01')) / sum(paid_amount) FILTER (WHERE paid_at < '2025-04-01') "
    "AS change FROM orders WHERE paid_at >= '2025-03-01' AND paid_at < '2025-05-01' "
    "AND platform IS NOT NULL GROUP BY 1 ORDER BY change {order}, platform"
)


@pytest.mark.parametrize(
    ("question", "order"),
    [
        ("which platform fell fastest in April vs March", "ASC"),
        ("4月比3月 哪个平台下滑最快", "ASC"),
        ("which platform grew fastest in April vs March", "DESC"),
        ("4月比3月 哪个平台增长最快", "DESC"),
    ],
)
def test_fastest_beside_a_fall_ranks_the_fall(demo: Workspace, question: str, order: str) -> None:
    from shopql.nlq.answer import answer

    ranked = sql(demo, CHANGE.format(order=order))
    a = answer(demo, question, "offline")
    assert [r[0] for r in a.results[1].rows] == [r[0] for r in ranked]
    assert a.main.rows[0][0] == ranked[0][0]
