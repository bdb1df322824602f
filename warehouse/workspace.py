"""Creating a workspace: shopql.toml, warehouse.duckdb with the current schema, catalog/."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from shopql.config import CONFIG_NAME, DEFAULT_TOML, WAREHOUSE_NAME
from shopql.errors import WorkspaceError
from shopql.warehouse.connection import open_writer


def init_workspace(folder: Path) -> list[str]:
    """Create (or complete) a workspace in `folder`; return what was created."""
    folder = folder.expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise WorkspaceError(f"{folder} is a file", "choose a folder for the workspace")
    folder.mkdir(parents=True, exist_ok=True)
    created: list[str] = []
    config = folder / CONFIG_NAME
    if not config.exists():
        config.write_text(DEFAULT_TOML, encoding="utf-8")
        created.append(CONFIG_NAME)
    warehouse = folder / WAREHOUSE_NAME
    existed = warehouse.exists()
    open_writer(warehouse).close()
    if not existed:
        created.append(WAREHOUSE_NAME)
    created.extend(seed_catalog(folder / "catalog"))
    from shopql.warehouse.connection import pseudonym_secret

    pseudonym_secret(folder)  # the pseudonym key exists before any query runs
    return created


def seed_catalog(catalog_dir: Path) -> list[str]:
    """Copy the default catalog pack into `catalog_dir`, never overwriting the user's files."""
    catalog_dir.mkdir(exist_ok=True)
    created: list[str] = []
    pack = resources.files("shopql.catalog").joinpath("default")
    if not pack.is_dir():
        return created
    for entry in sorted(pack.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml") and not (catalog_dir / entry.name).exists():
            with resources.as_file(entry) as src:
                shutil.copyfile(src, catalog_dir / entry.name)
            created.append(f"catalog/{entry.name}")
    return created
