"""The lake: the warehouse's tables as Parquet in a folder, with a manifest — for Spark (or any
Parquet reader) and for rebuilding a warehouse.

Layout of a lake folder::

    manifest.json                          tables, partitions, row counts, checksums, versions
    orders/_platform=tmall/_month=2025-07/data_0.parquet
    order_items/_platform=tmall/_month=2025-07/data_0.parquet   (partitioned by its order)
    customers/data.parquet                 (small tables: one file)

The big tables (orders, order lines, payments, refunds, events) are written by DuckDB's own
``COPY … (FORMAT parquet, PARTITION_BY (_platform, _month))``: the platform and the month of the
order (of the event for events); lines, payments and refunds go with their order, so a month of
one platform is one folder in each. ``_platform`` and ``_month`` are derived partition keys
(``none`` where the order is unknown); the files hold every column of the table unchanged.

Incremental: each partition's row count and checksum (a sum of DuckDB row hashes) is kept in the
manifest, with the size and SHA-256 of each of its files; the next export writes only the
partitions whose checksum changed, deletes the ones that disappeared and leaves the rest untouched
— but only a partition whose folder still holds exactly the files the manifest lists, each of its
size and hash, is left as it is: a stale or edited manifest (files deleted, replaced or added by
hand, paths outside the lake, a lake of an older release without the hashes) never makes an export
skip data; such a partition is written again and the report says so. A lake holds no symbolic
links: an export refuses a lake folder with one inside (a table folder linked to another place
would have it write or delete there). Files are written to a staging folder first and moved
in; the manifest is replaced last, so an interrupted export leaves the previous lake readable.

Personal data follows the policy of every other export (``warehouse.export``): each table is read
through the guard for the exporting role, so an analyst's lake holds masked values and keyed
pseudonyms (the workspace's secret), an admin's the real values; the manifest says which.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shopql.errors import ShopqlError, WorkspaceError

MANIFEST = "manifest.json"
LAKE_FORMAT = "shopql-lake"
LAKE_VERSION = 1
PARTITION_KEYS = ("_platform", "_month")
NONE_KEY = "none"
# Tables never written to a lake: other users' queries and raw source lines (admin-only), and
# the warehouse's own bookkeeping of its schema version.
NOT_EXPORTED = frozenset({"_audit", "_quarantine", "_meta"})
# table -> how its partition keys are found: "own" (its platform and a time column) or "order"
# (the platform and created_at of its order)
PARTITIONED: dict[str, tuple[str, str]] = {
    "orders": ("own", "created_at"),
    "events": ("own", "event_time"),
    "order_items": ("order", ""),
    "payments": ("order", ""),
    "refunds": ("order", ""),
}


class LakeError(ShopqlError):
    """A lake folder that cannot be written or read as asked."""


@dataclass
class TableReport:
    """What one table's export did: partitions written, left as they were, removed."""

    name: str
    rows: int
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # written although their checksum had not changed: their files on disk were not the ones
    # the manifest lists (missing, changed, added, or a lake without file hashes)
    repaired: list[str] = field(default_factory=list)


@dataclass
class LakeReport:
    folder: Path
    role: str
    pii: str
    tables: list[TableReport]
    manifest: dict[str, Any]

    @property
    def written(self) -> int:
        return sum(len(t.written) for t in self.tables)

    @property
    def skipped(self) -> int:
        return sum(len(t.skipped) for t in self.tables)

    @property
    def removed(self) -> int:
        return sum(len(t.removed) for t in self.tables)

    @property
    def repaired(self) -> int:
        return sum(len(t.repaired) for t in self.tables)


def read_manifest(folder: Path) -> dict[str, Any]:
    """The lake's manifest, or LakeError saying what is wrong with the folder."""
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LakeError(
            f"no lake at {folder} (no {MANIFEST})", "write one first: `shopql lake export DIR`"
        ) from None
    except (OSError, ValueError) as e:
        raise LakeError(f"cannot read {path}: {e}", "export the lake again") from e
    if not isinstance(data, dict) or data.get("format") != LAKE_FORMAT:
        raise LakeError(f"{path} is not a shopql lake manifest", "export the lake again")
    if int(data.get("lake_version", 0)) > LAKE_VERSION:
        raise LakeError(
            f"{path} was written by a newer shopql (lake version {data.get('lake_version')})",
            "upgrade shopql",
        )
    return data


def lake_schema(manifest: dict[str, Any]) -> dict[str, dict[str, str]]:
    """table -> column -> DuckDB type, as the manifest records it."""
    return {t: dict(info["columns"]) for t, info in manifest["tables"].items()}


def effective_pii(lake_pii: str, role_policy: str) -> str:
    """The masking still to apply when `role_policy` reads a lake written with `lake_pii`: a
    masked lake is already masked (masking again would re-key the keys), a lake without the
    personal columns has nothing left to mask; only a role that may see nothing of them keeps
    its `deny` over a masked lake."""
    if lake_pii == "show":
        return role_policy
    return "deny" if role_policy == "deny" and lake_pii == "mask" else "show"


# --- export -----------------------------------------------------------------------------------


def export_lake(
    settings: Any, folder: Path, *, say: Callable[[str], None] | None = None
) -> LakeReport:
    """Write (or bring up to date) the lake in `folder` from the workspace's warehouse, as
    `settings.role` may see it."""
    from shopql.warehouse.policy import guard_context
    from shopql.warehouse.schema import SCHEMA_VERSION

    folder = folder.expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise LakeError(f"{folder} is a file", "choose a folder for the lake")
    folder.mkdir(parents=True, exist_ok=True)
    old = read_manifest(folder) if (folder / MANIFEST).exists() else None
    if old is None and any(not p.name.startswith(".staging-") for p in folder.iterdir()):
        raise LakeError(  # its sub-folders named like tables would be replaced
            f"{folder} holds other files and is not a shopql lake (no {MANIFEST})",
            "export into a new or empty folder",
        )
    _refuse_links(folder)
    ctx = guard_context(settings, row_cap=1)
    if old is not None and (old.get("role"), old.get("pii")) != (ctx.role, ctx.pii_policy):
        raise LakeError(
            f"the lake in {folder} was written for role {old.get('role')} (pii "
            f"{old.get('pii')}), not {ctx.role} (pii {ctx.pii_policy})",
            "export into another folder, or as the role that wrote it",
        )
    con = _export_connection(settings)
    staging = folder / f".staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        schema = _schema(con)
        old_tables = (old or {}).get("tables", {})
        if old is not None and int(old.get("schema_version", 0)) != SCHEMA_VERSION:
            old_tables = {}  # another schema: every table is written again
        reports, tables = [], {}
        for name in sorted(schema):
            if name in NOT_EXPORTED:
                continue
            source = _guarded_source(name, ctx)
            columns = _source_columns(con, source)
            entry, report = _export_table(
                con, folder, staging, name, source, columns, old_tables.get(name)
            )
            tables[name] = entry
            reports.append(report)
            if say:
                say(_table_line(report))
        for gone in sorted(set(old_tables) - set(tables)):
            _remove(folder, folder / gone)
        manifest = {
            "format": LAKE_FORMAT,
            "lake_version": LAKE_VERSION,
            "schema_version": SCHEMA_VERSION,
            "data_version": _data_version(con),
            "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "workspace": str(settings.workspace),
            "role": ctx.role,
            "pii": ctx.pii_policy,
            "pii_note": _pii_note(ctx.pii_policy),
            "pii_columns": {
                t: cols for t, cols in sorted(ctx.pii_columns.items()) if t in tables and cols
            },
            "partition_keys": list(PARTITION_KEYS),
            "checksum": "per partition: row count and sum of DuckDB hash() of every column",
            "tables": tables,
        }
        _write_json(folder / MANIFEST, manifest)
    finally:
        con.close()
        shutil.rmtree(staging, ignore_errors=True)
    return LakeReport(folder, ctx.role, ctx.pii_policy, reports, manifest)


def _pii_note(policy: str) -> str:
    return {
        "show": "personal data as stored (admin): keep this folder as private as the warehouse",
        "mask": "personal data masked (138****1234, 张**) and account keys keyed pseudonyms",
        "deny": "personal data columns left out",
    }.get(policy, policy)


def _table_line(r: TableReport) -> str:
    parts = [f"{len(r.written)} written", f"{len(r.skipped)} unchanged"]
    if r.removed:
        parts.append(f"{len(r.removed)} removed")
    if r.repaired:
        parts.append(f"{len(r.repaired)} rewritten: their files were not the manifest's")
    return f"{r.name}: {r.rows:,} rows; partitions {', '.join(parts)}"


def _export_connection(settings: Any) -> Any:
    """A read-only connection with the workspace's pseudonym macro (the SQL it runs is the
    export's own: each table read through the guard's policy, never text from a user)."""
    import duckdb

    from shopql.warehouse.connection import _connect, pseudonym_secret
    from shopql.warehouse.guard import key_macro_sql

    path = settings.warehouse_path
    if not path.exists():
        raise WorkspaceError(f"no warehouse at {path}", "run `shopql init` and `shopql sync` first")
    con = _connect(path, 10.0, read_only=True)
    try:
        con.execute(key_macro_sql(pseudonym_secret(settings.workspace)))
        con.execute("SET enable_progress_bar = false")
    except duckdb.Error:
        con.close()
        raise
    return con


def _schema(con: Any) -> dict[str, dict[str, str]]:
    from shopql.warehouse.guard import schema_from_connection

    return schema_from_connection(con)


def _guarded_source(table: str, ctx: Any) -> str:
    """`SELECT * FROM table` as the role may read it (masking subqueries where it must)."""
    from shopql.warehouse.export import guard_uncapped

    return guard_uncapped(f'SELECT * FROM "{table}"', ctx)


def _source_columns(con: Any, source: str) -> dict[str, str]:
    return {str(r[0]): str(r[1]) for r in con.execute(f"DESCRIBE {source}").fetchall()}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _keyed_sql(table: str, source: str) -> str:
    """The rows of `source` with their partition keys (the table's own, or its order's)."""
    how, time_col = PARTITIONED.get(table, ("", ""))
    if how == "own":
        return (
            f"SELECT s.*, coalesce(CAST(s.platform AS VARCHAR), '{NONE_KEY}') AS _platform, "
            f"coalesce(strftime(s.{_quote(time_col)}, '%Y-%m'), '{NONE_KEY}') AS _month "
            f"FROM ({source}) AS s"
        )
    if how == "order":
        return (
            f"SELECT s.*, coalesce(o.platform, '{NONE_KEY}') AS _platform, "
            f"coalesce(strftime(o.created_at, '%Y-%m'), '{NONE_KEY}') AS _month "
            f"FROM ({source}) AS s LEFT JOIN (SELECT order_id, min(platform) AS platform, "
            "min(created_at) AS created_at FROM orders GROUP BY order_id) AS o "
            "ON s.order_id = o.order_id"
        )
    return f"SELECT s.*, '' AS _platform, '' AS _month FROM ({source}) AS s"


def _partition_name(platform: str, month: str) -> str:
    return f"_platform={platform}/_month={month}" if platform or month else ""


def _export_table(
    con: Any,
    folder: Path,
    staging: Path,
    name: str,
    source: str,
    columns: dict[str, str],
    old: dict[str, Any] | None,
) -> tuple[dict[str, Any], TableReport]:
    partitioned = name in PARTITIONED
    keyed = _keyed_sql(name, source)
    hashed = ", ".join(f"s.{_quote(c)}" for c in columns)
    found = con.execute(
        f"SELECT _platform, _month, count(*), CAST(sum(hash({hashed})) AS VARCHAR) "
        f"FROM ({keyed}) AS s GROUP BY ALL"
    ).fetchall()
    current: dict[str, dict[str, Any]] = {
        _partition_name(p, m): {"rows": int(n), "checksum": f"{n}:{h}"} for p, m, n, h in found
    }
    same_shape = old is not None and old.get("columns") == columns
    listed = old.get("partitions", {}) if old and same_shape else {}
    old_parts: dict[str, Any] = {
        k: v for k, v in (listed if isinstance(listed, dict) else {}).items() if isinstance(v, dict)
    }
    report = TableReport(name, sum(p["rows"] for p in current.values()))
    same = [k for k, v in current.items() if old_parts.get(k, {}).get("checksum") == v["checksum"]]
    target = folder / name
    report.repaired = sorted(
        k for k in same if not _files_as_listed(folder, target / k if k else target, old_parts[k])
    )
    changed = sorted((set(current) - set(same)) | set(report.repaired))
    report.skipped = sorted(set(current) - set(changed))
    report.removed = sorted(set(old_parts) - set(current))
    if not same_shape and old is not None:  # columns changed: nothing old is kept
        report.removed = []
        _remove(folder, folder / name)
    if changed:
        _write_partitions(con, staging / name, keyed, list(columns), changed, partitioned)
        for key in sorted(changed):
            _move_in(
                staging / name / key if key else staging / name,
                _inside(folder, target / key if key else target),
            )
    for key in report.removed:
        _remove(folder, target / key if key else target)
    if not current:
        _remove(folder, target)
    report.written = sorted(changed)
    partitions = {}
    for key, info in sorted(current.items()):
        if key in report.skipped:  # its files were just checked against these
            kept = old_parts[key]
            partitions[key] = {**info, "files": kept["files"], "file_checks": kept["file_checks"]}
            continue
        files = [
            f
            for f in _files_in(folder, target / key if key else target) or []
            if f.endswith(".parquet")
        ]
        checks = {
            f: {"bytes": (folder / f).stat().st_size, "sha256": _sha256(folder / f)} for f in files
        }
        partitions[key] = {**info, "files": files, "file_checks": checks}
    entry = {
        "columns": columns,
        "partition_by": list(PARTITION_KEYS) if partitioned else [],
        "rows": report.rows,
        "partitions": partitions,
    }
    return entry, report


def _write_partitions(
    con: Any, out: Path, keyed: str, columns: list[str], keys: list[str], partitioned: bool
) -> None:
    """COPY the rows of `keys` to `out` (hive folders when `partitioned`)."""
    cols = ", ".join(_quote(c) for c in columns)
    if partitioned:
        wanted = ", ".join("'" + k.replace("'", "''") + "'" for k in keys)
        select = (
            f"SELECT {cols}, _platform, _month FROM ({keyed}) AS k "
            f"WHERE '_platform=' || _platform || '/_month=' || _month IN ({wanted})"
        )
        target = str(out).replace("'", "''")
        con.execute(
            f"COPY ({select}) TO '{target}' "
            "(FORMAT parquet, PARTITION_BY (_platform, _month), OVERWRITE_OR_IGNORE)"
        )
    else:
        out.mkdir(parents=True, exist_ok=True)
        target = str(out / "data.parquet").replace("'", "''")
        con.execute(f"COPY (SELECT {cols} FROM ({keyed}) AS k) TO '{target}' (FORMAT parquet)")


def _refuse_links(folder: Path) -> None:
    """LakeError when a symbolic link lies anywhere in the lake: its folders are written and
    deleted, and a link (a table folder pointing at the user's own) would take that elsewhere."""
    for root, dirs, files in os.walk(folder):  # never descends into a linked folder
        for name in (*dirs, *files):
            path = Path(root) / name
            if path.is_symlink():
                raise LakeError(
                    f"{path.relative_to(folder)} in the lake {folder} is a symbolic link",
                    "a lake holds only its own files: remove the link, or export into a new folder",
                )


def _files_in(folder: Path, partition: Path) -> list[str] | None:
    """The files under a partition's folder (paths relative to the lake), or None when it is
    not a real folder inside the lake or holds anything but folders and regular files."""
    try:
        if not stat.S_ISDIR(_inside(folder, partition).lstat().st_mode):
            return None
    except (OSError, LakeError):
        return None
    found = []
    for root, dirs, files in os.walk(partition):
        for name in (*dirs, *files):
            mode = (Path(root) / name).lstat().st_mode
            if stat.S_ISLNK(mode) or (name in files and not stat.S_ISREG(mode)):
                return None
        found += [str((Path(root) / f).relative_to(folder)) for f in files]
    return sorted(found)


def _files_as_listed(folder: Path, partition: Path, listed: dict[str, Any]) -> bool:
    """Whether the partition's folder holds exactly the files the old manifest lists, each of
    the size and SHA-256 it recorded (a manifest without them, from an older lake: no)."""
    files, checks = listed.get("files"), listed.get("file_checks")
    if not isinstance(files, list) or not isinstance(checks, dict):
        return False
    if _files_in(folder, partition) != sorted(files) or set(checks) != set(files):
        return False
    try:
        for name in files:
            path, check = folder / name, checks[name]
            if not isinstance(check, dict) or path.stat().st_size != check.get("bytes"):
                return False
            if _sha256(path) != check.get("sha256"):
                return False
    except OSError:  # gone or unreadable meanwhile
        return False
    return True


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _inside(folder: Path, path: Path) -> Path:
    """`path`, when it lies strictly inside the lake `folder` (a table or partition name from
    the data or from an edited manifest must not climb out with `..`)."""
    resolved = Path(os.path.normpath(path))
    if resolved == folder or not resolved.is_relative_to(folder) or resolved.name == MANIFEST:
        raise LakeError(
            f"{path.relative_to(folder) if path.is_relative_to(folder) else path} "
            "does not name a folder inside the lake",
            "export into a new folder (the manifest or a partition value is not a lake's)",
        )
    return resolved


def _remove(folder: Path, path: Path) -> None:
    """Delete a table's or partition's folder of the lake (never anything outside it)."""
    shutil.rmtree(_inside(folder, path), ignore_errors=True)


def _move_in(new: Path, target: Path) -> None:
    """Replace `target` by `new` (the old one moved aside first, then deleted)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    aside = target.with_name(f".old-{target.name}-{os.getpid()}")
    if target.exists():
        os.replace(target, aside)
    os.replace(new, target)
    shutil.rmtree(aside, ignore_errors=True)


def _data_version(con: Any) -> str:
    try:
        row = con.execute(
            "SELECT max(file_id), count(*), sum(rows_loaded) FROM _sync_files"
        ).fetchone()
    except Exception:
        return ""
    return "-".join(str(v) for v in row or ())


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


# --- rebuild ----------------------------------------------------------------------------------


def table_files(folder: Path, manifest: dict[str, Any], table: str) -> list[str]:
    """The Parquet files of `table`, as paths."""
    info = manifest["tables"][table]
    files = [folder / f for part in info["partitions"].values() for f in part["files"]]
    return [str(_inside(folder, f)) for f in files]  # an edited manifest reads nothing outside


def import_lake(folder: Path, warehouse: Path) -> dict[str, int]:
    """Build `warehouse` (new, or with empty tables) from the lake in `folder`; table -> rows.

    Every table of the manifest is loaded in one transaction and its row count checked against
    the manifest: a lake that does not match leaves no half-built warehouse."""
    import duckdb

    from shopql.warehouse.connection import open_writer, transaction
    from shopql.warehouse.schema import SCHEMA_VERSION

    folder = folder.expanduser().resolve()
    manifest = read_manifest(folder)
    version = int(manifest.get("schema_version", 0))
    if version != SCHEMA_VERSION:
        raise LakeError(
            f"the lake has schema version {version}, this shopql writes {SCHEMA_VERSION}",
            "export the lake again with this shopql, or import it with the shopql that wrote it",
        )
    foreign = sorted(NOT_EXPORTED & set(manifest["tables"]))
    if foreign:  # a forged lake: another `_audit` history, the warehouse's own `_meta`
        raise LakeError(
            f"the lake's table {foreign[0]} is never part of a lake: nothing was imported",
            "import only a lake written by `shopql lake export` (its manifest was edited)",
        )
    _refuse_links(folder)  # a listed file linked to one outside the lake is not read through
    con = open_writer(warehouse)
    loaded: dict[str, int] = {}
    try:
        schema = _schema(con)
        busy = [
            t
            for t in manifest["tables"]
            if t in schema
            and t != "_sync_files"
            and con.execute(f"SELECT count(*) FROM {_quote(t)}").fetchall()[0][0]
        ]
        if busy:
            raise LakeError(
                f"the warehouse {warehouse} already holds data ({busy[0]} …)",
                "import into a new workspace: `shopql init NEW` then `shopql -w NEW lake import DIR`",
            )
        with transaction(con):
            for table, info in sorted(manifest["tables"].items()):
                if table not in schema:
                    raise LakeError(f"the lake's table {table} is not in this warehouse's schema")
                loaded[table] = _load_table(con, folder, manifest, table, info, schema[table])
    except duckdb.Error as e:
        raise LakeError(f"cannot import the lake: {str(e).splitlines()[0]}") from e
    finally:
        con.close()
    return loaded


def _load_table(
    con: Any,
    folder: Path,
    manifest: dict[str, Any],
    table: str,
    info: dict[str, Any],
    columns: dict[str, str],
) -> int:
    files = table_files(folder, manifest, table)
    missing = [f for f in files if not Path(f).is_file()]
    if missing:
        raise LakeError(f"the lake lacks {missing[0]}", "export the lake again")
    if not files:
        return 0
    wanted = [c for c in info["columns"] if c in columns]
    cols = ", ".join(_quote(c) for c in wanted)
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    con.execute(f"DELETE FROM {_quote(table)}")  # _sync_files of the new warehouse: replaced
    con.execute(
        f"INSERT INTO {_quote(table)} ({cols}) SELECT {cols} FROM read_parquet([{listed}], "
        "hive_partitioning = false, union_by_name = true)"
    )
    rows = int(con.execute(f"SELECT count(*) FROM {_quote(table)}").fetchall()[0][0])
    if rows != int(info["rows"]):
        raise LakeError(
            f"the lake's {table} has {rows:,} rows, its manifest says {int(info['rows']):,}",
            "export the lake again",
        )
    return rows
