"""Rankings, single measures and periods said in everyday words (session 42, helper B): each of the
last N full months (one row per month, not the period's one total), "the number one" / 只要第一名
after a ranking (the top one already asked), and the biggest single cancellation invoice (one
refund's amount of the rows the value names). Values against hand-written SQL; each reading beside
a look-alike that keeps its own answer or stays refused."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql, sql_number

# the demo's session today is 2025-06-01: the last 3 full months are March to May 2025
_ORDERS_PER_PLATFORM_MONTH = (
    "SELECT date_trunc('month', created_at) AS m, platform, count(*) FROM orders"
    " WHERE created_at >= '2025-03-01' AND created_at < '2025-06-01' GROUP BY 1, 2"
)


@pytest.mark.parametrize(
    "question",
    [
        "Orders per platform for each of the last 3 full months",
        "orders per platform in each of the last 3 whole months",
        "Orders per platform for each of the last 3 months",
        "近三个月每个月各平台的订单数",
    ],
)
def test_each_of_the_last_full_months(demo: Workspace, question: str) -> None:
    want = sorted(int(r[2]) for r in sql(demo, _ORDERS_PER_PLATFORM_MONTH))
    got = sorted(int(r[-1]) for r in rows(demo, question))
    assert got == want, question


def test_over_the_last_full_months_is_one_total(demo: Workspace) -> None:
    # look-alike: no each-word — one total per platform over the three months
    want = sorted(
        int(r[1])
        for r in sql(
            demo,
            "SELECT platform, count(*) FROM orders WHERE created_at >= '2025-03-01'"
            " AND created_at < '2025-06-01' GROUP BY 1",
        )
    )
    got = sorted(int(r[-1]) for r in rows(demo, "Orders per platform over the last 3 full months"))
    assert got == want


_TOP_SKU_UNITS = (
    "SELECT sum(i.quantity) AS u FROM order_items i JOIN orders o ON o.order_id = i.order_id"
    " WHERE o.platform = 'douyin' AND o.paid_at >= '2025-05-01' AND o.paid_at < '2025-06-01'"
    " GROUP BY i.sku_key ORDER BY 1 DESC LIMIT 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "Top-selling SKU on Douyin last month by units - just the number one",
        "Douyin's number one SKU by units last month",
        "上个月抖音按件数卖得最好的SKU 只要第一名",
        "上个月抖音卖得最多的SKU，只看第一个就行",
    ],
)
def test_the_number_one_is_the_top_one(demo: Workspace, question: str) -> None:
    assert number(demo, question, -1) == sql_number(demo, _TOP_SKU_UNITS), question


def test_the_first_after_a_top_n_is_refused(demo: Workspace) -> None:
    # look-alikes: a top 5 then only the first, or no 最 at all — not read
    refused(demo, "上个月抖音销量前5的SKU 只要第一名")
    refused(demo, "上个月抖音各SKU的销量 只要第一名")
    refused(demo, "top 5 SKUs on Douyin last month by units, just the number one")


@pytest.mark.parametrize(
    ("question", "agg", "since", "until"),
    [
        (
            "What was the biggest single cancellation invoice in 2011, in pounds?",
            "max",
            "2011-01-01",
            "2012-01-01",
        ),
        ("biggest cancellation invoice in 2011", "max", "2011-01-01", "2012-01-01"),
        ("largest single cancellation invoice last month", "max", "2011-11-01", "2011-12-01"),
        ("What was the smallest cancellation invoice in 2011?", "min", "2011-01-01", "2012-01-01"),
    ],
)
def test_biggest_cancellation_invoice(
    retail: Workspace, question: str, agg: str, since: str, until: str
) -> None:
    want = sql_number(
        retail,
        f"SELECT {agg}(refund_amount) FROM orders WHERE raw_status = 'cancellation invoice'"
        f" AND refund_amount > 0 AND created_at >= '{since}' AND created_at < '{until}'",
    )
    assert number(retail, question) == pytest.approx(want, abs=0.005), question


def test_biggest_invoice_keeps_the_order_value(retail: Workspace) -> None:
    # look-alike: no document value — the largest invoice's own value
    want = sql_number(
        retail,
        "SELECT max(paid_amount) FROM orders WHERE paid_at >= '2011-01-01' AND paid_at < '2012-01-01'",
    )
    assert number(retail, "What was the biggest single invoice in 2011?") == pytest.approx(want)


_MEDIAN_TMALL = (
    "SELECT median(paid_amount) FROM orders WHERE platform = 'tmall'"
    " AND paid_at >= '2025-05-01' AND paid_at < '2025-06-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "What was the typical (median) Tmall order worth last month?",
        "What was the median Tmall order worth last month?",
        "median Tmall order value last month",
        "上个月天猫的订单金额中位数是多少",
    ],
)
def test_an_order_worth_after_a_median(demo: Workspace, question: str) -> None:
    assert number(demo, question) == pytest.approx(sql_number(demo, _MEDIAN_TMALL), abs=0.005)


def test_an_order_worth_after_an_average_and_look_alikes(demo: Workspace) -> None:
    want = sql_number(
        demo,
        "SELECT sum(paid_amount) / count(*) FROM orders WHERE platform = 'tmall'"
        " AND paid_at >= '2025-05-01' AND paid_at < '2025-06-01'",
    )
    got = number(demo, "How much was the average Tmall order worth last month?")
    assert got == pytest.approx(want, abs=0.005)
    # look-alikes: "typical" alone names no average; "worth more than" is a threshold, not read
    refused(demo, "what was the typical Tmall order worth last month")
    refused(demo, "how many tmall orders were worth more than 500 last month")


_INVOICES_NOV_MINUS_OCT = (
    "SELECT count(*) FILTER (WHERE created_at >= '2011-11-01')"
    " - count(*) FILTER (WHERE created_at < '2011-11-01') FROM orders"
    " WHERE created_at >= '2011-10-01' AND created_at < '2011-12-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "11月开票数量和10月相比增加了多少张",
        "11月开票数和10月相比增加了多少张",
        "11月开的发票数量比10月多了多少张",
    ],
)
def test_invoices_issued_said_with_a_quantity_word(retail: Workspace, question: str) -> None:
    want = sql_number(retail, _INVOICES_NOV_MINUS_OCT)
    assert number(retail, question, -1) == want, question


_TOP_RETURNERS = (
    "SELECT c.buyer_key, count(*) FROM orders o JOIN customers c ON c.customer_id = o.customer_id"
    " WHERE o.raw_status = 'cancellation invoice' AND o.created_at >= '2011-01-01'"
    " AND o.created_at < '2011-12-01' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3"
)


@pytest.mark.parametrize(
    "question",
    ["今年开退货单次数排前三的客户", "今年开退货单最多的3个客户", "今年退货单次数最多的3个客户"],
)
def test_return_invoices_issued_ranked_people(retail: Workspace, question: str) -> None:
    want = sorted(int(r[1]) for r in sql(retail, _TOP_RETURNERS))
    got = sorted(int(r[-1]) for r in rows(retail, question))
    assert got == want, question


def test_invoices_issued_to_people_keep_their_reading(retail: Workspace) -> None:
    # look-alike: the invoices issued (not the return invoices) of the year, every invoice
    want = sql_number(
        retail,
        "SELECT count(*) FROM orders WHERE created_at >= '2011-01-01' AND created_at < '2011-12-01'",
    )
    assert number(retail, "今年开了多少张发票") == want


_TOP_COUNTRIES_BUT_UK = (
    "SELECT o.country, sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
    " WHERE o.country <> 'United Kingdom' AND o.paid_at >= '2011-11-01' AND o.paid_at < '2011-12-01'"
    " GROUP BY 1 ORDER BY 2 DESC LIMIT 3"
)


@pytest.mark.parametrize(
    "question",
    [
        "11月 英国 除外 按 件数 卖 得 最 好 的 3 个 国家",
        "11月英国除外按件数卖得最好的3个国家",
        "11月除了英国 按件数卖得最好的3个国家",
        "top 3 countries by units in November excluding the UK",
    ],
)
def test_a_value_left_out_with_chu_wai_then_a_ranking(retail: Workspace, question: str) -> None:
    want = [(str(r[0]), int(r[1])) for r in sql(retail, _TOP_COUNTRIES_BUT_UK)]
    got = [(str(r[0]), int(r[-1])) for r in rows(retail, question)]
    assert got == want, question


def test_a_value_left_out_before_its_kind_keeps_its_reading(retail: Workspace) -> None:
    # look-alike: 以外 before the kind word (英国以外的国家) — every other country, as before
    want = sql_number(
        retail,
        "SELECT count(*) FROM orders WHERE country <> 'United Kingdom'"
        " AND created_at >= '2011-11-01' AND created_at < '2011-12-01'",
    )
    assert number(retail, "11月英国除外的订单数") == want
