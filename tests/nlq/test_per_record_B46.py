"""Averages over one record said in spoken forms (session 46, helper B): the different products of
one order said with the order's own word (平均一张发票里有几个不同的货号, 平均每笔订单买了几种商品 =
products_per_order), the money of one refund record said with 每一笔 / 单笔 apart from 平均
(每一笔退款的平均金额 = avg_refund_value; it was read as the refund money over the refunded orders),
the credit notes' average asked in pounds (平均每张C发票冲掉几镑). Values against SQL written by
hand; beside each, a near wording that keeps its own reading or stays refused."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql_number


def _per_order(ws: Workspace, start: str, end: str, key: str = "i.product_id") -> float:
    """Each paid order's different products (or SKUs) in the period, averaged over those orders."""
    return sql_number(
        ws,
        f"SELECT avg(n) FROM (SELECT o.order_id, count(DISTINCT {key}) AS n FROM order_items i"
        " JOIN orders o ON o.order_id = i.order_id WHERE i.product_id IS NOT NULL"
        f" AND o.paid_at >= DATE '{start}' AND o.paid_at < DATE '{end}' GROUP BY 1)",
    )


@pytest.mark.parametrize(
    "question",
    [
        "2011年11月平均一张发票里有几个不同的货号",
        "2011年11月平均每张发票有几个不同的商品",
        "2011年11月 平均 一张 发票 上 有 多少 种 商品",
        "2011年11月每张发票平均有几个不同的货号",
        "2011年11月平均一张发票有几个货号",
    ],
)
def test_different_products_of_one_invoice(retail: Workspace, question: str) -> None:
    got = rows(retail, question)
    assert len(got) == 1 and len(got[0]) == 1
    assert float(got[0][0]) == pytest.approx(_per_order(retail, "2011-11-01", "2011-12-01"))


@pytest.mark.parametrize("question", ["8月平均每笔订单买了几种商品", "8月平均一单有几个不同的货号"])
def test_different_products_of_one_order(olist: Workspace, question: str) -> None:
    assert number(olist, question) == pytest.approx(_per_order(olist, "2018-08-01", "2018-09-01"))


def test_pieces_of_one_invoice_keep_their_reading(retail: Workspace) -> None:
    # 几件 counts pieces (items_per_order), not different products
    want = sql_number(
        retail,
        "SELECT sum(i.quantity) * 1.0 / count(DISTINCT o.order_id) FROM order_items i"
        " JOIN orders o ON o.order_id = i.order_id WHERE o.paid_at >= DATE '2011-11-01'"
        " AND o.paid_at < DATE '2011-12-01'",
    )
    got = number(retail, "2011年11月平均每张发票有几件商品")
    assert got != pytest.approx(_per_order(retail, "2011-11-01", "2011-12-01"))
    assert got == pytest.approx(want, rel=0.05)


_REFUND_ROWS = (
    "SELECT avg(e.amount) FROM (SELECT r.amount, coalesce(r.finished_at, r.requested_at,"
    " o.paid_at, o.created_at) AS t FROM refunds r LEFT JOIN orders o ON o.order_id = r.order_id"
    " WHERE r.status IS NULL OR lower(r.status) = 'success' UNION ALL SELECT o.refund_amount,"
    " coalesce(o.paid_at, o.created_at) FROM orders o WHERE o.refund_amount <> 0 AND NOT EXISTS"
    " (SELECT 1 FROM refunds r WHERE r.order_id = o.order_id)) e"
    " WHERE e.t >= date_trunc('month', DATE '{today}') - INTERVAL 1 MONTH"
    " AND e.t < date_trunc('month', DATE '{today}')"
)


@pytest.mark.parametrize(
    "question",
    [
        "上个月每一笔退款的平均金额",
        "上个月退款单笔平均金额",
        "上个月退款平均每笔金额",
        "上个月 单笔 退款 平均 多少钱",
        "上个月每笔退款平均是多少钱",
    ],
)
def test_money_of_one_refund_record(demo: Workspace, question: str) -> None:
    want = sql_number(demo, _REFUND_ROWS.format(today=demo.today.isoformat()))
    assert number(demo, question) == pytest.approx(want, rel=1e-3)


def test_refund_record_without_money_stays_refused(demo: Workspace) -> None:
    refused(demo, "上个月每一笔退款的平均处理天数")


_C_NOV = (
    "SELECT avg(refund_amount) FROM orders WHERE raw_status = 'cancellation invoice'"
    " AND created_at >= DATE '2011-11-01' AND created_at < DATE '2011-12-01'"
)


@pytest.mark.parametrize(
    "question",
    ["11月平均每张C发票冲掉几镑", "11月 c单 平均 每张 冲了 几英镑", "11月每张退货单平均退了几镑"],
)
def test_credit_note_average_in_pounds(retail: Workspace, question: str) -> None:
    assert abs(number(retail, question)) == pytest.approx(abs(sql_number(retail, _C_NOV)), rel=1e-3)


def test_credit_notes_counted_in_pieces_stay_refused(retail: Workspace) -> None:
    refused(retail, "11月平均每张C发票冲掉几张")


# --- the sellers or buyers said before their own average ---

_AUG = "o.paid_at >= DATE '2018-08-01' AND o.paid_at < DATE '2018-09-01'"


@pytest.mark.parametrize(
    "question", ["8月份卖家平均一家卖了多少", "8月 卖家们 平均 每家 卖了 多少钱"]
)
def test_sellers_said_before_their_average(olist: Workspace, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT sum(i.paid_amount) / count(DISTINCT i.shop_id) FROM order_items i"
        f" JOIN orders o ON o.order_id = i.order_id WHERE {_AUG}",
    )
    assert number(olist, question) == pytest.approx(want, rel=1e-3)


def test_sellers_average_per_order_is_not_per_seller(olist: Workspace) -> None:
    # 平均一单 is an average over orders: not rewritten to one per seller (stays a refusal)
    refused(olist, "8月卖家平均一单卖了多少")
