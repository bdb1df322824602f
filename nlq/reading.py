"""Reading a question: the time range, top-N, modifiers, metrics, dimensions and values it names
(`parse`), and how a semantic query is said back to the user (`describe`, close questions).

The lower layer of the offline engine: `offline.understand`, the people sets (`people`), the
comparisons (`comparisons`) and the shared path (`pipeline`) import it; it imports none of them."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

from shopql.catalog.semantic import Filter, SemanticQuery, TimeRange
from shopql.nlq import valuewords
from shopql.nlq.families import (
    read_duration_events,
    read_families,
    read_per_entity,
    read_since_today,
    read_threshold_duration,
    unit_noun,
)
from shopql.nlq.lexicon import ISSUE_VERBS, SUGGESTIONS, WHICH_WAY
from shopql.nlq.linking import (  # noqa: F401 (PRODUCT_DIMS re-exported)
    PRODUCT_DIMS,
    Links,
    Mention,
    Term,
    has_chinese,
    is_latin,
    link,
    normalise,
)
from shopql.nlq.periods import ONE_BEFORE_LAST
from shopql.nlq.phrases import asks_for_one, blank, find_time, find_top_n
from shopql.nlq.shared import NoData, NotUnderstood  # noqa: F401 (NoData re-exported)

# Excluding these is about what a buyer did NOT buy (a set difference), not a row filter.
LINE_DIMS = ("product_title", "product", "category", "brand", "outer_code")


DEFAULT_TOP = 10


@dataclass
class Parsed:
    """The pieces found in one question, before they become a SemanticQuery."""

    links: Links
    time: TimeRange | None
    top_n: int | None
    modifiers: dict[str, Any]
    metrics: list[str]
    dimensions: list[str]
    filters: list[Filter]
    excluded: list[Filter]
    two_periods: str | None = None  # "2018 vs 2017": the comparison the two ranges imply
    # "sellers with more than 100 orders": conditions on a count per group (HAVING); their
    # words stay in links.leftover until a breakdown places them (offline._with_having)
    having: list[tuple[Filter, str, Filter | None]] | None = None
    # "2017年3月和6月比": the earlier of two periods neither just before the other nor a year
    # before it (two_periods is then "not comparable"; `time` is the later)
    apart: TimeRange | None = None
    # (count metric, threshold): "average review score of orders above R$500" — the orders
    # are the rows the condition keeps, not a count asked beside the score
    condition_rows: list[tuple[str, str]] = field(default_factory=list)
    # where the period was said (its start in links.text): "… but never on jd this year"
    time_at: int | None = None
    # two periods apart with one total asked of them ("1月和5月加起来", "去年双十二和今年618
    # 加起来"): `apart` (the earlier) and `time` (the later), each period's figure added
    added: bool = False
    # two periods said: the words before the first, between the two and after the second, and
    # whether the first said is the later ("9月比10月多了多少单": the earlier is the subject)
    periods_said: tuple[str, str, str, bool] | None = None


# "单笔过千的订单", "金额破万的单", "过千的订单": over a round thousand (ten thousand), said as a
# word; 单笔 (a single order) before it says the amount is each order's own
_OVER_ROUND = re.compile(r"(单笔|单单|每单|每笔)?(?:超过|过|破)(千|万)(?![\d千万元块件个单人次条])")


# the orders delivered said as reaching the buyers ("orders that reached buyers in August", "got to
# the customers", "made it to the shoppers' hands"; C, session 44): arrived, the delivery time's
# own word; never "reached 100 orders" (no people said after it)
_REACHED_BUYERS = re.compile(
    r"\b(?:reached|got\s+to|made\s+it\s+to)\s+(?:the\s+|their\s+)?"
    r"(?:buyers?|customers?|shoppers?|clients?|recipients?)(?:'s?)?(?:\s+hands)?(?![\w'])"
)


def _over_round(m: re.Match[str]) -> str:
    amount = "1000" if m.group(2) == "千" else "10000"
    return ("单笔金额" if m.group(1) else "") + "超过" + amount + "元"


# "退款金额是销售额的百分之几", "运费相当于销售额的几成": the share of the one in the other (占)
_IS_SHARE_OF = re.compile(
    r"(?:是|相当于|等于)(?=[^，。,?？是]{1,12}?的\s*(?:百分之几|百分之多少|几成|多少比例|百分比|比例|几个点|多少%))"
)
# "前10个卖家拿走了多少比例", "头部品类吃掉了几成": a verb of taking a part, said before the share
# asked, is the share's own verb (占); the verb alone (拿走了多少钱) is left unplaced
_TAKES_SHARE = re.compile(
    r"(?:拿走|拿下|拿到|拿了|分走|分去|分得|分到|吃下|抢走|揽走|揽下|包揽)(?:了)?"
    r"(?=\s*(?:总|全部|整体)?\s*(?:的)?\s*(?:销售额|收入|营收|金额|订单|单量)?\s*(?:的)?\s*"
    r"(?:百分之几|百分之多少|几成|多少比例|多大比例|多少比重|多大比重|多少份额|多大份额|多少占比|几个点|多少%))"
)
_COMPARED_PERIODS = re.compile(r"\bvs\.?\b|\bversus\b|\bcompared (?:with|to)\b|比|对比")


# "revenue change from Q2 2017 to Q2 2018", "sales growth from july to august": the later period
# compared with the earlier one (was: one span from the first to the last, or against the two
# periods before it), said as the comparison "Q2 2018 vs Q2 2017"
_CHANGE_FROM_TO = re.compile(
    r"\b(?P<word>change|changes|growth|grew|increase|increased|decrease|decreased|decline|"
    r"declined|rise|rose|fall|fell|drop|dropped|difference|diff|delta)\s+from\s+(?P<a>.+?)"
    r"\s+(?:to|until|till)\s+(?P<b>.+?)(?=\s*(?:$|[,;?.!]))"
)


def _change_from_to(text: str, today: dt.date) -> str:
    m = _CHANGE_FROM_TO.search(text)
    if m is None:
        return text
    sides = []
    for side in (m.group("a"), m.group("b")):
        tr, found, _rest = find_time(side, today)
        if tr is None or found is None or found.start != 0 or found.end != len(side):
            return text  # each side must be one period, said whole
        sides.append(tr)
    (a, b) = sides
    if a.start is None or a.end is None or b.start is None or b.end is None:
        return text
    if a.end > b.start or abs((a.end - a.start).days - (b.end - b.start).days) > 3:
        return text  # the earlier first, periods of one length (a month, a quarter, a year)
    said = f"{m.group('word')} {m.group('b')} vs {m.group('a')}"
    return text[: m.start()] + said + text[m.end() :]


# "8月上半月 vs 下半月", "上个月上旬和下旬比": the month said once is both parts' month
_MONTH_OF_PART = r"(?:\d{2,4}\s*年\s*)?\d{1,2}\s*月份?|上上个?月|上个?月|本月|这个?月|当月"
_PART_OF_MONTH = r"(?:[前上后下]半(?:个)?月|[上中下]旬)(?![份度])"
_BARE_MONTH_PART = re.compile(
    rf"(?<![\d月])(?P<month>{_MONTH_OF_PART})(?P<part>\s*的?\s*{_PART_OF_MONTH})"
    rf"(?P<joined>\s*(?:vs\.?|versus|和|与|跟|对比|相比|比)\s*(?:的)?\s*)(?=(?P<other>{_PART_OF_MONTH}))"
)


def _month_said_once(text: str) -> str:
    """ "8月上半月 vs 下半月": the second part borrows the first's month ("8月下半月")."""
    return _BARE_MONTH_PART.sub(lambda m: f"{m.group(0)}{m.group('month')}", text)


# a space typed inside a Chinese phrase ("上个月 平均一件 卖多少钱"): the characters either side
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")


def _spaced_words(links: Links, text: str, question: str, ws: Any) -> tuple[Links, str]:
    """Chinese words left unplaced where the question put spaces between Chinese characters
    ("上个月 平均一件 卖多少钱 (件单价)": 平均一件 and 卖多少钱 are one phrase, 件单价) are read with
    those spaces dropped, when that places some of them and leaves nothing new unplaced."""
    left = [w for w in links.leftover if not is_latin(w)]
    if not left or not _CJK_SPACE.search(text):
        return links, text
    joined = _CJK_SPACE.sub("", text)
    again = link(joined, ws.vocabulary, fuzzy_values=ws.fuzzy, written=question)
    if set(again.leftover) < set(links.leftover) and len(again.leftover) < len(links.leftover):
        return again, joined
    return links, text


# 数量 and its like: how many, said after what is counted ("每个月的C单数量", "卖家 数量")
NUMBER_OF = {"数量", "数目", "个数", "张数", "单数"}
# the Chinese word right before 数量 (spaces or 的 between)
_WORD_BEFORE_COUNT = re.compile(r"([\u4e00-\u9fff]{1,4}?)的?[\s的]*$")
# a breakdown or a pick said before the word: 每个商品的数量, 各卖家 数量, 哪个卖家 数量 (the
# pieces of each one, not how many there are)
_EACH_BEFORE = re.compile(r"(?:[每各按分哪个]|\bby|\beach|\bper)\s*$")


def _count_said_apart(links: Links, ws: Any) -> None:
    """ "今年 卖家 数量", "RJ 客户 的 数量", "SP州 的 卖家 的 数量": a word and 数量 (the pieces,
    as a word of its own) said apart by spaces or 的 are the count the catalog names by the two said
    together (卖家数量: the sellers; 客户数量: the customers), as when typed together — not the
    pieces sold beside a breakdown by the word. Only when the word is read whole by the
    question's mentions; not after 每 / 各 / 哪个 (每个商品的数量: each one's pieces)."""
    from shopql.nlq import languages

    text = links.text
    for m in list(links.mentions):
        if m.term.kind not in ("metric", "measure") or m.phrase not in NUMBER_OF:
            continue
        found = _WORD_BEFORE_COUNT.search(text[: m.start])
        if found is None or found.end(0) == found.end(1) == m.start:
            continue  # said together: the catalog's own phrase, linked as it is
        for start in range(found.start(1), found.end(1) - 1):
            head = text[start : found.end(1)]
            inside = [x for x in links.mentions if x.start >= start and x.end <= found.end(1)]
            if sum(x.end - x.start for x in inside) != len(head) or _EACH_BEFORE.search(
                text[:start]
            ):
                continue
            joined, _ = languages.read(head + m.phrase, languages.readings_of(ws))
            terms = ws.vocabulary.terms.get(normalise(joined)) or []
            targets = {t.target for t in terms if t.kind == "metric"} - {m.term.target}
            if len(targets) != 1:
                continue
            said = Mention(text[start : m.end], start, m.end, Term("metric", targets.pop()))
            links.mentions = [said if x is m else x for x in links.mentions if x not in inside]
            break


# a space typed between a Chinese word and a Latin one ("有货的 SKU"): the catalog's phrases that
# hold both scripts (有货的sku, 有库存的sku) are written without it. Joined while linking, not only
# once refused as nlq/answer.py _CJK_SPACE does: "东莞仓 有库存的 SKU 有多少" is answered as typed
# (a list of SKUs), so a re-reading after a refusal would never reach it
_MIXED_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[A-Za-z])|(?<=[A-Za-z]) +(?=[\u4e00-\u9fff])")
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_CJK_SPACED = re.compile(r"(?<=[\u4e00-\u9fff]) +|(?<=[A-Za-z]) +(?=[\u4e00-\u9fff])")
_LATIN_CHAR = re.compile(r"[A-Za-z]")


def _mixed_words(links: Links, text: str, question: str, ws: Any) -> tuple[Links, str]:
    """ "东莞仓 有货的 SKU 几个": a catalog phrase of both scripts said with a space between them
    (有货的sku, the seller codes in stock) is read with that space dropped, when that finds such a
    phrase across a dropped space and leaves no new word unplaced."""
    if not _MIXED_SPACE.search(text):
        return links, text
    before = {m.phrase for m in links.mentions}
    # the space at the change of script; then every space beside a Chinese word too ("有货 的 SKU")
    for joined in dict.fromkeys((_MIXED_SPACE.sub("", text), _CJK_SPACED.sub("", text))):
        again = link(joined, ws.vocabulary, fuzzy_values=ws.fuzzy, written=question)
        found = [
            m
            for m in again.mentions
            if m.term.kind in ("metric", "dimension")
            and _CJK_CHAR.search(m.phrase)
            and _LATIN_CHAR.search(m.phrase)
            and m.phrase not in before
        ]
        if found and set(again.leftover) <= set(links.leftover):
            return again, joined
    return links, text


# "订单 增长 最快 的 月份", "销售额 涨 得 最多": a change and its superlative said with spaces
# between are the one phrase (增长最快: the largest rate), not a change and 最快 (the lowest)
_GROWTH_SAID_APART = re.compile(
    r"(增长|增速|增幅|涨幅|跌幅|降幅|下降|下滑|减少|增加|涨|跌|降)(?:\s+(得)\s*|\s*(得)\s+|\s+)(?=最)"
)


def _said_together(m: re.Match[str]) -> str:
    return m.group(1) + (m.group(2) or m.group(3) or "")


# "november revenue net of refunds": the net revenue (the metric said before its 'net of')
_NET_OF_SAID = re.compile(
    r"\b(revenue|sales|turnover|income|gmv)\s+net\s+of\s+(?:all\s+|the\s+)?(?:cancell?ations?"
    r"|refunds?|returns?|credit notes?|c invoices?)\b"
)


def _net_kept(m: re.Match[str]) -> str:
    """The words saying what net is net of, blanked; a 'net' among them stays ("net of refunds"
    said after no metric is still net, never dropped with them)."""
    said = m.group(0)
    return "net" + " " * (len(said) - 3) if said.startswith("net ") else " " * len(said)


# "orders in each of the last 3 months": one row per month of the period, not its one total
# (the each-word names the period's buckets: by month in the last 3 months); "for each of the last
# 3 full months" too (was: the period's one total per platform, the 'full' broke the each-word)
_EACH_OF_LAST = re.compile(
    r"\b(?:(?:in|for|during|over)\s+)?(?:each|every\s+one)\s+of\s+the\s+"
    r"((?:last|past|previous|recent)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|twelve)"
    r"\s+(?:(?:full|whole|complete|calendar)\s+)?)(day|week|month|quarter|year)s\b"
)

# "最近三个月的订单分别是多少", "近两周的销售额各是多少": 分别/各 after a period of several months
# (weeks …) with nothing else listed is each of them (每个月), not the period's one total
# (a metric word only between: "近7天京东天猫销售额分别" is each platform, not each day)
_EACH_OF_RECENT = re.compile(
    r"((?:最近|近|过去)(?:的)?(?:\d+|[两三四五六七八九十]+)\s*个?\s*(月|周|星期|礼拜|季度|年))"
    r"((?:里|内|中)?的?[^和与跟同及或、,，;；/&+各每按\s]{0,5}?)(?=(?:分别|各)(?:是|有|为|卖|多少|几))"
)
_EACH_UNIT = {"月": "每个月", "季度": "每个季度", "年": "每年"}


def _each_of_recent(m: re.Match[str]) -> str:
    return f"{m.group(1)}{_EACH_UNIT.get(m.group(2), '每周')}{m.group(3)}"


# "1月到3月分别卖了多少", "今年 头 两个月 分别 多少单", "前三个季度各卖了多少", "上个月 最后 三天 分别 下了
# 多少单": 分别/各 right after a span of months (quarters, days) named by its ends or its count is each
# month (quarter, day) of it, as above
_EACH_OF_SPAN = re.compile(
    r"(\d{1,2}\s*月份?\s*(?:到|至|-|~|—|－)\s*\d{1,2}\s*月份?"
    r"|(?:头|前)\s*(?:\d+|[两三四五六七八九十]+)\s*个\s*(?:月|季度)|(?<=年)\s*(?:四|4)\s*个\s*季度"
    r"|(?:头|前|最后)\s*(?:\d+|[两三四五六七八九十]+)\s*天)"
    r"(\s*(?:里|内|中)?\s*的?\s*(?:(?:订单|订单数|单数|销售额|营业额|成交额|销量|件数|GMV)\s*)?)"
    r"(?=(?:分别|各)\s*(?:是|有|为|卖|买|下|多少|几))"
)


# "今年Q1到Q4 各有多少客户", "2011年一季度到三季度分别卖了多少": 各 / 分别 after a span of quarters
# of a year said by its ends is each quarter of it (was: the two end quarters side by side, Q1 vs
# Q4); Q1 to Q4 of this year is the year to date, quarter by quarter
_Q = r"(?:[qQ]\s*([1-4])|第?\s*([一二三四1-4])\s*季度)"
_EACH_OF_QUARTERS = re.compile(
    r"(?P<year>今年|本年|去年|\d{4}\s*年)\s*的?\s*"
    + _Q
    + r"\s*(?:到|至|-|~|—|－)\s*"
    + _Q
    + r"(?P<rest>\s*(?:里|内|中)?\s*的?\s*)(?=(?:分别|各)\s*(?:是|有|为|卖|买|下|多少|几|自))"
)
_QUARTER_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _each_of_quarters(m: re.Match[str]) -> str:
    a = _QUARTER_NUMBER[m.group(2) or m.group(3)]
    b = _QUARTER_NUMBER[m.group(4) or m.group(5)]
    if a > b:
        return m.group(0)
    year = m.group("year")
    if (a, b) == (1, 4):
        return f"{year}每个季度{m.group('rest')}"
    return f"{year}{3 * a - 2}月到{3 * b}月每个季度{m.group('rest')}"


def _each_of_span(m: re.Match[str]) -> str:
    if re.fullmatch(
        r"\s*(?:四|4)\s*个\s*季度", m.group(1)
    ):  # "2017年四个季度分别": each quarter of the year
        return f"每个季度{m.group(2)}"
    each = {"度": "每个季度", "天": "每天"}.get(m.group(1)[-1], "每个月")
    return f"{m.group(1)}{each}{m.group(2)}"


def _base_period_said_again(text: str, start: int, end: int) -> str:
    """ "上季度比前一季度增长最快的品类（前一季度至少5万）": the bracketed bound's period repeats, word
    for word, the period compared with (after 比 / vs): not a third period — its words are left to
    the bound (offline._having_in_a_period reads them as the period compared with)."""
    opened = max(text.rfind("(", 0, start), text.rfind("（", 0, start))
    if opened < 0:
        return text
    said = text[opened + 1 : start].strip()
    if not said or not re.fullmatch(r"[^\s()（）]+(?:\s[^\s()（）]+)?", said):
        return text
    head = text[:opened]
    if not re.search(rf"(?:比|对比|相比|\bvs\.?|\bversus)\s*{re.escape(said)}", head):
        return text
    at = text.index(said, opened + 1)
    return blank(text, at, at + len(said))


# "去年同期二季度的买家数", "去年同期 3月": 同期 said before the period it names is that period of
# the year said (去年二季度), not a comparison with it — a period word must follow right after
_SAME_PERIOD_BEFORE_PART = re.compile(
    r"(?P<year>去年|上年|前年|上一年)\s*同期\s*的?\s*(?=(?:第?[一二三四1-4]\s*季度|[qQ][1-4]\b|"
    r"[上下]半年|[一二三四五六七八九十]{1,3}\s*月|\d{1,2}\s*月(?!\s*\d{1,2}\s*[日号])))"
)


def parse(question: str, ws: Any) -> Parsed:
    """Find the time range, top-N, modifiers, metrics, dimensions and values in `question`."""
    text = _one_exclusion(_said_unit(_month_said_once(normalise(question))))
    text = _SAME_PERIOD_BEFORE_PART.sub(lambda m: m.group("year"), text)  # 去年同期二季度
    text = _EACH_OF_LAST.sub(r"by \2 in the \1\2s", text)  # "in each of the last 3 months"
    text = _EACH_OF_RECENT.sub(_each_of_recent, text)  # "最近三个月的订单分别是多少"
    text = _EACH_OF_QUARTERS.sub(_each_of_quarters, text)  # "今年Q1到Q4 各有多少客户"
    text = _EACH_OF_SPAN.sub(_each_of_span, text)  # "1月到3月分别卖了多少"
    text = _GROWTH_SAID_APART.sub(_said_together, text)  # "涨 得 最快": 涨得最快
    text = _BRAND_NEW.sub(lambda m: " " * 6 + m.group(0)[6:], text)  # "brand new": new
    text = _REACHED_BUYERS.sub("arrived", text)  # "orders that reached buyers in August"
    text = _change_from_to(text, ws.today)  # "revenue change from q2 2017 to q2 2018"
    text = _PERCENT_OF.sub(" share of", text)  # "top 10 customers % of 2011 sales"
    text = _IS_SHARE_OF.sub(lambda m: "占" + " " * (len(m.group(0)) - 1), text)  # 是销售额的几成
    text = _TAKES_SHARE.sub(lambda m: "占" + " " * (len(m.group(0)) - 1), text)  # 拿走了多少比例
    if _NET.search(text):  # "2011 net sales after cancellations": what net means, said again
        text = _NET_OF_SAID.sub(lambda m: f"net {m.group(1)}", text)  # "revenue net of refunds"
        text = _AFTER_REFUNDS.sub(_net_kept, text)
    text = _META_WORD.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)  # "the word heart"
    text = _PAID_THE_MOST.sub(lambda m: " " * len(m.group(0)), text)  # "paid the most freight"
    text = _OVER_ROUND.sub(_over_round, text)  # "单笔过千的订单": orders over 1000
    from shopql.nlq import thresholds  # "评分低于3", "orders over R$500": filters, words blanked

    # "(Q2 at least £1000)" in a comparison: of the ranked metric in Q2, not each order's amount
    first = thresholds.bracketed_base(text) if _COMPARED_PERIODS.search(text) else None
    if first is not None:
        text = blank(text, first[2], first[3])
        text = _base_period_said_again(text, first[2], first[3])
    numeric = thresholds.find(text, ws)
    conditions_said = [text[a:b] for a, b, _ in numeric.spans]  # the words, before blanking
    text = numeric.text
    base = first or thresholds.bare_base(text)  # "(min 20k in jul)": of the ranked metric, in jul
    if base is not None:
        numeric.groups.append((base[0], base[1], None))
        text = blank(text, base[2], base[3])
    hours, text = thresholds.find_hours(text, ws.catalog)  # "晚上8点到12点": hours of the day
    if hours is not None:
        numeric.filters.append(hours)
    text = read_since_today(text, ws.catalog)  # "最后一次购买到今天": not the period 今天
    shielded = _shield_compare(text, ws)
    from shopql.nlq.phrases import festivals_read

    # "christmas" in Online Retail's titles is a product word, not 25 December — each festival
    # said ("买过 CHRISTMAS 又买过 HALLOWEEN 东西": both are goods)
    festivals = festivals_read(ws, shielded)
    _refuse_part_after_since(shielded, ws.today, festivals)  # "去年以来下半年"
    time, found, rest = find_time(shielded, ws.today, festivals)
    implied = None
    apart: TimeRange | None = None
    periods_said: tuple[str, str, str, bool] | None = None
    if found:
        text = blank(text, found.start, found.end)
        other, second, _rest = find_time(rest, ws.today, festivals)
        if _restated(time, other) and second is not None:
            # "Q2比去年Q2 … (去年Q2至少200单)": the period said again last is a condition's, and
            # the pair compared is the one said first with the period said before it (Q2)
            third, found3, rest3 = find_time(_rest, ws.today, festivals)
            if (
                third is not None
                and found3 is not None
                and found3.start < found.start < second.start
                and not _restated(time, third)
                and _compared_to(shielded, found3, found)
            ):
                text = blank(text, second.start, second.end)
                other, second, _rest = third, found3, rest3
        ranged = _date_range(shielded, time, found, other, second)  # "11月5日到11月11日"
        if ranged is not None:
            time, end = ranged
            text = blank(text, found.start, end)
        elif (
            _restated(time, other) and second is not None
        ):  # "双11那周 (11.5-11.11)": the same days
            _refuse_nested_compared(shielded, found, second, time, other, ws, festivals)
            text = blank(text, second.start, second.end)
        elif second is not None and _that_same_month(shielded, other, second, found):
            text = blank(text, found.start, found.end)  # "10月的销售额里当月新客": 10月's
            time = other
            text = blank(text, second.start, second.end)
        elif second is not None and _that_same_month(shielded, time, found, second):
            text = blank(text, second.start, second.end)  # "上个月的销售额…来自当月新客"
        elif time is not None and other is not None and second is not None:
            _refuse_periods_of_two_events(
                shielded, found, second, ws
            )  # placed in may, delivered in june
            text = blank(text, second.start, second.end)
            said_first = time
            time, implied = _two_periods(time, other)
            if implied is None:  # one period inside the other, compared with it: not the inner
                _refuse_nested_compared(shielded, found, second, said_first, other, ws, festivals)
            if implied == "not comparable":  # "in 2010 in november": that year's November
                time, implied = _year_and_part(shielded, said_first, found, other, second, implied)
            if implied in (None, "not comparable"):  # "2011年至今 复活节那一周": the year to
                year_to_date = _year_to_date_of_part(  # date holds the festival
                    shielded, (said_first, found), (other, second), ws.today, time, implied
                )
                if year_to_date is not None:
                    text = blank(text, *year_to_date)
            same = None
            if implied == "not comparable":  # "今年双十一比去年": 去年 is last year's 双十一
                if found.start < second.start and _compared_to(shielded, found, second):
                    same = _same_part_of(said_first, found.text, other, second.text, ws, festivals)
                    if same is not None:
                        said_first, other = same
                elif second.start < found.start and _compared_to(shielded, second, found):
                    same = _same_part_of(other, second.text, said_first, found.text, ws, festivals)
                    if same is not None:
                        other, said_first = same
            if same is not None:
                time, implied = _two_periods(said_first, other)
            years = (bool(_YEAR_SAID.search(found.text)), bool(_YEAR_SAID.search(second.text)))
            if (
                implied == "previous_period"
                and years == (True, False)
                and found.start < second.start
                and _PART_OF_YEAR.match(second.text)
                and _in_year_of(other, said_first) is not other
            ):  # "2017年 下半年 订单 是 上半年 的 几倍": the year said first is both halves' —
                # 2017's first half, not 2018's (the latest, which happens to follow 2017's second)
                other = _in_year_of(other, said_first)
                time, implied = _two_periods(said_first, other)
            if (
                implied == "not comparable"
                and years in ((True, False), (False, True))
                and not _year_said_ahead_of_later(found, second, years)
                and not _RELATIVE_BARE.search((second if years[0] else found).text)
            ):
                # "2017年3月和6月比", "Q1 vs Q3 2017": the year said once is both periods'
                if years[0]:
                    other = _in_year_of(other, said_first)
                else:
                    said_first = _in_year_of(said_first, other)
                time, implied = _two_periods(said_first, other)
            if implied == "not comparable":  # two periods apart ("2017年3月和6月"): the earlier
                apart = other if time is said_first else said_first
            periods_said = _periods_said(shielded, found, second, said_first, other)
            if implied is None and time is not None:  # "18年Q2比Q1": the year said once
                third, found3, _ = find_time(_rest, ws.today, festivals)
                if third is not None and found3 is not None and _YEAR_SAID.search(found3.text):
                    last = found if found.start > second.start else second
                    if found3.start < last.start or not _compared_to(shielded, last, found3):
                        third = None  # a bare year said first, or not compared: no ellipsis
                    # "双十一 今年比去年": the part said with its year, then a bare year
                    said = f"{found.text} {second.text}"
                    pair = (
                        None
                        if third is None
                        else _same_part_of(time, said, third, found3.text, ws, festivals)
                    )
                    third = pair[1] if pair is not None else None
                elif third is not None:
                    third = _in_year_of(third, time)
                if third is not None and found3 is not None:
                    merged, implied3 = _two_periods(time, third)
                    if implied3 == "not comparable":  # "18年Q1和Q3": the earlier of the two
                        apart = third if merged is time else time
                    if implied3 is not None:
                        # "9月比10月多了多少单 今年": the period the year joined is said nearest
                        # the third ("9月"), not where the year is
                        near = min((found, second), key=lambda f: abs(f.start - found3.start))
                        periods_said = _periods_said(shielded, near, found3, time, third)
                        time, implied = merged, implied3
                        text = blank(text, found3.start, found3.end)
            text = re.sub(r"-+>|→", " ", text)  # "Q1 -> Q2": from one period to the other
    if time is not None and (implied in ("previous_period", "year_over_year", "not comparable")):
        time, implied, apart = _periods_together(shielded, time, implied, apart)
    if implied is None:  # "this quarter so far", "2011年Q4到目前为止": up to today
        from shopql.nlq.periods import said_to_date

        time, text = said_to_date(text, time, ws.today)
    elif implied in ("previous_period", "year_over_year") and time is not None:
        uncut = time
        time, text = _compared_to_date(text, time, ws.today)  # "上半年 vs 下半年到现在"
        # "比上季度同期": the same days, like for like
        like = _SAME_DAYS_SAID.search(question.lower()) is not None
        if like and _HALF_WORDS.search(time.label) and "同期" not in time.label:
            # the same days asked: said in the label the comparison reads (a half to date is
            # otherwise compared with the whole half before, catalog/timephrase.previous_range)
            unchanged = time is uncut
            running = time.label.endswith(" (to date)")
            label = (
                time.label.removesuffix(" (to date)") + " 同期" + (" (to date)" if running else "")
            )
            time = replace(time, label=label)
            uncut = time if unchanged else uncut
        if time is not uncut and implied == "previous_period" and apart is None and not like:
            time, implied, apart = _to_now_against_whole(uncut, time)
        elif time is uncut and implied == "previous_period" and apart is None and not like:
            time, implied, apart = _listed_to_now(shielded, text, time, ws.today, festivals)
    if implied in ("previous_period", "year_over_year", "not comparable"):
        _refuse_third_compared(text, time, ws, festivals)  # "… 和上个月对比": a second comparison
    text = _dates_restated(text, time)  # "5月最后一周 (25到31号)": the period's days again
    text = _that_period_restated(text)  # "哪天卖得最多 那天卖了多少钱": the day ranked first
    text = _EVENTUALLY.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)  # 有几成最后下单了
    top_n, from_bottom, text = find_top_n(text)
    events_read = read_duration_events(text, ws.catalog)  # "平均多少天送到": the delivery time
    if events_read == text:  # "付款以后超过3天才发货的单 平均几天": the threshold's own duration
        events_read = read_threshold_duration(text, numeric.filters, ws.catalog)
    text = events_read
    text = _one_order_pieces(text)  # "一单最多买了几件": the most pieces in one order
    text = _BARE_SALES.sub("销售额", text)  # "11月比10月销售增长率": the sales' growth
    text = _demonym_rows(text)  # "french invoices", "dutch sales": the country's, not a title word
    text = _COUNTRY_INITIALS.sub(_countries_by_initial, text)  # "法德两国": 法国和德国
    text = _money_in_its_currency(text, ws)  # "花了多少镑": 多少钱, in the warehouse's pounds
    text = _PER_SAID_FIRST.sub(r"\2 per \1", text)  # "per customer spend": spend per customer
    text = _refunds_completed(text)  # "refunds that went through", "退款成功的订单"
    text = _styles_as_products(text)  # "卖过的款有几个", "按款式": the products
    text = _SAID_TWICE.sub(_said_once, text)  # "上午开的票多还是下午开的票多": 上午还是下午开的票多
    text = _shared_noun(text, ws.vocabulary)  # "womens vs mens clothing": womens clothing
    links = link(text, ws.vocabulary, fuzzy_values=ws.fuzzy, written=question)
    _is_or_not_asked(links)  # "是不是比RJ多": a yes-or-no question, no value left out
    links, text = _spaced_words(links, text, question, ws)  # "平均一件 卖多少钱": 平均一件卖多少钱
    links, text = _mixed_words(links, text, question, ws)  # "有货的 SKU": 有货的sku
    _count_said_apart(links, ws)  # "今年 卖家 数量": 卖家数量, the sellers
    from shopql.nlq.behaviour import bought_among

    bought_among(links, ws.catalog)  # "浏览过的人里 多少比例 下单了": the visitors who bought
    links = valuewords.resolve(links, ws.catalog)  # "paid sales", "paid with boleto", "A or B"
    links = valuewords.one_dimension_pairs(links, ws.vocabulary)  # "重庆和成都": two cities
    # "除了英国以外的国家", "CHRISTMAS 商品占销量的比例": the dimension word names the filter's rows
    links = valuewords.no_breakdown_words(links, ws.catalog, top_n is not None)
    _family_of_a_word(links)  # "the retrospot range", "heart系列": the titles with the word
    links = thresholds.named_dimension_values(links, ws.vocabulary)  # "sao paulo (city)"
    thresholds.spend_value_verbs(links)  # "用顺丰发货"
    thresholds.line_items(links, numeric, ws.catalog, text)  # "orders with an item over R$1k"
    from shopql.nlq import timebasis  # "orders paid last month": counted by payment time

    links = timebasis.resolve(links, ws.catalog, time is not None)
    # "8月实付不到50块的单": the orders paid then
    links = timebasis.paid_amount_basis(
        links, numeric, conditions_said, ws.catalog, time is not None
    )
    links = timebasis.sold_count_basis(links, ws.catalog)  # "卖了几单": the orders paid then
    # "今年寄出后拖了20天以上才签收的包裹数": the orders shipped then
    links = timebasis.duration_start_basis(
        links, numeric, conditions_said, ws.catalog, time is not None
    )
    modifiers: dict[str, Any] = {"bottom": True} if from_bottom else {}
    for m in links.of("modifier"):
        modifiers.setdefault(m.term.target, m.term.value if m.term.value is not None else True)
    _new_beside_returning(links, modifiers)
    _new_said_of_buyers(links, ws.catalog, time is not None)  # "last month's buyers were new"
    _tag_said_of_sellers(links, ws.catalog)
    _kind_restated_among(links)
    _change_between_periods(links, modifiers, implied)
    if modifiers.get("bestsellers") == "bottom":  # "哪天卖得最少": the ranking from the bottom
        modifiers.setdefault("bottom", True)
    timed = time is not None or bool(modifiers.keys() & {"grain", "trend", "compare"})
    read_per_entity(links, modifiers, ws.vocabulary, ws.catalog)  # 平均每张发票几件
    unit_noun(
        links, ws.catalog, modifiers
    )  # "每单平均几行商品": 商品 is what is counted, no breakdown
    restricted = timed or bool(numeric.filters)  # "单价超过100的商品有多少款": those sold so
    read_families(  # measures, counts
        links, modifiers, ws.vocabulary, ws.catalog, restricted, top_n is not None
    )
    _drop_qualifying_verbs(links)
    whole = modifiers.get("top") == "all"  # "largest to smallest": the whole ordering, not one
    # "退单金额最多的国家 排一下": a superlative then a ranking asked — the whole ordering too
    if modifiers.get("top") is True and any(
        m.term.target == "top" and m.term.value == "all" for m in links.of("modifier")
    ):
        modifiers["top"] = whole = "all"
    if (
        top_n is None
        and modifiers.keys() & {"top", "bottom", "bestsellers"}
        and not whole
        and asks_for_one(text)
    ):
        top_n = 1
    filters, excluded = _value_filters(links, ws.vocabulary)
    filters = valuewords.merge_keywords(links, filters)  # "sofas and coffee tables": either
    # a condition said twice is one ("包邮 (运费为0)": the bracket restates it)
    filters += list(dict.fromkeys(thresholds.expand(numeric.filters)))
    filters = thresholds.merge_groups(filters, ws.catalog)  # "UK vs the rest": one dimension
    ranked = top_n is not None or bool(modifiers.keys() & {"top", "bottom", "bestsellers"})
    # "卖家在SP": the seller's state ("top 5 sellers in SP": those sellers, ranked)
    # (a value left out too: "sellers based outside São Paulo state" — the seller's state)
    owned = thresholds.owned_values(links, [*filters, *excluded], ws, ranked)
    filters, excluded = owned[: len(filters)], owned[len(filters) :]
    paired = _counts_both(links, ws.catalog)  # "既收藏又加购的访客": the metric is both
    filters = thresholds.both_values(numeric, filters, links.leftover, paired)  # "both A and B"
    filters = thresholds.all_by_word(
        links, filters, ws.vocabulary
    )  # 既有家具又有床品: any furniture
    parsed = Parsed(
        links=links,
        time=time,
        top_n=top_n,
        modifiers=modifiers,
        metrics=links.targets("metric"),
        dimensions=[],
        filters=filters,
        excluded=excluded,
        two_periods=None if implied == "added" else implied,
        apart=apart,
        added=implied == "added",
        time_at=found.start if found and time is not None else None,
        periods_said=periods_said,
    )
    parsed.dimensions = _pick_dimensions(parsed, ws)
    # "卖家数最多的州": the sellers' own state
    parsed.dimensions = thresholds.owned_breakdown(links, parsed.dimensions, parsed.metrics, ws)
    parsed.having = list(numeric.groups)
    parsed.condition_rows = list(numeric.rows)
    links.leftover += [said for _, said, _ in numeric.groups]
    return parsed


# a bracket giving a period's days: "(25到31号)", "（5月25日-31日）", "(4月1号)", "(25-31)"
_DAYS_IN_BRACKET = re.compile(
    r"[(（]\s*(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*(?:号|日)?"
    r"(?:\s*(?:到|至|-|~|～|—)\s*(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*(?:号|日)?)?\s*[)）]"
)


# "加购过的访客里 有几成最后下单了", "付了款的单里 后来退了款的": 'in the end' / 'later' before
# the act a part of a group is counted by says nothing more (the act within the period is it) —
# only after a share's or a count's words or 里 / 中 (最后下单的时间 is the latest order)
_EVENTUALLY = re.compile(
    r"((?:几成|比例|占比|百分之几|多少人|多少个|几个人|几个|(?:里|中|当中|里面|之中)\s*(?:有)?)\s*)"
    r"(最后|最终|后来|最后还是|最终还是|后来还是)"
    r"(?=\s*(?:都|也|又)?\s*(?:下单|下了单|下过单|买|购买|付款|付了款|付过款|支付|退))"
)
_PERIOD_UNITS = {"天": "天", "日": "天", "号": "天", "周": "周", "星期": "周", "礼拜": "周"}
_PERIOD_UNITS |= {"月": "月", "个月": "月", "季度": "季度", "季": "季度", "年": "年"}
_WHICH_PERIOD_SAID = re.compile(
    r"哪\s*(?:一\s*)?(?:个\s*)?(天|日|号|周|星期|礼拜|个月|月|季度|季|年)"
)
_THAT_PERIOD = re.compile(
    r"(?:那|这)\s*(?:一\s*)?(?:个\s*)?(天|日|号|周|星期|礼拜|个月|月|季度|季|年)"
)


def _that_period_restated(text: str) -> str:
    """ "上个月 哪天 卖得 最多 那天 卖了 多少钱": 那天 after 哪天 is the day ranked first, whose
    figure the answer shows beside it — blanked (same length), not a period of its own. Only
    the unit the which-word asked (那个月 after 哪天 is left to be reported)."""
    which = _WHICH_PERIOD_SAID.search(text)
    if which is None:
        return text
    unit = _PERIOD_UNITS[which.group(1)]

    def same(m: re.Match[str]) -> str:
        return " " * len(m.group(0)) if _PERIOD_UNITS[m.group(1)] == unit else m.group(0)

    return text[: which.end()] + _THAT_PERIOD.sub(same, text[which.end() :])


def _dates_restated(text: str, time: TimeRange | None) -> str:
    """ "5月 最后 一周 (25到31号) 卖了多少": a bracket that gives the first and last days of the
    period already read (the same days of the same months) says it again — blanked (same
    length); any other days in a bracket are left to be reported."""
    if time is None or time.start is None or time.end is None:
        return text
    first, last = time.start.date(), (time.end - dt.timedelta(days=1)).date()

    def same(m: re.Match[str]) -> str:
        m1, d1, m2, d2 = m.groups()
        if d2 is None:  # one day said: the period is that day
            m2, d2 = m1, d1
        days = (int(d1), int(d2)) == (first.day, last.day)
        months = (m1 is None or int(m1) == first.month) and (m2 is None or int(m2) == last.month)
        return " " * len(m.group(0)) if days and months else m.group(0)

    return _DAYS_IN_BRACKET.sub(same, text)


def _is_or_not_asked(links: Links) -> None:
    """ "SP的销售额是不是比RJ多": 是不是 asks yes or no — its 不是 leaves no value out (不是信用卡
    付的订单 does); the 不 stays unplaced, so the question is not understood, as before."""
    for m in list(links.mentions):
        if (
            m.term.target == "negation"
            and m.phrase == "不是"
            and links.text[: m.start].endswith("是")
        ):
            links.mentions.remove(m)
            links.leftover.append("不")


def _change_between_periods(links: Links, modifiers: dict[str, Any], implied: str | None) -> None:
    """ "近7天 vs 前7天 订单数变化": a bare change word beside two periods compared is the change
    between them (as 变化多少 is), not a trend of each day."""
    said = [m for m in links.of("modifier") if m.term.target == "trend"]
    if modifiers.get("grain"):
        return
    if modifiers.get("compare") and said and all(m.phrase in WHICH_WAY for m in said):
        modifiers.pop("trend", None)  # "环比涨了还是跌了": the change against the period before
        modifiers.setdefault("growth", True)
        return
    if implied not in ("previous_period", "year_over_year"):
        return
    if said and all(m.phrase in _BARE_CHANGE for m in said):
        modifiers.pop("trend", None)
        modifiers.setdefault("growth", True)


# which way it went, asked of two periods compared: their change, not a daily series
_BARE_CHANGE = {"变化", "change", *WHICH_WAY}


_AMONG_GAP = re.compile(r"^\s*(?:的)?\s*(?:里面|里头|当中|之中|里|中)\s*$")
_WHICH_HEAD = re.compile(r"^(?:哪一个|哪个|哪一|哪些|哪)\s*")


def _kind_restated_among(links: Links) -> None:
    """ "卖家所在城市 里 哪个城市 卖得最多": the bare kind word asked among the values of a
    dimension just named (城市 after 卖家所在城市 里) is that dimension again — the sellers' city —
    not a second breakdown by the buyers' city beside it."""
    dims = sorted(links.of("dimension"), key=lambda m: m.start)
    drop = []
    for a, b in zip(dims, dims[1:], strict=False):
        if a.term.target == b.term.target or not _AMONG_GAP.match(links.text[a.end : b.start]):
            continue
        bare = _WHICH_HEAD.sub("", b.phrase).strip()
        if bare and bare != a.phrase and a.phrase.endswith(bare):
            drop.append(b)
    if drop:
        links.mentions = [m for m in links.mentions if not any(m is d for d in drop)]


def _tag_said_of_sellers(links: Links, catalog: Any) -> None:
    """ "how many active sellers last month": a person's tag (lifecycle: active, lapsed …) said
    right before the sellers counted describes the sellers, who have no person tags — never a
    filter on their buyers (was: the sellers of the active customers' orders). The word is left
    for the seller count's own verbs to place ("active": those with a sale, families.METRIC_VERBS)
    or unplaced (refused)."""
    person = getattr(catalog.dimensions.get("lifecycle"), "models", None) or []
    if not person:
        return
    sellers = {"seller_count", *(m for m in catalog.metrics if m.startswith("seller_count"))}
    mentions = sorted(links.mentions, key=lambda m: m.start)
    for tag, nxt in zip(mentions, mentions[1:], strict=False):
        if tag.term.kind != "value" or tag.term.target != "lifecycle":
            continue
        counted = nxt.term.target in sellers if nxt.term.kind == "metric" else False
        if nxt.term.kind == "measure":  # "sellers": the countable counting them
            info = getattr(catalog, "measurables", {}).get(nxt.term.target)
            counted = getattr(info, "dimension", None) == "shop"
        if not counted:
            continue
        if links.text[tag.end : nxt.start].strip(" 的"):
            continue
        links.mentions = [m for m in links.mentions if m is not tag]
        links.leftover = [*links.leftover, tag.phrase]


def _new_beside_returning(links: Links, modifiers: dict[str, Any]) -> None:
    """ "how many new and how many returning buyers", "新客多少、老买家多少": the word 'new' beside
    the returning buyers is the new buyers (each counted), never the lifecycle tag 'new' as a
    filter on the returning ones (always 0)."""
    new = [m for m in links.of("value") if m.term.target == "lifecycle" and m.term.value == "new"]
    if new and any(m.term.target == "returning_buyers" for m in links.of("metric")):
        links.mentions = [m for m in links.mentions if m not in new]
        modifiers["new_vs_returning"] = True
    kinds = [m for m in links.of("metric") if m.term.target in ("new_buyers", "returning_buyers")]
    if len(kinds) != 2 or kinds[0].term.target == kinds[1].term.target:
        return
    a, b = sorted(kinds, key=lambda m: m.start)
    joiner = links.text[a.end : b.start].strip().lower()  # "新客 vs 老客": side by side
    if joiner in _VERSUS:
        modifiers["new_vs_returning"] = True
        if joiner in links.leftover:
            links.leftover.remove(joiner)


def _new_said_of_buyers(links: Links, catalog: Any, timed: bool) -> None:
    """ "what share of last month's buyers were new", "buyers that were brand new in May": 'new'
    said of the buyers of a period is the new buyers of that period (first paid order in it,
    each counted) — never the lifecycle tag 'new' a person carries today, which dates from the
    tags' own run and not from the period asked."""
    if not timed or "new_buyers" not in catalog.metrics:
        return
    new = [m for m in links.of("value") if m.term.target == "lifecycle" and m.term.value == "new"]
    buyers = [m for m in links.of("metric") if m.term.target == "buyers"]
    if len(new) != 1 or not buyers:
        return
    said = new[0]
    counted = Mention(said.phrase, said.start, said.end, Term("metric", "new_buyers"))
    links.mentions = [counted if m is said else m for m in links.mentions]


# "brand new": new, never the brand dimension
_BRAND_NEW = re.compile(r"\bbrand[- ]new\b")


_VERSUS = ("vs", "vs.", "versus", "对比", "对", "比")


# Verbs that name a metric only when nothing else does: "星期几下单最多" (orders), but in
# "8月份有几个客户下单了" or "sales of products sold in SP" they qualify the metric named.
QUALIFYING_VERBS = {"下单", "下过单", "下单了", "ordered", "sold", "售出", "卖出"}
QUALIFYING_VERBS |= {"出单", "出过单", "下了单", "出了单", "卖出去"}  # "几个卖家出过单": sellers
QUALIFYING_VERBS |= set(ISSUE_VERBS)  # "开过C单的客户": people, the invoices their condition


def _drop_qualifying_verbs(links: Links) -> None:
    metrics = links.of("metric")
    from shopql.nlq.behaviour import BOUGHT

    # a buying verb said of a group of visitors is their buying (nlq/behaviour.bought_among)
    verbs = [m for m in metrics if m.phrase in QUALIFYING_VERBS and m.term.value != BOUGHT]
    if verbs and len({m.term.target for m in metrics if m not in verbs}) >= 1:
        links.mentions = [m for m in links.mentions if m not in verbs]


_BARE_LAST = re.compile(
    r"\b(this|current)\s+(week|month|quarter|year)\b(.*?)\b(vs\.?|versus|compared\s+(?:to|with)|than|over)"
    r"\s+(?:the\s+)?last\b(?!\s*(?:\d|week|month|quarter|year|yr|days?|weeks|months|years))"
)


# "单笔订单最多买了几件", "一单最多有几件商品", "每张发票最多几件": the most (fewest) pieces in one
# order, the max of each order's own pieces (the catalog's 单笔订单件数) — not the largest order
# value beside the period's units, nor a top order
_ONE_ORDER_PIECES = re.compile(
    r"(?:单笔订单|单笔|一单|一笔订单|一笔|一个订单|一张订单|一张单子?|一张发票|单张发票|每单|每笔订单"
    r"|每张订单|每张发票|每个订单)\s*(?:里面|里|中)?\s*(?:的)?\s*(最多|最少)\s*(?:的)?\s*"
    r"(?:买了|买|有|卖了|卖|卖出了|卖出|包含|含|装了|装)?\s*(?:几|多少)\s*件"
    r"(?:\s*(?:商品|东西|货|产品))?"
)


def _one_order_pieces(text: str) -> str:
    """ "上季度 单笔订单 最多 买了 几件": the max of one order's pieces, said as the catalog
    names it (单笔订单件数 最多)."""
    return _ONE_ORDER_PIECES.sub(lambda m: f"单笔订单件数 {m.group(1)}", text)


def _said_unit(text: str) -> str:
    """ "this year vs last", "this quarter compared to last": the unit the first period said,
    for the second ("vs last year")."""
    m = _BARE_LAST.search(text)
    if not m:
        return text
    said = f"{m.group(1)} {m.group(2)}{m.group(3)}vs last {m.group(2)}"
    return text[: m.start()] + said + text[m.end() :]


# "除了英国以外", "除英国之外": one exclusion said around its value (以外 / 之外 close what 除 opens),
# not "outside the UK" (英国以外, a group of every other country) excluded once more
_AROUND_EXCLUSION = re.compile(r"(除了|除去|除)([^，,。；;！!？?\s]{1,16}?)(以外|之外|外)")


# "products that contain the word heart", "with the words cake stand": the word that follows is
# the title word; "word" itself is no title word of the question (WORD is one in Retail titles)
# "which 3 cities paid the most freight", "states that paid the least in shipping": paid is the
# verb of the money ranked (what they paid), not the order status 'paid'
_PAID_THE_MOST = re.compile(
    r"\b(?:paid|spent)(?=\s+(?:the\s+)?(?:most|least|highest|lowest|more|less)\b"
    r"(?:\s+(?:in|on|for))?\s+(?:freight|shipping|postage|delivery)\b)"
)
_META_WORD = re.compile(
    r"\b(contain|contains|containing|with|has|have|having|include|includes|including)"
    r"(\s+the\s+(?:word|words|term|terms|phrase)\s+)(?=\S)"
)


# "how much did the retrospot range make", "heart系列卖了多少": a range (series, collection) named
# by a title word is every product whose title has it — the word's own filter, nothing more
# (图案, 花纹: "小鸟图案的商品", the titles with the pattern's word)
_RANGE_WORD = re.compile(
    r"\s*(?:\b(?:range|ranges|collection|series|product line)\b|系列|图案|花纹)"
)


# "茶几 这 一类", "T恤这个款", "茶几这类商品": the products the title word just said, pointed at
# again (a demonstrative and a kind word) — not a breakdown by product, nothing more to place
_THIS_KIND = re.compile(
    r"\s*(?:这|那)\s*(?:一\s*)?(?:个\s*)?(?:款|类|种|系列)(?:\s*(?:商品|产品|货品?|东西))?"
)


def _family_of_a_word(links: Links) -> None:
    """A range / series / 系列 word right after a title keyword placed by it; so is a word
    pointing back at it (这一类, 这个款)."""
    for m in links.mentions:
        if m.term.kind != "keyword":
            continue
        said = _RANGE_WORD.match(links.text, m.end)
        if said is not None:
            word = said.group(0).strip()
            if word in links.leftover:
                links.leftover.remove(word)
            continue
        this = _THIS_KIND.match(links.text, m.end)
        if this is None or any(
            n.term.kind == "keyword"
            and n.start >= this.end()
            and not links.text[this.end() : n.start].strip()
            for n in links.mentions
        ):
            continue  # "mug这种杯子": a second product word after it — two words, not one pointed at
        span = this.group(0).replace(" ", "")
        links.leftover = [w for w in links.leftover if w.replace(" ", "") not in span]
        links.mentions = [
            n
            for n in links.mentions
            if not (n.term.kind == "dimension" and this.start() <= n.start < n.end <= this.end())
        ]


# 销售 said bare right before a change word (销售增长率, 销售涨了多少, 销售环比): the sales (销售额)
# "per customer spend", "per buyer revenue": the figure per the unit, said the other way round
_PER_SAID_FIRST = re.compile(
    r"\bper\s+(customer|buyer|shopper|client|person|order|invoice)\s+"
    r"(spend|spending|revenue|sales|gmv|value|amount|orders|invoices|units|items)\b"
)
_DEMONYM_ROW_NOUNS = r"(?:sales|revenue|turnover|gmv|orders|order|invoices|invoice|units)"


@functools.lru_cache(maxsize=1)
def _demonym_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    from shopql.nlq.names import COUNTRY_DEMONYMS, COUNTRY_NAMES

    names = {
        adjective: COUNTRY_NAMES[code][0]
        for code, adjective in COUNTRY_DEMONYMS.items()
        if COUNTRY_NAMES.get(code)
    }
    words = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(rf"\b({words})(?=\s+{_DEMONYM_ROW_NOUNS}\b)"), names


def _demonym_rows(text: str) -> str:
    """ "what share of french invoices", "dutch sales this year": a country's adjective before a
    word for its orders or sales names the country (France, the Netherlands), as it does before a
    word for its people ("french customers", nlq/names.COUNTRY_DEMONYMS) — never a product title
    word (Online Retail's FRENCH / DUTCH titles)."""
    pattern, names = _demonym_pattern()
    return pattern.sub(lambda m: names[m.group(1)], text)


# countries said by their one-character names before 两国 / 三国 ("法德两国的客户", "英美两国"):
# each its own country (only the characters that name one country alone)
_COUNTRY_INITIAL = {
    "中": "中国",
    "美": "美国",
    "英": "英国",
    "日": "日本",
    "德": "德国",
    "法": "法国",
    "韩": "韩国",
    "荷": "荷兰",
    "意": "意大利",
    "西": "西班牙",
    "葡": "葡萄牙",
    "比": "比利时",
    "加": "加拿大",
    "澳": "澳大利亚",
}
_INITIALS = "".join(_COUNTRY_INITIAL)
_COUNTRY_INITIALS = re.compile(
    rf"(?<![\u4e00-\u9fff])([{_INITIALS}]{{2,3}})(?:两|二|三)(?:个)?(?:国家|国)"
)


def _countries_by_initial(m: re.Match[str]) -> str:
    """ "法德两国" → "法国和德国"; the number said must be the countries named."""
    said = m.group(1)
    number = 2 if re.search(r"[两二]", m.group(0)[len(said) :]) else 3
    if len(said) != number or len(set(said)) != number:
        return m.group(0)
    return "和".join(_COUNTRY_INITIAL[c] for c in said)


# how much money, said in a currency ("花了多少镑", "卖了多少英镑", "多少雷亚尔"): the money asked,
# when it is the warehouse's own currency (another is left unread: refused, never converted)
_HOW_MUCH_IN = re.compile(r"(?:多少|几)\s*(英镑|镑|雷亚尔)(?:钱)?")


def _money_in_its_currency(text: str, ws: Any) -> str:
    from shopql.nlq.thresholds import _CURRENCY_UNIT, _currency_ok

    def said(m: re.Match[str]) -> str:
        ok = _currency_ok({_CURRENCY_UNIT[m.group(1)]}, ws)
        return "多少钱" if ok else m.group(0)

    return _HOW_MUCH_IN.sub(said, text)


_BARE_SALES = re.compile(
    r"(?<![件单])销售(?=(?:的)?(?:增长|增幅|增速|涨|下滑|下降|下跌|跌|同比|环比))"
)


# "top 10 customers % of 2011 sales", "% of 1-star reviews last quarter": a % sign after words
# or opening the question (no number) asks a share of what follows
_PERCENT_OF = re.compile(r"(?:(?<=[a-z])\s+|^\s*)%\s*of\b")


# "net sales after refunds", "扣除退款后的净销售额": the deduction net sales already makes (the
# refunds, cancellations, returns) said beside it — no other metric or status filter
_NET = re.compile(r"\bnet\b|净(?:销售|营业|收入|成交|gmv|GMV)")
_AFTER_REFUNDS = re.compile(
    r"\b(?:after|less|minus|net of|excluding)\s+(?:all\s+|the\s+)?(?:cancell?ations?|refunds?|returns?"
    r"|credit notes?|c invoices?)\b"
    r"|(?:扣除|减去|减掉|去掉|扣掉|刨去)?(?:退款|退货|取消|退单|C单)(?:金额)?(?:之后|以后|后)"
    r"|(?:扣除|减去|减掉|去掉|扣掉|刨去)(?:退款|退货|取消|退单|C单)(?:金额)?"
)


# "上午开的票多还是下午开的票多", "周末卖得多还是工作日卖得多": two sides with the same words after
# each, said once — "A还是B<words>多" — so the pair reads as one choice (a breakdown by it)
# "womens vs mens clothing", "kids and mens shoes": two values sharing the noun said once
_SHARED_NOUN = re.compile(
    r"(?<![a-z'])([a-z]+(?:'s|s')?)( (?:vs\.?|versus|and|or|&|/) )([a-z]+(?:'s|s')?)"
    r" ([a-z]+)(?![a-z'])"
)


def _shared_noun(text: str, vocabulary: Any) -> str:
    """ "womens vs mens clothing": the first word names a value only with the noun said after
    the second ("women's clothing", as "men's clothing" does): the noun is said for both. Only
    when the first word alone names nothing and both with the noun name values of one dimension
    (apostrophes aside)."""

    def key(words: str) -> str:
        return words.replace("'", "")

    def values(phrase: str) -> set[str]:
        wanted = key(phrase)
        return {
            t.target
            for k, terms in vocabulary.terms.items()
            if key(k) == wanted
            for t in terms
            if t.kind == "value"
        }

    def expand(m: re.Match[str]) -> str:
        first, gap, second, noun = m.groups()
        if first in vocabulary.terms or key(first) in vocabulary.terms:
            return m.group(0)  # "tmall and jd orders": each word names its value
        both = values(f"{first} {noun}") & values(f"{second} {noun}")
        return f"{first} {noun}{gap}{second} {noun}" if both else m.group(0)

    return _SHARED_NOUN.sub(expand, text) if " " in text else text


# A refund said to complete: every refund metric counts completed refunds only (status success),
# so "refunds that went through", "successful refunds", "成功退款", "退款成功的订单" restate it —
# never the order status completed ("how many refunds were completed" is not the refunded orders
# whose order is in status completed) nor the export's status words (已签收，退款成功).
_REFUNDS_WENT_THROUGH = re.compile(
    r"\b(refunds?|refunded orders?|orders (?:got|were) refunded)\s+(?:(?:that|which)\s+)?"
    r"(?:(?:have|has|had)\s+)?(?:(?:went|gone|go|goes|got|were|was|been|are|is)\s+)?"
    r"(?:through|completed|processed|successful|succeeded|done)\b"
)
_SUCCESSFUL_REFUNDS = re.compile(r"\b(?:successful|completed|processed)\s+(refunds?)\b")
_REFUND_SUCCEEDED = re.compile(r"(?:成功退款|退款成功)(?:了)?(?:的)?\s*(订单|单子|单)?")


def _refunds_completed(text: str) -> str:
    if "refund" in text:
        text = _REFUNDS_WENT_THROUGH.sub(lambda m: m.group(1), text)
        text = _SUCCESSFUL_REFUNDS.sub(lambda m: m.group(1), text)
    if "成功" in text:
        text = _REFUND_SUCCEEDED.sub(lambda m: "退款订单" if m.group(1) else "退款", text)
    return text


# 款 / 款式 (a style: one product) as the noun of a count or a breakdown: "今年卖了多少款",
# "卖过的款有几个", "茶几按款式分别卖了多少张", "每款卖了多少" — never money (付款, 退款, 货款 …)
_NOT_STYLE = r"(?<![付退货贷欠汇罚存放打收借还捐筹拨现尾首订余])"
_STYLE_COUNTED = re.compile(rf"((?:多少|几)个?)\s*{_NOT_STYLE}款(?:式)?(?![式项商产宝货单品])")
_STYLE_NOUN = re.compile(  # (or before an aside: "增长最快的款 (前30天至少1万)")
    rf"(?:的|不同|不重复)\s*{_NOT_STYLE}款(?:式)?"
    r"(?=\s*(?:有|一共|总共|共)?\s*(?:多少|几|$|[?？])|\s*[(（，,。;；])"
)
_BY_STYLE = re.compile(rf"(按|各|每|分|by)\s*{_NOT_STYLE}款(?:式)?(?![式项商产宝货单品])")


def _styles_as_products(text: str) -> str:
    if "款" not in text:
        return text
    text = _STYLE_COUNTED.sub(lambda m: f"{m.group(1)}商品", text)
    text = _STYLE_NOUN.sub(lambda m: m.group(0)[: m.group(0).index("款")].rstrip() + "商品", text)
    return _BY_STYLE.sub(lambda m: f"{m.group(1)}商品", text)


_SAID_TWICE = re.compile(r"([\u4e00-\u9fff]{3,12})多还是([\u4e00-\u9fff]{3,12})多")


def _said_once(m: re.Match[str]) -> str:
    left, right = m.group(1), m.group(2)
    n = 0
    while n < min(len(left), len(right)) and left[-1 - n] == right[-1 - n]:
        n += 1
    while n and (len(left) - n < 2 or len(right) - n < 2):  # 上午 / 下午 share 午: a side
        n -= 1  # keeps two characters at least
    if not n:
        return m.group(0)
    return f"{left[:-n]}还是{right[:-n]}{left[-n:]}多"


def _one_exclusion(text: str) -> str:
    """`text` with the 以外 / 之外 that closes a 除(了) … exclusion blanked (same offsets)."""

    def one(m: re.Match[str]) -> str:
        if m.group(3) == "外" and len(m.group(2)) < 2:
            return m.group(0)  # "除了国外订单": 国外 is the word (foreign), not 除…外
        if m.group(1) == "除":  # "除英国以外", "除英国外": 除了, the same length
            return "除了" + m.group(2) + " " * (len(m.group(3)) - 1)
        return m.group(1) + m.group(2) + " " * len(m.group(3))

    text = _AROUND_EXCLUSION.sub(one, text)
    return _BARE_EXCLUSION.sub("除了", text)


# "销售额前三的国家(除英国)", "top countries, 除英国": a bare 除 opening a value that closes the
# bracket or the question excludes it (除了); its bracket or space before it gives the length
_BARE_EXCLUSION = re.compile(
    r"[(（\s,，]除(?![了去以外法数])(?=[^，,。；;！!？?\s()（）]{1,16}(?:[)）]|\s*$))"
)


_YEAR_SAID = re.compile(
    r"\d\s*年|(?:19|20)\d{2}|今年|去年|前年|明年|\byear\b"
    # a two-digit year before a part of it: "17上半年", "18Q1", "17年" (said above)
    r"|(?<![\d.])\d{2}(?=\s*(?:[上下前后]半年|q[1-4]\b|第?[一二三四1-4]季度))"
)


# a part of a year said bare, which a year said before it places ("2017年下半年 … 上半年")
_PART_OF_YEAR = re.compile(
    r"^\s*(?:[上下前后]半年|h[12]|[12]h|q[1-4]|第?[一二三四1-4]季度|(?:\d{1,2}|[一二三四五六七八九十]{1,3})月份?)\s*$",
    re.IGNORECASE,
)
# a period counted from today ("上个月", "this quarter"): no year said elsewhere moves it
_RELATIVE_BARE = re.compile(
    r"上(?!半年)|下个|本|这|当|今|近|过去|\b(?:last|this|previous|prior|past|recent)\b",
    re.IGNORECASE,
)
_YEAR_AHEAD = re.compile(r"\s*(?:今年|去年|前年|(?:19|20)?\d{2}\s*年)")


def _year_said_ahead_of_later(found: Any, second: Any, years: tuple[bool, bool]) -> bool:
    """ "11月比去年12月": a year said ahead of the later-said period (去年12月) is that period's
    alone — a bare period said before it keeps its own latest reading (a year said first, "2017年
    3月和6月", or after both, "Q1 vs Q3 2017", is both periods')."""
    dated, bare = (found, second) if years[0] else (second, found)
    ahead = _YEAR_AHEAD.match(dated.text)
    # the year must lead a period of its own ("去年12月"), not stand alone after both ("… 2017年")
    return (
        bare.start < dated.start and ahead is not None and bool(dated.text[ahead.end() :].strip())
    )


def _in_year_of(tr: TimeRange, other: TimeRange) -> TimeRange:
    """`tr` (a part of a year said without its year: the "Q1" of "18年Q2比Q1") moved into the
    year of `other`, the period it is compared with."""
    if tr.start is None or tr.end is None or other.start is None:
        return tr
    years = other.start.year - tr.start.year
    if not years:
        return tr
    try:
        start = tr.start.replace(year=tr.start.year + years)
        end = tr.end.replace(year=tr.end.year + years)
    except ValueError:  # 29 February
        return tr
    return TimeRange(start, end, tr.label)


_JUST_JOINED = re.compile(r"[\s,，的]*(?:\b(?:in|of|during)\b[\s,，]*)*")


# a part of a year said right after a period that runs on to today: "去年以来下半年", "2017年以来Q4",
# "从去年开始的一季度" — the half (quarter, month) of each year since, or of the year said? Neither
# is sure, and reading the part alone drops the 以来 (was: 2017's second half, labelled as if read)
_PART_AFTER_SINCE = re.compile(
    r"(?:(?<=以来)|(?<=至今)|(?<=到现在)|(?<=起)|(?<=开始))\s*(?:的|这段时间的?|期间的?)?\s*"
    r"(上半年|下半年|第?\s*[一二三四1-4]\s*季度|[qh][1-4](?![0-9a-z])"
    r"|(?:1[0-2]|0?[1-9]|十[一二]|[一二三四五六七八九十])\s*月份?(?![0-9天日号]))"
    r"|\s*,?\s*\b(?:in|during|for)\s+(?:the\s+)?"
    r"(q[1-4]|h[12]|(?:first|second|1st|2nd)\s+half(?:\s+of\s+the\s+year)?)\b",
    re.IGNORECASE,
)
_SINCE_WORD = re.compile(r"以来|至今|到现在|起|开始|\bsince\b", re.IGNORECASE)
_SINCE_THEN = re.compile(r"(?<=以来)\s*(?:的)?\s*|(?<=至今)\s*(?:的)?\s*|(?<=开始)\s*(?:的)?\s*")


def _refuse_part_after_since(text: str, today: dt.date, festivals: Any) -> None:
    """Refuse a part of a year said right after a period that runs on to today and starts in an
    earlier year: "去年以来下半年" is every second half since last year, or last year's? (This
    year's, "今年以来Q3", is the part of the year to date, read as before.)"""
    spans = [
        (m.start(), m.end(), m.group(1) or m.group(2)) for m in _PART_AFTER_SINCE.finditer(text)
    ]
    for w in _SINCE_THEN.finditer(text):  # any other period said right after: 圣诞节, 双11
        named, at_part, _ = find_time(text[w.end() :], today, festivals)
        if named is not None and at_part is not None and at_part.start == 0:
            if not _SINCE_WORD.search(at_part.text):
                spans.append((w.start(), w.end() + at_part.end, at_part.text))
    for start, end, part in spans:
        if start == 0:
            continue
        since, at, _ = find_time(text[:start], today, festivals)
        if since is None or at is None or since.start is None or since.start.year == today.year:
            continue
        if at.end < len(text[:start].rstrip()) or not _SINCE_WORD.search(at.text):
            continue
        said = text[at.start : end].strip()
        anchor = re.sub(r"^(?:自从|自|从|since)\s*|\s*(?:以来|至今|到现在|起|开始)$", "", at.text)
        year = since.start.year
        raise NotUnderstood(
            f"没听懂，没有作答：'{said}' 里的{part}跟在'{at.text}'后面——是{anchor}的{part}，"
            f"还是{anchor}以来每一年的{part}？请写明年份（如 {year}年{part}），或只说起始时间"
            if has_chinese(text)
            else f"not understood, nothing answered: in '{said}' the part of a year {part!r}"
            f" follows '{at.text}' — {anchor}'s, or the one in each year since? Ask it with its"
            " own year, or the period since alone",
            [],
            [],
            [f"time: {since.label}"],
        )


def _year_and_part(
    text: str, a: TimeRange, at: Any, b: TimeRange, bt: Any, implied: str | None
) -> tuple[TimeRange, str | None]:
    """ "2010年 十一月份", "in 2010 in november": a whole calendar year said beside a part of a
    year said without one (a month, a quarter) is that part of that year — only when nothing
    but 的 / in / of joins them (a comparison word between them is two periods)."""
    year, y_at, part, p_at = (a, at, b, bt) if _whole_year(a) else (b, bt, a, at)
    if not _whole_year(year) or _whole_year(part) or _YEAR_SAID.search(p_at.text):
        return _two_periods(a, b)[0], implied
    lo, hi = sorted((y_at, p_at), key=lambda f: f.start)
    if not _JUST_JOINED.fullmatch(text[lo.end : hi.start]):
        return _two_periods(a, b)[0], implied
    moved = _in_year_of(part, year)
    if moved.start is None or moved.end is None or year.start is None or year.end is None:
        return _two_periods(a, b)[0], implied
    if not (year.start <= moved.start and moved.end <= year.end):
        return _two_periods(a, b)[0], implied
    return TimeRange(moved.start, moved.end, f"{y_at.text} {p_at.text}"), None


_BARE_YEAR = re.compile(
    r"\s*(?:今年|去年|前年|this\s+year|last\s+year|(?:19|20)\d{2}\s*年?|\d{2}\s*年)\s*"
)
_YEAR_WORD = re.compile(
    r"今年|去年|前年|\bthis\s+year'?s?\b|\blast\s+year'?s?\b|(?<!\d)(?:19|20)?\d{2}\s*年"
    r"|(?<!\d)(?:19|20)\d{2}(?!\d)"
)


def _same_part_of(
    a: TimeRange, a_said: str, b: TimeRange, b_said: str, ws: Any, festivals: Any
) -> tuple[TimeRange, TimeRange] | None:
    """ "今年双十一比去年", "H1 2018 vs 2017", "双十一 今年比去年": a year said alone after a part of
    another year said with its year (a festival, a half, a month) is that part of the year said
    — the festival found again in that year (Black Friday moves), else the same dates. (a, the
    part in b's year), or None: a part said without its year ("3月和6月 2017年") or a bare year
    said first ("2017年和2018年上半年": a year and a half) is no such ellipsis."""
    if not _whole_year(b) or not _BARE_YEAR.fullmatch(b_said) or _whole_year(a):
        return None
    if not _YEAR_SAID.search(a_said) or a.start is None or a.end is None or b.start is None:
        return None
    last = a.end - dt.timedelta(microseconds=1)
    if a.start.year != last.year or a.start.year == b.start.year:
        return None
    same = _found_in_year(a, a_said, b, b_said, ws, festivals)
    return (a, same) if same is not None else None


_COMPARED_BEFORE = re.compile(r"比|对比|相比|\bvs\.?|\bversus\b|\bcompared\b|\bthan\b|\bagainst\b")
_COMPARED_AFTER = re.compile(r"^\s*(?:的)?\s*(?:比|相比|对比|比较)")


def _compared_to(text: str, part: Any, year: Any) -> bool:
    """The bare year is what the part is compared with: a comparison word between them
    ("今年双十一比去年", "this year vs last year"), or right after the year ("和去年比")."""
    between = text[part.end : year.start]
    return bool(_COMPARED_BEFORE.search(between) or _COMPARED_AFTER.match(text[year.end :]))


def _found_in_year(
    part: TimeRange, part_said: str, year: TimeRange, year_said: str, ws: Any, festivals: Any
) -> TimeRange | None:
    """`part` (said as `part_said`) in `year`: read again with the year's words, else moved."""
    assert year.start is not None and year.end is not None
    bare = _YEAR_WORD.sub(" ", part_said).strip()
    said = f"{year_said.strip()} {bare}"
    again, found, _ = find_time(said, ws.today, festivals) if bare else (None, None, None)
    if again is not None and found is not None and found.text.strip() == said:
        moved = again
    else:
        moved = _in_year_of(part, year)
    if moved.start is None or moved.end is None or _whole_year(moved):
        return None
    if not (year.start <= moved.start and moved.end <= year.end):
        return None
    return TimeRange(moved.start, moved.end, said)


def _whole_year(tr: TimeRange) -> bool:
    """A calendar year from 1 January to 1 January."""
    s, e = tr.start, tr.end
    return bool(
        s is not None
        and e is not None
        and (s.month, s.day, e.month, e.day) == (1, 1, 1, 1)
        and e.year == s.year + 1
        and s.hour == 0
    )


def _compared_to_date(text: str, time: TimeRange, today: dt.date) -> tuple[TimeRange, str]:
    """ "2011上半年 vs 下半年到现在": the later of two periods compared, still running today and
    said up to now, is cut at today (compared like for like, as a running period is: the same
    days of the earlier one). Beside a period not running today the words stay unplaced."""
    from shopql.nlq.lexicon import TO_DATE_WORDS
    from shopql.nlq.periods import to_date

    cut = to_date(time, today)
    if cut is None:
        return time, text
    for words in TO_DATE_WORDS:
        m = re.search(words, text)
        if m is not None:
            return cut, blank(text, m.start(), m.end())
    return time, text


_HALF_WORDS = re.compile(r"半年|\bh[12]\b|\bhalf\b", re.IGNORECASE)
_SAME_DAYS_SAID = re.compile(
    r"同期|同样的(?:日子|那几天|几天|天数)|\bsame\s+(?:period|days|time)|\blike[- ]for[- ]like"
)


def _to_now_against_whole(whole: TimeRange, cut: TimeRange) -> tuple[TimeRange, str, TimeRange]:
    """ "今年下半年(到现在) 比 上半年", "H2 so far vs H1": the later period said up to now is cut at
    today; the earlier one, named and over, is the whole of it (not its same days) — two periods
    apart, the later and the difference. Said without "up to now" both stay like for like."""
    from shopql.catalog.timephrase import previous_range

    earlier = previous_range(whole, "previous_period")
    later_label, _, earlier_label = whole.label.partition(" vs ")
    apart = TimeRange(earlier.start, earlier.end, earlier_label or earlier.label)
    return TimeRange(cut.start, cut.end, f"{later_label} (so far)"), "not comparable", apart


_COMPARING = re.compile(
    r"比|对比|相比|增长|增幅|变化|涨|跌|多了|少了|差|环比|同比|\b(?:vs\.?|versus|compared?|"
    r"change|growth|grew|increase|decrease|difference|than)\b"
)


def _listed_to_now(
    text: str, rest: str, time: TimeRange, today: dt.date, festivals: Any
) -> tuple[TimeRange, str | None, TimeRange | None]:
    """ "今年上半年和下半年销售额", "H1 and H2 revenue this year": two periods only listed (no word
    of comparing), the later still running today: each is what it names, the earlier the whole of
    it (January to June, not its first five months) and the later up to today, as said with
    "到现在". Compared ("比", "vs", "增长") they stay like for like, and so does a question with
    a further period word left ("H1 and H2 revenue this year")."""
    from shopql.nlq.periods import to_date

    cut = to_date(time, today)
    if cut is None or _COMPARING.search(text.lower()) or find_time(rest, today, festivals)[0]:
        return time, "previous_period", None
    return _to_now_against_whole(time, cut)


# "10月和11月一共卖了多少钱", "october and november revenue combined": one total over both periods,
# not each side by side; said beside a comparison ("一共多了多少") it is not this
_TOGETHER = re.compile(
    r"一共|总共|合计|加起来|加在一起|加一起|加一块|合起来|共计|总计"
    r"|\b(?:combined|together|altogether|in total)\b"
)
_EACH_OR_COMPARED = re.compile(
    r"比|对比|相比|分别|各|增长|变化|涨|跌|多了|少了|差|\b(?:vs\.?|versus|compared?|each|"
    r"change|growth|grew|increase|decrease|difference|respectively)\b"
)


def _periods_together(
    text: str, time: TimeRange, implied: str | None, apart: TimeRange | None
) -> tuple[TimeRange, str | None, TimeRange | None]:
    """Two periods with one total asked of them: the span from the first to the last when they
    follow each other (10月和11月一共: 1 October to 30 November); two periods apart ("1月和5月
    加起来", "去年双十二和今年618加起来") are each one's own figure added up: implied "added",
    with the earlier as `apart` (offline._periods_apart; sums and counts of rows only)."""
    from shopql.catalog.timephrase import previous_range

    if not _TOGETHER.search(text) or _EACH_OR_COMPARED.search(text):
        return time, implied, apart
    if implied == "previous_period":
        earlier = previous_range(time, "previous_period")
        if earlier.start is not None and earlier.end == time.start:
            label = " + ".join(reversed(time.label.split(" vs ")))  # the earlier first
            return TimeRange(earlier.start, time.end, label), None, None
    if implied in ("previous_period", "year_over_year") and apart is None:
        apart = previous_range(time, implied)  # 去年11月和今年11月加起来: a year apart
        later_said, _, earlier_said = time.label.partition(" vs ")  # each by its own words
        if earlier_said and apart.start is not None:
            time, apart = replace(time, label=later_said), replace(apart, label=earlier_said)
    if apart is not None and apart.start is not None and apart.end is not None:
        if time.start is not None and apart.end <= time.start:
            return time, "added", apart
    raise NotUnderstood(
        "not understood, nothing answered: one total over two periods apart is beyond the offline"
        " engine (ask each period, or the span from the first to the last)",
        [],
        [],
        [f"time: {time.label}"],
    )


def _event_beside(text: str, start: int, end: int, words: dict[str, str]) -> str | None:
    """The time dimension of the event word said right before a period ("delivered in june",
    "5月下单的") or right after it in Chinese ("5月下单"), the nearest one; None when none."""
    best: tuple[int, str] | None = None
    for word, dim in words.items():
        if is_latin(word):
            pattern = rf"\b{re.escape(word)}\b"
        else:
            pattern = re.escape(word)
        for m in re.finditer(pattern, text[max(0, start - 24) : start]):
            gap = start - (max(0, start - 24) + m.end())
            if best is None or gap < best[0]:
                best = (gap, dim)
        if not is_latin(word):
            after = re.match(rf"\s*(?:的)?\s*{pattern}", text[end : end + 8])
            if after is not None:
                best = (0, dim)
    return best[1] if best else None


def _refuse_periods_of_two_events(text: str, a: Any, b: Any, ws: Any) -> None:
    """ "orders delivered in june that were placed in may", "5月下单 6月送达的订单": two periods,
    each of its own event — one set of orders dated twice, not two periods compared (was: the
    orders of May beside those of June)."""
    from shopql.nlq.timebasis import event_words

    words = event_words(ws.catalog)
    first = _event_beside(text, a.start, a.end, words)
    other = _event_beside(text, b.start, b.end, words)
    if first is None or other is None or first == other:
        return
    raise NotUnderstood(
        "not understood, nothing answered: two periods, each of another event (when placed, when"
        " delivered …), dating one set of rows is beyond the offline engine",
        [],
        [],
        [f"time: {a.text.strip()} ({first}) and {b.text.strip()} ({other})"],
    )


# two periods joined by a word of comparing: "上周 … 和上个月对比", "last week compared with last
# month", "11月 和 双十一 比" (not 比例, 占比, 对比 said of something else after them)
_COMPARING_BETWEEN = re.compile(
    r"(?<![占对])比(?![例率重])|对比|相比|比起|比较|\bvs\.?(?![a-z])|\bversus\b|\bcompared\b"
)
# a period said as the one before the other ("compared with the previous month", "vs prior week")
_SAID_AS_BEFORE = re.compile(r"\b(?:previous|prior|preceding|before|earlier)\b|上一|前一")
_WITH_SAID_LAST = re.compile(r"(?:和|跟|与|同)\s*$")
_COMPARING_AFTER = re.compile(r"^\s*(?:的)?\s*(?:对比|相比|比较|比)(?![例率重])")


# a period compared with, said after two periods already compared: "… 和上个月对比", "跟上个月比"
_THIRD_WITH = re.compile(r"(?:和|跟|与|同)\s*$")


def _refuse_third_compared(text: str, time: TimeRange | None, ws: Any, festivals: Any) -> None:
    """Two periods compared ("今年7月 比 去年7月 增长最快的品类") and a third one compared too
    ("… 和上个月对比", "… 跟上个月比"): two comparisons, of which the offline engine answers
    one — refused (was: the first comparison alone, the third period dropped)."""
    third, found3, _ = find_time(text, ws.today, festivals)
    if time is None or third is None or found3 is None:
        return
    before, after = text[: found3.start], text[found3.end :]
    if not (_THIRD_WITH.search(before) and _COMPARING_AFTER.match(after)):
        return
    raise NotUnderstood(
        "not understood, nothing answered: two comparisons asked at once"
        f" ({time.label}; and against '{found3.text.strip()}') — ask one comparison at a time",
        [],
        [],
        [f"time: {time.label}"],
    )


def _refuse_nested_compared(
    text: str,
    a: Any,
    b: Any,
    a_range: TimeRange | None,
    b_range: TimeRange | None,
    ws: Any,
    festivals: Any,
) -> None:
    """Two periods, one inside the other (or the same days), joined by a word of comparing
    ("上周 星期几 单子 最多 和上个月对比", "orders by weekday last week compared with last month",
    "11月件数排第二的商品 和上个月对比" on 1 December): a comparison, never the one period they
    share (was: the narrower period alone, the comparison dropped). Which period is compared
    with which is not clear (上个月 beside 11月 may be the month before it): refused."""
    if a_range is None or b_range is None:
        return
    if any(_THE_ONE_BEFORE.fullmatch(r.label.strip()) for r in (a_range, b_range)):
        return  # "上个月比前一个月": the one before, read elsewhere
    if any(_SAID_AS_BEFORE.search(x.text.lower()) for x in (a, b)):
        return  # "last month compared with the previous month": the one before, read elsewhere
    first, last = (a, b) if a.start < b.start else (b, a)
    between = text[first.end : last.start]
    if find_time(between, ws.today, festivals)[0] is not None:
        return  # "6月比5月少了多少单 2018年": the comparison is of the period between
    compared = _COMPARING_BETWEEN.search(between.lower()) or (
        _WITH_SAID_LAST.search(between) and _COMPARING_AFTER.match(text[last.end :])
    )
    if not compared:
        return
    raise NotUnderstood(
        "not understood, nothing answered: two periods compared, one inside the other or the"
        f" same days ('{first.text.strip()}', '{last.text.strip()}') — which is compared with"
        " which is not clear; name two periods apart (上周 vs 上上周, this month vs last month)",
        [],
        [],
        [f"time: {first.text.strip()} vs {last.text.strip()}"],
    )


def _periods_said(
    text: str, found: Any, second: Any, said_first: TimeRange, other: TimeRange
) -> tuple[str, str, str, bool] | None:
    """Two periods said (`found` read as `said_first`, `second` as `other`): the words before
    the one said first, between the two and after the other, and whether the one said first is
    the later — what a comparative between them ("9月比10月多了多少单", "how much more in may
    than june") takes as its subject."""
    if said_first.start is None or other.start is None:
        return None
    if found.start < second.start:
        first, last, first_tr, last_tr = found, second, said_first, other
    else:
        first, last, first_tr, last_tr = second, found, other, said_first
    assert first_tr.start is not None and last_tr.start is not None
    later_first = first_tr.start > last_tr.start
    one_before = [bool(_THE_ONE_BEFORE.fullmatch(f.text.strip())) for f in (first, last)]
    if one_before[0] != one_before[1]:  # "上个月比前一个月多卖了多少": 前一个月 is the one before
        later_first = one_before[1]  # the other, whatever it reads as alone (the last 30 days,
        # which may even start with it: 上个月 on 1 December)
    elif said_first.start == other.start:
        return None
    return (
        text[: first.start].lower(),
        text[first.end : last.start].lower(),
        text[last.end :].lower(),
        later_first,
    )


def _year_to_date_of_part(
    text: str,
    a: tuple[TimeRange, Any],
    b: tuple[TimeRange, Any],
    today: dt.date,
    inner: Any,
    implied: str | None,
) -> tuple[int, int] | None:
    """ "2011年至今 复活节那一周", "2026年至今五一假期": a whole year with to-date words right after
    it, and a part of that year (a festival) said beside it — the part of the year (the words'
    span in `text`, to blank), not the part continued to today. Said of an earlier year (a part
    in each year since) or of a part not in the year (`implied` not None), refused."""
    from shopql.nlq.lexicon import TO_DATE_WORDS

    for (year, at), (part, _) in ((a, b), (b, a)):
        if not _whole_year(year) or _whole_year(part) or year.start is None:
            continue
        for words in TO_DATE_WORDS:
            m = re.compile(rf"\s*(?:{words})").match(text, at.end)
            if m is None:
                continue
            if year.start.year != today.year or implied is not None:  # not inside it
                raise NotUnderstood(
                    "not understood, nothing answered: a part of the year said after"
                    f" '{at.text} {m.group(0).strip()}' is not in that year to date (or is one"
                    " in each year since): ask it with its own year",
                    [],
                    [],
                    [f"time: {getattr(inner, 'label', '')}"],
                )
            return m.start(), m.end()
    return None


def _two_periods(a: TimeRange, b: TimeRange) -> tuple[TimeRange, str | None]:
    """Two ranges in one question: the later one, compared with the earlier when that is the
    period just before it or the same period a year before (else None: not comparable)."""
    from shopql.catalog.timephrase import previous_range

    if a.start is None or b.start is None or a.end is None or b.end is None:
        return a, None
    before = _THE_ONE_BEFORE.fullmatch(a.label.strip()) or _THE_ONE_BEFORE.fullmatch(
        b.label.strip()
    )
    if before and not (
        _THE_ONE_BEFORE.fullmatch(a.label.strip()) and _THE_ONE_BEFORE.fullmatch(b.label.strip())
    ):
        # "上个月比前一个月": the one before the period named, not the last 30 days
        current = b if _THE_ONE_BEFORE.fullmatch(a.label.strip()) else a
        _same_length_before(current, before.group(0))
        return TimeRange(current.start, current.end, f"{current.label} vs {before.group(0)}"), (
            "previous_period"
        )
    a_inside_b = b.start <= a.start and a.end <= b.end
    b_inside_a = a.start <= b.start and b.end <= a.end
    if a_inside_b or b_inside_a:  # "singles day 2017": one range, the narrower one
        inner = a if a_inside_b else b
        return TimeRange(inner.start, inner.end, f"{a.label} {b.label}".strip()), None
    current, earlier = (a, b) if a.start >= b.start else (b, a)
    for kind in ("previous_period", "year_over_year"):
        prior = previous_range(current, kind)
        if (prior.start, prior.end) == (earlier.start, earlier.end):
            label = f"{current.label} vs {earlier.label}"  # a festival keeps its own year before
            return replace(current, label=label), kind
    return current, "not comparable"


_N_BEFORE = re.compile(
    r"之?前\s*(\d+|[两三四五六七八九十]+)\s*(天|日|周|个?星期)|"
    r"(?:the\s+)?(?:previous|prior|preceding)\s+(\d+)\s*(days?|d|weeks?)|"
    r"(?:the\s+)?(\d+)\s*(days?|d|weeks?)\s+(?:before|prior)"
)


def _same_length_before(current: TimeRange, said: str) -> None:
    """ "近30天 vs 前30天": the N days before a period of N days. Said with another number
    ("近30天比前150天"), the period compared with is not the one just before of the same length:
    refused, naming it, rather than reading it as the previous 30 days."""
    m = _N_BEFORE.fullmatch(said.strip())
    if m is None or current.start is None or current.end is None:
        return
    from shopql.catalog.timephrase import cn_number

    number = next(g for g in (m.group(1), m.group(3), m.group(5)) if g is not None)
    unit = next(g for g in (m.group(2), m.group(4), m.group(6)) if g is not None)
    n = cn_number(number)
    if n is None:
        return
    days = n * (7 if unit.startswith(("周", "星期", "个星期", "week")) else 1)
    if (current.end - current.start).days != days:
        raise NotUnderstood(
            f"not understood, nothing answered: '{said.strip()}' is not as long as"
            f" '{current.label.strip()}' ({(current.end - current.start).days} days), so it is"
            " not the period just before it: compare two periods of the same length"
            " (近30天比前30天), or ask each period on its own",
            [said.strip()],
            [],
            [f"time: {current.label}"],
        )


_RANGE_TO = re.compile(r"\s*(?:到|至|-|~|–|—|\bto\b|\bthrough\b|\bthru\b|\buntil\b)\s*")
_SAME_MONTH_DAY = re.compile(r"(\d{1,2})\s*(?:号|日)")


# two periods set side by side or joined into one ("10月和当月对比", "10月到当月")
_TWO_SAID = re.compile(r"和|与|跟|及|、|比(?!例|率|重)|\bvs\b|到|至|或|还是|,|，")


def _that_same_month(text: str, a: TimeRange | None, at: Any, bt: Any) -> bool:
    """ "上个月的销售额有多少来自当月新客": 当月 said after a month (neither compared with it nor
    listed beside it) is that month again, not the month of today."""
    if a is None or at is None or bt is None or bt.start < at.end or a.start is None:
        return False
    if _TWO_SAID.search(text[at.end : bt.start]):
        return False
    if bt.text.strip() != "当月" or a.end is None or a.start.day != 1:
        return False
    months = (a.end.year * 12 + a.end.month) - (a.start.year * 12 + a.start.month)
    # "今年每个月退货金额占当月销售额多少": over months said month by month, 当月 is each month
    # itself (the month's own sales), not the month of today
    return months == 1 or months > 1 and _EACH_MONTH.search(text[: bt.start]) is not None


_EACH_MONTH = re.compile(r"每一?个?月|按月|逐月|各月|分月")


def _restated(a: TimeRange | None, b: TimeRange | None) -> bool:
    """The second period said is the first one again, in other words (its dates)."""
    if a is None or b is None or (a.start, a.end) != (b.start, b.end):
        return False
    # "上个月比前一个月": the one before is a comparison, whatever today makes of its words
    return not any(_THE_ONE_BEFORE.fullmatch(x.label.strip()) for x in (a, b))


def _date_range(
    text: str, a: TimeRange | None, at: Any, b: TimeRange | None, bt: Any
) -> tuple[TimeRange, int] | None:
    """ "11月5日到11月11日", "11月5号到11号", "2017-03-01 to 2017-03-15": two days joined by
    到 / to are every day from the first to the last (and the end of their span in `text`)."""
    if a is None or at is None or a.start is None or a.end is None:
        return None
    if (a.end - a.start).days != 1:
        return None  # ranges of days only: "1月到3月" is read elsewhere
    joined = _RANGE_TO.match(text, at.end)
    if joined is None:
        return None
    if b is not None and bt is not None and bt.start == joined.end():
        if b.start is None or b.end is None or (b.end - b.start).days != 1 or b.start < a.end:
            return None
        return TimeRange(a.start, b.end, f"{at.text}–{bt.text}"), bt.end
    day = _SAME_MONTH_DAY.match(text, joined.end())  # "11月5号到11号": the same month
    if day is None or b is not None and bt is not None and bt.start < day.end():
        return None
    import datetime as dt

    try:
        last = a.start.replace(day=int(day.group(1)))
    except ValueError:
        return None
    if last < a.start:
        return None
    end = last + dt.timedelta(days=1)
    return TimeRange(a.start, end, f"{at.text}–{day.group(0)}"), day.end()


# a period said only as the one before another named in the question
_THE_ONE_BEFORE = re.compile(
    r"前一(?:个)?(?:月|周|星期|季度|年|天)|再前一(?:个)?(?:月|周|季度|年)|"
    # "近7天 vs 前7天": beside a period of N days, the N days before it (alone, the last N)
    r"之?前\s*(?:\d+|[两三四五六七八九十]+)\s*(?:天|日|周|个?星期)|"
    # "last month compared with the previous month": the one before, said in English
    r"(?:the\s+)?(?:previous|prior|preceding)\s+(?:month|week|quarter|year)|"
    r"(?:the\s+)?(?:month|week|quarter|year)\s+before|"
    + ONE_BEFORE_LAST.pattern  # "上季度比再上一季度", "last 30d vs the 30d before"
)


def _shield_compare(text: str, ws: Any) -> str:
    """Blank comparison phrases ("same period last year") so they are not read as time ranges."""
    for phrase in _compare_phrases(ws.vocabulary):
        if phrase in text:
            i = text.find(phrase)
            text = blank(text, i, i + len(phrase))
    return text


def _compare_phrases(vocabulary: Any) -> list[str]:
    """The vocabulary's comparison phrases, longest first (found once per vocabulary: sorting
    every term for each question took ~15 % of question → SQL)."""
    terms = vocabulary.terms
    cached = getattr(vocabulary, "_compare_phrases", None)
    if cached is None or cached[0] != len(terms):
        phrases = [
            phrase
            for phrase in vocabulary.phrases_longest_first()
            if terms[phrase][0].kind == "modifier" and terms[phrase][0].target == "compare"
        ]
        cached = (len(terms), phrases)
        vocabulary._compare_phrases = cached
    return list(cached[1])


def _value_filters(links: Links, vocabulary: Any) -> tuple[list[Filter], list[Filter]]:
    """Values grouped by dimension (several values → IN; a phrase naming several stored values
    of one dimension, such as 上海 for '上海' and '上海市', takes them all), title keywords as
    LIKE; a value right after a negation word is excluded instead."""
    keep: dict[str, list[Any]] = {}
    drop: dict[str, list[Any]] = {}
    likes: tuple[list[Filter], list[Filter]] = ([], [])
    previous = None
    said: Any = None  # the last value mention
    # "除了SP州和RJ州以外": a value's kind said right after it (州) is part of the value
    said_links, links = links, Links(links.text, _kinds_folded(links.mentions), links.leftover)
    mentions = links.mentions
    outside = _listed_before_outside(links)  # "英国 德国 法国 以外的国家": all three left out
    kept_said: dict[str, Any] = {}  # the last kept value said of each dimension
    closed: set[int] = set()  # negations said after their value ("SP以外的"): that value's own
    for i, m in enumerate(mentions):
        negated = previous is not None and previous.term.target == "negation"
        negated = negated or id(m) in outside
        if (
            negated
            and previous is not None
            and _CONTRAST.search(links.text[previous.end : m.start])
        ):
            negated = False  # "没买过京东但买过天猫": the 'not' ends at 但 (but)
        after = mentions[i + 1] if i + 1 < len(mentions) else None
        if _negated_after(links.text, m, after):
            negated = True  # "京东没买过": the value said before its 'not bought'
            previous = None  # the 'not' is this value's: not the next one's ("…但天猫买过")
            closed.add(id(after))
        if m.term.kind == "value" and negated and after is not None and after.term.kind == "value":
            gap = links.text[m.end : after.start]
            if after.term.target == m.term.target and _CLAUSE_CLOSED.fullmatch(gap):
                previous = None  # "不算取消的 已发货的": the 'not' ends with its own clause (的)
            elif after.term.target != m.term.target:
                # "除了SP以外 boleto的订单数", "不是信用卡付的京东订单": a 'not' reaches a list of one
                # dimension's values; a value of another dimension is said on its own
                previous = None
        if m.term.kind == "value":
            if not negated:
                _one_role_per_dimension(links.text, kept_said.get(m.term.target), m)
                kept_said[m.term.target] = m  # the last one: "英国 和 爱尔兰 (EIRE)"
            values = (drop if negated else keep).setdefault(m.term.target, [])
            same = [
                t.value
                for t in vocabulary.terms.get(m.phrase, [m.term])
                if t.kind == "value" and t.target == m.term.target
            ]
            days = _days_through(links.text, said, m)
            if days:  # the joining word (至, through) is placed by the range
                joined = links.text[said.end : m.start].strip()
                links.leftover = [w for w in links.leftover if w != joined]
            values += [v for v in days or same or [m.term.value] if v not in values]
            said = m
        elif m.term.kind == "keyword":
            op = "not like" if negated else "like"
            spellings = m.term.value if isinstance(m.term.value, tuple) else (m.term.value,)
            likes[negated].append(Filter(m.term.target, op, tuple(f"%{v}%" for v in spellings)))
        elif id(m) in closed:
            # "SP以外的用boleto付过款的客户": the 以外 closed SP, not the next value (it was
            # read as payment_channel not in boleto: a wrong number)
            previous = None
        else:
            previous = m
    said_links.leftover = links.leftover  # the joining words of a range placed
    kept = [Filter(k, "in", tuple(v)) for k, v in keep.items()] + likes[0]
    dropped = [Filter(k, "not in", tuple(v)) for k, v in drop.items()] + likes[1]
    return kept, dropped


def _kinds_folded(mentions: list[Any]) -> list[Any]:
    """The mentions with a dimension word said right after a value of that dimension ("SP州",
    "RJ州") folded into the value (its end moved past the kind): the kind is no breakdown and
    no word between a negation and the next value ("除了SP州和RJ州以外": both left out)."""
    out: list[Any] = []
    for m in mentions:
        last = out[-1] if out else None
        if (
            last is not None
            and m.term.kind == "dimension"
            and last.term.kind == "value"
            and last.term.target == m.term.target
            and last.end == m.start
        ):
            out[-1] = replace(last, end=m.end)
            continue
        out.append(m)
    return out


_THROUGH = re.compile(r"\s*(?:到|至|-|~|–|—|\bto\b|\bthrough\b|\bthru\b|\btill\b|\buntil\b)\s*")


def _days_through(text: str, said: Any, m: Any) -> list[Any]:
    """ "周一到周五", "monday to friday", "mon-fri": two days of the week joined by 到 / to / - are
    every day from the first to the last (1-5; 周五到周一 wraps: 5, 6, 7, 1), not those two days.
    The days between, for the second mention; [] when `m` does not close such a range."""
    if said is None or said.term.target != "day_of_week" or m.term.target != "day_of_week":
        return []
    a, b = said.term.value, m.term.value
    if not isinstance(a, int) or not isinstance(b, int) or a == b:
        return []
    if not _THROUGH.fullmatch(text[said.end : m.start]):
        return []
    return [(a - 1 + k) % 7 + 1 for k in range((b - a) % 7 + 1)]


# a value closed by 的 and a space (or a comma) before the next value: "不算取消的 已发货的"
_CLAUSE_CLOSED = re.compile(r"的\s*[，,；;]?\s*")
# "在拼多多买过的客户 在抖音花了多少": the first value closes a clause naming people (买过的客户);
# the second is said of what they did next — two roles, not one list of values
_PEOPLE_CLOSED = re.compile(
    r"(?:买|购|下单|下过单|下了单|消费|花|付|支付|光顾|来)\s*(?:过|了)?\s*(?:东西|单)?\s*的\s*"
    r"(?:新|老)?\s*(?:客户|买家|顾客|用户|会员|人|消费者|客人)"
)
_PEOPLE_WHO = re.compile(
    r"\b(?:customers|buyers|shoppers|people|users|members|those)\s+(?:who|that)\s+"
    r"(?:have\s+|had\s+)?(?:bought|ordered|shopped|purchased|spent|paid)\b"
)
_THEIR_OWN = re.compile(r"\b(?:they|them|their|those\s+(?:customers|buyers|people))\b")


def _one_role_per_dimension(text: str, first: Any, m: Any) -> None:
    """Two values of one dimension are one list (IN) when said as one ("天猫和京东的销售额");
    when the first closes a clause about people ("在拼多多买过的客户 平均每人在抖音花了多少",
    "customers who bought on Tmall: how much did they spend on JD") and the second is said of
    what those people did, they name two roles (who the people are, what is counted): merged
    into one filter the answer would be wrong, so refused."""
    if first is None or first.phrase == m.phrase or first.term.value == m.term.value:
        return
    gap = text[first.end : m.start]
    who = _PEOPLE_WHO.search(text[: first.start])
    aside = re.search(r"[(（][^)）]*$", gap)  # "京东来了多少新客 (首单在天猫)": restated inside
    if not (_PEOPLE_CLOSED.search(gap) or (who and _THEIR_OWN.search(gap)) or aside):
        return
    said = TWO_ROLES.get()
    if said is not None:
        said.append((m.term.target, first.term.value, m.term.value, first.phrase, m.phrase))


# (dimension, first value, second value, their words): values of one dimension said in two roles
# (_one_role_per_dimension), checked against the final reading by offline.understand
TWO_ROLES: ContextVar[list[tuple[str, Any, Any, str, str]] | None] = ContextVar(
    "TWO_ROLES", default=None
)


def refuse_two_roles_merged(said: list[tuple[str, Any, Any, str, str]], query: Any) -> None:
    """Refuse a reading that merged two values said in two roles into one filter ("在拼多多买过的
    客户 平均每人在抖音花了多少": platform IN (pinduoduo, douyin), one figure over both) — a set
    question that keeps them apart (在天猫买过的客户里有多少也在京东买过) is left alone."""
    filters = list(query.filters)
    if query.population is not None:
        filters += [f for c in query.population.conditions for f in c.filters]
    for dim, a, b, first, second in said:
        for f in filters:
            if f.dimension == dim and f.op == "in" and a in f.values and b in f.values:
                raise NotUnderstood(
                    f"not understood, nothing answered: '{first}' and '{second}' are two {dim}"
                    " values in two roles (who the people are and what is counted of them, or an"
                    " aside in brackets naming another value), which this engine would merge into"
                    " one filter (either of them): ask with one value, or the two side by side"
                    f" ({first}和{second}分别…)",
                    [first, second],
                    [],
                    [f"filter: {dim} in {', '.join(map(str, f.values))}"],
                )


# a 'not' said before the next value does not reach past a "but" ("没买过京东但买过天猫")
_CONTRAST = re.compile(r"但|可是|却|而是|不过|\bbut\b|\byet\b|\bhowever\b")
# Chinese says what was not bought before the verb: 京东没买过, 茶几从来没有买过, 天猫一次都没下过单 —
# the 'not bought' closes its clause (的, a comma, 但, the end), or a value after it is its object
_GAP_BEFORE_NOT = re.compile(r"\s*(?:都|也|还|却|则|从来|从|一直|根本|一次都|一次也|从来都)?\s*")
_NOT_BOUGHT_AFTER = re.compile(
    r"(?:从来|一直|始终)?(?:没有|没|未|从没有|从没|从未)(?:再)?(?:在)?(?:买|购买|下单|下过单|消费|光顾)(?:过|了)?(?:东西)?"
    r"\s*(?=的|[，,。？?、；;]|但|可是|却|而|$)"
)


def _negated_after(text: str, m: Any, after: Any) -> bool:
    """A value `m` followed by its own 'not bought': the negation mention `after` right after it
    (only 都 / 从来 … between) opening a buying verb that ends its clause."""
    if m.term.kind not in ("value", "keyword") or after is None:
        return False
    if after.term.target != "negation":
        return False
    gap = text[m.end : after.start]
    if m.term.kind == "value" and _OUTSIDE_AFTER.match(text, after.start) and not gap.strip():
        return True  # "SP以外的州", "SP 以外 的 州": every state but SP
    if not _GAP_BEFORE_NOT.fullmatch(text[m.end : after.start]):
        return False
    return bool(_NOT_BOUGHT_AFTER.match(text, after.start))


# a value said before 以外 / 之外 and what closes it (的, a space, the end): every other value
_OUTSIDE_AFTER = re.compile(
    r"(?:以外|之外|除外)(?=的|\s|$|[)）,，、;；。.!！?？])"
    r"|除外(?![^。？?]*?(?:没|未|不曾|从未|从来没)\s*有?\s*(?:买|下单|购买|付))"
)  # "SP除外的", "（英国除外）"; 除外 closes what it leaves out whatever follows ("11月 英国 除外 按
# 件数 卖得最好的3个国家" typed with spaces, read without them: B, session 42) — not before a
# not-bought clause (SP除外买了boleto但没买信用卡的客户 stays refused: that reading is not made)
# between values of one list: "英国 德国 法国", "英国、德国和法国", "SP or RJ"
_LIST_GAP = re.compile(r"\s*(?:、|,|，|和|与|及|跟|或者|或|\band\b|\bor\b)?\s*")


def _listed_before_outside(links: Links) -> set[int]:
    """The values listed right before the last one that 以外 / 之外 closes ("英国 德国 法国
    以外的国家"): the list is left out whole, not its last value alone (ids of the mentions)."""
    mentions, text = links.mentions, links.text
    out: set[int] = set()
    for i, m in enumerate(mentions):
        after = mentions[i + 1] if i + 1 < len(mentions) else None
        if m.term.kind != "value" or after is None or after.term.target != "negation":
            continue
        if after.start != m.end or not _OUTSIDE_AFTER.match(text, m.end):
            continue
        last, j = m, i - 1
        while j >= 0:
            v = mentions[j]
            if v.term.kind != "value" or v.term.target != m.term.target:
                break
            if not _LIST_GAP.fullmatch(text[v.end : last.start]):
                break
            out.add(id(v))
            last, j = v, j - 1
    return out


def _pick_dimensions(p: Parsed, ws: Any) -> list[str]:
    """Dimension mentions, each read as the dimension the asked metrics can be split by when a
    phrase has several meanings ("channel": platform, or payment channel for payment metrics)."""
    models = _metric_models(ws, p.metrics)
    dims = ws.catalog.dimensions
    chosen = []
    for m in p.links.of("dimension"):
        options = [t.target for t in ws.vocabulary.terms.get(m.phrase, []) if t.kind == "dimension"]
        fitting = [d for d in options if d in dims and set(dims[d].models) & models]
        chosen.append((fitting or options or [m.term.target])[0])
    return list(dict.fromkeys(chosen))


def _metric_models(ws: Any, metrics: list[str]) -> set[str]:
    from shopql.catalog.compiler import metric_closure

    catalog = ws.catalog
    models = set()
    for metric in metric_closure(catalog, [m for m in metrics if m in catalog.metrics]):
        measure = catalog.measure(metric.measure or "")
        if measure is not None:
            models.add(measure.model)
    return models


def _filter_text(f: Filter) -> str:
    values = ", ".join(str(v).strip("%") for v in f.values)
    return f"{f.dimension} {'like' if 'like' in f.op else '='} {values}"


def _metric_text(metric: Any) -> str:
    """ "seller_count (卖家数)"; a distinct count dated by another of its times is said by its
    own name and that time ("seller_count (卖家数), by paid_date"), not its generated name."""
    name = str(metric.name)
    base, dated, time = name.partition("__by_")
    if dated and getattr(metric, "generated", False) and time == metric.time:
        return f"{base} ({_label(metric)}), by {time}"
    return f"{name} ({_label(metric)})"


def describe(query: SemanticQuery, ws: Any) -> list[str]:
    """The question as understood, one line per part, with dates resolved."""
    catalog = ws.catalog
    lines = ["metrics: " + ", ".join(_metric_text(catalog.metrics[m]) for m in query.metrics)]
    if query.dimensions:
        lines.append("by: " + ", ".join(query.dimensions))
    if query.grain and query.of_groups == "mean":  # "日均": one average, not a row per day
        if any(d in catalog.time_parts for d in query.dimensions):  # weekday vs weekend
            lines.append(
                f"the average per {query.grain} (日均) of each kind, over its {query.grain}s "
                "with any"
            )
        else:
            lines.append(
                f"the average per {query.grain} (日均/月均) over the period's calendar "
                f"{query.grain}s"
            )
    elif query.grain:
        lines.append(f"per {query.grain}")
    lines.append("time: " + describe_range(query.time_range))
    if query.extra.get("by_buyer_kind"):  # "新客和老客的客单价": a row per kind of buyer
        lines.append(
            "by buyer type: new (first paid order ever in the period) and returning (a paid "
            "order before the period): the metric over each kind's orders in the period"
        )
    for f in query.filters:
        lines.append(f"filter: {f.dimension} {f.op} {', '.join(map(str, f.values))}")
    for f in query.having:  # "sellers with more than 100 orders"
        lines.append(f"only rows where {f.dimension} {f.op} {f.values[0]}")
    if query.compare:
        lines.append(
            "compared with: "
            + (
                "the previous period"
                if query.compare == "previous_period"
                else "the same period a year before"
            )
        )
    if query.extra.get("share"):
        lines.append(f"share of the total: {query.metrics[0]}__share")
        for d in query.extra.get("share_whole_drops") or ():
            lines.append(
                f"the whole is every group's {query.metrics[0]}: the filter on {d} only chose"
                " the groups shown (全部 / all said of the whole)"
            )
        from shopql.catalog.families import adds_up

        if not adds_up(ws.catalog, query.metrics[0]):
            lines.append(
                f"each share is of all {query.metrics[0]} together, each counted once: one in "
                "several rows counts in each, so the shares may add up to more than 1"
            )
    if query.limit:
        order = query.order_by[0] if query.order_by else None
        direction = "top" if not order or order.descending else "bottom"
        name = order.name if order else ""
        if order and query.extra.get("per_group"):  # "取消率最低的3个州": by the rate
            name = f"{order.name}__share"
        lines.append(f"{direction} {query.limit}" + (f" by {name}" if order else ""))
    return lines


def describe_range(tr: TimeRange | None) -> str:
    if tr is None or (tr.start is None and tr.end is None):
        return "all time"
    import datetime as dt

    start = tr.start.date().isoformat() if tr.start else "the beginning"
    end = (tr.end - dt.timedelta(days=1)).date().isoformat() if tr.end else "now"
    span = start if start == end else f"{start} → {end}"
    return f"{span} ({tr.label})" if tr.label else span


def _label(metric: Any) -> str:
    label = getattr(metric, "label", {}) or {}
    return label.get("zh") or label.get("en") or metric.name


def suggestions_for(question: str, p: Parsed | None, ws: Any) -> list[str]:
    """Three questions close to `question` that the offline engine answers (none while
    suggestions are off: `without_suggestions`)."""
    if _CHECKING.get():
        return []
    zh = has_chinese(question)
    year = str(ws.today.year - 1)
    pool = [s.replace("{year}", year) for s in SUGGESTIONS["zh" if zh else "en"]]
    if p is not None and p.metrics:
        metric = ws.catalog.metrics[p.metrics[0]]
        name = (metric.label.get("zh") if zh else metric.label.get("en")) or metric.name
        pool.insert(0, f"上个月各平台的{name}" if zh else f"{name} by platform last month")
    from rapidfuzz import fuzz, process

    pool = list(dict.fromkeys(pool))  # the metric's own line may already be in the pool
    ranked = process.extract(question, pool, scorer=fuzz.token_set_ratio, limit=len(pool))
    return answerable([s for s, _, _ in ranked], ws, limit=3)


def close_questions(question: str, query: SemanticQuery, ws: Any) -> list[str]:
    """Two or three questions built from what was understood of `question` (its metrics, time,
    breakdown and single-value filters), which the engine can answer as they stand. The closest
    first: one that keeps every filter understood ("上个月天猫新来了多少客户" → 上个月tmall的支付买家数,
    not every platform's buyers), then fewer parts."""
    zh = has_chinese(question)
    names = [_metric_name(ws.catalog.metrics[m], zh) for m in query.metrics]
    what = ("和" if zh else " and ").join(names)
    when = query.time_range.label if query.time_range and query.time_range.label else ""
    when = when.removesuffix(" (to date)")  # "本月 (to date)" is read back as 本月, cut alike
    said = _said_values(query)
    ranked = close_people_top(query, ws, zh)
    if ranked:
        return ranked
    shapes: list[tuple[tuple[str, ...], str]] = [
        (tuple(query.dimensions), said),
        ((), said),
        (tuple(query.dimensions), ""),
        ((), ""),
        (("platform",), ""),
    ]
    out: list[str] = []
    for dims, values in dict.fromkeys(shapes):  # each shape once: its first answered wording
        texts = [t for t in _close_texts(dims, values, what, when, zh, ws) if t not in out]
        if len(out) < 3 and texts and (said_well := answerable(texts, ws, limit=1)):
            out.append(said_well[0])
    return out or suggestions_for(question, None, ws)


def close_people_top(query: SemanticQuery, ws: Any, zh: bool) -> list[str]:
    """The top N people by a measure ("今年花钱最多的5个客户"), for a ranking of people: that
    ranking in the words the engine reads, with the values understood and without them, those
    it answers; [] for anything else."""
    if query.population is None or query.metrics or not query.order_by or not query.limit:
        return []
    when = query.time_range.label if query.time_range and query.time_range.label else ""
    when = when.removesuffix(" (to date)")
    said = _said_values(query)
    texts = _people_top_texts(query, said, when, zh, ws) + _people_top_texts(
        query, "", when, zh, ws
    )
    return answerable(list(dict.fromkeys(texts)), ws, limit=2)


def _people_top_texts(query: SemanticQuery, values: str, when: str, zh: bool, ws: Any) -> list[str]:
    """The top (or bottom) N customers by the measure a people ranking orders them by, said as
    the engine reads it: by their spend (花钱最多), their orders (下单次数最多), else the
    measure's label."""
    order = query.order_by[0]
    n, top = query.limit, order.descending
    metric = ws.catalog.metrics.get(order.name)
    label = _metric_name(metric, zh) if metric is not None else order.name
    if zh:
        most = "最多" if top else "最少"
        verbs = {"paid_gmv": [f"花钱{most}"], "paid_orders": [f"下单次数{most}"]}.get(
            order.name, []
        )
        verbs.append(f"{label}{'最高' if top else '最低'}")
        return [f"{when}{values}{v}的{n}个客户" for v in verbs]
    side = "top" if top else "bottom"
    return [" ".join(x for x in (side, str(n), values, "customers by", label, when) if x)]


def _said_values(query: SemanticQuery) -> str:
    """The filters a question can say back by their value alone (platform = tmall → "tmall"):
    single values of a plain condition; "" when any filter is of another kind (a range, a
    negation, several values), whose words a suggestion could not keep."""
    words = []
    for f in query.filters:
        if f.op not in ("=", "in") or len(f.values) != 1 or not isinstance(f.values[0], str):
            return ""
        words.append(f.values[0].strip("%"))
    return " ".join(words)


def _close_texts(
    dims: tuple[str, ...], values: str, what: str, when: str, zh: bool, ws: Any
) -> list[str]:
    """A close question of these parts, with the breakdown said by its label first (各平台) and
    by its name as well (各platform: the label may be a word the reader keeps for another)."""
    out = []
    labels = [_dimension_word(ws, d, zh) for d in dims]
    for by_words in (labels, list(dims)) if labels != list(dims) else (labels,):
        by = ("、" if zh else ", ").join(by_words)
        if zh:
            joined = f"{values}的" if values and not by else values
            out.append(f"{when}{joined}{'各' + by + '的' if by else ''}{what}")
        else:
            out.append(" ".join(x for x in (values, what, f"by {by}" if by else "", when) if x))
    return out


def _dimension_word(ws: Any, name: str, zh: bool) -> str:
    dim = ws.catalog.dimensions.get(name)
    label = (getattr(dim, "label", None) or {}) if dim is not None else {}
    word = str((label.get("zh") if zh else label.get("en")) or name)
    if not zh and word[1:] == word[1:].lower():  # "by payment channel", not "by Payment channel"
        word = word[:1].lower() + word[1:]
    return word


# set while suggestions are being checked (or are not wanted): refusals then offer none
_CHECKING: ContextVar[bool] = ContextVar("checking_suggestions", default=False)


@contextmanager
def without_suggestions() -> Iterator[None]:
    """Refusals raised inside offer no suggestions (an empty list); everything else is read as
    usual. Checking a suggestion costs reading and compiling it, most of a refusal's time: for a
    caller that reads what was understood and never the suggestions (a test reading every
    synonym of the catalog). What a user is shown is unchanged (nothing here turns it on)."""
    token = _CHECKING.set(True)
    try:
        yield
    finally:
        _CHECKING.reset(token)


def answerable(questions: list[str], ws: Any, limit: int | None = None) -> list[str]:
    """The questions the offline engine would answer as they stand: each is read by the same
    engine (parse, word accounting, compile with the catalog, the asked period against the
    data's span) without running it, so a suggestion is never one it would refuse (a refund rate
    on a warehouse with no refunds). While checking, refusals offer no suggestions of their own.
    With a `limit`, the first `limit` of them in order (the rest are not read: each costs a
    compile)."""
    if _CHECKING.get():
        return []
    out: list[str] = []
    with without_suggestions():
        for q in questions:
            if limit is not None and len(out) >= limit:
                break
            if _would_answer(q, ws):
                out.append(q)
    return out


# The engine's own "would it answer this?" (parse, word accounting, compile, the period against
# the data): registered by nlq/offline.py, which imports this module (this one imports no engine).
ANSWER_CHECKS: list[Callable[[str, Any], bool]] = []


def _would_answer(question: str, ws: Any) -> bool:
    return all(check(question, ws) for check in ANSWER_CHECKS)


def _metric_name(metric: Any, zh: bool) -> str:
    label = getattr(metric, "label", {}) or {}
    return (label.get("zh") if zh else label.get("en")) or metric.name


def _counts_both(links: Links, catalog: Any) -> bool:
    """Whether a metric read counts the rows that did two things at once (a measure whose
    group condition joins two conditions: 既浏览又购买的访客, 既收藏又加购)."""
    for target in links.targets("metric"):
        metric = catalog.metrics.get(target)
        measure = catalog.measure(getattr(metric, "measure", None) or "")
        having = getattr(measure, "having", None) or ""
        if " AND " in having.upper() and "NOT " not in having.upper():
            return True
    return False
