"""Person lookups outside the SQL guard must not confirm personal data: a role that may not see
phones, e-mails or nicks gets the same answer for one that exists as for one that does not —
in `shopql customer` and `identity explain` (tested in tests/insights/test_customer360.py) and,
attacks found in this review, in `shopql tags show PERSON` and `shopql segment create
--from-file` (which resolved a phone, e-mail or nick to its owner's one_id for every role)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shopql.insights.customer360 import IdentityError
from shopql.insights.tags import person_tags, resolve_person
from tests.conftest import cli_in_process, warehouse_reader

MASKED_ROLES = ("analyst", "marketer", "viewer")


@pytest.fixture(scope="module")
def owner(attack_ws: Path) -> dict[str, str]:
    """One person's full phone, e-mail and nick, and their one_id (read as the file's owner)."""
    con = warehouse_reader(attack_ws)
    try:
        phone, email, one_id = con.execute(
            """SELECT c.phone, c.email, i.one_id FROM customers c JOIN one_ids i USING (customer_id)
               WHERE c.phone NOT LIKE '%*%' AND c.email IS NOT NULL
                 AND (SELECT count(*) FROM one_ids j WHERE j.one_id = i.one_id) = 1
               ORDER BY c.customer_id LIMIT 1"""
        ).fetchone()
        nick, nick_owner = con.execute(
            """SELECT c.nick, min(i.one_id) FROM customers c JOIN one_ids i USING (customer_id)
               WHERE c.nick IS NOT NULL GROUP BY c.nick HAVING count(DISTINCT i.one_id) = 1
               ORDER BY c.nick LIMIT 1"""
        ).fetchone()
    finally:
        con.close()
    return {"phone": phone, "email": email, "one_id": one_id, "nick": nick, "nick_of": nick_owner}


def test_the_owner_resolves_phones_emails_and_nicks(attack_ws: Path, owner: dict[str, str]) -> None:
    """The control: with `show` the lookups work (so the refusals below are the policy)."""
    con = warehouse_reader(attack_ws)
    try:
        assert resolve_person(con, owner["phone"], "show") == owner["one_id"]
        assert resolve_person(con, owner["email"], "show") == owner["one_id"]
        assert resolve_person(con, owner["nick"], "show") == owner["nick_of"]
        assert person_tags(con, owner["one_id"], "mask")["one_id"] == owner["one_id"]
        for field in ("phone", "email", "nick"):  # the library refuses by default (fail closed)
            with pytest.raises(IdentityError, match="no person matches"):
                resolve_person(con, owner[field])
    finally:
        con.close()


@pytest.mark.parametrize("field", ["phone", "email", "nick"])
def test_tags_show_does_not_confirm_whose_phone_it_is(
    attack_ws: Path, owner: dict[str, str], field: str
) -> None:
    ws = str(attack_ws)
    shown = cli_in_process("--workspace", ws, "tags", "show", owner[field], "--format", "json")
    assert shown.returncode == 0, shown.stderr  # the owner (admin) finds the person
    assert owner["one_id" if field != "nick" else "nick_of"] in shown.stdout
    for role in ("analyst", "viewer"):
        known = cli_in_process("--workspace", ws, "--role", role, "tags", "show", owner[field])
        unknown = cli_in_process(
            "--workspace", ws, "--role", role, "tags", "show", "x" + owner[field]
        )
        assert known.returncode == unknown.returncode == 1, known.stdout
        assert known.stdout == "" and owner["one_id"] not in known.stderr
        assert known.stderr.replace(owner[field], "?") == unknown.stderr.replace(
            "x" + owner[field], "?"
        )


def test_a_person_list_of_phones_is_not_an_oracle(
    attack_ws: Path, owner: dict[str, str], tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(attack_ws, ws, ignore=shutil.ignore_patterns("exports", "_truth"))
    listed = tmp_path / "phones.txt"
    listed.write_text(f"{owner['phone']}\n{owner['email']}\n", encoding="utf-8")
    made = cli_in_process("--workspace", str(ws), "--role", "analyst", "segment", "create", "s",
                   "--from-file", str(listed))  # fmt: skip
    assert made.returncode == 1 and "2 of 2 lines" in made.stderr, made.stderr
    assert owner["one_id"] not in made.stdout + made.stderr
    by_id = tmp_path / "ids.txt"
    by_id.write_text(f"{owner['one_id']}\n", encoding="utf-8")
    made = cli_in_process("--workspace", str(ws), "--role", "analyst", "segment", "create", "s",
                   "--from-file", str(by_id), "--format", "json")  # fmt: skip
    assert made.returncode == 0 and '"size": 1' in made.stdout, made.stderr
    made = cli_in_process("--workspace", str(ws), "segment", "create", "t", "--from-file", str(listed),
                   "--format", "json")  # fmt: skip
    assert made.returncode == 0 and '"size": 1' in made.stdout, made.stderr  # the owner may
