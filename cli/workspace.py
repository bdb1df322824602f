"""`shopql init`."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("directory", type=click.Path(file_okay=False), default=".")
def init(directory: str) -> None:
    """Create a workspace in DIRECTORY (default: here): shopql.toml, warehouse.duckdb, catalog/."""
    from shopql.warehouse.workspace import exposed, init_workspace

    created = init_workspace(Path(directory))
    where = Path(directory).resolve()
    if created:
        click.echo(f"workspace ready at {where} (created: {', '.join(created)})", err=True)
    else:
        click.echo(f"workspace at {where} is already complete", err=True)
    shared = exposed(where)
    if shared:
        click.echo(
            f"note: other OS users may read {', '.join(shared)} in {where}; "
            f"`chmod -R go-rwx {where}` keeps the warehouse's personal data yours",
            err=True,
        )
    click.echo(f"next: shopql --workspace {directory} sync PATH_TO_EXPORTS", err=True)
