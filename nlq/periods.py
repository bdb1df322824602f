"""Periods the question engines read beyond the catalog's time phrases, and what the data covers.

Found in a question (each resolved against a fixed `today`, so tests and `--today` agree):

- a month without a year ("November", "nov", "11月", "十一月份") is the most recent such month that
  has started on or before today — never a future month; a day without a year ("11月24日",
  "nov 24") likewise;
- half a year: 最近半年 / 近半年 / 过去半年 / "past half year" / "last half year" = the 6 months
  before today (today, still running, excluded — as every rolling period);
- halves and quarters with or without a (relative) year: 上半年, 下半年, H1, "second half of last
  year", 2017年上半年, 去年Q4, "last year's q4"; month ranges: "3月到5月", "18年1-8月", "from
  March to May 2018" (whole months; without a year the most recent such range);
- festivals (``Festival``), read from the catalog's ``festivals:`` list (catalog/default/
  festivals.yaml): words in any language and a window of days around an anchor (a date,
  Thanksgiving, 春节). With a year ("2024年货节", "black friday 2017") that year's, else the most
  recent one that has started. A festival word the workspace's titles use as a product word
  ("christmas" on Online Retail) is left to the product words (`without_title_words`).

What the data covers (`check_coverage`): a period entirely after the data's end, or before its
start, is empty — the engine refuses it (exit 5) with where the data ends instead of printing 0 or
a table of NULLs as if that were the answer. A period the data covers only in part (still running,
or the data ends or starts inside it) is answered with a note saying how many days of it have
data. A comparison whose earlier period has no data says so.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from shopql.catalog.semantic import TimeRange
from shopql.errors import ExitCode, ShopqlError
from shopql.nlq.linking import has_chinese

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

# Festivals of the lunar calendar (anchor "lunar-MM-DD": month and day of the Chinese calendar):
# their Gregorian day in each year from 2015 to 2030, in order (元宵 01-15, 端午 05-05, 七夕 07-07,
# 中秋 08-15). A year outside the table has no such festival (the question is refused).
_LUNAR_FIRST_YEAR = 2015
_LUNAR_DAYS = {
    "01-15": (
        "03-05 02-22 02-11 03-02 02-19 02-08 02-26 02-15 "
        "02-05 02-24 02-12 03-03 02-20 02-09 02-27 02-17"
    ),
    "05-05": (
        "06-20 06-09 05-30 06-18 06-07 06-25 06-14 06-03 "
        "06-22 06-10 05-31 06-19 06-09 05-28 06-16 06-05"
    ),
    "07-07": (
        "08-20 08-09 08-28 08-17 08-07 08-25 08-14 08-04 "
        "08-22 08-10 08-29 08-19 08-08 08-26 08-16 08-05"
    ),
    "08-15": (
        "09-27 09-15 10-04 09-24 09-13 10-01 09-21 09-10 "
        "09-29 09-17 10-06 09-25 09-15 10-03 09-22 09-12"
    ),
}


def lunar_day(month_day: str, year: int) -> dt.date | None:
    """The Gregorian day of lunar `month_day` ("08-15": 中秋) in `year`, when the table has it."""
    days = _LUNAR_DAYS.get(month_day, "").split()
    i = year - _LUNAR_FIRST_YEAR
    if not 0 <= i < len(days):
        return None
    month, day = days[i].split("-")
    return dt.date(year, int(month), int(day))


# The 24 solar terms (节气, anchor "solar-NAME": 立春, 夏至, 冬至 …): their day in China's
# calendar (UTC+8) from 2000 to 2099 by the "寿星" formula [Y·0.2422 + C] − [L/4] (Y: the year's
# last two digits; L = Y, or Y − 1 for the terms of January and February), with the years the
# formula misses by a day. Another century has no such day (the question is refused).
_SOLAR_TERMS = {
    "小寒": (1, 5.4055), "大寒": (1, 20.12), "立春": (2, 3.87), "雨水": (2, 18.73),
    "惊蛰": (3, 5.63), "春分": (3, 20.646), "清明": (4, 4.81), "谷雨": (4, 20.1),
    "立夏": (5, 5.52), "小满": (5, 21.04), "芒种": (6, 5.678), "夏至": (6, 21.37),
    "小暑": (7, 7.108), "大暑": (7, 22.83), "立秋": (8, 7.5), "处暑": (8, 23.13),
    "白露": (9, 7.646), "秋分": (9, 23.042), "寒露": (10, 8.318), "霜降": (10, 23.438),
    "立冬": (11, 7.438), "小雪": (11, 22.36), "大雪": (12, 7.18), "冬至": (12, 21.94),
}  # fmt: skip
_SOLAR_MISSES = {
    ("雨水", 2026): -1, ("小满", 2008): 1, ("小暑", 2016): 1, ("立秋", 2002): 1,
    ("冬至", 2021): -1, ("小寒", 2019): -1, ("大寒", 2082): 1, ("春分", 2084): 1,
    ("霜降", 2089): 1, ("立冬", 2089): 1,
}  # fmt: skip


def solar_term_day(name: str, year: int) -> dt.date | None:
    """The day of solar term `name` (夏至) in `year` (2000–2099), China's calendar."""
    term = _SOLAR_TERMS.get(name)
    if term is None or not 2000 <= year <= 2099:
        return None
    month, c = term
    y = year % 100
    leap = (y - 1) // 4 if month <= 2 else y // 4
    day = int(y * 0.2422 + c) - leap + _SOLAR_MISSES.get((name, year), 0)
    return dt.date(year, month, day)


@dataclass(frozen=True)
class Festival:
    """A festival or sales event of the catalog's `festivals:` list (catalog/default/
    festivals.yaml): the words naming it and its window [anchor + from, anchor + to) in days."""

    name: str
    words: tuple[str, ...]
    anchor: str  # "MM-DD", "thanksgiving", "spring_festival", "easter", "lunar-MM-DD", "MM-ddd-N",
    # "solar-NAME" (a solar term: solar-夏至)
    start: int = 0
    end: int = 1
    week: tuple[int, int] | None = None  # its week [from, to) around the anchor, when declared
    holiday: int | None = None  # the days of its public holiday from the anchor ("元旦 三天")

    def window(self, year: int) -> tuple[dt.date, dt.date] | None:
        anchor = _anchor_day(self.anchor, year)
        if anchor is None:
            return None
        return anchor + dt.timedelta(days=self.start), anchor + dt.timedelta(days=self.end)

    def week_of(self, year: int) -> tuple[dt.date, dt.date] | None:
        """ "双11那周", "black friday week": the catalog's `week: [from, to]` around the anchor,
        else the 7 days ending with the festival's last day (双11那周 = 11.5–11.11)."""
        anchor = _anchor_day(self.anchor, year)
        if anchor is None:
            return None
        if self.week is not None:
            return anchor + dt.timedelta(days=self.week[0]), anchor + dt.timedelta(
                days=self.week[1]
            )
        end = anchor + dt.timedelta(days=self.end)
        return end - dt.timedelta(days=7), end

    def pattern(self) -> str:
        return _spelled(self.words)


@functools.lru_cache(maxsize=1024)
def _spelled(words: tuple[str, ...]) -> str:
    """The regular expression of a festival's words (`Festival.pattern`), made once per list."""
    spelled = []
    for word in sorted(words, key=len, reverse=True):
        text = re.escape(word.lower()).replace(r"\ ", r"\s*").replace("'", "'?")
        # an English word ends where ASCII letters do: "2017年mother's day当天" is the day
        # ("\b" sees no edge between 年 and m, nor between y and 当)
        ascii_word = word[:1].isascii() and word[:1].isalpha()
        spelled.append(rf"(?<![a-z0-9]){text}(?![a-z0-9])" if ascii_word else text)
    return "|".join(spelled)


_WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _anchor_day(anchor: str, year: int) -> dt.date | None:
    if anchor == "thanksgiving":  # the fourth Thursday of November
        first = dt.date(year, 11, 1)
        return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)
    nth = re.fullmatch(r"(\d{1,2})-(mon|tue|wed|thu|fri|sat|sun)-([1-5])", anchor)
    if nth:  # "05-sun-2": the second Sunday of May (Mother's Day)
        try:
            first = dt.date(year, int(nth.group(1)), 1)
        except ValueError:
            return None
        weekday = _WEEKDAY_NAMES.index(nth.group(2))
        day = first + dt.timedelta(
            days=(weekday - first.weekday()) % 7 + 7 * (int(nth.group(3)) - 1)
        )
        return day if day.month == first.month else None
    if anchor == "spring_festival":
        return SPRING_FESTIVAL.get(year)
    if anchor == "easter":  # Western Easter Sunday (carnival ends 47 days before it)
        return easter_sunday(year)
    if anchor.startswith("lunar-"):  # "lunar-08-15": 中秋, from the table above
        return lunar_day(anchor[len("lunar-") :], year)
    if anchor.startswith("solar-"):  # "solar-夏至": a solar term, by the formula above
        return solar_term_day(anchor[len("solar-") :], year)
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})", anchor)
    try:
        return dt.date(year, int(m.group(1)), int(m.group(2))) if m else None
    except ValueError:
        return None


def _is_day(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday of the Gregorian calendar (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the computus's own letters)
    m = (a + 11 * h + 19 * l) // 433
    month = (h + l - 7 * m + 90) // 25
    day = (h + l - 7 * m + 33 * month + 19) % 32
    return dt.date(year, month, day)


def load_festivals(catalog_dir: Any = None) -> tuple[Festival, ...]:
    """The `festivals:` of the workspace's catalog YAML, else of the default pack (entries that
    are not well formed are skipped: `shopql catalog lint` is where a catalog is checked)."""
    from shopql.nlq.glossary import catalog_section

    found: list[Festival] = []
    for obj, _where in catalog_section(catalog_dir, "festivals", []):
        if not isinstance(obj, dict) or not obj.get("name") or not obj.get("words"):
            continue
        anchor = str(obj.get("anchor", ""))
        if _anchor_day(anchor, 2024) is None:
            continue
        words = tuple(str(w) for w in obj["words"] if str(w).strip())
        try:
            start, end = int(obj.get("from", 0)), int(obj.get("to", 1))
            said = obj.get("week")
            week = (
                (int(said[0]), int(said[1])) if isinstance(said, list) and len(said) == 2 else None
            )
            holiday = int(obj["holiday"]) if obj.get("holiday") else None
        except (TypeError, ValueError):
            continue
        if week is not None and week[1] <= week[0]:
            week = None
        if words and end > start:
            found.append(Festival(str(obj["name"]), words, anchor, start, end, week, holiday))
    return tuple(found)


_DEFAULT_FESTIVALS: list[tuple[Festival, ...]] = []


def default_festivals() -> tuple[Festival, ...]:
    if not _DEFAULT_FESTIVALS:
        _DEFAULT_FESTIVALS.append(load_festivals(None))
    return _DEFAULT_FESTIVALS[0]


def festivals_of(ws: Any) -> tuple[Festival, ...]:
    """The workspace's festivals, read once per workspace object."""
    cached = ws.__dict__.get("_t_festivals")
    if cached is None:
        catalog_dir = getattr(getattr(ws, "settings", None), "catalog_dir", None)
        cached = load_festivals(catalog_dir) if catalog_dir else default_festivals()
        ws.__dict__["_t_festivals"] = cached
    return cached


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
    """The year of the most recent `month` with a day before `today`: a month that only starts
    today has nothing to count yet ("12月卖了多少" asked on 1 December is last December, not the
    days after today)."""
    return (
        today.year
        if month < today.month or (month == today.month and today.day > 1)
        else today.year - 1
    )


_SAID_AROUND = re.compile(
    r"(?:那|当|这)一?个?(?:周|星期|礼拜)|(?:前|之前|以前|后|之后|以后)\s*的?\s*(?:\d{1,2}|[一二两三四五六七八九十]{1,2})"
    r"\s*个?(?:天|日|周|星期|礼拜)|\bweek\b|\b(?:days?|weeks?)\s+(?:before|after)\b"
    r"|(?:那|当|这)一?(?:天|日)"  # "万圣节那天卖了多少": the day itself, never a title word
)


def without_title_words(
    ws: Any, festivals: tuple[Festival, ...], said: str, after: str = ""
) -> tuple[Festival, ...]:
    """The festivals, less those `said` names whose words are product words in this workspace's
    titles (Online Retail: "christmas" is in 1,000 titles, "christmas sales" is their sales, not
    the sales of 25 December). Unchanged when none is."""
    keywords = getattr(ws, "fuzzy", None)
    if not keywords or len(keywords) < 2 or _SAID_AROUND.search(said):
        return festivals  # "圣诞前两周", "christmas week": days around it, never a product
    said = said.lower()
    named = [f for f in festivals if re.search(f.pattern(), said)]

    def whole(word: str) -> bool:  # the whole word, not a part ("black" of "black friday")
        return any(m.start == 0 and m.end == len(word) for m in keywords[1](word, word))

    def titled(f: Festival) -> bool:  # said by a title word ("halloween"), not "万圣节"
        return any(whole(m.group(0)) for m in re.finditer(f.pattern(), said))

    # "万圣节商品": its goods, never the day
    dropped = {f.name for f in named if titled(f) or _GOODS_AFTER.match(after)}
    return tuple(f for f in festivals if f.name not in dropped) if dropped else festivals


@functools.lru_cache(maxsize=1024)
def _said_around(words: str) -> re.Pattern[str]:
    """A festival's words (`Festival.pattern`) with the year, the words around them ("大促",
    "当天", "the week before") and a year after (`find_period`), compiled once."""
    return re.compile(
        rf"{_AROUND_EN}(?:(?P<y1>(?:19|20)\d{{2}})\s*年?\s*|(?P<y2>今年|去年|前年|this\s+year'?s?|last\s+year'?s?)\s*的?\s*)?"
        rf"(?:{words})"
        rf"(?:\s*(?:大促|当天|期间|活动|节|那天|那一天|当日)){{0,2}}{_AROUND_ZH}"
        rf"(?:\s*(?:of\s+|in\s+)?(?P<y3>(?:19|20)\d{{2}}(?!\d)|last year|this year))?"
    )


_GOODS_AFTER = re.compile(r"\s*的?\s*(?:商品|产品|用品|主题|系列|装饰|礼品|饰品|款)")


def find_period(
    text: str, today: dt.date, festivals: tuple[Festival, ...] | None = None
) -> tuple[TimeRange, Any] | None:
    """A festival with a declared window or half a year, found anywhere in `text`."""
    best: tuple[TimeRange, Any] | None = None
    festivals = default_festivals() if festivals is None else festivals
    between = _festival_to_festival(text, today, festivals)
    if between is not None:
        return between
    for festival in festivals:
        for m in _said_around(festival.pattern()).finditer(text):
            if _inside_number(text, m):  # "6180", "2618"
                continue
            year = _festival_year(m, festival.window, today)
            span = festival.window(year) if year else None
            if span is None or year is None:
                continue
            span, said = _around(span, m, festival.week_of(year))
            if span is None:
                continue
            if not said and _THE_DAY.search(m.group(0)) and span[1] - span[0] > dt.timedelta(1):
                day = _anchor_day(festival.anchor, year)  # "劳动节当天": the day, not the holiday
                if day is not None and span[0] <= day < span[1]:
                    span, said = (day, day + dt.timedelta(days=1)), " (the day)"
            found = _found(span[0], span[1], f"{festival.name} {year}{said}", m)
            found = _monday_week(text, found, festival, year) if said == " week" else found
            found = (
                _range_in_brackets(text, found, festival.name, year)
                or _range_around_in_brackets(text, found, festival, year)
                or _day_in_brackets(text, found, festival, year, said)
                or _with_year_before(found, festival, m, year)
            )
            if best is None or len(found[1].text) > len(best[1].text):  # christmas eve
                best = found
    if best is not None:
        return best
    part = _half_year(text, today) or _month_range(text, today) or _quarter_of(text, today)
    part = part or _day_range(text, today) or _one_before_last(text, today)
    part = part or _whole_units(text, today)
    if part is not None:
        return part
    half = re.search(
        r"(?:近|最近|过去|前)\s*半\s*年(?:内|以来)?|(?<!上|下)半年(?:内|以来)"
        r"|\b(?:in\s+|over\s+|during\s+)?(?:the\s+)?(?:last|past|previous)\s+half\s+(?:a\s+)?year\b",
        text,
    )
    if half:
        from shopql.catalog.timephrase import add_months

        return _found(add_months(today, -6), today, half.group(0).strip(), half)  # running
    return None


_THE_DAY = re.compile(r"当天|那天|那一天|当日")

# one festival to another: "from Christmas Day to New Year's Day last year", "between christmas
# and new year's day 2010", "去年圣诞节到元旦": from the first's first day to the second's last
# day, the second being the first one on or after the first's start; a year said is the first's
_YEAR_WORD = r"(?:(?:19|20)\d{2}(?!\d)|last\s+year|this\s+year|今年|去年|前年)"
_TO_FESTIVAL = re.compile(
    r"\s*(?:(?P<to>to|through|thru|until|till|-|–|~|到|至)|(?P<and>and))\s*(?:the\s+)?"
)
_FESTIVAL_YEAR_BEFORE = re.compile(
    rf"(?:(?P<y>{_YEAR_WORD})\s*(?:年|'s)?\s*的?\s*(?:(?:from|between)\s+)?(?:the\s+)?(?:从\s*)?)$"
)
_FESTIVAL_YEAR_AFTER = re.compile(rf"\s*(?:,|of|in)?\s*(?P<y>{_YEAR_WORD})")


_CHANGE_ASKED = re.compile(
    r"涨|降|增长|增加|减少|下滑|比|差|对比|\b(?:vs|versus|compared?|change|growth|grow|grew|difference|more|less)\b",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=16)
def _festival_patterns(
    festivals: tuple[Festival, ...],
) -> tuple[re.Pattern[str], list[tuple[Festival, re.Pattern[str]]]]:
    """Any festival's words, and each festival's, compiled once per list."""
    each = [(f, re.compile(rf"(?:{f.pattern()})")) for f in festivals]
    anyone = re.compile("|".join(f"(?:{f.pattern()})" for f in festivals) or "(?!)")
    return anyone, each


def _year_of(word: str, today: dt.date) -> int:
    if word[:1].isdigit():
        return int(word[:4])
    return today.year - (2 if "前年" in word else 1 if ("去年" in word or "last" in word) else 0)


def _festival_to_festival(
    text: str, today: dt.date, festivals: tuple[Festival, ...]
) -> tuple[TimeRange, Any] | None:
    if _CHANGE_ASKED.search(text):
        return None  # "双11到双12涨了多少": the two compared, not the days between them
    anyone, patterns = _festival_patterns(festivals)
    if len(anyone.findall(text)) < 2:
        return None  # one festival or none: nothing to span
    for first, p1 in patterns:
        for m1 in p1.finditer(text):
            link = _TO_FESTIVAL.match(text, m1.end())
            if link is None:
                continue
            if link.group("and") and not re.search(r"\bbetween\s+(?:the\s+)?$", text[: m1.start()]):
                continue  # "christmas and new year's day": two days, unless said between them
            hits: list[tuple[Festival, re.Match[str]]] = []
            for f, p in patterns:
                m = p.match(text, link.end()) if f is not first else None
                if m is not None:
                    hits.append((f, m))
            if not hits:
                continue
            second, m2 = max(hits, key=lambda h: h[1].end())
            start_at = m1.start()
            before = _FESTIVAL_YEAR_BEFORE.search(text[: m1.start()])
            after = _FESTIVAL_YEAR_AFTER.match(text, m2.end())
            end_at = m2.end()
            year: int | None = None
            if before is not None:
                year, start_at = _year_of(before.group("y"), today), before.start()
            elif after is not None:
                year, end_at = _year_of(after.group("y"), today), after.end()
            else:  # the most recent one that has started
                for y in (today.year, today.year - 1):
                    w = first.window(y)
                    if w is not None and w[0] <= today:
                        year = y
                        break
            span = first.window(year) if year else None
            if span is None or year is None:
                continue
            last = None
            for y in (year, year + 1):
                w = second.window(y)
                if w is not None and w[0] >= span[0]:
                    last = w
                    break
            if last is None or (last[1] - span[0]).days > 120:
                continue
            label = f"{first.name} {year} → {second.name} {last[0].year}"
            said = text[start_at:end_at]
            return TimeRange(_at(span[0]), _at(last[1]), label), Found(
                said.strip(), start_at, end_at
            )
    return None


def _with_year_before(
    found: tuple[TimeRange, Any], festival: Festival, m: re.Match[str], year: int
) -> tuple[TimeRange, Any]:
    """The festival's range, with the same days around the festival a year before it (black
    friday 2016 is 25 November, not the 24th: a year-over-year comparison reads these)."""
    from dataclasses import replace

    window = festival.window(year - 1)
    if window is None:
        return found
    span, _said = _around(window, m, festival.week_of(year - 1))
    if span is None:
        return found
    return replace(found[0], year_before=(_at(span[0]), _at(span[1]))), found[1]


# days around a festival's window: its week (the 7 days ending with its last day: 双11那周 =
# 11.5-11.11, "black friday week"), the N days / weeks before it (圣诞前一周, "the week before
# christmas") or after it (双11后三天); the window itself comes from the catalog (festivals.yaml)
_COUNT_WORD = r"\d{1,2}|[一二两三四五六七八九十]{1,2}"
_AROUND_ZH = (
    r"(?:\s*(?P<week>(?:的)?(?:那|当|这|那一|这一)(?:个)?(?:周|星期|礼拜)|\s*week\b)"
    # "复活节之前的7天": the count said after 的 too
    rf"|\s*(?:的)?(?P<side>前|之前|以前|后|之后|以后)\s*(?:的?\s*(?P<n>{_COUNT_WORD})|的?(?P<that>那|这)\s*(?P<n2>{_COUNT_WORD})?)\s*(?:个)?"
    r"(?P<unit>天|日|周|星期|礼拜|月))?"
)
_AROUND_EN = (
    r"(?:\b(?:the\s+)?(?:(?P<en_n>\d{1,2}|one|two|three)\s+)?(?P<en_unit>weeks?|days?|months?)\s+"
    r"(?P<en_side>before|after|of|leading\s+up\s+to)\s+(?:the\s+)?)?"
)
_EN_COUNT = {"one": 1, "two": 2, "three": 3}


def _around(
    span: tuple[dt.date, dt.date], m: re.Match[str], week: tuple[dt.date, dt.date] | None
) -> tuple[tuple[dt.date, dt.date] | None, str]:
    """The festival's own window, or the days around it its match names, and the label's tail."""
    from shopql.catalog.timephrase import cn_number

    g = m.groupdict()
    start, end = span
    if g.get("week") or g.get("en_side") == "of":
        if g.get("en_side") == "of" and (g.get("en_n") or "days" in (g.get("en_unit") or "")):
            return None, ""
        return week, " week"
    side, unit, said = g.get("side"), g.get("unit"), g.get("n")
    if side and g.get("that"):  # "圣诞前那一周", "双11后的那三天"
        said = g.get("n2") or "1"
    if g.get("en_side"):
        side = "前" if g["en_side"] != "after" else "后"
        unit = {"d": "天", "w": "周", "m": "月"}[g["en_unit"][0]]
        said = g.get("en_n") or "1"
    if not side or not unit or not said:
        return span, ""
    n = int(said) if said.isdigit() else _EN_COUNT.get(said) or cn_number(said)
    if not n or n > 60:
        return None, ""
    if unit == "月":  # "圣诞节前一个月": from the same day N months before, up to the day before
        from shopql.catalog.timephrase import add_months

        if n > 12:
            return None, ""
        if side in ("前", "之前", "以前"):
            return (add_months(start, -n), start), f", {n} month{'s' * (n > 1)} before"
        return (end, add_months(end, n)), f", {n} month{'s' * (n > 1)} after"
    days = n * (1 if unit in ("天", "日") else 7)
    if side in ("前", "之前", "以前"):
        return (start - dt.timedelta(days=days), start), f", {days} days before"
    return (end, end + dt.timedelta(days=days)), f", {days} days after"


# "11.5-11.11", "11.5~11.11": days written month.day, from the first to the last (inclusive);
# without a year, the most recent such range that has started
_MD_RANGE = re.compile(
    r"(?<![\d.])(1[0-2]|0?[1-9])\.([0-3]?\d)\s*(?:-|~|到|至|–|—)\s*"
    r"(?:(1[0-2]|0?[1-9])\.)?([0-3]?\d)(?![\d.%])(?!\s*(?:分|星|元|块|k\b|万|千|stars?\b))"
)


_MD_RANGE_ZH = re.compile(
    r"(?<![\d.])(1[0-2]|0?[1-9])\s*月\s*([0-3]?\d)\s*(?:日|号)?\s*(?:-|~|到|至|–|—)\s*"
    r"(?:(1[0-2]|0?[1-9])\s*月\s*)?([0-3]?\d)\s*(?:日|号)"
    # the days named again as a whole ("10月25号到31号这一周", "那几天"): the same days
    r"(?:\s*(?:的)?\s*(?:这|那)\s*(?:一|几|段)?\s*(?:周|星期|礼拜|天|日子|时间))?"
)


_BRACKET = re.compile(r"\s*[(（]([^()（）]{3,40})[)）]")


# "（周一到周日）", "(mon-sun)" said right after a festival's week
_MON_TO_SUN_AFTER = re.compile(
    r"\s*[(（]?\s*(?:mon(?:day)?\s*(?:-|–|~|to|through|thru)\s*sun(?:day)?"
    r"|(?:周一|星期一|礼拜一)\s*(?:到|至|-|~|–)\s*(?:周日|周天|星期日|星期天|礼拜天|礼拜日))\s*[)）]?",
    re.I,
)


def _monday_week(
    text: str, found: tuple[TimeRange, Any], festival: Festival, year: int
) -> tuple[TimeRange, Any]:
    """ "万圣节那一周（周一到周日）", "618 week (mon-sun)": the week said Monday to Sunday is the
    calendar week holding the festival's day — one period (not the 7 days ending with it), and
    its days said again are not a breakdown by day of week."""
    m = _MON_TO_SUN_AFTER.match(text, found[1].end)
    day = _anchor_day(festival.anchor, year)
    if m is None or day is None:
        return found
    monday = day - dt.timedelta(days=day.weekday())
    sunday = monday + dt.timedelta(days=6)
    label = f"{festival.name} {year} week (Mon {monday:%m-%d} → Sun {sunday:%m-%d})"
    said = text[found[1].start : m.end()]
    return TimeRange(_at(monday), _at(monday + dt.timedelta(days=7)), label), Found(
        said.strip(), found[1].start, m.end()
    )


def _range_in_brackets(
    text: str, found: tuple[TimeRange, Any], name: str, year: int
) -> tuple[TimeRange, Any] | None:
    """ "618大促期间(6月1号到18号)", "双11 (11.1-11.11)": days said in brackets right after a
    festival are its window as the asker runs it, in the festival's year; they win over the
    catalog's window."""
    bracket = _BRACKET.match(text, found[1].end)
    inner = bracket.group(1) if bracket else ""
    m = _MD_RANGE.fullmatch(inner.strip()) or _MD_RANGE_ZH.fullmatch(inner.strip())
    if bracket is None or m is None:
        return None
    days = _md_days(m, year)
    if days is None or days[1] < days[0]:
        return None
    start, last = days
    said = text[found[1].start : bracket.end()]
    label = f"{name} {year} ({start:%m-%d} → {last:%m-%d})"
    return TimeRange(_at(start), _at(last + dt.timedelta(days=1)), label), Found(
        said.strip(), found[1].start, bracket.end()
    )


# "万圣节前后一周（10月28号到11月3号）", "圣诞左右那几天 (12月20号到27号)": the days around a
# festival said vaguely, then exactly in brackets
_AROUND_VAGUE = re.compile(
    r"\s*(?:的)?\s*(?:前后|左右|附近)\s*(?:的)?\s*(?:这|那)?\s*"
    r"(?:(?:[一二两三四五六七八九十几\d]{1,2})\s*(?:个)?\s*(?:周|星期|礼拜|天|日))?\s*(?:的)?"
)


def _range_around_in_brackets(
    text: str, found: tuple[TimeRange, Any], festival: Festival, year: int
) -> tuple[TimeRange, Any] | None:
    """ "今年万圣节前后一周（10月28号 到 11月3号）": the days around a festival said vaguely
    (前后一周, 左右几天) and then exactly in brackets are the days in the brackets — only when
    they hold the festival's own day (other days in brackets are left unread)."""
    gap = _AROUND_VAGUE.match(text, found[1].end)
    if gap is None or not gap.group(0).strip():
        return None
    moved = (found[0], Found(found[1].text, found[1].start, gap.end()))
    ranged = _range_in_brackets(text, moved, festival.name, year)
    day = _anchor_day(festival.anchor, year)
    if ranged is None or day is None or ranged[0].start is None or ranged[0].end is None:
        return None
    if not ranged[0].start.date() <= day < ranged[0].end.date():
        return None
    return ranged


_ORD_DAY = r"(?:st|nd|rd|th)?"
# one day written day/month or month/day, or 10月12日 ("Dia das Crianças (12/10)")
_ONE_DAY = re.compile(
    r"(?P<a>[0-3]?\d)\s*[/.]\s*(?P<b>[0-3]?\d)|(?P<m>1[0-2]|0?[1-9])\s*月\s*(?P<d>[0-3]?\d)\s*(?:日|号)?"
    # ... or in English (session 38): "Valentine's Day (14 Feb)", "(Feb 14th)", "(14th of February)"
    rf"|(?P<ed>[0-3]?\d){_ORD_DAY}\s+(?:of\s+)?(?P<em>{_EN_MONTH})\.?"
    rf"|(?P<em2>{_EN_MONTH})\.?\s+(?P<ed2>[0-3]?\d){_ORD_DAY}",
    re.IGNORECASE,
)
_YEAR_AFTER_BRACKET = re.compile(r"\s*(?:of|in|de|em|,)?\s*((?:19|20)\d{2})(?!\d)\s*(?:年)?")


def _day_in_brackets(
    text: str, found: tuple[TimeRange, Any], festival: Festival, year: int, around: str
) -> tuple[TimeRange, Any] | None:
    """ "Dia das Crianças (12/10) de 2017": the festival's own day said again in brackets (day/month
    or month/day, as the asker writes dates) is no other period; a year said right after the
    brackets is the festival's year. Another day in the brackets is left unread."""
    bracket = _BRACKET.match(text, found[1].end) or re.compile(
        r"\s*[(（]([^()（）]{1,20})[)）]"
    ).match(text, found[1].end)
    if bracket is None or around:
        return None
    one = _ONE_DAY.fullmatch(bracket.group(1).strip())
    if one is None:
        return None
    after = _YEAR_AFTER_BRACKET.match(text, bracket.end())
    if after is not None:
        year = int(after.group(1))
    day = _anchor_day(festival.anchor, year)
    if day is None:
        return None
    if one.group("m"):
        said = {(int(one.group("m")), int(one.group("d")))}
    elif one.group("em") or one.group("em2"):
        month = _MONTHS_EN[(one.group("em") or one.group("em2")).lower()]
        said = {(month, int(one.group("ed") or one.group("ed2")))}
    else:
        a, b = int(one.group("a")), int(one.group("b"))
        said = {(a, b), (b, a)}  # 12/10 or 10/12: either way round
    if (day.month, day.day) not in said:
        # a solar term's day moves by a day with the clock it is reckoned by (夏至 2011: 21 June
        # in London, 22 June in Beijing): the day the asker says, a day either side, is the one
        near = [
            (month, d)
            for month, d in said
            if festival.anchor.startswith("solar-")
            and _is_day(year, month, d)
            and abs((dt.date(year, month, d) - day).days) == 1
        ]
        if len(near) != 1:
            return None
        day = dt.date(year, *near[0])
        end = after.end() if after is not None else bracket.end()
        return TimeRange(
            _at(day), _at(day + dt.timedelta(days=1)), f"{festival.name} {year}"
        ), Found(text[found[1].start : end].strip(), found[1].start, end)
    span = festival.window(year)
    if span is None:
        return None
    end = after.end() if after is not None else bracket.end()
    label = f"{festival.name} {year}"
    return TimeRange(_at(span[0]), _at(span[1]), label), Found(
        text[found[1].start : end].strip(), found[1].start, end
    )


# days of a month said in English: "from november 1 to november 15 2011", "nov 1-15",
# "from 1 to 15 november 2011", "1st-7th october" (a year said after it, else the most recent)
_ORD = r"(?:st|nd|rd|th)?"
_TO_EN = r"\s*(?:to|through|thru|until|till|-|–|(?(between)and|(?!)))\s*"  # and: after between
_YEAR_AFTER = r"(?:,?\s*((?:19|20)\d{2})\b)?"
_MD_RANGE_EN = re.compile(
    rf"\b(?:from\s+|(?P<between>between\s+))?({_EN_MONTH})\.?\s+(\d{{1,2}}){_ORD}{_TO_EN}"
    rf"(?:({_EN_MONTH})\.?\s+)?(\d{{1,2}}){_ORD}(?![\d.%])\b{_YEAR_AFTER}"
)
_DM_RANGE_EN = re.compile(
    rf"\b(?:from\s+|(?P<between>between\s+))?(?:the\s+)?(\d{{1,2}}){_ORD}(?:\s+({_EN_MONTH})\.?)?"
    rf"{_TO_EN}"
    rf"(?:the\s+)?(\d{{1,2}}){_ORD}\s+(?:of\s+)?({_EN_MONTH})\.?\b{_YEAR_AFTER}"
)


def _day_range_en(text: str, today: dt.date) -> tuple[TimeRange, Any] | None:
    """ "from november 1 to november 15 2011", "Sales from 1 to 15 November 2011": the days
    from the first to the last (inclusive); without a year the most recent that has started."""
    m = _MD_RANGE_EN.search(text)
    if m:
        months = (m.group(2), m.group(4) or m.group(2))
        days, year = (m.group(3), m.group(5)), m.group(6)
    else:
        m = _DM_RANGE_EN.search(text)
        if not m:
            return None
        months = (m.group(3) or m.group(5), m.group(5))
        days, year = (m.group(2), m.group(4)), m.group(6)
    first, last = (_MONTHS_EN[w.lower()] for w in months)
    for y in [int(year)] if year else [today.year, today.year - 1]:
        try:
            start = dt.date(y if first <= last else y - 1, first, int(days[0]))
            end = dt.date(y, last, int(days[1]))
        except ValueError:
            return None
        if end < start:
            return None
        if year or start <= today:
            return _found(start, end + dt.timedelta(days=1), m.group(0).strip(), m)
    return None


def _day_range(text: str, today: dt.date) -> tuple[TimeRange, Any] | None:
    m = _MD_RANGE.search(text) or _MD_RANGE_ZH.search(text)  # 11.5-11.11, 12月11-24号
    if not m:
        return _day_range_en(text, today)
    for year in (today.year, today.year - 1):
        days = _md_days(m, year)
        if days is None:
            return None
        start, last = days
        if start <= today and last >= start:
            return _found(start, last + dt.timedelta(days=1), m.group(0).strip(), m)
    return None


def _md_days(m: re.Match[str], year: int) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a month-day range (11.5-11.11, 12月11-24号) ending in `year`
    (a range over the new year starts the year before); None for a day no month has."""
    first_month, last_month = int(m.group(1)), int(m.group(3) or m.group(1))
    try:
        start = dt.date(
            year if first_month <= last_month else year - 1, first_month, int(m.group(2))
        )
        return start, dt.date(year, last_month, int(m.group(4)))
    except ValueError:
        return None


# the period before the last one (再上一季度, 上上个月), or the N days before the last N days ("last
# 30d vs the 30d before"): said beside the other period, the comparison is with the one before it
# (nlq/reading._THE_ONE_BEFORE); alone, the range itself
ONE_BEFORE_LAST = re.compile(
    r"(?:再上|上上)\s*一?\s*个?\s*(季度|月|周(?![一二三四五六日天末])|星期(?![一二三四五六日天末])|年)"
    r"|\b(?:the\s+)?(?:(\d+)\s*(?:days?|d)\s+(?:before|prior)|(?:previous|prior|preceding)\s+"
    r"(\d+)\s*(?:days?|d))\b"
)


def _one_before_last(text: str, today: dt.date) -> tuple[TimeRange, Any] | None:
    from shopql.catalog.timephrase import add_months

    m = ONE_BEFORE_LAST.search(text)
    if not m:
        return None
    days = m.group(2) or m.group(3)
    if days:
        n = int(days)
        if not 0 < n <= 400:
            return None
        end = today - dt.timedelta(days=n)
        return _found(end - dt.timedelta(days=n), end, m.group(0).strip(), m)
    unit = m.group(1)
    if unit == "季度":
        this = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return _found(add_months(this, -6), add_months(this, -3), m.group(0).strip(), m)
    if unit == "月":
        this = today.replace(day=1)
        return _found(add_months(this, -2), add_months(this, -1), m.group(0).strip(), m)
    if unit == "年":
        return _found(
            dt.date(today.year - 2, 1, 1), dt.date(today.year - 1, 1, 1), m.group(0).strip(), m
        )
    monday = today - dt.timedelta(days=today.weekday())
    return _found(
        monday - dt.timedelta(days=14), monday - dt.timedelta(days=7), m.group(0).strip(), m
    )


def _inside_number(text: str, m: re.Match[str]) -> bool:
    core = m.group(0).strip()
    if not core[:1].isdigit() and not core[-1:].isdigit():
        return False
    # "6180", "2017.12.12", "2018-06-18": digits of a longer number or date
    before = bool(re.search(r"\d[./-]?$", text[: m.start()])) and core[:1].isdigit()
    after = bool(re.match(r"[./-]?\d", text[m.end() :])) and core[-1:].isdigit()
    if core.isdigit():  # "top 520 products", "前618名", "超过520元": a count or an amount
        before = before or bool(re.search(_NUMBER_BEFORE, text[: m.start()]))
        after = after or bool(re.match(_NUMBER_AFTER, text[m.end() :]))
    return before or after


_NUMBER_BEFORE = re.compile(
    r"(?:(?:top|bottom|first|over|above|under|below|than)|前|后|超过|大于|小于|低于|高于|满|共|第)\s*$"
)
_NUMBER_AFTER = re.compile(
    r"\s*(?:名|个|件|元|块|单|笔|位|款|家|条|次|人|%|\b(?:products?|items?|customers?|orders?)\b)"
)


def _festival_year(m: re.Match[str], window: Any, today: dt.date) -> int | None:
    g = m.groupdict()
    said = g["y1"] or (g["y3"] if (g["y3"] or "").isdigit() else "")
    if said:
        return int(said)
    word = g["y2"] or g["y3"] or ""
    if word:
        return today.year - (
            2 if "前年" in word else 1 if ("去年" in word or "last" in word) else 0
        )
    for year in (today.year, today.year - 1):  # the most recent one that has started
        span = window(year)
        if span and span[0] <= today:
            return year
    return None


_HALF_ZH = re.compile(
    # "17上半年": a two-digit year said without 年 too (2010–2029 only)
    r"(?:((?:19|20)\d{2})\s*年?\s*|(?<![\d.])(\d{2})\s*年\s*|(?<![\d.])([12]\d)(?=上半年|下半年)"
    r"|(今年|本年|去年|前年)\s*的?\s*)?"
    r"(上半年|下半年)"
)
_HALF_EN = re.compile(
    r"(?:\b((?:19|20)\d{2})\s+|\b(this|last)\s+year'?s?\s+)?"
    r"\b(?:the\s+)?(?:(first|second|1st|2nd)\s+half|(h1|h2|1h|2h))(?![0-9a-z])"
    # not a half of a month ("the first half of last month", "second half of november")
    rf"(?!\s+(?:of\s+|in\s+)?(?:the\s+)?(?:(?:last|this|previous|that|next)\s+)?(?:month\b|(?:{_EN_MONTH})\b))"
    r"(?:\s*(?:of\s+)?(?:((?:19|20)\d{2})\b|(?:the\s+)?(this|last)\s+year\b))?"
)
_RELATIVE_YEAR = {"今年": 0, "本年": 0, "去年": 1, "前年": 2, "this": 0, "last": 1}


def _half_year(text: str, today: dt.date) -> tuple[TimeRange, Any] | None:
    """上半年 / 下半年 / H1 / "second half", with or without a year ("2017年上半年", "H1 2018",
    "去年下半年"): without one, the most recent such half that has started."""
    from shopql.catalog.timephrase import add_months

    m = _HALF_ZH.search(text)
    if m:
        second = m.group(5) == "下半年"
        four, two, word = m.group(1), m.group(2) or m.group(3), m.group(4)
    else:
        m = _HALF_EN.search(text)
        if not m:
            return None
        second = (m.group(3) or m.group(4) or "") in ("second", "2nd", "h2", "2h")
        four = m.group(1) or m.group(5)
        two = None
        word = m.group(2) or m.group(6)
    if four:
        year = int(four)
    elif two:
        year = 2000 + int(two)
    elif word:
        year = today.year - _RELATIVE_YEAR[word]
    else:
        year = today.year if not second or today.month >= 7 else today.year - 1
    start = dt.date(year, 7 if second else 1, 1)
    return _found(start, add_months(start, 6), m.group(0).strip(), m)


_QUARTER_OF = re.compile(
    r"(今年|本年|去年|前年)\s*的?\s*(?:第\s*([一二三四1-4])\s*季度?|([一二三四1-4])\s*季度|q([1-4])(?![0-9a-z]))"
    r"|\b(this|last)\s+year'?s?\s+q([1-4])\b"
    r"|\bq([1-4])\s+(?:of\s+)?(?:the\s+)?(this|last)\s+year\b"
)


_WHOLE_COUNT = r"\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[一二两三四五六七八九十]{1,2}"
_WHOLE_EN = re.compile(
    r"\b(?:the\s+)?(?:last|past|previous|latest)\s+(?:(" + _WHOLE_COUNT + r")\s+)?"
    r"(?:full|complete|completed|whole|entire|calendar)\s+(months?|quarters?|weeks?)\b"
)
_WHOLE_ZH = re.compile(
    r"(?:最近|近|过去|前)\s*("
    + _WHOLE_COUNT
    + r")?\s*个?\s*(?:完整|整|自然)的?\s*(月|季度|周|星期)"
)


def _whole_units(text: str, today: dt.date) -> tuple[TimeRange, Any] | None:
    """ "the last 3 full months", "past two complete quarters", "last full week", 最近三个完整月,
    近3个自然月: the N whole calendar months (quarters, Monday weeks) before the one running today
    (a rolling "last 3 months" ends today; these end where the running month starts)."""
    from shopql.catalog.timephrase import add_months, cn_number, period_start

    m = _WHOLE_EN.search(text) or _WHOLE_ZH.search(text)
    if not m:
        return None
    n = cn_number(m.group(1)) if m.group(1) else 1
    said = m.group(2)
    unit = (
        "quarter"
        if said.startswith("quarter") or said == "季度"
        else "week"
        if said.startswith("week") or said in ("周", "星期")
        else "month"
    )
    if not n or n > 36 or (m.group(1) is None and said.endswith("s")):
        return None
    end = period_start(today, unit)
    if unit == "week":
        start = end - dt.timedelta(weeks=n)
    else:
        start = add_months(end, -n * (3 if unit == "quarter" else 1))
    return _found(start, end, m.group(0).strip(), m)


_ORDINAL = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}
_QUARTER_EN = re.compile(
    r"(?:\b((?:19|20)\d{2})\s+|\b(this|last)\s+year'?s?\s+)?"
    r"\b(?:the\s+)?(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\b"
    r"(?:\s*(?:of\s+|in\s+)?(?:((?:19|20)\d{2})\b|(?:the\s+)?(this|last)\s+year\b))?"
)


def _ordinal_quarter(text: str, today: dt.date) -> tuple[TimeRange, Any] | None:
    """ "the second quarter", "2nd quarter of 2018", "last year's third quarter" (Portuguese
    "2º trimestre" is read as "second quarter"): without a year, the most recent such quarter
    that has started (never a future one), as "q2"."""
    from shopql.catalog.timephrase import add_months

    m = _QUARTER_EN.search(text)
    if not m:
        return None
    q = _ORDINAL[m.group(3)]
    four, word = m.group(1) or m.group(4), m.group(2) or m.group(5)
    if four:
        year = int(four)
    elif word:
        year = today.year - _RELATIVE_YEAR[word]
    else:
        year = today.year if 3 * q - 2 <= today.month else today.year - 1
    start = dt.date(year, 3 * q - 2, 1)
    return _found(start, add_months(start, 3), m.group(0).strip(), m)


def _quarter_of(text: str, today: dt.date) -> tuple[TimeRange, Any] | None:
    """ "去年Q4", "去年第四季度", "last year's q4", "q2 of this year": a quarter of a year said
    relative to today (without a year word, the catalog's phrases take the most recent one)."""
    from shopql.catalog.timephrase import add_months, cn_number

    m = _QUARTER_OF.search(text)
    if not m:
        return _ordinal_quarter(text, today)
    word = m.group(1) or m.group(5) or m.group(8)
    number = next(g for g in (m.group(2), m.group(3), m.group(4), m.group(6), m.group(7)) if g)
    q = cn_number(number)
    if not q or not 1 <= q <= 4:
        return None
    start = dt.date(today.year - _RELATIVE_YEAR[word], 3 * q - 2, 1)
    return _found(start, add_months(start, 3), m.group(0).strip(), m)


_RANGE_ZH = re.compile(
    rf"(?:((?:19|20)\d{{2}}|(?<!\d)\d{{2}})\s*年\s*|(今年|本年|去年|前年)\s*的?\s*|(?<!\d年)(?<!\d))({_ZH_MONTH})\s*月?(?:份)?"
    rf"\s*(?:到|至|~|-|—|－|～)\s*(?<!\d)({_ZH_MONTH})\s*月(?:份)?(?:底|末)?"
)
_RANGE_EN = re.compile(
    rf"\b(?:(?:from\s+)?({_EN_MONTH})\.?\s*(?:to|through|thru|until|till|-|–)\s*({_EN_MONTH})"
    rf"|between\s+({_EN_MONTH})\.?\s+and\s+({_EN_MONTH}))\b\.?"
    rf"(?:\s*,?\s*(?:of\s+|in\s+)?(?:((?:19|20)\d{{2}})\b|(this|last)\s+year\b))?"
)


_RANGE_EN_YEARS = re.compile(  # "and" only after "between" ("compare dec 2010 and march 2011")
    rf"\b(?:from\s+|(?P<between>between\s+))?({_EN_MONTH})\.?\s*,?\s*((?:19|20)\d{{2}})\s*"
    rf"(?:to|through|thru|until|till|-|–|(?(between)and|(?!)))\s*({_EN_MONTH})\.?\s*,?\s*"
    rf"((?:19|20)\d{{2}})\b"
)


# consecutive months listed, then how many they are: "2011年7、8两个月", "去年10月、11月和12月这三个
# 月" (together: one range; listed without the count they stay side by side)
_LISTED_ZH = re.compile(
    rf"(?:((?:19|20)\d{{2}}|(?<!\d)\d{{2}})\s*年\s*|(今年|本年|去年|前年)\s*的?\s*|(?<!\d年)(?<!\d))"
    rf"((?:(?:{_ZH_MONTH})\s*月?(?:份)?\s*(?:[、,，和与及跟]|以及)\s*)+(?:{_ZH_MONTH})\s*月?(?:份)?)"
    r"\s*(?:这|那)?\s*(两|二|三|四|五|六|[2-6])\s*个\s*月(?:份)?"
)


def _listed_months(text: str) -> tuple[re.Match[str], int, int] | None:
    """ "7、8两个月": the match, the first and the last month, when the months said are
    consecutive and as many as the count said after them."""
    from shopql.catalog.timephrase import cn_number

    m = _LISTED_ZH.search(text)
    if m is None:
        return None
    said = re.findall(rf"{_ZH_MONTH}", re.sub(r"[月份、,，和与及跟以]", " ", m.group(3)))
    months: list[int] = []
    for w in said:
        n = cn_number(w.lstrip("0"))
        if not n or not 1 <= n <= 12:
            return None
        months.append(n)
    ok = all((b - a) % 12 == 1 for a, b in zip(months, months[1:], strict=False))
    if not months or not ok or len(months) != cn_number(m.group(4)):
        return None
    return m, months[0], months[-1]


def _month_range(text: str, today: dt.date) -> tuple[TimeRange, Any] | None:
    """ "3月到5月", "from March to May 2018", "去年11月至12月": whole months from the first to the
    last named; without a year, the most recent such range whose last month has started."""
    from shopql.catalog.timephrase import add_months, cn_number

    m = _RANGE_ZH.search(text)
    listed = _listed_months(text)
    first: int | None
    last: int | None
    if listed is not None and (m is None or listed[0].start() <= m.start()):
        m, first, last = listed
        year = int(m.group(1)) if m.group(1) else None
        if year is not None and year < 100:
            year += 2000
        if m.group(2):
            year = today.year - _RELATIVE_YEAR[m.group(2)]
    elif m:
        first, last = cn_number(m.group(3).lstrip("0")), cn_number(m.group(4).lstrip("0"))
        year = int(m.group(1)) if m.group(1) else None
        if year is not None and year < 100:  # "18年1-8月"
            year += 2000
        if m.group(2):
            year = today.year - _RELATIVE_YEAR[m.group(2)]
    else:
        spanned = _RANGE_EN_YEARS.search(text)
        if spanned is not None:  # "from december 2010 to march 2011": each month its own year
            start = dt.date(int(spanned.group(3)), _MONTHS_EN[spanned.group(2)], 1)
            last_month = dt.date(int(spanned.group(5)), _MONTHS_EN[spanned.group(4)], 1)
            if last_month < start:
                return None
            return _found(start, add_months(last_month, 1), spanned.group(0).strip(), spanned)
        m = _RANGE_EN.search(text)
        if not m:
            return None
        first = _MONTHS_EN[m.group(1) or m.group(3)]
        last = _MONTHS_EN[m.group(2) or m.group(4)]
        year = int(m.group(5)) if m.group(5) else None
        if m.group(6):
            year = today.year - _RELATIVE_YEAR[m.group(6)]
    if not first or not last or not (1 <= first <= 12 and 1 <= last <= 12):
        return None
    # a range whose last month starts today still has its earlier months (unlike one month alone)
    end_year = year if year is not None else today.year if last <= today.month else today.year - 1
    start_year = end_year if first <= last else end_year - 1
    start = dt.date(start_year, first, 1)
    end = add_months(dt.date(end_year, last, 1), 1)
    return _found(start, end, m.group(0).strip(), m)


_YEAR_WORDS = {"今年": 0, "去年": 1, "前年": 2, "this year": 0, "last year": 1}


def find_month(text: str, today: dt.date, relative: bool = False) -> tuple[TimeRange, Any] | None:
    """A month (or a day of a month) named without a year: the most recent one that started.
    `relative`: only a month after 今年/去年/前年 ("去年11月"), which is that year's."""
    from shopql.catalog.timephrase import add_months, cn_number

    # "2010年十一月份", "10年十二月": a year in digits before a month in Chinese numerals is
    # that year's month (digit months after a year are the catalog's time phrases)
    # (a digit month after a digit year only with its day, "2010年12月1号到24号": the catalog's
    # time phrases read the rest; a day something runs from or until is theirs too)
    prefix = (
        r"(今年|去年|前年|(?<!\d)(?:19|20)?\d{2}\s*年)\s*的?\s*"
        if relative
        else r"()(?<![\d年个第])"
    )
    m = re.search(
        rf"{prefix}({_ZH_MONTH})\s*月(?:份)?(?:\s*(\d{{1,2}})\s*[日号])?",
        text,
    )
    if (
        m
        and relative
        and m.group(1)[0].isdigit()
        and (
            (m.group(2)[0].isdigit() and not m.group(3))
            or re.match(
                r"\s*(?:以来|起|开始|至今|到现在|以后|之后|后|以前|之前|前)", text[m.end() :]
            )
            or re.search(r"(?:自|从|since)\s*$", text[: m.start()])
        )
    ):
        m = None
    month = day = None
    said = ""
    if m:
        said = m.group(1)
        month = cn_number(m.group(2).lstrip("0") or "0")
        day = int(m.group(3)) if m.group(3) else None
    elif first := _day_first_en(text, today, relative):
        return first
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
    if said and said[0].isdigit():
        year = int(re.sub(r"\D", "", said))
        year += 2000 if year < 100 else 0
    else:
        year = today.year - _YEAR_WORDS[said] if said else most_recent_month(month, today)
    if day is not None and not said:  # a day: the most recent one on or before today (below)
        year = today.year if month <= today.month else today.year - 1
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


# a day said before its month in English (session 39): "on 25 December last year", "the 3rd of
# november", "25th december 2010"; a bare number before a month needs "on", "the", "of" or an
# ordinal to be a day ("top 3 december" is no day)
_DAY_FIRST_EN = re.compile(
    rf"\b(?:(?P<on>on|the|on\s+the)\s+)?(?P<d>[0-3]?\d)(?P<ord>st|nd|rd|th)?\s+(?P<of>of\s+)?"
    rf"(?P<m>{_EN_MONTH})\b\.?(?!\s*\d{{1,2}}\b(?!\d))"
    r"(?:\s*,?\s*(?:(?:of|in)\s+)?(?:(?P<y>(?:19|20)\d{2})\b|(?P<w>this year|last year)\b))?",
    re.IGNORECASE,
)


def _day_first_en(text: str, today: dt.date, relative: bool) -> tuple[TimeRange, Any] | None:
    """ "on 25 December last year": the day (a year said after it, else the most recent one)."""
    for m in _DAY_FIRST_EN.finditer(text):
        if not (m.group("on") or m.group("ord") or m.group("of")):
            continue
        if relative != bool(m.group("y") or m.group("w")):
            continue
        month, day = _MONTHS_EN[m.group("m").lower()], int(m.group("d"))
        if m.group("y"):
            year = int(m.group("y"))
        elif m.group("w"):
            year = today.year - _YEAR_WORDS[m.group("w").lower()]
        else:
            year = today.year if (month, day) <= (today.month, today.day) else today.year - 1
        try:
            start = dt.date(year, month, day)
        except ValueError:
            return None
        return _found(start, start + dt.timedelta(days=1), m.group(0).strip(), m)
    return None


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


# a year said in a period's label ("2025年", "18年Q2", "17上半年", "Q4 2018"): the calendar
# period, not one counted from today ("今年Q4", "本月": the digits of Q4 or 11月 are no year)
_YEAR_IN_LABEL = re.compile(
    r"(?:19|20)\d{2}|(?<![\d.])\d{2}\s*年"
    r"|(?<![\d.])\d{2}(?=\s*(?:[上下前后]半年|q[1-4]\b|h[12]\b|第?[一二三四1-4]季度))|'\d{2}\b",
    re.IGNORECASE,
)


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
    if tr.end <= tr.start:  # "mtd" on the 1st: no whole day of it has passed
        raise EmptyPeriod(
            f"'{tr.label}' has no whole day yet ({tr.start.date()} is today) — nothing to answer"
        )
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
    relative = not _YEAR_IN_LABEL.search(tr.label or "")  # "本月", "今年Q4"; not "2025年"
    if relative and tr.start.date() > today:
        # "今年Q4" on 1 September: a period counted from today that has not begun — never the
        # figures of data dated after today (a --today set inside the data)
        raise EmptyPeriod(f"{_shown(tr)} has not begun yet (today is {today}) — nothing to answer")
    if relative and tr.start.date() <= today < tr.end.date() and first.date() > today:
        # a relative period still running whose data is all dated after today (a --today set
        # before the data starts): as of today it has no data yet — never figures from after
        # today (a period with its year said stays the calendar period, as in running_to_date)
        raise EmptyPeriod(
            f"{_shown(tr)} has 0 days of data yet (today is {today}); the data starts "
            f"{first:%Y-%m-%d} — nothing to answer"
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
            # "11月 比 去年11月 涨了多少" with no data a year before: a 0 for the earlier side
            # would be a made-up figure and the change has nothing to compare — refused, said why
            edge = (
                f"starts {first:%Y-%m-%d}"
                if previous.end.date() <= first.date()
                else f"ends {last:%Y-%m-%d}"
            )
            raise EmptyPeriod(
                f"the period compared with ({_shown(previous)}) has no data (the data {edge}): "
                "there is nothing to compare with — nothing answered"
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
        notes = coverage_notes(compiled.time_range, compiled.previous, data_span(ws), ws.today)
        query = getattr(compiled, "query", None)
        if notes and query is not None and getattr(query, "of_groups", None) == "mean":
            # an average per day over days the data does not cover would be diluted by them
            raise EmptyPeriod(
                f"{notes[0]} — an average per {query.grain} over it would count the "
                f"{query.grain}s without data as 0; nothing answered"
            )
        return notes
    except EmptyPeriod as e:
        raise no_data_in(e, question) from None


def no_data_in(e: EmptyPeriod, question: str) -> NoDataInPeriod:
    """The refusal (exit 5) for an empty period, with a hint in the question's language."""
    zh = has_chinese(question)
    hint = "换一个有数据的时间范围再问" if zh else "ask about a period the data covers"
    return NoDataInPeriod(str(e), hint)


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


def to_date(tr: TimeRange | None, today: dt.date) -> TimeRange | None:
    """A calendar period still running today, compared with an earlier one ("本月 vs 去年同期",
    "this month vs last month"), counted up to today on both sides: like for like, not a few days
    against a whole month. None when `tr` is not running."""
    if tr is None or tr.start is None or tr.end is None:
        return None
    end = _at(today)  # today is still running: whole days, as the rolling periods count
    if not tr.start <= _at(today) < tr.end or end >= tr.end:
        return None
    return TimeRange(tr.start, end, f"{tr.label} (to date)" if tr.label else "to date")


# digits in a period's label that say no year: a quarter or half by its number ("q4", "h2",
# "this year's q4") — read as the running one like 四季度 / 下半年 (was: "sales in H2" on 1
# December ran to 31 December, past today). A month by its number (6月) keeps its calendar month
# ("9月到12月" on 1 December 2011 runs to the end of December: test_wrong_s20)
NUMBERED_PART = re.compile(r"(?<![a-z0-9])[hq][1-4](?![a-z0-9])", re.IGNORECASE)


def year_said(label: str | None) -> bool:
    """A period's label says its year ("2011", "2018年", "half 上半年 18", "h2 2011"): a digit
    left once the numbered quarters and halves are taken out. No label: as if said."""
    return label is None or re.search(r"\d", NUMBERED_PART.sub(" ", label)) is not None


def running_to_date(tr: TimeRange | None, today: dt.date) -> TimeRange | None:
    """ "今年", "this quarter", "下半年", "H2" (no year said) still running today: up to today,
    never data dated after it (on the 1st the period stays whole: "本月 has 0 days of data yet"
    is said). A period with its year said ("2011", "2018年", "H2 2011") stays the calendar
    period."""
    if tr is None or year_said(tr.label or "0"):
        return tr
    cut = to_date(tr, today)
    if cut is None or cut.start is None or cut.end is None or not cut.end > cut.start:
        return tr
    return cut


def said_to_date(text: str, tr: TimeRange | None, today: dt.date) -> tuple[TimeRange | None, str]:
    """ "so far", "到目前为止", "至今" (lexicon TO_DATE_WORDS) after a period: it up to today — a
    running one cut at today ("this quarter so far"), an earlier one continued to today
    ("2017年至今": since 2017); alone, everything up to today. The words are blanked from `text`;
    beside a period that starts after today they stay (unplaced: the question is refused)."""
    from shopql.nlq.lexicon import TO_DATE_WORDS

    end = _at(today)
    if tr is not None and (tr.start is None or tr.start >= end):
        return tr, text
    for words in TO_DATE_WORDS:
        m = re.search(words, text)
        if m is None:
            continue
        if tr is not None and " + " in (tr.label or "") and tr.end is not None and tr.end <= end:
            # "january and february combined this year so far": two periods put together that
            # are over — the words restate their year, which is running (not "since january");
            # of an earlier year they stay unplaced (refused)
            if tr.start is None or tr.start.year != today.year:
                return tr, text
            return tr, text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
        text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]  # blanked
        if tr is None:
            return TimeRange(None, end, m.group(0).strip()), text
        return TimeRange(tr.start, end, f"{tr.label} {m.group(0).strip()}".strip()), text
    return tr, text
