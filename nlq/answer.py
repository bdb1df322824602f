"""Answering a question end to end: pick an engine, get SQL, guard it, run it, and say what was
understood, which definitions (口径) were used, which engine answered and how long it took.

Engines: ``offline`` (catalog compiler, deterministic), ``llm`` (OpenAI-compatible model with a
repair loop) and ``auto`` (offline when it understands the question with confidence, else the LLM
when one is configured).
"""

from __future__ import annotations

import re
import time
from typing import Any

from shopql.catalog.semantic import SemanticQuery
from shopql.errors import ShopqlError
from shopql.nlq.linking import has_chinese
from shopql.nlq.pipeline import definitions, run_semantic, with_share  # noqa: F401 (re-exported)
from shopql.nlq.requests import without_requests
from shopql.nlq.session import Workspace
from shopql.nlq.shared import (  # noqa: F401 (re-exported: the types moved to nlq.shared)
    Answer,
    NoData,
    NotUnderstood,
    ResultSet,
    SetNotUnderstood,
    Understanding,
    Unsure,
    without_cjk_spaces,
)
from shopql.nlq.traditional import as_simplified
from shopql.nlq.typos import read_avg_in_chinese

ENGINES = ("auto", "offline", "llm")


# a question with spaces typed between Chinese words is read first without them, the whole
# question, and as typed only when that reading leaves words unplaced (so "上上周 天猫" keeps its
# space: no 周天) or is a set question (answer_offline); nlq/reading.py _mixed_words (and
# _spaced_words) join spaces while linking, also in a question answered as typed ("东莞仓 有库存的
# SKU 有多少": the count, not a list). The join itself is nlq/shared.py without_cjk_spaces, shared
# with the set-phrase reading.


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
    from shopql.nlq.shared import NoData

    try:
        return answer_offline(ws, question, previous, require_confident=True)
    except NoData:  # no data for it here: no model can answer it either
        raise
    except Unsure as unsure:
        try:
            return _handed_over(answer_llm(ws, question, earlier), unsure)
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
    except NotUnderstood as e:
        return _handed_over(answer_llm(ws, question, earlier), e)


def _handed_over(answer: Answer, refusal: NotUnderstood) -> Answer:
    """An LLM answer given after the offline engine refused: say so, and which path answered."""
    placed = f" (could not place {', '.join(repr(w) for w in refusal.unknown)})"
    how = "model-written SQL" if answer.path == "sql" else "a semantic query"
    answer.understood.insert(
        0,
        f"engine: the offline engine did not understand the question{placed if refusal.unknown else ''}; "
        f"the LLM answered with {how}",
    )
    return answer


def answer_offline(
    ws: Workspace, question: str, previous: SemanticQuery | None, require_confident: bool
) -> Answer:
    """The offline engine (`_offline`). Spaces typed between Chinese words must not change what
    a question asks: one with such spaces is read first without them ("平均 每个客户 买了 多少件"
    as "平均每个客户买了多少件", "今年 上半年 vs 下半年 到 现在" with its 到现在), and the answer says
    so. A reading without them that leaves words unplaced (a word made across a space: "上上周
    天猫" is no 周天 + 猫) goes back to the question as typed, the spaces keeping its words apart;
    so does one the engine declines, unless the question with only its one-character words
    joined to their neighbours is declined too ("1月 和 5月 加 起来": one total over two months
    apart, the spaces had only hidden 加起来) — a space between longer words may keep them apart
    ("英国、德国和法国以外 卖了多少" holds no 外卖). The request words said around a question
    ("麻烦查一下 … 谢谢", "Can you check …": nlq/requests.py) are read away first, and the answer
    says so. Traditional characters (訂單, 銷售額) are read as simplified first (nlq/traditional.py),
    and the answer says so."""
    simplified, read = as_simplified(question)
    simplified, avg = read_avg_in_chinese(simplified)  # before the spaces around it are read
    read += avg
    if read:
        try:
            out = answer_offline(ws, simplified, previous, require_confident)
        except NotUnderstood as e:
            e.message = f"{e.message} ({'; '.join(read)})"
            raise
        out.understood[:0] = read
        out.question = question
        return out
    asked, said = without_requests(question)
    if said:
        note = (
            f"read without the words said around the question: {', '.join(repr(w) for w in said)}"
        )
        try:
            out = answer_offline(ws, asked, previous, require_confident)
        except NotUnderstood as e:
            e.message = f"{e.message} ({note})"
            raise
        out.understood.insert(0, note)
        out.question = question
        return out
    joined = _date_gaps_closed(without_cjk_spaces(_values_listed(ws, question)))
    if joined == question:
        return _offline(ws, question, previous, require_confident)
    try:
        out = _offline(ws, joined, previous, True)
    except NoData as e:
        e.message = f"{e.message} (read without the spaces between Chinese words: {joined!r})"
        raise
    except NotUnderstood as e:
        if not _as_typed_may_answer(e):
            e.message = f"{e.message} (read without the spaces between Chinese words: {joined!r})"
            _declined_with_short_words_joined(ws, question, previous, e)
        return _offline(ws, question, previous, require_confident)
    out.understood.insert(0, f"read without the spaces between Chinese words: {joined!r}")
    out.question = question
    return out


_WORDS_SPACED = re.compile(r"[^\s]+")
# a date typed with spaces between its numbers and their units ("2017 年 10 月 到 2018 年 3 月"):
# one date, the spaces closed (a number before 年 / 月 / 日 / 号, then a month or day after 年 / 月)
_NUMBER_UNIT_GAP = re.compile(r"(?<=\d)[ \u3000]+(?=[年月日号])")
_UNIT_NUMBER_GAP = re.compile(r"(?<=\d[年月])[ \u3000]+(?=\d{1,2}[月日号])")


def _date_gaps_closed(text: str) -> str:
    """`text` with the spaces inside a typed date closed ("2017 年 10 月" as 2017年10月)."""
    if not re.search(r"\d[ \u3000]+[年月日号]", text):
        return text
    return _UNIT_NUMBER_GAP.sub("", _NUMBER_UNIT_GAP.sub("", text))


def _values_listed(ws: Workspace, question: str) -> str:
    """`question` with each space typed between two values of one dimension written as the list
    mark 、 ("今年 英国 德国 法国 以外": 英国、德国、法国 — not one run 英国德国法国 once the spaces go)."""
    words = [(m.start(), m.end(), m.group()) for m in _WORDS_SPACED.finditer(question)]
    out, last = [], 0
    for (_, a_end, a), (b_start, _, b) in zip(words, words[1:], strict=False):
        da, db = _value_dimension(ws, a), _value_dimension(ws, b)
        if da is not None and da == db:
            out += [question[last:a_end], "、"]
            last = b_start
    return "".join(out) + question[last:]


def _value_dimension(ws: Workspace, word: str) -> str | None:
    """The dimension `word` is a value of, said whole (a Chinese word only), or None."""
    from shopql.nlq.linking import normalise

    if not has_chinese(word):
        return None
    terms = ws.vocabulary.terms.get(normalise(word)) or []
    return terms[0].target if terms and terms[0].kind == "value" else None


# a space beside a Chinese word of one character ("加 起来", "卖 了", "上 上周"): a word cut short
_SHORT_WORD_GAP = re.compile(
    r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff](?:[ \u3000]|$))"
    r"|(?:(?<=^[\u4e00-\u9fff])|(?<=[ \u3000][\u4e00-\u9fff]))[ \u3000]+(?=[\u4e00-\u9fff])"
)


def _declined_with_short_words_joined(
    ws: Workspace, question: str, previous: SemanticQuery | None, refusal: NotUnderstood
) -> None:
    """Raise `refusal` when `question` with its one-character words joined to their neighbours
    is declined as well (not merely left with words unplaced)."""
    from shopql.nlq.offline import understand

    short = _SHORT_WORD_GAP.sub("", question)
    if short == question:
        return
    try:
        understand(short, ws, previous)
    except NotUnderstood as e:
        if not _as_typed_may_answer(e):
            raise refusal from None


def _as_typed_may_answer(refusal: NotUnderstood) -> bool:
    """Whether a question refused as read without its spaces is read once more as typed: when
    words were left unplaced (words joined across a space: "每笔 退" as 每笔退), and for a set
    question over people, whose clauses the spaces may keep apart ("今年买过 但是 近90天 没再买的
    客户"). A refusal of what the words say ("1月 和 5月 加 起来": one total over two months
    apart) is the answer."""
    return isinstance(refusal, (Unsure, SetNotUnderstood)) or bool(refusal.unknown)


def _offline(
    ws: Workspace, question: str, previous: SemanticQuery | None, require_confident: bool
) -> Answer:
    """The offline engine: understand, then the shared path (nlq.pipeline): compile with the
    catalog, guard, run."""
    from shopql.errors import GuardError
    from shopql.nlq.offline import understand
    from shopql.nlq.reading import suggestions_for

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
    try:
        out = _understood_answer(ws, question, u)
    except GuardError as e:
        if not e.message.startswith(UNBUILT):
            raise
        # the engine built SQL naming what the data lacks (a column no table has): its own
        # fault, never shown as the guard's error — refused, with what it understood
        raise NotUnderstood(
            f"the offline engine cannot answer this: the query it built does not fit the data "
            f"({e.message}) — understood: " + "; ".join(u.recognised),
            [],
            suggestions_for(question, None, ws),
            u.recognised,
        ) from e
    from shopql.nlq import form

    main = out.results[0] if out.results else None
    if main is not None:  # a ranking, a share, a comparison's own SQL too: the form asked
        form.check(question, out.query, list(main.columns), list(main.rows), ws, out.understood)
    from shopql.nlq.direction import direction_notes

    out.notes += direction_notes(question, out, ws.catalog)  # "跌了多少" answered: it went up
    return out


# the guard's words for SQL that names what the warehouse lacks (warehouse/guard.py)
UNBUILT = ("no column ", "the query does not resolve", "the query does not bind")


def _understood_answer(ws: Workspace, question: str, u: Any) -> Answer:
    """The answer to what the offline engine understood (`u`), by its kind."""
    from shopql.catalog.model import CatalogError

    if u.query.population is not None and (u.compound or not u.query.metrics):
        return _people(ws, question, u)
    from shopql.nlq import comparisons

    if comparisons.special(u.query) and not u.compound:  # A vs B, shares, growth, rankings
        return _every_metric_shown(comparisons.answer(ws, question, u), u)
    try:
        return run_semantic(
            ws, question, u.query, "offline", u.recognised, u.ignored, compound=u.compound
        )
    except CatalogError as e:
        raise _cannot_answer(question, ws, e) from e


def _every_metric_shown(a: Answer, u: Any) -> Answer:
    """A comparison's answer shows every figure the question named: "11月比10月 哪个品类的销售额和
    订单数涨幅最大" ranked by the first figure with the second nowhere in it is refused (the
    second was dropped), naming it, rather than half an answer."""
    columns = [c for r in a.results for c in r.columns]
    bounds = {h.dimension for h in u.query.having or ()}  # "(10月至少20张发票)": a condition's
    missing = [
        m
        for m in u.query.metrics
        if not any(m in c for c in columns) and not any(b.startswith(m) for b in bounds)
    ]
    if not missing or len(missing) == len(u.query.metrics):
        return a  # none shown by its own name: a figure derived from them (a share, a ratio)
    raise NotUnderstood(
        "not understood, nothing answered: the comparison found shows "
        + ", ".join(m for m in u.query.metrics if m not in missing)
        + " but not "
        + ", ".join(missing)
        + ", also named — ask each figure's comparison on its own",
        [],
        [],
        u.recognised,
    )


def _cannot_answer(question: str, ws: Workspace, e: Any) -> NotUnderstood:
    """A query the catalog cannot compile: refused (exit 5), with questions it can answer."""
    from shopql.nlq.reading import suggestions_for

    return NotUnderstood(
        f"the offline engine cannot answer this: {e.message}",
        [],
        suggestions_for(question, None, ws),
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
    buyers of X but not Y, multi-platform buyers …) — the semantic query compiled by the catalog,
    guarded and run on the shared path (nlq.pipeline.semantic_answer) like any other."""
    from shopql.catalog.compiler import compile_query
    from shopql.catalog.model import CatalogError
    from shopql.nlq.pipeline import semantic_answer

    try:
        compiled = compile_query(ws.catalog, u.query, today=ws.today)
    except CatalogError as e:
        raise _cannot_answer(question, ws, e) from e
    out = semantic_answer(
        ws, question, u.query, compiled, compiled.sql, "offline", list(u.recognised), u.ignored,
        u.compound,
    )  # fmt: skip
    zh = has_chinese(question)
    place = u.query.extra.get("rank_at")
    if u.query.population.output == "list" and place:
        # "花钱第三多的客户": the person at that place, the ranking down to it beside
        ranking = out.results[0]
        at = ResultSet("answer", ranking.sql, ranking.columns, ranking.rows[place - 1 : place])
        out.results[:1] = [at, ResultSet("ranking", ranking.sql, ranking.columns, ranking.rows)]
    elif u.query.population.output == "list":
        out.understood.append(f"found: {len(out.main.rows):,} {'人' if zh else 'people'}")
    if u.query.extra.get("list_too"):  # "people who bought X but not Y": how many, and who
        out.results.append(_people_list(ws, question, u.query))
    buyer = PEOPLE_DEFINITIONS.get(u.compound or "", PERSON_DEFINITION)
    out.definitions = {"buyer": buyer, **out.definitions}
    return out


def _people_list(ws: Workspace, question: str, query: SemanticQuery) -> ResultSet:
    """The people of a count, one row each (the list answer of the same population)."""
    from dataclasses import replace

    from shopql.catalog.compiler import compile_query

    assert query.population is not None
    listed = replace(query, population=replace(query.population, output="list"), extra={})
    compiled = compile_query(ws.catalog, listed, today=ws.today)
    r = ws.run(compiled.sql, question, source="ask:offline")
    return ResultSet("people", r.sql, r.columns, r.rows, r.truncated)


def answer_llm(ws: Workspace, question: str, earlier: str | None = None) -> Answer:
    """The LLM engine (nlq.pipeline): a semantic query by tool call first, SQL as the fallback."""
    from shopql.nlq.pipeline import answer_llm as ask_llm

    return ask_llm(ws, question, earlier)
