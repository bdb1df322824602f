"""A period said with a word that leaves it out ("不在今年", "上个月以外", "除了上个月", "outside
2017", "excluding last month"): the question asks about the rest of the data, which the offline
engine does not read. Dropping the negation answered the period itself, or carried the 'not' over
to the next value ("不在今年拼多多…" read as "this year, not on Pinduoduo") — a different question
either way, so it is refused, the words named (issue 11)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

# the negation said right before a period ("不在今年", "除了上个月", "not in 2017", "outside 2017")
_BEFORE = re.compile(
    r"(?:不在|不是在|(?<!是)不是|除了|除去|除开|(?<![扣剔刨去])除|不含|不包含|不包括|不算|不计|排除|剔除|刨除|非"
    r"|\b(?:not|outside(?:\s+of)?|excluding|exclude|except(?:\s+for)?|other\s+than|apart\s+from"
    r"|aside\s+from|not\s+counting|besides|leaving\s+out|leave\s+out|without))\s*$",
    re.IGNORECASE,
)
# the negation said right after it ("今年以外", "上个月之外的", "今年除外")
_AFTER = re.compile(r"^\s*(?:以外|之外|除外)")
# "bought last year but not this year": a set of people (people.py), not a period left out
_BUT = re.compile(r"(?:\bbut|\band|\byet|但|但是|而|却)\s*$", re.IGNORECASE)
_TAIL_IN = re.compile(r"\b(?:in|during|for|over)\s*$", re.IGNORECASE)
_SPAN_HEAD = re.compile(r"^(?:in|during|for|over)\s+", re.IGNORECASE)


def negated_period(text: str, today: dt.date, festivals: Any = None) -> str | None:
    """The words of a period left out in `text` (normalised), e.g. "不在今年"; None if none is."""
    from shopql.nlq.phrases import find_time

    rest = text
    for _ in range(4):
        tr, found, after = find_time(rest, today, festivals)
        if tr is None or found is None:
            return None
        start = found.start + (len(found.text) - len(_SPAN_HEAD.sub("", found.text)))
        head = _TAIL_IN.sub("", text[:start])
        before = _BEFORE.search(head)
        if before is not None and not _BUT.search(head[: before.start()]):
            return text[before.start() : found.end].strip()
        behind = _AFTER.match(text[found.end :])
        if behind is not None:
            return text[found.start : found.end + behind.end()].strip()
        rest = after
    return None
