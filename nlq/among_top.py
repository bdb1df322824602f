"""How many of a ranking's top N have a property: "8月卖得最好的20个商品里 有几个是beleza_saude的",
"上个月卖得最好的10个款里 有几个是女装", "how many of the top 20 products are Christmas ones".

The answer is a count over the top N ranked WITHOUT the property (then counted by it); the
engine read the property as a filter before ranking (the top 20 of beleza_saude's products, 20
rows) — another question. Not read yet: refused, saying what was understood of the ranking and
the words not placed, never the filtered ranking in its place."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from shopql.nlq.shared import NotUnderstood, Understanding

_N = r"(?:\d+|[一二两三四五六七八九十]+)"
_UNIT = r"(?:个|款|种|家|位|名|件|样|个城市|个州|个国家|个品类|个类目)"
_AMONG_ZH = re.compile(
    r"(?:前|最\S{0,8}?的|头部|排名前)\s*" + _N + r"\s*" + _UNIT + r"?\s*\S{0,8}?\s*"
    r"(?:里面|里头|当中|之中|里|中)\s*[，,]?\s*(?:有|是|属于)?\s*(?:几|多少)\s*" + _UNIT
)
_AMONG_EN = re.compile(
    r"\bhow many of (?:the|our|those|these)\s+(?:top|best|biggest|largest|\d+)", re.IGNORECASE
)


def refuse_count_among_top(
    question: str, ws: Any, understand: Callable[[str, Any], Understanding]
) -> None:
    """Raise NotUnderstood when a count of the top N having a property is asked (module text)."""
    from shopql.nlq.linking import normalise

    text = normalise(question)
    m = _AMONG_ZH.search(text) or _AMONG_EN.search(text)
    if m is None:
        return
    rest = text[m.end() :].strip(" ?？。的")
    cut = re.search(r"(?:里面|里头|当中|之中|里|中)\s*[，,]?\s*(?:有|是|属于)?\s*(?:几|多少)", text)
    head = text[: cut.start()] if cut is not None and _AMONG_ZH.search(text) else ""
    understood: list[str] | None = None
    if head:
        try:
            understood = understand(head, ws).recognised
        except NotUnderstood:
            understood = None
    said = m.group(0).strip()
    raise NotUnderstood(
        f"not understood, nothing answered: could not place {said!r}"
        + (f" … {rest!r}" if rest else "")
        + " (how many of a ranking's top N have a property is not read yet: ask for the top N"
        " itself, e.g. '8月卖得最好的20个商品', and count them)"
        + (" — understood: " + "; ".join(understood) if understood else ""),
        [said, *([rest] if rest else [])],
        [],
        understood,
    )
