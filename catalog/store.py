"""Loading a workspace's catalog: its YAML files (or the default pack), merged with introspection.

`_introspected.yaml` (written by `shopql catalog refresh`) holds what the warehouse says: column
types, row counts and low-cardinality value lists. It is merged in, never edited by hand, and the
user's files are never rewritten.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from shopql.catalog.model import Catalog, CatalogError, DimensionInfo, Issue

Schema = dict[str, dict[str, str]]  # table -> column -> type (as catalog.validate)


def default_pack_dir() -> Path:
    """The folder of YAML files shipped with shopql."""
    return Path(str(resources.files("shopql.catalog").joinpath("default")))


def catalog_files(directory: Path | None) -> list[tuple[Path, str]]:
    """The catalog YAML files of a workspace (its catalog/ folder), else the default pack."""
    if directory is not None and directory.is_dir():
        own = sorted(p for p in directory.glob("*.yaml") if not p.name.startswith("_"))
        if own:
            return [(p, f"catalog/{p.name}") for p in own]
    pack = default_pack_dir()
    return [(p, f"<default>/{p.name}") for p in sorted(pack.glob("*.yaml"))]


_canonical: dict[str, dict[str, str]] | None = None
CANONICAL_CACHE = "canonical_schema.json"  # in a workspace's .shopql/, keyed by the DDL's hash


def canonical_schema(cache_dir: Path | None = None) -> dict[str, dict[str, str]]:
    """table -> column -> type of the canonical model, read from the migrations' DDL (fast: no
    database), or from an in-memory migrated DuckDB when a statement is beyond the reader.

    Once per process; with `cache_dir` (a workspace's .shopql/) also kept on disk under the
    hash of the migrations' text, so a new process skips parsing the DDL."""
    global _canonical
    if _canonical is None:
        key = _ddl_key()
        _canonical = _read_canonical(cache_dir, key)
        if _canonical is None:
            try:
                _canonical = _schema_from_ddl()
            except Exception:
                _canonical = _schema_from_duckdb()
            _write_canonical(cache_dir, key, _canonical)
    return _canonical


def _ddl_key() -> str:
    import hashlib

    from shopql.warehouse.schema import MIGRATIONS

    text = "\n".join(s for m in MIGRATIONS for s in m if isinstance(s, str))
    return hashlib.sha256(text.encode()).hexdigest()


def _read_canonical(cache_dir: Path | None, key: str) -> dict[str, dict[str, str]] | None:
    import json

    if cache_dir is None:
        return None
    try:
        data = json.loads((cache_dir / CANONICAL_CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    schema = data.get("schema")
    return schema if isinstance(schema, dict) else None


def _write_canonical(cache_dir: Path | None, key: str, schema: dict[str, dict[str, str]]) -> None:
    import json
    import os
    import tempfile

    if cache_dir is None or not cache_dir.is_dir():
        return
    try:  # whole or not at all: a concurrent reader sees the old file or the new one
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=f".{CANONICAL_CACHE}.")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps({"key": key, "schema": schema}))
        os.replace(tmp, cache_dir / CANONICAL_CACHE)
    except OSError:
        pass  # the catalog loads without the cache


def _schema_from_ddl() -> dict[str, dict[str, str]]:
    import sqlglot
    from sqlglot import exp

    from shopql.warehouse.schema import MIGRATIONS, PYTHON_STEP

    schema: dict[str, dict[str, str]] = {}
    # steps that are functions or Python data steps (data migrations) change no table's shape
    steps = (s for m in MIGRATIONS for s in m if isinstance(s, str))
    for statement in (s for s in steps if not s.startswith(PYTHON_STEP)):
        tree = sqlglot.parse_one(statement, read="duckdb")
        if isinstance(tree, exp.Create) and isinstance(tree.this, exp.Schema):
            cols = [c for c in tree.this.expressions if isinstance(c, exp.ColumnDef)]
            schema[tree.this.this.name] = {c.name: _type(c) for c in cols}
        elif isinstance(tree, exp.Alter):
            for action in tree.args.get("actions") or []:
                if not isinstance(action, exp.ColumnDef):
                    raise ValueError(f"cannot read {statement!r}")
                schema[tree.this.name][action.name] = _type(action)
        elif isinstance(tree, (exp.Update, exp.Insert, exp.Delete)):
            continue  # a data step written in SQL: no table's shape changes
        elif not isinstance(tree, exp.Create):
            raise ValueError(f"cannot read {statement!r}")
    return schema


def _type(col: Any) -> str:
    kind = col.args.get("kind")
    name = kind.sql(dialect="duckdb").upper().replace(", ", ",") if kind is not None else "VARCHAR"
    return {"TEXT": "VARCHAR", "INT": "INTEGER"}.get(name, name)


def _schema_from_duckdb() -> dict[str, dict[str, str]]:
    import duckdb

    from shopql.warehouse.schema import migrate

    con = duckdb.connect(":memory:")
    try:
        migrate(con)
        return schema_of(con)
    finally:
        con.close()


def schema_of(con: Any) -> dict[str, dict[str, str]]:
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall()
    schema: dict[str, dict[str, str]] = {}
    for table, column, kind in rows:
        schema.setdefault(table, {})[column] = kind
    return schema


def load_catalog(
    workspace_dir: Path | str | None,
    *,
    strict: bool = True,
    timezone: str | None = None,
    disk_cache: bool = False,
) -> Catalog:
    """The catalog of a workspace (its `catalog/` folder; the default pack when it has none).

    Runs the shape and reference stages; with `strict`, raises CatalogError on the first error
    (run `shopql catalog lint` to see them all). Introspection results are merged in.
    `disk_cache`: keep the YAML parses and the canonical schema in the workspace's .shopql/
    (keyed by the files' text and the migrations' text), for processes that start often."""
    return _load(workspace_dir, strict=strict, timezone=timezone, disk_cache=disk_cache)[0]


def _load(
    workspace_dir: Path | str | None,
    *,
    strict: bool = True,
    timezone: str | None = None,
    disk_cache: bool = False,
) -> tuple[Catalog, bool]:
    """load_catalog, and whether the result depends on the warehouse's live tables (the
    references checked against them too: a table added since the last refresh)."""
    directory = Path(workspace_dir) / "catalog" if workspace_dir is not None else None
    catalog = Catalog(directory=str(directory) if directory else None)
    if timezone:
        catalog.timezone = timezone
    elif workspace_dir is not None:
        catalog.timezone = _workspace_timezone(Path(workspace_dir))
    cache_dir = Path(workspace_dir) / ".shopql" if workspace_dir is not None else None
    cache_dir = cache_dir if disk_cache else None
    files = catalog_files(directory)
    key = _catalog_key(files, directory, catalog.timezone) if cache_dir is not None else None
    if key is not None:
        cached = _read_pickled(cache_dir, key)  # type: ignore[arg-type]
        if cached is not None:
            return cached, False
    # the readers (YAML, sqlglot) are imported only when the catalog is built
    from shopql.catalog.families import add_time_parts
    from shopql.catalog.families import generate as generate_families
    from shopql.catalog.loader import attach_inline_measures, read_files
    from shopql.catalog.validate import check_references

    read_files(files, catalog, cache_dir)
    attach_inline_measures(catalog)
    generate_families(catalog)
    from shopql.catalog.thresholds import add_group_dimensions

    add_group_dimensions(catalog)  # value_groups: 大区 over provinces, EU over countries
    introspected = _introspected(directory, catalog.issues)
    schema = {
        **canonical_schema(cache_dir),
        **{t: dict(c) for t, c in introspected.get("types", {}).items()},
    }
    found = check_references(catalog, schema)
    live_used = False
    if workspace_dir is not None and any(i.level == "error" for i in found):
        live = live_schema(Path(workspace_dir))  # tables added since the last refresh
        if live:
            found = check_references(catalog, {**schema, **live})
            key = None  # it depends on the warehouse's tables too: not kept
            live_used = True
    catalog.issues += found
    _merge_introspection(catalog, introspected)
    catalog.dimensions = dimension_index(catalog)
    add_time_parts(catalog)
    if key is not None and not catalog.errors:
        _write_pickled(cache_dir, key, catalog)  # type: ignore[arg-type]
    if strict and catalog.errors:
        first = catalog.errors[0]
        more = f" (and {len(catalog.errors) - 1} more)" if len(catalog.errors) > 1 else ""
        raise CatalogError(
            f"catalog error at {first.where}: {first.message}{more}", "run `shopql catalog lint`"
        )
    return catalog, live_used


# pii_columns_of: workspace catalog key -> the catalog's PII classes, per process
_pii_memo: dict[str, dict[str, dict[str, str]]] = {}


def pii_columns_of(workspace_dir: Path, timezone: str | None = None) -> dict[str, dict[str, str]]:
    """`load_catalog(workspace_dir, timezone=timezone).pii_columns()` (raises as load_catalog
    does), remembered in this process for the same catalog: the same files with the same text
    and the same timezone (the disk cache's key, _catalog_key), when the load did not depend on
    the warehouse's live tables. The guard's context needs only these classes and is built for
    every `run_guarded` call without a context; a whole catalog load costs ~0.5 CPU s."""
    directory = Path(workspace_dir) / "catalog"
    zone = timezone or _workspace_timezone(Path(workspace_dir))
    key = _catalog_key(catalog_files(directory), directory, zone)
    found = _pii_memo.get(key) if key else None
    if found is None:
        catalog, live_used = _load(workspace_dir, timezone=zone)
        found = catalog.pii_columns()
        if key and not live_used:
            _pii_memo[key] = found
    return {t: dict(cols) for t, cols in found.items()}  # the caller's own copy


CATALOG_CACHE = "cache/catalog.pickle"  # in a workspace's .shopql/: the whole loaded catalog


def _catalog_key(files: list[tuple[Path, str]], directory: Path | None, timezone: str) -> str:
    """What a loaded catalog is made of: the text of every catalog file (and of the
    introspection), the timezone, the migrations, and the code that reads them (each file of
    the catalog package, the schema module, the Python and shopql versions)."""
    import hashlib
    import sys

    import shopql
    from shopql.warehouse import schema as warehouse_schema

    digest = hashlib.sha256()
    own = sorted(directory.glob("*.yaml")) if directory is not None and directory.is_dir() else []
    try:  # the files read, and every YAML file of the folder (its _introspected.yaml too)
        for path in [p for p, _ in files] + own:
            digest.update(f"{path}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        code = Path(__file__).parent
        for path in [*sorted(code.glob("*.py")), Path(warehouse_schema.__file__)]:
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_mtime_ns}:{stat.st_size}\0".encode())
    except OSError:
        return ""
    digest.update(f"{timezone}\0{sys.version}\0{shopql.__version__}".encode())
    return digest.hexdigest()


def _read_pickled(cache_dir: Path, key: str) -> Catalog | None:
    from shopql.keyed_cache import read_keyed

    catalog = read_keyed(cache_dir / CATALOG_CACHE, key)
    return catalog if isinstance(catalog, Catalog) else None


def _write_pickled(cache_dir: Path, key: str, catalog: Catalog) -> None:
    from shopql.keyed_cache import write_keyed

    write_keyed(cache_dir / CATALOG_CACHE, key, catalog)


def live_schema(workspace: Path) -> dict[str, dict[str, str]]:
    from shopql.config import WAREHOUSE_NAME

    path = workspace / WAREHOUSE_NAME
    if not path.is_file():
        return {}
    try:
        from shopql.warehouse.connection import open_reader

        con = open_reader(path)
    except Exception:  # busy or unreadable: the issues stand as found
        return {}
    try:
        return schema_of(con)
    finally:
        con.close()


def _workspace_timezone(workspace: Path) -> str:
    try:
        from shopql.config import load_settings

        return load_settings(workspace, require=False).timezone
    except Exception:  # a broken shopql.toml is reported by the commands that need it
        return "Asia/Shanghai"


def _introspected(directory: Path | None, issues: list[Issue]) -> dict[str, Any]:
    from shopql.catalog.loader import INTROSPECTED, read_yaml

    if directory is None or not (directory / INTROSPECTED).is_file():
        return {}
    data = read_yaml(directory / INTROSPECTED, issues, f"catalog/{INTROSPECTED}")
    return data if isinstance(data, dict) else {}


def _merge_introspection(catalog: Catalog, data: dict[str, Any]) -> None:
    types: Schema = data.get("types") or {}
    counts: dict[str, int] = data.get("row_counts") or {}
    values: dict[str, dict[str, list[Any]]] = data.get("values") or {}
    schema = {**canonical_schema(), **types}
    for table in catalog.tables.values():
        table.row_count = counts.get(table.name)
        for col in table.columns.values():
            col.type = schema.get(table.name, {}).get(col.name)
            if not col.pii:
                col.values = list((values.get(table.name) or {}).get(col.name) or [])


def dimension_index(catalog: Catalog) -> dict[str, DimensionInfo]:
    """One entry per dimension name, merging the models that define it (first label wins)."""
    index: dict[str, DimensionInfo] = {}
    for model in catalog.models.values():
        for dim in model.dimensions.values():
            info = index.setdefault(dim.name, DimensionInfo(dim.name, dim.type))
            info.models.append(model.name)
            info.label = info.label or dim.label
            info.description = info.description or dim.description
            info.synonyms += [s for s in dim.synonyms if s not in info.synonyms]
            if (
                not info.values
                and model.table
                and dim.expr in catalog.tables.get(model.table, _NO).columns
            ):
                info.values = list(catalog.tables[model.table].columns[dim.expr].values)
    return index


class _NoTable:
    columns: dict[str, Any] = {}


_NO: Any = _NoTable()
