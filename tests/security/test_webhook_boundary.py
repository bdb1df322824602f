"""The webhook alert sink posts to the URL the user's rule names and nowhere else (DESIGN.md:
notification by webhook JSON; the URL is the user's configuration, never data). Attack tried
(did not work, kept): the configured receiver on 127.0.0.1 answers with a redirect to another
local port (an internal service): the redirect is not followed, the other port gets nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


def _server(hits: list[str], location: str | None) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            hits.append(self.path)
            self.send_response(307 if location else 200)
            if location:
                self.send_header("Location", location)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def two_ports() -> Iterator[tuple[str, list[str], list[str]]]:
    inner_hits: list[str] = []
    inner = _server(inner_hits, None)
    outer_hits: list[str] = []
    outer = _server(outer_hits, f"http://127.0.0.1:{inner.server_port}/admin/delete")
    yield f"http://127.0.0.1:{outer.server_port}/hook", outer_hits, inner_hits
    for server in (outer, inner):
        server.shutdown()
        server.server_close()


def test_a_redirect_to_another_local_port_is_not_followed(
    two_ports: tuple[str, list[str], list[str]],
) -> None:
    from shopql.insights.alert_notify import post_webhook

    url, outer_hits, inner_hits = two_ports
    problem = post_webhook(url, {"text": "GMV fell"}, tries=2, backoff_s=0)
    assert problem == f"webhook {url} answered 307 (a redirect, not followed)"
    assert outer_hits == ["/hook"] and inner_hits == []
