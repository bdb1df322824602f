"""Fixtures for the question engines: a scripted OpenAI-compatible server on 127.0.0.1 and a small
seeded warehouse."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from shopql.warehouse import person_key
from shopql.warehouse.connection import open_writer
from shopql.warehouse.workspace import init_workspace
from tests.conftest import DEMO_SEED7_TODAY, demo_seed7, from_template


class FakeLLM:
    """Replies queued with `enqueue` are served in order by POST /v1/chat/completions; every
    request body is kept in `requests`."""

    def __init__(self) -> None:
        self.replies: list[tuple[int, Any]] = []  # (status, text or assistant message)
        self.requests: list[dict[str, Any]] = []
        self.url = ""
        # answers requests when no reply is queued: request body -> reply content (text, or an
        # assistant message with tool calls: see `tool_call`)
        self.responder: Callable[[dict[str, Any]], str | dict[str, Any]] | None = None

    def enqueue(self, content: str | None, status: int = 200) -> None:
        self.replies.append((status, content))

    def enqueue_call(self, name: str, arguments: dict[str, Any] | str, content: str = "") -> None:
        """Queue a reply that calls function `name` (OpenAI tool calling) with `arguments`."""
        self.replies.append((200, tool_call(name, arguments, content)))

    def tool_results(self, request: int = -1) -> list[str]:
        """The contents of the `tool` messages (function results) sent in a request."""
        return [m["content"] for m in self.requests[request]["messages"] if m["role"] == "tool"]

    def last_user_message(self, request: int = -1) -> str:
        return str(self.requests[request]["messages"][-1]["content"])

    def system_prompt(self, request: int = 0) -> str:
        return str(self.requests[request]["messages"][0]["content"])


def _handler(fake: FakeLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep pytest output clean
            pass

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fake.requests.append(body)
            if self.path != "/v1/chat/completions":
                return self._send(404, {"error": {"message": f"no route {self.path}"}})
            if fake.replies:
                status, content = fake.replies.pop(0)
            elif fake.responder is not None:
                status, content = 200, fake.responder(body)
            else:
                status, content = 500, "no reply queued"
            if status != 200:
                return self._send(status, {"error": {"message": str(content), "type": "x"}})
            self._send(200, _completion(body.get("model", "m"), content))

        def _send(self, status: int, document: dict[str, Any]) -> None:
            data = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


_CALLS = iter(range(1, 1_000_000))


def tool_call(name: str, arguments: dict[str, Any] | str, content: str = "") -> dict[str, Any]:
    """An assistant message calling function `name`, as an OpenAI server sends it."""
    args = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
    return {
        "role": "assistant",
        "content": content or None,
        "tool_calls": [
            {
                "id": f"call_{next(_CALLS)}",
                "type": "function",
                "function": {"name": name, "arguments": args},
            }
        ],
    }


def _completion(model: str, content: str | dict[str, Any] | None) -> dict[str, Any]:
    message = content if isinstance(content, dict) else {"role": "assistant", "content": content}
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "tool_calls" if message.get("tool_calls") else "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    fake = FakeLLM()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def seed_shop(warehouse: Path) -> None:
    """Two platforms, three buyers, five orders, a few lines: small enough to check by hand."""
    con = open_writer(warehouse)
    con.execute(
        "INSERT INTO customers (customer_id, platform, nick, name, phone, email, province, "
        "member_level) VALUES "
        "('tmall:1', 'tmall', 'tb_alice', '张三', '13812345678', 'alice@example.com', '广东省', 'gold'),"
        "('jd:2', 'jd', 'bob', '李四', '13900001111', 'bob@example.org', '浙江省', 'silver'),"
        "('tmall:3', 'tmall', 'carol', '王五', NULL, NULL, '广东省', 'silver')"
    )
    con.execute(
        "INSERT INTO orders (order_id, platform, customer_id, status, created_at, paid_at, "
        "paid_amount, province) VALUES "
        "('tmall:o1', 'tmall', 'tmall:1', 'completed', '2025-05-03 10:00', '2025-05-03 10:01', 120.50, '广东省'),"
        "('tmall:o2', 'tmall', 'tmall:1', 'completed', '2025-06-10 09:00', '2025-06-10 09:05', 80.00, '广东省'),"
        "('jd:o3', 'jd', 'jd:2', 'paid', '2025-06-12 12:00', '2025-06-12 12:00', 300.00, '浙江省'),"
        "('tmall:o4', 'tmall', 'tmall:3', 'pending', '2025-06-15 08:00', NULL, 0.00, '广东省'),"
        "('jd:o5', 'jd', 'jd:2', 'refunded', '2025-06-20 20:00', '2025-06-20 20:01', 50.00, '浙江省')"
    )
    con.execute(
        "INSERT INTO order_items (order_id, line_no, product_id, title, category, quantity, "
        "unit_price, paid_amount) VALUES "
        "('tmall:o1', 1, 'tmall:p1', 'Sofa', 'furniture', 1, 120.50, 120.50),"
        "('tmall:o2', 1, 'tmall:p2', 'Coffee table', 'furniture', 2, 40.00, 80.00),"
        "('jd:o3', 1, 'jd:p1', 'Sofa', 'furniture', 1, 300.00, 300.00),"
        "('jd:o5', 1, 'jd:p3', 'Lamp', 'lighting', 1, 50.00, 50.00)"
    )
    person_key.refresh(con)  # what sync does for the orders it writes
    con.close()


def _build_shop(ws: Path) -> None:
    init_workspace(ws)
    seed_shop(ws / "warehouse.duckdb")


def built_shop(folder: Path) -> Path:
    """A workspace holding the small seeded shop, made in `folder` (a copy of one seeded once per
    process: tests/conftest.py from_template)."""
    return from_template("shop", _build_shop, folder / "shop")


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A workspace holding the small seeded shop (one for each test: it may write)."""
    return built_shop(tmp_path)


@pytest.fixture(scope="module")
def read_only_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small seeded shop built once for a module whose tests only read it (each through a
    Workspace of its own): the vocabulary and catalog kept in its .shopql are built once, not
    for every test (~0.4 s CPU each). A test that writes (examples, segments, catalog files)
    takes `shop`."""
    return built_shop(tmp_path_factory.mktemp("read_only_shop"))


DEMO_TODAY = dt.date(2025, 6, 1)


@pytest.fixture(scope="session")
def nlq_demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated demo (seed 7, scale 0.1, dates pinned), as the golden set's demo questions
    expect it (read-only use)."""
    assert DEMO_TODAY == DEMO_SEED7_TODAY
    return demo_seed7(tmp_path_factory)


@pytest.fixture(scope="module")
def demo(nlq_demo_workspace: Path) -> Iterator[Any]:
    """The session demo (seed 7) as a question session, today pinned to DEMO_TODAY, closed when
    the module ends (test_values_g.py, test_brand_q.py, test_families_g3.py)."""
    from shopql.config import load_settings
    from shopql.nlq.session import Workspace

    with Workspace(load_settings(nlq_demo_workspace), today=DEMO_TODAY) as ws:
        ws.keep_reader = True  # one connection for the module's questions (read-only use)
        yield ws


@pytest.fixture(scope="module")
def olist(olist_workspace: Path) -> Iterator[Any]:
    """The real Olist workspace as a question session, today pinned to 2018-09-01 (its data runs
    to 2018-10-17), closed when the module ends."""
    from shopql.config import load_settings
    from shopql.nlq.session import Workspace

    with Workspace(load_settings(olist_workspace), today=dt.date(2018, 9, 1)) as ws:
        ws.keep_reader = True  # one connection for the module's questions (read-only use)
        yield ws


@pytest.fixture(scope="module")
def retail(retail_workspace: Path) -> Iterator[Any]:
    """The real Online Retail workspace as a question session, today pinned to 2011-12-01."""
    from shopql.config import load_settings
    from shopql.nlq.session import Workspace

    with Workspace(load_settings(retail_workspace), today=dt.date(2011, 12, 1)) as ws:
        ws.keep_reader = True  # one connection for the module's questions (read-only use)
        yield ws


# --- Spark (tests/nlq/test_spark_backend.py, test_spark_olist*.py) ---


@pytest.fixture(scope="session")
def connect_port() -> int:
    """A free port on 127.0.0.1 for the Spark Connect server of the test session's JVM."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def spark_started(connect_port: int) -> Any:
    """The process's local Spark session (skipped, with the reason, when Java is missing). Its
    JVM also serves Spark Connect on 127.0.0.1:`connect_port` (one JVM for every Spark test)."""
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install -e '.[spark]')")
    from shopql.warehouse.spark import SparkSettings, java_available, spark_session, stop_sessions

    if not java_available():
        pytest.skip("no Java on this machine: the Spark tests need a JDK (17 or later)")
    serve_connect = {
        "spark.plugins": "org.apache.spark.sql.connect.SparkConnectPlugin",
        "spark.connect.grpc.binding.address": "127.0.0.1",
        "spark.connect.grpc.binding.port": str(connect_port),
        # the tests' JVM lives minutes, not hours: C1 only (no C2 optimising compiler). C2's
        # compiler threads took a third of the JVM's CPU on the Olist metrics (JFR), for code
        # that runs once or twice; with C1 alone the JVM's CPU fell by about 40 % (start, lake
        # registration, planning and running the first metric query). Answers are unchanged.
        # C1 alone reserves 48 MB for compiled code (tiered: 240 MB): Spark's generated classes
        # for the demo's and Olist's metric queries filled it ("CodeCache is full. Compiler has
        # been disabled") and the JVM interpreted everything after: 256 MB, about what tiered has
        # (reserved). -XX:+UseSerialGC: one GC thread, not one per core competing with the other
        # pytest-xdist worker on a 2-core machine
        "spark.driver.extraJavaOptions": (
            "-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=256m -XX:+UseSerialGC"
        ),
        # tiny data, many wide one-off plans (40 metrics a query): no whole-stage code generation
        # (Janino compiling a huge class per plan that runs once over ~100 k rows), no compression
        # of the cached lake. Every metric of Olist: 102.7 -> 90.4 CPU s (Python + JVM, one run
        # each on a loaded machine, session 31); the answers compared with DuckDB's unchanged
        "spark.sql.codegen.wholeStage": "false",
        "spark.sql.inMemoryColumnarStorage.compressed": "false",
        # no adaptive execution: it plans each of a 40-metric query's ~25 shuffles as a stage of
        # its own and re-optimises the whole plan after each (264 stages for two Olist queries by
        # state, 49 without); on these small cached tables the JVM's CPU fell 13 % (26.7 vs 30.8
        # s, session 32), answers unchanged. Users keep it (SESSION_CONF): it pays on real data
        "spark.sql.adaptive.enabled": "false",
        # one partition after each shuffle (users keep SESSION_CONF's 2): the tests' JVM shares
        # 2 cores with the other pytest-xdist worker, so a second task per stage ran beside it
        # rather than beside nothing; each map task still aggregates its own input split and the
        # partial aggregates are still merged after the shuffle. The demo's every metric, one JVM,
        # alternating: 46.5, 45.7 -> 40.5, 37.9 JVM CPU s (session 33), answers unchanged
        "spark.sql.shuffle.partitions": "1",
        # each lake table read as ONE partition (users keep Spark's split): the demo's tables
        # are 90 daily files of ~20 KB, which Spark packed into 3 partitions because it counts
        # 4 MB of "open cost" per file, so every stage over a cached table ran 3 tasks of a few
        # hundred rows. The demo's every metric: 1,332 -> 641 tasks; one warm JVM, alternating:
        # 35.0, 31.2 -> 27.5, 27.1 JVM CPU s (session 35), answers unchanged. 1g: Olist's
        # largest table fits in one split too (it was one partition a table already)
        "spark.sql.files.minPartitionNum": "1",
        "spark.sql.files.maxPartitionBytes": "1g",
        # the lake's files listed by the driver, not by a Spark job of one task per file (Spark
        # lists more than 32 paths with a job: the demo's 90 files a table, 12 tables)
        "spark.sql.sources.parallelPartitionDiscovery.threshold": "100000",
    }
    session = spark_session(SparkSettings(lake=Path(".")), conf=serve_connect)
    yield session
    stop_sessions()
