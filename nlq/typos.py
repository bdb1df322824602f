"""Typos in a question's content words: a Latin-script word of five letters or more that the
engine does not know, one edit (Damerau–Levenshtein: a letter added, dropped, changed, or two
neighbours swapped) away from exactly one word it does know — a value, a glossary word, a metric
or dimension name — is read as that word, and the answer says so ("read 'cofee' as 'coffee'").
Two such words: the question is refused, naming both. Words in CJK scripts are never corrected
(边几 is not a typo of 茶几: near neighbours are separate concepts).

The words come from the workspace's vocabulary (catalog, values, lexicon) and value glossary,
kept per process on the workspace; words of the period and function-word readers count as known
too, so a correctly spelt word the vocabulary lacks ("november") is never "corrected"."""

from __future__ import annotations

import functools
import re
from typing import Any

from shopql.nlq.shared import NotUnderstood

MIN_LENGTH = 5
_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")
_SPLIT = re.compile(r"[a-z]+")


def _latin_words(text: str) -> set[str]:
    return {w for w in _SPLIT.findall(text.lower()) if len(w) >= 3}


@functools.lru_cache(maxsize=1)
def _reader_words() -> frozenset[str]:
    """Words the engine's own readers know (periods, festivals, top-N, comparisons, people,
    function words): every Latin word in their source text, patterns and lists alike."""
    from pathlib import Path

    from shopql.catalog import timephrase
    from shopql.nlq import linking

    found: set[str] = set(linking.STOPWORDS_EN)
    own = Path(__file__)
    modules = [p for p in sorted(own.parent.glob("*.py")) if p != own]
    for path in [*modules, Path(timephrase.__file__)]:
        try:
            found |= _latin_words(path.read_text(encoding="utf-8"))
        except OSError:
            continue
    from shopql.nlq.people import CUE_WORDS

    # the set questions' misspellings quoted in their docs ("custmers") are typos, not words
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    for cue in CUE_WORDS:
        found -= {w for w in one_edit(cue, alphabet) if not (w in cue or cue in w)}
    return frozenset(found)


def words(ws: Any) -> tuple[frozenset[str], frozenset[str]]:
    """(the workspace's words, the content words a typo may be read as), once per workspace."""
    cached = ws.__dict__.get("_l_typo_words")
    if cached is not None:
        return cached
    # kept with the vocabulary (nlq/session.py)
    kept: tuple[frozenset[str], frozenset[str]] | None = getattr(ws.vocabulary, "typo_words", None)
    if kept is not None:
        ws.__dict__["_l_typo_words"] = kept
        return kept
    content: set[str] = set()
    for phrase in ws.vocabulary.terms:
        if phrase.isascii():
            content |= _latin_words(phrase)
    try:
        glossary = ws.glossary
        for concept_words in glossary.concepts.values():
            for word in concept_words:
                content |= _latin_words(word)
    except Exception:  # a broken glossary: the vocabulary still answers
        pass
    from shopql.nlq.linking import STOPWORDS_EN
    from shopql.nlq.periods import festivals_of

    for festival in festivals_of(ws):  # the catalog's festival words ("black friday")
        for word in festival.words:
            content |= _latin_words(word)
    # a long function word is a word a typo may be read as too ("somthing": something)
    targets = content | {w for w in STOPWORDS_EN if len(w) >= 6 and w.isalpha()}
    found = (frozenset(content), frozenset(targets))
    ws.__dict__["_l_typo_words"] = found
    return found


def one_edit(word: str, alphabet: str) -> set[str]:
    """Every string one Damerau–Levenshtein edit away from `word` (optimal string alignment)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1 and b[0] != b[1]}
    changes = {a + c + b[1:] for a, b in splits if b for c in alphabet if c != b[0]}
    inserts = {a + c + b for a, b in splits for c in alphabet}
    return (deletes | swaps | changes | inserts) - {word}


def corrections(question: str, ws: Any) -> dict[str, str]:
    """typo -> the known word it is read as, for each unknown Latin word of `question` with
    exactly one known word one edit away.

    Raises:
        NotUnderstood: a word is one edit away from two or more known words (which one?).
    """
    from shopql.nlq.linking import STOPWORDS_EN

    alphabet = "abcdefghijklmnopqrstuvwxyz"
    out: dict[str, str] = {}
    for word in dict.fromkeys(_WORD.findall(question.lower())):
        if len(word) < MIN_LENGTH or not word.isascii() or not word.isalpha():
            continue
        if word in ws.vocabulary.terms or word in STOPWORDS_EN:  # cheap checks first
            continue
        if word in IRREGULAR:  # "payed": a past tense said the regular way
            out[word] = IRREGULAR[word]
            continue
        known, content = words(ws)
        if word in known or _inflected(word, known):
            continue
        close = one_edit(word, alphabet) & content
        if not close or word in _reader_words():  # the readers' words: only when it matters
            continue
        close = {w for w in close if not _other_ending(word, w)}
        near = _distinct(sorted(close), ws)
        # "how many untis": units names a metric on its own, until only inside longer phrases
        # (from order until delivery): the word that is a whole term of the vocabulary
        whole = [
            w
            for w in near
            if any(t.kind in ("metric", "dimension") for t in ws.vocabulary.terms.get(w, []))
        ]
        if any(w in ws.vocabulary.terms for w in near if w not in whole):
            whole = []  # two words that each name something ("sofsa": sofa, sousa): which?
        if len(near) > 1 and len(whole) == 1:
            near = whole
        if len(near) == 1:
            out[word] = near[0]
        elif len(near) > 1:
            shown = " or ".join(repr(w) for w in near[:3])
            raise NotUnderstood(
                f"not understood, nothing answered: {word!r} could be {shown}",
                [word],
                [apply(question, {word: w}) for w in near[:3]],
            )
    return out


# Irregular past tenses written the regular way: read as the past tense meant, and said.
IRREGULAR = {
    "payed": "paid", "buyed": "bought", "selled": "sold", "spended": "spent", "sended": "sent",
    "shiped": "shipped", "boughted": "bought", "solded": "sold",
}  # fmt: skip
_INFLECTIONS = ("s", "es", "d", "ed", "ing", "'s")


def _inflected(word: str, known: frozenset[str]) -> bool:
    """`word` is a known word with an English ending ("charged": charge + d): not a typo of its
    neighbours (charger, charges); it stays what it is, placed or not."""
    return any(word.endswith(end) and word[: -len(end)] in known for end in _INFLECTIONS)


_ENDINGS = ("s", "es", "d", "ed", "ing", "er", "ers")


def _other_ending(word: str, near: str) -> bool:
    """`word` and `near` are one stem with two English endings ("contained" / "container",
    "printed" / "printer"): another word, not a typo of it."""
    for end in _ENDINGS:
        if word.endswith(end) and len(word) - len(end) >= 4:
            stem = word[: -len(end)]
            rest = near[len(stem) :] if near.startswith(stem) else None
            if rest is not None and rest != end and rest in _ENDINGS:
                return True
    return False


# "no. of orders", "nr of SKUs", "# of invoices": the number of (the abbreviation is said)
_NUMBER_OF = re.compile(r"(?<![a-z0-9])(?:no\.?|nr\.?|num\.?|#)\s*of\b", re.IGNORECASE)


# "how many christmas items did new customers buy": the pieces of those goods that these people
# bought (said "christmas units bought by new customers"), not the number of the people nor each
# product's new customers. Only with the people qualified (new, french, returning …): "how many
# items did customers buy" is the units already (lexicon)
_ITEMS_DID_PEOPLE_BUY = re.compile(
    r"\bhow many\s+((?:[a-z][\w'-]*\s+){0,3}?)(?:items|units|pieces)\s+(?:did|do|have)\s+"
    r"((?:the\s+|our\s+)?(?:(?!the\b|our\b)[a-z][\w'-]*\s+){1,3}?"
    r"(?:customers|buyers|shoppers|clients))\s+(?:buy|purchase|order)\b",
    re.IGNORECASE,
)

# "how many invoices did German customers pay in October" (D, session 41): the orders those people
# paid, said "invoices were paid by German customers" (paid orders; was: 'pay' not placed). Only
# with the people qualified, as _ITEMS_DID_PEOPLE_BUY: "orders were paid by customers" alone is
# read as the people who paid
_ROWS_DID_PEOPLE_PAY = re.compile(
    r"\bhow many\s+((?:[a-z][\w'-]*\s+){0,2}?)(invoices|orders)\s+(?:did|do|have)\s+"
    r"((?:the\s+|our\s+)?(?:(?!the\b|our\b)[a-z][\w'-]*\s+){1,3}?"
    r"(?:customers|buyers|shoppers|clients))\s+(?:pay|paid)(?!\s+(?:with|by|via|using|in\s+(?:cash|full)))\b",
    re.IGNORECASE,
)

# the people who paid, said as a question with "did … pay" (D, session 41): "how much postage did
# Shopify customers pay" = postage paid by them; "how much did German customers pay" = what they
# spent (paid GMV, as "spend" reads); "how much did they pay for shipping" = the shipping fee paid
_PAYERS = (
    r"((?:the\s+|our\s+)?(?:(?!the\b|our\b|for\b|in\b)[a-z][\w'-]*\s+){0,3}?"
    r"(?:customers|buyers|shoppers|clients))"
)
_HOW_MUCH_X_DID_PAY = re.compile(
    rf"\bhow much\s+((?:(?!did\b)[a-z][\w'-]*\s+){{1,3}}?)did\s+{_PAYERS}\s+pay\b"
    r"(?!\s+(?:for|with|by|via|using|back|in\s+cash))",
    re.IGNORECASE,
)
# ... the bare people (every order's payer) said nothing of whose: "how much shipping did buyers
# pay on the orders …" = the shipping paid on them; "how much freight did we charge" = charged
_HOW_MUCH_X_BARE_PAID = re.compile(
    r"\bhow much\s+((?:(?!did\b)[a-z][\w'-]*\s+){1,3}?)did\s+(?:(?:the\s+)?(?:buyers|customers|"
    r"shoppers|clients|people)\s+pay|they\s+pay|we\s+(charge|collect|bill))\b"
    r"(?!\s+(?:with|by|via|using|back|in\s+cash))",
    re.IGNORECASE,
)
_HOW_MUCH_DID_PAY_FOR = re.compile(
    rf"\bhow much\s+did\s+{_PAYERS}\s+pay\s+(?:for|in|as|on)\s+"
    r"((?:shipping|freight|postage|delivery)(?:\s+(?:fees?|costs?|charges?))?)\b",
    re.IGNORECASE,
)
# ... "in total" (D, session 44) only says the sum, "in August" the time: "how much did buyers pay
# in total" is what they spent ("in cash" stays a way to pay); "how much money did customers
# pay": money is the amount asked
_HOW_MUCH_DID_PAY = re.compile(
    rf"\bhow much\s+(?:money\s+)?did\s+{_PAYERS}\s+pay\b"
    r"(?!\s+(?:for|with|by|via|using|back|as|on)\b|\s+in\b(?!\s+(?:total|all|(?:the\s+)?(?:last|"
    r"past|first)|this|20\d\d|q[1-4]|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)))",
    re.IGNORECASE,
)
# shipping said as the money paid for it ("how much shipping", "total shipping", "paid for
# shipping"): the shipping fee — never the shipping as an event (shipping time, shipping days)
_SHIPPING_MONEY = re.compile(
    r"\b(how much|total|(?:pay|paid|spend|spent|charged?)\s+(?:for|on))\s+shipping\b(?!\s+(?:fees?"
    r"|costs?|charges?|times?|days?|hours?|speed|status|delays?|duration|partners?|compan(?:y|ies)"
    r"|carriers?|methods?|revenue|income)\b)",
    re.IGNORECASE,
)

# the favourite button said as a gesture (D, session 41): "visitors who hit the fav button",
# "clicked the favourite button", "faved", "added to favourites" = favourited (the fav events)
_FAV_GESTURE = re.compile(
    r"\b(?:(?:hit|hits|clicked|click|clicks|pressed|press|presses|tapped|tap|taps|used)\s+"
    r"(?:on\s+)?(?:the\s+)?(?:fav|fave|favs|favourite|favorite|heart|wishlist)\s+(?:button|icon)"
    r"|faved|favd|added\s+(?:it\s+|them\s+|something\s+|products?\s+)?to\s+(?:their\s+|the\s+|a\s+)?"
    r"(?:favou?rites|favs|faves|wish\s*lists?))\b",
    re.IGNORECASE,
)

# no freight said of the orders (D, session 41): "orders that had no shipping charge at all", "with
# free shipping" = freight of 0 (the threshold's own words, as pt "frete grátis" reads)
_NO_FREIGHT = re.compile(
    r"\b(had|has|have|having|with|charged)\s+(?:no\s+(?:shipping\s+(?:charges?|fees?|costs?)"
    r"|freight(?:\s+charges?)?|postage|delivery\s+(?:fees?|charges?))|free\s+(?:shipping|delivery|postage))"
    r"(?:\s+(?:at\s+all|whatsoever))?\b",
    re.IGNORECASE,
)


def _bare_paid(m: re.Match[str]) -> str:
    verb = {"charge": "charged", "collect": "collected", "bill": "billed"}.get(
        (m.group(2) or "").lower(), "paid"
    )
    return f"how much {m.group(1)}{verb}"


def _payers_read(question: str) -> tuple[str, list[str]]:
    """`question` with the 'did … pay' forms of _HOW_MUCH_* read as their plain forms, and notes."""
    notes: list[str] = []
    for pattern, read in (
        (_HOW_MUCH_DID_PAY, r"how much did \1 spend"),  # first: "how much money did …"
        (_HOW_MUCH_DID_PAY_FOR, r"how much \2 was paid by \1"),
        (_HOW_MUCH_X_BARE_PAID, _bare_paid),
        (_HOW_MUCH_X_DID_PAY, r"how much \1was paid by \2"),
        (_NO_FREIGHT, r"\1 freight of 0"),
        (_SHIPPING_MONEY, r"\1 shipping fee"),
    ):
        for m in pattern.finditer(question):
            said = read(m) if callable(read) else m.expand(read)
            notes.append(f"read {m.group(0)!r} as {said!r}")
        question = pattern.sub(read, question)
    return question, notes


# "days until their second purchase": the days to it (the repurchase gap), as "days to"
_UNTIL_NTH = re.compile(
    r"\bdays\s+until\s+(?=(?:the\s+|their\s+)?(?:second|third|next|2nd|3rd)\s+"
    r"(?:purchase|order|invoice|buy)\b)",
    re.IGNORECASE,
)
# "for the very first time", "the very last order": very only stresses first / last
# "brand-new customers", "brand new buyers": new ones (the brand dimension is not named)
_BRAND_NEW = re.compile(r"\bbrand[\s-]+new\b", re.IGNORECASE)
_VERY_FIRST = re.compile(r"\bvery\s+(?=(?:first|last)\b)", re.IGNORECASE)
# "new customers (by first invoice)", "new buyers (counted by their first paid order)": a gloss
# saying what new is, the first paid order (the catalog's new_buyers) — read away
_NEW_GLOSSED = re.compile(
    r"\b(new|first[- ]time)\s+(customers|buyers|clients|shoppers)\s*\(\s*"
    r"(?:(?:counted|judged|defined|dated)\s+)?(?:(?:by|on|from|as|at)\s+)?(?:their\s+|the\s+)?"
    r"first(?:[\s-]*ever)?\s+(?:paid\s+)?(?:order|invoice|purchase|payment)s?\s*\)",
    re.IGNORECASE,
)
# "sellers whose first-ever paid sale happened that month", "sellers who made their first sale in
# July": the new sellers (their first paid sale in the period: the catalog's new_sellers)
_SELLERS_FIRST_SALE = re.compile(
    r"\b(?:sellers|merchants|vendors)\s+(?:(?:whose|with\s+their)\s+first(?:[\s-]*ever)?\s+(?:paid\s+)?"
    r"(?:sale|order)\s+(?:happened|came|fell|took\s+place|was|landed)|(?:(?:who|that)\s+)?(?:made|had)\s+"
    r"their\s+first(?:[\s-]*ever)?\s+(?:paid\s+)?sale)\b(?=\s+(?:that|this|last|in|on|during)\b)",
    re.IGNORECASE,
)

_DAYS = re.compile(r"(?<![a-z0-9])(\d+)d(?![a-z0-9])", re.IGNORECASE)  # "last 30d"
# "1st and 2nd purchase": ordinals in words; "5-star": a number and its unit apart
_ORDINALS = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth"}
# ... but not a day of a month ("between the 1st and the 15th of August", "1st-7th october",
# "the 2nd of may"): the periods read those days by their numbers
_A_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
)
_ORDINAL = re.compile(
    r"(?<![a-z0-9])(1st|2nd|3rd|4th|5th)(?![a-z0-9])"
    rf"(?!\s+(?:of\s+)?{_A_MONTH}|\s*(?:-|–|to|through|thru|until|till|and)\s*(?:the\s+)?"
    rf"\d{{1,2}}(?:st|nd|rd|th)\s+(?:of\s+)?{_A_MONTH})",
    re.IGNORECASE,
)
# "from first to second purchase": the noun said once for both ordinals
_ELIDED = re.compile(
    r"\b(first|second|third)\s+(to|and|&|->|vs)\s+(second|third|fourth)\s+(purchases?|orders?|buys?)\b",
    re.IGNORECASE,
)
# a currency said alone, not before an amount ("sold (R$)", "in R$"; "over R$500" is a threshold)
_CURRENCY_SAID = re.compile(
    r"\(\s*r\$\s*\)|(?<![a-z0-9])r\$(?!\s*\d)"
    # ... or named after "in" with no amount ("our biggest invoice in pounds", "sales in reais"):
    # the amount said in the shop's money, as thresholds read £500 and 500 reais
    r"|\b(?:in|em)\s+(?:pounds(?:\s+sterling)?|sterling|gbp|£|reais|brl|r\$|yuan|rmb|cny)(?![\w$£]|\s*\d)",
    re.IGNORECASE,
)
# "what did we sell in the last 7 days" (C, session 45): how much was sold then — only with a
# period alone after it ("what did we sell most of", "what did we sell in Germany" stay)
_WHAT_SOLD = re.compile(
    r"^\s*what\s+did\s+we\s+sell(?=\s+(?:(?:in|during|over)\s+)?(?:the\s+)?(?:(?:last|past|previous)"
    r"\s+(?:\d+\s+|seven\s+|thirty\s+)?(?:days?|weeks?|months?)|yesterday)\s*\??\s*$)",
    re.IGNORECASE,
)
# invoices said with the verb that makes them ("on which date did we issue the most invoices"):
# the invoices themselves (C, session 45)
_ISSUE_INVOICES = re.compile(
    r"\bissue(?:d)?\s+(?=(?:the\s+)?(?:most|fewest|more|fewer)\s+invoices\b)", re.IGNORECASE
)
# "how large was our biggest invoice", "how big were the orders": what it was
_HOW_BIG = re.compile(r"\bhow\s+(?:large|big)\s+(?=(?:was|is|were|are)\b)", re.IGNORECASE)
# a family of values said with a wildcard: "moveis_*", "moveis*" (the family's own word then)
_WILDCARD = re.compile(r"(?<![a-z0-9_])([a-z]{3,})_?\*", re.IGNORECASE)
_NUMBER_HYPHEN = re.compile(r"(?<![a-z0-9.])(\d+)-(?=[a-z])", re.IGNORECASE)


# "busiest month", "peak hour", "the quietest day": the period ranked by the metric (the top one)
_PERIOD_SUPERLATIVE = re.compile(
    r"\b(?:the\s+)?(busiest|least busy|peak|best|top|biggest|strongest|quietest|slowest|weakest|worst)"
    r"\s+(month|week|day|year|quarter|hour)\b(?!\s+of\s+(?:the\s+)?(?:week|day))",
    re.IGNORECASE,
)
_FEWEST = {"quietest", "slowest", "weakest", "worst", "least busy"}
# "which hour peaks", "what month peaked": the period ranked by the metric (the top one)
_PERIOD_PEAKS = re.compile(
    r"\b(which|what)\s+(month|week|day|year|quarter|hour)\s+(?:peaks|peaked|is the peak|was the peak)\b",
    re.IGNORECASE,
)


# the most common value of a dimension ("最常见的支付方式", "哪种支付方式用得最多", "the most
# common payment type"): the value with the most orders, ranked as "订单最多的支付方式" is
_MOST_COMMON_ZH = re.compile(r"(?:最常见|最常用|最普遍|最多人用|最多人选|最经常用)(的)?")
_USED_MOST_ZH = re.compile(r"(?:用得最多|用的最多|使用最多|使用得最多|使用的最多|最常被用)")
_MOST_COMMON_EN = re.compile(
    r"\b(?:the\s+)?most\s+(?:common|frequent|frequently used|commonly used|often used|used)"
    r"\s+(?=[a-z])",
    re.IGNORECASE,
)
_USED_MOST_EN = re.compile(
    r"\b(?:is|was|are|were|gets|got)\s+(?:used\s+)?(?:the\s+)?most\s+(?:often|frequently|used)\b"
    r"|\b(?:is|was|are|were)\s+used\s+(?:the\s+)?most(?:\s+often)?\b",
    re.IGNORECASE,
)


# the days from a last event to today said as time gone by ("离最后一次下单过去多少天了", "最后
# 一单是几天前", "最后一单距今几天"): the event to today (到今天), its start said with 离 / 距
_AGO_ZH = re.compile(
    r"(?:已经)?过去了?\s*(?:多少|几)\s*天了?|(?:是|在)?\s*(?:多少|几)\s*天(?:之|以)?前"
    r"|(?:距今|离今天|距离今天|离现在|距离现在)(?:有|已经|过去了?)?"
)
_SINCE_ZH = re.compile(r"(?:离|距离|距)(?=\s*(?:最后|最近|上次|上一次|最新)(?:一次|一单|一笔)?)")
_SINCE_SAID = re.compile(r"最后|最近一|上次|上一次|最新一")
_OF_PEOPLE = re.compile(r"客|买家|用户|会员|平均|人均|每|中位")


def _since_last(question: str) -> tuple[str, list[str]]:
    if not _SINCE_SAID.search(question) or not _AGO_ZH.search(question):
        return question, []
    if _OF_PEOPLE.search(question):  # "老客户们距离上次购买平均过去几天了": each person's own
        return question, []
    notes = [f"read {m.group(0).strip()!r} as '到今天'" for m in _AGO_ZH.finditer(question)]
    question = _SINCE_ZH.sub("从", question)
    question = _AGO_ZH.sub(lambda m: "到今天多少天" if "天" in m.group(0) else "到今天", question)
    return question, notes


def _most_common(question: str) -> tuple[str, list[str]]:
    from shopql.nlq.percentiles import mode_said

    if mode_said(question):  # "最常见的订单金额": an amount's most common value (percentiles.py)
        return question, []
    notes = []
    for m in [*_MOST_COMMON_ZH.finditer(question), *_USED_MOST_ZH.finditer(question)]:
        notes.append(f"read {m.group(0)!r} as the value with the most orders (订单最多)")
    question = _MOST_COMMON_ZH.sub(lambda m: "订单最多" + (m.group(1) or "的"), question)
    question = _USED_MOST_ZH.sub("订单最多", question)
    said = _MOST_COMMON_EN.search(question)
    if said is not None and not re.search(r"\bby\s+\w", question[said.end() :]):
        notes.append(f"read {said.group(0).strip()!r} as the top one by orders")
        question = (
            f"{question[: said.start()]}top {question[said.end() :].rstrip(' ?？')} by orders"
        )
    for m in _USED_MOST_EN.finditer(question):
        notes.append(f"read {m.group(0)!r} as 'has the most orders'")
    question = _USED_MOST_EN.sub("has the most orders", question)
    return question, notes


def _which_period(m: re.Match[str]) -> str:
    return f"which {m.group(2).lower()} {'least' if m.group(1).lower() in _FEWEST else 'most'}"


# "back in 2017": a period said the way one remembers it; not after a verb "back" belongs to
# ("sent back in 2011" are returns, "paid back", "came back in May")
_BACK_IN = re.compile(
    r"\b(\w+)\s+back\s+(?=in\s+(?:\d{4}|'\d\d|q[1-4]\b|h[12]\b|[a-z]{3,9}\s+\d{4}|the\b))",
    re.IGNORECASE,
)
_BACK_VERBS = re.compile(
    r"(?:send|sent|sends|come|came|comes|bring|brought|pay|paid|pays|give|gave|given|take|took"
    r"|taken|get|got|buy|bought|go|went|gone|money|refund|refunded|call|called|write|wrote)$",
    re.IGNORECASE,
)


# "which month saw the most shoppers": the period is the verb's subject, the verb adds nothing
_PERIOD_SAW = re.compile(
    r"\b(month|week|day|year|quarter|hour|weekday)\s+(?:saw|recorded|registered|logged)\b",
    re.IGNORECASE,
)


# everyday English a seller types around a figure (session 37, helper D): each says what a word
# the engine knows says — "busiest in terms of orders" (by orders), "do invoices tend to be
# biggest, on average" (the highest average invoice value), "from checkout to delivery" (from the
# order), "shoppers add things to their carts" (add to cart)
_EVERYDAY_EN = (
    (re.compile(r"\bin\s+terms\s+of\b", re.IGNORECASE), "by"),
    # goods given back, ranked by their pieces (B, session 44: "which customer sent back the most
    # units"): the most returned units — the verb said before its count, as "returned units" is
    (
        re.compile(
            r"\b(?:sent|sends|send|gave|give|gives|brought|bring)\s+back\s+(the\s+)?(most|fewest|least)\s+"
            r"(units|items|pieces)\b|\breturned\s+(the\s+)?(most|fewest|least)\s+(units|items|pieces)\b",
            re.IGNORECASE,
        ),
        lambda m: (
            f"had the {(m.group(2) or m.group(5)).lower()} returned {(m.group(3) or m.group(6)).lower()}"
        ),
    ),
    # the freight the buyers paid (D, session 43: "total shipping paid by buyers last month"): the
    # orders' freight (the buyer pays it), not the buyers counted beside it; not "per buyer" / "each"
    (
        re.compile(
            r"\b(shipping|freight|delivery|postage)((?:\s+(?:fees?|costs?|charges?))?)\s+"
            r"(?:that\s+(?:was|were)\s+)?(?:paid|covered|forked\s+out|shelled\s+out)\s+by\s+"
            r"(?:the\s+|our\s+)?(?:buyers|customers|shoppers|clients)\b(?!\s*(?:who|that|which|in\s+\w+\s+who))",
            re.IGNORECASE,
        ),
        r"\1\2",
    ),
    # money given away as a discount (D, session 43: "how much discount did douyin give away", "give
    # away in discounts"): given (the discount asked is what was given); only with a discount word
    (
        re.compile(
            r"^(?=.*\b(?:discounts?|markdowns?|rebates?)\b)(.*?\b(?:give|gave|given|giving))\s+away\b",
            re.IGNORECASE | re.DOTALL,
        ),
        r"\1",
    ),
    # never bought said as never touched (D, session 43: "LUNCH BAG buyers who never touched JUMBO
    # BAG"): never bought; "touched" alone (no never) stays unread
    (
        re.compile(
            r"\b(never|not\s+once|(?:have|has|had|did)\s*n[o']t(?:\s+ever)?|(?:have|has|had|did)\s+not(?:\s+ever)?)"
            r"\s+(?:touched|tried)\b",
            re.IGNORECASE,
        ),
        lambda m: f"{m.group(1)} bought",
    ),
    # the pieces inside the paid orders (D, session 43: "how many items were in the orders paid in
    # August"): the units sold (paid orders' pieces, by payment time) — never a breakdown by product;
    # not one order's ("in each order", "per order", "on average")
    (
        re.compile(
            r"\bhow\s+many\s+(?:items|pieces|units)\s+(?:were|are)\s+(?:there\s+)?(?:in|inside)\s+(?:the\s+|all\s+(?:the\s+)?)?"
            r"(?:orders|invoices)\s+(?:that\s+were\s+)?paid\b(?![^.?!;]*\b(?:each|per|average|every|one)\b)",
            re.IGNORECASE,
        ),
        "how many units were sold",
    ),
    # "top-selling SKU by units - just the number one", "Douyin's number one SKU": the top one of
    # the ranking (B, session 42; was: 'one' not placed). Not "number one hundred", "number of".
    (
        re.compile(
            r"\bnumber[\s-]+(?:one|1)\b(?![\s-]*(?:hundred|thousand|million|of)\b)", re.IGNORECASE
        ),
        "top one",
    ),
    # "how many new buyers showed up in June": the buyers there were (the verb says nothing more)
    (re.compile(r"\s+(?:showed|show|shows|turned|turn|turns)\s+up\b", re.IGNORECASE), ""),
    (
        re.compile(
            r"\b(?:do|does|did)\s+(?:the\s+)?(invoice|order|basket)s?\s+(?:tend\s+to\s+)?be\s+(?:the\s+)?"
            r"(biggest|largest|highest|smallest|lowest)\s*,?\s+on\s+average\b\s*,?",
            re.IGNORECASE,
        ),
        lambda m: (
            f"is the average {m.group(1).lower().replace('basket', 'order')} value "
            f"{'lowest' if m.group(2).lower() in ('smallest', 'lowest') else 'highest'}"
        ),
    ),
    (re.compile(r"\b(?<=from\s)checkout\b(?=\s+(?:to|until|till)\b)", re.IGNORECASE), "order"),
    # "what did the C invoices add up to in refunds" (D, session 40): their total (total is a stopword);
    # not before a bound ("orders that add up to more than R$100": a threshold, left as it was)
    (
        re.compile(
            r"\b(?:add|adds|added|adding)\s+up\s+to\b(?!\s*(?:more|less|over|under|above|below|at\s+(?:least|most)|exactly|[R$£€\d]))",
            re.IGNORECASE,
        ),
        "total",
    ),
    # "how many people added items to cart": the people counted (C, session 41), not the adds
    (
        re.compile(
            # distinct / different / unique before the people says nothing more (C, session 43:
            # "how many distinct visitors put items into their shopping cart"); put, placed, in
            r"\b(how\s+many|number\s+of)\s+(?:distinct\s+|different\s+|unique\s+)?"
            r"(?:shoppers|customers|people|users|visitors|buyers)\s+"
            r"(?:who\s+|that\s+)?(?:add|added|adding|have\s+added|put|puts|putting|have\s+put|placed)\s+"
            r"(?:things\s+|items\s+|stuff\s+|products\s+|goods\s+|something\s+|anything\s+)?"
            r"(?:to|into|in)\s+(?:their\s+|the\s+|a\s+|his\s+|her\s+)?(?:shopping\s+)?carts?\b",
            re.IGNORECASE,
        ),
        lambda m: f"{m.group(1)} people who added to cart",
    ),
    # "how many distinct visitors bought something last week" (C, session 43): the visitors who
    # bought (a buy event), not every visitor (was: the visitors, "bought something" dropped)
    (
        re.compile(
            r"\b(how\s+many|number\s+of)\s+(?:distinct\s+|different\s+|unique\s+)?(?:visitors|users)\s+"
            r"(?:who\s+|that\s+)?(?:bought|purchased|have\s+bought|made\s+a\s+purchase)"
            r"(?:\s+(?:something|anything|items|things|stuff))?\b",
            re.IGNORECASE,
        ),
        lambda m: f"{m.group(1)} converted visitors",
    ),
    (
        re.compile(
            r"\b(?:(?:shoppers|customers|people|users|visitors|buyers)\s+)?(?:add|added|adding)\s+"
            r"(?:things|items|stuff|products|goods)\s+(?:to|into)\s+(?:their|the|a|his|her)?\s*carts?\b",
            re.IGNORECASE,
        ),
        "add to cart",
    ),
)


# "上个月抖音按件数卖得最好的SKU 只要第一名", "…最多的商品，只看第一个": the top one a 最 ranking
# already asks, said again at the end (B, session 42; was: '要第一名' not placed). Only after a 最
# with no top N (前5 … 只要第一名 stays unplaced: refused)
_ONLY_FIRST_ZH = re.compile(
    r"[,，;；\s]*(?:只要|只看|只列|只给我?|只需要|就要|只显示|只取)\s*(?:排)?\s*(?:第一|第1|头一)"
    r"\s*(?:名|个|位|款|家)?\s*(?:就行|就好|就可以|即可)?\s*[。.!！?？]?\s*$"
)
_TOP_N_SAID = re.compile(
    r"前\s*(?:\d+|[两三四五六七八九十]+)|top\s*\d+|\d+\s*(?:个|款|家|位|名)", re.I
)


def _only_first_zh(question: str) -> tuple[str, list[str]]:
    m = _ONLY_FIRST_ZH.search(question)
    if m is None or "最" not in question[: m.start()] or _TOP_N_SAID.search(question[: m.start()]):
        return question, []
    return question[: m.start()], [f"read {m.group(0).strip()!r} as the top one (最) already asked"]


# "What was the typical (median) Tmall order worth last month?", "how much was the average order
# worth": an order's worth is its value, said after an average (median) of it (B, session 42; was:
# 'worth' not placed; "typical (median)" is read in families). "typical" alone names no average
# (left unplaced); "orders worth more than
# 100" is a threshold (left as it was)
_ORDER_WORTH = re.compile(
    r"\b(orders?|invoices?|baskets?)\s+(?:was\s+|were\s+|is\s+|are\s+)?worth\b"
    r"(?!\s*(?:more|less|over|under|above|below|at\s+(?:least|most)|between|exactly|[R$£€¥\d]))",
    re.IGNORECASE,
)
_AVERAGE_BEFORE = re.compile(r"\b(?:average|avg|median|mean)\b", re.IGNORECASE)


# "which had the bigger average invoice this year", "our average order last month": an average
# order (invoice, basket) said alone is its value (B, session 44); never "average orders per day",
# "average order size" / "average invoice lines" (other measures), "average invoice per customer"
# (the orders per buyer) nor "average order to delivery" (a duration): only a period, a breakdown,
# a comparison or the end of the question may follow
_AVERAGE_ORDER_ALONE = re.compile(
    r"\b(average|avg|mean)\s+(order|invoice|basket)\b"
    r"(?=\s*(?:$|[?.,;:!)]|\b(?:this|last|in|by|for|during|over|from|since|across|vs|versus|and|or"
    r"|was|is|were|on|at|among|compared|than)\b))",
    re.IGNORECASE,
)


# "the smallest non-zero invoice paid in October", "non-zero orders": the orders (invoices) whose
# amount is above 0 (B, session 44; was: 'zero' not placed) — a threshold the engine reads when
# said as "with an amount above 0"; 非零的发票 / 金额不为0的订单 likewise (金额大于0的) — never
# 运费不是0的订单 (the freight named: its own threshold)
_NON_ZERO_ORDER = re.compile(
    r"\bnon[- ]?zero\s+(?:(?:value|amount)\s+)?(orders?|invoices?|payments?|sales?|baskets?)\b",
    re.IGNORECASE,
)
_NON_ZERO_ORDER_ZH = re.compile(
    r"(?:(?<![费价额量数分率税])(?:非零|非0)|金额\s*(?:非零|非0|不为零|不为0|不是零|不是0))(?:元)?(?:的)?\s*"
    r"(发票|订单|单子|单)(?!价|量|数)"
)


def _order_worth(question: str) -> tuple[str, list[str]]:
    notes: list[str] = []
    for z in _NON_ZERO_ORDER.finditer(question):
        notes.append(f"read {z.group(0)!r} as '{z.group(1).lower()} with an amount above 0'")
    question = _NON_ZERO_ORDER.sub(
        lambda z: f"{z.group(1).lower()} with an amount above 0", question
    )
    for z in _NON_ZERO_ORDER_ZH.finditer(question):
        notes.append(f"read {z.group(0)!r} as '金额大于0的{z.group(1)}'")
    question = _NON_ZERO_ORDER_ZH.sub(lambda z: f"金额大于0的{z.group(1)}", question)
    for a in _AVERAGE_ORDER_ALONE.finditer(question):
        notes.append(f"read {a.group(0)!r} as '{a.group(1)} {a.group(2).lower()} value'")
    question = _AVERAGE_ORDER_ALONE.sub(
        lambda a: f"{a.group(1)} {a.group(2).lower()} value", question
    )
    m = _ORDER_WORTH.search(question)
    if m is None or not _AVERAGE_BEFORE.search(question[: m.start()]):
        return question, notes
    noun = m.group(1).lower().rstrip("s")
    notes.append(f"read {m.group(0)!r} as '{noun} value'")
    return f"{question[: m.start()]}{noun} value{question[m.end() :]}", notes


def _everyday_en(question: str) -> tuple[str, list[str]]:
    notes = []
    for pattern, said in _EVERYDAY_EN:
        for m in pattern.finditer(question):
            new = said if isinstance(said, str) else said(m)
            notes.append(f"read {m.group(0).strip()!r} as {new.strip()!r}")
        question = pattern.sub(said, question)
    return question, notes


# "sellers that had at least one cancelled order": at least one is there being one (a), after a
# verb of having or doing; not "at least one hundred", "at least one of", "at least one order
# per/every/each …" (a count per period, read elsewhere), nor after a number's own verb
_AT_LEAST_ONE = re.compile(
    r"\b(had|has|have|with|placed|made|got|received|bought|ordered|left|wrote|gave|used)\s+"
    r"at\s+least\s+(?:one|1|a\s+single)\b(?!\s+(?:hundred|thousand|million|of|more)\b)"
    r"(?![^.?;,!]*\b(?:per|every|each|a\s+(?:day|week|month|quarter|year))\b)",
    re.IGNORECASE,
)


# "customers who bought an item in August", "bought a product" (or "at least one item", read as
# "a item" above): something was bought, not a breakdown by product; not "a product of / that /
# over R$100 …" (which product, or a condition on it), nor a product's own field ("paid orders with a
# product id": the metric paid_orders_with_products)
# ... or behaved towards (D, session 44): "visitors who favorited a product", "viewed an item" —
# the behaviour's people, not each product's
_AN_ITEM = re.compile(
    r"\b(bought|ordered|purchased|had|has|have|with|got|favou?rited|viewed|browsed|carted"
    r"|wishlisted|bookmarked)\s+(?:a|an|any)\s+(?:products?|items?|skus?)\b"
    r"(?!\s+(?:of|called|named|that|which|whose|with|over|above|under|below|priced"
    r"|costing|worth|more|less|by|per|each|cheaper|dearer|ids?|keys?|codes?|titles?|names?"
    r"|numbers?|categor(?:y|ies)|prices?|weights?|photos?|descriptions?)\b)(?!\s*[-\w]*\d)",
    re.IGNORECASE,
)


# "Where did Douyin sell the most last month? Top 3 provinces": where asks which place, said by
# the place word of the question (which province); without one it stays unplaced (refused)
_WHERE_ASKED = re.compile(
    r"(?:^|(?<=[.?!,;:]\s)|(?<=\band\s)|(?<=\bso\s))where(?=\s+(?:did|do|does|is|are|was|were|have|has)\b)",
    re.IGNORECASE,
)
_PLACE_WORD = re.compile(
    r"\b(?:provinces?|states?|cities|city|countries|country|regions?)\b", re.IGNORECASE
)


# 近 typed as 进 (both jin): "进30天有多少客户" is the last 30 days
_NEAR_SLIP = re.compile(
    r"进(?=\s*(?:\d+|[一二两三四五六七八九十半]+)\s*(?:天|日|周|个?星期|个?月|年))"
)


# "avg" typed in a Chinese question ("订单 avg 运费", "评价avg几分", "avg每件多少钱"): 平均, the word it
# stands for; only before a Chinese word (within one space), where no English word follows it
_AVG_IN_CHINESE = re.compile(
    r"(?<![a-z0-9])(?:avg\.?|average)(?=\s?[\u4e00-\u9fff])", re.IGNORECASE
)


# an amount written in Chinese numerals after a comparison word ("至少一百单", "超过五百", "不少于
# 两千块", "落在五十到100块"): its digits, as a threshold is read. Only a numeral with 十 / 百 / 千 /
# 万 in it (a single 三 / 两 is read where it stands: 前三, 两次以上), and only after the comparison
# word (双十一, 十一月 and 六一八 are no amounts)
_CN_AMOUNT = re.compile(
    r"(超过|至少|不少于|不低于|不超过|不高于|不多于|大于|高于|多于|少于|低于|小于|不到|不足|满|达到|落在)"
    r"(\s*)([一二两三四五六七八九][一二两三四五六七八九十百千万零]*[十百千万][一二两三四五六七八九十百千万零]*"
    r"|十[一二三四五六七八九]?)(?!\s*分之)"
    r"(?=\s*(?:单|件|个|块|元|镑|人|位|次|家|笔|张|天|以上|以下|到|至|~|-|的|[)）,，]|\s|$))"
)
_CN_DIGIT = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}


def cn_amount(said: str) -> int | None:
    """'一百' → 100, '两千' → 2000, '一千五' → 1500, '五十' → 50, '三万' → 30000; None when not one
    well-formed number below a hundred million."""
    total, section, digit, last_unit, zero = 0, 0, None, 0, False
    for c in said:
        if c == "零":
            zero = digit is None and last_unit > 0
            if not zero:
                return None
        elif c in _CN_DIGIT:
            if digit is not None:
                return None  # two digits in a row ("一二"): no number
            digit = _CN_DIGIT[c]
        elif c in _CN_UNIT:
            unit = _CN_UNIT[c]
            if last_unit and unit >= last_unit:
                return None
            section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        elif c == "万":
            section += digit or 0
            if section == 0 or total:
                return None
            total, section, digit, last_unit, zero = section * 10000, 0, None, 0, False
        else:
            return None
    if digit is not None:  # "一千五": the digit after a unit is a tenth of it
        section += digit * (last_unit // 10 if last_unit >= 100 and not zero else 1)
    return total + section


# a numeral of hundreds or more before 以上 / 以下 ("一千件以上") or after 前 / top ("前一百个卖家")
_CN_AMOUNT_AROUND = re.compile(
    r"(前|头部|top|Top|TOP)?(\s*)([一二两三四五六七八九十][一二两三四五六七八九十百千万零]*[百千万]"
    r"[一二两三四五六七八九十百千万零]*)(?!\s*分之)(?=(\s*(?:单|件|个|块|元|镑|人|位|次|家|笔|张)?\s*(?:以上|以下|以内|及以上|或以上))?)"
)


# money in 毛 (a tenth of a 元/块): "5毛钱" = 0.5元, "1块5毛" = 1.5元, "不到五毛" = 不到0.5元 — only
# with 钱 after it or nothing more of a word (毛衣, 毛巾, 羊毛 are no money)
_JIAO = re.compile(
    r"(?<![\d.一二两三四五六七八九十])(?:(\d+|[一二两三四五六七八九十]+)\s*(?:块|元)\s*)?"
    r"(\d|[一二两三四五六七八九])\s*毛(?:\s*钱|(?=\s*(?:以下|以上|以内|的|[)）,，。?？]|\s|$)))"
)
_CN_SMALL = {**_CN_DIGIT, "十": 10}
# a comparison said in brackets right after what it compares ("单价（不到0.5镑）的货"), or a
# vague amount the brackets restate ("单价才几毛钱（不到0.5镑）"): the comparison, read in place
_CMP_WORDS = (
    r"不到|不足|低于|少于|小于|超过|高于|多于|大于|至少|不少于|不超过|不低于|不高于|满"
    r"|under|over|below|above|less than|more than|at least|at most"
)
_BRACKETED_CMP = re.compile(
    rf"(?:(?:才|只要|只有|就)?\s*几\s*(?:毛|块|元|镑)\s*钱?\s*)?[（(]\s*((?:{_CMP_WORDS})\s*"
    r"\d+(?:\.\d+)?\s*(?:元|块钱|块|英镑|镑|雷亚尔|pounds?|reais|件|单|天)?)\s*[)）]",
    re.IGNORECASE,
)


def _jiao(m: re.Match[str]) -> str:
    def number(said: str) -> int | None:
        if said.isdigit():
            return int(said)
        return _CN_SMALL.get(said) if len(said) == 1 else cn_amount(said)

    whole = number(m.group(1)) if m.group(1) else 0
    tenth = number(m.group(2))
    if whole is None or tenth is None or tenth > 9:
        return m.group(0)
    return f"{whole}.{tenth}元"


def read_small_money(question: str) -> tuple[str, list[str]]:
    """`question` with 毛 amounts in 元 and a bracketed comparison read in place, and the notes."""
    notes = []
    for m in _BRACKETED_CMP.finditer(question):
        notes.append(f"read {m.group(0).strip()!r} as {m.group(1).strip()!r}")
    question = _BRACKETED_CMP.sub(lambda m: f" {m.group(1).strip()} ", question)
    for m in _JIAO.finditer(question):
        new = _jiao(m)
        if new != m.group(0):
            notes.append(f"read {m.group(0).strip()!r} as {new!r}")
    return _JIAO.sub(_jiao, question), notes


def read_avg_in_chinese(question: str) -> tuple[str, list[str]]:
    """`question` with "avg" typed before a Chinese word read as 平均, and the note saying so."""
    notes = [f"read {m.group(0)!r} as '平均'" for m in _AVG_IN_CHINESE.finditer(question)]
    return _AVG_IN_CHINESE.sub("平均", question), notes


def _cn_amount_around(m: re.Match[str]) -> str:
    n = cn_amount(m.group(3))
    if n is None or not (m.group(1) or m.group(4)):
        return m.group(0)
    return f"{m.group(1) or ''}{m.group(2)}{n}"


def _cn_amount(m: re.Match[str]) -> str:
    n = cn_amount(m.group(3))
    return m.group(0) if n is None else f"{m.group(1)}{m.group(2)}{n}"


# 销 typed as 消 and 占 as 站 (both read alike, xiao / zhan) where no word has them: 消售额, 消量, 站比
_SALES_SLIP = re.compile(r"消(?=售|量)|(?<![车网])站(?=比(?![较起]))")


# "the orders we shipped last month": the orders shipped then (the event word beside its count, read
# as the count's time by timebasis; was: 'shipped' a status filter, the share's part the status)
_WE_DID = re.compile(
    r"\b(orders?|invoices?)\s+(?:that\s+|which\s+)?(?:we|you|they)\s+(?:have\s+|had\s+)?"
    r"(shipped|delivered|paid|cancell?ed|refunded)\b",
    re.IGNORECASE,
)
# "went with SF", "go via JD logistics": the carrier (or channel) said with a verb of going
# (only after the orders named by their shipping: "this year's shipped orders went with SF" stays
# refused, h7_d54's gold counts the orders placed, test_frequent_f31; "went through RJ" too)
_SHIPPED_BY_VERB = re.compile(
    r"\borders?\s+(?:that\s+|which\s+)?(?:we\s+)?shipped\b", re.IGNORECASE
)
_WENT_WITH = re.compile(r"\b(?:went|go|goes|gone)\s+(?=(?:with|via)\b)", re.IGNORECASE)
# "the last week of 2017", "na última semana de 2017": the year's last (first) seven days, not the
# week before today followed by a year (was: 2017-08-20 → 08-26 for "last week … 2017")
_WEEK_OF_A_YEAR = re.compile(
    r"\b(?:the\s+)?(last|final|first)\s+week\s+(?:of|in)\s+(?=(?:the\s+year\s+)?(?:\d{4}|this year|last year)\b)",
    re.IGNORECASE,
)


def _back_in(m: re.Match[str]) -> str:
    return m.group(0) if _BACK_VERBS.match(m.group(1)) else f"{m.group(1)} "


# "the previous year's double 11": a period that owns another is last year's (session 33: read as a
# comparison, "double 11 vs the previous year", and answered as this year's against the day before)
_PREVIOUS_OWN = re.compile(
    r"\b(?:the\s+)?(?:previous|prior)\s+(year|month|quarter|week)(['’]s)(?=\s)", re.IGNORECASE
)


# "across everyone who bought this year", "everybody that ordered": the people who did it (never
# "everyone else": the rest of a comparison)
_EVERYONE_WHO = re.compile(r"\b(?:everyone|everybody)\s+(?=(?:who|that)\b)", re.IGNORECASE)


def _read_as(question: str, notes: list[str], said: re.Pattern[str], new: str) -> str:
    """`question` with each match of `said` rewritten to the fixed words `new`, each rewrite
    said in `notes` ("read '…' as '…'")."""
    notes += [f"read {m.group(0).strip()!r} as {new.strip()!r}" for m in said.finditer(question)]
    return said.sub(new, question)


def expand(question: str) -> tuple[str, list[str]]:
    """`question` with abbreviations written out (lexicon ABBREVIATIONS, "no. of", "30d"), and
    what was read as what."""
    from shopql.nlq.lexicon import ABBREVIATIONS

    notes = [f"read {m.group(0)!r} as 'number of'" for m in _NUMBER_OF.finditer(question)]
    question = _NUMBER_OF.sub("number of", question)
    notes += [f"read {m.group(0)!r} as '{m.group(1)} days'" for m in _DAYS.finditer(question)]
    question = _DAYS.sub(r"\1 days", question)
    question = _UNTIL_NTH.sub("days to ", question)
    question = _VERY_FIRST.sub("", question)
    notes += [
        f"read {m.group(0)!r} as 'new sellers'" for m in _SELLERS_FIRST_SALE.finditer(question)
    ]
    question = _SELLERS_FIRST_SALE.sub("new sellers", question)
    notes += [f"read {m.group(0)!r} as 'new {m.group(2)}'" for m in _NEW_GLOSSED.finditer(question)]
    question = _NEW_GLOSSED.sub(r"\1 \2", question)
    notes += [f"read {m.group(0)!r} as 'new'" for m in _BRAND_NEW.finditer(question)]
    question = _BRAND_NEW.sub("new", question)  # "brand-new customers": new, no brand named
    question = _read_as(question, notes, _EVERYONE_WHO, "all people ")  # "everyone who bought"
    for m in _ITEMS_DID_PEOPLE_BUY.finditer(question):
        notes.append(f"read {m.group(0)!r} as '{m.group(1)}units bought by {m.group(2)}'")
    question = _ITEMS_DID_PEOPLE_BUY.sub(r"\1units bought by \2", question)
    question, paid = _payers_read(question)
    notes += paid
    notes += [f"read {m.group(0)!r} as 'favourited'" for m in _FAV_GESTURE.finditer(question)]
    question = _FAV_GESTURE.sub("favourited", question)
    for m in _ROWS_DID_PEOPLE_PAY.finditer(question):
        notes.append(f"read {m.group(0)!r} as '{m.group(1)}{m.group(2)} were paid by {m.group(3)}'")
    question = _ROWS_DID_PEOPLE_PAY.sub(r"how many \1\2 were paid by \3", question)
    notes += [
        f"read {m.group(0)!r} as {_ORDINALS[m.group(1).lower()]!r}"
        for m in _ORDINAL.finditer(question)
    ]
    question = _ORDINAL.sub(lambda m: _ORDINALS[m.group(1).lower()], question)
    question = _NUMBER_HYPHEN.sub(r"\1 ", question)  # "5-star reviews": 5 star
    question = _read_as(question, notes, _CURRENCY_SAID, " money ")  # "how much perfume (R$)"
    question = _read_as(question, notes, _WHAT_SOLD, "how much did we sell")
    question = _read_as(question, notes, _ISSUE_INVOICES, "have ")  # issued the most invoices
    question = _read_as(question, notes, _HOW_BIG, "what ")  # "how large was our biggest invoice"
    question = _ELIDED.sub(r"\1 \4 \2 \3 \4", question)  # "first to second order"
    for m in _WILDCARD.finditer(question):
        notes.append(f"read {m.group(0)!r} as every {m.group(1)!r} value")
    question = _WILDCARD.sub(r"\1", question)  # "moveis_*": the moveis family said with a *
    for m in _PERIOD_SUPERLATIVE.finditer(question):
        notes.append(f"read {m.group(0)!r} as 'which {m.group(2).lower()} … most'")
    question = _PERIOD_SUPERLATIVE.sub(_which_period, question)  # "busiest month": which month
    question = _PERIOD_PEAKS.sub(lambda m: f"which {m.group(2).lower()} most", question)
    question = _BACK_IN.sub(_back_in, question)  # "spend on avg back in 2017": in 2017
    question = _WE_DID.sub(r"\1 \2", question)  # "the orders we shipped": the orders shipped
    if _SHIPPED_BY_VERB.search(question):  # "the orders we shipped … went with SF": with SF
        question = _WENT_WITH.sub("", question)
    for m in _WEEK_OF_A_YEAR.finditer(question):
        notes.append(f"read {m.group(0).strip()!r} as the {m.group(1).lower()} 7 days of the year")
    question = _WEEK_OF_A_YEAR.sub(lambda m: f"the {m.group(1).lower()} 7 days of ", question)
    question = _PERIOD_SAW.sub(r"\1", question)  # "which month saw the most": which month
    question, everyday = _everyday_en(question)  # "in terms of orders": by orders
    notes += everyday
    question, worth = _order_worth(question)  # "the typical (median) Tmall order worth": value
    notes += worth
    question, first = _only_first_zh(question)  # "卖得最好的SKU 只要第一名": the top one
    notes += first
    question, common = _most_common(question)  # "最常见的支付方式": the one with the most orders
    notes += common
    question, since = _since_last(question)  # "离最后一次下单过去多少天了": to today
    notes += since
    question, small = read_small_money(question)  # "不到5毛钱": 不到0.5元
    notes += small
    for m in _CN_AMOUNT.finditer(question):
        if cn_amount(m.group(3)) is not None:
            notes.append(f"read {m.group(3)!r} as {cn_amount(m.group(3))}")
    question = _CN_AMOUNT.sub(_cn_amount, question)
    for m in _CN_AMOUNT_AROUND.finditer(question):
        if cn_amount(m.group(3)) is not None and (m.group(1) or m.group(4)):
            notes.append(f"read {m.group(3)!r} as {cn_amount(m.group(3))}")
    question = _CN_AMOUNT_AROUND.sub(_cn_amount_around, question)
    question, avg = read_avg_in_chinese(question)
    notes += avg
    for m in _SALES_SLIP.finditer(question):
        notes.append(
            f"read '{m.group(0)}{question[m.end()]}' as '{'销' if m.group(0) == '消' else '占'}{question[m.end()]}'"
        )
    question = _SALES_SLIP.sub(lambda m: "销" if m.group(0) == "消" else "占", question)
    if _NEAR_SLIP.search(question):
        notes.append("read '进' as '近'")
        question = _NEAR_SLIP.sub("近", question)
    if _WHERE_ASKED.search(question) and _PLACE_WORD.search(question):
        notes.append("read 'where' as 'which' (the place word said)")
        question = _WHERE_ASKED.sub("which", question)
    for m in _AT_LEAST_ONE.finditer(question):
        notes.append(f"read {m.group(0)!r} as '{m.group(1)} a'")
    question = _AT_LEAST_ONE.sub(r"\1 a", question)
    for m in _AN_ITEM.finditer(question):
        notes.append(f"read {m.group(0)!r} as '{m.group(1)} something'")
    question = _AN_ITEM.sub(r"\1 something", question)
    for m in _PREVIOUS_OWN.finditer(question):
        notes.append(f"read {m.group(0)!r} as 'last {m.group(1).lower()}{m.group(2)}'")
    question = _PREVIOUS_OWN.sub(lambda m: f"last {m.group(1).lower()}{m.group(2)}", question)
    for short, word in ABBREVIATIONS.items():
        pattern = rf"(?<![a-z0-9/]){re.escape(short)}(?![a-z0-9/$'’])"  # R$, r's: not 'r'
        if re.search(pattern, question, re.IGNORECASE):
            notes.append(f"read {short!r} as {word!r}")
            question = re.sub(pattern, word, question, flags=re.IGNORECASE)
    return question, list(dict.fromkeys(notes))


def _distinct(near: list[str], ws: Any) -> list[str]:
    """One word per meaning: 'sofa' and 'sofas' (one glossary concept, the same vocabulary
    terms) are one candidate, not two."""
    seen: dict[Any, str] = {}
    for word in near:
        seen.setdefault(_meaning(word, ws), word)
    return list(seen.values())


def _meaning(word: str, ws: Any) -> Any:
    concepts: set[str] = set()
    try:
        for name, concept_words in ws.glossary.concepts.items():
            if any(word in _latin_words(w) and len(w.split()) == 1 for w in concept_words):
                concepts.add(name)
    except Exception:  # a broken glossary: words stand for themselves
        pass
    terms = frozenset(ws.vocabulary.terms.get(word, ()))
    if not concepts and not terms:
        return ("word", word)
    return (frozenset(concepts), terms)


def apply(question: str, fixes: dict[str, str]) -> str:
    """`question` with each typo replaced by its reading (whole words, any case)."""
    for typo, word in fixes.items():
        question = re.sub(rf"(?i)(?<![a-z]){re.escape(typo)}(?![a-z])", word, question)
    return question


def notes(fixes: dict[str, str]) -> list[str]:
    return [f"read {typo!r} as {word!r}" for typo, word in fixes.items()]
