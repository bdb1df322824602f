"""Derived structures kept on disk between processes (a workspace's .shopql/cache/): a Python
object pickled under a key that names everything it was made of. A read with another key, or of
a missing, truncated or foreign file, is a miss (None): the caller builds the object again and
writes it. Writes are whole or not at all (a concurrent reader sees the old file or the new one).

The files are private to the workspace (mode 0600, like its other state): whoever can write them
can write the catalog and shopql.toml too.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

_MAGIC = b"shopql-cache 1\n"


def read_keyed(path: Path, key: str) -> Any:
    """The object written under `key` at `path`, or None."""
    if not key:
        return None
    try:
        with open(path, "rb") as f:
            if f.readline() != _MAGIC or f.readline() != key.encode() + b"\n":
                return None
            return pickle.load(f)
    except Exception:  # missing, truncated, written by other code: a miss
        return None


def write_keyed(path: Path, key: str, value: Any) -> None:
    """Keep `value` at `path` under `key`; failures are silent (the cache is optional)."""
    if not key or "\n" in key:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + key.encode() + b"\n")
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except Exception:  # unpicklable or unwritable: answer without the cache
        Path(tmp).unlink(missing_ok=True)
