"""Deletion probe (issue 11: never answer a different question): words the offline engine read
but whose meaning never reached the query.

    python bench/hunts/deletion_probe.py --workspaces DIR [--sets dev_w27,heldout2] [--out F.json]

For every question of the sets that the offline engine answers (understood with every word
placed), each content word or phrase is removed in turn — the linker's own mentions (the
vocabulary's longest phrases, as `nlq.linking.link` finds them) and the words it leaves over
(Latin words, Chinese runs cut at the stop words) — and the question is understood again. A
word whose removal leaves the semantic query identical (and the answer still confident) was
consumed without effect: an inert word. Function words and pure redundancy (多少, 的, how
many …) are counted apart (FUNCTION below), the rest are listed by word with counts and
examples. The sets are the dev sets, golden.yaml and the retired held-out sets heldout.yaml,
heldout2..heldout20 — never a blind set (heldout21 and later, dev_w28b).

`--workspaces` holds one workspace per dataset (olist, retail, demo), as /work/ws-X.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from sets import is_blind

ROOT = Path(__file__).resolve().parents[2]
SETS = ROOT / "tests" / "nlq"

# words whose removal may rightly leave the query as it was: question words, politeness,
# particles, "total" words that say nothing a bare metric does not (each a reviewed redundancy)
FUNCTION = {
    *(
        "多少",
        "多少个",
        "多少钱",
        "几",
        "几个",
        "是多少",
        "有多少",
        "一共",
        "总共",
        "共",
        "总",
        "总计",
        "合计",
    ),
    *(
        "的",
        "了",
        "是",
        "有",
        "在",
        "吗",
        "呢",
        "请",
        "请问",
        "一下",
        "帮我",
        "给我",
        "看看",
        "看一下",
    ),
    *(
        "查",
        "查一下",
        "统计",
        "统计一下",
        "列出",
        "列一下",
        "显示",
        "分别",
        "各",
        "各自",
        "都",
        "哪些",
    ),
    *("哪个", "哪", "什么", "怎么样", "如何", "情况", "数据", "数", "量", "数量", "个", "笔", "单"),
    *("how", "many", "much", "what", "which", "total", "number", "please", "show", "me", "list"),
    *("give", "tell", "count", "overall", "all", "each", "every", "do", "does", "did", "we", "our"),
    *("there", "have", "has", "get", "got", "so", "far", "in", "the", "of", "by", "per", "did"),
}

_WORD = re.compile(r"[a-z0-9_][a-z0-9_'\-\.]*")
_CJK = re.compile(r"[\u4e00-\u9fff]+")


def prepared(ws: Any, question: str) -> str:
    """The question as the offline engine reads it (nlq/answer.py answer_offline's steps)."""
    from shopql.nlq.answer import _date_gaps_closed, _values_listed
    from shopql.nlq.requests import without_requests
    from shopql.nlq.shared import without_cjk_spaces
    from shopql.nlq.traditional import as_simplified
    from shopql.nlq.typos import read_avg_in_chinese

    q, _ = as_simplified(question)
    q, _ = read_avg_in_chinese(q)
    q, _ = without_requests(q)
    joined = _date_gaps_closed(without_cjk_spaces(_values_listed(ws, q)))
    return joined


def signature(ws: Any, question: str) -> str | None:
    """The query understood (with its compound kind), or None when refused or not confident."""
    from shopql.errors import ShopqlError
    from shopql.nlq.offline import understand

    try:
        u = understand(question, ws)
    except ShopqlError:
        return None
    except Exception as e:  # a crash is no answer either; counted by the caller
        return f"CRASH {type(e).__name__}"
    if not u.confident:
        return None
    return f"{u.compound}|{u.query!r}"


def pieces(ws: Any, text: str) -> list[tuple[int, int, str]]:
    """The spans of `text` one may delete: the linker's mentions and the words it leaves over."""
    from shopql.nlq.linking import _STOPWORDS_ZH_LONGEST, link

    links = link(text, ws.vocabulary)
    spans = [(m.start, m.end, links.text[m.start : m.end]) for m in links.mentions]
    taken = [False] * len(links.text)
    for s, e, _ in spans:
        taken[s:e] = [True] * (e - s)
    rest = "".join(" " if t else ch for ch, t in zip(links.text, taken, strict=True))
    for m in _WORD.finditer(rest):
        spans.append((m.start(), m.end(), m.group()))
    for m in _CJK.finditer(rest):
        chunk = m.group()
        for stop in _STOPWORDS_ZH_LONGEST:
            chunk = chunk.replace(stop, " " * len(stop))
        for w in re.finditer(r"\S+", chunk):
            spans.append((m.start() + w.start(), m.start() + w.end(), w.group()))
    # English mentions of several words: each word too ("average order value": "order")
    for s, _e, said in list(spans):
        if " " in said:
            for w in re.finditer(r"\S+", said):
                spans.append((s + w.start(), s + w.end(), w.group()))
    return sorted(set(spans))


def without(text: str, start: int, end: int) -> str:
    return " ".join((text[:start] + " " + text[end:]).split())


def _answered_base(ws: Any, question: str, stats: dict[str, Any]) -> tuple[str, str] | None:
    """The question as the engine reads it (normalised) and its answer's signature, counted in
    `stats` as answered; None when the engine refuses it or crashes (nothing to probe)."""
    from shopql.nlq.linking import normalise

    text = normalise(prepared(ws, question))
    base = signature(ws, text)
    if base is None or base.startswith("CRASH"):
        return None
    stats["answered"] += 1
    return text, base


def probe(ws: Any, question: str, stats: dict[str, Any]) -> list[dict[str, Any]]:
    answered = _answered_base(ws, question, stats)
    if answered is None:
        return []
    text, base = answered
    found = []
    for start, end, word in pieces(ws, text):
        if word in FUNCTION:
            continue
        cut = without(text, start, end)
        if not cut.strip():
            continue
        got = signature(ws, cut)
        if got == base:
            found.append({"word": word, "question": question, "without": cut})
    return found


# contrasts: a word swapped for its opposite must change the query (a stronger test than a
# deletion, which redundancy survives): "最多" read the same as "最少" was never read at all
CONTRASTS = {
    **dict.fromkeys(("最多", "最高", "最大", "最好"), "最少"),
    **{"最少": "最多", "最低": "最高", "最小": "最大", "最差": "最好"},
    **{
        "以上": "以下",
        "以下": "以上",
        "超过": "不到",
        "不到": "超过",
        "之前": "之后",
        "之后": "之前",
    },
    **{"以前": "以后", "以后": "以前", "新客": "老客", "老客": "新客", "平均": "中位数"},
    **{"中位数": "平均", "今年": "去年", "去年": "今年", "上个月": "这个月", "上周": "这周"},
    **{"没买过": "买过", "没有": "有", "和": "或", "或": "和", "都": "只"},
    **{"most": "least", "least": "most", "highest": "lowest", "lowest": "highest"},
    **{"top": "bottom", "bottom": "top", "more than": "less than", "less than": "more than"},
    **{"at least": "at most", "before": "after", "after": "before", "average": "median"},
    **{"median": "average", "first": "last", "last": "first", "largest": "smallest"},
    **{"best": "worst", "worst": "best", "above": "below", "below": "above", "and": "or"},
    **{"this year": "last year", "last year": "this year", "new": "returning"},
    **{"涨": "跌", "跌": "涨", "增长": "下降", "下降": "增长", "下滑": "增长", "上涨": "下跌"},
    **{"grew": "fell", "fell": "grew", "growth": "decline", "decline": "growth"},
    **{"increase": "decrease", "decrease": "increase", "好评": "差评", "差评": "好评"},
    **{"上半年": "下半年", "下半年": "上半年", "上午": "下午", "下午": "上午", "周末": "工作日"},
    **{"工作日": "周末", "以内": "以外", "以外": "以内", "每月": "每周", "每周": "每月"},
    **{"按月": "按周", "按周": "按月", "monthly": "weekly", "weekly": "monthly"},
    **{"前三": "前四", "前五": "前六", "前十": "前九", "三个": "四个", "五个": "六个"},
    **{"第二": "第三", "第三": "第二", "两个": "三个", "两次": "三次", "一次": "两次"},
    **{"第一次": "最后一次", "首次": "最后一次", "最近一次": "第一次", "最早": "最晚"},
    **{"只": "都", "仅": "都", "only": "also", "人均": "总", "单均": "总"},
    **{"件": "单", "per order": "per customer", "per customer": "per order", "每单": "每人"},
    **{"每人": "每单", "new": "old", "cancelled": "delivered", "取消": "发货"},
}
_CONTRAST = re.compile(
    "|".join(sorted((re.escape(k) for k in CONTRASTS), key=len, reverse=True))
    + r"|(?<!\d)\d+(?!\d)"
)


def contrasts(text: str) -> list[tuple[int, int, str, str]]:
    """Each contrast word of `text` (and each number, one more) with what it is swapped for."""
    out = []
    for m in _CONTRAST.finditer(text):
        word = m.group()
        if word.isdigit():
            swapped = str(int(word) + 1)
        else:
            latin = word.isascii()
            before = text[m.start() - 1] if m.start() else " "
            after = text[m.end()] if m.end() < len(text) else " "
            if latin and (before.isalnum() or after.isalnum()):
                continue
            swapped = CONTRASTS[word]
        out.append((m.start(), m.end(), word, swapped))
    return out


def swap_probe(ws: Any, question: str, stats: dict[str, Any]) -> list[dict[str, Any]]:
    answered = _answered_base(ws, question, stats)
    if answered is None:
        return []
    text, base = answered
    found = []
    for start, end, word, swapped in contrasts(text):
        cut = text[:start] + swapped + text[end:]
        if signature(ws, cut) == base:
            found.append({"word": f"{word}->{swapped}", "question": question, "without": cut})
    return found


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--workspaces", required=True, type=Path)
    p.add_argument("--sets", default="", help="comma-separated set names (default: all allowed)")
    p.add_argument("--out", type=Path)
    p.add_argument("--examples", type=int, default=3)
    p.add_argument("--swap", action="store_true", help="swap contrast words instead of deleting")
    args = p.parse_args(argv)

    from shopql.config import load_settings
    from shopql.nlq.eval import _sharing, data_end, load_golden
    from shopql.nlq.reading import without_suggestions
    from shopql.nlq.session import Workspace

    names = [n for n in args.sets.split(",") if n] or sorted(
        f.stem
        for f in SETS.glob("*.yaml")
        if (f.stem.startswith(("dev_", "heldout")) or f.stem == "golden")
    )
    names = [n for n in names if not is_blind(n)]  # bench/hunts/sets.py
    cases = [(n, c) for n in names for c in load_golden(SETS / f"{n}.yaml")]
    stats: dict[str, Any] = Counter()
    inert: dict[str, list[dict[str, Any]]] = defaultdict(list)
    started = time.perf_counter()
    with without_suggestions():
        for dataset in ("olist", "retail", "demo"):
            settings = load_settings(args.workspaces / dataset)
            probe_ws = Workspace(settings)
            probe_ws._probe  # noqa: B018
            end = data_end(probe_ws)
            spaces: dict[dt.date, Any] = {}
            for _name, case in cases:
                if case.dataset != dataset or case.expect_refusal:
                    continue
                today = case.today or end
                if today not in spaces:
                    spaces[today] = _sharing(Workspace(settings, today=today), probe_ws)
                stats["questions"] += 1
                run = swap_probe if args.swap else probe
                for hit in run(spaces[today], case.question, stats):
                    hit["id"] = case.id
                    inert[hit["word"]].append(hit)
            for w in spaces.values():
                Workspace.close(w)
            Workspace.close(probe_ws)
    ranked = sorted(inert.items(), key=lambda kv: -len(kv[1]))
    total = sum(len(v) for v in inert.values())
    print(
        f"{stats['questions']} questions, {stats['answered']} answered; {total} inert words "
        f"({len(inert)} distinct) in {len({h['id'] for v in inert.values() for h in v})} "
        f"questions; {time.perf_counter() - started:.0f} s"
    )
    for word, hits in ranked:
        print(f"{len(hits):4d}  {word!r}")
        for h in hits[: args.examples]:
            print(f"        {h['id']}: {h['question']}")
    if args.out:
        args.out.write_text(
            json.dumps({"stats": stats, "inert": inert}, ensure_ascii=False, indent=1)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
