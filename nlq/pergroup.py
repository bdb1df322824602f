"""A figure over people rather than over rows: the median of a per-person measure.

"2011上半年 客户消费的中位数", "median spend per customer in 2011", "median orders per customer":
each person's own amount in the period (their sales, their orders, their units), then the middle
one — not the median order value, and not the average (sales / buyers, `sales_per_buyer`). The
question without its median word must read as a per-person measure: a people ratio of the catalog
(a numerator over `buyers`) or a people count beside one additive metric ("客户消费": buyers and
sales). The query is that metric by the `person` dimension (people, by OneID; an order naming no
buyer is no one's) with `of_groups="median"` (catalog/compiler.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from shopql.catalog.semantic import Filter, SemanticQuery
from shopql.nlq.shared import NotUnderstood, Understanding

MEDIAN = re.compile(r"\bmedians?\b|(?:的)?(?:中位数|中位值|中值)")
# the catalog's counts of people a per-person ratio divides by
PEOPLE_COUNTS = ("buyers", "buyers_with_items")
ADDITIVE = ("sum", "count", "count_distinct")


def median_per_person(
    question: str,
    ws: Any,
    understand: Callable[[str, Any], Understanding],
) -> Understanding | None:
    """The median over people of a per-person measure, or None when the question is not one."""
    if "person" not in ws.catalog.dimensions:
        return None
    from shopql.nlq.linking import normalise

    text = normalise(question)
    said = list(MEDIAN.finditer(text))
    if len(said) != 1:
        return None
    a, b = said[0].span()
    why = f"'{said[0].group(0).strip()}': the median over people of each one's {{measure}}"
    return _over_people(f"{text[:a]} {text[b:]}", ws, understand, "median", why)


def _over_people(
    text: str,
    ws: Any,
    understand: Callable[[str, Any], Understanding],
    how: str,
    why: str,
    one_metric: bool = False,
) -> Understanding | None:
    """`text` (the question without its median / most words) read as a per-person measure,
    then that measure by person with `of_groups` `how` (each person's own, then the median or
    the largest); `why` says so, with {measure} for the measure. None when it reads as none."""
    try:
        u = understand(text, ws)
    except NotUnderstood:
        return None
    q = u.query
    if u.compound or u.ignored or not _plain(q) or (one_metric and len(q.metrics) != 1):
        return None
    measure = per_person_measure(q.metrics, ws.catalog)
    if measure is None:
        return None
    query = replace(
        q,
        metrics=(measure,),
        dimensions=("person",),
        filters=(*q.filters, Filter("person", "is not null")),  # guests are no one
        of_groups=how,
    )
    from shopql.nlq.reading import describe

    said = why.replace("{measure}", measure)
    return Understanding(query, recognised=[*describe(query, ws), said])


# the most of one person: "单个客户最多买过多少单", "一个客户最多下过几单", "单个客户花得最多是多少",
# "max orders by one customer", "the most a single customer spent": said as each person's figure
# (每个客户 / per customer), each person's own, then the largest (not the top person's row)
_ONE_PERSON_ZH = r"(?:单个|单一|单独一个|一个|一位|一名|某个|某一个)\s*(?:客户|买家|顾客|会员)"
_MOST_ZH = re.compile(
    rf"{_ONE_PERSON_ZH}\s*(?:最多|最高|最大|顶多)(?!\s*的)"
    rf"|{_ONE_PERSON_ZH}(?=\s*(?:花|消费)\s*(?:得|的)?\s*最多)"
)
_SPENT_MOST_ZH = re.compile(r"(花|消费)\s*(?:得|的)?\s*最多(?:\s*(?:是|有|能|花了|花到))?")
_MOST_EN = re.compile(
    r"\b(?:the\s+)?(?:max(?:imum)?|most|largest|highest|biggest)\b\s*(?P<what>[a-z ]{0,30}?)\s*"
    r"(?:by|from|of|for)?\s*(?:a|one|any|any one|a single|any single|one single)\s+"
    r"(?:customer|buyer|client|shopper)\b\s*(?P<verb>(?:has\s+|ever\s+|have\s+)*"
    r"(?:placed|made|bought|ordered|spent|paid))?(?:\s+ever)?"
)
_BOUGHT_ZH = re.compile(r"(买|下|购买|消费)过(?=\s*(?:多少|几))")


def most_per_person(
    question: str,
    ws: Any,
    understand: Callable[[str, Any], Understanding],
) -> Understanding | None:
    """The largest per-person figure ("单个客户最多买过多少单": each person's paid orders in the
    period, then the most any one has), or None when the question is not one: the question
    with its one-person words said as each person's (每个客户 …, … per customer) must read as a
    per-person ratio of one additive metric (orders, sales, units per buyer)."""
    if "person" not in ws.catalog.dimensions:
        return None
    from shopql.nlq.linking import normalise

    text = normalise(question)
    zh = list(_MOST_ZH.finditer(text))
    en = list(_MOST_EN.finditer(text)) if not zh else []
    if len(zh) + len(en) != 1:
        return None
    if zh:
        m = zh[0]
        rest = text[m.end() :]
        spent = _SPENT_MOST_ZH.match(rest.lstrip())
        if spent:  # 花得最多是多少: what each spent
            rest = "消费多少" + rest.lstrip()[spent.end() :].lstrip("是").lstrip()
            rest = re.sub(r"^消费多少\s*(?:多少|几)?(?:钱)?", "消费多少", rest)
        rest = _BOUGHT_ZH.sub(r"\1了", rest)  # 买过多少单: 买了多少单
        reworded = f"{text[: m.start()]} 每个客户{rest}"
    else:
        m = en[0]
        what = (m.group("what") or "").strip()
        if not what and (m.group("verb") or "").endswith(("spent", "paid")):
            what = "spend"
        if not what:
            return None
        reworded = f"{text[: m.start()]} {what} per customer {text[m.end() :]}"
    said = m.group(0).strip()
    why = f"'{said}': the most any one person has of {{measure}} (each one's own, the largest)"
    return _over_people(reworded, ws, understand, "max", why, one_metric=True)


def _start(mention: Any) -> int:
    return int(mention.start)


def _plain(q: SemanticQuery) -> bool:
    """One figure over the period: nothing split, ranked, compared or restricted to a set."""
    return not (
        q.dimensions
        or q.grain
        or q.compare
        or q.having
        or q.of_groups
        or q.limit is not None
        or q.order_by
        or q.extra
        or q.population is not None
    )


def per_person_measure(metrics: tuple[str, ...], catalog: Any) -> str | None:
    """The additive metric each person has one of: the numerator of a people ratio
    (sales_per_buyer → paid_gmv_of_buyers), or the one metric said beside a people count
    ("客户消费": buyers and paid_gmv → paid_gmv)."""
    if len(metrics) == 1:
        ratio = catalog.metrics.get(metrics[0])
        if ratio is None or ratio.type != "ratio" or ratio.denominator not in PEOPLE_COUNTS:
            return None
        return ratio.numerator if _additive(ratio.numerator, catalog) else None
    if len(metrics) == 2 and "buyers" in metrics:
        other = next(m for m in metrics if m != "buyers")
        return other if _additive(other, catalog) else None
    return None


def _additive(name: str | None, catalog: Any) -> bool:
    """A sum or a count of rows (a person's share of it is theirs alone)."""
    metric = catalog.metrics.get(name or "")
    if metric is None or metric.type != "simple" or metric.window_days:
        return False
    measure = catalog.measure(metric.measure or "")
    return measure is not None and measure.agg in ADDITIVE and not measure.having


# "平均每个卖家有几个买家", "平均一个品类有几个卖家", "on average how many buyers per seller": the
# average word said before the group each figure is of
_AVERAGE_EACH = re.compile(
    r"平均(?=\s*(?:每|一)\s*(?:个|家|位|名|种)?)|\bon average\b|\baverage\b"
    r"|(?<=[^\s平])平均(?=\s*(?:有|由|是|要|能|会)?\s*(?:几|多少))"  # 每个品类平均有几个卖家
)
# "各国客户数取中位数是多少", "median number of customers per country": the median over the groups
_MEDIAN_OF = re.compile(r"(?:取|求|算)?\s*(?:的)?\s*(?:中位数|中位值|中值)|\bmedian(?:\s+of)?\b")
_EACH_EN = re.compile(r"\b(?:per|each|every)\b")
_EACH_OR_BY = re.compile(r"\b(?:per|each|every|by)\b")


def average_per_group(
    question: str,
    ws: Any,
    understand: Callable[[str, Any], Understanding],
    parse: Callable[[str, Any], Any],
) -> Understanding | None:
    """The average over the groups of one breakdown of a count or a sum ("上季度平均每个卖家有
    几个买家": each seller's buyers in the period, then their mean over the sellers that had
    any), or None when the question without its average word is not one breakdown of one such
    metric said per group."""
    from shopql.nlq.linking import normalise

    text = normalise(question)
    said, how = list(_AVERAGE_EACH.finditer(text)), "avg"
    if not said:
        said, how = list(_MEDIAN_OF.finditer(text)), "median"
    if len(said) != 1:
        return None
    a, b = said[0].span()
    before_group = re.match(r"\s*(?:每|一)", text[b:]) is not None  # 平均每个卖家
    if (
        how == "avg"
        and not before_group
        and not (said[0].group(0).isascii() or re.search(r"每|各", text[:a]))
    ):
        return None  # 平均 after the group: a group said before it
    if said[0].group(0).isascii() and not _EACH_EN.search(text[b:]):
        return None  # "average order value": no group named
    reduced = f"{text[:a]} {text[b:]}"
    try:
        u = understand(reduced, ws)
    except NotUnderstood:
        u = None
    if (u is None or u.ignored) and said[0].group(0).isascii():
        # "average number of products per seller": the products by seller, then their mean
        reduced = f"{text[:a]} {_EACH_EN.sub('by', text[b:], count=1)}"
        try:
            u = understand(reduced, ws)
        except NotUnderstood:
            return None
    if u is None:
        return None
    q = u.query
    if u.compound or u.ignored or len(q.dimensions) != 1 or len(q.metrics) != 1:
        return None
    # the group is the word said right after the average ("每个卖家"), the figure after it: not
    # "每个买家买过几个款" read as buyers by product (each product's buyers)
    named = [m for m in parse(reduced, ws).links.mentions if m.term.kind in ("dimension", "metric")]
    named.sort(key=_start)
    if said[0].group(0).isascii():  # "average number of sellers per city": the group after per
        each = _EACH_OR_BY.search(reduced, a)
        named = [m for m in named if each is not None and _start(m) >= each.start()]
    if not named or named[0].term.kind != "dimension":
        return None
    if not _same_group(str(named[0].term.target), q.dimensions[0], ws):
        return None
    rest = replace(q, dimensions=(), order_by=(), extra={}, line_seller=False)
    if not _plain(rest) or not _additive(q.metrics[0], ws.catalog):
        return None
    per_seller = _orders_per_seller(q, text, ws) if how == "avg" else None
    if per_seller is not None:
        # "各卖家 平均几单" as "每个卖家平均几单": the sellers' orders over the sellers, an order
        # of two sellers once (nlq/sellers.py) — was: each seller's count averaged (10.42 for
        # 10.24: an order of two sellers twice)
        from shopql.nlq.reading import describe

        query = replace(rest, metrics=(per_seller,))
        return Understanding(query, recognised=describe(query, ws))
    # rows of no group (a product with no category) are no group to average over
    kept = (*q.filters, Filter(q.dimensions[0], "is not null"))
    query = replace(q, filters=kept, order_by=(), limit=None, of_groups=how)
    from shopql.nlq.reading import describe

    what = "average" if how == "avg" else "median"
    recognised = [
        *describe(query, ws),
        f"'{said[0].group(0).strip()}': the {what} over the {q.dimensions[0]} groups of each"
        f" one's {q.metrics[0]}"
        + (f" (and over those whose {q.metrics[0]} is not 0)" if how == "avg" else ""),
    ]
    return Understanding(query, recognised=recognised)


def _orders_per_seller(q: SemanticQuery, text: str, ws: Any) -> str | None:
    """The orders-per-seller ratio "每个卖家平均几单" reads (nlq/sellers.py), when the average
    over the groups is one of orders by seller; None otherwise."""
    from shopql.nlq.sellers import LINE_COUNTS, SOLD_COUNTS, orders_per_seller

    orders = {"orders", *LINE_COUNTS.values(), *SOLD_COUNTS.values()} - {"buyers_with_items"}
    if q.dimensions != ("shop",) or q.metrics[0] not in orders:
        return None
    from shopql.catalog.families import ratio_metric
    from shopql.catalog.model import CatalogError

    try:
        ratio = ratio_metric(ws.catalog, "orders", "seller_count")
    except CatalogError:
        return None
    if ratio is None:
        return None
    return orders_per_seller(text, [ratio], ws)[0]


def _same_group(said: str, dimension: str, ws: Any) -> bool:
    """The group word names the breakdown: the dimension itself, or the seller's own place when
    the figure is of sellers ("每个城市有几个卖家": the sellers' city, seller_city)."""
    if said == dimension:
        return True
    from shopql.catalog.joins import seller_dims

    if dimension not in seller_dims(ws.catalog):
        return False
    own = dimension.removeprefix("seller_")
    return said == own or (said, own) == ("province", "state")
