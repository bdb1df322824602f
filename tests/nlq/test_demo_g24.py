"""Demo brand questions (session 24, helper g), values against hand-written SQL on the session
demo (seed 7, today 2025-06-01): the share of a behaviour group asked right after its people
('浏览过的人有几成加购了': the viewers who also carted), an event averaged over its own people
('收藏过的人平均每人收藏几次'), the times an event happened ('被收藏的次数'), '浏览的人数' as one
word, a running range in days compared with the same days before, holidays (劳动节, 妇女节, the
day itself: 当天), 'which way did it go' (是涨是跌) and orders without a discount (没用优惠)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from shopql.catalog import TimeRange, previous_range
from tests.nlq.helpers import refused, rows, sql


def _last_month(demo: Any) -> tuple[dt.date, dt.date]:
    end = demo.today.replace(day=1)
    return (end - dt.timedelta(days=1)).replace(day=1), end


def _days(demo: Any, n: int) -> tuple[dt.date, dt.date]:
    return demo.today - dt.timedelta(days=n), demo.today


@pytest.mark.parametrize(
    "question",
    [
        "上个月浏览过的人有几成加购了",
        "上个月 浏览过 的 人 有 几成 加购 了",
        "上个月浏览的人数有几成加购了",
    ],
)
def test_share_said_right_after_the_people(demo: Any, question: str) -> None:
    """'浏览过的人有几成加购了' (浏览过的人: one metric name, the viewers) was refused ("a share
    needs the whole said after 占"): the viewers who ALSO carted over the viewers — on this demo
    2 of last month's carters viewed nothing, so it is not every carter over the viewers."""
    start, end = _last_month(demo)
    ((both, viewers, carters),) = sql(
        demo,
        "SELECT count(*) FILTER (WHERE v AND k), count(*) FILTER (WHERE v), "
        "count(*) FILTER (WHERE k) FROM (SELECT user_key, bool_or(event_type = 'view') AS v, "
        "bool_or(event_type = 'cart') AS k FROM events WHERE event_time >= "
        f"DATE '{start}' AND event_time < DATE '{end}' GROUP BY 1)",
    )
    assert both < carters  # the two readings differ here
    (row,) = rows(demo, question)
    assert row[:2] == (both, viewers)
    assert row[-1] == pytest.approx(both / viewers, abs=1e-4)


def test_share_right_after_the_people_with_another_event(demo: Any) -> None:
    start, end = _last_month(demo)
    ((both, viewers),) = sql(
        demo,
        "SELECT count(*) FILTER (WHERE v AND f), count(*) FILTER (WHERE v) FROM (SELECT "
        "user_key, bool_or(event_type = 'view') AS v, bool_or(event_type = 'fav') AS f FROM "
        f"events WHERE event_time >= DATE '{start}' AND event_time < DATE '{end}' GROUP BY 1)",
    )
    (row,) = rows(demo, "上个月浏览过的人有百分之几收藏了")
    assert row[:2] == (both, viewers)


@pytest.mark.parametrize(
    ("question", "event"),
    [
        ("近30天收藏过的人平均每人收藏几次", "fav"),
        ("近30天 收藏 过 的 人 平均 每人 收藏 几次", "fav"),
        ("近30天收藏的用户平均每人收藏几次", "fav"),
        ("近30天平均每个收藏的人收藏几次", "fav"),
        ("近30天加购过的用户平均每人加购几次", "cart"),
    ],
)
def test_events_per_person_who_did_them(demo: Any, question: str, event: str) -> None:
    """'收藏过的人平均每人收藏几次' divided the favourites by the paying buyers (0.247 on the full
    demo): the favourites over the people who favourited (1.042 there)."""
    start, end = _days(demo, 30)
    ((want,),) = sql(
        demo,
        "SELECT count(*) * 1.0 / count(DISTINCT user_key) FROM events WHERE event_type = "
        f"'{event}' AND event_time >= DATE '{start}' AND event_time < DATE '{end}'",
    )
    (row,) = rows(demo, question)
    assert len(row) == 1 and float(row[0]) == pytest.approx(want), question


@pytest.mark.parametrize(
    "question", ["近30天收藏过的人平均每人浏览几次", "近30天 收藏 过 的 人 平均 每人 花了 多少钱"]
)
def test_other_figures_per_person_of_an_event_refused(demo: Any, question: str) -> None:
    """Views, or money (bought under another key), over the people who favourited are no ratio
    of all views or all sales: refused, not divided by the paying buyers."""
    refused(demo, question)


def test_times_an_event_happened(demo: Any) -> None:
    """'被收藏的次数最多': 次数 is the events counted (was unplaced)."""
    start, end = _days(demo, 90)
    want = sql(
        demo,
        "SELECT count(*) AS n FROM events e JOIN products p ON p.product_id = e.product_id "
        f"WHERE e.event_type = 'fav' AND e.event_time >= DATE '{start}' AND e.event_time < "
        f"DATE '{end}' GROUP BY coalesce(p.spu_id, p.product_id) ORDER BY n DESC LIMIT 3",
    )
    for question in ("近90天哪3个商品被收藏的次数最多", "近90天 哪3个商品 被 收藏 的 次数 最多"):
        got = rows(demo, question)
        assert [r[-1] for r in got] == [w[0] for w in want], question


def test_people_counted_said_as_one_word(demo: Any) -> None:
    """'浏览的人数涨了百分之几': 浏览的人 + 数 (was '数涨', unplaced), against the same 30 days
    before."""
    today = demo.today
    ((now, before),) = sql(
        demo,
        "SELECT count(DISTINCT user_key) FILTER (WHERE event_time >= DATE "
        f"'{today - dt.timedelta(30)}'), count(DISTINCT user_key) FILTER (WHERE event_time < "
        f"DATE '{today - dt.timedelta(30)}') FROM events WHERE event_type = 'view' AND "
        f"event_time >= DATE '{today - dt.timedelta(60)}' AND event_time < DATE '{today}'",
    )
    for question in ("近30天比前30天 浏览的人数涨了百分之几", "近30天比前30天浏览的人数涨了多少"):
        (row,) = rows(demo, question)
        assert row[:2] == (now, before), question


def test_running_days_compared_with_the_same_days_before() -> None:
    """'近30天' ending 1 December is 1-30 November: the 30 days before it are 2-31 October, not
    the whole of October (a calendar month said is still compared with the month before)."""
    start, end = dt.datetime(2026, 11, 1), dt.datetime(2026, 12, 1)
    days = previous_range(TimeRange(start, end, "近30天"))
    assert (days.start, days.end) == (dt.datetime(2026, 10, 2), start)
    days = previous_range(TimeRange(start, end, "last 30 days"))
    assert (days.start, days.end) == (dt.datetime(2026, 10, 2), start)
    month = previous_range(TimeRange(start, end, "上个月"))
    assert (month.start, month.end) == (dt.datetime(2026, 10, 1), start)


def _orders(demo: Any, start: str, end: str) -> int:
    return int(
        sql(
            demo,
            f"SELECT count(*) FROM orders WHERE created_at >= '{start}' AND created_at < '{end}'",
        )[0][0]
    )


def test_may_day_and_womens_day(demo: Any) -> None:
    """劳动节 / 五一 (the 1-5 May holiday; 当天: the 1st) and 三八妇女节 were unplaced."""
    year = demo.today.year
    holiday = _orders(demo, f"{year}-05-01", f"{year}-05-06")
    day = _orders(demo, f"{year}-05-01", f"{year}-05-02")
    assert holiday != day
    for question in (
        "今年五一假期(5月1号到5号)下了多少单",
        "今年五一期间下了多少单",
        "今年 五一 下了 多少单",
    ):
        assert rows(demo, question) == [(holiday,)], question
    for question in ("今年劳动节当天下了多少单", "今年五一那天下了多少单"):
        assert rows(demo, question) == [(day,)], question
    ((want,),) = sql(
        demo,
        "SELECT sum(i.paid_amount) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "LEFT JOIN products p ON p.product_id = i.product_id WHERE coalesce(i.category, "
        f"p.category) = '女装' AND o.paid_at >= DATE '{year}-03-08' AND o.paid_at < "
        f"DATE '{year}-03-09'",
    )
    for question in ("今年 三八 妇女节 当天 女装 卖了 多少", "今年妇女节女装卖了多少钱"):
        assert float(rows(demo, question)[0][-1]) == pytest.approx(float(want or 0)), question


def test_which_way_it_went(demo: Any) -> None:
    """'是涨是跌' over months is the monthly series; said of two periods compared, their change
    (not a series of days)."""
    year = demo.today.year
    want = sql(
        demo,
        "WITH x AS (SELECT order_id, paid_at, paid_amount FROM orders WHERE paid_at >= "
        f"DATE '{year}-01-01' AND paid_at < DATE '{demo.today}') SELECT date_trunc('month', "
        "x.paid_at) AS m, sum(x.paid_amount) * 1.0 / sum(u.units) FROM x JOIN (SELECT order_id, "
        "sum(quantity) AS units FROM order_items GROUP BY 1) u ON u.order_id = x.order_id "
        "GROUP BY 1 ORDER BY 1",
    )
    for question in ("件单价按月看 今年是涨是跌", "今年件单价按月看是涨还是跌"):
        got = rows(demo, question)
        assert [float(r[-1]) for r in got] == pytest.approx([float(w[1]) for w in want], abs=0.01)
    start, end = _last_month(demo)
    before = (start - dt.timedelta(days=1)).replace(day=1)
    ((now, then),) = sql(
        demo,
        f"SELECT sum(paid_amount) FILTER (WHERE paid_at >= DATE '{start}'), sum(paid_amount) "
        f"FILTER (WHERE paid_at < DATE '{start}') FROM orders WHERE paid_at >= DATE '{before}' "
        f"AND paid_at < DATE '{end}'",
    )
    for question in ("上个月销售额环比涨了还是跌了", "上个月销售额比前一个月是涨还是跌"):
        (row,) = rows(demo, question)
        assert [float(v) for v in row[:2]] == pytest.approx([float(now), float(then)]), question


def test_orders_without_a_discount(demo: Any) -> None:
    """'没用优惠的单': the orders whose discount is 0 (was unplaced; Tmall's orders state no
    discount at all and are not counted as having none)."""
    start, end = _days(demo, 90)
    ((aov, n),) = sql(
        demo,
        "SELECT sum(paid_amount) / count(*), count(*) FROM orders WHERE discount_amount = 0 AND "
        f"paid_at >= DATE '{start}' AND paid_at < DATE '{end}'",
    )
    assert n > 0
    for question in (
        "近90天没用优惠的单 平均一单多少钱",
        "近90天没有优惠的订单客单价",
        "近90天 没 用 优惠 的 订单 平均 每单 多少钱",
    ):
        assert float(rows(demo, question)[0][-1]) == pytest.approx(float(aov), abs=0.01), question
    ((count,),) = sql(
        demo,
        "SELECT count(*) FROM orders WHERE discount_amount = 0 AND "
        f"created_at >= DATE '{start}' AND created_at < DATE '{end}'",
    )
    assert rows(demo, "近90天没用过优惠的订单数") == [(count,)]


def test_refunds_counted_by_the_stroke(demo: Any) -> None:
    """'退了多少笔款' (no metric was read) and '退款多少笔' (笔 was unplaced): 笔 counts the refund
    transactions, each refund record once — not the money refunded nor the refunded orders."""
    start, end = _last_quarter(demo)
    ((want,),) = sql(
        demo,
        "SELECT count(*) FROM (SELECT r.amount, coalesce(r.finished_at, r.requested_at, "
        "o.paid_at, o.created_at) AS t FROM refunds r LEFT JOIN orders o ON o.order_id = "
        "r.order_id WHERE (r.status IS NULL OR lower(r.status) = 'success') AND r.amount > 0) "
        f"WHERE t >= DATE '{start}' AND t < DATE '{end}'",
    )
    for question in ("上季度 一共 退 了 多少 笔 款", "上季度退款多少笔", "上季度退了几笔款"):
        assert rows(demo, question) == [(want,)], question
    assert refused(demo, "上季度退款金额有几笔")  # the money named: no count of it


def _last_quarter(demo: Any) -> tuple[dt.date, dt.date]:
    today = demo.today
    end = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    start = dt.date(end.year - (end.month == 1), (end.month - 4) % 12 + 1, 1)
    return start, end


def test_money_paid_with_a_channel(demo: Any) -> None:
    """'微信 或 支付宝 付 的 一共 多少 钱': no metric was named — the money paid (paid GMV) of the
    orders paid that way."""
    start, end = _days(demo, 30)
    ((want,),) = sql(
        demo,
        "SELECT sum(paid_amount) FROM orders WHERE payment_channel IN ('wechat', 'alipay') AND "
        f"paid_at >= DATE '{start}' AND paid_at < DATE '{end}'",
    )
    for question in (
        "微信 或 支付宝 付 的 近30天 一共 多少 钱",
        "近30天微信或支付宝付的钱一共多少",
    ):
        assert float(rows(demo, question)[0][-1]) == pytest.approx(float(want)), question


def test_price_of_one_piece_and_the_paid_amount(demo: Any) -> None:
    """'平均 一件 卖 多少' (一件 was unplaced): sales per unit; '实付 最低 的 一单': 实付 is the
    order's paid amount (was unplaced)."""
    start, end = _days(demo, 90)
    ((want,),) = sql(
        demo,
        "SELECT sum(i.paid_amount) / sum(i.quantity) FROM order_items i JOIN orders o ON "
        "o.order_id = i.order_id LEFT JOIN products p ON p.product_id = i.product_id WHERE "
        f"coalesce(i.category, p.category) = '男装' AND o.paid_at >= DATE '{start}' AND "
        f"o.paid_at < DATE '{end}'",
    )
    for question in ("近90天 男装 平均 一件 卖 多少", "近90天男装平均一件卖多少钱"):
        assert float(rows(demo, question)[0][-1]) == pytest.approx(float(want), abs=0.01)
    year = demo.today.year
    ((low,),) = sql(
        demo,
        "SELECT min(paid_amount) FROM orders WHERE platform = 'tmall' AND paid_at >= "
        f"DATE '{year}-01-01' AND paid_at < DATE '{demo.today}'",
    )
    for question in ("今年 天猫 实付 最低 的 一单 是 多少", "今年天猫实付最低的一单"):
        # the second, with no 多少, lists the order (session 28): its number, platform, amount, time
        amounts = [v for v in rows(demo, question)[0] if isinstance(v, int | float | Decimal)]
        assert float(amounts[-1]) == pytest.approx(float(low)), question


def test_spring_festival(demo: Any) -> None:
    """春节 (unplaced before): Chinese New Year's Day, 29 January in 2025."""
    ((want,),) = sql(
        demo,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= DATE '2025-01-29' AND "
        "paid_at < DATE '2025-01-30'",
    )
    for question in ("今年春节当天卖了多少", "今年 春节 (1月29号) 当天 卖 了 多少"):
        assert float(rows(demo, question)[0][-1]) == pytest.approx(float(want)), question


@pytest.mark.parametrize(
    "question",
    [
        "今年收藏过的访客 平均每人收藏几次",
        "今年收藏过的用户人均收藏几次",
        "今年 收藏 过 的 访客 人均 收藏 几次",
    ],
)
def test_events_per_visitor_who_did_them(demo: Any, question: str) -> None:
    """'收藏过的访客' (访客: the bare visitors metric) and 人均 before the event: the favourites
    over the people who favourited, as 平均每人 is."""
    ((want,),) = sql(
        demo,
        "SELECT count(*) * 1.0 / count(DISTINCT user_key) FROM events WHERE event_type = 'fav' "
        f"AND event_time >= DATE '{demo.today.year}-01-01' AND event_time < DATE '{demo.today}'",
    )
    (row,) = rows(demo, question)
    assert len(row) == 1 and float(row[0]) == pytest.approx(want), question


def test_spend_per_person_of_an_event_refused(demo: Any) -> None:
    """'收藏过的用户 人均消费': the visitors' spending is under another key (OneID): refused, not
    the favouriters counted beside the paying buyers' average."""
    refused(demo, "今年收藏过的用户人均消费多少")


def test_transit_and_payment_to_delivery_days(demo: Any) -> None:
    """'发货到签收' (the carrier's days) and '付款到签收' had no duration: from shipped_at /
    paid_at to finished_at, dated by the duration's start as every duration is (the sets' W8
    convention: '发货之后超过N天才送到' by shipped_at) — by the delivery when the question names
    it ('签收的单')."""
    start, end = _last_month(demo)
    for question, begin, dated in (
        ("上个月发货到签收平均几天", "shipped_at", "shipped_at"),
        ("上个月 发货 到 签收 平均 几天", "shipped_at", "shipped_at"),
        ("上个月 签收 的 单 从 付款 到 签收 平均 几天", "paid_at", "finished_at"),
        ("上个月签收的单从发货到签收平均几天", "shipped_at", "finished_at"),
        ("上个月付款到签收平均要几天", "paid_at", "paid_at"),
    ):
        ((want,),) = sql(
            demo,
            f"SELECT avg(date_diff('second', {begin}, finished_at) / 86400.0) FROM orders WHERE "
            f"{begin} IS NOT NULL AND finished_at IS NOT NULL AND {dated} >= DATE '{start}' AND "
            f"{dated} < DATE '{end}'",
        )
        assert float(rows(demo, question)[0][-1]) == pytest.approx(float(want), abs=0.01), question


def test_average_refund_per_stroke(demo: Any) -> None:
    """'退款 平均每笔 多少钱' (was the refunds over the refunded orders, with 退 unplaced) and
    '单笔退款平均多少钱' (单笔 and 平均 unplaced): one refund's amount, averaged."""
    start, end = _last_month(demo)
    ((want,),) = sql(
        demo,
        "SELECT avg(amount) FROM (SELECT r.amount, coalesce(r.finished_at, r.requested_at, "
        "o.paid_at, o.created_at) AS t FROM refunds r LEFT JOIN orders o ON o.order_id = "
        "r.order_id WHERE (r.status IS NULL OR lower(r.status) = 'success') AND r.amount > 0) "
        f"WHERE t >= DATE '{start}' AND t < DATE '{end}'",
    )
    for question in (
        "上个月 退款 平均 每笔 退 多少钱",
        "上个月退款平均每笔多少钱",
        "上个月单笔退款平均多少钱",
        "上个月 单笔 退款 平均 多少 钱",
    ):
        assert float(rows(demo, question)[0][-1]) == pytest.approx(float(want), abs=0.01), question
