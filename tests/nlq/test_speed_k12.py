"""The speed-ups of `shopql ask` (session 12) give the answers of the long way.

- regex_cache: a pattern made from the kept compile arguments is the pattern Python compiles
  (same text, flags, groups, group names, and the same matches), in a later process; a file not
  written by this user, or an entry the regex engine refuses, is compiled afresh; the file is
  written only when something new was worth keeping; `--help` never reads or imports it; the CLI
  answers the same with and without it.
- the thresholds pattern has one text whatever the process's hash seed (so it can be kept).
- a refusal's suggestions stop being checked once three are answerable: the same three.
(No timed assertion: what is faster is measured by bench/nlq_bench.py.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import shopql.nlq.offline  # noqa: F401 (registers the engine's answer check with nlq.reading)
from shopql.nlq.reading import answerable, suggestions_for
from tests.conftest import run_cli

# patterns of every kind the engine writes: groups, names, lookarounds, classes, CJK, flags
PATTERNS: list[tuple[str | bytes, int]] = [
    (r"(?P<n>\d+)\s*(?:个月|年|月)", 0),
    (r"\b(?:top|best)[\s-]*(\d+|one|two)\b(?!\s*%)", 0),
    (r"(?<![开批收])发(?:出去了|出去|出了|出|了)(?=(?:多少|几)(?:个)?(?:单|笔|订单))", 0),
    (r"[\u4e00-\u9fff]{2,}|[A-Za-z][A-Za-z'\-]{2,}", 0),
    (r"sofa|coffee\s+table|茶几", 2),  # re.IGNORECASE
    (r"^\s*(\w+)\s*$", 8 | 16),  # re.MULTILINE | re.DOTALL
    (r"(a)(b)?(?P<c>c)(?(2)d|e)", 0),
    (rb"[\x80-\xff]+(?P<tail>\d)", 0),
]
TEXTS = [
    "近3个月 top 5 sellers", "发出去了多少单", "Sofa and COFFEE table 茶几", "  word  \nnext",
    "abce abcd ace", "best-two items 12年", "x\u00e9\u00e9\u00e97 9",
]  # fmt: skip

_PROBE = textwrap.dedent(
    """
    import json, re, sys
    from pathlib import Path
    from shopql.regex_cache import install
    cache = install(Path(sys.argv[1]), save_at_exit=False)
    patterns = json.loads(sys.argv[2])
    texts = json.loads(sys.argv[3])
    out = []
    for text, is_bytes, flags in patterns:
        p = re.compile(text.encode("latin-1") if is_bytes else text, flags)
        found = []
        for t in texts:
            s = t.encode("utf-8") if is_bytes else t
            found.append([[m.span(), m.groups(), m.groupdict()] for m in p.finditer(s)])
        out.append([str(p.pattern), p.flags, p.groups, dict(p.groupindex), repr(found)])
    wrote = cache.save(always=True)
    print(json.dumps({"hits": cache.hits, "wrote": wrote, "out": out}))
    """
)


def probe(path: Path, patterns: list[tuple[str | bytes, int]] = PATTERNS) -> dict:
    """Compile `patterns` in a new process with the cache at `path`; what they are and match."""
    spec = [
        [p.decode("latin-1") if isinstance(p, bytes) else p, isinstance(p, bytes), f]
        for p, f in patterns
    ]
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path), json.dumps(spec), json.dumps(TEXTS)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    return json.loads(done.stdout)


def test_a_kept_pattern_is_the_one_python_compiles(tmp_path: Path) -> None:
    path = tmp_path / "regex.pickle"
    first = probe(path)  # compiled by Python, arguments kept
    assert first["hits"] == 0 and first["wrote"] and path.is_file()
    again = probe(path)  # made from the kept arguments, no parse
    assert again["hits"] == len(PATTERNS)
    assert again["out"] == first["out"]
    # and both are what Python makes without any cache
    for (text, flags), (pattern, got_flags, groups, names, found) in zip(
        PATTERNS, first["out"], strict=True
    ):
        import re

        fresh = re.compile(text, flags)
        assert pattern == str(fresh.pattern)
        assert (got_flags, groups, names) == (fresh.flags, fresh.groups, dict(fresh.groupindex))
        want = []
        for t in TEXTS:
            s = t.encode("utf-8") if isinstance(text, bytes) else t
            want.append([[m.span(), m.groups(), m.groupdict()] for m in fresh.finditer(s)])
        assert found == repr(want)


def test_a_file_not_written_by_this_user_is_compiled_afresh(tmp_path: Path) -> None:
    path = tmp_path / "regex.pickle"
    first = probe(path)
    data = bytearray(path.read_bytes())
    data[-5] ^= 1  # one bit of the body changed: the HMAC no longer verifies
    path.write_bytes(bytes(data))
    again = probe(path)
    assert again["hits"] == 0 and again["out"] == first["out"]


def test_an_entry_the_engine_refuses_is_compiled_afresh(tmp_path: Path) -> None:
    import pickle

    from shopql.keyed_cache import write_keyed
    from shopql.regex_cache import cache_key

    path = tmp_path / "regex.pickle"
    first = probe(path)
    wrong = pickle.dumps((PATTERNS[0][0], 32, [1, 2, 3], 0, {}, (None,)))  # not valid code
    other = pickle.dumps((r"other text", 32, [1, 2, 3], 0, {}, (None,)))  # another pattern's
    write_keyed(path, cache_key(), {PATTERNS[0]: wrong, PATTERNS[1]: other, PATTERNS[2]: b"?"})
    again = probe(path)
    assert again["out"] == first["out"]


def test_nothing_new_nothing_written(tmp_path: Path) -> None:
    from shopql.regex_cache import RegexCache

    cache = RegexCache(tmp_path / "regex.pickle")
    assert not cache.save()  # nothing compiled
    cache.note(("cheap", 0), ("cheap", 32, [1], 0, {}, (None,)), 0.00001)
    assert not cache.save()  # something new, but too cheap to be worth a write
    assert not (tmp_path / "regex.pickle").exists()
    cache.note(("dear", 0), ("dear", 32, [1], 0, {}, (None,)), 0.01)
    assert cache.save() and (tmp_path / "regex.pickle").is_file()
    assert set(RegexCache(tmp_path / "regex.pickle").load()) == {("cheap", 0), ("dear", 0)}


def test_the_cache_folder_follows_the_user_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shopql.config import user_cache_dir
    from shopql.regex_cache import default_path

    monkeypatch.setenv("SHOPQL_CONFIG_DIR", str(tmp_path / "conf"))
    monkeypatch.delenv("SHOPQL_CACHE_DIR", raising=False)
    assert user_cache_dir() == tmp_path / "conf" / "cache"  # tests never write the user's
    monkeypatch.setenv("SHOPQL_CACHE_DIR", str(tmp_path / "caches"))
    assert default_path() == tmp_path / "caches" / "regex.pickle"


def test_help_neither_imports_nor_reads_the_cache(tmp_path: Path) -> None:
    code = (
        "import sys; sys.argv = ['shopql', '--help']\n"
        "from shopql.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('shopql.regex_cache' in sys.modules, 'duckdb' in sys.modules)"
    )
    env = {**os.environ, "SHOPQL_CACHE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.split()[-2:] == ["False", "False"]
    assert not list(tmp_path.iterdir())


def test_ask_answers_the_same_with_the_kept_patterns(olist_workspace: Path, tmp_path: Path) -> None:
    # every new pattern kept, however fast it compiled: whether the first pass keeps a pattern
    # must not hang on the machine's load (a pattern of 0.8 ms idle took over 1 ms in a busy CI
    # and was kept by the second pass) — any write in the second pass is then a pattern text
    # that differs between processes
    env = {"SHOPQL_CACHE_DIR": str(tmp_path), "SHOPQL_REGEX_SAVE_AFTER_S": "0"}
    args = ["-w", str(olist_workspace), "ask", "--engine", "offline", "--today", "2018-09-01"]
    args += ["--format", "json"]
    questions = ["top 5 states by sales in 2017", "2018年每个月的订单数", "仓库里还有多少件货"]
    first = [run_cli(*args, q, env=env) for q in questions]  # compiles, keeps
    written = (tmp_path / "regex.pickle").stat().st_mtime_ns
    again = [run_cli(*args, q, env=env) for q in questions]  # from the kept arguments
    assert (tmp_path / "regex.pickle").stat().st_mtime_ns == written  # nothing new to keep
    for a, b in zip(first, again, strict=True):
        assert (a.returncode, a.stderr) == (b.returncode, b.stderr)
        if a.returncode == 0:
            x, y = json.loads(a.stdout), json.loads(b.stdout)
            assert (x["sql"], x["rows"], x.get("notes")) == (y["sql"], y["rows"], y.get("notes"))
    assert first[0].returncode == 0 and first[2].returncode == 5
    rows = json.loads(first[0].stdout)["rows"]
    assert [r[0] for r in rows] == ["SP", "RJ", "MG", "RS", "PR"]


def test_the_thresholds_pattern_is_one_text_whatever_the_hash_seed() -> None:
    code = (
        "import hashlib\n"
        "from shopql.nlq.thresholds import _compiled_pattern\n"
        "names = ('delivery time (days)', 'quantity on the line', 'time to ship (days)',"
        " 'items in the order', 'spend per person', 'spent a total of', '评价数', '金额')\n"
        "print(hashlib.sha256(_compiled_pattern(names).pattern.encode()).hexdigest())"
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


def test_the_first_three_answerable_suggestions_are_the_same(olist: object) -> None:
    pool = [
        "refund rate by platform last month",  # no refunds in Olist: not answerable
        "orders by month in 2017",
        "zorblax by galaxy",
        "paid GMV by platform last month",
        "上季度各省份客单价",
        "top 10 products by units sold last 3 months",
        "近三个月销量前十的商品",
    ]
    everything = answerable(pool, olist)
    assert answerable(pool, olist, limit=3) == everything[:3]
    assert answerable(pool, olist, limit=3) == [
        "orders by month in 2017", "paid GMV by platform last month", "上季度各省份客单价"
    ]  # fmt: skip
    assert len(suggestions_for("仓库里还有多少件货", None, olist)) == 3
