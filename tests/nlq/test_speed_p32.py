"""The offline engine's shortcuts (session 32, CI time) answer as the long way does: linking looks
phrases up by their first characters (nlq/linking.py phrases_in), a suggestion already checked on
a workspace is not read again while its catalog, vocabulary and today stay (nlq/offline.py
would_answer), and festival patterns are made once (nlq/periods.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.nlq.linking import Term, Vocabulary, normalise
from shopql.nlq.offline import would_answer
from shopql.nlq.periods import find_period
from shopql.nlq.session import Workspace
from tests.nlq.conftest import DEMO_TODAY

TEXTS = [
    "GMV by platform last month",
    "上个月各平台的销售额",
    "双11期间 天猫 退款率",
    "black friday week orders in 2024",
    "用 手机 下单的客户有多少",
    "a",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_phrases_in_is_every_phrase_found_longest_first(demo: Workspace, text: str) -> None:
    vocab, said = demo.vocabulary, normalise(text)
    every = [p for p in vocab.phrases_longest_first() if p in said]
    assert vocab.phrases_in(said) == every
    assert text == "" or text == "a" or every  # the real questions name something


def test_phrases_in_sees_a_phrase_added_later() -> None:
    vocab = Vocabulary()
    vocab.add("refund rate", Term("metric", "refund_rate"))
    assert vocab.phrases_in("refund rate by month") == ["refund rate"]
    vocab.add("rate", Term("metric", "x"))
    vocab.add("by month", Term("dimension", "month"))
    assert vocab.phrases_in("refund rate by month") == ["refund rate", "by month", "rate"]


def test_a_checked_suggestion_is_checked_again_when_the_catalog_changes(
    nlq_demo_workspace: Path,
) -> None:
    with Workspace(load_settings(nlq_demo_workspace), today=DEMO_TODAY) as ws:
        question = "GMV by platform last month"
        assert would_answer(question, ws) is True
        assert would_answer(question, ws) is True  # kept
        catalog = ws.catalog
        # an edited catalog without the metric (a Workspace holding another catalog object)
        kept = {k: v for k, v in catalog.metrics.items() if k != "placed_gmv"}
        ws.__dict__["catalog"] = dataclasses.replace(catalog, metrics=kept)
        assert would_answer(question, ws) is False
        ws.__dict__["catalog"] = catalog
        assert would_answer(question, ws) is True
        # the same catalog object, a metric fewer (reading may add or drop one in place)
        metric = catalog.metrics.pop("placed_gmv")
        try:
            assert would_answer(question, ws) is False
        finally:
            catalog.metrics["placed_gmv"] = metric
        assert would_answer(question, ws) is True
        # another today: last month is before the data begins
        ws._today = dt.date(2001, 1, 1)
        assert would_answer(question, ws) is False


@pytest.mark.parametrize("text", ["双11期间天猫的销售额", "2024年黑五当天", "元旦前后"])
def test_festival_found_twice_the_same(text: str) -> None:
    first = find_period(text, dt.date(2025, 6, 1))
    again = find_period(text, dt.date(2025, 6, 1))
    assert first is not None and again is not None
    assert first[0] == again[0]


def test_the_typo_words_kept_with_the_vocabulary_follow_a_glossary_edit(shop: Path) -> None:
    from shopql.nlq.answer import answer
    from shopql.nlq.shared import NotUnderstood

    def ask(question: str) -> object:
        ws = Workspace(load_settings(shop), today=dt.date(2025, 6, 30))
        return answer(ws, question, engine="offline")

    with pytest.raises(NotUnderstood):
        ask("units of zorblx")
    glossary = shop / "catalog" / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text.replace("en: [lamp, lamps", "en: [zorblax, lamp, lamps"), "utf-8")
    for _ in range(2):  # built with the vocabulary, then read back with it from the disk
        a = ask("units of zorblx")
        assert a.main.rows == [(1,)]  # type: ignore[attr-defined]
        assert any("zorblax" in line for line in a.understood)  # type: ignore[attr-defined]
    glossary.write_text(text, "utf-8")  # and back: neither the word nor its typo is known
    with pytest.raises(NotUnderstood):
        ask("units of zorblx")
