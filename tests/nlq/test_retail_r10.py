"""Helper R's Online Retail questions (session 10): exclusions said before the asked breakdown
("除了英国 哪个国家…", "leave out the UK"), the people and the money of C invoices (never paid,
so not buyers), and verbs that say an invoice was issued or money given back. Checked on the
slice of the real file against SQL written by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from shopql.nlq.shared import NotUnderstood
from tests.nlq.helpers import ask_at, query

TODAY = dt.date(2011, 12, 1)
C_2011 = "raw_status = 'cancellation invoice' AND created_at >= '2011-01-01' AND created_at < '2012-01-01'"


def test_an_exclusion_before_the_asked_breakdown(retail_workspace: Path) -> None:
    """ "除了英国 哪个国家销售额最高": 哪个国家 is the question, not the kind of value 英国 is."""
    ranked = query(
        retail_workspace,
        """SELECT country, sum(paid_amount) FROM orders WHERE paid_at IS NOT NULL
        AND country <> 'United Kingdom' GROUP BY 1 ORDER BY 2 DESC, 1""",
    )
    for q in (
        "除了英国 哪个国家销售额最高",
        "不算英国，哪个国家销售额最高",
        "除了英国 哪个国家买得最多（金额）",
    ):
        rows = ask_at(retail_workspace, q, TODAY)
        assert rows[0][0] == ranked[0][0], q
        assert float(rows[0][1]) == pytest.approx(float(ranked[0][1])), q
    for q in (
        "top 5 countries by sales, leave out the UK",
        "apart from the UK, top 5 countries by sales",
    ):
        rows = ask_at(retail_workspace, q, TODAY)
        assert [r[0] for r in rows] == [r[0] for r in ranked[:5]], q


def test_people_with_c_invoices_are_counted_over_those_invoices(retail_workspace: Path) -> None:
    """A C invoice is never paid: its customers are the people on those invoices, not 0 buyers."""
    want = query(retail_workspace, f"SELECT count(DISTINCT one_id) FROM orders WHERE {C_2011}")[0][
        0
    ]
    assert want > 0
    for q in (
        "how many customers had C invoices in 2011",
        "how many customers sent back something in 2011 (C invoices)",
        "2011年有多少客户开过C单",
    ):
        assert ask_at(retail_workspace, q, TODAY) == [(want,)], q


def test_money_the_c_invoices_took_back(retail_workspace: Path) -> None:
    """ "how much money did the C invoices take back": their refund amount ('money' is no title
    word here), the bad-debt adjustment left out."""
    want = query(retail_workspace, f"SELECT sum(refund_amount) FROM orders WHERE {C_2011}")[0][0]
    for q in (
        "how much money did C invoices take back in 2011",
        "how much did the C invoices take back in 2011",
    ):
        assert float(ask_at(retail_workspace, q, TODAY)[0][0]) == pytest.approx(float(want)), q


def test_issued_invoices_are_orders(retail_workspace: Path) -> None:
    want = query(
        retail_workspace,
        "SELECT count(*) FROM orders WHERE created_at >= '2011-09-01' AND created_at < '2011-10-01'",
    )[0][0]
    assert ask_at(retail_workspace, "how many invoices went out in sept 2011", TODAY) == [(want,)]
    assert ask_at(retail_workspace, "how many invoices were issued in sept 2011", TODAY) == [
        (want,)
    ]


def test_a_giving_back_verb_without_the_status_is_not_buyers_beside_refunds(
    retail_workspace: Path,
) -> None:
    """ "customers who sent back something": the people who returned — not buyers beside the
    refunds: refused, the verb named."""
    with pytest.raises(NotUnderstood) as e:
        ask_at(retail_workspace, "customers who sent back something in 2011", TODAY)
    assert "sent back" in str(e.value)


def test_order_lines_are_counted_and_averaged_per_invoice(retail_workspace: Path) -> None:
    """Order lines (明细行, invoice lines) are an entity to count, filter and average per order."""
    lines = query(
        retail_workspace,
        """SELECT count(*), count(*) FILTER (WHERE i.quantity >= 100),
        count(*) / count(DISTINCT o.order_id) FROM order_items i JOIN orders o USING (order_id)
        WHERE o.paid_at >= '2011-01-01' AND o.paid_at < '2012-01-01'""",
    )[0]
    assert ask_at(retail_workspace, "how many order lines in 2011", TODAY) == [(lines[0],)]
    assert ask_at(retail_workspace, "2011年数量100件以上的订单行有几条", TODAY) == [(lines[1],)]
    for q in (
        "average number of lines per invoice in 2011",
        "2011年一张发票上平均有几个明细行",
        "2011年每张发票平均几个明细行",
    ):
        assert ask_at(retail_workspace, q, TODAY)[0][0] == pytest.approx(lines[2]), q


def test_per_customer_ratios_said_with_invoice_words(retail_workspace: Path) -> None:
    want = query(
        retail_workspace,
        """SELECT count(DISTINCT order_id) / count(DISTINCT one_id), NULL FROM orders
        WHERE paid_at IS NOT NULL AND one_id IS NOT NULL""",
    )[0][0]
    for q in ("平均一个客户开几张票", "平均每个客户开了几张发票"):
        assert ask_at(retail_workspace, q, TODAY)[0][0] == pytest.approx(want), q
    units = query(
        retail_workspace,
        """SELECT sum(i.quantity) / count(DISTINCT o.one_id) FROM order_items i
        JOIN orders o USING (order_id) WHERE o.one_id IS NOT NULL
        AND o.paid_at >= '2011-01-01' AND o.paid_at < '2012-01-01'""",
    )[0][0]
    for q in ("11年人均买了多少件", "2011 items per person"):
        assert ask_at(retail_workspace, q, TODAY)[0][0] == pytest.approx(units), q


def test_c_invoices_counted_with_measure_words_and_their_refunds(retail_workspace: Path) -> None:
    """ "C单有几张", "C开头的发票", "invoices starting with C": the C invoices counted; 取消单 is
    a cancelled order, on Online Retail its C invoices (the export's own name), their refunds."""
    sept = query(
        retail_workspace,
        """SELECT count(*) FROM orders WHERE raw_status = 'cancellation invoice'
        AND created_at >= '2011-09-01' AND created_at < '2011-10-01'""",
    )[0][0]
    for q in (
        "11年9月的C单有几张",
        "2011年9月C开头的发票有几张",
        "how many invoices starting with C in sept 2011",
    ):
        assert ask_at(retail_workspace, q, TODAY) == [(sept,)], q
    refunds = query(retail_workspace, f"SELECT sum(refund_amount) FROM orders WHERE {C_2011}")[0][0]
    assert float(
        ask_at(retail_workspace, "2011年取消单一共退了多少钱", TODAY)[0][0]
    ) == pytest.approx(float(refunds))


def test_the_least_sold_is_the_ranking_from_the_bottom(retail_workspace: Path) -> None:
    """ "一周里哪天卖得最少", "which country sold the least": the bottom one by sales."""
    dow = query(
        retail_workspace,
        """SELECT isodow(paid_at), sum(paid_amount) FROM orders WHERE paid_at IS NOT NULL
        GROUP BY 1 ORDER BY 2 ASC LIMIT 1""",
    )[0]
    for q in ("一周里哪天卖得最少", "which day of the week sold the least"):
        rows = ask_at(retail_workspace, q, TODAY)
        assert (rows[0][0], float(rows[0][-1])) == (dow[0], pytest.approx(float(dow[1]))), q


def test_dev_w7_phrasings_of_customers_invoices_and_units(retail_workspace: Path) -> None:
    """取消过单的客户 (people of C invoices), 人均开了几张发票 (orders per buyer), 出了多少件货
    (units), 贡献了多少营收 (the customers' sales)."""
    people = query(
        retail_workspace,
        "SELECT count(DISTINCT one_id) FROM orders WHERE raw_status = 'cancellation invoice'",
    )[0][0]
    assert ask_at(retail_workspace, "取消过单的客户一共几个", TODAY) == [(people,)]
    per = query(
        retail_workspace,
        """SELECT count(*) / count(DISTINCT one_id) FROM orders WHERE one_id IS NOT NULL
        AND paid_at >= '2011-01-01' AND paid_at < '2012-01-01'""",
    )[0][0]
    for q in ("11年人均开了几张发票", "2011 invoices per customer"):
        assert ask_at(retail_workspace, q, TODAY)[0][0] == pytest.approx(per), q
    units = query(
        retail_workspace,
        """SELECT sum(i.quantity) FROM order_items i JOIN orders o USING (order_id)
        WHERE o.paid_at >= '2011-10-01' AND o.paid_at < '2011-11-01'""",
    )[0][0]
    assert ask_at(retail_workspace, "10月一共出了多少件货", TODAY) == [(units,)]
    sales = query(
        retail_workspace,
        """SELECT sum(paid_amount) FROM orders WHERE country = 'Netherlands'
        AND paid_at >= '2011-01-01' AND paid_at < '2012-01-01'""",
    )[0][0]
    got = ask_at(retail_workspace, "荷兰客户11年贡献了多少营收", TODAY)[0][0]
    assert float(got) == pytest.approx(float(sales))


def test_the_unit_price_of_what_was_sold(retail_workspace: Path) -> None:
    """卖出商品的平均单价 / average price of products sold: paid product lines, one figure (not a
    breakdown by product); 卖出去的东西: every paid line."""

    def avg(products: bool, agg: str = "avg") -> float:
        cond = "i.product_id IS NOT NULL AND" if products else ""
        return float(
            query(
                retail_workspace,
                f"""SELECT {agg}(i.unit_price) FROM order_items i JOIN orders o USING (order_id)
                WHERE {cond} o.paid_at >= '2011-01-01' AND o.paid_at < '2012-01-01'""",
            )[0][0]
        )

    for q in ("2011年卖出商品的平均单价", "average price of products sold in 2011"):
        assert float(ask_at(retail_workspace, q, TODAY)[0][0]) == pytest.approx(
            avg(True), abs=0.006
        ), q
    got = float(ask_at(retail_workspace, "11年卖出去的东西平均单价多少", TODAY)[0][0])
    assert got == pytest.approx(avg(False), abs=0.006)
    top = float(ask_at(retail_workspace, "2011年卖出商品的最高单价", TODAY)[0][0])
    assert top == pytest.approx(avg(True, "max"))


def test_status_rows_counted_when_ranked(retail_workspace: Path) -> None:
    """ "which hour has the most cancellations", "哪个国家的C单最多": C invoices counted in each
    group, the top one."""
    hour = query(
        retail_workspace,
        """SELECT hour(created_at), count(*) FROM orders WHERE raw_status = 'cancellation invoice'
        GROUP BY 1 ORDER BY 2 DESC LIMIT 1""",
    )[0]
    assert ask_at(retail_workspace, "which hour has the most cancellations", TODAY)[0] == hour
    country = query(
        retail_workspace,
        """SELECT country, count(*) FROM orders WHERE raw_status = 'cancellation invoice'
        AND country IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1""",
    )[0]
    assert ask_at(retail_workspace, "哪个国家的C单最多", TODAY)[0] == country
