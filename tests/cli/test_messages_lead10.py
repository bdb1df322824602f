"""One clear line for a user's slip: a metric named loosely (gmv, revenue, 销售额) gets the
catalog's names it most likely meant, found through synonyms as well as spelling; a damaged
workbook or archive is named once in its error, not twice."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import cli_in_process


def _error(workspace: Path, *args: str) -> tuple[int, str]:
    done = cli_in_process("--workspace", str(workspace), *args)
    return done.returncode, done.stderr.strip()


def test_loose_metric_names_get_the_metrics_they_mean(workspace: Path) -> None:
    code, said = _error(workspace, "metric", "revenue")  # paid_gmv first (reviewers spelt close)
    assert code == 2 and said.startswith("error: unknown metric revenue — did you mean paid_gmv")
    assert _error(workspace, "metric", "销售额") == (
        2,
        "error: unknown metric 销售额 — did you mean paid_gmv?",
    )
    code, said = _error(workspace, "metric", "gmv")
    assert code == 2 and said.startswith("error: unknown metric gmv — did you mean ")
    assert {"paid_gmv", "placed_gmv"} <= set(said.split("did you mean ")[1].rstrip("?").split(", "))
    code, said = _error(workspace, "metric", "paid_gmv", "--by", "platfrom")
    assert (code, said) == (2, "error: unknown dimension platfrom — did you mean platform?")
    code, said = _error(workspace, "metric", "zzqx")
    assert (code, said) == (2, "error: unknown metric zzqx — see `shopql catalog metrics`")


def test_a_damaged_workbook_or_archive_is_named_once(workspace: Path, tmp_path: Path) -> None:
    for name in ("bad.xlsx", "bad.zip"):
        (tmp_path / name).write_bytes(b"PK\x03\x04junk")
    assert _error(workspace, "sync", str(tmp_path / "bad.xlsx")) == (
        1,
        f"error: {tmp_path / 'bad.xlsx'}: cannot open the workbook (BadZipFile) — if it is "
        "password-protected, open it in Excel and save it as CSV",
    )
    code, said = _error(workspace, "sync", str(tmp_path / "bad.zip"))
    assert said == (
        f"error: {tmp_path / 'bad.zip'}: not a readable zip archive — re-download the export"
    )
    assert code != 0
