"""Attacks tried after the guard was written (issue 10, the review's "one new way around"): a
role that may not see phones or e-mails must not learn them by asking whether a value exists
(equality, LIKE prefixes, edit distance, through a join), nor read them through query shapes
the generated suite does not build (FROM-first, a whole row as a struct, aggregates to one string,
lateral, UNION BY NAME). Each returns the masked values or nothing: never a raw one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.security.conftest import leaked
from tests.security.test_issue10 import rows_of


@pytest.fixture(scope="module")
def known(attack_ws: Path) -> tuple[str, str]:
    """A full phone and an e-mail the warehouse holds (read as admin)."""
    phone = rows_of(
        attack_ws,
        "select phone from customers where phone not like '%*%' and phone is not null "
        "order by phone limit 1",
        role="admin",
    )[0][0]
    email = rows_of(
        attack_ws,
        "select email from customers where email is not null order by email limit 1",
        role="admin",
    )[0][0]
    return phone, email


CONFIRM = (
    "select count(*) from customers where phone = '{phone}'",
    "select count(*) from customers where phone like '{prefix}%'",
    "select count(*) from customers where levenshtein(phone, '{phone}') < 2",
    "select count(*) from identities where identifier_value = '{phone}'",
    "select count(*) from orders o join customers c using (customer_id) where c.phone = '{phone}'",
    "select count(*) from customers where email = '{email}'",
    "select count(*) from customers where lower(email) like '{email_start}%'",
)


@pytest.mark.parametrize("template", CONFIRM)
def test_a_known_value_cannot_be_confirmed(
    attack_ws: Path, known: tuple[str, str], template: str
) -> None:
    phone, email = known
    sql = template.format(phone=phone, prefix=phone[:10], email=email, email_start=email[:6])
    assert rows_of(attack_ws, sql, role="admin")[0][0] >= 1  # the value is there
    assert rows_of(attack_ws, sql)[0][0] == 0  # and the analyst cannot tell


SHAPES = (
    "from customers select phone, email, name",
    "select * from (from customers)",
    "select c from customers c",
    "select to_json(c) from customers c",
    "select string_agg(phone, ',') || string_agg(email, ',') from customers",
    "select * from customers, lateral (select phone as p2, email as e2) t",
    "select * from customers union all by name select * from customers",
    "select (select max(phone) from customers), (select max(email) from customers)",
)


@pytest.mark.parametrize("sql", SHAPES)
def test_other_query_shapes_read_masked_values(
    attack_ws: Path, secrets: set[str], sql: str
) -> None:
    rows = rows_of(attack_ws, sql)
    assert rows and leaked(rows, secrets) == []
