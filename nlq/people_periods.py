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
    each: str | None = None  # the one cue said of every period with 都 (people._cue_of_each_period)


# a period said as the one named before it (当月, 当年, 同月, 那个月, "that month"), A, session 42
_SAME_AS_BEFORE = re.compile(
    r"当(?:月|年|周|天|日|季)|同(?:一个?)?(?:月|年|周|天|季)|那(?:一|个)?(?:月|年|周|天|季)|该(?:月|年)|"
    r"(?:that|the same)\s+(?:month|year|week|day|quarter)",
    re.IGNORECASE,
)


def find_periods(text: str, ws: Any) -> Periods | None:
    """The periods of a set question with more than one, or None (one period, or two side by
    side). `text`: the normalised question (set phrases already blanked)."""
    from shopql.nlq.phrases import festivals_read

    festivals = festivals_read(ws, text)  # "买过 CHRISTMAS 东西": goods, not 25 December
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
    same = [p for p in said[1:] if _SAME_AS_BEFORE.fullmatch(text[p.start : p.end].strip())]
    if same:  # "11月的新客户 当月又来了两次": 当月 is November, never the month of today
        named = [p for p in said if p not in same]
        if len(named) == 1 and not _negations(text, said):
            return None  # one period, said again: the cues' (people._cue_periods reads 当月)
        word = text[same[0].start : same[0].end].strip()
        return Periods(said, text, f"'{word}' said after a period (that same period) is not read")
    text = _year_said_once(said, text, ws.today, festivals)
    negations = _negations(text, said)
    if len(said) == 1:
        after = _after(text, said[0], negations, ws.today)
        if after is None:
            return None
        said.append(after)
    if len(said) < 2:
        return None
    both_first = _BOTH_FIRST.search(text[: said[0].start])  # "both last month and …"
    if (
        not negations
        and not _BOTH.search(text[said[0].end :])
        and not both_first
        and not _people_of_the_first(text, said)
    ):
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


# "10月下过单的客户11月下了多少单", "customers who ordered in october, how many orders did they
# place in november": the first period says who the people are (a clause on them), the second
# what they did then; never the two periods' figures side by side
_PEOPLE_CLAUSE_ZH = re.compile(
    r"^\s*(?:的)?\s*(?:在\S{0,6}?)?(?:下过单|下了单|下单|下过|买过|买了|购买过|购买|付过款|付过钱|付款|付了款|"
    r"消费过|来买过|来过)(?:东西|货|的东西)?\s*的\s*(?:那些|这些|那批|这批)?\s*"
    r"(?:客户|买家|顾客|用户|会员|消费者|人)(?:们)?\s*(?:里|中|当中|之中|里面)?[\s，,]*(?:在)?\s*$"
)
_PEOPLE_CLAUSE_EN = re.compile(
    r"\b(?:customers|buyers|shoppers|clients|people|users)\s+(?:who|that)\b[^,.;?!]*$"
)
_THEM = re.compile(r"\b(?:they|them|those|these|their)\b")


def _people_of_the_first(text: str, said: list[Period]) -> bool:
    """Whether the first period is said inside a clause on people, and the second of them."""
    first, second = said[0], said[1]
    between = text[first.end : second.start]
    if _PEOPLE_CLAUSE_ZH.match(between):
        return True
    return bool(_PEOPLE_CLAUSE_EN.search(text[: first.start]) and _THEM.search(between))


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


# the listed periods counted again after them: "9月 10月 11月 连着三个月都来买过", "Q2、Q3 这两个季度都",
# "in September, October and November, all three months"
_COUNT_RESTATED = re.compile(
    r"\s*(?P<row>连着|连续|接连|一连|这|整整)?\s*(?P<n>\d+|[两二三四五六]+)\s*个\s*(?P<unit>月|季度)"
    r"(?=\s*(?:都|全都|每))"
    r"|\s*,?\s*(?:all\s+)?(?P<en>two|three|four|five|six|2|3|4|5|6)\s+(?P<row_en>consecutive\s+)?"
    r"(?P<unit_en>months|quarters)(?P<row_after>\s+in\s+a\s+row)?\b"
)
_SMALL = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "two": 2, "three": 3, "four": 4}
_SMALL |= {"five": 5, "six": 6}


def count_restated(text: str, ws: Any) -> str:
    """ "今年9月、10月、11月连着三个月都买过的客户": `text` without the count of the periods listed
    said again after them (`_count_restated`), so that 三个月都买过 is not read as a second period's
    every month."""
    from shopql.nlq.phrases import festivals_read

    if not _COUNT_RESTATED.search(text):
        return text
    festivals = festivals_read(ws, text)
    said: list[Period] = []
    rest = text
    while len(said) < 7:
        tr, found, rest = find_time(rest, ws.today, festivals)
        if tr is None or found is None:
            break
        said.append(Period(tr, found.start, found.end))
    said.sort(key=lambda p: p.start)
    cut = _count_restated(text, said)
    return text if cut == text else re.sub(r"\s{2,}", " ", cut).strip()


def _count_restated(text: str, said: list[Period]) -> str:
    """`text` with the listed periods' count said again right after the last of them blanked,
    when it is their number and each is one whole month (quarter) — with 连着 / in a row, each
    beginning where the one before ends; else `text` as it is."""
    from shopql.catalog.timephrase import add_months

    if len(said) < 2:
        return text
    m = _COUNT_RESTATED.match(text, said[-1].end)
    if m is None:
        return text
    number = m.group("n") or m.group("en") or ""
    n = int(number) if number.isdigit() else _SMALL.get(number)
    months = 3 if (m.group("unit") or m.group("unit_en") or "").startswith(("季", "quarter")) else 1
    for p in said:
        start, end = p.range.start, p.range.end
        if start is None or end is None or start.day != 1 or start.time() != dt.time():
            return text
        if add_months(start.date(), months) != end.date():
            return text
    if n != len(said):
        return text
    in_a_row = (
        m.group("row") not in (None, "这", "整整") or m.group("row_en") or m.group("row_after")
    )
    if in_a_row and any(a.range.end != b.range.start for a, b in zip(said, said[1:], strict=False)):
        return text  # "9月 11月 连着两个月": not one after the other
    return blank(text, m.start(), m.end())


# an only-word before a period bought in (只在上半年买过, 仅在7月买过, 今年 只 在 上半年): the set's "only"
_ONLY_WORD = re.compile(r"(?:仅仅|仅|只|就只)\s*(?:有)?\s*(?:在)?\s*")


def _now(ws: Any) -> dt.datetime:
    return dt.datetime.combine(ws.today, dt.time())


def _holds_another(p: Period, said: list[Period]) -> bool:
    """Whether `p` is a positive period holding another said (今年 of 今年只在上半年买过): the scope."""
    a = p.range
    if p.negated or a.start is None or a.end is None:
        return False
    return any(
        q is not p
        and q.range.start is not None
        and q.range.end is not None
        and a.start <= q.range.start
        and q.range.end <= a.end
        and (a.start, a.end) != (q.range.start, q.range.end)
        for q in said
    )


def only_restated(text: str, ws: Any) -> str:
    """ "今年只在上半年买过 下半年一直没露面": `text` without the only-word before the one period bought
    in when the negated periods beside it say the same (not then) — else `text` as it is. Only
    when every other period is negated and the periods touch one another (no time between them
    left unsaid: 只在上半年买过 12月没买 keeps its 只, which no condition reads: refused), and together
    they fill the period said around them (今年: 上半年 bought in, 下半年 not) — else no scope says
    what 'only' is within."""
    if not _ONLY_WORD.search(text):
        return text
    found = find_periods(text, ws)
    if found is None or found.problem:
        return text
    scopes = [p for p in found.periods if _holds_another(p, found.periods)]  # 今年: the year
    said = [p for p in found.periods if p not in scopes]
    bought = [p for p in said if not p.negated]
    if len(bought) != 1 or len(said) < 2 or len(scopes) != 1:
        return text
    ranges = sorted((p.range for p in said), key=lambda r: r.start or dt.datetime.min)
    if any(r.start is None or r.end is None for r in ranges):
        return text
    if any(a.end != b.start for a, b in zip(ranges, ranges[1:], strict=False)):
        return text
    scope = scopes[0].range
    assert scope.start is not None and scope.end is not None  # (_holds_another)
    if ranges[0].start > scope.start or ranges[-1].end < min(scope.end, _now(ws)):  # type: ignore[operator]
        return text  # 今年只在上半年买过 12月没买: July to November left unsaid
    first = bought[0]
    for m in _ONLY_WORD.finditer(text, max(0, first.start - 6), first.end):
        if m.end() == first.start or first.start < m.start() < first.end:
            return f"{text[: m.start()]}{text[m.end() :]}"
    return text


def _year_said_once(said: list[Period], text: str, today: dt.date, festivals: Any) -> str:
    """A year said once for two periods is both periods' year:

        2017年 上半年 和 下半年 都买过           → H1 and H2 of 2017 (not 2018's H2, counted from today)
        customers who bought in both H1 and H2 2017 → the same
        去年 和 今年 双十一 都买了               → 11 November of last year and of this year (not the
                                                whole of last year)
        bought on black friday in both 2017 and 2018 → Black Friday of each year (not 2017's
                                                       Black Friday and the whole of both years)

    A part of a year said bare (下半年, Q3, 6月, a festival) after a period with its year takes that
    year — unless that puts it before the period said first with no list mark between them ("17年
    12月买过 1月又买了" keeps its own reading); a bare part listed before one with its year takes that
    year; whole years listed beside a part of a year are that part in each year. A part is moved
    by reading it again with the year ("2017年双十一", "black friday 2017"), so a festival lands on
    its own date of that year."""
    from shopql.nlq.reading import _RELATIVE_BARE, _YEAR_SAID, _whole_year

    def words(p: Period) -> str:
        return text[p.start : p.end]

    def bare(p: Period) -> bool:
        said_ = words(p)
        return not (
            _YEAR_SAID.search(said_) or _RELATIVE_BARE.search(said_) or _whole_year(p.range)
        )

    def dated(p: Period) -> bool:  # a part of a year said with its year: "2017年 上半年"
        return bool(_YEAR_SAID.search(words(p))) and not _whole_year(p.range)

    def in_year(part: str, year: int) -> TimeRange | None:
        part = _LEADING_PREPOSITION.sub("", part.strip(" 的"))
        for said_ in (f"{year}年{part}", f"{part} {year}", f"{part} of {year}"):
            moved, found, _ = find_time(said_, today, festivals)
            if moved is None or found is None or found.text.strip() != said_.strip():
                continue
            if _whole_year(moved) or moved.start is None or moved.end is None:
                continue
            return moved
        return None

    def year_of(p: Period) -> int | None:
        return p.range.start.year if p.range.start is not None else None

    text = _year_said_last(said, text, bare, in_year)
    for a, b in zip(said, said[1:], strict=False):
        year = year_of(a)
        if year is None or not dated(a) or not bare(b) or not _one_year(a.range):
            continue
        moved = in_year(words(b), year)
        if moved is None or a.range.start is None or moved.start is None:
            continue
        if moved.start < a.range.start and not _year_gap(text[a.end : b.start]):
            continue
        b.range = TimeRange(moved.start, moved.end, _label(b.range.label, a.range.label, year))
    for a, b in zip(said, said[1:], strict=False):  # "H1 and H2 2017"
        year = year_of(b)
        if year is None or not bare(a) or not dated(b) or not _year_gap(text[a.end : b.start]):
            continue
        moved = in_year(words(a), year)
        if moved is not None:
            a.range = TimeRange(moved.start, moved.end, _label(a.range.label, b.range.label, year))
    for i in range(len(said) - 2, -1, -1):  # "去年 和 今年 双十一"
        a, b = said[i], said[i + 1]
        year = year_of(a)
        if year is None or not _whole_year(a.range) or not dated(b):
            continue
        if not _year_gap(text[a.end : b.start]):
            continue
        part = _YEAR_WORDS.sub(" ", words(b)).strip(" 的")
        moved = in_year(part, year) if part else None
        if moved is not None:
            a.range = TimeRange(moved.start, moved.end, f"{a.range.label} {part}")
    return _part_of_listed_years(said, text, words, bare, in_year)


# what may follow a year said last, at the end of the question: "… 的客户 2017年?", "…, in 2017."
_QUESTION_END = re.compile(r"[\s的里中内?？!！。.,，、]*")


def _year_said_last(said: list[Period], text: str, bare: Any, in_year: Any) -> str:
    """A year said alone at the very end of a set question, after two or more bare parts of a
    year ("上半年 和 下半年 都 买过 的 客户 2017年"), is their year: each part moved into it
    (not this year's halves beside the whole of 2017); the year's words are blanked from `text`
    (returned) and its period dropped. A year with anything said after it ("2017年也买过") or
    listed with the parts ("上半年、下半年和2017年") stays a period of its own."""
    from shopql.nlq.reading import _YEAR_SAID, _whole_year

    if len(said) < 3:
        return text
    year, parts = said[-1], said[:-1]
    said_year = text[year.start : year.end]
    if not _whole_year(year.range) or not _YEAR_SAID.search(said_year):
        return text
    if year.range.start is None or not _QUESTION_END.fullmatch(text[year.end :]):
        return text
    gap = text[parts[-1].end : year.start]  # "H1 and H2, 2017" is theirs; "… 和 2017年" listed
    if not all(bare(p) for p in parts) or _year_gap(gap) and not re.fullmatch(r"\s*[,，]\s*", gap):
        return text
    moved = [in_year(text[p.start : p.end], year.range.start.year) for p in parts]
    if any(m is None for m in moved):
        return text
    for p, m in zip(parts, moved, strict=True):
        assert m is not None
        p.range = TimeRange(m.start, m.end, f"{p.range.label} ({year.range.start.year})")
    said.remove(year)
    return blank(text, year.start, year.end)


def _part_of_listed_years(
    said: list[Period],
    text: str,
    words: Any,
    bare: Any,
    in_year: Any,
) -> str:
    """Whole years listed with a part of a year said once, before or after them: "black friday
    in both 2017 and 2018", "2017和2018年的双十一都买过": that part in each year. The part's own words
    are blanked from `text` (returned) and its period dropped: each year now stands for it."""
    from shopql.nlq.reading import _whole_year

    k = 0
    while k < len(said):
        last = k
        while (
            _whole_year(said[k].range)
            and last + 1 < len(said)
            and _whole_year(said[last + 1].range)
            and _year_gap(text[said[last].end : said[last + 1].start])
        ):
            last += 1
        if last == k:
            k += 1
            continue
        years = said[k : last + 1]
        k = last + 1
        part_at, cut = None, (0, 0)
        before = said[said.index(years[0]) - 1] if said.index(years[0]) > 0 else None
        if (
            before is not None
            and bare(before)
            and _YEARS_AFTER_PART.fullmatch(text[before.end : years[0].start])
        ):
            part_at, cut = before, (before.start, before.end)  # "black friday in both 2017 …"
        elif k < len(said):
            after = said[k]
            if bare(after) and _PART_AFTER_YEARS.fullmatch(text[years[-1].end : after.start]):
                part_at, cut = after, (years[-1].end, after.end)  # "2017和2018年的双十一"
        if part_at is None:
            continue
        part = words(part_at)
        moved = [in_year(part, y.range.start.year) for y in years if y.range.start is not None]
        if len(moved) != len(years) or any(m is None for m in moved):
            continue
        for y, m in zip(years, moved, strict=True):
            assert m is not None and y.range.start is not None
            y.range = TimeRange(m.start, m.end, f"{part.strip()} {y.range.start.year}")
        said.remove(part_at)
        return blank(text, *cut)
    return text


_LEADING_PREPOSITION = re.compile(r"^(?:(?:in|on|during|of|at)\s+)+", re.IGNORECASE)
# the year said in a period's words ("2018年 黑五" → "黑五")
_YEAR_WORDS = re.compile(
    r"(?:(?:19|20)?\d{2}\s*年|\b(?:19|20)\d{2}\b|今年|去年|前年|明年|\b(?:this|last) year(?:'s)?\b)\s*的?"
)


def _label(own: str, anchor: str, year: int) -> str:
    """The label of a part moved into the year of the period beside it: with the year when that
    one's year was said in digits (a calendar period, kept whole), else its own ("今年 上半年 没买
    下半年 又回来": this year's second half, still running, counted up to today)."""
    return f"{own} ({year})" if re.search(r"\d", anchor or "") else own


def _one_year(tr: TimeRange) -> bool:
    """A range inside one calendar year."""
    if tr.start is None or tr.end is None:
        return False
    return tr.start.year == (tr.end - dt.timedelta(microseconds=1)).year


# two periods said one after another as a list ("H1 and H2 2017", "去年和今年双十一")
_YEAR_GAP = re.compile(
    r"\s*(?:、|和|跟|与|及|或者|或|,|，|&|\b(?:and|or|vs\.?|versus)\b)\s*(?:\b(?:in|on)\b|在)?\s*"
)
# a part of a year said right after a list of years: "2017和2018年的双十一", "2017 and 2018 black friday"
_PART_AFTER_YEARS = re.compile(r"\s*(?:的|\b(?:on|in|during)\b)?\s*")


def _year_gap(gap: str) -> bool:
    return bool(_YEAR_GAP.fullmatch(gap)) and sum(c.isspace() for c in gap) <= 2


# what stands between a part of a year and the years it is said of: "in both", "in", "of", 在
_YEARS_AFTER_PART = re.compile(r"\s*(?:\b(?:in|of|during)\b\s*)?(?:\bboth\b\s*)?(?:在|的)?\s*")


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
