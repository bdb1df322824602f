"""Taobao / Tmall connector: GB18030 订单报表 and 宝贝报表 in their real layouts (old and new headers),
re-exports that change statuses, the .xlsx Tmall layout, and the real 28,010-order Tmall report."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SAMPLES, run_cli
from tests.sync.helpers import rows as query
from tests.sync.helpers import sync

TAOBAO = FIXTURES / "taobao"
TMALL = FIXTURES / "tmall"
TMALL_REPORT = SAMPLES / "tmall" / "tmall_order_report_2020-02.csv"


def statuses(ws: Path) -> dict[str, str]:
    rows = query(ws, "select platform_order_id, status from orders where platform_order_id <> ''")
    return {order[-3:]: status for order, status in rows}


def test_orders_and_items_files_in_gb18030(workspace: Path) -> None:
    report = sync(
        workspace,
        TAOBAO / "ExportOrderList202401151030.csv",
        TAOBAO / "ExportOrderDetailList202401151030.csv",
        TAOBAO / "ExportOrderDetailList201905011200.csv",
    )

    assert [(f.kind, f.encoding, f.rows_read, f.rows_loaded) for f in report.files] == [
        ("orders", "gb18030", 9, 8),
        ("items", "gb18030", 6, 6),
        ("items_old", "gb18030", 2, 2),
    ]
    assert statuses(workspace) == {
        "401": "completed",
        "402": "paid",
        "403": "paid",  # 买家已付款,等待卖家发货 with an ASCII comma
        "404": "shipped",
        "405": "pending",
        "406": "cancelled",  # 交易关闭 without payment
        "407": "refunded",  # 交易关闭 after payment, 退款金额 320
        "409": "completed",
    }
    assert query(
        workspace,
        "select count(*), sum(goods_amount), sum(shipping_fee), sum(paid_amount),"
        " sum(refund_amount) from orders",
    ) == [(8, Decimal("2180.90"), Decimal("16.00"), Decimal("2132.90"), Decimal("340.00"))]
    # "10.00元" is an amount
    assert query(workspace, "select shipping_fee from orders where order_id like '%402'") == [
        (Decimal("10.00"),)
    ]
    # 19-digit ids exact (="…" wrapper gone), re-saved date yyyy/M/d H:mm, ￥1,299.00
    assert query(
        workspace,
        "select order_id, platform, created_at::varchar, paid_at::varchar, paid_amount,"
        " province, city from orders where platform_order_id = '3701234567890123403'",
    ) == [
        (
            "taobao:3701234567890123403",
            "taobao",
            "2024-01-11 09:05:00",
            "2024-01-11 09:06:00",
            Decimal("1299.00"),
            "上海市",
            "上海市",
        )
    ]
    # a lone tab in 订单付款时间 is empty; "订单付款时间 " (trailing space) still matched
    assert query(workspace, "select count(*) from orders where paid_at is null") == [(2,)]


def test_scientific_notation_order_id_is_quarantined(workspace: Path) -> None:
    sync(workspace, TAOBAO / "ExportOrderList202401151030.csv")

    ((line, reason),) = query(workspace, "select line, reason from _quarantine")
    assert line == 9
    assert reason.startswith("order_no 1.23457E+18 was turned into scientific notation by Excel")
    assert query(workspace, "select count(*) from orders where order_id like '%E+%'") == [(0,)]


def test_customers_identities_and_shop(workspace: Path) -> None:
    sync(workspace, TAOBAO / "ExportOrderList202401151030.csv")

    # keys are pseudonyms in the warehouse: sorted by the raw keys the helper shows
    assert sorted(
        query(
            workspace,
            "select customer_id, platform, phone, email, province from customers order by 1",
        )
    ) == [
        ("taobao:tb_li_2", "taobao", "138****5678", None, "上海市"),
        ("taobao:tb_qian", "taobao", "13600003333", None, "内蒙古自治区"),
        ("taobao:tb_sun", "taobao", "13911112222", None, "北京市"),
        ("taobao:tb_wang01", "taobao", "13800001111", "wang01@example.com", "浙江省"),
        ("taobao:tb_zhao", "taobao", None, None, "广东省"),  # 联系手机 "-"/"null", 支付宝 "——"
    ]
    assert query(
        workspace, "select count(*) from identities where identifier_value in ('-', 'null', '——')"
    ) == [(0,)]
    # 𠮷 (outside GBK) survives because the file is read as GB18030
    assert query(workspace, "select name from customers where nick = 'tb_li_2'") == [("李𠮷",)]
    assert query(
        workspace,
        "select identifier_type, identifier_value, customer_id from identities"
        " where identifier_type <> 'platform_user' order by 1, 2",
    ) == [
        ("email", "wang01@example.com", "taobao:tb_wang01"),
        ("phone", "13600003333", "taobao:tb_qian"),
        ("phone", "138****5678", "taobao:tb_li_2"),  # masked, kept as it is
        ("phone", "13800001111", "taobao:tb_wang01"),
        ("phone", "13911112222", "taobao:tb_sun"),
    ]
    assert query(
        workspace, "select count(*) from identities where identifier_type = 'platform_user'"
    ) == [(5,)]
    assert query(workspace, "select shop_id, platform, name from shops") == [
        ("taobao:57301234", "taobao", "木子家居小铺")
    ]


def test_items_and_products_by_seller_code(workspace: Path) -> None:
    sync(
        workspace,
        TAOBAO / "ExportOrderDetailList202401151030.csv",
        TAOBAO / "ExportOrderDetailList201905011200.csv",
    )

    items = query(
        workspace,
        "select right(order_id, 3), line_no, product_id, outer_code, quantity, unit_price,"
        " paid_amount, refund_amount from order_items order by 1, 2",
    )
    assert items == [
        ("401", 1, "taobao:MZ-PILLOW-GRY", "MZ-PILLOW-GRY", 2, Decimal("99.50"), Decimal("199.00"), Decimal("0.00")),
        ("402", 1, "taobao:MZ-RUG-01", "MZ-RUG-01", 1, Decimal("89.00"), Decimal("89.00"), Decimal("0.00")),
        ("403", 1, "taobao:MZ-SOFA-3S", "MZ-SOFA-3S", 1, Decimal("1199.00"), Decimal("1199.00"), Decimal("0.00")),
        ("403", 2, "taobao:MZ-TBL-S", "MZ-TBL-S", 1, Decimal("100.00"), Decimal("100.00"), Decimal("0.00")),
        ("404", 1, "taobao:MZ-LAMP-01", "MZ-LAMP-01", 1, Decimal("59.90"), Decimal("59.90"), None),
        ("405", 1, "taobao:MZ-MUG-02", "MZ-MUG-02", 2, Decimal("19.50"), Decimal("39.00"), None),
        # 商家编码 "-" is empty: the product is keyed by the platform item id
        ("409", 1, "taobao:item-600000000009", None, 1, Decimal("100.00"), Decimal("100.00"), Decimal("20.00")),
        ("409", 2, "taobao:MZ-DIFF-01", "MZ-DIFF-01", 1, Decimal("50.00"), Decimal("50.00"), Decimal("0.00")),
    ]  # fmt: skip
    # the leading ' and the trailing \r of 商家编码 are gone
    assert query(
        workspace, "select count(*) from products where outer_code similar to '.*[\\r''].*'"
    ) == [(0,)]
    assert query(workspace, "select count(*), count(outer_code) from products") == [(8, 7)]
    # one refund case: the sub-order whose 退款状态 is 退款成功
    assert query(workspace, "select refund_id, order_id, status, amount from refunds") == [
        ("taobao:3701234567890123509", "taobao:3701234567890123409", "success", Decimal("20.00"))
    ]


def test_re_export_with_changed_statuses_updates_orders(workspace: Path) -> None:
    sync(
        workspace,
        TAOBAO / "ExportOrderList202401151030.csv",
        TAOBAO / "ExportOrderDetailList202401151030.csv",
    )
    report = sync(
        workspace,
        TAOBAO / "ExportOrderList202401201030.csv",
        TAOBAO / "ExportOrderDetailList202401201030.csv",
    )

    assert [f.status for f in report.files] == ["loaded", "loaded"]
    assert statuses(workspace) == {
        "401": "completed",
        "402": "shipped",
        "403": "completed",
        "404": "completed",
        "405": "cancelled",  # never paid, closed by timeout
        "406": "cancelled",
        "407": "refunded",
        "409": "completed",
    }
    assert query(workspace, "select count(*) from orders") == [(8,)]
    # order 403's items were replaced as a set: the side table is gone
    assert query(
        workspace, "select outer_code from order_items where order_id like '%403' order by line_no"
    ) == [("MZ-SOFA-3S",)]
    assert query(workspace, "select count(*) from order_items") == [(5,)]


def test_excel_unicode_text_resave_loads_the_same(workspace: Path, tmp_path: Path) -> None:
    """Excel's "Unicode text" (UTF-16, tab-separated) re-save of the GBK orders file."""
    with open(TAOBAO / "ExportOrderList202401151030.csv", encoding="gb18030", newline="") as f:
        rows = list(csv.reader(f))
    resaved = tmp_path / "ExportOrderList202401151030.txt"
    with open(resaved, "w", encoding="utf-16", newline="") as f:
        csv.writer(f, delimiter="\t", lineterminator="\r\n").writerows(rows)

    report = sync(workspace, resaved)

    assert [(f.kind, f.encoding, f.rows_loaded, f.rows_quarantined) for f in report.files] == [
        ("orders", "utf-16", 8, 1)
    ]
    assert query(workspace, "select count(*), sum(goods_amount), sum(paid_amount) from orders") == [
        (8, Decimal("2180.90"), Decimal("2132.90"))
    ]


def test_tmall_xlsx_with_new_header_names(workspace: Path) -> None:
    report = sync(workspace, TMALL)

    assert sorted((f.kind, f.rows_loaded) for f in report.files) == [("items", 4), ("orders", 3)]
    assert query(
        workspace,
        "select platform_order_id, platform, status, shipped_at::varchar, goods_amount,"
        " shipping_fee, paid_amount, refund_amount, province from orders order by 1",
    ) == [
        ("4012345678901234561", "tmall", "completed", "2024-03-02 15:00:00", Decimal("2399.00"), Decimal("0.00"), Decimal("2399.00"), Decimal("0.00"), "广东省"),
        ("4012345678901234562", "tmall", "refunded", None, Decimal("159.00"), Decimal("0.00"), Decimal("159.00"), Decimal("159.00"), "浙江省"),
        ("4012345678901234563", "tmall", "shipped", "2024-03-04 10:00:00", Decimal("78.80"), Decimal("10.00"), Decimal("88.80"), Decimal("0.00"), "重庆市"),
    ]  # fmt: skip
    # composite 收货地址 "张**，86-139****0001，广东省 深圳市 …": phone and city from it
    assert query(
        workspace, "select phone, city from customers where customer_id = 'taobao:tm_buyer_a'"
    ) == [("139****0001", "深圳市")]
    assert query(workspace, "select count(*), sum(paid_amount) from order_items") == [
        (4, Decimal("2646.80"))
    ]


def file_sums(path: Path) -> dict[str, object]:
    """The Tmall report's own figures, read with the csv module."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    money = {
        name: sum(Decimal(r[name]) for r in rows)
        for name in ("总金额", "买家实际支付金额", "退款金额")
    }
    paid = [r for r in rows if r["订单付款时间 "].strip()]
    return {
        "orders": len(rows),
        **money,
        "paid_before_refunds": sum(
            Decimal(r["买家实际支付金额"]) + Decimal(r["退款金额"]) for r in paid
        ),
        "unpaid": len(rows) - len(paid),
        "fully_refunded": sum(
            1 for r in paid if Decimal(r["买家实际支付金额"]) == 0 and Decimal(r["退款金额"]) > 0
        ),
    }


def test_real_tmall_report_loads_with_its_own_totals(workspace: Path) -> None:
    if not TMALL_REPORT.exists():
        pytest.skip("../shared/formats/samples is not beside the repository")
    expected = file_sums(TMALL_REPORT)

    report = sync(workspace, TMALL_REPORT)

    (result,) = report.files
    assert (result.source, result.kind, result.rows_loaded, result.rows_quarantined) == (
        "taobao",
        "report",
        28010,
        0,
    )
    ((orders, goods, paid, refund, platforms),) = query(
        workspace,
        "select count(*), sum(goods_amount), sum(paid_amount), sum(refund_amount),"
        " list(distinct platform) from orders",
    )
    assert orders == expected["orders"] == 28010
    assert goods == expected["总金额"]
    assert refund == expected["退款金额"]
    # 买家实际支付金额 is net of refunds; paid_amount is what was paid before refunds
    assert paid - refund == expected["买家实际支付金额"]
    assert paid == expected["paid_before_refunds"]
    assert (goods, paid, refund) == (
        Decimal("2995760.61"),
        Decimal("2474823.07"),
        Decimal("572335.92"),
    )
    assert platforms == ["tmall"]
    by_status = dict(query(workspace, "select status, count(*) from orders group by 1"))
    assert by_status == {
        "pending": expected["unpaid"],
        "refunded": expected["fully_refunded"],
        "paid": 28010 - expected["unpaid"] - expected["fully_refunded"],
    }
    assert by_status == {"pending": 3923, "refunded": 5132, "paid": 18955}


def test_cli_sync_of_every_cn_fixture_folder(workspace: Path) -> None:
    """`shopql sync` on the fixture folders: every file detected, nothing failed, OneID built."""
    folders = [FIXTURES / name for name in ("taobao", "tmall", "jd", "pinduoduo", "douyin")]

    done = run_cli("--workspace", str(workspace), "sync", *map(str, folders), "--format", "json")

    assert done.returncode == 0, done.stderr
    files = json.loads(done.stdout)["files"]
    assert {f["status"] for f in files} == {"loaded"}
    assert sorted({(f["source"], f["kind"]) for f in files}) == [
        ("douyin", "orders"),
        ("jd", "orders"),
        ("pinduoduo", "orders"),
        ("taobao", "items"),
        ("taobao", "items_old"),
        ("taobao", "orders"),
    ]
    counts = query(workspace, "select platform, count(*) from orders group by 1 order by 1")
    assert counts == [("douyin", 7), ("jd", 7), ("pinduoduo", 7), ("taobao", 8), ("tmall", 3)]
    # the later exports were synced after the earlier ones (folder order): latest state wins
    assert query(workspace, "select status from orders where order_id = 'jd:250000000004'") == [
        ("completed",)
    ]
    # the same phone on Taobao (tb_sun) and Douyin (张**) is one person; masked phones join no one
    assert query(
        workspace,
        "select count(distinct one_id), count(*) from customers where phone = '13911112222'",
    ) == [(1, 2)]
    assert query(
        workspace,
        "select count(*) from customers c where contains(phone, '*') and exists (select 1"
        " from customers d where d.one_id = c.one_id and d.customer_id <> c.customer_id)",
    ) == [(0,)]


def test_tmall_and_taobao_products_carry_their_shops_platform(workspace: Path) -> None:
    """Item exports name no shop, the orders file does: each product takes the platform of the
    shop that sells it, whichever file was synced first (here the items files)."""
    from shopql.config import load_settings
    from shopql.sync.engine import run_sync

    files = [
        TMALL,
        TAOBAO / "ExportOrderDetailList202401151030.csv",
        TAOBAO / "ExportOrderList202401151030.csv",
    ]
    assert not run_sync(load_settings(workspace), files).failed

    assert query(
        workspace, "select platform, shop_id, count(*) from products group by all order by 1"
    ) == [("taobao", "taobao:57301234", 6), ("tmall", "taobao:68804321", 4)]
    # every order line finds its product on its own order's platform and shop
    assert query(
        workspace,
        "select o.platform, count(*), count(p.product_id) from order_items i"
        " join orders o using (order_id) left join products p on p.product_id = i.product_id"
        " and p.platform = o.platform and p.shop_id = o.shop_id group by 1 order by 1",
    ) == [("taobao", 6, 6), ("tmall", 4, 4)]
