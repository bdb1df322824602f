"""Every attack of issue 10 (the guard and the query limits), as a regression test on the demo
workspace: personal data through alias lists, positions, SQL in strings and keys; the row cap,
one huge cell, the audit trail, and the LLM's deadline and bad replies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from shopql.config import load_settings
from shopql.errors import GuardError, QueryError, WorkspaceError
from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from shopql.warehouse import audit
from shopql.warehouse.connection import open_reader, open_writer
from shopql.warehouse.query import execute_readonly, run_guarded
from tests.conftest import cli_in_process, warehouse_reader
from tests.security.conftest import leaked


def rows_of(ws: Path, sql: str, role: str = "analyst", **kw: Any) -> list[tuple[Any, ...]]:
    return run_guarded(ws / "warehouse.duckdb", sql, role=role, **kw).rows


# --- 1. alias lists -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "select p, e, n from customers as t(a, b, c, d, k, n, p, e)",
        "select p, e, n from customers as t(a, b, c, d, k, n, p, e) where p like '1%'",
        "select ty, v from identities as t(ty, v, cid)",
    ],
)
def test_alias_lists_read_the_masked_values(attack_ws: Path, secrets: set[str], sql: str) -> None:
    rows = rows_of(attack_ws, sql)
    assert len(rows) > 100 and leaked(rows, secrets) == []
    assert any(isinstance(r[0], str) and "****" in r[0] for r in rows) or "identities" in sql


def test_alias_lists_over_removed_columns_are_refused(attack_ws: Path) -> None:
    with pytest.raises(GuardError, match="alias list on 'customers' is not allowed"):
        rows_of(attack_ws, "select p from customers as t(a, b, c, d, k, n, p)", role="viewer")


# --- 2. positional columns ------------------------------------------------------------------------


def test_positions_resolve_to_masked_columns(attack_ws: Path, secrets: set[str]) -> None:
    result = run_guarded(
        attack_ws / "warehouse.duckdb",
        "select customer_id, #7, #8, #6 from customers",
        role="analyst",
    )
    assert result.columns == ["customer_id", "phone", "email", "name"]
    assert len(result.rows) > 100 and leaked(result.rows, secrets) == []


def test_positions_that_cannot_be_resolved_are_refused(attack_ws: Path) -> None:
    with pytest.raises(GuardError, match="positional column #7 cannot be resolved"):
        rows_of(attack_ws, "select #7 from customers join orders using (customer_id)")
    assert rows_of(attack_ws, "select #1 from shops order by 1", role="admin")  # admin: as typed


class Scripted:
    """A chat model that answers with the queued replies."""

    def __init__(self, *replies: str) -> None:
        self.replies = list(replies)

    def complete(self, messages: list[dict[str, str]]) -> str:
        return self.replies.pop(0)


def test_positions_from_the_llm_are_masked_and_audited(attack_ws: Path, secrets: set[str]) -> None:
    settings = load_settings(attack_ws, overrides={"role": "analyst"})
    reply = "```sql\nselect customer_id, #7, #8, #6 from customers\n```"
    got = answer(Workspace(settings, model=Scripted(reply)), "phones please", engine="llm")
    assert len(got.main.rows) > 100 and leaked(got.main.rows, secrets) == []
    con = warehouse_reader(attack_ws)
    last = con.execute(
        "select role, outcome, rows from _audit where source = 'ask:llm' "
        "order by executed_at desc limit 1"
    ).fetchone()
    con.close()
    assert last == ("analyst", "ok", len(got.main.rows))


# --- 3. SQL inside a string -----------------------------------------------------------------------


def test_sql_in_a_string_is_refused_with_exit_3(attack_ws: Path) -> None:
    sql = "select * from json_execute_serialized_sql(json_serialize_sql('select phone from customers'))"
    done = cli_in_process("--workspace", str(attack_ws), "--role", "analyst", "sql", sql)
    assert done.returncode == 3
    assert "json_execute_serialized_sql() is not allowed: runs SQL" in done.stderr


# --- 4. keys built from personal data; bookkeeping tables -----------------------------------------


def test_account_keys_are_pseudonymised_and_still_join(attack_ws: Path, secrets: set[str]) -> None:
    keys = rows_of(attack_ws, "select customer_id, buyer_key from customers order by 1")
    accounts = rows_of(attack_ws, "select count(*) from customers", role="admin")[0][0]
    assert accounts > 900 and len(keys) == accounts and leaked(keys, secrets) == []
    assert all(":k" in k for k, _ in keys)  # platform prefix kept, the rest a keyed hash
    joined = (
        "select count(*), count(distinct o.customer_id) from orders o "
        "join customers c using (customer_id)"
    )
    assert rows_of(attack_ws, joined) == rows_of(attack_ws, joined, role="admin")
    some = keys[0][0]  # a pseudonym is stable: it can be used in the next query
    assert rows_of(attack_ws, f"select count(*) from orders where customer_id = '{some}'")[0][0] > 0


@pytest.mark.parametrize("table", ["_quarantine", "_audit"])
def test_bookkeeping_tables_are_for_the_admin_only(attack_ws: Path, table: str) -> None:
    for role in ("analyst", "guest", "viewer"):
        with pytest.raises(GuardError, match="for the admin role only"):
            rows_of(attack_ws, f"select * from {table}", role=role)
    assert rows_of(attack_ws, f"select count(*) from {table}", role="admin")[0][0] >= 1


# --- 5. `shopql sql` uses the workspace's roles and the catalog's classes -------------------------


def test_sql_uses_the_workspaces_roles_and_catalog(workspace: Path) -> None:
    con = open_writer(workspace / "warehouse.duckdb")
    con.execute("insert into customers (customer_id, phone) values ('jd:1', '13912345678')")
    con.execute(
        "insert into orders (order_id, customer_id, city) values ('jd:o1', 'jd:1', '杭州市')"
    )
    con.close()
    with (workspace / "shopql.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[roles.auditor]\npii = "deny"\n')
    tables = workspace / "catalog" / "tables.yaml"
    text = tables.read_text(encoding="utf-8")
    city = next(line for line in text.splitlines() if "{name: city," in line and "收货城市" in line)
    tables.write_text(text.replace(city, city[:-1] + ", pii: email}"), encoding="utf-8")

    denied = cli_in_process(
        "--workspace", str(workspace), "--role", "auditor", "sql", "select phone from customers"
    )
    assert (
        denied.returncode == 3 and "personal data the role 'auditor' may not see" in denied.stderr
    )
    masked = cli_in_process(
        "--workspace",
        str(workspace),
        "--role",
        "analyst",
        "sql",
        "select city from orders",
        "--format",
        "csv",
    )
    assert masked.returncode == 0, masked.stderr
    assert masked.stdout.splitlines() == ["city", "杭***@"]


# --- 6. the row cap is on the fetch ---------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "select * from range(50000) limit 0+20000",
        "select * from range(50000) limit (select 20000)",
        "select * from range(50000) limit 50 percent",
    ],
)
def test_the_row_cap_holds_whatever_the_limit_says(attack_ws: Path, sql: str) -> None:
    result = run_guarded(attack_ws / "warehouse.duckdb", sql, role="analyst", row_cap=100)
    assert len(result.rows) == 100 and result.truncated
    assert [r[0] for r in result.rows[:3]] == [0, 1, 2]


# --- 7. one huge cell; the result in bytes --------------------------------------------------------


def test_a_list_of_a_hundred_million_is_refused_before_it_runs(attack_ws: Path) -> None:
    done = cli_in_process("--workspace", str(attack_ws), "sql", "select list(range(100000000))")
    assert done.returncode == 3 and "range() may build at most 1,000,000 elements" in done.stderr


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("select list(i) from range(200000) t(i)", "larger than 1,000,000 bytes"),
        ("select string_agg(title, ',') from order_items, range(30)", "larger than 1,000,000"),
        ("select repeat('x', 100000000)", r"repeat\(\) may build at most 1,000,000"),
        ("select lpad('x', n::int, 'y') from (select 5e8 as n)", r"lpad\(\) may build at most"),
        # types the size check did not name: a VARIANT (new in DuckDB 2.0), a list of texts
        ("select [repeat('x', 900000), repeat('y', 900000)]::variant", "larger than 1,000,000"),
        ("select (repeat('x', 900000) || repeat('y', 900000))::variant", "larger than 1,000,000"),
        ("select [repeat('x', 900000), repeat('y', 900000)]", "larger than 1,000,000"),
    ],
)
def test_huge_cells_stop_with_a_clear_message(attack_ws: Path, sql: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        rows_of(attack_ws, sql, role="admin")


def test_lists_of_texts_and_variants_come_back_masked(attack_ws: Path, secrets: set[str]) -> None:
    # "VARCHAR[]" was once measured as a text (strlen of a list: every list of texts failed)
    rows = rows_of(attack_ws, "select [phone], [[city]], phone::variant from customers limit 3")
    assert len(rows) == 3
    assert all(isinstance(r[0], list) and isinstance(r[1][0], list) for r in rows)
    assert not leaked(rows, secrets)


def test_a_long_error_line_is_clipped(attack_ws: Path) -> None:
    # DuckDB quotes the value it could not convert whole: 900,000 digits on one line
    with pytest.raises(QueryError) as caught:
        rows_of(attack_ws, "select repeat('9', 900000)::varint * repeat('9', 900000)::varint")
    assert len(str(caught.value)) < 1_000 and "characters more" in str(caught.value)


def test_the_result_is_bounded_in_bytes_and_readers_in_memory(attack_ws: Path) -> None:
    con = open_reader(attack_ws / "warehouse.duckdb")
    try:
        with pytest.raises(QueryError, match="the result is larger than"):
            execute_readonly(con, "select * from order_items", 30, 10_000, max_result_bytes=50_000)
        limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    finally:
        con.close()
    assert limit in ("1.8 GiB", "1.9 GiB", "2.0 GiB", "1.8GiB", "1.9GiB", "2.0GiB")


# --- 8. every query that returns rows is audited, or its rows are not returned -------------------


HOLD = (
    "import sys; from pathlib import Path; from shopql.warehouse.connection import open_writer; "
    "con = open_writer(Path(sys.argv[1])); print('holding', flush=True); sys.stdin.read()"
)


def test_a_busy_warehouse_audits_to_the_workspace_file_then_merges(small_ws: Path) -> None:
    warehouse = small_ws / "warehouse.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(warehouse)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(WorkspaceError):  # the warehouse really is busy
            open_writer(warehouse, wait_s=0)
        with pytest.raises(WorkspaceError):  # and so is reading it: nothing can run
            run_guarded(warehouse, "select shop_id from shops", role="analyst")
        # a query that ran just before the writer took the file is recorded all the same
        audit.write(warehouse, "analyst", [("sql", None, "select 42", None, "ok")])
    finally:
        holder.communicate("", timeout=30)
    pending = small_ws / ".shopql" / "audit.jsonl"
    assert pending.read_text(encoding="utf-8").count("\n") == 1
    con = open_writer(warehouse)  # the next writer merges them
    rows = con.execute("select role, sql, outcome from _audit order by executed_at").fetchall()
    con.close()
    assert rows == [("analyst", "select 42", "ok")]
    assert not pending.exists()


def test_no_audit_possible_means_no_rows(small_ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def busy(*args: Any, **kwargs: Any) -> Any:
        raise WorkspaceError("busy")

    def read_only(*args: Any, **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied")

    import shopql.warehouse.connection as connection

    monkeypatch.setattr(connection, "open_writer", busy)
    monkeypatch.setattr(audit, "append_pending", read_only)
    with pytest.raises(audit.AuditError, match="could not be recorded in the audit log"):
        run_guarded(small_ws / "warehouse.duckdb", "select shop_id from shops", role="admin")


def test_audit_records_are_clipped() -> None:
    huge = "select 1 -- " + "x" * 800_000
    (record,) = audit.records("admin", [("ask:llm", "q" * 10_000, huge, None, "refused")])
    assert len(record["sql"]) < audit.MAX_SQL_CHARS + 100
    assert record["sql"].endswith("more characters not kept]")
    assert len(record["question"]) < audit.MAX_QUESTION_CHARS + 100


# --- system views: what exists, never the engine's settings or function sources ----------------


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("select * from pg_catalog.pg_settings", "system view pg_catalog.pg_settings"),
        ("select prosrc from pg_catalog.pg_proc", "system view pg_catalog.pg_proc"),
        ("select * from sqlite_master", "no table 'sqlite_master'"),
        ("select * from main.duckdb_settings", "no table 'duckdb_settings'"),
    ],
)
def test_system_views_beyond_the_catalog_are_refused(
    attack_ws: Path, sql: str, message: str
) -> None:
    for role in ("admin", "analyst"):
        with pytest.raises(GuardError, match=message):
            rows_of(attack_ws, sql, role=role)


def test_information_schema_describes_the_warehouse(attack_ws: Path) -> None:
    sql = "select column_name from information_schema.columns where table_name = 'shops' order by 1"
    assert [r[0] for r in rows_of(attack_ws, sql)] == [
        "city",  # the seller's own place (V_SHOP_PLACE)
        "currency",
        "name",
        "platform",
        "province",
        "shop_id",
        "timezone",
    ]
