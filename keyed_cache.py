"""Derived structures kept on disk between processes (a workspace's .shopql/cache/): a Python
object pickled under a key that names everything it was made of. A read with another key, or of
a missing, truncated or foreign file, is a miss (None): the caller builds the object again and
writes it. Writes are whole or not at all (a concurrent reader sees the old file or the new one).

A workspace folder may be shared, copied or unpacked from someone else, and unpickling runs
code: so every file carries an HMAC-SHA256 of its key and body under a secret of the user's own
(``cache.key`` in the user config folder, 0600, made on first use), and nothing is unpickled
unless that tag verifies. A file forged, edited or written by another user is a miss; without a
usable secret nothing is cached.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import io
import os
import pickle
import re
import tempfile
import time
from pathlib import Path
from typing import Any

_MAGIC = b"shopql-cache 2\n"
SECRET_NAME = "cache.key"
_SECRET_BYTES = 32
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_secret: dict[str, bytes | None] = {}  # the secret file's path -> its bytes (None: unusable)


def cache_secret() -> bytes | None:
    """The user's cache secret (made on first use), or None when it cannot be had safely."""
    from shopql.config import user_config_dir

    path = user_config_dir() / SECRET_NAME
    key = str(path)
    if key not in _secret:
        _secret[key] = _read_or_make_secret(path)
    return _secret[key]


def _read_or_make_secret(path: Path) -> bytes | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        data, st = _settled(path)
        if data is None:
            _make_secret(path, replace=False)
            data, st = _settled(path)
        elif len(data) != _SECRET_BYTES and st is not None and _own_private_file(st):
            # a short secret is one whose maker died while writing it (an older shopql wrote
            # the file in place): made again, or nothing would ever be cached for this user
            _make_secret(path, replace=True)
            data, st = _read_secret(path)
    except OSError:
        return None
    if data is None or st is None or not _own_private_file(st) or len(data) != _SECRET_BYTES:
        return None
    return data


def _settled(path: Path) -> tuple[bytes | None, os.stat_result | None]:
    """The secret read as `_read_secret` does, read again for a moment while it has a second
    name: a maker links its whole temporary file to the name and then removes the temporary
    name, and a reader in between saw two links (refused, so nothing was cached by that
    process). A second name that stays (planted) is still refused by the caller."""
    data, st = _read_secret(path)
    for _ in range(_SETTLE_TRIES):
        if st is None or st.st_nlink == 1:
            break
        time.sleep(0.005)
        data, st = _read_secret(path)
    return data, st


_SETTLE_TRIES = 40  # 0.2 s at most


def _read_secret(path: Path) -> tuple[bytes | None, os.stat_result | None]:
    """The bytes at `path` (one more than a secret's, so a longer file shows) and its status;
    (None, None) when there is no file."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except FileNotFoundError:
        return None, None
    with os.fdopen(fd, "rb") as f:
        return f.read(_SECRET_BYTES + 1), os.fstat(f.fileno())


def _own_private_file(st: os.stat_result) -> bool:
    """A regular file of the user's own, of one name, that nobody else may read or write (a hard
    link planted at the name is another file's bytes under a second name)."""
    import stat

    uid = os.getuid() if hasattr(os, "getuid") else st.st_uid
    return (
        stat.S_ISREG(st.st_mode)
        and st.st_nlink == 1
        and st.st_uid == uid
        and not st.st_mode & 0o077
    )


def _make_secret(path: Path, *, replace: bool) -> None:
    """Write a new secret whole into a private temporary file beside `path`, then give it the
    name in one step: a concurrent reader sees no secret or the whole secret, never part of one.
    Without `replace` an existing secret wins (os.link refuses an existing name), so two
    processes making it at once end with one secret that both read back."""
    import secrets

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(_SECRET_BYTES))
            f.flush()
            os.fsync(f.fileno())
        if replace:
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass


def _tag(secret: bytes, key: bytes, body: bytes) -> bytes:
    mac = hmac.new(secret, _MAGIC + key + b"\n", hashlib.sha256)
    mac.update(body)
    return mac.hexdigest().encode()


def read_keyed(path: Path, key: str) -> Any:
    """The object written under `key` at `path` by this user, or None."""
    if not key or "\n" in key:
        return None
    secret = cache_secret()
    if secret is None:
        return None
    try:
        data = path.read_bytes()
        head = _MAGIC + key.encode() + b"\n"
        if not data.startswith(head):
            return None
        tag, sep, body = data[len(head) :].partition(b"\n")
        if not sep or not hmac.compare_digest(tag, _tag(secret, key.encode(), body)):
            return None  # forged, edited, truncated or another user's: never unpickled
        return pickle.loads(body)
    except Exception:  # missing, unreadable, written by other code: a miss
        return None


def write_keyed(path: Path, key: str, value: Any) -> None:
    """Keep `value` at `path` under `key`; failures are silent (the cache is optional)."""
    if not key or "\n" in key:
        return
    secret = cache_secret()
    if secret is None:
        return
    try:
        body = _dumps(value)
    except Exception:  # unpicklable: answer without the cache
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + key.encode() + b"\n" + _tag(secret, key.encode(), body) + b"\n")
            f.write(body)
        os.replace(tmp, path)
    except Exception:  # unwritable: answer without the cache
        Path(tmp).unlink(missing_ok=True)


def _dumps(value: Any) -> bytes:
    """`value` pickled, its compiled regular expressions as calls of `_pattern` (pickle's own
    form calls re._compile, whose cache keeps 512 patterns: a vocabulary holds more, so every
    read of one compiled them all again, most of the ~100 ms a question session spent loading
    its vocabulary and glossary)."""
    out = io.BytesIO()
    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return out.getvalue()


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is re.Pattern:
            return _pattern, (obj.pattern, obj.flags)
        return NotImplemented


@functools.lru_cache(maxsize=16_384)
def _pattern(source: str | bytes, flags: int) -> re.Pattern[Any]:
    """A compiled pattern, the same object for the same source and flags in this process (a
    pattern is immutable: re.compile shares them likewise)."""
    return re.compile(source, flags)
