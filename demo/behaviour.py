"""View / cart / fav / buy events around the orders, plus browsing that never turns into a sale."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from itertools import accumulate
from typing import TYPE_CHECKING

from shopql.demo import assortment as A

if TYPE_CHECKING:
    from shopql.demo.model import Order
    from shopql.demo.people import Account

Event = tuple[datetime, str, str, str, str]  # time, platform, user key, event type, outer code


def behaviour_events(
    rng: random.Random,
    orders: list[Order],
    accounts: list[Account],
    sold_out: tuple[datetime, datetime],
) -> list[Event]:
    """Events sorted by time: the path to each order, idle browsing, and demand while sold out."""
    events: list[Event] = []
    by_category: dict[str, list[str]] = {}
    for p in A.PRODUCTS:
        by_category.setdefault(p.category, []).append(p.outer_code)
    for o in orders:
        _order_path(rng, o, by_category, events)
    _browsing(rng, orders, events)
    _sold_out_demand(rng, accounts, sold_out, events)
    events.sort()
    return events


def _order_path(
    rng: random.Random, o: Order, by_category: dict[str, list[str]], out: list[Event]
) -> None:
    user, platform = o.account.key, o.platform
    for line in o.lines:
        code = line.product.outer_code
        for _ in range(rng.choices((1, 2, 3, 4), (40, 30, 20, 10))[0]):
            out.append(
                (
                    o.created - timedelta(seconds=rng.randint(60, 72 * 3600)),
                    platform,
                    user,
                    "view",
                    code,
                )
            )
        if rng.random() < 0.6:
            out.append(
                (o.created - timedelta(seconds=rng.randint(20, 3600)), platform, user, "cart", code)
            )
        if rng.random() < 0.15:
            out.append(
                (o.created - timedelta(seconds=rng.randint(30, 7200)), platform, user, "fav", code)
            )
        for other in rng.sample(by_category[line.product.category], k=1):
            if other != code:
                out.append(
                    (
                        o.created - timedelta(seconds=rng.randint(60, 48 * 3600)),
                        platform,
                        user,
                        "view",
                        other,
                    )
                )
        if o.paid_at is not None:
            out.append((o.paid_at, platform, user, "buy", code))
        if code in A.SOFAS and rng.random() < 0.8:  # sofa buyers look at coffee tables
            table = rng.choice(A.COFFEE_TABLES)
            for _ in range(rng.randint(1, 3)):
                out.append(
                    (
                        o.created + timedelta(hours=rng.uniform(1, 14 * 24)),
                        platform,
                        user,
                        "view",
                        table,
                    )
                )


def _browsing(rng: random.Random, orders: list[Order], out: list[Event]) -> None:
    """Visitors who look and leave: about three views per order, a few carts."""
    listed = [p for p in A.PRODUCTS if p.outer_code != A.HOT_PRODUCT]
    small = [p for p in listed if p.category != "家具"]  # PDD and Douyin list no furniture
    choices = {
        big: ([p.outer_code for p in ps], list(accumulate(p.weight for p in ps)))
        for big, ps in ((True, listed), (False, small))
    }
    for o in orders:
        codes, cum = choices[o.platform not in {"pdd", "douyin"}]
        for _ in range(3):
            visitor = f"visitor_{rng.randrange(10**9):09d}"
            at = o.created + timedelta(seconds=rng.randint(-6 * 3600, 6 * 3600))
            code = rng.choices(codes, cum_weights=cum)[0]
            out.append((at, o.platform, visitor, "view", code))
            if rng.random() < 0.08:
                out.append(
                    (
                        at + timedelta(seconds=rng.randint(10, 600)),
                        o.platform,
                        visitor,
                        "cart",
                        code,
                    )
                )


def _sold_out_demand(
    rng: random.Random, accounts: list[Account], window: tuple[datetime, datetime], out: list[Event]
) -> None:
    """While the coat is sold out people keep viewing and carting it; nobody can buy."""
    start, end = window
    douyin = [a for a in accounts if a.platform == "douyin" and a.arrival <= start.date()]
    hours = int((end - start).total_seconds() // 3600)
    for h in range(hours):
        for _ in range(rng.randint(2, 6)):
            acc = rng.choice(douyin)
            at = start + timedelta(hours=h, seconds=rng.randrange(3600))
            out.append((at, "douyin", acc.key, "view", A.HOT_PRODUCT))
            if rng.random() < 0.3:
                out.append(
                    (
                        at + timedelta(seconds=rng.randint(5, 120)),
                        "douyin",
                        acc.key,
                        "cart",
                        A.HOT_PRODUCT,
                    )
                )
