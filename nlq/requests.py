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
    r"(?:请问|请|麻烦(?:你|您)?|劳驾|帮忙|能不能|能否|可不可以|可以)?\s*(?:你|您)?\s*(?:帮我|帮忙|给我|替我)?\s*"
    # 查一下, 瞅一眼, 拉个数 / 拉一下数据 (pull the figures), or the verb said twice (瞅瞅, 查查)
    r"(?:"
    + _VERB_ZH
    + r"(?:一下|一眼|下(?![单过了面周个月季半午旬降滑跌架载线]))(?:数据|数(?![量字目额值]))?"
    r"|" + _VERB_ZH + r"个数(?:据)?(?![量字])|(?:查查|看看|瞅瞅|瞧瞧|算算|找找|搜搜))"
    r"|(?:我|老板|领导|老大|我们)?\s*(?:想|要|需要|希望)\s*(?:知道|了解|确认一下|确认下|确认|问问|问一下|问下|查一下|看一下|看看|"
    r"看下(?![单过了面周个月季半午旬降滑跌架载线])|查下(?![单过了面周个月季半午旬降滑跌架载线])|看(?!下))"
    r"|(?:请|能不能|能否|可以)?\s*(?:告诉我|跟我说|和我说|跟我讲)\s*(?:一下|说|下)?"
    r"|(?:请问一下|请问|麻烦(?:你|您)?|劳驾)"
    r")\s*[，,：:、]?\s*"
)
# said after the question: thanks, and the like; and, after a comma, a remark on the figure asked
# for ("…有多少，多不多" / "…，是不是挺多的" / "，算高吗"): the figure answers it, the data holds no
# measure of "many" (never read without the comma: "多不多" alone is the question)
_ZH_END = re.compile(
    r"\s*[，,。.!！]?\s*(?:谢谢(?:啦|了|你|您)?|多谢|感谢|辛苦(?:了|啦)?|麻烦(?:了|你了|您了)|thx|thanks)\s*[!！。.~～]*\s*$"
    r"|\s*[，,]\s*(?:(?:是不是|算不算|会不会|是否)\s*(?:挺|很|太|比较|特别|算)?\s*(?:多|高|少|低|大|贵)(?:的)?(?:啊|呢|吧)?"
    r"|(?:挺|很|太|比较|算)\s*(?:多|高|少|低|大|贵)(?:的)?\s*(?:吗|吧|嘛)"
    r"|(?:多不多|高不高|少不少|低不低|大不大|贵不贵)(?:啊|呢|呀)?)\s*[?？!！。.~～]*\s*$",
    re.IGNORECASE,
)
# asked as "can you find …?": 能查到 / 能不能查出 / 可以看到 … 吗 around the question
_ZH_CAN = re.compile(
    r"^\s*(?:能|能不能|可以|可不可以|能否)\s*(?:帮我|给我)?\s*(?:查到|查得到|查出来|查出|看到|看得到)\s*(?:一下)?"
    r"(?P<asked>.+?)\s*吗\s*[?？]?\s*$"
)
# a topic said first and set off ("上个月的话，SP那边 多少单", "订单这块，…", "关于退款，…"): the marks
# set it off, the topic itself stays; a topic said again later ("买家这块，MG州的买家 …") is read
# once, where the question says it again
_TOPIC_AFTER = re.compile(
    r"(?:^|(?<=[，,\s]))(?P<topic>[^\s，,：:]{1,12}?)(?:的话|这块儿?|这边|那边|方面)\s*(?:[，,：:]\s*|\s+)"
)
_TOPIC_BEFORE = re.compile(
    r"^\s*(?:关于|说到|至于|讲到)\s*(?P<topic>[^\s，,：:]{1,12})\s*[，,：:]\s*"
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


def without_topic_marks(question: str) -> tuple[str, list[str]]:
    """`question` without the marks that set off a topic said first (的话 / 这块 / 那边 / 关于 …),
    and those marks; the topic stays, or is dropped when the question says it again."""
    said: list[str] = []
    text = question
    m = _TOPIC_BEFORE.match(text)
    if m:
        rest = text[m.end() :]
        topic = m.group("topic")
        said.append(m.group(0).strip(" ，,：:"))
        text = rest if topic in rest else f"{topic} {rest}"
    while True:
        m = _TOPIC_AFTER.search(text)
        if not m or not text[m.end() :].strip(" ?？.。!！"):
            break
        topic = m.group("topic")
        said.append(m.group(0).strip(" ，,：:"))
        rest = text[m.end() :]
        text = text[: m.start()] + ("" if topic in rest else f"{topic} ") + rest
    return text, said


def without_requests(question: str) -> tuple[str, list[str]]:
    """`question` without the request words said before and after it, and those words."""
    said: list[str] = []
    text = question
    m = _ZH_CAN.match(text)
    if m and m.group("asked").strip(" ?？.。!！，,"):
        said.append(text[: m.start("asked")].strip() + " … " + text[m.end("asked") :].strip())
        text = m.group("asked")
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
    text, topics = without_topic_marks(text.strip())
    said += topics
    text = text.strip()
    if not text or text == question.strip():
        return question, []
    return text, [w for w in said if w]
