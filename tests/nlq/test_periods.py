"""Periods beyond the catalog's phrases (months without a year, half a year, festival windows),
and what the data covers: empty periods refused, partly covered ones noted (issue 11)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from shopql.catalog.semantic import TimeRange
from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.linking import normalise
from shopql.nlq.periods import EmptyPeriod, NoDataInPeriod, coverage_notes
from shopql.nlq.phrases import find_time
from shopql.nlq.session import Workspace
from tests.conftest import cli_in_process
from tests.nlq.conftest import FakeLLM

TODAY = dt.date(2025, 6, 13)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("sales in November", "2024-11-01", "2024-12-01"),  # not a future month
        ("orders in nov", "2024-11-01", "2024-12-01"),
        ("sales in june", "2025-06-01", "2025-07-01"),  # started: this year's
        ("11月的销售额", "2024-11-01", "2024-12-01"),
        ("十一月份订单", "2024-11-01", "2024-12-01"),
        ("6月销量", "2025-06-01", "2025-07-01"),
        ("2017年11月的销售额", "2017-11-01", "2017-12-01"),
        ("nov 2017 sales", "2017-11-01", "2017-12-01"),
        ("去年11月的订单", "2024-11-01", "2024-12-01"),
        ("今年3月", "2025-03-01", "2025-04-01"),
        ("11月24日的订单", "2024-11-24", "2024-11-25"),
        ("最近半年的销售额", "2024-12-13", "2025-06-13"),
        ("近半年订单", "2024-12-13", "2025-06-13"),
        ("past half year orders", "2024-12-13", "2025-06-13"),
        ("past 6 months", "2024-12-13", "2025-06-13"),
        ("近90天", "2025-03-15", "2025-06-13"),
        ("last 90 days", "2025-03-15", "2025-06-13"),
        ("年初至今", "2025-01-01", "2025-06-13"),
        ("ytd sales", "2025-01-01", "2025-06-13"),
        ("上季度", "2025-01-01", "2025-04-01"),
        ("last quarter", "2025-01-01", "2025-04-01"),
        ("本季度", "2025-04-01", "2025-07-01"),
        ("Q1销售额", "2025-01-01", "2025-04-01"),
        ("q3 sales", "2024-07-01", "2024-10-01"),  # without a year: the most recent one
        ("三季度的订单", "2024-07-01", "2024-10-01"),
        ("今年到现在的销售额", "2025-01-01", "2025-06-13"),
        ("618", "2024-06-18", "2024-06-19"),  # this year's is still to come
        ("双十一", "2024-11-11", "2024-11-12"),
        ("双11", "2024-11-11", "2024-11-12"),
        ("singles day 2023", "2023-11-11", "2023-11-12"),
        ("双十二", "2024-12-12", "2024-12-13"),
        ("black friday", "2024-11-29", "2024-11-30"),
        ("black friday 2017", "2017-11-24", "2017-11-25"),
        ("黑五", "2024-11-29", "2024-11-30"),
        ("年货节", "2025-01-01", "2025-01-22"),  # 春节 2025-01-29: [−28 d, −7 d)
        ("2024年货节", "2024-01-13", "2024-02-03"),
        ("去年年货节", "2024-01-13", "2024-02-03"),
        ("上半年的销售额", "2025-01-01", "2025-07-01"),  # started: this year's
        ("下半年订单", "2024-07-01", "2025-01-01"),  # this year's has not started
        ("去年下半年", "2024-07-01", "2025-01-01"),
        ("h1 sales", "2025-01-01", "2025-07-01"),
        ("sales in the second half of last year", "2024-07-01", "2025-01-01"),
        ("17年上半年", "2017-01-01", "2017-07-01"),
        ("去年Q4各平台销售额", "2024-10-01", "2025-01-01"),
        ("去年第四季度", "2024-10-01", "2025-01-01"),
        ("last year's q2", "2024-04-01", "2024-07-01"),
        ("3月到5月的销售额", "2025-03-01", "2025-06-01"),
        ("11月至2月", "2024-11-01", "2025-03-01"),
        ("18年1-8月销售额", "2018-01-01", "2018-09-01"),
        ("from march to may 2018", "2018-03-01", "2018-06-01"),
        ("between mar and may", "2025-03-01", "2025-06-01"),
        ("christmas 2017 orders", "2017-12-25", "2017-12-26"),
        ("圣诞节那天", "2024-12-25", "2024-12-26"),
        ("christmas eve 2017", "2017-12-24", "2017-12-25"),
        ("cyber monday 2017", "2017-11-27", "2017-11-28"),
        # the first quarters of a year (was: the three quarters before today)
        ("11年前三个季度一共多少客户", "2011-01-01", "2011-10-01"),
        ("去年前两个季度", "2024-01-01", "2024-07-01"),
        ("the first three quarters of 2011 sales", "2011-01-01", "2011-10-01"),
        ("2018年前5个月", "2018-01-01", "2018-06-01"),
        # a month without a year is found with its "of": still the half said before it
        ("sales in the second half of september", "2024-09-16", "2024-10-01"),
        ("the 2nd half of march", "2025-03-16", "2025-04-01"),
        ("first half of april orders", "2025-04-01", "2025-04-16"),
    ],
)
def test_periods_against_a_fixed_today(text: str, start: str, end: str) -> None:
    tr, _, _ = find_time(normalise(text), TODAY)
    assert tr is not None, text
    assert (tr.start, tr.end) == (
        dt.datetime.fromisoformat(start),
        dt.datetime.fromisoformat(end),
    ), text


def test_may_alone_is_a_verb_but_in_may_is_a_month() -> None:
    assert find_time(normalise("may I see sales"), TODAY)[0] is None
    tr = find_time(normalise("sales in may"), TODAY)[0]
    assert tr is not None and tr.start == dt.datetime(2025, 5, 1)


def _tr(start: str, end: str, label: str = "x") -> TimeRange:
    return TimeRange(dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end), label)


SPAN = (dt.datetime(2024, 1, 5, 8), dt.datetime(2025, 5, 31, 23))


def test_a_period_after_the_data_is_empty_and_said() -> None:
    with pytest.raises(EmptyPeriod, match=r"'this month' \(2025-06-01 → 2025-06-30\) has 0 days"):
        coverage_notes(
            _tr("2025-06-01", "2025-07-01", "this month"), None, SPAN, dt.date(2025, 6, 1)
        )
    with pytest.raises(EmptyPeriod, match="the data ends 2025-05-31; 'last month'.* is empty"):
        coverage_notes(
            _tr("2025-07-01", "2025-08-01", "last month"), None, SPAN, dt.date(2025, 8, 3)
        )
    with pytest.raises(EmptyPeriod, match="the data starts 2024-01-05"):
        coverage_notes(_tr("2023-01-01", "2024-01-01", "2023"), None, SPAN, dt.date(2025, 8, 3))


def test_a_running_or_partly_covered_period_is_noted() -> None:
    notes = coverage_notes(_tr("2025-05-01", "2025-06-01"), None, SPAN, dt.date(2025, 6, 1))
    assert notes == []  # whole month covered
    (note,) = coverage_notes(_tr("2025-01-01", "2026-01-01", "this year"), None, SPAN, TODAY)
    assert "(still running) has 151 of its 365 days of data" in note
    assert "the data ends 2025-05-31" in note
    (note,) = coverage_notes(_tr("2024-01-01", "2024-02-01", "jan"), None, SPAN, TODAY)
    assert "has 27 of its 31 days of data; the data starts 2024-01-05" in note
    prev = _tr("2023-12-01", "2024-01-01", "before")
    # a period compared with that has no data at all is refused (session 25: its 0 was made up)
    with pytest.raises(EmptyPeriod, match="has no data .*nothing to compare with"):
        coverage_notes(_tr("2024-01-01", "2024-02-01", "jan"), prev, SPAN, TODAY)


def test_empty_periods_are_refused_by_the_engine(shop: Path) -> None:
    """The seeded shop's orders run 2025-05-03 .. 2025-06-20."""
    ws = Workspace(load_settings(shop), today=dt.date(2025, 8, 1))
    with pytest.raises(NoDataInPeriod, match="the data ends 2025-06-20; 'last month'") as e:
        answer(ws, "sales last month", "offline")
    assert e.value.exit_code == 5
    ws = Workspace(load_settings(shop), today=dt.date(2025, 7, 1))
    with pytest.raises(NoDataInPeriod, match="'本月' .* has 0 days of data yet"):
        answer(ws, "本月销售额", "offline")
    # on the 1st, 环比 compares the last two whole months, not today with yesterday
    a = answer(ws, "销售额环比", "offline")
    assert a.main.rows == [(Decimal("430.00"), Decimal("120.50"), 2.5685)]
    assert "time: 2025-06-01 → 2025-06-30 (上个月（默认：最近一个完整月）)" in a.understood


def test_an_empty_period_is_not_handed_to_the_llm(shop: Path, fake_llm: FakeLLM) -> None:
    llm = {"base_url": fake_llm.url, "api_key": "k", "model": "m", "max_tries": 1}
    ws = Workspace(load_settings(shop, llm), today=dt.date(2025, 8, 1))
    with pytest.raises(NoDataInPeriod):
        answer(ws, "sales last month", "auto")
    assert fake_llm.requests == []


def test_ask_exits_5_saying_where_the_data_ends(shop: Path) -> None:
    done = cli_in_process("--workspace", str(shop), "ask", "本月销售额", "--today", "2025-07-01")
    assert done.returncode == 5
    assert "'本月' (2025-07-01 → 2025-07-31) has 0 days of data yet; the data ends 2025-06-20" in (
        done.stderr
    )


def test_a_workspace_catalog_declares_its_own_festival_windows(tmp_path: Path) -> None:
    from shopql.nlq.periods import load_festivals

    (tmp_path / "events.yaml").write_text(
        "festivals:\n"
        "  - name: 双十一\n"
        "    words: [双十一, 双11]\n"
        '    anchor: "11-11"\n'
        "    from: -10\n"  # this shop's 双十一 runs 11-01 → 11-11
        "  - name: 店庆\n"
        "    words: [店庆, anniversary sale]\n"
        '    anchor: "09-09"\n'
        "    to: 3\n",
        encoding="utf-8",
    )
    festivals = load_festivals(tmp_path)
    assert [f.name for f in festivals] == ["双十一", "店庆"]
    tr, _, _ = find_time(normalise("去年双十一的销售额"), TODAY, festivals)
    assert tr is not None and (tr.start, tr.end) == (
        dt.datetime(2024, 11, 1),
        dt.datetime(2024, 11, 12),
    )
    tr, _, _ = find_time(normalise("anniversary sale orders"), TODAY, festivals)
    assert tr is not None and (tr.start, tr.end) == (
        dt.datetime(2024, 9, 9),
        dt.datetime(2024, 9, 12),
    )
    assert find_time(normalise("black friday"), TODAY, festivals)[0] is None  # not declared here


def test_running_periods_compare_like_for_like() -> None:
    from shopql.catalog import previous_range
    from shopql.nlq.periods import to_date

    month = to_date(_tr("2025-06-01", "2025-07-01", "本月"), TODAY)
    assert month is not None and (month.start, month.end) == (
        dt.datetime(2025, 6, 1),
        dt.datetime(2025, 6, 13),
    )
    assert previous_range(month) == TimeRange(
        dt.datetime(2025, 5, 1), dt.datetime(2025, 5, 13), "before 本月 (to date)"
    )
    assert previous_range(month, "year_over_year").start == dt.datetime(2024, 6, 1)
    quarter = to_date(_tr("2025-04-01", "2025-07-01", "this quarter"), TODAY)
    assert quarter is not None
    assert (previous_range(quarter).start, previous_range(quarter).end) == (
        dt.datetime(2025, 1, 1),
        dt.datetime(2025, 3, 13),
    )
    assert to_date(_tr("2025-05-01", "2025-06-01", "last month"), TODAY) is None  # not running
