"""The guard's shortcuts keep its decisions: the masking views parsed once per text are keyed by
their text (another catalog, role or policy can never reuse one written for another), each query
gets its own nonce, and a size-taking call the shortcut did not name is still bounded."""

from __future__ import annotations

import re

import pytest

from shopql.errors import GuardError
from shopql.warehouse import guard
from shopql.warehouse.guard import BUILTIN_PII, GuardContext, guard_sql


def _nonces(sql: str) -> list[str]:
    return re.findall(r"_shopql_masked_([0-9a-f]{12})", sql)


def test_a_changed_catalog_role_or_policy_never_reuses_a_masking_view(schema: dict) -> None:
    sql = "select province, phone from customers"
    plain = {t: dict(c) for t, c in BUILTIN_PII.items()}
    marked = {t: dict(c) for t, c in BUILTIN_PII.items()}
    marked["customers"]["province"] = "name"  # a catalog that marks one more column personal

    def guarded(policy: str, pii: dict) -> str:
        ctx = GuardContext(schema=schema, role="analyst", pii_policy=policy, pii_columns=pii)
        return guard_sql(sql, ctx)

    first = guarded("mask", plain)
    assert "LEFT(CAST(phone AS TEXT), 3)" in first and "AS province" not in first
    then = guarded("mask", marked)  # the same table, the catalog changed: province masked now
    assert "LEFT(CAST(province AS TEXT), 1) || '**' END AS province" in then
    assert "AS province" not in guarded("mask", plain)  # and back: nothing of the other kept
    with pytest.raises(GuardError, match="column 'phone' holds personal data"):
        guarded("deny", plain)  # another policy, the same table: its own decision
    denied = GuardContext(schema=schema, role="viewer", pii_policy="deny", pii_columns=plain)
    assert "EXCLUDE (" in guard_sql("select province from customers", denied)
    shown = GuardContext(schema=schema, role="admin", pii_policy="show", pii_columns=plain)
    assert "_shopql_masked_" not in guard_sql(sql, shown)


def test_each_query_gets_its_own_nonce_and_the_parsed_view_is_never_changed(schema: dict) -> None:
    ctx = GuardContext(schema=schema, role="analyst", pii_policy="mask")
    sql = "select o.order_id, c.phone from orders o join customers c using (customer_id)"
    first, second = guard_sql(sql, ctx), guard_sql(sql, ctx)
    a, b = _nonces(first), _nonces(second)
    assert len(a) == 2 and len(set(a)) == 1 and len(b) == 2 and a[0] != b[0]
    assert first.replace(a[0], "N") == second.replace(b[0], "N")  # the same SQL otherwise
    hits = guard._parsed_masking.cache_info().hits
    third = guard_sql(sql, ctx)  # from the parsed views: a nonce of its own, the slot never
    assert guard._parsed_masking.cache_info().hits > hits
    c = _nonces(third)
    assert len(c) == 2 and c[0] not in (a[0], b[0]) and guard._NONCE_SLOT not in third
    assert third.replace(c[0], "N") == first.replace(a[0], "N")


def test_a_size_taking_call_the_shortcut_did_not_name_is_bounded_all_the_same(
    schema: dict,
) -> None:
    """bounded_sizes names no call when DuckDB's parse of the query as given calls no
    size-taking function; should the SQL that will run call one after all, every rule runs
    again naming each call. Simulated: a rule that makes the guard forget what it found."""

    def forget(tree, ctx):  # type: ignore[no-untyped-def]
        tree.meta[guard._SOURCE_CALLS] = set()
        return tree

    rules = list(guard.RULES)
    rules.insert(rules.index(guard.bounded_sizes), forget)
    ctx = GuardContext(schema=schema)
    sql = "select repeat(status, 1000000000) from orders"
    bounded = guard_sql(sql, ctx, rules=tuple(rules))
    assert "CASE WHEN" in bounded and "may build at most" in bounded
    usual = guard_sql(sql, ctx)
    assert bounded.replace(_nonces(bounded)[0], "N") == usual.replace(_nonces(usual)[0], "N")
    with pytest.raises(GuardError, match="literal numbers only"):
        guard_sql("select range(paid_amount) from orders", ctx, rules=tuple(rules))
    # a query calling none of them runs the rules once and is as before
    assert guard_sql("select count(*) from orders", ctx, rules=tuple(rules)).endswith("LIMIT 10000")
