"""Count the offline engine's refusals across scored sets (issue 11): by class, or by the words it
could not place.

    python3 bench/hunts/refusal_classes.py /tmp/base31_* [--words] [--shapes] [--show X]

Each argument is a folder `eval_set.sh` wrote for one set (olist.json, retail.json, demo.json:
`shopql eval --format json`), its name ending with the set's name (/tmp/base31_dev_w27). Only
cases whose outcome is "refused" count (a must-refuse question refused is "correct"). A folder of
a blind set (bench/hunts/sets.py: heldout21 and later, dev_w28b) is skipped even when passed.

By class (the default): a reason is normalised — the text after "cannot answer this[ set
question]:" (or the whole message) up to "; did not understand", " — understood" or " (read …",
quoted words → '…', digits → N; unplaced words ("could not place", "no metric recognised",
"… were not placed") are one family each, marked [word]. Printed most widespread first: how many
sets, how many questions, the first ids. --shapes leaves the [word] classes out; --show CLASS (a
substring) lists its questions with their text.

--words: every word named in a "could not place '…'" reason, lower case, with how many different
sets and questions it blocks and in how many it is the only word unplaced ("alone"), then the
totals for Chinese and English words; --show WORD lists the questions a word blocks.
(Sessions 31: helpers f and h wrote the two halves; one loader since session 33.)
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import yaml
from sets import SETS, allowed_sets, is_blind

WORDS = ("could not place", "no metric recognised", "were not placed")
PLACE = re.compile(r"could not place (.*?)(?: —|\(|$)")
WORD = re.compile(r"'((?:[^'\\]|\\.)*)'|\"([^\"]*)\"")


def refused(folders: list[str]) -> Iterator[tuple[str, str, str]]:
    """(set, case id, reason) of every refused case in the eval outputs of the allowed folders."""
    names = sorted((p.stem for p in allowed_sets()), key=len, reverse=True)
    for folder in folders:
        path = Path(folder)
        if not path.is_dir() or is_blind(folder):
            continue
        name = next((n for n in names if path.name.endswith(n)), path.name)
        for ds in ("olist", "retail", "demo"):
            try:
                cases = json.loads((path / f"{ds}.json").read_text(encoding="utf-8"))["cases"]
            except (OSError, ValueError, KeyError):  # absent, or an eval still writing it
                continue
            for c in cases:
                if c["outcome"] == "refused":
                    yield name, str(c["id"]), str(c.get("reason", ""))


def questions() -> dict[tuple[str, str], str]:
    """(set, id) -> question text of every allowed set."""
    out: dict[tuple[str, str], str] = {}
    for path in allowed_sets():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = data.get("questions", []) if isinstance(data, dict) else data
        for i, q in enumerate(items or [], 1):
            out[path.stem, str(q.get("id", i))] = str(q.get("q", ""))
    return out


def klass(reason: str) -> str:
    text = re.sub(r"^no answer: ", "", reason)
    m = re.search(r"cannot answer this(?: set question)?: (.*)", text)
    core = m.group(1) if m else text
    for cut in ("; did not understand", " — understood", " (read "):
        core = core.split(cut)[0]
    core = re.sub(r"'[^']*'", "'…'", core)
    core = re.sub(r"[0-9]+(\.[0-9]+)?", "N", core)
    core = re.sub(r"\s+", " ", core).strip()
    if re.search(r"^no \w+ (grew|fell)|^没有哪个有上期基数", core):
        return "no group grew / fell against the period before (nothing answered)"
    if re.search(r"days of data yet|no whole day yet|has no data \(the data starts", core):
        return "the period (or the one compared with) has no data or no whole day yet"
    if re.search(r"^the data starts .* is before it", core):
        return "[env] the period is before the data (a set written for another demo's today)"
    if "could not place" in core:
        return "[word] could not place …"
    if any(w in core for w in WORDS):
        return "[word] " + core[:90]
    return core[:110]


def unplaced(reason: str) -> list[str]:
    m = PLACE.search(reason)
    if not m:
        return []
    return [(a or b).strip().lower() for a, b in WORD.findall(m.group(1))]


def by_class(found: list[tuple[str, str, str]], shapes: bool, show: str | None) -> None:
    sets: dict[str, set[str]] = defaultdict(set)
    cases: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for name, cid, reason in found:
        k = klass(reason)
        sets[k].add(name)
        cases[k].append((name, cid, reason))
    print(f"{len(found)} refusals in {len({n for n, _, _ in found})} sets, {len(cases)} classes")
    texts = questions() if show is not None else {}
    for k in sorted(cases, key=lambda k: (-len(sets[k]), -len(cases[k]), k)):
        if shapes and k.startswith("[word]"):
            continue
        if show is None:
            ids = ", ".join(i for _, i, _ in cases[k][:4])
            print(f"{len(sets[k]):3d} sets {len(cases[k]):3d} q  {k}  [{ids}]")
        elif show in k:
            for name, i, r in cases[k]:
                print(f"{name} {i}: {texts.get((name, i), '')}\n    {r[:300]}")


def by_word(found: list[tuple[str, str, str]], show: str | None) -> None:
    texts = questions()
    where: dict[str, set[str]] = defaultdict(set)
    cases: dict[str, list[str]] = defaultdict(list)
    alone: Counter[str] = Counter()  # the only word unplaced
    other = 0
    for name, cid, reason in found:
        words = unplaced(reason)
        other += not words
        if len(set(words)) == 1:
            alone[words[0]] += 1
        for w in dict.fromkeys(words):
            where[w].add(name)
            cases[w].append(f"{name}:{cid}: {texts.get((name, cid), '?')}")
    if show:
        print("\n".join(cases[show.lower()]))
        return
    totals: Counter[tuple[str, str]] = Counter()
    for w in sorted(where, key=lambda w: (-len(where[w]), -len(cases[w]), w)):
        k = "zh" if re.search(r"[\u4e00-\u9fff]", w) else "en"
        totals[k, "words"] += 1
        totals[k, "questions"] += len(cases[w])
        print(f"{len(where[w]):3d} sets {len(cases[w]):3d} q {alone[w]:3d} alone  [{k}] {w!r}")
    blocked = len({q for v in cases.values() for q in v})
    print(
        f"\nrefused cases: {len(found)}; blocked by an unplaced word: {blocked}; "
        f"other refusals: {other}"
    )
    for k in ("zh", "en"):
        print(f"  {k}: {totals[k, 'words']} words, {totals[k, 'questions']} word-question blocks")


def main(argv: list[str]) -> None:
    show = argv[argv.index("--show") + 1] if "--show" in argv else None
    folders = [a for a in argv if not a.startswith("--") and a != show]
    found = list(refused(folders))
    if "--words" in argv:
        by_word(found, show)
    else:
        by_class(found, "--shapes" in argv, show)


if __name__ == "__main__":
    assert SETS.is_dir(), SETS
    main(sys.argv[1:])
