"""Session 35's faster lookups of the question engine read what the slower ones read: a catalog's
one measure (`Catalog.measure`, no merged dict built) and a duration's phrases found in a question
(`_first_phrase`, its pattern made once) — checked against the expressions they replaced."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest

from shopql.nlq.families import _first_phrase, _first_word


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
