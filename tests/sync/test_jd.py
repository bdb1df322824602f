"""JD POP connector: the GBK 40-column 订单导出 (one row per SKU line, order fields repeated),
(删除)/(锁定) statuses, annotated and formatted money, Excel-re-saved dates, and a re-export."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.conftest import FIXTURES
from tests.sync.helpers import rows as query
from tests.sync.helpers import sync

JD = FIXTURES / "jd"


def statuses(ws: Path) -> dict[str, str]:
    return {o[-1:]: s for o, s in query(ws, "select platform_order_id, status from orders")}


def test_orders_with_lines_load_one_order_per_order_number(workspace: Path) -> None:
    report = sync(workspace, JD / "订单导出_20240210.csv")

    (result,) = report.files
    assert (result.source, result.kind, result.encoding) == ("jd", "orders", "gb18030")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (9, 8, 1)
    assert result.tables["orders"] == 7
    assert statuses(workspace) == {
        "1": "paid",
        "2": "shipped",  # (删除)等待确认收货: the buyer hid the order
        "3": "completed",
        "4": "pending",
        "5": "cancelled",  # cancelled before payment
        "6": "refunded",  # cancelled after payment
        "7": "paid",  # (锁定)等待出库
    }
    # order money from one line per order: order 1 has two lines, its 订单金额 is not doubled
    assert query(
        workspace,
        "select count(*), sum(goods_amount), sum(discount_amount), sum(paid_amount),"
        " sum(refund_amount), sum(shipping_fee) from orders",
    ) == [(7, Decimal("5356.00"), Decimal("285.00"), Decimal("4987.00"), Decimal("89.00"), 0)]
    assert query(
        workspace,
        "select goods_amount, paid_amount, created_at::varchar, finished_at::varchar, province"
        " from orders where order_id = 'jd:250000000003'",
    ) == [
        (
            Decimal("1288.00"),
            Decimal("1200.00"),
            "2024-03-05 14:07:00",
            "2024-03-09 10:00:00",
            "广东省",
        )
    ]
    # "499.00（系统计算中，该值仅供参考）" and "¥499.00" are amounts
    assert query(
        workspace, "select paid_amount from orders where order_id = 'jd:250000000007'"
    ) == [(Decimal("499.00"),)]
    assert query(workspace, "select raw_status from orders where order_id = 'jd:250000000002'") == [
        ("(删除)等待确认收货",)
    ]


def test_unknown_status_is_quarantined(workspace: Path) -> None:
    sync(workspace, JD / "订单导出_20240210.csv")

    assert query(workspace, "select line, reason from _quarantine") == [
        (10, "unknown status 配送异常挂起 (add it to the mapping or report it)")
    ]


def test_lines_products_customers_identities(workspace: Path) -> None:
    sync(workspace, JD / "订单导出_20240210.csv")

    # 结算金额 3000 allocated over 京东价 × 数量 (2999 and 2 × 99)
    assert query(
        workspace,
        "select line_no, product_id, sku_id, quantity, unit_price, paid_amount from order_items"
        " where order_id = 'jd:250000000001' order by line_no",
    ) == [
        (1, "jd:MZ-SOFA-3S", "100012345601", 1, Decimal("2999.00"), Decimal("2814.20")),
        (2, "jd:MZ-PILLOW-GRY", "100012345602", 2, Decimal("99.00"), Decimal("185.80")),
    ]
    # the allocated line amounts add up to each paid order's amount, to the cent
    assert query(
        workspace,
        "select count(*) from orders o where paid_amount > 0 and paid_amount <>"
        " (select sum(i.paid_amount) from order_items i where i.order_id = o.order_id)",
    ) == [(0,)]
    assert query(workspace, "select count(*), count(outer_code) from products") == [(8, 7)]
    # keys are pseudonyms in the warehouse: sorted by the raw keys the helper shows
    assert sorted(
        query(workspace, "select customer_id, phone, email, province from customers order by 1")
    ) == [
        ("jd:jd_user_01", "138****0001", None, "江苏省"),
        ("jd:jd_user_02", "139****0002", None, "北京市"),
        ("jd:jd_user_03", "1******6198", "jd3@example.com", "广东省"),
        ("jd:jd_user_04", None, None, "内蒙古自治区"),  # 联系电话 "-"
        ("jd:jd_user_05", "137****0005", None, "上海市"),
    ]
    assert query(
        workspace,
        "select identifier_type, count(*) from identities group by 1 order by 1",
    ) == [("email", 1), ("phone", 4), ("platform_user", 5)]
    assert query(workspace, "select refund_id, status, amount from refunds") == [
        ("jd:250000000006", "success", Decimal("89.00"))
    ]


def test_re_export_with_changed_statuses_updates_orders(workspace: Path) -> None:
    sync(workspace, JD / "订单导出_20240210.csv")
    report = sync(workspace, JD / "订单导出_20240220.csv")

    assert report.files[0].status == "loaded"
    assert statuses(workspace) == {
        "1": "shipped",
        "2": "shipped",
        "3": "completed",
        "4": "completed",  # paid and delivered since
        "5": "cancelled",
        "6": "refunded",
        "7": "completed",
    }
    assert query(workspace, "select count(*), sum(paid_amount) from orders") == [
        (7, Decimal("5046.00"))
    ]
    assert query(workspace, "select count(*) from order_items") == [(8,)]
    # lineage: every order now points at the later file
    assert query(workspace, "select list(distinct source_file_id) from orders") == [([2],)]
