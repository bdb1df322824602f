"""The SQL guard: every query from any path (sql, ask, metric, board) passes these rules.

Like sqlglot's optimizer, the guard is an ordered tuple of small rules over the AST; each raises
GuardError on the first problem it finds or returns the (possibly rewritten) expression:

1. ``select_only``: a query, and nothing inside it writes (CTEs and subqueries included);
2. ``no_external_access``: no function or path that reaches files, the network or extensions;
3. ``names_exist``: every table and column exists (sqlglot ``qualify`` against the warehouse
   schema), with "did you mean" suggestions;
4. ``pii_policy``: personal-data columns are masked (or removed) for roles that may not see them,
   by replacing each reference to a table holding them with a masking subquery — so ``*``,
   subqueries and CTEs all see the masked values;
5. ``row_cap``: a LIMIT when there is none (or a larger one);
6. ``binder_check``: DuckDB binds the final SQL against an empty in-memory copy of the schema.

The time limit is applied at execution (``warehouse.query.execute_readonly``).
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError

from shopql.errors import GuardError

# Table functions and scalar functions that reach files, the network or extensions.
# fmt: off
FORBIDDEN_FUNCTIONS = {
    'checkpoint', 'copy_database', 'current_setting', 'delta_scan', 'duckdb_extensions',
    'duckdb_secrets', 'duckdb_settings', 'export_database', 'force_checkpoint', 'getenv', 'glob',
    'http_get', 'http_post', 'httpfs', 'iceberg_metadata', 'iceberg_scan', 'iceberg_snapshots',
    'import_database', 'install_extension', 'load_extension', 'mysql_query', 'mysql_scan',
    'parquet_bloom_probe', 'parquet_file_metadata', 'parquet_kv_metadata', 'parquet_metadata',
    'parquet_scan', 'parquet_schema', 'postgres_attach', 'postgres_query', 'postgres_scan',
    'query', 'query_table', 'read_blob', 'read_csv', 'read_csv_auto', 'read_json',
    'read_json_auto', 'read_json_objects', 'read_json_objects_auto', 'read_ndjson',
    'read_ndjson_auto', 'read_ndjson_objects', 'read_parquet', 'read_text', 'read_xlsx', 'readcsv',
    'readjson', 'readparquet', 'sniff_csv', 'sqlite_attach', 'sqlite_scan', 'which_secret',
}
# fmt: on
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
SYSTEM_SCHEMAS = {"information_schema", "pg_catalog"}

# Personal-data columns when no catalog says otherwise: table -> column -> PII class.
BUILTIN_PII: dict[str, dict[str, str]] = {
    "customers": {
        "phone": "phone",
        "email": "email",
        "name": "name",
        "nick": "name",
        "openid": "openid",
    },
    "orders": {"district": "address"},
    "identities": {"identifier_value": "identifier"},
    "_identity_links": {"identifier_value": "identifier"},  # OneID evidence (schema V3)
}
PII_POLICIES = ("show", "mask", "deny")

# Masking expressions per PII class; `{c}` is the column cast to text.
MASKS: dict[str, str] = {
    "phone": "CASE WHEN {c} IS NULL THEN NULL WHEN length({c}) >= 7 "
    "THEN left({c}, 3) || '****' || right({c}, 4) ELSE '****' END",
    "email": "CASE WHEN {c} IS NULL THEN NULL "
    "ELSE left({c}, 1) || '***@' || split_part({c}, '@', 2) END",
    "name": "CASE WHEN {c} IS NULL THEN NULL ELSE left({c}, 1) || '**' END",
}
DEFAULT_MASK = "CASE WHEN {c} IS NULL THEN NULL ELSE '***' END"

Schema = dict[str, dict[str, str]]  # table -> column -> DuckDB type


@dataclass
class GuardContext:
    """What the rules may consult.

    ``schema`` (table -> column -> type) enables the existence and binder checks; without it
    they are skipped. ``pii_policy`` is what the role may see of ``pii_columns``: ``show``,
    ``mask`` (values rewritten, e.g. ``138****1234``) or ``deny`` (columns removed).
    """

    row_cap: int = 10_000
    schema: Schema | None = None
    role: str = "admin"
    pii_policy: str = "show"
    pii_columns: dict[str, dict[str, str]] = field(default_factory=lambda: dict(BUILTIN_PII))

    @classmethod
    def for_role(
        cls,
        role: str,
        *,
        row_cap: int = 10_000,
        schema: Schema | None = None,
        roles: Mapping[str, Mapping[str, Any]] | None = None,
        pii_columns: dict[str, dict[str, str]] | None = None,
    ) -> GuardContext:
        """The context for `role`, its PII policy taken from the workspace's roles."""
        from shopql.config import DEFAULT_ROLES

        policy = str((roles or DEFAULT_ROLES).get(role, {}).get("pii", "mask"))
        if policy not in PII_POLICIES:
            policy = "mask"
        return cls(
            row_cap=row_cap,
            schema=schema,
            role=role,
            pii_policy=policy,
            pii_columns=pii_columns if pii_columns is not None else dict(BUILTIN_PII),
        )


Rule = Callable[[exp.Expression, GuardContext], exp.Expression]


def _refuse(message: str, hint: str) -> GuardError:
    return GuardError(message, hint)


def select_only(tree: exp.Expression, ctx: GuardContext) -> exp.Expression:
    """The statement is a query, and nothing inside it writes (CTEs and subqueries included)."""
    if not isinstance(tree, QUERY_ROOTS):
        kind = tree.key.upper() if tree.key != "command" else str(tree.this).upper()
        raise _refuse(
            f"only SELECT queries may run here, not {kind}",
            "shopql opens the warehouse read-only; change data with `shopql sync`",
        )
    for node in tree.walk():
        if isinstance(node, WRITE_NODES):
            raise _refuse(
                f"a {node.key.upper()} inside the query is not allowed", "write a plain SELECT"
            )
    return tree


def _function_name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    return node.sql_name().lower()


def no_external_access(tree: exp.Expression, ctx: GuardContext) -> exp.Expression:
    """No function that reads files, URLs, settings or extensions; no file paths as tables."""
    for node in tree.walk():
        if isinstance(node, exp.Func):
            name = _function_name(node)
            if name in FORBIDDEN_FUNCTIONS or node.key in FORBIDDEN_FUNCTIONS:
                raise _refuse(
                    f"function {name}() reads outside the warehouse and is not allowed",
                    "query the warehouse tables (see `shopql catalog list`)",
                )
        if isinstance(node, exp.Table) and isinstance(node.this, exp.Literal):
            raise _refuse(
                f"reading the file {node.this.this!r} is not allowed",
                "load files with `shopql sync`, then query the tables",
            )
        if isinstance(node, exp.Table) and _looks_like_path(node):
            raise _refuse(
                f"reading the file {node.name!r} is not allowed",
                "load files with `shopql sync`, then query the tables",
            )
    return tree


def _looks_like_path(table: exp.Table) -> bool:
    ident = table.this
    if not isinstance(ident, exp.Identifier) or not ident.quoted:
        return False
    name = str(ident.this)
    return any(ch in name for ch in "./\\:") or name.startswith("~")


def _cte_names(tree: exp.Expression) -> set[str]:
    return {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}


def _base_tables(tree: exp.Expression) -> list[exp.Table]:
    """Table references that name a stored table (not a CTE, function or system view)."""
    ctes = _cte_names(tree)
    found = []
    for table in tree.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            continue  # a table function such as range(10)
        if table.db.lower() in SYSTEM_SCHEMAS or (not table.db and table.name.lower() in ctes):
            continue
        found.append(table)
    return found


def suggest(name: str, candidates: list[str] | set[str]) -> str:
    """' — did you mean x?' for the closest candidates, or ''."""
    close = difflib.get_close_matches(name.lower(), sorted(candidates), n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(close)}?" if close else ""


def names_exist(tree: exp.Expression, ctx: GuardContext) -> exp.Expression:
    """Every table and column exists in the warehouse schema (skipped without one)."""
    if ctx.schema is None:
        return tree
    for table in _base_tables(tree):
        if table.name.lower() not in ctx.schema:
            raise _refuse(
                f"no table {table.name!r}{suggest(table.name, set(ctx.schema))}",
                "see the tables with `shopql catalog list`",
            )
    if any(t.db.lower() in SYSTEM_SCHEMAS for t in tree.find_all(exp.Table)):
        return tree  # system views are not in the schema; the binder check covers them
    _qualify_columns(tree, ctx.schema)
    return tree


def _qualify_columns(tree: exp.Expression, schema: Schema) -> None:
    from sqlglot.errors import OptimizeError
    from sqlglot.optimizer.qualify import qualify
    from sqlglot.schema import MappingSchema

    try:
        qualify(
            tree.copy(),
            schema=MappingSchema(schema, dialect="duckdb"),
            dialect="duckdb",
            validate_qualify_columns=True,
            quote_identifiers=False,
        )
    except OptimizeError as e:
        raise _column_error(str(e), tree, schema) from e
    except SqlglotError as e:
        raise _refuse(f"the query does not resolve: {e}", "check table and column names") from e


def _column_error(message: str, tree: exp.Expression, schema: Schema) -> GuardError:
    import re

    match = re.search(r"Column '([^']+)' could not be resolved|Unknown column: (\S+)", message)
    if not match:
        return _refuse(f"the query does not resolve: {message}", "check table and column names")
    column = (match.group(1) or match.group(2)).split(".")[-1]
    tables = [t.name.lower() for t in _base_tables(tree) if t.name.lower() in schema]
    candidates = {c for t in tables for c in schema[t]} or {
        c for cols in schema.values() for c in cols
    }
    where = f" in {', '.join(sorted(set(tables)))}" if tables else ""
    return _refuse(
        f"no column {column!r}{where}{suggest(column, candidates)}",
        "see the columns with `shopql catalog show TABLE`",
    )


def _pii_of(table: exp.Table, ctx: GuardContext) -> dict[str, str]:
    if table.db and table.db.lower() != "main":
        return {}
    columns = ctx.pii_columns.get(table.name.lower(), {})
    if ctx.schema is not None:
        present = ctx.schema.get(table.name.lower(), {})
        columns = {c: kind for c, kind in columns.items() if c in present}
    return columns


def _masking_subquery(table: exp.Table, pii: dict[str, str], policy: str) -> exp.Subquery:
    name = table.name.lower()
    if policy == "deny":
        select = f"SELECT * EXCLUDE ({', '.join(sorted(pii))}) FROM main.{name}"
    else:
        masks = [
            MASKS.get(kind, DEFAULT_MASK).format(c=f"CAST({col} AS VARCHAR)") + f" AS {col}"
            for col, kind in sorted(pii.items())
        ]
        select = f"SELECT * REPLACE ({', '.join(masks)}) FROM main.{name}"
    alias = table.args.get("alias") or exp.TableAlias(this=exp.to_identifier(table.name))
    return exp.Subquery(this=sqlglot.parse_one(select, read="duckdb"), alias=alias.copy())


def pii_policy(tree: exp.Expression, ctx: GuardContext) -> exp.Expression:
    """Mask (or remove) personal-data columns for roles that may not see them, at every depth."""
    if ctx.pii_policy == "show":
        return tree
    shadowed = _cte_names(tree) & set(ctx.pii_columns)
    if shadowed:
        raise _refuse(
            f"a CTE may not be named like the table {sorted(shadowed)[0]!r}",
            "rename the CTE",
        )
    if ctx.pii_policy == "deny":
        _refuse_denied_columns(tree, ctx)
    tables = [(t, _pii_of(t, ctx)) for t in _base_tables(tree)]
    exposed = {c for _, pii in tables for c in pii}
    if not _may_expose(tree, exposed, {n for t, _ in tables for n in (t.name, t.alias_or_name)}):
        return tree
    for table, pii in tables:
        if pii:
            table.replace(_masking_subquery(table, pii, ctx.pii_policy))
    return tree


def _may_expose(tree: exp.Expression, pii: set[str], table_names: set[str]) -> bool:
    """Whether the query could read a PII value: names one, uses `*`, a whole row or COLUMNS()."""
    if not pii:
        return False
    names = pii | {n.lower() for n in table_names}
    for node in tree.walk():
        if isinstance(node, exp.Star) and not isinstance(node.parent, exp.Count):
            return True
        if isinstance(node, exp.Column) and node.name.lower() in names:
            return True
        if isinstance(node, exp.Func) and _function_name(node) in {"columns", "unpack"}:
            return True
    return False


def _refuse_denied_columns(tree: exp.Expression, ctx: GuardContext) -> None:
    denied = {c for t in _base_tables(tree) for c in _pii_of(t, ctx)}
    for column in tree.find_all(exp.Column):
        if column.name.lower() in denied:
            raise _refuse(
                f"column {column.name!r} holds personal data the role {ctx.role!r} may not see",
                "ask an admin, or leave the column out",
            )


def row_cap(tree: exp.Expression, ctx: GuardContext) -> exp.Expression:
    """Add LIMIT row_cap when the query has none; lower a larger literal LIMIT to the cap."""
    if not isinstance(tree, exp.Query):
        return tree
    limit = tree.args.get("limit")
    if limit is None:
        return tree.limit(ctx.row_cap, copy=False)
    value = limit.expression if isinstance(limit, exp.Limit) else None
    if isinstance(value, exp.Literal) and value.is_int and int(value.this) > ctx.row_cap:
        limit.set("expression", exp.Literal.number(ctx.row_cap))
    return tree


_binder_lock = threading.Lock()
_binders: dict[int, Any] = {}


def _binder_connection(schema: Schema, tables: set[str]) -> Any:
    """An in-memory DuckDB holding `tables` of the schema, empty, with external access off
    (only the tables a query names: creating them all would cost more than the check)."""
    import duckdb

    key = hash(tuple((t, tuple(schema[t].items())) for t in sorted(tables)))
    with _binder_lock:
        con = _binders.get(key)
        if con is None:
            if len(_binders) > 64:
                _binders.clear()
            con = duckdb.connect(":memory:", config={"enable_external_access": False})
            for table in sorted(tables):
                cols = ", ".join(f'"{c}" {t}' for c, t in schema[table].items())
                con.execute(f'CREATE TABLE "{table}" ({cols})')
            con.execute("SET lock_configuration = true")
            _binders[key] = con
        return con.cursor()


def binder_check(tree: exp.Expression, ctx: GuardContext) -> exp.Expression:
    """DuckDB binds the SQL (types, functions, names) against the empty schema; nothing runs."""
    if ctx.schema is None:
        return tree
    import duckdb

    named = {t.name.lower() for t in tree.find_all(exp.Table) if t.name}
    cursor = _binder_connection(ctx.schema, named & set(ctx.schema))
    try:
        cursor.execute("EXPLAIN " + tree.sql(dialect="duckdb"))
    except duckdb.Error as e:
        first = str(e).splitlines()[0]
        raise _refuse(
            f"the query does not bind: {first}", "check names, types and functions"
        ) from e
    finally:
        cursor.close()
    return tree


RULES: tuple[Rule, ...] = (
    select_only,
    no_external_access,
    names_exist,
    pii_policy,
    row_cap,
    binder_check,
)


def parse_one_statement(sql: str) -> exp.Expression:
    """Parse `sql` (DuckDB dialect) and insist on exactly one statement."""
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except ParseError as e:
        first = e.errors[0] if e.errors else {}
        where = f" at line {first.get('line')}, column {first.get('col')}" if first else ""
        raise _refuse(
            f"not valid SQL{where}: {first.get('description', str(e)).splitlines()[0]}",
            "check the syntax (DuckDB dialect)",
        ) from e
    except SqlglotError as e:
        raise _refuse(f"not valid SQL: {str(e).splitlines()[0]}", "check the syntax") from e
    if len(statements) != 1:
        raise _refuse(
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


_schema_cache: dict[tuple[str, int, int], Schema] = {}


def warehouse_schema(warehouse: Path) -> Schema:
    """Table -> column -> type of the warehouse's main schema (cached per file version)."""
    import duckdb

    stat = warehouse.stat()
    key = (str(warehouse.resolve()), stat.st_mtime_ns, stat.st_size)
    cached = _schema_cache.get(key)
    if cached is not None:
        return cached
    try:
        con = duckdb.connect(
            str(warehouse), read_only=True, config={"enable_external_access": False}
        )
    except duckdb.Error as e:
        from shopql.errors import WorkspaceError

        raise WorkspaceError(
            f"cannot open {warehouse}: {str(e).splitlines()[0]}",
            "another shopql process may be writing; wait for it to finish and try again",
        ) from e
    try:
        schema = schema_from_connection(con)
    finally:
        con.close()
    _schema_cache[key] = schema
    return schema


def schema_from_connection(con: Any) -> Schema:
    """Table -> column -> type read from a connection's information_schema (main schema)."""
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall()
    schema: Schema = {}
    for table, column, kind in rows:
        schema.setdefault(str(table).lower(), {})[str(column).lower()] = str(kind)
    return schema
