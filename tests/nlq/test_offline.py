"""The offline engine on a small hand-checked shop: time phrases, values, rankings, comparisons,
follow-ups, the compound buyer profile, and plain refusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.errors import ShopqlError
from shopql.nlq.answer import answer
from shopql.nlq.chat import Conversation
from shopql.nlq.offline import NotUnderstood, understand
from shopql.nlq.phrases import find_time, find_top_n
from shopql.nlq.session import Workspace

TODAY = dt.date(2025, 6, 30)


@pytest.fixture
def ws(read_only_shop: Path) -> Iterator[Workspace]:
    with Workspace(load_settings(read_only_shop), today=TODAY) as ws:
        yield ws


def ask(ws: Workspace, question: str) -> list[tuple]:
    return answer(ws, question, "offline").main.rows


@pytest.mark.parametrize(
    ("question", "rows"),
    [
        ("天猫上个月的销售额", [(Decimal("120.50"),)]),
        ("广东 本月 支付金额", [(Decimal("80.00"),)]),
        ("sales by platform this month", [("jd", Decimal("350.00")), ("tmall", Decimal("80.00"))]),
        ("sales excluding jd this month", [(Decimal("80.00"),)]),
        ("浙江省的订单数", [(2,)]),
        ("how many orders on JD", [(2,)]),
        ("units of furnture this month", [(3,)]),
        # products rank by their key (SPU, else the listing), with the title beside it
        ("top 1 product by units sold this month", [("tmall:p2", "Coffee table", 2)]),
        ("本月销量最高的商品前1名", [("tmall:p2", "Coffee table", 2)]),
        ("paid orders by province", [("广东省", 2), ("浙江省", 2)]),
    ],
)
def test_answers(ws: Workspace, question: str, rows: list[tuple]) -> None:
    assert ask(ws, question) == rows


def test_understood_lines_resolve_dates_and_filters(ws: Workspace) -> None:
    a = answer(ws, "天猫近三个月的销售额", "offline")
    assert a.understood == [
        "metrics: paid_gmv (支付金额)",
        "time: 2025-03-30 → 2025-06-29 (近三个月)",
        "filter: platform in tmall",
    ]
    assert a.definitions["paid_gmv"].startswith("已付款订单")
    assert a.engine == "offline" and a.ignored == []


def test_compare_with_previous_period(ws: Workspace) -> None:
    a = answer(ws, "本月销售额环比", "offline")
    assert a.main.rows == [(Decimal("430.00"), Decimal("120.50"), 2.5685)]
    # this month is still running (today 06-30): its days so far against the same days of May
    assert "time: 2025-06-01 → 2025-06-29 (本月 (to date))" in a.understood
    assert (
        "compared with: 2025-05-01 → 2025-05-29 (the same days of the period before: the later "
        "one runs only to today)" in a.understood
    )


def test_year_over_year_phrase_is_not_read_as_last_year(ws: Workspace) -> None:
    # read as this month against the same month a year before (which has no data here: the
    # answer is refused, test_comparison_without_a_range_compares_the_last_complete_month)
    a = understand("本月销售额去年同期对比", ws)
    assert a.query is not None and a.query.compare == "year_over_year"
    assert a.query.time_range is not None and a.query.time_range.start == dt.datetime(2025, 6, 1)


def test_two_named_periods_become_a_comparison(ws: Workspace) -> None:
    """One row per named period, earlier first; the later carries the change (session 8: how
    the blind writers read "A vs B" of two periods)."""
    a = answer(ws, "sales in june 2025 vs may 2025", "offline")
    assert a.main.rows == [  # session 9: a named month is its first day, as in a breakdown
        (dt.date(2025, 5, 1), Decimal("120.50"), None),
        (dt.date(2025, 6, 1), Decimal("430.00"), 2.5685),
    ]
    # session 11: two months apart are one row each too (test_families_g11); February here is
    # before the data starts, which is said (was: refused as not comparable)
    with pytest.raises(ShopqlError, match="before it, so it is empty"):
        answer(ws, "2025年6月与2025年2月的销售额", "offline")


def test_grain(ws: Workspace) -> None:
    rows = ask(ws, "2025年每月销售额")
    assert rows == [
        (dt.date(2025, 5, 1), Decimal("120.50")),
        (dt.date(2025, 6, 1), Decimal("430.00")),
    ]


def test_follow_ups_keep_context(ws: Workspace) -> None:
    chat = Conversation(ws, "offline")
    chat.ask("sales by month in 2025")
    a = chat.ask("and only on Tmall?")
    assert a.main.rows == [
        (dt.date(2025, 5, 1), Decimal("120.50")),
        (dt.date(2025, 6, 1), Decimal("80.00")),
    ]
    a = chat.ask("按平台拆开")
    assert a.query is not None and a.query.dimensions == ("platform",)
    assert a.query.grain == "month" and a.query.filters[0].values == ("tmall",)
    a = chat.ask("只看京东")
    assert a.main.rows == [(dt.date(2025, 6, 1), Decimal("350.00"))]
    a = chat.ask("那订单数呢")  # another metric, same breakdown and filters
    assert a.query is not None and a.query.metrics == ("orders",)
    assert a.main.rows == [(dt.date(2025, 6, 1), 2)]


def test_top_sellers_and_their_buyer_profile(ws: Workspace) -> None:
    a = answer(ws, "top sellers this month and their buyer profile", "offline")
    assert a.compound == "buyer_profile"
    assert a.main.rows == [("Coffee table", 2), ("Lamp", 1), ("Sofa", 1)]
    sets = {r.name: r.rows for r in a.results[1:]}
    assert sets["buyers_by_province"] == [("广东省", 1), ("浙江省", 1)]
    assert sets["buyers_by_member_level"] == [("gold", 1), ("silver", 1)]
    assert sets["buyers_by_platform"] == [("jd", 1), ("tmall", 1)]
    assert sets["new_vs_returning"] == [("new", 1), ("returning", 1)]
    assert "buyers" in a.definitions


def test_buyer_profile_in_chinese(ws: Workspace) -> None:
    a = answer(ws, "本月销量前二的商品及其买家画像", "offline")
    assert a.main.rows == [("Coffee table", 2), ("Lamp", 1)]
    assert len(a.results) == 5


@pytest.mark.parametrize(
    ("question", "why"),
    [
        (
            "what is the weather in Paris",
            "no metric recognised; did not understand: 'weather', 'paris'",
        ),
        ("forecast sales next month", "forecasting"),
        ("orders with everything but not sofas", "exclusion"),  # a sum over lines is answered
        ("为什么上个月销售额下降了", "why"),
    ],
)
def test_says_plainly_what_it_cannot_answer(ws: Workspace, question: str, why: str) -> None:
    with pytest.raises(NotUnderstood) as e:
        answer(ws, question, "offline")
    assert why in e.value.message
    assert e.value.message.startswith("the offline engine cannot answer this")
    assert len(e.value.suggestions) == 3 and e.value.hint.startswith("try: ")


def test_buyers_of_one_product_but_not_another(ws: Workspace) -> None:
    a = answer(ws, "which customers bought a sofa but no coffee table", "offline")
    assert a.compound == "buyers_without"
    assert [row[0] for row in a.main.rows] == ["jd:2"]
    assert "people who never bought product_title = Coffee table at any time" in a.understood
    a = answer(ws, "本月买了沙发但没买茶几的客户", "offline")  # Chinese words for English titles
    # neither "how many" nor "which": the number first, and who they are as a second result
    assert a.main.rows == [(1,)]
    assert [row[0] for row in a.results[1].rows] == ["jd:2"]


def test_title_keywords_filter_products(ws: Workspace) -> None:
    a = answer(ws, "units of coffee tables this month", "offline")
    assert a.main.rows == [(2,)]


def test_channel_means_payment_channel_for_payment_metrics(ws: Workspace) -> None:
    assert answer(ws, "sales by channel", "offline").query.dimensions == ("platform",)
    # read, not answered: this warehouse has no payment attempts (an empty answer is refused)
    assert understand("payment success rate by channel", ws).query.dimensions == (
        "payment_channel",
    )


def test_comparison_without_a_range_compares_the_last_complete_month(ws: Workspace) -> None:
    """Whole months, never today with yesterday (issue 11); an earlier period without data
    is refused, saying why (a 0 for it would be made up: session 25)."""
    q = understand("销售额同比", ws)
    assert q.query.time_range is not None and q.query.time_range.start == dt.datetime(2025, 5, 1)
    with pytest.raises(ShopqlError, match=r"has no data \(the data starts 2025-05-03\)"):
        answer(ws, "销售额同比", "offline")


def test_top_customers(ws: Workspace) -> None:
    a = answer(ws, "top 2 customers by spend", "offline")
    assert a.compound == "top_customers"
    assert [(r[0], r[2], r[3]) for r in a.main.rows] == [
        ("jd:2", 2, Decimal("350.00")),
        ("tmall:1", 2, Decimal("200.50")),
    ]
    a = answer(ws, "本月消费最多的客户前1名", "offline")
    assert [r[0] for r in a.main.rows] == ["jd:2"]
    # counting customers is still a count
    assert answer(ws, "how many customers bought this month", "offline").main.rows == [(2,)]


def test_share_of_the_total(ws: Workspace) -> None:
    a = answer(ws, "本月各平台销售额占比", "offline")
    assert a.main.columns == ["platform", "paid_gmv", "paid_gmv__share"]
    assert a.main.rows == [("jd", Decimal("350.00"), 0.814), ("tmall", Decimal("80.00"), 0.186)]
    assert "share of the total: paid_gmv__share" in a.understood
    top = answer(ws, "top 1 platform by sales share this month", "offline")
    assert top.main.rows == [("jd", Decimal("350.00"), 0.814)]  # share of all, not of the top 1


def test_sql_typed_as_a_question_points_to_shopql_sql(ws: Workspace) -> None:
    from shopql.nlq.answer import NoEngine

    with pytest.raises(NoEngine, match="looks like SQL"):
        answer(ws, "select count(*) from orders", "offline")
    with pytest.raises(NoEngine, match="empty"):
        answer(ws, "   ", "offline")


def test_ignored_words_are_reported_not_hidden(ws: Workspace) -> None:
    from shopql.nlq.offline import NotUnderstood

    with pytest.raises(NotUnderstood) as refused:
        answer(ws, "sales by platform this month for the flibbertigibbet", "offline")
    assert refused.value.unknown == ["flibbertigibbet"]
    assert refused.value.exit_code == 5
    assert refused.value.understood[0].startswith("metrics: paid_gmv")
    a = answer(ws, "sales by platform this month for the flibbertigibbet", "offline", lenient=True)
    assert a.ignored == ["flibbertigibbet"]


def test_sql_only_guards_without_running(ws: Workspace) -> None:
    ws.dry_run = True
    a = answer(ws, "sales by platform", "offline")
    assert a.main.rows == [] and a.sql.endswith("LIMIT 10000")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("近三个月", dt.datetime(2025, 3, 30), dt.datetime(2025, 6, 30)),
        ("上周", dt.datetime(2025, 6, 23), dt.datetime(2025, 6, 30)),
        ("本月", dt.datetime(2025, 6, 1), dt.datetime(2025, 7, 1)),
        ("双十一", dt.datetime(2024, 11, 11), dt.datetime(2024, 11, 12)),
        ("去年双11", dt.datetime(2024, 11, 11), dt.datetime(2024, 11, 12)),
        ("618大促", dt.datetime(2025, 6, 18), dt.datetime(2025, 6, 19)),
        ("sales on 618 last year", dt.datetime(2024, 6, 18), dt.datetime(2024, 6, 19)),
        ("singles day 2023", dt.datetime(2023, 11, 11), dt.datetime(2023, 11, 12)),
        ("last 3 months", dt.datetime(2025, 3, 30), dt.datetime(2025, 6, 30)),
        ("in march 2024", dt.datetime(2024, 3, 1), dt.datetime(2024, 4, 1)),
        ("2024年第二季度", dt.datetime(2024, 4, 1), dt.datetime(2024, 7, 1)),
        ("from 2024-01 to 2024-03", dt.datetime(2024, 1, 1), dt.datetime(2024, 4, 1)),
    ],
)
def test_time_phrases(text: str, start: dt.datetime, end: dt.datetime) -> None:
    tr, _, _ = find_time(text, TODAY)
    assert tr is not None and (tr.start, tr.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("top 10 products", 10),
        ("前十的商品", 10),
        ("5 best states", 5),
        ("销量最高的3个类目", 3),
        ("近三个月", None),
    ],
)
def test_top_n(text: str, n: int | None) -> None:
    assert find_top_n(text)[0] == n
