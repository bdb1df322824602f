"""The latest orders and single refunds asked as rows: "最近10个被取消的订单", "the 10 most recent
cancelled orders", "最近取消的10张发票", "上个月最大的5笔退款", "the 5 largest refunds last month",
"最近的10笔退款".

A number of orders (refunds) said with "the latest" (最近 / 最新 / most recent / latest / newest /
last) or, for refunds, with the largest (smallest) — the noun right after, a counter word (笔 /
个 / 张 / 单 / 条) that is no unit of time (最近10个月 is a period) — lists them
(catalog/rows.py): orders by the time the order count dates them (`orders`, with the question's
filters: 取消的 → status cancelled), refunds by their amount or time (`refund_amount`,
`return_amount` for 退货 / returns) — the largest refunds only when two or more are asked (the
largest one, "最大的一笔退款 (多少钱)", is the figure: its own reading). The rest of the question (period, filters) is read by the
ordinary engine with the phrase read as that count or amount (订单数 / 退款金额); a reading that
is not that one metric alone, with no breakdown, is no list (None: the ordinary reading answers
or refuses). A warehouse with no refunds says so (the ordinary reading's NoData).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from shopql.nlq.order_rows import _CN_N, _EN_N, _number, _plain
from shopql.nlq.shared import NotUnderstood, Understanding

_COUNTER = r"(?:笔|个|张|单|条)(?!\s*(?:月|小时|星期|季度|季|礼拜|工作日|天|周|年|日|钟头))"
_MID_CN = r"(?:被|已|已经)?(?:取消|退款|退货|关闭)(?:了|掉|过)?"
_ORDER_NOUN_CN = r"订单|发票|单子|单(?![价品量位元号数均额])"
_REFUND_NOUN_CN = r"退款单|退款记录|退款|退货单|退货记录|退货"
_NOUN_CN = rf"(?:{_REFUND_NOUN_CN}|{_ORDER_NOUN_CN})(?![率额金次数原因])"
_RECENT_CN = re.compile(
    rf"(?:最近|最新|最晚)\s*的?\s*(?P<mid1>{_MID_CN})?\s*的?\s*(?P<n>{_CN_N})\s*{_COUNTER}\s*的?\s*"
    rf"(?P<mid2>{_MID_CN})?\s*的?\s*(?P<noun>{_NOUN_CN})"
)
_LARGEST_CN = [
    # 最大的5笔退款, 金额最高的3笔退货
    re.compile(
        r"(?:退款|退货)?(?:金额)?(?P<s>最大|最高|最小|最低)\s*的?\s*(?:前|头)?\s*"
        rf"(?P<n>{_CN_N})?\s*(?:{_COUNTER})?\s*(?P<noun>{_REFUND_NOUN_CN})(?![率额金次数原因的订])"
    ),
    # 退款金额最大的5笔, 退款金额前5笔
    re.compile(
        r"(?P<noun>退款|退货)(?:单)?\s*金额\s*(?:(?P<s>最大|最高|最小|最低)\s*的?|(?:排名)?前)\s*(?:前)?"
        rf"(?P<n>{_CN_N})\s*{_COUNTER}"
        r"(?:\s*的?\s*(?:退款单|退款|退货单|退货|记录|订单|发票|单子|单))?"
        r"(?=\s*(?:$|[，,。？?!！\s]|是|有|分别|都|及|和|的?(?:订单号|单号|时间|日期|明细|信息)))"
    ),
]
_RECENT_EN = re.compile(
    rf"\b(?:the\s+)?(?:(?P<n1>{_EN_N})\s+)?(?:most\s+recent|latest|newest|last)\s+"
    rf"(?:(?P<n>{_EN_N})\s+)?(?P<mid>cancell?ed|refunded|returned)?\s*"
    r"(?P<noun>orders|invoices|refunds|returns|cancell?ations|order|invoice|refund)\b",
    re.IGNORECASE,
)
_LARGEST_EN = re.compile(
    rf"\b(?:the\s+)?(?:(?P<n1>{_EN_N})\s+)?(?P<s>largest|biggest|highest|top|smallest|lowest)\s+"
    rf"(?:(?P<n>{_EN_N})\s+)?(?:single\s+|individual\s+)?(?P<noun>refunds|returns|refund|return)\b"
    r"(?!\s+(?:rates?|amounts?|values?|reasons?|per|for\s+each|by\s+(?!amount|value|size)))",
    re.IGNORECASE,
)
# a figure of the rows asked instead of the rows ("最近5笔退款的总金额", "average of the last 10
# orders"): no list (the ordinary reading answers or refuses)
_FIGURE_ASKED = re.compile(
    r"总|合计|一共|共计|加起来|平均|均值|中位|多少|(?<!哪)几[个笔张单次块元]|占比|比例|"
    r"\b(?:sum|total|average|avg|mean|median|how\s+(?:much|many)|count|number|share)\b",
    re.IGNORECASE,
)
# the first order up to the last one: a duration (首单到最后一单, first to last order), no list
_SPAN_BEFORE = re.compile(
    r"(?:first\s+(?:order|purchase)?\s*(?:to|and|until)|到|至|和|与)\s*(?:the\s+|their\s+)?$",
    re.IGNORECASE,
)


def _refundish(noun: str) -> str | None:
    """'refund' / 'return' for a refund noun, None for an order noun."""
    low = noun.lower()
    if low.startswith("return") or low.startswith("退货"):
        return "return"
    if low.startswith("refund") or low.startswith("退款"):
        return "refund"
    return None


def _found(text: str) -> tuple[re.Match[str], str, str, int, bool, str] | None:
    """The phrase: its match, what is listed ('orders' / 'refund' / 'return'), the ranking
    ('recent' / 'desc' / 'asc'), the number asked, English, and the condition said with it
    (取消的, cancelled) — or None."""
    m = _RECENT_CN.search(text)
    if m is not None and not _SPAN_BEFORE.search(text[: m.start()]):
        mid = " ".join(x for x in (m.group("mid1"), m.group("mid2")) if x)
        kind = _refundish(m.group("noun")) or "orders"
        return m, kind, "recent", _number(m.group("n"), True), False, mid
    for pattern in _LARGEST_CN:
        m = pattern.search(text)
        if m is not None and _number(m.group("n"), False) > 1:  # one: the figure (its own path)
            low = m.group("s") in ("最小", "最低")
            kind = _refundish(m.group("noun")) or "refund"
            return m, kind, "asc" if low else "desc", _number(m.group("n"), True), False, ""
    m = _RECENT_EN.search(text)
    if m is not None and not _SPAN_BEFORE.search(text[: m.start()]):
        said = m.group("n") or m.group("n1")
        noun = m.group("noun").lower()
        plural = noun.endswith("s")
        if said or plural:
            mid = m.group("mid") or ""
            if noun.startswith("cancel"):
                mid, noun = "cancelled", "orders"
            kind = _refundish(noun) or "orders"
            return m, kind, "recent", _number(said, plural), True, mid
    m = _LARGEST_EN.search(text)
    if m is not None:
        said = m.group("n") or m.group("n1")
        noun = m.group("noun").lower()
        s = m.group("s").lower()
        if _number(said, False) > 1:  # "the largest refund": the figure (its own path)
            low = s in ("smallest", "lowest")
            kind = _refundish(noun) or "refund"
            return m, kind, "asc" if low else "desc", _number(said, noun.endswith("s")), True, ""
    return None


_READ_AS = {
    ("orders", False): "订单数",
    ("orders", True): "orders",
    ("refund", False): "退款金额",
    ("refund", True): "refund amount",
    ("return", False): "退货金额",
    ("return", True): "return amount",
}
_METRICS = {"orders": ("orders",), "refund": ("refund_amount",), "return": ("return_amount",)}


def event_rows(
    question: str, ws: Any, understand: Callable[[str, Any], Understanding]
) -> Understanding | None:
    """The latest orders or single refunds listed as rows (see the module), or None when the
    question asks no such list."""
    from shopql.catalog.rows import REFUND_ROW_METRICS, counts_orders
    from shopql.nlq.linking import normalise

    text = normalise(question)
    found = _found(text)
    if found is None:
        return None
    m, kind, ranking, n, english, mid = found
    if _FIGURE_ASKED.search(text[: m.start()] + " " + text[m.end() :]):
        return None
    head, tail = (_plain(part) for part in (text[: m.start()], text[m.end() :]))
    reread = f"{head} {mid} {_READ_AS[(kind, english)]} {tail}".strip()
    try:
        u = understand(reread, ws)
    except NotUnderstood:
        return None
    q = u.query
    if (
        u.ignored
        or len(q.metrics) != 1
        or q.metrics[0] not in _METRICS[kind]
        or q.dimensions
        or q.grain
        or q.population is not None
        or q.compare
        or q.having
        or q.of_groups
        or u.compound
        or q.extra
    ):
        return None
    metric = q.metrics[0]
    if kind == "orders":
        if not counts_orders(ws.catalog, metric):
            return None
        query = replace(q, extra={"order_rows": "recent"}, limit=n, order_by=())
        said = f"the {n} latest orders (order number, platform, status, paid amount, time)"
    else:
        if metric not in REFUND_ROW_METRICS:
            return None
        query = replace(q, extra={"refund_rows": ranking}, limit=n, order_by=())
        how = {"recent": "latest", "desc": "largest", "asc": "smallest"}[ranking]
        said = f"single refunds listed: the {n} {how} (order number, platform, amount, time)"
    return Understanding(query=query, recognised=[*u.recognised, said], ignored=[])
