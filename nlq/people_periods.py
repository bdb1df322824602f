"""Periods as conditions of a set question: people who bought in one period and (not) in another.

    18年上半年买过 之后再没买过的人数                  → bought in H1 2018, not since
    customers who bought in sept but not in oct or nov   → bought in Sept, not in Oct, not in Nov
    2010年12月的客户有多少在2011年又买了                 → bought in Dec 2010 and in 2011
    2017年和2018年都买过的客户有多少                     → bought in 2017 and in 2018

Each time phrase becomes one condition (nlq.people turns them into `bought` / `not_bought`
PeopleConditions with their own time range). A negation word negates the period it belongs to:
the one before it in Chinese (今年没再买), the one after it in English (but not in October), and
the periods joined to that one by "or / 和 / 、" (not in Oct or Nov = in neither). "之后 / since
then / afterwards" after the one period said is the time from its end to today. Two periods
with neither a negation nor a word that says both (都 / 又 / 再 / again / also / came back) are
two figures side by side, not a set: not read here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from shopql.catalog.semantic import TimeRange
from shopql.nlq.phrases import blank, find_time

_AFTER = re.compile(
    r"(?:之后|以后|此后|后来|从那以后|从那之后)|"
    r"\b(?:since then|after that|afterwards?|thereafter|ever since|after)\b(?!\s+\w+\s+(?:days?|months?))"
)
# "再没买过", "never bought again", "never came back": since that period (beside a negation)
_AGAIN_ALONE = re.compile(
    r"再也|再|\bagain\b|\b(?:came|come|coming) back\b|\breturned\b|\b(?:been|gone) back\b"
)
_BOTH = re.compile(
    r"都|又|再|还(?!是)|也|\b(?:again|also|both|came back|come back|returned|still)\b|回来|回购|复购"
)
_NEG_ZH = re.compile(
    r"(?:一次都|一次也|一单都|一单也|从来都?|根本)?(?:再也没有?|再没有?|没有?再?|未再?|不再|从没|从未)"
)
_NEG_EN = re.compile(
    r"\b(?:not|never|no longer|did not|didn'?t|have not|haven'?t|has not|hasn'?t|stopped)\b"
)
_OR = re.compile(r"\bor\b|或|还是")
_JOINED = re.compile(r"^(?:\s|和|或者|或|、|及|跟|与|,|，|\bor\b|\band\b|\bnor\b|\bin\b|都|也)*$")


@dataclass
class Period:
    range: TimeRange
    start: int
    end: int
    negated: bool = False


@dataclass
class Periods:
    periods: list[Period]
    text: str  # the question with the periods, negations and 'again' words blanked
    problem: str = ""  # why the periods cannot be read as conditions ("" when they can)


def find_periods(text: str, ws: Any) -> Periods | None:
    """The periods of a set question with more than one, or None (one period, or two side by
    side). `text`: the normalised question (set phrases already blanked)."""
    from shopql.nlq.periods import festivals_of

    festivals = festivals_of(ws)
    said: list[Period] = []
    whole = _spans(text, ws.today, festivals)  # "情人节前一周": one period (the 7 days before)
    relative = [
        m
        for m in _BEFORE_THAT.finditer(text)
        if not any(s <= m.start() and m.end() <= e and e - s > len(m.group(0)) for s, e in whole)
    ]
    rest = text
    for m in relative:  # "the month before" is read from the period before it, not from today
        rest = blank(rest, m.start(), m.end())
    while len(said) < 5:
        tr, found, rest = find_time(rest, ws.today, festivals)
        if tr is None or found is None:
            break
        now = _TO_NOW.match(rest, found.end)  # "18年到现在一次都没再买": from 2018 to today
        if now is not None and tr.start is not None and tr.start.date() < ws.today:
            rest = blank(rest, now.start(), now.end())
            end = dt.datetime.combine(ws.today, dt.time())
            label = f"{tr.label} {now.group(0).strip()}".strip()
            said.append(Period(TimeRange(tr.start, end, label), found.start, now.end()))
            continue
        said.append(Period(tr, found.start, found.end))
    said.sort(key=lambda p: p.start)
    _year_said_once(said, text)  # "2017年 上半年 和 下半年 都买过": 2017's second half
    for m in relative:
        earlier = [p for p in said if p.end <= m.start()]
        if not earlier:
            if said:  # "the month before" said before the period it counts from
                return Periods(said, text, "a period said as 'the one before' another")
            return None  # "前一个月买过的人": the ordinary reading of the phrase
        unit = next(u for u in m.groups() if u)
        before = _unit_before(earlier[-1].range, _UNITS[unit])
        if before is None:
            return Periods(
                said,
                text,
                f"'{m.group(0).strip()}' after a period that is not a whole {_UNITS[unit]}",
            )
        said.append(Period(before, m.start(), m.end()))
    said.sort(key=lambda p: p.start)
    negations = _negations(text, said)
    if len(said) == 1:
        after = _after(text, said[0], negations, ws.today)
        if after is None:
            return None
        said.append(after)
    if len(said) < 2:
        return None
    both_first = _BOTH_FIRST.search(text[: said[0].start])  # "both last month and …"
    if not negations and not _BOTH.search(text[said[0].end :]) and not both_first:
        return None  # "2017和2018年的客户数": two figures, not the people of both
    out = Periods(said, text)
    for m in negations:
        _negate(out, text, m)
    if not both_first:
        _join_listed(out, text)
    for a, b in zip(said, said[1:], strict=False):
        if not a.negated and not b.negated and _OR.search(text[a.end : b.start]):
            out.problem = "people who bought in one period or another"
    if all(p.negated for p in said):
        out.problem = "every period is negated: say when they did buy"
    for p in said:
        out.text = blank(out.text, p.start, p.end)
    for m in negations:
        out.text = blank(out.text, m.start(), m.end())
    for m in _BOTH.finditer(out.text, said[0].start):
        out.text = blank(out.text, m.start(), m.end())
    if both_first:
        out.text = blank(out.text, both_first.start(), both_first.end())
    return out


def _year_said_once(said: list[Period], text: str) -> None:
    """ "2017年 上半年 和 下半年 都买过的客户": a part of a year said bare (下半年, Q3, 8月) after a
    period with its year said is that year's — not the latest one counted from today."""
    from shopql.nlq.reading import _PART_OF_YEAR, _RELATIVE_BARE, _YEAR_SAID, _in_year_of

    anchor: Period | None = None  # the last period said with its own (calendar) year
    for p in said:
        words = text[p.start : p.end]
        if _YEAR_SAID.search(words):  # "去年12月 … 今年上半年 … 下半年": this year's again
            anchor = None if _RELATIVE_BARE.search(words) else p
        elif anchor is not None and _PART_OF_YEAR.match(words):
            p.range = _in_year_of(p.range, anchor.range)


# periods listed one after another ("7、8月", "7月和8月", "july or august") and then not said to be each (都 / 各 /
# 分别 / 每个月 / both / each): the time they make up together ("上半年的新客有几个在7、8月又买了":
# bought again in July or August, not in July and in August too)
_LISTED = re.compile(r"^\s*(?:、|和|跟|与|及|或者|或|,|，|\bor\b)\s*(?:\bin\b|在)?\s*$")
_EACH = re.compile(r"\s*(?:都|各|分别|每个?月|每年|每季度?|\b(?:both|each)\b)")


def _join_listed(out: Periods, text: str) -> None:
    """Merge the positive periods listed one after another into the one period they span when
    they follow each other; a list with a gap is 'one or another', which the engine refuses."""
    said = out.periods
    i = 0
    while i + 1 < len(said):
        a = said[i]
        j = i + 1
        while j + 1 < len(said) and _list_mark(text[said[j].end : said[j + 1].start]):
            j += 1
        run = said[i : j + 1]  # the gaps after the second period were list marks (above)
        listed = _list_mark(text[a.end : said[i + 1].start]) and not any(p.negated for p in run)
        if not listed or _EACH.match(text, said[j].end):
            i += 1
            continue
        if any(p.range.end != q.range.start for p, q in zip(run, run[1:], strict=False)):
            out.problem = "people who bought in one period or another"
            return
        label = "、".join(p.range.label for p in run)
        joined = TimeRange(run[0].range.start, run[-1].range.end, label)
        said[i : j + 1] = [Period(joined, a.start, said[j].end)]
        i += 1


def _list_mark(gap: str) -> bool:
    """Only a list mark between two periods ("、", "和", " or "): not a phrase the set reading
    blanked out ("上个月第一次买、这个月又来买": 第一次买 stood there, so they are two conditions)."""
    return bool(_LISTED.match(gap)) and sum(c.isspace() for c in gap) <= 2


def _spans(text: str, today: dt.date, festivals: Any) -> list[tuple[int, int]]:
    """Where the periods of `text` are, each read whole (a relative word inside one is its own)."""
    out: list[tuple[int, int]] = []
    rest = text
    while len(out) < 5:
        tr, found, rest = find_time(rest, today, festivals)
        if tr is None or found is None:
            break
        out.append((found.start, found.end))
    return out


# a period counted back from the period said before it ("last month and the month before",
# "上个月和再前一个月"): the whole unit just before that period
_BEFORE_THAT = re.compile(
    r"\b(?:the |that )?(month|week|quarter|year) (?:before|prior)(?: that| it)?\b"
    r"|\bthe (?:previous|prior|preceding) (month|week|quarter|year)(?: before(?: that| it)?)?\b"
    r"|(?:再|更)(?:往前|前|上)(?:面的|的)?一?个?(月|周|星期|礼拜|季度|年)"
    r"|(?:之前|前面|此前)(?:的|那)?一?个?(月|周|星期|礼拜|季度|年)"
    r"|(?<![近最过去])前一个?(月|周|星期|礼拜|季度|年)"
)
_BOTH_FIRST = re.compile(r"\bboth\b")
# a period that runs on to today: 18年到现在, 2018年至今, 18年以来, "2018 to date", "2018 until now"
_TO_NOW = re.compile(
    r"\s*(?:(?:一直)?(?:到现在|到今天|到目前为止|到目前|至今|以来)"
    r"|\b(?:to date|until now|till now|up to now|so far|through today|to today)\b)"
)
_UNITS = {
    "month": "month", "week": "week", "quarter": "quarter", "year": "year",
    "月": "month", "周": "week", "星期": "week", "礼拜": "week", "季度": "quarter", "年": "year",
}  # fmt: skip


def _unit_before(tr: TimeRange, unit: str) -> TimeRange | None:
    """The whole `unit` just before `tr`, when `tr` is one whole calendar `unit`; else None."""
    from shopql.catalog.timephrase import add_months

    if tr.start is None or tr.end is None:
        return None
    start, end = tr.start.date(), tr.end.date()
    if tr.start.time() != dt.time() or tr.end.time() != dt.time():
        return None
    months = {"month": 1, "quarter": 3, "year": 12}.get(unit)
    if months is not None:
        whole = start.day == 1 and add_months(start, months) == end
        if unit == "quarter":
            whole = whole and start.month % 3 == 1
        if unit == "year":
            whole = whole and start.month == 1
        if not whole:
            return None
        earlier = add_months(start, -months)
    else:
        if start.weekday() != 0 or (end - start).days != 7:
            return None
        earlier = start - dt.timedelta(days=7)
    label = f"the {unit} before {tr.label}".strip()
    return TimeRange(dt.datetime.combine(earlier, dt.time()), tr.start, label)


def _negations(text: str, said: list[Period]) -> list[re.Match[str]]:
    inside = [(p.start, p.end) for p in said]
    found = list(_NEG_ZH.finditer(text)) + list(_NEG_EN.finditer(text))
    return sorted(
        (m for m in found if not any(s <= m.start() < e for s, e in inside)),
        key=lambda m: m.start(),
    )


def _after(
    text: str, first: Period, negations: list[re.Match[str]], today: dt.date
) -> Period | None:
    """ "之后 / since then", or "再 / again" beside a negation after the one period said: from
    the period's end to today."""
    end = first.range.end
    now = dt.datetime.combine(today, dt.time())
    if end is None or end >= now:
        return None
    m = _AFTER.search(text, first.end)
    if m is None:
        late = [n for n in negations if n.start() >= first.end]
        again = _AGAIN_ALONE.search(text, first.end)
        if not late or again is None or abs(again.start() - late[0].start()) > 20:
            return None
        m = again
    label = f"after {first.range.label}".strip()
    return Period(TimeRange(end, now, label), m.start(), m.end())


def _negate(out: Periods, text: str, m: re.Match[str]) -> None:
    """Mark the period a negation belongs to, and those joined to it by or / and / 、."""
    said = out.periods
    chinese = not m.group(0).isascii()
    before = [i for i, p in enumerate(said) if p.end <= m.start()]
    after = [i for i, p in enumerate(said) if p.start >= m.end()]
    # "再也没回来": the time since the period ("after" read from 再也 itself) is what the negation
    # stands on, not the period said before it
    on = [i for i, p in enumerate(said) if p.start < m.end() and m.start() < p.end]
    if on:
        target: int | None = on[0]
    elif chinese:
        target = before[-1] if before else (after[0] if after else None)
    else:
        target = after[0] if after else (before[-1] if before else None)
    if target is None:
        out.problem = "a negation that belongs to no period"
        return
    said[target].negated = True
    step = -1 if chinese and before and target == before[-1] else 1
    i = target
    while 0 <= i + step < len(said):
        a, b = (said[i + step], said[i]) if step < 0 else (said[i], said[i + step])
        if not _JOINED.match(text[a.end : b.start]):
            break
        i += step
        said[i].negated = True
