"""Demo brand questions (session 26, helper g), values against hand-written SQL on the session
demo (seed 7): 'new' said of a period's buyers is the period's new buyers, never the lifecycle tag
a person carries today, and 'brand new' is new, never the brand dimension (what share of last
month's buyers were brand new); SPUs counted (how many SPUs sold on shopify last month), not
ranked; a minimum count of orders beside an average over orders counts the orders averaged
(发货最慢的3个省 (至少N单): the orders paid in the period and shipped, not every order placed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.nlq.helpers import refused, rows, sql


def _last_month(demo: Any) -> tuple[dt.date, dt.date]:
    end = demo.today.replace(day=1)
    return (end - dt.timedelta(days=1)).replace(day=1), end


def _last_quarter(demo: Any) -> tuple[dt.date, dt.date]:
    end = demo.today.replace(month=(demo.today.month - 1) // 3 * 3 + 1, day=1)
    start = (end - dt.timedelta(days=1)).replace(day=1)
    return start.replace(month=(start.month - 1) // 3 * 3 + 1), end


@pytest.mark.parametrize(
    "question",
    [
        "what share of last month's buyers were brand new",
        "what share of last month's buyers were new",
        "share of brand new customers last month",
        "上个月的买家里新客占比",
        "上个月 的 买家 里 新客 占 多少",
    ],
)
def test_new_said_of_a_periods_buyers(demo: Any, question: str) -> None:
    start, end = _last_month(demo)
    ((new, buyers),) = sql(
        demo,
        "WITH f AS (SELECT one_id, min(paid_at) AS f FROM orders WHERE paid_at IS NOT NULL AND "
        "one_id IS NOT NULL GROUP BY 1) SELECT count(DISTINCT o.one_id) FILTER (WHERE f.f >= "
        f"DATE '{start}'), count(DISTINCT o.one_id) FROM orders o JOIN f USING (one_id) WHERE "
        f"o.paid_at >= DATE '{start}' AND o.paid_at < DATE '{end}'",
    )
    assert 0 < new < buyers
    ((got_new, got_buyers, share),) = rows(demo, question)
    assert (got_new, got_buyers) == (new, buyers), question
    assert float(share) == pytest.approx(new / buyers, abs=1e-4), question


def test_brand_new_is_no_brand(demo: Any) -> None:
    start, end = _last_month(demo)
    ((new,),) = sql(
        demo,
        "SELECT count(*) FROM (SELECT one_id, min(paid_at) AS f FROM orders WHERE paid_at IS NOT "
        f"NULL AND one_id IS NOT NULL GROUP BY 1) WHERE f >= DATE '{start}' AND f < DATE '{end}'",
    )
    got = rows(demo, "how many buyers last month were brand new")
    assert len(got) == 1 and new in got[0]
    assert not any(isinstance(v, str) for v in got[0])  # no row per brand


@pytest.mark.parametrize(
    "question",
    [
        "how many SPUs sold on shopify last month",
        "number of SPUs sold on shopify last month",
        "上个月shopify卖了多少个SPU",
        "上个月 shopify 卖了 几个 SPU",
    ],
)
def test_spus_counted(demo: Any, question: str) -> None:
    start, end = _last_month(demo)
    ((want,),) = sql(
        demo,
        "SELECT count(DISTINCT coalesce(i.spu_id, i.product_id)) FROM order_items i JOIN orders "
        "o ON o.order_id = i.order_id WHERE o.platform = 'shopify' AND i.product_id IS NOT NULL "
        f"AND o.paid_at >= DATE '{start}' AND o.paid_at < DATE '{end}'",
    )
    assert want > 0
    assert rows(demo, question) == [(want,)], question


@pytest.mark.parametrize(
    "question",
    [
        "上季度 发货 最慢 的 3个 省 (至少{n}单)",
        "上季度发货最慢的3个省（至少{n}单）",
        "the 3 provinces with the slowest shipping last quarter (at least {n} orders)",
    ],
)
def test_minimum_orders_beside_an_average_counts_the_orders_averaged(
    demo: Any, question: str
) -> None:
    start, end = _last_quarter(demo)
    shipped = (
        f"paid_at >= DATE '{start}' AND paid_at < DATE '{end}' AND shipped_at IS NOT NULL AND "
        "province IS NOT NULL"
    )
    counts = sql(demo, f"SELECT count(*) FROM orders WHERE {shipped} GROUP BY province ORDER BY 1")
    n = counts[len(counts) // 2][0]  # half the provinces have as many orders shipped
    want = sql(
        demo,
        "SELECT province, round(avg(date_diff('second', paid_at, shipped_at) / 86400.0), 2), "
        f"count(*) FROM orders WHERE {shipped} GROUP BY 1 HAVING count(*) >= {n} ORDER BY 2 DESC, "
        "1 LIMIT 3",
    )
    got = rows(demo, question.format(n=n))
    assert [(r[0], float(r[1]), r[2]) for r in got] == [(p, float(a), c) for p, a, c in want]


@pytest.mark.parametrize(
    "question",
    [
        "天猫 vs 拼多多 今年 的 取消率",
        "天猫对比拼多多今年的取消率",
        "cancellation rate tmall vs pinduoduo this year",
    ],
)
def test_rate_of_values_compared_side_by_side(demo: Any, question: str) -> None:
    start, end = demo.today.replace(month=1, day=1), demo.today
    want = sql(
        demo,
        "SELECT platform, count(*) FILTER (WHERE status = 'cancelled'), count(*) FROM orders "
        f"WHERE platform IN ('tmall', 'pinduoduo') AND created_at >= DATE '{start}' AND "
        f"created_at < DATE '{end}' GROUP BY 1 ORDER BY 1",
    )
    assert len(want) == 2 and all(c > 0 for _, c, _ in want)
    got = sorted(rows(demo, question))
    assert [r[:3] for r in got] == want, question
    for (_, part, whole, share), (_, c, n, _) in zip(got, [(*w, 0) for w in want], strict=True):
        assert (part, whole) == (c, n)
        assert float(share) == pytest.approx(c / n, abs=1e-4)


@pytest.mark.parametrize(
    ("question", "what", "left_out"),
    [
        ("今年除了女装和男装 别的品类一共卖了多少件", "sum(i.quantity)", ("女装", "男装")),
        ("今年 除了 女装 和 男装 其他 品类 一共 卖了 多少件", "sum(i.quantity)", ("女装", "男装")),
        ("今年除女装、男装以外的品类卖了多少件", "sum(i.quantity)", ("女装", "男装")),
        (
            "units sold this year excluding womenswear and menswear",
            "sum(i.quantity)",
            ("女装", "男装"),
        ),
        ("今年除了女装以外卖了多少钱", "sum(i.paid_amount)", ("女装",)),
    ],
)
def test_lines_of_categories_left_out_of_a_line_sum(
    demo: Any, question: str, what: str, left_out: tuple[str, ...]
) -> None:
    start, end = demo.today.replace(month=1, day=1), demo.today
    names = ", ".join(f"'{c}'" for c in left_out)
    ((want,),) = sql(
        demo,
        f"SELECT {what} FROM order_items i JOIN orders o ON o.order_id = i.order_id LEFT JOIN "
        f"products p ON p.product_id = i.product_id WHERE coalesce(i.category, p.category) NOT IN "
        f"({names}) AND o.paid_at >= DATE '{start}' AND o.paid_at < DATE '{end}'",
    )
    ((got,),) = rows(demo, question)
    assert float(got) == pytest.approx(float(want)), question


@pytest.mark.parametrize(
    "question", ["今年除了女装 其他品类的订单数", "今年除了女装 别的品类有多少买家"]
)
def test_orders_or_people_without_a_category_still_refused(demo: Any, question: str) -> None:
    assert refused(demo, question)


def test_the_other_values_said_biede(demo: Any) -> None:
    start, end = demo.today.replace(month=1, day=1), demo.today
    ((want,),) = sql(
        demo,
        f"SELECT sum(paid_amount) FROM orders WHERE platform NOT IN ('tmall', 'jd') AND paid_at >= "
        f"DATE '{start}' AND paid_at < DATE '{end}'",
    )
    ((got,),) = rows(demo, "今年除了天猫和京东 别的平台卖了多少钱")
    assert float(got) == pytest.approx(float(want))


def _refunds_by_quarter(demo: Any) -> list[tuple[Any, ...]]:
    start, end = demo.today.replace(month=1, day=1), demo.today
    return sql(
        demo,
        "SELECT date_trunc('quarter', refunded_at)::DATE, sum(amount) FROM (SELECT r.amount, "
        "coalesce(r.finished_at, r.requested_at, o.paid_at, o.created_at) AS refunded_at FROM "
        "refunds r LEFT JOIN orders o ON o.order_id = r.order_id WHERE r.status IS NULL OR "
        "lower(r.status) = 'success' UNION ALL SELECT o.refund_amount, coalesce(o.paid_at, "
        "o.created_at) FROM orders o WHERE o.refund_amount <> 0 AND NOT EXISTS (SELECT 1 FROM "
        f"refunds r WHERE r.order_id = o.order_id)) WHERE refunded_at >= DATE '{start}' AND "
        f"refunded_at < DATE '{end}' GROUP BY 1 ORDER BY 2 DESC",
    )


@pytest.mark.parametrize(
    "question",
    [
        "Refunds this year: which quarter was worst by amount refunded?",
        "which quarter was the worst for refunds this year",
        "今年退款金额最差的是哪个季度",
    ],
)
def test_worst_of_refunds_is_the_most(demo: Any, question: str) -> None:
    ranked = _refunds_by_quarter(demo)
    assert len(ranked) >= 2 and ranked[0][1] > ranked[-1][1]
    ((quarter, amount),) = rows(demo, question)
    assert (str(quarter), float(amount)) == (str(ranked[0][0]), float(ranked[0][1])), question


def test_worst_of_sales_stays_the_least(demo: Any) -> None:
    start, end = demo.today.replace(month=1, day=1), demo.today
    ((month, sales),) = sql(
        demo,
        "SELECT date_trunc('month', paid_at)::DATE, sum(paid_amount) FROM orders WHERE paid_at "
        f">= DATE '{start}' AND paid_at < DATE '{end}' GROUP BY 1 ORDER BY 2 LIMIT 1",
    )
    ((got_month, got),) = rows(demo, "worst month by sales this year")
    assert (str(got_month), float(got)) == (str(month), float(sales))


@pytest.mark.parametrize(
    "question",
    [
        "今年首单在天猫的新客和首单在京东的新客 平均每人一共花了多少",
        "今年 首单 在 天猫 的 新客 和 首单 在 京东 的 新客 各有 多少人",
        "今年在天猫买过的客户和在京东买过的客户 各有多少人",
    ],
)
def test_two_groups_of_people_joined_by_he_are_not_those_in_both(demo: Any, question: str) -> None:
    assert "two groups" in str(refused(demo, question)), question


def test_people_in_both_said_with_dou_still_answered(demo: Any) -> None:
    start, end = demo.today.replace(month=1, day=1), demo.today
    ((want,),) = sql(
        demo,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE one_id IS NOT NULL AND paid_at >= "
        f"DATE '{start}' AND paid_at < DATE '{end}' GROUP BY 1 HAVING count(*) FILTER (WHERE "
        "platform = 'tmall') > 0 AND count(*) FILTER (WHERE platform = 'jd') > 0)",
    )
    assert rows(demo, "今年天猫和京东都买过的客户有多少") == [(want,)]


@pytest.mark.parametrize(
    ("question", "what"),
    [
        ("T恤 这 一类 今年 卖了 多少 钱", "sum(i.paid_amount)"),
        ("T恤这一类今年卖了多少钱", "sum(i.paid_amount)"),
        ("T恤这类商品今年卖了多少钱", "sum(i.paid_amount)"),
        ("T恤这个款今年卖了多少件", "sum(i.quantity)"),
        ("T恤 这个 款 今年 走了 多少件", "sum(i.quantity)"),
    ],
)
def test_title_word_pointed_at_again(demo: Any, question: str, what: str) -> None:
    start, end = demo.today.replace(month=1, day=1), demo.today
    ((want,),) = sql(
        demo,
        f"SELECT {what} FROM order_items i JOIN orders o ON o.order_id = i.order_id WHERE "
        f"coalesce(i.clean_title, i.title) LIKE '%T恤%' AND o.paid_at >= DATE '{start}' AND "
        f"o.paid_at < DATE '{end}'",
    )
    assert want
    ((got,),) = rows(demo, question)
    assert float(got) == pytest.approx(float(want)), question


def test_this_kind_with_no_title_word_still_refused(demo: Any) -> None:
    assert refused(demo, "这个款今年卖了多少件")


@pytest.mark.parametrize(
    "question",
    ["上个月 哪天 卖得 最多 那天 卖了 多少钱", "上个月哪天卖得最多，那天卖了多少钱"],
)
def test_that_day_after_which_day(demo: Any, question: str) -> None:
    start, end = _last_month(demo)
    ((day, sales),) = sql(
        demo,
        "SELECT paid_at::DATE, sum(paid_amount) FROM orders WHERE paid_at >= "
        f"DATE '{start}' AND paid_at < DATE '{end}' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    ((got_day, got),) = rows(demo, question)
    assert (str(got_day), float(got)) == (str(day), float(sales)), question


@pytest.mark.parametrize(
    "question",
    [
        "今年各月 首次 购买 的 客户 数",
        "今年各月首购客户数",
        "first-time customers by month this year",
    ],
)
def test_first_time_buyers_by_month(demo: Any, question: str) -> None:
    start, end = demo.today.replace(month=1, day=1), demo.today
    want = sql(
        demo,
        "SELECT date_trunc('month', f)::DATE, count(*) FROM (SELECT one_id, min(paid_at) AS f "
        "FROM orders WHERE paid_at IS NOT NULL AND one_id IS NOT NULL GROUP BY 1) WHERE f >= "
        f"DATE '{start}' AND f < DATE '{end}' GROUP BY 1 ORDER BY 1",
    )
    got = [(str(m)[:10], n) for m, n in rows(demo, question)]
    assert got == [(str(m), n) for m, n in want], question


@pytest.mark.parametrize(
    "question",
    ["上个月的新客里 首单走支付宝的有几个", "上个月 新客 里 首单 走 支付宝 的 有 几个"],
)
def test_first_order_paid_zou_alipay(demo: Any, question: str) -> None:
    start, end = _last_month(demo)
    ((want,),) = sql(
        demo,
        "SELECT count(*) FROM (SELECT one_id, paid_at, payment_channel, row_number() OVER "
        "(PARTITION BY one_id ORDER BY paid_at, order_id) AS n FROM orders WHERE paid_at IS NOT "
        f"NULL AND one_id IS NOT NULL) WHERE n = 1 AND paid_at >= DATE '{start}' AND paid_at < "
        f"DATE '{end}' AND payment_channel = 'alipay'",
    )
    assert rows(demo, question) == [(want,)], question


@pytest.mark.parametrize(
    "question",
    ["今年加购过的访客里 有几成最后下单了", "今年 加购 过 的 访客 里 有 几成 最后 下单 了"],
)
def test_eventually_before_the_act_counted(demo: Any, question: str) -> None:
    start, end = demo.today.replace(month=1, day=1), demo.today
    ((want,),) = sql(
        demo,
        "SELECT count(DISTINCT user_key) FILTER (WHERE event_type = 'buy' AND user_key IN "
        f"(SELECT user_key FROM events WHERE event_type = 'cart' AND event_time >= DATE '{start}' "
        f"AND event_time < DATE '{end}')) * 1.0 / count(DISTINCT user_key) FILTER (WHERE "
        f"event_type = 'cart') FROM events WHERE event_time >= DATE '{start}' AND event_time < "
        f"DATE '{end}'",
    )
    ((*_, share),) = rows(demo, question)
    assert float(share) == pytest.approx(float(want), abs=1e-4), question


def test_last_order_time_keeps_zuihou(demo: Any) -> None:
    assert refused(demo, "客户最后下单是什么时候")


@pytest.mark.parametrize(
    "question",
    ["4月 第一次 购买 的 客户 5月 又 来 了 几个", "4月首次购买的客户 5月又来了几个"],
)
def test_first_time_buyers_of_one_month_back_the_next(demo: Any, question: str) -> None:
    y = demo.today.year
    ((want,),) = sql(
        demo,
        "SELECT count(*) FROM (SELECT one_id, min(paid_at) AS f, count(*) FILTER (WHERE paid_at "
        f">= DATE '{y}-05-01' AND paid_at < DATE '{y}-06-01') AS n FROM orders WHERE paid_at IS "
        f"NOT NULL AND one_id IS NOT NULL GROUP BY 1) WHERE f >= DATE '{y}-04-01' AND f < "
        f"DATE '{y}-05-01' AND n > 0",
    )
    assert rows(demo, question) == [(want,)], question


@pytest.mark.parametrize(
    "question",
    [
        "今年付了款的单里 后来退了款的占多大比例",
        "今年 付了 款 的 单 里 后来 退了 款 的 占 多大 比例",
        "今年已付款的订单中退款的占多少",
    ],
)
def test_refunded_among_paid_orders(demo: Any, question: str) -> None:
    start, end = demo.today.replace(month=1, day=1), demo.today
    ((want,),) = sql(
        demo,
        "SELECT count(*) FILTER (WHERE order_id IN (SELECT order_id FROM refunds WHERE (status "
        "IS NULL OR lower(status) = 'success') AND amount > 0 UNION ALL SELECT order_id FROM "
        "orders WHERE refund_amount > 0 AND order_id NOT IN (SELECT order_id FROM refunds))) * "
        f"1.0 / count(*) FROM orders WHERE paid_at >= DATE '{start}' AND paid_at < DATE '{end}'",
    )
    ((*_, share),) = rows(demo, question)
    assert float(share) == pytest.approx(float(want), abs=1e-4), question
