"""Words around values: which reading of an ambiguous word places every word of the question.

- A value word that a neighbouring metric's own name covers is part of the metric: "paid sales"
  is the paid-sales metric (its synonyms say "paid gmv"), not sales filtered on status = paid.
- "paid" right after an amount ("total freight paid") is the money paid, not status = paid.
- A value word that introduces a value of another dimension whose names share its stem is that
  dimension's verb: "orders paid with boleto" filters payment_channel = boleto (pay ~ payment
  method), not status = paid as well.
- "A or B" of one dimension is one filter IN (A, B) ("or" is placed); across dimensions it cannot
  be one AND of filters, so "or" stays unplaced and the question is refused.
- Title keywords joined by "and"/"or"/"和"/"或"/"、" are one filter matching any of them (sales
  of sofas and coffee tables: the lines of either); written side by side ("cashmere scarf") each
  must match.
- A dimension word right after a value of it names the value's kind ("天猫平台", "华东地区"),
  not a breakdown.
- "each" / "分别" / "各自" with several values of one dimension splits the answer by that
  dimension, restricted to those values.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from shopql.catalog.semantic import Filter, SemanticQuery
from shopql.nlq.linking import Links, Mention, Term, is_latin, normalise

OR_WORDS = {"or", "或", "或者", "还是"}
AND_WORDS = {"and", "&", "和", "与", "及", "、", ",", "，", "以及", "跟", "plus"}
INTRODUCERS = {"with", "by", "via", "using", "through", "in", "on", "用", "通过", "使用"}
_INTRODUCED = re.compile(
    # "paid for (their first order) by credit card": what was paid for, said between the verb and
    # its introducer, is no status either (status = paid would keep a handful of orders)
    r"(?:(?:for )?(?:it|them|(?:the|their|his|her|its|an?|each|every|that|this)(?: (?:(?:first|1st|"
    r"second|2nd|last|latest|own) )?(?:order|orders|purchase|purchases|invoice|invoices))?) |for )?"
    r"(?:with|by|via|using|through)(?: (?:an?|the|their|one's))?"
)  # "paid with a card"
# "paid with something other than wechat", "paid by any method except boleto": the introducer of
# a value said as left out (the negation word between them)
_INTRODUCED_OTHER = re.compile(
    r"(?:with|by|via|using|through)(?: (?:something|anything|any|some|a|an)"
    r"(?: (?:other )?(?:method|channel|way|means|type))?)?"
)
# a verb said as not done inside a metric's own phrase: "orders not paid" (unpaid orders)
_NOT_VERB = re.compile(r"\b(?:not|never)\s+([a-z]+)\b")
# words naming the kind of place a value is, right after it ("华东地区", "São Paulo state")
CLASSIFIERS = {"地区", "区域", "地方", "一带", "region", "area", "state"}
EACH_WORDS: tuple[str, ...] = (
    "each",
    "respectively",
    "separately",
    "one by one",
    "分别",
    "各自",
    "各是",
)
EACH_WORDS += (
    "各卖",
    "各买",
    "各退",
    "各下单",
    "各下",  # "curitiba 和 porto alegre 今年 各 下 了 多少单"
    "各付",
    "各支付金额",  # "银联和card各付了多少钱" (付了多少钱 read as 支付金额多少: languages.yaml)
    "各花",
    "各消费",  # 各花了 is read 各消费了 (languages.yaml)
    "各成交",
    "各来",
    "各有",
    "各多少",
    "各发货",  # "顺丰跟韵达各发了多少单" (发了 read as 发货: languages.yaml)
    "各几",  # "一星和五星今年各几条"
    "各收",  # "voucher和debit_card 今年各自收了多少钱" (o, session 29)
    "各赚",
    # the money said as a noun or another verb right after 各 (session 40: "7月boleto跟信用卡各进账
    # 多少" was one figure for both — 各 is a function word elsewhere, so it was dropped unread);
    # never a noun that names rows (各订单 / 各单 / 各商品 are a breakdown)
    "各进账",
    "各入账",
    "各挣",
    "各贡献",
    "各收入",
    "各营收",
    "各销售额",
    "各营业额",
    "各成交额",
    "各流水",
    "各销量",
    "各卖出",
)  # "沙发和茶几各卖了多少" (issue 11)
_IRREGULAR = {"paid": "pay", "bought": "buy", "sold": "sell", "shipped": "ship", "sent": "send"}
_TOKEN = re.compile(r"[a-z]+")


def stem(word: str) -> str:
    word = _IRREGULAR.get(word, word)
    for suffix in ("ment", "ing", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


# a participle right after an amount says what the money was ("freight paid", "discount paid"),
# not the status of the order (Olist's "paid" = paid and awaiting shipment)
MONEY_PARTICIPLES = {"paid"}
_AUXILIARIES = ("was", "were", "is", "are", "been", "has been", "have been", "had been", "got")


def _money(catalog: Any, term: Any) -> bool:
    """Whether a metric or measurable mention is an amount of money."""
    found = (catalog.metrics if term.kind == "metric" else catalog.measurables).get(term.target)
    return getattr(found, "value_type", None) == "money"


# an amount of the orders placed, said "paid": the catalog's amount of the paid orders
_PAID_AMOUNTS = {"placed_gmv": "paid_gmv"}


def _paid_status(m: Mention) -> bool:
    """Whether a value mention is the order status 'paid' said as "paid" (not 待发货 etc.)."""
    return m.term.target == "status" and m.term.value == "paid" and m.phrase in MONEY_PARTICIPLES


def _over_paid(catalog: Any, term: Any) -> bool:
    """Whether a metric mention is a figure over paid orders only (its own condition, or both
    parts of a ratio): the median order value, the average order value."""
    if term.kind != "metric":
        return False
    m = catalog.metrics.get(term.target)
    parts = [m] if m is not None and m.type != "ratio" else []
    if m is not None and m.type == "ratio":
        parts = [catalog.metrics.get(x) for x in (m.numerator, m.denominator)]
    return bool(parts) and all(
        p is not None and "paid_at IS NOT NULL" in (p.filter or "") for p in parts
    )


def _gap(text: str, a: Mention, b: Mention) -> str:
    return text[a.end : b.start].strip()


def _metric_phrases(catalog: Any, metric: str) -> list[str]:
    m = catalog.metrics.get(metric)
    if m is None:
        return []
    return [normalise(p) for p in [m.name.replace("_", " "), *m.label.values(), *m.synonyms]]


def _dimension_stems(catalog: Any, dim: str) -> set[str]:
    info = catalog.dimensions.get(dim)
    words = [dim.replace("_", " ")]
    if info is not None:
        words += [*info.label.values(), *info.synonyms]
    return {stem(t) for w in words for t in _TOKEN.findall(normalise(w))}


def _within(word: str, phrase: str) -> bool:
    return word in phrase.split() if is_latin(word) else word in phrase


def resolve(links: Links, catalog: Any) -> Links:
    """Drop value mentions that a metric or another value's introducer reading explains better,
    and place "or" between two values of one dimension."""
    text = links.text
    mentions = _outside_and(text, list(links.mentions), catalog)
    mentions = _negated_verb_of_value(text, mentions, catalog)
    drop: set[int] = set()
    for k, m in enumerate(mentions):
        if m.term.kind != "value":
            continue
        neighbours = [mentions[j] for j in (k - 1, k + 1) if 0 <= j < len(mentions)]
        for n in neighbours:
            a, b = (m, n) if m.start < n.start else (n, m)
            if n.term.kind not in ("metric", "measure"):
                continue
            said = _gap(text, a, b)
            paid = a is n and m.phrase in MONEY_PARTICIPLES and said in ("", *_AUXILIARIES)
            if paid and _money(catalog, n.term):
                drop.add(k)  # "total freight (was) paid in 2017": the money paid, not status
            elif a is m and not said and _paid_status(m) and n.term.kind == "metric":
                # "median paid order value", "average paid order value", "paid order value":
                # the money of the paid orders, not of those whose status is still 'paid'
                # (Olist: paid and not yet shipped) — an amount placed becomes the one paid
                paid_amount = _PAID_AMOUNTS.get(n.term.target)
                if paid_amount in catalog.metrics or _over_paid(catalog, n.term):
                    drop.add(k)
                    if paid_amount is not None and paid_amount in catalog.metrics:
                        mentions[mentions.index(n)] = replace(
                            n, term=n.term._replace(target=paid_amount)
                        )
            elif (
                n.term.kind == "metric"
                and not said
                and any(_within(m.phrase, p) for p in _metric_phrases(catalog, n.term.target))
            ):
                drop.add(k)
        if k in drop or k + 1 >= len(mentions):
            continue
        nxt = mentions[k + 1]
        between = _gap(text, m, nxt)
        if (
            nxt.term.kind == "modifier"
            and nxt.term.target == "negation"
            and k + 2 < len(mentions)
            and mentions[k + 2].term.kind == "value"
            and _introduced_left_out(between, _gap(text, nxt, mentions[k + 2]))
        ):  # "paid with something other than wechat": the value left out is the one introduced
            nxt, between = mentions[k + 2], ""
        if (
            nxt.term.kind == "value"
            and nxt.term.target != m.term.target
            and (between in INTRODUCERS | {""} or _INTRODUCED.fullmatch(between))
            and any(
                stem(t) in _dimension_stems(catalog, nxt.term.target)
                for t in _TOKEN.findall(m.phrase)
            )
        ):
            drop.add(k)
    pointed: list[str] = []  # "boleto那种付款方式", "手表礼品这类": a demonstrative after a value
    for k in range(1, len(mentions)):  # "华东地区", "天猫平台": the value's kind, not a breakdown
        m, v = mentions[k], mentions[k - 1]
        asked = m.phrase.startswith(("哪", "which", "what"))  # "除了英国 哪个国家": a question
        asked = asked or m.phrase.startswith(("各", "每"))  # "除了英国 各国销售额": per country
        gap = _gap(text, v, m) if v.term.kind == "value" else None
        if m.term.kind == "dimension" and gap is not None and gap in ("", *DEMONSTRATIVES):
            if (m.term.target == v.term.target or m.phrase in CLASSIFIERS) and not asked:
                drop.add(k)
                pointed += [gap] if gap else []
    pointed += _pointing_back(text, mentions, drop)
    kept = [m for k, m in enumerate(mentions) if k not in drop]
    placed = _placed_connectors(text, kept) + pointed
    if not drop and not placed:
        return links if mentions == links.mentions else replace(links, mentions=mentions)
    rest = text
    for m in kept:
        rest = rest[: m.start] + " " * (m.end - m.start) + rest[m.end :]
    leftover = list(links.leftover)
    for k in sorted(drop):
        leftover += [w for w in mentions[k].phrase.split() if w not in leftover]
    for word in placed:
        if word in leftover:
            leftover.remove(word)
    for k in sorted(drop):  # the dropped word is explained by its neighbour: not left over
        for w in mentions[k].phrase.split():
            if w in leftover:
                leftover.remove(w)
    return Links(text=text, mentions=kept, leftover=leftover)


def _introduced_left_out(before: str, after: str) -> bool:
    """The words around a negation between a verb and a value say the value introduced is the one
    left out: "paid with something other than wechat" (the introducer before the negation),
    "paid other than by credit card" (after it)."""
    if not after:
        return bool(_INTRODUCED_OTHER.fullmatch(before))
    return not before and (after in INTRODUCERS or bool(_INTRODUCED.fullmatch(after)))


def _negated_verb_of_value(text: str, mentions: list[Mention], catalog: Any) -> list[Mention]:
    """ "orders last month not paid by wechat": a metric whose own phrase says a verb was not done
    ("orders not paid": unpaid orders) right before that verb's introducer and a value of the
    dimension the verb names (paid by → payment channel) says the value was not the one — the
    orders paid some other way (or not at all), not the unpaid orders paid by wechat. Read as the
    metric without the verb (orders) and the value left out (a negation before it); when no
    metric is named by the rest of the phrase, the mentions are left as they were."""
    out = list(mentions)
    for k, m in enumerate(mentions[:-1]):
        if m.term.kind != "metric" or text[m.start : m.end] != m.phrase:
            continue
        neg = _NOT_VERB.search(m.phrase)
        nxt = mentions[k + 1]
        if neg is None or nxt.term.kind != "value":
            continue
        between = _gap(text, m, nxt)
        if between not in INTRODUCERS and not _INTRODUCED.fullmatch(between):
            continue
        if stem(neg.group(1)) not in _dimension_stems(catalog, nxt.term.target):
            continue
        head, tail = m.phrase[: neg.start()].strip(), m.phrase[neg.end() :].strip()
        if tail or not head:
            continue
        positive = next(
            (name for name in catalog.metrics if normalise(head) in _metric_phrases(catalog, name)),
            None,
        )
        if positive is None:
            continue
        at = m.start + neg.start()
        out[k] = Mention(head, m.start, m.start + len(head), Term("metric", positive))
        out.insert(
            k + 1,
            Mention(neg.group(0), at, m.start + neg.end(), Term("modifier", "negation", weight=30)),
        )
        return out
    return out


def no_breakdown_words(links: Links, catalog: Any, ranked: bool) -> Links:
    """Dimension words that name what a filter already says, when nothing ranks or asks for
    each: "除了英国以外的国家", "CHRISTMAS 商品占销量的比例" (`ranked`: a top N was read off)."""
    mentions = links.mentions
    rest = _rest_after_exclusion(links.text, mentions, catalog, ranked)
    rest |= _kind_before_exclusion(links.text, mentions, ranked)
    drop = rest | (set() if ranked else _kind_of_keyword(links.text, mentions))
    if not drop:
        return links
    said = _REST_WORDS if rest else set()  # "除了SP和RJ 其他州": 其他 says the rest
    leftover = [
        w
        for w in links.leftover
        if w not in said and not any(w in mentions[k].phrase for k in drop)
    ]
    kept = [m for k, m in enumerate(mentions) if k not in drop]
    return Links(text=links.text, mentions=kept, leftover=leftover)


_SHARE_ASKED = re.compile(r"占|比例|比重|百分之|\b(?:share|percent\w*|proportion|fraction)\b|%")


def _kind_of_keyword(text: str, mentions: list[Mention]) -> set[int]:
    """ "上季度 CHRISTMAS 商品占销量的比例", "share of units from christmas products": the product
    word right after a title keyword names what the keyword matches (those products together, a
    part of the whole), not a breakdown by product — when a share is asked and no ranking or
    'each' ("销量前十的heart商品" stays a ranking of products)."""
    if not _SHARE_ASKED.search(text) or _asks_each(text):
        return set()
    drop = set()
    for k in range(1, len(mentions)):
        m, v = mentions[k], mentions[k - 1]
        named = m.term.kind in ("dimension", "measure") and m.term.target == "product"
        if v.term.kind != "keyword" or not named:
            continue
        if _gap(text, v, m) in ("", "的", "类", "类的", "系列", "系列的"):
            drop.add(k)
    return drop


_OUTSIDE = re.compile(r"^(?:outside(?: of)?|non)[\s-]+")


def _outside_and(text: str, mentions: list[Mention], catalog: Any) -> list[Mention]:
    """ "sales outside the UK and Germany": outside both, not Germany (one country of 'the rest')
    within the rest of the world. The group word said with 'outside' / 'non-' and joined by 'and'
    to a value of the grouped dimension is read as excluding the group's named members and that
    value; anywhere else it stays the group."""
    groups = getattr(catalog, "value_groups", {}) or {}
    out = list(mentions)
    for k, m in enumerate(mentions[:-1]):
        gs = groups.get(m.term.target) if m.term.kind == "value" else None
        word = _OUTSIDE.match(m.phrase)
        if gs is None or gs.others is None or m.term.value != gs.others.name or word is None:
            continue
        n = mentions[k + 1]
        if n.term.kind != "value" or n.term.target != gs.dimension:
            continue
        if _gap(text, m, n) not in AND_WORDS:
            continue
        members = [v for g in gs.groups for v in g.members]
        cut = m.start + word.end()
        negation = Mention(text[m.start : cut].strip(), m.start, cut, Term("modifier", "negation"))
        named = [
            Mention(text[cut : m.end], cut, m.end, Term("value", gs.dimension, v, m.term.weight))
            for v in members
        ]
        return [*mentions[:k], negation, *named, *mentions[k + 1 :]]
    return out


# after values excluded ("除了英国和德国"), the word for the rest of them names no more values:
# "其他国家", "以外的国家", "the other countries" are those not excluded
# ("别的" is left over as 别: 的 is no word of its own)
_REST_WORDS = {"其他", "其它", "其余", "别的", "别", "以外", "之外", "除外"}
_REST_GAP = re.compile(r"^(?:以外|之外|除外)?\s*(?:的)?\s*(?:其他|其它|其余|别的)?\s*(?:的)?$")
_ASKS_EACH = re.compile(
    r"哪|各|每|排名|排行|最|前\s*[\d一二两三四五六七八九十]|\b(?:which|each|per|by|top|rank\w*)\b"
)
# 每 / per before the unit an average or a grain is counted in ("平均每单运费", "每个月", "average
# freight per order") asks for no group one by one: only 每 / per before the group's kind does
_PER_UNIT = re.compile(
    r"每\s*一?\s*[个位名家]?\s*(?:单|笔|张|件|人|天|日|周|星期|礼拜|月|季度?|年|次|小时|"
    r"客户|买家|顾客|用户|订单|发票|会员)"
    r"|\bper\s+(?:an?\s+)?(?:order|invoice|customer|buyer|person|head|capita|day|week|month|"
    r"quarter|year|item|unit|line|payment|visit)s?\b",
    re.IGNORECASE,
)


def _asks_each(text: str) -> bool:
    """Whether `text` asks for something one by one (which, each, a ranking, a top N) beyond
    the unit of an average or a grain."""
    return bool(_ASKS_EACH.search(_PER_UNIT.sub(" ", text)))


def _rest_after_exclusion(
    text: str, mentions: list[Mention], catalog: Any, ranked: bool = False
) -> set[int]:
    """Mentions that only say "the rest" of values excluded just before them: "除了英国和德国 其他
    国家上个月卖了多少" is every country but those two — not, besides, the group 'Rest of the
    world' excluded too (which left nothing); "除了英国以外的国家卖了多少" one figure, not one a
    country (unless a ranking or 'each' asks for them one by one)."""
    drop: set[int] = set()
    groups = getattr(catalog, "value_groups", {}) or {}
    for k, m in enumerate(mentions):
        excluded: list[Mention] = []
        negated = False
        outside = False  # "SP以外的州": the values said before 以外 / 之外
        for j in range(k - 1, -1, -1):
            n = mentions[j]
            if n.term.kind == "value":
                excluded.append(n)
                continue
            negation = n.term.kind == "modifier" and n.term.target == "negation"
            if negation and not excluded and not outside and n.phrase in ("以外", "之外", "除外"):
                outside = True
                continue
            negated = negation
            break
        negated = negated or (outside and bool(excluded))
        if not excluded or not negated:
            continue  # "uk vs rest of world": no exclusion before the rest
        base = {n.term.target for n in excluded}
        if len(base) != 1:
            continue
        dim = next(iter(base))
        gap = _gap(text, excluded[0], m)
        if m.term.kind == "value":
            gs = groups.get(m.term.target)
            others = getattr(getattr(gs, "others", None), "name", None)
            if gs is not None and gs.dimension == dim and m.term.value == others:
                drop.add(k)  # "除了英国 其他国家": the rest, already said by the exclusion
        elif m.term.kind in ("dimension", "measure") and m.term.target == dim:
            if _REST_GAP.match(gap) and gap and not (ranked or _asks_each(text)):
                drop.add(k)  # "除了英国以外的国家": those countries together
    return drop


def _kind_before_exclusion(text: str, mentions: list[Mention], ranked: bool) -> set[int]:
    """ "sales in states other than SP and RJ": the kind said right before the exclusion of
    some of its values is the rest of them together — one figure, not one a state (unless a
    ranking or 'each' asks for them one by one)."""
    if ranked or _asks_each(text):
        return set()
    drop: set[int] = set()
    for k, m in enumerate(mentions[:-2]):
        negation, value = mentions[k + 1], mentions[k + 2]
        if m.term.kind not in ("dimension", "measure") or _gap(text, m, negation):
            continue
        if negation.term.kind != "modifier" or negation.term.target != "negation":
            continue
        if value.term.kind == "value" and value.term.target == m.term.target:
            drop.add(k)
    return drop


# "boleto那种付款方式", "手表礼品这类18年卖了多少钱": a demonstrative right after a value points
# back at it (that kind: the value itself). Only after a value of a dimension and not before a
# product word: "mug这种杯子" (mugs, a kind of cup) is not mugs that are cups, and stays unplaced.
DEMONSTRATIVES = ("这类", "那类", "这一类", "那一类", "这种", "那种", "这一种", "那一种")


def _pointing_back(text: str, mentions: list[Mention], drop: set[int]) -> list[str]:
    """The demonstratives right after a value mention with no product word or other value
    right after them (a following name of the value's own dimension is dropped already)."""
    out = []
    for k, v in enumerate(mentions):
        if v.term.kind != "value" or k in drop:
            continue
        after = text[v.end :].lstrip()
        word = next(
            (w for w in sorted(DEMONSTRATIVES, key=len, reverse=True) if after.startswith(w)), None
        )
        if word is None:
            continue
        start = len(text) - len(after) + len(word)
        nxt = next((n for j, n in enumerate(mentions) if j > k and j not in drop), None)
        if (
            nxt is not None
            and not text[start : nxt.start].strip()
            and nxt.term.kind
            in (
                "value",
                "keyword",
            )
        ):
            continue
        if nxt is not None and nxt.start < start:
            continue
        out.append(word)
    return out


def _placed_connectors(text: str, mentions: list[Mention]) -> list[str]:
    """The "or" words standing between two values (or title keywords) of one dimension."""
    placed = []
    for a, b in zip(mentions, mentions[1:], strict=False):
        if a.term.kind not in ("value", "keyword") or (a.term.kind, a.term.target) != (
            b.term.kind,
            b.term.target,
        ):
            continue
        gap = _gap(text, a, b)
        if gap in OR_WORDS:
            placed.append(gap)
    return placed


def merge_keywords(links: Links, filters: list[Filter]) -> list[Filter]:
    """Title keywords joined by and/or are one filter matching any of them."""
    mentions = [m for m in links.mentions if m.term.kind in ("keyword", "value", "modifier")]
    groups: list[list[Mention]] = []
    for m in mentions:
        if m.term.kind != "keyword":
            groups.append([])
            continue
        if groups and groups[-1] and _gap(links.text, groups[-1][-1], m) in OR_WORDS | AND_WORDS:
            groups[-1].append(m)
        else:
            groups.append([m])
    joined = [g for g in groups if len(g) > 1]
    if not joined:
        return filters
    out = list(filters)
    for group in joined:
        patterns = []
        for m in group:
            values = m.term.value if isinstance(m.term.value, tuple) else (m.term.value,)
            patterns += [f"%{v}%" for v in values]
        members = [
            f
            for f in out
            if f.op == "like"
            and f.dimension == group[0].term.target
            and set(f.values) <= set(patterns)
        ]
        if len(members) < 2:
            continue
        at = out.index(members[0])
        out = [f for f in out if f not in members]
        out.insert(at, Filter(group[0].term.target, "like", tuple(dict.fromkeys(patterns))))
    return out


def _each_pattern(word: str) -> str:
    # a Chinese word needs no word boundary: "SP和RJ各有多少订单" (各 right after a Latin value),
    # and may be said with spaces: "天猫 和 京东 各 卖了 多少"
    if word.isascii():
        return rf"(?<![a-z]){re.escape(word)}(?![a-z])"
    return r"\s*".join(map(re.escape, word))


EACH_SAID = re.compile("|".join(_each_pattern(w) for w in EACH_WORDS))


def each_said(text: str) -> bool:
    """Whether the (normalised) question says each / 分别 / 各卖 … of several values."""
    return EACH_SAID.search(text) is not None


def per_value(question: str, query: SemanticQuery) -> SemanticQuery:
    """ "tmall and jd each": the IN filter's dimension becomes a breakdown (restricted to them)."""
    if not each_said(normalise(question)):
        return query
    several = [f.dimension for f in query.filters if f.op == "in" and len(f.values) > 1]
    if not several or several[0] in query.dimensions:
        return query
    return replace(query, dimensions=(*query.dimensions, several[0]))


JOINERS = AND_WORDS | OR_WORDS | {"+", "加", "加上", "/"}
_BRACKET = re.compile(r"\s*[(（]([^()（）]*)[)）]")


def one_dimension_pairs(links: Links, vocabulary: Any) -> Links:
    """ "重庆和成都一共多少单", "重庆+成都": two values joined by and / or / + name places of one
    kind — the one that also names a value of the other's dimension is read there (重庆 is a
    province and a city: beside 成都, a city only, the city). Not two filters of different
    dimensions that no order meets at once (province 重庆 and city 成都: 0). A word right before
    a bracket of such values ("成渝两地(重庆+成都)") is their name: the bracket says it."""
    text = links.text
    mentions = list(links.mentions)
    for k in range(len(mentions) - 1):
        a, b = mentions[k], mentions[k + 1]
        if a.term.kind != "value" or b.term.kind != "value" or a.term.target == b.term.target:
            continue
        if _gap(text, a, b) not in JOINERS:
            continue
        for x, y in ((a, b), (b, a)):
            other = [t for t in vocabulary.terms.get(x.phrase, []) if t.kind == "value"]
            alt = next((t for t in other if t.target == y.term.target), None)
            if alt is None or any(
                t.kind == "value" and t.target == x.term.target
                for t in vocabulary.terms.get(y.phrase, [])
            ):
                continue
            mentions[mentions.index(x)] = replace(x, term=alt)
            break
    leftover = list(links.leftover)
    for m in _BRACKET.finditer(text):
        inside = [v for v in mentions if m.start(1) <= v.start and v.end <= m.end(1)]
        if len(inside) < 2 or len({v.term.target for v in inside}) != 1:
            continue
        if any(v.term.kind != "value" for v in inside):
            continue
        rest = text[m.start(1) : m.end(1)]
        for v in sorted(inside, key=lambda v: -v.start):
            rest = rest[: v.start - m.start(1)] + " " + rest[v.end - m.start(1) :]
        if any(w not in JOINERS for w in rest.split()):
            continue
        before = text[: m.start()].rstrip()
        name = next((w for w in leftover if before.endswith(w)), None)
        if name is not None:
            leftover.remove(name)
    return Links(text=text, mentions=mentions, leftover=leftover)


def export_status(links: Links, ws: Any) -> tuple[dict[str, str], str]:
    """Status words read in the export's own words: on Online Retail "cancelled"/"取消" names
    status cancelled (stock adjustments), while the file calls its C invoices 'cancellation
    invoice' (status refunded). When only another status's export names use the word (all of
    them), that status is meant: {asked value: status meant}. When the export uses the word for
    several statuses, either reading could answer a question the asker did not mean: the reason
    to refuse (second item), else ""."""
    from shopql.nlq.names import STATUS_ALIASES

    pairs = [p.split("\t", 1) for p in ws.values.values.get("status_raw", []) if "\t" in p]
    meant: dict[str, str] = {}
    for m in links.mentions:
        if m.term.kind != "value" or m.term.target != "status":
            continue
        value = str(m.term.value)
        words = {
            stem(w) for a in [value, *STATUS_ALIASES.get(value, [])] for w in _TOKEN.findall(a)
        }

        def names(raw: str, words: set[str] = words) -> bool:
            return any(_same_root(w, r) for w in words for r in _TOKEN.findall(raw.lower()))

        own = sorted({raw for canon, raw in pairs if canon == value})
        others = sorted({canon for canon, raw in pairs if canon != value and names(raw)})
        if not others:
            continue
        whole = all(names(raw) for canon, raw in pairs if canon == others[0])
        if len(others) == 1 and whole and not any(names(raw) for raw in own):
            meant[value] = others[0]
            continue
        held = f" (it holds the export's {', '.join(repr(r) for r in own)})" if own else ""
        said = ", ".join(sorted({raw for canon, raw in pairs if canon in others and names(raw)}))
        return {}, (
            f"'{m.phrase}' is ambiguous in this data: status {value}{held}, while the export's "
            f"{said!r} rows are status {', '.join(others)} — name the status you mean"
        )
    return meant, ""


def with_export_status(filters: list[Filter], meant: dict[str, str]) -> list[Filter]:
    """`filters` with each status value replaced by the status the export's words mean."""
    return [
        replace(f, values=tuple(meant.get(str(v), v) for v in f.values))
        if f.dimension == "status"
        else f
        for f in filters
    ]


def _same_root(a: str, b: str) -> bool:
    """Two English words of one root ("cancel" ~ "cancellation"): a shared start of 5+ letters."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n >= 5
