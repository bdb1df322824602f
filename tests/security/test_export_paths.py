"""Exports must not write or delete outside what they own. Found in this review:
`shopql lake export DIR` into a folder that already held the user's own files replaced every
sub-folder named like a table (``products/``, ``orders/`` …) with the lake's, deleting what was in
it; and the next export deleted whatever paths an edited ``manifest.json`` named as old tables or
partitions, ``../`` included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.warehouse.lake import LakeError, export_lake
from tests.conftest import run_cli


def test_a_lake_is_not_written_into_a_folder_of_other_files(
    attack_ws: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "documents"
    (mine / "products").mkdir(parents=True)
    (mine / "products" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(LakeError, match="not a shopql lake"):
        export_lake(load_settings(attack_ws), mine)
    assert (mine / "products" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in mine.iterdir()) == ["products"]
    done = run_cli("-w", str(attack_ws), "lake", "export", str(mine))
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    assert (mine / "products" / "notes.txt").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    report = export_lake(load_settings(attack_ws), empty)  # an empty folder is fine
    assert report.manifest["tables"]["products"]["rows"] > 0


def test_an_edited_manifest_cannot_make_the_next_export_delete_outside_the_lake(
    attack_ws: Path, tmp_path: Path
) -> None:
    lake = tmp_path / "share" / "lake"
    settings = load_settings(attack_ws)
    export_lake(settings, lake)
    victims = [tmp_path / "share" / "victim", tmp_path / "victim2", tmp_path / "victim3"]
    for victim in victims:
        victim.mkdir(parents=True)
        (victim / "keep.txt").write_text("keep", encoding="utf-8")
    manifest = json.loads((lake / "manifest.json").read_text(encoding="utf-8"))
    manifest["tables"]["../victim"] = {"columns": {}, "rows": 1, "partitions": {}}
    parts = manifest["tables"]["orders"]["partitions"]
    parts["_platform=x/../../../../victim2/_month=y"] = {"rows": 1, "checksum": "1:1"}
    manifest["tables"]["shops"]["partitions"] = {"../../../victim3": {"rows": 1, "checksum": "x"}}
    (lake / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    try:
        export_lake(settings, lake)
    except LakeError:
        pass  # refusing the edited manifest is as good as ignoring its paths
    for victim in victims:
        assert (victim / "keep.txt").read_text(encoding="utf-8") == "keep", victim


# --- output files through links (this session) --------------------------------------------------
# Attack (worked before): `--out /tmp/report.csv`, where another local user had planted
# /tmp/report.csv -> ~/.bashrc: the export resolved the link and REPLACED ~/.bashrc with the CSV
# (cells of synced stranger text included); a link planted at the guessable temporary name
# (.report.csv.<pid>.part) was written through too, and segment exports opened `--out` as is.


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, Path]:
    """A victim file and a shared folder to plant links in."""
    victim = tmp_path / "home" / ".bashrc"
    victim.parent.mkdir()
    victim.write_text("precious\n", encoding="utf-8")
    shared = tmp_path / "shared"
    shared.mkdir()
    return victim, shared


def test_out_through_a_planted_link_is_refused(attack_ws: Path, planted: tuple[Path, Path]) -> None:
    victim, shared = planted
    (shared / "report.csv").symlink_to(victim)
    sql = "select platform, count(*) as n from orders group by 1 order by 1"
    done = run_cli("-w", str(attack_ws), "sql", sql, "--out", str(shared / "report.csv"))
    assert done.returncode == 1 and "symbolic link" in done.stderr, done.stderr
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert (shared / "report.csv").is_symlink() and sorted(shared.iterdir()) == [
        shared / "report.csv"
    ]  # no temporary file left behind
    plain = run_cli("-w", str(attack_ws), "sql", sql, "--out", str(shared / "plain.csv"))
    assert plain.returncode == 0, plain.stderr
    lines = (shared / "plain.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "platform,n" and len(lines) == 6  # five platforms in the demo


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet", "xlsx"])
def test_the_temporary_file_is_never_a_planted_link(
    attack_ws: Path, planted: tuple[Path, Path], fmt: str
) -> None:
    import os

    from shopql.warehouse.export import export_query
    from shopql.warehouse.policy import guard_context

    victim, shared = planted
    out = shared / f"report.{fmt}"
    (shared / f".{out.name}.{os.getpid()}.part").symlink_to(victim)  # the old temporary name
    settings = load_settings(attack_ws)
    result = export_query(
        attack_ws / "warehouse.duckdb",
        "select platform from orders group by 1",
        out,
        ctx=guard_context(settings),
    )
    assert result.row_count == 5
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert out.is_file() and not out.is_symlink() and out.stat().st_size > 0


def test_segment_export_files_are_never_written_through_a_link(
    planted: tuple[Path, Path],
) -> None:
    from shopql.errors import ShopqlError
    from shopql.insights.audience_export import write_file

    victim, shared = planted
    for name in ("audience.csv", "audience.xlsx"):
        (shared / name).symlink_to(victim)
        with pytest.raises(ShopqlError, match="symbolic link"):
            write_file(shared / name, ["one_id"], [["P00000001"]])
        assert victim.read_text(encoding="utf-8") == "precious\n"
    (shared / "folder.csv").mkdir()
    with pytest.raises(ShopqlError, match="not a regular file"):
        write_file(shared / "folder.csv", ["one_id"], [["P00000001"]])
    write_file(shared / "fresh.csv", ["one_id"], [["P00000001"]])
    assert (shared / "fresh.csv").read_text(encoding="utf-8-sig").splitlines() == [
        "one_id",
        "P00000001",
    ]
