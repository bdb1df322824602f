"""`catalog lint` finds broken catalogs and says where (file:line), in every stage."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shopql.catalog import CatalogError, lint_catalog, load_catalog
from shopql.catalog.store import default_pack_dir
from tests.conftest import cli_in_process, warehouse_reader


def make_catalog(
    tmp_path: Path, extra_metrics: str = "", edit: tuple[str, str, str] | None = None
) -> Path:
    """A workspace folder whose catalog/ is the default pack, plus metrics and one text edit."""
    ws = tmp_path / "ws"
    (ws / "catalog").mkdir(parents=True)
    for f in default_pack_dir().glob("*.yaml"):
        shutil.copy(f, ws / "catalog" / f.name)
    if extra_metrics:
        with (ws / "catalog" / "metrics.yaml").open("a", encoding="utf-8") as out:
            out.write(extra_metrics)
    if edit:
        path = ws / "catalog" / edit[0]
        text = path.read_text(encoding="utf-8")
        assert edit[1] in text
        path.write_text(text.replace(edit[1], edit[2], 1), encoding="utf-8")
    return ws


def line_of(ws: Path, file: str, needle: str) -> int:
    lines = (ws / "catalog" / file).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def errors(ws: Path) -> list[str]:
    return [str(i) for i in lint_catalog(ws) if i.level == "error"]


def test_default_pack_is_clean() -> None:
    assert [str(i) for i in lint_catalog(None)] == []


def test_unknown_column_in_tables(tmp_path: Path) -> None:
    ws = make_catalog(tmp_path, edit=("tables.yaml", "{name: district,", "{name: distrct,"))
    line = line_of(ws, "tables.yaml", "{name: distrct,")
    assert errors(ws) == [f"catalog/tables.yaml:{line}: error: unknown column orders.distrct"]


def test_unknown_column_in_a_dimension(tmp_path: Path) -> None:
    ws = make_catalog(
        tmp_path, edit=("semantic_models.yaml", "expr: payment_channel\n", "expr: pay_chanel\n")
    )
    line = line_of(ws, "semantic_models.yaml", "- name: payment_channel")
    assert errors(ws) == [
        f"catalog/semantic_models.yaml:{line}: error: dimension payment_channel: unknown column orders.pay_chanel"
    ]


def test_metric_referring_to_a_missing_metric(tmp_path: Path) -> None:
    extra = """
  - name: gmv_per_visitor
    type: ratio
    label: {en: GMV per visitor, zh: UV价值}
    numerator: paid_gmvv
    denominator: visitors
"""
    ws = make_catalog(tmp_path, extra)
    line = line_of(ws, "metrics.yaml", "- name: gmv_per_visitor")
    assert errors(ws) == [
        f"catalog/metrics.yaml:{line}: error: metric gmv_per_visitor refers to a missing metric paid_gmvv"
    ]


def test_ratio_with_a_zero_denominator(tmp_path: Path) -> None:
    extra = """
  - name: no_orders
    type: simple
    measure: order_count
    filter: 1 = 0
  - name: gmv_per_nothing
    type: ratio
    numerator: paid_gmv
    denominator: no_orders
  - name: gmv_over_zero
    type: ratio
    numerator: paid_gmv
    denominator: 0
"""
    ws = make_catalog(tmp_path, extra)
    first = line_of(ws, "metrics.yaml", "- name: gmv_per_nothing")
    second = line_of(ws, "metrics.yaml", "- name: gmv_over_zero")
    assert errors(ws) == [
        f"catalog/metrics.yaml:{first}: error: ratio gmv_per_nothing: the denominator no_orders is zero by definition",
        f"catalog/metrics.yaml:{second}: error: ratio gmv_over_zero: the denominator 0 is zero by definition",
    ]


def test_duplicate_synonyms_make_metrics_ambiguous(tmp_path: Path) -> None:
    extra = """
  - name: gross_sales
    type: simple
    label: {en: Gross sales, zh: 总销售额}
    synonyms: [gross sales, 销售额]
    measure: paid_amount
"""
    ws = make_catalog(tmp_path, extra)
    line = line_of(ws, "metrics.yaml", "- name: gross_sales")
    first = line_of(ws, "metrics.yaml", "- name: paid_gmv")
    assert errors(ws) == [
        f"catalog/metrics.yaml:{line}: error: synonym '销售额' of metric gross_sales also names metric "
        f"paid_gmv (catalog/metrics.yaml:{first}): questions using it are ambiguous"
    ]


def test_shape_errors_and_yaml_syntax(tmp_path: Path) -> None:
    extra = """
  - name: bad_agg
    type: simple
    measure: order_count
    value_type: furlongs
"""
    ws = make_catalog(tmp_path, extra)
    line = line_of(ws, "metrics.yaml", "value_type: furlongs")
    assert any(
        e.startswith(f"catalog/metrics.yaml:{line}: error: bad_agg: `value_type`")
        for e in errors(ws)
    )
    (ws / "catalog" / "broken.yaml").write_text(
        "metrics:\n  - name: x\n    label: [unclosed\n", encoding="utf-8"
    )
    found = errors(ws)
    assert any(e.startswith("catalog/broken.yaml:4: error: YAML syntax") for e in found), found


def test_compile_stage_catches_bad_sql(tmp_path: Path) -> None:
    ws = make_catalog(
        tmp_path,
        edit=(
            "semantic_models.yaml",
            "expr: coalesce(city, customers.city)",
            "expr: no_such_function(city)",
        ),
    )
    line = line_of(ws, "semantic_models.yaml", "- name: city")
    found = errors(ws)
    assert any(
        e.startswith(f"catalog/semantic_models.yaml:{line}: error: dimension city: SQL fails")
        for e in found
    ), found


def test_strict_load_raises_with_the_location(tmp_path: Path) -> None:
    ws = make_catalog(tmp_path, edit=("tables.yaml", "{name: district,", "{name: distrct,"))
    with pytest.raises(
        CatalogError, match=r"catalog/tables.yaml:\d+: unknown column orders.distrct"
    ):
        load_catalog(ws)


def test_lint_command_exits_non_zero_and_prints_every_issue(tmp_path: Path) -> None:
    from shopql.warehouse.workspace import init_workspace

    ws = tmp_path / "real"
    init_workspace(ws)
    ok = cli_in_process("--workspace", str(ws), "catalog", "lint")
    assert ok.returncode == 0, ok.stderr
    assert "0 error(s)" in ok.stderr
    metrics = ws / "catalog" / "metrics.yaml"
    text = metrics.read_text(encoding="utf-8").replace(
        "denominator: paid_orders", "denominator: paid_orderz", 1
    )
    metrics.write_text(
        text + "\n  - {name: dup, measure: order_count, synonyms: [客单价]}\n", encoding="utf-8"
    )
    bad = cli_in_process("--workspace", str(ws), "catalog", "lint")
    assert bad.returncode == 1
    lines = bad.stdout.strip().splitlines()
    assert all(line.startswith("catalog/metrics.yaml:") for line in lines)
    assert len([line for line in lines if ": error: " in line]) == 2, bad.stdout
    assert ": warning: metric dup has no en/zh label" in bad.stdout
    assert "2 error(s), 2 warning(s)" in bad.stderr
    assert "refers to a missing metric paid_orderz" in bad.stdout
    assert "synonym '客单价' of metric dup also names metric aov" in bad.stdout


def test_the_design_shorthand_for_a_simple_metric(tmp_path: Path, shop_workspace: Path) -> None:
    """DESIGN.md writes a metric as table + aggregate expr + filter + time column: it works."""
    extra = """
  - name: design_gmv
    label: {en: Design GMV, zh: 设计支付金额}
    synonyms: [design gmv]
    description: Sum of paid_amount over orders that were paid.
    table: orders
    expr: sum(paid_amount)
    filter: paid_at is not null
    time: paid_at
  - name: design_buyers
    table: orders
    expr: count(DISTINCT customer_id)
    filter: paid_att is not null
"""
    ws = make_catalog(tmp_path, extra)
    line = line_of(ws, "metrics.yaml", "- name: design_buyers")
    assert errors(ws) == [
        f"catalog/metrics.yaml:{line}: error: metric design_buyers filter: unknown column orders.paid_att"
    ]
    text = (ws / "catalog" / "metrics.yaml").read_text(encoding="utf-8")
    (ws / "catalog" / "metrics.yaml").write_text(
        text.replace("paid_att is", "paid_at is"), encoding="utf-8"
    )
    assert errors(ws) == []
    from shopql.catalog import SemanticQuery, compile_query

    catalog = load_catalog(ws)
    con = warehouse_reader(shop_workspace)
    try:
        for dims in ((), ("platform",)):
            q = SemanticQuery(metrics=("design_gmv", "paid_gmv", "design_buyers"), dimensions=dims)
            rows = con.execute(compile_query(catalog, q).sql).fetchall()
            assert rows and all(r[-3] == r[-2] for r in rows)
    finally:
        con.close()


def test_a_table_added_by_a_mapping_is_known_without_refresh(tmp_path: Path) -> None:
    from shopql.warehouse.connection import open_writer
    from shopql.warehouse.workspace import init_workspace

    ws = tmp_path / "ws"
    init_workspace(ws)
    con = open_writer(ws / "warehouse.duckdb")
    con.execute("CREATE TABLE coupons (code VARCHAR, discount DECIMAL(18,2))")
    con.close()
    with (ws / "catalog" / "tables.yaml").open("a", encoding="utf-8") as out:
        out.write(
            "\n  - name: coupons\n    columns:\n      - {name: code}\n      - {name: discont}\n"
        )
    line = line_of(ws, "tables.yaml", "{name: discont}")
    assert errors(ws) == [f"catalog/tables.yaml:{line}: error: unknown column coupons.discont"]
    text = (ws / "catalog" / "tables.yaml").read_text(encoding="utf-8")
    (ws / "catalog" / "tables.yaml").write_text(
        text.replace("discont", "discount"), encoding="utf-8"
    )
    assert errors(ws) == []
    (ws / "catalog" / "coupons.yaml").write_text(
        "semantic_models:\n  - name: coupons\n    table: coupons\n    measures:\n"
        "      - {name: coupon_discount, agg: sum, expr: discount}\n"
        "metrics:\n  - name: coupon_discounts\n    label: {en: Coupon discounts, zh: 优惠券金额}\n"
        "    description: Sum of coupon discounts.\n    measure: coupon_discount\n",
        encoding="utf-8",
    )
    assert [str(i) for i in lint_catalog(ws)] == []


def test_words_shared_by_dimensions_or_a_metric_and_a_dimension_are_warned(tmp_path: Path) -> None:
    ws = make_catalog(
        tmp_path,
        extra_metrics="\n  - {name: stars, label: {en: Stars, zh: 星}, description: x, measure: score_avg, synonyms: [评分]}\n",
        edit=(
            "semantic_models.yaml",
            "synonyms: [warehouse, warehouses, 仓库, 仓,",
            "synonyms: [warehouse, warehouses, 仓库, 仓, 平台,",
        ),
    )
    warnings = [str(i) for i in lint_catalog(ws) if i.level == "warning"]
    wh_line = line_of(ws, "semantic_models.yaml", "- name: warehouse")
    stars = line_of(ws, "metrics.yaml", "- {name: stars")
    assert warnings == [
        f"catalog/metrics.yaml:{stars}: warning: synonym '评分' of metric stars also names dimension review_score",
        f"catalog/semantic_models.yaml:{wh_line}: warning: synonym '平台' of dimension warehouse also names dimension platform",
    ]


def test_a_text_cut_at_an_unquoted_comma_is_an_error(tmp_path: Path) -> None:
    quoted = 'description: {en: "How the order was paid (alipay, wechat, credit_card …).", zh:'
    ws = make_catalog(tmp_path, edit=("tables.yaml", quoted, quoted.replace('"', "")))
    line = line_of(ws, "tables.yaml", "{name: payment_channel,")
    assert errors(ws) == [
        f"catalog/tables.yaml:{line}: error: payment_channel: `description` is cut at a comma "
        "before 'wechat, credit_card …).': put the text in quotes"
    ]
    column = load_catalog(make_catalog(tmp_path / "ok")).tables["orders"].columns["payment_channel"]
    assert column.description["en"] == "How the order was paid (alipay, wechat, credit_card …)."
