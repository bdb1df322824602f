"""New and returning customers named side by side in spoken forms, read as the words the engine
splits a figure by (新客和老客: `new_vs_returning`, each kind's orders in the period):

    上个月的营业额拆成首次购买的客户和回头客户两块   → 上个月的营业额 按新客和老客拆开
    first-time and returning customers                → new and returning customers

A question typed with spaces between its Chinese words is read the same ("首次 购买 的 客户 和
回头 客户"). Only a new kind beside a returning kind is read; each side alone is left as it is.
"""

from __future__ import annotations

import re


def _spaced(*words: str) -> str:
    """An alternation of `words`, each allowed spaces typed between its characters."""
    return "(?:" + "|".join(r"\s*".join(map(re.escape, w)) for w in words) + ")"


_PEOPLE = ("客户", "买家", "顾客", "用户", "会员", "客人")
_NEW = _spaced(
    "新客户", "新客", "新买家", "新顾客", "新用户", "首购客户", "首单客户",
    *(f"{a}{d}{p}" for a in ("首次购买", "第一次购买", "第一次买", "第一次来买", "首次下单", "第一次下单", "首购") for d in ("的", "") for p in _PEOPLE),
)  # fmt: skip
_RETURNING = _spaced(
    "老客户", "老客", "老买家", "老顾客", "老用户", "回头客户", "回头客",
    *(f"回头{d}{p}" for d in ("的",) for p in _PEOPLE),
)  # fmt: skip
_AND = r"\s*(?:和|与|跟|及|以及|还有|、|/|vs\.?|对比)\s*"
_SPLIT = _spaced("拆成", "分成", "拆分成", "拆分为", "分为", "切成", "划分成", "划分为")
_PARTS = _spaced("两块", "两部分", "两类", "两组", "两拨", "两种", "两半", "两个部分")
_PAIR_ZH = re.compile(rf"(?P<split>{_SPLIT}\s*)?{_NEW}{_AND}{_RETURNING}(?P<parts>\s*{_PARTS})?")
_PAIR_EN = re.compile(
    r"\bfirst[- ]time(?: customers| buyers| shoppers)? (and|vs\.?|versus) returning "
    r"(customers|buyers)\b",
    re.IGNORECASE,
)


def read_buyer_kinds(question: str) -> tuple[str, list[str]]:
    """`question` with new and returning customers said side by side read as 新客和老客 (split by
    them when 拆成 / 分成 … 两块 says so), and what was read."""
    m = _PAIR_ZH.search(question)
    if m is not None:
        new = "按新客和老客拆开" if m.group("split") or m.group("parts") else "新客和老客"
        if re.sub(r"\s+", "", m.group(0)) == new:
            return question, []
        said = f"read '{m.group(0).strip()}' as '{new}'"
        return f"{question[: m.start()]} {new} {question[m.end() :]}".strip(), [said]
    m = _PAIR_EN.search(question)
    if m is not None:
        new = f"new {'and' if m.group(1).lower() == 'and' else 'vs'} returning {m.group(2).lower()}"
        said = f"read '{m.group(0)}' as '{new}'"
        return f"{question[: m.start()]}{new}{question[m.end() :]}", [said]
    return question, []
