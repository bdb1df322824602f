"""The evaluation harness: each golden question's answer must equal the result of its golden SQL.

Results are compared as sets of rows, not as SQL text: every golden column must match one of the
answer's columns (any name, any position), and the rows projected on those columns must be the
same multiset. Numbers are compared to 4 significant digits, dates by day.

    python -m shopql.nlq.eval --workspace DIR [--engine offline] [--dataset olist] [-v]
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_SET = Path(__file__).resolve().parents[1] / "tests" / "nlq" / "golden.yaml"


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    lang: str
    sql: str
    dataset: str
    today: dt.date


@dataclass
class CaseResult:
    case: Case
    engine: str
    passed: bool
    reason: str = ""

    @property
    def question(self) -> str:
        return self.case.question


@dataclass
class Report:
    results: list[CaseResult] = field(default_factory=list)

    def accuracy(self, engine: str, lang: str | None = None) -> tuple[int, int]:
        chosen = [
            r for r in self.results if r.engine == engine and (lang is None or r.case.lang == lang)
        ]
        return sum(r.passed for r in chosen), len(chosen)

    def engines(self) -> list[str]:
        return list(dict.fromkeys(r.engine for r in self.results))

    def failures(self) -> list[CaseResult]:
        return [r for r in self.results if not r.passed]

    def to_json(self) -> dict[str, Any]:
        return {
            "accuracy": {
                e: {lang or "all": _ratio(*self.accuracy(e, lang)) for lang in (None, "en", "zh")}
                for e in self.engines()
            },
            "cases": [
                {
                    "id": r.case.id,
                    "engine": r.engine,
                    "lang": r.case.lang,
                    "passed": r.passed,
                    "reason": r.reason,
                }
                for r in self.results
            ],
        }


def _ratio(passed: int, total: int) -> float | None:
    return round(passed / total, 4) if total else None


def load_golden(path: Path) -> list[Case]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    defaults = data.get("defaults", {})
    cases = []
    for i, item in enumerate(data["questions"], 1):
        today = item.get("today", defaults.get("today"))
        cases.append(
            Case(
                id=str(item.get("id", i)),
                question=str(item["q"]),
                lang=str(
                    item.get("lang")
                    or ("zh" if any("\u4e00" <= c <= "\u9fff" for c in item["q"]) else "en")
                ),
                sql=str(item["sql"]),
                dataset=str(item.get("dataset", defaults.get("dataset", "olist"))),
                today=today if isinstance(today, dt.date) else dt.date.fromisoformat(str(today)),
            )
        )
    return cases


def normalise(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, decimal.Decimal)):
        number = float(value)
        return float(f"{number:.4g}") if number == number else None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def same_result(golden: tuple[list[str], list[tuple]], got: tuple[list[str], list[tuple]]) -> str:
    """'' when `got` answers like `golden`, else why not."""
    g_rows = [tuple(normalise(v) for v in row) for row in golden[1]]
    a_rows = [tuple(normalise(v) for v in row) for row in got[1]]
    if len(g_rows) != len(a_rows):
        return f"{len(a_rows)} rows, expected {len(g_rows)}"
    if not g_rows:
        return ""
    g_cols = [Counter(map(repr, (r[i] for r in g_rows))) for i in range(len(golden[0]))]
    a_cols = [Counter(map(repr, (r[i] for r in a_rows))) for i in range(len(got[0]))]
    matched: list[int] = []
    for i, col in enumerate(g_cols):
        j = next((j for j, c in enumerate(a_cols) if c == col and j not in matched), None)
        if j is None:
            return f"no column matches golden column {golden[0][i]!r} (e.g. {g_rows[0][i]!r})"
        matched.append(j)
    projected = Counter(tuple(r[j] for j in matched) for r in a_rows)
    if projected != Counter(g_rows):
        return "same columns, but the rows pair the values differently"
    return ""


def prompt_sizes(ws: Any, dataset: str, path: Path = DEFAULT_SET) -> list[int]:
    """Estimated tokens (system prompt + question) the LLM would get for each golden question of
    `dataset` on workspace `ws`: what bench/nlq_bench.py reports and a test bounds."""
    from shopql.nlq.context import build_context
    from shopql.nlq.prompt import estimate_tokens, messages_for

    sizes = []
    for case in load_golden(path):
        if case.dataset == dataset:
            ctx, _ = build_context(ws, case.question)
            text = "\n".join(m["content"] for m in messages_for(case.question, ctx))
            sizes.append(estimate_tokens(text))
    return sizes


def dataset_of(ws: Any) -> set[str]:
    """Which golden datasets the workspace holds (olist, demo)."""
    rows = ws.run("SELECT DISTINCT platform FROM orders", None, source="eval").rows
    platforms = {r[0] for r in rows}
    found = {"olist"} if "olist" in platforms else set()
    return found | ({"demo"} if platforms - {"olist", None} else set())


def evaluate(settings: Any, path: Path, engines: list[str], dataset: str | None = None) -> Report:
    """Run every golden case the workspace's data covers through each engine."""
    from shopql.nlq.session import Workspace

    cases = load_golden(path)
    probe = Workspace(settings)
    present = {dataset} if dataset else dataset_of(probe)
    if not any(c.dataset in present for c in cases):
        from shopql.errors import ShopqlError

        raise ShopqlError(
            f"no golden question is about this workspace's data ({', '.join(sorted(present)) or 'none'})",
            "evaluate on a workspace with the Olist data (shopql sync ../shared/data/olist) "
            "or the demo (shopql demo DIR), or pass --dataset",
        )
    probe._probe  # noqa: B018 (load once, share below)
    probe.close()
    report = Report()
    workspaces: dict[dt.date, Workspace] = {}
    for case in (c for c in cases if c.dataset in present):
        ws = workspaces.setdefault(
            case.today, _sharing(Workspace(settings, today=case.today), probe)
        )
        try:
            golden = ws.run(case.sql, case.question, source="eval")
        finally:
            ws.close()
        for engine in engines:
            report.results.append(_score(ws, case, engine, (golden.columns, golden.rows)))
    return report


def _sharing(ws: Any, probe: Any) -> Any:
    """Reuse the loaded catalog and indexes across workspaces that differ only by `today`."""
    for name in ("catalog", "_probe", "vocabulary", "fuzzy", "guard_context"):
        ws.__dict__[name] = getattr(probe, name)
    return ws


def _score(ws: Any, case: Case, engine: str, golden: tuple[list[str], list[tuple]]) -> CaseResult:
    from shopql.errors import ShopqlError
    from shopql.nlq.answer import answer

    try:
        got = answer(ws, case.question, engine)
    except ShopqlError as e:
        return CaseResult(case, engine, False, f"no answer: {e.message}")
    why = same_result(golden, (got.main.columns, got.main.rows))
    return CaseResult(case, engine, not why, why)


def summary(report: Report) -> tuple[list[str], list[list[Any]]]:
    """Columns and rows of the accuracy table: engine, language, passed, total, accuracy."""
    rows = []
    for engine in report.engines():
        for lang in ("en", "zh", None):
            passed, total = report.accuracy(engine, lang)
            if total:
                rows.append([engine, lang or "all", passed, total, f"{passed / total:.1%}"])
    return ["engine", "language", "passed", "total", "accuracy"], rows


def main(argv: list[str] | None = None) -> int:
    from shopql.config import load_settings

    parser = argparse.ArgumentParser(
        prog="python -m shopql.nlq.eval", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--workspace", "-w", default=None)
    parser.add_argument("--engine", action="append", choices=["offline", "llm"])
    parser.add_argument("--set", default=str(DEFAULT_SET))
    parser.add_argument("--dataset", default=None)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    settings = load_settings(args.workspace)
    engines = args.engine or (["offline", "llm"] if settings.llm.configured else ["offline"])
    report = evaluate(settings, Path(args.set), engines, args.dataset)
    columns, rows = summary(report)
    print("\t".join(columns))
    for row in rows:
        print("\t".join(map(str, row)))
    if args.verbose:
        for r in report.failures():
            print(f"FAIL [{r.engine}] {r.case.id} {r.question}: {r.reason}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
