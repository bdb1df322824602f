"""Cohorts of OneID persons by first purchase: retention and cumulative revenue per period.

A person's cohort is the month (or ISO week) of their first paid order on any platform. Period k
of a cohort is the k-th month (week) after it; in period k:

- ``active``: persons of the cohort with at least one paid order in that period;
- ``retention`` = active / cohort size (period 0 is 1 by definition);
- ``revenue``: their paid amount in that period (paid_gmv 口径: refunds are not deducted);
- ``revenue_per_person``: revenue of periods 0..k / cohort size (cumulative).

Periods after the last paid order in the warehouse are not observed yet and are absent (None in
the matrix), which is not the same as 0 (observed, nobody came back). The last observed period
of every cohort may be partial. Everything is one DuckDB query: no Python per order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import duckdb

from shopql.insights.purchases import (
    PERSON_ORDERS,
    AnalysisError,
    coverage,
    find_tag_source,
    quoted,
    require_persons,
)

GRAINS = ("month", "week")
METRICS = ("retention", "revenue")
# --by: what a person is grouped by, taken at their first purchase (a person is in one group).
BY_EXPR = {
    "platform": "arg_min(platform, paid_at)",
    "province": "arg_min(province, paid_at)",
    "shop": "arg_min(shop_id, paid_at)",
}
BY_CHOICES = (*BY_EXPR, "category", "rfm_segment", "lifecycle")


@dataclass
class Cell:
    period: int
    active: int
    retention: float
    revenue: Decimal
    revenue_per_person: Decimal  # cumulative over periods 0..period


@dataclass
class Cohort:
    cohort: dt.date
    group: str | None
    persons: int
    cells: list[Cell] = field(default_factory=list)

    def cell(self, period: int) -> Cell | None:
        return next((c for c in self.cells if c.period == period), None)


@dataclass
class CohortTable:
    grain: str
    by: str | None
    cohorts: list[Cohort]
    last_purchase: dt.datetime | None
    notes: list[str] = field(default_factory=list)

    @property
    def periods(self) -> int:
        """How many periods the oldest cohort has been observed (columns of the matrix)."""
        return max((len(c.cells) for c in self.cohorts), default=0)

    def matrix(self, metric: str, periods: int | None = None) -> tuple[list[str], list[list[Any]]]:
        """Columns and rows: cohort, [group,] persons, then one value per period (None when the
        period is not observed yet)."""
        n = self.periods if periods is None else min(periods, self.periods)
        prefix = "m" if self.grain == "month" else "w"
        columns = ["cohort", *([self.by] if self.by else []), "persons"]
        columns += [f"{prefix}{k}" for k in range(n)]
        rows = []
        for c in self.cohorts:
            row: list[Any] = [c.cohort, *([c.group] if self.by else []), c.persons]
            for k in range(n):
                cell = c.cell(k)
                row.append(None if cell is None else _value(cell, metric))
            rows.append(row)
        return columns, rows


def _value(cell: Cell, metric: str) -> Any:
    return round(cell.retention, 4) if metric == "retention" else cell.revenue_per_person


def cohort_table(
    con: duckdb.DuckDBPyConnection, grain: str = "month", by: str | None = None
) -> CohortTable:
    """Cohort retention and revenue of every person with a paid order.

    Raises:
        AnalysisError: an unknown grain or dimension, or no paid orders of persons.
    """
    if grain not in GRAINS:
        raise AnalysisError(f"unknown grain {grain!r}", f"use one of {', '.join(GRAINS)}")
    cov = coverage(con)
    require_persons(cov)
    group_sql = _group_sql(con, by)
    rows = con.execute(_sql(grain, group_sql)).fetchall()
    last = con.execute(f"SELECT max(paid_at) FROM ({PERSON_ORDERS})").fetchone()
    table = CohortTable(grain, by, _cohorts(rows), last[0] if last else None, cov.notes())
    if table.cohorts:
        table.notes.append(
            f"periods end at the last paid order ({table.last_purchase:%Y-%m-%d}); "
            "each cohort's last period may be partial"
        )
    return table


def _group_sql(con: duckdb.DuckDBPyConnection, by: str | None) -> tuple[str, str]:
    """(expression over `first`'s GROUP BY, extra joins) of the --by dimension."""
    if by is None:
        return "NULL::VARCHAR", ""
    if by in BY_EXPR:
        return BY_EXPR[by], ""
    if by == "category":
        # the category of the largest line of the first order
        return (
            "arg_min(first_category, paid_at)",
            """LEFT JOIN (SELECT i.order_id, arg_max(coalesce(i.category, pr.category),
                                 i.paid_amount) AS first_category
                          FROM order_items i LEFT JOIN products pr USING (product_id)
                          GROUP BY 1) fc USING (order_id)""",
        )
    if by in ("rfm_segment", "lifecycle"):
        return _tag_sql(con, by)
    raise AnalysisError(f"unknown --by {by!r}", f"use one of {', '.join(BY_CHOICES)}")


def _tag_sql(con: duckdb.DuckDBPyConnection, by: str) -> tuple[str, str]:
    source = find_tag_source(con)
    column = None if source is None else getattr(source, by)
    if source is None or column is None:
        raise AnalysisError(f"no {by} tags in this warehouse", "run `shopql tags refresh` first")
    join = (
        f"LEFT JOIN (SELECT one_id, any_value({quoted(column)}) AS tag FROM "
        f"{quoted(source.table)} GROUP BY 1) t USING (one_id)"
    )
    return "any_value(tag)", join


def _sql(grain: str, group: tuple[str, str]) -> str:
    expr, join = group
    return f"""
    WITH p AS ({PERSON_ORDERS}),
    first AS (
        SELECT one_id, date_trunc('{grain}', min(paid_at))::DATE AS cohort,
               coalesce(({expr})::VARCHAR, '(none)') AS grp
        FROM p {join} GROUP BY one_id),
    sizes AS (SELECT cohort, grp, count(*) AS persons FROM first GROUP BY ALL),
    horizon AS (SELECT date_trunc('{grain}', max(paid_at))::DATE AS last FROM p),
    grid AS (
        SELECT s.cohort, s.grp, s.persons, k.period
        FROM sizes s, horizon h,
             range(0, datediff('{grain}', s.cohort, h.last) + 1) k(period)),
    activity AS (
        SELECT f.cohort, f.grp,
               datediff('{grain}', f.cohort, date_trunc('{grain}', p.paid_at)::DATE) AS period,
               count(DISTINCT p.one_id) AS active, sum(p.paid_amount) AS revenue
        FROM p JOIN first f USING (one_id) GROUP BY ALL)
    SELECT g.cohort, g.grp, g.persons, g.period,
           coalesce(a.active, 0) AS active,
           coalesce(a.revenue, 0)::DECIMAL(18,2) AS revenue,
           (sum(coalesce(a.revenue, 0)) OVER (PARTITION BY g.cohort, g.grp ORDER BY g.period)
               / g.persons)::DECIMAL(18,2) AS per_person
    FROM grid g LEFT JOIN activity a USING (cohort, grp, period)
    ORDER BY g.grp, g.cohort, g.period
    """


def _cohorts(rows: list[tuple[Any, ...]]) -> list[Cohort]:
    out: dict[tuple[dt.date, str], Cohort] = {}
    for cohort, grp, persons, period, active, revenue, per_person in rows:
        key = (cohort, grp)
        if key not in out:
            out[key] = Cohort(cohort, grp, int(persons))
        c = out[key]
        c.cells.append(Cell(int(period), int(active), active / persons, revenue, per_person))
    return list(out.values())


def to_document(table: CohortTable, metric: str) -> dict[str, Any]:
    """The JSON shape: the matrix (columns/rows) plus every cell in long form."""
    columns, rows = table.matrix(metric)
    return {
        "grain": table.grain,
        "metric": metric,
        "by": table.by,
        "columns": columns,
        "rows": rows,
        "cohorts": [
            {
                "cohort": c.cohort,
                "group": c.group,
                "persons": c.persons,
                "periods": [
                    {
                        "period": cell.period,
                        "active": cell.active,
                        "retention": round(cell.retention, 6),
                        "revenue": cell.revenue,
                        "revenue_per_person": cell.revenue_per_person,
                    }
                    for cell in c.cells
                ],
            }
            for c in table.cohorts
        ],
        "last_purchase": table.last_purchase,
        "notes": table.notes,
    }
