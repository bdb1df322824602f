"""OneID: deterministic identity resolution over `identities` into one person id per component.

1. Normalise every identifier of every account (``identities`` plus the accounts' own phone,
   e-mail and openid columns): phones to digits without +86/0086 (a landline regains its trunk
   0: +86 571 8888 6666 is 057188886666), e-mails lower-cased, member cards upper-cased without
   spaces, nicks and platform user keys scoped by platform unless already prefixed (Olist's
   ``customer_unique_id`` arrives as ``olist:<id>``; a nick on Tmall is not the same nick on
   Douyin). Identifier types other connectors may use (``receiver_phone``, names) are kept as
   weak evidence.
2. Classify each one, recorded in ``_identity_links`` so ``identity explain`` can show the
   evidence: ``joined`` (shared by 2..max_shared accounts: an edge), ``unique`` (one account),
   ``masked`` (``138****1234`` never joins on its own), ``blocklisted`` (test and placeholder
   values, hotlines), ``over_shared`` (carried by more than ``max_shared`` accounts, e.g. a shop's
   own phone typed into every order), ``weak`` (names, addresses: never joined on) or ``invalid``.
3. Connected components by label propagation with pointer jumping, in SQL, over the accounts
   that have at least one edge (everyone else is a person alone).
4. Ids stay stable while the data only grows: a component keeps the oldest previous ``one_id``
   among those it inherits; when two previous persons merge, the younger id is retired and
   recorded in ``_one_id_merges`` (pointing at the survivor); a new component gets the next
   number, never one issued before.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import duckdb

from shopql.warehouse import person_key
from shopql.warehouse.derived import ONE_ID, PERSON_KEY, clear_stale
from shopql.warehouse.faults import fault_point

# Identifier types that may join accounts; anything else (name, address, …) is kept as evidence
# but never joined on.
STRONG_TYPES = ("phone", "email", "platform_user", "member_card", "openid", "unionid", "nick")
# Spellings connectors may use for the same type.
TYPE_ALIASES = {
    "mobile": "phone",
    "tel": "phone",
    "telephone": "phone",
    "mail": "email",
    "e-mail": "email",
    "member": "member_card",
    "member_no": "member_card",
    "card": "member_card",
    "buyer_key": "platform_user",
    "buyer_id": "platform_user",
    "user_id": "platform_user",
}
# Normalised values that are never a person ("type:value").
BLOCKLIST = (
    "phone:12345678901",
    "phone:01234567890",
    "phone:13800138000",
    "phone:13812345678",
    "phone:18888888888",
    "email:test@test.com",
    "email:test@example.com",
    "email:test@qq.com",
    "email:noreply@example.com",
    "email:a@a.com",
    "email:null@null.com",
    "email:none@none.com",
)
PLACEHOLDERS = ("null", "none", "nil", "n/a", "na", "-", "--", "0", "unknown", "无", "暂无", "——")
TEMP_TABLES = (
    *("_id_acc", "_id_norm", "_id_shared", "_id_edges", "_id_label", "_id_next"),
    *("_id_comp", "_id_claim", "_id_kept", "_id_final"),
)


@dataclass
class OneIdStats:
    """What one build did."""

    accounts: int
    persons: int
    merged_accounts: int  # accounts that share their person with at least one other account
    junk_identifiers: int  # distinct values dropped as blocklisted or over-shared
    iterations: int
    masked_identifiers: int = 0  # distinct masked values (kept, never joined on)
    new_persons: int = 0  # one_ids issued by this build
    retired_one_ids: int = 0  # previous one_ids merged into another by this build
    seconds: float = 0.0
    # the most shared junk values: (type, value, accounts, status)
    junk_examples: list[tuple[str, str, int, str]] = field(default_factory=list)
    phase_seconds: dict[str, float] = field(default_factory=dict)


def build_one_ids(
    con: duckdb.DuckDBPyConnection,
    max_shared: int = 20,
    blocklist: Iterable[str] = (),
) -> OneIdStats:
    """Rebuild `one_ids`, `customers.one_id` and the evidence tables (inside one transaction).

    Args:
        con: a writer connection on a warehouse at the current schema version.
        max_shared: an identifier carried by more accounts than this is junk.
        blocklist: extra ``type:value`` entries never to join on (``[identity] blocklist``),
            normalised like the identifiers (``phone:+86 139-1234-5678`` works).
    Returns:
        the counts of the build.
    """
    started = time.perf_counter()
    # No statement of the build relies on the order rows come back in (every ordering that shows
    # is explicit), and without it DuckDB writes the work tables in parallel with less memory.
    ordered = _scalar(con, "SELECT current_setting('preserve_insertion_order')::INTEGER")
    con.execute("SET preserve_insertion_order = false")
    phases: dict[str, float] = {}
    try:
        # The work tables (TEMP: this connection's own) are made before the write transaction
        # opens: inside a transaction a table dropped or replaced keeps its memory until the
        # commit (a rollback may need it), so the raw rows and every round of labels piled up.
        # Peak RSS at 1 M accounts 810 -> 708 MB, same persons. (At 10 M the CPU did not move:
        # the big groupings over 22.7 M identifiers still outgrow `memory_limit`; README.)
        for seed in range(HASH_ATTEMPTS):
            with _timed(phases, "normalise"):
                _normalise(con, normalise_blocklist([*BLOCKLIST, *blocklist]), seed)
            with _timed(phases, "classify"):
                if _classify(con, max(int(max_shared), 1)):
                    break
        else:
            raise RuntimeError(f"OneID: value numbers collided {HASH_ATTEMPTS} times")
        with _timed(phases, "components"):
            iterations = _propagate(con)
        con.execute("BEGIN TRANSACTION")
        try:
            stats = _write(con, max(int(max_shared), 1), iterations, phases)
            clear_stale(con, ONE_ID)  # the loads that made OneID stale are covered by this build
            clear_stale(con, PERSON_KEY)  # _write_ids keyed the orders
            fault_point("in_one_id")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    finally:
        _drop(con, *TEMP_TABLES)
        con.execute(f"SET preserve_insertion_order = {bool(ordered)}")
    stats.seconds = round(time.perf_counter() - started, 3)
    return stats


def _write(
    con: duckdb.DuckDBPyConnection, max_shared: int, iterations: int, phases: dict[str, float]
) -> OneIdStats:
    """Everything the build writes, inside the caller's transaction."""
    with _timed(phases, "classify"):
        _write_links(con, max_shared)
    with _timed(phases, "assign"):
        new_persons, retired = _assign_ids(con)
    stats = _summary(con)
    return OneIdStats(
        accounts=stats[0],
        persons=stats[1],
        merged_accounts=stats[2],
        junk_identifiers=stats[3],
        iterations=iterations,
        masked_identifiers=stats[4],
        new_persons=new_persons,
        retired_one_ids=retired,
        junk_examples=junk_examples(con),
        phase_seconds=phases,
    )


@contextmanager
def _timed(phases: dict[str, float], name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    phases[name] = round(phases.get(name, 0.0) + time.perf_counter() - started, 3)


def normalise_blocklist(entries: Iterable[str]) -> list[str]:
    """``type:value`` entries written the way the identifiers are normalised in SQL."""
    out = []
    for entry in entries:
        kind, _, value = entry.partition(":")
        kind = TYPE_ALIASES.get(kind.strip().lower(), kind.strip().lower())
        value = value.strip()
        if kind == "phone":
            value = re.sub(r"[^0-9*#$]", "", value)
            value = re.sub(r"^(0086|86)(1[0-9]{10})$", r"\2", value)
            value = re.sub(r"^(0086|86)([2-9][0-9]{8,10})$", r"0\2", value)
        elif kind == "email":
            value = value.lower()
        elif kind == "member_card":
            value = re.sub(r"\s", "", value).upper()
        out.append(f"{kind}:{value}")
    return out


def _sql_list(values: Iterable[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _type_case() -> str:
    arms = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in TYPE_ALIASES.items())
    return f"CASE lower(trim(identifier_type)) {arms} ELSE lower(trim(identifier_type)) END"


# A value's number: a 64-bit hash of (type, value); `seed` > 0 hashes another spelling of it.
# Every grouping and join of the build keys on it instead of the strings (at 10 M accounts
# the string groupings and joins over 22.7 M identifiers grew 13-19x the 1 M cost). A second,
# independent hash checks that no two values share a number (`_classify`); if two do, the
# build numbers them again with the next seed.
VALUE_HASH = "hash(type, CASE WHEN {seed} = 0 THEN value ELSE '{seed}:' || value END)"
CHECK_HASH = "hash('#' || value, type)"
HASH_ATTEMPTS = 3


def _normalise(con: duckdb.DuckDBPyConnection, blocklist: list[str], seed: int = 0) -> None:
    """`_id_norm`: one row per (account, normalised value) with its text, number (`h`) and
    first status."""
    # Accounts numbered: integers group and join far faster than the ids. The numbers carry no
    # meaning; every ordering that shows (ties, new ids) goes by customer_id.
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _id_acc AS
        SELECT customer_id, min(platform) AS platform, row_number() OVER () AS acc
        FROM customers GROUP BY customer_id"""
    )
    # Read, normalised and deduplicated in one statement: a materialised copy of the raw rows
    # (22 M at 10 M accounts) only added to what the memory limit has to hold.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _id_norm AS
        WITH src AS (
            SELECT a.acc, {_type_case()} AS type, trim(i.identifier_value) AS raw,
                   coalesce(i.platform, a.platform) AS platform
            FROM identities i JOIN _id_acc a USING (customer_id)
            WHERE nullif(trim(i.identifier_value), '') IS NOT NULL
            UNION ALL
            SELECT a.acc, u.type, trim(u.raw), a.platform
            FROM _id_acc a JOIN (SELECT customer_id,
                     unnest([{{'type': 'phone', 'raw': phone}}, {{'type': 'email', 'raw': email}},
                             {{'type': 'openid', 'raw': openid}}]) AS u
                  FROM customers) USING (customer_id)
            WHERE nullif(trim(u.raw), '') IS NOT NULL),
        v AS (
            SELECT acc, type, raw, platform,
                CASE type
                  WHEN 'phone' THEN coalesce(nullif(regexp_replace(regexp_replace(
                      regexp_replace(raw, '[^0-9*#$]', '', 'g'), '^(0086|86)(1[0-9]{{10}})$', '\\2'),
                      '^(0086|86)([2-9][0-9]{{8,10}})$', '0\\2'), ''), raw)
                  WHEN 'email' THEN lower(raw)
                  WHEN 'member_card' THEN upper(regexp_replace(raw, '\\s', '', 'g'))
                  WHEN 'nick' THEN coalesce(platform || ':', '') || raw
                  WHEN 'platform_user' THEN CASE
                      WHEN platform IS NULL OR contains(raw, ':') THEN raw
                      ELSE platform || ':' || raw END
                  ELSE raw END AS value
            FROM src)
        SELECT acc, h, type, value, platform, lo, lo <> hi AS mixed,
            CASE
              WHEN NOT list_contains({_sql_list(STRONG_TYPES)}, type) THEN 'weak'
              WHEN list_contains({_sql_list(PLACEHOLDERS)}, lower(value)) THEN 'invalid'
              WHEN regexp_matches(value, '[*#$•]') THEN 'masked'
              WHEN type = 'phone' AND length(value) < 7 THEN 'invalid'
              WHEN type = 'email' AND NOT regexp_full_match(value, '[^@\\s]+@[^@\\s]+\\.[^@\\s]+')
                THEN 'invalid'
              WHEN list_contains({_sql_list(blocklist)}, type || ':' || value) THEN 'blocklisted'
              WHEN type = 'phone' AND (replace(value, left(value, 1), '') = ''
                                       OR regexp_full_match(value, '(400|800)[0-9]{{7}}'))
                THEN 'blocklisted'
              WHEN type = 'email' AND regexp_matches(value, '^(no-?reply|do-?not-?reply)@')
                THEN 'blocklisted'
              ELSE 'ok' END AS status
        FROM (SELECT acc, h, any_value(type) AS type, any_value(value) AS value,
                     min(platform) AS platform, min(h2) AS lo, max(h2) AS hi
              FROM (SELECT *, {VALUE_HASH.format(seed=int(seed))} AS h, {CHECK_HASH} AS h2
                    FROM v)
              GROUP BY acc, h)"""
    )


def _classify(con: duckdb.DuckDBPyConnection, max_shared: int) -> bool:
    """Count accounts per value and make the edges (work tables only); False when two values
    share a number (then nothing is made)."""
    # Values carried by several accounts (keyed by their number).
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _id_shared AS
        SELECT h, count(*) AS n, min(lo) AS lo, max(lo) AS hi
        FROM _id_norm GROUP BY h HAVING count(*) > 1"""
    )
    # Two values under one number show as two check hashes: within one account's group, or
    # across the accounts of a shared number (a number only one account carries is safe).
    collided = _scalar(
        con,
        """SELECT (SELECT count(*) FROM _id_norm WHERE mixed)
                + (SELECT count(*) FROM _id_shared WHERE lo <> hi)""",
    )
    if collided:
        _drop(con, "_id_norm", "_id_shared")
        return False
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _id_edges AS
        SELECT n.acc, s.h AS key FROM _id_norm n JOIN _id_shared s USING (h)
        WHERE n.status = 'ok' AND s.n <= {max_shared}"""
    )
    return True


def _write_links(con: duckdb.DuckDBPyConnection, max_shared: int) -> None:
    """Settle each identifier's status into `_identity_links` (the evidence `identity explain`
    shows)."""
    # Replaced wholesale (same columns as schema V3): far cheaper than deleting millions of rows.
    con.execute(
        f"""CREATE OR REPLACE TABLE _identity_links AS
        SELECT a.customer_id, n.platform, n.type AS identifier_type, n.value AS identifier_value,
            CASE WHEN n.status <> 'ok' THEN n.status
                 WHEN s.n > {max_shared} THEN 'over_shared'
                 WHEN s.n > 1 THEN 'joined' ELSE 'unique' END AS status,
            coalesce(s.n, 1)::INTEGER AS accounts
        FROM _id_norm n JOIN _id_acc a USING (acc) LEFT JOIN _id_shared s USING (h)"""
    )
    _drop(con, "_id_norm", "_id_shared")


def _propagate(con: duckdb.DuckDBPyConnection, max_rounds: int = 200) -> int:
    """Min-label propagation with pointer jumping over accounts that have an edge."""
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _id_label AS
        SELECT DISTINCT acc AS node, acc AS label FROM _id_edges"""
    )
    for round_no in range(1, max_rounds + 1):
        con.execute(
            """CREATE OR REPLACE TEMP TABLE _id_next AS
            WITH key_min AS (
                SELECT e.key, min(l.label) AS label
                FROM _id_edges e JOIN _id_label l ON l.node = e.acc GROUP BY e.key),
            via AS (
                SELECT e.acc AS node, min(k.label) AS label
                FROM _id_edges e JOIN key_min k USING (key) GROUP BY e.acc)
            SELECT v.node, least(v.label, coalesce(j.label, v.label)) AS label
            FROM via v LEFT JOIN _id_label j ON j.node = v.label"""
        )
        changed = _scalar(
            con,
            """SELECT count(*) FROM _id_next n JOIN _id_label l USING (node)
               WHERE n.label <> l.label""",
        )
        con.execute("CREATE OR REPLACE TEMP TABLE _id_label AS SELECT * FROM _id_next")
        if not changed:
            _drop(con, "_id_edges", "_id_next")
            return round_no
    raise RuntimeError(f"OneID components did not settle in {max_rounds} rounds")


SEQ = "try_cast(substr({c}, 2) AS BIGINT)"


def _assign_ids(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Give every component its one_id; return (new persons, retired ids)."""
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _id_comp AS
        SELECT a.customer_id, coalesce(l.label, a.acc) AS label, o.one_id AS old
        FROM _id_acc a LEFT JOIN _id_label l ON l.node = a.acc
        LEFT JOIN one_ids o USING (customer_id)"""
    )
    _drop(con, "_id_label", "_id_acc")
    # Each previous id goes to the component holding most of its accounts (a value that became
    # over-shared can split a person); a component inheriting several keeps the oldest.
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _id_claim AS
        SELECT old, label FROM (
            SELECT old, label, row_number() OVER (
                PARTITION BY old ORDER BY count(*) DESC, min(customer_id)) AS rk
            FROM _id_comp WHERE old IS NOT NULL GROUP BY old, label)
        WHERE rk = 1"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _id_kept AS
        SELECT label, first(old ORDER BY {SEQ.format(c="old")} NULLS LAST, old) AS one_id
        FROM _id_claim GROUP BY label"""
    )
    retired = _record_merges(con)
    last = _last_issued(con)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _id_final AS
        WITH fresh AS (
            SELECT label, 'P' || lpad(({last} + row_number() OVER (ORDER BY first))::VARCHAR,
                                      8, '0') AS one_id
            FROM (SELECT label, min(customer_id) AS first FROM _id_comp
                  ANTI JOIN _id_kept USING (label) GROUP BY label))
        SELECT c.customer_id, coalesce(k.one_id, f.one_id) AS one_id
        FROM _id_comp c LEFT JOIN _id_kept k USING (label) LEFT JOIN fresh f USING (label)"""
    )
    new_persons = _scalar(
        con, "SELECT count(DISTINCT one_id) FROM _id_final ANTI JOIN _id_kept USING (one_id)"
    )
    con.execute("INSERT OR REPLACE INTO _meta VALUES ('one_id_last', ?)", [str(last + new_persons)])
    _write_ids(con)
    return new_persons, retired


def _record_merges(con: duckdb.DuckDBPyConnection) -> int:
    """Retire previous ids absorbed into an older one; repoint earlier merges at the survivor."""
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _id_next AS
        SELECT c.old AS retired, k.one_id FROM _id_claim c JOIN _id_kept k USING (label)
        WHERE c.old <> k.one_id"""
    )
    con.execute(
        """UPDATE _one_id_merges SET one_id = n.one_id FROM _id_next n
           WHERE _one_id_merges.one_id = n.retired"""
    )
    con.execute(
        """INSERT OR REPLACE INTO _one_id_merges
           SELECT retired, one_id, current_localtimestamp() FROM _id_next"""
    )
    return _scalar(con, "SELECT count(*) FROM _id_next")


def _last_issued(con: duckdb.DuckDBPyConnection) -> int:
    """The highest one_id number ever issued, so no id is ever handed out twice."""
    return _scalar(
        con,
        f"""SELECT greatest(
            (SELECT coalesce(max({SEQ.format(c="one_id")}), 0) FROM one_ids),
            (SELECT coalesce(max({SEQ.format(c="retired_one_id")}), 0) FROM _one_id_merges),
            (SELECT coalesce(max(try_cast(value AS BIGINT)), 0) FROM _meta
             WHERE key = 'one_id_last'))""",
    )


def _write_ids(con: duckdb.DuckDBPyConnection) -> None:
    # Only what changed is written, so a rebuild of grown data touches few rows.
    con.execute("DELETE FROM one_ids WHERE customer_id NOT IN (SELECT customer_id FROM _id_final)")
    con.execute(
        """INSERT OR REPLACE INTO one_ids
        SELECT f.customer_id, f.one_id FROM _id_final f LEFT JOIN one_ids o USING (customer_id)
        WHERE o.one_id IS DISTINCT FROM f.one_id"""
    )
    con.execute(
        """UPDATE customers SET one_id = f.one_id FROM _id_final f
           WHERE customers.customer_id = f.customer_id
             AND customers.one_id IS DISTINCT FROM f.one_id"""
    )
    person_key.refresh(con)  # orders.one_id follows its account, in this transaction


def _summary(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int, int, int]:
    # Counted on the components (integers) rather than on one_ids: after _write_ids one_ids holds
    # exactly _id_comp's accounts, and a component's label and its one_id go one to one.
    row = con.execute(
        """SELECT
            (SELECT count(*) FROM _id_comp),
            (SELECT count(DISTINCT label) FROM _id_comp),
            (SELECT coalesce(sum(n) FILTER (WHERE n > 1), 0)
             FROM (SELECT count(*) AS n FROM _id_comp GROUP BY label)),
            (SELECT count(*) FROM (SELECT DISTINCT identifier_type, identifier_value
             FROM _identity_links WHERE status IN ('blocklisted', 'over_shared'))),
            (SELECT count(*) FROM (SELECT DISTINCT identifier_type, identifier_value
             FROM _identity_links WHERE status = 'masked'))"""
    ).fetchone()
    assert row is not None
    return (int(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4]))


def junk_examples(
    con: duckdb.DuckDBPyConnection, limit: int = 5
) -> list[tuple[str, str, int, str]]:
    """The most shared values OneID refused to join on: (type, value, accounts, status)."""
    rows = con.execute(
        """SELECT identifier_type, identifier_value, max(accounts), min(status)
        FROM _identity_links WHERE status IN ('blocklisted', 'over_shared')
        GROUP BY ALL ORDER BY 3 DESC, 1, 2 LIMIT ?""",
        [limit],
    ).fetchall()
    return [(str(t), str(v), int(n), str(s)) for t, v, n, s in rows]


def _drop(con: duckdb.DuckDBPyConnection, *tables: str) -> None:
    """Drop work tables as soon as the build is done with them: what stays in memory is what
    the next statements need, so larger builds do not spill earlier tables back and forth."""
    for table in tables:
        con.execute(f"DROP TABLE IF EXISTS {table}")


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0
