"""Families of session 30 (helper p), values against hand-written SQL on the test workspaces
(Olist today 2018-09-01, Online Retail 2011-12-01, the demo at seed 7, today 2025-06-01):

- the days from a person's first purchase to their third / fourth (第一单到第三单, first to third
  order), the median said 中位天数, the last order said 末单;
- single refunds and the latest orders as rows: "上个月最大的5笔退款", "最近10个被取消的订单",
  "the 10 most recent cancelled orders", "最近的10笔退款" (only where refunds are stored: Olist
  has none and says so); the largest ONE refund stays the figure, a total of the latest is no
  list.
"""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from shopql.nlq.shared import NoData
from tests.nlq.helpers import number, refused, rows, sql, sql_number

# -- the days from the first purchase to the n-th ---------------------------------------------------

_NTH = (
    "WITH r AS (SELECT one_id, paid_at, row_number() OVER (PARTITION BY one_id ORDER BY paid_at,"
    " order_id) AS n FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL)"
    " SELECT {agg}(date_diff('second', a.paid_at, b.paid_at) / 86400.0) FROM r a JOIN r b"
    " ON a.one_id = b.one_id AND a.n = 1 AND b.n = {nth}"
)


@pytest.mark.parametrize(
    ("question", "agg", "nth"),
    [
        ("客户第一单到第三单平均隔几天", "avg", 3),
        ("复购客户 第一单 到 第三单 平均 隔 几天", "avg", 3),
        ("average days from first to third order", "avg", 3),
        ("days between first order and third order", "avg", 3),
        ("第一单到第三单的中位天数", "median", 3),
        ("首单到第四单中位数隔几天", "median", 4),
        ("从第一次购买到第二次购买的中位天数", "median", 2),
    ],
)
def test_days_from_the_first_purchase_to_the_nth(
    retail: Workspace, question: str, agg: str, nth: int
) -> None:
    want = sql_number(retail, _NTH.format(agg=agg, nth=nth))
    assert number(retail, question) == pytest.approx(want, abs=0.006), question


def test_first_to_third_is_not_second_to_third(olist: Workspace) -> None:
    first = number(olist, "客户第一单到第三单平均隔几天")
    assert first == pytest.approx(sql_number(olist, _NTH.format(agg="avg", nth=3)), abs=0.006)
    second = number(olist, "第二单到第三单平均隔几天")
    assert second != pytest.approx(first, abs=0.01)


def test_first_to_last_said_with_mo_dan(retail: Workspace) -> None:
    want = sql_number(
        retail,
        "SELECT avg(date_diff('second', f, l) / 86400.0) FROM (SELECT one_id, min(paid_at) f,"
        " max(paid_at) l FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL"
        " GROUP BY 1 HAVING count(*) >= 2)",
    )
    for q in ("客户首单到末单平均间隔天数", "客户首单到末单 平均 间隔 天数"):
        assert number(retail, q) == pytest.approx(want, abs=0.006), q


def test_first_to_fifth(retail: Workspace) -> None:
    """Was refused (no fifth order's duration); session 36 (A) added first_to_fifth_order_days."""
    want = sql_number(retail, _NTH.format(agg="avg", nth=5))
    assert number(retail, "客户第一单到第五单平均隔几天") == pytest.approx(want, abs=0.006)


# -- single refunds and the latest orders as rows ---------------------------------------------------

_REFUNDS = """
SELECT o.platform_order_id, e.amount, e.refunded_at FROM (
  SELECT r.refund_id, r.order_id, r.amount,
         coalesce(r.finished_at, r.requested_at, o.paid_at, o.created_at) AS refunded_at
  FROM refunds r LEFT JOIN orders o ON o.order_id = r.order_id
  WHERE r.status IS NULL OR lower(r.status) = 'success'
  UNION ALL
  SELECT o.order_id || '#refund', o.order_id, o.refund_amount, coalesce(o.paid_at, o.created_at)
  FROM orders o WHERE o.refund_amount <> 0
    AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.order_id)) e
LEFT JOIN orders o ON o.order_id = e.order_id
WHERE e.amount > 0 AND {where}
ORDER BY {order} LIMIT {n}
"""


@pytest.mark.parametrize(
    "question",
    [
        "上个月最大的5笔退款",
        "上个月 最大的 5笔 退款",
        "上个月退款金额最大的5笔是哪几笔",
        "the 5 largest refunds last month",
    ],
)
def test_the_largest_refunds_of_last_month(demo: Workspace, question: str) -> None:
    want = sql(
        demo,
        _REFUNDS.format(
            where="e.refunded_at >= TIMESTAMP '2025-05-01' AND e.refunded_at < TIMESTAMP '2025-06-01'",
            order="e.amount DESC",
            n=5,
        ),
    )
    got = rows(demo, question)
    assert len(got) == 5, question
    assert [float(r[2]) for r in got] == [pytest.approx(float(w[1])) for w in want], question
    assert {r[0] for r in got} <= {
        w[0]
        for w in sql(
            demo,
            _REFUNDS.format(
                where="e.refunded_at >= TIMESTAMP '2025-05-01' AND e.refunded_at < TIMESTAMP '2025-06-01'"
                f" AND e.amount >= {float(want[-1][1])}",
                order="e.amount DESC",
                n=100,
            ),
        )
    }, question


def test_the_latest_refunds_and_returns(retail: Workspace) -> None:
    want = sql(
        retail,
        _REFUNDS.format(
            where="e.refunded_at < TIMESTAMP '2011-12-01'", order="e.refunded_at DESC", n=10
        ),
    )
    for q in ("最近的10笔退款", "the 10 most recent refunds", "最近10笔退款记录"):
        got = rows(retail, q)
        assert [(r[0], float(r[2])) for r in got] == [(w[0], float(w[1])) for w in want], q
    returns = rows(retail, "上个月退货金额最大的5张单")
    gold = sql(
        retail,
        _REFUNDS.format(
            where="e.refunded_at >= TIMESTAMP '2011-11-01' AND e.refunded_at < TIMESTAMP"
            " '2011-12-01' AND o.status IS DISTINCT FROM 'cancelled'",
            order="e.amount DESC",
            n=5,
        ),
    )
    assert [float(r[2]) for r in returns] == [float(w[1]) for w in gold]


_CANCELLED = (
    "SELECT platform_order_id FROM orders WHERE status = '{status}' AND created_at < TIMESTAMP"
    " '{today}' ORDER BY created_at DESC, order_id DESC LIMIT {n}"
)


@pytest.mark.parametrize(
    "question",
    [
        "the 10 most recent cancelled orders",
        "最近10个被取消的订单",
        "最近 10个 被取消 的 订单",
        "最近10笔取消的订单",
        "latest 10 cancelled orders",
    ],
)
def test_the_latest_cancelled_orders(olist: Workspace, question: str) -> None:
    want = [
        w[0] for w in sql(olist, _CANCELLED.format(status="cancelled", today="2018-09-01", n=10))
    ]
    got = rows(olist, question)
    assert [r[0] for r in got] == want, question
    assert {r[2] for r in got} == {"cancelled"}


def test_the_latest_orders_and_the_latest_credit_notes(retail: Workspace) -> None:
    want = [
        w[0] for w in sql(retail, _CANCELLED.format(status="refunded", today="2011-12-01", n=10))
    ]
    assert [r[0] for r in rows(retail, "最近取消的10张发票")] == want
    latest = sql(
        retail,
        "SELECT platform_order_id FROM orders WHERE created_at < TIMESTAMP '2011-12-01'"
        " ORDER BY created_at DESC, order_id DESC LIMIT 5",
    )
    assert [r[0] for r in rows(retail, "最新的5张发票是哪些")] == [w[0] for w in latest]


def test_refunds_listed_only_where_stored(olist: Workspace) -> None:
    for q in ("最近10笔退款", "上个月最大的5笔退款", "the 5 largest refunds last month"):
        with pytest.raises(NoData):
            rows(olist, q)


def test_look_alikes_are_not_lists(demo: Workspace) -> None:
    # the largest ONE refund is the figure (one value), not a row of it
    one = rows(demo, "上个月 最大的一笔退款 多少钱")
    assert len(one) == 1 and len(one[0]) == 1
    # a total or an average of the latest is no list
    refused(demo, "最近5笔退款的总金额")
    refused(demo, "最近10笔订单的平均金额")
    # a period said with a counter of time stays a period
    assert number(demo, "最近10天的订单数") == sql_number(
        demo,
        "SELECT count(*) FROM orders WHERE created_at >= TIMESTAMP '2025-05-22'"
        " AND created_at < TIMESTAMP '2025-06-01'",
    )
    # 退款最多 alone is the money or the number of refunds: refused since session 41 (B), the
    # amount said is ranked
    refused(demo, "最近3个月退款最多的5个商品")
    ranked = rows(demo, "最近3个月退款金额最多的5个商品")
    assert len(ranked) == 5 and len(ranked[0]) == 3  # product, title, refund amount
