"""`shopql ask`, `shopql chat`, `shopql eval`: questions in English or Chinese."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click

from shopql.cli.main import settings_from
from shopql.cli.output import format_option, print_csv, print_json, stdout_console

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


def _workspace(ctx: click.Context, today: str | None) -> Any:
    from shopql.nlq.session import Workspace

    return Workspace(settings_from(ctx, fresh=True), today=_today(today))


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
    "--today", metavar="YYYY-MM-DD", help="Resolve 'last month', '近三个月' … against this day."
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
) -> None:
    """Ask a QUESTION in English or Chinese: see how it was understood, the SQL, the metric
    definitions (口径) and the answer.

    \b
    shopql ask "top sellers last 3 months and their buyer profile"
    shopql ask "近三个月销量前十的商品及其买家画像"
    shopql ask "GMV by platform last month vs the month before" --explain
    """
    from shopql.nlq.answer import answer

    ws = _workspace(ctx, today)
    ws.dry_run = sql_only
    text = " ".join(question)
    result = answer(ws, text, engine, lenient=lenient)
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
    render(result, fmt, explain=explain, chart=chart)


def render(result: Any, fmt: str, *, explain: bool = False, chart: bool | None = None) -> None:
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
    _render_rich(result, explain, chart if chart is not None else sys.stdout.isatty())


def _render_rich(result: Any, explain: bool, chart: bool) -> None:
    from rich.markup import escape
    from rich.syntax import Syntax

    from shopql.cli.output import print_table

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
    for i, r in enumerate(result.results):
        rows = r.to_json()["rows"]
        print_table(r.columns, [list(row) for row in r.rows], title=None if i == 0 else r.name)
        if i == 0 and chart:
            _chart(r.columns, rows)
    n = len(result.main.rows)
    capped = " (capped: add a narrower range or raise row_cap)" if result.main.truncated else ""
    console.print(
        f"[dim]{n:,} row{'s' if n != 1 else ''}{capped} · engine: {result.engine} · "
        f"{result.duration_ms:.0f} ms[/dim]"
    )


def _pretty(sql: str) -> str:
    import sqlglot

    try:
        return sqlglot.transpile(sql, read="duckdb", write="duckdb", pretty=True)[0]
    except sqlglot.errors.SqlglotError:
        return sql


def _chart(columns: list[str], rows: list[list[Any]]) -> None:
    """A small chart when it reads better: a trend (date + number) or a ranking (label + number)."""
    if len(columns) < 2 or not 2 <= len(rows) <= 40:
        return
    values = [r[-1] if len(columns) == 2 else r[1] for r in rows]
    if not all(isinstance(v, (int, float)) for v in values):
        return
    import plotext as plt

    labels = [str(r[0]) for r in rows]
    plt.clear_figure()
    plt.plotsize(70, 14)
    plt.theme("clear")
    if labels and labels[0][:4].isdigit() and "-" in labels[0]:
        plt.plot(list(range(len(values))), values, marker="braille")
        step = max(1, len(labels) // 6)
        plt.xticks(
            list(range(0, len(labels), step)), [labels[i][:10] for i in range(0, len(labels), step)]
        )
    else:
        plt.bar([lbl[:18] for lbl in labels[:15]], values[:15], orientation="horizontal", width=0.3)
    click.echo(plt.build())


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

    conversation = Conversation(_workspace(ctx, today), engine)
    interactive = sys.stdin.isatty()
    while True:
        line = _read_line(interactive)
        if line is None or line.strip().lower() in ("exit", "quit", ":q", "退出"):
            return
        if not line.strip():
            continue
        try:
            render(conversation.ask(line), fmt, chart=interactive)
        except ShopqlError as e:
            hint = f" — {e.hint}" if e.hint else ""
            click.secho(f"error: {e.message}{hint}", fg="red", err=True)


def _read_line(interactive: bool) -> str | None:
    if interactive:
        try:
            return click.prompt("›", prompt_suffix=" ", default="", show_default=False)
        except (EOFError, click.exceptions.Abort):
            return None
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
