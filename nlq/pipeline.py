"""The one straight path both engines share:

    question → (offline parse | LLM tool call) → SemanticQuery → catalog compiler → guard → run
    → Answer

``run_semantic`` is the second half, used by the offline engine (``nlq.answer``) and by the LLM
engine (``answer_llm`` here), so an LLM answer uses the same 口径 as ``shopql metric``. The LLM is
asked for a semantic query first, through OpenAI tool calling with a schema generated from the
catalog (``nlq.semantic_tool``); its arguments are checked and compiled, and any error goes back
to it as the tool result, at most ``max_tries`` times within ``deadline_s``. Model-written SQL
(through the guard) is the fallback: when the model says the semantic layer cannot express the
question (``write_sql``, or SQL in its reply), or when its semantic tries are exhausted. The
Answer's ``path`` says which one answered.

This module imports the engines' pieces; nothing it imports imports it back (tested).
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from functools import partial
from typing import Any

from shopql.catalog.semantic import Filter, SemanticQuery
from shopql.nlq.linking import has_chinese
from shopql.nlq.shared import Answer, ResultSet


def compile_semantic(ws: Any, query: SemanticQuery) -> tuple[Any, str]:
    """The compiled query and the SQL to run (with each row's share when the query asks).

    Raises:
        CatalogError: what the catalog cannot answer.
    """
    from shopql.catalog.compiler import compile_query

    peak = query.extra.get("peak_ratio")
    if peak and query.time_range is not None and query.grain:
        # "最忙那天是日均的几倍": the breakdown by the grain, its largest period set against the
        # average (or the lowest) one (nlq/peaks.py)
        from shopql.nlq.peaks import wrap

        by_period = replace(query, extra={})
        compiled = compile_query(ws.catalog, by_period, today=ws.today)
        tr = query.time_range
        sql = wrap(compiled.sql, query.metrics[0], str(peak), tr.start, tr.end, query.grain)
        return compiled, sql
    cut = query.extra.get("trim_cut")
    if cut:
        # "去掉最大的1%订单后的客单价": the orders at or below the period's percentile of order
        # value, the percentile's own query in the threshold's place (nlq/trimmed.py)
        from shopql.catalog.model import CatalogError
        from shopql.nlq.trimmed import CUT, fill_cut

        compiled = compile_query(ws.catalog, replace(query, extra={}), today=ws.today)
        kept = tuple(f for f in query.filters if f.values != (CUT,))
        of_cut = replace(  # the period's one cut: every breakdown's orders against it
            query,
            metrics=(str(cut),),
            filters=kept,
            dimensions=(),
            grain=None,
            order_by=(),
            limit=None,
            extra={},
        )
        filled = fill_cut(compiled.sql, compile_query(ws.catalog, of_cut, today=ws.today).sql)
        if filled is None:
            raise CatalogError("the cut of the largest orders could not be placed in the query")
        return compiled, filled
    share = bool(query.extra.get("share"))
    # a ranking by share leaves the row of no value out, but its share is of the whole
    known = tuple(query.extra.get("known_only") or ()) if share else ()
    kept = tuple(f for f in query.filters if not (f.op == "is not null" and f.dimension in known))
    base = replace(query, filters=kept, limit=None, order_by=(), extra={}) if share else query
    compiled = compile_query(ws.catalog, base, today=ws.today)
    if not share:
        return compiled, compiled.sql
    whole = None
    from shopql.catalog.families import adds_up

    dropped = set(query.extra.get("share_whole_drops") or ())
    if dropped:
        # "英国以外卖得最好的国家 占了全部营业额多少": the whole is every group's, the groups the
        # filter left out included (the filter only chose which groups are ranked)
        every = tuple(f for f in base.filters if f.dimension not in dropped)
        alone = replace(base, dimensions=(), grain=None, filters=every)
        whole = compile_query(ws.catalog, alone, today=ws.today).sql
    elif not adds_up(ws.catalog, query.metrics[0]):
        # people (or sellers) are counted once in the whole however many rows they are in: each
        # row's share is of that count, not of the rows' sum (which counts them again and again)
        alone = replace(base, dimensions=(), grain=None)
        whole = compile_query(ws.catalog, alone, today=ws.today).sql
    return compiled, with_share(compiled.sql, query, known, whole)


def _refuse_valueless_threshold(
    ws: Any, query: SemanticQuery, rows: list[Any], question: str
) -> None:
    """ "cancellation invoices over £100", "退款金额超过100镑的取消发票有几张" on Online Retail:
    the order value (a bare money threshold) is what was paid, and a cancellation invoice (status
    refunded) was never paid — its value is a refund — so no such row has a value to compare and
    the answer would be 0 by construction, not a count of large cancellations. When the rows the
    other filters keep exist but none has the threshold's value at all, nothing is answered."""
    from shopql.nlq.nodata import NoDataHere

    catalog = ws.catalog
    if query.dimensions or query.grain or len(rows) != 1 or "orders" not in catalog.metrics:
        return
    if any(v not in (0, None) for v in rows[0]):
        return
    for f in query.filters:
        t = catalog.thresholds.get(f.dimension)
        if t is None or not t.bare or not t.filter or f.op not in (">", ">=", "<", "<=", "="):
            continue
        others = tuple(x for x in query.filters if x is not f)
        if not others:
            continue
        base = replace(query, metrics=("orders",), filters=others, extra={}, order_by=())
        any_value = replace(base, filters=(*others, Filter(f.dimension, ">=", (-(10**15),))))
        try:
            kept = ws.run(compile_semantic(ws, base)[1], None, source="ask:offline").rows
            valued = ws.run(compile_semantic(ws, any_value)[1], None, source="ask:offline").rows
        except Exception:  # noqa: BLE001 - a check only: the answer stands when it cannot run
            return
        n, v = (kept[0][0] if kept else 0), (valued[0][0] if valued else 0)
        if not n or v:
            continue
        label = t.label.get("zh" if has_chinese(question) else "en", t.name)
        if has_chinese(question):
            raise NoDataHere(
                f"其余条件选出的 {n} 单都从未付款，没有可比较的{label}（付款金额）："
                f"按{label}筛选只会得到 0，不是所问的数",
                "问它们的退款金额，或去掉金额条件再问",
            )
        raise NoDataHere(
            f"the {n} orders the other conditions keep were never paid, so none has an "
            f"{label.lower()} (what was paid) to compare: the condition would count none of "
            "them — not the figure asked",
            "ask for their refund amount, or ask without the amount condition",
        )


_EXCLUDING = ("not in", "!=", "<>", "not like")


def _unknown_excluded_notes(
    ws: Any, query: SemanticQuery, columns: list[str], rows: list[tuple], question: str
) -> list[str]:
    """ "上个月没有用微信支付的订单", "orders not paid by boleto": an exclusion keeps only the rows
    whose value is known to be another one — a row whose export names no value (no payment
    channel at all) may have been the excluded one, so it is not counted. Said with what those
    rows hold (the first metric over them), so the asker sees how NULL values were treated and
    how much they are (one figure asked only: a breakdown or a comparison is left as it is)."""
    if query.dimensions or query.grain or query.compare or len(rows) != 1 or not query.metrics:
        return []
    catalog = ws.catalog
    notes: list[str] = []
    for f in query.filters:
        if f.op.lower() not in _EXCLUDING or f.dimension not in catalog.dimensions:
            continue
        others = tuple(x for x in query.filters if x is not f)
        first = query.metrics[0]
        unknown = replace(
            query,
            metrics=(first,),
            filters=(*others, Filter(f.dimension, "is null", ())),
            order_by=(),
            limit=None,
        )
        try:
            got = ws.run(compile_semantic(ws, unknown)[1], None, source="ask:offline").rows
        except Exception:  # noqa: BLE001 - a note only: the answer stands when it cannot run
            continue
        value = got[0][0] if got and got[0] else None
        if value in (None, 0):
            continue
        said = ", ".join(str(v) for v in f.values)
        if has_chinese(question):
            notes.append(
                f"{f.dimension} 为空（数据未注明）的记录未计入“不是 {said}”（它们可能就是 {said}）；"
                f"这些记录的 {first}：{value}"
            )
        else:
            notes.append(
                f"rows with no {f.dimension} (the data names none) are not counted as not "
                f"{said}: they may be {said}; their {first}: {value}"
            )
    return notes


def run_semantic(
    ws: Any,
    question: str,
    query: SemanticQuery,
    engine: str,
    recognised: list[str] | None = None,
    ignored: list[str] | None = None,
    compound: str | None = None,
) -> Answer:
    """Compile `query` with the catalog, guard it, run it and say what was understood.

    Raises:
        CatalogError: the catalog cannot answer `query`; GuardError / QueryError from the run.
    """
    compiled, sql = compile_semantic(ws, query)
    return semantic_answer(
        ws, question, query, compiled, sql, engine, recognised, ignored, compound
    )


def _no_key_notes(query: SemanticQuery, columns: list[str], rows: list[tuple]) -> list[str]:
    """A plain breakdown keeps the group of rows that name no value of its dimension (orders with
    no carrier): its own row, shown blank, part of the total. Said, so that row is not read as a
    value; a ranking leaves it out (comparisons.known_only) and says so itself."""
    if len(rows) < 2 or query.extra.get("known_only"):
        return []
    notes = []
    for d in query.dimensions:
        if d in columns and any(r[columns.index(d)] is None for r in rows):
            notes.append(
                f"the row with no {d} (blank) gathers the data that names no {d}: its own "
                f"group, not a {d} (a ranking leaves it out)"
            )
    return notes


def semantic_answer(
    ws: Any,
    question: str,
    query: SemanticQuery,
    compiled: Any,
    sql: str,
    engine: str,
    recognised: list[str] | None = None,
    ignored: list[str] | None = None,
    compound: str | None = None,
) -> Answer:
    """Run the compiled `sql` and build the Answer (plus a compound's further result sets).

    Raises:
        NoDataInPeriod: the asked period holds no data at all (exit 5, said with the data's end).
    """
    from shopql.nlq import nodata, periods

    period_notes = periods.check(ws, compiled, question)  # an empty period: exit 5, said
    result = ws.run(sql, question, source=f"ask:{engine}")
    nodata.check(ws, query, result.columns, result.rows, question)  # all NULL: no data, exit 5
    _refuse_valueless_threshold(ws, query, result.rows, question)
    from shopql.nlq import form

    # the form asked, else exit 5 (saying what was understood, with close questions)
    form.check(question, query, result.columns, result.rows, ws, recognised)
    blank, blank_notes = nodata.blank_groups(ws, query, result.columns, result.rows, question)
    if blank_notes:  # a group whose rows never carry the summed column: no figure, not 0
        result = replace(result, rows=blank)
    # rows a time breakdown left out, rows a distinct count left out: their checks, together
    from shopql.catalog.families import check_notes

    compiled.notes += check_notes(
        compiled.null_checks,
        getattr(compiled, "unkeyed_checks", []),
        lambda sql: ws.run(sql, None, source="ask:offline"),
    )
    main = ResultSet("answer", result.sql, result.columns, result.rows, result.truncated)
    if recognised is None:
        from shopql.nlq.reading import describe

        recognised = describe(query, ws) if query.metrics or query.population is None else []
        from shopql.nlq.sellers import describe as sellers_said

        recognised += sellers_said(query)  # the LLM's query by each line's seller
        if query.population is not None:  # set logic over people (catalog/people.py)
            from shopql.catalog.people import describe_people

            measured = bool(query.metrics or query.dimensions)
            recognised += describe_people(query.population, measured=measured)
    ignored = list(ignored or [])
    out = Answer(
        question=question,
        engine=engine,
        results=[main],
        understood=understood_lines(recognised, compiled),
        definitions=definitions(compiled.metrics, question),
        ignored=ignored,
        notes=list(compiled.notes)
        + period_notes
        + _ignored_note(ignored)
        + _no_key_notes(query, result.columns, result.rows)
        + blank_notes
        + _unknown_excluded_notes(ws, query, result.columns, result.rows, question),
        query=query,
        compound=compound,
        path="semantic",
    )
    if compound == "buyer_profile":
        from shopql.nlq.compound import buyer_profile

        out.results += buyer_profile(ws, query, main, question)
        out.definitions.setdefault(
            "buyers",
            "distinct people (OneID, else the account) with a paid order of those products in the period",
        )
    return out


def _ignored_note(ignored: list[str]) -> list[str]:
    if not ignored:
        return []
    words = ", ".join(repr(w) for w in ignored)
    return [f"LENIENT: this answers only part of the question; it ignored {words}"]


def with_share(
    sql: str, query: SemanticQuery, known: tuple[str, ...] = (), whole: str | None = None
) -> str:
    """Each row's share of the total of the first metric (over all rows, before any top-N;
    rows of no value of the `known` dimensions left out after their part of the total) — or,
    `whole` given, of that query's one figure (the metric without the breakdown)."""
    m = query.metrics[0]
    order = query.order_by[0] if query.order_by else None
    ranking = (
        f" ORDER BY {order.name} {'DESC' if order.descending else 'ASC'} NULLS LAST"
        if order
        else f" ORDER BY {query.grain}"  # each period's share, in time order
        if query.grain and not query.dimensions
        else f" ORDER BY {m} DESC NULLS LAST"
    )
    limit = f" LIMIT {int(query.limit)}" if query.limit else ""
    total = f"sum({m}) OVER ()" if whole is None else f"(SELECT {m} FROM ({whole}) AS whole)"
    shared = (
        f"SELECT *, round(CAST({m} AS DOUBLE) / nullif({total}, 0), 4) AS {m}__share "
        f"FROM ({sql}) AS answer"
    )
    if known:
        where = " AND ".join(f"{d} IS NOT NULL" for d in known)
        shared = f"SELECT * FROM ({shared}) AS answer WHERE {where}"
    return f"{shared}{ranking}{limit}"


def understood_lines(lines: list[str], compiled: Any) -> list[str]:
    """The engine's lines, with the comparison range resolved to real dates."""
    if compiled.previous is None:
        return lines
    from shopql.nlq.reading import describe_range

    kind = (
        "same period a year before"
        if compiled.query.compare == "year_over_year"
        else "previous period"
    )
    tr = compiled.previous
    now = compiled.query.time_range
    if (
        kind == "previous period"
        and now is not None
        and now.start is not None
        and tr.end is not None
        and tr.end < now.start
        and (now.label or "").endswith("(to date)")
    ):  # "今年下半年比上半年" on 1 September: July-August against January-February
        kind = "the same days of the period before: the later one runs only to today"
    if compiled.query.extra.get("per_bucket") and compiled.query.grain:
        kind = f"each {compiled.query.grain} with the {compiled.query.grain} before"
    resolved = f"compared with: {describe_range(type(tr)(tr.start, tr.end, kind))}"
    return [resolved if line.startswith("compared with:") else line for line in lines]


def definitions(metrics: list[Any], question: str) -> dict[str, str]:
    """metric → its definition (口径) in the question's language."""
    zh = has_chinese(question)
    lang = "zh" if zh else "en"
    return {m.name: m.description.get(lang) or m.description.get("en", "") for m in metrics}


# -- the LLM engine ------------------------------------------------------------------------------


def answer_llm(ws: Any, question: str, earlier: str | None = None) -> Answer:
    """The LLM engine: a semantic query by tool call first, model-written SQL as the fallback.

    Raises:
        LLMError: no model configured or reachable (DeadlineExceeded past ``deadline_s``).
        LLMFailed: no semantic query compiled and ran, and no SQL passed the guard and ran
            (exit 5: nothing was answered); ``attempts`` lists every try.
    """
    from shopql.nlq.context import build_context
    from shopql.nlq.llm import DeadlineExceeded, LLMError, LLMFailed, OpenAIChat, ask_model
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
    asked = question if not earlier else f"{question}\n(This follows: {earlier})"
    loop = _ToolLoop(ws, question, model, settings, time.monotonic() + settings.deadline_s)
    loop.context = (ctx, metrics)
    found = loop.run(messages_for(asked, ctx)) if loop.usable() else None
    if isinstance(found, Answer):
        return found
    earlier_attempts = loop.attempts
    remaining = loop.remaining()
    if remaining is not None and remaining <= 0:
        raise loop.deadline_error()
    try:
        sql_found = ask_model(
            model,
            messages_for(asked, ctx),
            lambda sql: run_llm_sql(ws, sql, question),
            settings.max_tries,
            remaining,
        )
    except DeadlineExceeded as e:
        if not earlier_attempts:
            raise
        raise loop.deadline_error() from e
    except LLMFailed as e:
        if not earlier_attempts:
            raise
        every = [*earlier_attempts, *e.attempts]
        raise LLMFailed(
            f"nothing answered: {loop.why}, and the model did not produce SQL that runs after "
            f"{len(e.attempts)} more tries",
            "rephrase the question, or see what was tried: " + _tried(every),
            every,
        ) from None
    tries = [*earlier_attempts, *sql_found.attempts]
    reason = loop.why or "this model is asked for SQL only"
    return _sql_answer(ws, question, sql_found.result, tries, ctx, metrics, reason)


def run_llm_sql(ws: Any, sql: str, question: str) -> Any:
    """Run model-written SQL: the guard, and first the sellers' check (`order_shop_sql`: on a
    marketplace whose orders can have several sellers, figures by orders.shop_id give the whole
    order to its first seller), sent back to the model like a guard error so it can fix it.

    Raises:
        GuardError, QueryError: as `Workspace.run`, or the SQL reads sellers from orders.shop_id.
    """
    from shopql.errors import GuardError
    from shopql.nlq.sellers import order_shop_sql

    why = order_shop_sql(sql, ws)
    if why is not None:
        raise GuardError(why, "use order_items.shop_id for each line's own seller")
    result = ws.run(sql, question, source="ask:llm")
    _check_form(question, result, ws)
    return result


def _check_form(question: str, result: Any, ws: Any = None) -> None:
    """The model's answer in the form the question asks (nlq/form.py, as on the semantic path):
    else FormMismatch, which goes back to the model like a guard error — no number shown.

    Raises:
        FormMismatch: a top N (or the one at the top) answered with more rows, each named value
            answered as one figure, one figure answered as rows.
    """
    from shopql.nlq import form
    from shopql.nlq.llm import FormMismatch

    try:
        form.check(question, None, list(result.columns), list(result.rows), ws)
    except form.WrongForm as e:
        raise FormMismatch(
            WRONG_FORM.format(why=e.message, fix=SQL_FORMS), "rephrase the question"
        ) from None


WRONG_FORM = (
    "the query ran, but its answer is not in the form the question asks: {why}; return "
    "exactly what it asks ({fix})"
)
SQL_FORMS = (
    "ORDER BY … LIMIT N for a top N, LIMIT 1 for the one at the top, one row for one figure, "
    "one row per value named for each"
)
SEMANTIC_FORMS = (
    "order and limit N for a top N, limit 1 for the one at the top, no dimensions for one "
    "figure, one row per value named for each"
)


def _sql_answer(
    ws: Any,
    question: str,
    result: Any,
    attempts: list[Any],
    ctx: Any,
    metrics: list[Any],
    reason: str,
) -> Answer:
    used = [m for m in metrics if m.name in result.sql.lower()]
    return Answer(
        question=question,
        engine="llm",
        results=[ResultSet("answer", result.sql, result.columns, result.rows, result.truncated)],
        understood=[
            f"path: model-written SQL, through the guard ({reason})",
            f"tries: {len(attempts)}",
            f"context: {', '.join(ctx.tables)}",
        ],
        definitions=definitions(used, question),
        attempts=attempts,
        path="sql",
    )


def _tried(attempts: list[Any]) -> str:
    from shopql.nlq.llm import _short

    return "; ".join(
        f"try {i}{' (semantic query)' if a.path == 'semantic' else ''}: "
        f"{_short(a.sql or a.reply, 200)!r} → {_short(a.error or '', 300)}"
        for i, a in enumerate(attempts, 1)
    )


SEMANTIC_REPAIR = (
    "Rejected: {error}. Call semantic_query again with this fixed, or write_sql if the "
    "semantic layer cannot express the question."
)
NO_CALL = (
    "That reply called no function and holds no query. Call semantic_query with the metrics, "
    "dimensions, filters and period of the question, or write_sql if it cannot express it."
)


class _ToolLoop:
    """The conversation in which the model answers by calling semantic_query (or write_sql)."""

    def __init__(self, ws: Any, question: str, model: Any, settings: Any, deadline: float) -> None:
        self.ws = ws
        self.question = question
        self.model = model
        self.settings = settings
        self.deadline = deadline
        self.attempts: list[Any] = []
        self.used_tools = False
        self.why = ""  # why the SQL fallback is asked
        self.context: tuple[Any, list[Any]] | None = None  # the prompt context and its metrics
        self._result: Any = None

    def usable(self) -> bool:
        """A model without tool calling (a test's scripted model) is asked for SQL only."""
        if not hasattr(self.model, "complete_tools"):
            return False
        try:
            self.ws.catalog  # noqa: B018 (a broken catalog leaves SQL as the only way)
        except Exception:
            return False
        return True

    def remaining(self) -> float | None:
        return self.deadline - time.monotonic()

    def deadline_error(self) -> Exception:
        from shopql.nlq.llm import _deadline_error

        return _deadline_error(self.settings.deadline_s, self.attempts)

    def run(self, messages: list[dict[str, Any]]) -> Answer | None:
        """An Answer, or None when the SQL fallback should be asked (the model said the semantic
        layer cannot express the question, or its semantic tries are exhausted).

        Raises:
            LLMFailed: the model chose SQL and none of it ran within the tries.
        """
        from shopql.nlq.llm import (
            MAX_REPLY_CHARS,
            Attempt,
            DeadlineExceeded,
            LLMFailed,
            ReplyFormatError,
            call_within,
            extract_sql,
            repair_message,
        )
        from shopql.nlq.semantic_tool import TOOL_INSTRUCTIONS, tools

        system = {**messages[0], "content": messages[0]["content"] + "\n" + TOOL_INSTRUCTIONS}
        conversation: list[dict[str, Any]] = [system, *messages[1:]]
        zh = has_chinese(self.question)
        offered = tools(self.ws.catalog, "zh" if zh else "en")
        self.used_tools = True
        mode = "semantic"
        for _ in range(max(1, self.settings.max_tries)):
            try:
                reply = call_within(
                    partial(self.model.complete_tools, list(conversation), offered, "auto"),
                    max(0.0, self.deadline - time.monotonic()),
                )
            except DeadlineExceeded:
                raise self.deadline_error() from None
            if not reply.calls:
                text = reply.content[:MAX_REPLY_CHARS]
                attempt = Attempt(reply=text, path=mode)
                self.attempts.append(attempt)
                try:
                    attempt.sql = extract_sql(reply.content)
                except ReplyFormatError as e:
                    if mode == "semantic" and "sql" in text.casefold():
                        attempt.error = "the model says the question needs SQL"
                        self.why = "the model said the semantic layer cannot express it"
                        return None  # ask for the SQL plainly
                    attempt.error = str(e) if mode == "sql" else NO_CALL
                    conversation += [
                        {"role": "assistant", "content": text[:4000]},
                        {
                            "role": "user",
                            "content": repair_message(e) if mode == "sql" else NO_CALL,
                        },
                    ]
                    continue
                mode, attempt.path = "sql", "sql"
                error = self._run_sql(attempt)
                if error is None:
                    return self._answer_sql(attempt, "the model answered with SQL")
                conversation += [
                    {"role": "assistant", "content": text[:4000]},
                    {"role": "user", "content": repair_message(error)},
                ]
                continue
            conversation.append(_assistant_calls(reply))
            call, rest = reply.calls[0], reply.calls[1:]
            if call.name == "write_sql":
                mode = "sql"
                answer, content = self._write_sql(call)
            elif call.name == "semantic_query":
                answer, content = self._semantic(call)
            else:
                attempt = Attempt(reply=call.arguments[:MAX_REPLY_CHARS], path=mode)
                attempt.error = f"there is no function {call.name!r}"
                self.attempts.append(attempt)
                answer, content = None, f"{attempt.error}; call semantic_query or write_sql."
            if answer is not None:
                return answer
            conversation.append({"role": "tool", "tool_call_id": call.id, "content": content})
            for other in rest:  # every call needs its result; only the first one is run
                conversation.append(
                    {
                        "role": "tool",
                        "tool_call_id": other.id,
                        "content": "Not run: call one function at a time.",
                    }
                )
        if mode == "sql":
            raise LLMFailed(
                f"the model did not produce a query that runs after {len(self.attempts)} tries",
                "rephrase the question, or see what was tried: " + _tried(self.attempts),
                self.attempts,
            )
        self.why = f"the model's semantic queries were rejected {len(self.attempts)} times"
        return None

    def _semantic(self, call: Any) -> tuple[Answer | None, str]:
        from shopql.catalog.model import CatalogError
        from shopql.errors import GuardError, QueryError
        from shopql.nlq.form import WrongForm
        from shopql.nlq.llm import MAX_REPLY_CHARS, Attempt
        from shopql.nlq.sellers import by_line_seller
        from shopql.nlq.semantic_tool import InvalidQuery, parse_arguments, to_query

        attempt = Attempt(reply=call.arguments[:MAX_REPLY_CHARS], path="semantic")
        self.attempts.append(attempt)
        try:
            query = to_query(parse_arguments(call.arguments), self.ws)
            query = by_line_seller(query, self.ws)  # as the offline reading: each line's seller
            compiled, sql = compile_semantic(self.ws, query)
            attempt.sql = sql
            answer = semantic_answer(self.ws, self.question, query, compiled, sql, "llm")
        except (InvalidQuery, CatalogError, GuardError, QueryError) as e:
            from shopql.nlq.llm import model_error

            attempt.error = str(e)
            return None, SEMANTIC_REPAIR.format(error=model_error(e))
        except WrongForm as e:  # it ran, in another form than asked: back to the model
            attempt.error = WRONG_FORM.format(why=e.message, fix=SEMANTIC_FORMS)
            return None, SEMANTIC_REPAIR.format(error=attempt.error)
        answer.understood = [
            "path: semantic query → catalog compiler (the catalog's 口径)",
            *answer.understood,
            f"tries: {len(self.attempts)}",
        ]
        answer.attempts = list(self.attempts)
        return answer, ""

    def _write_sql(self, call: Any) -> tuple[Answer | None, str]:
        from shopql.nlq.llm import MAX_REPLY_CHARS, Attempt, repair_message
        from shopql.nlq.semantic_tool import InvalidQuery, parse_arguments

        attempt = Attempt(reply=call.arguments[:MAX_REPLY_CHARS], path="sql")
        self.attempts.append(attempt)
        try:
            args = parse_arguments(call.arguments)
        except InvalidQuery as e:
            attempt.error = str(e)
            return None, f"Rejected: {e}."
        sql, reason = args.get("sql"), str(args.get("reason") or "").strip()
        if not isinstance(sql, str) or not sql.strip():
            attempt.error = "write_sql was called without sql"
            return None, "Rejected: write_sql needs `sql`, one DuckDB SELECT."
        attempt.sql = sql.strip().rstrip(";").strip()
        error = self._run_sql(attempt)
        if error is not None:
            return None, repair_message(error).replace("reply with", "call write_sql with")
        why = f"the model: {reason}" if reason else "the model called write_sql"
        return self._answer_sql(attempt, why), ""

    def _run_sql(self, attempt: Any) -> Any:
        """Run the attempt's SQL through the guard; the error, or None (result kept)."""
        from shopql.errors import GuardError, QueryError

        try:
            self._result = run_llm_sql(self.ws, attempt.sql, self.question)
        except (GuardError, QueryError) as e:
            attempt.error = str(e)
            return e
        return None

    def _answer_sql(self, attempt: Any, reason: str) -> Answer:
        if self.context is None:
            from shopql.nlq.context import build_context

            self.context = build_context(self.ws, self.question)
        ctx, metrics = self.context
        return _sql_answer(
            self.ws, self.question, self._result, self.attempts, ctx, metrics, reason
        )


def _assistant_calls(reply: Any) -> dict[str, Any]:
    """The assistant's turn with its tool calls, as the API wants it back in the conversation."""
    return {
        "role": "assistant",
        "content": reply.content or None,
        "tool_calls": [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in reply.calls
        ],
    }


def arguments_json(query: SemanticQuery) -> str:
    """A semantic query as semantic_query's arguments (the inverse of `semantic_tool.to_query`)."""
    doc: dict[str, Any] = {"metrics": list(query.metrics)}
    if query.dimensions:
        doc["dimensions"] = list(query.dimensions)
    if query.grain:
        doc["grain"] = query.grain
    if query.filters:
        doc["filters"] = [
            {"dimension": f.dimension, "op": f.op, "values": list(f.values)} for f in query.filters
        ]
    tr = query.time_range
    if tr is not None and (tr.start or tr.end):
        doc["time_range"] = {
            k: v.date().isoformat() for k, v in (("start", tr.start), ("end", tr.end)) if v
        }
    if query.order_by:
        doc["order_by"] = [{"name": o.name, "descending": o.descending} for o in query.order_by]
    if query.limit:
        doc["limit"] = query.limit
    if query.compare:
        doc["compare"] = query.compare
    if query.population is not None:
        doc["population"] = query.population.to_dict()
    if query.having:
        doc["having"] = [
            {"metric": f.dimension, "op": f.op, "value": f.values[0]} for f in query.having
        ]
    if query.of_groups:
        doc["of_groups"] = query.of_groups
    return json.dumps(doc, ensure_ascii=False)
