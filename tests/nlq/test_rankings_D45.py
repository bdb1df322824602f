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


@pytest.mark.parametrize(
    "question",
    ["今年实付超过500块的那些单加起来多少钱", "今年实付超过500块的订单加起来多少钱"],
)
def test_orders_over_an_amount_their_money(olist: Workspace, question: str) -> None:
    want = sql_number(
        olist,
        f"SELECT sum(o.paid_amount) FROM orders o WHERE o.paid_amount > 500 AND {_OLIST_YEAR}",
    )
    got = rows(olist, question)
    assert len(got[0]) == 1  # the money alone, not the count of the orders
    assert float(got[0][0]) == pytest.approx(want)


def test_those_invoices_over_an_amount_their_money(retail: Workspace) -> None:
    want = sql_number(
        retail,
        f"SELECT sum(o.paid_amount) FROM orders o WHERE o.paid_amount > 500 AND {_RETAIL_YEAR}",
    )
    assert number(retail, "今年 金额 超过 500 镑 的 那些 发票 加起来 多少 钱") == pytest.approx(
        want
    )


def test_orders_over_an_amount_counted_stay_a_count(olist: Workspace) -> None:
    # the count asked keeps the count (the money is read only before 多少钱)
    want = sql_number(
        olist,
        f"SELECT count(*) FROM orders o WHERE o.paid_amount > 500 AND {_OLIST_YEAR}",
    )
    assert number(olist, "今年实付超过500块的订单有多少单") == want


def test_categories_named_by_their_stem(olist: Workspace) -> None:
    want = sql_number(
        olist,
        f"SELECT sum(i.paid_amount) {_LINES} JOIN products p ON p.product_id = i.product_id"
        f" WHERE p.category LIKE 'moveis_%' AND {_OLIST_YEAR}",
    )
    assert number(olist, "今年moveis那几个家具类目加起来卖了多少") == pytest.approx(want)


# --- which of two places bought more ---


def test_which_of_two_countries_bought_more(retail: Workspace) -> None:
    want = dict(
        sql(
            retail,
            "SELECT o.country, sum(o.paid_amount) FROM orders o WHERE o.country IN ('EIRE',"
            f" 'Netherlands') AND {_RETAIL_YEAR} GROUP BY 1",
        )
    )
    got = {r[0]: float(r[-1]) for r in rows(retail, "EIRE和荷兰今年谁买得多")}
    assert got.keys() == want.keys()
    for k, v in want.items():
        assert got[k] == pytest.approx(float(v))


@pytest.mark.parametrize("question", ["今年英国客户和法国客户谁买得多", "今年买得多的客户有几个"])
def test_bought_more_of_people_stays_refused(retail: Workspace, question: str) -> None:
    # people named: their count would be read beside it; 买得多的客户 is no ranking at all
    refused(retail, question)


# --- the products bought by the most customers, the customers ranked by money ---


@pytest.mark.parametrize("question", ["今年卖给客户数最多的商品", "今年卖给最多客户的3个商品"])
def test_products_sold_to_the_most_customers(retail: Workspace, question: str) -> None:
    want = sql_number(
        retail,
        f"SELECT count(DISTINCT o.one_id) AS n {_LINES} WHERE i.product_id IS NOT NULL AND"
        f" o.one_id IS NOT NULL AND {_RETAIL_YEAR} GROUP BY coalesce(i.spu_id, i.product_id)"
        " ORDER BY n DESC LIMIT 1",
    )
    assert float(rows(retail, question)[0][-1]) == want


def test_customers_who_bought_most_by_money(retail: Workspace) -> None:
    want = [
        float(r[0])
        for r in sql(
            retail,
            "SELECT sum(o.paid_amount) AS s FROM orders o WHERE o.one_id IS NOT NULL AND"
            " o.paid_at >= '2011-11-01' AND o.paid_at < '2011-12-01' GROUP BY o.one_id"
            " ORDER BY s DESC LIMIT 5",
        )
    ]
    got = rows(retail, "11月按金额买得最多的5个客户")
    assert len(got) == 5
    cols = []
    for col in zip(*got, strict=True):
        try:
            cols.append([float(v) for v in col])
        except (TypeError, ValueError):
            continue  # the person's key, the platform, the dates
    assert pytest.approx(want) in cols


# --- measures: the price per piece, the highest price a piece sold at, a seller's per order ---


def test_price_per_piece_of_the_goods_in_general(retail: Workspace) -> None:
    want = sql_number(
        retail,
        f"SELECT sum(i.paid_amount) / sum(i.quantity) {_LINES} WHERE o.paid_at >= '2011-11-01'"
        " AND o.paid_at < '2011-12-01'",
    )
    got = rows(retail, "11月商品平均一件卖几镑")
    assert len(got) == 1
    assert float(got[0][0]) == pytest.approx(want, abs=0.005)


def test_price_per_piece_of_each_product_keeps_its_breakdown(retail: Workspace) -> None:
    assert len(rows(retail, "11月每个商品平均一件卖几镑")) > 1


def test_highest_price_a_piece_sold_at(olist: Workspace) -> None:
    want = sql_number(olist, f"SELECT max(i.unit_price) {_LINES} WHERE {_OLIST_YEAR}")
    got = rows(olist, "今年卖出的单件商品里 成交单价最高是多少")
    assert len(got) == 1
    assert float(got[0][0]) == pytest.approx(want)


def test_highest_price_per_category_keeps_its_breakdown(olist: Workspace) -> None:
    assert len(rows(olist, "今年每个品类的商品成交单价最高是多少")) > 1


def test_what_sellers_sold_per_order(olist: Workspace) -> None:
    want = sql_number(
        olist,
        f"SELECT sum(i.paid_amount) / count(DISTINCT o.order_id) {_LINES} JOIN shops s ON"
        f" s.shop_id = i.shop_id WHERE s.province = 'PR' AND {_OLIST_YEAR}",
    )
    got = rows(olist, "今年PR州卖家卖出去的东西 平均每单多少钱")
    assert len(got[0]) == 1
    assert float(got[0][0]) == pytest.approx(want, abs=0.005)


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
