"""The demo world's data: orders with their lines and payment attempts, and the world itself.

Money is kept in integer fen (cents) until it is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from shopql.demo import assortment as A
from shopql.demo.people import Account, Person

PLATFORMS = ("tmall", "jd", "pdd", "douyin", "shopify")
INCIDENT_CHANNEL = "wechat"
INCIDENT_START = time(20, 40)
INCIDENT_MINUTES = 20


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
    hot: HotPlan
    incident_at: datetime  # start of the payment outage
    facts: dict[str, object] = field(default_factory=dict)


@dataclass
class HotPlan:
    """The viral coat: launched, sold out in a live session, restocked."""

    launch: date
    live: date
    restock: date
    stock_at_live: int = 0
    sold_out_at: datetime | None = None

    @property
    def sold_out_window(self) -> tuple[datetime, datetime]:
        """While it was sold out: from the last sale to the restock."""
        assert self.sold_out_at is not None
        return self.sold_out_at, datetime.combine(self.restock, time(0, 0))


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


def fen(amount: float) -> int:
    return int(round(amount * 100))
