"""Never answer a different question (issue 11, session 7): mechanisms that printed a confident
answer to a different question, each read right now or refused. Values against SQL on the session
workspaces (Olist today 2018-09-01, its data running to 2018-10-17; Online Retail today
2011-12-01, its data running to 2011-12-09)."""

from __future__ import annotations

from typing import Any

import pytest

from shopql.errors import ExitCode, ShopqlError
from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace


def sql(ws: Workspace, text: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in ws.run(text, None, source="test").rows]


def one(ws: Workspace, question: str) -> Any:
    got = answer(ws, question, "offline")
    (row,) = got.results[0].rows
    (value,) = row
    return value


def refused(ws: Workspace, question: str) -> str:
    with pytest.raises(ShopqlError) as e:
        answer(ws, question, "offline")
    assert e.value.exit_code == ExitCode.NOT_UNDERSTOOD
    return e.value.message


@pytest.mark.parametrize(
    ("question", "start"),
    [
        ("本季度到现在的订单数", "2018-07-01"),
        ("orders this quarter so far", "2018-07-01"),
        ("今年的订单数", "2018-01-01"),
        ("orders this year", "2018-01-01"),
    ],
)
def test_a_running_period_said_alone_ends_at_today(
    olist: Workspace, question: str, start: str
) -> None:
    """本季度到现在 / 今年 never count orders dated after today (Olist has 4,000+ after it)."""
    (after,) = sql(olist, "SELECT count(*) FROM orders WHERE created_at >= '2018-09-01'")[0]
    assert after > 0
    (expected,) = sql(
        olist,
        f"SELECT count(*) FROM orders WHERE created_at >= '{start}' AND created_at < '2018-09-01'",
    )[0]
    try:
        assert one(olist, question) == expected
    except ShopqlError as e:  # a phrasing the engine does not read yet: refused, never wrong
        assert e.exit_code == ExitCode.NOT_UNDERSTOOD


def test_the_period_said_with_digits_stays_the_calendar_period(olist: Workspace) -> None:
    (expected,) = sql(
        olist,
        "SELECT count(*) FROM orders WHERE created_at >= '2018-01-01' AND created_at < '2019-01-01'",
    )[0]
    assert one(olist, "2018年的订单数") == expected


def test_sellers_counted_from_the_order_lines(olist: Workspace) -> None:
    """An Olist order can have several sellers; orders.shop_id is only the first item's."""
    (lines, first) = sql(
        olist,
        "SELECT count(DISTINCT i.shop_id), count(DISTINCT o.shop_id) FROM order_items i"
        " JOIN orders o USING (order_id)"
        " WHERE o.created_at >= '2017-01-01' AND o.created_at < '2018-01-01'",
    )[0]
    assert (lines, first) == (1784, 1783)
    assert one(olist, "17年一共有几个卖家出过单") == lines
    assert one(olist, "how many sellers had orders in 2017") == lines


def test_sales_per_seller_is_what_the_split_by_seller_adds_up(olist: Workspace) -> None:
    """Sales per seller = the line amounts credited to sellers / the sellers (as 'sales by
    seller' splits them), not whole orders' payments (with freight) / sellers."""
    (expected,) = sql(
        olist,
        "SELECT sum(i.paid_amount) / count(DISTINCT i.shop_id) FROM order_items i"
        " JOIN orders o USING (order_id)"
        " WHERE o.paid_at >= '2017-01-01' AND o.paid_at < '2018-01-01'",
    )[0]
    assert float(one(olist, "2017年每个卖家平均卖了多少钱")) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize(
    ("question", "per"),
    [("avg items per order in 2017", "o.order_id"), ("2017年每个买家平均买几件", "o.one_id")],
)
def test_items_per_order_and_per_buyer_count_orders_with_items(
    olist: Workspace, question: str, per: str
) -> None:
    """Olist has paid orders whose export lists no lines: not orders of zero items."""
    (expected, lineless) = sql(
        olist,
        f"SELECT sum(i.quantity) / count(DISTINCT {per}),"
        " (SELECT count(*) FROM orders o2 WHERE o2.paid_at >= '2017-01-01'"
        "  AND o2.paid_at < '2018-01-01' AND NOT EXISTS"
        "  (SELECT 1 FROM order_items x WHERE x.order_id = o2.order_id))"
        " FROM order_items i JOIN orders o USING (order_id)"
        " WHERE o.paid_at >= '2017-01-01' AND o.paid_at < '2018-01-01'",
    )[0]
    assert lineless > 0
    assert float(one(olist, question)) == pytest.approx(expected, rel=1e-9)


def test_two_named_months_which_one_is_a_row_each(retail: Workspace) -> None:
    got = answer(retail, "9月和10月哪个月发票多", "offline")
    rows = [tuple(r) for r in got.results[0].rows]
    expected = sql(
        retail,
        "SELECT date_trunc('month', created_at)::DATE, count(*) FROM orders"
        " WHERE created_at >= '2011-09-01' AND created_at < '2011-11-01' GROUP BY 1 ORDER BY 2 DESC",
    )
    assert [(str(m)[:10], n) for m, n in rows] == [(str(m), n) for m, n in expected]
    assert len(rows) == 2 and rows[0][1] > rows[1][1]


def test_a_narrower_product_word_is_not_widened_to_its_kind(retail: Workspace) -> None:
    """'alarm clock' / 闹钟 count alarm clocks, not every clock."""
    (alarm, clocks) = sql(
        retail,
        "SELECT sum(i.quantity) FILTER (WHERE t LIKE '%ALARM CLOCK%'),"
        " sum(i.quantity) FILTER (WHERE t LIKE '%CLOCK%')"
        " FROM (SELECT *, coalesce(i.clean_title, i.title) AS t FROM order_items i"
        "       LEFT JOIN products p USING (product_id)) AS i JOIN orders o USING (order_id)"
        " WHERE o.paid_at >= '2011-01-01' AND o.paid_at < '2012-01-01'",
    )[0]
    assert alarm < clocks
    assert one(retail, "闹钟 alarm clock 2011年销量") == alarm
    assert one(retail, "alarm clocks units sold in 2011") == alarm


@pytest.mark.parametrize(
    ("question", "window"),
    [
        ("只在英国买过的客户数", "paid_at IS NOT NULL"),
        (
            "how many customers only bought in the UK in 2011",
            "paid_at >= '2011-01-01' AND paid_at < '2012-01-01'",
        ),
    ],
)
def test_only_over_people_counts_there_and_nowhere_else(
    retail: Workspace, question: str, window: str
) -> None:
    """'Only there' is a set condition (there and nowhere else): not the buyers there. A paid
    order whose country is unknown (NULL) is not known to be there: it counts as elsewhere."""
    (expected,) = sql(
        retail,
        "SELECT count(*) FROM (SELECT one_id FROM orders"
        f" WHERE one_id IS NOT NULL AND {window} GROUP BY one_id"
        " HAVING bool_and(coalesce(country = 'United Kingdom', false)))",
    )[0]
    assert expected > 0
    assert one(retail, question) == expected


def test_a_fuzzy_value_is_never_read_across_a_placed_word() -> None:
    """'spend on avg back': 'avg' is placed, so 'on … back' is no phrase ('won back')."""
    from shopql.nlq.linking import Term, Vocabulary, link
    from shopql.nlq.values import fuzzy_matcher

    vocabulary = Vocabulary()
    vocabulary.add("won back", Term("value", "lifecycle", "won_back"))
    vocabulary.add("avg", Term("modifier", "agg", "avg"))
    matcher = fuzzy_matcher(vocabulary)
    found = link("spend on avg back in 2017", vocabulary, fuzzy_values=(matcher,))
    assert [m.term.target for m in found.mentions] == ["agg"]
    typo = link("customers wonn back in 2017", vocabulary, fuzzy_values=(matcher,))
    assert [m.term.value for m in typo.mentions] == ["won_back"]  # a real typo still found


def test_an_adjective_value_needs_its_dimension() -> None:
    """'ranked high to low' names no price band; 'high price band' does."""
    from shopql.nlq.linking import Term, Vocabulary, link

    vocabulary = Vocabulary()
    for v in ("high", "low"):
        vocabulary.add(v, Term("value", "price_band", v))
    vocabulary.add("price band", Term("dimension", "price_band"))
    plain = link("july order count per state, ranked high to low", vocabulary)
    assert [m.phrase for m in plain.mentions] == []
    named = link("buyers in the high price band", vocabulary)
    assert [(m.term.kind, m.term.value) for m in named.mentions] == [
        ("value", "high"),
        ("dimension", None),
    ]


def test_a_change_word_with_a_ranking_ranks_by_the_change(olist: Workspace) -> None:
    """上半年同比哪个州涨的最多 (的 for 得): a growth ranking (the largest increase), not the
    state with the most sales ranked by its sales."""
    rows = sql(
        olist,
        """
        SELECT c.province,
               sum(o.paid_amount) FILTER (WHERE o.paid_at >= '2018-01-01' AND o.paid_at < '2018-07-01')
             - sum(o.paid_amount) FILTER (WHERE o.paid_at >= '2017-01-01' AND o.paid_at < '2017-07-01')
             AS delta
        FROM orders o JOIN customers c USING (customer_id) GROUP BY 1
        HAVING delta IS NOT NULL ORDER BY delta DESC LIMIT 1
        """,
    )
    top = answer(olist, "上半年同比哪个州涨的最多", "offline").results[0]
    assert "paid_gmv__delta" in top.columns  # a growth ranking, not sales ranked
    i = top.columns.index("paid_gmv__delta")
    assert top.rows[0][0] == rows[0][0]
    assert float(top.rows[0][i]) == pytest.approx(float(rows[0][1]), abs=0.01)


def test_a_bare_per_person_word_before_a_count_is_that_count_per_buyer(olist: Workspace) -> None:
    """每个平台人均下几单: orders per buyer by platform, not sales per buyer and orders."""
    got = answer(olist, "每个平台人均下几单", "offline")
    assert got.results[0].columns == ["platform", "orders_per_buyer"]
    (expected,) = sql(
        olist,
        "SELECT count(DISTINCT order_id) / count(DISTINCT one_id) FROM orders"
        " WHERE paid_at IS NOT NULL",
    )[0]
    assert float(got.results[0].rows[0][1]) == pytest.approx(expected, rel=1e-6)


def test_grew_the_most_ranks_by_the_increase_fastest_by_the_rate(retail: Workspace) -> None:
    """涨得最多 is the largest increase (a product going from 1 to 1,738 units is the fastest,
    not the most); 增长最快 stays the rate."""
    changes = sql(
        retail,
        """
        SELECT coalesce(i.spu_id, i.product_id) AS product,
               coalesce(sum(i.quantity) FILTER (WHERE o.paid_at >= '2011-10-01'), 0)
             - coalesce(sum(i.quantity) FILTER (WHERE o.paid_at < '2011-10-01'), 0) AS delta,
               sum(i.quantity) FILTER (WHERE o.paid_at >= '2011-10-01')::DOUBLE
             / sum(i.quantity) FILTER (WHERE o.paid_at < '2011-10-01') - 1 AS rate
        FROM order_items i JOIN orders o USING (order_id)
        WHERE o.paid_at >= '2011-09-01' AND o.paid_at < '2011-11-01'
          AND coalesce(i.spu_id, i.product_id) IS NOT NULL
        GROUP BY 1
        """,
    )
    most = max(changes, key=lambda r: r[1])
    fastest = max((r for r in changes if r[2] is not None), key=lambda r: r[2])
    assert most[0] != fastest[0]
    got = answer(retail, "9月到10月哪个商品销量涨得最多", "offline").results[0]
    assert (got.rows[0][0], got.rows[0][got.columns.index("units__delta")]) == most[:2]
    got = answer(retail, "9月到10月哪个商品销量增长最快", "offline").results[0]
    assert got.rows[0][0] == fastest[0]


def test_a_split_by_week_of_one_day_is_refused(olist: Workspace) -> None:
    """'weekly sales aug 18' read 'aug 18' as one day: one weekly row answers nothing asked."""
    assert "one day" in refused(olist, "weekly sales aug 18")
    got = answer(olist, "weekly sales august 2018", "offline")
    assert len(got.results[0].rows) == 5
