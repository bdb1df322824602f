"""The demo brand, session 17 (slice g): one refund's amount (the largest single refund), the
catalog said of a snapshot (list prices), available and reserved stock (在库减预占), the platform
a person's first order went to, SPUs and 哪个款 as the product, and harmless words (给得, 已经) —
checked against hand-written SQL on the generated demo (seed 7, today 2025-06-01)."""

from __future__ import annotations

import pytest

from shopql.nlq.answer import answer
from shopql.nlq.session import Workspace
from tests.nlq.helpers import number, rows, sql, sql_number

REFUND_EVENTS = (
    "SELECT r.amount, coalesce(r.finished_at, r.requested_at, o.paid_at, o.created_at) AS t "
    "FROM refunds r LEFT JOIN orders o ON o.order_id = r.order_id "
    "WHERE r.status IS NULL OR lower(r.status) = 'success' UNION ALL SELECT o.refund_amount, "
    "coalesce(o.paid_at, o.created_at) FROM orders o WHERE o.refund_amount <> 0 AND NOT EXISTS "
    "(SELECT 1 FROM refunds r WHERE r.order_id = o.order_id)"
)
LAST_MONTH = "t >= DATE '2025-05-01' AND t < DATE '2025-06-01'"
LATEST_STOCK = (
    "SELECT outer_code, warehouse, on_hand, reserved FROM inventory QUALIFY row_number() OVER "
    "(PARTITION BY outer_code, warehouse ORDER BY as_of DESC) = 1"
)


def metrics(ws: Workspace, question: str) -> tuple[str, ...]:
    return tuple(answer(ws, question, "offline").query.metrics)


@pytest.mark.parametrize(
    "question",
    ["上个月 最大的一笔退款 多少钱", "largest single refund last month", "上个月 单笔最大退款"],
)
def test_largest_single_refund(demo: Workspace, question: str) -> None:
    """One refund's amount, not the month's total (was refused: 一笔, 最大 unplaced)."""
    want = sql_number(demo, f"SELECT max(amount) FROM ({REFUND_EVENTS}) WHERE {LAST_MONTH}")
    total = sql_number(demo, f"SELECT sum(amount) FROM ({REFUND_EVENTS}) WHERE {LAST_MONTH}")
    assert want < total
    assert number(demo, question) == pytest.approx(want)


def test_smallest_single_refund(demo: Workspace) -> None:
    want = sql_number(demo, f"SELECT min(amount) FROM ({REFUND_EVENTS})")
    assert number(demo, "最小的一笔退款") == pytest.approx(want)


def test_refund_total_unchanged(demo: Workspace) -> None:
    assert metrics(demo, "上个月退款金额") == ("refund_amount",)


@pytest.mark.parametrize(
    "question",
    ["cheapest list price in the catalog", "目录里最低标价是多少", "最低标价"],
)
def test_catalog_list_price(demo: Workspace, question: str) -> None:
    want = sql_number(demo, "SELECT min(list_price) FROM products")
    assert number(demo, question) == pytest.approx(want)


def test_catalog_not_said_of_a_period(demo: Workspace) -> None:
    """ "in the catalog" beside a unit price (sold in a period) is not placed: refused."""
    from shopql.nlq.offline import NotUnderstood

    with pytest.raises(NotUnderstood):
        answer(demo, "average unit price in the catalog", "offline")


@pytest.mark.parametrize(
    "question",
    ["各仓库可用库存", "available stock by warehouse", "各仓 可用库存 (在库减预占)"],
)
def test_available_stock(demo: Workspace, question: str) -> None:
    want = sql(
        demo,
        f"SELECT warehouse, sum(on_hand - coalesce(reserved, 0)) FROM ({LATEST_STOCK}) GROUP BY 1",
    )
    got = {w: float(v) for w, v in rows(demo, question)}
    assert got == {w: float(v) for w, v in want}
    assert metrics(demo, question) == ("inventory_available",)


@pytest.mark.parametrize("question", ["预占库存多少", "占用库存多少", "reserved stock"])
def test_reserved_stock_is_no_share(demo: Workspace, question: str) -> None:
    """预占 / 占用 hold 占 but ask no share."""
    want = sql_number(demo, f"SELECT sum(reserved) FROM ({LATEST_STOCK})")
    assert metrics(demo, question) == ("inventory_reserved",)
    assert number(demo, question) == pytest.approx(want)


FIRST_PLATFORM_GAP = (
    "WITH r AS (SELECT one_id, paid_at, row_number() OVER w AS n, lag(paid_at) OVER w AS prev, "
    "first_value(platform) OVER w AS first_platform FROM orders WHERE paid_at IS NOT NULL AND "
    "one_id IS NOT NULL WINDOW w AS (PARTITION BY one_id ORDER BY paid_at, order_id)) "
    "SELECT median(date_diff('second', prev, paid_at) / 86400.0) FROM r "
    "WHERE n = 2 AND first_platform = '{p}'"
)


@pytest.mark.parametrize(
    ("question", "platform"),
    [
        ("第一单在天猫的客户 首单到第二单 中位数多少天", "tmall"),
        ("customers who started on JD: median days to second order", "jd"),
    ],
)
def test_repurchase_gap_by_first_platform(demo: Workspace, question: str, platform: str) -> None:
    want = sql_number(demo, FIRST_PLATFORM_GAP.format(p=platform))
    assert number(demo, question) == pytest.approx(want, abs=0.01)


@pytest.mark.parametrize(
    "question", ["上个月比上上个月 哪个款 件数涨得最多", "上个月比上上个月 哪款 件数涨得最多"]
)
def test_which_style_grew_most(demo: Workspace, question: str) -> None:
    want = sql(
        demo,
        "WITH s AS (SELECT coalesce(i.spu_id, i.product_id) AS p, "
        "coalesce(sum(i.quantity) FILTER (WHERE o.paid_at >= DATE '2025-05-01'), 0) - "
        "coalesce(sum(i.quantity) FILTER (WHERE o.paid_at < DATE '2025-05-01'), 0) AS change "
        "FROM order_items i JOIN orders o ON o.order_id = i.order_id WHERE i.product_id IS NOT "
        "NULL AND o.paid_at >= DATE '2025-04-01' AND o.paid_at < DATE '2025-06-01' GROUP BY 1) "
        "SELECT p, change FROM s ORDER BY 2 DESC LIMIT 1",
    )
    got = rows(demo, question)
    assert got[0][0] == want[0][0]
    assert "units__delta" in answer(demo, question, "offline").main.columns


def test_rank_spus(demo: Workspace) -> None:
    assert answer(demo, "top 5 spus by units last month", "offline").query.dimensions == (
        "product",
    )


@pytest.mark.parametrize("question", ["今年 优惠给得最多的平台", "今年哪个平台给的优惠最多"])
def test_discount_given_most(demo: Workspace, question: str) -> None:
    want = sql(
        demo,
        "SELECT platform FROM orders WHERE paid_at >= DATE '2025-01-01' AND paid_at < "
        "DATE '2025-06-01' GROUP BY 1 ORDER BY sum(discount_amount) DESC LIMIT 1",
    )
    assert rows(demo, question)[0][0] == want[0][0]


def test_already_in_a_set_question(demo: Workspace) -> None:
    want = sql_number(
        demo,
        "WITH f AS (SELECT one_id, min(paid_at) AS first_paid, count(*) AS n FROM orders WHERE "
        "paid_at IS NOT NULL AND paid_at < DATE '2025-06-01' AND one_id IS NOT NULL GROUP BY 1) "
        "SELECT count(*) FROM f WHERE first_paid >= DATE '2025-06-01' - INTERVAL 90 DAY AND n >= 2",
    )
    assert number(demo, "近90天 第一次买的人里 已经下了两单以上的") == want


def test_second_orders_dated_by_the_period(demo: Workspace) -> None:
    """The repurchase gap is timed by the second order: 今年发生的第二单 says what 今年 dates."""
    want = number(demo, "今年复购间隔中位数")
    assert number(demo, "复购间隔中位数 (今年发生的第二单)") == pytest.approx(want)
    assert number(demo, "今年发生的第二单 复购间隔中位数") == pytest.approx(want)


@pytest.mark.parametrize("question", ["今年复购的有多少", "今年复购的有几个"])
def test_repurchasers_counted(demo: Workspace, question: str) -> None:
    """ "复购的有多少": how many bought again — the people, not the repurchase rate."""
    want = number(demo, "今年复购的客户有多少")
    assert want > 1
    assert number(demo, question) == want


def test_halves_of_one_month(demo: Workspace) -> None:
    """ "5月上半月 vs 下半月": the month said once is both halves' (15 and 16 days: one row each)."""
    want = sql(
        demo,
        "SELECT day(paid_at) <= 15 AS first, sum(paid_amount) FROM orders WHERE paid_at >= "
        "DATE '2025-05-01' AND paid_at < DATE '2025-06-01' GROUP BY 1 ORDER BY 1 DESC",
    )
    got = rows(demo, "2025年5月上半月 vs 下半月 销售额")
    assert [float(r[1]) for r in got] == pytest.approx([float(v) for _, v in want])


@pytest.mark.parametrize(
    "question",
    ["近7天 收藏过商品的人 多少", "近7天 收藏过商品的人有几个", "近7天有多少人收藏过商品"],
)
def test_people_who_faved_a_product_counted(demo: Workspace, question: str) -> None:
    """The product after the verb is what they did it to: one figure, not a row per product
    (was: 30 rows, one per product)."""
    want = sql_number(
        demo,
        "SELECT count(DISTINCT user_key) FROM events WHERE event_type = 'fav' AND event_time >= "
        "DATE '2025-06-01' - INTERVAL 7 DAY AND event_time < DATE '2025-06-01'",
    )
    got = rows(demo, question)
    assert len(got) == 1
    assert float(got[0][0]) == want


def test_each_product_keeps_the_split(demo: Workspace) -> None:
    assert answer(demo, "近7天 各商品 收藏过的人 多少", "offline").query.dimensions == ("product",)


def test_weekend_two_days(demo: Workspace) -> None:
    """两天 restates the weekend's two days; 三天 does not (unplaced)."""
    want = number(demo, "上周末 卖了多少")
    assert number(demo, "上周末 两天 卖了多少") == want
    from shopql.nlq.offline import NotUnderstood

    with pytest.raises(NotUnderstood):
        answer(demo, "上周末 三天 卖了多少", "offline")
    assert number(demo, "今年 周末两天 的销售额 加起来") == number(demo, "今年 周末 的销售额")


def test_warehouse_by_its_place(demo: Workspace) -> None:
    """ "华南仓(东莞)" is said 东莞仓 too (the place in brackets with the kind its name ends in)."""
    want = sql_number(
        demo, f"SELECT sum(on_hand) FROM ({LATEST_STOCK}) WHERE warehouse = '华南仓(东莞)'"
    )
    assert number(demo, "东莞仓 库存") == want
    assert number(demo, "嘉兴仓 库存") == sql_number(
        demo, f"SELECT sum(on_hand) FROM ({LATEST_STOCK}) WHERE warehouse = '华东仓(嘉兴)'"
    )


@pytest.mark.parametrize(
    "question", ["sales in the first 10 days of may", "sales in the first 10 days of last month"]
)
def test_first_days_of_a_month(demo: Workspace, question: str) -> None:
    """ "of may" holds the of: the first 10 days of the month, not the whole month."""
    want = sql_number(
        demo,
        "SELECT sum(paid_amount) FROM orders WHERE paid_at >= DATE '2025-05-01' AND paid_at < "
        "DATE '2025-05-11'",
    )
    assert number(demo, question) == pytest.approx(want)
