"""Built-in sources: YAML mappings shipped in ``sync/sources/`` and one connector module per platform."""

from __future__ import annotations

import importlib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from shopql.errors import SyncError
from shopql.sync.spec import FileKind, SourceSpec, load_source_file, load_yaml, source_from_dict


def connector_modules() -> list[str]:
    """Names of the platform connector modules in shopql.sync.connectors (each has SOURCE)."""
    import pkgutil

    import shopql.sync.connectors as package

    return sorted(
        m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")
    )


def load_builtin_yaml(name: str) -> SourceSpec:
    """A mapping file shipped in shopql/sync/sources/."""
    text = resources.files("shopql.sync.sources").joinpath(name).read_text(encoding="utf-8")
    return source_from_dict(load_yaml(text), origin=f"shopql/sync/sources/{name}")


@lru_cache(maxsize=1)
def builtin_sources() -> tuple[SourceSpec, ...]:
    """Every built-in source, connector modules first, then the shipped YAML mappings."""
    sources: list[SourceSpec] = []
    for module in connector_modules():
        sources.append(importlib.import_module(f"shopql.sync.connectors.{module}").SOURCE)
    names = {s.name for s in sources}
    for entry in sorted(resources.files("shopql.sync.sources").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            spec = load_builtin_yaml(entry.name)
            if spec.name not in names:
                sources.append(spec)
    return tuple(sources)


def candidate_kinds(platform: str | None = None, mapping: Path | None = None) -> list[FileKind]:
    """File kinds a file may be: the mapping's alone, a forced platform's, or every built-in."""
    if mapping is not None:
        return list(load_source_file(mapping).kinds)
    sources = builtin_sources()
    if platform is not None:
        chosen = [s for s in sources if s.name == platform]
        if not chosen:
            known = ", ".join(sorted(s.name for s in sources))
            raise SyncError(f"unknown platform {platform!r}", f"use one of: {known}")
        sources = tuple(chosen)
    return [k for s in sources for k in s.kinds]


def detect_kind(headers: set[str], first_line: str, kinds: list[FileKind]) -> FileKind | None:
    """The most specific kind whose signature the headers (or first line) carry."""
    matching = [k for k in kinds if k.matches(headers, first_line)]
    return max(matching, key=lambda k: k.specificity) if matching else None
