"""Canonical vocabularies (payment channels, shipping companies, refund statuses) as SQL macros.

The vocabularies live in ``sync/vocabularies.yaml``. Each becomes a temporary DuckDB macro
(``sq_channel(x)``, ``sq_carrier(x)``, ``sq_refund_status(x)``) that the loader applies while it
writes the canonical tables, so canonicalising costs one CASE per row inside the same INSERT.
``STANDARD_COLUMNS`` says which canonical column is derived from which raw column kept beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

VOCAB_FILE = Path(__file__).with_name("vocabularies.yaml")
OTHER = "other"  # the canonical value of a raw value no vocabulary entry matches
NONE = "none"  # refund statuses: the "nothing happened" entry, written as NULL


@dataclass(frozen=True)
class Vocabulary:
    """One vocabulary: canonical value -> raw spellings and patterns."""

    name: str
    macro: str
    spellings: dict[str, str]  # lower-case spelling -> canonical
    patterns: tuple[tuple[str, str], ...]  # (regex, canonical), in file order
    labels: dict[str, dict[str, str]]

    @property
    def canonical(self) -> list[str]:
        return sorted({*self.spellings.values(), *(c for _, c in self.patterns), *self.labels})

    def lookup(self, raw: str | None) -> str | None:
        """The canonical value of one raw value (Python twin of the SQL macro, for tests/tools)."""
        if raw is None or not raw.strip():
            return None
        key = raw.strip().lower()
        hit = self.spellings.get(key)
        if hit is None:
            hit = next((c for p, c in self.patterns if re.search(p, key)), OTHER)
        return None if hit == NONE else hit

    def macro_sql(self) -> str:
        exact = " ".join(
            f"WHEN {_lit(s)} THEN {_value(c)}" for s, c in sorted(self.spellings.items())
        )
        k = "lower(trim(x))"
        fuzzy = " ".join(
            f"WHEN regexp_matches({k}, {_lit(p)}) THEN {_value(c)}" for p, c in self.patterns
        )
        return (
            f"CREATE OR REPLACE TEMP MACRO {self.macro}(x) AS CASE WHEN nullif(trim(x), '') IS NULL "
            f"THEN NULL ELSE CASE {k} {exact} ELSE CASE {fuzzy} ELSE {_lit(OTHER)} END END END"
        )


# vocabulary name in the YAML -> macro
MACROS = {
    "payment_channels": "sq_channel",
    "shipping_companies": "sq_carrier",
    "refund_statuses": "sq_refund_status",
}

# table -> canonical column -> (raw column kept beside it, vocabulary)
STANDARD_COLUMNS: dict[str, dict[str, tuple[str, str]]] = {
    "orders": {
        "payment_channel": ("raw_payment_channel", "payment_channels"),
        "carrier": ("raw_carrier", "shipping_companies"),
    },
    "payments": {"channel": ("raw_channel", "payment_channels")},
    "order_items": {"refund_status": ("raw_refund_status", "refund_statuses")},
}


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _value(canonical: str) -> str:
    return "NULL" if canonical == NONE else _lit(canonical)


@cache
def _raw() -> dict[str, dict]:
    from shopql.sync.spec import load_yaml

    return load_yaml(VOCAB_FILE.read_text(encoding="utf-8"))


@cache
def vocabulary(name: str) -> Vocabulary:
    entries = _raw()[name]
    spellings: dict[str, str] = {}
    patterns: list[tuple[str, str]] = []
    labels: dict[str, dict[str, str]] = {}
    for canonical, entry in entries.items():
        spellings[canonical.lower()] = canonical
        for s in entry.get("spellings") or ():
            spellings[str(s).strip().lower()] = canonical
        patterns += [(str(p), canonical) for p in entry.get("patterns") or ()]
        if entry.get("label"):
            labels[canonical] = entry["label"]
    return Vocabulary(name, MACROS[name], spellings, tuple(patterns), labels)


def order_statuses() -> set[str]:
    """The canonical order status set every connector maps into."""
    return set(_raw()["order_statuses"])


def macros() -> list[str]:
    """The vocabulary macros, to create on a connection before loading."""
    return [vocabulary(name).macro_sql() for name in MACROS]
