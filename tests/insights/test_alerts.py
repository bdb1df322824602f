"""Alert rules: parsing, the three conditions, minimum volume, stock, notifications (webhooks on a
local server, commands), incident de-duplication in `watch`, and the demo's planted incident."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from shopql.errors import ConfigError
from shopql.insights.alert_rules import (
    default_rules,
    load_rules,
    parse_condition,
    parse_rule,
    parse_window,
    write_default_rules,
)
from tests.conftest import cli_in_process, full_demo_seed42, run_cli
from tests.tui.shop import AT, NORMAL_EVENING, build_shop


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from shopql.warehouse.workspace import init_workspace

    ws = tmp_path_factory.mktemp("alerts") / "shop"
    init_workspace(ws)
    build_shop(ws)
    return ws


@pytest.fixture
def own_shop(shop: Path, tmp_path: Path) -> Path:
    """A private copy of the shop, for tests that write alerts.yaml or state."""
    import shutil

    ws = tmp_path / "shop"
    shutil.copytree(shop, ws)
    return ws


def check(ws: Path, at: dt.datetime, *rules: dict[str, Any]) -> list[Any]:
    from shopql.config import load_settings
    from shopql.insights.alerts import check_workspace

    parsed = [parse_rule(r) for r in rules] if rules else default_rules()
    return check_workspace(load_settings(ws), at, parsed)


def fired(results: list[Any]) -> list[tuple[str, str]]:
    return [(f.rule, f.key) for r in results for f in r.firings]


# -- parsing --------------------------------------------------------------------------------------


def test_windows_and_conditions_parse() -> None:
    assert parse_window("5m") == dt.timedelta(minutes=5)
    assert parse_window("1h") == dt.timedelta(hours=1)
    assert parse_window("1d") == dt.timedelta(days=1)
    assert parse_window("90s") == dt.timedelta(seconds=90)
    c = parse_condition("drop 30%")
    assert (c.kind, c.direction, c.value) == ("change", "drop", 0.3)
    c = parse_condition("below 0.9")
    assert (c.kind, c.direction, c.value) == ("threshold", "below", 0.9)
    c = parse_condition("anomaly 3 low")
    assert (c.kind, c.direction, c.value) == ("anomaly", "low", 3.0)
    c = parse_condition("days_of_cover below 3", "stock")
    assert (c.kind, c.measure, c.value) == ("threshold", "days_of_cover", 3.0)


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"name": "x", "metric": "orders", "condition": "sideways 3"}, "bad condition"),
        ({"name": "x", "metric": "orders", "condition": "below 1", "window": "soon"}, "bad window"),
        ({"name": "x", "condition": "below 1"}, "no metric"),
        ({"name": "x", "metric": "orders", "condition": "below 1", "severity": "loud"}, "severity"),
        (
            {
                "name": "x",
                "metric": "orders",
                "condition": "below 1",
                "notify": [{"webhook": "http://h", "shape": "teams"}],
            },
            "shape",
        ),  # fmt: skip
    ],
)
def test_bad_rules_say_what_is_wrong(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_rule(raw)


def test_default_rules_round_trip_through_alerts_yaml(tmp_path: Path) -> None:
    write_default_rules(tmp_path)
    assert load_rules(tmp_path) == default_rules()
    write_default_rules(tmp_path)  # idempotent
    assert len(load_rules(tmp_path)) == len(default_rules())


# -- conditions on the small shop -------------------------------------------------------------------


def test_default_rules_fire_for_the_incident_channel_and_the_sold_out_code(shop: Path) -> None:
    results = check(shop, AT)
    assert sorted(fired(results)) == [("payment_channel_down", "wechat"), ("stock_out", "SKU-1")]
    down = next(f for r in results for f in r.firings if f.rule == "payment_channel_down")
    assert (down.value, down.volume, down.baseline) == (0.0, 20.0, 0.5)
    assert (down.window_start, down.window_end) == (dt.datetime(2026, 11, 10, 20, 45), AT)
    assert all(r.error is None for r in results)


def test_a_normal_evening_is_quiet(shop: Path) -> None:
    assert fired(check(shop, NORMAL_EVENING)) == []


def test_min_volume_keeps_small_samples_quiet(shop: Path) -> None:
    rule = {"name": "r", "metric": "payment_success_rate", "by": "payment_channel",
            "window": "10m", "condition": "below 0.5", "min_volume": 21}  # fmt: skip
    (result,) = check(shop, AT, rule)
    assert result.firings == [] and result.checked == 0


def test_drop_against_the_previous_window(shop: Path) -> None:
    rule = {"name": "drop", "metric": "payment_success_rate", "by": "payment_channel",
            "window": "15m", "condition": "drop 40%", "min_volume": 1}  # fmt: skip
    (result,) = check(shop, AT, rule)
    # wechat: 1 of 1 attempts succeeded 20:25-20:40, 0 of 30 since; alipay has no previous window
    assert [(f.key, f.value, f.baseline) for f in result.firings] == [("wechat", 0.0, 1.0)]
    assert "-100% vs 100.0% in the previous 15m" in result.firings[0].reason


def test_anomaly_against_the_same_time_on_previous_weeks(shop: Path) -> None:
    rule = {"name": "busy", "metric": "orders", "window": "1d", "condition": "anomaly 3 high",
            "min_volume": 3}  # fmt: skip
    (result,) = check(shop, AT, rule)
    (firing,) = result.firings
    assert (firing.value, firing.baseline) == (24.0, 6.0)
    assert "of 4 same time on previous weeks" in firing.reason
    low = {**rule, "name": "quiet", "condition": "anomaly 3 low"}
    assert check(shop, AT, low)[0].firings == []


def test_anomaly_falls_back_to_previous_days_when_weeks_are_missing(shop: Path) -> None:
    rule = {"name": "busy", "metric": "orders", "window": "1d", "condition": "anomaly 3",
            "min_volume": 3}  # fmt: skip
    early = AT - dt.timedelta(days=25)  # four weeks back is before the shop's first day
    (result,) = check(shop, early, rule)
    assert result.note == "history: same time on previous days" and result.firings == []
    (result,) = check(shop, early - dt.timedelta(days=10), rule)
    assert result.note == "not enough history yet"
    (result,) = check(shop, AT, rule)
    assert result.note == "history: same time on previous weeks"


def test_stock_rule_on_hand(shop: Path) -> None:
    rule = {"name": "empty", "kind": "stock", "condition": "on_hand below 1"}
    (result,) = check(shop, AT, rule)
    assert [(f.key, f.value, f.label) for f in result.firings] == [("SKU-1", 0.0, "Product 1")]
    assert check(shop, NORMAL_EVENING, rule)[0].firings == []


def test_unknown_metric_is_an_error_of_that_rule_only(shop: Path) -> None:
    bad = {"name": "bad", "metric": "nonsense", "condition": "below 1"}
    good = {"name": "empty", "kind": "stock", "condition": "on_hand below 1"}
    results = check(shop, AT, bad, good)
    assert "unknown metric nonsense" in (results[0].error or "")
    assert fired(results) == [("empty", "SKU-1")]


# -- the CLI, webhooks and watch ----------------------------------------------------------------------


@pytest.fixture
def hooks() -> Iterator[tuple[str, list[tuple[str, Any]]]]:
    """A webhook receiver on 127.0.0.1: (base URL, received (path, JSON body) pairs)."""
    received: list[tuple[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            size = int(self.headers["Content-Length"])
            received.append((self.path, json.loads(self.rfile.read(size))))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"ok": true}')

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()
    server.server_close()


def write_rules(ws: Path, *rules: dict[str, Any]) -> None:
    (ws / "alerts.yaml").write_text(yaml.safe_dump({"rules": list(rules)}), encoding="utf-8")


def wechat_rule(url: str, out: Path | None = None) -> dict[str, Any]:
    notify: list[Any] = ["terminal"] + [
        {"webhook": f"{url}/{shape}", "shape": shape}
        for shape in ("slack", "dingtalk", "feishu", "json")
    ]
    if out is not None:
        notify.append({"command": f"cat > {out}"})
    return {"name": "channel_down", "metric": "payment_success_rate", "by": "payment_channel",
            "window": "10m", "condition": "below 0.5", "min_volume": 15,
            "severity": "critical", "notify": notify}  # fmt: skip


def test_check_exits_4_naming_the_channel_and_posts_every_webhook_shape(
    own_shop: Path, hooks: tuple[str, list[tuple[str, Any]]], tmp_path: Path
) -> None:
    url, received = hooks
    out = tmp_path / "command.json"
    write_rules(own_shop, wechat_rule(url, out))
    done = run_cli("-w", str(own_shop), "alert", "check", "--at", "2026-11-10 20:55", "--notify")
    assert done.returncode == 4, done.stderr
    assert "CRITICAL channel_down [wechat]" in done.stdout
    assert (
        "payment_success_rate = 0.0%  threshold 50.0%  window 2026-11-10 20:45–20:55" in done.stdout
    )
    bodies = dict(received)
    text = bodies["/slack"]["text"]
    assert text.startswith("[shopql] CRITICAL channel_down [wechat]: payment_success_rate = 0.0%")
    assert bodies["/dingtalk"] == {"msgtype": "text", "text": {"content": text}}
    assert bodies["/feishu"] == {"msg_type": "text", "content": {"text": text}}
    plain = bodies["/json"]
    assert (plain["status"], plain["rule"], plain["key"], plain["value"], plain["volume"]) == (
        "firing", "channel_down", "wechat", 0.0, 20.0,
    )  # fmt: skip
    assert plain["window_start"] == "2026-11-10 20:45:00"
    assert json.loads(out.read_text(encoding="utf-8"))["key"] == "wechat"


def test_dingtalk_and_feishu_webhooks_are_signed_when_a_secret_is_set(
    own_shop: Path, hooks: tuple[str, list[tuple[str, Any]]]
) -> None:
    import base64
    import hashlib
    import hmac
    from urllib.parse import parse_qs, urlsplit

    url, received = hooks
    rule = wechat_rule(url)
    rule["notify"] = [
        {"webhook": f"{url}/robot/send?access_token=t", "shape": "dingtalk", "secret": "SECabc"},
        {"webhook": f"{url}/hook/x", "shape": "feishu", "secret": "$FEISHU_SECRET"},
    ]
    write_rules(own_shop, rule)
    done = cli_in_process("-w", str(own_shop), "alert", "check", "--at", "2026-11-10 20:55",
                          "--notify", env={"FEISHU_SECRET": "fs-secret"})  # fmt: skip
    assert done.returncode == 4, done.stderr
    (feishu_path, feishu), (ding_path, ding) = sorted(received)  # /hook/x, /robot/send?…
    assert feishu_path == "/hook/x"
    query = parse_qs(urlsplit(ding_path).query)
    ms = query["timestamp"][0]
    expected = hmac.new(b"SECabc", f"{ms}\nSECabc".encode(), hashlib.sha256).digest()
    assert query["access_token"] == ["t"] and query["sign"] == [base64.b64encode(expected).decode()]
    assert ding["msgtype"] == "text"
    seconds = feishu["timestamp"]
    expected = hmac.new(f"{seconds}\nfs-secret".encode(), b"", hashlib.sha256).digest()
    assert feishu["sign"] == base64.b64encode(expected).decode()
    assert feishu["msg_type"] == "text" and "[wechat]" in feishu["content"]["text"]
    listed = cli_in_process("-w", str(own_shop), "alert", "list", "--format", "json").stdout
    assert "SECabc" not in listed and "$FEISHU_SECRET" in listed


def test_check_on_a_normal_evening_exits_0_and_replays_do_not_notify(
    own_shop: Path, hooks: tuple[str, list[tuple[str, Any]]]
) -> None:
    url, received = hooks
    write_rules(own_shop, wechat_rule(url))
    done = cli_in_process("-w", str(own_shop), "alert", "check", "--at", "2026-11-09 20:55")
    assert done.returncode == 0, done.stderr
    assert "0 firing" in done.stderr
    done = cli_in_process(
        "-w", str(own_shop), "alert", "check", "--at", "2026-11-10 20:55", "--format", "json"
    )
    assert done.returncode == 4
    document = json.loads(done.stdout)
    assert [(f["rule"], f["key"]) for f in document["firing"]] == [("channel_down", "wechat")]
    assert received == []  # --at replays without --notify stay quiet
    assert not (own_shop / "alerts_state.json").exists()


def test_watch_announces_an_incident_once_and_its_recovery(
    own_shop: Path, hooks: tuple[str, list[tuple[str, Any]]]
) -> None:
    url, received = hooks
    rule = wechat_rule(url)
    rule["notify"] = ["terminal", {"webhook": f"{url}/json", "shape": "json"}]
    write_rules(own_shop, rule)
    done = run_cli(
        "-w", str(own_shop), "watch", "--every", "1s", "--rounds", "3",
        "--at", "2026-11-10 20:55", "--at", "2026-11-10 20:56", "--at", "2026-11-10 21:30",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("FIRING") == 1 and "[wechat]" in done.stdout
    assert "still firing (already notified): channel_down wechat" in done.stderr
    assert "RECOVERED channel_down wechat" in done.stderr
    assert [b["status"] for _, b in received] == ["firing", "resolved"]
    assert received[1][1]["text"].startswith("[shopql] RESOLVED channel_down [wechat]")
    state = json.loads((own_shop / "alerts_state.json").read_text(encoding="utf-8"))
    assert state == {"open": {}}


def test_alert_add_and_list(own_shop: Path) -> None:
    done = cli_in_process(
        "-w", str(own_shop), "alert", "add", "wechat_down", "--metric", "payment_success_rate",
        "--by", "payment_channel", "--window", "10m", "--condition", "below 0.5",
        "--min-volume", "15", "--webhook", "http://127.0.0.1:9/hook", "--shape", "dingtalk",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    listed = json.loads(
        cli_in_process("-w", str(own_shop), "alert", "list", "--format", "json").stdout
    )
    (rule,) = listed["rules"]
    assert (rule["name"], rule["by"], rule["window"], rule["condition"]) == (
        "wechat_down", "payment_channel", "10m", "below 0.5",
    )  # fmt: skip
    assert rule["notify"][1] == {"kind": "webhook", "target": "http://127.0.0.1:9/hook",
                                 "shape": "dingtalk", "secret": ""}  # fmt: skip
    bad = cli_in_process("-w", str(own_shop), "alert", "add", "x", "--metric", "paid_gvm",
                         "--condition", "below 1")  # fmt: skip
    assert bad.returncode == 2 and "unknown metric paid_gvm" in bad.stderr
    assert "paid_gmv" in bad.stderr and "Traceback" not in bad.stderr
    assert cli_in_process("-w", str(own_shop), "alert", "add", "--defaults").returncode == 0
    names = [r.name for r in load_rules(own_shop)]
    assert names[0] == "wechat_down" and "stock_out" in names


# -- the demo ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """`shopql demo` data for a fixed day (the session's full demo: seed 42, scale 1, 2026-12-01),
    with the default rule pack, and the facts the generator planted."""
    ws = full_demo_seed42(tmp_path_factory)
    write_default_rules(ws)
    return ws, json.loads((ws / "demo_facts.json").read_text(encoding="utf-8"))


def test_demo_incident_fires_for_its_channel_at_its_time(demo: tuple[Path, dict[str, Any]]) -> None:
    ws, facts = demo
    incident = facts["payment_incident"]
    start = dt.datetime.fromisoformat(incident["start"])
    during = start + dt.timedelta(minutes=15)
    done = cli_in_process("-w", str(ws), "alert", "check", "--at", f"{during}", "--format", "json")
    assert done.returncode == 4, done.stderr
    firing = json.loads(done.stdout)["firing"]
    payment = {(f["rule"], f["key"]) for f in firing if f["rule"].startswith("payment")}
    assert payment and {key for _, key in payment} == {incident["channel"]}
    assert all(
        f["window_start"] >= incident["start"]
        for f in firing
        if f["rule"] == "payment_channel_down"
    )
    table = cli_in_process("-w", str(ws), "alert", "check", "--at", f"{during}")
    assert table.returncode == 4 and f"[{incident['channel']}]" in table.stdout
    for quiet in (start - dt.timedelta(days=1, minutes=-15), start - dt.timedelta(minutes=30)):
        done = cli_in_process("-w", str(ws), "alert", "check", "--at", f"{quiet}")
        assert done.returncode == 0, (quiet, done.stdout)


def test_demo_hot_product_selling_out_raises_a_stock_alert(
    demo: tuple[Path, dict[str, Any]],
) -> None:
    ws, facts = demo
    hot = facts["hot_product"]
    sold_out = dt.datetime.fromisoformat(hot["sold_out_at"])
    next_morning = dt.datetime.combine(sold_out.date() + dt.timedelta(days=1), dt.time(10))
    done = cli_in_process("-w", str(ws), "alert", "check", "--at", f"{next_morning}",
                          "--rule", "stock_out", "--format", "json")  # fmt: skip
    assert done.returncode == 4, done.stderr
    keys = [f["key"] for f in json.loads(done.stdout)["firing"]]
    assert keys == [hot["outer_code"]]
    before = cli_in_process("-w", str(ws), "alert", "check",
                            "--at", f"{sold_out - dt.timedelta(days=2)}", "--rule", "stock_out")  # fmt: skip
    assert before.returncode == 0, before.stdout


def test_watch_syncs_files_dropped_into_a_folder(own_shop: Path, tmp_path: Path) -> None:
    import shutil

    from tests.conftest import FIXTURES

    drop = tmp_path / "drop"
    shutil.copytree(FIXTURES / "youzan", drop)
    write_rules(own_shop, {"name": "empty", "kind": "stock", "condition": "on_hand below 1"})
    done = run_cli(
        "-w", str(own_shop), "watch", "--sync", str(drop), "--every", "1s", "--rounds", "2",
        "--at", "2026-11-10 20:55",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("new file(s)") == 1  # the second round finds nothing new
    assert "FIRING WARNING empty [SKU-1]" in done.stdout
    from shopql.warehouse.connection import open_reader

    con = open_reader(own_shop / "warehouse.duckdb")
    try:
        (youzan,) = con.execute("SELECT count(*) FROM orders WHERE platform = 'youzan'").fetchone()
    finally:
        con.close()
    assert youzan > 0


HOLD_WRITER = """
import sys
from pathlib import Path
from shopql.warehouse.connection import open_writer
con = open_writer(Path(sys.argv[1]))
print("locked", flush=True)
sys.stdin.readline()
con.close()
"""


def test_watch_waits_out_a_busy_warehouse(own_shop: Path) -> None:
    import subprocess
    import sys

    write_rules(own_shop, {"name": "empty", "kind": "stock", "condition": "on_hand below 1"})
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITER, str(own_shop / "warehouse.duckdb")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        done = run_cli("-w", str(own_shop), "watch", "--rounds", "1", "--at", "2026-11-10 20:55")
    finally:
        holder.communicate("\n", timeout=60)
    assert done.returncode == 0, done.stderr
    assert "warehouse busy" in done.stderr and "FIRING" not in done.stdout


# -- webhooks at the boundary: schemes, redirects, timeouts, retries ---------------------------------


@pytest.fixture
def scripted_hooks() -> Iterator[tuple[str, dict[str, list[int]], list[str]]]:
    """A receiver on 127.0.0.1 answering each path with the statuses scripted for it, in turn
    (200 when the script is empty); /slow answers after a second. Returns (url, script, hits)."""
    import time

    script: dict[str, list[int]] = {}
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            self.rfile.read(int(self.headers["Content-Length"]))
            path = self.path.split("?")[0]
            hits.append(path)
            if path == "/slow":
                time.sleep(1.0)
            status = script[path].pop(0) if script.get(path) else 200
            self.send_response(status)
            if status in (301, 302, 307, 308):
                self.send_header("Location", "/elsewhere")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", script, hits
    server.shutdown()
    server.server_close()


def test_webhook_posts_only_to_http_follows_no_redirect_and_retries_with_backoff(
    scripted_hooks: tuple[str, dict[str, list[int]], list[str]], tmp_path: Path
) -> None:
    from shopql.insights.alert_notify import post_webhook

    url, script, hits = scripted_hooks
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me", encoding="utf-8")
    for bad in (f"file://{secret}", "ftp://127.0.0.1/x", "gopher://127.0.0.1/"):
        problem = post_webhook(bad, {"text": "x"}, tries=1)
        assert problem and "skipped: only http:// and https:// URLs are allowed" in problem
    assert hits == []
    script["/moved"] = [302]
    assert post_webhook(f"{url}/moved", {}, tries=3, backoff_s=0) == (
        f"webhook {url}/moved answered 302 (a redirect, not followed)"
    )
    assert hits == ["/moved"]  # neither /elsewhere nor a retry
    script["/flaky"] = [503, 502]
    assert post_webhook(f"{url}/flaky", {}, tries=3, backoff_s=0.01) is None
    assert hits[1:] == ["/flaky"] * 3
    script["/down"] = [500, 500, 500]
    problem = post_webhook(f"{url}/down?token=t0p", {}, tries=3, backoff_s=0.01)
    assert problem == f"webhook {url}/down answered 500 (after 3 tries)"  # no token shown
    script["/gone"] = [404]
    assert post_webhook(f"{url}/gone", {}, tries=3, backoff_s=0.01) == (
        f"webhook {url}/gone answered 404"
    )
    assert hits.count("/gone") == 1  # a 4xx is not retried
    problem = post_webhook(f"{url}/slow", {}, timeout=0.2, tries=1)
    assert problem and problem.startswith(f"webhook {url}/slow failed") and "timed out" in problem


def test_check_skips_a_file_webhook_sends_the_others_and_still_exits_4(
    own_shop: Path, hooks: tuple[str, list[tuple[str, Any]]], tmp_path: Path
) -> None:
    url, received = hooks
    rule = wechat_rule(url)
    rule["notify"] = [
        "terminal",
        {"webhook": f"file://{tmp_path}/nothing", "shape": "json"},
        {"webhook": f"{url}/json", "shape": "json"},
    ]
    other = {**wechat_rule(url), "name": "channel_down_too"}
    other["notify"] = [{"webhook": f"{url}/second", "shape": "slack"}]
    write_rules(own_shop, rule, other)
    done = cli_in_process(
        "-w", str(own_shop), "alert", "check", "--at", "2026-11-10 20:55", "--notify"
    )
    assert done.returncode == 4, done.stderr
    assert "skipped: only http:// and https:// URLs are allowed" in done.stderr
    assert sorted(path for path, _ in received) == ["/json", "/second"]
    refused = cli_in_process(
        "-w", str(own_shop), "alert", "add", "x", "--metric", "paid_gmv", "--condition",
        "below 1", "--webhook", "file:///etc/passwd",
    )  # fmt: skip
    assert refused.returncode == 2 and "only http:// and https:// URLs" in refused.stderr


def test_a_rule_naming_an_unknown_metric_exits_2_with_file_and_line(own_shop: Path) -> None:
    good = {"name": "fine", "metric": "paid_gmv", "condition": "below 1"}
    write_rules(own_shop, good, {"name": "typo", "metric": "paid_gvm", "condition": "below 1"})
    path = own_shop / "alerts.yaml"
    line = next(
        i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "paid_gvm" in text
    )  # fmt: skip
    done = cli_in_process("-w", str(own_shop), "alert", "check", "--at", "2026-11-10 20:55")
    assert done.returncode == 2
    (message,) = done.stderr.strip().splitlines()
    # the item of the rule starts a line or two above its metric
    assert f"error: {path}:" in message and "rule typo: unknown metric paid_gvm" in message
    start = int(message.split(f"{path}:")[1].split(":")[0])
    assert line - 3 <= start <= line and "did you mean paid_gmv" in message


def test_alerts_yaml_syntax_error_names_its_line(own_shop: Path) -> None:
    path = own_shop / "alerts.yaml"
    path.write_text("rules:\n  - name: a\n    metric: paid_gmv\n   condition: [below\n")
    done = cli_in_process("-w", str(own_shop), "alert", "check")
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {path}:4: ") and "fix the YAML syntax" in done.stderr
    path.write_text("rules:\n  - name: a\n    metric: paid_gmv\n  - name: b\n    condition: x\n")
    done = cli_in_process("-w", str(own_shop), "alert", "list")
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {path}:2: ")  # rule a has no condition
