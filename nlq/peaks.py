"""The peak period against the average or the lowest one: "8月最忙那天的单量是平均每天的几倍",
"上个月峰值那天的订单数相当于日均的多少倍", "今年卖得最好的月份是最差月份的几倍", "peak day vs
average day last month".

The question without its peak and against-what words, said by the period's grain ("8月的单量
按天"), must read as one figure by day (week, month) of one metric, nothing else split or
compared; the answer is that breakdown's largest period, set against the average over every
period of the range (the calendar's: a day with no order is a day of 0, as 日均 counts it) or
against its smallest period, and their ratio (catalog side: `peak_ratio` in the query's extra,
wrapped by nlq.pipeline.compile_semantic). The average of a ratio metric (客单价 per day) is not
one figure of the period: refused, as is anything the reworded question does not read whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from shopql.nlq.linking import has_chinese
from shopql.nlq.shared import NotUnderstood, Understanding

_GRAIN_ZH = {"天": "day", "日": "day", "周": "week", "星期": "week", "月": "month", "个月": "month"}
_GRAIN_EN = {"day": "day", "week": "week", "month": "month"}
_WORD = {"day": "按天", "week": "按周", "month": "按月"}
_UNIT = r"(?P<{}>天|日|周|星期|个月|月份|月)"
# the peak period: 最忙那天, 最多的那天, 最好的月份, 峰值那天, 高峰日
_PEAK_ZH = re.compile(
    r"(?P<verb>卖得|卖的)?\s*(?P<most>最\s*(?:忙|多|高|好|旺|火|大))\s*(?:的)?\s*(?:那一|那|一)?\s*"
    + _UNIT.format("g1")
    + r"|(?:峰值|高峰)\s*(?:的)?\s*(?:那一|那)?\s*"
    + _UNIT.format("g2")
)
# set against: the average per period (平均每天, 日均, 平均一天) or the lowest (最差月份)
_TIMES_ZH = r"(?:的)?\s*(?:多少|几)\s*倍"
_AVG_ZH = re.compile(
    r"(?:是|相当于|等于|为|有)?\s*(?:平均\s*(?:每|一)\s*(?:个)?\s*"
    + _UNIT.format("a1")
    + r"|(?P<a2>日|周|月)\s*均)"
    + _TIMES_ZH
)
_LOW_ZH = re.compile(
    r"(?:是|相当于|等于|为|有)?\s*(?:最\s*(?:差|少|低|淡|冷清))\s*(?:的)?\s*(?:那一|那|一)?\s*"
    + _UNIT.format("l1")
    + r"?"
    + _TIMES_ZH
)
_PEAK_EN = re.compile(
    r"\b(?:the\s+)?(?:peak|busiest|best|biggest|highest)\s+(?P<g1>day|week|month)\b"
    r"|\bwhich\s+(?P<g2>day|week|month)\s+most\b",  # "peak day" as the reading before says it
    re.I,
)
_AVG_EN = re.compile(
    r"\b(?:vs\.?|versus|against|compared\s+(?:to|with)|relative\s+to|over|to)\s+(?:an?\s+|the\s+)?"
    r"(?:average|avg|mean|typical)\s+(?P<a1>day|week|month)\b",
    re.I,
)


def _grain(m: re.Match[str], *groups: str) -> str | None:
    for g in groups:
        unit = m.groupdict().get(g)
        if unit:
            unit = unit.lower()
            return _GRAIN_EN.get(unit) or _GRAIN_ZH.get(unit.removesuffix("份"))
    return None


def peak_question(
    question: str, ws: Any, understand: Callable[[str, Any], Understanding]
) -> Understanding | None:
    """The peak period against the average (or the lowest) one, or None when not asked."""
    from shopql.nlq.linking import normalise

    text = normalise(question)
    peak, against, how = _PEAK_ZH.search(text), _AVG_ZH.search(text), "average"
    if peak is not None and against is None:
        against, how = _LOW_ZH.search(text), "lowest"
    if peak is None or against is None:
        peak, against, how = _PEAK_EN.search(text), _AVG_EN.search(text), "average"
    if peak is None or against is None or against.start() < peak.end():
        return None
    grain = _grain(peak, "g1", "g2")
    other = _grain(against, "a1", "a2", "l1") or grain
    if grain is None or other != grain:
        return None  # "最忙那天是月均的几倍": two grains, not one breakdown
    between = text[peak.end() : against.start()].strip()
    between = re.sub(r"^(?:的)?|(?:是|相当于|等于|为|有)$", "", between).strip()
    rest = f"{text[: peak.start()]} {between} {text[against.end() :]}".strip()
    verb = peak.groupdict().get("verb") or ""
    most = peak.groupdict().get("most") or ""
    # no measure said: 最忙 is the orders', 卖得最好 the sales' (English is read before this
    # as "which day … most", its busy / best lost: a measure must be said)
    fallback = ("销售额" if verb or "好" in most else "订单数") if has_chinese(text) else ""
    said = f"{peak.group(0).strip()} … {against.group(0).strip()}"
    u = None
    by = _WORD[grain] if has_chinese(text) else f"by {grain}"
    for reworded in dict.fromkeys((f"{rest} {by}", f"{rest} {fallback} {by}".replace("  ", " "))):
        try:
            u = understand(reworded, ws)
        except NotUnderstood:
            continue
        if u.query.metrics:
            break
    if u is None or not u.query.metrics:
        return None
    q = u.query
    plain = not (
        q.dimensions or q.compare or q.having or q.of_groups or q.limit is not None or q.extra
    )
    if u.compound or u.ignored or q.grain != grain or len(q.metrics) != 1 or not plain:
        raise NotUnderstood(
            f"not understood, nothing answered: '{said}' is read for one figure by {grain} of "
            "one metric (its largest period against the average or the lowest one)",
            [said],
            [],
            u.recognised,
        )
    if how == "average" and not _adds_up(q.metrics[0], ws):
        raise NotUnderstood(
            f"not understood, nothing answered: '{said}' sets the peak {grain} against the "
            f"average {grain}, which is one figure only for a sum or a count ({q.metrics[0]} "
            f"is not: its average {grain} is no part of the period's)",
            [said],
            [],
            u.recognised,
        )
    if how == "average" and (q.time_range is None or q.time_range.start is None):
        raise NotUnderstood(
            f"not understood, nothing answered: '{said}' needs a period to average its "
            f"{grain}s over (上个月, 2017年)",
            [said],
            [],
            u.recognised,
        )
    query = replace(q, order_by=(), extra={"peak_ratio": how})
    against_what = (
        f"the average {grain} (the period's total over its {grain}s, none left out)"
        if how == "average"
        else f"the lowest {grain}"
    )
    recognised = [
        *u.recognised,
        f"'{said}': the largest {grain} of {q.metrics[0]} against {against_what}, and the ratio",
    ]
    return Understanding(query, recognised=recognised)


def _adds_up(metric: str, ws: Any) -> bool:
    from shopql.nlq.pergroup import _additive

    return _additive(metric, ws.catalog)


def wrap(sql: str, metric: str, how: str, start: Any, end: Any, grain: str) -> str:
    """The breakdown by `grain` of one metric (`sql`), reduced to its largest period, the average
    over the range's periods (or its lowest period) and their ratio."""
    col = '"' + metric.replace('"', '""') + '"'
    if how == "lowest":
        return (
            f"SELECT max({col}) AS peak, min({col}) AS lowest, "
            f"round(max({col}) / nullif(min({col}), 0), 4) AS ratio FROM ({sql}) AS by_period"
        )
    periods = (
        f"date_diff('{grain}', date_trunc('{grain}', TIMESTAMP '{start}'), "
        f"date_trunc('{grain}', TIMESTAMP '{end}' - INTERVAL 1 SECOND)) + 1"
    )
    avg = f"sum({col}) * 1.0 / ({periods})"
    return (
        f"SELECT max({col}) AS peak, round({avg}, 4) AS average, "
        f"round(max({col}) / nullif({avg}, 0), 4) AS ratio FROM ({sql}) AS by_period"
    )
