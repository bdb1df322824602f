"""What the hunts that rewrite questions share (mutations.py: the meaning must change;
paraphrases.py: it must not): the originals each rewrite applies to, by group (a mutation kind or
a paraphrase rule), and the run — each group's first --per originals by a stable hash (reruns pick
the same), each original asked once, each rewrite classed against it (same: the original's SQL;
same_rows; changed; refused; error), a JSON line per rewrite, the summary table."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

Rewrites = dict[str, dict[str, list[tuple[Any, str, str]]]]  # group -> case key -> (case, how, new)


def collect(
    paths: Iterable[Path], rewrite: Callable[[str], Iterable[tuple[str, str, str]]]
) -> Rewrites:
    """Every answerable case of the sets (each question once per dataset) with its rewrites:
    `rewrite(question)` gives (group, how, new question)."""
    from shopql.nlq.eval import load_golden

    seen: set[tuple[str, str]] = set()
    found: Rewrites = defaultdict(dict)
    for path in paths:
        for case in load_golden(path):
            key = (case.dataset, case.question)
            if case.expect_refusal or key in seen:
                continue
            seen.add(key)
            for group, how, new in rewrite(case.question):
                if new != case.question:
                    found[group].setdefault(f"{path.stem}:{case.id}", []).append((case, how, new))
    return found


def picked(found: Rewrites, group: str) -> list[str]:
    """The group's case keys in their stable order."""
    return sorted(found[group], key=lambda c: hashlib.sha1((group + c).encode()).hexdigest())


def run(
    runner: Any,
    found: Rewrites,
    groups: list[str],
    per: int,
    out: Path,
    show: set[str],
    same_rows: Callable[[Any, Any], bool],
    record: Callable[
        [str, str, Any, str, str, str, tuple[str, str, Any], tuple[str, str, Any]], dict[str, Any]
    ],
) -> dict[str, Counter[str]]:
    """Ask up to `per` answered originals of each group and all their rewrites; `record(group,
    case key, case, how, new, class, original's (outcome, sql, rows), the rewrite's)` is the
    JSON line written for each rewrite. The counts of each class, by group."""
    originals: dict[tuple[str, str], tuple[str, str, Any]] = {}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    with out.open("w", encoding="utf-8") as lines:
        for group in groups:
            taken = 0
            for cid in picked(found, group):
                rewrites = found[group][cid]
                case = rewrites[0][0]
                key = (case.dataset, case.question)
                if key not in originals:
                    originals[key] = runner.ask(case.dataset, case.today, case.question)
                original = originals[key]
                if original[0] != "answered":
                    continue
                taken += 1
                for _, how, new in rewrites:
                    asked = runner.ask(case.dataset, case.today, new)
                    if asked[0] != "answered":
                        cls = asked[0]
                    elif asked[1] == original[1]:
                        cls = "same"
                    else:
                        cls = "same_rows" if same_rows(asked[2], original[2]) else "changed"
                    counts[group][cls] += 1
                    row = record(group, cid, case, how, new, cls, original, asked)
                    lines.write(json.dumps(row, ensure_ascii=False) + "\n")
                    if cls in show:
                        print(
                            f"[{group}:{cls}] {cid} ({case.dataset}) {how}\n  {case.question}\n  {new}",
                            flush=True,
                        )
                if taken >= per:
                    break
    runner.close()
    return counts


def summary(counts: dict[str, Counter[str]], groups: list[str], title: str, noun: str) -> None:
    """The table: per group how many rewrites and of each class, then all together."""
    width = max(len(noun), 9)
    print(f"\n{title:<11} {noun:>{width}}  same  same_rows  refused  changed  error")
    total: Counter[str] = Counter()
    for group in [*groups, "all"]:
        c = total if group == "all" else counts[group]
        if group != "all":
            total.update(c)
        print(
            f"{group:<11} {sum(c.values()):>{width}}  {c['same']:>4}  {c['same_rows']:>9}"
            f"  {c['refused']:>7}  {c['changed']:>7}  {c['error']:>5}"
        )
