"""Online Retail questions answered as asked (issue 11, session 28, helper r): the wrong answers
of the dev sets, by mechanism. Values against hand-written SQL on the Retail test workspace
(today 2011-12-01); paraphrases in both languages, with and without spaces."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql, sql_number

PAID_2011 = "o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01'"
PAID_NOV = "paid_at >= '2011-11-01' AND paid_at < '2011-12-01'"


def _value(ws: Workspace, question: str) -> float:
    """The one figure the engine answers `question` with (one row, one column)."""
    got = rows(ws, question)
    assert len(got) == 1 and len(got[0]) == 1, (question, got)
    return float(got[0][0])


# -- 'X客户买的商品里 卖得最多': the people are whose purchases, the goods are ranked ------------


@pytest.mark.parametrize(
    "question",
    [
        "今年德国客户买的单价超过5镑的商品里 卖得最多的前3个",
        "今年 德国 客户 买 的 单价 超过 5镑 的 商品 里 卖得 最多 的 前3个",
        "今年德国客户购买的单价超过5镑的商品里卖得最多的3个",
    ],
)
def test_the_goods_german_customers_bought_ranked_by_units(
    retail: Workspace, question: str
) -> None:
    want = sql(
        retail,
        "SELECT coalesce(i.spu_id, i.product_id), sum(i.quantity) FROM order_items i "
        "JOIN orders o ON o.order_id = i.order_id WHERE o.country = 'Germany' "
        f"AND i.unit_price > 5 AND i.product_id IS NOT NULL AND {PAID_2011} "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3",
    )
    got = rows(retail, question)
    assert [(r[0], r[-1]) for r in got] == [(p, u) for p, u in want], question
    assert all(r[1] for r in got), "each product with its title"


@pytest.mark.parametrize(
    "question",
    [
        "今年德国客户买得最多的前3个商品",
        "今年 德国 客户 买 的 商品 里 卖 得 最多 的 前3个",
        "top 3 products German customers bought this year",
    ],
)
def test_the_goods_of_a_country_s_customers_ranked(retail: Workspace, question: str) -> None:
    want = sql(
        retail,
        "SELECT coalesce(i.spu_id, i.product_id), sum(i.quantity) FROM order_items i "
        "JOIN orders o ON o.order_id = i.order_id WHERE o.country = 'Germany' "
        f"AND i.product_id IS NOT NULL AND {PAID_2011} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3",
    )
    assert [(r[0], r[-1]) for r in rows(retail, question)] == list(want), question


def test_the_money_of_what_a_country_s_customers_bought(retail: Workspace) -> None:
    want = sql_number(
        retail,
        f"SELECT sum(o.paid_amount) FROM orders o WHERE o.country = 'Germany' AND {PAID_2011}",
    )
    assert _value(retail, "今年德国客户买的东西一共多少钱") == pytest.approx(want, abs=0.01)


def test_customers_ranked_stay_customers(retail: Workspace) -> None:
    # the most customers (a count of people per product) and the top customers are unchanged
    got = rows(retail, "今年德国客户最多的3个商品")
    want = sql(
        retail,
        "SELECT coalesce(i.spu_id, i.product_id), count(DISTINCT o.one_id) FROM order_items i "
        "JOIN orders o ON o.order_id = i.order_id WHERE o.country = 'Germany' "
        f"AND i.product_id IS NOT NULL AND {PAID_2011} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3",
    )
    assert [(r[0], r[-1]) for r in got] == list(want)
    assert len(rows(retail, "今年德国客户里 买得最多的3个")[0]) > 3  # the people's list


def test_the_goods_said_as_things_are_not_people_ranked(retail: Workspace) -> None:
    # no product split said ("东西里 … 3个"): refused, never a list of customers
    refused(retail, "德国客户今年买的东西里 卖得最多的3个")


# -- 只 卖出 过 1件: 过 of the verb, not "over"; 只 says exactly that many -------------------

ONCE = (
    "SELECT count(*) FROM (SELECT coalesce(i.spu_id, i.product_id) FROM order_items i JOIN "
    "orders o ON o.order_id = i.order_id WHERE i.product_id IS NOT NULL AND o.paid_at >= "
    "'2011-11-01' AND o.paid_at < '2011-12-01' GROUP BY 1 HAVING sum(i.quantity) = {n})"
)


@pytest.mark.parametrize(
    ("question", "n"),
    [
        ("上个月 有 多少 种 商品 只 卖出 过 1件", 1),
        ("上个月只卖出过1件的商品有几种", 1),
        ("上个月只卖过2件的商品有多少个", 2),
    ],
)
def test_sold_exactly_n_pieces(retail: Workspace, question: str, n: int) -> None:
    # was: every product with more than 1 unit, listed (spaced) — a wrong answer
    assert rows(retail, question) == [(sql_number(retail, ONCE.format(n=n)),)], question


def test_sold_over_n_pieces_is_unchanged(retail: Workspace) -> None:
    want = sql_number(retail, ONCE.format(n=1).replace("= 1)", "> 100)"))
    assert rows(retail, "上个月卖出超过100件的商品有几种") == [(want,)]


# -- 上周一到周日: the days of that week ------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("上周一到周日 一共卖了多少钱", "2011-11-21", "2011-11-28"),
        ("上周一到上周日卖了多少钱", "2011-11-21", "2011-11-28"),
        ("上周一到周五卖了多少钱", "2011-11-21", "2011-11-26"),
        ("本周一至周三 卖了 多少钱", "2011-11-28", "2011-12-01"),
        ("上个星期二到星期五卖了多少钱", "2011-11-22", "2011-11-26"),
    ],
)
def test_days_of_one_week_as_a_range(
    retail: Workspace, question: str, start: str, end: str
) -> None:
    want = sql_number(
        retail,
        f"SELECT sum(paid_amount) FROM orders WHERE paid_at >= '{start}' AND paid_at < '{end}'",
    )
    assert _value(retail, question) == pytest.approx(want, abs=0.01), question


def test_one_day_of_last_week_stays_one_day(retail: Workspace) -> None:
    want = sql_number(
        retail,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2011-11-21' AND paid_at < '2011-11-22'",
    )
    assert _value(retail, "上周一卖了多少钱") == pytest.approx(want, abs=0.01)


# -- a festival's name in Online Retail's titles is goods, each time it is said ---------------

BOTH = (
    "SELECT count(*) FROM (SELECT o.one_id FROM order_items i JOIN orders o ON o.order_id = "
    "i.order_id WHERE o.paid_at IS NOT NULL AND o.one_id IS NOT NULL AND i.clean_title LIKE "
    "'%CHRISTMAS%' INTERSECT SELECT o.one_id FROM order_items i JOIN orders o ON o.order_id = "
    "i.order_id WHERE o.paid_at IS NOT NULL AND i.clean_title LIKE '%HALLOWEEN%')"
)


@pytest.mark.parametrize(
    "question",
    [
        "既买过 CHRISTMAS 又买过 HALLOWEEN 东西的人",
        "既买过CHRISTMAS又买过HALLOWEEN东西的客户有多少",
        "customers who bought both christmas and halloween items",
    ],
)
def test_two_festival_words_are_two_kinds_of_goods(retail: Workspace, question: str) -> None:
    assert rows(retail, question) == [(sql_number(retail, BOTH),)], question


def test_a_festival_said_as_a_day_stays_a_day(retail: Workspace) -> None:
    want = sql_number(
        retail,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2011-10-31' AND paid_at < '2011-11-01'",
    )
    assert _value(retail, "万圣节那天卖了多少钱") == pytest.approx(want, abs=0.01)


# -- the buyers of a thing, and among them the new (returning) ones -------------------------

XMAS_NOV = (
    "SELECT DISTINCT o.one_id FROM order_items i JOIN orders o ON o.order_id = i.order_id "
    "WHERE i.clean_title LIKE '%CHRISTMAS%' AND o.paid_at >= '2011-11-01' "
    "AND o.paid_at < '2011-12-01' AND o.one_id IS NOT NULL"
)
FIRST = (
    "SELECT one_id, min(paid_at) AS f FROM orders WHERE paid_at IS NOT NULL "
    "AND one_id IS NOT NULL GROUP BY 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "11月 买 圣诞 商品 的 客户 里 有 多少 是 新客",
        "11月买圣诞商品的客户里有多少是新客",
        "11月的新客中买过圣诞商品的有多少",
        "11月首单的客户里 有多少买过圣诞商品",
    ],
)
def test_new_customers_among_the_buyers_of_a_thing(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        f"SELECT count(*) FROM ({XMAS_NOV}) b JOIN ({FIRST}) f ON f.one_id = b.one_id "
        "WHERE f.f >= '2011-11-01'",
    )
    assert rows(retail, question) == [(want,)], question


def test_returning_customers_among_the_buyers_of_a_thing(retail: Workspace) -> None:
    want = sql_number(
        retail,
        f"SELECT count(*) FROM ({XMAS_NOV}) b JOIN ({FIRST}) f ON f.one_id = b.one_id "
        "WHERE f.f < '2011-11-01'",
    )
    assert rows(retail, "11月买过圣诞商品的客户里 有多少是老客") == [(want,)]


def test_new_customers_among_a_country_s_buyers(retail: Workspace) -> None:
    want = sql_number(
        retail,
        f"SELECT count(*) FROM (SELECT DISTINCT one_id FROM orders WHERE country = 'Germany' "
        f"AND {PAID_NOV} AND one_id IS NOT NULL) b JOIN ({FIRST}) f ON f.one_id = b.one_id "
        "WHERE f.f >= '2011-11-01'",
    )
    assert rows(retail, "11月在德国买过东西的客户里有多少是新客") == [(want,)]


def test_the_new_customers_share_of_a_thing_is_unchanged(retail: Workspace) -> None:
    part = sql_number(
        retail,
        f"SELECT count(*) FROM ({XMAS_NOV}) b JOIN ({FIRST}) f ON f.one_id = b.one_id "
        "WHERE f.f >= '2011-11-01'",
    )
    whole = sql_number(
        retail, f"SELECT count(*) FROM ({FIRST}) WHERE f >= '2011-11-01' AND f < '2011-12-01'"
    )
    got = rows(retail, "11月的新客中买过圣诞商品的占多少")
    assert got[0][0] == part and got[0][1] == whole


# -- a threshold naming the goods: one figure over the lines it keeps --------------------------
# (the golds disagree: dev_w21's w21r07 and dev_w9's w9_r05 count every line, dev_w24's w24r07,
# dev_w25's w25r07 and dev_w29's w29r08 leave the lines with no product — postage, manual charges —
# out, and the W29 header says so: "单价低于1英镑的商品 = product lines". Since session 34 the
# product lines (nlq/offline.py _products_of_a_line_condition); 东西 names no product: every line)


@pytest.mark.parametrize(
    "question",
    [
        "今年 荷兰 客户 10月到11月 买的 单价 超过 2镑 的 商品 一共 多少钱",
        "荷兰客户今年10月到11月买的单价超过2镑的商品一共多少钱",
    ],
)
def test_the_money_of_goods_over_a_unit_price(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT sum(i.paid_amount) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "WHERE o.country = 'Netherlands' AND i.unit_price > 2 AND i.product_id IS NOT NULL "
        "AND o.paid_at >= '2011-10-01' AND o.paid_at < '2011-12-01'",
    )
    assert _value(retail, question) == pytest.approx(want, abs=0.01), question


@pytest.mark.parametrize(
    "question",
    [
        "今年德国客户买的单价超过5镑的东西一共多少件",
        "今年 德国 客户 买 的 单价 超过 5镑 的 东西 一共 多少件",
    ],
)
def test_the_pieces_a_country_s_customers_bought(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        f"WHERE o.country = 'Germany' AND i.unit_price > 5 AND {PAID_2011}",
    )
    assert _value(retail, question) == want, question


# -- 不满 N: under N ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "11月 开出的 发票 里 不满 10镑 的 几张",
        "11月不满10镑的发票有多少张",
        "11月金额不到10镑的发票有几张",
    ],
)
def test_invoices_short_of_an_amount(retail: Workspace, question: str) -> None:
    want = sql_number(retail, f"SELECT count(*) FROM orders WHERE paid_amount < 10 AND {PAID_NOV}")
    assert _value(retail, question) == want, question


# -- two figures each asked as its own question; 收 / 退掉 of money ----------------------------


@pytest.mark.parametrize(
    "question",
    [
        "上个月卖出去多少件 收了多少钱",
        "上个月 卖出去 多少件 收了 多少钱",
        "上个月卖了多少件 卖了多少钱",
    ],
)
def test_pieces_and_money_side_by_side(retail: Workspace, question: str) -> None:
    units = sql_number(
        retail,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        f"WHERE o.{PAID_NOV}",
    )
    money = sql_number(retail, f"SELECT sum(paid_amount) FROM orders WHERE {PAID_NOV}")
    ((u, m),) = rows(retail, question)
    assert float(u) == units and float(m) == pytest.approx(money, abs=0.01), question


@pytest.mark.parametrize("question", ["今年退掉的钱哪个月最多", "今年 退掉 的 钱 哪个月 最多"])
def test_money_given_back_by_month(retail: Workspace, question: str) -> None:
    want = sql(
        retail,
        "SELECT month(created_at), sum(refund_amount) FROM orders WHERE raw_status = "
        "'cancellation invoice' AND created_at >= '2011-01-01' AND created_at < '2011-12-01' "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    ((month, amount),) = rows(retail, question)
    assert str(month).startswith(f"2011-{want[0][0]:02d}")
    assert float(amount) == pytest.approx(float(want[0][1]), abs=0.01)


# -- 是哪张: which invoice, not a figure ---------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "今年 金额 最大 的 那张 退货单 是 哪张 退了 多少",
        "今年金额最大的退货单是哪张",
        "今年退货金额最大的是哪张",
    ],
)
def test_which_return_invoice_is_refused(retail: Workspace, question: str) -> None:
    refused(retail, question)  # was: the largest refund's amount alone


def test_which_product_is_still_answered(retail: Workspace) -> None:
    assert len(rows(retail, "今年卖得最多的商品是哪个")) == 1


# -- two periods apart, 放在一起: a row each -----------------------------------------------------


def test_two_periods_apart_placed_together(retail: Workspace) -> None:
    want = sql(
        retail,
        "SELECT count(*) FROM orders WHERE (created_at >= '2010-12-01' AND created_at < "
        "'2011-01-01') OR (created_at >= '2011-11-01' AND created_at < '2011-12-01') "
        "GROUP BY date_trunc('month', created_at) ORDER BY date_trunc('month', created_at)",
    )
    got = rows(retail, "上个月和去年12月的发票数放在一起比")
    assert [r[1] for r in got] == [w[0] for w in want]


def test_pieces_under_a_unit_price_keep_the_product_lines(retail: Workspace) -> None:
    # the pieces of a threshold's goods are the product lines' (dev_w29's header; dev_w9's gold
    # w9_r05 counted every line: see "a threshold naming the goods" above)
    want = sql_number(
        retail,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        f"WHERE i.unit_price < 1 AND i.product_id IS NOT NULL AND o.{PAID_NOV}",
    )
    assert _value(retail, "单价低于1镑的商品 上个月卖了多少件") == want
