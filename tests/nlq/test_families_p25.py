"""New question families (issue 11, session 25, helper p), each against hand-written SQL on the
real workspaces the tests build, in Chinese with and without spaces and in English:

- first-order value (首单客单价, average first-order value: each person's first paid order's
  paid amount, averaged; by the first order's payment time) and first orders counted (首单数);
- running totals (2018年每月累计销售额, running total of revenue by month): each month's figure and
  its window sum in time order; a running total of buyers refused (they do not add up);
- per-group averages of counts (平均每个城市有几个卖家: the sellers' city; average number of
  products per seller; 平均每个卖家卖了多少种商品 is products, not money);
- percentiles beside the median (订单金额的90分位数, P90 / 75th percentile of order value,
  四分位数: quantile_cont over the median's rows);
- the most common value (最常见的支付方式, most common payment type: the most orders);
- the time since the last one (离最后一次下单过去多少天了, hours since the last order on shopify,
  离最后一次有人退货过去多久了: the newest row's time to today, fractional days or hours).
"""

from __future__ import annotations

import datetime as dt

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql, sql_number

PAID_2018 = "o.paid_at >= '2018-01-01' AND o.paid_at < '2019-01-01'"
FIRST_ORDERS = (
    "SELECT * FROM (SELECT o.*, row_number() OVER (PARTITION BY o.one_id ORDER BY o.paid_at, "
    "o.order_id) AS nth FROM orders AS o WHERE o.paid_at IS NOT NULL) WHERE nth = 1 "
    "AND one_id IS NOT NULL"
)


def _close(a: object, b: object, places: float = 0.006) -> bool:
    return abs(float(a) - float(b)) < places  # type: ignore[arg-type]


def _columns(ws: Workspace, question: str) -> list[str]:
    return list(answer(ws, question, "offline").main.columns)


# -- first-order value -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question", ["首单客单价", "首单 客单价", "average first-order value", "首单平均金额是多少"]
)
def test_first_order_value_is_the_average_of_first_orders(olist: Workspace, question: str) -> None:
    want = sql_number(olist, f"SELECT avg(paid_amount) FROM ({FIRST_ORDERS})")
    got = rows(olist, question)
    assert len(got) == 1 and _close(got[0][0], want), (question, got, want)


def test_first_order_value_by_month_counts_first_orders_of_the_month(olist: Workspace) -> None:
    want = {
        str(m)[:10]: v
        for m, v in sql(
            olist,
            f"SELECT date_trunc('month', paid_at), avg(paid_amount) FROM ({FIRST_ORDERS}) AS o "
            f"WHERE {PAID_2018} GROUP BY 1",
        )
    }
    for question in ("2018年每月首单客单价", "first order aov by month in 2018"):
        got = rows(olist, question)
        assert len(got) == len(want), question
        for month, value in got:
            assert _close(value, want[str(month)[:10]]), (question, month)


def test_first_orders_counted_by_period(retail: Workspace) -> None:
    want = sql_number(
        retail,
        f"SELECT count(*) FROM ({FIRST_ORDERS}) AS o "
        "WHERE o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01'",
    )
    for question in ("今年首单数", "how many first orders this year"):
        assert rows(retail, question)[0][0] == want, question
    value = sql_number(retail, f"SELECT avg(paid_amount) FROM ({FIRST_ORDERS})")
    assert _close(rows(retail, "首单客单价")[0][0], value)


# -- running totals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "2018年每月累计销售额",
        "2018年 每月 累计 销售额",
        "running total of revenue by month in 2018",
        "show me cumulative sales per month for 2018",
    ],
)
def test_running_total_of_sales_by_month(olist: Workspace, question: str) -> None:
    want = sql(
        olist,
        "SELECT date_trunc('month', o.paid_at) AS m, sum(o.paid_amount), "
        "sum(sum(o.paid_amount)) OVER (ORDER BY date_trunc('month', o.paid_at)) "
        f"FROM orders AS o WHERE {PAID_2018} GROUP BY 1 ORDER BY 1",
    )
    got = rows(olist, question)
    assert [str(r[0])[:10] for r in got] == [str(w[0])[:10] for w in want], question
    for g, w in zip(got, want, strict=True):
        assert _close(g[1], w[1]) and _close(g[2], w[2]), (question, g, w)


def test_running_total_of_new_buyers(retail: Workspace) -> None:
    want = sql(
        retail,
        "SELECT date_trunc('month', o.paid_at), count(*), sum(count(*)) OVER "
        f"(ORDER BY date_trunc('month', o.paid_at)) FROM ({FIRST_ORDERS}) AS o "
        "WHERE o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01' GROUP BY 1 ORDER BY 1",
    )
    got = rows(retail, "今年新买家按月累计一共来了多少")
    assert [tuple(int(v) for v in r[1:]) for r in got] == [(w[1], w[2]) for w in want]


def test_running_total_of_people_is_refused(olist: Workspace) -> None:
    assert "累计" in refused(olist, "2018年每月累计买家数").unknown
    total = sql_number(olist, f"SELECT sum(o.paid_amount) FROM orders AS o WHERE {PAID_2018}")
    assert _close(rows(olist, "2018年累计销售额")[0][0], total)  # no grain: the total


# -- per-group averages of counts --------------------------------------------------------------

SELLERS_PER_CITY = (
    "SELECT avg(n) FROM (SELECT s.city, count(DISTINCT coalesce(i.shop_id, o.shop_id)) AS n "
    "FROM order_items AS i LEFT JOIN orders AS o ON o.order_id = i.order_id "
    "JOIN shops AS s ON s.shop_id = coalesce(i.shop_id, o.shop_id) WHERE s.city IS NOT NULL "
    "GROUP BY 1)"
)
PRODUCTS_PER_SELLER = (
    "SELECT avg(n) FROM (SELECT coalesce(i.shop_id, o.shop_id), count(DISTINCT "
    "coalesce(i.spu_id, i.product_id)) AS n FROM order_items AS i JOIN orders AS o ON "
    "o.order_id = i.order_id WHERE o.paid_at IS NOT NULL AND i.product_id IS NOT NULL GROUP BY 1)"
)


@pytest.mark.parametrize(
    "question",
    ["平均每个城市有几个卖家", "平均 每个 城市 有 几个 卖家", "average number of sellers per city"],
)
def test_average_sellers_per_city_is_by_the_sellers_city(olist: Workspace, question: str) -> None:
    assert _close(rows(olist, question)[0][0], sql_number(olist, SELLERS_PER_CITY)), question


@pytest.mark.parametrize(
    "question",
    [
        "平均每个卖家卖了多少种商品",
        "平均 每个 卖家 卖了 多少 种 商品",
        "平均每个卖家卖了多少个不同的商品",
        "average number of products per seller",
    ],
)
def test_average_products_per_seller_is_no_money(olist: Workspace, question: str) -> None:
    got = rows(olist, question)[0][0]
    assert _close(got, sql_number(olist, PRODUCTS_PER_SELLER)), (question, got)


# -- percentiles -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "订单金额的90分位数",
        "订单金额 的 90 分位数",
        "P90 of order value",
        "90th percentile of order value",
    ],
)
def test_p90_of_order_value(olist: Workspace, question: str) -> None:
    want = sql_number(
        olist, "SELECT quantile_cont(paid_amount, 0.9) FROM orders WHERE paid_at IS NOT NULL"
    )
    got = rows(olist, question)
    assert len(got) == 1 and _close(got[0][0], want), (question, got, want)


def test_quartiles_and_a_percentile_by_state(olist: Workspace) -> None:
    want = sql(
        olist,
        "SELECT quantile_cont(paid_amount, 0.25), median(paid_amount), "
        "quantile_cont(paid_amount, 0.75) FROM orders WHERE paid_at IS NOT NULL",
    )[0]
    got = rows(olist, "订单金额的四分位数")[0]
    assert all(_close(g, w) for g, w in zip(got, want, strict=True)), (got, want)
    assert _close(rows(olist, "订单金额上四分位数")[0][0], want[2])
    by_state = dict(
        sql(
            olist,
            "SELECT coalesce(o.province, c.province), quantile_cont(o.paid_amount, 0.9) "
            "FROM orders AS o LEFT JOIN customers AS c ON c.customer_id = o.customer_id "
            f"WHERE {PAID_2018} GROUP BY 1",
        )
    )
    got_states = rows(olist, "2018年各州订单金额的90分位数")
    assert len(got_states) == len(by_state)
    assert all(_close(v, by_state[s]) for s, v in got_states)


def test_percentile_of_what_has_no_median_is_refused(olist: Workspace) -> None:
    assert "90分位数" in refused(olist, "客户消费的90分位数").unknown


def test_first_quarter_is_no_percentile(olist: Workspace) -> None:
    got = rows(olist, "Q1 vs Q2 this year: how many sellers made at least one sale")
    assert len(got) == 2


# -- the most common value ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    ["最常见的支付方式", "最常见 的 支付方式", "哪种支付方式用得最多", "most common payment type"],
)
def test_most_common_payment_type(olist: Workspace, question: str) -> None:
    top = sql(olist, "SELECT payment_channel, count(*) FROM orders GROUP BY 1 ORDER BY 2 DESC")[0]
    assert tuple(rows(olist, question)[0][:2]) == top, question


def test_most_common_payment_type_in_a_period_on_the_demo(demo: Workspace) -> None:
    top = sql(
        demo,
        "SELECT payment_channel, count(*) FROM orders WHERE payment_channel IS NOT NULL "
        "AND created_at >= '2025-01-01' AND created_at < '2025-06-01' GROUP BY 1 ORDER BY 2 DESC",
    )[0]
    for question in ("今年最常用的支付方式", "what is the most common payment type this year?"):
        assert tuple(rows(demo, question)[0][:2]) == top, question


# -- the time since the last one ---------------------------------------------------------------


def _since(ws: Workspace, column: str, where: str, today: dt.date, unit: float) -> float:
    day = today.isoformat()
    return sql_number(
        ws,
        f"SELECT (epoch(TIMESTAMP '{day}') - epoch(max({column}))) / {unit} FROM orders "
        f"WHERE {column} < TIMESTAMP '{day}' AND {where}",
    )


@pytest.mark.parametrize(
    "question",
    [
        "离最后一次下单过去多少天了",
        "离 最后一次 下单 过去 多少天 了",
        "最后一单是几天前",
        "days since the last order",
    ],
)
def test_days_since_the_last_order(olist: Workspace, question: str) -> None:
    want = _since(olist, "created_at", "true", dt.date(2018, 9, 1), 86400.0)
    got = rows(olist, question)
    assert len(got) == 1 and _close(got[0][0], want), (question, got, want)


def test_days_since_the_last_order_by_state(olist: Workspace) -> None:
    want = dict(
        sql(
            olist,
            "SELECT coalesce(o.province, c.province), (epoch(TIMESTAMP '2018-09-01') - "
            "epoch(max(o.created_at))) / 86400 FROM orders AS o LEFT JOIN customers AS c ON "
            "c.customer_id = o.customer_id WHERE o.created_at < '2018-09-01' GROUP BY 1",
        )
    )
    got = rows(olist, "各州最后一单距今几天")
    assert len(got) == len(want) and all(_close(v, want[s]) for s, v in got)


def test_days_since_the_last_return(retail: Workspace) -> None:
    want = _since(
        retail, "created_at", "raw_status = 'cancellation invoice'", dt.date(2011, 12, 1), 86400.0
    )
    for question in ("离最后一次有人退货过去多久了", "上一次 有人 退货 是 几天 前"):
        assert _close(rows(retail, question)[0][0], want), question


def test_hours_since_the_last_order_on_a_platform(demo: Workspace) -> None:
    from tests.nlq.conftest import DEMO_TODAY

    want = _since(demo, "created_at", "platform = 'shopify'", DEMO_TODAY, 3600.0)
    for question in (
        "离上一次有人在shopify下单过去多少个小时了",
        "how many hours since the last order on shopify",
    ):
        assert _close(rows(demo, question)[0][0], want), question


def test_days_since_the_last_purchase_of_people_stays_their_average(olist: Workspace) -> None:
    for question in ("average days since last purchase", "客户平均多少天没下单了"):
        assert _columns(olist, question) == ["avg_days_since_last_order"], question


@pytest.mark.parametrize(
    "question",
    [
        "今年各国客户数取中位数是多少",
        "今年 各国 客户数 的 中位数",
        "median number of customers per country this year",
    ],
)
def test_median_over_the_groups_of_a_count(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT median(n) FROM (SELECT country, count(DISTINCT one_id) AS n FROM orders "
        "WHERE country IS NOT NULL AND paid_at >= '2011-01-01' AND paid_at < '2011-12-01' "
        "GROUP BY 1)",
    )
    assert _close(rows(retail, question)[0][0], want), question


def test_average_said_after_the_group(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT avg(n) FROM (SELECT coalesce(o.province, c.province), count(DISTINCT o.one_id) "
        "AS n FROM orders AS o LEFT JOIN customers AS c ON c.customer_id = o.customer_id "
        "WHERE o.paid_at IS NOT NULL AND coalesce(o.province, c.province) IS NOT NULL GROUP BY 1)",
    )
    for question in ("每个州平均有多少个客户", "平均每个州有多少个客户"):
        assert _close(rows(olist, question)[0][0], want), question


def test_average_per_group_of_a_place_the_data_lacks_is_no_data(retail: Workspace) -> None:
    from shopql.nlq.nodata import NoDataHere

    with pytest.raises(NoDataHere):  # Online Retail has no city: not an average of nothing
        answer(retail, "平均每个城市有几个客户", "offline")


@pytest.mark.parametrize(
    "question",
    [
        "今年 发票 金额 的 中位数 和 平均数 各 是 多少",
        "今年发票金额的中位数和平均数",
        "median and mean order value this year",
    ],
)
def test_median_and_mean_side_by_side(retail: Workspace, question: str) -> None:
    want = sql(
        retail,
        "SELECT median(paid_amount), avg(paid_amount) FROM orders "
        "WHERE paid_at >= '2011-01-01' AND paid_at < '2011-12-01'",
    )[0]
    got = rows(retail, question)[0]
    assert _close(got[0], want[0]) and _close(got[1], want[1]), (question, got, want)
