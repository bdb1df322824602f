"""Set logic over people, session 7 (issue 11 §2): a condition per period, 'only on X', two or
more sellers, the second order within N days, first orders (第一次买), lapsed (超过N天没回来),
returning people's share of a metric, and a bare "customers who …" answered as a count with the
list beside it — each through a PeopleSet on the semantic query, compared with hand-written SQL
on Olist, Online Retail and the demo. More phrasings: tests/nlq/dev_h.yaml (test_dev_sets.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shopql.catalog.semantic import PeopleCondition, PeopleSet
from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from shopql.nlq.shared import NotUnderstood
from tests.nlq.conftest import DEMO_TODAY


def scalar(ws: Workspace, sql: str) -> Any:
    return ws.run(sql, "test", source="test").rows[0][0]


def asked(ws: Workspace, question: str) -> Any:
    return answer(ws, question, "offline")


def conditions(a: Any) -> list[tuple[str, str | None]]:
    """(kind, the period's start day) of each condition of an answer's people set."""
    assert a.query is not None and a.query.population is not None
    return [
        (
            c.kind,
            c.time_range.start.date().isoformat() if c.time_range and c.time_range.start else None,
        )
        for c in a.query.population.conditions
    ]


@pytest.fixture(scope="module")
def demo(nlq_demo_workspace: Path) -> Iterator[Workspace]:
    with Workspace(load_settings(nlq_demo_workspace), today=DEMO_TODAY) as ws:
        yield ws


def test_a_condition_per_period_on_olist(olist: Workspace) -> None:
    """Bought in one period and not since / not in another / in both (today 2018-09-01)."""
    not_since = scalar(
        olist,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at >= '2018-01-01' "
        "AND paid_at < '2018-07-01' AND one_id IS NOT NULL EXCEPT SELECT one_id FROM orders "
        "WHERE paid_at >= '2018-07-01' AND paid_at < '2018-09-01')",
    )
    a = asked(olist, "18年上半年买过 之后再没买过的人数")
    assert a.main.rows == [(not_since,)] and not_since > 10_000
    assert conditions(a) == [("bought", "2018-01-01"), ("not_bought", "2018-07-01")]
    both = scalar(
        olist,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at >= '2017-01-01' "
        "AND paid_at < '2018-01-01' AND one_id IS NOT NULL INTERSECT SELECT one_id FROM orders "
        "WHERE paid_at >= '2018-01-01' AND paid_at < '2019-01-01')",
    )
    assert 0 < both < 2_000  # Olist's people rarely come back
    for question in (
        "2017年和2018年都买过的客户有多少",
        "customers who bought in 2017 and again in 2018",
    ):
        assert asked(olist, question).main.rows == [(both,)], question
    lost = scalar(
        olist,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at >= '2017-01-01' "
        "AND paid_at < '2018-01-01' AND one_id IS NOT NULL EXCEPT SELECT one_id FROM orders "
        "WHERE paid_at >= '2018-01-01' AND paid_at < '2019-01-01')",
    )
    assert asked(olist, "17年买过、18年一次都没买的客户多少个").main.rows == [(lost,)]


def test_two_periods_side_by_side_or_either_are_not_a_set(olist: Workspace) -> None:
    """No negation and no 'both / again' word: two figures, not the people of both; 'A or B' of
    periods is refused, not answered as A and B."""
    a = asked(olist, "2017和2018年的客户数")
    assert a.query is not None and a.query.population is None
    with pytest.raises(NotUnderstood):
        asked(olist, "2017年或2018年买过的客户有多少")


def test_not_in_one_month_or_another_and_cohort_retention_on_retail(retail: Workspace) -> None:
    sept_only = scalar(
        retail,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at >= '2011-09-01' "
        "AND paid_at < '2011-10-01' AND one_id IS NOT NULL EXCEPT SELECT one_id FROM orders "
        "WHERE paid_at >= '2011-10-01' AND paid_at < '2011-12-01')",
    )
    a = asked(retail, "customers who bought in sept but not in oct or nov")
    assert a.main.rows == [(sept_only,)] and sept_only > 50
    # not in October or November: in neither (two conditions)
    assert conditions(a) == [
        ("bought", "2011-09-01"),
        ("not_bought", "2011-10-01"),
        ("not_bought", "2011-11-01"),
    ]
    again = scalar(
        retail,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at >= '2010-12-01' "
        "AND paid_at < '2011-01-01' AND one_id IS NOT NULL INTERSECT SELECT one_id FROM orders "
        "WHERE paid_at >= '2011-01-01' AND paid_at < '2012-01-01')",
    )
    for question in (
        "2010年12月的客户有多少在2011年又买了",
        "how many of the dec 2010 customers came back in 2011",
    ):
        assert asked(retail, question).main.rows == [(again,)], question


def test_second_order_within_days_of_the_first(retail: Workspace) -> None:
    """Counted to the second: 7 days and a few minutes is not within a week (the metric shown
    rounds to 2 decimals; the condition does not)."""
    hand = (
        "WITH p AS (SELECT one_id, paid_at, row_number() OVER (PARTITION BY one_id "
        "ORDER BY paid_at, order_id) AS n FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL) "
        "SELECT count(*) FROM p a JOIN p b ON a.one_id = b.one_id AND a.n = 1 AND b.n = 2 "
        "WHERE date_diff('second', a.paid_at, b.paid_at) <= {days} * 86400"
    )
    week = scalar(retail, hand.format(days=7))
    assert week > 20
    for question in (
        "customers whose 2nd order came within a week of the first",
        "第二单在首单后7天内的客户有多少",
    ):
        assert asked(retail, question).main.rows == [(week,)], question
    month = asked(
        retail, "how many customers placed their second order within 30 days of the first one"
    )
    assert month.main.rows == [(scalar(retail, hand.format(days=30)),)]


def test_first_order_said_as_first_time(olist: Workspace, retail: Workspace) -> None:
    hand = (
        "SELECT count(*) FROM (SELECT one_id, min(paid_at) AS f FROM orders WHERE paid_at IS NOT NULL "
        "AND one_id IS NOT NULL GROUP BY 1) WHERE f >= '{0}' AND f < '{1}'"
    )
    july = scalar(olist, hand.format("2018-07-01", "2018-08-01"))
    for question in (
        "7月份的新客户 (第一次买)",
        "how many people bought from us for the first time in july 2018",
    ):
        assert asked(olist, question).main.rows == [(july,)], question
    q3 = scalar(retail, hand.format("2011-07-01", "2011-10-01"))
    assert asked(retail, "第三季度第一次下单的新客").main.rows == [(q3,)]


def test_two_or_more_sellers_counts_the_lines_sellers(olist: Workspace) -> None:
    hand = (
        "SELECT count(*) FROM (SELECT o.one_id FROM orders o JOIN order_items i USING (order_id) "
        "WHERE o.paid_at IS NOT NULL AND o.one_id IS NOT NULL GROUP BY 1 "
        "HAVING count(DISTINCT i.shop_id) >= {n})"
    )
    two = scalar(olist, hand.format(n=2))
    assert two > 1_000
    assert asked(olist, "customers who've bought from two or more different sellers").main.rows == [
        (two,)
    ]
    assert asked(olist, "在至少3个不同卖家买过的客户有几个").main.rows == [
        (scalar(olist, hand.format(n=3)),)
    ]


def test_only_on_one_platform_and_a_bare_question_is_a_count_with_the_list(demo: Workspace) -> None:
    only = (
        "SELECT one_id FROM orders WHERE paid_at >= '2025-01-01' AND paid_at < '2026-01-01' "
        "AND one_id IS NOT NULL GROUP BY 1 HAVING count(DISTINCT platform) = 1 AND min(platform) = '{0}'"
    )
    tmall = scalar(demo, f"SELECT count(*) FROM ({only.format('tmall')})")
    assert tmall > 100
    a = asked(demo, "今年只在天猫买过的人数")
    assert a.main.rows == [(tmall,)] and conditions(a) == [("only", "2025-01-01")]
    assert asked(demo, "how many ppl only shopped on tmall this year").main.rows == [(tmall,)]
    who = asked(demo, "哪些客户今年只在京东买过")
    jd = {r[0] for r in demo.run(only.format("jd"), "test", source="test").rows}
    assert {r[0] for r in who.main.rows} == jd and len(jd) > 50
    # neither "how many" nor "which": the count, and who they are beside it
    rug = scalar(
        demo,
        "SELECT count(*) FROM (SELECT o.one_id FROM orders o JOIN order_items i USING (order_id) "
        "WHERE o.paid_at IS NOT NULL AND o.one_id IS NOT NULL AND coalesce(i.clean_title, i.title) "
        "LIKE '%沙发%' EXCEPT SELECT o.one_id FROM orders o JOIN order_items i USING (order_id) "
        "WHERE o.paid_at IS NOT NULL AND coalesce(i.clean_title, i.title) LIKE '%地毯%')",
    )
    a = asked(demo, "people who bought a sofa but never a rug")
    assert a.main.columns == ["people"] and a.main.rows == [(rug,)] and rug > 10
    assert len(a.results[1].rows) == rug and a.results[1].columns[0] == "buyer"


def test_lapsed_said_as_not_come_back(demo: Workspace) -> None:
    lapsed = scalar(
        demo,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL "
        "GROUP BY 1 HAVING max(paid_at) < DATE '2025-06-01' - INTERVAL 90 DAY)",
    )
    for question in ("买过但超过90天没回来的客户有多少", "已经90天没来买的老客户有几个"):
        assert asked(demo, question).main.rows == [(lapsed,)], question


def test_returning_peoples_share_of_sales(demo: Workspace) -> None:
    """Their sales ÷ everyone's (guests included) in the period, each compiled by the catalog."""
    theirs, everyone = demo.run(
        "WITH f AS (SELECT one_id, min(paid_at) AS first_paid FROM orders WHERE paid_at IS NOT NULL "
        "AND one_id IS NOT NULL GROUP BY 1) SELECT sum(o.paid_amount) FILTER (WHERE f.first_paid < "
        "'2025-01-01'), sum(o.paid_amount) FROM orders o LEFT JOIN f USING (one_id) "
        "WHERE o.paid_at >= '2025-01-01' AND o.paid_at < '2026-01-01'",
        "test",
        source="test",
    ).rows[0]
    a = asked(demo, "老客贡献的销售额占比 今年")
    assert a.path == "semantic"  # the shared path: compiled, guarded, run like any query
    assert a.main.columns == ["paid_gmv", "paid_gmv__all", "paid_gmv__share"]
    (row,) = a.main.rows
    assert (row[0], row[1]) == (theirs, everyone)
    assert row[2] == round(float(theirs) / float(everyone), 4) and 0 < row[2] < 1


def test_values_with_two_periods_are_refused(demo: Workspace) -> None:
    """'去年在天猫买过今年没买': does 'on Tmall' belong to this year too? Refused, not guessed."""
    with pytest.raises(NotUnderstood, match="several periods"):
        asked(demo, "去年在天猫买过今年没买的客户")


def test_new_kinds_round_trip_and_check_their_fields() -> None:
    from shopql.catalog.semantic import Filter

    original = PeopleSet(
        (
            PeopleCondition("only", (Filter("platform", "in", ("tmall",)),)),
            PeopleCondition("sellers", n=2),
            PeopleCondition("repeat_within", n=7, time_range=None),
        )
    )
    assert PeopleSet.from_dict(original.to_dict()) == original
    with pytest.raises(ValueError, match=r"conditions\[0\].filters: only takes exactly one"):
        PeopleSet.from_dict({"conditions": [{"kind": "only"}]})
    with pytest.raises(ValueError, match=r"conditions\[0\].n"):
        PeopleSet.from_dict({"conditions": [{"kind": "repeat_within"}]})


def test_only_there_counts_an_order_of_unknown_place_as_elsewhere(shop: Path) -> None:
    """'只在广东买过': a person with a paid order whose province is unknown (NULL on the order
    and the customer) is not known to have bought only there — NOT IN alone would keep them."""
    import datetime as dt

    from shopql.catalog.compiler import compile_query
    from shopql.catalog.semantic import Filter, SemanticQuery
    from shopql.warehouse.connection import open_writer

    def only(province: str) -> list[Any]:
        people = PeopleSet((PeopleCondition("only", (Filter("province", "in", (province,)),)),))
        with Workspace(load_settings(shop), today=dt.date(2025, 7, 1)) as ws:
            query = SemanticQuery(metrics=(), population=people)
            compiled = compile_query(ws.catalog, query, today=ws.today)
            return ws.run(compiled.sql, "test", source="test").rows[0][0]

    assert (only("广东省"), only("浙江省")) == (1, 1)  # tmall:1 and jd:2
    con = open_writer(shop / "warehouse.duckdb")
    con.execute("UPDATE orders SET province = NULL WHERE order_id = 'tmall:o2'")
    con.execute("UPDATE customers SET province = NULL WHERE customer_id = 'tmall:1'")
    con.close()
    assert (only("广东省"), only("浙江省")) == (0, 1)  # tmall:o1's 广东 is no longer all
