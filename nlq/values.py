"""The value index: warehouse values a question may name ("广东" → province '广东省', "天猫" →
platform 'tmall', a category, a product), with their aliases, and fuzzy matching for the rest.

Only non-PII columns are indexed, so nothing personal ever reaches a prompt. The index is built
with one DISTINCT query per column and cached in the workspace, keyed by the warehouse's version.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shopql.nlq.glossary import Glossary, category_names, title_spellings
from shopql.nlq.lexicon import AMOUNT_WORDS
from shopql.nlq.lexicon import HARMLESS as HARMLESS_LATIN
from shopql.nlq.linking import (
    STOPWORDS_EN,
    Mention,
    Term,
    Vocabulary,
    find_spans,
    is_latin,
    normalise,
)
from shopql.nlq.names import (
    BRAZIL_STATES,
    BRAZIL_STATES_ZH,
    CHANNEL_ALIASES,
    COUNTRY_DEMONYMS,
    COUNTRY_NAMES,
    DEMONYM_PEOPLE,
    PLATFORM_ALIASES,
    PROVINCE_PINYIN,
    PROVINCE_SUFFIXES,
    STATUS_ALIASES,
)

# (dimension, SQL giving one text column of candidate values, how many distinct values at most)
SOURCES: tuple[tuple[str, str, int], ...] = (
    ("platform", "SELECT DISTINCT platform FROM orders", 100),
    ("status", "SELECT DISTINCT status FROM orders", 100),
    ("payment_channel", "SELECT DISTINCT payment_channel FROM orders", 200),
    (
        "province",
        "SELECT DISTINCT province FROM orders UNION SELECT DISTINCT province FROM customers",
        500,
    ),
    ("city", "SELECT DISTINCT city FROM customers", 10_000),
    ("member_level", "SELECT DISTINCT member_level FROM customers", 100),
    (
        "category",
        "SELECT DISTINCT category FROM order_items UNION SELECT DISTINCT category FROM products",
        2_000,
    ),
    ("brand", "SELECT DISTINCT brand FROM products", 2_000),
    (
        "product_title",
        # a line sold at no price carries a stock note ("thrown away-can't sell"), not a title
        # the titles as the filter reads them (product_title: the clean title, without the
        # variant text): a word only the variant says ("颜色分类:驼色") is no title word (D, session
        # 44: 上个月驼色的销量 was 0 units, the clean titles never holding 驼色)
        "SELECT DISTINCT coalesce(clean_title, title) FROM products UNION"
        " SELECT DISTINCT coalesce(clean_title, title) FROM order_items"
        " WHERE coalesce(unit_price, 1) > 0",
        20_000,
    ),
    # the colours lines sold (their variant's colour:…, else the listing's): 驼色的销量
    (
        "sold_colour",
        "SELECT DISTINCT nullif(regexp_extract(variant, 'colour:([^;]+)', 1), '') FROM order_items"
        " UNION SELECT DISTINCT colour FROM products",
        500,
    ),
    # seller codes people type ("22423", "85123A"): codes with a digit, 5+ characters (not years)
    (
        "outer_code",
        "SELECT DISTINCT outer_code FROM order_items WHERE product_id IS NOT NULL"
        " UNION SELECT DISTINCT outer_code FROM products",
        20_000,
    ),
    ("shop_name", "SELECT DISTINCT name FROM shops", 500),
    # canonical status and the export's own name for it ("refunded\tcancellation invoice"): not
    # phrases, read by nlq/valuewords.py to catch a status word the export uses for another status
    (
        "status_raw",
        "SELECT DISTINCT status || chr(9) || raw_status FROM orders WHERE raw_status IS NOT NULL",
        500,
    ),
    # person tags (shopql tags): the eight RFM segment names, lifecycle stages, preferences
    ("rfm_segment", "SELECT DISTINCT rfm_segment FROM person_tags", 20),
    ("rfm_segment_en", "SELECT DISTINCT rfm_segment_en FROM person_tags", 20),
    ("lifecycle", "SELECT DISTINCT lifecycle FROM person_tags", 20),
    ("price_band", "SELECT DISTINCT price_band FROM person_tags", 20),
)
LIFECYCLE_ALIASES = {
    "new": ["新客", "新客户", "new customers"],
    "active": ["活跃客户", "active customers"],
    "at_risk": ["流失预警", "流失预警客户", "at risk", "at-risk"],
    "lapsed": [
        *("已流失", "流失客户", "流失用户", "流失买家", "沉睡客户", "沉睡用户", "沉睡买家"),
        *("休眠客户", "lapsed customers", "lapsed buyers", "dormant customers", "lapsed"),
    ],
    "won_back": ["回流", "回流客户", "won back"],
}
CATEGORY_NAMES = "SELECT category, name_en, name_zh FROM category_names"

ALIASES = {
    "platform": PLATFORM_ALIASES,
    "status": STATUS_ALIASES,
    "payment_channel": CHANNEL_ALIASES,
    "lifecycle": LIFECYCLE_ALIASES,
}
# Low weights: a value never beats a metric or dimension spelled the same way.
WEIGHTS = {"platform": 5, "status": 4, "province": 4, "category": 3, "payment_channel": 3}


@dataclass
class ValueIndex:
    """dimension -> stored values, plus extra names per value (category translations)."""

    values: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"values": self.values, "names": self.names}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ValueIndex:
        data = json.loads(text)
        return cls(values=data["values"], names=data["names"])

    def add_to(self, vocabulary: Vocabulary, glossary: Glossary | None = None) -> None:
        """Add every value and its aliases to `vocabulary` as value terms (a category also
        under every word of its glossary concepts)."""
        for dim in ALIASES:  # known names even before any data mentions them
            for value, aliases in ALIASES[dim].items():
                if value in self.values.get(dim, []) or not self.values.get(dim):
                    vocabulary.add_all(aliases, Term("value", dim, value, WEIGHTS.get(dim, 1)))
        for dim, values in self.values.items():
            weight = WEIGHTS.get(dim, 1)
            for value in values:
                term = Term("value", dim, value, weight)
                names = self.names.get(dim, {}).get(value, [])
                if glossary is not None and dim == "category":
                    names = names + category_names(glossary, value, names)
                if dim == "category":  # "furniture/decor", "bed/bath/table": the words joined
                    names = names + [n.replace("_", "/") for n in names if "_" in n]
                    names = names + joined_names(names)
                for phrase in phrases_for(dim, value) + names:
                    vocabulary.add(phrase, term)
        self._add_value_names(vocabulary, glossary)

    def _add_value_names(self, vocabulary: Vocabulary, glossary: Glossary | None) -> None:
        """The catalog's other names of stored values (拼夕夕 = pinduoduo), where the value is."""
        for dim, named in getattr(glossary, "value_names", {}).items():
            for value, names in named.items():
                if value in self.values.get(dim, []):
                    vocabulary.add_all(names, Term("value", dim, value, WEIGHTS.get(dim, 1)))


def joined_names(names: list[str]) -> list[str]:
    """A category's English name of several words said as a list ("health & beauty", "health
    and beauty", "bed, bath and table" for health_beauty, bed_bath_table): one category, the
    words of its own name joined by "&" / "and" before the last (f, session 31: the unplaced
    'health' of four sets). Only the value's own names, so two categories said with "and"
    ("toys and baby") stay two values."""
    out: list[str] = []
    for name in names:
        parts = re.split(r"[_ ]+", name.strip())
        if len(parts) < 2 or not all(p.isascii() and p.isalpha() for p in parts):
            continue
        for head in (" ".join(parts[:-1]), ", ".join(parts[:-1])):
            for joint in (" & ", " and "):
                said = head + joint + parts[-1]
                if said not in out and said not in names:
                    out.append(said)
    return out


BUILTIN = {dim for dim, _, _ in SOURCES}
GENERIC_CAP = 300  # a categorical column with more distinct values is not a value list
_COUNTRY_BY_NAME = {n: code for code, names in COUNTRY_NAMES.items() for n in names}


def catalog_sources(catalog: Any) -> list[tuple[str, str, int]]:
    """Value sources for every other categorical dimension of the catalog that is one plain
    text column of its model's table and not personal data (the policy's PII classes): sales
    region, country, refund status and reason, payment status, event type, warehouse …"""
    from shopql.warehouse.policy import pii_columns

    pii = pii_columns(catalog)
    known = set(BUILTIN)
    out: list[tuple[str, str, int]] = []
    for model in catalog.models.values():
        table = catalog.tables.get(model.table or _read_table(model.sql))
        for dim in model.dimensions.values() if table is not None else ():
            col = table.columns.get(dim.expr) if dim.expr.isidentifier() else None
            if dim.type != "categorical" or dim.name in known or col is None or col.pii:
                continue
            if pii.get(table.name, {}).get(col.name) or col.name == "one_id":
                continue
            if col.name.endswith(("_id", "_key", "code")) or (col.type or "VARCHAR") != "VARCHAR":
                continue
            known.add(dim.name)
            out.append((dim.name, f'SELECT DISTINCT "{col.name}" FROM "{table.name}"', GENERIC_CAP))
    return out


def _read_table(sql: str | None) -> str:
    """The one table a model's SQL reads (the inventory's latest snapshot), else ''. Tables read
    only inside its WITH clause (the products a stock row is looked up in) are not its own."""
    text = (sql or "").lower()
    ctes: set[str] = set()
    head = re.match(r"\s*with\s+", text)
    while head is not None:  # "WITH codes AS (…), more AS (…) SELECT …": skip each body
        name = re.match(r"([a-z_][a-z0-9_]*)\s+as\s*\(", text[head.end() :])
        if name is None:
            return ""
        ctes.add(name.group(1))
        depth, end = 0, len(text)
        for i in range(head.end() + name.end() - 1, len(text)):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            if depth == 0:
                end = i
                break
        text = text[end + 1 :]
        head = re.match(r"\s*,\s*", text)
    tables = set(re.findall(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)", text)) - ctes
    return tables.pop() if len(tables) == 1 else ""


def _generic_phrases(dim: str, value: str) -> list[str]:
    """How people write a value of a catalog-described column: itself when it reads as a word
    (Latin: 4+ letters, so ISO codes and short English words are not values), country names."""
    phrases = [p for p in (value, value.replace("_", " ")) if not is_latin(p) or len(p) >= 4]
    head = _QUALIFIER.sub("", value)  # "华东仓(嘉兴)" is said 华东仓: the name before its qualifier
    if head != value and (not is_latin(head) and len(head) >= 2 or len(head) >= 4):
        phrases.append(head)
        # "华南仓(东莞)" is also said 东莞仓: the place in brackets with the kind its name ends in
        place = value[len(head) :].strip().strip("()（）").strip()
        if len(head) >= 2 and len(place) >= 2 and _CJK_ONLY.fullmatch(head + place):
            phrases.append(place + head[-1])
    if dim == "country":
        code = value.upper() if len(value) == 2 else _COUNTRY_BY_NAME.get(value.lower(), "")
        phrases += COUNTRY_NAMES.get(code, [])
        if code in COUNTRY_DEMONYMS:  # "french customers": France's buyers
            phrases += [f"{COUNTRY_DEMONYMS[code]} {noun}" for noun in DEMONYM_PEOPLE]
    return [p for p in dict.fromkeys(phrases) if normalise(p) not in STOPWORDS_EN]


_QUALIFIER = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")
_CJK_ONLY = re.compile(r"[\u4e00-\u9fff]+")
CITY_SUFFIXES = ("市",)  # 成都市 is said 成都


def phrases_for(dim: str, value: str) -> list[str]:
    """How people write `value`: itself, without underscores, short province names, …"""
    if dim not in BUILTIN:
        return _generic_phrases(dim, value)
    if dim == "status_raw":
        return []
    if dim == "outer_code":
        code = value.strip()
        return [code] if len(code) >= 5 and any(c.isdigit() for c in code) else []
    phrases = [value]
    if "_" in value:
        phrases.append(value.replace("_", " "))
    if dim == "province":
        phrases += [
            value[: -len(s)]
            for s in PROVINCE_SUFFIXES
            if value.endswith(s) and len(value) > len(s) + 1
        ]
        phrases += [PROVINCE_PINYIN[p] for p in list(phrases) if p in PROVINCE_PINYIN]
        if value.upper() in BRAZIL_STATES:
            state = BRAZIL_STATES[value.upper()]
            phrases += [state, _ascii(state)]
            zh = BRAZIL_STATES_ZH.get(value.upper())
            phrases += [zh, zh + "州"] if zh else []
            if len(value) == 2:
                phrases = [p for p in phrases if p != value] + [value.upper()]
    if dim == "city":
        phrases.append(_ascii(value))
        phrases += [value[: -len(s)] for s in CITY_SUFFIXES if value.endswith(s) and len(value) > 2]
    return [
        p
        for p in phrases
        if len(p) >= 2
        and not (dim == "product_title" and len(p) < 3)
        and not (dim == "city" and len(p) < 3 and is_latin(p))  # Latin: not a short code
    ]


def _ascii(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def build_index(con: Any, extra: tuple[tuple[str, str, int], ...] = ()) -> ValueIndex:
    """Read the indexable values from an open warehouse connection (`extra`: more sources,
    from the catalog)."""
    index = ValueIndex()
    for dim, sql, cap in (*SOURCES, *extra):
        try:
            rows = con.execute(f"SELECT * FROM ({sql}) v WHERE 1=1 LIMIT {cap + 1}").fetchall()
        except Exception:  # a column a future schema lacks: skip it
            continue
        values = [str(r[0]) for r in rows if r[0] is not None and str(r[0]).strip()]
        if values and len(values) <= cap:
            index.values[dim] = sorted(set(values))
    try:
        rows = con.execute(CATEGORY_NAMES).fetchall()
    except Exception:
        rows = []
    names = index.names.setdefault("category", {})
    for category, en, zh in rows:
        known = [str(n) for n in (en, zh) if n]
        known += [n.replace("_", " ") for n in known if "_" in n]
        names.setdefault(str(category), []).extend(known)
    return index


def data_version(con: Any) -> str:
    """Changes whenever a sync loads a file (the audit trail's writes do not count)."""
    try:
        row = con.execute(
            "SELECT max(file_id), count(*), sum(rows_loaded) FROM _sync_files"
        ).fetchone()
    except Exception:  # no bookkeeping table: never trust a cache
        return ""
    try:  # a tag refresh (after OneID) changes the tag values without a sync
        tags = con.execute("SELECT count(*) FROM _tag_runs").fetchone()
    except Exception:
        tags = None
    try:  # a migration can move values between columns without a sync
        schema = con.execute("SELECT value FROM _meta WHERE key = 'schema_version'").fetchone()
    except Exception:
        schema = None
    return "-".join(str(v) for v in (*(row or ()), *(tags or ()), *(schema or ())))


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` so a concurrent reader sees the old file or the new one, whole."""
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_index(
    con: Any,
    cache: Path | None,
    extra: tuple[tuple[str, str, int], ...] = (),
    version: str | None = None,
) -> ValueIndex:
    """The value index of the warehouse behind `con`, from `cache` while no sync has run since
    (and the catalog's sources are the same). `version`: `data_version(con)`, when the caller
    has read it already."""
    version = data_version(con) if version is None else version
    if version:  # the value sources are part of what the cache holds
        import hashlib

        version += "-" + hashlib.sha1(repr((SOURCES, extra)).encode()).hexdigest()[:12]
    if cache is not None and version:
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
            if data.get("version") == version:
                return ValueIndex(values=data["index"]["values"], names=data["index"]["names"])
        except (OSError, ValueError, KeyError):
            pass
    index = build_index(con, extra)
    if cache is not None and version:
        try:
            cache.parent.mkdir(exist_ok=True)
            payload = {"version": version, "index": {"values": index.values, "names": index.names}}
            write_atomically(cache, json.dumps(payload, ensure_ascii=False))
        except OSError:
            pass  # a read-only workspace still answers, just without the cache
    return index


_KEYWORD_STOP = {
    "商品",
    "产品",
    "客户",
    "买家",
    "顾客",
    "用户",
    "购买",
    "买了",
    "销售",
    "订单",
    "没有",
    "但是",
}
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def keyword_matcher(
    titles: list[str], glossary: Glossary | None = None
) -> Callable[[str, str], list[Mention]]:
    """Words left over that occur inside product titles ("沙发", "sofa" → 沙发) become keyword
    mentions: a `product_title like '%word%'` filter (one pattern per spelling the titles use of
    the word's glossary concept, any of which matches). A glossary word whose concept no title
    uses stays unexplained: a near neighbour (边几 for 茶几) is never taken instead."""
    haystack = "\n".join(titles)
    lower = haystack.lower()
    words = Glossary() if glossary is None else glossary
    # Latin words, and words mixing Latin letters with Chinese ("T恤": no run of Chinese alone)
    latin = [w for w in words.words_longest_first() if is_latin(w) or _mixed(w)]

    def mention(text: str, start: int, end: int, spellings: tuple[str, ...]) -> Mention:
        value: Any = spellings[0] if len(spellings) == 1 else spellings
        term = Term("keyword", "product_title", value, 2)
        return Mention(text[start:end], start, end, term, fuzzy=True)

    def match(rest: str, text: str) -> list[Mention]:
        if not haystack:
            return []
        found: list[Mention] = []
        taken = rest
        for i, j, said in _title_phrases(taken, lower, words):  # "recipe box", "cake tins"
            found.append(mention(text, i, j, (as_written(said, haystack),)))
            taken = taken[:i] + " " * (j - i) + taken[j:]
        for word in latin:  # glossary phrases first, longest first ("coffee table" before "table")
            if word not in taken:
                continue
            for i, j in find_spans(taken, word):
                spellings = title_spellings(words, word, haystack, lower)
                if spellings:
                    found.append(mention(text, i, j, spellings))
                taken = taken[:i] + " " * (j - i) + taken[j:]
        for m in _LATIN_GRAM.finditer(taken):
            word = m.group()
            if _HOW_MUCH.search(taken[: m.start()]) or word in AMOUNT_WORDS:
                continue  # "how much …", "spent the most money": the amount, not MONEY BOX's
            if len(word) >= 4 and word not in STOPWORDS_EN and _in_words(word, lower):
                found.append(mention(text, m.start(), m.end(), (as_written(word, haystack),)))
        for run in _CJK_RUN.finditer(rest):
            found += _cjk_keywords(
                run.group(), run.start(), text, (haystack, lower), words, mention
            )
        glossed = _glossed(found, text, haystack, mention, rest)
        return [_with_stuff(m, text, mention) for m in glossed]

    return match


# "野餐的东西", "picnic 相关的东西": the things the product word names (its keyword says which);
# pointed at (D, session 43): "果酱制作（JAM MAKING）那套东西", "沙发这类商品", "LUNCH BAG 那些货" —
# 那 / 这 with a measure word of a kind or a set, before the things (套 may stand alone: 那套)
_STUFF = re.compile(
    r"\s*(?:相关|有关|类|系列)?\s*的?\s*"
    r"(?:(?:东西|玩意儿?)|(?:那|这)\s*(?:一\s*)?(?:套|些|类|种|批|款|系列)\s*(?:的\s*)?"
    r"(?:东西|玩意儿?|货|商品|产品)|(?:那|这)\s*(?:一\s*)?套(?![餐房装]))"
)


def _with_stuff(m: Mention, text: str, mention: Any) -> Mention:
    stuff = _STUFF.match(text, m.end)
    if stuff is None or m.term.kind != "keyword":
        return m
    value = m.term.value
    return mention(text, m.start, stuff.end(), value if isinstance(value, tuple) else (value,))


_HOW_MUCH = re.compile(r"\bhow\s+much\s+$")
_LATIN_RUN = re.compile(r"[a-z0-9][a-z0-9'\-]*(?: [a-z0-9][a-z0-9'\-]*)+")


def _title_phrases(rest: str, lower: str, glossary: Glossary) -> list[tuple[int, int, str]]:
    """Latin words said side by side that the titles write side by side ("recipe box", "paper
    chain kit", "cake tins" for CAKE TIN): one keyword, the phrase as the titles write it (its
    last word singular when the titles have only that: "recipe boxes" finds RECIPE BOX). The
    longest such phrase of 2+ words wins; one the glossary knows whole is the glossary's (its
    other spellings: "cake stand" is CAKESTAND too). Short words ("box", "tin", "kit") are
    product words only in such a phrase."""
    out: list[tuple[int, int, str]] = []
    for run in _LATIN_RUN.finditer(rest):
        if _HOW_MUCH.search(rest[: run.start()]):
            continue
        words = [(m.start() + run.start(), m.end() + run.start(), m.group())
                 for m in _LATIN_GRAM.finditer(run.group())]  # fmt: skip
        i = 0
        while i < len(words) - 1:
            for j in range(len(words), i + 1, -1):
                said = _phrase_in_titles([w for _, _, w in words[i:j]], lower, glossary)
                if said is not None:
                    out.append((words[i][0], words[j - 1][1], said))
                    i = j
                    break
            else:
                i += 1
    return out


def _phrase_in_titles(words: list[str], lower: str, glossary: Glossary) -> str | None:
    """The phrase `words` as some title writes it (the last word, or its singular), or None."""
    frame = NOT_KEYWORDS | STOPWORDS_EN | HARMLESS_LATIN
    if words[0] in frame or words[-1] in frame or words[0].isdigit() or words[-1].isdigit():
        return None
    if any(w in NOT_KEYWORDS or w in HARMLESS_LATIN for w in words):
        return None
    phrase = " ".join(words)
    if phrase in glossary.by_word:
        return None
    last = words[-1]
    singular = [last[:-2], last[:-1]] if last.endswith("es") else [last[:-1]] * last.endswith("s")
    for end in [last, *singular]:
        said = " ".join([*words[:-1], end])
        if len(end) >= 3 and said in lower and _in_words_phrase(said, lower):
            return said
    return None


def _in_words_phrase(said: str, lower: str) -> bool:
    pattern = r"(?<![a-z0-9])" + re.escape(said) + r"(?:s|es)?(?![a-z0-9])"
    return re.search(pattern, lower) is not None


_OPEN, _CLOSE = re.compile(r"\s*[(（]\s*$"), re.compile(r"^\s*[)）]")
_GLOSS_GAP = re.compile(r"\s*(?:/|／)?\s*")


def _glossed(
    found: list[Mention], text: str, haystack: str, mention: Any, rest: str | None = None
) -> list[Mention]:
    """A product word with its gloss in brackets ("烛台(t-light holder)", "t-light holder
    (烛台)"): the Latin words say exactly which titles are meant, taken as written — not every
    spelling of the word's glossary concept (烛台 is also a candle holder). One keyword over
    the word and its bracket. `rest`: the text with the words other meanings took blanked."""
    found = sorted(found, key=lambda m: m.start)
    out: list[Mention] = []
    k = 0
    while k < len(found):
        a = found[k]
        b = found[k + 1] if k + 1 < len(found) else None
        headed = _named_twice_with_head(a, b, text, rest or text, haystack)
        if headed is not None:  # "圣诞树CHRISTMAS TREE": 树 is the Latin's TREE
            end, gloss = headed
            out.append(mention(text, a.start, end, (as_written(gloss, haystack),)))
            k += 2
            continue
        if b is not None and a.end <= b.start and _GLOSS_GAP.fullmatch(text[a.end : b.start]):
            said_a, said_b = text[a.start : a.end], text[b.start : b.end]
            same = _same_spellings(a, b)
            if same is not None and {_script(said_a), _script(said_b)} == {"latin", "cjk"}:
                # "雨衣PONCHO", "蛋糕架 cakestand": one concept said in both languages — one
                # keyword, every spelling of either (was: the same filter twice)
                out.append(mention(text, a.start, b.end, same))
                k += 2
                continue
            if {_script(said_a), _script(said_b)} == {"latin", "cjk"} and not _together(
                a, b, haystack
            ):
                # "杯子 MUG", "alarm clock 闹钟": a word and its other language side by side, one
                # product named twice (never two words in one title): the Latin as written
                glossed = _titles_side(said_a, said_b, haystack)
                out.append(mention(text, a.start, b.end, (as_written(glossed, haystack),)))
                k += 2
                continue
        if b is not None and _OPEN.search(text[a.end : b.start]) is not None:
            close = _CLOSE.match(text[b.end :])
            inner = text[b.start : b.end]
            first = text[a.start : a.end]
            latin = inner if is_latin(inner) else first if is_latin(first) else None
            if close is not None and latin is not None and is_latin(inner) != is_latin(first):
                side = _titles_side(first, inner, haystack)
                out.append(
                    mention(text, a.start, b.end + close.end(), (as_written(side, haystack),))
                )
                k += 2
                continue
            if close is not None and latin is None:  # "杯子(马克杯)": the bracket says which
                value = b.term.value
                spellings = value if isinstance(value, tuple) else (value,)
                out.append(mention(text, a.start, b.end + close.end(), spellings))
                k += 2
                continue
        out.append(a)
        k += 1
    return out


# a Chinese product word's head the glossary does not know (树 of 圣诞树), said right before or
# after its Latin gloss: one or two characters, the gloss possibly bracketed
_HEAD_BEFORE = re.compile(r"([\u4e00-\u9fff]{1,2})\s*([(（/／]\s*)?")
_HEAD_AFTER = re.compile(r"([\u4e00-\u9fff]{1,2})(?![\u4e00-\u9fff])\s*([)）])?")


def _named_twice_with_head(
    a: Mention, b: Mention | None, text: str, rest: str, haystack: str
) -> tuple[int, str] | None:
    """ "圣诞树CHRISTMAS TREE", "圣诞树 (christmas tree)", "christmas tree 圣诞树": a Chinese
    product word the glossary reads only in part (圣诞 → CHRISTMAS, 树 unknown) beside a Latin
    phrase the titles write that holds every spelling of the part read — one product named in
    both languages, the Latin as written (was: 树 not placed). The end of the one keyword and
    the Latin; None when the two are not that (a head another meaning took, a Latin phrase that
    does not hold the part read, two words of one title: "heart 圣诞")."""
    if b is None or a.end > b.start:
        return None
    first, second = text[a.start : a.end], text[b.start : b.end]
    lower = haystack.lower()
    if _script(first) == "cjk" and _script(second) == "latin":
        gap = _HEAD_BEFORE.fullmatch(rest, a.end, b.start)
        if gap is None:
            return None
        end = b.end
        if gap.group(2):  # "圣诞树(christmas tree)": the bracket closes after the Latin
            close = _CLOSE.match(text[b.end :])
            if close is None:
                return None
            end += close.end()
        cjk, latin = a, second
    elif _script(first) == "latin" and _script(second) == "cjk":
        if not _GLOSS_GAP.fullmatch(text[a.end : b.start]) and not _OPEN.search(
            text[a.end : b.start]
        ):
            return None
        head = _HEAD_AFTER.match(rest, b.end)
        if head is None:
            return None
        if _OPEN.search(text[a.end : b.start]) and not head.group(2):
            return None
        end, cjk, latin = head.end() if head.group(2) else head.end(1), b, first
    else:
        return None
    if latin.lower() not in lower:
        return None
    value = cjk.term.value
    spellings = value if isinstance(value, tuple) else (str(value),)
    if not all(s.lower() in latin.lower() for s in spellings):
        return None
    if len(latin.split()) <= max(len(s.split()) for s in spellings):
        return None  # "christmas 圣诞树": the Latin says nothing of the head (树)
    return end, latin


def _titles_side(first: str, second: str, haystack: str) -> str:
    """Of a product word and its gloss in the other language, the one the titles write: the
    Latin as written ("t-light holder (烛台)" on English titles), else the Chinese when only it is
    written there ("Silk quilts (蚕丝被)" on Chinese titles: was '%silk quilts%', no row)."""
    latin, cjk = (first, second) if is_latin(first) else (second, first)
    if latin.lower() not in haystack.lower() and cjk in haystack:
        return cjk
    return latin


def _same_spellings(a: Mention, b: Mention) -> tuple[str, ...] | None:
    """The spellings of two keywords whose titles are the same (each one's spellings the
    other's, case aside), or None."""

    def spellings(m: Mention) -> tuple[str, ...]:
        value = m.term.value
        return value if isinstance(value, tuple) else (str(value),)

    firsts, seconds = spellings(a), spellings(b)
    if {x.lower() for x in firsts} != {y.lower() for y in seconds}:
        return None
    return firsts


def _together(a: Mention, b: Mention, haystack: str) -> bool:
    """Some title has a spelling of each word ("heart 圣诞": HEART … CHRISTMAS): two words of
    one title; none has ("杯子 MUG": CUP and MUG never together): one product named twice."""

    def spellings(m: Mention) -> tuple[str, ...]:
        value = m.term.value
        return value if isinstance(value, tuple) else (str(value),)

    firsts, seconds = spellings(a), spellings(b)
    return any(
        any(x in title for x in firsts) and any(y in title for y in seconds)
        for title in haystack.split("\n")
    )


def _script(word: str) -> str:
    """latin (no Chinese), cjk (no Latin letter), or mixed ("t恤")."""
    if _CJK_RUN.search(word) is None and not re.search(r"[\u4e00-\u9fff]", word):
        return "latin"
    return "mixed" if re.search(r"[a-z]", word.lower()) else "cjk"


def _mixed(word: str) -> bool:
    """Latin letters and Chinese in one word ("t恤", "pvc管")."""
    return any("a" <= c <= "z" for c in word) and _CJK_RUN.search(word) is None


# Words of a question's frame, never a product: a title that happens to contain one ("PLACE
# SETTING", "LOVE ME MORE") does not make it a title filter; the word stays unexplained instead.
# fmt: off
NOT_KEYWORDS = {
    'place', 'placed', 'places', 'more', 'less', 'than', 'once', 'twice', 'times', 'first', 'last',
    'next', 'ever', 'never', 'again', 'still', 'only', 'just', 'also', 'even', 'best', 'worst',
    'most', 'least', 'highest', 'lowest', 'biggest', 'smallest', 'largest', 'number', 'amount',
    'total', 'value', 'values', 'average', 'people', 'person', 'customer', 'customers', 'buyer',
    'buyers', 'client', 'clients', 'order', 'orders', 'invoice', 'invoices', 'item', 'items',
    'product', 'products', 'unit', 'units', 'piece', 'pieces', 'stock', 'code', 'codes', 'price',
    'prices', 'quantity', 'quantities', 'sale', 'sales', 'revenue', 'country', 'countries', 'city',
    'month', 'months', 'week', 'weeks', 'year', 'years', 'day', 'days', 'today', 'yesterday',
    'date', 'time', 'every', 'other', 'another', 'same', 'different', 'between', 'about',
    'around', 'above', 'below', 'under', 'within', 'during', 'since', 'until', 'before', 'after',
    'share', 'rate', 'ratio', 'percent', 'percentage', 'growth', 'change', 'trend', 'ranking',
    'rank', 'when', 'where', 'have', 'make', 'come', 'came', 'back', 'return', 'returned',
    'returns', 'cancel', 'cancelled', 'canceled', 'purchase', 'purchases', 'purchased', 'spend',
    'like', 'want', 'need', 'look', 'some', 'none', 'both', 'either', 'single', 'many', 'much',
    'hundred', 'thousand', 'half', 'full', 'whole', 'each', 'per', 'with', 'without', 'from',
    # how busy a time was and the seasons: "least busy day" is no BUSY sign, "spring 2011 sales"
    # no SPRING FLOWER mug (a season the engine does not read stays unplaced: refused)
    'busy', 'busiest', 'quiet', 'quietest', 'slow', 'slowest', 'peak', 'season', 'seasons',
    'spring', 'summer', 'autumn', 'fall', 'winter',
    # a share's verb and a record said of a figure: "what share did the top 10 account for" is no
    # ACCOUNT BOOK, "the sales record for one day" no RECORD (left unplaced, or the share's verb)
    'account', 'accounts', 'accounted', 'record', 'records', 'represent', 'represents',
}
# ... and words of a question's frame when said alone, which a title phrase may hold: times of
# day, sizes and changes said of a figure, counts in words — "invoices placed at night" is no
# NIGHT filter, "high sales" no HIGH, "sales doubled" no DOUBLE, "three or more lines" no THREE,
# while "night light" or "double decker" said whole are still the titles that write them so
NOT_KEYWORDS_ALONE = {
    'night', 'nights', 'morning', 'mornings', 'evening', 'evenings', 'afternoon', 'midnight',
    'high', 'higher', 'double', 'doubled', 'triple', 'tripled', 'three', 'four', 'five', 'seven',
    'eight', 'nine', 'twelve', 'grow', 'grew', 'grown', 'growing', 'open', 'opened', 'closed',
    'lost', 'lose', 'rest', 'given', 'take', 'took', 'long', 'longer', 'line', 'lines', 'previous',
    'size', 'page', 'charge', 'charged', 'weekend', 'weekends', 'hour', 'hours', 'newest',
    'latest', 'older', 'oldest',
    # the goods in general: "avg unit price of stuff sold" is no STUFF filter, while a title
    # phrase said whole ("little things") still is
    'stuff', 'things', 'thing',
}
# fmt: on


def _in_words(word: str, lower: str) -> bool:
    """`word` starts a word of the titles (so "sold" is not taken from "soldiers"), a plural
    ending allowed after it ("heart" in "hearts")."""
    if word in HARMLESS_LATIN or word in NOT_KEYWORDS or word in NOT_KEYWORDS_ALONE:
        return False  # the question's frame, not a product
    pattern = r"(?<![a-z0-9])" + re.escape(word) + r"(?:s|es)?(?![a-z0-9])"
    return word in lower and re.search(pattern, lower) is not None


def as_written(word: str, haystack: str) -> str:
    """`word` with the letter case the titles use (LIKE is case-sensitive)."""
    i = haystack.lower().find(word.lower())
    return haystack[i : i + len(word)] if i >= 0 else word


def _cjk_keywords(
    run: str, offset: int, text: str, titles: tuple[str, str], glossary: Glossary, mention: Any
) -> list[Mention]:
    """The longest substrings (2+ characters) of a Chinese run that occur in some title, or
    whose glossary concept does in another language (for shops with English titles); `titles`:
    the titles joined, and in lower case."""
    found, i = [], 0
    skipped: list[tuple[int, int, str]] = []
    while i < len(run) - 1:
        for size in range(min(8, len(run) - i), 1, -1):
            word = run[i : i + size]
            if word in _KEYWORD_STOP:
                continue
            spellings = title_spellings(glossary, word, *titles)
            if spellings:
                found.append(mention(text, offset + i, offset + i + size, spellings))
                i += size
                break
            if word in glossary.by_word:  # a concept of its own no title has (圣诞节, the day):
                skipped.append((i, i + size, word))
                i += size  # its part (圣诞) is not what it means
                break
        else:
            if run[i] in glossary.by_word and run[i] not in _NOT_A_HEAD:
                # a one-character word (裤 in 阔腿裤, 灯 in 氛围灯): only ever a head right after a
                # keyword (_heads_of_a_keyword), never a keyword of its own
                skipped.append((i, i + 1, run[i]))
            i += 1
    last = run[-1:]  # the run's last character, when the loop stopped short of it (阔腿裤)
    if i == len(run) - 1 and last in glossary.by_word and last not in _NOT_A_HEAD:
        skipped.append((i, i + 1, last))
    return _heads_of_a_keyword(found, skipped, offset, text, titles[0], glossary, mention)


# one-character glossary words that are also grammar (被: the passive, 被退货; 包: 包邮, 包括)
_NOT_A_HEAD = frozenset("被包")


def _heads_of_a_keyword(
    found: list[Mention],
    skipped: list[tuple[int, int, str]],
    offset: int,
    text: str,
    haystack: str,
    glossary: Glossary,
    mention: Any,
) -> list[Mention]:
    """A glossary word no title was taken for (衬衫: a near miss of 衬衫裙, a shirt dress) said
    right after or before a keyword the titles do have (免烫衬衫: 免烫, non-iron), where every title
    holding the keyword holds the word too and none of them the near miss: the word only names
    what the keyword's titles are (the non-iron shirt) — one keyword over both, the keyword's
    titles. Elsewhere (衬衫 alone, or beside a keyword some of whose titles are not shirts) the
    word stays unplaced."""
    if not found or not skipped:
        return found
    lines = haystack.split("\n")
    out = []
    for m in found:
        value = m.term.value
        spellings = value if isinstance(value, tuple) else (str(value),)
        mine = [t for t in lines if any(sp in t for sp in spellings)]
        start, end = m.start, m.end
        for i, j, word in skipped:
            if offset + j != start and offset + i != end and text[end : offset + i] != "的":
                continue  # not right beside it (免烫的衬衫: its 的 between)
            if j - i == 1 and offset + i != end:
                continue  # one character names a head only right after the keyword (阔腿裤)
            longer = [w for w in glossary.by_word if word in w and w != word]
            if mine and all(word in t and not any(w in t for w in longer) for t in mine):
                start, end = min(start, offset + i), max(end, offset + j)
        out.append(m if (start, end) == (m.start, m.end) else mention(text, start, end, spellings))
    return out


_LATIN_GRAM = re.compile(r"[a-z0-9][a-z0-9'\-]*")


def fuzzy_matcher(
    vocabulary: Vocabulary, threshold: float = 88
) -> Callable[[str, str], list[Mention]]:
    """Fuzzy mentions of value phrases among the words exact linking left over (typos)."""
    latin: list[str] = []  # filled on the first question that has words left over

    def candidates() -> list[str]:
        if not latin:
            latin.extend(
                p
                for p, terms in vocabulary.terms.items()
                if terms[0].kind == "value" and len(p) >= 4 and is_latin(p)
            )
        return latin

    def match(rest: str, text: str) -> list[Mention]:
        found: list[Mention] = []
        words = [(m.start(), m.end(), m.group()) for m in _LATIN_GRAM.finditer(rest)]
        for n in (3, 2, 1):
            for k in range(len(words) - n + 1):
                start, end = words[k][0], words[k + n - 1][1]
                gram = normalise(rest[start:end])
                if len(gram) < 5 or any(f.start < end and start < f.end for f in found):
                    continue
                if gram != normalise(text[start:end]):
                    continue  # "on [avg] back": words apart in the question are no phrase
                said = gram.split()
                if all(w in STOPWORDS_EN for w in said):
                    continue
                if n > 1 and (said[0] in STOPWORDS_EN or said[-1] in STOPWORDS_EN):
                    continue  # "a t-light holder" is no typo of "STAR T-LIGHT HOLDER": an
                    # article scores like a title's first word; the words without it are tried
                from rapidfuzz import fuzz, process  # only when some word is left over

                best = process.extractOne(
                    gram, candidates(), scorer=fuzz.ratio, score_cutoff=threshold
                )
                if best:
                    term = vocabulary.terms[best[0]][0]
                    found.append(Mention(text[start:end], start, end, term, fuzzy=True))
        return found

    return match
