"""Time phrases in English and Chinese, relative to a pinned today (Friday 2025-06-13)."""

from __future__ import annotations

import datetime as dt

import pytest

from shopql.catalog import parse_time_range, previous_range

TODAY = dt.date(2025, 6, 13)


def days(text: str) -> tuple[str, str]:
    tr = parse_time_range(text, TODAY)
    assert tr is not None, text
    assert tr.start is not None and tr.end is not None
    return tr.start.date().isoformat(), tr.end.date().isoformat()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-01", ("2025-01-01", "2025-01-02")),
        ("2025/3/7", ("2025-03-07", "2025-03-08")),
        ("2025年3月7日", ("2025-03-07", "2025-03-08")),
        ("2025-02", ("2025-02-01", "2025-03-01")),
        ("2024年12月", ("2024-12-01", "2025-01-01")),
        ("2024", ("2024-01-01", "2025-01-01")),
        ("2024年", ("2024-01-01", "2025-01-01")),
        ("2025-Q2", ("2025-04-01", "2025-07-01")),
        ("Q4 2024", ("2024-10-01", "2025-01-01")),
        ("2025年第一季度", ("2025-01-01", "2025-04-01")),
        ("today", ("2025-06-13", "2025-06-14")),
        ("昨天", ("2025-06-12", "2025-06-13")),
        ("this month", ("2025-06-01", "2025-07-01")),
        ("本月", ("2025-06-01", "2025-07-01")),
        ("last month", ("2025-05-01", "2025-06-01")),
        ("上个月", ("2025-05-01", "2025-06-01")),
        ("上月", ("2025-05-01", "2025-06-01")),
        ("this year", ("2025-01-01", "2026-01-01")),
        ("今年", ("2025-01-01", "2026-01-01")),
        ("last year", ("2024-01-01", "2025-01-01")),
        ("去年", ("2024-01-01", "2025-01-01")),
        ("this week", ("2025-06-09", "2025-06-16")),
        ("上周", ("2025-06-02", "2025-06-09")),
        ("last week", ("2025-06-02", "2025-06-09")),
        ("本季度", ("2025-04-01", "2025-07-01")),
        ("last quarter", ("2025-01-01", "2025-04-01")),
        ("last 90 days", ("2025-03-15", "2025-06-13")),
        ("past 7 days", ("2025-06-06", "2025-06-13")),
        ("近30天", ("2025-05-14", "2025-06-13")),
        ("最近7天", ("2025-06-06", "2025-06-13")),
        ("近三个月", ("2025-03-13", "2025-06-13")),
        ("最近两周", ("2025-05-30", "2025-06-13")),
        ("last 3 months", ("2025-03-13", "2025-06-13")),
        ("last two years", ("2023-06-13", "2025-06-13")),
        ("近十二个月", ("2024-06-13", "2025-06-13")),
        ("ytd", ("2025-01-01", "2025-06-13")),
        ("今年以来", ("2025-01-01", "2025-06-13")),
        ("2025-01-01 to 2025-03-31", ("2025-01-01", "2025-04-01")),
        ("2025-01-01..2025-01-31", ("2025-01-01", "2025-02-01")),
        ("从2025-01-01到2025-02-28", ("2025-01-01", "2025-03-01")),
        ("since 2025-05-01", ("2025-05-01", "2025-06-14")),
        ("  Last Month ", ("2025-05-01", "2025-06-01")),
        ("前天", ("2025-06-11", "2025-06-12")),
        ("Q2", ("2025-04-01", "2025-07-01")),
        ("二季度", ("2025-04-01", "2025-07-01")),
        ("上半年", ("2025-01-01", "2025-07-01")),
        ("2024年下半年", ("2024-07-01", "2025-01-01")),
        ("2024 H2", ("2024-07-01", "2025-01-01")),
        ("march 2025", ("2025-03-01", "2025-04-01")),
        ("Dec 2024", ("2024-12-01", "2025-01-01")),
        ("6月", ("2025-06-01", "2025-07-01")),
        (
            "十二月",
            ("2024-12-01", "2025-01-01"),
        ),  # without a year: the most recent one, never a future month
        ("in the last 3 months", ("2025-03-13", "2025-06-13")),
        ("过去一周", ("2025-06-06", "2025-06-13")),
    ],
)
def test_phrases(text: str, expected: tuple[str, str]) -> None:
    assert days(text) == expected


def test_label_keeps_the_words() -> None:
    tr = parse_time_range("近三个月", TODAY)
    assert tr is not None and tr.label == "近三个月"


@pytest.mark.parametrize(
    "text",
    ["", "banana", "paid_gmv", "2025-13", "2025-02-30", "last 0 days", "上上上周", "may", "13月"],
)
def test_not_time_phrases(text: str) -> None:
    assert parse_time_range(text, TODAY) is None


def test_month_end_clamping() -> None:
    tr = parse_time_range("last month", dt.date(2025, 3, 31))
    assert tr is not None and (tr.start, tr.end) == (
        dt.datetime(2025, 2, 1),
        dt.datetime(2025, 3, 1),
    )
    rolling = parse_time_range("last 1 month", dt.date(2025, 3, 30))
    assert rolling is not None and rolling.start == dt.datetime(2025, 2, 28)


def test_previous_period() -> None:
    month = parse_time_range("本月", TODAY)
    assert month is not None
    prev = previous_range(month)
    assert (prev.start, prev.end) == (dt.datetime(2025, 5, 1), dt.datetime(2025, 6, 1))
    rolling = parse_time_range("last 7 days", TODAY)
    assert rolling is not None
    prev = previous_range(rolling)
    assert (prev.start, prev.end) == (dt.datetime(2025, 5, 30), dt.datetime(2025, 6, 6))
    q = parse_time_range("2025-Q1", TODAY)
    assert q is not None
    yoy = previous_range(q, "year_over_year")
    assert (yoy.start, yoy.end) == (dt.datetime(2024, 1, 1), dt.datetime(2024, 4, 1))
