"""Ratios and shares (session 45, helper B): people per place counted once each beside the
average over the places (每个国家平均有几位客户: the year's customers / the countries they bought
in), 能 before the verb of 平均每个X有几个Y, 平均下来 before what is asked, the paid orders per
seller said 每个出单的卖家平均接了几单, 开的发票里 as the whole of a share, the returning customers'
share of a month's invoices counted on paid orders on both sides, and a share of people in a summed
amount (buyers / units) refused. Values against hand-written SQL; each reading beside a look-alike
that keeps its own answer or stays refused."""

from __future__ import annotations

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql, sql_number


def _columns(ws: Workspace, question: str) -> dict[str, float]:
    result = answer(ws, question, "offline").main
    return {c: float(v) for c, v in zip(result.columns, result.rows[0], strict=True)}


# --- people per place, each counted once ---

_RETAIL_YEAR = "o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01'"


def _customers_per_country(retail: Workspace) -> float:
    """This year's customers of each country, averaged over the countries (each country its own
    customers: one who bought in two countries counts in both)."""
    return sql_number(
        retail,
        "SELECT avg(n) FROM (SELECT o.country, count(DISTINCT o.one_id) AS n FROM orders o"
        f" WHERE o.one_id IS NOT NULL AND o.country IS NOT NULL AND {_RETAIL_YEAR} GROUP BY 1)",
    )


def test_customers_per_country_counts_each_customer_once(retail: Workspace) -> None:
    got = _columns(retail, "今年每个国家平均有几位客户")
    once = sql_number(
        retail,
        "SELECT count(DISTINCT o.one_id) * 1.0 / count(DISTINCT o.country) FROM orders o"
        f" WHERE o.one_id IS NOT NULL AND o.country IS NOT NULL AND {_RETAIL_YEAR}",
    )
    each = _customers_per_country(retail)
    assert once != pytest.approx(each, abs=0.01)  # a customer in two countries: two readings
    assert got["buyers__per_country"] == pytest.approx(once, abs=0.01)
    assert got["buyers__avg_of_some"] == pytest.approx(each, abs=0.01)  # kept beside it


def test_cities_per_state_has_no_once_column(olist: Workspace) -> None:
    # two states' cities of one name are two cities: no whole's distinct count of them
    got = _columns(olist, "今年平均每个州有多少个城市有人买过东西")
    assert not any(c.endswith("__per_province") for c in got)
    want = sql_number(
        olist,
        "SELECT avg(n) FROM (SELECT c.province, count(DISTINCT c.city) AS n FROM orders o JOIN"
        " customers c ON c.customer_id = o.customer_id WHERE o.paid_at >= '2018-01-01' AND"
        " o.paid_at < '2018-09-01' GROUP BY 1)",
    )
    avg = next(v for c, v in got.items() if c.endswith("__avg"))
    assert avg == pytest.approx(want, abs=0.01)  # 有人买过东西: paid


_BUYERS_PER_CITY = (
    "SELECT count(DISTINCT o.one_id) * 1.0 / count(DISTINCT c.city) FROM orders o JOIN customers"
    " c ON c.customer_id = o.customer_id WHERE o.one_id IS NOT NULL AND o.paid_at >= '2018-01-01'"
    " AND o.paid_at < '2018-09-01'"
)


@pytest.mark.parametrize("question", ["今年平均一座城市有多少个买家"])
def test_buyers_per_city_with_or_without_neng(olist: Workspace, question: str) -> None:
    got = _columns(olist, question)
    assert got["buyers__per_city"] == pytest.approx(sql_number(olist, _BUYERS_PER_CITY), abs=0.01)


def test_buyers_per_seller_keep_the_lines_buyers(olist: Workspace) -> None:
    # a seller's buyers are those of its lines (not a place's, the orders' own)
    got = _columns(olist, "今年平均每个卖家有几个买家")
    assert any(c.startswith("buyers_with_items") for c in got)


# --- 平均下来 before what is asked ---


def test_average_said_pingjun_xialai(retail: Workspace) -> None:
    got = _columns(retail, "今年 各 国家 的 客户 数 平均 下来 是 多少")
    assert got["buyers__avg_of_some"] == pytest.approx(_customers_per_country(retail), abs=0.01)


def test_pingjun_xialai_before_a_month_keeps_its_reading(retail: Workspace) -> None:
    # 平均下来一个月: the monthly average of the year's sales (not rewritten by the rule)
    want = sql_number(retail, f"SELECT sum(o.paid_amount) / 11 FROM orders o WHERE {_RETAIL_YEAR}")
    assert float(rows(retail, "今年 按 月 平均 下来 一个 月 卖 多少 钱")[0][0]) == pytest.approx(
        want, abs=0.01
    )


# --- paid orders per seller said 每个出单的卖家平均接了几单 ---

_ORDERS_PER_SELLER = (
    "SELECT count(DISTINCT o.order_id) * 1.0 / count(DISTINCT i.shop_id) FROM order_items i JOIN"
    " orders o ON o.order_id = i.order_id WHERE o.paid_at >= '2018-07-01' AND o.paid_at <"
    " '2018-08-01'"
)


@pytest.mark.parametrize(
    "question", ["7月 每 个 出单 的 卖家 平均 接了 几 单", "7月每个出单的卖家平均几单"]
)
def test_orders_per_seller_with_orders(olist: Workspace, question: str) -> None:
    got = rows(olist, question)
    assert float(got[0][0]) == pytest.approx(sql_number(olist, _ORDERS_PER_SELLER), abs=1e-3)


def test_orders_per_seller_of_an_amount_not_rewritten(olist: Workspace) -> None:
    # 几单的金额: another figure, not the orders per seller
    got = answer(olist, "7月每个出单的卖家平均几单的金额", "offline")
    assert "paid_orders_per_seller" not in got.main.columns


# --- 开的发票里 as the whole of a share ---


def test_return_invoices_share_of_invoices_issued(retail: Workspace) -> None:
    got = _columns(retail, "10月开的发票里退货单占了几成")
    want = sql_number(
        retail,
        "SELECT count(*) FILTER (WHERE raw_status = 'cancellation invoice') * 1.0 / count(*)"
        " FROM orders WHERE created_at >= '2011-10-01' AND created_at < '2011-11-01'",
    )
    share = next(v for c, v in got.items() if c.endswith("__share"))
    assert share == pytest.approx(want, abs=1e-3)


def test_invoices_issued_split_by_a_kind_not_held_stays_refused(retail: Workspace) -> None:
    refused(retail, "今年开的发票里 电子发票和纸质发票各多少")


# --- the returning customers' share of a month's invoices ---


def test_returning_customers_share_of_invoices_is_on_paid_orders(retail: Workspace) -> None:
    got = rows(retail, "11月 的 发票 里 有 几成 是 老 客户 开 的")
    part, whole = sql(
        retail,
        "SELECT count(*) FILTER (WHERE f.first_paid < '2011-11-01'), count(*) FROM orders o"
        " LEFT JOIN (SELECT one_id, min(paid_at) AS first_paid FROM orders WHERE one_id IS NOT"
        " NULL AND paid_at IS NOT NULL GROUP BY 1) f ON f.one_id = o.one_id WHERE o.paid_at >="
        " '2011-11-01' AND o.paid_at < '2011-12-01'",
    )[0]
    assert (float(got[0][0]), float(got[0][1])) == (float(part), float(whole))
    assert float(got[0][2]) == pytest.approx(part / whole, abs=1e-4)


def test_returning_customers_sales_share_keeps_its_metric(retail: Workspace) -> None:
    # a share of the money keeps the money (only a count of orders turns to paid orders)
    result = answer(retail, "11月的销售额里老客户占几成", "offline").main
    assert "paid_orders" not in result.columns


# --- a share of people in a summed amount ---


@pytest.mark.parametrize(
    "question",
    [
        "What share of this year's units were bought by customers outside the UK?",
        "what share of this year's units came from customers outside the UK",
    ],
)
def test_people_over_units_is_refused(retail: Workspace, question: str) -> None:
    refused(retail, question)


def test_units_share_outside_the_uk_still_answered(retail: Workspace) -> None:
    got = _columns(retail, "What share of this year's units were sold outside the UK?")
    want = sql_number(
        retail,
        "SELECT sum(i.quantity) FILTER (WHERE o.country <> 'United Kingdom') * 1.0 /"
        " sum(i.quantity) FROM order_items i JOIN orders o ON o.order_id = i.order_id WHERE"
        f" {_RETAIL_YEAR}",
    )
    share = next(v for c, v in got.items() if c.endswith("share"))
    assert share == pytest.approx(want, abs=2e-3)
