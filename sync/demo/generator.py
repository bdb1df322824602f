"""The demo world: buyers, their platform accounts, orders, payment attempts, stock and behaviour.

Everything comes from one `random.Random(seed)` and the end date, walked in a fixed order, so the
same seed and date give the same world (and the writers the same bytes). Money is kept in integer
fen (cents) until it is written.

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
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from shopql.sync.demo import assortment as A
from shopql.sync.demo.people import Account, Person, make_people

PLATFORMS = ("tmall", "jd", "pdd", "douyin", "shopify")
DAYS = 548  # 18 months
LIVE_DAYS_AGO = 12
LAUNCH_DAYS_BEFORE_LIVE = 50
RESTOCK_DAYS_AFTER_LIVE = 8
INCIDENT_CHANNEL = "wechat"
INCIDENT_START = time(20, 40)
INCIDENT_MINUTES = 20
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


@dataclass
class Line:
    """One order line (Tmall 子订单, Douyin 子订单, JD SKU row, Shopify line item)."""

    product: A.Product
    qty: int
    unit: int  # unit price, fen
    discount: int = 0  # allocated order discount, fen
    refund: int = 0  # refunded, fen
    sub_no: str = ""

    @property
    def gross(self) -> int:
        return self.unit * self.qty

    @property
    def paid(self) -> int:
        return self.gross - self.discount


@dataclass
class Attempt:
    """One payment attempt as the gateway logs it."""

    txn: str
    at: datetime
    channel: str
    ok: bool
    error: str = ""


@dataclass
class Order:
    platform: str
    no: str
    account: Account
    created: datetime
    lines: list[Line]
    shipping: int = 0
    status: str = "pending"  # canonical: pending paid shipped completed cancelled refunded
    paid_at: datetime | None = None
    shipped_at: datetime | None = None
    finished_at: datetime | None = None
    channel: str = ""
    attempts: list[Attempt] = field(default_factory=list)
    pickup: bool = False  # store pickup: the contact phone is the shop's own
    seq: int = 0
    refunded_at: datetime | None = None

    @property
    def goods(self) -> int:
        return sum(line.gross for line in self.lines)

    @property
    def discount(self) -> int:
        return sum(line.discount for line in self.lines)

    @property
    def payable(self) -> int:
        return self.goods - self.discount + self.shipping

    @property
    def refund(self) -> int:
        return sum(line.refund for line in self.lines)


@dataclass
class World:
    """Everything the writers need, plus the planted facts and the identity truth."""

    seed: int
    scale: float
    start: date
    end: date  # exclusive: orders run up to the end of the day before
    people: list[Person]
    accounts: list[Account]
    orders: list[Order]
    stock: dict[
        tuple[date, str, str], tuple[int, int]
    ]  # (day, warehouse, code) -> (on_hand, reserved)
    events: list[tuple[datetime, str, str, str, str]]  # time, platform, user, type, outer_code
    facts: dict[str, object]


def build_world(seed: int, scale: float, today: date) -> World:
    """The whole demo world for `seed`, `scale` and the day the demo runs."""
    rng = random.Random(seed)
    start = today - timedelta(days=DAYS)
    people, accounts = make_people(rng, scale, start, today, _day_weights(start, today))
    builder = _OrderBuilder(rng, scale, start, today)
    orders = builder.run(accounts)
    stock = _stock(rng, orders, start, today, builder)
    from shopql.sync.demo.behaviour import behaviour_events

    events = behaviour_events(rng, orders, accounts, builder.hot_window)
    world = World(seed, scale, start, today, people, accounts, orders, stock, events, {})
    world.facts = _facts(world, builder)
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


def fen(amount: float) -> int:
    return int(round(amount * 100))


class _OrderBuilder:
    """Walks the days in order and writes the orders of each."""

    def __init__(self, rng: random.Random, scale: float, start: date, end: date) -> None:
        self.rng = rng
        self.scale = scale
        self.start = start
        self.end = end
        self.live = end - timedelta(days=LIVE_DAYS_AGO)
        self.launch = self.live - timedelta(days=LAUNCH_DAYS_BEFORE_LIVE)
        self.restock = self.live + timedelta(days=RESTOCK_DAYS_AFTER_LIVE)
        self.incident = datetime.combine(self.live, INCIDENT_START)
        self.sold_out_at: datetime | None = None
        self.hot_stock_live_morning = 0
        self.seq = 0
        self.txn = 0
        self.counters = {p: 0 for p in PLATFORMS}
        self.follow_ups: dict[date, list[tuple[Account, A.Product]]] = {}
        self.assortment: dict[tuple[str, date], tuple[list[A.Product], list[float]]] = {}

    @property
    def hot_window(self) -> tuple[datetime, datetime]:
        """While the hot product was sold out: from the last sale to the restock."""
        assert self.sold_out_at is not None
        return self.sold_out_at, datetime.combine(self.restock, time(0, 0))

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
            if day == self.live:
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
            if day < self.launch or self.live <= day < self.restock:
                return 0.0
            w = 1.2 if day < self.live else 3.0
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
        if day != self.live:
            return orders

        def hot_qty(o: Order) -> int:
            return sum(ln.qty for ln in o.lines if ln.product.outer_code == A.HOT_PRODUCT)

        stock = int(sum(hot_qty(o) for o in orders if o.paid_at) * 0.7)
        self.hot_stock_live_morning = stock
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
        self.hot_stock_live_morning -= stock  # the last buyers wanted more than was left
        self.sold_out_at = last_sale
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


def order_as_of(o: Order, t: datetime) -> Order | None:
    """The order as an export taken at `t` shows it (None if it did not exist yet)."""
    if o.created > t:
        return None
    view = replace(o, lines=[replace(line) for line in o.lines])
    if o.refunded_at is None or o.refunded_at > t:
        for line in view.lines:
            line.refund = 0
    if o.paid_at is None or o.paid_at > t:
        view.paid_at = view.shipped_at = view.finished_at = None
        view.status = "pending" if t - o.created < timedelta(hours=24) else "cancelled"
        return view
    if o.shipped_at is None or o.shipped_at > t:
        view.shipped_at = None
    if o.finished_at is None or o.finished_at > t:
        view.finished_at = None
    if o.status == "refunded" and view.refund:
        view.status = "refunded"
    else:
        view.status = "completed" if view.finished_at else "shipped" if view.shipped_at else "paid"
    return view


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


# -- stock ------------------------------------------------------------------------------------
SOUTH = {"广东省", "福建省", "云南省", "四川省", "重庆", "湖南省"}


def warehouse_for(o: Order) -> str:
    """Southern buyers ship from Dongguan, the rest (and the viral coat) from Jiaxing."""
    if o.account.person.province in SOUTH and all(
        ln.product.outer_code != A.HOT_PRODUCT for ln in o.lines
    ):
        return A.WAREHOUSES[1]
    return A.WAREHOUSES[0]


def _stock(
    rng: random.Random, orders: list[Order], start: date, end: date, b: _OrderBuilder
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
                    _hot_stock(days, sold, wh, b, out)
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
    b: _OrderBuilder,
    out: dict[tuple[date, str, str], tuple[int, int]],
) -> None:
    code = A.HOT_PRODUCT
    before = sum(sold.get((d, wh, code), 0) for d in days if b.launch <= d < b.live)
    after = sum(sold.get((d, wh, code), 0) for d in days if d >= b.restock)
    on_hand = b.hot_stock_live_morning + before
    for d in days:
        if d < b.launch:
            continue
        if d == b.restock:
            on_hand += int(after * 1.5) + 200
        on_hand -= sold.get((d, wh, code), 0)
        out[(d, wh, code)] = (on_hand, 0)


# -- ground truth and facts -------------------------------------------------------------------
def exposed_identifiers(o: Order) -> list[str]:
    """Full phones and e-mails an order shows in its platform's export (masked ones excluded)."""
    acc = o.account
    person = acc.person
    out: list[str] = []
    if o.platform == "tmall" and not acc.masked and not o.pickup:
        out.append("phone:" + person.phone)
    elif o.platform == "jd":
        if not acc.masked:
            out.append("phone:" + person.phone)
        if acc.email_shown:
            out.append("email:" + acc.email_shown.lower())
    elif o.platform == "shopify":
        out.append("email:" + (acc.email_shown or "").lower())
        if acc.phone_shown:
            out.append("phone:" + person.phone)
    return out


def identity_truth(world: World) -> list[dict[str, str]]:
    """Per account: its person, and the group an exact OneID must put it in (shared full ids)."""
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index = {id(a): n for n, a in enumerate(world.accounts)}
    seen: dict[str, int] = {}
    used: set[int] = set()
    for o in world.orders:
        n = index[id(o.account)]
        used.add(n)
        parent.setdefault(n, n)
        for ident in exposed_identifiers(o):
            if ident in seen:
                parent[find(n)] = find(seen[ident])
            else:
                seen[ident] = n
    rows = []
    for n, acc in enumerate(world.accounts):
        if n not in used:
            continue
        root = world.accounts[find(n)]
        rows.append(
            {
                "person_id": acc.person.pid,
                "platform": acc.platform,
                "account": acc.key,
                "oneid_group": f"{root.platform}:{root.key}",
                "identified": "yes" if acc.platform in {"tmall", "jd", "shopify"} else "no",
                "pickup_trap": "yes" if acc.pickup else "",
                "masked_phone": "yes" if acc.masked and acc.platform in {"tmall", "jd"} else "",
            }
        )
    return rows


def _facts(world: World, b: _OrderBuilder) -> dict[str, object]:
    """What the demo planted, for the tour, the tests and later alert and metric work."""
    orders = world.orders
    per_platform = {p: sum(1 for o in orders if o.platform == p) for p in PLATFORMS}
    return {
        "seed": world.seed,
        "scale": world.scale,
        "first_day": world.start.isoformat(),
        "last_day": (world.end - timedelta(days=1)).isoformat(),
        "orders": per_platform,
        "order_lines": sum(len(o.lines) for o in orders),
        "payment_attempts": {
            p: sum(len(o.attempts) for o in orders if o.platform == p) for p in PLATFORMS
        },
        "hot_product": _hot_facts(world, b),
        "payment_incident": _incident_facts(world, b),
        "sofa_and_coffee_table": _sofa_facts(world),
        "identity": _identity_facts(world),
        "promotions": sorted(
            {
                f"{d:%Y-%m-%d}"
                for d in (world.start + timedelta(days=i) for i in range(DAYS))
                if (d.month, d.day) in {(6, 18), (11, 11)}
            }  # fmt: skip
        ),
    }


def _hot_facts(world: World, b: _OrderBuilder) -> dict[str, object]:
    hot = next(p for p in A.PRODUCTS if p.outer_code == A.HOT_PRODUCT)
    assert b.sold_out_at is not None
    live_units = sum(
        ln.qty for o in world.orders if o.created.date() == b.live and o.paid_at
        for ln in o.lines if ln.product.outer_code == A.HOT_PRODUCT
    )  # fmt: skip
    return {
        "outer_code": hot.outer_code,
        "title": hot.title,
        "warehouse": A.WAREHOUSES[0],
        "launched": b.launch.isoformat(),
        "live_session_start": f"{b.live.isoformat()} 20:00:00",
        "stock_at_live_start": b.hot_stock_live_morning,
        "units_sold_in_live_session": live_units,
        "sold_out_at": b.sold_out_at.isoformat(sep=" "),
        "first_zero_snapshot": b.live.isoformat(),
        "restocked": f"{b.restock.isoformat()} 00:00:00",
    }


def _incident_facts(world: World, b: _OrderBuilder) -> dict[str, object]:
    """Attempts in the outage window as the gateway log (payments 'gw:…') records them."""
    end = b.incident + timedelta(minutes=INCIDENT_MINUTES)
    rates: dict[str, list[int]] = {}
    for o in world.orders:
        if o.platform == "shopify":  # Shopify's payments come from its own export
            continue
        for a in o.attempts:
            if b.incident <= a.at < end:
                r = rates.setdefault(a.channel, [0, 0])
                r[0] += a.ok
                r[1] += 1
    return {
        "channel": INCIDENT_CHANNEL,
        "start": b.incident.isoformat(sep=" "),
        "end": end.isoformat(sep=" "),
        "minutes": INCIDENT_MINUTES,
        "attempts_in_window": {
            c: {"success": s, "attempts": n} for c, (s, n) in sorted(rates.items())
        },
    }


def _sofa_facts(world: World) -> dict[str, object]:
    """Sofa buyers and who of them bought a coffee table at or after the first sofa order.

    Counted per OneID person (what `customers.one_id` can see: the expected groups of the
    identity truth) and per real person (what no export can fully show).
    """
    group = {(r["platform"], r["account"]): r["oneid_group"] for r in identity_truth(world)}
    by_one_id = _sofa_counts(world, lambda o: group[(o.platform, o.account.key)])
    by_person = _sofa_counts(world, lambda o: o.account.person.pid)
    return {
        **by_one_id,
        "by_real_person": by_person,
        "rule": "orders paid and not refunded; a coffee table ordered at or after the first sofa",
        "sofa_codes": list(A.SOFAS),
        "coffee_table_codes": list(A.COFFEE_TABLES),
    }


def _sofa_counts(world: World, key: Callable[[Order], str]) -> dict[str, int]:
    sofa: dict[str, tuple[datetime, str]] = {}
    tables: dict[str, list[tuple[datetime, str]]] = {}
    for o in world.orders:
        if o.paid_at is None or o.status == "refunded":
            continue
        who = key(o)
        codes = {ln.product.outer_code for ln in o.lines}
        if codes & set(A.SOFAS) and (who not in sofa or o.created < sofa[who][0]):
            sofa[who] = (o.created, o.platform)
        if codes & set(A.COFFEE_TABLES):
            tables.setdefault(who, []).append((o.created, o.platform))
    later = {w: [pl for t, pl in tables.get(w, []) if t >= sofa[w][0]] for w in sofa}
    return {
        "sofa_buyers": len(sofa),
        "also_bought_coffee_table": sum(1 for w in sofa if later[w]),
        "coffee_table_on_another_platform": sum(
            1 for w in sofa if any(pl != sofa[w][1] for pl in later[w])
        ),
    }


def _identity_facts(world: World) -> dict[str, object]:
    truth = [r for r in identity_truth(world) if r["identified"] == "yes"]
    groups: dict[str, int] = {}
    for r in truth:
        groups[r["oneid_group"]] = groups.get(r["oneid_group"], 0) + 1
    multi = [n for n in groups.values() if n > 1]
    return {
        "people": len(world.people),
        "identified_accounts": len(truth),
        "expected_persons": len(groups),
        "cross_platform_persons": len(multi),
        "accounts_in_cross_platform_persons": sum(multi),
        "shop_phone_trap": {
            "phone": A.SHOP_PHONE,
            "accounts": sum(1 for r in truth if r["pickup_trap"]),
        },
        "masked_phone_accounts": sum(1 for r in truth if r["masked_phone"]),
    }
