"""End-of-day stock per warehouse and seller code, as the ERP snapshots it."""

from __future__ import annotations

from datetime import date, timedelta

from shopql.demo import assortment as A
from shopql.demo.model import HotPlan, Order

SOUTH = {"广东省", "福建省", "云南省", "四川省", "重庆", "湖南省"}


def warehouse_for(o: Order) -> str:
    """Southern buyers ship from Dongguan, the rest (and the viral coat) from Jiaxing."""
    if o.account.person.province in SOUTH and all(
        ln.product.outer_code != A.HOT_PRODUCT for ln in o.lines
    ):
        return A.WAREHOUSES[1]
    return A.WAREHOUSES[0]


def daily_stock(
    orders: list[Order], start: date, end: date, hot: HotPlan
) -> dict[tuple[date, str, str], tuple[int, int]]:
    """End-of-day on-hand and reserved units per warehouse and seller code.

    Regular goods are topped up every Monday to 1.5 weeks of their busiest week, so they never run
    out; the viral coat has one batch that the live session exhausts, then a restock.
    """
    sold: dict[tuple[date, str, str], int] = {}
    for o in orders:
        if o.paid_at is None:
            continue
        wh = warehouse_for(o)
        for ln in o.lines:
            key = (o.paid_at.date(), wh, ln.product.outer_code)
            sold[key] = sold.get(key, 0) + ln.qty
    days = [start + timedelta(days=i) for i in range((end - start).days)]
    out: dict[tuple[date, str, str], tuple[int, int]] = {}
    for p in A.PRODUCTS:
        for wh in A.WAREHOUSES:
            if p.outer_code == A.HOT_PRODUCT:
                if wh == A.WAREHOUSES[0]:
                    _hot_stock(days, sold, wh, hot, out)
                continue
            weekly = [
                sum(sold.get((d, wh, p.outer_code), 0) for d in days[i : i + 7])
                for i in range(len(days))
            ]
            target = int(1.5 * max(weekly, default=0)) + 20
            on_hand = target
            for d in days:
                if d.weekday() == 0:
                    on_hand = max(on_hand, target)
                units = sold.get((d, wh, p.outer_code), 0)
                on_hand -= units
                out[(d, wh, p.outer_code)] = (on_hand, int(units * 0.4))
    return out


def _hot_stock(
    days: list[date],
    sold: dict[tuple[date, str, str], int],
    wh: str,
    b: HotPlan,
    out: dict[tuple[date, str, str], tuple[int, int]],
) -> None:
    code = A.HOT_PRODUCT
    before = sum(sold.get((d, wh, code), 0) for d in days if b.launch <= d < b.live)
    after = sum(sold.get((d, wh, code), 0) for d in days if d >= b.restock)
    on_hand = b.stock_at_live + before
    for d in days:
        if d < b.launch:
            continue
        if d == b.restock:
            on_hand += int(after * 1.5) + 200
        on_hand -= sold.get((d, wh, code), 0)
        out[(d, wh, code)] = (on_hand, 0)
