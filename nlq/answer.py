"""Answering a question end to end: pick an engine, get SQL, guard it, run it, and say what was
understood, which definitions (口径) were used, which engine answered and how long it took.

Engines: ``offline`` (catalog compiler, deterministic), ``llm`` (OpenAI-compatible model with a
repair loop) and ``auto`` (offline when it understands the question with confidence, else the LLM
when one is configured).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from typing import Any

from shopql.catalog.semantic import SemanticQuery
from shopql.errors import ShopqlError
from shopql.nlq.session import Workspace

ENGINES = ("auto", "offline", "llm")


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
            document["attempts"] = [{"sql": a.sql, "error": a.error} for a in self.attempts]
        return document


class NoEngine(ShopqlError):
    """The requested engine is not available."""


def answer(
    ws: Workspace,
    question: str,
    engine: str = "auto",
    previous: SemanticQuery | None = None,
    earlier_question: str | None = None,
    lenient: bool = False,
) -> Answer:
    """Answer `question` with `engine`; raise a ShopqlError the user can act on when impossible.

    The offline engine answers only when every content word of the question is placed in the
    query it runs; otherwise it raises NotUnderstood (exit 5) with what it understood, the words
    it could not place and close questions it can answer. `lenient` answers the understood part
    instead, with a note naming the ignored words.

    In a conversation, `previous` (the last semantic query) lets the offline engine read
    follow-ups, and `earlier_question` is told to the LLM."""
    started = time.perf_counter()
    question = question.strip()
    if not question:
        raise NoEngine(
            "the question is empty", 'ask something, e.g. shopql ask "GMV by platform last month"'
        )
    if re.match(r"(?is)^\s*(select|with|from)\s.+\b(from|select)\b", question):
        raise NoEngine(
            "this looks like SQL, not a question", f'run it with: shopql sql "{question}"'
        )
    if engine not in ENGINES:
        raise NoEngine(f"unknown engine {engine!r}", f"use one of {', '.join(ENGINES)}")
    try:
        if engine == "llm":
            result = answer_llm(ws, question, earlier_question)
        elif engine == "offline" or not ws.settings.llm.configured:
            result = answer_offline(ws, question, previous, require_confident=not lenient)
        else:
            result = _auto(ws, question, previous, earlier_question, lenient)
    finally:
        ws.close()
    result.duration_ms = (time.perf_counter() - started) * 1000
    return result


def _auto(
    ws: Workspace,
    question: str,
    previous: SemanticQuery | None,
    earlier: str | None,
    lenient: bool = False,
) -> Answer:
    from shopql.nlq.llm import LLMError, LLMFailed
    from shopql.nlq.offline import NoData, NotUnderstood, Unsure

    try:
        return answer_offline(ws, question, previous, require_confident=True)
    except NoData:  # no data for it here: no model can answer it either
        raise
    except Unsure as unsure:
        try:
            return answer_llm(ws, question, earlier)
        except (LLMError, LLMFailed) as e:
            if not lenient:
                raise Unsure(
                    f"{unsure.message}; the LLM could not answer either ({e.message})",
                    unsure.unknown,
                    unsure.suggestions,
                    unsure.understood,
                ) from e
            # lenient: the offline engine had an answer, only not a confident one: say so
            fallback = answer_offline(ws, question, previous, require_confident=False)
            fallback.notes.append(
                f"the LLM could not answer ({e.message}); this is the offline answer, which "
                f"ignored {', '.join(repr(w) for w in unsure.unknown)}"
            )
            return fallback
    except NotUnderstood:
        return answer_llm(ws, question, earlier)


def answer_offline(
    ws: Workspace, question: str, previous: SemanticQuery | None, require_confident: bool
) -> Answer:
    """The offline engine: understand, compile with the catalog, guard, run."""
    from shopql.catalog.compiler import compile_query
    from shopql.catalog.model import CatalogError
    from shopql.nlq.offline import NotUnderstood, Unsure, understand

    u = understand(question, ws, previous)
    if require_confident and not u.confident:
        from shopql.nlq.offline import close_questions

        raise Unsure(
            "not understood, nothing answered: could not place "
            + ", ".join(repr(w) for w in u.ignored)
            + " — understood: "
            + "; ".join(u.recognised),
            u.ignored,
            close_questions(question, u.query, ws),
            u.recognised,
        )
    if u.query.population is not None and (u.compound or not u.query.metrics):
        return _people(ws, question, u)
    from shopql.nlq import comparisons, periods

    if comparisons.special(u.query) and not u.compound:  # A vs B, shares, growth, rankings
        return comparisons.answer(ws, question, u)
    share = bool(u.query.extra.get("share"))
    base = replace(u.query, limit=None, order_by=(), extra={}) if share else u.query
    try:
        compiled = compile_query(ws.catalog, base, today=ws.today)
    except CatalogError as e:
        from shopql.nlq.offline import suggestions_for

        raise NotUnderstood(
            f"the offline engine cannot answer this: {e.message}",
            [],
            suggestions_for(question, None, ws),
        ) from e
    sql = with_share(compiled.sql, u.query) if share else compiled.sql
    period_notes = periods.check(ws, compiled, question)  # an empty period: exit 5, said
    result = ws.run(sql, question, source="ask:offline")
    compiled.notes += _null_time_notes(ws, compiled)
    main = ResultSet("answer", result.sql, result.columns, result.rows, result.truncated)
    out = Answer(
        question=question,
        engine="offline",
        results=[main],
        understood=_understood(u.recognised, compiled),
        definitions=definitions(compiled.metrics, question),
        ignored=u.ignored,
        notes=list(compiled.notes) + period_notes + _ignored_note(u.ignored),
        query=u.query,
        compound=u.compound,
    )
    if u.compound == "buyer_profile":
        from shopql.nlq.compound import buyer_profile

        out.results += buyer_profile(ws, u.query, main, question)
        out.definitions.setdefault(
            "buyers",
            "distinct people (OneID, else the account) with a paid order of those products in the period",
        )
    return out


def _null_time_notes(ws: Workspace, compiled: Any) -> list[str]:
    """How many rows a time breakdown left out because their time is NULL (catalog.families)."""
    from shopql.catalog.families import null_time_notes

    def count(sql: str) -> Any:
        rows = ws.run(sql, None, source="ask:offline").rows
        return rows[0][0] if rows else None

    return null_time_notes(compiled.null_checks, count)


def _ignored_note(ignored: list[str]) -> list[str]:
    if not ignored:
        return []
    words = ", ".join(repr(w) for w in ignored)
    return [f"LENIENT: this answers only part of the question; it ignored {words}"]


def with_share(sql: str, query: SemanticQuery) -> str:
    """Each row's share of the total of the first metric (over all rows, before any top-N)."""
    m = query.metrics[0]
    order = query.order_by[0] if query.order_by else None
    ranking = (
        f" ORDER BY {order.name} {'DESC' if order.descending else 'ASC'} NULLS LAST"
        if order
        else f" ORDER BY {m} DESC NULLS LAST"
    )
    limit = f" LIMIT {int(query.limit)}" if query.limit else ""
    return (
        f"SELECT *, round(CAST({m} AS DOUBLE) / nullif(sum({m}) OVER (), 0), 4) AS {m}__share "
        f"FROM ({sql}) AS answer{ranking}{limit}"
    )


PERSON_DEFINITION = (
    "a person (OneID; the account before OneID is built); bought = a paid order (by payment "
    "time) matching the condition's filters"
)
PEOPLE_DEFINITIONS = {
    "buyers_without": "a person (OneID; the account before OneID is built) with a paid order line "
    "matching the kept products in the period; anyone who ever paid for an excluded product is "
    "left out",
    "top_customers": "a person (OneID; the account before OneID is built); paid_gmv is the sum of "
    "paid_amount of their paid orders in the period, paid_orders their number",
    "": PERSON_DEFINITION,
}


def _people(ws: Workspace, question: str, u: Any) -> Answer:
    """Answers about a set of people (catalog/people.py): how many, or who (top customers,
    buyers of X but not Y, multi-platform buyers …)."""
    from shopql.catalog.compiler import compile_query
    from shopql.catalog.model import CatalogError
    from shopql.nlq.offline import NotUnderstood, suggestions_for

    try:
        compiled = compile_query(ws.catalog, u.query, today=ws.today)
    except CatalogError as e:
        raise NotUnderstood(
            f"the offline engine cannot answer this: {e.message}",
            [],
            suggestions_for(question, None, ws),
        ) from e
    result = ws.run(compiled.sql, question, source="ask:offline")
    zh = any("\u4e00" <= ch <= "\u9fff" for ch in question)
    understood = list(u.recognised)
    if u.query.population.output == "list":
        understood.append(f"found: {len(result.rows):,} {'人' if zh else 'people'}")
    found = definitions(compiled.metrics, question)
    return Answer(
        question=question,
        engine="offline",
        results=[ResultSet("answer", result.sql, result.columns, result.rows, result.truncated)],
        understood=understood,
        definitions={"buyer": PEOPLE_DEFINITIONS.get(u.compound or "", PERSON_DEFINITION), **found},
        ignored=u.ignored,
        notes=list(compiled.notes),
        query=u.query,
        compound=u.compound,
    )


def _understood(lines: list[str], compiled: Any) -> list[str]:
    """The engine's lines, with the comparison range resolved to real dates."""
    if compiled.previous is None:
        return lines
    from shopql.nlq.offline import describe_range

    kind = (
        "same period a year before"
        if compiled.query.compare == "year_over_year"
        else "previous period"
    )
    tr = compiled.previous
    resolved = f"compared with: {describe_range(type(tr)(tr.start, tr.end, kind))}"
    return [resolved if line.startswith("compared with:") else line for line in lines]


def definitions(metrics: list[Any], question: str) -> dict[str, str]:
    """metric → its definition (口径) in the question's language."""
    zh = any("\u4e00" <= ch <= "\u9fff" for ch in question)
    lang = "zh" if zh else "en"
    return {m.name: m.description.get(lang) or m.description.get("en", "") for m in metrics}


def answer_llm(ws: Workspace, question: str, earlier: str | None = None) -> Answer:
    """The LLM engine: linked context → model → guard → run, repairing on errors."""
    from shopql.nlq.context import build_context
    from shopql.nlq.llm import LLMError, OpenAIChat, ask_model
    from shopql.nlq.prompt import messages_for

    settings = ws.settings.llm
    if ws.model is None and not settings.configured:
        raise LLMError(
            "no LLM is configured",
            "set OPENAI_BASE_URL, OPENAI_API_KEY and SHOPQL_MODEL (or [llm] in shopql.toml), "
            "or use --engine offline",
        )
    ctx, metrics = build_context(ws, question)
    model = ws.model or OpenAIChat(settings)
    found = ask_model(
        model,
        messages_for(question if not earlier else f"{question}\n(This follows: {earlier})", ctx),
        lambda sql: ws.run(sql, question, source="ask:llm"),
        settings.max_tries,
        settings.deadline_s,
    )
    result = found.result
    used = [m for m in metrics if m.name in found.sql.lower()]
    return Answer(
        question=question,
        engine="llm",
        results=[ResultSet("answer", result.sql, result.columns, result.rows, result.truncated)],
        understood=[f"tries: {len(found.attempts)}", f"context: {', '.join(ctx.tables)}"],
        definitions=definitions(used, question),
        attempts=found.attempts,
    )
