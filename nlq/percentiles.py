"""Percentiles read beside the median: "订单金额的90分位数", "P90 of order value", "75th percentile
of delivery days", "上四分位数", "订单金额的四分位数" (the 25th, 50th and 75th).

The question is read with the median word in the percentile's place ("订单金额的中位数"); when that
reading is a median the catalog generates (a measurable's `median_<name>`), each percentile asked
is that measurable's `p<N>_<name>` (catalog.families.percentile_metric: quantile_cont over the same
rows, filter and time), in place of the median, with the rest of the question — its period,
filters, breakdown — as it was read. A percentile of anything else (a median over people, a
metric with no median) is refused, saying so: never the median in its place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from shopql.nlq.shared import NotUnderstood, Understanding

_N = r"(\d{1,2})"
# each: (pattern, the percentiles it names: a group's number, or fixed ones)
_SAID: list[tuple[re.Pattern[str], tuple[int, ...]]] = [
    (re.compile(r"(?:第\s*)?" + _N + r"\s*(?:%|％)?\s*(?:百分位|分位)(?:数|值|点|线)?"), ()),
    (re.compile(r"百分之\s*" + _N + r"\s*(?:的)?\s*分位(?:数|值|点|线)?"), ()),
    (re.compile(r"\b" + _N + r"(?:st|nd|rd|th)?\s*(?:%\s*)?percentiles?\b", re.I), ()),
    (re.compile(r"\bpercentile\s+" + _N + r"\b", re.I), ()),
    (re.compile(r"(?<![a-z0-9])p\s?" + _N + r"(?![0-9a-z])", re.I), ()),
    (
        re.compile(
            r"上\s*(?:和|与|、)?\s*下\s*四分位(?:数|值|点)?|\b(?:upper and lower|lower and upper) quartiles?\b",
            re.I,
        ),
        (25, 75),
    ),
    (re.compile(r"上\s*四分位(?:数|值|点)?|\b(?:upper|third|3rd) quartile\b", re.I), (75,)),
    (re.compile(r"下\s*四分位(?:数|值|点)?|\b(?:lower|first|1st) quartile\b", re.I), (25,)),
    (re.compile(r"四分位(?:数|值|点)?|\bquartiles\b|\binterquartile\b", re.I), (25, 50, 75)),
]


def _percentiles(text: str) -> tuple[int, int, tuple[int, ...]] | None:
    """Where the one percentile phrase is and the percentiles it names, else None (none, or
    more than one phrase)."""
    found: list[tuple[int, int, tuple[int, ...]]] = []
    for pattern, fixed in _SAID:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b, _ in found):
                continue  # "上四分位数" is not 四分位数 again
            named = fixed or (int(m.group(1)),)
            if not all(0 < n < 100 for n in named):
                return None
            found.append((m.start(), m.end(), named))
    return found[0] if len(found) == 1 else None


def percentile_question(
    question: str, ws: Any, understand: Callable[[str, Any], Understanding]
) -> Understanding | None:
    """The percentiles of one measurable asked, or None when no percentile is said."""
    from shopql.catalog.families import measurable_of, ordinal_suffix, percentile_metric
    from shopql.nlq.linking import normalise

    text = normalise(question)
    said = _percentiles(text)
    if said is None:
        return None
    a, b, percents = said
    phrase = text[a:b].strip()
    median = "median" if phrase.isascii() else "中位数"
    try:
        u = understand(f"{text[:a]} {median} {text[b:]}", ws)
    except NotUnderstood:
        u = None
    q = u.query if u is not None else None
    medians = [
        m
        for m in (q.metrics if q is not None else ())
        if (found := measurable_of(ws.catalog, m)) is not None and found[1] == "median"
    ]
    if u is None or q is None or u.compound or u.ignored or len(medians) != 1 or q.of_groups:
        if re.fullmatch(r"p\s?\d+", phrase, re.I):
            return None  # "P3" may be a name: the question is read as it is
        raise NotUnderstood(
            f"not understood, nothing answered: could not place '{phrase}' (a percentile is "
            "answered for one measure the catalog takes a median of: order value, unit price, "
            "delivery days, review score …, e.g. '订单金额的90分位数', 'P75 of delivery days')",
            [phrase],
            [],
        )
    made = [percentile_metric(ws.catalog, medians[0], n) for n in percents]
    if any(m is None for m in made):
        return None
    names = tuple(dict.fromkeys(str(m) for m in made))
    from shopql.nlq.pergroup import MEDIAN

    if MEDIAN.search(f"{text[:a]} {text[b:]}"):  # "the median and the p90": both
        names = tuple(dict.fromkeys((medians[0], *names)))
    metrics = tuple(x for m in q.metrics for x in (names if m == medians[0] else (m,)))
    order = tuple(o for o in q.order_by if o.name != medians[0])
    if len(order) != len(q.order_by):  # ranked by the median: by the percentile asked
        order = (*order, *(replace(o, name=names[-1]) for o in q.order_by if o.name == medians[0]))
    query = replace(q, metrics=metrics, order_by=order)
    from shopql.nlq.reading import describe

    asked = ", ".join(f"{n}{ordinal_suffix(n)}" for n in percents)
    what = measurable_of(ws.catalog, medians[0])[0].name  # type: ignore[index]
    recognised = [*describe(query, ws), f"'{phrase}': the {asked} percentile of {what}"]
    return Understanding(query, recognised=recognised)


_MEAN = r"(?:平均数|平均值|均值|\bmean\b|\baverage\b)"
_MEDIAN_WORD = r"(?:中位数|中位值|\bmedian\b)"
_AND = r"\s*(?:和|与|以及|及|跟|还有|、|,|，|\band\b|&)\s*"
_MEDIAN_AND_MEAN = re.compile(
    rf"(?P<first>{_MEDIAN_WORD}){_AND}(?P<mean>{_MEAN})|(?P<mean2>{_MEAN}){_AND}{_MEDIAN_WORD}",
    re.IGNORECASE,
)


def mean_beside_median(
    question: str, ws: Any, understand: Callable[[str, Any], Understanding]
) -> Understanding | None:
    """ "发票金额的中位数和平均数", "median and mean order value": the measurable's median and
    its average, side by side (the order said), or None when not asked so."""
    from shopql.catalog.families import measurable_of
    from shopql.nlq.linking import normalise

    text = normalise(question)
    said = list(_MEDIAN_AND_MEAN.finditer(text))
    if len(said) != 1:
        return None
    m = said[0]
    mean_first = m.group("mean2") is not None
    # the question with the median alone: the mean word and the "and" left out
    if mean_first:
        kept = re.search(_MEDIAN_WORD, m.group(0), re.IGNORECASE)
        median_said = kept.group(0) if kept else "median"
    else:
        median_said = m.group("first")
    try:
        u = understand(f"{text[: m.start()]} {median_said} {text[m.end() :]}", ws)
    except NotUnderstood:
        return None
    q = u.query
    if u.compound or u.ignored or len(q.metrics) != 1 or q.of_groups:
        return None
    found = measurable_of(ws.catalog, q.metrics[0])
    if found is None or found[1] != "median" or "avg" not in found[0].metrics:
        return None
    mean = found[0].metrics["avg"]
    pair = (mean, q.metrics[0]) if mean_first else (q.metrics[0], mean)
    query = replace(q, metrics=pair)
    from shopql.nlq.reading import describe

    note = f"'{m.group(0).strip()}': the median and the average of {found[0].name}"
    return Understanding(query, recognised=[*describe(query, ws), note])


# the most common value of an amount (the mode): "上个月最常见的订单金额是多少", "今年最常见的一单是
# 付多少钱", "订单金额的众数", "the most common order value"; read with the median word in its place
# (as a percentile is), then the median's rows give their most common value. The most common value
# of a dimension ("最常见的支付方式": the one with the most orders) is read elsewhere (typos.py).
_AMOUNT = r"(?:订单|发票|付款|支付|实付|商品|每单|单笔)?\s*(?:金额|单价|价格|运费|价钱)"
_MODE_SAID: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"最(?:常见|普遍|多见|经常出现)\s*的?\s*(?:一单|一笔订单|一笔|订单|单子|一张发票|发票)"
            r"\s*(?:是|要|都)?\s*(?:付|花|卖|开|收)?\s*了?\s*(?:多少钱|几块钱|多少)"
        ),
        "订单金额的中位数是多少",
    ),
    (re.compile(r"最(?:常见|普遍|多见|经常出现)\s*的?\s*(" + _AMOUNT + r")"), r"\1的中位数"),
    (re.compile(r"(" + _AMOUNT + r")\s*的?\s*众数"), r"\1的中位数"),
    (re.compile(r"(" + _AMOUNT + r")\s*(?:里|中)?\s*最常见\s*的?\s*(?:是)?"), r"\1的中位数是"),
    (
        re.compile(
            r"\b(?:the\s+)?(?:most\s+(?:common|frequent|typical)|modal)\s+"
            r"((?:order|invoice|basket|payment)\s+(?:value|amount|total)|unit\s+price|price|amount)\b",
            re.I,
        ),
        r"median \1",
    ),
    (re.compile(r"\b(?:the\s+)?mode\s+of\s+(?:the\s+)?", re.I), "median "),
]


def mode_said(question: str) -> bool:
    """Whether the most common value of an amount is asked (see _MODE_SAID)."""
    from shopql.nlq.linking import normalise

    text = normalise(question)
    return any(pattern.search(text) for pattern, _ in _MODE_SAID)


def mode_question(
    question: str, ws: Any, understand: Callable[[str, Any], Understanding]
) -> Understanding | None:
    """The most common value of one amount asked (see _MODE_SAID), or None when not asked so;
    refused (saying so) when the amount is no measure the catalog takes a median of."""
    from shopql.catalog.families import measurable_of, mode_metric
    from shopql.nlq.linking import normalise

    text = normalise(question)
    said = [(m, median) for p, median in _MODE_SAID if (m := p.search(text)) is not None]
    if not said:
        return None
    m, median_said = said[0]
    phrase = m.group(0).strip()
    try:
        u = understand(text[: m.start()] + " " + m.expand(median_said) + " " + text[m.end() :], ws)
    except NotUnderstood:
        u = None
    q = u.query if u is not None else None
    medians = [
        x
        for x in (q.metrics if q is not None else ())
        if (found := measurable_of(ws.catalog, x)) is not None and found[1] == "median"
    ]
    made = mode_metric(ws.catalog, medians[0]) if len(medians) == 1 else None
    if u is None or q is None or u.compound or u.ignored or made is None or q.of_groups:
        raise NotUnderstood(
            f"not understood, nothing answered: could not place '{phrase}' (the most common "
            "value is answered for one amount the catalog takes a median of: order value, unit "
            "price …, e.g. '上个月最常见的订单金额', 'the most common order value')",
            [phrase],
            [],
        )
    metrics = tuple(made if x == medians[0] else x for x in q.metrics)
    order = tuple(replace(o, name=made) if o.name == medians[0] else o for o in q.order_by)
    query = replace(q, metrics=metrics, order_by=order)
    from shopql.nlq.reading import describe

    what = measurable_of(ws.catalog, medians[0])[0].name  # type: ignore[index]
    recognised = [*describe(query, ws), f"'{phrase}': the most common value (mode) of {what}"]
    return Understanding(query, recognised=recognised)
