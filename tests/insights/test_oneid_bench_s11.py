"""The OneID bench keeps its generated accounts and compares every account's one_id with an
earlier build's (how a change to the build is checked at 1 M and 10 M accounts: 0 differ)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb


def bench(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "shopql.bench.oneid_bench", "--accounts", "3000", "--seed", "5"]
        + ["--no-baseline", "--no-rebuild", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_kept_accounts_and_one_ids_compared(tmp_path: Path) -> None:
    kept, ids = tmp_path / "kept", tmp_path / "ids.parquet"
    first = bench("--keep", str(kept), "--ids", str(ids))
    assert "generated 3,000 accounts" in first
    assert f"one_ids saved to {ids}" in first
    assert [p.name for p in kept.glob("*.duckdb")] == ["accounts-3000-seed5.duckdb"]
    # the kept accounts are left as generated (the build ran on a copy)
    con = duckdb.connect(str(kept / "accounts-3000-seed5.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM one_ids").fetchone() == (0,)
        row = con.execute("SELECT count(DISTINCT customer_id) FROM customers").fetchone()
    finally:
        con.close()
    assert row is not None
    accounts = row[0]  # about 3,000: the persons planted for 3,000 may hold a few less
    assert 2900 < accounts <= 3000
    mem = duckdb.connect()
    saved = mem.execute(f"SELECT count(*), count(DISTINCT one_id) FROM '{ids}'").fetchone()
    assert saved is not None and saved[0] == accounts and 1 < saved[1] < accounts
    # the same code on the same accounts: every one_id as saved
    second = bench("--keep", str(kept), "--ids", str(ids))
    assert "accounts kept in" in second and "generated" not in second
    assert f"one_id differs from ids.parquet for 0 of {accounts:,} accounts" in second
    # one account given another id in the saved file is counted
    changed = tmp_path / "changed.parquet"
    mem.execute(
        f"""COPY (SELECT customer_id, CASE WHEN customer_id = (SELECT min(customer_id) FROM '{ids}')
                 THEN 'P99999999' ELSE one_id END AS one_id FROM '{ids}')
            TO '{changed}' (FORMAT parquet)"""
    )
    third = bench("--keep", str(kept), "--ids", str(changed))
    assert f"one_id differs from changed.parquet for 1 of {accounts:,} accounts" in third
