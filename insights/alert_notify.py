"""Sending alert notifications: webhooks (JSON in Slack, DingTalk, Feishu/Lark or plain shape) and
commands. The terminal is the CLI's job; this module never prints.

A failed notification is returned as a line of text, never raised: one dead webhook must not stop
the other rules' alerts.
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


def post_webhook(url: str, body: dict[str, Any], timeout: float = TIMEOUT_S) -> str | None:
    """POST `body` as JSON; None when the server accepted it, else what went wrong."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            code = response.status
    except urllib.error.HTTPError as e:
        return f"webhook {url} answered {e.code}"
    except (urllib.error.URLError, OSError, ValueError) as e:
        return f"webhook {url} failed: {getattr(e, 'reason', e)}"
    return None if 200 <= code < 300 else f"webhook {url} answered {code}"


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
        problem = None
        if target.kind == "webhook":
            url, signed = sign(target, body(target.shape))
            problem = post_webhook(url, signed)
        elif target.kind == "command":
            problem = run_command(target.target, body("json"))
        if problem:
            problems.append(f"{rule}: {problem}")
    return problems
