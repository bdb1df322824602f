"""Sync at scale (issue 14): the write paths agree, the staged text is kept only where read, and
the writer's memory is bounded with spilling inside the workspace."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from shopql.bench.sync_bench import EVENTS_FILE, generate, generate_events
from shopql.config import load_settings
from shopql.errors import ConfigError
from shopql.sync import sqlgen
from shopql.sync.engine import run_sync
from shopql.sync.registry import builtin_sources
from shopql.warehouse.connection import duckdb_memory, open_writer
from shopql.warehouse.workspace import init_workspace


def _kind(source: str, kind: str):  # type: ignore[no-untyped-def]
    return next(k for s in builtin_sources() if s.name == source for k in s.kinds if k.kind == kind)


def _totals(warehouse: Path) -> tuple:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            """SELECT (SELECT count(*) FROM order_items), (SELECT sum(paid_amount) FROM order_items),
                      (SELECT count(*) FROM orders), (SELECT sum(goods_amount) FROM orders),
                      (SELECT sum(shipping_fee) FROM orders), (SELECT count(*) FROM products),
                      (SELECT list(reason ORDER BY line) FROM _quarantine)"""
        ).fetchone()  # type: ignore[return-value]
    finally:
        con.close()


def test_first_load_and_reload_write_the_same_rows(tmp_path: Path) -> None:
    """Into empty tables each target is one INSERT; a forced reload of the same file goes through
    replace-by-order and MERGE. Both leave the same warehouse, and the bad row is quarantined."""
    export = tmp_path / "olist_order_items_dataset.csv"
    generate(export, 3000)
    with open(export, "a", encoding="utf-8") as f:
        f.write('"abc","1","p","s","2017-01-01 00:00:00","twelve","1.00"\n')
    workspace = tmp_path / "ws"
    init_workspace(workspace)
    settings = load_settings(workspace)

    first = run_sync(settings, [export]).files[0]
    assert (first.rows_read, first.rows_loaded, first.rows_quarantined) == (3001, 3000, 1)
    assert first.tables == {"order_items": 3000, "orders": 1000, "products": 3000}
    before = _totals(settings.warehouse_path)
    assert before[:6] == (
        3000,
        before[1],
        1000,
        before[1],  # goods_amount sums the lines' prices
        before[4],
        3000,
    )
    assert before[6] == ["not an amount in column price: twelve"]

    again = run_sync(settings, [export], force=True).files[0]
    assert again.tables == first.tables and again.rows_quarantined == 1
    after = _totals(settings.warehouse_path)
    assert after[:6] == before[:6]
    assert after[6] == before[6] * 2  # quarantine keeps each load's rejects
    assert isinstance(after[1], Decimal) and after[1] > 0


def test_staged_text_is_kept_only_where_a_target_reads_it() -> None:
    assert sqlgen.raw_fields_used(_kind("olist", "order_items")) == set()
    assert "status" in sqlgen.raw_fields_used(_kind("olist", "orders"))
    assert "unit_price" in sqlgen.raw_fields_used(_kind("retail", "invoice_lines"))


def test_typed_values_are_kept_only_where_a_target_reads_them() -> None:
    used = sqlgen.typed_fields_used(_kind("olist", "order_items"))
    assert {"order_id", "order_item_id", "product_id", "seller_id", "price"} <= used
    assert "shipping_limit_date" not in used  # typed and checked, but nothing writes it
    # a field name that is no plain identifier (a mapping file's) is always kept
    kind = _kind("olist", "order_items")
    odd = [
        replace(f, name="shipping date") if f.name == "shipping_limit_date" else f
        for f in kind.fields
    ]
    assert "shipping date" in sqlgen.typed_fields_used(replace(kind, fields=tuple(odd)))


def test_a_key_is_tested_for_null_only_when_a_loadable_row_can_leave_it_null() -> None:
    kind = _kind("olist", "order_items")
    items = next(t for t in kind.targets if t.table == "order_items")
    columns = {"order_id", "line_no", "product_id", "shop_id", "quantity", "unit_price"}
    required = frozenset(f.name for f in kind.fields if f.required)
    assert "order_id" in required
    proven, _ = sqlgen.target_source(items, 1, columns | {"paid_amount"}, required=required)
    unproven, _ = sqlgen.target_source(items, 1, columns | {"paid_amount"})
    assert '"order_id" IS NOT NULL' not in proven
    assert '"order_id" IS NOT NULL' in unproven
    never_null = sqlgen._never_null
    assert never_null("'olist:' || order_id", frozenset({"order_id"}))
    assert never_null("'it''s' || a || b", frozenset({"a", "b"}))
    assert not never_null("'olist:' || seller_id", frozenset({"order_id"}))
    assert not never_null("lower(order_id)", frozenset({"order_id"}))
    assert not never_null("coalesce(order_id, x)", frozenset({"order_id", "x"}))
    assert not never_null("'x' || NULL", frozenset({"order_id"}))


def test_a_row_failing_several_checks_is_quarantined_with_every_reason(tmp_path: Path) -> None:
    export = tmp_path / "olist_order_items_dataset.csv"
    generate(export, 10)
    with open(export, "a", encoding="utf-8") as f:
        f.write('"abc","x","p","s","2017-01-01 00:00:00","twelve","1.00"\n')
        f.write('"","1","p","s","soon","1.00",""\n')
    workspace = tmp_path / "ws"
    init_workspace(workspace)
    settings = load_settings(workspace)
    result = run_sync(settings, [export]).files[0]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (12, 10, 2)
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        rows = con.execute("SELECT line, reason FROM _quarantine ORDER BY line").fetchall()
    finally:
        con.close()
    assert rows == [
        (
            12,
            "not a whole number in column order_item_id: x; not an amount in column price: twelve",
        ),
        (
            13,
            "missing order_id in column order_id; not a date/time in column shipping_limit_date: soon",
        ),
    ]


def test_writer_memory_is_bounded_and_spills_inside_the_workspace(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    init_workspace(workspace)
    con = open_writer(workspace / "warehouse.duckdb", memory_limit="512MB")
    try:
        limit, spill = con.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone()  # type: ignore[misc]
    finally:
        con.close()
    # DuckDB gets the 512 MB less 200 MB for the process around it: 312 MB, as DuckDB prints it
    assert limit == "297.5 MiB"
    assert Path(spill) == workspace / ".shopql" / "tmp" and Path(spill).is_dir()


def test_duckdb_gets_a_share_of_the_memory_limit() -> None:
    # 80 %, leaving at least 200 MB to the process, never under half; DuckDB's own forms pass on
    assert duckdb_memory("3GB") == "2400MB"
    assert duckdb_memory("8GB") == "6400MB"
    assert duckdb_memory("600MB") == "400MB"
    assert duckdb_memory("250MB") == "125MB"
    assert duckdb_memory("2GiB") == "1717MB"
    assert duckdb_memory("lots") == "lots"


def test_memory_limit_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = tmp_path / "ws"
    init_workspace(workspace)
    assert load_settings(workspace).memory_limit == "3GB"
    text = (workspace / "shopql.toml").read_text(encoding="utf-8")
    (workspace / "shopql.toml").write_text('memory_limit = "lots"\n' + text, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_settings(workspace)
    assert "shopql.toml:1: memory_limit = 'lots' must be an amount of memory" in e.value.message
    (workspace / "shopql.toml").write_text('memory_limit = "6GB"\n' + text, encoding="utf-8")
    assert load_settings(workspace).memory_limit == "6GB"
    monkeypatch.setenv("SHOPQL_MEMORY_LIMIT", "1GB")
    settings = load_settings(workspace)
    assert settings.memory_limit == "1GB"
    assert settings.sources["memory_limit"] == "env SHOPQL_MEMORY_LIMIT"


def _lines(tmp_path: Path, name: str) -> list[tuple[int, str]]:
    """Sync an order-lines file with bad rows at known lines; (line, reason) quarantined."""
    export = tmp_path / name / "olist_order_items_dataset.csv"
    export.parent.mkdir()
    generate(export, 2000)
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[9] = lines[9].replace(lines[9].split(",")[5], '"ten"', 1)  # line 10
    lines.insert(1500, '"short","1"\n')  # line 1501: a parser reject
    lines[1799] = lines[1799].replace(lines[1799].split(",")[5], '"x"', 1)  # line 1800
    export.write_text("".join(lines), encoding="utf-8")
    workspace = tmp_path / name / "ws"
    init_workspace(workspace)
    settings = load_settings(workspace)
    run_sync(settings, [export])
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        return con.execute("SELECT line, reason FROM _quarantine ORDER BY line").fetchall()
    finally:
        con.close()


def test_rows_are_numbered_alike_on_both_staging_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The built-in checks plan as read + projections (rows numbered by position, all threads);
    when a plan would not keep file order, rows are numbered while reading: same lines."""
    from shopql.sync import loader

    seen: list[bool] = []
    keeps = loader._keeps_order
    monkeypatch.setattr(
        loader, "_keeps_order", lambda con, sql: seen.append(keeps(con, sql)) or seen[-1]
    )
    fast = _lines(tmp_path, "fast")
    assert seen == [True]
    monkeypatch.setattr(loader, "_keeps_order", lambda con, sql: False)
    assert _lines(tmp_path, "numbered") == fast
    assert [(line, reason) for line, reason in fast if not reason.startswith("another")] == [
        (10, "not an amount in column price: ten"),
        (1501, "row is cut short: fewer fields than the header (truncated file?)"),
        (1800, "not an amount in column price: x"),
    ]
    # the other rows of those orders, kept out with them (the order whole or not at all)
    assert [line for line, reason in fast if reason.startswith("another")] == [8, 9, 1801, 1802]


def test_the_bench_behaviour_log_syncs_as_taobao_userbehavior(tmp_path: Path) -> None:
    """The scaling figures' behaviour log (bench/sync_bench.py --events) is a file sync takes as
    Taobao UserBehavior, every line an event: users, mix and days as generated."""
    export = tmp_path / EVENTS_FILE
    generate_events(export, 5000)
    workspace = tmp_path / "ws"
    init_workspace(workspace)
    result = run_sync(load_settings(workspace), [export]).files[0]
    assert (result.source, result.rows_read, result.rows_loaded) == (
        "taobao_userbehavior",
        5000,
        5000,
    )
    con = duckdb.connect(str(workspace / "warehouse.duckdb"), read_only=True)
    try:
        users, kinds, first, last = con.execute(
            """SELECT count(DISTINCT user_key), list(DISTINCT event_type ORDER BY event_type),
                      min(event_time)::DATE, max(event_time)::DATE FROM events"""
        ).fetchone()  # type: ignore[misc]
        views = con.execute("SELECT count(*) FROM events WHERE event_type = 'view'").fetchone()
    finally:
        con.close()
    assert users == 50  # one user per 100 events
    assert kinds == ["buy", "cart", "fav", "view"]
    assert 0.85 < views[0] / 5000 < 0.93  # type: ignore[index]
    assert (str(first), str(last)) == ("2017-11-25", "2017-12-03")  # nine days, shop time


def test_a_key_repeated_in_one_file_keeps_its_latest_row(tmp_path: Path) -> None:
    """The same user, item, behaviour and second is one event: of three such lines the last
    one's category is kept; every other line is its own event."""
    export = tmp_path / EVENTS_FILE
    export.write_text(
        "1,100,7,pv,1511600000\n1,100,8,pv,1511600000\n2,200,9,buy,1511600100\n"
        "1,100,9,pv,1511600000\n3,300,5,cart,1511600200\n1,100,9,fav,1511600000\n",
        encoding="utf-8",
    )
    workspace = tmp_path / "ws"
    init_workspace(workspace)
    result = run_sync(load_settings(workspace), [export]).files[0]
    assert (result.rows_loaded, result.tables) == (6, {"events": 4})
    con = duckdb.connect(str(workspace / "warehouse.duckdb"), read_only=True)
    try:
        rows = con.execute(
            "SELECT user_key, event_type, category FROM events ORDER BY 1, 2"
        ).fetchall()
    finally:
        con.close()
    assert rows == [
        ("userbehavior:1", "fav", "9"),
        ("userbehavior:1", "view", "9"),
        ("userbehavior:2", "buy", "9"),
        ("userbehavior:3", "cart", "5"),
    ]


def test_sync_profile_charges_every_phase(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `sync_bench --profile`: one sync timed phase by phase; the writes of each table, the staged
    # read and the checkpoint are named, and the sync itself loaded every row
    from shopql.bench.sync_bench import profile_shopql
    from shopql.sync import engine, loader

    path = tmp_path / "olist_order_items_dataset.csv"
    generate(path, 3_000)
    writer, sha = engine.open_writer, loader.file_sha256
    profile_shopql(path, tmp_path)
    assert (engine.open_writer, loader.file_sha256) == (writer, sha)  # the timers are removed
    out = capsys.readouterr().out
    assert "(3,000 rows)" in out
    for phase in ("typed read + cell checks", "write order_items", "write orders",
                  "write products", "close (checkpoint)", "file sha256"):  # fmt: skip
        assert phase in out, phase
    con = duckdb.connect(str(tmp_path / "ws" / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM order_items").fetchone() == (3_000,)
        assert con.execute("SELECT count(*) FROM orders").fetchone() == (1_000,)
    finally:
        con.close()


def test_a_sync_with_nobody_to_tag_leaves_the_query_stack_unloaded(tmp_path: Path) -> None:
    # Person tags import the guard and sqlglot (0.1 CPU s a sync): a file of order lines alone
    # names no buyer, so its sync loads every row without them; a file with buyers tags them.
    import subprocess
    import sys

    lines = tmp_path / "olist_order_items_dataset.csv"
    generate(lines, 300)
    code = """if True:
        import sys
        from pathlib import Path
        from shopql.config import load_settings
        from shopql.sync.engine import run_sync
        from shopql.warehouse.workspace import init_workspace
        ws, export = Path(sys.argv[1]), Path(sys.argv[2])
        init_workspace(ws)
        result = run_sync(load_settings(ws), [export]).files[0]
        print(result.rows_loaded, result.tables.get("orders"), "sqlglot" in sys.modules)"""
    run = [sys.executable, "-c", code]
    done = subprocess.run([*run, str(tmp_path / "a"), str(lines)], capture_output=True, text=True)
    assert done.stdout.split() == ["300", "100", "False"], done.stderr[-2000:]
    orders = tmp_path / "olist_orders_dataset.csv"
    orders.write_text(
        "order_id,customer_id,order_status,order_purchase_timestamp\n"
        "o1,c1,delivered,2018-01-02 10:00:00\no2,c2,delivered,2018-01-03 10:00:00\n"
        "o3,c1,delivered,2018-02-02 10:00:00\n",
        encoding="utf-8",
    )
    done = subprocess.run([*run, str(tmp_path / "b"), str(orders)], capture_output=True, text=True)
    assert done.stdout.split() == ["3", "3", "True"], done.stderr[-2000:]


def test_the_bench_floors_write_the_rows_shopql_writes(tmp_path: Path) -> None:
    """`sync_bench`'s floor and narrow floor measure the writes of the rows a sync writes: same
    order lines, orders and products as `shopql sync` of the file, column for column."""
    from shopql.bench.sync_bench import NARROW_TABLES, run_floor

    export = tmp_path / "olist_order_items_dataset.csv"
    generate(export, 3000)
    workspace = tmp_path / "ws"
    init_workspace(workspace)
    settings = load_settings(workspace)
    assert run_sync(settings, [export]).files[0].rows_loaded == 3000
    floors = {}
    for narrow in (False, True):
        work = tmp_path / f"narrow{narrow}"
        init_workspace(work / "floor")
        assert run_floor(export, work, narrow=narrow) == 3000
        floors[narrow] = work / "floor" / "warehouse.duckdb"

    def rows(warehouse: Path, table: str, columns: str) -> list[tuple]:
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            return con.execute(f"SELECT {columns} FROM {table} ORDER BY ALL").fetchall()
        finally:
            con.close()

    for table, spec in NARROW_TABLES.items():
        columns = ", ".join(part.split()[0] for part in spec.split(", "))
        synced = rows(settings.warehouse_path, table, columns)
        assert len(synced) == {"order_items": 3000, "orders": 1000, "products": 3000}[table]
        assert rows(floors[False], table, columns) == synced
        assert rows(floors[True], f"narrow_{table}", columns) == synced
