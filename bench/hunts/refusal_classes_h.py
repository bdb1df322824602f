"""Count the offline engine's refusals by class across many scored sets (issue 11, session 31, helper h).

    python3 bench/hunts/refusal_classes_h.py /tmp/base31_* [--shapes] [--show CLASS] [--repo DIR]

Each argument is a folder `eval_set.sh` wrote (olist.json, retail.json, demo.json: `shopql eval
--format json`). Only cases whose outcome is "refused" count (a must-refuse question refused is
"correct"). A reason is normalised into a class: the text after "cannot answer this[ set question]:"
(or the whole message) up to "; did not understand", " — understood" or " (read …", quoted words → '…',
digits → N. Unplaced words ("could not place", "no metric recognised", "some words … not placed")
are one family each, marked [word]; --shapes prints only the other (shape) classes. Printed per class,
most widespread first: number of different sets, of questions, and the first ids. --show CLASS
(a substring) lists its questions with their text when --repo points at a checkout with tests/nlq/.
Sets heldout21 … heldout29 are the blind measure: they are skipped even when passed.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import defaultdict

BLIND = re.compile(r"heldout(2[1-9])\b")
WORDS = ("could not place", "no metric recognised", "were not placed")


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


def main(argv: list[str]) -> None:
    shapes = "--shapes" in argv
    show = argv[argv.index("--show") + 1] if "--show" in argv else None
    repo = argv[argv.index("--repo") + 1] if "--repo" in argv else None
    dirs = [
        a for a in argv if os.path.isdir(a) and not BLIND.search(os.path.basename(a.rstrip("/")))
    ]
    sets: dict[str, set[str]] = defaultdict(set)
    cases: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for d in dirs:
        name = os.path.basename(d.rstrip("/")).split("_", 1)[-1]
        for ds in ("olist", "retail", "demo"):
            try:
                data = json.load(open(os.path.join(d, ds + ".json")))
            except (OSError, ValueError):
                continue
            for c in data["cases"]:
                if c["outcome"] == "refused":
                    k = klass(c["reason"])
                    sets[k].add(name)
                    cases[k].append((name, c["id"], c["reason"]))
    order = sorted(cases, key=lambda k: (-len(sets[k]), -len(cases[k]), k))
    total = sum(len(v) for v in cases.values())
    print(f"{total} refusals in {len(dirs)} sets, {len(cases)} classes")
    for k in order:
        if shapes and k.startswith("[word]"):
            continue
        if show is None:
            ids = ", ".join(i for _, i, _ in cases[k][:4])
            print(f"{len(sets[k]):3d} sets {len(cases[k]):3d} q  {k}  [{ids}]")
        elif show in k:
            texts = questions(repo) if repo else {}
            for name, i, r in cases[k]:
                print(f"{name} {i}: {texts.get(i, '')}\n    {r[:300]}")


def questions(repo: str) -> dict[str, str]:
    import glob

    out: dict[str, str] = {}
    for path in glob.glob(os.path.join(repo, "tests/nlq/*.yaml")):
        if BLIND.search(path) or "w28b" in path:
            continue
        cur = None
        for line in open(path, encoding="utf-8"):
            m = re.match(r"\s*- id: (\S+)", line)
            if m:
                cur = m.group(1)
            m = re.match(r"\s+q: (.*)", line)
            if m and cur:
                out[cur] = m.group(1).strip().strip('"')
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
