"""People counted by what they did in the behaviour events (issue 11 §2): "how many ppl viewed
something yesterday", "浏览过的人有多少", "上个月几点逛店的人最多", "浏览过的人里多少比例加了购".

An event word ("viewed", 浏览, 加购, 收藏) names the catalog metric that counts those events
(a simple metric over a model's plain row count, with a filter: view_events, cart_events …). Said
of people — a people word beside it ("ppl", 人数, "visitors", "…的人") or counted within a group
of people who did something else (the share of viewers who added to cart) — the question counts
the people who did it: the catalog metric over the same model with the same filter that counts
distinct keys (view_visitors, cart_visitors …). The pairing is read from the catalog, not from a
word list, so a workspace that declares another event type and its two metrics reads the same."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from shopql.nlq.linking import PRODUCT_DIMS, Mention, Term

# the people an event word is said of when no catalog metric took them: "浏览过的人", "加购的用户"
_PEOPLE_AFTER = re.compile(r"^\s*(?:过|了)?\s*的?\s*(?:人|用户|访客|顾客|买家|客户)(数)?")
_PEOPLE_LEFTOVER = {"人", "的人", "用户", "访客", "people", "ppl", "users", "shoppers"}
# a group of people the rest is counted within: "浏览过的人里", "among visitors who viewed"
_AMONG_AFTER = re.compile(r"^\s*(?:里面|里头|当中|之中|中间|里|中)(?!位)")
_AMONG_BEFORE = re.compile(r"\b(?:among|amongst|out of)(?:\s+(?:the|our|all))*\s*$")
# the share asked right after the people it is taken among: "浏览过的人 有几成 加购", "看过商品的人
# 有百分之几 收藏了" (those people are the whole, as with 里)
_SHARE_AFTER_PEOPLE = re.compile(r"^\s*(?:有|是)?\s*(?:几成|百分之几|多少比例|多大比例)")
# a metric's own name said as people: "浏览过的人", "逛店的人", "viewers" is not (no share follows)
_PEOPLE_NOUN_END = re.compile(r"(?:人|用户|访客|顾客)数?$")
# people named by what they did, the group the rest is counted within: "of the people who viewed
# X", "among users that have carted" (with "of", only so: "the share of views" is no group)
_PEOPLE_WHO = re.compile(
    r"\b(?:among|amongst|out of|of)(?:\s+(?:the|our|all|those))*\s+"
    r"(?:people|ppl|users|visitors|shoppers|customers|buyers)\s+(?:who|that)(?:\s+(?:have|had))?\s*$"
)
# "of the people who viewed": a people metric said as people who did something, after "of"
_OF_BEFORE = re.compile(r"\bof(?:\s+(?:the|our|all|those))*\s*$")
_PEOPLE_PHRASE = re.compile(
    r"(?:people|ppl|users|visitors|shoppers|customers|buyers)\s+(?:who|that)\b"
)
# the catalog metrics that count people without saying what they did
BARE_PEOPLE = {"tagged_persons", "visitors"}
_BARE_PEOPLE = BARE_PEOPLE


def _shape(ws: Any, name: str) -> tuple[str, str, str] | None:
    """(model, filter, aggregation) of a simple metric over one measure, with a filter."""
    return _catalog_shape(ws.catalog, name)


def _catalog_shape(catalog: Any, name: str) -> tuple[str, str, str] | None:
    metric = catalog.metrics.get(name)
    if metric is None or getattr(metric, "type", "") != "simple" or not metric.filter:
        return None
    measure = catalog.measure(metric.measure or "")
    if measure is None or measure.having:
        return None
    return measure.model, " ".join(metric.filter.split()), measure.agg


def people_twin(ws: Any, name: str) -> str | None:
    """The catalog metric counting the distinct keys that did what the event metric `name`
    counts: same model, same filter, a count_distinct measure (exactly one, else none)."""
    return catalog_people_twin(ws.catalog, name)


def catalog_people_twin(catalog: Any, name: str) -> str | None:
    """people_twin read from a catalog."""
    own = _catalog_shape(catalog, name)
    if own is None or own[2] != "count":
        return None
    twins = [
        m
        for m in catalog.metrics
        if m != name
        and (s := _catalog_shape(catalog, m))
        and s[:2] == own[:2]
        and s[2] == "count_distinct"
    ]
    return twins[0] if len(twins) == 1 else None


def people_metric_of_event(catalog: Any, name: str) -> bool:
    """`name` counts the people of one behaviour event (fav_visitors: the twin of fav_events)."""
    shape = _catalog_shape(catalog, name)
    if shape is None or shape[2] != "count_distinct":
        return False
    return any(
        catalog_people_twin(catalog, m) == name
        for m in catalog.metrics
        if (s := _catalog_shape(catalog, m)) and s[:2] == shape[:2] and s[2] == "count"
    )


def event_people(p: Any, metrics: list[str], ws: Any) -> list[str]:
    """Event counts said of people become the people who did them (_event_people); the visitors
    who bought, said of a group of them ("浏览过的人里 多少 下单了", bought_among), are counted
    among that group, beside their share of it (as "浏览过的人里有几个加购了")."""
    out = _event_people(p, metrics, ws)
    _refuse_buying_dropped(p, metrics, out)
    bought = [m for m in p.links.of("metric") if m.term.value == BOUGHT and m.term.target in out]
    if len(bought) != 1:
        return out
    whole = [
        m.term.target
        for m in p.links.of("metric")
        if m.end <= bought[0].start
        and m.term.target in out
        and m.term.target != bought[0].term.target
    ]
    if (
        len(set(whole)) != 1
        or not _same_people(ws, bought[0].term.target, whole[0])
        and not (_visitor_metric(ws, whole[0]))
    ):
        return out
    p.modifiers["among_whole"] = whole[0]
    p.modifiers.setdefault("share", True)
    p.links.leftover = [w for w in p.links.leftover if w not in ("among", "amongst")]
    return out


def _refuse_buying_dropped(p: Any, metrics: list[str], out: list[str]) -> None:
    """ "上周 加购 和 下单 的 人": events said of people, with a buying verb after them that no
    word of the question placed — the people who did both, or two figures — is refused rather
    than answered as the event's people alone (下单 dropped: 573 people who added to cart)."""
    if out == metrics:
        return  # no event read as its people
    said = p.links.mentions
    events = [m for m in said if m.term.kind == "metric" and m.term.target in out]
    if not events:
        return
    start = min(m.end for m in events)
    for hit in _BOUGHT.finditer(p.links.text, start):
        if any(m.start < hit.end() and hit.start() < m.end for m in said):
            continue
        if p.links.text.startswith(("家", "者"), hit.end()):
            continue  # 买家, 购买者: people, not what they did
        from shopql.nlq.shared import NotUnderstood

        raise NotUnderstood(
            "not understood, nothing answered: what the people did besides the event "
            f"('{hit.group(0)}') was not read — say 加购且购买人数 / people who added to cart and "
            "bought, or ask each figure on its own",
            [hit.group(0)],
            [],
        )


def _event_people(p: Any, metrics: list[str], ws: Any) -> list[str]:
    """Event counts said of people become the people who did them; the bare people word that
    said so ("people", 人数, "visitors") is how they are counted, not a second figure."""
    twins = {m: t for m in metrics if (t := people_twin(ws, m)) is not None}
    if not twins:
        return _people_said(p, metrics, ws)
    said = p.links.of("metric")
    text = p.links.text
    ends = {
        m.term.target: end
        for m in said
        if m.term.target in twins and (end := _people_end(p.links, m)) is not None
    }
    after = set(ends)
    bare = any(m.term.target in _BARE_PEOPLE for m in said)
    left = any(w in _PEOPLE_LEFTOVER for w in p.links.leftover)
    # counted within people who did something else (one model), said so: "浏览过的人里多少比例
    # 加了购", "浏览过的人中有几个收藏了" — not "浏览人数和收藏次数" (two figures)
    groups = [
        m.term.target
        for m in said
        if m.term.target not in twins
        and (
            _AMONG_AFTER.match(text[m.end :])
            or _AMONG_BEFORE.search(text[: m.start])
            or (_OF_BEFORE.search(text[: m.start]) and _PEOPLE_PHRASE.match(m.phrase))
        )
    ]
    # "of the people who viewed X, what share added to cart": the event said after "people who"
    # is the group, counted as its people; the other events are counted within them
    who = [
        m.term.target
        for m in said
        if m.term.target in twins and _PEOPLE_WHO.search(text[: m.start])
    ]
    # "浏览过沙发的人里": the people who did it, a group (a value may sit before 的人)
    who += [
        t
        for t, end in ends.items()
        if (_AMONG_AFTER.match(text[end:]) or _SHARE_AFTER_PEOPLE.match(text[end:]))
        and t not in who
    ]
    groups += [twins[m] for m in who]
    # "浏览过的人有几成加购了": the people metric said as people (its own name ends in a people
    # word), the share asked right after it — those people are the whole, as with 里
    said_as_people = [
        m.term.target
        for m in said
        if m.term.target not in twins
        and _PEOPLE_NOUN_END.search(m.phrase)
        and _SHARE_AFTER_PEOPLE.match(text[m.end :])
        and any(_same_people(ws, t, m.term.target) for t in twins)
    ]
    groups += [g for g in said_as_people if g not in groups]
    among = {m for m in twins if m not in who and any(_same_people(ws, m, g) for g in groups)}
    if who and among:
        among |= set(who)
    whole = (
        [twins[m] for m in who]
        or [
            m.term.target
            for m in said
            if m.term.target in groups and _PEOPLE_PHRASE.match(m.phrase)
        ]
        or said_as_people
    )
    if among and whole:
        p.modifiers["among_whole"] = whole[0]  # the whole of the share: those people
    if among and not p.modifiers.get("share"):
        p.modifiers["share"] = True  # how many of them: the part among them, beside its share
    if among:
        p.links.leftover = [w for w in p.links.leftover if w not in ("among", "amongst")]
    if after or among:
        swap = after | among
    elif (bare or left) and len(twins) == 1 and not _joined_figures(p.links, twins):
        swap = set(twins)  # "how many ppl viewed something": one event, its people
    else:
        return metrics
    out = [twins[m] if m in swap else m for m in metrics]
    _objects_dropped(p, set(ends))
    _retarget(p, {m: twins[m] for m in swap})
    if bare or left:
        out = [m for m in out if m not in _BARE_PEOPLE]
        p.links.leftover = [w for w in p.links.leftover if w not in _PEOPLE_LEFTOVER]
    return list(dict.fromkeys(out))


# two figures joined: "访客数和浏览量", "UV和PV", "visitors and page views"
_JOINED = re.compile(r"\s*(?:和|与|及|跟|、|,|，|以及|还有|/|&|\band\b|\bplus\b)\s*")


def _joined_figures(links: Any, twins: dict[str, str]) -> bool:
    """The bare people metric and an event count said side by side, joined by 和 / and ("上个月
    UV和PV", "visitors and page views"): two figures asked — not the people of that event."""
    said = links.of("metric")
    people = [m for m in said if m.term.target in _BARE_PEOPLE]
    events = [m for m in said if m.term.target in twins]
    for a in people:
        for b in events:
            first, second = (a, b) if a.end <= b.start else (b, a)
            if second.start >= first.end and _JOINED.fullmatch(
                links.text[first.end : second.start]
            ):
                return True
    return False


def _visitor_metric(ws: Any, name: str) -> bool:
    """`name` counts distinct keys of the events the bare 'visitors' metric counts (the same
    model and key): 加购人数, 加购未购买人数 — people already, whatever they did."""
    metric, bare = ws.catalog.metrics.get(name), ws.catalog.metrics.get("visitors")
    if metric is None or bare is None or name in _BARE_PEOPLE:
        return False
    mine = ws.catalog.measure(getattr(metric, "measure", None) or "")
    base = ws.catalog.measure(getattr(bare, "measure", None) or "")
    if mine is None or base is None:
        return False
    return mine.agg == base.agg == "count_distinct" and (mine.model, mine.expr) == (
        base.model,
        base.expr,
    )


def event_set_metric(ws: Any, name: str) -> bool:
    """`name` counts the visitors with one event and (or without) another, the set said in one
    catalog metric (加购未购买人数, 加购且购买人数): a count of events' people, not of buyers."""
    metric = ws.catalog.metrics.get(name)
    measure = ws.catalog.measure(getattr(metric, "measure", None) or "")
    return measure is not None and bool(measure.having) and _visitor_metric(ws, name)


def events_set(metrics: list[str], ws: Any) -> bool:
    """The set a people question names is one catalog metric of the behaviour events ("added
    to cart but didn't buy": cart_abandon_visitors), the rest a bare people word ("how many
    people …"): the ordinary engine counts it (the people of orders, OneIDs, are not the
    visitors of events)."""
    said = set(metrics)
    return any(event_set_metric(ws, m) for m in said) and all(
        event_set_metric(ws, m) or m in _BARE_PEOPLE for m in said
    )


def _people_said(p: Any, metrics: list[str], ws: Any) -> list[str]:
    """ "加购了但没下单的有多少人", "加购人数有多少人": a metric counting visitors already, the
    bare people word beside it ("人", "people") says how it is counted, not a second figure."""
    bare = any(m in _BARE_PEOPLE for m in metrics)
    left = any(w in _PEOPLE_LEFTOVER for w in p.links.leftover)
    if not (bare or left) or not any(_visitor_metric(ws, m) for m in metrics):
        return metrics
    p.links.leftover = [w for w in p.links.leftover if w not in _PEOPLE_LEFTOVER]
    return [m for m in metrics if m not in _BARE_PEOPLE]


def _people_end(links: Any, m: Any) -> int | None:
    """Where the people an event word is said of end ("浏览过的人", "浏览过沙发的人": a value
    named between the verb and 的人), else None."""
    text, start = links.text, m.end
    step = re.match(r"\s*(?:过|了)?\s*", text[start:])
    at = start + (step.end() if step else 0)
    value = next(
        (v for v in links.mentions if v.start == at and v.term.kind in ("value", "keyword")), None
    ) or _object_said(links, at)
    if value is not None:
        start = value.end
    hit = _PEOPLE_AFTER.match(text[start:])
    return start + hit.end() if hit else None


def _object_said(links: Any, at: int) -> Any | None:
    """ "收藏过商品的人", "看过商品的人里": the product word said as what they did it to (the
    verb's object, no value), not a breakdown by product; the mention, else None."""
    return next(
        (
            d
            for d in links.mentions
            if d.start == at and d.term.kind == "dimension" and d.term.target in PRODUCT_DIMS
        ),
        None,
    )


def _objects_dropped(p: Any, events: set[str]) -> None:
    """The product words said as the object of an event counted as people ("收藏过商品的人")
    are no breakdown: out of the dimensions and the mentions."""
    text = p.links.text
    dropped = []
    for m in p.links.of("metric"):
        if m.term.target not in events:
            continue
        step = re.match(r"\s*(?:过|了)?\s*", text[m.end :])
        at = m.end + (step.end() if step else 0)
        said = _object_said(p.links, at)
        if said is not None and _PEOPLE_AFTER.match(text[said.end :]):
            dropped.append(said)
    if not dropped:
        return
    names = {d.term.target for d in dropped}
    others = [m for m in p.links.mentions if m not in dropped and m.term.target in names]
    if others:  # the product also said as a breakdown elsewhere ("各商品"): kept
        return
    p.dimensions = [d for d in p.dimensions if d not in names]
    p.links.mentions = [m for m in p.links.mentions if m not in dropped]


def _retarget(p: Any, swap: dict[str, str]) -> None:
    """The event words now name the people metric; a people noun right after one ("浏览的用户数")
    is how they are counted, not a table or a figure of its own."""
    text = p.links.text
    spans: list[tuple[int, int]] = []
    mentions = []
    for m in p.links.mentions:
        if m.term.kind == "metric" and m.term.target in swap:
            hit = _PEOPLE_AFTER.match(text[m.end :])
            if hit:
                spans.append((m.end, m.end + hit.end()))
                if hit.group(1):
                    p.links.leftover = _drop_once(p.links.leftover, hit.group(1))
            m = replace(m, term=m.term._replace(target=swap[m.term.target]))
        mentions.append(m)
    p.links.mentions = [
        m
        for m in mentions
        if not (
            m.term.kind in ("table", "metric")
            and any(a <= m.start and m.end <= b for a, b in spans)
        )
        or m.term.target in swap.values()
    ]


def _drop_once(words: list[str], word: str) -> list[str]:
    if word not in words:
        return words
    i = words.index(word)
    return words[:i] + words[i + 1 :]


def _same_people(ws: Any, event: str, other: str) -> bool:
    """`other` counts distinct keys of the model `event` counts rows of."""
    a, b = _shape(ws, event), _shape(ws, other)
    return a is not None and b is not None and a[0] == b[0] and b[2] == "count_distinct"


def exclusive_filters(a: str, b: str) -> bool:
    """Two filters no one row meets together: one column equal to two different values."""
    import sqlglot
    from sqlglot import exp

    try:
        ea, eb = sqlglot.parse_one(a, read="duckdb"), sqlglot.parse_one(b, read="duckdb")
    except sqlglot.errors.ParseError:
        return False
    if not (isinstance(ea, exp.EQ) and isinstance(eb, exp.EQ)):
        return False
    if not (isinstance(ea.this, exp.Column) and isinstance(eb.this, exp.Column)):
        return False
    same = ea.this.sql() == eb.this.sql()
    return same and isinstance(ea.expression, exp.Literal) and ea.expression != eb.expression


def keys_among(catalog: Any, part: str, whole: str) -> Any | None:
    """ "浏览过的人里多少比例加了购": the part counted among the keys the whole counts — the
    distinct keys with rows of both kinds (a view and a cart event) in the period — when both
    count distinct keys of one model under filters no single row meets together (a row-level
    AND would count no one). A catalog with that part, else None."""
    import copy

    a, b = catalog.metrics[part], catalog.metrics[whole]
    if a.type != "simple" or b.type != "simple" or not a.filter or not b.filter:
        return None
    ma, mb = catalog.measure(a.measure or ""), catalog.measure(b.measure or "")
    if ma is None or mb is None or ma.having or mb.having or ma.model != mb.model:
        return None
    if not (ma.agg == mb.agg == "count_distinct" and ma.expr == mb.expr):
        return None
    if a.time != b.time or not exclusive_filters(a.filter, b.filter):
        return None
    name = f"{ma.name}__among_{whole}"
    both = f"bool_or({a.filter}) AND bool_or({b.filter})"
    model = catalog.models[ma.model]
    measure = replace(ma, name=name, having=both)
    out = copy.copy(catalog)
    out.models = {
        **catalog.models,
        model.name: replace(model, measures={**model.measures, name: measure}),
    }
    out.metrics = {**catalog.metrics, part: replace(a, measure=name, filter=None)}
    return out


# what the people of a behaviour group went on to do when they bought: "浏览过的人里 多少比例
# 下单了", "看过商品的人里 有几个 买了", "of the people who viewed, what share bought"
_BOUGHT = re.compile(
    r"(下了?单|下过单|购买|买|付了?款|支付|成交|转化"
    r"|\b(?:bought|purchased|ordered|converted|placed (?:an |any )?orders?|went on to buy"
    r"|made (?:a |any )?purchases?)\b)"
)


def purchase_people(catalog: Any) -> str | None:
    """The catalog metric counting the visitors who bought: the numerator of the one ratio over
    the bare visitors count (conversion_rate = converted_visitors / visitors), when it counts
    distinct keys of the visitors' model under a filter; else None."""
    bare = catalog.metrics.get("visitors")
    if bare is None:
        return None
    found = {
        m.numerator
        for m in catalog.metrics.values()
        if getattr(m, "type", "") == "ratio" and getattr(m, "denominator", None) == "visitors"
    }
    if len(found) != 1:
        return None
    (name,) = found
    metric = catalog.metrics.get(name)
    measure = catalog.measure(getattr(metric, "measure", None) or "")
    base = catalog.measure(getattr(bare, "measure", None) or "")
    if metric is None or measure is None or base is None or not metric.filter or measure.having:
        return None
    if (measure.model, measure.expr, measure.agg) != (base.model, base.expr, base.agg):
        return None
    return str(name)


def _group_end(links: Any, m: Any, catalog: Any, model: str) -> int | None:
    """Where the group of people `m` names ends, the 里 / 中 that says the rest is counted
    among them ("浏览过的人里", "看过商品的人中"), else None: `m` counts the visitors' events
    (a row count said of people, or the people themselves)."""
    metric = catalog.metrics.get(m.term.target)
    measure = catalog.measure(getattr(metric, "measure", None) or "")
    if metric is None or measure is None or measure.model != model or not metric.filter:
        return None
    before = links.text[: m.start]
    if _PEOPLE_WHO.search(before) or (
        measure.agg == "count_distinct"
        and (
            _AMONG_BEFORE.search(before)
            or (_OF_BEFORE.search(before) and _PEOPLE_PHRASE.match(m.phrase))
        )
    ):
        return m.end  # "of the people who viewed", "among visitors who added to cart"
    end = _people_end(links, m)
    if end is None and measure.agg == "count_distinct":
        end = m.end
    if end is None:
        return None
    among = _AMONG_AFTER.match(links.text[end:])
    if among is None and _SHARE_WHO_BOUGHT.match(links.text[end:]):
        return end  # "看过商品的人 最后真买了的比例": the share of them who bought, said after
    return end + among.end() if among else None


# the share of a group who went on to buy, said right after the group with no 里 / 中
_SHARE_WHO_BOUGHT = re.compile(
    r"\s*(?:最后|最终|后来)?\s*(?:真正|真的|真)?\s*(?:下了?单|下过单|购买|买|付了?款|成交)\s*(?:了|过)?"
    r"\s*的?\s*(?:人的?)?\s*(?:比例|占比|比率|百分比|几成)"
)


# what may stand between the group and its buying verb, and after it, in a plain "how many of
# them bought" (…里 有多少比例 下单了, of the people who viewed, what share bought)
_ASKED_BEFORE = re.compile(
    r"\s*(?:something|anything|stuff|an? (?:product|item)|products|items)?\s*(?:,|，)?\s*(?:有|的|最后|最终|后来)?\s*(?:多少|几|几个|几位|几成|百分之几|百分之多少)?\s*"
    r"(?:个|位)?\s*(?:人|用户|访客)?\s*(?:的)?\s*(?:比例|占比|比率|比重)?\s*(?:是|的人|人)?"
    r"\s*(?:最后|最终|后来|又|也|还)?\s*(?:真正|真的|真)?\s*"
    r"(?:(?:what|which)\s+(?:share|percent(?:age)?|%|fraction|proportion)(?:\s+of\s+them)?"
    r"|how\s+many(?:\s+of\s+them)?|what\s+%)?\s*(?:then|eventually|actually|also)?\s*"
)
_ASKED_AFTER = re.compile(
    r"\s*(?:了|过)?\s*(?:的)?\s*(?:人|人数|用户)?\s*(?:的)?\s*(?:比例|占比|比率|百分比)?"
    # "… 最后买了的 占几成": the share of them, said with 占
    r"\s*(?:(?:占|占了)\s*(?:几成|百分之几|百分之多少|多大比例|多少比例|多大比重|多少)\s*(?:比例)?)?"
    r"\s*(?:有)?\s*(?:多少|几个|几位)?\s*(?:人)?"
    r"\s*(?:吗|呢)?\s*(?:anything|something)?\s*[?？。.!！]*\s*"
)
_BOUGHT_FILLER = ("最后", "最终", "后来", "真正", "真的", "真", "的", "了", "人", "过")
BOUGHT = "bought among a group"  # the value of a buying verb's mention (no qualifying verb)


def bought_among(links: Any, catalog: Any) -> None:
    """ "浏览过的人里 多少比例 下单了": a buying verb said of a group of visitors (the people of
    one behaviour event, 里 / 中 after them) is their buying event — the catalog's count of the
    visitors who bought — not the order count (whose verb another metric would silence, leaving
    the viewers counted alone: 19,706 for "… 多少 下单了"). The verb becomes a mention of that
    metric; the share among the group is read as for 加购 (event_people)."""
    buyers = purchase_people(catalog)
    if buyers is None:
        return
    model = catalog.measures[catalog.metrics[buyers].measure].model
    metrics = links.of("metric")
    groups = [(m, end) for m in metrics if (end := _group_end(links, m, catalog, model))]
    if len(groups) != 1:
        return
    group, end = groups[0]
    if group.term.target == buyers:
        return
    hit = _BOUGHT.search(links.text, end)
    if hit is None:
        return
    between, after = links.text[end : hit.start()], links.text[hit.end() :]
    if not (_ASKED_BEFORE.fullmatch(between) and _ASKED_AFTER.fullmatch(after)):
        # "浏览过的人里 买得最多的商品", "加购的人里 下单金额多少": what they bought, or how much —
        # not how many of them bought; read as the group alone, it was the group's own count
        from shopql.nlq.shared import NotUnderstood

        said = links.text[group.start :].strip()
        raise NotUnderstood(
            "the offline engine cannot answer this: of a group of visitors (people of the "
            "behaviour events) it counts how many went on to buy, and their share — not what "
            "they bought, how much, or by which group",
            [said],
            [],
        )

    def overlaps(m: Any) -> bool:
        return m.start < hit.end() and hit.start() < m.end

    later = [m for m in metrics if m.start >= end and m.term.target not in _BARE_PEOPLE]
    if any(not overlaps(m) for m in later):
        return  # another metric said after the group ("…里 销售额"): not only who bought
    said = [m for m in links.mentions if overlaps(m)]
    if any(m.term.kind not in ("metric", "table") for m in said):
        return  # "买过沙发": a value or a breakdown inside the verb's words
    start = min([hit.start(), *(m.start for m in said)])
    stop = max([hit.end(), *(m.end for m in said)])
    mention = Mention(links.text[start:stop], start, stop, Term("metric", buyers, BOUGHT, 20))
    links.mentions = sorted(
        [m for m in links.mentions if m not in said] + [mention], key=lambda m: m.start
    )
    if not said:
        links.leftover = _drop_once(links.leftover, hit.group(1))
    # the verb cut together with the words around it ("最后真买", "人买"): those words are the
    # group's and the asking filler, placed with it
    for word in list(links.leftover):
        rest = word
        for piece in sorted({hit.group(1), group.phrase, *_BOUGHT_FILLER}, key=len, reverse=True):
            rest = rest.replace(piece, "")
        if hit.group(1) in word and not rest.strip():
            links.leftover = _drop_once(links.leftover, word)
