"""Session 35's faster lookups of the question engine read what the slower ones read: a catalog's
one measure (`Catalog.measure`, no merged dict built) and a duration's phrases found in a question
(`_first_phrase`, its pattern made once) — checked against the expressions they replaced."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from shopql.config import load_settings
from shopql.nlq.families import _first_phrase, _first_word
from shopql.nlq.session import Workspace
from tests.nlq.helpers import refused


def test_measure_is_the_merged_dicts_entry(demo: Any) -> None:
    catalog = demo.catalog
    names = list(catalog.measures)
    assert len(names) > 50
    assert all(catalog.measure(n) is catalog.measures[n] for n in names)
    assert catalog.measure("no_such_measure") is None
    assert catalog.measure("") is None


def test_measure_named_in_two_models_is_the_last_models(demo: Any) -> None:
    """The merged dict keeps the last model's measure of a name; so does `measure`."""
    catalog = copy.copy(demo.catalog)
    first, *_, last = catalog.models.values()
    name = next(iter(first.measures))
    other = dataclasses.replace(first.measures[name], expr="42")
    catalog.models = {
        **catalog.models,
        last.name: dataclasses.replace(last, measures={**last.measures, name: other}),
    }
    assert catalog.measures[name] is other
    assert catalog.measure(name) is other
    assert demo.catalog.measure(name) is first.measures[name]  # the session's own is untouched


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("从付款到发货平均要几天", {"ship_days": (0, 6)}),
        ("付款以后平均要多久才发货", {}),  # no phrase: read_duration_events places the words
        ("how long from payment to shipping on average", {"ship_days": (9, 33)}),
        ("average days between first and second purchase", {"repurchase_days": (8, 46)}),
        ("首单到第二单平均隔多久", {"repurchase_days": (0, 6)}),
        ("shippings paymentally", {}),  # Latin words inside longer ones name nothing
        ("上个月卖了多少", {}),
    ],
)
def test_first_phrase_is_first_word_of_the_long_phrases(
    demo: Any, text: str, named: dict[str, tuple[int, int]]
) -> None:
    durations = [m for m in demo.catalog.measurables.values() if m.kind == "duration"]
    assert len(durations) > 5
    found = {}
    for d in durations:
        expected = _first_word(text, [p for p in d.phrases if len(p) > 2])
        assert _first_phrase(text, d) == expected, d.name
        assert _first_phrase(text, d) == expected, d.name  # its kept pattern, asked again
        if expected is not None:
            found[d.name] = expected
    assert found == named


def test_absent_data_is_asked_again_on_a_new_reader(shop: Path) -> None:
    """The absent-data check is kept for as long as the Workspace's reader lives (no sync can
    write meanwhile); a Workspace that closes its reader (the board's, between questions) asks
    again, so data synced since is seen."""
    from shopql.nlq.answer import answer
    from shopql.warehouse.connection import open_writer

    question = "平均评分是多少"
    ws = Workspace(load_settings(shop), today=dt.date(2025, 6, 30))
    try:
        ws.keep_reader = True
        for _ in range(2):  # the second from the kept check
            assert "评价与评分" in str(refused(ws, question))
        ws.keep_reader = False
        ws.close()  # the reader closed: a writer may come
        con = open_writer(shop / "warehouse.duckdb")
        order, product = con.execute(
            "SELECT order_id, product_id FROM order_items LIMIT 1"
        ).fetchone()
        con.execute(
            "INSERT INTO reviews (order_id, product_id, score, comment, created_at) "
            "VALUES (?, ?, 4, 'ok', TIMESTAMP '2025-06-01 10:00:00')",
            [order, product],
        )
        con.close()
        got = answer(ws, question, "offline")
        assert got.results[0].rows == [(4,)]
    finally:
        ws.close()
