"""Adversary hunt (issue 11): mutate answered questions so that their meaning MUST change, and list
the mutations the offline engine answers with the SAME SQL as the original (the change ignored: a
wrong answer, unless the two really mean the same — check each by hand).

    .venv/bin/python bench/hunts/mutations.py --ws /work/ws-a [--kinds unit,direction] \
        [--per-kind 60] [--sets dev_w27,heldout5] [--out /tmp/mut.jsonl] [--show same]

--ws is a folder holding the synced workspaces olist/, retail/, demo/ (the eval's). The questions
are drawn from tests/nlq/dev_*.yaml, golden.yaml, heldout.yaml and heldout2 … heldout20 — never the
blind sets (heldout21 and later, dev_w28b: refused below, do not lift that). Each mutation kind is
a list of rules (a pattern and its replacement); a question gets at most one mutation per rule, and
at most --per-kind originals per kind (chosen by a stable hash, so reruns pick the same ones).

Each mutation is classified:
  same      the mutated question's main SQL is the original's (the change had no effect)
  same_rows another SQL but the same rows (often harmless: check)
  refused   the engine refused it (fine: it names what it could not read)
  changed   answered with another SQL (may still be wrong, but the change was read)
  error     the engine crashed (a bug in itself)
A summary by kind is printed; every row goes to --out as JSON lines.

Kinds (session 31; earlier rounds' kinds are in tests/nlq/test_adversary_a29.py / _a30.py):
  unit       件 vs 单 vs 元 (items / orders / money)
  direction  涨 vs 跌, 最多 vs 最少, top vs bottom, highest vs lowest
  scope      每个 vs 总共, 分别 vs 加起来, each vs in total
  anchor     a period turned into 截至 / 以来 / 之前 / 之后 (until / since / before / after)
  relative   环比 vs 同比 (month over month vs year over year)
  role       卖家 vs 买家, 商品 vs 品类 (seller vs customer, product vs category)
  amount     counts vs amounts (订单数 vs 销售额, how many vs how much)
  aggregate  平均 vs 中位数 vs 最大 (average vs median)
  people     新客 vs 老客 (new vs returning customers)
  negperiod  a negated period (不在2017年, 2017年以外, outside 2017)
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

import drive
from sets import is_blind

ROOT = Path(__file__).resolve().parents[2]
SETS = ROOT / "tests" / "nlq"

# a period a question names (Chinese), for the time anchor and negated period kinds
_ZH_PERIOD = (
    r"(?:\d{4}\s*年\s*(?:\d{1,2}\s*月|第?[一二三四1-4]\s*季度|[上下]半年)?"
    r"|去年|今年|上个?月|本月|这个月|上季度|上个季度|上周|本周)"
)
# periods that run to today (今年 = 今年以来) or that end today on the sets' days (every set's today is
# the 1st of a month: 上个月以来 is 上个月) — anchoring them with 以来 / 截至 changes nothing
_TO_DATE = r"(?!今年|本月|这个月|本周|上个?月)"
_EN_PERIOD = (
    r"(?:(?:in|during) )((?:\w+ )?\d{4}|last (?:month|year|quarter|week)|this (?:month|year))"
)

# kind -> [(pattern, replacement)]; patterns are regexes, tried in order (case-insensitive)
RULES: dict[str, list[tuple[str, str]]] = {
    "unit": [
        (r"多少\s*件", "多少单"),
        (r"多少\s*单", "多少件"),
        (r"多少\s*单", "多少钱"),
        (r"件数", "订单数"),
        (r"(?<!订)单数", "件数"),
        (r"how many orders", "how many items"),
        (r"how many items", "how many orders"),
        (r"number of orders", "number of items sold"),
        (r"(?:items|units) sold", "orders"),
    ],
    "direction": [
        (r"最多", "最少"),
        (r"最少", "最多"),
        (r"最高", "最低"),
        (r"最低", "最高"),
        (r"最大", "最小"),
        (r"最小", "最大"),
        (r"最快", "最慢"),
        (r"最慢", "最快"),
        (r"最好", "最差"),
        (r"涨", "跌"),
        (r"跌", "涨"),
        (r"增长", "下降"),
        (r"下降", "增长"),
        (r"上升", "下滑"),
        (r"前\s*(\d+|[一二三四五六七八九十]+)\s*(名|个|大)", r"后\1\2"),
        (r"\bmost\b", "least"),
        (r"\bleast\b", "most"),
        (r"\bhighest\b", "lowest"),
        (r"\blowest\b", "highest"),
        (r"\btop\b", "bottom"),
        (r"\b(biggest|largest)\b", "smallest"),
        (r"\bbest\b", "worst"),
        (r"\b(grew|increased)\b", "fell"),
        (r"\b(fell|dropped|declined)\b", "grew"),
    ],
    "scope": [
        (r"分别", "加起来"),
        (r"(加起来|合计|一共|总共)", "分别"),
        (r"每个月", "总共"),
        (r"每月", "合计"),
        (r"按月", "总共"),
        (r"每个(品类|州|城市|国家|平台|渠道|卖家|商品)", r"所有\1加起来"),
        (r"各(品类|州|城市|国家|平台|渠道)", r"所有\1加起来"),
        (r"\bin total\b", "each"),
        (r"\b(per|by|each) month\b", "in total"),
        (
            r"\b(per|by|each) (category|state|city|country|platform|channel)\b",
            r"across all \2s combined",
        ),
    ],
    "anchor": [
        (rf"{_TO_DATE}({_ZH_PERIOD})(?!\s*(?:以来|之前|之后|以前|以后|至今|到))", r"\1以来"),
        (rf"({_ZH_PERIOD})(?!\s*(?:以来|之前|之后|以前|以后|至今|到))", r"\1之前"),
        (rf"({_ZH_PERIOD})(?!\s*(?:以来|之前|之后|以前|以后|至今|到))", r"\1之后"),
        (
            rf"(?<!截至){_TO_DATE}({_ZH_PERIOD})(?!\s*(?:以来|之前|之后|以前|以后|至今|到))",
            r"截至\1",
        ),
        (_EN_PERIOD, r"since \1"),
        (_EN_PERIOD, r"before \1"),
        (_EN_PERIOD, r"after \1"),
        (_EN_PERIOD, r"until \1"),
    ],
    "relative": [
        (r"环比", "同比"),
        (r"同比", "环比"),
        (r"比上个?月", "比去年同月"),
        (r"(比|和|与|跟)去年(同期)?", r"\1上个月"),
        (r"month[- ]over[- ]month", "year over year"),
        (r"year[- ]over[- ]year", "month over month"),
        (r"\bMoM\b", "YoY"),
        (r"\bYoY\b", "MoM"),
        (r"(vs\.?|versus|compared (?:with|to)) last year", r"\1 last month"),
        (r"(vs\.?|versus|compared (?:with|to)) last month", r"\1 last year"),
    ],
    "role": [
        (r"卖家", "买家"),
        (r"(买家|客户|顾客)", "卖家"),
        (r"商品", "品类"),
        (r"品类", "商品"),
        (r"\bsellers?\b", "customers"),
        (r"\b(customers?|buyers?)\b", "sellers"),
        (r"\bproducts?\b", "categories"),
        (r"\bcategor(?:y|ies)\b", "products"),
        (r"(州|城市)", "国家"),
    ],
    "amount": [
        (r"订单数", "销售额"),
        (r"订单量", "订单金额"),
        (r"(销售额|GMV|营业额|收入)", "订单数"),
        (r"多少钱", "多少单"),
        (r"多少个?客户", "客户花了多少钱"),
        (r"客户数", "客户消费额"),
        (r"\b(revenue|sales|GMV)\b", "number of orders"),
        (r"number of orders", "revenue"),
    ],
    "aggregate": [
        (r"平均", "中位数"),
        (r"中位数", "平均"),
        (r"平均", "最大"),
        (r"\baverage\b", "median"),
        (r"\bmedian\b", "average"),
    ],
    "people": [
        (r"新客户?", "老客户"),
        (r"老客户?", "新客户"),
        (r"回头客", "新客户"),
        (r"\bnew customers\b", "returning customers"),
        (r"\b(returning|repeat) customers\b", "new customers"),
    ],
    "negperiod": [
        (rf"({_ZH_PERIOD})", r"不在\1"),
        (rf"({_ZH_PERIOD})", r"\1以外"),
        (rf"({_ZH_PERIOD})", r"除了\1"),
        (_EN_PERIOD, r"outside \1"),
        (_EN_PERIOD, r"not in \1"),
        (_EN_PERIOD, r"excluding \1"),
    ],
}


def set_files(only: list[str] | None) -> list[Path]:
    names = sorted(p for p in SETS.glob("dev_*.yaml")) + [
        SETS / "golden.yaml",
        SETS / "heldout.yaml",
    ]
    names += [SETS / f"heldout{i}.yaml" for i in range(2, 21)]
    out = []
    for p in names:
        if is_blind(p.stem):
            continue  # the blind measure (bench/hunts/sets.py): never read here
        if only and p.stem not in only:
            continue
        if p.exists():
            out.append(p)
    return out


def mutate(question: str, kinds: list[str]) -> list[tuple[str, str, str]]:
    """(kind, rule, mutated question) for every rule that changes `question`."""
    out = []
    for kind in kinds:
        for pattern, repl in RULES[kind]:
            new = re.sub(pattern, repl, question, count=1, flags=re.IGNORECASE)
            if new != question:
                out.append((kind, f"{pattern} -> {repl}", new))
    return out


def _norm_sql(sql: str) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


class Runner:
    """One reader per (dataset, today), as the eval opens them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.open: dict[tuple[str, dt.date | None], Any] = {}
        self.ends: dict[str, dt.date] = {}

    def ws(self, dataset: str, today: dt.date | None) -> Any:
        from shopql.config import load_settings
        from shopql.nlq.eval import data_end
        from shopql.nlq.session import Workspace

        key = (dataset, today)
        if key not in self.open:
            settings = load_settings(self.root / dataset)
            if today is None:
                if dataset not in self.ends:
                    with Workspace(settings) as probe:
                        self.ends[dataset] = data_end(probe)
                day = self.ends[dataset]
            else:
                day = today
            w = Workspace(settings, today=day)
            w.close = w.flush_audit  # `answer` closes the workspace it is given
            self.open[key] = w
        return self.open[key]

    def ask(self, dataset: str, today: dt.date | None, question: str) -> tuple[str, str, Any]:
        """(outcome, sql, rows): outcome one of answered / refused / error."""
        from shopql.errors import ShopqlError
        from shopql.nlq.answer import answer

        w = self.ws(dataset, today)
        try:
            a = answer(w, question, "offline")
        except ShopqlError as e:
            return "refused", "", str(e).splitlines()[0][:300]
        except Exception as e:  # noqa: BLE001 (a crash is a finding)
            return "error", "", f"{type(e).__name__}: {e}"[:200]
        rows = [[str(v) for v in r] for r in a.main.rows[:20]]
        return "answered", _norm_sql(a.sql), rows

    def close(self) -> None:
        from shopql.nlq.session import Workspace

        for w in self.open.values():
            Workspace.close(w)


def main(argv: list[str] | None = None) -> int:

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ws", type=Path, required=True, help="folder with olist/ retail/ demo/")
    ap.add_argument("--kinds", default=",".join(RULES), help="comma-separated kinds")
    ap.add_argument("--per-kind", type=int, default=60, help="originals per kind")
    ap.add_argument("--sets", default="", help="comma-separated set names (default: all allowed)")
    ap.add_argument("--out", type=Path, default=Path("/tmp/mutations.jsonl"))
    ap.add_argument("--show", default="same", help="classes to print (comma-separated)")
    args = ap.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k]
    for k in kinds:
        if k not in RULES:
            ap.error(f"unknown kind {k!r}: one of {', '.join(RULES)}")
    only = [s for s in args.sets.split(",") if s] or None

    found = drive.collect(set_files(only), lambda q: mutate(q, kinds))

    def record(
        kind: str, cid: str, case: Any, rule: str, new: str, cls: str, o: Any, m: Any
    ) -> Any:
        return {
            "kind": kind, "id": cid, "dataset": case.dataset, "rule": rule,
            "original": case.question, "mutated": new, "class": cls,
            "sql": m[1] if cls != "same" else "", "detail": m[2] if m[0] != "answered" else "",
        }  # fmt: skip

    show = set(args.show.split(","))
    counts = drive.run(
        Runner(args.ws), found, kinds, args.per_kind, args.out, show, lambda a, b: a == b, record
    )
    drive.summary(counts, kinds, "kind", "mutations")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT.parent))
    raise SystemExit(main())
