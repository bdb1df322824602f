"""Schema linking: find the catalog metrics, dimensions, tables and warehouse values a question
mentions.

A ``Vocabulary`` holds phrases (English and Chinese) with what each one means. ``link`` scans the
normalised question for the longest phrases first (word boundaries for Latin text, substrings for
Chinese), never letting two mentions overlap; what is left over is reported so an engine can say
what it did not understand.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, NamedTuple, TypeVar

# Words that carry no meaning for linking, in both languages.
STOPWORDS_EN = {
    "a",
    "an",
    "the",
    "of",
    "in",
    "on",
    "for",
    "by",
    "to",
    "and",
    "with",
    "what",
    "what's",
    "whats",
    "which",
    "who",
    "is",
    "are",
    "was",
    "were",
    "be",
    "me",
    "show",
    "give",
    "list",
    "tell",
    "how",
    "much",
    "many",
    "our",
    "my",
    "we",
    "do",
    "did",
    "does",
    "per",
    "each",
    "from",
    "at",
    "as",
    "their",
    "its",
    "it",
    "all",
    "there",
    "please",
    "get",
    "find",
    "total",
    "overall",
    "number",
    "count",
    "that",
    "this",
    "these",
    "those",
    "than",
    "over",
    "vs",
    "versus",
    "compared",
    "compare",
    "i",
    "us",
    "you",
    "s",
    "?",
    "only",
    "just",
    "also",
    "whose",
    "them",
    "broken",
    "down",
    "split",
    "during",
    "within",
    "across",
    "between",
    "into",
    "value",
    "values",
    "breakdown",
    "want",
    "see",
    "like",
    "would",
    "could",
    "can",
    "has",
    "have",
    "had",
    "been",
    "counts",  # "invoice counts per country"
    "actually",  # "how many products did we actually sell": an emphasis, nothing more
    "something",  # "bought something": bought
    "anything",
}
STOPWORDS_ZH = [
    "请问",
    "请",
    "帮我",
    "给我",
    "看看",
    "看一下",
    "看下",  # "看下趋势": have a look (spoken, 一 dropped; 下单 is linked before stop words are cut)
    "看一看",
    "查一下",
    "查询",
    "统计",
    "一下",
    "显示",
    "列出",
    "多少",
    "是多少",
    "多大",  # "占多大比重": how large (a share, a figure), as 多少
    "有多少",
    "哪些",
    "哪个",
    "哪一个",  # "哪一个州卖得最多": 哪个 (a which-word, nlq/phrases)
    "哪一位",
    "哪一家",
    "哪一种",
    "哪边",  # "荷兰跟瑞士哪边客户多": which of the two named (a which-word, nlq/phrases)
    "哪一边",
    "什么",
    "怎么样",
    # its colloquial spelling ("最近14天营业额咋样"): how it went, the figure (f, session 31: the
    # unplaced 咋样 of two sets; 怎样 is left out: "怎样提高销售额" asks how to, not how much)
    "咋样",
    "如何",
    "情况",
    "数据",
    "分别",
    "各自",  # "抖音和拼多多今年各自退了多少钱": each (as 分别; was: 自 left over, refused)
    "贡献了",  # "德国客户贡献了多少营收": the customers' sales, the verb says nothing more
    "贡献",
    "的",
    "了",
    "吗",
    "呢",
    "吧",
    "啊",
    # sentence-final and modal particles, glued to the word before them ("多少次单呀", "好嘛"):
    # cut out like the others, so what they are glued to is read (or reported) on its own
    "呀",
    "哦",
    "噢",
    "嘛",
    "啦",
    "呐",
    "哇",
    "是",
    "在",
    "和",
    "与",
    "及",
    "及其",
    "以及",
    "而且",  # "买了家具而且运费超过100的订单": and (each condition is read on its own)
    "并且",
    "还有",
    "跟",
    "各",
    "每一个",  # 每一个国家 is 每个国家 (session 33: '每一' was left unplaced)
    "每个",
    "各个",
    "按照",
    "按",
    "分",
    "中",
    "现在",  # before 在: "现在库存还有多少" must not leave 现
    "目前",
    "当前",
    "里面",  # before 里 / 中: "女装里面卖得最多" must not leave 面 (issue 11)
    "里头",
    "那边",  # "抖音那边": on Douyin
    "这边",
    "当中",
    "其中",
    "里",
    "上",
    "下的",
    "对比",
    "相比",
    "相对于",  # "11月相对10月 销量增加最多": against (the periods are read on their own)
    "相对",
    "总",
    "共",
    "一共",
    "总共",
    "我们",
    "咱们",  # we (spoken)
    "咱",
    "是谁",  # who / which of them: what is listed or compared is named apart
    "谁",
    "我",
    "都",
    "把",
    "被",  # "被最多人加进购物车的品类": the passive says who did it, nothing more (g, session 30)
    "从",
    "到",
    "为",
    "个",
    "有",
    "们",
    "只看",
    "只",
    "仅",
    "拆开",
    "拆分",
    "拆",  # "按国家拆一下": split by (the breakdown is said by 按)
    "来看",
    "来自",  # from: "多少比例来自新客", "来自德国的订单" (not 来 with 自 left over)
    "来",
    "看",
    "时候",
    "期间",
    "发生的",  # "上季度发生的第二单": the orders of that period (the time is read on its own)
    "发生在",
    "发生",
    "内",
    "之间",
    "比",
    "占",
    # "加起来多少", "比一比": said whole, before 来 / 比 split them (what they say is placed)
    "加起来",
    "合起来",
    "所有",  # "今年所有周四加起来卖了多少": every one of them (a share's whole is read apart)
    "加在一起",
    "加一起",
    "对比一下",  # longer than 比一下, which would leave 对
    "对比下",
    "比一比",
    "比一下",
    "比较",  # "AOV 比较": before 比 leaves 较 (comparisons read the comparison itself)
    "比较一下",
]

_STOPWORDS_ZH_LONGEST = sorted(STOPWORDS_ZH, key=len, reverse=True)

# Single characters that are words on their own in questions ("订单数最少的3个州").
SINGLE_CHARACTER_WORDS = {"州", "省"}

_WORD = re.compile(r"[a-z0-9_][a-z0-9_'\-\.]*")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_SYMBOLS = re.compile(r"[%<>=]+")
_NUMBER_UNIT = re.compile(r"\d+\s*(?:个月|年|月|日|号|周|天)")


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def is_latin(phrase: str) -> bool:
    """No character at or above U+2E80 (CJK radicals onward) in `phrase` (a comparison of code
    points: a character class up to U+10FFFF costs ~2.5 ms to compile in every process)."""
    return phrase.isascii() or max(phrase) < "\u2e80"


def has_chinese(text: str) -> bool:
    """Any CJK unified ideograph (U+4E00–U+9FFF) in `text`: the question's language for replies."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# the dimensions that name products (a title word, the product key): reading, behaviour
PRODUCT_DIMS = ("product_title", "product")


class Term(NamedTuple):
    """What a phrase means: kind is metric | dimension | table | column | value | modifier."""

    kind: str
    target: str
    value: Any = None  # for values: the stored value; for modifiers: their argument
    weight: int = 0  # breaks ties between terms of the same phrase (higher wins)


@dataclass(frozen=True)
class Mention:
    phrase: str  # as found in the question
    start: int
    end: int
    term: Term
    fuzzy: bool = False


@dataclass
class Links:
    """What a question mentions, in question order, and the words nothing explained."""

    text: str
    mentions: list[Mention] = field(default_factory=list)
    leftover: list[str] = field(default_factory=list)

    def of(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.term.kind == kind]

    def targets(self, kind: str) -> list[str]:
        seen: list[str] = []
        for m in self.of(kind):
            if m.term.target not in seen:
                seen.append(m.term.target)
        return seen


class Vocabulary:
    """Phrases and their meanings; several meanings per phrase are kept, best first."""

    def __init__(self) -> None:
        self.terms: dict[str, list[Term]] = {}
        self._ordered: list[str] | None = None
        # the words a typo may be read as (nlq/typos.py words), kept with it by nlq/session.py
        self.typo_words: tuple[frozenset[str], frozenset[str]] | None = None

    def add(self, phrase: str, term: Term) -> None:
        key = normalise(phrase)
        if not key or (len(key) < 2 and (is_latin(key) or term.kind != "modifier")):
            if key not in SINGLE_CHARACTER_WORDS:
                return
        self._ordered = None
        found = self.terms.setdefault(key, [])
        if term not in found:
            found.append(term)
            found.sort(key=lambda t: -t.weight)

    def add_all(self, phrases: Iterable[str], term: Term) -> None:
        for phrase in phrases:
            self.add(phrase, term)

    def phrases_longest_first(self) -> list[str]:
        if self._ordered is None or len(self._ordered) != len(self.terms):
            self._ordered = sorted(self.terms, key=len, reverse=True)
        return self._ordered

    def phrases_in(self, text: str) -> list[str]:
        """The phrases found in `text`, in `phrases_longest_first` order: those of the phrases
        whose first three characters (the whole phrase when shorter) are somewhere in `text`,
        looked up by them rather than every phrase tried (~20,000: most of linking's time)."""
        ordered = self.phrases_longest_first()
        kept = self.__dict__.get("_heads")
        if kept is None or kept[0] is not ordered:  # built for the phrases as they are now
            heads: dict[str, list[int]] = {}
            for rank, phrase in enumerate(ordered):
                heads.setdefault(phrase[:3], []).append(rank)
            kept = self._heads = (ordered, heads)
        heads = kept[1]
        ranks: list[int] = []
        seen: set[str] = set()
        for i in range(len(text)):
            for key in (text[i : i + 1], text[i : i + 2], text[i : i + 3]):
                if key not in seen:
                    seen.add(key)
                    ranks += heads.get(key, ())
        ranks.sort()
        return [ordered[r] for r in ranks if ordered[r] in text]


def find_spans(text: str, phrase: str) -> list[tuple[int, int]]:
    """Occurrences of `phrase` in `text` (word boundaries when the phrase is Latin)."""
    spans: list[tuple[int, int]] = []
    start = 0
    latin = is_latin(phrase)
    while True:
        i = text.find(phrase, start)
        if i < 0:
            return spans
        j = i + len(phrase)
        before = text[i - 1] if i > 0 else " "
        after = text[j] if j < len(text) else " "
        if not latin or (
            not (before.isascii() and before.isalnum())
            and not (after.isascii() and after.isalnum())
        ):
            spans.append((i, j))
        start = i + 1


def link(
    question: str, vocabulary: Vocabulary, *, fuzzy_values: Any = None, written: str | None = None
) -> Links:
    """Mentions of the vocabulary in `question`, longest phrases first, without overlaps; then
    each matcher in `fuzzy_values` (typos, title keywords) gets the words still left over."""
    text = normalise(question)
    cased = unicodedata.normalize("NFKC", written if written is not None else question)
    taken = [False] * len(text)
    mentions: list[Mention] = []
    for phrase in vocabulary.phrases_in(text):
        for i, j in find_spans(text, phrase):
            if any(taken[i:j]):
                continue
            if _function_word_not_code(phrase, vocabulary.terms[phrase][0], cased):
                continue
            if _adjective_without_its_dimension(phrase, vocabulary, text):
                continue
            if _grouped_dimension_not_metric(phrase, vocabulary, text, i):
                continue
            if phrase.endswith("分") and text.startswith("钟", j):
                continue  # "平均几分钟": minutes, not "平均几分" (a score)
            said, term = phrase, vocabulary.terms[phrase][0]
            if _people_counted_after(phrase, term, text, j, taken):
                j, said = j + 1, phrase + "数"  # "浏览的人数": the people, counted
            counted = _latin_rows_counted(phrase, term, vocabulary, text, j, taken)
            if counted is not None:  # "order数": the orders, counted (not the table's word)
                j, said, term = j + 1, phrase + text[j], counted
            taken[i:j] = [True] * (j - i)
            mentions.append(Mention(said, i, j, term))
    rest = "".join(" " if t else ch for ch, t in zip(text, taken, strict=True))
    for matcher in fuzzy_values or ():
        # the passive marks still there: "蚕丝被卖了几条" names 蚕丝被 (a silk duvet), not 蚕丝
        # and a 被 before the sale; a 被 no title word takes is blanked after (one character
        # alone is no title keyword)
        extra = matcher(rest, text)
        mentions += extra
        for m in extra:
            rest = rest[: m.start] + " " * (m.end - m.start) + rest[m.end :]
    rest = _passive_marks(rest, mentions)
    rest = _store_of_a_platform(rest, mentions)
    mentions.sort(key=lambda m: m.start)
    mentions = _title_named_twice(mentions, text)
    return Links(text=text, mentions=mentions, leftover=leftover_words(rest))


_TWICE_GAP = re.compile(r"[\s/／(（)）]*")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _title_named_twice(mentions: list[Mention], text: str) -> list[Mention]:
    """A Chinese product word and its English gloss side by side, the gloss the whole of one
    product title ("爆米花桶POPCORN HOLDER", "POPCORN HOLDER (爆米花桶)"): one product word named
    twice, the Chinese word's titles — every title holding the words (SMALL POPCORN HOLDER too),
    as a word and its gloss say elsewhere ("杯子 MUG"). Was the one title alone: the exact title
    and the word's LIKE both kept, so only the title. Only where the Chinese word's spellings are
    that title's words; the English said alone keeps its title ("popcorn holders")."""
    out: list[Mention] = []
    k = 0
    while k < len(mentions):
        a = mentions[k]
        b = mentions[k + 1] if k + 1 < len(mentions) else None
        if b is not None and a.end <= b.start and _TWICE_GAP.fullmatch(text, a.end, b.start):
            pair = {m.term.kind: m for m in (a, b) if m.term.target == "product_title"}
            word, title = pair.get("keyword"), pair.get("value")
            if word is not None and title is not None and _gloss_of(word, title):
                spelled = word.term.value
                out.append(
                    Mention(
                        text[a.start : b.end],
                        a.start,
                        b.end,
                        Term("keyword", "product_title", spelled, 2),
                        fuzzy=True,
                    )
                )
                k += 2
                continue
        out.append(a)
        k += 1
    return out


def _gloss_of(word: Mention, title: Mention) -> bool:
    """The keyword is Chinese, the title's mention Latin, and the keyword's one spelling is the
    title (case aside)."""
    if not _HAN.search(word.phrase) or _HAN.search(title.phrase) or not is_latin(title.phrase):
        return False
    spelled, value = word.term.value, title.term.value
    if not isinstance(spelled, str) or not isinstance(value, str):
        return False
    return spelled.lower() == value.lower() == title.phrase.strip().lower()


def _latin_rows_counted(
    phrase: str, term: Term, vocabulary: Vocabulary, text: str, j: int, taken: list[bool]
) -> Term | None:
    """An English word naming a table ("order", "invoice") with 数 or 量 right after it
    ("7月比6月order数掉得最多的品类"): the count the catalog names by the word's plural or
    'number of …' (the orders), one metric only — else None (the word stays the table's)."""
    if term.kind != "table" or not is_latin(phrase) or j >= len(taken) or taken[j]:
        return None
    if text[j] not in "数量" or text.startswith("数据", j):
        return None
    word = phrase.strip()
    said = (word, word + "s", f"number of {word}", f"number of {word}s", f"{word} count")
    targets = {t.target for w in said for t in vocabulary.terms.get(w, ()) if t.kind == "metric"}
    return Term("metric", targets.pop()) if len(targets) == 1 else None


def _people_counted_after(phrase: str, term: Term, text: str, j: int, taken: list[bool]) -> bool:
    """A metric named as people ("浏览的人", "逛店的人") with 数 right after it ("浏览的人数涨了"):
    their number, one word — not a 数 glued to the next word ("数涨") that nothing places."""
    return (
        term.kind == "metric"
        and phrase.endswith("人")
        and text.startswith("数", j)
        and not text.startswith("数据", j)
        and j < len(taken)
        and not taken[j]
    )


# The passive mark before a status or an event word ("被取消的订单", "被退款的"): the word after it
# says the whole condition, so the mark adds nothing.
PASSIVE_MARKS = ("被",)
PASSIVE_BEFORE = ("value", "metric", "measure")


# the store a platform's name is said with: 京东店, 拼多多店铺, 京东旗舰店, 抖音小店 (天猫店铺: 天猫店 is a
# name of its own, 铺 after it)
_STORE_AFTER = re.compile(r"(?:官方旗舰店|官方店|旗舰店|自营店|专营店|专卖店|小店|网店|店铺|店)")


def _store_of_a_platform(rest: str, mentions: list[Mention]) -> str:
    """`rest` with the store word said right after a platform (京东店的付款单量, 拼多多店铺的订单,
    京东旗舰店) blanked: the platform's own store, the platform filtered as its name alone is (was:
    店 not placed). Only a platform value: 卖家店铺 / SP州的店 stay unplaced."""
    for m in mentions:
        if m.term.kind != "value" or m.term.target != "platform":
            continue
        found = _STORE_AFTER.match(rest, m.end)
        if found is None and m.phrase.endswith("店") and rest.startswith("铺", m.end):
            found = re.compile("铺").match(rest, m.end)
        if found is not None:
            rest = rest[: found.start()] + " " * (found.end() - found.start()) + rest[found.end() :]
    return rest


def _passive_marks(rest: str, mentions: list[Mention]) -> str:
    """`rest` with each passive mark that stands right before a value or metric mention blanked
    (a 被 before nothing placed stays, so "被子" or a stray 被 is still reported)."""
    starts = {m.start for m in mentions if m.term.kind in PASSIVE_BEFORE}
    for mark in PASSIVE_MARKS:
        i = rest.find(mark)
        while i >= 0:
            if i + len(mark) in starts:
                rest = rest[:i] + " " * len(mark) + rest[i + len(mark) :]
            i = rest.find(mark, i + 1)
    return rest


def _function_word_not_code(phrase: str, term: Term, written: str) -> bool:
    """A value whose spelling is an English function word ("TO", Tocantins: "freight for orders
    to RJ") is that value only where the question writes it in capitals or beside Chinese."""
    if term.kind != "value" or phrase not in STOPWORDS_EN:
        return False
    if re.search(rf"(?<![A-Za-z]){re.escape(phrase.upper())}(?![A-Za-z])", written):
        return False
    beside = rf"[\u4e00-\u9fff]\s*{re.escape(phrase)}(?![A-Za-z])|(?<![A-Za-z]){re.escape(phrase)}\s*[\u4e00-\u9fff]"
    return not re.search(beside, written, re.IGNORECASE)  # "to的订单": not English


# Values spelled like everyday adjectives (price_band high / mid / low): "ranked high to low",
# "low stock", "high value orders" say no price band
ADJECTIVE_VALUES = {"high", "low", "mid", "medium", "高", "低", "中"}


def _adjective_without_its_dimension(phrase: str, vocabulary: Vocabulary, text: str) -> bool:
    """A value spelled like an everyday adjective is that value only where the question names
    its dimension too ("high price band", "价格带high"); else it is no filter."""
    term = vocabulary.terms[phrase][0]
    if term.kind != "value" or phrase not in ADJECTIVE_VALUES:
        return False
    return not any(
        t.kind == "dimension" and t.target == term.target
        for p, terms in vocabulary.terms.items()
        if len(p) > 1 and p in text
        for t in terms[:1]
    )


# Words that make the dimension after them a breakdown ("各商品金额": each product's amount)
GROUPING_WORDS = ("各", "每个", "每一个", "每", "按", "分")


def _grouped_dimension_not_metric(phrase: str, vocabulary: Vocabulary, text: str, i: int) -> bool:
    """A metric phrase that starts with a dimension's name ("商品金额": goods amount) is no metric
    where a grouping word stands right before it ("各商品 金额", "按商品金额"): the dimension is
    a breakdown there, read on its own."""
    term = vocabulary.terms[phrase][0]
    if term.kind != "metric":
        return False
    before = text[:i].rstrip()
    if not before.endswith(GROUPING_WORDS):
        return False
    return any(
        phrase.startswith(p) and len(p) < len(phrase) and vocabulary.terms[p][0].kind == "dimension"
        for p in (phrase[:k] for k in range(2, len(phrase)))
        if p in vocabulary.terms
    )


def _many_said(words: list[str], i: int) -> bool:
    """ "customers with many orders": 'many' is a condition (how many is many?) nothing placed,
    not the stop word of "how many" / "so many"; left over, the question is not understood
    (never answered for every customer)."""
    return words[i] == "many" and (i == 0 or words[i - 1] not in ("how", "so", "too", "as"))


def leftover_words(rest: str) -> list[str]:
    """The meaningful words nothing explained (stopwords and punctuation dropped)."""
    raw = [w.strip(".'-") for w in _WORD.findall(rest)]
    words = [
        w for i, w in enumerate(raw) if w and (w not in STOPWORDS_EN or _many_said(raw, i))
    ]  # a bare number is content ("5 stars")
    words += _SYMBOLS.findall(rest)  # "%", ">": a share or a comparison nothing placed
    words += _NUMBER_UNIT.findall(rest)  # "24年" no time phrase placed: not a harmless number
    for chunk in _CJK.findall(rest):
        kept = [w for w in _whole_words().split(chunk) if w]
        for piece in kept:
            if piece in KEEP_WHOLE:  # a word the accounting knows whole ("一个月"): not cut
                words.append(piece)
                continue
            for stop in _STOPWORDS_ZH_LONGEST:
                piece = piece.replace(stop, " ")
            words += [w for w in piece.split() if w]
    return words


# Chinese words the accounting knows whole (nlq/lexicon registers its harmless words that hold a
# stop word): found in a leftover chunk before the stop words are cut out of it, so "一个月" is
# one harmless word, not "一" and "月" (个 is a stop word) that no rule knows.
KEEP_WHOLE: set[str] = set()
_WHOLE: list[Any] = [None, None]  # (the words the pattern was built from, the pattern)


def _whole_words() -> re.Pattern[str]:
    if _WHOLE[0] != len(KEEP_WHOLE) or _WHOLE[1] is None:
        # longest first; words of one length by text: one pattern text whatever the hash seed
        # (a set's order), so the compiled pattern can be kept between processes
        words = sorted(KEEP_WHOLE, key=lambda w: (-len(w), w))
        alternation = "|".join(re.escape(w) for w in words) or "(?!)"
        _WHOLE[0], _WHOLE[1] = len(KEEP_WHOLE), re.compile(f"({alternation})")
    pattern: re.Pattern[str] = _WHOLE[1]
    return pattern


_T = TypeVar("_T")


class PerCatalog(Generic[_T]):
    """What `build` works out from one part of a catalog (`part`: an attribute such as
    "thresholds"), kept until another catalog object, or a replaced part, asks: every question
    asks, the catalog changes rarely."""

    def __init__(self, part: str, build: Callable[[Any], _T]) -> None:
        self.part, self.build = part, build
        self._last: tuple[Any, Any, _T] | None = None

    def __call__(self, catalog: Any) -> _T:
        part = getattr(catalog, self.part)
        last = self._last
        if last is not None and last[0] is catalog and last[1] is part:
            return last[2]
        out = self.build(catalog)
        self._last = (catalog, part, out)
        return out
