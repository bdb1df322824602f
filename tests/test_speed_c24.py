"""code_cache (session 24): the methods dataclasses and namedtuples generate, made from code kept
by an earlier process, are the ones Python compiles from their text.

- classes of every kind dataclasses writes (defaults, factories, frozen, order, kw_only, slots,
  unsafe_hash, InitVar, __post_init__) and namedtuples (defaults, rename) behave the same in a
  process that compiles them and in one that runs the kept code (repr, equality, order, hash,
  frozen errors, the signature, pickling), and the second process compiled nothing;
- a file not written by this user, or an entry that is no code object, is compiled afresh;
- nothing new, nothing written; `--help` neither imports nor reads the cache;
- `shopql ask` answers the same with the kept code.
(No timed assertion: what is faster is measured by bench/nlq_bench.py.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import run_cli

_PROBE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from shopql.code_cache import install
    cache = install(Path(sys.argv[1]), save_at_exit=False) if sys.argv[1] != "-" else None
    import collections, dataclasses, inspect, json, pickle, typing
    from dataclasses import InitVar, dataclass, field

    @dataclass
    class Plain:
        a: int
        b: str = "x"
        c: list = field(default_factory=list)

    @dataclass(frozen=True, order=True)
    class Frozen:
        a: int
        b: tuple = ()

    @dataclass(kw_only=True, slots=True)
    class Slotted:
        a: int
        b: float = 1.5

    @dataclass(unsafe_hash=True)
    class Hashed:
        a: int
        n: InitVar[int] = 2
        d: int = field(init=False, default=0)

        def __post_init__(self, n):
            self.d = self.a * n

    @dataclass(eq=False, repr=False)
    class Bare:
        a: int = 0

    Point = collections.namedtuple("Point", "x y z", defaults=(0,))
    Odd = collections.namedtuple("Odd", ["def", "ok", "ok"], rename=True)

    class Typed(typing.NamedTuple):
        kind: str
        value: object = None

    out = []
    p = Plain(1)
    f = Frozen(2, (1,))
    s = Slotted(a=3)
    h = Hashed(4, 5)
    out.append([repr(p), p == Plain(1, "x", []), p == Plain(2), repr(f), f < Frozen(3),
                hash(f) == hash(Frozen(2, (1,))), repr(s), hash(h) == hash(Hashed(4, 5)),
                h.d, Bare(1) == Bare(1), "Bare object" in repr(Bare())])
    try:
        f.a = 5
    except dataclasses.FrozenInstanceError as e:
        out.append(["frozen", str(e)])
    try:
        Slotted(1)
    except TypeError as e:
        out.append(["kw_only", str(e)])
    out.append([str(inspect.signature(c)) for c in (Plain, Frozen, Slotted, Hashed, Point, Typed)])
    out.append([repr(Point(1, 2)), repr(Odd(1, 2, 3)), repr(Typed("k")), Point._fields,
                pickle.loads(pickle.dumps(Point(1, 2, 3))) == Point(1, 2, 3),
                repr(pickle.loads(pickle.dumps(f)))])
    print(json.dumps({"hits": cache.hits if cache else 0,
                      "new": len(cache.new) if cache else 0,
                      "wrote": cache.save() if cache else False, "out": out}))
    """
)


def probe(path: Path | str) -> dict:
    """Define the classes in a new process with the cache at `path` ("-": no cache)."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    return json.loads(done.stdout)


def test_kept_code_makes_the_classes_python_makes(tmp_path: Path) -> None:
    path = tmp_path / "code.pickle"
    plain = probe("-")
    first = probe(path)  # compiled by Python, the code kept
    assert first["new"] >= 20 and first["wrote"] and path.is_file()
    again = probe(path)  # made from the kept code, nothing compiled
    assert again["hits"] == first["hits"] + first["new"] and again["new"] == 0
    assert not again["wrote"]
    assert first["out"] == again["out"] == plain["out"]
    assert plain["out"][1] == ["frozen", "cannot assign to field 'a'"]
    assert plain["out"][3][0] == "(a: int, b: str = 'x', c: list = <factory>) -> None"


def test_a_file_not_written_by_this_user_is_compiled_afresh(tmp_path: Path) -> None:
    path = tmp_path / "code.pickle"
    first = probe(path)
    data = bytearray(path.read_bytes())
    data[-5] ^= 1  # one bit of the body changed: the HMAC no longer verifies
    path.write_bytes(bytes(data))
    again = probe(path)
    assert again["new"] == first["new"] and again["out"] == first["out"]


def test_an_entry_that_is_no_code_is_compiled_afresh(tmp_path: Path) -> None:
    import marshal

    from shopql.code_cache import CodeCache, cache_key
    from shopql.keyed_cache import write_keyed

    path = tmp_path / "code.pickle"
    first = probe(path)
    entries = CodeCache(path).load()
    assert len(entries) == first["new"]
    # every entry replaced by something else: a marshalled tuple, then bytes marshal refuses
    write_keyed(path, cache_key(), {k: marshal.dumps((1, 2)) for k in entries})
    assert probe(path)["out"] == first["out"]
    write_keyed(path, cache_key(), {k: b"\xff?" for k in entries})
    again = probe(path)
    assert again["new"] == first["new"] and again["out"] == first["out"]


def test_nothing_new_nothing_written(tmp_path: Path) -> None:
    from shopql.code_cache import CodeCache

    cache = CodeCache(tmp_path / "code.pickle")
    assert not cache.save()
    code = cache.code("def f(a):\n return a + 1\n", "exec")
    namespace: dict[str, object] = {}
    exec(code, namespace)
    assert namespace["f"](1) == 2  # type: ignore[operator]
    assert cache.save() and (tmp_path / "code.pickle").is_file()
    kept = CodeCache(tmp_path / "code.pickle")
    assert kept.code("def f(a):\n return a + 1\n", "exec") == code and kept.hits == 1
    assert not kept.save()


def test_help_neither_imports_nor_reads_the_cache(tmp_path: Path) -> None:
    code = (
        "import sys; sys.argv = ['shopql', '--help']\n"
        "from shopql.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('shopql.code_cache' in sys.modules)"
    )
    env = {**os.environ, "SHOPQL_CACHE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.split()[-1] == "False"
    assert not list(tmp_path.iterdir())


def test_ask_answers_the_same_with_the_kept_code(tmp_path: Path) -> None:
    from shopql.warehouse.workspace import init_workspace
    from tests.nlq.conftest import seed_shop

    ws = tmp_path / "shop"
    init_workspace(ws)
    seed_shop(ws / "warehouse.duckdb")
    caches = tmp_path / "caches"
    env = {"SHOPQL_CACHE_DIR": str(caches)}
    args = ["-w", str(ws), "ask", "--engine", "offline", "--today", "2025-06-30"]
    args += ["--format", "json"]
    questions = ["paid GMV by platform", "每个平台的订单数", "仓库里还有多少件货"]
    first = [run_cli(*args, q, env=env) for q in questions]  # compiles, keeps
    written = (caches / "code.pickle").stat().st_mtime_ns
    again = [run_cli(*args, q, env=env) for q in questions]  # from the kept code
    assert (caches / "code.pickle").stat().st_mtime_ns == written  # nothing new to keep
    for a, b in zip(first, again, strict=True):
        assert (a.returncode, a.stderr) == (b.returncode, b.stderr)
        if a.returncode == 0:
            x, y = json.loads(a.stdout), json.loads(b.stdout)
            assert (x["sql"], x["rows"], x.get("notes")) == (y["sql"], y["rows"], y.get("notes"))
    assert first[0].returncode == 0
    assert sorted(json.loads(first[0].stdout)["rows"]) == [["jd", 350], ["tmall", 200.5]]


def test_the_whole_words_pattern_is_one_text_whatever_the_hash_seed() -> None:
    """Its words come from sets: ordered by length alone, words of one length came in the hash
    seed's order, so each process compiled (and the pattern cache kept) another text."""
    code = (
        "import hashlib\n"
        "import shopql.nlq.lexicon  # noqa: F401 (fills the words)\n"
        "from shopql.nlq.linking import _whole_words\n"
        "print(hashlib.sha256(_whole_words().pattern.encode()).hexdigest())"
    )
    texts = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(texts) == 1


def test_the_collector_stays_on_outside_the_cli_process(tmp_path: Path) -> None:
    """`ask` turns the garbage collector off only in the process whose own command it is
    (`python -m shopql.cli`): a caller of main() with its own arguments (tests, an embedding
    program) keeps it."""
    import gc

    import pytest

    from shopql.cli.main import main
    from shopql.warehouse.workspace import init_workspace
    from tests.nlq.conftest import seed_shop

    ws = tmp_path / "shop"
    init_workspace(ws)
    seed_shop(ws / "warehouse.duckdb")
    assert gc.isenabled()
    with pytest.raises(SystemExit) as done:
        main(["-w", str(ws), "ask", "paid GMV by platform", "--engine", "offline",
              "--today", "2025-06-30", "--format", "json"])  # fmt: skip
    assert done.value.code == 0 and gc.isenabled()
    code = (
        "import gc, sys\n"
        "import shopql.nlq.answer as n\n"
        "inner = n.answer\n"
        "def spy(*args, **kw):\n"
        "    print('GC', gc.isenabled(), file=sys.stderr)\n"
        "    return inner(*args, **kw)\n"
        "n.answer = spy  # what cli.ask imports when it answers\n"
        "from shopql.cli.main import main\n"
        "main()\n"
    )
    args = ["-w", str(ws), "ask", "paid GMV by platform", "--engine", "offline"]
    args += ["--today", "2025-06-30", "--format", "json"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPQL_WORKSPACE")}
    own = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env
    )
    assert own.returncode == 0, own.stderr
    assert "GC False" in own.stderr
    assert sorted(json.loads(own.stdout)["rows"]) == [["jd", 350], ["tmall", 200.5]]
