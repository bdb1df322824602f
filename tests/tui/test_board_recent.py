"""The board reads the recent slice (warehouse/recent.py) and remembered compiled windows
(catalog/cache.py) between ticks (issue 14): it must show exactly what it showed before."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from tests.tui.shop import AT, NORMAL_EVENING


def loaders(ws: Path) -> tuple:
    from shopql.catalog.cache import CompileCache
    from shopql.config import load_settings
    from shopql.tui.data import OverviewLoader

    settings = load_settings(ws)
    before = OverviewLoader(settings, use_recent=False)
    before.compiler = CompileCache(before.catalog, remember=False)  # the board before issue 14
    return OverviewLoader(settings), before


def _rounded(value: object) -> object:
    """Floats to 9 places: a share is a DOUBLE division whose last bit depends on the order
    DuckDB adds the rows in (seen once in CI on the channels' shares)."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, (list, tuple)):
        return type(value)(_rounded(v) for v in value)
    return value


def same(a: object, b: object) -> None:
    for name in ("at", "data_end", "anchored", "tiles", "trend", "platforms"):
        assert getattr(a, name) == getattr(b, name), name
    assert _rounded(a.channels) == _rounded(b.channels)  # type: ignore[attr-defined]
    assert a.products == b.products  # type: ignore[attr-defined]
    assert a.alerts == b.alerts and a.alert_errors == b.alert_errors  # type: ignore[attr-defined]


def test_the_board_shows_the_same_numbers_and_alerts_tick_after_tick(shop: Path) -> None:
    from shopql.tui.data import Focus

    now, before = loaders(shop)
    fired = 0
    # the clock moving through the incident, a normal evening, a drill-down, an anchored board
    moments = [AT - dt.timedelta(minutes=m) for m in (20, 10, 5, 0)] + [NORMAL_EVENING]
    for at in moments:
        got, expected = now.load(at, anchor=False), before.load(at, anchor=False)
        same(got, expected)
        fired += len(got.alerts)
    assert fired and expected.tiles[0].value  # the incident fires; there are sales
    for focus in (Focus("platform", "jd"), Focus("payment_channel", "wechat")):
        same(now.load(AT, focus=focus), before.load(AT, focus=focus))
    same(now.load(dt.datetime(2027, 3, 1)), before.load(dt.datetime(2027, 3, 1)))
    # the warehouse did not change: built once, and once more for the evening a day earlier
    assert now.recent is not None and now.recent.builds == 2
    assert now.compiler.hits > 20  # spans moved, compiled shapes were reused


def test_a_changed_warehouse_rebuilds_the_slice(shop: Path, tmp_path: Path) -> None:
    from shopql.warehouse.connection import open_writer

    ws = tmp_path / "shop"
    shutil.copytree(shop, ws)
    now, before = loaders(ws)
    first = now.load(AT, anchor=False)
    con = open_writer(ws / "warehouse.duckdb")
    con.execute(
        """INSERT INTO orders (order_id, platform, customer_id, status, created_at, paid_at,
               currency, paid_amount, payment_channel, one_id)
           VALUES ('jd:late', 'jd', 'jd:c1', 'completed', ?, ?, 'CNY', 1000, 'alipay', 'P1')""",
        [AT - dt.timedelta(hours=1), AT - dt.timedelta(hours=1)],
    )
    con.close()
    got = now.load(AT, anchor=False)
    same(got, before.load(AT, anchor=False))
    assert got.tiles[0].value == pytest.approx(first.tiles[0].value + 1000)  # type: ignore[operator]
    assert now.recent is not None and now.recent.builds == 2


def test_reads_the_slice_cannot_answer_go_to_the_warehouse(shop: Path) -> None:
    """A rule over all history (new buyers rank every first order) reads the warehouse; a long
    window widens the slice."""
    from shopql.insights.alert_rules import parse_rule

    rules = [
        parse_rule({"name": "new", "metric": "new_buyers", "window": "1d", "condition": "below 1"}),
        parse_rule({"name": "long", "metric": "paid_gmv", "window": "90d", "condition": "below 1"}),
    ]
    from shopql.config import load_settings
    from shopql.tui.data import OverviewLoader

    settings = load_settings(shop)
    now = OverviewLoader(settings, rules=rules)
    before = OverviewLoader(settings, rules=rules, use_recent=False)
    view = now.load(AT, anchor=False)
    same(view, before.load(AT, anchor=False))
    warehouse = object()  # stands for the warehouse reader
    assert now.rule_reader(warehouse, rules[0], AT) is warehouse
    # the long window widens the slice instead
    assert now.recent is not None and now.recent.since is not None
    assert now.recent.since <= AT - dt.timedelta(days=90)
    assert now.rule_reader(warehouse, rules[1], AT) is not warehouse
    short = parse_rule({"name": "s", "metric": "paid_gmv", "window": "1h", "condition": "below 1"})
    assert now.rule_reader(warehouse, short, AT) is not warehouse  # a slice
