"""The guard's shortcuts check exactly what the long way checks: function names read without
rendering each call, one binder database per schema (tables created as queries name them), and
columns named by sqlglot only when DuckDB's binder refuses."""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot import exp

from shopql.errors import GuardError
from shopql.warehouse import guard
from shopql.warehouse.functions import ALLOWED_SCALAR, AMPLIFIERS, DENIED_SCALAR, LIST_GENERATORS
from shopql.warehouse.guard import GuardContext, guard_sql
from tests.security.attacks import attack_table


def _rendered_head(node: exp.Func) -> str:
    """What the guard did before the shortcut: render the call, read its name."""
    head = node.sql(dialect="duckdb").split("(", 1)[0].strip()
    return head.lower() if head.replace("_", "").isalnum() else node.sql_name().lower()


def test_function_names_without_rendering_equal_the_rendered_names(schema: dict) -> None:
    names = sorted(ALLOWED_SCALAR | set(DENIED_SCALAR) | set(AMPLIFIERS) | LIST_GENERATORS)
    corpus = [sql for *_, sql in attack_table(schema)]
    for name in names:
        corpus += [f"select {name}(a) from t", f"select {name}(a, 2) from t",
                   f"select {name}(a, 'x', 3) from t"]  # fmt: skip
    checked = shortcut = 0
    for sql in corpus:
        try:
            tree = sqlglot.parse_one(sql, read="duckdb")
        except sqlglot.errors.SqlglotError:
            continue
        for node in tree.find_all(exp.Func):
            if isinstance(node, exp.Anonymous):
                continue
            try:
                expected = _rendered_head(node)
            except Exception:  # a call sqlglot cannot render: the guard fails closed on it
                continue
            checked += 1
            shortcut += guard._default_head(node) is not None
            assert guard._function_name(node) == expected, sql
    assert checked > 500 and shortcut > 200  # the corpus exercises both ways


def test_amplifiers_are_still_bounded_and_generators_counted(schema: dict) -> None:
    ctx = GuardContext(schema=schema)
    assert "CASE WHEN" in guard_sql("select repeat(status, 1000000000) from orders", ctx)
    with pytest.raises(GuardError, match="literal numbers only"):
        guard_sql("select range(paid_amount) from orders", ctx)


def test_one_binder_per_schema_whatever_tables_a_query_names(schema: dict) -> None:
    ctx = GuardContext(schema=dict(schema))  # a schema object of its own
    guard_sql("select count(*) from orders", ctx)
    guard_sql("select count(*) from customers", ctx)
    guard_sql(
        "select o.platform, count(*) from orders o join customers c using (customer_id) group by 1",
        ctx,
    )
    _, _, created = guard._binders[id(ctx.schema)]
    assert {"orders", "customers"} <= created
    with pytest.raises(GuardError, match="does not bind"):  # types still bound by DuckDB
        guard_sql("select paid_amount + platform from orders", ctx)


def test_unknown_columns_are_named_whether_or_not_the_binder_runs(schema: dict) -> None:
    ctx = GuardContext(schema=schema)
    message = r"no column 'paid_amout' in orders; did you mean paid_amount"
    with pytest.raises(GuardError, match=message):
        guard_sql("select sum(paid_amout) from orders", ctx)
    without_binder = tuple(r for r in guard.RULES if r is not guard.binder_check)
    with pytest.raises(GuardError, match=message):
        guard_sql("select sum(paid_amout) from orders", ctx, rules=without_binder)
    with pytest.raises(GuardError, match="no column 'provnce'"):  # inside a CTE, in a join
        guard_sql(
            "with x as (select o.order_id, c.provnce from orders o join customers c "
            "using (customer_id)) select * from x",
            ctx,
        )
