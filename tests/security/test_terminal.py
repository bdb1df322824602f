"""Text from strangers printed on the user's terminal: a file name or a cell holding terminal
escape sequences (ESC ] 0 ; title BEL sets the window title, ESC [ … m colours, others move the
cursor or, on some terminals, answer back) must be shown, not obeyed. Found in this review:
`shopql sync` printed a zip member's name and `shopql sql` a cell's value with their control
characters raw. They are now shown escaped (``\\x1b``) in tables and messages."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.conftest import run_cli
from tests.security.test_hostile_files import MAPPING

ESC = "\x1b]0;pwned\x07\x1b[2J\x1b[31m"


def test_a_file_name_with_escape_sequences_is_shown_not_obeyed(
    workspace: Path, tmp_path: Path
) -> None:
    mapping = tmp_path / "pos.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(f"a{ESC}b.csv", "单号,金额\n2001,1\n")
        z.writestr(f"c{ESC}d.md", "x")
    done = run_cli("-w", str(workspace), "sync", str(archive), "--mapping", str(mapping))
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout + done.stderr and "\x07" not in done.stdout + done.stderr
    assert "a\\x1b]0;pwned\\x07" in done.stdout  # still there to be read


def test_a_cell_with_escape_sequences_is_shown_not_obeyed(workspace: Path) -> None:
    sql = "select chr(27) || ']0;pwned' || chr(7) || chr(27) || '[2J' as t, 1 as n"
    done = run_cli("-w", str(workspace), "sql", sql)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert "\\x1b]0;pwned\\x07" in done.stdout
    shown = run_cli("-w", str(workspace), "sql", sql, "--format", "json")
    assert "\\u001b]0;pwned\\u0007" in shown.stdout  # JSON escapes them itself


def test_an_error_quoting_a_strangers_text_is_shown_not_obeyed(workspace: Path) -> None:
    done = run_cli("-w", str(workspace), "tags", "show", f"x{ESC}y")
    assert done.returncode == 1 and "\x1b" not in done.stderr and "x\\x1b]0;pwned" in done.stderr
