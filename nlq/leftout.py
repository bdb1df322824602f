"""The rows with no value of a dimension left out, said of a ranking by that dimension.

    Leaving out orders with no payment method recorded, which payment method brought in the
    most revenue this year?
    不算没有支付方式的订单 今年哪种支付方式收入最多
    今年各城市的销售额（没填城市的订单除外）

A ranking or a breakdown by a dimension already leaves out the rows with no value of it (they
are no group to rank: "rows with no X left out"), so the clause says what the answer does: it is
taken out of the question, and the answer is kept only when the query read without it groups by
that very dimension and leaves its unknown value out. Said of anything else (a total, another
dimension), the clause is a filter the engine does not read here: refused, the words named.
"""

from __future__ import annotations

import re
from typing import Any

from shopql.nlq.shared import NotUnderstood, Understanding

_ROWS_EN = r"(?:the\s+)?(?:orders?|invoices?|rows?|ones?|sales|purchases|transactions|records)"
_LEFT_OUT_EN = re.compile(
    r"(?:^|(?<=[\s,;(]))(?:leaving\s+out|leave\s+out|excluding|exclude|ignoring|ignore|"
    r"not\s+counting|without\s+counting|setting\s+aside|set\s+aside|dropping|skipping|"
    r"other\s+than|apart\s+from)\s+" + _ROWS_EN + r"\s+(?:(?:with|that\s+have|having|where|"
    r"that\s+had)\s+(?:no|an?\s+(?:empty|missing|blank|unknown)|missing|empty|blank|unknown)|"
    r"without\s+(?:an?\s+|any\s+)?)\s*"
    r"(?P<dim>[a-z][a-z ]*?)\s*(?:recorded|given|set|listed|filled\s+in|on\s+record|"
    r"on\s+file)?\s*(?P<end>[,;:)]|$|(?=\s+(?:which|what|who|how|top|the|show|list|rank)\b))",
    re.I,
)
_DIM_ZH = r"(?P<dim>支付方式|付款方式|支付渠道|付款渠道|城市|省份|省|州|国家|品类|类目|平台|地区)"
_ROWS_ZH = r"(?:订单|单子|单|发票|记录|数据)"
_NONE_ZH = r"(?:没有|没|无|缺少?|缺失|未)\s*(?:记录|填|填写|写|登记)?\s*(?:的)?\s*"
_LEFT_OUT_ZH = re.compile(
    r"[(（]?\s*(?:不算|不计|不包括|不含|除去|除掉|去掉|剔除|排除|扣除|除了)\s*(?:掉)?\s*(?:那些)?\s*"
    + _NONE_ZH
    + _DIM_ZH
    + r"\s*(?:记录|信息)?\s*的\s*"
    + _ROWS_ZH
    + r"\s*(?:以外|之外|外)?\s*[)）]?\s*[，,；;]?"
)
_LEFT_OUT_ZH_AFTER = re.compile(
    r"[(（]?\s*"
    + _NONE_ZH
    + _DIM_ZH
    + r"\s*(?:记录|信息)?\s*的\s*"
    + _ROWS_ZH
    + r"\s*(?:不算|除外|不计|排除在外|去掉|不要)\s*[)）]?\s*[，,；;]?"
)


def cut(question: str) -> tuple[str, str | None, str | None]:
    """The question without the clause, the clause as said, and the dimension word it names."""
    for pattern in (_LEFT_OUT_EN, _LEFT_OUT_ZH, _LEFT_OUT_ZH_AFTER):
        m = pattern.search(question)
        if m is None:
            continue
        end = m.start("end") if "end" in pattern.groupindex and m.group("end") else m.end()
        if m.groupdict().get("end") == ")":
            end = m.end()
        rest = f"{question[: m.start()]} {question[end:]}"
        rest = re.sub(r"^\s*[,;:，；]\s*", "", rest.strip())
        return rest, question[m.start() : end].strip(" ,;:，；"), m.group("dim").strip()
    return question, None, None


def dimension_named(word: str, ws: Any) -> str | None:
    """The catalog dimension a word names (its name, label or a synonym)."""
    said = word.lower().strip()
    if said.endswith("s") and not said.endswith("ss"):
        singular = said[:-1]
    else:
        singular = said
    for name, info in ws.catalog.dimensions.items():
        words = {name.replace("_", " "), *(s.lower() for s in info.synonyms)}
        words |= {v.lower() for v in info.label.values()}
        if said in words or singular in words:
            return str(name)
    if said in ("州",) and "province" in ws.catalog.dimensions:
        return "province"
    return None


def check(u: Understanding, said: str, word: str, ws: Any) -> Understanding:
    """`u` when it ranks or breaks down by the dimension the clause names and leaves that
    dimension's unknown value out; else refused, the clause named."""
    dim = dimension_named(word, ws)
    q = u.query
    known = any(f.dimension == dim and f.op.lower() == "is not null" for f in q.filters)
    if dim is None or dim not in q.dimensions or not known:
        raise NotUnderstood(
            f"'{said}': rows with no {word} left out of something other than a ranking by it is"
            " a filter not read here — ask by that dimension (各支付方式 …) or without the clause",
            [said],
            [],
            u.recognised,
        )
    u.recognised = [*u.recognised, f"left out: rows with no {dim} ('{said}')"]
    return u
