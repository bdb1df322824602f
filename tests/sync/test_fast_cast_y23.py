"""Typed cells cast straight from the file (sync/sqlgen.py `fast_fields`): a cell that casts as it
is skips the cleaning, the others are cleaned and typed as before. Both ways must load the same
rows with the same values and quarantine the same lines for the same reasons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shopql.sync import sqlgen
from shopql.warehouse.workspace import init_workspace
from tests.sync.helpers import rows, sync

ITEMS_HEADER = (
    "order_id,order_item_id,product_id,seller_id,shipping_limit_date,price,freight_value\n"
)
# (order_item_id, shipping_limit_date, price, freight_value): cells a fast cast takes as they
# are, and cells only the cleaning reads (no-break and ideographic spaces, wrappers, currency,
# offsets, other date layouts, placeholders) or that fail either way.
CELLS = [
    ("1", "2017-09-19 09:45:35", "58.90", "13.29"),
    (" 2", "2017-09-19 09:45:35 ", " 12.50 ", "\t3.10"),
    ("2.0", "2017-09-19T09:45:35Z", "12.5\u00a0", "\u30001.00"),
    ("\u30003", "2017-09-19 09:45:35+08:00", '"=""13.00"""', "'4.00"),
    ("4", "2017/09/19 09:45", "BRL 15.00", ""),
    ("5", "20170919", "1e3", "null"),
    ("6", "2017-09-19\t", "12.345", "-"),
    ("7", "2017-09-19 09:45:35 +0800", "¥16.80", "N/A"),
    ("8", " 2017-09-19 ", "+17", " 5 "),
    ("2.5", "2017-09-19 09:45:35", "18.00", "1.00"),  # not a whole number: quarantined
    ("9", "someday", "19.00", "1.00"),  # not a date: quarantined
    ("10", "2017-09-19 09:45:35", "abc", "1.00"),  # not an amount: quarantined
    ("11", "2017-09-19 09:45:35", "--", "1.00"),  # a placeholder price: missing, quarantined
    ("12", "2017-09-19 09:45:35", "20.00", "1.2.3"),  # freight not an amount: quarantined
]


def _items_file(folder: Path) -> Path:
    path = folder / "olist_order_items_dataset.csv"
    lines = [
        f"o{i // 3},{item},p{i % 4},s{i % 2},{when},{price},{freight}\n"
        for i, (item, when, price, freight) in enumerate(CELLS)
    ]
    path.write_text(ITEMS_HEADER + "".join(lines), encoding="utf-8")
    return path


RETAIL_HEADER = (
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
)
RETAIL = [
    "536365,85123A,HEART HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom",
    "536365,71053, LANTERN , 6 ,2010-12-01 08:26:00, 3.39 ,17850,United Kingdom",
    "536366,22633,HAND WARMER,-6,2010-12-01 08:28,\u00a01.85,17851.0,France",
    "536367,84879,BIRDS,32.0,12/1/2010 8:34,1e1,,Unspecified",
    "536368,22960,JAM MAKING SET,x,12/1/2010 8:34,4.25,13047,United Kingdom",
    "536369,22961,JAM JAR,1,2010-12-02 08:00:00+00:00,1.00,13047,United Kingdom",  # UTC
    "536370,22962,JAM POT,1,2010-12-02 08:00:00+08:00 ,1.00,13047,United Kingdom",
]


def _load_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: Path, sqls: list[str]
) -> list[tuple[int, list[list[tuple[Any, ...]]]]]:
    """The file loaded into two fresh workspaces, with and without the straight cast."""
    got = []
    chosen: list[set[str]] = []  # the fields the sync would cast straight
    real = sqlgen.fast_fields
    for fast in (True, False):

        def fields(*args: Any, fast: bool = fast) -> set[str]:
            chosen.append(real(*args))
            return chosen[-1] if fast else set()

        ws = tmp_path / f"ws-{fast}"
        init_workspace(ws)
        with monkeypatch.context() as m:
            m.setattr(sqlgen, "fast_fields", fields)
            report = sync(ws, path)
        got.append((report.files[0].rows_loaded, [rows(ws, sql) for sql in sqls]))
    assert chosen[0], "no field took the straight cast"
    return got


def test_order_lines_cast_straight_or_cleaned_load_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _items_file(tmp_path)
    sqls = [
        "SELECT * FROM order_items ORDER BY ALL",
        "SELECT * FROM orders ORDER BY ALL",
        "SELECT * FROM products ORDER BY ALL",
        "SELECT line, reason, raw FROM _quarantine ORDER BY line",
    ]
    fast, cleaned = _load_both(tmp_path, monkeypatch, path, sqls)
    assert fast == cleaned
    loaded, (items, orders, _products, quarantined) = fast
    assert loaded == 9
    assert [(r[1], str(r[8])) for r in items] == [
        (1, "58.90"),
        (2, "12.50"),
        (2, "12.50"),
        (3, "13.00"),
        (4, "15.00"),
        (5, "1000.00"),
        (6, "12.35"),
        (7, "16.80"),
        (8, "17.00"),
    ]
    assert [(r[0], r[1].split(":")[0]) for r in quarantined] == [
        (11, "not a whole number in column order_item_id"),
        (12, "not a date/time in column shipping_limit_date"),
        (13, "not an amount in column price"),
        (14, "missing price in column price"),
        (15, "not an amount in column freight_value"),
    ]
    shipping = {r[0]: str(r[13]) for r in orders}  # shipping_fee: the freight of the lines
    assert shipping["olist:o0"] == "17.39"  # 13.29 + 3.10 + 1.00 (U+3000 stripped)
    assert shipping["olist:o1"] == "4.00"  # '4.00 (Excel's text mark), '' and 'null'
    assert shipping["olist:o2"] == "5.00"  # '-' and 'N/A' are empty, ' 5 ' is 5


def test_retail_lines_cast_straight_or_cleaned_load_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "Online_Retail.csv"
    path.write_text(RETAIL_HEADER + "\n".join(RETAIL) + "\n", encoding="utf-8")
    sqls = [
        "SELECT order_id, line_no, product_id, quantity, unit_price, paid_amount "
        "FROM order_items ORDER BY ALL",
        "SELECT order_id, created_at, goods_amount, paid_amount FROM orders ORDER BY ALL",
        "SELECT line, reason FROM _quarantine ORDER BY line",
    ]
    fast, cleaned = _load_both(tmp_path, monkeypatch, path, sqls)
    assert fast == cleaned
    loaded, (items, orders, quarantined) = fast
    assert loaded == 6
    assert [(r[0], r[3], str(r[4])) for r in items] == [
        ("retail:536365", 6, "2.55"),
        ("retail:536365", 6, "3.39"),
        ("retail:536366", -6, "1.85"),
        ("retail:536367", 32, "10.00"),
        ("retail:536369", 1, "1.00"),
        ("retail:536370", 1, "1.00"),
    ]
    assert [str(r[1]) for r in orders] == [
        "2010-12-01 08:26:00",
        "2010-12-01 08:28:00",
        "2010-12-01 08:34:00",
        "2010-12-02 16:00:00",  # 08:00 UTC in the workspace's Asia/Shanghai, not 08:00
        "2010-12-02 08:00:00",
    ]
    assert quarantined == [(6, "not a whole number in column Quantity: x")]
