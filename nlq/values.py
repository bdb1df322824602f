"""The value index: warehouse values a question may name ("广东" → province '广东省', "天猫" →
platform 'tmall', a category, a product), with their aliases, and fuzzy matching for the rest.

Only non-PII columns are indexed, so nothing personal ever reaches a prompt. The index is built
with one DISTINCT query per column and cached in the workspace, keyed by the warehouse's version.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shopql.nlq.linking import STOPWORDS_EN, Mention, Term, Vocabulary, is_latin, normalise

# (dimension, SQL giving one text column of candidate values, how many distinct values at most)
SOURCES: tuple[tuple[str, str, int], ...] = (
    ("platform", "SELECT DISTINCT platform FROM orders", 100),
    ("status", "SELECT DISTINCT status FROM orders", 100),
    ("payment_channel", "SELECT DISTINCT payment_channel FROM orders", 200),
    (
        "province",
        "SELECT DISTINCT province FROM orders UNION SELECT DISTINCT province FROM customers",
        500,
    ),
    ("city", "SELECT DISTINCT city FROM customers", 10_000),
    ("member_level", "SELECT DISTINCT member_level FROM customers", 100),
    (
        "category",
        "SELECT DISTINCT category FROM order_items UNION SELECT DISTINCT category FROM products",
        2_000,
    ),
    ("brand", "SELECT DISTINCT brand FROM products", 2_000),
    (
        "product_title",
        "SELECT DISTINCT title FROM products UNION SELECT DISTINCT title FROM order_items",
        20_000,
    ),
    ("shop_name", "SELECT DISTINCT name FROM shops", 500),
)
CATEGORY_NAMES = "SELECT category, name_en, name_zh FROM category_names"

PLATFORM_ALIASES = {
    "tmall": ["天猫", "tmall", "t-mall", "天猫商城"],
    "taobao": ["淘宝", "taobao", "淘宝网"],
    "jd": ["京东", "jd", "jd.com", "jingdong"],
    "pdd": ["拼多多", "pdd", "pinduoduo"],
    "pinduoduo": ["拼多多", "pinduoduo"],
    "douyin": ["抖音", "douyin", "tiktok", "抖店"],
    "kuaishou": ["快手", "kuaishou"],
    "xiaohongshu": ["小红书", "xiaohongshu"],
    "wechat": ["微信小店", "微店", "小程序", "wechat shop"],
    "youzan": ["有赞", "youzan"],
    "shopify": ["shopify"],
    "amazon": ["亚马逊", "amazon"],
    "olist": ["olist"],
}
STATUS_ALIASES = {
    "pending": ["待付款", "未付款", "unpaid", "pending"],
    "paid": ["待发货", "已付款未发货", "awaiting shipment"],
    "shipped": ["已发货", "shipped", "in transit", "运输中"],
    "completed": ["交易成功", "已完成", "已签收", "completed", "delivered", "finished"],
    "cancelled": ["交易关闭", "已取消", "已关闭", "cancelled", "canceled", "closed"],
    "refunded": ["已退款", "退款成功", "refunded"],
}
CHANNEL_ALIASES = {
    "alipay": ["支付宝", "alipay"],
    "wechat_pay": ["微信支付", "wechat pay", "微信"],
    "wechat": ["微信支付", "wechat pay", "微信"],
    "credit_card": ["信用卡", "credit card", "credit cards"],
    "debit_card": ["借记卡", "debit card"],
    "boleto": ["boleto"],
    "voucher": ["优惠券支付", "voucher", "vouchers"],
    "unionpay": ["银联", "云闪付", "unionpay"],
    "huabei": ["花呗", "huabei"],
}
BRAZIL_STATES = {
    "SP": "são paulo",
    "RJ": "rio de janeiro",
    "MG": "minas gerais",
    "RS": "rio grande do sul",
    "PR": "paraná",
    "SC": "santa catarina",
    "BA": "bahia",
    "DF": "distrito federal",
    "GO": "goiás",
    "ES": "espírito santo",
    "PE": "pernambuco",
    "CE": "ceará",
    "PA": "pará",
    "MT": "mato grosso",
    "MA": "maranhão",
    "MS": "mato grosso do sul",
    "PB": "paraíba",
    "PI": "piauí",
    "RN": "rio grande do norte",
    "AL": "alagoas",
    "SE": "sergipe",
    "TO": "tocantins",
    "RO": "rondônia",
    "AM": "amazonas",
    "AC": "acre",
    "AP": "amapá",
    "RR": "roraima",
}
BRAZIL_STATES_ZH = {
    "SP": "圣保罗",
    "RJ": "里约热内卢",
    "MG": "米纳斯吉拉斯",
    "RS": "南里奥格兰德",
    "PR": "巴拉那",
    "SC": "圣卡塔琳娜",
    "BA": "巴伊亚",
    "DF": "联邦区",
    "ES": "圣埃斯皮里图",
    "GO": "戈亚斯",
    "PE": "伯南布哥",
    "CE": "塞阿拉",
    "PA": "帕拉",
    "MT": "马托格罗索",
    "AM": "亚马孙",
}
# Chinese names of common category names (English, as in Olist's translation table).
CATEGORY_ZH = {
    "bed_bath_table": ["床上用品", "床品卫浴", "家纺"],
    "health_beauty": ["健康美容", "美妆个护", "美容"],
    "sports_leisure": ["运动休闲", "运动户外"],
    "furniture_decor": ["家具装饰", "家居装饰"],
    "computers_accessories": ["电脑配件", "电脑周边"],
    "housewares": ["家居用品", "家庭用品"],
    "watches_gifts": ["手表礼品", "钟表礼品"],
    "telephony": ["手机通讯", "电话"],
    "toys": ["玩具"],
    "auto": ["汽车用品", "汽车"],
    "perfumery": ["香水"],
    "baby": ["母婴", "婴儿用品"],
    "garden_tools": ["园艺工具"],
    "cool_stuff": ["潮流好物"],
    "electronics": ["电子产品", "数码"],
    "stationery": ["文具"],
    "fashion_bags_accessories": ["箱包配饰"],
    "pet_shop": ["宠物用品", "宠物"],
    "office_furniture": ["办公家具"],
    "consoles_games": ["游戏机"],
    "luggage_accessories": ["旅行箱包"],
    "construction_tools_construction": ["建筑工具"],
    "home_appliances": ["家用电器", "家电"],
    "musical_instruments": ["乐器"],
    "small_appliances": ["小家电"],
    "food": ["食品"],
    "drinks": ["饮料", "酒水"],
    "food_drink": ["食品饮料"],
    "books_general_interest": ["图书"],
    "fashion_shoes": ["鞋"],
    "furniture_living_room": ["客厅家具"],
    "computers": ["电脑"],
    "audio": ["音响"],
    "fashion_male_clothing": ["男装"],
    "fashio_female_clothing": ["女装"],
    "fashion_childrens_clothes": ["童装"],
    "air_conditioning": ["空调"],
    "christmas_supplies": ["圣诞用品"],
    "furniture_bedroom": ["卧室家具"],
    "kitchen_dining_laundry_garden_furniture": ["厨房餐厅家具"],
    "market_place": ["综合市场"],
    "tablets_printing_image": ["平板打印"],
    "flowers": ["鲜花"],
}
PROVINCE_PINYIN = {
    "广东": "guangdong",
    "浙江": "zhejiang",
    "江苏": "jiangsu",
    "上海": "shanghai",
    "北京": "beijing",
    "山东": "shandong",
    "四川": "sichuan",
    "湖北": "hubei",
    "湖南": "hunan",
    "河南": "henan",
    "河北": "hebei",
    "福建": "fujian",
    "安徽": "anhui",
    "辽宁": "liaoning",
    "陕西": "shaanxi",
    "重庆": "chongqing",
    "天津": "tianjin",
    "云南": "yunnan",
    "广西": "guangxi",
    "江西": "jiangxi",
    "山西": "shanxi",
    "黑龙江": "heilongjiang",
    "吉林": "jilin",
    "贵州": "guizhou",
    "甘肃": "gansu",
    "内蒙古": "inner mongolia",
    "新疆": "xinjiang",
    "海南": "hainan",
    "宁夏": "ningxia",
    "青海": "qinghai",
    "西藏": "tibet",
    "香港": "hong kong",
    "澳门": "macau",
    "台湾": "taiwan",
}
PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")
ALIASES = {
    "platform": PLATFORM_ALIASES,
    "status": STATUS_ALIASES,
    "payment_channel": CHANNEL_ALIASES,
}
# Low weights: a value never beats a metric or dimension spelled the same way.
WEIGHTS = {"platform": 5, "status": 4, "province": 4, "category": 3, "payment_channel": 3}


@dataclass
class ValueIndex:
    """dimension -> stored values, plus extra names per value (category translations)."""

    values: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"values": self.values, "names": self.names}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ValueIndex:
        data = json.loads(text)
        return cls(values=data["values"], names=data["names"])

    def add_to(self, vocabulary: Vocabulary) -> None:
        """Add every value and its aliases to `vocabulary` as value terms."""
        for dim in ALIASES:  # known names even before any data mentions them
            for value, aliases in ALIASES[dim].items():
                if value in self.values.get(dim, []) or not self.values.get(dim):
                    vocabulary.add_all(aliases, Term("value", dim, value, WEIGHTS.get(dim, 1)))
        for dim, values in self.values.items():
            weight = WEIGHTS.get(dim, 1)
            for value in values:
                term = Term("value", dim, value, weight)
                for phrase in phrases_for(dim, value) + self.names.get(dim, {}).get(value, []):
                    vocabulary.add(phrase, term)


def phrases_for(dim: str, value: str) -> list[str]:
    """How people write `value`: itself, without underscores, short province names, …"""
    phrases = [value]
    if "_" in value:
        phrases.append(value.replace("_", " "))
    if dim == "province":
        phrases += [
            value[: -len(s)]
            for s in PROVINCE_SUFFIXES
            if value.endswith(s) and len(value) > len(s) + 1
        ]
        phrases += [PROVINCE_PINYIN[p] for p in list(phrases) if p in PROVINCE_PINYIN]
        if value.upper() in BRAZIL_STATES:
            state = BRAZIL_STATES[value.upper()]
            phrases += [state, _ascii(state)]
            zh = BRAZIL_STATES_ZH.get(value.upper())
            phrases += [zh, zh + "州"] if zh else []
            if len(value) == 2:
                phrases = [p for p in phrases if p != value] + [value.upper()]
    if dim == "city":
        phrases.append(_ascii(value))
    return [
        p for p in phrases if len(p) >= 2 and not (dim in ("city", "product_title") and len(p) < 3)
    ]


def _ascii(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def build_index(con: Any) -> ValueIndex:
    """Read the indexable values from an open warehouse connection."""
    index = ValueIndex()
    for dim, sql, cap in SOURCES:
        try:
            rows = con.execute(f"SELECT * FROM ({sql}) v WHERE 1=1 LIMIT {cap + 1}").fetchall()
        except Exception:  # a column a future schema lacks: skip it
            continue
        values = [str(r[0]) for r in rows if r[0] is not None and str(r[0]).strip()]
        if values and len(values) <= cap:
            index.values[dim] = sorted(set(values))
    try:
        rows = con.execute(CATEGORY_NAMES).fetchall()
    except Exception:
        rows = []
    names = index.names.setdefault("category", {})
    for category, en, zh in rows:
        extra = [n for n in (en, zh) if n]
        extra += [n.replace("_", " ") for n in extra if "_" in n]
        extra += CATEGORY_ZH.get(str(en), [])
        names.setdefault(str(category), []).extend(extra)
    return index


def data_version(con: Any) -> str:
    """Changes whenever a sync loads a file (the audit trail's writes do not count)."""
    try:
        row = con.execute(
            "SELECT max(file_id), count(*), sum(rows_loaded) FROM _sync_files"
        ).fetchone()
    except Exception:  # no bookkeeping table: never trust a cache
        return ""
    return "-".join(str(v) for v in row or ())


def load_index(con: Any, cache: Path | None) -> ValueIndex:
    """The value index of the warehouse behind `con`, from `cache` while no sync has run since."""
    version = data_version(con)
    if cache is not None and version:
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
            if data.get("version") == version:
                return ValueIndex(values=data["index"]["values"], names=data["index"]["names"])
        except (OSError, ValueError, KeyError):
            pass
    index = build_index(con)
    if cache is not None and version:
        try:
            cache.parent.mkdir(exist_ok=True)
            payload = {"version": version, "index": {"values": index.values, "names": index.names}}
            cache.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass  # a read-only workspace still answers, just without the cache
    return index


# English product nouns and the Chinese words titles use for them (titles are often Chinese).
PRODUCT_WORDS = {
    "sofa": ["沙发"],
    "sofas": ["沙发"],
    "coffee table": ["茶几"],
    "coffee tables": ["茶几"],
    "table": ["桌", "茶几"],
    "chair": ["椅"],
    "bed": ["床"],
    "lamp": ["灯"],
    "rug": ["地毯"],
    "curtain": ["窗帘"],
    "pillow": ["枕"],
    "towel": ["毛巾"],
    "towels": ["毛巾"],
    "t-shirt": ["T恤", "t恤"],
    "t-shirts": ["T恤", "t恤"],
    "tee": ["T恤"],
    "dress": ["连衣裙"],
    "dresses": ["连衣裙"],
    "coat": ["大衣", "外套"],
    "coats": ["大衣", "外套"],
    "jacket": ["外套", "夹克"],
    "down jacket": ["羽绒服"],
    "down jackets": ["羽绒服"],
    "sweater": ["针织衫", "毛衣"],
    "sweaters": ["针织衫", "毛衣"],
    "shirt": ["衬衫"],
    "jeans": ["牛仔裤"],
    "pants": ["裤"],
    "scarf": ["围巾"],
    "hat": ["帽"],
    "bag": ["包"],
    "shoes": ["鞋"],
    "socks": ["袜"],
    "cashmere": ["羊绒"],
    "wool": ["羊毛"],
    "cotton": ["纯棉", "棉"],
    "duvet": ["被"],
    "bedding": ["四件套", "床品"],
    "vase": ["花瓶"],
    "candle": ["蜡烛", "香薰"],
}
_KEYWORD_STOP = {
    "商品",
    "产品",
    "客户",
    "买家",
    "顾客",
    "用户",
    "购买",
    "买了",
    "销售",
    "订单",
    "没有",
    "但是",
}
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def keyword_matcher(titles: list[str]) -> Callable[[str, str], list[Mention]]:
    """Words left over that occur inside product titles ("沙发", "sofa" → 沙发) become keyword
    mentions: a `product_title like '%word%'` filter."""
    haystack = "\n".join(titles)
    lower = haystack.lower()

    def mention(text: str, start: int, end: int, word: str) -> Mention:
        term = Term("keyword", "product_title", word, 2)
        return Mention(text[start:end], start, end, term, fuzzy=True)

    def match(rest: str, text: str) -> list[Mention]:
        if not haystack:
            return []
        found: list[Mention] = []
        for m in _LATIN_GRAM.finditer(rest):
            word = m.group()
            pair = rest[m.start() :].split()[:2]
            two = " ".join(pair) if len(pair) == 2 else ""
            if two in PRODUCT_WORDS:  # "coffee table" before "table"
                hit = next((zh for zh in PRODUCT_WORDS[two] if zh in haystack), None)
                if hit:
                    found.append(mention(text, m.start(), m.start() + len(two), hit))
                    continue
            if any(f.start <= m.start() < f.end for f in found):
                continue
            zh = next((z for z in PRODUCT_WORDS.get(word, []) if z in haystack), None)
            if zh or (len(word) >= 4 and word not in STOPWORDS_EN and word in lower):
                found.append(mention(text, m.start(), m.end(), zh or as_written(word, haystack)))
        for run in _CJK_RUN.finditer(rest):
            found += _cjk_keywords(run.group(), run.start(), text, haystack, mention)
        return found

    return match


ENGLISH_FOR = {
    zh: en for en, words in PRODUCT_WORDS.items() for zh in words if " " in en or len(zh) > 1
}
ENGLISH_FOR.update({"沙发": "sofa", "茶几": "coffee table", "灯": "lamp"})


def as_written(word: str, haystack: str) -> str:
    """`word` with the letter case the titles use (LIKE is case-sensitive)."""
    i = haystack.lower().find(word.lower())
    return haystack[i : i + len(word)] if i >= 0 else word


def _cjk_keywords(run: str, offset: int, text: str, haystack: str, mention: Any) -> list[Mention]:
    """The longest substrings (2+ characters) of a Chinese run that occur in some title (or
    whose English name does, for shops with English titles)."""
    found, i = [], 0
    lower = haystack.lower()
    while i < len(run) - 1:
        for size in range(min(8, len(run) - i), 1, -1):
            word = run[i : i + size]
            if word in _KEYWORD_STOP:
                continue
            english = ENGLISH_FOR.get(word)
            if word in haystack or (english and english in lower):
                hit = word if word in haystack else as_written(str(english), haystack)
                found.append(mention(text, offset + i, offset + i + size, hit))
                i += size
                break
        else:
            i += 1
    return found


_LATIN_GRAM = re.compile(r"[a-z0-9][a-z0-9'\-]*")


def fuzzy_matcher(
    vocabulary: Vocabulary, threshold: float = 88
) -> Callable[[str, str], list[Mention]]:
    """Fuzzy mentions of value phrases among the words exact linking left over (typos)."""
    latin: list[str] = []  # filled on the first question that has words left over

    def candidates() -> list[str]:
        if not latin:
            latin.extend(
                p
                for p, terms in vocabulary.terms.items()
                if terms[0].kind == "value" and len(p) >= 4 and is_latin(p)
            )
        return latin

    def match(rest: str, text: str) -> list[Mention]:
        found: list[Mention] = []
        words = [(m.start(), m.end(), m.group()) for m in _LATIN_GRAM.finditer(rest)]
        for n in (3, 2, 1):
            for k in range(len(words) - n + 1):
                start, end = words[k][0], words[k + n - 1][1]
                gram = normalise(rest[start:end])
                if len(gram) < 5 or any(f.start < end and start < f.end for f in found):
                    continue
                if all(w in STOPWORDS_EN for w in gram.split()):
                    continue
                from rapidfuzz import fuzz, process  # only when some word is left over

                best = process.extractOne(
                    gram, candidates(), scorer=fuzz.ratio, score_cutoff=threshold
                )
                if best:
                    term = vocabulary.terms[best[0]][0]
                    found.append(Mention(text[start:end], start, end, term, fuzzy=True))
        return found

    return match
