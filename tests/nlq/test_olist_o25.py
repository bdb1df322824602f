"""Session 25, helper o (Olist, issue 11): each answer checked against SQL written by hand on the
real workspace; each fix tried in more than one phrasing (Chinese with and without spaces, and
English or Portuguese where it makes sense)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shopql.nlq.session import Workspace
from tests.nlq.helpers import rows as _rows
from tests.nlq.helpers import sql

PAID_2018 = "o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'"
REVIEWED_2018 = "r.created_at >= '2018-01-01' AND r.created_at < '2018-09-01'"


def rows(ws: Workspace, question: str) -> list[tuple[Any, ...]]:
    """The answer's rows, a decimal as the float the hand-written SQL gives (cast to DOUBLE)."""
    return [
        tuple(float(v) if isinstance(v, Decimal) else v for v in r) for r in _rows(ws, question)
    ]


def test_orders_paid_then_cancelled_count_by_payment_time(olist: Workspace) -> None:
    """nlq/timebasis: one count said twice (订单 … 几单) still takes its event word (付款) as its
    time basis; languages.yaml: the contrast between paid and cancelled (但 最后 被) says no more."""
    ((july,),) = sql(
        olist,
        "SELECT count(*) FROM orders o WHERE status = 'cancelled' AND "
        "o.paid_at >= '2018-07-01' AND o.paid_at < '2018-08-01'",
    )
    ((year,),) = sql(
        olist, f"SELECT count(*) FROM orders o WHERE status = 'cancelled' AND {PAID_2018}"
    )
    assert (july, year) == (51, 398)
    for q in (
        "7月 付了 款 但 最后 被 取消 的 单 有 几单",
        "7月付款后又被取消的订单有几单",
        "7月付了款但是最后取消了的订单有多少",
        "7月付款的取消订单有几单",
    ):
        assert rows(olist, q) == [(july,)], q
    assert rows(olist, "今年付过款却被取消的单有几个") == [(year,)]


def test_event_word_before_a_dimension_word_is_the_breakdown(olist: Workspace) -> None:
    """nlq/timebasis._part_of_a_dimension: "按 付款 渠道 拆" names the breakdown, the count keeps
    its own time (orders placed this year by payment channel)."""
    got = dict(rows(olist, "今年 订单 按 付款 方式 拆 各 几单"))
    want = dict(
        sql(
            olist,
            "SELECT payment_channel, count(*) FROM orders o WHERE o.created_at >= '2018-01-01' "
            "AND o.created_at < '2018-09-01' GROUP BY 1",
        )
    )
    assert got == want


def test_people_who_gave_a_score_are_the_reviewers(olist: Workspace) -> None:
    """catalog metric reviewers (distinct buyers of the reviews written in the period);
    offline._reviewers_counted: buyers with a score given in a period are those reviewers."""
    ((one_star,),) = sql(
        olist,
        "SELECT count(DISTINCT o.one_id) FROM reviews r JOIN orders o ON o.order_id = r.order_id "
        f"WHERE r.score = 1 AND {REVIEWED_2018} AND o.one_id IS NOT NULL",
    )
    ((five_star,),) = sql(
        olist,
        "SELECT count(DISTINCT o.one_id) FROM reviews r JOIN orders o ON o.order_id = r.order_id "
        f"WHERE r.score = 5 AND {REVIEWED_2018} AND o.one_id IS NOT NULL",
    )
    assert (one_star, five_star) == (6615, 31674)
    for q in (
        "今年打过1星的买家有多少人",
        "今年 给了 1星 的 客户 有几个",
        "how many buyers gave a 1-star review this year",
    ):
        assert rows(olist, q) == [(one_star,)], q
    assert rows(olist, "今年 给了 5星 的 客户 有几个") == [(five_star,)]
    ((reviewers,),) = sql(
        olist,
        "SELECT count(DISTINCT o.one_id) FROM reviews r JOIN orders o ON o.order_id = r.order_id "
        f"WHERE {REVIEWED_2018}",
    )
    assert rows(olist, "今年写过评价的买家有多少") == [(reviewers,)]


def test_reviews_per_reviewer(olist: Workspace) -> None:
    """catalog ratio reviews_per_reviewer; languages.yaml: 写过评价的买家 平均每人写了几条."""
    ((ratio,),) = sql(
        olist,
        "SELECT round(count(*) * 1.0 / count(DISTINCT o.one_id), 4) FROM reviews r JOIN orders o "
        f"ON o.order_id = r.order_id WHERE {REVIEWED_2018}",
    )
    assert ratio == 1.0279
    for q in (
        "今年写过评价的买家 平均每人写了几条",
        "今年写过评价的买家平均每人写几条评价",
        "今年 评价过的客户 人均 几条 评价",
    ):
        assert rows(olist, q) == [(ratio,)], q


def test_at_least_n_reviews_still_counts_reviews(olist: Workspace) -> None:
    """thresholds._row_counts: "至少50条评价" counts the review rows (review_count), not the
    reviewers beside them."""
    got = rows(olist, "上个月 平均评分 最低的州 (至少50条评价)")
    want = sql(
        olist,
        "SELECT c.province FROM reviews r JOIN orders o ON o.order_id = r.order_id JOIN "
        "customers c ON c.customer_id = o.customer_id WHERE r.created_at >= '2018-08-01' AND "
        "r.created_at < '2018-09-01' GROUP BY 1 HAVING count(*) >= 50 ORDER BY avg(r.score) "
        "LIMIT 1",
    )
    assert got[0][0] == want[0][0]


def test_a_ranking_under_a_condition_is_by_the_exact_value(olist: Workspace) -> None:
    """catalog/compiler._having keeps the exact value of a rounded column: the 5th seller
    (4.5932) comes before one at 4.5893, both shown 4.59."""
    want = sql(
        olist,
        "SELECT shop_id FROM (SELECT DISTINCT i.shop_id, r.review_id, r.order_id, r.score FROM "
        "reviews r JOIN order_items i ON i.order_id = r.order_id WHERE r.created_at >= "
        "'2018-01-01' AND r.created_at < '2019-01-01') GROUP BY 1 HAVING count(*) >= 50 "
        "ORDER BY avg(score) DESC LIMIT 5",
    )
    got = rows(
        olist,
        "Which 5 sellers had the best average review score in 2018, with at least 50 reviews?",
    )
    assert [r[0] for r in got] == [r[0] for r in want]
    assert want[4][0] == "olist:e882b2a25a10b9c057cc49695f222c19"


def test_items_sold_are_the_units(olist: Workspace) -> None:
    """lexicon: "how many items did we sell" / "quantos itens … vendemos" are the pieces sold."""
    ((july,),) = sql(
        olist,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "WHERE o.paid_at >= '2018-07-01' AND o.paid_at < '2018-08-01'",
    )
    ((august,),) = sql(
        olist,
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "WHERE o.paid_at >= '2018-08-01' AND o.paid_at < '2018-09-01'",
    )
    assert (july, august) == (6960, 7438)
    assert rows(olist, "how many items did we sell in July") == [(july,)]
    assert rows(olist, "how many items were sold in july") == [(july,)]
    for q in (
        "Quantos itens a mais vendemos em agosto do que em julho?",
        "how many more items did we sell in August than in July",
    ):
        got = rows(olist, q)
        assert len(got) == 1 and got[0][0] == august and got[0][-1] == august - july, q


def test_units_per_buyer_in_portuguese(olist: Workspace) -> None:
    """languages.yaml pt: levou (took) said of a buyer is bought."""
    ((ratio,),) = sql(
        olist,
        "SELECT sum(i.quantity) * 1.0 / count(DISTINCT o.one_id) FROM order_items i JOIN orders o "
        f"ON o.order_id = i.order_id WHERE o.one_id IS NOT NULL AND {PAID_2018}",
    )
    got = rows(olist, "Em 2018, quantos itens em média cada comprador levou?")
    assert abs(got[0][0] - ratio) < 1e-4


def test_a_card_swiped_is_the_payment_channel(olist: Workspace) -> None:
    """languages.yaml: 刷信用卡 = 用信用卡 (the credit card paid with)."""
    ((orders,),) = sql(
        olist,
        "SELECT count(*) FROM orders o WHERE payment_channel = 'credit_card' AND "
        "o.created_at >= '2018-01-01' AND o.created_at < '2018-09-01'",
    )
    assert rows(olist, "今年 刷 信用卡 的 订单 有 几单") == [(orders,)]
    ((people,),) = sql(
        olist,
        "SELECT count(*) FROM (SELECT one_id, min(paid_at) AS f, arg_min(payment_channel, "
        "paid_at) AS ch FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL GROUP BY 1) "
        "WHERE f >= '2018-08-01' AND f < '2018-09-01' AND ch = 'credit_card'",
    )
    assert people == 4851
    assert rows(olist, "8月新客里首单刷信用卡的有几个") == [(people,)]


def test_average_order_sold_and_order_count_words(olist: Workspace) -> None:
    """languages.yaml: 平均每单卖多少钱 = 平均每单多少钱 (客单价, here of a category's lines);
    lexicon: 单数 counts orders (付款 单数: by payment time)."""
    ((per_order,),) = sql(
        olist,
        "SELECT round(sum(i.paid_amount) / count(DISTINCT o.order_id), 2)::DOUBLE FROM "
        "order_items i JOIN orders o ON o.order_id = i.order_id JOIN products p ON "
        f"p.product_id = i.product_id WHERE p.category = 'pet_shop' AND {PAID_2018}",
    )
    for q in ("宠物 用品 今年 平均 每单 卖 多少 钱", "宠物用品今年平均每单卖多少钱"):
        assert rows(olist, q) == [(per_order,)], q
    want = sql(
        olist,
        "SELECT date_trunc('month', o.paid_at)::DATE, o.payment_channel, count(*) FROM orders o "
        f"WHERE {PAID_2018} GROUP BY 1, 2",
    )
    got = rows(olist, "按 付款 方式 看 今年 每个 月 的 付款 单数")
    assert sorted((str(r[0])[:10], r[1], r[2]) for r in got) == sorted(
        (str(r[0]), r[1], r[2]) for r in want
    )


def test_midnight_to_an_hour_is_before_it(olist: Workspace) -> None:
    """languages.yaml: 半夜到早上6点前 = 6点前; an hour range's end said with 前 is its end."""
    ((early,),) = sql(
        olist, f"SELECT count(*) FROM orders o WHERE hour(o.paid_at) < 6 AND {PAID_2018}"
    )
    ((noon,),) = sql(
        olist,
        f"SELECT count(*) FROM orders o WHERE hour(o.paid_at) BETWEEN 12 AND 17 AND {PAID_2018}",
    )
    for q in ("今年半夜到早上6点前付款的订单数", "今年 零点 到 6点 之前 付款 的 订单 有 几单"):
        assert rows(olist, q) == [(early,)], q
    assert rows(olist, "今年中午12点到下午6点前付款的订单数") == [(noon,)]


def test_two_states_excluded_with_their_kind_word(olist: Workspace) -> None:
    """reading._kinds_folded: "除了SP州和RJ州以外" leaves both states out (it read RJ as kept)."""
    ((spent,),) = sql(
        olist,
        "SELECT round(sum(o.paid_amount), 2)::DOUBLE FROM orders o JOIN customers c ON "
        f"c.customer_id = o.customer_id WHERE c.province NOT IN ('SP', 'RJ') AND {PAID_2018}",
    )
    for q in (
        "今年除了SP州和RJ州以外的买家一共花了多少",
        "今年除了SP州和RJ州的买家一共花了多少",
        "今年除了SP和RJ的买家一共花了多少",
    ):
        assert rows(olist, q) == [(spent,)], q


def test_the_weekday_reviews_are_written_most(olist: Workspace) -> None:
    """languages.yaml: 写评价的 (written, as 收到的评价) before 最多 counts the reviews."""
    ((day, n),) = sql(
        olist,
        "SELECT isodow(created_at), count(*) FROM reviews WHERE created_at >= '2018-01-01' AND "
        "created_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    for q in ("今年 一周 里 哪天 写 评价 的 最多", "今年星期几写评价的最多"):
        got = rows(olist, q)
        assert (got[0][0], got[0][-1]) == (day, n), q


def test_a_condition_on_the_goods_amount(olist: Workspace) -> None:
    """catalog threshold goods_value: 商品金额在50到100之间 / 落在50到100块 / 超过200 filter the
    orders' goods amount (by order time, as the count of orders reads)."""
    ((between, over),) = sql(
        olist,
        "SELECT count(*) FILTER (WHERE goods_amount BETWEEN 50 AND 100), count(*) FILTER "
        "(WHERE goods_amount > 200) FROM orders WHERE created_at >= '2018-01-01' AND "
        "created_at < '2018-09-01'",
    )
    assert (between, over) == (14937, 8008)
    for q in (
        "今年商品金额在50到100之间的订单有几单",
        "今年下的单里 商品金额落在50到100块的有多少单",
        "今年 商品金额 落在 50到100之间 的 订单 有 几单",
    ):
        assert rows(olist, q) == [(between,)], q
    assert rows(olist, "今年商品金额超过200的订单有几单") == [(over,)]
