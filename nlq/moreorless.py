"""How much more (or less) than another period, said in everyday words, read as the change the
engine already answers:

- "多卖了还是少卖了多少钱", "多赚了还是少赚了多少": either way round is the signed change — read as
  "多卖了多少钱" (the answer says the sign); "多了还是少了" alone is the engine's own reading;
- "哪个州8月比7月多出来的买家最多", "11月哪个国家比10月多卖的钱最多": the most MORE than the period
  compared with ranks by the change — read as "比7月 买家 增长最多" (the growth ranking); "少了的 …
  最多" as "下降最多".

And the people ranked by how many different things they bought, said in everyday words:
"今年买过的货种类最多的客户是谁", "买过最多不同商品的客户", "which customer bought the most different
products" — read as the catalog's distinct count (商品数最多的客户, customers with the most distinct
products), never the products ranked by their buyers.

Each rewrite is said in the answer ("read '…' as '…'"). A question with no such phrase is left
as it is; what the rewritten question cannot place is still refused by the engine.
"""

from __future__ import annotations

import re

# "多卖了还是少卖了", "多赚了还是少赚了": either direction asked, with its verb
_EITHER_WAY = re.compile(
    r"(?:是\s*)?(?P<more>多|涨|增加|增长|上升|高)\s*(?P<verb>卖|赚|收|花|进账|买)?\s*了\s*"
    r"(?:还是|或是|或者|或)\s*(?:少|跌|减少|下降|降|低)\s*(?P=verb)?\s*了\s*"
)
# "比7月多出来的买家最多", "比10月多卖的钱最多", "比上个月少了的订单最多": the change ranked
_MOST_MORE = re.compile(
    r"(?P<than>比\s*[^，,。；;？?!！比]{1,10}?)\s*(?P<way>多|少)\s*(?:出来|出)?\s*(?P<verb>卖|赚|买|花)?"
    r"\s*了?\s*的?\s*(?P<what>[^，,。；;？?!！最]{1,8}?)\s*(?:是)?\s*最\s*多"
)
_WHAT_OF_VERB = {"卖": "销售额", "赚": "销售额", "花": "消费金额", "买": "订单数"}
_MONEY = re.compile(r"^(?:的)?(?:钱|金额|营业额|销售额)?$")


# "货种类最多的客户", "商品种数最多的3个买家": the people ranked by their distinct products
_KINDS_MOST_ZH = re.compile(
    r"(?:货|商品|产品|东西|单品)\s*(?:的)?\s*(?:种类|种数|品种数?)(?=\s*(?:最多|最少)\s*的\s*"
    r"(?:[\d一二两三四五六七八九十]+\s*(?:个|位|名)\s*)?(?:客户|买家|顾客|客人|会员))"
)
# "买过最多不同商品的客户": the same, the most said before the things
_MOST_KINDS_ZH = re.compile(
    r"(?:买过|买了|买|购买过|购买了)\s*最多\s*(?:种|款)?\s*(?:不同|不一样)\s*的?\s*"
    r"(?:货|商品|产品|东西|单品)\s*的\s*(?=(?:[\d一二两三四五六七八九十]+\s*(?:个|位|名)\s*)?"
    r"(?:客户|买家|顾客|客人|会员))"
)
_MOST_KINDS_EN = re.compile(
    r"\b(?P<who>customers?|buyers?|clients?|shoppers?)\s+(?:who\s+|that\s+)?(?:has\s+|have\s+)?"
    r"(?:bought|purchased|ordered)\s+the\s+(?P<way>most|fewest)\s+(?P<kind>different|distinct|unique)\s+"
    r"(?P<what>products|items|categories)\b",
    re.IGNORECASE,
)

_DIFFERENT_EN = re.compile(
    r"\b(?P<way>most|fewest)\s+(?:different|unique)\s+(?P<what>products|items|categories)\b",
    re.IGNORECASE,
)


def read_kinds_bought(question: str) -> tuple[str, list[str]]:
    """`question` with "the most different things bought" said of people read as their distinct
    count, and what was read."""
    said: list[str] = []
    for pattern, new in ((_KINDS_MOST_ZH, "商品数"), (_MOST_KINDS_ZH, "商品数最多的")):
        m = pattern.search(question)
        if m is not None:
            said.append(f"read '{m.group(0).strip()}' as '{new}' (each one's distinct products)")
            question = f"{question[: m.start()]}{new}{question[m.end() :]}"
    m = _MOST_KINDS_EN.search(question)
    if m is not None:
        new = f"{m.group('who')} with the {m.group('way')} distinct {m.group('what')}"
        said.append(f"read '{m.group(0)}' as '{new}' (each one's distinct count)")
        question = f"{question[: m.start()]}{new}{question[m.end() :]}"
    m = _DIFFERENT_EN.search(question)
    if m is not None:  # "the customer with the most different products": distinct ones
        new = f"{m.group('way')} distinct {m.group('what')}"
        said.append(f"read '{m.group(0)}' as '{new}'")
        question = f"{question[: m.start()]}{new}{question[m.end() :]}"
    return question, said


def read_more_or_less(question: str) -> tuple[str, list[str]]:
    """`question` with its more-or-less phrase read as the engine's change words, and what was
    read (nothing when it has none)."""
    said: list[str] = []
    m = _EITHER_WAY.search(question)
    if m is not None and m.group("verb"):  # "多了还是少了" alone: the engine's own reading
        new = f"多{m.group('verb')}了"
        said.append(
            f"read '{m.group(0).strip()}' as '{new}' (the signed change answers either way)"
        )
        question = f"{question[: m.start()]}{new}{question[m.end() :]}"
    m = _MOST_MORE.search(question)
    if m is not None:
        what = m.group("what").strip()
        verb = m.group("verb")
        if verb and _MONEY.match(what):
            what = _WHAT_OF_VERB[verb]
        elif verb or not what:
            return question, said  # "比10月多卖的件数最多": left to the engine's own reading
        what = re.sub(r"^的\s*", "", what)
        way = "增长最多" if m.group("way") == "多" else "下降最多"
        new = f"{m.group('than').strip()} {what}{way}"
        said.append(f"read '{m.group(0).strip()}' as '{new}' (ranked by the change)")
        question = f"{question[: m.start()]} {new} {question[m.end() :]}"
    return question, said
