"""Running guarded queries on a read-only connection, with a time limit and an audit trail."""

from __future__ import annotations

import datetime as dt
import decimal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from shopql.errors import QueryError
from shopql.warehouse.connection import READER_MEMORY_LIMIT, open_reader
from shopql.warehouse.guard import GuardContext, guard_sql


@dataclass
class QueryResult:
    """Columns and rows of one executed query, with the SQL that actually ran."""

    sql: str
    columns: list[str]
    rows: list[tuple[Any, ...]]
    types: list[str] = field(default_factory=list)
    duration_ms: float = 0.0
    truncated: bool = False

    def json_rows(self) -> list[list[Any]]:
        """Rows with JSON-native values: numbers as numbers, timestamps as ISO strings."""
        return [[to_json_value(v) for v in row] for row in self.rows]


def to_json_value(value: Any) -> Any:
    """JSON-native values; a DECIMAL stays a Decimal (money is exact: write it with
    `warehouse.export.exact_json`, which prints 943121.70 as a number, never through a float)."""
    if isinstance(value, decimal.Decimal):
        exponent = value.as_tuple().exponent  # 'n', 'N' or 'F' for NaN and infinity
        return int(value) if isinstance(exponent, int) and exponent >= 0 else value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, (list, tuple)):
        return [to_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    return value


# Limits of one query's result, whatever its SQL says (DESIGN: cap the fetch, not the text).
MAX_CELL_BYTES = 1_000_000  # one value (a long text, a list, a struct) as text
MAX_LIST_ELEMENTS = 100_000  # one list or map value
MAX_ERROR_CHARS = 300  # an error line shown to the user
# Types whose values have a small fixed size: every other type's value is measured (an
# allow-list, so a type DuckDB adds later — VARIANT came in 2.0 — is bounded too).
FIXED_SIZE_TYPES = frozenset(
    {
        "BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
        "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DATE", "TIME",
        "TIMESTAMP", "INTERVAL", "UUID", "NULL", "\"NULL\"",
    }
)  # fmt: skip
MAX_RESULT_BYTES = 64_000_000  # every value fetched, as Python holds them (estimated)
FETCH_CHUNK = 256
_CELL_MARK = "shopql-cell:"


def execute_readonly(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    timeout_s: float,
    row_cap: int,
    *,
    max_cell_bytes: int = MAX_CELL_BYTES,
    max_result_bytes: int = MAX_RESULT_BYTES,
) -> QueryResult:
    """Run already-guarded SQL on a read-only connection and fetch at most `row_cap` rows.

    The whole query — execution, fetch and conversion to Python values — stops after
    `timeout_s`; at most row_cap + 1 rows are ever produced whatever the SQL's LIMIT says
    (``limit 0+20000``, ``limit 50 percent``); a value larger than `max_cell_bytes` stops the
    query inside DuckDB, before it reaches Python; the fetched values are bounded by
    `max_result_bytes`. Raises QueryError with the limit that was hit.
    """
    deadline = time.monotonic() + timeout_s
    timer = threading.Timer(timeout_s, con.interrupt)
    started = time.perf_counter()
    timer.start()
    try:
        columns, types = _describe(con, sql)
        cursor = con.execute(_bounded_sql(sql, columns, types, row_cap, max_cell_bytes))
        rows = _fetch(cursor, row_cap + 1, deadline, max_result_bytes, timeout_s)
    except duckdb.InterruptException as e:
        raise _stopped(timeout_s) from e
    except duckdb.OutOfMemoryException as e:
        raise QueryError(
            f"the query needs more memory than the limit ({READER_MEMORY_LIMIT})",
            "aggregate or filter more, or select fewer columns",
        ) from e
    except duckdb.Error as e:
        raise _query_error(e, max_cell_bytes) from e
    finally:
        timer.cancel()
    return QueryResult(
        sql=sql,
        columns=columns,
        rows=rows[:row_cap],
        types=types,
        duration_ms=round((time.perf_counter() - started) * 1000, 2),
        truncated=len(rows) >= row_cap,
    )


def _stopped(timeout_s: float) -> QueryError:
    return QueryError(
        f"query stopped after {timeout_s:g} s", "narrow the question or raise query_timeout_s"
    )


def _query_error(e: Exception, max_cell_bytes: int) -> QueryError:
    first = str(e).splitlines()[0]
    if _CELL_MARK in first:
        column = first.split(_CELL_MARK, 1)[1].strip()
        return QueryError(
            f"a value of column {column} is larger than {max_cell_bytes:,} bytes "
            f"(or {MAX_LIST_ELEMENTS:,} list elements)",
            "select a count, a slice (left(x, 100), x[1:10]) or fewer rows instead",
        )
    if "may build at most" in first:  # a size bound the guard put on repeat(), lpad() …
        return QueryError(first.split("Error: ", 1)[-1], "ask for fewer elements or characters")
    if (
        len(first) > MAX_ERROR_CHARS
    ):  # DuckDB quotes the failing value whole (a long text, a big number)
        first = first[:MAX_ERROR_CHARS] + f"… ({len(first) - MAX_ERROR_CHARS:,} characters more)"
    return QueryError(f"query failed: {first}")


def _describe(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[str]]:
    """Names and types of the result, from DuckDB's binder (nothing runs): the guard's own
    DESCRIBE of this text on this connection when it has just bound it (guard.binder_check),
    else DuckDB's again."""
    from shopql.warehouse.guard import described

    rows = described(con, sql)
    if rows is None:
        rows = con.execute("DESCRIBE " + sql).fetchall()
    return [str(r[0]) for r in rows], [str(r[1]) for r in rows]


def _bounded_sql(
    sql: str, columns: list[str], types: list[str], row_cap: int, max_cell_bytes: int
) -> str:
    """`sql` wrapped so that DuckDB itself produces at most row_cap + 1 rows and stops on a
    value too large to return (positional references keep duplicate column names apart)."""
    items = []
    for i, (name, kind) in enumerate(zip(columns, types, strict=True), 1):
        quoted = '"' + name.replace('"', '""') + '"'
        items.append(f"{_cell_check(f'#{i}', name, kind, max_cell_bytes)} AS {quoted}")
    select = ", ".join(items) or "*"
    return f"SELECT {select} FROM ({sql}) AS _shopql_result LIMIT {row_cap + 1}"


def _cell_check(ref: str, name: str, kind: str, max_cell_bytes: int) -> str:
    """`ref`, or DuckDB's error() when the value is too large (the message depends on the value
    so the optimizer cannot fold it away)."""
    upper = kind.upper()
    # Nested types first: a list of texts is "VARCHAR[]", which is not a text.
    if upper.endswith("]") or upper.startswith("MAP("):
        sizes = [
            f"len({ref}) > {MAX_LIST_ELEMENTS}"
            if not upper.startswith("MAP(")
            else f"cardinality({ref}) > {MAX_LIST_ELEMENTS}",
            f"strlen(CAST({ref} AS VARCHAR)) > {max_cell_bytes}",
        ]
    elif upper in ("VARCHAR", "JSON") or upper.startswith("VARCHAR("):
        sizes = [f"strlen({ref}) > {max_cell_bytes}"]
    elif upper in ("BLOB", "BIT"):
        sizes = [f"octet_length({ref}) > {max_cell_bytes}"]
    elif upper in FIXED_SIZE_TYPES or upper.startswith(("DECIMAL(", "TIMESTAMP", "TIME ")):
        return ref
    else:  # structs, unions, VARIANT, BIGNUM, any type added later: measured as text
        sizes = [f"strlen(CAST({ref} AS VARCHAR)) > {max_cell_bytes}"]
    label = name.replace("'", "''")
    fail = f"error(concat('{_CELL_MARK} {label}', left(CAST(({ref}) IS NULL AS VARCHAR), 0)))"
    whens = " ".join(f"WHEN {cond} THEN {fail}" for cond in sizes)
    return f"CASE {whens} ELSE {ref} END"


def _fetch(
    cursor: Any, limit: int, deadline: float, max_bytes: int, timeout_s: float
) -> list[tuple[Any, ...]]:
    """Up to `limit` rows in chunks, checking the deadline and the bytes held after each."""
    rows: list[tuple[Any, ...]] = []
    held = 0
    while len(rows) < limit:
        chunk = cursor.fetchmany(min(FETCH_CHUNK, limit - len(rows)))
        if not chunk:
            break
        rows.extend(chunk)
        held += sum(_size(v) for row in chunk for v in row)
        if held > max_bytes:
            raise QueryError(
                f"the result is larger than {max_bytes // 1_000_000} MB",
                "select fewer rows or columns, or aggregate",
            )
        if time.monotonic() > deadline:
            raise _stopped(timeout_s)
    return rows


def _size(value: Any) -> int:
    """A cheap estimate of the bytes a fetched value holds."""
    if isinstance(value, (str, bytes, bytearray)):
        return len(value) + 16
    if isinstance(value, (list, tuple)):
        return 16 + sum(_size(v) for v in value)
    if isinstance(value, dict):
        return 16 + sum(_size(k) + _size(v) for k, v in value.items())
    return 16


def run_guarded(
    warehouse: Path,
    sql: str,
    *,
    role: str,
    source: str = "sql",
    question: str | None = None,
    row_cap: int = 10_000,
    timeout_s: float = 30.0,
    ctx: GuardContext | None = None,
    runner: Any = None,
) -> QueryResult:
    """Guard `sql`, run it read-only, and append the outcome to `_audit`.

    `role` has no default: a caller that forgot it must not run as admin.
    `runner` (``warehouse.spark.SparkRunner``): the same guarded SQL runs on Spark over the lake
    instead of on the warehouse (guarded against the lake's schema, in DuckDB's dialect)."""
    if ctx is None:  # the workspace's own policy (roles, catalog PII classes)
        from shopql.warehouse.policy import guard_context_at

        ctx = guard_context_at(warehouse, role, row_cap)
    outcome, result = "refused", None
    try:
        if runner is not None:
            ctx = runner.guard_context(ctx)
        safe = guard_sql(sql, ctx)
        outcome = "error"
        if runner is not None:
            result = runner.run(safe, timeout_s, ctx.row_cap)
            outcome = "ok"
            return result
        from shopql.warehouse.audit import fold_before

        fold_before(warehouse, safe)  # `_audit` read: the questions' pending records first
        con = open_reader(warehouse, memory_limit=READER_MEMORY_LIMIT)
        try:
            result = execute_readonly(con, safe, timeout_s, ctx.row_cap)
        finally:
            con.close()
        outcome = "ok"
        return result
    finally:
        audit(warehouse, role, source, question, sql, result, outcome)


AuditEntry = tuple[str, str | None, str, Any, str]  # source, question, sql, result, outcome


def audit(
    warehouse: Path,
    role: str,
    source: str,
    question: str | None,
    sql: str,
    result: QueryResult | None,
    outcome: str,
) -> None:
    """Append one record to `_audit`."""
    write_audit(warehouse, role, [(source, question, sql, result, outcome)])


def write_audit(
    warehouse: Path, role: str, entries: list[AuditEntry], *, journal: bool = False
) -> None:
    """Append records to `_audit` in one go; when the warehouse is busy or read-only (or
    `journal`: first) they wait in the workspace's `.shopql/audit.jsonl` (see
    ``warehouse.audit``). Raises AuditError when neither can be written and an entry returned
    rows."""
    from shopql.warehouse import audit as trail

    trail.write(warehouse, role, entries, journal=journal)
