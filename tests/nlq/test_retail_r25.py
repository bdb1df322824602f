"""Online Retail questions answered, never another question (issue 11, session 25, helper r).

Groups counted by a metric said with 过了 (有多少个国家 买家数过了10个) or that "had" something said with
有过 / 出现过 / 开过 (was two figures side by side); a bound said with 张 alone (至少 20张: invoices);
the average return said with its verb (退货单平均每张退多少钱); the pieces per buyer of the people who
bought a product (买过JUMBO BAG的客户 平均每人买了几个); a share of the year's part said up to today
(第四季度到现在); pieces said of people are each person's total (买了超过1万件的客户: was the people
with one such invoice); numbers with thousands separators; the ratio of two counts (A和B的比); the
days between purchases said with 隔; spoken words (回头客户, 英国本土, 净增, 退货退钱, 发票平均金额,
一张发票买了…的 有几张). Values against hand-written SQL on the Retail test workspace (today
2011-12-01); paraphrases in both languages, with and without spaces."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql, sql_number

PAID_2011 = "paid_at >= '2011-01-01' AND paid_at < '2011-12-01'"
C_2011 = (
    "raw_status = 'cancellation invoice' AND created_at >= '2011-01-01' "
    "AND created_at < '2011-12-01'"
)


def _close(a: object, b: object, places: float = 0.01) -> bool:
    return abs(float(a) - float(b)) < places  # type: ignore[arg-type]


# -- groups counted by a condition on a metric ------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "今年有多少个国家 买家数过了10个",
        "今年买家数过了10个的国家有几个",
        "今年 有几个 国家 买家数 过了 10个",
        "how many countries had more than 10 buyers this year",
    ],
)
def test_countries_whose_buyers_passed_a_number(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM (SELECT country FROM orders WHERE country IS NOT NULL AND one_id "
        f"IS NOT NULL AND {PAID_2011} GROUP BY 1 HAVING count(DISTINCT one_id) > 10)",
    )
    assert rows(retail, question)[0][0] == want, question


def test_a_verb_said_with_guo_le_is_no_condition(retail: Workspace) -> None:
    # 买过了3次 names no metric before 过了: not a count of anything compared (refused, as before)
    assert refused(retail, "今年买过了3次的客户有几个")


@pytest.mark.parametrize(
    "question",
    [
        "今年 有 几个 国家 出现过 退货单",
        "今年有几个国家有过退货单",
        "今年开过退货单的国家有几个",
        "今年出现过退货单的国家有几个",
    ],
)
def test_countries_that_had_returns(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail, f"SELECT count(DISTINCT country) FROM orders WHERE {C_2011} AND country IS NOT NULL"
    )
    got = rows(retail, question)
    assert len(got) == 1 and len(got[0]) == 1, question  # one figure, not two side by side
    assert got[0][0] == want, question


@pytest.mark.parametrize(
    "question",
    [
        "今年 平均 每张 发票 金额 最高 的 5个 国家 (至少 20张)",
        "今年平均每张发票金额最高的5个国家（至少20张）",
        "今年客单价最高的5个国家 (至少 20张)",
    ],
)
def test_top_countries_by_invoice_value_with_a_bound_in_invoices(
    retail: Workspace, question: str
) -> None:
    want = sql(
        retail,
        "SELECT country, avg(paid_amount) FROM orders WHERE country IS NOT NULL AND "
        f"{PAID_2011} GROUP BY 1 HAVING count(*) >= 20 ORDER BY 2 DESC LIMIT 5",
    )
    got = rows(retail, question)
    assert [r[0] for r in got] == [w[0] for w in want], question
    assert all(_close(r[1], w[1]) for r, w in zip(got, want, strict=True)), question


# -- returns -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "今年退货单平均每张退多少钱",
        "今年 退货单 平均 每张 退 多少钱",
        "今年平均每张退货单退了多少钱",
        "今年退单每张平均退多少",
    ],
)
def test_average_return_said_with_its_verb(retail: Workspace, question: str) -> None:
    want = sql_number(retail, f"SELECT avg(refund_amount) FROM orders WHERE {C_2011}")
    assert _close(rows(retail, question)[0][0], want), question


@pytest.mark.parametrize(
    "question",
    ["今年 退货单 金额 最高 的 客户 是 谁", "今年退货单金额最高的客户是谁"],
)
def test_customer_with_the_most_returned(retail: Workspace, question: str) -> None:
    (want,) = sql(
        retail,
        f"SELECT one_id, sum(refund_amount) FROM orders WHERE {C_2011} AND one_id IS NOT NULL "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    got = rows(retail, question)
    # the person's accounts sit between the person and the figure (session 41)
    assert got[0][0] == want[0] and _close(got[0][-1], want[1]), question


@pytest.mark.parametrize(
    "question", ["今年单张退货单 退得最多的那张多少钱", "今年 单张 退货单 退得 最多 的 那张 多少钱"]
)
def test_largest_return(retail: Workspace, question: str) -> None:
    want = sql_number(retail, f"SELECT max(refund_amount) FROM orders WHERE {C_2011}")
    assert _close(rows(retail, question)[0][0], want), question


def test_countries_by_the_money_returned(retail: Workspace) -> None:
    want = sql(
        retail,
        f"SELECT country, sum(refund_amount) FROM orders WHERE {C_2011} AND country IS NOT NULL "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 5",
    )
    got = rows(retail, "今年退货退钱最多的国家前五")
    assert [r[0] for r in got] == [w[0] for w in want]
    assert all(_close(r[1], w[1]) for r, w in zip(got, want, strict=True))


@pytest.mark.parametrize(
    "question",
    [
        "今年退货单数和订单数的比是多少",
        "今年退货单张数和发票张数的比是多少",
        "今年退货单数与订单数之比",
        "今年 退货单数 和 订单数 的 比",
    ],
)
def test_ratio_of_two_counts(retail: Workspace, question: str) -> None:
    (want,) = sql(
        retail,
        "SELECT count(*) FILTER (WHERE raw_status = 'cancellation invoice'), count(*) FROM orders "
        "WHERE created_at >= '2011-01-01' AND created_at < '2011-12-01'",
    )
    got = rows(retail, question)[0]
    assert got[:2] == want, question
    assert _close(got[-1], want[0] / want[1], 0.0001), question  # the ratio itself, not only both


# -- people ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "今年买过JUMBO BAG的客户 平均每人买了几个",
        "今年买过JUMBO BAG的客户平均每人买了多少件",
        "今年 买过 JUMBO BAG 的 客户 人均 买了 几件",
        "customers who bought JUMBO BAG this year, how many units per customer",
    ],
)
def test_units_per_buyer_of_a_product(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT sum(i.quantity) * 1.0 / count(DISTINCT o.one_id) FROM order_items i JOIN orders o "
        "ON o.order_id = i.order_id WHERE i.clean_title LIKE '%JUMBO BAG%' AND o.one_id IS NOT "
        "NULL AND o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01'",
    )
    got = rows(retail, question)
    assert len(got[0]) == 1 and _close(got[0][0], want), question


@pytest.mark.parametrize(
    "question",
    [
        "how many customers bought more than 10,000 units this year",
        "how many customers bought more than 10000 units this year",
        "今年买了超过1万件的客户有几个",
        "今年 买了 超过 1万件 的 客户 有 几个",
    ],
)
def test_pieces_said_of_people_are_their_total(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM (SELECT o.one_id FROM order_items i JOIN orders o ON o.order_id = "
        "i.order_id WHERE o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01' AND o.one_id IS "
        "NOT NULL GROUP BY 1 HAVING sum(i.quantity) > 10000)",
    )
    assert rows(retail, question)[0][0] == want > 0, question  # not those with one such invoice


def test_pieces_of_one_invoice_said_of_people_stay_each_invoice(retail: Workspace) -> None:
    want = sql_number(
        retail,
        "SELECT count(DISTINCT o.one_id) FROM orders o WHERE o.paid_at >= '2011-01-01' AND "
        "o.paid_at < '2011-12-01' AND o.order_id IN (SELECT order_id FROM order_items GROUP BY 1 "
        "HAVING sum(quantity) > 1000)",
    )
    assert rows(retail, "今年一单买了超过1000件的客户有几个")[0][0] == want


def test_spend_with_thousands_separators(retail: Workspace) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE one_id IS NOT NULL AND "
        f"{PAID_2011} GROUP BY 1 HAVING sum(paid_amount) > 5000)",
    )
    assert rows(retail, "how many customers spent over £5,000 this year")[0][0] == want


@pytest.mark.parametrize(
    "question",
    ["今年客户每两次购买之间平均隔几天", "今年 客户 两次 购买 之间 平均 隔 多少天"],
)
def test_days_between_purchases(retail: Workspace, question: str) -> None:
    # Session 36 (A): both purchases in the period (the period's orders ranked), as the blind dev
    # golds w23, w24r21, w27d21, w29r21, w30r21 write it; dev_w22's gold (this test's before) took
    # the earlier purchase at any time — a gold dispute, decided by the later sets
    want = sql_number(
        retail,
        "WITH r AS (SELECT one_id, paid_at, lag(paid_at) OVER (PARTITION BY one_id ORDER BY "
        "paid_at) AS prev FROM orders WHERE one_id IS NOT NULL AND paid_at >= '2011-01-01' AND "
        "paid_at < '2011-12-01') SELECT avg(date_diff('second', prev, paid_at) / 86400.0) FROM r "
        "WHERE prev IS NOT NULL",
    )
    assert _close(rows(retail, question)[0][0], want), question


def test_days_between_purchases_of_a_first_order_cohort_refused(retail: Workspace) -> None:
    # whose period is 今年: the first order's or the purchases'? not guessed
    assert refused(retail, "第一单在德国的客户 今年两次购买之间平均隔几天")


def test_new_and_returning_customers_each_month(retail: Workspace) -> None:
    got = rows(retail, "今年每个月新客户和回头客户各多少人")
    want = sql(
        retail,
        "WITH f AS (SELECT one_id, min(paid_at) AS f FROM orders WHERE paid_at IS NOT NULL AND "
        "one_id IS NOT NULL GROUP BY 1) SELECT date_trunc('month', o.paid_at), count(DISTINCT "
        "o.one_id) FILTER (WHERE date_trunc('month', f.f) = date_trunc('month', o.paid_at)), "
        "count(DISTINCT o.one_id) FILTER (WHERE f.f < date_trunc('month', o.paid_at)) FROM orders "
        "o JOIN f ON f.one_id = o.one_id WHERE o.paid_at >= '2011-01-01' AND o.paid_at < "
        "'2011-12-01' GROUP BY 1 ORDER BY 1",
    )
    assert [tuple(r[1:]) for r in got] == [tuple(w[1:]) for w in want]


def test_uk_and_overseas_spend_per_customer(retail: Workspace) -> None:
    want = dict(
        sql(
            retail,
            "SELECT coalesce(country = 'United Kingdom', false), sum(paid_amount) / "
            "count(DISTINCT one_id) FROM orders WHERE one_id IS NOT NULL AND "
            f"{PAID_2011} GROUP BY 1",  # session 26: a row with no country is overseas
        )
    )
    got = {r[0]: r[-1] for r in rows(retail, "今年英国本土客户vs海外客户 每人平均消费")}
    assert _close(got["United Kingdom"], want[True])
    assert _close(got["Rest of the world"], want[False])


def test_buyers_net_change_between_quarters(retail: Workspace) -> None:
    (q2, q3) = sql(
        retail,
        "SELECT count(DISTINCT one_id) FILTER (WHERE paid_at >= '2011-04-01' AND paid_at < "
        "'2011-07-01'), count(DISTINCT one_id) FILTER (WHERE paid_at >= '2011-07-01' AND paid_at "
        "< '2011-10-01') FROM orders WHERE one_id IS NOT NULL",
    )[0]
    got = rows(retail, "从Q2到Q3 今年买家人数净增了多少")[0]
    assert q3 - q2 in got


# -- invoices ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question", ["11月 一张 发票 买了 超过 1000件 的 有 几张", "11月一张发票买了超过1000件的有几张"]
)
def test_invoices_of_over_a_thousand_pieces(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM (SELECT o.order_id FROM orders o JOIN order_items i ON i.order_id = "
        "o.order_id WHERE o.created_at >= '2011-11-01' AND o.created_at < '2011-12-01' GROUP BY 1 "
        "HAVING sum(i.quantity) > 1000)",
    )
    assert rows(retail, question)[0][0] == want, question


@pytest.mark.parametrize(
    "question", ["今年 发票 金额 的 中位数 和 平均数 各 是 多少", "今年发票金额的中位数和平均值"]
)
def test_median_and_mean_invoice_value(retail: Workspace, question: str) -> None:
    (median, mean) = sql(
        retail, f"SELECT median(paid_amount), avg(paid_amount) FROM orders WHERE {PAID_2011}"
    )[0]
    got = rows(retail, question)[0]
    assert _close(got[0], median) and _close(got[1], mean), question


def test_average_invoice_value_of_two_weekdays(retail: Workspace) -> None:
    want = dict(
        sql(
            retail,
            "SELECT isodow(paid_at), sum(paid_amount) / count(*) FROM orders WHERE isodow(paid_at) "
            f"IN (4, 5) AND {PAID_2011} GROUP BY 1",
        )
    )
    got = {r[0]: r[-1] for r in rows(retail, "今年周四和周五 哪天的发票平均金额高")}
    assert got.keys() == want.keys()
    assert all(_close(got[k], want[k]) for k in want)


@pytest.mark.parametrize(
    "question", ["今年的销售额里 第四季度到现在占多少", "今年的销售额里第四季度到现在占多少"]
)
def test_share_of_the_year_since_a_quarter_began(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT sum(paid_amount) FILTER (WHERE paid_at >= '2011-10-01') / sum(paid_amount) FROM "
        f"orders WHERE {PAID_2011}",
    )
    assert _close(rows(retail, question)[0][-1], want, 0.0001), question


def test_most_typed_as_zui_dui(retail: Workspace) -> None:
    (want,) = sql(
        retail,
        "SELECT isodow(created_at), count(*) FROM orders WHERE created_at >= '2011-01-01' AND "
        "created_at < '2011-12-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    got = rows(retail, "今年 周几 开票 最对")
    assert (got[0][0], got[0][-1]) == want


@pytest.mark.parametrize(
    "question", ["今年 被 退 得 最多 的 商品 (按 退货单 张数)", "今年被退得最多的商品"]
)
def test_product_returned_the_most(retail: Workspace, question: str) -> None:
    (want,) = sql(
        retail,
        "SELECT coalesce(i.spu_id, i.product_id), count(DISTINCT i.order_id) FROM order_items i "
        "JOIN orders o ON o.order_id = i.order_id WHERE o.raw_status = 'cancellation invoice' AND "
        "i.product_id IS NOT NULL AND o.created_at >= '2011-01-01' AND o.created_at < '2011-12-01' "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    got = rows(retail, question)
    assert (got[0][0], got[0][-1]) == want, question


@pytest.mark.parametrize(
    "question",
    ["今年 件单价 最高的 国家 (至少卖了1000件)", "今年件单价最高的国家（至少 卖出 1000件）"],
)
def test_price_per_piece_of_countries_that_sold_enough(retail: Workspace, question: str) -> None:
    (want,) = sql(
        retail,
        "SELECT g.country, g.gmv / u.units FROM (SELECT country, sum(paid_amount) AS gmv FROM "
        f"orders WHERE {PAID_2011} GROUP BY 1) g JOIN (SELECT o.country, sum(i.quantity) AS units "
        "FROM order_items i JOIN orders o ON o.order_id = i.order_id WHERE o.paid_at >= "
        "'2011-01-01' AND o.paid_at < '2011-12-01' GROUP BY 1) u ON u.country = g.country WHERE "
        "u.units >= 1000 ORDER BY 2 DESC LIMIT 1",
    )
    got = rows(retail, question)
    assert got[0][0] == want[0] and _close(got[0][1], want[1]), question


def test_a_minimum_sold_beside_the_average_unit_price_refused(retail: Workspace) -> None:
    # 平均单价: line amounts / units, or the mean of the lines' prices? not guessed here
    assert refused(retail, "上季度 平均 单价 最高 的 商品 (至少 卖了 100件)")


@pytest.mark.parametrize(
    "question",
    [
        "This year, how many distinct products per invoice on average",
        "今年每张发票平均有几种不同的商品",
    ],
)
def test_distinct_products_per_invoice(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT count(DISTINCT i.order_id || '|' || coalesce(i.spu_id, i.product_id)) * 1.0 / "
        "count(DISTINCT i.order_id) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "WHERE i.product_id IS NOT NULL AND o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01'",
    )
    assert _close(rows(retail, question)[0][0], want), question
