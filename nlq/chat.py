"""A conversation: follow-up questions keep the context of the previous answer."""

from __future__ import annotations

from typing import Any

from shopql.catalog.semantic import SemanticQuery
from shopql.nlq.answer import Answer, answer


class Conversation:
    """Answers questions one after another; "and only on Tmall?" or "按月拆开" refine the last one."""

    def __init__(self, ws: Any, engine: str = "auto") -> None:
        self.ws = ws
        self.engine = engine
        self.previous: SemanticQuery | None = None
        self.previous_question: str | None = None
        self.history: list[Answer] = []

    def ask(self, question: str) -> Answer:
        result = answer(self.ws, question, self.engine, self.previous, self.previous_question)
        if result.query is not None:
            self.previous = result.query
        self.previous_question = question
        self.history.append(result)
        return result
