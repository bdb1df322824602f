"""DuckDB's method syntax, `'x'.repeat(n)`, names a size-taking function without the value among
its arguments: the guard bounded `repeat('x', n)` but let `'x'.repeat(2000000000)` (a 2 GB string
per row) through unbounded. A size-taking function called as a method is refused; other methods
(`'abc'.upper()`) still run."""

from __future__ import annotations

import pytest

from shopql.errors import GuardError
from shopql.warehouse.guard import guard_sql


@pytest.mark.parametrize(
    "sql",
    [
        "select 'x'.repeat(2000000000)",
        "select x.repeat(2000000000) from (select 'a' as x)",
        "select 'x'.lpad(2000000000, 'y')",
        "select 'x'.rpad(2000000000, 'y')",
        "select length('ab'.repeat(1000000000)) from range(3)",
    ],
)
def test_a_size_taking_function_called_as_a_method_is_refused(sql: str) -> None:
    with pytest.raises(GuardError, match="called as a method"):
        guard_sql(sql)


def test_the_function_form_is_bounded_and_other_methods_run() -> None:
    assert "may build at most" in guard_sql("select repeat('x', 2000000000)")
    assert guard_sql("select 'abc'.upper()").startswith("SELECT 'abc'.upper()")
