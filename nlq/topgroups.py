"""The top item inside each of the top N groups: "销售额前3的州各自卖得最好的品类", "今年销售额前5的省
每个省卖得最好的商品", "top category in each of the top 3 states".

The top N said of the group (前3的州, the top 3 states) picks the groups — by the ranked metric
over each whole group (a state's sales, not its lines of one category) — and the ranking said of
the other breakdown (卖得最好的品类, the top category) is made inside each of them (the top one,
or the top n when a number is said of it too: 各自前2的品类). Before this, the group's number was
read as the number inside each group ("销售额前3的州 每个州卖得最好的品类" answered the top 3
categories of every state). A top N said of the group with no ranking inside it is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from shopql.catalog.semantic import SemanticQuery

_NUMBER = r"(\d+|[一二两三四五六七八九十]+)"
# the top N said right before a breakdown's word: 前3的州, 前 5 个 省, 前三名的国家, top 3 states
# … or the superlative said before the number: 销售额最高的3个省, 客户数最多的 3 个 省
_TOP_N_BEFORE = (
    rf"(?:前\s*{_NUMBER}\s*(?:名|个|大|位|家)?\s*(?:的)?|\btop\s*{_NUMBER}\s+"
    rf"|(?:最高|最多|最大)\s*的?\s*{_NUMBER}\s*(?:个|家|位|名)\s*(?:的)?)\s*"
)
# each of them, said before the groups (each of the top 3) or after them (respectively)
_EACH_BEFORE_EN = re.compile(
    r"\b(?:in |for |within )?(?:each|every one|every single one) of (?:the )?$"
)
_EACH_AFTER_EN = re.compile(
    r"\b(?:respectively|(?:in |for )?each of them|in each one|each one'?s|each of their)\b"
)
# the ranking said of the other breakdown: its best one
_BEST = re.compile(
    r"最好|最高|最多|最大|最畅销|最火|最受欢迎|第一|卖得好|\b(?:top|best|biggest|largest|highest"
    r"|most|leading)\b"
)
# the best-selling one said of the other breakdown, right before its word
_SOLD_BEST = r"卖得最好|卖的最好|最畅销|卖得最多|卖的最多|最火|最受欢迎"
# the one best group said with no number, and the ranking inside it (卖得最好的那个品类里 …,
# 销售额最高的州当中 …): the top 1 of the group, the inside-word its each-word
_TOP_ONE_BEFORE = (
    rf"(?:{_SOLD_BEST}|最高|最多|最大|最好)\s*的?\s*(?:那|这)?\s*(?:一)?\s*(?:个|家|位|名)?\s*"
)
_INSIDE = r"\s*(?:里面|里头|当中|之中|里|中)"
# … or the other breakdown asked of it with 在哪个: "卖得最好的商品在哪个平台卖得最多" (the best
# product over every platform, then its best platform — never the top (product, platform) pair);
# not 是哪个类目的 (the best product's own category: an attribute of it, the pair is right)
_WHERE_OF_IT = r"\s*(?:是|都|主要|又)?\s*在\s*(?=哪)"
# … said in English after the ranking inside it: "best-selling product in the best-selling
# category", "top 3 cities within our biggest state" (one group: a singular noun)
_IN_TOP_ONE_EN = (
    r"\b(?:in|within|inside|from)\s+(?:the|our)\s+(?:single\s+)?(?:top|best[- ]selling|best"
    r"|biggest|largest|highest[- ]grossing|top[- ]selling|leading)\s+"
)
_FLIPPED = re.compile(r"倒数|最差|最低|最少|\b(?:bottom|worst|lowest|least)\b")


@dataclass
class TopGroups:
    group: str  # the dimension whose top `n` groups are kept
    n: int
    per_group: int  # the top this many of the other breakdown inside each
    said: str  # the words that say so (placed)


def top_groups(question: str, query: SemanticQuery, mentions: list[Any]) -> TopGroups | None:
    """The top groups said in `question` of one of the query's two breakdowns, with a ranking
    of the other inside each of them; None when no top N is said right before a breakdown's
    word, or no each-word. The top N said of the group and each of them, but no best one (or
    the worst) inside each, is a TopGroups with per_group 0: not understood."""
    from shopql.catalog.timephrase import cn_number
    from shopql.nlq.linking import normalise

    if len(query.dimensions) != 2 or query.grain or query.compare:
        return None
    text = normalise(question)
    found = None
    for x in mentions:
        if x.term.kind != "dimension" or x.term.target not in query.dimensions:
            continue
        m = re.search(_TOP_N_BEFORE + re.escape(x.phrase), text, re.IGNORECASE)
        if m is not None:
            found = (x, m)
            break
    if found is None:
        return _top_one(text, query, mentions)
    x, m = found
    group = str(x.term.target)
    other = next(d for d in query.dimensions if d != group)
    n = cn_number(next(g for g in m.groups() if g))
    if not n:
        return None
    before, after = text[: m.start()], text[m.end() :]
    # each of them: 各自 / 分别, or 每个 with the group's own word again (销售额前3的州 每个州 …),
    # not with the other's (前3的品类 每个州: the top 3 inside each state, read as such)
    again = rf"(?:每一个|每个|每|各个|各)\s*(?:{'|'.join(_phrases(mentions, group))})"
    each = _EACH_BEFORE_EN.search(before) or re.search(rf"各\s*自|分别|{again}", after)
    each = each or _EACH_AFTER_EN.search(after)
    other_words = "|".join(_phrases(mentions, other))
    # "客户数最多的3个州 卖得最好的品类": the other's best said right after the groups, no each-word
    each = each or re.match(rf"\s*[，,]?\s*(?:{_SOLD_BEST})\s*的?\s*(?:{other_words})", after)
    if each is None:  # "销售额前3的州和品类": no ranking inside each group said
        return _top_one(text, query, mentions)  # "top 3 cities in our biggest state": inside
    rest = before + " " + after
    if _FLIPPED.search(rest) or not _BEST.search(rest):
        return TopGroups(group, n, 0, m.group(0).strip())
    per_group = 1
    for y in mentions:  # 各自前2的品类, the top 2 categories in each of the top 3 states
        if y.term.kind == "dimension" and y.term.target == other:
            inner = re.search(_TOP_N_BEFORE + re.escape(y.phrase), text, re.IGNORECASE)
            if inner is not None and inner.start() != m.start():
                per_group = cn_number(next(g for g in inner.groups() if g)) or 1
    return TopGroups(group, n, per_group, m.group(0).strip())


def _top_one(text: str, query: SemanticQuery, mentions: list[Any]) -> TopGroups | None:
    """ "今年卖得最好的那个品类里 卖得最好的是哪一款": the best group said with no number and a
    ranking of the other breakdown inside it (里 / 当中) — the top 1 group, the top one inside
    it; the worst said inside (最差 / 最少) is not read (per_group 0). None when no best group
    is said right before its word and an inside-word."""
    for x in mentions:
        if x.term.kind != "dimension" or x.term.target not in query.dimensions:
            continue
        m = re.search(_TOP_ONE_BEFORE + re.escape(x.phrase) + f"(?:{_INSIDE}|{_WHERE_OF_IT})", text)
        if m is None:
            english = _top_one_after(text, query, mentions, x)
            if english is not None:
                return english
            continue
        after = text[m.end() :]
        other = next(d for d in query.dimensions if d != x.term.target)
        if not any(y.term.target == other and y.start >= x.end for y in mentions):
            return None  # the other breakdown said before: not ranked inside the group
        said = m.group(0).strip()
        if _FLIPPED.search(after) or not _BEST.search(after):
            return TopGroups(str(x.term.target), 1, 0, said)
        return TopGroups(str(x.term.target), 1, 1, said)
    return None


def _top_one_after(
    text: str, query: SemanticQuery, mentions: list[Any], x: Any
) -> TopGroups | None:
    """ "the best-selling product in the best-selling category": the best group said in English
    after the ranking made inside it (mention `x` the group's word)."""
    from shopql.catalog.timephrase import cn_number

    m = re.search(_IN_TOP_ONE_EN + re.escape(x.phrase) + r"\b", text, re.IGNORECASE)
    other = next(d for d in query.dimensions if d != x.term.target)
    inner = [y for y in mentions if y.term.target == other and y.end <= x.start]
    if m is None or not inner:
        return None
    before = text[: m.start()]
    if _FLIPPED.search(before) or not _BEST.search(before):
        return TopGroups(str(x.term.target), 1, 0, m.group(0).strip() + " " + x.phrase)
    n = re.search(_TOP_N_BEFORE + re.escape(inner[0].phrase), before, re.IGNORECASE)
    per_group = (cn_number(next(g for g in n.groups() if g)) if n else 0) or 1
    return TopGroups(str(x.term.target), 1, per_group, m.group(0).strip() + " " + x.phrase)


def _phrases(mentions: list[Any], dimension: str) -> list[str]:
    return [re.escape(x.phrase) for x in mentions if x.term.target == dimension] or ["$^"]


# what says "each of them" once the groups are placed: left unplaced by the reading
_EACH_LEFT = re.compile(
    r"(?:各\s*自|自|分别|各个|各|每个|每一个|每|respectively)\s*(?:卖得最好|卖的最好|最畅销|最好|最受欢迎|最火|最常用)?"
    # the superlative alone once 各自 / 分别 was read as a function word (linking's "each")
    r"|(?:卖得最好|卖的最好|最畅销|最受欢迎|最火|最常用)"
    r"|(?i:one'?s)",  # "each one's best-selling product": 'each' read, "one's" left
)


def two_bests(question: str) -> bool:
    """Whether a best is said twice ("卖得最好的商品，哪个平台卖得最多"): two rankings, one of each
    breakdown — never the top pair of the two."""
    from shopql.nlq.linking import normalise

    return len(_BEST.findall(normalise(question))) >= 2


def placed(leftover: list[str]) -> list[str]:
    """The words left unplaced once the top groups are read: without the each-words."""
    return [w for w in leftover if not _EACH_LEFT.fullmatch(w.strip())]
