"""Compiled regular expressions kept between `shopql` processes.

The question engine's vocabulary is regular expressions (~450 on an `ask`'s path, some built
from the catalog's words): compiling them was ~0.1 s CPU of every `shopql ask`, a fifth of the
process. Python compiles a pattern in two steps: its own parser and code generator (pure Python,
the cost) turn the pattern's text into a list of small integers, then ``_sre.compile`` (C,
cheap) makes the pattern object from that list. This module keeps what the first step made, per
pattern text and flags, so a later process makes the same pattern object from the same
arguments without parsing again.

`install` (the CLI's own process only; a library user of shopql is left alone) wraps
``re._compiler.compile``: a pattern found in the cache is made by ``_sre.compile`` from the
arguments the real compile gave it last time; any other is compiled as usual and its arguments
noted, and at exit the file is written again when what was compiled anew took long enough to be
worth keeping (SAVE_AFTER_S). The arguments are recorded from the real ``_sre.compile`` call, so
a pattern made from the cache is the one Python would have made (same code, flags, groups and
group names). The file is keyed by the Python build and the regex engine's version (another
interpreter reads nothing) and carries an HMAC under the user's own secret (keyed_cache: a file
written by anyone else is never unpickled); each entry is pickled on its own, so a process
unpickles only the entries it uses; an entry ``_sre.compile`` refuses is compiled afresh.
Without the private hooks this relies on (another Python implementation), nothing is installed.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
import time
from pathlib import Path
from typing import Any

FILE_NAME = "regex.pickle"
MAX_ENTRIES = 4000  # past this the file keeps only what the writing process used
SAVE_AFTER_S = 0.001  # new patterns that compiled in less than this are not worth a write
# a test pins it (0: every new pattern kept) so that what is kept does not hang on the load
_SAVE_AFTER_ENV = "SHOPQL_REGEX_SAVE_AFTER_S"
_DEBUG = 128  # re.DEBUG: such a compile prints its code, never served from the cache

Key = tuple[Any, int]  # (pattern text, flags)


class RegexCache:
    """The cache at `path`: the pickled compile arguments per (pattern, flags), read on the
    first compile."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[Key, bytes] | None = None
        self.new: dict[Key, bytes] = {}
        self.new_seconds = 0.0  # what compiling the new ones took
        self.used: set[Key] = set()
        self.hits = 0

    def load(self) -> dict[Key, bytes]:
        if self.entries is None:
            self.entries = {}  # what the read below compiles is compiled as usual
            from shopql.keyed_cache import read_keyed

            found = read_keyed(self.path, cache_key())
            self.entries = found if isinstance(found, dict) else {}
        return self.entries

    def arguments(self, key: Key) -> tuple[Any, ...] | None:
        blob = self.load().get(key)
        if blob is None:
            return None
        try:
            args = pickle.loads(blob)
        except Exception:  # not what this code writes: compiled afresh
            return None
        return args if isinstance(args, tuple) else None

    def note(self, key: Key, args: tuple[Any, ...], seconds: float) -> None:
        try:
            self.new[key] = pickle.dumps(tuple(_plain(a) for a in args), pickle.HIGHEST_PROTOCOL)
        except Exception:  # nothing this engine version passes, but never an error
            return
        self.new_seconds += seconds
        self.used.add(key)

    def save(self, *, always: bool = False) -> bool:
        """Write the file again when this process compiled patterns the file did not hold that
        took SAVE_AFTER_S or more (`always`: any new one). Whether it wrote."""
        if not self.new or (self.new_seconds < _save_after() and not always):
            return False
        from shopql.keyed_cache import write_keyed

        kept = dict(self.load())
        kept.update(self.new)
        if len(kept) > MAX_ENTRIES:  # patterns of many catalogs or questions: start over
            kept = {k: v for k, v in kept.items() if k in self.used}
        write_keyed(self.path, cache_key(), kept)
        self.entries = kept
        self.new, self.new_seconds = {}, 0.0
        return True


def _save_after() -> float:
    """SAVE_AFTER_S, or the seconds the environment pins (SHOPQL_REGEX_SAVE_AFTER_S)."""
    try:
        return float(os.environ.get(_SAVE_AFTER_ENV, SAVE_AFTER_S))
    except ValueError:
        return SAVE_AFTER_S


def cache_key() -> str:
    """What a cached entry depends on: this Python build and its regex engine."""
    import _sre

    build = f"{sys.implementation.cache_tag} {sys.version}".replace("\n", " ")
    return f"regex 2 {build} sre {_sre.MAGIC} {_sre.CODESIZE} {_sre.MAXGROUPS}"


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
    if real_compile is None or getattr(_compiler, "_sre", None) is not _sre:
        return None
    cache = RegexCache(path or default_path())
    engine: Any = _sre
    make = engine.compile
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
        args = cache.arguments(key)  # dict reads and writes are atomic: no lock
        if args is not None:
            try:
                made = make(*args)
            except Exception:  # not arguments this engine takes: compiled afresh below
                pass
            else:
                if made.pattern == p and made.flags == args[1]:
                    cache.used.add(key)
                    cache.hits += 1
                    return made
        last.args = None
        started = time.perf_counter()
        made = real_compile(p, flags)
        args = getattr(last, "args", None)
        if args is not None and args[0] is p:  # the call that made this pattern
            cache.note(key, args, time.perf_counter() - started)
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
