"""Set logic over sellers by periods: the sellers who sold in one period and (not) in another.

    7月和8月都出过单的卖家有多少                               → sold in July and in August
    how many sellers sold something in both july and august  → the same
    7月卖过货 但 8月没卖的卖家有几个                           → sold in July, not in August

A count of sellers beside two periods is two figures side by side ("7月和8月的卖家数") unless a
word says both (都 / both / 又 / again) or one is negated — the periods are read as the people
sets read them (nlq/people_periods.py). "Sold" is what a person's "bought" is: a paid order with
a line of the seller's, by payment time, each order line's own seller (an Olist order can have
several); the population is a PeopleSet of entity "seller" (catalog/people.py). Only a count is
answered; a list, a metric over those sellers, or a value other than the seller's own (its state,
city) beside the periods is refused with what was understood.
"""

from __future__ import annotations

from typing import Any

from shopql.catalog.semantic import PeopleCondition, PeopleSet, SemanticQuery

SELLER_METRIC = "seller_count"  # the count a question about sellers asks for
# the sellers counted, once the periods are blanked ("…的卖家有多少": all sellers, the same word)
SELLER_METRICS = {SELLER_METRIC, f"{SELLER_METRIC}_all"}
# the measure word of sellers asked how many (…的卖家有几家: D, session 41), as 几位 of people
SELLER_COUNTERS = {"几家", "多少家", "家"}


def understand_sellers(question: str, ws: Any, parsed: Any) -> Any | None:
    """An Understanding counting the sellers of a set by periods, or None when `question` is not
    one (the ordinary engine answers it). NotUnderstood when it is one, only partly understood.
    `parsed`: the ordinary parse of `question`."""
    from shopql.catalog.people import describe_people
    from shopql.nlq.families import verbs_of
    from shopql.nlq.people import _refuse, _unplaced, corrected, find_cues
    from shopql.nlq.people_periods import find_periods
    from shopql.nlq.periods import running_to_date
    from shopql.nlq.reading import parse
    from shopql.nlq.sellers import SALE_SAID, _seller_dims
    from shopql.nlq.shared import Understanding

    if list(parsed.metrics) != [SELLER_METRIC] or "shop" not in ws.catalog.dimensions:
        return None
    found = find_cues(corrected(question))
    if found.cues:  # a people phrase (复购, 新客 …): not a set of sellers
        return None
    periods = find_periods(found.text, ws)
    if periods is None:  # one period, or two side by side: the ordinary engine's
        return None
    p = parse(periods.text, ws)
    understood = [
        f"{'not sold' if x.negated else 'sold'}: {x.range.label}" for x in periods.periods
    ]
    if periods.problem:
        _refuse(
            question,
            p,
            ws,
            periods.problem.replace("people who bought", "sellers who sold"),
            understood,
        )
    if p.time is not None:
        _refuse(question, p, ws, "a third period beside the periods of the set", understood)
    own = _seller_dims(ws)
    if any(f.dimension not in own for f in p.filters) or p.excluded:
        why = "values other than the seller's own with several periods: say which period each belongs to"
        _refuse(question, p, ws, why, understood)
    if not set(p.metrics) <= SELLER_METRICS or p.dimensions or p.top_n or p.modifiers or p.having:
        _refuse(question, p, ws, "a set of sellers is answered as a count of them only", understood)
    verbs = verbs_of(ws.catalog, SELLER_METRIC)  # "卖出过东西", "made a sale": what they counted
    if [w for w in _unplaced(p) if w not in verbs and w not in SELLER_COUNTERS]:
        _refuse(question, p, ws, "some words of this set question were not placed", understood)
    conditions = tuple(
        PeopleCondition(
            "not_bought" if x.negated else "bought",
            tuple(p.filters),
            x.range if x.negated else running_to_date(x.range, ws.today),
        )
        for x in periods.periods
    )
    # "sold" said: a paid order line by payment time; "出过单", "had orders": the orders placed,
    # as the count of sellers itself reads them (offline._sellers_who_sold)
    entity = "seller" if SALE_SAID.search(p.links.text) else "seller_orders"
    sellers = PeopleSet(conditions, "count", entity=entity)
    query = SemanticQuery(metrics=(), population=sellers)
    lines = describe_people(sellers)
    lines[-1] = "answer: how many sellers"
    return Understanding(query, recognised=lines, ignored=[])
