"""Other languages of a catalog: a question written in a language the catalog describes (catalog
`languages:`, default: catalog/default/languages.yaml — Portuguese, the language of Olist's
marketplace) is read into the words the engine knows, and the answer says so ("read Portuguese:
'quantos' as 'how many', 'pedidos' as 'orders', 'julho' as 'july'").

Each language lists `words` — phrases no English question uses (quantos, pedidos, faturamento,
ano passado): one of them marks the question as written in that language — and `function_words`
spelt like English words or letters (no, a, e, de, x): read only in a question so marked, never in
an English one ("no orders", "plan a"). Phrases are found whole, longest first, with or without
accents (relogios = relógios), by dictionary look-ups on the question's words (no pattern over the
whole vocabulary per question). A multi-word glossary phrase of the language ("móveis de
escritório", a category) is kept as written, for the value index to place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shopql.catalog.model import Issue
from shopql.nlq.linking import is_latin, normalise

# a run of Latin letters (with accents) or digits: the question's words, where phrases start
_TOKEN = re.compile(r"[0-9a-zA-Z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+")


def fold(text: str) -> str:
    """`text` in lower case without accents (relógios → relogios); other scripts unchanged."""
    text = text.lower()
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)  # "1º" → "1o", as the question is read
    return unicodedata.normalize(
        "NFC",
        "".join(
            c
            for c in unicodedata.normalize("NFD", text)
            if not (unicodedata.combining(c) and c < "\u0370")
        ),
    )


@dataclass
class Readings:
    """folded phrase → (what it is read as, or None to keep it as written; language; whether it
    marks the question as that language); `longest`: first word → the most words of a phrase."""

    phrases: dict[tuple[str, ...], tuple[str | None, str, bool]] = field(default_factory=dict)
    longest: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # language code → its name
    # phrases in a script without spaces (Chinese): found as substrings, longest first
    joined: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Chinese patterns (regular expression, replacement, language): a class of spoken forms read
    # as the form the engine knows ("一个客人平均" as "每个客人平均", "下多少次单" as "下多少单")
    patterns: list[tuple[re.Pattern[str], str, str]] = field(default_factory=list)
    # language code → the mark it groups thousands with ("." in Portuguese: R$ 1.000 is a thousand)
    grouping: dict[str, str] = field(default_factory=dict)

    def add(self, phrase: str, reading: str | None, language: str, marks: bool) -> None:
        if not is_latin(phrase):
            if reading is not None and marks:
                self.joined[normalise(phrase)] = (reading, language)
            return
        key = tuple(fold(w) for w in _TOKEN.findall(phrase))
        if not key or (key in self.phrases and self.phrases[key][0] is not None):
            return
        self.phrases[key] = (reading, language, marks)
        self.longest[key[0]] = max(self.longest.get(key[0], 0), len(key))


def load(
    catalog_dir: Path | None, issues: list[Issue], glossary_words: dict[str, list[str]]
) -> Readings:
    """The catalog's `languages:` entries ({language, name, words: {phrase: reading},
    function_words: {phrase: reading}}); `glossary_words`: language → the glossary's words in
    it (multi-word ones are kept whole; "*": in every language — "rio de janeiro" is a city, its
    janeiro no month)."""
    from shopql.catalog.model import Location
    from shopql.nlq.sections import catalog_section

    readings = Readings()
    for obj, where in catalog_section(catalog_dir, "languages", issues):
        code = obj.get("language") if isinstance(obj, dict) else None
        if not isinstance(code, str) or not code:
            issues.append(Issue("error", "every languages entry needs a `language` code", where))
            continue
        readings.names[code] = str(obj.get("name") or code)
        grouping = obj.get("thousands_separator")
        if grouping is not None:
            if grouping not in (".", ",", " "):
                issues.append(
                    Issue(
                        "error", f"language {code}: `thousands_separator` is '.', ',' or ' '", where
                    )
                )
            else:
                readings.grouping[code] = str(grouping)
        _load_patterns(readings, code, obj.get("patterns"), where, issues)
        for key, marks in (("words", True), ("function_words", False)):
            table = obj.get(key) or {}
            if not isinstance(table, dict):
                issues.append(Issue("error", f"language {code}: `{key}` must be a mapping", where))
                continue
            for phrase, reading in table.items():
                if not isinstance(reading, str) or not str(phrase).strip():
                    at = Location(where.file, getattr(table, "line", where.line))
                    issues.append(
                        Issue("error", f"language {code}: {phrase!r} needs a reading", at)
                    )
                    continue
                readings.add(str(phrase), reading, code, marks)
    for code in readings.names:  # "*": names of stored values, whatever their language
        for word in glossary_words.get(code, []) + glossary_words.get("*", []):
            if len(_TOKEN.findall(word)) > 1:
                readings.add(word, None, code, False)
    return readings


def _load_patterns(
    readings: Readings, code: str, table: Any, where: Any, issues: list[Issue]
) -> None:
    """A language's `patterns:` ({regular expression: replacement}, Chinese only: a class of
    spoken forms, where `words` would list them one by one)."""
    if not table:
        return
    if not isinstance(table, dict):
        issues.append(Issue("error", f"language {code}: `patterns` must be a mapping", where))
        return
    for pattern, replacement in table.items():
        try:
            compiled = re.compile(str(pattern))
            compiled.sub(str(replacement), "")  # a bad group reference fails here, not later
        except (re.error, IndexError) as e:
            issues.append(Issue("error", f"language {code}: pattern {pattern!r}: {e}", where))
            continue
        readings.patterns.append((compiled, str(replacement), code))


def _patterns(question: str, readings: Readings) -> tuple[str, list[str], set[str]]:
    """`question` with the catalog's Chinese patterns applied (in their order), what was read as
    what, and the languages whose patterns matched."""
    said: list[str] = []
    languages: set[str] = set()
    for compiled, replacement, lang in getattr(readings, "patterns", None) or ():
        matched = False
        for m in compiled.finditer(question):
            said.append(f"{m.group(0)!r} as {m.expand(replacement)!r}")
            languages.add(lang)
            matched = True
        if matched:  # a pattern that matched nothing changes nothing (most of the ~1,000)
            question = compiled.sub(replacement, question)
    return question, said, languages


def read(question: str, readings: Readings | None) -> tuple[str, list[str]]:
    """`question` with the phrases of the language it is written in read as the engine's words,
    and one note saying what was read as what ([] when the question is in none of them)."""
    if readings is None:
        return question, []
    notes: list[str] = []
    if getattr(readings, "patterns", None) and not question.isascii():
        # first: the words below may read what a pattern wrote (一张单 → 每张单 → 每单)
        question, said, languages = _patterns(question, readings)
        if said:
            names = ", ".join(sorted(readings.names.get(lang, lang) for lang in languages))
            notes = [f"read {names}: " + ", ".join(said)]
    question, more = _read(question, readings)
    return question, notes + more


def _read(question: str, readings: Readings) -> tuple[str, list[str]]:
    if not (readings.phrases or readings.joined):
        return question, []
    found: list[tuple[int, int, str | None, str, bool]] = []  # start, end, reading, lang, marks
    if readings.joined and not question.isascii():
        question = unicodedata.normalize("NFKC", question)
        found = _joined(question, readings)
    tokens = [(m.start(), m.end(), fold(m.group(0))) for m in _TOKEN.finditer(question)]
    if not found and not any(t[2] in readings.longest for t in tokens):
        return question, []
    i = 0
    while i < len(tokens):
        most = readings.longest.get(tokens[i][2], 0)
        for n in range(min(most, len(tokens) - i), 0, -1):
            run = tokens[i : i + n]
            if any(question[a[1] : b[0]].strip() for a, b in zip(run, run[1:], strict=False)):
                continue  # the words of a phrase stand side by side (spaces only)
            hit = readings.phrases.get(tuple(t[2] for t in run))
            if hit is not None:
                found.append((run[0][0], run[-1][1], *hit))
                i += n
                break
        else:
            i += 1
    languages = {lang for _, _, reading, lang, marks in found if marks}
    if not languages:
        return question, []
    out, said, at = [], [], 0
    for start, end, reading, lang, _ in sorted(found):
        if lang not in languages or reading is None:
            continue
        out += [question[at:start], reading]
        said.append(f"{question[start:end]!r} as {reading!r}")
        at = end
    out.append(question[at:])
    names = ", ".join(sorted(readings.names.get(lang, lang) for lang in languages))
    text = "".join(out)
    for lang in sorted(languages):
        if readings.grouping.get(lang) == ".":
            text = _DOT_GROUPED.sub(lambda m: _ungroup(m, said), text)
    return text, [f"read {names}: " + ", ".join(said)]


# a number grouped with dots, a decimal comma after it or none ("R$ 1.000", "1.500,50",
# "2.000.000"): in a language that groups thousands with a dot, a thousand — never one point zero
_DOT_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?(?![\d]|[.,]\d)")


def _ungroup(m: re.Match[str], said: list[str]) -> str:
    digits = m.group(0).replace(".", "").replace(",", ".")
    said.append(f"{m.group(0)!r} as {digits!r}")
    return digits


def _joined(question: str, readings: Readings) -> list[tuple[int, int, str | None, str, bool]]:
    """The Chinese phrases of `question` (substrings, longest first, never overlapping)."""
    lowered = question.lower()
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, str | None, str, bool]] = []
    for phrase in sorted(readings.joined, key=len, reverse=True):
        at = lowered.find(phrase)
        while at >= 0:
            end = at + len(phrase)
            if not any(a < end and at < b for a, b in taken):
                taken.append((at, end))
                reading, lang = readings.joined[phrase]
                found.append((at, end, reading, lang, True))
            at = lowered.find(phrase, at + 1)
    return found


def readings_of(ws: Any) -> Readings | None:
    """The workspace's language readings (kept with its glossary)."""
    try:
        return getattr(ws.glossary, "readings", None)
    except Exception:  # a broken glossary: the question is read as written
        return None
