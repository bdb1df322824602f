"""Refusals turned into answers (session 27, helper c: the refusal census, notes/c27_census.md),
values against hand-written SQL on the real Olist workspace (today 2018-09-01):

- Portuguese said short or with words the catalog did not list (languages.yaml): a quarter or a
  half by its ordinal and 'tri' / 'sem' (1º tri 2018, 2º sem), the days of the week (sábado,
  domingo de Páscoa), taxa de cancelamento, variação, quais as N;
- a growth ranking's base bound naming the period compared with: '（前一季度至少5万）' after
  '上季度比前一季度' is that period, not a third one; '（去年同期至少10万）' / 'min 100k the same
  period last year' beside a year-over-year comparison bounds the year-before figure."""

from __future__ import annotations

from typing import Any

import pytest

from tests.nlq.helpers import refused, rows, sql


@pytest.mark.parametrize(
    "question",
    ["pedidos de sábado em agosto", "quantos pedidos tivemos no sábado em agosto de 2018"],
)
def test_portuguese_day_of_week(olist: Any, question: str) -> None:
    (want,) = sql(
        olist,
        "SELECT count(*) FROM orders WHERE created_at >= '2018-08-01' "
        "AND created_at < '2018-09-01' AND isodow(created_at) = 6",
    )[0]
    assert rows(olist, question) == [(want,)]


def test_portuguese_easter_sunday(olist: Any) -> None:
    (want,) = sql(
        olist,
        "SELECT count(*) FROM orders WHERE created_at >= '2018-04-01' AND created_at < '2018-04-02'",
    )[0]
    assert rows(olist, "Quantos pedidos tivemos no domingo de Páscoa de 2018?") == [(want,)]


@pytest.mark.parametrize(
    "question", ["valor total de frete no 1º tri 2018", "frete total no 1º trimestre de 2018"]
)
def test_portuguese_quarter_said_short(olist: Any, question: str) -> None:
    (want,) = sql(
        olist,
        "SELECT sum(shipping_fee) FROM orders "
        "WHERE created_at >= '2018-01-01' AND created_at < '2018-04-01'",
    )[0]
    (got,) = rows(olist, question)
    assert float(got[0]) == pytest.approx(float(want), abs=0.01)


@pytest.mark.parametrize(
    "question", ["taxa de cancelamento em 2017", "qual foi a taxa de cancelamento de 2017"]
)
def test_portuguese_cancellation_rate(olist: Any, question: str) -> None:
    cancelled, total = sql(
        olist,
        "SELECT count(*) FILTER (WHERE status = 'cancelled'), count(*) FROM orders "
        "WHERE created_at >= '2017-01-01' AND created_at < '2018-01-01'",
    )[0]
    (got,) = rows(olist, question)
    assert got[:2] == (cancelled, total)
    assert float(got[-1]) == pytest.approx(cancelled / total, abs=1e-4)


def test_portuguese_change_of_buyers(olist: Any) -> None:
    july, june = sql(
        olist,
        "SELECT count(DISTINCT one_id) FILTER (WHERE paid_at >= '2018-07-01' "
        "AND paid_at < '2018-08-01'), count(DISTINCT one_id) FILTER (WHERE paid_at >= "
        "'2018-06-01' AND paid_at < '2018-07-01') FROM orders",
    )[0]
    (got,) = rows(olist, "julho x junho: variação de compradores")
    assert (got[0], got[1], got[-1]) == (july, june, july - june)


def test_portuguese_which_n(olist: Any) -> None:
    want = sql(
        olist,
        "SELECT coalesce(i.category, p.category) AS c, sum(i.quantity) AS u FROM order_items i "
        "JOIN orders o ON o.order_id = i.order_id LEFT JOIN products p ON p.product_id = "
        "i.product_id WHERE o.paid_at >= '2018-01-01' AND o.paid_at < '2019-01-01' "
        "AND coalesce(i.category, p.category) IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5",
    )
    got = rows(olist, "quais as 5 categorias que mais venderam unidades em 2018")
    assert [r[:2] for r in got[:5]] == want


def test_portuguese_installment_is_no_share(olist: Any) -> None:
    # parcela alone is an installment: only "parcela de/dos pedidos" is a share of the orders
    e = refused(olist, "valor médio da parcela em 2018 por cliente")
    assert "share" not in str(e)


_CATEGORY_GROWTH = (
    "WITH s AS (SELECT coalesce(i.category, p.category) AS c, "
    "sum(i.paid_amount) FILTER (WHERE o.paid_at >= '{cur}' AND o.paid_at < '{end}') AS cur, "
    "sum(i.paid_amount) FILTER (WHERE o.paid_at >= '{prev}' AND o.paid_at < '{cur}') AS prev "
    "FROM order_items i JOIN orders o ON o.order_id = i.order_id "
    "LEFT JOIN products p ON p.product_id = i.product_id GROUP BY 1) "
    "SELECT c, round(cur, 2), round(prev, 2) FROM s WHERE prev >= {bound} "
    "ORDER BY cur / prev DESC LIMIT 1"
)


@pytest.mark.parametrize(
    "question",
    [
        "哪个品类上季度比前一季度增长最快（前一季度至少5万）",
        "上季度 比 前一季度 增长 最快 的 品类 (前一季度 至少 5万)",
        "上季度比前一季度增长最快的品类(前一季度至少5万)",
    ],
)
def test_growth_bound_in_the_period_before_named_again(olist: Any, question: str) -> None:
    (want,) = sql(
        olist,
        _CATEGORY_GROWTH.format(cur="2018-04-01", end="2018-07-01", prev="2018-01-01", bound=50000),
    )
    (got,) = rows(olist, question)
    assert (got[0], float(got[1]), float(got[2])) == (want[0], float(want[1]), float(want[2]))
    assert float(got[2]) >= 50000


def test_growth_bound_month_before_named_again(olist: Any) -> None:
    (want,) = sql(
        olist,
        _CATEGORY_GROWTH.format(cur="2018-08-01", end="2018-09-01", prev="2018-07-01", bound=10000),
    )
    (got,) = rows(olist, "哪个品类上个月比前一个月增长最快（前一个月至少1万）")
    assert (got[0], float(got[1]), float(got[2])) == (want[0], float(want[1]), float(want[2]))


@pytest.mark.parametrize(
    "question",
    [
        "今年1-8月 哪个州同比增长最快 (去年同期至少10万)",
        "今年1-8月同比增长最快的州（去年同期至少10万）",
        "年初至今 比 去年同期 增长最快的 州 (去年同期 至少10万)",
        "which state grew fastest year over year this year (min 100k same period last year)",
        "which state grew fastest this year vs last year (min 100k the same period last year)",
    ],
)
def test_growth_bound_in_the_same_period_last_year(olist: Any, question: str) -> None:
    want = sql(
        olist,
        "WITH s AS (SELECT coalesce(o.province, c.province) AS st, "
        "sum(o.paid_amount) FILTER (WHERE o.paid_at >= '2018-01-01' "
        "AND o.paid_at < '2018-09-01') AS cur, sum(o.paid_amount) FILTER (WHERE o.paid_at >= "
        "'2017-01-01' AND o.paid_at < '2017-09-01') AS prev FROM orders o "
        "LEFT JOIN customers c ON c.customer_id = o.customer_id GROUP BY 1) "
        "SELECT st, round(cur, 2), round(prev, 2) FROM s WHERE prev >= 100000 "
        "ORDER BY cur / prev DESC LIMIT 1",
    )
    (got,) = rows(olist, question)
    assert [(got[0], float(got[1]), float(got[2]))] == [
        (w[0], float(w[1]), float(w[2])) for w in want
    ]


def test_same_period_bound_needs_a_year_before_comparison(olist: Any) -> None:
    # beside a comparison with the month before, 去年同期 is a third period: not the base
    refused(olist, "哪个品类上个月比前一个月增长最快（去年同期至少1万）")


@pytest.mark.parametrize(
    "question",
    [
        "今年 德国 占 海外 销售额 的 比例",
        "德国占海外销售额的比例 今年",
        "今年德国占英国以外销售额的比例",
        "今年 德国 占 英国以外 销售额 的 多少",
    ],
)
def test_value_share_of_a_whole_named_by_a_value(retail: Any, question: str) -> None:
    germany, abroad = sql(
        retail,
        "SELECT sum(paid_amount) FILTER (WHERE country = 'Germany'), sum(paid_amount) FROM orders "
        "WHERE paid_at >= '2011-01-01' AND paid_at < '2011-12-01' "
        "AND country <> 'United Kingdom'",
    )[0]
    (got,) = rows(retail, question)
    assert float(got[0]) == pytest.approx(float(germany), abs=0.01)
    assert float(got[1]) == pytest.approx(float(abroad), abs=0.01)
    assert float(got[-1]) == pytest.approx(float(germany) / float(abroad), abs=1e-4)


def test_value_share_of_a_whole_counts(retail: Any) -> None:
    germany, abroad = sql(
        retail,
        "SELECT count(*) FILTER (WHERE country = 'Germany'), count(*) FROM orders "
        "WHERE created_at >= '2011-11-01' AND created_at < '2011-12-01' "
        "AND country <> 'United Kingdom'",
    )[0]
    (got,) = rows(retail, "11月德国占海外订单数的比例")
    assert (got[0], got[1]) == (germany, abroad)


def test_value_share_of_another_value_of_its_own_dimension_is_not_reordered(olist: Any) -> None:
    # the part and the whole values of one dimension (SP within RJ): no part of a named whole
    from shopql.nlq.offline import _part_of_a_named_whole

    assert _part_of_a_named_whole("今年SP占RJ订单数的比例", olist) is None
    assert _part_of_a_named_whole("今年信用卡占SP订单数的比例", olist) is not None


@pytest.mark.parametrize(
    "question",
    [
        "17年买过 但最近90天一单没买的客户 有多少",
        "2017年买过但近90天没买过的客户有几个",
        "2017年 买过 但 最近90天 没 再买 的 客户",
    ],
)
def test_bought_in_a_period_then_lapsed(olist: Any, question: str) -> None:
    (want,) = sql(
        olist,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at >= '2017-01-01' "
        "AND paid_at < '2018-01-01' AND one_id IS NOT NULL EXCEPT SELECT one_id FROM orders "
        "WHERE paid_at >= '2018-06-03' AND paid_at < '2018-09-01')",
    )[0]
    assert rows(olist, question) == [(want,)]


def test_lapsed_with_a_period_and_no_purchase_said_stays_refused(olist: Any) -> None:
    # the period is no purchase's: which condition it belongs to is not said
    refused(olist, "2017年 最近90天没买的客户有多少")


@pytest.mark.parametrize(
    "question", ["今年 卖出去 单价 最高 的 一件 多少钱", "今年卖出去单价最高的一件多少钱"]
)
def test_one_item_extreme(olist: Any, question: str) -> None:
    (want,) = sql(
        olist,
        "SELECT max(i.unit_price) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "WHERE o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'",
    )[0]
    (got,) = rows(olist, question)
    assert float(got[0]) == pytest.approx(float(want), abs=0.01)


def test_one_item_beside_a_count_is_a_condition(olist: Any) -> None:
    refused(olist, "只买了一件的订单有几单")
