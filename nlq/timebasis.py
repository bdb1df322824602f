"""A word naming when something happened, beside a count and a period, is the count's time basis:
"orders paid last month" / "上个月付款的订单" count the orders PAID last month (the catalog's
orders-by-payment-time metric), not the orders placed last month whose status is still 'paid'.

Driven by the catalog: each time dimension's event words are its label and synonyms without
the date word ("paid date" → paid, "付款日期" → 付款, "Payment date" → payment). When a question
with a period names metric M (timed by dimension T) and an event word of another time dimension
T', and the catalog has exactly one metric M' with M's measure timed by T', M' is read instead and
the event word is placed (it is no longer a status filter or a table). A value word next to its
own dimension's name ("status paid", "付款状态") keeps its filter reading: it names a status."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from shopql.nlq.linking import Links, Mention, PerCatalog, Term, is_latin, normalise

DATE_WORDS = ("date", "day", "time", "timestamp", "日期", "时间", "时刻", "日")


def _event_words(catalog: Any) -> dict[str, str]:
    """event word -> the time dimension it names (words two dimensions share are left out);
    worked out once per catalog object by `event_words` (every question asks)."""
    found: dict[str, set[str]] = {}
    for dim in catalog.dimensions.values():
        if dim.type != "time":
            continue
        for phrase in [dim.name.replace("_", " "), *dim.label.values(), *dim.synonyms]:
            word = _without_date(normalise(str(phrase)))
            if word and word != normalise(phrase):
                found.setdefault(word, set()).add(dim.name)
    return {w: next(iter(d)) for w, d in found.items() if len(d) == 1}


event_words = PerCatalog("dimensions", _event_words)


def _without_date(phrase: str) -> str:
    if is_latin(phrase):
        words = [w for w in phrase.split() if w not in DATE_WORDS]
        return " ".join(words) if len(words) == 1 else ""
    for suffix in DATE_WORDS:
        if phrase.endswith(suffix) and len(phrase) > len(suffix):
            return phrase[: -len(suffix)]
    return ""


def counterpart(catalog: Any, metric: str, time_dim: str) -> str | None:
    """The one metric measuring what `metric` measures, timed by `time_dim` (None: none or two)."""
    m = catalog.metrics.get(metric)
    if m is None or m.type != "simple" or not m.measure or m.time == time_dim:
        return None
    own = set(_conditions(m))  # kept: unpaid_orders (paid_at IS NULL) has no paid twin
    same = [
        other
        for other in catalog.metrics.values()
        if other.type == "simple"
        and other.measure == m.measure
        and other.time == time_dim
        and own <= set(_conditions(other))
    ]
    # the plainest one: paid_orders, not a narrower count with the same measure (the paid
    # orders naming a buyer, a per-buyer ratio's numerator)
    fewest = min((len(_conditions(o)) for o in same), default=0)
    plain = [o for o in same if len(_conditions(o)) == fewest]
    return plain[0].name if len(plain) == 1 else None


def dated_count(catalog: Any, metric: str, time_dim: str) -> str | None:
    """A plain distinct count of things ("how many cities did we ship to last month", "上个月
    发货到了多少个城市") with no counterpart by `time_dim`: the same count dated by it (the
    cities of the orders shipped then), when its model has that time; None otherwise."""
    from shopql.catalog.families import dated_by

    m = catalog.metrics.get(metric)
    measure = catalog.measure(getattr(m, "measure", None) or "")
    if m is None or measure is None or m.type != "simple" or m.filter or m.time == time_dim:
        return None
    model = catalog.models.get(measure.model)
    if measure.agg != "count_distinct" or model is None or time_dim not in model.dimensions:
        return None
    if getattr(model, "default_time", None) == time_dim:
        return None
    return dated_by(catalog, metric, time_dim, "the event said")


def _own_time(catalog: Any, metric: Any) -> str | None:
    """A metric's time; a ratio's is the one both its parts are counted by ("8月哪个小时付款的单子
    平均金额最高": 客单价, paid GMV over paid orders, both by payment time — 付款 is its own time)."""
    if getattr(metric, "type", None) != "ratio":
        return getattr(metric, "time", None)
    parts = [
        catalog.metrics.get(metric.numerator or ""),
        catalog.metrics.get(metric.denominator or ""),
    ]
    times = {getattr(x, "time", None) for x in parts}
    if len(times) == 2 and None not in parts:  # one part timed by a time expression
        named = [str(t) for t in times if t in catalog.dimensions]
        if len(named) == 1 and _first_choice_of(catalog, (times - set(named)).pop(), named[0]):
            return named[0]
    return times.pop() if len(times) == 1 and None not in times and None not in parts else None


_FIRST_CHOICE = re.compile(r"^\s*coalesce\s*\(\s*(\w+)\.(\w+)\s*,", re.I)


def _first_choice_of(catalog: Any, expression: Any, dim: str) -> bool:
    """A time expression whose first choice is the column of the time dimension `dim` in its
    model: 退款率's refunds by "coalesce(orders.paid_at, refunded_at)" are timed by the orders'
    payment (a credit note naming no order by its own), as its paid GMV is (C, session 42:
    按付款月份算的退款率: 付款 names the ratio's own time)."""
    said = _FIRST_CHOICE.match(str(expression or ""))
    model = catalog.models.get(said.group(1)) if said else None
    dims = getattr(model, "dimensions", None)
    own = dims.get(dim) if isinstance(dims, dict) else None
    return own is not None and said is not None and own.expr == said.group(2)


def _conditions(metric: Any) -> list[str]:
    return [c.strip().lower() for c in (metric.filter or "").split(" AND ") if c.strip()]


def resolve(links: Links, catalog: Any, timed: bool) -> Links:
    """Read an event word beside a count as the count's time basis (see the module text); an
    event word naming the metric's own time ("orders placed last month") is placed as such."""
    if not timed:
        return links
    words = event_words(catalog)
    mentions = list(links.mentions)
    metrics = [k for k, m in enumerate(mentions) if m.term.kind == "metric"]
    # one metric said twice ("付款的取消订单有几单": 订单 … 几单) is one count
    said_twice = len({mentions[k].term.target for k in metrics}) == 1
    if len(metrics) > 1 and not said_twice:
        return _resolve_beside(links, catalog, words, metrics)
    if not metrics:
        return links
    k = metrics[0]
    metric = catalog.metrics.get(mentions[k].term.target)
    own = _own_time(catalog, metric)
    for j, m in enumerate(mentions):
        dim = words.get(m.phrase)
        if j == k or dim is None or m.term.kind not in ("value", "table"):
            continue
        if _names_its_kind(j, mentions) or _introduces_a_value(m.phrase, mentions, catalog):
            continue
        if _part_of_a_dimension(j, mentions, links.text, catalog if dim == own else None):
            continue
        other = counterpart(catalog, mentions[k].term.target, dim) or dated_count(
            catalog, mentions[k].term.target, dim
        )
        if other is None and dim != own:
            continue
        if dim != own and _said_among_a_set(m.start, mentions, links.text):
            return _event_unplaced(links, j)
        if other is not None:
            _read_as(mentions, metrics, other)
        del mentions[j]
        return Links(text=links.text, mentions=mentions, leftover=list(links.leftover))
    for word in links.leftover:  # an event word nothing else placed
        dim = words.get(word)
        if dim is not None and _introduces_a_value(word, mentions, catalog):
            continue
        other = counterpart(catalog, mentions[k].term.target, dim) if dim else None
        other = other or (dated_count(catalog, mentions[k].term.target, dim) if dim else None)
        if other is None and (dim is None or dim != own):
            continue
        at = _unplaced_at(word, mentions, links.text)
        if dim != own and at is not None and _said_among_a_set(at, mentions, links.text):
            return links  # the word stays unplaced: refused, as _event_unplaced
        if other is not None:
            _read_as(mentions, metrics, other)
        leftover = [w for w in links.leftover if w != word]
        return Links(text=links.text, mentions=mentions, leftover=leftover)
    return links


# "上个月取消的订单里 有几单付过款", "how many of last month's cancelled orders were paid": the
# count's noun (or a value of its rows) said before 里 / 中 / "of", the event word after it
_AMONG = re.compile(
    r"里面|里头|当中|之中|里|中(?!位)|\b(?:how many|what share|which|none|any) of\b"
)


def _said_among_a_set(at: int, mentions: list[Mention], text: str) -> bool:
    """The event word at `at` is said of a part of a set of rows named before it with a
    period ("上个月被取消的单里 有几单已经付过款了": the orders placed last month and cancelled,
    those of them paid): the period is the set's (its count's own time), the event a condition
    within it — not the count re-dated by the event (the orders paid last month, cancelled).
    Such a condition is not read: the event word is left unplaced (refused)."""
    before = [n for n in mentions if n.end <= at and n.term.kind in ("metric", "value")]
    for n in before:
        rest = text[n.end : at]
        if n.term.kind == "metric" and _AMONG.match(rest.lstrip()):
            return True
        if n.term.kind == "value" and re.match(
            r"\s*的?\s*(?:订单|单子|单)\s*(?:" + _AMONG.pattern + ")", rest
        ):
            return True
    english = _AMONG.search(text, 0, at)
    return bool(
        english
        and english.group(0)[:1].isalpha()
        and english.group(0)[0] in "hwna"
        and any(n.start >= english.end() and n.term.kind == "metric" for n in before)
    )


def event_among_a_set(word: str, links: Links) -> bool:
    """The event word `word`, unplaced, said of a part of a set named before it
    (`_said_among_a_set`)."""
    at = _unplaced_at(word, links.mentions, links.text)
    return at is not None and _said_among_a_set(at, links.mentions, links.text)


def _unplaced_at(word: str, mentions: list[Mention], text: str) -> int | None:
    places = [
        a.start()
        for a in re.finditer(re.escape(word), text)
        if not any(n.start <= a.start() < n.end for n in mentions)
    ]
    return places[0] if len(places) == 1 else None


def _event_unplaced(links: Links, j: int) -> Links:
    """The event word at mention `j` taken out of the mentions and left unplaced."""
    m = links.mentions[j]
    mentions = [n for i, n in enumerate(links.mentions) if i != j]
    return Links(text=links.text, mentions=mentions, leftover=[*links.leftover, m.phrase])


def _read_as(mentions: list[Mention], metrics: list[int], other: str) -> None:
    """Every mention of the one count (said once or twice) read as its counterpart `other`."""
    for k in metrics:
        mentions[k] = replace(
            mentions[k], term=Term("metric", other, None, mentions[k].term.weight)
        )


# between a count's noun and its event word: "orders (that were) delivered", "送达(的)订单"
_NOUN_THEN_EVENT = re.compile(r"\s*(?:(?:that|which)\s+)?(?:were|was|got|have been|had been)?\s*")
_EVENT_THEN_NOUN = re.compile(r"\s*的?\s*")


def _resolve_beside(links: Links, catalog: Any, words: dict[str, str], metrics: list[int]) -> Links:
    """Several metrics: an event word right beside one count's noun ("how many orders were
    delivered last month and the average delivery days", "送达的订单数和平均配送天数") is that
    count's time basis — the orders delivered then, not those placed then still 'delivered' —
    when the catalog has the count by that time; the other metrics keep theirs."""
    mentions = list(links.mentions)
    text = links.text
    said: list[tuple[int | None, str, int, int]] = [
        (j, m.phrase, m.start, m.end)
        for j, m in enumerate(mentions)
        if m.term.kind in ("value", "table")
        and not _names_its_kind(j, mentions)
        and not _introduces_a_value(m.phrase, mentions, catalog)
    ]
    for word in links.leftover:  # an event word nothing else placed, said once on its own
        places = [
            a.start()
            for a in re.finditer(re.escape(word), text)
            if not any(n.start <= a.start() < n.end for n in mentions)
        ]
        if len(places) == 1 and not _introduces_a_value(word, mentions, catalog):
            said.append((None, word, places[0], places[0] + len(word)))
    for j, word, start, end in said:
        dim = words.get(word)
        if dim is None:
            continue
        for k in metrics:
            n = mentions[k]
            if n.end <= start:
                beside = _NOUN_THEN_EVENT.fullmatch(text[n.end : start])
            else:
                beside = _EVENT_THEN_NOUN.fullmatch(text[end : n.start])
            other = counterpart(catalog, n.term.target, dim) if beside else None
            if other is None:
                continue
            mentions[k] = replace(n, term=Term("metric", other, None, n.term.weight))
            leftover = list(links.leftover)
            if j is None:
                leftover.remove(word)
            else:
                del mentions[j]
            return Links(text=links.text, mentions=mentions, leftover=leftover)
    return links


def _introduces_a_value(word: str, mentions: list[Mention], catalog: Any) -> bool:
    """The event word is the verb of a value of a dimension named after it: "paid with
    boleto", "用boleto付款" filter the payment channel (nlq/valuewords.py), no time basis."""
    from shopql.nlq.valuewords import stem

    for v in mentions:
        if v.term.kind != "value" or v.phrase == word:
            continue
        info = catalog.dimensions.get(v.term.target)
        names = [v.term.target.replace("_", " ")]
        if info is not None:
            names += [*info.label.values(), *info.synonyms]
        for name in (normalise(str(n)) for n in names):
            if is_latin(word):
                if stem(word) in {stem(t) for t in name.split()}:
                    return True
            elif word in name:
                return True
    return False


def _part_of_a_dimension(j: int, mentions: list[Mention], text: str, catalog: Any = None) -> bool:
    """The event word right before a dimension's word: "按 付款 渠道 拆" names the breakdown
    (付款渠道), not the time of the count. Not before a part of the time when the event is the
    count's own time (`catalog` given: 按付款钟点看 收钱, 按下单的小时看 订单数): the hour or
    weekday is that time's, which the event word names (C, session 41)."""
    m = mentions[j]
    after = [n for n in mentions if n.start >= m.end]
    if not after:
        return False
    n = min(after, key=lambda x: x.start)
    if catalog is not None and n.term.target in (getattr(catalog, "time_parts", {}) or {}):
        return False
    return n.term.kind == "dimension" and not text[m.end : n.start].strip()


def _names_its_kind(j: int, mentions: list[Mention]) -> bool:
    """A value right next to a mention of its own dimension ("status paid", "付款状态")."""
    m = mentions[j]
    if m.term.kind != "value":
        return False
    for n in mentions[max(0, j - 1) : j + 2]:
        if n is not m and n.term.kind == "dimension" and n.term.target == m.term.target:
            return True
    return False


# the order's paid amount named as the condition's number: "实付不到50块的单", "付款金额超过1000的订单",
# "orders with a paid amount over 500"
_PAID_AMOUNT = re.compile(r"实付|实际支付|付款金额|支付金额|paid\s+amount|amount\s+paid")


def paid_amount_basis(
    links: Links, numeric: Any, said: list[str], catalog: Any, timed: bool
) -> Links:
    """ "8月实付不到50块的小单有几单": a count of orders with a condition on the amount they PAID
    counts paid orders, by the time they were paid (as "8月付款的订单里实付不到50的" does): an
    order is known by its paid amount once it is paid. Only where the condition's own words name
    the paid amount (订单金额 / order value keeps the count's own time), the condition is on the
    order's own money number (catalog thresholds: entity order, unit money, bare) and the catalog
    has the one count timed by payment (`counterpart`)."""
    if not timed:
        return links
    thresholds = getattr(catalog, "thresholds", {}) or {}
    money = [
        words
        for words, (_, _, d) in zip(said, numeric.spans, strict=False)
        if (t := thresholds.get(d)) is not None
        and (t.entity, t.unit, t.bare) == ("order", "money", True)
    ]
    if not any(_PAID_AMOUNT.search(words) for words in money):
        return links
    words = event_words(catalog)
    paid = words.get("paid") or words.get("付款")
    metrics = [k for k, m in enumerate(links.mentions) if m.term.kind == "metric"]
    # one metric, said once or twice ("订单有几单": the orders, counted)
    targets = {links.mentions[k].term.target for k in metrics}
    if paid is None or len(targets) != 1:
        return links
    return _retargeted(links, metrics, counterpart(catalog, targets.pop(), paid))


def duration_start_basis(
    links: Links, numeric: Any, said: list[str], catalog: Any, timed: bool
) -> Links:
    """ "今年寄出后拖了20天以上才签收的包裹数", "上个月付款后超过2天才发货的订单有多少": a count of orders
    with a condition on a duration whose start event the condition's own words say (寄出, 付款)
    counts the orders that event befell in the period — by the duration's own time (ship_date,
    paid_date: every duration is dated by its start), as the catalog's one count by that time
    (`counterpart`: shipped_orders, paid_orders). A duration said by its name alone (配送天数超过
    20天的订单) or from the placing keeps the count's own time."""
    if not timed:
        return links
    measurables = getattr(catalog, "measurables", {}) or {}
    times = set()
    for words, (_, _, d) in zip(said, numeric.spans, strict=False):
        m = measurables.get(d)
        if m is None or m.kind != "duration" or not m.time:
            continue
        if any(not is_latin(w) and w in words for w in m.starts):
            times.add(m.time)
    metrics = [k for k, m in enumerate(links.mentions) if m.term.kind == "metric"]
    targets = {links.mentions[k].term.target for k in metrics}
    if len(times) != 1 or targets != {"orders"}:
        return links
    return _retargeted(links, metrics, counterpart(catalog, "orders", times.pop()))


def _retargeted(links: Links, metrics: list[int], other: str | None) -> Links:
    """`links` with the metric mentions at `metrics` read as the metric `other` (unchanged when
    the catalog has no such counterpart)."""
    if other is None:
        return links
    mentions = list(links.mentions)
    for k in metrics:
        mentions[k] = replace(
            mentions[k], term=Term("metric", other, None, mentions[k].term.weight)
        )
    return Links(text=links.text, mentions=mentions, leftover=list(links.leftover))


# the orders SOLD, counted (lead's convention, session 36): 卖了几单, 卖出几单, 卖掉几单, 成交几单,
# 卖出去多少单 count the orders paid then (paid_orders, by payment time), as every blind gold that
# asks it does; 下了几单 / 几个订单 / 订单数 stay the orders placed (created_at)
_SOLD_COUNT = re.compile(
    r"(?:卖|成交)\s*(?:出去|出了|掉了|出|掉|了)?\s*(?:几|多少)\s*(?:笔|个(?=\s*单))?\s*订?单(?![价量品位元号子据])"
)
# 平均每个卖家卖了几单: read by nlq/sellers.py (paid orders per seller, its own ratio)
_PER_SELLER_AVERAGE = re.compile(
    r"(?:平均|人均|均).{0,6}(?:卖家|商家|店铺|店)|(?:卖家|商家|店铺|店).{0,6}平均"
)
_SOLD_VERBS = ("卖出去", "卖出", "卖掉", "成交")


def sold_count_basis(links: Links, catalog: Any) -> Links:
    """ "今年电脑配件卖了几单", "各季度卖出几单": the count of orders said with a verb of selling is
    the count of orders paid (the catalog's one counterpart of `orders` by payment time); the
    verb itself is placed by it. Any other metric (paid_orders_with_items per seller, 支付金额
    beside it) keeps its reading."""
    if not _SOLD_COUNT.search(links.text) or _PER_SELLER_AVERAGE.search(links.text):
        return links
    paid = event_words(catalog).get("paid") or event_words(catalog).get("付款")
    if paid is None:
        return links
    mentions = list(links.mentions)
    changed = False
    for k, m in enumerate(mentions):
        if m.term.kind != "metric" or m.term.target != "orders":
            continue
        other = counterpart(catalog, m.term.target, paid)
        if other is None:
            return links
        mentions[k] = replace(m, term=Term("metric", other, None, m.term.weight))
        changed = True
    if not changed:
        return links
    leftover = [w for w in links.leftover if w not in _SOLD_VERBS]
    return Links(text=links.text, mentions=mentions, leftover=leftover)
