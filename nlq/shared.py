"""The types every question engine shares: what was understood, the refusals, the answer.

They live here, apart from the engines, so that the straight path (``nlq.pipeline``) and both
engines import them without importing each other: question → (offline parse | LLM tool call) →
semantic query → catalog compiler → guard → run → ``Answer``. ``nlq.offline`` and ``nlq.answer``
re-export them for older imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from shopql.catalog.semantic import SemanticQuery
from shopql.errors import ExitCode, ShopqlError

# Spaces typed between Chinese words ("平均 每个客户 买了 多少件"): the writer's word breaks, which the
# offline engine may read the question without. The two readings that do so share these: the
# question-level retry (nlq/answer.py answer_offline) drops runs of ASCII or ideographic spaces
# between two Chinese characters; the set-phrase reading (nlq/people.py, offline._joined) drops one
# ASCII space between a Chinese character and a Chinese character or a digit ("最近 90天 没 买过"),
# and places its cues back on the typed text by these gaps' positions.
CJK_SPACES = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")
CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff\d])|(?<=\d) (?=[\u4e00-\u9fff])")


def without_cjk_spaces(text: str, digits: bool = False) -> str:
    """`text` without the spaces typed between Chinese words (CJK_SPACES); `digits`: also those
    between a Chinese word and a digit, one space each (CJK_GAP)."""
    return (CJK_GAP if digits else CJK_SPACES).sub("", text)


class NotUnderstood(ShopqlError):
    """The offline engine cannot answer this question; `suggestions` are close ones it can."""

    exit_code = ExitCode.NOT_UNDERSTOOD

    def __init__(
        self,
        message: str,
        unknown: list[str],
        suggestions: list[str],
        understood: list[str] | None = None,
    ) -> None:
        hint = "try: " + " | ".join(suggestions) if suggestions else "rephrase the question"
        super().__init__(message, hint)
        self.unknown = unknown
        self.suggestions = suggestions
        self.understood = understood or []


class NoData(NotUnderstood):
    """The question names something the warehouse has no data for (nlq/absent.py)."""


class SetNotUnderstood(NotUnderstood):
    """A set question over people (nlq/people.py) the offline engine found but cannot place whole."""


class Unsure(NotUnderstood):
    """The offline engine has an answer, but it ignored some words of the question."""


@dataclass
class Understanding:
    """What the offline engine made of a question."""

    query: SemanticQuery
    compound: str | None = None  # "buyer_profile": top products, then who bought them
    recognised: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    follow_up: bool = False

    @property
    def confident(self) -> bool:
        return not self.ignored


@dataclass
class ResultSet:
    """One result of an answer (a compound answer has several)."""

    name: str
    sql: str
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool = False

    def to_json(self) -> dict[str, Any]:
        from shopql.warehouse.query import to_json_value

        return {
            "name": self.name,
            "sql": self.sql,
            "columns": self.columns,
            "rows": [[to_json_value(v) for v in row] for row in self.rows],
        }


# How an answer's SQL was made: compiled from a semantic query by the catalog compiler (both
# engines), written by the model (the LLM's fallback), or built by a compound answer's own SQL.
PATHS = ("semantic", "sql", "compound")


@dataclass
class Answer:
    question: str
    engine: str
    results: list[ResultSet]
    understood: list[str] = field(default_factory=list)
    definitions: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    query: SemanticQuery | None = None
    compound: str | None = None
    attempts: list[Any] = field(default_factory=list)
    duration_ms: float = 0.0
    path: str = "semantic"  # one of PATHS

    @property
    def main(self) -> ResultSet:
        return self.results[0]

    @property
    def sql(self) -> str:
        return self.main.sql

    def to_json(self) -> dict[str, Any]:
        main = self.main.to_json()
        document: dict[str, Any] = {
            "question": self.question,
            "engine": self.engine,
            "path": self.path,
            "sql": main["sql"],
            "columns": main["columns"],
            "rows": main["rows"],
            "understood": self.understood,
            "definitions": self.definitions,
            "ignored": self.ignored,
            "notes": self.notes,
            "truncated": self.main.truncated,
            "duration_ms": round(self.duration_ms, 1),
        }
        if self.query is not None:
            document["semantic_query"] = self.query.to_dict()
        if len(self.results) > 1:
            document["results"] = [r.to_json() for r in self.results]
        if self.attempts:
            document["attempts"] = [
                {"path": getattr(a, "path", "sql"), "sql": a.sql, "error": a.error}
                for a in self.attempts
            ]
        return document
