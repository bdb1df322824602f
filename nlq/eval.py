"""The evaluation harness: each golden question's answer must equal the result of its golden SQL.

Results are compared as sets of rows, not as SQL text: every golden column must match one of the
answer's columns (any name, any position), and the rows projected on those columns must be the
same multiset. Numbers are compared to 4 significant digits, dates by day.

Each case ends one of three ways: **correct** (the answer equals the gold SQL's result or one of its
`alt` readings; for an `expect: refuse` case, the engine refused), **refused** (no answer), or
**wrong** (an answer that is not the gold one — the case that costs a user's trust). A case's SQL may
use `{today}`; `today: data_end` means the day after the workspace's last order, so a set written
for the demo works on a demo generated on any day.

    python -m shopql.nlq.eval --workspace DIR [--engine offline] [--dataset olist] [--set FILE] [-v]
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shopql.nlq.linking import has_chinese

SETS_DIR = Path(__file__).resolve().parents[1] / "tests" / "nlq"
DEFAULT_SET = SETS_DIR / "golden.yaml"
HELDOUT_SET = SETS_DIR / "heldout.yaml"
DATA_END = "data_end"
OUTCOMES = ("correct", "refused", "wrong")


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    lang: str
    sql: str
    dataset: str
    today: dt.date | None  # None: the day after the workspace's data ends (`today: data_end`)
    alt: tuple[str, ...] = ()
    expect_refusal: bool = False
    family: str = ""

    def gold_sqls(self, today: dt.date) -> list[str]:
        """The gold SQL and its accepted alternative readings, `{today}` filled in."""
        return [sql.replace("{today}", today.isoformat()) for sql in (self.sql, *self.alt) if sql]


@dataclass
class CaseResult:
    case: Case
    engine: str
    passed: bool
    reason: str = ""
    outcome: str = "wrong"  # correct | refused | wrong

    @property
    def question(self) -> str:
        return self.case.question


@dataclass
class Report:
    results: list[CaseResult] = field(default_factory=list)

    def accuracy(self, engine: str, lang: str | None = None) -> tuple[int, int]:
        chosen = [
            r for r in self.results if r.engine == engine and (lang is None or r.case.lang == lang)
        ]
        return sum(r.passed for r in chosen), len(chosen)

    def engines(self) -> list[str]:
        return list(dict.fromkeys(r.engine for r in self.results))

    def failures(self) -> list[CaseResult]:
        return [r for r in self.results if not r.passed]

    def outcomes(self, engine: str, lang: str | None = None) -> dict[str, int]:
        """How many cases ended correct, refused and wrong."""
        counts = dict.fromkeys(OUTCOMES, 0)
        for r in self.results:
            if r.engine == engine and (lang is None or r.case.lang == lang):
                counts[r.outcome] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "accuracy": {
                e: {lang or "all": _ratio(*self.accuracy(e, lang)) for lang in (None, "en", "zh")}
                for e in self.engines()
            },
            "outcomes": {
                e: {lang or "all": self.outcomes(e, lang) for lang in (None, "en", "zh")}
                for e in self.engines()
            },
            "cases": [
                {
                    "id": r.case.id,
                    "engine": r.engine,
                    "lang": r.case.lang,
                    "dataset": r.case.dataset,
                    "passed": r.passed,
                    "outcome": r.outcome,
                    "reason": r.reason,
                }
                for r in self.results
            ],
        }


def _ratio(passed: int, total: int) -> float | None:
    return round(passed / total, 4) if total else None


def set_path(name: str | None) -> Path:
    """A question set by name (golden, heldout) or by file path."""
    if not name:
        return DEFAULT_SET
    named = {"golden": DEFAULT_SET, "heldout": HELDOUT_SET}
    return named.get(name, Path(name))


def load_golden(path: Path) -> list[Case]:
    from shopql.sync.spec import load_yaml  # libyaml's safe loader where PyYAML has it

    data = load_yaml(path.read_text(encoding="utf-8"))
    defaults = data.get("defaults", {})
    cases = []
    for i, item in enumerate(data["questions"], 1):
        today = item.get("today", defaults.get("today"))
        cases.append(
            Case(
                id=str(item.get("id", i)),
                question=str(item["q"]),
                lang=str(item.get("lang") or ("zh" if has_chinese(item["q"]) else "en")),
                sql=str(item.get("sql") or ""),
                dataset=str(item.get("dataset", defaults.get("dataset", "olist"))),
                today=_case_day(today),
                alt=tuple(str(a) for a in item.get("alt") or ()),
                expect_refusal=item.get("expect") == "refuse",
                family=str(item.get("family", "")),
            )
        )
    return cases


def _case_day(today: Any) -> dt.date | None:
    if today == DATA_END:
        return None
    return today if isinstance(today, dt.date) else dt.date.fromisoformat(str(today))


def normalise(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, decimal.Decimal)):
        number = float(value)
        return float(f"{number:.4g}") if number == number else None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def shown_decimals(values: list[Any]) -> int | None:
    """The decimals an answer column is rounded to, when it rounds its numbers for display
    (4.09 for 4.086): None when it does not round (or rounds to fewer than 2 decimals)."""
    places = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (float, decimal.Decimal)):
            return None
        # a DECIMAL keeps the places it was rounded to (0.70 is 0.698 to 2 places); a float's
        # shortest repr is all it says
        d = v if isinstance(v, decimal.Decimal) else decimal.Decimal(str(v)).normalize()
        exponent = d.as_tuple().exponent
        places.append(-exponent if isinstance(exponent, int) and exponent < 0 else 0)
    shown = max(places, default=0)
    return shown if 2 <= shown <= 6 else None


def rounded_places(sql: str) -> dict[str, int]:
    """The decimals each answer column was rounded to by its SQL (ROUND(x, 2) AS avg_x): a DOUBLE
    rounded to 2 places and shown 8.5 was 8.50, which its own digits no longer say."""
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(sql, dialect="duckdb")
    except sqlglot.errors.ParseError:
        return {}
    places: dict[str, int] = {}
    for alias in tree.find_all(exp.Alias):
        value = alias.this.this if isinstance(alias.this, exp.Cast) else alias.this
        digits = value.args.get("decimals") if isinstance(value, exp.Round) else None
        if isinstance(digits, exp.Literal) and digits.is_int:
            places.setdefault(alias.alias, int(digits.this))
    return places


def same_result(
    golden: tuple[list[str], list[tuple]],
    got: tuple[list[str], list[tuple]],
    rounded: dict[str, int] | None = None,
    ranked: bool = False,
) -> str:
    """'' when `got` answers like `golden`, else why not.

    A numeric answer column rounded for display (2 to 6 decimals) matches gold values that round
    to the same figures: 4.09 answers an average of 4.086, a share of 0.0100 one of 0.010011.
    `rounded` names the places a column was rounded to when its values cannot say it (8.5 for
    8.50); the places it shows are still the most it is compared at.

    A plain breakdown keeps the group of rows with no key (no carrier, no country: part of the
    total, its own row); a gold that leaves it out still matches when those groups are the
    answer's ONLY extra rows and every gold row matches. So does a group whose every figure is
    zero (Hong Kong with 0 identified buyers, when all its orders name none): a gold that filters
    the rows before grouping (`WHERE one_id IS NOT NULL`) cannot show a group it counted nothing
    in, and leaves it out — a group left out of a breakdown is a group of zero. Never in a
    ranking (`ranked`: a top N, a which-most), where such a group must not take a rank."""
    reason = _same_rows(golden, got, rounded)
    if not reason or ranked or len(got[1]) <= len(golden[1]):
        return reason
    labels = [
        i
        for i in range(len(got[0]))
        if any(r[i] is not None for r in got[1])
        and all(isinstance(r[i], str) for r in got[1] if r[i] is not None)
    ]
    figures = [
        i
        for i in range(len(got[0]))
        if i not in labels
        and all(isinstance(r[i], (int, float, decimal.Decimal)) for r in got[1])
        and not any(isinstance(r[i], bool) for r in got[1])
    ]

    def keyless(r: tuple) -> bool:
        return any(r[i] is None for i in labels)

    def zero(r: tuple) -> bool:
        return bool(labels) and bool(figures) and all(r[i] == 0 for i in figures)

    for dropped in (keyless, zero, lambda r: keyless(r) or zero(r)):
        kept = [r for r in got[1] if not dropped(r)]
        if len(kept) == len(golden[1]) and _same_rows(golden, (got[0], kept), rounded) == "":
            return ""
    return reason


def _same_rows(
    golden: tuple[list[str], list[tuple]],
    got: tuple[list[str], list[tuple]],
    rounded: dict[str, int] | None = None,
) -> str:
    g_rows = [tuple(normalise(v) for v in row) for row in golden[1]]
    a_rows = [tuple(normalise(v) for v in row) for row in got[1]]
    if len(g_rows) != len(a_rows):
        return f"{len(a_rows)} rows, expected {len(g_rows)}"
    if not g_rows:
        return ""
    a_cols = [Counter(map(repr, (r[i] for r in a_rows))) for i in range(len(got[0]))]
    decimals = [
        _places(shown_decimals([r[i] for r in got[1]]), (rounded or {}).get(name), got[1], i)
        for i, name in enumerate(got[0])
    ]
    matched: list[int] = []
    for i in range(len(golden[0])):
        j = next(
            (
                j
                for j, col in enumerate(a_cols)
                if j not in matched and col == _gold_column(golden[1], i, decimals[j])
            ),
            None,
        )
        if j is None:  # a period the answer shows as its first day, the gold as its number
            gold = _gold_column(golden[1], i, None)
            for k in range(len(got[0])):
                numbers = None if k in matched else _period_number(a_rows, k, gold)
                if numbers is not None:
                    a_rows = [
                        (*r[:k], n, *r[k + 1 :]) for r, n in zip(a_rows, numbers, strict=True)
                    ]
                    j = k
                    break
        if j is None:  # a label the answer shows as a period or a word of the same meaning
            for k in range(len(got[0])):
                labels = None if k in matched else _label_meaning(a_rows, k, gold)
                if labels is None and k not in matched:  # the gold's yes / no of one group
                    labels = _yes_no_meaning(a_rows, k, gold, golden[0][i])
                if labels is not None:
                    a_rows = [(*r[:k], n, *r[k + 1 :]) for r, n in zip(a_rows, labels, strict=True)]
                    j = k
                    break
        if j is None:
            return f"no column matches golden column {golden[0][i]!r} (e.g. {g_rows[0][i]!r})"
        matched.append(j)
    g_pairs = Counter(
        tuple(repr(_rounded(row[i], decimals[j])) for i, j in enumerate(matched))
        for row in golden[1]
    )
    a_pairs = Counter(tuple(repr(r[j]) for j in matched) for r in a_rows)
    if g_pairs != a_pairs:
        return "same columns, but the rows pair the values differently"
    return ""


def _period_number(rows: list[tuple], k: int, gold: Counter[str]) -> list[Any] | None:
    """Column `k` of the answer as the period numbers a gold column counts (2018-07-01 as month
    7, 2017-01-01 as year 2017), when those numbers are that gold column: a column of first days
    of years, or of one period in each year (as years, whatever day it starts), or of months or quarters of one year (as
    their numbers) — one period for each number, so nothing two periods share is read as one. A
    quarter shown as "2018-Q1" is its first day (2018-01-01), which a gold column may hold too."""
    try:
        days = [_first_day(r[k]) if isinstance(r[k], str) else None for r in rows]
    except ValueError:
        return None
    if not days or any(d is None for d in days):
        return None
    dates = [d for d in days if d is not None]
    if any(d.day != 1 for d in dates) and len({d.year for d in dates}) != len(dates):
        return None  # a day not a first day: only as one period in each year (双11 of each)
    days_only = any(d.day != 1 for d in dates)  # a day is never its month or its quarter
    one_year = len({d.year for d in dates}) == 1
    views: list[list[Any]] = []
    if all(d.month == 1 for d in dates) or len({d.year for d in dates}) == len(dates):
        views.append([d.year for d in dates])  # years, or one period in each year
    if one_year and not days_only:
        views.append([d.month for d in dates])
        if all(d.month in (1, 4, 7, 10) for d in dates):
            views.append([(d.month - 1) // 3 + 1 for d in dates])
    if any(_QUARTER.fullmatch(r[k]) for r in rows):
        views.append([d.isoformat() for d in dates])  # "2018-Q1" as the gold's 2018-01-01
    for view in views:
        numbers = [normalise(n) for n in view]
        if Counter(map(repr, numbers)) == gold:
            return numbers
    return None


_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})(?: → (\d{4}-\d{2}-\d{2}))?")
# words of one meaning a gold may label a group by: the half of the day (hour < 12 or not)
_SAME_WORD = [
    {"am", "a.m.", "morning", "上午", "before noon", "before_noon"},
    {"pm", "p.m.", "afternoon", "下午", "after noon", "after_noon"},
    # "SP vs the rest"; "UK vs the rest of the world" for the gold's "non-UK"
    {
        "other",
        "others",
        "rest",
        "the rest",
        "其他",
        "其它",
        "其余",
        "rest of the world",
        "rest of world",
        "abroad",  # "UK vs abroad / overseas" (海外): the rest of the world
        "overseas",
        "海外",
        "国外",
        "foreign",  # "UK vs foreign" (外国客户): the rest of the world too
        "外国",
        "international",
    },
    {"uk", "united kingdom", "u.k.", "英国"},  # Online Retail's country said short
]
_REST = 2  # the words of "the rest" in _SAME_WORD
# a gold label that names the rest by what it is not: "non-UK", "outside the UK", "英国以外"
_NOT_LABEL = re.compile(r"(?i)^(?:non[- ]?\w|not\s|outside\s|ex-)|(?:以外|之外)$")
_HALVES = ({"h1", "上半年", "first half", "1h"}, {"h2", "下半年", "second half", "2h"})
# a half's label with its "so far" ("H2 to date", "下半年至今"): the later half may run to today
_SO_FAR = re.compile(r"(?i)\s*[(（]?\s*(?:to\s+date|so\s+far|ytd|至今|到现在|到目前为止)\s*[)）]?$")


def _half_word(label: str) -> str:
    """A gold half label without its "so far" ("H2 to date": "h2"), lower case."""
    return _SO_FAR.sub("", label).strip().lower()


# the thirds of a month (上旬 days 1-10, 中旬 11-20, 下旬 21 to the end), by their first day
_THIRDS = {1: {"上旬", "early"}, 11: {"中旬", "mid", "middle"}, 21: {"下旬", "late"}}
_THIS = re.compile(r"(?i)^(this|current|cur|now|本|今|这)")
_LAST = re.compile(
    r"(?i)^(last|previous|prev|prior|before|上|去|前)|(?:same|同).*(?:last.year|去年)"
)


def _month_halves(starts: list[dt.date], ends: list[dt.date]) -> bool:
    """Every range is a half of one calendar month ('2018-08-01 → 2018-08-15', '2018-08-16 →
    2018-08-31'): the gold's 'first half' / 'second half' of that month."""
    if len({(d.year, d.month) for d in [*starts, *ends]}) != 1:
        return False
    first = [(d.day, e.day) for d, e in zip(starts, ends, strict=True)]
    return all(a == 1 and b == 15 or a == 16 and b >= 28 for a, b in first)


def _label_meaning(rows: list[tuple], k: int, gold: Counter[str]) -> list[Any] | None:
    """Column `k` of the answer as the gold's labels of the same meaning, when the gold column
    holds only such labels and every answer value maps to exactly one of them:
    - the same words in another case ('jumbo bag' for the gold's 'JUMBO BAG');
    - a half of the day said in other words ('am' / '上午' for the gold's 'morning'), the rest of
      a kind ('其他' for 'other', 'Rest of the world' for 'non-UK'), beside labels said the same
      ('SP') or short ('United Kingdom' for 'UK');
    - half-years shown as their periods ('2017-01-01 → 2017-06-30' for 'H1'), one year only,
      the later one possibly to date ('2026-07-01 → 2026-12-03' for the gold's H2 or 'H2 to date');
      halves of one month likewise ('2018-08-16 → 2018-08-31' for 'second half');
    - two periods side by side for a gold's 'this_week' / 'last_week' (the later is 'this'; a
      'same_days_last_year' is the earlier)."""
    values = [r[k] for r in rows]
    if not values or not all(isinstance(v, str) for v in values):
        return None
    golds = [eval_label(g) for g in gold]
    if not all(isinstance(g, str) for g in golds):
        return None
    out: list[Any] = []
    folded = {g.casefold(): g for g in golds}
    if len(folded) == len(set(golds)) and all(v.casefold() in folded for v in values):
        return _if_same([folded[v.casefold()] for v in values], gold)  # 'jumbo bag', 'JUMBO BAG'
    mixed = [_same_label(v, folded, golds) for v in values]  # 'SP' and '其他' for 'SP', 'other'
    if len(folded) == len(set(golds)) and all(x is not None for x in mixed):
        return _if_same(mixed, gold)
    if all(any(v.lower() in w for w in _SAME_WORD) for v in values):
        for v in values:
            word = next(w for w in _SAME_WORD if v.lower() in w)
            said = [g for g in golds if g.lower() in word]
            if len(set(said)) != 1:
                return None
            out.append(said[0])
        return _if_same(out, gold)
    spans = [_RANGE.fullmatch(v) for v in values]
    if not all(spans):
        return None
    starts = [dt.date.fromisoformat(m.group(1)) for m in spans if m]
    ends = [dt.date.fromisoformat(m.group(2) or m.group(1)) for m in spans if m]
    thirds = _thirds_named(golds, starts, ends)
    if thirds is not None:  # '2018-03-21 → 2018-03-31' for the gold's '下旬'
        return _if_same(thirds, gold)
    if all(_half_word(g) in _HALVES[0] | _HALVES[1] for g in golds) and _month_halves(starts, ends):
        # the halves of one month: days 1-15, 16 to the end
        named = _halves_named(golds, [d.day == 1 for d in starts])
        return None if named is None else _if_same(out + named, gold)
    if all(_half_word(g) in _HALVES[0] | _HALVES[1] for g in golds):
        if len({d.year for d in starts}) != 1 or any(
            d.day != 1 or d.month not in (1, 7) for d in starts
        ):
            return None
        latest = max(starts)  # the later half may run to today ('H2 so far', the gold's H2 too)
        if any(
            (e.month != d.month + 5 or e.day < 28) and not (d == latest and d.month + 5 >= e.month)
            for d, e in zip(starts, ends, strict=True)
        ):
            return None  # a whole half, but the latest (to date) one
        named = _halves_named(golds, [d.month == 1 for d in starts])
        return None if named is None else _if_same(out + named, gold)
    distinct = sorted(set(golds))
    if len(distinct) == 2 and len(set(starts)) == 2:
        this = [g for g in distinct if _THIS.match(g) and not _LAST.match(g)]
        last = [g for g in distinct if _LAST.match(g) and not _THIS.match(g)]
        if len(this) == 1 and len(last) == 1:
            later = max(starts)
            out = [this[0] if d == later else last[0] for d in starts]
            return _if_same(out, gold)
    return None


def _yes_no_meaning(rows: list[tuple], k: int, gold: Counter[str], name: str) -> list[Any] | None:
    """Column `k` of the answer as a gold column of True / False that splits the rows into one
    group and the rest ("isodow(paid_at) = 7 AS sunday", "… IN (6, 7) AS weekend"), when the
    answer labels the same two groups: the group named by the gold column's own name ('weekend'
    beside 'weekday' for the gold's weekend), or the one not the rest ('7' beside '其他' for the
    gold's sunday) is True."""
    golds = {eval_label(g) for g in gold}
    values = [r[k] for r in rows]
    if golds != {True, False} or not all(isinstance(v, str) for v in values):
        return None
    two = sorted(set(values))
    if len(two) != 2:
        return None
    named = [v for v in two if v.casefold() == name.casefold()]
    rest = [v for v in two if v.casefold() in _SAME_WORD[_REST]]
    if len(named) == 1:
        yes = named[0]
    elif len(rest) == 1:
        yes = next(v for v in two if v != rest[0])
    else:
        return None
    return _if_same([v == yes for v in values], gold)


def _thirds_named(golds: list[str], starts: list[dt.date], ends: list[dt.date]) -> list[str] | None:
    """The gold's 上旬 / 中旬 / 下旬 for ranges that are those thirds of one calendar month (days
    1-10, 11-20, 21 to the end), or None."""
    if len({(d.year, d.month) for d in [*starts, *ends]}) != 1:
        return None
    out: list[str] = []
    for d, e in zip(starts, ends, strict=True):
        words = _THIRDS.get(d.day)
        whole = e.day == d.day + 9 if d.day < 21 else e.day >= 28  # 下旬: to the month's end
        if words is None or not whole:
            return None
        said = {g for g in golds if g.lower() in words}
        if len(said) != 1:
            return None
        out.append(said.pop())
    return out


def _same_label(value: str, folded: dict[str, str], golds: list[str]) -> str | None:
    """The gold label `value` says: the same words in another case, or one word of the same
    meaning (_SAME_WORD) that names exactly one gold label."""
    if value.casefold() in folded:
        return folded[value.casefold()]
    for n, words in enumerate(_SAME_WORD):
        if value.lower() in words:
            said = {g for g in golds if g.lower() in words}
            if not said and n == _REST:  # the gold's "non-UK" for the answer's "Rest of the world"
                said = {g for g in golds if _NOT_LABEL.search(g)}
            return next(iter(said)) if len(said) == 1 else None
    return None


def eval_label(text: str) -> Any:
    """A gold column's value back from its repr (labels are compared as reprs)."""
    import ast

    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None


def _halves_named(golds: list[str], first: list[bool]) -> list[str] | None:
    """The gold label of each half in turn (`first`: the first half), or None when a half has
    no single label among the golds."""
    out: list[str] = []
    for is_first in first:
        half = _HALVES[0] if is_first else _HALVES[1]
        said = {g for g in golds if _half_word(g) in half}
        if len(said) != 1:
            return None
        out.append(said.pop())
    return out


def _if_same(labels: list[Any], gold: Counter[str]) -> list[Any] | None:
    return labels if Counter(repr(normalise(v)) for v in labels) == gold else None


def _first_day(label: str) -> dt.date:
    """The first day of a period shown as its date or as a quarter ("2018-Q1": 2018-01-01)."""
    m = _QUARTER.fullmatch(label)
    if m:
        return dt.date(int(m.group(1)), 3 * int(m.group(2)) - 2, 1)
    return dt.date.fromisoformat(label)


def _places(shown: int | None, rounded: int | None, rows: list[tuple], i: int) -> int | None:
    """The places a column's numbers are compared at: those they show, else those its SQL rounded
    a DOUBLE to (2 to 6) when every value shows no more than that."""
    if shown is not None or rounded is None or not 2 <= rounded <= 6:
        return shown
    values = [r[i] for r in rows]
    if not values or not all(isinstance(v, float) for v in values):
        return None
    return rounded if all(round(v, rounded) == v for v in values) else None


def _gold_column(rows: list[tuple], i: int, decimals: int | None) -> Counter[str]:
    return Counter(repr(_rounded(row[i], decimals)) for row in rows)


def _rounded(value: Any, decimals: int | None) -> Any:
    if decimals is not None and isinstance(value, (int, float, decimal.Decimal)):
        if not isinstance(value, bool) and value == value:
            value = round(float(value), decimals)
    return normalise(value)


def prompt_sizes(ws: Any, dataset: str, path: Path = DEFAULT_SET) -> list[int]:
    """Estimated tokens (system prompt + question) the LLM would get for each golden question of
    `dataset` on workspace `ws`: what bench/nlq_bench.py reports and a test bounds."""
    from shopql.nlq.context import build_context
    from shopql.nlq.prompt import estimate_tokens, messages_for

    sizes = []
    for case in load_golden(path):
        if case.dataset == dataset:
            ctx, _ = build_context(ws, case.question)
            text = "\n".join(m["content"] for m in messages_for(case.question, ctx))
            sizes.append(estimate_tokens(text))
    return sizes


def dataset_of(ws: Any) -> set[str]:
    """Which golden datasets the workspace holds (olist, retail, demo)."""
    rows = ws.run("SELECT DISTINCT platform FROM orders", None, source="eval").rows
    platforms = {r[0] for r in rows}
    found = {name for name in ("olist", "retail") if name in platforms}
    return found | ({"demo"} if platforms - {"olist", "retail", None} else set())


def data_end(ws: Any) -> dt.date:
    """The day after the workspace's last order: 'today' for sets written against live data."""
    row = ws.run("SELECT max(created_at)::DATE FROM orders", None, source="eval").rows[0]
    return (row[0] or dt.date.today()) + dt.timedelta(days=1)


def evaluate(settings: Any, path: Path, engines: list[str], dataset: str | None = None) -> Report:
    """Run every golden case the workspace's data covers through each engine."""
    from shopql.nlq.session import Workspace

    cases = load_golden(path)
    with Workspace(settings) as probe:  # closed on the refusal below too
        present = {dataset} if dataset else dataset_of(probe)
        if not any(c.dataset in present for c in cases):
            from shopql.errors import ShopqlError

            raise ShopqlError(
                f"no golden question is about this workspace's data ({', '.join(sorted(present)) or 'none'})",
                "evaluate on a workspace with the Olist data (shopql sync ../shared/data/olist) "
                "or the demo (shopql demo DIR), or pass --dataset",
            )
        probe._probe  # noqa: B018 (load once, share below)
        end = data_end(probe) if any(c.today is None for c in cases) else None
    report = Report()
    workspaces: dict[dt.date, Workspace] = {}
    try:  # one reader per `today` for every case (opening one per case was a third of the time)
        for case in (c for c in cases if c.dataset in present):
            today = case.today or end or dt.date.today()
            if today not in workspaces:
                ws = workspaces[today] = _sharing(Workspace(settings, today=today), probe)
                # `answer` closes the workspace it is given: here that writes the answer's audit
                # rows (fsynced) and keeps the reader for the next case; closed at the end
                ws.close = ws.flush_audit
            ws = workspaces[today]
            golds = []
            try:
                for sql in case.gold_sqls(today):
                    golds.append(_gold(ws, case, sql, path))
            finally:
                ws.flush_audit()
            for engine in engines:
                report.results.append(_score(ws, case, engine, golds))
    finally:
        for ws in workspaces.values():
            Workspace.close(ws)
    return report


def _gold(ws: Any, case: Case, sql: str, path: Path) -> tuple[list[str], list[tuple]]:
    """One gold SQL's result; a gold the guard or DuckDB rejects names its case and its set."""
    from shopql.errors import ShopqlError

    try:
        result = ws.run(sql, case.question, source="eval")
    except ShopqlError as e:
        error = ShopqlError(
            f"the gold SQL of {case.id} in {path.name} failed: {e.message}",
            e.hint or f"fix that case's sql in {path}",
        )
        error.exit_code = e.exit_code
        raise error from e
    return result.columns, result.rows


def _sharing(ws: Any, probe: Any) -> Any:
    """Reuse the loaded catalog and indexes across workspaces that differ only by `today`."""
    for name in ("catalog", "_probe", "vocabulary", "fuzzy", "guard_context"):
        ws.__dict__[name] = getattr(probe, name)
    return ws


def _cut(sql: str) -> int | None:
    """The number of rows the outermost query keeps (its literal LIMIT), if any: a LIMIT inside
    a subquery or a CTE, or the word in a string, cuts nothing the reader sees."""
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(sql, dialect="duckdb")
    except sqlglot.errors.ParseError:
        return None
    limit = tree.args.get("limit")
    value = limit.expression if isinstance(limit, exp.Limit) else None
    return int(value.this) if isinstance(value, exp.Literal) and value.is_int else None


def _score(
    ws: Any, case: Case, engine: str, golds: list[tuple[list[str], list[tuple]]]
) -> CaseResult:
    from shopql.errors import ShopqlError
    from shopql.nlq.answer import answer
    from shopql.nlq.reading import without_suggestions

    try:
        with without_suggestions():  # a refusal is scored by its message, never its suggestions
            got = answer(ws, case.question, engine)
    except ShopqlError as e:
        if case.expect_refusal:
            return CaseResult(case, engine, True, f"refused as expected: {e.message}", "correct")
        return CaseResult(case, engine, False, f"no answer: {e.message}", "refused")
    if case.expect_refusal:
        return CaseResult(case, engine, False, "answered a question it has no data for", "wrong")
    rounded = rounded_places(got.main.sql or "")
    # a ranking (a top N, a which-most: the answer or a gold keeps fewer rows than the display
    # cap) gives no NULL group a pass
    cap = ws.guard_context.row_cap
    cuts = [_cut(sql) for sql in (got.main.sql or "", *case.gold_sqls(ws.today)) if sql]
    ranked = any(n is not None and n < cap for n in cuts)
    answered = (got.main.columns, got.main.rows)
    reasons = [same_result(gold, answered, rounded, ranked) for gold in golds]
    if "" in reasons:
        return CaseResult(case, engine, True, "", "correct")
    return CaseResult(case, engine, False, reasons[0], "wrong")


def summary(report: Report) -> tuple[list[str], list[list[Any]]]:
    """The accuracy table: engine, language, correct, refused, wrong, total, accuracy."""
    rows = []
    for engine in report.engines():
        for lang in ("en", "zh", None):
            passed, total = report.accuracy(engine, lang)
            if total:
                n = report.outcomes(engine, lang)
                rows.append(
                    [
                        engine,
                        lang or "all",
                        n["correct"],
                        n["refused"],
                        n["wrong"],
                        total,
                        f"{passed / total:.1%}",
                    ]
                )
    return ["engine", "language", "correct", "refused", "wrong", "total", "accuracy"], rows


def main(argv: list[str] | None = None) -> int:
    from shopql.config import load_settings

    parser = argparse.ArgumentParser(
        prog="python -m shopql.nlq.eval", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--workspace", "-w", default=None)
    parser.add_argument("--engine", action="append", choices=["offline", "llm"])
    parser.add_argument("--set", default=str(DEFAULT_SET), help="a set's file, or golden|heldout")
    parser.add_argument("--dataset", default=None)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    settings = load_settings(args.workspace)
    engines = args.engine or (["offline", "llm"] if settings.llm.configured else ["offline"])
    report = evaluate(settings, set_path(args.set), engines, args.dataset)
    columns, rows = summary(report)
    print("\t".join(columns))
    for row in rows:
        print("\t".join(map(str, row)))
    if args.verbose:
        for r in report.failures():
            print(
                f"{r.outcome.upper()} [{r.engine}] {r.case.id} {r.question}: {r.reason}",
                file=sys.stderr,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
