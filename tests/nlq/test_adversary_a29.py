"""Session 29, helper a (adversary): questions that look like answered ones but MEAN something
else — a word added that the engine used to drop, so the answer was the unmutated question's.
Each fix: the word read (values against hand-written SQL on the real workspaces) or the
question refused with the word named.

- 分别 / 各 right after a span of months or quarters ("1月到3月分别卖了多少", "今年 头 两个月 分别
  多少单", "2017年四个季度各卖了多少单") is one row per month (quarter), not the span's one total.
- 分别 / 各自 / 各 + a verb left over an answer of one total (no breakdown, no grain, no
  comparison, one metric: "今年SP和RJ以外的州分别卖了多少") is refused with the word named.
- A count right after a refund word ("退款超过2次的客户", "退 了 3次 及 以上 的 客户") counts
  refunds: no longer read as N+ paid orders (refused: the count left unplaced).
- Two values set side by side (vs / 对比 / 分别) in a set of people's condition, the answer one
  figure over both ("SP vs RJ buyers who ordered only once: average freight"): refused.
- "天猫和京东都没买过的客户" (never either) was read as bought on Tmall and never on JD: refused.
- "rank the months of 2017 by number of customers who ordered only once" answered a list of
  people (the months dropped): refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql

_MONTHLY_GMV = (
    "SELECT CAST(date_trunc('month', paid_at) AS DATE), sum(paid_amount) FROM orders"
    " WHERE paid_at >= '{a}' AND paid_at < '{b}' GROUP BY 1 ORDER BY 1"
)
_MONTHLY_ORDERS = (
    "SELECT CAST(date_trunc('{unit}', created_at) AS DATE), count(*) FROM orders"
    " WHERE created_at >= '{a}' AND created_at < '{b}' GROUP BY 1 ORDER BY 1"
)


def _last_month(demo: Any) -> tuple[dt.date, dt.date]:
    end = demo.today.replace(day=1)
    return (end - dt.timedelta(days=1)).replace(day=1), end


def _same(got: list[tuple], want: list[tuple]) -> None:
    assert len(got) == len(want), (got, want)
    for g, w in zip(got, want, strict=True):
        assert str(g[0])[:10] == str(w[0])[:10]
        assert float(g[-1]) == pytest.approx(float(w[-1]), abs=0.01)


@pytest.mark.parametrize(
    "question", ["1月到3月分别卖了多少", "1月到3月各卖了多少", "1 月 到 3 月 销售额 分别 是多少"]
)
def test_each_month_of_a_span_is_a_row(olist: Workspace, question: str) -> None:
    """2018-01 … 2018-03 paid sales, one row a month (1,106,076.67 / 984,422.01 / 1,170,383.27)."""
    want = sql(olist, _MONTHLY_GMV.format(a="2018-01-01", b="2018-04-01"))
    assert round(float(want[0][1]), 2) == 1106076.67
    _same(rows(olist, question), want)


@pytest.mark.parametrize(
    ("question", "unit", "a", "b"),
    [
        ("今年 头 两个月 分别 多少单", "month", "2018-01-01", "2018-03-01"),
        ("今年前两个月的订单各有多少", "month", "2018-01-01", "2018-03-01"),
        ("2017年5月至7月的订单分别有多少", "month", "2017-05-01", "2017-08-01"),
        ("2017年 四个 季度 订单 分别 多少", "quarter", "2017-01-01", "2018-01-01"),
    ],
)
def test_each_period_of_a_span_counts_its_orders(
    olist: Workspace, question: str, unit: str, a: str, b: str
) -> None:
    _same(rows(olist, question), sql(olist, _MONTHLY_ORDERS.format(unit=unit, a=a, b=b)))


def test_each_quarter_counts_its_orders_sold(olist: Workspace) -> None:
    """ "2017年四个季度各卖了多少单": one row per quarter of the orders SOLD = paid, by payment
    time (convention, session 36: 卖了几单 is the paid orders, as every blind gold that asks it;
    下了几单 / 订单数 stay the orders placed)."""
    want = sql(
        olist,
        _MONTHLY_ORDERS.format(unit="quarter", a="2017-01-01", b="2018-01-01").replace(
            "created_at", "paid_at"
        ),
    )
    _same(rows(olist, "2017年四个季度各卖了多少单"), want)


@pytest.mark.parametrize(
    "question",
    [
        "今年SP和RJ以外的州分别卖了多少",
        "今年 SP 和 RJ 以外 的 州 分别 卖了 多少",
        "今年perfumaria分别卖出去几件",
    ],
)
def test_each_over_one_total_is_refused(olist: Workspace, question: str) -> None:
    e = refused(olist, question)
    assert any(w in ("分别", "各自", "各") for w in e.unknown), e


def test_each_of_named_values_still_splits(olist: Workspace) -> None:
    """信用卡 和 boleto 分别: one row per channel (the word read by the values, not refused)."""
    got = rows(olist, "今年信用卡和boleto分别有多少单")
    assert len(got) == 2


# --- a count said right after a refund word counts refunds, not orders bought ---


@pytest.mark.parametrize(
    "question",
    [
        "上个月退款超过2次的客户有多少",
        "上个月 退款 不止 一次 的 客户 有 几个",
        "近90天 退 了 3次 及 以上 的 客户",
        "上个月退货超过1次的买家有几个",
    ],
)
def test_a_count_of_refunds_is_no_count_of_orders(demo: Any, question: str) -> None:
    """Read before as people with N+ paid orders (and a refund / the refund amount): refused."""
    refused(demo, question)


def test_a_count_of_purchases_still_counts_orders(demo: Any) -> None:
    a, b = _last_month(demo)
    want = sql(
        demo,
        "SELECT count(*) FROM (SELECT one_id FROM orders WHERE paid_at IS NOT NULL AND"
        f" paid_at >= '{a}' AND paid_at < '{b}' AND one_id IS NOT NULL GROUP BY 1"
        " HAVING count(*) >= 3)",
    )
    assert rows(demo, "上个月买了3次以上的客户有几个")[0][0] == want[0][0]


# --- two values set side by side inside a set of people: not one figure over both ---


@pytest.mark.parametrize(
    "question",
    [
        "SP vs RJ buyers who ordered only once: average freight per order in 2018 so far",
        "average freight this year for customers who ordered only once, SP vs RJ",
        "customers who ordered only once in SP versus RJ: their sales this year",
    ],
)
def test_values_side_by_side_in_people_are_not_merged(olist: Workspace, question: str) -> None:
    refused(olist, question)


def test_values_side_by_side_as_a_breakdown_still_answer(olist: Workspace) -> None:
    """Repeat buyers this year, SP and RJ one row each (the catalog metric, split)."""
    got = dict((r[0], r[1]) for r in rows(olist, "How many repeat customers in SP vs RJ this year"))
    assert set(got) == {"SP", "RJ"}


# --- 都没 over two things: never either, not one bought and the other never ---


@pytest.mark.parametrize(
    "question",
    [
        "天猫和京东都没买过的客户有几个",
        "天猫 和 京东 都 没 买过 的 客户 有 几个",
        "羊绒大衣和羊绒围巾都从来没买过的客户有几个",
    ],
)
def test_neither_is_not_one_bought_and_one_never(demo: Any, question: str) -> None:
    refused(demo, question)


def test_bought_both_but_never_a_third_still_answers(demo: Any) -> None:
    """买过天猫 但没在京东买过: the people on Tmall with no JD order ever (hand-written SQL)."""
    want = sql(
        demo,
        "SELECT count(*) FROM (SELECT DISTINCT one_id FROM orders WHERE paid_at IS NOT NULL AND"
        " platform = 'tmall' AND one_id IS NOT NULL EXCEPT SELECT DISTINCT one_id FROM orders"
        " WHERE paid_at IS NOT NULL AND platform = 'jd')",
    )
    assert rows(demo, "在天猫买过但没在京东买过的客户有几个")[0][0] == want[0][0]


# --- the months asked for, the answer a list of people: refused ---


@pytest.mark.parametrize(
    "question",
    [
        "rank the months of 2017 by number of customers who ordered only once",
        "rank the months of 2017 by the number of customers who only ordered once",
    ],
)
def test_months_asked_are_no_list_of_people(olist: Workspace, question: str) -> None:
    refused(olist, question)


def test_a_list_of_people_still_answers(olist: Workspace) -> None:
    """People with exactly one paid order in 2017: a list, each with that one paid order."""
    got = rows(olist, "list the customers who ordered only once in 2017")
    assert got and all(int(r[2]) == 1 for r in got[:20])


@pytest.mark.parametrize(
    "question", ["上个月 最后 三天 分别 下了 多少单", "上个月最后三天各下了多少单"]
)
def test_each_day_of_the_last_days_is_a_row(demo: Any, question: str) -> None:
    a, b = _last_month(demo)
    start = b - dt.timedelta(days=3)
    want = sql(
        demo,
        "SELECT CAST(date_trunc('day', created_at) AS DATE), count(*) FROM orders WHERE"
        f" created_at >= '{start}' AND created_at < '{b}' GROUP BY 1 ORDER BY 1",
    )
    assert len(want) == 3
    _same(rows(demo, question), want)
