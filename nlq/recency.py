"""How long since the last one: "离最后一次有人退货过去多久了", "离上一次有人在shopify下单过去多少个
小时了", "最后一单是几天前", "how many hours since the last order on shopify".

The thing that happened is read as the count of it ("有人在shopify下单" → orders on shopify,
"有人退货" → returned orders, "购买" → paid orders): the question read with the count in place
of the time asked. The answer is the time from the newest of those rows, by the count's own
time, to today (catalog.families.since_last_metric), in days, or in hours / minutes when asked
so, with the question's filters, period and breakdown ("各平台最后一单距今几小时": one per
platform; "RR州的买家最近一次下单到今天隔了多少天": the newest of those buyers' orders). Said of
people averaged ("客户平均多久没买了", "average days since last purchase") it is not this: each person's own time, averaged (the catalog's days_since_last_order) — left to the
ordinary reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from shopql.nlq.shared import NotUnderstood, Understanding

_LAST_ZH = r"(?:最后|上|最近|最新)\s*(?:一次|一单|一笔|一回|次)"
_ASK_ZH = (
    r"(?:已经|都)?\s*(?:过去|过了|隔了|有)?\s*了?\s*(?:是)?\s*"
    r"(?P<ask>多久|多长时间|多少\s*天|几\s*天|多少\s*个?\s*小时|几\s*个?\s*小时|多少\s*分钟|几\s*分钟)"
    r"\s*了?\s*(?:之|以)?前?\s*了?"
)
_SINCE_ZH = re.compile(
    r"(?:离|距离|距|从)?\s*(?P<last>" + _LAST_ZH + r")(?P<event>.*?)"
    r"(?:到\s*现在|到\s*今天|距\s*今|离\s*现在|离\s*今天|至\s*今)?\s*" + _ASK_ZH + r"\s*[?？]?\s*$"
)
_SINCE_EN = re.compile(
    r"\b(?:how (?:long|many (?P<unit>days|hours|minutes))|(?P<unit2>days|hours|minutes|time))"
    r"(?: has it been| is it| it'?s been| have passed| passed)?\s+since\s+(?:the|our|their|a)?\s*"
    r"(?:last|latest|most recent|previous)\s+(?P<event>.+?)\s*[?？]?\s*$",
    re.I,
)
# someone did it: no one in particular ("有人退货": a return by anyone)
_SOMEONE = re.compile(r"有人|有客户|有顾客|有买家|有用户|某人|\bsomeone\b|\banyone\b", re.I)
# the figure said of people, averaged: each person's own time (the catalog's per-person duration).
# People named without an average ("RR州的买家最近一次下单到今天隔了多少天") are whose rows count:
# the newest of their orders, as "有人在shopify下单" (not each buyer's own time averaged)
_PEOPLE = re.compile(
    r"\b(?:each|per|average|avg|mean|median|typical(?:ly)?)\b|平均|均|中位|每|各自|分别"
)


def _unit(ask: str) -> str:
    if "小时" in ask or ask.lower().startswith("hour"):
        return "hour"
    if "分钟" in ask or ask.lower().startswith("minute"):
        return "minute"
    return "day"


def since_last_question(
    question: str, ws: Any, understand: Callable[[str, Any], Understanding]
) -> Understanding | None:
    """The time since the last of the rows a count counts, or None when not asked so."""
    from shopql.catalog.families import since_last_metric
    from shopql.nlq.linking import normalise

    text = normalise(question)
    zh = _SINCE_ZH.search(text)
    en = None if zh else _SINCE_EN.search(text)
    said = zh or en
    if said is None:
        return None
    before = text[: said.start()]
    event = _SOMEONE.sub(" ", said.group("event")).strip()
    if _PEOPLE.search(f"{before} {event}"):
        return None  # each person's own time, averaged: the catalog's per-person figure
    if zh:
        unit = _unit(said.group("ask"))
        one = said.group("last").replace(" ", "")
        counted = event or ("订单" if one.endswith(("单", "笔")) else "")
        readings = [f"{before} {counted}{end}" for end in ("数", "单数", "订单数", "多少单")]
    else:
        counted = event
        unit = _unit(said.group("unit") or said.group("unit2") or "days")
        first, _, rest = event.partition(" ")
        plural = first if first.endswith("s") else f"{first}s"
        readings = [f"{before} number of {plural} {rest}", f"{before} how many {plural} {rest}"]
    if not (counted if zh else event):
        return None
    q, metric = None, None
    for reading in readings:  # the first that is a count of dated rows
        q = _count_read(reading, ws, understand)
        metric = since_last_metric(ws.catalog, q.metrics[0], unit) if q is not None else None
        if metric is not None:
            break
    if q is None or metric is None:
        return None
    order = tuple(replace(o, name=metric) for o in q.order_by if o.name == q.metrics[0])
    query = replace(q, metrics=(metric,), order_by=order)
    from shopql.nlq.reading import describe

    recognised = [
        *describe(query, ws),
        f"'{said.group(0).strip()}': the {unit}s from the last of {q.metrics[0]} to today",
    ]
    return Understanding(query, recognised=recognised)


def _count_read(reduced: str, ws: Any, understand: Callable[[str, Any], Understanding]) -> Any:
    """The query of `reduced` when it is one count, plainly (no ranking, comparison or set)."""
    try:
        u = understand(reduced, ws)
    except NotUnderstood:
        return None
    q = u.query
    if u.compound or u.ignored or len(q.metrics) != 1 or q.grain or q.compare or q.of_groups:
        return None
    if q.having or q.population is not None or q.limit is not None:
        return None
    return q
