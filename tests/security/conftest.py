"""One attack workspace per session: the generated demo (seed 7, scale 0.1) with an extra role
that may not see personal data at all, and the raw personal values an attacker is after."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from shopql.warehouse.guard import BUILTIN_PII, PERSON
from tests.conftest import DEMO_SEED7_TODAY, demo_seed7, warehouse_reader

ATTACK_TODAY = dt.date(2025, 6, 1)
ROLES_TOML = """
[roles.viewer]
pii = "deny"
[roles.guest]
pii = "mask"
"""


@pytest.fixture(scope="session")
def attack_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace, plus roles `viewer` (pii = deny) and `guest` (a new masked role)."""
    assert ATTACK_TODAY == DEMO_SEED7_TODAY
    folder = demo_seed7(tmp_path_factory)
    with (folder / "shopql.toml").open("a", encoding="utf-8") as toml:
        toml.write(ROLES_TOML)
    return folder


def raw_pii_values(warehouse: Path) -> set[str]:
    """Every distinct raw value of every personal-data column of the demo (values a platform
    already masked, with `*`, are left out: they are not secrets)."""
    con = warehouse_reader(warehouse.parent)
    try:
        values: set[str] = set()
        for table, columns in BUILTIN_PII.items():
            for column, kind in columns.items():
                if kind == PERSON:  # OneIDs name no one; account keys are read in customer_id
                    continue
                rows = con.execute(
                    f"SELECT DISTINCT CAST({column} AS VARCHAR) FROM {table} "
                    f"WHERE {column} IS NOT NULL"
                ).fetchall()
                values |= {str(r[0]) for r in rows if "*" not in str(r[0])}
        return values
    finally:
        con.close()


@pytest.fixture(scope="session")
def secrets(attack_ws: Path) -> set[str]:
    found = raw_pii_values(attack_ws / "warehouse.duckdb")
    assert len(found) > 1000  # phones, e-mails, names, nicks, keys: the demo has them all
    return found


# a masked value: the keyed hash (k + 16 hex digits, after a platform prefix). Its digits are
# random per workspace key: a 6-digit secret (a district code) turns up inside one by chance
# about one run in five, which is no leak.
MASKED_HASH = re.compile(r"k[0-9a-f]{16}")


def leaked(rows: list[tuple[object, ...]], secrets: set[str]) -> list[str]:
    """The raw personal values found in any cell: whole values, or (for secrets of 6 characters
    or more) inside a longer text such as a JSON document or a joined string — not inside a
    masked hash."""
    lengths = _lengths(secrets)
    raw_tokens = _hash_tokens(secrets)  # a raw key of the same shape still counts
    found = []
    for row in rows:
        for cell in row:
            for text in _texts(cell):
                if text in secrets:
                    found.append(text)
                    continue
                text = MASKED_HASH.sub(
                    lambda m: m.group(0) if m.group(0) in raw_tokens else "\0", text
                )
                for n in lengths:
                    found += [
                        text[i : i + n]
                        for i in range(len(text) - n + 1)
                        if text[i : i + n] in secrets
                    ]
    return found


def _texts(cell: object) -> list[str]:
    if cell is None:
        return []
    if isinstance(cell, (list, tuple)):
        return [t for v in cell for t in _texts(v)]
    if isinstance(cell, dict):
        return [t for k, v in cell.items() for t in [*_texts(k), *_texts(v)]]
    if isinstance(cell, (bytes, bytearray)):
        return [cell.decode("utf-8", errors="replace")]
    return [str(cell)]


_length_cache: dict[int, list[int]] = {}
_token_cache: dict[int, set[str]] = {}


def _hash_tokens(secrets: set[str]) -> set[str]:
    key = id(secrets)
    if key not in _token_cache:
        _token_cache[key] = {t for s in secrets for t in MASKED_HASH.findall(s)}
    return _token_cache[key]


def _lengths(secrets: set[str]) -> list[int]:
    key = id(secrets)
    if key not in _length_cache:
        _length_cache[key] = sorted({len(s) for s in secrets if len(s) >= 6})
    return _length_cache[key]
