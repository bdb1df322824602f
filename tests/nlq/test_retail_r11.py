"""Helper R's Online Retail questions (session 11), checked on the slice of the real file against
SQL written by hand: a year said before a month in Chinese numerals or apart from it ("2010年十一
月份一个月卖了多少", "sales in 2011, in march") is that year's month — one period, never two."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.nlq.periods import NoDataInPeriod
from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql

TODAY = dt.date(2011, 12, 1)


def _sales(ws: Workspace, start: str, end: str) -> float:
    return float(
        sql(
            ws,
            f"SELECT sum(paid_amount) FROM orders WHERE paid_at >= '{start}' AND paid_at < '{end}'",
        )[0][0]
    )


def test_a_year_then_a_month_in_chinese_numerals_is_that_month(retail_workspace: Path) -> None:
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        nov = _sales(ws, "2011-11-01", "2011-12-01")
        mar = _sales(ws, "2011-03-01", "2011-04-01")
        dec10 = sql(
            ws,
            "SELECT count(*) FROM orders WHERE created_at >= '2010-12-01' "
            "AND created_at < '2011-01-01'",
        )[0][0]
        for q in (
            "2011年十一月份一个月卖了多少",
            "2011年的十一月份卖了多少钱",
            "11年十一月销售额",
        ):
            assert float(rows(ws, q)[0][0]) == pytest.approx(nov), q
        assert rows(ws, "10年十二月的订单数") == [(dec10,)]
        for q in ("sales in 2011, in march", "2011年 三月份的销售额"):
            assert float(rows(ws, q)[0][0]) == pytest.approx(mar), q


def test_a_month_before_the_data_is_said_empty_not_compared(retail_workspace: Path) -> None:
    """The data starts 2010-12-01: 2010年十一月份 is empty — said so, not "two periods that cannot
    be compared" (the year and the most recent November) nor a 0."""
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        for q in (
            "2010年十一月份一个月卖了多少",
            "2010年十一月份卖了多少",
            "sales in november of 2010",
        ):
            with pytest.raises(NoDataInPeriod) as e:
                rows(ws, q)
            assert "2010-11-01" in str(e.value), q


def test_a_year_compared_with_a_month_is_not_merged(retail_workspace: Path) -> None:
    """Only 的 / in / of may join the year and the month: "2010 vs november" stays refused."""
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        refused(ws, "2010年和十一月的销售额对比")
        refused(ws, "sales 2010 vs november")


def test_a_condition_on_the_orders_own_number_counts_those_orders(retail_workspace: Path) -> None:
    """ "今年单张发票金额>500的有多少": nothing else counted, a condition on an invoice's own value
    counts the invoices it keeps (by invoice time, as the order count)."""
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        want = sql(
            ws,
            "SELECT count(*) FROM orders WHERE paid_amount > 500 AND created_at >= '2011-01-01' "
            "AND created_at < '2011-12-01'",
        )
        for q in ("今年单张发票金额>500的有多少", "今年发票金额超过500镑的有几张"):
            assert rows(ws, q) == want, q
        over = sql(ws, "SELECT count(*) FROM orders WHERE paid_amount > 1000")
        assert rows(ws, "how many had an invoice value over 1000") == over


def test_a_condition_that_may_be_about_people_is_not_counted_as_orders(
    retail_workspace: Path,
) -> None:
    """ "买了100件以上的有多少": the people who bought so, or their invoices? Not guessed."""
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        refused(ws, "买了100件以上的有多少")


C_2011 = (
    "raw_status = 'cancellation invoice' AND created_at >= '2011-01-01' "
    "AND created_at < '2012-01-01'"
)


def test_the_money_of_c_invoices_is_what_they_gave_back(retail_workspace: Path) -> None:
    """A C invoice (a credit note) is never paid: its value, amount or 金额 is its refund."""
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        want = float(sql(ws, f"SELECT sum(refund_amount) FROM orders WHERE {C_2011}")[0][0])
        assert want > 0
        for q in (
            "2011年被取消的发票总金额",
            "2011年C单的金额",
            "total value of C invoices in 2011",
            "cancellations total value 2011",
            "2011年取消发票的金额合计",
        ):
            got = rows(ws, q)
            assert len(got) == 1 and float(got[0][-1]) == pytest.approx(want), q
        monthly = sql(
            ws,
            f"""SELECT date_trunc('month', created_at), count(*), sum(refund_amount) FROM orders
            WHERE {C_2011} GROUP BY 1 ORDER BY 1""",
        )
        for q in ("monthly cancellations 2011, count and value", "2011年每月C单的张数和金额"):
            got = rows(ws, q)
            assert [(r[1], float(r[2])) for r in got] == [
                (c, pytest.approx(float(v))) for _, c, v in monthly
            ], q


def test_the_money_of_paid_then_refunded_orders_stays_unread(demo: Workspace) -> None:
    """The demo's refunded orders were paid first: "their amount" could be either, not guessed."""
    refused(demo, "已退款订单的总金额")
    refused(demo, "value of refunded orders")


def test_a_return_said_as_its_document(retail_workspace: Path) -> None:
    """退货单 / returned invoices: the refunded orders (on Online Retail, its C invoices)."""
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        want = sql(
            ws,
            "SELECT count(*) FROM orders WHERE raw_status = 'cancellation invoice' "
            "AND created_at >= '2011-09-01' AND created_at < '2011-10-01'",
        )
        for q in (
            "11年9月的退货单(C开头的)有几张",
            "11年9月的退货单有几张",
            "how many returned invoices in sept 2011",
        ):
            assert rows(ws, q) == want, q


def test_people_who_ordered_from_several_countries(retail_workspace: Path) -> None:
    """ "customers who ordered from 2+ countries": people over distinct countries of their paid
    orders, as over platforms, sellers and categories."""
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        two = sql(
            ws,
            """SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at IS NOT NULL
            AND one_id IS NOT NULL GROUP BY 1 HAVING count(DISTINCT country) >= 2)""",
        )
        assert two[0][0] > 0
        for q in (
            "customers who ordered from 2+ countries",
            "在不止一个国家下过单的客户有多少",
            "how many customers bought from more than one country",
            "在两个以上国家买过的客户有多少",
        ):
            assert rows(ws, q) == two, q
        in_2011 = sql(
            ws,
            """SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at >= '2011-01-01'
            AND paid_at < '2012-01-01' AND one_id IS NOT NULL GROUP BY 1
            HAVING count(DISTINCT country) >= 2)""",
        )
        assert rows(ws, "customers in more than one country in 2011") == in_2011
        # how many countries is still the countries counted, not people
        countries = sql(ws, "SELECT count(DISTINCT country) FROM orders")
        assert rows(ws, "how many different countries did we sell to") == countries


def test_an_exclusion_said_around_its_value_is_one_exclusion(retail_workspace: Path) -> None:
    """ "除了英国以外各国的销售额": 除了 … 以外 is one exclusion of the UK (not the UK kept by
    excluding "outside the UK"), and 各国 after it is still the breakdown asked."""
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        want = sql(
            ws,
            """SELECT country, sum(paid_amount) FROM orders WHERE paid_at IS NOT NULL
            AND country <> 'United Kingdom' GROUP BY 1 ORDER BY 2 DESC""",
        )
        for q in (
            "除了英国以外各国的销售额",
            "除英国以外 各国销售额",
            "除了英国之外各国的销售额",
            "除了英国 各国销售额",
            "除英国外 各国销售额排名",
        ):
            # (a country with C invoices only shows 0: no paid order, as any breakdown shows it)
            got = {r[0]: float(r[-1]) for r in rows(ws, q) if float(r[-1])}
            assert got == {c: pytest.approx(float(v)) for c, v in want}, q
        total = sum(float(v) for _, v in want)
        assert float(rows(ws, "除了英国以外的销售额")[0][0]) == pytest.approx(total)
        assert float(rows(ws, "英国以外的销售额")[0][0]) == pytest.approx(total)


def test_the_number_of_c_invoices_is_not_their_pieces(retail_workspace: Path) -> None:
    """ "每个月的C单数量": how many C invoices (数量 of a status), not units (they sell none)."""
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        monthly = sql(
            ws,
            f"""SELECT date_trunc('month', created_at), count(*) FROM orders WHERE {C_2011}
            GROUP BY 1 ORDER BY 1""",
        )
        got = rows(ws, "2011年每个月的C单数量")
        assert [r[1] for r in got] == [c for _, c in monthly]
        total = sql(ws, f"SELECT count(*) FROM orders WHERE {C_2011}")
        assert rows(ws, "2011年C单的数量有多少") == total


def test_orders_that_had_some_of_their_own_money(retail_workspace: Path) -> None:
    """ "how many invoices had postage", "带邮费的发票有几张": the invoices whose own postage is
    above 0, not every invoice beside the total postage."""
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        want = sql(ws, "SELECT count(*) FROM orders WHERE shipping_fee > 0")
        for q in ("how many invoices had postage", "带邮费的发票有几张"):
            assert rows(ws, q) == want, q
        in_2011 = sql(
            ws,
            """SELECT count(*) FROM orders WHERE shipping_fee > 0
            AND created_at >= '2011-01-01' AND created_at < '2012-01-01'""",
        )
        assert rows(ws, "invoices with postage in 2011") == in_2011


def test_orders_that_had_a_discount(demo: Workspace) -> None:
    want = sql(demo, "SELECT count(*) FROM orders WHERE discount_amount > 0")
    for q in ("how many orders had a discount", "有优惠的订单有多少"):
        assert rows(demo, q) == want, q
    both = sql(demo, "SELECT count(*), sum(discount_amount) FROM orders")
    assert rows(demo, "订单数和优惠金额") == both  # two figures asked: both, no condition


def test_which_side_of_two_named_values(retail_workspace: Path) -> None:
    """ "荷兰跟瑞士哪边客户多": 哪边 asks which of the two named, one row each."""
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        want = sql(
            ws,
            """SELECT country, count(DISTINCT one_id) FROM orders WHERE paid_at IS NOT NULL
            AND country IN ('Netherlands', 'Switzerland') GROUP BY 1 ORDER BY 2 DESC""",
        )
        got = rows(ws, "荷兰跟瑞士哪边客户多")
        assert sorted(got) == sorted(want)


def test_the_word_before_a_title_word_is_no_title_word(retail_workspace: Path) -> None:
    """ "products that contain the word heart": HEART titles (WORD is a Retail title word too,
    but "the word" only introduces the one asked)."""
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        want = sql(
            ws,
            """SELECT count(DISTINCT coalesce(i.spu_id, i.product_id)) FROM order_items i
            JOIN orders o USING (order_id) WHERE i.clean_title LIKE '%HEART%'
            AND o.paid_at IS NOT NULL AND i.product_id IS NOT NULL""",
        )
        assert want[0][0] > 0
        assert rows(ws, "how many products contain the word heart") == want


def test_issuing_invoices_said_with_piao(retail_workspace: Path) -> None:
    """ "周几开票最多": invoices issued (the order count) per weekday, the top one."""
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        want = sql(
            ws,
            "SELECT isodow(created_at), count(*) FROM orders GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
        )
        got = rows(ws, "周几开票最多")
        assert (got[0][0], got[0][-1]) == want[0]


def test_sales_per_invoice_is_the_average_invoice(retail_workspace: Path) -> None:
    """ "sales per invoice": an invoice is no breakdown — the paid sales over paid invoices
    (客单价), not the two figures side by side."""
    with Workspace(load_settings(retail_workspace), today=TODAY) as ws:
        want = sql(
            ws,
            """SELECT sum(paid_amount) / count(*) FROM orders WHERE paid_at >= '2011-01-01'
            AND paid_at < '2012-01-01'""",
        )[0][0]
        got = rows(ws, "sales per invoice 2011")
        assert len(got[0]) == 1 and float(got[0][0]) == pytest.approx(float(want), abs=0.01)
