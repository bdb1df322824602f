"""Session 23, helper o (Olist, issue 11): each answer checked against SQL written by hand on the
real workspace; each fix tried in more than one phrasing (Chinese with and without spaces, and
English where it makes sense)."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql

CREATED_2018 = "o.created_at >= '2018-01-01' AND o.created_at < '2018-09-01'"
PAID_2018 = "o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'"


def test_the_part_of_a_share_in_both_wordings(olist: Workspace) -> None:
    """nlq/comparisons.py _part_of_share, one reading of a share's part in its two wordings: the
    value said between 里/中 and 占 ("信用卡订单中RJ占多少"), and of two values the one said
    after the whole they are taken among ("信用卡付的单里 RJ的客户 占多少", "among card
    orders … RJ"). Both: RJ's orders over the card orders of the year."""
    ((part, whole),) = sql(
        olist,
        "SELECT count(*) FILTER (WHERE c.province = 'RJ'), count(*) FROM orders o "
        "JOIN customers c ON c.customer_id = o.customer_id WHERE o.payment_channel = "
        f"'credit_card' AND {CREATED_2018}",
    )
    for q in (
        "今年信用卡订单中RJ占多少",  # between 中 and 占
        "今年 信用卡 订单 里 RJ 占 多少",
        "今年 信用卡 付的单 里 RJ 的 客户 占 多少",  # after the whole it is taken among
        "今年信用卡付的单里RJ的客户占多少",
        "among credit card orders this year, what share came from RJ",
    ):
        assert rows(olist, q) == [(part, whole, round(part / whole, 4))], q


def test_a_word_naming_several_values_is_one_condition_on_the_order(olist: Workspace) -> None:
    """ "同一单里既有家具又有床品的订单": an order with a furniture line (any moveis_ category:
    家具 names six) and a bed linen line (床品 = cama_mesa_banho) — not an order with a line of
    each of the six furniture categories (0). 同一单里 says "on one order"."""
    ((want,),) = sql(
        olist,
        "SELECT count(*) FROM (SELECT i.order_id FROM order_items i JOIN orders o "
        "ON o.order_id = i.order_id JOIN products p ON p.product_id = i.product_id "
        f"WHERE {CREATED_2018} GROUP BY 1 HAVING bool_or(p.category LIKE 'moveis%') "
        "AND bool_or(p.category = 'cama_mesa_banho'))",
    )
    assert want == 32
    for q in (
        "今年 同一单 里 既有 家具 又有 床品 的 订单 几单",
        "今年同一单里既有家具又有床品的订单几单",
        "今年 既有 床品 又有 家具 的 订单 有 多少",
    ):
        assert rows(olist, q) == [(want,)], q


def test_two_values_on_one_order_said_with_the_same_order(olist: Workspace) -> None:
    ((want,),) = sql(
        olist,
        "SELECT count(*) FROM (SELECT order_id FROM payments GROUP BY 1 "
        "HAVING bool_or(channel = 'credit_card') AND bool_or(channel = 'voucher'))",
    )
    assert want == 2245
    for q in (
        "同一单 里 既 用 信用卡 又 用 voucher 付 的 订单 有 多少",
        "同一个订单里同时用信用卡和voucher付的订单有多少",
        "orders paid with both credit card and voucher",
    ):
        assert rows(olist, q) == [(want,)], q


def test_bed_linen_is_its_category(olist: Workspace) -> None:
    ((want,),) = sql(
        olist,
        "SELECT round(avg(r.score), 2) FROM reviews r WHERE r.created_at >= '2018-08-01' "
        "AND r.created_at < '2018-09-01' AND r.order_id IN (SELECT i.order_id FROM order_items i "
        "JOIN products p ON p.product_id = i.product_id WHERE p.category = 'cama_mesa_banho')",
    )
    for q in ("床品 上个月 平均 评几分", "上个月床品的平均评分"):
        assert [float(r[0]) for r in rows(olist, q)] == [float(want)], q


def test_an_orders_paid_amount_said_as_one_payment(olist: Workspace) -> None:
    """ "单笔实付": one order's paid amount (order value) — its median, its highest and lowest."""
    ((median,),) = sql(
        olist,
        "SELECT round(median(paid_amount), 2) FROM orders "
        "WHERE paid_at >= '2018-04-01' AND paid_at < '2018-07-01'",
    )
    for q in ("上季度 单笔 实付 金额 中位数 是 多少", "上季度单笔实付中位数"):
        assert [float(r[0]) for r in rows(olist, q)] == [float(median)], q
    ((hi, lo),) = sql(
        olist,
        "SELECT max(o.paid_amount), min(o.paid_amount) FROM orders o JOIN customers c "
        f"ON c.customer_id = o.customer_id WHERE c.province = 'MG' AND {PAID_2018}",
    )
    assert (float(hi), float(lo)) == (4175.26, 11.56)
    for q in ("今年 MG州 单笔 实付 最大 和 最小 各 多少", "今年MG州单笔实付最大和最小各多少"):
        got = rows(olist, q)
        assert [tuple(map(float, r)) for r in got] == [(float(hi), float(lo))], q
    got = rows(olist, "MG州 今年 订单金额 最小和最大各是多少")
    assert [tuple(map(float, r)) for r in got] == [(float(lo), float(hi))]


@pytest.mark.parametrize("question", ["MG州 今年 最大 的 一单 多少钱", "MG州今年最大的一单多少钱"])
def test_the_largest_order_of_a_state(olist: Workspace, question: str) -> None:
    ((hi,),) = sql(
        olist,
        "SELECT max(o.paid_amount) FROM orders o JOIN customers c "
        f"ON c.customer_id = o.customer_id WHERE c.province = 'MG' AND {PAID_2018}",
    )
    assert [float(r[0]) for r in rows(olist, question)] == [float(hi)]


def test_a_number_word_before_the_kind_counts_the_values_named(olist: Workspace) -> None:
    ((want,),) = sql(
        olist,
        "SELECT count(*) FROM orders o JOIN customers c ON c.customer_id = o.customer_id "
        "WHERE c.province IN ('MG', 'ES') AND o.created_at >= '2018-07-01' "
        "AND o.created_at < '2018-08-01'",
    )
    for q in ("7月 MG 加 ES 两个州 一共 下了 几单", "7月MG和ES两个州一共下了几单"):
        assert rows(olist, q) == [(want,)], q
    refused(olist, "上个月 SP、RJ 三个州 的 订单 一共 多少")  # three said, two named


def test_sellers_counted_then_the_sale_said(olist: Workspace) -> None:
    """ "PR州的卖家有几家卖出过东西": the sellers of PR with a paid line this year; "卖玩具或者
    母婴的卖家": a bare 卖 before the thing sold is a sale too (by payment time)."""
    ((pr,),) = sql(
        olist,
        "SELECT count(DISTINCT i.shop_id) FROM order_items i JOIN orders o "
        "ON o.order_id = i.order_id JOIN shops s ON s.shop_id = i.shop_id "
        f"WHERE s.province = 'PR' AND {PAID_2018}",
    )
    assert pr == 266
    for q in ("今年 PR州 的 卖家 有 几家 卖 出 过 东西", "今年PR州的卖家有几家卖出过东西"):
        assert rows(olist, q) == [(pr,)], q
    ((toys,),) = sql(
        olist,
        "SELECT count(DISTINCT i.shop_id) FROM order_items i JOIN orders o "
        "ON o.order_id = i.order_id JOIN products p ON p.product_id = i.product_id "
        "WHERE p.category IN ('brinquedos', 'bebes') AND o.paid_at >= '2018-08-01' "
        "AND o.paid_at < '2018-09-01'",
    )
    for q in ("上个月 卖 玩具 或者 母婴 的 卖家 有 几家", "上个月卖玩具或母婴的卖家有几家"):
        assert rows(olist, q) == [(toys,)], q
    ((rs,),) = sql(olist, "SELECT count(*) FROM shops WHERE province = 'RS'")
    for q in ("注册 在 RS州 的 卖家 一共 多少家", "注册在RS州的卖家有几家"):
        assert rows(olist, q) == [(rs,)], q


def test_reviews_said_in_other_words(olist: Workspace) -> None:
    ((five, alls),) = sql(
        olist,
        "SELECT count(*) FILTER (WHERE score = 5), count(*) FROM reviews "
        "WHERE created_at >= '2018-08-01' AND created_at < '2018-09-01'",
    )
    for q in ("8月 的 评价 里 满分 5星 占 多少", "8月的评价里满分5星占多少"):
        assert rows(olist, q) == [(five, alls, round(five / alls, 4))], q
    ((shop, bad),) = sql(
        olist,
        "SELECT x.shop_id, count(*) FROM reviews r JOIN (SELECT DISTINCT order_id, shop_id "
        "FROM order_items) x ON x.order_id = r.order_id WHERE r.score <= 2 "
        "AND r.created_at >= '2018-01-01' AND r.created_at < '2018-09-01' "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    for q in ("今年 被 打 差评 最多 的 卖家 是 哪个", "今年被打差评最多的卖家是哪个"):
        assert rows(olist, q)[0][:2] == (shop, bad), q
    ((dow, n),) = sql(
        olist,
        "SELECT isodow(created_at), count(*) FROM reviews WHERE created_at >= '2018-01-01' "
        "AND created_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    for q in ("今年 星期几 收到 的 评价 最多", "今年星期几收到的评价最多"):
        got = rows(olist, q)[0]
        assert (got[0], got[-1]) == (dow, n), q


def test_a_state_against_the_other_states(olist: Workspace) -> None:
    ((sp, rest),) = sql(
        olist,
        "SELECT round(sum(o.paid_amount) FILTER (WHERE c.province = 'SP') / count(*) FILTER "
        "(WHERE c.province = 'SP'), 2), round(sum(o.paid_amount) FILTER (WHERE c.province <> "
        "'SP') / count(*) FILTER (WHERE c.province <> 'SP'), 2) FROM orders o JOIN customers c "
        f"ON c.customer_id = o.customer_id WHERE {PAID_2018}",
    )
    for q in ("今年 SP州 vs 其他州 的 客单价", "今年SP州和外州的客单价对比"):
        got = rows(olist, q)
        assert [(r[0], float(r[1])) for r in got] == [("SP", float(sp)), ("其他", float(rest))], q


def test_a_week_of_the_year_by_its_number(olist: Workspace) -> None:
    """ "今年第30周": ISO week 30 of 2018, Monday 23 – Sunday 29 July (not Monday: 第30周一共)."""
    ((want,),) = sql(
        olist,
        "SELECT count(*) FROM orders WHERE week(created_at) = 30 "
        "AND created_at >= '2018-01-01' AND created_at < '2018-09-01'",
    )
    assert want == 1646
    for q in ("今年 第30周 一共 几单", "今年第30周一共几单", "2018 week 30 orders"):
        assert rows(olist, q) == [(want,)], q
