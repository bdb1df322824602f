"""The offline engine's reading of the catalog families (catalog.families): counts of entities,
aggregations of measurable columns and durations, from the catalog's own words.

Vocabulary: every countable, measurable and duration name (both languages) is a `measure` term,
weaker than a dimension, so "orders by review score" stays a breakdown; aggregation words
(average, 平均, median, 中位数, max, 最大值, min, 最小值, sum, 合计) are `agg` modifiers.

Reading (`read_families`, called by the offline parser once the question is linked):
- a measure word with an aggregation word beside it (nearest wins) is that aggregation's metric:
  "median delivery days", "评分的中位数", "average freight by state";
- with no aggregation word, a measure word that names nothing else is its default aggregation
  ("freight by state": total freight; "delivery days": average); one that also names a dimension
  or a metric is read as a measure only when the question has no other metric and it is not
  the breakdown;
- "highest"/"最高" with a measure and no breakdown is the maximum ("最高单价"), with a breakdown
  it stays a ranking ("单价最高的商品");
- an entity word is a count only when the question asks how many ("how many sellers",
  "多少个卖家", "卖家有多少"): with no time range, breakdown or filter, every one known (when the
  catalog says how), else the ones active in the range ("number of products sold in 2017");
- an aggregation word that found no measure (average daily orders) is reported as not
  understood, so the engine refuses instead of answering a total.
"""

from __future__ import annotations

import re
from typing import Any

from shopql.nlq.linking import Links, Mention, Term, Vocabulary

AGG_PHRASES: dict[str, list[str]] = {
    "avg": ["average", "averages", "avg", "mean", "on average", "平均", "平均值", "均值", "平均数"],
    "median": ["median", "medians", "中位数", "中位值", "中值"],
    "max": [
        *("max", "maximum", "longest", "slowest", "most expensive"),
        *("最大值", "最高值", "最长", "最久", "最慢", "最贵"),
    ],
    "min": [
        *("min", "minimum", "shortest", "fastest", "cheapest"),
        *("最小值", "最低值", "最短", "最快", "最便宜"),
    ],
    "sum": ["sum", "sum of", "total of", "合计", "总和", "总计", "总额"],
}
# aggregation words that name their measure too: never a bare ranking word
PRICE_WORDS = {"most expensive", "cheapest", "最贵", "最便宜"}
MEASURE_WEIGHT = 9  # below a dimension (10): a breakdown word stays a breakdown
# "how many X", "number of X", "多少个X", "X有多少"
_CUE_BEFORE = re.compile(
    r"(how many|number of|count of|count the|count|多少|几)"
    r"((\s|different|distinct|unique|active|total|of|the|our)*|[个家种位款名只条类]*)$"
)
_CUE_AFTER = re.compile(r"^(的)?(总)?(有|共|一共|总共|是)?(多少|几)")
SOLD_WORDS = {
    "sold",
    "sell",
    "bought",
    "purchased",
    "售出",
    "卖出",
    "卖了",
    "卖出去",
    "有成交",
    "成交",
    "出过单",  # "有多少个卖家出过单": sellers active in the period
    "出单",
    "动销",  # "动销商品数": products that sold
    "有销量",
    "卖过",
}
COUNT_WORDS = {"different", "distinct", "unique", "active"}


def add_family_words(vocab: Vocabulary, catalog: Any) -> None:
    """Measure words and aggregation words of the catalog's families (none without them)."""
    if not catalog.measurables:
        return
    for m in catalog.measurables.values():
        vocab.add_all(m.phrases, Term("measure", m.name, weight=MEASURE_WEIGHT))
    for agg, phrases in AGG_PHRASES.items():
        vocab.add_all(phrases, Term("modifier", "agg", agg, weight=30))
    for tp in catalog.time_parts.values():  # 周末, weekend, Monday: filters on the part
        named: dict[str, list[int]] = {}
        # day names only: a month name is a period ("November": the last one), not a filter
        for names in tp.names.values() if tp.part == "isodow" else ():
            for i, name in enumerate(names):
                named.setdefault(name, []).append(i + (0 if tp.part == "hour" else 1))
        for phrase, numbers in {**named, **tp.values}.items():
            for n in numbers:
                vocab.add(phrase, Term("value", tp.name, n, weight=3))


def read_families(
    links: Links, modifiers: dict[str, Any], vocab: Vocabulary, catalog: Any, timed: bool
) -> None:
    """Rewrite `links` so measure words become the metrics they mean (see the module's
    docstring); `timed`: the question has a time range or a time breakdown. Unplaced
    aggregation and measure words are added to `links.leftover`."""
    if not catalog.measurables:
        return
    aggs = [m for m in links.mentions if m.term.kind == "modifier" and m.term.target == "agg"]
    used: set[int] = set()
    others = [m for m in links.mentions if m.term.kind == "metric" and _alt(m, vocab) is None]
    breakdown = any(_breaks_down(m, vocab, catalog, links.text) for m in links.mentions) or bool(
        modifiers.get("grain") or modifiers.get("trend")
    )
    counted = False
    out: list[Mention] = []
    for mention in links.mentions:
        measure = _alt(mention, vocab)
        if measure is None or measure not in catalog.measurables:
            out.append(mention)
            continue
        m = catalog.measurables[measure]
        if m.kind == "count":
            if not _asks_how_many(links.text, mention):
                out.append(_as_other(mention, vocab, m.dimension))
                continue
            plain = not (timed or breakdown or _has_values(links))
            name = _count_metric(m, catalog, plain)
            counted = True
            out.append(_as_metric(mention, name))
            continue
        agg = _nearest(mention, aggs, used)
        ambiguous = mention.term.kind != "measure" or _other_term(mention, vocab) is not None
        ranks = "top" in modifiers or "bottom" in modifiers
        if agg is None and not breakdown and ranks and _ranking_word_beside(mention, links):
            agg = "max" if "top" in modifiers else "min"
            if agg in m.metrics:
                modifiers.pop("top" if agg == "max" else "bottom", None)
        if agg is None:
            if ambiguous and (others or modifiers.get("distribution")):
                out.append(_as_other(mention, vocab))
                continue
            if mention.term.kind == "metric":
                out.append(mention)  # the metric it names already is its default reading
                continue
            agg = m.default_agg
        if agg not in m.metrics:  # e.g. "total review score": not something it adds up
            out.append(_as_other(mention, vocab) if ambiguous else mention)
            continue
        out.append(_as_metric(mention, m.metrics[agg]))
    counts = {
        n for m in catalog.measurables.values() if m.kind == "count" for n in m.metrics.values()
    }
    counted = counted or any(m.term.kind == "metric" and m.term.target in counts for m in out)
    if counted:  # "products sold in 2017": the verb qualifies the count
        out = [m for m in out if not (m.term.kind == "metric" and m.phrase in SOLD_WORDS)]
        links.leftover = [w for w in links.leftover if w not in SOLD_WORDS | COUNT_WORDS]
    for a in aggs:  # "平均每单件数", "average AOV": the metric already is an average
        if id(a) not in used and a.term.value == "avg" and _next_to_average(a, out, catalog):
            used.add(id(a))
    priced = any(
        m.term.kind == "metric"
        and getattr(catalog.metrics.get(m.term.target), "value_type", "") == "money"
        for m in out
    )
    for a in aggs:  # "the states with the longest average delivery": a ranking word
        if a.phrase in PRICE_WORDS and not priced:  # "most expensive product": not by units
            continue
        if id(a) not in used and breakdown and a.term.value in ("max", "min"):
            used.add(id(a))
            modifiers.setdefault("top" if a.term.value == "max" else "bottom", True)
    unplaced = [a.phrase for a in aggs if id(a) not in used and a.term.value != "sum"]
    unplaced += [m.phrase for m in out if m.term.kind == "measure"]
    links.mentions = out
    links.leftover = [*links.leftover, *unplaced]
    modifiers.pop("agg", None)  # read here; nothing else uses it


def _breaks_down(mention: Mention, vocab: Vocabulary, catalog: Any, text: str) -> bool:
    """A dimension the question splits by (an entity word that is not counted is one)."""
    if mention.term.kind not in ("dimension", "measure"):
        return False
    measure = _alt(mention, vocab)
    if measure is None:
        return mention.term.kind == "dimension"
    m = catalog.measurables.get(measure)
    return m is not None and m.kind == "count" and not _asks_how_many(text, mention)


def _alt(mention: Mention, vocab: Vocabulary) -> str | None:
    """The measurable this mention's phrase names (its own term or an alternative)."""
    if mention.term.kind == "measure":
        return mention.term.target
    if mention.term.kind not in ("metric", "dimension", "table"):
        return None
    for term in vocab.terms.get(mention.phrase, []):
        if term.kind == "measure":
            return term.target
    return None


def _other_term(mention: Mention, vocab: Vocabulary) -> Term | None:
    """The phrase's best reading that is not a measure (a dimension, a metric), if any."""
    if mention.term.kind != "measure":
        return mention.term
    return next(
        (t for t in vocab.terms.get(mention.phrase, []) if t.kind in ("dimension", "metric")), None
    )


def _as_other(mention: Mention, vocab: Vocabulary, dimension: str | None = None) -> Mention:
    other = _other_term(mention, vocab)
    if other is None and dimension:
        other = Term("dimension", dimension, None, MEASURE_WEIGHT)
    if other is None:
        return mention
    return Mention(mention.phrase, mention.start, mention.end, other, mention.fuzzy)


def _as_metric(mention: Mention, metric: str) -> Mention:
    return Mention(mention.phrase, mention.start, mention.end, Term("metric", metric, None, 20))


def _ranking_word_beside(mention: Mention, links: Links) -> bool:
    """A ranking word next to the measure, nothing named between ("top payment", "最高评分"):
    it is the measure's max or min. "top customers by payments" ranks the customers."""
    k = links.mentions.index(mention)
    beside = links.mentions[max(k - 1, 0) : k] + links.mentions[k + 1 : k + 2]
    return any(m.term.kind == "modifier" and m.term.target in ("top", "bottom") for m in beside)


def _nearest(mention: Mention, aggs: list[Mention], used: set[int]) -> str | None:
    """The aggregation word closest to `mention` (each is used once)."""
    free = [a for a in aggs if id(a) not in used]
    if not free:
        return None
    best = min(free, key=lambda a: min(abs(a.start - mention.end), abs(mention.start - a.end)))
    used.add(id(best))
    return str(best.term.value)


_EACH_BEFORE = re.compile(r"(每个|每一个|各个|每|各|\beach|\bper|\bby)\s*$")


def _asks_how_many(text: str, mention: Mention) -> bool:
    before, after = text[: mention.start].rstrip(), text[mention.end :].lstrip()
    if _EACH_BEFORE.search(before):  # "每个平台有多少个SKU": split by platform, not counted
        return False
    return bool(_CUE_BEFORE.search(before) or _CUE_AFTER.match(after))


def _next_to_average(agg: Mention, mentions: list[Mention], catalog: Any) -> bool:
    """An average word right beside a metric that is itself a ratio or an average."""
    for m in mentions:
        if m.term.kind != "metric" or m.term.target not in catalog.metrics:
            continue
        if max(m.start - agg.end, agg.start - m.end) > 2:
            continue
        metric = catalog.metrics[m.term.target]
        measure = catalog.measures.get(metric.measure or "")
        if metric.type == "ratio" or (measure is not None and measure.agg == "avg"):
            return True
    return False


def _has_values(links: Links) -> bool:
    return any(m.term.kind in ("value", "keyword") for m in links.mentions)


def _count_metric(m: Any, catalog: Any, plain: bool) -> str:
    """Every one known for a plain "how many" (no time, breakdown or filter) when the catalog
    says how to count them all, else those active in the range."""
    every = m.metrics.get("all")
    return every if every and plain else m.metrics["count"]
