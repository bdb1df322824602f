"""What the LLM is told is true: every metric's SQL, exactly as the system prompt shows it, run
through the guard, equals `shopql metric NAME` for the same period, to the cent (demo and Olist)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from shopql.catalog.semantic import TimeRange
from shopql.config import load_settings
from shopql.nlq.context import metric_sql
from shopql.nlq.prompt import MetricInfo, PromptContext, render_system
from shopql.nlq.session import Workspace
from tests.conftest import cli_in_process
from tests.nlq.conftest import DEMO_TODAY

BLOCK = re.compile(r"^- (\w+): [^\n]*\n```sql\n(.*?)\n```", re.S | re.M)
PERIODS = {"demo": ("2025-03-01", "2025-05-31"), "olist": ("2017-01-01", "2017-12-31")}


def prompt_blocks(ws: Workspace, period: TimeRange | None) -> dict[str, str]:
    """metric → the SQL block the system prompt shows for it, every metric of the pack."""
    catalog = ws.catalog
    ctx = PromptContext(
        today=ws.today,
        metrics=[
            MetricInfo(
                m.name, m.description.get("en", ""), metric_sql(catalog, m, period, ws.today)
            )
            for m in catalog.metrics.values()
        ],
    )
    blocks = dict(BLOCK.findall(render_system(ctx)))
    assert set(blocks) == set(catalog.metrics)
    return blocks


def metric_row(folder: Path, names: list[str], *args: str) -> dict[str, str]:
    done = cli_in_process("--workspace", str(folder), "metric", *names, *args, "--format", "csv")
    assert done.returncode == 0, done.stderr
    header, row = list(csv.reader(done.stdout.splitlines()))
    return dict(zip(header, row, strict=True))


def cell(value: Any) -> str:
    """A value as `--format csv` writes it (empty for NULL)."""
    return "" if value is None else str(value)


def number(text: str) -> Decimal | None:
    """A csv cell as an exact number: 5519.9 and 5519.90 are the same amount."""
    return Decimal(text) if text else None


def check(folder: Path, today: dt.date, name: str) -> None:
    with Workspace(load_settings(folder), today=today) as ws:
        start, until = PERIODS[name]
        period = TimeRange(
            dt.datetime.fromisoformat(start),
            dt.datetime.fromisoformat(until) + dt.timedelta(days=1),
            "",
        )
        blocks = prompt_blocks(ws, period)
        # the prompt's today: a metric measured to today (days since the last purchase) too
        expected = metric_row(
            folder, list(blocks), "--since", start, "--until", until, "--today", today.isoformat()
        )
        got = {}
        for metric, sql in blocks.items():
            result = ws.run(sql, None, source="test")
            assert result.columns == [metric]
            ((value,),) = result.rows
            got[metric] = cell(value)
        ws.close()
        assert {m: number(v) for m, v in got.items()} == {m: number(v) for m, v in expected.items()}
        assert sum(number(expected[m]) not in (None, 0) for m in blocks) > len(blocks) // 2


def test_demo_metric_sql_in_the_prompt_equals_shopql_metric(nlq_demo_workspace: Path) -> None:
    check(nlq_demo_workspace, DEMO_TODAY, "demo")


def test_olist_metric_sql_in_the_prompt_equals_shopql_metric(olist_workspace: Path) -> None:
    check(olist_workspace, dt.date(2018, 10, 1), "olist")


def test_all_time_sql_has_no_range_and_the_two_or_more_logic(
    nlq_demo_workspace: Path,
) -> None:
    with Workspace(load_settings(nlq_demo_workspace), today=DEMO_TODAY) as ws:
        blocks = prompt_blocks(ws, None)
        assert "CAST('" not in blocks["paid_gmv"]
        # two or more orders of one person (an order is one row of orders: COUNT(*) per person)
        assert "COUNT(*) >= 2" in blocks["repeat_buyers"]
        assert "orders.one_id AS _entity" in blocks["repeat_buyers"]
        # people by the person key on the order (issue 14): no join to customers
        assert "COUNT(DISTINCT orders.one_id)" in blocks["buyers"]
        assert "customers" not in blocks["buyers"]
        assert blocks["buyers"] != blocks["repeat_buyers"]
        everything = metric_row(nlq_demo_workspace, ["paid_gmv", "repeat_buyers", "net_sales"])
        for metric, value in everything.items():
            ((got,),) = ws.run(blocks[metric], None, source="test").rows
            assert number(cell(got)) == number(value)
        ws.close()


@pytest.mark.parametrize("name", ["units_last_30d"])
def test_trailing_window_metrics_end_where_the_period_ends(
    nlq_demo_workspace: Path, name: str
) -> None:
    with Workspace(load_settings(nlq_demo_workspace), today=DEMO_TODAY) as ws:
        period = TimeRange(dt.datetime(2025, 3, 1), dt.datetime(2025, 6, 1), "")
        sql = prompt_blocks(ws, period)[name]
        assert "CAST('2025-05-02 00:00:00' AS TIMESTAMP)" in sql
        ws.close()


EXAMPLES = {
    "paid GMV by platform last month": (
        "paid_gmv",
        "--since",
        "2025-05-01",
        "--until",
        "2025-05-31",
    ),
    "net sales by platform last month": (
        "net_sales",
        "--since",
        "2025-05-01",
        "--until",
        "2025-05-31",
    ),
    "repurchase rate by platform": ("repurchase_rate",),
}


def test_example_pairs_in_the_prompt_equal_shopql_metric(
    nlq_demo_workspace: Path, tmp_path: Path
) -> None:
    """Examples saved with `shopql ask --save` reach the prompt intact, and the SQL shown there
    gives what `shopql metric` gives for the same question."""
    import shutil

    folder = tmp_path / "ws"
    shutil.copytree(nlq_demo_workspace, folder)
    for question in EXAMPLES:
        done = cli_in_process(
            *("--workspace", str(folder), "ask", question, "--engine", "offline"),
            *("--today", DEMO_TODAY.isoformat(), "--save", "--format", "csv"),
        )
        assert done.returncode == 0, done.stderr
    got: dict[str, Any] = {}
    with Workspace(load_settings(folder), today=DEMO_TODAY) as ws:
        from shopql.nlq.context import build_context

        for question in EXAMPLES:
            prompt = render_system(build_context(ws, question)[0])
            shown = re.search(
                rf"^Q: {re.escape(question)}\n```sql\n(.*?)\n```", prompt, re.S | re.M
            )
            assert shown is not None, question
            got[question] = ws.run(shown.group(1), question, source="test")
    # `shopql metric` in this process once the Workspace is closed (its connection open, the
    # command's own, writing its audit, would meet it)
    for question, args in EXAMPLES.items():
        done = cli_in_process(
            *("--workspace", str(folder), "metric", *args, "--by", "platform", "--format", "csv")
        )
        header, *rows = list(csv.reader(done.stdout.splitlines()))
        assert got[question].columns == header
        want = sorted((r[0], number(r[1])) for r in rows)
        assert sorted((p, number(cell(v))) for p, v in got[question].rows) == want, question
        assert len(want) == 5
