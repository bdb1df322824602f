"""What the question tests ask of a workspace (test_accounting_c.py, test_brand_q.py,
test_values_g.py): the rows of hand-written SQL, the rows of the offline engine's answer, and the
refusal a question must get."""

from __future__ import annotations

from typing import Any

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.offline import NotUnderstood
from shopql.nlq.session import Workspace


def sql(ws: Workspace, text: str) -> list[tuple[Any, ...]]:
    """The rows of SQL written by hand, run on the workspace."""
    return [tuple(r) for r in ws.run(text, None, source="test").rows]


def rows(ws: Workspace, question: str) -> list[tuple[Any, ...]]:
    """The rows of the offline engine's main result for `question`."""
    return [tuple(r) for r in answer(ws, question, "offline").main.rows]


def refused(ws: Workspace, question: str) -> NotUnderstood:
    """The refusal (NotUnderstood) the offline engine gives `question`; fails if it answers."""
    with pytest.raises(NotUnderstood) as e:
        answer(ws, question, "offline")
    return e.value
