"""A cached object's compiled regular expressions come back as the patterns they were (source and
flags), each the same object in a process however often the cache is read (keyed_cache._pattern):
a vocabulary holds more patterns than re's own cache keeps, so each read compiled them all again.
The readings of a workspace whose vocabulary comes from the cache are those of one built anew."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from shopql.config import load_settings
from shopql.keyed_cache import read_keyed, write_keyed
from shopql.nlq.offline import understand
from shopql.nlq.session import Workspace


def test_patterns_come_back_as_they_were_and_shared(tmp_path: Path) -> None:
    value = {
        "p": [re.compile(r"(?<![a-z])买过\s*(\d+)", re.I), re.compile(rb"x+")],
        "words": ("a", "b"),
    }
    write_keyed(tmp_path / "c.pickle", "k", value)
    first = read_keyed(tmp_path / "c.pickle", "k")
    second = read_keyed(tmp_path / "c.pickle", "k")
    assert first == value  # patterns compare by source and flags
    assert [(p.pattern, p.flags) for p in first["p"]] == [(p.pattern, p.flags) for p in value["p"]]
    assert first["p"][0] is second["p"][0]  # compiled once in this process
    assert first["p"][0].search("我买过 3 次").group(1) == "3"
    assert read_keyed(tmp_path / "c.pickle", "other") is None  # still keyed


def test_a_vocabulary_read_from_the_cache_reads_questions_as_a_new_one(small_ws: Path) -> None:
    settings = load_settings(small_ws)
    questions = ["上个月每天的支付金额", "gmv by platform last week", "近30天买过2次以上的人有多少"]
    with Workspace(settings, today=dt.date(2025, 6, 30)) as built:
        first = [repr(understand(q, built).query) for q in questions]
    cache = small_ws / ".shopql" / "cache" / "vocabulary.pickle"
    assert cache.is_file()
    with Workspace(settings, today=dt.date(2025, 6, 30)) as cached:
        assert cached.vocabulary is not None
        again = [repr(understand(q, cached).query) for q in questions]
    assert again == first
