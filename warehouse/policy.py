"""The access policy of one workspace, built one way for every caller (`sql`, `ask`, `metric`,
the board): the role's PII policy from the workspace's roles (shopql.toml), and the PII class of
each column from the catalog, added to the built-in classes (a catalog may mark more columns
personal or change a class, never make a built-in personal column public)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shopql.warehouse.guard import BUILTIN_PII, GuardContext, Schema, warehouse_schema


def pii_columns(catalog: Any) -> dict[str, dict[str, str]]:
    """table -> column -> PII class: the built-ins, then the catalog's classes over them."""
    merged = {t: dict(cols) for t, cols in BUILTIN_PII.items()}
    try:
        found = catalog.pii_columns() if catalog is not None else {}
    except Exception:  # a broken catalog must not switch masking off
        found = {}
    for table, cols in found.items():
        merged.setdefault(table.lower(), {}).update({c.lower(): k for c, k in cols.items()})
    return merged


def guard_context(
    settings: Any,
    *,
    schema: Schema | None = None,
    catalog: Any = None,
    row_cap: int | None = None,
) -> GuardContext:
    """The guard's context for `settings.role` in `settings.workspace`."""
    if catalog is None:
        catalog = _load_catalog(settings)
    if schema is None and settings.warehouse_path.exists():
        schema = warehouse_schema(settings.warehouse_path)
    return GuardContext.for_role(
        settings.role,
        row_cap=settings.row_cap if row_cap is None else row_cap,
        schema=schema,
        roles=settings.roles,
        pii_columns=pii_columns(catalog),
    )


def guard_context_at(warehouse: Path, role: str, row_cap: int) -> GuardContext:
    """The same context for a bare warehouse path (the workspace is its folder)."""
    from shopql.config import DEFAULT_ROLES, Settings, load_settings
    from shopql.errors import ShopqlError

    try:
        settings = load_settings(warehouse.parent, require=False)
    except ShopqlError:
        settings = Settings(workspace=warehouse.parent, roles=dict(DEFAULT_ROLES))
    from dataclasses import replace

    return guard_context(replace(settings, role=role), row_cap=row_cap)


def _load_catalog(settings: Any) -> Any:
    from shopql.catalog.store import load_catalog

    try:
        return load_catalog(settings.workspace, timezone=settings.timezone)
    except Exception:  # the built-in classes still apply
        return None
