"""The SQL guard: every query from any path (sql, ask, metric, board) passes these rules.

Like sqlglot's optimizer, the guard is an ordered tuple of small rules over the AST; each raises
GuardError on the first problem it finds or returns the (possibly rewritten) expression:

1. ``select_only``: a query, and nothing inside it writes (CTEs and subqueries included);
2. ``no_external_access``: no file path as a table, and every function the query calls is on the
   reviewed allow-list (``warehouse.functions``), read from DuckDB's own parse of the SQL — so
   nothing reaches files, the network, settings, or runs SQL given as a string;
3. ``bounded_sizes``: functions whose output size is an argument (``repeat``, ``lpad``,
   ``range`` as a value …) are bounded, so one cell cannot grow past what a query may return;
4. ``resolve_positions``: positional columns (``#7``) are resolved to names, or refused where
   they cannot be; column alias lists over personal data are refused where the policy removes
   columns (they would silently shift);
5. ``admin_tables``: ``_audit`` and ``_quarantine`` (other users' queries, raw source lines)
   are for the admin role only;
6. ``names_exist``: every table and column exists (sqlglot ``qualify`` against the warehouse
   schema), with "did you mean" suggestions;
7. ``pii_policy``: for a role that may not see personal data, EVERY reference to a table holding
   it is replaced by a masking subquery, whatever the query names — so ``*``, positions, alias
   lists, subqueries, CTEs and whole-row values all see the masked values;
8. ``row_cap``: a LIMIT when there is none (or a larger one); the real cap is on the fetch
   (``warehouse.query.execute_readonly`` reads at most cap + 1 rows whatever the SQL says);
9. ``final_check``: DuckDB parses the SQL that will run and the guard checks its own work there:
   every function allowed, every personal-data table read only through a masking subquery;
10. ``binder_check``: DuckDB binds the final SQL against an empty in-memory copy of the schema
    (or, when the caller passes the read-only connection the schema was read from and the query
    names only that schema's tables plainly, against that connection: the same binding, without
    opening a second database in the process).

The time, memory and cell-size limits are applied at execution (``warehouse.query``).
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import secrets
import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError

from shopql.errors import GuardError
from shopql.warehouse.duckdb_ast import called_functions, duckdb_parse, nodes
from shopql.warehouse.functions import AMPLIFIERS, LIST_GENERATORS, denied_reason

# The largest list or string a size argument may ask for (one cell stays well under the
# execution's cell-size limit).
MAX_GENERATED = 1_000_000
MAX_SQL_CHARS = 100_000  # longer text is refused before parsing (a runaway model reply)
# The keyed pseudonym macro each reader connection defines (``warehouse.connection``).
KEY_MACRO = "_shopql_key"
# Bookkeeping tables only the admin role may read: other users' queries, raw source lines.
ADMIN_ONLY_TABLES = frozenset({"_audit", "_quarantine"})
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
# The system views a query may read: what tables and columns exist, nothing of the engine's
# settings or functions (pg_catalog.pg_settings, duckdb_* views, sqlite_master are refused).
SYSTEM_VIEWS = frozenset({"tables", "columns", "schemata", "table_constraints", "key_column_usage"})

# Personal-data columns when no catalog says otherwise: table -> column -> PII class. `key` marks
# account keys built from nicks or e-mails (``jd:tb158880144``, Shopify's e-mail buyer key): they
# are pseudonymised with a keyed hash, the same in every table, so joins and counts still work.
BUILTIN_PII: dict[str, dict[str, str]] = {
    "customers": {
        "customer_id": "key",
        "buyer_key": "key",
        "phone": "phone",
        "email": "email",
        "name": "name",
        "nick": "name",
        "openid": "openid",
        "one_id": "person",
    },
    "orders": {
        "customer_id": "key",
        "district": "address",
        "raw_district": "address",
        "district_code": "address",
        "one_id": "person",
    },
    "events": {"customer_id": "key", "user_key": "key"},
    "identities": {"identifier_value": "identifier", "customer_id": "key"},
    "one_ids": {"customer_id": "key", "one_id": "person"},
    "_identity_links": {"identifier_value": "identifier", "customer_id": "key"},
    "_one_id_merges": {"retired_one_id": "person", "one_id": "person"},
    "person_tags": {"one_id": "person"},
    "person_rule_tags": {"one_id": "person"},
    "person_lines": {"one_id": "person"},
    "segment_members": {"one_id": "person"},
}
# `person`: a person key (``one_id`` and every column copied from it). It holds a OneID
# (P00000001) — or, where the account has none yet (before OneID is built, an order whose account
# never reached customers), the account key itself: ``coalesce(customers.one_id, customer_id)``.
# A column derived from a personal-data column carries the class of what it may hold, so a
# role that may not see account keys sees a OneID as it is (it names no one) and an account key
# as its keyed pseudonym (the same as ``customer_id`` shows), under `mask` and `deny` alike:
# people are still counted and joined, no raw key is read.
PERSON = "person"
ONE_ID_PATTERN = "^P[0-9]{8,}$"  # what OneID writes: 'P' || lpad(n, 8, '0')
PII_POLICIES = ("show", "mask", "deny")

# Masking expressions per PII class; `{c}` is the column cast to text.
MASKS: dict[str, str] = {
    "phone": "CASE WHEN {c} IS NULL THEN NULL WHEN length({c}) >= 7 "
    "THEN left({c}, 3) || '****' || right({c}, 4) ELSE '****' END",
    "email": "CASE WHEN {c} IS NULL THEN NULL "
    "ELSE left({c}, 1) || '***@' || split_part({c}, '@', 2) END",
    "name": "CASE WHEN {c} IS NULL THEN NULL ELSE left({c}, 1) || '**' END",
    "key": KEY_MACRO + "({c})",
    PERSON: "CASE WHEN {c} IS NULL THEN NULL WHEN regexp_matches({c}, '"
    + ONE_ID_PATTERN.replace("{", "{{").replace("}", "}}")
    + "') THEN {c} ELSE "
    + KEY_MACRO
    + "({c}) END",
}
DEFAULT_MASK = "CASE WHEN {c} IS NULL THEN NULL ELSE '***' END"

Schema = dict[str, dict[str, str]]  # table -> column -> DuckDB type


@dataclass
class GuardContext:
    """What the rules may consult.

    ``schema`` (table -> column -> type) enables the existence and binder checks; without it
    they are skipped. ``pii_policy`` is what the role may see of ``pii_columns``: ``show``,
    ``mask`` (values rewritten, e.g. ``138****1234``) or ``deny`` (columns removed).
    A context made without a role is closed by default: the role of an OS user the workspace
    does not name (analyst: masked personal data, no admin-only tables), never admin.
    """

    row_cap: int = 10_000
    schema: Schema | None = None
    role: str = "analyst"  # config.UNKNOWN_USER_ROLE (not imported: the guard loads first)
    pii_policy: str = "mask"
    pii_columns: dict[str, dict[str, str]] = field(default_factory=lambda: dict(BUILTIN_PII))
    nonce: str = ""  # set per guarded query: marks the masking subqueries the guard wrote
    # The read-only, locked-down reader `schema` was read from (nlq.session.Workspace passes it):
    # DuckDB's parse and the binder run on it instead of an in-memory database of their own.
    connection: Any = field(default=None, repr=False, compare=False)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

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


def key_macro_sql(secret: str, temporary: bool = True) -> str:
    """The temporary macro that pseudonymises account keys with a keyed hash (the platform
    prefix kept): defined on each reader connection, its secret never in a query's text."""
    quoted = secret.replace("'", "''")
    return (
        f"CREATE OR REPLACE {'TEMP ' if temporary else ''}MACRO {KEY_MACRO}(v) AS CASE WHEN v IS NULL THEN NULL "
        "ELSE CASE WHEN strpos(v, ':') > 0 THEN split_part(v, ':', 1) || ':' ELSE '' END "
        f"|| 'k' || left(sha256('{quoted}' || v), 16) END"
    )


def _refuse(message: str, hint: str) -> GuardError:
    return GuardError(message, hint)


def select_only(tree: exp.Expression, ctx: GuardContext) -> exp.Expression:
    """The statement is a query, and nothing inside it writes (CTEs and subqueries included)."""
    nodes = _nodes(tree)  # one walk for both checks, in the order they were made
    if any(isinstance(p, exp.Pivot) and p.this is not None for p in nodes):
        raise _refuse(
            "PIVOT and UNPIVOT statements cannot be checked by the guard",
            "write SELECT … FROM t PIVOT (…), or conditional aggregates such as "
            "count(*) FILTER (WHERE platform = 'jd')",
        )
    if not isinstance(tree, QUERY_ROOTS):
        kind = tree.key.upper() if tree.key != "command" else str(tree.this).upper()
        raise _refuse(
            f"only SELECT queries may run here, not {kind}",
            "shopql opens the warehouse read-only; change data with `shopql sync`",
        )
    for node in nodes:
        if isinstance(node, WRITE_NODES):
            raise _refuse(
                f"a {node.key.upper()} inside the query is not allowed", "write a plain SELECT"
            )
    return tree


def _function_name(node: exp.Func) -> str:
    """The function's name as DuckDB spells it (sqlglot renames some: RANGE, REPEAT …)."""
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    head = _default_head(node)
    if head is None:
        rendered = node.sql(dialect="duckdb")
        head = rendered.split("(", 1)[0].strip()
    return head.lower() if head.replace("_", "").isalnum() else node.sql_name().lower()


_generator: list[Any] = []


def _default_head(node: exp.Func) -> str | None:
    """The name sqlglot's DuckDB generator writes for a function it renders the default way
    (no handler of its own for the class, no comment): what rendering the call would start
    with, without rendering its arguments. None: render it (tested equal on the guard's
    corpus, tests/warehouse/test_guard.py)."""
    if not _generator:
        from sqlglot.dialects.duckdb import DuckDB

        _generator.append(DuckDB().generator())
    generator = _generator[0]
    dispatch = getattr(generator, "_dispatch", None)
    if not isinstance(dispatch, dict) or type(node) in dispatch or node.comments:
        return None
    return str(generator.normalize_func(generator.function_name(node)))


def no_external_access(tree: exp.Expression, ctx: GuardContext) -> exp.Expression:
    """No file paths as tables; every function called is on the reviewed allow-list."""
    for node in _found(tree, exp.Table):
        if isinstance(node.this, exp.Literal):
            raise _refuse(
                f"reading the file {node.this.this!r} is not allowed",
                "load files with `shopql sync`, then query the tables",
            )
        if _looks_like_path(node):
            raise _refuse(
                f"reading the file {node.name!r} is not allowed",
                "load files with `shopql sync`, then query the tables",
            )
    # the query as written (while no rule has rewritten it), else the tree's text
    text = tree.meta.get(_SOURCE) or sql_text(tree)
    parsed = duckdb_parse(text, ctx.connection)
    _check_functions(parsed, allow=frozenset())
    tree.meta[_SOURCE_CALLS] = {name for name, _ in called_functions(parsed)}
    return tree


def _check_functions(parsed: dict[str, Any], allow: frozenset[str]) -> None:
    for name, table in called_functions(parsed):
        reason = None if name in allow else denied_reason(name, table)
        if reason:
            raise _refuse(
                f"function {name}() is not allowed: {reason}",
                "query the warehouse tables with ordinary SQL functions "
                "(see `shopql catalog list`)",
            )


def bounded_sizes(tree: exp.Expression, ctx: GuardContext) -> exp.Expression:
    """Size arguments of list and string builders are bounded; `range()` as a value only with
    literal bounds (the table form, FROM range(…), is streamed and capped at the fetch).

    Naming every call the way DuckDB will costs a rendering per call, so when DuckDB's parse
    of the query as given calls none of these functions the calls are not named here; the
    guard then checks DuckDB's parse of the SQL that will run (``final_check``) and, should
    one appear there after all, runs every rule again naming each call (``_SizedCall``)."""
    called = tree.meta.get(_SOURCE_CALLS)
    if called is not None and not tree.meta.get(_NAME_EVERY_CALL) and not called & SIZED:
        tree.meta[_SIZES_UNNAMED] = True
        return _unchanged(tree)
    changed = False
    for node in _found(tree, exp.Func):
        name = _function_name(node)
        if name in SIZED and isinstance(node.parent, exp.Dot) and node.parent.expression is node:
            # DuckDB's method syntax, 'x'.repeat(n): the value is not among the call's
            # arguments here, so the size would not be where it is looked for — refused
            raise _refuse(
                f"{name}() called as a method cannot be checked by the guard",
                f"write it as a function call, {name}(value, …)",
            )
        if name in LIST_GENERATORS and not isinstance(node.parent, exp.Table):
            _check_generated_count(node, name)
        elif name in AMPLIFIERS:
            args = _call_args(node)
            position = AMPLIFIERS[name]
            if position < len(args):
                args[position].replace(_bounded(args[position].copy(), name))
                changed = True
    return tree if changed else _unchanged(tree)


def _call_args(node: exp.Func) -> list[exp.Expression]:
    args = [v for v in node.args.values() if isinstance(v, exp.Expression)]
    listed = node.args.get("expressions")
    return node.expressions if isinstance(node, exp.Anonymous) else args + list(listed or [])


def _bounded(size: exp.Expression, name: str) -> exp.Expression:
    """`size`, or DuckDB's error() when it is too large (the message depends on the value so
    the optimizer cannot fold the error into the query)."""
    message = f"{name}() may build at most {MAX_GENERATED:,} elements or characters"
    text = sqlglot.parse_one(
        f"concat('{message}', left(CAST(({size.sql(dialect='duckdb')}) AS VARCHAR), 0))",
        read="duckdb",
    )
    return exp.Case(
        ifs=[
            exp.If(
                this=exp.GT(this=size.copy(), expression=exp.Literal.number(MAX_GENERATED)),
                true=exp.Anonymous(this="error", expressions=[text]),
            )
        ],
        default=size,
    )


def _check_generated_count(node: exp.Func, name: str) -> None:
    bounds = [a for a in (node.args.get("start"), node.args.get("end"), node.args.get("step"))]
    if isinstance(node, exp.Anonymous):
        bounds = list(node.expressions)
    numbers = []
    for bound in bounds:
        if bound is None:
            continue
        value = bound.this if isinstance(bound, exp.Neg) else bound
        if not (isinstance(value, exp.Literal) and not value.is_string):
            raise _refuse(
                f"{name}() as a value takes literal numbers only",
                f"use it as a table, FROM {name}(…), or a literal range",
            )
        numbers.append(-float(value.this) if isinstance(bound, exp.Neg) else float(value.this))
    start, stop, step = (0.0, numbers[0], 1.0) if len(numbers) == 1 else (*numbers[:2], 1.0)
    if len(numbers) == 3:
        step = numbers[2] or 1.0
    if abs((stop - start) / step) > MAX_GENERATED:
        raise _refuse(
            f"{name}() may build at most {MAX_GENERATED:,} elements",
            f"use it as a table, FROM {name}(…), which is streamed and capped",
        )


def _looks_like_path(table: exp.Table) -> bool:
    ident = table.this
    if not isinstance(ident, exp.Identifier) or not ident.quoted:
        return False
    name = str(ident.this)
    return any(ch in name for ch in "./\\:") or name.startswith("~")


def _cte_names(tree: exp.Expression) -> set[str]:
    return {cte.alias_or_name.lower() for cte in _found(tree, exp.CTE)}


def _base_tables(tree: exp.Expression) -> list[exp.Table]:
    """Table references that name a stored table (not a CTE, function or system view)."""
    ctes = _cte_names(tree)
    found = []
    for table in _found(tree, exp.Table):
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
    if any(t.db.lower() in SYSTEM_SCHEMAS for t in _found(tree, exp.Table)):
        return tree  # system views are not in the schema; the binder check covers them
    if tree.meta.get(_BINDS):  # DuckDB's binder checks every column below; when it refuses,
        tree.meta[_COLUMNS_UNCHECKED] = True  # the columns are named then (binder_check)
        return tree
    _qualify_columns(tree, ctx.schema)
    return tree


def _qualify_columns(tree: exp.Expression, schema: Schema) -> None:
    from sqlglot.errors import OptimizeError
    from sqlglot.optimizer.qualify import qualify
    from sqlglot.schema import MappingSchema

    try:
        qualify(
            tree.copy(),
            schema=_mapping_schema(schema, MappingSchema),
            dialect="duckdb",
            validate_qualify_columns=True,
            quote_identifiers=False,
        )
    except OptimizeError as e:
        raise _column_error(str(e), tree, schema) from e
    except SqlglotError as e:
        raise _refuse(f"the query does not resolve: {e}", "check table and column names") from e


_mapping_schemas: dict[int, tuple[Schema, Any]] = {}


def _mapping_schema(schema: Schema, factory: Any) -> Any:
    """sqlglot's MappingSchema of `schema`, built once per schema object (normalising every
    table and column costs more than qualifying a query). qualify only reads it."""
    known = _mapping_schemas.get(id(schema))
    if known is None or known[0] is not schema:
        if len(_mapping_schemas) > 16:
            _mapping_schemas.clear()
        known = (schema, factory(schema, dialect="duckdb"))
        _mapping_schemas[id(schema)] = known
    return known[1]


def _column_error(message: str, tree: exp.Expression, schema: Schema) -> GuardError:
    import re

    match = re.search(r"Column '([^']+)' could not be resolved|Unknown column: (\S+)", message)
    if not match:
        return _refuse(f"the query does not resolve: {message}", "check table and column names")
    column = (match.group(1) or match.group(2)).split(".")[-1]
    sharing = _sharing_sources(tree, column, schema)
    if sharing:  # two tables of one FROM have the column: which one is meant is not said
        named = ", ".join(f"{alias} ({table})" for alias, table in sharing)
        return _refuse(
            f"column {column!r} is ambiguous: more than one table of the same FROM has it: {named}",
            f"write which one you mean, e.g. {sharing[0][0]}.{column}",
        )
    tables = sorted({t.name.lower() for t in _base_tables(tree) if t.name.lower() in schema})
    holders = [t for t in (tables or sorted(schema)) if column.lower() in schema[t]]
    owners = [t for t in sorted(schema) if column.lower() in schema[t]]
    wrong = _wrong_qualifier(tree, column, schema)
    if wrong and owners:  # o.phone where o is orders: the column is another table's
        alias, table = wrong
        named = table if alias.lower() == table else f"{alias} ({table})"
        return _refuse(
            f"{named} has no column {column!r}: it is a column of {', '.join(owners)}",
            f"read it from {owners[0]} (join it, or use a subquery over it)",
        )
    if holders:  # the column exists, but not in the FROM of the SELECT that names it
        return _refuse(
            f"column {column!r} is not in the FROM of the SELECT that uses it "
            f"(it is a column of {', '.join(holders)})",
            f"add {holders[0]} to that SELECT's FROM, or use the column inside the subquery "
            "that reads it",
        )
    candidates = {c for t in tables for c in schema[t]} or {
        c for cols in schema.values() for c in cols
    }
    where = f" in {', '.join(tables)}" if tables else ""
    hint = f" ({column} is a column of {', '.join(owners)})" if owners else ""
    return _refuse(
        f"no column {column!r}{where}{hint or suggest(column, candidates)}",
        "see the columns with `shopql catalog show TABLE`",
    )


def _sharing_sources(tree: exp.Expression, column: str, schema: Schema) -> list[tuple[str, str]]:
    """(alias, table) of the stored tables of one SELECT's FROM and joins that all have
    `column`, when that SELECT names the column without a table: the column is ambiguous."""
    name = column.lower()
    for select in _found(tree, exp.Select):
        clauses = [select.args.get("from_"), *(select.args.get("joins") or [])]
        tables = [c.this for c in clauses if c is not None and isinstance(c.this, exp.Table)]
        holders = [
            (t.alias_or_name, t.name.lower())
            for t in tables
            if isinstance(t.this, exp.Identifier) and name in schema.get(t.name.lower(), {})
        ]
        bare = any(
            c.name.lower() == name and not c.table and c.find_ancestor(exp.Select) is select
            for c in _found(select, exp.Column)
        )
        if len(holders) > 1 and bare:
            return holders
    return []


def _wrong_qualifier(tree: exp.Expression, column: str, schema: Schema) -> tuple[str, str] | None:
    """(alias, table) when the query writes ``alias.column`` and alias is a stored table
    without that column."""
    name = column.lower()
    aliases = {t.alias_or_name.lower(): t.name.lower() for t in _base_tables(tree)}
    for col in _found(tree, exp.Column):
        table = aliases.get(col.table.lower()) if col.table else None
        if col.name.lower() == name and table in schema and name not in schema[table]:
            return col.table, table
    return None


def _pii_of(table: exp.Table, ctx: GuardContext) -> dict[str, str]:
    """The PII columns of a stored table, by name whatever its qualifier (``warehouse.main.x``
    and ``main.x`` are the same table)."""
    if table.db.lower() in SYSTEM_SCHEMAS:
        return {}
    columns = ctx.pii_columns.get(table.name.lower(), {})
    if ctx.schema is not None:
        present = ctx.schema.get(table.name.lower(), {})
        columns = {c: kind for c, kind in columns.items() if c in present}
    return columns


def resolve_positions(tree: exp.Expression, ctx: GuardContext) -> exp.Expression:
    """`#n` becomes the column's name where its FROM is one stored table; for a role that may
    not see personal data, positions that cannot be resolved are refused, and so are column
    alias lists over removed (denied) columns."""
    positions = _found(tree, exp.PositionalColumn)
    for position in positions:
        named = _column_at(position, ctx)
        if named is not None:
            position.replace(named)
            _changed(tree)
        elif ctx.pii_policy != "show":
            raise _refuse(
                f"the positional column #{position.this} cannot be resolved here",
                "name the column instead (positions are resolved over a single table only)",
            )
    if ctx.pii_policy == "deny":
        for table in _base_tables(tree):
            alias = table.args.get("alias")
            if alias is not None and alias.columns and _removed(_pii_of(table, ctx)):
                raise _refuse(
                    f"a column alias list on {table.name!r} is not allowed for the role "
                    f"{ctx.role!r}: its personal-data columns are removed, so names would shift",
                    "alias the columns in the select list instead",
                )
    return tree if positions else _unchanged(tree)


def _column_at(position: exp.PositionalColumn, ctx: GuardContext) -> exp.Column | None:
    select = position.find_ancestor(exp.Select)
    if select is None or ctx.schema is None or select.args.get("joins"):
        return None
    source = select.args.get("from_") or select.args.get("from")
    table = source.this if source is not None else None
    if not isinstance(table, exp.Table) or table.name.lower() not in ctx.schema:
        return None
    if table not in _base_tables(select):
        return None
    columns = list(ctx.schema[table.name.lower()])
    alias = table.args.get("alias")
    renamed = [c.name for c in alias.columns] if alias is not None and alias.columns else []
    names = renamed + columns[len(renamed) :]
    index = int(position.this.this) if isinstance(position.this, exp.Literal) else 0
    if not 1 <= index <= len(names):
        raise _refuse(
            f"#{index} is out of range: {table.name} has {len(names)} columns",
            "name the column instead",
        )
    return exp.column(names[index - 1], table=table.alias_or_name)


def admin_tables(tree: exp.Expression, ctx: GuardContext) -> exp.Expression:
    """`_audit` and `_quarantine` are readable by the admin role only."""
    if ctx.is_admin:
        return tree
    for table in _base_tables(tree):
        if table.name.lower() in ADMIN_ONLY_TABLES and table.db.lower() not in SYSTEM_SCHEMAS:
            raise _refuse(
                f"the table {table.name!r} is for the admin role only (it holds other "
                "users' queries or raw source lines)",
                "ask an admin",
            )
    return tree


def _masking_subquery(
    table: exp.Table, pii: dict[str, str], policy: str, nonce: str
) -> exp.Subquery:
    name = table.name.lower()
    source = f"main.{name} AS {_masked_alias(_NONCE_SLOT)}"
    removed = _removed(pii) if policy == "deny" else {}
    masks = [
        MASKS.get(kind, DEFAULT_MASK).format(c=f"CAST({col} AS VARCHAR)") + f" AS {col}"
        for col, kind in sorted(pii.items())
        if col not in removed
    ]
    exclude = f" EXCLUDE ({', '.join(sorted(removed))})" if removed else ""
    replace = f" REPLACE ({', '.join(masks)})" if masks else ""
    select = f"SELECT *{exclude}{replace} FROM {source}"
    alias = table.args.get("alias") or exp.TableAlias(this=exp.to_identifier(table.name))
    return exp.Subquery(this=_with_nonce(_parsed_masking(select), nonce), alias=alias.copy())


# The masking SELECT is written with this in place of the query's nonce, parsed once per text
# (the text is the cache's key: another table, class, mask or policy is another text), and each
# query gets a copy with its own nonce: what parsing the SQL with the nonce in it would give.
_NONCE_SLOT = "0" * 12


@functools.lru_cache(maxsize=256)
def _parsed_masking(select: str) -> exp.Expression:
    return sqlglot.parse_one(select, read="duckdb")


def _with_nonce(template: exp.Expression, nonce: str) -> exp.Expression:
    select = template.copy()
    slot, own = _masked_alias(_NONCE_SLOT), _masked_alias(nonce)
    found = [i for i in select.find_all(exp.Identifier) if i.this == slot]
    if len(found) != 1:  # the FROM's alias is the one place it is written
        raise GuardError("the masking view could not be written", "report this query")
    found[0].set("this", own)
    return select


def _removed(pii: dict[str, str]) -> dict[str, str]:
    """The columns `deny` removes: every personal-data column but the person keys (masked)."""
    return {col: kind for col, kind in pii.items() if kind != PERSON}


def _masked_alias(nonce: str) -> str:
    return f"_shopql_masked_{nonce}"


def pii_policy(tree: exp.Expression, ctx: GuardContext) -> exp.Expression:
    """For a role that may not see personal data, every reference to a table holding it is
    replaced by its masking subquery — whatever the query names (no "may expose" shortcut)."""
    if ctx.pii_policy == "show":
        return _unchanged(tree)
    shadowed = _cte_names(tree) & set(ctx.pii_columns)
    if shadowed:
        raise _refuse(
            f"a CTE may not be named like the table {sorted(shadowed)[0]!r}",
            "rename the CTE",
        )
    if ctx.pii_policy == "deny":
        _refuse_denied_columns(tree, ctx)
    changed = False
    for table in _base_tables(tree):
        pii = _pii_of(table, ctx)
        if pii:
            table.replace(_masking_subquery(table, pii, ctx.pii_policy, ctx.nonce))
            changed = True
    return tree if changed else _unchanged(tree)


def _refuse_denied_columns(tree: exp.Expression, ctx: GuardContext) -> None:
    denied = {c for t in _base_tables(tree) for c in _removed(_pii_of(t, ctx))}
    for column in _found(tree, exp.Column):
        if column.name.lower() in denied:
            raise _refuse(
                f"column {column.name!r} holds personal data the role {ctx.role!r} may not see",
                "ask an admin, or leave the column out",
            )


def shows_personal_data(sql: str, ctx: GuardContext) -> bool:
    """Whether the rows of `sql` may carry personal data as stored: the role sees it unmasked
    (``show``) and the query names a personal-data column of a table it reads, or reads rows
    whole (``*`` but in ``count(*)``, ``COLUMNS(…)``, a table or alias used as a value).
    Conservative: a personal column used only in a filter counts too. A ``*`` over derived
    tables and CTEs only (``SELECT * FROM (SELECT category, …) AS ranking``) shows the columns
    those select, each checked where it is written. `sql` is guarded SQL: no CTE is named like
    a stored table there (the guard refuses it), so a CTE reference is never a table's rows."""
    if ctx.pii_policy != "show":
        return False
    tree = parse_one_statement(sql)
    ctes = _cte_names(tree)
    if ctes & (set(ctx.pii_columns) | set(ctx.schema or {})):
        return True  # a CTE named like a table (never in guarded SQL): its rows may be the table's
    tables = _base_tables(tree)
    personal = {c for table in tables for c in _pii_of(table, ctx)}
    if not personal:
        return False
    whole = {t.name.lower() for t in tables} | {t.alias_or_name.lower() for t in tables}
    for node in tree.walk():
        if isinstance(node, exp.Star) and not isinstance(node.parent, exp.Count):
            if _star_over_derived_only(node, ctes):
                continue
            return True
        if isinstance(node, exp.PositionalColumn):  # `#n` over several tables: may be any column
            return True
        if isinstance(node, exp.Column) and node.name.lower() in personal | whole | {"*"}:
            return True
        if isinstance(node, exp.Func) and "columns" in (node.sql_name().lower(), node.name.lower()):
            return True
    return False


def _star_over_derived_only(star: exp.Star, ctes: set[str]) -> bool:
    """Whether the SELECT of `star` reads derived tables and CTE references only (no stored
    table, table function, VALUES, UNNEST, PIVOT or LATERAL): its `*` then shows no more than
    the columns those select."""
    select = star.find_ancestor(exp.Select)
    if select is None or select.args.get("laterals"):
        return False
    from_ = select.args.get("from_")
    sources = ([from_.this] if from_ is not None else []) + [
        j.this for j in select.args.get("joins") or []
    ]
    if not sources:
        return False
    for source in sources:
        if source.args.get("pivots"):
            return False
        if (
            isinstance(source, exp.Subquery)
            and isinstance(source.this, (exp.Select, exp.SetOperation))
            and not source.args.get("joins")  # "((SELECT …) q CROSS JOIN customers)": a table
        ):
            continue
        if (
            isinstance(source, exp.Table)
            and isinstance(source.this, exp.Identifier)
            and not source.db
            and source.name.lower() in ctes
        ):
            continue
        return False
    return True


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
    return _unchanged(tree)


def keep_column_names(tree: exp.Expression, ctx: GuardContext) -> exp.Expression:
    """A result column keeps the name the query as written gives it. DuckDB names an unaliased
    expression by its text, so a select-list expression the guard will rewrite — one reading a
    table masked for the role (a scalar subquery), or bounding a size (repeat()) — would be
    headed by the rewrite (the whole masking SELECT, a CASE … error()), at any depth a `*` reads
    it through: such an expression, in every select list, is aliased with its text as written,
    before the rewrite."""
    calls = tree.meta.get(_SOURCE_CALLS)  # DuckDB's parse of the input: any size-taking call?
    sized = calls is None or bool(calls & frozenset(AMPLIFIERS))
    if not sized and ctx.pii_policy == "show":
        return _unchanged(tree)
    changed = False
    for select in _found(tree, exp.Select):
        for projection in select.expressions:
            if isinstance(projection, exp.Alias | exp.Column | exp.Star) or projection.alias:
                continue
            if not _rewritten_later(projection, ctx, sized):
                continue
            text = projection.sql(dialect="duckdb", normalize_functions="lower")
            projection.replace(exp.alias_(projection.copy(), text, quoted=True))
            changed = True
    return tree if changed else _unchanged(tree)


def _rewritten_later(projection: exp.Expression, ctx: GuardContext, sized: bool) -> bool:
    """The expression reads a table masked for the role (pii_policy replaces it) or calls a
    size-taking function (bounded_sizes wraps its size; `sized`: the query calls one)."""
    for node in projection.walk():
        if sized and isinstance(node, exp.Func) and _function_name(node) in AMPLIFIERS:
            return True
        if (
            ctx.pii_policy != "show"
            and isinstance(node, exp.Table)
            and isinstance(node.this, exp.Identifier)
            and _pii_of(node, ctx)
        ):
            return True
    return False


def final_check(tree: exp.Expression, ctx: GuardContext) -> exp.Expression:
    """The guard checks its own work on DuckDB's parse of the SQL that will run: every function
    is allowed, and every table holding personal data is read only through the masking
    subquery the guard wrote (whatever sqlglot may have missed)."""
    parsed = duckdb_parse(sql_text(tree), ctx.connection)
    tree.meta[_PARSED] = parsed
    if tree.meta.get(_SIZES_UNNAMED) and any(n in SIZED for n, _ in called_functions(parsed)):
        raise _SizedCall  # bounded_sizes did not name the calls: run every rule naming them
    _check_functions(parsed, allow=frozenset({KEY_MACRO}))
    _check_tables(parsed, ctx)
    if ctx.pii_policy == "show":
        return tree
    masked, checked = _masked_alias(ctx.nonce), set()
    for node in nodes(parsed):
        source = (node.get("from_table") or {}) if node.get("type") == "SELECT_NODE" else {}
        if source.get("type") == "BASE_TABLE" and source.get("alias") == masked:
            _check_masking_select(node, source, ctx)
            checked.add(id(source))
    for node in nodes(parsed):
        if node.get("type") == "BASE_TABLE" and _pii_table(node, ctx) and id(node) not in checked:
            raise _refuse(
                f"the table {node.get('table_name')!r} is read around its masking view",
                "name the table plainly in FROM or JOIN",
            )
    return tree


def _check_tables(parsed: dict[str, Any], ctx: GuardContext) -> None:
    """Every table read is a CTE, a warehouse table, or an allowed information_schema view."""
    ctes = _parsed_ctes(parsed)
    for node in nodes(parsed):
        if node.get("type") != "BASE_TABLE":
            continue
        name = str(node.get("table_name", "")).lower()
        schema = str(node.get("schema_name") or "").lower()
        if schema in SYSTEM_SCHEMAS:
            if schema != "information_schema" or name not in SYSTEM_VIEWS:
                raise _refuse(
                    f"the system view {schema}.{name} is not allowed",
                    "information_schema.tables and information_schema.columns describe the "
                    "warehouse",
                )
            continue
        known = ctx.schema is None or name in ctx.schema
        if not known and not (name in ctes and not schema):
            raise _refuse(
                f"no table {name!r}{suggest(name, set(ctx.schema or {}))}",
                "see the tables with `shopql catalog list`",
            )


def _parsed_ctes(parsed: Any) -> set[str]:
    """The CTE names in DuckDB's parse tree."""
    return {
        str(entry.get("key", "")).lower()
        for node in nodes(parsed)
        for entry in ((node.get("cte_map") or {}).get("map") or [])
        if isinstance(entry, dict)
    }


def _pii_table(node: dict[str, Any], ctx: GuardContext) -> bool:
    schema = str(node.get("schema_name") or "").lower()
    if schema in SYSTEM_SCHEMAS:
        return False
    table = exp.Table(this=exp.to_identifier(str(node.get("table_name", ""))))
    return bool(_pii_of(table, ctx))


def _check_masking_select(node: dict[str, Any], source: dict[str, Any], ctx: GuardContext) -> None:
    table = exp.Table(this=exp.to_identifier(str(source.get("table_name", ""))))
    pii = set(_pii_of(table, ctx))
    items = node.get("select_list") or []
    star = items[0] if len(items) == 1 and items[0].get("class") == "STAR" else {}
    covered = {e["key"] for e in star.get("replace_list") or []} | set(
        star.get("exclude_list") or []
    )
    plain = not any(node.get(k) for k in ("where_clause", "group_expressions", "having"))
    if not pii <= covered or not plain or node.get("modifiers"):
        raise _refuse(
            f"the table {source.get('table_name')!r} is not masked as it should be",
            "report this query: the guard refused it to be safe",
        )


_binder_lock = threading.Lock()
_binders: dict[int, tuple[Schema, Any, set[str]]] = {}  # id(schema) -> (it, connection, tables)
_shared_parser: list[int] = []  # the schema key whose binder is the parser's connection


def _binder_connection(schema: Schema, tables: set[str]) -> Any:
    """An in-memory DuckDB holding the schema's tables, empty, with external access off: one
    per schema, the tables a query names created on first use (creating them all would cost
    more than a check). The first schema's is the parser's connection (duckdb_ast): opening a
    database costs more than binding a query."""
    import duckdb

    from shopql.warehouse.duckdb_ast import parser_connection

    with _binder_lock:
        known = _binders.get(id(schema))
        if known is None or known[0] is not schema:
            if len(_binders) > 64:
                _binders.clear()
            if not _shared_parser:
                con = parser_connection()  # configuration locked already
                _shared_parser.append(id(schema))
            else:
                con = duckdb.connect(":memory:", config={"enable_external_access": False})
                con.execute("SET lock_configuration = true")
            con.execute(key_macro_sql("binder-only", temporary=False))
            known = (schema, con, set())
            _binders[id(schema)] = known
        _, con, created = known
        for table in sorted(tables - created):
            cols = ", ".join(f'"{c}" {t}' for c, t in schema[table].items())
            con.execute(f'CREATE TABLE "{table}" ({cols})')
            created.add(table)
        return con.cursor()


def binder_check(tree: exp.Expression, ctx: GuardContext) -> exp.Expression:
    """DuckDB binds the SQL (types, functions, names) against the empty schema; nothing runs."""
    if ctx.schema is None:
        return tree
    import duckdb

    named = {t.name.lower() for t in _found(tree, exp.Table) if t.name}
    if ctx.connection is not None and _plain_tables(tree.meta.get(_PARSED), named):
        cursor = ctx.connection  # itself: its temporary key macro is not seen by a cursor
    else:
        cursor = _binder_connection(ctx.schema, named & set(ctx.schema))
    try:  # DESCRIBE binds the whole statement (names, types, functions) without planning it
        text = sql_text(tree)
        rows = cursor.execute("DESCRIBE " + text).fetchall()
        if cursor is ctx.connection:  # the reader the query will run on: what it returns
            _last_described.entry = (weakref.ref(cursor), text, rows)
    except duckdb.Error as e:
        if tree.meta.get(_COLUMNS_UNCHECKED) and tree.meta.get(_INPUT):
            # names_exist left the columns to the binder: say which one is unknown, by name
            _qualify_columns(parse_one_statement(str(tree.meta[_INPUT])), ctx.schema)
        first = str(e).splitlines()[0]
        raise _refuse(
            f"the query does not bind: {first}", "check names, types and functions"
        ) from e
    finally:
        if cursor is not ctx.connection:
            cursor.close()
    return tree


# The binder's DESCRIBE of the last query the guard passed on its reader, in this thread: the
# columns and types it returns, which the query's run (warehouse.query) reads first, on the same
# connection, for the same text (DuckDB's binding of one text on one connection is the same).
_last_described = threading.local()


def described(con: Any, sql: str) -> list[tuple[Any, ...]] | None:
    """The rows of `DESCRIBE sql` on `con` when binder_check has just bound `sql` there, in this
    thread (taken once), else None."""
    entry = getattr(_last_described, "entry", None)
    _last_described.entry = None
    if entry is None:
        return None
    ref, text, rows = entry
    return rows if ref() is con and text == sql else None


def _plain_tables(parsed: Any, named: set[str]) -> bool:
    """Every table in DuckDB's parse is named plainly (no catalog, schema `main` at most) and is
    one the empty copy would hold (sqlglot saw it) or a CTE: then binding on the warehouse's own
    reader gives what binding on the copy gives. Anything else binds on the copy, as always."""
    if not parsed:
        return False
    ctes = _parsed_ctes(parsed)
    for node in nodes(parsed):
        if node.get("type") != "BASE_TABLE":
            continue
        if node.get("catalog_name") or str(node.get("schema_name") or "").lower() not in (
            "",
            "main",
        ):
            return False
        if str(node.get("table_name", "")).lower() not in named | ctes:
            return False
    return True


RULES: tuple[Rule, ...] = (
    select_only,
    no_external_access,
    keep_column_names,
    bounded_sizes,
    resolve_positions,
    admin_tables,
    names_exist,
    pii_policy,
    row_cap,
    final_check,
    binder_check,
)


# Rules that never change the tree: the SQL text generated for one rule is reused by the next
# (final_check's text is the one the binder checks and the one that runs).
READ_ONLY_RULES = frozenset(
    {select_only, no_external_access, admin_tables, names_exist, final_check, binder_check}
)
_TEXT = "shopql_guard_sql"
_SOURCE = "shopql_guard_source"  # the SQL as given, while no rule has rewritten the tree
_INPUT = "shopql_guard_input"  # the SQL as given (kept through rewrites)
_BINDS = "shopql_guard_binds"  # binder_check runs after names_exist
_COLUMNS_UNCHECKED = "shopql_guard_columns_unchecked"
_PARSED = "shopql_guard_parsed"  # DuckDB's parse of the final SQL (final_check), for the binder
_NODES = "shopql_guard_nodes"  # the tree's nodes, walked once while no rule rewrites the tree
_UNCHANGED = "shopql_guard_unchanged"  # a rewriting rule that rewrote nothing says so
_SOURCE_CALLS = "shopql_guard_source_calls"  # the functions DuckDB's parse of the input calls
_SIZES_UNNAMED = "shopql_guard_sizes_unnamed"  # bounded_sizes found no such call in that parse
_NAME_EVERY_CALL = "shopql_guard_name_every_call"  # bounded_sizes names each call (second run)
SIZED = LIST_GENERATORS | frozenset(AMPLIFIERS)  # the functions bounded_sizes looks at


class _SizedCall(Exception):
    """The SQL that will run calls a size-taking function bounded_sizes did not name."""


class _NodeList(list[exp.Expression]):
    """The nodes of one tree (kept in its meta): a copy of the tree walks its own."""

    def __deepcopy__(self, memo: dict[int, Any]) -> None:
        return None


def _nodes(tree: exp.Expression) -> list[exp.Expression]:
    """Every node of `tree` in ``walk()`` order; walked once per guarded tree while no rule
    rewrites it (a subtree, or a tree outside guard_sql, is walked each time)."""
    if tree.meta.get(_NODES, False) is False:
        return list(tree.walk())
    found = tree.meta.get(_NODES)
    if found is None:
        found = tree.meta[_NODES] = _NodeList(tree.walk())
    return found


def _found(tree: exp.Expression, kind: type[exp.Expression]) -> list[exp.Expression]:
    """``list(tree.find_all(kind))``, from the one walk of the tree."""
    return [node for node in _nodes(tree) if isinstance(node, kind)]


def _changed(tree: exp.Expression) -> None:
    """A rule rewrote `tree`: its walk is stale."""
    if tree.meta.get(_NODES, False) is not False:
        tree.meta[_NODES] = None


def _unchanged(tree: exp.Expression) -> exp.Expression:
    """What a rewriting rule returns when it rewrote nothing (the walk is still the tree's)."""
    tree.meta[_UNCHANGED] = True
    return tree


def sql_text(tree: exp.Expression) -> str:
    """`tree` as DuckDB SQL, generated once while no rewriting rule runs (kept in tree.meta)."""
    text = tree.meta.get(_TEXT)
    if text is None:
        text = tree.sql(dialect="duckdb")
        tree.meta[_TEXT] = text
    return str(text)


def parse_one_statement(sql: str) -> exp.Expression:
    """Parse `sql` (DuckDB dialect) and insist on exactly one statement."""
    if len(sql) > MAX_SQL_CHARS:
        raise _refuse(
            f"the query is {len(sql):,} characters long; at most {MAX_SQL_CHARS:,} are checked",
            "write a shorter query",
        )
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
    if not statements:
        raise _refuse("the query is empty", "give one SELECT, e.g. select count(*) from orders")
    if len(statements) != 1:
        raise _refuse(
            f"exactly one statement may run, got {len(statements)}",
            "remove the extra statements (no `;`-separated batches)",
        )
    return statements[0]


def guard_sql(sql: str, ctx: GuardContext | None = None, rules: tuple[Rule, ...] = RULES) -> str:
    """Check and rewrite `sql`; return the SQL that may run, or raise GuardError."""
    ctx = dataclasses.replace(ctx or GuardContext(), nonce=secrets.token_hex(6))
    try:
        return _guard(sql, ctx, rules, name_every_call=False)
    except _SizedCall:
        return _guard(sql, ctx, rules, name_every_call=True)


def _guard(sql: str, ctx: GuardContext, rules: tuple[Rule, ...], name_every_call: bool) -> str:
    try:
        tree = parse_one_statement(sql)
        tree.meta[_SOURCE] = tree.meta[_INPUT] = sql
        tree.meta[_NODES] = None  # walked on first use, again after each rewrite
        # naming no call is safe only where final_check, later, looks for one in what will run
        order = list(rules)
        tree.meta[_NAME_EVERY_CALL] = name_every_call or not (
            bounded_sizes in order
            and final_check in order
            and order.index(final_check) > order.index(bounded_sizes)
        )
        # sqlglot's column resolution (a copy of the tree qualified) costs more than DuckDB's
        # binding: when the binder runs, unknown columns are named only if it refuses
        tree.meta[_BINDS] = (
            names_exist in order
            and binder_check in order
            and order.index(binder_check) > order.index(names_exist)
        )
        for rule in rules:
            tree = rule(tree, ctx)
            unchanged = tree.meta.pop(_UNCHANGED, False)
            if rule not in READ_ONLY_RULES:  # it may have rewritten the tree in place
                tree.meta.pop(_TEXT, None)
                tree.meta.pop(_SOURCE, None)
                if not unchanged:
                    _changed(tree)
        return sql_text(tree)
    except RecursionError as e:
        raise _refuse(
            "the query is nested too deeply to check",
            "write it with fewer nested expressions (a CTE per step)",
        ) from e
    except (GuardError, _SizedCall):
        raise
    except Exception as e:  # the guard fails closed: what it cannot check does not run
        raise _refuse(
            f"the guard could not check this query ({type(e).__name__})",
            "simplify the query; ordinary SELECTs over the warehouse tables are checked",
        ) from e


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
    from shopql.warehouse.schema import SCHEMA_VERSION, schema_version

    try:
        behind = schema_version(con) != SCHEMA_VERSION
        schema = {} if behind else schema_from_connection(con)
    finally:
        con.close()
    if behind:  # a warehouse an older release wrote: check against the schema it is about to get
        from shopql.warehouse.connection import upgrade

        upgrade(warehouse)
        return warehouse_schema(warehouse)
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
