"""Spoken verbs of paying, giving away, issuing and holding, and product words said loosely
(session 43, helper D): 掏 (掏过钱, 掏腰包, 买家掏的运费) and 买单 / 埋单 = 付; 入手 = 买; 没碰过 = 没买过;
money given away (优惠一共让出去多少钱) = the discount; 开的退货单 = the return invoices; the pieces the
paid orders held (付款的订单里装了几件) = the pieces sold; orders placed and never paid asked as 多少单是
… 的; 客人数; a product word's one-character head (阔腿裤: 裤) and a product pointed at (那套东西).
Values against hand-written SQL (as the blind dev set W38 writes them); each reading beside a
look-alike that keeps its own answer or stays refused."""

from __future__ import annotations

from typing import Any

import pytest

from tests.nlq.helpers import number, refused, rows, sql_number

# demo: today 2025-06-01 (tests/nlq/conftest.py DEMO_TODAY)
_MAY = "o.{col} >= '2025-05-01' AND o.{col} < '2025-06-01'"
_YEAR_D = "o.{col} >= '2025-01-01' AND o.{col} < '2025-06-01'"


# --- 掏 / 买单 / 掏腰包: paid ---


@pytest.mark.parametrize(
    "question",
    [
        "上个月掏过钱的买家有多少",
        "上个月有几个人掏钱了",
        "上个月有几个人掏腰包",
        "上个月买单的客户有几个",
        "上个月埋单的客户数",
    ],
)
def test_paying_said_with_tao_or_maidan(demo: Any, question: str) -> None:
    want = sql_number(
        demo,
        "SELECT count(DISTINCT o.one_id) FROM orders o WHERE o.paid_at IS NOT NULL AND "
        + _MAY.format(col="paid_at"),
    )
    assert number(demo, question) == want, question


def test_buying_one_piece_is_no_maidan(demo: Any) -> None:
    # look-alike: 购买单价 (the unit price bought at) keeps its price, never a payment
    assert rows(demo, "上个月购买单价最高的商品") == rows(demo, "上个月单价最高的商品")


# --- the freight the buyers paid ---


@pytest.mark.parametrize(
    "question",
    [
        "上个月买家掏的运费加起来多少",
        "上个月顾客付的邮费一共多少",
        "上个月买家一共付了多少运费",
    ],
)
def test_freight_the_buyers_paid(demo: Any, question: str) -> None:
    want = sql_number(
        demo, "SELECT sum(o.shipping_fee) FROM orders o WHERE " + _MAY.format(col="created_at")
    )
    got = rows(demo, question)
    assert len(got[0]) == 1, question  # the freight alone, no buyers counted beside it
    assert float(got[0][0]) == pytest.approx(want), question


def test_freight_per_buyer_keeps_its_average(demo: Any) -> None:
    # look-alike: each buyer's freight (an average per buyer) is not the total
    total = sql_number(
        demo, "SELECT sum(o.shipping_fee) FROM orders o WHERE " + _MAY.format(col="created_at")
    )
    assert number(demo, "上个月每个买家付的运费平均多少") < total


# --- money given away: the discount ---


@pytest.mark.parametrize(
    ("question", "douyin"),
    [
        ("上个月 抖音 的 优惠 一共 让出去 多少 钱", True),
        ("上个月抖音的折扣让掉了多少钱", True),
        ("上个月给买家让了多少钱的优惠", False),
        ("上个月一共让出去多少钱", False),
    ],
)
def test_discount_said_as_money_given_away(demo: Any, question: str, douyin: bool) -> None:
    where = _MAY.format(col="created_at") + (" AND o.platform = 'douyin'" if douyin else "")
    want = sql_number(demo, "SELECT sum(o.discount_amount) FROM orders o WHERE " + where)
    assert number(demo, question) == pytest.approx(want), question


def test_money_given_back_is_no_discount(demo: Any) -> None:
    # look-alike: 退出去 (refunds) keeps its own reading
    assert rows(demo, "上个月退货一共退出去多少钱") == rows(demo, "上个月退货一共退了多少钱")


# --- 开的退货单: the return invoices ---


def test_return_invoices_said_with_kai(retail: Any) -> None:
    assert rows(retail, "今年荷兰和澳大利亚哪个开的退货单多") == rows(
        retail, "今年荷兰和澳大利亚哪个的退货单多"
    )
    want = sql_number(
        retail,
        "SELECT count(*) FROM orders o WHERE o.raw_status = 'cancellation invoice' AND "
        "o.country = 'Netherlands' AND o.created_at >= '2011-01-01' AND o.created_at < '2011-12-01'",
    )
    assert number(retail, "今年荷兰开的退货单有几张") == want


def test_return_invoices_issued_by_people_keep_their_reading(retail: Any) -> None:
    # look-alike: 开过退货单的客户 (people, no 的 between) is not touched by the rule
    assert rows(retail, "今年开过退货单的客户有几个") == rows(retail, "今年开过退货单的客户有多少")


# --- the pieces inside the paid orders ---


@pytest.mark.parametrize(
    "question",
    [
        "8月付款的订单里总共装了几件商品",
        "8月付了款的单子里一共有多少件东西",
        "8月已付款的订单中一共包含多少件商品",
    ],
)
def test_pieces_inside_the_paid_orders(olist: Any, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "WHERE o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01'",
    )
    assert number(olist, question) == want, question


def test_pieces_of_one_order_are_not_the_total(olist: Any) -> None:
    # look-alike: one order's pieces (每个 / 平均 / 一个订单里) never read as the month's total
    refused(olist, "8月每个付款的订单里平均装了几件商品")
    refused(olist, "8月一个付款的订单里最多装了几件")


# --- orders placed and never paid ---


@pytest.mark.parametrize(
    "question",
    [
        "今年有多少单是下了单却一直没付钱的",
        "今年下了单却一直没付钱的有多少单",
        "今年下单后一直没付款的订单有几个",
        "今年有几单是下了单一直没付款的",
    ],
)
def test_orders_placed_never_paid(demo: Any, question: str) -> None:
    want = sql_number(
        demo,
        "SELECT count(*) FROM orders o WHERE o.paid_at IS NULL AND "
        + _YEAR_D.format(col="created_at"),
    )
    assert number(demo, question) == want, question


def test_orders_paid_asked_as_duo_shao_dan_shi(demo: Any) -> None:
    # look-alike: 多少单是付了款的 keeps the paid orders
    want = sql_number(
        demo,
        "SELECT count(*) FROM orders o WHERE o.paid_at IS NOT NULL AND "
        + _YEAR_D.format(col="paid_at"),
    )
    assert number(demo, "今年有多少单是付了款的") == want


# --- never touched = never bought; 客人数 ---

_LUNCH_NOT_JUMBO = (
    "SELECT count(*) FROM (SELECT o.one_id FROM order_items i JOIN orders o ON o.order_id = "
    "i.order_id WHERE o.one_id IS NOT NULL AND o.paid_at IS NOT NULL GROUP BY 1 HAVING count(*) "
    "FILTER (WHERE i.clean_title LIKE '%LUNCH BAG%' AND o.paid_at >= '2011-01-01' AND o.paid_at "
    "< '2011-12-01') > 0 AND count(*) FILTER (WHERE i.clean_title LIKE '%JUMBO BAG%') = 0)"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年 LUNCH BAG 的 买家 里 从没 碰过 JUMBO BAG 的 有 几 位",
        "今年买过 LUNCH BAG 但从来没碰过 JUMBO BAG 的客户有几个",
    ],
)
def test_never_touched_is_never_bought(retail: Any, question: str) -> None:
    assert number(retail, question) == sql_number(retail, _LUNCH_NOT_JUMBO), question


def test_touched_alone_stays_unread(retail: Any) -> None:
    # look-alike: 碰过 without a 'never' (a view? a cart?) is not taken as bought
    assert "碰过" in refused(retail, "今年碰过 JUMBO BAG 的客户有几个").unknown


_SOFA_NOT_TABLE = (
    "SELECT count(*) FROM (SELECT o.one_id FROM order_items i JOIN orders o ON o.order_id = "
    "i.order_id WHERE o.one_id IS NOT NULL AND o.paid_at IS NOT NULL GROUP BY 1 HAVING count(*) "
    "FILTER (WHERE i.clean_title LIKE '%沙发%') > 0 AND count(*) FILTER (WHERE i.clean_title "
    "LIKE '%茶几%') = 0)"
)


@pytest.mark.parametrize(
    "question",
    [
        "沙发买了 茶几却一直没买的客人数",
        "买过沙发但没碰过茶几的客人数",
        "买了沙发 却一直没买茶几的客户数",
    ],
)
def test_customers_counted_said_keren_shu(demo: Any, question: str) -> None:
    assert number(demo, question) == sql_number(demo, _SOFA_NOT_TABLE), question


# --- product words: a one-character head, a product pointed at ---


@pytest.mark.parametrize(
    "question", ["今年阔腿裤一共卖出去几条", "今年阔腿裤卖了几条", "今年阔腿裤的销量"]
)
def test_product_word_with_its_head(demo: Any, question: str) -> None:
    want = sql_number(
        demo,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "WHERE i.clean_title LIKE '%阔腿%' AND " + _YEAR_D.format(col="paid_at"),
    )
    assert number(demo, question) == want, question


def test_a_head_no_title_of_the_keyword_has_stays_unplaced(demo: Any) -> None:
    # look-alike: 灯 after 阔腿 (no 阔腿 title is a lamp) is not taken as the keyword's head
    assert "灯" in refused(demo, "今年阔腿灯卖了几个").unknown


@pytest.mark.parametrize(
    "question",
    [
        "10月果酱制作（JAM MAKING）那套东西卖了多少钱",
        "10月JAM MAKING那些货卖了多少钱",
        "10月JAM MAKING那套卖了多少钱",
    ],
)
def test_product_pointed_at(retail: Any, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT sum(i.paid_amount) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "WHERE i.clean_title LIKE '%JAM MAKING%' AND o.paid_at >= '2011-10-01' AND "
        "o.paid_at < '2011-11-01'",
    )
    assert number(retail, question) == pytest.approx(want), question


# --- 入手: bought ---


def test_got_hold_of_is_bought(demo: Any) -> None:
    want = rows(demo, "上个月买了沙发的客户有几个")
    assert rows(demo, "上个月入手沙发的客户有几个") == want
    assert rows(demo, "上个月入手过沙发的客户有几个") == want
    # look-alike: 入手价 (an entry price) is no purchase, and stays unread
    assert "入手价" in refused(demo, "上个月沙发的入手价是多少").unknown


# --- the same in English ---


@pytest.mark.parametrize(
    "question",
    [
        "total shipping paid by buyers last month",
        "how much freight was paid by customers last month",
    ],
)
def test_freight_paid_by_buyers_in_english(demo: Any, question: str) -> None:
    want = sql_number(
        demo, "SELECT sum(o.shipping_fee) FROM orders o WHERE " + _MAY.format(col="created_at")
    )
    got = rows(demo, question)
    assert len(got[0]) == 1, question  # the freight alone, no buyers counted beside it
    assert float(got[0][0]) == pytest.approx(want), question


@pytest.mark.parametrize(
    ("question", "douyin"),
    [
        ("how much discount did douyin give away last month", True),
        ("how much money did we give away in discounts last month", False),
    ],
)
def test_discount_given_away_in_english(demo: Any, question: str, douyin: bool) -> None:
    where = _MAY.format(col="created_at") + (" AND o.platform = 'douyin'" if douyin else "")
    want = sql_number(demo, "SELECT sum(o.discount_amount) FROM orders o WHERE " + where)
    assert number(demo, question) == pytest.approx(want), question


def test_give_away_without_a_discount_stays_unread(demo: Any) -> None:
    # look-alike: "give away" with no discount word is not taken as one
    assert "away" in refused(demo, "how much did douyin give away last month").unknown


def test_items_in_the_paid_orders_in_english(olist: Any) -> None:
    want = sql_number(
        olist,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "WHERE o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01'",
    )
    assert number(olist, "how many items were in the orders paid in August") == want
    # look-alike: one order's pieces (each order) are not the month's total
    refused(olist, "how many items were in each order paid in August")


def test_never_touched_in_english(retail: Any) -> None:
    question = "how many LUNCH BAG buyers this year never touched JUMBO BAG"
    assert number(retail, question) == sql_number(retail, _LUNCH_NOT_JUMBO)
    # look-alike: touched alone stays unread
    assert "touched" in refused(retail, "how many customers touched JUMBO BAG this year").unknown
