"""Paraphrases of dev-set questions answered as their sources (issue 11, session 29, helper s):
the paraphrase hunt's wrong answers and most frequent refusals, by mechanism. Values against
hand-written SQL on the real Olist (today 2018-09-01) and Online Retail (today 2011-12-01) test
workspaces; each mechanism with spaced, unspaced and English wordings, and look-alike questions
that mean something else."""

from __future__ import annotations

import pytest

from shopql.nlq.offline import _unglue_periods
from shopql.nlq.requests import without_requests
from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused, rows, sql, sql_number

PAID_2018 = "o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'"
MADE_2011 = "created_at >= '2011-01-01' AND created_at < '2011-12-01'"

# -- an English period typed against Chinese characters: read as its Chinese twin ----------------


def test_glued_english_periods_read_as_their_chinese_twins() -> None:
    assert _unglue_periods("this year几月份取消的单最多")[0] == "今年几月份取消的单最多"
    assert _unglue_periods("音响类last month卖了多少")[0] == "音响类上个月卖了多少"
    assert (
        _unglue_periods("去年双十二到this year元旦之间卖了多少")[0]
        == "去年双十二到今年元旦之间卖了多少"
    )
    assert _unglue_periods("和去年同期比 this year哪个品类")[0] == "和去年同期比 今年哪个品类"
    # at the start, a space before Chinese: read too (s's last change, one space each side)
    assert _unglue_periods("last month 卖了多少")[0] == "上个月 卖了多少"
    # in an English question, or inside a Latin word: left as typed
    for typed in (
        "this year vs last year",
        "this yearMG州的买家",
        "T恤今年",
    ):
        assert _unglue_periods(typed) == (typed, [])


@pytest.mark.parametrize(
    "question",
    ["this year几月份取消的单最多", "this year 几月份 取消 的 单 最多", "今年几月份取消的单最多"],
)
def test_the_month_with_most_cancellations_this_year(olist: Workspace, question: str) -> None:
    want = sql(
        olist,
        "SELECT month(created_at), count(*) FROM orders WHERE status = 'cancelled' AND "
        "created_at >= '2018-01-01' AND created_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )[0]
    got = rows(olist, question)[0]
    # the months of one year are that year's months (C, session 37): 2018-xx-01, its number
    assert (got[0].month, got[-1]) == tuple(want), question


@pytest.mark.parametrize("question", ["音响类this year卖了多少钱", "音响类 this year 卖了多少钱"])
def test_a_category_s_sales_this_year_glued(olist: Workspace, question: str) -> None:
    want = sql_number(
        olist,
        "SELECT sum(i.paid_amount) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
        "LEFT JOIN products p ON p.product_id = i.product_id "
        f"WHERE coalesce(i.category, p.category) = 'audio' AND {PAID_2018}",
    )
    assert float(rows(olist, question)[0][-1]) == pytest.approx(want, abs=0.01), question


@pytest.mark.parametrize(
    "question",
    [
        "which category had the most sellers year-to-date",
        "which category had the most sellers year to date",
        "which category had the most sellers this year",
    ],
)
def test_year_to_date_with_hyphens(olist: Workspace, question: str) -> None:
    got = rows(olist, question)[0]
    assert (got[0], got[-1]) == ("beleza_saude", 395), question


# -- 以外 said after a list: a kept value beside a left-out one of the same dimension ------------


def test_an_exclusion_read_of_the_last_value_only_is_refused(retail: Workspace) -> None:
    # "France" after two Chinese names: the 以外 reached France only (UK and Germany kept)
    e = refused(retail, "今年 英国 德国 France 以外 的 国家 开了 几张 发票")
    assert "以外" in str(e)


@pytest.mark.parametrize(
    "question",
    ["今年英国德国法国以外的国家开了几张发票", "今年 英国 德国 法国 以外 的 国家 开了 几张 发票"],
)
def test_three_countries_left_out(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM orders WHERE country NOT IN ('United Kingdom','Germany','France') "
        f"AND {MADE_2011}",
    )
    assert rows(retail, question)[0][-1] == want, question


# -- 50种 / 3款: kinds of things, never a number of units ---------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "今年买了超过50种不同商品的客户有几个",
        "今年 买了 超过 50种 不同 商品 的 客户 有几个",
        "今年 买过 超过 50种 不同 商品 的 客户 有几个",
    ],
)
def test_people_with_more_than_50_kinds_of_products(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        "SELECT count(*) FROM (SELECT o.one_id FROM order_items i JOIN orders o ON o.order_id = "
        "i.order_id WHERE i.product_id IS NOT NULL AND o.paid_at >= '2011-01-01' AND o.paid_at < "
        "'2011-12-01' AND o.one_id IS NOT NULL GROUP BY 1 "
        "HAVING count(DISTINCT coalesce(i.spu_id, i.product_id)) > 50)",
    )
    got = rows(retail, question)
    assert len(got) == 1 and got[0][-1] == want, question


def test_units_bought_stay_units(retail: Workspace) -> None:
    # 件 is units: an order of more than 50 items is still a condition on its quantity
    want = sql_number(
        retail,
        "SELECT count(*) FROM (SELECT i.order_id FROM order_items i JOIN orders o ON o.order_id = "
        f"i.order_id WHERE o.{MADE_2011} GROUP BY 1 HAVING sum(i.quantity) > 1000)",
    )
    assert rows(retail, "今年 买了 超过 1000件 的 发票 有 几张")[0][-1] == want


# -- request frames: 帮我拉个数, 帮我瞅瞅, 瞅一眼, 查查 ---------------------------------------------


def test_request_frames_read_away() -> None:
    for said, rest in [
        ("帮我拉个数： 上个月 卖出 商品 的 单价 中位数", "上个月 卖出 商品 的 单价 中位数"),
        ("帮我瞅瞅今年每月被取消的订单数", "今年每月被取消的订单数"),
        ("瞅一眼上个月的订单", "上个月的订单"),
        ("帮我查查上个月退款", "上个月退款"),
        ("拉一下数据 今年销售额", "今年销售额"),
    ]:
        assert without_requests(said)[0] == rest, said
    # 数量 / 下单 are the question's own words
    assert without_requests("看一下数量最多的商品")[0] == "数量最多的商品"
    assert without_requests("看下单量")[0] == "看下单量"
    assert without_requests("查个数量最多的")[0] == "查个数量最多的"


@pytest.mark.parametrize(
    "question",
    [
        "帮我瞅瞅 今年每月被取消的订单数",
        "帮我拉个数：今年每月被取消的订单数",
        "今年每月被取消的订单数",
    ],
)
def test_cancelled_orders_by_month_asked_colloquially(olist: Workspace, question: str) -> None:
    want = sql(
        olist,
        "SELECT month(created_at), count(*) FROM orders WHERE status = 'cancelled' AND "
        "created_at >= '2018-01-01' AND created_at < '2018-09-01' GROUP BY 1 ORDER BY 1",
    )
    got = rows(olist, question)
    assert [(r[0].month if hasattr(r[0], "month") else r[0], r[-1]) for r in got] == [
        tuple(w) for w in want
    ], question
