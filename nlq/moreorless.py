"""How much more (or less) than another period, said in everyday words, read as the change the
engine already answers:

- "多卖了还是少卖了多少钱", "多赚了还是少赚了多少": either way round is the signed change — read as
  "多卖了多少钱" (the answer says the sign); "多了还是少了" alone is the engine's own reading;
- "哪个州8月比7月多出来的买家最多", "11月哪个国家比10月多卖的钱最多": the most MORE than the period
  compared with ranks by the change — read as "比7月 买家 增长最多" (the growth ranking); "少了的 …
  最多" as "下降最多".

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
