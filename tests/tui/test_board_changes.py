"""The board's recent slice refreshes only what a sync or a OneID build changed (the change log,
warehouse/changes.py), and its numbers stay the catalog's: every tile equals the metric run on
the warehouse for the same window, after a second sync that adds days and after a OneID rebuild.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import pin_secrets
from tests.tui.test_board_recent import loaders, same

TODAY = dt.date(2025, 6, 1)
HELD_BACK_DAYS = 12  # the Shopify orders of the last days arrive in a second sync


@pytest.fixture(scope="module")
def demo_split(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo's exports (small scale) with the last days of Shopify orders held back: a
    workspace synced without them, and the file that brings them."""
    from shopql.config import load_settings
    from shopql.demo.generator import build_world
    from shopql.demo.runner import write_exports
    from shopql.insights.alerts import write_default_rules
    from shopql.sync.engine import run_sync

    root = tmp_path_factory.mktemp("demo-split")
    write_exports(build_world(7, 0.1, TODAY), root / "gen")
    export = root / "gen" / "exports" / "shopify" / "orders_export_1.csv"
    with open(export, encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    name, created = header.index("Name"), header.index("Created at")
    first: dict[str, str] = {}
    for r in rows:
        first.setdefault(r[name], r[created][:10])
    cut = (TODAY - dt.timedelta(days=HELD_BACK_DAYS)).isoformat()
    late = root / "late" / "orders_export_2.csv"
    late.parent.mkdir()
    for path, keep in ((export, lambda d: d < cut), (late, lambda d: d >= cut)):
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([header, *(r for r in rows if keep(first[r[name]]))])
    ws = root / "ws"
    pin_secrets(ws, 7)  # the same account keys and OneIDs in every run
    report = run_sync(load_settings(ws), [root / "gen" / "exports"])
    assert not report.failed, report.failed
    write_default_rules(ws)
    return ws, late


def metric_tiles(ws: Path, view: Any) -> dict[str, dict[str, float | None]]:
    """What `shopql metric` answers for each tile's window, on the warehouse."""
    from shopql.catalog import SemanticQuery
    from shopql.catalog.run import run_metrics
    from shopql.config import load_settings
    from shopql.tui.data import KPIS, kpi_ranges

    settings = load_settings(ws)
    out: dict[str, dict[str, float | None]] = {}
    for span, window in kpi_ranges(view.at).items():
        query = SemanticQuery(metrics=tuple(m for m, _ in KPIS), time_range=window)
        compiled, result = run_metrics(settings, query, today=view.at.date())
        row = dict(zip(result.columns, result.rows[0], strict=True)) if result.rows else {}
        out[span] = {m: None if row.get(m) is None else float(row[m]) for m, _ in KPIS}
    return out


def assert_tiles_are_the_metrics(ws: Path, view: Any) -> None:
    expected = metric_tiles(ws, view)
    for tile in view.tiles:
        got = {"today": tile.value, "yesterday": tile.yesterday, "last_week": tile.last_week}
        for span, value in got.items():
            assert value == expected[span][tile.metric], (tile.metric, span)


AT = dt.datetime.combine(TODAY - dt.timedelta(days=1), dt.time(23))  # the board's moment


def copy_and_load(demo: Path, tmp_path: Path) -> tuple[Path, Any, Any, Any]:
    """A copy of the split demo, the board and the board before issue 14 on it, the first view."""
    ws = tmp_path / "ws"
    shutil.copytree(demo, ws)
    now, before = loaders(ws)
    first = now.load(AT, anchor=False)
    same(first, before.load(AT, anchor=False))
    return ws, now, before, first


def test_a_second_sync_and_a_oneid_rebuild_refresh_only_what_changed(
    demo_split: tuple[Path, Path], tmp_path: Path
) -> None:
    from shopql.config import load_settings
    from shopql.insights.oneid import build_one_ids
    from shopql.sync.engine import run_sync
    from shopql.warehouse.connection import open_writer

    ws, now, before, first = copy_and_load(demo_split[0], tmp_path)
    at = AT
    assert_tiles_are_the_metrics(ws, first)

    # a second sync adds the held-back days: the slice takes only them
    report = run_sync(load_settings(ws), [demo_split[1]])
    assert not report.failed and report.files[0].tables["orders"] > 5
    second = now.load(at, anchor=False)
    assert now.recent is not None and (now.recent.builds, now.recent.refreshes) == (1, 1)
    same(second, before.load(at, anchor=False))
    assert_tiles_are_the_metrics(ws, second)
    assert second.trend != first.trend  # the new days are on the board

    # a OneID rebuild that merges two buyers (persons) of the window (they now share an e-mail) moves
    # the person key of orders in the slice
    sql = """SELECT count(DISTINCT one_id) FROM orders WHERE paid_at >= ? AND paid_at < ?"""
    window = (at - dt.timedelta(days=20), at)
    con = open_writer(ws / "warehouse.duckdb")
    buyers_before = con.execute(sql, window).fetchone()[0]  # type: ignore[index]
    con.execute(
        """INSERT INTO identities (identifier_type, identifier_value, customer_id, platform)
        SELECT 'email', 'same.person@example.com', customer_id, platform FROM customers
        WHERE customer_id IN (
            SELECT min(customer_id) FROM orders WHERE paid_at >= ? AND paid_at < ?
            AND customer_id IS NOT NULL GROUP BY one_id ORDER BY 1 LIMIT 2)""",
        window,
    )
    build_one_ids(con)
    buyers_after = con.execute(sql, window).fetchone()[0]  # type: ignore[index]
    con.close()
    assert buyers_after == buyers_before - 1  # people tiles move
    third = now.load(at, anchor=False)
    assert (now.recent.builds, now.recent.refreshes) == (1, 2)
    same(third, before.load(at, anchor=False))
    assert_tiles_are_the_metrics(ws, third)
    assert now.recent.con is not None
    sliced = now.recent.con.execute(sql, window).fetchall()[0][0]
    assert sliced == buyers_after

    # orders of the board's own day (a file loaded, no OneID step): the narrower slices (last
    # day, last week) take the new rows too instead of being cut again
    from shopql.bench.board_bench import day_file
    from shopql.sync.loader import sync_paths

    path = tmp_path / "orders_export_today.csv"
    day_file(path, at.date(), 40, 900_000)
    con = open_writer(ws / "warehouse.duckdb")
    try:
        assert not sync_paths(con, [path], timezone=load_settings(ws).timezone).failed
    finally:
        con.close()
    levels = [cursor for _, cursor in now.recent.levels]
    fourth = now.load(at, anchor=False)
    assert (now.recent.builds, now.recent.refreshes) == (1, 3)
    assert [cursor for _, cursor in now.recent.levels] == levels  # not cut again
    same(fourth, before.load(at, anchor=False))
    assert_tiles_are_the_metrics(ws, fourth)
    assert fourth.tiles[1].value > third.tiles[1].value  # today's orders grew


def test_a_write_outside_the_log_copies_the_slice_again(
    demo_split: tuple[Path, Path], tmp_path: Path
) -> None:
    from shopql.warehouse.connection import open_writer

    ws, now, before, _ = copy_and_load(demo_split[0], tmp_path)
    con = open_writer(ws / "warehouse.duckdb")
    con.execute(  # a test's INSERT: no log row
        "INSERT INTO payments (payment_id, order_id, status, attempted_at) VALUES ('x', 'y', 'failed', ?)",
        [AT - dt.timedelta(hours=1)],
    )
    con.close()
    view = now.load(AT, anchor=False)
    assert now.recent is not None and (now.recent.builds, now.recent.refreshes) == (2, 0)
    same(view, before.load(AT, anchor=False))


def test_the_log_migration_upgrades_a_release_warehouse(
    demo_split: tuple[Path, Path], tmp_path: Path
) -> None:
    """A warehouse as the release before the log wrote it (no _changes, the version before)
    is upgraded; the next sync logs and the board refreshes from the log."""
    from shopql.config import load_settings
    from shopql.sync.engine import run_sync
    from shopql.warehouse.connection import open_writer
    from shopql.warehouse.schema import MIGRATIONS, SCHEMA_VERSION, V_BOARD_CHANGES, schema_version

    ws = tmp_path / "ws"
    shutil.copytree(demo_split[0], ws)
    con = duckdb.connect(str(ws / "warehouse.duckdb"))
    con.execute("DROP TABLE _changes")
    con.execute("DROP SEQUENCE _change_seq")
    version = MIGRATIONS.index(V_BOARD_CHANGES)  # type: ignore[arg-type]
    con.execute("UPDATE _meta SET value = ? WHERE key = 'schema_version'", [str(version)])
    con.close()
    con = open_writer(ws / "warehouse.duckdb")  # migrates
    assert schema_version(con) == SCHEMA_VERSION
    assert con.execute("SELECT count(*) FROM _changes").fetchone()[0] == 0  # type: ignore[index]
    con.close()
    now, before = loaders(ws)
    now.load(AT, anchor=False)
    assert not run_sync(load_settings(ws), [demo_split[1]]).failed
    view = now.load(AT, anchor=False)
    assert now.recent is not None and (now.recent.builds, now.recent.refreshes) == (1, 1)
    same(view, before.load(AT, anchor=False))
