"""The value of a person's first order said in spoken forms, read as the catalog's
`first_order_aov` (首单客单价: the average of each person's first paid order, by its payment time —
the people whose first order falls in the period):

    今年新客户 他们第一张发票平均多少钱        → 今年新客户 首单客单价
    今年每个月的新客户数和他们首单的平均金额   → … 首单客单价
    what did new customers spend on average on their first order → average first order value

Only the average of first orders is read (平均 said); a sum of them ("新客的首单贡献了多少") stays
what the engine made of it before. Each rewrite is said in the answer ("read '…' as '…'").
"""

from __future__ import annotations

import re

_THEIR_ZH = r"(?:(?:他们|她们|这些人|这些客户|这批人|其)\s*(?:的)?\s*)?"
_FIRST_ZH = (
    r"(?:首单|第一单|头一单|第一张\s*(?:发票|订单|单子)?|第一笔\s*(?:订单|单)?|首笔订单|"
    r"第一次\s*(?:购买|下单|买东西|消费))"
)
_AVG_VALUE_ZH = (
    r"(?:平均|均)\s*(?:每单)?\s*(?:金额|是?多少钱|花\s*了?\s*多少(?:钱)?|消费\s*了?\s*多少(?:钱)?|"
    r"买\s*了?\s*多少钱|付\s*了?\s*多少(?:钱)?|值多少钱?|实付)"
)
_FIRST_VALUE = [
    (re.compile(rf"{_THEIR_ZH}{_FIRST_ZH}\s*(?:的)?\s*{_AVG_VALUE_ZH}"), "首单客单价"),
    (
        re.compile(
            r"\b(?:the\s+)?average\s+(?:value|amount|spend)\s+of\s+(?:their|the|a\s+customer's)\s+"
            r"(?:first|1st)\s+(?:order|invoice|purchase)s?\b|"
            r"\b(?:their|the)\s+(?:first|1st)\s+(?:order|invoice|purchase)'?s?\s+average\s+"
            r"(?:value|amount)\b|\baverage\s+(?:first|1st)[- ](?:invoice|purchase)\s+(?:value|amount)\b",
            re.IGNORECASE,
        ),
        "average first order value",
    ),
]


def read_first_value(question: str) -> tuple[str, list[str]]:
    """`question` with its first-order value phrase read as the catalog's, and what was read."""
    for pattern, reading in _FIRST_VALUE:
        m = pattern.search(question)
        if m is not None:
            said = f"read '{m.group(0).strip()}' as '{reading}'"
            return f"{question[: m.start()]} {reading} {question[m.end() :]}".strip(), [said]
    return question, []
