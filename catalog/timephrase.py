"""Time phrases in English and Chinese → a half-open TimeRange [start, end), relative to `today`.

Conventions (written down because tools disagree):
- calendar phrases ("this month", "本月", "2025-Q2", "去年") cover the whole calendar period, so
  "this month" and "last month" compare like for like;
- rolling phrases ("last 90 days", "近三个月", "past 2 weeks") are the N whole units before today
  (today is still running, as 生意参谋's 近7天): "last 7 days" on 2025-06-15 is 2025-06-08 ..
  2025-06-14, "last 3 months" 2025-03-15 .. 2025-06-14;
- weeks start on Monday (ISO), as on Chinese platforms' 周报;
- a single date is that day; "A to B" / "A..B" / "从A到B" includes both end dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from shopql.catalog.semantic import TimeRange

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_DIGITS.update({"七": 7, "八": 8, "九": 9})
_EN_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a": 1,
    "an": 1,
}
_UNITS = {
    "day": "day",
    "days": "day",
    "天": "day",
    "日": "day",
    "week": "week",
    "weeks": "week",
    "周": "week",
    "星期": "week",
    "个星期": "week",
    "month": "month",
    "months": "month",
    "月": "month",
    "个月": "month",
    "quarter": "quarter",
    "quarters": "quarter",
    "个季度": "quarter",
    "季度": "quarter",
    "year": "year",
    "years": "year",
    "年": "year",
}
_PERIODS = {
    # phrase -> (unit, offset): offset 0 = the current period, -1 = the previous one
    "today": ("day", 0),
    "今天": ("day", 0),
    "今日": ("day", 0),
    "yesterday": ("day", -1),
    "昨天": ("day", -1),
    "昨日": ("day", -1),
    "前天": ("day", -2),
    "大前天": ("day", -3),
    "the day before yesterday": ("day", -2),
    "this week": ("week", 0),
    "本周": ("week", 0),
    "这周": ("week", 0),
    "这个星期": ("week", 0),
    "这星期": ("week", 0),
    "本星期": ("week", 0),
    "last week": ("week", -1),
    "previous week": ("week", -1),
    "上周": ("week", -1),
    "上个星期": ("week", -1),
    "上一周": ("week", -1),
    "上一个星期": ("week", -1),
    "上星期": ("week", -1),  # 上礼拜 (spoken) reads 上星期: the week, not each weekday
    "this month": ("month", 0),
    "本月": ("month", 0),
    "这个月": ("month", 0),
    "当月": ("month", 0),
    "这月": ("month", 0),  # spoken: "这月卖了多少"
    "last month": ("month", -1),
    "previous month": ("month", -1),
    "上个月": ("month", -1),
    "上月": ("month", -1),
    # 上一个月 is 上个月, 上一季度 上季度 (session 33: "上一个月比上上个月 …" read 上上个月 against
    # the month before it, "上一季度 销售额" read as the first quarter, 一季度)
    "上一个月": ("month", -1),
    "上一月": ("month", -1),
    "this quarter": ("quarter", 0),
    "本季度": ("quarter", 0),
    "这个季度": ("quarter", 0),
    "这季度": ("quarter", 0),  # spoken: "这季度比上季度同期涨了多少"
    "last quarter": ("quarter", -1),
    "previous quarter": ("quarter", -1),
    "上季度": ("quarter", -1),
    "上个季度": ("quarter", -1),
    "上一季度": ("quarter", -1),
    "上一个季度": ("quarter", -1),
    "this year": ("year", 0),
    "今年": ("year", 0),
    "本年": ("year", 0),
    "last year": ("year", -1),
    "previous year": ("year", -1),
    "去年": ("year", -1),
    "前年": ("year", -2),
    # two back: "上上个月" is not "上个月" with a stray 上
    "上上个月": ("month", -2),
    "上上月": ("month", -2),
    "上上周": ("week", -2),
    "上上个星期": ("week", -2),
    "上上星期": ("week", -2),
    "上上季度": ("quarter", -2),
    "上上个季度": ("quarter", -2),
    "the month before last": ("month", -2),
    "the week before last": ("week", -2),
    "the quarter before last": ("quarter", -2),
    "the year before last": ("year", -2),
}
# a weekend: Saturday and Sunday of the week named (0 = this week, -1 = the previous one)
_WEEKENDS = {
    "this weekend": 0,
    "本周末": 0,
    "这周末": 0,
    "这个周末": 0,
    "last weekend": -1,
    "previous weekend": -1,
    "past weekend": -1,
    "上周末": -1,
    "上个周末": -1,
    "上个星期末": -1,
    "the weekend before last": -2,
    "上上周末": -2,
    "上上个周末": -2,
}
_TO_DATE = {
    "ytd": "year",
    "year to date": "year",
    "year-to-date": "year",
    "今年以来": "year",
    "年初至今": "year",
    "今年至今": "year",
    "今年到现在": "year",
    "年初到现在": "year",
    "本年至今": "year",
    "mtd": "month",
    "month to date": "month",
    "month-to-date": "month",
    "本月至今": "month",
    "qtd": "quarter",
    "quarter to date": "quarter",
    "quarter-to-date": "quarter",
}
_NUM = r"(\d+|[零〇一二两三四五六七八九十百]+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|an?)"
_ROLLING = [
    re.compile(rf"^(?:last|past|previous|the last|the past|in the last)\s+{_NUM}?\s*([a-z]+)$"),
    re.compile(
        rf"^(?:近|最近|过去|前)\s*{_NUM}?\s*(个月|个星期|个季度|天|日|周|星期|月|季度|年)(?:内|以来)?$"
    ),
]
_DATE = r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"


def cn_number(token: str) -> int | None:
    """'3' → 3, '三' → 3, '十二' → 12, '二十' → 20, 'three' → 3."""
    if token.isdigit():
        return int(token)
    if token in _EN_NUMBERS:
        return _EN_NUMBERS[token]
    if not token or any(c not in _CN_DIGITS and c not in "十百" for c in token):
        return None
    if "十" not in token:
        return _CN_DIGITS.get(token) if len(token) == 1 else None
    tens, _, ones = token.partition("十")
    return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first_next = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last_day = (first_next - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(day.day, last_day))


def period_start(day: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "quarter":
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    if unit == "year":
        return dt.date(day.year, 1, 1)
    return day


def shift(day: dt.date, unit: str, n: int) -> dt.date:
    if unit == "day":
        return day + dt.timedelta(days=n)
    if unit == "week":
        return day + dt.timedelta(weeks=n)
    return add_months(day, n * {"month": 1, "quarter": 3, "year": 12}[unit])


def _range(start: dt.date | None, end: dt.date | None, label: str) -> TimeRange:
    def at(d: dt.date | None) -> dt.datetime | None:
        return dt.datetime.combine(d, dt.time()) if d else None

    return TimeRange(at(start), at(end), label)


def _calendar(phrase: str, today: dt.date) -> TimeRange | None:
    if phrase in _PERIODS:
        unit, offset = _PERIODS[phrase]
        start = shift(period_start(today, unit), unit, offset)
        return _range(start, shift(start, unit, 1), phrase)
    if phrase in _WEEKENDS:  # "上周末", "last weekend": that week's Saturday and Sunday
        start = shift(period_start(today, "week"), "week", _WEEKENDS[phrase]) + dt.timedelta(days=5)
        return _range(start, start + dt.timedelta(days=2), phrase)
    if phrase in _TO_DATE:  # up to yesterday: today is still running
        return _range(period_start(today, _TO_DATE[phrase]), today, phrase)
    return None


_WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEK_OFFSET = {"上上": -2, "上": -1, "这": 0, "本": 0, "this": 0}


def _weekday(phrase: str, today: dt.date) -> TimeRange | None:
    """A day of a week: 上周五 / 上个星期五 / 这周一 / 上上礼拜三 (that day of the ISO week named),
    "friday last week" (the same), "this monday" (this week's), "last friday" (the most recent
    Friday before today)."""
    m = re.match(r"^(上上|上|这|本)个?(?:周|星期|礼拜)([一二三四五六日天1-7])$", phrase)
    if m:
        said = m.group(2)
        day = int(said) - 1 if said.isdigit() else _WEEKDAYS_ZH[said]
        week = shift(period_start(today, "week"), "week", _WEEK_OFFSET[m.group(1)])
        start = week + dt.timedelta(days=day)
        return _range(start, start + dt.timedelta(days=1), phrase)
    names = "|".join(_WEEKDAYS_EN)
    m = re.match(rf"^(?:(this|last)\s+({names})|({names})\s+(this|last)\s+week)$", phrase)
    if not m:
        return None
    which = m.group(1) or m.group(4)
    day = _WEEKDAYS_EN.index(m.group(2) or m.group(3))
    if which == "last" and m.group(1):  # "last friday": the most recent one before today
        start = today - dt.timedelta(days=(today.weekday() - day - 1) % 7 + 1)
    else:
        week = shift(period_start(today, "week"), "week", -1 if which == "last" else 0)
        start = week + dt.timedelta(days=day)
    return _range(start, start + dt.timedelta(days=1), phrase)


def _rolling(phrase: str, today: dt.date) -> TimeRange | None:
    for pattern in _ROLLING:
        m = pattern.match(phrase)
        if not m:
            continue
        n = cn_number(m.group(1)) if m.group(1) else 1
        unit = _UNITS.get(m.group(2))
        if n is None or unit is None or n <= 0:
            return None
        # the N whole units before today ("近7天" as 生意参谋 counts it): today is still running
        return _range(shift(today, unit, -n), today, phrase)
    return None


_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        (
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        )
    )
    for name in names.split()
}


def _quarter(phrase: str, today: dt.date) -> TimeRange | None:
    """2025-Q2, Q2 2025, q2 (this year), 2025年第二季度, 二季度; also halves: 上半年, 2025 H2."""
    m = re.match(r"^(?:(\d{4})\s*[-_ ]?\s*)?q([1-4])$", phrase) or re.match(
        r"^(?:(\d{4})年?)?\s*第?([一二三四1-4])季度$", phrase
    )
    if m:
        q = cn_number(m.group(2)) or 1
        # without a year: the most recent such quarter that has started (never a future one)
        year = int(m.group(1) or (today.year if 3 * q - 2 <= today.month else today.year - 1))
        start = dt.date(year, 3 * q - 2, 1)
        return _range(start, add_months(start, 3), phrase)
    m = re.match(r"^q([1-4])\s*[-_ ]?\s*(\d{4})$", phrase)
    if m:
        start = dt.date(int(m.group(2)), 3 * int(m.group(1)) - 2, 1)
        return _range(start, add_months(start, 3), phrase)
    m = re.match(r"^(?:(\d{4})\s*年?)?\s*(上半年|下半年)$", phrase) or re.match(
        r"^(?:(\d{4})\s*[-_ ]?\s*)?(h1|h2)$", phrase
    )
    if m:
        year, first = int(m.group(1) or today.year), m.group(2) in ("上半年", "h1")
        start = dt.date(year, 1 if first else 7, 1)
        return _range(start, add_months(start, 6), phrase)
    return None


def _month_name(phrase: str, today: dt.date) -> TimeRange | None:
    """march 2025, mar 2025, 2025 march, 6月 / 六月 (this year)."""
    m = re.match(r"^([a-z]+)\.?\s*,?\s*(\d{4})?$", phrase) or re.match(
        r"^(\d{4})?\s*([a-z]+)$", phrase
    )
    month = year = None
    if m:
        words = [g for g in m.groups() if g]
        month = next((_MONTHS[w] for w in words if w in _MONTHS), None)
        year = next((int(w) for w in words if w.isdigit()), None)
        if year is None and words == ["may"]:  # "may" alone is more often a verb than a month
            return None
        if year is None and month:  # the most recent such month that has started
            year = today.year if month <= today.month else today.year - 1
    else:
        m = re.match(r"^([0-9]{1,2}|[一二三四五六七八九十]+)月份?$", phrase)
        if m:
            month = cn_number(m.group(1))
            # without a year: the most recent such month that has started (never a future one)
            year = today.year if month and month <= today.month else today.year - 1
    if not month or not 1 <= month <= 12 or year is None:
        return None
    start = dt.date(year, month, 1)
    return _range(start, add_months(start, 1), phrase)


def _dates(phrase: str) -> TimeRange | None:
    m = re.match(rf"^{_DATE}$", phrase)
    if m:
        day = _date(m)
        return _range(day, day + dt.timedelta(days=1), phrase) if day else None
    m = re.match(r"^(\d{4})[-/.年](\d{1,2})月?$", phrase)
    if m and 1 <= int(m.group(2)) <= 12:
        start = dt.date(int(m.group(1)), int(m.group(2)), 1)
        return _range(start, add_months(start, 1), phrase)
    m = re.match(r"^(\d{4})年?$", phrase)
    if m and 1900 < int(m.group(1)) < 2200:
        year = int(m.group(1))
        return _range(dt.date(year, 1, 1), dt.date(year + 1, 1, 1), phrase)
    return None


def _date(m: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _between(phrase: str, today: dt.date) -> TimeRange | None:
    m = re.match(
        r"^(?:from\s+|between\s+|从)?(.+?)\s*(?:\.\.|to|until|and|至|到|~|—|–)\s*(.+)$", phrase
    )
    if not m or m.group(1) == phrase:
        return None
    first, second = parse_time_range(m.group(1), today), parse_time_range(m.group(2), today)
    if not first or not second or first.start is None or second.end is None:
        return None
    return TimeRange(first.start, second.end, phrase)


def _since(phrase: str, today: dt.date) -> TimeRange | None:
    m = re.match(r"^(?:since|from|after|自|从)\s*(.+?)(?:以来|起|开始)?$", phrase)
    if not m or m.group(1) == phrase:
        return None
    first = parse_time_range(m.group(1), today)
    if not first or first.start is None:
        return None
    return TimeRange(
        first.start, dt.datetime.combine(today + dt.timedelta(days=1), dt.time()), phrase
    )


_PARSERS: tuple[Callable[[str, dt.date], TimeRange | None], ...] = (
    _calendar,
    _weekday,
    _rolling,
    _quarter,
    _month_name,
    lambda p, _t: _dates(p),
    _between,
    _since,
)


def parse_time_range(text: str, today: dt.date | None = None) -> TimeRange | None:
    """A TimeRange for a date or phrase, or None when the text is not one."""
    today = today or dt.date.today()
    phrase = re.sub(r"\s+", " ", text.strip().lower()).strip(" ,.;，。")
    if not phrase:
        return None
    for parser in _PARSERS:
        found = parser(phrase, today)
        if found:
            return TimeRange(found.start, found.end, text.strip())
    return None


_WEEK_SAID = re.compile(r"周|星期|礼拜|\bweek\b|\bwtd\b", re.IGNORECASE)
_SAME_DAYS_SAID = re.compile(r"同期|同样的?天|\bsame (?:days|period)\b", re.IGNORECASE)
_HALF_SAID = re.compile(
    r"半年|\bh[12]\b|\b[12]h\b|\bhalf\b", re.IGNORECASE
)  # not 近半年 (no to date)


# a running range said in days ("近30天", "last 30 days"): the same number of days before, even
# when it happens to be one whole calendar month (30 days to 1 December: 2–31 October before it)
_DAYS_SAID = re.compile(
    r"(?:近|最近|过去|前)\s*\d+\s*(?:天|日)|\b(?:last|past|previous)\s+\d+\s+days?\b",
    re.IGNORECASE,
)


def previous_range(tr: TimeRange, kind: str = "previous_period") -> TimeRange:
    """The range to compare with: the same length just before (whole calendar months shift by
    months, so "this month" compares with the whole of last month), or the same range a year ago."""
    if tr.start is None or tr.end is None:
        raise ValueError("comparing needs a time range with a start and an end")
    if kind == "year_over_year" and tr.year_before is not None:  # black friday: its own day
        return TimeRange(*tr.year_before, f"before {tr.label}".strip())
    start, end = tr.start.date(), tr.end.date()
    to_date = tr.label.endswith("(to date)")  # nlq/periods.to_date: a running period, cut
    week = to_date and _WEEK_SAID.search(tr.label) and start.weekday() == 0
    if kind == "year_over_year":
        months = -12
    elif week and (end - start).days <= 7:
        # "这周 vs 上周同期" on a Thursday: Monday to Wednesday of last week (not the three days
        # just before this Monday)
        days = dt.timedelta(days=7)
        return _range(start - days, end - days, f"before {tr.label}".strip())
    elif to_date and start.day == 1 and end.day == 1 and end > start:
        # "这季度 vs 上季度同期" on 1 June: 1 April - 31 May is the quarter to date, compared with
        # 1 January - 28 February (not with the two whole months before it); a half said
        # ("今年下半年比上半年" on 1 September: July - August) is the half to date, compared with
        # January - February (not April - May, as if it were the third quarter to date)
        unit = _to_date_months(start, end - dt.timedelta(days=1))
        if unit and unit < 6 and start.month in (1, 7) and _HALF_SAID.search(tr.label):
            unit = 6
        half = unit == 6 and start.month == 7 and _HALF_SAID.search(tr.label)
        if half and not _SAME_DAYS_SAID.search(tr.label):
            # "今年下半年比上半年多卖了多少" on 1 December: July - November against the whole
            # first half (the sets' reading), unless the same days are asked (上半年同期)
            return _range(add_months(start, -6), start, f"before {tr.label}".strip())
        months = -(unit or _months(start, end))
    elif start.day == 1 and end.day == 1 and not _DAYS_SAID.search(tr.label):
        months = -((end.year - start.year) * 12 + end.month - start.month)
    elif start.day == 1 and _to_date_months(start, end):
        months = -_to_date_months(start, end)  # MTD / QTD / YTD: the same days a unit before
    else:
        length = end - start
        return _range(start - length, start, f"before {tr.label}".strip())
    return _range(add_months(start, months), add_months(end, months), f"before {tr.label}".strip())


def _months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _to_date_months(start: dt.date, end: dt.date) -> int:
    """The calendar unit (in months) a range starting on the 1st and ending inside a month is
    the to-date part of: 1 (month to date), 3 (quarter to date: starts a quarter, ends inside its
    third month at most), 6 (half-year to date: starts in January or July, ends inside its sixth
    month at most) or 12 (year to date: starts in January); 0 when it is none of them."""
    spanned = (end.year - start.year) * 12 + end.month - start.month + 1
    if spanned == 1:
        return 1
    if start.month % 3 == 1 and spanned <= 3:
        return 3
    if start.month in (1, 7) and spanned <= 6:
        return 6  # half-year to date: "今年下半年比上半年" on 1 December (not February-June)
    if start.month == 1 and spanned <= 12:
        return 12
    return 0
