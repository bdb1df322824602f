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
from shopql.warehouse.connection import open_reader, open_writer
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
    if isinstance(value, decimal.Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and value.as_tuple().exponent >= 0
            else float(value)
        )
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


def execute_readonly(
    con: duckdb.DuckDBPyConnection, sql: str, timeout_s: float, row_cap: int
) -> QueryResult:
    """Run already-guarded SQL on a read-only connection, interrupting it after `timeout_s`."""
    timer = threading.Timer(timeout_s, con.interrupt)
    started = time.perf_counter()
    timer.start()
    try:
        cursor = con.execute(sql)
        rows = cursor.fetchall()
        description = cursor.description or []
    except duckdb.InterruptException as e:
        raise QueryError(
            f"query stopped after {timeout_s:g} s", "narrow the question or raise query_timeout_s"
        ) from e
    except duckdb.Error as e:
        raise QueryError(f"query failed: {str(e).splitlines()[0]}") from e
    finally:
        timer.cancel()
    return QueryResult(
        sql=sql,
        columns=[d[0] for d in description],
        rows=rows,
        types=[str(d[1]) for d in description],
        duration_ms=round((time.perf_counter() - started) * 1000, 2),
        truncated=len(rows) >= row_cap,
    )


def run_guarded(
    warehouse: Path,
    sql: str,
    *,
    role: str = "admin",
    source: str = "sql",
    question: str | None = None,
    row_cap: int = 10_000,
    timeout_s: float = 30.0,
    ctx: GuardContext | None = None,
) -> QueryResult:
    """Guard `sql`, run it read-only, and append the outcome to `_audit`."""
    if ctx is None:  # the workspace's own policy (roles, catalog PII classes)
        from shopql.warehouse.policy import guard_context_at

        ctx = guard_context_at(warehouse, role, row_cap)
    outcome, result = "refused", None
    try:
        safe = guard_sql(sql, ctx)
        outcome = "error"
        con = open_reader(warehouse)
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
    """Append one row to `_audit`."""
    write_audit(warehouse, role, [(source, question, sql, result, outcome)])


def write_audit(warehouse: Path, role: str, entries: list[AuditEntry]) -> None:
    """Append rows to `_audit` in one go; a busy warehouse (a sync writing) skips them rather than
    turn an answer into an error. A result is anything with `rows` and `duration_ms`."""
    try:
        con = open_writer(warehouse, wait_s=0)
    except Exception:  # the audit must never turn an answer into an error
        return
    try:
        con.executemany(
            "INSERT INTO _audit VALUES (current_localtimestamp(), ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    role,
                    source,
                    question,
                    sql,
                    len(result.rows) if result else None,
                    result.duration_ms if result else None,
                    outcome,
                ]
                for source, question, sql, result, outcome in entries
            ],
        )
    finally:
        con.close()
