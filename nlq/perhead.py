"""人均 said right after an entity the catalog averages over (a countable with `per_ratio`:
sellers): "今年 卖家 人均 销售额 多少" is the sales per seller (sales / sellers), as "sales per
seller" and "平均每个卖家销售额" are — not each seller's sales per buyer (人均 alone is per buyer),
which was answered as 2,384 rows to a question asking one figure.

The words come from the catalog (the countable's Chinese `words`); the rewrite is said in the
answer ("read '…' as '…'"). An each-word before the entity keeps the split ("每个卖家人均消费":
each seller's spend per buyer), as does a 的 between them ("卖家的人均消费").
"""

from __future__ import annotations

import re
from typing import Any

# an each / split word right before the entity: 每个卖家人均, 各卖家人均, 按卖家人均, 分卖家
_EACH_BEFORE = re.compile(r"(?:每|各|按|分|哪)\s*(?:一)?\s*(?:个|家|位)?\s*$")


def _entity_words(catalog: Any) -> list[str]:
    words: list[str] = []
    for m in (getattr(catalog, "measurables", None) or {}).values():
        if getattr(m, "kind", "") != "count" or not getattr(m, "per_ratio", False):
            continue
        words += [w for w in getattr(m, "words", []) or [] if w and not w.isascii()]
    return sorted(set(words), key=len, reverse=True)


def read_per_head(question: str, catalog: Any) -> tuple[str, list[str]]:
    """`question` with "<entity> 人均" read as "平均每个<entity>", and what was read."""
    if "人均" not in question:
        return question, []
    words = _entity_words(catalog)
    if not words:
        return question, []
    pattern = re.compile(rf"({'|'.join(map(re.escape, words))})\s*人均")
    said: list[str] = []
    out, at = [], 0
    for m in pattern.finditer(question):
        if _EACH_BEFORE.search(question[: m.start()]):
            continue
        new = f"平均每个{m.group(1)}"
        said.append(f"read '{m.group(0)}' as '{new}' (人均 of {m.group(1)}: per one of them)")
        out.append(question[at : m.start()] + new)
        at = m.end()
    if not said:
        return question, []
    return "".join(out) + question[at:], said
