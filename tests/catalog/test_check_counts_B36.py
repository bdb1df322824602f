"""catalog.families.check_counts: a query's checks (`SELECT COUNT(*) … WHERE …`) counted together —
the checks over the same rows as one aggregate of COUNT(*) FILTER (WHERE …) each — give what each
check gives run alone (hand-written counts), in one query."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import duckdb
import pytest

from shopql.catalog.families import check_counts

ORDERS = "FROM orders AS o LEFT JOIN customers AS c ON c.id = o.customer_id"
CHECKS = [
    f"SELECT COUNT(*) AS n {ORDERS} WHERE o.paid_at IS NULL",  # 2
    f"SELECT COUNT(*) AS n {ORDERS} WHERE c.city = 'X' AND o.paid_at IS NULL",  # 1
    f"SELECT COUNT(*) AS n {ORDERS} WHERE o.customer_id IS NULL",  # 1
    "SELECT COUNT(*) AS n FROM customers AS c WHERE c.city IS NULL",  # 1
    "SELECT COUNT(*) AS n FROM customers AS c WHERE c.city = 'nowhere'",  # 0
    # a subquery in its WHERE: run as a scalar subquery, not inside a FILTER
    f"SELECT COUNT(*) AS n {ORDERS} WHERE o.id IN (SELECT id FROM orders WHERE amount > 5)",  # 2
    "SELECT COUNT(*) AS n FROM orders AS o",  # no WHERE: 5
]
EXPECTED = [2, 1, 1, 1, 0, 2, 5]


@pytest.fixture
def con() -> Any:
    con = duckdb.connect()
    con.execute("CREATE TABLE customers (id INT, city VARCHAR)")
    con.execute("INSERT INTO customers VALUES (1, 'X'), (2, 'Y'), (3, NULL)")
    con.execute("CREATE TABLE orders (id INT, customer_id INT, paid_at DATE, amount INT)")
    con.execute(
        "INSERT INTO orders VALUES (1, 1, NULL, 3), (2, 2, DATE '2024-01-02', 9), "
        "(3, NULL, DATE '2024-01-03', 4), (4, 2, NULL, 7), (5, 3, DATE '2024-01-05', 1)"
    )
    yield con
    con.close()


def test_checks_counted_together_as_each_alone(con: Any) -> None:
    sent: list[str] = []

    def run(sql: str) -> Any:
        sent.append(sql)
        return SimpleNamespace(rows=con.execute(sql).fetchall())

    alone = [con.execute(sql).fetchone()[0] for sql in CHECKS]
    assert alone == EXPECTED
    counts = check_counts([*CHECKS, CHECKS[0]], run)  # a check listed twice is counted once
    assert list(counts) == CHECKS  # in the order asked
    assert list(counts.values()) == EXPECTED
    assert len(sent) == 1  # one query
    # the two sources with several checks are aggregates with FILTER; the other checks as they are
    assert sent[0].count("FILTER") == 5
    assert sent[0].count(" CROSS JOIN ") == 1


def test_a_lone_check_runs_as_it_is_and_a_dry_run_counts_nothing(con: Any) -> None:
    sent: list[str] = []

    def run(sql: str) -> Any:
        sent.append(sql)
        return SimpleNamespace(rows=con.execute(sql).fetchall())

    assert check_counts([CHECKS[0], CHECKS[0]], run) == {CHECKS[0]: 2}
    assert sent == [CHECKS[0]]
    assert check_counts([], run) == {}
    # one source's checks alone: its aggregate, run as it is
    assert check_counts(CHECKS[:3], run) == dict(zip(CHECKS[:3], EXPECTED[:3], strict=True))
    assert "CROSS JOIN" not in sent[-1] and sent[-1].count("FILTER") == 3
    # --sql-only: nothing is run, nothing counted
    dry = check_counts(CHECKS, lambda sql: SimpleNamespace(rows=[]))
    assert dry == dict.fromkeys(CHECKS)
