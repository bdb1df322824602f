"""A vs B, share of one value, growth rankings and rankings on the small hand-checked shop
(tests/nlq/conftest.py: tmall 120.50 in May and 80.00 in June; jd 300.00 + 50.00 in June)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.nodata import NoDataHere
from shopql.nlq.session import Workspace


@pytest.fixture
def ws(read_only_shop: Path) -> Iterator[Workspace]:
    with Workspace(load_settings(read_only_shop), today=dt.date(2025, 6, 30)) as ws:
        yield ws


def test_a_vs_b_is_one_row_each(ws: Workspace) -> None:
    for q in ("tmall vs jd sales", "天猫和京东的销售额对比"):
        a = answer(ws, q, "offline")
        assert a.main.columns == ["platform", "paid_gmv"]
        assert sorted(a.main.rows) == [("jd", Decimal("350.00")), ("tmall", Decimal("200.50"))]
    # without a comparison word, two values stay one filter (one number)
    assert answer(ws, "天猫和京东的销售额", "offline").main.rows == [(Decimal("550.50"),)]


def test_share_of_one_value_is_one_number_with_its_parts(ws: Workspace) -> None:
    for q in ("tmall share of orders", "天猫订单占比"):
        a = answer(ws, q, "offline")
        assert a.main.columns == ["orders", "orders__total", "orders__share"]
        assert a.main.rows == [(3, 5, 0.6)]
        assert any("orders__share" in n for n in a.notes)
    a = answer(ws, "jd share of sales this month", "offline")
    assert a.main.rows == [(Decimal("350.00"), Decimal("430.00"), 0.814)]


def test_growth_ranking_ranks_by_percent_and_puts_no_base_last(ws: Workspace) -> None:
    a = answer(ws, "growth ranking of platforms by sales this month", "offline")
    assert a.main.columns == [
        "platform", "paid_gmv", "paid_gmv__previous", "paid_gmv__delta", "paid_gmv__change",
    ]  # fmt: skip
    assert a.main.rows == [
        ("tmall", Decimal("80.00"), Decimal("120.50"), Decimal("-40.50"), -0.3361),
        ("jd", Decimal("350.00"), Decimal("0"), Decimal("350.00"), None),
    ]
    assert any("no base in the period before" in n and "jd" in n for n in a.notes)
    # fastest-growing when the only platform with a base fell: no faller named as a grower
    # (it was tmall, -33.6 %), jd said to be new (session 6)
    with pytest.raises(NoDataHere) as e:
        answer(ws, "哪个平台本月增长最快", "offline")
    assert "没有哪个有上期基数的平台" in e.value.message and "tmall (-33.6%)" in e.value.message
    assert "本期新增的：jd" in e.value.message
    # falling the most: ranked from the bottom; no base still last
    down = answer(ws, "which platform declined the most this month", "offline")
    assert down.main.rows[0][0] == "tmall"
    assert [r[0] for r in down.results[1].rows] == ["tmall", "jd"]
    # "the most" is the largest fall (an amount), as 下滑最多; "fastest" / "%" is the rate
    assert "the bottom platform by change (amount), with the whole ranking" in down.understood


def test_which_one_gives_the_top_with_the_ranking_and_says_ties(ws: Workspace) -> None:
    a = answer(ws, "哪个平台的销售额最高", "offline")
    assert a.main.rows == [("jd", Decimal("350.00"))]
    assert [r[0] for r in a.results[1].rows] == ["jd", "tmall"]
    assert any("jd" in n and "完整排名（2 行）" in n for n in a.notes)
    tie = answer(ws, "which province had the most paid orders", "offline")
    assert sorted(tie.main.rows) == [("广东省", 2), ("浙江省", 2)]
    assert any("tie" in n for n in tie.notes)


def test_rank_them_gives_the_whole_ordering(ws: Workspace) -> None:
    a = answer(ws, "rank products by sales", "offline")
    assert a.main.columns[:2] == ["product", "product_title"]
    assert [r[0] for r in a.main.rows] == ["jd:p1", "tmall:p1", "tmall:p2", "jd:p3"]
    assert len(answer(ws, "按商品的销售额排名", "offline").main.rows) == 4


def test_period_breakdowns_have_no_null_period(ws: Workspace) -> None:
    a = answer(ws, "sales by month", "offline")  # the unpaid order has no payment month
    assert a.main.rows == [
        (dt.date(2025, 5, 1), Decimal("120.50")),
        (dt.date(2025, 6, 1), Decimal("430.00")),
    ]


def test_a_top_n_cut_inside_a_tie_is_said(ws: Workspace) -> None:
    a = answer(ws, "top 1 province by paid orders", "offline")
    assert a.main.rows == [("广东省", 2)]  # ties ordered by name
    assert "the cut at 1 falls inside a tie: 浙江省 also has 2 and is not shown" in a.notes
    b = answer(ws, "top 2 provinces by paid orders", "offline")
    assert not any("cut" in n for n in b.notes) and any("ties:" in n for n in b.notes)
