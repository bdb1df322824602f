"""Rankings, comparisons, filters and measures said in everyday words (session 45, helper D): the
rows a condition named pointed at again (的那些单 / 那些商品 / 那些发票), the categories named by
their stem (moveis那几个家具类目), the money of orders kept by their own paid amount (实付超过500块的
那些单加起来多少钱), which of two places bought more (谁买得多), the products bought by the most
customers (卖给客户数最多的商品), the customers ranked by money said 按金额, the price per piece of
the goods in general (商品平均一件卖几镑), the highest price a piece sold at (卖出的单件商品里成交单价
最高是多少) and what a seller sold before its average per order. Values against hand-written SQL;
each reading beside a look-alike that keeps its own answer or stays refused."""

from __future__ import annotations

import pytest

from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, refused, rows, sql, sql_number

_OLIST_YEAR = "o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'"
_RETAIL_YEAR = "o.paid_at >= '2011-01-01' AND o.paid_at < '2011-12-01'"
_LINES = "FROM order_items i JOIN orders o ON o.order_id = i.order_id"

# --- the rows a condition named, pointed at again ---


def test_those_goods_under_a_price_are_the_goods(retail: Workspace) -> None:
    want = sql_number(
        retail,
        f"SELECT sum(i.paid_amount) {_LINES} WHERE i.product_id IS NOT NULL AND i.unit_price < 1"
        f" AND {_RETAIL_YEAR}",
    )
    assert number(retail, "今年单价低于1英镑的那些商品一共进账多少") == pytest.approx(want)


def test_price_per_piece_of_each_product_keeps_its_breakdown(retail: Workspace) -> None:
    assert len(rows(retail, "11月每个商品平均一件卖几镑")) > 1


# --- which of two regions (哪个区), the second of a ranking said 老二 ---


def test_which_of_two_regions_said_with_qu(demo: Workspace) -> None:
    got = {r[0] for r in rows(demo, "上个月 华北 和 华中 哪个 区 的 订单 多")}
    assert got == {"华北", "华中"}


def test_which_region_with_none_named_stays_refused(demo: Workspace) -> None:
    refused(demo, "上个月哪个区的订单多")


def test_second_of_a_ranking_said_laoer(retail: Workspace) -> None:
    want = sql(
        retail,
        f"SELECT coalesce(i.spu_id, i.product_id) AS p, sum(i.quantity) AS u {_LINES} WHERE"
        " i.product_id IS NOT NULL AND o.paid_at >= '2011-11-01' AND o.paid_at < '2011-12-01'"
        " GROUP BY 1 ORDER BY 2 DESC LIMIT 1 OFFSET 1",
    )[0]
    got = rows(retail, "11月 按 件数 排 老二 的 是 哪个 货")
    assert got[0][0] == want[0]
    assert float(got[0][-1]) == float(want[1])
