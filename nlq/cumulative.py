"""Running totals: "2018年每月累计销售额", "running total of revenue by month", "今年新买家按月累计
一共来了多少", "cumulative orders by week this year".

Read when the ordinary reading leaves the running-total word unplaced: the question without it
is read as usual; with a grain (by month, week, day …) the answer is each bucket's figure beside
its running total from the start of the period (SemanticQuery.extra["cumulative"], compiled as
a window sum over the buckets in time order, within each value of another breakdown); with no
grain the running total up to the end of the period is the period's total ("2018年累计销售额").
Only metrics that add up over periods: a running total of buyers would count a person again in
each month (refused, saying so)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from shopql.nlq.shared import NotUnderstood, Understanding

CUMULATIVE = re.compile(
    # "到当月为止的累计营业额", "截至当月的累计": up to each bucket itself (当月 is the bucket, not
    # this month)
    r"(?:(?:一直)?(?:到|截至|截止到?|直到)\s*(?:当|该|那个?)\s*(?:月|周|星期|天|日|季度?|年)\s*"
    r"(?:底|末)?\s*(?:为止|时|的时候)?\s*(?:的)?\s*)?"
    r"(?:滚动|逐月|逐日|逐周)?(?:累计|累积|累加)(?:起来)?(?:的|地)?"
    r"|\brunning\s+(?:totals?|sums?)(?:\s+of)?\b|\bcumulative(?:ly)?\b|\baccumulated\b",
    re.IGNORECASE,
)
# "到每个月底为止一共卖了多少", "截至每周末的累计": the total up to the end of each month (week …),
# read as a running total by that grain (the grain word kept: 每月)
TO_EACH_END = re.compile(
    r"(?:一直)?(?:到|截至|截止到?|直到)\s*每个?\s*(月|周|星期|季度?|年)\s*(?:底|末|结束)\s*(?:为止|时|的时候)?(?:的)?"
)


def said(words: list[str]) -> bool:
    """Whether a running-total word is among the words left unplaced."""
    return any(CUMULATIVE.search(w) or _PART.search(w) for w in words)


_PART = re.compile(
    r"^(?:running|cumulative(?:ly)?|accumulated|底|末|止|为止|月底|月末|周末|年底|年末)$",
    re.IGNORECASE,
)  # "total" placed; the pieces of 到每个月底为止 (the question itself is matched again)


def running_total(
    question: str, ws: Any, understand: Callable[[str, Any], Understanding]
) -> Understanding | None:
    """The question's figures with their running totals, or None when it names none."""
    from shopql.catalog.families import adds_up
    from shopql.nlq.linking import normalise

    text = normalise(question)
    found = list(CUMULATIVE.finditer(text))
    ends = list(TO_EACH_END.finditer(text))
    if len(found) + len(ends) != 1:
        return None
    hit = (found or ends)[0]
    a, b = hit.span()
    word = hit.group(0).strip()
    keep = f" 每{hit.group(1)} " if ends else " "  # 到每个月底为止 → 每月: its grain kept
    try:
        u = understand(f"{text[:a]}{keep}{text[b:]}", ws)
    except NotUnderstood:
        return None
    q = u.query
    if u.compound or u.ignored or q.compare or q.having or q.of_groups or q.population:
        return None
    if q.limit is not None or q.extra:
        return None
    if not q.grain:  # "2018年累计销售额": the total up to the end of the period
        note = f"'{word}': the total over the period (a running total by month: 每月累计)"
        return replace(u, recognised=[*u.recognised, note])
    bad = [m for m in q.metrics if not adds_up(ws.catalog, m)]
    if bad:
        raise NotUnderstood(
            f"not understood, nothing answered: could not place '{word}' (a running total adds "
            f"each {q.grain}'s figure to the ones before; {', '.join(bad)} does not add up over "
            "periods: one person or thing would be counted again in each of them)",
            [word],
            [],
        )
    query = replace(q, extra={**q.extra, "cumulative": True}, order_by=())
    from shopql.nlq.reading import describe

    note = f"'{word}': each {q.grain}'s figure and its running total from the start of the period"
    return Understanding(query, recognised=[*describe(query, ws), note])
