"""Periods the question engines read beyond the catalog's time phrases, and what the data covers.

Found in a question (each resolved against a fixed `today`, so tests and `--today` agree):

- a month without a year ("November", "nov", "11月", "十一月份") is the most recent such month that
  has started on or before today — never a future month; a day without a year ("11月24日",
  "nov 24") likewise;
- half a year: 最近半年 / 近半年 / 过去半年 / "past half year" / "last half year" = the last 6 months;
- festivals with a declared date window (``FESTIVALS``; 618, 双十一 and 双十二 are the catalog's
  one-day windows in nlq/phrases.py): Black Friday (the day after the fourth Thursday of
  November) and 年货节 (the three weeks that end a week before 春节, Chinese New Year's Day:
  [春节 − 28 days, 春节 − 7 days)). With a year ("2024年货节", "black friday 2017") that year's,
  else the most recent one that has started.

What the data covers (`check_coverage`): a period entirely after the data's end, or before its
start, is empty — the engine refuses it (exit 5) with where the data ends instead of printing 0 or
a table of NULLs as if that were the answer. A period the data covers only in part (still running,
or the data ends or starts inside it) is answered with a note saying how many days of it have
data. A comparison whose earlier period has no data says so.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from shopql.catalog.semantic import TimeRange
from shopql.errors import ExitCode, ShopqlError

_MONTHS_EN = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_ZH_MONTH = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_EN_MONTH = "|".join(sorted(_MONTHS_EN, key=len, reverse=True))

# 春节 (Chinese New Year's Day), for the 年货节 window.
SPRING_FESTIVAL = {
    2015: dt.date(2015, 2, 19),
    2016: dt.date(2016, 2, 8),
    2017: dt.date(2017, 1, 28),
    2018: dt.date(2018, 2, 16),
    2019: dt.date(2019, 2, 5),
    2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3),
}


def _black_friday(year: int) -> tuple[dt.date, dt.date] | None:
    first = dt.date(year, 11, 1)
    thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)
    day = thursday + dt.timedelta(days=1)
    return day, day + dt.timedelta(days=1)


def _new_year_goods(year: int) -> tuple[dt.date, dt.date] | None:
    spring = SPRING_FESTIVAL.get(year)
    if spring is None:
        return None
    return spring - dt.timedelta(days=28), spring - dt.timedelta(days=7)


# name, pattern, the window [start, end) of a given year
FESTIVALS = (
    ("black friday", r"black\s*friday|黑色星期五|黑五", _black_friday),
    ("年货节", r"年货节|new year goods festival|chinese new year sale", _new_year_goods),
)


@dataclass(frozen=True)
class Found:
    """A phrase found in the question: the text, and where (phrases.py re-exports it)."""

    text: str
    start: int
    end: int


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _found(start: dt.date, end: dt.date, label: str, m: re.Match[str]) -> tuple[TimeRange, Any]:
    return TimeRange(_at(start), _at(end), label), Found(m.group(0).strip(), m.start(), m.end())


def most_recent_month(month: int, today: dt.date) -> int:
    """The year of the most recent `month` that has started on or before `today`."""
    return today.year if month <= today.month else today.year - 1


def find_period(text: str, today: dt.date) -> tuple[TimeRange, Any] | None:
    """A festival with a declared window or half a year, found anywhere in `text`."""
    for name, pattern, window in FESTIVALS:
        m = re.search(
            rf"(?:((?:19|20)\d{{2}})\s*年?\s*|(今年|去年|前年)\s*的?)?(?:{pattern})"
            rf"(?:大促|期间|活动)?(?:\s*(?:of\s+|in\s+)?((?:19|20)\d{{2}})(?!\d))?",
            text,
        )
        if not m:
            continue
        year = _festival_year(m, window, today)
        span = window(year) if year else None
        if span is None:
            continue
        return _found(span[0], span[1], f"{name} {year}", m)
    m = re.search(
        r"(?:近|最近|过去|前)\s*半\s*年(?:内|以来)?|(?<!上|下)半年(?:内|以来)"
        r"|\b(?:in\s+|over\s+|during\s+)?(?:the\s+)?(?:last|past|previous)\s+half\s+(?:a\s+)?year\b",
        text,
    )
    if m:
        end = today + dt.timedelta(days=1)
        from shopql.catalog.timephrase import add_months

        return _found(add_months(end, -6), end, m.group(0).strip(), m)
    return None


def _festival_year(m: re.Match[str], window: Any, today: dt.date) -> int | None:
    if m.group(1) or m.group(3):
        return int(m.group(1) or m.group(3))
    if m.group(2):
        return today.year - {"今年": 0, "去年": 1, "前年": 2}[m.group(2)]
    for year in (today.year, today.year - 1):  # the most recent one that has started
        span = window(year)
        if span and span[0] <= today:
            return year
    return None


_YEAR_WORDS = {"今年": 0, "去年": 1, "前年": 2, "this year": 0, "last year": 1}


def find_month(text: str, today: dt.date, relative: bool = False) -> tuple[TimeRange, Any] | None:
    """A month (or a day of a month) named without a year: the most recent one that started.
    `relative`: only a month after 今年/去年/前年 ("去年11月"), which is that year's."""
    from shopql.catalog.timephrase import add_months, cn_number

    prefix = r"(今年|去年|前年)\s*的?\s*" if relative else r"()(?<![\d年个第])"
    m = re.search(
        rf"{prefix}({_ZH_MONTH})\s*月(?:份)?(?:\s*(\d{{1,2}})\s*[日号])?",
        text,
    )
    month = day = None
    said = ""
    if m:
        said = m.group(1)
        month = cn_number(m.group(2).lstrip("0") or "0")
        day = int(m.group(3)) if m.group(3) else None
    else:
        suffix = r"\s*,?\s*(this year|last year)" if relative else r"()"
        m = re.search(
            rf"\b(?:(in|during|of|for)\s+)?({_EN_MONTH})\b\.?"
            rf"(?:\s+(\d{{1,2}})(?:st|nd|rd|th)?\b)?(?!\s*,?\s*(?:of\s+)?\d{{4}}){suffix}",
            text,
        )
        if m and m.group(2) == "may" and not m.group(1):
            return None  # "may" alone is more often a verb than a month
        if m:
            month, day = _MONTHS_EN[m.group(2)], int(m.group(3)) if m.group(3) else None
            said = m.group(4)
    if m is None or not month or not 1 <= month <= 12 or (relative and not said):
        return None
    year = today.year - _YEAR_WORDS[said] if said else most_recent_month(month, today)
    if day is not None:
        try:
            start = dt.date(year, month, day)
        except ValueError:
            return None
        if start > today and not said:
            start = start.replace(year=year - 1)
        return _found(start, start + dt.timedelta(days=1), m.group(0).strip(), m)
    start = dt.date(year, month, 1)
    return _found(start, add_months(start, 1), m.group(0).strip(), m)


# -- what the data covers -------------------------------------------------------------------------


def data_span(ws: Any) -> tuple[dt.datetime, dt.datetime] | None:
    """The first and last moment the warehouse has sales (else behaviour events) for."""
    cached = ws.__dict__.get("_t_data_span")
    if cached is not None:
        return cached or None
    from shopql.warehouse.freshness import EVENT_TIMES, SALES_TIMES

    span: tuple[dt.datetime, dt.datetime] | None = None
    for times in (SALES_TIMES, EVENT_TIMES):
        found: list[tuple[dt.datetime, dt.datetime]] = []
        for table, column in times:
            try:
                row = ws.reader().execute(f'SELECT min("{column}"), max("{column}") FROM "{table}"')
                first, last = row.fetchone() or (None, None)
            except Exception:  # a table an older warehouse lacks
                continue
            if isinstance(first, dt.datetime) and isinstance(last, dt.datetime):
                found.append((first.replace(tzinfo=None), last.replace(tzinfo=None)))
        if found:
            span = (min(f for f, _ in found), max(last for _, last in found))
            break
    ws.__dict__["_t_data_span"] = span or ()
    return span


class EmptyPeriod(Exception):
    """The period asked about has no data at all."""


def _days(a: dt.datetime, b: dt.datetime) -> int:
    return max(0, (b.date() - a.date()).days)


def _shown(tr: TimeRange) -> str:
    assert tr.start is not None and tr.end is not None
    last = (tr.end - dt.timedelta(days=1)).date()
    span = f"{tr.start.date()}" if last == tr.start.date() else f"{tr.start.date()} → {last}"
    return f"'{tr.label}' ({span})" if tr.label else span


def coverage_notes(
    tr: TimeRange | None,
    previous: TimeRange | None,
    span: tuple[dt.datetime, dt.datetime] | None,
    today: dt.date,
) -> list[str]:
    """Notes on a period the data covers in part; EmptyPeriod when it covers none of it."""
    if tr is None or tr.start is None or tr.end is None or span is None:
        return []
    first, last = span
    end_day = last.date() + dt.timedelta(days=1)  # the data covers [first day, end_day)
    notes = []
    if tr.start.date() >= end_day:
        hint = (
            f" (use --today {end_day} to count relative periods from the data's end)"
            if end_day < today
            else ""
        )
        if tr.start.date() <= today < tr.end.date():  # still running
            raise EmptyPeriod(
                f"{_shown(tr)} has 0 days of data yet; the data ends {last:%Y-%m-%d} — "
                f"nothing to answer{hint}"
            )
        raise EmptyPeriod(
            f"the data ends {last:%Y-%m-%d}; {_shown(tr)} is empty — nothing to answer{hint}"
        )
    if tr.end.date() <= first.date():
        raise EmptyPeriod(
            f"the data starts {first:%Y-%m-%d}; {_shown(tr)} is before it, so it is empty — "
            "nothing to answer"
        )
    total = _days(tr.start, tr.end)
    only_today = end_day == today and tr.end.date() == today + dt.timedelta(days=1)
    if tr.end.date() > end_day and not only_today:  # (today itself has no data yet: normal)
        covered = _days(max(tr.start, first), _at(end_day))
        still = " (still running)" if tr.end.date() > today >= tr.start.date() else ""
        notes.append(
            f"{_shown(tr)}{still} has {covered} of its {total} days of data; "
            f"the data ends {last:%Y-%m-%d}: the figures cover only those days"
        )
    elif tr.start.date() < first.date():
        covered = _days(first, tr.end)
        notes.append(
            f"{_shown(tr)} has {covered} of its {total} days of data; the data starts "
            f"{first:%Y-%m-%d}"
        )
    if previous is not None and previous.start is not None and previous.end is not None:
        if previous.end.date() <= first.date() or previous.start.date() >= end_day:
            notes.append(
                f"the period compared with ({_shown(previous)}) has no data (the data starts "
                f"{first:%Y-%m-%d}): its figures are empty and there is no change to compute"
            )
        elif previous.start.date() < first.date():
            notes.append(
                f"the period compared with ({_shown(previous)}) has data only from {first:%Y-%m-%d}"
            )
    return notes


def last_complete_month(today: dt.date, zh: bool) -> TimeRange:
    """The last whole calendar month before today's month: what a comparison (环比, MoM,
    growth) without a period compares — never today with yesterday."""
    start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    label = (
        "上个月（默认：最近一个完整月）" if zh else "last month (default: the last complete month)"
    )
    return TimeRange(_at(start), _at(today.replace(day=1)), label)


class NoDataInPeriod(ShopqlError):
    """The question asks about a period the warehouse has no data for: nothing is answered (exit
    5), and no other engine is asked to make up a 0 for it."""

    exit_code = ExitCode.NOT_UNDERSTOOD


def check(ws: Any, compiled: Any, question: str) -> list[str]:
    """Notes on how much of the asked period has data; NoDataInPeriod (exit 5) when none."""
    if compiled.time_range is None:
        return []
    try:
        return coverage_notes(compiled.time_range, compiled.previous, data_span(ws), ws.today)
    except EmptyPeriod as e:
        zh = any("\u4e00" <= ch <= "\u9fff" for ch in question)
        hint = "换一个有数据的时间范围再问" if zh else "ask about a period the data covers"
        raise NoDataInPeriod(str(e), hint) from None


def whole_units(tr: TimeRange | None, grain: str | None, today: dt.date) -> TimeRange | None:
    """ "近6个月每月销售额", "last 4 weeks weekly": a rolling range split by its own unit is the
    last N whole units before the running one (not N units' worth of days, which would start and
    end with a partial bucket). None when `tr` is not such a range."""
    from shopql.catalog.timephrase import _ROLLING, _UNITS, cn_number, period_start, shift

    if tr is None or not grain or not tr.label:
        return None
    for pattern in _ROLLING:
        m = pattern.match(tr.label)
        if not m:
            continue
        n = cn_number(m.group(1)) if m.group(1) else 1
        if not n or n <= 1 or _UNITS.get(m.group(2)) != grain or grain == "day":
            return None
        end = period_start(today, grain)
        start = shift(end, grain, -n)
        return TimeRange(_at(start), _at(end), f"{tr.label} (whole {grain}s)")
    return None
