"""`shopql demo` as a library call: generate the exports, sync them, and sum up the workspace."""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from shopql.config import CONFIG_NAME, load_settings
from shopql.errors import WorkspaceError
from shopql.sync.loader import SyncReport

FACTS = "demo_facts.json"
EXPORTS = "exports"
TRUTH = Path("_truth") / "persons.csv"
TABLES = ("orders", "order_items", "customers", "products", "payments", "refunds", "inventory",
          "events", "identities", "shops")  # fmt: skip
Progress = Callable[[str], None]


@dataclass
class DemoResult:
    """What `run_demo` made and loaded."""

    folder: Path
    files: list[Path]
    report: SyncReport
    tables: dict[str, int]
    quarantined: list[tuple[str, str, int]]  # file, reason, rows
    persons: int
    accounts: int
    multi_platform_persons: int
    facts: dict[str, object]
    example_person: str | None = None  # a OneID with accounts on several platforms
    rebuilt: bool = False
    seconds: dict[str, float] = field(default_factory=dict)


def run_demo(
    folder: Path,
    *,
    seed: int = 42,
    scale: float = 1.0,
    today: date | None = None,
    progress: Progress | None = None,
) -> DemoResult:
    """Create (or refresh) a demo workspace in `folder` and sync freshly generated exports into it.

    Raises:
        WorkspaceError: `folder` holds other files and is not a shopql workspace.
    """
    from shopql.demo.generator import build_world
    from shopql.sync.engine import run_sync
    from shopql.warehouse.workspace import init_workspace

    say = progress or (lambda _msg: None)
    folder = folder.expanduser().resolve()
    today = today or date.today()
    if scale <= 0:
        raise WorkspaceError(f"--scale must be positive, got {scale}", "try --scale 1")
    _check_folder(folder)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    say(
        f"generating 18 months of orders up to {today - timedelta(days=1)} (seed {seed}, scale {scale:g})"
    )
    world = build_world(seed, scale, today)
    if not folder.exists():  # a new workspace is the owner's only, as `shopql init` makes it
        folder.mkdir(parents=True)
        folder.chmod(0o700)
    files, rebuilt = _refresh(world, folder)
    init_workspace(folder)
    timings["generate"] = time.perf_counter() - started
    say(f"syncing {len(files)} export files")
    started = time.perf_counter()
    report = run_sync(load_settings(folder), [folder / EXPORTS])
    timings["sync"] = time.perf_counter() - started
    from shopql.insights.alerts import write_default_rules

    write_default_rules(folder)  # so `shopql alert check` and the board have rules to run
    result = DemoResult(
        folder, files, report, {}, [], 0, 0, 0, world.facts, rebuilt=rebuilt, seconds=timings
    )
    _summarise(result)
    return result


def _check_folder(folder: Path) -> None:
    """Refuse a folder that holds anything but an empty workspace or an earlier demo."""
    if not folder.exists() or not any(folder.iterdir()):
        return
    if not (folder / CONFIG_NAME).is_file():
        raise WorkspaceError(
            f"{folder} is not empty and not a shopql workspace",
            "choose a new folder for the demo, e.g. shopql demo ./shopql-demo",
        )
    if not (folder / FACTS).is_file() and _has_orders(folder / "warehouse.duckdb"):
        raise WorkspaceError(
            f"{folder} is a workspace with data of its own",
            "the demo needs a folder of its own, e.g. shopql demo ./shopql-demo",
        )


def _refresh(world: object, folder: Path) -> tuple[list[Path], bool]:
    """Write the exports; when they differ from an earlier demo's, that demo's warehouse goes.

    Demo data of another seed, scale, day or generator version must not mix with the new one:
    files are written to a staging folder first and only replace the old ones when different.
    """
    staging = folder / ".demo-staging"
    shutil.rmtree(staging, ignore_errors=True)
    write_exports(world, staging)
    changed = _hashes(staging / EXPORTS) != _hashes(folder / EXPORTS)
    rebuilt = changed and (folder / FACTS).is_file()
    if changed:
        for name in ("warehouse.duckdb", "warehouse.duckdb.wal"):
            (folder / name).unlink(missing_ok=True)
    for name in (EXPORTS, TRUTH.parts[0], FACTS):
        target = folder / name
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
        (staging / name).rename(target)
    staging.rmdir()
    return sorted(p for p in (folder / EXPORTS).rglob("*") if p.is_file()), rebuilt


def _hashes(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _has_orders(warehouse: Path) -> bool:
    if not warehouse.is_file():
        return False
    from shopql.warehouse.connection import open_reader

    con = open_reader(warehouse)
    try:
        row = con.execute("SELECT count(*) FROM orders").fetchone()
        return bool(row and row[0])
    finally:
        con.close()


def write_exports(world: object, folder: Path) -> list[Path]:
    """Every export file of the demo, plus the facts and the identity truth beside them."""
    from shopql.demo import feeds, writers
    from shopql.demo.model import World

    folder.mkdir(parents=True, exist_ok=True)

    assert isinstance(world, World)
    exports = folder / EXPORTS
    stamp = f"{world.end:%Y%m%d}0830"
    period = f"{world.start:%Y%m%d}-{world.end - timedelta(days=1):%Y%m%d}"
    live_day = date.fromisoformat(str(world.facts["hot_product"]["live_session_start"])[:10])  # type: ignore[index]
    files = [
        *writers.write_tmall(world, exports / "tmall"),
        *writers.write_jd(world, exports / "jd", stamp),
        *writers.write_pdd(world, exports / "pinduoduo", stamp),
        *writers.write_douyin(world, exports / "douyin", stamp, live_day),
        *writers.write_shopify(world, exports / "shopify"),
        feeds.write_gateway(world, exports / "payment_gateway", period),
        feeds.write_listings(world, exports / "erp", stamp),
        feeds.write_stock(world, exports / "erp", period),
        feeds.write_events(world, exports / "behavior", period),
    ]
    world.facts["tmall_re_export"] = writers.tmall_re_export_facts(world)
    feeds.write_truth(world, folder / TRUTH)
    feeds.write_facts(world, folder / FACTS)
    return files


def _summarise(result: DemoResult) -> None:
    from shopql.warehouse.connection import open_reader

    con = open_reader(result.folder / "warehouse.duckdb")
    try:
        for table in TABLES:
            result.tables[table] = int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]
        result.quarantined = [
            (Path(str(p)).name, str(r), int(n))
            for p, r, n in con.execute(
                "SELECT path, reason, count(*) FROM _quarantine GROUP BY ALL ORDER BY ALL"
            ).fetchall()
        ]
        row = con.execute(
            """SELECT count(DISTINCT one_id), count(*),
                      count(DISTINCT one_id) FILTER (WHERE n_platforms > 1)
               FROM (SELECT c.one_id, count(DISTINCT c.platform) OVER (PARTITION BY c.one_id)
                            AS n_platforms
                     FROM customers c WHERE c.one_id IS NOT NULL)"""
        ).fetchone()
        assert row is not None
        result.persons, result.accounts, result.multi_platform_persons = (int(v) for v in row)
        example = con.execute(
            """SELECT one_id FROM customers WHERE one_id IS NOT NULL GROUP BY one_id
               ORDER BY count(DISTINCT platform) DESC, count(*) DESC, one_id LIMIT 1"""
        ).fetchone()
        result.example_person = str(example[0]) if example else None
    finally:
        con.close()
