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
