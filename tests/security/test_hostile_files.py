"""Files from strangers through `shopql sync`: zip bombs, archives nested without end (a zip
quine contains itself), members that are not exports, and names that climb out of the
extraction folder. Found in this review: every member of every archive was unpacked to disk
whatever its size, ratio or kind, and archives inside archives were opened at any depth."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.errors import SyncError
from shopql.sync.engine import run_sync
from shopql.sync.reader import ZIP_BOMB_BYTES, expand_inputs
from tests.conftest import run_cli
from tests.sync.helpers import mapping_file, scalar, zip_bytes

MAPPING = """\
source: pos
label: A shop's point-of-sale export
files:
  - kind: sales
    detect: {all: [单号, 金额]}
    fields:
      order_no: {from: 单号, type: id, required: true}
      amount: {from: 金额, type: money, required: true}
    targets:
      - table: orders
        key: [order_id]
        columns:
          order_id: "'pos:' || order_no"
          platform: "'pos'"
          platform_order_id: order_no
          paid_amount: amount
"""
EXPORT = "单号,金额\n1001,12.50\n1002,30.00\n"


@pytest.fixture
def mapping(tmp_path: Path) -> Path:
    return mapping_file(tmp_path, MAPPING)


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(
    workspace: Path, tmp_path: Path, mapping: Path
) -> None:
    bomb = tmp_path / "orders.zip"
    size = ZIP_BOMB_BYTES + (1 << 20)
    bomb.write_bytes(zip_bytes({"good.csv": EXPORT.encode(), "orders.csv": b"0" * size}))
    assert bomb.stat().st_size < size // 250  # what makes it a bomb
    with pytest.raises(SyncError, match="zip bomb, not an export"):
        run_sync(load_settings(workspace), [bomb], mapping=mapping)
    assert (
        scalar(workspace, "SELECT count(*) FROM orders") == 0
    )  # nothing loaded, not even the good member
    done = run_cli("-w", str(workspace), "sync", str(bomb), "--mapping", str(mapping))
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1 and "zip bomb" in done.stderr
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(SyncError, match="zip bomb"):
        expand_inputs([bomb], work)
    assert sum(p.stat().st_size for p in work.rglob("*") if p.is_file()) == 0


def test_a_bomb_found_in_a_folder_is_skipped_and_the_rest_loads(
    workspace: Path, tmp_path: Path, mapping: Path
) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "bomb.zip").write_bytes(zip_bytes({"o.csv": b"1" * (ZIP_BOMB_BYTES + 1)}))
    (folder / "sales.csv").write_text(EXPORT, encoding="utf-8")
    report = run_sync(load_settings(workspace), [folder], mapping=mapping)
    statuses = {Path(f.file).name: f.status for f in report.files}
    assert statuses == {"bomb.zip": "skipped", "sales.csv": "loaded"}
    assert scalar(workspace, "SELECT count(*) FROM orders") == 2


def test_archives_nested_without_end_stop_at_three(
    workspace: Path, tmp_path: Path, mapping: Path
) -> None:
    def nested(depth: int) -> bytes:
        data = zip_bytes({"sales.csv": EXPORT.encode()})
        for level in range(depth - 1):
            data = zip_bytes({f"level{level}.zip": data})
        return data

    shallow, deep = tmp_path / "shallow.zip", tmp_path / "deep.zip"
    shallow.write_bytes(nested(3))
    deep.write_bytes(nested(40))
    report = run_sync(load_settings(workspace), [deep, shallow], mapping=mapping)
    by_archive = {f.file.split("!")[0].rsplit("/", 1)[-1]: f for f in report.files}
    assert by_archive["deep.zip"].status == "skipped"
    assert by_archive["shallow.zip"].status == "loaded"
    assert scalar(workspace, "SELECT count(*) FROM orders") == 2
    skipped = [f for f in report.files if f.status == "skipped"]
    assert len(skipped) == 1 and skipped[0].file.count("!") == 3


def test_members_that_are_not_exports_are_never_written(tmp_path: Path) -> None:
    archive = tmp_path / "mixed.zip"
    archive.write_bytes(
        zip_bytes(
            {
                "sales.csv": EXPORT.encode(),
                "setup.exe": b"MZ" + b"\x90" * 5000,
                "../../../../tmp/escape.csv": EXPORT.encode(),
                "/etc/cron.d/job.txt": b"x",
                "..\\..\\win.csv": EXPORT.encode(),
            }
        )
    )
    work = tmp_path / "work"
    work.mkdir()
    files, skipped = expand_inputs([archive], work)
    written = sorted(
        str(p.relative_to(work)).split("/", 1)[1] for p in work.rglob("*") if p.is_file()
    )
    # names that climb out land inside (a Windows `..\\` name reads as a hidden file: ignored)
    assert written == ["etc/cron.d/job.txt", "sales.csv", "tmp/escape.csv"]
    assert not any(p.name in {"escape.csv", "win.csv"} for p in tmp_path.parent.glob("*"))
    assert all(f.path.resolve().is_relative_to(work.resolve()) for f in files)
    assert [Path(name.split("!")[-1]).name for name, _ in skipped] == ["setup.exe"]


def test_a_workbook_whose_sheet_is_a_bomb_is_refused(
    workspace: Path, tmp_path: Path, mapping: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["单号", "金额"])
    book.active.append(["1001", "12.50"])
    good = tmp_path / "good.xlsx"
    book.save(good)
    bomb = tmp_path / "sales.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":  # padding inside the sheet's XML
                data = data.replace(b"</worksheet>", b" " * (ZIP_BOMB_BYTES + 1) + b"</worksheet>")
            out.writestr(info.filename, data)
    with pytest.raises(SyncError, match="zip bomb"):
        run_sync(load_settings(workspace), [bomb], mapping=mapping)
    assert run_sync(load_settings(workspace), [good], mapping=mapping).files[0].rows_loaded == 1


def test_links_in_a_folder_reach_only_files_inside_it(tmp_path: Path) -> None:
    # A folder from someone else can hold links to any file of the user's (~/.ssh, another
    # brand's export): a link is followed only to a file inside the folder being synced; the
    # others are skipped with one line each, never read and never dropped silently.
    folder, outside = tmp_path / "exports", tmp_path / "private"
    (folder / "sub").mkdir(parents=True)
    outside.mkdir()
    (folder / "sub" / "orders.csv").write_text("a,b\n1,2\n")
    (outside / "secret.csv").write_text("a,b\n3,4\n")
    (folder / "inside.csv").symlink_to(folder / "sub" / "orders.csv")
    (folder / "secret.csv").symlink_to(outside / "secret.csv")
    (folder / "gone.csv").symlink_to(folder / "nothing.csv")
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    files, skipped = expand_inputs([folder], tmp_path / "work")
    assert sorted(f.path.name for f in files) == ["inside.csv", "orders.csv"]
    why = {Path(name).name: reason for name, reason in skipped}
    assert sorted(why) == ["elsewhere", "gone.csv", "secret.csv"]
    assert why["secret.csv"].startswith(
        f"a link to {outside.resolve() / 'secret.csv'}, outside the folder"
    )
    assert why["gone.csv"].startswith("a broken link")
    assert why["elsewhere"].startswith(f"a link to the folder {outside.resolve()}: not followed")
    # named by the user, the same file is read
    named, _ = expand_inputs([folder / "secret.csv"], tmp_path / "work")
    assert [f.path.name for f in named] == ["secret.csv"]
