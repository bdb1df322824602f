"""Demo brand questions (session 28, helper g), values against hand-written SQL on the session
demo (seed 7): the stock less what is reserved said as a subtraction (可用的库存 减掉预占) is the
available stock, and 可用库存还有多少 asks it alone; pieces bounded in a warehouse (嘉兴仓里超过100件的
货号) are its stock on hand; the values of one kind said together right before 占 (天猫京东两家合计占)
are a share's part, every other value said before them narrows the whole."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.nlq.helpers import rows, sql, unknown

_LATEST = (
    "SELECT outer_code, warehouse, arg_max(on_hand, as_of) AS on_hand, "
    "arg_max(reserved, as_of) AS reserved FROM inventory GROUP BY 1, 2"
)


def _warehouses(demo: Any) -> list[str]:
    return [w for (w,) in sql(demo, "SELECT DISTINCT warehouse FROM inventory ORDER BY 1")]


@pytest.mark.parametrize(
    "question",
    [
        "{w}现在可用的库存 减掉预占 还有多少件",
        "{w}现在可用的库存减掉预占还有多少件",
        "{w} 库存 扣掉 占用的 还剩 几件",
        "{w}在库数量减去预留还有多少",
        "{w}可用的库存有多少",
        "{w}可用库存还有多少件",
    ],
)
def test_stock_less_reserved_said_as_a_subtraction(demo: Any, question: str) -> None:
    warehouse = _warehouses(demo)[0]
    ((want,),) = sql(
        demo,
        f"SELECT sum(on_hand - reserved) FROM ({_LATEST}) WHERE warehouse = '{warehouse}'",
    )
    (row,) = rows(demo, question.format(w=warehouse))
    assert [float(v) for v in row] == [float(want)], question


def test_stock_left_alone_is_still_on_hand(demo: Any) -> None:
    warehouse = _warehouses(demo)[0]
    ((want,),) = sql(demo, f"SELECT sum(on_hand) FROM ({_LATEST}) WHERE warehouse = '{warehouse}'")
    (row,) = rows(demo, f"{warehouse}还有多少件")
    assert [float(v) for v in row] == [float(want)]


@pytest.mark.parametrize(
    ("question", "op"),
    [
        ("{w}里现在超过{n}件的货号有几个", ">"),
        ("{w}里超过{n}件的货号有几个", ">"),
        ("{w} 里 现在 超过 {n} 件 的 货号 有 几个", ">"),
        ("{w}里库存超过{n}件的货号有几个", ">"),
        ("{w}不到{n}件的货号有几个", "<"),
    ],
)
def test_pieces_bounded_in_a_warehouse_are_its_stock(demo: Any, question: str, op: str) -> None:
    warehouse = _warehouses(demo)[0]
    ((n,),) = sql(
        demo, f"SELECT median(on_hand)::INT FROM ({_LATEST}) WHERE warehouse = '{warehouse}'"
    )
    ((want,),) = sql(
        demo,
        f"SELECT count(*) FROM ({_LATEST}) WHERE warehouse = '{warehouse}' AND on_hand {op} {n}",
    )
    assert 0 < want
    (row,) = rows(demo, question.format(w=warehouse, n=n))
    assert [int(v) for v in row] == [want], question


@pytest.mark.parametrize(
    "question",
    [
        "{c}今年卖的钱 天猫京东两家合计占百分之多少",
        "{c}今年卖的钱天猫京东两家合计占百分之多少",
        "今年{c}的销售额 天猫和京东加起来占多少",
        "今年{c}的销售额里天猫和京东合计占的比例",
        "{c} 今年 卖的钱 天猫 京东 这两家 加起来 占了 多少",
    ],
)
def test_values_said_together_before_the_share_are_its_part(demo: Any, question: str) -> None:
    ((category,),) = sql(
        demo,
        "SELECT coalesce(i.category, p.category) FROM order_items i LEFT JOIN products p "
        "ON p.product_id = i.product_id JOIN orders o ON o.order_id = i.order_id "
        "WHERE o.platform IN ('tmall', 'jd') GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
    )
    year = demo.today.replace(month=1, day=1)
    ((part, whole),) = sql(
        demo,
        "SELECT sum(i.paid_amount) FILTER (WHERE o.platform IN ('tmall', 'jd')), "
        "sum(i.paid_amount) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "LEFT JOIN products p ON p.product_id = i.product_id "
        f"WHERE coalesce(i.category, p.category) = '{category}' "
        f"AND o.paid_at >= DATE '{year}' AND o.paid_at < DATE '{demo.today}'",
    )
    (row,) = rows(demo, question.format(c=category))
    assert float(row[0]) == pytest.approx(float(part), abs=0.01), question
    assert float(row[-1]) == pytest.approx(float(part) / float(whole), abs=1e-4), question


def test_values_restated_by_their_number_are_placed(demo: Any) -> None:
    year = demo.today.replace(month=1, day=1)
    ((want,),) = sql(
        demo,
        "SELECT sum(paid_amount) FROM orders WHERE platform IN ('tmall', 'jd') "
        f"AND paid_at >= DATE '{year}' AND paid_at < DATE '{demo.today}'",
    )
    (row,) = rows(demo, "天猫京东两家今年一共卖了多少")
    assert float(row[0]) == pytest.approx(float(want), abs=0.01)


@pytest.mark.parametrize(
    ("question", "event"),
    [
        ("今年加购的次数是购买次数的几倍", "cart"),
        ("今年 加购次数 是 购买次数 的 几倍", "cart"),
        ("今年浏览次数和购买次数的比", "view"),
        ("今年收藏的次数是购买的次数的几倍", "fav"),
    ],
)
def test_purchases_beside_another_event_count_are_buy_events(
    demo: Any, question: str, event: str
) -> None:
    """'加购次数是购买次数的几倍': the buy events of the behaviour data, as the cart events are
    (not the orders table's purchases)."""
    this_year = f"event_time >= DATE '{demo.today.year}-01-01' AND event_time < DATE '{demo.today}'"
    ((a, buys),) = sql(
        demo,
        f"SELECT count(*) FILTER (WHERE event_type = '{event}'), count(*) FILTER (WHERE "
        f"event_type = 'buy') FROM events WHERE {this_year}",
    )
    assert buys > 0
    ((got_a, got_b, ratio),) = rows(demo, question)
    assert (got_a, got_b) == (a, buys), question
    assert float(ratio) == pytest.approx(a / buys, abs=1e-4), question


_REFUNDS = (
    "SELECT r.order_id, r.amount, coalesce(r.finished_at, r.requested_at, o.paid_at, o.created_at)"
    " AS refunded_at FROM refunds r LEFT JOIN orders o ON o.order_id = r.order_id WHERE r.status IS"
    " NULL OR lower(r.status) = 'success' UNION ALL SELECT o.order_id, o.refund_amount,"
    " coalesce(o.paid_at, o.created_at) FROM orders o WHERE o.refund_amount <> 0 AND NOT EXISTS"
    " (SELECT 1 FROM refunds r WHERE r.order_id = o.order_id)"
)


@pytest.mark.parametrize(
    "question",
    [
        "上个月平均每个退款的客户退了多少钱",
        "上个月 平均 每个 退款 的 客户 退了 多少钱",
        "上个月平均每位退过款的买家退了多少钱",
        "上个月退款的客户平均每人退了多少钱",
    ],
)
def test_average_said_before_the_people_of_a_clause(demo: Any, question: str) -> None:
    """'平均每个退款的客户退了多少钱': the refunds over the people who had them (as 退款的客户平均每人
    退了多少钱), not a refused 平均."""
    end = demo.today.replace(day=1)
    start = (end - dt.timedelta(days=1)).replace(day=1)
    ((want,),) = sql(
        demo,
        f"SELECT sum(e.amount) / count(DISTINCT o.one_id) FROM ({_REFUNDS}) e JOIN orders o ON "
        f"o.order_id = e.order_id WHERE o.one_id IS NOT NULL AND e.refunded_at >= DATE '{start}' "
        f"AND e.refunded_at < DATE '{end}'",
    )
    (row,) = rows(demo, question)
    assert float(row[0]) == pytest.approx(float(want), abs=0.01), question


@pytest.mark.parametrize(
    "question",
    [
        "上个月的新客户里 首单超过500的有几个",
        "上个月的新客户里首单超过500块的有几个",
        "上个月 新客户 里 首单 超过 500 的 有 几个",
        "上个月首单超过500的新客有多少人",
    ],
)
def test_first_order_bounded_by_an_amount(demo: Any, question: str) -> None:
    """'新客户里 首单超过500的': the first order's amount bounded (as 首单金额超过500)."""
    end = demo.today.replace(day=1)
    start = (end - dt.timedelta(days=1)).replace(day=1)
    ((want,),) = sql(
        demo,
        "SELECT count(*) FROM (SELECT one_id, min(paid_at) AS f, arg_min(paid_amount, paid_at) AS "
        "amt FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL GROUP BY 1) WHERE f >= "
        f"DATE '{start}' AND f < DATE '{end}' AND amt > 500",
    )
    assert want > 0
    assert rows(demo, question) == [(want,)], question


@pytest.mark.parametrize(
    "question",
    [
        "今年 每个月 加购 的 人 里 最后 买了 的 比例",
        "今年每个月加购的人里最后买了的比例",
        "今年每个月加购过的人里有多少比例买了",
    ],
)
def test_people_of_one_behaviour_among_another_each_month(demo: Any, question: str) -> None:
    """'每个月加购的人里买了的比例': within each month, the visitors with a cart and a buy event
    over those with a cart event (as the question without 每个月 is answered)."""
    want = sql(
        demo,
        "WITH m AS (SELECT date_trunc('month', event_time) AS month, user_key, "
        "bool_or(event_type = 'cart') AS c, bool_or(event_type = 'buy') AS b FROM events "
        f"WHERE event_time >= DATE '{demo.today.year}-01-01' AND event_time < DATE '{demo.today}' "
        "GROUP BY 1, 2) SELECT CAST(month AS DATE)::VARCHAR, count(*) FILTER (WHERE c AND b), "
        "count(*) FILTER (WHERE c) FROM m GROUP BY 1 HAVING count(*) FILTER (WHERE c) > 0 "
        "ORDER BY 1",
    )
    assert len(want) > 1
    got = rows(demo, question)
    assert [(str(r[0])[:10], r[1], r[2]) for r in got] == want, question
    assert all(float(r[3]) == pytest.approx(r[1] / r[2], abs=1e-4) for r in got), question


@pytest.mark.parametrize(
    ("question", "column"),
    [
        ("今年京东平均每单收了多少运费", "shipping_fee"),
        ("今年 京东 平均 每单 收 了 多少 运费", "shipping_fee"),
        ("今年京东平均每个订单收多少运费", "shipping_fee"),
        ("今年京东平均每单收了多少优惠", "discount_amount"),
    ],
)
def test_an_order_amount_asked_per_order_is_its_average(
    demo: Any, question: str, column: str
) -> None:
    """'平均每单收了多少运费': the freight's average over the orders — was the order value beside
    the freight's total (a confident wrong pair)."""
    ((want,),) = sql(
        demo,
        f"SELECT avg({column}) FROM orders WHERE platform = 'jd' AND created_at >= "
        f"DATE '{demo.today.year}-01-01' AND created_at < DATE '{demo.today}'",
    )
    (row,) = rows(demo, question)
    assert len(row) == 1 and float(row[0]) == pytest.approx(float(want), abs=0.005), question


def test_the_order_value_and_the_freight_asked_apart_stay_two(demo: Any) -> None:
    (row,) = rows(demo, "今年客单价和运费")
    assert len(row) == 2


def _last_month_refunds(demo: Any) -> str:
    end = demo.today.replace(day=1)
    start = (end - dt.timedelta(days=1)).replace(day=1)
    return (
        f"SELECT count(*), sum(e.amount) FROM ({_REFUNDS}) e WHERE e.refunded_at >= "
        f"DATE '{start}' AND e.refunded_at < DATE '{end}'"
    )


@pytest.mark.parametrize(
    "question",
    ["上个月退款一共多少笔 多少钱", "上个月退款一共多少笔多少钱", "上个月 退款 总共 几笔 多少钱"],
)
def test_refund_strokes_and_their_money(demo: Any, question: str) -> None:
    """'退款一共多少笔 多少钱': the refund records and the money refunded, one row."""
    ((n, amount),) = sql(demo, _last_month_refunds(demo))
    ((got_n, got_amount),) = rows(demo, question)
    assert got_n == n and float(got_amount) == pytest.approx(float(amount), abs=0.01), question


def test_refund_strokes_alone(demo: Any) -> None:
    ((n, _),) = sql(demo, _last_month_refunds(demo))
    assert rows(demo, "上个月退款一共多少笔") == [(n,)]


def test_refund_amounts_plural(demo: Any) -> None:
    assert rows(demo, "Refund amounts last month: JD vs Douyin?") == rows(
        demo, "Refund amount last month: JD vs Douyin?"
    )


@pytest.mark.parametrize(
    "question",
    [
        "今年 加购 的 访客 集中 在 哪个 钟点",
        "今年加购的访客集中在哪个钟点",
        "今年加购的访客主要集中在几点",
    ],
)
def test_concentrated_in_which_is_the_top_one(demo: Any, question: str) -> None:
    """'集中在哪个钟点': the hour with the most, as 哪个钟点最集中 / 最多."""
    ((hour, n),) = sql(
        demo,
        "SELECT hour(event_time), count(DISTINCT user_key) FROM events WHERE event_type = 'cart' "
        f"AND event_time >= DATE '{demo.today.year}-01-01' AND event_time < DATE '{demo.today}' "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1",
    )
    (row,) = rows(demo, question)
    assert (row[0], row[-1]) == (hour, n), question


@pytest.mark.parametrize(
    "question",
    ["今年退款金额冲得最高的是几月", "今年退款金额最高的是几月", "今年 退款金额 冲到 最高 是 几月"],
)
def test_which_month_said_as_ji_yue_in_a_ranking(demo: Any, question: str) -> None:
    """'最高的是几月': the month ranked first (几月 as 哪个月; 冲得 adds nothing)."""
    ((month, amount),) = sql(
        demo,
        f"SELECT month(e.refunded_at), sum(e.amount) FROM ({_REFUNDS}) e WHERE e.refunded_at >= "
        f"DATE '{demo.today.year}-01-01' AND e.refunded_at < DATE '{demo.today}' GROUP BY 1 "
        "ORDER BY 2 DESC LIMIT 1",
    )
    (row,) = rows(demo, question)
    assert int(str(row[0])[5:7]) == month, question
    assert float(row[-1]) == pytest.approx(float(amount), abs=0.01), question


@pytest.mark.parametrize(
    "question",
    ["今年1月加上5月一共多少单", "今年1月再加上5月 一共多少单", "今年 1月 加上 5月 一共 多少单"],
)
def test_a_period_added_to_another(demo: Any, question: str) -> None:
    """'1月再加上5月 一共': each period's own figure added up (加上 as 和 between periods)."""
    y = demo.today.year
    ((want,),) = sql(
        demo,
        f"SELECT count(*) FROM orders WHERE (created_at >= DATE '{y}-01-01' AND created_at < "
        f"DATE '{y}-02-01') OR (created_at >= DATE '{y}-05-01' AND created_at < DATE '{y}-06-01')",
    )
    assert rows(demo, question) == [(want,)], question


def test_an_amount_added_to_another_is_not_a_period(demo: Any) -> None:
    """'销售额加上运费一共多少' asks one sum: not read as the two figures side by side."""
    assert "加" in unknown(demo, "今年销售额加上运费一共多少")


def _first_orders(demo: Any, condition: str) -> int:
    end = demo.today.replace(day=1)
    start = (end - dt.timedelta(days=1)).replace(day=1)
    ((n,),) = sql(
        demo,
        "WITH f AS (SELECT one_id, min(paid_at) AS f, arg_min(order_id, paid_at) AS first_order, "
        "arg_min(paid_amount, paid_at) AS amt FROM orders WHERE paid_at IS NOT NULL AND one_id IS "
        "NOT NULL GROUP BY 1), u AS (SELECT order_id, sum(quantity) AS units FROM order_items "
        "GROUP BY 1) SELECT count(*) FROM f LEFT JOIN u ON u.order_id = f.first_order WHERE "
        f"f.f >= DATE '{start}' AND f.f < DATE '{end}' AND {condition}",
    )
    return int(n)


@pytest.mark.parametrize(
    ("question", "condition"),
    [
        ("上个月 第一次 下单 就 买了 两件 以上 的 新 客户 有 几个", "u.units >= 2"),
        ("上个月第一次下单就买了两件以上的新客户有几个", "u.units >= 2"),
        ("上个月第一次购买就买了3件以上的新客户有几个", "u.units >= 3"),
        ("上个月首单就超过500的新客有几个", "f.amt > 500"),
    ],
)
def test_first_order_said_as_the_first_time(demo: Any, question: str, condition: str) -> None:
    want = _first_orders(demo, condition)
    assert want > 0
    assert rows(demo, question) == [(want,)], question


@pytest.mark.parametrize(
    "question",
    [
        "上个月老客户在抖音上花了多少 (不算新客)",
        "上个月老客户在抖音上花了多少（不包括新客户）",
        "上个月老客户在抖音上花了多少",
    ],
)
def test_new_buyers_left_out_beside_the_returning_restate_them(demo: Any, question: str) -> None:
    end = demo.today.replace(day=1)
    start = (end - dt.timedelta(days=1)).replace(day=1)
    ((want,),) = sql(
        demo,
        "SELECT sum(o.paid_amount) FROM orders o JOIN (SELECT one_id, min(paid_at) AS f FROM "
        "orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL GROUP BY 1) f ON f.one_id = "
        f"o.one_id WHERE o.platform = 'douyin' AND f.f < DATE '{start}' AND o.paid_at >= "
        f"DATE '{start}' AND o.paid_at < DATE '{end}'",
    )
    (row,) = rows(demo, question)
    assert float(row[0]) == pytest.approx(float(want), abs=0.01), question
