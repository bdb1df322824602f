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

import functools
import re
from collections.abc import Collection
from typing import Any

from shopql.nlq.linking import Links, Mention, Term, Vocabulary

AGG_PHRASES: dict[str, list[str]] = {
    "avg": ["average", "averages", "avg", "mean", "on average", "平均", "平均值", "均值", "平均数"],
    "median": [
        "median",
        "medians",
        "middle",
        "中位数",
        "中位值",
        "中值",
        "中位",
        # "typical" said with the median restating it: "the typical (median) amount" ("typical"
        # alone is left unplaced: an average to some, a median to others)
        *("typical (median)", "typical median", "median (typical)", "median or typical"),
        *("typical or median", "典型（中位数）", "典型(中位数)", "中位数（典型）"),
    ],  # the middle amount
    "max": [
        *("max", "maximum", "longest", "slowest", "most expensive", "priciest"),
        *("最大值", "最高值", "最长", "最久", "最慢", "最贵", "更慢", "慢", "slower"),
    ],
    "min": [
        *("min", "minimum", "shortest", "fastest", "cheapest"),
        *("最小值", "最低值", "最短", "最快", "最便宜", "更快", "快", "faster", "quicker"),
    ],
    "sum": ["sum", "sum of", "total of", "合计", "总和", "总计", "总额"],
    "stddev": ["standard deviation", "std dev", "stdev", "stddev", "标准差"],
}
# aggregation words that name their measure too: never a bare ranking word
PRICE_WORDS = {"most expensive", "priciest", "cheapest", "最贵", "最便宜"}
MEASURE_WEIGHT = 9  # below a dimension (10): a breakdown word stays a breakdown
# "how many X", "number of X", "多少个X", "X有多少"
_CUE_BEFORE = re.compile(
    r"(how many|number of|no\.? of|count of|count the|count|多少|几)"
    r"((\s|different|distinct|unique|active|total|of|the|our)*|[个家种位款名只条类]*(?:不同|不重复)?的?)$"
)
_CUE_AFTER = re.compile(r"^(的)?(总)?(?:一共|总共|共)?(有|是)?(多少|几)")  # "SKU一共有几个"
SOLD_WORDS = {
    "卖出过",
    "售出过",
    "卖出去过",
    "有卖出",
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
    "卖了多少",  # "卖了多少种不同的商品": how many products, not the money
    "卖出多少",
    "卖出去多少",
}
COUNT_WORDS = {"different", "distinct", "unique", "active", "不同"}
# where every one known is kept ("how many SKUs in the catalog", "目录里有多少个SKU"): placed by
# a count that reads every one the catalog knows (a countable's `all`), never by one of those
# sold in a period
CATALOG_WORDS = {"catalog", "catalogue", "目录"}


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
    links: Links,
    modifiers: dict[str, Any],
    vocab: Vocabulary,
    catalog: Any,
    timed: bool,
    top_n: bool = False,
) -> None:
    """Rewrite `links` so measure words become the metrics they mean (see the module's
    docstring); `timed`: the question has a time range or a time breakdown. Unplaced
    aggregation and measure words are added to `links.leftover`. `top_n`: a number of top rows
    was said ("top 5 products by unit price", "单价前5的商品")."""
    if not catalog.measurables:
        return
    _pieces_sold(links, catalog)  # "今年卖多少件": the pieces, not the money
    _kind_of_the_catalog(links)  # "商品目录里有多少个品类": the catalog's kind, no breakdown
    aggs = [m for m in links.mentions if m.term.kind == "modifier" and m.term.target == "agg"]
    used: set[int] = set()
    others = [m for m in links.mentions if m.term.kind == "metric" and _alt(m, vocab) is None]
    breakdown = any(
        _breaks_down(m, vocab, catalog, links.text) and not _kind_of_the_value(links, m)
        for m in links.mentions
    ) or bool(modifiers.get("grain") or modifiers.get("trend"))
    breakdown = breakdown or _named_side_by_side(links)  # "中通和圆通哪个发货最快": one row each
    counted = False
    out: list[Mention] = []
    for mention in links.mentions:
        measure = _alt(mention, vocab)
        if measure is None and _counts_dimension(mention, links, catalog):  # 几种支付方式
            from shopql.catalog.families import dimension_count

            name = dimension_count(catalog, mention.term.target, timed)
            if name is not None:
                counted = True
                out.append(_as_metric(mention, name))
                continue
        if measure is None and mention.term.kind == "metric":
            taken = _agg_of_a_total(mention, aggs, used, catalog, links.text)
            if taken is not None:  # "退款金额的中位数": the median single refund
                out.append(_as_metric(mention, taken))
                continue
        if measure is None or measure not in catalog.measurables:
            out.append(mention)
            continue
        m = catalog.measurables[measure]
        if m.kind == "count":
            if not _asks_how_many(links.text, mention) or _values_restated(mention, links):
                out.append(_as_other(mention, vocab, m.dimension))
                continue
            # "一共卖过多少个不同的商品": those sold, not every one the catalog knows
            plain = not (timed or breakdown or _has_values(links) or _SOLD.search(links.text))
            name = _count_metric(m, catalog, plain)
            if name == m.metrics.get("all"):  # every one known: the catalog said of them
                links.leftover = [w for w in links.leftover if w not in CATALOG_WORDS]
            counted = True
            out.append(_as_metric(mention, name))
            continue
        agg = _nearest(mention, aggs, used)
        if agg in ("max", "min") and breakdown and _price_word_used(aggs, used):
            # "最贵的商品标价多少", "the cheapest product's list price": the price word ranks the
            # rows (the top one, with the ranking), each row's price its own highest / lowest
            modifiers.setdefault("top" if agg == "max" else "bottom", True)
        if agg in ("max", "min") and m.kind == "duration" and breakdown:
            word = _speed_word(aggs, used)
            if word is not None:  # "哪个州发货最慢": the groups ranked by the average
                used.discard(id(word))
                agg = m.default_agg if mention.term.kind == "measure" else None
        if agg in ("max", "min") and m.kind == "duration" and not breakdown:
            word = _comparative_word(aggs, used)
            if word is not None:  # "did delivery get faster in Q2 vs Q1": the typical speed
                agg = m.default_agg if mention.term.kind == "measure" else None
                if not _COMPARED.search(links.text):  # faster than what: unplaced (refused)
                    used.discard(id(word))
        ambiguous = mention.term.kind != "measure" or _other_term(mention, vocab) is not None
        ranks = "top" in modifiers or "bottom" in modifiers
        if (
            agg is None
            and not breakdown
            and ranks
            and _extreme_of_the_next(mention, links, m, catalog)
        ):
            # "单笔订单 最多 买了几件": the most pieces in one order, not the largest order value
            # beside the pieces sold — no such figure here: both words left unplaced
            links.leftover += [mention.phrase]
            continue
        if agg is None and not breakdown and ranks and _ranking_word_beside(mention, links):
            both = _both_ends_beside(mention, links)
            if both and all(a in m.metrics for a in both):  # "订单金额最小和最大各是多少"
                modifiers.pop("top", None)
                modifiers.pop("bottom", None)
                out.extend(_as_metric(mention, m.metrics[a]) for a in both)
                continue
            agg = "max" if "top" in modifiers else "min"
            if agg in m.metrics:
                modifiers.pop("top" if agg == "max" else "bottom", None)
        if (
            agg is None
            and breakdown
            and (ranks or top_n)
            and measure in _LINE_PRICES
            and _by_goods(links)
        ):
            # "单价最高的5个商品", "今年卖出的单价最低的3个商品", "top 5 products by unit
            # price": each product's own highest (lowest) unit price ranks them — no 平均 /
            # average said (that stays the mean)
            agg = "min" if "bottom" in modifiers else "max"
        if agg is None:
            if ambiguous and (others or modifiers.get("distribution")):
                out.append(_as_other(mention, vocab))
                continue
            if mention.term.kind == "metric":
                out.append(mention)  # the metric it names already is its default reading
                continue
            agg = _total_said(mention, m) or m.default_agg
        if agg not in m.metrics:  # e.g. "total review score": not something it adds up
            out.append(_as_other(mention, vocab) if ambiguous else mention)
            continue
        out.append(_as_metric(mention, m.metrics[agg]))
        for other in _aggs_joined(mention, agg, aggs, used, links.text):
            if other.term.value in m.metrics:  # "发票金额的平均数和中位数": both, side by side
                used.add(id(other))
                out.append(_as_metric(mention, m.metrics[str(other.term.value)]))
    out = _aggs_joined_before(out, aggs, used, links.text, catalog)  # "average and median X"
    snapshots = {
        n for m in catalog.measurables.values() if _snapshot(m, catalog) for n in m.metrics.values()
    }
    if not timed and any(m.term.kind == "metric" and m.term.target in snapshots for m in out):
        # "the cheapest list price in the catalog": every listing, as it is now
        links.leftover = [w for w in links.leftover if w not in CATALOG_WORDS]
    counts = {
        n for m in catalog.measurables.values() if m.kind == "count" for n in m.metrics.values()
    }
    counted = counted or any(m.term.kind == "metric" and m.term.target in counts for m in out)
    if counted:  # "products sold in 2017": the verb qualifies the count
        # "卖了几个不同的款": the verb glued to the how-many of the count, not units beside it
        out = [m for m in out if not (m.term.kind == "metric" and _sold_word(m.phrase))]
        out = _without_had_orders(out, links.text, catalog, timed)  # 几个州有订单
        sold = SOLD_WORDS | COUNT_WORDS  # "卖出去几(个)": the verb glued to the how-many
        links.leftover = [w for w in links.leftover if _HOW_MANY_TAIL.sub("", w) not in sold]
    if any(_distinct_count(m, catalog) for m in out):  # "how many unique customers"
        links.leftover = [w for w in links.leftover if w not in COUNT_WORDS]
    for a in aggs:  # "平均每单件数", "average AOV": the metric already is an average
        if (
            id(a) not in used
            and a.term.value == "avg"
            and _next_to_average(a, out, catalog, links.text)
        ):
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
            if modifiers.get("growth") is True and a.phrase in _SPEED_AGGS:
                # "订单 增长 最快 的 月份" (said apart): the fastest growth is the largest rate,
                # not the lowest (as 最快 of a duration is); 最慢 the smallest
                modifiers["growth"] = "bottom" if a.phrase in _SLOW_WORDS else "top"
                continue
            modifiers.setdefault("top" if a.term.value == "max" else "bottom", True)
    out = [m for m in out if not _unit_of_duration(m, out, catalog)]  # "median hours between …"
    out = _rows_averaged(out, links, catalog)  # "每条订单行平均数量": the average's own rows
    out = _money_of_rows_averaged(out, aggs, used, links, catalog)  # "退货单平均金额"
    said = {a.term.value for a in aggs if id(a) in used}  # "middle (median)": said twice
    # not one said right before another metric ("平均 运费 和 平均 实付": 实付's, unread)
    used |= {id(a) for a in aggs if a.term.value in said and not _said_of_next(a, out, links.text)}
    unplaced = [a.phrase for a in aggs if id(a) not in used and a.term.value != "sum"]
    unplaced += [m.phrase for m in out if m.term.kind == "measure"]
    links.mentions = out
    links.leftover = [*links.leftover, *unplaced]
    modifiers.pop("agg", None)  # read here; nothing else uses it
    if not breakdown:
        read_single_row(links, modifiers, catalog)


# a sale verb's how-much read as money ("卖多少", "买了多少"): with a piece's measure word right
# after it ("卖多少件", "卖 多少 个") it asks the pieces (units), as "卖了多少件" does
_SOLD_HOW_MUCH = re.compile(r"(?:卖|买|售)(?:出|掉)?(?:了)?\s*(?:多少|几)$")


def _pieces_sold(links: Links, catalog: Any) -> None:
    from shopql.nlq.lexicon import METRIC_UNIT_WORDS

    pieces = METRIC_UNIT_WORDS.get("units", set())
    if "units" not in catalog.metrics:
        return
    for k, m in enumerate(links.mentions):
        metric = catalog.metrics.get(m.term.target) if m.term.kind == "metric" else None
        if metric is None or metric.value_type != "money" or not _SOLD_HOW_MUCH.search(m.phrase):
            continue
        rest = links.text[m.end :]
        unit = rest.lstrip()[:1]
        at = m.end + len(rest) - len(rest.lstrip()) + 1  # just after the measure word
        if unit not in pieces or any(0 <= x.start - at <= 1 for x in links.mentions):
            continue  # "卖了多少个国家": the measure word of what follows, not of pieces
        links.mentions[k] = _as_metric(m, "units")
        if unit in links.leftover:
            links.leftover.remove(unit)


def _rows_averaged(out: list[Mention], links: Links, catalog: Any) -> list[Mention]:
    """ "今年每条订单行平均数量", "average quantity per order line": the rows an average (min, max,
    median) of a row measure is taken over, named with 每 / per — the count of the measure's own
    rows (order lines for a line's quantity) — is what the average already is over: placed, not
    a second figure nor a word left over. Rows of another model (每单 for a line measure) are not
    (that is a ratio: units per order)."""
    owner = {
        name: m
        for m in catalog.measurables.values()
        if m.kind != "count"
        for agg, name in m.metrics.items()
        if agg in ("avg", "median", "min", "max")
    }
    averaged = [m for m in out if m.term.kind == "metric" and m.term.target in owner]
    if len(averaged) != 1:
        return out
    model = owner[averaged[0].term.target].model
    own = _own_counters(model, catalog)  # "单行最大数量", "每行平均数量": 行 is a line's own
    said = re.compile(rf"^(?:每一?|单|一)(?:{'|'.join(map(re.escape, own))})$") if own else None
    links.leftover = [w for w in links.leftover if said is None or not said.match(w)]
    extreme = averaged[0].term.target in {
        n for m in catalog.measurables.values() for a, n in m.metrics.items() if a in ("min", "max")
    }
    rows = [
        m
        for m in out
        if m.term.kind == "measure"
        and getattr(catalog.measurables.get(m.term.target), "kind", None) == "count"
        and getattr(catalog.measurables.get(m.term.target), "model", None) == model
        and getattr(catalog.measurables.get(m.term.target), "dimension", None) is None
    ]
    if len(rows) != 1:
        return out
    phrase = rows[0].phrase
    lead = re.compile(
        rf"^(?:每一?|per|each|an?)\s*(?:条|个|行)?\s*(?:{re.escape(phrase)})?$|^{re.escape(phrase)}$"
    )
    before = links.text[max(0, rows[0].start - 12) : rows[0].start]
    if not re.search(r"(?:每一?|\bper|\beach)\s*(?:条|个)?\s*$", before) and not (
        extreme  # "the largest quantity on a single line": one row's, the max over them
        and re.search(r"(?:\bsingle|\bone|\bany|单|一)\s*(?:条|个)?\s*$", before)
    ):
        return out  # the rows named with no 每 / per: not the average's grain
    one = re.compile(r"^(?:single|one|any|an?)$")
    links.leftover = [w for w in links.leftover if not (lead.match(w) or extreme and one.match(w))]
    return [m for m in out if m is not rows[0]]


def _one_row_of(word: str, catalog: Any) -> str | None:
    """The model whose one row `word` says with that row's own measure word ("单行", "一行": an
    order line), or None."""
    said = re.fullmatch(r"(?:单|一|那|这|哪)(.)", word)
    if said is None or _ONE_ROW.match(word):  # 一单, 一笔, 单张: any row with an amount
        return None
    return next(
        (m for m in {x.model for x in catalog.measurables.values() if x.kind == "count"}
         if said.group(1) in _own_counters(m, catalog)),
        None,
    )  # fmt: skip


_MONEY_WORDS = {"金额", "钱", "多少钱", "amount", "value", "values"}


def _money_of_rows_averaged(
    out: list[Mention], aggs: list[Mention], used: set[int], links: Links, catalog: Any
) -> list[Mention]:
    """ "10月退货单平均金额多少": an average word and a money word beside one filtered count of
    rows (return invoices) ask the money those rows carry over them (return amount / return
    invoices: an invoice refunded in several refunds is one invoice), not the count."""
    free = [a for a in aggs if id(a) not in used and a.term.value == "avg"]
    money = [w for w in links.leftover if w in _MONEY_WORDS]
    counts = [m for m in out if m.term.kind == "metric" and _money_of_rows(m, catalog)]
    named = [m for m in out if m.term.kind != "modifier"]
    if len(free) != 1 or not money or len(counts) != 1 or len(named) != 1:
        return out
    name = _average_of_rows(counts[0].term.target, _money_of_rows(counts[0], catalog), catalog)
    if name is None:
        return out
    used.add(id(free[0]))
    links.leftover = [w for w in links.leftover if w not in money]
    return [_as_metric(m, name) if m is counts[0] else m for m in out]


def _average_of_rows(count: str, carried: Any, catalog: Any) -> str | None:
    """The average money of the rows `count` counts: the total of the money they carry over
    them (return_amount / returned_orders), or None when the catalog cannot divide the two."""
    from shopql.catalog.families import ratio_metric
    from shopql.catalog.model import CatalogError

    total = carried.metrics.get("sum") if carried is not None else None
    if total is None:
        return None
    try:
        return ratio_metric(catalog, total, count)
    except CatalogError:
        return None


def _own_counters(model: str, catalog: Any) -> list[str]:
    """The measure words (量词) of the rows of `model` no other countable uses: 行 for order lines
    (条 and 个 count many things)."""
    counts = [m for m in catalog.measurables.values() if m.kind == "count"]
    rows = [m for m in counts if m.model == model and m.dimension is None]  # the rows themselves
    mine = {c for m in rows for c in m.counters}
    others = {c for m in counts if m not in rows for c in m.counters}
    return sorted(mine - others)


_HOW_MANY_TAIL = re.compile(r"(?<=.)(?:几|多少)[个家种位款名只条类]*$")


def _sold_word(phrase: str) -> bool:
    """A sold verb ("sold", 卖出), or one glued to a how-many (卖了几个, 卖出多少种)."""
    return phrase in SOLD_WORDS or _HOW_MANY_TAIL.sub("", phrase) in SOLD_WORDS


_HAVING = re.compile(r"(?:有|有过|\bwith|\bhad|\bhaving|\bthat have|\bthat had)\s*(?:an?|any)?\s*$")


# one row said with its classifier ("最大的一单", "金额最低那单", "一笔", "单张"), or "single"
_ONE_ROW = re.compile(r"^(?:[一那哪这单])(?:单|笔|张)$|^single$")
# the size of one row, not how many ("most orders", 订单最多 rank a count)
_SIZE_WORDS = {
    "biggest", "largest", "highest", "smallest", "lowest", "max", "maximum", "min", "minimum",
    "最大", "最小", "最高", "最低",
}  # fmt: skip
_EXTREMES = {
    "max": {"most expensive", "priciest", "最贵"},
    "min": {"cheapest", "最便宜"},
}


def read_single_row(links: Links, modifiers: dict[str, Any], catalog: Any) -> None:
    """ "biggest single order", "最大的一单", "largest invoice in 2011", "priciest order", "the
    single largest payment amount": with nothing grouped, an extreme said of the rows a count
    counts (orders, invoices) is the largest (smallest) of their own amount — the catalog's
    bare money threshold of those rows, as a measurable's max (min) — not a ranking of nothing.
    A summed money metric is read so only with a one-row word ("single", 单笔, 一笔)."""
    ranked = {m.phrase for m in links.mentions if m.term.kind == "modifier"}
    lines = {w: m for w in links.leftover if (m := _one_row_of(w, catalog))}  # 单行: one line
    one_row = [w for w in links.leftover if _ONE_ROW.match(w) or w in lines]
    # "单张取消发票最多退了多少": beside a one-row word, 最多 / 最少 are one row's most (least)
    sizes = _SIZE_WORDS | ({"最多", "最少"} if any(w != "single" for w in one_row) else set())
    sized = ranked & sizes  # "biggest order", not "most orders" (how many)
    top = bool(modifiers.get("top")) and bool(sized)
    bottom = bool(modifiers.get("bottom")) and bool(sized)
    if ranked - sizes & {
        m.phrase for m in links.of("modifier") if m.term.target in ("top", "bottom")
    }:
        return  # another ranking word beside ("largest … most"): not one row's amount
    said = {a: [w for w in links.leftover if w in words] for a, words in _EXTREMES.items()}
    agg = "max" if top or said["max"] else "min" if bottom or said["min"] else None
    if agg is None or (top and bottom) or modifiers.get("top") == "all":
        return
    rows = [m for m in links.mentions if m.term.kind in ("table", "metric")]
    named = _rows_named(rows, catalog) if one_row and len(rows) == 2 else None
    own = None  # the money one of the rows named carries (a return invoice: one return's)
    if named is not None:  # "最大的一张退货单退了多少": the rows counted, the money asked of one
        links.mentions.remove(named)
        rows.remove(named)
        own = _money_of_rows(named, catalog, of=rows[0])
    if len(rows) > 1:
        return
    mention = rows[0] if rows else None
    model = _row_model(mention, catalog) if mention else None
    if mention is None and one_row and any(w != "single" and w not in lines for w in one_row):
        model = _row_model(None, catalog)  # "最大的一单": an order
    if mention is not None and model is None and own is None:
        own = _money_of_rows(mention, catalog)  # "最大的一张退货单 多少钱"
    document = None
    if mention is None and model is None and own is None:
        document, own = _money_of_document(links, catalog)  # "biggest cancellation invoice"
    name = _largest_of(model, agg, catalog) if model else None
    if own is not None:
        name = own.metrics.get(agg) if agg in own.aggs else None
        if name is None:
            return
    if mention is not None and mention.term.kind == "metric" and one_row and name is None:
        summed = [  # "the single largest payment amount": one payment's, not the total
            m
            for m in catalog.measurables.values()
            if m.metrics.get("sum") == mention.term.target
            # "单行最多买了多少件": one line's quantity, said with a line's own measure word
            and (m.model in lines.values() or m.value_type == "money" and not lines)
        ]
        name = summed[0].metrics.get(agg) if len(summed) == 1 else None
    if name is None:
        return
    if mention is not None:
        links.mentions[links.mentions.index(mention)] = _as_metric(mention, name)
    elif document is not None:  # the value stays the filter; the amount asked is one row's
        links.mentions.append(Mention("", document.start, document.start, Term("metric", name)))
    else:
        first = next(w for w in one_row if w != "single")
        at = links.text.find(first)
        links.mentions.append(
            Mention(first, max(at, 0), max(at, 0) + len(first), Term("metric", name))
        )
    modifiers.pop("top" if agg == "max" else "bottom", None)
    placed = set(one_row) | set(said[agg])
    links.leftover = [w for w in links.leftover if w not in placed]


# a value that names a kind of row document by its noun: "cancellation invoice" (a refund reason
# on Online Retail), "credit note"
_DOCUMENT_NOUN = re.compile(r"(?:\binvoices?|\bnotes?|单|发票|单据)$", re.IGNORECASE)


def _money_of_document(links: Links, catalog: Any) -> tuple[Mention | None, Any]:
    """ "What was the biggest single cancellation invoice in 2011", "largest cancellation invoice":
    with no rows named but one value whose phrase names a document (its noun: invoice, 单), the
    size asked is one such row's money: the one money measurable (fewest conditions) of the one
    model that holds the value's dimension and has money (refund_reason: refund_events, one
    refund's amount) — the value kept as its filter (B, session 42; was: a top 1 of nothing)."""
    values = [m for m in links.mentions if m.term.kind == "value"]
    if len(values) != 1 or not _DOCUMENT_NOUN.search(values[0].phrase.strip()):
        return None, None
    dim = values[0].term.target
    fits: list[tuple[int, Any]] = []
    models = set()
    for m in catalog.measurables.values():
        model = catalog.models.get(m.model or "")
        if m.kind in ("count", "duration") or m.value_type != "money" or model is None:
            continue
        if dim not in model.dimensions:
            continue
        models.add(m.model)
        summed = catalog.metrics.get(m.metrics.get("sum", ""))
        fits.append((len(_conditions(getattr(summed, "filter", None))), m))
    if len(models) != 1:
        return None, None
    fewest = min(n for n, _ in fits)
    best = [m for n, m in fits if n == fewest]
    return (values[0], best[0]) if len(best) == 1 else (None, None)


def _rows_named(rows: list[Mention], catalog: Any) -> Mention | None:
    """Of a count of orders and a money metric said together with a one-row word ("最大的一张
    退货单 退了多少", "the biggest single return invoice: how much was refunded"), the count: it
    names the rows whose one largest (smallest) amount is asked, not a second figure."""
    counts = [m for m in rows if _counts_orders(m, catalog)]
    money = [
        m
        for m in rows
        if m.term.kind == "metric"
        and getattr(catalog.metrics.get(m.term.target), "value_type", None) == "money"
    ]
    return counts[0] if len(counts) == 1 and len(money) == 1 else None


def _money_of_rows(mention: Mention | str, catalog: Any, of: Mention | str | None = None) -> Any:
    """The money measurable one row of a filtered count carries: a count of the refund events'
    orders that were not cancelled (退货单, returned_orders) carries one return's amount
    (return_value), not any refund's (a bad-debt write-off is no return invoice). It is the one of
    the count's model whose summed metric keeps the most of the count's own conditions and no
    other; with `of` (the money said beside: 退了多少), only one summing the same measure."""
    if isinstance(mention, str):
        mention = Mention(mention, 0, 0, Term("metric", mention))
    if isinstance(of, str):
        of = Mention(of, 0, 0, Term("metric", of))
    metric = catalog.metrics.get(mention.term.target) if mention.term.kind == "metric" else None
    measure = catalog.measure(getattr(metric, "measure", None) or "")
    if metric is None or measure is None or not _counts_orders(mention, catalog):
        return None
    if not metric.filter:
        return None  # every order: its own value is the bare money threshold's (order value)
    orders = catalog.measure(getattr(catalog.metrics.get("orders"), "measure", None) or "")
    if (
        orders is None
        or str(measure.expr).rsplit(".", 1)[-1] != str(orders.expr).rsplit(".", 1)[-1]
    ):
        return None  # it counts something the rows belong to (buyers), not the rows
    said = catalog.metrics.get(of.term.target) if of is not None else None
    if of is not None and (said is None or said.type != "simple"):
        return None
    conditions = _conditions(metric.filter)
    fits: list[tuple[int, Any]] = []
    for m in catalog.measurables.values():
        summed = catalog.metrics.get(m.metrics.get("sum", ""))
        if (
            m.kind in ("count", "duration")
            or m.model != measure.model
            or m.value_type != "money"
            or summed is None
            or (said is not None and summed.measure != said.measure)
        ):
            continue
        theirs = _conditions(summed.filter)
        if theirs <= conditions:
            fits.append((len(theirs), m))
    most = max((n for n, _ in fits), default=-1)
    best = [m for n, m in fits if n == most]
    return best[0] if len(best) == 1 else None


def _conditions(where: str | None) -> set[str]:
    """The conditions a catalog filter joins with AND, each as written (spaces collapsed)."""
    parts = re.split(r"\s+AND\s+", where or "", flags=re.IGNORECASE)
    return {" ".join(p.split()) for p in parts if p.strip()}


def _counts_orders(mention: Mention, catalog: Any) -> bool:
    """`mention` is a count of the orders' rows (orders, invoices) or of some of them (returned
    orders: the refund events' distinct orders)."""
    metric = catalog.metrics.get(mention.term.target) if mention.term.kind == "metric" else None
    measure = catalog.measure(getattr(metric, "measure", None) or "")
    orders = catalog.metrics.get("orders")
    orders_measure = catalog.measure(getattr(orders, "measure", None) or "")
    if metric is None or measure is None or orders_measure is None:
        return False
    return (
        metric.type == "simple"
        and metric.value_type == "count"
        and measure.agg in ("count", "count_distinct")
        and (measure.model == orders_measure.model or measure.expr == orders_measure.expr)
    )


def _snapshot(m: Any, catalog: Any) -> bool:
    """A measurable of rows with no time (a listing's list price): what the catalog holds now,
    so "in the catalog" says what it reads (every row known), not a period's."""
    model = catalog.models.get(m.model)
    return m.time is None and model is not None and not getattr(model, "default_time", None)


def _row_model(mention: Mention | None, catalog: Any) -> str | None:
    """The model whose rows `mention` names: a table or a plain count of its rows; with no
    mention, the orders' model (单, 笔: an order's 量词)."""
    if mention is None:
        metric = catalog.metrics.get("orders")
    elif mention.term.kind == "table":
        return next(
            (m.name for m in catalog.models.values() if m.table == mention.term.target), None
        )
    else:
        metric = catalog.metrics.get(mention.term.target)
    measure = catalog.measure(getattr(metric, "measure", None) or "")
    if metric is None or measure is None or metric.type != "simple" or metric.filter:
        return None
    if measure.agg in ("count", "count_distinct") and metric.value_type == "count":
        return str(measure.model)
    return None


def _largest_of(model: str, agg: str, catalog: Any) -> str | None:
    """The max (min) metric of the money amount each row of `model` has: the measurable of the
    catalog's bare money threshold on it (orders: order value), else its one money measurable."""
    money = [
        m
        for m in catalog.measurables.values()
        if m.kind not in ("count", "duration") and m.model == model and m.value_type == "money"
    ]
    bare = [
        t for t in catalog.thresholds.values() if t.bare and t.unit == "money" and t.model == model
    ]
    named = [m for m in money if any(t.expr == m.expr for t in bare)] or money
    if len(named) != 1:
        return None
    return named[0].metrics.get(agg)


# a comparative speed word compares typical speeds (the average), never the one fastest order
_COMPARATIVES = {"更快", "更慢", "快", "慢", "faster", "slower", "quicker"}
_COMPARED = re.compile(r"\b(?:vs|versus|than|compared)\b|对比|相比|比起|(?<![占对])比(?![例率重])")


def _comparative_word(aggs: list[Mention], used: set[int]) -> Mention | None:
    """The comparative speed word (faster, 更慢 …) just taken as an aggregation."""
    return next((a for a in aggs if id(a) in used and a.phrase in _COMPARATIVES), None)


def _speed_word(aggs: list[Mention], used: set[int]) -> Mention | None:
    """The speed or extent word (slowest, 最久, longest …) just taken as an aggregation."""
    return next((a for a in aggs if id(a) in used and a.phrase in _SPEED_AGGS), None)


def _unit_of_duration(m: Mention, mentions: list[Mention], catalog: Any) -> bool:
    """A time-part word that is the unit a duration in the question counts in ("hours" in
    "median hours between order and payment", 小时 in 付款用了几个小时): not a breakdown."""
    from shopql.nlq.lexicon import UNIT_WORDS

    if m.term.kind != "dimension" or m.term.target not in catalog.time_parts:
        return False
    units = {duration_unit(catalog, x.term.target) for x in mentions if x.term.kind == "metric"}
    return any(m.phrase in UNIT_WORDS.get(u, set()) for u in units if u)


def _counts_dimension(mention: Mention, links: Links, catalog: Any) -> bool:
    """A breakdown word asked how many of ("how many payment types", "支付方式有几种") in a
    question naming no other metric (but "有订单", "with orders")."""
    if mention.term.kind != "dimension" or not _asks_how_many(links.text, mention):
        return False
    if re.match(r"各|每|哪|\b(?:by|each|per|every)\b", mention.phrase):
        return False  # "各州有多少卖家": a breakdown word
    if _values_restated(mention, links):
        return False  # "MG和SP两州一共多少单": the two states named, not how many states
    others = [m for m in links.mentions if m.term.kind == "metric"]
    return all(_having_orders(m, links.text, catalog) for m in others)


_NUMBER_BEFORE = re.compile(r"(两|俩|三|[23])\s*(?:个|家)?\s*$")


def _values_restated(mention: Mention, links: Links) -> bool:
    """The dimension word is the values named before it, counted ("MG和SP两州", "华东华南两个大区"):
    as many values of that dimension as the number said right before the word."""
    said = _NUMBER_BEFORE.search(links.text[: mention.start])
    if said is None:
        return False
    named = {
        m.term.value
        for m in links.mentions
        if m.term.kind == "value" and m.term.target == mention.term.target and m.end <= said.start()
    }
    return len(named) == {"两": 2, "俩": 2, "2": 2, "三": 3, "3": 3}[said.group(1)]


def _having_orders(m: Mention, text: str, catalog: Any) -> bool:
    """ "有订单", "with orders" after a count of an entity: the entities active in the period,
    which is what the count counts (not the number of orders beside it)."""
    if m.term.kind != "metric" or m.term.target not in catalog.metrics:
        return False
    if not _distinct_count(m, catalog):
        return False
    metric = catalog.metrics[m.term.target]
    measure = catalog.measures[metric.measure]
    model = catalog.models.get(measure.model)
    keyed = model is not None and model.primary is not None and model.primary.expr == measure.expr
    return keyed and bool(_HAVING.search(text[: m.start]))


def _without_had_orders(out: list[Mention], text: str, catalog: Any, timed: bool) -> list[Mention]:
    """ "几个州有订单", "how many states had orders": orders said with had / 有 beside a count of
    things are the rows counted (the things active in the period), not a figure beside it —
    dropped. But orders an event dates ("how many states had orders shipped last month",
    "上个月有付款订单的州有几个": shipped, paid, delivered — not the orders' own time) say which rows: the
    count of the things of the orders that event dates in the period (timebasis.dated_count),
    not of those placed then. A count with no such dated twin (sellers counted per order line,
    people counted over paid orders) keeps the orders, for the reading of a count of the things
    of event orders (offline._event_orders_of_lines) or a refusal."""
    from shopql.nlq.timebasis import dated_count

    had = [m for m in out if _having_orders(m, text, catalog)]
    plain = [m for m in out if m not in had]
    if not timed:
        return plain
    dated = [(m, catalog.metrics[m.term.target].time) for m in had]
    dated = [(m, t) for m, t in dated if t and t != _default_time(m, catalog)]
    if len(dated) != 1:
        return plain
    orders, time = dated[0]
    counts = [
        m
        for m in out
        if m is not orders and m.term.kind == "metric" and _distinct_count(m, catalog)
    ]
    own = getattr(catalog.metrics.get(counts[0].term.target), "time", None) if counts else None
    if len(counts) != 1 or own == time:
        return plain
    name = dated_count(catalog, counts[0].term.target, time)
    if name is None:
        return [m for m in out if m not in had or m is orders]
    return [_as_metric(m, name) if m is counts[0] else m for m in plain]


def _default_time(m: Mention, catalog: Any) -> str | None:
    """The time the rows a count metric counts are dated by when nothing else is said."""
    measure = catalog.measure(catalog.metrics[m.term.target].measure or "")
    model = catalog.models.get(getattr(measure, "model", None) or "")
    return getattr(model, "default_time", None)


def _distinct_count(m: Mention, catalog: Any) -> bool:
    metric = catalog.metrics.get(m.term.target) if m.term.kind == "metric" else None
    measure = catalog.measure(metric.measure or "") if metric is not None else None
    return (
        metric is not None
        and measure is not None
        and measure.agg == "count_distinct"
        and metric.type == "simple"
    )


_WHICH_OR_VERSUS = re.compile(
    r"哪个|哪一个|哪家|谁|哪边|哪一边|\bwhich\b|\bvs\.?(?=\s|$)|\bversus\b|对比|比较|相比"
)


def _named_side_by_side(links: Links) -> bool:
    """Two or more values of one dimension named with "which / vs" ("中通和圆通哪个发货最快"):
    they are compared one row each (a breakdown restricted to them), so a speed word ranks
    them by the average, as by any breakdown."""
    targets = [m.term.target for m in links.mentions if m.term.kind == "value"]
    several = any(targets.count(t) > 1 for t in targets)
    return several and bool(_WHICH_OR_VERSUS.search(links.text))


# "7月卖出的商品里 单价最高的是多少": the things a measure is taken over, said as a place
# (X里, X中, X当中), and an amount asked (是多少, with no 哪: not which one)
_SCOPE_AFTER = re.compile(r"^\s*(?:里|中|当中|之中|里面)")
_AMOUNT_ASKED = re.compile(r"(?:是|有|为)多少(?:钱|元)?\s*[?？呢吗]*\s*$")


def _scope_of_an_amount(mention: Mention, text: str) -> bool:
    """A dimension said as the rows a measure is taken over, the question asking that amount
    (not which value of the dimension): no breakdown ("卖出的商品里 单价最高的是多少": the
    highest unit price of the lines sold, not the product with the highest average price)."""
    if "哪" in text or not _SCOPE_AFTER.match(text[mention.end :]):
        return False
    return bool(_AMOUNT_ASKED.search(text))


def _kind_of_the_value(links: Links, mention: Mention) -> bool:
    """A dimension word said right after a value of it ("MG州", "SP 州"): the value's kind, not a
    breakdown ("今年MG州订单金额最大和最小": MG's largest and smallest order)."""
    if mention.term.kind not in ("dimension", "measure"):  # 州: the states, or their count
        return False
    k = links.mentions.index(mention)
    if k == 0:
        return False
    before = links.mentions[k - 1]
    return (
        before.term.kind == "value"
        and before.term.target == mention.term.target
        and not links.text[before.end : mention.start].strip()
    )


def _breaks_down(mention: Mention, vocab: Vocabulary, catalog: Any, text: str) -> bool:
    """A dimension the question splits by (an entity word that is not counted is one)."""
    if mention.term.kind not in ("dimension", "measure"):
        return False
    if mention.term.kind == "dimension" and _scope_of_an_amount(mention, text):
        return False
    measure = _alt(mention, vocab)
    if measure is None:
        return mention.term.kind == "dimension"
    m = catalog.measurables.get(measure)
    if m is not None and m.kind == "count" and m.dimension is None and m.model in catalog.models:
        # "on a single line": rows no dimension names (order lines) are nothing to split by
        return False
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


_ONE_EACH = re.compile(r"单笔|每单|每笔|每张|一单|一笔|单张|平均|均")


def _total_said(mention: Mention, m: Any) -> str | None:
    """ "上个月微信支付的订单金额": in Chinese an amount of orders with no average word is their
    total (the sum), not the average order — "单笔订单金额", "每单金额" say one order."""
    if m.value_type != "money" or "sum" not in m.metrics or mention.phrase.isascii():
        return None
    return None if _ONE_EACH.search(mention.phrase) else "sum"


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


def _extreme_of_the_next(mention: Mention, links: Links, m: Any, catalog: Any) -> bool:
    """The ranking word right after the measure is said of the metric right after it, of
    another kind ("单笔订单 最多 买了几件": the most pieces, not the largest order value)."""
    k = links.mentions.index(mention)
    after = links.mentions[k + 1 : k + 3]
    if len(after) < 2 or after[0].term.kind != "modifier" or after[0].term.target != "top":
        return False
    nxt = after[1]
    metric = catalog.metrics.get(nxt.term.target) if nxt.term.kind == "metric" else None
    if metric is None or links.text[mention.end : after[0].start].strip():
        return False
    return metric.value_type not in (m.value_type, None) and m.value_type == "money"


def _both_ends_beside(mention: Mention, links: Links) -> tuple[str, str] | None:
    """ "订单金额 最小 和 最大", "smallest and largest order value": a ranking word beside the
    measure joined by 'and' to the opposite one — its lowest and its highest, in the order said
    (None otherwise)."""
    k = links.mentions.index(mention)
    ms = links.mentions

    def end(i: int) -> str | None:
        if (
            0 <= i < len(ms)
            and ms[i].term.kind == "modifier"
            and ms[i].term.target in ("top", "bottom")
        ):
            return str(ms[i].term.target)
        return None

    for a, b in ((k + 1, k + 2), (k - 2, k - 1)):
        ea, eb = end(a), end(b)
        if ea is None or eb is None or ea == eb:
            continue
        if not _AGG_JOINED.fullmatch(links.text[ms[a].end : ms[b].start]):
            continue
        aggs = {"top": "max", "bottom": "min"}
        return aggs[ea], aggs[eb]
    return None


# the unit price of order lines (every line placed, or the lines sold)
_LINE_PRICES = {"unit_price", "sold_unit_price"}
# the goods as rows: products (codes, SPUs, titles)
_GOODS_DIMS = {"product", "product_title", "sku", "spu"}


def _by_goods(links: Any) -> bool:
    """The rows are goods: a product split said ("的5个商品", "top 5 products": the word a
    measure of the products too)."""
    dims = {m.term.target for m in links.mentions if m.term.kind == "dimension"}
    dims |= {
        m.term.target
        for m in links.mentions
        if m.term.kind == "measure" and m.term.target in _GOODS_DIMS
    }
    return bool(dims) and dims <= _GOODS_DIMS


def _price_word_used(aggs: list[Mention], used: set[int]) -> bool:
    """A price word (最贵, cheapest) among the aggregation words read so far."""
    return any(id(a) in used and a.phrase in PRICE_WORDS for a in aggs)


# two aggregation words joined: "平均数和中位数", "average and median", "最大值、最小值"
_AGG_JOINED = re.compile(r"\s*(?:和|与|跟|及|以及|还有|、|,|，|and|&|/)\s*")


def _aggs_joined(
    mention: Mention, agg: str, aggs: list[Mention], used: set[int], text: str
) -> list[Mention]:
    """The aggregation words joined by 'and' to the one `mention` took (`agg`, on the same side
    of it): each another aggregation of the same measure ("发票金额的平均数和中位数": the average
    and the median). Only words no other measure is nearer to, in the order said."""
    taken = [a for a in aggs if id(a) in used and a.term.value == agg]
    if not taken:
        return []
    first = min(taken, key=lambda a: min(abs(a.start - mention.end), abs(mention.start - a.end)))
    chain, last = [], first
    for a in sorted(aggs, key=lambda a: a.start):
        if a.start < last.end or id(a) in used or a.term.value == agg:
            continue
        if not _AGG_JOINED.fullmatch(text[last.end : a.start]):
            break
        chain.append(a)
        last = a
    return chain


_AGG_BESIDE = re.compile(r"^\s*(?:的)?\s*$")
_AGG_OF = re.compile(r"^\s*of(?:\s+the)?\s*$")  # "the median of AOV"


def _agg_of_a_total(
    mention: Mention, aggs: list[Mention], used: set[int], catalog: Any, text: str
) -> str | None:
    """ "上个月 退款金额 的 中位数", "median refund amount": an aggregation word right beside a
    metric that is the total of a measurable (refund_amount, the sum of each refund's amount) is
    that measurable's aggregation (the median single refund), when the catalog has it; the word
    is used. A median or an extreme only (an average of a total may be per order, per day or per
    person: left to the words that say so), with nothing in between but 的."""
    found = [
        m
        for m in catalog.measurables.values()
        if m.kind == "column" and m.metrics.get("sum") == mention.term.target
    ]
    taken: tuple[str, ...] = ("median", "max", "min")
    if not found:
        # "客单价 的 中位数", "median items per order": the median beside the average the
        # metric is (aov: the average order value) — the middle order's, not a ranking word
        found = [
            m
            for m in catalog.measurables.values()
            if m.kind == "column" and m.metrics.get("avg") == mention.term.target
        ]
        taken = ("median",)
    if len(found) != 1:
        return None
    for a in aggs:
        if id(a) in used or a.term.value not in taken:
            continue  # "销售额的平均值", "支付金额 平均 每天": per order, per day? not read
        gap = text[mention.end : a.start] if a.start >= mention.end else text[a.end : mention.start]
        if a.start < mention.end and a.end > mention.start:
            continue
        beside = _AGG_BESIDE.match(gap) or (a.start < mention.start and _AGG_OF.match(gap))
        if beside and str(a.term.value) in found[0].metrics:
            used.add(id(a))
            return str(found[0].metrics[str(a.term.value)])
    return None


def _aggs_joined_before(
    out: list[Mention], aggs: list[Mention], used: set[int], text: str, catalog: Any
) -> list[Mention]:
    """ "average and median order value", "min, avg and max delivery days": aggregation words
    joined by 'and' right before a metric that already is one aggregation of a measure (median
    order value) are each another aggregation of that measure, side by side in the order said
    (as "发票金额的平均数和中位数" after it)."""
    from shopql.catalog.families import measurable_of

    result = list(out)
    for mention in out:
        found = (
            measurable_of(catalog, mention.term.target) if mention.term.kind == "metric" else None
        )
        if found is None or found[0].kind == "count":
            continue
        measure, own = found
        chain: list[Mention] = []
        start, glued = mention.start, None
        for a in sorted(aggs, key=lambda a: -a.end):
            if a.end > start or id(a) in used:
                continue
            gap = text[a.end : start]
            if not chain and glued is None and not gap.strip() and a.term.value != own:
                # "mean and median basket value": the word glued to it is its own aggregation
                if a.term.value not in measure.metrics:
                    break
                glued, start = a, a.start
                continue
            taken = glued.term.value if glued is not None else own  # what the metric now is
            if not _AGG_JOINED.fullmatch(gap) or a.term.value == taken:
                break
            if a.term.value not in measure.metrics:
                break
            chain.insert(0, a)
            start = a.start
        if glued is None or not chain:
            glued = None  # one word glued alone is another reading's ("max aov"): left as it was
        if not chain:
            continue
        used.update(id(a) for a in (*chain, *([glued] if glued else [])))
        at = result.index(mention)
        if glued is not None:
            result[at] = _as_metric(mention, measure.metrics[str(glued.term.value)])
        result[at:at] = [_as_metric(a, measure.metrics[str(a.term.value)]) for a in chain]
    return result


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
    if _CUE_BEFORE.search(before) or _MOST_BEFORE.search(before) or _MOST_AFTER.match(after):
        return True  # "which category had the most sellers", "哪个品类卖家最多": their number
    cue = _CUE_AFTER.match(after)  # "卖家有多少(个)": but "州有多少卖家" asks about the sellers
    if cue is not None and _SOLD_AFTER.match(after[cue.end() :]):
        return True  # "PR州的卖家有几家卖出过东西": the sellers counted, those that sold
    return cue is not None and not _NAMED_AFTER.match(after[cue.end() :])


# the most / fewest of a countable, said right beside it with nothing counted after: their number
# ranks ("the most sellers", "卖家最多的品类"); not "卖家最多单" (orders), nor "sold the most"
_MOST_BEFORE = re.compile(r"\b(?:the\s+)?(?:most|fewest)\s*$")
_MOST_AFTER = re.compile(r"^(?:的)?\s*(?:最多|最少)(?!\s*[单件笔元块个人次条张种款钱])")


# after "有多少": a classifier, then another word (not a particle or the end)
_NAMED_AFTER = re.compile(r"[个家种位款名只条类张笔单]*+\s*+(?![呢吗啊呀了？?。，,!！])\w")


# after "有多少": a classifier, then the verb of a sale said of the things counted (卖出过东西,
# 卖过货, 有成交, 动销过) — not another noun (卖家, 售后)
_SOLD_AFTER = re.compile(r"[个家种位款名只]*\s*(?:是|有)?\s*(?:卖出|卖过|卖了|售出|成交|动销)")


_FILLER = re.compile(r"\b(?:the|number of|amount of|count of)\b|的")


def _said_of_next(agg: Mention, mentions: list[Mention], text: str) -> bool:
    """An aggregation word said right before a metric (nothing but 的 / the between)."""
    after = [m for m in mentions if m.term.kind == "metric" and m.start >= agg.end]
    nearest = min(after, key=lambda m: m.start, default=None)
    return nearest is not None and not _FILLER.sub("", text[agg.end : nearest.start]).strip()


def _next_to_average(agg: Mention, mentions: list[Mention], catalog: Any, text: str) -> bool:
    """An average word right beside a metric that is itself a ratio or an average — not one
    said right before another metric ("平均运费和平均实付": the second 平均 is 实付's, which is
    no average: left unplaced, never swallowed by 平均运费 before it)."""
    if _said_of_next(agg, mentions, text):  # the metric the word is said of
        after = [m for m in mentions if m.term.kind == "metric" and m.start >= agg.end]
        mentions = [min(after, key=lambda m: m.start)]
    for m in mentions:
        if m.term.kind != "metric" or m.term.target not in catalog.metrics:
            continue
        gap = text[agg.end : m.start] if agg.end <= m.start else text[m.end : agg.start]
        if len(_FILLER.sub("", gap).strip()) > 2:  # "average number of orders per customer"
            continue
        metric = catalog.metrics[m.term.target]
        measure = catalog.measure(metric.measure or "")
        if metric.type == "ratio" or (measure is not None and measure.agg == "avg"):
            return True
    return False


def _has_values(links: Links) -> bool:
    return any(m.term.kind in ("value", "keyword") for m in links.mentions)


_SOLD = re.compile(r"卖过|卖出|售出|卖了|卖掉|动销|成交过|\b(?:sold|sell|sells|selling)\b")


def _kind_of_the_catalog(links: Links) -> None:
    """ "商品目录里一共有多少个品类", "how many categories are in the product catalog": a
    dimension word said right before the catalog word names what the catalog lists (商品目录:
    the product catalog), not a breakdown by it; the catalog word stays for the count to place."""
    if not any(w in CATALOG_WORDS for w in links.leftover):
        return
    text = links.text
    kept = []
    for m in links.mentions:
        after = text[m.end :].lstrip()
        if m.term.kind == "dimension" and any(after.startswith(w) for w in CATALOG_WORDS):
            continue
        kept.append(m)
    links.mentions = kept


def _count_metric(m: Any, catalog: Any, plain: bool) -> str:
    """Every one known for a plain "how many" (no time, breakdown or filter) when the catalog
    says how to count them all, else those active in the range."""
    every = m.metrics.get("all")
    return every if every and plain else m.metrics["count"]


# -- per-entity ratios ------------------------------------------------------------------------
# "平均每个客户下几单", "每张发票平均几件商品", "11月平均每张发票多少钱", "avg spend per customer":
# an average of one quantity over an entity is the catalog's ratio whose denominator counts that
# entity and whose numerator is the quantity (a metric named, or a unit word: 钱 → money, 件 →
# units, 单 → orders). Needs an average word (平均, average, 人均 …): "每个平台多少单" is a
# breakdown, not a ratio.
_PER_BEFORE = re.compile(
    r"(?:\b(?:per|each|every|an?)|每(?:一|个|张|位|名|家|笔|单|件|款|份)?|(?<!第)一(?:个|张|位|名|家|笔|款|份))\s*$"
)
AVERAGE_WORDS = {"平均", "平均下来", "average", "avg", "on average", "mean", "均"}
# the unit a quantity is counted in → what the numerator measures
COUNTERS: dict[str, str] = {
    "钱": "money",
    "元": "money",
    "块": "money",
    "块钱": "money",
    "件": "units",
    "单": "orders",
    "笔": "orders",
    "次": "orders",
    "张": "orders",  # 张 counts invoices: "平均一个客户开几张票"
    "行": "order_line_count",  # "每张发票平均几行": the lines of an order (lines_per_order)
    "种": "order_products",  # "每张发票平均几种商品": an order's different products
}
# counts that mean something only over the rows they pair with (an order's different products:
# the (order, product) pairs): read only as the catalog's own ratio, never a ratio made up over
# another entity ("平均每个客户买几种商品" is not the pairs per customer)
_PAIRED_COUNTS = {"order_products"}
# "how much did each seller make", "平均每个卖家赚多少": what they took in (sales), not a price
EARN_VERBS = ("make", "made", "earn", "earned", "earns", "makes", "赚", "赚了", "挣", "挣了")
# how many kinds of a thing: "几个不同的商品", "多少种商品", "几个品类" (a count, not money)
_KINDS_ASKED = re.compile(
    r"(?:几|多少)\s*(?:个|种|款|类)\s*(?:不同|不一样)|(?:几|多少)\s*(?:种|款)"
)
_EARNS = re.compile(r"\b(?:make|made|makes|earn|earned|earns)\b|赚|挣")
# verbs that say what the numerator counts (下单: orders, 买: units or money, 花: money)
RATIO_VERBS: dict[str, set[str]] = {
    "orders": {"下", "下单", "place", "placed", "make", "买", "购买", "买了", "下了", "开", "开了"},
    # a seller's side too: 平均每个卖家卖几件 / 卖了多少钱
    "units": {"买", "购买", "买了", "buy", "bought", "purchase", "purchased"}
    | {"卖", "卖了", "卖出", "售出", "sell", "sold"},
    "money": {"花", "花了", "消费", "付", "支付", "spend", "spent", "pay", "paid", "收", "一单"}
    | {"卖", "卖了"}
    | set(EARN_VERBS),
}
_COUNT_PREFIX = re.compile(r"^(?:几|多少|how many|how much)")


def read_per_entity(
    links: Links, modifiers: dict[str, Any], vocab: Vocabulary, catalog: Any
) -> None:
    """Rewrite "average Y per X" (in either language, any order) to the catalog ratio Y / X,
    or to the average of X's own money measure ("平均每笔支付多少": the average payment value);
    "the most expensive order", "最贵的一单": the maximum of X's own money measure."""
    aggs = [m for m in links.of("modifier") if m.term.target == "agg"]
    aggs += [  # "biggest single order", "最低的一单": the largest / smallest of one
        Mention(m.phrase, m.start, m.end, Term("modifier", "agg", _EXTREME[m.term.target], -1))
        for m in links.of("modifier")
        if m.term.target in ("top", "bottom") and m.term.value is None
    ]
    averaging = _has_average(links, modifiers)
    unread: list[str] = []  # an average per X that no ratio of the catalog reads: unplaced
    implied = _implied_entities(links)
    for k, x in [*enumerate(links.mentions), *implied]:
        if k >= 0 and _each_group_before_per(links, k, x, implied):
            continue  # "每个平台平均每单优惠多少": each platform's own average per order
        agg = _extreme_beside(links, x, aggs)
        if k >= 0 and _counted_by_another(links, k, x, catalog):
            continue  # "卖家平均每家多少单": 家 counts the sellers, 单 what each one took
        if agg is None and not (k >= 0 and _per_ratio_entity(links, k, x, vocab, catalog)):
            each = k >= 0 and _each_counted(links, k, x)
            if not each and (
                not averaging
                or (
                    k >= 0
                    and not _PER_BEFORE.search(_gap_before(links, k))
                    and not _average_one(links, k)
                )
            ):
                continue
        named = _named_before(links, x) if k < 0 else None
        if named is not None and named.term.kind == "table":  # "付款 平均每笔多少钱": 笔
            denominators = _key_counts(catalog, named.term.target)  # counts the payments named
        elif x.phrase in _NAMED_CLASSIFIERS and k < 0:  # 家 counts only the entity named
            said = _counts_of(named, vocab, catalog) if named is not None else []
            denominators = [d for d in said if x.phrase in counters_of(catalog, d)]
            named = named if denominators else None
        else:
            denominators = _counts_of(x, vocab, catalog) if k >= 0 else _counted_in(x, catalog)
        if named is not None and x.phrase in _NAMED_CLASSIFIERS:
            pass
        elif named is not None and named.term.kind == "metric":
            # "RJ的买家 平均每人花了多少": the people named are the ones 每人 counts
            named = named if named.term.target in denominators else None
        elif named is not None and named.term.kind != "table":
            named = None
        own = _row_amount_before(links, x, catalog) if k < 0 and averaging else None
        if own is not None:  # "退款 平均每笔 多少钱": one refund's amount, averaged
            chosen = [a for a in aggs if a.term.value == "avg"][:1]
            after = links.text[x.end : x.end + 6]  # "每笔 退 多少钱": the total's own verb
            links.leftover = [
                w
                for w in links.leftover
                if not (w in after and own[0].phrase.startswith(w) and len(w) < len(own[0].phrase))
            ]
            _merge(links, [own[0], x, *chosen], own[1], "money", catalog)
            modifiers.pop("agg", None)
            return
        group = _event_people_before(links, x, catalog) if k < 0 else None
        if group is not None:  # "收藏过的人 平均每人收藏几次": each of those people
            named, denominators = group[0], [group[1]]
        if not denominators:
            continue
        extreme = _measure_of_extreme(links, agg, denominators, catalog) if agg else None
        if extreme is not None and agg is not None:  # "运费最高的一单": the largest freight
            nouns = [  # "运费最高的一笔订单": the rows counted named after the classifier
                m
                for m in links.mentions
                if m.start >= x.end
                and not links.text[x.end : m.start].strip()
                and m.term.kind == "metric"
                and m.term.target in denominators
            ]
            _merge(links, [x, extreme[1], agg, *nouns[:1]], extreme[0], "money", catalog)
            modifiers.pop("agg", None)
            modifiers.pop("top" if agg.term.value == "max" else "bottom", None)
            return
        numerator, used = _numerator(links, x, catalog, denominators)
        if used and _asked_on_its_own(links, used[0], x):
            # "今年荷兰一共开了几张发票 平均一个客户几张": the count asked on its own too, kept
            # beside the ratio (was: taken into it, the count dropped)
            used = used[1:]
        if group is not None and not _own_event(catalog, numerator, group[1]):
            # "收藏过的人 平均每人 浏览几次 / 花多少钱": what other people did (or bought, by
            # another key) is not counted among them by a ratio over them
            unread.append(links.text[group[0].start : x.end])
            continue
        used = [*used, named] if named is not None else used
        numerator = _summed(numerator, catalog, denominators)  # "avg qty per invoice": units
        if group is None and numerator and agg is None:
            twin = _doers_of_event(catalog, numerator, denominators)
            if twin is not None:  # "每个访客平均浏览几次": the views over the viewers
                group, denominators = (x, twin, []), [twin]
        if numerator is None and _owns_rows(x, denominators, catalog) and _EARNS.search(links.text):
            numerator = "paid_gmv" if "paid_gmv" in catalog.metrics else None
        if agg is None:
            metric = _ratio_for(catalog, numerator, denominators) if numerator else None
            if group is not None and numerator:  # its own event over its own people (another
                # event's ratio shares the measure: fav_events / fav_visitors is not cart's)
                from shopql.catalog.families import ratio_metric
                from shopql.catalog.model import CatalogError

                try:
                    metric = ratio_metric(catalog, numerator, denominators[0])
                except CatalogError:
                    metric = None
            asked = numerator if numerator in catalog.metrics else None
            # "一单里平均有几个不同的商品": a number of kinds of things asked, never money
            kinds = numerator is None and _KINDS_ASKED.search(links.text[x.end :]) is not None
            carried = [  # the money one of these rows carries, the money asked of them
                (d, m)
                for d in denominators
                if (m := _money_of_rows(d, catalog, of=asked)) is not None
                and (asked or numerator in (None, "money"))
                and not kinds
            ]
            if carried:  # "平均每张退货单多少钱 / 退了多少": their own money over them, no ratio
                # over all orders (客单价) nor every refund over the returns
                metric = _average_of_rows(carried[0][0], carried[0][1], catalog)
            metric = metric or (
                None if carried else _row_measure(links, x, numerator, denominators, catalog, "avg")
            )
            if (
                metric is None
                and not carried
                and numerator
                and numerator in catalog.metrics
                and numerator not in _PAIRED_COUNTS
            ):  # "平均每个卖家卖多少钱"
                from shopql.catalog.families import ratio_metric
                from shopql.catalog.model import CatalogError

                try:
                    metric = ratio_metric(catalog, numerator, denominators[0])
                except CatalogError:  # "平均每张退货单几件": no count of them by the units' time
                    metric = None
            chosen = [a for a in aggs if a.term.value == "avg"][:1]
        else:
            metric = _row_measure(links, x, numerator, denominators, catalog, agg.term.value)
            chosen = [agg]
        if metric is None:
            if k >= 0 and numerator and re.search(r"\bper\s*$", _gap_before(links, k)):
                unread.append(f"per {x.phrase}")  # "avg order value per customer": no such ratio
            continue
        if group is not None:  # the people's own words: "收藏过的人", "加购的用户"
            used = [*used, *group[2]]
            gap = links.text[group[0].end : x.start]
            links.leftover = [
                w for w in links.leftover if w not in _PEOPLE_NOUNS | {"过"} or w not in gap
            ]
        _merge(links, [x, *used, *chosen], metric, numerator or "money", catalog)
        modifiers.pop("agg", None)
        if agg is not None and agg.term.weight == -1:  # a ranking word read as max / min
            modifiers.pop("top" if agg.term.value == "max" else "bottom", None)
        return
    links.leftover += [w for w in unread if w not in links.leftover]


_EXTREME = {"top": "max", "bottom": "min"}

# between a ratio counting an order's pieces or lines and the product word that names what is
# counted: "每单平均几行商品", "平均每单几件商品", "每单平均有多少件商品", "items per order"
_UNIT_GAP = re.compile(
    r"^\s*(?:有)?\s*(?:几|多少)?\s*(?:个|件|行|种|款|样|条)?\s*(?:的)?\s*(?:不同的?|different)?\s*$"
)
_PIECE_NUMERATORS = {"units", "order_line_count", "order_products"}


def unit_noun(links: Links, catalog: Any, modifiers: dict[str, Any] | None = None) -> None:
    """The product word after a ratio of pieces or lines is what the ratio counts, not a
    breakdown by product: "2017年每单平均几行商品" is one figure (lines per order), not one a
    product; "每张发票平均有几种不同的商品": 不同 (different) is what the ratio already counts."""
    mentions = links.mentions
    drop: set[int] = set()
    for k, a in enumerate(mentions):
        metric = catalog.metrics.get(a.term.target) if a.term.kind == "metric" else None
        if metric is None or getattr(metric, "numerator", None) not in _PIECE_NUMERATORS:
            continue
        rest = mentions[k + 1 : k + 3]
        distinct = [
            m for m in rest[:1] if m.term.kind == "modifier" and m.term.target == "distinct"
        ]
        b = rest[len(distinct)] if len(rest) > len(distinct) else None
        if b is not None and b.term.kind == "dimension" and b.term.target == "product":
            if _UNIT_GAP.match(_masked(links.text[a.end : b.start], a.end, distinct)):
                drop |= {id(b), *map(id, distinct)}
                if distinct and modifiers is not None:
                    modifiers.pop("distinct", None)
    if drop:
        links.mentions = [m for m in mentions if id(m) not in drop]


def _masked(gap: str, at: int, mentions: list[Mention]) -> str:
    """`gap` (the text from `at`) with the mentions in it blanked out."""
    for m in mentions:
        gap = gap[: m.start - at] + " " * (m.end - m.start) + gap[m.end - at :]
    return gap


# a count asked of a thing said before it ("一共多少张发票"), and a count asked after the entity
# averaged over ("平均每个客户几张"): two figures
_COUNT_BEFORE = re.compile(r"(?:多少|几)\s*(?:张|单|笔|个|件|次)?\s*(?:的)?\s*$")
_COUNT_IN = re.compile(r"多少|几")  # "开了多少票": the count said in the metric's own phrase
_COUNT_AFTER = re.compile(r"\s*(?:有|买了|开了|下了|买|开|下)?\s*(?:多少|几)")


def _asked_on_its_own(links: Links, y: Mention, x: Mention) -> bool:
    """Whether metric mention `y`, said before the entity `x` an average is over, is a count
    asked on its own ("一共多少张发票"), the average asking its own count after x ("几张")."""
    text = links.text
    return (
        y.term.kind == "metric"
        and y.end <= x.start
        and bool(_COUNT_BEFORE.search(text, 0, y.start) or _COUNT_IN.search(y.phrase))
        and bool(_COUNT_AFTER.match(text, x.end))
    )


def _merge(links: Links, spans: list[Mention], metric: str, numerator: str, catalog: Any) -> None:
    """One metric mention over `spans`; the words the reading used taken out of the leftover."""
    text = links.text
    start, end = min(m.start for m in spans), max(m.end for m in spans)
    drop = {id(m) for m in spans}
    merged = Mention(text[start:end], start, end, Term("metric", metric, None, 20))
    links.mentions = sorted(
        [m for m in links.mentions if id(m) not in drop] + [merged], key=lambda m: m.start
    )
    kind = _kind_of(catalog, numerator)
    # the counters of what the metric is counted in ("平均每单几件": 件 beside units), never
    # another's: "运费最贵的一单 多少件" asks pieces, not the largest freight
    counters = {c for c, what in COUNTERS.items() if kind is None or what == kind}
    placed = AVERAGE_WORDS | RATIO_VERBS.get(kind or "", set()) | counters
    region = text[max(0, start - 4) : end + 6]
    links.leftover = [
        rest
        for w in links.leftover
        for rest in [_unplaced_part(w, placed) if w in region else w]
        if rest
    ]
    taken = {m.phrase for m in spans if m.term.kind == "modifier"} | {"single", "one"}
    links.leftover = [w for w in links.leftover if w not in taken]
    kept = {(m.start, m.end) for m in spans if m.term.kind == "modifier"}
    links.mentions = [m for m in links.mentions if (m.start, m.end) not in kept]


# between an extreme word and the entity: "最贵的一单", "the most expensive single order"
_EXTREME_GAP = re.compile(
    r"^\s*(?:的)?\s*(?:一\s*[笔单张]?|单|\bsingle|\bone)?\s*$"
)  # 最贵的一笔订单


# between a measure and the extreme word said of it: "运费最高的一单", "运费 最贵 的 一单"
_MEASURE_GAP = re.compile(r"^[\s的]*$")


def _measure_of_extreme(
    links: Links, agg: Mention, counts: list[str], catalog: Any
) -> tuple[str, Mention] | None:
    """ "运费最高的一单是多少", "折扣最大的一单": a measure of the counted rows' own model named right
    before the extreme word is what the extreme is of (the largest freight of one order), not
    the order's value beside the measure's total. Its metric of that aggregation, and the
    measure's mention; None when nothing, or a measure of other rows (单价: a line's), is said."""
    from shopql.catalog.families import measurable_of

    before = [
        m for m in links.mentions if m.end <= agg.start and m.term.kind in ("measure", "metric")
    ]
    if not before or agg.term.value not in ("max", "min", "median"):
        return None
    y = max(before, key=lambda m: m.end)
    if not _MEASURE_GAP.match(links.text[y.end : agg.start]):
        return None
    if y.term.kind == "measure":
        found = catalog.measurables.get(y.term.target)
    else:  # "运费金额最高的一单": the total named, the measure it adds up
        of = measurable_of(catalog, y.term.target)
        found = of[0] if of is not None and of[1] == "sum" else None
    if found is None or found.kind != "column":
        return None
    rows = set()  # the models whose rows the entity counts (单: an order), not an owner's (平台)
    for c in counts:
        measure = catalog.measures[catalog.metrics[c].measure]
        model = catalog.models[measure.model]
        if model.primary is not None and measure.expr == model.primary.expr:
            rows.add(model.name)
    metric = found.metrics.get(agg.term.value)
    if found.model not in rows or metric not in catalog.metrics:
        return None
    return metric, y


def _extreme_beside(links: Links, x: Mention, aggs: list[Mention]) -> Mention | None:
    """A max / min / median word right before the entity ("最贵的一单", "largest order")."""
    for a in aggs:
        if a.term.value in ("max", "min", "median") and a.end <= x.start:
            if _EXTREME_GAP.match(links.text[a.end : x.start]):
                return a
    return None


def _row_measure(
    links: Links, x: Mention, numerator: str | None, counts: list[str], catalog: Any, agg: str
) -> str | None:
    """The `agg` metric of the money measure of X's own rows, when the question asks an amount
    (多少, 钱, how much, a price word): the measurable whose average the money ratio over X is
    (order value for orders: 客单价), else X's model's only money measurable (payment value)."""
    if numerator not in (None, "money") or _owns_rows(x, counts, catalog):
        return None  # "on average how much did each seller make": not the price of a line
    # an amount asked: "最贵的商品是什么" asks which product, not its price
    asks = re.search(r"多少|钱|how much|\bvalue\b|\bamount\b", links.text)
    if not asks:
        return None
    carried = [(c, m) for c in counts if (m := _money_of_rows(c, catalog)) is not None]
    if carried:  # "平均每张退货单多少钱": the returns' own money, not any order's (客单价)
        if len(carried) != 1:
            return None
        (count, own), *_ = carried
        if agg == "avg":
            return _average_of_rows(count, own, catalog)
        return own.metrics.get(agg) if agg in own.aggs else None
    ratio = _ratio_for(catalog, "money", counts)
    models = {catalog.measures[catalog.metrics[c].measure].model for c in counts}
    money = [
        m
        for m in catalog.measurables.values()
        if m.kind == "column" and m.value_type == "money" and m.model in models
    ]
    own = [m for m in money if ratio and m.metrics.get("avg") == ratio] or (
        money if len(money) == 1 else []
    )
    if len(own) != 1:
        return None
    return own[0].metrics.get(agg)


def _summed(numerator: str | None, catalog: Any, denominators: list[str]) -> str | None:
    """ "avg qty per invoice": the average word read with the line measure (avg_quantity) is the
    average over the entity after per — the measure's total (units) over it, when the catalog
    has that ratio; else the numerator as read."""
    from shopql.catalog.families import measurable_of

    found = measurable_of(catalog, numerator) if numerator else None
    if found is None or found[1] != "avg" or "sum" not in found[0].metrics:
        return numerator
    models = {catalog.measures[catalog.metrics[d].measure].model for d in denominators}
    if found[0].model in models:  # "avg order value per customer": not the orders' total
        return numerator
    total = found[0].metrics["sum"]
    return total if _ratio_for(catalog, total, denominators) else numerator


def _owns_rows(x: Mention, counts: list[str], catalog: Any) -> bool:
    """X is an entity that owns rows (a seller: "sales per seller" is an average over them,
    the countable's `per_ratio`), not a row with an amount of its own (an order, a payment,
    a product's line): the money of one of its rows is not what X made."""
    owners = {
        name
        for m in catalog.measurables.values()
        if m.kind == "count" and getattr(m, "per_ratio", False)
        for name in m.metrics.values()
    }
    return bool(owners & set(counts))


_PERSON_CLASSIFIERS = {"人", "位"}
_PER_CLASSIFIER = re.compile(r"每(?:一)?([单笔人位家件])|人均|单均|一([单笔张件])")
# a classifier several countables share (家: sellers, platforms, brands): it counts only what
# is named right before it ("SP的卖家 平均每家卖了多少钱": each seller)
_NAMED_CLASSIFIERS = {"家"}


def _counted_by_another(links: Links, k: int, x: Mention, catalog: Any) -> bool:
    """ "每家" right before a count ("平均每家多少单"): the classifier after 每 is another
    entity's (家: sellers), not the count's own (单), so the count is what each one has."""
    said = re.search(r"每(?:一)?([家])\s*$", _gap_before(links, k))
    if said is None or x.term.kind != "metric":
        return False
    return said.group(1) not in counters_of(catalog, x.term.target)


def _each_group_before_per(
    links: Links, k: int, x: Mention, implied: list[tuple[int, Mention]]
) -> bool:
    """ "每个平台平均每单优惠多少" (as "各平台平均每单优惠多少"): a dimension said with 每个 before
    another per-one said after it (每单, 每笔, 每人) is the breakdown — the average is per the
    last one, in each group —, not a second denominator (was: the discounts over the platforms,
    one figure)."""
    if x.term.kind != "dimension" or not re.search(
        r"每\s*(?:一)?\s*个?\s*$", _gap_before(links, k)
    ):
        return False
    return any(m.start() >= x.end for m in _PER_CLASSIFIER.finditer(links.text))


def _implied_entities(links: Links) -> list[tuple[int, Mention]]:
    """ "每单", "每笔", "人均": the entity said by its classifier alone (k = -1: no mention)."""
    out = []
    for match in _PER_CLASSIFIER.finditer(links.text):
        if any(m.start <= match.start() < m.end for m in links.mentions):
            continue  # part of a phrase already read ("人均消费")
        word = match.group(1) or match.group(2) or match.group(0)[0]
        end = match.end() + len(links.text[match.end() :]) - len(links.text[match.end() :].lstrip())
        after = [m for m in links.mentions if m.start == end and m.term.kind != "modifier"]
        asked = (
            after
            and after[0].term.kind == "metric"
            and bool(re.search("几|多少", after[0].phrase + links.text[after[0].end :][:4]))
        )
        if after and not asked and word not in _PERSON_CLASSIFIERS | _NAMED_CLASSIFIERS | {"件"}:
            # "每笔支付": the word after says what is counted ("每单平均": not 平均); after 每人
            # it is what each spent or did ("平均每人消费了多少"), never the counted — but a
            # quantity asked right after 每单 is what each holds ("每单买了几件")
            continue
        out.append((-1, Mention(word, match.start(), match.end(), Term("counter", word))))
    return out


# a classifier of rows (笔, 单, 张, 次), and what may stand between it and the table it counts
_ROW_CLASSIFIERS = {"笔", "单", "张", "次"}
_TABLE_GAP = re.compile(r"^[\s的里中]*$")  # "RJ的买家 平均每人", "付款里 平均每笔"


def _named_before(links: Links, x: Mention) -> Mention | None:
    """What a bare classifier counts when it is named right before it, an average word between
    them allowed: a table, whose rows a row classifier counts ("voucher 付款 平均每笔多少钱":
    each payment, not each order), or the people a person classifier counts ("RJ的买家
    平均每人花了多少"); None when anything else stands between."""
    if x.phrase not in _ROW_CLASSIFIERS | _PERSON_CLASSIFIERS | _NAMED_CLASSIFIERS:
        return None
    before = [m for m in links.mentions if m.end <= x.start]
    gap_end = x.start
    for m in reversed(before):
        between = links.text[m.end : gap_end]
        if not _TABLE_GAP.match(between):
            return None
        if m.term.kind == "modifier" and m.term.target == "agg":
            gap_end = m.start  # "付款 平均每笔": the average word between
            continue
        if m.term.kind == "table" and x.phrase in _ROW_CLASSIFIERS:
            return m
        if x.phrase in _NAMED_CLASSIFIERS:  # "SP的卖家 平均每家": the sellers named
            return m if m.term.kind in ("metric", "measure") else None
        return m if m.term.kind == "metric" and x.phrase in _PERSON_CLASSIFIERS else None
    return None


# between an event said of people and the classifier counting them: "收藏过的人 平均每人",
# "加购的用户里 人均"
_EVENT_PEOPLE_GAP = re.compile(
    r"^\s*(?:过|了)?\s*的?\s*(?:人|用户|访客|顾客)\s*(?:里面|里|当中|之中|中)?[\s,，的]*$"
)


_PEOPLE_NOUNS = {"人", "用户", "访客", "顾客", "客户"}


def _row_amount_before(links: Links, x: Mention, catalog: Any) -> tuple[Mention, str] | None:
    """ "退款 平均每笔 多少钱", "refunds: average per refund": 笔 / 次 after a money total that
    adds up one amount per row (refund_amount: the sum of refund_value) counts those rows — the
    average of the row's amount (avg_refund_value), not the total over the orders they belong to.
    The total's mention and that metric, else None."""
    from shopql.catalog.families import measurable_of

    if x.phrase not in _ROW_STROKES and x.phrase != "单":
        return None
    gap_end = x.start
    for m in reversed([m for m in links.mentions if m.end <= x.start]):
        if not _TABLE_GAP.match(links.text[m.end : gap_end]):
            return None
        if m.term.kind == "modifier" and m.term.target == "agg":
            gap_end = m.start
            continue
        if m.term.kind == "measure":  # "运费 平均每笔 多少": a money column of the rows counted
            measure = catalog.measurables.get(m.term.target)
            found = (measure, "sum") if measure is not None else None
        else:
            found = measurable_of(catalog, m.term.target) if m.term.kind == "metric" else None
        if found is None or found[1] != "sum" or "avg" not in found[0].aggs:
            return None
        if found[0].value_type != "money" or (x.phrase == "单" and found[0].model != "orders"):
            return None  # 单 counts orders: "运费 平均每单 多少" (freight is on the order)
        name = found[0].metrics.get("avg") or f"avg_{found[0].name}"
        return (m, name) if name in catalog.metrics else None
    return None


# the classifiers of one transaction: 笔, 次 ("平均每笔", "平均每次")
_ROW_STROKES = {"笔", "次"}


def _event_people_before(
    links: Links, x: Mention, catalog: Any
) -> tuple[Mention, str, list[Mention]] | None:
    """The people of a behaviour event named right before a person classifier, an average word
    between them allowed ("收藏过的人 平均每人", "加购的用户 人均"): the event's mention and the
    catalog metric counting its people (fav_visitors), whom 人 counts — not the paying buyers.
    None when no such people are named there."""
    from shopql.nlq.behaviour import BARE_PEOPLE as BARE
    from shopql.nlq.behaviour import catalog_people_twin, people_metric_of_event

    if x.phrase not in _PERSON_CLASSIFIERS:
        return None
    gap_end = x.start
    nouns: list[Mention] = []  # "收藏的用户": 用户 read as a table, the people of the event
    for m in reversed([m for m in links.mentions if m.end <= x.start]):
        between = links.text[m.end : gap_end]
        if m.term.kind == "modifier" and m.term.target == "agg" and _TABLE_GAP.match(between):
            gap_end = m.start
            continue
        people = m.term.kind == "table" or (m.term.kind == "metric" and m.term.target in BARE)
        if people and m.phrase in _PEOPLE_NOUNS and not nouns:
            nouns.append(m)
            continue
        if m.term.kind != "metric":
            return None
        twin = catalog_people_twin(catalog, m.term.target)
        if twin is not None and _EVENT_PEOPLE_GAP.match(between):
            return m, twin, nouns  # "收藏过的人": the event, then its people
        if people_metric_of_event(catalog, m.term.target) and _TABLE_GAP.match(between):
            return m, m.term.target, nouns  # "收藏人数" read as fav_visitors already
        return None
    return None


def per_head_of_event_people(links: Links, bare: Mention, catalog: Any) -> str | None:
    """ "收藏过的用户 人均收藏几次": a bare 人均 after the people of a behaviour event and before
    that event is the event over its own people (fav_events / fav_visitors), not over the paying
    buyers; the ratio's name (the mentions merged), else None."""
    from shopql.catalog.families import ratio_metric
    from shopql.catalog.model import CatalogError

    x = Mention("人", bare.start, bare.end, Term("counter", "人"))
    group = _event_people_before(links, x, catalog)
    if group is None:
        return None
    after = [m for m in links.of("metric") if m.start >= bare.end]
    if bare.phrase != "人均":  # "人均消费": the figure said in the same word
        after = [bare] if _own_event(catalog, bare.term.target, group[1]) else []
    if len(after) > 1 or (after and not _own_event(catalog, after[0].term.target, group[1])):
        return None
    if not after:  # "收藏过的用户 人均消费": what they spent (bought under another key) is
        # no figure of those people — refused, not the paying buyers' average beside them
        from shopql.nlq.shared import NotUnderstood

        said = links.text[group[0].start : bare.end + 2]
        raise NotUnderstood(
            "not understood, nothing answered: an average per person of the people of a "
            "behaviour event is read only of that event ('收藏过的人 人均收藏几次')",
            [said],
            [],
        )
    try:
        metric = ratio_metric(catalog, after[0].term.target, group[1])
    except CatalogError:
        return None
    if metric is None:
        return None
    gap = links.text[group[0].end : bare.start]
    links.leftover = [w for w in links.leftover if w not in _PEOPLE_NOUNS | {"过"} or w not in gap]
    spans = list({id(m): m for m in [group[0], *group[2], bare, after[0]]}.values())
    _merge(links, spans, metric, after[0].term.target, catalog)
    return metric


def _doers_of_event(catalog: Any, numerator: str, denominators: list[str]) -> str | None:
    """ "每个访客平均浏览几次", "平均每个访客看了几次商品", "views per visitor": a behaviour event's
    count averaged over the bare visitors is averaged over the visitors who did that event (the
    sets' convention: view events / distinct viewing visitor keys, as '收藏过的访客 平均每人收藏
    几次' reads) — the catalog's people twin of the event (view_visitors), else None."""
    from shopql.nlq.behaviour import catalog_people_twin

    if denominators != ["visitors"]:
        return None
    return catalog_people_twin(catalog, numerator)


def _own_event(catalog: Any, numerator: str | None, people: str) -> bool:
    """`numerator` counts the events whose people `people` counts (fav_events over
    fav_visitors), or is those people's own count."""
    from shopql.nlq.behaviour import catalog_people_twin

    return numerator is not None and (
        numerator == people or catalog_people_twin(catalog, numerator) == people
    )


def _counted_in(x: Mention, catalog: Any) -> list[str]:
    """The count metrics a classifier counts in (单 → orders, 人 → buyers: the lexicon's units)."""
    from shopql.nlq.lexicon import METRIC_UNIT_WORDS

    return [
        name
        for name, units in METRIC_UNIT_WORDS.items()
        if x.phrase in units
        and name in catalog.metrics
        and catalog.metrics[name].type == "simple"
        and catalog.metrics[name].value_type == "count"
    ]


def _unplaced_part(word: str, placed: set[str]) -> str:
    """What is left of a leftover word once the ratio's own words are taken out ("每人下" → "")."""
    if bare(word) in placed or word in placed:
        return ""
    rest = re.sub(
        r"^(?:每一?|一(?=[个张位名家笔款份单件]|$))(?:个|张|位|名|家|笔|单|件|款|份|人)?", "", word
    )
    for w in sorted(placed, key=len, reverse=True):
        if not w.isascii():
            rest = rest.replace(w, "")
    rest = _COUNT_PREFIX.sub("", rest)
    return "" if not rest.strip() else word


_PER_ONLY = re.compile(r"\bper\s*$")


def _per_ratio_entity(links: Links, k: int, x: Mention, vocab: Vocabulary, catalog: Any) -> bool:
    """ "sales per seller": English per right before an entity whose countable says so in the
    catalog (`per_ratio`) is the average over them — sales / sellers —, not a split by seller
    (as "sales per state" is a split, and "sales for each seller" lists them)."""
    if not _PER_ONLY.search(_gap_before(links, k)):
        return False
    if x.term.kind == "metric" and x.term.target == "orders":
        return True  # "sales per invoice": an order is no breakdown — the average per order
    for term in [x.term, *vocab.terms.get(x.phrase, [])]:
        for m in catalog.measurables.values():
            if m.kind != "count" or not getattr(m, "per_ratio", False):
                continue
            if (term.kind, term.target) in (("measure", m.name), ("dimension", m.dimension)):
                return True
    return False


# each one of them, said before what is counted: 每个买家, 每位客户, "each buyer", "every customer"
_EACH_BEFORE_COUNT = re.compile(r"(?:\b(?:each|every)|每(?:一)?(?:个|位|名|家|张|笔)?)\s*$")


def _each_counted(links: Links, k: int, x: Mention) -> bool:
    """ "每个买家贡献多少销售额", "how much revenue does each buyer bring in", "每个客户下了几单":
    each one of an entity the catalog only counts (a count metric, no dimension to list them
    by) is no breakdown — it is the average per one of them, said without an average word. An
    entity the catalog can list ("每个卖家多少销售额": a shop dimension) stays a breakdown."""
    return x.term.kind == "metric" and bool(_EACH_BEFORE_COUNT.search(_gap_before(links, k)))


def _has_average(links: Links, modifiers: dict[str, Any]) -> bool:
    if any(m.term.target == "agg" and m.term.value == "avg" for m in links.of("modifier")):
        return True
    if any(re.search(r"\b(?:avg|average|mean)\b|平均", m.phrase) for m in links.of("metric")):
        return True  # "avg qty per invoice": the average word read with the measure
    return "人均" in links.text or bool(re.search(r"\bon average\b", links.text))


def _average_one(links: Links, k: int) -> bool:
    """ "how much did the average customer spend": "the average" right before the entity says
    one of them on average (per customer), as "each" / "per" would."""
    if k < 1 or _gap_before(links, k).strip():
        return False
    avg = links.mentions[k - 1]
    if avg.term.kind != "modifier" or avg.term.target != "agg" or avg.term.value != "avg":
        return False
    return bool(re.search(r"\b(?:the|an?)\s*$", _gap_before(links, k - 1)))


def _gap_before(links: Links, k: int) -> str:
    """The text between mention k and the one before it."""
    prev_end = links.mentions[k - 1].end if k else 0
    return links.text[prev_end : links.mentions[k].start]


_COUNTED_AT_END = re.compile(r"(?:几|多少)(钱|元|块钱|块|件|单|笔|次)$")


def _counted_at_end(word: str) -> str:
    """ "每单买几件" (no particle split it): the unit its count ends with (件), else ""."""
    m = _COUNTED_AT_END.search(word)
    return m.group(1) if m else ""


def bare(word: str) -> str:
    """ "几件" → "件", "多少钱" → "钱": the unit of a counted quantity."""
    return _COUNT_PREFIX.sub("", word).strip() or word


def _counts_of(x: Mention, vocab: Vocabulary, catalog: Any) -> list[str]:
    """The count metrics an entity word names: its own count metric (客户 → buyers), else the
    count of the catalog's countable it names (卖家 → seller_count)."""
    out = []
    for term in [x.term, *vocab.terms.get(x.phrase, [])]:
        if term.kind == "metric":
            metric = catalog.metrics.get(term.target)
            if metric is not None and metric.type == "simple" and metric.value_type == "count":
                out.append(term.target)
        elif term.kind == "measure":
            m = catalog.measurables.get(term.target)
            if m is not None and m.kind == "count" and "count" in m.metrics:
                out.append(m.metrics["count"])
        elif term.kind == "table":  # "per order": the metrics counting the table's own key
            out += _key_counts(catalog, term.target)
    return list(dict.fromkeys(out))


def _key_counts(catalog: Any, table: str) -> list[str]:
    keys = {
        (model.name, model.primary.expr)
        for model in catalog.models.values()
        if model.table == table and model.primary is not None
    }
    out = []
    for metric in catalog.metrics.values():
        measure = catalog.measure(metric.measure or "")
        if metric.type != "simple" or measure is None or metric.filter:
            continue
        rows = measure.agg == "count" and measure.model in {model for model, _ in keys}
        if rows or (measure.agg == "count_distinct" and (measure.model, measure.expr) in keys):
            out.append(str(metric.name))
    return out


def _numerator(
    links: Links, x: Mention, catalog: Any, counted: Collection[str] = ()
) -> tuple[str | None, list[Mention]]:
    """What is averaged over x: another metric named (the nearest), else a counted unit left
    over (几件 → units, 多少钱 → money, 几单 → orders); a product word right after a unit count
    (几件商品) is what it counts."""
    named = [  # not the entity's own count ("床上用品的单子平均一单几件": orders over orders)
        m
        for m in links.mentions
        if m is not x
        and m.term.kind == "metric"
        and m.term.target in catalog.metrics
        and m.term.target not in counted
        and not _people_of_a_value(links, m)
        and not _people_before_average(links, m, x)
    ]
    if named:
        y = min(named, key=lambda m: abs(m.start - x.start))
        if _sold_count_of_entity(links, y, catalog):
            return None, []  # "平均每个卖家卖了多少种商品": the products each sells, no money
        after = _counted_object(links, y)
        return y.term.target, [y, *after]
    entities = [  # "每张发票平均几个明细行": a countable entity named after the entity averaged over
        m
        for m in links.mentions
        if m is not x
        and m.start > x.end
        and m.term.kind == "measure"
        and f"{m.term.target}_count" in catalog.metrics
        and f"{m.term.target}_count" not in counted
    ]
    if entities:
        return f"{entities[0].term.target}_count", entities[:1]
    sums = [  # "每个买家平均付了多少运费": the total of a money measurable named, over them
        m
        for m in links.mentions
        if m is not x
        and m.term.kind == "measure"
        and (found := catalog.measurables.get(m.term.target)) is not None
        and getattr(found, "value_type", None) == "money"
        and "sum" in (getattr(found, "metrics", None) or {})
        and found.metrics["sum"] in catalog.metrics
        and not _rows_of(catalog, found.model, counted)  # 每单运费: the rows' own average
    ]
    if sums:
        y = min(sums, key=lambda m: abs(m.start - x.start))
        return _dated_as_counted(catalog, catalog.measurables[y.term.target], counted), [y]
    objects = [m for m in links.mentions if m is not x and _is_object(m, "units")]
    if objects and re.search(r"\b(items|products|pieces)\b", objects[0].phrase):
        return "units", objects[:1]  # "average items per invoice": pieces
    for w in links.leftover:
        kind = COUNTERS.get(bare(w))
        at = links.text.find(w, x.end)
        if kind is None and COUNTERS.get(_counted_at_end(w)):  # "每单买几件": one chunk
            kind, at = COUNTERS[_counted_at_end(w)], links.text.find(w, x.start)
            at = at if at + len(w) > x.end else -1
        if kind is not None and at >= 0:
            things = [
                m
                for m in links.mentions
                if m.start >= at + len(w) and m.start <= at + len(w) + 1 and _is_object(m, kind)
            ]
            return kind, things
    return None, []


_BARE_PEOPLE = re.compile(r"客户|买家|顾客|用户|customers|buyers|clients|shoppers")


def _people_of_a_value(links: Links, m: Mention) -> bool:
    """ "德国客户 平均每张发票多少钱", "英国客户和外国客户": a bare people noun right after a value
    says whose rows they are (the value's), not a count of buyers to average."""
    if m.term.kind != "metric" or m.term.target != "buyers" or not _BARE_PEOPLE.fullmatch(m.phrase):
        return False
    before = [b for b in links.mentions if b.end <= m.start]
    if not before or before[-1].term.kind not in ("value", "dimension"):
        return False
    if before[-1].term.kind == "dimension" and (len(before) < 2 or before[-2].term.kind != "value"):
        return False  # "SP州的客户": a value with its own name; a bare dimension is not one
    return links.text[before[-1].end : m.start].strip() in ("", "的")


# what may stand between the people and their average per order: "买家 平均每单多少钱"
_TO_AVERAGE = re.compile(r"\s*(?:的)?\s*(?:平均|一般|通常|平时)\s*(?:每\s*[张单笔]?)?\s*")


def _people_before_average(links: Links, m: Mention, x: Mention) -> bool:
    """ "今年买过3单以上的买家 平均每单多少钱", "这些客户 平均每张发票多少钱": a bare people noun
    right before the average per order says whose orders are averaged, not a count of buyers
    over the orders (no such ratio: the average per order was left unread)."""
    if m.term.kind != "metric" or m.term.target != "buyers" or not _BARE_PEOPLE.fullmatch(m.phrase):
        return False
    return m.end <= x.start and _TO_AVERAGE.fullmatch(links.text[m.end : x.start]) is not None


def _rows_of(catalog: Any, model: str, counted: Collection[str]) -> bool:
    """Whether the count an average is taken over counts `model`'s own rows (orders for an
    order's freight: the average of the rows, not a total over other things)."""
    table = getattr(catalog.models.get(model), "table", None)
    keys = set(_key_counts(catalog, str(table))) if table else set()
    for name in list(counted)[:1]:
        metric = catalog.metrics.get(name)
        measure = catalog.measure(getattr(metric, "measure", None) or "")
        if name in keys or (
            measure is not None and measure.model == model and measure.agg == "count"
        ):
            return True
    return False


def _dated_as_counted(catalog: Any, found: Any, counted: Collection[str]) -> str:
    """The total of measurable `found` over the rows its averaging count counts, by the time it
    counts them: "每个买家平均付了多少运费" is the freight of the orders paid in the period (the
    buyers are those with a paid order then), not of every order placed then."""
    from shopql.catalog.families import dated_by

    total = str(found.metrics["sum"])
    metric = catalog.metrics[total]
    own = metric.time or getattr(catalog.models.get(found.model), "default_time", None)
    for name in list(counted)[:1]:  # the count the ratio divides by
        d = catalog.metrics.get(name)
        measure = catalog.measure(getattr(d, "measure", None) or "")
        if d is None or measure is None or measure.model != found.model:
            continue
        if d.time and d.time != own and not metric.filter:
            return dated_by(catalog, total, d.time, "the time its rows are counted by")
    return total


_ENTITY_COUNTER = re.compile(r"^\s*(?:个|种|款|家|类|位)?\s*(?:不同的?)?\s*$")


def _sold_count_of_entity(links: Links, y: Mention, catalog: Any) -> bool:
    """A sale verb asking how many ("卖了多少") right before a measure word and a countable
    entity ("卖了多少种商品", "卖了多少个不同的 SKU"): a count of the entity, not the money."""
    if re.sub(r"\s*(?:个|种|款|家|类|位)$", "", y.phrase) not in SOLD_WORDS:
        return False
    for m in links.mentions:
        if m.start < y.end or m.term.kind == "modifier":
            continue  # "卖了多少个不同的商品": the distinct word between
        if not _ENTITY_COUNTER.match(links.text[y.end : m.start]):
            return False
        counted = {c.dimension for c in catalog.measurables.values() if c.kind == "count"}
        names = {c.name for c in catalog.measurables.values() if c.kind == "count"}
        return m.term.kind in ("dimension", "measure") and m.term.target in counted | names
    return False


def _counted_object(links: Links, y: Mention) -> list[Mention]:
    k = links.mentions.index(y)
    nxt = links.mentions[k + 1] if k + 1 < len(links.mentions) else None
    if nxt is not None and nxt.start - y.end <= 1 and _is_object(nxt, "units"):
        return [nxt]
    gap = links.text[y.end : nxt.start].strip() if nxt is not None else ""
    if nxt is not None and y.term.target == "orders" and _ORDER_COUNT_GAP.match(gap):
        if _is_object(nxt, "orders"):  # "开了几张发票": the issuing verb and what it issued
            return [nxt]
    return []


_ORDER_COUNT_GAP = re.compile(r"^(?:几|多少)(?:个)?[张笔单]$")


def _is_object(m: Mention, kind: str) -> bool:
    """A product word after a count of pieces (几件商品, how many items): what the pieces are;
    an order word after a count of orders (几张发票, 几笔订单): what they count."""
    if kind == "orders" and m.term.kind == "metric" and m.term.target in ("orders", "paid_orders"):
        return True
    return (
        kind == "units"
        and m.term.kind in ("dimension", "measure")
        and m.term.target
        in (
            "product",
            "sku",
        )
    )


def _kind_of(catalog: Any, numerator: str) -> str | None:
    """money / units / orders: what a metric is counted in (the lexicon's unit words)."""
    if numerator in ("money", "units", "orders"):
        return numerator
    from shopql.nlq.lexicon import METRIC_UNIT_WORDS

    metric = catalog.metrics.get(numerator)
    if metric is None:
        return None
    if metric.value_type == "money":
        return "money"
    units = METRIC_UNIT_WORDS.get(numerator, set())
    return "orders" if "单" in units else "units" if "件" in units else None


def _ratio_for(catalog: Any, numerator: str, denominators: list[str]) -> str | None:
    """The catalog ratio dividing `numerator` (a metric, or money / units / orders) by one of
    `denominators` (count metrics; the same measure counts too: orders ~ paid_orders)."""

    def measure(name: str | None) -> str | None:
        metric = catalog.metrics.get(name or "")
        return getattr(metric, "measure", None) if metric is not None else None

    def counted(name: str | None) -> tuple[str, str] | None:
        """What a count metric counts (count_distinct, order_id): the orders counted on the
        order lines (orders with items) count orders too."""
        found = catalog.measure(measure(name) or "")
        if found is None:
            return None
        return (found.agg, str(found.expr).rsplit(".", 1)[-1])

    def narrower(name: str, than: str | None) -> bool:
        """`name` counts some rows of another model under conditions `than` does not have (退货单:
        the refund events' orders not cancelled, not the paid orders with items)."""
        a, b = catalog.metrics.get(name), catalog.metrics.get(than or "")
        ma = catalog.measure(getattr(a, "measure", None) or "")
        mb = catalog.measure(getattr(b, "measure", None) or "")
        if a is None or b is None or ma is None or mb is None or ma.model == mb.model:
            return False
        bare = {re.sub(r"\b\w+\.", "", c) for c in _conditions(b.filter)}
        return any(re.sub(r"\b\w+\.", "", c) not in bare for c in _conditions(a.filter))

    for metric in catalog.metrics.values():
        if metric.type != "ratio":
            continue
        same = [d for d in denominators if counted(d) == counted(metric.denominator)]
        if not same or all(narrower(d, metric.denominator) for d in same):
            continue
        top = catalog.metrics.get(metric.numerator or "")
        if top is None:
            continue
        if numerator in catalog.metrics:
            if metric.numerator == numerator or (
                measure(numerator) is not None and measure(numerator) == top.measure
            ):
                return str(metric.name)
        elif _kind_of(catalog, str(metric.numerator)) == numerator:
            return str(metric.name)
    return None


# Verbs a count of people or orders restates ("MG有多少个顾客下过单": the buyers are those with a
# paid order; "下了多少单": orders placed): placed beside such a metric.
METRIC_VERBS: dict[str, set[str]] = {
    # the object alone ("买过东西": bought anything); a bare 买过 is the people sets' ("都买过")
    "buyers": {"买过东西", "买东西", "买了东西", "bought something", "something", "anything"}
    | {"purchase", "purchased", "purchases"}  # "customers with a purchase in 2011"
    | {"付过款", "付了款", "付过钱", "付款了", "付了钱"},  # 有多少个买家付过款: a paid order
    # 接了多少单 (took), 开了几张 (issued), 出了多少单: the orders placed
    "orders": {"下", "下了", "placed", "place", "接", "接了", "开", "开了", "出", "出了"}
    | {"进", "进了", "进来", "进来了", "来了"}  # 进了多少单, 来了几单: the orders that came in
    | {"come", "comes", "came", "come in", "came in", "comes in"},  # "what hour do orders come in"
    "units": {"出", "出了", "走", "走了", "拍", "拍了", "卖出去", "卖掉"}  # 走了多少件: sold
    | {"卖出", "卖出了", "售出"}  # "一共卖出几件"
    | {"shipped", "moved"},  # "teacup units shipped", "which category moved the most units"
    # "6月收到几条五星好评", "reviews we received": the reviews given, what the count counts
    "review_count": {"收", "收到", "收到了", "收了", "received", "receive", "got"}
    | {"collected", "collect", "drew", "attracted", "picked up", "racked up"}  # reviews drawn
    | {"拿到", "拿到了", "拿了", "得到", "得到了", "挨了", "吃了"},  # 拿到的一星差评, 挨了几条差评
    # "how many sellers made a sale": the sellers of order lines, what the count counts
    "seller_count": {"sale", "a sale", "something", "anything"}
    | {"卖出过东西", "卖过东西", "卖出东西", "卖了东西", "卖出了东西"}  # 6月有多少个卖家卖出过东西
    | {"卖过货", "卖出过货", "卖了货", "出过货"}  # 7月卖过货的卖家
    | {"活跃", "active"},  # 活跃卖家, "active sellers": those with a sale (sellers.SALE_SAID)
    # "which quarter brought the most new customers": the people won
    "new_buyers": {"brought", "brought in", "acquired", "won"},
}


# "今年每个月有几个国家的客户来买过": a country counted is one with a paid order (the countable
# is by payment time), what its customers buying there says
METRIC_VERBS["country_count"] = {"买过", "来买过", "买过东西", "来买过东西", "下过单", "来下过单"}
METRIC_VERBS["country_count"] |= {"bought", "bought something", "ordered", "purchased"}


# "上个月卖出过东西的品类有几个": what sold something is what these counts count (their lines of
# paid orders), as for the sellers
for _sold in ("category_count", "product_count", "sku_count", "brand_count"):
    METRIC_VERBS[_sold] = {"卖出过东西", "卖过东西", "卖出东西", "卖了东西", "卖出了东西"}
    METRIC_VERBS[_sold] |= {"sold something", "sold anything"}
# 人均开了几张发票, 每人平均拍几件: a per-buyer ratio is said with its count's verbs
METRIC_VERBS["orders_per_buyer"] = METRIC_VERBS["orders"]
METRIC_VERBS["units_per_buyer"] = METRIC_VERBS["units"]
# 一个卖家平均接多少单, 每人平均拍几件: a count's own verbs said in a ratio of it
RATIO_VERBS["orders"] |= METRIC_VERBS["orders"]
RATIO_VERBS["units"] |= METRIC_VERBS["units"]


def verbs_of(catalog: Any, metric: str) -> set[str]:
    """The verbs `metric` is said with (its own, or those of the metric it counts like)."""
    own = METRIC_VERBS.get(metric)
    if own is not None:
        return own
    m = catalog.metrics.get(metric)
    measure = getattr(m, "measure", None) if m is not None else None
    for name, verbs in METRIC_VERBS.items():  # paid_orders, new_buyers: the same measure
        base = catalog.metrics.get(name)
        if base is not None and measure and base.measure == measure:
            return verbs
    return set()


def counters_of(catalog: Any, metric: str) -> set[str]:
    """The measure words (量词) a count metric is said with: its countable's `counters`."""
    from shopql.catalog.families import measurable_of

    found = measurable_of(catalog, metric)
    return set(found[0].counters) if found is not None and found[0].kind == "count" else set()


def duration_unit(catalog: Any, metric: str) -> str | None:
    """ "hours" / "days": the unit a duration metric counts in (None for other metrics)."""
    from shopql.catalog.families import measurable_of

    found = measurable_of(catalog, metric)
    if found is None or found[0].kind != "duration":
        return None
    return f"{found[0].unit or 'day'}s"


# A question asking how long something took: the words that ask it (placed by the duration).
DURATION_ASK = re.compile(
    r"(?:隔|间隔|相隔)?(?:要|需要|得|平均要)?(?:等)?(?:多久|多长时间|多少时间)(?:才能|才|能|会|就)?"
    r"|\bgaps?\b(?:\s+(?:between|from))?"
    # "平均要过几个小时才付款" (A, session 45): 要过 only asks the time too (拖了 does not: "超过3天
    # 才发货的单 平均拖了几天" is the delay beyond a bound, refused — test_people_durations_A39)
    r"|(?:隔|间隔|相隔|花了|用了|花|用|要过|得过)?(?:多少|几)(?:天|个小时|小时|分钟|分)(?:钟)?(?:才能|才|能|就)?"
    r"|\bhow long\b(?:\s+(?:does|do|did|it|take|takes|took|to))*"
    r"|\bhow many (?:days|hours|minutes|mins)\b(?:\s+(?:does|do|did|it|take|takes|took|to))*"
    r"|\b(?:wait|waits|waited|waiting)\b(?:\s+for)?|\b(?:days|hours|take|takes|took)\b"
    # "median minutes between placing an order and paying" (C, session 44): minutes said with the
    # two events after them
    r"|\b(?:minutes|mins)\b(?=\s+(?:between|from|to|until|after)\b)"
    r"|\b(?:time|interval)\b(?=\s+(?:between|from)\b)"  # "average time between the 1st and 2nd order"
    r"|等(?:得|了)(?=最)"  # "等货等得最久"
)
_AFTER_START = ("以后", "之后", "后", "过后")
# "paid orders still waiting to ship": a state (the order's status), not a time asked
_WAITING_STATE = re.compile(
    r"\b(?:still\s+)?(?:waiting|awaiting)\s+(?:to\s+(?:be\s+)?ship(?:ped)?|for\s+(?:shipment|shipping))\b"
)
# "how long does it take from order to delivery": the verb after "how long" asks it too
_HOW_LONG_VERB = re.compile(r"(\bhow long\b)((?:\s+(?:does|do|did|it|take|takes|took))+)")
# "between 1st and 2nd purchase", "from first to second order", "from their first to their last
# invoice": the noun said once for both
_ORDINALS_ELIDED = re.compile(
    r"\b(1st|first)(?:\s+(and|to|&|->|-)\s+|\s*(->|→)\s*)(?:(?:the|their|a)\s+)?(2nd|second|last|latest)\s+(purchase|order|buy|invoice)(?:s|d|ed)?\b"
)

# "第一次到第二次购买", "首次和第二次下单之间": the event's verb said once, after the second
_ORDINALS_ELIDED_ZH = re.compile(
    r"(第一次|首次|头一次)(到|和|与|跟|至|→|->)(第二次|再次)(购买|下单|买)"
)


_TODAY_WORDS = ("today", "now", "今天", "现在", "今日")


def read_since_today(text: str, catalog: Any) -> str:
    """ "最后一次购买到今天平均过去了多少天", "days from the last purchase to today", "how long since
    the last order": a duration whose end event is today (its `to:` words are today's) named by
    its start event and today — read before the periods, so 今天 / today is not read as a period
    (one day). The words become the duration's name."""
    for d in catalog.measurables.values():
        if d.kind != "duration" or not d.starts or not set(d.ends) & set(_TODAY_WORDS):
            continue
        start = "|".join(re.escape(w) for w in sorted(d.starts, key=len, reverse=True))
        today = "|".join(re.escape(w) for w in _TODAY_WORDS)
        name = f" {d.name.replace('_', ' ')} "
        zh = rf"(?:从|自)?(?:{start})\s*(?:到|至|距|距离)\s*(?:{today})(?:为止)?"
        en = (
            rf"\b(?:from|between) (?:the |their |a )?(?:{start}) (?:to|until|till|and) (?:{today})\b"
            rf"|\b(?:how long (?:has it been |is it |it's been )?)?since (?:the |their |a |one's )?"
            rf"(?:{start})\b"
        )
        text = re.sub(zh, name, text)
        text = re.sub(en, name, text)
    return text


def _elided(m: re.Match[str]) -> str:
    """ "1st and 2nd order" → "1st order and 2nd order"; "1st->2nd order" → "1st order to 2nd order"."""
    joint = m.group(2) or "to"
    return f"{m.group(1)} {m.group(5)} {joint} {m.group(4)} {m.group(5)}"


# "下了第二单的人跟第一单平均隔几天": the second order said first, the first after 跟 / 和 / 距离
_SECOND_THEN_FIRST_ZH = re.compile(
    r"(?:下了|下过|买了|下)?(第二单|第二次购买|第二次下单)(?:的(?:人|客户|买家|顾客))?\s*"
    r"(?:跟|和|与|距离|距|离)\s*(第一单|首单|第一次购买|首次购买|第一次下单)"
)
_ARROW = re.compile(r"(?<=[a-z\u4e00-\u9fff])\s*(?:-+>|=+>|→|⟶|➡|➔)\s*(?=[a-z\u4e00-\u9fff])")


def _arrows_between_events(text: str, durations: list[Any]) -> str:
    """An arrow between a duration's start event and its end event ("paid->shipped", "付款→发货",
    "purchase -> delivery") said as 到 / " to ", which the durations' own phrases read; any other
    arrow ("jul->aug") is left as it is."""

    def said(m: re.Match[str]) -> str:
        left, right = m.string[: m.start()].rstrip(), m.string[m.end() :].lstrip()
        for d in durations:
            starts = any(left.endswith(w) for w in d.starts)
            if starts and any(right.startswith(w) for w in d.ends):
                return "到" if "\u4e00" <= left[-1] <= "\u9fff" else " to "
        return m.group(0)

    return _ARROW.sub(said, text) if durations else text


def read_duration_events(text: str, catalog: Any) -> str:
    """ "平均多少天送到", "付款以后平均要多久才发货", "which state waits longest for deliveries
    (avg days)": a question asking how long (多久, 几天, how long, wait) with a duration's end
    event (the catalog's `to:` words) names that duration; with a start event (`from:`) before
    it too, the one with both. The end word becomes the duration's name, the start word and the
    asking words are placed by it. One duration must fit; else the text is left as it is."""
    durations = [m for m in catalog.measurables.values() if m.kind == "duration" and m.ends]
    text = _arrows_between_events(text, durations)  # "paid->shipped", "付款→发货": 到 / to
    speed = SPEED_WORDS.search(text) and not _CHANGE.search(text)  # "哪个平台发货最慢"
    if not durations or not (DURATION_ASK.search(_WAITING_STATE.sub(" ", text)) or speed):
        return text
    text = _ORDINALS_ELIDED.sub(_elided, text)  # "1st and 2nd order": 1st order and 2nd order
    text = _ORDINALS_ELIDED_ZH.sub(r"\1\4\2\3\4", text)  # "第一次到第二次购买": 第一次购买
    text = _SECOND_THEN_FIRST_ZH.sub(r"\2到\1", text)  # "第二单的人跟第一单": 第一单到第二单
    named = [d for d in durations if _names_duration(text, [d])]
    if len(named) == 1:  # "gap between 1st and 2nd order": the asking noun, placed by the name
        gapless = re.sub(r"\bgaps?\b", lambda m: " " * len(m.group(0)), text)
        text = gapless if _names_duration(gapless, named) else text  # not "repurchase gap"
    if named:  # "收货以后多久评价": the named one's start event, said before it, is placed
        bare = _HOW_LONG_VERB.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)
        text = bare if _names_duration(bare, named) else text  # not "how long does delivery take"
        start = _first_word(text, named[0].starts) if len(named) == 1 else None
        if start is None and len(named) == 1:  # "下单后平均几天发货": 几天发货 names the time
            other = _other_start_said(text, named[0], durations)  # from payment, 下单 another
            if other is not None:
                return other
        after = start is not None and re.search(r"\bafter\s*$", text[: start[0]])
        if start is None or not (text[start[1] :].startswith(_AFTER_START) or after):
            return text
        phrase = _first_phrase(text, named[0])
        if phrase is not None and phrase[0] <= start[0] < phrase[1]:  # "after payment until
            return _blank_start(text, (start[0], start[0]))  # shipped": its own phrase's word
        return _blank_start(text, start)
    found = []
    for d in durations:
        end = _first_word(text, [*d.ends, *(_verbs(d.ends) if speed else [])])
        if end is None:  # "how long after payment did sellers ship": the end said as a verb
            end = _first_word(text, _verbs(d.ends))
            start = _first_word(text[: end[0]], d.starts) if end is not None else None
            if start is None or not re.search(r"\bafter\s*$", text[: start[0]]):
                # "how many hours did orders wait to ship after payment": the start said after
                # the end's verb, "after" before it (session 38)
                if end is None or _start_then_after(text, end, d.starts) is None:
                    continue
        assert end is not None  # read above, or skipped
        start = _first_word(text[: end[0]], d.starts)
        if start is None:  # "第二次回购距离首购多少天": the start said after the end, from 距离
            start = _start_after(text, end, d.starts)
        if start is None:  # "发货最慢的一单 付款后等了几天": the start said later, then 后
            start = _start_then_after(text, end, d.starts)
        if start is None and set(d.ends) <= set(_TODAY_WORDS):
            continue  # "现在的库存还能卖几天": now alone is no event a duration ends with
        found.append((start is not None, d, start, end))
    if any(with_start for with_start, *_ in found):
        found = [f for f in found if f[0]]
        # "orders placed in 2018, how long after payment did they ship": of two durations
        # with their start said, the one whose start is said last (payment → shipping)
        last = max(f[2][0] for f in found if f[2] is not None)
        found = [f for f in found if f[2] is not None and f[2][0] == last]
    if not any(with_start for with_start, *_ in found) and len({f[1].name for f in found}) > 1:
        if len({(f[1].model, f[1].end) for f in found}) == 1:
            # "发货最快的品类": no start said, several durations to the same end (from the
            # payment, from the order): the first the catalog declares is the plain reading
            # (ship_days; delivery_days for 签收)
            found = found[:1]
        else:
            # "韵达的单平均几天签收": an end said alone is timed from the rows' own beginning (the
            # model's default time: the order's placing), not from a later event another
            # duration starts with (payment, shipping: said when meant)
            found = [f for f in found if f[1].start == _default_time_expr(catalog, f[1].model)]
    if len({f[1].name for f in found}) != 1:
        return text
    _, d, start, (a, b) = found[0]
    asked = DURATION_ASK.search(text, b)
    if start is None and asked is not None and _ORDERS_AFTER.match(text, b):
        # "上个月送达的订单 平均花了几天": the end event says which orders (those delivered
        # then: read by the orders' event), the asking words after them the duration
        a, b = asked.span()
    if _MINUTES_ASKED.search(text) and d.unit != "minute":
        # "下单后 平均几分钟 付款": the same two events counted in minutes, if the catalog has it;
        # else not this duration in another unit under the minutes asked
        d = next((m for m in same_events(d, catalog) if m.unit == "minute"), None)
        if d is None:
            return text
    elif _HOURS_ASKED.search(text) and d.unit == "day":
        # "付款后平均几个小时发货": the same two events counted in hours, if the catalog has it
        d = next((m for m in same_events(d, catalog) if m.unit == "hour"), d)
    elif DAYS_ASKED.search(text) and d.unit == "hour":
        # "下单后 平均几天 才付款": the same two events counted in days, if the catalog has it
        d = next((m for m in same_events(d, catalog) if m.unit == "day"), d)
    text = DURATION_ASK.sub(lambda m: " " * len(m.group(0)), text)  # same length: a, b hold
    d, text = _of_first_orders(d, text, catalog)  # "首单从下单到付款平均几分钟": the first orders'
    if start is not None:
        # "orders shipped last month, how long did delivery take after shipping": the start
        # event said again after the end, "after" before it, is the one the duration runs
        # from; the first one says which orders (those shipped then) and stays (session 38)
        again = _start_then_after(text, (start[0], max(start[1], b)), d.starts)
        text = _blank_start(text, again if again is not None else start)
    return f"{text[:a]} {d.name.replace('_', ' ')} {text[b:]}"


# each person's first paid order said beside a duration of orders: 首单, 第一单, "first orders"
_FIRST_ORDERS_SAID = re.compile(
    r"(?:的\s*)?(?:首单|第一单|头一单|第一笔订单|首笔订单)(?:\s*的)?|\b(?:their\s+|the\s+)?first\s+(?:paid\s+)?orders?\b"
)


def _of_first_orders(d: Any, text: str, catalog: Any) -> tuple[Any, str]:
    """ "今年第一次来买的客户 首单从下单到付款平均几分钟": a duration of orders said of the first
    orders (首单) is the same duration of each person's first paid order — the catalog's one
    duration over first_orders between the same two times in the same unit (dated by the first
    order's payment: the people new in the period) — the first-order word placed by it; else
    the duration as read."""
    said = _FIRST_ORDERS_SAID.search(text)
    twin = first_orders_twin(d, catalog) if said is not None else None
    if said is None or twin is None:
        return d, text
    return twin, text[: said.start()] + " " * (said.end() - said.start()) + text[said.end() :]


# the new customers of the period said before their first orders' duration ("今年第一次来买的客户 首单
# 从下单到付款平均几分钟", "今年新客的首单平均几天送到", "new customers' first orders: hours from order to
# payment"): the first orders' duration is dated by the first order (the people new in the period)
# already — the people words say it twice (A, session 42)
_NEW_PEOPLE_ZH = (
    r"(?:新客户|新客|新买家|新顾客|新用户|(?:第一次|头一次|首次)\s*(?:来|过来)?\s*(?:买东西|买|下单|购买|消费)"
    r"\s*的\s*(?:客户|买家|顾客|用户|人))\s*(?:们)?\s*(?:的|，|,)?\s*"
)
_FIRST_ORDER_ZH = r"(?:首单|第一单|头一单|第一笔订单|首笔订单)"
_DURATION_AFTER_ZH = (
    r"[^，,。？?]{0,24}?(?:几|多少|多久|多长)\s*(?:个)?\s*(?:分钟|小时|钟头|天|时间)"
)
# the first order's own events (not a gap to another order: 第一张到第五张 is no first order's own time)
_NOT_TO_ANOTHER = r"(?!\s*(?:的\s*)?(?:到|至|和|与|跟)\s*(?:第|最后|末|二单|下一))"
_ORDER_EVENT_ZH = r"(?:下单|付款|支付|发货|送到|送达|签收|收货|配送|到货|审核)"
_NEW_BEFORE_FIRST = re.compile(
    rf"{_NEW_PEOPLE_ZH}(?={_FIRST_ORDER_ZH}{_NOT_TO_ANOTHER}{_DURATION_AFTER_ZH})"
    rf"(?={_FIRST_ORDER_ZH}[^，,。？?]{{0,30}}?{_ORDER_EVENT_ZH})"
    r"|\b(?:new|first[- ]time)\s+(?:customers|buyers)(?:'|'s)?\s+(?=first\s+(?:paid\s+)?orders?\b"
    r"[^?.;]{0,40}?\b(?:minutes|hours|days|how\s+long)\b)",
    re.IGNORECASE,
)


def new_people_of_first_orders(question: str) -> tuple[str, list[str]]:
    """The new customers' words said right before 首单 and a duration of it, left out (said): the
    first orders' duration is theirs already; else the question as it is."""
    m = _NEW_BEFORE_FIRST.search(question)
    if m is None:
        return question, []
    said = (
        f"'{m.group(0).strip()}': the people whose first order it is (the first orders' duration)"
    )
    return f"{question[: m.start()]} {question[m.end() :]}", [said]


def first_orders_twin(d: Any, catalog: Any) -> Any:
    """The catalog's one duration over first_orders between the same two times as duration `d`
    of orders, in the same unit; else None."""
    if d.model != "orders":
        return None
    twins = [
        m
        for m in catalog.measurables.values()
        if m.kind == "duration"
        and m.model == "first_orders"
        and m.unit == d.unit
        and (_own_column(m.start), _own_column(m.end)) == (d.start, d.end)
    ]
    return twins[0] if len(twins) == 1 else None


def _own_column(expr: str | None) -> str | None:
    """An orders column said through the first orders' join (orders.created_at): created_at."""
    return expr.removeprefix("orders.") if expr else expr


# how long, asked in Chinese or English words (not a bare "days": 3 days is a number's unit)
_HOW_LONG_WORDS = re.compile(r"多久|多长时间|多少时间|多少|几|\bhow\b")


def asks_how_long(text: str, pos: int = 0) -> bool:
    """How long asked in words (平均几天, 多久, how long) from `pos` on: not a bare unit (3 days)."""
    asked = DURATION_ASK.search(text, pos)
    if asked is None or re.search(r"分$", asked.group(0).rstrip("才能就")):
        return False  # "平均几分": a score's points, not minutes
    return _HOW_LONG_WORDS.search(asked.group(0)) is not None


def read_threshold_duration(text: str, thresholds: list[Any], catalog: Any) -> str:
    """ "付款以后超过3天才发货的单 平均几天", "下单后超过30天才收到货的订单平均要多久": how long asked with
    no event of its own (read_duration_events found none) over the rows a duration's threshold
    keeps is that duration (the ship time of the orders shipped more than 3 days after payment),
    in the unit asked if the catalog has the same two events in it; two durations' thresholds,
    or none, leave the text as it is."""
    named = {f.dimension for f in thresholds}
    durations = [
        d
        for n in sorted(named)
        if getattr(d := catalog.measurables.get(n), "kind", "") == "duration"
    ]
    asked = DURATION_ASK.search(text)
    if len(durations) != 1 or asked is None or not asks_how_long(text):
        return text
    d = durations[0]
    if _MINUTES_ASKED.search(text) and d.unit != "minute":
        d = next((m for m in same_events(d, catalog) if m.unit == "minute"), None)
    elif _HOURS_ASKED.search(text) and d.unit != "hour":
        d = next((m for m in same_events(d, catalog) if m.unit == "hour"), None)
    elif DAYS_ASKED.search(text) and d.unit != "day":
        d = next((m for m in same_events(d, catalog) if m.unit == "day"), None)
    if d is None:
        return text
    a, b = asked.span()
    wait = re.search(r"(?:需要|要|得)\s*$", text[:a])  # "平均要多少个小时": the time it takes
    a = wait.start() if wait else a
    return f"{text[:a]} {d.name.replace('_', ' ')} {text[b:]}"


def _default_time_expr(catalog: Any, model: str) -> str | None:
    """The column of a model's default time dimension (orders: created_at), else None."""
    found = catalog.models.get(model)
    dims = getattr(found, "dimensions", None) or {}
    default = getattr(found, "default_time", None)
    for d in dims.values() if isinstance(dims, dict) else dims:
        if d.name == default:
            return str(d.expr)
    return None


# the orders an event befell: "送达的订单", "送达的单", "发货的单子"
_ORDERS_AFTER = re.compile(r"\s*的\s*(?:订单|单子|单)")
_MINUTES_ASKED = re.compile(
    r"(?:多少|几)个?\s*分钟?|\bhow many (?:minutes|mins)\b|\bin minutes\b"
    r"|\b(?:avg|average|mean|median|min|minimum|max|maximum)\s+(?:number\s+of\s+)?(?:minutes|mins)\b"
    r"|\b(?:minutes|mins)\s+(?:to|from|between|until|after)\b"  # "minutes between ordering and paying"
)
# a duration asked in hours ("平均几个小时发货", "how many hours to ship")
_HOURS_ASKED = re.compile(
    r"(?:多少|几)\s*个?\s*(?:小时|钟头)|\bhow many hours\b|\bin hours\b"
    r"|\b(?:avg|average|mean|median|min|minimum|max|maximum)\s+(?:number\s+of\s+)?hours\b"
    r"|\bhours\s+(?:to|from|between|until|after)\b"  # "hours between payment and shipping"
)
# a duration asked in days ("平均几天才付款", "how many days to pay"): not a period's days (近30天)
DAYS_ASKED = re.compile(
    r"(?:多少|几)\s*个?\s*(?:天|日)(?!子)|\bhow many days\b|\bin days\b"
    r"|\b(?:avg|average|mean|median|min|minimum|max|maximum)\s+(?:number\s+of\s+)?(?:[a-z]+\s+)?days\b"
    r"|\bdays\s+(?:to|from|between|until)\b"  # "average pay days": the duration's own name in days
)


def same_events(d: Any, catalog: Any) -> list[Any]:
    """The durations between the same two times of the same rows as `d` (pay_hours and
    pay_minutes), `d` first."""
    same = [
        m
        for m in catalog.measurables.values()
        if m.kind == "duration"
        and (m.model, m.start, m.end, m.filter) == (d.model, d.start, d.end, d.filter)
    ]
    return sorted(same, key=lambda m: m.name != d.name)


# "哪个平台发货最慢", "which state takes longest to deliver", 送货最快: a speed (or extent) word with a
# duration's end event asks for that duration too; by a group it ranks the groups by the average
# (read_families): the writers' "slowest state" is the state slowest on average, not the one
# with the single longest delivery
SPEED_WORDS = re.compile(
    r"最慢|最久|最快|最长|最短|\b(?:slowest|fastest|quickest|speediest|longest|shortest)\b"
    r"|更快|更慢|(?<![最更尽赶很])快(?![递手乐])|(?<![最更很])慢|\b(?:faster|slower|quicker)\b"
)
_SPEED_AGGS = {
    "longest", "slowest", "shortest", "fastest", "quickest", "speediest",
    "最长", "最久", "最慢", "最短", "最快", "更快", "更慢", "快", "慢", "faster", "slower", "quicker",
}  # fmt: skip
_SLOW_WORDS = {"最慢", "更慢", "慢", "slowest", "slower", "最久", "最长", "longest"}
# a change over time said beside a speed word ("涨得最快", "fastest growing"): growth, not speed
_CHANGE = re.compile(
    r"涨|增长|增速|跌|下降|降得|\bgr[eo]w|\bgrowing\b|\bgrowth\b|\bincreas|\bdecreas|\bdrop|\bfell\b|\bfall"
)


def _verbs(ends: list[str]) -> list[str]:
    """The verbs of a duration's end events ("shipping" → ship, ships; "delivery" → deliver,
    delivers): "which platform is slowest to ship" says the event as a verb, beside a speed
    word only (elsewhere "did sellers ship" says who, not a breakdown of a duration)."""
    out = []
    for w in ends:
        stem = re.sub(r"(?<=p)ping$|ing$|(?<=r)y$", "", w) if w.isascii() else w
        if stem != w and " " not in stem:
            out += [stem, f"{stem}s"]
    return out


def _start_after(text: str, end: tuple[int, int], starts: list[str]) -> tuple[int, int] | None:
    """ "第二单距离首单几天", "收货距下单多久": the start event right after the end, joined by
    距离 / 距 / 离 (the distance from it), or by 跟 / 和 / 与 with a gap word after it ("第二单跟首单
    隔几天"); 平均 may stand before the joining word. The span covers the joining word too."""
    joined = re.compile(r"\s*(?:平均\s*)?(?:(距离|距|离)|(跟|和|与))\s*").match(text, end[1])
    if joined is None:
        return None
    start = _first_word(text[joined.end() :], starts)
    if start is None or start[0] != 0:
        return None
    stop = joined.end() + start[1]
    # "第二单平均跟首单隔几天": 跟 / 和 / 与 join the start only when a gap word follows it
    if joined.group(2) and not re.match(
        r"\s*(?:平均\s*)?(?:相隔|间隔|隔|之间|相差|差)", text[stop:]
    ):
        return None
    return (joined.start(1) if joined.group(1) else joined.start(2), stop)  # 平均 stays


def _start_then_after(text: str, end: tuple[int, int], starts: list[str]) -> tuple[int, int] | None:
    """ "发货最慢的一单 付款后等了几天": a start event said after the end event with 后 / 以后 /
    之后 right after it (from then on), or "after" right before it ("wait to ship after
    payment") — the first such after the end, else None."""
    at = end[1]
    while True:
        found = _first_word(text[at:], starts)
        if found is None:
            return None
        span = (at + found[0], at + found[1])
        if text[span[1] :].startswith(_AFTER_START):
            return span
        if re.search(r"\bafter\s+$", text[at : span[0]]):  # "… after shipping" (session 38)
            return span
        if re.search(r"\bafter\s+$", text[at : span[0]]):  # "wait to ship after payment"
            return span
        at = span[1]


def _other_start_said(text: str, named: Any, durations: list[Any]) -> str | None:
    """ "下单后平均几天发货": the duration a phrase names (几天发货: from payment to shipping) with
    the start event of another duration to the same end said before it, then 后 / 以后 ("after"
    before it): that other duration (from the order to shipping), its name put in the named
    phrase's place; None unless exactly one such duration (same rows, same end) fits."""
    phrase = _first_phrase(text, named)
    if phrase is None:
        return None
    fits = []
    for d in durations:
        if d is named or (d.model, d.end) != (named.model, named.end):
            continue
        start = _first_word(text[: phrase[0]], d.starts)
        if start is None:
            continue
        after = re.search(r"\bafter\s*$", text[: start[0]])
        if text[start[1] :].startswith(_AFTER_START) or after:
            fits.append((d, start))
    if len(fits) != 1:
        return None
    d, start = fits[0]
    text = _blank_start(text, start)
    a, b = phrase
    return f"{text[:a]} {d.name.replace('_', ' ')} {text[b:]}"


def _blank_start(text: str, start: tuple[int, int]) -> str:
    """The start event's words blanked, with 以后/之后/后 after them ("after" before them)."""
    s, e = start
    e += next((len(w) for w in _AFTER_START if text[e:].startswith(w)), 0)
    before = re.search(r"(?:\bafter|\bsince|从|自)\s*$", text[:s])  # "after payment"
    s = before.start() if before else s
    return text[:s] + " " * (e - s) + text[e:]


def _names_duration(text: str, durations: list[Any]) -> bool:
    """The question already names a duration by one of its phrases."""
    return any(_first_phrase(text, d) for d in durations)


def _first_phrase(text: str, duration: Any) -> tuple[int, int] | None:
    """`_first_word` of the duration's phrases longer than two characters, their pattern made
    once per set of words: the phrases (a duration's names, words and every start-to-end
    phrasing, up to ~1,600) depend on these fields only; listing and hashing them for each
    duration on each question cost ~5 % of a question's reading."""
    d = duration
    key = (d.name, *map(tuple, (d.label.values(), d.synonyms, d.words, d.starts, d.ends)))
    pattern = _PHRASE_PATTERNS.get(key, _NONE)
    if pattern is _NONE:
        words = tuple(p for p in d.phrases if len(p) > 2)
        pattern = _words_pattern(words) if words else None
        if len(_PHRASE_PATTERNS) >= 1024:
            _PHRASE_PATTERNS.clear()
        _PHRASE_PATTERNS[key] = pattern
    if pattern is None:
        return None
    m = pattern.search(text)
    return (m.start(), m.end()) if m else None


_NONE: Any = object()
_PHRASE_PATTERNS: dict[tuple[Any, ...], Any] = {}


def _first_word(text: str, words: list[str]) -> tuple[int, int] | None:
    """Where the first of `words` (the longest at a place) occurs in `text`."""
    if not words:
        return None
    m = _words_pattern(tuple(words)).search(text)
    return (m.start(), m.end()) if m else None


@functools.lru_cache(maxsize=4096)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """`words` as one pattern: the alternatives longest first (a stable sort, as `words` come),
    each a whole word when it is Latin. A search finds the leftmost place where any word occurs
    and, there, the first alternative that matches: the longest word at the first place, what
    searching each word on its own and keeping the earliest (the longest on a tie) found, in
    one pass over the text instead of one a word (the catalog's duration phrases are thousands:
    ~15 % of test_synonyms' CPU went to those searches)."""
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(f"(?:{_word_source(w.lower())})" for w in ordered))


def _word_source(word: str) -> str:
    """A catalog word as a pattern's source (a whole word when it is Latin)."""
    return rf"\b{re.escape(word)}\b" if word.isascii() else re.escape(word)
