"""Stored example question→SQL pairs (`shopql ask … --save`), offered to the LLM when similar."""

from __future__ import annotations

import json
from pathlib import Path


def save_example(path: Path, question: str, sql: str) -> None:
    """Append a good question→SQL pair (one JSON object per line)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"question": question, "sql": sql}, ensure_ascii=False) + "\n")


def load_examples(path: Path) -> list[tuple[str, str]]:
    if not path.is_file():
        return []
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            item = json.loads(line)
            pairs.append((str(item["question"]), str(item["sql"])))
        except (ValueError, KeyError, TypeError):
            continue  # a hand-edited broken line is skipped, not fatal
    return pairs


def closest_examples(path: Path, question: str, n: int = 3) -> list[tuple[str, str]]:
    """The `n` stored pairs whose questions are most like `question`."""
    pairs = load_examples(path)
    if not pairs:
        return []
    from rapidfuzz import fuzz, process

    ranked = process.extract(question, [q for q, _ in pairs], scorer=fuzz.token_set_ratio, limit=n)
    return [pairs[i] for _, score, i in ranked if score >= 30]
