"""Vocabulary and segmentation, session 8 (issue 11, helper V): the catalog's other languages
(Portuguese for Olist's marketplace, spoken Chinese variants: catalog/default/languages.yaml, read
by nlq/languages.py), Portuguese category names with or without accents (glossary `pt:`), share
and ordering words, words kept whole before the stop words split them (加起来, 比一下), ordinals
and "5-star", a value's own verb after it (发出去, 付的), a title word mixing Latin letters and
Chinese (T恤), "single"/单笔 beside a one-row maximum — each checked against hand-written SQL,
and the readings that would be a guess still refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shopql.catalog.model import Issue
from shopql.nlq.answer import answer
from shopql.nlq.languages import Readings, fold, load, read
from shopql.nlq.offline import understand
from shopql.nlq.shared import NotUnderstood
from shopql.nlq.typos import expand


def _value(ws: Any, question: str) -> float:
    return float(answer(ws, question, engine="offline").results[0].rows[0][-1])


def _sql(ws: Any, sql: str) -> float:
    return float(ws.run(sql, None).rows[0][0])


def _same_to_the_cent(ws: Any, question: str, sql: str) -> None:
    assert _value(ws, question) == pytest.approx(_sql(ws, sql), abs=0.005), question


def _pack() -> Readings:
    issues: list[Issue] = []
    readings = load(None, issues, {"pt": ["móveis de escritório"]})
    assert issues == []
    return readings


def test_a_language_is_read_only_when_one_of_its_own_words_marks_the_question(
    tmp_path: Path,
) -> None:
    readings = _pack()
    text, notes = read("quantos pedidos em julho 2018?", readings)
    assert text == "how many orders in july 2018?"
    assert notes == [
        "read Portuguese: 'quantos' as 'how many', 'pedidos' as 'orders', 'em' as 'in', "
        "'julho' as 'july'"
    ]
    # English with the same function words is left as written ("no", "a", "x", "de")
    for english in ("no orders from SP in 2017", "plan a vs plan b", "5 x 3 de luxe sofas"):
        assert read(english, readings) == (english, [])
    # accents optional, longest phrase first ("no ano passado" before "no")
    assert read("frete medio no ano passado", readings)[0] == "average freight last year"
    # a glossary phrase of the language is kept whole for the value index ("de" stays)
    assert read("móveis de escritório tiveram quantos pedidos", readings)[0] == (
        "móveis de escritório had how many orders"
    )
    assert fold("Relógios") == "relogios" and fold("茶几") == "茶几"
    # spoken Chinese: variants of the words the catalog knows, said in the answer
    text, notes = read("一个礼拜里头哪天下单最多", readings)
    assert text == "一个星期里哪天下单最多"
    assert notes == ["read spoken Chinese: '礼拜' as '星期', '里头' as '里'"]
    # a workspace's own file replaces the pack's; an entry without a reading is reported
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "languages.yaml").write_text(
        "languages:\n  - language: es\n    name: Spanish\n    words: {pedidos: orders, ventas: ~}\n",
        encoding="utf-8",
    )
    issues: list[Issue] = []
    own = load(catalog, issues, {})
    assert read("pedidos en julio", own) == (
        "orders en julio",
        ["read Spanish: 'pedidos' as 'orders'"],
    )
    assert len(issues) == 1 and "'ventas' needs a reading" in issues[0].message


def test_portuguese_questions_answer_what_the_sql_says(olist: Any) -> None:
    assert _value(olist, "quantos pedidos em agosto de 2017") == _sql(
        olist,
        "SELECT count(DISTINCT order_id) FROM orders "
        "WHERE created_at >= '2017-08-01' AND created_at < '2017-09-01'",
    )
    _same_to_the_cent(
        olist,
        "frete médio por pedido em 2017",
        "SELECT avg(shipping_fee) FROM orders "
        "WHERE created_at >= '2017-01-01' AND created_at < '2018-01-01'",
    )
    watches = (
        "SELECT sum(i.quantity) FROM order_items i JOIN orders o USING (order_id) "
        "LEFT JOIN products p ON p.product_id = i.product_id WHERE coalesce(i.category, "
        "p.category) = 'relogios_presentes' AND o.paid_at >= '2018-01-01' AND o.paid_at < '2019-01-01'"
    )
    assert _value(olist, "quantos relógios vendemos em 2018") == _sql(olist, watches)
    assert _value(olist, "quantos relogios vendemos em 2018") == _sql(olist, watches)
    u = understand("pedidos de SP e RJ juntos no ano passado", olist)
    assert [(f.dimension, f.values) for f in u.query.filters] == [("province", ("SP", "RJ"))]
    assert (u.query.time_range.start.year, u.query.time_range.end.year) == (2017, 2018)
    u = understand("SP x MG faturamento 2018", olist)
    assert (u.query.metrics, u.query.dimensions) == (("paid_gmv",), ("province",))
    # a count of sales is of orders, never their amount
    assert understand("quantas vendas em 2017", olist).query.metrics == ("orders",)
    # an English "no" is not Portuguese: still not placed
    with pytest.raises(NotUnderstood) as e:
        answer(olist, "no orders from SP in 2017", engine="offline")
    assert e.value.unknown == ["no"]


def test_share_order_and_segmentation_words(olist: Any) -> None:
    share = understand("2018年SP占总销售额的比重", olist).query
    assert share.extra.get("share_of") and share.filters[0].values == ("SP",)
    u = understand("how many of our reviews are 5-star, as a fraction", olist)
    assert [(f.dimension, f.values) for f in u.query.filters][0][0] == "review_score"
    five = answer(olist, "how many of our reviews are 5-star, as a fraction", engine="offline")
    got = _sql(olist, "SELECT count(*) FILTER (WHERE score = 5) / count(*) FROM reviews")
    assert float(five.results[0].rows[0][-1]) == pytest.approx(got, abs=0.0005)
    ranked = understand("july: order count per state, ranked high to low", olist).query
    assert ranked.dimensions == ("province",) and ranked.order_by
    both = understand("今年debit card或者voucher的销售额加起来多少", olist).query
    assert both.filters[0].values == ("debit_card", "voucher")
    assert understand("有多少单是拿voucher(代金券)付的", olist).query.filters[0].values == (
        "voucher",
    )
    assert expand("median days from 1st to 2nd purchase")[0] == (
        "median days from first purchase to second purchase"
    )
    assert _value(olist, "biggest single payment we ever got?") == _sql(
        olist, "SELECT max(amount) FROM payments WHERE lower(status) = 'success'"
    )
    _same_to_the_cent(
        olist,
        "每张订单平均多少钱 2017",
        "SELECT sum(paid_amount) / count(DISTINCT order_id) FROM orders "
        "WHERE paid_at >= '2017-01-01' AND paid_at < '2018-01-01'",
    )
    # a guess stays refused: 最多人下单 (the most orders, or the most people?)
    with pytest.raises(NotUnderstood) as e:
        answer(olist, "一个礼拜里哪天最多人下单", engine="offline")
    assert e.value.unknown == ["人"]


def test_spoken_chinese_and_mixed_title_words(nlq_demo_workspace: Any) -> None:
    from shopql.config import load_settings
    from shopql.nlq.session import Workspace
    from tests.nlq.conftest import DEMO_TODAY

    with Workspace(load_settings(nlq_demo_workspace), today=DEMO_TODAY) as demo:
        u = understand("今年T恤出了多少件", demo)
        assert [(f.dimension, f.values) for f in u.query.filters] == [("product_title", ("%T恤%",))]
        got = _sql(
            demo,
            f"SELECT sum(i.quantity) FROM order_items i JOIN orders o USING (order_id) "
            f"LEFT JOIN products p ON p.product_id = i.product_id "
            f"WHERE coalesce(i.clean_title, i.title, p.title) LIKE '%T恤%' "
            f"AND o.paid_at >= '{DEMO_TODAY.year}-01-01' "
            f"AND o.paid_at < DATE '{DEMO_TODAY}'",
        )
        assert _value(demo, "今年T恤出了多少件") == got
        sf = understand("顺丰发出去的单有几单", demo).query
        assert sf.metrics == ("orders",) and sf.filters[0].dimension == "carrier"
        assert understand("抖音那边每张单平均让利多少", demo).query.metrics == ("avg_discount",)
        assert understand("shopify单笔运费最高收过多少", demo).query.metrics == ("max_freight",)
