"""`shopql catalog …` on the hand-built workspace: refresh keeps user edits, JSON shapes, languages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from tests.catalog.conftest import build_shop_workspace
from tests.conftest import ROOT, cli_in_process


def cli(ws: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = cli_in_process("--workspace", str(ws), *args)
    assert done.returncode == 0, done.stderr
    return done


def test_refresh_keeps_user_edits_and_adds_introspection(tmp_path: Path) -> None:
    ws = build_shop_workspace(tmp_path / "ws")
    tables = ws / "catalog" / "tables.yaml"
    edited = tables.read_text(encoding="utf-8").replace(
        "zh: 订单，每笔订单一行；金额为订单币种。", "zh: 我们的订单（已改）。"
    )
    tables.write_text(edited, encoding="utf-8")
    cli(ws, "catalog", "refresh")
    assert tables.read_text(encoding="utf-8") == edited
    data = yaml.safe_load((ws / "catalog" / "_introspected.yaml").read_text(encoding="utf-8"))
    assert data["row_counts"]["orders"] == 7
    assert data["types"]["orders"]["paid_amount"] == "DECIMAL(18,2)"
    assert sorted(data["values"]["orders"]["status"]) == [
        "completed",
        "paid",
        "pending",
        "refunded",
    ]
    assert "nick" not in data["values"].get("customers", {})  # PII values are never stored
    doc = json.loads(
        cli(ws, "catalog", "show", "orders", "--format", "json", "--lang", "zh").stdout
    )
    assert doc["row_count"] == 7
    assert doc["description"]["zh"] == "我们的订单（已改）。"
    status = next(c for c in doc["columns"] if c["name"] == "status")
    assert status["type"] == "VARCHAR" and "refunded" in status["values"]
    district = next(c for c in doc["columns"] if c["name"] == "district")
    assert district["pii"] == "address"
    # init again (seeding the default pack) never overwrites the user's file either
    from shopql.warehouse.workspace import init_workspace

    init_workspace(ws)
    assert tables.read_text(encoding="utf-8") == edited


def test_list_metrics_and_show(shop_workspace: Path) -> None:
    listed = json.loads(
        cli(shop_workspace, "catalog", "list", "--format", "json", "--lang", "zh").stdout
    )
    assert listed["columns"] == ["table", "rows", "columns", "description"]
    orders = next(r for r in listed["rows"] if r[0] == "orders")
    assert orders[3].startswith("订单")
    assert orders[1] == 7  # live counts, no refresh needed
    shown = json.loads(
        cli(shop_workspace, "catalog", "show", "customers", "--format", "json").stdout
    )
    values = {c["name"]: c["values"] for c in shown["columns"]}
    assert sorted(values["member_level"]) == ["gold", "silver"]  # read now, no refresh needed
    assert values["phone"] == [] and values["nick"] == []
    metrics = json.loads(cli(shop_workspace, "catalog", "metrics", "--format", "json").stdout)[
        "metrics"
    ]
    names = {m["name"] for m in metrics}
    assert {"paid_gmv", "aov", "repurchase_rate", "conversion_rate", "days_of_cover"} <= names
    for m in metrics:
        assert m["sql"].startswith(("SELECT", "WITH")), m
        assert m["labels"].get("en") and m["labels"].get("zh"), m["name"]
        assert m["description"] and m["definition"]
    aov = next(m for m in metrics if m["name"] == "aov")
    assert aov["definition"] == "paid_gmv / paid_orders"
    shown = cli(shop_workspace, "catalog", "show", "repurchase_rate", "--lang", "zh").stdout
    assert "复购率" in shown and "repeat_buyers / buyers" in shown
    table = cli(shop_workspace, "catalog", "metrics", "--lang", "zh").stdout
    assert "客单价" in table


def test_show_unknown_name_suggests(shop_workspace: Path) -> None:
    done = cli_in_process("--workspace", str(shop_workspace), "catalog", "show", "order")
    assert done.returncode == 2  # a usage error
    assert "did you mean" in done.stderr and "orders (table, metric)" in done.stderr


def test_metric_table_and_previous_period(shop_workspace: Path) -> None:
    done = cli(
        shop_workspace,
        "metric",
        "paid_gmv",
        "--since",
        "2025-02-01",
        "--until",
        "2025-02-28",
        "--compare",
        "previous_period",
        "--format",
        "json",
    )
    doc = json.loads(done.stdout)
    assert doc["columns"] == ["paid_gmv", "paid_gmv__previous", "paid_gmv__change"]
    assert doc["rows"] == [[55.8, 399.99, round((55.80 - 399.99) / 399.99, 4)]]
    assert doc["previous_range"]["start"] == "2025-01-01T00:00:00"
    table = cli(
        shop_workspace, "metric", "paid_gmv", "units", "--by", "category", "--since", "2025-01-01"
    )
    assert "255.49" in table.stdout and "170.3" in table.stdout
    assert "line amounts" in table.stderr
    top = cli(
        shop_workspace,
        "metric",
        "orders",
        "--by",
        "platform",
        "--order",
        "orders",
        "--asc",
        "--limit",
        "1",
        "--format",
        "csv",
    )
    assert top.stdout.splitlines() == ["platform,orders", "jd,2"]


def test_core_imports_no_cli_libraries() -> None:
    code = (
        "import sys, shopql.catalog, shopql.catalog.introspect, shopql.catalog.where;"
        "print([m for m in ('click', 'rich', 'textual') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "[]", done.stderr
