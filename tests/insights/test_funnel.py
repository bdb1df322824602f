"""`shopql funnel` on the Taobao UserBehavior sample (expected values computed here from the raw
csv.gz, in Python) and on the demo; funnels defined in the catalog YAML."""

from __future__ import annotations

import csv
import gzip
import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shopql.catalog.funnels import load_funnels
from tests.conftest import cli_in_process
from tests.insights.conftest import USERBEHAVIOR_FILE

WEEK = 7 * 24 * 3600
STEPS = ({"pv"}, {"cart", "fav"}, {"buy"})


@pytest.fixture(scope="module")
def raw_events() -> list[tuple[str, str, str, int]]:
    """(user, category, behaviour, unix time) of every line of the sample."""
    with gzip.open(USERBEHAVIOR_FILE / "UserBehavior_head.csv.gz", "rt", newline="") as f:
        return [(u, c, b, int(t)) for u, _item, c, b, t in csv.reader(f)]


def expected_funnel(events: list[tuple[str, str, str, int]], key: str) -> dict[str, list[int]]:
    """Strict ordered funnel per (user, group): enter at the first pv, then the first cart/fav at
    or after it, then the first buy at or after that, all within 7 days of entering."""
    by_user: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for user, cat, behaviour, ts in events:
        group = {"none": "", "category": cat}[key]
        by_user[(user, group)].append((ts, behaviour))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (_user, group), evs in by_user.items():
        evs.sort()
        entered = min((t for t, b in evs if b in STEPS[0]), default=None)
        if entered is None:
            continue
        counts[group][0] += 1
        at = entered
        for k in (1, 2):
            nxt = min(
                (t for t, b in evs if b in STEPS[k] and at <= t <= entered + WEEK), default=None
            )
            if nxt is None:
                break
            counts[group][k] += 1
            at = nxt
    return counts


def _json(ws: Path, *args: str) -> dict:
    done = cli_in_process("--workspace", str(ws), "funnel", *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_default_funnel_on_userbehavior(
    userbehavior_workspace: Path, raw_events: list[tuple[str, str, str, int]]
) -> None:
    doc = _json(userbehavior_workspace)
    want = expected_funnel(raw_events, "none")[""]
    assert doc["funnel"] == "view_to_buy" and doc["window_seconds"] == WEEK
    assert doc["columns"] == [
        "step",
        "name",
        "visitors",
        "conversion",
        "step_conversion",
        "drop_off",
    ]
    assert [r[2] for r in doc["rows"]] == want
    assert want[0] == 813 and want[2] > 0  # of 815 users, two never viewed anything
    view, cart, buy = doc["rows"]
    assert cart[3] == pytest.approx(want[1] / want[0]) and buy[4] == pytest.approx(
        want[2] / want[1]
    )
    assert cart[5] == want[0] - want[1] and buy[5] == want[1] - want[2]


def test_by_category(userbehavior_workspace: Path, raw_events: list) -> None:
    doc = _json(userbehavior_workspace, "--by", "category")
    want = expected_funnel(raw_events, "category")
    got: dict[str, list[int]] = defaultdict(list)
    for cat, _step, _name, n, *_ in doc["rows"]:
        got[cat].append(n)
    assert dict(got) == {c: v for c, v in want.items()}
    top = max(want, key=lambda c: want[c][0])
    assert doc["rows"][0][0] == top  # the largest category first


def test_by_day_enters_on_the_day_of_the_first_view(
    userbehavior_workspace: Path, raw_events: list
) -> None:
    doc = _json(userbehavior_workspace, "--by", "day", "--since", "2017-11-25")
    day_of = {}
    for user, _c, behaviour, ts in raw_events:
        if behaviour == "pv":
            day = (datetime.fromtimestamp(ts, UTC) + timedelta(hours=8)).date().isoformat()
            day_of.setdefault((user, day), True)
    entered: dict[str, int] = defaultdict(int)
    for _user, day in day_of:
        if day >= "2017-11-25":
            entered[day] += 1
    got = {r[0]: r[3] for r in doc["rows"] if r[1] == 1}
    assert got == dict(entered)


def test_catalog_funnel_and_lint(demo_ws: Path, tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "funnels.yaml").write_text(
        "funnels:\n"
        "  - name: cart_to_buy\n"
        "    window: 2d\n"
        "    steps: [cart, buy]\n"
        "  - name: broken\n"
        "    window: soon\n"
        "    steps: [view, buy]\n",
        encoding="utf-8",
    )
    funnels, issues = load_funnels(folder)
    assert list(funnels) == ["cart_to_buy"]
    assert funnels["cart_to_buy"].window == timedelta(days=2)
    assert [str(i.where) for i in issues] == ["catalog/funnels.yaml:5"]
    from shopql.catalog.lint import lint_catalog

    workspace = tmp_path
    (workspace / "catalog" / "funnels.yaml").write_text(
        "funnels:\n  - name: odd\n    steps: [view, click]\n", encoding="utf-8"
    )
    linted = [(str(i.where), i.message) for i in lint_catalog(workspace) if "funnel" in i.message]
    assert linted == [("catalog/funnels.yaml:2", "funnel odd: unknown event type 'click', "
                       "expected ('view', 'cart', 'fav', 'buy')")]  # fmt: skip
    done = cli_in_process("--workspace", str(demo_ws), "funnel", "nosuch")
    assert done.returncode == 1 and "did you mean" not in done.stderr
    assert "view_to_buy" in done.stderr


def test_demo_funnel_by_platform(demo_ws: Path) -> None:
    doc = _json(demo_ws, "--by", "platform")
    rows = {(r[0], r[1]): r[3] for r in doc["rows"]}
    platforms = {r[0] for r in doc["rows"]}
    assert platforms == {"tmall", "jd", "pinduoduo", "douyin", "shopify"}
    for p in platforms:
        assert rows[(p, 1)] > rows[(p, 2)] > rows[(p, 3)] > 0
    done = cli_in_process("--workspace", str(demo_ws), "funnel", "view_to_buy_direct")
    assert done.returncode == 0 and "View → buy" in done.stdout
