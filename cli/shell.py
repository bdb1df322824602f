"""`shopql sql` with no query: an interactive SQL shell (prompt_toolkit, imported only here).

History in the workspace (.shopql/history/sql), multi-line editing (a statement runs when it
ends with `;`, as in the duckdb CLI), completion of tables, columns and metric names, and every
query through the same guard, row cap and audit as `shopql sql "…"`. Dot commands: .tables,
.schema TABLE, .metrics, .metric NAME, .help, .quit.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import click

KEYWORDS = (
    "select", "from", "where", "group by", "order by", "having", "limit", "join", "left join",
    "on", "as", "and", "or", "not", "in", "is null", "is not null", "between", "like", "distinct",
    "count", "sum", "avg", "min", "max", "coalesce", "date_trunc", "case", "when", "then", "else",
    "end", "with", "union all", "desc", "asc", "over", "partition by",
)  # fmt: skip
HELP = """\
  end a statement with ;  (Enter before it starts a new line; Esc Enter runs it anyway)
  Tab completes tables, table.columns, metric names and keywords; ↑/↓ walk the history
  .tables  .schema TABLE  .metrics  .metric NAME  .help  .quit (or Ctrl-D)"""


class SqlCompleter:
    """Completes table names, `table.column`, column names, metric names and SQL keywords."""

    def __init__(self, schema: dict[str, dict[str, str]], metrics: Iterable[str]) -> None:
        self.schema = schema
        self.words: dict[str, str] = {k: "keyword" for k in KEYWORDS}
        for table, columns in schema.items():
            for column in columns:
                self.words.setdefault(column, f"column of {table}")
        self.words.update({m: "metric" for m in metrics})
        self.words.update({t: "table" for t in schema})

    def candidates(self, word: str) -> Iterator[tuple[str, str, int]]:
        """(completion, what it is, how many characters before the cursor it replaces)."""
        if "." in word:
            table, _, prefix = word.rpartition(".")
            for column in self.schema.get(table, {}):
                if column.startswith(prefix):
                    yield column, f"column of {table}", len(prefix)
            return
        low = word.lower()
        for name, kind in sorted(self.words.items()):
            if word and name.lower().startswith(low) and name != word:
                yield name, kind, len(word)

    def as_prompt_toolkit(self) -> Any:
        from prompt_toolkit.completion import Completer, Completion

        owner = self

        class _Completer(Completer):
            def get_completions(self, document: Any, complete_event: Any) -> Iterator[Any]:
                word = document.get_word_before_cursor(pattern=re.compile(r"[\w.]+"))
                for text, meta, back in owner.candidates(word):
                    yield Completion(text, start_position=-back, display_meta=meta)

        return _Completer()


def make_session(
    history_file: Path,
    *,
    completer: Any = None,
    multiline: bool = False,
    input: Any = None,  # noqa: A002 - prompt_toolkit's name; a pipe input in tests
    output: Any = None,
) -> Any:
    """A prompt with its history kept in `history_file` (prompt_toolkit's FileHistory)."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    history_file.parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, Any] = {"history": FileHistory(str(history_file)), "input": input}
    kwargs["output"] = output
    if multiline:
        kwargs.update(multiline=True, key_bindings=_statement_keys(), prompt_continuation="   … ")
    if completer is not None:
        kwargs.update(completer=completer, complete_while_typing=False)
    return PromptSession(**kwargs)


def _statement_keys() -> Any:
    """Enter runs a complete statement (ends with ';', or a dot command); else a new line."""
    from prompt_toolkit.key_binding import KeyBindings

    keys = KeyBindings()

    @keys.add("enter")
    def _(event: Any) -> None:
        buffer = event.current_buffer
        if statement_complete(buffer.text):
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    return keys


def statement_complete(text: str) -> bool:
    stripped = text.strip()
    return not stripped or stripped.endswith(";") or stripped.startswith(".")


def run_shell(settings: Any, fmt: str, *, input: Any = None, output: Any = None) -> None:  # noqa: A002
    """The read–run–print loop until .quit or Ctrl-D. A failing statement says why and the shell
    goes on."""
    from shopql.catalog import load_catalog
    from shopql.warehouse.guard import warehouse_schema
    from shopql.warehouse.policy import guard_context
    from shopql.warehouse.workspace import history_path

    schema = warehouse_schema(settings.warehouse_path)
    catalog = load_catalog(settings.workspace, timezone=settings.timezone)
    # the one policy path: the workspace's roles and the catalog's PII classes
    guard = guard_context(settings, schema=schema, catalog=catalog)
    run = _runner(settings, fmt, guard, schema, catalog)
    if input is None and not sys.stdin.isatty():  # statements piped in: run them, no prompt
        for statement in split_statements(sys.stdin.read()):
            run(statement)
        return
    completer = SqlCompleter(schema, catalog.metrics)
    session = make_session(
        history_path(settings.workspace, "sql"),
        completer=completer.as_prompt_toolkit(),
        multiline=True,
        input=input,
        output=output,
    )
    click.echo(f"shopql sql shell on {settings.warehouse_path} — .help for help", err=True)
    while True:
        try:
            text = session.prompt("sql> ")
        except KeyboardInterrupt:
            continue  # Ctrl-C drops the statement being typed
        except EOFError:
            return
        if text.strip() in (".quit", ".exit", ".q"):
            return
        if text.strip():
            run(text.strip())


def split_statements(text: str) -> list[str]:
    """`;`-separated statements (a `;` inside quotes does not split); dot commands one a line."""
    statements, current, quote = [], "", ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == ";":
            statements.append(current)
            current = ""
            continue
        elif ch == "\n" and current.strip().startswith("."):
            statements.append(current)
            current = ""
            continue
        current += ch
    statements.append(current)
    return [s.strip() for s in statements if s.strip()]


def _runner(
    settings: Any, fmt: str, guard: Any, schema: dict[str, dict[str, str]], catalog: Any
) -> Callable[[str], None]:
    from shopql.cli.query import run_and_print
    from shopql.errors import ShopqlError

    def run(text: str) -> None:
        try:
            if text.startswith("."):
                _dot(text, schema, catalog)
            else:
                run_and_print(settings, text.rstrip(";").strip(), fmt, guard)
        except ShopqlError as e:
            hint = f" — {e.hint}" if e.hint else ""
            click.secho(f"error: {e.message}{hint}", fg="red", err=True)

    return run


def _dot(text: str, schema: dict[str, dict[str, str]], catalog: Any) -> None:
    from shopql.cli.output import print_table
    from shopql.errors import UsageError

    command, _, arg = text.partition(" ")
    arg = arg.strip().rstrip(";")
    if command == ".tables":
        print_table(["table", "columns"], [[t, len(c)] for t, c in sorted(schema.items())])
    elif command == ".schema" and arg in schema:
        print_table(["column", "type"], [[c, t] for c, t in schema[arg].items()], title=arg)
    elif command == ".metrics":
        rows = [[m.name, m.type, m.description.get("en", "")] for m in catalog.metrics.values()]
        print_table(["metric", "type", "definition"], rows)
    elif command == ".metric" and arg in catalog.metrics:
        _show_metric(catalog, arg)
    elif command == ".help":
        click.echo(HELP)
    else:
        raise UsageError(f"not a shell command: {text}", ".help lists them")


def _show_metric(catalog: Any, name: str) -> None:
    from shopql.catalog import SemanticQuery, compile_query

    metric = catalog.metrics[name]
    click.echo(f"{name}: {metric.description.get('en', '')}")
    click.echo(compile_query(catalog, SemanticQuery(metrics=(name,))).sql + ";")
