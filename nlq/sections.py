"""A top-level section of the catalog YAML (`glossary:`, `languages:`, `absent:`, `festivals:` …)
read from the workspace's catalog files, else from the default pack's. Below the modules that
read those sections, so none of them imports another to get at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from shopql.catalog.model import Issue, Location


def catalog_section(
    catalog_dir: Path | None, key: str, issues: list[Issue]
) -> Iterator[tuple[Any, Location]]:
    """The entries of a top-level `key:` list in the workspace's catalog YAML files, else in the
    default pack's (a workspace seeded before the section existed still gets it)."""
    from shopql.catalog.loader import read_yaml
    from shopql.catalog.store import catalog_files, default_pack_dir

    # the workspace's parses are kept in its .shopql/ (keyed by each file's text)
    own = catalog_dir.parent / ".shopql" if catalog_dir is not None else None

    def entries(
        files: list[tuple[Path, str]], cache_dir: Path | None = None
    ) -> list[tuple[Any, Location]]:
        found: list[tuple[Any, Location]] = []
        for path, display in files:
            try:  # only files with the section are parsed (the catalog is read once elsewhere)
                raw = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if not raw.startswith(f"{key}:") and f"\n{key}:" not in raw:
                continue
            data = read_yaml(path, issues, display, cache_dir)
            items = data.get(key) if isinstance(data, dict) else None
            if items is None:
                continue
            if not isinstance(items, list):
                issues.append(Issue("error", f"`{key}` must be a list", Location(display, 0)))
                continue
            found += [(obj, Location(display, getattr(obj, "line", 0))) for obj in items]
        return found

    found = entries(catalog_files(catalog_dir), own)
    if not found:
        pack = default_pack_dir()
        # the pack's parses are kept beside the workspace's, in their own folder (same file names)
        pack_cache = own / "default" if own is not None and own.is_dir() else None
        if pack_cache is not None:
            pack_cache.mkdir(exist_ok=True)
        found = entries(
            [(p, f"<default>/{p.name}") for p in sorted(pack.glob("*.yaml"))], pack_cache
        )
    yield from found
