"""Shared fixtures: the real datasets in ../shared, workspaces built in tmp paths, the CLI."""

from __future__ import annotations

import datetime as dt
import fcntl
import gc
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OLIST = SHARED / "data" / "olist"
SAMPLES = SHARED / "formats" / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_configure(config: pytest.Config) -> None:
    """Compiled bytecode kept for the run even where PYTHONDONTWRITEBYTECODE is set (a machine
    that keeps its source trees free of __pycache__ folders): without it every `shopql`
    subprocess a test starts (run_cli and the like, some hundreds a run) and every xdist worker
    compiled shopql's modules from source again, ~0.4 CPU s a process. Here the run's processes
    write it under one temporary folder (PYTHONPYCACHEPREFIX), never beside the source, removed
    when the run ends. The xdist workers and the subprocesses inherit the environment; a worker
    (its parent set all this) does nothing."""
    if hasattr(config, "workerinput") or not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return
    import tempfile

    prefix = tempfile.mkdtemp(prefix="shopql-tests-pyc-")
    config.add_cleanup(lambda: shutil.rmtree(prefix, ignore_errors=True))
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    os.environ["PYTHONPYCACHEPREFIX"] = prefix
    sys.pycache_prefix = prefix  # this process too (`-n 0`): its later imports are kept
    sys.dont_write_bytecode = False


@pytest.fixture(autouse=True)
def _isolated_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests never see the user's real configuration or an LLM endpoint."""
    # the user config folder (platformdirs) points at an empty folder of the test session
    monkeypatch.setenv("SHOPQL_CONFIG_DIR", str(tmp_path_factory.getbasetemp() / "user-config"))
    for name in (
        "SHOPQL_WORKSPACE",
        "SHOPQL_ROLE",
        "SHOPQL_TIMEZONE",
        "SHOPQL_CURRENCY",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "SHOPQL_MODEL",
    ):
        monkeypatch.delenv(name, raising=False)


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run the real `shopql` command in a subprocess; returns the completed process."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("SHOPQL_", "OPENAI_"))}
    full_env["SHOPQL_CONFIG_DIR"] = os.environ["SHOPQL_CONFIG_DIR"]  # never the real user's
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "shopql.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full_env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def cli_in_process(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`shopql ARGS` run inside this test process, through the console entry point
    (shopql.cli.main.main: the same one-line errors and exit codes) with click's CliRunner
    holding stdin (empty), stdout and stderr; returned like run_cli's completed process. The
    environment is run_cli's (no SHOPQL_ / OPENAI_ variable of the test process but the
    config folder, plus `env`). A `shopql` process costs ~0.6 CPU s to start (the interpreter,
    the imports); here a command costs what it does. Use run_cli where the process itself is
    the subject: its exit status as a shell sees it, no stdin, its start-up time, a second
    process holding a lock, signals, a command that changes process-wide state."""
    from click.testing import CliRunner

    from shopql.cli.main import main

    own: dict[str, str | None] = {
        k: None for k in os.environ if k.startswith(("SHOPQL_", "OPENAI_"))
    }
    own["SHOPQL_CONFIG_DIR"] = os.environ["SHOPQL_CONFIG_DIR"]  # never the real user's
    own.update(env or {})
    here = Path.cwd()
    code: int | str | None = 0
    with CliRunner().isolation(env=own) as (out, err, _):
        if cwd is not None:
            os.chdir(cwd)
        try:
            main(list(args))
        except SystemExit as e:
            code = e.code
        finally:
            os.chdir(here)
            sys.stdout.flush()  # the runner's text streams buffer (csv.writer writes to them)
            sys.stderr.flush()
        stdout, stderr = out.getvalue(), err.getvalue()
    if not isinstance(code, int):  # sys.exit("message") or sys.exit(None)
        code = 0 if code is None else 1
    return subprocess.CompletedProcess(["shopql", *args], code, stdout.decode(), stderr.decode())


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` (a lock file), held across processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def built_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A private copy of workspace `name`, which `build(folder)` makes once per test run: once
    for every fixture that asks for the same name, and once for all pytest-xdist workers (the
    first builds it under the run's shared temporary folder while the others wait). Copying a
    built warehouse costs a fraction of a second where building it costs a sync; each copy is
    its own, so a test that writes never disturbs another fixture's workspace (nor meets another
    worker's DuckDB file lock)."""
    return shared_workspace(copied_once(factory, name, build))


def copied_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A private copy of folder `name`, which `build(folder)` makes once per test run for every
    pytest-xdist worker (built_once without marking it a workspace: a lake, say)."""
    base = factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    store = shared / "built-once"
    done = store / f"{name}.done"
    with _locked(store / f"{name}.lock"):
        if not done.is_file():
            shutil.rmtree(store / name, ignore_errors=True)
            build(store / name / "ws")
            done.touch()
    copy = factory.mktemp(name) / "ws"
    shutil.copytree(store / name / "ws", copy, symlinks=True)
    return copy


# -- connections to shared workspaces ---------------------------------------------------------------
# A session workspace is shared by every test of a worker (pytest-xdist `--dist loadfile` runs many
# files in one process). DuckDB keeps one instance per file and process while any connection to it
# is open, and refuses a connection with other settings to a file it has open ("Can't open a
# connection to same database file with a different configuration"): one test's forgotten reader
# breaks a later test in another file. So every test closes what it opens, queries a shared
# warehouse through `warehouse_reader` (shopql's own reader settings), and the hooks below fail a
# test that leaves a connection open to a shared workspace.

_SHARED: set[str] = set()  # the warehouse files of the shared workspaces (real paths)
_OPENED_BY: dict[str, str] = {}  # warehouse file -> "<test id> (<phase>)" that opened it


def shared_workspace(ws: Path) -> Path:
    """Mark `ws` as shared between tests: its warehouse is watched for connections left open."""
    _SHARED.add(os.path.realpath(ws / "warehouse.duckdb"))
    return ws


def _open_shared() -> set[str]:
    """The shared warehouses this process has open (DuckDB holds the file while any connection
    to it lives): the targets of this process's file descriptors, no globbing."""
    if not _SHARED:
        return set()
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:  # not Linux: the guard is off, the tests still run
        return set()
    found = set()
    for fd in fds:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target in _SHARED:
            found.add(target)
    return found


@contextmanager
def _noting_opens(item: pytest.Item, phase: str) -> Iterator[None]:
    before = _open_shared()
    yield
    for path in _open_shared() - before:
        _OPENED_BY[path] = f"{item.nodeid} ({phase})"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    with _noting_opens(item, "its fixtures' setup"):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    with _noting_opens(item, "the test body"):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a test's teardown (its function fixtures closed), a shared warehouse may still be
    open only through something alive that the module's next tests use (a module fixture's
    reader, first opened by a test's query); when the module ends, nothing may be. A connection
    the test opened that only garbage collection closes fails the test too (when it closes is
    chance)."""
    import gc

    result = yield
    still = _open_shared()
    if not still:
        return result
    if nextitem is None or nextitem.path != item.path:  # the module's fixtures are closed
        leaks = sorted(still)
        gc.collect()  # the leak fails this test; collecting may spare the next ones
        where = "after its module ended"
    else:
        mine = {p for p in still if _OPENED_BY.get(p) == f"{item.nodeid} (the test body)"}
        if not mine:
            return result
        gc.collect()
        leaks = sorted(mine - _open_shared())  # held by nothing: left to the collector
        where = "to the garbage collector"
        if not leaks:
            return result
    lines = [
        f"  {p} (opened by {_OPENED_BY.get(p, 'an earlier test')})"
        f"{'' if p in _open_shared() else ', closed only by garbage collection'}"
        for p in leaks
    ]
    pytest.fail(
        f"{item.nodeid} left a connection to a shared workspace's warehouse open {where}:\n"
        + "\n".join(lines)
        + "\nclose it (`with Workspace(...) as ws:`, `with warehouse_reader(ws) as con:`, or a "
        "fixture that yields and closes): a later test in this process that opens the same "
        "file with other settings fails",
        pytrace=False,
    )


def warehouse_reader(ws: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to workspace `ws`'s warehouse, opened as shopql opens its own
    readers (the same settings, so it never conflicts with a shopql reader open in this process).
    The way tests query a workspace directly: `with warehouse_reader(ws) as con:` closes it.
    Questions' audit records still in the workspace's journal are folded into `_audit` first, as
    shopql does before a query that reads `_audit` (warehouse/audit.py)."""
    from shopql.warehouse.audit import fold
    from shopql.warehouse.query import READER_MEMORY_LIMIT, open_reader

    fold(ws / "warehouse.duckdb")
    return open_reader(ws / "warehouse.duckdb", memory_limit=READER_MEMORY_LIMIT)


def pin_secrets(folder: Path, seed: int) -> None:
    """Make `folder` an empty workspace whose two random secrets (the pseudonym key
    `warehouse.key`, which the account keys and so the OneIDs' order come from, and the guard's
    `.shopql/guard.key`) are fixed by `seed`: a generated workspace is then the same on every
    machine and in every run, so a test that picks "the first person" picks the same one in CI
    as on a developer's machine (with random keys CI's first person was another, with a phone the
    platform had already masked)."""
    import hashlib

    from shopql.sync.pseudonym import key_path
    from shopql.warehouse.workspace import init_workspace

    init_workspace(folder)
    for path, label in (
        (key_path(folder / "warehouse.duckdb"), "pseudonym"),
        (folder / ".shopql" / "guard.key", "guard"),
    ):
        path.parent.mkdir(exist_ok=True)
        path.unlink(missing_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(hashlib.sha256(f"shopql tests {label} {seed}".encode()).hexdigest() + "\n")


DEMO_SEED7_TODAY = dt.date(2025, 6, 1)


def _build_demo_seed7(folder: Path) -> None:
    from shopql.demo.runner import run_demo

    pin_secrets(folder, 7)
    result = run_demo(folder, seed=7, scale=0.1, today=DEMO_SEED7_TODAY)
    assert not result.report.failed, result.report.failed


def demo_seed7(factory: pytest.TempPathFactory) -> Path:
    """A private copy of the generated demo at seed 7, scale 0.1, its dates pinned to 2025-06-01
    (`shopql demo` through the real connectors): the workspace of the catalog, question, insight
    and security tests, generated once per run."""
    return built_once(factory, "demo-seed7", _build_demo_seed7)


FULL_DEMO_TODAY = dt.date(2026, 12, 1)


def _build_full_demo(folder: Path) -> None:
    from shopql.demo.runner import run_demo

    pin_secrets(folder, 42)
    result = run_demo(folder, seed=42, scale=1.0, today=FULL_DEMO_TODAY)
    assert not result.report.failed, result.report.failed


def full_demo_seed42(factory: pytest.TempPathFactory) -> Path:
    """A private copy of `shopql demo` at its default seed and scale (about 180 k behaviour
    events), its dates pinned to 2026-12-01; its planted facts are in demo_facts.json. The
    workspace of the CLI and alert tests, generated once per run."""
    return built_once(factory, "full-demo", _build_full_demo)


_TEMPLATES: dict[str, Path] = {}


def from_template(name: str, build: Callable[[Path], None], dest: Path) -> Path:
    """`dest`: a copy of the folder `build(folder)` makes, built once per process (the template,
    in a temporary folder of its own removed when the process ends) and copied for each caller.
    A fresh empty workspace costs ~0.14 CPU s to create (its warehouse's schema, its catalog) and
    ~0.003 s to copy; each copy is the caller's own to write. The copies of one process share the
    template's secrets (warehouse.key, .shopql/guard.key), as the session workspaces of
    pin_secrets do."""
    template = _TEMPLATES.get(name)
    if template is None:
        import atexit
        import tempfile

        root = Path(tempfile.mkdtemp(prefix=f"shopql-tests-{name}-"))
        atexit.register(shutil.rmtree, root, True)
        build(root / "ws")
        template = _TEMPLATES[name] = root / "ws"
    shutil.copytree(template, dest, symlinks=True)
    return dest


def _init_empty(folder: Path) -> None:
    from shopql.warehouse.workspace import init_workspace

    init_workspace(folder)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A fresh, empty workspace (a copy of one made by init_workspace once per process)."""
    return from_template("empty", _init_empty, tmp_path / "ws")


@pytest.fixture
def small_ws(workspace: Path) -> Path:
    """A fresh workspace whose warehouse holds two shops (jd s1, tmall s2) and nothing else."""
    from shopql.warehouse.connection import open_writer

    con = open_writer(workspace / "warehouse.duckdb")
    con.execute("insert into shops (shop_id, platform) values ('s1', 'jd'), ('s2', 'tmall')")
    con.close()
    return workspace


@pytest.fixture(scope="session")
def olist_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with the whole real Olist dataset synced once per test session (read-only use)."""
    from shopql.config import load_settings
    from shopql.sync.engine import run_sync
    from shopql.warehouse.workspace import init_workspace

    if not OLIST.is_dir():
        pytest.skip("../shared/data/olist is not beside the repository")

    def build(ws: Path) -> None:
        init_workspace(ws)
        report = run_sync(load_settings(ws), [OLIST])
        assert not report.failed, report.failed

    return built_once(tmp_path_factory, "olist", build)


RETAIL = SHARED / "data" / "online_retail" / "online_retail.csv.gz"


@pytest.fixture(scope="session")
def olist_lake(olist_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Olist warehouse exported as a lake by admin, once per test run (a private copy per
    process, like the workspaces: the lake and Spark tests read it on either worker; a test that
    changes a lake copies it first)."""
    from shopql.config import load_settings
    from shopql.warehouse.lake import export_lake

    def build(folder: Path) -> None:
        export_lake(load_settings(olist_workspace), folder)

    return copied_once(tmp_path_factory, "olist-lake", build)


@pytest.fixture(scope="session")
def retail_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with a slice of UCI Online Retail synced once per test session (read-only
    use): every invoice of one in six (whole invoices, by invoice number), all 13 months and the
    countries, cancellations (C invoices) and stock adjustments included."""
    import csv
    import gzip
    import zlib

    from shopql.config import load_settings
    from shopql.sync.engine import run_sync
    from shopql.warehouse.workspace import init_workspace

    if not RETAIL.is_file():
        pytest.skip("../shared/data/online_retail is not beside the repository")

    def build(ws: Path) -> None:
        sliced = ws.parent / "online_retail_slice.csv"
        sliced.parent.mkdir(parents=True, exist_ok=True)
        with (
            gzip.open(RETAIL, "rt", encoding="utf-8", newline="") as src,
            sliced.open("w", encoding="utf-8", newline="") as dst,
        ):
            reader = csv.reader(src)
            writer = csv.writer(dst)
            writer.writerow(next(reader))
            writer.writerows(r for r in reader if zlib.crc32(r[0].encode()) % 6 == 0)
        init_workspace(ws)
        report = run_sync(load_settings(ws), [sliced])
        assert not report.failed, report.failed

    return built_once(tmp_path_factory, "retail-slice", build)


@pytest.fixture(autouse=True, scope="module")
def _collect_readers_left_in_cycles() -> Iterator[None]:
    """Collect garbage between test files. A test that kept a shopql reader in a reference cycle
    (a `pytest.raises` excinfo holds the frame that holds the Workspace) keeps its DuckDB instance
    open until the collector runs; the next file on the same worker that opens the shared
    workspace with another configuration then fails ("different configuration than existing
    connections"), depending on which files the worker ran before it. Only while this process
    holds a shared warehouse open (the only instances it is for): a full collection of a worker's
    heap costs ~0.1-0.2 CPU s, and at most files' start nothing is open (a file that ends with one
    open fails, pytest_runtest_teardown above)."""
    if _open_shared():
        gc.collect()
    yield


# -- the order files run in ---------------------------------------------------------------------------
# `--dist loadfile` hands each worker one file at a time, in collection order (pyproject passes
# `--no-loadscope-reorder`: xdist's own order is by number of tests, so a file of few slow tests
# went last and one worker ran it alone at the end). The files are put in the order of the seconds
# they took in a measured run (tests/file_seconds.json, longest first), so the long ones start
# early and the short ones fill the gaps at the end. A file missing from the table (a new one)
# counts half a second per test. Refresh the table with `python tests/file_seconds.py JUNIT.xml`.
FILE_SECONDS = Path(__file__).resolve().parent / "file_seconds.json"
NEW_FILE_SECONDS_PER_TEST = 0.5
# Files that go to one worker as one unit of work, one after another in collection order: the
# Spark files (tests/nlq/test_spark_*.py). Each worker that runs a Spark test starts a JVM of its
# own and reads and caches the Olist lake in it; spread over both workers, two JVMs competed for
# the two cores and did that work twice. Their unit weighs the sum of its files' seconds.
ONE_WORKER: dict[str, tuple[str, ...]] = {"spark": ("tests/nlq/test_spark_",)}


def work_unit(file: str) -> str:
    """The unit of work of test file `file` (a path relative to the repository): its ONE_WORKER
    unit, else the file itself."""
    for unit, prefixes in ONE_WORKER.items():
        if file.startswith(prefixes):
            return unit
    return file


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """`--dist loadfile`, with the files of a ONE_WORKER unit sent to one worker together."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class _Units(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(super()._split_scope(nodeid))

    return _Units(config, log)  # type: ignore[arg-type]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    import json

    if not hasattr(
        config, "workerinput"
    ):  # only the xdist workers' order matters (-n 0 keeps its own)
        return
    try:
        seconds: dict[str, float] = json.loads(FILE_SECONDS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    for i, item in enumerate(items):
        name = item.nodeid.split("::", 1)[0]
        first.setdefault(work_unit(name), i)
        count[name] = count.get(name, 0) + 1
    weight: dict[str, float] = {}
    for name, n in count.items():
        unit = work_unit(name)
        weight[unit] = weight.get(unit, 0.0) + seconds.get(name, NEW_FILE_SECONDS_PER_TEST * n)

    # a stable sort: a unit's tests stay together and in their own order
    items.sort(
        key=lambda item: (-weight[unit := work_unit(item.nodeid.split("::", 1)[0])], first[unit])
    )
