"""The LLM engine: an OpenAI-compatible chat model writes the SQL; the guard and a repair loop
keep it honest.

The model gets a system prompt with only the catalog context linked to the question (see
``nlq.prompt``) and is asked for one query in a ```sql fenced block (a bare query is tolerated).
Each reply's SQL goes through ``run`` (guard + execution); on a guard or execution error the error
goes back to the model in the next message, at most ``max_tries`` times, then ``LLMFailed`` lists
what was tried. ``openai`` is imported only when a real client is built.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from shopql.config import LLMSettings
from shopql.errors import ExitCode, GuardError, QueryError, ShopqlError

Message = dict[str, Any]

_FENCED = re.compile(r"```[ \t]*([A-Za-z0-9_-]*)[ \t]*\n(.*?)```", re.DOTALL)
_BARE = re.compile(r"^\s*(WITH|SELECT|FROM)\b", re.IGNORECASE)
MAX_REPLY_CHARS = 100_000  # a reply longer than this is not read for SQL (nor stored whole)


class LLMError(ShopqlError):
    """The model could not be reached or answered with nothing usable."""


class LLMFailed(ShopqlError):
    """Every try produced a query the catalog, the guard or the database refused: nothing was
    answered (exit 5, as for a question the offline engine does not understand)."""

    exit_code = ExitCode.NOT_UNDERSTOOD

    def __init__(self, message: str, hint: str | None, attempts: list[Attempt]) -> None:
        super().__init__(message, hint)
        self.attempts = attempts


class FormMismatch(GuardError):
    """The model's query ran, but its answer is not in the form the question asks (a top N with
    more rows, one figure as rows: nlq/form.py): sent back to the model like a guard error."""


class ReplyFormatError(ShopqlError):
    """The reply holds no SQL query."""


class ChatModel(Protocol):
    """Anything that turns a conversation into the assistant's next reply."""

    def complete(self, messages: list[Message]) -> str:
        """Return the reply text.

        Raises:
            LLMError: the endpoint could not be reached or refused the request.
        """
        ...


class OpenAIChat:
    """A chat model behind any OpenAI-compatible endpoint (OpenAI, DeepSeek, Qwen, Ollama, vLLM)."""

    def __init__(self, settings: LLMSettings) -> None:
        import openai  # only here: its import alone takes ~0.7 s

        self.settings = settings
        self._openai = openai
        self.client = openai.OpenAI(
            base_url=settings.base_url,
            api_key=settings.api_key or "not-needed",
            timeout=min(settings.timeout_s, settings.deadline_s),
            max_retries=1,
        )

    def complete(self, messages: list[Message]) -> str:
        response = self._create(messages)
        try:
            choices = getattr(response, "choices", None) or []
            content = choices[0].message.content if choices else None
        except (AttributeError, IndexError, TypeError) as e:
            raise _not_json(self.settings) from e
        if not content:
            raise LLMError("the model sent an empty reply", "try again or use another model")
        return str(content)

    def complete_tools(
        self, messages: list[Message], tools: list[dict[str, Any]], tool_choice: Any = "auto"
    ) -> ToolReply:
        """The next reply when the model may call one of `tools` (OpenAI function calling):
        its text and its tool calls (`message.tool_calls[].function.name/arguments`)."""
        response = self._create(messages, tools=tools, tool_choice=tool_choice)
        try:
            choices = getattr(response, "choices", None) or []
            message = choices[0].message if choices else None
            calls = [
                ToolCall(str(c.id), str(c.function.name), str(c.function.arguments or ""))
                for c in (getattr(message, "tool_calls", None) or [])
                if getattr(c, "function", None) is not None
            ]
            content = getattr(message, "content", None) if message is not None else None
        except (AttributeError, IndexError, TypeError) as e:
            raise _not_json(self.settings) from e
        if not content and not calls:
            raise LLMError("the model sent an empty reply", "try again or use another model")
        return ToolReply(str(content or ""), calls)

    def _create(self, messages: list[Message], **extra: Any) -> Any:
        try:
            return self.client.chat.completions.create(
                model=str(self.settings.model),
                messages=messages,  # type: ignore[arg-type]  # plain role/content dicts
                temperature=0,
                **extra,
            )
        except self._openai.APIConnectionError as e:
            raise LLMError(
                f"cannot reach the model at {self.settings.base_url or 'api.openai.com'}: {e}",
                "check OPENAI_BASE_URL (or [llm] base_url in shopql.toml) and that the server runs",
            ) from e
        except self._openai.APIStatusError as e:
            raise LLMError(
                f"the model endpoint answered {e.status_code}: {_short(str(e.message))}",
                "check OPENAI_API_KEY and SHOPQL_MODEL (or [llm] in shopql.toml)",
            ) from e
        except self._openai.APIResponseValidationError as e:
            raise _not_json(self.settings) from e
        except self._openai.OpenAIError as e:
            raise LLMError(f"the model call failed: {_short(str(e))}") from e
        except ValueError as e:  # the body is not JSON (json.JSONDecodeError)
            raise _not_json(self.settings) from e


@dataclass
class ToolCall:
    """One function call in a reply: its id, the function's name and its JSON arguments."""

    id: str
    name: str
    arguments: str


@dataclass
class ToolReply:
    """A reply when tools were offered: text, tool calls, or both."""

    content: str
    calls: list[ToolCall] = field(default_factory=list)


def _not_json(settings: LLMSettings) -> LLMError:
    return LLMError(
        f"the model endpoint at {settings.base_url or 'api.openai.com'} did not answer with an "
        "OpenAI-style JSON completion",
        "check that OPENAI_BASE_URL points at an OpenAI-compatible /v1 endpoint",
    )


class DeadlineExceeded(LLMError):
    """The question's overall deadline passed before the model answered with a usable query."""


def complete_within(model: ChatModel, messages: list[Message], seconds: float) -> str:
    """`model.complete(messages)`, or DeadlineExceeded after `seconds` — whatever the server
    does meanwhile (trickling a byte a second, or never answering). The abandoned call runs on
    in a daemon thread until its own timeout; nothing waits for it."""
    return str(call_within(lambda: model.complete(messages), seconds))


def call_within(ask: Callable[[], Any], seconds: float) -> Any:
    """`ask()`, or DeadlineExceeded after `seconds` (see `complete_within`)."""
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def call() -> None:
        try:
            outcome["reply"] = ask()
        except BaseException as e:  # handed to the caller's thread
            outcome["error"] = e
        finally:
            done.set()

    threading.Thread(target=call, name="shopql-llm", daemon=True).start()
    if not done.wait(max(0.0, seconds)):
        raise DeadlineExceeded("", None)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["reply"]


def _short(text: str, limit: int = 200) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def extract_sql(reply: str) -> str:
    """The query in a reply: the first ```sql block, else any fenced block, else a bare query."""
    if len(reply) > MAX_REPLY_CHARS:
        raise ReplyFormatError(
            f"the reply is {len(reply):,} characters long, more than the {MAX_REPLY_CHARS:,} "
            "a query may take",
            "reply with one short query in a ```sql fenced block",
        )
    blocks = _FENCED.findall(reply)
    for lang, body in blocks:
        if lang.lower() in ("sql", "duckdb", "postgresql", "sqlite") and body.strip():
            return body.strip().rstrip(";").strip()
    for _, body in blocks:
        if _BARE.match(body):
            return body.strip().rstrip(";").strip()
    if _BARE.match(reply) and "```" not in reply:
        return reply.strip().rstrip(";").strip()
    raise ReplyFormatError(
        "the reply holds no SQL query",
        "reply with exactly one query in a ```sql fenced block",
    )


@dataclass
class Attempt:
    """One round with the model: its reply, the SQL in it, and what went wrong (if anything)."""

    reply: str
    sql: str | None = None
    error: str | None = None
    path: str = "sql"  # "semantic": a semantic_query call (`reply` holds its arguments)


@dataclass
class LLMAnswer:
    sql: str
    result: Any
    attempts: list[Attempt] = field(default_factory=list)


_RUNTIME_KIND = re.compile(r"^query failed: ([A-Za-z ]{1,40}?Error):")


def model_error(error: ShopqlError) -> str:
    """What the model may read of an error. The guard's errors come from the SQL text and the
    schema (an empty copy binds it), so they go back whole; an error DuckDB raised while the
    query READ DATA can quote that data (``Could not convert string '13812345678'``, any value
    through ``error()``), and what goes to the model is schema, definitions and non-PII samples
    only — so of those only the kind goes back."""
    text = str(error)
    if isinstance(error, QueryError) and text.startswith("query failed:"):
        match = _RUNTIME_KIND.match(text)
        kind = match.group(1) if match else "an error"
        return (
            f"query failed while running ({kind}; the message is not sent: it can quote data "
            "values). Write it so that no value can make it fail (e.g. try_cast, not CAST)"
        )
    return text


def repair_message(error: ShopqlError) -> str:
    """What the model reads after a failed try (`model_error`: no data values)."""
    return (
        f"That query was rejected: {model_error(error)}.\n"
        "Fix it and reply with exactly one corrected DuckDB SELECT in a ```sql fenced block, "
        "using only the tables and columns listed before."
    )


def ask_model(
    model: ChatModel,
    messages: list[Message],
    run: Callable[[str], Any],
    max_tries: int = 3,
    deadline_s: float | None = None,
) -> LLMAnswer:
    """Ask, run, and repair: return the first reply whose SQL passes `run`.

    Args:
        model: the chat model.
        messages: the system prompt and the question.
        run: guard + execute one SQL string; raises GuardError or QueryError.
        max_tries: how many replies to try at most.
        deadline_s: the overall time for the question (every try, wait and repair); None waits
            as long as the client's own timeouts allow.

    Raises:
        LLMError: the model cannot be reached; DeadlineExceeded when the deadline passed.
        LLMFailed: no reply produced a query that passed; ``attempts`` says what was tried.
    """
    conversation = list(messages)
    attempts: list[Attempt] = []
    deadline = None if deadline_s is None else time.monotonic() + deadline_s
    for _ in range(max(1, max_tries)):
        try:
            reply = (
                model.complete(conversation)
                if deadline is None
                else complete_within(model, conversation, deadline - time.monotonic())
            )
        except DeadlineExceeded:
            raise _deadline_error(deadline_s or 0.0, attempts) from None
        attempt = Attempt(reply=reply[:MAX_REPLY_CHARS])
        attempts.append(attempt)
        try:
            attempt.sql = extract_sql(reply)
            return LLMAnswer(sql=attempt.sql, result=run(attempt.sql), attempts=attempts)
        except (ReplyFormatError, GuardError, QueryError) as e:
            attempt.error = str(e)
            conversation += [
                {"role": "assistant", "content": _short(reply, 4000)},
                {"role": "user", "content": repair_message(e)},
            ]
    raise LLMFailed(
        f"the model did not produce a query that runs after {len(attempts)} tries",
        "rephrase the question, or see what was tried: "
        + "; ".join(
            f"try {i}: {_short(a.sql or a.reply, 200)!r} → {_short(a.error or '', 300)}"
            for i, a in enumerate(attempts, 1)
        ),
        attempts,
    )


def _deadline_error(deadline_s: float, attempts: list[Attempt]) -> DeadlineExceeded:
    tried = f" after {len(attempts)} tr{'y' if len(attempts) == 1 else 'ies'}" if attempts else ""
    return DeadlineExceeded(
        f"no usable answer from the model within {deadline_s:g} s{tried} "
        "(the deadline for one question)",
        "try again, use --engine offline, or raise [llm] deadline_s in shopql.toml",
    )
