"""The scorer reads a label said in another case as the same label (a product word the engine
labels 'jumbo bag' where a gold says 'JUMBO BAG'), and nothing looser: the values still pair."""

from __future__ import annotations

from shopql.nlq.eval import same_result

GOLD = (["product", "units"], [("JUMBO BAG", 225865), ("LUNCH BAG", 131042)])


def test_a_label_in_another_case_is_the_same_label() -> None:
    got = (["product_word", "units"], [("jumbo bag", 225865), ("lunch bag", 131042)])
    assert same_result(GOLD, got) == ""


def test_the_values_must_still_pair_with_their_labels() -> None:
    swapped = (["product_word", "units"], [("jumbo bag", 131042), ("lunch bag", 225865)])
    assert same_result(GOLD, swapped) != ""
    other = (["product_word", "units"], [("jumbo bags", 225865), ("lunch bag", 131042)])
    assert same_result(GOLD, other) != ""
