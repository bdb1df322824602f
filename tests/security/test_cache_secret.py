"""The user's cache secret (`cache.key`) is made whole or not at all: a process that reads it while
another makes it never sees part of one, processes making it at once end with one secret, and a
secret left empty or short by an interrupted maker is made again instead of switching caching off
for good."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from shopql import keyed_cache
from shopql.keyed_cache import SECRET_NAME, read_keyed, write_keyed


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("SHOPQL_CONFIG_DIR", str(folder))
    monkeypatch.setattr(keyed_cache, "_secret", {})
    return folder


def test_makers_at_once_end_with_one_whole_secret(config: Path) -> None:
    path = config / SECRET_NAME
    got: list[bytes | None] = []
    start = threading.Barrier(8)

    def make() -> None:
        start.wait()
        got.append(keyed_cache._read_or_make_secret(path))

    threads = [threading.Thread(target=make) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 8
    assert {len(g) for g in got if g is not None} == {32}
    assert set(got) == {path.read_bytes()}  # every maker read back the one secret on disk
    assert path.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in config.iterdir()) == [SECRET_NAME]  # no temporary file left


@pytest.mark.parametrize("left", [b"", b"\x01" * 7])
def test_a_secret_cut_short_is_made_again(config: Path, left: bytes, tmp_path: Path) -> None:
    """An older shopql wrote the secret in place; one killed between creating and writing it
    left an empty (or short) file, and from then on nothing was ever cached."""
    config.mkdir()
    path = config / SECRET_NAME
    path.write_bytes(left)
    path.chmod(0o600)
    target = tmp_path / "e.pickle"
    write_keyed(target, "k", [1, 2])
    assert read_keyed(target, "k") == [1, 2]
    assert len(path.read_bytes()) == 32


def test_a_short_secret_of_someone_else_is_left_alone(config: Path, tmp_path: Path) -> None:
    """Only the user's own private file is replaced: one that others may read is not a secret
    and is not touched either (the user should see what put it there)."""
    config.mkdir()
    path = config / SECRET_NAME
    path.write_bytes(b"")
    path.chmod(0o644)
    target = tmp_path / "e.pickle"
    write_keyed(target, "k", [1])
    assert not target.exists() and read_keyed(target, "k") is None
    assert path.read_bytes() == b""


def test_a_link_at_the_name_is_not_replaced(config: Path, tmp_path: Path) -> None:
    config.mkdir()
    other = tmp_path / "other"
    other.write_bytes(b"")
    other.chmod(0o600)
    (config / SECRET_NAME).hardlink_to(other)
    write_keyed(tmp_path / "e.pickle", "k", [1])
    assert read_keyed(tmp_path / "e.pickle", "k") is None
    assert other.read_bytes() == b"" and os.stat(other).st_nlink == 2
