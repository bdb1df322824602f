"""`shopql doctor`: each problem found with what to do; exit 0 when all is fine, 1 otherwise."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import run_cli


def doctor(ws: Path, env: dict[str, str] | None = None) -> tuple[int, dict[str, dict[str, Any]]]:
    done = run_cli("-w", str(ws), "doctor", "--format", "json", env=env)
    assert done.returncode in (0, 1), done.stderr
    doc = json.loads(done.stdout)
    checks = {c["name"]: c for c in doc["checks"]}
    assert (
        doc["ok"]
        == (done.returncode == 0)
        == all(c["status"] != "problem" for c in checks.values())
    )
    return done.returncode, checks


@pytest.fixture
def models_endpoint() -> Iterator[str]:
    """An OpenAI-compatible /v1/models on 127.0.0.1 that accepts the key 'sk-good' only."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            ok = self.headers.get("Authorization") == "Bearer sk-good"
            self.send_response(200 if ok else 401)
            self.end_headers()
            self.wfile.write(b'{"data": []}')

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()
    server.server_close()


def test_a_fresh_workspace_is_all_fine(workspace: Path, models_endpoint: str) -> None:
    env = {"OPENAI_BASE_URL": models_endpoint, "SHOPQL_MODEL": "m", "OPENAI_API_KEY": "sk-good"}
    code, checks = doctor(workspace, env)
    assert code == 0
    assert {n: c["status"] for n, c in checks.items()} == {
        "settings": "ok", "lock": "ok", "schema": "ok", "derived state": "ok", "audit journal": "ok",
        "permissions": "ok", "catalog": "ok", "catalog version": "ok", "alerts": "skipped",
        "llm": "ok",
    }  # fmt: skip
    table = run_cli("-w", str(workspace), "doctor")
    assert table.returncode == 0 and "all fine" in table.stderr


def test_every_problem_is_named_with_what_to_do(workspace: Path, models_endpoint: str) -> None:
    from shopql.warehouse.connection import open_writer
    from shopql.warehouse.derived import ONE_ID, mark_stale

    con = open_writer(workspace / "warehouse.duckdb")
    mark_stale(con, ONE_ID, "orders.csv loaded")
    con.close()
    workspace.chmod(0o755)
    (workspace / "alerts.yaml").write_text(
        "rules:\n  - name: r\n    metric: paid_gvm\n    condition: below 1\n", encoding="utf-8"
    )
    env = {"OPENAI_BASE_URL": models_endpoint, "SHOPQL_MODEL": "m", "OPENAI_API_KEY": "sk-bad"}
    code, checks = doctor(workspace, env)
    assert code == 1
    stale = checks["derived state"]
    assert stale["status"] == "problem" and "one_id: orders.csv loaded at" in stale["detail"]
    assert "shopql identity build" in stale["fix"]
    assert checks["permissions"]["detail"] == "other OS users may read ."
    assert checks["permissions"]["fix"] == f"chmod -R go-rwx {workspace.resolve()}"
    assert "rule r: unknown metric paid_gvm" in checks["alerts"]["detail"]
    assert checks["llm"]["detail"] == f"{models_endpoint}: the key was refused (401)"
    assert checks["llm"]["fix"] == "check llm.base_url / the key (env OPENAI_BASE_URL)"
    down = {**env, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    assert "unreachable" in doctor(workspace, down)[1]["llm"]["detail"]


def test_doctor_names_the_process_holding_the_lock(workspace: Path) -> None:
    holder = duckdb.connect(str(workspace / "warehouse.duckdb"))  # this test process writes
    try:
        code, checks = doctor(workspace)
    finally:
        holder.close()
    assert code == 1
    lock = checks["lock"]
    assert lock["status"] == "problem" and lock["detail"].startswith(f"held by PID {os.getpid()}")
    assert lock["fix"] == f"wait for it to finish; if it hangs, stop it: kill {os.getpid()}"


def test_broken_settings_are_a_problem_not_a_crash(workspace: Path) -> None:
    config = workspace / "shopql.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("10000", "-5"), encoding="utf-8")
    code, checks = doctor(workspace)
    assert code == 1
    assert checks["settings"]["detail"] == f"{config}:6: row_cap = -5 must be at least 1"
    assert checks["permissions"]["status"] == "ok"


def test_catalog_lint_errors_are_a_problem(workspace: Path) -> None:
    from shopql.health import diagnose

    with open(workspace / "catalog" / "metrics.yaml", "a", encoding="utf-8") as f:
        f.write(
            "  - name: broken\n    type: ratio\n    label: {en: B, zh: B}\n"
            "    numerator: paid_gmvv\n    denominator: paid_orders\n"
        )
    checks = {c.name: c for c in diagnose(workspace)}
    catalog = checks["catalog"]
    assert catalog.status == "problem" and "missing metric paid_gmvv" in catalog.detail
    assert catalog.fix == "run `shopql catalog lint` and fix what it lists"
    assert checks["derived state"].status == "ok"
