"""Helper R's Online Retail questions (session 15), checked on the slice of the real file against
SQL written by hand, in phrasings written here (both languages): the median of a per-person
measure, the gap between the second and third order and between any two purchases, customers who
started in a place, 下了单 beside a people count, the return amount (退货金额: no bad-debt
write-offs) and the products returned."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.pipeline import arguments_json
from shopql.nlq.session import Workspace
from tests.nlq.conftest import FakeLLM
from tests.nlq.helpers import number, refused, rows, sql_number

TODAY = dt.date(2011, 12, 1)
# each person's paid orders in order, numbered, with the one before and the first one's country
_RANKED = (
    "WITH r AS (SELECT one_id, paid_at, row_number() OVER w AS n, lag(paid_at) OVER w AS prev, "
    "first_value(country) OVER w AS first_country FROM orders "
    "WHERE paid_at IS NOT NULL AND one_id IS NOT NULL "
    "WINDOW w AS (PARTITION BY one_id ORDER BY paid_at, order_id)) "
    "SELECT {} FROM r WHERE {}"
)
_GAP = "date_diff('second', prev, paid_at) / 86400.0"


def test_median_of_a_per_person_measure(retail_workspace: Path) -> None:
    """ "客户消费的中位数": each person's sales in the period, then the middle one (was: refused),
    not the median order value nor sales per buyer; orders per customer the same way."""
    per_person = (
        "SELECT median(v) FROM (SELECT one_id, {} AS v FROM orders WHERE paid_at >= '{}' "
        "AND paid_at < '{}' AND one_id IS NOT NULL GROUP BY 1)"
    )
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        spend = sql_number(ws, per_person.format("sum(paid_amount)", "2011-01-01", "2011-07-01"))
        for q in (
            "2011上半年 客户消费的中位数",
            "median spend per customer in the first half of 2011",
        ):
            assert number(ws, q) == pytest.approx(spend, abs=0.01), q
        orders = sql_number(ws, per_person.format("count(*)", "2011-01-01", "2012-01-01"))
        assert number(ws, "median orders per customer 2011") == pytest.approx(orders)
        people = sql_number(
            ws,
            "SELECT count(DISTINCT one_id) FROM orders WHERE paid_at >= '2011-01-01' "
            "AND paid_at < '2011-07-01'",
        )
        assert rows(ws, "2011上半年 客户消费的中位数")[0][1] == people  # over how many people
        # the median of one order's value stays that measurable's own metric
        one = answer(ws, "median order value 2011", "offline")
        assert one.query is not None and one.query.metrics == ("median_order_value",)


def test_second_to_third_order_and_every_gap(retail_workspace: Path) -> None:
    """ "第二单到第三单 平均隔几天": the third orders' gaps (was: refused); "days between
    purchases": every gap from one paid order to the next."""
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        third = sql_number(ws, _RANKED.format(f"avg({_GAP})", "n = 3"))
        assert number(ws, "第二单到第三单 平均隔几天") == pytest.approx(third, abs=0.01)
        median = sql_number(ws, _RANKED.format(f"median({_GAP})", "n = 3"))
        assert number(ws, "median days between 2nd and 3rd order") == pytest.approx(
            median, abs=0.01
        )
        every = sql_number(ws, _RANKED.format(f"avg({_GAP})", "n >= 2"))
        assert number(ws, "average days between purchases") == pytest.approx(every, abs=0.01)


def test_customers_who_started_in_a_place(retail_workspace: Path) -> None:
    """ "customers who started in the UK", "首单在英国的客户": the first order's country, with
    no period (was: refused, or the new-customers set question asking for a period)."""
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        where = "n = 2 AND first_country = 'United Kingdom'"
        median = sql_number(ws, _RANKED.format(f"median({_GAP})", where))
        q = "median repurchase gap, customers who started in the UK"
        assert number(ws, q) == pytest.approx(median, abs=0.01)
        avg = sql_number(ws, _RANKED.format(f"avg({_GAP})", where))
        assert number(ws, "首单在英国的客户 平均多久买第二次") == pytest.approx(avg, abs=0.01)
        # the words name the first order's place only where the rows are the first order's
        refused(ws, "customers who started in the UK: total sales")


def test_people_who_placed_an_order(retail_workspace: Path) -> None:
    """ "上周几个客户下了单", "11月下过单的客户有几个": the buyers (was: '下', '单' unplaced)."""
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        people = (
            "SELECT count(DISTINCT one_id) FROM orders WHERE paid_at >= '{}' AND paid_at < '{}'"
        )
        last_week = sql_number(ws, people.format("2011-11-21", "2011-11-28"))
        assert number(ws, "上周几个客户下了单") == last_week
        assert number(ws, "11月下过单的客户有几个") == sql_number(
            ws, people.format("2011-11-01", "2011-12-01")
        )


def test_return_amount_and_products_returned(retail_workspace: Path) -> None:
    """ "上季度 退货金额一共多少": the credit notes' refunds, not a bad-debt write-off recorded as
    a refund of a cancelled invoice (was: every refund record); "how many different products got
    returned in nov": the products on credit-note lines (was: refused)."""
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        returns = (
            "SELECT sum(refund_amount) FROM orders WHERE raw_status = 'cancellation invoice' "
            "AND created_at >= '{}' AND created_at < '{}'"
        )
        assert number(ws, "上季度 退货金额一共多少") == pytest.approx(
            sql_number(ws, returns.format("2011-07-01", "2011-10-01"))
        )
        assert number(ws, "return amount in november") == pytest.approx(
            sql_number(ws, returns.format("2011-11-01", "2011-12-01"))
        )
        refunds = (
            "SELECT sum(amount) FROM refunds WHERE requested_at >= '2011-01-01' "
            "AND requested_at < '2012-01-01'"
        )
        assert number(ws, "2011年退款金额") == pytest.approx(
            sql_number(ws, refunds)
        )  # every refund
        products = sql_number(
            ws,
            "SELECT count(DISTINCT coalesce(i.spu_id, i.product_id)) FROM order_items i "
            "JOIN orders o ON o.order_id = i.order_id WHERE o.raw_status = 'cancellation invoice' "
            "AND i.product_id IS NOT NULL AND o.created_at >= '2011-11-01' "
            "AND o.created_at < '2011-12-01'",
        )
        assert products > 0
        assert number(ws, "how many different products got returned in nov") == products
        assert number(ws, "上个月有多少个退货的商品") == products


def test_change_between_two_months_and_only_customers_of_a_country(retail_workspace: Path) -> None:
    """ "nov sales vs oct, change": the amount of the change beside the rate (was: 'change'
    unplaced); "only customers from Spain": the Spanish customers (a filter), while "customers
    who only bought in Spain" stays the set of people who bought there and nowhere else."""
    paid = "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '{}' AND paid_at < '{}'"
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        a = answer(ws, "nov sales vs oct, change", "offline").main
        got = dict(zip(a.columns, a.rows[0], strict=True))
        nov = sql_number(ws, paid.format("2011-11-01", "2011-12-01"))
        oct_ = sql_number(ws, paid.format("2011-10-01", "2011-11-01"))
        assert float(got["paid_gmv__delta"]) == pytest.approx(nov - oct_, abs=0.01)
        spain = (
            "SELECT count(DISTINCT one_id) FROM orders WHERE paid_at >= '2011-01-01' "
            "AND paid_at < '2012-01-01' AND country = 'Spain'"
        )
        assert number(ws, "only customers from Spain: how many in 2011") == sql_number(ws, spain)
        alone = sql_number(
            ws,
            "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at IS NOT NULL "
            "AND one_id IS NOT NULL GROUP BY 1 HAVING bool_and(country = 'Spain'))",
        )
        assert number(ws, "customers who only bought in Spain") == alone


def test_llm_median_per_person_is_the_offline_engines_query(
    retail_workspace: Path, fake_llm: FakeLLM
) -> None:
    """The median over people through the semantic tool (of_groups "median"): the same SQL and
    rows as the offline engine's."""
    settings = load_settings(
        retail_workspace,
        {"base_url": fake_llm.url, "api_key": "test-key", "model": "fake-model"},
    )
    with Workspace(settings, today=TODAY) as ws:
        q = "2011上半年 客户消费的中位数"
        offline = answer(ws, q, engine="offline")
        assert offline.query is not None and offline.query.of_groups == "median"
        fake_llm.enqueue_call("semantic_query", arguments_json(offline.query))
        llm = answer(ws, q, engine="llm")
        assert llm.path == "semantic" and llm.sql == offline.sql
        assert llm.main.rows == offline.main.rows
