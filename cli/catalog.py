"""`shopql catalog list|show|metrics|lint|refresh|upgrade`: a thin shell over shopql.catalog."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from shopql.cli.main import settings_from
from shopql.cli.output import format_option, print_csv, print_json, print_table, stderr_console

F = TypeVar("F", bound=Callable[..., Any])


def default_lang() -> str:
    """zh when the locale is Chinese, else en."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def lang_option(f: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(["en", "zh"]),
        default=None,
        help="Language of labels and descriptions (default: from the locale).",
    )(f)


def _load(ctx: click.Context) -> tuple[Any, Any]:
    from shopql.catalog import load_catalog

    s = settings_from(ctx)
    return s, load_catalog(s.workspace, timezone=s.timezone)


def _live_counts(settings: Any) -> dict[str, int]:
    from shopql.catalog.introspect import row_counts

    return row_counts(settings.warehouse_path) if settings.warehouse_path.exists() else {}


def _live_table(settings: Any, cat: Any, name: str) -> None:
    """Row count and value lists of one table as they are now, over the last refresh's."""
    from shopql.catalog.introspect import live_values

    table = cat.tables[name]
    table.row_count = _live_counts(settings).get(name, table.row_count)
    if settings.warehouse_path.exists():
        for col, values in live_values(settings.warehouse_path, name, cat).items():
            if col in table.columns and not table.columns[col].pii:
                table.columns[col].values = values


def _emit(fmt: str, columns: list[str], rows: list[list[Any]], doc: Any, title: str) -> None:
    if fmt == "json":
        print_json(doc)
    elif fmt == "csv":
        print_csv(columns, rows)
    else:
        print_table(columns, rows, title=title)


@click.group()
def catalog() -> None:
    """Tables, columns and metrics of the semantic catalog (YAML in the workspace's catalog/)."""


@catalog.command("list")
@lang_option
@format_option()
@click.pass_context
def list_cmd(ctx: click.Context, lang: str | None, fmt: str) -> None:
    """Tables with their row counts and descriptions."""
    from shopql.catalog.model import pick

    lang = lang or default_lang()
    s, cat = _load(ctx)
    live = _live_counts(s)
    rows = [
        [t.name, live.get(t.name, t.row_count), len(t.columns), pick(t.description, lang)]
        for t in cat.tables.values()
    ]
    columns = ["table", "rows", "columns", "description"]
    doc = {"columns": columns, "rows": rows}
    _emit(fmt, columns, rows, doc, "tables")
    if fmt == "table" and any(r[1] is None for r in rows):
        stderr_console().print("[dim]row counts appear after `shopql catalog refresh`[/dim]")


@catalog.command()
@click.argument("name")
@lang_option
@format_option("table", "json")
@click.pass_context
def show(ctx: click.Context, name: str, lang: str | None, fmt: str) -> None:
    """One table (its columns), metric or dimension."""
    lang = lang or default_lang()
    s, cat = _load(ctx)
    if name in cat.tables:
        _live_table(s, cat, name)
        return _show_table(cat, name, lang, fmt)
    if name in cat.metrics:
        return _show_metric(cat, name, lang, fmt)
    if name in cat.dimensions:
        return _show_dimension(cat, name, lang, fmt)
    import difflib

    from shopql.errors import UsageError

    kinds: dict[str, list[str]] = {}  # 'orders' is a table and a metric: suggested once
    for kind, names in (
        ("table", cat.tables),
        ("metric", cat.metrics),
        ("dimension", cat.dimensions),
    ):
        for n in names:
            kinds.setdefault(n, []).append(kind)
    close = difflib.get_close_matches(name, list(kinds), n=3)
    said = [f"{n} ({', '.join(kinds[n])})" for n in close]
    hint = f"did you mean {', '.join(said)}?" if close else "see `shopql catalog list`"
    raise UsageError(f"no table, metric or dimension named {name!r}", hint)


def _show_table(cat: Any, name: str, lang: str, fmt: str) -> None:
    from shopql.catalog.model import pick

    table = cat.tables[name]
    columns = ["column", "type", "pii", "description", "synonyms", "values"]
    rows = [
        [
            c.name,
            c.type,
            c.pii,
            pick(c.description, lang),
            ", ".join(c.synonyms),
            ", ".join(str(v) for v in c.values[:8]) + (" …" if len(c.values) > 8 else ""),
        ]
        for c in table.columns.values()
    ]
    if fmt == "json":
        print_json(
            {
                "table": name,
                "description": table.description,
                "synonyms": table.synonyms,
                "row_count": table.row_count,
                "columns": [
                    {
                        "name": c.name,
                        "type": c.type,
                        "pii": c.pii,
                        "description": c.description,
                        "synonyms": c.synonyms,
                        "values": c.values,
                    }
                    for c in table.columns.values()
                ],
            }
        )
        return
    count = f", {table.row_count:,} rows" if table.row_count is not None else ""
    print_table(columns, rows, title=f"{name}{count}: {pick(table.description, lang)}")


def _metric_doc(cat: Any, name: str, lang: str, with_sql: bool = True) -> dict[str, Any]:
    from shopql.catalog import SemanticQuery, compile_query
    from shopql.catalog.compiler import formula
    from shopql.catalog.model import CatalogError, pick

    m = cat.metrics[name]
    try:
        sql = compile_query(cat, SemanticQuery(metrics=(name,))).sql if with_sql else None
    except CatalogError as e:
        sql = f"-- does not compile: {e.message}"
    return {
        "name": m.name,
        "label": pick(m.label, lang, m.name),
        "labels": m.label,
        "type": m.type,
        "value_type": m.value_type,
        "description": pick(m.description, lang),
        "definition": formula(cat, m),
        "synonyms": m.synonyms,
        "notes": m.notes or None,
        "sql": sql,
        "where": str(m.where),
    }


def _show_metric(cat: Any, name: str, lang: str, fmt: str) -> None:
    doc = _metric_doc(cat, name, lang)
    if fmt == "json":
        print_json(doc)
        return
    from rich.panel import Panel
    from rich.syntax import Syntax

    from shopql.cli.output import stdout_console

    console = stdout_console()
    console.print(
        f"[bold]{doc['name']}[/bold] — {doc['label']} ({doc['type']}, {doc['value_type']})"
    )
    console.print(doc["description"])
    console.print(f"[cyan]definition[/cyan]: {doc['definition']}")
    console.print(f"[cyan]synonyms[/cyan]: {', '.join(doc['synonyms'])}")
    if doc["notes"]:
        console.print(f"[cyan]notes[/cyan]: {doc['notes']}")
    console.print(f"[dim]{doc['where']}[/dim]")
    console.print(Panel(Syntax(doc["sql"], "sql", word_wrap=True), title="SQL"))


def _show_dimension(cat: Any, name: str, lang: str, fmt: str) -> None:
    from shopql.catalog.model import pick

    info = cat.dimensions[name]
    doc = {
        "name": info.name,
        "type": info.type,
        "label": pick(info.label, lang, name),
        "description": pick(info.description, lang),
        "synonyms": info.synonyms,
        "models": info.models,
        "values": info.values,
    }
    if fmt == "json":
        print_json(doc)
        return
    rows = [[k, ", ".join(map(str, v)) if isinstance(v, list) else v] for k, v in doc.items()]
    print_table(["dimension", name], rows)


@catalog.command()
@lang_option
@click.option("--sql", "with_sql", is_flag=True, help="Also print the SQL each metric compiles to.")
@format_option()
@click.pass_context
def metrics(ctx: click.Context, lang: str | None, with_sql: bool, fmt: str) -> None:
    """Every metric: label, type, definition in words and exactly; SQL with --sql or JSON."""
    lang = lang or default_lang()
    _, cat = _load(ctx)
    docs = [_metric_doc(cat, n, lang, with_sql or fmt == "json") for n in cat.metrics]
    columns = ["metric", "label", "type", "description", "definition"]
    rows = [[d["name"], d["label"], d["type"], d["description"], d["definition"]] for d in docs]
    if fmt == "json":
        print_json({"metrics": docs})
        return
    _emit(fmt, columns, rows, None, "metrics")
    if with_sql and fmt == "table":
        from rich.syntax import Syntax

        from shopql.cli.output import stdout_console

        for d in docs:
            stdout_console().print(f"\n[bold]{d['name']}[/bold]")
            stdout_console().print(Syntax(d["sql"], "sql"))


@catalog.command()
@format_option("table", "json")
@click.pass_context
def lint(ctx: click.Context, fmt: str) -> None:
    """Check the catalog: shape, references, and that every metric compiles (exit 1 on errors)."""
    from shopql.catalog import lint_catalog

    s = settings_from(ctx)
    issues = lint_catalog(s.workspace)
    errors = [i for i in issues if i.level == "error"]
    if fmt == "json":
        print_json(
            {
                "issues": [
                    {
                        "level": i.level,
                        "file": i.where.file,
                        "line": i.where.line,
                        "stage": i.stage,
                        "message": i.message,
                    }
                    for i in issues
                ]
            }
        )
    else:
        for issue in issues:
            click.echo(str(issue))
        warnings = len(issues) - len(errors)
        stderr_console().print(f"{len(errors)} error(s), {warnings} warning(s)")
    if errors:
        sys.exit(1)


@catalog.command()
@click.option("--map", "mapping", nargs=2, metavar="LISTING SPU", help="Map a listing to an SPU.")
@click.option("--limit", default=50, show_default=True, help="Listings to show.")
@format_option("table", "json", "csv")
@click.pass_context
def products(ctx: click.Context, mapping: tuple[str, str] | None, limit: int, fmt: str) -> None:
    """Listings with no SPU (no seller code): map them with --map (kept in product_map.yaml,
    applied on every sync)."""
    from shopql.sync.products import map_listing, unmatched_listings
    from shopql.warehouse.connection import open_reader

    s = settings_from(ctx)
    if mapping:
        listing, spu = mapping
        map_listing(s.workspace, s.warehouse_path, listing, spu)
        stderr_console().print(f"{listing} -> {spu.strip().upper()} (saved in product_map.yaml)")
        return
    con = open_reader(s.warehouse_path)
    try:
        found = unmatched_listings(con, limit)
    finally:
        con.close()
    columns = ["listing", "platform", "title", "lines", "paid"]
    data = [[r[0], r[1], r[2], r[3], float(r[4])] for r in found]
    doc = {"unmatched": [dict(zip(columns, r, strict=True)) for r in data]}
    _emit(fmt, columns, data, doc, "Listings without an SPU (map: --map LISTING SPU)")


@catalog.command()
@click.pass_context
def refresh(ctx: click.Context) -> None:
    """Re-read the warehouse: column types, row counts, short value lists (never your files)."""
    from shopql.catalog import load_catalog
    from shopql.catalog.introspect import refresh_catalog

    s = settings_from(ctx)
    cat = load_catalog(s.workspace, strict=False, timezone=s.timezone)
    path, data = refresh_catalog(s.workspace, cat)
    tables = len(data["types"])
    rows = sum(data["row_counts"].values())
    lists = sum(len(v) for v in data["values"].values())
    stderr_console().print(
        f"refreshed {path.name}: {tables} tables, {rows:,} rows, {lists} value lists"
    )


@catalog.command()
@click.option("--suggest", is_flag=True, help="Propose entries from titles and category names.")
@click.option("--write", is_flag=True, help="With --suggest: add them to catalog/glossary.yaml.")
@click.option("--limit", default=30, show_default=True, help="Suggestions to show.")
@format_option("table", "json")
@click.pass_context
def glossary(ctx: click.Context, suggest: bool, write: bool, limit: int, fmt: str) -> None:
    """The value glossary (茶几 = coffee table …): its concepts, or --suggest new ones (YAML to
    paste into catalog/glossary.yaml, or --write to add them)."""
    from shopql.nlq.glossary import load_glossary, suggest_entries, write_suggestions

    s = settings_from(ctx)
    words, issues = load_glossary(s.catalog_dir)
    for issue in issues:
        stderr_console().print(f"[yellow]{issue}[/]")
    if not suggest:
        data = [[name, ", ".join(ws)] for name, ws in words.concepts.items()]
        doc = {"glossary": {name: ws for name, ws in words.concepts.items()}}
        _emit(fmt, ["concept", "words"], data, doc, "Value glossary")
        return
    found = suggest_entries(s.warehouse_path, words, limit)
    if fmt == "json":
        print_json({"suggestions": [{"name": x.name, **x.words, "why": x.why} for x in found]})
    else:
        click.echo("\n".join(x.yaml() for x in found) if found else "# nothing to suggest")
    if write and found:
        path = write_suggestions(s.catalog_dir, found)
        stderr_console().print(f"added {len(found)} entries to {path}")


@catalog.command()
@click.option("--dry-run", is_flag=True, help="Only say what would change.")
@click.option(
    "--take",
    "take",
    multiple=True,
    metavar="FILE",
    help="Replace this file even though you edited it (yours is kept in catalog/_upgrade/); "
    "'all' for every edited file.",
)
@format_option("table", "json")
@click.pass_context
def upgrade(ctx: click.Context, dry_run: bool, take: tuple[str, ...], fmt: str) -> None:
    """Bring catalog/ up to this shopql's default pack: a file you never edited is replaced, an
    edited one is kept and the new default written beside it in catalog/_upgrade/."""
    from shopql.catalog.upgrade import ADDED, EDITED, TAKEN, UPGRADED, upgrade
    from shopql.warehouse.policy import require_role_for

    s = settings_from(ctx)
    if not dry_run:
        require_role_for(s, "catalog upgrade")
    steps = upgrade(s.workspace, set(take), dry_run=dry_run, timezone=s.timezone)
    rows = [[x.name, x.status, f"catalog/{x.aside}" if x.aside else ""] for x in steps]
    doc = {"dry_run": dry_run, "files": [x.to_dict() for x in steps]}
    _emit(fmt, ["file", "status", "aside"], rows, doc, "Catalog upgrade")
    changed = sum(x.status in (ADDED, UPGRADED, TAKEN) for x in steps)
    edited = [x.name for x in steps if x.status == EDITED]
    verb = "would change" if dry_run else "changed"
    line = f"{verb} {changed} of {len(steps)} default catalog files"
    if edited:
        line += (
            f"; kept your edits of {', '.join(edited)} (the new defaults are in catalog/_upgrade/:"
            " compare, or --take FILE)"
        )
    stderr_console().print(line)
