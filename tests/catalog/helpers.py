"""Running compiled and hand-written SQL side by side on one warehouse."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from shopql.catalog import SemanticQuery, compile_query, load_catalog
from shopql.catalog.semantic import TimeRange
from tests.conftest import warehouse_reader


def span(start: str | None, end: str | None) -> TimeRange:
    def at(s: str | None) -> dt.datetime | None:
        return dt.datetime.fromisoformat(s) if s else None

    return TimeRange(at(start), at(end), f"{start}..{end}")


class Warehouse:
    """A read-only connection to a workspace's warehouse plus its catalog."""

    def __init__(self, workspace: Path, today: dt.date | None = None) -> None:
        self.catalog = load_catalog(workspace)
        self.con = warehouse_reader(workspace)
        self.today = today

    def metric(self, **kw: Any) -> list[tuple[Any, ...]]:
        compiled = compile_query(self.catalog, SemanticQuery(**kw), today=self.today)
        return self.con.execute(compiled.sql).fetchall()

    def sql(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, params or []).fetchall()

    def close(self) -> None:
        self.con.close()


def same(got: list[tuple[Any, ...]], expected: list[tuple[Any, ...]]) -> None:
    """Rows equal as sets: decimals and integers exactly, floats to 1e-9."""
    assert len(got) == len(expected), (got, expected)
    key = lambda row: tuple(str(v) for v in row[:-1])  # noqa: E731
    for g, e in zip(sorted(got, key=key), sorted(expected, key=key), strict=True):
        assert len(g) == len(e), (g, e)
        for a, b in zip(g, e, strict=True):
            if isinstance(a, float) or isinstance(b, float):  # a rounded ratio on either side
                assert float(a) == pytest.approx(float(b), abs=1e-9), (g, e)
            else:
                assert a == b, (g, e)
                if isinstance(b, Decimal):
                    assert isinstance(a, Decimal), f"{a!r} is not an exact decimal"
