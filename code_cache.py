"""Compiled code of the functions the standard library writes as text, kept between `shopql`
processes.

`dataclasses` writes each class's ``__init__``, ``__repr__``, ``__eq__``, ``__hash__`` (and for a
frozen class ``__setattr__`` / ``__delattr__``) as Python source and compiles it with
``exec()``; ``collections.namedtuple`` does the same for ``__new__`` with ``eval()``. An `ask`
defines ~150 dataclasses on its path (shopql's catalog, engine and settings, DuckDB's Python
package): compiling their text was ~20 ms CPU of every `shopql ask` (~6 % of the process).

`install` (the CLI's own process only; a library user of shopql is left alone) gives the
``dataclasses`` and ``collections`` modules an ``exec`` / ``eval`` of their own (a module-level
name, found before the builtin): for source text it runs the code object compiled from that
exact text last time (marshal, keyed by a digest of the text and the mode), else it compiles the
text as the builtin would (filename ``<string>``, no inherited future flags) and notes it; at exit
the file is written again when something new was compiled. Running a kept code object is what
the builtin does after compiling, so the classes are the same. The file is keyed by the Python
build and its bytecode magic number (another interpreter reads nothing) and carries an HMAC under
the user's own secret (keyed_cache: a file written by anyone else is never read); an entry that
does not load as a code object is compiled afresh. Anything else (a code object, bytes, a call
without a namespace) goes to the builtin untouched.
"""

from __future__ import annotations

import builtins
import hashlib
import marshal
import sys
from pathlib import Path
from types import CodeType
from typing import Any

FILE_NAME = "code.pickle"
MAX_ENTRIES = 4000  # past this the file keeps only what the writing process used


class CodeCache:
    """The cache at `path`: marshalled code objects per digest of (mode, source text), read on
    the first compile."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[bytes, bytes] | None = None
        self.new: dict[bytes, bytes] = {}
        self.used: set[bytes] = set()
        self.hits = 0

    def load(self) -> dict[bytes, bytes]:
        if self.entries is None:
            self.entries = {}
            from shopql.keyed_cache import read_keyed

            found = read_keyed(self.path, cache_key())
            self.entries = found if isinstance(found, dict) else {}
        return self.entries

    def code(self, source: str, mode: str) -> CodeType:
        """The code object the builtin exec / eval would compile from `source`."""
        text = f"{mode}\0{source}".encode("utf-8", "surrogatepass")
        key = hashlib.blake2b(text, digest_size=16).digest()
        blob = self.load().get(key) or self.new.get(key)  # a text may come twice
        if blob is not None:
            try:
                code = marshal.loads(blob)
            except Exception:  # not what this code writes: compiled afresh
                code = None
            if type(code) is CodeType:
                self.used.add(key)
                self.hits += 1
                return code
        code = compile(source, "<string>", mode, dont_inherit=True)
        try:
            self.new[key] = marshal.dumps(code)
        except ValueError:  # nothing these modules write, but never an error
            return code
        self.used.add(key)
        return code

    def save(self) -> bool:
        """Write the file again when this process compiled text the file did not hold."""
        if not self.new:
            return False
        from shopql.keyed_cache import write_keyed

        kept = dict(self.load())
        kept.update(self.new)
        if len(kept) > MAX_ENTRIES:  # classes of many versions of the code: start over
            kept = {k: v for k, v in kept.items() if k in self.used}
        write_keyed(self.path, cache_key(), kept)
        self.entries = kept
        self.new = {}
        return True


def cache_key() -> str:
    """What a cached entry depends on: this Python build, its bytecode and optimisation level."""
    from importlib.util import MAGIC_NUMBER

    build = f"{sys.implementation.cache_tag} {sys.version}".replace("\n", " ")
    return f"code 1 {build} magic {MAGIC_NUMBER.hex()} optimize {sys.flags.optimize}"


def default_path() -> Path:
    from shopql.config import user_cache_dir

    return user_cache_dir() / FILE_NAME


_installed: CodeCache | None = None

# the modules whose generated text is served, and the builtin each calls
_MODULES = (("dataclasses", "exec"), ("collections", "eval"))


def installed() -> CodeCache | None:
    return _installed


def install(path: Path | None = None, save_at_exit: bool = True) -> CodeCache | None:
    """Serve the exec / eval of generated text in `dataclasses` and `collections` from the
    cache at `path` (default: the user cache folder's code.pickle); write new code there at exit.
    A second call returns the first cache."""
    global _installed
    if _installed is not None:
        return _installed
    import collections
    import dataclasses

    cache = CodeCache(path or default_path())
    cache.load()  # now: reading it imports modules whose classes would otherwise ask for it
    modules = {"dataclasses": dataclasses, "collections": collections}

    def served(mode: str) -> Any:
        real = getattr(builtins, mode)

        def run(source: Any, globals: Any = None, locals: Any = None, /) -> Any:
            # with no namespace the builtin would run in this frame's: leave such calls alone
            if type(source) is not str or type(globals) is not dict:
                if globals is None:
                    frame = sys._getframe(1)
                    globals = frame.f_globals
                    locals = frame.f_locals if locals is None else locals
                return real(source, globals, locals)
            return real(cache.code(source, mode), globals, locals)

        run.__name__ = run.__qualname__ = mode
        return run

    for name, mode in _MODULES:
        if mode in vars(modules[name]):  # already has one of its own: not ours to replace
            continue
        setattr(modules[name], mode, served(mode))
    _installed = cache
    if save_at_exit:
        import atexit

        atexit.register(_save_quietly, cache)
    return cache


def _save_quietly(cache: CodeCache) -> None:
    try:
        cache.save()
    except Exception:  # the cache is optional: never an error at exit
        pass
