"""Paraphrase hunt (issue 11: never answer a different question): rewrite answered questions with
rules that KEEP their meaning, and list the paraphrases the offline engine answers with another
query and other rows than the original (two phrasings of one question, two answers: one is wrong).

    .venv/bin/python bench/hunts/paraphrases.py --ws /work/ws-a [--rules metric,width] \
        [--per-rule 80] [--sets dev_w27,heldout5] [--out /tmp/para.jsonl] [--show changed,error]

--ws is a folder holding the synced workspaces olist/, retail/, demo/ (the eval's). The questions
are drawn only from the sets `sets.allowed_sets` names (dev sets, golden, heldout, heldout2 …
heldout20 — never the blind measure). A question gets at most one paraphrase per rule, and a rule
at most --per-rule originals (chosen by a stable hash, so reruns pick the same ones).

Each paraphrase is classified against the original's answer:
  same      the same main SQL
  same_rows another SQL, the same rows (numbers compared rounded to 2 decimals)
  refused   the engine refused it (acceptable: a refusal never answers another question)
  changed   answered with another SQL and other rows: one of the two phrasings is wrong — a finding
  error     the engine crashed (a bug in itself)

Rules (each written so it cannot change the meaning; read the `changed` ones by hand anyway):
  metric     a metric synonym from catalog/default/metrics.yaml swapped for that metric's own label
             in the same language (销售额 → 支付金额, revenue → paid gmv); only noun-like synonyms,
             never inside a longer synonym nor after a modifier (新客户数 is not 客户数)
  dimension  a dimension synonym swapped for another of the same dimension (品类 ↔ 类目, 平台 ↔ 渠道,
             省份 ↔ 省)
  timefront  a Chinese period moved to the front (各品类2017年的销售额 → 2017年，各品类的销售额);
             an English period at the end moved to the front (…in 2017 → In 2017, …)
  spaces     spaces added between a Chinese word and a number (2017年 → 2017 年), or all spaces
             between two Chinese characters removed
  de         的 added after a period (2017年销售额 → 2017年的销售额) or removed there
  width      half-width digits / ? , → full-width, or full-width ones → half-width
  jiduoshao  多少个/单/件/家/位/笔 ↔ 几个/单/件/家/位/笔 (几月 — which month — is never touched)
  howmany    "number of orders" → "order count", "how many orders" → "the number of orders"
  polite     a polite filler added (请问 / 帮我看下 / pls / show me) or a leading 请问 / please removed
  qmark      a trailing ？ / ? added, or removed
  metric2    a noun-like metric synonym swapped for up to three other ones of the same metric
             (销售额 → 成交额 / 营业额, 客户数 → 买家数; English noun for noun, never to a count word)
  numerals   前3 ↔ 前三, top 5 ↔ top five (small counts only)
  periodwords 上个月 ↔ 上月 / 上一个月, 本月 ↔ 这个月, 上季度 ↔ 上个季度, 2017年 ↔ 17年, 8月 ↔ 8月份,
             第一季度 ↔ 一季度, 近30天 → 最近30天 → 过去30天, last month → the previous month,
             last 30 days → past 30 days, in 2017 → during 2017
  each       各X ↔ 每个X ↔ 各个X / 每一个X, 按X → 分X, 哪个 → 哪一个, "by state" → "for each
             state" (a breakdown only: never beside top/most/rank; never "per X" ↔ "by X": "revenue
             per seller" is an average, "revenue by seller" a list)
  tail       …的销售额是多少 → …的销售额, or 是多少 added after a metric at the end
  case       an English question lower-cased, or its first letter capitalised
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import drive
import yaml
from mutations import Runner
from sets import allowed_sets

ROOT = Path(__file__).resolve().parents[2]
CJK = r"\u4e00-\u9fff"
_HAS_CJK = re.compile(f"[{CJK}]")

_ZH_PERIOD = (
    r"(?<![上下前后近至到\d])(?:\d{4}\s*年\s*(?:\d{1,2}\s*月(?:份)?|第?[一二三四1-4]\s*季度|[上下]半年)?"
    r"|去年(?:\d{1,2}\s*月份?|[上下]半年)?|今年(?:\d{1,2}\s*月份?|[上下]半年)?"
    r"|上个?月|本月|这个月|上季度|上个季度|上周|本周)"
)
_EN_PERIOD = (
    r"(?:in (?:(?:\w+ )?\d{4}|Q[1-4] \d{4})|last (?:month|year|quarter|week)|this (?:month|year))"
)

# ---- metric synonyms (catalog) ----------------------------------------------------------------

_NOUNLIKE_ZH = re.compile(r"(额|数|量|率|价|销量|金额|评分)$")
_VERBISH_EN = re.compile(
    r"\b(was|were|did|do|we|much|how|bring|brings|bringing|brought|take|took|made|viewed|browsed|rated|favou?rited"
    r"|added|carted|naming|minus|who|but|by)\b"
)
_MODIFIER_BEFORE = set("新老净总均首子退未已平复回有无买卖每")


def _metric_swaps() -> tuple[list[tuple[str, str, str]], set[str]]:
    """(synonym, replacement, metric) for noun-like synonyms; and every synonym of the catalog (for
    the longer-match guard)."""
    cat = ROOT / "catalog" / "default"
    metrics = yaml.safe_load((cat / "metrics.yaml").read_text(encoding="utf-8"))["metrics"]
    every: set[str] = set()
    for f in ("metrics.yaml", "semantic_models.yaml", "measurables.yaml"):
        for m in re.finditer(r"synonyms:\s*\[([^\]]*)\]", (cat / f).read_text(encoding="utf-8")):
            every.update(s.strip().strip("'\"").lower() for s in m.group(1).split(","))
    out = []
    for m in metrics:
        label = m.get("label") or {}
        zh, en = label.get("zh", ""), label.get("en", "").lower()
        for s in m.get("synonyms") or []:
            s = str(s)
            if _HAS_CJK.search(s):
                if not zh or "（" in zh or s == zh or not _NOUNLIKE_ZH.search(s):
                    continue
                if not _NOUNLIKE_ZH.search(zh) or len(s) < 3:
                    continue
                out.append((s, zh, m["name"]))
            else:
                if not en or "(" in en or s.lower() == en or _VERBISH_EN.search(s.lower()):
                    continue
                if len(s.split()) > 3 or len(s) < 3:
                    continue
                out.append((s, en, m["name"]))
    out.sort(key=lambda t: -len(t[0]))
    return out, every


_SWAPS, _EVERY = _metric_swaps()


def _covered(q: str, start: int, end: int) -> bool:
    """Whether q[start:end] lies inside a longer catalog synonym found in q."""
    low = q.lower()
    for syn in _EVERY:
        if len(syn) <= end - start or syn not in low:
            continue
        for m in re.finditer(re.escape(syn), low):
            if m.start() <= start and m.end() >= end:
                return True
    return False


def metric(q: str) -> list[tuple[str, str]]:
    for syn, repl, name in _SWAPS:
        if _HAS_CJK.search(syn):
            pat = re.escape(syn)
        else:
            pat = r"(?<![\w-])" + re.escape(syn) + r"(?![\w-])"
        m = re.search(pat, q, flags=re.IGNORECASE)
        if not m or _covered(q, m.start(), m.end()):
            continue
        if _HAS_CJK.search(syn) and m.start() > 0 and q[m.start() - 1] in _MODIFIER_BEFORE:
            continue
        return [(f"{syn} -> {repl} ({name})", q[: m.start()] + repl + q[m.end() :])]
    return []


# ---- regex rules ------------------------------------------------------------------------------

_DIM = [
    (r"(?<![商产])品类", "类目"),
    (r"(?<![商产])类目", "品类"),
    (r"(?<![电支付款])平台", "渠道"),
    (r"(?<![支付款])渠道", "平台"),
    (r"省份", "省"),
]


def _subs(rules: list[tuple[str, str]]) -> Callable[[str], list[tuple[str, str]]]:
    def f(q: str) -> list[tuple[str, str]]:
        out = []
        for pat, repl in rules:
            new = re.sub(pat, repl, q, count=1, flags=re.IGNORECASE)
            if new != q:
                out.append((f"{pat} -> {repl}", new))
        return out

    return f


def timefront(q: str) -> list[tuple[str, str]]:
    out = []
    zh = list(re.finditer(_ZH_PERIOD, q))
    if (
        len(zh) == 1
        and zh[0].start() > 0
        and not re.search(r"(比|和|与|跟|从|到|至|对比|相比|vs|同期|截至|除了|不在|去年同)", q)
    ):
        m = zh[0]
        tail = q[m.end() :]
        if not re.match(
            r"\s*(以来|之前|之后|以前|以后|至今|到|底|初|末|中|前|后|内|以外|每|各|的每|里的每)",
            tail,
        ):
            head = q[: m.start()]
            if head.endswith("在"):
                head = head[:-1]
            tail = re.sub(r"^\s*的", "", tail)
            if head.strip() and tail.strip():
                tail = tail if head.endswith(" ") or not tail.startswith(" ") else tail
                out.append(
                    ("zh period to front", f"{m.group(0).strip()}，{head.strip()}{tail.rstrip()}")
                )
    en = list(re.finditer(_EN_PERIOD, q, flags=re.IGNORECASE))
    if (
        len(en) == 1
        and not re.search(
            r"\b(than|vs|versus|compared|between|from|since|until|before|after)\b", q, re.I
        )
        and re.fullmatch(r"\s*[?.]?\s*", q[en[0].end() :])
    ):
        m = en[0]
        head = q[: m.start()].rstrip(" ,")
        period = m.group(0)
        if head and not head.lower().endswith((" of", " for", " per", " each")):
            out.append(
                (
                    "en period to front",
                    f"{period[0].upper()}{period[1:]}, {head[0].lower()}{head[1:]}{q[m.end() :].strip()}",
                )
            )
    return out


def spaces(q: str) -> list[tuple[str, str]]:
    out = []
    if _HAS_CJK.search(q):
        new = re.sub(rf"(?<=[{CJK}])(?=\d)|(?<=\d)(?=[{CJK}])", " ", q)
        if new != q:
            out.append(("space around numbers", new))
        new = re.sub(rf"(?<=[{CJK}])\s+(?=[{CJK}])", "", q)
        if new != q:
            out.append(("spaces between CJK removed", new))
    return out


def de(q: str) -> list[tuple[str, str]]:
    out = []
    m = re.search(
        rf"({_ZH_PERIOD})(?=[{CJK}])(?!的|以|之|至|到|底|初|末|中|前|后|内|每|各|和|与|跟|比|同|环|的)",
        q,
    )
    if m and any(q[m.end() :].startswith(s) for s in _EVERY if _HAS_CJK.search(s) and len(s) > 1):
        out.append(("的 after period added", q[: m.end()] + "的" + q[m.end() :]))
    m = re.search(rf"({_ZH_PERIOD})的(?=[{CJK}])", q)
    if m:
        out.append(("的 after period removed", q[: m.end() - 1] + q[m.end() :]))
    return out


_FULL = str.maketrans("0123456789?,", "０１２３４５６７８９？，")
_HALF = str.maketrans("０１２３４５６７８９？，", "0123456789?,")


def width(q: str) -> list[tuple[str, str]]:
    out = []
    if _HAS_CJK.search(q) and re.search(r"[0-9?,]", q):
        out.append(("half -> full width", q.translate(_FULL)))
    if re.search("[０-９？，]", q):
        out.append(("full -> half width", q.translate(_HALF)))
    return out


_JI = [
    (r"多少(个|单|件|家|位|笔)", r"几\1"),
    (r"(?<![第这那哪])几(个|单|件|家|位|笔)", r"多少\1"),
]
_HOWMANY = [
    (r"\bnumber of orders\b", "order count"),
    (r"\bhow many orders\b", "the number of orders"),
    (r"\bhow many customers\b", "the number of customers"),
    (r"\bnumber of customers\b", "customer count"),
]


def polite(q: str) -> list[tuple[str, str]]:
    out = []
    if _HAS_CJK.search(q):
        if q.startswith("请问"):
            out.append(("请问 removed", q[2:].lstrip("，, ")))
        else:
            out.append(("请问 added", "请问" + q))
            out.append(("帮我看下 added", "帮我看下" + q))
    else:
        if re.match(r"please,?\s+", q, re.I):
            out.append(("please removed", re.sub(r"^please,?\s+", "", q, flags=re.I)))
        else:
            out.append(("pls added", "pls " + q[0].lower() + q[1:]))
            if not re.match(
                r"(?i)(what|how|which|who|when|where|show|list|give|is|are|did|do|does)\b", q
            ):
                out.append(("show me added", "show me " + q[0].lower() + q[1:]))
    return out


def qmark(q: str) -> list[tuple[str, str]]:
    s = q.rstrip()
    if s.endswith(("?", "？")):
        return [("trailing ? removed", s[:-1].rstrip())]
    return [("trailing ？ added", s + ("？" if _HAS_CJK.search(s) else "?"))]


def metric2(q: str) -> list[tuple[str, str]]:
    """A noun-like metric synonym swapped for up to three OTHER noun-like synonyms of the metric."""
    for syn, _repl, name in _SWAPS:
        zh = bool(_HAS_CJK.search(syn))
        pat = re.escape(syn) if zh else r"(?<![\w-])" + re.escape(syn) + r"(?![\w-])"
        m = re.search(pat, q, flags=re.IGNORECASE)
        if not m or _covered(q, m.start(), m.end()):
            continue
        if zh and m.start() > 0 and q[m.start() - 1] in _MODIFIER_BEFORE:
            continue
        others = [
            s for s, _r, n in _SWAPS
            if n == name and s.lower() != syn.lower() and bool(_HAS_CJK.search(s)) == zh
        ]  # fmt: skip
        if not zh:  # a people noun (customers) is no count: keep English swaps noun for noun
            others = [
                o for o in others if not re.search(r"\b(count|number|rate|paying)\b", o, re.I)
            ]
        others = sorted(others, key=lambda s: _stable(q + s))[:3]
        return [(f"{syn} -> {o} ({name})", q[: m.start()] + o + q[m.end() :]) for o in others]
    return []


_CN = "零一二三四五六七八九十"


def _cn(n: int) -> str:
    if n <= 10:
        return _CN[n]
    if n < 20:
        return "十" + _CN[n - 10]
    return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")


_EN_NUM = "zero one two three four five six seven eight nine ten".split()


def numerals(q: str) -> list[tuple[str, str]]:
    """前3 ↔ 前三, 3个 → 三个, top 3 ↔ top three (small counts only; never years, months, days)."""
    out = []
    m = re.search(
        r"(前|后|最[大小多少高低]的?)(\d{1,2})(?=\s*(个|名|大|家|位|款|种|州|城|国|品|类|$))", q
    )
    if m and 1 < int(m.group(2)) <= 20:
        out.append(("digit -> 汉字", q[: m.start(2)] + _cn(int(m.group(2))) + q[m.end(2) :]))
    m = re.search(r"(前|后)([二三四五六七八九十]{1,2})(?=\s*(个|名|大|家|位|款|种))", q)
    if m:
        v = {_cn(i): i for i in range(2, 21)}.get(m.group(2))
        if v:
            out.append(("汉字 -> digit", q[: m.start(2)] + str(v) + q[m.end(2) :]))
    m = re.search(r"\b(top|bottom) ?(\d{1,2})\b", q, re.I)
    if m and 1 < int(m.group(2)) <= 10:
        out.append(
            (
                "top N -> top word",
                q[: m.start()] + f"{m.group(1)} {_EN_NUM[int(m.group(2))]}" + q[m.end() :],
            )
        )
    m = re.search(r"\b(top|bottom) (" + "|".join(_EN_NUM[2:]) + r")\b", q, re.I)
    if m:
        out.append(
            (
                "top word -> top N",
                q[: m.start()] + f"{m.group(1)} {_EN_NUM.index(m.group(2).lower())}" + q[m.end() :],
            )
        )
    return out


_PERIODWORDS = [
    (r"上个月", "上月"),
    (r"(?<![上本这])上月", "上个月"),
    (r"这个月", "本月"),
    (r"本月", "这个月"),
    (r"上季度", "上个季度"),
    (r"上个季度", "上季度"),
    (r"(?<!\d)20(1\d)年", r"\1年"),
    (r"(?<![\d年])(1\d)年", r"20\1年"),
    (r"(?<![\d/\-年])(1[0-2]|[1-9])月(?!份)", r"\1月份"),
    (r"(?<![\d/\-年])(1[0-2]|[1-9])月份", r"\1月"),
    (r"第([一二三四])季度", r"\1季度"),
    (r"(?<!第)([一二三四])季度", r"第\1季度"),
    (r"(?<![最过])近\s*(\d+)\s*天", r"最近\1天"),
    (r"最近\s*(\d+)\s*天", r"过去\1天"),
    (r"上个月", "上一个月"),
    (r"\blast (\d+) days\b", r"past \1 days"),
    (r"\blast month\b", "the previous month"),
    (r"\blast year\b", "the previous year"),
    (r"\bin (\d{4})\b", r"during \1"),
]
_EACH = [
    (r"各(品类|类目|州|城市|国家|平台|渠道|卖家|商品|省)", r"每个\1"),
    (r"每个(品类|类目|州|城市|国家|平台|渠道|卖家|商品|省)", r"各\1"),
    (r"按(品类|类目|州|城市|国家|平台|渠道|省份?)", r"分\1"),
    (r"哪个(?!月|季度|星期|周|时间|时候)", "哪一个"),
    (r"各(品类|类目|州|城市|国家|平台|渠道|卖家|商品|省)", r"各个\1"),
    (r"每个(品类|类目|州|城市|国家|平台|渠道|卖家|商品|省)", r"每一个\1"),
    # a breakdown, never a ranking ("top 5 … by country": for each country's top 5 is another)
    (
        r"^(?!.*\b(?:top|bottom|most|least|highest|lowest|best|worst|rank)\b)(.*?)"
        r"\bby (category|state|city|country|platform|channel)\b",
        r"\1for each \2",
    ),
    # never "by X" <-> "per X": "revenue per seller" is an average, "revenue by seller" a breakdown
    (r"\bfor each (category|state|city|country|platform|channel|seller|month)\b", r"for every \1"),
]


def tail(q: str) -> list[tuple[str, str]]:
    """A trailing 是多少 / 有多少 / 多少 ask removed (…的销售额是多少 → …的销售额), or 是多少 added after
    a metric at the end."""
    s = q.rstrip(" ？?")
    m = re.search(r"(的)?([额数量率价])\s*(是多少|有多少|是几)$", s)
    if m:
        return [("是多少 removed", s[: m.end(2)])]
    if not re.search("多少|几|哪", s) and any(
        s.endswith(x) for x, _r, _n in _SWAPS if _HAS_CJK.search(x)
    ):
        return [("是多少 added", s + "是多少")]
    return []


def case(q: str) -> list[tuple[str, str]]:
    if _HAS_CJK.search(q) or not re.search("[A-Za-z]", q):
        return []
    if q != q.lower():
        return [("lower-cased", q.lower())]
    return [("first letter capitalised", q[0].upper() + q[1:])]


RULES: dict[str, Callable[[str], list[tuple[str, str]]]] = {
    "metric2": metric2,
    "numerals": numerals,
    "periodwords": _subs(_PERIODWORDS),
    "each": _subs(_EACH),
    "tail": tail,
    "case": case,
    "metric": metric,
    "dimension": _subs(_DIM),
    "timefront": timefront,
    "spaces": spaces,
    "de": de,
    "width": width,
    "jiduoshao": _subs(_JI),
    "howmany": _subs(_HOWMANY),
    "polite": polite,
    "qmark": qmark,
}


def _num(v: str) -> Any:
    try:
        return round(float(v), 2)
    except ValueError:
        return v


def _same_values(a: Any, b: Any) -> bool:
    """The same rows once numbers are rounded to 2 decimals (10.66 and 10.6553…: one answer)."""
    if not isinstance(a, list) or not isinstance(b, list) or len(a) != len(b):
        return False
    return all(
        len(x) == len(y) and all(_num(u) == _num(v) for u, v in zip(x, y, strict=True))
        for x, y in zip(a, b, strict=True)
    )


def _stable(key: str) -> str:
    return hashlib.sha1(key.encode()).hexdigest()


def main(argv: list[str] | None = None) -> int:

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ws", type=Path, required=True, help="folder with olist/ retail/ demo/")
    ap.add_argument("--rules", default=",".join(RULES), help="comma-separated rules")
    ap.add_argument("--per-rule", type=int, default=80, help="originals per rule")
    ap.add_argument("--sets", default="", help="comma-separated set names (default: all allowed)")
    ap.add_argument("--out", type=Path, default=Path("/tmp/paraphrases.jsonl"))
    ap.add_argument("--show", default="changed,error", help="classes to print (comma-separated)")
    ap.add_argument("--list", action="store_true", help="only print the paraphrases, run nothing")
    args = ap.parse_args(argv)
    rules = [r for r in args.rules.split(",") if r]
    for r in rules:
        if r not in RULES:
            ap.error(f"unknown rule {r!r}: one of {', '.join(RULES)}")
    only = [s for s in args.sets.split(",") if s] or None

    def rewrite(question: str) -> Any:
        for rule in rules:
            for how, new in RULES[rule](question):
                yield rule, how, new

    found = drive.collect(allowed_sets(only), rewrite)
    if args.list:
        for rule in rules:
            for cid in drive.picked(found, rule)[: args.per_rule]:
                for case, how, new in found[rule][cid]:
                    print(f"[{rule}] {how}\n  {case.question}\n  {new}")
        return 0

    def record(rule: str, cid: str, case: Any, how: str, new: str, cls: str, o: Any, p: Any) -> Any:
        changed = cls == "changed"
        return {
            "rule": rule, "how": how, "id": cid, "dataset": case.dataset,
            "original": case.question, "paraphrase": new, "class": cls,
            "sql": p[1] if cls != "same" else "", "original_sql": o[1] if changed else "",
            "rows": p[2] if changed else "", "original_rows": o[2] if changed else "",
            "detail": p[2] if p[0] != "answered" else "",
        }  # fmt: skip

    show = set(args.show.split(","))
    counts = drive.run(
        Runner(args.ws), found, rules, args.per_rule, args.out, show, _same_values, record
    )
    drive.summary(counts, rules, "rule", "paraphrases")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT.parent))
    raise SystemExit(main())
