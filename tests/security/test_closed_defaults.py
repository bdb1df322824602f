"""A caller that forgets to say whose view it wants gets the masked one, and a role gets no right
it was not given.

Attacks (each worked before this fix):
- `customer_view(con, ref)` / `explain(con, one_id)` called without a policy (a new board panel,
  a script over the library) showed raw phones, e-mails and account keys: they defaulted to
  ``show``. So did a bare `GuardContext()` (role admin: raw personal data and `_audit`),
  `run_guarded(path, sql)` without a role (admin), and a `Settings` made without a role (admin).
- `shopql --role analyst identity build --max-shared 1000` rewrote every person's one_id (any
  role could run it, with options that join accounts on junk values)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from shopql.cli.main import main
from shopql.config import UNKNOWN_USER_ROLE, Settings
from shopql.errors import GuardError
from shopql.insights.customer360 import customer_view, explain
from shopql.warehouse.guard import GuardContext, guard_sql
from shopql.warehouse.query import run_guarded
from tests.conftest import demo_seed7, warehouse_reader


@pytest.fixture(scope="module")
def person(attack_ws: Path) -> str:
    """A person with several accounts and a phone as stored in full (their values are what a
    default leaks; a phone the platform already masked, `188****3659`, is no secret). Which
    person comes first depends on the OneIDs, which differ between machines."""
    with warehouse_reader(attack_ws) as con:
        row = con.execute(
            """SELECT i.one_id FROM one_ids i JOIN customers c USING (customer_id)
               GROUP BY 1 HAVING count(*) >= 2
                 AND count(c.phone) FILTER (WHERE c.phone NOT LIKE '%*%') >= 1
               ORDER BY 1 LIMIT 1"""
        ).fetchone()
    assert row is not None
    return str(row[0])


def _phones(doc: dict) -> list:
    return sorted(str(a["phone"]) for a in doc["accounts"])


def test_person_views_without_a_policy_are_masked(attack_ws: Path, person: str) -> None:
    with warehouse_reader(attack_ws) as con:
        default = customer_view(con, person)
        masked = customer_view(con, person, "mask")
        shown = customer_view(con, person, "show")  # the control: what a default used to give
        how = explain(con, person)
        how_masked = explain(con, person, "mask")
        how_shown = explain(con, person, "show")
    assert default == masked and how == how_masked
    raw = {str(a["phone"]) for a in shown["accounts"] if a["phone"] and "*" not in a["phone"]}
    assert raw and not raw & set(_phones(default))
    assert all("****" in p for p in _phones(default) if p != "None")
    keys = {a["customer_id"] for a in shown["accounts"]}
    assert not keys & {a["customer_id"] for a in default["accounts"]}
    assert json.dumps(how_shown, default=str) != json.dumps(how, default=str)
    assert not keys & {k for r in how["joined_by"] for k in r["accounts"]}


def test_a_bare_guard_context_is_an_unknown_users(attack_ws: Path) -> None:
    ctx = GuardContext()
    assert (ctx.role, ctx.pii_policy, ctx.is_admin) == (UNKNOWN_USER_ROLE, "mask", False)
    assert "_shopql_masked_" in guard_sql("select phone from customers")
    with pytest.raises(GuardError, match="admin role only"):
        guard_sql("select * from _audit")
    full = "select count(*) from customers where phone not like '%*%'"  # a phone as stored
    with warehouse_reader(attack_ws) as con:
        raw = con.execute(full).fetchone()
        shown = con.execute(guard_sql(full)).fetchone()
    assert raw is not None and raw[0] > 0 and shown == (0,)


def test_run_guarded_and_settings_need_a_role(attack_ws: Path) -> None:
    with pytest.raises(TypeError, match="role"):
        run_guarded(attack_ws / "warehouse.duckdb", "select 1")  # type: ignore[call-arg]
    bare = Settings(workspace=attack_ws)
    assert (bare.role, bare.max_role) == (UNKNOWN_USER_ROLE, UNKNOWN_USER_ROLE)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        main(list(args))
    out = capsys.readouterr()
    return int(done.value.code or 0), out.out, out.err


def test_identity_build_is_for_the_admin_role_only(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = demo_seed7(tmp_path_factory)  # a private copy: the admin's build below writes it
    with (ws / "shopql.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[roles.auditor]\npii = "show"\n')  # sees everything, still not admin
    before = _digest(ws / "warehouse.duckdb")
    for role in ("analyst", "marketer", "auditor"):
        code, out, err = _run(
            capsys, "-w", str(ws), "--role", role, "identity", "build", "--max-shared", "1000"
        )
        assert (code, out) == (3, "")
        (line,) = err.strip().splitlines()
        assert line.startswith(f"error: role {role} may not run `identity build`")
        assert _digest(ws / "warehouse.duckdb") == before  # nothing written
    code, out, err = _run(capsys, "-w", str(ws), "identity", "build", "--format", "json")
    assert code == 0, err  # the owner (admin) may
    with warehouse_reader(ws) as con:
        persons = con.execute("SELECT count(DISTINCT one_id) FROM one_ids").fetchone()
    assert persons is not None and json.loads(out)["persons"] == persons[0] > 0
