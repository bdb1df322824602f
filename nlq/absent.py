"""Concepts a question may name that the warehouse has no data for (ad spend, ROI, livestream
hosts, couriers, customer-service response, traffic without events, stock without an inventory
table, profit without costs): the catalog's `absent:` list (catalog/default/absent.yaml).

A question naming one is refused with the data that would be needed — never answered with a
figure for something else. Each concept lists where its data would live (`needs`: a table or a
`table.column`); when the workspace holds rows there, the concept is not refused, so the same
word is answered on a workspace that has the data.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shopql.catalog.model import Issue, text
from shopql.nlq.linking import Links, find_spans, has_chinese, is_latin, normalise


@dataclass(frozen=True)
class Concept:
    name: str
    words: tuple[str, ...]
    needs: tuple[str, ...]
    label: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)
    metrics: tuple[str, ...] = ()  # catalog metrics that read this data


def load_concepts(catalog_dir: Path | None) -> tuple[list[Concept], list[Issue]]:
    """The `absent:` concepts of the workspace's catalog YAML, else of the default pack."""
    from shopql.nlq.glossary import catalog_section

    issues: list[Issue] = []
    out: list[Concept] = []
    for obj, where in catalog_section(catalog_dir, "absent", issues):
        name = str(obj.get("name", ""))
        words = obj.get("words") or []
        if isinstance(words, dict):
            words = [w for group in words.values() for w in group or []]
        needs = obj.get("needs") or []
        if not name or not isinstance(words, list) or not words or not isinstance(needs, list):
            issues.append(Issue("error", "every absent concept needs name, words, needs", where))
            continue
        out.append(
            Concept(
                name=name,
                words=tuple(normalise(str(w)) for w in words if w),
                needs=tuple(str(n) for n in needs),
                label=text(obj.get("label")),
                data=text(obj.get("data")),
                metrics=tuple(str(m) for m in obj.get("metrics") or []),
            )
        )
    return out, issues


def has_data(
    con: Any,
    schema: dict[str, dict[str, str]],
    need: str,
    where: Sequence[tuple[str, Sequence[Any]]] = (),
) -> bool:
    """True when `need` (a table, or table.column) exists and holds a row / a non-empty value —
    among the rows whose columns hold one of the values `where` gives each (column, values),
    when it gives any (nlq/nodata.py: a column no row of Tmall's carries)."""
    table, _, column = need.partition(".")
    if table not in schema or (column and column not in schema[table]):
        return False
    if any(c not in schema[table] or not values for c, values in where):
        return False
    target = f'"{column}"' if column else "1"
    conditions = [f'"{column}" IS NOT NULL'] if column else []
    params: list[Any] = []
    for c, values in where:
        conditions.append(f'"{c}" IN ({", ".join("?" for _ in values)})')
        params += list(values)
    sql = f'SELECT {target} FROM "{table}"'
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    try:
        row = con.execute(f"{sql} LIMIT 1", params).fetchone()
    except Exception:  # unreadable: treat as absent rather than answer from nothing
        return False
    return row is not None


def missing_concept(links: Links, concepts: list[Concept], present: Any) -> tuple[Concept, str]:
    """The first concept the question names whose data is absent, with the phrase that named
    it; raises LookupError when there is none. `present(concept)` says whether its data exists.

    A concept word inside a longer mention of something else ("payment conversion" is the
    payment success rate) does not name the concept; a metric mention of one of the concept's
    metrics does."""
    text_ = links.text
    for concept in concepts:
        hit = _named(text_, links, concept)
        if hit and not present(concept):
            return concept, hit
    raise LookupError


def _named(text_: str, links: Links, concept: Concept) -> str:
    for m in links.mentions:
        if m.term.kind == "metric" and m.term.target in concept.metrics:
            return m.phrase
    spaced = any(ch.isspace() for ch in text_)  # (without a space, no word is said spaced)
    for word in sorted(concept.words, key=len, reverse=True):
        if word in text_:
            spans = find_spans(text_, word)
        else:
            spans = _spaced_spans(text_, word) if spaced else []
        for i, j in spans:
            covered = any(
                m.start <= i and j <= m.end and (m.end - m.start) > (j - i) for m in links.mentions
            )
            if not covered:
                return word
    return ""


def _spaced_spans(text_: str, word: str) -> list[tuple[int, int]]:
    """A Chinese word said with spaces between its characters ("用 手机": 用手机)."""
    if len(word) < 2 or not all(ch in text_ for ch in word) or is_latin(word):
        return []  # (a character not in the text: no spacing of the word is there)
    return [(m.start(), m.end()) for m in _spaced(word).finditer(text_)]


@functools.lru_cache(maxsize=4096)
def _spaced(word: str) -> re.Pattern[str]:
    return re.compile(r"\s*".join(re.escape(ch) for ch in word))


def refusal(concept: Concept, phrase: str, zh: bool) -> str:
    """One line: what was asked, that there is no data, and what to import."""
    lang = "zh" if zh else "en"
    label = concept.label.get(lang) or concept.label.get("en") or concept.name
    data = concept.data.get(lang) or concept.data.get("en") or ", ".join(concept.needs)
    if zh:
        return f"仓库里没有{label}的数据（问题中的“{phrase}”）；需要{data}"
    return f"the warehouse has no data on {label} ('{phrase}'); needs {data}"


def check(question: str, links: Links, ws: Any) -> str | None:
    """The refusal message when `question` names a concept with no data here, else None."""
    concepts = getattr(ws, "_absent_concepts", None)
    if concepts is None:
        concepts, _ = load_concepts(ws.settings.catalog_dir)
        ws._absent_concepts = concepts
    if not concepts:
        return None

    def present(concept: Concept) -> bool:
        # asked once per reader connection: the data changes only while this process holds no
        # reader of the warehouse (a sync writes it alone), so a Workspace that keeps its reader
        # (`shopql eval`, a test module's) asks each concept once, not on every question
        con = ws.reader()
        kept = getattr(ws, "_absent_present", None)
        if kept is None or kept[0] is not con:
            kept = ws._absent_present = (con, {})
        cache: dict[str, bool] = kept[1]
        if concept.name not in cache:
            cache[concept.name] = any(has_data(con, ws.schema, n) for n in concept.needs)
        return cache[concept.name]

    try:
        concept, phrase = missing_concept(links, concepts, present)
    except LookupError:
        return None
    zh = has_chinese(question)
    return refusal(concept, phrase, zh)
