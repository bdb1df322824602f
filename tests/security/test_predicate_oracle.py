"""Predicate oracles on personal data (the review's first open idea): a role that may not see
a column must not learn its raw values by asking questions about them — comparing with a
constant (=, <, LIKE, starts_with, regexp, substr, glob, similar to), ordering or grouping by
the column, min/max, joining it to a table of guesses, window functions, CASE WHEN — on a
warehouse where OneID is NOT built (``one_id`` still holds raw account keys), for one_id,
customer_id, phone, e-mail, names and addresses.

The mechanism, checked here directly: for such a role every table holding personal data is
read through its masking subquery, so EVERY predicate operates on the masked value. The test is
differential: each attack run by the masked role on the real warehouse returns exactly what
the owner gets running it on a copy whose personal-data columns were overwritten with their
masked values. Any shape that reached a raw value would differ. (Tried: none did.)"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from shopql.config import load_settings
from shopql.errors import ShopqlError
from shopql.insights.tags import refresh_tags
from shopql.nlq.session import Workspace
from shopql.warehouse.connection import open_writer, pseudonym_secret
from shopql.warehouse.guard import BUILTIN_PII, DEFAULT_MASK, MASKS, key_macro_sql
from shopql.warehouse.person_key import refresh
from tests.security.conftest import ATTACK_TODAY

# {c}: the column; {k}: a raw value of it (read as the owner); {p}: that value's first 6 chars
ORACLES = (
    "select count(*) from {t} where {c} = '{k}'",
    "select count(*) from {t} where {c} like '{p}%'",
    "select count(*) from {t} where {c} ilike '{p}%'",
    "select count(*) from {t} where {c} < '{p}'",
    "select count(*) from {t} where {c} >= '{p}' and {c} < '{k}'",
    "select count(*) from {t} where starts_with({c}, '{p}')",
    "select count(*) from {t} where prefix({c}, '{p}')",
    "select count(*) from {t} where regexp_matches({c}, '^{p}')",
    "select count(*) from {t} where substr({c}, 1, 6) = '{p}'",
    "select count(*) from {t} where left({c}, 6) = '{p}'",
    "select count(*) from {t} where {c} glob '{p}*'",
    "select count(*) from {t} where {c} similar to '{p}.*'",
    "select count(*) from {t} where contains({c}, '{p}')",
    "select count(*) from {t} where strpos({c}, '{p}') > 0",
    "select count(*) from {t} where hash({c}) = hash('{k}')",
    "select count(*) from {t} where md5({c}) = md5('{k}')",
    "select count(*) from {t} where length({c}) = length('{k}')",
    "select count(*) from {t} where ascii({c}) = ascii('{k}')",
    "select count(*) from {t} where {c} in (select '{k}')",
    "select count(*) from {t} where exists (select 1 where {c} = '{k}')",
    "select count(*) from {t} x join (values ('{k}'), ('{p}')) v(g) on x.{c} = v.g",
    "select count(*) from {t} x join (values ('{p}')) v(g) on x.{c} like v.g || '%'",
    "select sum(case when {c} like '{p}%' then 1 else 0 end) from {t}",
    "select count(*) filter (where {c} = '{k}') from {t}",
    "select min({c}), max({c}) from {t}",
    "select arg_min({c}, {c}), arg_max({c}, {c}) from {t}",
    "select {c}, count(*) from {t} group by 1 order by 2 desc, 1 limit 5",
    "select {c} from {t} where {c} is not null order by {c} limit 3",
    "select {c} from {t} where {c} is not null order by {c} desc limit 3",
    "select rank() over (order by {c}) r from {t} order by r desc limit 1",
    "select count(distinct {c}) from {t}",
    "select count(*) from {t} where {c} = (select max({c}) from {t})",
    "select count(*) from {t} where {c} between '{p}' and '{k}'",
    "select count(*) from {t} where lower({c}) = lower('{k}')",
    "select count(*) from {t} where cast({c} as blob) = cast('{k}' as blob)",
    "select count(*) from {t} where {c} collate nocase = '{k}'",
    "select count(*) from {t} where levenshtein({c}, '{k}') < 3",
    "select count(*) from {t} where jaro_winkler_similarity({c}, '{k}') > 0.9",
    "with g(v) as (select '{k}') select count(*) from {t}, g where {c} = g.v",
    "select count(*) from (select {c} as z from {t}) where z = '{k}'",
    "select count(*) from {t} where list_contains([{c}], '{k}')",
    "select count(*) from {t} where struct_pack(a := {c}) = struct_pack(a := '{k}')",
)
TARGETS = (  # table, column: every class of personal data
    ("orders", "one_id"),  # `person`: raw account keys while OneID is not built
    ("person_tags", "one_id"),
    ("orders", "customer_id"),  # `key`
    ("events", "user_key"),
    ("customers", "phone"),
    ("customers", "email"),
    ("customers", "name"),
    ("customers", "nick"),
    ("orders", "district"),  # `address`
    ("identities", "identifier_value"),
)


@pytest.fixture(scope="module")
def pair(
    attack_ws: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Workspace, Workspace, dict[tuple[str, str], str]]]:
    """(the analyst on the real warehouse, the owner on the masked copy, a raw value per target)
    — OneID not built for every account off Tmall."""
    root = tmp_path_factory.mktemp("oracle")
    real, masked = root / "real", root / "masked"
    shutil.copytree(attack_ws, real, ignore=shutil.ignore_patterns("exports", "_truth"))
    con = open_writer(real / "warehouse.duckdb")
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute("UPDATE customers SET one_id = NULL WHERE platform <> 'tmall'")
        refresh(con)
        con.execute("COMMIT")
        refresh_tags(con, as_of=ATTACK_TODAY)
        raw = {}
        for table, column in TARGETS:
            found = con.execute(
                f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL AND {column} NOT LIKE "
                f"'%*%' AND NOT regexp_matches({column}, '^P[0-9]+$') ORDER BY 1 LIMIT 1"
            ).fetchone()
            assert found, (table, column)
            raw[table, column] = str(found[0]).replace("'", "''")
    finally:
        con.close()
    shutil.copytree(real, masked)
    con = duckdb.connect(str(masked / "warehouse.duckdb"))
    try:
        con.execute(key_macro_sql(pseudonym_secret(real)))
        found = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        tables = {r[0] for r in found}
        for table, cols in BUILTIN_PII.items():
            if table not in tables:
                continue
            sets = ", ".join(
                f"{c} = " + MASKS.get(k, DEFAULT_MASK).format(c=f"CAST({c} AS VARCHAR)")
                for c, k in cols.items()
            )
            con.execute(f"UPDATE {table} SET {sets}")
    finally:
        con.close()
    analyst = Workspace(load_settings(real, overrides={"role": "analyst"}))
    owner = Workspace(load_settings(masked, overrides={"role": "admin"}))
    yield analyst, owner, raw
    analyst.close()
    owner.close()


def _rows(space: Workspace, sql: str) -> list[str] | str:
    try:
        return sorted(repr(r) for r in space.run(sql, "oracle", source="attack-oracle").rows)
    except ShopqlError as e:
        return f"refused: {type(e).__name__}"


@pytest.mark.parametrize(("table", "column"), TARGETS)
def test_every_predicate_sees_the_masked_value(
    pair: tuple[Workspace, Workspace, dict[tuple[str, str], str]], table: str, column: str
) -> None:
    analyst, owner, raw = pair
    key = raw[table, column]
    differ: list[tuple[str, Any, Any]] = []
    answered = 0
    for template in ORACLES:
        sql = template.format(t=table, c=column, k=key, p=key[:6])
        seen = _rows(analyst, sql)
        if isinstance(seen, str):
            continue  # refused (e.g. not valid for this column's type): nothing learnt
        answered += 1
        truth = _rows(owner, sql)
        if seen != truth:
            differ.append((sql, seen[:3], truth[:3] if isinstance(truth, list) else truth))
    assert differ == []
    assert answered >= len(ORACLES) - 4  # the attacks ran, they were not all refused
    # and the raw value is really there for the owner of the real warehouse to find
    admin = Workspace(load_settings(analyst.settings.workspace, overrides={"role": "admin"}))
    try:
        hits = admin.run(f"select count(*) from {table} where {column} = '{key}'", "x").rows
    finally:
        admin.close()
    assert hits[0][0] >= 1
