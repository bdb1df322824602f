"""`without_suggestions` (nlq/reading.py): refusals raised inside offer no suggestions and are
otherwise the same refusal (kind, message, words not understood); outside it, and after it, a
user's refusal still carries its suggestions. The tests that read every synonym and score the
dev sets use it: checking suggestions was most of their time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.reading import without_suggestions
from shopql.nlq.session import Workspace
from shopql.nlq.shared import NoData, NotUnderstood, Unsure


def _refusal(ws: Workspace, question: str) -> NotUnderstood:
    try:
        answer(ws, question, "offline")
    except NotUnderstood as e:
        return e
    raise AssertionError(f"{question!r} was answered")


@pytest.mark.parametrize(
    ("question", "kind", "suggested"),
    [
        ("page views", NoData, "repurchase rate by platform"),
        ("上个月的退款率", NoData, "上个月各平台的支付金额"),
        ("GMV by weather", Unsure, "Placed GMV by platform"),
        ("销售额按星座", Unsure, "支付金额"),
    ],
)
def test_a_refusal_without_suggestions_is_the_same_refusal(
    read_only_shop: Path, question: str, kind: type, suggested: str
) -> None:
    with Workspace(load_settings(read_only_shop), today=dt.date(2025, 6, 30)) as ws:
        shown = _refusal(ws, question)
        with without_suggestions():
            quiet = _refusal(ws, question)
        again = _refusal(ws, question)
    assert type(shown) is type(quiet) is kind
    assert suggested in shown.suggestions and len(shown.suggestions) <= 3
    assert quiet.suggestions == [] and quiet.hint == "rephrase the question"
    assert (quiet.message, quiet.unknown) == (shown.message, shown.unknown)
    assert again.suggestions == shown.suggestions  # switched off only inside
