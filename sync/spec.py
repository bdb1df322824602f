"""The declarative source format: how a platform's (or any) export maps onto the canonical model.

A *source* (one platform or dataset) has *file kinds* (orders file, items file …). Each kind says
how to recognise its header row (``detect``), which header aliases feed which typed *fields*, and
which canonical *targets* (tables) it writes with SQL expressions over those fields. Built-in
connectors and user mapping files (``--mapping FILE.yaml``) use the same format; see
``sync/sources/olist.yaml`` for a complete example.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from shopql.errors import SyncError

FIELD_TYPES = {"text", "id", "money", "number", "int", "timestamp", "date", "unix_time"}
TARGET_MODES = {"upsert", "replace", "insert_missing", "append"}


# libyaml's parser where PyYAML has it (the wheels do): the built-in sources are read on every sync
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """`yaml.safe_load`, through libyaml when available (several times faster)."""
    return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader either way


def normalize_header(name: str) -> str:
    """Header name as matched against aliases: NFKC (full-width to half-width), trimmed, lower."""
    text = unicodedata.normalize("NFKC", name or "")
    return text.strip(" \t\r\n\ufeff\u3000\"'").lower()


@dataclass(frozen=True)
class FieldSpec:
    """One typed value taken from the first header that matches an alias."""

    name: str
    aliases: tuple[str, ...]
    type: str = "text"
    required: bool = False
    statuses: dict[str, str] | None = None  # raw value -> canonical; unmapped values quarantine
    formats: tuple[str, ...] = ()  # extra strptime formats for timestamps
    nulls: tuple[str, ...] = ()  # extra placeholder values meaning "empty" for this field


@dataclass(frozen=True)
class TargetSpec:
    """Rows written into one canonical table from the cleaned rows of a file."""

    table: str
    columns: dict[str, str]  # canonical column -> SQL expression over field names
    key: tuple[str, ...] = ()
    mode: str = "upsert"
    group_by: tuple[str, ...] = ()  # when set, columns are aggregates per group
    where: str | None = None


@dataclass(frozen=True)
class FileKind:
    """One kind of file of a source: detection signature, fields, targets."""

    source: str
    kind: str
    detect_all: tuple[str, ...]
    detect_any: tuple[str, ...] = ()
    detect_none: tuple[str, ...] = ()
    fields: tuple[FieldSpec, ...] = ()
    targets: tuple[TargetSpec, ...] = ()
    header: bool = True
    columns: tuple[str, ...] = ()  # column names for files without a header row
    delimiter: str | None = None
    skip_reason: str | None = None  # a recognised file that is deliberately not loaded
    detect_row: str | None = None  # regex the first line must match (files without a header)
    ragged: bool = False  # rows may omit trailing empty cells (Amazon flat files): not "cut short"
    quote: str = '"'  # quoting character; "" for files that never quote (Amazon flat files)
    encoding_fallback: str | None = None  # instead of GB18030 for non-UTF-8 files (cp1252 for EU)
    pseudonymise: bool = True  # hash account keys (sync/pseudonym.py); false for opaque ids
    description: str = ""
    # the address standard: SQL over fields giving province, city, district, full, country
    address: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.source}/{self.kind}"

    def matches(self, headers: set[str], first_line: str = "") -> bool:
        """True when the normalised header set (or the first line) carries this kind's signature."""
        if not self.header:
            return bool(self.detect_row and re.fullmatch(self.detect_row, first_line.strip()))
        if not all(h in headers for h in self.detect_all):
            return False
        if self.detect_any and not any(h in headers for h in self.detect_any):
            return False
        return not any(h in headers for h in self.detect_none)

    @property
    def specificity(self) -> int:
        return len(self.detect_all) + (1 if self.detect_any else 0) + len(self.detect_none)


@dataclass(frozen=True)
class SourceSpec:
    """A platform or dataset: its files and the defaults they share."""

    name: str
    label: str = ""
    currency: str | None = None
    kinds: tuple[FileKind, ...] = ()
    origin: str = ""  # where the spec came from, for messages
    notes: dict[str, Any] = field(default_factory=dict)


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _field(name: str, raw: Any, where: str) -> FieldSpec:
    if isinstance(raw, (str, list)):
        raw = {"from": raw}
    if not isinstance(raw, dict):
        raise SyncError(f"{where}: field {name!r} must be a mapping", "see sync/sources/olist.yaml")
    kind = raw.get("type", "text")
    if kind not in FIELD_TYPES:
        raise SyncError(
            f"{where}: field {name!r} has unknown type {kind!r}",
            f"use one of {', '.join(sorted(FIELD_TYPES))}",
        )
    statuses = raw.get("statuses")
    return FieldSpec(
        name=name,
        aliases=tuple(normalize_header(a) for a in _as_tuple(raw.get("from", name))),
        type=kind,
        required=bool(raw.get("required", False)),
        statuses={str(k): str(v) for k, v in statuses.items()} if statuses else None,
        formats=_as_tuple(raw.get("formats")),
        nulls=_as_tuple(raw.get("nulls")),
    )


def _target(raw: dict[str, Any], where: str) -> TargetSpec:
    mode = raw.get("mode", "upsert")
    if mode not in TARGET_MODES:
        raise SyncError(f"{where}: unknown target mode {mode!r}", f"use one of {TARGET_MODES}")
    key = _as_tuple(raw.get("key"))
    if mode in {"upsert", "replace", "insert_missing"} and not key:
        raise SyncError(f"{where}: target {raw.get('table')!r} in mode {mode} needs a key")
    return TargetSpec(
        table=str(raw["table"]),
        columns={str(k): str(v) for k, v in raw["columns"].items()},
        key=key,
        mode=mode,
        group_by=_as_tuple(raw.get("group_by")),
        where=raw.get("where"),
    )


def _kind(source: str, raw: dict[str, Any], where: str, pseudonymise: bool = True) -> FileKind:
    kind = str(raw["kind"])
    detect = raw.get("detect", {})
    fields = tuple(_field(n, f, f"{where} {kind}") for n, f in (raw.get("fields") or {}).items())
    targets = tuple(_target(t, f"{where} {kind}") for t in raw.get("targets") or ())
    return FileKind(
        source=source,
        kind=kind,
        detect_all=tuple(normalize_header(h) for h in _as_tuple(detect.get("all"))),
        detect_any=tuple(normalize_header(h) for h in _as_tuple(detect.get("any"))),
        detect_none=tuple(normalize_header(h) for h in _as_tuple(detect.get("none"))),
        fields=fields,
        targets=targets,
        header=bool(raw.get("header", True)),
        columns=_as_tuple(raw.get("columns")),
        delimiter=raw.get("delimiter"),
        skip_reason=raw.get("skip"),
        detect_row=detect.get("row"),
        ragged=bool(raw.get("ragged", False)),
        quote=str(raw.get("quote", '"') or ""),
        encoding_fallback=raw.get("encoding_fallback"),
        description=str(raw.get("description", "")),
        pseudonymise=bool(raw.get("pseudonymise", pseudonymise)),
        address=_address(raw.get("address"), f"{where} {kind}"),
    )


ADDRESS_PARTS = ("province", "city", "district", "full", "country")


def _address(raw: Any, where: str) -> dict[str, str]:
    """A kind's `address:` block: which fields hold the province, city, district, full address and
    country (SQL expressions over field names)."""
    if not raw:
        return {}
    if not isinstance(raw, dict) or set(raw) - set(ADDRESS_PARTS):
        raise SyncError(
            f"{where}: `address` must map some of {', '.join(ADDRESS_PARTS)} to fields",
            "see sync/sources/jd.yaml",
        )
    return {str(k): str(v) for k, v in raw.items()}


def source_from_dict(data: dict[str, Any], origin: str = "<mapping>") -> SourceSpec:
    """Build a SourceSpec from the parsed YAML/dict form, with errors naming `origin`."""
    try:
        name = str(data["source"])
        pseudonymise = bool(data.get("pseudonymise", True))
        kinds = tuple(_kind(name, k, origin, pseudonymise) for k in data["files"])
    except (KeyError, TypeError) as e:
        raise SyncError(
            f"{origin}: mapping is missing {e}", "a mapping needs `source` and `files`"
        ) from e
    return SourceSpec(
        name=name,
        label=str(data.get("label", name)),
        currency=data.get("currency"),
        kinds=kinds,
        origin=origin,
        notes=data.get("notes") or {},
    )


def load_source_file(path: Path) -> SourceSpec:
    """Read a mapping YAML file."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise SyncError(f"cannot read mapping {path}: {e.strerror}") from e
    except yaml.YAMLError as e:
        raise SyncError(f"mapping {path} is not valid YAML: {e}") from e
    if not isinstance(data, dict):
        raise SyncError(f"mapping {path} must be a YAML mapping with `source` and `files`")
    return source_from_dict(data, origin=str(path))
