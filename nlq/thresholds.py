"""Numeric thresholds and value groups in a question, from the catalog (catalog/thresholds.py).

`find` reads "评分低于3", "orders over R$500", "至少3件", "消费超过1000元", "between 100 and 200",
"100到200之间", "review score of 1 or 2" into filters on the catalog's thresholds and blanks
their words, so nothing else reads the number. The comparison follows the words: 超过 / over /
above / more than are strict, at least / 不少于 / 以上 / or more are inclusive (以上 and 以下 are
inclusive in Chinese usage), between … and … and 到 … 之间 include both ends. The unit a question
writes must be the threshold's (元 R$ £ for money, 件 items for counts, 分 星 for scores, 天 for
days); a number with a unit no threshold has, a currency the warehouse does not use, or words
that disagree (超过…以下) are left in the text, so the question is refused rather than answered
without the condition.

`add_group_words` puts the catalog's value groups (Sudeste, 欧盟, …) and their dimension words
("by region", 大区) into the vocabulary of a workspace where the group set applies."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from shopql.catalog.semantic import Filter
from shopql.catalog.timephrase import cn_number
from shopql.nlq.linking import STOPWORDS_EN, PerCatalog, Term, Vocabulary, is_latin, normalise

# comparison words before the number → operator
_PRE = {
    ">": [
        "more than",
        "greater than",
        "higher than",
        "bigger than",
        "larger than",
        "over",
        "above",
        "exceeding",
        "exceeds",
        "exceeded",  # "customers whose spending exceeded / topped £5,000"
        "topped",
        "surpassed",
        "in excess of",
        ">",
        "超过",
        "过",  # "销售额过10万": only right after a summed metric's words (_group_sum)
        "过了",  # "买家数过了10个": right after a metric's words (_group_sum, _group_count)
        "超出",
        "不止",  # "不止一件": more than one
        "大于",
        "高于",
        "多于",
        "超",
    ],
    ">=": [
        "at least",
        "no less than",
        "not less than",
        "no fewer than",
        "minimum of",
        "min",
        "min.",  # "(min. 500 reviews)", Portuguese "(mín. 500 avaliações)"
        "mín.",
        "mín",
        "minimum",  # "(minimum 100 orders)", Portuguese "(mínimo 100 pedidos)"
        "mínimo",
        "minimo",
        ">=",
        "≥",
        "至少",
        "起码",
        "最少",
        "不少于",
        "不低于",
        "不小于",
        "大于等于",
        "大于或等于",
        "满",
    ],
    "<": [
        "less than",
        "fewer than",
        "lower than",
        "smaller than",
        "below",
        "under",
        "<",
        "低于",
        "小于",
        "少于",
        "不到",
        "不足",
        "未满",
        "不满",  # "不满10镑的发票": short of it (满 alone is at least)
    ],
    "<=": [
        "at most",
        "no more than",
        "not more than",
        "up to",
        "maximum of",
        "max",
        "max.",
        "máx.",
        "máx",
        "<=",
        "≤",
        "至多",
        "最多",
        "不超过",
        "不高于",
        "不多于",
        "不大于",
        "小于等于",
        "小于或等于",
    ],
    "=": ["of", "equal to", "exactly", "=", "为", "是", "等于"],
    # "运费不是0的订单": a named number other than the one said (g, session 30); only with the
    # number's name before it (_threshold), never a group's total
    "!=": ["不是", "不为", "不等于", "≠", "!=", "<>", "other than", "not equal to"],
}
# comparison words after the number (and its unit)
_POST = {
    ">=": [
        "or more",
        "or above",
        "or higher",
        "and above",
        "and up",
        "or over",
        "+",
        "及以上",
        "以上",
        "或以上",
        "及更多",
        "或更多",
    ],
    "<=": [
        "or less",
        "or below",
        "or fewer",
        "or under",
        "and below",
        "及以下",
        "以下",
        "或以下",
        "以内",
        "之内",
    ],
    ">": ["多", "出头"],
}
_UNITS = {
    "money": [
        "元",
        "块钱",
        "块",
        "雷亚尔",
        "reais",
        "real",
        "英镑",
        "镑",
        "pounds",
        "pound",
        "quid",
        "rmb",
        "yuan",
        "cny",
        "brl",
        "gbp",
        "dollars",
        "bucks",
    ],
    "count": ["件", "样", "items", "item", "units", "unit", "pcs", "pieces", "products"],
    "score": ["分", "星", "颗星", "stars", "star", "points", "point"],
    "day": ["天", "日", "days", "day"],
    "week": ["周", "星期", "个星期", "礼拜", "个礼拜", "weeks", "week"],  # in days: 7 each
    "hour": ["小时", "hours", "hour", "hrs", "h"],
    "character": ["个字", "字", "characters", "character", "chars", "letters"],
}
_CURRENCY_PREFIX = {"r$": "BRL", "£": "GBP", "¥": "CNY", "￥": "CNY", "$": "USD", "€": "EUR"}
_CURRENCY_UNIT = {
    "雷亚尔": "BRL",
    "reais": "BRL",
    "real": "BRL",
    "brl": "BRL",
    "英镑": "GBP",
    "镑": "GBP",
    "pounds": "GBP",
    "pound": "GBP",
    "quid": "GBP",
    "gbp": "GBP",
    "rmb": "CNY",
    "yuan": "CNY",
    "cny": "CNY",
    "dollars": "USD",
    "bucks": "USD",
}
# verbs of the time something took ("送达用了30天以上"): before a number of days or hours only
_DURATION_VERBS = ("用了", "用时", "耗时", "历时")
# verbs that may stand before the comparison ("买了至少3件", "orders with 3 or more items")
_VERBS = [
    "买了",
    "购买了",
    "购买",
    "买",
    "bought",
    "buying",
    "purchased",
    "with",
    "containing",
    "contained",
    "having",
    "that had",
    "had",
    "has",
    "that took",
    "took",
    "taking",
    "that take",
    "take",
    *_DURATION_VERBS,
    # a contrast said between a name and its comparison ("运费超过40 实付却不到150"): the same
    # condition, the contrast only the speaker's surprise
    "却",
    "却只有",
    "反而",
]
_JOIN = ["or", "或者", "或", "和", "、", ",", "and"]
_BETWEEN_AND = ["and", "to", "到", "至", "-", "~", "和"]
_NUM = r"\d+(?:\.\d+)?(?:k\b|千|万|w\b)?|[一二两三四五六七八九十百]+"  # 1k, 5千, 2万
_NOT_AFTER = r"[\d一二两三四五六七八九十百]|\s*年|\s*(?:种|款|类)"  # 50种: kinds, never units
# "同一单里既有A又有B": on one order, said whole (the order named, 既 after it); "A和B一起买的订单",
# "bought together": both on one order — not the harmless 一起 / together of one total of both
# ("天猫和京东一起卖了多少", "A and B combined"), however the words are spaced ("一起 买")
_BOTH = re.compile(
    r"同一(?:个|笔)?(?:订单|单子|单)\s*(?:里面|里|中|内)?\s*(?:的)?\s*(?:既|同时)?|\bboth\b|同时|既"
    r"|一起\s*(?:被\s*)?(?:购买|买|下单|下的单|下了单|下过单)"
    r"|\b(?:bought|ordered|purchased|buy|buying|order|ordering|purchase)\s+together\b"
)


def _alt(words: list[str]) -> str:
    parts = []
    # longest first; equal lengths by text, so the pattern's text is the same in every process
    # (no two words of one length match the same span: their order never changes a match)
    for w in sorted(set(words), key=lambda w: (-len(w), w)):
        e = re.escape(w)
        parts.append(rf"\b{e}\b" if is_latin(w) and w[0].isalnum() and w[-1].isalnum() else e)
    return "|".join(parts)


@dataclass
class Found:
    filters: list[Filter]
    text: str
    said: list[str]
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, threshold)
    # "sellers with more than 100 orders", "评价数至少50条": a condition on each group's count
    # (a HAVING on a metric of the query), with the words it was said in
    # and, when said before the comparison with no unit ("orders over 500"), the bare amount
    # threshold of the same rows it means when nothing is grouped (order value > 500)
    groups: list[tuple[Filter, str, Filter | None]] = field(default_factory=list)
    # (count metric, threshold): a count's word said right beside a condition on its own rows
    # ("orders above R$500", "超过500元的订单") names the rows the condition keeps
    rows: list[tuple[str, str]] = field(default_factory=list)


def _threshold_names(catalog: Any) -> dict[str, str]:
    """The catalog's threshold words (normalised) -> threshold (once per catalog: `_names`)."""
    out: dict[str, str] = {}
    for t in catalog.thresholds.values():
        for phrase in (t.name.replace("_", " "), *t.label.values(), *t.synonyms):
            out.setdefault(normalise(phrase), t.name)
    return out


_names = PerCatalog("thresholds", _threshold_names)


def _pattern(names: dict[str, str]) -> re.Pattern[str]:
    return _compiled_pattern(tuple(names))  # built once per catalog's names, not per question


@functools.lru_cache(maxsize=16)
def _compiled_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    pre = _alt([w for ws in _PRE.values() for w in ws])
    post = _alt([w for ws in _POST.values() for w in ws])
    # 星 before 期 is a week ("最近3星期", "3星期内送到"), not stars
    # (a week's own words first: 星期 is a week)
    unit = _alt(_UNITS["week"]) + "|"
    unit += _alt([w for k, ws in _UNITS.items() if k != "week" for w in ws]).replace(
        "星", "星(?!期)"
    )
    cur = "|".join(re.escape(c) for c in sorted(_CURRENCY_PREFIX, key=len, reverse=True))
    link = r"(?P<link>的|是|为|在|of|is|was|were|:)"
    # a number before 年 is a year ("付款的人最多 18年"), never the threshold's
    number = rf"(?:(?P<cur{{i}}>{cur})\s*)?(?P<n{{i}}>{_NUM})(?!{_NOT_AFTER})\s*(?P<u{{i}}>{unit})?"
    one, two, three = number.format(i=1), number.format(i=2), number.format(i=3)
    five, six = number.format(i=5), number.format(i=6)
    more = rf"(?P<more>(?:\s*(?:{_alt(_JOIN)})\s*(?:{_NUM})\s*(?:{unit})?)+)"
    name = rf"(?:(?P<name>{_alt(list(names))})\s*{link}?\s*)?"
    verb = rf"(?:(?P<verb>{_alt(_VERBS)})\s*)?"
    between = (
        rf"(?:(?P<between>between|from|在|介于)\s*{one}\s*(?:{_alt(_BETWEEN_AND)})\s*{two}"
        rf"\s*(?P<inside>之间|之内|inclusive)?"
        rf"|{five}\s*(?:到|至|-|~)\s*{six}\s*(?P<inside2>之间)?)"
    )
    # a count's classifier between the number and 以上 ("评价数50条以上", "100单以上")
    bounds = _alt(_POST[">="] + _POST["<="])  # not 多 ("一单多少钱": how much one order)
    classifier = rf"(?:\s*(?P<cls>个|条|单|笔|张|位|名|家)(?=\s*(?:{bounds})))?"
    compared = (
        rf"(?:(?P<pre>{pre})\s*)?{three}{classifier}(?:\s*(?P<post>{post}))?"
        rf"(?:\s*(?P<u4>{unit}))?"
    )
    after = rf"(?:\s*(?:才|就|才能|就能)?\s*(?P<name2>{_alt(list(names))}))?"  # "超过30天才送到"
    return re.compile(rf"{name}{verb}(?:{between}|{compared}{more}?){after}")


# the lines a line's condition is said of, right after it: "数量在100件以上的行", "…的大额行",
# "…的订单行" (a word after them other than a verb or a total, 行数 included, keeps them unread)
_LINE_ROWS = re.compile(
    r"\s*的\s*(?:大额|大)?\s*(?:订单|明细|发票|商品)?\s*行"
    r"(?=\s|$|[,，.。?？]|一共|总共|合计|共|加起来|卖|收|的(?!数))"
)


def find(text: str, ws: Any) -> Found:
    """The threshold conditions in (normalised) `text`, and the text with their words blanked."""
    catalog = ws.catalog
    if not getattr(catalog, "thresholds", None):
        return Found([], text, [])
    names = _names(catalog)
    filters: list[Filter] = []
    said: list[str] = []
    spans: list[tuple[int, int, str]] = []
    both = _BOTH.search(text)  # "both A and B", "同时用A和B": every value on one order
    if both:
        said.append("both")
        text = text[: both.start()] + " " * (both.end() - both.start()) + text[both.end() :]
    pos = 0
    found_groups: list[tuple[Filter, str, Filter | None]] = []
    found_rows: list[tuple[str, str]] = []
    pattern = _pattern(names)
    while True:
        m = pattern.search(text, pos)
        if m is None:
            break
        pos = m.end() if m.end() > m.start() else m.start() + 1
        if any(a < m.end() and m.start() < b for a, b in _metric_spans(text, catalog)):
            continue  # "4 and 5 star reviews" is a metric's own name (好评率), not a condition
        if _name_inside_another_metric(text, m, names, catalog):
            pos = m.end("name")  # "退款金额超过1万的平台": the refunds' amount, not each order's
            continue
        group = _group_count(m, ws)
        if group is not None:  # the number counts a metric's rows per group: not a threshold
            classifier = _CLASSIFIER.match(text[m.end() :])
            end = m.end() + (len(classifier.group(0).rstrip()) if classifier else 0)
            said_with = classifier.group(0).strip() if classifier else ""
            amount = None if said_with else _bare_amount(group, m, ws)
            found_groups.append((group, text[m.start() : end].strip(), amount))
            text = text[: m.start()] + " " * (end - m.start()) + text[end:]
            continue
        read = _read(m, names, catalog, ws)
        if read is None and m.group("name") and m.group("name2"):
            # "运费超过40块 实付不到150": the second name starts the next condition, the first
            # is read up to it (was: the first left unread, refused)
            cut = pattern.match(text[: m.start("name2")], m.start())
            if cut is not None and cut.group("name") and not cut.group("name2"):
                read = _read(cut, names, catalog, ws)
                if read is not None:
                    m, pos = cut, cut.end()
        if read is None:
            if m.group("name2"):  # "5 products priced above R$500": the name starts another
                pos = m.start("name2")
            continue
        f, how = read
        if _counted_after_words(m, ws):
            continue  # "buyers with at least 3 credit card orders": 3 orders, not 3 items
        person = _person_total(text, m, f, ws)
        if person is not None:  # "买了超过1000件的客户": the units of all their orders
            f, how = person
        if _counts_another_noun(m, text, catalog.thresholds[f.dimension], ws):
            continue  # "customers with more than 5 cancellations": not 5 items
        if _amount_of_other_rows(text, m, catalog.thresholds[f.dimension], ws):
            continue  # "金额超过100的退货单": the refund's amount or its order's? left unread
        ratio = _ratio_of_groups(text, m, catalog.thresholds[f.dimension], f, ws)
        if ratio is not None:  # "客单价超过250的州": each state's average order value
            found_groups.append((ratio, text[m.start() : m.end()].strip(), None))
            text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
            continue
        if _average_of_groups(text, m, catalog.thresholds[f.dimension], ws):
            continue  # "客单价超过200的州" with no one average named: not its orders over 200
        average = _score_of_groups(text, m, catalog.thresholds[f.dimension], f, ws)
        if average is not None:  # "评分低于3的品类": each category's average score
            start = average[1]
            found_groups.append((average[0], text[start : m.end()].strip(), None))
            text = text[:start] + " " * (m.end() - start) + text[m.end() :]
            continue
        total = _total_of_groups(text, m, catalog.thresholds[f.dimension], f, ws)
        if total is not None:  # "件数超过50件的款": each product's units sold
            found_groups.append((total, text[m.start() : m.end()].strip(), None))
            text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
            continue
        if not _on_the_scale(catalog.thresholds[f.dimension], f, catalog, ws):
            continue  # "2018 星期几", "of 2018 reviews": a year, never a review score
        _has_rows(catalog.thresholds[f.dimension], catalog, ws, m.group(0).strip())
        filters.append(f)
        said.append(how)
        start = _start_event_before(text, m, f.dimension, catalog)  # "付款超过3天才发货"
        if start == m.start():  # "寄出后拖了20天以上才签收": the shipping said before
            start = _start_of_duration_between(text, m, f.dimension, catalog)
        start = _one_row_before(text, start, m.end(), catalog.thresholds[f.dimension])
        spans.append((start, m.end(), f.dimension))
        found_rows += _rows_beside(text, m, catalog.thresholds[f.dimension], ws)
        end = m.end()
        if catalog.thresholds[f.dimension].entity == "line":
            lines = _LINE_ROWS.match(text, end)  # "数量100件以上的(大额)行": the lines it names
            end = lines.end() if lines else end
        text = text[:start] + " " * (end - start) + text[end:]
    for m in _presence_pattern(tuple(names)).finditer(text):
        word = m.group("name") or m.group("name_en")
        threshold = catalog.thresholds.get(names.get(word, "") if word else "discount")
        if threshold is None or not _presence_ok(threshold, catalog):
            continue
        if any(f.dimension == threshold.name for f in filters):
            continue  # "优惠超过50的订单": the number said already
        _has_rows(threshold, catalog, ws, m.group(0).strip())
        filters.append(Filter(threshold.name, ">", (0,)))
        said.append(f"{threshold.label.get('en', threshold.name)} > 0")
        spans.append((m.start(), m.end(), threshold.name))
        text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    for m in _absence_pattern(tuple(names)).finditer(text):
        word = m.group("name") or m.group("name_en")
        threshold = catalog.thresholds.get(names.get(word, ""))
        if threshold is None or not _presence_ok(threshold, catalog):
            continue
        if any(f.dimension == threshold.name for f in filters):
            continue
        _has_rows(threshold, catalog, ws, m.group(0).strip())
        # "没用优惠的单": the orders whose amount is 0 — one never stated (NULL) is not known to
        # have none
        filters.append(Filter(threshold.name, "=", (0,)))
        said.append(f"{threshold.label.get('en', threshold.name)} = 0")
        spans.append((m.start(), m.end(), threshold.name))
        text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    return Found(filters, text, said, spans, found_groups, found_rows)


# one order said right before an order's own threshold: "单张超过5000镑的发票", "一笔超过500的订单"
# (not after 平均 / 均: "平均一单超过500的客户" is a person's average), the orders (or the people
# who placed them) named right after it — "单笔超过500块的退款" is each refund's own amount
_ONE_ROW_SAID = re.compile(r"(?<![平均])(?:单张|单笔|一张|一笔|一单)\s*(?:就)?\s*$")
_ORDERS_AFTER = re.compile(
    r"\s*(?:的)?\s*(?:订单|单子|发票|单(?![价品])|客户|买家|顾客|用户|会员|人)"
)


def _one_row_before(text: str, start: int, end: int, threshold: Any) -> int:
    """ "今年单张超过5000镑的发票一共收了多少钱": the one-row word right before the number says the
    amount is each order's own — which an order's threshold is — so it is the threshold's word,
    not one left unplaced (the question was refused, or answered only where another reading
    happened to take the word). Only with the orders (or their people) named after it: a
    refund's or a line's own amount is not the order's."""
    if threshold.entity != "order" or not _ORDERS_AFTER.match(text, end):
        return start
    said = _ONE_ROW_SAID.search(text[:start])
    return said.start() if said else start


# what may stand between a duration's start event and the number after it: 寄出后拖了20天, 发货以后
# 过了20天, 付款后等了3天
_AFTER_START = re.compile(r"(?:\s*(?:之后|以后|后))?\s*(?:(?:拖|过|隔|等|压|花|用)\s*(?:了)?)?\s*$")


def _duration_between(m: re.Match[str], catalog: Any) -> str | None:
    """ "发货超过20天才签收", "寄出 后 拖 了 20 天 以上 才 签收": a start event said before the number
    (its word the match's name, or right before the match) and an end event after it (the
    match's second name) name the duration between the two — the one duration of the catalog
    with both words among its `from:` / `to:` and a threshold of its own; else None."""
    end = m.group("name2")
    if not end:
        return None
    start = m.group("name")
    before = m.string[: m.start()]
    gap = _AFTER_START.search(before)
    before = before[: gap.start()] if gap else before
    found = []
    for d in catalog.measurables.values():
        if d.kind != "duration" or d.name not in catalog.thresholds or d.unit != "day":
            continue
        if normalise(end) not in {normalise(w) for w in d.ends}:
            continue
        if start:
            said = normalise(start) in {normalise(w) for w in d.starts}
        else:
            said = any(not is_latin(w) and before.endswith(w) for w in d.starts)
        if said:
            found.append(d.name)
    return found[0] if len(found) == 1 else None


def _start_of_duration_between(text: str, m: re.Match[str], name: str, catalog: Any) -> int:
    """Where the threshold of a duration read from its two events starts: its start event's word
    said before the match (寄出 of "寄出后拖了20天以上才签收"), with the words between; else the
    match's start."""
    duration = catalog.measurables.get(name)
    if m.group("name") or _duration_between(m, catalog) != name or duration is None:
        return m.start()
    before = text[: m.start()]
    gap = _AFTER_START.search(before)
    cut = before[: gap.start()] if gap else before
    for word in sorted(duration.starts, key=len, reverse=True):
        if not is_latin(word) and cut.endswith(word):
            return len(cut) - len(word)
    return m.start()


def _start_event_before(text: str, m: re.Match[str], name: str, catalog: Any) -> int:
    """Where a duration's threshold starts: "付款超过3天才发货" (付款以后 read as 付款 by
    languages.yaml), "下单超过30天才收到货" — the duration's start event (its `from:` words, Chinese)
    said right before the number, its end event after it, is the threshold's own word when how
    long is asked after it (the duration then read: read_threshold_duration), not another metric
    (付款 is no time to pay); else the match's start."""
    from shopql.nlq.families import asks_how_long

    duration = catalog.measurables.get(name)
    if getattr(duration, "kind", None) != "duration" or m.group("name") or not m.group("name2"):
        return m.start()
    if not asks_how_long(text, m.end()):
        return m.start()  # "付款后超过3天才发货的订单有多少": dated by which event? left unplaced
    before = text[: m.start()].rstrip()
    for word in sorted(getattr(duration, "starts", ()) or (), key=len, reverse=True):
        if not is_latin(word) and before.endswith(word):
            return len(before) - len(word)
    return m.start()


def _other_metric_names(catalog: Any) -> dict[str, tuple[str, str]]:
    """The catalog's metric names (synonyms, labels; normalised) -> the model and expression of
    the metric's measure (once per catalog: `_metric_names`)."""
    out: dict[str, tuple[str, str]] = {}
    for metric in catalog.metrics.values():
        measure = catalog.measure(metric.measure or "")
        if measure is None:
            continue
        for phrase in (*metric.synonyms, *metric.label.values()):
            out.setdefault(normalise(phrase), (measure.model, measure.expr))
    return out


_metric_names = PerCatalog("metrics", _other_metric_names)


def _name_inside_another_metric(
    text: str, m: re.Match[str], names: dict[str, str], catalog: Any
) -> bool:
    """The threshold's name said as the end of a longer metric name that measures something
    else ("退款金额超过1万": 金额 of refunds, "refund amount over 500": not the order's amount),
    so the number is that metric's, not this threshold's ("支付金额超过1000的订单" measures the
    order's own amount: still the order's value)."""
    word = m.group("name")
    if not word:
        return False
    threshold = catalog.thresholds.get(names.get(word, ""))
    if threshold is None:
        return False
    end = m.end("name")
    for phrase, (model, expr) in _metric_names(catalog).items():
        if len(phrase) <= len(word) or not phrase.endswith(word) or phrase in names:
            continue
        at = end - len(phrase)
        if at < 0 or text[at:end] != phrase:
            continue
        if is_latin(phrase) and at > 0 and text[at - 1].isalnum():
            continue
        if (model, expr) != (threshold.model, threshold.expr):
            return True
    return False


def _counts_another_noun(m: re.Match[str], text: str, threshold: Any, ws: Any) -> bool:
    """A threshold named before its number by a linking word ("with", "containing": items of the
    order) whose number is followed by another word the vocabulary knows ("with more than 5
    cancellations", "with over 3 returns"): the number counts that, not this threshold's unit."""
    g = m.groupdict()
    if not g.get("name") or g.get("name2"):
        return False
    if any(v for k, v in g.items() if v and re.fullmatch(r"(?:u|cur)\d", k)):
        return False
    nxt = re.match(r"\s*([a-z][a-z'-]*)", text[m.end() :])
    if nxt is None:
        return False
    word = nxt.group(1)
    if word in {s.lower() for s in threshold.synonyms}:
        return False  # "with more than 5 items": its own unit
    vocab = getattr(ws, "vocabulary", None)
    return vocab is not None and word in vocab.terms


# the words of an order's value that name no money in particular (金额, amount): said of rows
# with an amount of their own (refunds), they may mean either
_GENERIC_AMOUNT = {"金额", "amount", "value", "价值"}


def _amount_of_other_rows(text: str, m: re.Match[str], threshold: Any, ws: Any) -> bool:
    """ "金额超过100的退货单", "returns worth over £100": an order's value said by a word that names
    no amount in particular (or no word: "超过100元的退货单") of a count whose rows carry an
    amount of their own (refund events: the refund's amount) — the order's paid value (none on a
    credit note) or the refund's? Left unread, the question is refused with the number unplaced,
    never answered as the refunds of orders paid over 100 (0 on Online Retail's C invoices)."""
    if threshold.unit != "money" or not threshold.bare:
        return False
    word = m.groupdict().get("name")
    if word and normalise(word) not in _GENERIC_AMOUNT:
        return False  # "实付超过100的退货单": the order's paid amount, said
    before, after = text[: m.start()].rstrip(), text[m.end() :].lstrip()
    after = after[1:] if after.startswith("的") else after
    catalog = ws.catalog
    for metric in (_count_phrase_at(before, ws, False), _count_phrase_at(after, ws, True)):
        measure = _measure_of(metric, catalog) if metric else None
        if measure is None or measure.model in (threshold.model, "order_items", "orders"):
            continue
        if any(x.model == measure.model and x.agg == "sum" for x in catalog.measures.values()):
            return True
    return False


def _average_of_groups(text: str, m: re.Match[str], threshold: Any, ws: Any) -> bool:
    """ "上个月 客单价超过200的州有几个": the threshold's word is also the name of an average
    (客单价, the average order value) and a kind of group follows, not the threshold's own rows:
    the condition is on each group's average, which no row condition says ("客单价超过200的订单"
    stays the orders of that value). Left unread, the question is refused with the number
    unplaced, never answered as the groups with one order over 200."""
    word = m.groupdict().get("name")
    vocab = getattr(ws, "vocabulary", None)
    if not word or vocab is None:
        return False
    rows = _rows_beside(text, m, threshold, ws)
    if rows and not _counts_people_of(rows[0][0], ws):
        return False  # "客单价超过200的订单": the orders of that value
    averages = {
        normalise(p)
        for metric in ws.catalog.metrics.values()
        if metric.type == "ratio"
        for p in (*metric.synonyms, *metric.label.values())
    }
    if normalise(word) not in averages:
        return False
    before = text[: m.start()].rstrip()
    if before.endswith("的"):  # "今年客户的客单价超过500的有几个": each customer's own average
        person = _count_phrase_at(before[:-1].rstrip(), ws, False)
        if person is not None and _counts_people_of(person, ws):
            return True
    return _a_group_after(text, m, ws, lambda term: _a_group(term, ws.catalog))


def _ratio_of_groups(
    text: str, m: re.Match[str], threshold: Any, f: Filter, ws: Any
) -> Filter | None:
    """ "今年客单价超过250的州有几个", "states with an AOV above 250": the threshold's word names one
    average of the catalog (a ratio: 客单价 = paid sales / paid orders) and a kind of group
    follows (or precedes, with 'with'): the condition is on each group's own ratio (HAVING
    aov > 250), never the groups with one order over 250. None when the word names no one
    ratio, or the rows said are the threshold's own ("客单价超过200的订单"). A group said before
    ("今年有几个州的客单价超过250": 州的) is one of a dimension's values (not people, not rows)
    and nothing is said after the condition but how many."""
    word = normalise(m.groupdict().get("name") or "")
    after = _average_of_groups(text, m, threshold, ws) and _a_group_after(
        text, m, ws, lambda term: _a_dimension_group(term, ws.catalog)
    )  # not people ("客单价超过200的客户": each one's average, left unread)
    if not after and not _group_of_a_ratio_before(text, m, threshold, ws):
        return None
    ratios = [
        metric.name
        for metric in ws.catalog.metrics.values()
        if metric.type == "ratio"
        and not getattr(metric, "generated", False)
        and word in {normalise(p) for p in (*metric.synonyms, *metric.label.values())}
        and metric.value_type == threshold.unit
    ]
    return Filter(ratios[0], f.op, f.values) if len(ratios) == 1 else None


# what may follow a group's ratio condition said after the group: how many, or nothing
_ONLY_HOW_MANY_AFTER = re.compile(
    r"^[\s的]*(?:的有|有)?\s*(?:多少|几)?\s*(?:个|家|位)?\s*[?？。呢]*\s*$"
)


# the groups said before the condition as the ones it looks inside: 城市里, 州当中, 品类之中
_INSIDE_GROUPS = re.compile(r"\s*(?:里面|里头|当中|之中|里|中)\s*$")


def _group_of_a_ratio_before(text: str, m: re.Match[str], threshold: Any, ws: Any) -> bool:
    """ "有几个州的客单价超过250": a dimension's values said right before the condition with 的, or
    as the groups looked inside ("…的城市里 客单价超过200的有几个": each city's own AOV, never the
    cities' orders over 200)."""
    vocab = getattr(ws, "vocabulary", None)
    if vocab is None or _rows_beside(text, m, threshold, ws):
        return False
    if not _ONLY_HOW_MANY_AFTER.match(text[m.end() :]):
        return False
    before = text[: m.start()].rstrip()
    inside = _INSIDE_GROUPS.search(before)  # "付款单至少50单的城市里 客单价超过200的有几个"
    if inside is not None:
        before = before[: inside.start()].rstrip()
    elif before.endswith("的"):
        before = before[:-1].rstrip()
    else:
        return False
    for phrase in vocab.phrases_longest_first():
        if phrase and not is_latin(phrase) and before.endswith(phrase):
            return any(_a_dimension_group(t, ws.catalog) for t in vocab.terms[phrase])
    return False


def _a_group_after(text: str, m: re.Match[str], ws: Any, group: Any) -> bool:
    """The first word the vocabulary knows after the condition names a kind of group (`group`
    says which terms do)."""
    vocab = ws.vocabulary
    after = re.sub(r"^[\s的]+", "", text[m.end() :])
    for phrase in vocab.phrases_longest_first():
        if (
            phrase
            and after.startswith(phrase)
            and not (is_latin(phrase) and after[len(phrase) : len(phrase) + 1].isalnum())
        ):
            return any(group(term) for term in vocab.terms[phrase])
    return False


def _total_of_groups(
    text: str, m: re.Match[str], threshold: Any, f: Filter, ws: Any
) -> Filter | None:
    """ "件数超过50件的款": the threshold's word (件数: an order's items) is also the name of one
    summed metric (件数: units sold) and a kind of group follows, not the threshold's own rows:
    the condition is on each group's total (units > 50 per product), never the groups' orders
    of over 50 items ("件数超过3件的订单" stays those orders)."""
    word = m.groupdict().get("name")
    if not word or getattr(ws, "vocabulary", None) is None or threshold.agg != "sum":
        return None
    said = normalise(word)
    unit = next((m.group(k) for k in ("u3", "u4") if m.group(k)), None)
    if said in _LINKS_EN and unit:
        # "categories with more than 100 units (sold)": the linking word names no amount; the
        # unit after the number does (units), and the group is said before it (not the
        # threshold's own rows: "orders with more than 3 items" stays those orders)
        rows = _count_phrase_at(text[: m.start()].rstrip(), ws, False)
        if (
            rows is not None
            and _counts_rows_of(rows, threshold, ws)
            and not any(
                x.kind == "count" and x.dimension and rows in x.metrics.values()
                for x in ws.catalog.measurables.values()
            )
        ):  # "number of categories" counts the categories, not the lines they are of
            return None
        said = normalise(unit)
        if not _a_group_before(text, m, ws):
            return None
        totals = [
            metric.name
            for metric in ws.catalog.metrics.values()
            if metric.type == "simple"
            and metric.value_type == threshold.unit
            and getattr(_measure_of(metric.name, ws.catalog), "agg", "") == "sum"
            and said in {normalise(p) for p in metric.synonyms}
        ]
        return Filter(totals[0], f.op, f.values) if len(totals) == 1 else None
    if _rows_beside(text, m, threshold, ws):
        return None
    totals = [
        metric.name
        for metric in ws.catalog.metrics.values()
        if metric.type == "simple"
        and metric.value_type == threshold.unit
        and getattr(_measure_of(metric.name, ws.catalog), "agg", "") == "sum"
        and said in {normalise(p) for p in (*metric.synonyms, *metric.label.values())}
    ]
    # a breakdown's word ("的商品", "的类目"); not 订单 (the threshold's own rows) nor 客户
    if len(totals) != 1 or not _a_group_after(text, m, ws, lambda t: t.kind == "dimension"):
        return None
    return Filter(totals[0], f.op, f.values)


_LINKS_EN = {"with", "having", "containing"}


def _a_group_before(text: str, m: re.Match[str], ws: Any) -> bool:
    """The last word the vocabulary knows before the condition names a breakdown's values
    ("categories with …", "sellers having …"), not the threshold's own rows (orders) nor people."""
    before = text[: m.start()].rstrip()
    for phrase in ws.vocabulary.phrases_longest_first():
        if phrase and before.endswith(phrase):
            at = len(before) - len(phrase)
            if is_latin(phrase) and at > 0 and before[at - 1].isalnum():
                continue
            if any(_a_dimension_group(t, ws.catalog) for t in ws.vocabulary.terms[phrase]):
                return True  # "number of categories": the metric's word ends in the group's
    return False


def _measure_of(metric: str, catalog: Any) -> Any:
    """The catalog measure `metric` aggregates (None for an unknown metric or one built of others)."""
    return catalog.measure(getattr(catalog.metrics.get(metric), "measure", "") or "")


_AVERAGE_BEFORE = re.compile(r"(?:平均|均|\baverage|\bavg|\bmean)\s*(?:的)?\s*$")


def _score_of_groups(
    text: str, m: re.Match[str], threshold: Any, f: Filter, ws: Any
) -> tuple[Filter, int] | None:
    """ "评分低于3的品类", "categories with an average rating under 3": a score is one review's;
    said of a kind of group (品类, 州, 卖家) — not of the reviews or orders themselves — it is each
    group's average score, a condition on the groups (HAVING avg < 3), never the groups with one
    review under 3. Returns the condition and where its words start (平均 said before it too)."""
    if threshold.unit != "score" or _rows_beside(text, m, threshold, ws):
        return None
    catalog = ws.catalog
    averages = [
        x.metrics["avg"]
        for x in catalog.measurables.values()
        if (x.model, x.expr) == (threshold.model, threshold.expr) and "avg" in x.metrics
    ]
    vocab = getattr(ws, "vocabulary", None)
    if len(averages) != 1 or vocab is None:
        return None
    after = re.sub(r"^[\s的]+", "", text[m.end() :])
    before = text[: m.start()]
    kept = _AVERAGE_BEFORE.search(before)
    start = kept.start() if kept else m.start()
    if re.search(r"\b(?:with|having|whose|where)\s+(?:an?\s+)?$", before[:start]):
        after = ""  # "categories with an average rating under 3": the group said before
        group = re.search(r"([a-z]+)\s+(?:with|having|whose|where)\s+(?:an?\s+)?$", before[:start])
        after = group.group(1) if group else ""
    for phrase in vocab.phrases_longest_first():
        if (
            phrase
            and after.startswith(phrase)
            and not (is_latin(phrase) and after[len(phrase) : len(phrase) + 1].isalnum())
        ):
            if any(_a_dimension_group(term, catalog) for term in vocab.terms[phrase]):
                return Filter(averages[0], f.op, f.values), start
            return None
    return None


def _a_dimension_group(term: Term, catalog: Any) -> bool:
    """Whether `term` names the values of a dimension (states, categories, sellers) — not people,
    nor rows (reviews, orders)."""
    if term.kind == "dimension":
        return True
    if term.kind == "measure":  # 卖家: the countable sellers, each a shop
        x = catalog.measurables.get(term.target)
        return x is not None and x.kind == "count" and bool(x.dimension)
    if term.kind != "metric":
        return False
    return any(
        x.kind == "count" and x.dimension and term.target in x.metrics.values()
        for x in catalog.measurables.values()
    )


# an order said beside a number of items: "一单买了3件以上", "in a single order" — the order's own
_ONE_ORDER = re.compile(
    r"(?:一|每|单|同一)(?:单|笔|张|次)|单张|单次|一张发票|每张发票"
    r"|\b(?:in|per|on)\s+(?:one|a|an|a single|each|the same|every)?\s*(?:order|invoice|purchase|go)\b"
    r"|\b(?:one|single)\s+(?:order|invoice|purchase)\b",
    re.IGNORECASE,
)


# the goods named between the pieces and the people ("买了至少2件羽绒服的客户"; g, session 30)
_GOODS_BEFORE_PEOPLE = re.compile(r"[^\s的，,。？?]{1,12}?\s*的\s*")


def _person_total(text: str, m: re.Match[str], f: Filter, ws: Any) -> tuple[Filter, str] | None:
    """ "今年买了超过1000件的客户", "customers who bought more than 1000 units": a number of items
    beside a count of people, with no single order said (一单, 每次, in one order), is the
    units of all their paid orders in the period — the catalog's person threshold over the same
    rows and number (person_units), not the people with one order of that many items."""
    catalog = ws.catalog
    t = catalog.thresholds[f.dimension]
    if t.entity != "order" or not t.agg or t.unit != "count":
        return None
    twins = [
        p
        for p in catalog.thresholds.values()
        if p.entity == "person"
        and (p.model, p.expr, p.agg, p.unit) == (t.model, t.expr, t.agg, t.unit)
    ]
    if len(twins) != 1:
        return None
    near = text[max(0, m.start() - 12) : m.end() + 24]
    if _ONE_ORDER.search(near):
        return None
    after = text[m.end() :].lstrip()
    after = after[1:].lstrip() if after.startswith("的") else after
    before = re.sub(r"(?:\s+(?:who|that|which))?\s*$", "", text[: m.start()], flags=re.I)
    metric = _count_phrase_at(after, ws, True) or _count_phrase_at(before, ws, False)
    goods = _GOODS_BEFORE_PEOPLE.match(after)
    if (
        metric is None and goods
    ):  # "今年买了至少2件羽绒服的客户": the goods' pieces, theirs in total
        metric = _count_phrase_at(after[goods.end() :], ws, True)
    if metric is None or not counts_people(catalog, metric):
        return None
    what = twins[0].label.get("en", twins[0].name)
    shown = (
        f"{f.op} {f.values[0]}" if f.op != "between" else f"between {f.values[0]} and {f.values[1]}"
    )
    return Filter(twins[0].name, f.op, f.values), f"{what} {shown}"


def _counts_people_of(metric: str, ws: Any) -> bool:
    """`metric` counts something its rows belong to, not the rows themselves: a distinct count of
    another key than the model's own ("客户" beside 客单价超过200: each customer's average order
    value, never the customers with one order over 200)."""
    catalog = ws.catalog
    measure = _measure_of(metric, catalog)
    if measure is None or measure.agg != "count_distinct":
        return False
    model = catalog.models.get(measure.model)
    own = {e.expr for e in getattr(model, "entities", ()) if e.type == "primary"}
    return bool(own) and measure.expr not in own


def _a_group(term: Term, catalog: Any) -> bool:
    """Whether `term` names things an average can be taken per (states, sellers, customers)."""
    if term.kind in ("dimension", "measure", "table"):
        return True
    metric = catalog.metrics.get(term.target) if term.kind == "metric" else None
    return metric is not None and metric.value_type == "count"


def _rows_beside(text: str, m: re.Match[str], threshold: Any, ws: Any) -> list[tuple[str, str]]:
    """The count metric whose word stands right before the condition ("orders above R$500") or
    right after it ("超过500元的订单"), counting the condition's own rows."""
    before, after = text[: m.start()].rstrip(), text[m.end() :].lstrip()
    after = after[1:] if after.startswith("的") else after
    for metric in (_count_phrase_at(before, ws, False), _count_phrase_at(after, ws, True)):
        if metric is not None and _counts_rows_of(metric, threshold, ws):
            return [(metric, threshold.name)]
    return []


def _counts_rows_of(metric: str, threshold: Any, ws: Any) -> bool:
    """`metric` counts rows of the table `threshold` is about."""
    catalog = ws.catalog
    measure = _measure_of(metric, catalog)
    counted = catalog.models.get(measure.model) if measure is not None else None
    model = catalog.models.get(threshold.model)
    table = getattr(model, "table", None)
    return table is not None and getattr(counted, "table", None) == table


def _presence_ok(threshold: Any, catalog: Any) -> bool:
    """A money amount an order may carry or not (a discount, a freight charge): "用了优惠的订单"
    is the orders whose amount is above 0; a review's text ("reviews with a written comment",
    "写了文字的评价") is there when its length is. Not the order's own value (bare), nor a line's."""
    return (
        threshold.unit in ("money", "character")
        and threshold.entity == "order"
        and not threshold.bare
        and threshold.model in catalog.models
    )


@functools.lru_cache(maxsize=16)
def _presence_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    words = _alt(list(names))
    return re.compile(
        # "用了优惠的订单", "有优惠的订单数", "享受了折扣的单" (not 没用 / 没有 / 不用 / 无)
        rf"(?<![没未不无])(?:用了|用过|使用了|使用过|享受了|享受过|带有|有|带|写了|写有|留了|留有)\s*"
        rf"(?P<name>{words})(?=\s*的|\s*$)"
        # "orders with a discount", "orders that used a discount", "discounted orders", "reviews
        # that include a written comment"
        rf"|\b(?:with|that used|which used|that had|that have|used|using|having|that include|"
        rf"which include|that includes|including|that contain|containing)\s+(?:an?\s+|any\s+)?"
        rf"(?P<name_en>{words})(?![a-z])"
        r"|\b(?P<discounted>discounted)\b"
    )


@functools.lru_cache(maxsize=16)
def _absence_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    words = _alt(list(names))
    return re.compile(
        # "没用优惠的单", "没有优惠的订单", "未使用折扣的", "不带优惠的", "无优惠的订单"
        rf"(?:没有?用过?|没有?使用过?|未使用过?|未用过?|没有?享受过?|未享受过?|没有|不带|没带|无)\s*"
        rf"(?P<name>{words})(?=\s*的)"
        # "orders without a discount", "orders that didn't use a discount", "no-discount orders"
        rf"|\b(?:without|that didn't use|that did not use|which didn't use|with no)\s+"
        rf"(?:an?\s+|any\s+)?(?P<name_en>{words})(?![a-z])"
    )


# a count said by its classifier alone after the number ("超过100单的卖家": orders)
_CLASSIFIED = {"单": "orders", "笔": "orders"}
_ALONE = re.compile(r"\s*(?:$|[)）,，;；。]|的|以上|及以上|或以上|或更多)")  # 张 said alone
_CLASSIFIER = re.compile(r"^\s*(?:个|条|单|笔|张|件|位|名)?\s*")  # 5张发票: invoices


def _group_count(m: re.Match[str], ws: Any) -> Filter | None:
    """ "more than 100 orders", "至少50条评价", "评价数至少50条": a comparison whose number is
    said with a count metric (right after it, or right before the comparison with no threshold
    named) is a condition on that count per group — Filter(metric, op, n) — not a threshold."""
    g = m.groupdict()
    if not (g.get("pre") or g.get("post")) or g.get("more") or g.get("n5") or g.get("n1"):
        return None
    if g.get("pre") in ("过", "过了"):  # "买过3次" is no condition: 过 compares a metric's words
        if g.get("name"):
            return None
        found = _group_sum(m, ws)
        if found is not None or g.get("pre") != "过了" or g.get("u3") or g.get("cur3"):
            return found
        # "买家数过了10个": a count metric's own words right before (买过了3次 names none)
        n = _number(g.get("n3"))
        before = re.sub(r"(?:的|\s|,|，)+$", "", m.string[: m.start()])
        metric = _count_phrase_at(before, ws, start=False)
        return Filter(metric, ">", (n,)) if metric and n is not None and not g.get("post") else None
    if any(g.get(k) for k in ("u3", "u4", "cur3")):
        return _group_sum(m, ws)
    n = _number(g.get("n3"))
    op = next((o for o, words in _PRE.items() if g.get("pre") in words), None)
    op = op or next((o for o, words in _POST.items() if g.get("post") in words), None)
    if n is None or op is None or op in ("=", "!="):
        return None
    if g.get("name2"):  # "至少50条评价": the name after is a count's word, or a threshold's
        metric = _count_phrase_at(g["name2"], ws, start=True)
    else:
        after = m.string[m.end() :]
        metric = None if g.get("cls") else _counted_after(after, ws)
        if metric is None and g.get("cls") == "张" and not g.get("name"):
            # "开了一张以上退货单": the count named right after, when counted in 张
            named = _count_phrase_at(re.sub(r"^\s*(?:的\s*)?", "", after), ws, start=True)
            metric = named if named in _ZHANG_COUNTS else None
        if not g.get("name"):
            before = re.sub(r"(?:的|\s|,|，)+$", "", m.string[: m.start()])
            metric = _zhang_of_before(metric, after, before, ws)  # "退货单至少1张"
        if metric is None and not g.get("name"):
            before = re.sub(r"(?:的|\s|,|，)+$", "", m.string[: m.start()])
            metric = _count_phrase_at(before, ws, start=False)
        if metric is None and g.get("cls") in _CLASSIFIED and not g.get("name"):
            metric = _CLASSIFIED[g["cls"]]  # "100单以上的卖家"
        said = _CLASSIFIER.match(after)
        if metric is None and g.get("name") and (g.get("cls") or (said and said.group(0).strip())):
            # "评价至少100条": the name before is itself a count's word (the reviews), and
            # the classifier after the number says it is counted, not a score of 100
            metric = _count_phrase_at(g["name"], ws, start=True)
            if metric is not None and _count_phrase_at(g["name"], ws, start=False) != metric:
                metric = None
    if metric is None and not g.get("name") and not g.get("name2"):
        return _group_sum(m, ws)
    if metric is None or metric not in ws.catalog.metrics:
        return None
    return Filter(metric, op, (n,))


def _group_sum(m: re.Match[str], ws: Any) -> Filter | None:
    """ "销售额超过100万" (of each state), "revenue over 10k": a comparison right after a summed
    metric's own words (money said in money, a count in no unit) is a condition on that
    metric per group, as a count's is."""
    g = m.groupdict()
    if g.get("name") or g.get("name2") or g.get("more") or g.get("n5") or g.get("n1"):
        return None
    n = _number(g.get("n3"))
    op = next((o for o, words in _PRE.items() if g.get("pre") in words), None)
    only = False
    if g.get("pre") in ("过", "过了") and _SOLD_ASPECT.search(m.string[: m.start("pre")]):
        op = None  # "只卖出过1件": 过 says it was sold (the number: how many), not "over" it
        # "只卖出过1件", "仅 卖出 过 2件": exactly that many pieces sold
        only = bool(_ONLY_SOLD.search(m.string[: m.start("pre")])) and not g.get("post")
    op = op or next((o for o, words in _POST.items() if g.get("post") in words), None)
    if only and op is None and (g.get("u3") or g.get("u4")) in _UNITS["count"]:
        op = "="
    elif n is None or op is None or op in ("=", "!="):
        return None
    if n is None:
        return None
    vocab = getattr(ws, "vocabulary", None)
    before = re.sub(r"(?:的|\s|,|，|:)+$", "", m.string[: m.start()])
    if vocab is None or not before:
        return None
    unit = g.get("u3") or g.get("u4")
    money = bool(g.get("cur3")) or unit in _UNITS["money"]
    had = _HAD.search(before) or _HAD.search(m.string[: m.start("pre")].rstrip())
    sold_after = _SOLD_AFTER.match(m.string[m.end() :]) and not had
    if unit in _UNITS["count"] and (_SOLD.search(before) or sold_after):
        # "卖超过1000件": sold, in pieces; "(at least 100 units sold)": the verb after them (an
        # order that "had 3 units sold" keeps its own items)
        before = next((w for w in _SOLD_WORDS if w in vocab.terms), before)
    for phrase in vocab.phrases_longest_first():
        if not before.endswith(phrase) or (
            is_latin(phrase) and before[-len(phrase) - 1 : -len(phrase)].isalnum()
        ):
            continue
        term = vocab.terms[phrase][0]
        metric = ws.catalog.metrics.get(term.target) if term.kind == "metric" else None
        measure = ws.catalog.measure(getattr(metric, "measure", None) or "")
        if metric is None or metric.type != "simple" or measure is None or measure.agg != "sum":
            return None
        if (unit or g.get("cur3")) and money != (metric.value_type == "money"):
            return None
        return Filter(str(metric.name), op, (n,))
    return None


# a sale verb right before a number of pieces ("卖超过1000件", "卖了1000件以上", "sold over 1000
# units"): the pieces sold per group, read as the vocabulary's phrase for units sold
_SOLD = re.compile(
    r"(?:卖|售|销)(?:出去|出|掉)?(?:了|过)?$|\b(?:sold|sell|sells|selling|moved|shifted)$"
)
_SOLD_WORDS = ("售出", "sold")
_SOLD_ASPECT = re.compile(
    r"(?:卖|售|销)(?:出去|出|掉)?\s*$"
)  # 卖出过, 卖过, "卖出 过": the verb's 过
_ONLY_SOLD = re.compile(r"(?:只|仅|仅仅|就)\s*(?:卖|售|销)(?:出去|出|掉)?\s*$")
_SOLD_AFTER = re.compile(r"\s*(?:were\s+|got\s+)?(?:sold|卖出|售出)\b")
_HAD = re.compile(r"\b(?:had|have|has|having|with|containing|contained)$|有$")

# "晚上8点到12点", "凌晨0点到6点之间", "between 8pm and midnight": a range of hours of the day
_DAYPART = r"凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|夜间"
_PM = ("下午", "傍晚", "晚上", "夜里", "夜间")
_HOURS_ZH = re.compile(  # "晚上8点到12点", "凌晨0到6点" (点 said once, after the second hour)
    rf"(?:(?:在|从)\s*)?(?P<p1>{_DAYPART})?\s*(?P<a>\d{{1,2}})\s*(?:点(?:钟)?)?\s*(?:到|至|-|~)\s*"
    rf"(?P<p2>{_DAYPART})?\s*(?P<b>\d{{1,2}})\s*点(?:钟)?(?:\s*(?:之间|之内|以内))?"
)
_HOURS_EN = (
    re.compile(  # "between 8pm and midnight", "from midnight to 6am", "0h às 6h", "0:00-6:00"
        r"(?:\b(?:between|from|entre|das?)\s+)?(?:(?P<a>\d{1,2})\s*(?:h\b|:00)?\s*(?P<p1>am|pm)?"
        r"|(?P<start>midnight))\s*(?:to|-|and|until|till|às|as|até|ate|e)\s*"
        r"(?:(?P<b>\d{1,2})\s*(?:(?P<p2>am|pm)|h\b|:00)|(?P<word>midnight|noon))"
    )
)
# Portuguese hours, both said with h: "0h às 6h" (its às is read as the article 'the' by then)
_HOURS_PT = re.compile(
    r"(?:\b(?:entre|das?|from|of)\s+)?(?P<a>\d{1,2})\s*h\s*(?:às|as|the|a|até|ate|e|-)\s*(?P<b>\d{1,2})\s*h\b"
)
# a part of the day said beside an explicit range of hours adds nothing: "de madrugada (0h às 6h)",
# "午饭时间 12点到14点", "lunch time (12-2pm)": the hours said are the ones read
_DAYPART_BEFORE = re.compile(
    r"(?:(?:\bde\s+)?\b(?:madrugada|early morning|late night|overnight|lunch\s*time|lunch)"
    r"|(?:午饭|午餐|中饭|晚饭|晚餐|早饭|早餐|夜宵|饭点|午休|下班)(?:\s*(?:时间|时段|时候|那会儿?))?)"
    r"\s*[(（]?\s*$"
)


# "晚上8点以后", "8点后", "早上9点之前", "after 8pm", "before 9am": from the hour to midnight, or
# from midnight to it (the hour itself is after, not before)
_HOURS_ZH_OPEN = re.compile(
    rf"(?:在\s*)?(?P<p1>{_DAYPART})?\s*(?P<a>\d{{1,2}})\s*点(?:钟)?\s*"
    r"(?P<side>以后|之后|过后|后|以前|之前|前)"
)
_HOURS_EN_OPEN = re.compile(r"\b(?P<side>after|before)\s+(?P<a>\d{1,2})\s*(?P<p1>am|pm)\b")


def find_hours(text: str, catalog: Any) -> tuple[Filter | None, str]:
    """A range of hours of the day in `text` (the hour time part's filter: 20–23 for 晚上8点到12点,
    the end hour not included) and the text with its words blanked; (None, text) when there is
    none or the hours do not make a range (the words are then left to be refused)."""
    part = next((tp.name for tp in catalog.time_parts.values() if tp.part == "hour"), None)
    if part is None:
        return None, text
    for pattern in (_HOURS_ZH, _HOURS_PT, _HOURS_EN, _HOURS_ZH_OPEN, _HOURS_EN_OPEN):
        m = pattern.search(text)
        if m is None:
            continue
        hours = _hour_range(m.groupdict()) if "side" not in m.groupdict() else _open_hours(m)
        if hours is None:
            return None, text
        start = m.start()
        before = _DAYPART_BEFORE.search(text[:start])
        start = before.start() if before else start
        blanked = text[:start] + " " * (m.end() - start) + text[m.end() :]
        return Filter(part, "in", tuple(hours)), blanked
    return None, text


def _open_hours(m: re.Match[str]) -> list[int] | None:
    """The hours after (from it on) or before an hour of the day (_HOURS_ZH_OPEN / _EN_OPEN)."""
    a, p1 = int(m.group("a")), m.group("p1")
    if p1 in _PM or p1 == "pm":
        a = a + 12 if a < 12 else a
    elif p1 == "am" and a == 12:
        a = 0
    if not 0 <= a <= 24:
        return None
    after = m.group("side") in ("以后", "之后", "过后", "后", "after")
    hours = list(range(a, 24)) if after else list(range(0, a))
    return hours if 0 < len(hours) < 24 else None


def _hour_range(g: dict[str, Any]) -> list[int] | None:
    a = 0 if g.get("start") else int(g["a"])  # "from midnight to 6am"
    b = int(g["b"]) if g.get("b") else None
    p1, p2 = g.get("p1"), g.get("p2") or g.get("p1")
    if g.get("word"):
        b, p2 = (24, None) if g["word"] == "midnight" else (12, None)
    if p1 in _PM or p1 == "pm" or (p1 == "中午" and a < 6):  # 中午1点: 13:00
        a = a + 12 if a < 12 else a
    if b is not None and (p2 in _PM or p2 == "pm" or (p2 == "中午" and b < 6)):
        b = b + 12 if b < 12 else (24 if b == 12 else b)
    if b is not None and b <= a <= 12 and b + 12 > a and not (g.get("p2") or g.get("word")):
        b += 12  # "中午12点到2点", "上午10点到2点": the end on the clock past noon (14:00)
    if b is None or not (0 <= a < b <= 24):
        return None
    return list(range(a, b))


# a few Latin words between a bare number and a count's noun ("3 credit card orders")
_WORDS_BEFORE_COUNT = {n: re.compile(r"\s*(?:[a-z][a-z_-]*\s+)" f"{{{n}}}") for n in (1, 2, 3)}


def _counted_after_words(m: re.Match[str], ws: Any) -> bool:
    """ "at least 3 credit card orders", "with more than 2 boleto orders": a bare number (no
    unit, no currency) followed by one to three words and a count's noun counts those rows —
    neither an amount nor the threshold a word before it names."""
    g = m.groupdict()
    if any(g.get(k) for k in ("u1", "u2", "u3", "u4", "u5", "u6", "cur1", "cur2", "cur3")):
        return False
    after = m.string[m.end() :]
    for n in (1, 2, 3):
        words = _WORDS_BEFORE_COUNT[n].match(after)
        if words and _counted_after(after[words.end() :], ws) is not None:
            return True
    return False


def _bare_amount(group: Filter, m: re.Match[str], ws: Any) -> Filter | None:
    """ "orders over 500": with the count said before the number, the bare money threshold of
    the count's own rows (order value), as the reading when nothing is grouped."""
    if _counted_after(m.string[m.end() :], ws) is not None:
        return None  # "more than 100 orders": the count itself
    if _counted_after_words(m, ws):
        return None  # "at least 3 credit card orders": a count of orders, not 3 of money
    catalog = ws.catalog
    metric = catalog.metrics.get(group.dimension)
    if getattr(metric, "value_type", "") != "count":  # "销售额超过100万": a sum, never an order's
        return None
    measure = catalog.measure(getattr(metric, "measure", None) or "")
    for t in catalog.thresholds.values():
        if measure is not None and t.bare and t.unit == "money" and t.model == measure.model:
            return Filter(t.name, group.op, group.values)
    return None


def _counted_after(after: str, ws: Any) -> str | None:
    """The count metric said right after a number (its classifier between: 100单, 50条评价)."""
    said = _CLASSIFIER.match(after)
    metric = _count_phrase_at(after[said.end() :] if said else after, ws, start=True)
    if metric is None and said and said.group(0).strip() in _CLASSIFIED:
        metric = _CLASSIFIED[said.group(0).strip()]
    elif metric is None and said and said.group(0).strip() == "张":
        rest = after[said.end() :]
        alone = _ALONE.match(rest)
        metric = (
            "orders" if alone else None
        )  # "(至少 20张)": invoices (orders), 张 with no other thing named after
        if alone and alone.group(0).strip() in ("以上", "及以上", "或以上"):
            # "开了3张以上退货单", "3张以上的退货单": the count named after 以上 (its own rows)
            named = _count_phrase_at(re.sub(r"^\s*(?:的\s*)?", "", rest[alone.end() :]), ws, True)
            metric = named if named is not None and named in _ZHANG_COUNTS else metric
    return metric


# the counts said in 张 (invoices and their kinds): "退货单至少1张", "3张以上退货单"
_ZHANG_COUNTS = {"orders", "returned_orders", "refunded_orders", "cancelled_orders", "paid_orders"}


def _zhang_of_before(metric: str | None, after: str, before: str, ws: Any) -> str | None:
    """A bare 张 read as invoices (orders) when the count named right before the number is
    another counted in 张: "退货单至少1张" counts the C invoices, not every invoice; 单 / 笔
    likewise ("（支付订单数至少100单）": the paid orders, not every order placed; session 38)."""
    said = _CLASSIFIER.match(after)
    if metric != "orders" or said is None or said.group(0).strip() not in ("张", "单", "笔"):
        return metric
    named = _count_phrase_at(before, ws, start=False)
    return named if named in _ZHANG_COUNTS else metric


def _count_phrase_at(text: str, ws: Any, start: bool) -> str | None:
    """The count metric whose phrase (longest) starts (or ends) `text`."""
    for phrase, metric in _count_phrases(ws):
        if (text.startswith(phrase) if start else text.endswith(phrase)) and phrase:
            edge = (
                text[len(phrase) : len(phrase) + 1]
                if start
                else text[-len(phrase) - 1 : -len(phrase)]
            )
            if is_latin(phrase) and edge[:1].isalnum():
                continue  # "orders" in "ordersX": not the word
            return metric
    return None


_COUNT_PHRASES: list[tuple[Any, list[tuple[str, str]]]] = []


def _count_phrases(ws: Any) -> list[tuple[str, str]]:
    """(phrase, metric) of the vocabulary's plain count metrics (orders, reviews, units, buyers),
    longest first, worked out once per vocabulary."""
    vocab = getattr(ws, "vocabulary", None)
    if vocab is None:  # a workspace without a vocabulary names no counts
        return []
    if _COUNT_PHRASES and _COUNT_PHRASES[0][0] is vocab:
        return _COUNT_PHRASES[0][1]
    metrics = ws.catalog.metrics
    rows = _row_counts(ws.catalog)
    out = []
    for phrase in vocab.phrases_longest_first():
        term = vocab.terms[phrase][0]
        if term.kind == "table" and term.target in rows:  # "50条评价": the reviews counted
            out.append((phrase, rows[term.target]))
        metric = metrics.get(term.target) if term.kind == "metric" else None
        if metric is not None and metric.type == "simple" and metric.value_type == "count":
            out.append((phrase, str(term.target)))
    _COUNT_PHRASES[:] = [(vocab, out)]
    return out


def _row_counts(catalog: Any) -> dict[str, str]:
    """table -> the one plain count of its rows (no filter), where the catalog has exactly one."""
    found: dict[str, list[str]] = {}
    rows: dict[str, list[str]] = {}
    for metric in catalog.metrics.values():
        measure = catalog.measure(metric.measure or "")
        model = catalog.models.get(measure.model) if measure is not None else None
        if model is None or metric.type != "simple" or metric.filter or not model.table:
            continue
        if measure.agg in ("count", "count_distinct") and metric.value_type == "count":
            found.setdefault(str(model.table), []).append(str(metric.name))
            if measure.agg == "count":
                rows.setdefault(str(model.table), []).append(str(metric.name))
    # a plain count of the rows is what "50条评价" counts, beside a count of distinct keys
    # (reviewers: the reviews' buyers)
    found.update(rows)
    return {t: names[0] for t, names in found.items() if len(names) == 1}


def _read(
    m: re.Match[str], names: dict[str, str], catalog: Any, ws: Any
) -> tuple[Filter, str] | None:
    g = m.groupdict()
    if g.get("cls") or g.get("pre") in ("过", "过了"):
        return None  # "50条以上": a count of rows, not a threshold's own value
    ranged = g.get("n5") and (g.get("u5") or g.get("u6") or g.get("cur5") or g.get("cur6"))
    between = bool(g.get("between") or g.get("inside2") or ranged)  # "1-2分", "100到200元"
    pre, post = g.get("pre"), g.get("post")
    scored = any(v in _UNITS["score"] for k, v in g.items() if v and re.fullmatch(r"u\d", k))
    linked = bool(g.get("name") and g.get("link") in ("of", "is", "是", "为", ":"))
    if not (between or pre or post or g.get("more") or scored or linked):
        return None  # a bare number: "3件" alone is not a condition ("5星", "评分5分" are)
    if g.get("more") and (pre and pre not in _PRE["="] or post):
        return None  # "over 3 or 4": not one condition
    units = {v for k, v in g.items() if v and re.fullmatch(r"u\d", k)}
    kinds = {k for u in units for k, words in _UNITS.items() if u in words}
    currencies = {_CURRENCY_PREFIX[v] for k, v in g.items() if v and k.startswith("cur")}
    currencies |= {_CURRENCY_UNIT[u] for u in units if u in _CURRENCY_UNIT}
    if currencies:
        kinds.add("money")
    if len(kinds) > 1:
        return None
    kind = next(iter(kinds), None)
    if kind is None and pre == "满" and not (g.get("name") or g.get("name2")):
        kind = "money"  # "满500的单": an amount reached (满减), said without 元
    name = names.get(g["name"]) if g.get("name") else None
    second = names.get(g["name2"]) if g.get("name2") else None
    between_events = _duration_between(m, catalog)
    if between_events is not None:  # "发货超过20天才签收": from the shipping to the delivery
        name = second = between_events
    if second is not None and name is not None and second != name:
        return None  # two numbers named: not one condition
    if second is not None and kind is not None and catalog.thresholds[second].unit != kind:
        second = None  # "超过3件的订单金额": the name after is what is asked, not this number
    if second is not None and name is None and g.get("name2"):
        name = second
    elif g.get("name2") and second is None:
        return None
    if name is None:
        bare = [t for t in catalog.thresholds.values() if t.bare and t.unit == kind]
        if kind is None or len(bare) != 1:
            return None
        threshold = bare[0]
        if _names_another_number(m, threshold, ws):
            return None  # "price over 100": the number of something no threshold has
    else:
        threshold = catalog.thresholds[name]
        if kind is not None and kind != threshold.unit and (kind, threshold.unit) not in _PER:
            return None
    if currencies and not _currency_ok(currencies, ws):
        return None
    if g.get("verb") in _DURATION_VERBS and threshold.unit not in ("day", "hour"):
        return None  # "买了用了超过500": no time taken
    if threshold.model not in catalog.models:
        return None
    n1 = _number(g.get("n1") or g.get("n3") or g.get("n5"))
    if n1 is None:
        return None
    per = _PER.get((kind or "", threshold.unit), 1)  # "发货超过48小时": more than 2 days
    n1 = round(n1 * per, 6) if per != 1 else n1
    if between:
        n2 = _number(g.get("n2") or g.get("n6"))
        n2 = round(n2 * per, 6) if n2 is not None and per != 1 else n2
        if n2 is None or n2 < n1:
            return None
        what = threshold.label.get("en", threshold.name)
        return Filter(threshold.name, "between", (n1, n2)), f"{what} between {n1} and {n2}"
    if g.get("more"):
        if per != 1:
            return None  # "48 or 72 hours" in days: not worth a list of fractions
        numbers = [n1] + [_number(x) for x in re.findall(_NUM, g["more"]) if _number(x) is not None]
        if pre and pre not in _PRE["="]:
            return None
        values = tuple(dict.fromkeys(numbers))
        what = threshold.label.get("en", threshold.name)
        return Filter(threshold.name, "in", values), f"{what} in {', '.join(map(str, values))}"
    ops = set() if pre or post else {"="}
    if pre:
        ops.add(next(op for op, words in _PRE.items() if pre in words))
    if post:
        ops.add(next(op for op, words in _POST.items() if post in words))
    if len(ops) != 1:
        return None  # "超过100元以上": strict or not? the words disagree
    op = ops.pop()
    if op == "!=" and not (name and g.get("pre")):
        return None  # "不是100": only a named number's ("运费不是0"), said before the number
    zero = bool(name and linked and n1 == 0)  # "运费为0": none, in any unit
    if op == "=" and not (
        kind == "score" or (name and (kind or threshold.unit == "score" or zero))
    ):
        return None  # "of 5" needs the number's name: "review score of 5"
    what = threshold.label.get("en", threshold.name)
    return Filter(threshold.name, op, (n1,)), f"{what} {op} {n1}"


# a number said in one unit for a threshold counted in another: how many of the other per one
_PER = {("hour", "day"): 1 / 24, ("day", "hour"): 24, ("week", "day"): 7, ("week", "hour"): 168}


def _metric_spans(text: str, catalog: Any) -> list[tuple[int, int]]:
    """Where the catalog's metric names with a digit in them occur in `text`."""
    spans = []
    for p in _digit_phrases(catalog):
        i = text.find(p)
        while i >= 0:
            spans.append((i, i + len(p)))
            i = text.find(p, i + 1)
    return spans


_DIGIT_PHRASES: list[tuple[Any, tuple[str, ...]]] = []  # (the last catalog, its phrases)


def _digit_phrases(catalog: Any) -> tuple[str, ...]:
    """The catalog's metric names (synonyms, labels; normalised) with a digit in them, worked out
    once per catalog object (find() asks for them at every number of every question)."""
    if _DIGIT_PHRASES and _DIGIT_PHRASES[0][0] is catalog:
        return _DIGIT_PHRASES[0][1]
    phrases = [  # (an ASCII phrase without a digit has none once normalised either)
        normalise(phrase)
        for metric in catalog.metrics.values()
        for phrase in (*metric.synonyms, *metric.label.values())
        if not phrase.isascii() or any(map(str.isdigit, phrase))
    ]
    found = tuple(dict.fromkeys(p for p in phrases if any(map(str.isdigit, p))))
    _DIGIT_PHRASES[:] = [(catalog, found)]
    return found


def _has_values(catalog: Any, ws: Any, dimension: str, values: tuple[Any, ...]) -> bool:
    """Every value is one of `dimension`'s in this warehouse (asked of the warehouse: a column
    with many values, such as the sellers' cities, is not in the value index)."""
    known = {str(v) for v in ws.values.values.get(dimension, [])}
    if known:
        return {str(v) for v in values} <= known
    for model in catalog.models.values():
        dim = model.dimensions.get(dimension)
        if dim is None or not model.table or not dim.expr.isidentifier():
            continue
        marks = ", ".join("?" for _ in values)
        sql = f'SELECT count(DISTINCT "{dim.expr}") FROM "{model.table}" WHERE "{dim.expr}" IN ({marks})'
        try:
            (found,) = ws.reader().execute(sql, [str(v) for v in values]).fetchone()
        except Exception:
            return False
        return found == len(set(map(str, values)))
    return False


def _names_another_number(m: re.Match[str], threshold: Any, ws: Any) -> bool:
    """A measure word just before a bare number ("单价超过100", "price above 100") names the
    number: it is not an order's value, and no threshold has it — unless the threshold's own
    rows are named between them ("average review score of orders above R$500": the orders are
    above R$500, the score is what is asked of them)."""
    before = m.string[max(0, m.start() - 16) : m.start()]
    phrases = {normalise(p) for x in ws.catalog.measurables.values() for p in x.phrases}
    ends = [before.rfind(p) + len(p) for p in phrases if len(p) >= 2 and p in before]
    if not ends:
        return False
    return not _rows_named(before[max(ends) :], threshold, ws)


def _rows_named(gap: str, threshold: Any, ws: Any) -> bool:
    """`gap` names the rows `threshold` is about ("of orders", 的订单): a word of a plain
    count of its model's table."""
    for phrase, metric in _count_phrases(ws):
        if not _counts_rows_of(metric, threshold, ws):
            continue
        if re.search(rf"\b{re.escape(phrase)}\b" if is_latin(phrase) else re.escape(phrase), gap):
            return True
    return False


def _on_the_scale(threshold: Any, f: Filter, catalog: Any, ws: Any) -> bool:
    """A score said as an equality or a range lies on the scale the warehouse's scores use
    (1 to 5 stars): a number off it ("2018 星期几差评最多", "share of 2018 reviews") is another
    number — a year, a count — never bound to the score."""
    if threshold.unit != "score" or f.op not in ("=", "in", "between"):
        return True
    scale = _score_scale(threshold, catalog, ws)
    if scale is None:
        return True
    low, high = scale
    return all(low <= v <= high for v in f.values if isinstance(v, int | float))


def _score_scale(threshold: Any, catalog: Any, ws: Any) -> tuple[float, float] | None:
    """The lowest and highest score the threshold's rows hold (None: no rows, or not asked)."""
    table = getattr(catalog.models.get(threshold.model), "table", None)
    if not table or not hasattr(ws, "reader"):
        return None
    try:
        sql = f'SELECT min({threshold.expr}), max({threshold.expr}) FROM "{table}"'
        low, high = ws.reader().execute(sql).fetchone()
    except Exception:
        return None
    return None if low is None or high is None else (float(low), float(high))


def _has_rows(threshold: Any, catalog: Any, ws: Any, phrase: str) -> None:
    """A threshold on rows this warehouse has none of (reviews on the demo) is no data, not 0."""
    from shopql.nlq.shared import NoData

    table = getattr(catalog.models[threshold.model], "table", None)
    if not table or not hasattr(ws, "reader"):
        return
    try:
        rows = ws.reader().execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchall()
    except Exception:
        return
    if not rows:
        why = f"'{phrase}': this warehouse has no {table} rows — import the export that has them"
        raise NoData(why, [phrase], [])
    try:  # "用了优惠的订单" on Olist: its export names no discount at all — no data, not 0
        named = (
            ws.reader()
            .execute(f'SELECT 1 FROM "{table}" WHERE ({threshold.expr}) IS NOT NULL LIMIT 1')
            .fetchall()
        )
    except Exception:
        return
    if not named:
        what = threshold.label.get("en", threshold.name)
        why = f"'{phrase}': no {table} row of this warehouse has a {what.lower()} (its export has none)"
        raise NoData(why, [phrase], [])


def merge_groups(filters: list[Filter], catalog: Any) -> list[Filter]:
    """ "UK vs the rest": a value of a group set's base dimension whose values are exactly one
    group's members (United Kingdom) is that group, beside the set's other group named."""
    sets = getattr(catalog, "value_groups", {})
    grouped = {f.dimension for f in filters if f.dimension in sets and f.op in ("in", "=")}
    out = list(filters)
    for name in grouped:
        gs = sets[name]
        for f in list(out):
            if f.dimension != gs.dimension or f.op not in ("in", "="):
                continue
            group = next((g for g in gs.groups if set(g.members) == set(map(str, f.values))), None)
            if group is None:
                continue
            target = next(x for x in out if x.dimension == name)
            out[out.index(target)] = Filter(name, "in", (*target.values, group.name))
            out.remove(f)
    return out


_TIMES = {"k": 1000, "千": 1000, "万": 10000, "w": 10000}


# "(min 20k in jul)", "(at least 10k before)", "（7月至少2万）": a bare lower bound in a
# comparison's ranking, its period said beside it — a condition on the ranked metric in that
# period (nlq/offline._having_in_a_period); its words are blanked so "min" / "least" rank nothing
BARE_BASE = "__ranked__"
_BASE = re.compile(
    r"[(（]?\s*(?P<pre>\bmin(?:imum)?\b|\bat\s+least\b|>=|≥|至少|不少于|不低于|起码)\s*:?\s*(?:有\s*)?"
    r"(?P<cur>r\$|\$|£|¥|€)?\s*(?P<n>\d+(?:\.\d+)?(?:k\b|千|万|w\b)?)\s*"
    r"(?P<unit>元|块|英镑|镑|人|位|名|个)?"  # "（去年至少1000人）": people, when people are ranked
    r"(?P<who>的?(?:买家|客户|顾客|用户))?"  # "去年至少有1000个买家"
    r"(?P<what>\s+(?:of\s+)?(?:sales|revenue|buyers|customers|people))?"  # "(min 10k sales in Q2)"
    r"(?=\s*(?:(?:in|during)\s+|before\b|prior\b|earlier\b|last\b|previous\b|(?:the\s+)?same\b|[)），,。;；]|的[^\s，,。)）]{1,6}?[里中]|$))"
)


def bare_base(text: str) -> tuple[Filter, str, int, int] | None:
    """A bare lower bound (_BASE): (condition on BARE_BASE, its words, start, end) or None."""
    m = _BASE.search(text)
    if m is None:
        return None
    n = _number(m.group("n"))
    if n is None or n <= 0:
        return None
    return Filter(BARE_BASE, ">=", (n,)), m.group(0).strip(" (（"), m.start(), m.end()


_MONEY_SAID = re.compile(r"r\$|\$|£|¥|€|元|块|镑|\b(?:sales|revenue)\b")
_PEOPLE_SAID = re.compile(r"人|位|名|买家|客户|顾客|用户|\b(?:buyers|customers|people)\b")


def base_fits(said: str, metric: str, catalog: Any) -> bool:
    """A bare lower bound's unit agrees with the ranked metric: money (R$, 元, "sales") bounds an
    amount, people (人, "buyers") a count of people, 个 any count; a bound with no unit any metric
    ("（去年至少1000人）" ranks buyers, never sales)."""
    m = catalog.metrics.get(metric)
    kind = getattr(m, "value_type", None)
    if _MONEY_SAID.search(said):
        return kind == "money"
    if _PEOPLE_SAID.search(said):
        return counts_people(catalog, metric)
    if "个" in said:
        return kind == "count"
    return True


def counts_people(catalog: Any, metric: str) -> bool:
    """The metric counts distinct people: its measure counts the person key of its model."""
    m = catalog.metrics.get(metric)
    measure = catalog.measure(getattr(m, "measure", None) or "")
    if measure is None or measure.agg != "count_distinct":
        return False
    model = catalog.models.get(measure.model)
    people = {e.expr for e in model.entities if e.name == "person"} if model else set()
    person = model.dimensions.get("person") if model else None
    return measure.expr in people | ({person.expr} if person else set())


def bracketed_base(text: str) -> tuple[Filter, str, int, int] | None:
    """A bare lower bound (bare_base) said alone in brackets ("(Q2 at least £1000)", "(min £1k
    in jul)"): a condition on the ranked metric, even with a currency (which alone would make
    it each order's amount)."""
    found = bare_base(text)
    if found is None:
        return None
    start, end = found[2], found[3]
    opened = max(text.rfind("(", 0, start + 1), text.rfind("（", 0, start + 1))
    if opened < 0 or re.search(r"[)）]", text[opened:start]):
        return None
    if not re.match(r"[^()（）]*[)）]", text[end:]):
        return None
    return found


def _number(token: str | None) -> int | float | None:
    if not token:
        return None
    if token[-1] in _TIMES and token[:-1]:  # "1k", "5千", "2万"
        base = _number(token[:-1])
        return None if base is None else round(base * _TIMES[token[-1]], 6)
    if re.fullmatch(r"\d+\.\d+", token):
        return float(token)
    return cn_number(token)


def _currency_ok(currencies: set[str], ws: Any) -> bool:
    """A currency named must be the warehouse's (R$ on a shop selling in yuan is not a price)."""
    known = {str(v).upper() for v in ws.values.values.get("currency", [])}
    return not known or currencies <= known


def expand(filters: list[Filter]) -> list[Filter]:
    """A range is two conditions ("between 100 and 200": ≥ 100 and ≤ 200)."""
    out: list[Filter] = []
    for f in filters:
        if f.op == "between":
            out += [
                Filter(f.dimension, ">=", (f.values[0],)),
                Filter(f.dimension, "<=", (f.values[1],)),
            ]
        else:
            out.append(f)
    return out


# -- value groups -----------------------------------------------------------------------------------


def add_group_words(vocab: Vocabulary, catalog: Any, values: dict[str, list[Any]]) -> None:
    """The group names (Sudeste, 欧盟 …) as values and the set's words (by region, 大区) as a
    dimension, for each group set some of whose members this warehouse has."""
    for gs in getattr(catalog, "value_groups", {}).values():
        if gs.name not in catalog.dimensions or not gs.applies(values.get(gs.dimension, [])):
            continue
        names = [gs.name.replace("_", " "), *gs.label.values(), *gs.synonyms]
        vocab.add_all(names, Term("dimension", gs.name, weight=12))
        members = {normalise(m) for g in gs.groups for m in g.members}
        for g in [*gs.groups, *([gs.others] if gs.others else [])]:
            phrases = [p for p in (g.name, *g.synonyms) if normalise(p) not in members]
            vocab.add_all(phrases, Term("value", gs.name, g.name, weight=6))


# -- values said of their owner ----------------------------------------------------------------------


_LOCATED = re.compile(r"\s+(based|located)\s+(?:in|at|out of)\b")
_BASED_BEFORE = re.compile(r"[-\s]based\s*$", re.IGNORECASE)  # "SP-based sellers"


def owned_values(links: Any, filters: list[Filter], ws: Any, ranked: bool = False) -> list[Filter]:
    """ "卖家在SP的订单数", "seller state SP": the province named with a seller word is the
    seller's (the catalog's `owned_values`), where the seller dimension has that value; the seller
    word is then spent on it (not a breakdown by seller), unless it is counted ("how many sellers
    in SP") or `ranked` with no other breakdown named ("top 5 sellers in SP", "SP州卖得最好的5个卖家":
    the sellers located there, ranked). A seller word beside a buyer word ("sellers and customers
    in SP") decides nothing."""
    catalog = ws.catalog
    rules = getattr(catalog, "owned_values", [])
    if not rules:
        return filters
    out = list(filters)
    for dim, owner, target in rules:
        measurable = catalog.measurables.get(owner)
        if measurable is None or target not in catalog.dimensions:
            continue
        owner_words = {normalise(w) for w in (*measurable.words, *measurable.synonyms)}
        said = [
            m
            for m in links.mentions
            if (m.term.kind == "dimension" and m.term.target in (measurable.dimension, target))
            and (normalise(m.phrase) in owner_words or m.term.target == target)
        ]
        counts = set(measurable.metrics.values())
        counted = [
            m
            for m in links.mentions
            if m.term.kind == "metric"
            and (m.term.target in counts or _denominator(catalog, m.term.target) in counts)
        ]  # "how many sellers in SP", "SP的卖家 平均每家卖了多少钱": the sellers located there
        buyer = [m for m in links.mentions if m.term.target in ("customers", "buyers")]
        f = next((x for x in out if x.dimension == dim and x.op in ("in", "=")), None)
        if f is None and not buyer:  # "sellers based outside São Paulo state": the seller's
            # state left out (no buyer word that could own it)
            f = next((x for x in out if x.dimension == dim and x.op in ("not in", "!=")), None)
        # "buyers outside SP who bought from SP-based sellers", "… from sellers based in SP": the
        # value tied to the seller word by based / located is the seller's, a buyer word beside
        # it or not (one such value only)
        located = [
            m
            for m in said
            if _LOCATED.match(links.text[m.end :]) or _BASED_BEFORE.search(links.text[: m.start])
        ]
        positive = [x for x in out if x.dimension == dim and x.op in ("in", "=")]
        tied = bool(located) and len(positive) == 1
        if f is None or not (said or counted) or (buyer and not tied):
            continue
        if not _has_values(catalog, ws, target, f.values):
            continue
        out[out.index(f)] = Filter(target, f.op, f.values)
        for m in [*said, *counted]:  # "sellers based in PR", "sellers located in SP": where
            where = _LOCATED.match(links.text[m.end :])
            if where is not None and where.group(1) in links.leftover:
                links.leftover.remove(where.group(1))
        other = [
            m
            for m in links.mentions
            if m.term.kind == "dimension" and m not in said and m.term.target != dim
        ]
        owner_dim = measurable.dimension
        kept = [m for m in said if m.term.target == owner_dim] if ranked and not other else []
        links.mentions = [m for m in links.mentions if m not in said or m in kept]
    return out


def _denominator(catalog: Any, metric: str) -> str:
    """The count a ratio divides by, whatever period basis it is counted in (seller_count of
    seller_count__by_paid_date); "" for a metric that is no ratio."""
    below = getattr(catalog.metrics.get(metric), "denominator", None) or ""
    return str(below).split("__", 1)[0]


def owned_breakdown(links: Any, dimensions: list[str], metrics: list[str], ws: Any) -> list[str]:
    """ "卖家数最多的州", "number of sellers by state", "which state has the most sellers": a
    count of the owner (sellers) split by a place is split by the owner's own place (the
    catalog's `owned_values`: the seller's state), not the place of the buyers they sold to,
    where that dimension has values; a buyer word ("sellers by customer state") or another
    metric beside the count keeps the buyer's place."""
    catalog = ws.catalog
    out = list(dimensions)
    for measurable in catalog.measurables.values():
        # "the state with the most sellers by number of sellers": a count of sellers split by
        # the seller itself is 1 a row; the count is of the other breakdown's groups
        counts = set(getattr(measurable, "metrics", {}).values())
        if metrics and set(metrics) <= counts and measurable.dimension in out and len(out) > 1:
            out.remove(measurable.dimension)
    for dim, owner, target in getattr(catalog, "owned_values", []):
        measurable = catalog.measurables.get(owner)
        if dim not in out or target in out or measurable is None:
            continue
        counts = set(measurable.metrics.values())
        if not metrics or not set(metrics) <= counts or target not in catalog.dimensions:
            continue
        if any(m.term.target in ("customers", "buyers") for m in links.mentions):
            continue
        if not _has_any(catalog, ws, target):
            continue
        out[out.index(dim)] = target
    return out


def _has_any(catalog: Any, ws: Any, dimension: str) -> bool:
    """Whether `dimension` has a value in this warehouse (the sellers' states: Olist only)."""
    if ws.values.values.get(dimension):
        return True
    for model in catalog.models.values():
        dim = model.dimensions.get(dimension)
        if dim is None or not model.table or not dim.expr.isidentifier():
            continue
        sql = f'SELECT 1 FROM "{model.table}" WHERE "{dim.expr}" IS NOT NULL LIMIT 1'
        try:
            return ws.reader().execute(sql).fetchone() is not None
        except Exception:
            return False
    return False


# -- values a sync vocabulary names (顺丰 = sf, 中通 = zto) ---------------------------------------


def add_standard_value_words(vocab: Vocabulary, catalog: Any, values: dict[str, list[Any]]) -> None:
    """Canonical values a sync vocabulary maps raw spellings into (sync/vocabularies.yaml: the
    shipping company 顺丰 → sf) are named by those spellings and labels, for each catalog
    dimension that is such a column, where the warehouse has the value. Low weight: 京东 stays
    the platform; 京东物流 (longer) is the carrier."""
    from shopql.nlq.values import ALIASES
    from shopql.sync.vocab import STANDARD_COLUMNS, vocabulary

    for model in catalog.models.values():
        standard = STANDARD_COLUMNS.get(model.table or "", {})
        for dim in model.dimensions.values():
            if dim.expr not in standard or dim.name in ALIASES:
                continue
            known = {str(v) for v in values.get(dim.name, [])}
            vocabulary_ = vocabulary(standard[dim.expr][1])
            names: dict[str, set[str]] = {}
            for spelling, canonical in vocabulary_.spellings.items():
                names.setdefault(canonical, set()).add(spelling)
            for canonical, label in vocabulary_.labels.items():
                names.setdefault(canonical, set()).update(str(v) for v in label.values())
            for canonical, phrases in names.items():
                if canonical not in known:
                    continue
                term = Term("value", dim.name, canonical, weight=2)
                vocab.add_all(
                    [p for p in phrases if not is_latin(p) or len(p) >= 3 or " " in p], term
                )
                # the two-letter canonical code itself ("sf vs yto": SF Express; jt) is the
                # value too, unless it spells an English word
                if len(canonical) == 2 and canonical.isalpha() and canonical not in STOPWORDS_EN:
                    vocab.add(canonical, term)


def both_values(
    found: Found, filters: list[Filter], leftover: list[str], paired: bool = False
) -> list[Filter]:
    """ "both A and B": the one filter naming several values of a dimension becomes "all of
    them" (on one order); with no such filter the word stays unplaced (refused). `paired`: a
    metric read already counts those who did both ("既收藏又加购的访客": fav and cart), said."""
    if "both" not in found.said:
        return filters
    if paired and not any(f.op == "in" and len(f.values) > 1 for f in filters):
        return filters
    several = [f for f in filters if f.op == "in" and len(f.values) > 1]
    if len(several) != 1:
        leftover.append("both")
        return filters
    f = several[0]
    return [Filter(f.dimension, "all", f.values) if x is f else x for x in filters]


def all_by_word(links: Any, filters: list[Filter], vocab: Any) -> list[Filter]:
    """ "既有家具又有床品的订单": of an "all of them" filter, the values one word names together
    (家具: every moveis_ category) are one condition — any of them on the order — not each of
    them: the word's values become one group (a tuple among the filter's values; the compiler's
    all_values_condition reads it as IN). Unchanged when every word names one value, or the
    words do not account for the values exactly."""
    out = []
    for f in filters:
        groups = values_by_word(links, f, vocab) if f.op == "all" else []
        if any(len(g) > 1 for g in groups):
            f = Filter(f.dimension, "all", tuple(g if len(g) > 1 else g[0] for g in groups))
        out.append(f)
    return out


def values_by_word(links: Any, f: Filter, vocab: Any) -> list[tuple[Any, ...]]:
    """The values of a filter as the words that named them: 家具 names every moveis_ category,
    so "买过家具又买过cama mesa banho" is two conditions (any furniture; that one category), not
    one per furniture category. A value the words do not account for alone (or a filter already
    grouped): each value its own condition."""
    if any(isinstance(v, tuple) for v in f.values):
        return [v if isinstance(v, tuple) else (v,) for v in f.values]
    out: list[tuple[Any, ...]] = []
    for m in links.mentions:
        if m.term.kind != "value" or m.term.target != f.dimension:
            continue
        terms = vocab.terms.get(m.phrase, [m.term]) if vocab is not None else [m.term]
        same = tuple(
            dict.fromkeys(t.value for t in terms if t.kind == "value" and t.target == f.dimension)
        )
        if same and set(same) <= set(f.values) and same not in out:
            out.append(same)
    named = [v for vs in out for v in vs]
    if sorted(map(str, named)) != sorted(map(str, f.values)) or len(out) < 2:
        return [(v,) for v in f.values]
    return out


# -- a value two dimensions share, and the dimension the question names -------------------------------


def named_dimension_values(links: Any, vocabulary: Vocabulary) -> Any:
    """ "sao paulo vs rio de janeiro sales (city)": a phrase that is a value of several dimensions
    (the state and the city of São Paulo) is the one of the dimension the question names; that
    dimension word is then spent on it, not a breakdown."""
    from dataclasses import replace as _replace

    _kind_character_values(links, vocabulary)
    dims = {m.term.target: m for m in links.mentions if m.term.kind == "dimension"}
    # "top 10 cities … excluding sao paulo", "revenue by city": the dimension is a breakdown
    broken = {
        m.term.target for m in dims.values() if _BREAKDOWN_BEFORE.search(links.text[: m.start])
    }
    broken |= {  # "cities", "how many cities": a count of the dimension's values, or its rows
        m.term.target
        for m in links.mentions
        if m.term.kind == "measure" and m.term.target not in dims
    }
    dims |= {m.term.target: m for m in links.mentions if m.term.target in broken}
    if not dims:
        return links
    mentions = list(links.mentions)
    spent: set[int] = set()
    for k, m in enumerate(mentions):
        if m.term.kind != "value" or m.term.target in dims:
            continue
        others = [
            t
            for t in vocabulary.terms.get(normalise(m.phrase), [])
            if t.kind == "value" and t.target in dims and t.target != m.term.target
        ]
        targets = {t.target for t in others}
        if len(targets) != 1:
            continue
        target = targets.pop()
        negated = _negated_value(links, m)
        kind = _KIND_AFTER.match(links.text[m.end : dims[target].start]) is not None
        if target in broken and not negated:
            # "revenue by city in sao paulo": each city of the state (a breakdown by city of
            # one city would be one row)
            continue
        mentions[k] = _replace(m, term=next(t for t in others if t.target == target))
        if target not in broken and (kind or not negated):
            spent.add(id(dims[target]))
        # else "… cities excluding sao paulo", "除了圣保罗以外 买家最多的5个城市": the city left
        # out of the cities ranked (the dimension word is still their breakdown)
    links.mentions = [m for m in mentions if id(m) not in spent]
    return links


# a dimension word said as a breakdown: "by city", "per city", "按城市", "各城市", "每个城市"
_BREAKDOWN_BEFORE = re.compile(r"(?:\b(?:by|per|each|every)\s+|按\s*|各\s*|每个?\s*|分\s*)$")
# a value left out: "excluding sao paulo", "except X", "not in X", "除了X", "X以外", "不含X"
_NEGATION_BEFORE = re.compile(
    r"(?:\b(?:excluding|except(?:\s+for)?|other\s+than|besides|not\s+in|outside(?:\s+of)?|"
    r"apart\s+from|without)\s+|除了?\s*|除去\s*|不含\s*|不包括\s*|排除\s*|去掉\s*|非\s*)$"
)
_NEGATION_AFTER = re.compile(r"^\s*(?:以外|之外|除外|外)")
# the dimension word right after the value names its kind: "sao paulo (city)", "圣保罗 城市"
_KIND_AFTER = re.compile(r"^[\s(（的]*$")


def _negated_value(links: Any, m: Any) -> bool:
    """The value said as left out: right after a word that excludes, or before 以外/之外."""
    return bool(
        _NEGATION_BEFORE.search(links.text[: m.start]) or _NEGATION_AFTER.match(links.text[m.end :])
    )


def _kind_character_values(links: Any, vocabulary: Vocabulary) -> None:
    """ "rio de janeiro 市 8月 销售额": one Chinese character left over right after a value that
    is also a value of another dimension, and that ends a two-character name of that dimension
    (市 of 城市), names the value's kind: the value of that dimension, the character placed."""
    from dataclasses import replace as _replace

    text = links.text
    for k, m in enumerate(links.mentions):
        if m.term.kind != "value":
            continue
        after = re.match(r"\s*([\u4e00-\u9fff])", text[m.end :])
        if after is None or after.group(1) not in links.leftover:
            continue
        c = after.group(1)
        others = {
            t.target: t
            for t in vocabulary.terms.get(normalise(m.phrase), [])
            if t.kind == "value" and t.target != m.term.target
        }
        named = [
            target
            for target in others
            if any(
                len(phrase) == 2
                and phrase.endswith(c)
                and any(t.kind == "dimension" and t.target == target for t in terms)
                for phrase, terms in vocabulary.terms.items()
            )
        ]
        if len(named) != 1:
            continue
        links.mentions[k] = _replace(m, term=others[named[0]])
        links.leftover.remove(c)


# verbs a value of a dimension is said with ("用顺丰发货": the carrier sent it)
VALUE_VERBS = {
    "carrier": ("发货", "发的货", "发出去", "发出", "发的", "寄出去", "寄的", "寄出", "寄", "发"),
    "payment_channel": ("付款", "支付", "付"),  # 拿voucher(代金券)付的: paid with it
}


# what may follow a value's verb in one leftover word ("voucher付过钱的": paid with it)
VERB_ENDINGS = ("的", "过", "了", "过的", "过钱", "过款", "了钱", "款")
# a verb right before a value ("走顺丰的订单": sent with SF)
VALUE_VERBS_BEFORE = {"carrier": ("走", "用"), "payment_channel": ("走",)}  # 走支付宝: paid with it


def spend_value_verbs(links: Any) -> None:
    """A verb right after a value of its dimension is part of it ("顺丰发货的订单"), or right
    before it ("走顺丰的订单", "有几单走的顺丰": 的 between them says the same)."""
    text = links.text
    for m in links.of("value"):
        before = re.sub(r"\s*的$", "", text[: m.start].rstrip())
        verb = next(
            (v for v in VALUE_VERBS_BEFORE.get(m.term.target, ()) if before.endswith(v)), None
        )
        if verb is not None and verb in links.leftover:
            links.leftover.remove(verb)
        verbs = VALUE_VERBS.get(m.term.target, ())
        after = text[m.end :].lstrip(" )）")  # "voucher(代金券)付的": the value said twice
        # every verb said there, longest first ("顺丰发的": 发的, or 发 when the words were cut so)
        for verb in (v for v in verbs if after.startswith(v)):
            word = next(
                (
                    w
                    for w in links.leftover
                    if w.startswith(verb) and (w == verb or w[len(verb) :] in VERB_ENDINGS)
                ),
                None,
            )
            if word is not None:
                links.leftover.remove(word)
                break


_WITH_A = re.compile(
    r"(?:\bwith|\bcontaining|\bcontained|\bhaving|\bthat had|\bthat have|有|含有|含|包含)\s*(?:an?|any|one)?\s*$"
)


_OF_THE = re.compile(r"\b(?:of|from)\s+(?:the\s+|all\s+)?$")


def line_items(links: Any, numeric: Found, catalog: Any, text: str) -> None:
    """ "orders with an item priced over R$1000", "含单价超过1000的商品的订单": the product word
    is the line the condition is about, not a breakdown by product. `text`: what was linked,
    before its spaces were collapsed."""
    lines = [
        (_collapsed(text, a), _collapsed(text, b))  # where they are in links.text
        for a, b, name in numeric.spans
        if catalog.thresholds[name].entity == "line"
    ]
    if not lines:
        return
    keep, verbs = [], []
    for m in links.mentions:
        qualifies = m.term.kind == "dimension" and m.term.target in ("product", "sku")
        said = [
            _WITH_A.search(links.text[: m.start if 0 <= a - m.end <= 1 else a])
            for a, b in lines
            if 0 <= a - m.end <= 1 or 0 <= m.start - b <= 2
        ]
        verb = next((v for v in said if v), None)
        if verb is None and any(0 <= a - m.end <= 1 for a, _ in lines):
            # "units sold of items priced above £10", "revenue from products priced over 100":
            # the lines the condition keeps, said after of / from a metric, not a breakdown
            verb = _OF_THE.search(links.text[: m.start])
            measured = any(o.term.kind == "metric" and o.end <= m.start for o in links.mentions)
            if verb is not None and measured and m.term.target in ("product", "sku"):
                qualifies = qualifies or m.term.kind == "measure"
        if qualifies and verb is not None:
            verbs.append(verb.group(0).strip())
            continue
        keep.append(m)
    links.mentions = keep
    links.leftover = [w for w in links.leftover if not any(w in v for v in verbs)]


def _collapsed(text: str, p: int) -> int:
    """Position `p` of `text` once its runs of spaces are one space (as linking normalises)."""
    prefix = text[:p]
    n = len(" ".join(prefix.split()))
    return n + 1 if prefix.strip() and prefix[-1].isspace() else n
