"""Found in session 40's review: a folder the system will not let shopql create or write (a
path through a file, /proc, a read-only mount) ended in "error: unexpected FileNotFoundError …
rerun with --debug and report it" — a user's slip reported as shopql's bug — from `init`, `demo`,
`lake export` and `sql --out`; and an empty query said "exactly one statement may run, got 0"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import cli_in_process


def _error(*args: str) -> tuple[int, str]:
    done = cli_in_process(*args)
    assert done.stdout == "" or "error" not in done.stdout
    return done.returncode, done.stderr.strip()


def test_a_folder_that_cannot_be_made_is_the_users_one_line(
    workspace: Path, tmp_path: Path
) -> None:
    (tmp_path / "afile").write_text("x")
    for args, path in [
        (("init", str(tmp_path / "afile" / "ws")), tmp_path / "afile" / "ws"),
        (("--workspace", str(workspace), "lake", "export", str(tmp_path / "afile" / "lake")),
         tmp_path / "afile" / "lake"),
    ]:  # fmt: skip
        assert _error(*args) == (
            1,
            f"error: {path}: Not a directory — check the path and that you may write there",
        )
    assert not (tmp_path / "afile").is_dir()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="Linux's /proc: no file can be made")
def test_a_folder_that_cannot_be_written_names_the_folder(workspace: Path) -> None:
    code, said = _error("--workspace", str(workspace), "sql", "select 1", "--out", "/proc/x.csv")
    assert code == 1
    assert said.startswith("error: cannot write in /proc: ")  # not the temporary .part file
    assert said.endswith(" — choose a folder you may write in for --out")
    assert ".part" not in said and "unexpected" not in said
    code, said = _error("init", "/proc/shopql-ws")
    assert (code, said.split(":")[0]) == (1, "error")
    assert "unexpected" not in said and said.endswith("check the path and that you may write there")


def test_an_empty_query_is_said_to_be_empty(workspace: Path) -> None:
    for sql in ("", " ; ", ";;"):
        assert _error("--workspace", str(workspace), "sql", sql) == (
            3,
            "error: the query is empty — give one SELECT, e.g. select count(*) from orders",
        )
