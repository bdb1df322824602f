"""`sync_bench --profile` (issue 14): after the phases, the staging replayed step by step from the
statements the sync ran — DuckDB's own typed read, the text read, the checks, the strip — so the
staging's cost splits into what each step adds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shopql.bench.sync_bench import STAGING, _Timed, generate, profile_shopql, staging_steps

STEPS = (
    "DuckDB typed read_csv (no checks)",
    "every cell read as text (+ rejects)",
    "+ typing, placeholders, checks",
    "+ each cell's ends stripped (= staging)",
)


def _seconds(out: str, step: str) -> float:
    found = re.search(re.escape(step) + r"\s+([0-9.]+)", out)
    assert found, step
    return float(found.group(1))


def test_the_profile_replays_the_staging_step_by_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "olist_order_items_dataset.csv"
    generate(path, 3_000)
    profile_shopql(path, tmp_path)
    out = capsys.readouterr().out
    assert "(3,000 rows)" in out
    assert "staging, step by step" in out
    for step in STEPS:
        assert _seconds(out, step) >= 0


def test_the_staging_statements_are_kept_as_the_sync_ran_them() -> None:
    import duckdb

    con = duckdb.connect()
    staged: dict[str, str] = {}
    timed = _Timed(con, {}, staged)
    timed.execute("CREATE TEMP VIEW _cells AS SELECT 1 AS c1")
    timed.execute("CREATE TEMP TABLE _checked AS SELECT c1 FROM _cells")
    timed.execute("SELECT 1")
    assert staged == {
        STAGING[0]: "CREATE TEMP VIEW _cells AS SELECT 1 AS c1",
        STAGING[2]: "CREATE TEMP TABLE _checked AS SELECT c1 FROM _cells",
    }
    con.close()


def test_no_staged_select_prints_no_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a sync that staged nothing (every file skipped) has nothing to replay
    staging_steps(tmp_path / "none.csv", {}, "Asia/Shanghai")
    assert capsys.readouterr().out == ""
