"""Confident wrong answers found by session 22's hunt (helper s), each now the figure asked:
"今年 卖家 数量" was the pieces each seller sold (2,383 rows) and "RJ 客户 数量" the pieces sold in
RJ — a word and 数量 said apart are the count the catalog names by the two together (卖家数量,
客户数量); "卖了 多少件 商品" was the pieces of each product, not the pieces; "江浙沪以外" kept
only 京津冀 (the area set names no group for the other provinces, whose NULL a NOT IN dropped);
"下单后 平均几天 才付款" was answered in hours. Values against hand-written SQL on the Olist
workspace (today 2018-09-01) and the session demo (seed 7, today 2025-06-01)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.nlq.helpers import number, rows, sql, sql_number

_YTD = "o.paid_at >= '2018-01-01' AND o.paid_at < '2018-09-01'"
_PROVINCE = "coalesce(o.province, c.province)"
_OC = "orders o LEFT JOIN customers c ON c.customer_id = o.customer_id"


def _buyers(olist: Any, state: str) -> float:
    return sql_number(
        olist,
        f"SELECT count(DISTINCT o.one_id) FROM {_OC} WHERE {_PROVINCE} = '{state}' "
        f"AND o.paid_at IS NOT NULL AND {_YTD}",
    )


@pytest.mark.parametrize(
    ("question", "state"),
    [
        ("今年 RJ 客户 数量", "RJ"),
        ("今年 MG 客户 的 数量", "MG"),
        ("今年 SP 买家 数量", "SP"),
        ("今年RJ客户数量", "RJ"),  # said together: as it was
    ],
)
def test_customers_and_their_count_word_said_apart(olist: Any, question: str, state: str) -> None:
    """Was the pieces sold in the state (units), or refused (数量 of 客户 only)."""
    assert rows(olist, question) == [(_buyers(olist, state),)]


def _sellers(olist: Any, state: str | None, start: str, end: str) -> float:
    where = f"AND s.province = '{state}'" if state else ""
    return sql_number(
        olist,
        "SELECT count(DISTINCT coalesce(i.shop_id, o.shop_id)) FROM order_items i "
        "LEFT JOIN orders o ON o.order_id = i.order_id LEFT JOIN shops s ON s.shop_id = i.shop_id "
        f"WHERE o.created_at >= '{start}' AND o.created_at < '{end}' {where}",
    )


@pytest.mark.parametrize(
    ("question", "state", "start"),
    [
        ("今年 卖家 数量", None, "2018-01-01"),
        ("今年 SP州 卖家 数量", "SP", "2018-01-01"),
        ("上个月 SP州 的 卖家 的 数量", "SP", "2018-08-01"),
        ("今年卖家数量", None, "2018-01-01"),
    ],
)
def test_sellers_and_their_count_word_said_apart(
    olist: Any, question: str, state: str | None, start: str
) -> None:
    """Was the pieces each seller sold (one row a seller) or the pieces of SP's sellers."""
    assert rows(olist, question) == [(_sellers(olist, state, start, "2018-09-01"),)]


def test_each_ones_quantity_stays_a_breakdown(olist: Any) -> None:
    """每个 卖家 的 数量: each seller's pieces (数量 after 每个 X is not how many X there are)."""
    got = rows(olist, "每个 卖家 的 数量")
    top = sql(
        olist,
        "SELECT i.shop_id, sum(i.quantity) FROM order_items i JOIN orders o "
        "ON o.order_id = i.order_id WHERE o.paid_at IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    assert len(got) > 1000 and got[0] == top[0]


@pytest.mark.parametrize(
    ("question", "state"),
    [
        ("今年 卖了 多少件 商品", None),
        ("今年 一共 卖了 几件 商品", None),
        ("今年RJ卖了多少件商品", "RJ"),
    ],
)
def test_pieces_of_goods_are_the_pieces(olist: Any, question: str, state: str | None) -> None:
    """Was one row a product (4,371 for RJ): 商品 after 多少件 is what is counted."""
    where = f"AND {_PROVINCE} = '{state}'" if state else ""
    want = sql_number(
        olist,
        f"SELECT sum(i.quantity) FROM order_items i JOIN {_OC} ON o.order_id = i.order_id "
        f"WHERE o.paid_at IS NOT NULL AND {_YTD} {where}",
    )
    assert rows(olist, question) == [(want,)]


def test_pieces_by_category_keep_their_breakdown(olist: Any) -> None:
    got = rows(olist, "哪个 品类 卖了 多少件 商品")
    assert len(got) > 50


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("今年一季度 boleto 的单 下单后 平均 几天 才付款", "2018-01-01", "2018-04-01"),
        ("上季度 boleto 的单 下单 后 平均 几天 才 付款", "2018-04-01", "2018-07-01"),
        ("今年 boleto 下单 到 付款 平均 几天", "2018-01-01", "2018-09-01"),
    ],
)
def test_time_to_pay_asked_in_days_is_in_days(
    olist: Any, question: str, start: str, end: str
) -> None:
    """Was the hours (33.1 shown to 平均几天)."""
    want = sql_number(
        olist,
        "SELECT avg(date_diff('second', created_at, paid_at) / 86400.0) FROM orders "
        f"WHERE payment_channel = 'boleto' AND created_at >= '{start}' AND created_at < '{end}' "
        "AND paid_at IS NOT NULL",
    )
    assert number(olist, question) == pytest.approx(want, abs=0.01)


def test_time_to_pay_in_hours_and_minutes_as_before(olist: Any) -> None:
    hours = sql_number(
        olist,
        "SELECT avg(date_diff('second', created_at, paid_at) / 3600.0) FROM orders "
        "WHERE paid_at IS NOT NULL",
    )
    assert number(olist, "下单到付款平均几个小时") == pytest.approx(hours, abs=0.01)
    assert number(olist, "下单到付款平均几分钟") == pytest.approx(hours * 60, abs=0.01)
    assert number(olist, "avg days to pay") == pytest.approx(hours / 24, abs=0.01)


_DEMO_LAST_MONTH = "o.paid_at >= '2025-05-01' AND o.paid_at < '2025-06-01'"
_DEMO_PROVINCE = "coalesce(o.province, c.province)"


def _demo_sales(demo: Any, where: str) -> float:
    return sql_number(
        demo, f"SELECT sum(o.paid_amount) FROM {_OC} WHERE {where} AND {_DEMO_LAST_MONTH}"
    )


_AREAS = {"江浙沪": "'江苏省', '浙江省', '上海市'", "京津冀": "'北京市', '天津市', '河北省'"}


@pytest.mark.parametrize(
    ("question", "where"),
    [
        ("江浙沪 以外 上个月 卖了 多少", f"{_DEMO_PROVINCE} NOT IN ({_AREAS['江浙沪']})"),
        ("上个月 除了 京津冀 卖了多少钱", f"{_DEMO_PROVINCE} NOT IN ({_AREAS['京津冀']})"),
        ("上个月 江浙沪 卖了 多少", f"{_DEMO_PROVINCE} IN ({_AREAS['江浙沪']})"),  # as before
    ],
)
def test_outside_an_area_is_every_other_province(demo: Any, question: str, where: str) -> None:
    """Was the other area only (京津冀 for 江浙沪以外): the rest are no group of the set."""
    assert number(demo, question) == pytest.approx(_demo_sales(demo, where), abs=0.01)


@pytest.mark.parametrize(
    "question",
    [
        "curitiba 和 porto alegre 今年 各 下 了 多少单",
        "curitiba 和 porto alegre 今年 订单 分别 几单",
    ],
)
def test_each_of_two_values_named_is_its_own_row(olist: Any, question: str) -> None:
    """各 / 分别 after two cities: each city's orders (was their sum, one row)."""
    want = sql(
        olist,
        f"SELECT {_PROVINCE.replace('province', 'city')}, count(*) FROM {_OC} "
        "WHERE coalesce(o.city, c.city) IN ('curitiba', 'porto alegre') "
        "AND o.created_at >= '2018-01-01' AND o.created_at < '2018-09-01' GROUP BY 1 ORDER BY 2 DESC",
    )
    assert rows(olist, question) == want


def test_two_values_compared_with_a_space_in_the_verb(demo: Any) -> None:
    """比 一下 (a space typed in 比一下): one row each (was their sum)."""
    got = dict(rows(demo, "北京 和 上海 上个月 订单数 比 一下"))
    want = dict(
        sql(
            demo,
            f"SELECT {_DEMO_PROVINCE}, count(*) FROM {_OC} WHERE {_DEMO_PROVINCE} "
            "IN ('北京市', '上海市') AND o.created_at >= '2025-05-01' "
            "AND o.created_at < '2025-06-01' GROUP BY 1",
        )
    )
    assert got == want
