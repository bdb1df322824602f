"""OneID: deterministic identity resolution over `identities` into one person id per component.

Identifiers are normalised (phones to 11 digits without +86, e-mails lower-cased, keys trimmed),
weak or junk values are dropped (masked phones, a blocklist, any value shared by more than
`max_shared` accounts such as a shop's own phone), and accounts sharing an identifier are joined
into connected components by label propagation in SQL. A component keeps the oldest `one_id` any
of its accounts had, so ids stay stable across rebuilds while the data only grows.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

BLOCKLIST = [
    "phone:00000000000",
    "phone:11111111111",
    "phone:12345678901",
    "phone:13800138000",
    "phone:13888888888",
    "email:test@test.com",
    "email:test@example.com",
    "email:noreply@example.com",
    "email:a@a.com",
]
STRONG_TYPES = ("phone", "email", "platform_user", "member_card", "openid", "unionid")


@dataclass
class OneIdStats:
    accounts: int
    persons: int
    merged_accounts: int  # accounts that share their person with at least one other account
    junk_identifiers: int
    iterations: int


NORMALISED = """
CREATE OR REPLACE TEMP TABLE _id_norm AS
SELECT customer_id, identifier_type AS type,
    CASE identifier_type
      WHEN 'phone' THEN regexp_replace(regexp_replace(identifier_value, '[^0-9*]', '', 'g'),
                                      '^(0086|86)(1[0-9]{10})$', '\\2')
      WHEN 'email' THEN lower(trim(identifier_value))
      ELSE trim(identifier_value) END AS value
FROM identities
WHERE identifier_value IS NOT NULL AND trim(identifier_value) <> ''
"""


def build_one_ids(con: duckdb.DuckDBPyConnection, max_shared: int = 20) -> OneIdStats:
    """Rebuild `one_ids` and `customers.one_id` from `identities` (inside one transaction)."""
    con.execute("BEGIN TRANSACTION")
    try:
        stats = _build(con, max_shared)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return stats


def _build(con: duckdb.DuckDBPyConnection, max_shared: int) -> OneIdStats:
    con.execute(NORMALISED)
    blocklist = "[" + ", ".join("'" + b + "'" for b in BLOCKLIST) + "]"
    strong = ", ".join(f"'{t}'" for t in STRONG_TYPES)
    # Usable edges: strong types only; masked phones (138****1234) never join on their own.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _id_edges AS
        SELECT DISTINCT customer_id, type || ':' || value AS key FROM _id_norm
        WHERE type IN ({strong}) AND NOT contains(value, '*')
          AND NOT list_contains({blocklist}, type || ':' || value)
          AND NOT (type = 'phone' AND length(value) < 7)"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _id_junk AS
        SELECT key FROM _id_edges GROUP BY key HAVING count(*) > {int(max_shared)}"""
    )
    junk = int(con.execute("SELECT count(*) FROM _id_junk").fetchone()[0])  # type: ignore[index]
    con.execute("DELETE FROM _id_edges WHERE key IN (SELECT key FROM _id_junk)")
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _id_label AS
        SELECT customer_id, customer_id AS label FROM customers"""
    )
    iterations = _propagate(con)
    _assign_ids(con)
    accounts, persons, merged = con.execute(
        """SELECT count(*), count(DISTINCT one_id),
                  count(*) FILTER (WHERE n > 1)
           FROM (SELECT one_id, count(*) OVER (PARTITION BY one_id) AS n FROM one_ids)"""
    ).fetchone()  # type: ignore[misc]
    for table in ("_id_norm", "_id_edges", "_id_junk", "_id_label", "_id_next"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return OneIdStats(int(accounts), int(persons), int(merged), junk, iterations)


def _propagate(con: duckdb.DuckDBPyConnection, max_rounds: int = 100) -> int:
    """Label propagation: each account takes the smallest label among accounts sharing a key."""
    for round_no in range(1, max_rounds + 1):
        con.execute(
            """CREATE OR REPLACE TEMP TABLE _id_next AS
            WITH key_min AS (
                SELECT e.key, min(l.label) AS label
                FROM _id_edges e JOIN _id_label l USING (customer_id) GROUP BY e.key),
            via AS (
                SELECT e.customer_id, min(k.label) AS label
                FROM _id_edges e JOIN key_min k USING (key) GROUP BY e.customer_id)
            SELECT l.customer_id, least(l.label, coalesce(v.label, l.label)) AS label
            FROM _id_label l LEFT JOIN via v USING (customer_id)"""
        )
        changed = con.execute(
            """SELECT count(*) FROM _id_next n JOIN _id_label l USING (customer_id)
               WHERE n.label <> l.label"""
        ).fetchone()[0]  # type: ignore[index]
        con.execute("CREATE OR REPLACE TEMP TABLE _id_label AS SELECT * FROM _id_next")
        if not changed:
            return round_no
    return max_rounds


def _assign_ids(con: duckdb.DuckDBPyConnection) -> None:
    """Keep each component's oldest previous one_id; number new components after the last id."""
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _id_next AS
        WITH comp AS (
            SELECT l.customer_id, l.label, o.one_id AS old FROM _id_label l
            LEFT JOIN one_ids o USING (customer_id)),
        kept AS (SELECT label, min(old) AS one_id FROM comp GROUP BY label),
        top AS (SELECT coalesce(max(try_cast(substr(one_id, 2) AS BIGINT)), 0) AS n FROM one_ids),
        fresh AS (
            SELECT label, 'P' || lpad(((SELECT n FROM top)
                   + row_number() OVER (ORDER BY label))::VARCHAR, 8, '0') AS one_id
            FROM kept WHERE one_id IS NULL)
        SELECT c.customer_id, coalesce(k.one_id, f.one_id) AS one_id
        FROM comp c JOIN kept k USING (label) LEFT JOIN fresh f USING (label)"""
    )
    con.execute("DELETE FROM one_ids")
    con.execute("INSERT INTO one_ids SELECT customer_id, one_id FROM _id_next")
    con.execute(
        """UPDATE customers SET one_id = n.one_id FROM _id_next n
           WHERE customers.customer_id = n.customer_id"""
    )
