"""Unit and measure words placed by the metric they agree with ("多少天" beside a duration,
"多少钱" beside money, "几张" beside invoices): shared by the offline reading and the people
reading (nlq/people.py), so neither imports the other."""

from __future__ import annotations

import re
from typing import Any

from shopql.nlq.behaviour import catalog_people_twin
from shopql.nlq.families import bare, counters_of, duration_unit, verbs_of
from shopql.nlq.lexicon import HARMLESS_CHARS, METRIC_UNIT_WORDS, PIECE_WORDS, UNIT_WORDS
from shopql.nlq.reading import Parsed

SINGLE_ROW_WORDS = {"single", "单笔", "一笔", "单张", "单次"}
PER_ORDER_AGGS = {("orders", "avg"), ("orders", "median")}
# the times an event happened, said of a count of behaviour events (one with a people twin:
# cart_events beside cart_visitors): "加购的次数", "收藏了几次"
EVENT_TIMES_WORDS = {"次", "次数", "回"}
PER_ORDER_WORDS = {"每单", "每笔", "单均", "per order", "每个订单", "每笔订单"}


# a metric over paid orders only (the lowest order value: paid_at IS NOT NULL) says "paid" itself
PAID_WORDS = {"付过款", "付了款", "付款了", "已付款", "付过钱", "付了钱", "付款", "付过款的"}
_PAID_ONLY = re.compile(r"(?<![\w.])(?:\w+\.)?paid_at\s+is\s+not\s+null", re.IGNORECASE)


def place_units(p: Parsed, metrics: list[str], ws: Any) -> None:
    """Unit words that agree with an asked metric are placed ("多少天" beside a duration, "多少钱"
    beside money, 单 beside orders); any other stays unplaced (件 beside an average unit price)."""
    placed = agreeing_words(p, metrics, ws)
    if placed:  # "几张", "多少笔": a count said with its measure word
        p.links.leftover = [
            w
            for w in p.links.leftover
            if (w not in placed and bare(w) not in placed and not made_of(w, placed))
            or _noun_not_counted(w, p.links.text)
        ]


# the measure words of a change's amount ("涨了多少件", "多了几单", "差多少钱"): each says what is
# counted, so it must agree with the figure compared (nlq/offline.py _delta_asked)
CHANGE_UNITS = {"单", "件", "笔", "张", "元", "块", "天"}


def agreeing_words(p: Parsed, metrics: list[str], ws: Any) -> set[str]:
    """The unit and measure words that agree with one of `metrics` (what place_units places)."""
    placed: set[str] = set()
    for name in metrics:
        metric = ws.catalog.metrics.get(name)
        if metric is not None:
            unit = duration_unit(ws.catalog, name) or metric.value_type  # pay_hours: 小时
            placed |= UNIT_WORDS.get(unit, set()) | METRIC_UNIT_WORDS.get(name, set())
            measure = ws.catalog.measure(metric.measure or "")
            per_order = measure is not None and (measure.model, measure.agg) in PER_ORDER_AGGS
            if per_order or name == "aov":  # "平均每单优惠": an average over orders is per order
                placed |= PER_ORDER_WORDS
            if measure is not None and measure.agg in ("max", "min"):  # one row's amount
                placed |= SINGLE_ROW_WORDS  # "biggest single payment", "单笔运费最高"
            placed |= counters_of(ws.catalog, name)  # 几家卖家, 多少款商品: the entity's 量词
            placed |= verbs_of(ws.catalog, name)  # 下过单 beside buyers, 下了多少单
            if _PAID_ONLY.search(getattr(metric, "filter", None) or ""):
                placed |= PAID_WORDS  # "付过款的订单里 金额最低那单": its orders are the paid ones
            if catalog_people_twin(ws.catalog, name) is not None:
                placed |= EVENT_TIMES_WORDS  # "被加购的次数最多": the events counted, times
            per_buyer = getattr(metric, "denominator", None) in _BUYER_COUNTS  # 人均消费
            if (name in _BUYER_COUNTS or per_buyer) and _BOUGHT_PEOPLE.search(p.links.text):
                placed.add("买过")  # "上个月买过的客户有多少": the people who bought then;
                # "在抖音买过的客户 平均每人花了多少": the buyers a per-buyer figure is over
    return placed


# the measure words of pieces that are nouns too (包 a bag, 瓶 a bottle, 台 a machine): placed
# by a count of pieces only where said after a number or 几 / 多少 / 每 ("卖了几包", "3瓶"), never
# said alone ("上个月 包 的件数": the bags, not every piece sold — was dropped)
_COUNTED_BEFORE = r"(?:\d|[一二两三四五六七八九十百千万几]|多少|每)\s*"


def _noun_not_counted(word: str, text: str) -> bool:
    if word not in PIECE_WORDS:
        return False
    return re.search(_COUNTED_BEFORE + re.escape(word), text) is None


# a bare 买过 right before the people it describes, with no word that makes it a set ("都买过",
# "又买过", "没买过" are the people sets'): the buyers counted ("上个月买过的客户有多少")
_BUYER_COUNTS = {"buyers", "paid_buyers"}
_BOUGHT_PEOPLE = re.compile(
    r"(?<![都也又没未再还])买过(?:的)?(?:客户|买家|顾客|用户|人|会员)"
    r"|(?:多少|几)(?:个|位|名)?(?:客户|买家|顾客|用户)买过(?:[吗呢？?。]|$)"  # "有多少客户买过"
)


def made_of(word: str, placed: set[str]) -> bool:
    """A Chinese leftover glued from placed words and particles only ("开几张": 开 + 几 + 张,
    "会下": 会 + 下, beside a count of invoices or orders): placed too. One character no rule
    knows keeps the whole word unplaced."""
    if word.isascii():
        return False
    known = {w for w in placed if w and not w.isascii()}
    # can[i]: word[:i] splits into known pieces and particles — with a known piece (2) or
    # particles only (1: "这种" is no placed word; 0: no split)
    can = [1] + [0] * len(word)
    for i in range(1, len(word) + 1):
        if can[i - 1] and word[i - 1] in HARMLESS_CHARS:
            can[i] = can[i - 1]
        for k in known:
            if len(k) <= i and can[i - len(k)] and word.endswith(k, 0, i):
                can[i] = 2
    return can[-1] == 2
