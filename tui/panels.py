"""The Ask and Customers panels' work, without Textual: a question (or SQL) becomes an answer, a
person reference becomes a 360° view. Both run in the board's worker threads.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

SQL_START = re.compile(r"^\s*(select|with|from)\b", re.IGNORECASE)


@dataclass
class AskResult:
    """What the Ask panel shows: the understood question, the SQL and the main result table."""

    question: str
    engine: str
    understood: list[str]
    sql: str
    columns: list[str]
    rows: list[tuple[Any, ...]]
    notes: list[str] = field(default_factory=list)
    query: Any = None  # the SemanticQuery understood, for follow-up questions


def ask(
    settings: Any,
    text: str,
    today: dt.date | None = None,
    *,
    workspace: Any = None,
    previous: AskResult | None = None,
) -> AskResult:
    """Answer `text`: SQL runs through the guard as is; anything else goes to the question
    engines (offline, or the LLM when configured), with `previous` as the conversation so far so
    follow-ups ("and by province?") work. `workspace` is an nlq Workspace to reuse between
    questions. Raises ShopqlError for what cannot be done."""
    if SQL_START.match(text):
        return _sql(settings, text)
    from shopql.nlq.answer import answer

    ws = workspace or question_workspace(settings, today)
    earlier = previous.question if previous else None
    got = answer(ws, text, previous=previous.query if previous else None, earlier_question=earlier)
    main = got.main
    return AskResult(
        question=text,
        engine=got.engine,
        understood=list(got.understood),
        sql=main.sql,
        columns=list(main.columns),
        rows=list(main.rows),
        notes=[*[f"{k}: {v}" for k, v in got.definitions.items()], *got.notes],
        query=got.query,
    )


def question_workspace(settings: Any, today: dt.date | None = None) -> Any:
    """What the question engines load once (catalog, value index) and reuse."""
    from shopql.nlq.session import Workspace

    return Workspace(settings, today=today)


def _sql(settings: Any, text: str) -> AskResult:
    from shopql.warehouse.policy import guard_context
    from shopql.warehouse.query import run_guarded

    cap = min(settings.row_cap, 1000)
    result = run_guarded(
        settings.warehouse_path,
        text,
        role=settings.role,
        source="board",
        row_cap=cap,
        timeout_s=settings.query_timeout_s,
        ctx=guard_context(settings, row_cap=cap),
    )
    return AskResult(text, "sql", ["SQL as typed"], result.sql, result.columns, result.rows)


def customer(settings: Any, ref: str) -> dict[str, Any]:
    """The 360° view of the person `ref` (OneID, customer id, phone, e-mail or nick), masked by
    the role's PII policy. Raises IdentityError when nobody or several people match."""
    from shopql.insights.customer360 import customer_view
    from shopql.warehouse.connection import open_reader
    from shopql.warehouse.policy import personal_data

    view = personal_data(settings)
    con = open_reader(settings.warehouse_path)
    try:
        return customer_view(con, ref, view)
    finally:
        con.close()
