"""Set logic over people in the offline engine: questions about WHO bought, as a PeopleSet.

    how many customers bought on more than one platform       → count of people
    customers who bought a sofa and a coffee table             → bought A ∩ bought B
    买了沙发但没买茶几的客户                                   → bought A − bought B
    最近90天没买过的老客户有多少 / lapsed customers (90 days)  → lapsed
    GMV from new customers last month                          → paid_gmv over first-order people
    top 10 customers by spend who ordered more than 3 times    → a list, ranked

Cue phrases (platform counts, order counts, lapsed windows, new / returning people) are found by
pattern and blanked; the rest of the question goes through the ordinary parser (time, values,
metrics, breakdowns, top-N). Values become the conditions' filters: two values of one dimension
joined by "and / 和 / 又 / 同时" are two conditions (bought both), joined by "or / 或" one (either).
A word left over, or a set question without what it needs (流失 without a number of days), is a
refusal (NotUnderstood, exit 5) naming what was understood — never a different answer.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from shopql.catalog.semantic import (
    Filter,
    OrderBy,
    PeopleCondition,
    PeopleSet,
    SemanticQuery,
    TimeRange,
)
from shopql.nlq.behaviour import events_set
from shopql.nlq.linking import normalise
from shopql.nlq.phrases import blank
from shopql.nlq.shared import CJK_GAP, NotUnderstood, without_cjk_spaces
from shopql.nlq.unitwords import place_units

# a count said as a number, never a year ("2011 orders per customer" is 2011's orders)
_N = r"((?!(?:19|20)\d{2}\b)\d+|one|two|three|four|five|six|seven|eight|nine|ten|[一二两三四五六七八九十]+)"
_PLATFORM = r"(?:platforms?|channels?|marketplaces?|stores?|shops?)"
# a lapsed window said in days, weeks or months (3个月, 半年, 两周; a day count in brackets after
# it, "3个月（90天）", is the one used)
_NZ = r"(\d+|[一二两三四五六七八九十]+|半)"
_SPAN_ZH = r"(?:天|日|个?月|周|个?星期|个?礼拜|(?<=半)年)(?:\s*[(（]\s*\d+\s*天\s*[)）]\s*)?"
_ZH_PLATFORM = r"(?:电商)?(?:平台|渠道|店铺|店)"
_BUY_EN = r"(?:bought|buy|buying|ordered|order|purchased|purchase|shopped|shop)"
_BUY_ZH = r"(?:买过|买了|购买过|购买|下过单|下单|下过|下了|买)"
_ORDER_ZH = r"(?:订单|单)?(?!数|量|金额|额)"
# the verbs of coming or buying before an exact count (刚好来过两次, 只下过3单, 恰好开了两张发票)
_CAME_ZH = r"来过|来了|来买过|来买了|买过|买了|购买过|购买了|下过|下了|下单|消费过|消费了|光顾过|光顾了|开过|开了"
# an exact count of two or more (never 一两 / 两三: a range; 一 is the only-once cues')
_N_EXACT = r"(?!一两|两三|二三|三四|三五|四五)((?!(?:19|20)\d{2}\b)\d+|[二两三四五六七八九十]+)"  # the order word said after the count, not 订单数
_ISSUED_ZH = (
    r"(?:开票|开发票|开过票|开了|开过)\s*(?:数|张数)?(?:在|为|是|达到|达)?"  # invoices issued
)
# "订单数5单以上的客户": the count's own name said before the number is the condition's, too
_BUY_OR_COUNT_ZH = (
    rf"(?:(?:已经|已)?{_BUY_ZH}|(?:订单数|下单数|下单次数|购买次数)(?:在|为|是|达到|达)?)"
)


def _distinct_cues(
    kind: str, en: str, zh: str, unit: str = "个", verb_en: str = "", verb_zh: str = ""
) -> list[tuple[re.Pattern[str], str, Any]]:
    """The cues of "≥ N different <things>" (categories, countries) in both languages: `en` and
    `zh` are the thing's noun patterns, `unit` its Chinese measure word (个; 种 for kinds of
    payment: 两种以上付款方式), `verb_en` / `verb_zh` a verb said before the number that is the
    cue's own (用过两种以上付款方式, used 2+ payment methods)."""
    # 跨 (across) before the number too (C, session 35): "跨两个以上国家下单", "跨至少3个品类"
    lead_en, lead_zh = r"\b(?:from |across |in |with )?", r"(?:在|从|跟|跨)?\s*"
    if verb_en:
        lead_en = rf"\b(?:(?:{verb_en}) )?(?:from |across |in |with )?"
    if verb_zh:
        lead_zh = rf"(?:{verb_zh})?\s*"
    several = "跨|多个|不止一个|超过一个|两个及以上|两个以上|2个及以上|2个以上|两个或以上"
    if unit != "个":
        several = several.replace("个", unit)
    return [
        # the numbered cues first: "3+ different categories" is not "different categories" (2)
        (re.compile(rf"{lead_en}(?:at least|minimum of) {_N} (?:different )?{en}\b"), kind, "least"),
        (re.compile(rf"{lead_en}(?:more than|over) {_N} (?:different )?{en}\b"), kind, "more"),
        (re.compile(rf"{lead_en}{_N}(?:\+| or more) (?:different )?{en}\b"), kind, "least"),
        (re.compile(rf"{lead_en}(?:more than one|multiple|several|different|two or more|2 or more|2\+|(?<!how )(?<!so )many) (?:different )?{en}\b"), kind, 2),
        (re.compile(rf"{lead_zh}(?:{several})(?:不同的?)?{zh}"), kind, 2),
        (re.compile(rf"{lead_zh}(?:至少|最少){_N}{unit}(?:不同的?)?{zh}"), kind, "least"),
        (re.compile(rf"{lead_zh}{_N}{unit}及?以上(?:的)?(?:不同的?)?{zh}"), kind, "least"),
        (re.compile(rf"{lead_zh}(?:超过|多于|不止){_N}{unit}(?:不同的?)?{zh}"), kind, "more"),
    ]  # fmt: skip


# a person's spend (number of orders) against the average person's: "今年花的钱比买家平均水平高的",
# "消费 超过 客户 平均 水平 的 客户", "下单次数低于平均的", "customers who spent more than the
# average customer", "above-average spenders" — the comparison said, never 平均消费 alone (a figure)
_SPEND_ZH = (
    r"(?:花的钱|花掉的钱|花钱|花费|花销|消费(?:的钱|金额|额)?|买的钱|购物金额|购买金额|支出)"
)
_TIMES_ZH = r"(?:下单次数|下单数|订单数|购买次数|买的次数|来的次数|单量)"
_AVG_PEOPLE_ZH = (
    r"(?:(?:所有|全体|全部|一般)?\s*(?:客户|买家|顾客|用户|会员|人|大家)\s*(?:的)?\s*)?"
)
_AVG_ZH = rf"{_AVG_PEOPLE_ZH}(?:人均|平均)\s*(?:水平|值|数|线|消费|花费|次数)?\s*(?:要|还|都)?\s*"
_VS_AVERAGE_CUES: list[tuple[re.Pattern[str], str, Any]] = [
    (re.compile(rf"(?P<what>{_SPEND_ZH}|{_TIMES_ZH})\s*(?:都|也)?\s*(?:(?P<up>超过|超出|高于|大于|多于)\s*{_AVG_ZH}(?:以上|之上)?|比\s*{_AVG_ZH}(?P<up2>高|多|更高|更多)|(?P<down>低于|少于|不到|不及)\s*{_AVG_ZH}(?:以下|之下)?|比\s*{_AVG_ZH}(?P<down2>低|少|更低|更少)|在\s*{_AVG_ZH}(?:(?P<up3>以上|之上)|(?P<down3>以下|之下)))"), "vs_average", "zh"),
    (re.compile(r"\b(?P<what>spent|spend|spends|spending|ordered|ordering|bought|purchased)\s+(?:(?P<up>more)|(?P<down>less|fewer))\s+(?:(?<=more )|(?<=less )|(?<=fewer ))(?:times\s+|orders\s+|money\s+)?than\s+(?:(?:the|an|a)\s+)?(?:average|typical|mean)(?:\s+(?:customer|buyer|shopper|client|person|user|one)s?)?\b"), "vs_average", "en"),
    (re.compile(r"\b(?:(?P<up>above)|(?P<down>below))[- ](?:the[- ])?average[- ](?P<what>spend(?:ers|ing)?|spend|buyers|customers)\b"), "vs_average", "en"),
    (re.compile(r"\bwhose\s+(?:total\s+)?(?P<what>spend|spending|orders|order count)\s+(?:is|was|are|were)\s+(?:(?P<up>above|over|higher than|more than)|(?P<down>below|under|lower than|less than))\s+(?:the\s+)?average(?:\s+(?:customer|buyer|shopper|person)(?:'s)?)?\b"), "vs_average", "en"),
]  # fmt: skip


def _vs_average(m: re.Match[str]) -> str:
    """The kind of a vs-average cue's condition: what is compared, and which way."""
    said = m.groupdict()
    up = any(said.get(k) for k in ("up", "up2", "up3"))
    what = said.get("what") or ""
    times = bool(re.fullmatch(_TIMES_ZH, what)) or what in (
        "ordered",
        "ordering",
        "orders",
        "order count",
    )
    return f"{'orders' if times else 'spend'}_{'above' if up else 'below'}_average"


# (pattern, kind, how n is read: "more" = the number + 1, "least" = the number, or a fixed n)
_CUES: list[tuple[re.Pattern[str], str, Any]] = [
    *_VS_AVERAGE_CUES,
    # ≥ 2 platforms
    (re.compile(rf"\b(?:(?:active|shopping|buying|ordering|shop|shops|shopped|buy|buys|bought|order|ordered|purchase|purchased) )?(?:on |in |across |from )?(?:more than one|multiple|several|different|two or more|2 or more|2\+|both|(?<!how )(?<!so )many) {_PLATFORM}\b"), "platforms", 2),
    (re.compile(rf"\b(?:(?:active|shopping|buying|ordering|shop|shops|shopped|buy|buys|bought|order|ordered|purchase|purchased) )?(?:on |in |across |from )?(?:at least|minimum of) {_N} {_PLATFORM}\b"), "platforms", "least"),
    (re.compile(rf"\b(?:(?:active|shopping|buying|ordering|shop|shops|shopped|buy|buys|bought|order|ordered|purchase|purchased) )?(?:on |in |across |from )?(?:more than|over) {_N} {_PLATFORM}\b"), "platforms", "more"),
    (re.compile(rf"\b(?:(?:active|shopping|buying|ordering|shop|shops|shopped|buy|buys|bought|order|ordered|purchase|purchased) )?(?:on |in |across |from )?{_N}(?:\+| or more) {_PLATFORM}\b"), "platforms", "least"),
    (re.compile(rf"\b(?:(?:active|shopping|buying|ordering|shop|shops|shopped|buy|buys|bought|order|ordered|purchase|purchased) )?(?:on|across|from) {_N} (?:different )?{_PLATFORM}\b"), "platforms", "least"),
    (re.compile(r"\bcross[- ]?(?:platform|channel)\b|\bmulti[- ]?(?:platform|channel)\b"), "platforms", 2),
    # "在3个平台都买过的人", "京东跟天猫两家店都掏过钱": that many platforms, each of them bought on (at
    # least that many; the platforms named beside it: each of them)
    (re.compile(rf"(?:在)?{_N}(?:个|家)(?:不同的?)?{_ZH_PLATFORM}(?:上)?(?=\s*(?:都|均|全都|全部都))"), "platforms", "least"),
    (re.compile(rf"(?:在)?(?:多个|多|跨|不同|不止一个|超过一个|两个及以上|两个以上|2个及以上|2个以上|两个或以上|两个或更多)个?{_ZH_PLATFORM}"), "platforms", 2),
    (re.compile(rf"(?:在)?(?:至少|最少){_N}个?{_ZH_PLATFORM}"), "platforms", "least"),
    (re.compile(rf"(?:在)?{_N}个?及?以上(?:的)?{_ZH_PLATFORM}"), "platforms", "least"),
    (re.compile(rf"(?:在)?(?:超过|多于|不止){_N}个?{_ZH_PLATFORM}"), "platforms", "more"),
    # ≥ N sellers (the line's seller)
    (re.compile(rf"\b(?:from |across |with )?(?:at least|minimum of) {_N} (?:different )?(?:sellers?|merchants?|vendors?)\b"), "sellers", "least"),
    (re.compile(rf"\b(?:from |across |with )?(?:more than|over) {_N} (?:different )?(?:sellers?|merchants?|vendors?)\b"), "sellers", "more"),
    (re.compile(rf"\b(?:from |across |with )?{_N}(?:\+| or more) (?:different )?(?:sellers?|merchants?|vendors?)\b"), "sellers", "least"),
    (re.compile(r"\b(?:from |across |with )?(?:more than one|multiple|several|different|two or more|2 or more|2\+|(?<!how )(?<!so )many) (?:different )?(?:sellers?|merchants?|vendors?)\b"), "sellers", 2),
    (re.compile(r"(?:在|从|跟)?(?:多个|多家|不止一个|不止一家|超过一个|超过一家|两个及以上|两家及以上|两个以上|两家以上|2个以上|2家以上|两个或以上|两家或以上)(?:不同的?)?(?:卖家|商家)"), "sellers", 2),
    (re.compile(rf"(?:在|从|跟)?(?:至少|最少){_N}(?:个|家)(?:不同的?)?(?:卖家|商家)"), "sellers", "least"),
    # "在3个以上不同卖家买过东西", "3家及以上的卖家": 以上 counts the number said, as for categories
    (re.compile(rf"(?:在|从|跟)?{_N}(?:个|家)(?:及|或)?以上(?:的)?(?:不同的?)?(?:卖家|商家)"), "sellers", "least"),
    (re.compile(rf"(?:在|从|跟)?(?:超过|多于|不止){_N}(?:个|家)(?:不同的?)?(?:卖家|商家)"), "sellers", "more"),
    # one seller only: "每次都是同一个卖家", "只认一个卖家买", "一直只在同一个卖家买", "only ever bought
    # from one seller", "always from the same seller" — an only-word before it (在同一个卖家买过两次
    # alone is another question: a repeat with one seller, not no other seller)
    # (都是在同一个卖家那买的: all of them at one seller — not 'the same seller' alone, a count at one)
    (re.compile(r"(?:(?:每次|每一次|每回|次次|每单|每一单)都(?:是)?|(?:一直|始终|都|全都|全)?(?:只认准?|认准|只找|只|仅仅|仅|就)|一直|始终|(?:都|全都|全部都|全部|全)是?)\s*(?:在|从|跟|找)?\s*(?:同一个|同一家|同一|同个|同家|一个|一家|1个|1家)\s*(?:卖家|商家|店铺|店家)"), "sellers_exactly", 1),
    (re.compile(r"\b(?:only|exclusively|always|every time|each time)(?: ever)?(?: (?:bought|ordered|purchased|shopped|buy|order|purchase|shop|buys|orders|purchases|shops))?(?: from| with| at)? (?:one|a single|the same|1) (?:sellers?|merchants?|vendors?|shops?)\b|\b(?:from|with|at) (?:only|just) (?:one|a single|1) (?:sellers?|merchants?|vendors?|shops?)\b|\b(?:from|with|at) (?:one|a single|the same|1) (?:sellers?|merchants?|vendors?|shops?) only\b"), "sellers_exactly", 1),
    # one category only: "只在一个品类买过东西", "只买过一个品类的", "all their purchases in a
    # single category", "bought from only one category" — exactly one category (as one seller)
    (re.compile(r"(?:(?:每次|每一次|每单)都(?:是)?|(?:一直|始终|都|全都|全)?(?:只|仅仅|仅|就))(?:在|从|买|买过|买了|购买过|逛)?(?:同一个|同一|同个|一个|1个|单一|单个)(?:品类|类目)(?:里|中|内|上|下)?(?:的(?:东西|商品))?"), "categories_exactly", 1),
    (re.compile(r"\b(?:only|exclusively|always)(?: ever)?(?: (?:bought|ordered|purchased|shopped|buy|order|purchase|shop))?(?: from| in| within)? (?:one|a single|the same|1) (?:product )?categor(?:y|ies)\b|\b(?:from|in|within) (?:only|just) (?:one|a single|1) (?:product )?categor(?:y|ies)\b|\bsingle[- ]category (?:customers?|buyers?|shoppers?|people)\b"), "categories_exactly", 1),
    # orders counted at one and the same seller: "在同一家卖家那里买过3次以上", "在 同一个 卖家 那里
    # 回头 买过" (again: two), "bought from the same seller on two or more separate orders" — the
    # count said beside it is of one seller's orders (after the only-one-seller cues above)
    (re.compile(r"(?:在|从|跟|找)?\s*(?:同一个|同一家|同一位|同一|同个|同家)\s*(?:卖家|商家|店铺|店家|店)\s*(?:那里|那儿|那边|这里|处|里)?\s*(?:(?:又|再|重复|回头)\s*(?=买|下单|购买|来))?"), "same_seller", None),
    (re.compile(r"\b(?:(?:bought|ordered|purchased|shopped|buy|order|purchase|shop|came back|returned)\s+)?(?:from|with|at|to)\s+the\s+same\s+(?:seller|merchant|vendor|shop|store)(?:\s+again)?\b"), "same_seller", None),
    # orders counted in one and the same category: "今年在同一个品类下单3次以上", "bought from the same
    # category 3 or more times" (a count of orders said beside it: orders_one_category; session 39)
    (re.compile(r"(?:在|从)?\s*(?:同一个|同一|同个|同一类)\s*(?:品类|类目)\s*(?:里面|里|中|下(?!\s*单)|上)?\s*(?:(?:又|再|重复|回头)\s*(?=买|下单|购买|来))?(?=[^，,。？?]{0,8}?(?:\d+|[一二两三四五六七八九十]+)\s*(?:次|单|笔))"), "same_category", None),
    (re.compile(r"\b(?:in|from)\s+the\s+same\s+(?:product\s+)?category\b"), "same_category", None),
    # orders counted on one and the same day: "11月有几位客户同一天里开了两张以上发票", "一天之内下了3单
    # 以上的客户", "customers with 2+ invoices on the same day" (a count said beside it: orders_one_day;
    # 首单后一天内就回购, no count after it, is the second order's wait; 当天 / 第一天 / 那一天 name a day)
    (re.compile(r"(?:在)?\s*(?:(?:同一|同)\s*(?:天|日)|(?<![后前第那哪每这某当])一天)\s*(?:之内|以内|里面|里|内|当中|中)?\s*(?:就|又|连着|连续|一口气)?(?=[^，,。？?]{0,8}?(?:\d+|[一二两三四五六七八九十]+)\s*(?:次|单|笔|张))"), "same_day", None),
    (re.compile(r"\b(?:on|in)\s+(?:the\s+same|a\s+single|one\s+single|one)\s+day\b"), "same_day", None),
    # ≥ N categories (the line's category), ≥ N countries (the order's country: "customers who
    # ordered from 2+ countries")
    *_distinct_cues("categories", r"categor(?:y|ies)", r"(?:类目|品类)"),
    *_distinct_cues("countries", r"countr(?:y|ies)", "国家"),
    # ≥ N payment channels (the order's: "今年用过两种以上付款方式的买家", "buyers who paid with 2+
    # different payment methods")
    *_distinct_cues(
        "payment_channels",
        r"(?:payment (?:methods?|types?|channels?|options?)|ways? (?:of|to) pay(?:ing|ment)?)",
        r"(?:付款方式|支付方式|付款渠道|支付渠道|付钱方式|付款手段|支付手段)",
        "种",
        r"used|using|uses|use|paid (?:with|by|via|using)|pay (?:with|by|via|using)|tried",
        r"用过|用了|使用过|使用了|用|使用|付款用过|付款用了|支付用过|换过|试过",
    ),
    # the lapsed window said as the day it starts: "last purchase before june 2011", "bought
    # before june 2011 and nothing since", "最后一次购买在2011年6月之前" (a period bought in, then
    # 之后没再买, is a condition per period: people_periods)
    (re.compile(r"\b(?:whose |with (?:a |their )?)?(?:last|latest|most recent) (?:paid )?(?:order|purchase)s?(?: was| came| happened)?(?: placed)? before\b(?!\s*(?:the last|\d+\s*(?:days?|weeks?|months?)\b))"), "lapsed", "before"),
    (re.compile(r"\band (?:nothing|no (?:orders?|purchases?)|(?:has |have )?not (?:bought|ordered)(?: anything)?|never(?: again)?) since\b"), "lapsed", "before"),
    (re.compile(rf"(?:最后一次|最近一次|最后一单|最近一单)(?>(?:购买|下单|买|消费)?(?:是|在)?)(?!(?:已经)?(?:是)?(?:超过|多于)?{_NZ}{_SPAN_ZH}(?:以前|之前|前))(?=[^，,。？?]{{1,14}}?(?:之前|以前))"), "lapsed", "before"),  # not a span ago (半年以前: least, below)
    # "customers who haven't ordered since 2018-03-01": lapsed since the day (or period) said
    # right after it (not "… and nothing since": since the end of the period said before)
    (re.compile(r"(?<!\band )\b(?:havent|haven't|have not|hasnt|hasn't|has not|hadnt|hadn't|had not|didnt|didn't|did not|not|never) (?:bought|ordered|purchased|shopped|placed an order|placed any orders?|made a purchase|made any purchases?)(?: anything| again| anymore| any more)? since\b(?!\s+(?:then|that)\b)"), "lapsed", "since"),
    # the last order more than N days ago: lapsed
    (re.compile(rf"\b(?:whose|with (?:their|a|the)|where (?:their|the)) (?:last|latest|most recent) (?:paid )?(?:order|purchase)s?(?: was| came| happened| is)? (?:placed )?(?:more than |over |at least )?{_N} (days|weeks|months) ago\b"), "lapsed", "least"),
    (re.compile(rf"(?:最后一次|最近一次|上一次|最后一单|最近一单)(?:购买|下单|买|消费)?(?:是|在|距今|距离现在)?(?:已经)?(?:是)?(?:超过|多于)?{_NZ}{_SPAN_ZH}(?:以前|之前|前)"), "lapsed", "least"),
    # second order within N days of the first
    (re.compile(r"\b(?:whose |with (?:a |their )?|who (?:placed|made) (?:a |their )?)?(?:2nd|second) (?:order|purchase)s? (?:came |was placed |happened |was )?within (?:(?:a|one|1) week|(\d+) days?) (?:of|after) (?:the|their) (?:1st|first)(?: (?:order|purchase|one))?\b"), "repeat_within", "week"),
    (re.compile(r"(?:第二单|第二次购买|第二次下单|二次购买|复购)(?:是|在|距离?)?(?:首单|第一单|第一次)?(?:后|之后)?(?:(\d+|[一二两三四五六七八九十]+)天|一周|一个星期|7天)(?:之内|以内|内)"), "repeat_within", "week"),
    # the first order said first, then the coming back: "首单后30天内就回购的客户", "在首单后一个月内
    # 就回购了" (a month: 30 days), "came back within 30 days of their 1st order"
    (re.compile(r"(?:首单|第一单|第一次(?:购买|下单|买)?)(?:后|之后|以后)(?:的)?(?:(\d+|[一二两三四五六七八九十]+)天|一周|一个星期)(?:之内|以内|内)(?:就|又|便)?(?:回购|复购|再次购买|再次下单|再买|又买|回来买|再下单|又下单|又来买|再来买)"), "repeat_within", "week"),
    (re.compile(r"(?:首单|第一单|第一次(?:购买|下单|买)?)(?:后|之后|以后)(?:的)?(?:一个月|1个月)(?:之内|以内|内)(?:就|又|便)?(?:回购|复购|再次购买|再次下单|再买|又买|回来买|再下单|又下单|又来买|再来买)"), "repeat_within", "month"),
    (re.compile(r"\b(?:came back|come back|bought again|buy again|ordered again|order again|purchased again|repurchased|reordered|returned to (?:buy|order))(?: to (?:buy|order))? within (?:(?:a|one|1) week|(\d+) days?) (?:of|after) (?:the|their) (?:1st|first)(?: (?:order|purchase|one))?\b"), "repeat_within", "week"),
    # bought in every month / quarter / week of the period ("customers who bought in every
    # quarter of 2011", "2011年每个月都买过的客户"): a buying verb before (not "new customers
    # every month": a breakdown)
    (re.compile(rf"\b{_BUY_EN}(?: something| anything)?(?: from us)? (?:in |during |on )?(?:every|each and every) (?:single )?(month|quarter|week)\b(?: of)?"), "every", "every"),
    # said before the every-unit words (今年四个季度每季都来买过): the number said is checked
    (re.compile(rf"(?<![前后再上下这那每近去])(?:全部|所有|整整)?(\d+|[一二两三四五六七八九十]+)个(月|季度|季|星期|礼拜)(?:都|全都|每个都|每一个都|(?:每个?|每一个?)(?:月|季度|季|星期|礼拜)都)(?:有)?(?:在|来|过来|回来|会)?{_BUY_ZH}(?:过|了)?(?:东西)?"), "every", "every_said"),
    # spent at least an amount in every month / quarter of the period: "今年每个季度都消费过1000镑
    # 以上的客户", "每个月都花了500元以上" (超过: more than the amount)
    (re.compile(r"(?:每个?|每一个)(?P<unit>月|季度|季|周|星期|礼拜)\s*(?:都|全都)\s*(?:有)?\s*(?:在|来)?\s*(?:消费|花|买|购买|下单|付)(?:过|了)?\s*(?:(?P<more>超过|多于|大于)|(?:至少|不少于))?\s*(?P<amount>\d+(?:\.\d+)?)\s*(?:镑|英镑|元|块钱|块|雷亚尔|reais|美元|刀)?\s*(?(more)|(?:及以上|或以上|以上))(?:的(?:钱|东西))?"), "every_spend", "every_spend"),
    (re.compile(rf"(?:每个?|每一个)(月|季度|季|周|星期|礼拜)(?:都|全都)(?:有)?(?:在|来|过来|回来|会)?{_BUY_ZH}(?:过|了)?(?:东西)?"), "every", "every"),
    # no unit of the period left empty (A, session 42): "没有哪个季度是空着的", "没有一个月是空的",
    # "一个季度都没落下", "never missed a quarter", "without skipping a single month" — every one
    (re.compile(r"(?:没有|没)\s*(?:哪个|哪一个|哪|一个)\s*(月|季度|季|星期|礼拜|周)\s*(?:是|有)?\s*(?:空着|空白|空缺|空|断档|断)\s*(?:着|过|了)?\s*的?|(?:一个|哪个)\s*(月|季度|季|星期|礼拜|周)\s*(?:也|都)\s*(?:没|没有)\s*(?:落下|空过|空着|断过|缺过|漏过|漏掉)"), "every", "every"),
    (re.compile(r"\b(?:without (?:missing|skipping)|(?:never|not once) (?:missed|skipped)|(?:did not|didn't|never) miss) (?:a|any|a single|one) (month|quarter|week)\b"), "every", "every"),
    # "2017年四个季度都买过", "12个月都有买": every one of the period's units, counted as said (the
    # number must be how many the period has: 今年四个季度都买过 in September is not understood);
    # 个 said (10月都买过 is October, 四季度都买过 the fourth quarter)
    (re.compile(rf"\b{_BUY_EN}(?: something| anything)?(?: from us)? (?:in |during )?(?:all|each of the|every one of the) (\d+|four|twelve|three|two) (months|quarters|weeks)\b(?: of)?"), "every", "every_said"),
    # "ordered in each of the last 3 months", "bought in every one of the past six weeks": every
    # unit of the period said after (the period itself is read as one: it is left in the text)
    (re.compile(rf"\b{_BUY_EN}(?: something| anything)?(?: from us)? (?:in |during )?(?:each|every one|every single one|all) of(?= (?:the )?(?:last|past|previous|recent|first) (?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) (months|quarters|weeks)\b)"), "every", "every"),
    # bought in at least N different months / quarters / weeks ("in 6+ different months of
    # 2011", "at least 3 distinct quarters", "在6个以上不同的月份买过"): "different" said (not "in the
    # last 6 months", a period, nor "not in at least 6 months", lapsed)
    (re.compile(rf"\b(?:in |across |during |on )?(?:at least |a minimum of )?{_N}(?:\+| or more)? (?:different|distinct|separate) (months|quarters|weeks|days)\b(?: of)?"), "several", "least"),
    (re.compile(rf"(?:在)?(?:至少|最少)?{_N}个(?:或以上|及以上|以上)?不同的?(月份|月|季度|星期|周|日子|天)"), "several", "least"),
    # on N days or more, said with 都 (C, session 35): "今年有3天以上都来买过的买家" — bought on at
    # least 3 different days (3天以上 alone, without 都, is a span: 3天以上没买)
    (re.compile(rf"(?:有|在)?\s*(?:至少|最少)?\s*{_N}\s*(天)\s*(?:或以上|及以上|以上)?\s*都\s*(?=来|{_BUY_ZH}|下)"), "several", "least"),
    # exactly N (two or more): "刚好来过两次的客户", "恰好下了3单", "只买过两次", "exactly 3 orders",
    # "bought exactly twice" (A, session 42). Never a range (只下过一两单: one or two) nor a
    # bound said after (两次以上, 两次以内); 只 / 仅 need the buying verb (只两次 alone is not read)
    (re.compile(rf"(?:(?:刚好|正好|恰好|恰恰)(?:在[^，,。？?\s]{{1,8}}?)?(?:{_CAME_ZH})?|(?:只|仅|仅仅)(?:在[^，,。？?\s]{{1,8}}?)?(?:{_CAME_ZH})){_N_EXACT}(?:次|单|回|笔|张)(?:发票|订单)?(?!\s*(?:以上|及以上|或以上|多|以下|以内|之内|或|到|至|-|~|数|量|金额|额))"), "orders_exactly", "exactly"),
    (re.compile(rf"\b(?:(?:bought|ordered|purchased|shopped|came|come|visited)(?: from us| with us| here| in)? )?exactly {_N} (?:paid )?(?:orders?|purchases?|invoices?|times|visits)\b(?! or\b)"), "orders_exactly", "exactly"),
    (re.compile(r"\b(?:bought|ordered|purchased|shopped|came(?: in| by)?|visited)(?: from us| with us| here)? (?:exactly|only|just) twice\b|\bexactly twice\b"), "orders_exactly", 2),
    # at most N (A, session 42): "只下过一两单" (one or two), "下单不超过2次", "最多买过两次", "2单及以下",
    # "no more than 2 orders", "at most 2 orders", "2 or fewer orders" — one paid order or more
    (re.compile(r"(?:只|仅|仅仅|就)\s*(?:在[^，,。？?\s]{1,8}?)?(?:来过|来了|买过|买了|购买过|下过|下了|下单|消费过|光顾过|开过|开了)\s*(?:一两|一二|1-2|1~2|1到2|一到两|一至两)\s*(?:次|单|回|笔|张)(?:发票|订单)?"), "orders_at_most", 2),
    (re.compile(rf"(?:(?:下单|下过|买过|购买|购买过|来过|消费过)\s*(?:次数)?\s*(?:不超过|不多于|不大于|最多|至多|顶多)|(?:不超过|不多于|最多|至多|顶多)\s*(?:下过|下了|下单|买过|买了|购买过|来过|来了|消费过|光顾过))\s*{_N}\s*(?:次|单|回|笔|张)(?:发票|订单)?(?!\s*(?:以上|及以上|或以上|多))"), "orders_at_most", "at_most"),
    (re.compile(rf"(?:{_CAME_ZH})\s*{_N}\s*(?:次|单|回|笔|张)(?:发票|订单)?\s*(?:及|或)?以(?:下|内)"), "orders_at_most", "at_most"),
    (re.compile(rf"\b(?:(?:placed|made|had|with|bought|ordered|purchased)\s+)?(?:no more than|not more than|at most|a maximum of|up to) {_N} (?:paid )?(?:orders|purchases|invoices|times)\b|\b{_N} or (?:fewer|less) (?:paid )?(?:orders|purchases|invoices|times)\b"), "orders_at_most", "at_most"),
    # ≥ N orders
    # (invoices: the Retail export's orders, "customers with 10 or more invoices")
    (re.compile(rf"\b(?:with |who (?:placed|made|have|had) )?(?:more than|over) {_N} (?:paid )?(?:orders?|purchases?|invoices?|times)\b"), "orders", "more"),
    (re.compile(rf"\b(?:with |who (?:placed|made|have|had) )?(?:at least|minimum of) {_N} (?:paid )?(?:orders?|purchases?|invoices?|times)\b"), "orders", "least"),
    (re.compile(rf"\b(?:with |who (?:placed|made|have|had) |on )?{_N}\+? (?:or more )?(?:separate |different |distinct )?(?:paid )?(?:orders|purchases|invoices)\b"), "orders", "least"),
    # "bought more than once", "ordered twice or more", "3 or more times", "at least twice"
    (re.compile(r"\b(?:more than once|more than one time|over once|multiple times|several times|many times|repeatedly|twice or more|two or more times|2\+? or more times|2\+ times|at least twice|at least two times|again and again)\b"), "orders", 2),
    (re.compile(rf"\b{_N}\+? (?:or more )?times\b(?! (?:a|per|each) )"), "orders", "least"),
    # "下过5次以上单", "下了5单以上", "订单数5单以上": 单 / 笔 count orders too, the order word after;
    # 单 / 笔 only with the buying verb or the count named (not "城市（至少50单的）": a group's)
    (re.compile(rf"{_BUY_OR_COUNT_ZH}?(?:超过|多于|大于|不止){_N}(?:次|回){_ORDER_ZH}"), "orders", "more"),
    (re.compile(rf"{_BUY_OR_COUNT_ZH}(?:超过|多于|大于|不止){_N}(?:单|笔){_ORDER_ZH}"), "orders", "more"),
    (re.compile(rf"(?:至少|不少于|最少){_BUY_ZH}?{_N}(?:次|回){_ORDER_ZH}"), "orders", "least"),
    (re.compile(rf"(?:至少|不少于|最少){_BUY_ZH}{_N}(?:单|笔){_ORDER_ZH}"), "orders", "least"),
    (re.compile(rf"{_BUY_OR_COUNT_ZH}?(?:至少|不少于|最少){_N}(?:次|回){_ORDER_ZH}"), "orders", "least"),
    (re.compile(rf"{_BUY_OR_COUNT_ZH}(?:至少|不少于|最少){_N}(?:单|笔){_ORDER_ZH}"), "orders", "least"),
    (re.compile(rf"{_BUY_OR_COUNT_ZH}?{_N}(?:次|回)及?以上{_ORDER_ZH}"), "orders", "least"),
    (re.compile(rf"{_BUY_OR_COUNT_ZH}{_N}(?:单|笔)及?以上{_ORDER_ZH}"), "orders", "least"),
    # "(至少2张发票)", "超过5个订单的客户", "3张以上发票": the orders said with their classifier and noun
    (re.compile(rf"(?:超过|多于|大于|不止){_BUY_ZH}?{_N}(?:张|个|笔)(?:发票|订单)(?!数|量|金额|额)"), "orders", "more"),
    (re.compile(rf"(?:至少|不少于|最少){_BUY_ZH}?{_N}(?:张|个|笔)(?:发票|订单)(?!数|量|金额|额)"), "orders", "least"),
    (re.compile(rf"{_BUY_ZH}?{_N}(?:张|个|笔)及?以上(?:的)?(?:发票|订单)(?!数|量|金额|额)"), "orders", "least"),
    # "下过 不少于 5张 单", "下了3张以上单子": 单 after the classifier, with the buying verb said
    (re.compile(rf"(?:至少|不少于|最少){_BUY_ZH}{_N}(?:张|个|笔)(?:单子|单)(?!价|数|量|金额|额)"), "orders", "least"),
    (re.compile(rf"{_BUY_ZH}{_N}(?:张|个|笔)及?以上(?:的)?(?:单子|单)(?!价|数|量|金额|额)"), "orders", "least"),
    # "开票超过100张的客户", "开过至少20张发票的": invoices issued, counted with 张 after the issuing verb
    (re.compile(rf"{_ISSUED_ZH}(?:超过|多于|大于|不止){_N}张(?:发票|票)?(?!数|量|金额|额)"), "orders", "more"),
    (re.compile(rf"{_ISSUED_ZH}(?:至少|不少于|最少){_N}张(?:发票|票)?(?!数|量|金额|额)"), "orders", "least"),
    (re.compile(rf"{_ISSUED_ZH}{_N}张及?以上(?:的)?(?:发票|票)?(?!数|量|金额|额)"), "orders", "least"),
    # lapsed: bought before, not in the last N days (not 下半年没再买: the second half of a year)
    (re.compile(rf"\b(?:(?:have|has|had|did)\s?(?:not|n't)|not|no (?:orders|purchases)|never|nothing|none)\s?(?:{_BUY_EN}\s)?(?:anything |again |at all )?(?:in|for|during|within) the (?:last|past) {_N} (days|weeks|months)\b"), "lapsed", "least"),
    (re.compile(rf"\b(?:lapsed|churned|dormant|inactive|lost(?! (?:the )?most\b))(?: customers| buyers| people)?(?: \(?(?:in |over |for )?(?:the )?(?:last |past )?{_N} days\)?)?"), "lapsed", "least"),
    (re.compile(rf"(?:最近|近|过去|(?:已经|已)?(?:超过|多于)|已经|已)?(?<![上下]){_NZ}{_SPAN_ZH}(?:内|以来|里)?(?:什么|啥|任何东西|一单|一次|一件)?(?:都|也|一直)?(?:没有|没|未|不)(?:再)?(?:有)?(?:回来|来买|来|买|下单|下|购买|复购|消费|回购)(?:过|了)?(?:东西)?"), "lapsed", "least"),
    (re.compile(rf"(?:已经|已)?(?:超过|多于|有)?(?<![上下]){_NZ}{_SPAN_ZH}(?:以上|多)?(?:都|一直)?(?:没有|没|未|不)(?:再)?(?:回来|来买|来|买|下单|购买|复购|消费|回购)(?:过|了)?(?:东西)?"), "lapsed", "least"),
    (re.compile(rf"\b(?:not|haven't|hasn't|have not|has not|didn't|did not) (?:come back|returned|been back|bought|ordered|purchased|shopped)(?: anything| again)? (?:in|for|within) (?:over |more than |the (?:last|past) )?{_N} (?:days|weeks|months)\b"), "lapsed", "least"),
    (re.compile(rf"(?:流失(?![得了]?最多)|沉睡|休眠|不活跃)(?:的)?(?:客户|用户|买家|顾客|人群)?(?:\(?{_N}天\)?)?"), "lapsed", "least"),
    # first order in the period / returning
    # "how many brand-new buyers showed up in June": the arrival verb after them says new, too
    (re.compile(r"\b(?:new|first[- ]time) (?:customers?|buyers?|clients?|shoppers?|people)\b(?:\s+(?:(?:who|that)\s+)?(?:showed up|show up|turned up|turn up|arrived|came along|came in|appeared)\b)?|\bfirst (?:paid )?(?:order|purchase)s?\b(?!\s*(?:value|aov)\b)(?!\s*(?:and|to|&|->|vs|-)\s*(?:the\s+|their\s+)?(?:second|third|fourth|2nd|3rd|4th|last|latest|most recent)\b)"), "first_order", None),  # not "first order and second order", "first order to last order": durations
    (re.compile(r"新(?:客户|客|买家|顾客|用户|会员)|(?:首(?:次购买|购|单(?!\s*(?:客单价|平均金额|均价)))|(?<![与和到跟至距离从])第一(?:单|次购买|次下单)(?![^，,。？?]*(?:第[二三四五2345]|二单|二次|最后|最近|末单)))(?![与和到跟至及、]\s*(?:(?:第)?(?:二|三|四|五|2|3|4|5)(?:单|次)|最后|最近|末))(?:的)?(?:客户|用户|买家|顾客|人群)?"), "first_order", None),  # not 首单与二单, 首单到最后一单 (durations)
    (re.compile(r"[(（]?(?:第一次|头一次|首次)(?:在(?:我们|咱们|我|咱|本店|店里)?(?:这里?|这儿|家|店里)?)?(?:来|过来)?(?:买东西|买|下单|购买|消费|下过单)(?:的)?[)）]?"), "first_order", None),  # 第一次来买
    (re.compile(r"(?:第一次|头一次|首次)(?=(?:是)?在[^，,、。？?\s]{1,8}?(?:买|下单|购买|消费))"), "first_order", None),  # 第一次在天猫买
    # came for the first time, no buying verb (A, session 42): "11月才头一回来 当月就来了两次以上",
    # "上个月第一次来的客户" — not a first and a later one (第一次来到第二次来: a gap)
    (re.compile(r"(?:才|是)?\s*(?:第一次|头一次|首次|头一回|第一回)\s*(?:来|过来|光顾)(?![买下购消回])(?![^，,。？?]*(?:第\s*[二三四五2345]|二次|最后|末次))\s*(?:的)?"), "first_order", None),
    (re.compile(r"\b(?:bought|ordered|purchased|shopped)(?: from us| with us| here)? for the first time\b|\b(?:placed|made) (?:their|a|the) first (?:paid )?(?:order|purchase)\b|\bfirst[- ]time\b|\b(?:who|that) first (?:ordered|bought|purchased|shopped|paid)\b(?=\s+(?:with us |from us |here )?(?:(?:in|during|back in)\s+(?:\d{4}\b|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|q[1-4]\b|the (?:first|second|last|past)\b)|(?:last|this) (?:year|month|quarter|week)\b))"), "first_order", None),  # "who first ordered in 2011" (A, session 43): not "who first bought a mug, then …" nor "first bought on jd then on tmall" (a sequence)
    # exactly once: one-time buyers (只买过一次, "bought only once", "one-time buyers")
    (re.compile(r"(?:只|仅|就|只有|仅仅)(?:买过|买了|购买过|购买了|购买|下过|下了|买|消费过|消费了|来过|来了|来买过|光顾过)(?:一|1)(?:次|单|回|笔)(?!以上|及以上|或以上|多)(?:[，,、]?\s*(?:就|之后|以后)?(?:再也|再)?(?:没有|没|不)(?:再)?(?:回来|来|买|下单|购买|复购|回购)(?:过|了)?(?:东西)?)?|一次性(?:客户|买家|顾客)|一锤子买卖(?:的)?|(?:只有|仅有|只下过|只下了|只开过|只开了)(?:一|1)(?:笔|个|张)?(?:订单|单|发票)(?:的)?"), "orders_exactly", 1),
    (re.compile(r"\b(?:one[- ]time|single[- ]purchase|single[- ]order) (?:customers?|buyers?|clients?|shoppers?|people|purchasers?)\b|\b(?:bought|ordered|purchased|shopped)(?: from us| with us| here)? (?:only once|just once|exactly once|once only|only one time|once and never (?:again|came back))\b|\b(?:only|just) (?:ever )?(?:bought|ordered|purchased|shopped) once\b|\b(?:only|just|exactly) (?:one|1) (?:paid )?(?:order|purchase|invoice)\b"), "orders_exactly", 1),
    # no second order (yet): "首单的客户到现在还没有第二单的", "new customers who never placed a
    # second order" — read only beside the first order (new customers): exactly one, up to today
    (re.compile(r"(?:(?:到|至)(?:现在|今天|目前)(?:为止)?|至今|迄今)?(?:都|还|仍然|仍|一直)*(?:没有|没|未)(?:有)?(?:再)?(?:下|买|来买|下过|买过|下了)?(?:过)?(?:第二单|第2单|二单|第二次|第二笔)|\b(?:(?:have|has|had)\s?(?:not|n't)|never|did\s?(?:not|n't)|not)(?: yet)?(?: (?:placed|made|bought|ordered|had))? (?:a |their )?(?:second|2nd) (?:one|order|purchase)s?\b(?: yet| since| to date| so far)?"), "no_second", None),
    (re.compile(r"(?:就|仅仅|仅|只有|只)(?=在|从|跟|于|买|用|下单|购买)|\b(?:(?<!customers\s)(?<!buyers\s)(?<!clients\s)(?<!shoppers\s)(?<!people\s)|(?=\w+\s+(?:ever\s+)?(?:bought|paid|ordered|purchased|shopped|used|buy|pay|order|purchase|shop)\b))(?:only|exclusively|solely)\b(?!\s+(?:the\s+)?(?:[a-z0-9]+\s+){0,2}(?:customers|buyers|clients|shoppers|people)\b)"), "only", None),  # "only customers from Spain", "UK customers only": whom the question is about, not who bought there alone
    # every time the same value: 每次都是在SP买 / 每次都寄到SP (= only there), "always ordered on tmall"
    # every order over an amount: "customers whose every order was above R$500", 每单都超过500元
    (re.compile(r"(?:(?:每次|每一次|每回|每单|每一单|每笔订单|每个订单|每张发票|每一张发票|每张|每一张|次次|回回|单单|笔笔|张张\s*(?:发票)?|一直|(?:所有|全部)(?:的)?\s*(?:订单|单子|发票)|(?<![张单笔每])(?<![张单笔每]\s)(?:订单|单子|发票))\s*)都(?:是)?\s*(?=在|从|跟|于|买|用|下单|购买|超过|高于|大于|不低于|满|低于|少于|不到|不超过|[^\s都的]{1,16}?\s*(?:付款|支付|付)的)|\b(?:always|every time|each time)\b|\b(?:whose|with) every (?:single )?(?:order|invoice)\b|\ball (?:of )?(?:their|whose) orders\b"), "only", None),
    (re.compile(r"\b(?:repeat|repurchasing) (?:customers?|buyers?|clients?|shoppers?|people)\b"), "orders", 2),
    (re.compile(r"(?:复购|回购|多次购买)(?:的)?(?:客户|用户|买家|顾客|人群|人)"), "orders", 2),
    # "新客里 已经复购的有几个": the people of the set who bought again, counted (no noun after 的)
    (re.compile(r"(?<![没未不])(?:已经|已)?(?<![没未不])(?:复购|回购)(?:过|了)?的(?=\s*(?:有|一共|总共|共)?\s*(?:多少|几))"), "orders", 2),  # not 还没复购的
    # a purchase, then a later one: "bought a sofa and later came back for a coffee table",
    # 买了沙发之后又买了茶几, 先买沙发后来又买茶几 (what was bought first is named first)
    (re.compile(r"\b(?:and |, ?)?(?:(?:then|later|afterwards|after that|subsequently|eventually)\s+)+(?:(?:came|come|comes|went|go|goes) back (?:for|to buy|and bought|and ordered|to order)|(?:also |again )?(?:bought|ordered|purchased|buy|order|purchase|got))?\b"), "then", None),
    (re.compile(rf"(?:之后|以后|过后|后来|然后|随后|(?<=[^\s先最前落售退])后(?=\s*(?:又|再|还|来)))(?!\s+(?:(?:又|再|还)\s*)?回来|(?:又|再|还)\s+回来)(?:\s*(?:又|再|还))?(?:回来|\s*(?:去|跑去|跑到|回头))?(?:\s*(?:在|到))?(?=(?:\s*[^，,、。？?\s没不未别]){{0,10}}?\s*{_BUY_ZH})"), "then", None),  # not 之后再没买过
    # the same with spaces before 回来 ("第一次下单的客户 后来 又 回来 买过的"): beside a first order
    # only (new customers who came back: a second order); alone it stays the period's "after"
    # ("双十一 买过 之后 又 回来 买": after that day)
    (re.compile(rf"(?:之后|以后|过后|后来|然后|随后)(?:\s*(?:又|再|还))?\s*回来(?=(?:\s*[^，,、。？?\s没不未别]){{0,10}}?\s*{_BUY_ZH})"), "then", "after_first"),
    # had a completed refund (退过款的客户, customers who got a refund)
    # never refunded: "没退过货的客户", "一次货都没退过", "从来没退过款", "customers who never returned
    # anything" — people with no completed refund (before the refunded cue, which it holds)
    (re.compile(r"(?:一次(?:货|款)?都|从来|从|也|都|还)?\s*(?:没有|没|未|从未|从没)\s*(?:有)?\s*(?:退过|退了|退)\s*(?:款|货)?\s*(?:过)?(?!金额|额|率|数|量|笔|单)|(?:没有|没|无|未)(?:发生过?)?(?:退款|退货)(?:记录)?(?=的?\s*(?:客户|买家|顾客|用户|人|会员))"), "not_refunded", None),
    (re.compile(r"\b(?:(?:have|has|had|did)\s?(?:not|n't)|never|not once)\s+(?:(?:returned|sent back)\s+(?:anything|any items?|any orders?|any products?|any goods|an? (?:item|order|product))|refunded(?:\s+(?:anything|any orders?))?)\b|\b(?:(?:have|has|had|did)\s?(?:not|n't)|never)\s+(?:got|gotten|received|asked for|had)\s+(?:a |any )?refunds?\b|\b(?:with no|without (?:any )?)(?:refunds?|returns?)\b"), "not_refunded", None),
    # a refund, then no purchase after it: "退过款以后就再也没买过", "退货之后再没回来下过单", "got a refund
    # and never bought again" (the refund in the period; no paid order after their first one)
    (re.compile(r"(?:退过|退了|退)(?:款|货)(?:过)?\s*(?:以后|之后|后)\s*(?:就)?\s*(?:再也|再|一直|从此|都)\s*(?:没有|没|未|不)(?:有)?\s*(?:再)?\s*(?:回来)?\s*(?:买|下单|购买|来买|下过单|下过|消费|复购|回购)(?:过|了)?(?:东西|单)?"), "refund_then_none", None),
    (re.compile(r"\b(?:got|received|had|asked for) (?:a |any )?refunds? (?:and|but|then) (?:have |has )?(?:never|not|didn't|did not|haven't|hasn't) (?:bought|ordered|purchased|come back|came back|returned)(?: anything)?(?: again| since| after(?:wards)?)?\b|\bnever (?:bought|ordered|purchased|came back)(?: anything)? again after (?:a|their|getting a) refund\b"), "refund_then_none", None),
    # never reviewed: "一条评价都没写过", "从来没给过评价", "没写过评论的买家", "never left a review" — no
    # review on any of the person's orders, at any time (beside what they bought)
    (re.compile(r"(?:一条|一个|一次|一句)\s*(?:评价|评论|好评|差评)\s*(?:都|也)\s*(?:没有|没|未)\s*(?:写|给|留|发|打|评)(?:过|了)?|(?:从来|从|也|都|还)?\s*(?:没有|没|未|从未|从没)\s*(?:有)?\s*(?:写过|写|给过|留过|发过|打过|评价过|评过|评论过|评价|评论)\s*(?:任何)?\s*(?:评价|评论|好评|差评|评分)?(?:过)?(?=的?\s*(?:客户|买家|顾客|用户|人|会员))"), "not_reviewed", None),
    (re.compile(r"\b(?:(?:have|has|had|did)\s?(?:not|n't)|never)\s+(?:(?:written|wrote|write|left|leave|posted|post|given|gave|give)\s+(?:a|any)\s+reviews?|reviewed(?:\s+(?:anything|any orders?))?)\b|\bwithout (?:ever )?(?:writing|leaving|posting|giving) (?:a |any )?reviews?\b"), "not_reviewed", None),
    # every review of theirs of one score (session 44): "今年给的评价全是5星的买家", "每条评价都是5分的客户",
    # "buyers whose reviews were all 5 stars", "customers all of whose reviews were 5 stars" —
    # people with reviews in the period, none of another score (给过5星评价: one of them, as before)
    (re.compile(r"(?:(?:给的|打的|写的|留的|给出的|发的)\s*)?(?:(?:每一?条|每个|每次|所有|全部)\s*(?:的)?\s*)?(?:评价|评分|评论|打分)\s*(?:全都|全部都|全部|全|都|一律|清一色|无一例外都)\s*(?:是|为|给的|打的|给|打)?\s*(?=(?:\d|[一二三四五])\s*(?:星|分))"), "reviews_all", None),
    (re.compile(r"\b(?:(?:with |who had )?all (?:of )?(?:their|whose|the|his|her) reviews|every (?:one of (?:their|whose) reviews|review (?:they|he|she) (?:gave|left|wrote)))\s+(?:were|are|was|is|being)\b(?:\s+all)?|\bwhose reviews (?:were|are) all\b"), "reviews_all", None),
    (re.compile(r"(?:退过|退了|退)(?:款|货)(?:过)?(?!金额|额|率|数|量|笔|单|(?:客户|买家|顾客|人)数|\s*(?:最|更|比较|较))|(?:有过|有|发生过|申请并拿到了?)(?:退款|退货)(?!金额|额|率|数|量|笔|单|\s*(?:最|更|比较|较))|退款(?=的?(?:客户|买家|顾客|用户|人|会员))|(?:开过|开了|有过|有)(?:退货单|退款单|退单)(?=的?(?:客户|买家|顾客|用户|人|会员))"), "refunded", None),  # 开过退货单的客户; not 退货最多的客户 (a ranking by returns) nor 退货客户数 (a metric: the people who returned, return_customers)
    (re.compile(r"\b(?:(?:who|that)|(?<=customers )|(?<=customer )|(?<=buyers )|(?<=buyer )|(?<=people )|(?<=shoppers )|(?<=clients ))\s*(?:got|received|had|have had|has had|were given|was given|have gotten|got back) (?:a |any |their |some )?(?:refunds?|money back)\b|\b(?:who|that) (?:were|was|have been|has been|got|had been) refunded\b|\brefunded (?:customers?|buyers?|people|shoppers?|clients?)\b|\b(?:customers?|buyers?|people|shoppers?|clients?) with (?:a |any )?refunds?\b"), "refunded", None),
    (re.compile(r"\b(?:returning|old|existing) (?:customers?|buyers?|clients?|shoppers?|people)\b"), "returning", None),
    (re.compile(r"老(?:客户|客|买家|顾客|用户|会员)|回头客"), "returning", None),
]  # fmt: skip
# "bought before" in a lapsed question: part of the set, not a time range
_BEFORE = re.compile(
    rf"\b{_BUY_EN} (?:before|previously|in the past)\b|\bpreviously {_BUY_EN}\b|"
    rf"(?:之前|以前|曾经|以往|过去)(?:有)?{_BUY_ZH}(?:过)?(?:东西)?(?:但|但是|可是|却)?"
)
_LIST = re.compile(
    r"\b(?:list|which|who|whom|names?|show me the)\b|哪些|哪几个|谁|名单|列出|列表|明细|清单|是哪"
)


def asks_for_list(text: str) -> bool:
    """Whether the question asks who the people are (which, who, 哪些, 名单 …), not how many."""
    return bool(_LIST.search(text))


# "which quarter brought the most new customers": the period asked for, not a list of people
_WHICH_PERIOD = re.compile(r"\bwhich (?:quarter|month|week|day|year|hour)\b")
_COUNT_PEOPLE = re.compile(
    r"\b(?:how many|number of|count of) (?:\w+ )?(?:customers|people|buyers|persons|clients|shoppers|users|ppl)\b|"
    r"多少(?:个|位|名)?(?:客户|买家|顾客|用户|人)|几(?:个|位)(?:客户|买家|顾客|用户|人)?|人数|客户数|买家数"
)
_DAYS = re.compile(r"(?<![近最过去前])(\d+)\s*(?:天|days?\b)")
# "customers who …": a relative clause, not a request for the list (which / who bought …)
_RELATIVE = re.compile(
    r"\b(?:customers?|buyers?|people|persons?|clients?|shoppers?|users?|ppl|folks|ones|those)"
    r"\s+(?:who|that|whom)\b"
)
# how much was bought, not how many bought: 买了多少钱, 花了多少, "how much did they spend"
_SPENT_HOW_MUCH = re.compile(
    r"(?:买|花|消费)了?\s*(?:多少|几)\s*(?:钱|块)"
    r"|(?:买|花|消费)了\s*多少(?!\s*(?:个|位|名|人|次|单|件|种|款|样))"
    r"|\bhow much\b"
)
_COUNT = re.compile(r"\bhow many\b|\bnumber of\b|\bcount\b|多少|几个|几位|人数|数量|总数")
_AND = re.compile(r"\band\b|&|\bboth\b|\bas well as\b|和|与|跟|及|又|也|同时|还")
_OR = re.compile(r"\bor\b|或者|或是|或")
# what makes "A and B" the people in both: a buying verb ("bought A and B", "买过A和B") or a
# word for both (都, 同时, both); without one, two named values are side by side
_BOUGHT_OR_BOTH = re.compile(
    rf"\b{_BUY_EN}\b|\b(?:buys|purchases|both|as well as)\b"
    r"|买过|买了|购买过|下过单|下单|购买(?!人)|买(?![家主])|都|同时|又|既"
)
_ABOUT_PEOPLE = re.compile(
    r"买过|回来买|\b(?:customers?|buyers?|people|persons?|clients?|shoppers?|users?|who|whom|ppl|folks)\b|"
    r"\b(?:lapsed|churned)\b|"  # "lapsed: bought before june 2011 and nothing since"
    r"客(?!单价)|买家|顾客|用户|(?<!情)人(?!节)|会员"  # not 情人节 (a festival), not 客单价 (AOV)
    # "今年复购的有多少": those who bought again, counted (no people word said)
    r"|(?<![没未不])(?:复购|回购)(?:过|了)?的(?=\s*(?:有|一共|总共|共)?\s*(?:多少|几))"
)
# "首单在天猫的新客和首单在京东的新客", "在天猫买过的客户跟在京东买过的客户": the same people word
# closing each side of 和 names two groups, each asked for — never the people in both (天猫和京东
# 都买过的客户 says both once)
_TWO_GROUPS = re.compile(
    r"的\s*(新客户?|老客户?|客户|买家|顾客|用户|会员|人)\s*(?:和|跟|与|以及|及|还有|对比|vs\.?)\s*"
    r"[^，,。？?；;]*?的\s*\1(?!\S*都)"
)
_WHO_MORE = re.compile(
    r"\bwho\s+(?:had|has|have|got|gets|did|does|sold|sells|made|makes)\s+(?:more|fewer|less|higher|lower|bigger)\b(?!\s+than)"
)
_WHOLE_WORDS = {"全部", "所有", "全体", "总", "all", "total"}  # the whole of a share
# words that say the question is about people (they carry no other meaning here)
PEOPLE_WORDS = {
    "customers", "customer", "buyers", "buyer", "people", "persons", "person", "clients",
    "shoppers", "users", "who", "bought", "buy", "ordered", "purchased", "placed", "made",
    "them", "they", "anything", "again", "both", "ever", "also", "but", "any", "or", "times",
    "客户", "买家", "顾客", "用户", "的人", "人", "哪些人", "买过", "买了", "购买过", "下过单",
    "下单", "但", "但是", "却", "又", "也", "同时", "还", "既", "或者", "或", "东西", "过", "位",
    "是", "个", "次", "几位", "多少位", "贡献", "带来", "contributed", "came", "spent", "those", "买", "购买",
    "名单", "明细", "清单", "列表", "列出", "list", "names", "name", "有", "中", "其中",
    "ppl", "folks", "shopped", "who've", "who'd", "whove", "have", "has", "had", "we", "our", "us", "here",
    # the regulars and the big customers a condition defines ("买了10次以上的熟客", "开票超过100张
    # 的大客户"): names of the people the cues keep, never a set by themselves
    "熟客", "老主顾", "常客", "大客户",
}  # fmt: skip
# the size word of 大客户 when linking took 客户 alone
_SIZE_OF_PEOPLE = re.compile(r"大\s*客户")
# "新增了几个新客": the word for newly added people, beside a first-order cue it names
_NEW_WORDS = {"新增", "新增了", "新增加", "新增加了", "新加", "新加了"}
# people nouns too short or too slangy for the vocabulary ("的人", "ppl"), left over by linking
PEOPLE_NOUNS = {"人", "的人", "哪些人", "ppl", "folks"}
# metrics that count people: in a set question they are the count, not a measure over it
PEOPLE_METRICS = {"buyers", "tagged_persons", "new_buyers", "returning_buyers", "repeat_buyers"}


@dataclass
class Cue:
    kind: str
    n: int | None
    start: int
    end: int
    text: str
    unit: str = "day"  # a lapsed window's unit: day | week | month (n months before today)
    across: bool = False  # found only across spaces typed between Chinese words
    time: Any = None  # its own period, said right beside it ("2010年12月首单的客户 今年买了5次")


@dataclass
class PeopleQuestion:
    cues: list[Cue] = field(default_factory=list)
    text: str = ""  # the normalised question with the cues blanked


def _count_of_cue(metric: str, p: Any, found: PeopleQuestion) -> bool:
    """ "今年买了3次及以上的老客数量": a count word (数量, 总数) right after the people the cues
    name counts them — it is not the metric the word also names (数量: units sold)."""
    said = [m.phrase for m in p.links.of("metric") if m.term.target == metric]
    if not said or not all(_COUNT.fullmatch(w) for w in said):
        return False
    for w in said:
        for m in re.finditer(re.escape(w), found.text):
            before = re.sub(r"[\s的]+$", "", found.text[: m.start()])
            if _PEOPLE_END.search(before) or any(
                len(before) <= c.start and c.end <= m.start() for c in found.cues
            ):
                return True
    return False


def _buying_verb_of_people(metric: str, p: Any) -> bool:
    """ "去年双十一第一次买的人 今年又下过单的有几个": a buying verb the linker took for an order
    count (下过单: orders), said before 的 and a count asked, describes the people counted — it is
    not a count of orders asked beside them."""
    said = [m for m in p.links.of("metric") if m.term.target == metric]
    return bool(said) and all(
        m.phrase in PEOPLE_WORDS
        and re.match(
            r"\s*的\s*(?:人|客户|买家|顾客|用户)?\s*(?:有|一共|总共|共)?\s*(?:多少|几)",
            p.links.text[m.end :],
        )
        for m in said
    )


def _goods_of_a_word(metric: str, p: Any) -> bool:
    """ "11月的新客中买过圣诞商品的有多少": the product word right after a title word names the
    goods bought (圣诞商品), and 的 + 有多少 after it asks how many people — not a count of the
    products ("买过多少种圣诞商品", a number said before the goods, stays one)."""
    from shopql.nlq.kinds import KIND_GAPS

    mentions, text = p.links.mentions, p.links.text
    said = [
        k for k, m in enumerate(mentions) if m.term.kind == "metric" and m.term.target == metric
    ]
    if not said:
        return False
    for k in said:
        m, before = mentions[k], mentions[k - 1] if k else None
        if before is None or before.term.kind not in ("keyword", "value"):
            return False
        if "".join(text[before.end : m.start].split()) not in KIND_GAPS:
            return False
        if _NUMBER_BEFORE.search(text[: before.start]) or not _PEOPLE_ASKED.match(text, m.end):
            return False
    return True


_NUMBER_BEFORE = re.compile(r"(?:多少|几)\s*(?:种|款|样|个|件|类)?\s*$")
_PEOPLE_ASKED = re.compile(
    r"\s*的\s*(?:客户|买家|顾客|用户|人)?\s*(?:有|一共有|总共有|共有)?\s*(?:多少|几)(?!\s*(?:种|款|样|件))"
)


# the people a count word after them counts ("顾客的数量", "客户总数")
_PEOPLE_END = re.compile(r"(?:客户|顾客|买家|用户|会员|客人|客|人)$")


def _lapsed_as_tag(cues: list[Cue], ws: Any) -> bool:
    """ "沉睡客户(lapsed)有多少人", "how many lapsed customers": lapsed with no days said and
    nothing else asked of the people is the workspace's lifecycle stage lapsed (person tags:
    recency beyond its lapsed days, the rule `shopql tags` applies and the 口径 names) — no
    window of the asker's to guess. A window said (最近90天没买) is the set condition."""
    if len(cues) != 1 or cues[0].kind != "lapsed" or cues[0].n is not None:
        return False
    if cues[0].unit == "before":
        return False
    return "lapsed" in ws.values.values.get("lifecycle", [])


# a space typed between two Chinese words ("每个月 都 下过单", "最近 90天 没 买过"): the writer's
# word breaks (a Chinese character on one side, a Chinese character or a digit on the other)
_CJK_GAP = CJK_GAP


def _typed_cjk_spaces(text: str) -> frozenset[int]:
    """The places of the spaces typed between two Chinese words of `text`."""
    return frozenset(m.start() for m in _CJK_GAP.finditer(text))


class _Span:
    """A cue found across typed spaces, placed back on the text as typed (`re.Match`'s start,
    end and groups, the group texts as read without the spaces)."""

    def __init__(self, m: re.Match[str], keep: list[int]) -> None:
        self._m, self._keep = m, keep

    def start(self) -> int:
        return self._keep[self._m.start()]

    def end(self) -> int:
        return self._keep[self._m.end() - 1] + 1

    def group(self, n: int = 0) -> str:
        return self._m.group(n)

    def groups(self) -> tuple[Any, ...]:
        return self._m.groups()


def _cue_matches(pattern: re.Pattern[str], text: str, typed: frozenset[int]) -> list[Any]:
    """The matches of a cue's pattern in `text`, then those found only with the spaces typed
    between Chinese words dropped ("今年 每个月 都 下过单 的 客户": 每个月都下过单, bought in every
    month), placed back on `text`. A space a blanked cue left is never dropped (two cues' words
    are not joined across it)."""
    out: list[Any] = list(pattern.finditer(text))
    gaps = [i for i in typed if _CJK_GAP.match(text, i)]
    if not gaps:
        return out
    drop = set(gaps)
    keep = [i for i in range(len(text)) if i not in drop]
    joined = "".join(text[i] for i in keep)
    taken = [(m.start(), m.end()) for m in out]
    for m in pattern.finditer(joined):
        if m.end() <= m.start():
            continue
        span = _Span(m, keep)
        start, end = span.start(), span.end()
        if not any(start < i < end for i in drop):
            continue  # found as typed already (or not across a space)
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        out.append(span)
    return out


# an upper bound said beside a count a cue reads as a lower one ("placed at most 10 invoices": the
# cue "10 invoices" is 10 or more; "no more than 10 orders": the cue "more than 10 orders")
_UPPER_BEFORE = re.compile(
    r"(?:\bat\s+most|\bno|\bnot|\bfewer\s+than|\bless\s+than|\bunder|\bup\s+to|\bmaximum\s+of"
    r"|\bmax\.?|\bbelow|最多|至多|不超过|不多于|不到|少于|低于|小于)\s*(?:下过?|买过?|开了?|有|了)?\s*$"
)
_UPPER_AFTER = re.compile(r"\s*(?:或以下|及以下|以下|以内|\bor\s+(?:fewer|less)\b|\bat\s+most\b)")


def _refuse_upper_bound(text: str, m: Any) -> None:
    """Refuse a count read as a lower bound ("at least N", "more than N") when the words beside it
    bound it from above: the set would be the opposite people."""
    before = _UPPER_BEFORE.search(text[: m.start()])
    after = _UPPER_AFTER.match(text, m.end())
    said = before.group(0).strip() if before else after.group(0).strip() if after else None
    if said is None:
        return
    raise NotUnderstood(
        f"not understood, nothing answered: '{said}' bounds '{m.group(0).strip()}' from above,"
        " but only a lower bound of a count of people's orders is read here (N or more) — ask"
        " the people with more than N, or all of them and those with more",
        [said],
        [],
        [],
    )


# a refund word right before a count ("退款超过2次", "退了3次及以上", "退货不止一次"): what is counted is
# the refunds, not the orders bought — no orders condition (the count is left unplaced: refused)
# the named values counted again before 都 ("beleza_saude和perfumaria两类都下过单", "家具、家纺和灯具
# 三个品类都买过", "A和B两个国家都有下单"): the count says again how many were named — left out
# (said) when it is their number, so 都 reads the named ones each bought (A, session 42); a count
# that is not their number stays (refused as before)
_KIND_AFTER_COUNT = re.compile(
    r"(?P<n>两|二|三|四|五|[2-5])\s*(?:个|种|大)?\s*(?:类目|品类|类别|类|种类|平台|国家|州|省份|省|城市|渠道|店铺|商家|卖家)"
    r"\s*(?=(?:也|全|全部)?\s*都|\s*同时)"
)
_LIST_JOINERS = re.compile(r"和|与|跟|及|以及|、|/|\band\b|,|，")


def named_count_said_again(question: str) -> tuple[str, list[str]]:
    """`question` without a count of the values named said again before 都, and what was read."""
    from shopql.catalog.timephrase import cn_number

    m = _KIND_AFTER_COUNT.search(question)
    if m is None:
        return question, []
    n = cn_number(m.group("n"))
    clause = re.split(r"[。？?！!；;]|\s{2,}", question[: m.start()])[-1]
    joiners = [j for j in _LIST_JOINERS.finditer(clause) if j.group(0) not in (",", "，")]
    if n is None or n < 2 or len(joiners) != n - 1:
        return question, []
    said = f"'{m.group(0).strip()}': the {n} named before it, each"
    return f"{question[: m.start()]} {question[m.end() :]}", [said]


def find_cues(question: str, across_spaces: bool = False) -> PeopleQuestion:
    """The set-logic phrases of `question` (possibly none), blanked out of its text;
    `across_spaces`: also those said with spaces typed between their Chinese words."""
    text = normalise(question)
    out = PeopleQuestion(text=text)
    typed = _typed_cjk_spaces(text) if across_spaces else frozenset()
    for pattern, kind, how in _CUES:
        for m in _cue_matches(pattern, out.text, typed):
            if not m.group(0).strip() or out.text[m.start() : m.end()].isspace():
                continue
            if kind == "lapsed" and _CALENDAR_MONTH.match(m.group(0)):
                continue  # "7月买过8月没再买": 8月 is August (a span of months says 8个月)
            if how == "after_first" and not any(c.kind == "first_order" for c in out.cues):
                continue  # a spaced 回来 with no first order: the period reading's "after"
            if kind == "orders" and _OTHER_EVENT_BEFORE.search(out.text[: m.start()]):
                continue  # "退款不止一次", "退款超过2次", "退 了 3次 及 以上": refunds counted, not orders
            number = next((g for g in m.groups() if g), None) if m.groups() else None
            if how in ("exactly", "at_most"):  # 刚好来过两次, 最多下过3单: that many
                n = _number(number) if number else None
                if n is not None and n < 1:
                    n = None
            elif how in ("least", "more"):
                _refuse_upper_bound(out.text, m)
                n = _number(number) if number else None
                if n is not None and how == "more":
                    n += 1
            elif how == "week":  # "within a week" / "within 10 days"
                n = _number(number) if number else 7
            elif how == "month":  # "首单后一个月内": 30 days
                n = 30
            else:
                n = None if how == "after_first" else how
            unit = "day"
            if kind == "vs_average":  # the condition's kind: what is compared, which way
                n, unit = None, _vs_average(m)
            if how == "every_spend":  # the amount spent in each unit (a whole one)
                amount = float(m.group("amount"))
                n = int(amount) if amount.is_integer() and amount >= 1 else None
                unit = _EVERY_UNITS[m.group("unit")]
            if how == "every":  # the unit every one of which they bought in
                n, unit = None, _EVERY_UNITS[number or ""]
            elif how == "every_said":  # "四个季度都买过": that many, every one of them
                n, unit = _number(m.group(1)), _EVERY_UNITS[m.group(2)]
            if kind == "several":  # n different units: the unit said after the number
                unit = _EVERY_UNITS[next(g for g in m.groups()[::-1] if g)]
            if kind == "lapsed" and how in ("before", "since"):  # the day it starts: the
                n, unit = None, how  # period said
            elif kind == "lapsed":
                n, unit = _lapsed_span(m.group(0), number, n)
            if (
                kind == "first_order"
                and any(
                    c.kind == kind and _OF_THEM.fullmatch(out.text[c.end : m.start()])
                    for c in out.cues
                )
                and _FIRST_ORDER_NOUN.fullmatch(m.group(0).strip().removesuffix("的"))
                and (
                    _FIRST_ORDER_VALUED.match(out.text, m.end())
                    or _VALUED_EN.search(out.text)
                    and m.group(0).isascii()
                )
            ):
                continue  # "新客的首单贡献了多少": the first orders themselves, valued (refused)
            out.text = blank(out.text, m.start(), m.end())
            if any(c.kind == kind and c.n == n for c in out.cues):
                continue  # "7月份的新客户 (第一次买)": one condition said twice
            across = isinstance(m, _Span)
            out.cues.append(Cue(kind, n, m.start(), m.end(), m.group(0), unit, across))
    if any(c.kind == "lapsed" for c in out.cues):  # "近60天没买的老客户": old = bought before
        out.cues = [c for c in out.cues if c.kind != "returning" or c.n is not None]
    for c in out.cues:  # "沉睡客户 180天": the days said apart from the word
        days = _DAYS.search(out.text) if c.kind == "lapsed" and c.n is None else None
        if days:
            c.n = int(days.group(1))
            out.text = blank(out.text, days.start(), days.end())
    if any(c.kind == "lapsed" for c in out.cues):
        for m in _BEFORE.finditer(out.text):
            out.text = blank(out.text, m.start(), m.end())
    for c in out.cues:  # "最后一次购买在2011年6月之前": the 之前 that closes the date
        if c.unit == "before":
            closing = re.compile(r"(?:之前|以前)").search(out.text, c.end)
            if closing is not None and closing.start() - c.end <= 14:
                out.text = blank(out.text, closing.start(), closing.end())
    if any(c.kind == "then" for c in out.cues):  # 先买沙发后来又买茶几: 先 (first) says the order
        for m in _FIRST_OF_TWO.finditer(out.text):
            out.text = blank(out.text, m.start(), m.end())
    return out


# the first order said as a thing after the new customers it is of, then valued ("新客的首单
# 贡献了多少", "新客首单的销售额", "new customers' first orders brought in"): only those orders'
# value is asked, not every order of the new customers (was: all their orders, 首单 read as 新客
# twice) — left unplaced, refused
_FIRST_ORDER_NOUN = re.compile(r"首单|第一单|首购|\bfirst (?:order|purchase)s?\b", re.IGNORECASE)
_FIRST_ORDER_VALUED = re.compile(
    r"\s*(?:的|里|中)?\s*(?:销售额|金额|营业额|成交额|gmv|贡献|占|花|带来|卖了|付了|实付|总额|收入|"
    # a duration of the first orders themselves (新买家的首单 下单后平均几天才付款: those orders',
    # not every order of theirs — session 39)
    r"(?:从\s*)?(?:下单|付款|付钱|发货|签收|收货)\s*(?:后|以后|之后|到)|平均\s*(?:几|多少|要|隔)|几天|多久|多少天|"
    r"(?:brought|brings?|made|came|generated|contributed|revenue|sales|value|amount|share))",
    re.IGNORECASE,
)

_OF_THEM = re.compile(r"\s*(?:的|'s|'|’s|’)?\s*")  # 新客的首单, new customers' first orders
_VALUED_EN = re.compile(r"\b(?:sales|revenue|how much|value|amount|spent|brought|gmv)\b", re.I)


# an event other than buying said just before a count of times ("上个月退款不止一次的客户",
# "customers who returned items more than once", "投诉过两次以上"): the times are that event's,
# not orders (was: people with 2+ paid orders who had a refund)
_OTHER_EVENT_BEFORE = re.compile(
    r"(?:退款|退货|退单|退钱|退|投诉|评价|差评|好评|浏览|加购|收藏|访问|来访|登录|取消|申请售后|售后)"
    r"\s*(?:了|过|次数)?\s*$"
    r"|\b(?:refunded|refund(?:s|ed)?|returned|returns?|complained|complaints?|cancell?ed|"
    r"cancell?ations?|reviewed|reviews?|viewed|visited|got (?:a )?refunds?|asked for (?:a )?refunds?)"
    r"(?:\s+(?:an? |their |the )?(?:items?|orders?|something|anything|products?))?\s*$",
    re.IGNORECASE,
)


_EVERY_UNITS = {
    "month": "month", "quarter": "quarter", "week": "week", "月": "month", "季度": "quarter",
    "季": "quarter", "周": "week", "星期": "week", "礼拜": "week", "months": "month",
    "quarters": "quarter", "weeks": "week", "月份": "month",
    "days": "day", "日子": "day", "天": "day",  # "在10个以上不同日子下过单": n different days
}  # fmt: skip


# a month of the calendar, not a span: "8月没再买" is August (8个月没买: eight months)
_CALENDAR_MONTH = re.compile(r"\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?!\s*[(（]\s*\d+\s*天)")


# "first" before the earlier purchase of a 'then' question (先买A…, first bought A, then …)
_FIRST_OF_TWO = re.compile(rf"先(?=在|到|去|从|{_BUY_ZH})|\bfirst(?= (?:{_BUY_EN}|on|in|at)\b)")


# the English words set questions are made of: a word one or two letters off is read as one
CUE_WORDS = (
    "customers", "customer", "buyers", "platforms", "platform", "channels", "orders", "people",
    "bought", "purchased", "ordered", "lapsed", "churned", "dormant", "returning", "multiple",
    "different", "several", "than",
)  # fmt: skip


def corrected(question: str) -> str:
    """`question` with misspelt set-question words put right ("custmers", "platfrom", "then one
    platform"): one letter off for words of 4–7 letters, two for longer ones."""

    text = re.sub(r"[A-Za-z]+", lambda m: _cue_fixed(m.group(0)), question)
    text = _PLACED_ORDERS.sub(r"\1ordered", text)
    return re.sub(r"\b(more|less|fewer) then\b", r"\1 than", text)


# "customers who placed orders in October and again in November": placing an order in a period
# said of people is their buying verb (ordered), not the orders counted beside the people
_PLACED_ORDERS = re.compile(
    r"\b((?:who|that|customers|buyers|people|clients|shoppers) )(?:placed|made) (?:an? |any |some )?"
    r"(?:orders?|purchases?)(?= (?:in|during|on|both|between)\b)",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=8192)
def _cue_fixed(word: str) -> str:
    """`word` (letters only), or the set-question word it misspells (`corrected`); worked out
    once per word."""
    low = word.lower()
    if len(low) < 4 or low in CUE_WORDS or low == "then":  # "and then": not "than"
        return word
    if any(_inflection(low, cue) or _inflection(cue, low) for cue in CUE_WORDS):
        return word  # "purchase" beside the cue "purchased": another form, not a typo
    if any(_stem(low) == _stem(cue) for cue in CUE_WORDS):
        return word  # "purchases" beside "purchased": both forms of "purchase"
    for cue in CUE_WORDS:
        limit = 1 if len(cue) < 8 else 2
        if abs(len(cue) - len(low)) <= limit and edit_distance(low, cue) <= limit:
            return cue
    return word


def _stem(word: str) -> str:
    """`word` without one English ending (purchases, purchased → purchase)."""
    for end in ("es", "ed", "s", "d"):
        if word.endswith(end) and len(word) > len(end) + 3:
            return word[: -len(end)] + (
                "e" if end in ("es", "ed") and word[-len(end) - 1] in "sc" else ""
            )
    return word


def _inflection(word: str, stem: str) -> bool:
    """`word` is `stem` with an English ending (purchase → purchased, order → orders)."""
    return word.startswith(stem) and word[len(stem) :] in ("s", "es", "d", "ed", "ing")


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, changes) of two short words (no library
    import on the question path: the words are a few letters long)."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def _lapsed_span(said: str, number: str | None, n: int | None) -> tuple[int | None, str]:
    """(n, unit) of a lapsed window: "3个月" = 3 months, "半年" = 6 months, "两周" = 14 days,
    "3个月（90天）" = 90 days (the days said in brackets), "6 months" = 6 months."""
    days = re.search(r"[(（]\s*(\d+)\s*天", said)
    if days:
        return int(days.group(1)), "day"
    if number == "半":
        if re.search(r"半\s*年", said):
            return 6, "month"
        return (15, "day") if re.search(r"半\s*个?\s*月", said) else (None, "day")
    if n is None:
        return None, "day"
    if re.search(r"\d\s*年|[一二两三四五六七八九十]\s*年", said):
        return 12 * n, "month"
    if re.search(r"月|months", said):
        return n, "month"
    if re.search(r"周|星期|礼拜|weeks", said):
        return 7 * n, "day"
    return n, "day"


def _lapsed_since(question: str, tr: Any, c: Cue, today: Any) -> Any:
    """The day a lapsed window starts when the question says it as a date (the period said
    with 'before' is when it starts); None when the window is said in days or not at all."""
    if c.unit not in ("before", "since") or tr is None:
        return None
    if c.unit == "since":  # "haven't ordered since <the period>": the period right after it
        after = normalise(question)[c.end :].strip().lower()
        if not tr.label or not after.startswith(tr.label.strip().lower()):
            return None
    elif not re.search(r"\bbefore\b|之前|以前", normalise(question)):
        return None  # "bought in H1 and nothing since": since the period's end, not its start
    day = tr.start or tr.end
    if day is None:
        return None
    day = day.date() if hasattr(day, "date") else day
    return day if day < today else None


# the words between a first order and its own period: "2010年12月 (的) 首单", "首单 (是) 在 2010年12月"
_OWN_BEFORE = re.compile(r"^[\s的]*$")
_OWN_AFTER = re.compile(
    r"^\s*(?:是|都是|发生)?\s*在\s*$|^\s*(?:was|were|is)?\s*(?:in|on|during)\s*$"
)


# a period said as the one already named: 当月 (that month), 同年, 那个月, "that month", "the same month"
_SAME_PERIOD = re.compile(
    r"当(?:月|年|周|天|日|季|期)|同(?:一个?)?(?:月|年|周|天|季)|那(?:一|个)?(?:月|年|周|天|季)|该(?:月|年)|"
    r"\b(?:that|the same)\s+(?:month|year|week|day|quarter)\b"
)


def _cue_periods(question: str, p: Any, cues: list[Cue], text: str, ws: Any) -> None:
    """Two periods said in a set question no period logic reads (no 'not', no 'both'): a new
    customer's own period said right beside the cue ("2010年12月首单的客户 今年买了5次以上") is that
    cue's, the other the question's; two periods otherwise are refused — one of them would be
    dropped, answering the people of another period."""
    from shopql.nlq.periods import running_to_date
    from shopql.nlq.phrases import festivals_read, find_time

    festivals, rest = festivals_read(ws, text), text
    said: list[tuple[Any, Any]] = []
    while len(said) < 3:
        tr, at, rest = find_time(rest, ws.today, festivals)
        if tr is None or at is None:
            break
        said.append((tr, at))
    if len(said) < 2 or any(_SAME_PERIOD.search(at.text) for _, at in said):
        return  # "上个月的销售额 来自当月新客": 当月 is the period said before, not a second one
    if len({(tr.start, tr.end) for tr, _ in said}) == 1:
        return  # "july buyers who ordered more than once in july": one period said twice
    first = [c for c in cues if c.kind == "first_order"]
    if len(said) == 2 and len(first) == 1:
        c = first[0]
        own = [
            (tr, at)
            for tr, at in said
            if (at.end <= c.start and _OWN_BEFORE.match(text[at.end : c.start]))
            or (c.end <= at.start and _OWN_AFTER.match(text[c.end : at.start]))
        ]
        if len(own) == 1:
            (other,) = [tr for tr, at in said if at is not own[0][1]]
            mine = running_to_date(own[0][0], ws.today)
            other = running_to_date(other, ws.today)
            now = p.time
            if (
                other is not None
                and now is not None
                and (other.start, other.end)
                == (
                    now.start,
                    now.end,
                )
            ):
                c.time = mine
                return
    why = "several periods: say which condition each one is of"
    _refuse(question, p, ws, why, [f"time: {tr.label}" for tr, _ in said])


def _two_periods_compared(p: Any) -> bool:
    """ "8月新买家数比7月多了百分之几": the catalog's people metric of one period against another's
    (its change, in percent or not), which the ordinary engine compares; the sets keep one period
    per condition and would refuse it."""
    return bool(
        getattr(p, "two_periods", None)
        and not p.top_n
        and set(p.modifiers) <= {"share", "growth"}
        and not p.dimensions
    )


def _periods_said(text: str, ws: Any) -> int:
    """How many time phrases `text` says."""
    from shopql.nlq.phrases import festivals_read, find_time

    festivals, n = festivals_read(ws, text), 0
    while n < 5:
        tr, _, text = find_time(text, ws.today, festivals)
        if tr is None:
            break
        n += 1
    return n


def _in_days(c: Cue, today: Any) -> int | None:
    """A lapsed cue's window in days before today (n months: back to the same day n months
    before, as "last 6 months" reads)."""
    if c.n is None or c.unit != "month":
        return c.n
    from shopql.catalog.timephrase import add_months

    return (today - add_months(today, -c.n)).days


def _number(word: str) -> int | None:
    from shopql.catalog.timephrase import cn_number

    return cn_number(word)


# what sets two groups of people side by side when it is all that stands between them
_GROUP_JOINERS = {
    "",
    "vs",
    "vs.",
    "versus",
    "v.s.",
    "对比",
    "对",
    "比",
    "和",
    "与",
    "跟",
    "、",
    "/",
    "还是",
    "or",
    "and",
}


def _set_beside_set(cues: list[Cue], text: str) -> bool:
    """Exactly a new-buyer cue and a returning-buyer cue with only a joiner ("vs", "和", a
    space) between them: new vs returning, not the people who are both (none)."""
    if sorted(c.kind for c in cues) != ["first_order", "returning"]:
        return False
    a, b = sorted(cues, key=lambda c: c.start)
    return text[a.end : b.start].strip().lower() in _GROUP_JOINERS


def joined_across_spaces(question: str) -> str | None:
    """The question without the spaces typed between its Chinese words when a set phrase of it is
    found only across them ("今年 每个月 都 下过单 的 客户": 每个月都下过单), else None. The engine
    reads it whole — the same reading as typed without spaces (a cohort metric stays a cohort
    metric: "二季度 第一次 来 买 的 客户 第二单 平均 隔 了 几天")."""
    fixed = normalise(corrected(question))
    if not _typed_cjk_spaces(fixed) or not any(c.across for c in find_cues(fixed, True).cues):
        return None
    joined = without_cjk_spaces(question, digits=True)
    return None if joined == question else joined


# "信用卡和boleto都用过的客户", "只用过boleto付款的客户", "付款全部用boleto的买家": paying with a
# channel is buying with it (the order's own payment channel): the using verb is the buying verb,
# the paying word (付款, not 付款方式) says nothing more
_USED_ZH = re.compile(
    r"(?:使用过|使用了|使用|(?<![信费作实常通应])(?:用过|用了|用)|刷过|刷了|刷)(?!户|品|途|的?钱|掉|完)"
    # "付款全都走boleto", "拿voucher结账": 走 / 拿 said right before a payment channel's name
    r"|(?:走|拿)(?:过|了)?(?=\s*(?:[A-Za-z]|微信|支付宝|信用卡|借记卡|银行卡|代金券|礼券))"
)
_PAID_ZH = re.compile(
    r"(?:付过钱|付了钱|付的钱|付钱|付过款|付了款|付的款|付款|支付过|支付|付过|付)"
    r"(?!宝|方式|渠道|方法|时间|金额|了?多少|过?钱|了钱|的钱)"
)


# "每100个买家里有几个是买了不止一次的", "out of every 100 customers, how many bought twice": the share
# of the people among them, said per 100 (or 1000) — read as the share (占几成), its figure scaled
_PER_N_ZH = re.compile(
    r"每\s*(100|一百|1000|一千)\s*(?:个|位|名)?\s*(买家|客户|顾客|用户|会员|人)\s*(?:里面|里|中|当中)\s*"
    r"(?:有)?\s*(?:几|多少)\s*(?:个|位|名)?\s*(?:人)?\s*(?:是)?\s*(.*?)\s*([?？。]?)\s*$"
)
_PER_N_EN = re.compile(
    r"\b(?:out of every|of every|for every|in every|per)\s+(100|hundred|1,?000|thousand)\s+"
    r"(customers|buyers|people|shoppers|clients)\b([^,?.]{0,30}?)\s*,?\s*how many\b",
    re.IGNORECASE,
)
_PER_N_VALUE = {"100": 100, "一百": 100, "hundred": 100, "1000": 1000, "一千": 1000,
                "1,000": 1000, "thousand": 1000}  # fmt: skip


def _per_n(text: str) -> tuple[str, int | None]:
    """`text` with a 'per 100 people' phrase said as the share of those people, and the N."""
    m = _PER_N_ZH.search(text)
    if m is not None:
        said = f"{text[: m.start()]}{m.group(2)}里{m.group(3)}占几成{m.group(4)}"
        return said, _PER_N_VALUE[m.group(1)]
    m = _PER_N_EN.search(text)
    if m is not None:
        said = f"{text[: m.start()]}what share of {m.group(2)}{m.group(3)}{text[m.end() :]}"
        return said, _PER_N_VALUE[m.group(1).lower()]
    return text, None


def _paid_with_as_bought(text: str, ws: Any) -> str:
    """`text` with its using and paying verbs said as buying ones, when it names a payment
    channel's value and a Chinese using verb (else `text` unchanged)."""
    if not _USED_ZH.search(text) or "payment_channel" not in ws.catalog.dimensions:
        return text
    from shopql.nlq.reading import parse

    p = parse(text, ws)
    if not any(f.dimension == "payment_channel" and f.op == "in" for f in p.filters):
        return text
    if any(m.term.kind == "dimension" for m in p.links.of("dimension")):
        return text  # "付款方式": the channel as a breakdown, not a purchase with it
    # "付款全部用boleto", "每次都用信用卡": every purchase with it, 只用
    out = re.sub(
        r"(?:全\s*部|全\s*都|都是|一直|每次都|每单都|每一单都|始终)\s*(?=(?:用|使用|走|拿))",
        "只",
        text,
    )
    out = _USED_ZH.sub("买过", out, count=1)
    out = _PAID_ZH.sub(" ", out)
    return re.sub(r"买过\s*买过", "买过", out)


def understand_people(
    question: str, ws: Any, parsed: Any = None, place: int | None = None
) -> Any | None:
    """An Understanding with a population for a set question; None when it is not one (the
    ordinary engine answers). NotUnderstood when it is one, but only partly understood.
    `parsed`: the ordinary parse of `question`, when the caller has it. `place`: the place of a
    ranking asked ("花钱第三多的客户": 3): only a ranked list of the people takes it (the person
    at that place, the ranking down to it beside); anything else is None.

    A question whose set phrases are found only across spaces typed between its Chinese words
    is read whole without those spaces by the caller (`joined_across_spaces`)."""
    from shopql.nlq.reading import LINE_DIMS, parse
    from shopql.nlq.shared import Understanding

    fixed = corrected(question)
    if not _ABOUT_PEOPLE.search(normalise(fixed)):
        return None
    fixed, per = _per_n(fixed)
    fixed = _paid_with_as_bought(fixed, ws)
    from shopql.nlq.comparisons import WHICH_PERIOD

    which = [
        m
        for m in WHICH_PERIOD.finditer(normalise(fixed))
        if not re.search(r"(?:没有|没)\s*$", normalise(fixed)[: m.start()])
    ]  # not "没有哪个季度是空着的": no quarter left empty (every one: a cue)
    if which:  # "哪个月买家最多": periods ranked, not people
        return None
    if _WHO_MORE.search(normalise(fixed)):  # "douyin or jd - who had more buyers": A vs B
        return None
    from shopql.nlq.people_periods import count_restated, only_restated

    fixed = count_restated(fixed, ws)  # "9月、10月、11月连着三个月都买过": the three listed
    fixed = only_restated(fixed, ws)  # "只在上半年买过 下半年没露面": only then, said twice
    fixed, _ = named_count_said_again(fixed)  # "A和B两类都下过单": the two named, each
    found = find_cues(fixed)
    cues = found.cues
    if cues:
        _refuse_two_groups(question, fixed, ws)
        _refuse_each_of_two_conditions(question, fixed, ws, cues)
        _refuse_orders_that_were_first(question, fixed, ws, cues)
        _refuse_again_after_first(question, fixed, ws, cues)
    plain = parsed if parsed is not None and fixed == question else None
    if events_set((plain or parse(fixed, ws)).metrics, ws):  # "加购了但没下单的有多少人"
        return None
    if _lapsed_as_tag(cues, ws):
        plain = plain or parse(fixed, ws)
        if plain.time is None and not plain.excluded:  # "沉睡客户有多少人": the lifecycle tag
            return None
    if cues and {c.kind for c in cues} <= {"first_order", "returning"}:
        plain = plain or parse(fixed, ws)
        if plain.modifiers.get("new_vs_returning"):  # "新客和老客各多少": each counted, never
            return None  # the people who are both (none)
        if _set_beside_set(cues, found.text):  # "新客 vs 老客 上个月销售额": two groups side
            return None  # by side (the ordinary engine counts each or refuses), never both
    p = None
    from shopql.nlq.people_periods import find_periods

    periods = find_periods(found.text, ws)  # "去年买过今年没再买": a condition per period
    if periods is not None:
        found.text = periods.text
        periods.each = _cue_of_each_period(periods, cues, fixed)  # "10月和11月都退过货的"
        p = parse(found.text, ws)
    elif not cues:
        from shopql.nlq.comparisons import VERSUS

        if VERSUS.search(normalise(fixed)):  # "上海和北京买家数对比": A vs B, not a set
            return None
        if _SPENT_HOW_MUCH.search(normalise(fixed)):  # "SP或RJ的客户上季度买了多少钱": the
            return None  # money of those values' people, which the ordinary engine sums
        _refuse_two_groups(question, fixed, ws)
        p = _kind_word_dropped(plain or parse(fixed, ws))
        if not _is_and_or_not(p):
            _refuse_both_unread(question, p, ws)
            return None
    elif {c.kind for c in cues} <= {"first_order", "returning", "orders"} and cues:
        # "新客数", "repeat customers": a people metric of the catalog says it all
        plain = plain or parse(fixed, ws)
        if _first_orders_valued(plain, cues):  # "每个月的新客户数和他们首单的平均金额"
            return None
        if (
            plain.metrics
            and set(plain.metrics) <= PEOPLE_METRICS
            and not _returning_of_some(plain, cues)
            and not _cue_among_buyers(plain, cues, found.text)
            and not _new_people_with_goods(plain, cues)
            and not [w for w in _leftover_beside(plain, ws) if not _ranks_periods(plain, w)]
            and not plain.excluded
            and not _LIST.search(_which_group(plain, _WHICH_PERIOD.sub(" ", found.text)))
            and (
                not (plain.top_n or plain.modifiers)
                or _groups_ranked(plain)
                or _periods_ranked(plain)
                or _two_periods_compared(plain)
            )
        ):
            return None
    p = p or _kind_word_dropped(parse(found.text, ws))  # "买圣诞商品的客户": no split
    from shopql.nlq.periods import running_to_date

    p.time = running_to_date(p.time, ws.today)  # "今年买了3次": up to today, as every answer
    if periods is None and cues:
        _cue_periods(question, p, cues, found.text, ws)
    # "how many new customers last month" is the new_buyers metric itself: no set needed
    others = [m for m in p.metrics if m not in PEOPLE_METRICS and not _count_of_cue(m, p, found)]
    others = [m for m in others if not _goods_of_a_word(m, p)]  # "买过圣诞商品的有多少"
    others = [m for m in others if not _buying_verb_of_people(m, p)]  # "今年又下过单的有几个"
    ranked = bool(p.top_n or p.modifiers.get("top") or p.modifiers.get("bottom"))
    by_spend = [m for m in others if m in ("paid_gmv", "paid_orders")]
    if ranked and by_spend == others and len(others) == 1 and not p.dimensions:
        others = []  # "top 5 … customers by spend": a ranked list of the people
    if others and _COUNT_PEOPLE.search(found.text):
        _refuse(question, p, ws, f"both a number of people and {', '.join(others)} asked", [])
    per_head = _per_head_of_another(p, others)
    if per_head:  # "上个月退款的客户人均退款金额": the refunds per refunding person, not the
        # people's spend per buyer (人均 alone) beside their refunds
        why = (
            f"'{per_head}' is another figure per person of these people, which is not read"
            " (人均 alone is their spend per buyer): ask the figure and the number of people"
        )
        _refuse(question, p, ws, why, [])
    counted = bool(_COUNT.search(found.text) or _COUNT_PEOPLE.search(normalise(fixed))) or any(
        m.phrase.endswith(("数", "count", "number")) for m in p.links.of("metric")
    )
    asks_list = bool(_LIST.search(_RELATIVE.sub(" ", found.text)))
    wants_list = asks_list and not counted
    kinds = {c.kind for c in cues}
    if kinds and kinds <= {"first_order", "returning"} and len(cues) == 1 and periods is None:
        simple = not others and not wants_list and not ranked and not p.filters
        if simple and not p.excluded:
            plain = plain or parse(fixed, ws)
            if not _leftover(plain):  # "上个月新客有多少": the new_buyers metric says it
                return None
    understood: list[str] = []
    tables = {m.term.target for m in p.links.of("table") + p.links.of("column")}
    if tables - {"customers", "orders", "one_ids"}:  # "… and wrote a review"
        what = ", ".join(sorted(tables - {"customers", "orders", "one_ids"}))
        _refuse(question, p, ws, f"a set question about {what} is beyond the engine", understood)
    if p.time is not None:
        understood.append(f"time: {p.time.label or 'a period'}")
    for c in cues:
        understood.append(f"{c.kind}: {c.text.strip()}")
    if p.modifiers.get("share") and not others and not p.dimensions and not ranked:
        # "share of buyers who shop on 2+ platforms", "多平台买家占全部买家的比例": the buyers
        # among these people over all buyers (the same period)
        # "今年的买家里只在一个品类买过东西的占几成" too: of every buyer of the period (a buyer
        # whose paid orders have no line bought in no category; heldout25's gold counts them,
        # dev_w32's w32o33 does not — the question says 今年的买家里 in both)
        others = ["buyers"]
        p.links.leftover = [w for w in p.links.leftover if w not in _WHOLE_WORDS]
    share = bool(p.modifiers.get("share")) and len(others) == 1 and not p.dimensions
    if _within_groups(p, cues, others, ranked, periods):
        # "今年每个平台的客户里只买过一次的各占几成": per platform, its one-time buyers ÷ its buyers
        return _share_within_groups(p, cues, ws)
    # "2018年新客户中SP的占比", "SP占新客的比例", "what share of new customers are from SP": the
    # value is the part of those people (SP's new ÷ all new), not whose people (SP's new ÷ SP's)
    part = _value_said_as_part(normalise(fixed), cues, p) if share else ()
    if p.modifiers.keys() - {"negation", "top", "bottom", *(["share"] if share else [])}:
        extra = sorted(p.modifiers.keys() - {"negation", "top", "bottom"})
        _refuse(
            question,
            p,
            ws,
            f"a set question with {', '.join(extra)} is beyond the engine",
            understood,
        )
    if periods is not None and periods.problem:
        _refuse(question, p, ws, periods.problem, understood)
    if p.modifiers.get("negation") and not p.excluded and "lapsed" not in kinds:
        # "上个月没有复购的客户数": a 'not' that no excluded value or lapsed window takes would
        # be dropped, answering the opposite set (the repeat buyers)
        said = [m.phrase for m in p.links.of("modifier") if m.term.target == "negation"]
        p.links.leftover = [*p.links.leftover, *said]
        _refuse(question, p, ws, "a 'not' that negates no value nor period", understood)
    measured: list[Filter] = []
    spent = _spent_after_people(p, cues, found.text) if others and periods is None else []
    if spent:
        # "今年MG州的至少下过3单的买家刷信用卡买X花了多少": the values said after the people
        # are the figure's own orders (their credit-card X), not the orders counted (MG's)
        p.filters = [f for f in p.filters if f not in spent]
        measured.extend(spent)
        understood.append(
            "values said after the people: the figure's own orders ("
            + ", ".join(f"{f.dimension} = {', '.join(map(str, f.values))}" for f in spent)
            + ")"
        )
    if share and not p.dimensions and kinds == {"first_order"}:
        # "今年的新客里有几成是双11那天第一次来买的": the new customers of one period (said
        # before 里) and the share of them whose first order fell in a day of it
        nested = _new_among_new(question, p, ws, fixed, understood)
        if nested is not None:
            return nested
    _refuse_only_unread(question, p, ws, found.text, understood)
    conditions = _conditions(question, p, cues, ws, understood, periods, found.text, measured)
    if others:  # "复购客户…平均间隔天数": a unit word beside a measure over the people is placed
        place_units(p, others, ws)  # as in any question
    if "first_order" in kinds:  # "近60天新增了几个首购买家": 新增 says new, as the cue does
        p.links.leftover = [w for w in p.links.leftover if w not in _NEW_WORDS]
    leftover = _unplaced(p)
    if leftover:
        _refuse(question, p, ws, "some words of this set question were not placed", understood)
    from shopql.nlq.summed import dimension_summed as _dimension_summed

    _dimension_summed(p)  # "所有平台加起来的多平台客户数": over every platform, not by each
    dims = [d for d in p.dimensions if d in ws.catalog.dimensions]
    dims = [d for d in dims if d not in {f.dimension for f in p.filters}]
    output = "list" if (wants_list or ranked) and not others and not dims else "count"
    people = PeopleSet(tuple(conditions), output)
    order: tuple[OrderBy, ...] = ()
    limit = None
    if place is not None and not (output == "list" and ranked and p.top_n in (None, 1)):
        return None  # a place of another ranking: the ordinary engine's (or refused)
    if output == "list" and ranked:
        metric = next((m for m in p.metrics if m in ("paid_gmv", "paid_orders")), "paid_gmv")
        order = (OrderBy(metric, not p.modifiers.get("bottom")),)
        limit = place or p.top_n or 10
    if others and ranked and dims:  # "多平台客户销售额前三的类目": top-N values over the people
        order = (
            OrderBy(others[0], not p.modifiers.get("bottom")),
            *(OrderBy(d, False) for d in dims),
        )
        limit = p.top_n or 10
    elif others and ranked:
        _refuse(question, p, ws, "a ranking over a set of people needs a breakdown", understood)
    if periods is not None and share and others == ["buyers"] and not dims and not cues:
        # "10月买过的客户里11月又回来的占多少": of one period's buyers, the share meeting the rest
        at = _whole_period(question, p, ws, periods, conditions, understood)
        return _share_of_their_buyers(question, p, ws, conditions, at, understood)
    said_as = normalise(fixed)  # the cues' places, their words not blanked
    whole = _whole_among(p, conditions, cues, said_as) if share and not dims else None
    if whole is None and share and not dims:  # "11月的新客中买过茶杯的比例": of the new ones
        whole = _first_order_among(p, conditions, cues, found.text, question)
    if whole is None and share and not dims and others == ["buyers"]:
        wider = _new_ones_of_a_wider_period(question, p, ws, conditions)
        if wider is not None:  # "今年的新客里有几成是双11那天第一次来买的"
            return wider
    if whole is not None and others == ["buyers"]:
        # "买过茶壶的客户里也买过茶杯的占多少", "11月的新客里只买了一次的占多少": of the people
        # said before 里 (the teapot's buyers, the new customers), not of every buyer
        return _share_of_their_buyers(question, p, ws, conditions, whole, understood)
    if periods is not None and (others or dims):
        why = "a measure over people defined by several periods: say the measure's own period"
        _refuse(question, p, ws, why, understood)
    # neither "how many" nor "which": the number, and who they are beside it
    bare = output == "count" and not (asks_list or counted or others or dims)

    # only when a count of their orders was said in total too ("一共买过3次以上 … 平均每人一共
    # 花了多少"): 一共 alone is the sum over them ("上季度的新客 一共花了多少钱": in the quarter)
    counted_in_total = any(
        c.kind in ("orders", "orders_exactly", "orders_at_most")
        and _in_total_before(found.text, c, cues)
        for c in cues
    )
    lifetime = bool(others) and counted_in_total and _in_total_asked(found.text, cues)
    if lifetime:
        understood.append("answer: over all their orders (一共, in total), any time")
    if per and (not share or part or dims or lifetime):  # "每100个买家里有几个": a share, scaled
        why = f"'per {per}' said of something other than a share of these people"
        _refuse(question, p, ws, why, understood)
    query = SemanticQuery(
        metrics=tuple(others),
        dimensions=tuple(dims),
        time_range=None if lifetime else p.time,
        filters=_share_within(conditions) if share and not part else tuple(measured),
        order_by=order,
        limit=limit,
        population=people,
        extra=(
            {"list_too": True}
            if bare
            else {"population_share": part or True, **({"per": per} if per else {})}
            if share
            else {"rank_at": place}
            if place is not None
            else {}
        ),
    )
    compound = None
    kinds_used = [c.kind for c in conditions]
    line_level = {f.dimension for c in conditions for f in c.filters} <= set(LINE_DIMS)
    exclusion_timed = any(c.kind == "not_bought" and c.time_range for c in conditions)
    if (
        kinds_used == ["bought", "not_bought"]
        and output == "list"
        and line_level
        and not exclusion_timed
    ):
        compound = "buyers_without"  # as before: `ask --save-segment` can save it
        query = SemanticQuery(
            metrics=("buyers",),
            time_range=p.time,
            filters=(*conditions[0].filters, *_negated(conditions[1].filters)),
            population=people,
        )
    from shopql.catalog.people import describe_people
    from shopql.nlq.reading import describe
    from shopql.nlq.sellers import by_line_seller

    query = by_line_seller(query, ws)  # "by seller": each seller of their orders' lines
    lines = describe_people(people, measured=bool(others or dims))
    if others:
        lines = describe(query, ws) + lines
    elif dims:
        lines.append("by: " + ", ".join(dims))
        if query.line_seller:
            lines.append("by each order line's own seller: a person counts once for each")
    if limit and not others and place is not None:
        lines.append(
            f"the person at place {place} from the {'bottom' if p.modifiers.get('bottom') else 'top'}"
            f" by {order[0].name}, with the ranking down to it"
        )
    elif limit and not others:
        lines.append(
            f"{'bottom' if p.modifiers.get('bottom') else 'top'} {limit} by {order[0].name}"
        )
    if part:
        lines.append(
            f"share: these people with the {', '.join(part)} named ÷ all these people (any "
            f"{', '.join(part)})"
        )
    return Understanding(query, compound=compound, recognised=lines, ignored=[])


# the whole of a share said after 占 ("11月又来买的占10月客户的几成": of October's customers)
_TAKES = re.compile(r"占|\b(?:share|percentage|proportion|part) of\b")


# a first order said again after the new customers' 里 ("今年的新客里 … 双11那天第一次来买的")
_FIRST_AGAIN = re.compile(
    r"第一次|头一次|首次|首单|第一单|\bfirst[- ]time\b|\bfirst (?:order|purchase)"
)


def _new_among_new(question: str, p: Any, ws: Any, fixed: str, understood: list[str]) -> Any:
    """The share of one period's new customers whose first order fell in a part of it, said as
    new customers (the whole, their period before 里/中) and a first order again after it (its
    own period): None when not said so; refused when the part's period is not inside the
    whole's (or either is missing)."""
    from shopql.nlq.periods import running_to_date
    from shopql.nlq.reading import parse

    text = normalise(fixed)
    among = _AMONG_PEOPLE.search(text)
    if among is None or not _FIRST_AGAIN.search(text, among.end()):
        return None
    if not re.search(r"新(?:客户|客|买家|顾客|用户|会员)|\bnew\b", text[: among.end()]):
        return None
    whole = parse(text[: among.start("at")], ws).time
    part = parse(text[among.end() :], ws).time
    if part is None:
        return None  # "今年的新客里第一单在天猫的占多少": the first order's value, not a period
    whole = running_to_date(whole, ws.today) if whole is not None else None
    part = running_to_date(part, ws.today)
    if not _inside(part, whole):
        why = (
            "new customers among new customers: say the period of each (the part inside the whole)"
        )
        _refuse(question, p, ws, why, understood)
    assert whole is not None and part is not None
    conditions = [
        PeopleCondition("first_order", (), whole),
        PeopleCondition("first_order", (), part),
    ]
    understood.append(f"of the new customers of {whole.label}: those new in {part.label}")
    return _share_of_their_buyers(question, p, ws, conditions, 0, understood)


def _inside(part: TimeRange | None, whole: TimeRange | None) -> bool:
    """Whether `part` is a period inside `whole` and not all of it (both with a start)."""
    if part is None or whole is None or part.start is None or whole.start is None:
        return False
    if (part.start, part.end) == (whole.start, whole.end) or part.start < whole.start:
        return False
    return whole.end is None or (part.end is not None and part.end <= whole.end)


# the average of the new customers' first orders: itself a figure of the people whose first
# order falls in the period (the catalog's first_orders model), by any breakdown or grain
_FIRST_ORDER_FIGURES = {"first_order_aov"}


def _first_orders_valued(plain: Any, cues: list[Cue]) -> bool:
    """ "今年每个月来了多少新客户 他们第一张发票平均多少钱": new customers (no period of their own)
    with the average of their first orders asked — the catalog's metrics say it all."""
    said = set(plain.metrics)
    return (
        all(c.kind == "first_order" and c.time is None for c in cues)
        and bool(said & _FIRST_ORDER_FIGURES)
        and said <= PEOPLE_METRICS | _FIRST_ORDER_FIGURES
        and not plain.excluded
        and not _leftover(plain)
    )


def _whole_period(
    question: str,
    p: Any,
    ws: Any,
    periods: Any,
    conditions: list[PeopleCondition],
    understood: list[str],
) -> int:
    """The condition of the period whose buyers are a share's whole: the first period said, or
    the first said after 占 ("11月又来买的占10月客户的几成")."""
    said = periods.periods
    if len(conditions) != len(said):  # a value or another condition beside the periods
        why = "a share of one period's buyers with other conditions beside the periods"
        _refuse(question, p, ws, why, understood)
    takes = _TAKES.search(periods.text, said[0].end)
    after = [i for i, x in enumerate(said) if takes is not None and x.start >= takes.end()]
    return after[0] if after else 0


# the people a share is taken among, said before 里/中 ("买过茶壶的客户里", "11月的新客中")
_AMONG_PEOPLE = re.compile(
    r"(?:客户|买家|顾客|用户|客|人|会员)\s*(?:的)?\s*(?P<at>里面|里头|当中|之中|里|中)(?!位)"
)


# the new people said as people (新客, new customers), not as their first order (首单, 第一单,
# 第一次买, first order): goods said of them are bought in the period, not on the first order
_NEW_PEOPLE = re.compile(
    r"^\s*(?:新(?:客户|客|买家|顾客|用户|会员)|new (?:customers?|buyers?|clients?|shoppers?|people)"
    # the returning ones said as such (老客, returning customers): their goods likewise
    r"|老(?:客户|客|买家|顾客|用户|会员)|回头客"
    r"|(?:returning|existing) (?:customers?|buyers?|clients?|shoppers?|people))"
    r"(?:的)?\s*$"
)


def _goods_of_new_people(cue: Cue, values: Any) -> bool:
    """The cue names new people (新客, not 首单) and every value is goods (a product word, a
    product, a category): "11月买圣诞商品的新客" are November's new customers who bought the
    goods in November, not those whose first order held them (第一单就买了圣诞商品的新客户)."""
    from shopql.nlq.reading import LINE_DIMS

    return bool(_NEW_PEOPLE.match(cue.text)) and all(
        getattr(f, "dimension", None) in LINE_DIMS for f in values
    )


# the whole of a share said as the new people themselves: "占新客的多少", "占全部新客户的比例"
_NEW_WHOLE = re.compile(
    r"占\s*(?:全部|所有|总|整体)?\s*(?:的)?\s*新(?:客户|客|买家|顾客|用户|会员)(?!\s*(?:数|人数)?\s*里)"
)


def _new_people_whole(p: Any, text: str) -> bool:
    """A share whose whole is said after 占 as the new people ("买圣诞商品的新客占新客的多少");
    `text`: the question as asked (its cue words not blanked)."""
    return bool(p.modifiers.get("share")) and bool(_NEW_WHOLE.search(normalise(text)))


def _goods_measured(p: Any, cue: Cue, values: Any, text: str) -> bool:
    """New customers (新客) said before the goods, a figure asked of them: "11月新客买了多少件
    圣诞商品" (the units of the goods they bought) — every value's words said after the cue,
    none before it (`text`: the question the cues were found in)."""
    if not values or not _goods_of_new_people(cue, values) or not _figures_of_them(p):
        return False
    if p.modifiers.get("share"):
        return False
    said = [m.phrase for m in p.links.mentions if m.term.kind in ("value", "keyword")]
    # the cue's place is in `text` as found (its words blanked): spaces kept, so it stays there
    text = unicodedata.normalize("NFKC", text).lower()
    if said and all(text.rfind(w, 0, cue.start) >= 0 for w in said):
        # "units of christmas items bought by new customers": the goods, then who bought them
        last = max(text.rfind(w, 0, cue.start) + len(w) for w in said)
        return bool(_BOUGHT_BY.fullmatch(text[last : cue.start]))
    return bool(said) and all(
        text.find(w, cue.end) >= 0 and text.rfind(w, 0, cue.start) < 0 for w in said
    )


# the people right after a count of their orders ("至少下过3单的买家", "买了3次以上 的 客户"); in
# English the spending verb after it ("buyers with 3+ orders … spend on X")
_PEOPLE_AFTER_COUNT = re.compile(r"\s*的\s*(?:买家|客户|客人|顾客|用户|会员|人)")
_SPEND_AFTER_COUNT = re.compile(r"\b(?:spend|spent)\b")


def _spent_after_people(p: Any, cues: list[Cue], text: str) -> list[Filter]:
    """The filters of a figure asked of people counted by their orders, said after the people
    ("至少下过3单的买家 刷信用卡 买X 花了多少": the credit-card X lines are what is summed, the
    orders counted are any): one count-of-orders cue right before the people word (in English:
    before the spending verb, "buyers with at least 3 orders … spend with credit card"), every
    word of such a filter said after it and none before. Others: [] (all stay the
    condition's, as before)."""
    if len(cues) != 1 or cues[0].kind not in ("orders", "orders_exactly"):
        return []
    people = _PEOPLE_AFTER_COUNT.match(text, cues[0].end) or _SPEND_AFTER_COUNT.search(
        text, cues[0].end
    )
    if people is None:
        return []
    at = people.end()
    said: dict[Filter, list[str]] = {}
    for m in p.links.mentions:
        if m.term.kind != "value":
            continue
        for f in p.filters:
            if f.dimension == m.term.target and m.term.value in f.values and "like" not in f.op:
                said.setdefault(f, []).append(m.phrase)
    after = [
        f
        for f, words in said.items()
        if len(words) == len(f.values)
        and all(text.find(w, at) >= 0 and text.rfind(w, 0, at) < 0 for w in words)
    ]
    return after


# the goods said before the people who bought them ("christmas items bought by new customers")
_BOUGHT_BY = re.compile(
    r"\s*(?:items?|products?|goods|lines?|units?|pieces?)?\s*(?:that were\s+)?(?:bought|purchased|ordered)"
    r"\s+by\s+(?:the\s+|our\s+)?"
)


def _figures_of_them(p: Any) -> list[str]:
    """The metrics asked of the people beyond counting them (units, sales, a share): with goods
    said of new customers these stay over the first order's reading, as before."""
    return [m for m in p.metrics if m not in PEOPLE_METRICS and not _goods_of_a_word(m, p)] + (
        ["share"] if p.modifiers.get("share") else []
    )


def _new_people_with_goods(p: Any, cues: list[Cue]) -> bool:
    """One new-people cue (新客) and goods among the values: a set question (the people who are
    new and bought the goods), never the new-customers metric with the goods on the first order."""
    return (
        len(cues) == 1
        and cues[0].kind == "first_order"
        and bool(p.filters)
        and _goods_of_new_people(cues[0], p.filters)
    )


def _cue_among_buyers(p: Any, cues: list[Cue], text: str) -> bool:
    """ "11月买圣诞商品的客户里 有多少是新客": the people who bought something (a value or a
    product word said before 客户里) and, among them, those the cue after 里 names — two
    conditions on one person (bought that; first order in the period), not the new customers'
    metric with the values on their first order."""
    return len(cues) == 1 and bool(p.filters) and _said_before_among(p, cues[0], text)


def _said_before_among(p: Any, cue: Cue, text: str) -> bool:
    """The values (product words) all said before the people's 里/中 and the cue after it
    (`text`: the question the cues were found in): "买过茶壶的客户里 有多少是新客" (the cue's
    people among the teapot's buyers)."""
    among = _AMONG_PEOPLE.search(text)
    if among is None or cue.start < among.end():
        return False
    at = _AMONG_PEOPLE.search(p.links.text)
    said = [m for m in p.links.mentions if m.term.kind in ("value", "keyword")]
    return at is not None and bool(said) and all(m.end <= at.start("at") for m in said)


def _whole_among(
    p: Any, conditions: list[PeopleCondition], cues: list[Cue], text: str
) -> int | None:
    """ "买过茶壶的客户里也买过茶杯的占多少", "11月的新客里只买了一次的占多少": of two conditions,
    the one said right before the people's 里/中 is a share's whole (its index), the other said
    after it; None when the question is not said so."""
    if len(conditions) != 2:
        return None
    among = _AMONG_PEOPLE.search(text)
    # the values are placed in the text they were linked in (its periods taken out: "2026年至今
    # 买过女装的人里" is "买过女装的人里" there): set beside the cues' by the same 里/中
    linked = _AMONG_PEOPLE.search(p.links.text)
    shift = among.start("at") - linked.start("at") if among and linked else 0
    said = [(c.end, c.start, c.kind) for c in cues]
    said += [
        (m.end + shift, m.start + shift, "bought")
        for m in p.links.mentions
        if m.term.kind in ("value", "keyword")
    ]
    if among is None or not said:
        return None
    at, after = among.start("at"), among.end()
    before = [x for x in said if x[0] <= at]
    if not before or any(at < x[1] < after for x in said):
        return None
    kind = max(before)[2]
    if any(x[1] >= after and x[2] == kind and kind != "bought" for x in said):
        return None
    if len({x[2] for x in before}) > 1:
        return None  # two conditions said before 里: whose people is the whole?
    if not any(x[1] >= after for x in said):
        return None  # nothing of the part said after it
    kinds = [c.kind for c in conditions]
    if kind not in _WHOLE_METRICS or kinds.count(kind) != 1 and kind != "bought":
        return None
    return kinds.index(kind)


# the people of a condition as a catalog metric over its period and values (a share's whole)
_WHOLE_METRICS = {"bought": "buyers", "first_order": "new_buyers"}


def _share_of_their_buyers(
    question: str,
    p: Any,
    ws: Any,
    conditions: list[PeopleCondition],
    at: int,
    understood: list[str],
) -> Any:
    """ "10月买过的客户里11月又回来的占多少", "买过茶壶的客户里也买过茶杯的占多少": the people who
    bought (in one period, or one thing: condition `at`, the whole) and the share of them meeting
    the other conditions — the buyers of that period and value among the people of the others
    ÷ all of them, each side the buyers metric of the compiler."""
    from shopql.catalog.people import describe_people
    from shopql.nlq.reading import describe
    from shopql.nlq.shared import Understanding

    base = conditions[at]
    if base.kind not in _WHOLE_METRICS:
        why = "a share of the people who did not buy: say whose share it is"
        _refuse(question, p, ws, why, understood)
    rest = tuple(c for i, c in enumerate(conditions) if i != at)
    people = PeopleSet(rest, "count")
    query = SemanticQuery(
        metrics=(_WHOLE_METRICS[base.kind],),
        time_range=base.time_range,
        filters=base.filters,
        population=people,
        extra={"population_share": True},
    )
    lines = describe(query, ws) + describe_people(people, measured=True)
    lines.append("share: the buyers above who meet the conditions on people ÷ all the buyers above")
    return Understanding(query, recognised=lines, ignored=[])


# conditions on the lines people bought (their categories, their sellers)
_LINE_KINDS = {"categories", "categories_exactly", "sellers", "sellers_exactly"}


# people counted within a channel or place: "天猫今年的新客占比" is of Tmall's buyers (the
# platform says whose new customers), where "在天猫买过的客户占比" (bought) is of everyone's
_WITHIN_KINDS = {
    "first_order",
    "returning",
    "orders",
    "orders_exactly",
    "orders_at_most",
    "repeat_within",
}


_AMONG_ZH = re.compile(r"^[^，。,?？]{0,6}?(?:当中|之中|里面|里头|中|里)")
_TAKES_ZH = re.compile(r"占")
_FROM_EN = re.compile(r"\b(?:(?:are|were|is|was|came|come|coming|being)\s+)?(?:from|in)\s*$")
_SHARE_OF_EN = re.compile(r"(?:'s|’s)?\s+(?:share|percentage|proportion|part)\s+of\s*$")


def _value_said_as_part(text: str, cues: list[Cue], p: Any) -> tuple[str, ...]:
    """The dimensions of the values said as the part of a people share — after the people and
    中/里 ("新客户中SP的占比"), before 占 with the people after it ("SP占新客的比例"), after the
    people and "from" ("share of new customers … from SP"), or before "share of" the people
    ("SP's share of new customers") — not whose people they are ("SP的新客占比", "new customer
    share on tmall"). Empty when no value is said so."""
    if len(cues) != 1:
        return ()
    cue = cues[0]
    out: list[str] = []
    for m in p.links.of("value"):
        at = text.lower().find(m.phrase.lower())
        if at < 0 or m.term.target in out:
            continue
        end = at + len(m.phrase)
        if at >= cue.end:
            between = text[cue.end : at].lower()
            if _AMONG_ZH.match(between) or _FROM_EN.search(between):
                out.append(m.term.target)
        elif end <= cue.start:
            between = text[end : cue.start].lower()
            if _TAKES_ZH.search(between) or _SHARE_OF_EN.match(between):
                out.append(m.term.target)
    return tuple(out)


def _within_groups(p: Any, cues: list[Cue], others: list[str], ranked: bool, periods: Any) -> bool:
    """A share of people by a count of their orders, asked per value of one order-level
    dimension ("每个平台的客户里只买过一次的各占几成", "share of one-time buyers by platform")."""
    from shopql.nlq.reading import LINE_DIMS

    return (
        bool(p.modifiers.get("share"))
        and len(p.dimensions) == 1
        and p.dimensions[0] not in LINE_DIMS
        and len(cues) == 1
        and cues[0].kind in ("orders", "orders_exactly")
        and cues[0].n is not None
        and not others
        and not ranked
        and periods is None
        and not p.excluded
        and not (p.modifiers.keys() - {"share", "distinct"})
    )


def _share_within_groups(p: Any, cues: list[Cue], ws: Any) -> Any:
    """The Understanding of a share of people within each group (`_within_groups`)."""
    from shopql.nlq.shared import Understanding

    c = cues[0]
    people = PeopleSet((PeopleCondition(c.kind, tuple(p.filters), p.time, c.n),), "count")
    query = SemanticQuery(
        metrics=("buyers",),
        dimensions=tuple(p.dimensions),
        time_range=p.time,
        filters=tuple(p.filters),
        population=people,
        extra={"share_within_groups": True},
    )
    from shopql.catalog.people import describe_people

    lines = [f"time: {p.time.label}"] if p.time is not None else []
    lines += [x for x in describe_people(people) if not x.startswith("answer:")]
    lines.append(
        f"share: per {p.dimensions[0]}, the people whose paid orders there meet the count ÷ all"
        f" who bought there (counted within each {p.dimensions[0]})"
    )
    return Understanding(query, recognised=lines, ignored=[])


def _share_within(conditions: list[Any]) -> tuple[Filter, ...]:
    """The order-level values of a share's people condition that the whole is taken within too
    (the new customers of Tmall over Tmall's buyers, not over every platform's)."""
    from shopql.nlq.reading import LINE_DIMS

    if not conditions or any(c.kind not in _WITHIN_KINDS for c in conditions):
        return ()
    said = [f for c in conditions for f in c.filters]
    if any(f.dimension in LINE_DIMS for f in said):
        return ()
    return tuple(dict.fromkeys(said))


def _groups_ranked(p: Any) -> bool:
    """ "top 5 sellers by repeat buyers", "复购买家最多的3个州": groups ranked by the people metric
    (counted within each group, as "repeat buyers by seller" is), not a list of people."""
    return bool(p.dimensions) and set(p.modifiers) <= {"top", "bottom"}


def _which_group(p: Any, text: str) -> str:
    """ "which platform had the most new customers": 'which' asks which group (a dimension the
    question ranks), not who the people are — blanked, so no list of people is read from it."""
    if not _groups_ranked(p):
        return text
    for m in p.links.of("dimension"):
        if m.term.target in p.dimensions:
            text = re.sub(rf"\bwhich\s+(?={re.escape(m.phrase)}\b)", " ", text)
    return text


def _periods_ranked(p: Any) -> bool:
    """ "which quarter this year brought the most new customers", "新客每月多少": the people
    metric per period of a grain (new_buyers by quarter), ranked or not — no set of people."""
    if any(_ranks_periods(p, w) for w in p.links.leftover):
        return True  # "rank the months of 2017 by new customers": every month, ranked
    return bool(p.modifiers.get("grain")) and set(p.modifiers) <= {"top", "bottom", "grain"}


def _ranks_periods(p: Any, word: str) -> bool:
    """`word` names the periods a whole ranking is of ("rank the months …": months)."""
    from shopql.nlq.comparisons import PERIOD_WORDS

    return p.modifiers.get("top") == "all" and set(p.modifiers) <= {"top"} and word in PERIOD_WORDS


def _negated(filters: tuple[Filter, ...]) -> list[Filter]:
    from shopql.catalog.people import negated

    return negated(filters)


_SIDE_BY_SIDE = re.compile(r"\bvs\.?(?=\s|$)|\bversus\b|\bcompared?\b|对比|比较|相比")


def _kind_word_dropped(p: Any) -> Any:
    """`p` without a product breakdown whose word only says what the title words name
    ("bought both retrospot and polkadot items": items are the lines the words keep, not a
    breakdown by product) — the same reading the ordinary engine gives the word."""
    from dataclasses import replace

    from shopql.nlq.kinds import names_kind_of_filtered_products
    from shopql.nlq.reading import PRODUCT_DIMS

    filtered = {f.dimension for f in p.filters}
    if not set(p.dimensions) & set(PRODUCT_DIMS):
        return p
    if not names_kind_of_filtered_products(p, filtered):
        return p
    return replace(p, dimensions=[d for d in p.dimensions if d not in PRODUCT_DIMS])


def _is_and_or_not(p: Any) -> bool:
    """Without a cue phrase, a set question is "customers who bought A and B" or "A but not B"
    (two values of one dimension, or an excluded value, in a question about people)."""
    about_people = set(p.metrics) <= PEOPLE_METRICS and (
        any(m.phrase in PEOPLE_WORDS or m.term.target in PEOPLE_METRICS for m in p.links.mentions)
        or bool(set(p.links.leftover) & PEOPLE_NOUNS)  # "…的人有几个": 人 is no vocabulary word
    )
    if not about_people or p.dimensions:
        return False
    if p.excluded and p.filters:
        return True
    if _SIDE_BY_SIDE.search(p.links.text) and not _OR.search(p.links.text):
        return False  # "上海和北京买家数对比": the two side by side, not the people in both
    if not (p.excluded or _OR.search(p.links.text) or _BOUGHT_OR_BOTH.search(p.links.text)):
        return False  # "荷兰跟比利时的买家数": two places named side by side, one row each
    likes = [f for f in p.filters if "like" in f.op]
    return (len(likes) > 1 or any(len(f.values) > 1 for f in p.filters)) and bool(
        _joined_by_and(p) or _OR.search(p.links.text)
    )


# "5星和1星都打过的客户", "both 5 and 1 star": a word for both after two values of one filter
_BOTH_SAID = re.compile(r"都|同时|\bboth\b")


def _refuse_both_unread(question: str, p: Any, ws: Any) -> None:
    """Refuse a count of people with two values of one dimension and a word for both, when the
    values were not read as two purchases ("5星和1星都打过的客户": not the buyers of either)."""
    people = PEOPLE_METRICS | {"reviewers", "buyers_with_items"}
    if not p.metrics or not set(p.metrics) <= people or p.excluded:
        return
    text = normalise(question)
    if _OR.search(text) or _SIDE_BY_SIDE.search(text) or re.search(r"各|分别|\beach\b", text):
        return
    two = [f for f in p.filters if f.op == "in" and len(f.values) > 1]
    if len(two) != 1 or not _BOTH_SAID.search(text):  # "家具 家纺 两个 类目 都 …": no 和 needed
        return
    if p.dimensions and set(p.dimensions) != {two[0].dimension}:  # the values' own kind word
        return  # ("两个类目") is no breakdown of its own
    said = "/".join(map(str, two[0].values))
    why = (
        f"people with each of {said} ({two[0].dimension}) is a set question not read here: not the"
        " buyers of either; ask each value on its own"
    )
    _refuse(question, p, ws, why, [])


def _joined_by_and(p: Any) -> bool:
    values = [m for m in p.links.mentions if m.term.kind in ("value", "keyword")]
    for a, b in zip(values, values[1:], strict=False):
        between = p.links.text[a.end : b.start]
        if _AND.search(between) and not _OR.search(between):
            if _together_not_both(p.links.text, a, b):
                continue
            return True
        if between.strip() in LIST_MARKS and _BOTH.search(p.links.text[b.end :]):
            return True  # "天猫、京东都买过的人": a list, then 都 (both)
        if not between.strip() and _BOTH_BOUGHT.match(p.links.text, b.end):
            return True  # "男装女装两样都买过的客户": side by side, then both bought
    return False


# "SP 和 RJ 的新客 一共花了多少钱", "new customers in SP and RJ, combined": the values' rows
# together (either value), said by a word for the sum after them — not the people in both
_TOGETHER = re.compile(
    r"一共|总共|加起来|合起来|加在一起|合计|总计|共计|\b(?:combined|together|altogether|in\s+total|total)\b"
)
# what keeps "A and B" both at once beside such a word: a word for both ("都", "both"), or a
# buying verb right before the first value ("买过沙发和茶几的客户一共…": bought each of them)
_BOTH_AT_ONCE = re.compile(r"都|同时|既|又|\bboth\b|\bas\s+well\s+as\b")
_BUY_BEFORE = re.compile(
    r"(?:买过|买了|购买过|购买|买|下过单|下单|\b(?:bought|purchased|ordered|buy|buys))\s*(?:了|过)?\s*$"
)


def _together_not_both(text: str, a: Any, b: Any) -> bool:
    """Two values joined by 和 / and with a word for their sum after them, no word for both and
    no buying verb right before them: either value (one IN), not two conditions at once."""
    if not _TOGETHER.search(text[b.end :]) or _BOTH_AT_ONCE.search(text):
        return False
    return not _BUY_BEFORE.search(text[: a.start])


def _and_of_attributes(p: Any) -> bool:
    """ "上季度 SP 和 RJ 的新客 花了多少钱": two values joined by 和 / and said of the people (where
    they are, not what they bought: no buying verb and no word for both anywhere) — read as two
    conditions at once ("new in SP and bought in RJ": 0.00) it is another question."""
    return _joined_by_and(p) and not _BOUGHT_OR_BOTH.search(p.links.text)


LIST_MARKS = {"、", ",", "，", "/"}
# the order a repeat purchase is, said after 又买了: "第二单", "第2单", "a second order"
_SECOND_ORDER = re.compile(r"^(?:买了|买过|下了|下过)?第(?:二|2)(?:单|笔|次)$|^second$")
_BOTH = re.compile(r"^[^，,。？?]*?都")
# two values side by side with nothing between, then both of them bought: "男装女装两样都买过",
# "天猫京东都下过单" (not "男装女装都卖了多少": no buying of people's)
_BOTH_BOUGHT = re.compile(
    r"\s*(?:(?:这)?(?:两|俩|二)\s*(?:样|个|种|类|家|边|块|者)?\s*"
    r"(?:类目|品类|类别|分类|平台|渠道|店铺|店|商品|东西)?\s*)?(?:都|全都|全)\s*(?:有\s*)?"
    r"(?:买过|买了|购买过|下过单|下了单|下单|消费过|买|购买)"
)


_ONLY_WITH_COUNT = {"only", "orders", "orders_exactly", "orders_at_most"}
# "啥也没买", "什么都没再买", "nothing at all": the period not bought in is of any order, whatever
# values the other period has
_NOTHING_AT_ALL = re.compile(r"^\s*(?:的)?\s*(啥|什么|任何东西|一单|一次)\s*(?:也|都)?(?:\s|没|不)")


def _values_of_kept_period(p: Any, periods: Any, cues: list[Any], text: str) -> bool:
    """Two periods, bought in the first and nothing at all in the second ("去年买过家具 今年啥也没
    再买"), every value said between them: the values are the first period's (what was bought),
    the second is no order at all. False for anything else (the values' period unsaid)."""
    ps = periods.periods
    if cues or p.excluded or not p.filters or len(ps) != 2 or not text:
        return False
    kept, gone = ps
    if kept.negated or not gone.negated or not kept.end <= gone.start:
        return False
    values = [m for m in p.links.mentions if m.term.kind in ("value", "keyword")]
    between = text[kept.end : gone.start]  # the question, periods blanked (same offsets)
    if not values or not all(m.phrase in between for m in values):
        return False
    if any(m.phrase in text[: kept.end] + " " + text[gone.start :] for m in values):
        return False
    nothing = _NOTHING_AT_ALL.match(text[gone.end :])
    if nothing is None:
        return False
    p.links.leftover = [w for w in p.links.leftover if w not in (nothing.group(1), "也", "都")]
    return True


def _platforms_named(
    question: str, p: Any, cues: list[Cue], ws: Any, understood: list[str]
) -> list[Cue]:
    """ "天猫京东两个平台都下过单的客户": the platforms named, then their number said again — the
    named ones, each bought on (was: 2 platforms or more among tmall only, and jd: 0). A number
    of platforms beside platforms named that is not their count says two things: refused."""
    said = [c for c in cues if c.kind == "platforms"]
    named = {
        v for f in p.filters if f.dimension == "platform" and f.op in ("=", "in") for v in f.values
    }
    if not said or not named:
        return cues
    if len(said) == 1 and said[0].n == len(named):
        understood.append(f"{said[0].text.strip()}: the {len(named)} platforms named")
        return [c for c in cues if c is not said[0]]
    why = "a number of platforms said beside platforms named, not their count: say one of them"
    _refuse(question, p, ws, why, understood)
    return cues


# the cues said once of each period before them with 都 / 均 / both: "10月和11月都退过货的客户"
_EACH_PERIOD_CUES = ("refunded",)
_BOTH_BEFORE_CUE = re.compile(r"^[\s的]*(?:都|均|全都|也都)\s*$")


def _cue_of_each_period(periods: Any, cues: list[Cue], text: str) -> str | None:
    """The kind of the one cue said of every period with 都 ("10月和11月都开过退货单的客户": a
    refund in each month), or None: the cue then takes the first period and the others are bought
    in (it read 'refunded in October and bought anything in November', a wrong number)."""
    if len(cues) != 1 or cues[0].kind not in _EACH_PERIOD_CUES:
        return None
    if any(x.negated for x in periods.periods):
        return None
    last = max(x.end for x in periods.periods)
    if cues[0].start >= last and _BOTH_BEFORE_CUE.match(text[last : cues[0].start]):
        return cues[0].kind
    # "10月退过货 11月也退过货的客户": the cue said again after each period (found once)
    said = cues[0].text
    ends = sorted(x.end for x in periods.periods)
    if all(re.match(rf"\s*(?:也|又|还|都)?\s*{re.escape(said)}", text[e:]) for e in ends):
        return cues[0].kind
    return None


def _conditions(
    question: str,
    p: Any,
    cues: list[Cue],
    ws: Any,
    understood: list[str],
    periods: Any = None,
    text: str = "",
    measured: list[Filter] | None = None,
) -> list[PeopleCondition]:
    """The conditions: the cues, the kept values (bought), the excluded ones (never bought),
    and with several periods one condition each (bought in it, or not). Goods said after new
    customers with a figure asked of them go to `measured` (the figure's own lines)."""
    tr = p.time
    timed: list[PeopleCondition] = []
    if periods is not None:
        if p.time is not None or any(c.kind == "lapsed" for c in cues):
            _refuse(question, p, ws, "a lapsed window or a third period", understood)
        kept_values = _values_of_kept_period(p, periods, cues, text)
        if (p.filters or p.excluded) and not kept_values:
            why = "values with several periods: say which period each belongs to"
            _refuse(question, p, ws, why, understood)
        from shopql.nlq.periods import running_to_date

        # "今年买过 但是 近90天 没再买": 今年 up to today, as every answer (never the orders
        # dated after today)
        # a period never bought in runs to today too (下半年一次没来, 今年到现在一单都没再付: the
        # orders dated after today are no one's yet — dev_w36 w36r39, dev_w37 w37r35, dev_w38
        # w38o37; dev_h h_r04 keeps the calendar year: a gold dispute, reported in session 43)
        ranges = {id(x): running_to_date(x.range, ws.today) for x in periods.periods}
        kept = [x for x in periods.periods if not x.negated]
        _bought_in_data(ws, [ranges[id(x)] for x in kept], question)
        tr = ranges[id(kept[0])]
        skip = kept[0] if cues else None  # the cue takes the first period ("2017年的新客")
        each = periods.each
        timed = [
            PeopleCondition(
                each or ("not_bought" if x.negated else "bought"),
                tuple(p.filters) if kept_values and not x.negated else (),
                ranges[id(x)],
            )
            for x in periods.periods
            if x is not skip
        ]
        if kept_values:  # "去年买过家具 今年啥也没再买": the values are the first period's
            understood.append("values: of the period bought in; nothing at all in the other")
            p.filters = []
        understood += [
            f"{'not bought' if x.negated else 'bought'}: {x.range.label}" for x in periods.periods
        ]
    cues = _platforms_named(question, p, cues, ws, understood)
    sequence = [c for c in cues if c.kind == "then"]
    groups = _bought_groups(p, both=True if sequence else None, vocab=ws.vocabulary)
    if not sequence and groups and len(groups) > 1 and _and_of_attributes(p):
        _refuse(
            question,
            p,
            ws,
            "two values joined by 和 / and, with no buying verb and no word for both or for their"
            " sum: the people of either (一共 / 加起来 / combined), of each (分别 / each), or in both"
            " (都 / both) is not said",
            understood,
        )
    if groups is None:
        _refuse(
            question,
            p,
            ws,
            "buyers of one title word or another, or of a product named in several words, "
            "is beyond the engine",
            understood,
        )
        groups = []
    out: list[PeopleCondition] = []
    refund = [c for c in cues if c.kind == "refunded"]
    if sequence and refund and len(groups) <= 1:  # 退过款之后又回来下单: a refund, then an order
        values = [m for m in p.links.mentions if m.term.kind in ("value", "keyword")]
        before = text[: sequence[0].start] if text else p.links.text
        if any(m.phrase in before for m in values):  # 天猫退过款之后…: whose value?
            _refuse(question, p, ws, "a value said before 'refunded, then …'", understood)
        later = tuple(groups[0]) if groups else ()
        out.append(PeopleCondition("then", (), tr, later=later, after="refunded"))
        cues = [c for c in cues if c.kind not in ("then", "refunded")]
        groups, sequence = [], []
    if (
        sequence
        and not groups
        and len(sequence) == 1
        and any(c.kind == "first_order" for c in cues)
    ):
        # "上季度的新客 后来又买了(第二单)的": new customers of the period who bought again after
        # their first order — two paid orders or more, ever (up to today)
        out.append(PeopleCondition("orders", (), None, 2))
        p.links.leftover = [w for w in p.links.leftover if not _SECOND_ORDER.match(w)]
        understood.append("then: bought again after the first order (2 paid orders or more)")
        cues = [c for c in cues if c.kind != "then"]
        sequence = []
    if sequence:  # "A, then later B": the two things bought, in the order they were named
        if len(groups) != 2 or len(sequence) > 1:
            _refuse(
                question,
                p,
                ws,
                "'bought A, then later B' needs the two things bought, each named once",
                understood,
            )
        out.append(PeopleCondition("then", groups[0], tr, later=groups[1]))
        cues = [c for c in cues if c.kind != "then"]
        groups = groups[:1] if cues else []  # "第一次在天猫买、后来…": the first order's value
    first = groups[0] if groups else ()
    cues = _orders_at_one_seller(question, p, ws, cues, understood)
    if any(c.kind == "only" for c in cues) and {c.kind for c in cues} <= _ONLY_WITH_COUNT:
        # "只在抖音买 而且买了3单以上": the value is the 'only' one's, whichever is said first (the
        # orders counted are then all that value's: every order of these people is on it)
        cues = sorted(cues, key=lambda c: c.kind != "only")
    for c in cues:
        if c.kind == "lapsed":
            if c.unit == "since" and _periods_said(text, ws) > 1:  # "bought in 2017 but
                why = "a lapsed window and another period in one question"  # not since …"
                _refuse(question, p, ws, why, understood)
            cutoff = _lapsed_since(question, tr, c, ws.today)
            if cutoff is not None:  # "lapsed: last purchase before june 2011": since 1 June
                c.n, c.unit, tr = (ws.today - cutoff).days, "day", None
                understood.append(f"lapsed since {cutoff.isoformat()}")
            if c.n is None:
                _refuse(
                    question,
                    p,
                    ws,
                    "say how many days count as lapsed (e.g. 最近90天没买)",
                    understood,
                )
            if tr is not None:
                if not _bought_in_the_period(question, c, cues):
                    _refuse(
                        question,
                        p,
                        ws,
                        "a lapsed window and another period in one question",
                        understood,
                    )
                # "今年买过、但近30天没再买的人数", "17年买过 但最近90天一单没买的客户": the period is
                # the purchase's, the window the lapse's own (bought then, nothing in the window)
                out.append(PeopleCondition("bought", first, tr))
                understood.append(f"bought: in {tr.label or 'the period'}; lapsed: its own window")
            out.append(PeopleCondition("lapsed", first, None, _in_days(c, ws.today)))
        elif c.kind == "only":
            if len(first) != 1:
                _refuse(question, p, ws, "'only' needs one value (只在天猫买过)", understood)
            if any(f.dimension == first[0].dimension for g in groups[1:] for f in g):
                # "只在天猫和京东买过的客户": 'only' would hold the first value alone, the second
                # read as a purchase beside it — people who cannot exist (always 0); whether
                # both are needed or either will do is not said (m, session 31)
                said = "/".join(str(v) for g in groups for f in g for v in f.values)
                why = (
                    f"'only' said of two values of one dimension ({said}): whether the people"
                    " bought on each of them or on either, and nowhere else, is not said — ask"
                    " 只在天猫买过 (one value), or 在天猫和京东都买过 (both)"
                )
                _refuse(question, p, ws, why, understood)
            out.append(PeopleCondition("only", first, tr))
        elif c.kind == "repeat_within":
            out.append(PeopleCondition("repeat_within", first, tr, c.n))
        elif c.kind == "vs_average":  # "比买家平均水平高": against the average person's
            out.append(PeopleCondition(c.unit, first, tr))
        elif c.kind == "refunded":
            out.append(PeopleCondition("refunded", first, tr))
        elif c.kind == "not_refunded":  # "没退过货的": no completed refund; the values (and,
            # alone, the period) are of what they bought
            if first or len(cues) == 1:
                out.append(PeopleCondition("bought", first, tr))
            # "今年买过5次以上但从来没退过货的": 从来 / never said with it, after the period — no
            # completed refund at any time (it was only of the year's orders: a wrong number)
            ever = _EVER_REFUND.search(c.text) and (p.time_at is None or p.time_at < c.start)
            out.append(PeopleCondition("not_refunded", (), None if ever else tr))
        elif c.kind == "refund_then_none":  # 退过款以后就再也没买过: a completed refund in the
            # period (by its time) and no paid order after it (nor after any later refund)
            if first:
                _refuse(
                    question, p, ws, "a value said beside 'refunded, then never again'", understood
                )
            out.append(PeopleCondition("refund_then_none", (), tr, after="refunded"))
        elif c.kind == "reviews_all":  # "给的评价全是5星": reviews in the period, all of the
            # score said (by the review's own time), none of another
            scores = tuple(f for f in first if f.dimension == "review_score")
            if len(scores) != 1 or len(first) != 1 or any(len(g) for g in groups[1:]):
                _refuse(question, p, ws, "'all their reviews' needs one score said", understood)
            out.append(PeopleCondition("reviews_all", scores, tr))
            understood.append(f"{c.text.strip()}: every review of theirs in the period")
        elif c.kind == "not_reviewed":  # "下过单却一条评价都没写过的": no review on any of
            # their orders, ever (the period and values are of what they bought)
            if first or len(cues) == 1:
                out.append(PeopleCondition("bought", first, tr))
            out.append(PeopleCondition("not_reviewed", (), None))
        elif c.kind == "several":
            if c.n is None:
                _refuse(question, p, ws, f"the number of {c.unit}s was not understood", understood)
            out.append(PeopleCondition(f"in_{c.unit}s", first, tr, c.n))
        elif c.kind == "every_spend":
            if tr is None or tr.start is None or c.n is None:
                why = f"spent in every {c.unit}: say of which period, and a whole amount"
                _refuse(question, p, ws, why, understood)
            over = "_over" if re.search(r"超过|多于|大于", c.text) else ""  # more than it
            out.append(PeopleCondition(f"every_{c.unit}_spend{over}", first, tr, c.n))
        elif c.kind == "every":
            if tr is None or tr.start is None:
                _refuse(question, p, ws, f"every {c.unit}: say of which period", understood)
            from shopql.catalog.people import periods_in

            has = periods_in(tr, c.unit, ws.today)
            if c.n is not None and has != c.n:  # "今年四个季度都买过" in September: 3 so far
                why = f"{c.n} {c.unit}s said, but the period has {has}"
                _refuse(question, p, ws, why, understood)
            out.append(PeopleCondition(f"every_{c.unit}", first, tr))
        elif c.kind in (
            "platforms",
            "orders",
            "sellers",
            "sellers_exactly",
            "categories",
            "categories_exactly",
            "orders_exactly",
            "orders_at_most",
            "orders_one_seller",
            "orders_one_category",
            "orders_one_day",
            "countries",
            "payment_channels",
        ):
            if c.n is None:
                _refuse(question, p, ws, f"the number of {c.kind} was not understood", understood)
            if _in_total_before(text, c, cues):  # "首单在今年 一共买过3次以上": all their orders
                out.append(PeopleCondition(c.kind, first, None, c.n))
                understood.append(f"{c.text.strip()}: in total (all their orders, any time)")
                continue
            out.append(PeopleCondition(c.kind, first, tr, c.n))
        elif c.kind == "no_second":
            if not any(o.kind == "first_order" for o in cues):
                why = "'no second order' said of people whose first order is not named"
                _refuse(question, p, ws, why, understood)
            import datetime as dt

            now = TimeRange(None, dt.datetime.combine(ws.today, dt.time()), "up to today")
            out.append(PeopleCondition("orders_exactly", (), now, 1))
            understood.append("no second order: exactly 1 paid order, up to today")
            continue  # the values (if any) stay the first order's
        elif c.kind == "first_order":
            if c.time is not None:  # "2010年12月首单的客户 今年…": its own period
                out.append(PeopleCondition("first_order", (), c.time))
                understood.append(f"first order: {c.time.label} (said with it)")
                continue
            if tr is None:
                _refuse(
                    question,
                    p,
                    ws,
                    "new customers: say in which period (e.g. 上个月的新客)",
                    understood,
                )
            if first and _said_before_among(p, c, text):
                # "11月买圣诞商品的客户里 有多少是新客": the buyers of the thing, and those of them
                # whose first order falls in the period (any first order, not of the thing)
                out.append(PeopleCondition("bought", first, tr))
                out.append(PeopleCondition("first_order", (), tr))
                understood.append("first order: said after the buyers' 里/中 (of them)")
            elif first and _said_after_among(p, c, text):
                # "11月的新客中买过茶杯的比例": the new customers are the whole, the teacup's
                # buyers among them the part — the teacup is no value of their first order
                out.append(PeopleCondition("first_order", (), tr))
                out.append(PeopleCondition("bought", first, tr))
                understood.append("bought: said after the new customers' 里/中 (of them)")
            elif first and _goods_of_new_people(c, first) and _new_people_whole(p, question):
                # "11月买圣诞商品的新客占新客的多少": of the November new customers (the whole
                # said after 占), those who bought the goods in November (the part)
                out.append(PeopleCondition("first_order", (), tr))
                out.append(PeopleCondition("bought", first, tr))
                understood.append("share: of the new customers (said after 占)")
            elif first and _goods_of_new_people(c, first) and not _figures_of_them(p):
                # "11月买圣诞商品的新客有多少": the new customers of the period who bought the
                # goods in it (any of their orders there) — not the goods of the first order,
                # which only 首单 / 第一单 / first order says
                out.append(PeopleCondition("first_order", (), tr))
                out.append(PeopleCondition("bought", first, tr))
                understood.append("bought: the goods in the period, any order (not 首单 said)")
            elif measured is not None and _goods_measured(p, c, first, text):
                # "11月新客买了多少件圣诞商品": the November new customers, and of their
                # November lines those of the goods — not the people whose first order held them
                out.append(PeopleCondition("first_order", (), tr))
                measured.extend(first)
                understood.append("goods: said after the new customers, the figure's own lines")
            elif first and _goods_of_new_people(c, first) and _figures_of_them(p):
                # "11月买圣诞商品的新客的销量", "christmas units bought by new customers" not said
                # so: the goods said before the new customers with a figure asked of them — the
                # figure of the goods only, or of all they bought? Never the goods put on the
                # first order (only 首单 / 第一单 / first order says that): refused
                why = (
                    "goods said before the new customers with a figure asked of them: whether"
                    " the figure is of those goods only or of all they bought is not said — ask"
                    " e.g. '11月新客买了多少件圣诞商品' (the goods' own figure) or the new"
                    " customers' figure without the goods"
                )
                _refuse(question, p, ws, why, understood)
            else:
                first = _first_order_amount(first, normalise(question), ws.catalog)
                first = _first_order_placed(first, question, ws.catalog)
                out.append(PeopleCondition("first_order", first, tr))
        elif c.kind == "returning":
            if tr is None and any(o.kind == "orders" and (o.n or 0) >= 2 for o in cues):
                continue  # "下过3单及以上的老客": every one of them bought before (all time)
            if tr is None or tr.start is None:
                _refuse(question, p, ws, "returning customers: say in which period", understood)
            assert tr is not None and tr.start is not None
            if first and _said_before_among(p, c, text):
                # "11月买过圣诞商品的客户里 有多少是老客": of the thing's buyers, those who had
                # bought anything before the period
                out.append(PeopleCondition("bought", first, tr))
                out.append(PeopleCondition("returning", (), tr))
                understood.append("returning: said after the buyers' 里/中 (of them)")
            elif _old_as_customers(c, cues, timed, tr):
                out.append(PeopleCondition("bought", first, tr))
                understood.append(f"{c.text.strip()}: the people who bought in {tr.label or 'it'}")
            elif measured is not None and _goods_measured(p, c, first, text):
                # "11月老客买了多少件圣诞商品": the returning customers of November, and of
                # their November lines those of the goods (not all they bought)
                out.append(PeopleCondition("returning", (), tr))
                measured.extend(first)
                understood.append(
                    "goods: said with the returning customers, the figure's own lines"
                )
            elif first and _goods_of_new_people(c, first) and _figures_of_them(p):
                why = (
                    "goods said before the returning customers with a figure asked of them:"
                    " whether the figure is of those goods only or of all they bought is not"
                    " said — ask e.g. '11月老客买了多少件圣诞商品' (the goods' own figure)"
                )
                _refuse(question, p, ws, why, understood)
            else:
                out.append(PeopleCondition("returning", first, tr))
        first = ()  # the values apply to the first cue only
    if not cues and not timed and not sequence:
        out += [PeopleCondition("bought", g, tr) for g in groups]
    else:
        out += [PeopleCondition("bought", g, tr) for g in groups[1:]]
    out += timed
    never = _exclusion_range(p, tr)
    for f in p.excluded:
        positive = Filter(f.dimension, "like" if "like" in f.op else "in", f.values)
        out.append(PeopleCondition("not_bought", (positive,), never))
    if len({c.kind for c in cues}) < len(cues):
        _refuse(question, p, ws, "the same kind of condition twice", understood)
    new = [c.time_range for c in out if c.kind == "first_order"]
    if new and any(c.kind == "returning" and c.time_range in new for c in out):
        # "上个月第一次买的人和老客各自买了多少件": nobody is both new and returning in one period —
        # each kind asked for, not the people who are both (was: 0) (g, session 30)
        why = (
            "new and returning customers of one period together: no one is both — ask 新客和老客各…"
        )
        _refuse(question, p, ws, why, understood)
    if not out:
        _refuse(question, p, ws, "no condition on people was understood", understood)
    return _orders_from_sellers(out, ws)


def _orders_at_one_seller(
    question: str, p: Any, ws: Any, cues: list[Cue], understood: list[str]
) -> list[Cue]:
    """ "在同一家卖家那里买过3次以上": the count of orders said beside the same seller is of one
    seller's orders (orders_one_seller); 回头 / again with no count is two of them. The same
    seller with nothing counted is refused."""
    day = [c for c in cues if c.kind == "same_day"]
    if day:  # "同一天里开了两张以上发票": the orders counted are one day's (session 44)
        rest = [c for c in cues if c.kind != "same_day"]
        counted = [c for c in rest if c.kind == "orders"]
        if len(day) > 1 or len(counted) != 1 or any(c.kind.startswith("same_") for c in rest):
            _refuse(question, p, ws, "the same day said with no one count of orders", understood)
        c = counted[0]
        understood.append(f"{day[0].text.strip()}: {c.n}+ paid orders on one day")
        return [replace(c, kind="orders_one_day") if x is c else x for x in rest]
    category = [c for c in cues if c.kind == "same_category"]
    if category:  # "在同一个品类下单3次以上": the orders counted are one category's (session 39)
        rest = [c for c in cues if c.kind != "same_category"]
        counted = [c for c in rest if c.kind == "orders"]
        if len(category) > 1 or len(counted) != 1 or any(c.kind == "same_seller" for c in rest):
            _refuse(
                question, p, ws, "the same category said with no one count of orders", understood
            )
        c = counted[0]
        understood.append(f"{category[0].text.strip()}: {c.n}+ paid orders in one category")
        return [replace(c, kind="orders_one_category") if x is c else x for x in rest]
    same = [c for c in cues if c.kind == "same_seller"]
    if not same:
        return cues
    rest = [c for c in cues if c.kind != "same_seller"]
    counted = [c for c in rest if c.kind == "orders"]
    if (
        len(same) > 1
        or len(counted) > 1
        or any(c.kind in ("orders_exactly", "orders_at_most") for c in rest)
    ):
        _refuse(question, p, ws, "the same seller said with no one count of orders", understood)
    if counted:
        c = counted[0]
        one = replace(c, kind="orders_one_seller")
        understood.append(f"{same[0].text.strip()}: {c.n}+ paid orders with one seller")
        return [one if x is c else x for x in rest]
    if not re.search(r"又|再|重复|回头|\bagain\b|\bcame back\b|\breturned\b", same[0].text):
        _refuse(question, p, ws, "the same seller, with no count of orders said", understood)
    understood.append(f"{same[0].text.strip()}: 2+ paid orders with one seller")
    return [*rest, replace(same[0], kind="orders_one_seller", n=2)]


# "in total": all of a person's orders, whatever the period said of their first order
_IN_TOTAL = r"(?:一共|总共|总计|累计|加起来|前前后后|\bin total\b|\baltogether\b|\blifetime\b|\ball[- ]time\b)"
_IN_TOTAL_BEFORE = re.compile(_IN_TOTAL + r"\s*(?:都)?\s*$")


def _first_order_period(cues: list[Cue]) -> bool:
    """The period said is their first order's ("首单在今年的客户", "今年的新客"): no other
    condition was given one of its own."""
    return any(c.kind == "first_order" and c.time is None for c in cues)


def _in_total_before(text: str, c: Cue, cues: list[Cue]) -> bool:
    """ "首单在今年 一共买过3次以上的客户": 一共 (in total) right before a count of orders, the
    period being their first order's, counts every order of theirs, not only those in it."""
    return (
        bool(text) and _first_order_period(cues) and bool(_IN_TOTAL_BEFORE.search(text[: c.start]))
    )


def _in_total_asked(text: str, cues: list[Cue]) -> bool:
    """ "首单在今年的客户 平均每人一共花了多少": 一共 in what is asked of people whose first
    order the period is: their spend over every order, not only those in it."""
    if not text or not cues or not _first_order_period(cues):
        return False
    return re.search(_IN_TOTAL, text[max(c.end for c in cues) :]) is not None


# "今年买过、但近30天没再买": a purchase said (买过 / bought) before the lapse, the period with it
_BOUGHT_THEN_LAPSED = re.compile(
    r"(?:买过|购买过|下过单|消费过|来买过|\bbought\b|\bordered\b|\bpurchased\b)"
)


def _bought_in_the_period(question: str, lapsed: Any, cues: list[Any]) -> bool:
    """The question's period is a purchase's, said before the lapse ("今年买过、但近30天没再买",
    "17年买过 但最近90天一单没买"): the lapse the only condition, a purchase word before it."""
    if [c.kind for c in cues] != ["lapsed"] or getattr(lapsed, "unit", None) == "since":
        return False
    before = normalise(question)[: lapsed.start]
    return _BOUGHT_THEN_LAPSED.search(before) is not None


# the amount spent said right after the first purchase: "第一次买就花了500以上", "首单就消费了超过300",
# "first order was over R$500", "spent over 500 on their first order"
_FIRST_ORDER_SPEND = re.compile(
    r"(?:第一次|头一次|首次|首单|第一单)\s*(?:来|过来)?\s*(?:买|下单|购买|消费|买东西)?\s*(?:的时候|时)?\s*"
    r"(?:就|便|即|一下子就|一下就)?\s*(?:花了|花|消费了|消费|付了|付|买了)\s*(?:超过|高于|大于|不低于|满|至少|不止|在)?\s*\d"
    r"|\bfirst (?:order|purchase)s?\b(?: was| were| of| worth| valued at| came to| totall?ed)?\s*"
    r"(?:over|above|more than|at least|of at least)?\s*(?:r\$|\$|£|€)?\s*\d"
    r"|\b(?:spent|spend|spending|paid)\s+(?:over|above|more than|at least)?\s*(?:r\$|\$|£|€)?\s*[\d.,]+k?\s+"
    r"(?:or more\s+)?on (?:their|the|a) first (?:order|purchase)\b"
)


# the first order said placed (下单, 下的, placed, ordered): its day of the week / hour is the
# placing's, not the payment's (not 下午 / 以下 / 上下)
_PLACED = re.compile(
    r"(?<![上以剩])下(?:单|的|了|过)|\bplac(?:ed|ing)\b|\bordered\b", re.IGNORECASE
)


def _first_order_placed(first: tuple[Filter, ...], text: str, catalog: Any) -> tuple[Filter, ...]:
    """ "今年新买家里 首单是在周末下的 有多少", "first order placed on a weekend": a time part of the
    first order said with its placing is of the first order's order date (`day_of_week@order_date`,
    when the first-order model has one), not of its payment (the new customers are still those
    whose first paid order falls in the period)."""
    parts = getattr(catalog, "time_parts", {}) or {}
    if not _PLACED.search(text) or not any(f.dimension in parts for f in first):
        return first
    from shopql.catalog.people import FIRST_METRIC

    metric = catalog.metrics.get(FIRST_METRIC)
    measure = catalog.measure(metric.measure or "") if metric is not None else None
    model = catalog.models.get(getattr(measure, "model", "")) if measure is not None else None
    if model is None or "order_date" not in model.dimensions:
        return first
    return tuple(
        replace(f, dimension=f"{f.dimension}@order_date") if f.dimension in parts else f
        for f in first
    )


def _first_order_amount(first: tuple[Filter, ...], text: str, catalog: Any) -> tuple[Filter, ...]:
    """ "今年第一次买就花了500以上的新客": the amount spent at the first purchase is the first
    order's own value (the catalog's order-value threshold: entity order, unit money, bare), not
    the person's total spend in the period (今年新客里累计消费超过500 stays the total)."""
    thresholds = getattr(catalog, "thresholds", {}) or {}
    spend = [
        f
        for f in first
        if (t := thresholds.get(f.dimension)) is not None
        and (t.entity, t.unit) == ("person", "money")
    ]
    own = [
        t.name
        for t in thresholds.values()
        if (t.entity, t.unit, t.bare) == ("order", "money", True)
    ]
    if len(spend) != 1 or len(own) != 1 or not _FIRST_ORDER_SPEND.search(text):
        return first
    return tuple(Filter(own[0], f.op, f.values) if f is spend[0] else f for f in first)


def _returning_of_some(plain: Any, cues: list[Any]) -> bool:
    """ "今年天猫老客有多少": the returning buyers among the buyers of some orders (a platform, a
    province) are those buyers with a paid order before the period — a set of people. (Split by
    a platform, "每个平台的老客数", it still reads the catalog's metric: the set's answer left out a
    platform with none, tests/nlq/dev_q.yaml returning-by-platform.) The catalog's returning_buyers (buyers - new_buyers) splits the new buyers by their
    FIRST order's platform, so its difference would count a person new this year on JD and
    buying on Tmall too as a Tmall regular."""
    return (
        "returning_buyers" in plain.metrics
        and any(c.kind == "returning" for c in cues)
        and bool(plain.filters)
    )


def _orders_from_sellers(out: list[PeopleCondition], ws: Any) -> list[PeopleCondition]:
    """ "买了两次以上但每次都是同一个卖家": the orders counted beside a condition on the sellers
    bought from are the orders bought from a seller — a paid order with no line (Olist keeps a
    few) was bought from no seller, so it is no second purchase from the same one."""
    if not any(c.kind in ("sellers", "sellers_exactly") for c in out):
        return out
    if "shop" not in getattr(ws.catalog, "dimensions", {}):
        return out
    seller = Filter("shop", "is not null")
    return [
        replace(c, filters=(*c.filters, seller))
        if c.kind in ("orders", "orders_exactly", "orders_at_most") and seller not in c.filters
        else c
        for c in out
    ]


# the people of a cue taken among: "11月的新客中 …", "新客户里面 …"
_AMONG_AFTER_CUE = re.compile(
    r"\s*(?:的)?\s*(?:里面|里头|当中|之中|里|中)(?!位)"  # 新客中 …; English: said after "share of"
    r"|\s+(?:(?:in|of|during)\s+[\w' ]{1,24}?\s*)?"  # "share of new customers (in nov)
    r"(?P<asked>,?\s*(?:what|which|how much)\s+(?:share|%|percent(?:age)?|proportion|fraction)"
    r"\s+(?:of them\s+)?)?"  # "of the new customers in nov, what share bought …"
    r"(?=(?:who |that )?(?:also )?(?:bought|ordered|purchased|got)\b)"  # (who) bought a teacup"
)
_SHARE_OF_BEFORE = re.compile(r"(?:\b(?:share|percentage|proportion|fraction|part)|%)\s+of\b")


def _said_after_among(p: Any, cue: Cue, text: str) -> bool:
    """Every value of a share (or, in Chinese, of a count) said after the cue's people and their
    里/中 ("11月的新客中买过茶杯的比例", "11月的新客里 有多少买过圣诞商品"): the values name a part
    of those people, not the cue's own orders."""
    among = _AMONG_AFTER_CUE.match(text, cue.end) if text else None
    if among is None:
        return False
    english = not re.search(r"[里中头]", among.group(0))
    if english and not p.modifiers.get("share"):
        return False  # "11月的新客中买过圣诞商品的有多少": a count of that part too (Chinese)
    if english and not (among.group("asked") or _SHARE_OF_BEFORE.search(text, 0, cue.start)):
        return False  # English: the new customers are the share's whole ("share of …") only
    after = text[among.end() :]  # the rest as read (a period said before it taken out)
    if not after.strip() or not p.links.text.endswith(after):
        return False
    at = len(p.links.text) - len(after)
    from shopql.nlq.reading import LINE_DIMS

    values = [m for m in p.links.mentions if m.term.kind in ("value", "keyword")]
    bought = all(m.term.kind == "keyword" or m.term.target in LINE_DIMS for m in values)
    return bool(values) and bought and all(m.start >= at for m in values)


# the new customers of a period said as a share's whole: "今年的新客里", "this year's new customers"
_NEW_ONES_AMONG = re.compile(
    r"^(?P<whole>.+?)的?\s*(?:新客户|新客|新买家|新顾客|新用户)\s*(?:里面|里头|里|当中|之中|中)"
)


def _new_ones_of_a_wider_period(
    question: str, p: Any, ws: Any, conditions: list[PeopleCondition]
) -> Any:
    """ "今年的新客里有几成是双11那天第一次来买的": the new customers of a period (the whole, said
    before 里) and those of them whose first purchase fell on a day inside it (the part): the new
    buyers of the part's period over those of the whole's — each person new once, so the part's
    are among the whole's (was: the part's new buyers over every buyer of that day). None when
    the question is not so said."""
    from shopql.nlq.comparisons import whole_period_said
    from shopql.nlq.reading import describe
    from shopql.nlq.shared import Understanding

    if len(conditions) != 1 or conditions[0].kind != "first_order" or conditions[0].filters:
        return None
    said = _NEW_ONES_AMONG.search(normalise(question))
    if said is None or "new_buyers" not in ws.catalog.metrics:
        return None
    whole = whole_period_said(said.group("whole"), ws)
    if whole is None or whole.start is None or whole.end is None:
        return None
    # the part's period: the first purchase's ("双11那天第一次来买的"), or the question's own when
    # the whole's period went to the first purchase ("今年的新客里 … 11月第一次来买的")
    inside = [
        tr
        for tr in (conditions[0].time_range, p.time)
        if tr is not None
        and tr.start is not None
        and tr.end is not None
        and whole.start <= tr.start
        and tr.end <= whole.end
        and (tr.start, tr.end) != (whole.start, whole.end)
    ]
    if not inside:
        return None
    part = inside[0]
    shown = whole.label or ""
    query = SemanticQuery(
        metrics=("new_buyers",),
        time_range=part,
        extra={"share_of_period": (whole.start.isoformat(), whole.end.isoformat(), shown)},
    )
    lines = describe(query, ws)
    lines.append(f"share: the new buyers of {part.label} ÷ the new buyers of {shown}")
    return Understanding(query, recognised=lines, ignored=[])


def _first_order_among(
    p: Any, conditions: list[PeopleCondition], cues: list[Cue], text: str, question: str = ""
) -> int | None:
    """The new customers' condition (its index) when the things bought were said after them and
    their 里/中 (_said_after_among), or the new customers said after 占 (`question`): the whole
    of the share, the buyers of the things its part."""
    kinds = [c.kind for c in conditions]
    if sorted(kinds) != ["bought", "first_order"]:
        return None
    first = next(c for c in cues if c.kind == "first_order")
    if _new_people_whole(p, question):  # "买圣诞商品的新客占新客的多少": of the new ones
        return kinds.index("first_order")
    return kinds.index("first_order") if _said_after_among(p, first, text) else None


def _bought_in_data(ws: Any, ranges: list[TimeRange | None], question: str) -> None:
    """People who bought in a period the data has nothing of ("2017年和2018年黑五都买过", the data
    ending in October 2018): no one can be counted — said as the single-period questions say it
    (exit 5, where the data ends), never a 0."""
    from shopql.nlq.periods import EmptyPeriod, coverage_notes, data_span, no_data_in

    span = data_span(ws)
    for tr in ranges:
        try:
            coverage_notes(tr, None, span, ws.today)
        except EmptyPeriod as e:
            raise no_data_in(e, question) from None


# "ever" said with a refund not had (从来没退过货, 从未退过款): none at any time — not a plain
# "never returned anything", whose period is the question's (A, session 37)
_EVER_REFUND = re.compile(r"从来|从没|从未|\bever\b|\bat any time\b")
# "ever" said with the exclusion: 从来没买过, 从未, "never": no purchase at any time
_EVER = re.compile(r"从来|从没|从未|一直没|始终没|任何时候|\bnever\b|\bever\b|\bat any time\b")


def _exclusion_range(p: Any, tr: TimeRange | None) -> TimeRange | None:
    """The period of "bought A but not B": the one period said is both sides' ("今年天猫买过京东没
    买过", "bought on tmall but not on jd this year", "… but never on jd this year": said after
    the exclusion, it is its period too) — except an exclusion said with "ever" (从来没买过,
    "never") when the period came before it: "今年买了沙发但从来没买过茶几" = no coffee table at any
    time."""
    if tr is None:
        return None
    nots = [m for m in p.links.of("modifier") if m.term.target == "negation"]
    if not nots:
        return tr
    first = min(m.start for m in nots)
    if p.time_at is not None and p.time_at > first:
        return tr  # the period said after the exclusion: "… but never on jd this year"
    return None if _EVER.search(p.links.text[max(0, first - 4) :]) else tr


def _old_as_customers(
    cue: Cue, cues: list[Cue], timed: list[PeopleCondition], tr: TimeRange
) -> bool:
    """ "2017的老客里面，18年再没回来的": 老客 of a period asked about from a later one are that
    period's customers (old as seen from 2018), not those who had bought before 2017;
    "今年买了3次及以上的老客": people with several orders in the period have bought again in it
    — the orders condition says it, not a purchase before the period."""
    starts = [x.time_range.start for x in timed if x.time_range is not None]
    if tr.end is not None and starts and all(s is not None and s >= tr.end for s in starts):
        return True
    return any(c.kind == "orders" and (c.n or 0) >= 2 for c in cues if c is not cue)


def _bought_groups(
    p: Any, both: bool | None = None, vocab: Any = None
) -> list[tuple[Filter, ...]] | None:
    """The kept values as groups of filters: one group, or one per value when two values of a
    dimension (or two title keywords) are joined by 'and' (bought both; `both`: they are, as in
    "A, then later B"), in the order the question names them. None: "A or B" of title
    keywords, which one filter cannot say."""
    if not p.filters:
        return []
    both = _joined_by_and(p) if both is None else both
    if both and _adjacent_keywords(p):
        return None  # "cake cases 和 t-light": "cake cases" is one product, not cake and cases
    likes = [g for f in p.filters if "like" in f.op for g in _per_keyword(p, f, both)]
    split = [f for f in p.filters if len(f.values) > 1 and both and "like" not in f.op]
    if len(likes) > 1 and not both:
        phrase = _one_phrase(p, likes)  # "a jumbo bag", "a cashmere coat": one product's words
        if phrase is None:
            return None
        rest = tuple(f for f in p.filters if "like" not in f.op)
        return [(*rest, phrase)]
    single, likes = (likes, []) if len(likes) < 2 else ([], likes)
    common = tuple(f for f in p.filters if f not in split and "like" not in f.op) + tuple(single)
    groups = [(*common, f) for f in likes]
    # each word its own condition: "既买过家具也买过…" is any furniture, then the other ("all"
    # on one order is what both words' conditions together say of a person here)
    groups += [
        (*common, Filter(f.dimension, "in" if f.op == "all" and len(vs) > 1 else f.op, vs))
        for f in split
        for vs in _per_mention(p, f, vocab)
    ]
    return groups or [common]


def _per_mention(p: Any, f: Filter, vocab: Any) -> list[tuple[Any, ...]]:
    """The values of an IN (or "all") filter as the words that named them (nlq/thresholds.py
    values_by_word): 家具 is any furniture category, one condition."""
    from shopql.nlq.thresholds import values_by_word

    return values_by_word(p.links, f, vocab)


def _one_phrase(p: Any, likes: list[Filter]) -> Filter | None:
    """The kept title keywords said one right after the other ("a jumbo bag", "羊绒大衣", "a
    cashmere coat"): one product named in several words — a title with the words in that order
    (joined by a space between two Latin words, else by nothing: 羊绒 + 大衣 = 羊绒大衣), not one
    word or another. None when they are not, or a word has several spellings."""
    kept = {v for f in likes for v in f.values}
    words = []
    for m in sorted(p.links.mentions, key=lambda m: m.start):
        if m.term.kind != "keyword":
            continue
        values = m.term.value if isinstance(m.term.value, tuple) else (m.term.value,)
        if {f"%{v}%" for v in values} <= kept:
            if len(values) != 1:
                return None
            words.append((m, str(values[0])))
    if len(words) != len(likes) or len(words) < 2:
        return None
    text = p.links.text
    if any(text[a.end : b.start].strip() for (a, _), (b, _) in zip(words, words[1:], strict=False)):
        return None
    joined = words[0][1]
    for _, value in words[1:]:
        latin = joined[-1:].isascii() and joined[-1:].isalnum() and value[:1].isascii()
        joined += (" " if latin else "") + value
    return Filter(likes[0].dimension, "like", (f"%{joined}%",))


def _adjacent_keywords(p: Any) -> bool:
    """Two title keywords with only a space between them: one product of several words, which
    one keyword per condition would split into two products."""
    words = [m for m in p.links.mentions if m.term.kind == "keyword"]
    return any(
        not p.links.text[a.end : b.start].strip() for a, b in zip(words, words[1:], strict=False)
    )


def _per_keyword(p: Any, f: Filter, both: bool) -> list[Filter]:
    """A title filter as one filter per keyword the question names: the value words merge title
    keywords joined by and/or into one filter matching any (valuewords.merge_keywords); "bought
    A and B" needs each on its own. One keyword's spellings (沙发: %沙发%, %sofa%) stay together."""
    if not both or len(f.values) < 2:
        return [f]
    out: list[Filter] = []
    for m in p.links.mentions:
        if m.term.kind != "keyword" or m.term.target != f.dimension:
            continue
        values = m.term.value if isinstance(m.term.value, tuple) else (m.term.value,)
        patterns = tuple(dict.fromkeys(f"%{v}%" for v in values))
        if set(patterns) <= set(f.values) and all(patterns != g.values for g in out):
            out.append(Filter(f.dimension, f.op, patterns))
    return out if len(out) > 1 else [f]


def _unplaced(p: Any) -> list[str]:
    """Leftover words that are not the people words of a set question ("又买", "customers")."""
    out = []
    for word in _leftover(p):
        if word == "大" and _SIZE_OF_PEOPLE.search(p.links.text):
            continue
        rest = word
        for known in sorted(PEOPLE_WORDS, key=len, reverse=True):
            rest = rest.replace(known, " ") if not known.isascii() else rest
        if word in PEOPLE_WORDS or not rest.strip():
            continue
        out.append(word)
    return out


def _leftover_beside(p: Any, ws: Any) -> list[str]:
    """The leftover words but the verbs its metrics are said with ("brought" beside new
    customers), as the ordinary reading places them."""
    from shopql.nlq.families import verbs_of

    verbs = {v for m in p.metrics for v in verbs_of(ws.catalog, m)}
    # "今年上半年新客数 是去年上半年的几倍": the ratio of two periods compared is the ordinary
    # engine's (offline._ratio_asked places its words)
    ratio = ""
    if p.two_periods in ("previous_period", "year_over_year") or p.apart is not None:
        from shopql.nlq.comparisons import DELTA_ASKED, RATIO_ASKED

        ratio = " ".join(m.group(0) for m in RATIO_ASKED.finditer(p.links.text))
        # "新客数量和去年11月比 差多少": the gap between them (the change the comparison shows)
        ratio += " " + " ".join(m.group(0) for m in DELTA_ASKED.finditer(p.links.text))
    return [w for w in _leftover(p) if w not in verbs and not (ratio and w in ratio)]


def _leftover(p: Any) -> list[str]:
    from shopql.nlq.lexicon import unplaced

    return unplaced(p.links.leftover)


def _refuse_two_groups(question: str, fixed: str, ws: Any) -> None:
    """Refuse "首单在天猫的新客和首单在京东的新客 平均每人花了多少", "在天猫买过的客户和在京东买过的
    客户 各有多少人": two groups, each asked for — never answered as the people in both."""
    from shopql.nlq.reading import parse

    if _TWO_GROUPS.search(normalise(fixed)):
        why = (
            "two groups of people joined by 和 (A的新客和B的新客) are each asked for, not the people"
            " in both: ask each group on its own"
        )
        _refuse(question, parse(fixed, ws), ws, why, [])


# each group's own figure asked: "…各花多少", "分别是多少", "respectively"
_EACH_ASKED = re.compile(
    r"各\s*(?:自)?\s*(?:花|买|消费|是|有|为|占|平均|多少|几)|分别|\brespectively\b|\beach (?:group|one)\b"
)


def _refuse_each_of_two_conditions(question: str, fixed: str, ws: Any, cues: list[Cue]) -> None:
    """Refuse "今年回头客跟只来过一次的人 平均一单各花多少": two conditions on people, each group's
    own figure asked — never answered as the people meeting both (here nobody could: once only
    and returning; it was one figure over the intersection). New vs returning customers side by
    side have their own reading (new_vs_returning)."""
    from shopql.nlq.reading import parse

    kinds = {c.kind for c in cues}
    if len(cues) < 2 or kinds <= {"first_order", "returning"}:
        return
    if _EACH_ASKED.search(normalise(fixed)) or _two_sides(cues, fixed):
        why = (
            "two groups of people, each one's own figure asked (各 / 分别, or A和B side by side),"
            " are not the people meeting both conditions: ask each group on its own"
        )
        _refuse(question, parse(fixed, ws), ws, why, [])


# what may stand between two groups of people said side by side: "只买过一次的客户和回头客"
_PEOPLE_WORD = re.compile(r"^(?:的)?\s*(?:客户|买家|顾客|客人|用户|会员|人)?\s*")
_SIDE_JOINERS = {"和", "跟", "与", "以及", "还有", "、", "vs", "vs.", "versus", "and", "对比", "对"}


def _two_sides(cues: list[Cue], text: str) -> bool:
    """Exactly two people conditions with only a joiner between them ("只买过一次的客户和回头客
    今年平均每人花了多少"): two groups side by side, not the people meeting both (none here: once
    only and returning)."""
    if len(cues) != 2:
        return False
    a, b = sorted(cues, key=lambda c: c.start)
    gap = _PEOPLE_WORD.sub("", text[a.end : b.start].strip()).strip().lower()
    return gap in _SIDE_JOINERS


# "what share of this year's paid orders were a customer's first order", "orders that were first
# purchases": the orders that are someone's first one are counted, not every order of the people
# whose first order fell in the period (their second orders too)
_ORDERS_THAT_WERE_FIRST = re.compile(
    r"\b(?:orders?|purchases?|invoices?)\b(?:(?!\b(?:customers?|buyers?|clients?|shoppers?|people|who)\b)[^.?;!])*?"
    r"\b(?:were|was|are|is|being|been)\s+(?:an?\s+|the\s+|their\s+)?"
    r"(?:(?:customer|buyer|client|shopper|person)(?:'s|’s)\s+|(?:customers|buyers|clients|shoppers)(?:'|’)\s+)?"
    r"(?:very\s+)?first(?:[- ]ever)?\s+(?:orders?|purchases?|invoices?)\b"
)


def _refuse_again_after_first(question: str, fixed: str, ws: Any, cues: list[Cue]) -> None:
    """Refuse a count of orders said with 又 / 再 / again after new customers ("11月的新客户 当月又来
    了两次以上"): whether the first order is among the times counted is not said (A, session 42;
    was: 当月 read as the month of today)."""
    from shopql.nlq.reading import parse

    if not any(c.kind == "first_order" for c in cues):
        return
    text = normalise(fixed)
    for c in cues:
        if c.kind.startswith("orders") and re.search(
            r"(?:又|再|再次|还)\s*(?:来|买|下单|下|回来|光顾|购买)?\s*(?:了|过)?\s*$",
            text[max(0, c.start - 8) : c.start],
        ):
            why = (
                f"'{c.text.strip()}' said again after their first order: whether the first one is"
                " counted is not said — ask with the first counted (当月一共来了两次以上)"
            )
            _refuse(question, parse(fixed, ws), ws, why, [])


def _refuse_orders_that_were_first(question: str, fixed: str, ws: Any, cues: list[Cue]) -> None:
    """Refuse "what share of paid orders were a customer's first order": the orders that are a
    first order, which the set of new people (every order of theirs) does not count."""
    from shopql.nlq.reading import parse

    if any(c.kind == "first_order" for c in cues) and _ORDERS_THAT_WERE_FIRST.search(
        normalise(fixed)
    ):
        why = (
            "orders that were someone's first order are counted, not every order of the new"
            " customers: ask the first orders (首单数) of the period on their own"
        )
        _refuse(question, parse(fixed, ws), ws, why, [])


def _per_head_of_another(p: Any, others: list[str]) -> str | None:
    """The words of a bare 人均 said before another figure ("人均退款金额", "人均 退了多少钱"):
    that figure per person, not sales per buyer beside it — else None."""
    bare = [m for m in p.links.of("metric") if m.phrase.strip() == "人均"]
    after = [
        m
        for m in p.links.of("metric")
        if bare
        and m.start >= bare[0].end
        and m.term.target in others
        and m.term.target != bare[0].term.target
    ]
    if not bare or bare[0].term.target not in others or not after:
        return None
    return str(p.links.text[bare[0].start : after[-1].end])


# an only-word ("用boleto和信用卡只付过款的客户"): 只 / 仅 / only are stop words for the linker,
# read only by the set cues ("只在天猫买过", "只买过一次"); one left in a set question's text
# once its cues are blanked limits nothing that is read, and dropping it answers a wider set
# (the people who bought with both) — refused, the word named (m, session 31). 只看 / 只算 /
# 只统计 ("只看天猫的") name a filter the ordinary reading places.
_ONLY_UNREAD = re.compile(
    r"(?:仅仅|仅|只)(?!看|算|统计|计算|数|要|列|查|显示)|\b(?:only|solely|exclusively)\b"
)


def _refuse_only_unread(question: str, p: Any, ws: Any, text: str, understood: list[str]) -> None:
    """Refuse a set question whose only-word no cue read (issue 11: no word read and dropped)."""
    m = _ONLY_UNREAD.search(text)
    if m is None:
        return
    p.links.leftover = [*p.links.leftover, m.group(0)]
    why = (
        f"'{m.group(0)}' limits no condition that was read (只在天猫买过, 只买过一次 are): which"
        " purchases are the only ones is not said"
    )
    _refuse(question, p, ws, why, understood)


def _refuse(question: str, p: Any, ws: Any, why: str, understood: list[str]) -> None:
    from shopql.nlq.reading import suggestions_for
    from shopql.nlq.shared import SetNotUnderstood

    unknown = _unplaced(p)
    said = f"; did not understand: {', '.join(repr(w) for w in unknown)}" if unknown else ""
    known = f" — understood: {'; '.join(understood)}" if understood else ""
    raise SetNotUnderstood(
        f"the offline engine cannot answer this set question: {why}{said}{known}",
        unknown,
        suggestions_for(question, None, ws),
        understood,
    )


__all__ = ["TimeRange", "find_cues", "understand_people"]
