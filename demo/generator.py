"""The demo world: buyers, their platform accounts, orders, payment attempts, stock and behaviour.

Everything comes from one `random.Random(seed)` and the end date, walked in a fixed order, so the
same seed and date give the same world (and the writers the same bytes). Money is kept in integer
fen (cents) until it is written (see model.py).

Planted facts, recorded in `World.facts`:
- a coat goes viral in a Douyin live session on one evening and sells out (stock 0) that night,
  to be restocked eight days later;
- WeChat Pay's success rate collapses for 20 minutes during that live session;
- sofa buyers of whom some also buy a coffee table, sometimes on another platform;
- buyers on several platforms that share a phone or e-mail (the OneID ground truth), with masked
  phones and the shop's own phone on store-pickup orders as traps that must not join people.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from shopql.demo import assortment as A
from shopql.demo.behaviour import behaviour_events
from shopql.demo.model import (
    INCIDENT_CHANNEL,
    INCIDENT_MINUTES,
    INCIDENT_START,
    PLATFORMS,
    Attempt,
    HotPlan,
    Line,
    Order,
    World,
    fen,
)
from shopql.demo.people import Account, make_people
from shopql.demo.stock import daily_stock
from shopql.demo.truth import planted_facts

DAYS = 548  # 18 months
LIVE_DAYS_AGO = 12
LAUNCH_DAYS_BEFORE_LIVE = 50
RESTOCK_DAYS_AFTER_LIVE = 8
CHANNELS = {
    "tmall": (("alipay", 0.86), ("card", 0.14)),
    "jd": (("wechat", 0.5), ("unionpay", 0.3), ("card", 0.2)),
    "pdd": (("wechat", 0.7), ("alipay", 0.3)),
    "douyin": (("wechat", 0.45), ("alipay", 0.55)),
    "shopify": (("card", 0.6), ("alipay", 0.2), ("wechat", 0.2)),
}
FAIL_REASONS = ("INSUFFICIENT_BALANCE", "USER_CANCELLED", "RISK_CONTROL", "BANK_DECLINED")
HOURS = (
    (0, 2.0),
    (1, 1.0),
    (2, 0.5),
    (3, 0.3),
    (4, 0.2),
    (5, 0.3),
    (6, 0.8),
    (7, 1.5),
    (8, 2.5),
    (9, 3.5),
    (10, 5.0),
    (11, 5.0),
    (12, 4.5),
    (13, 4.0),
    (14, 4.0),
    (15, 4.0),
    (16, 4.0),
    (17, 4.0),
    (18, 4.0),
    (19, 5.0),
    (20, 6.5),
    (21, 7.0),
    (22, 6.0),
    (23, 4.0),
)
HOUR_VALUES = [h for h, _ in HOURS]
HOUR_CUM = list(accumulate(w for _, w in HOURS))
MONTHS = (0.9, 0.6, 0.9, 0.9, 1.0, 1.15, 0.85, 0.85, 1.0, 1.1, 1.5, 1.3)


def build_world(seed: int, scale: float, today: date) -> World:
    """The whole demo world for `seed`, `scale` and the day the demo runs."""
    rng = random.Random(seed)
    start = today - timedelta(days=DAYS)
    people, accounts = make_people(rng, scale, start, today, _day_weights(start, today))
    builder = _OrderBuilder(rng, scale, start, today)
    orders = builder.run(accounts)
    stock = daily_stock(orders, start, today, builder.hot)
    events = behaviour_events(rng, orders, accounts, builder.hot.sold_out_window)
    world = World(
        seed, scale, start, today, people, accounts, orders, stock, events, builder.hot,
        builder.incident,
    )  # fmt: skip
    world.facts = planted_facts(world, DAYS)
    return world


def _day_weights(start: date, end: date) -> list[float]:
    """Relative order volume per day: season, weekday, growth and promotion peaks."""
    days = (end - start).days
    out = []
    for i in range(days):
        d = start + timedelta(days=i)
        w = MONTHS[d.month - 1] * (1.15 if d.weekday() >= 5 else 1.0) * (0.8 + 0.4 * i / days)
        out.append(w * _promo(d))
    return out


def _promo(d: date) -> float:
    """Promotion multipliers: 618, 双十一 (pre-sale and waves), 双十二, 年货节."""
    md = (d.month, d.day)
    peaks = {(6, 18): 5.0, (6, 17): 2.0, (6, 16): 1.8, (11, 11): 8.0, (11, 10): 1.8,
             (11, 12): 1.5, (12, 12): 2.5, (11, 1): 2.5, (11, 2): 2.0, (11, 3): 1.6}  # fmt: skip
    if md in peaks:
        return peaks[md]
    if d.month == 6 and d.day <= 20:
        return 1.4
    if (d.month == 10 and d.day >= 24) or (d.month == 11 and d.day <= 12):
        return 1.5
    return 1.0


def is_promo_day(d: date) -> bool:
    return _promo(d) >= 1.4


class _OrderBuilder:
    """Walks the days in order and writes the orders of each."""

    def __init__(self, rng: random.Random, scale: float, start: date, end: date) -> None:
        self.rng = rng
        self.scale = scale
        self.start = start
        self.end = end
        live = end - timedelta(days=LIVE_DAYS_AGO)
        self.hot = HotPlan(
            launch=live - timedelta(days=LAUNCH_DAYS_BEFORE_LIVE),
            live=live,
            restock=live + timedelta(days=RESTOCK_DAYS_AFTER_LIVE),
        )
        self.incident = datetime.combine(live, INCIDENT_START)
        self.seq = 0
        self.txn = 0
        self.counters = {p: 0 for p in PLATFORMS}
        self.follow_ups: dict[date, list[tuple[Account, A.Product]]] = {}
        self.assortment: dict[tuple[str, date], tuple[list[A.Product], list[float]]] = {}

    def run(self, accounts: list[Account]) -> list[Order]:
        arrivals: dict[date, list[Account]] = {}
        for acc in accounts:
            arrivals.setdefault(acc.arrival, []).append(acc)
        pool: list[Account] = []
        weights = _day_weights(self.start, self.end)
        target = 20000 * self.scale
        per_day = target / sum(weights)
        orders: list[Order] = []
        for i, w in enumerate(weights):
            day = self.start + timedelta(days=i)
            todays = arrivals.get(day, [])
            n_repeat = max(
                0, round(self.rng.gauss(w * per_day, (w * per_day) ** 0.5)) - len(todays)
            )
            buyers = list(todays)
            if pool:
                buyers += [self.rng.choice(pool) for _ in range(n_repeat)]
            for acc in todays:
                pool.extend([acc] * acc.loyalty)
            day_orders = [self._order(acc, day) for acc in buyers]
            day_orders += [self._order(acc, day, [p]) for acc, p in self.follow_ups.pop(day, [])]
            if day == self.hot.live:
                day_orders += self._live_session(pool, day)
            day_orders.sort(key=lambda o: (o.created, o.platform, o.account.key))
            orders.extend(self._stock_check([self._finish(o) for o in day_orders], day))
        return orders

    # -- one order ---------------------------------------------------------------------------
    def _order(self, acc: Account, day: date, products: list[A.Product] | None = None) -> Order:
        rng = self.rng
        created = self._time(day)
        if products is None:
            n = 1 if acc.platform in {"pdd", "douyin"} else rng.choices((1, 2, 3), (70, 22, 8))[0]
            products = self._pick_products(acc.platform, day, n)
        lines = [Line(p, rng.choices((1, 2, 3), (85, 12, 3))[0], self._price(p, acc.platform))
                 for p in products]  # fmt: skip
        if any(p.outer_code in A.SOFAS for p in products):
            for line in lines:
                line.qty = 1
        order = Order(acc.platform, "", acc, created, lines)
        self._discount(order, day)
        if acc.platform == "shopify" and order.goods - order.discount < fen(299):
            order.shipping = fen(15)
        if acc.platform == "jd" and order.goods - order.discount < fen(99):
            order.shipping = fen(6)
        order.pickup = acc.pickup and (acc.orders == 0 or rng.random() < 0.7)
        acc.orders += 1
        if any(p.outer_code in A.SOFAS for p in products) and acc.platform in {
            "tmall",
            "jd",
            "shopify",
        }:
            self._maybe_coffee_table(acc, day)
        return order

    def _time(self, day: date) -> datetime:
        rng = self.rng
        if (day.month, day.day) in {(11, 11), (6, 18)} and rng.random() < 0.25:
            hour = 0  # the midnight rush when the big promotion opens
        else:
            hour = rng.choices(HOUR_VALUES, cum_weights=HOUR_CUM)[0]
        return datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))

    def _pick_products(self, platform: str, day: date, n: int) -> list[A.Product]:
        key = (platform, day)
        if key not in self.assortment:
            if any(d != day for _, d in self.assortment):
                self.assortment.clear()  # one day at a time
            pool = [p for p in A.PRODUCTS if self._weight(p, platform, day) > 0]
            cum = list(accumulate(self._weight(p, platform, day) for p in pool))
            self.assortment[key] = (pool, cum)
        pool, cum = self.assortment[key]
        picked: list[A.Product] = []
        for _ in range(n):
            p = self.rng.choices(pool, cum_weights=cum)[0]
            if p not in picked:
                picked.append(p)
        return picked

    def _weight(self, p: A.Product, platform: str, day: date) -> float:
        if p.category == "家具" and platform in {"pdd", "douyin"}:
            return 0.0
        w = p.weight
        winter = day.month in {11, 12, 1, 2}
        summer = day.month in {5, 6, 7, 8}
        if p.season == "winter":
            w *= 2.0 if winter else 0.25 if summer else 1.0
        elif p.season == "summer":
            w *= 2.0 if summer else 0.2 if winter else 1.0
        if p.outer_code == A.HOT_PRODUCT:
            if day < self.hot.launch or self.hot.live <= day < self.hot.restock:
                return 0.0
            w = 1.2 if day < self.hot.live else 3.0
            if platform == "douyin":
                w *= 3
        return w

    def _price(self, p: A.Product, platform: str) -> int:
        factor = {"tmall": 1.0, "jd": 1.0, "pdd": 0.88, "douyin": 0.95, "shopify": 1.05}[platform]
        return fen(round(p.price * factor) - (0.1 if platform == "pdd" else 0))

    def _discount(self, order: Order, day: date) -> None:
        rng = self.rng
        if is_promo_day(day):
            share = rng.choice((0.1, 0.15, 0.2, 0.25))
        else:
            share = rng.choices((0.0, 0.05, 0.1), (70, 20, 10))[0]
        for line in order.lines:
            line.discount = int(line.gross * share) // 100 * 100

    def _maybe_coffee_table(self, acc: Account, day: date) -> None:
        if self.rng.random() >= 0.4:
            return
        later = day + timedelta(days=self.rng.randint(3, 30))
        if later >= self.end:
            return
        others = [a for a in acc.person.accounts if a is not acc and a.arrival <= day
                  and a.platform in {"tmall", "jd", "shopify"}]  # fmt: skip
        target = self.rng.choice(others) if others and self.rng.random() < 0.5 else acc
        code = self.rng.choice(A.COFFEE_TABLES)
        table = next(p for p in A.PRODUCTS if p.outer_code == code)
        self.follow_ups.setdefault(later, []).append((target, table))

    # -- the live session and the hot product's stock -----------------------------------------
    def _live_session(self, pool: list[Account], day: date) -> list[Order]:
        """A Douyin live session 20:00-22:00 that sells the coat out."""
        rng = self.rng
        hot = next(p for p in A.PRODUCTS if p.outer_code == A.HOT_PRODUCT)
        douyin = [a for a in pool if a.platform == "douyin"] or pool
        out = []
        for _ in range(max(90, int(320 * self.scale))):
            acc = rng.choice(douyin) if rng.random() < 0.8 else rng.choice(pool)
            order = self._order(acc, day, [hot])
            minute = min(119, int(abs(rng.gauss(45, 25))))
            order.created = datetime.combine(
                day, time(20 + minute // 60, minute % 60, rng.randrange(60))
            )
            out.append(order)
        return out

    def _stock_check(self, orders: list[Order], day: date) -> list[Order]:
        """On the live day the coat's stock is what 70% of the paying session wants; stock goes
        at payment, and once it is gone nobody can order the coat any more."""
        if day != self.hot.live:
            return orders

        def hot_qty(o: Order) -> int:
            return sum(ln.qty for ln in o.lines if ln.product.outer_code == A.HOT_PRODUCT)

        stock = int(sum(hot_qty(o) for o in orders if o.paid_at) * 0.7)
        self.hot.stock_at_live = stock
        kept: list[Order] = []
        last_sale: datetime | None = None
        for o in sorted(orders, key=lambda o: (o.paid_at or o.created, o.seq)):
            qty = hot_qty(o)
            if qty and qty > stock:
                continue  # sold out (or not enough left) when this buyer came
            if qty and o.paid_at:
                stock -= qty
                last_sale = o.paid_at
            kept.append(o)
        self.hot.stock_at_live -= stock  # the last buyers wanted more than was left
        self.hot.sold_out_at = last_sale
        kept.sort(key=lambda o: o.seq)
        return kept

    # -- statuses, payments, refunds ------------------------------------------------------------
    def _finish(self, o: Order) -> Order:
        rng = self.rng
        self.counters[o.platform] += 1
        self.seq += 1
        o.seq = self.seq
        o.no = order_number(o.platform, self.counters[o.platform], o.created, rng)
        for i, line in enumerate(o.lines):
            line.sub_no = sub_number(o, i)
        cutoff = datetime.combine(self.end, time(0))
        channel = rng.choices(
            [c for c, _ in CHANNELS[o.platform]], [w for _, w in CHANNELS[o.platform]]
        )[0]
        paid = self._pay(o, channel, rng.random() >= 0.06)
        if not paid:
            o.status = "pending" if cutoff - o.created < timedelta(hours=24) else "cancelled"
            return o
        assert o.paid_at is not None
        o.shipped_at = o.paid_at + timedelta(hours=rng.uniform(3, 52))
        o.finished_at = o.shipped_at + timedelta(days=rng.uniform(2, 10))
        o.status = "completed"
        if o.finished_at >= cutoff:
            o.finished_at, o.status = None, "shipped"
        if o.shipped_at >= cutoff:
            o.shipped_at, o.status = None, "paid"
        r = rng.random()
        after = timedelta(days=rng.uniform(0.5, 5))
        if r < 0.07 and o.shipped_at and o.shipped_at + after < cutoff:
            for line in o.lines:
                line.refund = line.paid
            o.status, o.refunded_at = "refunded", o.shipped_at + after
        elif r < 0.10 and len(o.lines) > 1 and o.finished_at and o.finished_at + after < cutoff:
            o.lines[-1].refund = o.lines[-1].paid
            o.refunded_at = o.finished_at + after
        return o

    def _pay(self, o: Order, channel: str, willing: bool) -> bool:
        """Payment attempts: occasional declines, and the 20-minute WeChat Pay outage."""
        rng = self.rng
        if not willing and rng.random() < 0.4:
            return False  # placed and left without trying to pay
        at = o.created + timedelta(seconds=rng.randint(8, 120))
        end = self.incident + timedelta(minutes=INCIDENT_MINUTES)
        tries = 0
        while True:
            tries += 1
            in_outage = channel == INCIDENT_CHANNEL and self.incident <= at < end
            if in_outage:
                ok = rng.random() < 0.12
                error = "CHANNEL_UNAVAILABLE" if rng.random() < 0.6 else "SYSTEM_TIMEOUT"
            else:
                ok = willing and rng.random() >= (0.05 if tries == 1 else 0.02)
                error = rng.choice(FAIL_REASONS) if willing else "USER_CANCELLED"
            self.txn += 1
            o.attempts.append(
                Attempt(f"T{o.created:%Y%m%d}{self.txn:08d}", at, channel, ok, "" if ok else error)
            )
            if ok:
                o.paid_at, o.channel = at, channel
                return True
            if not willing and tries >= 1 and rng.random() < 0.5:
                return False
            if tries >= 4 or (not in_outage and tries >= 2):
                return False
            at += timedelta(seconds=rng.randint(15, 90))
            if in_outage and tries >= 2 and rng.random() < 0.6:
                channel = "alipay"  # the buyer gives up on WeChat Pay and switches


def order_number(platform: str, n: int, created: datetime, rng: random.Random) -> str:
    """A platform-shaped order number, unique per platform."""
    if platform == "tmall":
        return (
            f"{3000 + created.year % 10 * 100 + created.month:04d}{n:08d}{rng.randrange(10**7):07d}"
        )
    if platform == "jd":
        return f"{280000000000 + n * 97 + rng.randrange(97)}"
    if platform == "pdd":
        return f"{created:%y%m%d}-{n:07d}{rng.randrange(10**8):08d}"
    if platform == "douyin":
        return f"69{created:%y%m}{n:07d}{rng.randrange(10**6):06d}"
    return f"#{1000 + n}"


def sub_number(o: Order, i: int) -> str:
    if o.platform == "tmall":
        return f"{o.no[:-1]}{i + 1}" if len(o.lines) > 1 else o.no
    if o.platform == "douyin":
        return f"{o.no[:-2]}{i + 11}"
    return f"{o.no}-{i + 1}"
