"""Pseudonymised keys: account keys derived from personal data never hold the raw value.

A Taobao or JD account is keyed by the buyer's nick (``taobao:tb158880144``), a Shopify customer
by an e-mail address, a shop's own export by a phone number. Such keys are replaced at sync time
by a keyed hash (HMAC-SHA256 of the whole raw key, 24 hex digits, the platform prefix kept:
``taobao:~3f9c…``), so joins between customers, orders, identities, events and OneID work as
before while no role reads a nick, e-mail or phone in a key. The raw value stays only in the PII
columns (``nick``, ``email``, ``phone``, ``identities.identifier_value``) that the guard masks.

The key is 32 random bytes generated once per warehouse and kept next to it
(``warehouse.key``, readable by its owner only): without it nobody can rebuild a pseudonym from a
guessed phone or nick (a plain hash of an 11-digit phone is reversed by trying them all). Losing
the key only means new files get keys that do not match old ones; keep it with the warehouse.

Sources whose keys are opaque platform ids (Olist's hashed ids, the Online Retail customer number,
the Taobao UserBehavior user id) say ``pseudonymise: false`` and keep them raw, so their keys stay
the ones in the published datasets; ``RAW_KEY_PREFIXES`` names those keys for the migration.

The SQL macro and the Python function give the same result (tested), so a test or a lookup can
find the pseudonym of a raw key it knows.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

import duckdb

from shopql.errors import SyncError

KEY_BYTES = 32
DIGITS = 24  # 96 bits: no collision in any realistic number of accounts
COLUMNS = ("customer_id", "buyer_key", "user_key")  # key columns derived from a buyer's identity
RAW_KEY_PREFIXES = ("olist:", "retail:", "userbehavior:")  # opaque ids, kept raw
MARK = "~"
_PREFIX = re.compile(r"^([A-Za-z0-9_.-]{1,32}):")
_DONE = re.compile(r"([A-Za-z0-9_.-]{1,32}:)?~[0-9a-f]{24}")
_memory_key = secrets.token_bytes(KEY_BYTES)  # for in-memory warehouses: nothing to keep


def key_path(warehouse: Path) -> Path:
    """Where the key of the warehouse at `warehouse` is kept."""
    return warehouse.with_suffix(".key")


def load_key(warehouse: Path | None) -> bytes:
    """The warehouse's key, created (owner-only, 0600) on first use."""
    if warehouse is None:
        return _memory_key
    path = key_path(warehouse)
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        pass
    key = secrets.token_bytes(KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.hex() + "\n")
    return key


def sync_key(con: duckdb.DuckDBPyConnection, warehouse: Path | None) -> bytes:
    """The key to pseudonymise a sync's rows with. A warehouse that already holds pseudonyms but
    lost its key file is refused: a new key would give returning buyers new accounts."""
    if warehouse is not None and not key_path(warehouse).exists():
        held = con.execute(
            "SELECT count(*) FROM customers WHERE regexp_full_match(customer_id, ?)",
            [_DONE.pattern],
        ).fetchone()
        if held and held[0]:
            raise SyncError(
                f"the pseudonym key {key_path(warehouse)} is missing, but the warehouse holds "
                f"{held[0]:,} pseudonymised accounts",
                "restore the key file from the copy or backup the warehouse came from; a new key "
                "would split every returning buyer into a new account",
            )
    return load_key(warehouse)


def lookup_pseudonym(con: duckdb.DuckDBPyConnection, raw: str) -> str | None:
    """The pseudonym a raw key typed by a user (``taobao:tb123``) has in the warehouse behind
    `con`, None when the warehouse has no key yet (nothing was pseudonymised)."""
    from shopql.warehouse.connection import database_path

    warehouse = database_path(con)
    if warehouse is None or not key_path(warehouse).is_file():
        return None
    return pseudonym(load_key(warehouse), raw)


def connection_key(con: duckdb.DuckDBPyConnection) -> bytes:
    """The key of the warehouse behind `con`."""
    from shopql.warehouse.connection import database_path

    return load_key(database_path(con))


def pseudonym(key: bytes, raw: str | None) -> str | None:
    """The pseudonym of one raw key (what the SQL macro `sq_pseudo` computes)."""
    if raw is None:
        return None
    digest = hmac.new(key, raw.encode("utf-8"), hashlib.sha256).hexdigest()[:DIGITS]
    match = _PREFIX.match(raw)
    return f"{match.group(1)}:{MARK}{digest}" if match else MARK + digest


def is_safe_key(value: str) -> bool:
    """True for keys that reveal no personal data: opaque ids kept raw on purpose, or pseudonyms."""
    return value.startswith(RAW_KEY_PREFIXES) or bool(_DONE.fullmatch(value))


def macro(key: bytes) -> str:
    """`sq_pseudo(v)`: HMAC-SHA256 in SQL (vectorised; no Python call per row)."""
    block = key.ljust(64, b"\0")
    ipad = bytes(b ^ 0x36 for b in block).hex()
    opad = bytes(b ^ 0x5C for b in block).hex()
    digest = (
        f"left(sha256(unhex('{opad}') || unhex(sha256(unhex('{ipad}') || encode(v)))), {DIGITS})"
    )
    return f"""CREATE OR REPLACE TEMP MACRO sq_pseudo(v) AS
        CASE WHEN regexp_matches(v, '{_PREFIX.pattern}')
             THEN regexp_extract(v, '{_PREFIX.pattern}', 1) || ':{MARK}' || {digest}
             ELSE '{MARK}' || {digest} END"""


# Raw key -> pseudonym for one sync run (temporary, the writer's connection only): a key shared
# by an order, its account and its identities is hashed once.
CACHE = "CREATE OR REPLACE TEMP TABLE _pseudo (raw VARCHAR, pseudo VARCHAR)"


def pseudonymise_rows(con: duckdb.DuckDBPyConnection, table: str, names: list[str]) -> None:
    """Replace the key columns of the staged rows in `table` by their pseudonyms."""
    for column in (n for n in names if n in COLUMNS):
        con.execute(
            f"""INSERT INTO _pseudo
            SELECT raw, sq_pseudo(raw) FROM (SELECT DISTINCT {column} AS raw FROM {table}
                                              WHERE {column} IS NOT NULL)
            ANTI JOIN _pseudo USING (raw)"""
        )
        con.execute(
            f"""UPDATE {table} SET {column} = p.pseudo FROM _pseudo p
            WHERE {table}.{column} = p.raw"""
        )


def _kept_raw(column: str) -> str:
    """SQL: true where `column` holds a key that stays as it is."""
    raw = " OR ".join(f"starts_with({column}, '{p}')" for p in RAW_KEY_PREFIXES)
    return f"({column} IS NULL OR {raw} OR regexp_full_match({column}, '{_DONE.pattern}'))"


def rekey_existing(con: duckdb.DuckDBPyConnection) -> None:
    """Migration: replace the raw PII-derived keys of a warehouse written before pseudonyms,
    consistently in every table that has such a column (customers, orders, identities, one_ids,
    events, the OneID evidence, anything else with a customer_id)."""
    con.execute(macro(connection_key(con)))
    tables = con.execute(
        """SELECT c.table_name, list(c.column_name ORDER BY c.column_name)
           FROM information_schema.columns c JOIN information_schema.tables t
             ON t.table_name = c.table_name AND t.table_schema = c.table_schema
           WHERE c.table_schema = 'main' AND t.table_type = 'BASE TABLE'
             AND c.column_name IN ('customer_id', 'buyer_key', 'user_key')
           GROUP BY c.table_name ORDER BY c.table_name"""
    ).fetchall()
    for table, columns in tables:
        sets = []
        for column in columns:
            # a buyer_key is raw (Olist's unique id, a retail customer number) exactly when its
            # account's key is
            test = _kept_raw(
                "customer_id" if column == "buyer_key" and "customer_id" in columns else column
            )
            sets.append(f"{column} = CASE WHEN {test} THEN {column} ELSE sq_pseudo({column}) END")
        con.execute(f"UPDATE {table} SET {', '.join(sets)}")
