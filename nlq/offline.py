"""The offline engine: question → SemanticQuery, deterministically, from the catalog's vocabulary,
the value index and the phrase finders. No model, no network.

It covers metrics by dimensions over time ranges, top-N and rankings, filters on known values,
comparisons with the previous period or the same period last year, grains (按月 …), follow-ups
(a question without a metric reuses the previous one), and the compound "top sellers and their
buyer profile". When it cannot answer it says so: what it did not understand, and close questions
it can answer. It never guesses silently: every word it ignored is reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import replace
from typing import Any

from shopql.catalog.model import percentile_fraction
from shopql.catalog.semantic import Filter, OrderBy, SemanticQuery, TimeRange
from shopql.nlq import reading as _reading
from shopql.nlq import valuewords
from shopql.nlq.behaviour import event_people
from shopql.nlq.families import duration_unit, verbs_of
from shopql.nlq.kinds import KIND_GAPS, PER_WORDS, names_kind_of_filtered_products
from shopql.nlq.lexicon import (
    BARE_REFUND_WORDS,
    CHANGE_WORDS,
    FOLLOW_UP_WORDS,
    HARMLESS_CHARS,
    HARMLESS_IF_DAYS,
    HARMLESS_IF_MONEY,
    HARMLESS_IF_ONE_DAY,
    HARMLESS_IF_ONE_ITEM,
    HARMLESS_IF_ONE_ORDER,
    HARMLESS_IF_ORDER_CONDITION,
    HARMLESS_IF_ORDER_VALUE,
    HARMLESS_IF_PERIOD,
    HARMLESS_IF_PERSON_PRODUCTS,
    HARMLESS_IF_PLACE,
    HARMLESS_IF_PRODUCT,
    HARMLESS_IF_RANKED,
    HARMLESS_IF_SMALL_ORDER_VALUE,
    HARMLESS_IF_TITLE,
    HARMLESS_IF_UNIT,
    HARMLESS_IF_WENT_TO,
    MONEY_MADE,
    PLACE_DIMS,
    UNIT_WORDS,
    WENT_TO_DIMS,
    WHICH_WAY,
    unplaced,
)
from shopql.nlq.linking import Term, has_chinese, normalise
from shopql.nlq.reading import (  # noqa: F401 (re-exported: reading a question moved there)
    _YEAR_SAID,
    DEFAULT_TOP,
    LINE_DIMS,
    NUMBER_OF,
    PRODUCT_DIMS,
    NoData,
    Parsed,
    _filter_text,
    _in_year_of,
    close_questions,
    describe,
    describe_range,
    parse,
    suggestions_for,
)
from shopql.nlq.sellers import SALE_SAID as _SALE_SAID
from shopql.nlq.sellers import orders_per_seller
from shopql.nlq.shared import (  # noqa: F401 (re-exported)
    NotUnderstood,
    Understanding,
    Unsure,
    without_cjk_spaces,
)
from shopql.nlq.summed import dimension_summed as _dimension_summed
from shopql.nlq.unitwords import place_units

# a number written with thousands separators ("more than 10,000 units", "over £5,000"): its digits
_GROUPED = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d]|,\d)")
# reais grouped with dots, as Brazil writes them ("orders above R$ 1.000", "R$ 2.500,90"): thousands
_REAIS_GROUPED = re.compile(
    r"(?<![A-Za-z])(R\$\s*)(\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d+,\d{1,2})(?![\d]|[.,]\d)"
)  # "R$ 500,50": the decimal comma of reais (a thousand with a comma, R$1,000, is read above)
_HAN = "\u3400-\u9fff"
_GLUED_PERIOD: tuple[re.Pattern[str], dict[str, str]] | None = None
# a part of the year said after "ytd" / "year to date" (前三个季度, 上半年, Q2, 3月): the year's part,
# not the year to date followed by another period
_PART_OF_YEAR = re.compile(
    r"\s*(?:前\s*(?:\d+|[一二两三四五六七八九十]+)\s*个?\s*(?:季度|月)|[上下]半年|第?[一二三四1-4]\s*季度|q[1-4]"
    r"|(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月)",
    re.IGNORECASE,
)


def _unglue_periods(question: str) -> tuple[str, list[str]]:
    """ "this year几月份取消的单最多", "去年双十二到this year元旦": an English calendar phrase of the
    catalog's (this year, last month, ytd …) typed against a Chinese character, read as its Chinese
    twin (今年, 上个月, 今年以来 …: the same period in the same table); glued, its words are no words
    (no word boundary between "year" and "几") and the period was lost."""
    global _GLUED_PERIOD
    if question.isascii() or not re.search(f"[A-Za-z] ?[{_HAN}]|[{_HAN}] ?[A-Za-z]", question):
        return question, []
    if _GLUED_PERIOD is None:
        from shopql.catalog import timephrase

        twins: dict[str, str] = {}
        for table in (timephrase._PERIODS, timephrase._WEEKENDS, timephrase._TO_DATE):
            chinese: dict[Any, str] = {}
            for phrase, value in table.items():
                if not phrase.isascii():
                    chinese.setdefault(value, phrase)  # the first written: 今年, 上个月
            for phrase, value in table.items():
                if phrase.isascii() and value in chinese:
                    twins[phrase] = chinese[value]
        english = sorted(twins, key=len, reverse=True)
        alt = "|".join(re.escape(p).replace("\\ ", r"\s+") for p in english)
        pattern = re.compile(
            rf"(?<![A-Za-z])({alt})(?=[{_HAN}])|(?<=[{_HAN}])({alt})(?![A-Za-z])"
            rf"|(?:^|(?<=[{_HAN}] ))({alt})(?= [{_HAN}])",  # "去年12月 买过 this year 上半年"
            re.IGNORECASE,
        )
        _GLUED_PERIOD = (pattern, twins)
    pattern, twins = _GLUED_PERIOD
    said: list[str] = []

    def twin(m: re.Match[str]) -> str:
        phrase = m.group(1) or m.group(2) or m.group(3)
        chinese = twins[" ".join(phrase.lower().split())]
        if chinese.endswith("以来") and _PART_OF_YEAR.match(m.string, m.end()):
            chinese = chinese[: -len("以来")]  # "YTD 前三个季度": this year's first three quarters
        said.append(f"{phrase!r} as {chinese!r}")
        return chinese

    read = pattern.sub(twin, question)
    return read, ([f"read English periods typed in Chinese: {', '.join(said)}"] if said else [])


# a second part of a period said after 和 without its period: "上个月 头 5天 和 最后 5天" (the last 5
# days of last month too, not a rolling 近5天 nor a part of nothing)
_PART_BASE = (
    r"(?:上+个?月|本月|这个?月|当月|今年|去年|前年|本年|上周|本周|这周|上个?季度|本季度|这个?季度"
    r"|\d{4}\s*年(?:\s*\d{1,2}\s*月份?)?|\d{1,2}\s*月份?)"
)
_PART_NUM = r"(?:\d+|[一二两三四五六七八九十]+)\s*(?:个\s*)?(?:天|日|周|星期|礼拜)"
_SECOND_PART = re.compile(
    rf"(?<![\d年])({_PART_BASE})(\s*(?:的)?\s*(?:头|前|最后|末)\s*{_PART_NUM}\s*(?:和|跟|与|及|、|还有)\s*)"
    rf"(?=(?:头|最后|末|后)\s*{_PART_NUM})"
)


def _part_base_repeated(question: str) -> tuple[str, list[str]]:
    """ "上个月 头 5天 和 最后 5天": the period said again before the second part (上个月 最后 5天),
    said in the notes; else the question unchanged."""
    m = _SECOND_PART.search(question)
    if m is None:
        return question, []
    base = m.group(1).strip()
    read = question[: m.end()] + base + " " + question[m.end() :]
    second = re.match(rf"\S+\s*{_PART_NUM}", question[m.end() :])
    said = second.group(0) if second else "the second part"
    return read, [f"read {said!r} as {base}'s own ({base}{said})"]


# the sellers a share is taken among, said as the whole before 里/中 with only a value (and 的)
# between it and 占: "8月有出单的卖家里 SP州的占多少" — the sellers counted (卖家数里), not their
# orders (was: SP's share of the orders with items, 出单 read as the metric)
_SELLERS_AMONG = re.compile(
    r"(卖家|商家)(?=\s*(?:里面|里头|当中|之中|里|中)\s*[^，,。？?额量单钱金数件费价]{0,10}?\s*"
    r"(?:占|的比例|的比重|比例|比重))"
)


def _sellers_counted_in_share(question: str) -> tuple[str, list[str]]:
    if not _SELLERS_AMONG.search(question):
        return question, []
    read = _SELLERS_AMONG.sub(r"\1数", question)
    return read, ["read the sellers a share is taken among as counted: " + repr(read)]


# the question as the user wrote it (before any spoken or typo reading): what some words say
# that their readings merge (下过单 and 下单 are read alike; "来下单的买家" is its own reading)
_AS_ASKED: ContextVar[str] = ContextVar("question_as_asked", default="")


def understand(question: str, ws: Any, previous: SemanticQuery | None = None) -> Understanding:
    """Turn `question` into a SemanticQuery, or raise NotUnderstood saying why. A content word
    with a typo one edit from exactly one known word is read as that word, and said (typos)."""
    token = _AS_ASKED.set(question) if not _AS_ASKED.get() else None
    try:
        return _understand_read(question, ws, previous)
    finally:
        if token is not None:
            _AS_ASKED.reset(token)


def _understand_read(
    question: str, ws: Any, previous: SemanticQuery | None = None
) -> Understanding:
    from shopql.nlq import languages, typos

    question = _GROUPED.sub(lambda m: m.group(0).replace(",", ""), question)  # "10,000 units"
    question = _REAIS_GROUPED.sub(
        lambda m: m.group(1) + m.group(2).replace(".", "").replace(",", "."), question
    )  # "above R$ 1.000": a thousand reais
    from shopql.nlq import leftout

    # "leaving out orders with no payment method recorded, which payment method …": said of a
    # ranking by that dimension, what the ranking does already (checked below)
    question, left_out, left_dim = leftout.cut(question)
    question, twinned = _unglue_periods(question)  # "this year几月份…": 今年几月份…
    question, based = _part_base_repeated(question)  # "上个月头5天和最后5天": 上个月最后5天 too
    twinned = twinned + based
    question, read = languages.read(question, languages.readings_of(ws))  # "quantos pedidos"
    question, counted = _sellers_counted_in_share(question)  # "有出单的卖家里SP州的占多少"
    twinned = twinned + counted
    question, expanded = typos.expand(question)  # "no. of orders": the number of
    from shopql.nlq.gaps import read_gaps

    question, gaps_read = read_gaps(question)  # "平均隔多少天买一次": the days between purchases
    question, lines_only = _product_lines_only(question)  # "只算正经商品行": product lines
    expanded = [*expanded, *gaps_read]
    from shopql.nlq.moreorless import read_kinds_bought, read_more_or_less

    question, more_read = read_more_or_less(question)  # "多卖了还是少卖了多少钱": the change
    expanded = [*expanded, *more_read]
    question, kinds_bought = read_kinds_bought(question)  # "买过的货种类最多的客户": 商品数
    expanded = [*expanded, *kinds_bought]
    from shopql.nlq.firstvalue import read_first_value

    question, first_value = read_first_value(question)  # "他们第一张发票平均多少钱": 首单客单价
    expanded = [*expanded, *first_value]
    from shopql.nlq.families import new_people_of_first_orders

    question, new_first = new_people_of_first_orders(question)  # "新客的首单 从下单到付款 几分钟"
    expanded = [*expanded, *new_first]
    from shopql.nlq.buyerkinds import read_buyer_kinds

    question, kinds_read = read_buyer_kinds(question)  # "拆成首次购买的客户和回头客户两块"
    expanded = [*expanded, *kinds_read]
    from shopql.nlq.perhead import read_per_head

    question, per_head = read_per_head(question, ws.catalog)  # "卖家人均销售额": per seller
    expanded = [*expanded, *per_head]
    from shopql.nlq.phrases import read_ordinal

    question, place, said = read_ordinal(question)  # "排第二的品类": the top's reading, at 2
    _refuse_negated_period(question, ws)  # "不在今年…", "outside 2017": the rest, not read
    fixes = typos.corrections(question, ws)
    from shopql.nlq import cumulative
    from shopql.nlq.reading import TWO_ROLES, refuse_two_roles_merged

    if previous is None and place is None:
        from shopql.nlq import bands

        # "买1件、2件、3件及以上的订单各有多少单": one threshold's filter, a row per band
        banded = bands.understand(typos.apply(question, fixes), ws, understand)
        if banded is not None:
            banded.recognised = twinned + read + expanded + typos.notes(fixes) + banded.recognised
            return banded
    roles: list[Any] = []
    token = TWO_ROLES.set(roles)
    try:
        try:
            u = _understand(typos.apply(question, fixes), ws, previous, place)
        except NotUnderstood as e:  # "今年新买家按月累计一共来了多少": its running total
            running = None
            if previous is None and place is None and cumulative.said(list(e.unknown)):
                running = cumulative.running_total(typos.apply(question, fixes), ws, _understand)
            if running is None and previous is None and place is None and _SHARE_REFUSED in str(e):
                running = _part_of_a_named_whole(typos.apply(question, fixes), ws)
            if running is None and previous is None and place is None:
                from shopql.nlq.distinct_per import distinct_per_entity

                # "只买过一个品类的客户有多少": each person's categories, a condition on them
                running = distinct_per_entity(typos.apply(question, fixes), ws, _understand)
            if running is None:
                raise
            u = running
        if u.ignored and previous is None and place is None:
            from shopql.nlq.pergroup import average_per_group

            # "平均每个卖家有几个买家": each seller's buyers, then their mean (平均 left unplaced)
            u = average_per_group(typos.apply(question, fixes), ws, _understand, parse) or u
        if u.ignored and previous is None and place is None:
            from shopql.nlq.distinct_per import distinct_per_entity

            # "平均每个买家买过几个不同的款": each buyer's products, then their mean
            u = distinct_per_entity(typos.apply(question, fixes), ws, _understand) or u
        if u.ignored and previous is None and place is None and cumulative.said(u.ignored):
            # "2018年每月累计销售额": each month's sales beside their running total
            u = cumulative.running_total(typos.apply(question, fixes), ws, _understand) or u
    finally:
        TWO_ROLES.reset(token)
    if place is not None:
        _check_place(u, question, place, str(said), ws)
    if left_out is not None and left_dim is not None:
        u = leftout.check(u, left_out, left_dim, ws)
    refuse_two_roles_merged(roles, u.query)
    _refuse_count_dropped(question, u, ws)
    _refuse_each_as_one_total(question, u)
    _refuse_place_of_people_ranked(question, u)
    _refuse_values_merged_in_people(question, u)
    _refuse_neither_as_one_not(question, u)
    _refuse_months_as_a_list(question, u)
    _refuse_level_ranked_against_before(question, u)
    _refuse_span_of_a_group(u, ws)
    _refuse_count_per_head_split(u, ws)
    _refuse_compared_things_counted(question, u)
    u = _products_of_a_line_condition(question, u, ws)
    if lines_only:
        u = _keep_product_lines(u, lines_only, ws)
    if gaps_read and u.query.population is not None and not _counted_in_the_gaps_period(u, ws):
        # "今年买过5次以上的客户 两次之间平均隔几天": whether the earlier purchase must fall in the
        # period (or among the people's counted orders) too is not said
        raise NotUnderstood(
            "the days between purchases of a set of people: whether both purchases must fall in"
            " the period the people are found in is not said — ask the gap alone (平均购买间隔天数)"
            " or by a value (德国客户的平均购买间隔天数)",
            [],
            [],
            gaps_read + u.recognised,
        )
    if previous is None and _EXCEPT_SAID.search(normalise(question)):
        _check_exclusions(u.query.filters, u.recognised)
    u.recognised = twinned + read + expanded + typos.notes(fixes) + u.recognised
    return u


def _counted_in_the_gaps_period(u: Understanding, ws: Any) -> bool:
    """ "今年买过5次以上的客户 两次之间平均隔几天", "今年买了3次以上的人 从第一次到第三次平均隔了多少
    天": people counted by their orders in the very period the gaps are of, every gap one whose
    rows the period bounds (catalog/joins.bounded_sql: both purchases in the period) — the orders
    counted are the orders the gaps are between, so nothing is left unsaid."""
    from shopql.catalog.joins import PERIOD_OPEN

    q, people = u.query, u.query.population
    if people is None or q.time_range is None or not q.metrics or q.compare:
        return False
    if any(c.kind not in ("orders", "orders_exactly", "orders_at_most") or c.filters or c.time_range != q.time_range
           for c in people.conditions):  # fmt: skip
        return False
    catalog = ws.catalog
    for name in q.metrics:
        metric = catalog.metrics.get(name)
        measure = catalog.measure(metric.measure or "") if metric is not None else None
        model = catalog.models.get(measure.model) if measure is not None else None
        if model is None or PERIOD_OPEN[0] not in (model.sql or ""):
            return False
    return True


# a list's exclusion word: what _check_exclusions asks of ("英国 德国 France 以外"); a value bought
# and another never bought ("买了沙发但没买茶几的客户") is two conditions, not a list left out
_EXCEPT_SAID = re.compile(
    r"以外|之外|除了|除去|除开|\b(?:except|excluding|other than|besides|apart from|outside)\b"
)


def _check_exclusions(filters: Iterable[Filter], recognised: list[str]) -> None:
    """Refuse values kept and others left out of one dimension, the kept ones never among those
    left out: "英国 德国 France 以外" read as UK and Germany but not France — the exclusion then
    removes nothing, so the 以外 / except said of a whole list was read of its last value only."""
    kept: dict[str, set[Any]] = {}
    dropped: dict[str, set[Any]] = {}
    for f in filters:
        values = {v for v in f.values if v is not None}
        if f.op in ("=", "in"):
            kept.setdefault(f.dimension, set()).update(values)
        elif f.op in ("!=", "not in"):
            dropped.setdefault(f.dimension, set()).update(values)
    for dim, out in dropped.items():
        if out and kept.get(dim) and not (kept[dim] & out):
            raise NotUnderstood(
                f"some {dim} values kept ({', '.join(map(str, sorted(kept[dim], key=str)))}) and others"
                f" left out ({', '.join(map(str, sorted(out, key=str)))}): leaving those out changes"
                " nothing, so whether 以外 / except was said of every value listed is not clear —"
                " list the values to leave out together (英国、德国、法国以外)",
                [],
                [],
                recognised,
            )


# 分别 / 各自 / 各 + a verb: each one's own figure ("1月到3月分别卖了多少", "SP和RJ以外的州分别卖了多少")
_EACH_VERB = r"(?<![每])各(?=\s*(?:是|有|为|卖|买|下|花|付|开|占|多少|几))"
# 各 / 按 / 分 / by + a noun of single rows: "7月各订单的金额", "各客户的消费金额", "按订单统计金额",
# "sales by customer" ask one figure per order / per customer, never the month's total (no such
# breakdown is read: refused when a total is all); "按单算" / "按人数" / "by order count" are a basis
_ROW_NOUN = r"(?:订单|单子|发票|客户|客人|顾客|买家|用户|会员|访客)"
_EACH_ROW = re.compile(
    r"(?<![每])各\s*个?\s*(?:笔|张|位|个|条)?\s*(?:订单|单子|单|发票|客户|客人|顾客|买家|用户|会员"
    r"|访客|人|明细|商品行|订单行|行)"
    rf"|(?:按照|按|分)\s*(?:每\s*(?:个|位|张|笔)?|各\s*个?|单个)?\s*{_ROW_NOUN}"
    r"(?!\s*(?:数|量|算|计算|平均|均|人数|金额|额|id|ID|号|时间|日期|时|日|月|年|状态|来源|类型|渠道"
    r"|等级|级别|所在|地|城市|省|州|国家|平台))"
    r"|(?<!placed )(?<!made )(?<!bought )(?<!paid )(?<!spent )(?<!ordered )(?<!purchased )"
    r"(?<!returned )(?<!received )(?<!issued )(?<!written )(?<!left )(?<!given )(?<!sent )"
    r"\bby\s+(?:each\s+|individual\s+|single\s+)?(?:orders?|invoices?|customers?|buyers?"
    r"|clients?|users?|members?|visitors?|shoppers?)\b(?![\s-]*(?:count|number|numbers|value|values"
    r"|time|date|day|week|month|quarter|year|hour|amount|size|status|total|level|type|channel"
    r"|source|ids?|keys?|city|cities|state|states|country|countries|platform)\b)",
    re.I,
)
_EACH_OWN = re.compile(rf"分别|各自|{_EACH_VERB}")
_EACH_VERB_SAID = re.compile(_EACH_VERB)


def _refuse_negated_period(question: str, ws: Any) -> None:
    """ "不在上个月 / 上个月以外 / 除了上个月 京东从拍下到付款平均几个小时", "sales outside 2017": a period
    left out asks about the rest of the data; read without its 'not' (the period itself, or the
    'not' carried to the next value) it was another question — refused, the words named."""
    from shopql.nlq.negperiod import negated_period
    from shopql.nlq.periods import festivals_of

    said = negated_period(normalise(question), ws.today, festivals_of(ws))
    if said is None:
        return
    raise NotUnderstood(
        f"'{said}' leaves a period out (the rest of the data), which is not read here — ask for"
        " the periods you mean (e.g. 2025年, 2026年1-10月, before 2018) or for the period itself",
        [said],
        [],
    )


def _word_refused(said: str, why: str, u: Understanding) -> NotUnderstood:
    """The refusal of an answer that did not read `said`: the word named, what was understood."""
    return NotUnderstood(why, [said], [], u.recognised)


# a count of orders asked ("一共多少单", "有几单", "how many orders"), not a condition's count
# ("下过3单以上", "多少单以上") nor a share (几成单)
_ORDERS_ASKED = re.compile(
    r"(?:多少|几)\s*(?:个|张|笔)?\s*(?:单|订单)(?!\s*(?:以上|以下|及|或|的|里|中|之|是|才|就))"
    r"|\bhow\s+many\s+(?:\w+\s+)?orders\b|\bnumber\s+of\s+orders\b"
)


# a comparison with 比 whose own predicate holds the superlative: "11月哪个国家比10月多卖的钱最多",
# "哪个品类今年比去年卖得最好" — the most more (a change), within one clause
_MOST_AGAINST = re.compile(
    r"比[^，,。；;？?!！]{1,16}?最\s*(?:多|少|高|低|大|小|好|差|快|慢|猛|狠)"
)


# the durations between one person's own purchases (first → last, first → second, each → the
# next): said of a group with no people beside them ("每个卖家第一单到最后一单隔了多少天", "各国从第一张
# 发票到最后一张跨了几天"), the span is the group's own orders', not the average of its people's
_PERSON_SPAN_MODELS = ("buyer_spans", "second_orders", "order_gaps")


# how many (different) things each one did something with: "每位访客平均浏览过几个不同商品",
# "how many different products did each visitor view on average"
_COUNT_PER_HEAD = re.compile(
    r"(?:每|平均|人均)[^，,。？?；;]{0,12}?(?:几|多少)\s*(?:个|种|款|样|家|类|件)\s*(?:不同|不一样)?"
    r"|\bhow\s+many\s+(?:different\s+|distinct\s+|unique\s+)?\w+\b[^,.?;]{0,50}"
    r"\b(?:each|per|every|on\s+average|average)\b",
    re.IGNORECASE,
)


def _refuse_count_per_head_split(u: Understanding, ws: Any) -> None:
    """ "上个月每位访客平均浏览过几个不同商品" was answered as two figures side by side: the views
    per visitor (a ratio of events) and the products sold — neither is the count of different
    products each visitor viewed. A per-head ratio beside a count of things, when the question
    asks how many things per head, is refused (one figure is asked, not two)."""
    metrics = [ws.catalog.metrics.get(m) for m in u.query.metrics]
    if len(metrics) < 2 or any(m is None for m in metrics):
        return
    per_head = [m for m in metrics if m.type == "ratio" and "_per_" in m.name]
    counts = [m for m in metrics if m not in per_head and m.value_type == "count"]
    if not per_head or not counts:
        return
    asked = normalise(_AS_ASKED.get() or "")
    said = _COUNT_PER_HEAD.search(asked)
    if said is None:
        return
    raise NotUnderstood(
        f"'{said.group(0).strip()}': how many different things each one did is one figure per"
        f" head, not {per_head[0].name} beside {counts[0].name} — beyond the offline engine",
        [],
        [],
        u.recognised,
    )


def _refuse_span_of_a_group(u: Understanding, ws: Any) -> None:
    """A person-span duration (首单到最后一单, 复购间隔, 购买间隔) grouped by something with no
    people said anywhere in the question: "每个卖家第一单到最后一单隔了多少天" asks the seller's own
    first and last order, not the average span of its buyers — refused, never answered as theirs."""
    if not u.query.dimensions:
        return
    spans = {
        name
        for m in ws.catalog.measurables.values()
        if m.kind == "duration" and m.model in _PERSON_SPAN_MODELS
        for name in m.metrics.values()
    }
    if not set(u.query.metrics) & spans:
        return
    asked = normalise(_AS_ASKED.get() or "")
    from shopql.nlq.gaps import PEOPLE_SAID

    if not asked or PEOPLE_SAID.search(asked):
        return
    raise NotUnderstood(
        "the days from a first order to a later one, said of each group with no people named:"
        " the group's own first and last order, or the average over its customers? Say whose"
        " (各国家客户的平均首单到最后一单天数)",
        [],
        [],
        u.recognised,
    )


def _refuse_level_ranked_against_before(question: str, u: Understanding) -> None:
    """ "11月哪个国家比10月多卖的钱最多": a superlative said of the comparison itself (比 … 最多)
    ranks by the change — an answer ranked by this period's level, the period before only shown
    beside it, answers "which sold the most in November" instead (the growth words read as a
    growth ranking — 增长最多, 涨得最多 — rank by the change and are not refused)."""
    q = u.query
    if not q.compare or q.extra.get("growth") or not (q.order_by or q.extra.get("which_one")):
        return
    said = _MOST_AGAINST.search(normalise(question))
    if said is None:
        return
    raise _word_refused(
        said.group(0),
        f"'{said.group(0)}' ranks by how much more (or less) than the period compared with, but"
        " the ranking found is by this period's figure alone — ask 增长最多 / 涨得最多 / 跌得最多"
        " (the change) or the ranking of one period",
        u,
    )


# only the lines that are products, said as a limit on what is counted (D, session 41): "只算正经商品
# 行", "仅统计商品行", "product lines only", "only count product lines" — never 只算商品 alone (on
# Olist it may be the goods' value without the freight) nor 不算邮费 (the freight of the orders)
_PRODUCT_LINES_ONLY = re.compile(
    r"[，,。;；]?\s*(?:只|仅)\s*(?:算|统计|计算|计|看)\s*(?:正经|真正|真实|实际)?\s*(?:的)?\s*"
    r"(?:商品|产品|货品)\s*(?:行|明细行|明细)\s*(?:的)?"
    r"|[,;]?\s*\b(?:(?:counting\s+)?(?:real\s+)?product\s+lines\s+only|only\s+(?:count(?:ing)?\s+)?"
    r"(?:the\s+)?(?:real\s+)?product\s+lines)\b",
    re.IGNORECASE,
)


def _product_lines_only(question: str) -> tuple[str, str]:
    """`question` with the words that keep only the product lines blanked, and those words."""
    m = _PRODUCT_LINES_ONLY.search(question)
    if m is None:
        return question, ""
    return question[: m.start()] + " " + question[m.end() :], m.group(0).strip(" ，,。;；")


def _keep_product_lines(u: Understanding, said: str, ws: Any) -> Understanding:
    """ "今年到现在卖掉多少件货 只算正经商品行": the lines that are products only (product_id set: no
    postage, manual charge or bank fee line), as a ranking of products keeps them. Refused where
    the catalog has no product to keep (the words would be dropped)."""
    if "product" not in ws.catalog.dimensions:
        raise NotUnderstood(
            f"'{said}': this workspace names no product on its lines", [said], [], u.recognised
        )
    q = u.query
    if any(f.dimension == "product" and f.op == "is not null" for f in q.filters):
        return u
    u.query = replace(q, filters=(*q.filters, Filter("product", "is not null")))
    u.recognised = [*u.recognised, f"'{said}': only the lines that are products (no postage lines)"]
    return u


def _products_of_a_line_condition(question: str, u: Understanding, ws: Any) -> Understanding:
    """ "今年单价低于1英镑的商品 销售额合计", "法国客户单价超过10镑的商品买了多少件": a condition on
    each order line (its unit price) said of products keeps the lines that are products — a line
    with no product (postage, a manual charge, a bank fee: product_id NULL, as the product count
    leaves out) is no product however its price compares. Said, in the understanding."""
    q = u.query
    thresholds = getattr(ws.catalog, "thresholds", {}) or {}
    on_lines = [
        f
        for f in q.filters
        if f.dimension in thresholds and getattr(thresholds[f.dimension], "entity", "") == "line"
    ]
    if not on_lines or "product" not in ws.catalog.dimensions or q.population is not None:
        return u
    if any(f.dimension == "product" for f in q.filters) or "product" in q.dimensions:
        return u  # a product named or listed: its own lines already
    words = [
        w
        for m in (getattr(ws.catalog, "measurables", None) or {}).values()
        if getattr(m, "kind", "") == "count" and getattr(m, "dimension", None) == "product"
        for w in getattr(m, "words", []) or []
    ]
    said = [
        w
        for w in words
        if (w in question if not w.isascii() else re.search(rf"\b{w}\b", question, re.I))
    ]
    if not said:
        return u
    kept = replace(q, filters=(*q.filters, Filter("product", "is not null")))
    u.query = kept
    u.recognised = [
        *u.recognised,
        f"'{said[0]}': the lines that are products (no postage or manual charge lines)",
    ]
    return u


# things counted by a comparison each of them meets ("退回件数比销量多的商品有几个", "上个月消费比10月多
# 的客户有几个"): 比 against a figure or a period (not a number, not the average), the comparative,
# then 的 and the things, then how many of them
_COMPARED_THINGS = re.compile(
    r"比\s*(?!平均|均值|(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)"
    r"(?![\d.一二两三四五六七八九十百千万]|\s*(?:月|年|日|号|季|周|个月|天|礼拜|星期)))"
    r"[^，,。？?；;]{1,14}?(?:多|少|高|低|大|小|贵|便宜|快|慢)\s*(?:了|出|出来)?\s*(?:一些|很多|不少|一点)?"
    r"\s*的\s*(?:那些|这些)?\s*(?P<things>客户|买家|顾客|人|用户|会员|商品|产品|单品|款|货|sku|国家|州|省份|省|"
    r"城市|卖家|商家|店铺|品类|类目|平台|天|日子|月份)\s*(?:一共|总共|共)?\s*(?:有)?\s*"
    r"(?:几|多少|哪些|哪几)"
)


def _refuse_compared_things_counted(question: str, u: Understanding) -> None:
    """ "今年退回件数比销量多的商品有几个", "上个月消费比10月多的客户有几个": the things each meeting a
    comparison of their own two figures (or of one figure in two periods), counted — answered as
    the totals side by side or the two periods compared (a confident table for another question).
    Refused unless the reading holds the comparison as a condition on them (a set of people, a
    condition on the groups)."""
    m = _COMPARED_THINGS.search(normalise(question))
    q = u.query
    if m is None or q.population is not None or q.having or q.of_groups:
        return
    said = m.group(0)
    raise _word_refused(
        said,
        f"'{said}': the {m.group('things')} each meeting a comparison of its own figures is not"
        " read — the answer found compares the totals instead; ask the figures of each (按商品 /"
        " by customer) and compare them",
        u,
    )


def _refuse_count_dropped(question: str, u: Understanding, ws: Any) -> None:
    """ "今年头两个月一共多少单，销售额多少", "上个月有几单，卖了多少钱": the count of orders asked
    beside an amount — answered with the amount alone (the count read as the amount's order time),
    one figure asked was dropped: refused, the count named, rather than half an answer."""
    said = _ORDERS_ASKED.search(normalise(question))
    q = u.query
    if said is None or q.population is not None or q.having or q.of_groups:
        return
    metrics = [ws.catalog.metrics.get(m) for m in q.metrics]
    if any(m is None or ("order" in m.name and m.value_type != "money") for m in metrics):
        return  # a count (or mean) of orders is there ("paid_gmv__by_order_date" is none)
    if not any(m.value_type == "money" for m in metrics if m is not None):
        return
    raise _word_refused(
        said.group(0),
        f"'{said.group(0).strip()}' asks a count of orders, but the answer found holds only an"
        " amount — the count would be dropped: ask the two figures by name (订单数和销售额)",
        u,
    )


# the place (or platform) each of the people asked about is in: "今年花钱最多的3个客户都是哪个国家的",
# "top customers: which country are they from" — an attribute of each person, never a ranking of
# the places by the figure
_PLACE_OF_PEOPLE = re.compile(
    r"(?:最[^，,。；;？?]{0,10}?|前\s*[\d一二两三四五六七八九十]+)\s*(?:的)?\s*"
    r"[\d一二两三四五六七八九十]*\s*(?:个|位|名)?\s*(?:客户|买家|顾客|客人|会员|人)\s*"
    r"(?:都|分别|各自|各)?\s*(?:是|来自|在|住在)\s*"
    r"哪\s*(?:一)?\s*(?:个|些)?\s*(?:国家|国|州|省份|省|城市|平台|地区)"
)


def _refuse_place_of_people_ranked(question: str, u: Understanding) -> None:
    """ "今年花钱最多的3个客户都是哪个国家的": the country of each of the top spenders, which a
    ranking of countries by their spend is not — refused, the words named."""
    said = _PLACE_OF_PEOPLE.search(normalise(question))
    if said is None or u.query.population is not None:
        return  # (a list of the people themselves has its own check: the part left unread)
    raise _word_refused(
        said.group(0),
        f"'{said.group(0)}': where each of the people asked about is from is not read (the"
        " answer found ranks the places themselves) — ask the people (今年花钱最多的3个客户) or"
        " the places (今年消费最多的3个国家)",
        u,
    )


def _refuse_each_as_one_total(question: str, u: Understanding) -> None:
    """ "1月到3月分别卖了多少", "今年SP和RJ以外的州分别卖了多少": each / 分别 asks one figure per month,
    state … — an answer of one total over all of them (no breakdown, no grain, no comparison, one
    metric) did not read it: refused, the word named, rather than the total given as each one's."""
    q = u.query
    row = _EACH_ROW.search(question)
    if row is not None and not (q.dimensions or q.grain or q.compare or q.of_groups or q.extra):
        if q.population is None and not any("_per_" in m for m in q.metrics):
            raise _word_refused(
                row.group(0),
                f"'{row.group(0)}' asks one figure for each single order / invoice / customer:"
                " such a listing is not read by the offline engine, and the answer would be one"
                " total over all of them — ask the total, an average (平均每单, 人均), a top N"
                " (金额最大的10单) or a split (各平台, 每个月 …)",
                u,
            )
    said = _EACH_OWN.search(question)
    if said is None or q.dimensions or q.grain or q.compare or len(q.metrics) != 1 or q.of_groups:
        return
    if q.extra or (q.population is not None and _EACH_VERB_SAID.search(question)):
        return  # (of people: "新客分别花了多少钱" asks each one's, 各买 may be the people's own verb)
    if "_per_" in q.metrics[0] and re.search(r"平均|\baverage\b", question[said.end() :]):
        return  # "各卖家平均几单": the average over them asked (orders per seller), one figure
    raise _word_refused(
        said.group(0),
        f"'{said.group(0)}' (each one's own figure) was not placed: the answer would be one total over"
        " all of them — say what to split by (每个月, 每个季度, 各州, by month …)",
        u,
    )


# two values set side by side: vs / 对比 / 分别 … ("SP vs RJ buyers who ordered only once: average freight")
_SIDE_BY_SIDE_SAID = re.compile(
    rf"\bvs\.?(?!\w)|\bversus\b|\bcompared?\b|\brespectively\b|对比|比较|分别|各自|{_EACH_VERB}"
)


def _refuse_values_merged_in_people(question: str, u: Understanding) -> None:
    """ "SP vs RJ buyers who ordered only once: average freight per order": the people's condition
    holds two values of one dimension set side by side (vs / 对比 / 分别), yet the answer would be
    one figure over both — refused, the comparison named, rather than the two merged."""
    q = u.query
    if q.population is None or q.dimensions or q.grain or q.compare:
        return
    said = _SIDE_BY_SIDE_SAID.search(question)
    if said is None:
        return
    filters = [f for c in q.population.conditions for f in c.filters] + list(q.filters)
    if not any(f.op == "in" and len(f.values) >= 2 for f in filters):
        return
    raise _word_refused(
        said.group(0),
        f"'{said.group(0)}' sets values side by side, but the answer over the people would be one"
        " figure over all of them together — ask one value at a time, or by the dimension",
        u,
    )


# "天猫和京东都没买过", "A和B都从来没买过": never either of the two (都 over both before the 没; not
# 一次都没 / 什么都没: not even once, "17年买过、18年至今一次都没再买")
_NEITHER_SAID = re.compile(
    r"(?:和|与|跟|及|、|或)[^，,。；;？?但却而可买下]{1,16}?"
    r"(?<!一次)(?<!一单)(?<!一件)(?<!一个)(?<!一笔)(?<!一回)(?<!啥)(?<!什么)(?<!东西)都\s*(?:从来|从|一直|还|也)?\s*(?:没有|没|未|不曾)"
)


def _refuse_neither_as_one_not(question: str, u: Understanding) -> None:
    """ "天猫和京东都没买过的客户有几个": 都 puts the 没 over both things named — read as bought the
    first and never the second, the answer would be another set of people: refused, 都没 named."""
    q = u.query
    said = _NEITHER_SAID.search(question)
    if said is None or q.population is None:
        return
    conditions = q.population.conditions
    never = [c for c in conditions if c.kind == "not_bought"]
    # the never over one value only, and the other value of its dimension bought ("7、8月都没再买":
    # a period, no value; "京东和shopify都没碰过": both values never — read right, answered)
    if not never or any(sum(len(f.values) for f in c.filters) != 1 for c in never):
        return
    dims = {f.dimension for c in never for f in c.filters}
    if not any(
        f.dimension in dims
        for c in conditions
        if c.kind in ("bought", "only", "then")
        for f in c.filters
    ):
        return
    raise _word_refused(
        "都没",
        "'都没' puts the never over both things named (bought neither), but the reading found was"
        " one bought and the other never — ask each on its own (没买过天猫的客户)",
        u,
    )


# the months themselves asked for ("rank the months of 2017 by …", 按月, 逐月, 哪个月)
_MONTHS_ASKED = re.compile(
    r"\b(?:rank|order|sort|list)\s+(?:the\s+)?months\b|\bper month\b|\bby month\b"
    r"|\bmonth by month\b|按月|逐月|哪个月|哪几个月|哪一个月"
)


def _refuse_months_as_a_list(question: str, u: Understanding) -> None:
    """ "rank the months of 2017 by number of customers who ordered only once": the months are
    what is asked, but the set of people was to be answered as a list of people (no month in the
    answer) — refused, the months named, rather than a list that answers another question."""
    q = u.query
    if q.population is None or q.population.output != "list" or q.grain or q.dimensions:
        return
    said = _MONTHS_ASKED.search(question)
    if said is None:
        return
    raise _word_refused(
        said.group(0),
        f"'{said.group(0)}' asks for months, but the answer found would be a list of people"
        " — ask the number of these people by month another way (每个月的新客数)",
        u,
    )


_SHARE_REFUSED = "a share needs a breakdown"
# "德国占海外销售额的比例", "江苏 占 华东 销售额 的 比例": a value's share of a whole that is itself
# named by a value (海外, 华东) — the whole said after 占, the part before it
_PART_OF_WHOLE = re.compile(
    r"(?P<part>[^\s占，,。；;]{1,16}?)\s*占\s*(?P<whole>[^占，,。；;？?]{2,24}?)\s*的?\s*"
    r"(?:比例|比重|份额|百分比|百分之几|几成|多少)"
)


def _part_of_a_named_whole(question: str, ws: Any) -> Understanding | None:
    """ "德国占海外销售额的比例" read as "海外销售额里 德国占多少" (the share of one value within
    the rows of another, each said as a value), when the question was refused as a share with no
    breakdown; None when that reading leaves a word unplaced or is no share of a named whole."""
    m = _PART_OF_WHOLE.search(question)
    if m is None:
        return None
    said = f"{question[: m.start()]}{m.group('whole')} 里 {m.group('part')} 占多少{question[m.end() :]}"
    try:
        u = _understand(said, ws, None, None)
    except NotUnderstood:
        return None
    q = u.query
    if u.ignored or u.compound or q.dimensions or q.grain or q.compare or len(q.metrics) != 1:
        return None
    part = q.extra.get("share_of")
    dims = [f.dimension for f in q.filters if f.op == "in"]
    if not part or dims.count(part) != 1 or len(dims) != len(set(dims)) or len(dims) < 2:
        return None  # the part one value, the whole another dimension's ("天猫占京东": no)
    u.recognised = [f"read as {said.strip()!r}", *u.recognised]
    return u


# The people of a first-order cohort said beside a period: "customers who first bought in",
# "whose first order was in", "new customers of", "首单在…的客户", "…首次购买的客户", "…的新客"
_COHORT_EN = re.compile(
    r"\b(?:for |among |of )?(?:the |all )?(?:customers|buyers|people|shoppers|clients)\s+"
    r"(?:who|whose|that)\s+(?:first (?:bought|ordered|purchased|shopped)|(?:first|1st) "
    r"(?:buy|order|purchase)(?: was| happened| came)?(?: placed)?|(?:bought|ordered|purchased) for "
    r"the first time|(?:made|placed) their first (?:order|purchase)|started(?: out)?(?: buying| "
    r"shopping| ordering)?)\s+(?:in|during|from|on|at)\b"  # "on Tmall", "at that shop"
    r"|\b(?:for |among |of )?(?:the |all )?(?:new|first[- ]time) (?:customers|buyers|clients)"
    r"(?: (?:acquired |won |gained )?(?:of|from|in|during))?\b"
)
_COHORT_ZH_BEFORE = re.compile(
    r"(?:首单|首购|首次购买|首次下单|第一次购买|第一次下单|第一单|第一次买)(?:是|在|发生在|落在)"
)
_COHORT_ZH_AFTER = re.compile(  # 今年首单的新客: new said again beside the first order
    r"的?\s*(?:(?:首单|首购|首次购买|首次下单|第一次购买|第一次下单|第一次买|(?:第一次|头一次|首次)(?:来|过来)"
    r"(?:买|购买|下单)?)\s*的?\s*(?:新(?:客户|客|买家|顾客|用户)|客户|买家|顾客|用户|人)"
    r"|新(?:客户|客|买家|顾客|用户))(?:们)?"  # "3月 首单 的 客户": spaced as typed
)


# "(repeat buyers)", "复购客户": said of a duration defined over repeat buyers only, it restates it
_REPEAT_BUYERS = re.compile(
    r"[(（]?\s*(?:\b(?:of |for |among |only )?(?:repeat|returning|repeating|existing) (?:buyers|customers|"
    r"shoppers)(?: only)?\b|(?:复购|回购|多次购买)(?:的)?(?:客户|买家|顾客|人)|老(?:客户|客|买家|顾客)(?:们)?)"
    r"\s*[)）]?"
)
# the durations whose rows are repeat buyers only: a second order, or a first-to-last span
_REPEAT_MODELS = ("second_orders", "buyer_spans")
# … and those whose rows are every person who has bought before today (the days since the last
# purchase): "老客户们距离上次购买平均过去几天了" — old customers, no period said, are all of them
_EVERY_BUYER_MODELS = ("last_orders",)


def _repeat_buyers_span(
    question: str, ws: Any, previous: SemanticQuery | None, place: int | None
) -> Understanding | None:
    """ "avg days between a customer's first and last order (repeat buyers)", "老客第二次回购距离
    首购平均多少天": a duration whose model holds only people with two or more orders (a second
    order, a first-to-last span) said with the repeat buyers it is of — the words restate it, not
    a set of people to build (None when the question without them is not such a duration alone)."""
    if previous is not None or place is not None:
        return None
    from shopql.nlq.linking import normalise

    text = normalise(question)
    said = list(_REPEAT_BUYERS.finditer(text))
    # 老客户, existing customers: bought before, repeat or not
    old = len(said) == 1 and bool(re.search("老|existing", said[0].group(0)))
    models = _REPEAT_MODELS + (_EVERY_BUYER_MODELS if old else ())
    spans = [
        m for m in ws.catalog.measurables.values() if m.kind == "duration" and m.model in models
    ]
    if len(said) != 1 or not spans:
        return None
    rest = f"{text[: said[0].start()]} {text[said[0].end() :]}"
    try:
        u = _understand(rest, ws, None, None)
    except NotUnderstood:
        return None
    names = {name for m in spans for name in m.metrics.values()}
    if not u.query.metrics or not set(u.query.metrics) <= names or u.query.population is not None:
        return None
    every = {n for m in spans if m.model in _EVERY_BUYER_MODELS for n in m.metrics.values()}
    if set(u.query.metrics) & every and u.query.time_range is not None:
        return None  # 老客户 with a period: returning in it (the people sets read that)
    u.recognised = [*u.recognised, f"'{said[0].group(0).strip()}': the people it is over"]
    return u


_COHORT_ZH_NOUN = re.compile(r"的(?:客户|买家|顾客|用户|人)(?:们)?")


def _first_order_cohort(
    question: str, ws: Any, previous: SemanticQuery | None, place: int | None
) -> Understanding | None:
    """ "median days to 2nd order for customers who first bought in 2011 Q1", "首单在2011年一季度的
    客户，第二单平均隔几天", "2011年一季度首次购买的客户 复购间隔中位数": the days from the first
    order to the second, of the people whose FIRST order falls in the period (the catalog's
    cohort duration, timed by the first order). Read only when, with the cohort words taken out,
    the question is a first-to-second-order duration with a period; else None (read as usual —
    the repurchase days of second orders placed in the period)."""
    if previous is not None or place is not None:
        return None
    from shopql.nlq.linking import normalise

    text = normalise(question)
    said = [m.span() for m in _COHORT_EN.finditer(text)] + [
        m.span() for m in _COHORT_ZH_AFTER.finditer(text)
    ]
    before = [m.span() for m in _COHORT_ZH_BEFORE.finditer(text)]
    for _, b in before[:1]:  # "首单在2011年一季度的客户": the people noun after the period
        noun = _COHORT_ZH_NOUN.search(text, b)
        if noun is None:
            return None
        said += [noun.span()]
    said += before
    if not said:
        return None
    rest = text
    for a, b in sorted(said, reverse=True):
        rest = f"{rest[:a]} {rest[b:]}"
    if rest.strip() == text.strip():
        return None
    try:
        u = _understand(rest, ws, None, None)
    except NotUnderstood:
        return None
    q = u.query
    durations = {
        name: m
        for m in ws.catalog.measurables.values()
        if m.kind == "duration"
        for name in m.metrics.values()
    }
    timed = [d for d in durations.values() if d.name.startswith("cohort_")]
    if not timed or q.population is not None or u.compound:
        return None
    if q.time_range is None or q.time_range.start is None:
        return _first_order_place(u, durations, ws)
    cohort = timed[0]
    swapped = []
    for name in q.metrics:
        d = durations.get(name)
        if d is None or d.model != cohort.model or d is cohort:
            return None
        agg = next(a for a, n in d.metrics.items() if n == name)
        if agg not in cohort.metrics:
            return None
        swapped.append(cohort.metrics[agg])
    if not swapped:
        return None
    u.query = replace(q, metrics=tuple(swapped))
    u.recognised = [*u.recognised, "the people whose first order is in the period (a cohort)"]
    return u


# the duration models whose order fields are the person's FIRST order's (their descriptions)
_FIRST_ORDER_MODELS = ("second_orders", "order_gaps")


def _first_order_place(
    u: Understanding, durations: dict[str, Any], ws: Any
) -> Understanding | None:
    """ "median repurchase gap, customers who started in the UK", "首单在英国的客户 平均多久买第二
    次": with no period, the cohort words name where the first order went — what a place filter
    on these durations already is (their order fields are the first order's); None otherwise."""
    q = u.query
    # where they started: a place, or the platform (shop) of the first order ("第一单在天猫的客户")
    places = {"country", "province", "city", "sales_region", "platform", "shop"}
    if not q.metrics or not any(f.dimension in places and f.op == "in" for f in q.filters):
        return None
    if any(getattr(durations.get(m), "model", None) not in _FIRST_ORDER_MODELS for m in q.metrics):
        return None
    u.recognised = [
        *u.recognised,
        "the place (platform) of the people's first order (where they started)",
    ]
    return u


def _check_place(u: Understanding, question: str, place: int, said: str, ws: Any) -> None:
    """ "排第二", "third highest": answered only as the row at that place of a ranking of one
    breakdown ("which … most"); anything else leaves the place unplaced (refused)."""
    q = u.query
    if q.extra.get("rank_at") == place and q.extra.get("which_one") and not q.extra.get("versus"):
        return
    if q.extra.get("rank_at") == place and q.population is not None and q.limit == place:
        return  # "花钱第三多的客户": the person at that place of the people ranked
    raise NotUnderstood(
        f"not understood, nothing answered: could not place {said!r} (a place in a ranking is "
        "answered for one ranking of one breakdown: 'which category ranks second by sales')",
        [said],
        suggestions_for(question, None, ws),
    )


def _understand(
    question: str, ws: Any, previous: SemanticQuery | None = None, place: int | None = None
) -> Understanding:

    cohort = _first_order_cohort(question, ws, previous, place)
    if cohort is not None:  # "customers who first bought in 2011 Q1: median days to 2nd order"
        return cohort
    span = _repeat_buyers_span(question, ws, previous, place)
    if span is not None:  # "avg days between first and last order (repeat buyers)"
        return span
    if previous is None and place is None:
        from shopql.nlq.order_rows import order_rows

        listed = order_rows(question, ws, _understand)
        if listed is not None:  # "上个月最贵的5单": the orders themselves, ranked
            return listed
        from shopql.nlq.event_rows import event_rows

        latest = event_rows(question, ws, _understand)
        if latest is not None:  # "最近10个被取消的订单", "上个月最大的5笔退款": as rows
            return latest
        from shopql.nlq.customer_id import customer_question

        one = customer_question(question, ws, _understand)
        if one is not None:  # "客户12346买了多少钱": that one customer (by the export's id)
            return one
        from shopql.nlq.trimmed import trimmed_question

        trimmed = trimmed_question(question, ws, _understand)
        if trimmed is not None:  # "去掉最大的1%订单后的客单价": the largest orders left out
            return trimmed
        from shopql.nlq.peaks import peak_question

        peaked = peak_question(question, ws, _understand)
        if peaked is not None:  # "最忙那天是日均的几倍": the peak period against the average
            return peaked
        from shopql.nlq.percentiles import percentile_question

        ranked = percentile_question(question, ws, _understand)
        if ranked is not None:  # "订单金额的90分位数": the median's rows, another percentile
            return ranked
        from shopql.nlq.among_top import refuse_count_among_top

        refuse_count_among_top(question, ws, _understand)  # "前20个商品里 有几个是X的"
        from shopql.nlq.percentiles import mode_question

        common = mode_question(question, ws, _understand)
        if common is not None:  # "上个月最常见的订单金额": the median's rows, their mode
            return common
        from shopql.nlq.percentiles import mean_beside_median

        both = mean_beside_median(question, ws, _understand)
        if both is not None:  # "发票金额的中位数和平均数": the median and the average
            return both
        from shopql.nlq.recency import since_last_question

        since = since_last_question(question, ws, _understand)
        if since is not None:  # "离最后一次有人退货过去多久了": the last one's time to today
            return since
        from shopql.nlq.distinct_per import different_things_counted

        distinct = different_things_counted(question, ws, _understand)
        if distinct is not None:  # "customers who bought more than 50 different products"
            return distinct
        from shopql.nlq.pergroup import median_per_person

        spread = median_per_person(question, ws, _understand)
        if spread is not None:  # "客户消费的中位数": each person's sales, then the median
            return spread
        from shopql.nlq.pergroup import most_per_person

        most = most_per_person(question, ws, _understand)
        if most is not None:  # "单个客户最多买过多少单": each person's orders, then the most
            return most
    p = parse(question, ws)
    if place is not None:
        p.modifiers["rank_at"] = place  # "排第二": the row at that place of the ranking
    _kind_after_value(p, ws)  # "手表礼品类": 类 says what the value is
    _refuse_absent(question, p, ws)
    _refuse_first_order_refunded(question, p, ws)
    _refuse_two_comparisons(question, p, ws)
    if previous is None and place is None:
        from shopql.nlq.seller_sets import understand_sellers

        sellers = understand_sellers(question, ws, p)  # "7月和8月都出过单的卖家有多少"
        if sellers is not None:
            return sellers
    people = _people(question, ws, p, place) if previous is None else None
    if people is not None:
        return people
    said = _refuse_unsupported(question, p, ws)
    if _is_follow_up(question, p, previous):
        assert previous is not None
        refines = p.filters or p.excluded or p.dimensions or p.time or p.top_n or p.metrics
        if not (refines or p.modifiers):
            raise _not_understood(question, p, ws, "nothing in it refines the previous question")
        return _follow_up(p, previous, ws)
    from shopql.nlq.periods import year_said

    if not _compare(p):  # the paths below return before the period is cut further down
        from shopql.nlq.periods import running_to_date

        if not (p.time is not None and _year_left_out(p.time.label, question)):
            p.time = running_to_date(p.time, ws.today)
    if p.modifiers.get("profile") and _wants_products(p):
        _refuse_change_dropped(question, p, ws, "a buyer profile")
        return _buyer_profile(p, ws)
    if p.modifiers.get("negation") and _is_buyers_without(p):
        _refuse_change_dropped(question, p, ws, "the buyers of one thing but not another")
        _refuse_sellers_as_buyers(question, p, ws)
        return _buyers_without(p, ws)
    never = _never_bought_from(p) if p.modifiers.get("negation") else None
    if never is not None:  # "从来没在SP买过的客户有多少": people with no order there at all
        _refuse_change_dropped(question, p, ws, "the buyers who never bought something")
        _refuse_sellers_as_buyers(question, p, ws)
        return _buyers_never(p, never, ws)
    reach = _reach_of_people(p)
    if reach is not None:  # "营业额有一半是多少个客户贡献的": how many top spenders make it up
        _refuse_change_dropped(question, p, ws, "the customers making up a part of the whole")
        return _people_reaching(p, ws, reach)
    if _ranks_customers(p) and p.top_n and p.modifiers.get("share"):
        _refuse_change_dropped(question, p, ws, "a share of the top customers")
        return _top_people_share(p, ws)  # "前10大客户贡献了多少比例"
    percent = _top_percent_of_people(p)
    if percent is not None:  # "前20%的客户贡献了多少销售额": the top fifth of the people
        _refuse_change_dropped(question, p, ws, "a share of the top customers")
        return _top_people_share(p, ws, percent)
    if _ranks_customers(p):
        _refuse_change_dropped(question, p, ws, "a ranking of customers")
        return _top_customers(p, ws)
    from shopql.nlq import comparisons

    _rate_of_value(p, ws)
    _worst_is_most(p, ws)
    _from_to_change(question, p, ws)
    comparisons.prepare(p, ws)
    _two_periods_compared(p)
    if _compare(p) and p.time is None:
        p.time = _default_compare_range(question, ws)
    elif (
        p.time is not None
        and not year_said(p.time.label or "0")
        and not _year_left_out(p.time.label, question)
    ):
        from shopql.nlq.periods import to_date

        # "本月 vs 去年同期", "this month vs last month": the same days (not "2018 vs 2017");
        # "今年", "本季度到现在" alone: up to today too, never data dated after it (on the 1st
        # the period stays whole: "本月 has 0 days of data yet" is said)
        cut = to_date(p.time, ws.today)
        if cut is not None and (_compare(p) or _runs(cut)):
            p.time = cut
    p.apart = _apart_to_date(p.apart, p.time)  # "今年和前年比": the same days of 前年
    _over_grain(p)
    _window_mean_of_period(p)  # "今年日均销量": this year's units per day, not the last 30 days'
    _mean_per_unit(p)  # "日均销售额", "daily avg sales": the average per day, not each day
    _which_named_day(p)
    _change_in_percent(p)
    _slash_ratio(p)
    _change_ranked(p)
    _per_person(p, ws)
    metrics = comparisons.growth_metrics(p, ws) or _metrics(p, ws)
    metrics = _rate_with_its_formula(p, metrics, ws)  # "折扣率（优惠/商品金额）": the rate
    metrics = metrics or comparisons.share_metrics(p, ws)  # "信用卡支付占比": of orders
    from shopql.nlq.thresholds import BARE_BASE

    metrics = metrics or [  # "超过100单的卖家" (a bare bound, "至少1万", names no metric)
        f.dimension for f, _, _ in p.having or [] if f.dimension != BARE_BASE
    ]
    metrics = metrics or _reviews_counted(question, p, ws)  # "上个月收到几条一星评价"
    metrics = metrics or _demonym_counted(question, p, ws)  # "how many german customers"
    metrics = _demonym_counted_beside(p, metrics, ws)  # "number of French customers and sales"
    if not metrics:
        raise _not_understood(question, p, ws, "no metric recognised")
    metrics = _own_model_dimension(p, metrics, ws)  # "库存不足50件的SKU": the stock's own code
    metrics = _things_counted_beside(p, metrics, ws)  # "how many orders and cities": both
    _sold_at_all(p, metrics, ws)  # "worst 5 products by revenue (that sold at all)": > 0
    metrics = _groups_that_had(p, metrics, ws)  # "how many cities had buyers": buyers > 0
    _extreme_among(p, metrics, ws)  # "今年卖过的商品里 最高的单价是多少": the top one
    _at_least_once(p, metrics, ws)  # "how many diff products sold at least once in q1"
    metrics = _condition_last(p, metrics)  # "订单满200单的城市里哪个客单价最高": by 客单价
    metrics = _superlative_first(p, metrics)  # "几点钟下的单客单价最高": ranked by 客单价
    metrics = _duration_subject(p, metrics, ws)  # "german customers' median gap": whose
    metrics = _orders_as_subject(p, metrics, ws)  # "RJ的订单平均几天送到": whose durations
    metrics = _duration_of_counted(p, metrics, ws)  # "avg delivery days of orders delivered …"
    metrics = _duration_of_first_orders(p, metrics, ws)  # "首单从下单到付款平均几分钟"
    metrics = _figure_of_event_orders(p, metrics, ws)  # "上个月 送达的订单 平均运费"
    metrics = _figure_of_orders_paid_after(p, metrics, ws)  # "freight on the orders paid in July"
    metrics = _reviews_as_rows(p, metrics)  # "avg rating of reviews written in 2018"
    _own_event_word(p, metrics, ws)  # "longest delivery for an order placed march 2018"
    place_units(p, metrics, ws)
    metrics = _review_verbs(
        p, metrics, ws
    )  # "customers who left a 1-star review", "给过1星评价的客户"
    _group_with_its_size(p, ws)  # "南部三州(RS SC PR)": the south region, its three states
    _capital_glossing_its_state(p)  # "里约 RJ州", "里约（RJ州）": the state, named twice
    _place_group_count(p, ws)
    _dimension_summed(p)  # "库存最多的5个SKU (两个仓加起来)": over both warehouses, not by each
    metrics = _duration_in_minutes(p, metrics, ws)  # "下单到付款平均几分钟"
    _now_of_a_snapshot(p, metrics, ws)  # "how many SKUs are in stock rn", "仓库里一共还有多少件货"
    said = said + _duration_in_hours(p, metrics, ws)  # "付款到发货平均几个小时": not by hour
    _days_said_as_unit(p, metrics, ws)  # "付款后多久发货 按天算": the unit, not a daily series
    said = said + _duration_asked(p, metrics, ws)  # "下单到付款平均要几个小时"
    said = said + _days_asked_in_hours(question, p, metrics, ws, said)  # "付款后平均几个小时发货"
    _population_of_rows(p, metrics, ws)  # "avg review score for orders placed in 2017"
    metrics = _rows_of_condition(p, metrics, ws)  # "avg review score of orders above R$500"
    _refuse_only_people(question, p, metrics, ws)
    _refuse_only_one_of_several(question, p, ws)
    metrics = _store_recency(question, p, metrics, ws)  # "离最后一次下单过去多少天了"
    metrics = _split_by_new_returning(question, p, metrics, ws)  # "新客和老客的客单价"
    _refuse_both_ends(question, p, ws)  # "销售额最高和最低的州": not only the lowest
    if _compare(p):  # the comparison says how much it rose or fell
        # a growth ranking "jul->aug" with hundreds of sellers tied at -100 % is not ranked
        # safely yet (the % ties): its arrow stays unplaced there
        arrows = set() if p.modifiers.get("growth") else ARROWS
        # "这个月 vs 上个月同期": a period still running is compared like for like (the same
        # days of the one before, periods.to_date), which is what 同期 says
        p.links.leftover = [
            w for w in p.links.leftover if w not in CHANGE_WORDS | arrows and not _same_days(w)
        ]
    metrics = _sold_lines(p, metrics, ws)
    _things_of_a_word(p)  # "小鸟(BIRD)图案的东西卖了几件": the goods the word names
    metrics = _places_of_people(p, metrics, ws)  # "5月下单的客户 分布在多少个城市"
    dims = _seller_as_actor(p, metrics, _dimensions(p, ws), ws)  # "卖家付款后几天发货"
    from shopql.nlq.periods import whole_units

    p.time = whole_units(p.time, _grain(p), ws.today) or p.time  # "近6个月每月": whole months
    _refuse_one_day_split(question, p, ws)
    _refuse_total_of_a_trend(question, p, ws)
    _refuse_left_out_value_said_again(question, p, ws)
    query = SemanticQuery(
        metrics=tuple(metrics),
        dimensions=tuple(dims),
        grain=_grain(p),
        time_range=p.time,
        filters=tuple(p.filters + p.excluded),
        compare=_compare(p),
    )
    _refuse_compare_of_another_unit(p, query, ws)  # "今年销售额比上个月增长多少"
    if p.modifiers.get("by_buyer_kind"):  # "新客和老客的客单价": a row per kind of buyer
        query = replace(query, extra={**query.extra, "by_buyer_kind": True})
    query = _refuse_contradiction(question, p, query, ws)  # "好评(5星)和差评(1星)": = 5 AND = 1
    query = _ordering_people(question, p, query, ws)  # "来下单的买家": who placed an order
    _refuse_never_as_outside(question, p, query, ws)  # "从来没在SP买过的客户"
    _refuse_year_before_of_over_a_year(question, p, query, ws)  # "去年同期 (去年1月1号到今天)"
    restated = _refuse_amount_of_counted(question, p, ws)  # "freight of paid orders"
    if restated and len(query.metrics) > len(restated):  # "median order value of paid orders"
        query = replace(query, metrics=tuple(m for m in query.metrics if m not in restated))
    _refuse_keywords_and(question, p, ws)  # "a cakestand AND a jumbo bag": not one line's title
    _refuse_per_count_beside(question, p, query, ws)  # "每个买家平均付了多少运费": no ratio read
    query = _weekday_not_daily(query, ws)  # "周一到周日 每天的客单价": by weekday, not each date
    query = _every_part_named(query, ws)  # "上午的单和下午的单 客单价": one row each
    query = _every_weekday_named(p, query, ws)  # "星期一到星期天 每天 平均发票金额": by weekday
    query = _mean_query(p, query, ws)  # "周末日均": the average per day of the weekend days
    query = _with_having(question, p, query, ws)  # "sellers with more than 100 orders"
    query = replace(query, metrics=tuple(_sellers_who_sold(p, list(query.metrics), ws)))
    query = _things_of_event_orders(p, query, ws)  # "上个月发货的订单有多少卖家"
    query = replace(query, metrics=tuple(_count_dated_by_event(p, list(query.metrics), ws)))
    query = _status_said_as_event(p, query, ws)  # "how many sellers shipped something"
    query = replace(query, metrics=tuple(_how_much_people_bought(p, list(query.metrics), ws)))
    query = replace(query, metrics=tuple(orders_per_seller(p.links.text, list(query.metrics), ws)))
    query = _count_not_by_itself(p, query)  # "上个月卖出过的商品有多少款": one count
    query = _people_of_an_object(p, query)  # "近30天有多少人收藏过商品": one count of people
    query = _months_as_periods(p, query)  # "17年订单数环比下滑最多的月份": each month
    query = _month_of_one_year(p, query)  # "今年营业额最高的是几月份": 2026-11, not 11
    _refuse_day_before_of_a_span(question, p, query, ws)  # "8月的营业额比前一天": which day?
    if query.grain and query.compare == "previous_period" and not p.two_periods:
        # "每月环比", "monthly growth": each bucket with the one before it
        query = replace(query, extra={**query.extra, "per_bucket": True})
    query = valuewords.per_value(question, query)  # "tmall and jd each": by platform
    query = _averages_of_named_values(p, query, ws)  # "RJ和MG的平均运费": one row each
    query = _periods_side_by_side(p, query)  # "9月和10月哪个月发票多": one row each
    query = _ratio_asked(p, query)  # "今年比去年翻了几倍": the later over the earlier
    query = _delta_asked(question, p, query, ws)  # "Q2比Q1快了几天": the later minus the earlier
    query = _periods_as_rows(p, query)  # "review scores 2017 vs 2018": a row per period
    query = _periods_apart(question, p, query, ws)  # "2017年3月和6月比": a row per period
    _refuse_each_keyword(question, p, query, ws)
    _refuse_best_person_in_each(p, query, ws)  # "每个省买得最多的客户": not read
    _refuse_pieces_of_a_word(
        question, p, query, ws
    )  # "一单买了2件以上羽绒服": not all the order's pieces
    query = _extreme_held_by_which(p, query, ws)  # "最贵的一件 … 是哪个品类的": its category
    query = comparisons.shape(question, _ranked(query, p), p, ws)
    query = _top_per_group(p, query, ws, question)  # "biggest category by revenue in each state"
    _refuse_ranked_over_named(p, query, ws)  # "天猫和京东 哪个品类卖得最好": both or each?
    query = _keyword_groups(p, query, ws)  # "羽绒服和大衣哪个卖得好": a row per word
    if p.modifiers.get("bare_refund_top_n"):  # "今年退款最多的3个省": money or how many, N of them
        raise _not_understood(
            question,
            p,
            ws,
            "'the most refunds': by amount or by number? Say 退款金额 or 退款次数",
        )
    if p.modifiers.get("readings"):  # both readings of a bare refund word: for the top one only
        counted = p.modifiers["readings"][0] == "refund_count"  # or a top N of 退款次数
        top_one = bool(query.extra.get("which_one"))
        top_n = counted and query.limit is not None and bool(query.order_by and query.dimensions)
        if not (top_one or top_n) or tuple(query.metrics) != p.modifiers["readings"]:
            why = "'the most refunds': by amount or by number? Say 退款金额 or 退款次数"
            if counted:
                why = (
                    "how many refunds: refunded orders or refund records? Say 退款订单数 or"
                    " 退款笔数"
                )
            raise _not_understood(question, p, ws, why)
        query = replace(query, extra={**query.extra, "readings": p.modifiers["readings"]})
    query = _weekend_versus_weekday(p, query, ws)  # "周末 vs 工作日": the two day types
    _refuse_grouped_versus(question, p, query, ws)
    _refuse_groups_counted_or_all(question, p, query, ws)
    _refuse_every_period(
        question, p, query, ws
    )  # "每个月都有卖出去的商品有几个": not a row per month
    _refuse_median_of_periods(question, p, query, ws)  # "每天的营业额取个中位数"
    _refuse_change_without_other(question, p, query, ws)  # "今年营业额多了多少": than what?
    _refuse_which_order(question, p, query, ws)  # "最贵的一单是哪单": the order, not a figure
    if p.top_n and not (query.dimensions or query.grain or query.extra.get("keyword_groups")):
        # "卖得最多的3个款" is not a total
        why = f"it asks for a top {p.top_n} but names nothing to rank (products, platforms …)"
        raise _not_understood(question, p, ws, why)
    _metric_over_metric(p, query)  # "今年加购的次数是购买次数的几倍": one over the other
    if p.modifiers.get("share") and _is_top_share(p, query):
        if len(set(query.metrics)) > 1:  # "销量前三的品类 占总单数多少": ranked by one, the
            # whole of another — one of the two would be dropped
            why = f"a top {p.top_n}'s share with two metrics ({', '.join(query.metrics)}) is not answered"
            raise _not_understood(question, p, ws, why)
        query = _top_share(p, query)  # "what share of sales do the top 5 sellers make"
    elif p.modifiers.get("share") and not (
        query.extra.get("share_of") or query.extra.get("share_of_period")
    ):
        query = _with_share(question, query, p, ws)
    if query.extra.get("share_of"):
        _refuse_share_within(question, query, p, ws)
        _refuse_part_said_as_whole(question, query, p, ws)
    shares = ("share", "share_of", "share_of_metric", "share_of_condition", "share_of_period")
    if any(query.extra.get(k) for k in shares):
        _refuse_two_sets_of_orders(question, p, ws)  # "取消的单和送达的单 比例是多少"
        _refuse_status_of_one_side(question, query, p, ws)  # "取消订单数和支付订单数之比"
    if _share_compared(p, query):
        # "英国的销售额占比11月比10月高了几个百分点": the value's share in each period and the
        # change in percentage points (comparisons._share_compared); the words of change placed
        changed = " ".join(m.group(0) for m in _SHARE_CHANGE.finditer(p.links.text))
        p.links.leftover = [
            w
            for w in p.links.leftover
            if w not in changed and not ("point" in changed and w.lower() in _CHANGE_WORDS_EN)
        ]
    elif (spanned := _shares_of_two_periods(p, query)) is not None:
        query = spanned  # "7月和8月的取消率各多少": each month's share, a row each
    elif query.compare and any(query.extra.get(k) for k in shares):
        # "上个月天猫销售额占比 环比变化多少", "share of revenue from SP compared with last year":
        # every share answer is of the question's own period — the other period's share (and
        # the change) would be dropped, answering the share alone
        why = (
            "a share compared with another period (how it changed) is beyond the offline "
            "engine: ask each period's share"
        )
        raise _not_understood(question, p, ws, why)
    if any(query.extra.get(k) for k in shares):
        # "占几成", "占百分之几": the share's own question word, placed by the share answered
        asked = [a for a in comparisons.SHARE_ASKS if a in p.links.text]
        p.links.leftover = [w for w in p.links.leftover if not any(w in a for a in asked)]
    _dated_end_event(p, query, ws)  # "复购间隔中位数 (今年发生的第二单)"
    _days_said_again(p, query)  # "上周末 两天", "周末两天的销售额"
    _refuse_past_period_of_a_snapshot(question, p, query, ws)  # "上个月 库存": not now's
    _paid_by_channel(p, query)  # "avg review score on orders paid by debit card": of those orders
    _which_of_two_periods(p, query)  # "7月和8月的客单价哪个高一点": the two rows are the answer
    from shopql.nlq.wholecountry import whole_country

    # "巴西买家付了多少钱" on Olist: the country every order is in, no filter (said in a note)
    p.links.leftover, whole = whole_country(p.links.leftover, p.links.text, ws)
    recognised = describe(query, ws) + comparisons.describe(query) + said + whole
    return Understanding(query, recognised=recognised, ignored=_ignored(p) + _unused(p, query, ws))


_DAYS_SAID = re.compile(r"^(\d+|[一二两三四五六七])\s*天$")

# how a share changed between two periods: "高了几个百分点", "低了多少个点", "变化了几个百分点",
# "by how many percentage points", "change in share"
_SHARE_CHANGE = re.compile(
    r"(?:高|低|多|少|涨|跌|升|降|增加|减少|提高|提升|下降|上升|下滑|变化|变动|变)了?\s*"
    r"(?:几|多少)?\s*(?:个\s*百分点|百分点|个\s*点)"
    r"|(?:几|多少)\s*个?\s*百分点"
    r"|\b(?:how\s+many\s+)?percentage\s+points?\b|\bpp\b"
)


# "by how many percentage points did … change": the verb of the change, wherever it is said
_CHANGE_WORDS_EN = {"change", "changed", "changes", "rise", "rose", "fall", "fell", "grow", "grew"}


_CHANGE_SAID = re.compile(
    r"变化|变了|涨|跌|升|降|增|减|高了|低了|多了|少了|差|(?<!占)比(?!例|重|率)|环比|同比"
    r"|\bchange|\bgrow|\brise|\brose|\bfell|\bfall|\bdrop|\bdifference|\bcompared\b|\bvs\b"
)


def _shares_of_two_periods(p: Parsed, query: SemanticQuery) -> SemanticQuery | None:
    """ "7月和8月的取消率各多少", "Q1 and Q2 cancellation rate": a value's share in two whole
    months (quarters, years) one after the other, asked of each with no change asked — the
    share within each of them: the grain of their unit over the two (a row each), not the later
    compared with the earlier (refused below: every share answer is of one period)."""
    from shopql.catalog.timephrase import previous_range

    if query.compare != "previous_period" or p.apart is not None or p.two_periods is None:
        return None
    if "share_of" not in query.extra or set(query.extra) - {"share_of", "known_only"}:
        return None
    if query.dimensions or query.grain or len(query.metrics) != 1 or p.top_n:
        return None
    if query.population is not None or query.having or query.of_groups or query.order_by:
        return None
    if _CHANGE_SAID.search(p.links.text):
        return None
    tr = query.time_range
    if tr is None or tr.start is None or tr.end is None or tr.label.endswith("(to date)"):
        return None
    start, end = tr.start.date(), tr.end.date()
    if start.day != 1 or end.day != 1:
        return None
    months = (end.year - start.year) * 12 + end.month - start.month
    unit = {1: "month", 3: "quarter", 12: "year"}.get(months)
    if (
        unit is None
        or (unit == "quarter" and start.month % 3 != 1)
        or (unit == "year" and start.month != 1)
    ):
        return None
    before = previous_range(tr)
    if before.start is None or before.end != tr.start:
        return None
    both = replace(tr, start=before.start)  # its label names both ("8月 vs 7月")
    extra = {**query.extra, "per_group": True}  # the share within each period
    return replace(query, compare=None, grain=unit, time_range=both, extra=extra)


def _share_compared(p: Parsed, query: SemanticQuery) -> bool:
    """A value's share (share_of) of one plain figure compared with the period just before or a
    year before: each period's share and the change in percentage points (no breakdown,
    ranking, population or condition: those shares have no such answer here)."""
    if set(query.extra) - {"share_of", "known_only", "line_seller", "apart"}:
        return False
    if "share_of" not in query.extra:
        return False
    if query.extra.get("apart"):  # two periods apart, the later said first (_periods_apart)
        if query.compare is not None:
            return False
    elif query.compare not in ("previous_period", "year_over_year") or p.apart is not None:
        return False
    if query.dimensions or query.grain or len(query.metrics) != 1 or p.top_n:
        return False
    if query.population is not None or query.having or query.of_groups or query.order_by:
        return False
    return bool(_SHARE_CHANGE.search(p.links.text))


def _days_said_again(p: Parsed, query: SemanticQuery) -> None:
    """ "上周末 两天 卖了多少", "今年 周末两天 的销售额": a number of days that restates what the
    query keeps — a range of that many days, or that many days of the week — is placed;
    any other number of days stays unplaced."""
    from shopql.catalog.timephrase import cn_number

    kept: set[int] = set()
    tr = query.time_range
    if tr is not None and tr.start is not None and tr.end is not None:
        kept.add((tr.end - tr.start).days)
        apart = p.apart
        if p.added and apart is not None and apart.start is not None and apart.end is not None:
            # "2017年11月11日 和 2018年6月18日 两天 合计": the days of both periods added
            kept.add((tr.end - tr.start).days + (apart.end - apart.start).days)
    for f in query.filters:
        if f.dimension == "day_of_week" and f.op == "in":
            kept.add(len(f.values))
    said = {}
    for w in p.links.leftover:
        m = _DAYS_SAID.match(w)
        if m:
            said[w] = int(m.group(1)) if m.group(1).isdigit() else cn_number(m.group(1))
    placed = {w for w, n in said.items() if n is not None and n in kept}
    if placed:
        p.links.leftover = [w for w in p.links.leftover if w not in placed]


def _dated_end_event(p: Parsed, query: SemanticQuery, ws: Any) -> None:
    """ "复购间隔中位数 (今年发生的第二单)", "repurchase gap of second orders placed this year": a
    duration's end event (第二单) said again beside the period is what the period dates, when
    the duration is timed by that end event (its model's time column is the end timestamp):
    placed. Timed by anything else (a cohort's first order), it stays unplaced."""
    if query.time_range is None or not p.links.leftover:
        return
    ends: set[str] = set()
    for m in ws.catalog.measurables.values():
        if m.kind != "duration" or not set(m.metrics.values()) & set(query.metrics):
            continue
        model = ws.catalog.models.get(m.model)
        dim = model.dimensions.get(m.time or model.default_time or "") if model else None
        if dim is not None and m.end is not None and dim.expr.strip() == m.end.strip():
            ends |= {normalise(w) for w in m.ends}
    if ends:
        p.links.leftover = [w for w in p.links.leftover if normalise(w) not in ends]


def _same_days(word: str) -> bool:
    """ "同期", "同期涨", "同期多": 'the same days of' the period compared with — what a comparison
    of a running period already is (periods.to_date: like for like), with a change word after it."""
    rest = word.removeprefix("同期")
    return rest != word and (rest in ("", "的") or rest in CHANGE_WORDS or rest in HARMLESS_CHARS)


# "比一比", "比较": read whole (nlq/linking.py), placed where values are compared side by side
SPOKEN_COMPARE = ("对比一下", "比较一下", "比一比", "比一下", "比较")


def _two_periods_compared(p: Parsed) -> None:
    """ "10月和11月销售额比一比": two periods are answered as one comparison row here, where the
    asker expects one row each — the comparison word stays unplaced (refused, not reshaped)."""
    if p.two_periods:
        said = next((w for w in SPOKEN_COMPARE if w in p.links.text), None)
        if said is not None and said not in p.links.leftover:
            p.links.leftover.append(said)


def _condition_last(p: Parsed, metrics: list[str]) -> list[str]:
    """A metric that is only the condition on the groups ("订单满200单的城市里哪个客单价最高":
    orders >= 200) comes after the metrics asked, so rankings, the top one and shares use the
    asked one (客单价), not the condition's count said first."""
    conditions = {f.dimension for f, _, _ in p.having or []}
    asked = [m for m in metrics if m not in conditions]
    return asked + [m for m in metrics if m in conditions] if asked else metrics


_AT_ALL = re.compile(
    r"\b(?:that|which|who)?\s*(?:sold|sold anything|had (?:any )?sales|sell)\s+at\s+all\b"
    r"|\b(?:that|which) (?:had|have) (?:any )?sales\b|有(?:卖出|销量|成交)的|卖出过的|卖过的|售出过的"
)


# "how many cities had buyers", "cities with sales": the count's values and the metric they had
def _people_metric(name: str) -> bool:
    """People counted ("客户分布在几个城市"): their places are _places_of_people's (the orders
    they placed or paid), not the groups with some of them."""
    from shopql.nlq.people import PEOPLE_METRICS

    return name in PEOPLE_METRICS


def _spread_said(p: Parsed) -> bool:
    """Each 分布 said is in "分布在几个…" (its place count after it)."""
    said = [m for m in p.links.of("modifier") if m.term.target == "distribution"]
    text = p.links.text
    return bool(said) and all(_SPREAD_OVER.match(text, m.start) for m in said)


# between rows counted and the count of places: the places they spread over / came from
_SPREAD_OVER = re.compile(r"(?:分布在|分布于|分散在|遍布|来自)\s*(?:多少个?|几个?)?\s*(?:不同的?)?")
_HAD_GAP = re.compile(
    r"(?:(?:that|which|who)\s+)?(?:had|have|has|got|get|gets|with|having|saw|recorded)"
    r"(?:\s+(?:any|some))?|(?:都)?(?:有过?|出现过|出过|开过|产生过|发生过)"  # 几个国家出现过退货单
)


def _groups_that_had(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "how many cities had buyers in may", "5月有买家的城市有几个", "多少个城市有买家": the values a
    count of a dimension counts are those with some of the other metric said (> 0) — the groups
    meeting a condition (offline._with_having), not every value beside the metric's total. Only a
    count (or sum) said right beside the dimension's with "had" / "有"; the count first after."""
    if p.having or len(metrics) != 2 or p.dimensions or p.two_periods:
        return metrics
    if p.modifiers and (p.modifiers.keys() != {"distribution"} or not _spread_said(p)):
        return metrics  # 分布 only as "分布在几个国家" (_SPREAD_OVER below)
    catalog = ws.catalog
    counts = {m for m in metrics if _dimension_of_count(m, ws) is not None}
    if len(counts) != 1:
        return metrics
    (count,) = counts
    (other,) = [m for m in metrics if m != count]
    metric = catalog.metrics.get(other)
    if metric is None or metric.type != "simple" or not metric.measure:
        return metrics
    said = {m.term.target: m for m in p.links.mentions if m.term.kind == "metric"}
    a, b = said.get(count), said.get(other)
    if a is None or b is None:
        return metrics
    text = p.links.text
    if a.end <= b.start:  # "cities had buyers", "城市有买家"
        gap = text[a.end : b.start].strip()
        had = _HAD_GAP.fullmatch(gap) is not None
    elif _SPREAD_OVER.fullmatch(text[b.end : a.start].strip()) and not _people_metric(other):
        # "11月的退货单分布在几个国家", "退货单来自多少个国家": the places those rows came from —
        # the places with some of them (was: the rows' count beside every place's count)
        gap, had = "有", True
    else:  # "有买家的城市"
        gap, before = text[b.end : a.start].strip(), text[: b.start].rstrip()
        said_had = _HAD_GAP.search(before[-3:])
        had = gap == "的" and said_had is not None and before.endswith(said_had.group(0))
        gap = said_had.group(0) if had and said_had else "有"
    if not had:
        return metrics
    if p.modifiers:  # 分布 said as where the rows spread over: how many places, no breakdown
        p.modifiers.pop("distribution", None)
    p.having = [(Filter(_orders_of_people(metric, catalog), ">", (0,)), gap, None)]
    return [count, other]


def _orders_of_people(metric: Any, catalog: Any) -> str:
    """A group "had buyers" when it had a paid order, whoever placed it: the orders with the
    people metric's own filter and time (paid orders), where the people counted leave out the
    orders naming no one (Online Retail's anonymous invoices) — otherwise the metric itself."""
    from shopql.nlq.people import PEOPLE_METRICS

    if metric.name not in PEOPLE_METRICS:
        return str(metric.name)
    for m in catalog.metrics.values():
        if m.measure == "order_count" and (m.filter, m.time) == (metric.filter, metric.time):
            return str(m.name)
    return str(metric.name)


_COUNT_SAID = re.compile(r"how many\b|number of\b|多少|几", re.IGNORECASE)


def _things_counted_beside(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "how many orders and cities did we ship to last month", "多少单和多少个城市": a dimension's
    word joined by and to a count asked ("how many orders") is counted too — how many of its
    values — not a breakdown of the count by it."""
    from shopql.catalog.families import dimension_count

    if len(metrics) != 1 or len(p.dimensions) != 1 or p.top_n or p.having:
        return metrics
    said = [m for m in p.links.of("metric") if m.term.target == metrics[0]]
    dims = [m for m in p.links.of("dimension") if m.term.target == p.dimensions[0]]
    if len(said) != 1 or len(dims) != 1 or said[0].end > dims[0].start:
        return metrics
    text = p.links.text
    asked = _COUNT_SAID.match(said[0].phrase)  # the mention "how many orders", "多少单"
    if not asked and not _COUNT_BEFORE.search(text[: said[0].start]):
        return metrics
    if _AND_BETWEEN.fullmatch(text[said[0].end : dims[0].start].strip()) is None:
        return metrics
    counted = dimension_count(ws.catalog, p.dimensions[0])
    if not counted or counted in metrics:
        return metrics
    from shopql.nlq.timebasis import dated_count

    metric = ws.catalog.metrics.get(metrics[0])
    time = getattr(metric, "time", None)
    if time and getattr(metric, "measure", None) == "order_count":
        # "how many orders and cities did we ship to": the cities of the orders shipped then
        counted = dated_count(ws.catalog, counted, time) or counted
    p.dimensions = []
    return [*metrics, counted]


def _dimension_of_count(metric: str, ws: Any) -> str | None:
    """The dimension whose values `metric` counts ("how many cities": city), if it is such a count."""
    from shopql.catalog.families import dimension_count

    catalog = ws.catalog
    for m in catalog.measurables.values():
        if m.kind == "count" and m.dimension and metric in m.metrics.values():
            return str(m.dimension)
    for name in catalog.dimensions:
        if metric.startswith(name) and dimension_count(catalog, name) == metric:
            return str(name)
    return None


def _sold_at_all(p: Parsed, metrics: list[str], ws: Any = None) -> None:
    """ "worst 5 products by revenue (that sold at all)": the groups with some of the ranked
    amount (> 0), a condition on them — the words were read as a verb and dropped before."""
    m = _AT_ALL.search(p.links.text)
    if m is None or not metrics or not (p.dimensions or p.modifiers.get("bottom")):
        return
    said = m.group(0).strip()
    inside = [  # "卖得最差的10个品类 (有销量的)": the condition names 销量, the ranking does not
        n
        for n in p.links.of("metric")
        if n.term.target == metrics[0] and m.start() <= n.start and n.end <= m.end()
    ]
    if ws is not None and len(metrics) == 1 and inside and p.modifiers.get("bestsellers"):
        others = [n for n in p.links.of("metric") if n not in inside]
        if not others:  # ranked by what 卖得最好 / 最差 ranks by, the condition on it
            metrics[0] = _bestseller_measure(p, set(p.dimensions) - set(PRODUCT_DIMS), ws)
    p.having = [*(p.having or []), (Filter(metrics[0], ">", (0,)), said, None)]
    # "卖过的": the verb left over on its own is the condition's too
    rest = [w for w in p.links.leftover if not (w in said and w != said and not w.isascii())]
    p.links.leftover = [*rest, said]


# "sold at least once", 至少卖出过一次, "sellers with at least one sale": what a count of
# distinct things sold already says
_AT_LEAST_ONCE = re.compile(
    r"\bat\s+least\s+once\b|\bat\s+least\s+(?:one|1|a\s+single)\s+(?:[a-z_]+\s+){0,2}?(?:sale|order|purchase)\b|至少(?:有)?(?:卖出|售出|卖|买|下单|成交|下)?过?(?:一次|一单|一件)"
)


def _at_least_once(p: Parsed, metrics: list[str], ws: Any) -> None:
    """ "how many diff products sold at least once in q1", "q1至少卖出过一次的商品有几个": a count
    of distinct things (products, sellers, cities, buyers) counts each one that appears at
    least once — the words say nothing more there (beside any other metric they stay unplaced)."""
    m = _AT_LEAST_ONCE.search(p.links.text)
    if m is None or not metrics:
        return
    for name in metrics:
        metric = ws.catalog.metrics.get(name)
        measure = ws.catalog.measure(getattr(metric, "measure", None) or "")
        if measure is None or measure.agg != "count_distinct":
            return
    said = m.group(0)
    p.links.leftover = [w for w in p.links.leftover if w not in said]
    inside = [
        x for x in p.links.of("modifier") if m.start() <= x.start and x.end <= m.end()
    ]  # "least" of "at least once" is no ranking from the bottom
    if inside and p.top_n is None:
        p.links.mentions = [x for x in p.links.mentions if x not in inside]
        for x in inside:
            if not any(y.term.target == x.term.target for y in p.links.of("modifier")):
                p.modifiers.pop(x.term.target, None)


_FOR_ROWS = re.compile(r"\b(?:for|of|on|across)\s+(?:the\s+|all\s+)?$")
_EVENT_AFTER = re.compile(r"^\s*(placed|paid|made|shipped|delivered|created|bought)\b")


def _own_time(name: str, ws: Any) -> str | None:
    """The time a metric is counted by: its own `time`, else its measure's model's default."""
    metric = ws.catalog.metrics.get(name)
    measure = ws.catalog.measure(getattr(metric, "measure", None) or "")
    model = ws.catalog.models.get(measure.model) if measure is not None else None
    return getattr(metric, "time", None) or getattr(model, "default_time", None)


def _population_of_rows(p: Parsed, metrics: list[str], ws: Any) -> None:
    """ "avg review score for orders placed in 2017": the orders say whose score, placed in 2017
    when — not an order count beside the score over 2017 by its own date. The period's basis
    then is another metric's than the one asked: its event word stays unplaced (refused)."""
    if len(metrics) < 2:
        return
    from shopql.nlq.timebasis import event_words

    own = _own_time(metrics[0], ws)
    words = event_words(ws.catalog)
    text = p.links.text
    rows = [m for m in p.links.of("metric") if m.term.target == metrics[0]]
    for m in rows[:1] if len(metrics) == 2 and metrics[0] == "orders" else []:
        # "for orders placed in 2018, how long after payment did sellers ship": the orders
        # said first are whose durations (the rows), placed when — not a count beside them
        event = _EVENT_AFTER.match(text[m.end :])
        if event is None or not _FOR_ROWS.search(text[: m.start]):
            continue
        other = _own_time(metrics[1], ws)
        dated = _dated_by_rows(metrics[1], "orders", words.get(event.group(1)), ws)
        if other is not None and words.get(event.group(1)) == other:
            metrics.remove("orders")  # their own time: the period is the other metric's
        elif dated is not None:  # the durations of the orders placed then
            metrics[:] = [dated]
            p.links.leftover = [w for w in p.links.leftover if w != event.group(1)]
        elif event.group(1) not in p.links.leftover:
            metrics.remove("orders")  # another time: the event word stays unplaced
            p.links.leftover = [*p.links.leftover, event.group(1)]
        return
    for m in p.links.of("metric"):
        if m.term.target not in metrics or m.term.target == metrics[0]:
            continue
        event = _EVENT_AFTER.match(text[m.end :])
        if event is None or (own is not None and words.get(event.group(1)) == own):
            continue  # "median delivery days for orders placed last quarter": its own time
        if not _FOR_ROWS.search(text[: m.start]):
            continue
        dated = _dated_by_rows(metrics[0], m.term.target, words.get(event.group(1)), ws)
        if dated is not None and len(metrics) == 2:
            # "avg review score for orders placed in 2017": the reviews of those orders
            metrics[:] = [dated]
            p.links.leftover = [w for w in p.links.leftover if w != event.group(1)]
            return
        if event.group(1) not in p.links.leftover:
            p.links.leftover = [*p.links.leftover, event.group(1)]


def _dated_by_rows(name: str, rows: str, time: str | None, ws: Any) -> str | None:
    """`name` counted by `time` when its model has that time of the orders the count `rows`
    counts (the reviews' order_date: the placing time of the order reviewed), else None."""
    from shopql.catalog.families import dated_by

    catalog = ws.catalog
    metric, counted = catalog.metrics.get(name), catalog.metrics.get(rows)
    if metric is None or metric.type != "simple" or counted is None or time is None:
        return None
    if counted.filter or (counted.time or None) not in (None, time):
        return None  # "for paid orders placed …": those orders only, no time says so
    measure = catalog.measure(metric.measure or "")
    model = catalog.models.get(getattr(measure, "model", "") or "")
    if model is None or time not in model.dimensions:
        return None
    return dated_by(catalog, name, time, f"the time of the {rows} said")


def _rows_of_condition(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "average review score of orders above R$500", "超过500元的订单的平均评分": the count's word
    said beside a condition on its own rows names the rows kept, not a count asked beside the
    figure — dropped when another figure is asked (alone, "orders above R$500", it is counted).
    Not a count with a condition of its own beyond its event ("unpaid orders over 1000 yuan":
    dropping it dropped 'unpaid')."""
    rows = {metric for metric, _ in p.condition_rows}
    for name in list(rows):
        metric = ws.catalog.metrics.get(name)
        condition = getattr(metric, "filter", None)
        if condition and not _EVENT_HAPPENED.fullmatch(condition):
            return metrics
    kept = [m for m in metrics if m not in rows]
    return kept if kept and len(kept) < len(metrics) else metrics


def _superlative_first(p: Parsed, metrics: list[str]) -> list[str]:
    """The metric the superlative is said of ("客单价最高", "the highest aov") is the one a
    ranking or "which … most" orders by, whichever metric was named first ("几点钟下的单客单价
    最高": not the hour with most orders)."""
    if len(metrics) < 2:
        return metrics
    mentions = p.links.mentions
    for k, m in enumerate(mentions):
        if m.term.kind != "modifier" or m.term.target not in ("top", "bottom"):
            continue
        before = mentions[k - 1] if k > 0 else None
        after = mentions[k + 1] if k + 1 < len(mentions) else None
        for x, gap in (
            (before, p.links.text[before.end : m.start] if before else ""),
            (after, p.links.text[m.end : after.start] if after else ""),
        ):
            if x is None or x.term.kind != "metric" or x.term.target not in metrics:
                continue
            if sum(1 for y in mentions if (y.start, y.end) == (x.start, x.end)) > 1:
                continue  # "订单金额最小和最大": one measure read as both ends, in the order said
            if gap.replace("的", "").strip():
                continue
            if x is before or m.phrase.isascii():  # "客单价最高"; "highest aov"
                return [x.term.target, *[n for n in metrics if n != x.term.target]]
    return metrics


_KEYWORDS_AND = re.compile(r"\band\b|&|\bplus\b|和|与|跟|及|以及|还有")


def _refuse_keywords_and(question: str, p: Parsed, ws: Any) -> None:
    """Title words joined by "and" and kept as separate filters would all have to be in one
    line's title ("buyers who got a cakestand AND a jumbo bag": 0 — no title has all three);
    bought A and bought B is a set question. Refused when the AND remained on one line."""
    words = p.links.of("keyword")
    likes = [f for f in p.filters if f.dimension == "product_title" and "like" in f.op]
    if len(likes) < 2:
        return
    for a, b in zip(words, words[1:], strict=False):
        gap = p.links.text[a.end : b.start]
        if _KEYWORDS_AND.search(gap):
            said = f"{a.phrase} {gap.strip()} {b.phrase}"
            p.links.leftover = [*p.links.leftover, said]
            why = "title words joined by 'and' would all have to be in one line's title"
            raise _not_understood(question, p, ws, why)


def _runs(tr: TimeRange) -> bool:
    """The range has at least one day in it (a running period cut at today on its first day
    stays whole: "本月 has 0 days of data yet" is said)."""
    return tr.start is not None and tr.end is not None and tr.end > tr.start


def _counted_as_averaged(f: Filter, query: SemanticQuery, ws: Any) -> Filter:
    """ "items per invoice by country (at least 50 invoices)", "客单价最高的客户 (至少5单)": a
    minimum count of orders beside averages over orders is a minimum of the orders those
    averages are over (their denominator: the paid orders, with lines), not of every order
    placed (cancellations and unpaid ones too). Any other condition stays as said."""
    catalog = ws.catalog
    said = catalog.metrics.get(f.dimension)
    counted = f.dimension == "orders" or _counts_orders(ws, f.dimension)
    if said is None or not counted or f.op not in (">", ">="):
        return f
    asked = [catalog.metrics.get(m) for m in query.metrics if m != f.dimension]
    bases = {getattr(m, "denominator", None) for m in asked if m is not None}
    if asked and all(getattr(m, "type", "") == "simple" for m in asked):
        rows = _orders_averaged(asked, ws)  # "发货最慢的3个省 (至少100单)": the orders averaged
        return f if rows is None else replace(f, dimension=rows)
    if not asked or len(bases) != 1 or any(getattr(m, "type", "") != "ratio" for m in asked):
        return f
    base = catalog.metrics.get(next(iter(bases)) or "")
    if base is None or base.name == said.name or not _counts_orders(ws, base.name):
        return f
    return replace(f, dimension=base.name)


def _orders_averaged(asked: list[Any], ws: Any) -> str | None:
    """The count of the orders an average (median) over orders is taken over — its own rows: the
    same filter (a duration's start and end both known) and the same time (发货天数 by the
    payment date) — the catalog's `<measurable>_orders` (made at load, catalog.families):
    "发货最慢的3个省 (至少100单)" keeps the provinces with 100 orders shipped, not 100 placed.
    None when the figures are not all averages over orders of one filter and time."""
    from shopql.catalog.families import AVERAGED, orders_averaged

    catalog = ws.catalog
    measures = [catalog.measure(getattr(m, "measure", None) or "") for m in asked]
    if any(
        m is None or m.agg not in AVERAGED or not name.startswith(f"{m.agg}_")
        for m, name in zip(measures, (a.name for a in asked), strict=True)
    ):
        return None
    kinds = {(m.model, a.filter, a.time) for m, a in zip(measures, asked, strict=True) if m}
    if len(kinds) != 1:
        return None
    return orders_averaged(catalog, asked[0].name)


# a score said of one review ("5星评价", "1星的差评", "a 5-star review"): the review's own score
_ONE_REVIEW_SCORED = re.compile(
    r"(?:\d|[一二三四五])\s*(?:颗)?\s*星\s*(?:的)?\s*(?:评价|好评|差评|评论|点评)"
    r"|\b(?:a|one|any)\s+\d[- ]star\s+reviews?\b",
    re.IGNORECASE,
)
_AVERAGE_SAID = re.compile(r"平均|均分|评分|\baverage\b|\bavg\b|\bmean\b", re.IGNORECASE)


def _refuse_one_review_as_the_average(question: str, p: Parsed, ws: Any) -> None:
    """ "今年有5星评价的卖家数" (sellers that got a 5-star review) was read as the sellers whose
    AVERAGE score is 5 — a wrong number. A score said of one review (5星评价) is not a condition on
    a group's average: refused unless the average is said (平均5星的卖家)."""
    for f, said, _ in p.having or ():
        metric = ws.catalog.metrics.get(f.dimension)
        measure = ws.catalog.measure(getattr(metric, "measure", None) or "")
        if getattr(measure, "agg", "") != "avg" or _AVERAGE_SAID.search(question):
            continue
        if _ONE_REVIEW_SCORED.search(str(said)):
            why = (
                f"'{said}' is the score of one review, not a condition on each group's average"
                " score; the groups with such a review are beyond the offline engine — ask"
                " 平均评分5分的卖家 for the average, or the reviews of that score by group"
            )
            raise _not_understood(question, p, ws, why)


def _with_having(question: str, p: Parsed, query: SemanticQuery, ws: Any) -> SemanticQuery:
    """A condition on a count said with a breakdown ("sellers with more than 100 orders",
    "评价数至少50条的类目") keeps the groups whose count meets it (the count is shown beside).
    Without a breakdown (or with a comparison) its words stay unplaced: refused, not guessed."""
    if not p.having:
        return query
    from shopql.nlq.thresholds import BARE_BASE

    if any(f.dimension == BARE_BASE for f, _, _ in p.having) and not (
        query.compare and query.dimensions and not query.grain
    ):
        why = "a bare lower bound ('min 20k in jul') is read only in a ranking of a comparison"
        raise _not_understood(question, p, ws, why)
    _refuse_one_review_as_the_average(question, p, ws)
    counted = _groups_counted(query, ws)
    units = None if counted else _units_counted(p, query, ws)
    if units:  # "近30天有几天销售额超过3万": the days (weeks, months) whose figure meets it
        query = replace(query, grain=units, of_groups="count")
    elif counted and not query.compare:  # "how many sellers have more than 100 orders"
        query = replace(
            query,
            metrics=tuple(m for m in query.metrics if m != counted[0]),
            dimensions=(counted[1],),
            of_groups="count",
        )
    elif _counted_after(p, query):  # "sellers with more than 500 orders, how many?"
        query = replace(query, of_groups="count")
    if query.compare and query.dimensions and not query.grain:
        return _having_in_a_period(question, p, query, ws)
    if not (query.dimensions or query.grain) or query.compare:
        return _amounts_of_rows(p, query)
    # the condition's own count comes after what is asked of the groups ("评价数50条以上的卖家里，
    # 谁的平均分最高": ranked by the score, the review count shown beside it)
    named = {f.dimension for f, _, _ in p.having}
    p.having = [(_counted_as_averaged(f, query, ws), w, a) for f, w, a in p.having]
    conditions = [f.dimension for f, _, _ in p.having]
    moved = named - set(conditions)  # "(至少50张发票)" read as the paid orders averaged over
    metrics = [m for m in query.metrics if m not in conditions and m not in moved] + conditions
    metrics = list(dict.fromkeys(metrics))
    said = {w for _, w, _ in p.having}
    p.links.leftover = [w for w in p.links.leftover if w not in said]
    _among_the_groups(p, query)
    having = tuple(f for f, _, _ in p.having)
    from shopql.nlq.comparisons import known_only  # the rows with no seller are no seller

    return known_only(replace(query, metrics=tuple(metrics), having=having), ws)


# the groups a condition keeps, said as what the rest is asked among: "among cities with at
# least 50 orders", "amongst the sellers that have 10 orders or more", "counting only countries
# with at least 10 invoices", "considering only sellers with …"
_AMONG_GROUPS = re.compile(
    r"\b(?:among|amongst|(?:counting|considering|including)\s+only|only\s+(?:counting|considering"
    r"|including)|(?:restricted|limited)\s+to)\s+(?:(?:the|all|those|these)\s+)?$",
    re.IGNORECASE,
)
_AMONG_WORDS = {"among", "amongst", "counting", "considering", "including", "restricted", "limited"}


def _among_the_groups(p: Parsed, query: SemanticQuery) -> None:
    """ "among cities with at least 50 orders, which had the highest AOV": 'among' right before
    the groups' word, the groups a condition keeps (the HAVING), is placed — what is asked is
    asked of those groups (订单数至少50单的城市里 …: 里 likewise)."""
    if not _AMONG_WORDS & set(p.links.leftover):
        return
    for x in p.links.mentions:
        if x.term.kind != "dimension" or x.term.target not in query.dimensions:
            continue
        m = _AMONG_GROUPS.search(p.links.text[: x.start])
        if m is not None:
            said = set(m.group(0).lower().split()) & _AMONG_WORDS
            p.links.leftover = [w for w in p.links.leftover if w not in said]
            return


# a count of calendar units asked ("有几天", "几个月", "how many days"): the grain they are
_UNITS_ASKED = {
    "天": "day",
    "日": "day",
    "周": "week",
    "星期": "week",
    "礼拜": "week",
    "月": "month",
}
_UNITS_ASKED_EN = {"day": "day", "week": "week", "month": "month"}
_UNITS_COUNT = re.compile(
    r"^(?:有|共|一共|总共)?(?:几|多少)个?(天|日|周|星期|礼拜|月)$|^(?:how many )?(day|week|month)s$"
)
_UNITS_SAID = re.compile(r"(?:几|多少)个?\s*(天|日|周|星期|礼拜|月)")


def duration_metrics(ws: Any) -> set[str]:
    """The catalog's metrics that measure a duration (days, hours between two times)."""
    return {
        name
        for m in ws.catalog.measurables.values()
        if m.kind == "duration"
        for name in m.metrics.values()
    }


def _units_counted(p: Parsed, query: SemanticQuery, ws: Any) -> str | None:
    """ "近30天有几天销售额超过3万", "今年有几个月订单过万", "how many days had sales over 30k":
    the number of days (weeks, months) of the period whose own figure meets the condition —
    the condition kept on each unit's figure and the units counted. Only a lower bound: a day
    with nothing sold is no row, and would be missed by "below 1万"; a duration asked in days
    ("平均几天发货") is not a count of days."""
    if query.dimensions or query.grain or query.compare or query.of_groups or not p.having:
        return None
    if query.time_range is None or any(f.op not in (">", ">=") for f, _, _ in p.having):
        return None
    durations = duration_metrics(ws)
    if durations & set(query.metrics):
        return None
    asked = [w for w in p.links.leftover if _UNITS_COUNT.match(w.strip().lower())]
    if not asked:  # "有几个月": 有几个 read as a count, the unit left alone
        said = _UNITS_SAID.findall(p.links.text)
        asked = [w for w in p.links.leftover if w.strip() in said]
    if len(asked) != 1:
        return None
    unit = asked[0].strip().lower()
    m = _UNITS_COUNT.match(unit)
    p.links.leftover = [w for w in p.links.leftover if w != asked[0]]
    if m is None:
        counted = _UNITS_ASKED[unit]
    else:
        counted = _UNITS_ASKED[m.group(1)] if m.group(1) else _UNITS_ASKED_EN[m.group(2)]
    # the unit said again beside the figure or the condition: "单日进账超过五万的日子有多少天"
    # (one day's takings, the days that meet it), "单月订单过万的月份有几个"
    again = _UNIT_RESTATED.get(counted, ())
    p.links.leftover = [w for w in p.links.leftover if w.strip() not in again]
    return counted


# words that restate the unit counted ("单日", "的日子"): placed with it, never another unit's
_UNIT_RESTATED = {
    "day": ("单日", "单天", "日子", "那些日子", "那些天", "那几天", "一天", "一天里", "当天"),
    "week": ("单周", "那些周", "那几周", "一周", "一周里"),
    "month": ("单月", "月份", "那些月", "那几个月", "一个月", "一个月里"),
}


# "how many" said after the groups and their condition, with nothing after it to count: the
# number of groups meeting it ("卖家里订单超过500的有几个", "sellers with > 500 orders: how many?")
_COUNT_AT_END = re.compile(
    r"(?:\bhow many(?: (?:are there|of them|is that|do we have))?|(?:一共|总共)?有?(?:几个|多少个?|几家|多少家))"
    r"[\s?？!！。.,，呀啊呢吧]*$"
)


def _counted_after(p: Parsed, query: SemanticQuery) -> bool:
    """The question ends by asking how many, after one breakdown with a condition on its groups
    and nothing else asked of them (no ranking, no time grain, no comparison)."""
    if len(query.dimensions) != 1 or query.grain or query.compare or query.order_by:
        return False
    if query.limit is not None or query.of_groups:
        return False
    m = _COUNT_AT_END.search(p.links.text)
    if m is None:
        return False
    # "卖过的商品里 最高的单价是多少": 多少 right after a metric asks its value, not a count
    if m.group(0).isascii():  # "sellers with more than 500 orders how many": a count
        return True
    before = re.sub(r"(?:的?\s*(?:是|为)|有)\s*$", "", p.links.text[: m.start()].rstrip()).rstrip()
    said = p.links.of("metric") + [  # "单价最高的是多少": the superlative said after it
        x for x in p.links.of("modifier") if x.term.target in ("top", "bottom")
    ]
    return not any(x.end == len(before) for x in said)


# a status said as the events themselves, a plural noun: "cancellations this year",
# "cancellations by hour" (the rows in that status, counted)
_EVENTS_COUNTED = re.compile(r"\bcancell?ations\b")
_COUNT_ASKED = re.compile(
    r"\bhow many\b(?!\s+(?:days|hours|minutes|weeks)\b)|\bnumber of\b(?!\s+(?:days|hours|minutes|weeks)\b)|\bcount\b|多少个|多少位|几个|几位|人数|几张|多少张|几笔|多少笔|张数"
)


def _duration_subject(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "median gap between 1st and 2nd order, german customers", "客户平均多少天…第二单": the
    people noun beside a duration says whose durations they are, not a count of buyers (unless
    a count is asked: "how many customers …")."""
    if "buyers" not in metrics or len(metrics) < 2 or _COUNT_ASKED.search(p.links.text):
        return metrics
    durations = {  # … and the scores they give ("SP州客户今年平均给几分", "客户平均评分")
        name
        for m in ws.catalog.measurables.values()
        if m.kind == "duration" or getattr(m, "value_type", "") == "score"
        for name in m.metrics.values()
    }
    said = [m for m in p.links.of("metric") if m.term.target == "buyers"]
    if not durations & set(metrics) or not all(m.phrase in CUSTOMER_WORDS for m in said):
        return metrics
    return [m for m in metrics if m != "buyers"]


_OF_ROWS = re.compile(r"(?:\b(?:of|for|on|across)(?:\s+(?:the|all))?|的)$")


def _reviews_as_rows(p: Parsed, metrics: list[str]) -> list[str]:
    """ "avg rating of reviews written in 2018", "average score of the reviews last month": the
    reviews said after the average's "of" are the rows averaged, not a review count beside it
    (unless a count is asked)."""
    if metrics != ["avg_review_score", "review_count"] or _COUNT_ASKED.search(p.links.text):
        return metrics
    said = [m for m in p.links.of("metric") if m.term.target == "review_count"]
    text = p.links.text
    if len(said) == 1 and _OF_ROWS.search(text[: said[0].start].rstrip()):
        return metrics[:1]
    return metrics


_ORDER_NOUNS = {"订单", "单", "单子", "的单", "orders", "order"}
_ORDERS_COUNTED = re.compile(r"多少单|几单|多少个订单|几个订单|单数|订单数|\bnumber of orders\b")
_AND_BETWEEN = re.compile(r"和|与|及|跟|、|,|，|\band\b|&|\bplus\b")


def _orders_as_subject(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "发到SP的订单平均几天送到", "2018年的订单平均几天能到", "orders to RJ: average delivery
    days": the orders said before an average duration of orders are whose durations, not an
    order count beside it (unless a count is asked, or the two are joined by 和 / and)."""
    if len(metrics) != 2 or "orders" not in metrics or _COUNT_ASKED.search(p.links.text):
        return metrics
    average = metrics[1] if metrics[0] == "orders" else metrics[0]
    from shopql.catalog.families import measurable_of

    found = measurable_of(ws.catalog, average)
    duration = found is not None and found[0].kind == "duration" and found[0].model == "orders"
    if not duration and not _figure_of_orders(ws.catalog, average):
        return metrics
    if _ORDERS_COUNTED.search(p.links.text):
        return metrics
    said = [m for m in p.links.of("metric") if m.term.target == "orders"]
    other = [m for m in p.links.of("metric") if m.term.target == average]
    if len(said) != 1 or not other or said[0].phrase.lower() not in _ORDER_NOUNS:
        return metrics
    if not duration:  # "boleto付款的订单的客单价", "average freight of boleto orders": possessed
        if p.time is not None and _own_time(average, ws) != _own_time("orders", ws):
            return metrics  # "11月的订单的客单价": the orders placed then or the sales paid then
        return [average] if _possessed_by_orders(p, said[0], other[0]) else metrics
    if other[0].start < said[0].end:  # "avg delivery days by state, 2018 orders"
        joined = _AND_WORD.search(p.links.text[other[0].end : said[0].start])
        of_period = _orders_of_a_period(p, said[0].start, said[0].end)
        if not of_period or joined:
            return metrics
        return [_duration_from_placing(p, said[0], average, ws) or average]
    if _AND_BETWEEN.search(p.links.text[said[0].end : other[0].start]):
        return metrics
    placed = _duration_from_placing(p, said[0], average, ws)
    if placed is not None:  # "7月下的单平均几天才发货": from the placing, by the order date
        return [placed]
    return [_dated_by_event_of_orders(p, said[0], average, ws)]


# the orders said by their placing, right before the orders noun: 下的单, 下单的订单, 拍下的订单
_PLACED_BEFORE = re.compile(r"(?:(?<![以之上])下|下单|下过单|下了单|拍下)\s*(?:了)?\s*的?\s*$")
_PLACED_AFTER = re.compile(r"\s*(placed|made)\b")  # "orders placed in July"


def _duration_from_placing(p: Parsed, orders: Any, duration: str, ws: Any) -> str | None:
    """ "7月下的单平均几天才发货", "上个月下单的订单平均几天发货": the orders said by their
    placing are whose durations AND where each starts — the duration to the same end from the
    placing (order_ship_days: created → shipped, by the order date), not the catalog's default
    one for those words (ship_days counts from the payment, by the payment date). Only when the
    catalog has exactly one such duration of the same unit; None otherwise (the reading stays)."""
    from shopql.catalog.families import dated_by, measurable_of

    after = _PLACED_AFTER.match(p.links.text, orders.end)
    if not _PLACED_BEFORE.search(p.links.text[: orders.start]) and after is None:
        return None
    found = measurable_of(ws.catalog, duration)
    model = ws.catalog.models.get(found[0].model) if found is not None else None
    placed = _own_time("orders", ws)
    if found is None or model is None or placed not in model.dimensions:
        return None
    start = model.dimensions[placed].expr
    measured, agg = found
    if measured.start == start:
        return None  # from the placing already (delivery_days)
    if _start_event_said(p.links.text, orders, measured):
        # "8月下的单 从付完钱到送达平均要几天": the start said (from the payment) is where each
        # duration starts; the placing says only which orders — those placed in August
        if p.time is None or placed is None or _own_time(duration, ws) == placed:
            return None
        if after is not None:
            p.links.leftover = [w for w in p.links.leftover if w != after.group(1)]
        return dated_by(ws.catalog, duration, placed, "the orders placed then")
    same = [
        m
        for m in ws.catalog.measurables.values()
        if m.kind == "duration"
        and m.model == measured.model
        and (m.start, m.end, m.unit) == (start, measured.end, measured.unit)
    ]
    name = same[0].metrics.get(agg) if len(same) == 1 else None
    if not name or _own_time(name, ws) != placed:
        return None
    if after is not None:  # the verb placed
        p.links.leftover = [w for w in p.links.leftover if w != after.group(1)]
    return name


def _start_event_said(text: str, orders: Any, measured: Any) -> bool:
    """Whether the question names the duration's own start event (its `from:` words: 付款, from
    payment) apart from the orders noun and the placing said before it."""
    rest = text[: orders.start] + " " * (orders.end - orders.start) + text[orders.end :]
    rest = f"{rest} {(_AS_ASKED.get() or '').lower()}"  # "付款后几天发货": read as the name
    for word in measured.starts:
        if re.search(r"[a-z]", word):
            if re.search(rf"\b{re.escape(word)}\b", rest, re.IGNORECASE):
                return True
        elif word in rest:
            return True
    return False


_OF_COUNTED = re.compile(r"\s*(?:of|for)\s+(?:the\s+|all\s+|those\s+)?")
# what may stand between the orders and their figure: 的, a colon, a question's words, 平均 (or
# mean / median, a number of days), or the total said (一共 / 总共 / 加起来: "8月boleto的订单一共花了多少"
# is those orders' money, not their count beside it)
_COUNTED_THEN = re.compile(
    r"\s*(?:[:：,，]|的)?\s*(?:(?:what|how\s+many)\s+(?:was|is|were|are|did)\s+(?:the\s+)?)?"
    r"(?:平均|average|avg|mean|median|一共|总共|总计|合计|加起来|加在一起|\bin total\b)?\s*"
    r"(?:(?:number\s+of\s+)?(?:days|hours)\s*)?"
)


_FIRST_ORDER_WORDS = {"首单", "第一单", "头一单", "首笔订单", "第一笔订单"}


def _duration_of_first_orders(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "今年首单从下单到付款平均几分钟": a duration of orders with the first order said (首单 left
    unplaced) is the same duration of each person's first paid order — the catalog's one
    duration over first_orders between the same times in the same unit, with the same
    aggregation (nlq.families.first_orders_twin) — 首单 placed by it."""
    from shopql.catalog.families import measurable_of
    from shopql.nlq.families import first_orders_twin

    said = [w for w in p.links.leftover if w in _FIRST_ORDER_WORDS]
    if len(metrics) != 1 or not said:
        return metrics
    found = measurable_of(ws.catalog, metrics[0])
    if found is None or found[0].kind != "duration":
        return metrics
    measured, agg = found
    twin = first_orders_twin(measured, ws.catalog)
    name = twin.metrics.get(agg) if twin is not None else None
    if not name or name not in ws.catalog.metrics:
        return metrics
    p.links.leftover = [w for w in p.links.leftover if w not in said]
    return [name]


def _duration_of_counted(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "average delivery days of orders delivered last month", "orders delivered last month:
    average delivery days": a duration said of the orders a count counts by an event whose
    condition the duration holds anyway (delivered: a delivery time needs a delivery) is the
    duration of those orders — dated by the count's time (August's deliveries: 8.74 days) — not
    the orders placed in August beside a count of the delivered ones."""
    from shopql.catalog.families import dated_by, measurable_of

    if len(metrics) != 2 or _COUNT_ASKED.search(p.links.text):
        return metrics
    catalog = ws.catalog
    for duration, counted in (metrics, metrics[::-1]):
        found = measurable_of(catalog, duration)
        metric, count = catalog.metrics.get(duration), catalog.metrics.get(counted)
        if found is None or found[0].kind != "duration" or metric is None or count is None:
            continue
        measure = catalog.measure(count.measure or "")
        if measure is None or measure.model != found[0].model or not count.filter:
            continue
        if measure.agg not in ("count", "count_distinct") or count.time is None:
            continue
        held = {c.strip().lower() for c in (metric.filter or "").split(" AND ")}
        if not {c.strip().lower() for c in count.filter.split(" AND ")} <= held:
            continue  # "paid orders": a condition the durations do not hold by themselves
        model = catalog.models.get(found[0].model)
        if model is None or count.time not in model.dimensions:
            continue
        a = next((m for m in p.links.of("metric") if m.term.target == duration), None)
        b = next((m for m in p.links.of("metric") if m.term.target == counted), None)
        if a is None or b is None:
            continue
        text = p.links.text
        if a.end <= b.start:
            of = _OF_COUNTED.fullmatch(text[a.end : b.start])
        else:
            of = _COUNTED_THEN.fullmatch(_event_said_after(text[b.end : a.start], count.time, ws))
        if of is None:
            continue
        p.modifiers["rows_of_duration"] = counted  # whose durations: no figure of its own
        if count.time == _own_time(duration, ws):
            return [duration]
        return [dated_by(catalog, duration, count.time, f"the {counted} said")]
    return metrics


# "the orders that arrived (in July), median days …": the count's event said after its noun
_THAT_EVENT = re.compile(r"\s*(?:that|which)\s+(?:were\s+|was\s+|got\s+|have\s+been\s+)?(\w+)")


def _event_said_after(between: str, time: str, ws: Any) -> str:
    """`between` without the relative clause naming the count's own event right after its noun
    ("orders that arrived": the delivery time's word), else as it is."""
    from shopql.nlq.timebasis import event_words

    m = _THAT_EVENT.match(between)
    if m is None or event_words(ws.catalog).get(m.group(1)) != time:
        return between
    return between[m.end() :]


# a count's condition that only says its event happened ("finished_at IS NOT NULL"): its time
_EVENT_HAPPENED = re.compile(r"\s*(?:\w+\.)?\w+\s+IS\s+NOT\s+NULL\s*", re.IGNORECASE)


def _orders_count_beside(catalog: Any, counted: str, figure: str) -> Any:
    """The count metric `counted` when it counts the orders themselves by an event's own time
    (paid_orders, 送达订单数: the orders' key counted, dated by a time of the orders, no
    condition beyond the event having happened) and `figure` is a simple figure of orders
    (their freight) — the pair a count noun said right beside a figure reads as; else None."""
    count, metric = catalog.metrics.get(counted), catalog.metrics.get(figure)
    if count is None or metric is None or count.type != "simple" or metric.type != "simple":
        return None
    if not _figure_of_orders(catalog, figure) or count.value_type != "count":
        return None
    measure = catalog.measure(count.measure or "")
    model = catalog.models.get(getattr(measure, "model", "") or "")
    if measure is None or model is None or model.primary is None or model.name != "orders":
        return None
    if measure.expr != model.primary.expr or count.time is None:
        return None  # not a count of the orders themselves
    if count.time not in model.dimensions:
        return None
    if count.filter and not _EVENT_HAPPENED.fullmatch(count.filter):
        return None  # "unpaid orders": a condition beyond the event's time (never dropped)
    return count


def _figure_of_event_orders(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "上个月 送达的订单 平均运费", "发货的订单 运费一共多少": the orders an event befell in the
    period (read as the count of those orders: 送达订单数) said right before a figure of orders
    (a sum or an average of an orders column) are whose figure it is — dated by the event's
    time (the freight of the orders delivered in August: 24.72), not the orders placed in
    August (23.04) beside a count of the delivered ones."""
    from shopql.catalog.families import dated_by

    if (
        len(metrics) != 2
        or _COUNT_ASKED.search(p.links.text)
        or _ORDERS_COUNTED.search(p.links.text)
    ):
        return metrics
    catalog = ws.catalog
    counted, figure = metrics
    count = _orders_count_beside(catalog, counted, figure)
    if count is None or count.time == _own_time(figure, ws):
        return metrics  # 下单的订单: no other time said
    a = next((m for m in p.links.of("metric") if m.term.target == counted), None)
    b = next((m for m in p.links.of("metric") if m.term.target == figure), None)
    if a is None or b is None or a.end > b.start:
        return metrics
    if _COUNTED_THEN.fullmatch(p.links.text[a.end : b.start]) is None:
        return metrics  # "送达订单数和平均运费": two figures asked
    if not count.filter and not _PLACED_BEFORE.search(p.links.text[: a.start]):
        # "8月刷信用卡的单子收了多少钱": the bare orders noun names no event — whose money it
        # is, paid then (by its own time), not the money of the orders placed in August
        return [figure]
    return [dated_by(catalog, figure, count.time, f"the {counted} said")]


# the orders noun said with the verb of their event right after it ("the orders paid in July",
# "orders that were paid", "the orders they paid for that month")
_EVENT_VERB_AFTER = re.compile(
    r"^\s*(?:that\s+were\s+|which\s+were\s+|they\s+|we\s+)?(paid|delivered|shipped)\b"
)


def _figure_of_orders_paid_after(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "freight on the orders paid in July", "How much freight did we charge on the orders paid
    in July?", "how much shipping did buyers pay on the orders they paid for that month": a
    figure of orders (their freight) said of the orders named with their event after them (the
    count the noun was read as: paid_orders) is the figure of those orders, dated by the
    event's time (as 7月付款的订单运费合计) — not the figure of the orders placed then beside a
    count of the paid ones. A count asked (how many orders) keeps both."""
    from shopql.catalog.families import dated_by

    if len(metrics) != 2 or _COUNT_ASKED.search(p.links.text):
        return metrics
    catalog = ws.catalog
    figure, counted = metrics
    count = _orders_count_beside(catalog, counted, figure)
    if count is None:
        return metrics
    a = next((m for m in p.links.of("metric") if m.term.target == figure), None)
    b = next((m for m in p.links.of("metric") if m.term.target == counted), None)
    if a is None or b is None or a.end > b.start or b.phrase.lower() not in _ORDER_NOUNS:
        return metrics
    if not _possessed_by_orders(p, b, a):
        return metrics  # "freight and orders paid": two figures asked
    event = _EVENT_VERB_AFTER.match(p.links.text[b.end :])
    from shopql.nlq.timebasis import event_words

    if event is None or event_words(catalog).get(event.group(1)) != count.time:
        return metrics
    if count.time == _own_time(figure, ws):
        return [figure]
    return [dated_by(catalog, figure, count.time, f"the orders {event.group(1)} said")]


def _dated_by_event_of_orders(p: Parsed, orders: Any, duration: str, ws: Any) -> str:
    """ "上个月送达的单 平均送了几天": the orders said with an event before 的 (送达的订单, 付款的订单)
    are those the event befell in the period: their duration dated by that event's time (the
    deliveries of August), its word placed — not the orders placed in August."""
    from shopql.catalog.families import dated_by
    from shopql.nlq.timebasis import event_words

    words = event_words(ws.catalog)
    before = p.links.text[: orders.start].rstrip()
    before = before[:-1].rstrip() if before.endswith("的") else before  # 送达订单, 送达的订单
    word = next((w for w in p.links.leftover if w in words and before.endswith(w)), None)
    if word is None:
        return duration
    time = words[word]
    own = _own_time(duration, ws)
    metric = ws.catalog.metrics.get(duration)
    measure = ws.catalog.measure(getattr(metric, "measure", None) or "")
    model = ws.catalog.models.get(getattr(measure, "model", "") or "")
    if time != own and (model is None or time not in model.dimensions or p.time is None):
        return duration  # no such time on the durations' rows: the word stays unplaced
    p.links.leftover = [w for w in p.links.leftover if w != word]
    return duration if time == own else dated_by(ws.catalog, duration, time, f"'{word}' said")


_AND_WORD = re.compile(r"和|与|及|跟|、|\band\b|&|\bplus\b")
# what may stand between a figure and the orders it is of, beside the values that filter them
_AVERAGE_SAID = re.compile(r"平均|均")
# ("freight charged on the orders of july": the verb of the money taken said before it)
_OF_ORDERS_GAP = re.compile(
    r"(?:(?:charged|billed|collected|paid)\s+)?(?:of|for|on)(?:\s+(?:the|all|those|these))?"
)


def _figure_of_orders(catalog: Any, name: str) -> bool:
    """Whether metric `name` is a figure of each order or of the orders together — a sum or an
    average of an orders column (freight, order value), or a ratio over an order count (aov) —
    so that "the orders' X" is X itself."""
    metric = catalog.metrics.get(name)
    if metric is None:
        return False
    if metric.type == "ratio":
        bottom = catalog.metrics.get(metric.denominator or "")
        measure = catalog.measure(getattr(bottom, "measure", None) or "")
        return getattr(measure, "model", None) == "orders" and measure.agg in (
            "count",
            "count_distinct",
        )
    measure = catalog.measure(metric.measure or "")
    return (
        metric.type == "simple"
        and getattr(measure, "model", None) == "orders"
        and measure.agg not in ("count", "count_distinct")
    )


def _possessed_by_orders(p: Parsed, orders: Any, figure: Any) -> bool:
    """ "boleto付款的订单的客单价" (the orders, 的, the figure) or "average freight of boleto
    orders" / "aov for orders" (the figure, of, the values that filter them, the orders): the
    orders noun says whose figure it is, not a count asked beside it. Right before an average
    said as one ("订单平均运费", "订单 平均 运费") the bare noun is whose average too: a count
    listed beside it is said as one (订单数, 单量 …), never as the bare noun."""
    text = p.links.text
    if orders.end <= figure.start:
        between = text[orders.end : figure.start].strip()
        return between == "的" or (
            not between and _AVERAGE_SAID.match(text, figure.start) is not None
        )
    gap = list(text[figure.end : orders.start])
    for m in p.links.mentions:  # "of boleto orders": the values said between are filters
        if m.term.kind == "value" and figure.end <= m.start and m.end <= orders.start:
            gap[m.start - figure.end : m.end - figure.end] = " " * (m.end - m.start)
    return _OF_ORDERS_GAP.fullmatch(" ".join("".join(gap).split())) is not None


# the period may end the question, its words blanked and the text cut there ("… for orders placed")
_OF_PERIOD = re.compile(r"\s*(?:(?:placed|made|created|paid)\b\s*)?(?:(?:from|in|of|during)\b)?\s*")


def _orders_of_a_period(p: Parsed, start: int, end: int) -> bool:
    """The orders noun said with the period right beside it ("2018 orders", "Q1 orders", "orders
    from 2018", "2018年的订单"): which orders, not a count beside the average."""
    at = p.time_at
    if at is None:
        return False
    text = p.links.text
    if at < start:
        return not text[at:start].replace("的", "").strip()  # the period's words are blanked
    return _OF_PERIOD.fullmatch(text[end:at]) is not None


# a word asking for one row per group, or a ranking of the groups
_PER_GROUP = re.compile(
    r"各|每个|每家|每一个|每位|分别|哪个|哪家|哪些|哪位|按|排名|排行|最|前\s*\d|前[一二三四五六七八九十]"
    r"|\b(?:by|per|each|every|which|who|rank\w*|top|bottom|most|least|\w+est)\b"
)


def _seller_as_actor(p: Parsed, metrics: list[str], dims: list[str], ws: Any) -> list[str]:
    """ "卖家付款后几天发货", "how long after payment did sellers ship": the seller word is who
    does what the duration measures (ships), not a breakdown by seller — unless the question
    asks for each seller or ranks them (各卖家, 哪个卖家最慢, "by seller", "slowest sellers")."""
    seller = ws.catalog.measurables.get("seller")
    if seller is None or seller.dimension not in dims or len(dims) != 1:
        return dims
    durations = _fulfilment_durations(ws)
    # a duration dated by another time (avg_ship_days__by_order_date) is the same duration
    metrics = [m.split("__by_")[0] for m in metrics]
    every = duration_metrics(ws)
    if not metrics or not all(m in every or m == "orders" for m in metrics):
        return dims
    if not any(m in every for m in metrics) or _PER_GROUP.search(_without_grain(p)):
        return dims
    if p.top_n or p.modifiers.keys() & {"top", "bottom", "bestsellers"}:
        return dims
    said = [m for m in p.links.of("dimension") if m.term.target == seller.dimension]
    words = {normalise(w) for w in seller.words}
    if not said or not all(normalise(m.phrase) in words for m in said):
        return dims
    if not all(m in durations for m in metrics if m != "orders"):
        # "卖家距离上次购买平均多少天了": a buyer's own time (days since the last purchase, the
        # gap to the next one) is no seller's act, nor asked of each seller (no 各 / by / rank)
        shown = ", ".join(repr(m.phrase) for m in said)
        why = (
            f"{shown} would be whose time this is, but it is a buyer's own (a seller does not buy)"
        )
        raise _not_understood(p.links.text, p, ws, why)
    return []


def _without_grain(p: Parsed) -> str:
    """The question's text with its time grain's words blanked ("按月份看", "每个月", "by month"):
    the 按 / 每个 of 按月 ask for each month, not for each seller ("今年按月份看 卖家平均磨蹭几天
    才发货": the months' ship times, the seller the one who ships — session 39)."""
    text = p.links.text
    for m in p.links.of("modifier"):
        if m.term.target == "grain" and 0 <= m.start < m.end <= len(text):
            before = re.search(
                r"(?:按照?|每一?个?|逐|\bby|\bper|\beach|\bevery)\s*$", text[: m.start]
            )
            start = before.start() if before else m.start
            text = text[:start] + " " * (m.end - start) + text[m.end :]
    return text


# a comparison word that names the unit of the period compared with ("比上个月", "week over
# week"): the period before is then that unit's, so the period asked must be one of them
_COMPARE_UNIT = (
    (re.compile(r"上个?月|\blast month\b|\bmonth[- ]over[- ]month\b|^mom$"), "month"),
    (re.compile(r"上个?(?:周|星期|礼拜)|\blast week\b|\bweek[- ]over[- ]week\b|^wow$"), "week"),
    (re.compile(r"上个?季度?|\blast quarter\b|\bquarter[- ]over[- ]quarter\b|^qoq$"), "quarter"),
)


def _unit_start(day: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(day=1)


def _refuse_compare_of_another_unit(p: Parsed, query: SemanticQuery, ws: Any) -> None:
    """ "今年销售额比上个月增长多少", "和上个月比 今年哪个品类卖的钱增加得最多": 比上个月 compares a
    month with the month before; said of a year (a span longer than one month, not asked month by
    month) it was read as the period before — the year before — the month said dropped: refused,
    naming it (a month, or a part of one, and 每月 … 比上个月 keep their reading)."""
    if query.compare != "previous_period" or p.time is None:
        return
    start, end = p.time.start, p.time.end
    if start is None or end is None:
        return
    for m in p.links.mentions:
        if m.term.kind != "modifier" or m.term.target != "compare":
            continue
        unit = next((u for rx, u in _COMPARE_UNIT if rx.search(m.phrase.lower())), None)
        if unit is None or query.grain == unit:
            continue
        last = max(start, end - dt.timedelta(microseconds=1)).date()  # (an empty month so far)
        if _unit_start(start.date(), unit) == _unit_start(last, unit):
            continue  # one month (a part of one: this month so far)
        why = (
            f"'{m.phrase}' compares with the {unit} before, but the period asked"
            f" ({p.time.label.strip()}) is longer than one {unit}: compare two periods of the same"
            " length, or ask each on its own"
        )
        raise _not_understood(p.links.text, p, ws, why)


def _fulfilment_durations(ws: Any) -> set[str]:
    """The durations a seller acts in: an order's own times ending when it is shipped or
    delivered (付款到发货, 下单到签收). Not the buyer's own (paying, reviewing, coming back, days
    since the last purchase: "卖家距离上次购买平均多少天了" is no seller's act, the seller word not
    dropped as its actor)."""
    return {
        name
        for m in ws.catalog.measurables.values()
        if m.kind == "duration" and m.model == "orders" and m.end in ("shipped_at", "finished_at")
        for name in m.metrics.values()
    }


def _groups_counted(query: SemanticQuery, ws: Any) -> tuple[str, str] | None:
    """(the count metric, its dimension) when the query counts the values of a dimension
    ("how many sellers", "几个州", "有多少个类目") beside a condition on each one's metric: the
    count is then of the groups meeting it (SemanticQuery.of_groups), not of every value."""
    if query.dimensions or query.grain or len(query.metrics) < 1:
        return None
    from shopql.catalog.families import dimension_count

    catalog = ws.catalog
    for metric in query.metrics:
        for m in catalog.measurables.values():
            if m.kind == "count" and m.dimension and metric in m.metrics.values():
                return metric, m.dimension
        for name in catalog.dimensions:
            if metric.startswith(name) and dimension_count(catalog, name) == metric:
                return metric, name
    return None


# what may stand between a period and the condition said of it ("Q1起码50单", "一季度 at least")
_PERIOD_TO_CONDITION = re.compile(r"^[\s,，:：(（的里中在有]*$")
# "(min 10k before)", "at least 50 orders prior": in the period compared with
_BEFORE_SAID = re.compile(r"\s*(?:before|prior|earlier)\b")
_BEFORE_SAID_ZH = re.compile(r"(?:之前|此前|上期|基期)(?=\s*的?\s*$)")
# "今年1-8月同比增长最快的州（去年同期至少10万）", "(min 10k in the same period last year)": the
# period a year before, said as the same period — the one compared with, when that is a year before
_SAME_PERIOD_SAID_ZH = re.compile(r"(?:去年同期|上年同期)(?=\s*的?\s*$)")
_SAME_PERIOD_SAID = re.compile(
    r"\s*(?:in\s+)?(?:the\s+)?same\s+(?:period|days|time)(?:\s+(?:last|a|the\s+previous)\s+year)?\b"
)
# what may stand between the condition and a period said after it ("at least 50 orders in Q1")
_CONDITION_TO_PERIOD = re.compile(
    r"^\s*(?:[a-z]+\s+)?(?:in|during)\s+|^\s*在\s*|^\s*(?=(?:last|previous)\b)"  # "… last year"
)


def _having_in_a_period(question: str, p: Parsed, query: SemanticQuery, ws: Any) -> SemanticQuery:
    """ "18年Q2比Q1涨得最快的类目（Q1起码50单）", "17上半年销售额过10万的州里，18上半年同比涨得最快
    的": a condition on each group's count in a comparison holds in the period said right
    before it — the one compared with (`m__previous`) or the one asked (`m`). A condition with
    no period said before it, or another period, stays unplaced (refused, not guessed)."""
    from shopql.catalog.timephrase import previous_range
    from shopql.nlq.comparisons import known_only
    from shopql.nlq.periods import festivals_of
    from shopql.nlq.phrases import find_time

    tr = query.time_range
    if tr is None or tr.start is None or tr.end is None or not query.compare:
        return query
    before = previous_range(tr, query.compare)
    text = normalise(question)
    having: list[Filter] = []
    metrics = list(query.metrics)
    placed: list[str] = []
    from shopql.nlq.thresholds import BARE_BASE, base_fits

    for f, said, _ in p.having or []:
        at = text.find(said)
        if at < 0 or said in placed:
            return query
        if f.dimension == BARE_BASE:  # "(min 20k in jul)": the ranked metric in that period
            if len(query.metrics) != 1 or not (p.modifiers.get("growth") or query.order_by):
                return query
            if not base_fits(said, query.metrics[0], ws.catalog):
                return query  # "(min 10k sales in Q2)" beside a count ranked: not its bound
            f = replace(f, dimension=query.metrics[0])
            earlier = _BEFORE_SAID.match(text[at + len(said) :]) or _BEFORE_SAID_ZH.search(
                text[:at]
            )
            if earlier is None and query.compare == "year_over_year":
                earlier = _SAME_PERIOD_SAID.match(
                    text[at + len(said) :]
                ) or _SAME_PERIOD_SAID_ZH.search(text[:at].rstrip(" (（"))
            if earlier:  # "(min 10k before)", "（之前至少1万）": in the period compared with
                having.append(replace(f, dimension=f"{f.dimension}__previous"))
                placed += [said, *earlier.group(0).split()]
                continue
        head = text[max(0, at - 24) : at]
        period = found = None
        for k in range(len(head)):  # the longest period phrase ending right before it
            if k and (head[k - 1].isdigit() or (head[k - 1].isalpha() and head[k - 1].isascii())):
                continue
            period, found, _ = find_time(head[k:], ws.today, festivals_of(ws))
            if period is not None and found is not None and found.start == 0:
                between = head[k:][found.end :]
                if _PERIOD_TO_CONDITION.match(between) or _names_metric(between, f.dimension, ws):
                    break
            period = found = None
        tail = text[at + len(said) :]
        linked = _CONDITION_TO_PERIOD.match(tail)
        if period is None and linked:  # "with at least 50 orders in Q1": said after it
            period, found, _ = find_time(tail[linked.end() :], ws.today, festivals_of(ws))
            if found is not None and found.start != 0:
                period = found = None
        if period is None or found is None:
            return query
        if not _YEAR_SAID.search(found.text):  # "Q1": of the year compared
            period = _in_year_of(period, tr)
        side = _side_compared(period, before, tr)
        if _named_as_compared(text[:at], found.text):  # "近30天比前30天 … (前30天至少1万)"
            side = "__previous"
        if side is None:
            return query
        having.append(replace(f, dimension=f"{f.dimension}{side}"))
        if f.dimension not in metrics:
            metrics.append(f.dimension)
        placed += [said, *found.text.split(), *re.findall(r"\d+|[^\W\d_]+", found.text)]
        placed += _words_within(found.text, p.links.leftover)  # "去年上半年": 去年, 半年
        placed += [  # "前30天": '30天' beside its pieces '30' and '天', each placed
            w
            for w in p.links.leftover
            if w in found.text and set(re.findall(r"\d+|[^\W\d_]+", w)) <= set(placed)
        ]
    from shopql.nlq.comparisons import GROWTH_METRIC

    if (
        set(metrics) <= {f.dimension for f, _, _ in p.having or []}
        and not (p.modifiers.get("growth") and metrics == [GROWTH_METRIC])
        and not _named_outside_conditions(text, p, metrics)
    ):  # only the condition's count is named: what grows is not said (sales, the growth
        return query  # ranking's own default, is: "销售额过10万的州里…涨得最快")
    leftover = list(p.links.leftover)
    for word in placed:  # each word of the condition and of its period once
        if word in leftover:
            leftover.remove(word)
    p.links.leftover = leftover
    return known_only(replace(query, metrics=tuple(metrics), having=tuple(having)), ws)


def _named_as_compared(head: str, period: str) -> bool:
    """The condition's period repeats the words that named the period compared with ("近30天比
    前30天 增长最快的款 (前30天至少1万)"): that period, though the words alone ("前30天") would
    read as the recent one."""
    words = re.escape(period.strip())
    return bool(
        words
        and re.search(
            rf"(?:比|对比|相比|\bvs\.?|\bversus|\bcompared\s+(?:to|with))\s*{words}", head
        )
    )


def _named_outside_conditions(text: str, p: Parsed, metrics: list[str]) -> bool:
    """Each metric is named by a word of its own away from the conditions' words (`text`: the
    question, normalised): "Q2比Q1 订单量增长最快的州 (Q1至少500单)" ranks orders (订单量) and
    bounds them in Q1; in "… with at least 50 orders" the one word is the condition's unit."""
    spans = []
    for _, said, _ in p.having or []:
        at = text.find(said)
        if at < 0:
            return False
        spans.append((at, at + len(said)))
    named = set()
    for m in p.links.of("metric"):
        for hit in re.finditer(re.escape(m.phrase), text):
            inside = any(a <= hit.start() < b for a, b in spans)
            unit = any(b <= hit.start() and not text[b : hit.start()].strip() for _, b in spans)
            if not (inside or unit):
                named.add(m.term.target)
    return bool(metrics) and set(metrics) <= named


def _side_compared(period: TimeRange, before: TimeRange, tr: TimeRange) -> str | None:
    """Which side of a comparison a condition's period names: "__previous" for the period
    compared with, "" for the one asked, None for neither. The period itself, or one that holds
    it and not the other: "（去年至少1000人）" beside 今年上半年比去年上半年 is last year's half."""
    if (period.start, period.end) == (before.start, before.end):
        return "__previous"
    if (period.start, period.end) == (tr.start, tr.end):
        return ""

    def holds(a: TimeRange, b: TimeRange) -> bool:
        assert a.start and a.end and b.start and b.end
        return a.start <= b.start and b.end <= a.end

    def meets(a: TimeRange, b: TimeRange) -> bool:
        assert a.start and a.end and b.start and b.end
        return a.start < b.end and b.start < a.end

    if None in (period.start, period.end, before.start, before.end, tr.start, tr.end):
        return None
    if holds(period, before) and not meets(period, tr):
        return "__previous"
    if holds(period, tr) and not meets(period, before):
        return ""
    return None


def _words_within(said: str, leftover: list[str]) -> list[str]:
    """The unplaced words that are pieces of `said`, each piece once ("去年上半年": 去年, 半年)."""
    rest, words = said, []
    for w in leftover:
        if w and w in rest:
            rest = rest.replace(w, " ", 1)
            words.append(w)
    return words


def _names_metric(text: str, metric: str, ws: Any) -> bool:
    """`text` is the words of `metric` alone, with connectors ("17上半年销售额过10万": 销售额)."""
    words = re.sub(r"^[\s,，:：(（的里中在有]+|[\s,，:：(（的]+$", "", text)
    terms = getattr(ws.vocabulary, "terms", {}).get(words) or []
    return any(t.kind == "metric" and t.target == metric for t in terms)


def _amounts_of_rows(p: Parsed, query: SemanticQuery) -> SemanticQuery:
    """ "shopify orders over 500": nothing grouped, so "orders over 500" is each order's amount
    (the catalog's bare money threshold of the orders' rows), when that is the count asked."""
    filters = list(query.filters)
    for f, said, amount in p.having or []:
        if amount is None or f.dimension not in query.metrics:
            continue
        filters.append(amount)
        p.links.leftover = [w for w in p.links.leftover if w != said]
    return replace(query, filters=tuple(filters))


ARROWS = {">", "->", "→", "=>", "-->"}  # "Q1 -> Q2 2018": from one period to the other


_FROM_TO = re.compile(r"到|至|\bto\b|~|-")


def _from_to_change(question: str, p: Parsed, ws: Any) -> None:
    """ "9月到10月哪个商品涨得最多", "growth from Sep to Oct": a change over a range of two
    months is the second against the first — not the two months together against the two
    before them. Over a range of more months ("6月到8月哪个州涨得最多") it is the last against
    the first, two months apart: refused, never the months together against those before."""
    tr = p.time
    # "6月到7月 买家人数 涨了还是跌了 / 变化": a movement asked of two months with no grain said
    # is the second against the first, not a trend of their days
    moved = bool(p.modifiers.get("trend")) and not p.modifiers.get("grain")
    if not (p.modifiers.get("growth") or CHANGE_WORDS & set(p.links.leftover) or moved):
        return
    # "7月到8月 环比 下滑最多的品类": 环比 said of the two months' change is the second against
    # the first too (the months together against the two before them is no change of theirs)
    if p.modifiers.get("compare") not in (None, "previous_period") or p.two_periods:
        return
    if tr is None or not tr.label:
        return
    if p.apart is not None:  # "下半年到目前为止 比 上半年": two periods named already
        return
    if tr.start is None or tr.end is None or not _FROM_TO.search(tr.label):
        return
    from shopql.catalog.timephrase import add_months

    start = tr.start.date()
    if start.day != 1:
        return
    if p.modifiers.get("compare") and add_months(start, 2) != tr.end.date():
        return  # "6月到8月环比": the three months against the three before, as said
    if tr.end.date().day == 1 and add_months(start, 2) < tr.end.date() and not moved:
        months = (tr.end.year - start.year) * 12 + tr.end.month - start.month
        if re.fullmatch(r"[^到至~\-]*\d+\s*月\s*(?:到|至|~|-)\s*\d+\s*月", tr.label.strip()):
            why = (
                f"'{tr.label}' with a change asked: from the first of its {months} months to the"
                " last — two months apart, which the offline engine does not compare"
            )
            raise _not_understood(question, p, ws, why)
        return
    if add_months(start, 2) != tr.end.date():
        return
    second = dt_at(add_months(start, 1))
    p.time = TimeRange(second, tr.end, f"{tr.label}: the second month vs the first")
    p.two_periods = "previous_period"
    if moved:
        p.modifiers.pop("trend", None)


def dt_at(day: Any) -> Any:
    import datetime as _dt

    return _dt.datetime.combine(day, _dt.time())


def _refuse_one_day_split(question: str, p: Parsed, ws: Any) -> None:
    """ "weekly sales aug 18": a split by week (month, quarter, year) of a single day is one row,
    so the period was not what was meant ('aug 18' = August 2018?): refused, saying so."""
    grain, tr = _grain(p), p.time
    if grain in (None, "day") or tr is None or tr.start is None or tr.end is None:
        return
    if (tr.end - tr.start).days <= 1 and not _compare(p):
        why = f"'{tr.label}' is one day: split by {grain} it is a single row — name the period"
        raise _not_understood(question, p, ws, why)


# one total said of the period itself: "今年总共", "上个月一共", "2017年合计" (not 每个月总共, each
# month's; not 各平台加起来, a group's sum; not 累计, a running total)
_PERIOD_TOTAL = re.compile(
    r"(?<![每各按逐分])(?<!每个)(?:年|月|季度|周|星期|以来|至今|到现在|为止)\s*(?:的)?\s*"
    r"(一共|总共|总计|合计|加起来|合起来)"
)
_TOTAL_ANY = re.compile(r"(?<![月周天日年])(一共|总共|总计|合计)")
_TOTAL_FIRST = re.compile(r"\s*(?:的)?\s*(一共|总共|总计|合计|加起来|合起来)")


def _refuse_total_of_a_trend(question: str, p: Parsed, ws: Any) -> None:
    """ "今年总共的客单价走势": one figure for the period (总共 said of it) and a trend (a figure
    per month) asked together — was the monthly trend, the same as "今年每个月的客单价走势", the
    total not read. Refused, naming both; a grain said (每个月总共) or the sum of a group
    (各平台加起来的走势) is read as before."""
    if not p.modifiers.get("trend") or p.modifiers.get("grain"):
        return
    # the period is blanked out of the words read: a total word they start with was said of it
    m = _PERIOD_TOTAL.search(question) or _TOTAL_FIRST.match(p.links.text)
    if m is None and not p.dimensions and not any(len(f.values) > 1 for f in p.filters):
        # "2017年 评分总共走势": nothing else said to add up (所有州, SP和RJ, 各平台)
        if not re.search(r"所有|全部|各|\ball\b|\bevery\b", p.links.text):
            m = _TOTAL_ANY.search(p.links.text)
    if m is None:
        return
    why = (
        f"'{m.group(1)}' asks one figure for the whole period, and a trend asks one per"
        " month (or day): say which — the period's total, or its trend by month"
    )
    raise _not_understood(question, p, ws, why)


_NEGATED_BEFORE = re.compile(
    r"(?:不在|不是|不含|不包括|不算|除了|除去|排除|去掉|非|\boutside(?:\s+of)?|\bnot(?:\s+in|\s+from)?"
    r"|\bexcept(?:\s+for)?|\bexcluding|\bother\s+than|\bbesides|\bwithout|\bbut)\s*(?:the\s+)?$",
    re.IGNORECASE,
)


_WORD_ON = re.compile(r"[^\s,，。？?]{1,12}")


def _refuse_left_out_value_said_again(question: str, p: Parsed, ws: Any) -> None:
    """ "How many buyers outside SP bought from SP-based sellers", "除了SP以外 SP州的订单数": a
    value left out (outside SP) and said again without a negation (SP-based sellers) — the second
    mention must be a condition of its own (the sellers' state); read only as the one left out,
    the sellers' SP was dropped (was: every seller's buyers outside SP). Refused when no
    condition keeps the value."""
    kept = {v for f in p.filters if f.op in ("=", "in") for v in f.values}
    for f in p.excluded:
        if f.op not in ("!=", "not in"):
            continue
        for v in f.values:
            if not isinstance(v, str) or not v.strip() or v in kept:
                continue
            said = re.escape(v)
            if v.isascii():
                said = rf"(?<![A-Za-z0-9]){said}(?![A-Za-z0-9])"
            found = list(re.finditer(said, question, re.IGNORECASE))
            plain = [m for m in found if not _NEGATED_BEFORE.search(question[: m.start()][-16:])]
            if len(found) >= 2 and plain:
                again = _WORD_ON.match(question, plain[0].start())
                why = (
                    f"{v!r} is said twice: left out ({f.dimension} not {v}) and again"
                    f" ('{again.group(0) if again else v}'), which is read as no condition of"
                    " its own — say whose it is"
                )
                raise _not_understood(question, p, ws, why)


# the values of a two-valued time part ("上午" 1, "下午" 2; weekday 1, weekend 2)
_TWO_SIDED_PARTS = {"halfday": {1, 2}, "daytype": {1, 2}}


# the values named are to be taken together: "RJ和MG加起来", "两个州合计", "SP and RJ combined"
_TOGETHER = re.compile(
    r"一共|总共|共计|合计|总计|加起来|合起来|加在一起|合在一起|算在一起|放在一起|一起|总体|整体|合并|"
    r"汇总|总的|\b(?:together|combined|altogether|in total|overall|total)\b"
)
_AVERAGE_AGGS = ("avg", "median")
# the values set against each other, which the comparisons read: 哪个, 谁, 比, vs, higher …
_SET_AGAINST = re.compile(
    r"哪|谁|比|较|对照|最|高|低|快|慢|"
    r"\b(?:which|who|vs|versus|compare[sd]?|comparison|higher|lower|more|less|better|worse)\b"
)
_KIND_SAID = re.compile(r"^\s*(?:州|省|市|平台|店|渠道|\bstate\b)")


def _an_average(name: str, catalog: Any) -> bool:
    """A figure of each row or a ratio (an average, a median, a percentile, a rate): not one
    that adds up over the values named."""
    metric = catalog.metrics.get(name)
    if metric is None or metric.window_days:
        return False
    if metric.type == "ratio":
        return True
    measure = catalog.measure(metric.measure or "") if metric.type == "simple" else None
    if measure is None or measure.having:
        return False
    return measure.agg in _AVERAGE_AGGS or percentile_fraction(measure.agg) is not None


def _averages_of_named_values(p: Parsed, query: SemanticQuery, ws: Any) -> SemanticQuery:
    """ "上个月 RJ州 和 MG州 的 订单 平均 运费", "天猫和京东的客单价": an average (or a ratio)
    asked of two or more values of one dimension, each said and joined by 和 / and, is each
    value's own average — one row each, restricted to them — unless the question takes them
    together (加起来, 一共, combined …). Sums and counts are left as they are (one total)."""
    if query.dimensions or query.grain or query.compare or not query.metrics:
        return query
    if query.order_by or query.limit or _SET_AGAINST.search(p.links.text):
        return query  # "RJ和MG 哪个州的差评比例高": the comparison reads them (comparisons.shape)
    if not all(_an_average(m, ws.catalog) for m in query.metrics):
        return query
    several = [f for f in query.filters if f.op == "in" and len(f.values) > 1]
    if len(several) != 1 or _TOGETHER.search(p.links.text):
        return query
    f = several[0]
    said = [m for m in p.links.of("value") if m.term.target == f.dimension]
    if len(said) != len(f.values) or {str(m.term.value) for m in said} != {
        str(v) for v in f.values
    }:
        return query  # a word naming several values at once ("华东"): one group
    text = p.links.text
    for a, b in zip(said, said[1:], strict=False):
        gap = _KIND_SAID.sub("", text[a.end : b.start]).strip()  # "RJ州 和 MG州"
        if gap not in valuewords.AND_WORDS:
            return query  # "RJ或MG": either of them, one figure
    return replace(query, dimensions=(*query.dimensions, f.dimension))


def _every_part_named(query: SemanticQuery, ws: Any) -> SemanticQuery:
    """ "上午的单和下午的单 平均金额", "morning and afternoon orders": a filter keeping every value
    of a two-valued time part keeps everything — both were named to be set side by side: the
    part's split (one row each), not one figure for the whole day."""
    parts = getattr(ws.catalog, "time_parts", {}) or {}
    for f in query.filters:
        whole = _TWO_SIDED_PARTS.get(getattr(parts.get(f.dimension), "part", None) or "")
        if whole is None or f.op not in ("in", "=") or f.dimension in query.dimensions:
            continue
        if {int(v) for v in f.values if str(v).isdigit()} == whole:
            return replace(
                query,
                dimensions=(*query.dimensions, f.dimension),
                filters=tuple(x for x in query.filters if x is not f),
            )
    return query


def _weekday_not_daily(query: SemanticQuery, ws: Any) -> SemanticQuery:
    """ "周一到周日 每天的客单价", "each day of the week": split by day of week, "每天" / "daily"
    says per weekday — with a daily grain too every date would be its own row (183 rows
    for half a year), each in one weekday only. So with the day of the month ("按日期号数看
    哪天下单的人最多": 哪天 asks which of the days 1-31, each date is in one only)."""
    parts = getattr(ws.catalog, "time_parts", {}) or {}
    weekday = [
        d for d in query.dimensions if getattr(parts.get(d), "part", None) in ("isodow", "day")
    ]
    # "周四跟周五比 哪天卖得多": 哪天 asks which of the weekdays named, not which date
    weekday += [
        f.dimension
        for f in query.filters
        if getattr(parts.get(f.dimension), "part", None) == "isodow" and f.op in ("=", "in")
    ]
    if query.grain == "day" and weekday and not query.compare:
        return replace(query, grain=None)
    return query


# the days of the week said as a group ("周末和工作日": the weekend against the weekdays, not
# seven rows)
_WEEK_GROUP_WORDS = re.compile(r"(?i)周末|工作日|平日|双休|礼拜天以外|weekend|weekday")


def _every_weekday_named(p: Parsed, query: SemanticQuery, ws: Any) -> SemanticQuery:
    """ "星期一到星期天 每天 平均发票金额", "周一 周二 … 周日 各卖了多少": a filter keeping all
    seven days of the week, each named (or the range from Monday to Sunday), keeps everything —
    they were named to be set side by side: the split by day of week (one row each), not one
    figure for the whole week. Not when a group of days was named (周末 和 工作日)."""
    parts = getattr(ws.catalog, "time_parts", {}) or {}
    said = [m.phrase for m in p.links.mentions if m.term.kind == "value"]
    if any(_WEEK_GROUP_WORDS.search(w) for w in said):
        return query
    for f in query.filters:
        if getattr(parts.get(f.dimension), "part", None) != "isodow":
            continue
        if f.op not in ("in", "=") or f.dimension in query.dimensions:
            continue
        if {int(v) for v in f.values if str(v).isdigit()} == set(range(1, 8)):
            split = f.dimension
            text = p.links.text
            if _WEEKEND_DAYS.search(text) and _WORK_DAYS.search(text) and "day_type" in parts:
                # "周六周日付款的单子跟周一到周五的比": the days named as two groups, the weekend and
                # the working days — a row for each group, not one for each day
                split = "day_type"
            return replace(
                query,
                dimensions=(*query.dimensions, split),
                filters=tuple(x for x in query.filters if x is not f),
            )
    return query


# the weekend's two days named together, and the five working days as a range
_WEEKEND_DAYS = re.compile(
    r"(?:周|星期|礼拜)六\s*(?:和|与|跟|及|、|,|，)?\s*(?:周|星期|礼拜)(?:日|天)"
    r"|\bsaturdays?\s*(?:and|&|,)\s*sundays?\b"
)
_WORK_DAYS = re.compile(
    r"(?:周|星期|礼拜)一\s*(?:到|至|~|-|—)\s*(?:周|星期|礼拜)?五|\bmondays?\s*(?:to|through|-)\s*fridays?\b"
)


def _split_by_new_returning(question: str, p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "aov new vs returning customers last month", "新老客的客单价", "上个月新客 vs 老客 的销售额":
    one figure of each kind of buyer — the metric over the period's new buyers' orders and over
    its returning buyers' orders, one row each (catalog/people.py `compile_by_buyer_kind`). Only
    one metric over a named period, with no breakdown, filter, ranking or comparison: a filter
    would leave open whether it says who is new (新客 on Tmall: first order there?) or which
    orders are summed; anything else is refused, as is the split with no period (over all time
    everyone is new)."""
    if not p.modifiers.get("new_vs_returning"):
        return metrics
    from shopql.nlq.people import PEOPLE_METRICS

    others = [m for m in metrics if m not in PEOPLE_METRICS]
    if not others:
        return metrics
    why = f"{', '.join(others)} of new vs returning buyers (each kind on its own) is beyond the engine"
    if p.time is None or p.time.start is None:
        why = f"{', '.join(others)} of new vs returning buyers: new in which period? Say the period"
        raise _not_understood(question, p, ws, why)
    simple = (
        len(others) == 1
        and not p.dimensions
        and not _grain(p)
        and not (p.filters or p.excluded)
        and not p.top_n
        and not p.two_periods
        and not _compare(p)
        and not any(k in p.modifiers for k in ("share", "top", "bottom", "grain", "growth"))
    )
    if not simple:
        raise _not_understood(question, p, ws, why)
    p.modifiers["by_buyer_kind"] = True
    return others


def _refuse_both_ends(question: str, p: Parsed, ws: Any) -> None:
    """ "销售额最高和最低的州", "各州订单金额最小和最大": the highest and the lowest asked together
    were answered as one end only (the other dropped: a top or bottom one alone). Refused, saying
    to ask each end on its own (a measure's own lowest and highest, with no breakdown, are read
    as its min and max before this: nlq/families)."""
    if not ("top" in p.modifiers and "bottom" in p.modifiers):
        return
    ends = [m.phrase for m in p.links.of("modifier") if m.term.target in ("top", "bottom")]
    p.links.leftover = [*p.links.leftover, *(w for w in ends if w not in p.links.leftover)]
    why = "the highest and the lowest asked together: ask each on its own (the highest, then the lowest)"
    raise _not_understood(question, p, ws, why)


_OF_WORDS = {"of", "for", "on", "from", "in"}


def _refuse_amount_of_counted(question: str, p: Parsed, ws: Any) -> set[str]:
    """ "total freight of paid orders", "average review score of shipped orders", "支付订单的运费":
    a figure said of the orders a filtered count counts (paid, shipped) is that figure over those
    orders only — which no dimension filters — not the figure over every order beside the count
    of those orders (as it was answered). Refused, never the whole figure under their name.
    Returns the counts that only restate whose orders a figure already is ("median order value
    of paid orders", "sales of paid orders", "已付款订单的客单价"): no figure asked of its own."""
    catalog = ws.catalog
    restated: set[str] = set()
    said = [m for m in p.links.mentions if m.term.kind in ("metric", "measure")]
    for first, second in zip(said, said[1:], strict=False):
        gap = p.links.text[first.end : second.start].strip()
        if gap in _OF_WORDS:  # "freight of paid orders"
            figure, counted = first, second
        elif gap == "的":  # "支付订单的运费"
            figure, counted = second, first
        else:
            continue
        metric = catalog.metrics.get(counted.term.target) if counted.term.kind == "metric" else None
        if p.having and _dimension_of_count(figure.term.target, ws) is not None:
            continue  # "有买家的城市": a condition on each city (offline._groups_that_had)
        if metric is not None and p.modifiers.get("rows_of_duration") == metric.name:
            continue  # "average delivery days of orders delivered last month": dated by them
        measure = catalog.measure(getattr(metric, "measure", None) or "")
        if metric is None or not metric.filter or getattr(measure, "agg", "") != "count_distinct":
            continue
        if figure.term.kind == "metric" and _already_of(catalog, figure.term.target, metric):
            # "sales of paid orders", "aov of paid orders": of those orders already
            if figure.term.target != metric.name:
                restated.add(str(metric.name))
            continue
        raise _not_understood(
            question,
            p,
            ws,
            f"{figure.phrase} of {counted.phrase} only: the figure over just those orders is "
            f"beyond the engine (ask {figure.phrase} and {counted.phrase} separately)",
        )
    return restated


def _already_of(catalog: Any, name: str, counted: Any) -> bool:
    """Whether metric `name` is counted over the same orders as `counted` (its own filter, or
    both parts of a ratio with it)."""
    m = catalog.metrics.get(name)
    if m is None:
        return False
    if name == counted.name or (m.filter or "") == counted.filter:
        return True
    parts = [catalog.metrics.get(x) for x in (m.numerator, m.denominator) if x]
    return bool(parts) and all(x is not None and x.filter == counted.filter for x in parts)


# "从来没在SP买过的客户", "customers who never bought in SP": no purchase there at any time
_NEVER_SAID = re.compile(r"从来没有?|从没有?|从未|一直没有?|始终没有?|never")
_BOUGHT_SAID = re.compile(
    r"买(?!家|主)|购买|购物|下单|下过单|下过|消费|付款|付过款|支付|用过|"
    r"\b(?:bought|buy|purchased?|ordered|paid|shopped)\b"
)


def _refuse_never_as_outside(question: str, p: Parsed, query: SemanticQuery, ws: Any) -> None:
    """A value said as never bought from ("从来没在SP买过的客户", "never bought on tmall") is a
    condition on people — no such order at any time — not the orders placed elsewhere: with
    "not in" the buyers counted would include people who also bought there (every buyer with one
    order outside SP). The offline engine cannot say it of people with no other condition."""
    outside = {f.dimension for f in query.filters if f.op == "not in"}
    if not outside:
        return
    text = p.links.text
    mentions = p.links.mentions
    for k, m in enumerate(mentions[:-1]):
        if m.term.target != "negation" or not _NEVER_SAID.fullmatch(m.phrase):
            continue
        value = mentions[k + 1]
        if value.term.kind != "value" or value.term.target not in outside:
            continue
        if not _BOUGHT_SAID.search(text[m.end : value.end + 10]):
            continue
        why = (
            f"'{m.phrase} … {value.phrase}' means people with no order there at any time, "
            f"not the orders outside {value.phrase}: beyond the offline engine"
        )
        raise _not_understood(question, p, ws, why)


def _refuse_contradiction(question: str, p: Parsed, query: SemanticQuery, ws: Any) -> SemanticQuery:
    """Two conditions on one dimension that no row meets together ("好评(5星)和差评(1星)各有多少条":
    score = 5 AND score = 1) count nothing: a confident 0 for a question that asked about each.
    Said with "each" (各, 分别, each, respectively) of plain figures, each is its own row: the
    breakdown by that dimension over the values named ("打5星的单和打1星的单各几天送到"; C,
    session 37). Else refused, saying which values were read as both holding at once."""
    values: dict[str, list[set[Any]]] = {}
    for f in query.filters:
        if f.op in ("=", "in") and f.values:
            values.setdefault(f.dimension, []).append(set(f.values))
    for dimension, sets in values.items():
        if len(sets) > 1 and not set.intersection(*sets):
            split = _each_of_named_values(p, query, dimension, ws)
            if split is not None:
                return split
            said = " and ".join("/".join(map(str, sorted(s, key=str))) for s in sets)
            why = f"{dimension} cannot be {said} at once: each value on its own is another question"
            raise _not_understood(question, p, ws, why)
    _refuse_weekday_outside_period(question, p, query, ws)
    return query


def _refuse_weekday_outside_period(question: str, p: Parsed, query: SemanticQuery, ws: Any) -> None:
    """A day of the week kept over a period of fewer than seven days that has no such day
    ("上周六周日的营业额" read as last Saturday with a Sunday filter; "上周一和周三": the
    Wednesday on the Monday) counts nothing: a confident 0. Refused, saying which days."""
    tr = query.time_range
    if tr is None or tr.start is None or tr.end is None:  # "截至目前": no start, no such check
        return
    days = (tr.end - tr.start).days
    if days <= 0 or days >= 7:
        return
    held = {(tr.start + dt.timedelta(days=i)).isoweekday() for i in range(days)}
    for f in query.filters:
        if f.dimension != "day_of_week" or f.op not in ("=", "in") or not f.values:
            continue
        try:
            kept = {int(v) for v in f.values}
        except (TypeError, ValueError):
            continue
        if not kept & held:
            why = f"day_of_week {'/'.join(map(str, sorted(kept)))} is no day of {tr.label or 'the period'}"
            raise _not_understood(question, p, ws, why)


_EACH_SAID = re.compile(r"各自|各|分别|\beach\b|\brespectively\b")


def _each_of_named_values(
    p: Parsed, query: SemanticQuery, dimension: str, ws: Any
) -> SemanticQuery | None:
    """The values of one dimension named apart, each asked ("5星的单和1星的单各几天送到"): one row
    per value — the breakdown by the dimension, kept to the values named; None when the
    question does not say each, or asks more than plain figures (a ranking, a grain, a
    comparison, another breakdown)."""
    if not _EACH_SAID.search(p.links.text) or dimension not in ws.catalog.dimensions:
        return None
    if query.dimensions or query.grain or query.compare or query.having or query.of_groups:
        return None
    if p.top_n or query.population is not None or query.extra:
        return None
    named = [f for f in query.filters if f.dimension == dimension]
    if any(f.op not in ("=", "in") for f in named):
        return None
    merged = tuple(dict.fromkeys(v for f in named for v in f.values))
    kept = tuple(f for f in query.filters if f.dimension != dimension)
    p.links.leftover = [w for w in p.links.leftover if not _EACH_SAID.fullmatch(w)]
    return replace(
        query,
        dimensions=(dimension,),
        filters=(*kept, Filter(dimension, "in", merged)),
    )


def _periods_side_by_side(p: Parsed, query: SemanticQuery) -> SemanticQuery:
    """ "9月和10月哪个月发票多", "2017 and 2018, which year sold more": two named periods, each
    one bucket of the grain its which-word asks for, are the two buckets side by side, the larger
    first — one row per period, not one row holding the later with a change (which reads as if
    only the later period had been asked)."""
    from shopql.catalog.timephrase import previous_range, shift
    from shopql.nlq.comparisons import WHICH_PERIOD

    tr, grain = query.time_range, query.grain
    bare = (
        not grain
        and p.two_periods == "previous_period"
        and query.compare == "previous_period"
        and not query.dimensions
        and tr is not None
        and tr.start is not None
        and tr.end is not None
        and bool(_WHICH_OF_TWO.search(p.links.text))
    )
    if bare and tr is not None and tr.start is not None:  # "一季度和二季度哪个卖得多": the two
        # periods' own unit (quarters) is the grain the bare 哪个 picks between
        grain = next(
            (
                g
                for g in ("month", "quarter", "year")
                if shift(tr.start.date(), g, 1) == getattr(tr.end, "date", lambda: None)()
            ),
            None,
        )
        query = replace(query, grain=grain) if grain else query
    if p.two_periods != "previous_period" or not grain or query.compare != "previous_period":
        return query
    if query.dimensions or tr is None or tr.start is None or tr.end is None:
        return query
    if not (WHICH_PERIOD.search(p.links.text) or bare) or grain == "day":
        return query
    if shift(tr.start.date(), grain, 1) != tr.end.date():
        return query  # the periods are not one bucket each of the grain asked
    span = TimeRange(previous_range(tr).start, tr.end, tr.label)
    first = OrderBy(query.metrics[0], True)
    return replace(query, time_range=span, compare=None, order_by=(first, OrderBy(grain, False)))


# a word asking how much it changed: the comparison row (value, previous, change) answers it
_CHANGE_ASKED = re.compile(
    r"同比|环比|增长|增速|增幅|涨|跌|降|减少|增加|变化|差|多了|少了|多卖|少卖|多[赚出收花]了|少[赚出收花]了|百分|%|\bgrow|\bgrew|\bchange"
    r"|\bdiff|\bincreas|\bdecreas|\brose\b|\bfell\b|\bdrop|\bpercent|\bup\b|\bdown\b"
)


_SIDE_BY_SIDE = re.compile(
    r"(?:比|对比|比较)\s*一下|比\s*一比|对比\s*一下|(?:放|摆|列)\s*在?\s*一\s*起|并排|并列"
)
# "上个月抖音的件数和去年同月放一起": set side by side, said so — one row each
_SIDE_WORDS = re.compile(r"(?:放|摆|列)\s*在?\s*一\s*起(?:\s*看看?|\s*看一下)?|并排|并列")
# "this month so far vs the same days last year": the days named as a second period (one row
# each), where "vs the same period last year" / 去年同期 / 同比 ask for the comparison's one row
_SAME_DAYS_NAMED = re.compile(
    r"(?:\bvs\.?|\bversus|\band|和|跟|与|对比)\s*(?:the\s+)?same\s+(?:\d+\s+)?days\s+last\s+year\b"
    r"|(?:vs\.?|和|跟|与|对比)\s*去年(?:的)?同样的(?:日子|那几天|几天)"
)
# "orders this month vs last": the second period said as "the one before" in English; Chinese
# "上个月和上上个月", "本月和上月" name both periods
_ONE_BEFORE = re.compile(r"\s*(?:last|previous|prior|the \w+ before|去年同期)")
# "上个月 和 去年同月 客单价 对比", "年初至今 销售额 vs 去年同期": a Chinese period set beside 去年同X
# with vs, or with 和 / 跟 and 对比, names both periods — one row each (the sets' convention:
# "年初至今 vs 去年同期" = one row per period); a bare "和去年同期比" (dev_t), 同比, 涨了多少 … keep
# the comparison row
_BESIDE_LAST_YEAR = re.compile(
    r"(?:\bvs\.?|\bversus)\s*去年\s*(?:的\s*)?同\s*(?:期|月|季度?|一天|日|周)"
    r"|(?:和|跟|与)\s*去年\s*(?:的\s*)?同\s*(?:期|月|季度?|一天|日|周)[^，,。？?]*?(?:对比|比较)"
)


def _periods_as_rows(p: Parsed, query: SemanticQuery) -> SemanticQuery:
    """ "review scores 2017 vs 2018", "H1 vs H2 2011 no. of invoices", "2018年和2017年的销售额对比":
    two periods both named, set side by side with no word asking for the change, are one row
    each (the earlier first; the later row carries the change) — the comparison's single row
    holding the later period reads as if only it had been asked. "同比", "环比", "growth",
    "how much did it rise" keep the comparison row."""
    named = p.two_periods in ("previous_period", "year_over_year") and not p.modifiers.get(
        "compare"
    )
    if named and _ONE_BEFORE.match(str(getattr(query.time_range, "label", "")).split(" vs ")[-1]):
        named = False  # "orders this month vs last": the change from the one before, one row
    named = named or bool(_SAME_DAYS_NAMED.search(p.links.text))  # "vs the same days last year"
    named = named or bool(_BESIDE_LAST_YEAR.search(p.links.text))  # "和去年同月 对比"
    if not named and not _SIDE_BY_SIDE.search(p.links.text):  # "和去年同期比一下": side by side
        return query
    if not query.compare or query.dimensions or query.grain or query.extra:
        return query
    if len(query.metrics) != 1 or p.modifiers.keys() & {"growth", "share", "top", "bottom"}:
        return query
    if _CHANGE_ASKED.search(p.links.text.lower()):
        return query
    # "11月跟12月单量比一比": one row each is what the spoken comparison asks (_two_periods_compared
    # left it unplaced for the one comparison row)
    if p.two_periods in ("previous_period", "year_over_year"):  # "今年双11和去年双11比一比"
        p.links.leftover = [w for w in p.links.leftover if w not in SPOKEN_COMPARE]
    side = _SIDE_WORDS.search(p.links.text)  # "放在一起": its pieces placed
    if side is not None:
        p.links.leftover = [w for w in p.links.leftover if w not in side.group(0)]
    return replace(query, extra={**query.extra, "periods_as_rows": True})


def _apart_to_date(apart: TimeRange | None, time: TimeRange | None) -> TimeRange | None:
    """The earlier of two periods apart cut to the same days as the later one when that one is
    still running (cut at today): "今年和前年比" is this year to date and the same days of the
    year before last, like for like — as "今年 vs 去年" already is."""
    from shopql.catalog.timephrase import add_months

    if apart is None or time is None or not (time.label or "").endswith("(to date)"):
        return apart
    if None in (apart.start, apart.end, time.start, time.end):
        return apart
    assert apart.start and apart.end and time.start and time.end
    if apart.start.day != 1 or time.start.day != 1 or apart.start >= time.start:
        return apart
    months = (time.start.year - apart.start.year) * 12 + time.start.month - apart.start.month
    end = add_months(time.end.date(), -months)
    if not apart.start.date() < end < apart.end.date():
        return apart
    return TimeRange(apart.start, _reading_at(end), f"{apart.label} (same days)")


def _reading_at(day: Any) -> Any:
    import datetime as dt

    return dt.datetime.combine(day, dt.time())


# "A 是 B 的 几倍 / 几分之几": the figure said first over the one said after 是 … 的
_TIMES_OF = re.compile(r"\s*的?\s*(?:几|多少)\s*(?:倍|分之几)")


def _metric_over_metric(p: Parsed, query: SemanticQuery) -> None:
    """ "今年加购的次数是购买次数的几倍", "今年收藏的人是加购的人的几分之几": two figures of one
    period and no breakdown, the second said after 是 and before 的几倍 / 的几分之几 — the first
    over the second, each counted on its own (a plain ratio, not the people who did both): read
    as the share of one metric in the other (that whole named), the ratio words placed."""
    if len(set(query.metrics)) != 2 or query.dimensions or query.grain or query.compare:
        return
    if p.apart is not None or p.top_n or query.having:
        return
    said = sorted(
        (m for m in p.links.of("metric") if m.term.target in query.metrics), key=lambda m: m.start
    )
    if len({m.term.target for m in said}) != 2:
        return
    first = said[0]
    second = next(m for m in said if m.term.target != first.term.target)
    text = p.links.text
    asked = _TIMES_OF.match(text, second.end)
    if asked is None or not re.search(r"是|相当于|等于|抵得上", text[first.end : second.start]):
        return  # "浏览次数相当于加购次数的几倍": 相当于 / 等于 say 是
    p.modifiers["share"] = True
    p.modifiers["among_whole"] = second.term.target
    p.modifiers["plain_ratio"] = True
    # the words that join the two figures (是, 的几倍) are placed; any other word left between them
    # ("退货单是普通发票的几分之几": 普通, which of the invoices) stays unplaced
    glue = {"是", "相当于", "等于", "抵得上", "的", "了", "大概", "大约", "差不多"}
    joining = text[first.end : second.start] + asked.group(0)
    p.links.leftover = [
        w
        for w in p.links.leftover
        if not (w in joining and (w.strip() in glue or w in asked.group(0)))
    ]


def _ratio_asked(p: Parsed, query: SemanticQuery) -> SemanticQuery:
    """ "今年到现在比去年同期销售额翻了几倍", "今年的订单是前年的几倍", "how many times higher were
    sales this year than last year": two periods compared (one just before or a year before the
    other, or two apart) with one plain figure get its ratio, the later over the earlier, beside
    the change; the ratio words are placed. Anything else (a breakdown, a ranking) leaves them
    unplaced: refused."""
    from shopql.nlq.comparisons import RATIO_ASKED

    asked = list(RATIO_ASKED.finditer(p.links.text))
    if not asked or len(query.metrics) != 1 or query.dimensions or query.grain:
        return query
    if not (query.compare or p.apart is not None) or query.having or query.of_groups:
        return query
    if p.top_n or p.modifiers.keys() & {"top", "bottom", "bestsellers", "share", "trend"}:
        return query
    said = " ".join(m.group(0) for m in asked)
    p.links.leftover = [w for w in p.links.leftover if w not in ("翻", "翻了") and w not in said]
    return replace(query, extra={**query.extra, "ratio": True})


def _delta_asked(question: str, p: Parsed, query: SemanticQuery, ws: Any) -> SemanticQuery:
    """ "德国下半年比上半年多卖了多少", "did delivery get faster in Q2 vs Q1? by how many days":
    two periods compared with plain figures (no breakdown, no ranking) get the amount of the
    change, the later minus the earlier, beside the rate; one row (not a row per period). The
    words are placed."""
    from shopql.nlq.comparisons import DELTA_ASKED

    # the question as said: "by how many days" may have been read into a metric's words
    asked = list(DELTA_ASKED.finditer(f"{p.links.text} {question}".lower()))
    said_way = [m for m in p.links.of("modifier") if m.term.target == "trend"]
    if asked and p.modifiers.get("trend") and said_way and p.apart is not None:
        if all(m.phrase in WHICH_WAY and DELTA_ASKED.search(m.phrase) for m in said_way):
            # "今年11月的开票量比去年12月多了还是少了": the way asked is the sign of the change —
            # the two figures and their difference, not a series (the trend's grain unsaid)
            p.modifiers.pop("trend")
            if query.grain and not p.modifiers.get("grain"):
                query = replace(query, grain=None)
    if not asked or query.grain or query.having or query.of_groups:
        return query
    if query.dimensions and (query.extra.get("growth") or not _delta_per_group(query)):
        return query
    if not (query.compare or p.apart is not None) or query.population is not None:
        return query
    if p.top_n or p.modifiers.keys() & {"top", "bottom", "bestsellers", "share", "trend"}:
        return query
    if query.extra.keys() - {"ratio", "known_only", "line_seller"}:
        return query
    said = " ".join(m.group(0) for m in asked)
    from shopql.nlq.unitwords import CHANGE_UNITS, agreeing_words

    # "10月比9月销售额涨了多少件": the change's measure word says what is counted — one that
    # agrees with no figure compared (件 beside money) stays unplaced, not read as the amount's
    agree = agreeing_words(p, list(query.metrics), ws)
    p.links.leftover = [
        w
        for w in p.links.leftover
        if w.lower() not in said or (w in CHANGE_UNITS and w not in agree)
    ]
    delta: bool | str = True  # the later minus the earlier
    if p.periods_said is not None:  # "9月比10月多了多少单": the earlier minus the later
        from shopql.nlq.comparisons import period_subject_less

        before, between, after, first_later = p.periods_said
        less = period_subject_less(before, between, after)
        if less is not None and less == first_later:
            delta = "earlier"
    return replace(query, extra={**query.extra, "delta": delta})


def _year_left_out(label: str | None, question: str) -> bool:
    """A numbered quarter or half ("q3", "h2") whose label lost the year the question said in
    digits: read into the first of two periods ("18年Q1和Q3"), the second's label has none."""
    from shopql.nlq.periods import NUMBERED_PART

    if not label or not NUMBERED_PART.search(label):
        return False
    return _DIGIT_YEAR.search(normalise(question)) is not None


_DIGIT_YEAR = re.compile(
    r"(?<!\d)(?:19|20)\d{2}(?!\d)|\d\s*年|(?<![\d.])\d{2}(?=\s*[qh][1-4])", re.I
)


def _delta_per_group(query: SemanticQuery) -> bool:
    """ "11月比10月 各平台 客单价 涨跌多少": an average or a rate compared per group (a sum is a
    growth ranking, with its own amount) gets the amount of each group's change too."""
    return bool(query.compare) and len(query.metrics) == 1 and len(query.dimensions) == 1


def _same_length(a: TimeRange | None, b: TimeRange | None) -> bool:
    """Two periods of one length: as many whole calendar months, or as many days."""
    if a is None or b is None or None in (a.start, a.end, b.start, b.end):
        return False
    assert a.start is not None and a.end is not None and b.start is not None and b.end is not None

    def months(tr: TimeRange) -> int | None:
        s, e = tr.start, tr.end
        assert s is not None and e is not None
        whole = s.day == e.day == 1 and s.time() == e.time() == dt.time()
        return (e.year - s.year) * 12 + e.month - s.month if whole else None

    if months(a) is not None or months(b) is not None:
        return months(a) == months(b)
    if _parts_of_one_month(a, b):  # "8月上半月 vs 下半月": 15 and 16 days, halves of one month
        return True
    return (a.end - a.start) == (b.end - b.start)


def _parts_of_one_month(a: TimeRange, b: TimeRange) -> bool:
    """Two halves (thirds) of one calendar month, said as such (phrases._MONTH_PARTS labels)."""
    parts = ("first half", "second half", "days 1-10", "days 11-20", "days 21-end")
    assert a.start is not None and b.start is not None and a.end is not None and b.end is not None
    labels = (a.label or "", b.label or "")
    if not all(any(lab.endswith(f", {part}") for part in parts) for lab in labels):
        return False
    last = (a.end - dt.timedelta(microseconds=1), b.end - dt.timedelta(microseconds=1))
    return len({(t.year, t.month) for t in (a.start, b.start, *last)}) == 1


def _months_as_periods(p: Parsed, query: SemanticQuery) -> SemanticQuery:
    """ "17年订单数环比下滑最多的月份", "which month of 2017 grew most": the months of one year
    ranked by their change against the month before are the year's monthly periods (each
    against the one before it), not the months of the year against those of the year before."""
    tr = query.time_range
    if not p.modifiers.get("growth") or query.compare != "previous_period" or query.grain:
        return query
    if query.dimensions != ("month_of_year",) or p.two_periods or tr is None:
        return query
    if tr.start is None or tr.end is None or (tr.end - tr.start).days > 366:
        return query
    return replace(query, dimensions=(), grain="month")


def _month_of_one_year(p: Parsed, query: SemanticQuery) -> SemanticQuery:
    """ "今年营业额最高的是几月份", "2017年几月份的订单最多": the months of a year asked within
    one calendar year are that year's months — each its own period (2026-11), as "哪个月" is read,
    not a month number that could stand for the same month of several years."""
    tr = query.time_range
    if query.dimensions != ("month_of_year",) or query.grain or query.compare or p.two_periods:
        return query
    if tr is None or tr.start is None or tr.end is None or query.having or query.of_groups:
        return query
    if not p.modifiers.keys() & {"top", "bottom"}:
        return query  # only the month a superlative picks ("几个不同月份": not months as rows)
    if tr.start.year != (tr.end - dt.timedelta(microseconds=1)).year:
        return query
    order = tuple(
        OrderBy("month", o.descending) if o.name == "month_of_year" else o for o in query.order_by
    )
    return replace(query, dimensions=(), grain="month", order_by=order)


_MORE = {"more", "higher", "bigger", "多", "高", "大", "更多", "更高", "更大"}
_PERIODS_JOINED = {"比", "和", "跟", "与", "还是", "or", "and"}  # "march or june", "3月还是6月"


def _periods_apart(question: str, p: Parsed, query: SemanticQuery, ws: Any) -> SemanticQuery:
    """ "2017年3月和6月比销售额", "orders Q1 vs Q3 2018": two periods of one length, neither just
    before the other nor a year before, are one row each (the earlier first; the later carries
    the change when one metric is asked). With a breakdown, a ranking, a growth or a share the
    two periods are not answered (refused as before)."""
    if p.apart is None or p.two_periods is not None:
        return query
    from shopql.nlq.comparisons import WHICH_PERIOD

    which = WHICH_PERIOD.search(p.links.text) and not query.dimensions and p.top_n in (None, 1)
    more = [w for w in p.links.leftover if w in _MORE]
    larger = p.modifiers.keys() & {"top", "bestsellers"} or more
    if which and larger and not p.modifiers.get("bottom"):
        # "2017年3月和6月哪个月卖得多", "which month had more orders": the rows, the larger first
        for k in ("top", "bestsellers"):
            p.modifiers.pop(k, None)
        p.top_n = None
        p.links.leftover = [w for w in p.links.leftover if w not in more]
        query = replace(query, grain=None, extra={**query.extra, "larger_first": True})
    said_way = [m for m in p.links.of("modifier") if m.term.target == "trend"]
    if p.modifiers.get("trend") and said_way and all(m.phrase in WHICH_WAY for m in said_way):
        # "今年10月的客单价比去年12月高还是低" (C, session 35): which way, of two periods apart —
        # the two figures and the change (as of two periods one after the other), not a series
        p.modifiers.pop("trend")
        if query.grain and not p.modifiers.get("grain"):  # the series' unit the trend chose
            query = replace(query, grain=None)
    plain = not (query.dimensions or query.grain or query.having or query.compare)
    extra = set(query.extra) - {"known_only", "larger_first", "line_seller", "ratio", "delta"}
    plain = plain and not extra and not query.population
    asks = p.modifiers.keys() & {"growth", "share", "top", "bottom", "bestsellers", "trend"}
    one = plain and len(query.metrics) == 1 and not p.top_n and not p.added
    said = p.periods_said
    if one and asks == {"share"} and _SHARE_CHANGE.search(p.links.text) and said and said[3]:
        a, b = p.apart, p.time
        if a.end is not None and b is not None and b.start is not None and a.end <= b.start:
            # "英国的销售额占比11月比9月高了几个百分点": each period's share and the change in
            # points (comparisons._share_compared), the later said first
            assert a.start is not None
            apart = [a.start.isoformat(), a.end.isoformat(), a.label]
            return replace(query, extra={**query.extra, "apart": apart})
    how = _later_over_earlier(p) if one and asks <= {"growth", "share"} else None
    if how is not None:
        # "今年11月比9月件数涨了百分之几", "今年到现在已经卖到去年全年的几成了": one plain figure of
        # two periods apart (any lengths), the later over the earlier — one row with the change
        # (and the ratio when a multiple or a part is asked); the words of it placed
        for k in ("growth", "share"):
            p.modifiers.pop(k, None)
        placed = " ".join(m.group(0) for m in _LATER_OVER_EARLIER.finditer(p.links.text))
        p.links.leftover = [
            w for w in p.links.leftover if w not in placed and w not in RISE_WORDS | FALL_WORDS
        ]
        a = p.apart
        assert a is not None and a.start is not None and a.end is not None
        if (a.start.month, a.start.day, a.end.month, a.end.day) == (1, 1, 1, 1):
            # "去年全年": the earlier a whole year, its 全年 said of it
            p.links.leftover = [w for w in p.links.leftover if w not in ("全年", "整年")]
        asks = set()
        query = replace(
            query, extra={**query.extra, "apart_change": True, **({"ratio": True} if how else {})}
        )
    if not plain or asks or p.top_n:
        why = (
            "two periods neither just before the other nor a year before are set side by side "
            "only for plain figures (no breakdown, ranking, growth or share)"
        )
        if p.added:
            why = (
                "two periods apart are added up only for plain figures (no breakdown, ranking, "
                "growth or share)"
            )
        raise _not_understood(question, p, ws, why)
    if p.added:  # "1月和5月加起来卖了多少": each period's figure, added up
        from shopql.catalog.families import adds_up

        apart_ones = [m for m in query.metrics if not adds_up(ws.catalog, m)]
        if apart_ones or query.extra.keys() - {"known_only", "line_seller"}:
            why = (
                f"{', '.join(apart_ones) or 'this figure'} does not add up over two periods (one "
                "counted in both would count twice): ask each period"
            )
            raise _not_understood(question, p, ws, why)
    a = p.apart
    assert a.start is not None and a.end is not None
    apart = [a.start.isoformat(), a.end.isoformat(), a.label]
    if p.links.leftover:  # "比", "vs", "对比": the two periods set side by side
        from shopql.nlq.comparisons import VERSUS

        p.links.leftover = [
            w
            for w in p.links.leftover
            if not (VERSUS.fullmatch(w) or w in SPOKEN_COMPARE or w in _PERIODS_JOINED)
        ]
        side = _SIDE_WORDS.search(p.links.text)  # "上个月和去年12月的发票数放在一起比"
        if side is not None:
            p.links.leftover = [w for w in p.links.leftover if w not in side.group(0)]
    added = {"added": True} if p.added else {}
    return replace(query, extra={**query.extra, "periods_as_rows": True, "apart": apart, **added})


# two periods apart, the later over the earlier: a change in percent ("涨了百分之几", "grew by
# what percent") or the later as a part or a multiple of the earlier ("卖到去年全年的几成",
# "是去年全年的几倍", "what percent of last year")
_LATER_OVER_EARLIER = re.compile(
    r"(?:涨|增长|增加|上涨|跌|下降|减少|下滑|变化|变)了?\s*(?:百分之几|几成|多少个?百分点?|百分之多少)"
    r"|的\s*(?:几成|百分之几|百分之多少|几倍|多少倍)"
    r"|\b(?:grow|grew|rise|rose|increase|increased|fall|fell|drop|dropped|decline|declined)"
    r"\s+(?:by\s+)?(?:what|how\s+many)\s+(?:percent|%)"
    r"|\bby\s+what\s+percent(?:age)?\b"
)
_RATIO_OF_EARLIER = re.compile(r"的\s*(?:几成|百分之几|百分之多少|几倍|多少倍)")


def _later_over_earlier(p: Parsed) -> bool | None:
    """Two periods apart that do not overlap, the later said first (the subject: "今年11月比9月
    …", "今年到现在 … 去年全年的几成"), a change in percent or a part / multiple asked: True when
    the later is asked as a part or a multiple of the earlier (the ratio), False for the change
    alone, None when not so asked (or the earlier said first: "9月比11月涨了百分之几")."""
    a, b = p.apart, p.time
    if a is None or b is None or None in (a.start, a.end, b.start, b.end):
        return None
    assert a.start is not None and a.end is not None and b.start is not None
    if a.end > b.start or p.periods_said is None or not p.periods_said[3]:
        return None
    said = list(_LATER_OVER_EARLIER.finditer(p.links.text))
    if not said:
        return None
    return any(_RATIO_OF_EARLIER.fullmatch(m.group(0)) for m in said)


def _later_minus_earlier(question: str, p: Parsed) -> bool:
    """Two periods of different lengths that do not overlap, the later said first, and the
    difference asked ("今年7月以后的客户人数比1到6月多几个", C, session 43): the later's figure
    minus the earlier's, as the asker set them (_delta_asked) — the earlier said first is left
    refused."""
    from shopql.nlq.comparisons import DELTA_ASKED

    a, b = p.apart, p.time
    if a is None or b is None or None in (a.start, a.end, b.start, b.end):
        return False
    assert a.end is not None and b.start is not None
    if a.end > b.start or p.periods_said is None or not p.periods_said[3]:
        return False
    return DELTA_ASKED.search(f"{p.links.text} {question}".lower()) is not None


# two periods set side by side, said as such (对比, 比较, vs, compare): not a ratio or a change
_PERIODS_SET_SIDE = re.compile(r"对比|比较|\bvs\.?(?!\w)|\bversus\b|\bcompared?\b", re.I)


def _abutting_to_today(question: str, p: Parsed, today: dt.date) -> bool:
    """Two periods of different lengths, the later starting where the earlier ends and running to
    today, set side by side ("今年 1到6月 跟 7月 以后 开 的 退货单 张数 对比", C, session 44): one
    row each, as 上半年跟下半年(到现在) already is — never two periods with a gap or an overlap, one
    that stops before today, or a change or ratio asked (those are read, or refused, above)."""
    a, b = p.apart, p.time
    if a is None or b is None or None in (a.start, a.end, b.start, b.end):
        return False
    assert a.start is not None and b.start is not None
    earlier, later = (a, b) if a.start < b.start else (b, a)
    assert earlier.end is not None and later.end is not None
    if earlier.end != later.start or later.end.date() != today or later.end.time() != dt.time():
        return False
    return _PERIODS_SET_SIDE.search(question) is not None


RISE_WORDS = {"涨", "增", "增加", "上涨", "涨了", "增长", "rose", "grew", "increased", "gained"}
FALL_WORDS = {"跌", "降", "减", "减少", "下降", "跌了", "下滑", "fell", "dropped", "declined"}


_CHANGED_BY = re.compile(
    r"(?:涨|跌|降|增长|增加|减少|下降|上涨|下滑|多|少|变化|变动|变)了?\s*$"  # 变了几成: by what %
    r"|\b(?:up|down|rose|grew|fell|dropped|increased|decreased|changed)\s+(?:by\s+)?$"
)


def _change_in_percent(p: Parsed) -> None:
    """ "9月比8月涨了百分之几", "up by what %": a share word right after a word of change, in a
    comparison of periods, asks the change in percent (the comparison's own %), not a share."""
    if not (p.modifiers.get("compare") or p.two_periods) or not p.modifiers.get("share"):
        return
    said = [
        m
        for m in p.links.of("modifier")
        if m.term.target == "share" and _CHANGED_BY.search(p.links.text[: m.start])
    ]
    if said and len(said) == len([m for m in p.links.of("modifier") if m.term.target == "share"]):
        p.links.mentions = [m for m in p.links.mentions if m not in said]
        p.modifiers.pop("share")
        # "11月客单价环比变化百分之几": 变化 is the change asked in percent, no trend (was: each
        # day against the day before)
        text = p.links.text
        changed = [
            t
            for t in p.links.of("modifier")
            if t.term.target == "trend"
            and any(re.fullmatch(r"\s*了?\s*", text[t.end : m.start]) for m in said)
        ]
        if changed:
            p.links.mentions = [m for m in p.links.mentions if m not in changed]
            if not [t for t in p.links.of("modifier") if t.term.target == "trend"]:
                p.modifiers.pop("trend", None)


def _change_ranked(p: Parsed) -> None:
    """ "上半年同比哪个州涨的最多" (的 for 得), "which state rose the most vs last year": a
    ranking word beside a word of change, in a comparison, ranks by the change (a growth
    ranking) — ranking by the metric itself answers "which is biggest", another question."""
    if not (p.modifiers.get("compare") or p.two_periods) or p.modifiers.get("growth"):
        return
    least = p.modifiers.get("bottom")
    said = [w for w in p.links.leftover if w in RISE_WORDS | FALL_WORDS]
    if not (p.modifiers.get("top") or least) or not said:
        return
    falling = any(w in FALL_WORDS for w in said)
    from shopql.nlq.families import _SLOW_WORDS, _SPEED_AGGS

    speed = [m.phrase for m in p.links.of("modifier") if m.phrase in _SPEED_AGGS]
    if least and speed:
        # "which platform fell fastest", "哪个平台下滑最快": 最快 / fastest is read as the least
        # (of a duration), but beside a word of change it is the most of it — read as the least,
        # the fall's direction was dropped (the fastest grower named; m, session 31)
        least = all(w in _SLOW_WORDS for w in speed)
    p.modifiers["growth"] = "bottom" if falling != bool(least) else "top"
    p.modifiers.pop("top", None)
    p.modifiers.pop("bottom", None)
    p.links.leftover = [w for w in p.links.leftover if w not in said]


def _per_person(p: Parsed, ws: Any) -> None:
    """ "每个平台人均下几单", "人均订单": a bare 人均 (alone it is sales per buyer) before another
    metric is that metric per buyer — not sales per buyer and the metric side by side."""
    from shopql.nlq.families import _ratio_for

    bare = [m for m in p.links.of("metric") if m.phrase == "人均"]
    heads = [m for m in p.links.of("metric") if m.phrase.startswith("人均")]
    if len(heads) == 1:  # "收藏过的用户 人均收藏几次": over the people of that event
        from shopql.nlq.families import per_head_of_event_people

        own = per_head_of_event_people(p.links, heads[0], ws.catalog)
        if own is not None:
            p.metrics = [own]
            return
    others = [m for m in p.links.of("metric") if m.phrase != "人均"]
    if len(bare) != 1 or len({m.term.target for m in others}) != 1:
        return
    if others[0].start < bare[0].end or "buyers" not in ws.catalog.metrics:
        return
    ratio = _ratio_for(ws.catalog, others[0].term.target, ["buyers"])
    if ratio is None:
        return
    from shopql.nlq.families import METRIC_VERBS

    verbs = METRIC_VERBS.get(others[0].term.target, set())  # 下 (几单): the count's own verb
    p.links.mentions = [m for m in p.links.mentions if m not in bare + others]
    p.links.leftover = [w for w in p.links.leftover if w not in verbs]
    p.metrics = [ratio]


RATE_WORDS = ("率", "rate")


# Figures where more is worse: the worst of them is the most ("which quarter was worst by amount
# refunded", "退款率最差的平台"), as the longest wait is (a duration in days or hours)
WORSE_WHEN_MORE = frozenset(
    {
        *("refund_amount", "return_amount", "refund_amount_by_order_time", "item_refund_amount"),
        *("refund_rate", "refund_order_rate", "refunded_orders", "returned_orders"),
        *("refund_count", "refund_records", "returned_product_count", "unpaid_orders"),
        *("negative_reviews", "negative_review_rate"),
    }
)
WORSE_STATUSES = frozenset(
    {"cancelled", "canceled", "refunded", "closed", "returned", "unavailable"}
)
_WORST_WORDS = {"worst", "worse", "最差", "最糟", "最糟糕", "最烂"}


def _worst_is_most(p: Parsed, ws: Any) -> None:
    """ "Refunds this year: which quarter was worst by amount refunded?": 'worst' of a figure
    where more is worse (refunds, returns, cancellations, negative reviews, a wait) ranks from
    the top — the quarter with the most refunded, never the least. Worst of sales, ratings or
    anything else stays the bottom."""
    said = [m for m in p.links.of("modifier") if m.term.target == "bottom"]
    if not p.modifiers.get("bottom") or not said:
        return
    if any(m.phrase.strip().lower() not in _WORST_WORDS for m in said):
        return
    metrics = [ws.catalog.metrics.get(n) for n in p.metrics]
    rate = p.modifiers.get("rate_of") or ("status" if p.modifiers.get("share") else None)
    rated = [f for f in p.filters if f.dimension == rate and f.op == "in"]
    if rate:  # "worst cancellation rate": the status rated
        worse = bool(rated) and all(str(v).lower() in WORSE_STATUSES for v in rated[0].values)
    else:
        worse = bool(metrics) and all(
            m is not None and (m.name in WORSE_WHEN_MORE or m.value_type in ("days", "hours"))
            for m in metrics
        )
    if not worse:
        return
    p.modifiers.pop("bottom")
    p.modifiers.setdefault("top", True)


def _rate_of_value(p: Parsed, ws: Any) -> None:
    """ "订单取消率", "cancellation rate": a rate word after one value of a count is the share of
    that value (cancelled orders / all orders), not the count of it."""
    rate = [w for w in p.links.leftover if w in RATE_WORDS]
    # "cancellation rate (C invoices / …)": one value said twice is one value
    p.filters = [replace(f, values=tuple(dict.fromkeys(f.values))) for f in p.filters]
    values = [f for f in p.filters if f.op == "in" and len(f.values) == 1]
    metrics = [ws.catalog.metrics[m] for m in p.metrics if m in ws.catalog.metrics]
    # "germany cancellation rate": the rated value is the status; a value of another dimension
    # beside it (the country) is the scope of both the part and the whole
    rated = [f for f in values if f.dimension == "status"]
    if len(p.filters) > 1 and len(rated) == 1 and all(f.op == "in" for f in p.filters):
        values = rated
        p.modifiers["rate_of"] = "status"
    elif len(p.filters) != 1:
        return
    if not rate or len(values) != 1 or len(metrics) > 1:
        return
    if metrics and metrics[0].value_type != "count":
        return
    if not metrics:
        p.metrics = ["orders"] if "orders" in ws.catalog.metrics else []
    if p.dimensions or p.modifiers.get("grain") or p.modifiers.get("trend"):
        # "各州取消率", "每个月的取消率", "取消率最高的品类": the rate within each group
        # (cancelled orders of the state / orders of the state), not a share of the total
        p.modifiers["rate_per_group"] = True
    elif p.modifiers.get("rate_of"):
        # "天猫 vs 拼多多 的取消率": the values compared side by side become rows (comparisons),
        # each with its own rate — never each one's share of every platform's cancellations
        p.modifiers["rate_per_group"] = True
    p.modifiers["share"] = True
    p.modifiers["rate_said"] = True  # "取消率": a rate (on Online Retail over its paid invoices)
    p.links.leftover = [w for w in p.links.leftover if w not in RATE_WORDS]


def _unused(p: Parsed, query: SemanticQuery, ws: Any) -> list[str]:
    """Words linked to something the final query does not use: a ranking word ("most", "前5")
    with nothing ranked, a distribution word with no breakdown, a table named ("order", "退货")
    that the query does not read (_unread_tables). Linked is not the same as accounted for: the
    answer must use what the question names."""
    words: list[str] = []
    ranked = query.order_by or query.limit or query.extra.get("growth")
    if not ranked and (p.modifiers.get("top") or p.modifiers.get("bottom")):
        words += [m.phrase for m in p.links.of("modifier") if m.term.target in ("top", "bottom")]
        if p.top_n and not words:
            words.append(f"top {p.top_n}")
    if p.modifiers.get("distribution") and not (query.dimensions or query.grain):
        words += [m.phrase for m in p.links.of("modifier") if m.term.target == "distribution"]
    attached = _attached_dimensions(p, query, ws) + _attached_metrics(p, query, ws)
    attached += _comparison_unused(p, query) + _ranked_per_group(p, query)
    attached += _ranked_owner(p, query)
    return words + _unread_tables(p, query, ws) + _harmless_unused(p, query, ws) + attached


# What may stand between two breakdown words that name one thing ("seller state", "卖家所在州",
# "卖家是哪个州的", "state of the seller"): no "and", 和, 各, "by", "each" between them.
ATTACHING_EN = {"'s", "s", "of", "the", "in", "is", "are", "from", "located", "based"}
ATTACHING_ZH = ("所在地", "所在的", "所在", "哪个", "哪些", "来自", "的", "是", "哪")


def _attached(p: Parsed, a: Any, b: Any) -> bool:
    """Nothing but function words between mentions `a` and `b` ("seller state", "卖家所在州")."""
    gap = p.links.text[a.end : b.start]
    for w in ATTACHING_ZH:
        gap = gap.replace(w, " ")
    return all(w in ATTACHING_EN for w in gap.split())


def _adjacent(p: Parsed, kind: str, used: Iterable[str]) -> Iterator[tuple[Any, Any]]:
    """Neighbouring mentions (a, b) of `kind` naming two different things the query uses, with
    nothing but function words between them (`_attached`): one noun phrase, not two items."""
    mentions = p.links.mentions
    for a, b in zip(mentions, mentions[1:], strict=False):
        if a.term.kind != kind or b.term.kind != kind:
            continue
        if (a.start, a.end) == (b.start, b.end):
            continue  # one word read twice: "发票金额的平均数和中位数", two aggregations of it
        if a.term.target == b.term.target or not {a.term.target, b.term.target} <= set(used):
            continue
        if _attached(p, a, b):
            yield a, b


def _attached_dimensions(p: Parsed, query: SemanticQuery, ws: Any) -> list[str]:
    """Two breakdown words with nothing but function words between them name one thing — the
    state OF the seller — not two breakdowns: grouping by seller and the order's state answers
    another question (the buyers' states of each seller). The catalog would have linked a
    dimension spelt so ("product category") as one phrase; these are refused, the words named.
    Kept: the top entity's own attribute, which the catalog declares on the entity's model
    ("卖得最好的商品是哪个类目的": the best seller and its category)."""
    words: list[str] = []
    for a, b in _adjacent(p, "dimension", query.dimensions):
        if b.phrase.startswith(PER_WORDS) or a.phrase.endswith(PER_WORDS):
            continue  # "各卖家各州": each named as its own breakdown
        picked = query.extra.get("which_one") or query.limit
        if picked and _is_attribute_of(ws, b.term.target, a.term.target):
            continue
        words.append(p.links.text[a.start : b.end])
    return words


def _attached_metrics(p: Parsed, query: SemanticQuery, ws: Any) -> list[str]:
    """Two metric words with nothing between them are one noun phrase: the first qualifies the
    second ("差评订单的客单价": the orders WITH a bad review), so reporting both side by side
    answers another question. Harmless only when the first is a plain count of the rows the
    second is computed over ("订单平均几天收到货", "卖出了多少个SKU")."""
    words: list[str] = []
    if query.extra.get("plain_ratio"):  # "A 是 B 的几倍": the two figures, one over the other
        return words
    for a, b in _adjacent(p, "metric", query.metrics):
        if _ASKED_IN_ITSELF.search(a.phrase):
            continue  # "卖出去多少件 收了多少钱": two questions, each asked, not one phrase
        first, second = a.term.target, b.term.target
        metric = ws.catalog.metrics[first]
        models, filters = _metric_reads(ws, second)
        same_rows = not metric.filter or metric.filter in filters  # units beside SKUs: paid lines
        if metric.type == "simple" and same_rows and _metric_reads(ws, first)[0] <= models:
            continue
        words.append(p.links.text[a.start : b.end])
    return words


# a metric said as a question of its own ("卖出去多少件", "卖了多少钱"): the next metric is asked too
_ASKED_IN_ITSELF = re.compile(r"(?:多少|几)[\u4e00-\u9fff]{0,2}$")


def _metric_reads(ws: Any, name: str) -> tuple[set[str], set[str]]:
    """The semantic models a metric and the metrics it is computed from read, and their filters."""
    from shopql.catalog.compiler import metric_closure

    catalog = ws.catalog
    closure = metric_closure(catalog, [name])
    measures = [catalog.measure(m.measure or "") for m in closure]
    return {str(m.model) for m in measures if m is not None}, {
        m.filter for m in closure if m.filter
    }


_EACH = re.compile(r"\b(?:each|every|per)\b|每个|每一个|每|各个|各")


# each of the values just named: "天猫和京东分别哪个品类卖得最好", "tmall and jd, which category each"
_EACH_OF_NAMED = re.compile(r"^\s*(?:的)?\s*(?:分别|各自|各)|^\s*,?\s*(?:each|respectively)\b")


def _each_of_named(p: Parsed, query: SemanticQuery) -> str | None:
    """The dimension whose two or more values are named right before 分别 / 各自 (g, session 30):
    the ranking of the other breakdown is within each of them, never one row over all."""
    if p.top_n not in (None, 1):
        return None
    for f in query.filters:
        if f.op != "in" or len(f.values) < 2 or f.dimension not in query.dimensions:
            continue
        said = [m for m in p.links.of("value") if m.term.target == f.dimension]
        if len(said) >= 2 and _EACH_OF_NAMED.match(p.links.text[said[-1].end :]):
            return f.dimension
    return None


# the values named taken together: "天猫和京东加起来", "两个平台合计", "tmall and jd combined"
_NAMED_TOGETHER = re.compile(
    r"加起来|加在一起|合起来|合在一起|合计|总共|一共|总体|整体|共同|一起|\b(?:combined|together|in total|overall)\b"
)


def _refuse_ranked_over_named(p: Parsed, query: SemanticQuery, ws: Any) -> None:
    """ "上个月 天猫和京东 哪个品类卖得最好": two values named, then one ranking of another
    breakdown — over both together, or one per value? A seller asks either; refused, offering
    both (分别 / 各自 is one per value, answered; 加起来 / 合计 one over both, answered)."""
    ranked = query.order_by and (query.limit or query.extra.get("which_one"))
    if not ranked or len(query.dimensions) != 1 or query.grain or query.compare:
        return
    if query.extra.get("top_per_group") or _NAMED_TOGETHER.search(p.links.text):
        return
    parts = getattr(ws.catalog, "time_parts", {}) or {}
    for f in query.filters:
        if f.op != "in" or len(f.values) < 2 or f.dimension in query.dimensions:
            continue
        if f.dimension in parts:  # "周六周日付款的单集中在几点": the days taken together
            continue
        said = [m for m in p.links.of("value") if m.term.target == f.dimension]
        if len(said) < 2:
            continue
        gap = p.links.text[said[0].end : said[-1].start]
        if not re.fullmatch(
            r"\s*(?:(?:和|与|跟|及|、|,|，|/|\band\b|&|\bor\b|还有)\s*[^，,。？?]*?)*\s*", gap
        ):
            continue
        zh = not p.links.text.isascii()
        names = ("和" if zh else " and ").join(m.phrase for m in said)
        both, each = ("加起来", "分别") if zh else (" combined", " each")
        why = (
            f"'{names}' with one ranking of {query.dimensions[0]}: over them together or one per "
            f"value? Say '{names}{both}' (one ranking) or '{names}{each}' (one per value)"
        )
        raise _not_understood("", p, ws, why)


def _top_per_group(p: Parsed, query: SemanticQuery, ws: Any, question: str = "") -> SemanticQuery:
    """ "biggest category by revenue in each state", "每个州销售额最高的品类", "top 3 categories in
    every state", "各州卖得最好的品类": a ranking of one breakdown WITHIN each value of the other
    (the one the each-word names), the top n of each group (ties kept; the products ranked with
    their titles: 每个省卖得最好的商品). Rankings with another shape (growth, shares, a place
    other than the first, products as the groups) stay refused."""
    ranked = query.order_by and (query.limit or query.extra.get("which_one"))
    if query.grain and ranked and len(query.dimensions) == 1:
        return _top_per_bucket(p, query)
    if not ranked or len(query.dimensions) != 2 or query.grain or query.compare:
        return query
    if query.extra.keys() - {"which_one", "known_only", "product_titles"}:
        return query
    if query.having or query.of_groups or query.order_by[0].name not in query.metrics:
        return query
    titles = bool(query.extra.get("product_titles"))  # beside the products ranked in each
    from shopql.nlq import topgroups

    # "销售额前3的州各自卖得最好的品类": the top N said of the groups, the best inside each
    tops = topgroups.top_groups(question, query, p.links.mentions) if question else None
    if tops is not None and titles and tops.group == "product":
        # the top products' … in each: not read here — and never the top (product, X) pairs
        p.links.leftover.append(tops.said)
        return query
    if tops is not None:
        sold = _sold_best_inside(p, query, ws)
        if sold and tops.per_group and len(query.metrics) == 1 and not p.modifiers.get("bottom"):
            query = _sold_best_inside_groups(p, query, tops.group, ws)
            sold = False
        elif tops.per_group and len(query.metrics) == 2 and not p.modifiers.get("bottom"):
            query = _second_metric_inside_groups(p, query, tops.group)
        if not tops.per_group or p.modifiers.get("bottom") or len(query.metrics) != 1 or sold:
            # the top groups, but no best one inside each (or two figures: which ranks which?
            # or the groups by their buyers and the best SELLING one inside each: two rankings)
            p.links.leftover.append(tops.said)
            return query
        p.links.leftover = topgroups.placed(p.links.leftover)
        ranked_dim = next(d for d in query.dimensions if d != tops.group)
        extra = {**query.extra, "top_per_group": tops.group, "per_group_n": tops.per_group}
        extra.pop("which_one", None)
        return replace(
            query,
            dimensions=(tops.group, ranked_dim),
            order_by=(query.order_by[0], OrderBy(tops.group, False), OrderBy(ranked_dim, False)),
            limit=None,
            extra={**extra, "top_groups": tops.n},
        )
    named = _each_of_named(p, query)
    if (
        named is not None
    ):  # "上个月天猫和京东分别哪个品类卖得最好": the best one for each value named
        extra = {**query.extra, "top_per_group": named, "per_group_n": int(query.limit or 1)}
        extra.pop("which_one", None)
        ranked_dim = next(d for d in query.dimensions if d != named)
        return replace(
            query,
            dimensions=(named, ranked_dim),
            order_by=(query.order_by[0], OrderBy(named, False), OrderBy(ranked_dim, False)),
            limit=None,
            extra=extra,
        )
    m = _EACH.search(p.links.text)
    if m is None:
        if question and query.extra.get("which_one") and topgroups.two_bests(question):
            # "卖得最好的商品，哪个平台卖得最多": the best of each breakdown, two rankings
            why = "two rankings are said (the best of one breakdown, then its best of the other), not the top pair: ask them one at a time"
            raise _not_understood(question, p, ws, why)
        return query
    after = [x for x in p.links.mentions if x.end > m.end()]
    if not after or after[0].term.kind != "dimension":
        return query
    if p.links.text[m.end() : after[0].start].strip(" 个家位的"):
        return query  # "each of the top states": not the word right after the each-word
    group = next((d for d in query.dimensions if d == after[0].term.target), None)
    if group is None:
        terms = ws.vocabulary.terms.get(after[0].phrase, [after[0].term])
        options = [t.target for t in terms if t.kind == "dimension"]
        group = next((d for d in query.dimensions if d in options), None)
    if group is None or (titles and group == "product"):
        return query
    n = query.limit if p.top_n else 1
    p.links.leftover = [w for w in p.links.leftover if w != m.group()]  # "every": placed
    extra = {**query.extra, "top_per_group": group, "per_group_n": int(n or 1)}
    extra.pop("which_one", None)
    ranked_dim = next(d for d in query.dimensions if d != group)
    return replace(
        query,
        dimensions=(group, ranked_dim),
        order_by=(query.order_by[0], OrderBy(group, False), OrderBy(ranked_dim, False)),
        limit=None,
        extra=extra,
    )


def _sold_best_inside_groups(p: Parsed, query: SemanticQuery, group: str, ws: Any) -> SemanticQuery:
    """ "客户数最多的3个州 各自卖得最好的品类", "订单最多的3个平台 分别卖得最好的商品": the groups
    ranked by the metric said of them (buyers, orders), the one inside each by what sells best
    (_bestseller_measure: sales, or the pieces when 销量 / best-selling is said of products) —
    two rankings, two metrics (comparisons._inside_top_groups: `top_groups_by`)."""
    ranked_dim = next(d for d in query.dimensions if d != group)
    inner = _bestseller_measure(p, {ranked_dim}, ws)
    by = query.metrics[0]
    return replace(
        query,
        metrics=(inner,),
        order_by=(OrderBy(inner, True), *query.order_by[1:]),
        extra={**query.extra, "top_groups_by": (by, query.order_by[0].descending)},
    )


def _second_metric_inside_groups(p: Parsed, query: SemanticQuery, group: str) -> SemanticQuery:
    """ "客户数最多的3个州 各自客单价最高的品类", "top 3 states by orders and the category with the
    highest AOV in each of them": two metrics, one said before the groups' word (it ranks them),
    the other after it (it ranks inside each) — each said once, else the query is kept (and
    refused by the caller: two figures, which ranks which?)."""
    word = next((m for m in p.links.of("dimension") if m.term.target == group), None)
    metrics = [m for m in p.links.of("metric") if m.term.target in query.metrics]
    if word is None or len(metrics) != 2:
        return query
    before = {m.term.target for m in metrics if m.end <= word.start}
    after = {m.term.target for m in metrics if m.start >= word.end}
    if len(before) != 1 or len(after) != 1 or before == after:
        return query
    by, inner = before.pop(), after.pop()
    first = next((o for o in query.order_by if o.name == by), None)
    descending = True if first is None else first.descending
    return replace(
        query,
        metrics=(inner,),
        order_by=(OrderBy(inner, True),),
        extra={**query.extra, "top_groups_by": (by, descending)},
    )


def _sold_best_inside(p: Parsed, query: SemanticQuery, ws: Any) -> bool:
    """ "客户数最多的3个省 各自卖得最好的品类": the groups are ranked by a figure that is no sale
    (buyers, orders) and the one inside each by what sells best (sales or pieces): one metric
    cannot rank both."""
    said = [m for m in p.links.of("modifier") if m.term.target == "bestsellers"]
    metric = ws.catalog.metrics.get(query.metrics[0]) if query.metrics else None
    if not said or metric is None:
        return False
    return metric.value_type != "money" and query.metrics[0] != "units"


def _top_per_bucket(p: Parsed, query: SemanticQuery) -> SemanticQuery:
    """ "每个月卖得最好的品类", "best-selling category each month", "每周销售额前三的品类": the
    ranking within each bucket of the grain said with an each-word (每个月, 每月, 各月, each month)
    — the top n of each month (ties kept), not the top pairs over all months."""
    if query.extra.keys() - {"which_one", "known_only"} or query.compare:
        return query
    if query.having or query.of_groups or query.order_by[0].name not in query.metrics:
        return query
    said = [
        x
        for x in p.links.of("modifier")
        if x.term.target == "grain" and x.term.value == query.grain and _EACH.match(x.phrase)
    ]
    if not said:
        return _best_bucket_per_value(p, query)
    grain, ranked_dim = str(query.grain), query.dimensions[0]
    n = query.limit if p.top_n else 1
    extra = {**query.extra, "top_per_group": grain, "per_group_n": int(n or 1)}
    extra.pop("which_one", None)
    return replace(
        query,
        order_by=(query.order_by[0], OrderBy(grain, False), OrderBy(ranked_dim, False)),
        limit=None,
        extra=extra,
    )


# the bucket asked for as one: 哪天, 哪一天, 哪个月, 哪周, "which day", "what month"
_WHICH_BUCKET = re.compile(
    r"哪\s*(?:一|个)?\s*(?:天|日|周|星期|月|季度|年)|\b(?:which|what)\s+(?:day|week|month|quarter|year)\b"
)


def _best_bucket_per_value(p: Parsed, query: SemanticQuery) -> SemanticQuery:
    """ "上个月每个平台卖得最好的是哪一天", "each platform's best day last month": the breakdown
    said with an each-word (每个平台, 各平台, each platform) is the group, the period asked for as
    one (哪天, which day) is ranked within each — each platform's top day (ties kept), not the top
    (platform, day) pair, nor each day's top platform."""
    dim = query.dimensions[0]
    text = p.links.text
    each = [
        m
        for m in p.links.of("dimension")
        if m.term.target == dim
        and (
            _EACH.match(m.phrase)
            or re.search(r"(?:每个|每一个|每|各个|各|\beach|\bevery)\s*$", text[: m.start])
        )
    ]
    if not each or not _WHICH_BUCKET.search(text, each[0].end):
        return query
    n = query.limit if p.top_n else 1
    extra = {**query.extra, "top_per_group": dim, "per_group_n": int(n or 1)}
    extra.pop("which_one", None)
    p.links.leftover = [w for w in p.links.leftover if w != each[0].phrase]
    return replace(
        query,
        order_by=(query.order_by[0], OrderBy(dim, False), OrderBy(str(query.grain), False)),
        limit=None,
        extra=extra,
    )


_WHICH_MORE = re.compile(
    r"\bwhich\s+(?:one\s+)?(?:has|had|have|did|does|got|gets|made|makes)\s+(?:more|higher|bigger|larger)\b"
)


def _keyword_groups(p: Parsed, query: SemanticQuery, ws: Any) -> SemanticQuery:
    """ "羽绒服和大衣哪个卖得好", "which sold more, sofas or coffee tables": two (or more)
    product words named and compared — each word's lines as one group (Σ over the
    titles containing it), one row each, not the single top product among both (the ranking a
    bestseller question over products gives). Only when no breakdown was said."""
    from shopql.nlq.phrases import asks_for_one

    which = bool(query.extra.get("which_one")) and query.dimensions == ("product",)
    versus = bool(p.modifiers.get("keyword_versus")) and not query.dimensions
    # "羽绒服和大衣哪个销量高", "which has higher sales, sofas or coffee tables": which one, said
    # with a comparative of the metric named (the larger first)
    more = [w for w in p.links.leftover if w in _MORE]
    asked = asks_for_one(p.links.text) or _WHICH_MORE.search(p.links.text)
    higher = bool(more) and not query.dimensions and bool(asked)
    higher = higher and not p.modifiers.keys() & {"bottom", "top", "bestsellers"}
    if not (which or versus or higher) or p.dimensions or query.grain:
        return query
    if query.compare or query.extra.keys() - {"which_one", "known_only", "product_titles"}:
        return query
    likes = [f for f in query.filters if f.dimension == "product_title" and f.op == "like"]
    if not likes or query.having or len(query.metrics) != 1:
        return query
    titles = [f for f in query.filters if f.dimension in ("product_title", "product")]
    if any(f not in likes and f.values for f in titles):
        return query  # a product named whole beside the words: not groups of words alone
    from shopql.nlq.people import _adjacent_keywords, _per_keyword

    if _adjacent_keywords(p):
        return query  # "cake cases": one product of two words, not two groups

    groups = _per_keyword(p, likes[0], True) if len(likes) == 1 else likes
    if len(groups) < 2:
        return query
    words = [m for m in p.links.of("keyword") if m.term.target == "product_title"]
    if len(words) != len(groups):
        return query
    zh = bool(_CJK.search(p.links.text))
    labels = tuple((_word_label(m, zh), g.values) for m, g in zip(words, groups, strict=True))
    metric = query.metrics[0]
    said = [m for m in p.links.of("metric") if m.term.target == metric]
    if metric == "units" and p.modifiers.get("bestsellers") and not said:
        # a group's 卖得好 is by sales (_bestseller_measure): pieces of every down jacket added
        # up are no measure of which kind sells better
        metric = "paid_gmv" if "paid_gmv" in ws.catalog.metrics else metric
    rest = tuple(
        f
        for f in query.filters
        if f not in likes and not (f.dimension == "product" and not f.values)
    )
    if higher:
        p.links.leftover = [w for w in p.links.leftover if w not in more]
    return replace(
        query,
        metrics=(metric,),
        dimensions=(),
        filters=rest,
        order_by=(OrderBy(metric, not p.modifiers.get("bottom")),),
        limit=None,
        extra={"keyword_groups": labels},
    )


def _ranked_per_group(p: Parsed, query: SemanticQuery) -> list[str]:
    """ "每个平台销售额最高的商品", "top 3 products on each platform": the top ones WITHIN each
    group. A ranking over two breakdowns orders the pairs across all groups (the top pair
    overall), which is another question, so the group word is left unplaced."""
    ranked = query.order_by and (query.limit or query.extra.get("which_one"))
    keys = len(query.dimensions) + (1 if query.grain else 0)
    if query.extra.get("top_per_group"):
        return []
    if not ranked or keys < 2:
        return []
    m = _EACH.search(p.links.text)
    if m is None:
        return []
    after = [x for x in p.links.mentions if x.end > m.end()]
    return [p.links.text[m.start() : after[0].end] if after else m.group()]


def _ranked_owner(p: Parsed, query: SemanticQuery) -> list[str]:
    """ "销售额最高的客户的国家": a word for whom (客户) attached to a breakdown (国家) in a
    ranking is whose attribute is asked — the top customer's country — not a second metric
    beside the top country. Refused unless that word is what is ranked."""
    ranked = query.order_by and (query.limit or query.extra.get("which_one"))
    if not ranked:
        return []
    words: list[str] = []
    conditions = {f.dimension for f, _, _ in p.having or []}
    mentions = p.links.mentions
    for a, b in zip(mentions, mentions[1:], strict=False):
        if a.term.kind != "metric" or b.term.kind != "dimension":
            continue
        if a.term.target not in query.metrics or b.term.target not in query.dimensions:
            continue
        if a.term.target == query.order_by[0].name or a.term.target in conditions:
            continue  # "订单满200单的城市里哪个客单价最高": 订单 is the groups' condition
        if any(f.dimension == a.term.target for f in query.having):
            continue  # "评价数50条以上的卖家": the sellers' condition, not whose attribute
        if _attached(p, a, b):
            words.append(p.links.text[a.start : b.end])
    return words


def _comparison_unused(p: Parsed, query: SemanticQuery) -> list[str]:
    """A comparison word (vs, 对比, 相比 …) is placed by a comparison: A vs B on one dimension,
    another period, a growth, or any breakdown ("compare sales across platforms"). One number
    for a question that compares is another question ("抖音vs天猫客单价": both together). A share
    word (占) is placed by a share: "女装占今年销售额的多少" is not the sales of 女装."""
    from shopql.nlq.comparisons import VERSUS

    words: list[str] = []
    rest = _outside_mentions_text(p)
    compared = query.extra.get("versus") or query.compare or query.dimensions or query.grain
    compared = compared or query.extra.get("apart")  # "2017年3月和6月对比": two periods
    compared = compared or query.extra.get("keyword_groups")  # "羽绒服 vs 大衣": a row per word
    compared = compared or query.extra.get("rest_of")  # "SP vs the rest": SP, and the rest
    compared = compared or query.extra.get("share_of_metric")  # "A和B的比": A over B
    compared = compared or query.extra.get("by_buyer_kind")  # "新客 vs 老客 客单价": each kind
    m = VERSUS.search(rest)
    if m and not compared and not query.extra.get("growth"):
        words.append(m.group())
    share = query.extra.get("share") or query.extra.get("share_of")
    if "占" in rest and not share:
        words.append("占")
    return words


def _outside_mentions_text(p: Parsed) -> str:
    """The question's text with every mention blanked."""
    text = p.links.text
    for m in p.links.mentions:
        text = text[: m.start] + " " * (m.end - m.start) + text[m.end :]
    return text


def _is_attribute_of(ws: Any, dimension: str, entity: str) -> bool:
    """`dimension` is declared on the model whose primary entity is `entity` (category on
    products, shop_name on shops), so each entity has one value of it."""
    for model in ws.catalog.models.values():
        primary = model.primary
        if primary is not None and primary.name == entity and dimension in model.dimensions:
            return True
    return False


_WHERE_ZH = re.compile(r"哪\s*(?:里|儿)|什么\s*地方|哪\s*(?:个|些)\s*地方")


def _harmless_unused(p: Parsed, query: SemanticQuery, ws: Any) -> list[str]:
    """Words harmless only when the query uses what they refer to (lexicon HARMLESS_IF_*): a
    period's unit left over ("orders by state and month") is placed by a breakdown of that unit,
    a range of that unit or a comparison; a promotion or "that day" (大促期间, 当天) by a period;
    最 by a ranking; "value" by a money measure. Otherwise the question is not the one answered."""
    left = list(dict.fromkeys(p.links.leftover))
    tr = query.time_range
    label = (tr.label or "").lower() if tr else ""
    named = " ".join([*query.dimensions, label])
    words = []
    for w in left:
        unit = HARMLESS_IF_UNIT.get(w)
        if unit and not (query.grain == unit or query.compare or unit in named):
            if not _spans_one(tr, unit):
                words.append(w)
        if w in HARMLESS_IF_PERIOD and tr is None:
            words.append(w)
        elif w in HARMLESS_IF_DAYS and (tr is None or tr.start is None or _spans_one(tr, "day")):
            words.append(w)  # "双11那几天": the days around one day, not that day
        elif w in HARMLESS_IF_ONE_DAY and not (_spans_one(tr, "day") or query.compare):
            words.append(w)  # "6月当天发货的订单": same-day shipping, not 'that day' (双11当天)
        ranked = query.order_by or query.limit or query.extra.get("which_one")
        if w in HARMLESS_IF_RANKED and not (ranked or query.extra.get("growth")):
            words.append(w)
    products = set(query.dimensions) & set(PRODUCT_DIMS) or any(
        m.startswith(("product_count", "sku_count")) for m in query.metrics
    )
    if not products:
        words += [w for w in left if w in HARMLESS_IF_PRODUCT]
    if not set(query.dimensions) & PLACE_DIMS:
        # "上个月抖音在哪里卖得最多": 哪里 is read as 哪 + 里 (both harmless alone): looked for in
        # the text, so a question asking where is never answered by products
        words += [w for w in left if w in HARMLESS_IF_PLACE]
        words += [m.group() for m in _WHERE_ZH.finditer(_outside_mentions_text(p))]
    counted = query.metrics and all(
        m.startswith(("product_count", "sku_count")) for m in query.metrics
    )
    if not (
        counted and list(query.dimensions) == ["person"] and not query.filters and not query.compare
    ):
        words += [w for w in left if w in HARMLESS_IF_PERSON_PRODUCTS]
    if not _order_money_condition(query, ws):
        words += [w for w in left if w in HARMLESS_IF_ORDER_VALUE]
    if not _order_money_condition(query, ws, upper=True):
        words += [w for w in left if w in HARMLESS_IF_SMALL_ORDER_VALUE]
    if not _order_condition(query, ws):
        words += [w for w in left if w in HARMLESS_IF_ORDER_CONDITION]
    if not _one_order_extreme(query, ws):
        words += [w for w in left if w in HARMLESS_IF_ONE_ORDER]
    if not _one_order_extreme(query, ws, "order_items"):
        words += [w for w in left if w in HARMLESS_IF_ONE_ITEM]
    if not any(f.dimension == "product_title" and "like" in f.op for f in query.filters):
        words += [w for w in left if w in HARMLESS_IF_TITLE]
    types = {getattr(ws.catalog.metrics.get(m), "value_type", "") for m in query.metrics}
    if "money" not in types:
        words += [w for w in _outside_mentions(p) if w in HARMLESS_IF_MONEY]
    if not _went_to_value(p, query):
        words += [w for w in left if w in HARMLESS_IF_WENT_TO]
    return words


_WENT_TO = re.compile(r"\bwent\s+to\s+(?:the\s+)?")


def _went_to_value(p: Parsed, query: SemanticQuery) -> bool:
    """Every "went" of the question is "went to" right before a value of a place that the query
    filters on ("orders went to RJ", "units went to EIRE")."""
    filtered = {(f.dimension, v) for f in query.filters if f.op in ("=", "in") for v in f.values}
    found = False
    for m in re.finditer(r"\bwent\b", p.links.text):
        said = _WENT_TO.match(p.links.text, m.start())
        after = said and next((x for x in p.links.mentions if x.start == said.end()), None)
        term = after.term if after else None
        if term is None or term.kind != "value" or term.target not in WENT_TO_DIMS:
            return False
        if (term.target, term.value) not in filtered:
            return False
        found = True
    return found


def _one_order_extreme(query: SemanticQuery, ws: Any, model: str = "orders") -> bool:
    """Every figure asked is the highest or lowest of an order's own number (a measure or a
    duration of the orders model: "最久的一单", "单笔最大金额") — one order, as 一单 says; of an
    order line's (`model` order_items: "单价最高的一件") — one item, as 一件 says."""
    extremes = {
        m.metrics[agg]
        for m in ws.catalog.measurables.values()
        if m.model == model
        for agg in ("max", "min")
        if agg in m.metrics
    }
    return bool(query.metrics) and all(m in extremes for m in query.metrics)


def _count_not_by_itself(p: Parsed, query: SemanticQuery) -> SemanticQuery:
    """A count of the things of a dimension split by that dimension is 1 on every row: "上个月
    卖出过的商品有多少款" asks how many products sold, one figure; the split, and its 'at least
    one' condition on the count, are the count's own (was: a row of 1 per product)."""
    if p.top_n or query.grain or len(query.metrics) != 1 or len(query.dimensions) != 1:
        return query
    (d,), (m,) = query.dimensions, query.metrics
    if m != f"{d}_count":
        return query
    kept = tuple(f for f in query.filters if f.dimension != m)
    having = tuple(f for f in query.having if f.dimension != m)
    p.having = [h for h in p.having or [] if h[0].dimension != m]
    return replace(query, dimensions=(), filters=kept, having=having)


# "有多少人", "几个人", "how many people": the answer is a number of people
# the Chinese words for the people a question counts (人 only where a count word precedes it)
_PEOPLE_ZH = "人|客户|买家|顾客|用户"
_PEOPLE_COUNTED = re.compile(
    rf"多少(?:个)?(?:{_PEOPLE_ZH})|几(?:个|位)(?:{_PEOPLE_ZH})"
    # "收藏过商品的人 多少", "买过商品的客户有几个": the people, then how many
    rf"|的(?:{_PEOPLE_ZH})\s*(?:一共|总共|共)?\s*(?:有)?\s*(?:多少|几个|几位)"
    r"|\bhow many (?:people|customers|buyers|users|visitors|shoppers)\b"
)


def _people_of_an_object(p: Parsed, query: SemanticQuery) -> SemanticQuery:
    """ "近30天有多少人收藏过商品", "有多少人买过商品": the product word right after the verb (收藏过,
    买过, 加购了) is what they did it to, not a split by product — the question asks how many
    people, one figure (was: a row per product). 各 / 每个 / 哪些 before it keep the split."""
    if p.top_n or query.grain or len(query.dimensions) != 1 or len(query.metrics) != 1:
        return query
    if query.dimensions[0] not in PRODUCT_DIMS or not _PEOPLE_COUNTED.search(p.links.text):
        return query
    text = p.links.text
    for m in p.links.mentions:
        if m.term.kind != "dimension" or m.term.target != query.dimensions[0]:
            continue
        before = text[: m.start].rstrip()
        if not before.endswith(("过", "了")) or re.search(r"各|每|哪|分别", before[-8:]):
            return query
    return replace(query, dimensions=())


def _order_money_condition(query: SemanticQuery, ws: Any, upper: bool = False) -> bool:
    """The query keeps only orders over (or from) an amount: a lower bound on the order's own
    money number (catalog thresholds: entity order, unit money, `bare` — its value, not freight);
    `upper`: orders under (or up to) an amount, an upper bound (小单: 不到50块的小单)."""
    thresholds = getattr(ws.catalog, "thresholds", {}) or {}
    ops = ("<", "<=", "between") if upper else (">", ">=", "between")
    return any(
        f.op in ops
        and (t := thresholds.get(f.dimension)) is not None
        and (t.entity, t.unit, t.bare) == ("order", "money", True)
        for f in query.filters
    )


def _order_condition(query: SemanticQuery, ws: Any) -> bool:
    """The query keeps only orders by a bound on an order's own number (catalog thresholds of
    entity order: its value, its pieces, its lines), not a number of a person or a group."""
    thresholds = getattr(ws.catalog, "thresholds", {}) or {}
    return any(
        f.op in (">", ">=", "<", "<=", "between")
        and (t := thresholds.get(f.dimension)) is not None
        and t.entity == "order"
        for f in query.filters
    )


def _spans_one(tr: TimeRange | None, unit: str) -> bool:
    """The range is one whole `unit` (the month of May 2018, the year 2017, one week or day)."""
    if tr is None or tr.start is None or tr.end is None:
        return False
    from shopql.catalog.timephrase import shift

    return shift(tr.start.date(), unit, 1) == tr.end.date()


def _outside_mentions(p: Parsed) -> list[str]:
    """The Latin words of the question that no mention covers (stop words included)."""
    return re.findall(r"[a-z]+", _outside_mentions_text(p))


# tables a question names as its subject ("退货", "returns", "reviews") that no default metric reads
SUBJECT_TABLES = ("refunds", "payments", "reviews", "events", "inventory")


def _unread_tables(p: Parsed, query: SemanticQuery, ws: Any) -> list[str]:
    """The phrases of table words the query does not account for. A table word is placed only
    when the compiled query reads that table (FROM/JOIN, or the model of a breakdown or filter)
    and, for a subject table (退货 → refunds, reviews, payments …), a metric, measure, breakdown
    or filter of the query is about it by name: a join made for something else does not answer
    "the product with the most returns" (a units ranking). When the query does not compile here,
    the name test alone decides (the answer path says why it does not compile)."""
    tables = {m.term.target: m.phrase for m in p.links.of("table")}
    if not tables:
        return []
    read = _tables_read(query, ws)
    about = _named_in(query, ws) if tables.keys() & set(SUBJECT_TABLES) else ""
    per = {m.term.target for m in p.links.of("table") if _PER.search(p.links.text[: m.start])}
    words = []
    for table, phrase in tables.items():
        if table == "payments" and _paid_by_said(p, query):
            continue  # "orders paid by debit card": the order's own channel, a filter of it
        if _event_of_own_time_part(p, query, ws, phrase):
            continue  # "按付款钟点看 哪个小时收钱最多": the hour of the payment, the sales' own time
        unread = read is not None and table not in read
        unnamed = table in SUBJECT_TABLES and not re.search(rf"\b{table[:-1]}", about)
        if unread or unnamed or (table in per and table not in _averaged_over(query, ws)):
            words.append(phrase)
    return words


_PER = re.compile(r"\b(?:per|each)\s+$|每$")


def _event_of_own_time_part(p: Parsed, query: SemanticQuery, ws: Any, phrase: str) -> bool:
    """An event word said right before a part of the time the query splits by ("按 付款 钟点 看
    哪个小时收钱最多", "按付款的星期几看"): the part of that event's time — placed when it is the
    time every metric of the query is counted by (the sales by the payment's hour: 付款 says
    what the split already is). Another event's time (按下单钟点看 收钱) is not read here."""
    from shopql.nlq.timebasis import _own_time, event_words

    catalog = ws.catalog
    dim = event_words(catalog).get(phrase)
    parts = getattr(catalog, "time_parts", {}) or {}
    if dim is None or not query.metrics or not any(d in parts for d in query.dimensions):
        return False
    if {_own_time(catalog, catalog.metrics.get(m)) for m in query.metrics} != {dim}:
        return False
    text = p.links.text
    for m in p.links.mentions:
        if m.phrase != phrase:
            continue
        after = [n for n in p.links.mentions if n.start >= m.end]
        n = min(after, key=lambda x: x.start, default=None)
        if (
            n is not None
            and n.term.kind == "dimension"
            and n.term.target in parts
            and n.term.target in query.dimensions
            and not re.sub(r"[的\s]", "", text[m.end : n.start])
        ):
            return True
    return False


def _averaged_over(query: SemanticQuery, ws: Any) -> set[str]:
    """The tables whose rows a metric of the query is an average over: an avg/median measure's
    table, a ratio's denominator count's table ("freight per order", "revenue per buyer"). "per
    order" beside any other metric ("sales per order", "reviews per order") is a ratio the query
    does not compute."""
    catalog = ws.catalog
    tables: set[str] = set()
    for name in query.metrics:
        metric = catalog.metrics.get(name)
        if metric is None:
            continue
        if metric.type == "ratio":
            metric = catalog.metrics.get(metric.denominator or "")
            wanted = ("count", "count_distinct")
        else:
            wanted = ("avg", "median")
        measure = catalog.measure(getattr(metric, "measure", None) or "")
        if measure is not None and measure.agg in wanted:
            tables.add(str(getattr(catalog.models.get(measure.model), "table", "")))
    return tables


def _tables_read(query: SemanticQuery, ws: Any) -> set[str] | None:
    """The warehouse tables the compiled query reads (customers too when it counts people by
    their OneID), or None when it does not compile here (the answer path will say why)."""
    from shopql.catalog.compiler import compile_query

    try:
        sql = compile_query(ws.catalog, replace(query, extra={}), today=ws.today).sql
    except Exception:
        return None
    read = {t.lower() for t in re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', sql, re.IGNORECASE)}
    if "one_id" in sql:
        read.add("customers")
    catalog = ws.catalog
    for d in [*query.dimensions, *(f.dimension for f in query.filters)]:
        # "boleto付款的订单": the payment word names the payment type the query filters on
        info = catalog.dimensions.get(d)
        for model in info.models if info is not None else ():
            read.add(str(getattr(catalog.models.get(model), "table", "")).lower())
    return read


def _named_in(query: SemanticQuery, ws: Any) -> str:
    """The names the query is made of, lower case: its metrics and every metric they are
    computed from, their measures and models (table and SQL), its breakdowns and filters."""
    from shopql.catalog.compiler import metric_closure

    catalog = ws.catalog
    names: list[str] = [*query.dimensions, *(f.dimension for f in query.filters)]
    known = [m for m in query.metrics if m in catalog.metrics]
    for metric in metric_closure(catalog, known):
        names.append(metric.name)
        measure = catalog.measure(metric.measure or "")
        if measure is None:
            continue
        names.append(measure.name)
        model = catalog.models.get(measure.model)
        names += [str(getattr(model, "table", "") or ""), str(getattr(model, "sql", "") or "")]
    return " ".join(names).lower()


# the verbs of a contribution ("the top 5 make / account for", "前10大客户贡献了"): placed by it
CONTRIBUTE_WORDS = {
    "make", "makes", "made", "make up", "contribute", "contributes", "contributed", "account",
    "accounts", "bring", "brings", "贡献", "贡献了", "带来", "带来了", "together", "combined",
    "加起来", "合计", "一共",
}  # fmt: skip


_RANKED_BY_SHARE = re.compile(
    r"\bby\s+(?:\w+\s+){0,2}(?:share|percentage|percent|%)|按\S{0,6}占比|占比(?:最高|最大|最低|最小|排|前|倒数)"
    r"|占比 (?=的)"  # "销售额占比前5的国家": the top N (blanked) said right after the share
)


# 每个 / every: each group's own share as much as 各 ("18年上半年 每个品类件数占比 前五", a row each)
_EACH_SHARE = re.compile(r"各|分别|各自|每一?个|\b(?:each|every|respectively|individually)\b")


def _is_top_share(p: Parsed, query: SemanticQuery) -> bool:
    """A share asked of a top N said with its number ("top 5 sellers' share of sales"): one
    figure, the top groups together over the whole — not each group's share."""
    if _RANKED_BY_SHARE.search(p.links.text):  # "top 1 platform by sales share": the ranking key
        return False
    if _EACH_SHARE.search(p.links.text):  # "前5的国家 各占多少": each one's share, a row each
        return False
    return bool(
        p.top_n
        and query.limit
        and query.order_by
        and query.order_by[0].name == (query.metrics[0] if query.metrics else None)
        and query.order_by[0].descending
        and query.dimensions
        and not (query.grain or query.compare or query.having)
        and not query.extra.keys() - {"known_only", "share", "product_titles", "line_seller"}
    )


# the whole named as every value of the group: "占了所有商品件数的多少", "of all products' units"
_ALL_BEFORE = re.compile(r"(?:所有|全部)\s*的?\s*$|\ball\s+(?:the\s+)?$", re.I)


def _top_share(p: Parsed, query: SemanticQuery) -> SemanticQuery:
    p.links.leftover = [w for w in p.links.leftover if w not in CONTRIBUTE_WORDS]
    extra = {k: v for k, v in query.extra.items() if k in ("known_only", "line_seller")}
    text = p.links.text
    if any(  # "所有商品": the whole of the products (a line naming none, postage, is no product's)
        m.term.target in query.dimensions and _ALL_BEFORE.search(text[: m.start])
        for m in p.links.of("dimension")
    ):
        extra["whole_of_known"] = True
    return replace(query, metrics=query.metrics[:1], extra=extra, of_groups="top_share")


def _top_people_share(p: Parsed, ws: Any, percent: int | None = None) -> Understanding:
    """ "前10大客户贡献了多少比例的销售额": the top N people (OneID) by a metric (sales when none
    is named), their sum over everyone's (guests' orders included in the whole); with `percent`
    ("前20%的客户"), the top ceil(people × percent %) of the people who have the metric."""
    from shopql.nlq.people import PEOPLE_METRICS

    other = [m for m in p.metrics if m not in PEOPLE_METRICS and m != "orders"]
    counted = [  # "前10大客户贡献了多少比例的订单数": the orders counted are the share's figure
        m
        for m in p.links.of("metric")
        if m.term.target == "orders" and _ORDERS_COUNTED.search(m.phrase)
    ]
    if counted and not other:
        other = ["orders"]
    if counted and other != ["orders"] or len(dict.fromkeys(other)) > 1:
        # "上个月的销售额和订单数 前10个客户拿了多少比例": two figures — one of them would be dropped
        said = ", ".join(dict.fromkeys(other + (["orders"] if counted else [])))
        why = f"the top {p.top_n or ''} customers' share of two metrics ({said}) is not answered"
        raise _not_understood("", p, ws, why.replace("top  ", "top "))
    metric = other[0] if other else "paid_gmv"
    query = _people_by(
        metric,
        p,
        descending=not p.modifiers.get("bottom"),
        limit=None if percent is not None else p.top_n,
        of_groups="top_share",
        extra={"top_percent": percent} if percent is not None else {},
    )
    if p.modifiers.get("bottom"):
        raise _not_understood("", p, ws, "the share of the bottom N is not asked that way")
    p.links.leftover = [w for w in p.links.leftover if w not in CONTRIBUTE_WORDS]
    ignored = _ignored(p) + _ranking_unused(p, query, metric, ws)
    recognised = describe(query, ws) + comparisons_describe(query)
    return Understanding(query, recognised=recognised, ignored=ignored)


def _people_by(
    metric: str,
    p: Parsed,
    *,
    descending: bool,
    of_groups: str,
    extra: dict[str, Any],
    limit: int | None = None,
) -> SemanticQuery:
    """The period's people (OneID) with `metric` each, ordered by it: the rows a figure over the
    people ranked is taken from (the top N's share, how many make up a part)."""
    return SemanticQuery(
        metrics=(metric,),
        dimensions=("person",),
        time_range=p.time,
        filters=(*p.filters, *p.excluded, Filter("person", "is not null")),
        order_by=(OrderBy(metric, descending),),
        limit=limit,
        of_groups=of_groups,
        extra=extra,
    )


# how many people (the largest spenders first) make up a part of the whole: "今年的营业额有一半是多少个
# 客户贡献的", "一半的销售额来自几个买家", "how many customers make up half of our revenue"
_PART = r"(一半|半数|百分之\s*(\d{1,2})|(\d{1,2})\s*(?:%|％)|([一二三四五六七八九])成)"
_REACH_PEOPLE = r"(?:多少|几)\s*(?:个|位|名)?\s*(?:客户|买家|顾客|会员)"
_REACH_ZH = (
    re.compile(
        rf"{_PART}[^，,。？?]{{0,12}}?(?:是|由|来自|靠)\s*{_REACH_PEOPLE}\s*(?:贡献|带来|创造|撑起|买)?"
    ),
    re.compile(
        rf"{_REACH_PEOPLE}\s*(?:就)?\s*(?:贡献|带来|创造|撑起|占)了?[^，,。？?]{{0,12}}?{_PART}"
    ),
)
_REACH_EN = re.compile(
    r"\bhow many (?:customers|buyers|clients|shoppers) (?:make|makes|made) up|"
    r"\bhow many (?:customers|buyers|clients|shoppers) (?:account|accounted) for|"
    r"\bhow many (?:customers|buyers|clients|shoppers) (?:bring|brought|generate|generated|drive|drove)"
    r"(?: in)?"
)
_REACH_EN_PART = re.compile(r"\b(half|(\d{1,2})\s*(?:%|percent))\s+of\b")
_CN_DIGIT = {c: i for i, c in enumerate("一二三四五六七八九", 1)}
_REACH_WORDS = {"一半", "半数", "half", "%", "％", "percent", "百分之", "成", "贡献", "make", "up"}


def _reach_of_people(p: Parsed) -> float | None:
    """The part of the whole asked ("一半": 0.5, "80%": 0.8) when the question asks how many
    people make it up; None otherwise (a breakdown, a top N or a comparison said too)."""
    if p.dimensions or p.top_n or p.two_periods or p.apart or p.modifiers.get("compare"):
        return None
    text = p.links.text
    part: Any = None
    for pattern in _REACH_ZH:
        m = pattern.search(text)
        if m is not None:
            part = m
            break
    if part is None:
        if not _REACH_EN.search(text):
            return None
        part = _REACH_EN_PART.search(text)
        if part is None:
            return None
        if part.group(1) == "half":
            return 0.5
        return int(part.group(2)) / 100 if 0 < int(part.group(2)) < 100 else None
    word, pct, pct2, tenth = part.group(1), part.group(2), part.group(3), part.group(4)
    if word in ("一半", "半数"):
        return 0.5
    if pct or pct2:
        n = int(pct or pct2)
        return n / 100 if 0 < n < 100 else None
    return _CN_DIGIT[tenth] / 10 if tenth else None


def _people_reaching(p: Parsed, ws: Any, reach: float) -> Understanding:
    """How many people, largest first by the metric (sales when none is named), make up `reach`
    of its whole (guests' orders included in the whole, as a top customers' share)."""
    from shopql.nlq.people import PEOPLE_METRICS

    other = list(dict.fromkeys(m for m in p.metrics if m not in PEOPLE_METRICS))
    if len(other) > 1:
        why = (
            f"how many customers make up a part of two metrics ({', '.join(other)}) is not answered"
        )
        raise _not_understood("", p, ws, why)
    metric = other[0] if other else "paid_gmv"
    query = _people_by(metric, p, descending=True, of_groups="reach_count", extra={"reach": reach})
    p.links.leftover = [
        w
        for w in p.links.leftover
        if w not in CONTRIBUTE_WORDS
        and w not in _REACH_WORDS
        and w not in (f"{reach * 100:g}", f"{reach * 10:g}")  # "80%": its number
    ]
    ignored = _ignored(p)
    recognised = describe(query, ws) + comparisons_describe(query)
    recognised.append(f"people: how many, largest {metric} first, make up {reach:.0%} of it")
    return Understanding(query, recognised=recognised, ignored=ignored)


# the orders said as a count ("订单数", "单数", "number of orders"), not a verb of the people
_ORDERS_COUNTED = re.compile(
    r"(?:订单|单)(?:数|量)|\b(?:number of|count of) orders\b|\border count"
)
# "前20%的客户", "消费前10%", "the top 20% of customers", "top 10 percent of buyers"
_TOP_PERCENT = re.compile(r"(?:前|\btop\s*)(?P<n>\d{1,2})\s*(?:%|％|\s*percent\b)")
_PERCENT_WORDS = {"前", "top", "%", "％", "percent"}


def _top_percent_of_people(p: Parsed) -> int | None:
    """The percent of a top share of people ("前20%的客户贡献了多少销售额"): the people named,
    nothing broken down, a contribution or share asked; None otherwise."""
    said = _TOP_PERCENT.search(p.links.text)
    if said is None or p.dimensions or p.modifiers.get("bottom"):
        return None
    people = any(
        m.term.target in ("buyers", "customers") and m.phrase in CUSTOMER_WORDS
        for m in p.links.of("metric") + p.links.of("table")
    )
    text = p.links.text
    asked = bool(p.modifiers.get("share")) or any(  # "贡献了多少销售额", "what share … came from"
        re.search(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w), text)
        for w in CONTRIBUTE_WORDS
    )
    n = int(said.group("n"))
    if not (people and asked and 0 < n < 100):
        return None
    p.links.leftover = [w for w in p.links.leftover if w not in {*_PERCENT_WORDS, said.group("n")}]
    p.modifiers.pop("top", None)
    p.top_n = None
    return n


def comparisons_describe(query: SemanticQuery) -> list[str]:
    from shopql.nlq import comparisons

    return comparisons.describe(query)


def _with_share(question: str, query: SemanticQuery, p: Parsed, ws: Any) -> SemanticQuery:
    """ "各平台销售额占比": each row's share of the total, for additive metrics by dimensions."""
    metric = ws.catalog.metrics[query.metrics[0]]
    if len(query.metrics) == 2 and not (query.dimensions or query.grain or query.compare):
        return _metric_share(question, query, p, ws)  # "运费占销售额的比例"
    by_groups = _people_share_by_groups(question, query, p, ws)
    if by_groups is not None:  # "每个月加购的人里买了的比例": the same people's share, each month
        return by_groups
    ranked = query.having or query.limit or p.top_n or p.modifiers.keys() & {"top", "bottom"}
    if (
        len(query.metrics) == 2
        and (query.dimensions or query.grain)
        and not (query.compare or ranked)
        and (p.modifiers.get("slash_whole") or _whole_is_metric(p, query))
    ):  # "各平台退款金额占销售额的比例", "运费 / 销售额 各州": the ratio inside each group
        return _metric_share(question, query, p, ws)
    if p.modifiers.get("slash_whole") or _whole_is_metric(p, query):
        # ranked by the ratio ("运费占实付比例最高的州"), or each period compared: not answered
        why = "one metric over another by a breakdown, period or comparison is not answered"
        raise _not_understood(question, p, ws, why)
    query = _condition_restated(query, metric, ws)  # "差评(1-2星)占比": 差评 said twice
    whole = _whole_of(metric, ws) or _whole_of_rate(metric, ws)
    if len(query.metrics) == 1 and whole and not (query.dimensions or query.grain or query.compare):
        # "新客占比", "share of new buyers last month": of the buyers they are part of
        extra = {**query.extra, "share_of_metric": True}
        return replace(query, metrics=(metric.name, whole), extra=extra)
    condition = _share_of_condition(query, ws)
    if condition is not None:  # "share of orders that had a discount": those over all of them
        return replace(query, extra={**query.extra, "share_of_condition": condition})
    happened = _share_of_event(p, query, ws)
    if happened is not None:  # "8月进来的订单里有几成后来签收了": those delivered over all of them
        return happened
    if not query.dimensions or query.grain or query.compare:
        why = "a share needs a breakdown (by platform, 按类目 …) and no grain or comparison"
        raise _not_understood(question, p, ws, why)
    if metric.type == "ratio" or metric.value_type == "ratio":
        raise _not_understood(
            question, p, ws, f"{metric.name} is a rate: it has no share of a total"
        )
    named = [f.dimension for f in query.filters if f.op == "in" and f.dimension in query.dimensions]
    parts = _groups_chosen(query, ws)
    if parts and not named and _EVERY_WHOLE.search(p.links.text):
        # "英国以外卖得最好的国家 占了全部营业额多少": the filter chose which countries are
        # ranked, the whole said (全部, all) is every country's — not the kept ones' alone
        extra = {**query.extra, "share": True, "share_whole_drops": parts}
        return replace(query, extra=extra)
    if named:  # "天猫 京东 分别 占 销售额 多少": of all sales, not of the two together
        why = (
            f"each {named[0]} named's share of the whole (every {named[0]}) is beyond the offline"
            f" engine: the rows kept are only those named (ask the share by {named[0]} alone)"
        )
        raise _not_understood(question, p, ws, why)
    return replace(query, extra={**query.extra, "share": True})


# the whole of a share said as every row: "占了全部营业额", "占总销售额", "share of all sales"
_EVERY_WHOLE = re.compile(
    r"占\s*(?:了|到)?\s*(?:全部|所有|总|整个|整体|全店|全年|全国|全球|全体)"
    r"|\b(?:of|in)\s+(?:all|total|overall|the\s+(?:total|whole|entire|overall))\b",
    re.IGNORECASE,
)


def _groups_chosen(query: SemanticQuery, ws: Any) -> tuple[str, ...]:
    """The filters that only choose which groups of a breakdown are kept: a bucket of the grouped
    column (uk_or_not of country: 英国以外) or the grouped dimension's own values left out."""
    groups = getattr(ws.catalog, "value_groups", {}) or {}
    out = []
    for f in query.filters:
        t = groups.get(f.dimension)
        base = getattr(t, "dimension", None) if t is not None else None
        if base in query.dimensions and f.op in ("in", "not in"):
            out.append(f.dimension)
        elif f.dimension in query.dimensions and f.op == "not in":
            out.append(f.dimension)
    return tuple(out)


def _whole_of(metric: Any, ws: Any) -> str | None:
    """The count a count metric is part of, from the catalog's own split of it: a derived count
    `A - B` (returning_buyers = buyers - new_buyers) makes B and A - B the two parts of A."""
    if getattr(metric, "value_type", "") != "count":
        return None
    for d in ws.catalog.metrics.values():
        m = re.fullmatch(r"\s*(\w+)\s*-\s*(\w+)\s*", d.expr or "") if d.type == "derived" else None
        if m is None or d.value_type != "count" or metric.name not in (d.name, m.group(2)):
            continue
        whole = ws.catalog.metrics.get(m.group(1))
        if whole is not None and whole.value_type == "count":
            return whole.name
    return None


def _whole_of_rate(metric: Any, ws: Any) -> str | None:
    """The count a filtered count is part of, from the catalog's rate of it: negative_review_rate
    = negative_reviews / review_count makes review_count the whole of "差评占所有评价多少" — only
    when the whole counts the same rows without the part's own condition (same measure, no
    filter of its own)."""
    if getattr(metric, "value_type", "") != "count" or not getattr(metric, "filter", None):
        return None
    for r in ws.catalog.metrics.values():
        if r.type != "ratio" or r.numerator != metric.name:
            continue
        whole = ws.catalog.metrics.get(r.denominator or "")
        if whole is None or whole.value_type != "count" or whole.filter:
            continue
        if whole.measure and whole.measure == metric.measure:
            return str(whole.name)
    return None


_ONE_BOUND = re.compile(r"\s*(\w+)\s*(<=|>=|<|>|=)\s*(\d+)\s*")


def _condition_restated(query: SemanticQuery, metric: Any, ws: Any) -> SemanticQuery:
    """ "8月的评价里 差评(1-2星) 占比", "1到2星的差评占所有评价多少": a condition on the column a
    count keeps its rows by (negative_reviews: score <= 2), said beside it, that keeps exactly
    the same rows here (scores 1 to 2) only restates the count: dropped, so the share is of all
    the reviews, never of the 1-2 star ones (100 %). A condition keeping fewer rows (五星好评:
    5 of the 4-5 stars) is kept (and refused later: a share of which whole?)."""
    thresholds = getattr(ws.catalog, "thresholds", {}) or {}
    said = _ONE_BOUND.fullmatch(getattr(metric, "filter", None) or "")
    measure = ws.catalog.measure(getattr(metric, "measure", None) or "")
    if said is None or measure is None:
        return query
    conds = [
        f
        for f in query.filters
        if f.dimension in thresholds
        and thresholds[f.dimension].expr == said.group(1)
        and thresholds[f.dimension].model == measure.model
        and f.op in ("<=", ">=", "<", ">", "=")
        and len(f.values) == 1
        and isinstance(f.values[0], int | float)
    ]
    model = ws.catalog.models.get(measure.model)
    table = getattr(model, "table", None)
    if not conds or not table or not re.fullmatch(r"\w+", table):
        return query
    col = said.group(1)
    stated = " AND ".join(f"{col} {f.op} {f.values[0]}" for f in conds)
    own = f"{col} {said.group(2)} {said.group(3)}"
    try:
        kept = ws.run(
            f"SELECT count(*) FILTER (WHERE {own}) AS own, count(*) FILTER (WHERE {stated}) AS "
            f"stated, count(*) FILTER (WHERE ({own}) AND ({stated})) AS both_kept FROM {table}",
            None,
            source="ask:offline",
        ).rows[0]
    except Exception:  # noqa: BLE001 — no check, no drop: the condition stays
        return query
    if not (kept[0] == kept[1] == kept[2]):
        return query
    return replace(query, filters=tuple(f for f in query.filters if f not in conds))


_WHOLE_AFTER = re.compile(
    r"占|(?:\b(?:share|percentage|proportion|percent|fraction|part)|%)\s*(?:of|in)"
    r"(?:\s+(?:the|our|total|all))*(?:\s*['’]s)?$"  # "% of last month's buyers": 's of a period
)
# the whole a part is taken among: "among last month's buyers", "out of all buyers", "买家里老客
# 占多少" (the metric before 里 / 中 / 当中)
_AMONG_BEFORE = re.compile(r"\b(?:among|amongst|out of)(?:\s+(?:the|our|total|all))*(?:\s*['’]s)?$")
_AMONG_AFTER = re.compile(r"^\s*(?:里面|里头|当中|之中|中间|里|中)(?!位)")  # not 中位数


def _extreme_among(p: Parsed, metrics: list[str], ws: Any) -> None:
    """ "今年卖过的商品里 最高的单价是多少": a highest (lowest) figure asked among the things said
    before 里 / 中 is the one thing that has it, with its value: the top one, not a list of every
    product's own highest figure."""
    from shopql.catalog.families import measurable_of

    if p.top_n or p.modifiers.keys() & {"top", "bottom", "bestsellers", "share", "growth"}:
        return
    if len(p.dimensions) != 1 or len(metrics) != 1:
        return
    found = measurable_of(ws.catalog, metrics[0])
    if found is None or found[1] not in ("max", "min"):
        return
    said = [m for m in p.links.of("dimension") if m.term.target == p.dimensions[0]]
    text = p.links.text
    if len(said) != 1 or not _AMONG_AFTER.match(text[said[0].end :]):
        return
    agg, _, name = metrics[0].partition("_")
    sold = any(w in SOLD_WORDS for w in p.links.leftover) or _SOLD_EN.search(text)
    if sold and f"{agg}_sold_{name}" in ws.catalog.metrics:
        return  # "7月卖出的商品里 单价最高": the lines sold, one figure (_sold_lines)
    if re.search(r"各|每|分别|\b(?:each|every|per|by)\b", text[: said[0].start]):
        return
    p.top_n = 1
    p.modifiers["top" if found[1] == "max" else "bottom"] = True


def _whole_is_metric(p: Parsed, query: SemanticQuery) -> bool:
    """Of two metrics, one is said as the whole of the share (after 占 / "% of") — beside
    them only a count a condition on the groups takes ("运费占实付比例最高的州（至少1000单）")."""
    named = {m.term.target for m in p.links.of("metric")}
    having = {getattr(h, "dimension", None) for h in query.having or ()}
    metrics = [m for m in query.metrics if m in named or m not in having]
    if len(metrics) != 2:
        return False
    text = p.links.text
    said = [m for m in p.links.of("metric") if m.term.target in metrics]
    return any(_WHOLE_AFTER.search(text[: m.start].rstrip()) for m in said)


# 条: the reviews' measure word; 分布 / distribution: how many of each score
_REVIEW_NOUN = re.compile(r"评价|评论|\breviews?\b|几条|多少条|分布|\bdistribution\b")
_REVIEW_COUNT_WORDS = {"条", "几条", "多少条", "收", "收到", "收到了", "got", "received"}
_REVIEW_COUNT_WORDS |= {"collected", "drew", "attracted", "拿到", "拿到了", "得到", "得到了"}


# the reviews' own count said with their measure word: "有几条评价", "多少条评论", "how many reviews"
_REVIEWS_COUNTED = re.compile(
    r"(?:几|多少)条(?:评价|评论)|\bhow many reviews\b|\bnumber of reviews\b"
)


def _review_conditions(ws: Any) -> set[str]:
    """The catalog's thresholds on the review rows themselves (the score, the written text)."""
    metric = ws.catalog.metrics["review_count"]
    measure = ws.catalog.measure(metric.measure or "")
    model = getattr(measure, "model", None)
    return {t.name for t in ws.catalog.thresholds.values() if model and t.model == model}


def _reviews_counted(question: str, p: Parsed, ws: Any) -> list[str]:
    """ "上个月收到几条一星评价", "1-star reviews last month", "评分1分的评价有多少条": a review
    score condition said of reviews (the noun its name took) with no other metric counts those
    reviews — or, by the score ("各星级几条"), the reviews of each score."""
    if "review_count" not in ws.catalog.metrics or not _REVIEW_NOUN.search(question.lower()):
        return []
    scored = any(f.dimension in _review_conditions(ws) for f in p.filters)
    counted = _REVIEWS_COUNTED.search(question.lower()) is not None  # "有几条评价"
    if not (scored or counted) and "review_score" not in p.dimensions:
        return []
    p.links.leftover = [w for w in p.links.leftover if w not in _REVIEW_COUNT_WORDS]
    return ["review_count"]


def _demonym_counted(question: str, p: Parsed, ws: Any) -> list[str]:
    """ "how many german customers this yr", "number of french buyers": a country said as its
    people (the demonym took the people noun, nlq/names.COUNTRY_DEMONYMS) with no other metric,
    asked how many: the buyers of that country (people with a paid order)."""
    from shopql.nlq.names import DEMONYM_PEOPLE

    if "buyers" not in ws.catalog.metrics or not _COUNT_ASKED.search(normalise(question)):
        return []
    said = [
        m
        for m in p.links.of("value")
        if m.term.target == "country" and m.phrase.split()[-1] in DEMONYM_PEOPLE
    ]
    if not said or p.dimensions:
        return []
    p.links.leftover = [w for w in p.links.leftover if w not in ("count", "number")]
    return ["buyers"]


def _demonym_counted_beside(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "number of French customers and their sales", "how many german buyers, and their
    orders": the count said right before a country's people (the demonym took the people noun)
    and another figure joined after them — both asked: the buyers first, then the rest (was: the
    count dropped, the figure alone answered)."""
    from shopql.nlq.names import DEMONYM_PEOPLE

    if not metrics or "buyers" in metrics or "buyers" not in ws.catalog.metrics or p.dimensions:
        return metrics
    text = p.links.text
    for m in p.links.of("value"):
        if m.term.target != "country" or m.phrase.split()[-1] not in DEMONYM_PEOPLE:
            continue
        if _NUMBER_OF.search(text, 0, m.start) and _FIGURES_JOINED.match(text, m.end):
            p.links.leftover = [w for w in p.links.leftover if w not in ("count", "number")]
            return ["buyers", *metrics]
    return metrics


# the verbs a review is given with: "left / gave / wrote a 1-star review", 给过 / 留了 / 写过 1星评价
_REVIEW_VERBS = {"left", "leave", "leaving", "gave", "give", "given", "giving", "wrote", "write"}
_REVIEW_VERBS |= {
    "written",
    "posted",
    "post",
    "给",
    "给过",
    "给了",
    "留",
    "留过",
    "留了",
    "写过",
    "写了",
}
_REVIEW_VERBS |= {"打", "打过", "打了"}


def _review_verbs(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """A review score condition is said with the verb that gives a review ("customers who left a
    1-star review", "给过1星评价的客户"): placed beside that condition (and only there: "left"
    alone is no review)."""
    # not with a period: "gave a 5-star review in 2018" may date the review, not the order —
    # unless the reviews themselves are counted ("上季度打了1星的评价有多少条": the period is theirs)
    # or the people who gave them ("今年打过1星的买家有多少人": the reviewers, by review time)
    if p.time is not None and not _counts_reviews(metrics, ws):
        reviewers = _reviewers_counted(p, metrics, ws)
        if reviewers is None:
            return metrics
        metrics = [reviewers]
    if any(f.dimension == "review_score" for f in p.filters):
        p.links.leftover = [w for w in p.links.leftover if w not in _REVIEW_VERBS]
    return metrics


def _reviewers_counted(p: Parsed, metrics: list[str], ws: Any) -> str | None:
    """ "今年打过1星的买家有多少人", "buyers who gave a 1-star review this year": the people counted
    (buyers) with a review score condition said with the verb that gives it, in a period — the
    people who gave such a review then: the catalog's one count of distinct persons on the
    reviews' model (reviewers), timed by the review. None when anything else is asked."""
    if metrics != ["buyers"] or p.dimensions or p.top_n or _compare(p):
        return None
    if [f.dimension for f in p.filters] != ["review_score"]:
        return None
    if not any(w in _REVIEW_VERBS for w in p.links.leftover):
        return None
    threshold = (getattr(ws.catalog, "thresholds", {}) or {}).get("review_score")
    if threshold is None:
        return None
    found = [
        name
        for name, metric in ws.catalog.metrics.items()
        if metric.type == "simple"
        and not metric.filter
        and (measure := ws.catalog.measure(metric.measure or "")) is not None
        and measure.model == threshold.model
        and measure.agg == "count_distinct"
        and str(measure.expr).rsplit(".", 1)[-1] == "one_id"
    ]
    return found[0] if len(found) == 1 else None


_PAID_BY = re.compile(r"\bpaid\s+(?:for\s+)?(?:by|with|via|using|through)\b", re.IGNORECASE)


def _paid_by_channel(p: Parsed, query: SemanticQuery) -> None:
    """ "orders paid by debit card", "paid with a voucher": the verb that says how an order was
    paid, beside the payment channel it names (a filter already placed): it adds nothing more.
    Only with that filter: "paid" alone may be the money paid or the time of payment."""
    if _paid_by_said(p, query):
        said = ("paid", "via", "using", "through")
        p.links.leftover = [w for w in p.links.leftover if w not in said]


def _paid_by_said(p: Parsed, query: SemanticQuery) -> bool:
    """ "paid by / with / via <a payment channel>", with the channel a filter of the query. Not
    with a period: "paid by boleto in 2018" may date the payment, not what is counted."""
    if query.time_range is not None or query.compare:
        return False
    if not any(f.dimension == "payment_channel" for f in query.filters):
        return False
    return bool(_PAID_BY.search(p.links.text))


def _counts_reviews(metrics: list[str], ws: Any) -> bool:
    """Every metric counts rows of the model the review score threshold is on (评价数)."""
    threshold = (getattr(ws.catalog, "thresholds", {}) or {}).get("review_score")
    if threshold is None or not metrics:
        return False
    for name in metrics:
        metric = ws.catalog.metrics.get(name)
        measure = ws.catalog.measure(getattr(metric, "measure", None) or "")
        if measure is None or measure.model != threshold.model:
            return False
    return True


# "运费/销售额", "退回件数/卖出件数", "退款笔数除以付款订单数", "refunds divided by orders": one over the other
_SLASH = re.compile(r"\s*(?:/|除以|\bdivided\s+by\b)\s*(?:卖出|售出|卖掉|卖了|卖出去|sold)?\s*")
# one metric over another said as their ratio: "A和B的比(值)是多少", "A与B之比", "ratio of A to B"
_AND = re.compile(r"\s*(?:和|与|跟|同)\s*")
_RATIO_AFTER = re.compile(
    r"\s*(?:的)?\s*(?:之)?\s*比(?:值|例)?\s*(?:是|为)?\s*(?:多少|几|多大|怎样|如何)?\s*[?？]?\s*$"
)
_TO = re.compile(r"\s+to\s+")
_RATIO_BEFORE = re.compile(r"\bratio\s+of\s*(?:the\s+)?$")
_RATIO_WORDS = {"之比", "之", "比值", "比例", "ratio", "ratio of"}
_JOINS = re.compile(
    r"[\s和与跟同的之比值例是为多少几大怎样如何?？]+"
)  # the words between and after


def _slash_ratio(p: Parsed) -> None:
    """ "frete / faturamento em agosto, quanto %?", "freight/revenue 2018", "运费/销售额": one
    metric written over another is its share of it (the one after the slash is the whole); the %
    asked is the share's. Both must be counted in one unit (_metric_share): sales / orders is
    refused."""
    said = p.links.of("metric")
    text = p.links.text
    for a, b in zip(said, said[1:], strict=False):
        if a.term.target == b.term.target:
            continue
        ratio = _AND.fullmatch(text[a.end : b.start]) and _RATIO_AFTER.match(text, b.end)
        ratio = ratio or (
            _TO.fullmatch(text[a.end : b.start]) and _RATIO_BEFORE.search(text[: a.start])
        )
        if ratio:  # "退货单张数和发票张数的比是多少", "ratio of returns to invoices": A over B
            p.modifiers["share"] = True
            p.modifiers["slash_whole"] = b.term.target
            p.links.leftover = [
                w for w in p.links.leftover if w not in _RATIO_WORDS and not _JOINS.fullmatch(w)
            ]
            return
        if _SLASH.fullmatch(text[a.end : b.start]):
            p.modifiers["share"] = True
            p.modifiers["slash_whole"] = b.term.target
            said_over = ("%", "percent", "pct", "除以", "divided")
            p.links.leftover = [w for w in p.links.leftover if w not in said_over]
            return


# a rate named with its formula in brackets after it: "折扣率（优惠/商品金额）", "discount rate
# this year (discount / goods amount)" — the rate's name, then (…, no other bracket or slash
_BEFORE_FORMULA = re.compile(r"[^()（）/]{0,24}[(（]\s*")
_AFTER_FORMULA = re.compile(r"\s*[)）]")


def _rate_with_its_formula(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "上个月折扣率（优惠/商品金额）", "退货率（退回件数/卖出件数）": a rate named, and right after
    it, in brackets, one metric over another (`_slash_ratio`). When the catalog's rate is that
    very quotient (its numerator and denominator the two metrics written), the rate is asked
    alone — with any breakdown, ranking or period, as the rate is asked anywhere. When the
    formula names other figures, the metrics are left as they are (three figures: refused) —
    the rate or the formula, either could be meant ("avg discount rate (discount / goods
    amount)" read the average into the formula's discount: answered it was a wrong figure)."""
    whole = p.modifiers.get("slash_whole")
    said = p.links.of("metric")
    text = p.links.text
    if not whole or len(said) < 3:
        return metrics
    for r, a, b in zip(said, said[1:], said[2:], strict=False):
        if b.term.target != whole or len({r.term.target, a.term.target, whole}) != 3:
            continue
        if not _BEFORE_FORMULA.fullmatch(text[r.end : a.start]):
            continue
        if not _AFTER_FORMULA.match(text[b.end :]):
            continue
        rate = ws.catalog.metrics.get(r.term.target)
        if rate is None or getattr(rate, "type", "") != "ratio":
            continue
        if (rate.numerator, rate.denominator) != (a.term.target, b.term.target):
            # another formula under the rate's name ("avg discount rate (discount / goods
            # amount)": the average read into the formula's discount) — which is asked, the rate
            # or the formula, is not said: left as it was (refused as three figures)
            return metrics
        p.modifiers.pop("share", None)
        p.modifiers.pop("slash_whole", None)
        formula = (a.term.target, b.term.target)
        return [m for m in metrics if m not in formula]
    return metrics


def _share_of_condition(query: SemanticQuery, ws: Any) -> str | None:
    """ "share of last month's orders that used a discount", "有优惠的订单占比", "实付在100到200
    之间的订单占多少": one count with one condition on the rows it counts (a catalog threshold:
    discount > 0, order value between 100 and 200) and nothing else split — the share is the rows
    that meet it over all the rows (same period, other filters). The count must keep every row
    itself: 差评 (1-2 stars) is no whole for "1星占差评"."""
    if len(query.metrics) != 1 or query.dimensions or query.grain or query.compare:
        return None
    metric = ws.catalog.metrics.get(query.metrics[0])
    kinds = ("count", "integer", "", "money")  # "营业额里 单笔过千的大单占几成": a sum's share too
    if metric is None or getattr(metric, "value_type", "") not in kinds:
        return None
    from shopql.catalog.families import adds_up

    if metric.value_type == "money" and not adds_up(ws.catalog, metric.name):
        return None  # an average (客单价) has no share of a whole
    if getattr(metric, "type", "") == "ratio" or not _keeps_every_timed_row(metric):
        return None  # "差评占全部评价": a metric that keeps some rows itself is no whole
    thresholds = getattr(ws.catalog, "thresholds", {}) or {}
    conditions = [f for f in query.filters if f.dimension in thresholds]
    # one threshold, said once ("有优惠", "over 100") or as a range ("100到200之间": two bounds)
    if not 1 <= len(conditions) <= 2 or len({f.dimension for f in conditions}) != 1:
        return None
    return conditions[0].dimension


# the set the share is of, said before the event with 里 / 中 ("8月下的订单里 有几成签收了")
_AMONG_SET = re.compile(
    r"(?:订单|单子|单|发票)\s*(?:里面|里头|当中|之中|里|中)"
    r"|\b(?:share|percentage|proportion|fraction|percent)\s+of\s+(?:the\s+)?(?:orders|invoices)\b"
    r"|^\s*of\s+(?:the\s+)?(?:orders|invoices)\b"
)


def _share_of_event(p: Parsed, query: SemanticQuery, ws: Any) -> SemanticQuery | None:
    """ "8月进来的订单里有几成后来签收了", "上个月下的单里多少比例已经发货": the orders counted in the
    period by their own time (placed), said as a set with 里 / 中, and an event word said after
    it that nothing else placed (签收, 发货, 付款) — the share of them whose event happened (its
    time is not null, whenever it was) over all of them. Only a plain count of orders with no
    condition of its own, no breakdown, and an event timed by another column than the count's
    (C, session 41)."""
    from shopql.nlq.timebasis import event_words

    if len(query.metrics) != 1 or query.dimensions or query.grain or query.compare:
        return None
    metric = ws.catalog.metrics.get(query.metrics[0])
    if metric is None or metric.type != "simple" or metric.filter:
        return None
    if getattr(metric, "measure", None) != "order_count" or query.time_range is None:
        return None
    words = event_words(ws.catalog)
    said = [w for w in p.links.leftover if w in words]
    if len(said) != 1 or words[said[0]] == metric.time:
        return None
    text = p.links.text
    at = text.find(said[0])
    if at < 0 or not _AMONG_SET.search(text[:at]):
        return None
    dim = words[said[0]]
    p.links.leftover = [w for w in p.links.leftover if w != said[0]]
    filters = (*query.filters, Filter(dim, "is not null"))
    return replace(query, filters=filters, extra={**query.extra, "share_of_condition": dim})


def _keeps_every_timed_row(metric: Any) -> bool:
    """No condition of its own but that its event happened (paid_orders: paid_at IS NOT NULL, the
    orders paid in the period, every one of them — "实付在100到200之间的订单占多少")."""
    said = (getattr(metric, "filter", None) or "").strip()
    # the event's time column, qualified or not (units: orders.paid_at IS NOT NULL — the pieces of
    # the paid orders, every one of them: "单价低于1镑的件数占总销量的比例")
    event = r"(?:[a-z_][a-z0-9_]*\.)?[a-z_][a-z0-9_]*\s+is\s+not\s+null"
    return not said or re.fullmatch(event, said.lower()) is not None


def _metric_share(question: str, query: SemanticQuery, p: Parsed, ws: Any) -> SemanticQuery:
    """ "运费占销售额的比例", "refunds as a share of sales": one metric over another, same period
    and filters, each computed on its own (no fan-out). The whole is the metric after 占 or
    after "share of" / "% of"; the two must be counted in the same unit (money, a count)."""
    said = [m for m in p.links.of("metric") if m.term.target in query.metrics]
    text = p.links.text
    among = [
        m
        for m in said
        if _AMONG_BEFORE.search(text[: m.start].rstrip()) or _AMONG_AFTER.match(text[m.end :])
    ]  # "share of returning customers among buyers": the whole is the one 'among' names
    whole = among or [m for m in said if _WHOLE_AFTER.search(text[: m.start].rstrip())]
    slash = p.modifiers.get("slash_whole")
    whole = whole or [m for m in said if m.term.target == slash]  # "frete / faturamento"
    named = p.modifiers.get("among_whole")  # "of the people who viewed X" (nlq/behaviour.py)
    whole = whole or [m for m in said if m.term.target == named]
    targets = {m.term.target for m in whole}
    if len(targets) != 1 or len({m.term.target for m in said}) != 2:
        why = "a share of one metric in another needs the whole said after 占 / 'share of'"
        raise _not_understood(question, p, ws, why)
    total = targets.pop()
    part = next(m for m in query.metrics if m != total)
    kinds = {getattr(ws.catalog.metrics[m], "value_type", "") for m in (part, total)}
    if len(kinds) != 1 or kinds & {"ratio", "percent"}:
        why = f"{part} and {total} are not counted in the same unit: no share of one in the other"
        raise _not_understood(question, p, ws, why)
    things = {_counted_thing(ws.catalog, m) for m in (part, total)}
    if things == {"people", "orders"}:
        # "今年下过单的客户当中开过退货单的占多少": returned orders over buyers is no share (3,364
        # returns over 4,174 buyers was answered 80 %) — a share counts one kind of thing
        why = (
            f"{part} counts {_counted_thing(ws.catalog, part)} but {total} counts"
            f" {_counted_thing(ws.catalog, total)}: a share of one in the other counts one kind of"
            " thing — ask the people with it (开过退货单的客户数) or the two figures side by side"
        )
        raise _not_understood(question, p, ws, why)
    summed = [m for m in (part, total) if _summed(ws.catalog, m)]
    if "people" in things and summed:
        # "What share of this year's units were bought by customers outside the UK": the
        # customers are whose units, not a count over them (buyers / units was answered)
        people = next(m for m in (part, total) if m not in summed)
        why = (
            f"{people} counts people but {summed[0]} adds up amounts: a share of one in the other"
            " counts one kind of thing — ask the figure of those people or the two side by side"
        )
        refusal = _not_understood(question, p, ws, why)
        # the words left over so far are named too ("units went to customers …": went)
        left = [w for w in p.links.leftover if w.strip() and w not in refusal.unknown]
        refusal.unknown = [*refusal.unknown, *left]
        raise refusal
    extra = {**query.extra, "share_of_metric": True}
    if p.modifiers.get("plain_ratio"):  # "是…的几倍": each figure on its own
        extra["plain_ratio"] = True
    return replace(query, metrics=(part, total), extra=extra)


_PEOPLE_KEYS = re.compile(r"(?:^|\.)(?:one_id|buyer_id|person_id|person|user_key|customer_id)$")
_ORDER_KEYS = re.compile(r"(?:^|\.)order_id$")


def _counted_thing(catalog: Any, name: str) -> str | None:
    """What a count metric counts, read from its measure: distinct people (one_id, buyer_id …),
    distinct orders (order_id), else None (a sum, a ratio, anything else: not judged)."""
    metric = catalog.metrics.get(name)
    measure = catalog.measure(getattr(metric, "measure", None) or "")
    if metric is None or measure is None or getattr(metric, "type", "") != "simple":
        return None
    if measure.agg != "count_distinct":
        return None
    expr = str(measure.expr).strip()
    if _PEOPLE_KEYS.search(expr):
        return "people"
    return "orders" if _ORDER_KEYS.search(expr) else None


def _summed(catalog: Any, name: str) -> bool:
    """A simple metric adding up an amount (units, money): its measure a sum."""
    metric = catalog.metrics.get(name)
    measure = catalog.measure(getattr(metric, "measure", None) or "")
    if metric is None or measure is None or getattr(metric, "type", "") != "simple":
        return False
    return measure.agg == "sum"


def _people_share_by_groups(
    question: str, query: SemanticQuery, p: Parsed, ws: Any
) -> SemanticQuery | None:
    """ "今年每个月加购的人里最后买了的比例", "各平台浏览过的人里加购的比例": the people of one behaviour
    among the people of another, in each period or group — the share of the keys counted by both
    (nlq/behaviour.keys_among), as the same question without the breakdown is answered. None
    for any other two metrics by a breakdown (one metric over another per group stays refused)."""
    from shopql.nlq.behaviour import keys_among
    from shopql.nlq.shared import NotUnderstood

    if len(query.metrics) != 2 or query.compare or p.modifiers.get("plain_ratio"):
        return None
    try:
        shared = _metric_share(question, query, p, ws)
    except NotUnderstood:
        return None
    part, whole = shared.metrics
    return shared if keys_among(ws.catalog, part, whole) is not None else None


def _refuse_share_within(question: str, query: SemanticQuery, p: Parsed, ws: Any) -> None:
    """ "五星好评占多少比例": the value (5 stars) narrows what the metric already keeps (好评:
    4 or 5 stars), so "of what" is open — of positive reviews, or of all? Refused, not guessed."""
    catalog = ws.catalog
    d = query.extra["share_of"]
    metric = catalog.metrics.get(query.metrics[0])
    threshold = getattr(catalog, "thresholds", {}).get(d)
    info = catalog.dimensions.get(d)
    column = threshold.expr if threshold is not None else getattr(info, "name", d)
    if (
        metric is not None
        and metric.filter
        and re.search(rf"\b{re.escape(column)}\b", metric.filter)
    ):
        why = f"{metric.name} already keeps only some {column} values: a share of which whole?"
        raise _not_understood(question, p, ws, why)


def _refuse_part_said_as_whole(question: str, query: SemanticQuery, p: Parsed, ws: Any) -> None:
    """ "送货超过30天的单占已签收的多少": the value said after 占 (已签收) is the whole the share is
    of, not its part; answering the value's share of the rest (2611 / 2612) would answer the
    question turned round, so it is refused."""
    d = query.extra["share_of"]
    text = p.links.text
    said = [m for m in p.links.of("value") if m.term.target == d]
    share = text.find("占")
    if said and share >= 0 and all(m.start > share for m in said):
        shown = ", ".join(m.phrase for m in said)
        why = f"'{shown}' is said after 占: the whole of the share, not its part"
        raise _not_understood(question, p, ws, why)


def _refuse_absent(question: str, p: Parsed, ws: Any) -> None:
    """A concept the warehouse has no data for (ad spend, 主播 …): refused, naming the data
    that would be needed (nlq/absent.py, the catalog's `absent:` list)."""
    from shopql.nlq.absent import check

    why = check(question, p.links, ws)
    if why:
        raise NoData(why, _ignored(p), suggestions_for(question, p, ws))


_WEEKEND, _WEEKDAYS = frozenset({6, 7}), frozenset({1, 2, 3, 4, 5})


def _weekend_versus_weekday(p: Parsed, query: SemanticQuery, ws: Any) -> SemanticQuery:
    """ "周末日均销售 vs 工作日日均", "weekends vs weekdays: orders": the two sides are the two
    groups of days a day-type split makes (Saturday-Sunday, Monday-Friday), so the answer is that
    split (one row each), not each weekday — any other grouped side is still refused below."""
    d = query.extra.get("versus")
    parts = getattr(ws.catalog, "time_parts", {}) or {}
    if d is None:
        # "周末 和 工作日 平均每天 卖多少" (spaced, so not the split's own synonym): a filter on
        # both groups keeps every day — the two were asked side by side, not together
        d = next(
            (
                f.dimension
                for f in query.filters
                if getattr(parts.get(f.dimension), "part", None) == "isodow"
                and set(f.values) == _WEEKEND | _WEEKDAYS
                and f.op == "in"
            ),
            None,
        )
    if d is None or getattr(parts.get(d), "part", None) != "isodow":
        return query
    kind = next((n for n, tp in parts.items() if tp.part == "daytype"), None)
    sides = set()
    for m in p.links.of("value"):
        if m.term.target == d:
            terms = ws.vocabulary.terms.get(m.phrase, [])
            sides.add(frozenset(t.value for t in terms if t.kind == "value" and t.target == d))
    if kind is None or sides != {_WEEKEND, _WEEKDAYS}:
        return query
    if query.extra.get("which_one") and query.of_groups != "mean":
        return query  # "周末跟工作日哪个卖得多": 5 days against 2 — per day, or in all? refused
    extra = {k: v for k, v in query.extra.items() if k != "versus"}
    return replace(
        query,
        dimensions=tuple(kind if x == d else x for x in query.dimensions)
        + (() if d in query.dimensions else (kind,)),
        filters=tuple(f for f in query.filters if f.dimension != d),
        extra=extra,
    )


def _refuse_grouped_versus(question: str, p: Parsed, query: SemanticQuery, ws: Any) -> None:
    """ "周末和工作日的销售额对比": one side names several values (周末 = Saturday and Sunday); a
    row per value would not be the two groups compared, so it is refused."""
    d = query.extra.get("versus")
    for m in p.links.of("value") if d else ():
        terms = ws.vocabulary.terms.get(m.phrase, [])
        values = {t.value for t in terms if t.kind == "value" and t.target == d}
        if m.term.target == d and len(values) > 1:
            why = f"'{m.phrase}' is several {d} values: comparing groups side by side is beyond it"
            raise _not_understood(question, p, ws, why)


# "在几个不同月份下过单": how many of a dimension's values, said before its word; "两个仓都有货",
# "三个平台都买过", "所有仓都有": what holds in every one of them, said around it. Neither is a row
# per value: a breakdown by that dimension would answer a different question.
_GROUPS_COUNTED = re.compile(r"(?:(?:几|多少)\s*个\s*(?:不同|不一样)的?|在\s*(?:几|多少)\s*个)\s*$")
_EVERY_GROUP_BEFORE = re.compile(
    r"(?:[两二三四五六七八九十]|\d+)\s*(?:个|家|种)\s*(?:不同的?)?\s*$|(?:所有|全部)(?:的)?\s*$"
)
_EVERY_GROUP_AFTER = re.compile(r"^\s*(?:上|里|中|里面)?\s*(?:都|均|全都|全部都)")
# "卖家和买家都在SP的销售额": the word joined to another under one 都 is a condition on both
_BOTH_AFTER = re.compile(r"^\s*(?:和|与|跟|以及)\s*[^\s，,。；;？?]{1,6}?\s*(?:都|(?<!平)均)")


def _refuse_groups_counted_or_all(question: str, p: Parsed, query: SemanticQuery, ws: Any) -> None:
    """A dimension answered as a breakdown (a row per value) whose word is said as a count of its
    values ("平均每个客户在几个不同月份下过单") or as every one of them ("两个仓都有货的SKU有几个")
    is refused: the rows would answer another question."""
    if not query.dimensions:
        return
    text = p.links.text
    for m in p.links.of("dimension"):
        if m.term.target not in query.dimensions:
            continue
        # the measure word may be the mention's own first character ('个仓': 两个仓都有货)
        lead = m.phrase[:1] if m.phrase[:1] in "个家种" else ""
        before, after = text[: m.start] + lead, text[m.end :]
        word = m.phrase[len(lead) :] or m.phrase
        if _GROUPS_COUNTED.search(before):
            why = f"'{word}' is counted (how many different ones), not a row per {word}"
            raise _not_understood(question, p, ws, why)
        if _EVERY_GROUP_BEFORE.search(before) and _EVERY_GROUP_AFTER.match(after):
            why = (
                f"it asks for what holds in every {word} (都), not a row per {word}: "
                "a condition over all of them is beyond the offline engine"
            )
            raise _not_understood(question, p, ws, why)
        if _BOTH_AFTER.match(after):
            why = f"'{word}' is joined to another word under one 都 (both …): not a row per {word}"
            raise _not_understood(question, p, ws, why)


# "今年每个月都有卖出去的商品有几个", "近30天每天都有人下单的城市有几个": the things for which something
# holds in EVERY period (每个月都 …的 X 有几个), not a row per period; "每个月都卖了多少钱" (no 的 X
# counted after it) stays a breakdown
_EVERY_PERIOD_COUNTED = re.compile(
    r"每\s*(?:一\s*)?(?:个\s*)?(天|日|周|星期|礼拜|月|季度|季)\s*(?:都|均|全都|全部都)"
    r"[^，,。；;？?]{1,14}?的\s*[^\s，,。；;？?的]{1,6}?\s*(?:一共|总共)?\s*(?:有|是)?\s*(?:几|多少)"
)


# "11月每天的营业额取个中位数是多少": the median of the daily totals, not each day's median order
_MEDIAN_OF_PERIODS = re.compile(
    r"每\s*(?:一\s*)?(?:个\s*)?(天|日|周|星期|礼拜|月)\s*的?\s*"
    r"(?:营业额|销售额|流水|收入|成交额|gmv|销量|单量|订单数|件数|进账|卖的钱|卖了多少钱?)\s*"
    r"(?:取\s*(?:个|一个)?\s*|的\s*)?中位数"
)


def _refuse_median_of_periods(question: str, p: Parsed, query: SemanticQuery, ws: Any) -> None:
    """A median said of each period's total (每天的营业额取个中位数) read as a row per period of a
    median per order: refused (the median of the periods' totals is not computed here)."""
    if not query.grain or not any("median" in m for m in query.metrics):
        return
    m = _MEDIAN_OF_PERIODS.search(p.links.text)
    if m is not None:
        why = (
            f"the median of each {m.group(1)}'s total is asked (每{m.group(1)}的…中位数), not a"
            f" row per {m.group(1)}: beyond the offline engine"
        )
        raise _not_understood(question, p, ws, why)


# "今年营业额多了多少", "德国客户多了几个": more (or fewer) by how much — a change against something
# — with no other period or value to compare with said ("比" / 相比 / 对比 / 环比 / 同比 / vs)
_MORE_BY_HOW_MUCH = re.compile(
    r"(?:多了|少了|多出了?|少出了?)\s*(?:多少|几)(?!\s*(?:个|位|名|家)?\s*新)"
)
_COMPARED_SAID = re.compile(r"比|对比|相比|相对|环比|同比|\bvs\.?|versus|之前|以前|前一")


def _refuse_change_without_other(question: str, p: Parsed, query: SemanticQuery, ws: Any) -> None:
    """'多了多少' read as the figure itself (the total of the period): refused when nothing it is
    more than is said and no comparison was read."""
    if query.compare or p.two_periods or p.modifiers.get("growth") or query.extra.get("versus"):
        return
    text = p.links.text
    if _MORE_BY_HOW_MUCH.search(text) and not _COMPARED_SAID.search(text):
        why = "'多了/少了 多少' asks how much more than something else, and nothing to compare with is said"
        raise _not_understood(question, p, ws, why)


def _refuse_every_period(question: str, p: Parsed, query: SemanticQuery, ws: Any) -> None:
    """A time grain read from 每个月 when the question counts what holds in every month (都 … 的
    X 有几个): a row per month would answer another question, so it is refused."""
    if not query.grain:
        return
    m = _EVERY_PERIOD_COUNTED.search(p.links.text)
    if m is not None:
        why = (
            f"it counts what holds in every {m.group(1)} (每{m.group(1)}都), not a row per "
            f"{m.group(1)}: a condition over all the periods is beyond the offline engine"
        )
        raise _not_understood(question, p, ws, why)


# the best customer inside each group: 每个省买得最多的客户, 各州消费最高的买家, "the top customer in
# each state", "biggest buyer in every state" (the superlative said of the people themselves)
_BEST_PERSON_IN_EACH = re.compile(
    r"(?<!平均)(?<!人均)(?:每一个|每个|每|各个|各)(?!\s*(?:张|单|件|次|笔|天|日))\s*"
    r"[^\W数量额率均]{1,8}?\s*(?:里|中|内)?\s*的?\s*(?:买|消费|花|花钱|下单|购买|贡献)?\s*"
    r"(?:得|的)?\s*(?:最多|最高|最大|最猛|最狠|最厉害|第一)\s*的?\s*(?:\d+\s*个|[一二三四五六七八九十两]+\s*个)?\s*"
    r"(?:客户|买家|顾客|用户|会员|客人|人)"
    r"|\b(?:top|best|biggest|largest)\s+(?:\d+\s+)?(?:customers?|buyers?|shoppers?|spenders?)\s+"
    r"(?:in|of|for|within)\s+(?:each|every)\b"
)


def _refuse_best_person_in_each(p: Parsed, query: SemanticQuery, ws: Any) -> None:
    """ "今年销售额前5的省 每个省买得最多的客户": the best customer INSIDE each group is not read
    here (it was answered as the groups with their buyer count); refused, naming it."""
    if "person" in query.dimensions:
        return
    said = _BEST_PERSON_IN_EACH.search(p.links.text)
    if said is not None:
        why = f"the best customer inside each group ('{said.group(0).strip()}') is not answered"
        raise _not_understood("", p, ws, why)


def _refuse_pieces_of_a_word(question: str, p: Parsed, query: SemanticQuery, ws: Any) -> None:
    """ "一单买了2件以上羽绒服的订单": the pieces of down jackets on one order, where the order's
    pieces (order_units) count every line — refused, not answered as the order's whole size
    ("买了羽绒服、一单2件以上的订单", the product word apart from the pieces, keeps that reading)."""
    if not any(f.dimension == "order_units" for f in query.filters):
        return
    text = normalise(question)
    for m in p.links.of("keyword"):
        at = text.find(normalise(m.phrase))
        before = text[: max(at, 0)]
        said = at >= 0 and re.search(
            r"(?:\d+|[一二两三四五六七八九十]+)\s*(?:件|个|条|双|套|pcs|pieces|items|units)\s*(?:以上|及以上|或以上|或更多|多|"
            r"or more|\+)?\s*(?:的)?\s*$|\d+\s*(?:or more\s*)?$",
            before,
        )
        if said:
            why = (
                f"the pieces of '{m.phrase}' on one order ('{said.group(0).strip()} {m.phrase}') are"
                " not counted apart from the order's other pieces"
            )
            raise _not_understood("", p, ws, why)


# "卖了多少" alone: pieces or money? (not a figure named)
_SOLD_HOW_MUCH = re.compile(r"(?:卖|售|卖出|卖掉)\s*(?:了|出去|出|掉)?\s*(?:了)?\s*多少")


def _refuse_each_keyword(question: str, p: Parsed, query: SemanticQuery, ws: Any) -> None:
    """ "沙发和茶几各卖了多少": each product word on its own row is not something a title filter
    can split, so it is refused rather than answered with the two added together."""
    text = normalise(question)
    each = valuewords.each_said(text)
    words = {str(m.term.value) for m in p.links.of("keyword")}
    split = {f.dimension for f in query.filters if "like" in f.op} & set(query.dimensions)
    if each and len(words) > 1 and not split:
        said = {
            m.term.target for m in p.links.of("metric") if not _SOLD_HOW_MUCH.fullmatch(m.phrase)
        }
        if len(query.metrics) == 1 and query.metrics[0] in said and not query.dimensions:
            # "围巾和发圈各卖了多少钱", "GARDEN和KITCHEN各卖了多少件": the figure named, a row
            # per word (as _keyword_groups does for "哪个卖得好")
            p.modifiers["keyword_versus"] = True
            return
        # "沙发和茶几各卖了多少": pieces or money? (dev_brand's b-sofa-table-each-zh: refused)
        why = "it asks for each product word separately: ask about one at a time"
        raise _not_understood(question, p, ws, why)


# what may join two product words compared side by side ("羽绒服 vs 大衣", "沙发和茶几对比")
_VERSUS_JOINS = {
    "vs",
    "vs.",
    "versus",
    "对比",
    "比",
    "和",
    "跟",
    "与",
    "还是",
    "or",
    "and",
    "against",
}


# a people noun said as a bare word (no 数 / count of its own): 买家, 客户, buyers
_BARE_PEOPLE = re.compile(r"买家|客户|顾客|用户|会员|消费者")
_ORDER_COUNT_WORD = re.compile(r"(?:支付|付款)?(?:订单|单)(?:数|量|数量)")  # 订单数, 单量


def _people_owning_metric(p: Parsed) -> str:
    """ "买家订单数", "客户 单量": the people's count said as a bare noun right before a count of
    orders (no word between) — whose figure it is, read as two figures side by side before. The
    two words, or ''."""
    mentions = p.links.mentions
    for a, b in zip(mentions, mentions[1:], strict=False):
        if (
            a.term.kind != "metric"
            or b.term.kind != "metric"
            or p.links.text[a.end : b.start].strip()
        ):
            continue
        if a.term.target != "buyers" or not _BARE_PEOPLE.fullmatch(a.phrase):
            continue
        if b.term.target != "buyers" and _ORDER_COUNT_WORD.fullmatch(
            b.phrase
        ):  # the buyers' orders
            return a.phrase + b.phrase
    return ""


def _refuse_unsupported(question: str, p: Parsed, ws: Any) -> list[str]:
    """Refuse what the offline engine cannot answer; the lines saying how a word was read."""
    meant, ambiguous = valuewords.export_status(p.links, ws)
    if ambiguous:
        raise _not_understood(question, p, ws, ambiguous)
    owner = _people_owning_metric(p)
    if (
        owner
    ):  # "买家订单数最多的州": the buyers' orders, not the buyers and the orders side by side
        why = f"'{owner}' names whose figure it is (per buyer? of which buyers?), not a figure of its own"
        raise _not_understood(question, p, ws, why + ": ask the buyers or the orders")
    said = [f"'{a}' read as status {b}: the export names those rows so" for a, b in meant.items()]
    if meant:  # "cancelled invoices" on Online Retail: its C invoices ('cancellation invoice')
        p.modifiers["export_status"] = dict(meant)  # their rate is over the sales (shape)
        p.filters = valuewords.with_export_status(p.filters, meant)
        p.excluded = valuewords.with_export_status(p.excluded, meant)
    keywords = [m for m in p.links.mentions if m.term.kind == "keyword"]
    between = p.links.text[keywords[0].end :] if len(keywords) > 1 else ""
    joined = p.links.text[keywords[0].end : keywords[1].start].strip() if between else ""
    alone = len(keywords) == 2 and joined in _VERSUS_JOINS
    if _VERSUS.search(between) and alone and not (p.dimensions or p.modifiers.get("grain")):
        p.modifiers["keyword_versus"] = True  # "羽绒服 vs 大衣 今年销售额": a row per word
    elif _VERSUS.search(between):  # "lunch bag vs jumbo bag": not both words in one title
        why = "product words compared side by side (A vs B) need a product breakdown: ask each"
        raise _not_understood(question, p, ws, why)
    up_to_now = str(getattr(p.time, "label", "")).endswith("(so far)")  # "下半年(到现在)比上半年"
    if p.two_periods == "not comparable" and (_same_length(p.apart, p.time) or up_to_now):
        p.two_periods = None  # "2017年3月和6月比": one row each (_periods_apart)
    elif p.two_periods == "not comparable" and _later_over_earlier(p) is not None:
        p.two_periods = None  # "今年到现在卖到去年全年的几成": the later over the earlier
    elif p.two_periods == "not comparable" and _later_minus_earlier(question, p):
        p.two_periods = None  # "今年7月以后的客户人数比1到6月多几个": the later minus the earlier
    elif p.two_periods == "not comparable" and _abutting_to_today(question, p, ws.today):
        p.two_periods = None  # "今年1到6月跟7月以后的退货单张数对比": one row each
    elif p.two_periods == "not comparable":
        why = "it compares two periods only when one is the period just before the other or a year before"
        raise _not_understood(question, p, ws, why)
    for kind, why in (
        ("forecast", "forecasting is not something the offline engine does"),
        ("why", "explaining causes (why) is beyond the offline engine"),
    ):
        if p.modifiers.get(kind):
            raise _not_understood(question, p, ws, why)
    freight = _freight_left_out(p, ws)
    if freight:  # "销售额最高的5个商品 (邮费那种不算)": products' line amounts hold no freight
        return [*said, freight]
    line_level = {f.dimension for f in p.excluded} & set(LINE_DIMS)
    if p.modifiers.get("negation") and line_level and _is_buyers_without(p):
        return said
    if p.modifiers.get("negation") and line_level and _lines_summed(p, ws):
        return said  # "除了女装和男装 别的品类卖了多少件": the other lines' pieces
    if p.modifiers.get("negation") and (not p.excluded or line_level):
        raise _not_understood(
            question, p, ws, "questions with an exclusion (bought X but not Y) need the LLM engine"
        )
    return said


# between freight and the word that leaves it out: "邮费那种不算", "不算邮费", "(不含运费)"
_FREIGHT_GAP = re.compile(r"^[\s的那这种类些(（)）,，]*$")


# a word that joins the next thing said to the one before: "邮费和manual", "postage and manual"
_JOINED_AFTER = re.compile(r"^\s*(?:和|与|及|、|跟|,|，|&|\band\b|\bor\b)\s*", re.IGNORECASE)


def _freight_left_out(p: Parsed, ws: Any) -> str:
    """Freight said with a 'not' beside it in a ranking of products by sales ("10月销售额最高的5个
    商品 (邮费那种不算)", "top products by revenue, not counting postage"): a product's sales are
    its line amounts, which never hold the order's freight (nor a postage line, which is no
    product) — so leaving freight out is what the ranking does already. The freight metric and
    the 'not' are dropped, and the answer says so. '' when the question is not that."""
    from shopql.catalog.families import measurable_of

    if not p.modifiers.get("negation") or p.excluded:
        return ""
    if not set(p.dimensions) & set(PRODUCT_DIMS) or len(p.metrics) != 2:
        return ""
    nots = [m for m in p.links.of("modifier") if m.term.target == "negation"]
    text = p.links.text
    for m in p.links.of("metric"):
        found = measurable_of(ws.catalog, m.term.target)
        if found is None or found[0].name != "freight":
            continue
        rest = [x for x in p.metrics if x != m.term.target]
        if rest not in (["paid_gmv"], ["item_paid_gmv"]) or len(nots) != 1:
            return ""
        n = nots[0]
        gap = text[m.end : n.start] if m.end <= n.start else text[n.end : m.start]
        if not _FREIGHT_GAP.match(gap):
            return ""
        joined = _JOINED_AFTER.match(text[m.end :])
        if joined and any(v.start == m.end + joined.end() for v in p.links.of("value")):
            return ""  # "除了邮费和manual": the 'not' leaves a value out too (not a filter on it)
        p.metrics = rest
        p.modifiers.pop("negation")
        p.links.leftover = [
            w for w in p.links.leftover if w not in ("那种", "这种", "那些", "这类")
        ]
        return (
            f"'{m.phrase}' left out: a product's sales are its line amounts, which hold no freight"
        )
    return ""


# "只在天猫买过的人", "customers who only bought on tmall", "仅购买一次的客户": 'only' over people
# is a set condition (there and nowhere else, exactly once), which a filter does not express
# ("only customers from Spain": the people the question is about — a filter, as "只看" is)
_ONLY = re.compile(
    r"只(?!看|显示|要|列)|仅(?!看|显示|列)"
    r"|\bonly\b(?!\s+(?:show|list|look|(?:the\s+)?(?:customers|buyers|clients|shoppers|people)\b))"
)


# the first order itself refunded or returned: "第一单就退了款的新客", "首单退货的客户", "customers
# whose first order was refunded" — a condition on that one order (not any refund of the person's)
_FIRST_ORDER_REFUNDED = re.compile(
    r"(?:第一单|首单|头一单|第一笔(?:订单|单)?|首笔(?:订单|单)?|第一个订单|第一次(?:买|购买|下单)的(?:订单|单|东西))"
    r"\s*(?:就|便|直接|都|也|马上|立刻|之后|后)?\s*(?:被)?\s*(?:申请了?)?\s*退\s*(?:了|过)?\s*(?:款|货)"
    r"|\bfirst (?:order|purchase)s?\s+(?:was |were |got |has been |have been |had been |being )?"
    r"(?:refunded|returned)\b|\brefunded (?:on )?(?:their|the|a) first (?:order|purchase)\b"
)


def _refuse_first_order_refunded(question: str, p: Parsed, ws: Any) -> None:
    """ "今年 第一单 就 退了 款 的 新客 有 多少": the new customers whose FIRST order was refunded —
    a refund on that one order, which no condition here expresses. Refused: counting the new
    customers with any refund, or summing their refunds, answers another question."""
    if _FIRST_ORDER_REFUNDED.search(normalise(question)):
        why = "a refund of the first order itself (第一单就退款) is a condition on one order the offline engine cannot express"
        raise _not_understood(question, p, ws, why)


def _refuse_only_people(question: str, p: Parsed, metrics: list[str], ws: Any) -> None:
    """A count of people with 'only' (只/仅/only) and a condition: "只在天猫买过的人数" is the
    people who bought on Tmall and nowhere else; counting Tmall's buyers would answer another
    question, so it is refused (the people engine answers the forms it knows before this)."""
    if not _ONLY.search(normalise(question)) or not (p.filters or p.excluded or p.time):
        return
    measures = ws.catalog.measures
    people = [
        m
        for m in metrics
        if "one_id"
        in getattr(
            measures.get(getattr(ws.catalog.metrics.get(m), "measure", "") or ""), "expr", ""
        )
    ]
    if people:
        why = "'only' over people (bought there and nowhere else, or just once) is a set question it cannot express"
        raise _not_understood(question, p, ws, why)


# 'only' said right before a value (a verb or a preposition between): "只用信用卡付款",
# "orders paid only by credit card", "只买了女装的订单", "orders with only health_beauty items"
_ONLY_BEFORE = re.compile(
    r"(?:只|仅|\bonly|\bjust|\bsolely|\bexclusively)\s*(?:(?:用了?|买了?|购买了?|付款|支付|"
    r"\bpaid|\bbought|\bby|\bwith|\busing|\bin|\bthe)\s*)*$"
)
# values an order can hold several of: its lines' products and categories, its payments' channels
_SEVERAL_PER_ORDER = (*LINE_DIMS, "payment_channel")


def _refuse_only_one_of_several(question: str, p: Parsed, ws: Any) -> None:
    """ "只用信用卡付款的订单数", "orders with only health_beauty items": 'only' before a value an
    order can hold several of (a payment channel beside a voucher, a category beside others) asks
    for the orders with that value and no other — a filter on the value counts every order that
    has it among others, so the question is refused with 'only' unplaced. ("only SP orders":
    an order has one state, 'only' adds nothing.)"""
    ranked = p.top_n or p.modifiers.keys() & {"top", "bottom", "bestsellers", "grain"}
    if (set(p.dimensions) & set(PRODUCT_DIMS) and ranked) or not _over_whole_orders(p.metrics, ws):
        return  # "top products only in health_beauty": a line has one category
    text = p.links.text
    for m in p.links.mentions:
        if m.term.kind not in ("value", "keyword") or m.term.target not in _SEVERAL_PER_ORDER:
            continue
        said = _ONLY_BEFORE.search(text[: m.start])
        if said is None:
            continue
        word = re.match(r"只|仅|\w+", said.group(0).strip())
        p.links.leftover = [*p.links.leftover, word.group(0) if word else "only"]
        why = (
            f"'only' {m.phrase}: the orders with that {m.term.target} and no other — an order "
            f"can have several, and a filter keeps every order that has it among others"
        )
        raise _not_understood(question, p, ws, why)


def _over_whole_orders(metrics: list[str], ws: Any) -> bool:
    """Whether the metrics (orders when none is named) are over whole orders: a measure of the
    orders model among what they are computed from."""
    from shopql.catalog.compiler import metric_closure

    try:
        closure = metric_closure(ws.catalog, metrics or ["orders"])
    except Exception:  # an unknown metric: not this check's to say
        return False
    measures = ws.catalog.measures
    return any(
        getattr(measures.get(getattr(m, "measure", None) or ""), "model", "") == "orders"
        for m in closure
    )


# what makes a days-since-today figure each person's: people said, or an average of them
_PER_PERSON_SAID = re.compile(
    r"\b(?:customers?|buyers?|clients?|shoppers?|people|persons?|users?|members?|their|they|"
    r"each|per|average|avg|mean|median|typical(?:ly)?|recency)\b|"
    r"客|买家|顾客|用户|会员|人|平均|均|中位|一般|每"
)


# a purchase said (paid orders: 购买, 成交, bought) rather than an order placed (下单, order)
_PURCHASE_SAID = re.compile(
    r"\b(?:purchases?|purchased|bought|buy|paid|payments?|sales?|sold)\b|购买|买|成交|付款|支付|卖出|出单"
)


def _store_recency(question: str, p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "how long since the last order from Australia", "澳大利亚最后一单到今天多少天",
    "离最后一次下单过去多少天了": one date (the latest order's) to today — not the average over
    people of their own last order, which is what the catalog's days-since-today duration
    measures; said with no person and no average, it is the store's figure
    (catalog.families.since_last_metric of orders; a purchase said: of paid orders), else
    refused."""
    from shopql.catalog.families import measurable_of

    out = list(metrics)
    for i, m in enumerate(metrics):
        found = measurable_of(ws.catalog, m)
        if found is None or found[0].kind != "duration" or found[0].end != "today_at":
            continue
        if _PER_PERSON_SAID.search(normalise(question)):
            continue
        if _named_by_the_catalog(
            question, m, ws
        ):  # "recency", "平均最近购买间隔": the metric itself
            continue
        from shopql.catalog.families import since_last_metric

        counted = "paid_orders" if _PURCHASE_SAID.search(normalise(question)) else "orders"
        store = since_last_metric(ws.catalog, counted) if counted in ws.catalog.metrics else None
        if store is not None and found[1] in ("avg", "median", "min", "max"):
            out[i] = store
            continue
        why = (
            "the time since the last order (one date to today) is not the average of each "
            "person's own time since their last order, the figure the catalog has"
        )
        raise _not_understood(question, p, ws, why)
    return out


def _named_by_the_catalog(question: str, name: str, ws: Any) -> bool:
    """The metric was said by one of its own names (label or synonym), not read from words."""
    metric = ws.catalog.metrics.get(name)
    if metric is None:
        return False
    said = normalise(question)
    names = {normalise(str(n)) for n in [*metric.label.values(), *(metric.synonyms or [])]}
    return any(n and n in said for n in names)


def _is_follow_up(question: str, p: Parsed, previous: SemanticQuery | None) -> bool:
    if previous is None or p.modifiers.get("profile"):
        return False
    starts = normalise(question).startswith(FOLLOW_UP_WORDS)
    return not p.metrics or starts


def _follow_up(p: Parsed, previous: SemanticQuery, ws: Any) -> Understanding:
    """Reuse the previous question: replace what the follow-up names, keep the rest."""
    filters = {f.dimension: f for f in previous.filters}
    filters.update({f.dimension: f for f in p.filters + p.excluded})
    dims = list(previous.dimensions) + [
        d for d in _dimensions(p, ws) if d not in previous.dimensions
    ]
    dims = [d for d in dims if d not in {f.dimension for f in p.filters}]
    metrics = tuple(_metrics(p, ws)) or previous.metrics
    order_by = previous.order_by
    if metrics != previous.metrics and order_by and order_by[0].name in previous.metrics:
        order_by = (OrderBy(metrics[0], order_by[0].descending), *order_by[1:])
    query = replace(
        previous,
        metrics=metrics,
        order_by=order_by,
        dimensions=tuple(dims),
        grain=_grain(p) or previous.grain,
        time_range=p.time or previous.time_range,
        filters=tuple(filters.values()),
        compare=_compare(p) or (previous.compare if not _grain(p) else None),
    )
    if p.top_n or p.modifiers.get("top") or p.modifiers.get("bottom"):
        query = _ranked(replace(query, limit=None, order_by=()), p)
    return Understanding(query, recognised=describe(query, ws), ignored=_ignored(p), follow_up=True)


CUSTOMER_WORDS = {
    "customers",
    "customer",
    "buyers",
    "buyer",
    "客户",
    "买家",
    "顾客",
    "会员",
    "用户",
    "spenders",  # "top 5 spenders": customers ranked by what they spent
    "spender",
    "客人",
}


def _ranks_customers(p: Parsed) -> bool:
    """ "top 10 customers by spend", "消费最多的前10个客户": a ranking of people, not a count."""
    ranking = p.top_n or p.modifiers.get("top") or p.modifiers.get("bottom")
    named = any(
        m.term.target in ("buyers", "customers") and m.phrase in CUSTOMER_WORDS
        for m in p.links.of("metric") + p.links.of("table")
    )
    which_period = any(  # "which month had the most customers": months ranked, not people
        m.term.target == "grain" and m.phrase.startswith(("which", "哪"))
        for m in p.links.of("modifier")
    )
    if ranking and named and not which_period:
        from shopql.nlq.comparisons import WHICH_PERIOD

        # "2011年哪个月买家最多": the months ranked by buyers, not the people
        which_period = bool(WHICH_PERIOD.search(p.links.text))
    return bool(
        ranking
        and named
        and not p.dimensions
        and not p.modifiers.get("bestsellers")
        and not which_period
        and _bought_clause(p) is None  # "德国客户买的东西里 卖得最多的3个": the goods ranked
    )


def _ranking_unused(p: Parsed, query: SemanticQuery, metric: str, ws: Any) -> list[str]:
    """The words a ranking of customers leaves out: a metric named beside the one it ranks by
    ("top customers by spend and their reviews": the reviews), a table it does not read
    ("评价最多的客户" ranked by spend)."""
    from shopql.nlq.people import PEOPLE_METRICS

    skip = PEOPLE_METRICS | {"orders", metric}
    words = [m.phrase for m in p.links.of("metric") if m.term.target not in skip]
    return words + _unread_tables(p, query, ws)


def _people_by_metric(p: Parsed, ws: Any, metric: str) -> Understanding:
    """ "top 10 customers by net sales": any other metric ranks people through the metric layer
    (its `person` dimension), so returns are deducted as the metric defines them."""
    query = SemanticQuery(
        metrics=(metric,),
        dimensions=("person",),
        time_range=p.time,
        filters=(*p.filters, *p.excluded, Filter("person", "is not null")),  # guests are no one
        order_by=(OrderBy(metric, not p.modifiers.get("bottom")),),
        limit=p.top_n or DEFAULT_TOP,
    )
    ignored = _ignored(p) + _ranking_unused(p, query, metric, ws)
    return Understanding(query, recognised=describe(query, ws), ignored=ignored)


def _top_customers(p: Parsed, ws: Any) -> Understanding:
    from shopql.catalog.people import LIST_METRICS
    from shopql.catalog.semantic import PeopleCondition, PeopleSet

    other = [m for m in p.metrics if m not in LIST_METRICS and m not in ("buyers", "orders")]
    if other and "person" in ws.catalog.dimensions:
        return _people_by_metric(p, ws, other[0])
    given_back = _given_back_of_credit_notes(p, ws)
    if given_back is not None:
        return _people_by_metric(p, ws, given_back)
    asked = ["paid_orders" if m == "orders" else m for m in p.metrics]
    said = None if set(asked) & set(LIST_METRICS) else _ORDERED_MOST.search(p.links.text)
    if (
        said is None
        and p.top_n
        and not p.modifiers.get("bottom")
        and not set(asked) & set(LIST_METRICS)
    ):
        said = _ORDERED_COUNT.search(p.links.text)  # "下单张数排前五的客户"
    # the fewest orders ties most people at one order: no one person to name, left unplaced
    fewest = said is not None and bool(
        said.groupdict().get("few") or said.groupdict().get("few_en")
    )
    ordered = said is not None and not fewest
    if ordered:  # "下单次数最多的客户", "who ordered the most": by their orders, not their spend
        asked = ["paid_orders"]
    metric = next((m for m in asked if m in LIST_METRICS), "paid_gmv")
    filters = tuple(p.filters + p.excluded)
    # "今年花钱第三多的客户": the person at that place (the ranking down to it beside)
    # … only by a measure said (花钱, 消费, 下单): "排名第二的客户" names no ranking (refused)
    text = p.links.text
    spent = any(  # 花钱第三多: the money verb says the spend
        re.search(rf"\b{re.escape(w)}\b", text) if w.isascii() else w in text
        for w in UNIT_WORDS.get("money", set())
    )
    measured = bool(set(asked) & set(LIST_METRICS)) or spent
    place = p.modifiers.get("rank_at") if p.top_n in (None, 1) and measured else None
    query = SemanticQuery(
        metrics=(),
        time_range=p.time,
        filters=filters,
        order_by=(OrderBy(metric, not p.modifiers.get("bottom")),),
        limit=place or p.top_n or DEFAULT_TOP,
        population=PeopleSet((PeopleCondition("bought", filters, p.time),), "list"),
        extra={"rank_at": place} if place else {},
    )
    direction = "bottom" if p.modifiers.get("bottom") else "top"
    recognised = [
        f"the customer at place {place} from the {direction} (people, by OneID) by {metric}, "
        "with the ranking down to it"
        if place
        else f"{direction} {query.limit} customers (people, by OneID) by {metric}",
        "time: " + describe_range(p.time),
        *[f"filter: {_filter_text(f)}" for f in query.filters],
    ]
    ignored = _ignored(p) + _ranking_unused(p, query, metric, ws)
    ignored = [w for w in ignored if w not in WHO_WORDS]  # a list of people says who they are
    ranked = ws.catalog.metrics.get(metric)  # "花钱最多的3个客户", "placed the most invoices"
    placed = UNIT_WORDS.get(getattr(ranked, "value_type", ""), set())
    placed |= verbs_of(ws.catalog, "orders" if metric == "paid_orders" else metric)
    ignored = [w for w in ignored if w not in placed]
    if ordered:
        ignored = [w for w in ignored if w not in _ORDERED_WORDS]
    elif metric == "paid_orders":  # "开票张数前5的客户": the count word of the orders ranked by
        ignored = [w for w in ignored if w not in ("张数", "次数", "单数")]
    if fewest and said is not None:
        ignored = [*ignored, said.group(0)]
    return Understanding(query, compound="top_customers", recognised=recognised, ignored=ignored)


# the customers ranked by how often they ordered: "下单最多", "下单次数最多", "下单第二多" (the
# place read as the superlative), "ordered the most", "ordered most often"
_ORDERED_WORDS = {
    *("下单", "下单次数", "次数", "张数", "单数", "开票", "开发票"),
    *("ordered", "order", "most often", "often"),
}
# "下单次数最多的客户", "下单张数排前五的客户", "开票张数前5的客户" (C, session 40: a top N said
# by 排前 / 前 N after the count of their orders, as 最多 is)
_ORDERED_MOST = re.compile(
    r"(?:下单|开票|开发票|开了?发票)\s*(?:的)?\s*(?:次数|张数|单数)?\s*(?:最多|(?P<few>最少))"
    r"|\bordered\s+(?:the\s+)?(?:most|(?P<few_en>least))\b"
)
# the count of their orders said before a top N taken out of the text ("下单张数排前五的客户")
_ORDERED_COUNT = re.compile(
    r"(?:下单|开票|开发票|开了?发票)\s*(?:的)?\s*(?:次数|张数|单数)(?!\s*(?:最少|少))"
)


# "买得最多的3个客户是谁": who (the list answers it), and "bought (most)" — by spend
WHO_WORDS = {"谁", "是谁", "有谁", "哪几位", "买得", "买的", "who", "whom", "are", "bought", "buys"}


def _lines_summed(p: Parsed, ws: Any) -> bool:
    """Every figure asked is a sum over order lines (pieces, line amounts: units, paid_gmv read
    as its line metric), nothing kept of the lines' own dimensions and nothing counted of people
    or orders: leaving out lines of a category is then the other lines' sum, one figure each —
    an order or a person with lines of both kinds is never in question."""
    if not p.metrics or {f.dimension for f in p.filters} & set(LINE_DIMS):
        return False
    from shopql.catalog.joins import line_model

    catalog = ws.catalog
    lines = line_model(catalog)
    for name in p.metrics:
        metric = catalog.metrics.get(name)
        line = catalog.metrics.get(getattr(metric, "line_metric", None) or "") or metric
        measure = catalog.measure(getattr(line, "measure", None) or "")
        if line is None or line.type != "simple" or measure is None or measure.agg != "sum":
            return False
        if lines is None or measure.model != lines.name:
            return False
    return True


def _refuse_sellers_as_buyers(question: str, p: Parsed, ws: Any) -> None:
    """ "买过 jam making set 但没买过 recipe box 的卖家": the people who bought one thing and not
    another are buyers — said of sellers (who sell, not buy) it is not that set: refused, the
    seller word named (was: the buyers, the word dropped)."""
    seller = ws.catalog.measurables.get("seller")
    if seller is None:
        return
    words = {normalise(w) for w in seller.words}
    said = [m.phrase for m in p.links.mentions if normalise(m.phrase) in words]
    if said:
        why = f"{said[0]!r}: the people who bought (or never bought) something are buyers, not sellers"
        raise _not_understood(question, p, ws, why)


def _is_buyers_without(p: Parsed) -> bool:
    """ "customers who bought X but not Y": a line-level value kept and another excluded."""
    kept = {f.dimension for f in p.filters} & set(LINE_DIMS)
    dropped = {f.dimension for f in p.excluded} & set(LINE_DIMS)
    about_buyers = not p.metrics or set(p.metrics) <= {"buyers", "orders"}
    return bool(kept and dropped) and about_buyers


_NEVER_VERBS = re.compile(
    r"用过|用|使用过|在|去|(?:买过|买|购买过|购买)(?:东西|商品)?|下过单|下单|bought|ordered|purchased"
)


def _never_said_of(p: Parsed, dimension: str) -> Any:
    """The value mention of `dimension` said right after a never word (从来没, 从未, never) with
    a buying verb after it ("从来没在SP买过", "从没用过信用卡付款", "never bought in the UK"),
    or None."""
    mentions, text = p.links.mentions, p.links.text
    for k, m in enumerate(mentions[:-1]):
        if m.term.target != "negation" or not _NEVER_SAID.fullmatch(m.phrase):
            continue
        value = mentions[k + 1]
        if value.term.kind != "value" or value.term.target != dimension:
            continue
        if len(text[m.end : value.start].strip()) > 12:
            continue
        if not _BOUGHT_SAID.search(text[m.end : value.end + 10]):
            continue
        return value
    for k, m in enumerate(mentions[1:], 1):  # "周末从来没买过东西的买家": the value said first
        value = mentions[k - 1]
        if m.term.target != "negation" or not _NEVER_SAID.match(m.phrase):
            continue
        if value.term.kind != "value" or value.term.target != dimension:
            continue
        if _reading._negated_after(text, value, m):  # its own 'never bought', closing the clause
            return value
    return None


def _never_bought_from(p: Parsed) -> Filter | None:
    """ "从来没在SP买过的客户有多少", "从来没用过信用卡付款的客户", "customers who never bought in
    the UK": a count of buyers with one value said as never bought from, nothing else kept and
    no breakdown — the value excluded (as an IN filter), else None."""
    if len(p.excluded) != 1 or p.filters or p.dimensions or p.top_n or p.having:
        return None
    if p.metrics not in ([], ["buyers"]) or p.two_periods or p.apart is not None:
        return None
    f = p.excluded[0]
    if "like" in f.op or _never_said_of(p, f.dimension) is None:
        return None
    return Filter(f.dimension, "in", f.values)


def _buyers_never(p: Parsed, never: Filter, ws: Any) -> Understanding:
    """The people who bought (in the period said, else ever) with no paid order matching `never`
    in that same span: every buyer's orders all elsewhere (14,250 Online Retail customers never
    bought in the UK: not the buyers with some order outside it)."""
    from shopql.catalog.semantic import PeopleCondition, PeopleSet
    from shopql.nlq.people import asks_for_list

    listed = asks_for_list(p.links.text)
    said = _never_said_of(p, never.dimension)
    if said is not None:  # "从来没用过信用卡付款": the verbs of the never clause are its own
        clause = p.links.text[: said.end + 10]
        p.links.leftover = [
            w for w in p.links.leftover if not (w in clause and _NEVER_VERBS.fullmatch(w))
        ]
    people = PeopleSet(
        (PeopleCondition("bought", (), p.time), PeopleCondition("not_bought", (never,), p.time)),
        "list" if listed else "count",
    )
    query = SemanticQuery(metrics=(), time_range=p.time, population=people)
    span = "in the period" if p.time is not None else "at any time"
    recognised = [
        "buyers" + ("" if p.time is None else ", time: " + describe_range(p.time)),
        f"excluding anyone who bought {_filter_text(never)} {span}",
    ]
    return Understanding(
        query, compound="buyers_without", recognised=recognised, ignored=_ignored(p)
    )


def _buyers_without(p: Parsed, ws: Any) -> Understanding:
    """The people who bought X in the range and never bought Y: the population of a person's
    conditions (a bought and a never bought), as nlq/people.py builds it — not the buyers of the
    order lines with X and without Y (a row filter: 734 for "bought a pillow but never a 四件套"
    on the demo, where 663 people are so)."""
    from shopql.catalog.people import negated
    from shopql.catalog.semantic import PeopleCondition, PeopleSet
    from shopql.nlq.people import asks_for_list

    never = [
        PeopleCondition(
            "not_bought", (Filter(f.dimension, "like" if "like" in f.op else "in", f.values),), None
        )
        for f in p.excluded
    ]
    listed = asks_for_list(p.links.text)  # "who bought a pillow but never a 四件套": the people
    bought = PeopleCondition("bought", tuple(p.filters), p.time)
    people = PeopleSet((bought, *never), "list" if listed else "count")
    query = SemanticQuery(
        metrics=("buyers",),
        time_range=p.time,
        filters=(*p.filters, *negated(tuple(never[0].filters))) if len(never) == 1 else (),
        population=people,
    )
    if listed:
        filters = tuple(p.filters + p.excluded)
        query = SemanticQuery(("buyers",), time_range=p.time, filters=filters, population=people)
    elif len(never) != 1:
        query = SemanticQuery(metrics=(), time_range=p.time, population=people)
    kept = " and ".join(_filter_text(f) for f in p.filters)
    dropped = " or ".join(_filter_text(f) for f in p.excluded)
    recognised = [
        f"buyers of {kept}",
        "time: " + describe_range(p.time),
        f"excluding anyone who bought {dropped} at any time",
    ]
    return Understanding(
        query, compound="buyers_without", recognised=recognised, ignored=_ignored(p)
    )


def _default_compare_range(question: str, ws: Any) -> TimeRange:
    """A comparison without a range compares the last complete month (with the one before, or
    the same month a year before): whole months, never today with yesterday."""
    from shopql.nlq.periods import last_complete_month

    return last_complete_month(ws.today, has_chinese(question))


def _wants_products(p: Parsed) -> bool:
    return bool(p.modifiers.get("bestsellers") or set(p.dimensions) & set(PRODUCT_DIMS) or p.top_n)


def product_dimension(ws: Any) -> str:
    """product_title when the warehouse has titles, else the product key."""
    dims = ws.catalog.dimensions
    if "product_title" in dims and ws.values.values.get("product_title"):
        return "product_title"
    return "product" if "product" in dims else "product_title"


_VERSUS = re.compile(r"\b(vs|versus|compared?)\b|对比|比较|相比|对阵")
_HOW_MANY_SOLD = re.compile(
    r"\bhow many\b.*\b(sell|sold|selling)\b"
    r"|(?:卖|出|走|售|拍)(?:了|出去|出|掉|过)?(?:多少|几)(?:件|个|条|套|只|双|盒)"  # 出了多少件: pieces
)


# a selling verb, a ranking word and a measure word of pieces: "卖了最多件", "卖出最少件的"
_MOST_PIECES_SOLD = re.compile(
    r"(?:卖|售|出)(?:了|出|掉|过|得)?(?:最多|最少)(?:的)?(?:件|条|套|只|双|盒)(?![数])"
)


def _own_model_dimension(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "嘉兴仓 库存不足50件的SKU 有几个": a breakdown (or a count of its values) the measured model
    cannot reach (sku lives on the order lines, stock has none) said by a word that model's own
    dimension declares as its synonym (the stock's seller code is its SKU) is that dimension.
    Only when every other metric is of that one model."""
    from shopql.catalog.compiler import compile_query
    from shopql.catalog.model import CatalogError

    counted = {f"{d}_count": d for d in ws.catalog.dimensions}
    measured = [m for m in metrics if m not in counted]
    models = set()
    for name in measured:
        metric = ws.catalog.metrics.get(name)
        measure = ws.catalog.measure(getattr(metric, "measure", None) or "")
        if measure is None:
            return metrics
        models.add(measure.model)
    if len(models) != 1:
        return metrics
    model = ws.catalog.models[models.pop()]
    out = list(metrics)
    for m in [*p.links.of("dimension"), *p.links.of("metric")]:
        d = m.term.target if m.term.kind == "dimension" else counted.get(m.term.target)
        if d is None or d in model.dimensions:
            continue
        if m.term.kind == "dimension" and d not in p.dimensions:
            continue
        if m.term.kind == "metric" and m.term.target not in out:
            continue
        said = normalise(m.phrase)
        own = [
            n
            for n, dim in model.dimensions.items()
            if said in {normalise(w) for w in (*dim.synonyms, *dim.own_words)}
        ]
        if len(own) != 1:
            continue
        try:
            compile_query(ws.catalog, SemanticQuery(metrics=(measured[0],), dimensions=(d,)))
            continue  # reachable: the word's own dimension
        except CatalogError:
            pass
        if m.term.kind == "metric":  # "…的SKU 有几个": how many of the model's own codes
            out = [x for x in out if x != m.term.target]
            p.dimensions = [*p.dimensions, own[0]]
            new = replace(m, term=Term("dimension", own[0]))
        else:
            p.dimensions = [own[0] if x == d else x for x in p.dimensions]
            new = replace(m, term=m.term._replace(target=own[0]))
        p.links.mentions = [new if x is m else x for x in p.links.mentions]
    return out


def _number_of_rows(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "每个月的C单数量", "取消发票的数量": 数量 right after a status or the orders themselves is
    how many of those orders, not the pieces on them (units: a C invoice sells none)."""
    mentions, text = p.links.mentions, p.links.text
    counted: list[str] = []
    for k, m in enumerate(mentions):
        if m.term.kind != "metric" or m.phrase not in NUMBER_OF or m.term.target != "units":
            continue
        before = mentions[k - 1] if k else None
        if before is None or text[before.end : m.start].strip() not in ("", "的"):
            continue
        if before.term.kind == "value" and before.term.target == "status":
            counted.append(_counted_over("status", ws))
        elif before.term.kind == "metric" and before.term.target == "orders":
            counted.append("orders")
        else:
            return metrics
    if not counted:
        return metrics
    kept = [x for x in metrics if x != "units"]
    return list(dict.fromkeys(kept + [c for c in counted if c not in kept]))


_HAD_BEFORE = re.compile(
    r"(?:\b(?:had|have|has|having|with|containing|contained|that\s+had|that\s+have|got|that\s+got)"
    r"(?:\s+(?:a|an|any|some))?"
    r"|有|含|带|含有|带有)\s*$"
)


def _orders_that_had(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "how many orders had a discount", "有优惠的订单有多少", "how many invoices had postage":
    the money of the order's own row said with had / with / 有 beside a count of orders is a
    condition (more than 0: the orders that had some), not a total beside all orders. With
    another measure of the orders asked ("avg discount on orders with a discount", "有优惠的订单
    平均优惠多少", "avg discount on orders that actually got one") the condition restricts it:
    the average over the orders that had a discount, not over every order beside a total."""
    if "orders" not in metrics or len(metrics) < 2:
        return metrics
    from shopql.catalog.families import measurable_of

    orders_model = getattr(ws.catalog.measure(ws.catalog.metrics["orders"].measure), "model", "")
    thresholds = getattr(ws.catalog, "thresholds", {}) or {}

    def threshold_of(metric: str, aggs: tuple[str, ...]) -> Any:
        found = measurable_of(ws.catalog, metric)
        if found is None or found[1] not in aggs or found[0].model != orders_model:
            return None
        return next(
            (
                t
                for t in thresholds.values()
                if t.entity == "order"
                and t.model == found[0].model
                and t.expr == found[0].expr
                and not t.agg
            ),
            None,
        )

    def of_orders(metric: str) -> bool:
        found = measurable_of(ws.catalog, metric)
        return found is not None and found[0].model == orders_model

    text = p.links.text
    counted = [m for m in p.links.of("metric") if m.term.target == "orders"]
    if len(metrics) == 2:  # "avg discount on orders that actually got one": 'one' is the discount
        other = next(m for m in metrics if m != "orders")
        threshold = threshold_of(other, ("avg", "median", "sum", "max", "min"))
        pronoun = [c for c in counted if _ORDERS_GOT_ONE.match(text[c.end :])]
        had = threshold is not None and Filter(threshold.name, ">", (0,)) in p.filters
        if (
            had
            and all(  # "有优惠的订单平均优惠多少": the condition is read; the orders say whose
                c.phrase in _BARE_ORDERS and not _COUNTED_AFTER.match(text[c.end :])
                for c in counted
            )
        ):
            return [other]
        if threshold is not None and pronoun and counted[-1].start > _first_mention(p, other):
            p.filters.append(Filter(threshold.name, ">", (0,)))
            got = _ORDERS_GOT_ONE.match(text[pronoun[0].end :])
            words = set(got.group(0).split()) if got else set()
            p.links.leftover = [w for w in p.links.leftover if w not in words]
            return [other]
    others = [m for m in metrics if m != "orders" and threshold_of(m, ("sum",)) is not None]
    if len(others) != 1:
        return metrics
    other = others[0]
    threshold = threshold_of(other, ("sum",))
    rest = [m for m in metrics if m not in ("orders", other)]
    if rest and not all(of_orders(m) for m in rest):
        return metrics
    said = [m for m in p.links.of("metric") if m.term.target == other]
    if threshold is None or len(said) != 1:
        return metrics
    right_after = any(  # "orders with a discount": the orders that had one
        _ORDERS_WITH.fullmatch(text[c.end : said[0].start]) for c in counted
    )
    before = any(  # "有优惠的订单": the orders said after what they had
        re.fullmatch(r"\s*的?\s*", text[said[0].end : c.start]) for c in counted
    )
    if rest and not (right_after or before):
        return metrics
    if not rest and not (_COUNT_ASKED.search(text) or _HOW_MANY_AT_END.search(text) or right_after):
        return metrics
    if not _HAD_BEFORE.search(text[max(0, said[0].start - 20) : said[0].start]):
        return metrics
    p.filters.append(Filter(threshold.name, ">", (0,)))
    p.links.leftover = [w for w in p.links.leftover if w not in _HAD_WORDS]
    return rest or ["orders"]


def _first_mention(p: Parsed, metric: str) -> int:
    return min((m.start for m in p.links.of("metric") if m.term.target == metric), default=-1)


# "orders that actually got one": the thing named before them, had at all
_ORDERS_GOT_ONE = re.compile(
    r"\s*(?:that|which)\s+(?:(?:actually|really|even)\s+)?(?:got|had|have|has|used|received)"
    r"\s+(?:one|any|some)\b"
)


_ORDERS_WITH = re.compile(
    r"\s*(?:with|having|that\s+had|which\s+had|that\s+have|that\s+got|which\s+got)"
    r"(?:\s+(?:a|an|any|some))?\s*"
)
_HAD_WORDS = {"带", "含", "含有", "带有"}
# the orders said as a bare noun (not their count: 订单数, 有多少单, number of orders)
_BARE_ORDERS = {"订单", "单子", "orders", "order"}
_COUNTED_AFTER = re.compile(r"\s*(?:数|量|有多少|有几|一共|总共|\bcount\b)")


def _metrics(p: Parsed, ws: Any) -> list[str]:
    metrics = _people_who_bought_things(p, list(p.metrics))
    metrics = _number_of_rows(p, metrics, ws)
    metrics = _orders_that_had(p, metrics, ws)
    metrics = _how_much_sold(p, metrics, ws)
    metrics = _sales_counted_in_units(p, metrics)
    if p.modifiers.get("new_vs_returning"):
        metrics += [m for m in ("new_buyers", "returning_buyers") if m not in metrics]
    other_dims = set(p.dimensions) - set(PRODUCT_DIMS)  # "哪个城市…最多" is not about units
    if not metrics and _money_made(p, ws):
        metrics = ["paid_gmv"]  # "which product made the most money": by sales
    if not metrics and p.modifiers.get("bestsellers"):
        metrics = [_bestseller_measure(p, other_dims, ws)]
    if not metrics and _HOW_MANY_SOLD.search(p.links.text) and not other_dims:
        metrics = ["units"]  # "how many heart holders did we sell": pieces, not money
    if not metrics and _MOST_PIECES_SOLD.search(p.links.text):
        metrics = ["units"]  # "上个月卖了最多件的品类": ranked by the pieces, whatever is ranked
    from shopql.nlq.comparisons import PERIOD_WORDS

    periods = p.modifiers.get("grain") or any(w in PERIOD_WORDS for w in p.links.leftover)
    if (
        not metrics
        and (p.top_n or p.modifiers.get("top"))
        and _wants_products(p)
        and not other_dims
        and not periods  # "best month of 2011": not the month of most pieces (no metric named)
    ):
        metrics = ["units"]
    if not metrics and p.modifiers.get("distribution") and p.dimensions:
        metrics = [_counted_over(p.dimensions[0], ws)]  # "订单状态分布": the orders spread over it
    ranked = p.modifiers.keys() & {"top", "bottom"} and (p.dimensions or p.modifiers.get("grain"))
    counted = _COUNT_ASKED.search(p.links.text) or _EVENTS_COUNTED.search(p.links.text)
    if not metrics and (ranked or counted):
        if any(f.dimension == "status" for f in p.filters):  # "how many C invoices / credit
            metrics = [_counted_over("status", ws)]  # notes": the rows in that status, counted
            # "which hour has the most cancellations": those rows counted in each, ranked
    metrics = metrics or _tagged_people_counted(
        p, ws
    )  # "流失客户有多少", "how many lapsed customers"
    metrics = metrics or _threshold_entity_counted(p, ws)  # "金额>500的发票有多少"
    metrics = metrics or _sold_metric(p)
    metrics = metrics or _money_paid(p, ws)  # "微信或支付宝付的钱一共多少"
    metrics = metrics or _bought_most(p, ws)
    if not metrics and p.modifiers.get("people_bought") and _PIECES_OF_THEM.search(p.links.text):
        metrics = ["units"]  # "德国客户买的单价超过5镑的东西一共多少件": the pieces they bought
    if not metrics and (ranked or counted):
        metrics = _event_counted(p, ws)  # "8月 星期几发货最多": the orders shipped, counted
    metrics = _people_of_a_value(p, metrics)
    metrics = _money_of_orders(p, metrics, ws)
    metrics = _per_order_average_of(p, metrics, ws)  # "平均每单收了多少运费": avg freight
    metrics = event_people(p, metrics, ws)  # "how many ppl viewed", "浏览过的人里多少比例加了购"
    metrics = _people_counted(p, metrics, ws)
    metrics = _return_verb_restated(p, metrics)
    metrics = _people_of_undone_orders(p, metrics, ws)
    metrics = _orders_beside_buyers(p, metrics, ws)
    metrics = _order_counter_of_a_count(p, metrics, ws)
    metrics = _shipped_by_carrier(p, metrics, ws)
    if "refunded_orders" in ws.catalog.metrics:
        metrics = _refunded_orders(p, metrics)
    if "refund_records" in ws.catalog.metrics:
        metrics = _refunds_counted_by_the_stroke(p, metrics)
    _bare_refund_ranked(p, metrics, ws)
    metrics = _best_selling_group_measured(p, metrics, other_dims, ws)
    metrics = _what_the_orders_paid(p, metrics, ws)
    metrics = _orders_by_their_condition_time(p, metrics, ws)
    return [m for m in metrics if m in ws.catalog.metrics]


def _orders_by_their_condition_time(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "8月的单子里 同时买了两个以上品类的占几成": orders counted under a condition on the order
    that declares its own time (thresholds.yaml `time:` — the categories of an order's lines are
    those of the goods it paid for) are the orders of that time: the catalog's count of the same
    orders dated by it (paid_orders), not the orders placed then."""
    if metrics != ["orders"]:
        return metrics
    catalog = ws.catalog
    thresholds = getattr(catalog, "thresholds", {}) or {}
    times = {
        t.time
        for f in p.filters
        if (t := thresholds.get(f.dimension)) is not None and t.entity == "order" and t.time
    }
    if len(times) != 1 or times == {_own_time("orders", ws)}:
        return metrics
    counted = catalog.metrics["orders"]
    same = [
        m.name
        for m in catalog.metrics.values()
        if m.type == "simple"
        and not m.generated  # not one made for another question (orders__by_paid_date)
        and m.measure == counted.measure
        and m.time in times
        and (not m.filter or _EVENT_HAPPENED.fullmatch(m.filter))  # no other condition
    ]
    return same[:1] if len(same) == 1 else metrics


# the paying verb and "how much" said after the orders, no counter after it: money, not a count
_PAID_HOW_MUCH = re.compile(
    r"^[^，,。？?]*?(?<![退])(?:付|支付|花)\s*(?:了|掉)?\s*(?:多少|几)(?!\s*(?:单|笔|件|个|次|位|人|张|天|小时|家|种|样))"
)


def _what_the_orders_paid(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "8月用voucher付款的订单总共付了多少", "上个月的单子一共花了多少": the money those orders
    paid (paid GMV, by the payment time), not the number of orders — the paying verb and 多少
    said after the orders noun ask how much, as 付了多少钱 does."""
    if metrics != ["orders"] or "paid_gmv" not in ws.catalog.metrics:
        return metrics
    said = [m for m in p.links.of("metric") if m.term.target == "orders"]
    if len(said) != 1 or said[0].phrase.lower() not in _ORDER_NOUNS:
        return metrics
    if not _PAID_HOW_MUCH.search(p.links.text[said[0].end :]):
        return metrics
    return ["paid_gmv"]


# the best-selling one said right before the group's word ("卖得最好的品类", "best-selling category")
_SOLD_BEST_OF = re.compile(
    r"(?:卖得最好|卖的最好|卖得最多|卖的最多|最畅销|最好卖|\bbest[- ]selling|\btop[- ]selling)"
    r"\s*(?:的)?\s*(?:那|这)?\s*(?:一)?\s*(?:个|款|家|件)?\s*$"
)


_OF_THE = re.compile(r"\s*\b(?:of|for|in)\s+(?:the|our)?\s*")


def _selling_metrics(catalog: Any) -> set[str]:
    """The metrics that say what sells: those selling best is ranked by (_bestseller_measure:
    paid sales, units sold) and the line-level form the catalog gives each (`line_metric`)."""
    out: set[str] = set()
    for name in ("paid_gmv", "units"):
        metric = catalog.metrics.get(name)
        if metric is not None:
            out |= {name, *([metric.line_metric] if metric.line_metric else [])}
    return out


def _best_selling_group_measured(
    p: Parsed, metrics: list[str], other_dims: set[str], ws: Any
) -> list[str]:
    """ "8月卖得最好的品类的客单价", "the best-selling category's refund rate": the group is picked
    by what sells (sales, or pieces for products: _bestseller_measure), and the figure named is
    asked of it — ranked by the figure itself it was the category with the highest AOV."""
    if not metrics or not p.modifiers.get("bestsellers") or len(p.dimensions) != 1:
        return metrics
    if set(metrics) & _selling_metrics(ws.catalog):
        return metrics
    word = next((m for m in p.links.of("dimension") if m.term.target == p.dimensions[0]), None)
    said = [m for m in p.links.of("metric") if m.term.target in metrics]
    best = next((m for m in p.links.of("modifier") if m.term.target == "bestsellers"), None)
    if word is None or best is None or not said:
        return metrics
    text = p.links.text
    for m in said:  # "客单价卖得最好的品类": the figure said before the group ranks it — but
        # "the average review score of the best-selling category" asks it of the group
        if m.start < word.end and not _OF_THE.fullmatch(text[m.end : best.start]):
            return metrics
    if not _SOLD_BEST_OF.search(text[: word.start]):
        return metrics
    return [_bestseller_measure(p, other_dims, ws), *metrics]


# a shipping verb after a carrier ("顺丰发了几单", "上个月 中通 发货 多少单"); not 寄 (a customer's
# return may be sent with a carrier too)
_SHIP_VERBS = ("发货", "发的货", "发出去", "发出", "发了", "发")
# … or a shipping verb said before it in English: "orders that went out with YTO", "were shipped
# with SF", "dispatched via ZTO" (the time is the shipping time too)


def _shipped_by_carrier(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "上个月 顺丰 发了 几单": the orders the carrier shipped in the period, counted by their
    shipping time (shipped_orders), as "各快递 发了多少单" is — not the orders placed then that
    the carrier carried (the verb was spent on the value, the count kept the order time)."""
    if metrics != ["orders"] or p.time is None or "shipped_orders" not in ws.catalog.metrics:
        return metrics
    text = p.links.text
    for m in p.links.of("value"):
        if m.term.target != "carrier":
            continue
        after = text[m.end :].lstrip()
        if any(after.startswith(v) for v in _SHIP_VERBS):
            return ["shipped_orders"]
        said = _SHIP_VERB_BEFORE.search(text[: m.start])  # "went out with YTO", "sent via SF"
        if said is not None:
            words = said.group(0).split()
            p.links.leftover = [w for w in p.links.leftover if w not in words]
            return ["shipped_orders"]
    return metrics


# a shipping verb and its preposition right before a carrier ("orders that went out with YTO",
# "shipped via SF", "sent by ZTO")
_SHIP_VERB_BEFORE = re.compile(
    r"\b(?:shipped|sent|dispatched|went|gone|go|goes|shipping|sending)(?:\s+out)?"
    r"\s+(?:with|via|by|through|using)\s*$"
)


# "几单", "多少单": how many orders, said as a counter of orders (lexicon METRIC_WORDS)
_ORDER_COUNTERS = re.compile(r"(?:几|多少)\s*(?:张|笔)?\s*单")


def _counts_orders(ws: Any, name: str) -> bool:
    """`name` counts distinct orders (of a kind: paid, unpaid, refunded), not the plain count."""
    metric = ws.catalog.metrics.get(name)
    measure = ws.catalog.measure(getattr(metric, "measure", None) or "")
    if metric is None or measure is None or name == "orders":
        return False
    if getattr(metric, "value_type", "") != "count" or measure.agg not in (
        "count",
        "count_distinct",
    ):
        return False
    model = ws.catalog.models.get(measure.model)
    primary = getattr(model, "primary", None)
    keyed = primary is not None and primary.name == "order" and measure.agg == "count"
    return keyed or (measure.agg == "count_distinct" and measure.expr.strip() == "order_id")


def _order_counter_of_a_count(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "退款订单 有几单", "近7天 未付款订单有几单": the counter (几单) asks how many of the orders
    the other metric counts, not the count of every order beside it (was: two figures, the
    second every order placed)."""
    if "orders" not in metrics or not any(_counts_orders(ws, m) for m in metrics):
        return metrics
    said = [m for m in p.links.of("metric") if m.term.target == "orders"]
    if not said or not all(_ORDER_COUNTERS.fullmatch(m.phrase) for m in said):
        return metrics
    p.links.mentions = [m for m in p.links.mentions if m not in said]
    return [m for m in metrics if m != "orders"]


_HOW_MANY_AT_END = re.compile(
    r"(?:有|是|共|一共|总共)?(?:多少|几)(?:个|张|笔|单)?\s*[?？呢吗]*\s*$"
)


_PEOPLE_NOUN = re.compile(r"(?:客户|用户|买家|顾客|会员|customers?|buyers?|shoppers?|people)$")
_HOW_MANY_PEOPLE = re.compile(
    r"有?多少(?:个|位|人)?\s*[?？呢吗]*\s*$|几(?:个|位)?人?\s*[?？呢吗]*\s*$"
)


def _tagged_people_counted(p: Parsed, ws: Any) -> list[str]:
    """ "流失客户有多少", "how many lapsed customers", "重要价值客户有多少": a person tag's value
    named with its people noun (the value's name took the noun) and a count asked, nothing
    else measured or split: the buyers carrying it (as "回流客户有多少人" reads)."""
    if p.dimensions or "buyers" not in ws.catalog.metrics:
        return []
    asked = _COUNT_ASKED.search(p.links.text) or _HOW_MANY_PEOPLE.search(p.links.text)
    if not (asked or p.modifiers.get("share")):  # "高客单价的客户占几成": their share
        return []
    tagged = [
        m
        for m in p.links.of("value")
        if getattr(ws.catalog.dimensions.get(m.term.target), "models", None) == ["persons"]
        and _PEOPLE_NOUN.search(m.phrase)
    ]
    if not tagged:
        return []
    p.links.leftover = [w for w in p.links.leftover if w not in _HOW_MANY_UNITS | {"有"}]
    return ["buyers"]


def _threshold_entity_counted(p: Parsed, ws: Any) -> list[str]:
    """ "今年单张发票金额>500的有多少", "how many had an order value over 500": nothing else
    counted, a condition on an order's own number (its value, its items) counts the orders it
    keeps — the threshold's entity — when how many is asked and nothing is grouped."""
    thresholds = getattr(ws.catalog, "thresholds", {}) or {}
    # the other filters keep some of the orders ("英国以外超过2000镑的大单有几张": outside the UK)
    said = [thresholds.get(f.dimension) for f in p.filters if f.dimension in thresholds]
    if not said or p.dimensions or p.metrics or "orders" not in ws.catalog.metrics:
        return []
    # a number of the order's own row: "买了100件以上的有多少" may be the people who bought so,
    # "评分低于3的有多少" the reviews (an order can have two)
    counted = ws.catalog.measure(ws.catalog.metrics["orders"].measure)
    orders_model = getattr(counted, "model", None)
    if any(t is None or t.entity != "order" or t.model != orders_model or t.agg for t in said):
        return []
    text = p.links.text
    if not (_COUNT_ASKED.search(text) or _HOW_MANY_AT_END.search(text)):
        return []
    return ["orders"]


MOST_WORDS = {"最多", "最少", "most", "fewest", "least"}
# where the most of them fall: "退款一般集中在一天里的几点", "哪个时段退款最集中" — a ranking by the
# most as 最多 is (both readings of a bare refund word, below)
_MOST_FALL_WORDS = {"最集中", "最密集", "主要集中在", "大多集中在", "集中在", "集中于", "busiest"}
# a bare refund word ranked: both readings, answered only where they name the same winner
REFUND_READINGS = ("refund_amount", "refund_count")


_BY_AMOUNT = re.compile(r"\bby\s+(?:the\s+)?(?:amount|value|money)\b|按\s*(?:金额|钱)")
_BY_COUNT = re.compile(r"\bby\s+(?:the\s+)?(?:count|number)\b|按\s*(?:次数|单数)")
_BY_RECORDS = re.compile(
    r"按\s*笔(?:数)?|\bby\s+(?:the\s+)?(?:number\s+of\s+)?(?:refund\s+)?records?\b"
)
_REFUNDS_SAID = BARE_REFUND_WORDS | {"退款单", "退款单数", "退款次数", "退款订单", "退款订单数"}
_AMOUNT_WORDS = {"amount", "value", "money", "金额", "钱"}
_NUMBER_WORDS = {"count", "number", "次数", "笔数", "单数"}


def _bare_refund_ranked(p: Parsed, metrics: list[str], ws: Any) -> None:
    """ "哪天退款最多", "which platform has the most refunds": the most refunds (how many) or the
    most refunded (money)? A bare refund word ranked by 最多/most is both: the top one is asked
    by both (the money first, the count beside it) and answered only when both name the same
    one (comparisons.run checks it); a top N, or a catalog without the count, leaves it unplaced."""
    said_refund = [m.phrase for m in p.links.of("metric") if m.phrase in _REFUNDS_SAID]
    if (
        metrics in (["refund_amount"], ["refunded_orders"], ["refund_count"])
        and said_refund
        and _BY_RECORDS.search(p.links.text)
        and "refund_records" in ws.catalog.metrics
    ):
        # "哪个平台的退款单最多（按笔数）": 笔 counts each refund (a record), as 退款笔数 does —
        # an order refunded line by line is several; by the refund's time
        metrics[:] = ["refund_records"]
        p.links.leftover = [w for w in p.links.leftover if w not in ("笔数", "笔")]
        return
    ranked = {m.phrase for m in p.links.of("modifier") if m.term.target in ("top", "bottom")}
    if (
        metrics == ["refund_count"]
        and (ranked or p.top_n)
        and "refund_records" in ws.catalog.metrics
    ):
        # "按城市数退款次数 前三", "the 3 cities with the most refunds": how many refunds is the
        # refunded orders or each refund (an order refunded line by line is several): ranked by
        # both, answered only where both put the same ones first (comparisons.run checks it)
        metrics.append("refund_records")
        p.modifiers["readings"] = ("refund_count", "refund_records")
        return
    if metrics != ["refund_amount"]:
        return
    bare = [m.phrase for m in p.links.of("metric") if m.phrase in BARE_REFUND_WORDS]
    if not (bare and ranked & (MOST_WORDS | _MOST_FALL_WORDS)):
        return
    # "the most refunds by amount", "退款最多(按次数)": the reading said
    for said, words, metric in (
        (_BY_AMOUNT, _AMOUNT_WORDS, REFUND_READINGS[0]),
        (_BY_COUNT, _NUMBER_WORDS, REFUND_READINGS[1]),
    ):
        if said.search(p.links.text) and metric in ws.catalog.metrics:
            metrics[:] = [metric]
            p.links.leftover = [w for w in p.links.leftover if w not in words]
            return
    if p.top_n in (None, 1) and REFUND_READINGS[1] in ws.catalog.metrics:
        readings = REFUND_READINGS
        if not ranked & MOST_WORDS and "refund_records" in ws.catalog.metrics:
            # "退款集中在几点": where the refunds fall, each refund an event at its own time (a
            # record: an order refunded line by line, at two hours, falls at both)
            readings = (REFUND_READINGS[0], "refund_records")
        metrics.append(readings[1])
        p.modifiers["readings"] = readings
        return
    p.links.leftover.append(bare[0])
    p.modifiers["bare_refund_top_n"] = bare[0]  # refused whatever else reads the word (_understand)


def _counted_over(dimension: str, ws: Any) -> str:
    """What a distribution over `dimension` counts: orders when orders carry it, else the
    first count metric of a model that does ("退款原因分布": refunded orders, not all orders)."""
    catalog = ws.catalog
    dim = catalog.dimensions.get(dimension)
    models = set(getattr(dim, "models", ()) or ())
    if not models or "orders" in models:
        return "orders"
    for metric in catalog.metrics.values():
        measure = catalog.measure(metric.measure or "")
        if measure is not None and measure.model in models and "count" in measure.agg:
            return str(metric.name)
    return "orders"


_PERCENT_ALONE = re.compile(r"[(（]\s*%\s*[)）]|(?<![\d.%\s])\s*%\s*(?:$|[?？,，。])")
_GROUP_COUNT = re.compile(r"([一二两三四五六七八九十]+|\d+)\s*(?:个|家)?\s*$")


def _place_group_count(p: Parsed, ws: Any) -> None:
    """ "五个平台各占多少", "两个仓各有多少库存": a number before a breakdown's dimension word
    that is exactly how many values the dimension has is the whole breakdown said with its
    size, placed. Any other number stays unplaced ("三个城市" of 22: which three?)."""
    from shopql.catalog.timephrase import cn_number

    if "%" in p.links.leftover and p.modifiers.get("share") and _PERCENT_ALONE.search(p.links.text):
        p.links.leftover.remove("%")  # "各占多少销售额(%)": the share, in percent
    if not p.links.leftover or not p.dimensions:
        return
    for m in p.links.mentions:
        if m.term.kind != "dimension" or m.term.target not in p.dimensions:
            continue
        said = _GROUP_COUNT.search(p.links.text[: m.start])
        if said is None or said.group(1) not in p.links.leftover:
            continue
        values = ws.values.values.get(m.term.target) or []
        if values and cn_number(said.group(1)) == len(values):
            p.links.leftover.remove(said.group(1))


_SIZE_BEFORE = re.compile(r"^\s*的?\s*([一二两三四五六七八九十]+|\d+)\s*个?\s*$")


def _group_with_its_size(p: Parsed, ws: Any) -> None:
    """ "南部三州(RS SC PR) 上个月几个买家", "东南部四个州": a group of values (a value_groups
    entry: 南部 = Sul) said with the number of its members and their dimension's word is that
    group, once — not a breakdown by the dimension. The number must be the group's size."""
    from shopql.catalog.timephrase import cn_number

    sets = getattr(ws.catalog, "value_groups", {}) or {}
    for g in p.links.of("value"):
        gs = sets.get(g.term.target)
        if gs is None:
            continue
        members = next((x.members for x in gs.groups if x.name == g.term.value), None)
        after = [
            m
            for m in p.links.of("dimension")
            if m.term.target == gs.dimension and m.start >= g.end and m.start - g.end <= 4
        ]
        if not members or not after:
            continue
        said = _SIZE_BEFORE.match(p.links.text[g.end : after[0].start])
        if said is None or said.group(1) not in p.links.leftover:
            continue
        if cn_number(said.group(1)) != len(members):
            continue
        p.links.leftover.remove(said.group(1))
        p.links.mentions = [m for m in p.links.mentions if m is not after[0]]
        if not any(m.term.target == gs.dimension for m in p.links.of("dimension")):
            p.dimensions = [d for d in p.dimensions if d != gs.dimension]


# between a place's name and its state said right after it: a space, a bracket, a comma
_GLOSS_GAP = re.compile(r"^[\s(（,，、/]*$")


def _capital_glossing_its_state(p: Parsed) -> None:
    """ "8月进账当中 里约 RJ州 买家掏的钱", "里约（RJ州）" (D, session 44): a name the state shares
    with its capital (里约 = rio de janeiro, RJ's own name), said right before the state itself, is
    the state named twice — not the capital city within it (was city rio de janeiro AND state RJ:
    the city's money alone). Not when the city is said as one (里约市 RJ州, rio city)."""
    from shopql.nlq.names import BRAZIL_STATES

    cities = [m for m in p.links.of("value") if m.term.target == "city"]
    states = [m for m in p.links.of("value") if m.term.target == "province"]
    for city in cities:
        if re.search(r"(?:市|城|\bcity)\s*$", city.phrase, re.IGNORECASE):
            continue
        named = [
            s
            for s in states
            if s.start >= city.end
            and _GLOSS_GAP.match(p.links.text[city.end : s.start])
            and normalise(BRAZIL_STATES.get(str(s.term.value), ""))
            == normalise(str(city.term.value))
        ]
        if not named:
            continue
        kept = [
            f for f in p.filters if not (f.dimension == "city" and f.values == (city.term.value,))
        ]
        if len(kept) == len(p.filters) - 1:
            p.filters = kept
            p.links.mentions = [m for m in p.links.mentions if m is not city]


NOW_WORDS = {"now", "rn", "right now", "currently", "at the moment", "atm", "actually", "still"}
_IN_THE_PLACE = re.compile(r"^\s*(?:里面|里|中|内)")
_ONE_TOTAL = re.compile(r"一共|总共|总计|合计|加起来|\bin total\b|\baltogether\b")


def _timeless(metric: str, ws: Any) -> bool:
    """A snapshot metric: no time of its own nor of its model (stock on hand)."""
    m = ws.catalog.metrics.get(metric)
    if m is None:
        return False
    if m.type == "ratio":
        return _timeless(m.numerator or "", ws)
    if m.type != "simple" or m.time:
        return False
    model = getattr(ws.catalog.measure(m.measure or ""), "model", None)
    return getattr(ws.catalog.models.get(model or ""), "default_time", "x") is None


def _refuse_past_period_of_a_snapshot(
    question: str, p: Parsed, query: SemanticQuery, ws: Any
) -> None:
    """ "上个月 库存 多少", "上个月 人数": a snapshot (stock on hand, the persons tagged) is as it is
    now; a period that ended before today cannot be applied to it, and the figure of now is not
    that period's (was: today's stock, every person tagged, shown under 上个月)."""
    tr = query.time_range
    if tr is None or tr.start is None or tr.end is None or not query.metrics:
        return
    if not all(_timeless(m, ws) for m in query.metrics):
        return
    if tr.end.date() > ws.today or "to date" in (tr.label or ""):
        return  # 今天, 今年 (to date): up to now
    why = (
        f"{', '.join(query.metrics)} is a snapshot (as it is now): it has no figure for"
        f" {tr.label or 'a past period'}"
    )
    raise _not_understood(question, p, ws, why)


def _now_of_a_snapshot(p: Parsed, metrics: list[str], ws: Any) -> None:
    """ "how many SKUs are actually in stock rn", "仓库里现在一共还有多少件货": a snapshot (stock on
    hand: the latest count, no period) is what is there now — 'now', 'rn', 'actually' restate
    it; and the place it is kept said with 里 and one total asked (一共) is where, not a split
    by warehouse. Only when every metric asked is such a snapshot."""
    if not metrics or not all(_timeless(m, ws) for m in metrics):
        return
    text = p.links.text
    now = NOW_WORDS | ({"right"} if re.search(r"\bright now\b", text) else set())
    p.links.leftover = [w for w in p.links.leftover if w not in now]
    if not _ONE_TOTAL.search(text):
        return
    kept = [
        m
        for m in p.links.of("dimension")
        if m.term.target in p.dimensions
        and _IN_THE_PLACE.match(text[m.end :])
        and not re.search(r"(?:各|每|按|分|哪)\s*$", text[: m.start])
    ]
    for m in kept:
        p.dimensions = [d for d in p.dimensions if d != m.term.target]
        p.links.mentions = [x for x in p.links.mentions if x is not m]


_HOURS_ASKED = re.compile(
    r"(?:几个?|多少个?|平均|中位数?|\bhow many|\baverage|\bavg|\bmean|\bmedian|\btypical)\s*$"
)
# "hours from payment to shipping", "hours between order and delivery": the span's unit
_HOURS_SPAN = re.compile(r"\s*(?:from|between)\b")
_MINUTES_ASKED = re.compile(r"分钟|\bmins\b|\bminutes?\b")  # not "min": the minimum
# a duration asked in hours: 几个小时, 多少小时, "how many hours", "hours from payment to shipping"
# the unit said on its own beside a duration: "多久发货 按小时", "（小时）", 以小时计 — not "by hour"
_HOURS_AS_UNIT = (
    r"(?:按|以|用)\s*小时(?:\s*(?:算|计|来算|来计))?(?!\s*(?:看|分|统计|拆|排))"
    r"|[(（]\s*小时\s*[)）]"
)
_HOURS_OF_DURATION = re.compile(
    r"(?:几|多少)\s*个?\s*(?:小时|钟头)|\bhow many hours\b|\bin hours\b|" + _HOURS_AS_UNIT + r""
    r"|\b(?:avg|average|mean|median|min|max)\s+hours\b|\bhours\s+(?:to|from|between|until)\b"
)
_MINUTE_WORDS = {"分钟", "几分钟", "多少分钟", "min", "mins", "minute", "minutes", "钟"}
_DAY_WORDS = {"天", "几天", "多少天", "day", "days"}


def _duration_in_minutes(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "抖音下单到付款平均几分钟", "avg minutes from order to payment": a duration asked in
    minutes is the catalog's duration between the same two events counted in minutes (its
    `unit: minute` twin, pay_minutes), with the same aggregation. Without such a twin the minutes
    stay unplaced: an hours figure is not the number asked. A duration counted in hours asked in
    days ("下单后平均几天才付款") is its `unit: day` twin (pay_days) likewise, and one counted in
    days asked in hours ("付款后平均几个小时发货") its `unit: hour` twin (ship_hours); without one
    it stays as it was."""
    from shopql.catalog.families import measurable_of
    from shopql.nlq.families import DAYS_ASKED, same_events

    if _MINUTES_ASKED.search(p.links.text):
        wanted = "minute"  # from any other unit
    elif DAYS_ASKED.search(p.links.text):
        wanted = "day"  # from hours only
    elif _HOURS_OF_DURATION.search(p.links.text):
        wanted = "hour"  # from days only: "付款后平均几个小时发货" (ship_hours)
    else:
        return metrics
    out = []
    swapped = False
    for name in metrics:
        found = measurable_of(ws.catalog, name)
        if (
            found is None
            or found[0].kind != "duration"
            or found[0].unit == wanted
            or (wanted == "day" and found[0].unit != "hour")
            or (wanted == "hour" and found[0].unit != "day")
        ):
            out.append(name)
            continue
        d, agg = found
        twin = next(
            (t for t in same_events(d, ws.catalog) if t.unit == wanted and agg in t.metrics), None
        )
        if twin is None:
            out.append(name)
            continue
        out.append(twin.metrics[agg])
        swapped = True
    if swapped:
        p.links.mentions = [
            replace(m, term=m.term._replace(target=out[metrics.index(m.term.target)]))
            if m.term.kind == "metric" and m.term.target in metrics
            else m
            for m in p.links.mentions
        ]
    if swapped:
        asked = {"要", "需要"} if _UNIT_ASKED.search(p.links.text) else set()
        unit_words = _MINUTE_WORDS if wanted == "minute" else _DAY_WORDS
        p.links.leftover = [
            w for w in p.links.leftover if w not in unit_words | _HOW_MANY_UNITS | asked
        ]
    return out


def _duration_in_hours(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "18年8月付款到发货平均几个小时", "how many hours from payment to shipping": 小时 / hours
    after 几 / how many beside a duration is the unit of the answer, not a split by hour of day.
    A duration counted in days is answered in days, and said."""
    units = {duration_unit(ws.catalog, m) for m in metrics} - {None}
    if not units or "hour_of_day" not in p.dimensions:
        return []
    hours = [
        m
        for m in p.links.of("dimension")
        if m.term.target == "hour_of_day"
        and (m.phrase in ("小时", "hours", "hour") or _said_as_unit(p.links.text, m))
        and (
            _HOURS_ASKED.search(p.links.text[: m.start])
            or (m.phrase == "hours" and _HOURS_SPAN.match(p.links.text, m.end))
            or _said_as_unit(p.links.text, m)
        )
    ]
    said = [m for m in p.links.of("dimension") if m.term.target == "hour_of_day"]
    if not hours or len(hours) != len(said):
        return []
    p.dimensions = [d for d in p.dimensions if d != "hour_of_day"]
    p.links.mentions = [m for m in p.links.mentions if m not in hours]
    p.links.leftover = [w for w in p.links.leftover if w not in _HOW_MANY_UNITS]
    _extreme_of_duration(p, metrics, ws)
    units = {duration_unit(ws.catalog, m) for m in metrics} - {None}
    if units == {"hours"}:
        return []
    return [f"asked in hours: {', '.join(metrics)} is counted in days (× 24 for hours)"]


def _extreme_of_duration(p: Parsed, metrics: list[str], ws: Any) -> None:
    """ "今年从下单到签收最短用了几个小时": the extreme said of a duration whose hours were read
    as a split by hour of day (最短 ranking the hours) is the duration's own min / max once the
    hours are its unit — as "最短用了几天" reads — not its average (the ranking dropped)."""
    from shopql.catalog.families import measurable_of

    said = {m.term.value for m in p.links.of("modifier") if m.term.target == "agg"}
    if len(said) != 1 or not said & {"min", "max"} or len(metrics) != 1:
        return
    found = measurable_of(ws.catalog, metrics[0])
    agg = said.pop()
    if (
        found is None
        or found[0].kind != "duration"
        or found[1] == agg
        or agg not in found[0].metrics
    ):
        return
    if p.top_n or p.dimensions or p.modifiers.get("grain"):
        return
    metrics[:] = [found[0].metrics[agg]]
    for key in ("top", "bottom"):
        p.modifiers.pop(key, None)


def _said_as_unit(text: str, m: Any) -> bool:
    """ "上个月抖音的单付款后多久发货 按小时", "多久发货（小时）": 小时 said on its own beside a
    duration (按 / 以 / 用 before it, or in brackets) is the unit the duration is asked in, not a
    split by hour of day — that is said 每小时 / 各小时 / 几点 / "by hour of day"."""
    found = re.compile(_HOURS_AS_UNIT).search(text, max(0, m.start - 3), m.end + 4)
    return found is not None and found.start() <= m.start and m.end <= found.end()


# 天 said on its own as the unit of a duration asked how long: "多久发货 按天算", "（天）", 以天计
_DAYS_AS_UNIT = re.compile(
    r"(?:按|以|用)\s*(?:天|日)(?:\s*(?:算|计|来算|来计))?(?!\s*(?:看|分|统计|拆|排|的|走势|趋势))"
    r"|[(（]\s*(?:天|日)\s*[)）]"
)
_HOW_LONG = re.compile(r"多久|多长时间|\bhow long\b")


def _days_said_as_unit(p: Parsed, metrics: list[str], ws: Any) -> None:
    """ "上个月抖音的单付款后多久发货 按天": 按天 beside a duration asked how long (多久) is the
    unit the answer is asked in — as 按小时 is (`_said_as_unit`) —, not a series of each day's
    figure (30 rows to one figure asked). "每天的平均发货天数", "按天看" keep the daily series."""
    units = {duration_unit(ws.catalog, m) for m in metrics} - {None}
    if not units or p.modifiers.get("grain") != "day" or not _HOW_LONG.search(p.links.text):
        return
    grains = [m for m in p.links.of("modifier") if m.term.target == "grain"]
    said = [m for m in grains if _unit_span(p.links.text, m)]
    if not said or len(said) != len(grains):
        return
    p.modifiers.pop("grain", None)
    p.links.mentions = [m for m in p.links.mentions if m not in said]


def _unit_span(text: str, m: Any) -> bool:
    found = _DAYS_AS_UNIT.search(text, max(0, m.start - 2), m.end + 4)
    return found is not None and found.start() <= m.start and m.end <= found.end()


# what is left of "(平均)要几个小时 / 需要多少分钟" once the unit is read: the asking words
_HOW_MANY_UNITS = {
    "几",
    "几个",
    "多少",
    "多少个",
    "要几",
    "要几个",
    "需要几",
    "要多少",
    "需要多少",
    "要",
    "需要",
}
_UNIT_ASKED = re.compile(r"(?:要|需要)(?:几|多少)个?\s*(?:小时|钟头|天|分钟)")


def _duration_asked(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "下单到付款平均要几个小时", "平均要几天": 要几 asks the duration in the unit said after it
    (hours beside a duration: _duration_in_hours). Minutes are not: no duration is kept in
    minutes and an hours figure is not the number asked (几分钟 stays unplaced: 钟)."""
    units = {duration_unit(ws.catalog, m) for m in metrics} - {None}
    if units and _UNIT_ASKED.search(p.links.text):
        p.links.leftover = [w for w in p.links.leftover if w not in _HOW_MANY_UNITS]
    return []


_HOURS_SAID = re.compile(
    r"(?:几个?|多少个?)\s*小时|\bhow many hours\b|\bin hours\b|" + _HOURS_AS_UNIT, re.I
)


def _days_asked_in_hours(
    question: str, p: Parsed, metrics: list[str], ws: Any, said: list[str]
) -> list[str]:
    """ "上个月 付款后 平均几个小时 发货": a duration counted in days asked in hours (the words
    read as the duration's own) is answered in days, and that is said."""
    units = {duration_unit(ws.catalog, m) for m in metrics}
    if units != {"days"} or "hour_of_day" in p.dimensions or not _HOURS_SAID.search(question):
        return []
    if any(s.startswith("asked in hours") for s in said):
        return []
    return [f"asked in hours: {', '.join(metrics)} is counted in days (× 24 for hours)"]


# "卖的钱最多", "按金额", "订单有多少钱": a money word where nothing names money
MONEY_ASKED = {"钱", "金额", "总金额", "多少钱", "money", "花钱", "赚钱", "挣钱", "收钱"}
SELL_OR_BUY = re.compile(
    r"卖|买|销售|收|花|赚|挣|\b(?:sell|sold|selling|buy|bought|buying|make|made|earn|earned)\b"
    r"|\bcame in\b"  # "how much money came in"
)


def _per_order_average_of(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "今年京东平均每单收了多少运费", "平均每单收了多少优惠": an amount of the orders (freight, a
    discount) asked per order is that amount's average over the orders (avg_freight), not the
    order value beside the amount's total — when 平均每单 / "per order" was read as the order value
    only because a verb stood between it and the amount."""
    if len(metrics) != 2 or "aov" not in metrics:
        return metrics
    other = next(m for m in metrics if m != "aov")
    if not other.startswith("sum_") or f"avg_{other[4:]}" not in ws.catalog.metrics:
        return metrics
    said = [m.phrase for m in p.links.of("metric") if m.term.target == "aov"]
    if not said or not all(_PER_ORDER.search(w) for w in said):
        return metrics  # "客单价和运费": two figures asked
    aov = next(m for m in p.links.of("metric") if m.term.target == "aov")
    amount = next((m for m in p.links.of("metric") if m.term.target == other), None)
    if amount is not None and aov.end <= amount.start:
        if _ASKED_BETWEEN.search(p.links.text[aov.end : amount.start]):
            # "平均每单多少钱 运费多少": the order's value asked, then its freight (per order too)
            return ["aov", f"avg_{other[4:]}"]
    return [f"avg_{other[4:]}"]


# a question word ending the first figure's clause: "平均每单多少钱 运费多少", "平均每单多少，运费呢";
# not one that asks the amount itself ("平均每单收了多少优惠", "平均 每单 收 了 多少 运费")
_ASKED_BETWEEN = re.compile(r"(?:多少|几)\s*(?:钱|元|块)|(?:多少|几|\bhow much\b)\s*[，,、；;？?]")


_PER_ORDER = re.compile(r"每\s*(?:个|笔|张)?\s*(?:单|订单)|单均|\bper order\b|\beach order\b")


def _money_of_orders(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """A money word asked of orders is their amount: "voucher付的订单有多少钱" is the paid GMV of
    those orders, "一周里哪天卖的钱最多" and "哪个城市买得最多（按金额）" rank by it. Only a bare
    order count (or nothing) with a selling or buying verb, or orders named, becomes paid GMV.
    Not with a status named: the amount of cancelled or refunded orders is not what they paid
    (a credit note pays nothing; 取消的订单 were never paid), so that stays unplaced."""
    if _money_of_credit_notes(p, metrics, ws):
        return (
            ["orders", "refund_amount"] if _COUNT_ASKED.search(p.links.text) else ["refund_amount"]
        )
    if _money_of_refunded_orders(p, metrics, ws):  # their count too when it is asked
        counted = _COUNT_ASKED.search(p.links.text) or any(
            m.term.target in ("refunded_orders", "returned_orders")
            and m.phrase.endswith(("数", "count", "number"))
            for m in p.links.mentions
        )
        return ["orders", "refund_amount"] if counted else ["refund_amount"]
    if not metrics and p.filters and _HOW_MUCH_MADE.search(p.links.text):
        if not any(f.dimension == "status" for f in p.filters):  # "how much did retrospot make"
            return ["paid_gmv"]
    if not MONEY_ASKED & set(p.links.leftover) or any(f.dimension == "status" for f in p.filters):
        return metrics
    if metrics == ["orders"] and "placed_gmv" in ws.catalog.metrics and _said_as_placing(p):
        return ["placed_gmv"]  # "上个月 下单 金额": what was ordered (下单金额), by order time
    if metrics == ["orders"] or (not metrics and SELL_OR_BUY.search(p.links.text)):
        return ["paid_gmv"]
    if metrics == ["units"] and not p.metrics and _ranked_by_default(p):
        # "卖得最好的3个款 按金额", "which product made the most money": the best sellers by
        # amount, not pieces
        return ["paid_gmv"]
    return metrics


def _ranked_by_default(p: Parsed) -> bool:
    """Ranked with no metric named (units sold is then the default for products)."""
    return bool(p.top_n or p.modifiers.keys() & {"bestsellers", "top", "bottom"})


_PLACING = re.compile(r"^(?:下单|下的单|下了单|拍下|\bplaced\b|\bordered\b)$")


def _said_as_placing(p: Parsed) -> bool:
    """The orders are named only by the verb of placing them ("下单 金额", "下单的金额"): their
    money is what was ordered, by order time (下单金额), not what was paid by payment time."""
    said = [m.phrase for m in p.links.mentions if m.term.kind == "metric"]
    return bool(said) and all(_PLACING.match(w.strip()) for w in said)


# "how much did the retrospot range make in nov", "what did the heart range bring in": what a
# product word earned is its sales (the money word left unsaid)
_HOW_MUCH_MADE = re.compile(
    r"\b(?:how much|what)\b.*\b(?:make|made|makes|earn|earned|earns|bring|brought|brings)\b"
)
MONEY_OF_ROWS = {"金额", "总金额", "金额合计", "合计金额", "总额", "钱", "多少钱"}
MONEY_OF_ROWS_EN = re.compile(r"\b(?:value|values|amount|amounts|worth)\b")


def _money_of_credit_notes(p: Parsed, metrics: list[str], ws: Any) -> bool:
    """ "上个月被取消的发票总金额", "total value of C invoices in 2011", "monthly cancellations,
    count and value": the money of orders in a status whose orders are credit notes — never
    paid, each giving money back (Online Retail's C invoices) — is what they gave back (the
    refund amount), the only money they have. Where orders in that status were paid first (a
    refunded order elsewhere) their amount could be either, so it stays unplaced."""
    statuses = [f for f in p.filters if f.dimension == "status"]
    if not statuses or any(f.op != "in" for f in statuses) or p.excluded:
        return False
    valued = _order_value_said(p, metrics, ws)  # "被取消 的 发票 金额": their amount, summed
    if (
        metrics not in ([], ["orders"]) and not valued
    ) or "refund_amount" not in ws.catalog.metrics:
        return False
    said = MONEY_OF_ROWS & set(p.links.leftover)
    english = MONEY_OF_ROWS_EN.findall(_outside_mentions_text(p))
    if not said and not english and not valued:
        return False
    values = {str(v) for f in statuses for v in f.values}
    if not values or not values <= _credit_note_statuses(ws):
        return False
    counted = {"张数", "count"} if _COUNT_ASKED.search(p.links.text) else set()
    p.links.leftover = [w for w in p.links.leftover if w not in said | counted]
    return True


def _order_value_said(p: Parsed, metrics: list[str], ws: Any) -> bool:
    """The one metric is the sum of the orders' own amount, said by the amount's name ("发票金额",
    "order value" summed: paid GMV) — of credit notes, never paid, that sum is 0 by payment."""
    from shopql.catalog.families import measurable_of

    if metrics != ["paid_gmv"]:
        return False
    said = [m for m in p.links.of("metric") if m.term.target == "paid_gmv"]
    found = measurable_of(ws.catalog, "paid_gmv")
    if not said or found is None:
        return False
    names = {normalise(w) for w in [*found[0].synonyms, *found[0].label.values()]}
    return all(normalise(m.phrase) in names for m in said)


def _money_of_refunded_orders(p: Parsed, metrics: list[str], ws: Any) -> bool:
    """ "退单金额最多的国家", "refunded orders' value by month": the money of refunded orders where
    every refunded order is a credit note (never paid; Online Retail's C invoices) is what they
    gave back — they have no other money. Where refunded orders were paid first (the demo) their
    amount could be the payment or the refund, so the money word stays unplaced."""
    if metrics not in (["refunded_orders"], ["returned_orders"]) or p.excluded:
        return False
    if "refund_amount" not in ws.catalog.metrics:
        return False
    said = MONEY_OF_ROWS & set(p.links.leftover)
    english = MONEY_OF_ROWS_EN.findall(_outside_mentions_text(p))
    if not said and not english:
        return False
    statuses = _credit_note_statuses(ws)
    if not statuses or not _refunds_are_credit_notes(ws):
        return False
    counted = {"张数", "count"} if _COUNT_ASKED.search(p.links.text) else set()
    p.links.leftover = [w for w in p.links.leftover if w not in said | counted]
    # the credit notes themselves: a refund record of another kind of document (Online Retail's
    # bad-debt adjustments) is no refunded order's money
    p.filters.append(Filter("status", "in", tuple(sorted(statuses))))
    return True


def _refunds_are_credit_notes(ws: Any) -> bool:
    """Every order with money given back was never paid (a credit note), and there is one."""
    cached = ws.__dict__.get("_r_refunds_credit")
    if cached is not None:
        return bool(cached)
    try:
        row = (
            ws.reader()
            .execute(
                "SELECT count(*) FILTER (WHERE refund_amount > 0), "
                "count(*) FILTER (WHERE refund_amount > 0 AND paid_at IS NOT NULL) FROM orders"
            )
            .fetchone()
        )
        found = bool(row and row[0] and not row[1])
    except Exception:  # a warehouse without these columns
        found = False
    ws.__dict__["_r_refunds_credit"] = found
    return found


def _given_back_of_credit_notes(p: Parsed, ws: Any) -> str | None:
    """ "取消金额最大的3个客户", "top customers by cancelled value": people ranked within credit
    notes (never paid; Online Retail's C invoices) by their money rank by what was given back —
    their paid money is nothing, so a ranking by it finds no one. Their count ranks by orders."""
    if "person" not in ws.catalog.dimensions or "refund_amount" not in ws.catalog.metrics:
        return None
    statuses = _credit_note_statuses(ws)
    filtered = [f for f in p.filters if f.dimension == "status"]
    if not statuses or not filtered:
        return None
    if any(f.op not in ("in", "=") or not set(map(str, f.values)) <= statuses for f in filtered):
        return None
    if not _refunds_are_credit_notes(ws):
        return None
    said = MONEY_OF_ROWS & set(p.links.leftover)
    if not said and not MONEY_OF_ROWS_EN.findall(_outside_mentions_text(p)):
        return "orders"  # "取消单最多的5个客户": how many of them
    p.links.leftover = [w for w in p.links.leftover if w not in said]
    return "refund_amount"


def _credit_note_statuses(ws: Any) -> set[str]:
    """The order statuses whose orders are all unpaid and all give money back (credit notes),
    found in the data once per workspace session."""
    cached = ws.__dict__.get("_r_credit_notes")
    if cached is not None:
        return set(cached)
    found: set[str] = set()
    try:
        rows = ws.reader().execute(
            "SELECT status FROM orders WHERE status IS NOT NULL GROUP BY status "
            "HAVING count(paid_at) = 0 AND count(*) FILTER (WHERE refund_amount > 0) = count(*)"
        )
        found = {str(r[0]) for r in rows.fetchall()}
    except Exception:  # a warehouse without these columns: no credit notes known
        found = set()
    ws.__dict__["_r_credit_notes"] = tuple(found)
    return found


# "德国客户买的商品里", "客户 购买 的 东西", "customers bought": a bare people noun, then a buying
# verb and 的 / 得 — the people are the subject of a clause about what they bought
_PEOPLE_BOUGHT = re.compile(
    r"\s*(?:都|所|一共|总共)?\s*(?:买|购买|购入|采购|订购)\s*(?:了|过)?\s*(?P<de>[的得])"
    r"(?!\s*(?:客户|买家|顾客|用户|客人|人|是谁|有谁|有多少|有几))"
)


_PIECES_OF_THEM = re.compile(r"(?:多少|几)\s*件(?!\s*(?:的|以上|以下))")


def _people_who_bought_things(p: Parsed, metrics: list[str]) -> list[str]:
    """ "今年德国客户买的单价超过5镑的商品里 卖得最多的前3个", "德国客户买得最多的3个商品": the
    people word is the subject of what was bought (which products, ranked by what sold), not
    the number of buyers ranked — when products are what is asked (a product split, or the
    goods named right after the verb). "买过茶几的客户有多少" (the people after 的) is untouched."""
    if "buyers" not in metrics or p.modifiers.keys() & {"share", "distribution"}:
        return metrics
    things = _bought_clause(p)
    if things is None:
        return metrics
    p.modifiers["people_bought"] = True  # "买得最多": what sold the most to them
    gone = BUY_VERBS | (THINGS_WORDS if things else set())  # "买的东西": the goods they bought
    p.links.leftover = [w for w in p.links.leftover if w not in gone]
    return [m for m in metrics if m != "buyers"]


def _bought_clause(p: Parsed) -> bool | None:
    """Whether the one bare people word said ("客户") is followed by a buying verb and 的 / 得
    with products asked (a product split: False) or the goods said right after it ("买的东西":
    True); None when not."""
    said = [m for m in p.links.of("metric") if m.term.target == "buyers"]
    if len(said) != 1 or not _BARE_PEOPLE_NOUN.fullmatch(said[0].phrase):
        return None
    text = p.links.text
    bought = _PEOPLE_BOUGHT.match(text, said[0].end)
    if bought is None:
        return None
    # "买的东西", "买的 单价超过5镑的东西" (the threshold's words blanked before 的)
    things = re.sub(r"^[\s的]+", "", text[bought.end() :]).startswith(tuple(THINGS_WORDS))
    if not (set(p.dimensions) & set(PRODUCT_DIMS) or things):
        return None
    return things


def _people_of_a_value(p: Parsed, metrics: list[str]) -> list[str]:
    """ "revenue from MG customers", "上海客户的销售额": the people word right after a value says
    whose money it is (the value's people), not a second metric counting buyers."""
    if "buyers" not in metrics or len(metrics) < 2:
        return metrics
    mentions, text = p.links.mentions, p.links.text
    for k, m in enumerate(mentions[1:], start=1):
        before = mentions[k - 1]
        if k >= 2 and _value_with_its_name(mentions[k - 2], before, text):
            before = replace(mentions[k - 2], end=before.end)  # "SP州的客户": the value, named
        if m.term.kind == "metric" and m.term.target == "buyers" and before.term.kind == "value":
            between = text[before.end : m.start].strip()
            if _HOW_MANY_OF_THEM.match(text, m.end):
                continue  # "德国的客户有多少 销售额多少": how many of them, asked
            after = mentions[k + 1] if k + 1 < len(mentions) else None
            joined = _FIGURES_JOINED.match(text, m.end) and (
                after is None or after.term.kind != "value"
            )
            if joined or _NUMBER_OF.search(text, 0, before.start):
                # "France customers and sales", "number of French customers and …" — not "uk
                # customers and german customers" (a second value's people joined: whose money)
                continue
            # "瑞士和挪威的客户花了多少": 的 or nothing, and the bare people noun — never 客户数
            # or 买家数 (a count: "法国今年客户数和销售额" asks both figures)
            if between in ("", "的") and _BARE_PEOPLE_NOUN.fullmatch(m.phrase):
                return [x for x in metrics if x != "buyers"]
        if (
            m.term.kind == "value"
            and before.term.kind == "metric"
            and before.term.target == "buyers"
        ):
            # "how much did customers in Switzerland spend": whose money, said before the value
            asked = _HOW_MUCH_SPENT_BY.search(text[: before.start]) and _BARE_PEOPLE_NOUN.fullmatch(
                before.phrase
            )
            if asked and text[before.end : m.start].strip() in ("in", "from"):
                return [x for x in metrics if x != "buyers"]
    return metrics


# the people word joined to the next figure asked ("customers and sales", "客户和销售额"): a
# list of figures, the people counted; "number of" before the value counts them too
_FIGURES_JOINED = re.compile(r"\s*(?:和|与|跟|及|以及|、|,|，|\band\b|&)")
_NUMBER_OF = re.compile(r"(?:\bnumber of|\bhow many|\bcount of)\s*(?:the\s+)?$")


def _value_with_its_name(value: Any, name: Any, text: str) -> bool:
    """A value said with its own dimension's name right after it ("SP州", "上海市")."""
    if value.term.kind != "value" or name.term.kind != "dimension":
        return False
    return value.term.target == name.term.target and not text[value.end : name.start].strip()


_HOW_MANY_OF_THEM = re.compile(r"\s*(?:一共|总共|共|总)?\s*(?:有)?\s*(?:多少|几)(?!钱|块)")
_BARE_PEOPLE_NOUN = re.compile(r"客户|买家|顾客|用户|customers|buyers|clients|shoppers")
_HOW_MUCH_SPENT_BY = re.compile(r"\bhow much (?:did|do|does|have|had)\s*(?:the\s*)?$")


def _bestseller_measure(p: Parsed, other_dims: set[str], ws: Any) -> str:
    """What "卖得最好 / 卖得最多 / best-selling" ranks by when the question names no measure:
    products by the pieces sold (a product's units compare like with like); any other group
    (categories, provinces, sellers, platforms — "卖得最好的5个类目", "男装和女装哪个卖得好")
    by sales: pieces of a scarf and of a sofa do not add up to which category sells best."""
    said = [m.phrase for m in p.links.of("modifier") if m.term.target == "bestsellers"]
    # 销量最高 names its measure: 销量 is the pieces sold, whatever is ranked ("销量最高的品类" is the
    # category with the most units, as "销量最多的品类" and "各品类销量")
    if any("销量" in w for w in said):
        return "units"
    filtered = {f.dimension for f in p.filters if f.op == "in" and len(f.values) > 1}
    items = set(PRODUCT_DIMS) | {"sku", "outer_code"}
    groups = (other_dims | filtered) - items
    # periods are groups too ("17年哪个季度卖得最好": the quarter with the most sales), unless
    # products are ranked within each ("每月卖得最好的商品": pieces, as any product ranking)
    periods = p.modifiers.get("grain") and not set(p.dimensions) & items
    # "今年一季度和二季度哪个卖得多": the two periods named are the groups
    periods = periods or (
        p.two_periods and _WHICH_OF_TWO.search(p.links.text) and not set(p.dimensions) & items
    )
    if (groups or periods) and "paid_gmv" in ws.catalog.metrics:
        return "paid_gmv"
    # a product that sells BEST (卖得最好, 卖得好, 最好卖, "sold best") is the one that brings in
    # the most; the one sold the MOST (卖得最多, 销量最高, best-selling, 爆款) is by its pieces
    if said and all(_SELLS_WELL.search(w) for w in said) and "paid_gmv" in ws.catalog.metrics:
        return "paid_gmv"
    return "units"


_SELLS_WELL = re.compile(r"好|\b(?:sold|sells?|selling)\s+(?:the\s+)?(?:best|better)\b")


# the money paid, said with the paying verb and no metric: "微信 或 支付宝 付 的 一共 多少 钱",
# "用花呗付的金额"
_PAID_MONEY = re.compile(r"(?<![退])付(?:了|过)?\s*的?\s*(?:钱|金额)|(?<![退])付\s*的.*多少\s*钱")
_PAID_MONEY_WORDS = {"钱", "金额", "多少钱"}


def _money_paid(p: Parsed, ws: Any) -> list[str]:
    """No metric named, a money word left over and the paying verb said of it ("付的钱",
    "付的金额"): the money paid — the catalog's paid GMV (a value of how they paid narrows it)."""
    said = [w for w in p.links.leftover if w in _PAID_MONEY_WORDS]
    if not said or "paid_gmv" not in ws.catalog.metrics or not _PAID_MONEY.search(p.links.text):
        return []
    p.links.leftover = [w for w in p.links.leftover if w not in _PAID_MONEY_WORDS]
    return ["paid_gmv"]


def _money_made(p: Parsed, ws: Any) -> bool:
    """ "which product made the most money", "what country brought in the most", "哪个商品赚得
    最多": a ranking said with a verb of earning (lexicon MONEY_MADE) is by the money made (the
    sales), not the pieces sold, when no measure is named."""
    said = (" ".join(m.phrase.lower().split()) for m in p.links.of("modifier"))
    return "paid_gmv" in ws.catalog.metrics and any(w in MONEY_MADE for w in said)


_SELL_VERB = re.compile(r"^(?:sold|sell|sells|selling)$")
_PIECES = re.compile(r"\b(?:how many|units?|pieces?|items?|qty|quantity|quantities)\b")


def _how_much_sold(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "how much we sold of perfume in july" ("quanto vendemos"): money, as "how much did we
    sell" — the bare verb is not the units metric when the question asks how much, not how
    many (pieces)."""
    said = [m for m in p.links.of("metric") if m.term.target == "units"]
    if metrics != ["units"] or not said or not all(_SELL_VERB.match(m.phrase) for m in said):
        return metrics
    text = p.links.text
    if not re.search(r"\bhow much\b", text) or _PIECES.search(text):
        return metrics
    return ["paid_gmv"] if "paid_gmv" in ws.catalog.metrics else metrics


# the bare English "sales" as the topic, its measure said after it: "Ribbon sales in 2011 - total
# units?", "ribbon sales: how many units?", "ribbon sales (units)", "ribbon sales, in units"
_SALES_TOPIC = {"sales", "sale"}
_MEASURED_AS = re.compile(
    r"^\s*(?:[-–—:：?？]|,|\()?\s*(?:(?:the\s+)?(?:total|how many|number of|no\.? of|count of)"
    r"|(?:measured |counted )?in|as)\s+(?:the\s+)?(?:total\s+)?$"
)
# ... or a break alone before the measure that ends the question: "ribbon sales - units?",
# "ribbon sales (units)"
_MEASURE_ALONE = re.compile(r"^\s*(?:[-–—:：]|\()\s*$")
_MEASURE_ENDS = re.compile(r"^\s*(?:sold\s*)?[)?？.!]*\s*(?:please)?\s*[?？.!]*\s*$")


def _sales_counted_in_units(p: Parsed, metrics: list[str]) -> list[str]:
    """ "Ribbon sales in 2011 - total units?", "ribbon sales 2011: how many units?", "ribbon sales
    (units)", "ribbon sales in units": the bare word "sales" names what is asked about and the
    units said after it how it is counted — the pieces alone, not the money beside them. Joined
    by "and" ("ribbon sales and units") or with a third figure, both stay."""
    if sorted(metrics) != ["paid_gmv", "units"]:
        return metrics
    said = p.links.of("metric")
    if len(said) != 2:
        return metrics
    sales, units = said
    if sales.term.target != "paid_gmv" or units.term.target != "units":
        return metrics
    if sales.phrase.lower() not in _SALES_TOPIC:
        return metrics
    text = p.links.text
    between, after = text[sales.end : units.start], text[units.end :]
    if _MEASURED_AS.match(between) or (
        _MEASURE_ALONE.match(between) and _MEASURE_ENDS.match(after)
    ):
        return ["units"]
    return metrics


def _event_counted(p: Parsed, ws: Any) -> list[str]:
    """ "8月 星期几发货最多", "哪天付款最多": an event word the catalog's durations name (their
    `from` / `to` words: 发货 is the shipping, shipped_at), said bare with a ranking or a count and
    no metric, counts the rows that event happened to — the catalog's plain count of the
    model's own key dated by that event's time (shipped_orders: orders by ship time)."""
    catalog = ws.catalog
    found: dict[str, tuple[str, str]] = {}  # word -> (model, column)
    for m in catalog.measurables.values():
        if m.kind != "duration":
            continue
        for words, column in ((m.starts, m.start), (m.ends, m.end)):
            for w in p.links.leftover:
                if w in words and column:
                    found.setdefault(w, (m.model, column))
    if len(set(found.values())) != 1:
        return []
    (model_name, column) = next(iter(found.values()))
    model = catalog.models.get(model_name)
    if model is None or model.primary is None:
        return []
    names = []
    for metric in catalog.metrics.values():
        measure = catalog.measure(metric.measure or "")
        if metric.type != "simple" or metric.value_type != "count" or measure is None:
            continue
        if measure.model != model_name or measure.agg not in ("count", "count_distinct"):
            continue
        if measure.expr != model.primary.expr:
            continue
        time = model.dimensions.get(metric.time or model.default_time or "")
        if time is None or time.expr != column:
            continue
        if metric.filter and metric.filter.replace(" ", "").lower() != f"{column}isnotnull":
            continue
        names.append(metric.name)
    if len(names) != 1:
        return []
    p.links.leftover = [w for w in p.links.leftover if w not in found]
    return names


_BOUGHT_MOST = re.compile(r"买\s*[得的]\s*最\s*多|\b(?:bought|buys?)\s+(?:the\s+)?most\b")


def _bought_most(p: Parsed, ws: Any) -> list[str]:
    """ "饼干模具今年哪个国家买得最多", "which country bought the most cookie cutters": a group
    that buys the most is the one sold the most to — ranked as 卖得最多 ranks it (a group by its
    sales, products by their pieces). Not people ("买得最多的3个客户": the list of customers)."""
    if not p.dimensions or not _BOUGHT_MOST.search(p.links.text):
        return []
    if set(p.dimensions) & {"person", "customer", "buyer"}:
        return []
    if PEOPLE_NOUN.search(p.links.text) and not p.modifiers.get("people_bought"):
        return []
    measure = _bestseller_measure(p, set(p.dimensions), ws)
    return [measure] if measure in ws.catalog.metrics else []


def _sold_metric(p: Parsed) -> list[str]:
    """ "how many X did we sell": units; "how much did we sell": sales (not "how many platforms
    do we sell on": a count of something else)."""
    text = p.links.text
    if p.dimensions or not re.search(r"\b(sell|sold|selling|bring|brings|brought)\b", text):
        return []  # "how much did scarves bring in": their sales
    if re.search(r"\bhow many\b", text) and re.search(r"\b(sell|sold|selling)\b", text):
        return ["units"]
    return ["paid_gmv"] if re.search(r"\bhow much\b", text) else []


BUY_VERBS = {"买过", "买了", "购买过", "bought", "purchased", "下过单", "买", "购买"}
HOW_MANY_PEOPLE = {"多少人", "几个人", "人数", "how many people", "number of people", "people"}
PEOPLE_NOUN = re.compile(r"客户|买家|顾客|用户|人|\b(?:customers?|buyers?|people)\b")


def _people_counted(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "买过茶几的有多少人": people who bought, counted — the buyers metric with the filters,
    not every tagged person; "下单的客户有多少" is not the number of orders."""
    counted = {"buyers", "new_buyers", "returning_buyers", "repeat_buyers"} & set(metrics)
    said = [m.phrase for m in p.links.of("metric") if m.term.target == "tagged_persons"]
    if "tagged_persons" in metrics and counted and set(said) <= HOW_MANY_PEOPLE:
        # "上个月新买家和老买家分别有多少人", "抖音的新客比天猫多多少人": 多少人 is how those buyers
        # are counted, not a second figure (every tagged person, today; nor all the buyers)
        metrics = [m for m in metrics if m != "tagged_persons"]
    if "tagged_persons" in metrics and "buyers" in ws.catalog.metrics:
        bought = set(p.links.leftover) & BUY_VERBS
        if bought or p.filters or p.excluded:
            things = THINGS_WORDS if bought else set()  # "几个人买了东西": no product named
            p.links.leftover = [w for w in p.links.leftover if w not in BUY_VERBS | things]
            metrics = list(dict.fromkeys("buyers" if m == "tagged_persons" else m for m in metrics))
    bare_orders = [m for m in p.links.of("metric") if m.phrase == "下单"]
    if bare_orders and PEOPLE_NOUN.search(p.links.text):
        metrics = [m for m in metrics if m != "orders"]  # who ordered, not how many orders
    # the paying said as a word (付款 names the payments table too)
    paid = [m for m in p.links.mentions if m.term.kind == "table" and m.phrase in _PAY_WORDS]
    paid_left = set(p.links.leftover) & _PAY_WORDS
    ordered = _ORDERED.search(p.links.text)
    asked = ordered or paid or paid_left
    if metrics == ["tagged_persons"] and asked and "buyers" in ws.catalog.metrics:
        # "近7天有多少人下单(付款)", "有多少人付款": the people who bought in the period (buyers,
        # as 下过单的人), not every person tagged today
        p.links.leftover = [w for w in p.links.leftover if w not in _PAY_WORDS]
        p.links.mentions = [m for m in p.links.mentions if m not in paid]
        metrics = ["buyers"]
    if "tagged_persons" in metrics and _customers_of_a_period(p, ws):
        metrics = list(dict.fromkeys("buyers" if m == "tagged_persons" else m for m in metrics))
    per_buyer = [m for m in metrics if m in _PER_BUYER]
    people = [m.phrase for m in p.links.of("metric") if m.term.target == "buyers"]
    if (
        "buyers" in metrics
        and per_buyer
        and (p.filters or p.excluded)
        and set(p.links.leftover) & BUY_VERBS
        and people
        and set(people) <= _BUYERS_SAID
        and not _BUYERS_COUNTED.search(p.links.text)
    ):
        # "买过JUMBO BAG的客户 平均每人买了几个": the people are those averaged over (their
        # buyers), not a count beside the average
        metrics = [m for m in metrics if m != "buyers"]
    if metrics in (["buyers"], ["units_per_buyer"]) and (p.filters or p.excluded):
        # "今年买过茶杯的客户有多少", "上个月买过沙发的客户": the buyers of what the filters keep —
        # the buying verb says what buyers counts (as 买茶杯的客户); "买过JUMBO BAG的客户 平均每人
        # 买了几个": the pieces of those lines over their buyers (units_per_buyer, one filter)
        p.links.leftover = [w for w in p.links.leftover if w not in BUY_VERBS]
    return metrics


# the people said by their placing an order ("来下单的买家", "下单的顾客人数", "下单顾客数"), as the question
# says it; not a first order ("第一次下单的人": new buyers), nor 下过单 (of a condition, or
# 开过发票的客户 read so: the paying buyers)
_ORDERING_PEOPLE = re.compile(
    r"(?<![次过])(?:来)?下单(?:的\s*(?:买家|顾客|客户|客人|人)|\s*(?:买家|顾客|客户|客人))"
)


def _ordering_people(question: str, p: Parsed, query: SemanticQuery, ws: Any) -> SemanticQuery:
    """ "7月哪个时段来下单的买家最集中", "上个月哪一天来下单的顾客人数最多": the people who placed
    an order (by order time, paid or not: ordering_buyers, 下单买家数 — a credit note is no order
    placed), not those who paid one (buyers) — only the buyers counted, with no filter."""
    if query.metrics != ("buyers",) or p.filters or p.excluded or query.population is not None:
        return query
    if "ordering_buyers" not in ws.catalog.metrics:
        return query
    if not _ORDERING_PEOPLE.search(without_cjk_spaces(normalise(_AS_ASKED.get() or question))):
        return query
    order = tuple(
        OrderBy("ordering_buyers", o.descending) if o.name == "buyers" else o
        for o in query.order_by
    )
    return replace(query, metrics=("ordering_buyers",), order_by=order)


_PAY_WORDS = {"付款", "付了款", "支付", "付钱", "付了钱"}
_PER_BUYER = {"units_per_buyer"}  # a per-buyer figure of the lines the filters keep
_BUYERS_SAID = {"客户", "买家", "顾客", "客人", "customers", "buyers", "customer", "buyer"}
_BUYERS_COUNTED = re.compile(
    r"(?:客户|买家|顾客|客人)\s*(?:有|是|一共|共)?\s*(?:多少|几)|\bhow many (?:customers|buyers)\b"
)
_CUSTOMERS_BEFORE = re.compile(r"(?:客户|买家|顾客|客人)\s*$")


def _customers_of_a_period(p: Parsed, ws: Any) -> bool:
    """ "今年每个国家的客户人数", "上个月客户人数": the customers of a period, counted — the people
    who bought in it (buyers), not every person tagged today (a snapshot the period cannot apply
    to; was: all persons ever, under 今年). Not when a person tag is asked (RFM segment,
    lifecycle: the snapshot's own dimensions)."""
    if p.time is None or "buyers" not in ws.catalog.metrics:
        return False
    measure = ws.catalog.measure(getattr(ws.catalog.metrics["tagged_persons"], "measure", ""))
    tagged = getattr(measure, "model", None)
    named = list(p.dimensions) + [f.dimension for f in p.filters]
    dims = ws.catalog.dimensions
    if any(tagged in getattr(dims.get(d), "models", ()) for d in named):
        return False
    text = p.links.text
    return any(
        m.term.target == "tagged_persons"
        and (
            m.phrase == "客户人数"
            or (m.phrase == "人数" and _CUSTOMERS_BEFORE.search(text[: m.start]))
        )
        for m in p.links.of("metric")
    )


_ORDERED = re.compile(r"下单|下过单|下了单|\bordered\b|\bplaced (?:an? )?orders?\b")


def _return_verb_restated(p: Parsed, metrics: list[str]) -> list[str]:
    """ "customers who sent back something (C invoices)": beside another metric and a refunded
    status filter, a giving-back verb restates the status, not a second metric (refunds)."""
    from shopql.nlq.lexicon import RETURN_VERBS

    said = [m for m in p.links.of("metric") if m.phrase in RETURN_VERBS]
    refunded = any(f.dimension == "status" and "refunded" in f.values for f in p.filters)
    others = [m for m in metrics if m != "refund_amount"]
    if said and others and all(m.term.target == "refund_amount" for m in said):
        if refunded:
            return others
        # "customers who sent back something": the people who returned, not buyers beside
        # the refunds: a set question this reading does not answer, so the verb stays unplaced
        p.links.leftover.append(said[0].phrase)
    return metrics


SOLD_WORDS = {"卖出", "卖出去", "卖出的", "卖出去的", "售出", "售出的", "卖掉的", "卖掉"}
# the money per piece sold (paid sales / units sold): said with the verb of a sale beside it
PER_PIECE_SOLD = {"sales_per_unit"}
THINGS_WORDS = {"东西", "货"}  # "卖出去的东西": the goods sold, no product named
# "avg unit price of stuff sold": the English of 东西 beside the verb of a sale, no product named
THINGS_SOLD_EN = {"stuff", "things", "thing"}
_SOLD_EN = re.compile(r"\b(?:sold|we sold)\b")


def _sold_lines(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "十一月份卖出商品的平均单价", "average price of products sold in 2011", "卖出去的东西平均
    单价": a line measure of the goods sold is over the lines of paid orders by payment time (the
    catalog's sold_<measure>), and the product word the verb qualifies names those lines, not a
    breakdown by product."""
    text = p.links.text
    said = [w for w in p.links.leftover if w in SOLD_WORDS]
    if not said and not _SOLD_EN.search(text):
        return metrics
    swapped = []
    for m in metrics:
        agg, _, name = m.partition("_")
        sold = f"{agg}_sold_{name}"
        swapped.append(sold if name == "unit_price" and sold in ws.catalog.metrics else m)
    # "卖出的商品平均一件多少钱" (session 38): the money per piece sold (sales_per_unit) is over the
    # pieces sold already — the verb and the goods it names say it again, no breakdown by product
    per_piece = swapped == metrics and any(m in PER_PIECE_SOLD for m in metrics)
    if swapped == metrics and not per_piece:
        return metrics
    things = THINGS_WORDS | THINGS_SOLD_EN
    p.links.leftover = [w for w in p.links.leftover if w not in SOLD_WORDS | things]
    for d in p.links.of("dimension"):
        if d.term.target not in PRODUCT_DIMS:
            continue
        before = text[: d.start].rstrip().removesuffix("的").rstrip()
        after = text[d.end :].lstrip()
        verb = next((w for w in SOLD_WORDS if before.endswith(w)), "")
        if not verb and not after.startswith("sold"):
            continue
        if _PER_BEFORE_VERB.search(before[: len(before) - len(verb)] if verb else before):
            continue  # "每个卖出商品的平均单价": each product, a breakdown
        p.dimensions = [x for x in p.dimensions if x != d.term.target]
        if per_piece:  # the sales and the pieces of every line sold, as the metric reads them
            continue
        # the products sold: product lines (postage, manual and fee lines are no product)
        p.filters.append(Filter(d.term.target, "is not null"))
    return swapped


def _things_of_a_word(p: Parsed) -> None:
    """ "小鸟(BIRD)图案的东西卖了几件", "BIRD的东西": 东西 / 货 right after a product word (a title
    or category filter, its 的 and a 图案 / 款 between) are the goods that word names — no other
    thing asked."""
    words = [
        m
        for m in p.links.mentions
        if m.term.kind in ("value", "keyword") and m.term.target in (*PRODUCT_DIMS, "category")
    ]
    text = p.links.text
    for m in words:
        after = _THINGS_OF_A_WORD.match(text[m.end :])
        if after:
            # the kind word between ("宠物类的东西": 类) says the same goods: it goes with 东西
            kind = {after.group(1)} if after.group(1) else set()
            p.links.leftover = [w for w in p.links.leftover if w not in THINGS_WORDS | kind]
            return


# (was _THINGS_AFTER, the name of another pattern further down that took its place: 类的东西 was
# never read)
_THINGS_OF_A_WORD = re.compile(r"^\s*[)）]?\s*(图案|款式|款|系列|类|这类)?\s*的?\s*(?:东西|货)")


# the places a count of people's places asks: 客户分布在 / 在 / 来自 多少个城市, "customers in how
# many cities", "how many states do customers come from"
_PLACES_ASKED = re.compile(
    r"^\s*(?:分布在|分布于|遍布|来自|在)\s*$|^\s*(?:are\s+|were\s+)?(?:in|from)\s*$"
)
_PLACE_COUNTS = ("city_count", "province_count")


def _places_of_people(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "5月下单的客户 分布在多少个城市", "customers in how many cities in may": the people say whose
    places are counted (the places of the orders placed then) — no count of the people beside.
    "2017年 买家 分布 在 多少个 不同 城市": 买家 / buyers (with no 下单 said) are those who paid —
    the places of the orders paid then (as "有买家的城市" counts)."""
    if "buyers" not in metrics or not any(m in metrics for m in _PLACE_COUNTS) or len(metrics) != 2:
        return metrics
    text = p.links.text
    people = [m for m in p.links.of("metric") if m.term.target == "buyers"]
    places = [m for m in p.links.of("metric") if m.term.target in _PLACE_COUNTS]
    if len(people) != 1 or len(places) != 1 or people[0].end > places[0].start:
        return metrics
    gap = text[people[0].end : places[0].start]
    cue = re.sub(r"(?:how many|number of|多少个?|几个?)\s*(?:不同的?|different)?\s*$", "", gap)
    if cue == gap or not _PLACES_ASKED.match(cue):
        return metrics
    kept = [m for m in metrics if m != "buyers"]
    if _BUYER_WORD.search(people[0].phrase) and not _ORDERING_SAID.search(text):
        kept = [_paid_places(ws, m) for m in kept]
    return kept


_BUYER_WORD = re.compile(r"买家|buyers?\b", re.IGNORECASE)
_ORDERING_SAID = re.compile(
    r"下单|下过单|下了单|拍下|\b(?:ordered|placed|ordering)\b", re.IGNORECASE
)


def _paid_places(ws: Any, name: str) -> str:
    """The place count `name` of the paid orders, by payment time (`<name>__of_buyers`): the
    places of the buyers of the period. `name` kept when the catalog has no paid orders."""
    catalog = ws.catalog
    paid, base = catalog.metrics.get("paid_orders"), catalog.metrics.get(name)
    if paid is None or base is None or not paid.time or not paid.filter or base.filter:
        return name
    made = f"{name}__of_buyers"
    if made not in catalog.metrics:
        catalog.metrics[made] = replace(
            base,
            name=made,
            time=paid.time,
            filter=paid.filter,
            synonyms=[],
            description={
                lang: f"{text} ({'of the paid orders, by payment time' if lang == 'en' else '仅支付订单，按付款时间'})"
                for lang, text in base.description.items()
            },
            generated=True,
        )
    return made


# a sale said of the sellers counted: nlq/sellers.py SALE_SAID
# the counts of those who sell, counted by the orders' placing time unless a sale is said
_SELLING_COUNTS = ("seller_count",)


# "每个买家", "平均每位客户", "per buyer", "each customer": the things an average is taken over
_PER_BEFORE_COUNT = re.compile(
    r"(?:每|各)\s*(?:一)?\s*(?:个|位|名|家)?\s*$|\b(?:per|each|every)\s*$", re.IGNORECASE
)


# "哪单", "哪一单", "哪个订单", "哪笔", "which order": one order asked by who it is (its number),
# not 单品 / 单价 / 单量 said after 哪个
_WHICH_ORDER = re.compile(
    r"哪(?:一|几)?(?:个|笔|张)?(?:订单|发票|单|退货单|退款单)(?![品价件量位元号])|哪(?:一|几)?笔|哪几张|哪张(?![图表])"
    r"|\bwhich\s+(?:one\s+)?(?:order|invoice)\b(?!s|\s+(?:value|amount|total|count|status))",
    re.IGNORECASE,
)


_WHICH_ONE_SAID = re.compile(
    r"(?:单|发票|退货|退款)\S*?是哪(?:一)?(?:张|单|笔)(?![\u4e00-\u9fff]*?(?:商品|国家|客户|产品|月|天|类))"
)


def _refuse_which_order(question: str, p: Parsed, query: SemanticQuery, ws: Any) -> None:
    """ "上个月最贵的一单是哪单", "which order was the most expensive": the order itself (its
    number and amount) is asked; with no breakdown the answer would be a figure alone (the top
    order value), not which order it is. Orders are not listed one by one: refused."""
    if query.dimensions or query.grain or query.population is not None:
        return
    said = _WHICH_ORDER.search(re.sub(r"\s+", "", p.links.text)) or _WHICH_ORDER.search(
        p.links.text
    )
    # "金额最大的那张退货单是哪张 退了多少": 哪张 / 哪单 said alone of the invoices (orders) named
    said = said or _WHICH_ONE_SAID.search(re.sub(r"\s+", "", p.links.text))
    if said:
        why = (
            f"'{said.group(0)}' asks which order (its number): orders are listed one by one only"
            " ranked by a figure of their own (上个月最贵的5单, 运费最高的3单), not by this — ask"
            " the figure alone (最高订单金额)"
        )
        raise _not_understood(question, p, ws, why)


def _refuse_per_count_beside(question: str, p: Parsed, query: SemanticQuery, ws: Any) -> None:
    """ "今年每个买家平均付了多少运费", "freight per buyer": an average per buyer that no ratio
    reads — answered as the number of buyers beside the average freight of an order (or the
    total freight), two figures of which neither is the one asked. Refused, saying which
    average per what was not read."""
    if len(query.metrics) < 2:
        return
    text = p.links.text
    for m in p.links.mentions:
        if m.term.kind != "metric" or m.term.target not in query.metrics:
            continue
        metric = ws.catalog.metrics.get(m.term.target)
        if metric is None or metric.value_type != "count" or metric.type == "ratio":
            continue
        if _PER_BEFORE_COUNT.search(text[: m.start]):
            raise _not_understood(
                question,
                p,
                ws,
                f"an average per {m.phrase} of the other figure asked: no such ratio is read"
                f" (it would be {m.term.target} beside another figure, not one over the other)",
            )


# "how much did we sell to customers outside SP", "quanto vendemos para clientes": an amount
# asked (how much, not how many) of what people bought — their purchases, not a count of them
_HOW_MUCH = re.compile(r"\bhow much\b")
_HOW_MANY = re.compile(r"\bhow many\b|\bnumber of\b|\bcount\b")
# "SP以外的客户买了多少cama_mesa_banho": the people, a buying verb, then 多少 with no counter of
# people (几个客户, 多少人 count them)
# ... or paid (D, session 44): "买家一共付了多少钱" (付了多少钱 read as 支付金额多少), "顾客总共掏了多少钱"
# — the money paid, not the buyers beside it ("多少买家付了钱", "买家数和支付金额" keep their count)
_PEOPLE_BOUGHT_HOW_MUCH = re.compile(
    r"(?:客户|买家|顾客|用户|客人)\s*(?:一共|总共|总计|合计|累计)?\s*"
    r"(?:买|购买|消费|花|(?:付|掏|支付)(?:了)?\s*(?:的\s*)?(?:金额|钱)?)(?:了)?\s*(?:多少)"
    r"(?!\s*(?:个|位|名|人|家|件|单|笔|次|张|种|款|样))"
)


def _how_much_people_bought(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "How much did we sell of cama_mesa_banho to customers outside SP", "Quanto vendemos para
    clientes fora de SP", "SP以外的客户买了多少cama_mesa_banho": the money of what those people
    bought (sales), not the number of them (was the buyers, or the buyers beside the sales)."""
    from shopql.nlq.people import PEOPLE_METRICS

    people = [m for m in metrics if m in PEOPLE_METRICS]
    if len(people) != 1 or "paid_gmv" not in ws.catalog.metrics:
        return metrics
    text = p.links.text
    english = _HOW_MUCH.search(text) and not _HOW_MANY.search(text)
    if not (english or _PEOPLE_BOUGHT_HOW_MUCH.search(text)):
        return metrics
    if (
        people[0] != "buyers"
        or p.dimensions
        or p.top_n
        or p.modifiers.keys() & {"share", "top", "bottom"}
    ):
        return metrics
    money = [m for m in metrics if getattr(ws.catalog.metrics.get(m), "value_type", "") == "money"]
    if money:
        return [m for m in metrics if m != people[0]]
    if len(metrics) > 1:
        return metrics  # "客户买了多少件": pieces beside them, not money
    return ["paid_gmv"]


def _count_dated_by_event(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "how many cities did we ship to last month", "上个月发货到了多少个城市": a plain distinct
    count of things, in a period, with an event word nothing else placed (ship, 发货, 送达) is
    the count of those of the rows that event dates in the period — the cities of the orders
    shipped then, not of those placed then (timebasis: an event word beside a count)."""
    from shopql.nlq.timebasis import dated_count, event_among_a_set, event_words

    if p.time is None or len(metrics) != 1 or p.dimensions:
        return metrics
    words = event_words(ws.catalog)
    said = [w for w in p.links.leftover if w in words]
    if len(said) != 1:
        return metrics
    if event_among_a_set(said[0], p.links):  # "上个月取消的单里 有几单付过款": not read
        return metrics
    dated = dated_count(ws.catalog, metrics[0], words[said[0]])
    if dated is None:
        return metrics
    p.links.leftover = [w for w in p.links.leftover if w != said[0]]
    return [dated]


_COUNT_BEFORE = re.compile(r"(?:\bhow many|\bnumber of|多少|几)\s*(?:个|家|位)?\s*$", re.IGNORECASE)
_AND_BETWEEN = re.compile(r"\band\b|\bor\b|和|及|与|跟|还有|[,，、;；]", re.IGNORECASE)
# ... or said inside the orders' own phrase ("how many orders were paid by customers in october":
# the orders counted, was: the customers alone, 1,364 as "how many orders")
_COUNT_SAID = re.compile(r"(?:how many|number of|多少|几)", re.IGNORECASE)


def _things_of_event_orders(p: Parsed, query: SemanticQuery, ws: Any) -> SemanticQuery:
    """ "how many cities did we ship orders to last month", "上个月发货的订单分布在多少个城市": the
    orders an event word dates (shipped orders) said as what a counted thing is of — the cities
    of the orders shipped then (the count dated by the event), not the city count beside the
    number of shipped orders. Two figures when both are counted ("how many orders and cities").
    Sellers ("上个月发货的订单有多少卖家", "how many sellers had orders shipped"), counted per
    order line, are those with a line of an order the event dates; people ("上个月送达的订单有
    多少个客户") those with such an order, whatever they paid (the people of orders placed)."""
    from shopql.nlq.timebasis import dated_count

    metrics = list(query.metrics)
    if p.time is None or len(metrics) != 2 or p.dimensions or p.modifiers.get("share"):
        return query
    if query.dimensions or query.grain or query.compare or query.having or query.population:
        return query
    said = [m for m in p.links.of("metric") if m.term.target in metrics]
    if len({m.term.target for m in said}) != 2 or len(said) != 2:
        return query
    text = p.links.text
    for orders, thing in ((said[0], said[1]), (said[1], said[0])):
        metric = ws.catalog.metrics.get(orders.term.target)
        time = getattr(metric, "time", None)
        if metric is None or not time or getattr(metric, "measure", None) != "order_count":
            continue
        a, b = sorted((orders, thing), key=lambda m: m.start)
        counted = _COUNT_BEFORE.search(text[: orders.start]) or _COUNT_SAID.match(orders.phrase)
        if counted or _AND_BETWEEN.search(
            text[a.end : b.start]
        ):  # "how many orders did we ship … and to how many cities": both counted, the
            # things too by the event's time (the cities of the orders shipped then)
            both = dated_count(ws.catalog, thing.term.target, time)
            if both is None:
                continue
            return replace(
                query, metrics=tuple(both if x == thing.term.target else x for x in metrics)
            )
        dated = dated_count(ws.catalog, thing.term.target, time) or _people_of_orders_dated(
            thing.term.target, metric, ws
        )
        if dated is not None:
            _spread_counted(p)  # "分布在多少个城市": how many, not a breakdown
            return replace(query, metrics=(dated,))
        if thing.term.target == "seller_count" and metric.filter:
            _spread_counted(p)
            return _sellers_of_dated_orders(query, metric.name, ws)
    return query


def _people_of_orders_dated(name: str, orders: Any, ws: Any) -> str | None:
    """The people with an order `orders` dates (by its event time) — the count of people of the
    orders whatever their status (customers_with_orders), dated by that event — when `name`
    counts people over the same rows; None otherwise."""
    from shopql.nlq.people import PEOPLE_METRICS
    from shopql.nlq.timebasis import dated_count

    catalog = ws.catalog
    people = catalog.metrics.get(name)
    if name not in PEOPLE_METRICS or people is None or not orders.filter:
        return None
    own = catalog.measure(people.measure or "")
    model = catalog.measures[orders.measure].model
    if own is None or own.model != model:
        return None
    plain = [
        m.name
        for m in catalog.metrics.values()
        if m.type == "simple"
        and not m.filter
        and not getattr(m, "generated", False)
        and m.measure in catalog.measures
        and catalog.measures[m.measure].model == model
        and catalog.measures[m.measure].agg == "count_distinct"
        and catalog.measures[m.measure].expr == own.expr
        and not getattr(catalog.measures[m.measure], "having", None)
    ]
    return dated_count(catalog, plain[0], str(orders.time)) if len(plain) == 1 else None


def _sellers_of_dated_orders(query: SemanticQuery, orders: str, ws: Any) -> SemanticQuery:
    """The sellers with an order line of an order the event of `orders` (shipped_orders) dates
    in the period: each order line's own seller (as seller_count counts them), the orders by
    the event's time — the groups by seller with some of those orders, counted."""
    if "shop" not in ws.catalog.dimensions:
        return query
    return replace(
        query,
        metrics=(orders,),
        dimensions=("shop",),
        filters=(*query.filters, Filter("shop", "is not null", ())),
        extra={**query.extra, "known_only": ("shop",), "line_seller": "counts"},
        having=(Filter(orders, ">", (0,)),),
        of_groups="count",
        line_seller=True,
    )


_SPREAD_COUNTED = re.compile(r"^\s*(?:在|到)?\s*(?:多少|几)")


def _spread_counted(p: Parsed) -> None:
    """ "分布在多少个城市": 分布 said before a count word asks how many places, as "分布在多少个
    城市" does of people (_places_of_people), not a breakdown over them."""
    said = [m for m in p.links.of("modifier") if m.term.target == "distribution"]
    if p.modifiers.get("distribution") and said:
        if all(_SPREAD_COUNTED.match(p.links.text[m.end :]) for m in said):
            p.modifiers.pop("distribution", None)


_STATUS_SAID = re.compile(r"\bstatus|\bstate of|状态", re.IGNORECASE)


def _status_said_as_event(p: Parsed, query: SemanticQuery, ws: Any) -> SemanticQuery:
    """ "how many sellers shipped something last month", "how many cities delivered to in
    august": a status word that is also an event verb (shipped, delivered), said as what the
    counted things did in the period, is the event (the sellers of the orders shipped then: the
    count dated by it), not the orders still in that status now. Kept as the status when the
    status is named ("in shipped status") or when anything else is asked beside."""
    from shopql.nlq.timebasis import dated_count, event_words

    if query.time_range is None or len(query.metrics) != 1 or len(query.filters) != 1:
        return query
    if query.dimensions or query.grain or query.compare or query.extra:
        return query
    said = [m for m in p.links.of("value") if m.term.target == query.filters[0].dimension]
    f = query.filters[0]
    if len(said) != 1 or f.op != "in" or len(f.values) != 1 or f.dimension != "status":
        return query
    if _STATUS_SAID.search(p.links.text):
        return query
    time = event_words(ws.catalog).get(said[0].phrase.strip().lower())
    if not time:
        return query
    dated = dated_count(ws.catalog, query.metrics[0], time)
    if dated is not None:
        return replace(query, metrics=(dated,), filters=())
    dated_orders = [
        m.name
        for m in ws.catalog.metrics.values()
        if m.type == "simple" and m.measure == "order_count" and m.time == time
    ]
    if query.metrics[0] != "seller_count" or len(dated_orders) != 1:
        return query
    return _sellers_of_dated_orders(replace(query, filters=()), dated_orders[0], ws)


def _sellers_who_sold(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "quantos vendedores venderam em junho", "how many sellers made a sale in q1", "2018年有几个
    卖家卖过香水": the sellers with a sale in the period — their lines paid then (the count dated
    by payment, as the sales are), not the sellers of the orders placed then."""
    from shopql.catalog.families import dated_by

    if not _SALE_SAID.search(p.links.text):
        return metrics
    paid = getattr(ws.catalog.metrics.get("paid_orders"), "time", None)
    out = []
    for m in metrics:
        metric = ws.catalog.metrics.get(m)
        if m in _SELLING_COUNTS and paid and metric is not None and metric.time is None:
            m = dated_by(ws.catalog, m, paid, "a sale said")
        out.append(m)
    return out


_PER_BEFORE_VERB = re.compile(r"(?:每个|每一个|每|各个|各|\beach|\bper|\bby)\s*$")


UNDONE_STATUSES = {"refunded", "cancelled"}


def _people_of_undone_orders(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "customers with a C invoice", "how many customers had cancelled orders": the people of
    those orders. Buyers counts people with a paid order, and a credit note (Online Retail's C
    invoice) or a cancelled order is never paid: 0 would answer another question. Counted over
    the orders in that status themselves (customers_with_orders), by order time."""
    statuses = [f for f in p.filters if f.dimension == "status" and f.op == "in"]
    if "buyers" not in metrics or "customers_with_orders" not in ws.catalog.metrics:
        return metrics
    if not statuses or not all(set(f.values) <= UNDONE_STATUSES for f in statuses):
        return metrics
    return ["customers_with_orders" if m == "buyers" else m for m in metrics]


# refunds counted by 笔 (transactions): "退了多少笔款", "退款有几笔", "退款多少笔"
_REFUND_STROKES = re.compile(
    r"退\s*(?:款|了|过)?\s*(?:一共|总共|共计|总计|合计|共)?\s*(?:有)?\s*(?:多少|几)\s*笔\s*(?:款|退款)?"
)
_STROKE_CHARS = set("退款了过有几多少笔一共总计合")
# the money asked beside the strokes: "退款一共多少笔 多少钱" (each asked: the records and the amount)
_STROKES_AND_MONEY = re.compile(
    r"笔[^，,。；;？?]{0,6}?(?:多少\s*钱|几块钱|多少金额|金额多少|多少元)"
)


def _refunds_counted_by_the_stroke(p: Parsed, metrics: list[str]) -> list[str]:
    """ "上季度一共退了多少笔款", "退款有几笔": 笔 counts refund transactions — the refund records
    (an order refunded line by line is several), not the money refunded nor the orders."""
    bare = [m for m in p.links.of("metric") if m.term.target == "refund_amount"]
    if metrics not in ([], ["refund_amount"]) or (metrics and not bare):
        return metrics
    if any(re.sub(r"\s*(?:多少|几)$", "", m.phrase) not in BARE_REFUND_WORDS for m in bare):
        return metrics  # "退款金额有几笔": the money named
    if not _REFUND_STROKES.search(p.links.text):
        return metrics
    p.links.leftover = [w for w in p.links.leftover if not set(w) <= _STROKE_CHARS]
    if _STROKES_AND_MONEY.search(p.links.text):
        return ["refund_records", "refund_amount"]
    return ["refund_records"]


def _orders_beside_buyers(p: Parsed, metrics: list[str], ws: Any) -> list[str]:
    """ "每月开票的客户数和发票数", "buyers and orders by month": the orders counted beside the
    buyers are those buyers' sales — the paid orders, by payment time as the buyers are — not
    every order placed (Online Retail's C invoices, unpaid or cancelled orders elsewhere), which
    would set two bases side by side in one row."""
    if not {"orders", "buyers"} <= set(metrics) or "paid_orders" not in ws.catalog.metrics:
        return metrics
    if any(f.dimension == "status" for f in p.filters + p.excluded):
        return metrics  # "C invoices and their customers": the orders in that status
    return ["paid_orders" if m == "orders" else m for m in metrics]


# the refunds' money with the orders as their scope, no count asked: "total refunds on Tmall
# orders", "refunds of Tmall orders", "天猫订单的退款", "天猫订单退款总额" — the refund amount, not
# the refunded orders counted ("how many Tmall orders had refunds", "多少订单退款" stay counts)
_REFUNDS_OF_ORDERS = re.compile(
    r"\b(?:total|sum of(?: the)?|value of(?: the)?|amount of)\s+refunds?\b"
    r"|\brefunds?\s+(?:on|of|for|from|against|across)\s+(?:[a-z0-9_'-]+\s+){0,3}?orders?\b"
    r"|订单的退款|退款(?:的)?(?:总额|总金额|金额|多少钱|合计|总计)"
)
_ORDERS_TIMED = re.compile(
    r"\borders?\s+(?:that\s+were\s+|that\s+|which\s+|we\s+)?(?:placed|paid|made|created|bought|ordered|received|sold)\b"
    r"|(?:下|付款?|支付|成交)了?的[^的，,\s]{0,6}?(?:订单|单子?)的?退款"
)
_REFUNDS_COUNTED = re.compile(
    r"\bhow many\b|\bnumber of\b|\bcount\b|\bcounted\b|几单|多少单|单数|几个订单|多少个订单|多少订单"
    r"|几笔|多少笔|几张|多少张|几次|多少次|占比|比例|比率|\brate\b|\bshare\b|%"
)


def _refunds_of_orders(p: Parsed, metrics: list[str]) -> list[str] | None:
    """The refund amount alone when the orders only say whose refunds they are and no count is
    asked (see _REFUNDS_OF_ORDERS); None when the question is not so said."""
    if "refund_amount" not in metrics or not {"orders", "paid_orders"} & set(metrics):
        return None
    text = p.links.text
    if not _REFUNDS_OF_ORDERS.search(text) or _REFUNDS_COUNTED.search(text):
        return None
    timed = _ORDERS_TIMED.search(text)
    if timed:
        # "refunds on orders placed last month": the period is the orders', not the refunds' —
        # which refunds (by their own time or their orders') is not said: left unplaced
        p.links.leftover.append(timed.group(0))
    return [m for m in metrics if m not in ("orders", "paid_orders")]


def _refunded_orders(p: Parsed, metrics: list[str]) -> list[str]:
    """A bare refund word beside an order count ("多少订单退款", "orders with a refund"): the
    refunded orders, not all orders beside the refund amount."""
    bare = any(
        m.term.target == "refund_amount" and m.phrase in BARE_REFUND_WORDS
        for m in p.links.of("metric")
    )
    if not bare or not {"orders", "paid_orders"} & set(metrics):
        return metrics
    money = _refunds_of_orders(p, metrics)
    if money is not None:
        return money
    swapped = [
        "refunded_orders" if m in ("orders", "paid_orders") else m
        for m in metrics
        if m != "refund_amount"
    ]
    return list(dict.fromkeys(swapped))


def _dimensions(p: Parsed, ws: Any) -> list[str]:
    filtered = {f.dimension for f in p.filters}
    dims: list[str] = []
    for d in p.dimensions:
        if d in PRODUCT_DIMS and names_kind_of_filtered_products(p, filtered):
            continue  # "圣诞商品的销售额", "christmas products sales": one figure, not per product
        if d in PRODUCT_DIMS and _names_kind_of_threshold(p):
            continue  # "单价500以上的商品卖了几件": the products the threshold keeps, one figure
        if _names_a_values_kind(p, d, ws):
            continue  # "卖家在PR州": 州 says what PR is (the filter may be the seller's state)
        d = ranked_product_dimension(ws) if d in PRODUCT_DIMS else d
        per_value = d in filtered and _per_filtered_value(p, d)  # "家具各类目的销售额"
        if d not in dims and (d not in filtered or per_value) and d in ws.catalog.dimensions:
            dims.append(d)
    versus = any(f.op == "in" and len(f.values) > 1 for f in p.filters)  # 男装和女装哪个卖得好
    # "今年一季度和二季度哪个卖得多": the 哪个 picks one of the two periods named, not a product
    versus = versus or bool(p.two_periods and _WHICH_OF_TWO.search(p.links.text))
    # "what sold the most", "what made the most money": nothing named, the products ranked
    who = re.search(r"\bwho(?:m)?\b|谁", p.links.text)  # "who made us the most money": people
    sold = p.modifiers.get("bestsellers") or (
        _money_made(p, ws) and not _ranks_customers(p) and not who
    )
    if sold and not dims and not p.modifiers.get("grain") and not versus:
        dims.append(ranked_product_dimension(ws))
    return dims


_WHICH_OF_TWO = re.compile(r"哪个|哪一个|谁|\bwhich\b(?!\s+(?:products?|items?|goods|skus?)\b)")
_PER_WORD = re.compile(r"^(?:各|每|按|分|by\b|each\b|per\b|every\b)")
_PER_BEFORE = re.compile(r"(?:各|每个|每|按|分|\bby|\beach|\bper|\bevery)\s*$")


def _per_filtered_value(p: Parsed, dimension: str) -> bool:
    """ "家具各类目的销售额", "sales of SP and RJ by state", "furniture sales by category": a
    breakdown asked (各 / by) of a dimension whose filter keeps several values is one row per
    value kept, not their total."""
    several = any(
        f.dimension == dimension and f.op == "in" and len(f.values) > 1 for f in p.filters
    )
    if not several:
        return False
    text = p.links.text
    return any(
        _PER_WORD.match(m.phrase.lower()) or _PER_BEFORE.search(text[: m.start])
        for m in p.links.of("dimension")
        if m.term.target == dimension
    )


def _names_a_values_kind(p: Parsed, dimension: str, ws: Any) -> bool:
    """The dimension's word right after a value of that dimension ("PR州", "SP state"): it
    names the value's kind, not a breakdown — also when the filter went to another dimension
    of the same values (the seller's state)."""
    mentions, text = p.links.mentions, p.links.text
    for k, m in enumerate(mentions[1:], start=1):
        before = mentions[k - 1]
        if m.term.kind != "dimension" or m.term.target != dimension or before.term.kind != "value":
            continue
        if m.phrase.startswith(("哪", "which", "what")):  # "除了英国 哪个国家": asked, not a kind
            continue
        if m.phrase.startswith(("各", "每", "each", "every", "by ")):  # "除了英国 各国": per each
            continue
        if text[before.end : m.start].strip():
            continue
        terms = ws.vocabulary.terms.get(before.phrase, [])
        if any(t.kind == "value" and t.target == dimension for t in terms):
            return True
    return False


def _own_event_word(p: Parsed, metrics: list[str], ws: Any) -> None:
    """An event word left over that names the time the one metric is already counted by
    ("orders placed in March", "longest delivery for an order placed march 2018": the order
    date) says the period's basis the query uses: placed. Another metric's time stays unplaced
    (timebasis.resolve reads a counterpart metric where the catalog has one)."""
    if len(metrics) != 1 or p.time is None:
        return
    from shopql.nlq.timebasis import event_words

    own = _own_time(metrics[0], ws)
    words = event_words(ws.catalog)
    if own is not None:
        p.links.leftover = [w for w in p.links.leftover if words.get(w) != own]


PLUS_WORDS = {"加", "加上", "plus"}
STUFF_WORDS = {"stuff", "things"}
MARKET_WORDS = ("市场", "那边", "这边")  # 德国市场11年逐月营收: Germany


def _kind_after_value(p: Parsed, ws: Any) -> None:
    """A Chinese character left over right after a value that begins a name of the value's own
    dimension ("手表礼品类": 类 of 类目/类别, "巴伊亚州") says what the value is: placed."""
    text, left = p.links.text, p.links.leftover
    values = p.links.of("value")
    for m, n in zip(values, values[1:], strict=False):  # "RJ加MG一共多少买家": RJ and MG
        if text[m.end : n.start].strip() in PLUS_WORDS and m.term.target == n.term.target:
            left[:] = [w for w in left if w != text[m.end : n.start].strip()]
    for m in [*values, *p.links.of("keyword")]:
        after = re.match(r"\s*([a-z]+)", text[m.end :])
        if after and after.group(1) in STUFF_WORDS and after.group(1) in left:
            left.remove(after.group(1))  # "furniture/decor stuff", "linen stuff": their things
        market = next((w for w in MARKET_WORDS if text.startswith(w, m.end)), None)
        if market in left:
            left.remove(market)
        c = text[m.end : m.end + 1]
        if not c or c not in left or c.isascii():
            continue
        if any(
            t.kind == "dimension" and t.target == m.term.target
            for phrase, terms in ws.vocabulary.terms.items()
            if len(phrase) > 1 and phrase[0] == c
            for t in terms
        ):
            left.remove(c)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _word_label(m: Any, zh: bool = False) -> str:
    """A product word's row label: the words said, or (Latin words said in the plural, "jumbo
    bags") what the titles are matched on ("jumbo bag"); a Latin word said in a Chinese
    question for a Chinese title word ("落地灯 和 side table": 边几) is labelled by that word."""
    value = m.term.value
    if zh and isinstance(value, str) and m.phrase.isascii() and _CJK.search(value):
        return value
    if isinstance(value, str) and m.phrase.isascii():
        written = value.lower()
        if m.phrase.lower() != written and m.phrase.lower().startswith(written):
            return written
    if isinstance(value, str) and m.phrase.lower().startswith(value.lower()):
        if _THINGS_AFTER.fullmatch(m.phrase[len(value) :]):  # "KITCHEN的东西": KITCHEN
            return value.lower() if value.isascii() else value
    return str(m.phrase)


# what may follow a product word in its mention and names no product of its own ("KITCHEN的东西")
_THINGS_AFTER = re.compile(r"\s*的?\s*(?:东西|商品|产品|货|物品|系列)")


_THRESHOLD_OPS = (">", ">=", "<", "<=", "between")


def _names_kind_of_threshold(p: Parsed) -> bool:
    """ "近30天单价500以上的商品卖了几件": the product word right after a threshold on the lines
    (its words taken out of the text, only 的 left before it) says which products are kept, not
    a split by product — unless something asks to rank, split or list them."""
    if not any(f.op in _THRESHOLD_OPS for f in p.filters) or p.top_n:
        return False
    if p.modifiers.keys() & {"top", "bottom", "bestsellers", "distribution", "share", "growth"}:
        return False
    products = [m for m in p.links.of("dimension") if m.term.target in PRODUCT_DIMS]
    if len(products) != 1:
        return False
    head = p.links.text[: products[0].start].strip()
    # "德国客户买的单价超过5镑的商品": the threshold's words blanked right before 的 商品 — what
    # was said before them (the buyers, the country) filters the lines, it splits nothing
    gap = head.split()[-1] if head.split() else ""
    if _EACH_AFTER.match(p.links.text[products[0].end :]):
        return False  # "单价超过5镑的商品各卖了多少件": each product's
    return (head in KIND_GAPS or gap in KIND_GAPS) and not head.endswith(PER_WORDS)


_EACH_AFTER = re.compile(r"\s*(?:各|分别|每个|每款|每样|\beach\b|\brespectively\b)")


def ranked_product_dimension(ws: Any) -> str:
    """Products are counted by their key across platforms (the SPU, `product`), not by line
    title; the answer shows each SPU's title beside it (nlq/comparisons.py)."""
    return "product" if "product" in ws.catalog.dimensions else product_dimension(ws)


_OVER = {"month over month": "month", "mom": "month", "week over week": "week", "wow": "week"}
_OVER.update({"month-over-month": "month", "week-over-week": "week"})
_UNIT_DAYS = {"month": 31, "week": 7}


def _over_grain(p: Parsed) -> None:
    """ "customers growth month over month in 2011": each month against the one before, not
    2011 against 2010 (the unit the phrase names is the grain when the period is longer)."""
    units = {_OVER[m.phrase] for m in p.links.of("modifier") if m.phrase in _OVER}
    tr = p.time
    if len(units) != 1 or _grain(p) or tr is None or tr.start is None or tr.end is None:
        return
    unit = units.pop()
    if (tr.end - tr.start).days > _UNIT_DAYS[unit]:
        p.modifiers["grain"] = unit


# "日均销售额", "平均每天卖多少", "daily avg sales", "average monthly orders": the average per
# unit of the period (catalog/compiler._mean), said by an average word with the unit's word
_MEAN_UNIT = {"日": "day", "天": "day", "day": "day", "daily": "day", "周": "week"}
_MEAN_UNIT.update({"week": "week", "weekly": "week", "月": "month", "个月": "month"})
_MEAN_UNIT.update({"month": "month", "monthly": "month"})
_MEAN = re.compile(
    r"(日|周|月)均"
    r"|平均(?:每|一)(天|日|周|个月|月)|(?:每|一)(天|日|周|个月|月)(?:的)?平均"
    r"|\b(?:avg|average|mean)\s+(daily|weekly|monthly)\b"
    r"|\b(daily|weekly|monthly)\s+(?:avg|average|mean)s?\b"
    # "was an average weekend day or weekday bigger": each kind of day's average (C, session 41)
    r"|\b(?:avg|average|mean)\s+(?:weekend\s+|week\s*|business\s+|working\s+)(day)s?\b"
    r"|\b(?:avg|average|mean)\b[\w\s']{0,30}?\b(?:per|a|each)\s+(day|week|month)\b"
    r"|\b(?:per|a|each)\s+(day|week|month)\s+on\s+average\b"
    r"|\bon\s+average\s+(?:per|a|each)\s+(day|week|month)\b"
)
_MEAN_WORDS = {"avg", "average", "mean", "平均", "日均", "周均", "月均", "on", "的"}


def _mean_per_unit(p: Parsed) -> None:
    """ "日均销售额", "周末日均销售 vs 工作日日均", "平均每天卖多少钱", "daily avg sales last month",
    "average orders per day": one figure per group, the total over the period's calendar units
    (catalog/compiler._mean), not a row per day. Read only where the average word was left
    unplaced (平均配送天数 is its own metric) and the unit agrees with any grain said."""
    units, spans = set(), []
    for m in _MEAN.finditer(p.links.text):
        units |= {_MEAN_UNIT[g] for g in m.groups() if g}
        spans.append(m.group(0))
    said = [w for w in p.links.leftover if any(a in w for a in _MEAN_WORDS - {"on", "的"})]
    said = [w for w in said if any(w in span for span in spans)]
    grain = p.modifiers.get("grain")
    if len(units) != 1 or not said or (grain and grain not in units) or _compare(p):
        return
    unit = units.pop()
    p.modifiers["grain"] = unit
    p.modifiers["mean"] = (unit, said)
    p.links.leftover = [w for w in p.links.leftover if not any(w in span for span in spans)]


# the catalog's 30-day daily units (a stock-cover figure: the 30 days before the range's end)
# named by its general words, and what those words ask of a period said beside them
_WINDOW_DAILY = "daily_units_30d"
_WINDOW_DAYS = 30


def _window_mean_of_period(p: Parsed) -> None:
    """ "今年日均销量", "下半年 日均销量", "average daily sales in H2": the period's own average
    per day (its units, or its sales: "sales" is money, as "avg daily sales" reads), not the 30
    days before the period's end that daily_units_30d counts (was: this year's figure = the last
    30 days'). No period ("日均销量": the stock-cover figure), or units over a period of 30 days
    ("近30天日均销量": the same figure), keep it; a comparison beside it too; a grain other than
    the day ("今年每月日均销量": was the last 30 days once, in November's row) is left unplaced."""
    said = [m for m in p.links.of("metric") if m.term.target == _WINDOW_DAILY]
    tr = p.time
    if (
        len(said) != 1
        or p.metrics.count(_WINDOW_DAILY) != 1
        or tr is None
        or tr.start is None
        or tr.end is None
        or _compare(p)
    ):
        return
    phrase = said[0].phrase
    money = re.search(r"\bsales\b", phrase, re.IGNORECASE) and not re.search(
        r"units?|pieces|销量|件", phrase, re.IGNORECASE
    )
    if not money and (tr.end - tr.start).days == _WINDOW_DAYS:
        return
    p.metrics[p.metrics.index(_WINDOW_DAILY)] = "paid_gmv" if money else "units"
    if p.modifiers.get("grain") not in (None, "day"):
        p.links.leftover = [*p.links.leftover, phrase]  # not understood: refused, named
        return
    p.modifiers["grain"] = "day"
    p.modifiers["mean"] = ("day", [phrase])


def _mean_query(p: Parsed, query: SemanticQuery, ws: Any) -> SemanticQuery:
    """The average per unit read by _mean_per_unit, for sums and counts over a bounded period
    (an average of an average or of a rate is left unplaced: not understood)."""
    said = p.modifiers.get("mean")
    if not said:
        return query
    unit, words = said
    metrics = [ws.catalog.metrics.get(m) for m in query.metrics]
    measures = [ws.catalog.measure(m.measure or "") if m else None for m in metrics]
    tr = query.time_range
    if (
        query.compare
        or p.top_n
        or p.modifiers.get("top")
        or p.modifiers.get("bottom")
        or p.modifiers.get("bestsellers")
        or p.modifiers.get("share")
        or tr is None
        or tr.start is None
        or tr.end is None
        or not all(
            m is not None
            and m.type == "simple"
            and not m.window_days
            and ms is not None
            and ms.agg in ("sum", "count", "count_distinct")
            for m, ms in zip(metrics, measures, strict=True)
        )
    ):
        p.links.leftover = [*p.links.leftover, *words]
        return query
    return replace(query, grain=unit, of_groups="mean")


_WHICH_DAY = {"哪天", "哪一天", "which day"}


def _which_named_day(p: Parsed) -> None:
    """ "周四跟周五比哪天卖得多": "which day" of named days of the week asks which of them (one
    row each), not each date (the day grain "哪天" says alone)."""
    said = [m for m in p.links.of("modifier") if m.term.target == "grain"]
    named = [f for f in p.filters if f.dimension == "day_of_week" and len(f.values) > 1]
    if named and said and all(m.phrase in _WHICH_DAY for m in said):
        p.modifiers.pop("grain", None)


def _grain(p: Parsed) -> str | None:
    grain = p.modifiers.get("grain")
    if grain:
        return str(grain)
    if p.modifiers.get("trend"):
        tr = p.time
        if tr and tr.start and tr.end and (tr.end - tr.start).days <= 62:
            return "day"
        return "month"
    return None


def _refuse_year_before_of_over_a_year(
    question: str, p: Parsed, query: SemanticQuery, ws: Any
) -> None:
    """ "去年同期 (去年1月1号到今天) 卖了多少": the period read is longer than a year (去年1月1号 to
    today, 700 days) and compared with the same days a year before — the 今天 of the words in
    brackets is last year's, which is not read: two spans of almost two years, overlapping, for a
    question about one year's days. A year-before comparison of more than a year is refused."""
    span = query.time_range
    if query.compare != "year_over_year" or span is None or not span.start or not span.end:
        return
    if (span.end - span.start).days <= 366:
        return
    raise _not_understood(
        question,
        p,
        ws,
        f"the same period a year before of '{span.label}', a period of more than a year"
        f" ({span.start.date()} → {span.end.date()}): which days are meant is not read"
        " (say the dates of the year before, e.g. 去年1月1号到去年12月1号)",
    )


def _compare(p: Parsed) -> str | None:
    value = p.modifiers.get("compare") or p.two_periods
    return str(value) if value else None


# two sets of orders said side by side, each with its own qualifier: "取消的单和送达的单",
# "取消的订单与已送达订单" — the first qualified by a 的 clause (退货单数和订单数: two counts whose
# ratio is read)
_TWO_SETS_OF_ORDERS = re.compile(
    r"的(?:订单|单子|单)(?:数)?\s*(?:和|与|跟|及|以及|还有)\s*[^\s和与跟及,，的]{1,6}的?(?:订单|单子|单)"
)


def _refuse_two_sets_of_orders(question: str, p: Parsed, ws: Any) -> None:
    """ "上个月取消的单和送达的单 比例是多少": two sets of orders, each qualified on its own (a
    status, an event), joined by 和 with a share or ratio asked — the one over the other, which
    no share of one value in the whole reads (was the cancelled share of the delivered orders'
    count, both counted by the delivery time). Refused: say which is the part of which."""
    said = _TWO_SETS_OF_ORDERS.search(re.sub(r"\s+", "", p.links.text))
    if said:
        why = (
            f"'{said.group(0)}' names two sets of orders: the ratio of one to the other is not"
            " read — ask each count (上个月取消的订单数, 上个月送达的订单数)"
        )
        raise _not_understood(question, p, ws, why)


def _refuse_status_of_one_side(question: str, query: SemanticQuery, p: Parsed, ws: Any) -> None:
    """ "8月取消订单数和支付订单数之比", "cancelled orders divided by paid orders": one count over
    another with a status said of the first — the status kept both counts (the cancelled orders
    over the cancelled paid ones: 45 / 45 = 1.0, B, session 44). Which set each count is of is not
    read: refused."""
    if not query.extra.get("share_of_metric") or len(set(query.metrics)) < 2:
        return
    got = [ws.catalog.metrics.get(m) for m in query.metrics[:2]]
    if all(m is not None and m.type == "simple" for m in got):
        a, b = got
        own = {c.strip().lower() for c in (a.filter or "").split(" AND ") if c.strip()}
        whole = {c.strip().lower() for c in (b.filter or "").split(" AND ") if c.strip()}
        measure = ws.catalog.measures.get(a.measure or "")
        on_orders = getattr(measure, "model", None) == "orders"  # not events' funnels (disjoint)
        if on_orders and a.measure == b.measure and not whole <= own:
            # "8月订单数和支付订单数之比": the orders counted within the paid orders (by their
            # payment, 6620 / 6620 = 1.0) — a whole narrower than its part answers nothing asked
            why = (
                f"{query.metrics[0]} over {query.metrics[1]}, a narrower count of the same orders:"
                " the ratio of one set of orders to another is not read — ask each count"
            )
            raise _not_understood(question, p, ws, why)
    status = [f for f in query.filters if f.dimension == "status"]
    if status:
        said = ", ".join(str(v) for f in status for v in f.values)
        why = (
            f"one count over another with the status {said} said of one of them: the ratio of one"
            " set of orders to another is not read — ask each count"
        )
        raise _not_understood(question, p, ws, why)


_WHICH_GROUP = re.compile(
    r"哪个|哪一个|哪种|哪一种|哪家|哪一家|哪款|哪一款|\bwhich\s+[a-z]+[^s\s]\b"
)


def _extreme_held_by_which(p: Parsed, query: SemanticQuery, ws: Any) -> SemanticQuery:
    """ "今年卖出去最贵的一件商品多少钱 是哪个品类的", "which category was the priciest item sold
    in": one extreme (the highest unit price sold), asked which group holds it — the group
    whose own extreme is the highest (lowest), one row, not every group's extreme. Only when
    nothing else ranks and the extreme is one measurable's max (min)."""
    if query.order_by or query.limit or query.grain or len(query.dimensions) != 1:
        return query
    if len(query.metrics) != 1 or query.compare or query.having or query.extra:
        return query
    if p.top_n or p.modifiers.keys() & {"top", "bottom", "bestsellers", "share"}:
        return query
    name = query.metrics[0]
    aggs = {
        agg
        for m in ws.catalog.measurables.values()
        for agg, metric in m.metrics.items()
        if metric == name and agg in ("max", "min")
    }
    if len(aggs) != 1 or not _WHICH_GROUP.search(p.links.text):
        return query
    highest = aggs == {"max"}
    ties = tuple(OrderBy(d, False) for d in query.dimensions)
    return replace(query, order_by=(OrderBy(name, highest), *ties), limit=1)


def _ranked(query: SemanticQuery, p: Parsed) -> SemanticQuery:
    """Order and limit for top-N / bottom-N / rankings."""
    ranking = (
        p.top_n
        or p.modifiers.get("top")
        or p.modifiers.get("bottom")
        or p.modifiers.get("bestsellers")
    )
    if not ranking or not query.dimensions or query.grain:
        return query
    n = p.top_n or DEFAULT_TOP
    ascending = bool(p.modifiers.get("bottom"))
    ties = tuple(OrderBy(d, False) for d in query.dimensions)  # stable ranks on ties
    return replace(query, order_by=(OrderBy(query.metrics[0], not ascending), *ties), limit=n)


def _buyer_profile(p: Parsed, ws: Any) -> Understanding:
    """Top products by units (or the metric asked), then the profile of their buyers."""
    metric = next((m for m in p.metrics if m in ("units", "item_paid_gmv", "paid_gmv")), "units")
    if metric == "paid_gmv":
        metric = "item_paid_gmv"
    query = SemanticQuery(
        metrics=(metric,),
        dimensions=(product_dimension(ws),),
        time_range=p.time,
        filters=tuple(p.filters + p.excluded),
        order_by=(OrderBy(metric, True), OrderBy(product_dimension(ws), False)),
        limit=p.top_n or DEFAULT_TOP,
    )
    recognised = describe(query, ws) + [
        "then: the buyers of those products by province, member level, platform, new vs returning"
    ]
    return Understanding(
        query, compound="buyer_profile", recognised=recognised, ignored=_ignored(p)
    )


# which of two periods is higher (C, session 35): "7月和8月的客单价哪个高一点", "10月和11月哪个
# 月退货单更多" — a comparative after 哪个 / 谁 / which, softened or not (一点, 一些, 点, 些)
_WHICH_ZH = re.compile(r"哪个|哪一个|哪边|谁|\bwhich\b")
_SOFTENED = re.compile(r"^(?:更)?(.+?)(?:一点|一些|点|些)?$")


def _which_of_two_periods(p: Parsed, query: SemanticQuery) -> None:
    """A comparative asked of exactly two whole periods of the breakdown's unit (one row each,
    no other breakdown, nothing ranked): each row is the answer, the comparative is placed —
    never beside a ranking or a longer range ("今年哪个月客单价高": the top month, another reading)."""
    left = [w for w in p.links.leftover if (m := _SOFTENED.match(w)) and m.group(1) in _MORE_LESS]
    if not left or not _WHICH_ZH.search(p.links.text):
        return
    if query.dimensions or query.limit or query.grain is None:  # sorted (the larger first): kept
        return
    tr = query.time_range
    if tr is None or tr.start is None or tr.end is None or len(query.metrics) != 1:
        return
    from shopql.catalog.timephrase import shift

    if shift(tr.start.date(), query.grain, 2) != tr.end.date():
        return
    p.links.leftover = [w for w in p.links.leftover if w not in left]


_MORE_LESS = {"高", "低", "多", "少", "大", "小", "好", "贵", "便宜", "快", "慢"}
_MORE_LESS |= {"higher", "lower", "more", "less", "bigger", "smaller", "better", "worse"}


def _ignored(p: Parsed) -> list[str]:
    return unplaced(p.links.leftover)


def _people(question: str, ws: Any, p: Parsed, place: int | None) -> Understanding | None:
    """The set question over people (OneID) `question` asks, or None. One whose set phrases are
    found only across spaces typed between Chinese words, when not a set question as typed (or
    one refused), is the question without those spaces read whole (people.joined_across_spaces);
    that reading answers only if understood whole — else the first reading stands."""
    from shopql.nlq.people import understand_people

    try:
        first = understand_people(question, ws, p, place)
    except NotUnderstood:
        again = _joined(question, ws)
        if again is None:
            raise
        return again
    if first is None:
        return _joined(question, ws)
    if first.query.population is not None and _set_phrase_across_spaces(question, ws):
        # "今年 买了5次以上的 新 客户 有多少", "… 的 复购 客户": a set phrase said across the
        # typed spaces that the typed reading took as something else (the new-buyer metric
        # counted as all buyers, 复购 as the repurchase rate) — the words read whole say it
        again = _joined(question, ws)
        if again is None:
            said = _set_phrase_across_spaces(question, ws)
            raise NotUnderstood(
                "the offline engine cannot answer this: the set phrase said across the spaces "
                f"typed between its words ({said}) was not understood with the rest",
                [said],
                suggestions_for(question, p, ws),
            )
        return again
    return first


def _refuse_two_comparisons(question: str, p: Parsed, ws: Any) -> None:
    """ "11月销售额 环比 涨了百分之几 同比", "上个月增速最快的品类 (环比) 同比增长多少": two
    different comparisons said (the period before and a year before, by their words or by the
    two periods named) — one of them would be dropped (the first word said wins), so refused."""
    said = {m.term.value for m in p.links.of("modifier") if m.term.target == "compare"}
    if p.two_periods in ("previous_period", "year_over_year"):
        said.add(p.two_periods)
    said &= {"previous_period", "year_over_year"}
    if len(said) > 1:
        why = "two comparisons asked at once (with the period before and with a year before)"
        raise _not_understood(question, p, ws, why)


def _refuse_change_dropped(question: str, p: Parsed, ws: Any, what: str) -> None:
    """The answers of one period over people ("10月花钱最多的前3个客户", "bought a pillow but
    never a 四件套") with a change asked beside ("环比增长多少", "compared with last year") or a
    split by period ("每个月花钱最多的客户"): it would be dropped, answering the one period
    alone — refused."""
    changed = p.modifiers.keys() & {"compare", "growth", "trend", "distribution", "grain"}
    if changed or p.two_periods:
        asked = ", ".join(sorted(changed)) or "two periods"
        why = f"{what} with {asked} is beyond the offline engine"
        raise _not_understood(question, p, ws, why)


def _set_phrase_across_spaces(question: str, ws: Any) -> str:
    """The set phrases naming a kind of people ("新 客户", "复购 客户", "老 买家") found only
    across spaces typed between the Chinese words of `question`, joined by ", "; "" when none."""
    from shopql.nlq.linking import normalise
    from shopql.nlq.people import corrected, find_cues

    fixed = normalise(corrected(question))
    typed = find_cues(fixed).cues
    across = [  # the kinds of people whose words, apart, are metrics of their own (新客户:
        # new_buyers, 复购: the repurchase rate); never a typed cue's words read once more
        c
        for c in find_cues(fixed, True).cues
        if c.across
        and c.kind in _PEOPLE_KIND_CUES
        and not any(t.start < c.end and c.start < t.end for t in typed)
    ]
    return ", ".join(c.text for c in across)


_PEOPLE_KIND_CUES = {"first_order", "returning", "orders"}


def _joined(question: str, ws: Any) -> Understanding | None:
    from shopql.nlq.people import joined_across_spaces

    joined = joined_across_spaces(question)
    if joined is None:
        return None
    try:
        u = understand(joined, ws)
    except NotUnderstood:
        return None
    if not u.confident:
        return None
    u.recognised.insert(0, f"read without the spaces between Chinese words: {joined!r}")
    return u


def _refuse_day_before_of_a_span(question: str, p: Parsed, query: SemanticQuery, ws: Any) -> None:
    """ "今年哪天的营业额比前一天跌得最多" is each day against the day before it (per day), "8月31日比
    前一天" that day against the one before; the same of weeks (比前一周). Said of a longer span
    with no day (week) asked of it ("8月的营业额比前一天"), which day is compared with which is not
    said: refused, not read as the span before it (the month before)."""
    from shopql.nlq.lexicon import DAY_BEFORE, WEEK_BEFORE

    said = {
        m.phrase.lower()
        for m in p.links.of("modifier")
        if (m.term.target, m.term.value) == ("compare", "previous_period")
    }
    for phrases, grain, days, word, asked in (
        (DAY_BEFORE, "day", 1, "day", "哪天 / 每天"),
        (WEEK_BEFORE, "week", 7, "week", "哪周 / 每周"),
    ):
        if not said & set(phrases) or query.grain == grain:
            continue
        time = p.time
        if time is not None and time.start and time.end and (time.end - time.start).days <= days:
            continue
        raise _not_understood(
            question,
            p,
            ws,
            f"compared with the {word} before, but no {word} is asked of the period (ask {asked},"
            f" which {word}, or name one {word}; 环比 alone compares the period with the one "
            "before it)",
        )


def _not_understood(question: str, p: Parsed, ws: Any, why: str) -> NotUnderstood:
    unknown = _ignored(p)
    said = f"; did not understand: {', '.join(repr(w) for w in unknown)}" if unknown else ""
    return NotUnderstood(
        f"the offline engine cannot answer this: {why}{said}",
        unknown,
        suggestions_for(question, p, ws),
    )


def would_answer(question: str, ws: Any) -> bool:
    """Whether the offline engine would answer `question` (understood with every word placed,
    compiled with the catalog, its period within the data), without running it: suggestions
    offered with a refusal pass this (nlq/reading.py)."""
    memo = _answers_known(ws)
    if memo is not None and question in memo:
        return memo[question]
    answers = _would_answer(question, ws)
    if memo is not None:
        memo[question] = answers
    return answers


def _answers_known(ws: Any) -> dict[str, bool] | None:
    """The questions already checked by `would_answer` on `ws` (the same suggestions are
    checked for refusal after refusal), kept while the workspace holds the same catalog (and as
    many metrics and measures: reading a question may add one), vocabulary and today; None when
    `ws` cannot keep them."""
    own = getattr(ws, "__dict__", None)
    if own is None:
        return None
    try:
        catalog, vocabulary, today = ws.catalog, ws.vocabulary, ws.today
        sizes = (len(catalog.metrics), sum(len(m.measures) for m in catalog.models.values()))
    except Exception:  # a broken catalog: nothing is kept
        return None
    held = (catalog, vocabulary, today, sizes)
    kept = own.get("_answers_known")
    if kept is None or any(
        a is not b if i < 2 else a != b for i, (a, b) in enumerate(zip(kept[0], held, strict=True))
    ):
        kept = own["_answers_known"] = (held, {})
    return kept[1]


def _would_answer(question: str, ws: Any) -> bool:
    from shopql.catalog.compiler import compile_query
    from shopql.nlq.periods import check

    try:
        u = understand(question, ws)
        if not u.confident:
            return False
        compiled = compile_query(ws.catalog, replace(u.query, extra={}), today=ws.today)
        check(ws, compiled, question)
    except Exception:  # a refusal, or anything else: not a question to offer
        return False
    return True


_reading.ANSWER_CHECKS.append(would_answer)
