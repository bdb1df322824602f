"""The SQL guard: every query from any path (sql, ask, metric, board) passes these rules.

Like sqlglot's optimizer, the guard is an ordered tuple of small rules over the AST; each returns
the problems it finds (empty = fine) or a rewritten expression. The first problem refuses the query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlglot
from shopql.errors import GuardError
from sqlglot import exp
from sqlglot.errors import ParseError

# Table functions and scalar functions that reach files, the network or extensions.
FORBIDDEN_FUNCTIONS = {
    "read_csv",
    "read_csv_auto",
    "read_parquet",
    "parquet_scan",
    "read_json",
    "read_json_auto",
    "read_json_objects",
    "read_ndjson",
    "read_ndjson_auto",
    "read_ndjson_objects",
    "read_text",
    "read_blob",
    "read_xlsx",
    "glob",
    "sniff_csv",
    "parquet_metadata",
    "parquet_schema",
    "parquet_file_metadata",
    "parquet_kv_metadata",
    "iceberg_scan",
    "delta_scan",
    "sqlite_scan",
    "postgres_scan",
    "mysql_scan",
    "httpfs",
    "http_get",
    "load_extension",
    "install_extension",
    "getenv",
    "current_setting",
    "duckdb_secrets",
    "duckdb_settings",
    "query",
    "query_table",
}
WRITE_NODES: tuple[type[exp.Expression], ...] = (
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Merge,
    exp.Create,
    exp.Drop,
    exp.Alter,
    exp.Command,
    exp.Copy,
    exp.Pragma,
    exp.Set,
    exp.Use,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Attach,
    exp.Detach,
    exp.Install,
    exp.TruncateTable,
    exp.Into,
)
QUERY_ROOTS = (exp.Select, exp.Union, exp.Intersect, exp.Except)


@dataclass
class GuardContext:
    """What the rules may consult: row cap now; catalog schema and role policy later."""

    row_cap: int = 10_000


Rule = Callable[[exp.Expression, GuardContext], exp.Expression]


def _name(node: exp.Expression) -> str:
    return (node.name or getattr(node, "sql_name", lambda: "")() or "").lower()


def select_only(tree: exp.Expression, ctx: GuardContext) -> exp.Expression:
    """The statement is a query, and nothing inside it writes (CTEs and subqueries included)."""
    if not isinstance(tree, QUERY_ROOTS):
        kind = tree.key.upper() if tree.key != "command" else str(tree.this).upper()
        raise GuardError(
            f"only SELECT queries may run here, not {kind}",
            "shopql opens the warehouse read-only; change data with `shopql sync`",
        )
    for node in tree.walk():
        if isinstance(node, WRITE_NODES):
            raise GuardError(
                f"a {node.key.upper()} inside the query is not allowed",
                "write a plain SELECT",
            )
    return tree


def no_external_access(tree: exp.Expression, ctx: GuardContext) -> exp.Expression:
    """No function that reads files, URLs, settings or extensions; no file paths as tables."""
    for node in tree.walk():
        if isinstance(node, exp.Func):
            name = (node.sql_name() if not isinstance(node, exp.Anonymous) else node.name).lower()
            if name in FORBIDDEN_FUNCTIONS or node.key in FORBIDDEN_FUNCTIONS:
                raise GuardError(
                    f"function {name}() reads outside the warehouse and is not allowed",
                    "query the warehouse tables (see `shopql catalog list`)",
                )
        if isinstance(node, exp.Table) and isinstance(node.this, exp.Literal):
            raise GuardError(
                f"reading the file {node.this.this!r} is not allowed",
                "load files with `shopql sync`, then query the tables",
            )
    return tree


def row_cap(tree: exp.Expression, ctx: GuardContext) -> exp.Expression:
    """Add LIMIT row_cap when the query has none (or a larger one)."""
    limit = tree.args.get("limit")
    if isinstance(tree, exp.Query) and limit is None:
        return tree.limit(ctx.row_cap, copy=False)
    return tree


RULES: tuple[Rule, ...] = (select_only, no_external_access, row_cap)


def parse_one_statement(sql: str) -> exp.Expression:
    """Parse `sql` (DuckDB dialect) and insist on exactly one statement."""
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except ParseError as e:
        first = e.errors[0] if e.errors else {}
        where = f" at line {first.get('line')}, column {first.get('col')}" if first else ""
        raise GuardError(
            f"not valid SQL{where}: {first.get('description', str(e)).splitlines()[0]}",
            "check the syntax (DuckDB dialect)",
        ) from e
    if len(statements) != 1:
        raise GuardError(
            f"exactly one statement may run, got {len(statements)}",
            "remove the extra statements (no `;`-separated batches)",
        )
    return statements[0]


def guard_sql(sql: str, ctx: GuardContext | None = None, rules: tuple[Rule, ...] = RULES) -> str:
    """Check and rewrite `sql`; return the SQL that may run, or raise GuardError."""
    ctx = ctx or GuardContext()
    tree = parse_one_statement(sql)
    for rule in rules:
        tree = rule(tree, ctx)
    return tree.sql(dialect="duckdb")
