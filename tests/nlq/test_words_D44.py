"""Everyday words read as what they ask (session 44, helper D): the buyers as the subject of what
they paid (买家一共付了多少钱: the money, not the buyers beside it), a colour said as a filter
(上个月驼色的销量: the colour of the SKU sold, not a title word that gave 0), the return invoices'
money asked with no unit (退货单一共退了多少). Values against hand-written SQL; each reading beside
a look-alike that keeps its own answer or stays refused."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql_number

# --- the buyers as the subject of what they paid ---

_PAID_AUG = (
    "SELECT sum(paid_amount) FROM orders WHERE paid_at >= '2018-08-01' AND paid_at < '2018-09-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "8月买家一共付了多少钱",
        "8月顾客总共付了多少钱",
        "8月客户一共掏了多少钱",
        "How much did buyers pay in total in August",
        "how much money did customers pay in August",
    ],
)
def test_buyers_paid_how_much_is_the_money(olist: Workspace, question: str) -> None:
    got = rows(olist, question)
    assert len(got[0]) == 1  # the money alone, no buyers column beside it
    assert float(got[0][0]) == pytest.approx(sql_number(olist, _PAID_AUG))


def test_buyers_and_money_both_asked_keep_both(olist: Workspace) -> None:
    got = rows(olist, "8月买家数和支付金额")
    assert len(got[0]) == 2
    buyers = sql_number(
        olist,
        "SELECT count(DISTINCT one_id) FROM orders WHERE paid_at >= '2018-08-01'"
        " AND paid_at < '2018-09-01'",
    )
    assert float(got[0][0]) == buyers


def test_how_many_buyers_paid_is_a_count(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT count(DISTINCT one_id) FROM orders WHERE paid_at >= '2018-08-01'"
        " AND paid_at < '2018-09-01'",
    )
    assert number(olist, "8月有多少买家付了款") == want


def test_paid_in_cash_stays_refused(olist: Workspace) -> None:
    # "in cash" is a way to pay (no such channel read), not the time or the sum
    refused(olist, "how much did customers pay in cash in August")


# --- a colour said as a filter: the colour of the SKU sold ---

_COLOUR_UNITS = (
    "SELECT coalesce(sum(i.quantity), 0) FROM order_items i JOIN orders o ON o.order_id ="
    " i.order_id LEFT JOIN products p ON p.product_id = i.product_id WHERE coalesce(nullif("
    "regexp_extract(i.variant, 'colour:([^;]+)', 1), ''), p.colour) = '{c}' {more} AND o.paid_at"
    " >= '2025-05-01' AND o.paid_at < '2025-06-01'"
)


@pytest.mark.parametrize(
    "question", ["上个月黑色的销量", "上个月颜色是黑色的销量", "上个月卖了多少件黑色的"]
)
def test_a_colour_is_the_colour_sold(demo: Workspace, question: str) -> None:
    want = sql_number(demo, _COLOUR_UNITS.format(c="黑色", more=""))
    assert want > 0
    assert number(demo, question) == want


def test_a_colour_beside_a_title_word(demo: Workspace) -> None:
    want = sql_number(demo, _COLOUR_UNITS.format(c="白色", more="AND i.clean_title LIKE '%T恤%'"))
    assert want > 0
    assert number(demo, "上个月白色T恤卖了几件") == want


def test_a_colour_no_line_sold_is_refused(demo: Workspace) -> None:
    # look-alike: a colour no line sold is no filter (was a title word matching nothing: 0)
    assert "紫色" in " ".join(refused(demo, "上个月颜色是紫色的销量").unknown)


def test_colours_as_a_breakdown_keep_the_listing_colour(demo: Workspace) -> None:
    # look-alike: 各颜色 stays the listing's colour (dev_w38 w38d23's reading)
    got = rows(demo, "上个月各颜色的销量")
    want = sql_number(
        demo,
        "SELECT count(DISTINCT p.colour) FROM order_items i JOIN orders o ON o.order_id ="
        " i.order_id JOIN products p ON p.product_id = i.product_id WHERE o.paid_at >="
        " '2025-05-01' AND o.paid_at < '2025-06-01'",
    )
    assert len([r for r in got if r[0] is not None]) == want


# --- the return invoices' money asked with no unit ---


@pytest.mark.parametrize(
    "question", ["上个月退货单一共退了多少", "上个月退货单总共退了多少？", "上个月C单一共退了多少"]
)
def test_return_invoices_returned_how_much_is_money(retail: Workspace, question: str) -> None:
    got = rows(retail, question)
    assert len(got[0]) == 1  # the money alone, not the invoices counted beside it
    assert float(got[0][0]) == pytest.approx(number(retail, "上个月退货单一共退了多少钱"))


def test_return_invoices_pieces_are_not_money(retail: Workspace) -> None:
    # look-alike: 多少件 asks pieces, never read as the money
    refused(retail, "上个月退货单一共退了多少件")


# --- a gloss keeping every kind in (w39d38) ---

_TEE_UNITS = (
    "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id WHERE"
    " coalesce(i.clean_title, i.title) LIKE '%T恤%' AND o.paid_at >= '2025-01-01' AND o.paid_at"
    " < '2025-06-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "今年 T恤 一共 走了 几 件（男女 款 都 算）",
        "今年T恤卖了多少件(不分男女)",
        "今年T恤一共卖了几件，男款女款都算",
    ],
)
def test_a_gloss_keeping_every_kind_in(demo: Workspace, question: str) -> None:
    assert number(demo, question) == sql_number(demo, _TEE_UNITS)


def test_a_kind_said_before_the_goods_is_not_read_away(demo: Workspace) -> None:
    # look-alike: 女款 narrows (no such title word here: refused, never the whole)
    refused(demo, "今年女款T恤卖了几件")


# --- the buyers' refunds by place (w39d24) ---


@pytest.mark.parametrize(
    "question",
    ["今年哪个城市的客户退走的钱最多", "今年客户退款最多的城市", "今年哪个城市的买家退掉的钱最多"],
)
def test_the_buyers_refunds_by_city(demo: Workspace, question: str) -> None:
    got = rows(demo, question)
    assert len(got[0]) == 2  # the city and the money, no buyers beside
    assert got[0] == rows(demo, "今年哪个城市的退款金额最多")[0]


def test_refunded_people_by_city_are_not_money(demo: Workspace) -> None:
    # look-alike: the people who had a refund, counted (not the money): never the refund amount
    question = "今年哪个城市退款的客户最多"
    try:
        got = rows(demo, question)
    except Exception:  # refused is fine
        return
    assert got[0] != rows(demo, "今年哪个城市的退款金额最多")[0]


# --- a behaviour's object said at the end (w39d02) and the buying said twice (w39d17) ---

_FAV_MAY = (
    "SELECT count(DISTINCT user_key) FROM events WHERE event_type = 'fav' AND event_time >="
    " '2025-05-01' AND event_time < '2025-06-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "上个月 有 多少 个 访客 收藏 了 商品",
        "上个月有多少访客收藏过商品",
        "How many visitors favorited a product last month",
    ],
)
def test_the_behaviours_object_is_no_breakdown(demo: Workspace, question: str) -> None:
    assert number(demo, question) == sql_number(demo, _FAV_MAY)


def test_each_products_favouriters_keep_the_breakdown(demo: Workspace) -> None:
    assert len(rows(demo, "上个月每个商品有多少访客收藏了")) > 1


_VIEW_TO_BUY = (
    "SELECT count(*) FILTER (WHERE b > 0) * 1.0 / count(*) FROM (SELECT user_key, count(*) FILTER"
    " (WHERE event_type = 'buy') AS b FROM events WHERE event_time >= '2025-01-01' AND event_time"
    " < '2025-06-01' GROUP BY 1 HAVING count(*) FILTER (WHERE event_type = 'view') > 0)"
)


@pytest.mark.parametrize(
    "question",
    ["今年看过商品的访客里最后下单买了的比例", "今年看过商品的访客里最终下单购买了的占比"],
)
def test_viewers_who_went_on_to_buy(demo: Workspace, question: str) -> None:
    got = rows(demo, question)[0]
    assert float(got[-1]) == pytest.approx(sql_number(demo, _VIEW_TO_BUY), abs=1e-4)


# --- a state named with its capital's name (w39o30) and its buyers' money as the part ---

_RJ_SHARE = (
    "SELECT sum(o.paid_amount) FILTER (WHERE c.province = 'RJ') * 1.0 / sum(o.paid_amount) FROM"
    " orders o LEFT JOIN customers c ON c.customer_id = o.customer_id WHERE o.paid_at >="
    " '2018-08-01' AND o.paid_at < '2018-09-01'"
)


@pytest.mark.parametrize(
    "question",
    [
        "8月 进账 当中 里约 RJ州 买家 掏的 钱 占 百分之 几",
        "8月RJ州买家的支付金额占总支付金额的比例",
        "8月里约（RJ州）的支付金额占百分之几",
    ],
)
def test_the_state_named_twice_its_share(olist: Workspace, question: str) -> None:
    got = rows(olist, question)[0]
    assert float(got[-1]) == pytest.approx(sql_number(olist, _RJ_SHARE), abs=1e-4)


def test_the_city_said_as_one_stays_the_city(olist: Workspace) -> None:
    # look-alike: 里约市 is the city (inside RJ), not the state
    want = sql_number(
        olist,
        "SELECT sum(o.paid_amount) FROM orders o JOIN customers c ON c.customer_id = o.customer_id"
        " WHERE c.city = 'rio de janeiro' AND o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01'",
    )
    assert number(olist, "8月里约市 RJ州的支付金额") == pytest.approx(want)


# --- the comment said with the verb that writes it (w39o45) ---

_COMMENTED = (
    "SELECT count(*) FROM reviews WHERE {cond} AND created_at >= '2018-01-01' AND created_at <"
    " '2018-09-01'"
)


@pytest.mark.parametrize(
    "question",
    ["今年 有 写 评语 的 评价 有 几 条", "今年写了评语的评价有多少条", "今年留过文字的评价有多少"],
)
def test_reviews_with_a_written_comment(olist: Workspace, question: str) -> None:
    # each review row, as 评价数 counts them (带文字的评价 already read so)
    want = sql_number(olist, _COMMENTED.format(cond="comment IS NOT NULL AND trim(comment) <> ''"))
    assert number(olist, question) == want


def test_reviews_without_a_comment_are_not_those_with_one(olist: Workspace) -> None:
    # look-alike: 没写评语 is the reviews with none, never those with one
    want = sql_number(olist, _COMMENTED.format(cond="(comment IS NULL OR trim(comment) = '')"))
    assert number(olist, "今年没写评语的评价有几条") == want
