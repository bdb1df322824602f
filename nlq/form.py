"""The form a question asks, against the form of the answer about to be shown (issue 11).

A number shown as the answer must answer the question: when the question asks the top N
("前3", "哪3个品类", "买得最多的3个款", "top 5") and the answer has more rows than N; asks each
of the values it names ("boleto跟voucher各有多少") and the answer is one figure; asks the share
of a top N ("件数前10的商品占了所有商品件数的多少": one share) and the answer is a list — the
reading lost part of the question, and no number is shown (exit 5, `NotUnderstood`): what was
understood, what did not fit, and close questions that can be answered.

Checked on the straight path (nlq.pipeline.semantic_answer) after the run and before the Answer,
for both engines; a question whose form is not one of these is left as it is.
"""

from __future__ import annotations

import dataclasses
import decimal
import functools
import re
from typing import Any

from shopql.nlq.lexicon import EACH_AFTER as _EACH_AFTER
from shopql.nlq.linking import has_chinese
from shopql.nlq.shared import NotUnderstood

_N = r"\d{1,2}|[一二两三四五六七八九十]{1,3}"
_EN_N = r"\d{1,2}|three|four|five|six|seven|eight|nine|ten|twenty"
# a count word that makes "前N" a span of time or a position in a sequence, not a top N
_NOT_TOP = r"(?:个)?\s*(?:月|天|日|周|星期|礼拜|年|季|小时|钟头|分钟|单|次|笔|张|回|成|%|％|倍|号)"
_TOP_ZH = re.compile(
    rf"(?:排名|排行)?前\s*(?P<n1>{_N})(?!\d)(?!{_NOT_TOP})"
    rf"|哪\s*(?P<n2>{_N})\s*(?:个|家|款|种|类|位|名|样|件|只)"
    rf"|最[^，,。？?！!\s的]{{0,6}}的\s*(?P<n3>{_N})\s*(?:个|家|款|种|类|位|名|样|只)(?!{_NOT_TOP})"
)
_TOP_EN = re.compile(
    rf"\btop[\s-]*(?P<n1>{_EN_N})\b(?!\s*(?:%|percent|days?|weeks?|months?))", re.I
)
# one figure or one list per group: "每个城市的前3", "各品类前5", "top 3 in each state"
_PER_GROUP = re.compile(
    r"每|各(?!自)|分别|\b(?:each|every|per|for\s+all)\b|按\s*\S{1,6}\s*(?:分|看|拆)", re.I
)
# the share of a top N: "前10的商品 占了所有商品件数的多少" — one share, not each one's
_SHARE_AFTER = re.compile(
    r"^[^，,。？?]*?(?:一共|总共|合计|加起来|合起来)?\s*占(?:了)?\s*"
    r"[^，,。？?]*?(?:多少|几成|百分之几|比例|比重|份额|占比|几%|几％)"
)
# each of the values named: "boleto跟voucher各有多少个买家", "A和B分别卖了多少", "A and B each"
_AND = r"跟|和|与|及|、|还有|&|\band\b|\bvs\.?"
_TOTAL = re.compile(
    r"一共|总共|合计|加起来|加在一起|合起来|总和|总计|共计|\b(?:combined|together|in total|altogether)\b",
    re.I,
)


def _number(token: str) -> int | None:
    from shopql.catalog.timephrase import cn_number

    return cn_number(token.lower())


def asked_top(question: str) -> tuple[int, str] | None:
    """The N of a top N the question asks over the whole answer (not one per group), and the
    words that ask it."""
    for rx in (_TOP_ZH, _TOP_EN):
        for m in rx.finditer(question):
            token = next(v for v in m.groupdict().values() if v)
            n = _number(token)
            if n is None or n < 2:
                continue
            if _PER_GROUP.search(question):
                return None
            return n, m.group(0).strip()
    return None


# the one at the top: "哪个品类销售额最高", "卖得最好的是哪个月", "which state bought the most" —
# one row (ties at the top aside); 哪几 / 哪些 ask several, "A和B哪个多" / "A还是B" two values
# set side by side (both shown), a best and a worst two rows
_WHICH_ONE_ZH = re.compile(
    r"哪(?:一)?\s*(?:个|家|款|种|类|位|名|样|件|只|天|日|月|年|周|季|国|省|州|城)|几月|几号|[周星期]几|谁"
)
_SUPERLATIVE_ZH = re.compile(
    r"最\s*(?P<w>高|多|好|大|贵|忙|火|热|旺|强|能|爱|常|低|少|差|小|便宜|冷|淡|弱)"
)
_WHICH_ONE_EN = re.compile(r"\b(?:which|who)\b|\bwhat\s+(?:was|is|were)\s+the\b", re.I)
_SUPERLATIVE_EN = re.compile(
    r"\b(?P<w>most|highest|largest|biggest|best|top|busiest|lowest|least|fewest|smallest|worst"
    r"|quietest)\b",
    re.I,
)
# several asked: "前3", "top 5", "which 3 products"; a place in the ranking ("第三多", "the third
# most": the ranking down to it); a bound, not a superlative ("at least 2", "最少10单")
_SEVERAL = re.compile(
    rf"前\s*(?:{_N})|\btop\s*\d|\b(?:which|what)\s+(?:{_EN_N}|few|several)\b"
    r"|第\s*(?:\d|[二两三四五六七八九十])|老[二三四五]|倒数"
    r"|\b(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th))\b|\bat\s+(?:least|most)\b"
    rf"|\b(?:{_EN_N})\s+(?:most|highest|largest|biggest|best|busiest|lowest|least|fewest"
    r"|smallest|worst|quietest)\b"
    r"|最\s*(?:多|少)\s*(?:\d|[一两二三四五六七八九十])|最\s*(?:多|少)\s*[买下卖花付开]\S?\s*\d",
    re.I,
)
_LOW = ("低", "少", "差", "小", "便宜", "冷", "淡", "弱", "lowest", "least", "fewest", "smallest")
_ALTERNATIVES = re.compile(
    rf"{_AND}|还是|或|比|对比|相比|\b(?:or|versus|than|compared?)\b|哪几|哪些|几个|\s呢|呢[？?]?$",
    re.I,
)


def asked_top_one(question: str) -> str | None:
    """The words asking the one value at the top (or the bottom) of a ranking over the whole
    answer: a which-word and a superlative, no top N, no values set side by side, no per-group
    word, one direction only."""
    if asked_top(question) is not None or _PER_GROUP.search(question):
        return None
    if _ALTERNATIVES.search(question) or _SEVERAL.search(question):
        return None
    for which, most in ((_WHICH_ONE_ZH, _SUPERLATIVE_ZH), (_WHICH_ONE_EN, _SUPERLATIVE_EN)):
        w, sups = which.search(question), list(most.finditer(question))
        if w is None or not sups:
            continue
        if len({s.group("w").lower() in _LOW for s in sups}) > 1:
            return None  # the best and the worst: two rows asked
        return question[min(w.start(), sups[0].start()) : max(w.end(), sups[0].end())].strip()
    return None


def asked_each(question: str) -> str | None:
    """The words asking each named value's own figure ("boleto跟voucher各"), when a conjunction
    sets two values side by side before them."""
    if _TOTAL.search(question):
        return None
    for m in _EACH_AFTER.finditer(question):
        before = question[: m.start()]
        if re.search(rf"(?:{_AND})\s*\S{{1,16}}\s*$", before, re.I):
            return question[max(0, m.start() - 20) : m.end()].strip()
    return None


class WrongForm(NotUnderstood):
    """The answer's rows are not in the form the question asks (a top N answered with more
    rows, one figure split by something, each named value answered as one figure). Offline it
    is a refusal; a model's query in the wrong form goes back to the model."""


def check(
    question: str,
    query: Any,
    columns: list[str],
    rows: list[tuple[Any, ...]],
    ws: Any = None,
    recognised: list[str] | None = None,
) -> None:
    """Raise NotUnderstood when the answer's form is not the form the question asks. With the
    question's Workspace `ws`, the refusal says what was understood (`recognised`, the engine's
    own account of the words) and offers close questions in the catalog's words that the engine
    answers as they stand."""
    if not rows:
        return
    zh = has_chinese(question)
    _refuse = functools.partial(_refuse_with, ws=ws, recognised=recognised)
    top = asked_top(question)
    if top is not None:
        n, said = top
        share = _SHARE_AFTER.search(question[question.find(said) + len(said) :])
        if share is not None and re.search(r"占", said + share.group(0)):
            if len(rows) > 1:
                _refuse(question, query, zh, "share_of_top", said, len(rows), n)
        elif len(rows) > n and not _ranks_top(query, n):
            _refuse(question, query, zh, "top", said, len(rows), n)
    top_one = asked_top_one(question)
    ranked_to = (getattr(query, "extra", None) or {}).get("rank_at")  # 第三多: down to it
    if top_one is not None and len(rows) > 1 and not _ranks_top(query, 1) and not ranked_to:
        if not _tied_at_top(rows, columns, query):
            _refuse(question, query, zh, "top", top_one, len(rows), 1)
    bare = asked_bare(question, ws) if ws is not None and len(rows) > 1 else None
    plain = query is None or (
        getattr(query, "metrics", None)
        and not getattr(query, "compare", None)
        and getattr(query, "limit", None) is None
    )
    if bare is not None and plain:
        _refuse(question, query, zh, "one", bare, len(rows), 1)
    if asked_one(question) and len(rows) > 1:
        _refuse(question, query, zh, "one", _ONE.findall(question)[0], len(rows), 1)
    each = asked_each(question)
    if each is not None and len(rows) == 1 and len(columns) == 1:
        _refuse(question, query, zh, "each", each, 1, 2)


def _ranks_top(query: Any, n: int) -> bool:
    """The query itself keeps the top `n` (of the whole, or the groups inside which it ranks):
    rows beyond `n` are ties at the cut, kept (two provinces tied third), not a lost top N."""
    extra = getattr(query, "extra", None) or {}
    return getattr(query, "limit", None) == n or extra.get("top_groups") == n


def _tied_at_top(rows: list[tuple[Any, ...]], columns: list[str], query: Any) -> bool:
    """Every row shows the top row's figure — in the column the query ranks by, else in some
    column of figures: a tie at the top, each one the answer."""
    ranked = [o.name for o in getattr(query, "order_by", None) or ()]
    at = [columns.index(n) for n in ranked if n in columns]
    if not at:
        at = [j for j in range(1, len(columns)) if _figure(rows[0][j])]
    return any(all(r[j] == rows[0][j] for r in rows[1:]) for j in at)


def _figure(value: Any) -> bool:
    return isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool)


def _understood(query: Any) -> list[str]:
    said = []
    if getattr(query, "metrics", None):
        said.append("metrics: " + ", ".join(query.metrics))
    if getattr(query, "dimensions", None):
        said.append("by: " + ", ".join(query.dimensions))
    if getattr(query, "grain", None):
        said.append(f"by: {query.grain}")
    if getattr(query, "limit", None):
        said.append(f"limit: {query.limit}")
    return said


def _close(question: str, kind: str, said: str, query: Any, zh: bool, ws: Any = None) -> list[str]:
    """Close questions that can be answered: the parts of this one asked on their own (in the
    catalog's labels with a Workspace: 按品类的首单数 哪3个, not 按category的first_order_count)."""
    dim_label, metric_label = _labels(ws, zh)
    if kind == "each":
        m = re.search(rf"(?:{_AND})\s*(\S+?)\s*(?:{_EACH_AFTER.pattern})", question, re.I)
        if m is None:
            return []
        prefix, b, suffix = question[: m.start()].rstrip(), m.group(1), question[m.end() :]
        value = re.match(r"[A-Za-z0-9_]+", b)  # "voucher的买家": the value, then its noun
        tail = b[value.end() :] if value else ""
        latin = re.search(r"[A-Za-z0-9_]+$", prefix)
        a_len = len(latin.group(0)) if latin else len(b) - len(tail)
        head = prefix[: len(prefix) - a_len]
        return [f"{prefix}{tail}{suffix}", f"{head}{b}{suffix}"]
    if kind == "share_of_top":
        cut = question.find("占")
        first = question[:cut].strip() if cut > 0 else question
        return [first]
    dims = list(getattr(query, "dimensions", None) or ())
    if kind == "one":
        by = dims[0] if dims else getattr(query, "grain", None)
        if not by:
            return []
        return [f"{question} 按{dim_label(by)}" if zh else f"{question} by {dim_label(by)}"]
    metrics = list(getattr(query, "metrics", None) or ())
    if dims and metrics:
        d, m = dim_label(dims[0]), metric_label(metrics[0])
        return [f"按{d}的{m} {said}" if zh else f"{m} by {d} {said}"]
    return []


def _labels(ws: Any, zh: bool) -> tuple[Any, Any]:
    """(dimension -> its label, metric -> its label) in the question's language; the names as
    they are without a Workspace."""
    if ws is None:
        return str, str
    from shopql.nlq.nodata import _label, _metric_label

    return (lambda d: _label(ws, d, zh)), (lambda m: _metric_label(ws, m, zh))


def _refuse_with(
    question: str,
    query: Any,
    zh: bool,
    kind: str,
    said: str,
    shown: int,
    asked: int,
    *,
    ws: Any = None,
    recognised: list[str] | None = None,
) -> None:
    if kind == "top":
        why = (
            f"问的是前 {asked} 个（“{said}”），这样理解的答案有 {shown} 行：问题有一部分没有读进去"
            if zh
            else f"the question asks for the top {asked} ('{said}'), but the answer as read "
            f"has {shown} rows: part of the question was not read"
        )
    elif kind == "share_of_top":
        why = (
            f"问的是前 {asked} 个合起来占整体的比例（一个数，“{said}…占”），这样理解的答案是 "
            f"{shown} 行的列表"
            if zh
            else f"the question asks one share (the top {asked} together, '{said}'), but the "
            f"answer as read is a list of {shown} rows"
        )
    elif kind == "one":
        why = (
            f"问的是一个数（“{said}”，没有按什么分），这样理解的答案有 {shown} 行"
            if zh
            else f"the question asks one figure ('{said}', not split by anything), but the "
            f"answer as read has {shown} rows"
        )
    else:
        why = (
            f"问的是所列每个值各自的数（“{said}”），这样理解的答案只有一个数"
            if zh
            else f"the question asks each named value's own figure ('{said}'), but the answer "
            "as read is one figure"
        )
    close = _close(question, kind, said, query, zh, ws)
    understood = list(recognised or []) or _understood(query)
    if ws is not None:
        from shopql.nlq.reading import answerable, close_questions

        close = answerable(close, ws)  # never a suggestion the engine would refuse
        if len(close) < 2 and getattr(query, "metrics", None):
            close += [c for c in close_questions(question, query, ws) if c not in close]
        elif len(close) < 2 and kind == "top" and getattr(query, "population", None):
            from shopql.nlq.reading import close_people_top

            # a ranking of people: the top N asked of them (花钱最多的3个客户)
            asked_top = dataclasses.replace(query, limit=asked)
            close += [c for c in close_people_top(asked_top, ws, zh) if c not in close]
        close = close[:3]
        if understood:
            why += (" — 已理解：" if zh else " — understood: ") + "; ".join(understood)
    raise WrongForm(why, [said], close, understood=understood)


# one figure asked: how many / how much, with no word of a breakdown, a ranking or a list (茶几,
# 几乎: no question)
_ONE = re.compile(
    r"多少|(?<!茶)几(?!点|号|月|时|天|周|日|乎|何|率)|\bhow\s+(?:many|much)\b|\btotal\b", re.I
)
_MANY = re.compile(
    r"按|每|各|分别|逐|哪|什么|谁|几点|几号|几月|几时|星期几|周几|礼拜几|排|前\s*(?:\d|[一二两三四五六七八九十])"
    r"|最|分布|趋势|走势|变化|明细|列|清单|名单|构成|结构|对比|比较|相比|还是|环比|同比|分|段|天天|月度"
    r"|季度|年度|每天|日均|和|跟|与|、|及|呢|vs|不同|为\s*单位|[两三四五六七八九十]\s*(?:个|国|家|种|类|位|款|仓|省|州|城)"
    # a grain said by repeating its unit, spaced or not (一 天 一 天 看, 一个月一个月看: 逐日, 逐月)
    r"|一\s*天\s*一\s*天|一\s*(?:个\s*)?(?:月|周|星期|礼拜)\s*一\s*(?:个\s*)?(?:月|周|星期|礼拜)"
    r"|\b(?:por|cada|x|by|per|each|every|which|what|who|when|where|trend"
    r"|daily|weekly|monthly|quarterly|yearly|annually|hourly|breakdown|split|list|compare|versus"
    r"|top|bottom|and|or|respectively|mensal|semanal|trimestral|anual"
    r"|highest|lowest|largest|biggest|smallest|most|least|best|worst|rank\w*)\b",
    re.I,
)


def asked_one(question: str) -> bool:
    """The question asks one figure: how many / how much, and no word of more than one."""
    return bool(_ONE.search(question)) and not _MANY.search(question)


# a question word of any kind: a bare noun phrase has none ("上个月天猫的营业额", "revenue in 2017")
_ASKING = re.compile(
    r"吗|么|呢|怎|如何|哪|什么|谁|是否|是不是|有没有|能否|[?？]"
    r"|\b(?:what|which|who|how|when|where|why|is|are|was|were|did|does|do|can|could)\b",
    re.I,
)


# one figure set against another ("本周销售额比上周", "orders q2 against q1"): both shown
_SET_AGAINST = re.compile(r"比|较|\b(?:against|compared?|than|vs\.?|versus|relative)\b", re.I)
# so many rows listed ("latest 10 cancelled orders", "最近5笔退款")
_LISTED = re.compile(
    r"\b(?:latest|last|recent|first|newest|oldest|top|bottom)\s+\d"
    r"|(?:最近|最新|最早|最后|最大|最贵)\s*的?\s*(?:\d|[一两二三四五六七八九十])",
    re.I,
)
# people named as what is asked (a list of them), not their count (客户数, 买家量)
_PEOPLE = re.compile(
    r"(?:客户|买家|顾客|用户|会员|卖家|商家)(?!\s*(?:数|量|人数))"
    r"|\b(?:customers?|buyers?|shoppers?|people|users?|members?|sellers?)\b(?!\s+count)",
    re.I,
)


def asked_bare(question: str, ws: Any) -> str | None:
    """A bare noun phrase naming a figure ("X的营业额", "revenue last month"): no question word,
    no word of more than one figure, no dimension of the catalog named (品类销售额, category
    revenue: a breakdown said by its noun, as the engine links the words), no people named as
    what is asked (a list of them) — it asks one figure. The phrase, else None."""
    if _ASKING.search(question) or _ONE.search(question) or _MANY.search(question):
        return None
    if _SET_AGAINST.search(question) or _LISTED.search(question):
        return None  # "本周销售额比上周": both periods; "latest 10 cancelled orders": the 10
    from shopql.nlq.linking import link

    try:
        links = link(question, ws.vocabulary)
    except Exception:  # no catalog to read the words with: not judged
        return None
    if any(m.term.kind in ("dimension", "table", "column", "measure") for m in links.mentions):
        return None  # 品类销售额, 卖家的GMV, "category revenue": a breakdown said by its noun
    if not links.of("metric") or _PEOPLE.search(question):
        return None  # no figure named; "买了沙发但没买茶几的客户": the people themselves
    return question.strip()
