"""`shopql catalog upgrade`: a workspace made by an older shopql gets this shopql's default catalog
files, a file the user edited is never overwritten, and nothing is written when the result would
not load. The two files in tests/catalog/old_pack/ are texts earlier shopql versions shipped
(festivals.yaml of d3c9230, value_names.yaml of bcc3eeb), taken from git."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from shopql.catalog import upgrade as up
from shopql.catalog.store import default_pack_dir
from tests.conftest import cli_in_process

OLD = Path(__file__).parent / "old_pack"
PACK = sorted(p.name for p in default_pack_dir().glob("*.yaml"))


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    folder = tmp_path / "shop"
    assert cli_in_process("init", str(folder)).returncode == 0
    return folder


def _json(ws: Path, *args: str) -> tuple[int, dict[str, object], str]:
    r = cli_in_process("--workspace", str(ws), "catalog", "upgrade", *args, "--format", "json")
    return r.returncode, (json.loads(r.stdout) if r.stdout.strip() else {}), r.stderr


def _statuses(doc: dict[str, object]) -> dict[str, str]:
    return {f["file"]: f["status"] for f in doc["files"]}  # type: ignore[attr-defined,index]


def test_a_fresh_workspace_is_current(ws: Path) -> None:
    code, doc, err = _json(ws)
    assert code == 0
    assert _statuses(doc) == {name: "current" for name in PACK}
    assert len(PACK) == 12
    assert "changed 0 of 12 default catalog files" in err
    assert not (ws / "catalog" / up.ASIDE).exists()  # nothing to set aside: nothing written


def test_older_shipped_files_are_replaced_and_missing_ones_added(ws: Path) -> None:
    catalog = ws / "catalog"
    for name in ("festivals.yaml", "value_names.yaml"):
        shutil.copyfile(OLD / name, catalog / name)
    (catalog / "tags.yaml").unlink()
    before = (catalog / "festivals.yaml").read_text(encoding="utf-8")
    assert before != (default_pack_dir() / "festivals.yaml").read_text(encoding="utf-8")

    code, doc, err = _json(ws, "--dry-run")
    assert code == 0 and doc["dry_run"] is True
    seen = _statuses(doc)
    assert (seen["festivals.yaml"], seen["value_names.yaml"], seen["tags.yaml"]) == (
        "upgraded",
        "upgraded",
        "added",
    )
    assert sum(s == "current" for s in seen.values()) == 9
    assert "would change 3 of 12" in err
    assert (catalog / "festivals.yaml").read_text(encoding="utf-8") == before  # dry run
    assert not (catalog / "tags.yaml").exists()

    code, doc, err = _json(ws)
    assert code == 0 and "changed 3 of 12" in err
    for name in ("festivals.yaml", "value_names.yaml", "tags.yaml"):
        assert (catalog / name).read_bytes() == (default_pack_dir() / name).read_bytes()
    assert set(_statuses(_json(ws)[1]).values()) == {"current"}  # a second run changes nothing
    # the doctor agrees
    r = cli_in_process("--workspace", str(ws), "doctor", "--format", "json")
    check = next(c for c in json.loads(r.stdout)["checks"] if c["name"] == "catalog version")
    assert check["status"] == "ok"


def test_an_edited_file_is_kept_and_the_new_default_set_aside(ws: Path) -> None:
    catalog = ws / "catalog"
    shutil.copyfile(OLD / "festivals.yaml", catalog / "festivals.yaml")
    mine = (catalog / "glossary.yaml").read_text(encoding="utf-8") + "# 我的备注: my own words\n"
    (catalog / "glossary.yaml").write_text(mine, encoding="utf-8")

    r = cli_in_process("--workspace", str(ws), "doctor", "--format", "json")
    check = next(c for c in json.loads(r.stdout)["checks"] if c["name"] == "catalog version")
    assert check["status"] == "problem"
    assert check["detail"] == (
        "1 default catalog file(s) older than this shopql's: festivals.yaml; "
        "your edits of glossary.yaml differ from this shopql's"
    )
    assert check["fix"] == "run `shopql catalog upgrade` (files you edited are kept)"

    code, doc, err = _json(ws)
    assert code == 0
    seen = {f["file"]: f for f in doc["files"]}  # type: ignore[attr-defined]
    assert seen["glossary.yaml"] == {
        "file": "glossary.yaml",
        "status": "edited",
        "aside": "_upgrade/glossary.yaml",
    }
    assert seen["festivals.yaml"]["status"] == "upgraded"
    assert (catalog / "glossary.yaml").read_text(encoding="utf-8") == mine  # never overwritten
    aside = catalog / "_upgrade" / "glossary.yaml"
    assert aside.read_bytes() == (default_pack_dir() / "glossary.yaml").read_bytes()
    assert "kept your edits of glossary.yaml" in err
    # the folder set aside is never read as catalog: the catalog lints as before
    assert cli_in_process("--workspace", str(ws), "catalog", "lint").returncode == 0

    # --take replaces it; the user's text is kept aside, byte for byte
    code, doc, err = _json(ws, "--take", "glossary.yaml")
    assert code == 0
    assert _statuses(doc)["glossary.yaml"] == "taken"
    assert (catalog / "glossary.yaml").read_bytes() == (
        default_pack_dir() / "glossary.yaml"
    ).read_bytes()
    assert (catalog / "_upgrade" / "glossary.yours.yaml").read_text(encoding="utf-8") == mine


def test_only_an_admin_rewrites_the_catalog(ws: Path) -> None:
    catalog = ws / "catalog"
    shutil.copyfile(OLD / "festivals.yaml", catalog / "festivals.yaml")
    before = (catalog / "festivals.yaml").read_bytes()
    r = cli_in_process("--workspace", str(ws), "--role", "analyst", "catalog", "upgrade")
    assert r.returncode == 3
    assert r.stderr.count("\n") == 1 and "may not run `catalog upgrade`" in r.stderr
    assert (catalog / "festivals.yaml").read_bytes() == before
    code, doc, _ = _json(ws, "--dry-run")  # what it would do is no secret
    assert code == 0 and _statuses(doc)["festivals.yaml"] == "upgraded"
    r = cli_in_process(
        "--workspace", str(ws), "--role", "analyst", "catalog", "upgrade", "--dry-run"
    )
    assert r.returncode == 0


def test_an_unknown_file_to_take_is_one_line(ws: Path) -> None:
    r = cli_in_process("--workspace", str(ws), "catalog", "upgrade", "--take", "gloss.yaml")
    assert r.returncode == 2
    assert (
        r.stderr.strip().splitlines() == [r.stderr.strip()]
        and "--take gloss.yaml: not a file of the default catalog" in r.stderr
    )


def test_nothing_is_written_when_the_upgraded_catalog_would_not_load(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newer pack whose metrics.yaml names a measure this workspace's catalog does not have (as
    when the user's edit of another file dropped one): the check stops the upgrade before any
    file changes."""
    pack = tmp_path / "pack" / "default"
    shutil.copytree(default_pack_dir(), pack)
    shutil.copyfile(up.history_path(), pack.parent / up.HISTORY)  # today's texts were shipped
    text = (pack / "metrics.yaml").read_text(encoding="utf-8")
    assert "    measure: paid_amount\n" in text
    (pack / "metrics.yaml").write_text(
        text.replace("    measure: paid_amount\n", "    measure: no_such_measure\n", 1),
        encoding="utf-8",
    )
    monkeypatch.setattr(up, "default_pack_dir", lambda: pack)
    catalog = ws / "catalog"
    shutil.copyfile(OLD / "festivals.yaml", catalog / "festivals.yaml")
    before = {p.name: p.read_bytes() for p in catalog.iterdir() if p.is_file()}

    steps = up.plan(catalog)
    assert {s.name: s.status for s in steps}["metrics.yaml"] == "upgraded"  # the shipped text
    with pytest.raises(up.UsageError) as e:
        up.upgrade(ws)
    assert "no_such_measure" in e.value.message and "nothing was changed" in e.value.message
    assert {p.name: p.read_bytes() for p in catalog.iterdir() if p.is_file()} == before
    assert not (catalog / up.ASIDE).exists()


def test_the_history_knows_every_text_this_shopql_ships() -> None:
    """Whoever edits the default pack runs `python -m shopql.catalog.upgrade --record`, so a
    workspace that holds today's text is upgraded by the next shopql (not taken for an edit)."""
    data = json.loads(up.history_path().read_text(encoding="utf-8"))
    for path in default_pack_dir().glob("*.yaml"):
        assert up.fingerprint(path.read_text(encoding="utf-8")) in data["files"][path.name], (
            f"{path.name}: run `python -m shopql.catalog.upgrade --record`"
        )
    assert sum(len(v) for v in data["files"].values()) >= 560  # every version since the start


@pytest.mark.parametrize("link", ["catalog/_upgrade", "catalog/festivals.yaml", "catalog"])
def test_links_in_a_strangers_workspace_are_refused(ws: Path, tmp_path: Path, link: str) -> None:
    """A workspace from someone else may link catalog/, catalog/_upgrade or a catalog file to
    any folder (start-up scripts): the upgrade writes nothing through a link."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    catalog = ws / "catalog"
    shutil.copyfile(OLD / "festivals.yaml", catalog / "festivals.yaml")
    target = ws / link
    if link == "catalog":
        shutil.copytree(catalog, elsewhere / "catalog")
        shutil.rmtree(catalog)
        target.symlink_to(elsewhere / "catalog")
    elif link.endswith(".yaml"):
        shutil.copyfile(target, elsewhere / "festivals.yaml")
        target.unlink()
        target.symlink_to(elsewhere / "festivals.yaml")
    else:
        target.symlink_to(elsewhere)
    before = sorted((p.relative_to(tmp_path), p.read_bytes()) for p in elsewhere.rglob("*.yaml"))
    r = cli_in_process("--workspace", str(ws), "catalog", "upgrade")
    assert r.returncode == 1
    assert "is a symbolic link: catalog upgrade writes only files of the workspace" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    after = sorted((p.relative_to(tmp_path), p.read_bytes()) for p in elsewhere.rglob("*.yaml"))
    assert after == before  # nothing written through the link


def test_a_refusal_in_a_workspace_behind_says_so(ws: Path) -> None:
    question = ("ask", "how many unicorns did we sell", "--engine", "offline")
    r = cli_in_process("--workspace", str(ws), *question)
    assert r.returncode == 5 and "note:" not in r.stderr  # current: the refusal alone
    shutil.copyfile(OLD / "festivals.yaml", ws / "catalog" / "festivals.yaml")
    r = cli_in_process("--workspace", str(ws), *question)
    assert r.returncode == 5
    assert r.stderr.splitlines()[0] == (
        "note: this workspace's catalog is older than this shopql's (1 default file(s)): "
        "`shopql catalog upgrade` may let it read this question"
    )
    assert "could not place 'unicorns'" in r.stderr.splitlines()[1]


def test_glossary_write_keeps_the_pack_file_upgradable(ws: Path) -> None:
    """`catalog glossary --suggest --write` adds to catalog/glossary_mine.yaml: the pack's
    glossary.yaml stays a shipped text, so an upgrade replaces it (not 'edited')."""
    from shopql.nlq.glossary import Suggestion, write_suggestions

    catalog = ws / "catalog"
    shutil.copyfile(OLD / "festivals.yaml", catalog / "festivals.yaml")
    entry = Suggestion("beanbag", {"en": ["beanbag"], "zh": ["懒人豆袋"]}, "titles of one SPU")
    assert write_suggestions(catalog, [entry]) == catalog / "glossary_mine.yaml"
    code, doc, _ = _json(ws, "--dry-run")
    assert _statuses(doc)["glossary.yaml"] == "current"
    assert "glossary_mine.yaml" not in _statuses(doc)  # the user's own file: never touched
