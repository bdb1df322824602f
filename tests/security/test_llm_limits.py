"""The LLM path under a slow, silent or broken endpoint (a real HTTP server on 127.0.0.1): one
deadline per question, said in the message; bad replies become clear one-line errors."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from shopql.config import LLMSettings, load_settings
from shopql.nlq.answer import answer
from shopql.nlq.llm import DeadlineExceeded, LLMError, LLMFailed
from shopql.nlq.session import Workspace


def serve(behaviour: str) -> tuple[ThreadingHTTPServer, str]:
    """An endpoint that trickles one byte every 0.2 s, never answers, or answers non-JSON."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            if behaviour == "hang":
                time.sleep(30)
                return
            body = b"<html>gateway error</html>" if behaviour == "html" else b" " * 1000
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if behaviour == "html":
                self.wfile.write(body)
                return
            for byte in body:  # trickle: the client's read timeout never fires
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.2)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/v1"


@pytest.fixture
def endpoint(request: pytest.FixtureRequest) -> Iterator[str]:
    server, url = serve(request.param)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def llm_workspace(ws: Path, url: str, deadline_s: float = 1.0) -> Workspace:
    settings = load_settings(ws)
    llm = LLMSettings(base_url=url, api_key="k", model="m", deadline_s=deadline_s)
    return Workspace(dataclasses.replace(settings, llm=llm))


@pytest.mark.parametrize("endpoint", ["trickle", "hang"], indirect=True)
def test_one_deadline_per_question(attack_ws: Path, endpoint: str) -> None:
    with pytest.raises(DeadlineExceeded) as stopped:
        answer(llm_workspace(attack_ws, endpoint), "what is the meaning of this", engine="llm")
    assert stopped.value.message == (
        "no usable answer from the model within 1 s (the deadline for one question)"
    )
    assert "deadline_s" in (stopped.value.hint or "")


@pytest.mark.parametrize("endpoint", ["html"], indirect=True)
def test_an_endpoint_that_is_not_json(attack_ws: Path, endpoint: str) -> None:
    with pytest.raises(LLMError, match="did not answer with an OpenAI-style JSON completion"):
        answer(llm_workspace(attack_ws, endpoint, 20.0), "gmv", engine="llm")


class Scripted:
    def __init__(self, *replies: str) -> None:
        self.replies = list(replies)

    def complete(self, messages: list[dict[str, str]]) -> str:
        return self.replies.pop(0)


def test_an_800_kb_reply_is_refused_and_kept_short(attack_ws: Path) -> None:
    huge = "```sql\nselect 1 where '" + "x" * 800_000 + "' <> ''\n```"
    settings = dataclasses.replace(
        load_settings(attack_ws), llm=dataclasses.replace(LLMSettings(), max_tries=2)
    )
    ws = Workspace(settings, model=Scripted(huge, huge))
    with pytest.raises(LLMFailed) as failed:
        answer(ws, "something long", engine="llm")
    assert "800," in (failed.value.hint or "") and "more than the 100,000" in (
        failed.value.hint or ""
    )
    assert len(str(failed.value)) < 2_000


def test_a_300_deep_expression_from_the_model_is_refused(attack_ws: Path) -> None:
    deep = "```sql\nselect " + "abs(" * 300 + "1" + ")" * 300 + "\n```"
    settings = dataclasses.replace(
        load_settings(attack_ws), llm=dataclasses.replace(LLMSettings(), max_tries=1)
    )
    with pytest.raises(LLMFailed, match="after 1 tries") as failed:
        answer(Workspace(settings, model=Scripted(deep)), "deep", engine="llm")
    assert "nested too deeply" in (failed.value.hint or "")


def test_the_deadline_is_a_setting(tmp_path: Path) -> None:
    from shopql.warehouse.workspace import init_workspace

    init_workspace(tmp_path / "ws")
    text = (tmp_path / "ws" / "shopql.toml").read_text(encoding="utf-8")
    (tmp_path / "ws" / "shopql.toml").write_text(
        text.replace("deadline_s = 60", "deadline_s = 12.5"), encoding="utf-8"
    )
    assert load_settings(tmp_path / "ws").llm.deadline_s == 12.5
    assert LLMSettings().deadline_s == 60.0
