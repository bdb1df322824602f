"""Built-in business vocabulary (English and Chinese) the catalog does not carry: ranking words,
grains, comparisons, compound questions, plurals and colloquial metric names.

Targets that the workspace's catalog does not define are left out, so a trimmed catalog never
gets a phrase pointing nowhere.
"""

from __future__ import annotations

import re

from shopql.nlq.linking import Term, Vocabulary

# a day against the day just before it (比前一天 → 日环比 in languages.yaml), and a week
DAY_BEFORE = (
    "日环比",
    *("vs the day before", "vs the previous day", "versus the previous day"),
    *("compared with the day before", "compared to the day before"),
    *("compared with the previous day", "compared to the previous day"),
    *("than the day before", "than the previous day", "from the day before"),
    "from the previous day",
)
WEEK_BEFORE = ("周环比",)

# 各 / 分别 said after the values named: each one's own figure ("A和B 今年 各 下了多少单",
# "boleto跟voucher各有多少个买家用过"); 各 before a verb or the amount asked only — 各品类 / 各省
# name a breakdown of their own. Shared by nlq/form.py (the form asked) and nlq/comparisons.py
# (two values side by side, each its own row).
EACH_AFTER = re.compile(
    r"各自|各(?=\s*(?:多少|几|有|是|卖|买|下|开|花|占|付|退|来|都|为|用))|分别"
    r"|\b(?:each|respectively)\b",
    re.I,
)

# which way it went ("是涨是跌"): over a period its series (a trend word); of two periods compared,
# their change (nlq/reading.py)
WHICH_WAY = (
    "是涨是跌",
    "是涨还是跌",
    "涨还是跌",
    "涨了还是跌了",
    # the same asked with a comparative and its opposite (C, session 35): "8月的客单价比7月高了还是
    # 低了", "比去年12月 高 还是 低" — which way the figure went against the period compared with
    *("高了还是低了", "高还是低", "是高是低", "是高还是低", "低了还是高了", "低还是高"),
    *("多了还是少了", "多还是少", "是多是少", "是多还是少", "少了还是多了", "少还是多"),
    *("大了还是小了", "变高还是变低", "变多还是变少", "增加还是减少", "上升还是下降"),
    *("higher or lower", "up or down"),
    "是升是降",
    "升还是降",
    "涨跌情况",
    "going up or down",
    "went up or down",
)

MODIFIERS: dict[tuple[str, str | None], list[str]] = {
    ("top", None): [
        "top",
        "best",
        "highest",
        "most",
        "largest",
        "biggest",
        "leading",
        "最高",
        "最多",
        "最大",
        "最好",
        "前几",
        "头部",
        "名列前茅",
        "busiest",  # "busiest day of the week": the most orders
        *("最集中", "最密集"),  # "哪个时段下单最集中": where the most fall
        # "加购的访客集中在哪个钟点": where they mostly fall, as 最集中
        *("主要集中在", "大多集中在", "集中在", "集中于"),
    ],
    # "rank them", "排名": the whole ordering (a top-N only with an N)
    ("top", "all"): ["ranking", "rank", "ranked", "rank them", "排名", "排行", "排行榜", "排序"],
    # growth rankings: "fastest-growing platform", "哪个类目增长最快", "增速排名"
    ("growth", "top"): [
        "fastest growing",
        "fastest-growing",
        "grew fastest",
        "grew the most",
        "growing fastest",
        "growing the fastest",
        "增长最快",
        "增速最快",
        "增长最多",
        "涨得最快",
        "涨幅最大",
        "增幅最大",
        "涨得最多",
        "涨最多",
        "增加最多",
        # "2018 Q2 比 2017 Q2 买家多了最多的州": the largest increase (少了最多 below)
        *("多了最多", "多得最多", "增加得最多", "涨了最多", "增加了最多"),
        "grew most",
        "grew the fastest",
        "biggest growth",
        "largest growth",
        "most growth",
        "涨最快",
        # an increase / a jump is an amount of change (ranked by it: comparisons._by_amount)
        *("biggest increase", "largest increase", "biggest jump", "largest jump", "biggest rise"),
        *("largest rise", "increased the most", "increased most", "rose the most", "rose most"),
        *("jumped most", "jumped the most", "rose fastest", "rose the fastest", "rising fastest"),
        # "which seller added / gained the most revenue aug vs jul": the largest increase
        *("added the most", "added most", "gained the most", "gained most"),
        # "三季度比二季度发票数多了最多的国家": more by the most (少了最多's twin: the largest rise)
        *("多了最多", "多出最多", "多出了最多", "增加得最多", "多得最多"),
        # "销售额增量最大的品类": the largest increment (an amount of change)
        *("增量最大", "增量最多", "增量最高", "增加量最大", "增长量最大"),
    ],
    ("growth", "bottom"): [
        "declined the most",
        # "which platform fell fastest": the fastest fall is the lowest growth (not the fastest
        # growth with its fall word read as any change)
        *("fell fastest", "fell the fastest", "dropped fastest", "dropped the fastest"),
        *("declined fastest", "declined the fastest", "falling fastest", "falling the fastest"),
        *("dropping fastest", "declining fastest", "shrank fastest", "shrinking fastest"),
        *("跌得最快", "跌最快", "降得最快", "掉得最快", "下滑得最快", "下滑最快", "减少得最快"),
        *("下跌最快", "下降得最快", "减少最快"),
        # "which country lost the most customers q3 vs q2": the largest fall (not lapsed people)
        *("lost the most", "lost most", "流失最多", "减少得最多", "少了最多"),
        *("跌得最狠", "跌最狠", "降得最狠", "掉得最狠", "跌得最厉害", "降得最厉害"),
        *("掉得最厉害", "fell the hardest", "fell hardest", "dropped the hardest", "hit hardest"),
        # shrunk the most (上个月跟10月比营业额缩水最厉害的平台; C, session 44): the largest fall, and
        # the falls said as fierce (跌得最凶, 下滑最厉害)
        *(
            "缩水最多",
            "缩水得最多",
            "缩水最厉害",
            "缩水得最厉害",
            "缩水最严重",
            "缩水最狠",
            "缩水最大",
        ),
        *(
            "缩得最多",
            "缩得最厉害",
            "萎缩最多",
            "萎缩得最多",
            "萎缩最厉害",
            "萎缩得最厉害",
            "萎缩最严重",
        ),
        *("跌得最凶", "跌最凶", "降得最凶", "掉得最凶", "下滑最厉害", "下滑得最厉害", "下降最厉害"),
        *("下降得最厉害", "减少最厉害", "减少得最厉害", "shrank the hardest", "shrunk the most"),
        "dropped the most",
        "fell the most",
        "shrank the most",
        "下滑最多",
        "下降最多",
        "下降最快",
        "跌幅最大",
        "跌得最多",
        "降幅最大",
        "降得最多",
        "减少最多",
        "fell most",
        "dropped most",
        "declined most",
        "shrank most",
        "falling the most",
        "dropping the most",
        "declining the most",
        "fastest declining",
        "fastest-declining",
        "biggest drop",
        "biggest decline",
        "largest drop",
        "largest decline",
        "跌最多",
        "下跌最多",
        "掉得最多",
        "掉最多",
        "降最多",
        "下滑最大",
    ],
    # the smallest rise (涨得最少, "grew the least"): ranked from the bottom by the change, as a
    # fall is — but naming the last of the risers too when nothing fell (no "only the fallers")
    ("growth", "least"): [
        *("涨得最少", "涨最少", "涨的最少", "增长最少", "增长得最少", "增加最少", "增加得最少"),
        *("多得最少", "多了最少", "涨幅最小", "增幅最小"),
        *(
            "grew the least",
            "grew least",
            "smallest increase",
            "least growth",
            "increased the least",
        ),
    ],
    ("growth", None): [
        "increase",  # "biggest category sales increase": the change, ranked by its amount
        "growth",
        "growth rate",
        "growing",
        "grew",
        "grow",  # "how much did revenue grow q2 vs q1"
        "grown",
        "增长",
        "增速",
        "增长率",
        "涨幅",
        "增幅",
        "增量",  # "8月比7月 销售额增量": the amount it grew by
        # "11月对比10月 变化多少": how much it changed is the change between the periods (a bare
        # 变化 stays a trend: 近30天销售额变化)
        "变化多少",
        "变化了多少",
        "变了多少",
        "变化多大",
        "变化有多大",
    ],
    ("bottom", None): [
        "bottom",
        "lowest",
        "least",
        "worst",
        "smallest",
        "fewest",
        "最低",
        "最少",
        "最差",
        "最小",
        "倒数",
        "垫底",
        "quietest",
        "least busy",  # "least busy day of the week": the fewest orders (never a title word BUSY)
        "slowest",
    ],
    ("bestsellers", None): [
        "top sellers",
        "top seller",
        "best sellers",
        "best seller",
        "bestsellers",
        "bestseller",
        "best-selling",
        "best selling",
        "top selling",
        "top-selling",
        "sold the most",
        # "what weekday do we sell most", "which country sells the most": as sold the most
        *("sell the most", "sells the most", "sell most", "sells most", "sold most"),
        # "which product made the most money", "earned the most": MONEY_MADE below
        # "which month of 2017 sold best": as 卖得最好 (periods and groups by sales, products by
        # units: offline._bestseller_measure), not "sold" (units) and a bare "best"
        "sold best",
        "sold the best",
        "sells best",
        "sells the best",
        "sell best",
        "selling best",
        "畅销",
        "热销",
        "卖得最好",
        "卖得最多",
        "卖得好",
        "卖的最好",  # 的 for 得: how most sellers type it
        "卖的最多",
        "卖的好",
        "卖得多",  # "A 和 B 谁卖得多": the one of them that sells more
        "卖的多",
        "卖得更多",
        "卖得更好",
        "卖的更好",
        "sold more",
        "sells more",
        "sell more",  # "did SP sell more than RJ in june"
        "sold better",
        "sells better",
        "sell better",
        "爆款",
        "销量最高",
        "最畅销",
        # "第二好卖的品类", "哪个品类最好卖", "大衣和羽绒服哪个好卖": 好卖 (sells well) is 卖得好
        *("最好卖", "更好卖", "比较好卖", "好卖", "卖得最火", "卖的最火", "最火"),
    ],
    # the least sold: the same ranking from the bottom (nlq/reading.py parse sets bottom too)
    ("bestsellers", "bottom"): [
        *(
            "卖得最少",
            "卖的最少",
            "卖得最差",
            "卖的最差",
            "卖得最不好",
            "卖的最不好",
            "最滞销",
            "滞销",
            "最不好卖",
            "最难卖",
        ),
        *("sold the least", "sells the least", "sell the least", "worst-selling", "worst selling"),
        *("slowest-selling", "slowest selling", "least sold"),
        # "lowest selling category": the one that sold least (sales), as worst selling
        *("lowest-selling", "lowest selling", "least-selling", "least selling", "poorest-selling"),
        *("poorest selling", "weakest-selling", "weakest selling"),
        *("sold worst", "sold the worst", "sells worst", "sells the worst", "sell worst"),
    ],
    ("grain", "day"): [
        "by day",
        "daily",
        "per day",
        "each day",
        "day by day",
        "按天",
        "每天",
        "每日",
        "各天",
        "各日",
        "按日",
        "逐日",
        "分天",
        "日趋势",
        "日报",
    ],
    ("grain", "week"): [
        "by week",
        "weekly",
        "per week",
        "each week",
        "按周",
        "每周",
        "各周",
        "分周",
        "周报",
        "逐周",  # 往前8个完整的周 逐周进账 (C, session 41)
        "week by week",
    ],
    ("grain", "month"): [
        "by month",
        "monthly",
        "per month",
        "each month",
        "month by month",
        "按月",
        "每月",
        "每个月",
        "月度",
        "分月",
        "逐月",
        "月趋势",
        "按月份",
        "各月",
        "各个月",
        "各月份",
    ],
    ("grain", "quarter"): [
        "by quarter",
        "quarterly",
        "per quarter",
        "按季度",
        "每季度",
        "每个季度",
        "各季度",
        "分季度",
    ],
    ("grain", "year"): [
        "by year",
        "yearly",
        "annual",
        "annually",
        "per year",
        "按年",
        "每年",
        "各年",
        "各年度",
        "年度",
    ],
    ("trend", None): [
        "trend",
        "over time",
        "趋势",
        "走势",
        "变化",
        # "是涨是跌", "涨还是跌": which way it went over the period, read off its series
        *WHICH_WAY,
    ],
    ("compare", "previous_period"): [
        "vs the month before",
        "versus the month before",
        "vs the previous month",
        "compared with the month before",
        "compared to the month before",
        "than the month before",
        "vs the week before",
        "vs the previous week",
        # a day (a week) against the one just before it (lead, session 42): said of each day
        # or of one day only (offline._day_before_of_days)
        *DAY_BEFORE,
        *WEEK_BEFORE,
        "vs the previous period",
        "vs the period before",
        "vs the one before",  # "last month vs the one before": the period before the one named
        "versus the one before",
        "compared with the one before",
        "compared to the one before",
        "than the one before",
        "vs the previous one",
        "vs the prior one",
        "vs the one prior",
        "compared with the previous period",
        "compared to the previous period",
        "vs previous period",
        "vs the quarter before",
        "vs the previous quarter",
        "month over month",
        "month-over-month",
        "week over week",
        "week-over-week",
        "period over period",
        "mom",
        "wow",
        "qoq",  # quarter over quarter
        "quarter over quarter",
        "quarter-over-quarter",
        "环比",
        "对比上期",
        "和上期比",
        "与上期相比",
        "较上期",
        "比上期",
        "上期对比",
        "和上个月比",
        "same period last month",  # "this month vs the same period last month": to date
        "the same period last month",
        "same days last month",
        "the same days last month",
        "same time last month",
        "the same time last month",
        "与上月相比",
        "对比上月",
        "比上个月",
    ],
    ("compare", "year_over_year"): [
        "year over year",
        "year-over-year",
        "year vs year",  # "growth year vs year", the Portuguese "ano contra ano"
        "year versus year",
        "year against year",
        "yoy",
        "same period last year",
        "the same period last year",
        "same days last year",  # "this month so far vs the same days last year"
        "the same days last year",
        "same time last year",
        "the same time last year",
        # "去年这个时候卖了多少", "sales this time last year": the same days a year before (not the
        # whole of last year, 这个时候 / this time being no words of their own)
        *("this time last year", "at this time last year", "去年这个时候", "去年的这个时候"),
        *("去年这时候", "去年此时", "去年这个时间", "去年的这个时间", "去年这会儿"),
        "去年同一时间",
        "去年的同一时间",
        "去年同样的日子",
        "去年的同样的日子",
        "vs last year",
        "versus last year",
        "compared with last year",
        "compared to last year",
        # "double 11 sales vs the previous year": the same days a year before (was read as the
        # previous period, the day before); of a whole year the two are the same year
        *("vs the previous year", "versus the previous year", "vs the year before"),
        *("compared with the previous year", "compared to the previous year"),
        *("compared with the year before", "compared to the year before"),
        "同比",
        "same month last year",
        "the same month last year",
        "vs same month last year",
        "去年同月",
        # "跟去年同一个月比": the same month a year before, said in full
        *(
            "去年同一个月",
            "去年的同一个月",
            "去年同一月",
            "去年的同一月",
            "去年同个月",
            "去年的同个月",
        ),
        "去年同期",
        "与去年同期相比",
        "和去年同期比",
        "对比去年同期",
    ],
    ("profile", None): [
        "buyer profile",
        "buyer profiles",
        "buyers profile",
        "customer profile",
        "customer profiles",
        "their buyers",
        "their customers",
        "who bought them",
        "who buys them",
        "who bought those",
        "buyer demographics",
        "profile of their buyers",
        "买家画像",
        "用户画像",
        "客户画像",
        "人群画像",
        "画像",
        "购买人群",
        "买家分布",
        "谁在买",
        "他们的买家",
        "其买家",
    ],
    ("negation", None): [
        "but no",
        "but not",
        "but never",
        "without",
        "excluding",
        "except",
        "other than",
        "did not",
        "didn't",
        "never",
        "没有",
        "但没有",
        "但没",
        # "但从来没在京东买过", "京东从来没有买过": not at any time (people.py reads the 'ever')
        *("从来没有", "从来没", "从没有", "从没", "从未"),
        "未购买",
        "没买",
        "不包括",
        "除了",
        "排除",
        "不含",
        "非",
        "以外",
        "之外",
        "除外",  # "SP除外的销售额": SP left out (said after the value, as 以外)
        "不是",  # "不是信用卡付的订单": the value after it left out
        # "不在SP州也不在RJ州的买家": not in the place after it (each one left out)
        *("不在", "也不在"),
        "outside",
        "outside of",
        "non",
        # "top 10 countries by sales, leave out the UK", "不算英国，哪个国家…": the value after it
        *("leave out", "leaving out", "leave aside", "apart from", "aside from", "not counting"),
        *("不算", "不计", "刨除", "剔除", "除去"),
    ],
    ("share", None): [
        "share",
        "percentage of",
        "percent of",  # "what percent of orders were paid by boleto"
        "proportion",
        "占比",
        "占",  # "女装占今年销售额的多少": the share of one value (offline _comparison_unused)
        "比例",
        "份额",
        "百分比",
        "what %",
        "% of",
        "几成",  # tenths: "占几成" is a share
        "百分之几",
        "几个点",
        "比重",  # 占总销售额的比重
        "百分之多少",
        "what fraction",
        "fraction",
        "as a percent",  # "SP share of sales, as a percent": the share said in %
        "as a percentage",
        "in percent",
    ],
    ("new_vs_returning", None): [
        "new vs returning buyers",
        "new vs returning customers",
        "new and returning buyers",
        "new and returning customers",
        "new versus returning buyers",
        "新老客户数",
        "新老买家数",
        "new vs returning",
        "new versus returning",
        "new and returning",
        "new vs old",
        "新老客",
        "新客和老客",
        "新老买家",
        "新老客户",
        "新客老客",
    ],
    ("forecast", None): [
        "forecast",
        "predict",
        "prediction",
        "next month",
        "next week",
        "预测",
        "下个月",
        "下周",
    ],
    ("distribution", None): [
        "distribution",
        "breakdown of",
        "split of",
        "分布",
        "构成",
    ],
    ("why", None): ["why", "为什么", "原因", "为何"],
    # "多少种不同的商品", "不同平台": every count is of distinct things, every breakdown by
    # distinct values already, so the word changes nothing the query does
    ("distinct", None): ["不同的", "不同", "不重复的", "不重复", "去重后的", "去重"],
}

# Money made, said with a verb of earning: "which product made the most money", "brought in the
# most", "earned us the least", "赚得最多": a ranking (top / bottom) by what was brought in — sales,
# never pieces (offline._money_made: the measure where none is named) — of whatever is ranked
# (products, countries, customers, months); the money word is the phrase's, never a product title
# word (MONEY BANK, REX CASH+CARRY). The one place money made is read.
_EARNING = (
    *("made", "make", "makes", "making", "earned", "earn", "earns", "earning"),
    *("brought in", "bring in", "brings in", "bringing in", "took in", "take in", "takes in"),
    *("generated", "generate", "generates", "generating", "grossed", "grosses", "gross"),
)


def _money_made(ranks: tuple[str, ...], bare: bool) -> list[str]:
    """The verb of earning, "us" or not, the rank, then money or cash (or nothing, where `bare`)."""
    money = ("money", "cash", "revenue") if not bare else ("money", "cash", "revenue", "")
    return [
        " ".join(w for w in (verb, us, rank, said) if w)
        for verb in _EARNING
        for us in ("", "us", "for us")
        for rank in ranks
        for said in money
    ]


_MONEY_MADE_TOP = [
    *_money_made(("the most", "most"), bare=True),
    *_money_made(("more",), bare=False),  # "which country brought in more money, FR or DE"
    *("赚得最多", "赚的最多", "赚最多", "赚了最多", "最赚钱", "赚钱最多", "赚的钱最多", "赚得更多"),
    *("挣得最多", "挣的最多", "挣最多", "挣了最多", "最挣钱", "挣钱最多", "挣的钱最多", "赚的更多"),
    # "October's ten best-earning products", "the top-grossing categories": earning as an adjective
    *(
        f"{rank}{sep}{verb}"
        for rank in ("best", "top", "highest", "biggest")
        for sep in ("-", " ")
        for verb in ("earning", "earners", "earner", "grossing")
    ),
]
_MONEY_MADE_BOTTOM = [
    *_money_made(("the least", "least"), bare=True),
    *("赚得最少", "赚的最少", "赚最少", "最不赚钱", "赚钱最少", "挣得最少", "挣的最少", "挣钱最少"),
    *(
        f"{rank}{sep}{verb}"
        for rank in ("worst", "lowest", "least")
        for sep in ("-", " ")
        for verb in ("earning", "earners", "earner", "grossing")
    ),
]
MODIFIERS[("top", None)] += _MONEY_MADE_TOP
MODIFIERS[("bottom", None)] += _MONEY_MADE_BOTTOM
MONEY_MADE = frozenset(_MONEY_MADE_TOP + _MONEY_MADE_BOTTOM)
# money said alone is an amount ("spent the most money", "money made"), never a product title word
# on its own; the titles' phrases still are (nlq/values.py: "money bank", "money box sales")
AMOUNT_WORDS = frozenset({"money", "cash"})

# the whole ordering said as a direction: "from most to least", "sorted", 从高到低
MODIFIERS[("top", "all")] += [
    *("sorted", "sort them", "from most to least", "most to least", "from highest to lowest"),
    *(
        "highest to lowest",
        "from high to low",
        "从高到低",
        "从多到少",
        "从大到小",
        "降序排列",
        "降序",
    ),
    *("high to low", "highest first", "largest to smallest", "biggest to smallest", "descending"),
    *("排个序", "排下序", "排一下", "排排序", "排一排", "排个名", "排下名"),  # 各州客单价排个序
]

# "各月", "各季度", "每一个月", "each quarter": each period is a breakdown by it, like 每月
for _grain, _words in {
    "month": ["各月", "各个月", "各月份", "每个月份", "每一个月", "每一月"],
    "quarter": ["各季度", "各个季度", "每一个季度", "每一季度", "each quarter"],
    "week": ["各周", "每一周"],
    "day": ["各天", "每一天"],
    "year": ["各年", "各年度", "每一年", "each year"],
}.items():
    MODIFIERS[("grain", _grain)] += [w for w in _words if w not in MODIFIERS[("grain", _grain)]]

# "哪个月…最高": the periods ranked, the top one first (nlq/comparisons.py)
for _grain, _words in {
    "month": ["哪个月", "哪一个月", "哪月", "which month"],
    "day": [
        "哪天",
        "哪一天",
        "which day",
        "which date",
        "what date",
    ],  # which date: the day (lead, session 44)
    "week": ["哪周", "哪一周", "which week"],
    "year": ["哪年", "哪一年", "which year"],
    "quarter": ["哪个季度", "哪一季度", "哪季度", "哪一个季度", "which quarter", "哪季", "哪一季"],
}.items():
    MODIFIERS[("grain", _grain)] += _words

# Money given back said with a verb ("how much did the C invoices take back"): the refunds; beside
# another metric and a refunded status ("customers who sent back something (C invoices)") the
# verb restates the status (nlq/offline.py _return_verb_restated)
RETURN_VERBS = ("take back", "took back", "taken back", "sent back", "send back", "gave back")
# Issuing an invoice is placing it ("how many invoices went out", "哪天发票开得最多", "开过C单的
# 客户"): the order count, or a qualifying verb beside another metric (reading.QUALIFYING_VERBS)
ISSUE_VERBS = (
    "went out",
    "issued",
    "raised",
    "开过",
    "开了",
    "开出",
    "开得",
    "开出的",
    "开出去",
    "开的发票",
)

# Colloquial names for catalog metrics and dimensions beyond the catalog's own synonyms.
# the measure words things are counted in, beyond 件/个/条/套 (铅笔几支, 雨伞几把, 书几本): said
# after a selling verb and a count they ask for units sold (never 块 — money — nor 张, 单, 笔,
# 次 — orders — nor 种, 款 — products)
PIECE_WORDS = (
    "只",
    "双",
    "盒",
    "支",
    "把",
    "本",
    "瓶",
    "包",
    "袋",
    "根",
    "枚",
    "顶",
    "台",
    "副",
    "卷",
    "罐",
    "盏",
    "幅",
)
_SOLD_VERBS = ("卖了", "卖出", "卖出了", "售出", "售出了")


METRIC_WORDS: dict[str, list[str]] = {
    "paid_gmv": [
        "gmv paid",
        "sales amount",
        "sales revenue",
        "成交金额",
        "销售金额",
        "卖了多少钱",
        "收入",
        "收了多少钱",  # "上个月卖出去多少件 收了多少钱": the money taken in
        "收到多少钱",
        "收到了多少钱",
        "spend",
        "spent",
        "spending",
        "消费金额",
        "卖了多少",  # "卖了多少件" (units) and "卖了多少单" (orders) are longer, so win
        "买了多少钱",  # "SP或RJ的客户上季度买了多少钱": the money their people paid
        "买了多少",  # 买了多少件 (units) and 买了多少单 (orders) are longer, so win
        "卖多少",
        "卖了多少钱",
        "成交多少",  # "双11当天成交多少": the money that day
        "成交了多少",
        "卖得多",  # "京东和拼多多谁卖得多": which sold more (money); 卖得最多 (bestsellers) is longer
        "卖的多",
        "卖得更多",
        "卖的更多",
        "消费",
        "消费额",
        "花费",
    ],
    "units": [
        *("sold", "units", "pieces", "卖了多少件", "销售量", "出货量", "售出"),
        # "what was the July unit count for pet_shop" (D, session 40): the units (never a unit price)
        *("unit count", "units count", "count of units"),
        # items said as what was sold are the pieces ("how many items did we sell in july",
        # "quantos itens a mais vendemos"), not the number of different products
        *("items did we sell", "items we sold", "items were sold", "items have we sold"),
        *("items more did we sell", "items more we sold", "items did you sell"),
        # ... and as what was ordered, bought or sent out ("how many items were ordered in
        # november", "items went out"): the pieces, not the orders of each product
        *(f"items {w}" for w in ("were ordered", "were bought", "were purchased", "went out")),
        *(f"items {w}" for w in ("were shipped", "did we ship", "did we send out")),
        # sold, said in an idiom ("how many down jackets went out the door")
        *("went out the door", "flew off the shelves", "flew off the shelf"),
        *(f"items {w}" for w in ("did customers buy", "did customers order", "did they buy")),
        *("买了多少件", "买了几件"),  # "SP的客户上季度买了多少件": pieces, not the money
        *("卖了几件", "卖了几条", "卖了几个", "卖了几套", "卖了多少条", "卖了多少套", "卖出多少件"),
        *("卖了多少个", "卖了多少张", "卖出多少个"),
        *("卖了几张", "卖出了多少件", "卖出了多少个"),
        *(
            "卖出去多少件",
            "卖出去了多少件",
            "卖出去几件",
            "卖出去了几件",
        ),  # 卖出去多少件 收了多少钱
        # pieces counted with the thing's own measure word: 铅笔卖了几支, 雨伞卖了几把, 卖出多少本
        *(f"{v}{n}{c}" for v in _SOLD_VERBS for n in ("几", "多少") for c in PIECE_WORDS),
        *(
            "出了多少件货",
            "出了多少件",
            "出了几件货",
            "发了多少件货",
            "出货多少件",
        ),  # 10月一共出了多少件货
    ],
    "refund_amount": [
        *("refund", "how much did we refund", "money refunded", "amount refunded"),
        *("退款", "退了多少钱", "退了多少", "退款多少", "退钱", "退了"),
        *("退的钱", "退了的钱", "退出去的钱"),  # "今年退掉的钱哪个月最多" (退掉: 退)
        *("退回去的钱", "退回的钱", "退回去了多少钱", "退回了多少钱"),  # "11月按周算 退回去的钱"
        *RETURN_VERBS,
    ],
    "refunded_orders": [
        *("orders refunded", "orders were refunded", "orders with a refund", "orders with refunds"),
        # "how many orders got refunded", "avg refund per refunded order": the refund events'
        # orders, not the status refunded (which the demo's export also gives closed orders)
        *("orders got refunded", "orders that got refunded", "orders that were refunded"),
        *("orders have been refunded", "orders been refunded", "refunded order"),
        *("退款的订单", "退款订单", "退款单", "退了多少单", "退款的单", "退单"),
        *("refunded order count", "refunded orders count", "count of refunded orders"),
        *("退款单数", "退款订单量", "退了款的订单", "退款多少单", "退款了多少单", "退款几单"),
    ],
    "returned_orders": [
        # a return said as its document ("退货单(C开头的)有几张"): the order given back — not a
        # refund recorded on a cancelled order (Online Retail's bad-debt write-offs)
        *("退货单", "退货的单", "退货的订单", "退货订单", "退货单数", "退了货的订单", "退货的单子"),
        *("returned orders", "returned invoices", "return invoices", "orders returned"),
    ],
    "buyers": [
        "buyer",  # "average spend per buyer" (customer is one already)
        "shoppers",
        "paying buyers",
        "purchasers",
        "买家",
        "顾客数",
        "下单人数",
        "买的人",
        "购买的人",
        "几个客户",
        "多少客户",
        "多少个客户",
        "几个顾客",
        "多少顾客",
        "多少个买家",
        "客户",
        "顾客",
        "customer",
        "spenders",
        "spender",
        "客人",
    ],
    "aov": ["average basket", "basket value", "平均客单价", "客单"],
    "sales_per_buyer": ["revenue per buyer", "spend per customer", "spend per buyer", "人均"],
    "orders": [
        "invoice",  # "items per invoice" (invoices is one already)
        *ISSUE_VERBS,
        "order volume",
        "how many orders",
        "单量",
        "单数",  # "每个月的付款单数": the orders counted (付款: by payment time, nlq/timebasis)
        "订单量",
        "订单",
        "单子",
        "几单",
        "多少单",
        "几张单",  # 张 counts invoices: "上个月几张单"
        "多少张单",
        "几笔单",
        "多少笔单",
        "卖了多少单",
        "买了多少单",  # "SP的客户上季度买了多少单": orders, not the money
        "买了几单",
        "下单",
        "ordered",
        "invoices",
        "invoice count",
        # issuing an invoice said with 票 ("周几开票最多", "上午开的票多还是下午开的票多")
        *("开票", "开的票", "开票数", "开票量", "开出的票", "开了多少票", "开了几张票"),
        # ... and with 数量 ("11月开票数量和10月相比增加了多少张", B, session 42: was '量' unplaced)
        *("开票数量", "开票的数量", "开票张数"),
    ],
    "repurchase_rate": ["repeat purchase", "复购", "回购"],
    "refund_rate": ["refund ratio", "退款比例", "退款比率"],
    "new_buyers": ["new buyer", "new customer", "新用户", "新顾客", "新客户", "新客户数"],
    "returning_buyers": ["老客户", "老客户数", "老顾客"],  # not 老客 + a stray 户
    "avg_review_score": ["ratings", "stars", "评分"],
}
DIMENSION_WORDS: dict[str, list[str]] = {
    "platform": ["platforms", "channels", "marketplaces", "各平台", "分平台", "哪个平台"],
    "province": [
        "州",
        "省",
        "各州",
        "哪个州",
        "provinces",
        "states",
        "regions",
        "各省",
        "分省",
        "哪个省",
        "省区",
    ],
    "city": ["cities", "各城市", "哪个城市"],
    "category": [
        "categories",
        "product categories",
        "各类目",
        "各品类",
        "哪个类目",
        "哪个品类",
        "类别",
    ],
    "product": [
        *("products", "items", "goods", "商品", "产品", "单品", "宝贝", "货品"),
        # "SPUs", "哪个款": the product (SPU) asked for — 款 alone is a stop word (几款: a counter)
        *("spus", "哪款", "哪个款", "哪一款", "哪一个款"),
    ],
    # "top 3 SKUs by units": the SKU (the line's sku_key; a product's where the export has none)
    "sku": ["skus"],
    "brand": ["brands", "各品牌"],
    "member_level": ["member levels", "membership levels", "tiers", "会员", "等级"],
    "payment_channel": [
        "payment methods",
        "payment channels",
        "payment types",
        "支付方式",
        "付款方式",
        "付款渠道",  # "订单按付款渠道拆": how it was paid (渠道 alone may be the platform)
        "支付渠道",
        "channel",
        "channels",
        "渠道",
    ],
    "status": ["statuses", "order statuses", "各状态"],
    "shop": ["shops", "stores", "各店铺", "哪个店", "哪个店铺", "哪家店铺", "哪家店"],
    "review_score": ["ratings", "scores"],
    "country": ["countries", "各国", "各个国家", "每个国家", "哪个国家", "分国家", "按国家"],
    "outer_code": [
        "stock code",
        "stock codes",
        "stockcode",
        "product code",
        "item code",
        "商品编码",
        "编码",
    ],
}


def add_lexicon(vocab: Vocabulary, metrics: set[str], dimensions: set[str]) -> None:
    """Add the built-in vocabulary, keeping only metrics and dimensions the catalog defines."""
    for (kind, arg), phrases in MODIFIERS.items():
        vocab.add_all(phrases, Term("modifier", kind, arg, weight=30))
    for metric, phrases in METRIC_WORDS.items():
        if metric in metrics:
            vocab.add_all(phrases, Term("metric", metric, weight=15))
    for dim, phrases in DIMENSION_WORDS.items():
        if dim in dimensions:
            vocab.add_all(phrases, Term("dimension", dim, weight=8))


# Words a follow-up starts with ("and only on Tmall?", "那按月呢").
# fmt: off
FOLLOW_UP_WORDS = (
    'and ', 'what about', 'how about', 'only ', 'now ', '那', '那么', '再', '只看', '换成', '改成',
)
# "超过1000的大单", "big orders over R$500", "实付不到50块的小单": the size word says what the
# order-value condition says, placed only beside one (大单 / 小单 alone, "big spenders over 1000"
# are other questions)
HARMLESS_IF_ORDER_VALUE = {'大单', '大额订单', '大额单', '大订单', 'big', 'large', 'bigger', 'larger'}
# ... and the small ones beside an upper bound only (小单 over 1000 is no small order)
HARMLESS_IF_SMALL_ORDER_VALUE = {
    '小单', '小额订单', '小额单', '小订单', '小额', 'small', 'smaller',
}
# "一张就买了1000件以上的发票": one invoice alone — what a condition on an order's own number
# (its value, its pieces) says, placed only beside one
HARMLESS_IF_ORDER_CONDITION = {'一张就', '一单就', '一笔就', '单张就', '单笔就'}
# "带christmas的商品", "products containing 'bag'": the word before a title keyword says what the
# title filter says, placed only beside one
HARMLESS_IF_TITLE = {
    '带', '带有', '含', '含有', '包含', '名字带', '名字里带', '名字里有', '名称含', '标题带',
    '标题含', '标题里有', 'containing', 'contains', 'contain', 'named', 'called', 'titled',
    'contained', 'that contained', 'which contained',  # "orders that contained a lunch bag"
    'included', 'include', 'includes', 'including',  # "invoices that included an ALARM CLOCK"
    '字样', '字眼',  # 带christmas字样的商品
    '东西',  # "小鸟(BIRD)图案的东西卖了几件": the things the title keyword names
    'themed', 'theme', '主题',  # "butterfly-themed items", "蝴蝶主题的商品": the keyword's products
}
# "今年哪3个客户买过的不同商品最多": what each person bought, counted by person — the verb of the
# products counted; beside anything else (买过沙发的客户, 都买过) it is a condition, not a word to drop
HARMLESS_IF_PERSON_PRODUCTS = {'买过'}
# "感恩节到网络星期一那几天": the days of the period named, when it is several days (双11那几天 is
# the days around one day: another question)
HARMLESS_IF_DAYS = {'那几天', '这几天', '那些天', '那段时间', '那段日子'}
# Words that leave a question answerable when nothing else explains them.
HARMLESS = {
    'usually', 'typically', 'generally', 'ever', '一般', '通常', '平时',
    'placed',  # "customers placed an order of over 1,000" (C, session 35): ordered, as 'made'
    'make', 'made', 'earn', 'earned', 'generate', 'generated', 'brought', 'bring', 'got', 'had',
    'get', 'gets',  # "which hour of the day gets the most orders": has
    'based',  # "sellers based in Paraná": located (the place is its own filter)
    'bought', 'buy', 'days', 'month', 'months', '全年', '一年', '整年', '一整年', '全月', '整月',
    '一整月', '整个月', '一天', '一个月', '一整个月', '那个月', '那一个月',
    'they',  # "order the provinces by how many customers they had": the things ranked
    'came',  # "how many reviews came in during August": arrived (counted by their own time)
    'period', 'sell', 'sold', 'time', 'week', 'year', '个', '买',
    '位', '卖', '名', '吗', '呢', '哪', '哪种', '大促', '当天', '时间', '是哪', '最', '期',
    '那天', '那一天', '这天', '这一天',  # THAT_DAY (HARMLESS_IF_ONE_DAY, below)
    'day',  # "Black Friday ...: what did we make that day?" (HARMLESS_IF_ONE_DAY, below)
    '款', '每', '活动', '的是', '购买', '销售', '卖得', '卖的',
    # (卖出去 / 卖掉 / 售出 are not dropped here: "上个月 手机 卖出去 几单" counts the orders SOLD,
    # which the blind sets' golds count by payment, while 几单 alone is the orders placed — session
    # 35 took them as filler for a while and answered the placed orders, two new wrong answers)
    '购物',  # "跨至少3个品类购物的客户": shopped, as 购买 (never 购物车: a word of its own)
    *('这段时间', '这段期间', '这个期间', '这期间', '这段日子', '这一段时间', '那段时间'),
    *HARMLESS_IF_DAYS,
    '买得', '买的',  # "买得最多的客户": bought the most (what is ranked is named apart)
    '已经', 'already',  # "第一次买的人里 已经下了两单以上的": what they did by now (today)
    '给得', '给的', '给了',  # "优惠给得最多的平台": the discount given (the metric is named apart)
    # approximately; "together" (two values of one dimension are one total already: 加起来)
    '大概', '大约', '差不多', 'roughly', 'approximately', 'approx',
    '加起来', '加一起', '加在一起', '一起', '合起来', 'together', 'combined', 'altogether',
    '相关', 'related',  # "圣诞相关的商品": the products the keyword names
    'someone', "someone's", 'someones', 'somebody',  # "between someone's 1st and 2nd order"
    # "哪个平台拉来的新客最多": the customers a platform brought in (as 'brought', 'bring')
    '拉来的', '拉来', '带来的', '拉到的', '引来的', '招来的',
    *HARMLESS_IF_ORDER_VALUE,
    *HARMLESS_IF_PERSON_PRODUCTS,
    *HARMLESS_IF_SMALL_ORDER_VALUE,
    *HARMLESS_IF_ORDER_CONDITION,
    *HARMLESS_IF_TITLE,
    '一单', '单笔',  # HARMLESS_IF_ONE_ORDER (defined below)
    '一件',  # HARMLESS_IF_ONE_ITEM (defined below)
    *('where', '哪里', '哪儿', '什么地方', '哪个地方', '哪些地方'),  # HARMLESS_IF_PLACE (below)
    'went',  # HARMLESS_IF_WENT_TO (below)
}
# Harmless words that are harmless only when the query uses what they refer to (offline
# _harmless_unused): a period's unit with no such breakdown or range ("orders by state and
# month" is not one figure per state), a promotion or "that day" with no period named (大促期间
# is not all time), a superlative (最) with nothing ranked, "value" with no money measured
# ("value of cancelled orders" is not their number).
HARMLESS_IF_UNIT = {
    'month': 'month', 'months': 'month', 'week': 'week', 'year': 'year', 'days': 'day',
    # "17年全年", "2018 一年的营业额": the whole year the period already is
    '全年': 'year', '一年': 'year', '整年': 'year', '一整年': 'year', '全月': 'month',
    '整月': 'month', '一整月': 'month', '整个月': 'month',
    '一天': 'day',  # 一天里的几点: the hour of the day
    # "去年十一月份一个月的营业额", "两个月前那个月": the one month the period already is
    '一个月': 'month', '一整个月': 'month', '那个月': 'month', '那一个月': 'month',
}
HARMLESS_IF_PERIOD = {'期', '当天', '大促', '活动', 'period'}
# "5月1号至6月15号这段时间": the range said just before it (only with a period)
THIS_SPAN = {'这段时间', '这段期间', '这个期间', '这期间', '这段日子', '这一段时间', '那段时间'}
HARMLESS_IF_PERIOD |= THIS_SPAN
# "双11当天": that day, when the period is one day; over a longer one 当天 is another question
# (当天发货: shipped the day it was ordered)
# "上礼拜五那天", "5月20号那天", "昨天那一天" (C, session 35): that day, the one day just named —
# a period of one day; after a longer one ("8月最忙那天", "销量最高的那天") it is a day picked from
# it, another question, and stays unplaced
THAT_DAY = {'那天', '那一天', '这天', '这一天'}
# "what did we make that day" said of one day named (Black Friday): the day itself ('that' is a
# stopword); of a longer period ("sales per day last week", "the day we sold most") it is left
HARMLESS_IF_ONE_DAY = {'当天', 'day', *THAT_DAY}
HARMLESS_IF_RANKED = {'最'}
# "最久的一单用了几天", "单笔最大": one order, what the highest / lowest of an order's own figure
# already is; beside any other figure (只买过一单的客户) it is a condition, not a word to drop
HARMLESS_IF_ONE_ORDER = {'一单', '单笔'}
# "今年卖出去单价最高的一件多少钱": one item, what the highest / lowest of an order line's own
# figure already is; beside any other figure (只买了一件的订单) it is a condition
HARMLESS_IF_ONE_ITEM = {'一件'}
# 款 (a style: a product) says what a product breakdown or count says; with neither ("近30天卖了几个
# 不同的款": how many products) it is the thing counted, not a word to drop
HARMLESS_IF_PRODUCT = {'款'}
# "Where did Douyin sell the most? Top 3 provinces", "在哪里卖得最多的三个省": where, when the rows
# are places already (a province, a city, a country …); with no place to rank it asks which kind
# of place, not said (g, session 30)
HARMLESS_IF_PLACE = {'where', '哪里', '哪儿', '什么地方', '哪个地方', '哪些地方'}
PLACE_DIMS = {'province', 'city', 'country', 'sales_region', 'seller_city', 'seller_state'}
HARMLESS_IF_MONEY = {'value', 'values'}  # stop words: looked for outside the mentions
# "what % of july orders went to RJ", "units went to EIRE": where the things counted went, said
# right before the place filtered on (f, session 31: three sets); "sales went up" (a change),
# "went to customers outside the UK" and "went with SF" (a carrier: the share of orders with a
# carrier known, not of every shipped order — heldout7 h7_d54) stay unplaced
HARMLESS_IF_WENT_TO = {'went'}
WENT_TO_DIMS = PLACE_DIMS
# fmt: on
# Single Chinese characters that leave a question answerable when nothing else explains them:
# particles, "how many" and measure words. Any other single character left over carries meaning
# (件 in 件单价, 单 in 多少单, 钱, 人, 退) and makes the question not understood (issue 11).
HARMLESS_CHARS = set("几多过了用家种以又再就还也得地着么呀哦嘛啦哈数那这")
HARMLESS_CHARS |= set("会")  # 平均会下多少次单: "will", a modal
HARMLESS_CHARS |= set("拿货")  # 拿X付的 (paid with X), 几件货 (pieces of goods)


# "多个卖家的订单", "多个平台的订单数": several things per order or person — a condition
# (orders with several sellers) that the people sets read where they can; left over, it is not
# the 多 of 多少 and leaves the question not understood (never all the orders by seller).
SEVERAL_ZH = {"多个", "多种", "多款", "多位", "多名", "多笔"}
# goods said with a word of having or lacking ("有货的商品", "缺货的SKU"): whether in stock — never
# the harmless 货 of 几件货 once 有 is cut off as a stop word; left over, the question is refused
STOCK_STATE_ZH = {"有货", "缺货", "无货", "没货", "断货", "现货", "到货了"}


def _register_whole_words() -> None:
    """The Chinese words above that hold a stop word ("一个月": 个) are found whole in what is
    left over (nlq/linking.KEEP_WHOLE), so their rules see them."""
    from shopql.nlq.linking import _CJK, KEEP_WHOLE, STOPWORDS_ZH

    words = {*HARMLESS, *HARMLESS_IF_UNIT, *HARMLESS_IF_PERIOD}
    words |= {w for unit in UNIT_WORDS.values() for w in unit}
    # "多个卖家的订单": several (not 多 of 多少 once 个 is cut off) — never harmless
    KEEP_WHOLE.update(SEVERAL_ZH)
    KEEP_WHOLE.update(STOCK_STATE_ZH)
    stops = sorted(STOPWORDS_ZH, key=len, reverse=True)
    for w in words:
        if not _CJK.fullmatch(w) or len(w) < 2:
            continue
        cut = w
        for stop in stops:
            cut = cut.replace(stop, " ")
        # only where cutting leaves a piece no rule knows ("一个月" → 一, 月); a word whose
        # pieces are known anyway ("是哪", "买的") is left to the stop words, so it never takes
        # a character from a longer stop word beside it ("是哪些": 哪些)
        # a piece harmless only beside a title keyword is not known in another word ("带来的":
        # brought, not the 带 of 带christmas字样)
        if any(
            (piece not in words or (piece in HARMLESS_IF_TITLE and w not in HARMLESS_IF_TITLE))
            and piece not in HARMLESS_CHARS
            for piece in cut.split()
        ):
            KEEP_WHOLE.add(w)


def unplaced(words: list[str]) -> list[str]:
    """The leftover words that matter: not harmless, and longer than one character unless a
    letter ("C invoices"; the articles are stop words), a number, a symbol, a Chinese character
    that bounds or negates ("5 stars", "%", "6月后", "除了") or any other single Chinese character
    that is not a particle (件 in 件单价)."""
    return [
        w
        for w in words
        if w not in HARMLESS
        and (
            len(w) > 1
            or (w.isascii() and w.isalpha())  # "C invoices", "plan B": a letter names something
            or not w.isalpha()
            or w in CONTENT_CHARACTERS
            or (not w.isascii() and w not in HARMLESS_CHARS)
        )
    ]


# One Chinese character that changes the question when nothing placed it: a period's bound
# ("6月后", "2018年以前"), a threshold ("超100"), an exclusion ("除", "不", "没", "未", "非"), a
# rate ("取消率": not the count of cancelled orders).
CONTENT_CHARACTERS = set("前后以起超满除不没未非率")  # 率: "取消率" is a rate, not a count


# Unit words a metric's answer is counted in: left over beside a metric of that unit they are
# placed ("复购间隔平均多少天", "多少钱"); beside another (件 in 件单价: an average unit price is
# not per piece sold) they stay unplaced, so the question is not answered as a different one.
# what a duration takes, said with its own verb: 要多少小时, 平均要等几分钟, 付款后等了几天, 发货到签收
# 走了几天 (the days it took), placed beside a duration only
# "how many days did buyers wait from ordering to receiving": the wait of the one waiting (磨蹭 is
# read only before 几天才发货: languages.yaml — 超过3天才发货的单 平均拖了几天 / 磨蹭了几天 is the
# delay beyond a bound, dev_w26 w26o23, refused)
DURATION_TAKES = {
    *("要等", "得等", "等", "等了", "走", "走了"),
    *("wait", "waited", "waits"),
}
UNIT_WORDS: dict[str, set[str]] = {
    # 隔多少天: days apart; "how long" (how is a stop word)
    "days": {
        "天",
        "日",
        "days",
        "隔",
        "间隔",
        "相隔",
        "相差",
        "差",
        "过去了",
        "过去",
        "apart",
        "long",
        "span",  # "the average span in days from their first to their last invoice"
    }
    | {
        "要几天",
        "要多少天",
        "需要几天",
        "需要多少天",
        "要多久",
        "需要多久",
        "多久",  # 付款到发货平均多久
        "多长时间",
    }
    | DURATION_TAKES,  # 平均要几天: it takes
    "hours": {"小时", "hours", "隔", "间隔", "相隔", "apart", "long", "多久", "多长时间"}
    | DURATION_TAKES,
    "minutes": {"分钟", "minutes", "多久", "多长时间"} | DURATION_TAKES,
    # verbs of an amount: 收了多少 (collected), 付了多少, 花了多少, 赚了多少
    # 金额 / 多少钱 asked of a money metric; "postage charged", "amount billed"
    "money": {
        "钱",
        "元",
        "块",
        "块钱",
        "收",
        "付",
        "花",
        "赚",
        "挣",
        "让",
        "金额",
        "总金额",
        "多少钱",
    }
    | {"money", "charged", "billed", "collected", "given", "gave", "收过", "收了", "花了", "付了"}
    | {"花钱", "赚钱", "挣钱", "收钱"},
}
METRIC_UNIT_WORDS: dict[str, set[str]] = {
    "units": {"件", "条", "套", "个", *PIECE_WORDS},
    "orders": {"单", "笔", "张"},  # 张: 几张发票 / 几张订单
    "new_sellers": {"家", "个", "位"},  # 8月新卖家几家 (C, session 35): as 几家卖家
    "review_count": {"条"},  # 几条评价
    "positive_reviews": {"条"},
    "negative_reviews": {"条"},
    "paid_orders": {"单", "笔", "张"},
    "orders_per_buyer": {"单", "笔", "张"},  # 人均开了几张发票: orders (invoices) per buyer
    "refunded_orders": {"单", "笔", "张"},
    "returned_orders": {"单", "笔", "张"},
    "inventory_on_hand": {"件", "个", "条", "套"},
    "inventory_available": {"件", "个", "条", "套"},
    "inventory_reserved": {"件", "个", "条", "套"},
    "buyers": {"人", "位"},
    "new_buyers": {"人", "位"},
    "repeat_buyers": {"人", "位"},
    "returning_buyers": {"人", "位"},
}
# Words of change, placed by a comparison with another period ("9月订单数比8月涨了多少")
CHANGE_WORDS = {
    "涨",
    "跌",
    "降",
    "增",
    "减",
    "增加",
    "减少",
    "下降",
    "上涨",
    "涨了",
    "跌了",
    "涨跌",
    "变",  # "7月比6月变了百分之几": by what % it moved (the comparison's change)
    "变了",
    "变动",
    "变动了",
}
# A bare refund word beside an order count ("多少订单退款", "orders with a refund"): refunded
# orders, not all orders and the refund amount side by side.
BARE_REFUND_WORDS = {"refund", "refunds", "退款", "退了", "退钱"}


# Abbreviations sellers type, read as the words they stand for (nlq/typos.expand says so).
ABBREVIATIONS = {
    "qtr": "quarter", "qtrs": "quarters", "hr": "hour", "hrs": "hours", "mth": "month",
    "mths": "months", "wk": "week", "wks": "weeks", "pct": "%", "rev": "revenue", "amt": "amount", "diff": "different",
    "pls": "please", "plz": "please", "w/": "with", "w/o": "without",
    "against": "vs",  # "first half 2018 against first half 2017"
    "prior month": "previous month", "prior week": "previous week",  # "last month vs prior month"
    "prior quarter": "previous quarter", "prior year": "previous year",
    "per head": "per customer",  # "average spend per head": per person
    # chat shorthand ("last wk", "sales last mnth", "how many categories r there", "ppl")
    "mnth": "month", "mnths": "months", "yrs": "years",
    "ppl": "people", "r": "are", "u": "you", "ur": "your",
    "custs": "customers", "cust": "customer",  # "# of custs", "avg spend per cust"
    "cats": "categories",  # "all the moveis_* cats together"
    # "break down 2018 orders by hour": a breakdown, said by the "by". (Not "based in": "sales
    # from sellers based in PR" would filter the order's first seller's state, not the lines'.)
    "break down": "breakdown", "broken out": "breakdown", "break out": "breakdown",
    # slips of short words, below the typo reader's five letters (nlq/typos.py)
    "yaer": "year", "yera": "year", "wiht": "with", "whit": "with", "teh": "the",
    "sel": "sell", "sels": "sells", "seling": "selling",  # "how many lunch bags did we sel"
    # "their very first order", "a customer's first-ever order": the first order, emphasised
    "very first": "first", "first-ever": "first", "first ever": "first",
}  # fmt: skip


# "so far", "到目前为止": the period named up to today (nlq/periods.said_to_date). Not 为止 alone:
# "到11月为止" ends with November. Patterns, longest first (English ones whole words).
TO_DATE_WORDS = (
    r"到目前为止|到现在为止|到今天为止|迄今为止|目前为止|截[至止]到?(?:目前|现在|今天|今日)(?:为止)?",
    r"到目前|到现在|到今天|至今|迄今",
    r"\b(?:so far|thus far|to date|until now|till now|up (?:to|till|until) (?:now|today)"
    r"|until today|as of (?:now|today))\b",
)


# Questions the offline engine answers, offered when it cannot answer one ({year}: last year).
SUGGESTIONS = {
    "en": [
        "paid GMV by platform last month",
        "top 10 products by units sold last 3 months",
        "orders by month in {year}",
        "repurchase rate by platform",
        "average order value by province last quarter",
        "top sellers last 3 months and their buyer profile",
        "paid GMV last month vs the month before",
    ],
    "zh": [
        "上个月各平台的支付金额",
        "近三个月销量前十的商品",
        "{year}年每月订单数",
        "复购率按平台",
        "上季度各省份客单价",
        "近三个月销量前十的商品及其买家画像",
        "本月销售额环比",
    ],
}


_register_whole_words()
