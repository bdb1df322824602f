"""Reading catalog YAML: a safe loader that keeps line numbers, and the shape stage of validation.

Every mapping read from a file remembers its line, so every issue points at `file:line`. Shape
problems (a wrong type, an unknown `agg`, a metric without a name) are collected, never raised: the
object in question is skipped and the rest of the catalog still loads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shopql.catalog.model import (
    AGGREGATIONS,
    GRAINS,
    METRIC_TYPES,
    PII_CLASSES,
    VALUE_TYPES,
    Catalog,
    Column,
    Dimension,
    Entity,
    Issue,
    Location,
    Measure,
    Metric,
    RuleTag,
    SemanticModel,
    Table,
    text,
)

INTROSPECTED = "_introspected.yaml"


class LineDict(dict[str, Any]):
    """A mapping from YAML that knows the line it starts on, and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


_loader: Any = None


def _line_loader() -> Any:
    """The YAML loader class (yaml is imported on the first file not in the parse cache)."""
    global _loader
    if _loader is None:
        import yaml

        base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        class _LineLoader(base):  # type: ignore[misc,valid-type,unused-ignore]
            pass

        _LineLoader.add_constructor(
            yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
        )
        _loader = _LineLoader
    return _loader


def _construct_mapping(loader: Any, node: Any) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[str(key)] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def read_yaml(
    path: Path, issues: list[Issue], display: str | None = None, cache_dir: Path | None = None
) -> Any:
    """Parse one file safely; a syntax error becomes an issue (with its line) and None.

    A file parsed before (same path, same text) is read from the parse cache: in memory for the
    process, and with `cache_dir` (a workspace's .shopql/) on disk too (JSON keyed by the
    text's hash, so any edit is read afresh)."""
    name = display or path.name
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        issues.append(Issue("error", f"cannot read: {e}", Location(name, 0)))
        return None
    found = _cached_parse(path, raw, cache_dir)
    if found is not _MISS:
        return found
    import yaml

    try:
        data = yaml.load(raw, Loader=_line_loader())  # noqa: S506
        _keep_parse(path, raw, data, cache_dir)
        return data
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        line = mark.line + 1 if mark else 0
        issues.append(Issue("error", f"YAML syntax: {e.problem}", Location(name, line)))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        issues.append(Issue("error", f"cannot read: {e}", Location(name, 0)))
    return None


_MISS = object()
_parsed: dict[tuple[str, str], str] = {}  # (path, sha256 of its text) -> the parse as JSON
PARSE_CACHE = "yaml"  # the folder in a workspace's .shopql/ holding parsed catalog files


class _NotJson(Exception):
    """A parsed value JSON cannot carry as it is (a date, a set …): that file is not cached."""


def _encode(value: Any) -> Any:
    """A parse as JSON: mappings as {"d": [[key, value]…], "l": line, "k": [key lines]}."""
    if isinstance(value, LineDict):
        return {
            "d": [[k, _encode(v)] for k, v in value.items()],
            "l": value.line,
            "k": [value.key_lines.get(k, 0) for k in value],
        }
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise _NotJson(type(value).__name__)


def _decode(obj: dict[str, Any]) -> Any:
    out = LineDict((k, v) for k, v in obj["d"])
    out.line = obj["l"]
    out.key_lines = {k: n for (k, _), n in zip(obj["d"], obj["k"], strict=True)}
    return out


def _disk_cache(path: Path, cache_dir: Path | None) -> Path | None:
    """<workspace>/.shopql/yaml/<file>.json, when the caller keeps parses on disk."""
    if cache_dir is None or not cache_dir.is_dir():
        return None
    return cache_dir / PARSE_CACHE / f"{path.name}.json"


def _cached_parse(path: Path, raw: str, cache_dir: Path | None) -> Any:
    import hashlib
    import json

    digest = hashlib.sha256(raw.encode()).hexdigest()
    text = _parsed.get((str(path), digest))
    if text is None:
        cache = _disk_cache(path, cache_dir)
        try:
            stored = json.loads(cache.read_text(encoding="utf-8")) if cache else None
        except (OSError, ValueError):
            stored = None
        if not isinstance(stored, dict) or stored.get("sha256") != digest:
            return _MISS
        text = json.dumps(stored["data"], ensure_ascii=False)
        _parsed[(str(path), digest)] = text
    return json.loads(text, object_hook=_decode)


def _keep_parse(path: Path, raw: str, data: Any, cache_dir: Path | None) -> None:
    import hashlib
    import json
    import os
    import tempfile

    digest = hashlib.sha256(raw.encode()).hexdigest()
    try:
        encoded = _encode(data)
    except _NotJson:
        return
    _parsed[(str(path), digest)] = json.dumps(encoded, ensure_ascii=False)
    cache = _disk_cache(path, cache_dir)
    if cache is None:
        return
    try:  # whole or not at all: a concurrent reader sees the old file or the new one
        cache.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=f".{cache.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"sha256": digest, "data": encoded}, f, ensure_ascii=False)
        os.replace(tmp, cache)
    except OSError:
        pass  # the catalog reads without the cache


class _Reader:
    """Shape checks over one file's data, appending issues as it goes."""

    def __init__(self, file: str, issues: list[Issue]) -> None:
        self.file = file
        self.issues = issues

    def loc(self, obj: Any, key: str | None = None) -> Location:
        line = getattr(obj, "line", 0)
        if key is not None and isinstance(obj, LineDict):
            line = obj.key_lines.get(key, line)
        return Location(self.file, line)

    def error(self, obj: Any, message: str, key: str | None = None) -> None:
        self.issues.append(Issue("error", message, self.loc(obj, key), "shape"))

    def warn(self, obj: Any, message: str, key: str | None = None) -> None:
        self.issues.append(Issue("warning", message, self.loc(obj, key), "shape"))

    def items(self, data: Any, key: str) -> list[LineDict]:
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(data, f"`{key}` must be a list", key)
            return []
        good = [v for v in value if isinstance(v, LineDict) and self.named(v, key)]
        return good

    def named(self, obj: LineDict, what: str) -> bool:
        name = obj.get("name")
        if not isinstance(name, str) or not name.isidentifier():
            self.error(obj, f"every entry of `{what}` needs a `name` (letters, digits, _)")
            return False
        return True

    def string(self, obj: LineDict, key: str, required: bool = False) -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.error(obj, f"{obj.get('name', '?')}: `{key}` is required")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(obj, f"{obj.get('name', '?')}: `{key}` must be a string", key)
            return None
        return str(value)

    def choice(self, obj: LineDict, key: str, choices: tuple[str, ...], default: str) -> str:
        value = obj.get(key, default)
        if value not in choices:
            self.error(
                obj,
                f"{obj.get('name', '?')}: `{key}` is {value!r}, expected one of "
                f"{', '.join(choices)}",
                key,
            )
            return default
        return str(value)

    def strings(self, obj: LineDict, key: str) -> list[str]:
        value = obj.get(key) or []
        if isinstance(value, dict):  # {en: [...], zh: [...]}
            value = [v for group in value.values() for v in (group or [])]
        if not isinstance(value, list):
            self.error(obj, f"{obj.get('name', '?')}: `{key}` must be a list", key)
            return []
        return [str(v) for v in value if v is not None]

    def unknown_keys(self, obj: LineDict, allowed: set[str]) -> None:
        for key in obj:
            if key not in allowed:
                self.warn(obj, f"{obj.get('name', '?')}: unknown key `{key}` is ignored", key)


TABLE_KEYS = {"name", "description", "synonyms", "columns"}
COLUMN_KEYS = {"name", "description", "synonyms", "pii"}
MODEL_KEYS = {
    "name",
    "table",
    "sql",
    "description",
    "entities",
    "dimensions",
    "measures",
    "defaults",
}
METRIC_KEYS = {
    "name",
    "type",
    "label",
    "synonyms",
    "description",
    "notes",
    "value_type",
    "measure",
    "filter",
    "time",
    "window_days",
    "line_metric",
    "rounding",
    "numerator",
    "denominator",
    "expr",
    "metrics",
    "table",
}


def read_tables(r: _Reader, data: Any) -> list[Table]:
    tables = []
    for obj in r.items(data, "tables"):
        r.unknown_keys(obj, TABLE_KEYS)
        table = Table(
            name=obj["name"],
            description=text(obj.get("description")),
            synonyms=r.strings(obj, "synonyms"),
            where=r.loc(obj),
        )
        for col in r.items(obj, "columns"):
            r.unknown_keys(col, COLUMN_KEYS)
            pii = col.get("pii") or None
            if pii is not None and pii not in PII_CLASSES:
                r.error(col, f"{col['name']}: pii is {pii!r}, expected one of {PII_CLASSES}", "pii")
                pii = None
            table.columns[col["name"]] = Column(
                name=col["name"],
                description=text(col.get("description")),
                synonyms=r.strings(col, "synonyms"),
                pii=pii,
                where=r.loc(col),
            )
        tables.append(table)
    return tables


def read_models(r: _Reader, data: Any) -> list[SemanticModel]:
    models = []
    for obj in r.items(data, "semantic_models"):
        r.unknown_keys(obj, MODEL_KEYS)
        name = obj["name"]
        table, sql = r.string(obj, "table"), r.string(obj, "sql")
        if not table and not sql:
            r.error(obj, f"{name}: a semantic model needs `table` or `sql`")
            continue
        defaults = obj.get("defaults") if isinstance(obj.get("defaults"), dict) else {}
        model = SemanticModel(
            name=name,
            table=table,
            sql=sql,
            description=text(obj.get("description")),
            default_time=(defaults or {}).get("agg_time_dimension"),
            where=r.loc(obj),
        )
        for ent in r.items(obj, "entities"):
            kind = r.choice(ent, "type", ("primary", "foreign", "unique"), "foreign")
            expr = r.string(ent, "expr") or ent["name"] + "_id"
            model.entities.append(Entity(ent["name"], kind, expr, r.loc(ent)))
        for dim in r.items(obj, "dimensions"):
            model.dimensions[dim["name"]] = _dimension(r, dim, name)
        for mea in r.items(obj, "measures"):
            model.measures[mea["name"]] = Measure(
                name=mea["name"],
                agg=r.choice(mea, "agg", AGGREGATIONS, "sum"),
                expr=r.string(mea, "expr") or mea["name"],
                model=name,
                having=r.string(mea, "having"),
                description=text(mea.get("description")),
                where=r.loc(mea),
            )
        models.append(model)
    return models


def _dimension(r: _Reader, dim: LineDict, model: str) -> Dimension:
    kind = r.choice(dim, "type", ("categorical", "time"), "categorical")
    grains: tuple[str, ...] = ()
    if kind == "time":
        params = dim.get("type_params") or {}
        raw = params.get("granularities") or dim.get("granularities") or GRAINS
        grains = tuple(g for g in raw if g in GRAINS)
        for g in raw:
            if g not in GRAINS:
                r.error(dim, f"{dim['name']}: unknown granularity {g!r}")
    return Dimension(
        name=dim["name"],
        type=kind,
        expr=r.string(dim, "expr") or dim["name"],
        model=model,
        label=text(dim.get("label")),
        synonyms=r.strings(dim, "synonyms"),
        description=text(dim.get("description")),
        granularities=grains,
        where=r.loc(dim),
        own_words=r.strings(dim, "own_words"),
    )


def read_metrics(r: _Reader, data: Any) -> list[Metric]:
    metrics = []
    for obj in r.items(data, "metrics"):
        r.unknown_keys(obj, METRIC_KEYS)
        name = obj["name"]
        kind = r.choice(obj, "type", METRIC_TYPES, "simple")
        window = obj.get("window_days")
        if window is not None and (not isinstance(window, int) or window <= 0):
            r.error(obj, f"{name}: `window_days` must be a positive whole number", "window_days")
            window = None
        rounding = obj.get("rounding")
        if rounding is not None and (not isinstance(rounding, int) or not 0 <= rounding <= 6):
            r.error(obj, f"{name}: `rounding` must be a whole number from 0 to 6", "rounding")
            rounding = None
        metric = Metric(
            name=name,
            type=kind,
            label=text(obj.get("label")),
            synonyms=r.strings(obj, "synonyms"),
            description=text(obj.get("description")),
            notes=str(obj.get("notes") or "").strip(),
            value_type=r.choice(obj, "value_type", VALUE_TYPES, "number"),
            measure=r.string(obj, "measure", required=kind == "simple" and "expr" not in obj),
            filter=r.string(obj, "filter"),
            time=r.string(obj, "time"),
            window_days=window,
            rounding=rounding,
            line_metric=r.string(obj, "line_metric"),
            numerator=r.string(obj, "numerator", required=kind == "ratio"),
            denominator=r.string(obj, "denominator", required=kind == "ratio"),
            expr=r.string(obj, "expr", required=kind == "derived"),
            inputs=r.strings(obj, "metrics"),
            table=r.string(obj, "table"),
            where=r.loc(obj),
        )
        if kind == "derived" and not metric.inputs:
            r.error(obj, f"{name}: a derived metric lists the `metrics` its expr uses")
        metrics.append(metric)
    return metrics


def read_files(
    paths: list[tuple[Path, str]], catalog: Catalog, cache_dir: Path | None = None
) -> None:
    """Read each (path, display name) into `catalog`, recording shape issues and duplicates
    (parses kept on disk in `cache_dir`, see read_yaml)."""
    for path, display in paths:
        data = read_yaml(path, catalog.issues, display, cache_dir)
        if data is None:
            continue
        r = _Reader(display, catalog.issues)
        if not isinstance(data, LineDict):
            r.error(data, "a catalog file is a mapping with tables, semantic_models or metrics")
            continue
        from shopql.catalog.families import FAMILY_KEYS, read_families

        known = {"tables", "semantic_models", "metrics", "tags", "version", "funnels"}
        # glossary/absent: read by nlq/glossary.py and nlq/absent.py
        known |= {"thresholds", "value_groups", "owned_values"}  # catalog/thresholds.py
        known |= {"value_names"}  # other names of stored values: nlq/glossary.py
        known |= {"languages"}  # the catalog's other languages: nlq/languages.py
        r.unknown_keys(data, known | set(FAMILY_KEYS) | {"glossary", "absent", "festivals"})
        cut_texts(r, data)
        _add(catalog.tables, read_tables(r, data), "table", catalog.issues)
        _add(catalog.models, read_models(r, data), "semantic model", catalog.issues)
        _add(catalog.metrics, read_metrics(r, data), "metric", catalog.issues)
        _add(catalog.tags, read_tags(r, data), "tag", catalog.issues)
        read_families(r, data, catalog)
        from shopql.catalog.thresholds import read_thresholds

        read_thresholds(r, data, catalog)


def read_tags(r: _Reader, data: Any) -> list[RuleTag]:
    """Rule tags: name, label {en, zh}, description, condition (checked by `catalog lint`)."""
    tags = []
    for obj in r.items(data, "tags"):
        r.unknown_keys(obj, {"name", "label", "description", "condition"})
        condition = r.string(obj, "condition", required=True)
        label = text(obj.get("label"))
        if not (label.get("en") and label.get("zh")):
            r.warn(obj, f"{obj['name']}: give the tag a label in English and Chinese", "label")
        if condition:
            tags.append(
                RuleTag(obj["name"], condition, label, text(obj.get("description")), r.loc(obj))
            )
    return tags


def cut_texts(r: _Reader, data: Any) -> None:
    """Flag `{en: Orders, one row per order., zh: …}`: in a YAML flow mapping an unquoted comma
    ends the text, and the rest becomes keys without values. The text must be quoted."""
    if isinstance(data, list):
        for item in data:
            cut_texts(r, item)
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        if key in ("description", "label") and isinstance(value, dict):
            lost = [str(k) for k, v in value.items() if v is None and k not in ("en", "zh")]
            if lost:
                r.error(
                    data,
                    f"{data.get('name', '?')}: `{key}` is cut at a comma before "
                    f"{', '.join(lost)!r}: put the text in quotes",
                    key,
                )
        cut_texts(r, value)


def _add(target: dict[str, Any], items: list[Any], what: str, issues: list[Issue]) -> None:
    for item in items:
        if item.name in target:
            first = target[item.name].where
            issues.append(
                Issue(
                    "error", f"{what} {item.name} is defined twice (first at {first})", item.where
                )
            )
            continue
        target[item.name] = item


_AGGS = {"sum": "sum", "avg": "avg", "min": "min", "max": "max", "count": "count"}


def attach_inline_measures(catalog: Catalog) -> None:
    """Simple metrics written the DESIGN way (`table: orders`, `expr: sum(paid_amount)`) get a
    measure of their own in the semantic model on that table."""
    for metric in catalog.metrics.values():
        if metric.type != "simple" or metric.measure or not metric.expr:
            continue
        model = next((m for m in catalog.models.values() if m.table == metric.table), None)
        if model is None:
            catalog.issues.append(
                Issue(
                    "error",
                    f"metric {metric.name}: no semantic model on table {metric.table!r}",
                    metric.where,
                )
            )
            continue
        measure = _measure_of(metric, model.name, catalog.issues)
        if measure is not None:
            model.measures[measure.name] = measure
            metric.measure = measure.name


def _measure_of(metric: Metric, model: str, issues: list[Issue]) -> Measure | None:
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(metric.expr or "", read="duckdb")
    except sqlglot.errors.ParseError:
        tree = None
    agg = _AGGS.get(tree.key) if isinstance(tree, exp.AggFunc) else None
    if tree is None or agg is None:
        issues.append(
            Issue(
                "error",
                f"metric {metric.name}: expr must be one aggregate such as sum(paid_amount) "
                "(use a ratio or derived metric to combine them)",
                metric.where,
            )
        )
        return None
    inner = tree.this
    if isinstance(inner, exp.Distinct):
        agg, inner = "count_distinct", inner.expressions[0]
    sql = "*" if isinstance(inner, exp.Star) else inner.sql(dialect="duckdb")
    return Measure(f"{metric.name}__measure", agg, sql, model, where=metric.where)
