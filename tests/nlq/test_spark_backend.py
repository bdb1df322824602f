"""Spark behind the same semantic layer: every catalog metric and the golden set's offline queries
give the same answers on DuckDB (the warehouse) and on Spark (the lake's Parquet), on the demo here
and on Olist in test_spark_olist.py, _by.py and _golden.py; money compares exactly (Decimals).
`pytest -m "not spark"` skips these.

One local Spark session serves every Spark test of a process (warehouse.spark keeps it per process;
the `spark_started` fixture is in tests/nlq/conftest.py), and the four Spark files run on one
pytest-xdist worker, one after another (tests/conftest.py: ONE_WORKER): one JVM, which reads and
caches each lake once, where two JVMs on two cores did it twice."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from shopql.config import load_settings
from shopql.errors import GuardError
from shopql.warehouse.connection import pseudonym_secret
from tests.nlq.conftest import DEMO_TODAY

pytestmark = pytest.mark.spark


@pytest.fixture(scope="session")
def spark_demo(nlq_demo_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo workspace with its lake in ./lake (the default [backend] lake)."""
    from shopql.warehouse.lake import export_lake

    ws = tmp_path_factory.mktemp("spark-demo") / "ws"
    shutil.copytree(nlq_demo_workspace, ws)
    toml = ws / "shopql.toml"  # a busy machine makes Spark slow, not wrong: no query time limit
    text = toml.read_text(encoding="utf-8")
    assert "query_timeout_s = 30" in text
    toml.write_text(text.replace("query_timeout_s = 30", "query_timeout_s = 3600"), "utf-8")
    export_lake(load_settings(ws), ws / "lake")
    return ws


def _runner(ws: Path, lake: Path, spark_started: Any) -> Any:
    from shopql.warehouse.spark import SparkRunner, SparkSettings

    return _Memo(SparkRunner(SparkSettings(lake=lake, cache=True), pseudonym_secret(ws)))


class _Memo:
    """The runner, running each distinct guarded SQL once (the golden set's English and Chinese
    twins compile to the same SQL)."""

    def __init__(self, runner: Any) -> None:
        self.runner = runner
        self.seen: dict[tuple[str, int], Any] = {}
        self.calls = 0  # queries sent to the Spark runner (memoised or not)

    def guard_context(self, ctx: Any) -> Any:
        return self.runner.guard_context(ctx)

    def run(self, sql: str, timeout_s: float, row_cap: int) -> Any:
        self.calls += 1
        key = (sql, row_cap)
        if key not in self.seen:
            self.seen[key] = self.runner.run(sql, 3600, row_cap)  # a busy machine is no failure
        return self.seen[key]


# --- comparing answers ------------------------------------------------------------------------


def _sort_key(row: tuple[Any, ...]) -> str:
    return repr(tuple(f"{v:.6g}" if isinstance(v, float) else v for v in row))


def assert_same_rows(
    duck: list[tuple[Any, ...]],
    spark: list[tuple[Any, ...]],
    what: str,
    columns: list[str] | None = None,
) -> None:
    """Same rows (as sets: order is compared by the query's own ORDER BY, not here); DECIMAL
    values (money, rounded ratios, medians, averages) identical as Decimals; DOUBLE values
    identical, except a DOUBLE that sums DOUBLEs (an average of durations in days), which both
    engines add up in their own order: to 1e-12 relative (README: Spark)."""
    assert len(duck) == len(spark), (what, duck[:5], spark[:5])
    for a, b in zip(sorted(duck, key=_sort_key), sorted(spark, key=_sort_key), strict=True):
        assert len(a) == len(b), (what, a, b)
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            what_i = f"{what} column {i}"
            if isinstance(x, float) or isinstance(y, float):
                assert x is not None and y is not None, (what, a, b)
                if columns and columns[i].startswith("avg_"):
                    # an average of DOUBLE durations rounded to 2 places: the two engines add
                    # in their own order, so an exact half cent may round either way (as the
                    # DECIMAL averages below) — within the cent, not exact
                    assert abs(float(x) - float(y)) <= 0.01 + 1e-9, (what_i, a, b)
                    continue
                assert math.isclose(float(x), float(y), rel_tol=1e-12, abs_tol=1e-15), (
                    what_i,
                    a,
                    b,
                )
            elif isinstance(x, Decimal) and columns and columns[i].startswith("avg_"):
                # a DECIMAL average whose exact mean is a half cent: DuckDB rounds it by the
                # shape of the aggregate it sits in (README: Spark) — within the cent, not exact
                assert isinstance(y, Decimal) and abs(x - y) <= Decimal("0.01"), (what_i, a, b)
            elif isinstance(x, Decimal):
                assert isinstance(y, Decimal) and x == y, (what_i, a, b)  # exact
            else:
                assert x == y, (what, a, b)


_REACHING: dict[tuple[int, str], tuple[Any, tuple[str, ...]]] = {}
_CATALOGS: dict[Path, Any] = {}


def catalog_of(ws: Path) -> Any:
    """The workspace's catalog (its settings' time zone), loaded once per process: the metrics
    compared and the checks of what was compared use the same object, so `reaching` (1.5-2.5
    CPU s a catalog and dimension) is worked out once for it, not again for a second copy."""
    key = ws.resolve()
    if key not in _CATALOGS:
        from shopql.catalog import load_catalog

        _CATALOGS[key] = load_catalog(ws, timezone=load_settings(ws).timezone)
    return _CATALOGS[key]


def reaching(catalog: Any, dimension: str) -> tuple[str, ...]:
    """The metrics that can be split by `dimension` and by month (once per catalog: 1.7 s)."""
    found = _REACHING.get((id(catalog), dimension))
    if found is not None and found[0] is catalog:
        return found[1]
    from shopql.catalog import SemanticQuery, compile_query
    from shopql.errors import ShopqlError

    reach = []
    for name in catalog.metrics:
        try:
            compile_query(
                catalog, SemanticQuery(metrics=(name,), dimensions=(dimension,), grain="month")
            )
        except ShopqlError:
            continue
        reach.append(name)
    assert len(reach) >= 20
    _REACHING[(id(catalog), dimension)] = (catalog, tuple(reach))
    return tuple(reach)


def split_share(catalog: Any, dimension: str) -> tuple[str, ...]:
    """The metrics compared split by `dimension` and by month: the first two thirds of those the
    dimension reaches (catalog order; refunds and behaviour events, which Olist has none of, fall
    there) on the demo by platform, the last third on Olist by state. Each metric's split SQL is
    compared once, on one of the two lakes: splitting every metric on both ran the same shapes
    twice: about 200 of the Spark tests' 490 s on a quiet machine (session 32)."""
    reach = reaching(catalog, dimension)
    cut = 2 * len(reach) // 3
    return reach[:cut] if dimension == "platform" else reach[cut:]


def _metric_queries(catalog: Any, dimension: str | None, whole: bool = True) -> list[Any]:
    """Every metric (`whole`); the metrics of `dimension`'s share (split_share), split by it and
    by month (in chunks). The Olist halves are test_spark_olist.py and _by.py."""
    from shopql.catalog import SemanticQuery

    names = tuple(catalog.metrics) if whole else ()
    reach = split_share(catalog, dimension) if dimension else ()
    # in chunks: one query of every metric grew past the guard's 100,000 characters (session 13),
    # and Spark analyses several smaller plans faster than one huge one
    size = 40
    return [
        *(SemanticQuery(metrics=names[i : i + size]) for i in range(0, len(names), size)),
        *(
            SemanticQuery(
                metrics=tuple(reach[i : i + size]), dimensions=(dimension,), grain="month"
            )
            for i in range(0, len(reach), size)
            if dimension
        ),
    ]


def _compare_metrics(
    ws: Path, lake: Path, today: dt.date, dimension: str | None, spark: Any, whole: bool = True
) -> int:
    """Every metric (`whole`), and the metrics of `dimension`'s share split by it and by month,
    compared on DuckDB and Spark; returns the number of metrics compared."""
    from shopql.catalog import run_metrics

    settings = load_settings(ws)
    catalog = catalog_of(ws)
    runner = _runner(ws, lake, spark)
    compared = set()
    for query in _metric_queries(catalog, dimension, whole):
        compiled, duck = run_metrics(settings, query, today=today, catalog=catalog)
        calls = runner.calls
        spark_compiled, on_spark = run_metrics(
            settings, query, today=today, catalog=catalog, runner=runner
        )
        assert on_spark.columns == duck.columns
        assert spark_compiled.notes == compiled.notes  # the checks' counts (one query) agree
        what = f"{query.metrics} by {query.dimensions}"
        assert_same_rows(duck.rows, on_spark.rows, what, list(duck.columns))
        # the Spark runner ran it, not DuckDB (the SQL text alone can be the same in both
        # dialects: a chunk of plain COUNT(...) FILTER metrics transpiles unchanged)
        assert runner.calls > calls
        compared |= set(query.metrics)
    return len(compared)


def test_every_metric_same_on_spark_demo(spark_demo: Path, spark_started: Any) -> None:
    # the demo's tables are tiny: Spark evaluates the chunks' expressions interpreted here
    # instead of compiling a class for each (Janino), the same functions. Alternating in one JVM:
    # 46.4, 43.0 -> 28.7, 32.6 JVM CPU s (session 34, load ~9); not for Olist's ~100 k-row tables,
    # where interpreted evaluation cost more than compiling saved (its tests about 2x slower)
    mode = "spark.sql.codegen.factoryMode"
    before = spark_started.conf.get(mode)
    spark_started.conf.set(mode, "NO_CODEGEN")
    try:
        n = _compare_metrics(spark_demo, spark_demo / "lake", DEMO_TODAY, "platform", spark_started)
    finally:
        spark_started.conf.set(mode, before)
    catalog = catalog_of(spark_demo)
    assert n == len(catalog.metrics)
    # every metric that can be split is split here or on Olist (test_spark_olist_by.py), once
    reach = reaching(catalog, "platform")
    assert reaching(catalog, "province") == reach  # the same metrics split by either
    demo, olist = split_share(catalog, "platform"), split_share(catalog, "province")
    assert sorted(demo + olist) == sorted(reach) and not set(demo) & set(olist)
    assert {"refund_rate", "conversion_rate", "median_refund_value"} <= set(demo)


def _golden(ws: Path, lake: Path, dataset: str, spark: Any) -> tuple[int, int]:
    """Each golden question of `dataset` answered offline on DuckDB and on Spark."""
    from shopql.errors import ShopqlError
    from shopql.nlq.answer import answer
    from shopql.nlq.eval import DEFAULT_SET, _sharing, data_end, load_golden
    from shopql.nlq.reading import without_suggestions
    from shopql.nlq.session import Workspace

    settings = load_settings(ws)
    probe = Workspace(settings)
    probe._probe  # noqa: B018 (loaded once, shared)
    end = data_end(probe)
    probe.close()
    runner = _runner(ws, lake, spark)
    answered = refused = 0
    for case in (c for c in load_golden(DEFAULT_SET) if c.dataset == dataset):
        today = case.today or end
        results = []
        for on_spark in (False, True):
            one = _sharing(Workspace(settings, today=today), probe)
            one.runner = runner if on_spark else None
            try:
                with without_suggestions():  # a refusal is compared by its kind alone
                    got = answer(one, case.question, "offline")
                results.append([(r.columns, r.rows) for r in got.results])
            except ShopqlError as e:
                results.append(type(e).__name__)
        duck, on_spark_result = results
        if isinstance(duck, str):
            assert on_spark_result == duck, case.id
            refused += 1
            continue
        assert not isinstance(on_spark_result, str), (case.id, on_spark_result)
        assert len(duck) == len(on_spark_result), case.id
        for (cols, rows), (cols2, rows2) in zip(duck, on_spark_result, strict=True):
            assert cols == cols2, case.id
            assert_same_rows(rows, rows2, f"{case.id}: {case.question}")
        answered += 1
    return answered, refused


def test_golden_offline_queries_same_on_spark_demo(spark_demo: Path, spark_started: Any) -> None:
    answered, _ = _golden(spark_demo, spark_demo / "lake", "demo", spark_started)
    assert answered >= 20


# --- the commands -----------------------------------------------------------------------------


def _cli(ws: Path, *args: str) -> Any:
    from shopql.cli.main import cli

    return CliRunner().invoke(cli, ["-w", str(ws), *args])


def test_commands_take_backend_spark(spark_demo: Path, spark_started: Any) -> None:
    at = ["--today", DEMO_TODAY.isoformat()]
    metric = ["metric", "paid_gmv", "aov", "buyers", "--by", "platform", "--format", "json", *at]
    duck, spark = _cli(spark_demo, *metric), _cli(spark_demo, *metric, "--backend", "spark")
    assert duck.exit_code == spark.exit_code == 0, spark.output
    d, s = json.loads(duck.stdout), json.loads(spark.stdout)
    assert d["rows"] == s["rows"] and len(d["rows"]) == 5
    assert "backend: spark" in spark.stderr and s["sql"] != d["sql"]  # Spark SQL ran
    query = "select platform, sum(paid_amount) as gmv from orders group by 1 order by 2 desc"
    duck = _cli(spark_demo, "sql", query, "--format", "csv")
    spark = _cli(spark_demo, "sql", query, "--format", "csv", "--backend", "spark")
    assert duck.exit_code == spark.exit_code == 0 and duck.stdout == spark.stdout
    refused = _cli(spark_demo, "sql", "select * from nowhere", "--backend", "spark")
    assert isinstance(refused.exception, GuardError)  # the guard, once, before Spark (exit 3)
    ask = ["ask", "paid GMV by platform last month", "--format", "json", "--engine", "offline", *at]
    duck, spark = _cli(spark_demo, *ask), _cli(spark_demo, *ask, "--backend", "spark")
    assert duck.exit_code == spark.exit_code == 0, spark.output
    d, s = json.loads(duck.stdout), json.loads(spark.stdout)
    assert d["rows"] == s["rows"] and len(d["rows"]) == 5 and s["sql"] != d["sql"]


def test_alert_check_on_spark_checks_the_same(spark_demo: Path, spark_started: Any) -> None:
    facts = json.loads((spark_demo / "demo_facts.json").read_text())
    start = dt.datetime.fromisoformat(facts["payment_incident"]["start"])
    args = ["alert", "check", "--at", f"{start + dt.timedelta(minutes=15)}", "--format", "json"]
    args += ["--rule", "payment_success_drop", "--rule", "stock_out"]
    duck, spark = _cli(spark_demo, *args), _cli(spark_demo, *args, "--backend", "spark")
    assert duck.exit_code == spark.exit_code, spark.output
    d, s = json.loads(duck.stdout), json.loads(spark.stdout)
    assert s["firing"] == d["firing"] and s["rules"] == d["rules"]
    assert all(r["error"] is None for r in s["rules"]) and sum(r["checked"] for r in s["rules"]) > 0


def test_analyst_on_spark_sees_what_analyst_sees_on_duckdb(
    spark_demo: Path, tmp_path: Path, spark_started: Any
) -> None:
    """Over an admin's lake Spark masks (the same keyed pseudonyms as DuckDB); over an analyst's
    lake the values are already masked and are not masked twice."""
    from shopql.catalog import SemanticQuery, load_catalog, run_metrics
    from shopql.warehouse.lake import export_lake
    from shopql.warehouse.query import run_guarded

    analyst = dataclasses.replace(load_settings(spark_demo), role="analyst")
    masked_lake = tmp_path / "analyst-lake"
    export_lake(analyst, masked_lake)
    sql = "select customer_id, buyer_key, phone, name, province from customers order by 1"
    from shopql.warehouse.policy import guard_context

    ctx = guard_context(analyst)
    duck = run_guarded(analyst.warehouse_path, sql, role="analyst", ctx=ctx)
    assert any(p and "****" in p for _, _, p, _, _ in duck.rows)
    for lake in (spark_demo / "lake", masked_lake):
        on_spark = run_guarded(
            analyst.warehouse_path,
            sql,
            role="analyst",
            ctx=ctx,
            runner=_runner(spark_demo, lake, spark_started),
        )
        assert on_spark.rows == duck.rows, lake
    catalog = load_catalog(spark_demo)
    query = SemanticQuery(metrics=("buyers", "repurchase_rate"), dimensions=("platform",))
    _, d = run_metrics(analyst, query, today=DEMO_TODAY, catalog=catalog)
    runner = _runner(spark_demo, masked_lake, spark_started)
    _, s = run_metrics(analyst, query, today=DEMO_TODAY, catalog=catalog, runner=runner)
    assert_same_rows(d.rows, s.rows, "buyers on an analyst's lake")


def test_a_metric_through_spark_connect(
    spark_demo: Path, spark_started: Any, connect_port: int
) -> None:
    """`spark_remote = "sc://host:port"`: the same compiled, guarded query runs through a Spark
    Connect client (gRPC to the server in the test session's JVM) and gives DuckDB's answer."""
    pytest.importorskip("grpc", reason="Spark Connect needs grpcio (pip install -e '.[spark]')")
    from shopql.catalog import SemanticQuery, load_catalog, run_metrics
    from shopql.warehouse.spark import runner_for

    remote = f"sc://127.0.0.1:{connect_port}"
    settings = load_settings(
        spark_demo, overrides={"backend.name": "spark", "backend.spark_remote": remote}
    )
    runner = runner_for(settings)
    assert runner is not None and runner.settings.remote == remote
    catalog = load_catalog(spark_demo)
    query = SemanticQuery(
        metrics=("paid_gmv", "aov", "buyers", "median_payment_value"), dimensions=("platform",)
    )
    _, duck = run_metrics(load_settings(spark_demo), query, today=DEMO_TODAY, catalog=catalog)
    compiled, on_connect = run_metrics(
        settings, query, today=DEMO_TODAY, catalog=catalog, runner=runner
    )
    assert type(runner.session).__module__.startswith("pyspark.sql.connect")  # not the local one
    assert len(duck.rows) == 5 and on_connect.rows == duck.rows
    assert on_connect.sql != compiled.sql  # Spark SQL ran
