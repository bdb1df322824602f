"""Families of session 28 (helper p), values against hand-written SQL on the real workspaces.

- Orders as rows (nlq/order_rows.py, catalog/rows.py): "上个月最贵的5单", "金额最高的订单是哪单",
  "the 5 largest orders last month", "最贵的一张发票", "运费最高的3单" list the orders themselves
  (the platform's order number, platform, the figure ranked by, its time), ranked; a question
  asking only how much the top order was keeps the figure.
- The time between a person's purchases (nlq/gaps.py): "平均隔多少天买一次", "两次购买之间平均隔几天",
  "回头客 第一单到第二单 平均隔几天", "days pass between a customer's purchases".
- Two figures in one question: "退款一共多少笔 多少钱", "卖了多少单 多少钱", "卖出去多少件 收了多少钱",
  "平均运费和平均实付", "销售额前5的州 各自的订单数和销售额".
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.nlq.helpers import refused, rows, sql

_AUG = "paid_at >= '2018-08-01' AND paid_at < '2018-09-01'"
_NOV = "paid_at >= '2011-11-01' AND paid_at < '2011-12-01'"


def _approx(got: list[tuple[Any, ...]], gold: list[tuple[Any, ...]]) -> None:
    assert len(got) == len(gold)
    for g, e in zip(got, gold, strict=True):
        for a, b in zip(g, e, strict=True):
            if isinstance(b, str) or b is None:
                assert a == b
            else:
                assert float(a) == pytest.approx(float(b), abs=0.006)


# -- orders as rows --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "上个月最贵的5单",
        "上个月 最贵 的 5 单",
        "上个月金额最高的5个订单",
        "上个月最贵的五笔订单",
        "the 5 largest orders last month",
        "what were our 5 most expensive orders last month",
    ],
)
def test_the_largest_orders_are_listed(olist: Any, question: str) -> None:
    gold = sql(
        olist,
        f"SELECT platform_order_id, paid_amount FROM orders WHERE {_AUG}"
        " ORDER BY paid_amount DESC, order_id LIMIT 5",
    )
    got = rows(olist, question)
    assert [(r[0], r[2]) for r in got] == gold, question
    assert (gold[0][0], float(gold[0][1])) == ("426a9742b533fc6fed17d1fd6d143d7e", 4513.32)


@pytest.mark.parametrize(
    "question",
    ["金额最高的订单是哪单", "金额最高的是哪个订单", "which order was the most expensive"],
)
def test_which_order_is_the_order_itself(olist: Any, question: str) -> None:
    got = rows(olist, question)
    assert [(r[0], float(r[2])) for r in got] == [("03caa2c082116e1d31e67e9ae3700499", 13664.08)]


@pytest.mark.parametrize(
    "question",
    ["最贵的一张发票", "最大的一张发票是哪张", "the biggest invoice", "最大 的 一张 发票"],
)
def test_the_biggest_invoice_by_its_number(retail: Any, question: str) -> None:
    gold = sql(
        retail,
        "SELECT platform_order_id, paid_amount FROM orders WHERE paid_at IS NOT NULL"
        " ORDER BY paid_amount DESC, order_id LIMIT 1",
    )
    assert [(r[0], r[2]) for r in rows(retail, question)] == gold, question


@pytest.mark.parametrize(
    "question",
    ["上个月最大的3张发票", "top 3 invoices by value last month", "上个月发票金额最高的3张"],
)
def test_the_largest_invoices_of_a_month(retail: Any, question: str) -> None:
    gold = sql(
        retail,
        f"SELECT platform_order_id, paid_amount FROM orders WHERE {_NOV}"
        " ORDER BY paid_amount DESC, order_id LIMIT 3",
    )
    assert [(r[0], r[2]) for r in rows(retail, question)] == gold, question
    assert len(gold) == 3


@pytest.mark.parametrize(
    "question", ["德国客户今年最大的3张发票", "今年 德国 客户 最贵 的 3 张 发票"]
)
def test_the_largest_invoices_keep_the_filter(retail: Any, question: str) -> None:
    gold = sql(
        retail,
        "SELECT platform_order_id, paid_amount FROM orders WHERE country = 'Germany' AND"
        " paid_at >= '2011-01-01' AND paid_at < '2011-12-01' ORDER BY paid_amount DESC LIMIT 3",
    )
    assert [(r[0], r[2]) for r in rows(retail, question)] == gold, question


@pytest.mark.parametrize("question", ["最便宜的3单", "金额最低的3个订单"])
def test_the_smallest_orders_are_listed(retail: Any, question: str) -> None:
    gold = sql(
        retail,
        "SELECT platform_order_id, paid_amount FROM orders WHERE paid_at IS NOT NULL"
        " ORDER BY paid_amount, order_id LIMIT 3",
    )
    assert [(r[0], r[2]) for r in rows(retail, question)] == gold, question


@pytest.mark.parametrize(
    "question",
    ["上个月 运费 最贵 的 3单 订单号 和 运费", "上个月运费最高的3个订单", "上个月运费最高的3单"],
)
def test_orders_ranked_by_their_freight(olist: Any, question: str) -> None:
    gold = sql(
        olist,
        "SELECT platform_order_id, shipping_fee FROM orders WHERE created_at >= '2018-08-01'"
        " AND created_at < '2018-09-01' ORDER BY shipping_fee DESC, order_id LIMIT 3",
    )
    got = rows(olist, question)
    assert [(r[0], r[2]) for r in got] == gold, question
    assert float(gold[0][1]) == pytest.approx(375.28)


def test_orders_of_a_platform_last_month(demo: Any) -> None:
    gold = sql(
        demo,
        "SELECT platform_order_id, paid_amount FROM orders WHERE platform = 'tmall' AND paid_at >="
        " '2025-05-01' AND paid_at < '2025-06-01' ORDER BY paid_amount DESC, order_id LIMIT 3",
    )
    for q in ("上个月天猫最贵的3单", "largest 3 orders on tmall last month"):
        got = rows(demo, q)
        assert [(r[0], r[2]) for r in got] == gold, q
        assert {r[1] for r in got} == {"tmall"}


def test_how_much_the_top_order_was_keeps_the_figure(olist: Any) -> None:
    gold = sql(olist, f"SELECT max(paid_amount) FROM orders WHERE {_AUG}")
    for q in ("上个月最贵的一单多少钱", "上个月 最贵 的 一单 多少 钱"):
        assert rows(olist, q) == gold, q


def test_orders_are_not_listed_by_another_rows_figure(olist: Any) -> None:
    refused(olist, "今年单价最高的订单")  # a line's unit price, not an order's
    refused(olist, "上个月 金额 最大 的 3笔 退款 是 哪几单")  # refunds are not listed


# -- the time between purchases -------------------------------------------------------------------

_GAPS = (
    "SELECT date_diff('second', lag(paid_at) OVER (PARTITION BY one_id ORDER BY paid_at, order_id),"
    " paid_at) / 86400.0 AS gap, paid_at FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL"
)
_FIRST_SECOND = (
    "WITH r AS (SELECT one_id, paid_at, row_number() OVER (PARTITION BY one_id ORDER BY paid_at,"
    " order_id) AS n FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL)"
    " SELECT {agg}(date_diff('second', a.paid_at, b.paid_at) / 86400.0) FROM r a JOIN r b"
    " ON a.one_id = b.one_id AND a.n = 1 AND b.n = 2"
)


@pytest.mark.parametrize(
    "question",
    [
        "客户平均隔多少天买一次",
        "客户 平均 隔 多少天 买 一次",
        "老客多久来买一次",
        "两次购买之间平均隔几天",
        "on average how many days pass between a customer's purchases",
        "average days between one order and the next for the same customer",
    ],
)
def test_days_between_purchases(retail: Any, question: str) -> None:
    gold = sql(retail, f"SELECT avg(gap) FROM ({_GAPS}) WHERE gap IS NOT NULL")
    _approx(rows(retail, question), gold)


def test_days_between_purchases_in_a_period(olist: Any) -> None:
    # Session 36 (A): a gap asked for a period is between two purchases both in it — what the
    # blind dev golds write (w23, w24r21, w27d21, w29r21, w30r21: the period's orders ranked, its
    # first order with none before it); this test's gold was the later purchase in the period,
    # the earlier one at any time (a gold dispute, decided by those sets)
    gold = sql(
        olist,
        "SELECT avg(gap) FROM (SELECT date_diff('second', lag(paid_at) OVER (PARTITION BY one_id"
        f" ORDER BY paid_at, order_id), paid_at) / 86400.0 AS gap FROM orders WHERE {_AUG}"
        " AND one_id IS NOT NULL) WHERE gap IS NOT NULL",
    )
    for q in ("上个月 回头客 平均 隔 多少天 买 一次", "上个月回头客平均隔几天下一单"):
        _approx(rows(olist, q), gold)


@pytest.mark.parametrize(
    ("question", "agg"),
    [
        ("回头客 第一单到第二单 平均隔几天", "avg"),
        ("回头客第一单到第二单平均隔了多少天", "avg"),
        ("客户 两次购买之间 间隔 中位数 是几天 (第一单到第二单)", "median"),
        ("how many days pass between a customer's 1st and 2nd invoice on average", "avg"),
        ("how long til people come back for a 2nd order (median)", "median"),
    ],
)
def test_days_from_the_first_purchase_to_the_second(retail: Any, question: str, agg: str) -> None:
    gold = sql(retail, _FIRST_SECOND.format(agg=agg))
    _approx(rows(retail, question), gold)


def test_gaps_of_people_counted_in_the_period(retail: Any) -> None:
    """Was refused (whether the earlier purchase must fall in the period the people are found in
    was not said); since session 36 (A) a period's gaps are between its own purchases, the very
    orders the people are counted by — the gold of dev_w23 / dev_w24 (both purchases in 2011)."""
    gold = sql(
        retail,
        "SELECT avg(gap) FROM (SELECT date_diff('second', lag(paid_at) OVER (PARTITION BY one_id"
        f" ORDER BY paid_at, order_id), paid_at) / 86400.0 AS gap FROM orders WHERE one_id IN"
        f" (SELECT one_id FROM orders WHERE one_id IS NOT NULL AND {_YEAR} GROUP BY 1 HAVING"
        f" count(*) >= 5) AND {_YEAR}) WHERE gap IS NOT NULL",
    )
    for q in (
        "今年 买过 5次 以上 的 客户 两次 之间 平均 隔 几天",
        "今年来了至少5次的客户 平均隔多少天来一次",
    ):
        _approx(rows(retail, q), gold)


_YEAR = "paid_at >= '2011-01-01' AND paid_at < '2011-12-01'"


def test_gaps_of_people_counted_in_another_period_refused(retail: Any) -> None:
    """Look-alike: people counted in another period than the gaps' — still not said which."""
    refused(retail, "去年买过5次以上的客户 今年两次之间平均隔几天")


# -- two figures in one question ----------------------------------------------------------------------


@pytest.mark.parametrize("question", ["上个月卖了多少单 多少钱", "上个月 卖了 多少单 多少钱"])
def test_orders_and_their_money(olist: Any, question: str) -> None:
    # 卖了多少单 counts the orders SOLD = paid, by payment time (convention, session 36: as every
    # blind gold that asks it; 下了几单 / 订单数 stay the orders placed)
    gold = sql(
        olist,
        "SELECT (SELECT count(*) FROM orders WHERE paid_at >= '2018-08-01' AND paid_at <"
        f" '2018-09-01'), (SELECT sum(paid_amount) FROM orders WHERE {_AUG})",
    )
    _approx(rows(olist, question), gold)


@pytest.mark.parametrize(
    "question", ["上个月卖出去多少件 收了多少钱", "上个月 卖了 几件 销售额 多少"]
)
def test_pieces_and_money(retail: Any, question: str) -> None:
    gold = sql(
        retail,
        "SELECT (SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id"
        " WHERE o.paid_at >= '2011-11-01' AND o.paid_at < '2011-12-01'),"
        f" (SELECT sum(paid_amount) FROM orders WHERE {_NOV})",
    )
    _approx(rows(retail, question), gold)


def test_returns_counted_and_their_money(retail: Any) -> None:
    one = rows(retail, "上个月退货单数和退货金额")
    for q in ("上个月退货多少张 多少钱", "上个月 退货 一共 几张 多少钱"):
        assert rows(retail, q) == one, q


def test_two_averages(olist: Any) -> None:
    gold = sql(
        olist,
        "SELECT (SELECT avg(shipping_fee) FROM orders WHERE created_at >= '2018-08-01' AND"
        f" created_at < '2018-09-01'), (SELECT avg(paid_amount) FROM orders WHERE {_AUG})",
    )
    for q in ("上个月订单的平均运费和平均实付各是多少", "上个月 平均运费 和 平均实付"):
        got = rows(olist, q)
        assert len(got) == 1
        _approx([got[0][-2:]], gold)


@pytest.mark.parametrize(
    "question",
    ["今年销售额前5的州 各自的订单数和销售额", "今年 销售额 前5 的 州 各自 的 订单数 和 销售额"],
)
def test_two_figures_of_ranked_groups(olist: Any, question: str) -> None:
    gold = sql(
        olist,
        "SELECT c.province, count(*) FILTER (WHERE o.created_at >= '2018-01-01' AND o.created_at"
        " < '2018-09-01'), sum(o.paid_amount) FILTER (WHERE o.paid_at >= '2018-01-01' AND"
        " o.paid_at < '2018-09-01') AS s FROM orders o JOIN customers c ON c.customer_id ="
        " o.customer_id GROUP BY 1 ORDER BY s DESC NULLS LAST LIMIT 5",
    )
    got = rows(olist, question)
    assert {r[0] for r in got} == {g[0] for g in gold}
    by = {g[0]: g for g in gold}
    for r in got:
        assert r[2] == by[r[0]][1] and float(r[1]) == pytest.approx(float(by[r[0]][2]), abs=0.01)


# -- a customer named by id -------------------------------------------------------------------------


def _a_customer(retail: Any) -> tuple[str, Any]:
    """A Retail customer id (the export's CustomerID) with two or more paid invoices."""
    key, spend = sql(
        retail,
        "SELECT c.buyer_key, sum(o.paid_amount) FROM orders o JOIN customers c ON c.customer_id ="
        " o.customer_id WHERE o.paid_at IS NOT NULL GROUP BY 1 HAVING count(*) >= 2"
        " ORDER BY 1 LIMIT 1",
    )[0]
    return str(key), spend


def test_a_customer_named_by_id(retail: Any) -> None:
    key, spend = _a_customer(retail)
    for q in (f"客户{key}买了多少钱", f"客户 {key} 买了 多少钱", f"customer {key} total spend"):
        _approx(rows(retail, q), [(spend,)])
    orders = sql(
        retail,
        "SELECT count(*) FROM orders o JOIN customers c ON c.customer_id = o.customer_id"
        f" WHERE c.buyer_key = '{key}' AND o.paid_at IS NOT NULL",
    )
    assert rows(retail, f"客户{key}的支付订单数") == orders


def test_a_number_that_is_no_customer_id(retail: Any) -> None:
    assert "no customer has the id" in str(refused(retail, "客户ID 99999999买了多少钱"))
    assert "99999999" in refused(retail, "客户99999999买了多少钱").unknown
