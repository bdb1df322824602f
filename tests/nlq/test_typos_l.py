"""Typos in product and value words (nlq/typos.py): a Latin word of five letters or more one
Damerau–Levenshtein edit from exactly one known word is read as it, and the answer says so; two
candidates: refused, naming both; CJK words are never corrected (边几 is not 茶几)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.offline import understand
from shopql.nlq.session import Workspace
from shopql.nlq.shared import NotUnderstood
from shopql.nlq.typos import corrections, one_edit
from tests.nlq.conftest import DEMO_TODAY


def test_one_edit_is_damerau_levenshtein_one() -> None:
    near = one_edit("cofee", "abcdefghijklmnopqrstuvwxyz")
    assert {"coffee", "cofe", "ocfee", "cofea"} <= near  # insert, delete, swap, change
    assert "toffee" not in near and "cofee" not in near  # two edits; itself


def test_product_and_value_typos_are_read_and_said(
    nlq_demo_workspace: Path, olist_workspace: Path
) -> None:
    with Workspace(load_settings(nlq_demo_workspace), today=DEMO_TODAY) as demo:
        a = answer(demo, "units of cofee tables in 2025", engine="offline")
        assert a.understood[0] == "read 'cofee' as 'coffee'"
        assert a.query is not None and a.query.filters[0].values == ("%茶几%",)
        sofa = answer(demo, "sofaa units", engine="offline")  # sofa / sofas: one concept
        assert sofa.understood[0] == "read 'sofaa' as 'sofa'"
        with Workspace(load_settings(olist_workspace), today=dt.date(2018, 9, 1)) as olist:
            assert corrections("credt card orders", olist) == {"credt": "credit"}
            assert corrections("orders paid with boletto", olist) == {"boletto": "boleto"}
            u = understand("how many orders by credt card in 2017", olist)
            assert u.recognised[0] == "read 'credt' as 'credit'"
            assert ("payment_channel", ("credit_card",)) in [
                (f.dimension, f.values) for f in u.query.filters
            ]


def test_an_ambiguous_typo_is_refused_naming_both(olist_workspace: Path) -> None:
    with Workspace(load_settings(olist_workspace), today=dt.date(2018, 9, 1)) as olist:
        with pytest.raises(NotUnderstood) as e:
            understand("GMV of sofsa", olist)
        assert "'sofsa' could be 'sofa' or 'sousa'" in e.value.message
        assert e.value.unknown == ["sofsa"]
        assert e.value.suggestions == ["GMV of sofa", "GMV of sousa"]


def test_known_words_short_words_and_cjk_are_never_corrected(nlq_demo_workspace: Path) -> None:
    with Workspace(load_settings(nlq_demo_workspace), today=DEMO_TODAY) as demo:
        assert corrections("sales in november by platform", demo) == {}  # a period word
        assert corrections("sofs units", demo) == {}  # four letters: too short to guess
        assert corrections("边几 sales last month", demo) == {}  # CJK: near neighbours differ
        try:
            side = answer(demo, "边几的销量", engine="offline")
        except NotUnderstood:
            return
        assert side.query is not None  # 边几 is its own concept (side table), never 茶几
        assert all("%茶几%" not in f.values for f in side.query.filters)
