"""The words a question is asked with, around what it asks: "请问 / 麻烦查一下 / 我想知道 … 谢谢",
"Can you check …", "I'd like to know …", "Quick question: …", "Por favor, …". They say nothing of
the data; left in, they are unplaced (the question refused) or, worse, read as data ("check" is a
word of Online Retail's product titles: "Can you check sales in November" filtered the products).

Only a whole frame at the very start or the very end of the question is read away, and the answer
says so; a request verb inside the question (卖家 查 不到, "check" in a product's name after the
first words) is left to the engine. The question is not cut to nothing: a frame with nothing
after it stays as typed."""

from __future__ import annotations

import re

# Chinese: a request to the one asked (please / trouble you / help me look up / I want to know / the
# boss wants to see / tell me), said before the question; 一下 / 下 after the verb is spoken Chinese
_VERB_ZH = r"(?:查|看|统计|算|找|拉|搜|瞅|瞧)"
_ZH_START = re.compile(
    r"^\s*(?:"
    r"(?:请问|请|麻烦(?:你|您)?|劳驾|帮忙|能不能|能否|可不可以|可以)?\s*(?:帮我|帮忙|给我|替我)?\s*"
    # 查一下, 瞅一眼, 拉个数 / 拉一下数据 (pull the figures), or the verb said twice (瞅瞅, 查查)
    r"(?:"
    + _VERB_ZH
    + r"(?:一下|一眼|下(?![单过了面周个月季半午旬降滑跌架载线]))(?:数据|数(?![量字目额值]))?"
    r"|" + _VERB_ZH + r"个数(?:据)?(?![量字])|(?:查查|看看|瞅瞅|瞧瞧|算算|找找|搜搜))"
    r"|(?:我|老板|领导|老大|我们)?\s*(?:想|要|需要|希望)\s*(?:知道|了解|问问|问一下|问下|查一下|看一下|看看|"
    r"看下(?![单过了面周个月季半午旬降滑跌架载线])|查下(?![单过了面周个月季半午旬降滑跌架载线])|看(?!下))"
    r"|(?:请|能不能|能否|可以)?\s*(?:告诉我|跟我说|和我说|跟我讲)\s*(?:一下|说|下)?"
    r"|(?:请问一下|请问|麻烦(?:你|您)?|劳驾)"
    r")\s*[，,：:、]?\s*"
)
# said after the question: thanks, and the like
_ZH_END = re.compile(
    r"\s*[，,。.!！]?\s*(?:谢谢(?:啦|了|你|您)?|多谢|感谢|辛苦(?:了|啦)?|麻烦(?:了|你了|您了)|thx|thanks)\s*[!！。.~～]*\s*$",
    re.IGNORECASE,
)
# English and Portuguese: a request before the question, thanks / please after it
_EN_START = re.compile(
    r"^\s*(?:"
    r"(?:hi|hey|hello)[,!]?\s+"
    r")?(?:"
    r"(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?(?:check|tell\s+me|show\s+me|find(?:\s+out)?|look\s+up|"
    r"pull(?:\s+up)?|give\s+me|let\s+me\s+know|work\s+out|figure\s+out|get\s+me)(?:\s+for\s+me)?"
    r"|please\s+(?:check|tell\s+me|show\s+me|find(?:\s+out)?|look\s+up|let\s+me\s+know|give\s+me)"
    r"|(?:pull\s+up|look\s+up|let\s+me\s+(?:see|know)|help\s+me\s+(?:find|see|check))"
    # "Check sales last month": the verb said first, before what is asked (never "check bags
    # sold": a product word of Online Retail's titles — only before a question's own words)
    r"|(?:(?:quickly|just|double)[\s-]+)?check(?:\s+(?:on|out))?"
    r"(?=\s*[,:;\-–—]?\s+(?:the|our|my|how|what|which|who|when|where|whether|if|total|sales|revenue|orders|"
    r"invoices|number|average|last|this|in|for|monthly|weekly|daily|\d))"
    r"|(?:i'?d|i\s+would)\s+like\s+to\s+(?:know|see|find\s+out)"
    r"|i\s+(?:want|need|wanna)\s+to\s+(?:know|see|find\s+out)"
    r"|i\s+(?:wonder|was\s+wondering)"
    r"|(?:do\s+you\s+know|any\s+idea)"
    r"|quick\s+question"
    r"|por\s+favor|me\s+(?:diga|diz|fala|mostra|mostre)"
    r"|(?:voc[eê]|vc)\s+(?:pode|poderia)\s+(?:me\s+)?(?:dizer|informar|mostrar|ver|checar|verificar)"
    r"|(?:eu\s+)?(?:gostaria|queria)\s+de\s+saber"
    r")\s*[,:;\-–—]?\s*",
    re.IGNORECASE,
)
_EN_END = re.compile(
    r"(?:\s*[,.;]?\s*(?:please|thanks|thank\s+you|thx|cheers|por\s+favor|obrigad[oa])"
    r"|(?:\s*[,.;]\s*|\s+please\s+)(?:double[\s-]+)?check(?:\s+(?:it|that|this|please))?)"
    r"\s*[.!?]*\s*$",
    re.IGNORECASE,
)


def without_requests(question: str) -> tuple[str, list[str]]:
    """`question` without the request words said before and after it, and those words."""
    said: list[str] = []
    text = question
    for pattern in (_ZH_START, _EN_START):
        m = pattern.match(text)
        if m and text[m.end() :].strip(" ?？.。!！"):
            said.append(m.group(0).strip())
            text = text[m.end() :]
            break
    for pattern in (_ZH_END, _EN_END):
        m = pattern.search(text)
        if m and text[: m.start()].strip(" ?？.。!！，,"):
            keep = m.group(0)
            tail = re.search(r"[?？]\s*$", keep)
            said.append(keep.strip(" ,，。.!！~～?？"))
            text = text[: m.start()] + (tail.group(0).strip() if tail else "")
            break
    text = text.strip()
    if not text or text == question.strip():
        return question, []
    return text, [w for w in said if w]
