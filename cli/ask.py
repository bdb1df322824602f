"""`shopql ask`, `shopql chat`, `shopql eval`: questions in English or Chinese."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from shopql.cli.lake import backend_option, say_out_on_duckdb
from shopql.cli.main import settings_from
from shopql.cli.output import (
    export_rows,
    format_option,
    out_option,
    print_csv,
    print_json,
    say_truncated,
    stdout_console,
)

ENGINE_CHOICE = click.Choice(["auto", "offline", "llm"])


def _today(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise click.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint="--today"
        ) from e


def _workspace(
    ctx: click.Context, today: str | None, backend: str | None = None, keep_reader: bool = False
) -> Any:
    from shopql.cli.lake import spark_runner
    from shopql.nlq.session import Workspace

    ws = Workspace(settings_from(ctx, backend=backend), today=_today(today))
    _refresh_if_stale(ws)
    if not keep_reader:  # a conversation waits for input: hold no lock on the warehouse meanwhile
        ws.close()
    ws.runner = spark_runner(ws.settings)  # --backend spark: the same answer path on Spark
    return ws


def _refresh_if_stale(ws: Any) -> None:
    """What `settings_from(fresh=True)` does, looked up through the reader the answer then uses
    (one open of the warehouse instead of two): rebuild derived state a sync left stale."""
    from shopql.warehouse.derived import stale_state

    if not ws.settings.warehouse_path.exists():
        return
    try:
        stale = bool(stale_state(ws.reader()))
    except Exception:  # busy or unreadable: the answer's own open says why
        ws.close()
        return
    if stale:
        ws.close()  # the rebuild writes: no reader may stay open
        from shopql.sync.engine import refresh_derived

        note = refresh_derived(ws.settings)
        if note:
            click.secho(f"note: {note}", fg="yellow", err=True)


@click.command()
@click.argument("question", nargs=-1, required=True)
@click.option(
    "--engine",
    type=ENGINE_CHOICE,
    default="auto",
    show_default=True,
    help="offline (catalog, no LLM), llm, or auto (offline when sure, else the LLM if configured).",
)
@click.option("--sql-only", is_flag=True, help="Print the SQL (guarded) without running it.")
@click.option("--explain", is_flag=True, help="Say in words what the SQL does.")
@format_option()
@click.option(
    "--save", is_flag=True, help="Store this question→SQL pair as an example for the LLM."
)
@click.option(
    "--chart/--no-chart", default=None, help="Draw a terminal chart (default: on a terminal)."
)
@click.option(
    "--today",
    "--at",
    "today",
    metavar="YYYY-MM-DD",
    help="Resolve 'last month', '近三个月' … against this day.",
)
@click.option(
    "--lenient",
    is_flag=True,
    help="Answer the part of the question that was understood (with a note) instead of exit 5.",
)
@click.option(
    "--save-segment",
    metavar="NAME",
    help="Save the persons this question counts as segment NAME (offline engine only).",
)
@out_option
@backend_option
@click.pass_context
def ask(
    ctx: click.Context,
    question: tuple[str, ...],
    engine: str,
    sql_only: bool,
    explain: bool,
    fmt: str,
    save: bool,
    chart: bool | None,
    today: str | None,
    lenient: bool,
    save_segment: str | None,
    out: Path | None,
    backend: str | None,
) -> None:
    """Ask a QUESTION in English or Chinese: see how it was understood, the SQL, the metric
    definitions (口径) and the answer.

    \b
    shopql ask "top sellers last 3 months and their buyer profile"
    shopql ask "近三个月销量前十的商品及其买家画像"
    shopql ask "GMV by platform last month vs the month before" --explain
    """
    if (ctx.obj or {}).get("own_process"):
        import gc

        # one question, then the process ends: the garbage collector's ~20 passes over the
        # objects the answer allocates cost ~15 ms CPU of an `ask` and found ~150 cyclic
        # objects to free (connections are closed explicitly, never left to the collector)
        gc.disable()
    from shopql.nlq.answer import answer
    from shopql.nlq.shared import NotUnderstood

    if out is not None:
        from shopql.warehouse.export import export_format

        export_format(out)  # a wrong extension is a usage error before anything runs
    ws = _workspace(ctx, today, backend, keep_reader=True)
    # --out answers for real (its checks on the rows included), then writes the answer's own
    # table: the file holds what `ask` shows ("哪个品类最高": the top one, not the ranking)
    ws.dry_run = sql_only
    text = " ".join(question)
    try:
        result = answer(ws, text, engine, lenient=lenient)
    except NotUnderstood:
        say_catalog_behind(ws.settings.workspace)
        raise
    if out is not None:
        raw = ws.unguarded.get(result.sql, result.sql)
        s = ws.settings
        say_out_on_duckdb(s)
        # the table as shown when it is whole (a top 5 read one row past its cut; groups with no
        # figure blanked); a table longer than the display cap runs again, uncapped
        shown = None if result.main.truncated else result.main.rows
        export_rows(
            s.warehouse_path, raw, out, ws.guard_context, f"ask:{result.engine}", text, shown
        )
        say_after_data(s, result.query)
        return
    if save and not sql_only:
        from shopql.nlq.examples import save_example

        save_example(ws.examples_path, text, result.sql)
        click.echo(f"saved as an example in {ws.examples_path}", err=True)
    if save_segment and not sql_only:
        from shopql.cli.segment import save_from_answer

        save_from_answer(ctx, save_segment, result, today)
    if sql_only:
        click.echo(result.sql)
        return
    render(result, fmt, explain=explain, chart=chart, catalog=ws.catalog)
    after_answer(ws, result)


def say_catalog_behind(workspace: Path) -> None:
    """On stderr, beside a refusal: the workspace's default catalog files are older than this
    shopql's (a newer shopql may read the question with its newer words: `catalog upgrade`)."""
    from shopql.catalog.upgrade import ADDED, UPGRADED, plan

    if not (workspace / "catalog").is_dir():
        return
    behind = [s.name for s in plan(workspace / "catalog") if s.status in (ADDED, UPGRADED)]
    if behind:
        click.secho(
            f"note: this workspace's catalog is older than this shopql's ({len(behind)} default "
            "file(s)): `shopql catalog upgrade` may let it read this question",
            fg="yellow",
            err=True,
        )


def after_answer(ws: Any, result: Any) -> None:
    """On stderr: the total behind a capped answer; a period after the data's end."""
    if result.main.truncated:
        from shopql.warehouse.export import count_rows

        raw = ws.unguarded.get(result.sql, result.sql)
        s = ws.settings
        say_truncated(len(result.main.rows), count_rows(s.warehouse_path, raw, ws.guard_context))
    # the data's span, when the answer read it already (nlq.periods.data_span)
    say_after_data(ws.settings, result.query, ws.__dict__.get("_t_data_span"))


def say_after_data(s: Any, query: Any, span: tuple[Any, ...] | None = None) -> None:
    from shopql.cli.metric import say_after_data as say

    say(s, getattr(query, "time_range", None), span)


def render(
    result: Any,
    fmt: str,
    *,
    explain: bool = False,
    chart: bool | None = None,
    catalog: Any = None,
) -> None:
    """Print an Answer as a table (with understanding, SQL, 口径, chart), JSON or CSV."""
    if fmt == "json":
        document = result.to_json()
        if explain:
            from shopql.nlq.explain import explain_sql

            document["explanation"] = explain_sql(result.sql)
        print_json(document)
        return
    rows_json = result.main.to_json()["rows"]
    if fmt == "csv":
        print_csv(result.main.columns, rows_json)
        return
    _render_rich(result, explain, chart if chart is not None else sys.stdout.isatty(), catalog)


def _render_rich(result: Any, explain: bool, chart: bool, catalog: Any = None) -> None:
    from rich.markup import escape
    from rich.syntax import Syntax

    from shopql.cli.output import RESULT_HINT, print_table

    console = stdout_console()
    console.print(f"[bold]Q:[/bold] {escape(result.question)}")
    for line in result.understood:
        console.print(f"  [cyan]•[/cyan] {escape(line)}")
    if result.ignored:
        console.print(
            f"  [yellow]• not understood (ignored): {escape(', '.join(result.ignored))}[/yellow]"
        )
    console.print(Syntax(_pretty(result.sql), "sql", theme="ansi_dark", word_wrap=True))
    if explain:
        from shopql.nlq.explain import explain_sql

        console.print("[bold]What the SQL does:[/bold]")
        for line in explain_sql(result.sql):
            console.print(f"  - {escape(line)}")
    if result.definitions:
        console.print("[bold]口径 (definitions):[/bold]")
        for name, text in result.definitions.items():
            console.print(f"  [green]{escape(name)}[/green]: {escape(text)}")
    for note in result.notes:
        console.print(f"  [dim]note: {escape(note)}[/dim]")
    from shopql.cli.display import column_views, language_of

    lang = language_of(result.question)
    compare = getattr(result.query, "compare", None)
    for i, r in enumerate(result.results):
        views = column_views(r.columns, catalog, lang, compare)
        print_table(
            r.columns,
            [list(row) for row in r.rows],
            title=None if i == 0 else r.name,
            views=views,
            hidden_hint=RESULT_HINT,
        )
        if i == 0 and chart:
            from shopql.cli.charts import result_chart

            click.echo(result_chart(r.columns, [list(row) for row in r.rows], views, lang))
    n = len(result.main.rows)
    console.print(
        f"[dim]{n:,} row{'s' if n != 1 else ''} · engine: {result.engine} · "
        f"path: {getattr(result, 'path', 'semantic')} · {result.duration_ms:.0f} ms[/dim]"
    )


def _pretty(sql: str) -> str:
    import sqlglot

    try:
        return sqlglot.transpile(sql, read="duckdb", write="duckdb", pretty=True)[0]
    except sqlglot.errors.SqlglotError:
        return sql


@click.command()
@click.option("--engine", type=ENGINE_CHOICE, default="auto", show_default=True, help="Engine.")
@format_option()
@click.option("--today", metavar="YYYY-MM-DD", help="Resolve relative dates against this day.")
@click.pass_context
def chat(ctx: click.Context, engine: str, fmt: str, today: str | None) -> None:
    """Ask questions one per line; follow-ups keep context ("and only on Tmall?", "按月拆开").

    Reads from the terminal, or from stdin when piped (one question per line). `exit` ends.
    """
    from shopql.errors import ShopqlError
    from shopql.nlq.chat import Conversation

    ws = _workspace(ctx, today)
    conversation = Conversation(ws, engine)
    interactive = sys.stdin.isatty()
    read = question_reader(ws.settings.workspace) if interactive else _stdin_line
    while True:
        line = read()
        if line is None or line.strip().lower() in ("exit", "quit", ":q", "退出"):
            return
        if not line.strip():
            continue
        try:
            render(conversation.ask(line), fmt, chart=interactive, catalog=ws.catalog)
        except ShopqlError as e:
            hint = f" — {e.hint}" if e.hint else ""
            click.secho(f"error: {e.message}{hint}", fg="red", err=True)


def question_reader(
    workspace: Path,
    input: Any = None,  # noqa: A002 - prompt_toolkit's name; a pipe input in tests
    output: Any = None,
) -> Any:
    """Read one question at a prompt with history (kept in the workspace, shared with the
    board's Ask panel); None at Ctrl-D."""
    from shopql.cli.shell import make_session
    from shopql.warehouse.workspace import history_path

    session = make_session(history_path(workspace, "chat"), input=input, output=output)

    def read() -> str | None:
        while True:
            try:
                return str(session.prompt("› "))
            except KeyboardInterrupt:
                continue  # Ctrl-C drops the line being typed
            except EOFError:
                return None

    return read


def _stdin_line() -> str | None:
    line = sys.stdin.readline()
    return line if line else None


@click.command("eval")
@click.option(
    "--engine",
    "engines",
    type=click.Choice(["offline", "llm"]),
    multiple=True,
    help="Engine(s) to score (default: offline, plus llm when configured).",
)
@click.option(
    "--set",
    "golden",
    default=None,
    help="Question set: golden (default), heldout, or a YAML file of the same shape.",
)
@click.option(
    "--dataset", default=None, help="Only questions of this dataset (olist, retail, demo)."
)
@format_option("table", "json")
@click.option("--verbose", "-v", is_flag=True, help="List every failing question.")
@click.pass_context
def eval_cmd(
    ctx: click.Context,
    engines: tuple[str, ...],
    golden: str | None,
    dataset: str | None,
    fmt: str,
    verbose: bool,
) -> None:
    """Score the question engines on a question set: correct / refused / wrong per engine and language."""
    from shopql.nlq.eval import evaluate, set_path, summary

    settings = settings_from(ctx)
    path = set_path(golden)
    if not path.is_file():
        raise click.UsageError(f"no question set at {path}: use golden, heldout or a YAML file")
    chosen = list(engines) or (["offline", "llm"] if settings.llm.configured else ["offline"])
    report = evaluate(settings, path, chosen, dataset)
    if fmt == "json":
        print_json(report.to_json())
        return
    from shopql.cli.output import print_table

    print_table(*summary(report))
    if verbose:
        for case in report.failures():
            click.echo(
                f"{case.outcome.upper()} [{case.engine}] {case.case.id} {case.question}: "
                f"{case.reason}",
                err=True,
            )
