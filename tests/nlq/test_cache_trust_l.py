"""The on-disk caches of a workspace (.shopql/cache/*.pickle) are never trusted blindly: a
workspace folder may come from someone else, and unpickling runs code. Each file carries an
HMAC of its key and body under the user's own secret (keyed_cache.py); a forged, edited or
foreign file is a miss and is rebuilt — never unpickled. And the vocabulary is keyed by the
catalog files' text, so an edit that keeps a file's size and time is still seen."""

from __future__ import annotations

import datetime as dt
import os
import pickle
from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.keyed_cache import SECRET_NAME, read_keyed, write_keyed
from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from shopql.nlq.shared import NotUnderstood

TODAY = dt.date(2025, 6, 30)


class _Touch:
    """Unpickling this creates `marker`: what a forged cache file could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch.__get__(self.marker), ())  # type: ignore[return-value]


def _evil(marker: Path) -> bytes:
    return pickle.dumps(_Touch(marker))


def ask(shop: Path, question: str) -> object:
    return answer(Workspace(load_settings(shop), today=TODAY), question, engine="offline")


def test_a_forged_or_edited_cache_file_is_never_unpickled(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "c.pickle"
    key = "k1"
    # the file a stranger can write: the right header and key, a made-up tag, a payload
    for tag in (b"0" * 64, b""):
        path.write_bytes(b"shopql-cache 2\n" + key.encode() + b"\n" + tag + b"\n" + _evil(marker))
        assert read_keyed(path, key) is None
    # the previous format (header, key, pickle) is not read either
    path.write_bytes(b"shopql-cache 1\n" + key.encode() + b"\n" + _evil(marker))
    assert read_keyed(path, key) is None
    assert not marker.exists()
    # a genuine file reads back; one edited byte of its body and it is a miss
    write_keyed(path, key, {"a": [1, 2, 3]})
    assert read_keyed(path, key) == {"a": [1, 2, 3]}
    assert read_keyed(path, "k2") is None
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x01
    path.write_bytes(bytes(data))
    assert read_keyed(path, key) is None
    path.write_bytes(bytes(data[:-10]))  # truncated
    assert read_keyed(path, key) is None


def test_another_users_cache_or_a_loose_secret_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.pickle"
    monkeypatch.setenv("SHOPQL_CONFIG_DIR", str(tmp_path / "alice"))
    write_keyed(path, "k", [42])
    assert read_keyed(path, "k") == [42]
    secret = tmp_path / "alice" / SECRET_NAME
    assert secret.stat().st_mode & 0o777 == 0o600 and len(secret.read_bytes()) == 32
    monkeypatch.setenv("SHOPQL_CONFIG_DIR", str(tmp_path / "bob"))  # another secret
    assert read_keyed(path, "k") is None
    # a secret others may read is no secret: nothing is read or written under it
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / SECRET_NAME).write_bytes(os.urandom(32))
    (loose / SECRET_NAME).chmod(0o644)
    monkeypatch.setenv("SHOPQL_CONFIG_DIR", str(loose))
    other = tmp_path / "d.pickle"
    write_keyed(other, "k", [1])
    assert not other.exists()


def test_forged_workspace_caches_are_rebuilt_and_answer_as_before(
    shop: Path, tmp_path: Path
) -> None:
    assert sorted(ask(shop, "paid GMV by platform").main.rows) == [("jd", 350), ("tmall", 200.5)]
    cache = shop / ".shopql" / "cache"
    names = {"catalog.pickle", "vocabulary.pickle", "glossary.pickle"}
    assert {p.name for p in cache.iterdir()} >= names
    marker = tmp_path / "ran"
    for name in names:  # same header and key as the genuine file, the stranger's payload
        head, key, _tag, _body = (cache / name).read_bytes().split(b"\n", 3)
        (cache / name).write_bytes(b"\n".join([head, key, b"f" * 64, _evil(marker)]))
    assert sorted(ask(shop, "paid GMV by platform").main.rows) == [("jd", 350), ("tmall", 200.5)]
    assert not marker.exists()
    for name in names:  # rebuilt and signed again
        assert b"f" * 64 not in (cache / name).read_bytes()


def test_a_catalog_edit_that_keeps_size_and_time_changes_the_words(shop: Path) -> None:
    """The glossary and vocabulary caches are keyed by the catalog files' text, not their
    times: a lamp word renamed in place ("light" -> "zorbx": same size, the old modification
    time put back) is understood by the next question."""
    assert ask(shop, "units of lamp").main.rows == [(1,)]  # the caches are filled
    with pytest.raises(NotUnderstood):
        ask(shop, "units of zorbx")
    glossary = shop / "catalog" / "glossary.yaml"
    before = glossary.stat()
    text = glossary.read_text(encoding="utf-8")
    assert "en: [lamp, lamps, light, lights]" in text
    edited = text.replace("en: [lamp, lamps, light, lights]", "en: [lamp, lamps, zorbx, lights]")
    glossary.write_text(edited, "utf-8")
    os.utime(glossary, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert glossary.stat().st_size == before.st_size
    assert glossary.stat().st_mtime_ns == before.st_mtime_ns
    assert ask(shop, "units of zorbx").main.rows == [(1,)]  # the one Lamp line


def test_a_hard_link_at_the_secrets_name_is_not_a_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file of the user's own, 0600, 32 bytes, but with a second name (a hard link planted at
    `cache.key`): its bytes belong to another file, so nothing is signed with them."""
    folder = tmp_path / "linked"
    folder.mkdir()
    other = tmp_path / "someone_elses_key"
    other.write_bytes(os.urandom(32))
    other.chmod(0o600)
    (folder / SECRET_NAME).hardlink_to(other)
    monkeypatch.setenv("SHOPQL_CONFIG_DIR", str(folder))
    path = tmp_path / "e.pickle"
    write_keyed(path, "k", [1])
    assert not path.exists() and read_keyed(path, "k") is None
