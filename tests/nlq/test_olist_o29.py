"""Olist questions of session 29 (helper o): wrong answers of the dev sets read as general
mechanisms, values against hand-written SQL on the real Olist workspace (today 2018-09-01).

- An average (or a ratio) asked of two or more values of one dimension, each said and joined by
  和 / and ("RJ州 和 MG州 的 平均运费"), is each value's own figure: one row each. Taken together
  (加起来, 一共 …), said with 或, or a sum / a count, it stays one figure.
- The bare orders noun right before an average ("订单平均运费", "订单 平均 运费") is whose average,
  not an order count listed beside it.
- "平均每单多少钱 运费多少": the order value asked, then the freight per order — both figures.
- "从来没在SP买过的客户": the people with no order there at any time, not the buyers of orders
  placed elsewhere (who may have bought in SP too); with a period said, both within it.
- "这段时间" after a period said is that period; 取消单数 is the cancelled orders counted;
  多出来 is how many more.
"""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql, sql_number

_AUG = "o.created_at >= '2018-08-01' AND o.created_at < '2018-09-01'"
_STATE = "JOIN customers c ON c.customer_id = o.customer_id"


@pytest.mark.parametrize(
    "question",
    [
        "上个月 RJ州 和 MG州 的 订单 平均 运费",
        "上个月RJ州和MG州的订单平均运费",
        "上个月RJ和MG的平均运费",
        "average freight for RJ and MG last month",
    ],
)
def test_an_average_of_two_named_states_is_one_row_each(olist: Workspace, question: str) -> None:
    want = sql(
        olist,
        f"SELECT c.province, round(avg(o.shipping_fee), 2) FROM orders o {_STATE} WHERE"
        f" c.province IN ('RJ', 'MG') AND {_AUG} GROUP BY 1 ORDER BY 1",
    )
    assert [(r[0], float(r[1])) for r in want] == [("MG", 26.05), ("RJ", 23.94)]
    got = sorted((r[0], float(r[-1])) for r in rows(olist, question))
    assert got == [(r[0], float(r[1])) for r in want], question


@pytest.mark.parametrize(
    "question",
    ["RJ州和MG州加起来的平均运费", "RJ或MG的平均运费", "RJ和MG一共的平均运费"],
)
def test_an_average_taken_together_stays_one_figure(olist: Workspace, question: str) -> None:
    want = sql_number(
        olist,
        f"SELECT avg(o.shipping_fee) FROM orders o {_STATE} WHERE c.province IN ('RJ', 'MG')",
    )
    got = rows(olist, question)
    assert len(got) == 1 and float(got[0][-1]) == pytest.approx(want, abs=0.01), question


def test_a_count_of_two_named_states_stays_one_total(olist: Workspace) -> None:
    want = sql_number(
        olist, f"SELECT count(*) FROM orders o {_STATE} WHERE c.province IN ('RJ', 'MG')"
    )
    assert rows(olist, "RJ和MG的订单数") == [(want,)]


@pytest.mark.parametrize("question", ["上个月订单平均运费", "上个月 订单 平均 运费"])
def test_the_orders_noun_before_an_average_is_whose(olist: Workspace, question: str) -> None:
    want = sql_number(olist, f"SELECT round(avg(o.shipping_fee), 2) FROM orders o WHERE {_AUG}")
    got = rows(olist, question)
    assert len(got) == 1 and len(got[0]) == 1, got
    assert float(got[0][0]) == pytest.approx(want, abs=0.01) and want == 23.04


def test_a_count_said_beside_an_average_stays_listed(olist: Workspace) -> None:
    got = rows(olist, "上个月订单数 平均运费")
    assert got and len(got[0]) == 2 and got[0][0] == 6512


@pytest.mark.parametrize(
    "question",
    ["平均每单多少钱 运费多少", "平均每单多少钱，运费多少", "上个月 平均 每单 多少钱 运费 多少"],
)
def test_the_order_value_then_the_freight_asked(olist: Workspace, question: str) -> None:
    period = _AUG if "上个月" in question else "true"
    aov = sql_number(
        olist,
        "SELECT sum(paid_amount) / count(*) FROM orders o WHERE paid_at IS NOT NULL AND"
        f" {period.replace('created_at', 'paid_at')}",
    )
    freight = sql_number(olist, f"SELECT avg(o.shipping_fee) FROM orders o WHERE {period}")
    got = rows(olist, question)
    assert len(got) == 1 and len(got[0]) == 2, got
    assert float(got[0][0]) == pytest.approx(aov, abs=0.01)
    assert float(got[0][1]) == pytest.approx(freight, abs=0.01)


@pytest.mark.parametrize("question", ["平均每单多少运费", "平均每单付了多少钱运费"])
def test_the_freight_per_order_alone(olist: Workspace, question: str) -> None:
    got = rows(olist, question)
    assert len(got) == 1 and len(got[0]) == 1 and float(got[0][0]) == pytest.approx(22.82)


def _never(where: str, period: str = "paid_at IS NOT NULL") -> float:
    return (
        "SELECT count(*) FROM (SELECT o.one_id FROM orders o LEFT JOIN customers c ON"
        f" c.customer_id = o.customer_id WHERE o.{period} AND o.one_id IS NOT NULL GROUP BY 1"
        f" HAVING NOT bool_or(coalesce({where}, false)))"
    )


@pytest.mark.parametrize(
    "question",
    [
        "从来没在SP买过的客户有多少",
        "从来 没 在 SP 买 过 的 客户 有 多少",
        "从没在SP下过单的客户有多少",
        "how many customers never bought in SP",
    ],
)
def test_never_bought_in_a_state_is_people_with_no_order_there(
    olist: Workspace, question: str
) -> None:
    want = sql_number(olist, _never("coalesce(o.province, c.province) = 'SP'"))
    outside = sql_number(
        olist,
        f"SELECT count(DISTINCT o.one_id) FROM orders o {_STATE} WHERE o.paid_at IS NOT NULL AND"
        " c.province <> 'SP'",
    )
    assert want == 55742 and outside > want  # the buyers outside SP include SP buyers too
    assert number(olist, question) == want, question


def test_never_paid_by_card_within_the_year(olist: Workspace) -> None:
    ytd = "paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'"
    want = sql_number(olist, _never("o.payment_channel = 'credit_card'", ytd))
    assert want == 11815
    assert number(olist, "今年从来没用过信用卡付款的买家有多少") == want
    ever = sql_number(olist, _never("o.payment_channel = 'credit_card'"))
    assert number(olist, "从来没用过信用卡付款的客户有几个") == ever == 21943


def test_never_with_another_figure_is_refused(olist: Workspace) -> None:
    refused(olist, "从来没在SP买过的客户的销售额")


def test_a_state_left_out_stays_the_orders_outside(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT count(DISTINCT o.one_id) FROM orders o LEFT JOIN customers c ON c.customer_id ="
        " o.customer_id WHERE o.paid_at IS NOT NULL AND coalesce(o.province, c.province) <> 'SP'",
    )
    assert number(olist, "SP以外的客户有多少") == want


def test_this_span_after_a_period_is_placed(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT count(*) FROM orders WHERE created_at >= '2018-05-01' AND created_at < '2018-06-16'",
    )
    assert number(olist, "5月1号至6月15号这段时间 下单量多少") == want == 10026
    refused(olist, "这段时间下单量多少")


@pytest.mark.parametrize("question", ["今年逐月的取消单数", "今年 每个月 取消单量"])
def test_cancelled_orders_said_as_cancel_orders(olist: Workspace, question: str) -> None:
    want = sql(
        olist,
        "SELECT date_trunc('month', created_at), count(*) FROM orders WHERE status = 'cancelled'"
        " AND created_at >= '2018-01-01' AND created_at < '2018-09-01' GROUP BY 1 ORDER BY 1",
    )
    got = rows(olist, question)
    assert [int(r[-1]) for r in got] == [int(r[1]) for r in want], question


@pytest.mark.parametrize("question", ["今年每个月的几号下单最多", "今年 每个 月 的 几号 下单 最多"])
def test_the_day_of_the_month_after_each_month(olist: Workspace, question: str) -> None:
    """ "每个月的几号": the day of the month over all months (one row), as 每个月几号."""
    want = sql(
        olist,
        "SELECT day(created_at), count(*) FROM orders WHERE created_at >= '2018-01-01' AND"
        " created_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    assert want == [(16, 2135)]
    assert rows(olist, question)[0] == want[0], question


def test_each_months_own_top_day_stays(olist: Workspace) -> None:
    got = rows(olist, "今年每个月里下单最多的是几号")
    assert len(got) == 8 and int(got[0][-1]) == 314


def test_how_many_more_said_with_chulai(olist: Workspace) -> None:
    got = rows(olist, "8月跟7月比 买家多出来几个")
    assert int(got[0][-1]) == 461


def test_units_past_a_hundred(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT count(*) FROM (SELECT coalesce(i.spu_id, i.product_id) FROM order_items i JOIN"
        " orders o ON o.order_id = i.order_id WHERE o.paid_at >= '2018-01-01' AND o.paid_at <"
        " '2018-09-01' GROUP BY 1 HAVING sum(i.quantity) > 100)",
    )
    assert number(olist, "今年销量过百的单品有多少个") == want == 27


@pytest.mark.parametrize(
    "question",
    [
        "voucher和debit_card 今年各自收了多少钱",
        "voucher和debit_card今年各收了多少钱",
        "voucher 和 debit_card 今年 各自 收了 多少钱",
    ],
)
def test_each_said_before_the_money_verb_is_one_row_each(olist: Workspace, question: str) -> None:
    want = sql(
        olist,
        "SELECT payment_channel, sum(paid_amount) FROM orders WHERE payment_channel IN"
        " ('voucher', 'debit_card') AND paid_at >= '2018-01-01' AND paid_at < '2018-09-01'"
        " GROUP BY 1 ORDER BY 1",
    )
    got = sorted((r[0], float(r[-1])) for r in rows(olist, question))
    assert got == [(r[0], pytest.approx(float(r[1]), abs=0.01)) for r in want], question


def test_two_single_days_added_said_as_two_days(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT sum(paid_amount) FROM orders WHERE (paid_at >= '2017-11-11' AND paid_at <"
        " '2017-11-12') OR (paid_at >= '2018-06-18' AND paid_at < '2018-06-19')",
    )
    q = "2017年11月11日 和 2018年6月18日 两天 合计 销售额"
    assert number(olist, q) == pytest.approx(want, abs=0.01)
    refused(olist, "2017年11月11日 和 2018年6月18日 三天 合计 销售额")


def test_the_count_listed_by_month(olist: Workspace) -> None:
    got = rows(olist, "今年被取消的订单 按月份列个数")
    assert [int(r[-1]) for r in got][:3] == [82, 103, 43]


def test_at_least_once_is_having_done_it(olist: Workspace) -> None:
    want = sql_number(
        olist,
        "SELECT count(DISTINCT o.one_id) FROM reviews r JOIN orders o ON o.order_id = r.order_id"
        " WHERE r.score = 1 AND r.created_at >= '2018-01-01' AND r.created_at < '2018-09-01'",
    )
    assert number(olist, "今年 至少 打过 一次 1星 的 买家 有 几个") == want == 6615


@pytest.mark.parametrize(
    "question", ["how many orders and cities did we ship to last month", "上个月发了多少单和城市"]
)
def test_a_place_word_joined_to_a_count_is_counted(olist: Workspace, question: str) -> None:
    """Both counted (the cities of the orders shipped in August), not orders by city."""
    shipped = "shipped_at >= '2018-08-01' AND o.shipped_at < '2018-09-01'"
    orders = sql_number(olist, f"SELECT count(*) FROM orders o WHERE o.{shipped}")
    cities = sql_number(
        olist,
        "SELECT count(DISTINCT coalesce(o.city, c.city)) FROM orders o LEFT JOIN customers c ON"
        f" c.customer_id = o.customer_id WHERE o.{shipped}",
    )
    assert rows(olist, question) == [(orders, cities)], question
    assert (orders, cities) == (7058, 1239)


def test_a_place_word_after_by_stays_a_breakdown(olist: Workspace) -> None:
    got = rows(olist, "how many orders by city last month")
    assert got[0][0] == "sao paulo" and len(got) > 100
