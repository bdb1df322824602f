"""The country of all the data, named in a question ("去年圣诞当天 巴西买家付了多少钱" on Olist): every
order there is in Brazil — its places are Brazil's states and it stores no country — so the
country named is the whole of the data, no filter. Placed with a note; a country the data does
not cover, or one said with a negation (非巴西, outside Brazil), stays unplaced (refused).

Driven by the warehouse's values: a workspace that stores countries filters on them as before
(Online Retail's Brazil is one country of many)."""

from __future__ import annotations

import re
from typing import Any

from shopql.nlq.names import BRAZIL_STATES, COUNTRY_DEMONYMS, COUNTRY_NAMES

# the states of each country whose state codes are known (names.py)
_STATES: dict[str, set[str]] = {"BR": set(BRAZIL_STATES)}
_NAMED = {
    n: code
    for code, names in COUNTRY_NAMES.items()
    if code in _STATES
    for n in [*names, COUNTRY_DEMONYMS.get(code, "")]
    if n
}
# a country said with a negation or as what is outside it: another question (非巴西买家, 巴西以外,
# 外国买家, non-Brazilian, outside Brazil, not in Brazil, except Brazil)
_NEGATED = re.compile(
    r"(?:非|不是|除了?|除去|不在|以外|之外|外国|海外|国外)\s*(?:的)?\s*(?:{w})|(?:{w})\s*(?:以外|之外|外)"
    r"|\b(?:non-?|outside\s+(?:of\s+)?|not\s+(?:in\s+|from\s+)?|except\s+|excluding\s+|other\s+than\s+)(?:{w})"
)


def whole_country(leftover: list[str], text: str, ws: Any) -> tuple[list[str], list[str]]:
    """(`leftover` without the words naming the country all the data is in, notes saying so)."""
    try:
        values = ws.values.values
    except Exception:  # no warehouse to look at: nothing is placed
        return leftover, []
    if values.get("country"):
        return leftover, []  # countries are stored: a country named is a filter (or absent)
    provinces = {str(v).upper() for v in values.get("province") or []}
    placed: list[str] = []
    notes: list[str] = []
    for w in leftover:
        code = _NAMED.get(w.strip().lower())
        if code is None or len(provinces) < 5 or not provinces <= _STATES[code]:
            continue
        said = re.escape(w.strip())
        if re.search(_NEGATED.pattern.format(w=said), text, re.IGNORECASE):
            continue
        placed.append(w)
        name = COUNTRY_NAMES[code][0].title()
        notes.append(
            f"{w.strip()!r}: every order in the data is in {name} (all its places are {name}'s "
            "states) — no filter"
        )
    return [w for w in leftover if w not in placed], notes
