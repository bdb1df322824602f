"""Tags, RFM and lifecycle on a six-person warehouse whose scores are worked out by hand below."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from shopql.insights.tags import RuleTag, person_tags, refresh_tags, tag_overview
from tests.insights.conftest import add_account, add_order

AS_OF = dt.date(2025, 6, 30)


def build_shop(con: duckdb.DuckDBPyConnection) -> None:
    """Six persons (one account each; no OneID build, so the account is the person).

    recency (days) / kept orders / net spend:
      a 1 / 2 / 300    b 1 / 1 / 50    c 121 / 1 / 1000
      d 149 / 3 / 240  e 20 / 1 / 70 (+ a refunded 500)    f 10 / 2 / 120 (a year apart)
    """
    add_account(
        con,
        "tmall:a",
        ("platform_user", "tmall:a"),
        phone="+86 139 1234 5678",
        email=" Alice@Example.COM ",
    )
    add_account(con, "tmall:b", ("platform_user", "tmall:b"))
    add_account(con, "tmall:c", ("platform_user", "tmall:c"))
    add_account(con, "jd:d", ("platform_user", "jd:d"), phone="138****1234", email="d@qq.com")
    add_account(con, "jd:e", ("platform_user", "jd:e"))
    add_account(con, "jd:f", ("platform_user", "jd:f"), phone="+1 (415) 555-0100")
    add_order(
        con, "o-a1", "tmall:a", "completed", "2025-06-01 10:00", 200, [("p:rug", "地毯", 2, 200)]
    )
    add_order(
        con, "o-a2", "tmall:a", "completed", "2025-06-29 10:00", 100, [("p:sofa", "沙发", 1, 100)]
    )
    add_order(
        con, "o-b1", "tmall:b", "completed", "2025-06-29 11:00", 50, [("p:cup", "杯子", 5, 50)]
    )
    add_order(
        con, "o-c1", "tmall:c", "completed", "2025-03-01 10:00", 1000, [("p:sofa", "沙发", 1, 1000)]
    )
    for n, day in enumerate(("2024-12-01", "2025-01-01", "2025-02-01")):
        add_order(
            con, f"o-d{n}", "jd:d", "completed", f"{day} 10:00", 80, [("p:cup", "杯子", 8, 80)]
        )
    add_order(
        con, "o-e1", "jd:e", "refunded", "2025-05-01 10:00", 500, [("p:table", "茶几", 1, 500)], 500
    )
    add_order(con, "o-e2", "jd:e", "completed", "2025-06-10 10:00", 70, [("p:cup", "杯子", 7, 70)])
    add_order(con, "o-f1", "jd:f", "completed", "2024-06-01 10:00", 60, [("p:cup", "杯子", 6, 60)])
    add_order(con, "o-f2", "jd:f", "completed", "2025-06-20 10:00", 60, [("p:rug", "地毯", 1, 60)])


@pytest.fixture
def shop(warehouse: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    build_shop(warehouse)
    return warehouse


def tags_of(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    rows = con.execute(
        """SELECT one_id, r_score, f_score, m_score, rfm_segment, lifecycle, net_spend::DOUBLE,
                  spend::DOUBLE, orders, recency_days FROM person_tags"""
    ).fetchall()
    return {r[0].split(":")[1]: r[1:] for r in rows}


def test_rfm_scores_segments_and_lifecycle_by_hand(shop: duckdb.DuckDBPyConnection) -> None:
    run = refresh_tags(shop, as_of=AS_OF)
    t = tags_of(shop)
    # R ranks by recency (oldest first): d, c, e, f, then a and b tied (rank 5 of 6 → score 4)
    assert {k: v[0] for k, v in t.items()} == {"a": 4, "b": 4, "c": 1, "d": 1, "e": 2, "f": 3}
    # F: the three one-order persons tie at score 1; a and f (2 orders) share rank 4 → 3
    assert {k: v[1] for k, v in t.items()} == {"a": 3, "b": 1, "c": 1, "d": 5, "e": 1, "f": 3}
    assert {k: v[2] for k, v in t.items()} == {"a": 4, "b": 1, "c": 5, "d": 3, "e": 1, "f": 2}
    assert {k: v[3] for k, v in t.items()} == {
        "a": "重要价值客户",
        "b": "一般发展客户",
        "c": "重要挽留客户",
        "d": "重要保持客户",
        "e": "一般挽留客户",
        "f": "一般价值客户",
    }
    # purchase-day gaps 28, 31, 31, 40, 384 → median 31: active ≤ 62 days, lapsed > 124
    assert (run.median_interval_days, run.active_days, run.lapsed_days) == (31.0, 62.0, 124.0)
    assert {k: v[4] for k, v in t.items()} == {
        "a": "active",
        "b": "new",
        "c": "at_risk",
        "d": "lapsed",
        "e": "active",
        "f": "won_back",
    }
    # lifetime spend net of refunds: e paid 570, 500 of it refunded
    assert t["e"][5:8] == (70.0, 570.0, 1)
    assert run.buyers == 6


def test_preferences_and_person_view(shop: duckdb.DuckDBPyConnection) -> None:
    refresh_tags(shop, as_of=AS_OF)
    a = person_tags(shop, "tmall:a", "show")
    assert a["preferred_category"] == "地毯"  # 200 on rugs, 100 on the sofa
    assert a["preferred_platform"] == "tmall"
    assert a["first_purchase_at"] == dt.datetime(2025, 6, 1, 10)
    assert a["rfm_code"] == "434"
    # unit prices of the kept lines: six at 10, then 60, 100, 100, 1000 → terciles 10 / 60
    assert person_tags(shop, "tmall:c", "show")["price_band"] == "high"
    assert person_tags(shop, "jd:d", "show")["price_band"] == "low"


def test_rule_tags_and_overview(shop: duckdb.DuckDBPyConnection) -> None:
    rules = [RuleTag("vip", "rfm_segment = '重要价值客户' OR m_score >= 5")]
    run = refresh_tags(shop, rules, as_of=AS_OF)
    assert run.rule_tags == {"vip": 2}
    tagged = shop.execute("SELECT one_id FROM person_rule_tags ORDER BY 1").fetchall()
    assert tagged == [("tmall:a",), ("tmall:c",)]
    overview = tag_overview(shop)
    assert sum(r["persons"] for r in overview["rfm_segments"]) == 6
    assert {r["lifecycle"]: r["persons"] for r in overview["lifecycle"]}["active"] == 2


def test_a_failing_refresh_changes_nothing(
    shop: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shopql.insights.tags as tags_module

    refresh_tags(shop, as_of=AS_OF)
    before = tags_of(shop)

    def fail(*_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(tags_module, "_record", fail)  # everything else of the run is written
    with pytest.raises(RuntimeError):
        refresh_tags(shop, [RuleTag("vip", "m_score = 5")], as_of=dt.date(2025, 12, 31))
    assert tags_of(shop) == before
    assert shop.execute("SELECT count(*) FROM person_rule_tags").fetchone() == (0,)
    assert shop.execute("SELECT count(*) FROM _tag_runs").fetchone() == (1,)


def test_no_orders_no_tags(warehouse: duckdb.DuckDBPyConnection) -> None:
    run = refresh_tags(warehouse)
    assert (run.buyers, run.as_of) == (0, None)
    assert warehouse.execute("SELECT count(*) FROM person_tags").fetchone() == (0,)


def test_rule_tag_lint_points_at_the_line(tmp_path: Path) -> None:
    from shopql.catalog.lint import lint_catalog
    from shopql.warehouse.workspace import init_workspace

    ws = tmp_path / "ws"
    init_workspace(ws)
    (ws / "catalog" / "my_tags.yaml").write_text(
        "tags:\n"
        "  - name: fine\n"
        "    label: {en: Fine, zh: 好}\n"
        "    condition: net_spend > 100\n"
        "  - name: typo\n"
        "    label: {en: Typo, zh: 错}\n"
        "    condition: net_spnd > 100\n",
        encoding="utf-8",
    )
    issues = [str(i) for i in lint_catalog(ws) if i.level == "error"]
    assert len(issues) == 1, issues
    assert "my_tags.yaml:5" in issues[0] and "net_spnd" in issues[0]


def test_migration_upgrades_a_warehouse_of_the_previous_release(tmp_path: Path) -> None:
    from shopql.warehouse.connection import open_writer
    from shopql.warehouse.schema import MIGRATIONS, V_AUDIENCES, migrate, schema_version

    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    migrate(old, target=MIGRATIONS.index(V_AUDIENCES))  # as the release before audiences
    build_shop(old)
    old.close()
    con = open_writer(path)
    try:
        assert schema_version(con) == len(MIGRATIONS)
        assert refresh_tags(con, as_of=AS_OF).buyers == 6
    finally:
        con.close()


def test_workspace_refresh_uses_catalog_rule_tags_and_records_segment_sizes(
    tmp_path: Path,
) -> None:
    from shopql.insights.segments import Actor, create_segment
    from shopql.insights.tags import refresh_workspace_tags
    from shopql.warehouse.connection import open_writer
    from shopql.warehouse.workspace import init_workspace

    ws = tmp_path / "ws"
    init_workspace(ws)
    con = open_writer(ws / "warehouse.duckdb")
    try:
        build_shop(con)
        create_segment(con, "jd", "platform = 'jd'", Actor("alice", "admin"), AS_OF)
        run = refresh_workspace_tags(con, ws, as_of=AS_OF)
        history = con.execute(
            "SELECT role, action, size FROM segment_history ORDER BY changed_at"
        ).fetchall()
    finally:
        con.close()
    assert run.rule_tags["repeat_buyer"] == 3  # a, d, f: the default pack's catalog/tags.yaml
    assert run.rule_tags["cross_platform"] == 0
    assert run.segments == {"jd": 3}
    # created before the first tag refresh: no persons known yet, then 3 after it
    assert history == [("admin", "create", 0), ("system", "auto-refresh", 3)]


def test_rule_tag_windows_end_on_the_as_of_day(shop: duckdb.DuckDBPyConnection) -> None:
    rules = [RuleTag("recent_sofa", "bought(category = '沙发', days = 30)")]
    assert refresh_tags(shop, rules, as_of=AS_OF).rule_tags == {"recent_sofa": 1}  # a, 06-29
    later = refresh_tags(shop, rules, as_of=dt.date(2025, 8, 1)).rule_tags
    assert later == {"recent_sofa": 0}


def test_a_persons_province_is_their_most_frequent_then_their_latest(
    shop: duckdb.DuckDBPyConnection,
) -> None:
    """d ordered to 浙江 twice and 上海 once (most frequent wins); f once each to 北京 (earlier) and
    广东 (later): the tie goes to the latest order's province, on every refresh."""
    provinces = {"o-d0": "浙江省", "o-d1": "上海市", "o-d2": "浙江省"}
    provinces |= {"o-f1": "北京市", "o-f2": "广东省", "o-a1": "江苏省", "o-a2": "江苏省"}
    for order_id, province in provinces.items():
        shop.execute("UPDATE orders SET province = ? WHERE order_id = ?", [province, order_id])
    for _ in range(3):
        refresh_tags(shop, as_of=AS_OF)
        got = dict(shop.execute("SELECT one_id, province FROM person_tags").fetchall())
        assert (got["jd:d"], got["jd:f"], got["tmall:a"]) == ("浙江省", "广东省", "江苏省")
    # the tie's other way round: the earlier order now goes to 广东, the later to 北京
    shop.execute("UPDATE orders SET province = '北京市' WHERE order_id = 'o-f2'")
    shop.execute("UPDATE orders SET province = '广东省' WHERE order_id = 'o-f1'")
    refresh_tags(shop, as_of=AS_OF)
    assert person_tags(shop, "jd:f", "show")["province"] == "北京市"
