"""Single orders asked as rows: "上个月最贵的5单", "金额最高的订单是哪单", "the 5 largest orders last
month", "最贵的一张发票", "最便宜的3笔订单", "top 5 invoices by value".

The largest (smallest) order value said with the order itself as its noun — a number of orders,
"which order", its number or time or platform asked, or the order named bare — lists the orders
(catalog/rows.py: order key, platform, paid amount, payment time; ranked; the top N, 1 when none
is said, 10 for a plural with no number). The rest of the question (period, filters) is read by
the ordinary engine with the order phrase read as the figure it ranks by (最高订单金额 /
maximum order value); a reading that is not that one figure alone, with no breakdown, is no
order list (None: the ordinary reading answers or refuses). A question that only asks how much
the top order was ("最贵的一单付了多少") keeps the figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from shopql.catalog.timephrase import cn_number
from shopql.nlq.shared import NotUnderstood, Understanding

_CN_N = r"\d{1,3}|[一两二三四五六七八九十]{1,3}|几"
_EN_N = r"\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|twenty|few"

_HIGH_CN = r"最贵|最大|最高|最多"
_LOW_CN = r"最便宜|最小|最低|最少"
_AMOUNT_CN = r"(?:订单|发票|单笔|单张|一单|每单)?(?:金额|实付|实付金额|支付金额|付款金额|付款|价值|总额|总价)?"
_NOUN_CN = r"(?:订单|发票|单子|大单|小单|单|笔交易|笔)(?![品价件量位元号数均金额总值])"
_ORDERS_CN = [
    # 最贵的5单, 金额最高的前5张发票, 最贵的一笔订单, 最大的几单
    re.compile(
        _AMOUNT_CN
        + rf"(?P<s>{_HIGH_CN}|{_LOW_CN})\s*的?\s*(?:前|头)?\s*(?P<n>{_CN_N})?\s*"
        + r"(?:张|笔|个|份)?\s*"
        + _NOUN_CN
    ),
    # 订单金额前5 / 发票金额最高的5张 / 订单金额最大的5个
    re.compile(
        r"(?:订单|发票)\s*(?:金额|实付金额|支付金额|付款金额|总额|价值)\s*"
        rf"(?:(?P<s>{_HIGH_CN}|{_LOW_CN})\s*的?|(?:排名)?前|top\s*)\s*"
        rf"(?P<n>{_CN_N})\s*(?:张|笔|个|单|的?\s*(?:订单|发票))"
    ),
    # 金额最高的是哪个订单, 最贵的是哪一单 (the order asked after its figure)
    re.compile(
        _AMOUNT_CN + rf"(?P<s>{_HIGH_CN}|{_LOW_CN})\s*的?\s*(?:是|为)\s*哪\s*(?:一|个|张|笔)?\s*"
        r"(?:订单|发票|单|张|笔)"
    ),
    # 前5大订单, top5订单
    re.compile(rf"(?:前|top\s*)(?P<n>{_CN_N})\s*(?P<s>大|小)\s*(?:张|笔|个)?\s*(?:订单|发票|单)"),
]
_HIGH_EN = (
    r"largest|biggest|most\s+expensive|priciest|highest[- ]value|highest|largest[- ]value|top"
)
_LOW_EN = r"cheapest|smallest|lowest[- ]value|lowest|least\s+expensive"
_ORDERS_EN = [
    re.compile(
        rf"\b(?:the\s+)?(?:(?P<n1>{_EN_N})\s+)?(?P<s>{_HIGH_EN}|{_LOW_EN})\s+"
        rf"(?:(?P<n>{_EN_N})\s+)?(?:single\s+|individual\s+)?(?P<noun>orders?|invoices?|purchases?)\b",
        re.IGNORECASE,
    ),
    # which order was the most expensive
    re.compile(
        r"\bwhich\s+(?:one\s+|single\s+)?(?P<noun>order|invoice|purchase)\s+(?:was|is|had)\s+"
        rf"(?:the\s+)?(?P<s>{_HIGH_EN}|{_LOW_EN})\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\btop\s+(?P<n>{_EN_N})\s+(?P<noun>orders?|invoices?)\s+by\s+"
        r"(?:order\s+|invoice\s+)?(?:value|amount|paid\s+amount|total|size|revenue|sales|spend)\b",
        re.IGNORECASE,
    ),
]
# a figure of the order other than its amount said right before: 单价最高的订单 ranks by price
_OTHER_FIGURE = re.compile(
    r"(单价|价格|运费|邮费|件数|数量|评分|优惠|折扣|重量|商品数|品类数|商品|件|"
    r"items?|freight|shipping|discount|units?|quantity|price|rating|review)\s*的?\s*$",
    re.IGNORECASE,
)
# the order itself asked: which, its number, its time, its platform, a list
_ROW_ASKED = re.compile(
    r"哪|订单号|发票号|单号|编号|号码|什么时候|几号|时间|日期|平台|渠道|列出|列一下|明细|分别|清单|"
    r"\bwhich\b|\bwhat\s+(?:order|invoice)|\bids?\b|\bnumbers?\b|\bwhen\b|\bdates?\b|\bplatforms?\b|"
    r"\blist\b|\bshow\b|\bdetails?\b",
    re.IGNORECASE,
)
# only its amount asked: the figure stays
_AMOUNT_ASKED = re.compile(
    r"多少|几块|几镑|几元|金额是|付了|花了|值|\bhow\s+much\b|\bwhat\s+(?:was|is)\b|\bamount\b|"
    r"\bvalue\b|\bworth\b|\bspent?\b",
    re.IGNORECASE,
)
# words of the question that only say what is asked of the orders (read, then left out)
_ASKING = re.compile(
    r"(?:有|是|分别是|都是)?\s*哪(?:一|几)?\s*(?:些|个|笔|张|单)?\s*(?:订单|发票|单)?|"
    r"(?:的|及其|和|及)?\s*(?:订单号|发票号|单号|订单编号|编号|号码)(?:是)?(?:多少)?|"
    r"(?:是)?(?:什么时候|哪天)(?:下的|付的|开的)?|(?:在)?哪个\s*(?:平台|渠道)|"
    r"(?:请)?(?:列出|列一下|给我看看|给我|看看|看一下|查一下|帮我)|(?:的)?明细|(?:的)?清单|"
    r"\bwhich\s+(?:ones?|orders?|invoices?)\s*(?:were|was|are|is)?(?:\s+they|\s+it)?|"
    r"\b(?:what\s+(?:were|are|was|is)|show\s+me|list|give\s+me|show)\b|"
    r"\b(?:their|its|with\s+(?:their|its))\s+(?:ids?|numbers?|dates?|times?|platforms?)\b|"
    r"\b(?:and\s+)?when\b",
    re.IGNORECASE,
)


def _number(said: str | None, plural: bool) -> int:
    if not said:
        return 10 if plural else 1
    said = said.lower()
    if said in ("几", "few"):
        return 5
    return 20 if said == "twenty" else cn_number(said) or 1


def _plain(part: str) -> str:
    """A part of the question without the words that only say what is asked of the orders."""
    part = _ASKING.sub(" ", part)
    part = re.sub(r"\b(?:the|were|was|are|is|of|by\s+(?:value|amount))\b", " ", part, flags=re.I)
    part = re.sub(
        r"多少钱|多少|金额|\bhow\s+much\b|\bamounts?\b|\bvalues?\b", " ", part, flags=re.I
    )
    part = re.sub(r"(?:是|的|呢|吗|？|\?|。|，|,|\s)+$", "", part.strip())
    return re.sub(r"\s+", " ", part).strip()


def _found(text: str) -> tuple[re.Match[str], str, int, bool, str] | None:
    """The order phrase: its match, the direction (desc/asc), the number asked, English, and
    the figure of the order said right before it (运费最贵的3单: 运费; '' for its amount)."""
    for english, patterns in ((False, _ORDERS_CN), (True, _ORDERS_EN)):
        for pattern in patterns:
            for m in pattern.finditer(text):
                before = _OTHER_FIGURE.search(text[: m.start()])
                if before is not None and english:
                    continue
                figure = before.group(1) if before is not None else ""
                s = (m.group("s") or "").lower()
                low = re.fullmatch(rf"{_LOW_CN}|{_LOW_EN}|小", s) is not None
                groups = m.groupdict()
                said = groups.get("n") or groups.get("n1")
                noun = groups.get("noun") or ""
                plural = noun.lower().endswith("s") or said in ("几", "few")
                if english and s == "top" and not said:
                    continue  # "top orders" alone: ranked by what?
                return m, "asc" if low else "desc", _number(said, plural), english, figure
    return None


def order_rows(
    question: str, ws: Any, understand: Callable[[str, Any], Understanding]
) -> Understanding | None:
    """The orders listed as rows (see the module), or None when the question asks no such
    list."""
    from shopql.catalog.rows import ROW_METRICS, ranks_orders
    from shopql.nlq.linking import normalise

    text = normalise(question)
    found = _found(text)
    if found is None:
        return None
    m, direction, n, english, figure = found
    rest = text[: m.start()] + " " + text[m.end() :]
    if n == 1 and not _ROW_ASKED.search(rest) and _AMOUNT_ASKED.search(rest):
        return None  # "最贵的一单付了多少": the figure alone
    said = (
        ("maximum order value" if direction == "desc" else "minimum order value")
        if english
        else ("最高订单金额" if direction == "desc" else "最低订单金额")
    )
    head, tail = (_plain(part) for part in (text[: m.start()], text[m.end() :]))
    if figure:  # 运费最贵的3单 (订单号和运费): ranked by that figure, restated after or not
        said = "最高" if direction == "desc" else "最低"
        tail = _plain(re.sub(rf"(?:和|及|以及|、|,|，)?\s*{re.escape(figure)}", " ", tail))
    reread = f"{head} {said} {tail}".strip()
    try:
        u = understand(reread, ws)
    except NotUnderstood:
        return None
    q = u.query
    if (
        u.ignored
        or len(q.metrics) != 1
        or not ranks_orders(ws.catalog, q.metrics[0], direction)
        or (not figure and q.metrics[0] != ROW_METRICS[direction])
        or q.dimensions
        or q.grain
        or q.population is not None
        or q.compare
        or q.having
        or q.of_groups
        or u.compound
    ):
        return None
    query = replace(q, extra={"order_rows": direction}, limit=n, order_by=())
    return Understanding(
        query=query,
        recognised=[
            *u.recognised,
            f"single orders listed: the {n} {'largest' if direction == 'desc' else 'smallest'}"
            f" by {q.metrics[0][4:]} (order number, platform, the figure, its time)",
        ],
        ignored=[],
    )
