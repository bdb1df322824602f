"""Spark as a second engine behind the same semantic layer, over a lake (``warehouse.lake``).

A query is compiled once (catalog) and guarded once, in DuckDB's dialect, against the lake's
schema; then ``to_spark`` transpiles the guarded SQL with sqlglot and a few general rewrites, and
it runs on a Spark session: local (``local[*]``, pyspark) or a cluster through Spark Connect
(``sc://host:port``). No metric has a path of its own.

The rewrites make Spark compute what DuckDB computes:

- ``SELECT * REPLACE (…)`` / ``* EXCLUDE (…)`` (the guard's masking subqueries) become column lists;
- the guard's keyed pseudonym macro becomes the same keyed SHA-256 in Spark SQL;
- the numbers are DuckDB's: with DuckDB's type of every expression (``warehouse.duck_types``,
  through every subquery, CTE and union), ``/`` works in DOUBLE (Spark would divide DECIMALs as
  DECIMAL rounded to 6 places), ``avg`` and ``median`` of a DECIMAL are computed as DuckDB does
  (exact sum / 10ˢ / count; interpolation truncated in the DECIMAL), ``ROUND`` of a DOUBLE rounds
  its exact binary value; sums of money stay DECIMAL in both, so money compares exactly;
- ``main.`` is dropped (the lake's tables are temporary views).

pyspark is imported only when a Spark query runs.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp

from shopql.errors import QueryError, ShopqlError
from shopql.warehouse.duck_types import DuckTypes, decimal_scale, is_double

DEFAULT_MASTER = "local[*]"
# Spark settings of every session shopql starts (small shuffles: the data is partitioned already)
SESSION_CONF = {
    "spark.ui.enabled": "false",
    "spark.driver.memory": "2g",  # the default 1g cannot broadcast a cached lake's dimensions
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    # broadcast joins of a cached lake's tables ran the driver out of memory on Olist: sort-merge
    "spark.sql.autoBroadcastJoinThreshold": "-1",
    # … unless every partition of the join proves small once shuffled (adaptive execution checks
    # the real sizes): a hash join then, no sort of both sides on their text keys
    "spark.sql.adaptive.maxShuffledHashJoinLocalMapThreshold": "64m",
    # medians and other object aggregates stay hashed up to 4,096 groups (Spark sorts every
    # input row past 128: Olist by state and month has ~700)
    "spark.sql.objectHashAggregate.sortBased.fallbackThreshold": "4096",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.timestampType": "TIMESTAMP_NTZ",  # warehouse timestamps are shop-local, naive
    "spark.sql.ansi.enabled": "false",  # DuckDB's NULL-on-failure casts, not errors
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
}

# DuckDB type -> Spark SQL type (the lake's Parquet types, read back with the manifest's schema)
_SPARK_TYPES = {
    "VARCHAR": "STRING",
    "TEXT": "STRING",
    "INTEGER": "INT",
    "BIGINT": "BIGINT",
    "SMALLINT": "SMALLINT",
    "TINYINT": "TINYINT",
    "HUGEINT": "DECIMAL(38,0)",
    "UINTEGER": "BIGINT",
    "UBIGINT": "DECIMAL(20,0)",
    "DOUBLE": "DOUBLE",
    "FLOAT": "FLOAT",
    "REAL": "FLOAT",
    "BOOLEAN": "BOOLEAN",
    "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP_NTZ",
    "TIMESTAMP WITH TIME ZONE": "TIMESTAMP",
    "BLOB": "BINARY",
}
# Spark result type -> the DuckDB name a QueryResult reports
_DUCK_NAMES = {
    "string": "VARCHAR",
    "int": "INTEGER",
    "bigint": "BIGINT",
    "smallint": "SMALLINT",
    "tinyint": "TINYINT",
    "double": "DOUBLE",
    "float": "FLOAT",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp_ntz": "TIMESTAMP",
    "timestamp": "TIMESTAMP WITH TIME ZONE",
    "binary": "BLOB",
}


class SparkUnavailable(ShopqlError):
    """pyspark is not installed, or no Java to run it."""


@dataclass(frozen=True)
class SparkSettings:
    """Where the lake is and which Spark runs over it."""

    lake: Path
    remote: str | None = None  # sc://host:port: Spark Connect; None: a local session
    master: str = DEFAULT_MASTER
    cache: bool = False  # keep the lake's tables in Spark's memory once read (small lakes, tests)


def spark_type(duck: str) -> str:
    upper = duck.upper().strip()
    if upper.startswith("DECIMAL"):
        return upper
    if upper.startswith("VARCHAR"):
        return "STRING"
    found = _SPARK_TYPES.get(upper)
    if found is None:
        raise QueryError(f"the lake has a column of type {duck}, which Spark cannot read here")
    return found


# --- transpiling --------------------------------------------------------------------------------


def _name_star(select: exp.Select) -> None:
    """`SELECT * FROM (SELECT a, b …) QUALIFY …`: Spark has no QUALIFY, and the subquery sqlglot
    writes for it adds a `_w` column that `*` would show; name the columns instead."""
    if not (len(select.expressions) == 1 and isinstance(select.expressions[0], exp.Star)):
        return
    source = select.args.get("from_") or select.args.get("from")
    inner = source.this if source is not None else None
    if not isinstance(inner, exp.Subquery) or not isinstance(inner.this, exp.Select):
        return
    names = inner.this.named_selects
    if names and all(names) and not any(isinstance(e, exp.Star) for e in inner.this.expressions):
        select.set("expressions", [exp.column(n, quoted=True) for n in names])


def to_spark(
    sql: str,
    schema: dict[str, dict[str, str]],
    key_secret: str | None = None,
    params: Sequence[Any] = (),
) -> str:
    """The guarded DuckDB `sql` as Spark SQL (see the module's docstring for the rewrites);
    `params` fill its `?` placeholders, in order, as typed literals."""
    from shopql.warehouse.guard import KEY_MACRO

    tree = sqlglot.parse_one(sql, read="duckdb")
    if params:
        holes = list(tree.find_all(exp.Placeholder))
        if len(holes) != len(params):
            raise QueryError(f"the query has {len(holes)} parameters, {len(params)} were given")
        for hole, value in zip(holes, params, strict=True):
            hole.replace(_literal(value))
    for table in list(tree.find_all(exp.Table)):
        if table.args.get("db") is not None and table.db.lower() == "main":
            table.set("db", None)
    for star in list(tree.find_all(exp.Star)):
        if star.args.get("replace") or star.args.get("except") or star.args.get("rename"):
            _expand_star(star, schema)
    for select in list(tree.find_all(exp.Select)):
        if select.args.get("qualify") is not None:
            _name_star(select)
    for call in list(tree.find_all(exp.Anonymous)):
        if call.name.lower() == KEY_MACRO:
            if key_secret is None:
                raise QueryError("a keyed pseudonym is needed but no workspace secret is known")
            call.replace(_key_expression(call.expressions[0], key_secret))
    # DuckDB's types, known before any rewrite (every level of subqueries, CTEs, unions)
    types = DuckTypes(tree, schema)
    avgs = [
        (a, decimal_scale(types.of(a.this)), _avg_becomes_sum_count(a))
        for a in tree.find_all(exp.Avg)
    ]
    medians = [(m, types.of(m.this)) for m in tree.find_all(exp.Median)]
    rounds = [r for r in tree.find_all(exp.Round) if is_double(types.of(r.this))]
    for div in list(tree.find_all(exp.Div)):
        div.set("this", _as_double(div.this))
        div.set("expression", _as_double(div.expression))
    for avg, scale, shared in avgs:
        if scale is None:
            avg.set("this", _as_double(avg.this))
        else:  # as DuckDB: the exact sum, as DOUBLE, divided as DuckDB divides it here
            _replace_aggregate(
                avg, lambda f, x=avg.this, s=scale, h=shared: _decimal_avg(x, s, f, h)
            )
    for median, kind in medians:
        scale = decimal_scale(kind)
        if scale is not None and kind is not None:  # DuckDB interpolates in the DECIMAL
            _replace_aggregate(median, lambda f, x=median.this, k=kind: _decimal_median(x, k, f))
        else:  # DuckDB: 0.5·lo + 0.5·hi in DOUBLE (Spark: lo + (hi − lo)·0.5)
            _replace_aggregate(median, lambda f, x=median.this: _double_median(x, f))
    for rounded in rounds:
        rounded.replace(_duckdb_round(rounded))
    for concat in list(tree.find_all(exp.GroupConcat)):
        _distinct_listagg(concat)
    return tree.sql(dialect="spark")


def _duckdb_round(node: exp.Round) -> exp.Expression:
    """ROUND(x, n) of a DOUBLE as DuckDB computes it: the exact binary value of x rounded half
    away from zero (361.575 is stored as 361.57499999… and gives 361.57; Spark's ROUND goes
    through the decimal text and gives 361.58). p = x·10ⁿ is rounded by Spark; only when p lands
    exactly on a half does the product's rounding error (Dekker's exact product, in plain DOUBLE
    arithmetic) decide the side.

    The formula names x sixteen times: x is computed once and bound to a lambda's variable
    (``ELEMENT_AT(TRANSFORM(ARRAY(x), v -> …), 1)``, the same DOUBLE arithmetic on the same
    value), so the Spark SQL holds x once — spelled out, the roundings were two thirds of the
    text of a chunk of 40 metrics, which Spark then analysed and optimised — and the formula is
    parsed once per number of places, not once per ROUND with x inside."""
    places = node.args.get("decimals")
    if not (isinstance(places, exp.Literal) and places.is_int and 0 <= int(places.this) <= 11):
        return node
    x = node.this
    if x.find(exp.Round) is not None:  # an inner ROUND stays Spark's, as it always was here
        x = x.copy()
    rounded = _round_template(int(places.this)).copy()
    rounded.find(exp.Array).set("expressions", [x])
    return rounded


@functools.lru_cache(maxsize=16)
def _round_template(places: int) -> exp.Expression:
    """`_duckdb_round`'s formula for `places` decimals, over ARRAY() (filled with x)."""
    v = "shopql_round_x"
    m = f"{10**places}.0D"
    p = f"({v} * {m})"
    hi = f"((134217729.0D * {v}) - ((134217729.0D * {v}) - {v}))"
    err = f"((({hi} * {m}) - {p}) + (({v} - {hi}) * {m}))"
    half = f"({p} - FLOOR({p}) = 0.5D)"
    text = (
        f"(CASE WHEN {half} AND {err} < 0 THEN CAST(FLOOR({p}) AS DOUBLE) "
        f"WHEN {half} AND {err} > 0 THEN CAST(CEIL({p}) AS DOUBLE) "
        f"ELSE ROUND({p}) END / {m})"
    )
    return sqlglot.parse_one(f"ELEMENT_AT(TRANSFORM(ARRAY(), {v} -> {text}), 1)", read="spark")


def _distinct_listagg(node: exp.GroupConcat) -> None:
    """`LISTAGG(DISTINCT x, sep ORDER BY x)` → the sorted set joined (Spark 4 fails on a
    DISTINCT LISTAGG … WITHIN GROUP next to another DISTINCT aggregate)."""
    order = node.this
    if not isinstance(order, exp.Order) or not isinstance(order.this, exp.Distinct):
        return
    values = order.this.expressions
    keys = order.expressions
    if len(values) != 1 or len(keys) != 1 or keys[0].this != values[0]:
        return
    collected = exp.Anonymous(this="COLLECT_SET", expressions=[values[0].copy()])
    ordered = exp.Anonymous(this="ARRAY_SORT", expressions=[collected])
    if keys[0].args.get("desc"):
        ordered = exp.Anonymous(this="REVERSE", expressions=[ordered])
    separator = node.args.get("separator") or exp.Literal.string(",")
    joined = exp.Anonymous(this="ARRAY_JOIN", expressions=[ordered, separator.copy()])
    empty = exp.EQ(
        this=exp.Anonymous(this="SIZE", expressions=[collected.copy()]),
        expression=exp.Literal.number(0),
    )
    node.replace(exp.If(this=empty, true=exp.Null(), false=joined))


def _literal(value: Any) -> exp.Expression:
    if isinstance(value, dt.datetime):
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), "TIMESTAMP")
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), "DATE")
    return exp.convert(value)


def _avg_becomes_sum_count(avg: exp.Avg) -> bool:
    """Whether DuckDB 2.0 computes this AVG as SUM / COUNT: its optimizer rewrites an AVG
    without FILTER or DISTINCT so when the same aggregate also has another such SUM, COUNT or
    AVG (to share the count); otherwise its DECIMAL average divides by count·10ˢ. The two differ
    in the last bit (95.16499999999999 vs 95.165), which a ROUND to the cent can show. Found by
    comparing both formulas with DuckDB's AVG on 2,000 groups under each neighbour aggregate."""
    if isinstance(avg.parent, exp.Filter) or isinstance(avg.this, exp.Distinct):
        return False
    select = avg.find_ancestor(exp.Select)
    if select is None:
        return False
    for other in select.find_all(exp.Sum, exp.Count, exp.Avg):
        if other is avg or other.find_ancestor(exp.Select) is not select:
            continue
        if isinstance(other.parent, exp.Filter) or isinstance(other.this, exp.Distinct):
            continue
        if other.find_ancestor(exp.Window) is not None:
            continue
        return True
    return False


def _decimal_avg(
    node: exp.Expression, scale: int, filtered: str = "", shared: bool = False
) -> exp.Expression:
    """AVG of a DECIMAL(p, s) as DuckDB 2.0 computes it: the exact sum (in units of 10⁻ˢ) as
    DOUBLE, divided by count·10ˢ (DuckDB's DECIMAL average) or, when its optimizer made it
    SUM / COUNT (`shared`), divided by 10ˢ and then by the count."""
    x = node.sql(dialect="spark")
    m = 10**scale
    total, count = f"SUM(({x}) * {m}){filtered}", f"COUNT({x}){filtered}"
    if shared:
        text = f"(CAST({total} AS DOUBLE) / {m}.0D / CAST({count} AS DOUBLE))"
    else:
        text = f"(CAST({total} AS DOUBLE) / (CAST({count} AS DOUBLE) * {m}.0D))"
    return sqlglot.parse_one(text, read="spark")


def _replace_aggregate(node: exp.Expression, build: Any) -> None:
    """Replace the aggregate `node` by `build(filter_sql)`; an aggregate under FILTER (WHERE c)
    is replaced with its filter, which `build` puts on each aggregate it writes."""
    parent = node.parent
    if isinstance(parent, exp.Filter):
        parent.replace(build(f" FILTER ({parent.expression.sql(dialect='spark')})"))
    else:
        node.replace(build(""))


def _decimal_median(node: exp.Expression, kind: exp.DataType, filtered: str = "") -> exp.Expression:
    """MEDIAN of a DECIMAL(p, s) as DuckDB 2.0 computes it: lo + (hi - lo) / 2 in units of 10⁻ˢ,
    truncated toward zero, as DECIMAL(p, s) (23.70 and 23.71 give 23.70). Spark's exact
    percentile gives (lo + hi) / 2 as a DOUBLE, whose 2·10ˢ multiple rounds to lo + hi exactly
    (values below 10¹²); DIV truncates toward zero like DuckDB's cast."""
    x = node.sql(dialect="spark")
    scale = decimal_scale(kind) or 0
    twice = f"CAST(ROUND(PERCENTILE({x}, 0.5){filtered} * {2 * 10**scale}.0D) AS BIGINT)"
    text = f"CAST(CAST({twice} DIV 2 AS DOUBLE) / {10**scale}.0D AS {kind.sql(dialect='spark')})"
    return sqlglot.parse_one(text, read="spark")


def _double_median(node: exp.Expression, filtered: str = "") -> exp.Expression:
    """MEDIAN of a DOUBLE (or integer) as DuckDB 2.0 computes it: the two middle values lo and
    hi of the sorted values weighted 0.5·lo + 0.5·hi. Spark's percentile gives lo + (hi − lo)·0.5,
    which differs in the last bit (9.745 vs 9.745000000000001 on Olist, one cent apart after
    ROUND). The sorted values are collected per group (as Spark's exact percentile does)."""
    x = node.sql(dialect="spark")
    values = f"ARRAY_SORT(COLLECT_LIST(CAST({x} AS DOUBLE)){filtered})"
    lo = f"ELEMENT_AT({values}, CAST((SIZE({values}) - 1) DIV 2 + 1 AS INT))"
    hi = f"ELEMENT_AT({values}, CAST(SIZE({values}) DIV 2 + 1 AS INT))"
    return sqlglot.parse_one(f"(0.5D * {lo} + 0.5D * {hi})", read="spark")


def _as_double(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Cast) and node.to.this == exp.DataType.Type.DOUBLE:
        return node
    return exp.Cast(this=node, to=exp.DataType.build("DOUBLE"))  # moved, not copied: inner
    # divisions found by the caller stay in the tree


def _expand_star(star: exp.Star, schema: dict[str, dict[str, str]]) -> None:
    """`* REPLACE (e AS c)` / `* EXCLUDE (c)` over one table → its columns, in order."""
    select = star.parent
    if not isinstance(select, exp.Select):
        raise QueryError("Spark cannot run `* REPLACE`/`* EXCLUDE` here", "list the columns")
    source = select.args.get("from_") or select.args.get("from")  # sqlglot renamed it
    sources = list(source.find_all(exp.Table)) if source is not None else []
    if len(sources) != 1 or select.args.get("joins") or sources[0].name.lower() not in schema:
        raise QueryError(
            "Spark runs `* REPLACE`/`* EXCLUDE` only over one table", "list the columns"
        )
    columns = list(schema[sources[0].name.lower()])
    excluded = {c.name.lower() for c in star.args.get("except") or []}
    replaced = {a.alias.lower(): a for a in star.args.get("replace") or []}
    items: list[exp.Expression] = []
    for col in columns:
        if col in excluded:
            continue
        items.append(replaced[col].copy() if col in replaced else exp.column(col, quoted=True))
    index = select.expressions.index(star)
    select.set(
        "expressions", [*select.expressions[:index], *items, *select.expressions[index + 1 :]]
    )


def _key_expression(value: exp.Expression, secret: str) -> exp.Expression:
    """The guard's `_shopql_key(v)` (warehouse.guard.key_macro_sql) in Spark SQL: the platform
    prefix kept, then 'k' and the first 16 hex digits of sha256(secret || v)."""
    v = value.sql(dialect="spark")
    quoted = secret.replace("\\", "\\\\").replace("'", "\\'")
    text = (
        f"CASE WHEN {v} IS NULL THEN NULL ELSE CONCAT(CASE WHEN INSTR({v}, ':') > 0 "
        f"THEN CONCAT(SPLIT_PART({v}, ':', 1), ':') ELSE '' END, 'k', "
        f"LEFT(SHA2(CONCAT('{quoted}', {v}), 256), 16)) END"
    )
    return sqlglot.parse_one(text, read="spark")


# --- sessions and the lake's views ----------------------------------------------------------------

_sessions: dict[tuple[str | None, str], Any] = {}
_views: dict[
    int, tuple[str, float, bool]
] = {}  # id(session) -> (lake folder, manifest mtime) registered
_lock = threading.RLock()


def java_available() -> bool:
    import shutil

    return bool(shutil.which("java")) or bool(__import__("os").environ.get("JAVA_HOME"))


# Settings shopql sets on a Spark Connect session (the cluster's own defaults may differ)
REMOTE_CONF = ("spark.sql.session.timeZone", "spark.sql.timestampType", "spark.sql.ansi.enabled")


def spark_session(settings: SparkSettings, conf: dict[str, str] | None = None) -> Any:
    """The process's Spark session for these settings (started once, reused); `conf` adds
    settings to a local session when it starts (a test serving Spark Connect from it)."""
    key = (settings.remote, settings.master)
    with _lock:
        found = _sessions.get(key)
        if found is not None:
            return found
        try:
            import warnings

            with warnings.catch_warnings():  # pyspark's note on the pandas version
                warnings.simplefilter("ignore", FutureWarning)
                from pyspark.sql import SparkSession
        except ImportError as e:
            raise SparkUnavailable(
                "the Spark engine needs pyspark", "pip install 'shopql[spark]'"
            ) from e
        if settings.remote is None and not java_available():
            raise SparkUnavailable(
                "a local Spark session needs Java (17 or later) and none was found",
                'install a JDK, or set [backend] spark_remote = "sc://host:15002"',
            )
        if settings.remote:  # the Connect client itself: a local session may run beside it
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", FutureWarning)
                    from pyspark.sql.connect.session import SparkSession as ConnectSession
            except ImportError as e:
                raise SparkUnavailable(
                    f"Spark Connect needs pyspark's connect libraries: {e}",
                    "pip install 'shopql[spark]' (grpcio, grpcio-status, zstandard …)",
                ) from e
            builder: Any = ConnectSession.builder.remote(settings.remote)
        else:
            builder = SparkSession.builder.appName("shopql").master(settings.master)
            for k, v in {**SESSION_CONF, **(conf or {})}.items():
                builder = builder.config(k, v)
        try:
            session = builder.getOrCreate()
        except Exception as e:
            raise SparkUnavailable(
                f"cannot start Spark ({settings.remote or settings.master}): "
                f"{str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__}",
                "check Java and pyspark, or the Spark Connect address",
            ) from e
        if settings.remote:  # a cluster: the session's own settings, where it allows
            for k in REMOTE_CONF:
                try:
                    session.conf.set(k, SESSION_CONF[k])
                except Exception:
                    pass
        else:
            session.sparkContext.setLogLevel("ERROR")
        _sessions[key] = session
        return session


def stop_sessions() -> None:
    """Stop every Spark session this process started."""
    with _lock:  # Connect clients first: a local session may be serving them
        for _, session in sorted(_sessions.items(), key=lambda kv: kv[0][0] is None):
            try:
                session.stop()
            except Exception:
                pass
        _sessions.clear()
        _views.clear()


def register_lake(session: Any, lake: Path, cache: bool = False) -> dict[str, Any]:
    """Temporary views over the lake's tables (the manifest's columns and types, so an empty
    table is a view too); returns the manifest. Registered again when the manifest changed."""
    from shopql.warehouse.lake import read_manifest, table_files

    lake = lake.expanduser().resolve()
    manifest = read_manifest(lake)
    stamp = (str(lake), (lake / "manifest.json").stat().st_mtime, cache)
    with _lock:
        if _views.get(id(session)) == stamp:
            return manifest
        for table, info in manifest["tables"].items():
            columns = info["columns"]
            ddl = ", ".join(f"`{c}` {spark_type(t)}" for c, t in columns.items())
            files = table_files(lake, manifest, table)
            if files:
                frame = session.read.schema(ddl).parquet(*files)
            else:
                frame = session.createDataFrame([], ddl)
            frame = frame.select(*[f"`{c}`" for c in columns])
            (frame.cache() if cache else frame).createOrReplaceTempView(table)
        _views[id(session)] = stamp
    return manifest


# --- running --------------------------------------------------------------------------------------


class SparkRunner:
    """Runs guarded DuckDB SQL on Spark over one lake: `run` for a QueryResult (sql, metric, ask),
    `execute` for a DB-API-like cursor (alerts)."""

    def __init__(self, settings: SparkSettings, key_secret: str | None = None) -> None:
        self.settings = settings
        self.key_secret = key_secret
        self._manifest: dict[str, Any] | None = None

    @property
    def session(self) -> Any:
        return spark_session(self.settings)

    @property
    def manifest(self) -> dict[str, Any]:
        if self._manifest is None:
            from shopql.warehouse.lake import read_manifest

            self._manifest = read_manifest(self.settings.lake.expanduser().resolve())
        return self._manifest

    @property
    def schema(self) -> dict[str, dict[str, str]]:
        from shopql.warehouse.lake import lake_schema

        return lake_schema(self.manifest)

    def guard_context(self, ctx: Any) -> Any:
        """`ctx` (the role's policy) over the lake: its schema, and the masking still to do."""
        import dataclasses

        from shopql.warehouse.lake import effective_pii

        policy = effective_pii(str(self.manifest.get("pii", "show")), ctx.pii_policy)
        return dataclasses.replace(ctx, schema=self.schema, pii_policy=policy)

    def spark_sql(self, sql: str, params: Sequence[Any] = ()) -> str:
        return to_spark(sql, self.schema, self.key_secret, params)

    def _frame(self, sql: str, params: Sequence[Any] = ()) -> Any:
        session = self.session
        self._manifest = register_lake(session, self.settings.lake, self.settings.cache)
        text = self.spark_sql(sql, params)
        try:
            return text, session.sql(text)
        except Exception as e:
            raise _spark_error(e) from e

    def run(self, sql: str, timeout_s: float, row_cap: int) -> Any:
        """Run guarded `sql`; at most row_cap + 1 rows are fetched; stopped after timeout_s."""
        from shopql.warehouse.query import QueryResult

        started = time.perf_counter()
        text, frame = self._frame(sql)
        timer = threading.Timer(timeout_s, self._cancel)
        timer.start()
        try:
            rows = [tuple(_value(v) for v in r) for r in frame.take(row_cap + 1)]
            types = [_duck_name(t) for _, t in frame.dtypes]
        except Exception as e:
            if time.perf_counter() - started >= timeout_s:
                raise QueryError(
                    f"query stopped after {timeout_s:g} s",
                    "narrow the question or raise query_timeout_s",
                ) from e
            raise _spark_error(e) from e
        finally:
            timer.cancel()
        return QueryResult(
            sql=text,
            columns=list(frame.columns),
            rows=rows[:row_cap],
            types=types,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
            truncated=len(rows) > row_cap,
        )

    def execute(self, sql: str, params: Sequence[Any] = ()) -> _Fetched:
        """A cursor-like object for code written against a DuckDB connection (`fetchall`)."""
        _, frame = self._frame(sql, params)
        try:
            return _Fetched([tuple(_value(v) for v in r) for r in frame.collect()])
        except Exception as e:
            raise _spark_error(e) from e

    def close(self) -> None:
        """The session stays up for the next query of this process."""

    def _cancel(self) -> None:
        session = self.session
        try:
            if self.settings.remote:
                session.interruptAll()
            else:
                session.sparkContext.cancelAllJobs()
        except Exception:
            pass


class _Fetched:
    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.rows = rows

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self.rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self.rows[0] if self.rows else None


def _value(v: Any) -> Any:
    """Spark's Python values as DuckDB returns them (a Row as a dict, like a STRUCT)."""
    if isinstance(v, (str, int, float, decimal.Decimal, dt.date, type(None))):
        return v
    if hasattr(v, "asDict"):
        return {k: _value(x) for k, x in v.asDict().items()}
    if isinstance(v, list):
        return [_value(x) for x in v]
    if isinstance(v, bytearray):
        return bytes(v)
    return v


def _duck_name(spark_type: str) -> str:
    low = spark_type.lower()
    if low.startswith("decimal"):
        return low.upper()
    return _DUCK_NAMES.get(low, low.upper())


def _spark_error(e: Exception) -> QueryError:
    """One line: Spark's own error class and message (the JVM's cause, not py4j's wrapper)."""
    lines = [line.strip() for line in str(e).strip().splitlines() if line.strip()]
    causes = [
        line
        for line in lines
        if ("Exception: " in line or line.startswith("[")) and "calling o" not in line
    ]
    first = (causes or lines or [type(e).__name__])[0]
    return QueryError(f"Spark could not run the query: {first[:400]}")


def runner_for(settings: Any, backend: str | None = None) -> SparkRunner | None:
    """The Spark runner when `backend` (else the settings' [backend] name) is spark, else None
    (DuckDB, the warehouse)."""
    chosen = backend or settings.backend.name
    if chosen != "spark":
        return None
    from shopql.warehouse.connection import pseudonym_secret

    cfg = settings.backend
    lake = Path(cfg.lake).expanduser()
    if not lake.is_absolute():
        lake = settings.workspace / lake
    spark = SparkSettings(lake=lake, remote=cfg.spark_remote, master=cfg.spark_master)
    return SparkRunner(spark, key_secret=pseudonym_secret(settings.workspace))
