"""The value glossary: one concept per entry with the words each language uses for it
(catalog `glossary:` section, seeded in catalog/default/glossary.yaml): 茶几 = coffee table,
沙发 = sofa, cama_mesa_banho = bed_bath_table = 家纺 …

It makes an English question find Chinese product titles and categories and the reverse. A
concept is matched whole: "side table" is its own concept (边几), never the coffee table (茶几),
so a near neighbour does not count as a match. `suggest` proposes new entries from the
warehouse: words that co-occur in the titles of one product sold under titles in two languages,
category translations the glossary lacks, and frequent title words it does not cover.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shopql.catalog.model import Issue
from shopql.nlq.linking import is_latin, normalise
from shopql.nlq.sections import catalog_section


@dataclass
class Glossary:
    """concept name -> its words (all languages); word -> the concepts using it."""

    concepts: dict[str, list[str]] = field(default_factory=dict)
    by_word: dict[str, list[str]] = field(default_factory=dict)
    # concept -> the only words of it that find product titles (the entry's `titles:`), where the
    # shop's titles spell the concept one way and a reader means that spelling (Online Retail's
    # cake stand is its CAKESTAND line); a concept without it: every word that a title has
    titles: dict[str, list[str]] = field(default_factory=dict)
    # dimension -> stored value -> other names people use for it (catalog `value_names:`)
    value_names: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # the catalog's other languages (`languages:`), read before a question is parsed
    readings: Any = None

    def add(self, name: str, words: list[str]) -> None:
        from shopql.nlq.languages import fold

        kept = self.concepts.setdefault(name, [])
        for word in words:
            said = normalise(word)
            # a word with accents is found written without them too (relógios, relogios)
            for key in dict.fromkeys([said, fold(said) if is_latin(said) else said]):
                if key and key not in kept:
                    kept.append(key)
                    self.by_word.setdefault(key, []).append(name)

    def synonyms(self, word: str) -> list[str]:
        """Every word of every concept `word` belongs to (itself first); [] when it is in none."""
        key = normalise(word)
        out: list[str] = []
        for concept in self.by_word.get(key, []):
            for w in [key, *self.concepts[concept]]:
                if w not in out:
                    out.append(w)
        return out

    def title_words(self, word: str) -> list[str] | None:
        """The words of `word`'s concepts that may find titles; None: every one of them."""
        key = normalise(word)
        concepts = self.by_word.get(key, [])
        if not any(c in self.titles for c in concepts):
            return None
        out: list[str] = []
        for concept in concepts:
            for w in self.titles.get(concept, self.concepts[concept]):
                if w not in out:
                    out.append(w)
        return out

    def words_longest_first(self) -> list[str]:
        return sorted(self.by_word, key=len, reverse=True)

    def __getstate__(self) -> dict[str, Any]:
        """The fields only: the answers title_spellings keeps with it are not cached on disk."""
        kept = ("_title_spellings", "_words_by_character")
        return {k: v for k, v in self.__dict__.items() if k not in kept}


def load_glossary(catalog_dir: Path | None) -> tuple[Glossary, list[Issue]]:
    """The glossary of the workspace's catalog YAML, else of the default pack."""
    issues: list[Issue] = []
    glossary = Glossary()
    by_language: dict[str, list[str]] = {}
    seen: dict[str, str] = {}  # concept -> the file it was first defined in
    for obj, where in catalog_section(catalog_dir, "glossary", issues):
        name = obj.get("name") if isinstance(obj, dict) else None
        if not isinstance(name, str) or not name:
            issues.append(Issue("error", "every glossary entry needs a `name`", where))
            continue
        words: list[str] = []
        for lang, value in obj.items():
            if lang in ("name", "titles"):
                continue
            if not isinstance(value, list):
                issues.append(Issue("error", f"glossary {name}: `{lang}` must be a list", where))
                continue
            words += [str(v) for v in value if v is not None]
            by_language.setdefault(lang, []).extend(str(v) for v in value if v is not None)
        if name in glossary.concepts and seen.get(name) == where.file:
            issues.append(Issue("error", f"glossary {name} is defined twice", where))
        # a concept named in two files is one concept, its words joined: the user's own file
        # (glossary_mine.yaml, `catalog glossary --write`) adds to the pack's entry of that name
        seen.setdefault(name, where.file)
        glossary.add(name, words)
        titles = obj.get("titles")
        if titles is not None:
            kept = glossary.concepts[name]
            said = [normalise(str(t)) for t in titles] if isinstance(titles, list) else []
            if not said or any(t not in kept for t in said):
                issues.append(
                    Issue("error", f"glossary {name}: `titles` must list words of the entry", where)
                )
            else:
                glossary.titles[name] = said
    _load_value_names(catalog_dir, glossary, issues)
    by_language["*"] = [
        str(w)
        for values in glossary.value_names.values()
        for value, names in values.items()
        for w in (value, *names)
    ]
    from shopql.nlq.languages import load

    glossary.readings = load(catalog_dir, issues, by_language)
    return glossary, issues


def _load_value_names(catalog_dir: Path | None, glossary: Glossary, issues: list[Issue]) -> None:
    """The catalog's `value_names:` — nicknames and other names of a dimension's stored values
    (拼夕夕 = pinduoduo, 独立站 = shopify): {dimension, value, names: [...]}."""
    for obj, where in catalog_section(catalog_dir, "value_names", issues):
        ok = isinstance(obj, dict) and all(
            isinstance(obj.get(k), str) for k in ("dimension", "value")
        )
        names = obj.get("names") if isinstance(obj, dict) else None
        if not ok or not isinstance(names, list):
            issues.append(
                Issue("error", "every value_names entry needs dimension, value, names", where)
            )
            continue
        kept = glossary.value_names.setdefault(obj["dimension"], {}).setdefault(obj["value"], [])
        kept += [
            normalise(str(n)) for n in names if n is not None and normalise(str(n)) not in kept
        ]


def category_names(glossary: Glossary, value: str, names: list[str]) -> list[str]:
    """More names for a stored category value: the words of every glossary concept that names
    the value or one of its known names (its English translation)."""
    out: list[str] = []
    for known in [value, *names]:
        for word in glossary.synonyms(known) or glossary.synonyms(known.replace("_", " ")):
            if word not in out and word != normalise(value):
                out.append(word)
    return out


def in_titles(word: str, haystack: str, lower: str) -> str | None:
    """`word` as the titles write it (LIKE is case-sensitive), or None when no title has it."""
    if word in haystack:
        return word
    if not is_latin(word) and not word.isupper() and word.upper() != word:  # "t恤": T恤
        at = lower.find(word)
        if at >= 0 and len(lower) == len(haystack):
            return haystack[at : at + len(word)]
    if is_latin(word) and word.lower() in lower:  # any whole-word occurrence, not only the first
        bounded = r"(?<![a-z0-9])" + re.escape(word.lower()) + r"(?![a-z0-9])"
        found = re.search(bounded, lower)  # "heart" is in "SWEETHEART" before "HEART T-LIGHT"
        if found:
            return haystack[found.start() : found.end()]
    return None


def title_spellings(
    glossary: Glossary, word: str, haystack: str, lower: str | None = None
) -> tuple[str, ...]:
    """The spellings of `word`'s concept (any language) that occur in some product title
    (`lower`: the titles in lower case, when the caller has it).

    A pure function of the glossary's words and the titles: each answer is kept with the
    glossary (per word and titles; dropped when the glossary's size changes). Reading a Chinese
    run asks it of every substring, and each asking compared the substring with every word of
    the glossary (_inside_another): a fifth of the offline engine's time on the dev sets."""
    lower = haystack.lower() if lower is None else lower
    size = (len(glossary.concepts), len(glossary.by_word), len(glossary.titles))
    kept = glossary.__dict__.get(_SPELLINGS)
    if kept is None or kept[0] != size or len(kept[1]) > _MAX_SPELLINGS:
        kept = glossary.__dict__[_SPELLINGS] = (size, {})
    answers: dict[tuple[str, str, str], tuple[str, ...]] = kept[1]
    key = (word, haystack, lower)
    spellings = answers.get(key)
    if spellings is None:
        spellings = answers[key] = _title_spellings(glossary, word, haystack, lower)
    return spellings


_SPELLINGS = "_title_spellings"  # a glossary's kept answers (never pickled: Glossary.__getstate__)
_MAX_SPELLINGS = 100_000


def _title_spellings(glossary: Glossary, word: str, haystack: str, lower: str) -> tuple[str, ...]:
    found: list[str] = []
    own = glossary.synonyms(word) or [normalise(word)]
    allowed = glossary.title_words(word)
    for synonym in own:
        if allowed is not None and synonym not in allowed:
            continue  # a way to say the concept that its titles do not use (cake stand: CAKESTAND)
        if _inside_another(glossary, synonym, own, haystack, lower):
            continue  # 枕 (pillow) inside 抱枕套 (cushion cover): a near miss, not a spelling
        hit = in_titles(synonym, haystack, lower)
        if hit and hit not in found and not any(f in hit for f in found):
            found = [f for f in found if hit not in f] + [hit]
    return tuple(found)


def _inside_another(
    glossary: Glossary, spelling: str, own: list[str], haystack: str, lower: str
) -> bool:
    """`spelling` is inside another concept's word that the titles use, not as its head (枕 in
    抱枕套, a cover), so a LIKE on it would match that concept's products too. As the head (灯 in
    落地灯: a floor lamp is a lamp) it is the broader word, and stays."""
    if is_latin(spelling):
        return False  # Latin spellings match whole words only (in_titles)
    # only the words holding the spelling's first character can hold the spelling
    words = _words_by_character(glossary).get(spelling[0], ()) if spelling else glossary.by_word
    return any(
        spelling in other
        and not other.endswith(spelling)
        and other not in own
        and in_titles(other, haystack, lower)
        for other in words
        if len(other) > len(spelling)
    )


def _words_by_character(glossary: Glossary) -> dict[str, list[str]]:
    """Character -> the glossary's words holding it (in the glossary's order), made once per
    glossary (again when its size changes): _inside_another compared a substring of the question
    with every word of the glossary, thousands, for each substring of a Chinese run."""
    size = (len(glossary.concepts), len(glossary.by_word), len(glossary.titles))
    kept = glossary.__dict__.get(_BY_CHARACTER)
    if kept is None or kept[0] != size:
        index: dict[str, list[str]] = {}
        for word in glossary.by_word:
            for character in dict.fromkeys(word):
                index.setdefault(character, []).append(word)
        kept = glossary.__dict__[_BY_CHARACTER] = (size, index)
    return kept[1]


_BY_CHARACTER = "_words_by_character"  # never pickled either (Glossary.__getstate__)


# -- suggestions --------------------------------------------------------------------------------

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]{2,}")


@dataclass
class Suggestion:
    name: str
    words: dict[str, list[str]]
    why: str

    def yaml(self) -> str:
        langs = ", ".join(f"{k}: [{', '.join(map(_flow, v))}]" for k, v in self.words.items())
        return f"  - {{name: {self.name}, {langs}}}  # {self.why}"


def _flow(word: str) -> str:
    """A word as a YAML flow-sequence item (quoted when YAML would read it otherwise)."""
    if re.search(r"[,:\[\]{}#&*!|>'\"%@`]", word) or word.lower() in (
        "yes",
        "no",
        "on",
        "off",
        "null",
    ):
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return word


MINE = "glossary_mine.yaml"  # the workspace's own entries, beside the pack's glossary.yaml


def write_suggestions(catalog_dir: Path, suggestions: list[Suggestion]) -> Path:
    """Append `suggestions` to the workspace's own glossary file, catalog/glossary_mine.yaml
    (made on first use): the pack's glossary.yaml stays as shipped, so `catalog upgrade` can
    still bring it up to a newer shopql's, and an entry of the same name there gains these words."""
    target = catalog_dir / MINE
    if not target.exists():
        catalog_dir.mkdir(parents=True, exist_ok=True)
        target.write_text(
            "# Your own value glossary entries (shopql catalog glossary --suggest --write adds\n"
            "# here); read with catalog/glossary.yaml, whose entries of the same name they extend.\n"
            "glossary:\n",
            encoding="utf-8",
        )
    text = target.read_text(encoding="utf-8")
    lines = [s.yaml() for s in suggestions]
    added = ("" if text.endswith("\n") else "\n") + "\n".join(lines) + "\n"
    target.write_text(text + added, encoding="utf-8")
    return target


def suggest_entries(warehouse: Path, glossary: Glossary, limit: int = 30) -> list[Suggestion]:
    """`suggest` over the warehouse file, read-only."""
    from shopql.warehouse.connection import open_reader

    con = open_reader(warehouse)
    try:
        return suggest(con, glossary, limit)
    finally:
        con.close()


def suggest(con: Any, glossary: Glossary, limit: int = 30) -> list[Suggestion]:
    """Entries the glossary lacks, read from the warehouse (titles and category names)."""
    out = _category_suggestions(con, glossary)
    out += _pair_suggestions(con, glossary)
    out += _title_word_suggestions(
        con, glossary, {w for s in out for ws in s.words.values() for w in ws}
    )
    return out[:limit]


def _category_suggestions(con: Any, glossary: Glossary) -> list[Suggestion]:
    try:
        rows = con.execute(
            "SELECT DISTINCT category, name_en, name_zh FROM category_names ORDER BY 1"
        ).fetchall()
    except Exception:
        return []
    out = []
    for category, en, zh in rows:
        names = [n for n in (category, en, zh) if n]
        if any(glossary.synonyms(n) for n in names):
            continue
        words = {"pt" if en and category != en else "en": [str(category)]}
        if en and en != category:
            words["en"] = [str(en), str(en).replace("_", " ")]
        if zh:
            words["zh"] = [str(zh)]
        out.append(Suggestion(f"cat_{_key(str(en or category))}", words, "category translation"))
    return out


def _pair_suggestions(con: Any, glossary: Glossary) -> list[Suggestion]:
    """Words that co-occur in the Chinese and the English titles of one product (same SPU or
    seller code), scored by how often they do so against how often each occurs (Dice)."""
    try:
        rows = con.execute(
            "SELECT coalesce(spu_id, outer_code, product_id) AS k, list(DISTINCT title) "
            "FROM products WHERE title IS NOT NULL GROUP BY 1"
        ).fetchall()
    except Exception:
        return []
    pairs: Counter[tuple[str, str]] = Counter()
    zh_n: Counter[str] = Counter()  # products whose titles use the word, over all products
    en_n: Counter[str] = Counter()
    for _, titles in rows:
        zh_words = {w for t in titles for w in _CJK_RUN.findall(t)}
        en_words = {w.lower() for t in titles for w in _LATIN_WORD.findall(t)}
        zh_n.update(zh_words)
        en_n.update(en_words)
        pairs.update((z, e) for z in zh_words for e in en_words)
    scored = sorted(
        ((2 * n / (zh_n[z] + en_n[e]), n, z, e) for (z, e), n in pairs.items() if n >= 2),
        key=lambda t: (-t[0], -t[1], t[2], t[3]),
    )
    used_zh: set[str] = set()
    used_en: set[str] = set()
    out = []
    for score, _, z, e in scored:  # one-to-one, best pairs first
        if score < 0.6 or z in used_zh or e in used_en:
            continue
        used_zh.add(z)
        used_en.add(e)
        if glossary.synonyms(z) and glossary.synonyms(e):
            continue
        why = f"co-occur in the titles of {pairs[(z, e)]} products (dice {score:.2f})"
        out.append(Suggestion(_key(e), {"en": [e], "zh": [z]}, why))
    return out


def _title_word_suggestions(con: Any, glossary: Glossary, taken: set[str]) -> list[Suggestion]:
    """Title words (space-separated Chinese segments) in several titles that no concept covers;
    the English word is left for the user to fill in."""
    try:
        rows = con.execute(
            "SELECT DISTINCT coalesce(clean_title, title) FROM products WHERE title IS NOT NULL"
        ).fetchall()
    except Exception:
        return []
    counts: Counter[str] = Counter()
    for (title,) in rows:
        counts.update({seg for seg in str(title).split() if _CJK_RUN.fullmatch(seg)})
    common = {w for w, n in counts.items() if n >= max(3, len(rows) // 2)}  # the brand name
    out: list[Suggestion] = []
    for word, n in counts.most_common():
        if n < 2 or word in common or word in taken or _covered(glossary, word):
            continue
        out.append(
            Suggestion(
                f"title_{len(out) + 1}",
                {"en": [], "zh": [word]},
                f"in {n} titles: add the English word",
            )
        )
    return out


def _covered(glossary: Glossary, segment: str) -> bool:
    return any(len(w) >= 2 and w in segment for w in glossary.by_word if not is_latin(w))


def _key(word: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", word.lower()).strip("_")
    return key if key and key[0].isalpha() else f"w_{key}"
