"""The question path's shortcuts give the answers of the long way: the pure-Python edit distance
(people cue words) equals rapidfuzz's, the CJK test equals the per-character one, and a catalog
edit reaches an answer through the kept catalog, glossary and vocabulary (.shopql/cache)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.linking import is_latin
from shopql.nlq.people import corrected, edit_distance
from shopql.nlq.session import Workspace
from shopql.nlq.shared import NotUnderstood

TODAY = dt.date(2025, 6, 30)


def test_edit_distance_is_levenshtein() -> None:
    rng = random.Random(3)
    for _ in range(5000):
        a = "".join(rng.choice("abcde") for _ in range(rng.randrange(0, 9)))
        b = "".join(rng.choice("abcde") for _ in range(rng.randrange(0, 9)))
        assert edit_distance(a, b) == Levenshtein.distance(a, b), (a, b)
    assert corrected("custmers on more then one platfrom") == (
        "customers on more than one platform"
    )


def test_is_latin_is_no_character_from_cjk_on() -> None:
    rng = random.Random(5)
    samples = ["", "sofa", "café", "沙发", "sofa 沙发", "\u2e7f", "\u2e80", "ｓｏｆａ", "😀"]
    for _ in range(5000):
        samples.append(
            "".join(
                chr(rng.choice([rng.randrange(0, 0xD800), rng.randrange(0x2E00, 0x2F00)]))
                for _ in range(rng.randrange(0, 5))
            )  # fmt: skip
        )
    for s in samples:
        assert is_latin(s) == all(ord(ch) < 0x2E80 for ch in s), repr(s)


def ask(shop: Path, question: str) -> object:
    return answer(Workspace(load_settings(shop), today=TODAY), question, engine="offline")


def test_a_new_metric_synonym_is_understood_by_the_next_question(shop: Path) -> None:
    assert sorted(ask(shop, "paid GMV by platform").main.rows) == [("jd", 350), ("tmall", 200.5)]
    with pytest.raises(NotUnderstood):
        ask(shop, "zorblax takings by platform")
    cache = shop / ".shopql" / "cache"
    assert {p.name for p in cache.iterdir()} >= {
        "catalog.pickle", "vocabulary.pickle", "glossary.pickle"
    }  # fmt: skip
    metrics = shop / "catalog" / "metrics.yaml"
    text = metrics.read_text(encoding="utf-8")
    metrics.write_text(text.replace("[paid gmv, sales,", "[paid gmv, zorblax takings, sales,"))
    a = ask(shop, "zorblax takings by platform")
    assert sorted(a.main.rows) == [("jd", 350), ("tmall", 200.5)]
    metrics.write_text(text, encoding="utf-8")  # and back: unknown again
    with pytest.raises(NotUnderstood):
        ask(shop, "zorblax takings by platform")


def test_a_catalog_edited_while_a_question_runs_is_read_afresh_by_the_next(shop: Path) -> None:
    """A process read the catalog, then the file changed before its vocabulary was built (an
    editor saving while `shopql eval` runs): the vocabulary it kept must not pass for the new
    file's. (It was kept under the key of the new text, built from the old: the next question
    missed the new synonym until the cache was deleted.)"""
    ask(shop, "paid GMV by platform")  # every cache written
    metrics = shop / "catalog" / "metrics.yaml"
    text = metrics.read_text(encoding="utf-8")
    ws = Workspace(load_settings(shop), today=TODAY)
    assert "paid_gmv" in ws.catalog.metrics  # read before the edit
    metrics.write_text(text.replace("[paid gmv, sales,", "[paid gmv, zorblax takings, sales,"))
    with pytest.raises(NotUnderstood):  # this process still holds the old catalog
        answer(ws, "zorblax takings by platform", engine="offline")
    a = ask(shop, "zorblax takings by platform")  # the next process reads the new one
    assert sorted(a.main.rows) == [("jd", 350), ("tmall", 200.5)]
