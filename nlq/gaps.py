"""The time between a person's purchases said in spoken forms, read as the catalog's two gap
durations (measurables.yaml): `repurchase_days` (复购间隔天数: first paid order → second) and
`purchase_gap_days` (购买间隔天数: each paid order → the next, every repeat order).

- first → second when the question names a first and a second purchase (第一单 … 第二单, 首单到二单,
  1st and 2nd invoice, come back for a 2nd order): "两次购买之间 间隔 (第一单到第二单)",
  "隔多少天买的第二单", "第一次 到 第二次 购买 隔的天数";
- otherwise each purchase to the next: "平均隔多少天买一次", "多久来买一次", "两次购买之间平均隔几天",
  "how many days pass between a customer's purchases", "between one purchase and the next";
- the repeat buyers named beside such a gap (回头客 / 老客 / repeat customers) are the people the
  gap exists for (a gap needs two purchases): no set of people of its own, left out.

Each rewrite is said in the answer ("read '…' as '…'"). A question with no gap phrase is left as
it is; what the rewritten question cannot place is still refused by the engine.
"""

from __future__ import annotations

import re

_FIRST = re.compile(r"第一单|首单|第一次|第一张|头一单|\b(?:1st|first)\b", re.IGNORECASE)
_SECOND = re.compile(r"第二单|第二次|第二张|二单|\b(?:2nd|second)\b", re.IGNORECASE)
_DAYS = r"(?:多少\s*天|几\s*天|多久|多长时间|多少\s*日)"  # 隔 几 天: typed with spaces too
_BUY = r"(?:买|购买|下单|开票|开发票|购物|下|回购|复购|光顾|消费|来买|来)"

# a person's first and last purchase, their n-th, and each one next to the other, said with the
# words a person counts them in (第一张 / 头一单 / 最后一次买东西: invoices, orders, times)
_UNIT = r"\s*(?:张|次|单|笔|回)\s*(?:发票|订单|购买|下单|开票|买东西|买货|买)?"
_FIRST_W = rf"(?:从\s*)?(?:第\s*一|头\s*一|首){_UNIT}"
_LAST_W = rf"(?:最后|末|最近|最新)\s*一?{_UNIT}"
_NTH_W = {
    "三": "三",
    "四": "四",
    "五": "五",
    "3": "三",
    "4": "四",
    "5": "五",
}  # 第二: the repurchase
_HOW_LONG = (
    r"\s*(?:之间)?\s*的?\s*(平均|最长|最久|最大|最多|最短|最小|最少)?\s*(?:相隔|间隔|隔|跨|花)\s*(?:了|得)?\s*的?\s*"
    r"(?:多少天|几天|多久|多长时间|多少日|天数)"
)
# "从第一张到最后一张发票 平均跨了多少天", "头一单和最后一单平均相隔几天": the first-to-last span
_SPAN = re.compile(rf"{_FIRST_W}\s*(?:到|至|和|与|跟)\s*{_LAST_W}{_HOW_LONG}")
# "从第一次到第三次平均隔了多少天", "从头一张到第五张 平均花了多少天": first to the n-th
_FIRST_NTH = re.compile(rf"{_FIRST_W}\s*(?:到|至|和|与|跟)\s*第\s*([三四五3-5]){_UNIT}{_HOW_LONG}")
# "第一张到第二张发票隔得最久的是几天", "头一单和第二单平均隔几天": first to second in a person's
# words, and which figure of them (the longest, the shortest, the average)
_FIRST_SECOND_W = re.compile(
    rf"{_FIRST_W}\s*(?:到|至|和|与|跟)\s*第\s*[二2]{_UNIT}\s*(?:之间)?\s*的?\s*"
    rf"(最长|最久|最大|最短|最小|平均|最多|最少|中位数|中位)?\s*(?:相隔|间隔|隔)\s*(?:了|得)?\s*"
    rf"(最长|最久|最大|最短|最小|平均)?\s*的?\s*(?:是)?\s*(?:{_DAYS}|天数)"
)
# "相邻两次下单之间最长隔了多少天", "两次开票之间隔得最久": each purchase to the next, and which
# figure of them (the longest, the shortest, the average); never "…隔得最久的客户" (who, not how long)
_ADJACENT = re.compile(
    rf"(?:相邻|连续|前后)\s*的?\s*两\s*[次回]\s*{_BUY}?\s*(?:之间)?\s*的?\s*"
    rf"(最长|最久|最大|最短|最小|平均)?\s*(?:间隔|相隔|隔)?\s*(?:得|了)?\s*"
    rf"(最长|最久|最大|最短|最小|平均)?\s*(?:{_DAYS}|的?天数)?(?!\s*的?\s*(?:客户|人|买家|顾客|用户))"
)
# the person asked for ("… 隔得最久的客户是谁", "哪个客户 …"): a gap read as one figure would drop them
_WHO = re.compile(
    r"是\s*谁|哪\s*(?:个|位|些|一位|一个)\s*(?:客户|买家|顾客|用户|人|会员)|\bwho\b", re.IGNORECASE
)
# the first-to-last span is a person's (首单到最后一单天数) only when people are said beside it (客户,
# 买家, 回头客, 买过两次以上, 平均 over them); "每个国家从第一张发票到最后一张跨了多少天" is the country's
# own span of invoices, not its customers' average: left unplaced (refused), never read as theirs
# people said (or their average): a first-to-last span is then theirs, not a group's own
# (每个国家 从第一张到最后一张 is the country's); offline._refuse_span_of_a_group reads it too
PEOPLE_SAID = re.compile(
    r"客|买家|顾客|用户|会员|人|复购|回购|买过|下过|平均|中位|均"
    r"|\b(?:customers?|buyers?|clients?|people|persons?|shoppers?|repeat|returning|repurchase|"
    r"average|avg|mean|median|typical)",
    re.IGNORECASE,
)
_FIGURE = {
    "最长": "最大",
    "最久": "最大",
    "最大": "最大",
    "最短": "最小",
    "最小": "最小",
    "平均": "平均",
    "最多": "最大",  # 第一张到第二张最多隔几天: the longest
    "最少": "最小",
    "中位数": "中位数",  # 第一张到第二张发票 中位数 隔几天: the median (A, session 41)
    "中位": "中位数",
}


def _ordinals(question: str) -> tuple[str, list[str]]:
    """The first-to-last span, the first-to-n-th days and each gap between neighbouring purchases
    said in a person's own words, as the catalog's words for them (each said)."""
    for pattern, reading in (
        (_SPAN, lambda m: f"{_FIGURE.get(m.group(1) or '', '')}首单到最后一单天数"),
        (
            _FIRST_NTH,
            lambda m: f"第一单到第{_NTH_W[m.group(1)]}单{_FIGURE.get(m.group(2) or '', '')}隔几天",
        ),
        (
            _FIRST_SECOND_W,
            lambda m: f"{_FIGURE.get(m.group(1) or m.group(2) or '', '')}复购间隔天数",
        ),
        (
            _ADJACENT,
            lambda m: f"{_FIGURE.get(m.group(1) or m.group(2) or '', '')}购买间隔天数",
        ),
    ):
        m = pattern.search(question)
        if m is not None and pattern is _SPAN and not PEOPLE_SAID.search(question):
            return question, []  # 每个国家 从第一张到最后一张: the country's own span, not people's
        if (
            m is not None
            and pattern is _SPAN
            and re.search(r"最近|最新", m.group(0))
            and not re.search(r"张|头|笔|次|回", m.group(0))
        ):
            m = None  # 首单到最近一单: the catalog's own words (read with the people said beside it)
        if (
            m is not None
            and pattern is _FIRST_SECOND_W
            and not re.search(r"张|头|笔|次|回", m.group(0))
        ):
            m = None  # 第一单到第二单: the catalog's own words (its between-phrase reads them);
            # 第一次到第二次 / 头一回跟第二回 are not (the catalog's 第一次 needs 购买/下单/买 after it)
        if m is not None and reading(m) != m.group(0).strip():  # 第一单到第三单…隔几天: as it is
            new = reading(m)
            said = f"read '{m.group(0).strip()}' as '{new}'"
            return f"{question[: m.start()]} {new} {question[m.end() :]}", [said]
    return question, []


# each purchase to the next
_EACH: list[tuple[re.Pattern[str], str]] = [
    # 平均隔多少天买一次, 隔多久来一次, 隔几天下一单
    (
        re.compile(
            rf"隔\s*了?\s*{_DAYS}\s*(?:(?:才|会|就|要)\s*){{0,2}}再?\s*{_BUY}\s*(?:一次|一单|一回)"
        ),
        "购买间隔天数",
    ),
    # 多久买一次, 多长时间来买一次
    (re.compile(rf"(?:多久|多长时间)\s*才?\s*{_BUY}\s*(?:一次|一单|一回)"), "购买间隔天数"),
    # 两次购买之间 (平均) 隔几天 / 间隔
    (
        re.compile(
            rf"两\s*[次回]\s*{_BUY}?\s*之间\s*的?\s*(?:间隔|相隔)?\s*(平均)?\s*(?:隔|间隔|相隔)?\s*了?\s*"
            rf"(?:{_DAYS}|的?天数)?"
        ),
        r"\1购买间隔天数",
    ),
    (
        re.compile(
            r"\b(?:how\s+many\s+)?days?\s+(?:pass(?:es|ed)?|go(?:es)?\s+by|elapse[sd]?)\s+between\s+"
            r"(?:a\s+|each\s+|the\s+)?(?:customer|buyer|person|client)'?s?\s+(?:purchases|orders)\b",
            re.IGNORECASE,
        ),
        "days between purchases",
    ),
    # "how many days pass between two invoices from the same Dutch customer": each one to the
    # next of one person (the word before the person stays: a value of theirs)
    (
        re.compile(
            r"\b(?:how\s+many\s+)?days?\s+(?:pass(?:es|ed)?|go(?:es)?\s+by|elapse[sd]?|are\s+there)\s+"
            r"between\s+(?:two|consecutive|successive|back-to-back)\s+(?:consecutive\s+|successive\s+)?"
            r"(?:invoices|orders|purchases)\s+(?:from|of|by)\s+the\s+same\s+([a-z]+\s+)"
            r"(?:customer|buyer|client|person)\b",
            re.IGNORECASE,
        ),
        r"days between purchases of \1customers",
    ),
    (
        re.compile(
            r"\b(?:how\s+many\s+)?days?\s+(?:pass(?:es|ed)?|go(?:es)?\s+by|elapse[sd]?|are\s+there)\s+"
            r"between\s+(?:two|consecutive|successive|back-to-back)\s+(?:consecutive\s+|successive\s+)?"
            r"(?:invoices|orders|purchases)\s+(?:from|of|by)\s+the\s+same\s+"
            r"(?:customer|buyer|client|person)\b",
            re.IGNORECASE,
        ),
        "days between purchases",
    ),
    # "the average number of days between a customer's orders"
    (
        re.compile(
            r"\b(?:number\s+of\s+)?days\s+between\s+(?:a|each|the|every)\s+(?:customer|buyer|person|"
            r"client)'?s?\s+(?:orders|purchases|invoices)\b",
            re.IGNORECASE,
        ),
        "days between purchases",
    ),
    (
        re.compile(
            # "how many days on average between one order and the next", "days from one invoice
            # to the next" (A, session 41: the average said between is the gap's own)
            r"\b(?:number\s+of\s+)?days(?:\s*,?\s*on\s+(?:average|avg)\s*,?)?\s+(?:between|from)\s+"
            r"(?:one|a|each)\s+(?:purchase|order|invoice)\s+(?:and|to)\s+"
            r"the\s+next(?:\s+(?:one|purchase|order|invoice))?(?:\s+(?:for|of|by)\s+the\s+same\s+"
            r"(?:customer|buyer|person))?",
            re.IGNORECASE,
        ),
        "days between purchases",
    ),
]
# first → second, the second purchase named by the phrase itself
_SECOND_NAMED: list[tuple[re.Pattern[str], str]] = [
    # 隔多少天买的第二单, 隔了几天才下第二单
    (
        re.compile(
            rf"隔\s*了?\s*{_DAYS}\s*(?:(?:才|会|就|要)\s*){{0,2}}再?\s*(?:(?:{_BUY}|开)\s*){{0,2}}的?\s*"
            r"(?:第二单|第二次|第二\s*(?:张|笔)\s*(?:单|订单|发票)?)"
        ),
        "复购间隔天数",
    ),
    (
        re.compile(
            r"\bhow\s+long\s+(?:until|till|til|before)\s+(?:people|customers|buyers|ppl|they)\s+"
            r"come\s+back\s+for\s+(?:a|their)\s+(?:2nd|second)\s+(?:order|purchase)\b",
            re.IGNORECASE,
        ),
        "days to second order",
    ),
]
# "… to come back for a second order", "… to buy a second time", "… to place their 2nd order"
_TO_SECOND_EN = (
    r"(?:come\s+back\s+(?:for|with|to\s+(?:make|place|buy))\s+(?:a|their)\s+(?:2nd|second)\s+"
    r"(?:order|purchase|time)|come\s+back\s+(?:and\s+buy\s+)?a\s+(?:2nd|second)\s+time|"
    r"(?:buy|order|purchase|shop)\s+(?:again\s+)?(?:for\s+)?a\s+(?:2nd|second)\s+time|"
    r"(?:make|place|put\s+in)\s+(?:a|their)\s+(?:2nd|second)\s+(?:order|purchase))"
)
_ON_AVERAGE_EN = r"(?:,?\s*on\s+(average|avg)\s*,?)?"
_SECOND_EN: list[tuple[re.Pattern[str], str]] = [
    # "how long did this year's new customers take, on average, to come back for a second
    # order": the people said between did and take are whose first-to-second days are asked
    (
        re.compile(
            rf"\bhow\s+(?:long|many\s+days)\s+did\s+(?!it\b)((?:(?!\btake\b).){{1,80}}?)\s+take"
            rf"{_ON_AVERAGE_EN}\s+to\s+{_TO_SECOND_EN}\b",
            re.IGNORECASE,
        ),
        r"\2 days to second order of \1",
    ),
    # "how many days did it take, on average, for customers who first bought in Q2 to buy a
    # second time"
    (
        re.compile(
            rf"\bhow\s+(?:long|many\s+days)\s+did\s+it\s+take{_ON_AVERAGE_EN}\s+for\s+"
            rf"((?:(?!\bto\b).){{1,80}}?)\s+to\s+{_TO_SECOND_EN}\b",
            re.IGNORECASE,
        ),
        r"\1 days to second order of \2",
    ),
]
_SECOND_NAMED += _SECOND_EN
# first → second
_FIRST_SECOND: list[tuple[re.Pattern[str], str]] = [
    # 多久回购一次 (首单到第二单)
    (
        re.compile(rf"(?:多久|多长时间|隔{_DAYS})\s*才?\s*(?:回购|复购|再买|买)\s*一次"),
        "复购间隔天数",
    ),
    # 两次购买之间 间隔 … (第一单到第二单): the two purchases are the first two
    (
        re.compile(
            rf"两\s*[次回]\s*{_BUY}?\s*之间\s*的?\s*(?:间隔|相隔)?\s*(平均)?\s*(?:隔|间隔|相隔)?\s*了?\s*"
            rf"(?:{_DAYS}|的?天数)?"
        ),
        r"\1复购间隔天数",
    ),
    # 第一次 到 第二次 购买 隔的天数
    (
        re.compile(
            rf"第一次\s*{_BUY}?\s*(?:到|至|和|与)\s*第二次\s*{_BUY}?\s*(?:之间)?\s*的?\s*"
            rf"(?:隔|间隔|相隔)\s*(?:了)?\s*的?\s*(?:{_DAYS}|天数)"
        ),
        "复购间隔天数",
    ),
    (
        re.compile(
            r"\b(?:how\s+many\s+)?days?\s+(?:pass(?:es|ed)?|go(?:es)?\s+by|elapse[sd]?)\s+between\s+"
            r"(?:a\s+|each\s+|the\s+)?(?:customer|buyer|person|client)'?s?\s+(?:1st|first)\s+and\s+"
            r"(?:2nd|second)\s+(?:invoices?|orders?|purchases?)\b",
            re.IGNORECASE,
        ),
        "days between first and second purchase",
    ),
]
_RESTATED = re.compile(
    r"[(（]\s*(?:第一单|首单|第一次(?:购买)?)\s*(?:到|至|和)\s*(?:第二单|二单|第二次(?:购买)?)\s*[)）]"
)
_GAP_READ = re.compile(
    r"复购间隔|购买间隔|首单到最后一单天数|第一单到第[三四五]单|days between|days to second",
    re.IGNORECASE,
)
# one and the same person said of a gap between purchases (同一个客户的第一张和最后一张发票, 同一位买家
# 两次购买之间): every gap is one person's own already
_SAME_PERSON = re.compile(
    r"(?:同\s*一\s*(?:个|位|名)?|同\s*个)\s*(?:客户|买家|顾客|用户|会员|人)\s*(?:的)?"
)
# the repeat buyers the gap is of, said beside it
_REPEAT_PEOPLE = re.compile(
    r"(?:回头客|老客户|老客|复购客户|复购的客户|复购用户)(?:们)?\s*的?|"
    r"(?:\b(?:among|amongst)\s+(?:the\s+|our\s+)?)?\b(?:repeat|returning)\s+(?:customers|buyers)(?:'|'s)?",
    re.IGNORECASE,
)


# the repurchase gap said bare (回购间隔, 复购周期, "repurchase interval"): the catalog's first →
# second; of people chosen by a count of their orders of three or more (下单不少于5次的客户, 刚好
# 来过3次, "customers with at least 5 orders") it is each purchase to the next — a person with five
# orders has four gaps, not one (A, session 42). At least two (买过两次以上: the repeat buyers) keeps
# first → second.
_BARE_REPEAT_GAP = re.compile(
    r"(?:复购|回购)\s*(?:间隔|周期)(?:\s*天数)?|\b(?:repurchase|repeat[- ]purchase|reorder)\s+"
    r"(?:intervals?|gaps?|cycles?)\b",
    re.IGNORECASE,
)
_COUNT_N = r"(\d+|[二两三四五六七八九十]+|two|three|four|five|six|seven|eight|nine|ten)"
_MANY_ORDERS: list[tuple[re.Pattern[str], int]] = [
    # at least N (至少 / 不少于 / 起码 … N次, N次及以上, at least N orders, N or more orders): N ≥ 3
    (
        re.compile(
            rf"(?:至少|不少于|不低于|最少|起码)\s*(?:下单|下过|下了|买过|买了|购买过|来过|来了|消费过|"
            rf"光顾过|开过|开了)?\s*{_COUNT_N}\s*(?:次|单|笔|回|张)|{_COUNT_N}\s*(?:次|单|笔|回|张)\s*"
            rf"(?:及|或)?以上",
        ),
        0,
    ),
    (re.compile(rf"(?:超过|多于|大于|不止)\s*{_COUNT_N}\s*(?:次|单|笔|回|张)"), 1),
    # exactly N: 刚好来过3次 (two is one gap: each purchase to the next is the same gap)
    (
        re.compile(
            rf"(?:刚好|正好|恰好|恰恰)\s*(?:来过|来了|买过|买了|购买过|下过|下了|下单|消费过|光顾过|开过|开了)?"
            rf"\s*{_COUNT_N}\s*(?:次|单|笔|回|张)(?!\s*(?:以上|及以上|或以上|多))"
        ),
        0,
    ),
    (
        re.compile(
            rf"\b(?:at\s+least|a\s+minimum\s+of|exactly)\s+{_COUNT_N}\s+(?:paid\s+)?"
            rf"(?:orders|purchases|invoices|times)\b|\b{_COUNT_N}\s*(?:\+|or\s+more)\s+(?:paid\s+)?"
            rf"(?:orders|purchases|invoices|times)\b",
            re.IGNORECASE,
        ),
        0,
    ),
    (
        re.compile(
            rf"\b(?:more\s+than|over)\s+{_COUNT_N}\s+(?:paid\s+)?(?:orders|purchases|invoices|times)\b",
            re.IGNORECASE,
        ),
        1,
    ),
]


def _many_orders(text: str) -> str | None:
    """The count of orders of three or more said of the people (its words), else None."""
    from shopql.catalog.timephrase import cn_number

    for pattern, more in _MANY_ORDERS:
        for m in pattern.finditer(text):
            word = next(g for g in m.groups() if g)
            n = cn_number(word.lower())
            if n is None:
                continue
            exact = bool(re.search(r"刚好|正好|恰好|恰恰|exactly", m.group(0), re.IGNORECASE))
            if n + more >= 3 or (exact and n >= 2):
                return m.group(0).strip()
    return None


def _bare_gap_of_many(text: str) -> tuple[str, list[str]]:
    """回购间隔 of people with three orders or more: each purchase to the next (said)."""
    m = _BARE_REPEAT_GAP.search(text)
    if m is None or _FIRST.search(text) or _SECOND.search(text):
        return text, []
    count = _many_orders(text)
    if count is None:
        return text, []
    english = bool(re.match(r"[a-z]", m.group(0), re.IGNORECASE))
    new = "days between purchases" if english else "购买间隔天数"
    said = (
        f"read '{m.group(0).strip()}' as '{new}': of people with {count}, each purchase to the"
        " next (not the first to the second only)"
    )
    return f"{text[: m.start()]} {new} {text[m.end() :]}", [said]


def read_gaps(question: str) -> tuple[str, list[str]]:
    """`question` with its gap phrase read as the catalog's gap words, and what was read."""
    bare, bare_said = _bare_gap_of_many(question)
    if bare_said:
        return re.sub(r"\s+", " ", bare).strip(), bare_said
    if not re.search(
        r"隔|之间|跨|花|between|come\s+back|second\s+time|second\s+(?:order|purchase)|多久|多长时间"
        r"|\bto\s+the\s+next\b",
        question,
        re.IGNORECASE,
    ):
        return question, []
    if _WHO.search(question) and not any(p.search(question) for p, _ in _SECOND_EN):
        return question, []  # "两次开票之间隔得最久的客户是谁": who, not one figure for all
        # ("how long did it take for customers who first bought in Q2 to …": whose days)
    text, said = _ordinals(question)
    both = bool(_FIRST.search(text) and _SECOND.search(text))
    for pattern, reading in [] if said else [*_SECOND_NAMED, *(_FIRST_SECOND if both else _EACH)]:
        m = pattern.search(text)
        if m is None:
            continue
        new = m.expand(reading)
        said.append(f"read '{m.group(0).strip()}' as '{new}'")
        text = text[: m.start()] + " " + new + " " + text[m.end() :]
        if "复购间隔" in new:  # 两次购买之间 间隔 中位数 (第一单到第二单): said again, one figure
            text = _RESTATED.sub(" ", text)
        break
    gap = _GAP_READ.search(text) or (
        both and re.search(r"隔|间隔", text) and re.search(r"平均|中位|多少天|几天", text)
    )
    if gap:
        same = _SAME_PERSON.search(text)
        if same is not None:  # "同一个客户 第一张和最后一张发票": a person's own gap already
            said.append(f"'{same.group(0).strip()}': each person's own purchases, as every gap")
            text = text[: same.start()] + " " + text[same.end() :]
        people = _REPEAT_PEOPLE.search(text)
        if people is not None:
            said.append(f"'{people.group(0).strip()}': the people a gap between purchases is of")
            text = text[: people.start()] + " " + text[people.end() :]
    if not said:
        return question, []
    return re.sub(r"\s+", " ", text).strip(), said
