"""Sending alert notifications: webhooks (JSON in Slack, DingTalk, Feishu/Lark or plain shape) and
commands. The terminal is the CLI's job; this module never prints.

A failed notification is returned as a line of text, never raised: one dead webhook must not stop
the other rules' alerts. Webhooks go to http:// and https:// URLs only (anything else is skipped
with a message), redirects are not followed (a 3xx is reported, the body is not re-sent
elsewhere), each attempt has a timeout, and a connection failure, a timeout, 429 or 5xx is
retried with exponential backoff.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from shopql.insights.alert_rules import Notify
from shopql.insights.alerts import Firing

TIMEOUT_S = 10.0
TRIES = 3  # attempts per webhook
BACKOFF_S = 1.0  # wait before the 2nd attempt; doubled for each further one
RETRY_STATUS = {429, 500, 502, 503, 504}


def alert_text(firing: Firing) -> str:
    """One line for chat apps."""
    return f"[shopql] {firing.message()}"


def recovery_text(info: dict[str, Any]) -> str:
    where = f" [{info.get('key')}]" if info.get("key") else ""
    return (
        f"[shopql] RESOLVED {info.get('rule')}{where}: back to normal at {info.get('recovered_at')}"
    )


def shaped(text: str, shape: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The JSON body in the shape the receiving service expects (plain json carries `fields`)."""
    if shape == "slack":
        return {"text": text}
    if shape == "dingtalk":
        return {"msgtype": "text", "text": {"content": text}}
    if shape == "feishu":
        return {"msg_type": "text", "content": {"text": text}}
    return {"text": text, **fields}


def payload(firing: Firing, shape: str = "json") -> dict[str, Any]:
    """The webhook body announcing `firing`."""
    return shaped(alert_text(firing), shape, {"status": "firing", **firing.to_dict()})


def recovery_payload(info: dict[str, Any], shape: str = "json") -> dict[str, Any]:
    """The webhook body saying an open incident recovered."""
    return shaped(recovery_text(info), shape, {"status": "resolved", **info})


def sign(
    target: Notify, body: dict[str, Any], now: float | None = None
) -> tuple[str, dict[str, Any]]:
    """The URL and body of a webhook call, signed the way DingTalk and Feishu robots check when
    the target has a secret (HMAC-SHA256 of "timestamp\nsecret", base64)."""
    secret = target.secret
    if secret.startswith("$"):
        secret = os.environ.get(secret[1:], "")
    if not secret or target.shape not in ("dingtalk", "feishu"):
        return target.target, body
    if target.shape == "dingtalk":
        ms = int((now if now is not None else time.time()) * 1000)
        digest = hmac.new(secret.encode(), f"{ms}\n{secret}".encode(), hashlib.sha256).digest()
        query = urllib.parse.urlencode({"timestamp": ms, "sign": base64.b64encode(digest)})
        joiner = "&" if "?" in target.target else "?"
        return f"{target.target}{joiner}{query}", body
    seconds = int(now if now is not None else time.time())
    digest = hmac.new(f"{seconds}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return target.target, {
        "timestamp": str(seconds),
        "sign": base64.b64encode(digest).decode(),
        **body,
    }


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Refuse to follow redirects: the 3xx comes back as an HTTPError and is reported."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def post_webhook(
    url: str,
    body: dict[str, Any],
    timeout: float = TIMEOUT_S,
    tries: int | None = None,
    backoff_s: float | None = None,
) -> str | None:
    """POST `body` as JSON; None when the server accepted it, else what went wrong."""
    if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https"):
        return f"webhook {_shown(url)} skipped: only http:// and https:// URLs are allowed"
    tries = TRIES if tries is None else max(tries, 1)
    wait = BACKOFF_S if backoff_s is None else backoff_s
    problem: str | None = None
    for attempt in range(tries):
        if attempt:
            time.sleep(wait * 2 ** (attempt - 1))
        problem, retry = _post_once(url, body, timeout)
        if problem is None or not retry:
            return problem
    return f"{problem} (after {tries} tries)"


def _post_once(url: str, body: dict[str, Any], timeout: float) -> tuple[str | None, bool]:
    """One attempt: (problem or None, whether trying again may help)."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=timeout) as response:
            code = int(response.status)
    except urllib.error.HTTPError as e:
        if 300 <= e.code < 400:
            return f"webhook {_shown(url)} answered {e.code} (a redirect, not followed)", False
        return f"webhook {_shown(url)} answered {e.code}", e.code in RETRY_STATUS
    except (urllib.error.URLError, OSError, ValueError) as e:
        return f"webhook {_shown(url)} failed: {getattr(e, 'reason', e)}", True
    if 200 <= code < 300:
        return None, False
    return f"webhook {_shown(url)} answered {code}", code in RETRY_STATUS


def _shown(url: str) -> str:
    """The URL without its query string (signatures and tokens live there)."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def run_command(command: str, body: dict[str, Any]) -> str | None:
    """Run the user's command with the alert as JSON on stdin and SHOPQL_ALERT_* variables."""
    env = {
        **os.environ,
        "SHOPQL_ALERT_RULE": str(body.get("rule", "")),
        "SHOPQL_ALERT_KEY": str(body.get("key", "")),
        "SHOPQL_ALERT_SEVERITY": str(body.get("severity", "")),
        "SHOPQL_ALERT_STATUS": str(body.get("status", "")),
        "SHOPQL_ALERT_TEXT": str(body.get("text", "")),
    }
    try:
        done = subprocess.run(
            command, shell=True, input=json.dumps(body, ensure_ascii=False), text=True, env=env,
            timeout=TIMEOUT_S, capture_output=True,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return f"command {command!r} did not finish in {TIMEOUT_S:g} s"
    if done.returncode:
        return f"command {command!r} exited {done.returncode}"
    return None


def send(targets: tuple[Notify, ...], firing: Firing) -> list[str]:
    """Notify every non-terminal target of a rule about `firing`; the problems met, one a line."""
    return _send(targets, firing.rule, lambda shape: payload(firing, shape))


def send_recovery(targets: tuple[Notify, ...], info: dict[str, Any]) -> list[str]:
    """Tell every non-terminal target that the incident `info` recovered."""
    return _send(targets, str(info.get("rule")), lambda shape: recovery_payload(info, shape))


def _send(
    targets: tuple[Notify, ...], rule: str, body: Callable[[str], dict[str, Any]]
) -> list[str]:
    problems: list[str] = []
    for target in targets:
        try:
            problem = _send_one(target, body)
        except Exception as e:  # one broken target never stops the others
            problem = f"{target.kind} {target.target!r} failed: {type(e).__name__}: {e}"
        if problem:
            problems.append(f"{rule}: {problem}")
    return problems


def _send_one(target: Notify, body: Callable[[str], dict[str, Any]]) -> str | None:
    if target.kind == "webhook":
        url, signed = sign(target, body(target.shape))
        return post_webhook(url, signed)
    if target.kind == "command":
        return run_command(target.target, body("json"))
    return None
