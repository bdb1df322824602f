"""The guard context's PII classes come from the workspace's catalog, loaded once per process
while its files stay the same (catalog.store.pii_columns_of): the same classes as a fresh load,
a change to a catalog file seen at once, and each caller's copy its own."""

from __future__ import annotations

from pathlib import Path

from shopql.catalog.store import load_catalog, pii_columns_of
from shopql.config import load_settings
from shopql.warehouse.connection import open_writer
from shopql.warehouse.policy import guard_context, pii_columns
from shopql.warehouse.query import run_guarded


def test_remembered_classes_are_a_fresh_loads_and_follow_the_catalog_files(
    workspace: Path,
) -> None:
    settings = load_settings(workspace)
    fresh = pii_columns(load_catalog(workspace, timezone=settings.timezone))
    assert guard_context(settings).pii_columns == fresh  # first load
    assert guard_context(settings).pii_columns == fresh  # remembered
    assert fresh["customers"]["phone"] == "phone" and "city" not in fresh["orders"]
    mine = pii_columns_of(workspace)
    mine["orders"]["city"] = "email"  # a caller's copy: the next caller's is untouched
    assert "city" not in pii_columns_of(workspace)["orders"]
    # the catalog marks a column personal: the next context has it, without a new process
    tables = workspace / "catalog" / "tables.yaml"
    text = tables.read_text(encoding="utf-8")
    city = next(line for line in text.splitlines() if "{name: city," in line and "收货城市" in line)
    tables.write_text(text.replace(city, city[:-1] + ", pii: email}"), encoding="utf-8")
    assert guard_context(settings).pii_columns["orders"]["city"] == "email"
    assert pii_columns(load_catalog(workspace))["orders"]["city"] == "email"
    con = open_writer(workspace / "warehouse.duckdb")
    con.execute(
        "insert into orders (order_id, customer_id, city) values ('jd:o1', 'jd:1', '杭州市')"
    )
    con.close()
    rows = run_guarded(workspace / "warehouse.duckdb", "select city from orders", role="analyst")
    assert rows.rows == [("杭***@",)]
    # and the change undone: the city is public again (the first key, remembered, still right)
    tables.write_text(text, encoding="utf-8")
    rows = run_guarded(workspace / "warehouse.duckdb", "select city from orders", role="analyst")
    assert rows.rows == [("杭州市",)]


def test_a_broken_catalog_keeps_the_builtin_classes(workspace: Path) -> None:
    """A catalog that does not load gives the built-in classes (not a remembered older one)."""
    settings = load_settings(workspace)
    assert guard_context(settings).pii_columns["customers"]["phone"] == "phone"
    (workspace / "catalog" / "metrics.yaml").write_text("metrics: [oops", encoding="utf-8")
    ctx = guard_context(settings)
    assert ctx.pii_columns == pii_columns(None)
    con = open_writer(workspace / "warehouse.duckdb")
    con.execute("insert into customers (customer_id, phone) values ('jd:1', '13912345678')")
    con.close()
    rows = run_guarded(
        workspace / "warehouse.duckdb", "select phone from customers", role="analyst"
    )
    assert rows.rows == [("139****5678",)]
