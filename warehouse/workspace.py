"""Creating a workspace: shopql.toml, warehouse.duckdb with the current schema, catalog/.

What init creates is readable by its owner only (folders 0700, files 0600): the warehouse holds
personal data, and on a shared machine file permissions are what keeps other OS users out.
"""

from __future__ import annotations

import os
import shutil
import stat
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
    if not folder.exists():
        folder.mkdir(parents=True)
        folder.chmod(0o700)
    created: list[str] = []
    config = folder / CONFIG_NAME
    if not config.exists():
        config.write_text(DEFAULT_TOML, encoding="utf-8")
        config.chmod(0o600)
        created.append(CONFIG_NAME)
    warehouse = folder / WAREHOUSE_NAME
    existed = warehouse.exists()
    open_writer(warehouse).close()
    if not existed:
        warehouse.chmod(0o600)
        created.append(WAREHOUSE_NAME)
    created.extend(seed_catalog(folder / "catalog"))
    from shopql.warehouse.connection import pseudonym_secret

    pseudonym_secret(folder)  # the pseudonym key exists before any query runs
    return created


def exposed(folder: Path) -> list[str]:
    """The workspace's own files and folders that other OS users may read (empty when private)."""
    names = [".", CONFIG_NAME, WAREHOUSE_NAME, f"{WAREHOUSE_NAME}.wal", "catalog"]
    out = []
    for name in names:
        path = folder / name
        try:
            mode = path.stat().st_mode
        except OSError:
            continue
        if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            out.append(name)
    return out


def seed_catalog(catalog_dir: Path) -> list[str]:
    """Copy the default catalog pack into `catalog_dir`, never overwriting the user's files."""
    if not catalog_dir.exists():
        catalog_dir.mkdir()
        catalog_dir.chmod(0o700)
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


def history_path(workspace: Path, kind: str) -> Path:
    """Where the prompt history of `kind` (sql: the SQL shell; chat: questions, in `shopql chat`
    and the board's Ask panel) is kept: in the workspace, beside its other state."""
    return workspace / ".shopql" / "history" / kind
