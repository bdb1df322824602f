"""`--out FILE` on sql, metric and ask: every row, in every format, money exact, audited; printed
results keep the display cap and say what they left out."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import cli_in_process, run_cli
from tests.sync.test_bad_input import query


def shopql(ws: Path, *args: str):  # type: ignore[no-untyped-def]
    """`shopql --workspace WS ARGS` run in this process (test_unknown_extension_is_a_usage_error
    runs a real process)."""
    return cli_in_process("--workspace", str(ws), *args)


def test_every_event_reaches_csv_jsonl_and_parquet(full_demo: Path, tmp_path: Path) -> None:
    (total,) = query(full_demo, "select count(*) from events")[0]
    assert total > 150_000  # more than the display cap many times over
    for ext in ("csv", "jsonl", "parquet"):
        out = tmp_path / f"events.{ext}"
        done = shopql(full_demo, "sql", "select * from events", "--out", str(out))
        assert done.returncode == 0, done.stderr
        assert done.stdout == ""
        assert f"wrote {total:,} rows to" in done.stderr
    with (tmp_path / "events.csv").open(encoding="utf-8") as f:
        assert sum(1 for _ in csv.reader(f)) == total + 1  # and a header
    lines = (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == total
    assert set(json.loads(lines[0])) >= {"event_time", "event_type", "platform"}
    with duckdb.connect() as con:
        found = con.execute(f"select count(*) from '{tmp_path / 'events.parquet'}'").fetchone()
    assert found == (total,)
    assert not list(tmp_path.glob(".*.part"))  # no temporary file left behind


def test_money_is_exact_in_every_format(full_demo: Path, tmp_path: Path) -> None:
    sql = "select order_id, paid_amount from orders order by order_id"
    (db_sum, n) = query(full_demo, "select sum(paid_amount), count(*) from orders")[0]
    for ext in ("csv", "jsonl", "parquet", "xlsx"):
        assert shopql(full_demo, "sql", sql, "--out", str(tmp_path / f"o.{ext}")).returncode == 0
    with (tmp_path / "o.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == n
    assert sum(Decimal(r["paid_amount"]) for r in rows if r["paid_amount"]) == db_sum
    assert all(
        "." in r["paid_amount"] and len(r["paid_amount"].split(".")[1]) == 2
        for r in rows
        if r["paid_amount"]
    )
    docs = [
        json.loads(line, parse_float=Decimal)
        for line in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert sum(d["paid_amount"] for d in docs if d["paid_amount"] is not None) == db_sum
    with duckdb.connect() as pq:
        found = pq.execute(
            f"select sum(paid_amount), count(*) from '{tmp_path / 'o.parquet'}'"
        ).fetchone()
    assert found == (db_sum, n)
    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "o.xlsx", read_only=True)
    cells = [r[1] for r in book.active.iter_rows(min_row=2, values_only=True)]
    assert len(cells) == n
    assert round(sum(Decimal(str(v)) for v in cells if v is not None), 2) == db_sum


def test_json_and_csv_on_stdout_keep_decimals(full_demo: Path) -> None:
    sql = "select platform, sum(paid_amount) as gmv from orders group by 1 order by 1"
    expected = {p: str(g) for p, g in query(full_demo, sql)}
    as_csv = shopql(full_demo, "sql", sql, "--format", "csv").stdout.splitlines()[1:]
    assert dict(line.split(",") for line in as_csv) == expected
    doc = json.loads(shopql(full_demo, "sql", sql, "--format", "json").stdout, parse_float=Decimal)
    assert {p: str(g) for p, g in doc["rows"]} == expected


def test_export_is_audited_with_its_row_count(full_demo: Path, tmp_path: Path) -> None:
    sql = "select * from payments where channel = 'wechat'"
    (n,) = query(full_demo, "select count(*) from payments where channel = 'wechat'")[0]
    assert shopql(full_demo, "sql", sql, "--out", str(tmp_path / "p.csv")).returncode == 0
    audited = query(
        full_demo, "select rows, outcome from _audit where sql like '%wechat%' order by executed_at"
    )
    assert audited[-1] == (n, "ok")


def test_export_meets_the_guard(full_demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    done = shopql(full_demo, "sql", "select * from read_csv('/etc/passwd')", "--out", str(out))
    assert done.returncode == 3
    assert not out.exists() and not list(tmp_path.iterdir())
    done = shopql(
        full_demo,
        "--role",
        "analyst",
        "sql",
        "select phone from customers where phone is not null",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    phones = [r[0] for r in csv.reader(out.open(encoding="utf-8"))][1:]
    assert phones and all("****" in p for p in phones)


def test_unknown_extension_is_a_usage_error(full_demo: Path, tmp_path: Path) -> None:
    done = run_cli(
        "--workspace", str(full_demo), "sql", "select 1", "--out", str(tmp_path / "x.txt")
    )
    assert done.returncode == 2
    assert ".csv, .jsonl, .parquet or .xlsx" in done.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_printing_says_what_the_cap_left_out(full_demo: Path, fmt: str) -> None:
    (total,) = query(full_demo, "select count(*) from events")[0]
    done = shopql(full_demo, "sql", "select * from events", "--format", fmt)
    assert done.returncode == 0
    assert f"showing 10,000 of {total:,} rows" in done.stderr
    assert "--out FILE" in done.stderr
    assert "raise row_cap" not in done.stderr


def test_metric_and_ask_export_every_row(full_demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    done = shopql(full_demo, "metric", "paid_gmv", "--by", "platform", "--out", str(out))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    db = dict(
        query(
            full_demo,
            "select platform, sum(paid_amount) from orders where paid_at is not null group by 1",
        )
    )
    assert {r["platform"]: Decimal(r["paid_gmv"]) for r in rows} == db
    out = tmp_path / "a.jsonl"
    done = shopql(full_demo, "ask", "sales by platform", "--engine", "offline", "--out", str(out))
    assert done.returncode == 0, done.stderr
    docs = [
        json.loads(x, parse_float=Decimal) for x in out.read_text(encoding="utf-8").splitlines()
    ]
    assert {d["platform"]: d["paid_gmv"] for d in docs} == db


def test_an_explicit_limit_above_the_cap_is_kept_in_an_export(
    full_demo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "e.csv"
    done = shopql(full_demo, "sql", "select * from events limit 50000", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "wrote 50,000 rows" in done.stderr
    assert sum(1 for _ in out.open(encoding="utf-8")) == 50_001


@pytest.mark.parametrize("ext", ["csv", "jsonl", "xlsx", "parquet"])
def test_progress_is_reported_while_rows_are_written(
    full_demo: Path, tmp_path: Path, ext: str
) -> None:
    from shopql.config import load_settings
    from shopql.warehouse.export import BATCH_ROWS, export_query
    from shopql.warehouse.guard import GuardContext

    s = load_settings(full_demo)
    seen: list[tuple[int | None, float | None]] = []
    sql = "select * from order_items"
    result = export_query(
        s.warehouse_path,
        sql,
        tmp_path / f"items.{ext}",
        ctx=GuardContext.for_role("admin"),
        progress=lambda rows, pct: seen.append((rows, pct)),
    )
    (total,) = query(full_demo, "select count(*) from order_items")[0]
    assert result.row_count == total and seen[-1] == (total, None)
    rows = [r for r, _ in seen if r is not None]
    assert rows == sorted(rows)
    if ext != "parquet":  # Python writes these batch by batch
        assert rows[0] == BATCH_ROWS and len(rows) == -(-total // BATCH_ROWS)


def test_out_without_a_query_or_with_a_wrong_extension_is_a_usage_error(
    full_demo: Path, tmp_path: Path
) -> None:
    done = shopql(full_demo, "sql", "--out", str(tmp_path / "x.csv"))
    assert done.returncode == 2 and "--out needs a QUERY" in done.stderr
    done = shopql(full_demo, "ask", "sales by platform", "--out", str(tmp_path / "x.txt"))
    assert done.returncode == 2 and ".csv, .jsonl, .parquet or .xlsx" in done.stderr
    assert not list(tmp_path.iterdir())


# Session 35: `ask --out` answered in a dry run, which skips what is built from the rows; the file of
# "哪个平台销售额最高" held the whole ranking (every platform) while `ask` shows the top one. It now
# answers for real and writes the answer's own table, uncapped.
@pytest.mark.parametrize(
    ("question", "place"),
    [("which platform had the highest sales", 1), ("销售额排第二的平台", 2)],
)
def test_ask_out_writes_the_answer_not_the_ranking_behind_it(
    full_demo: Path, tmp_path: Path, question: str, place: int
) -> None:
    out = tmp_path / "top.csv"
    done = shopql(full_demo, "ask", question, "--engine", "offline", "--out", str(out))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    ranking = query(
        full_demo,
        "select platform, sum(paid_amount) as s from orders where paid_at is not null "
        "group by 1 order by s desc",
    )
    assert len(ranking) >= 3 and ranking[place - 1][1] != ranking[place][1]  # no tie at the place
    assert [(r["platform"], Decimal(r["paid_gmv"])) for r in rows] == [ranking[place - 1]]
    assert "wrote 1 rows" in done.stderr
    assert "personal data" not in done.stderr  # `*` over the ranking: no personal column


# A top N reads one row past its cut (to say whether the cut falls in a tie): the file held N + 1
# rows where `ask` shows N. A whole answer is now written as shown, in every format.
@pytest.mark.parametrize("ext", ["csv", "parquet"])
def test_ask_out_of_a_top_n_writes_n_rows(full_demo: Path, tmp_path: Path, ext: str) -> None:
    out = tmp_path / f"top2.{ext}"
    done = shopql(
        full_demo, "ask", "top 2 platforms by sales", "--engine", "offline", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    ranking = query(
        full_demo,
        "select platform, sum(paid_amount) as s from orders where paid_at is not null "
        "group by 1 order by s desc limit 2",
    )
    with duckdb.connect() as con:
        got = con.execute(f"select platform, paid_gmv from '{out}'").fetchall()
        (kind,) = con.execute(f"select typeof(paid_gmv) from '{out}' limit 1").fetchone() or ("",)
    assert [(p, Decimal(str(v))) for p, v in got] == ranking
    assert "wrote 2 rows" in done.stderr
    assert ext == "csv" or kind.startswith("DECIMAL")  # money stays exact in parquet
