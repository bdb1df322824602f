"""Comparisons and rankings the offline engine answers beyond one metric by dimensions:

- **A vs B** on one dimension ("Douyin vs Tmall AOV this year", "抖音和天猫的客单价对比"): a breakdown
  by that dimension restricted to A and B — one row each, never one number for both together;
- **share of one value** ("credit-card share of orders", "信用卡订单占比"): one number, the metric
  filtered to the value divided by the metric without that filter (same period, same other
  filters), shown with both parts and the definition;
- **growth rankings** ("fastest-growing category last month", "哪个类目增长最快", "增速排名"): the
  change per dimension value against the period before (the last complete month against the one
  before when no period is named), absolute and %, ranked by %; values without a base (nothing in
  the earlier period) come last and are named;
- **rankings** of any entity (product by its SPU key across platforms, seller, shop, city,
  province, customer) by any metric: "rank them" / "排名" gives the whole ordering; "which … most" /
  "哪个…最多" gives the top one, ties included and said, with the whole ranking as a second result.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from shopql.catalog.families import adds_up
from shopql.catalog.semantic import Filter, OrderBy, SemanticQuery, TimeRange
from shopql.nlq.lexicon import EACH_AFTER as _EACH_AFTER
from shopql.nlq.linking import has_chinese
from shopql.nlq.sellers import by_line_seller
from shopql.nlq.sellers import describe as sellers_said

# "A vs B": with two values of one dimension named, a comparison word makes them a breakdown
# ("抖音vs天猫": vs between Chinese words too)
VERSUS = re.compile(
    r"(?<![a-z])vs\.?(?![a-z])|\bversus\b|\bcompared?\b|\bcomparison\b|对比|比较|相比|还是"
    r"|(?<![a-z])pk(?![a-z])"
    r"|比\s*一下|比\s*一比|比下|比比|跟[^，,。？?]{1,20}?比"  # "SP跟RJ的单量比一下": one row each
    # "SP的客单价和RJ比": a plain 和 / 与 / 同 whose 比 ends the clause (not 占比, 比例, 比RJ多)
    r"|(?:和|与|同)[^，,。？?]{1,20}?(?<![占对])比(?=\s*(?:$|[，,。？?]|怎|如何|呢|的话|起来|看))"
)
# something to compare with said at all — another period or value (比 / 对比 / 相比, 相对, 环比 /
# 同比, 之前 / 以前 / 前一, vs): without it, "今年营业额多了多少" asks more than nothing
# (offline._refuse_change_without_other)
COMPARED_WITH = re.compile(r"比|相对|环比|同比|之前|以前|前一|(?<![a-z])vs\.?(?![a-z])|\bversus\b")
# a number word saying how many values were named ("两个城市比一比"): placed by those values
_HOW_MANY_NAMED = {"两": 2, "俩": 2, "二": 2, "三": 3, "two": 2, "three": 3, "both": 2}
# a ranking asked for by name ("rank them", "排名", "排一下"), not only an order ("sorted", 排序)
RANK_WORDS = re.compile(r"\brank(?:ed|ing|ings|s)?\b|排名|排行|排一下|排一排|排个名|排下名|名次")
# "女装占今年销售额的多少", "天猫占了几成": the share of one value
SHARE_VERBS = {"came", "come", "comes", "coming", "来自", "全部", "所有", "总"}
# "what share of sales did the top 10 customers account for / represent": the share's own verb
SHARE_VERBS |= {"account", "accounts", "accounted", "represent", "represents", "represented"}
# the whole of a weekday's share said as the week: every day of it
_WHOLE_WEEK = {
    "一周",
    "整周",
    "全周",
    "一整周",
    "一个星期",
    "整个星期",
    "the week",
    "the whole week",
}
# "MG还是PR平均评分高", "A vs B which is higher": the comparison's own adjective
COMPARATIVES = {
    "高",
    "低",
    "多",
    "少",
    "大",
    "小",
    "更高",
    "更低",
    "更多",
    "更少",
    "更大",
    "好",
    "更好",
}
COMPARATIVES |= {"higher", "lower", "more", "less", "bigger", "smaller", "better", "worse"}
# not 预占 / 占用 (stock reserved by orders: 预占库存, 占用库存)
SHARE_OF = re.compile(
    r"(?<!预)占(?!用)(?:了)?[^，。,?？]{0,16}?(?:的)?(?:多少|几成|百分之几|比重|比例|百分比|几个点)"
)
SHARE_ASKS = {"几成", "百分之几", "几个点", "多大比例", "多少比例", "多少比重"}
PERIOD_WORDS = {"months": "month", "month": "month", "月": "month", "days": "day", "day": "day"}
PERIOD_WORDS.update({"天": "day", "weeks": "week", "week": "week", "周": "week", "years": "year"})
# "哪个月…最高": periods ranked, the top one first
WHICH_PERIOD = re.compile(
    r"哪个月|哪一个月|哪月|哪天|哪一天|哪周|哪一周|哪年|哪一年|哪个季度|哪一个季度|哪一季度|哪季度"
    r"|\bwhich (month|day|week|year|quarter)\b"
)
GROWTH_METRIC = "paid_gmv"  # what "grew fastest" measures when no metric is named: sales
# "翻了几倍", "是去年的几倍", "how many times higher": the later period's figure over the
# earlier's (a ratio column beside the change); not 翻了几番 (doublings)
RATIO_ASKED = re.compile(
    r"翻了?\s*(?:几|多少)\s*倍|(?:几|多少)\s*倍"
    r"|\bhow\s+many\s+times\s+(?:as\s+(?:much|many|big|high|large)|more|bigger|higher|larger|greater)\b"
    r"|\bby\s+what\s+factor\b|\bwhat\s+multiple\s+of\b"
)

# How far apart two figures are, in one word list for both uses: the amount of a change between
# two periods (DELTA_ASKED: "德国下半年比上半年多卖了多少", "by how many days") and the gap between
# two values of one dimension (_difference_asked: "荷兰比比利时多多少", "how much more … than").
# A comparative's direction: False when the later/first figure is the larger (A − B), True when
# the word says less (B − A), None when the word alone does not say (faster delivery is fewer days)
_MORE_LESS_ZH: dict[str, bool | None] = {
    "多": False,
    "高": False,
    "贵": False,
    "长": False,
    "涨": False,
    "增加": False,
}
_MORE_LESS_ZH |= {"提高": False, "上升": False, "延长": False, "少": True, "低": True, "便宜": True}
_MORE_LESS_ZH |= {"短": True, "跌": True, "降": True, "减少": True, "下降": True, "缩短": True}
_MORE_LESS_ZH |= {"快": None, "慢": None, "变化": None, "变": None}  # 变了多少: by how much
# up or down said together ("涨跌多少", "增减了多少"): by how much, either way (was: 跌 read alone,
# the earlier period minus the later)
_MORE_LESS_ZH |= {"涨跌": None, "增减": None, "升降": None, "涨落": None, "变动": None}
_MORE_LESS_EN: dict[str, bool | None] = {
    "more": False,
    "higher": False,
    "bigger": False,
    "greater": False,
}
_MORE_LESS_EN |= {"larger": False, "longer": False, "less": True, "fewer": True, "lower": True}
_MORE_LESS_EN |= {"smaller": True, "shorter": True, "faster": None, "slower": None}
_VERBS_ZH = "消费|花费|卖|赚|收|花|出|买|下|发|付|退|开"  # 多卖了, 少赚了, 多消费了, 多开了(发票)
# the verb's complement said after it: 多卖出去多少件, 少卖掉几单, 多赚到多少钱, 多发出去几单
_COMPLEMENT_ZH = "出去|出来|回来|进来|出|掉|到"
_HOW_MUCH_ZH = r"(?:多少钱|多少|几|啥)\s*[单件个天人元块笔张次]?"  # 多多少, 少几单, 快了几天
_GAP_ZH = rf"相差|差距|(?:差额|差值|差了|差)\s*(?:多大|{_HOW_MUCH_ZH})"
_GAP_EN = ("difference", "gap")  # "gap" only before "between": a repurchase gap is a duration


def _alternatives(words: Any) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


# "多卖了多少", "高多少", "便宜几块": a comparative, a verb, 了, how much — group 1 the comparative
_MORE_LESS_ZH_SAID = (
    rf"({_alternatives(_MORE_LESS_ZH)})\s*(?:(?:{_VERBS_ZH})\s*(?:{_COMPLEMENT_ZH})?)?\s*(?:了)?"
    rf"\s*(?:{_VERBS_ZH}了)?\s*"
    rf"{_HOW_MUCH_ZH}"  # said apart too: "多 卖了 多少钱"
)
# "how much more", "how many days faster": group 1 the comparative
_MORE_LESS_EN_SAID = (
    rf"\bhow\s+(?:much|many)\s+(?:\w+\s+){{0,2}}?({_alternatives(_MORE_LESS_EN)})\b"
)
DELTA_ASKED = re.compile(
    f"{_MORE_LESS_ZH_SAID}|{_GAP_ZH}|{_MORE_LESS_EN_SAID}"
    rf"|\bby\s+how\s+(?:many|much)\b|\b(?:the\s+)?difference\b|\bgap\s+between\b"
    r"|\b(?:the\s+)?(?:net\s+)?change\b"  # "nov sales vs oct, change", "change in sales"
    # "十一月退货单数量相比十月的变化" (C, session 40): the change, its amount beside the rate, as
    # "change" says it; not a rate of change or a trend (变化率, 变化趋势)
    r"|变化(?!率|趋势|走势|曲线)"
    # either way asked ("比去年12月多了还是少了", "more or fewer than"): the sign of the change
    # answers it — the amount beside the rate, one row (was: two periods apart, a row each)
    # (高还是低 of two periods apart stays two rows and the change: test_family_C35)
    rf"|(?:多|涨|增加|上升)了?\s*还是\s*(?:{_VERBS_ZH})?\s*(?:少|跌|减少|下降)了?"
    r"|\b(?:more|higher|up)\s+or\s+(?:fewer|less|lower|down)\b"
)


def prepare(p: Any, ws: Any) -> None:
    """Before the query is built: a growth question compares with the period before (the last
    complete month with the one before when no period is named)."""
    apart = getattr(p, "apart", None) is not None
    if p.modifiers.get("growth") and not (p.modifiers.get("compare") or p.two_periods or apart):
        # not when two periods apart are said ("今年11月的开票量跟去年12月相比增长几成", C,
        # session 43): the later against the earlier said (offline._periods_apart), not each
        # against the one before it
        p.modifiers["compare"] = "previous_period"
    if p.modifiers.get("growth") or p.modifiers.get("compare") or p.two_periods:
        # "monthly sales growth %": the answer's change column is that %
        p.links.leftover = [w for w in p.links.leftover if w not in ("%", "percent", "pct")]
    _kind_named(p, ws)
    _one_kind_compared(p, ws)
    _value_and_rest(p)
    if SHARE_OF.search(p.links.text) and not p.modifiers.get("share"):
        p.modifiers["share"] = True
    if p.modifiers.get("share"):  # "what % of revenue came from SP": the share's own verb
        p.links.leftover = [w for w in p.links.leftover if w not in SHARE_VERBS]
        if any(f.dimension == "day_of_week" for f in p.filters):  # "周四的销售额占一周多少":
            p.links.leftover = [w for w in p.links.leftover if w not in _WHOLE_WEEK]  # all days'


def _kind_named(p: Any, ws: Any) -> None:
    """ "sao paulo vs rio de janeiro sales (city)": values that name two things (the state SP and
    the city sao paulo) compared side by side, with the kind named, are of that kind: the named
    dimension says which values they are, it is not a breakdown of them."""
    from shopql.catalog.semantic import Filter

    if not VERSUS.search(p.links.text):
        return
    for i, f in enumerate(p.filters):
        said = [m for m in p.links.of("value") if m.term.target == f.dimension]
        if f.op != "in" or len(f.values) < 2 or len(said) != len(f.values):
            continue
        for d in [d for d in p.dimensions if d != f.dimension]:
            other = []
            for m in said:
                terms = ws.vocabulary.terms.get(m.phrase, [])
                values = {t.value for t in terms if t.kind == "value" and t.target == d}
                other += list(values)[:1] if len(values) == 1 else []
            if len(other) == len(said):
                p.filters[i] = Filter(d, "in", tuple(other))
                p.dimensions.remove(d)
                return


def _one_kind_compared(p: Any, ws: Any) -> None:
    """ "sao paulo vs campinas": two values compared side by side are of one kind — a name that
    is also a value of the other's kind (sao paulo: the state SP and the city) is read as that
    kind (the city), so the two make one row each, not a state filter and a city filter."""
    from dataclasses import replace as with_term

    values = [m for m in p.links.mentions if m.term.kind == "value"]
    for a, b in zip(values, values[1:], strict=False):
        between = p.links.text[a.end : b.start]
        if a.term.target == b.term.target:
            continue
        if not (VERSUS.fullmatch(between.strip()) or _AND_BETWEEN.match(between)):
            continue
        for this, that in ((a, b), (b, a)):
            terms = ws.vocabulary.terms.get(this.phrase.lower(), [])
            other = [t for t in terms if t.kind == "value" and t.target == that.term.target]
            if len(other) != 1 or not _refile(p, this.term, other[0]):
                continue
            at = p.links.mentions.index(this)
            p.links.mentions[at] = with_term(this, term=other[0])
            return


# "SP 和 其他州", "SP vs the rest", "SP vs other states": the value(s) named against every other
# value of their kind — two rows, the named and the rest
_REST_SAID = re.compile(
    r"\s*(?:vs\.?|versus|和|跟|与|对比|比|对|and|compared\s+(?:with|to))\s*"
    r"(?:all\s+)?(?:the\s+)?(其他|其它|其余|别的|外(?=州|省)|others?|rest|everyone\s+else|everything\s+else)"
    r"(?:\s*的)?"
)
_REST_WORDS = {
    "其他",
    "其它",
    "其余",
    "别的",
    "外",
    "other",
    "others",
    "rest",
    "everyone",
    "everything",
}


# the word of a day said after the rest ("其他日子", "其他几天", "other days"), of a day part
_DAY_PARTS = {"day_of_week", "day_of_month"}
_DAYS_WORD = re.compile(r"\s*(?:的)?\s*(?:日子|几天|天|days?)(?:\s*(?:比|相比|对比))?")


# the people a value's kind is of, said right after it ("SP州卖家", "SP sellers")
_PERSON_AFTER = re.compile(r"\s*(?:的)?\s*(?:卖家|商家|店铺|店家|sellers?)(?![\u4e00-\u9fff]*数)")


def _refiled_by_person(p: Any, d: str, values: list[Any]) -> tuple[str] | None:
    """The value(s) linked as `d` but filtered as another kind, the person word right after them
    saying whose ("SP州卖家": the sellers' state, seller_state): that kind, when the one filter of
    those values is of it and the person word follows the value (or its kind word) at once."""
    if any(f.dimension == d for f in p.filters):
        return None
    named = {str(m.term.value if m.term.value is not None else m.phrase).upper() for m in values}
    other = [f for f in p.filters if f.op == "in" and {str(v).upper() for v in f.values} == named]
    if len(other) != 1:
        return None
    last = values[-1]
    kinds = [m for m in p.links.mentions if m.start >= last.end and m.term.target == d]
    end = last.end
    if kinds and not p.links.text[end : kinds[0].start].strip():
        end = kinds[0].end
    return (other[0].dimension,) if _PERSON_AFTER.match(p.links.text, end) else None


def _value_and_rest(p: Any) -> None:
    """The value(s) said, then 'vs the rest' / 和其他: p.modifiers["rest_of"] = their dimension;
    the rest's words and a kind word after them (其他州: not a breakdown) are placed."""
    values = [m for m in p.links.mentions if m.term.kind == "value"]
    if not values or len({m.term.target for m in values}) != 1:
        return
    d, last = values[-1].term.target, values[-1]
    said_as = d  # the kind the value was linked as (a state: province), before a person word
    end = last.end
    kinds = [m for m in p.links.mentions if m.start >= end and m.term.target == d]
    if kinds and kinds[0].term.kind in ("dimension", "measure"):  # "SP州 vs 其他州": its kind
        if not p.links.text[end : kinds[0].start].strip():
            end = kinds[0].end
    refiled = _refiled_by_person(p, d, values)
    if refiled is not None:  # "SP州卖家跟其他州卖家": the sellers' state, its person word said
        d, end = refiled[0], _PERSON_AFTER.match(p.links.text, end).end()  # type: ignore[union-attr]
    said = _REST_SAID.match(p.links.text, end)
    metric = next((m for m in p.links.mentions if m.start >= end), None)
    if said is None and metric is not None and metric.term.kind == "metric":
        # "礼拜天的客单价跟其他日子比": the figure said between the value and the rest
        if not p.links.text[end : metric.start].strip(" 的"):
            said = _REST_SAID.match(p.links.text, metric.end)
    if said is None:  # "礼拜天开的发票和平时开的发票": the same words after the value and the rest
        said = _rest_said_in_parallel(p.links.text, end, d in _DAY_PARTS)
    if said is None or not any(f.dimension == d and f.op == "in" for f in p.filters):
        return
    kind_word = _DAYS_WORD.match(p.links.text, said.end()) if d in _DAY_PARTS else None
    if kind_word is not None:  # "其他日子", "其他几天", "the other days": the days' own word
        placed = p.links.text[said.start() : kind_word.end()]
        p.links.leftover = [w for w in p.links.leftover if w.strip() not in placed]
    after = [m for m in p.links.mentions if m.start >= said.end()]
    kind = after[0] if after and after[0].term.target in (d, said_as) else None
    if kind is not None and kind.term.kind in ("dimension", "measure"):
        if p.links.text[said.end() : kind.start].strip() == "":
            p.dimensions[:] = [x for x in p.dimensions if x not in (d, said_as)]
    p.modifiers["rest_of"] = d
    from shopql.nlq.lexicon import WHICH_WAY

    said_way = [m for m in p.links.of("modifier") if m.term.target == "trend"]
    if p.modifiers.get("trend") and said_way and all(m.phrase in WHICH_WAY for m in said_way):
        p.modifiers.pop(
            "trend"
        )  # "…跟其他日子比是高还是低": which way, of the two rows (no series)
    words = set(said.group(0).split()) | _REST_WORDS | {"else", "vs", "versus"}
    words |= {said.group(1)} if said.lastindex else set()  # 平时 / 平常: the usual days
    p.links.leftover = [w for w in p.links.leftover if w not in words]


# a day said, then usual days: "礼拜天开的发票和平时开的发票" (平时 / 平常: every other day)
_USUAL_DAYS = re.compile(r"\s*(?:和|跟|与|对比|比)\s*(平时|平常)")


def _rest_said_in_parallel(text: str, end: int, days: bool) -> Any:
    """The rest said after words that follow the value and the rest alike ("礼拜天开的发票和平时开的
    发票", "SP的订单跟其他的订单"): the rest's match (as _REST_SAID's), when the words between the
    value and 和 are said again right after the rest word. For days, 平时 / 平常 name the rest."""
    for at in range(end, min(len(text), end + 12)):
        said = _REST_SAID.match(text, at) or (_USUAL_DAYS.match(text, at) if days else None)
        if said is None:
            continue
        between = text[end:at].strip()
        again = text[said.end() :].lstrip()
        if (between and again.startswith(between)) or (at == end and said.re is _USUAL_DAYS):
            return said  # "周日和平时各卖了多少": the usual days right after the day
    return None


def _refile(p: Any, old: Any, new: Any) -> bool:
    """Move one value of the filters from `old`'s dimension to `new`'s (one filter per
    dimension, values in the order said); False when the filters do not hold it as said."""
    from shopql.catalog.semantic import Filter

    at = next(
        (i for i, f in enumerate(p.filters) if f.dimension == old.target and f.op == "in"), None
    )
    if at is None or old.value not in p.filters[at].values:
        return False
    rest = tuple(v for v in p.filters[at].values if v != old.value)
    if rest:
        p.filters[at] = Filter(old.target, "in", rest)
    else:
        del p.filters[at]
    into = next(
        (i for i, f in enumerate(p.filters) if f.dimension == new.target and f.op == "in"), None
    )
    if into is None:
        p.filters.append(Filter(new.target, "in", (new.value,)))
    else:
        f = p.filters[into]
        p.filters[into] = Filter(new.target, "in", (new.value, *f.values))
    return True


def growth_metrics(p: Any, ws: Any) -> list[str]:
    """The metric of a growth ranking that names none: sales (said in the understanding)."""
    compared = p.modifiers.get("growth") or p.modifiers.get("compare")  # "各类目上个月同比"
    # "beleza_saude 8月环比": one value's change, as each category's is
    growth = compared and (p.dimensions or p.filters) and not p.metrics
    # "17年哪个月环比增长最多": the periods ranked by their growth
    said = p.modifiers.get("growth")  # a growth word, ranked: not "best month" (no metric)
    ranked = said in ("top", "bottom") or (said and p.modifiers.keys() & {"top", "bottom"})
    growth = growth or (ranked and p.modifiers.get("grain") and not p.metrics)
    # "今年比前年翻了几倍": a ratio of two periods naming no metric is of sales (said)
    ratio = RATIO_ASKED.search(p.links.text) and (compared or p.two_periods or p.apart)
    growth = growth or (ratio and not p.metrics and not p.dimensions)
    if growth and GROWTH_METRIC in ws.catalog.metrics:
        p.modifiers["growth_of_sales"] = True
        return [GROWTH_METRIC]
    return []


SHARE_OPS = ("in", "=", "like", "not in", "not like")  # the value a share is of
SHARE_METRIC = "orders"  # what a share of one value counts when no metric is named


_NEGATED = ("not in", "not like")


def whole_filters(q: SemanticQuery, d: str) -> tuple[Any, ...]:
    """The filters of the whole of a value's share (`share_of` = d): every filter but the
    part's. The part is the value named of d; a value of d negated beside it ("非英国的销售额里
    德国占多少", "germany share of non-UK revenue") narrows the whole — the part is Germany's
    sales, the whole every country's but the UK's. A negated value alone is the part ("非英国
    客户占多少比例": all but the UK, of everyone)."""
    said = [f for f in q.filters if f.dimension == d and f.op in SHARE_OPS]
    if any(f.op not in _NEGATED for f in said):
        said = [f for f in said if f.op not in _NEGATED]
    return tuple(f for f in q.filters if f not in said)


def share_metrics(p: Any, ws: Any) -> list[str]:
    """ "信用卡支付占比", "what share is boleto": the share of one value that names no metric is
    its share of orders (said in the understanding)."""
    values = [f for f in p.filters if f.op in ("in", "=") and len(f.values) == 1]
    alone = not (p.metrics or p.dimensions or p.excluded or p.modifiers.get("grain"))
    # a way of paying is counted in orders; "天猫占比" (of sales? of orders?) names no metric
    paying = any("payment" in f.dimension for f in values)
    if p.modifiers.get("share") and alone and len(values) == len(p.filters) == 1:
        counted = _records_named(p, values[0].dimension, ws)  # "what share of payments are …"
        if counted is not None:
            p.modifiers["share_of_orders"] = True
            return [counted]
    if p.modifiers.get("share") and alone and paying and len(values) == len(p.filters) == 1:
        if SHARE_METRIC in ws.catalog.metrics:
            p.modifiers["share_of_orders"] = True
            return [SHARE_METRIC]
    if p.modifiers.get("share") and alone and len(values) == len(p.filters) == 1:
        counted = _rows_counted(values[0].dimension, ws)  # "1星评价占比": of reviews
        if counted is not None:
            p.modifiers["share_of_orders"] = True
            return [counted]
    return []


_COUNT_OF_KIND = re.compile(r"(两|俩|二|三|\btwo|\bthree)\s*(?:个|家|座)?\s*$")
_COUNT_AFTER_VALUES = re.compile(
    r"\s*(?:这\s*)?(两|俩|三)\s*(?:个|家)?(?![\d个家]*[天周月年季度次单件])"
)


def _number_of_values_named(p: Any, query: SemanticQuery) -> None:
    """ "7月 MG 加 ES 两个州 一共几单", "SP、RJ、MG 三个州的订单": a number word right before the
    word of a dimension whose filter names that many values only counts the values named: placed
    (no other meaning; any other number word stays unplaced)."""
    text = p.links.text
    for f in query.filters:
        if f.op != "in" or len(f.values) < 2:
            continue
        for m in p.links.mentions:
            if m.term.kind not in ("dimension", "measure") or m.term.target != f.dimension:
                continue
            said = _COUNT_OF_KIND.search(text[: m.start])
            if said and _HOW_MANY_NAMED.get(said.group(1).lower()) == len(f.values):
                p.links.leftover = [w for w in p.links.leftover if w != said.group(1)]
        # "天猫京东两家合计占多少", "SP RJ 这两个": the number said right after the values themselves
        named = sorted(
            (m for m in p.links.of("value") if m.term.target == f.dimension), key=lambda m: m.start
        )
        after = _COUNT_AFTER_VALUES.match(text[named[-1].end :]) if named else None
        if after and _HOW_MANY_NAMED.get(after.group(1).lower()) == len(f.values):
            restated = {after.group(0).strip(), after.group(1), f"{after.group(1)}家"}
            p.links.leftover = [w for w in p.links.leftover if w not in restated]


# the value a share asks of a whole said before it: "(退货单金额) 里 德国 占多少"
_PART_BEFORE = re.compile(r"(?:里面|里头|当中|之中|里|中)\s*$")
_PART_AFTER = re.compile(r"^\s*(?:的)?\s*占")
# the whole a part is taken among, said after it ("信用卡付的单里", "买家当中") or before it
# ("among card orders", "out of all orders paid by card")
_AMONG_ZH = re.compile(r"里面|里头|当中|之中|里(?!程)|(?<=[单户家人])中(?!位)")
_AMONG_EN = re.compile(r"\b(?:among|amongst|out of)\b")


def _part_of_share(p: Any, values: list[Any]) -> list[Any]:
    """Of the values in a share, the part; the others narrow the whole. Read in one of two
    wordings:
    - the value said between 里/中 (after the whole) and 占 ("今年退货单金额里德国占多少":
      Germany's share of the returns' amount, the status kept on both sides). A part that is one
      of the values of a whole of the same kind ("英国的销售额里德国占多少"): none (the share is
      refused), never the two values' share together;
    - else, of two values on two dimensions (one value each), the one said after the whole they
      are taken among ("信用卡付的单里 RJ的客户 占多少": RJ's share of the card orders, which
      narrow both; "among card orders, what share were from RJ").
    The values unchanged when neither wording is found."""
    text = p.links.text
    said = [
        m
        for m in p.links.of("value")
        if _PART_BEFORE.search(text[: m.start]) and _PART_AFTER.match(text[m.end :])
    ]
    if len({m.term.target for m in said}) == 1:
        part = [f for f in values if f.dimension == said[0].term.target]
        if len(part) == 1 and len(part[0].values) > 1:
            # one name for several values said as the part ("销售额里 家具 占多少": every moveis_
            # category, value_names.yaml) is their share together; a value of the same kind named
            # elsewhere ("英国的销售额里德国占多少": of the whole) leaves no part: none
            others = [
                m
                for m in p.links.of("value")
                if m.term.target == part[0].dimension and m not in said
            ]
            return [] if others else part
        return part
    together = _values_said_before_share(p, values)
    if together is not None:
        return together
    first = _part_said_first(p, values)
    if first is not None:
        return first
    placed = _two_placed(p, values)
    if placed is None:
        return values
    (first, _), (second, part_after) = placed
    if _AMONG_ZH.search(text[first.end : second.start]):
        return [part_after]
    among = _AMONG_EN.search(text[: first.start])
    if among:
        p.links.leftover = [w for w in p.links.leftover if w not in among.group(0).split()]
        return [part_after]
    return values


def _two_placed(p: Any, values: list[Any]) -> list[tuple[Any, Any]] | None:
    """Two filters on two dimensions, one value each, each value said once: (its link, the
    filter) in the order said. None for any other shape."""
    if len(values) != 2 or values[0].dimension == values[1].dimension:
        return None
    if any(len(f.values) != 1 for f in values):
        return None
    placed = []
    for f in values:
        at = [m for m in p.links.of("value") if m.term.target == f.dimension]
        if len(at) != 1:
            return None
        placed.append((at[0], f))
    placed.sort(key=lambda x: x[0].start)
    return placed


# the part said first, then the whole it is taken of: "德国在欧洲销售额里占多少", "EIRE在海外销售额
# 中的占比" (在 … 里/中 … 占), "germany share of non-UK revenue", "germany's % of european sales"
_IN_THEN_WHOLE = re.compile(r"\s*(?:的\s*)?(?:销售额|销量|订单|订单数|金额)?\s*在\s*")
_WHOLE_THEN_SHARE = re.compile(
    r"^[^占，,。?？]{0,12}?(?:里面|里头|当中|之中|里|中)\s*(?:的)?\s*(?:占|比例|比重|份额)"
)
_SHARE_OF_EN = re.compile(
    r"\s*(?:'s\s*)?(?:(?:as\s+)?a\s+)?(?:share|percentage|percent|%|portion|proportion|fraction)"
    r"\s+of\s+(?:the\s+|all\s+)?(?:total\s+)?"
)


def _part_said_first(p: Any, values: list[Any]) -> list[Any] | None:
    """Of two values on two dimensions (one value each), the first is the part when the second
    is the whole it is taken of, said right after it: "德国在欧洲销售额里占多少" (A 在 B … 里/中
    占), "germany share of non-UK revenue" (A share of B) — Germany's sales over Europe's, over
    the rest of the world's; never the two together over everything. None when not said so."""
    placed = _two_placed(p, values)
    if placed is None:
        return None
    text = p.links.text
    (a, part), (b, _) = placed
    between = text[a.end : b.start]
    if _IN_THEN_WHOLE.fullmatch(between) and _WHOLE_THEN_SHARE.match(text[b.end :]):
        return [part]
    if _SHARE_OF_EN.fullmatch(between):
        return [part]
    return None


# what may stand between the values a share asks of and its 占: the values restated (两家, 这两个
# 平台) and a word adding them up (合计, 加起来)
_BETWEEN_VALUES = re.compile(r"^\s*(?:和|与|跟|及|以及|加|、|,|，|/|\+)?\s*$")
_TOGETHER_THEN_SHARE = re.compile(
    r"^\s*(?:的)?\s*(?:这\s*)?(?:(?:两|俩|三|二)\s*(?:个|家)?\s*(?:平台|渠道|店铺|店|省|州|城市|国家)?\s*)?"
    r"(?:的)?\s*(?:合计|加起来|加在一起|合起来|一共|总共|一起|共)?\s*(?:的)?\s*占"
)


def _values_said_before_share(p: Any, values: list[Any]) -> list[Any] | None:
    """ "家具今年卖的钱 天猫京东两家合计占百分之多少", "今年家具的销售额 天猫和京东加起来占多少": of values
    on two kinds, the values of one kind said together right before 占 (nothing but their
    joining words, their number restated and a word adding them up between) are the part —
    taken together — and every other value, said before them, narrows the whole (the furniture
    sales on both sides). None when the values are not said so."""
    if len(values) < 2 or len({f.dimension for f in values}) != len(values):
        return None
    text = p.links.text
    mentions = sorted(p.links.of("value"), key=lambda m: m.start)
    for f in values:
        run = [m for m in mentions if m.term.target == f.dimension]
        if not run or not _TOGETHER_THEN_SHARE.match(text[run[-1].end :]):
            continue
        if any(
            not _BETWEEN_VALUES.match(text[a.end : b.start])
            for a, b in zip(run[:-1], run[1:], strict=True)
        ):
            return None
        others = [m for m in mentions if m.term.target != f.dimension]
        if not others or any(m.start > run[0].start for m in others):
            return None
        return [f]
    return None


# the whole a condition's share is taken of: a value said before 里/中 with nothing but 的 left
# between 里/中 and 占 (the condition's words are read, blanked) — "拼多多的订单里 实付不到50的
# 占多少" — or after "among" / "share of" ("among pinduoduo orders, what share were under 50")
_WHOLE_THEN_AMONG = re.compile(r"^[^，。,?？占里中]{0,8}?(?:里面|里头|当中|之中|里|中)")
_PART_BLANKED = re.compile(
    r"^[\s的]*(?:有|是)?\s*(?:占|$|比例|比重|百分比|几成|多少比例|多大比例|(?:是)?多少(?:$|[?？]))"
)
_AMONG_BEFORE_EN = re.compile(
    r"\b(?:among|amongst|out of|(?:share|percent|percentage|proportion|fraction)\s+of)"
    r"\s+(?:all\s+|the\s+)?(?:'s\s+)?$"  # "share of this year's …": the period read, blanked
)


def _whole_of_a_condition(p: Any, query: SemanticQuery, value: Any, ws: Any) -> bool:
    """The one value of a share names the whole a threshold condition's rows are taken among
    ("拼多多的订单里 实付不到50的 占多少": of Pinduoduo's orders, those under 50), never the part
    (Pinduoduo's share of the orders under 50): said before 里/中 with only the condition (read
    and blanked) between 里/中 and 占, or right after "among" / "share of"."""
    thresholds = getattr(ws.catalog, "thresholds", None) or {}
    if not any(f.dimension in thresholds for f in query.filters):
        return False
    text = p.links.text
    said = [m for m in p.links.of("value") if m.term.target == value.dimension]
    if not said:
        return False
    for m in said:
        among = _WHOLE_THEN_AMONG.match(text[m.end :])
        if among is not None:
            if not _PART_BLANKED.match(text[m.end + among.end() :]):
                return False
        elif not _AMONG_BEFORE_EN.search(text[: m.start]):
            return False
    return True


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _value_beside_condition(p: Any, query: SemanticQuery, value: Any, ws: Any) -> bool:
    """ "今年SP州实付不到50的订单占比", "SP州实付超过100的订单占全部订单的比例": one value and a
    threshold condition in a share, with no 里/中/among to say which the share is taken among —
    SP's share of the small orders, the small orders' share of SP's, or both together over all
    the orders. Refused (as two values said so are), never one of them guessed. A value said
    between 里/中 and 占 is the part (`_part_of_share`)."""
    thresholds = getattr(ws.catalog, "thresholds", None) or {}
    if not any(f.dimension in thresholds for f in query.filters):
        return False
    text = p.links.text
    if not _CJK.search(text) or _AMONG_ZH.search(text):
        return False  # English says the part after "share of" / "from" (`_whole_of_a_condition`)
    return bool([m for m in p.links.of("value") if m.term.target == value.dimension])


# a period said as the part of a share, between 里/中 and 占 ("2011年 英国的订单中 12月 占多少")
_AMONG = re.compile(r"里面|里头|当中|之中|里|中")
_SHARE_WORD = re.compile(r"占")
_YEAR_WHOLE = re.compile(r"占\s*(?:了)?\s*(?:全年|整年|一整年|全年度|当年|这一年)")
_AMONG_THEN_SHARE = re.compile(r"(?:里面|里头|当中|之中|里|中)([\s的]*)占")


def _period_part(p: Any, query: SemanticQuery, text: str, ws: Any) -> tuple[str, str, str] | None:
    """ "2011年 英国的订单中 12月 占多少", "今年德国的销售额里11月占几成": the part of a share said
    between 里/中 and 占 is a period inside the period said before (the whole): the part's
    figure over the whole period's, every value named narrowing both. `text`: the normalised
    question. The whole (start, end, label), or None when the part is not a period alone inside
    a longer period said before."""
    import datetime as dt

    from shopql.nlq.periods import running_to_date

    part = query.time_range
    if part is None or part.start is None or part.end is None:
        return None
    start, end = part.start, part.end
    whole: TimeRange | None = None
    if _YEAR_WHOLE.search(text) is not None and len(_SHARE_WORD.findall(text)) == 1:
        # "2011年 11月 的 销售额 占 全年 多少": the part's own year is the whole (a year said
        # with its number stays the calendar year; one not said, 今年, up to today)
        first, label = dt.datetime(start.year, 1, 1), f"{start.year}年"
        whole = TimeRange(first, dt.datetime(start.year + 1, 1, 1), label)
        if re.search(r"\d{4}", part.label or "") is None:
            whole = running_to_date(TimeRange(first, whole.end, "全年"), ws.today)
    else:
        whole = (
            _whole_said_before(p, text, ws)
            or _whole_said_after_share(p, text, ws)
            or _whole_said_of_en(text, ws)
        )
    if whole is None or whole.start is None or whole.end is None:
        return None
    inside = whole.start <= start and end <= whole.end
    if not inside or (whole.start, whole.end) == (start, end):
        return None
    return (whole.start.isoformat(), whole.end.isoformat(), whole.label or "全年")


def _whole_said_after_share(p: Any, text: str, ws: Any) -> TimeRange | None:
    """The period said right after the one 占 of "11月的退货单占今年退货单的几成", "德国11月的销售额
    占2011年的比例" (the whole; the part is the period said before 占), else None — also when a
    value is said between that period and 占 ("11月德国占今年销售额的几成": the value is part of
    the part, and the whole is not narrowed by it: not read here)."""
    from shopql.nlq.lexicon import TO_DATE_WORDS
    from shopql.nlq.periods import festivals_of, running_to_date, said_to_date
    from shopql.nlq.phrases import find_time

    share = list(_SHARE_WORD.finditer(text))
    if len(share) != 1:
        return None
    after = text[share[0].end() :]
    whole, found, _ = find_time(after, ws.today, festivals_of(ws))
    if whole is None or found is None or after[: found.start].strip(" 了"):
        return None  # the whole is said first after 占 ("占 今年 …")
    before, part, _ = find_time(text[: share[0].start()], ws.today, festivals_of(ws))
    if before is None or part is None:
        return None  # the part: a period said before 占
    between = text[part.end : share[0].start()]
    if any(m.phrase in between for m in p.links.of("value")):
        return None
    # the whole said up to today ("占2011年至今退货单的几成"): its year to date, not the calendar year
    to_date = re.match(r"\s*(?:" + "|".join(TO_DATE_WORDS) + ")", after[found.end :])
    if to_date is not None:
        whole, _ = said_to_date(to_date.group(0), whole, ws.today)
    whole = running_to_date(whole, ws.today)
    if whole is not None and not whole.label:
        whole = TimeRange(whole.start, whole.end, found.text)
    return whole


# "what share of germany's 2011 sales came in november": the whole said after "share of", the
# part after the verb of happening ("came in", "were in", "fell in")
_PART_SAID_EN = re.compile(
    r"\b(?:share|percent(?:age)?|proportion|fraction|how much)\s+of\b(?P<whole>.+?)"
    r"\b(?:came|come|comes|was|were|happened|fell|occurred|took\s+place)\s+(?:in|during)\b"
    r"(?P<part>.+)$"
)


def _whole_said_of_en(text: str, ws: Any) -> TimeRange | None:
    """The period said in the whole of "what share of germany's 2011 sales came in november"
    when a period alone follows "came in" (the part), else None."""
    from shopql.nlq.periods import festivals_of
    from shopql.nlq.phrases import find_time

    said = _PART_SAID_EN.search(text)
    if said is None:
        return None
    _, found, rest = find_time(said.group("part"), ws.today, festivals_of(ws))
    if found is None or re.sub(r"[\s?.!]|\bthe\b", "", rest):
        return None  # the part is the period alone ("in november?")
    return _whole_period(said.group("whole"), ws)


_TO_DATE = re.compile(r"(?:到|至)\s*(?:现在|今天|目前|今)|至今|为止")


def _whole_said_before(p: Any, text: str, ws: Any) -> TimeRange | None:
    """The period said before the 里/中 of "2011年 英国的订单中 12月 占多少" when what is said
    between 里/中 and 占 is a period alone (the part), else None."""
    from shopql.nlq.periods import festivals_of
    from shopql.nlq.phrases import find_time

    placed = _AMONG_THEN_SHARE.search(p.links.text)  # as read: the period taken out
    if placed is None or placed.group(1).strip(" 的"):
        return None
    share = list(_SHARE_WORD.finditer(text))
    if len(share) != 1:
        return None
    among = list(_AMONG.finditer(text, 0, share[0].start()))
    if not among:
        return None
    between = text[among[-1].end() : share[0].start()]
    _, found, rest = find_time(between, ws.today, festivals_of(ws))
    rest = _TO_DATE.sub("", rest)  # "第四季度到现在": the part said up to today
    if found is None or rest.strip(" 的"):  # the part is the period alone ("12月", "12月的")
        return None
    return _whole_period(text[: among[-1].start()], ws)


def whole_period_said(text: str, ws: Any) -> TimeRange | None:
    """The period `text` says, as the whole of a period's share (_whole_period)."""
    return _whole_period(text, ws)


def _whole_period(text: str, ws: Any) -> TimeRange | None:
    """The period `text` says, as the whole of a period's share: a running one cut at today,
    labelled by the words that said it; None when no period is said."""
    from shopql.nlq.periods import festivals_of, running_to_date
    from shopql.nlq.phrases import find_time

    whole, before, _ = find_time(text, ws.today, festivals_of(ws))
    if whole is None or before is None:
        return None
    whole = running_to_date(whole, ws.today)
    if whole is not None and not whole.label:
        whole = TimeRange(whole.start, whole.end, before.text)
    return whole


# the whole of a share said by its rows' name: "share of payments", "% of payments", 占付款记录
_AMONG_AFTER = re.compile(r"\s*(?:里面|里|当中|之中|中)")
_WHOLE_BEFORE = re.compile(
    r"(?:\b(?:share|percent(?:age)?|proportion|ratio|fraction|%)\s+of|占)\s*$"
)


def _records_named(p: Any, dimension: str, ws: Any) -> str | None:
    """ "what share of payments are debit card", "what % of payments were made with boleto": the
    share's whole named by the bare word of a countable of records (payments) — not an entity
    counted (sellers, products) — whose own model holds the value's dimension: that countable's
    count (the payment records), not the orders. The word is placed."""
    catalog = ws.catalog
    text = p.links.text
    for m in p.links.mentions:
        whole = _WHOLE_BEFORE.search(text[: m.start]) or (
            _AMONG_AFTER.match(text, m.end) and "占" in text[m.end :]  # 付款记录里借记卡占多少
        )
        if m.term.kind != "measure" or not whole:
            continue
        found = catalog.measurables.get(m.term.target)
        if (
            found is None
            or found.kind != "count"
            or found.dimension
            or "count" not in found.metrics
        ):
            continue
        model = catalog.models.get(found.model)
        if model is None or dimension not in model.dimensions:
            continue
        p.links.leftover = [w for w in p.links.leftover if w != m.phrase]
        return str(found.metrics["count"])
    return None


def _rows_counted(name: str, ws: Any) -> str | None:
    """What a share of a value naming no metric counts, when only one thing can be meant: the
    rows of a threshold's model that has no amount of its own (a review's score: reviews), by
    the catalog's plain count metric of that model. An order's value (of sales? of orders?) is
    not guessed."""
    catalog = ws.catalog
    threshold = getattr(catalog, "thresholds", {}).get(name)
    if threshold is None:
        return None
    counts, amounts = [], []
    for metric in catalog.metrics.values():
        measure = catalog.measure(metric.measure or "")
        if measure is None or measure.model != threshold.model or metric.type != "simple":
            continue
        if metric.value_type == "money":
            amounts.append(metric.name)
        elif measure.agg in ("count", "count_distinct") and not metric.filter:
            counts.append(metric.name)
    return str(counts[0]) if len(counts) == 1 and not amounts else None


def _complete_buckets(query: SemanticQuery, today: Any) -> SemanticQuery:
    """The range of a per-bucket growth ranking ending where today's bucket starts: the bucket
    still running ("2011年哪个月环比跌得最狠" on 1 December 2011: December) has only some of its
    days, and its fall against a whole month would rank first for that alone."""
    import datetime as dt

    from shopql.catalog.timephrase import shift

    tr, grain = query.time_range, query.grain
    if (
        tr is None
        or tr.start is None
        or tr.end is None
        or grain not in ("month", "quarter", "week")
    ):
        return query
    day = today - dt.timedelta(days=today.weekday()) if grain == "week" else today
    if grain != "week":
        months = 3 if grain == "quarter" else 1
        day = dt.date(today.year, (today.month - 1) // months * months + 1, 1)
    start = dt.datetime.combine(day, dt.time())
    if not tr.start < start < tr.end or shift(tr.start.date(), grain, 1) >= day:
        return query
    return replace(query, time_range=TimeRange(tr.start, start, f"{tr.label} (whole {grain}s)"))


_HOW_MANY_AFTER = re.compile(r"\s*(?:是)?\s*(?:几|多少)")


def _refuse_superlative_counted(p: Any, query: SemanticQuery, text: str) -> None:
    """ "上个月 英国 和 海外 每张 发票 最大 几件": a superlative said right before how many is the
    largest one's figure (the biggest invoice's pieces: a max over the invoices), not which of
    the values named is larger — was their average pieces per invoice, 最大 read as the choice
    between them. Refused (as the same words are without the values named), unless the metric
    read is already that max or min."""
    if any(m.startswith(("max", "min")) for m in query.metrics):
        return
    if re.search(r"哪|谁|\bwhich\b|\bwho\b", text):  # "哪个最多 多少单": the choice is asked
        return
    for m in p.links.mentions:
        if getattr(m.term, "target", None) not in ("top", "bottom"):
            continue
        if getattr(m.term, "kind", None) != "modifier":
            continue
        end = text.find(m.phrase)
        while end != -1 and not _HOW_MANY_AFTER.match(text, end + len(m.phrase)):
            end = text.find(m.phrase, end + 1)
        if end == -1:
            continue
        from shopql.nlq.shared import NotUnderstood

        raise NotUnderstood(
            f"the offline engine cannot answer this: '{m.phrase}' said before how many asks the"
            f" largest (smallest) one's figure, not which of the values named is "
            f"{'larger' if m.term.target == 'top' else 'smaller'} — and {query.metrics[0]} has no"
            " such maximum read here; ask it as 最多几件 / 最高单笔订单件数",
            [m.phrase],
            [],
        )


_TWO_SIDED = ("halfday", "daytype")


def _two_sides_compared(p: Any, dims: list[str], text: str, ws: Any) -> None:
    """ "上个月周末和工作日 哪个日均销售额更高", "was an average weekend day or weekday bigger for
    sales", "上午和下午哪个销售额高": the split by a two-valued time part (weekday / weekend, morning
    / afternoon) named as both its sides, with a comparative: both rows answer which is higher —
    the comparative is placed by them, as for two values named side by side (C, session 41)."""
    parts = getattr(ws.catalog, "time_parts", {}) or {}
    if len(dims) != 1 or getattr(parts.get(dims[0]), "part", None) not in _TWO_SIDED:
        return
    if not (VERSUS.search(text) or re.search(r"哪|\bwhich\b|\bwas\b|\bor\b|还是|比", text)):
        return
    # "give both daily averages": both sides, the two rows
    p.links.leftover = [w for w in p.links.leftover if w not in COMPARATIVES | {"both"}]


def shape(question: str, query: SemanticQuery, p: Any, ws: Any) -> SemanticQuery:
    """A vs B, share of one value, growth ranking, whole rankings and "which one": the query
    reshaped, with what to do after it in `extra`."""
    from shopql.nlq.linking import normalise
    from shopql.nlq.phrases import asks_for_one

    text = normalise(question)
    query = by_line_seller(query, ws)
    extra = dict(query.extra)
    dims = list(query.dimensions)
    superlative = p.modifiers.get("growth") in ("top", "bottom", "least")  # "grew fastest"
    which = asks_for_one(text) or WHICH_PERIOD.search(text) or superlative
    which = bool(which or p.modifiers.get("rank_at")) and p.top_n in (None, 1)
    if which and p.modifiers.get("rank_at"):
        extra["rank_at"] = p.modifiers["rank_at"]  # "排第二": the row at that place
    difference = _difference_asked(p, query, ws)
    # "上个月 周六周日 付款的单 集中在几点": the one asked for is of another breakdown (the hour),
    # the values named only keep the rows — not one row each (g, session 30)
    split_values = {f.dimension for f in query.filters if f.op == "in" and len(f.values) >= 2}
    ranks_another = any(d not in split_values for d in dims)
    side_by_side = (
        VERSUS.search(text)
        or (asks_for_one(text) and not ranks_another)
        or difference
        or _named_side_by_side(p, text, query, ws)
    )
    if difference and not query.grain and not query.compare and len(query.metrics) == 1:
        extra["difference"] = difference  # "荷兰比比利时多多少": the two values and A − B
        p.links.leftover = [w for w in p.links.leftover if w not in _DIFFERENCE_WORDS]
    times = None if difference else _times_asked(p, query)
    if times and not query.grain and not query.compare and len(query.metrics) == 1:
        extra["difference"] = (*times, "times")  # "德国的件单价是法国的几倍": A / B
        said = " ".join(m.group(0) for m in RATIO_ASKED.finditer(p.links.text))
        p.links.leftover = [
            w for w in p.links.leftover if w not in said and w not in ("倍", "相当于", "等于")
        ]  # "天猫的销售额相当于京东的几倍": 相当于 / 等于 say 是
        if not said:  # "A和B的订单数之比", "the ratio of A orders to B orders": the ratio's words
            p.links.leftover = [w for w in p.links.leftover if w not in _RATIO_OF_WORDS]
        side_by_side = True
    if side_by_side:
        _refuse_superlative_counted(p, query, text)  # "英国和海外每张发票最大几件"
    if side_by_side:  # "SP和RJ哪个订单多", "荷兰跟比利时的买家数": one row each
        for f in query.filters:
            if f.op == "in" and len(f.values) >= 2 and f.dimension not in dims:
                dims.append(f.dimension)  # "A vs B": one row each
                extra["versus"] = f.dimension
                gs = getattr(ws.catalog, "value_groups", {}).get(f.dimension)
                if gs is not None and gs.others is not None:  # "UK vs the rest": an unknown
                    extra["neither"] = (gs.dimension, gs.others.name)  # country is the rest's
                # "天猫跟京东比 哪家客单价高": 哪家 is which of the values named (never a stop
                # word: "哪家卖得最多" names no kind of thing ranked)
                p.links.leftover = [
                    w for w in p.links.leftover if w not in COMPARATIVES and w != "哪家"
                ]
                # "SP和RJ两个州", "these two cities": the number of the values named
                p.links.leftover = [
                    w for w in p.links.leftover if _HOW_MANY_NAMED.get(w) != len(f.values)
                ]
    _number_of_values_named(p, query)  # "MG 加 ES 两个州 一共几单": the two values restated
    ranking = p.top_n or p.modifiers.get("top") or p.modifiers.get("bottom")
    if not ranking and not query.compare and len(query.metrics) == 1:
        _two_sides_compared(p, dims, text, ws)  # "周末和工作日哪个日均销售额高": both rows
    periods = [PERIOD_WORDS[w] for w in p.links.leftover if w in PERIOD_WORDS]
    whole = p.modifiers.get("top") == "all"  # "rank the months of 2017 by orders": every one
    if ranking and (p.top_n or which or whole) and periods and not (dims or query.grain):
        query = replace(query, grain=periods[0])  # "top 3 months by sales", "订单最多的5天"
        extra["periods_ranked"] = True
        p.links.leftover = [w for w in p.links.leftover if w not in PERIOD_WORDS]  # placed
    if ranking and not query.order_by and (dims or query.grain) and not query.compare:
        keys = ([query.grain] if query.grain else []) + dims  # "哪个月…最高", "A、B、C哪个…最高"
        first = OrderBy(query.metrics[0], not p.modifiers.get("bottom"))
        by_rank = (first, *(OrderBy(k, False) for k in keys))
        query = replace(query, order_by=by_rank, limit=1 if which else p.top_n)
    rest = _rest_of(p, query, dims)
    grouped_rest = _rest_as_groups(rest, ws)
    if grouped_rest is not None:  # "UK vs everyone else": the catalog's UK-or-the-rest groups
        gs, named = grouped_rest
        filters = tuple(
            Filter(gs.name, "in", (named, gs.others.name)) if f.dimension == gs.dimension else f
            for f in query.filters
            if not (f.dimension == gs.dimension and f.op != "in")
        )
        query = replace(query, filters=filters)
        dims.append(gs.name)
        extra["versus"] = gs.name
        extra["neither"] = (gs.dimension, gs.others.name)
    elif rest is not None:
        extra["rest_of"] = rest  # "SP 和 其他州": SP, and every other state together
    if p.modifiers.get("growth_of_sales") and not p.modifiers.get("growth"):
        extra["compared_sales"] = True  # "各类目上个月同比": of sales, said
    query = replace(query, dimensions=tuple(dims), extra=extra)
    if "product" in query.dimensions and _has_titles(ws):
        extra["product_titles"] = True
    grouped = p.modifiers.get("rate_per_group") and (query.dimensions or query.grain)
    if grouped and not query.compare:  # "各州取消率": the value's rate within each group
        values = [f for f in query.filters if f.op in ("in", "=") and len(f.values) == 1]
        if len(values) == 1 and values[0].dimension not in query.dimensions:
            extra["share_of"] = values[0].dimension
            extra["per_group"] = True
    # "of the people who viewed 沙发, what share added to cart": the share of those people
    # (nlq/behaviour.py), the value only narrows both
    among = p.modifiers.get("among_whole")
    # two metrics said ("英国 退货金额 占 销售额 的 比例"): one over the other, both narrowed by the
    # value (nlq/offline.py _metric_share), never the value's share of the first metric alone
    alone = len(query.metrics) == 1
    if (
        p.modifiers.get("share")
        and not query.dimensions
        and not query.grain
        and not among
        and alone
    ):
        values = [f for f in query.filters if f.op in ("in", "=", "like")]
        # "非英国客户占多少比例": the share of all but one value
        values = values or [f for f in query.filters if f.op in ("not in", "not like")]
        if p.modifiers.get("rate_of"):  # "germany cancellation rate": the status is rated
            values = [f for f in values if f.dimension == p.modifiers["rate_of"]]
        # the part of a share: said between 里/中 and 占 ("退货单金额里德国占多少"), else of two
        # values the one said after the whole they are taken among ("信用卡付的单里RJ的客户占多少")
        values = _part_of_share(p, values)
        if len(values) == 1 and _whole_of_a_condition(p, query, values[0], ws):
            values = []  # "拼多多的订单里 实付不到50的 占多少": the condition's share (offline)
        elif len(values) == 1 and _value_beside_condition(p, query, values[0], ws):
            from shopql.nlq.shared import NotUnderstood

            raise NotUnderstood(
                "the offline engine cannot answer this: a share said of a value and a condition "
                "at once names no part: say which the share is taken among (SP州的订单里 实付"
                "不到50的占多少 / 实付不到50的订单里 SP州占多少)",
                [],
                [],
            )
        whole_period = _period_part(p, query, text, ws)
        if whole_period is not None:  # "2011年 英国的订单中 12月 占多少": December's share of
            values = []  # the year (the UK's orders on both sides), not the UK's of December
            extra["share_of_period"] = whole_period
            year = _YEAR_WHOLE.search(text)  # "占 全年": the whole said, placed
            p.links.leftover = [w for w in p.links.leftover if not (year and w in year.group(0))]
        if len(values) == 1:
            extra["share_of"] = values[0].dimension
            if p.modifiers.get("share_of_orders"):
                extra["share_default"] = True
            rated = p.modifiers.get("rate_said") and p.modifiers.get("export_status")
            rated = rated and not _EVERY_ROW_WHOLE.search(text)  # "(C invoices / all invoices)"
            if values[0].dimension == "status" and rated:
                # "11月取消率", "cancellation rate" on Online Retail: its C invoices are orders of
                # their own cancelling invoices already paid — the rate is over the paid
                # invoices, never over the C invoices and stock adjustments as well (a share
                # said without a rate word, "取消的发票占全部发票的比例", stays over them all)
                extra["share_over_paid"] = True
    if (
        p.modifiers.get("share")
        and query.grain
        and not query.dimensions
        and not query.compare
        and not among
        and alone
        and not extra.get("share_of")
        and not extra.get("share_of_period")
    ):
        # "今年京东在总销售额里的比重 逐月看": one value's share of the whole, period by period
        # (each month's part over that month's whole), as "每个月的取消率" is
        values = [f for f in query.filters if f.op in ("in", "=") and len(f.values) == 1]
        among_said = _AMONG_SAID.search(_TOTAL_SAID.sub("", text))  # "天猫订单里 退款的占比"
        if len(values) == 1 and not p.modifiers.get("rate_of") and not among_said:
            extra["share_of"] = values[0].dimension
            extra["per_group"] = True
    m = query.metrics[0]
    if p.modifiers.get("growth") and query.dimensions and query.compare and not query.grain:
        ties = tuple(OrderBy(d, False) for d in query.dimensions)
        falling = p.modifiers.get("bottom") or p.modifiers.get("growth") in ("bottom", "least")
        key = f"{m}__delta" if _by_amount(p) else f"{m}__change"
        order = (OrderBy(key, not falling), OrderBy(m, True), *ties)
        extra["growth"] = (
            "sales, as no metric was named" if p.modifiers.get("growth_of_sales") else True
        )
        if p.modifiers.get("growth") == "least":  # 涨得最少: the smallest change, whichever way
            extra["growth_least"] = True
        extra["which_one"] = bool(which)
        limit = None if which else p.top_n
        return known_only(replace(query, order_by=order, limit=limit, extra=extra), ws)
    ranked = superlative or which or p.top_n or p.modifiers.get("top") or p.modifiers.get("bottom")
    if p.modifiers.get("growth") and ranked and periods and not (dims or query.grain):
        # "month with the biggest drop in sales vs the month before, 2017": the periods ranked
        unit, tr = periods[0], query.time_range
        spans = tr is not None and tr.start is not None and tr.end is not None
        if spans and query.compare == "previous_period" and not p.two_periods:
            assert tr is not None and tr.start is not None and tr.end is not None
            from shopql.catalog.timephrase import shift

            if shift(tr.start.date(), unit, 1) < tr.end.date():  # more than one period
                query = replace(query, grain=unit)
                extra["per_bucket"] = True
                p.links.leftover = [w for w in p.links.leftover if w not in PERIOD_WORDS]
    per_bucket = query.grain and query.compare and extra.get("per_bucket")
    if p.modifiers.get("growth") and per_bucket and not query.dimensions and ranked:
        # "17年哪个月环比增长最多", "month with the biggest MoM growth": each period against the
        # one before, the periods ranked by that change
        falling = p.modifiers.get("bottom") or p.modifiers.get("growth") in ("bottom", "least")
        key = f"{m}__delta" if _by_amount(p) else f"{m}__change"
        order = (OrderBy(key, not falling), OrderBy(m, True), OrderBy(str(query.grain), False))
        extra["growth"] = (
            "sales, as no metric was named" if p.modifiers.get("growth_of_sales") else True
        )
        if p.modifiers.get("growth") == "least":
            extra["growth_least"] = True
        extra["which_one"] = bool(which)
        limit = None if which else p.top_n
        query = _complete_buckets(query, ws.today)  # a running month is no match for a whole one
        return replace(query, order_by=order, limit=limit, extra=extra)
    if (query.dimensions or query.grain) and query.order_by:
        if which and query.limit == 1:
            extra["which_one"] = True
            return known_only(replace(query, limit=None, extra=extra), ws)
        if p.modifiers.get("top") == "all" and not p.top_n:
            # "rank them", "排一下": the whole ordering of the values the data names — the row of
            # rows with no value is no rank (left out and said); "sorted", "排序", "从高到低" only
            # order a breakdown, which keeps that row (its own row: the whole is every row)
            if RANK_WORDS.search(text):
                return known_only(replace(query, limit=None, extra=extra), ws)
            return replace(query, limit=None, extra=extra)
        return known_only(replace(query, extra=extra), ws)
    return replace(query, extra=extra)


# "荷兰比比利时多多少", "天猫比京东少多少单", "how much more did tmall sell than jd", "difference
# between A and B", "A和B差多少": how far apart two values of one dimension are (A − B; B − A
# when asked how much less)
_THAN_ZH = re.compile(r"(?:的[^，。,?？\s]{0,10})?比\s*$")
_MORE_LESS_AFTER_ZH = re.compile(r"^[^，。,?？]{0,12}?" + _MORE_LESS_ZH_SAID)
_GAP_AFTER_ZH = re.compile(r"^[^，。,?？]{0,12}?(?:" + _GAP_ZH + ")")
_THAN_EN = re.compile(r"\bthan\s*$")
_MORE_LESS_BEFORE_EN = re.compile(_MORE_LESS_EN_SAID)
_GAP_BEFORE_EN = re.compile(rf"\b(?:{_alternatives(_GAP_EN)})\s+(?:in\s+\w+\s+)?between\s*$")
# the words a difference answer places: the comparatives, their 了 forms, than / 比, the gap nouns
_DIFFERENCE_WORDS = {*_MORE_LESS_EN, *_MORE_LESS_ZH, *(f"{w}了" for w in _MORE_LESS_ZH), *_GAP_EN}
_DIFFERENCE_WORDS |= {"than", "比", "相差", "差距", "差了", "差"}


def _rest_of(p: Any, query: SemanticQuery, dims: list[str]) -> tuple[str, tuple[Any, ...]] | None:
    """(dimension, the values named) when the value(s) are set against the rest of their kind,
    with nothing else shaping the query (no breakdown, buckets or comparison of periods)."""
    d = p.modifiers.get("rest_of")
    named = [f for f in query.filters if f.dimension == d and f.op == "in"]
    if d is None or len(named) != 1 or dims or query.grain or query.compare:
        return None
    return d, tuple(named[0].values)


def _rest_as_groups(rest: tuple[str, tuple[Any, ...]] | None, ws: Any) -> tuple[Any, str] | None:
    """(group set, the group named) when the value(s) set against the rest are exactly one group
    of a catalog group set with `others` (the UK, against the rest of the world): its CASE counts
    a row with no value in the rest, as "every other" reads — the rest is every row not the UK's."""
    if rest is None:
        return None
    d, values = rest
    said = {str(v) for v in values}
    for gs in (getattr(ws.catalog, "value_groups", None) or {}).values():
        if gs.dimension != d or gs.others is None:
            continue
        for g in gs.groups:
            if set(g.members) == said:
                return gs, g.name
    return None


def _value_and_the_rest(
    ws: Any, question: str, q: SemanticQuery, compile_: Any, zh: bool
) -> tuple[list[Any], list[str], Any]:
    """ "SP 和 其他州 平均几天到货": one row for the value(s) named, one for every other value of
    their kind together — each row its own query, so an average is the rows' own average."""
    from shopql.nlq.shared import ResultSet

    d, values = q.extra["rest_of"]
    plain = replace(q, extra={}, order_by=(), limit=None)
    rest = tuple(
        Filter(d, "not in", values) if f.dimension == d and f.op == "in" else f for f in q.filters
    )
    named, others = compile_(plain), compile_(replace(plain, filters=rest))
    cols = ", ".join(q.metrics)
    label = _literal(", ".join(map(str, values)))
    other = _literal("其他" if zh else "other")
    sql = (
        f"SELECT {label} AS {d}, {cols} FROM ({named.sql}) AS named UNION ALL "
        f"SELECT {other}, {cols} FROM ({others.sql}) AS the_rest"
    )
    result = ws.run(sql, question, source="ask:offline")
    said = ", ".join(map(str, values))
    note = (
        f"other = every {d} but {said} together (rows with no {d} are in neither)"
        if not zh
        else f"其他 = {said} 以外的所有 {d} 合起来（没有 {d} 的行两边都不算）"
    )
    rs = ResultSet("answer", result.sql, result.columns, result.rows, result.truncated)
    return [rs], [note], named


def _difference_asked(p: Any, query: SemanticQuery, ws: Any) -> tuple[str, str, str, bool] | None:
    """(dimension, A, B, less) when the question asks how far apart two values of one dimension
    are: A 比 B 多/少 多少, "how much more … A … than B", "difference between A and B", A和B差多少."""
    values = [m for m in p.links.mentions if m.term.kind == "value"]
    text = p.links.text
    named = [f for f in query.filters if f.op == "in" and len(f.values) == 2]
    # "天猫 的 女装 比 京东 多卖了多少": the two values compared may have another dimension's
    # value said between them (the category both are of)
    pairs = [(a, b) for i, a in enumerate(values) for b in values[i + 1 :]]
    for a, b in pairs:
        d = a.term.target
        if b.term.target != d or not any(f.dimension == d for f in named):
            continue
        if any(v.term.target == d for v in values if a.start < v.start < b.start):
            continue  # a value of the same kind between them: the nearer pair says it
        before, between, after = text[: a.start], text[a.end : b.start], text[b.end :]
        less: bool | None = None
        if _THAN_ZH.search(between):
            m = _MORE_LESS_AFTER_ZH.match(after)
            less = _MORE_LESS_ZH[m.group(1)] if m else None
        elif _THAN_EN.search(between):
            # "how much more did SP sell than RJ", "SP revenue is how much more than RJ"
            m = _MORE_LESS_BEFORE_EN.search(text[: b.start])
            less = _MORE_LESS_EN[m.group(1).lower()] if m else None
        elif _AND_BETWEEN.match(between) and (
            _GAP_AFTER_ZH.match(after) or _GAP_BEFORE_EN.search(before)
        ):
            less = False
        if less is not None:
            return d, str(a.term.value), str(b.term.value), less
    return None


# "A 是 B 的几倍", "A 比 B 高几倍" (said of two values of one dimension): A's figure over B's
_TIMES_BETWEEN_ZH = re.compile(r"是|比|相当于|等于")
_TIMES_AFTER_ZH = re.compile(
    r"^\s*(?:的)?\s*(?:客户|买家|顾客|用户|的)?\s*(?:加起来|加在一起|合起来|总共|一共)?\s*(?:的)?"
    r"\s*(?:几|多少)\s*倍"
)


def _times_asked(p: Any, query: SemanticQuery) -> tuple[str, str, str] | None:
    """(dimension, A, B) when the question asks how many times one value's figure is another's
    ("今年德国的件单价是法国的几倍", "RJ买家的客单价是SP买家的多少倍"): A said first, B after 是."""
    values = [m for m in p.links.mentions if m.term.kind == "value"]
    text = p.links.text
    named = [f for f in query.filters if f.op == "in" and len(f.values) == 2]
    for i, a in enumerate(values):
        for b in values[i + 1 :]:
            # "英国 … 是 其他国家 的几倍": the two values of one filter (the UK and the rest)
            pair = {str(a.term.value), str(b.term.value)}
            both = [f for f in named if {str(v) for v in f.values} == pair]
            if len(pair) != 2 or len(both) != 1:
                continue
            d = both[0].dimension
            if any(v.term.target == d for v in values if a.start < v.start < b.start):
                continue
            if _TIMES_BETWEEN_ZH.search(text[a.end : b.start]) and _TIMES_AFTER_ZH.match(
                text[b.end :]
            ):
                return d, str(a.term.value), str(b.term.value)
            if _RATIO_OF_VALUES_ZH[0].fullmatch(text[a.end : b.start]) and _RATIO_OF_VALUES_ZH[
                1
            ].match(text[b.end :]):
                return d, str(a.term.value), str(b.term.value)  # "A和B的订单数之比"
            if _RATIO_OF_VALUES_EN[0].search(text[: a.start]) and _RATIO_OF_VALUES_EN[1].fullmatch(
                text[a.end : b.start]
            ):
                return d, str(a.term.value), str(b.term.value)  # "ratio of A orders to B orders"
    return None


# the ratio of two values' figures (g, session 30): "上个月Shopify和抖音的订单数之比" (not 占比: each
# one's share of the whole), "the ratio of Shopify orders to Douyin orders" — A's over B's
_RATIO_OF_VALUES_ZH = (
    re.compile(r"\s*(?:和|与|跟|同)\s*"),
    re.compile(
        r"\s*(?:的)?\s*[^\s占比，,。]{0,8}?\s*(?:之比|的比值|的比|比值)\s*(?:是|为)?\s*(?:多少|几)?\s*[?？]?\s*$"
    ),
)
_RATIO_OF_WORDS = {"之比", "之", "比值", "值", "比", "ratio", "ratio of"}
_RATIO_OF_VALUES_EN = (
    re.compile(r"\bratio\s+(?:of|between)\s+(?:the\s+)?$"),
    re.compile(r"\s+(?:[a-z]+\s+){0,2}?(?:to|and)\s+(?:the\s+)?"),
)


# a period compared with another: "9月 比 10月", "10月 客单价 比 11月", "in may than (in) june"
_THAN_PERIOD_ZH = re.compile(r"(?:^|[^，。,?？]{0,10}?)比\s*$")
_THAN_PERIOD_EN = re.compile(r"\bthan\s+(?:(?:in|on|during|for|over)\s+)?$")
_EITHER_ZH = re.compile(r"还是|或者|或是")  # "多了还是少了": the word alone does not say


def period_subject_less(before: str, between: str, after: str) -> bool | None:
    """How a comparative between two periods said orders their difference: False when it asks
    the period said first minus the other ("9月比10月多了多少单", "how much more in may than
    june"), True when the other minus it ("1月比12月少卖了多少", "how much less … than"), None
    when no such comparative joins them (or it does not say which way: 快, 变化, 多了还是少了)."""
    if _THAN_PERIOD_ZH.search(between):
        m = _MORE_LESS_AFTER_ZH.match(after)
        if m is None or _EITHER_ZH.search(after[: m.end()]):
            return None
        return _MORE_LESS_ZH[m.group(1)]
    if _THAN_PERIOD_EN.search(between):
        said = list(_MORE_LESS_BEFORE_EN.finditer(before))
        if len(said) != 1:
            return None
        return _MORE_LESS_EN[said[0].group(1).lower()]
    return None


def _period_share(
    ws: Any, question: str, q: SemanticQuery, compile_: Any, zh: bool
) -> tuple[list[Any], list[str], Any]:
    """A period's share of a longer period it is part of (extra share_of_period: the whole's
    start, end, label): the figure of the part over the figure of the whole, the same filters."""
    import datetime as dt

    from shopql.nlq.shared import ResultSet

    m = q.metrics[0]
    start, end, label = q.extra["share_of_period"]
    whole = TimeRange(dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end), label)
    part = compile_(replace(q, extra={}, order_by=(), limit=None))
    whole_sql = compile_(replace(q, time_range=whole, extra={}, order_by=(), limit=None)).sql
    sql = _part_over_whole(m, part.sql, whole_sql)
    result = ws.run(sql, question, source="ask:offline")
    shown = q.time_range.label if q.time_range is not None else ""
    note = (
        f"{m}__share = {m} of {shown} / {m} of {label} (same filters)"
        if not zh
        else f"{m}__share = {shown} 的 {m} ÷ {label} 的 {m}（其他筛选相同）"
    )
    return (
        [ResultSet("answer", result.sql, result.columns, result.rows, result.truncated)],
        [note],
        part,
    )


def _share_compared(
    ws: Any, question: str, q: SemanticQuery, compile_: Any, zh: bool
) -> tuple[list[Any], list[str], Any]:
    """A value's share of the whole compared between two periods ("英国的销售额占比11月比10月
    高了几个百分点", "Tmall's share of sales vs last year"): the part over the whole in the
    period asked and in the period compared with (the one just before, or a year before), each
    of its own period, the same other filters; and the change in percentage points, from the
    exact shares (shown rounded)."""
    import datetime as dt

    from shopql.catalog.timephrase import previous_range
    from shopql.nlq.shared import ResultSet

    m, d, tr = q.metrics[0], q.extra["share_of"], q.time_range
    assert tr is not None, "a share compared has a period"
    if q.extra.get("apart"):  # "英国的销售额占比11月比9月…": the earlier period said
        start, end, label = q.extra["apart"]
        earlier = TimeRange(dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end), label)
    else:
        earlier = previous_range(tr, q.compare or "previous_period")
    rest = whole_filters(q, d)
    line = _line_metric(ws, m, d)
    plain = replace(q, extra={}, order_by=(), limit=None, compare=None)
    sides = []
    for period in (tr, earlier):
        part = compile_(replace(plain, time_range=period))
        whole_q = replace(plain, filters=rest, time_range=period)
        if line:  # the part is in line amounts (女装's lines): so is the whole (every line)
            whole_q = replace(whole_q, metrics=(line,))
        whole_sql = compile_(whole_q).sql
        if line:
            whole_sql = f"SELECT {line} AS {m} FROM ({whole_sql}) AS whole_lines"
        sides.append(
            f"SELECT CAST(part.{m} AS DOUBLE) / nullif(whole.{m}, 0) AS s FROM ({part.sql}) AS "
            f"part CROSS JOIN ({whole_sql}) AS whole"
        )
        if period is tr:
            compiled = part
    sql = (
        f"SELECT round(now.s, 4) AS {m}__share, round(before.s, 4) AS {m}__share__previous, "
        f"round((now.s - before.s) * 100, 4) AS {m}__share__change_pp "
        f"FROM ({sides[0]}) AS now CROSS JOIN ({sides[1]}) AS before"
    )
    result = ws.run(sql, question, source="ask:offline")
    value = next(f for f in q.filters if f not in rest)
    said = ("not " if value.op.startswith("not") else "") + ", ".join(map(str, value.values))
    note = (
        f"{m}__share = {m} where {d} = {said} / {m} overall, in each period (other filters the "
        f"same); {m}__share__change_pp = the later share minus the earlier, in percentage points"
        if not zh
        else f"{m}__share = {d} 为 {said} 的 {m} ÷ 全部的 {m}（各自的时间范围）；"
        f"{m}__share__change_pp = 两期占比之差（百分点）"
    )
    return (
        [ResultSet("answer", result.sql, result.columns, result.rows, result.truncated)],
        [note],
        compiled,
    )


# a share asked per hundred (每100张下单里有几张被取消, 每一千单里有几单, out of every 100 orders)
_PER_N = re.compile(
    r"每\s*(100|1000|一百|一千)\s*(?:张|单|笔|个)|out\s+of\s+(?:every\s+)?(100|1000)\b"
    r"|(?:in|per)\s+every\s+(100|1000)\b",
    re.I,
)


def per_n(question: str) -> int | None:
    """100 or 1000 when a share is asked per that many, else None."""
    said = _PER_N.search(question)
    if said is None:
        return None
    n = next(g for g in said.groups() if g)
    return {"一百": 100, "一千": 1000}.get(n) or int(n)


def _part_over_whole(m: str, part_sql: str, whole_sql: str) -> str:
    """The part's figure, the whole's and the share between them, each query one row of `m`."""
    return (
        f"SELECT part.{m} AS {m}, whole.{m} AS {m}__total, "
        f"round(CAST(part.{m} AS DOUBLE) / nullif(whole.{m}, 0), 4) AS {m}__share "
        f"FROM ({part_sql}) AS part CROSS JOIN ({whole_sql}) AS whole"
    )


def _condition_share(
    ws: Any, question: str, q: SemanticQuery, compile_: Any, zh: bool
) -> tuple[list[Any], list[str], Any]:
    """ "share of orders that had a discount": the count with the condition over the count
    without it (same period and other filters)."""
    from shopql.nlq.shared import ResultSet

    d, m = q.extra["share_of_condition"], q.metrics[0]
    part = compile_(replace(q, extra={}, order_by=(), limit=None))
    rest = tuple(f for f in q.filters if f.dimension != d)
    happened = any(f.op == "is not null" for f in q.filters if f.dimension == d)
    if not happened and not any(
        f.op == ">" and tuple(f.values) == (0,) for f in q.filters if f.dimension == d
    ):
        # "实付100到200之间的订单占多少": of the rows that have the number (not "had some": every row)
        rest = (*rest, Filter(d, "is not null"))
    whole = compile_(replace(q, filters=rest, extra={}, order_by=(), limit=None))
    sql = _part_over_whole(m, part.sql, whole.sql)
    result = ws.run(sql, question, source="ask:offline")
    said = " and ".join(
        f"{d} {f.op} {', '.join(map(str, f.values))}" for f in q.filters if f.dimension == d
    )
    note = (
        f"{m}__share = {m} where {said} / every {m} (same period and other filters)"
        if not zh
        else f"{m}__share = {said} 的 {m} ÷ 全部 {m}（同一时间范围和其他筛选）"
    )
    rs = ResultSet("answer", result.sql, result.columns, result.rows, result.truncated)
    return [rs], [note], part


def _unrounded(sql: str) -> str:
    """`sql` with its figures as computed: no ROUND, no cast to a fixed number of decimals (a
    ratio of two rounded averages is not the ratio of the averages)."""
    import sqlglot
    from sqlglot import exp

    def plain(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Round):
            return node.this
        if isinstance(node, exp.Cast) and node.to.is_type(exp.DataType.Type.DECIMAL):
            return exp.Cast(this=node.this, to=exp.DataType.build("DOUBLE"))
        return node

    tree = sqlglot.parse_one(sql, dialect="duckdb")
    return tree.transform(plain).transform(plain).sql("duckdb")  # a ROUND inside a cast too


def _literal(value: str) -> str:
    """A value as a DuckDB string literal, quoted by sqlglot (a quote in a city or title is safe)."""
    from sqlglot import exp

    return exp.Literal.string(value).sql("duckdb")


def _difference(ws: Any, question: str, q: SemanticQuery, sql: str, zh: bool) -> Any:
    """One row: A's value, B's value and how far apart they are (A − B, or B − A when asked how
    much less), from the rows of the two values side by side."""
    from shopql.nlq.shared import ResultSet

    d, a, b, less = q.extra["difference"]
    m = q.metrics[0]
    name = f"{m}__less" if less else f"{m}__more"
    # the gap of the two figures as computed, before either is rounded (上个月京东的客单价比天猫高
    # 多少: 9.476, not 685.95 − 676.48 = 9.47 of the two averages rounded first)
    raw = (
        f", raw AS ({_unrounded(sql)}) , ra AS (SELECT {m} FROM raw WHERE {d} = {_literal(a)})"
        f", rb AS (SELECT {m} FROM raw WHERE {d} = {_literal(b)})"
    )
    # (a sum of money stays exact, a DECIMAL; an average is a DOUBLE, rounded to 4 places)
    gap = (
        f"(SELECT ROUND(rb.{m} - ra.{m}, 4) FROM ra, rb)"
        if less
        else f"(SELECT ROUND(ra.{m} - rb.{m}, 4) FROM ra, rb)"
    )
    if less == "times":  # "A 是 B 的几倍": A's figure over B's, before either is rounded
        gap = f"(SELECT CAST(ra.{m} AS DOUBLE) / NULLIF(rb.{m}, 0) FROM ra, rb)"
        name = f"{m}__times"
    diff_sql = (
        f"WITH pair AS ({sql}){raw} SELECT a.{d} AS {d}, a.{m} AS {m}, b.{d} AS {d}__than, "
        f"b.{m} AS {m}__than, {gap} AS {name} FROM pair AS a CROSS JOIN pair AS b "
        f"WHERE a.{d} = {_literal(a)} AND b.{d} = {_literal(b)}"
    )
    result = ws.run(diff_sql, question, source="ask:offline")
    said = f"{b} − {a}" if less is True else f"{a} − {b}"
    note = (
        f"{name} = {m} of {said} (same period and other filters)"
        if not zh
        else f"{name} = {said} 的 {m} 之差（同一时间范围和其他筛选）"
    )
    if less == "times":
        note = (
            f"{name} = {m} of {a} / {m} of {b} (same period and other filters)"
            if not zh
            else f"{name} = {a} 的 {m} ÷ {b} 的 {m}（同一时间范围和其他筛选）"
        )
    return ResultSet("answer", result.sql, result.columns, result.rows, result.truncated), note


# "A和B的…", "SP x MG": two values named side by side; a word for the total keeps one figure
# "英国客户和德国客户", "uk customers and german customers": the people noun said after each value
_AND_BETWEEN = re.compile(
    r"^\s*[)）]?\s*(?:的?(?:客户|买家|顾客|用户)\s*|(?:customers|buyers|shoppers)\s+)?"
    r"(?:和|跟|与|及|、|,|，|&|\band\b|(?<![a-z])x(?![a-z]))\s*$"
)
_TOTAL = re.compile(
    r"一共|总共|合计|加起来|加在一起|加一起|加一块|加在一块|一起|合在一起|总和|总计|合起来|共计"
    r"|\b(?:combined|together|in total|"
    r"altogether|total|sum|overall)\b"
)


def _named_side_by_side(p: Any, text: str, query: SemanticQuery, ws: Any) -> bool:
    """Two values of one dimension set side by side: each value its own row. "SP x MG" always;
    joined by a plain 'and' (和, 跟, and) when the metric does not add up over the values
    ("荷兰跟比利时 11年的买家数": people, sellers, averages and ratios — one figure for both would
    be neither the sum nor the people in both), while "天猫和京东的销售额" stays their total (an
    amount or an order count adds up). A word for the total keeps one figure."""
    if _TOTAL.search(text):
        return False
    mentions, linked = p.links.mentions, p.links.text
    values = [m for m in mentions if m.term.kind == "value"]
    for a, b in zip(values, values[1:], strict=False):
        between = linked[a.end : b.start]
        if not _one_dimension(ws.catalog, a.term.target, b.term.target):
            continue
        if re.match(r"\s*呢", linked[b.end :]) and not _AND_BETWEEN.match(between):
            return True  # "SP卖了多少钱 RJ呢": what about RJ — its own figure, not SP's and RJ's
        if re.search(
            r"\S\s*[,，;；]\s*(?:and|what about|how about|还有|那)?\s*$", between
        ) and re.match(r"\s*(?:\?|？|呢|$)", linked[b.end :]):
            return True  # "how much did SP sell in june, and RJ?": RJ's own figure asked after
        if _THAN_ZH.search(between) or _THAN_EN.search(between):
            return True  # "女装比男装卖得好吗": A set against B, never A and B together
        if not _AND_BETWEEN.match(between):
            continue
        if between.strip() == "x":  # "SP x MG": the x is placed
            p.links.leftover = [w for w in p.links.leftover if w != "x"]
            return True
        if _is_the_rest(ws.catalog, a.term) or _is_the_rest(ws.catalog, b.term):
            return True  # "英国和其他国家": a value and the rest — together they are everything
        if _EACH_AFTER.search(linked[b.end :]):
            return True  # "curitiba 和 porto alegre 今年 各 下了 多少单": each its own figure
        same = [m for m in values if _one_dimension(ws.catalog, a.term.target, m.term.target)]
        named = len({str(m.term.value) for m in same})
        if _values_counted_after(linked[max(m.end for m in same) :], named):
            return True  # "华东和华南两个大区的营业额": the two named as two — a figure each
        if not all(adds_up(ws.catalog, m) for m in query.metrics):
            return True
    return False


# "华东和华南 两个大区", "MG 和 SP 两州": the values named counted right after them (a gloss in
# brackets may close first), then their kind — not 两个都 (people in both) nor 两个月 (a period)
_COUNTED_AFTER = re.compile(
    r"^\s*[)）]?\s*(?:这\s*)?(两|俩|三)\s*(?:个|家|座)?\s*(?:大区|州|省|国|国家|城市|平台|渠道|店|家店"
    r"|品类|类目|类)?(?!\s*[都各\d个家天周月年季度次单件])"
)


def _values_counted_after(after: str, named: int) -> bool:
    """The values named are restated as a count of their kind right after the last one ("华东和华南
    两个大区的营业额", "8月 MG 和 SP 两州 平均每单"): each its own figure, unless a word for the
    total is said (checked before)."""
    said = _COUNTED_AFTER.match(after)
    return said is not None and _HOW_MANY_NAMED.get(said.group(1)) == named


def _is_the_rest(catalog: Any, term: Any) -> bool:
    """The term names a group set's 'every other value' group (Rest of the world)."""
    gs = getattr(catalog, "value_groups", {}).get(term.target)
    others = getattr(getattr(gs, "others", None), "name", None)
    return others is not None and term.value == others


def _one_dimension(catalog: Any, a: str, b: str) -> bool:
    """Two values' dimensions are one: the same, or a group set and its base dimension ("英国和
    外国": United Kingdom is the UK group's one member, thresholds.merge_groups)."""
    sets = getattr(catalog, "value_groups", {})
    base = {d: sets[d].dimension if d in sets else d for d in (a, b)}
    return a == b or (base[a] == base[b] and (a in sets or b in sets))


def known_only(query: SemanticQuery, ws: Any = None) -> SemanticQuery:
    """A ranking or a growth ranking is of the values the data names: the row of rows with no
    value (no state, no payment type) is not one of them, so it is left out (and said). (Shares of
    a breakdown keep it: it is part of the whole.)"""
    named = {f.dimension for f in query.filters}
    parts = getattr(getattr(ws, "catalog", None), "time_parts", {}) or {}
    dims = [d for d in query.dimensions if d not in named and d not in parts]  # never NULL
    if not dims:
        return query
    extra = {**query.extra, "known_only": tuple(dims)}
    kept = tuple(Filter(d, "is not null") for d in dims)
    return replace(query, filters=query.filters + kept, extra=extra)


def _line_metric(ws: Any, metric: str, dimension: str) -> str | None:
    """The line-amount metric `metric` becomes when filtered on a line-level `dimension` (a
    category, a product), else None."""
    from shopql.nlq.reading import LINE_DIMS

    line = getattr(ws.catalog.metrics.get(metric), "line_metric", None)
    return line if dimension in LINE_DIMS and line in ws.catalog.metrics else None


def _has_titles(ws: Any) -> bool:
    return "product_title" in ws.catalog.dimensions and bool(ws.values.values.get("product_title"))


# the whole of a rate said as every row ("C invoices / all invoices", "占全部发票"): over them all
_EVERY_ROW_WHOLE = re.compile(r"\ball\b|全部|所有")

SPECIAL = (
    "bands",
    "rest_of",
    "share_of_period",
    "difference",
    "share_of_condition",
    "share_of",
    "share_of_metric",
    "plain_ratio",
    "growth",
    "which_one",
    "product_titles",
    "periods_as_rows",
    "top_per_group",
    "keyword_groups",
)


def special(query: SemanticQuery) -> bool:
    if query.of_groups:  # a figure over the groups: compiled as it is (catalog/compiler.py)
        return False
    if any(query.extra.get(k) for k in SPECIAL):
        return True
    # a top-N ranking: said when its cut falls inside a tie
    plain = not (query.extra.keys() - {"known_only", "line_seller"})
    return bool(query.limit and query.order_by and query.dimensions and plain)


def describe(query: SemanticQuery) -> list[str]:
    """Lines for the 'understood' block."""
    lines = []
    if query.extra.get("keyword_groups"):
        words = ", ".join(str(w) for w, _ in query.extra["keyword_groups"])
        lines.append(f"compared: {words}, each word's product lines as one group, one row each")
    if query.extra.get("top_per_group"):
        group, n = query.extra["top_per_group"], query.extra.get("per_group_n") or 1
        ranked = ", ".join(d for d in query.dimensions if d != group) or str(query.grain)
        if query.extra.get("top_groups"):  # "销售额前3的州各自卖得最好的品类"
            by = (query.extra.get("top_groups_by") or (query.order_by[0].name,))[0]
            lines.append(
                f"the top {query.extra['top_groups']} {group} by {by} (each "
                f"{group}'s whole), then inside each of them:"
            )
        lines.append(f"within each {group}: the top {n} {ranked} by {query.order_by[0].name}")
    if query.of_groups == "count":
        if query.dimensions:
            lines.append(
                f"counted: how many {', '.join(query.dimensions)} values meet the condition"
            )
        else:  # "有几天销售额超过3万": the days of the period, each one's own figure
            lines.append(f"counted: how many {query.grain}s of the period meet the condition")
    if query.of_groups == "top_share" and query.metrics:
        m, dims = query.metrics[0], ", ".join(query.dimensions)
        top = query.limit if query.limit is not None else f"{query.extra.get('top_percent')} %"
        of = f"all {m} of a known {dims}" if query.extra.get("whole_of_known") else f"all {m}"
        lines.append(f"share: {m} of the top {top} {dims} / {of} (same period, filters)")
    lines += sellers_said(query)
    if query.extra.get("share_of_period"):
        whole = query.extra["share_of_period"][2]
        lines.append(f"share: {query.metrics[0]} of the period named / of {whole} (same filters)")
    if query.extra.get("rest_of"):
        d, values = query.extra["rest_of"]
        said = ", ".join(map(str, values))
        lines.append(f"compared: {said}, and every other {d} together (one row each)")
    if query.extra.get("difference"):
        d, a, b, less = query.extra["difference"]
        said = f"{b} − {a}" if less is True else f"{a} − {b}"
        if less == "times":
            lines.append(f"how many times: {query.metrics[0]} of {a} / of {b} ({d})")
        else:
            lines.append(f"how far apart: {query.metrics[0]} of {said} ({d})")
    elif query.extra.get("versus"):
        lines.append(f"compared side by side: one row per {query.extra['versus']} named")
    if query.extra.get("neither") and (query.extra.get("versus") or query.extra.get("difference")):
        dimension, rest = query.extra["neither"]
        lines.append(f"rows with no {dimension} are counted in {rest}")
    if query.extra.get("compared_sales"):
        lines.append(f"compared: {query.metrics[0]} (sales, as no metric was named)")
    if query.extra.get("apart"):
        import datetime as dt

        from shopql.catalog.semantic import TimeRange
        from shopql.nlq.reading import describe_range

        start, end, label = query.extra["apart"]
        tr = TimeRange(dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end), label)
        side = "the larger first" if query.extra.get("larger_first") else "the earlier first"
        if query.extra.get("added"):
            lines.append(f"and: {describe_range(tr)}: each period's own figure, added up")
        elif query.extra.get("share_of"):
            lines.append(f"compared with: {describe_range(tr)} (each period's own share)")
        elif query.extra.get("ratio"):
            lines.append(f"compared with: {describe_range(tr)} (ratio = the later / the earlier)")
        elif query.extra.get("delta"):
            lines.append(f"compared with: {describe_range(tr)} (the later and the difference)")
        elif query.extra.get("apart_change"):
            lines.append(f"compared with: {describe_range(tr)} (the change, the later over it)")
        else:
            lines.append(
                f"and: {describe_range(tr)}: the two periods side by side, one row each, {side}"
            )
    if query.extra.get("delta") == "earlier":  # "9月比10月多了多少单": the earlier said first
        lines.append(
            "difference: the later period's figure minus the earlier's (__delta), and as asked:"
            " the earlier's minus the later's (__asked)"
        )
    elif query.extra.get("delta"):
        lines.append("difference: the later period's figure minus the earlier's (__delta)")
    elif query.extra.get("periods_as_rows") and not (
        query.extra.get("added") or query.extra.get("apart_change")
    ):
        lines.append("the two periods side by side: one row each, the later with its change")
    if query.extra.get("known_only"):
        dims = ", ".join(query.extra["known_only"])
        lines.append(f"rows with no {dims} left out (not a {dims} to rank)")
    if query.extra.get("share_of_metric"):
        part, whole = query.metrics
        lines.append(f"share: {part} / {whole} (same period and filters)")
    if query.extra.get("share_of") and query.extra.get("per_group"):
        d, m = query.extra["share_of"], query.metrics[0]
        group = ", ".join(([query.grain] if query.grain else []) + list(query.dimensions))
        lines.append(f"rate: {m} where {d} is the value named / all {m}, within each {group}")
    elif query.extra.get("share_of"):
        d = query.extra["share_of"]
        whole = (
            "paid_orders" if query.extra.get("share_over_paid") else f"{query.metrics[0]} overall"
        )
        lines.append(f"share: {query.metrics[0]} where {d} is the value named / {whole}")
        if query.extra.get("share_default"):
            lines.append(f"share of: {query.metrics[0]} (no metric was named)")
    if query.extra.get("growth"):
        amount = bool(query.order_by) and query.order_by[0].name.endswith("__delta")
        per = ", ".join(query.dimensions or (str(query.grain),))
        before = "the one before it" if query.extra.get("per_bucket") else "the period before"
        lines.append(
            f"growth ranking: {query.metrics[0]} change per {per} against {before}, ranked by "
            f"{'the change (amount)' if amount else '% change'}"
        )
        if query.extra["growth"] is not True:
            lines.append(f"growth of: {query.metrics[0]} ({query.extra['growth']})")
    if query.extra.get("which_one"):
        what = (query.dimensions or (query.grain,))[0]
        first = query.order_by[0] if query.order_by else None
        by = "% change" if query.extra.get("growth") else query.metrics[0]
        if query.extra.get("per_group"):
            by = f"that rate ({query.metrics[0]}__share)"
        if first is not None and first.name.endswith("__delta"):
            by = "change (amount)"
        rank = "top" if first is None or first.descending else "bottom"
        if _two_named(query):
            lines.append(f"each {what} named, one row each, the {rank} by {by} first")
        elif query.extra.get("rank_at"):
            place = query.extra["rank_at"]
            end = "from the top" if rank == "top" else "from the bottom"
            lines.append(
                f"the {what} at place {place} {end} by {by} (with any tied with it), with the "
                "whole ranking"
            )
        else:
            lines.append(f"the {rank} {what} by {by}, with the whole ranking")
        if query.extra.get("readings"):  # "星期几退款最多": money or how many — the same one
            both = " and ".join(query.extra["readings"])
            lines.append(f"read both ways ({both}): answered as both put the same {what} first")
    return lines


# a value's share of the whole period by period: only when no whole is said among which the part
# is taken ("天猫订单里 退款的占比" is refunds among Tmall's orders), but 在总销售额里 is the whole
_TOTAL_SAID = re.compile(r"(?:总|全部|整体|所有|全平台)\S{0,6}?(?:里面|里头|当中|之中|里|中)")
_AMONG_SAID = re.compile(r"里面|里头|当中|之中|里|中(?!位)|\bamong|\bout of|\bof (?:the|all|its)\b")


def run(ws: Any, question: str, u: Any, compile_: Any) -> tuple[list[Any], list[str], Any]:
    """Run a reshaped query: (result sets, notes, the compiled base query)."""
    from shopql.nlq import nodata
    from shopql.nlq.shared import ResultSet

    q = u.query
    zh = has_chinese(question)
    m = q.metrics[0]
    if q.extra.get("bands"):  # "买1件、2件、3件及以上的订单各有多少单": a row per band
        from shopql.nlq import bands

        return bands.run(ws, question, q, compile_)
    if q.extra.get("rest_of"):
        return _value_and_the_rest(ws, question, q, compile_, zh)
    if q.extra.get("share_of_metric"):
        return _metric_share(ws, question, q, compile_, zh)
    if q.extra.get("top_per_group"):
        return _top_per_group(ws, question, q, compile_, zh)
    if q.extra.get("keyword_groups"):
        return _keyword_groups(ws, question, q, compile_, zh)
    if q.extra.get("periods_as_rows"):
        return _periods_as_rows(ws, question, q, compile_)
    if q.extra.get("share_of") and q.extra.get("per_group"):
        return _rate_per_group(ws, question, q, compile_, zh)
    if q.extra.get("share_of_condition"):
        return _condition_share(ws, question, q, compile_, zh)
    if q.extra.get("share_of_period"):
        return _period_share(ws, question, q, compile_, zh)
    if q.extra.get("share_of") and (q.compare or q.extra.get("apart")):
        return _share_compared(ws, question, q, compile_, zh)
    if q.extra.get("share_of"):
        d = q.extra["share_of"]
        part = compile_(replace(q, extra={}, order_by=(), limit=None))
        rest = whole_filters(q, d)
        whole_q = replace(q, filters=rest, extra={}, order_by=(), limit=None)
        line = _line_metric(ws, m, d)
        if q.extra.get("share_over_paid") and m == "orders" and "paid_orders" in ws.catalog.metrics:
            line = "paid_orders"  # the C invoices over the invoices paid (their own time)
        if line:  # the part is in line amounts (女装's lines): so is the whole (every line)
            whole_q = replace(whole_q, metrics=(line,))
        whole_sql = compile_(whole_q).sql
        if line:
            whole_sql = f"SELECT {line} AS {m} FROM ({whole_sql}) AS whole_lines"
        sql = _part_over_whole(m, part.sql, whole_sql)
        per = per_n(question)
        if per:  # "每100张下单里有几张被取消": the share per hundred too
            sql = (
                f"SELECT *, round({m}__share_exact * {per}, 2) AS {m}__per_{per} FROM ({sql}) AS s"
            )
            sql = sql.replace(
                f"AS {m}__share FROM",
                f"AS {m}__share, CAST(part.{m} AS DOUBLE) / "
                f"nullif(whole.{m}, 0) AS {m}__share_exact FROM",
                1,
            )
            sql = f"SELECT * EXCLUDE ({m}__share_exact) FROM ({sql}) AS per"
        result = ws.run(sql, question, source="ask:offline")
        value = next(f for f in q.filters if f not in rest)
        _refuse_value_without_amount(ws, question, q, compile_, result.rows, value, zh)
        said = ("not " if value.op.startswith("not") else "") + ", ".join(map(str, value.values))
        note = (
            f"{m}__share = {m} where {d} = {said} / {m} overall (same period and other filters)"
            if not zh
            else f"{m}__share = {d} 为 {said} 的 {m} ÷ 全部的 {m}（同一时间范围和其他筛选）"
        )
        return (
            [ResultSet("answer", result.sql, result.columns, result.rows, result.truncated)],
            [note],
            part,
        )
    notes: list[str] = []
    if q.order_by and (q.limit is not None or q.extra.get("which_one")) and not q.compare:
        q, notes = nodata.left_out_groups(ws, q, question)  # no figure: no place in a ranking
    kept = {k: v for k, v in q.extra.items() if k == "per_bucket"}  # each period vs the one before
    base = replace(q, extra=kept, limit=None if q.extra.get("which_one") else q.limit)
    if q.extra.get("growth"):
        base = replace(base, order_by=(), limit=None)
    peek = _peeks(q)
    if peek:
        base = replace(base, limit=int(q.limit or 0) + 1)
    compiled = compile_(base)
    sql = compiled.sql
    order = _order_sql(q)
    if q.extra.get("growth"):
        dims = ", ".join(([q.grain] if q.grain else []) + list(q.dimensions))
        sql = (
            f"SELECT {dims}, {m}, {m}__previous, {m} - {m}__previous AS {m}__delta, {m}__change "
            f"FROM ({sql}) AS growth ORDER BY {order}"
            + (f" LIMIT {int(q.limit)}" if q.limit else "")
        )
    if q.extra.get("share") and not q.extra.get("growth"):
        # each row's share of the whole, kept when the titles are joined on (was: asked, said in
        # the reading, and left out of the rows)
        from shopql.nlq.pipeline import compile_semantic

        passed = ("share", "known_only", "share_whole_drops")
        shared = {k: q.extra[k] for k in passed if k in q.extra}
        sql = compile_semantic(ws, replace(base, extra={**base.extra, **shared}))[1]
    if q.extra.get("product_titles"):
        sql = _with_titles(sql, q, compile_, order, base.limit if peek else q.limit)
    result = ws.run(sql, question, source="ask:offline")
    after: list[Any] = []
    if peek:
        after = result.rows[int(q.limit or 0) :]
        result = replace(result, rows=result.rows[: int(q.limit or 0)])
    nodata.check(ws, q, result.columns, result.rows, question)  # all NULL: no data, exit 5
    blank, blank_notes = nodata.blank_groups(ws, q, result.columns, result.rows, question)
    if blank_notes:  # a group whose rows never carry the summed column: no figure, not 0
        result = replace(result, rows=blank)
        notes += blank_notes
    if q.extra.get("difference") and (len(result.rows) == 2 or ws.dry_run):
        main, note = _difference(ws, question, q, sql, zh)
        rows = ResultSet("rows" if not zh else "明细", result.sql, result.columns, result.rows)
        return [main, rows], [note], compiled
    if q.extra.get("growth"):
        result, moved = _moved_only(ws, result, q, m, zh)
        notes += moved
    ranking = ResultSet(
        "ranking" if not zh else "排名", result.sql, result.columns, result.rows, result.truncated
    )
    out = [ranking]
    key = f"{m}__change" if q.extra.get("growth") else m
    if q.extra.get("growth"):
        notes += _no_base(result, q, m, zh)
        notes += _by_rate_beside(result, q, m, zh)
    if q.extra.get("which_one") and result.rows and _two_named(q):
        # "女装和男装哪个卖得好": the values named, one row each (the winner first and said)
        notes.append(_which_note(result, result, q, key, zh, named=True))
    elif q.extra.get("which_one") and (result.rows or ws.dry_run):
        # a dry run (--sql-only) shows the top-row query too: it is built from the ranking's SQL,
        # not from its rows (the checks on the rows below have nothing to look at then)
        top_sql = (
            f"SELECT * FROM ({sql}) AS ranking QUALIFY rank() OVER (ORDER BY {_first_order(q)}) = 1"
        )
        keys = [c for c in result.columns if c not in q.metrics and "__" not in c]
        if q.extra.get("rank_at"):
            top_sql = _at_place_sql(sql, q, int(q.extra["rank_at"]))
        elif keys and not q.extra.get("growth") and not q.extra.get("product_titles"):
            # the top by the exact values: two averages both shown 1.16 are not a tie when one
            # is 1.1584 and the other 1.1575
            exact = compile_(replace(base, extra={"unrounded": True})).sql
            same = " AND ".join(f"top.{k} IS NOT DISTINCT FROM ranking.{k}" for k in keys)
            top_sql = (
                f"SELECT * FROM ({sql}) AS ranking WHERE EXISTS (SELECT 1 FROM (SELECT * FROM "
                f"({exact}) AS exact QUALIFY rank() OVER (ORDER BY {_first_order(q)}) = 1) AS top "
                f"WHERE {same})"
            )
        top = ws.run(top_sql, question, source="ask:offline")
        _readings_agree(question, q, top, result, zh)
        main = ResultSet("answer", top.sql, top.columns, top.rows, top.truncated)
        out = [main, ranking]
        if ws.dry_run:
            pass
        elif q.extra.get("rank_at"):
            notes.append(_place_note(top, result, q, key, zh, int(q.extra["rank_at"])))
        else:
            notes.append(_which_note(top, result, q, key, zh))
    else:
        _top_readings_agree(ws, question, q, base, compile_)
        notes += _ties(result, q, key, zh)
        if after:
            notes += _cut_tie(result, after[0], q, key, zh)
    out[0].name = "answer"
    return out, notes, compiled


def _top_readings_agree(ws: Any, question: str, q: SemanticQuery, base: Any, compile_: Any) -> None:
    """A top N read two ways ("按城市数退款次数 前三": the refunded orders or each refund) is
    answered only when both readings rank the same groups in the top N (ties at the cut
    included); otherwise nothing is answered, and both tops are said."""
    readings = q.extra.get("readings")
    if not readings or q.limit is None or not q.dimensions:
        return
    every = compile_(replace(base, limit=None, order_by=())).sql
    keys = ", ".join(q.dimensions)
    tops = []
    for metric in readings:
        rows = ws.run(
            f"SELECT {keys} FROM ({every}) AS ranking WHERE {metric} IS NOT NULL QUALIFY"
            f" rank() OVER (ORDER BY {metric} DESC) <= {int(q.limit)}",
            question,
            source="ask:offline",
        ).rows
        tops.append({tuple(r) for r in rows})
    _refuse_if_readings_differ(
        readings,
        tops,
        f"counted as refunded orders and as refund records, the top {q.limit} differ",
        "退款订单数 / 退款笔数, refunded orders / refund records",
    )


def _refuse_if_readings_differ(
    readings: list[str], picks: list[set[tuple[Any, ...]]], differ: str, which: str
) -> None:
    """Nothing answered when the rows each reading picks (its top one, its top N) are not the
    same: both picks are said, with the words that choose one (`which`)."""
    if all(p == picks[0] for p in picks):
        return
    from shopql.nlq.shared import NotUnderstood

    said = "; ".join(
        f"by {m}: " + ", ".join(" ".join(str(v) for v in key) for key in sorted(p, key=str))
        for m, p in zip(readings, picks, strict=True)
    )
    raise NotUnderstood(
        f"the offline engine cannot answer this: {differ} ({said}); say which ({which})",
        [],
        [],
        [],
    )


def _top_per_group(
    ws: Any, question: str, q: SemanticQuery, compile_: Any, zh: bool
) -> tuple[list[Any], list[str], Any]:
    """ "biggest category by revenue in each state": the breakdown ranked within each value of
    the group (rank() over the group, the top n of each; rows tied at the cut all kept)."""
    from shopql.nlq import nodata
    from shopql.nlq.shared import ResultSet

    group, n = str(q.extra["top_per_group"]), int(q.extra.get("per_group_n") or 1)
    # the ranked one is the other breakdown, or the period when the group is the breakdown
    # ("每个平台卖得最好的是哪一天": each platform's best day)
    ranked = next((d for d in q.dimensions if d != group), None) or str(q.grain)
    base = replace(q, extra={}, limit=None)
    compiled = compile_(base)
    first = _first_order(q)
    rows = compiled.sql
    if q.extra.get("product_titles") and ranked == "product":
        # "每个省卖得最好的商品": the product key ranked, its title beside it
        rows = _titled(compiled.sql, q, compile_, group)
    sql = (
        f"SELECT * FROM ({rows}) AS ranking "
        f"QUALIFY rank() OVER (PARTITION BY {group} ORDER BY {first}) <= {n} "
        f"ORDER BY {group} ASC NULLS LAST, {first}, {ranked} ASC NULLS LAST"
    )
    if q.extra.get("top_groups"):
        sql = _inside_top_groups(q, rows, compile_, group, ranked, n)
    elif group == "month" and ranked == "day_of_month" and group in compiled.columns:
        # "每个月里销售额最高的是几号": the day of each month is a date (2011-01-18), not the
        # number 18 apart from its month
        picked = ", ".join(
            f"CAST({group} AS DATE) + CAST({c} - 1 AS INTEGER) AS day" if c == ranked else c
            for c in compiled.columns
        )
        sql = f"SELECT {picked} FROM ({sql}) AS ranked_days"
        ranked = "day"
    result = ws.run(sql, question, source="ask:offline")
    nodata.check(ws, q, result.columns, result.rows, question)
    m = q.order_by[0].name
    groups = len({r[result.columns.index(group)] for r in result.rows}) if result.rows else 0
    tied = len(result.rows) > groups * n
    if zh:
        note = f"每个 {group} 内按 {m} 排名，取前 {n} 的 {ranked}" + (
            "（并列的都列出）" if tied else ""
        )
    else:
        note = f"within each {group}, the top {n} {ranked} by {m}" + (
            " (ties at the cut all shown)" if tied else ""
        )
    main = ResultSet("answer", result.sql, result.columns, result.rows, result.truncated)
    return [main], [note], compiled


def _inside_top_groups(
    q: SemanticQuery, ranking: str, compile_: Any, group: str, ranked: str, n: int
) -> str:
    """The ranking inside each of the top `top_groups` groups ("销售额前3的州各自卖得最好的品类"):
    the groups ranked by the metric over each whole group (a state's sales, every line of it —
    not only the lines with a category), the same period and filters; ties at the cut kept.
    The rows of the top group first."""
    k = int(q.extra["top_groups"])
    # "客户数最多的3个州 各自卖得最好的品类": the groups by another metric than the one inside
    by = q.extra.get("top_groups_by")
    m, descending = (by[0], bool(by[1])) if by else (q.order_by[0].name, q.order_by[0].descending)
    whole = replace(
        q,
        metrics=(m,),
        dimensions=(group,),
        filters=tuple(f for f in q.filters if not (f.dimension == ranked and not f.values)),
        order_by=(OrderBy(m, descending),),
        limit=None,
        extra={},
    )
    groups = compile_(whole).sql
    way = "DESC" if descending else "ASC"
    first = _first_order(q)
    total = f", top.top_group_total AS {m}" if by else ""  # the groups' own figure beside
    return (
        f"SELECT ranking.*{total} FROM ({ranking}) AS ranking JOIN (SELECT {group} AS top_group, {m} "
        f"AS top_group_total FROM ({groups}) AS grouped QUALIFY rank() OVER (ORDER BY {m} {way} "
        f"NULLS LAST) <= {k}) AS top ON ranking.{group} = top.top_group "
        f"QUALIFY rank() OVER (PARTITION BY ranking.{group} ORDER BY ranking.{first}) <= {n} "
        f"ORDER BY top.top_group_total {way} NULLS LAST, ranking.{group}, ranking.{first}, "
        f"ranking.{ranked} ASC NULLS LAST"
    )


def _keyword_groups(
    ws: Any, question: str, q: SemanticQuery, compile_: Any, zh: bool
) -> tuple[list[Any], list[str], Any]:
    """Each product word's lines as one group: the metric over the titles containing it, one row
    per word (a title containing two of the words counts in both rows), the larger first."""
    from shopql.nlq import nodata
    from shopql.nlq.shared import ResultSet

    m = q.metrics[0]
    parts, compiled = [], None
    for i, (label, patterns) in enumerate(q.extra["keyword_groups"]):
        one = replace(
            q,
            filters=(*q.filters, Filter("product_title", "like", tuple(patterns))),
            order_by=(),
            limit=None,
            extra={},
        )
        compiled = compile_(one)
        said = _literal(str(label))
        parts.append(f"SELECT {said} AS product_word, {m} FROM ({compiled.sql}) AS word{i}")
    sql = " UNION ALL ".join(parts) + f" ORDER BY {_first_order(q)}, product_word"
    result = ws.run(sql, question, source="ask:offline")
    nodata.check(ws, q, result.columns, result.rows, question)
    notes = [
        "每个词一行：标题含该词的订单行合计（同时含两个词的标题两行都算）"
        if zh
        else "one row per word: the lines whose title contains it (a title with both counts in both)"
    ]
    rows = result.rows
    if len(rows) >= 2:
        top, second = rows[0], rows[1]
        if top[1] == second[1]:
            notes.append("并列" if zh else f"a tie: {top[0]} and {second[0]} have the same {m}")
        else:
            notes.append(f"{top[0]} 的 {m} 更高" if zh else f"{top[0]} has the higher {m}")
    main = ResultSet("answer", result.sql, result.columns, rows, result.truncated)
    return [main], notes, compiled


def _refuse_value_without_amount(
    ws: Any, question: str, q: SemanticQuery, compile_: Any, rows: list[Any], value: Any, zh: bool
) -> None:
    """ "11年取消金额占销售额的比例" on Online Retail: its cancellation invoices (status refunded)
    carry no paid amount — their value is a refund — so the paid amount of those rows is 0 by
    construction, and "0 %" would answer another question. When the value's rows exist but the
    money metric is 0 on all of them, nothing is answered: the refund (or another amount) is
    what was meant, asked in its own words."""
    from shopql.catalog.model import pick
    from shopql.nlq.nodata import NoDataHere

    m = q.metrics[0]
    metric = ws.catalog.metrics.get(m)
    if metric is None or metric.value_type != "money" or "orders" not in ws.catalog.metrics:
        return
    if not rows or rows[0][0] is None or float(rows[0][0]) != 0 or value.op.startswith("not"):
        return
    counted = compile_(replace(q, metrics=("orders",), extra={}, order_by=(), limit=None))
    found = ws.run(counted.sql, question, source="ask:offline").rows
    if not found or not found[0][0]:
        return  # no such rows in the period: a true 0 %
    said = ", ".join(map(str, value.values))
    if zh:
        raise NoDataHere(
            f"{value.dimension} 为 {said} 的 {found[0][0]} 单的{pick(metric.label, 'zh', m)}"
            f"全部为 0（这份数据把它们的金额记在别处，如退款金额），占比 0 不是所问的比例",
            "问它们的退款金额占比，例如：退款金额占销售额的比例",
        )
    raise NoDataHere(
        f"the {found[0][0]} orders where {value.dimension} = {said} have {metric.name} 0 on "
        "every row (this data records their value elsewhere, e.g. as refund amount): a 0 % "
        "share would answer another question",
        "ask for their refund amount's share, e.g. refund amount as a share of sales",
    )


def _readings_agree(question: str, q: SemanticQuery, top: Any, ranking: Any, zh: bool) -> None:
    """A question read two ways ("星期几退款最多": the money or the number of refunds) names
    its top one only when both readings put the same values first; otherwise nothing is
    answered, and both winners are said."""
    readings = q.extra.get("readings")
    if not readings or not ranking.rows:
        return
    keys = [c for c in ranking.columns if c not in readings]
    winners = []
    for metric in readings:
        at = ranking.columns.index(metric)
        best = max((r[at] for r in ranking.rows if r[at] is not None), default=None)
        winners.append(
            {
                tuple(r[ranking.columns.index(k)] for k in keys)
                for r in ranking.rows
                if r[at] == best
            }
        )
    _refuse_if_readings_differ(
        readings,
        winners,
        "read as money and as a number, the top one differs",
        "退款金额 / 退款次数, refund amount / number of refunds",
    )


def _periods_as_rows(
    ws: Any, question: str, q: SemanticQuery, compile_: Any
) -> tuple[list[Any], list[str], Any]:
    """Two named periods, one row each: the comparison's one row (value, previous, change)
    turned into the earlier period's row and the later's, which carries the change."""
    from shopql.catalog.timephrase import previous_range
    from shopql.nlq.shared import ResultSet

    if q.extra.get("apart"):
        return _periods_apart(ws, question, q, compile_)
    m, tr = q.metrics[0], q.time_range
    assert tr is not None and tr.start is not None, "two named periods have a start"
    compiled = compile_(replace(q, extra={}))
    earlier: Any = previous_range(tr, q.compare or "previous_period")
    a: int | str
    b: int | str
    (a, b), column = (_period_label(earlier), _period_label(tr)), "period"
    if _same_days_of_two_years(earlier, tr):  # 2017 vs 2018, 年初到现在 vs 去年同期: the years
        (a, b), column = (earlier.start.year, tr.start.year), "year"
    la, lb = (str(x) if isinstance(x, int) else _literal(x) for x in (a, b))
    if all(re.fullmatch(r"\d{4}-\d{2}", str(x)) for x in (a, b)):  # two months: their first days
        (la, lb), column = (f"DATE '{x}-01'" for x in (a, b)), "month"
    sql = (
        f"SELECT {la} AS {column}, {m}__previous AS {m}, NULL AS {m}__change "
        f"FROM ({compiled.sql}) AS cmp UNION ALL "
        f"SELECT {lb}, {m}, {m}__change FROM ({compiled.sql}) AS cmp"
    )
    result = ws.run(sql, question, source="ask:offline")
    out = ResultSet("answer", result.sql, result.columns, result.rows, result.truncated)
    return [out], [], compiled


def _rate_per_group(
    ws: Any, question: str, q: SemanticQuery, compile_: Any, zh: bool
) -> tuple[list[Any], list[str], Any]:
    """ "各州取消率", "每个月的取消率", "取消率最高的品类": per group, the metric with the value
    (cancelled orders) over the metric without it (every order of the group), with both parts;
    ranked by that rate when the question ranks (the top one first, the whole ranking after)."""
    from shopql.nlq.shared import ResultSet

    m, d = q.metrics[0], q.extra["share_of"]
    keys = ([q.grain] if q.grain else []) + list(q.dimensions)
    part = compile_(replace(q, extra={}, order_by=(), limit=None))
    rest = whole_filters(q, d)
    whole = compile_(replace(q, filters=rest, extra={}, order_by=(), limit=None))
    on = " AND ".join(f"part.{k} IS NOT DISTINCT FROM whole.{k}" for k in keys)
    cols = ", ".join(f"whole.{k}" for k in keys)
    rates = (
        f"SELECT {cols}, coalesce(part.{m}, 0) AS {m}, whole.{m} AS {m}__total, "
        f"round(CAST(coalesce(part.{m}, 0) AS DOUBLE) / nullif(whole.{m}, 0), 4) AS {m}__share "
        f"FROM ({whole.sql}) AS whole LEFT JOIN ({part.sql}) AS part ON {on}"
    )
    ranked = bool(q.order_by) and q.order_by[0].name == m
    if ranked:
        way = "DESC" if q.order_by[0].descending else "ASC"
        order = f"{m}__share {way} NULLS LAST, " + ", ".join(f"{k} ASC" for k in keys)
    else:
        order = ", ".join(f"{k} ASC NULLS LAST" for k in keys)
    limit = f" LIMIT {int(q.limit)}" if q.limit and not q.extra.get("which_one") else ""
    sql = f"SELECT * FROM ({rates}) AS rates ORDER BY {order}{limit}"
    value = next(f for f in q.filters if f not in rest)
    said = ", ".join(map(str, value.values))
    group = ", ".join(keys)
    note = (
        f"{m}__share = {m} where {d} = {said} / all {m}, within each {group}"
        if not zh
        else f"{m}__share = 每个{group}内 {d} 为 {said} 的 {m} ÷ 该{group}全部的 {m}"
    )
    result = ws.run(sql, question, source="ask:offline")
    ranking = ResultSet("answer", result.sql, result.columns, result.rows, result.truncated)
    if not (ranked and q.extra.get("which_one") and result.rows):
        return [ranking], [note], part
    first = f"{m}__share {way} NULLS LAST"
    top = ws.run(
        f"SELECT * FROM ({rates}) AS rates QUALIFY rank() OVER (ORDER BY {first}) = 1 "
        f"ORDER BY {order}",
        question,
        source="ask:offline",
    )
    ranking.name = "ranking" if not zh else "排名"
    main = ResultSet("answer", top.sql, top.columns, top.rows, top.truncated)
    return [main, ranking], [note, _which_note(top, result, q, f"{m}__share", zh)], part


def _periods_apart(
    ws: Any, question: str, q: SemanticQuery, compile_: Any
) -> tuple[list[Any], list[str], Any]:
    """Two periods apart ("2017年3月和6月"), one row each: each period's own query, the earlier
    first; with one metric the later row carries the change against the earlier."""
    import datetime as dt

    from shopql.catalog.semantic import TimeRange
    from shopql.nlq.periods import check
    from shopql.nlq.shared import ResultSet

    tr = q.time_range
    assert tr is not None and tr.start is not None and tr.end is not None
    start, end, label = q.extra["apart"]
    earlier = TimeRange(dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end), label)
    plain = replace(q, extra={}, compare=None)
    first, later = compile_(replace(plain, time_range=earlier)), compile_(plain)
    notes = check(ws, first, question)
    a, b = _period_label(earlier), _period_label(tr)
    column = "period"
    la, lb = _literal(a), _literal(b)
    if all(re.fullmatch(r"\d{4}-\d{2}", x) for x in (a, b)):  # two months: their first days
        (la, lb), column = (f"DATE '{x}-01'" for x in (a, b)), "month"
    cols = ", ".join(q.metrics)
    if q.extra.get("added"):  # "1月和5月加起来": each period's own figure, added up
        added = ", ".join(f"coalesce(a.{m}, 0) + coalesce(b.{m}, 0) AS {m}" for m in q.metrics)
        sql = f"SELECT {added} FROM ({later.sql}) AS b CROSS JOIN ({first.sql}) AS a"
    elif len(q.metrics) == 1 and (
        q.extra.get("ratio") or q.extra.get("delta") or q.extra.get("apart_change")
    ):
        m = q.metrics[0]  # "今年比前年翻了几倍": one row, as two periods next to each other give
        # the change and the ratio of the exact figures (a ratio metric is shown rounded: 件单价
        # 1.84 / 2.27 is 0.8106, the figures' own ratio 0.8114)
        exact = replace(plain, extra={"unrounded": True})
        first_x = compile_(replace(exact, time_range=earlier))
        later_x = compile_(exact)
        ratio = (
            f", round(CAST(bx.{m} AS DOUBLE) / nullif(ax.{m}, 0), 4) AS {m}__ratio"
            if q.extra.get("ratio")
            else ""
        )
        delta = f", b.{m} - a.{m} AS {m}__delta" if q.extra.get("delta") else ""
        if q.extra.get("delta") == "earlier":  # asked the other way: the signed change, then
            delta += f", a.{m} - b.{m} AS {m}__asked"  # the earlier minus the later
        sql = (
            f"SELECT b.{m} AS {m}, a.{m} AS {m}__previous, round((CAST(bx.{m} AS DOUBLE) - ax.{m})"
            f" / nullif(ax.{m}, 0), 4) AS {m}__change{ratio}{delta} FROM ({later.sql}) AS b "
            f"CROSS JOIN ({first.sql}) AS a CROSS JOIN ({later_x.sql}) AS bx "
            f"CROSS JOIN ({first_x.sql}) AS ax"
        )
    elif len(q.metrics) == 1:
        m = q.metrics[0]
        sql = (
            f"SELECT {la} AS {column}, a.{m} AS {m}, NULL AS {m}__change FROM ({first.sql}) AS a "
            f"UNION ALL SELECT {lb}, b.{m}, round((CAST(b.{m} AS DOUBLE) - a.{m}) / "
            f"nullif(a.{m}, 0), 4) FROM ({later.sql}) AS b CROSS JOIN ({first.sql}) AS a"
        )
    else:
        sql = (
            f"SELECT {la} AS {column}, {cols} FROM ({first.sql}) AS a "
            f"UNION ALL SELECT {lb}, {cols} FROM ({later.sql}) AS b"
        )
    if q.extra.get("larger_first"):  # "哪个月卖得多": the larger first
        sql = f"SELECT * FROM ({sql}) AS two ORDER BY {q.metrics[0]} DESC NULLS LAST"
    result = ws.run(sql, question, source="ask:offline")
    out = ResultSet("answer", result.sql, result.columns, result.rows, result.truncated)
    return [out], notes, later


def _same_days_of_two_years(a: Any, b: Any) -> bool:
    """Both from 1 January, over the same days of their years (whole years, or to the same day)."""
    same = (a.start.month, a.start.day, a.end.month, a.end.day)
    return same == (b.start.month, b.start.day, b.end.month, b.end.day) and same[:2] == (1, 1)


def _period_label(tr: Any) -> str:
    """A day 2017-11-24, a month 2018-08, a quarter 2018-Q3, else the first and last day."""
    import datetime as dt

    start, end = tr.start.date(), (tr.end - dt.timedelta(days=1)).date()
    if start == end:
        return f"{start}"
    if start.day == 1 and (end + dt.timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 1:
            return f"{start:%Y-%m}"
        if months == 3 and start.month % 3 == 1:
            return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start} → {end}"


def _peeks(q: SemanticQuery) -> bool:
    """A top N reads one row past its cut, to tell whether the cut falls inside a tie
    (`_cut_tie`): in the same query, so the row after the cut is the one this ordering put there
    (a second query could break the tie the other way), and one query runs instead of two."""
    skip = q.extra.get("which_one") or q.extra.get("growth") or q.extra.get("per_group")
    return bool(q.limit) and not skip


# a share asked in percent (百分之几, 百分 之 多少, 百分比, percentage, %): shown in percent too
_PERCENT_ASKED = re.compile(
    r"百分\s*之\s*(?:几|多少)|百分比|百分数|\bper\s*cent(?:age)?\b|\bpercent(?:age)?\b|%|％", re.I
)


def _metric_share(
    ws: Any, question: str, q: SemanticQuery, compile_: Any, zh: bool
) -> tuple[list[Any], list[str], Any]:
    """ "运费占销售额的比例": the first metric over the second, both from one compiled query."""
    from shopql.nlq.behaviour import keys_among
    from shopql.nlq.shared import ResultSet

    part, whole = q.metrics
    plain = bool(q.extra.get("plain_ratio"))  # "是…的几倍": one figure over the other
    among = None if plain else keys_among(ws.catalog, part, whole)  # viewers who added to cart
    catalog = among or _on_rows_of(ws.catalog, part, whole)
    if catalog is not ws.catalog:  # freight of the orders paid in the period, as sales are
        from shopql.catalog.compiler import compile_query

        compiled = compile_query(catalog, replace(q, extra={}), today=ws.today)
    else:
        compiled = compile_(replace(q, extra={}, order_by=(), limit=None))
    keys = [c for c in compiled.columns if c not in (part, whole)]  # each period or group's own
    shown = "".join(f"{k}, " for k in keys)
    order = f" ORDER BY {', '.join(keys)}" if keys else ""
    # "运费占实付的百分之几", "freight as a percentage of sales": the share in percent beside it
    # (before the share: the share stays the last column)
    pct = (
        f", round(100.0 * {part} / nullif({whole}, 0), 2) AS {part}__pct"
        if _PERCENT_ASKED.search(question)
        else ""
    )
    sql = (
        f"SELECT {shown}{part}, {whole}{pct}, round(CAST({part} AS DOUBLE) / nullif({whole}, 0), "
        f"4) AS {part}__share FROM ({compiled.sql}) AS both_metrics{order}"
    )
    result = ws.run(sql, question, source="ask:offline")
    # (a dry run, --sql-only or --out, runs nothing: no rows, no columns to look in)
    at = list(result.columns).index(part) if result.rows else 0
    if catalog is not ws.catalog and result.rows and all(not r[at] for r in result.rows):
        # "今年退回件数/卖出件数" on Online Retail: the returns are rows of their own (credit
        # notes, never paid), none among the rows the whole counts — each counted on its own
        # rows and time (as the two figures asked side by side are), never a share of 0
        alone = compile_(replace(q, extra={}, order_by=(), limit=None))
        if any(r[list(alone.columns).index(part)] for r in ws.run(alone.sql, question).rows):
            compiled = alone
            sql = (
                f"SELECT {shown}{part}, {whole}{pct}, round(CAST({part} AS DOUBLE) / "
                f"nullif({whole}, 0), 4) AS {part}__share FROM ({compiled.sql}) AS "
                f"both_metrics{order}"
            )
            result = ws.run(sql, question, source="ask:offline")
            note = (
                f"{part}__share = {part} ÷ {whole}（同一时间范围和筛选，各按自己的行和时间计）"
                if zh
                else f"{part}__share = {part} / {whole} (same period and filters, each counted "
                "on its own rows and time)"
            )
            answer = ResultSet("answer", result.sql, result.columns, result.rows, result.truncated)
            return [answer], [note], compiled
    note = (
        f"{part}__share = {part} ÷ {whole}（同一时间范围和筛选，{part} 按 {whole} 的行计）"
        if zh
        else f"{part}__share = {part} / {whole} (same period and filters; {part} over the rows "
        f"{whole} counts)"
    )
    if among is not None:
        note = (
            f"{part}__share = 同时有 {part} 与 {whole} 行为的人 ÷ {whole}（同一时间范围和筛选）"
            if zh
            else f"{part}__share = the keys counted by both {part} and {whole} / {whole} "
            "(same period and filters)"
        )
    answer = ResultSet("answer", result.sql, result.columns, result.rows, result.truncated)
    return [answer], [note], compiled


def _on_rows_of(catalog: Any, part: str, whole: str) -> Any:
    """A catalog where `part` is counted over the rows `whole` counts (its filter and time),
    when both are simple metrics of one model: a share of sales is of the sales' orders. Else
    the catalog itself."""
    a, b = catalog.metrics[part], catalog.metrics[whole]
    ma, mb = catalog.measure(a.measure or ""), catalog.measure(b.measure or "")
    if a.type != "simple" or b.type != "simple" or ma is None or mb is None:
        return catalog
    if ma.model != mb.model or (a.time, a.filter) == (b.time, b.filter) or a.window_days:
        return catalog
    if a.filter and a.filter != b.filter and b.filter:
        from shopql.nlq.behaviour import exclusive_filters

        if exclusive_filters(a.filter, b.filter):  # "加购次数占浏览次数": no cart event is a view
            return catalog  # each counted on its own (was: both filters, a confident 0)
        condition = f"({a.filter}) AND ({b.filter})"
    else:
        condition = a.filter or b.filter
    import copy

    out = copy.copy(catalog)
    out.metrics = {**catalog.metrics, part: replace(a, time=b.time, filter=condition)}
    return out


def _moved_only(ws: Any, result: Any, q: SemanticQuery, m: str, zh: bool) -> tuple[Any, list[str]]:
    """A growth ranking names only what moved the way asked: "fell most" names no faller when
    nothing fell, "fastest-growing" no grower when nothing grew (exit 5, saying so with the
    smallest change); a top N keeps only the rows that moved that way."""
    from shopql.nlq.nodata import NoDataHere, _metric_label
    from shopql.nlq.nodata import _label as dim_label

    key = f"{m}__change"
    if key not in result.columns or not q.order_by or q.extra.get("growth_least"):
        return result, []  # "涨得最少": the smallest change is named whichever way it went
    if q.order_by[0].name not in (key, f"{m}__delta"):
        return result, []
    if not (q.limit or q.extra.get("which_one")):
        return result, []  # the whole ranking names no top: every row is shown
    i = result.columns.index(key)
    falling = not q.order_by[0].descending
    moved = [r for r in result.rows if r[i] is not None and (r[i] < 0 if falling else r[i] > 0)]
    if not result.rows:
        return result, []
    if moved:
        if not q.limit or len(moved) == len(result.rows):
            return result, []  # "which one": the top row moved; the ranking shows every row
        n, what = len(moved), ", ".join(dim_label(ws, d, zh) for d in q.dimensions)
        said = (
            f"只有 {n} 个{what}比上期{'下滑' if falling else '增长'}"
            if zh
            else f"only {n} {'fell' if falling else 'grew'} (by {what}): the others are not listed"
        )
        return replace(result, rows=moved), [said]
    what = ", ".join(dim_label(ws, d, zh) for d in q.dimensions) or "row"
    m = _metric_label(ws, m, zh)
    known = [r for r in result.rows if r[i] is not None]
    if not known:  # no base in the period before: no change to rank
        if zh:
            raise NoDataHere(
                f"上期没有基数（为 0 或无数据），无法比较各{what}的{m}变化", "换一个时间段再问"
            )
        raise NoDataHere(
            f"the period before has no {m} (0 or no data): no change per {what} to rank",
            "ask about another period",
        )
    edge = f"{_label(known[0], result.columns, q)} ({known[0][i]:+.1%})"
    d = result.columns.index(f"{key[: -len('__change')]}__delta")
    new = [_label(r, result.columns, q) for r in result.rows if r[i] is None and (r[d] or 0) > 0]
    if zh:
        verb, held = ("下滑", "持平或增长") if falling else ("增长", "持平或下滑")
        fresh = f"；上期为 0、本期新增的：{', '.join(new[:5])}" if new and not falling else ""
        raise NoDataHere(
            f"没有哪个有上期基数的{what}的{m}比上期{verb}：都{held}（最接近的是 {edge}）{fresh}",
            f"问“各{what}{m}环比”看完整的变化",
        )
    verb, held = ("fell", "rose or held level") if falling else ("grew", "fell or held level")
    fresh = (
        f"; new this period (nothing the period before): {', '.join(new[:5])}"
        if new and not falling
        else ""
    )
    raise NoDataHere(
        f"no {what} {verb}: every {what}'s {m} with a base {held} against the period before "
        f"(the closest: {edge}){fresh}",
        f"ask for the {m} change by {what} to see every change",
    )


def _order_sql(q: SemanticQuery) -> str:
    parts = [f"{o.name} {'DESC' if o.descending else 'ASC'} NULLS LAST" for o in q.order_by]
    if not parts:
        parts = [f"{q.metrics[0]} DESC NULLS LAST"]
    return ", ".join(parts)


# "涨得最多", "dropped the most": the largest change (an amount); "fastest", "涨幅": the rate —
# ranked by the rate, every seller that fell to nothing ties at -100 % for "dropped the most"
# an increase, a drop is an amount
# "跌得最狠", "fell the hardest": how hard a fall hit is its amount (the rate is said beside it)
_MOST = re.compile(
    r"最多|最少|最狠|最厉害|量|\b(?:most|least)\b|\bhardest\b"
    r"|\b(?:increase|jump|rise|drop|fall|decline)\b"
)  # 量: "增量最大", "增长量最大" (an increment is an amount)
_RATE = re.compile(r"快|幅|速|率|\bfast|\brate\b|%|percent")


def _by_amount(p: Any) -> bool:
    """ "涨得最多", "增加最多", "grew / dropped the most": the largest increase or fall (an amount; 1 → 1,738 units is no
    'most'); "增长最快", "涨幅最大", "fastest growing": the largest rate."""
    said = " ".join(
        m.phrase for m in p.links.of("modifier") if m.term.target in ("growth", "top", "bottom")
    )
    return bool(_MOST.search(said)) and not _RATE.search(said)


def _by_rate_beside(result: Any, q: SemanticQuery, m: str, zh: bool) -> list[str]:
    """A growth ranking by the amount ("跌得最狠": the largest fall) says which one the rate puts
    first when that is another ("by rate: RR, -100.0%"), so a small base's steep fall is seen."""
    first = q.order_by[0] if q.order_by else None
    if first is None or not first.name.endswith("__delta") or not result.rows or q.limit:
        return []  # (a top N cut holds only its own rows: the rate's first may be past it)
    cols = list(result.columns)
    if f"{m}__change" not in cols or not q.dimensions:
        return []
    i, k = cols.index(f"{m}__change"), cols.index(q.dimensions[0])
    rated = [r for r in result.rows if r[i] is not None]
    if not rated:
        return []
    best = (max if first.descending else min)(r[i] for r in rated)
    tops = [str(r[k]) for r in rated if r[i] == best]
    if result.rows[0][k] in tops:
        return []
    names, rate = " = ".join(tops), f"{float(best):+.1%}"
    if zh:
        return [f"按变化幅度（%）排第一的是 {names}（{rate}）；这里按变化量排名"]
    return [f"by rate (%) the first is {names} ({rate}); ranked here by the amount of the change"]


def _first_order(q: SemanticQuery) -> str:
    o = q.order_by[0] if q.order_by else OrderBy(q.metrics[0])
    return f"{o.name} {'DESC' if o.descending else 'ASC'} NULLS LAST"


def _titled(sql: str, q: SemanticQuery, compile_: Any, group: str) -> str:
    """The rows of `sql` (by `group` and the product key) with each product's title after its
    key (`_with_titles`'s title: the one its most units sold under), in no order."""
    titles = _titles_sql(q, compile_)
    return (
        f"SELECT r.{group}, r.product, titles.product_title, r.* EXCLUDE ({group}, product) "
        f"FROM ({sql}) AS r LEFT JOIN ({titles}) AS titles ON titles.product = r.product"
    )


def _titles_sql(q: SemanticQuery, compile_: Any) -> str:
    """Each product key's title: the one its most units sold under (the period and filters
    of `q`)."""
    metric = "units"
    lookup = compile_(
        SemanticQuery(
            metrics=(metric,),
            dimensions=("product", "product_title"),
            time_range=q.time_range,
            filters=tuple(f for f in q.filters if f.dimension != "product_title"),
        )
    )
    return (
        f"SELECT product, arg_max(product_title, {metric}) AS product_title "
        f"FROM ({lookup.sql}) AS t GROUP BY 1"
    )


def _with_titles(
    sql: str, q: SemanticQuery, compile_: Any, order: str, limit: int | None = None
) -> str:
    """The SPU's title beside its key: the title its most units sold under."""
    titles = _titles_sql(q, compile_)
    return (
        f"SELECT r.product, titles.product_title, r.* EXCLUDE (product) FROM ({sql}) AS r "
        f"LEFT JOIN ({titles}) AS titles ON titles.product = r.product ORDER BY {order}"
        + (f" LIMIT {int(limit)}" if limit else "")
    )


def _label(row: tuple[Any, ...], columns: list[str], q: SemanticQuery) -> str:
    keys = ([q.grain] if q.grain else []) + list(q.dimensions)
    return " / ".join(str(row[columns.index(d)]) for d in keys if d in columns)


def _no_base(result: Any, q: SemanticQuery, m: str, zh: bool) -> list[str]:
    cols = result.columns
    if f"{m}__change" not in cols:  # a dry run (--sql-only, --out): nothing ran
        return []
    i = cols.index(f"{m}__change")
    missing = [_label(r, cols, q) for r in result.rows if r[i] is None]
    if not missing:
        return []
    shown = ", ".join(missing[:8]) + (f" … ({len(missing)} in all)" if len(missing) > 8 else "")
    if zh:
        return [f"上期没有基数（为 0 或无数据），无法计算增速，排在最后：{shown}"]
    return [f"no base in the period before (0 or no data), so no % change; shown last: {shown}"]


def _ties(result: Any, q: SemanticQuery, key: str, zh: bool) -> list[str]:
    if not (q.dimensions or q.grain) or key not in result.columns or not q.order_by:
        return []
    i = result.columns.index(key)
    groups: dict[Any, list[str]] = {}
    for r in result.rows:
        if r[i] is not None:
            groups.setdefault(r[i], []).append(_label(r, result.columns, q))
    tied = [(v, names) for v, names in groups.items() if len(names) > 1][:3]
    if not tied:
        return []
    text = "; ".join(f"{' = '.join(n[:5])} ({v})" for v, n in tied)
    return [f"并列：{text}" if zh else f"ties: {text}"]


def _cut_tie(result: Any, nxt: tuple[Any, ...], q: SemanticQuery, key: str, zh: bool) -> list[str]:
    """ "top 5" when the 6th (`nxt`, read by the same query) has the same value as the 5th: say
    the cut falls inside a tie."""
    if key not in result.columns or not q.limit or not result.rows:
        return []
    i = result.columns.index(key)
    last = result.rows[-1][i]
    if last is None or nxt[i] != last:
        return []
    other = _label(nxt, result.columns, q)
    if zh:
        return [
            f"第 {q.limit} 名与其后的 {other} 并列（{last}）：前 {q.limit} 名的截断落在并列之中"
        ]
    return [f"the cut at {q.limit} falls inside a tie: {other} also has {last} and is not shown"]


def _at_place_sql(sql: str, q: SemanticQuery, place: int) -> str:
    """The rows at `place` of the ranking (排第二: the second row) and any tied with it: the row
    at that place by the ranking's whole order, then every row of its rank by the first key —
    two tied for the first make both "first" and no one "second" (said in the note)."""
    return (
        f"WITH ranking AS (SELECT * FROM ({sql}) AS r), "
        f"placed AS (SELECT *, rank() OVER (ORDER BY {_first_order(q)}) AS __rank, "
        f"row_number() OVER (ORDER BY {_order_sql(q)}) AS __place FROM ranking) "
        f"SELECT * EXCLUDE (__rank, __place) FROM placed "
        f"WHERE __rank = (SELECT __rank FROM placed WHERE __place = {int(place)}) "
        f"ORDER BY __place"
    )


def _two_named(q: SemanticQuery) -> bool:
    """ "女装和男装哪个卖得好": two values named side by side — both rows are the answer (of three
    or more, "抖音天猫京东哪个最多", the top one is, with the whole ranking)."""
    d = q.extra.get("versus")
    return any(f.dimension == d and f.op == "in" and len(f.values) == 2 for f in q.filters)


def _which_note(
    top: Any, ranking: Any, q: SemanticQuery, key: str, zh: bool, named: bool = False
) -> str:
    rows = top.rows
    if named:  # the values named side by side: the first rows that tie with the first
        at = top.columns.index(key) if key in top.columns else None
        rows = [r for r in rows if at is None or r[at] == rows[0][at]]
    names = [_label(r, top.columns, q) for r in rows]
    n = len(ranking.rows)
    value: Any = rows[0][top.columns.index(key)] if key in top.columns else ""
    if key.endswith("__change") and isinstance(value, (int, float)):
        value = f"{value:+.1%}"
    low = bool(q.order_by) and not q.order_by[0].descending
    first = ("最低" if low else "第一") if zh else ("bottom" if low else "top")
    if named:
        tie = " = ".join(names)
        if zh:
            return f"{'并列' if len(names) > 1 else ''}{first}：{tie}（{value}），{n} 个都列出"
        return (
            f"{'a tie for the ' if len(names) > 1 else ''}{first}: {tie} ({value}); all {n} shown"
        )
    if len(names) > 1:
        tie = " = ".join(names)
        if zh:
            return f"并列{first}：{tie}（{value}）；完整排名（{n} 行）见第二个结果"
        return f"a tie for the {first}: {tie} ({value}); the whole ranking ({n} rows) is the second result"
    if zh:
        return f"{first}：{names[0]}（{value}）；完整排名（{n} 行）见第二个结果"
    return f"{first}: {names[0]} ({value}); the whole ranking ({n} rows) is the second result"


def _place_note(top: Any, ranking: Any, q: SemanticQuery, key: str, zh: bool, place: int) -> str:
    """ "第二：X（v）", or the tie it falls in: "并列第一：A = B" when two tie above it."""
    n = len(ranking.rows)
    if not top.rows:
        if zh:
            return f"排名只有 {n} 行，没有第 {place} 名"
        return f"the ranking has only {n} rows: there is no place {place}"
    at = ranking.columns.index(key) if key in ranking.columns else None
    value: Any = top.rows[0][top.columns.index(key)] if key in top.columns else ""
    rank = place
    if at is not None:
        rank = 1 + sum(1 for r in ranking.rows if r[at] != value and _before(r[at], value, q))
    if key.endswith("__change") and isinstance(value, (int, float)):
        value = f"{value:+.1%}"
    names = " = ".join(_label(r, top.columns, q) for r in top.rows)
    tied = len(top.rows) > 1
    if zh:
        head = f"{'并列' if tied else ''}第{rank}名"
        gap = f"（问的是第 {place} 名，前面有并列）" if rank != place else ""
        return f"{head}：{names}（{value}）{gap}；完整排名（{n} 行）见第二个结果"
    head = f"{'a tie for ' if tied else ''}place {rank}"
    gap = f" (place {place} was asked: rows above it tie)" if rank != place else ""
    return f"{head}: {names} ({value}){gap}; the whole ranking ({n} rows) is the second result"


def _before(a: Any, b: Any, q: SemanticQuery) -> bool:
    """Whether ranking value `a` comes before `b` by the ranking's first key (NULLs last)."""
    if a is None:
        return False
    if b is None:
        return True
    descending = q.order_by[0].descending if q.order_by else True
    return bool(a > b) if descending else bool(a < b)


def answer(ws: Any, question: str, u: Any) -> Any:
    """The Answer of a reshaped query (see `shape`)."""
    from shopql.catalog.compiler import compile_query
    from shopql.catalog.model import CatalogError
    from shopql.nlq.periods import check
    from shopql.nlq.pipeline import definitions
    from shopql.nlq.pipeline import understood_lines as _understood
    from shopql.nlq.reading import suggestions_for
    from shopql.nlq.shared import Answer, NotUnderstood

    def compile_(query: SemanticQuery) -> Any:
        try:
            return compile_query(ws.catalog, query, today=ws.today)
        except CatalogError as e:
            raise NotUnderstood(
                f"the offline engine cannot answer this: {e.message}",
                [],
                suggestions_for(question, None, ws),
            ) from e

    kept = {k: v for k, v in u.query.extra.items() if k == "per_bucket"}
    first = compile_(replace(u.query, extra=kept, order_by=(), limit=None))
    notes = check(ws, first, question)
    results, more, compiled = run(ws, question, u, compile_)
    understood = list(_understood(u.recognised, first))
    if _peeks(u.query):
        n = int(u.query.limit or 0)
        understood.append(
            f"the SQL reads row {n + 1} too, only to say whether it ties with row {n} (not shown)"
        )
    return Answer(
        question=question,
        engine="offline",
        results=results,
        understood=understood,
        definitions=definitions(compiled.metrics, question),
        ignored=u.ignored,
        notes=list(compiled.notes) + notes + more,
        query=u.query,
    )
