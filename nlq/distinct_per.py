"""A count of different things per entity, as a condition or over the entities.

    只买过一个品类的客户有多少              → the people whose categories bought number 1
    今年 买过 超过 50种 不同 商品 的 客户   → the people with more than 50 products
    今年买家遍布10个州以上的卖家有几家      → the sellers whose buyers' states number >= 10
    customers who bought more than 50 different products this year
    今年 平均 每个 买家 买过 几个 不同 的 款 → each buyer's products, then their mean
    今年每个品类平均由几个卖家在供货        → each category's sellers, then their mean
    一个客户最多买过几个品类                → each person's categories, then the most

The entity (a person, a seller, a category, a product, a place) is a breakdown; the things
counted are a distinct count of the catalog (product_count, category_count, seller_count,
buyers, province_count …). The query is that metric by the entity with `having` on it and
`of_groups` "count" (how many entities), "avg" or "max" (catalog/compiler.py). The rest of the
question (its period, its filters) is read by the ordinary engine with the construction taken
out; a word left unplaced there, or a reading that is not one plain metric, is no answer here
(the ordinary refusal stands). An order (an invoice) is no breakdown of the catalog: "只买了一种
商品的发票" is not read here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from shopql.catalog.semantic import Filter
from shopql.nlq.shared import NotUnderstood, Understanding

# the entity words, the breakdown each is
_ENTITY = {
    "person": r"客户|买家|顾客|客人|用户|会员|买主",
    "shop": r"卖家|商家|店铺|店家|商户|供应商|家",
    "category": r"品类|类目|类别",
    "product": r"商品|产品|款式|款|单品|货",
    "country": r"国家",
    "city": r"城市",
    "province": r"州|省份|省",
}
# the things counted: the metric word the ordinary engine reads for each
_THING = {
    "product": (r"商品|产品|款式|款|单品|东西|货品|货", "商品数"),
    "category": (r"品类|类目|类别", "类目数"),
    "shop": (r"卖家|商家|店铺|店家|商户", "卖家数"),
    "person": (r"客户|买家|顾客|客人|人", "买家数"),
    "country": (r"国家", "国家数"),
    "city": (r"城市", "城市数"),
    "province": (r"州|省份|省", "省份数"),
    "platform": (r"平台", "平台数"),
}
_NUM = r"\d+|[一两二三四五六七八九十]"
_MW = r"(?:个|种|款|家|类|位|样)"
_VERB = r"(?:买过|买了|购买过|买|卖到过|卖到了|卖到|卖过|卖了|卖|下过单|有过|有|涉及|覆盖|遍布|来自|分布在|跨|在|从)"
_ALL_ENTITY = "|".join(_ENTITY.values())
_ALL_THING = "|".join(v[0] for v in _THING.values())
_COND = (
    rf"(?P<only>只|仅|就)?{_VERB}?(?P<more>超过|多于|大于|高于|不止|多过)?"
    rf"(?P<least>至少|不少于|起码)?(?P<n>{_NUM}){_MW}?"
    rf"(?P<above>以上|及以上|或以上|或更多|或者更多|以上的)?"
)
# "(只)买过(超过)N(个|种)(不同的)X 的 E": a condition on each E's count of X
_COUNT_ZH = re.compile(
    rf"(?P<head>(?:{_ALL_ENTITY}))?{_VERB}?{_COND}(?:不同的?)?(?P<thing>{_ALL_THING})"
    rf"(?P<above2>以上|及以上|或以上|或更多)?(?:那里|那儿|那)?{_VERB}?(?:过)?(?:的|之)"
    rf"(?P<entity>{_ALL_ENTITY})"
)
# "有几位客户的发票分布在两个或更多国家", "多少客户买过超过50种商品": the entity asked first
_COUNT_ZH_FIRST = re.compile(
    rf"(?:有)?(?:几|多少)(?:位|个|家|名)?(?P<entity>{_ALL_ENTITY})"
    rf"(?:的(?:发票|订单|单子|单))?{_VERB}?{_COND}(?:不同的?)?(?P<thing>{_ALL_THING})"
    rf"(?P<above2>以上|及以上|或以上|或更多)?(?:的)?(?:那里|那儿|那)?(?:{_VERB})?(?:过)?"
)
# "平均每个E(VERB)几个(不同的)X", "每个E平均(VERB)几个X", "一个E最多(VERB)几个X"
_PER_ZH = re.compile(
    rf"(?P<avg1>平均)?(?:每|一|单)(?:一)?(?:个|位|家|名|款|种)?(?P<entity>{_ALL_ENTITY}|(?<=每)家)"
    rf"(?P<gap>[^\s\d几多少平均最]{{0,6}}?)(?P<avg2>平均|最多|最多的)?(?:{_VERB}|由|被)?(?:过)?(?:几|多少)(?:个|种|款|家|位|名)?"
    rf"(?:不同的?)?(?P<thing>{_ALL_THING})"
    rf"(?:那里|那儿|那)?(?:在)?(?:{_VERB}|供货|供应|购买)?(?:过)?"
)
# "customers who bought more than 50 different products", "sellers selling only one category"
_COUNT_EN = re.compile(
    r"\b(?P<entity>customers|buyers|sellers|shops|categories|products|countries)\b"
    r"(?:\s+(?:who|that|which))?\s+(?:have\s+|has\s+)?(?P<verb>bought|buying|buy"
    r"|purchased|purchasing|purchase|sold|selling|sell|ordered|with)"
    r"(?:\s+from)?\s+(?P<cmp>more than|over|at least|only|exactly|just)?\s*(?P<n>\d+|one|two|three)"
    r"\s+(?:different\s+|distinct\s+)?(?P<thing>products|items|categories|sellers|shops|countries"
    r"|states|cities|customers|buyers|category|product|seller|country|state|city)\b"
)
_EN_ENTITY = {
    "customers": "person", "buyers": "person", "sellers": "shop", "shops": "shop",
    "categories": "category", "products": "product", "countries": "country",
}  # fmt: skip
_EN_THING = {
    "product": "product", "item": "product", "categor": "category", "seller": "shop",
    "shop": "shop", "countr": "country", "state": "province", "cit": "city",
    "customer": "person", "buyer": "person",
}  # fmt: skip
_EN_N = {"one": 1, "two": 2, "three": 3}
# the words asking how many entities (after the construction)
_HOW_MANY = re.compile(r"^(?:有|一共|总共|共)?(?:多少|几)(?:个|家|位|名|人|种|款)?(?:呢|啊)?")


def _compact(text: str) -> str:
    """Spaces between Chinese words (and beside digits in Chinese) taken out."""
    return re.sub(
        r"(?<=[^a-z])\s+(?=[^a-z])|(?<=[^a-z\d])\s+(?=[a-z\d])|(?<=[a-z\d])\s+(?=[^a-z\d\s])",
        "",
        text,
    )


def _kind(word: str, table: dict[str, Any]) -> str | None:
    for kind, pattern in table.items():
        pat = pattern[0] if isinstance(pattern, tuple) else pattern
        if re.fullmatch(pat, word):
            return kind
    return None


def _number(said: str) -> int | None:
    from shopql.catalog.timephrase import cn_number

    return cn_number(said)


def distinct_per_entity(
    question: str,
    ws: Any,
    understand: Callable[[str, Any], Understanding],
) -> Understanding | None:
    """The reading of a count of different things per entity, or None when `question` is not
    one or its rest does not read plainly."""
    from shopql.nlq.linking import normalise

    text = _compact(normalise(question))
    found = (
        _match_count_zh(text)
        or _match_count_zh_first(text)
        or _match_per_zh(text)
        or _match_count_en(text)
    )
    if found is None:
        return None
    entity, thing, how, having, rest, said = found
    if entity == thing:
        return None
    return _build(ws, understand, entity, thing, how, having, rest, said)


def different_things_counted(
    question: str,
    ws: Any,
    understand: Callable[[str, Any], Understanding],
) -> Understanding | None:
    """ "how many customers bought more than 50 different products": read before the ordinary
    engine (which reads a count of buyers by product), only when different / distinct is said."""
    from shopql.nlq.linking import normalise

    text = normalise(question)
    if not re.search(r"\b(?:different|distinct)\b", text):
        return None
    found = _match_count_en(text)
    if found is None or "different" not in found[-1] and "distinct" not in found[-1]:
        return None
    entity, thing, how, having, rest, said = found
    if entity == thing:
        return None
    return _build(ws, understand, entity, thing, how, having, rest, said)


def _condition_zh(m: re.Match[str] | None) -> tuple[str, str, str, int] | None:
    """A Chinese condition's entity, thing counted, comparison and number, or None when unsure."""
    if m is None:
        return None
    entity = _kind(m.group("entity"), _ENTITY)
    thing = _kind(m.group("thing"), _THING)
    n = _number(m.group("n"))
    if entity is None or thing is None or n is None:
        return None
    op = _op(m, n)
    return None if op is None else (entity, thing, op, n)


def _match_count_zh(text: str) -> tuple[Any, ...] | None:
    m = _COUNT_ZH.search(text)
    said = _condition_zh(m)
    if m is None or said is None:
        return None
    entity, thing, op, n = said
    if m.group("head") and _kind(m.group("head"), _ENTITY) == entity:
        return None  # "客户买过2个商品的客户": not one construction
    after = text[m.end() :]
    ask = _HOW_MANY.match(after)
    if ask is None:
        return None  # a list of them, or a figure over them: not a count
    head = m.group("head") or ""
    # the people said before the places counted ("买家遍布10个州的卖家": the sellers' buyers'
    # states, as the place counts read them: the orders' own places)
    if head and (_kind(head, _ENTITY) != "person" or thing not in ("province", "city", "country")):
        return None
    rest = f"{text[: m.start()]} {after[ask.end() :]}"
    return entity, thing, "count", (op, n), rest, m.group(0)


def _match_count_zh_first(text: str) -> tuple[Any, ...] | None:
    m = _COUNT_ZH_FIRST.search(text)
    said = _condition_zh(m)
    if m is None or said is None:
        return None
    entity, thing, op, n = said
    after = text[m.end() :]
    if re.match(r"\s*(?:的)?\s*(?:商品|东西|金额|销售额|钱|件|单|次|订单)", after):
        return None  # "几个客户买过超过50种商品的金额": another figure
    rest = f"{text[: m.start()]} {after}"
    return entity, thing, "count", (op, n), rest, m.group(0)


def _op(m: re.Match[str], n: int) -> str | None:
    """The comparison a condition's words say, or None when unsure."""
    if m.group("above") and m.group("above2"):
        return None
    if m.group("more") and (m.group("least") or m.group("only")):
        return None
    if m.group("more"):
        return ">"
    if m.group("least") or m.group("above") or m.group("above2"):
        return ">="
    if m.group("only") or n == 1:
        return "="
    return None  # "买过3个品类的客户": 3 exactly or at least: unsure


def _match_per_zh(text: str) -> tuple[Any, ...] | None:
    m = _PER_ZH.search(text)
    if m is None:
        return None
    avg = m.group("avg1") or ("平均" if m.group("avg2") == "平均" else None)
    most = (m.group("avg2") or "").startswith("最多")
    if bool(avg) == most:
        return None
    before = text[: m.start()]
    if most and not re.search(r"(?:一|单)(?:个|位|家|名|款|种)?$", text[: m.start("entity")]):
        return None  # 每个客户最多: each one's top, not the most of any one
    if avg and "平均" in before:
        return None
    entity = _kind(m.group("entity"), _ENTITY)
    thing = _kind(m.group("thing"), _THING)
    if entity is None or thing is None:
        return None
    # the entity said before ("有出单的卖家 平均每家几个买家"): the groups, said again
    before = re.sub(
        rf"(?:有(?:出单|订单|销售|卖货|买东西)的)?(?:{_ENTITY[entity]})\s*(?:里|中)?\s*$",
        "",
        before,
    )
    after = text[m.end() :]
    if re.match(r"\s*(?:的|之)?(?:商品|东西|金额|销售额|钱|件|单|次)", after):
        return None  # "每个客户买过几个商品的金额": another figure
    if m.group("gap") and not m.group("avg2"):
        return None
    rest = f"{before} {m.group('gap') or ''} {after}"
    return entity, thing, "avg" if avg else "max", None, rest, m.group(0)


def _match_count_en(text: str) -> tuple[Any, ...] | None:
    m = _COUNT_EN.search(text)
    if m is None:
        return None
    entity = _EN_ENTITY.get(m.group("entity"))
    thing = next((k for w, k in _EN_THING.items() if m.group("thing").startswith(w)), None)
    n = _number(m.group("n")) or _EN_N.get(m.group("n"))
    if entity is None or thing is None or n is None:
        return None
    cmp = m.group("cmp") or ""
    op = {
        "more than": ">",
        "over": ">",
        "at least": ">=",
        "only": "=",
        "exactly": "=",
        "just": "=",
    }.get(cmp, "=" if n == 1 else "")
    if not op:
        return None
    before = re.sub(r"\b(?:how many|number of|the|count)\s*$", "", text[: m.start()].strip())
    rest = f"{before} {text[m.end() :]}"
    asked = re.search(r"\bhow many\b|\bnumber of\b|\bcount\b", text[: m.start()])
    if not asked and not re.search(r"\b(?:different|distinct)\b|\bmore than one\b", m.group(0)):
        return None  # "customers who bought 3 products": a list, not read here
    if m.group("verb") == "with" and not re.search(r"\b(?:different|distinct)\b", m.group(0)):
        return None  # "customers with more than 5 products": their units or their products?
    return entity, thing, "count", (op, n), rest, m.group(0)


def _build(
    ws: Any,
    understand: Callable[[str, Any], Understanding],
    entity: str,
    thing: str,
    how: str,
    having: tuple[str, int] | None,
    rest: str,
    said: str,
) -> Understanding | None:
    catalog = ws.catalog
    dimension = entity
    if entity == "shop" and "shop" not in catalog.dimensions:
        return None
    if entity in ("city", "province") and thing == "shop":
        return None  # a seller's own place: the shops' table, another count
    if dimension not in catalog.dimensions:
        return None
    word = _THING[thing][1]
    rest = re.sub(r"\s+", " ", rest).strip()
    u = _read(f"{rest} {word}", ws, understand)
    if u is None:
        return None
    q = u.query
    if len(q.metrics) != 1:
        return None
    metric = q.metrics[0]
    if thing == "person" and entity not in ("person", "city", "province", "country"):
        # the buyers of a seller's or a category's lines; a place is the order's own: its buyers
        metric = "buyers_with_items" if "buyers_with_items" in catalog.metrics else metric
    m = catalog.metrics.get(metric)
    measure = catalog.measure(m.measure or "") if m is not None else None
    if m is None or m.type != "simple" or measure is None or measure.agg != "count_distinct":
        return None
    from shopql.catalog.families import dated_by
    from shopql.catalog.joins import seller_dims

    if m.time != "paid_date" and "paid_date" in catalog.dimensions and q.time_range is not None:
        # what each one bought or sold in the period: by payment time, as buyers are counted
        metric = dated_by(catalog, metric, "paid_date")

    kept = (*q.filters, Filter(dimension, "is not null"))
    query = replace(
        q,
        metrics=(metric,),
        dimensions=(dimension,),
        filters=kept,
        having=(Filter(metric, having[0], (having[1],)),) if having else (),
        of_groups=how,
        order_by=(),
        limit=None,
        line_seller=dimension in seller_dims(catalog) or dimension == "shop",
    )
    from shopql.nlq.reading import describe

    what = {
        "count": f"how many {dimension} groups have {metric} {having[0] if having else ''} "
        f"{having[1] if having else ''}",
        "avg": f"the average over the {dimension} groups of each one's {metric}",
        "max": f"the most any one {dimension} has of {metric}",
    }[how]
    return Understanding(query, recognised=[*describe(query, ws), f"'{said}': {what.strip()}"])


def _read(
    text: str, ws: Any, understand: Callable[[str, Any], Understanding]
) -> Understanding | None:
    try:
        u = understand(text, ws)
    except NotUnderstood:
        return None
    q = u.query
    if u.compound or u.ignored:
        return None
    if q.dimensions or q.grain or q.compare or q.having or q.of_groups or q.limit is not None:
        return None
    if q.population is not None or q.extra:
        return None
    return u
