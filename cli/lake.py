"""`shopql lake export|import|show`: the warehouse as partitioned Parquet with a manifest, and the
`--backend duckdb|spark` option shared by metric, sql, ask and alert check."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from shopql.cli.main import settings_from
from shopql.cli.output import print_json, stderr_console

F = TypeVar("F", bound=Callable[..., Any])


def backend_option(f: F) -> F:
    """--backend: which engine runs the query (default: [backend] name in shopql.toml, duckdb)."""
    return click.option(
        "--backend",
        type=click.Choice(["duckdb", "spark"]),
        help="Run on DuckDB (the warehouse) or Spark (the lake's Parquet; see `shopql lake`). "
        "Default: [backend] name in shopql.toml, else duckdb.",
    )(f)


def spark_runner(s: Any) -> Any:
    """The Spark runner when the settings' backend is spark (it says so on stderr), else None."""
    if s.backend.name != "spark":
        return None
    from shopql.warehouse.spark import runner_for

    runner = runner_for(s)
    where = s.backend.spark_remote or s.backend.spark_master
    stderr_console().print(f"[dim]backend: spark ({where}) over {runner.settings.lake}[/dim]")
    return runner


def say_out_on_duckdb(s: Any) -> None:
    """--out files are written by DuckDB from the warehouse, whatever the backend."""
    if s.backend.name == "spark":
        stderr_console().print(
            "[yellow]note:[/yellow] --out is written from the warehouse (DuckDB), not Spark"
        )


@click.group()
def lake() -> None:
    """The warehouse's tables as Parquet (partitioned by platform and month) with a manifest:
    for Spark (`--backend spark`) and for rebuilding a warehouse.

    \b
    shopql lake export lake/            # incremental: only changed partitions are written
    shopql lake show lake/
    shopql -w NEW lake import lake/     # rebuild a warehouse from it
    """


@lake.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def export_cmd(ctx: click.Context, folder: Path | None, fmt: str) -> None:
    """Write the lake to FOLDER (default: [backend] lake, ./lake in the workspace) as your role
    may see it: an analyst's lake has masked personal data, an admin's the real values."""
    from shopql.warehouse.lake import export_lake

    s = settings_from(ctx, fresh=True)
    target = folder or _default_lake(s)
    err = stderr_console()
    report = export_lake(s, target, say=None if fmt == "json" else lambda line: err.print(line))
    if fmt == "json":
        print_json(
            {
                "folder": str(report.folder),
                "role": report.role,
                "pii": report.pii,
                "written": report.written,
                "skipped": report.skipped,
                "removed": report.removed,
                "repaired": report.repaired,
                "tables": {
                    t.name: {
                        "rows": t.rows,
                        "written": t.written,
                        "skipped": t.skipped,
                        "removed": t.removed,
                        "repaired": t.repaired,
                    }
                    for t in report.tables
                },
            }
        )
        return
    repaired = (
        f" ({report.repaired} of them rewritten: their files were not the manifest's)"
        if report.repaired
        else ""
    )
    click.echo(
        f"lake {report.folder}: {report.written} partitions written{repaired}, {report.skipped} "
        f"unchanged (skipped), {report.removed} removed; role {report.role}, pii {report.pii}"
    )


@lake.command("import")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.pass_context
def import_cmd(ctx: click.Context, folder: Path) -> None:
    """Build this workspace's warehouse from the lake in FOLDER (the workspace must be new or
    empty: `shopql init NEW`, then `shopql -w NEW lake import FOLDER`)."""
    from shopql.warehouse.lake import import_lake, read_manifest

    s = settings_from(ctx)
    loaded = import_lake(folder, s.warehouse_path)
    manifest = read_manifest(folder.resolve())
    total = sum(loaded.values())
    click.echo(f"imported {total:,} rows in {len(loaded)} tables into {s.warehouse_path}")
    if manifest.get("pii") != "show":
        stderr_console().print(
            f"[yellow]note:[/yellow] the lake was written for role {manifest.get('role')}: "
            f"{manifest.get('pii_note')}"
        )


@lake.command("show")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def show_cmd(ctx: click.Context, folder: Path | None, fmt: str) -> None:
    """Tables, partitions and rows of a lake (its manifest)."""
    from shopql.cli.output import print_table
    from shopql.warehouse.lake import read_manifest

    if folder is None:
        folder = _default_lake(settings_from(ctx))
    manifest = read_manifest(folder.expanduser().resolve())
    if fmt == "json":
        print_json(manifest)
        return
    rows = [
        [name, info["rows"], len(info["partitions"]), ", ".join(info["partition_by"]) or "–"]
        for name, info in sorted(manifest["tables"].items())
    ]
    print_table(["table", "rows", "partitions", "partitioned by"], rows)
    click.echo(
        f"schema version {manifest['schema_version']}, data version {manifest['data_version']}, "
        f"exported {manifest['exported_at']} as {manifest['role']} (pii {manifest['pii']})"
    )


def _default_lake(s: Any) -> Path:
    lake_dir = Path(s.backend.lake).expanduser()
    return lake_dir if lake_dir.is_absolute() else s.workspace / lake_dir
