"""Helpers shared by the connector tests: sync files into a workspace, read the warehouse back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from shopql.config import load_settings
from shopql.sync.loader import SyncReport, sync_paths
from shopql.warehouse.connection import open_writer


def sync(ws: Path, *paths: Path, **options: Any) -> SyncReport:
    """Load `paths` into workspace `ws` (the loader alone: OneID has its own tests)."""
    settings = load_settings(ws)
    con = open_writer(settings.warehouse_path)
    try:
        report = sync_paths(con, list(paths), timezone=settings.timezone, **options)
    finally:
        con.close()
    assert not report.failed, [(f.file, f.reason) for f in report.failed]
    return report


def rows(ws: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """Rows of `sql`, read as the connector tests speak: account keys are pseudonymised in the
    warehouse (sync/pseudonym.py), so raw keys written in `sql` ('taobao:tb_li_2') are swapped
    for their pseudonyms and pseudonyms in the result are shown as the raw keys they stand for
    (test_pseudonym.py checks the warehouse itself holds no raw key)."""
    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        raw_of, keyed = raw_keys(con, ws / "warehouse.duckdb")
        for raw, pseudo in keyed.items():
            sql = sql.replace(f"'{raw}'", f"'{pseudo}'")
        found = con.execute(sql, params or []).fetchall()
    finally:
        con.close()
    return [tuple(raw_of.get(v, v) if isinstance(v, str) else v for v in r) for r in found]


def raw_keys(
    con: duckdb.DuckDBPyConnection, warehouse: Path
) -> tuple[dict[str, str], dict[str, str]]:
    """pseudonym -> raw key for the raw keys a connector can build from the personal data the
    warehouse holds (platform prefix + nick, e-mail, phone or identifier; or those alone), and
    raw -> pseudonym for the prefixed account keys among them (the ones a test may name)."""
    from shopql.sync.pseudonym import load_key, pseudonym

    key = load_key(warehouse)
    prefixes = {
        r[0]
        for r in con.execute(
            """SELECT DISTINCT regexp_extract(k, '^([A-Za-z0-9_.-]+):~', 1) FROM (
                 SELECT customer_id AS k FROM customers UNION ALL SELECT customer_id FROM orders
                 UNION ALL SELECT customer_id FROM identities)"""
        ).fetchall()
        if r[0]
    }
    values = {
        r[0]
        for r in con.execute(
            """SELECT DISTINCT unnest([nick, email, lower(email), phone, name]) FROM customers
               UNION SELECT identifier_value FROM identities"""
        ).fetchall()
        if r[0]
    }
    out: dict[str, str] = {}
    keyed: dict[str, str] = {}
    for value in values:
        for raw in (value, f"phone:{value}"):
            out[pseudonym(key, raw) or ""] = raw
        for prefix in prefixes:
            for middle in ("", "phone:", "nick:", "id:"):
                raw = f"{prefix}:{middle}{value}"
                pseudo = pseudonym(key, raw) or ""
                keyed[raw], out[pseudo] = pseudo, raw
    return out, keyed


def scalar(ws: Path, sql: str, params: list[Any] | None = None) -> Any:
    return rows(ws, sql, params)[0][0]


def by_kind(report: SyncReport) -> dict[str, tuple[int, int, int]]:
    """kind -> (rows read, rows loaded, rows quarantined) summed over the report's files."""
    out: dict[str, tuple[int, int, int]] = {}
    for f in report.files:
        if f.kind:
            read, loaded, quarantined = out.get(f.kind, (0, 0, 0))
            out[f.kind] = (
                read + f.rows_read,
                loaded + f.rows_loaded,
                quarantined + f.rows_quarantined,
            )
    return out


def zip_bytes(members: dict[str, bytes | str]) -> bytes:
    """A deflated zip archive of `members` (name -> content; text is written as UTF-8): exports
    in an archive, archives in archives, hostile names and sizes."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def mapping_file(folder: Path, text: str, name: str = "pos.yaml") -> Path:
    """The mapping `text` written to `folder`/`name` (for `sync --mapping`)."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
