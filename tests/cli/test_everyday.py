"""The small habits of a good terminal tool (issue 12): readable numbers and labels, hidden
columns said, periods after the data said, usage errors exit 2, help text that is true."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_export import shopql
from tests.conftest import ROOT, cli_in_process
from tests.sync.test_bad_input import query


def test_python_dash_m_shopql_runs_the_command(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "shopql", "--help"], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "Commands:" in done.stdout and "demo" in done.stdout


def test_the_demo_folder_is_ignored_by_git() -> None:
    done = subprocess.run(
        ["git", "check-ignore", "shopql-demo/warehouse.duckdb", "sub/shopql-demo/x.csv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.stdout.split() == ["shopql-demo/warehouse.duckdb", "sub/shopql-demo/x.csv"]


def test_format_help_names_only_the_formats_offered() -> None:
    only_json = cli_in_process("identity", "build", "--help").stdout
    assert "[table|json]" in only_json and "CSV" not in only_json
    assert "JSON or CSV for scripts" in " ".join(cli_in_process("sql", "--help").stdout.split())


def test_alert_short_help_is_whole() -> None:
    listing = cli_in_process("alert", "--help").stdout.split("Commands:")[1]
    assert "..." not in listing and "e.g." not in listing
    assert "Add (or replace) a rule" in listing


def test_unknown_names_are_usage_errors_with_one_suggestion_each(full_demo: Path) -> None:
    done = shopql(full_demo, "catalog", "show", "ordrs")
    assert done.returncode == 2
    assert done.stderr.count("orders (table, metric)") == 1
    assert "orders, orders" not in done.stderr
    done = shopql(full_demo, "metric", "paid_gmvv")
    assert done.returncode == 2 and "did you mean paid_gmv" in done.stderr
    done = shopql(full_demo, "metric", "paid_gmv", "--by", "platfrom")
    assert done.returncode == 2 and "did you mean platform" in done.stderr


def test_a_fixed_threshold_is_not_called_a_baseline(full_demo: Path) -> None:
    facts = json.loads((full_demo / "demo_facts.json").read_text(encoding="utf-8"))
    at = facts["payment_incident"]["start"][:14] + "55"
    done = shopql(full_demo, "alert", "check", "--at", at)
    assert done.returncode == 4, done.stderr
    block = done.stdout.split("payment_channel_down")[1].split("why:")[0]
    assert "threshold 50.0%" in block and "baseline" not in block


def test_customer_money_and_times_read_well(full_demo: Path) -> None:
    (one_id,) = query(
        full_demo,
        "select customers.one_id from customers join orders using (customer_id) where paid_amount > 1000 "
        "group by 1 order by count(*) desc, 1 limit 1",
    )[0]
    done = shopql(full_demo, "customer", one_id)
    assert done.returncode == 0, done.stderr
    assert re.search(r"spend\s+│ \d{1,3}(,\d{3})*\.\d\d CNY", done.stdout)
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", done.stdout)
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d", done.stdout)


def test_changes_as_percentages_and_labels_in_the_question_language(full_demo: Path) -> None:
    args = ("metric", "paid_gmv", "--since", "last month", "--compare", "previous_period")
    table = shopql(full_demo, *args, "--today", "2026-12-01")
    assert table.returncode == 0, table.stderr
    doc = json.loads(shopql(full_demo, *args, "--today", "2026-12-01", "--format", "json").stdout)
    assert doc["columns"] == ["paid_gmv", "paid_gmv__previous", "paid_gmv__change"]
    now, before, change = doc["rows"][0]
    assert isinstance(change, float)  # JSON keeps the raw ratio
    assert f"{now:,.2f}" in table.stdout and f"{before:,.2f}" in table.stdout
    arrow = "▲" if change > 0 else "▼"
    assert f"{arrow} {abs(change) * 100:.1f} %" in table.stdout
    assert "paid_gmv__change" not in table.stdout and "vs prev. period" in table.stdout
    zh = shopql(full_demo, "ask", "上个月的销售额环比", "--today", "2026-12-01", "--no-chart")
    assert zh.returncode == 0, zh.stderr
    table_part = zh.stdout.split("┏")[-1]  # the SQL above it names the columns as they are
    assert "支付金额环比" in table_part and "__change" not in table_part


def test_a_period_after_the_data_says_where_the_data_ends(full_demo: Path) -> None:
    (end,) = query(full_demo, "select max(paid_at) from orders")[0]
    done = shopql(full_demo, "metric", "paid_gmv", "--since", "last month", "--at", "2027-06-01")
    assert done.returncode == 0
    assert f"the data ends {end:%Y-%m-%d}" in done.stderr and "--today" in done.stderr
    asked = shopql(full_demo, "ask", "sales last month", "--today", "2027-06-01", "--no-chart")
    assert f"the data ends {end:%Y-%m-%d}" in asked.stderr
    inside = shopql(full_demo, "metric", "paid_gmv", "--since", "last month", "--at", "2026-12-01")
    assert "the data ends" not in inside.stderr


def test_metric_at_moves_relative_periods(full_demo: Path) -> None:
    done = shopql(
        full_demo, "metric", "paid_gmv", "--since", "last month", "--at", "2026-11-20",
        "--format", "json",
    )  # fmt: skip
    doc = json.loads(done.stdout)
    assert doc["time_range"]["start"].startswith("2026-10-01")
    (expected,) = query(
        full_demo,
        "select sum(paid_amount) from orders where paid_at >= '2026-10-01' and paid_at < '2026-11-01'",
    )[0]
    assert str(doc["rows"][0][0]) == str(expected) or doc["rows"][0][0] == float(expected)


def test_wide_results_say_which_columns_are_hidden(full_demo: Path) -> None:
    done = cli_in_process("--workspace", str(full_demo), "sql", "select * from orders order by 1 limit 3",
                   env={"COLUMNS": "80"})  # fmt: skip
    assert done.returncode == 0
    (ids,) = zip(*query(full_demo, "select order_id from orders order by 1 limit 3"), strict=True)
    assert all(i in done.stdout for i in ids)  # whole ids, not 'shopify:…'
    hidden = re.search(r"(\d+) of (\d+) columns hidden \(([^)]*)\)", done.stderr)
    assert hidden and int(hidden.group(2)) == len(query(full_demo, "describe orders"))
    assert "--format csv|json, or --out FILE" in done.stderr
    assert hidden.group(3).split(", ")[-1] == query(full_demo, "describe orders")[-1][0]


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [(943121.7, "zh", "94.3万"), (943121.7, "en", "943k"), (1_234_567, "en", "1.2M"),
     (250_000_000, "zh", "2.5亿"), (42, "en", "42"), (6.3, "en", "6.3")],
)  # fmt: skip
def test_human_units(value: float, lang: str, text: str) -> None:
    from shopql.cli.display import human_number

    assert human_number(value, lang) == text


def test_bar_chart_aligns_chinese_labels() -> None:
    from rich.cells import cell_len

    from shopql.cli.charts import bar_chart

    lines = bar_chart(["女装", "家居饰品", "配饰", "a very long english label here"],
                      [3_770_044.41, 927_888.24, 449_463.41, 100.0], "zh").splitlines()  # fmt: skip
    bars = [cell_len(line.split("│")[0]) for line in lines]
    assert len(set(bars)) == 1  # every bar starts in the same terminal column
    assert lines[0].endswith("377万") and lines[1].endswith("92.8万")
    assert lines[0].count("█") > lines[1].count("█") > lines[2].count("█")


def test_the_demo_tour_prints_the_board_command_of_the_incident(full_demo: Path) -> None:
    from types import SimpleNamespace

    from rich.console import Console

    from shopql.cli.demo import _next_steps

    facts = json.loads((full_demo / "demo_facts.json").read_text(encoding="utf-8"))
    console = Console(record=True, width=200)
    _next_steps(console, SimpleNamespace(facts=facts, example_person=None), full_demo)
    text = console.export_text()
    moment = facts["payment_incident"]["start"][:14] + "55"
    assert f'shopql board --at "{moment}"' in text
    assert f'shopql alert check --at "{moment}"' in text
