"""Compiled regular expressions kept between `shopql` processes.

The question engine's vocabulary is regular expressions (~450 of them, some built from the
catalog's words): compiling them was ~0.1 s CPU of every `shopql ask`, a fifth of the process.
Python compiles a pattern in two steps: its own parser and code generator (pure Python, the cost)
turn the pattern's text into a list of small integers, then ``_sre.compile`` (C, cheap) makes
the pattern object from that list. This module keeps what the first step made, per pattern text
and flags, so a later process makes the same pattern object from the same arguments without
parsing again.

`install` (the CLI's own process only; a library user of shopql is left alone) wraps
``re._compiler.compile``: a pattern found in the cache is made by ``_sre.compile`` from the
arguments the real compile gave it last time; any other is compiled as usual and its arguments
noted, and at exit the file is written again when something new was compiled. The arguments are
recorded from the real ``_sre.compile`` call, so a pattern made from the cache is the one Python
would have made (same code, flags, groups and group names); the file is keyed by the Python
build and the regex engine's version (another interpreter reads nothing), carries an HMAC under
the user's own secret (keyed_cache: a file written by anyone else is never unpickled), and any
entry ``_sre.compile`` refuses is compiled afresh. Without the private hooks this relies on
(another Python implementation), nothing is installed.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

FILE_NAME = "regex.pickle"
MAX_ENTRIES = 4000  # past this the file keeps only what the writing process used
_DEBUG = 128  # re.DEBUG: such a compile prints its code, never served from the cache


class RegexCache:
    """The cache at `path`: compile arguments per (pattern, flags), loaded on the first miss."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[tuple[Any, int], tuple[Any, ...]] | None = None
        self.new: dict[tuple[Any, int], tuple[Any, ...]] = {}
        self.used: set[tuple[Any, int]] = set()
        self.hits = 0

    def load(self) -> dict[tuple[Any, int], tuple[Any, ...]]:
        if self.entries is None:
            self.entries = {}  # what the read below compiles is compiled as usual
            from shopql.keyed_cache import read_keyed

            found = read_keyed(self.path, cache_key())
            self.entries = found if isinstance(found, dict) else {}
        return self.entries

    def save(self) -> None:
        """Write the file again when this process compiled something the file did not hold."""
        if not self.new:
            return
        from shopql.keyed_cache import write_keyed

        kept = dict(self.load())
        kept.update(self.new)
        if len(kept) > MAX_ENTRIES:  # patterns of many catalogs or questions: start over
            kept = {k: v for k, v in kept.items() if k in self.used or k in self.new}
        write_keyed(self.path, cache_key(), kept)
        self.entries = kept
        self.new = {}


def cache_key() -> str:
    """What a cached entry depends on: this Python build and its regex engine."""
    import _sre

    build = f"{sys.implementation.cache_tag} {sys.version}".replace("\n", " ")
    return f"regex 1 {build} sre {_sre.MAGIC} {_sre.CODESIZE} {_sre.MAXGROUPS}"


def default_path() -> Path:
    from shopql.config import user_cache_dir

    return user_cache_dir() / FILE_NAME


_installed: RegexCache | None = None


def installed() -> RegexCache | None:
    return _installed


def install(path: Path | None = None, save_at_exit: bool = True) -> RegexCache | None:
    """Serve this process's regex compiles from the cache at `path` (default: the user cache
    folder's regex.pickle); write new ones there at exit. Returns the cache (None when this
    Python offers no hook). A second call returns the first cache."""
    global _installed
    if _installed is not None:
        return _installed
    try:
        import _sre
        from re import _compiler  # type: ignore[attr-defined]
    except ImportError:
        return None
    real_compile = getattr(_compiler, "compile", None)
    real_sre = getattr(_compiler, "_sre", None)
    if real_compile is None or real_sre is not _sre or not callable(_sre.compile):
        return None
    cache = RegexCache(path or default_path())
    make = _sre.compile
    last = threading.local()

    class _RecordingSre:
        """_sre as re._compiler sees it, whose compile also notes the arguments it was given."""

        def __init__(self) -> None:
            for name, value in vars(_sre).items():
                if name != "compile" and not name.startswith("__"):
                    setattr(self, name, value)

        @staticmethod
        def compile(*args: Any) -> Any:
            last.args = args
            return make(*args)

    def compile(p: Any, flags: int = 0) -> Any:
        if type(p) not in (str, bytes) or type(flags) is not int or flags & _DEBUG:
            return real_compile(p, flags)
        key = (p, flags)
        args = cache.load().get(key)  # dict reads and writes are atomic: no lock
        if args is not None:
            try:
                made = make(*args)
            except Exception:  # not arguments this engine takes: compiled afresh below
                pass
            else:
                if made.pattern == p:
                    cache.used.add(key)
                    cache.hits += 1
                    return made
        last.args = None
        made = real_compile(p, flags)
        args = getattr(last, "args", None)
        if args is not None and args[0] is p:  # the call that made this pattern
            cache.new[key] = tuple(_plain(a) for a in args)
            cache.used.add(key)
        return made

    _compiler._sre = _RecordingSre()
    _compiler.compile = compile
    _installed = cache
    if save_at_exit:
        import atexit

        atexit.register(_save_quietly, cache)
    return cache


def _plain(arg: Any) -> Any:
    """An argument of _sre.compile as plain data: the code's named opcodes (int subclasses that
    do not pickle) as the ints the C engine reads from them."""
    if isinstance(arg, list):
        return [int(x) for x in arg]
    if isinstance(arg, int) and type(arg) is not bool:
        return int(arg)
    return arg


def _save_quietly(cache: RegexCache) -> None:
    try:
        cache.save()
    except Exception:  # the cache is optional: never an error at exit
        pass
