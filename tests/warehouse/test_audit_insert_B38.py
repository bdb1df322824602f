"""Audit records go into `_audit` in one statement (warehouse.audit.insert): the rows stored are
those one INSERT a record stores, value for value (text, NULLs, timestamps, numbers), in order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from shopql.warehouse.audit import COLUMNS, insert
from shopql.warehouse.connection import open_writer


def _records() -> list[dict[str, object]]:
    start = dt.datetime(2026, 12, 6, 23, 0, 0, 123456)
    out: list[dict[str, object]] = []
    for i in range(300):
        out.append(
            {
                "executed_at": (start + dt.timedelta(seconds=i)).isoformat(timespec="microseconds"),
                "role": (None, "admin", "analyst")[i % 3],
                "source": ("ask", "eval", "sql")[i % 3],
                "question": (None, "今年走量前五的商品", 'it\'s "quoted"', "")[i % 4],
                "sql": "select 1" * (i % 7 + 1),
                "rows": (None, 0, 5, 2**40)[i % 4],
                "duration_ms": (None, 0.0, 12.34, 5)[i % 4],
                "outcome": ("ok", "refused", "error", "rejected")[i % 4],
            }
        )
    return out


def test_one_statement_stores_what_one_insert_a_record_stores(workspace: Path) -> None:
    rows = _records()
    con = open_writer(workspace / "warehouse.duckdb")
    try:
        insert(con, rows)
        insert(con, [])  # nothing to insert: nothing happens
        got = con.execute(f"SELECT {', '.join(COLUMNS)} FROM _audit ORDER BY rowid").fetchall()
        con.execute("DELETE FROM _audit")
        for r in rows:
            con.execute(
                f"INSERT INTO _audit ({', '.join(COLUMNS)}) VALUES "
                f"({', '.join('?' for _ in COLUMNS)})",
                [r[c] for c in COLUMNS],
            )
        one_by_one = con.execute(
            f"SELECT {', '.join(COLUMNS)} FROM _audit ORDER BY rowid"
        ).fetchall()
    finally:
        con.close()
    assert len(got) == 300
    assert got == one_by_one
    assert got[1][3] == "今年走量前五的商品" and got[0][0] == dt.datetime(
        2026, 12, 6, 23, 0, 0, 123456
    )
