"""Introspection: what the warehouse itself says (types, row counts, low-cardinality values).

Written to `catalog/_introspected.yaml` by `shopql catalog refresh` and merged in on load. The
user's own catalog files are never touched. Values of PII columns are never stored.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from sqlglot import exp

from shopql.catalog.loader import INTROSPECTED
from shopql.catalog.model import Catalog
from shopql.catalog.store import schema_of

MAX_VALUES = 50
HEADER = (
    "# Written by `shopql catalog refresh` from the warehouse: do not edit (it is rewritten).\n"
    "# Your descriptions, synonyms and metrics live in the other files of this folder.\n"
)


def introspect(warehouse: Path, catalog: Catalog, max_values: int = MAX_VALUES) -> dict[str, Any]:
    """Types, row counts and value lists of every non-bookkeeping table in `warehouse`."""
    from shopql.warehouse.connection import open_reader
    from shopql.warehouse.guard import BUILTIN_PII

    pii = {t: set(c) for t, c in BUILTIN_PII.items()}
    for table, cols in catalog.pii_columns().items():
        pii.setdefault(table, set()).update(cols)
    con = open_reader(warehouse)
    try:
        schema = {t: c for t, c in schema_of(con).items() if not t.startswith("_")}
        counts = {t: _count(con, t) for t in schema}
        values = {
            t: _values(con, t, cols, pii.get(t, set()), max_values) for t, cols in schema.items()
        }
    finally:
        con.close()
    return {
        "refreshed_at": dt.datetime.now().replace(microsecond=0).isoformat(),
        "row_counts": counts,
        "types": schema,
        "values": {t: v for t, v in values.items() if v},
    }


def live_values(warehouse: Path, table: str, catalog: Catalog) -> dict[str, list[Any]]:
    """Low-cardinality values of one table's text columns, read now (PII columns skipped)."""
    from shopql.warehouse.connection import open_reader
    from shopql.warehouse.guard import BUILTIN_PII

    pii = set(BUILTIN_PII.get(table, {})) | set(catalog.pii_columns().get(table, {}))
    try:
        con = open_reader(warehouse)
    except Exception:  # a warehouse being written: the last refresh's values stand
        return {}
    try:
        cols = schema_of(con).get(table, {})
        return _values(con, table, cols, pii, MAX_VALUES) if cols else {}
    finally:
        con.close()


def row_counts(warehouse: Path) -> dict[str, int]:
    """Live row counts of the warehouse's tables (cheap in DuckDB); empty if it cannot be read."""
    from shopql.warehouse.connection import open_reader

    try:
        con = open_reader(warehouse)
    except Exception:  # a warehouse being written: fall back to the last refresh
        return {}
    try:
        return {t: _count(con, t) for t in schema_of(con) if not t.startswith("_")}
    finally:
        con.close()


def _count(con: Any, table: str) -> int:
    sql = exp.select("count(*)").from_(exp.to_table(table)).sql(dialect="duckdb")
    return int(con.execute(sql).fetchone()[0])


def _values(
    con: Any, table: str, cols: dict[str, str], pii: set[str], limit: int
) -> dict[str, list[Any]]:
    """Distinct values of the text columns with at most `limit` of them (ids and PII skipped)."""
    candidates = [
        c
        for c, kind in cols.items()
        if kind == "VARCHAR"
        and c not in pii
        and not c.endswith(("_id", "_key", "_code"))
        and c not in ("title", "comment", "name", "identifier_value", "nick", "reason")
    ]
    if not candidates:
        return {}
    ident = exp.to_table(table)
    distinct = exp.select(
        *[exp.func("approx_count_distinct", exp.column(c)).as_(c) for c in candidates]
    ).from_(ident)
    counts = con.execute(distinct.sql(dialect="duckdb")).fetchone()
    out: dict[str, list[Any]] = {}
    for col, n in zip(candidates, counts, strict=True):
        if 0 < n <= limit:
            query = (
                exp.select(exp.column(col))
                .from_(ident)
                .where(exp.column(col).is_(exp.null()).not_())
                .group_by(exp.column(col))
                .order_by("count(*) DESC")
                .limit(limit)
            )
            out[col] = [r[0] for r in con.execute(query.sql(dialect="duckdb")).fetchall()]
    return out


def write_introspection(catalog_dir: Path, data: dict[str, Any]) -> Path:
    """Write `_introspected.yaml` (atomically) and return its path."""
    catalog_dir.mkdir(parents=True, exist_ok=True)
    target = catalog_dir / INTROSPECTED
    tmp = target.with_suffix(".tmp")
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    tmp.write_text(HEADER + body, encoding="utf-8")
    tmp.replace(target)
    return target


def refresh_catalog(workspace: Path, catalog: Catalog) -> tuple[Path, dict[str, Any]]:
    """Re-introspect the workspace's warehouse into catalog/_introspected.yaml."""
    from shopql.config import WAREHOUSE_NAME

    data = introspect(workspace / WAREHOUSE_NAME, catalog)
    return write_introspection(workspace / "catalog", data), data
