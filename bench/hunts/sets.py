"""Which question sets the hunts may read (issue 11): the dev sets, golden.yaml and the retired
held-out sets (heldout.yaml, heldout2 … heldout20) — never the blind measure: heldout21 and every
later held-out set, and the dev halves kept blind (BLIND_DEV). One rule for every hunt."""

from __future__ import annotations

import re
from pathlib import Path

SETS = Path(__file__).resolve().parents[2] / "tests" / "nlq"
BLIND_DEV = frozenset({"dev_w28b"})  # dev halves the lead keeps as a blind measure
_BLIND_HELDOUT = re.compile(r"heldout(2[1-9]|[3-9]\d|\d{3,})")


def is_blind(name: str) -> bool:
    """Whether the set named `name` (a file stem, e.g. heldout29, or a folder an eval wrote whose
    name ends with it, e.g. /tmp/base_heldout29) is part of the blind measure."""
    stem = Path(name.rstrip("/")).name
    return bool(_BLIND_HELDOUT.search(stem)) or any(stem.endswith(d) for d in BLIND_DEV)


def allowed_sets(only: list[str] | None = None) -> list[Path]:
    """The set files a hunt may read, by name; `only`: these names (blind ones still left out)."""
    paths = sorted(
        p
        for p in SETS.glob("*.yaml")
        if p.stem.startswith(("dev_", "heldout")) or p.stem == "golden"
    )
    return [p for p in paths if not is_blind(p.stem) and (not only or p.stem in only)]
