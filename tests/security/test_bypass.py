"""Guard bypasses tried in this review (none got through; kept as regressions): table functions
and files, engine state and settings, the key macro, SQL in strings, catalog functions,
comments, quoted and homoglyph identifiers, sampling, pivots, recursion. Each is refused or
returns only masked values."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopql.errors import ShopqlError
from shopql.warehouse.guard import GuardContext
from shopql.warehouse.policy import guard_context_at
from tests.security.conftest import leaked
from tests.security.test_issue10 import rows_of

ATTEMPTS = [
    "select * from read_csv('/etc/passwd')",
    "select * from '/etc/passwd'",
    "select * from glob('/etc/*')",
    "select * from read_text('warehouse.key')",
    "select * from read_blob('.shopql/guard.key')",
    "select getenv('HOME')",
    "select current_setting('temp_directory')",
    "select * from duckdb_settings()",
    "select * from duckdb_functions() where function_name like '_shopql%'",
    "select macro_definition from duckdb_functions()",
    "select sql from duckdb_views()",
    "select * from duckdb_tables()",
    "select * from information_schema.routines",
    "select view_definition from information_schema.views",
    "select * from pg_catalog.pg_proc",
    "select stats(phone) from customers",
    "select * from pragma_storage_info('customers')",
    "select * from query('select phone from customers')",
    "select * from query_table('customers')",
    "select json_execute_serialized_sql(json_serialize_sql('select phone from customers'))",
    "select _shopql_key('jd:alice')",
    "select current_query()",
    "select * from which_secret('x', 'y')",
    "/* hi */ select phone from customers -- comment",
    "select phone from customers; select 1",
    'select "phone" from "customers"',
    "select PHONE from CUSTOMERS",
    "select * from main.customers",
    "select * from memory.main.customers",
    "select phоne from customers",  # Cyrillic о
    "select phone from сustomers",  # Cyrillic с
    'select "phone " from customers',
    "select * from (from customers) using sample 50",
    "select * from customers tablesample 50 rows",
    "select * from customers pivot (count(*) for phone in ('x'))",
    "with recursive r(x) as (select phone from customers union select x from r) select * from r",
    "select distinct on (phone) phone, email from customers",
    "select * from unnest((select list(email) from customers))",
    "select map_from_entries([(phone, email)]) from customers",
    "select (select string_agg(nick, ',') from customers)",
    "select * from customers c, lateral (select c.phone, c.email) t",
    "select phone from customers qualify row_number() over () < 5",
    "select * from customers at (version => 1)",
    "attach 'x.duckdb' as x",
    "copy customers to 'out.csv'",
    "pragma database_list",
    "set enable_external_access = true",
    "install httpfs",
    "load httpfs",
    "create temp table t as select phone from customers",
    "select 1 from customers where exists (from customers select phone where phone like '1%')",
]


# Session 6 (none got through either): file readers in unused CTEs, scalar subqueries and
# lambdas, readers given lists or computed paths, FROM-first and string paths, engine state
# (databases, secrets, extensions, variables, temporary files), statements that are not
# queries (PREPARE, EXPLAIN, CALL, EXPORT DATABASE, SET VARIABLE, CHECKPOINT), fullwidth
# keywords, comments and odd string literals, whole-row and struct access, COLUMNS lambdas,
# natural/positional/asof joins, UNION BY NAME, the guard's own masking alias.
ATTEMPTS += [
    "with x as (select * from read_csv('/etc/passwd')) select 1",
    "select (select count(*) from read_text('/etc/hostname'))",
    "select list_transform([1], x -> (select content from read_text('/etc/hostname')))",
    "select list_transform([1], lambda x: (select content from read_text('/etc/hostname')))",
    "select * from range(3) t(x), read_text('/etc/hostname')",
    "select * from read_csv(['/etc/passwd'])",
    "select * from read_csv(concat('/etc/', 'passwd'))",
    "select * from sniff_csv('/etc/passwd')",
    "select * from read_json_objects('/etc/passwd')",
    "select * from read_blob('warehouse.duckdb')",
    "from '/etc/passwd' select *",
    'select * from "./x.csv"',
    "select * from customers, '/etc/passwd'",
    "select * from 'https://evil.example/x.csv'",
    "select * from duckdb_databases()",
    "select * from duckdb_secrets()",
    "select * from duckdb_extensions()",
    "select * from duckdb_temporary_files()",
    "select * from duckdb_variables()",
    "select * from duckdb_columns()",
    "select * from pragma_table_info('customers')",
    "select * from pg_catalog.pg_settings",
    "prepare p as select phone from customers",
    "explain analyze select phone from customers",
    "call pragma_version()",
    "export database '/tmp/x'",
    "set variable x = (select phone from customers limit 1)",
    "select getvariable('x')",
    "checkpoint",
    "ｓｅｌｅｃｔ phone from customers",
    "select phone from customers /* ; attach 'x' as y */",
    "select 1 -- \r attach 'x' as y",
    "select $$a$$ || phone from customers",
    "select e'\\x41' || phone from customers",
    "select customers from customers",
    "select struct_extract(c, 'phone') from customers c",
    "select (customers).phone from customers",
    "select columns(lambda c: c like 'ph%') from customers",
    "select * from customers as _shopql_masked_0",
    "select * from customers positional join orders",
    "select * from customers c natural join customers d",
    "select phone from customers union by name select 'x' as phone",
    "with x as materialized (select phone from customers) select * from x",
    'with "CUSTOMERS" as (select 1 as phone) select * from customers',
    "select * from (summarize customers)",
    "select * from (describe customers)",
]


ROLES = ["analyst", "viewer"]


@pytest.fixture(scope="module")
def contexts(attack_ws: Path) -> dict[str, GuardContext]:
    """Each role's guard context on the attack workspace, as run_guarded builds it
    (guard_context_at: its schema, roles and catalog classes), built once for the 194 attempts
    rather than once an attempt."""
    return {r: guard_context_at(attack_ws / "warehouse.duckdb", r, 10_000) for r in ROLES}


@pytest.mark.parametrize("sql", ATTEMPTS)
@pytest.mark.parametrize("role", ROLES)
def test_refused_or_masked(
    attack_ws: Path, secrets: set[str], contexts: dict[str, GuardContext], sql: str, role: str
) -> None:
    try:
        rows = rows_of(attack_ws, sql, role=role, ctx=contexts[role])
    except ShopqlError:
        return  # refused
    assert leaked(rows, secrets) == []
