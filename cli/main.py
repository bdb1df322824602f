"""The `shopql` command: a lazy click group so `shopql --help` imports nothing heavy."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from shopql.errors import ExitCode

# command name -> (module under shopql.cli, function, one-line help shown by --help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("workspace", "init", "Create a workspace: shopql.toml, warehouse.duckdb, catalog/."),
    "demo": ("demo", "demo", "Generate multi-platform demo exports, sync them and show a tour."),
    "sync": ("sync", "sync", "Load platform exports (files, folders, zips) into the warehouse."),
    "sql": ("query", "sql", "Run one read-only SELECT through the SQL guard."),
    "catalog": ("catalog", "catalog", "Tables, columns and metrics of the semantic catalog."),
    "metric": ("metric", "metric", "Compute catalog metrics by dimensions over a time range."),
    "ask": ("ask", "ask", "Ask a question in English or Chinese; get SQL, 口径 and the answer."),
    "chat": ("ask", "chat", "Ask questions in a session; follow-ups keep context."),
    "eval": ("ask", "eval_cmd", "Score the question engines on the golden question set."),
    "identity": ("identity", "identity", "Build OneID and explain how accounts were joined."),
    "customer": ("identity", "customer", "The 360° view of one person (OneID, phone or nick)."),
    "alert": ("alert", "alert", "Alert rules: add, list, check (exit 4 when one fires)."),
    "watch": ("alert", "watch", "Sync new files from a folder and check alerts on every round."),
    "board": ("board", "board", "The live dashboard (Textual)."),
    "cohort": ("analyses", "cohort", "Cohorts of persons by first purchase: retention, revenue."),
    "ltv": ("analyses", "ltv", "Customer lifetime value: historical and predicted (BG/NBD)."),
    "funnel": (
        "analyses",
        "funnel",
        "Behaviour funnels: view → cart/fav → buy, drop-off per step.",
    ),
    "crosssell": ("analyses", "crosssell", "Products and categories bought by the same persons."),
    "config": ("config", "config", "Every effective setting and where it came from."),
    "doctor": ("doctor", "doctor", "Check the workspace and say what to do about each problem."),
    "tags": ("tags", "tags", "Person tags: RFM scores and segments, lifecycle, rule tags."),
    "lake": ("lake", "lake", "The warehouse as Parquet with a manifest: for Spark, or to rebuild."),
    "segment": (
        "segment",
        "segment",
        "Saved audiences: create, size, overlap, export to ad tools.",
    ),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from importlib.util import find_spec

        # a command whose module is not written yet is not offered
        return sorted(n for n, (m, _, _) in COMMANDS.items() if find_spec(f"shopql.cli.{m}"))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.list_commands(ctx):
            return None
        module, attr, _ = COMMANDS[cmd_name]
        return getattr(importlib.import_module(f"shopql.cli.{module}"), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--workspace", "-w", type=click.Path(file_okay=False), help="Workspace folder.")
@click.option(
    "--role", help="Role for this command (admin, analyst, marketer); may only lower privileges."
)
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(package_name="shopql")
@click.pass_context
def cli(ctx: click.Context, workspace: str | None, role: str | None, debug: bool) -> None:
    """shopql: seller exports from every platform in one local DuckDB, one catalog of metrics,
    and questions in English or Chinese.

    Workspace: --workspace, else $SHOPQL_WORKSPACE, else the nearest folder with shopql.toml.
    """
    ctx.ensure_object(dict)
    ctx.obj.update(workspace=workspace, role=role, debug=debug)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: user errors become one line on stderr and an exit code."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    if argv is None:  # the process's own command: its objects die with it, uncollected
        import atexit
        import gc

        atexit.register(gc.freeze)  # the final garbage collection cost ~0.1 s CPU per `ask`
        # a command allocates many objects that live to its end (modules, the catalog, the
        # vocabulary): collecting every 700 of them cost ~10 % of an `ask` for nothing found
        gc.set_threshold(20_000, 20, 20)
        if args and not {"-h", "--help", "--version"} & set(args):
            from shopql.code_cache import install as keep_code
            from shopql.regex_cache import install

            # first: reading its file imports the settings' modules, whose patterns then
            # compile before the pattern cache is there to read its own file (a cycle)
            keep_code()  # the dataclasses' generated methods: ~20 ms CPU of an `ask` compiled
            install()  # the question engine's ~450 patterns: ~0.1 s CPU of an `ask` compiled
    if args and not {"-h", "--help", "--version"} & set(args):
        _library_logs(debug)
    try:
        # without standalone mode click returns ctx.exit()'s code instead of exiting with it
        # own_process: the command is this process's own (a one-shot command may then leave
        # its few cyclic objects to die with it instead of collecting them)
        code = cli.main(
            args=args, prog_name="shopql", standalone_mode=False, obj={"own_process": argv is None}
        )
    except click.exceptions.Abort as e:
        if isinstance(e.__context__, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            click.echo("interrupted", err=True)
            sys.exit(130)
        click.echo("aborted", err=True)
        sys.exit(ExitCode.ERROR)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except Exception as e:  # translated at the edge: one line for users, traceback on --debug
        if debug:
            raise
        sys.exit(_report(e))
    sys.exit(code if isinstance(code, int) else ExitCode.OK)


def _library_logs(debug: bool) -> None:
    """sqlglot's warnings (``'…' contains unsupported syntax. Falling back to parsing as a
    'Command'``) went to stderr through Python's last-resort handler: a second line beside the
    guard's one-line error, quoting the SQL raw — and that SQL may be a model's or come from a
    stranger's file, escape sequences included. They show only under --debug, escaped."""
    import logging

    from shopql.cli.output import printable

    class Printable(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return printable(f"{record.name}: {record.getMessage()}")

    log = logging.getLogger("sqlglot")
    log.propagate = False
    handler: logging.Handler = logging.NullHandler()
    if debug:
        handler = logging.StreamHandler()  # sys.stderr
        handler.setFormatter(Printable())
    log.handlers = [handler]  # replaced, not added: main() may run again in one process


def _report(e: Exception) -> int:
    from shopql.cli.output import printable  # a message may quote a stranger's file name
    from shopql.errors import ShopqlError

    if isinstance(e, ShopqlError):
        hint = f" — {e.hint}" if e.hint else ""
        click.secho(printable(f"error: {e.message}{hint}"), fg="red", err=True)
        return int(e.exit_code)
    if isinstance(e, KeyboardInterrupt):
        click.echo("interrupted", err=True)
        return 130
    if isinstance(e, OSError) and e.filename is not None:  # a path the user chose: /proc/x, a
        # read-only or missing folder, a full disk — the system's reason, not "report it"
        reason = e.strerror or type(e).__name__
        click.secho(
            printable(
                f"error: {e.filename}: {reason} — check the path and that you may write there"
            ),
            fg="red",
            err=True,
        )
        return int(ExitCode.ERROR)
    text = printable(str(e) if len(str(e)) <= 500 else str(e)[:500] + "…")  # never 1 MB long
    click.secho(
        f"error: unexpected {type(e).__name__}: {text} — rerun with --debug and report it",
        fg="red",
        err=True,
    )
    return int(ExitCode.ERROR)


def settings_from(
    ctx: click.Context, require: bool = True, *, fresh: bool = False, **overrides: Any
) -> Any:
    """The Settings of the command's workspace, with the global flags applied.

    `fresh`: the command reads derived state (OneID): rebuild it first if a sync left it stale.
    """
    from shopql.config import load_settings

    obj = ctx.find_root().obj or {}
    settings = load_settings(obj.get("workspace"), {"role": obj.get("role"), **overrides}, require)
    if fresh and _marked_stale(settings):
        from shopql.sync.engine import refresh_derived  # ~0.1 s of imports: only when needed

        note = refresh_derived(settings)
        if note:
            click.secho(f"note: {note}", fg="yellow", err=True)
    return settings


def _marked_stale(settings: Any) -> bool:
    """Whether a sync left derived state marked stale (then `refresh_derived` rebuilds it);
    a look through a read-only connection, without importing the sync machinery."""
    import duckdb

    from shopql.warehouse.derived import stale_state

    if not settings.warehouse_path.exists():
        return False
    try:
        reader = duckdb.connect(str(settings.warehouse_path), read_only=True)
    except duckdb.Error:
        return False  # busy or unreadable: the command's own open says why
    try:
        return bool(stale_state(reader))
    except duckdb.Error:
        return False
    finally:
        reader.close()
