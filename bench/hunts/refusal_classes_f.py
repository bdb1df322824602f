"""Count the offline engine's unplaced-word refusals ("could not place '…'") across eval outputs.

Usage: python bench/hunts/refusal_classes_f.py PREFIX [REPO]
  PREFIX: eval_set.sh output folders are PREFIX<set> (e.g. /tmp/base31_dev_w27/{olist,retail,demo}.json)
  REPO:   the checkout whose tests/nlq/<set>.yaml give the questions (default: this checkout)

Only the allowed sets are read: dev_*.yaml (not dev_w28b), golden.yaml, heldout.yaml and
heldout2..heldout20.yaml — never the blind heldout21+ sets. For every refused case whose reason
names unplaced words, each word is normalised (lower case, stripped) and counted: in how many
DIFFERENT sets and how many questions it blocks. Words are grouped in classes: zh (has a CJK
character) / en. Prints words ordered by (sets, questions) with the questions
where it is the only word unplaced ("alone"), then the class totals; `-v WORD`
after the arguments lists the questions a word blocks.
"""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path

import yaml

ALLOWED = re.compile(r"^(dev_(?!w28b).*|golden|heldout|heldout([2-9]|1[0-9]|20))$")
PLACE = re.compile(r"could not place (.*?)(?: —|\(|$)")
WORD = re.compile(r"'((?:[^'\\]|\\.)*)'|\"([^\"]*)\"")


def sets(repo: Path) -> list[str]:
    names = sorted(p.stem for p in (repo / "tests/nlq").glob("*.yaml"))
    return [n for n in names if ALLOWED.match(n)]


def questions(repo: Path, name: str) -> dict[str, str]:
    data = yaml.safe_load((repo / "tests/nlq" / f"{name}.yaml").read_text(encoding="utf-8"))
    return {str(q.get("id", i)): str(q["q"]) for i, q in enumerate(data["questions"], 1)}


def unplaced(reason: str) -> list[str]:
    m = PLACE.search(reason)
    if not m:
        return []
    return [(a or b).strip().lower() for a, b in WORD.findall(m.group(1))]


def main(argv: list[str]) -> None:
    prefix, repo = (
        argv[0],
        Path(argv[1] if len(argv) > 1 and argv[1] != "-v" else Path(__file__).parents[2]),
    )
    show = argv[argv.index("-v") + 1] if "-v" in argv else None
    where: dict[str, set[str]] = collections.defaultdict(set)
    cases: dict[str, list[str]] = collections.defaultdict(list)
    alone: collections.Counter[str] = collections.Counter()  # the only word unplaced
    shape = collections.Counter()
    total = 0
    for name in sets(repo):
        folder = Path(prefix + name)
        if not folder.is_dir():
            continue
        qs = questions(repo, name)
        for ds in ("olist", "retail", "demo"):
            p = folder / f"{ds}.json"
            if not p.exists():
                continue
            try:
                found = json.loads(p.read_text())["cases"]
            except ValueError:  # an eval still writing it
                continue
            for c in found:
                if c["outcome"] != "refused":
                    continue
                total += 1
                words = unplaced(c.get("reason", ""))
                if not words:
                    shape[re.sub(r"'[^']*'|\d+", "…", c.get("reason", ""))[:70]] += 1
                if len(set(words)) == 1:
                    alone[words[0]] += 1
                for w in dict.fromkeys(words):
                    where[w].add(name)
                    cases[w].append(f"{name}:{c['id']}: {qs.get(c['id'], '?')}")
    if show:
        print("\n".join(cases[show.lower()]))
        return
    cls = collections.Counter()
    for w in sorted(where, key=lambda w: (-len(where[w]), -len(cases[w]), w)):
        k = "zh" if re.search(r"[\u4e00-\u9fff]", w) else "en"
        cls[k, "words"] += 1
        cls[k, "questions"] += len(cases[w])
        print(f"{len(where[w]):3d} sets {len(cases[w]):3d} q {alone[w]:3d} alone  [{k}] {w!r}")
    blocked = len({q for v in cases.values() for q in v})
    print(
        f"\nrefused cases: {total}; blocked by an unplaced word: {blocked}; other refusals: {sum(shape.values())}"
    )
    for k in ("zh", "en"):
        print(f"  {k}: {cls[k, 'words']} words, {cls[k, 'questions']} word-question blocks")


if __name__ == "__main__":
    main(sys.argv[1:])
