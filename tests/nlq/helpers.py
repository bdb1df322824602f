"""What the question tests ask of a workspace (test_accounting_c.py, test_brand_q.py,
test_values_g.py, ...): the rows of hand-written SQL, the rows of the offline engine's answer, and
the refusal a question must get — on an open Workspace (`sql`, `rows`, `refused`, `unknown`) or on
a workspace folder with a fixed today (`ask_at`, `query`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from shopql.config import load_settings
from shopql.nlq.answer import answer
from shopql.nlq.offline import NotUnderstood
from shopql.nlq.session import Workspace
from tests.conftest import warehouse_reader


def sql(ws: Workspace, text: str) -> list[tuple[Any, ...]]:
    """The rows of SQL written by hand, run on the workspace."""
    return [tuple(r) for r in ws.run(text, None, source="test").rows]


def rows(ws: Workspace, question: str) -> list[tuple[Any, ...]]:
    """The rows of the offline engine's main result for `question`."""
    return [tuple(r) for r in answer(ws, question, "offline").main.rows]


def number(ws: Workspace, question: str, column: int = 0) -> float:
    """A value of the first row of the offline engine's main result for `question`, as a number:
    the first column's, or `column`'s (-1: the last, the figure beside a label)."""
    return float(rows(ws, question)[0][column])


def sql_number(ws: Workspace, text: str) -> float:
    """The first value of SQL written by hand, as a number (a NULL fails: a gold must hold one)."""
    return float(sql(ws, text)[0][0])


def refused(ws: Workspace, question: str) -> NotUnderstood:
    """The refusal (NotUnderstood) the offline engine gives `question`; fails if it answers."""
    with pytest.raises(NotUnderstood) as e:
        answer(ws, question, "offline")
    return e.value


def unknown(ws: Workspace, question: str) -> list[str]:
    """The words the offline engine could not place in `question`; fails if it answers."""
    return list(refused(ws, question).unknown)


def ask_at(folder: Path, question: str, today: dt.date) -> list[tuple[Any, ...]]:
    """The rows of the offline engine's main result for `question`, asked of the workspace in
    `folder` on `today`."""
    with Workspace(load_settings(folder), today=today) as ws:
        return rows(ws, question)


def query(folder: Path, text: str) -> list[tuple[Any, ...]]:
    """The rows of SQL written by hand, read straight from the warehouse of the workspace in
    `folder` (as tests read a shared workspace: tests/conftest.py warehouse_reader)."""
    con = warehouse_reader(folder)
    try:
        return [tuple(r) for r in con.execute(text).fetchall()]
    finally:
        con.close()


def scalar(folder: Path, text: str) -> Any:
    """The first value of the first row of SQL written by hand (`query`)."""
    return query(folder, text)[0][0]
