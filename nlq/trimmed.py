"""Figures with the largest rows left out: "去掉最大的1%订单后的客单价", "去掉最大的1%发票 今年平均一张
发票多少钱", "AOV excluding the top 1% of orders".

The question without its trimming words must read as a figure over the orders (every metric on
the rows the order value is measured on: 客单价, 订单数, 销售额), nothing unplaced. The orders
left out are those whose value is above the period's (100-N)th percentile of order value (the
catalog's percentile metric, quantile_cont over the same orders, period and filters): the figure
is then asked of the orders at or below that cut (the order-value threshold filter, its value the
percentile's own query, filled in by nlq.pipeline.compile_semantic). A share that is not a whole
percent under 50 is not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from shopql.catalog.semantic import Filter
from shopql.nlq.shared import NotUnderstood, Understanding

# the cut's place in the compiled SQL until the percentile's query takes it
CUT = 987654321987
_TRIM_ZH = re.compile(
    r"(?:去掉|去除|剔除|排除|除去|除掉|不算|不计)\s*(?:金额)?\s*(?:最大|最高|最贵)\s*(?:的)?\s*(?:那)?\s*"
    r"(?:(?P<p>\d{1,2})\s*[%％]|百分之\s*(?P<p2>\d{1,2}))\s*(?:的)?\s*"
    r"(?:订单|单子|发票|笔|单)\s*(?:以后|之后|后)?\s*(?:的)?"
)
_TRIM_EN = re.compile(
    r"\b(?:excluding|without|dropping|removing|leaving out|trimming|minus)\s+(?:the\s+)?"
    r"(?:largest|biggest|top)\s+(?P<p>\d{1,2})\s*%\s*(?:of\s+)?(?:the\s+)?(?:orders|invoices)\b",
    re.I,
)


# only the largest N% kept: "上个月最贵的那10%订单平均一单多少钱", "金额排前10%的订单", "AOV of the
# top 10% of orders" — the orders above the (100-N)th percentile
_TOP_ZH = re.compile(
    # (not ranked by another figure: 单价最高的, 件数排前, 运费最贵的 — 价 / 数 / 量 / 费 / 分 / 率)
    r"(?:(?:金额|实付)?(?<![价数量费分率])\s*(?:最大|最高|最贵)\s*(?:的)?\s*(?:那)?\s*(?:前)?"
    r"|(?:金额|实付)?(?<![价数量费分率])\s*排\s*(?:在)?\s*前)"
    # (the orders noun may have been read into 客单价 already: 那10%订单平均每单 → 那10%客单价)
    r"\s*(?:(?P<p>\d{1,2})\s*[%％]|百分之\s*(?P<p2>\d{1,2}))\s*(?:的)?\s*(?:订单|单子|发票|单|(?=客单价))"
)
_TOP_EN = re.compile(
    r"\b(?:the\s+)?(?:top|largest|biggest|most\s+expensive)\s+(?P<p>\d{1,2})\s*%\s*(?:of\s+)?"
    r"(?:the\s+|our\s+)?(?:orders|invoices)\b",
    re.I,
)


# the orders above (below) the period's own average order value: "11月有几张发票比当月的平均发票金额还
# 大", "上个月金额高于平均客单价的订单有多少", "how many orders were above the average order value"
_AVERAGE_ZH = re.compile(
    r"(?:(?:金额|实付|订单金额|发票金额)\s*)?(?P<way>比|高于|超过|大于|低于|小于|不到|不足)\s*"
    r"(?:当月|本月|这个月|该月|同期|当期|当天|全月|整体)?\s*(?:的)?\s*"
    r"(?:平均\s*(?:发票|订单|每单|每张发票)?\s*(?:金额|实付|值|数|水平)|(?:平均\s*)?客单价|均值)"
    r"\s*(?:还)?\s*(?P<more>大|高|多|小|低|少)?\s*(?:的)?"
)
_AVERAGE_EN = re.compile(
    r"\b(?:worth\s+|valued\s+)?(?P<way>above|over|more\s+than|higher\s+than|below|under|less\s+than|"
    r"lower\s+than)\s+(?:the\s+)?(?:month's\s+|period's\s+|overall\s+)?average\s+"
    r"(?:order|invoice)\s+(?:value|amount)\b",
    re.I,
)
_BELOW = ("低于", "小于", "不到", "不足", "below", "under", "less than", "lower than")


def trimmed_question(
    question: str, ws: Any, understand: Callable[[str, Any], Understanding]
) -> Understanding | None:
    """The figure over the orders with the largest N% left out, or None when not asked."""
    from shopql.catalog.families import percentile_metric
    from shopql.nlq.linking import normalise

    text = normalise(question)
    said = _TRIM_ZH.search(text) or _TRIM_EN.search(text)
    kept = said is None  # the largest N% themselves, not the rest
    said = said or _TOP_ZH.search(text) or _TOP_EN.search(text)
    average = None
    if said is None:
        average = _AVERAGE_ZH.search(text) or _AVERAGE_EN.search(text)
        if average is None or "aov" not in ws.catalog.metrics:
            return None
        way = re.sub(r"\s+", " ", average.group("way").lower())
        more = average.groupdict().get("more")
        if way == "比" and more is None:
            return None  # "比平均金额" with no 大 / 小: not a condition
        below = way in _BELOW or more in ("小", "低", "少")
        said, kept = average, not below
    phrase = said.group(0).strip()
    if average is not None:
        percent, cut = 0, "aov"
    else:
        percent = int(said.group("p") or said.groupdict().get("p2") or 0)
        cut = percentile_metric(ws.catalog, "median_order_value", 100 - percent) or ""
        if not cut or not 0 < percent < 50 or cut == "median_order_value":
            return None
    rest = f"{text[: said.start()]} {text[said.end() :]}".strip()
    try:
        u = understand(rest, ws)
    except NotUnderstood:
        u = None
    q = u.query if u is not None else None
    if (
        u is None
        or q is None
        or u.compound
        or u.ignored
        or not q.metrics
        or q.population is not None
        or q.extra
        or q.of_groups
        or q.compare
        or q.having
        or not all(_on_orders(m, cut, ws) for m in q.metrics)
        or (average is not None and (q.dimensions or q.grain))  # whose average: each group's?
    ):
        raise NotUnderstood(
            f"not understood, nothing answered: '{phrase}' is read of a figure over the orders "
            "(客单价, 订单数, 销售额: the orders on one side of the cut), and the rest of the "
            "question is not one",
            [phrase],
            [],
            u.recognised if u is not None else [],
        )
    side = ">" if kept else "<="
    if average is not None and not kept:
        side = "<"  # below the average: strictly
    query = replace(
        q, filters=(*q.filters, Filter("order_value", side, (CUT,))), extra={"trim_cut": cut}
    )
    from shopql.nlq.reading import describe

    how = (
        "are the only ones kept (the figure is of the orders above it)"
        if kept
        else "are left out (the figure is of the orders at or below it)"
    )
    of = f"{100 - percent}th percentile of order value"
    if average is not None:
        how = "above it" if kept else "below it"
        recognised = [
            *describe(q, ws),
            f"'{phrase}': the orders whose value is {how} — the average order value (aov) of the"
            " same period and filters",
        ]
        return Understanding(query, recognised=recognised)
    recognised = [
        *describe(q, ws),
        f"'{phrase}': the orders whose value is above the period's {of} {how}",
    ]
    return Understanding(query, recognised=recognised)


def _on_orders(metric: str, cut: str, ws: Any) -> bool:
    """The metric (or both sides of a ratio) is measured on the rows the cut is measured on."""
    catalog = ws.catalog
    m, c = catalog.metrics.get(metric), catalog.metrics.get(cut)
    if m is None or c is None:
        return False
    if m.type == "ratio":
        return all(_on_orders(x, cut, ws) for x in (m.numerator, m.denominator) if x)
    if c.type == "ratio":  # the average order value: measured where its amounts are
        return bool(c.numerator) and _on_orders(metric, str(c.numerator), ws)
    mine, theirs = catalog.measure(m.measure or ""), catalog.measure(c.measure or "")
    return mine is not None and theirs is not None and mine.model == theirs.model


def fill_cut(sql: str, cut_sql: str) -> str | None:
    """The compiled SQL with the cut's place taken by the percentile's query, or None when the
    place is not there exactly once."""
    place = str(CUT)
    if sql.count(place) != 1:
        return None
    return sql.replace(place, f"({cut_sql})")
