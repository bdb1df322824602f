"""Phrases found by pattern rather than by vocabulary: time ranges inside a question (English and
Chinese, festivals such as 双十一 and 618 included) and the N of a top-N.

Each finder returns what it found and the question with that span blanked out (same length), so
the linker does not read "3 months" or "前十" as anything else. Whole phrases are resolved by the
catalog's ``parse_time_range``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from shopql.catalog.semantic import TimeRange
from shopql.catalog.timephrase import add_months, cn_number, parse_time_range
from shopql.nlq.periods import (
    _EN_MONTH,
    _MONTHS_EN,
    Festival,
    Found,
    festivals_of,
    without_title_words,
)

_EN_NUM = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|fifty|hundred"
)
_WORD_NUMBERS = {w: i for i, w in enumerate(_EN_NUM.split("|")[:12], 1)}
_WORD_NUMBERS.update({"fifteen": 15, "twenty": 20, "fifty": 50, "hundred": 100})
_CN_NUM = r"\d+|[一二两三四五六七八九十百]+"
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_WEEKDAY_RE = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
# one quarter in a list of them: q2, Q2, 二季度, 第二季度
_QUARTER_ITEM = r"(?<![a-z0-9])q[1-4](?![0-9a-z])|第?[一二三四1-4]\s*季度"
_MONTH_RE = "|".join([*_MONTHS, *(m[:3] for m in _MONTHS), "sept"])
_D = r"\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?|\d{4}\s*q[1-4]|q[1-4]\s*\d{4}|(?:19|20)\d{2}"
# a date said in Chinese: 2017年10月(5日), 17年10月 (a two-digit year, as 17年 alone is read), 2017-10
_ZD = (
    r"(?:\d{4}|(?<!\d)\d{2})年(?:\d{1,2}月(?:\d{1,2}[日号])?)?"
    r"|\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?"
)
_TWO_DIGIT_YEAR = re.compile(r"(?<!\d)(\d{2})(?=年)")

# (pattern, how to turn the match into a phrase for parse_time_range); tried in this order.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # a day of a week in English: "friday last week", "last friday" (before 'last week')
    (re.compile(rf"\b(?:on\s+)?({_WEEKDAY_RE})\s+(?:of\s+)?(this|last)\s+week\b"), "{1} {2} week"),
    # "last saturday and sunday": two days of one week side by side (as "上周六周日" below)
    (
        re.compile(
            rf"\b(this|last)\s+({_WEEKDAY_RE})\s*(?:and|&|\+|,)\s*(?:(?:this|last)\s+)?({_WEEKDAY_RE})\b"
        ),
        "{1} {2}&{1} {3}",
    ),
    (re.compile(rf"\b(?:on\s+)?(this|last)\s+({_WEEKDAY_RE})\b"), "{1} {2}"),
    (
        re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(?:到|至|~|-)\s*(\d{1,2})\s*月(?:份)?"),
        "{1}-{2} to {1}-{3}",
    ),
    # quarters of one year named one after another: "2018年 Q1 Q2 Q3", "2018年Q1到Q3", "2017年一季度、
    # 二季度和三季度" — the span from the first to the last when they follow each other (quarters
    # apart, "Q1和Q3", are no span: not read here)
    (
        re.compile(
            rf"((?:19|20)\d{{2}})\s*年?\s*(?:的)?\s*((?:{_QUARTER_ITEM})"
            rf"(?:\s*(?:、|,|，|和|与|跟|及|以及|到|至|~|-|—|and\b|&)?\s*(?:{_QUARTER_ITEM})){{1,3}})"
        ),
        "quarters {1} {2}",
    ),
    # the first months or quarters of a year: "2011年前5个月", "11年前三个季度", "今年前三季度"
    (
        re.compile(
            rf"((?:19|20)\d{{2}}|(?<!\d)\d{{2}}(?=\s*年)|今年|本年|去年|前年)\s*年?\s*(?:的)?"
            rf"前\s*({_CN_NUM})\s*个?(季度|月)(?!份)"
        ),
        "first {2} {3} {1}",
    ),
    (
        re.compile(rf"\b(?:the\s+)?first\s+(\d+|{_EN_NUM})\s+(months|quarters)\s+of\s+(\d{{4}})\b"),
        "first {1} {2} {3}",
    ),
    (re.compile(r"(\d{4})\s*年?\s*(上半年|下半年)"), "half {2} {1}"),
    (re.compile(r"\b(?:the\s+)?(first|second)\s+half\s+(?:of\s+)?(\d{4})\b"), "half {1} {2}"),
    (re.compile(r"\b(h[12])\s*(\d{4})\b"), "half {1} {2}"),
    (re.compile(r"\b(\d{4})\s*(h[12])\b"), "half {2} {1}"),
    (re.compile(rf"(?:from|between)\s+({_D})\s+(?:to|and|until|through)\s+({_D})"), "{1} to {2}"),
    (re.compile(rf"从?\s*({_ZD})\s*(?:到|至|~|-)\s*({_ZD})"), "{1} to {2}"),
    (re.compile(rf"since\s+({_D})"), "since {1}"),
    (re.compile(rf"(?:自|从)\s*({_ZD})\s*(?:以来|起|开始)"), "since {1}"),
    (
        re.compile(
            # a word of its own: "douyin last month" is not "in last month" after "douy"
            rf"\b(?:(?:in|over|during|for|within)\s+)?(?:the\s+)?(?:last|past|previous)\s+((?:\d+|{_EN_NUM}|a|an)\s*)?"
            r"(days?|weeks?|months?|quarters?|years?)\b"
        ),
        "last {1} {2}",
    ),
    (
        re.compile(
            rf"(?:近|最近|过去|前(?![年天日]))\s*({_CN_NUM})?\s*(个月|个星期|个季度|天|日|周|星期|月|季度|年)(?:内|以来)?"
        ),
        "近{1}{2}",
    ),
    # days of one week named as a range: "上周一到周日", "这周一至周三", "上个星期二到星期五" —
    # the second day is of the same week (not a weekday filter on the first day alone)
    (
        re.compile(
            r"(上上|上|这|本)个?(?:周|星期|礼拜)([一二三四五六日天])\s*(?:到|至|~|-|—)\s*"
            r"(?:\1个?)?(?:周|星期|礼拜)([一二三四五六日天])(?![共单笔件个张位次])"
        ),
        "{1}周{2}到{1}周{3}",
    ),
    # two days of one week side by side: "上周六周日", "上个礼拜六礼拜天", "上周五和周六", "上周六、
    # 日" — the span from the first to the second when they follow each other (days apart, as
    # "上周一和周三", are no span: not read here, and the second as a weekday filter on the first
    # alone is refused as counting nothing)
    (
        re.compile(
            r"(上上|上|这|本)个?(?:周|星期|礼拜)([一二三四五六日天])\s*(?:和|与|跟|及|以及|加上|加|还有|、|,|，)?\s*"
            r"(?:\1个?)?(?:(?:周|星期|礼拜)(?=[一二三四五六日天])|(?<=[、,，])|(?<=和|与|跟|及)|(?<=[一二三四五六]))"
            r"([一二三四五六日天])(?![共单笔件个张位次十百千万均期常号])"
        ),
        "{1}周{2}&{1}周{3}",
    ),
    # a day of a week named: "上周五", "这个星期一", "last friday", "friday last week"; 一 before
    # 共 or a classifier is a number ("上上周一共多少单": the week's orders in all, "上周一单")
    (
        re.compile(
            r"(上上|上|这|本)个?(?:周|星期|礼拜)(一(?![共单笔件个张位次])|[二三四五六日天])"
        ),
        "{1}周{2}",
    ),
    # a weekend before its week: "上周末" is not "上周" with a stray 末
    (
        re.compile(
            r"(上上个?周末|上个?周末|上个星期末|这个?周末|本周末"
            r"|\b(?:this|last|previous|past)\s+weekend\b|\bthe\s+weekend\s+before\s+last\b)(?:这两天|两天)?"
        ),
        "{1}",
    ),
    (re.compile(r"\bthe\s+(week|month|quarter|year)\s+before\s+last\b"), "the {1} before last"),
    (re.compile(r"\b(?:on\s+)?the\s+day\s+before\s+yesterday\b"), "the day before yesterday"),
    (re.compile(r"\b(this|last|previous)\s+(week|month|quarter|year)\b"), "{1} {2}"),
    (
        re.compile(
            r"\b(today|yesterday|ytd|year[- ]to[- ]date|mtd|month[- ]to[- ]date|qtd|quarter[- ]to[- ]date)\b"
        ),
        "{1}",
    ),
    (
        re.compile(
            # 上一个月 / 上一季度 / 上一周: 上个月 / 上季度 / 上周 (session 33: "上一季度" was 一季度)
            r"((?<![再上比较])上一(?:个月|月|个季度|季度|个星期|周)|上上个月|上上月|上上周|上上个星期|上上星期|上上季度|上上个季度|今年以来|年初至今|今年至今|今年到现在|年初到现在|本年至今|本月至今|上个星期|这个星期|上星期|这星期|本星期|上个季度|这个季度|这季度|上个月|这个月|本季度|上季度|本月|上月|当月|这月(?!份)|本周|这周|上周|今年|去年|前年|本年|大前天|前天|昨天|今天|今日|昨日)"
        ),
        "{1}",
    ),
    (re.compile(rf"\b({_MONTH_RE})\.?\s+(?:of\s+)?(\d{{4}})\b"), "month {1} {2}"),
    # "july/18", "jul '18", "julho/18": a month with its year's last two digits
    (re.compile(rf"\b({_MONTH_RE})\.?\s*(?:/\s*|'|’)(\d{{2}})(?![\d/])"), "month {1} 20{2}"),
    (re.compile(rf"\b(\d{{4}})\s+({_MONTH_RE})\b"), "month {2} {1}"),
    (
        re.compile(r"(\d{4}(?=\s*年)|(?:19|20)\d{2})\s*(?:年\s*)?(?:第)?\s*([一二三四1-4])\s*季度"),
        "{1}年第{2}季度",
    ),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"), "{1}-{2}-{3}"),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?"), "{1}-{2}"),
    (re.compile(r"(\d{4})\s*年"), "{1}"),
    # "17年11月", "18年": a two-digit year is this century's
    (re.compile(r"(?<![\d.])(\d{2})\s*年\s*(\d{1,2})\s*月(?:份)?"), "20{1}-{2}"),
    (re.compile(r"(?<![\d.])(\d{2})\s*年(?![\d代])"), "20{1}"),
    (re.compile(r"\b(this|last|previous)\s+yr\b"), "{1} year"),
    (re.compile(r"(?<![\d.])(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})(?![\d])"), "{1}"),
    (re.compile(r"(?<![\d.])(\d{4}[-/.]\d{1,2})(?![\d.\-/])"), "{1}"),
    (re.compile(r"(?<![a-z0-9])(\d{4}\s*q[1-4]|q[1-4]\s*\d{4})(?![a-z0-9])"), "{1}"),
    (re.compile(r"(?<![a-z0-9])(q[1-4])(?![0-9a-z])"), "{1}"),  # q3: the most recent one
    (re.compile(r"(?<![\d年近前个])第?\s*([一二三四1-4])\s*季度"), "第{1}季度"),
    (re.compile(r"\b(?:in|during|for|of)\s+((?:19|20)\d{2})\b"), "{1}"),
    (re.compile(r"(?<![\d-])((?:19|20)\d{2})(?![\d-])"), "{1}"),
]


def blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def find_time(
    text: str, today: dt.date, festivals: tuple[Festival, ...] | None = None
) -> tuple[TimeRange | None, Found | None, str]:
    """The first time range the (normalised) question names, its span, and the text without it.
    `festivals`: the workspace's (catalog `festivals:`), else the default pack's.

    A pure function of its arguments, whose results are immutable (frozen TimeRange and Found, a
    string): the answers of the same call are kept (a question's reading asks it of the same
    text ~3 times in 4: ~10 % of the engine's time went to find_time)."""
    if isinstance(festivals, tuple) or festivals is None:
        return _find_time_kept(text, today, _Same(festivals))
    return _find_time_of(text, today, festivals)


class _Same:
    """`value` as a key by its identity (a workspace's festivals are one tuple: hashing its
    ~100 festivals at each call cost more than the lookup saves); the key keeps it alive, so its
    id is not reused while the key is kept."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.value is self.value


@functools.lru_cache(maxsize=4096)
def _find_time_kept(
    text: str, today: dt.date, festivals: _Same
) -> tuple[TimeRange | None, Found | None, str]:
    return _find_time_of(text, today, festivals.value)


def _find_time_of(
    text: str, today: dt.date, festivals: tuple[Festival, ...] | None
) -> tuple[TimeRange | None, Found | None, str]:
    said = _WEEK_BY_ITS_DAYS.search(text)  # "the previous mon-to-sun week": the week before
    read = _WEEK_BY_ITS_DAYS.sub(_week_by_its_days, text) if said else text
    tr, found = _find_time(read, today, festivals)
    days = _days_of_a_month(text, today)  # "from 1 to 15 november 2011"
    if days is not None and (
        found is None or found.start < days[1].end and days[1].start < found.end
    ):
        return days[0], days[1], blank(text, days[1].start, days[1].end)
    if tr is None or found is None:
        return None, None, text
    if said and found.start < said.end() and said.start() < found.end:  # the words are its own
        end = max(found.end, said.end())
        found = Found(text[found.start : end].strip(), found.start, end)
    tr, found = _part_of(text, tr, found, today, festivals)
    tr, found = _week_numbered(text, tr, found)
    tr, found = _days_of_month(text, tr, found)
    tr, found = _since_said(text, tr, found, today)
    tr, found = _restated(text, tr, found, today, festivals)
    tr, found = _days_counted(text, tr, found, festivals)
    found = _unit_restated(text, tr, found)
    return tr, found, blank(text, found.start, found.end)


# a period said again as the one calendar unit it is, right after it: "今年7-9月这个季度" (Q3),
# "11月这个月", "2018年这一年", "上周这一周"
_UNIT_AFTER = re.compile(
    r"\s*(?:的)?\s*(?:这|整)\s*(?:一|个|一个)?\s*(季度|月|年|周|星期|礼拜)(?![份度里内中])"
)


def _unit_restated(text: str, tr: TimeRange, found: Found) -> Found:
    """The span grown over "这个季度" (这个月, 这一年, 这一周) said right after a period that is
    exactly one such calendar unit ("今年7-9月这个季度的销售额": July to September, not this
    quarter beside it); else unchanged (a unit of other days is a period of its own)."""
    m = _UNIT_AFTER.match(text, found.end)
    if m is None or tr.start is None or tr.end is None:
        return found
    start, end = tr.start.date(), tr.end.date()
    unit = m.group(1)
    if unit in ("周", "星期", "礼拜"):
        whole = start.weekday() == 0 and end - start == dt.timedelta(days=7)
    else:
        months = {"月": 1, "季度": 3, "年": 12}[unit]
        whole = start.day == 1 and (start.month - 1) % months == 0
        whole = whole and add_months(start, months) == end
    if not whole:
        return found
    return Found(text[found.start : m.end()].strip(), found.start, m.end())


# days of one month said in English (or Portuguese read word by word): "from 1 to 15 November
# 2011", "between 1 nov and 15 nov 2011", "november 1-15, 2011", "nov 1 - nov 15", "de 10 a 20 de
# julho de 2018" (read as "of 10 the 20 of july of 2018")
_ORD = r"(?:st|nd|rd|th)?"
# ("and" only after "between": "on 5 and 16 november" are two days)
_DAY_SPAN_TO = (
    r"\s*(-|–|~|\bto\b|\bthrough\b|\bthru\b|\buntil\b|\btill\b|\band\b|\bthe\b|\baté\b)\s*"
)
_DAYS_THEN_MONTH = re.compile(
    rf"\b(?:(from|between|of)\s+)?(?:the\s+)?(\d{{1,2}}){_ORD}"
    rf"(?:\s+(?:of\s+)?({_EN_MONTH})\.?(?:,?\s+\d{{4}})?)?"
    rf"{_DAY_SPAN_TO}(?:the\s+)?(\d{{1,2}}){_ORD}\s+(?:of\s+)?({_EN_MONTH})\b\.?"
    r"(?:,?\s+(?:of\s+)?(\d{4})\b)?"
)
_MONTH_THEN_DAYS = re.compile(
    rf"\b(?:(from|between)\s+)?({_EN_MONTH})\.?\s+(\d{{1,2}}){_ORD}(?!\d){_DAY_SPAN_TO}"
    rf"(?:({_EN_MONTH})\.?\s+)?(\d{{1,2}}){_ORD}(?!\d)(?:,?\s+(\d{{4}})\b)?"
)


def _days_of_a_month(text: str, today: dt.date) -> tuple[TimeRange, Found] | None:
    """The days from one day to another of a month said in English ("from 1 to 15 November
    2011": 1–15 November 2011, both days in), the span said; without a year, the latest year in
    which those days have passed. None when no such days are said (or they are no dates)."""
    m = _DAYS_THEN_MONTH.search(text)
    if m is not None:
        lead, d1, mon1, to, d2, mon2, year = m.groups()
    else:
        m = _MONTH_THEN_DAYS.search(text)
        if m is None:
            return None
        lead, mon1, d1, to, mon2, d2, year = m.groups()
    if to == "and" and lead != "between" or to == "the" and lead != "of":
        return None  # "on 5 and 16 november": two days; "the": Portuguese "de 10 a 20"
    first_month, last_month = _MONTHS_EN[mon1 or mon2], _MONTHS_EN[mon2 or mon1]
    years = [int(year)] if year else [today.year, today.year - 1]
    for y in years:
        try:
            start = dt.date(y - (first_month > last_month), first_month, int(d1))
            end = dt.date(y, last_month, int(d2))
        except ValueError:
            return None
        if end < start or (not year and end >= today):
            continue
        begin = dt.datetime.combine(start, dt.time())
        stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
        said = m.group(0).strip()
        return TimeRange(begin, stop, said), Found(
            said, m.start(), m.start() + len(m.group(0).rstrip())
        )
    return None


# "the previous Monday-to-Sunday week", "last mon-sun week": last week, its days said inside
_WEEK_BY_ITS_DAYS = re.compile(
    r"\b(last|previous|prior|this|current)\s+(?:full\s+|whole\s+|complete\s+)?"
    r"mon(?:day)?(?:\s*(?:-|–|~)\s*|[\s-]+(?:to|through|thru)[\s-]+)sun(?:day)?[\s-]+week\b"
)


def _week_by_its_days(m: re.Match[str]) -> str:
    """ "previous monday-to-sunday week" as "previous week", padded to the words' length (the
    spans found stay those of the text)."""
    return f"{m.group(1)} week".ljust(len(m.group(0)))


# a week of a year by its number, said right after the year: "今年 第30周", "2018年第30个星期",
# "2018 week 30"
_WEEK_NUMBER = re.compile(
    rf"\s*(?:的)?\s*(?:第\s*({_CN_NUM})\s*(?:周|个?星期|个?礼拜)(?!几|(?!一共)[一二三四五六日天末])|week\s+(\d{{1,2}})\b)"
)


def _week_numbered(text: str, tr: TimeRange, found: Found) -> tuple[TimeRange, Found]:
    """A calendar year (or this year to date) narrowed to its ISO week N said right after it
    ("今年第30周": Monday 23 – Sunday 29 July 2018), within the year; unchanged when no week
    number follows or the period is not a year from 1 January."""
    m = _WEEK_NUMBER.match(text, found.end)
    if m is None or tr.start is None or tr.end is None:
        return tr, found
    first, last = tr.start, tr.end
    if (first.month, first.day) != (1, 1) or last > first.replace(year=first.year + 1):
        return tr, found
    n = cn_number(m.group(1)) if m.group(1) else int(m.group(2))
    try:
        day = dt.date.fromisocalendar(first.year, n or 0, 1)
    except ValueError:
        return tr, found
    monday = first.replace(year=day.year, month=day.month, day=day.day)  # date or datetime
    start, end = max(monday, first), min(monday + dt.timedelta(days=7), last)
    if start >= end:
        return tr, found
    label = f"{found.text} {m.group(0).strip()}"
    return TimeRange(start, end, label), Found(label, found.start, m.end())


# the days of a period counted right after it, no bracket: "国庆 7天" (the golden week's seven
# days), "上周7天"
_DAYS_AFTER = re.compile(
    rf"\s*(?:的|这|那)?\s*({_CN_NUM})\s*(?:天|日)(?!\s*(?:前|后|内|以|之|里|中))"
)


def _days_counted(
    text: str, tr: TimeRange, found: Found, festivals: tuple[Festival, ...] | None
) -> tuple[TimeRange, Found]:
    """The span grown over a count of days right after it that is the period's own length
    ("国庆 7天一共多少单": the seven days of the golden week), or the days of a festival's public
    holiday (`holiday:` in festivals.yaml: "元旦 三天" = 1–3 January); a count of other days is
    left unplaced (refused)."""
    m = _DAYS_AFTER.match(text, found.end)
    if m is None or tr.start is None or tr.end is None:
        return tr, found
    n = cn_number(m.group(1))
    if not n:
        return tr, found
    if (tr.end - tr.start) != dt.timedelta(days=n):
        holiday = _holiday(tr, n, festivals)
        if holiday is None:
            return tr, found
        tr = holiday
    return tr, Found(text[found.start : m.end()].strip(), found.start, m.end())


def _holiday(tr: TimeRange, n: int, festivals: tuple[Festival, ...] | None) -> TimeRange | None:
    """The n days of the public holiday of the festival `tr` is (its day, from the anchor), when
    the catalog gives it a holiday of n days; else None."""
    from shopql.nlq.periods import default_festivals

    assert tr.start is not None
    days = dt.timedelta(days=n)
    for f in festivals or default_festivals():
        if f.holiday != n or not tr.label.startswith(f"{f.name} "):
            continue
        window = f.window(tr.start.year)
        if window is None or window[0] != tr.start.date():
            continue
        before = tr.year_before and (tr.year_before[0], tr.year_before[0] + days)
        return TimeRange(tr.start, tr.start + days, f"{tr.label}, {n} days", before or None)
    return None


# a period said again in brackets right after it: "最近一个月(30天)", "last month (november)"
_RESTATED = re.compile(r"\s*[(（]\s*([^()（）]{1,30}?)\s*[)）]")


def _restated(
    text: str, tr: TimeRange, found: Found, today: dt.date, festivals: tuple[Festival, ...] | None
) -> tuple[TimeRange, Found]:
    """The span grown over a bracket right after it that names the same days ("最近一个月(30天)":
    近30天 is those days too). A bracket that counts the days of a running period said loosely
    ("最近一个月(30天)" asked on the 1st, when 最近一个月 is the last whole month) says which days
    are meant: its own range, when the two differ by a few days at most. A bracket naming other
    days is left unplaced (refused)."""
    m = _RESTATED.match(text, found.end)
    if m is None:
        return _part_in_brackets(text, tr, found, today, festivals)
    inner = _two_days_joined(_ordinals_as_numbers(m.group(1).strip()))
    grown = Found(text[found.start : m.end()].strip(), found.start, m.end())
    # a day said without its year is of the period's year ("2017年母亲节 (5月14日)")
    year = [f"{tr.start.year}年{inner}", f"{inner} {tr.start.year}"] if tr.start is not None else []
    # days said without their month are of the period's month ("10月头一周 (1号到7号)")
    month = [f"{tr.start.month}月{inner}"] if tr.start is not None else []
    if tr.start is not None and inner.isascii():  # "the last week of July (25th to 31st)"
        name = tr.start.strftime("%B").lower()
        month += [f"{name} {inner} {tr.start.year}", f"{inner} {name} {tr.start.year}"]
    for said in (inner, f"近{inner}", f"last {inner}", *year, *month):
        other, span = _find_time(said, today, festivals)
        if other is None or span is None or span.start != 0 or span.end < len(said):
            continue  # not a period, or more than one said in the bracket
        if (other.start, other.end) == (tr.start, tr.end):
            return tr, grown
        running = _RUNNING.match(found.text) is not None  # 最近一个月, not 上个月 (November)
        if running and _DAY_COUNT.fullmatch(inner) and _about_as_long(tr, other):
            return TimeRange(other.start, other.end, f"{tr.label} ({inner})"), grown
    return tr, found


# a part of the period said loosely before days in brackets ("去年12月最后那几天（20号到23号）",
# "上个月头几天 (1号到5号)"): its first or last days
_VAGUE_PART = re.compile(
    r"\s*(?:的)?\s*(最后|月底|月末|年底|年末|末尾|头|开头|月初|年初|刚开始)\s*(?:的)?\s*(?:那|这)?\s*"
    r"(?:几|一|两|个)?\s*(?:几)?\s*(?:天|日)(?=\s*[(（])"
)


def _part_in_brackets(
    text: str, tr: TimeRange, found: Found, today: dt.date, festivals: tuple[Festival, ...] | None
) -> tuple[TimeRange, Found]:
    """ "去年12月最后那几天（20号到23号）": the days in the brackets, when they lie in the period's
    late half (最后, 月底 …) or start it (头, 月初 …); other days are left unplaced (refused)."""
    part = _VAGUE_PART.match(text, found.end)
    if part is None or tr.start is None or tr.end is None:
        return tr, found
    m = _RESTATED.match(text, part.end())
    if m is None:
        return tr, found
    inner = _two_days_joined(m.group(1).strip())
    year = f"{tr.start.year}年"
    for said in (f"{year}{tr.start.month}月{inner}", f"{year}{inner}"):
        other, span = _find_time(said, today, festivals)
        if other is None or span is None or span.start > len(year) or span.end < len(said):
            continue  # the bracket's days, whole (the year said before them may stay outside)
        if other.start is None or other.end is None:
            continue
        if not (tr.start <= other.start and other.end <= tr.end):
            continue
        late = part.group(1) not in ("头", "开头", "月初", "年初", "刚开始")
        middle = tr.start + (tr.end - tr.start) / 2
        if (late and other.start < middle) or (not late and other.start != tr.start):
            continue
        label = text[found.start : m.end()].strip()
        return TimeRange(other.start, other.end, label), Found(label, found.start, m.end())
    return tr, found


# an ordinal said in words inside the bracket ("(1st to 7th)" read as "(first to 7th)")
_ORDINAL_WORDS = {"first": "1st", "second": "2nd", "third": "3rd"}
# two days listed one after the other ("（28号 29号）", "(28 and 29)")
_TWO_DAYS = re.compile(
    r"(\d{1,2})\s*(号|日)?\s*(?:、|,|，|和|及|\s|\band\b)\s*(\d{1,2})\s*(号|日)?"
)


def _ordinals_as_numbers(inner: str) -> str:
    return re.sub(
        r"\b(first|second|third)\b(?=\s*(?:to|-|–|through|thru|and)\s*\d)",
        lambda m: _ORDINAL_WORDS[m.group(1).lower()],
        inner,
        flags=re.IGNORECASE,
    )


def _two_days_joined(inner: str) -> str:
    """Two days one after the other listed in the bracket ("28号 29号") as the range of the two
    ("28号到29号"); two days apart are no range (left as said: unplaced)."""
    m = _TWO_DAYS.fullmatch(inner)
    if m is None or int(m.group(3)) != int(m.group(1)) + 1:
        return inner
    unit = m.group(2) or m.group(4) or "号"
    return f"{m.group(1)}{unit}到{m.group(3)}{unit}"


_RUNNING = re.compile(
    r"\s*(?:近|最近|过去|\b(?:the\s+)?past\b)"
)  # not "last month": a calendar one
_DAY_COUNT = re.compile(rf"(?:近|最近|过去)?\s*(?:{_CN_NUM})\s*(?:天|日)|\d+\s*days?")


def _about_as_long(a: TimeRange, b: TimeRange) -> bool:
    """Two ranges within three days of each other in length and in where they end."""
    if None in (a.start, a.end, b.start, b.end):
        return False
    assert a.start and a.end and b.start and b.end
    long = abs((a.end - a.start) - (b.end - b.start)) <= dt.timedelta(days=3)
    return long and abs(a.end - b.end) <= dt.timedelta(days=3)


def _find_time(
    text: str, today: dt.date, festivals: tuple[Festival, ...] | None
) -> tuple[TimeRange | None, Found | None]:
    from shopql.nlq.periods import find_month, find_period

    festival = find_period(text, today, festivals)
    festival = festival or find_month(text, today, relative=True)
    if festival:
        tr, span = week_of_month(text, *festival)
        return tr, _week_restated(text, tr, span)
    for pattern, template in _PATTERNS:
        for m in pattern.finditer(text):
            resolved = _resolve(m, template, today)
            if _WEEK_OF_A_MONTH.match(text, m.end()) and m.group(0).rstrip().endswith("week"):
                continue  # "the last week of nov": that month's last seven days (below)
            if resolved is not None and _first_days_of(text, m, today, festivals):
                continue  # "上个月前10天": the first days of the period said before, not 近10天
            if resolved is not None:
                span = Found(m.group(0).strip(), m.start(), m.end())
                label = m.group(0).strip()
                tr, span = week_of_month(text, TimeRange(resolved.start, resolved.end, label), span)
                span = _week_restated(text, tr, span)
                return tr, span
    month = find_month(text, today)  # a month without a year: the most recent one
    if month:
        return week_of_month(text, *month)
    return None, None


# the first / last N days (weeks) of a period said beside it: "上个月前10天", "2018年头两周",
# "本月最后5天", "the first 10 days of last month", "the last 3 days of november"
_PART_ZH = re.compile(
    rf"\s*的?\s*(前|头|最后|末)\s*({_CN_NUM})\s*(?:个)?(天|日|周|星期|礼拜|月)(?!\s*(?:以来|内|份))"
)
_PART_EN = re.compile(
    rf"\b(?:in\s+|during\s+|over\s+)?(?:the\s+)?(first|last|final)\s+(\d+|{_EN_NUM})\s+(days?|weeks?)"
    r"\s+(?:of|in)\s+(?:the\s+)?$"
)


# a half or a third of a whole month said beside it: "上个月前半个月", "11月上半月", "2011年11月下旬",
# "上月中旬", "the first half of last month", "second half of november 2011" (halves: days 1-15 and
# 16 to the end; thirds, 旬: 1-10, 11-20, 21 to the end). The month's own span may hold the "of"
# ("second half of september": the month without a year is found as "of september").
_MONTH_PART_ZH = re.compile(r"\s*的?\s*(?:(前|上|后|下)半(?:个)?月|(上|中|下)旬)(?![份度])")
_MONTH_PART_EN = re.compile(
    r"\b(?:in\s+|during\s+|over\s+)?(?:the\s+)?(first|1st|second|2nd|latter|last)\s+half\s+"
    r"(?:(?:of|in)\s+(?:the\s+month\s+of\s+)?)?$"
)
_MONTH_PARTS = {
    "前": (1, 16, "first half"), "上": (1, 16, "first half"), "first": (1, 16, "first half"),
    "1st": (1, 16, "first half"), "后": (16, 0, "second half"), "下": (16, 0, "second half"),
    "second": (16, 0, "second half"), "2nd": (16, 0, "second half"),
    "latter": (16, 0, "second half"), "last": (16, 0, "second half"),
    "上旬": (1, 11, "days 1-10"), "中旬": (11, 21, "days 11-20"), "下旬": (21, 0, "days 21-end"),
}  # fmt: skip


def _month_part(text: str, tr: TimeRange, found: Found) -> tuple[TimeRange, Found] | None:
    """`tr` (one whole calendar month) narrowed to the half or third of it said beside it."""
    from shopql.catalog.timephrase import add_months

    assert tr.start is not None and tr.end is not None
    start, end = tr.start, tr.end
    whole = start.day == 1 and start.time() == dt.time() and end.time() == dt.time()
    if not whole or add_months(start.date(), 1) != end.date():
        return None
    zh = _MONTH_PART_ZH.match(text, found.end)
    en = None if zh else _MONTH_PART_EN.search(text[: found.start])
    if zh is not None:
        key = f"{zh.group(2)}旬" if zh.group(2) else zh.group(1)
        span = Found(text[found.start : zh.end()].strip(), found.start, zh.end())
    elif en is not None:
        key = en.group(1)
        span = Found(text[en.start() : found.end].strip(), en.start(), found.end)
    else:
        return None
    first, after, side = _MONTH_PARTS[key]
    lo = start.replace(day=first)
    hi = start.replace(day=after) if after else end
    return TimeRange(lo, hi, f"{tr.label}, {side}"), span


# "7月21号到月底", "7月21日至月末": from the day named to its month's last day (included)
_TO_MONTH_END = re.compile(r"\s*(?:到|至|~|-)\s*(?:这个|本|当|该)?(?:月底|月末)(?:为止)?")


# one day's week said after it (C, session 45): "今年5月30号那一周（周一到周日）", "5月30号银行假日那个
# 星期", "6月8号所在的那一周": the calendar week (Monday to Sunday) holding the day; not a day of
# that week (那个星期一, 那周三: left as said)
_WEEK_OF_DAY = re.compile(
    r"\s*(?:的)?\s*(?:银行假日|bank\s+holiday)?\s*(?:的)?\s*(?:那|这)\s*(?:一|个)?\s*(?:周|星期|礼拜)"
    r"(?:\s*[(（]\s*(?:周一|星期一|礼拜一)\s*(?:到|至|-|~|–)\s*(?:周日|周天|星期日|星期天|礼拜天|礼拜日)\s*[)）])?"
    r"(?!\s*[一二三四五六日天几1-7末])"
)


def _week_of_day(text: str, tr: TimeRange, found: Found) -> tuple[TimeRange, Found] | None:
    """`tr` (one day) widened to its Monday-to-Sunday week said right after it."""
    assert tr.start is not None and tr.end is not None
    if (tr.end - tr.start) != dt.timedelta(days=1) or tr.start.time() != dt.time():
        return None
    m = _WEEK_OF_DAY.match(text, found.end)
    if m is None:
        return None
    monday = tr.start - dt.timedelta(days=tr.start.weekday())
    span = Found(text[found.start : m.end()].strip(), found.start, m.end())
    label = f"{tr.label}, its week (Mon {monday:%m-%d} → Sun {monday + dt.timedelta(days=6):%m-%d})"
    return TimeRange(monday, monday + dt.timedelta(days=7), label), span


def _to_month_end(text: str, tr: TimeRange, found: Found) -> tuple[TimeRange, Found] | None:
    """`tr` (one day) stretched to the end of its month said right after it."""
    assert tr.start is not None and tr.end is not None
    if (tr.end - tr.start) != dt.timedelta(days=1) or tr.start.time() != dt.time():
        return None
    m = _TO_MONTH_END.match(text, found.end)
    if m is None:
        return None
    end = dt.datetime.combine(add_months(tr.start.date().replace(day=1), 1), dt.time())
    span = Found(text[found.start : m.end()].strip(), found.start, m.end())
    return TimeRange(tr.start, end, f"{tr.label} to the month's end"), span


def _part_days(said: str, unit: str) -> int | None:
    n = cn_number(said) if said not in _WORD_NUMBERS else _WORD_NUMBERS[said]
    if not n:
        return None
    return n * (7 if unit.startswith(("周", "星期", "礼拜", "week")) else 1)


def _first_days_of(
    text: str, m: re.Match[str], today: dt.date, festivals: tuple[Festival, ...] | None
) -> bool:
    """`m` (a rolling "前10天" or "last 10 days") is the part of a period said right beside it."""
    said = m.group(0)
    if said.lstrip().startswith("前"):
        before = text[: m.start()].rstrip()
        before = before[:-1].rstrip() if before.endswith("的") else before
        if not before:
            return False
        tr, found = _find_time(before, today, festivals)
        return found is not None and found.end >= len(before.rstrip())
    if re.match(r"\s*(?:in\s+|during\s+|over\s+)?(?:the\s+)?last\b", said):
        after = re.match(r"\s+(?:of|in)\s+(?:the\s+)?", text[m.end() :])
        if after is None:
            return False
        rest = text[m.end() + after.end() :]
        tr, found = _find_time(rest, today, festivals)
        return found is not None and found.start == 0
    return False


def _part_of(
    text: str, tr: TimeRange, found: Found, today: dt.date, festivals: tuple[Festival, ...] | None
) -> tuple[TimeRange, Found]:
    """`tr` narrowed to its first / last N days said beside it (the span grown over them); left
    as it is when none is said or N days are not shorter than the period."""
    if tr.start is None or tr.end is None:
        return tr, found
    to_end = _to_month_end(text, tr, found)
    if to_end is not None:
        return to_end
    week = _week_of_day(text, tr, found)
    if week is not None:
        return week
    part = _month_part(text, tr, found)
    if part is not None:
        return part
    zh = _PART_ZH.match(text, found.end)
    en = None if zh else _PART_EN.search(text[: found.start])
    if zh is None and en is None and re.match(r"(?:of|in)\s", found.text):
        # "the first 10 days of november": the month's own span holds the "of"
        en = _PART_EN.search(text[: found.start] + found.text[:3])
    m = zh or en
    if m is None:
        return tr, found
    first = m.group(1) in ("前", "头", "first")
    if m.group(3) == "月":  # "今年头两个月", "2017年最后两个月": whole calendar months
        months = cn_number(m.group(2)) or 0
        whole = tr.start.day == 1 and (first or tr.end.day == 1) and months > 0
        start, end = (
            (tr.start, _months_on(tr.start, months))
            if first
            else (_months_on(tr.end, -months), tr.end)
        )
        if not whole or end - start >= tr.end - tr.start:
            return tr, found
        days, unit = months, "months"
    else:
        days, unit = _part_days(m.group(2), m.group(3)) or 0, "days"
        if not days or tr.start + dt.timedelta(days=days) >= tr.end:
            return tr, found
        if first:
            start, end = tr.start, tr.start + dt.timedelta(days=days)
        else:
            start, end = tr.end - dt.timedelta(days=days), tr.end
    if zh:
        span = Found(text[found.start : zh.end()].strip(), found.start, zh.end())
    else:
        span = Found(text[m.start() : found.end].strip(), m.start(), found.end)
    side = "first" if first else "last"
    label = f"{tr.label}, {side} {days} {unit}"
    return TimeRange(start, end, label), span


def _months_on(day: dt.datetime, months: int) -> dt.datetime:
    """The first of the month `months` calendar months after (before) `day`'s month."""
    k = day.year * 12 + day.month - 1 + months
    return day.replace(year=k // 12, month=k % 12 + 1, day=1)


# days of a month said beside it by their numbers: "上个月1号到7号", "本月的1-10号", "上个月15号",
# "the 1st to the 7th of last month", "from the 1st through the 10th of this month"
_DAYS_ZH = re.compile(
    r"\s*的?\s*(?:从\s*)?(\d{1,2})\s*(?:号|日)?\s*(?:-|~|到|至|–|—)\s*(\d{1,2})\s*(?:号|日)"
    r"(?:\s*(?:的)?\s*(?:这|那)\s*(?:一|几|段)?\s*(?:周|星期|礼拜|天|日子|时间))?"  # "这一周": those days
    r"|\s*的?\s*(\d{1,2})\s*(?:号|日)(?!\s*(?:-|~|到|至|–|—))"
)
# ... from a day to the month's end (C, session 45): "上个月16号到月底", "本月20号至月末"
_DAYS_TO_END_ZH = re.compile(
    r"\s*的?\s*(?:从\s*)?(\d{1,2})\s*(?:号|日)\s*(?:-|~|到|至)\s*(?:这个|本|当|该)?(?:月底|月末)(?:为止)?"
)
_ORDINAL_DAY = r"(?:(\d{1,2})(?:st|nd|rd|th)|(first))"
_DAYS_EN = re.compile(
    rf"\b(?:from\s+)?(?:the\s+)?{_ORDINAL_DAY}\s*(?:-|–|to|through|thru|until|till)\s*"
    rf"(?:the\s+)?{_ORDINAL_DAY}\s+(?:of|in)\s+(?:the\s+)?$"
)


def _days_of_month(text: str, tr: TimeRange, found: Found) -> tuple[TimeRange, Found]:
    """`tr`, a month (or the month so far), narrowed to the days said beside it by their
    numbers; left as it is when none is said or the days are not in that month."""
    if tr.start is None or tr.end is None or tr.start.day != 1:
        return tr, found
    month_end = (tr.start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if tr.end > month_end:
        return tr, found  # a quarter, a year: "Q3 1号到7号" says no month
    zh = _DAYS_ZH.match(text, found.end)
    to_end = None if zh else _DAYS_TO_END_ZH.match(text, found.end)
    en = None if zh or to_end else _DAYS_EN.search(text[: found.start])
    if to_end:
        first, last = to_end.group(1), str((month_end - tr.start).days)
        span = Found(text[found.start : to_end.end()].strip(), found.start, to_end.end())
    elif zh:
        first, last = (zh.group(1), zh.group(2)) if zh.group(1) else (zh.group(3), zh.group(3))
        span = Found(text[found.start : zh.end()].strip(), found.start, zh.end())
    elif en:
        first = en.group(1) or ("1" if en.group(2) else "")
        last = en.group(3) or ("1" if en.group(4) else "")
        span = Found(text[en.start() : found.end].strip(), en.start(), found.end)
    else:
        return tr, found
    a, b = int(first), int(last)
    start = tr.start + dt.timedelta(days=a - 1)
    end = tr.start + dt.timedelta(days=b)
    if not 1 <= a <= b or end > month_end or start >= tr.end:
        return tr, found
    days = f"day {a}" if a == b else f"days {a}-{b}"
    return TimeRange(start, min(end, tr.end), f"{tr.label}, {days}"), span


# a period something runs since, up to today: "元旦以来", "从上个月开始", "双11起", "since black
# friday" (today is still running: up to yesterday, as "到现在" / "so far" count)
_SINCE_BEFORE = re.compile(r"(?:\bever\s+)?\bsince\s+(?:the\s+)?$|(?:自从|自|从)\s*$")
_SINCE_AFTER = re.compile(r"\s*(?:以来|起(?!来)|开始(?!的?时候))")


# a month and every one after it, up to today (C, session 43): "今年7月以后的客户人数" — the month
# itself counted (7月以后 = from 1 July on), only a whole month said with 以后 / 往后 (之后 and a
# day's 以后 are left as they were)
_MONTH_ON_AFTER = re.compile(r"\s*(?:份)?\s*(?:以后|往后)(?!\s*(?:\d|[一二两三四五六七八九十几]))")


def _whole_month(tr: TimeRange) -> bool:
    start, end = tr.start, tr.end
    if start is None or end is None or start.day != 1 or start.time() != dt.time():
        return False
    return end == (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _since_said(text: str, tr: TimeRange, found: Found, today: dt.date) -> tuple[TimeRange, Found]:
    if tr.start is None or tr.start.date() >= today:
        return tr, found
    before = _SINCE_BEFORE.search(text[: found.start])
    after = _SINCE_AFTER.match(text, found.end)
    if after is None and _whole_month(tr):
        after = _MONTH_ON_AFTER.match(text, found.end)
    if before is None and after is None:
        return tr, found
    if before is not None and before.group(0).strip() in ("从", "自") and after is None:
        return tr, found  # "从X到Y", "从上个月的数据看": not "since" without 以来 / 起 / 开始
    start = before.start() if before is not None else found.start
    end = after.end() if after is not None else found.end
    said = text[start:end].strip()
    end_at = dt.datetime.combine(today, dt.time())
    return TimeRange(tr.start, end_at, said), Found(said, start, end)


# "the first week of sept", "10月第一周", "11月的最后一个星期": the Nth seven days of a month said
# right beside it (days 1-7, 8-14 …; the last: its last seven days), not an ISO week
_WEEK_BEFORE = re.compile(
    r"\b(?:the\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|last|final)\s+week\s+(?:(?:of|in)\s+)?"
    r"(?:the\s+)?(?:month\s+of\s+)?$"
)
_WEEK_AFTER = re.compile(
    r"^\s*(?:的)?(?:第\s*(一|1|二|2|三|3|四|4)\s*(?:个)?|头一个|最后\s*(?:那|这)?\s*(?:一个|一|个))\s*(?:周|星期|礼拜)(?!\s*末)"
    r"|^\s*(?:'s\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|last|final)\s+week\b"
)
# "last week (mon-sun)", "上周（周一到周日）": a Monday-to-Sunday week said again by its days
_MON_TO_SUN = re.compile(
    r"\s*[(（]?\s*(?:mon(?:day)?\s*(?:-|–|~|to|through|thru)\s*sun(?:day)?"
    r"|(?:周一|星期一|礼拜一)\s*(?:到|至|-|~|–)\s*(?:周日|周天|星期日|星期天|礼拜天|礼拜日))\s*[)）]?"
)


def _week_restated(text: str, tr: TimeRange, span: Found) -> Found:
    """The span grown over "(mon-sun)" said right after a week that runs Monday to Sunday."""
    if tr.start is None or tr.end is None or tr.start.weekday() != 0:
        return span
    if tr.end - tr.start != dt.timedelta(days=7):
        return span
    m = _MON_TO_SUN.match(text, span.end)
    if m is None:
        return span
    return Found(text[span.start : m.end()].strip(), span.start, m.end())


_WEEK_OF_A_MONTH = re.compile(
    r"\s+(?:of|in)\s+(?:the\s+)?(?:month\s+of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
)
_WEEK_NTH = {
    "first": 1, "1st": 1, "一": 1, "1": 1, "second": 2, "2nd": 2, "二": 2, "2": 2,
    "third": 3, "3rd": 3, "三": 3, "3": 3, "fourth": 4, "4th": 4, "四": 4, "4": 4,
}  # fmt: skip


# "上个月最后一个周末(两天)", "2017年第一个周末", "the last weekend of november": the period's last
# (first) Saturday and the Sunday after it (was: the last week's last two days, Sunday and Monday)
_WEEKEND_AFTER = re.compile(
    r"^\s*(?:的)?\s*(最后\s*(?:那|这)\s*(?:一)?\s*个|最后一个|最后|第一个|头一个)\s*(?:周末|礼拜末|星期末)"
    r"(?:\s*(?:那|这)?\s*(?:两天|2天))?"
)
_WEEKEND_BEFORE = re.compile(
    r"\b(?:the\s+)?(first|last|final)\s+weekend\s+(?:of|in)\s+(?:the\s+)?(?:month\s+of\s+)?$",
    re.IGNORECASE,
)


def _weekend_of(text: str, tr: TimeRange, found: Found) -> tuple[TimeRange, Found] | None:
    """The first or last weekend of the whole-day period `tr` said beside it, else None."""
    start, end = tr.start, tr.end
    if start is None or end is None or start.time() != dt.time() or end.time() != dt.time():
        return None
    if end - start < dt.timedelta(days=7):
        return None
    before = _WEEKEND_BEFORE.search(text[: found.start])
    after = None if before else _WEEKEND_AFTER.match(text[found.end :])
    if before is None and after is None:
        return None
    said = (before or after).group(1)  # type: ignore[union-attr]
    if said.lower() in ("first", "第一个", "头一个"):
        saturday = start + dt.timedelta(days=(5 - start.weekday()) % 7)
    else:
        last = end - dt.timedelta(days=1)
        saturday = last - dt.timedelta(days=(last.weekday() - 5) % 7)
    a = before.start() if before else found.start
    b = found.end + after.end() if after else found.end
    label = text[a:b].strip()
    return TimeRange(saturday, saturday + dt.timedelta(days=2), label), Found(label, a, b)


# "11月 第一 个 礼拜一 那天", "上个月最后一个周五": the Nth (or last) given weekday of the period
# said right after it — one day (session 38; 礼拜 is read as 星期 before); not 第一个星期 (a week)
_WEEKDAY_AFTER = re.compile(
    r"^\s*(?:的)?\s*(?:第\s*(一|1|二|2|三|3|四|4)\s*个|(头)\s*一\s*个|(最后)\s*一\s*个)"
    r"\s*(?:周|星期)\s*([一二三四五六日天1-7])(?:\s*(?:那天|那一天|当天|那日))?"
)
_WEEKDAY_NUMBER = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


def _weekday_of(text: str, tr: TimeRange, found: Found) -> tuple[TimeRange, Found] | None:
    """The Nth (or last) weekday said after the whole-day period `tr` (a month or longer): that
    one day, else None."""
    start, end = tr.start, tr.end
    if start is None or end is None or start.time() != dt.time() or end.time() != dt.time():
        return None
    if end - start < dt.timedelta(days=28):
        return None
    m = _WEEKDAY_AFTER.match(text[found.end :])
    if m is None:
        return None
    said = m.group(4)
    weekday = _WEEKDAY_NUMBER[said] if said in _WEEKDAY_NUMBER else int(said) - 1
    if m.group(3):  # the last one
        last = end - dt.timedelta(days=1)
        day = last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    else:
        nth = _WEEK_NTH[m.group(1)] if m.group(1) else 1
        day = start + dt.timedelta(days=(weekday - start.weekday()) % 7 + 7 * (nth - 1))
        if day >= end:
            return None
    b = found.end + m.end()
    label = text[found.start : b].strip()
    return TimeRange(day, day + dt.timedelta(days=1), label), Found(label, found.start, b)


def week_of_month(text: str, tr: TimeRange, found: Found) -> tuple[TimeRange, Found]:
    """`tr` narrowed to the week of the month said beside it, with the span grown over it; a
    range that is not one whole calendar month, or no week said, is left as it is."""
    start, end = tr.start, tr.end
    weekend = _weekend_of(text, tr, found)
    if weekend is not None:  # "上个月最后一个周末": its last Saturday and Sunday
        return weekend
    weekday = _weekday_of(text, tr, found)
    if weekday is not None:  # "11月第一个星期一": that one day
        return weekday
    if start is None or end is None or start.day != 1 or start.time() != dt.time():
        return tr, found
    nxt = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if end != nxt:
        return tr, found
    before = _WEEK_BEFORE.search(text[: found.start])
    after = None if before else _WEEK_AFTER.match(text[found.end :])
    if before is None and after is None:
        return tr, found
    m = before or after
    assert m is not None
    said = next((g for g in m.groups() if g), "") or m.group(0)
    nth = _WEEK_NTH.get(said.lower())
    if nth is None and not re.search(r"last|final|最后", said):
        nth = 1  # 头一个星期
    first = start + dt.timedelta(days=7 * (nth - 1)) if nth else end - dt.timedelta(days=7)
    a = before.start() if before else found.start
    b = found.end + after.end() if after else found.end
    label = text[a:b].strip()
    return TimeRange(first, first + dt.timedelta(days=7), label), Found(label, a, b)


# the quarters named are the rows: "2018年 Q1 Q2 Q3 哪一季最高", "… 每个季度", "which quarter"
_BY_QUARTER_AFTER = re.compile(
    r"[^，,。？?]{0,20}?(?:哪\s*(?:一|个)?\s*季|各\s*(?:个)?\s*季|每\s*(?:一|个)?\s*季|按\s*季|逐\s*季|分\s*季"
    r"|\bwhich quarter|\beach quarter|\bper quarter|\bby quarter|\bquarterly)"
)
_DAY_NUMBER = {
    **{d: i for i, d in enumerate("一二三四五六日", 1)},
    "天": 7,
    **{d: i for i, d in enumerate(_WEEKDAY_RE.split("|"), 1)},
}


def _resolve(m: re.Match[str], template: str, today: dt.date) -> TimeRange | None:
    groups = [""] + [(g or "").strip() for g in m.groups()]
    phrase = template.format(*groups)
    if phrase.startswith("quarters "):  # "2018年 Q1 Q2 Q3": one span when they follow each other
        year = groups[1]
        said = [
            int(n) if n.isdigit() else "一二三四".index(n) + 1
            for n in re.findall(r"q([1-4])|([一二三四1-4])\s*季度", groups[2].lower())
            for n in [n[0] or n[1]]
        ]
        if len(said) == 2 and re.search(r"到|至|~|-|—", groups[2]) and said[0] < said[1]:
            said = list(range(said[0], said[1] + 1))  # "Q1到Q3": the quarters from one to the other
        elif not _BY_QUARTER_AFTER.match(m.string, m.end()):
            return None  # "Q3和Q4的营业额": each quarter (two periods), not their sum
        if len(said) < 2 or said != list(range(said[0], said[0] + len(said))):
            return None
        phrase = f"{year}-{3 * said[0] - 2} to {year}-{3 * said[-1]}"
    if "&" in phrase:  # two days of one week side by side: one span when they follow each other
        first, second = _DAY_NUMBER.get(groups[2].lower()), _DAY_NUMBER.get(groups[3].lower())
        if first is None or second != first + 1:
            return None
        if phrase[0].isascii():
            phrase = phrase.replace("this ", "这周").replace("last ", "上周")
            for name, n in _DAY_NUMBER.items():
                if name.isascii():
                    phrase = phrase.replace(name, "一二三四五六日"[n - 1])
            phrase = phrase.replace(" ", "")
        phrase = phrase.replace("&", "到")
    # "17年10月 to 2018年3月": the century of a two-digit year, as 17年 alone is read
    phrase = _TWO_DIGIT_YEAR.sub(lambda y: str(_century(int(y.group(1)), today)), phrase)
    if phrase.startswith(("half ", "first ")):
        return _year_part(phrase, today)
    if phrase.startswith("month "):
        _, name, year = phrase.split()
        month = next(i for i, full in enumerate(_MONTHS, 1) if full.startswith(name[:3]))
        phrase = f"{year}-{month:02d}"
    if phrase.startswith("last "):
        words = phrase.split()
        if len(words) == 3 and words[1] in _WORD_NUMBERS:
            phrase = f"last {_WORD_NUMBERS[words[1]]} {words[2]}"
        phrase = " ".join(phrase.split())
    return parse_time_range(phrase, today)


def _century(yy: int, today: dt.date) -> int:
    """A two-digit year in full: in this century unless that is after next year."""
    year = today.year // 100 * 100 + yy
    return year if year <= today.year + 1 else year - 100


_RELATIVE_YEARS = {"今年": 0, "本年": 0, "去年": 1, "前年": 2}


def _year_part(phrase: str, today: dt.date) -> TimeRange | None:
    """ "half 上半年 2018", "half h2 2018", "first 3 months 2018", "first 三 季度 11": a part of a
    calendar year (a two-digit year is this century's; 今年 / 去年 count back from today)."""
    from shopql.catalog.timephrase import add_months

    words = phrase.split()
    said = words[-1]
    if said in _RELATIVE_YEARS:
        year = today.year - _RELATIVE_YEARS[said]
    else:
        year = int(said) + (2000 if len(said) == 2 else 0)
    if words[0] == "half":
        second = words[1] in ("下半年", "second", "h2")
        start = dt.date(year, 7 if second else 1, 1)
        months = 6
    else:
        months = _WORD_NUMBERS.get(words[1]) or cn_number(words[1]) or 0
        months *= 3 if words[2] in ("季度", "quarters") else 1
        start = dt.date(year, 1, 1)
    if not 0 < months <= 12:
        return None
    end = add_months(start, months)
    return TimeRange(
        dt.datetime.combine(start, dt.time()), dt.datetime.combine(end, dt.time()), phrase
    )


# an N counted in orders or invoices ("只看前5单", "前10笔", "前3张"): the first (or largest) N
# orders themselves, never a top N of the groups asked (was: "今年各州订单数只看前5单" the top 5
# states, the counter 单 read as the orders again) — left unread; not 单品 / 单价 (a product, a price)
_NOT_ORDERS_COUNTED = r"(?!\s*(?:单(?!品|价)|笔|张))"
# the superlatives of selling: "最畅销的5个SKU", "最滞销的3款" (the ranking's own words)
_SELLS_MOST = "最畅销|最热销|最好卖|最火|最滞销|最不好卖|最难卖"
_TOP_PATTERNS = [
    re.compile(rf"\bwhich\s+(\d+|{_EN_NUM})\b"),
    re.compile(
        rf"(?:最高|最多|最大|最好|最低|最少|最差|最长|最短|最贵|最便宜|最快|最慢|{_SELLS_MOST})的?\s*({_CN_NUM})\s*(?:个|名|家|位|款|种|大|(?=天|周))"
        + _NOT_ORDERS_COUNTED
    ),
    # any other superlative before its N (最赚钱的十个商品, 最 贵 的 三 个 品类, 退得最凶的五个单品):
    # the N, the superlative stays to be read (said spaced or not); not 最后 / 最近 (排最后的3个: the
    # bottom's own pattern, 最近的3个月)
    re.compile(
        rf"最(?!\s*(?:后|近|先|初|终))\s*(?:[^\s\d的，,。？?（()）一二两三四五六七八九十几]\s*){{1,3}}"
        rf"的\s*({_CN_NUM})\s*"
        r"(?:个|名|家|位|款|种)(?!\s*(?:月|星期|季度))" + _NOT_ORDERS_COUNTED
    ),
    re.compile(rf"\btop[\s-]*(\d+|{_EN_NUM})\b"),
    # "October's ten best-earning products", "the 5 lowest-earning countries", "10 best-selling
    # SKUs": the N alone, the ranking compound stays to be read whole (a verb of earning or selling)
    re.compile(
        rf"\b(\d+|{_EN_NUM})(?=\s+(?:best|top|highest|biggest|lowest|worst|least)[\s-]+"
        r"(?:earning|earners?|grossing|selling|sellers?)\b)"
    ),
    re.compile(
        rf"\b(\d+|{_EN_NUM})\s+(?:best|top|most|highest|largest|biggest|best-selling|leading)\b"
    ),
    re.compile(rf"\b(?:best|bottom|lowest|worst)(?:[\s-]*selling)?[\s-]*(\d+|{_EN_NUM})\b"),
    # "slowest 5 states for shipping", "fastest 3 sellers to ship": a speed said before the N
    # (the speed word stays to be read: its direction is the duration's; not "longest 3 months")
    re.compile(
        rf"\b(?:slowest|fastest|quickest|longest|shortest)[\s-]+(\d+|{_EN_NUM})\b"
        r"(?!\s*(?:%|percent|days?|weeks?|months?|years?|quarters?|hours?|growing|grew)\b)"
    ),
    re.compile(rf"\b(\d+|{_EN_NUM})(?=\s+(?:slowest|fastest|quickest|longest|shortest)\b)"),
    # "the 3 worst selling categories", "5 least-selling products": the N, the ranking words stay
    # to be read (worst selling: the bestsellers from the bottom)
    re.compile(
        rf"\b(\d+|{_EN_NUM})(?=\s+(?:worst|least|lowest|poorest|weakest|slowest)[\s-]+selling\b)"
    ),
    # "the 10 sellers with the most orders", "5 states that had the fewest": the N of the things
    # ranked (the superlative stays to be read: most / fewest)
    re.compile(
        rf"\b(\d+|{_EN_NUM})(?=\s+[a-z]+s\s+(?:with|that\s+had|that\s+have|who\s+had|having|"
        r"had|have)\s+(?:the\s+)?(?:most|fewest|least|highest|lowest|biggest|largest|smallest|"
        r"best|worst|slowest|fastest|quickest|longest|shortest)\b)"
    ),
    # "哪5个国家买得最多", "哪三个商品卖得最好": which N (the superlative stays to be read)
    re.compile(
        rf"哪\s*({_CN_NUM})(?![\d一二两三四五六七八九十百])\s*(?:个(?!月|星期|季度)|名|家|位|款|种)?"
    ),
    re.compile(
        rf"(?:前|top|排名前|排前|倒数|排最后|排在最后|排名最后|垫底)\s*的?\s*({_CN_NUM})(?![\d一二两三四五六七八九十百])\s*(?!个月|个星期|个季度|天|日|周|星期|月|季度|年)"
        r"(?:名|个|大|位|款|种|家|条)?"  # (the whole number: "前30天" is no top 3 of "0天")
        + _NOT_ORDERS_COUNTED
    ),
]


_SUPERLATIVE_FIRST = re.compile(r"最")
_SPEED_FIRST = re.compile(r"\b(?:slowest|fastest|quickest|longest|shortest)\b")
_GROWING = re.compile(r"(?:增长|增速|涨得|上涨|涨|增幅|growing|grew|growth)\s*$")
_BOTTOM = re.compile(
    r"bottom|lowest|worst|least|fewest|倒数|最低|最少|最差|最小|最短|最便宜|最快|排最后|排在最后|排名最后|垫底"
    r"|最滞销|最不好卖|最难卖|最不(?=\S)"
)
_WHICH_ONE = re.compile(
    r"\bwho\s+(?:had|has|have|got|gets|did|does|sold|sells|made|makes)\s+(?:more|fewer|less|higher|lower|bigger)\b(?!\s+than)|"
    r"哪个|哪一个|哪种|哪一种|哪家|哪一家|哪款|哪一款|哪位|哪一位|哪天|哪一天|哪周|哪一周|哪月|哪一月|"
    r"哪年|哪一年|哪一季度?|哪季度?|周几|星期几|几点|几号|几月份|谁|哪边|哪一边|\bwhich\s+[a-z]+[^s\s]\b|"
    # "which sells more, SP or RJ", "which has more revenue": a verb ending in s, not a plural
    r"\bwhich\s+(?:sells|has|does|gets|makes|earns|brings|generates|ships|delivers)\b|"
    # "what hour of the day do most orders come in": one time of the kind asked
    r"\bwhat\s+(?:hour|day|weekday|month|quarter|year)\b(?![-\s]*(?:over|on|to|by)\b)|"
    # "what product sold the most last month", "what country has the highest aov": one thing
    r"\bwhat\s+(?:product|item|country|category|customer|buyer|seller|shop|store|sku|city"
    r"|state|province|platform|channel|brand|market)\b(?!\s*(?:-|over|on|to|by)\b)"
)


_PERCENT_AFTER = re.compile(r"\s*(?:%|％|percent\b|per\s*cent\b|pct\b)")


def find_top_n(text: str) -> tuple[int | None, bool, str]:
    """The N of "top 10", "前十名", "5 best", "worst 3", whether it ranks from the bottom, and
    the text without the N."""
    for pattern in _TOP_PATTERNS:
        m = pattern.search(text)
        if m:
            token = m.group(1)
            n = _WORD_NUMBERS.get(token) or cn_number(token)
            if n and _PERCENT_AFTER.match(text, m.end(1)):
                return None, False, text  # "top 10% of customers" is no top 10: left unread
            if n:
                # "卖得最多的3个款": the superlative stays to be read ("卖得最多": bestsellers)
                # ("销量最高的三个月" ranks months: there the superlative goes with the N)
                keep = bool(_SUPERLATIVE_FIRST.match(m.group(0))) and text[
                    m.end() : m.end() + 1
                ] not in ("月天周年日")
                keep = keep or bool(_SPEED_FIRST.match(m.group(0)))  # "slowest 5": slowest stays
                start = m.start(1) if keep else m.start()
                # (a speed word's direction is its duration's: "slowest 5" is no "lowest 5")
                said = re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", m.group(0))  # 最 少
                bottom = bool(_BOTTOM.search(said)) and not _SPEED_FIRST.search(m.group(0))
                if bottom and _GROWING.search(text[: m.start()]):  # "增长最快的3个": the top
                    bottom = False
                return n, bottom, _style_kept(blank(text, start, m.end()), m)
    m = _SPLIT_TOP.search(text)  # "lowest AOV 3 countries": the metric between the two
    if m:
        n = _WORD_NUMBERS.get(m.group(2)) or int(m.group(2))
        bottom = bool(_BOTTOM.search(m.group(1)))
        return n, bottom, blank(blank(text, *m.span(1)), *m.span(2))
    return None, False, text


def _style_kept(text: str, m: re.Match[str]) -> str:
    """ "卖得最好的那个品类里 卖得最好的是哪一款": 款 after 哪N names what is ranked (a product, as
    哪款 does), not only a counter — kept as 哪款 where the N was, so a breakdown said beside it
    (the category) does not take its place."""
    if not m.group(0).startswith("哪") or not m.group(0).rstrip().endswith("款"):
        return text
    end = m.end() - (len(m.group(0)) - len(m.group(0).rstrip()))
    return text[: end - 2] + "哪款" + text[end:]


# "lowest AOV 3 countries", "highest revenue 5 products": a superlative, one or two words of the
# metric, then the N of the things ranked (a plural noun; a year is no N)
_SPLIT_TOP = re.compile(
    rf"\b(top|best|bottom|lowest|worst|highest|biggest|largest|smallest)\s+"
    rf"(?:[a-z][a-z'-]*\s+){{1,2}}?(\d{{1,2}}|{_EN_NUM})\s+(?=[a-z]+s\b)"
)


# "客单价最高的州", "sales of the top category": a superlative with no N before one thing (Chinese
# does not mark a plural; English does: "the top categories" stays a top-N).
_SUPERLATIVE_ONE = re.compile(
    # "卖了最多件的品类", "下了最多单的州": a measure word may stand between
    rf"(?:最高|最多|最大|最好|最低|最少|最差|最长|最短|最贵|最便宜|最快|最慢|{_SELLS_MOST})"
    r"(?:\s*(?:件|单|笔|条|次|位|人|套|只|双|盒|款))?"
    r"(?:\s*[(（][^()（）]{1,10}[)）]\s*)?"  # "卖得最多(件数)的商品": an aside on the measure
    r"\s*的\s*+(?![\d一二两三四五六七八九十几]|前)"  # "买家 最多 的 州": spaced, still one
    r"|\b(?:the\s+)?(?:top|best|worst|least busy|[a-z]+est)"
    r"(?:[\s-]+(?:selling|performing|rated|grossing))?\s+(?!people\b)([a-z]+)\b"
    # "product category with most orders": one thing (singular) with the most of something
    r"|\b([a-z]+)\s+(?:with|that\s+had|that\s+has|had|has)\s+(?:the\s+)?"
    r"(?:most|least|fewest|[a-z]+est)\b"
    # "the most expensive product's list price", "the least popular category": the superlative
    # said with most / least and an adjective, before one thing ("least sold category this
    # year": the same without "the"; "at least once", "at most" are no superlative)
    r"|\b(?:the\s+|(?<!\bat\s))(?:most|least)\s+(?![a-z]+s\b)[a-z]+\s+([a-z]+)\b"
)


def asks_for_one(text: str) -> bool:
    """ "哪个州…最多", "which state had the most", "客单价最高的州", "the top category": the
    answer is one row."""
    if _WHICH_ONE.search(text):
        return True
    m = _SUPERLATIVE_ONE.search(text)
    noun = (m.group(1) or m.group(2) or m.group(3) or "") if m is not None else ""
    return m is not None and not noun.endswith("s")


# "排第二的品类", "销量第三高的州", "卖得第二好", "倒数第二", "second best-selling category",
# "the 3rd highest", "ranked second": a place in a ranking other than the first. The ordinal is
# read as the ranking's superlative (第二高 → 最高, "second best" → "best") and its place kept
# apart: the question is then answered as "which … most", its row at that place shown (offline).
_ORDINAL_EN = {"second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5}
_ORDINAL_EN["5th"] = 5
_EN_ORD = "|".join(_ORDINAL_EN)
# "亚军品类", "季军", "the runner-up": the second (third) place said as a medal
_MEDALS = {"亚军": 2, "季军": 3, "runner-up": 2, "runner up": 2, "runnerup": 2}
_CN_ORD = r"[二两三四五2-5]"
_SUPERLATIVE_CN = "多|高|大|好|低|少|快|慢|长|短|贵|便宜|差|畅销"
_SUPERLATIVE_EN = (
    "best|highest|largest|biggest|most|top|lowest|worst|least|fewest|fastest|slowest|longest"
    "|shortest|busiest|cheapest|smallest|greatest"
)
# words after an ordinal that make it no place in a ranking: the second order, the second half
_NO_PLACE_EN = (
    "orders?|purchases?|invoices?|buys?|half|quarter|week|month|day|year|time|visit|"
    "payments?|reviews?|refunds?|shipments?|deliver(?:y|ies)"
)
_ORDINALS = [
    # "倒数第二(名)": the place from the bottom
    (re.compile(rf"倒数\s*第\s*({_CN_ORD})\s*(?:名|位)?"), "最低"),
    # "第二高", "卖得第二好", "第三大的州": the superlative said after the place
    (re.compile(rf"第\s*({_CN_ORD})\s*(?=(?:{_SUPERLATIVE_CN}))"), "最"),
    # "排第二的品类", "排名第三", "排在第二位"
    (re.compile(rf"(?:排名|排行|排)\s*(?:在)?\s*第\s*({_CN_ORD})\s*(?:名|位)?"), "最高"),
    # "付款金额排老三的州": 老二 / 老三 (the second / third child) said of a place, after 排
    (re.compile(r"(?:排名|排行|排)\s*(?:在)?\s*老\s*([二三四五])"), "最高"),
    # "销售额第二名", "销售额第二的品类"
    (re.compile(rf"第\s*({_CN_ORD})\s*(?:名|位|(?=的))"), "最高"),
    # "8月按销售额 亚军品类是谁", "季军"
    (re.compile(r"(亚军|季军)"), "最高"),
    # "which category was the runner-up by sales"
    (re.compile(r"\b(?:the\s+)?(runner[\s-]?up)\b"), "top"),
    # "second best-selling", "3rd highest", "the second-most orders"
    (re.compile(rf"\b({_EN_ORD})[\s-]+(?=(?:{_SUPERLATIVE_EN})\b)"), ""),
    # "ranked second", "came in third", "in second place", "the runner-up"
    (
        re.compile(
            rf"\b(?:(?:is|was|were|are)\s+)?(?:(?:ranked|ranks|ranking|came(?:\s+in)?|comes(?:\s+in)?)"
            rf"\s+({_EN_ORD})(?:\s+place)?|in\s+({_EN_ORD})\s+place)\b"
        ),
        "top",
    ),
    # "the second product by units", "which product was second by revenue": the place said of
    # the thing ranked, then the unit it is ranked by (not "the second order by …", "second half")
    (
        re.compile(
            rf"\b(?:(?:the|is|was|were|are)\s+)({_EN_ORD})\s+(?=(?:(?!(?:{_NO_PLACE_EN})\b)"
            rf"[a-z]+\s+)?by\s)"
        ),
        "top",
    ),
]


def read_ordinal(text: str) -> tuple[str, int | None, str | None]:
    """The place other than the first a question ranks ("排第二" → 2, "third highest" → 3), the
    text with the place read as the plain superlative, and the words said. "第二季度", "第二单",
    "second order", "second half" are no places in a ranking: left as they are."""
    for pattern, superlative in _ORDINALS:
        m = pattern.search(text)
        if m is None:
            continue
        token = next(g for g in m.groups() if g)
        n = _ORDINAL_EN.get(token.lower()) or _MEDALS.get(token.lower()) or cn_number(token)
        if not n or n < 2:
            continue
        said = m.group(0).strip(" -")
        sep = " " if superlative.isascii() and superlative else ""
        return text[: m.start()] + sep + superlative + sep + text[m.end() :], n, said
    return text, None, None


def festivals_read(ws: Any, text: str) -> tuple[Festival, ...]:
    """The workspace's festivals less those `text` names by product words (without_title_words
    at each time phrase found, as the question's own reading does): "既买过 CHRISTMAS 又买过
    HALLOWEEN 东西的人" names two kinds of goods, not two days of two years."""
    festivals = festivals_of(ws)
    rest = text
    for _ in range(6):
        tr, found, after = find_time(rest, ws.today, festivals)
        if tr is None or found is None:
            break
        fewer = without_title_words(ws, festivals, found.text, rest[found.end :])
        if fewer != festivals:
            festivals = fewer  # found again without it
            continue
        rest = after
    return festivals
