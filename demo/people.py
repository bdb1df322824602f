"""Buyers and their accounts on each platform, with the identity traps OneID must not fall into."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from shopql.demo import assortment as A

PLATFORM_WEIGHTS = {"tmall": 0.34, "jd": 0.2, "pdd": 0.16, "douyin": 0.2, "shopify": 0.1}
IDENTIFIED = ("tmall", "jd", "shopify")  # platforms whose exports name the buyer


@dataclass(eq=False)
class Person:
    """A real human being (the ground truth OneID tries to recover)."""

    pid: str
    name: str
    phone: str
    email: str | None
    province: str
    city: str
    district: str
    street: str
    accounts: list[Account] = field(default_factory=list)


@dataclass(eq=False)
class Account:
    """One person's account on one platform, and what that platform's export shows of them."""

    platform: str
    key: str  # buyer key as exported (nick, JD account, e-mail) or an internal id
    person: Person
    arrival: date  # day of the first order
    loyalty: int  # weight among returning buyers
    masked: bool = False  # the platform shows only a masked phone (privacy protection)
    email_shown: str | None = None  # e-mail as written in this platform's export
    phone_shown: str | None = None  # phone as written where it differs from the plain 11 digits
    pickup: bool = False  # picks orders up in the flagship store (contact phone = shop phone)
    orders: int = 0


def mask(phone: str) -> str:
    return phone[:3] + "****" + phone[7:]


class _Uniq:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.phones: set[str] = {A.SHOP_PHONE}
        self.keys: set[str] = set()
        self.emails: set[str] = set()

    def phone(self) -> str:
        while True:
            p = self.rng.choice(A.PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if p not in self.phones:
                self.phones.add(p)
                return p

    def email(self, make: str) -> str:
        local, domain = make.split("@")
        email, n = make, 1
        while email in self.emails:
            n += 1
            email = f"{local}{n}@{domain}"
        self.emails.add(email)
        return email

    def key(self, make: str) -> str:
        key, n = make, 1
        while key in self.keys:
            n += 1
            key = f"{make}{n}"
        self.keys.add(key)
        return key


def make_people(
    rng: random.Random, scale: float, start: date, end: date, day_weights: list[float]
) -> tuple[list[Person], list[Account]]:
    """Persons and their accounts, accounts sorted by their first order day."""
    uniq = _Uniq(rng)
    day_cum = list(accumulate(day_weights))
    people = [_person(rng, uniq, i) for i in range(max(600, round(8500 * scale)))]
    accounts: list[Account] = []
    for person in people:
        first = _arrival(rng, start, day_cum)
        extra = rng.choices((0, 1, 2), (70, 24, 6))[0]
        platforms = _platforms(rng, first, start, end, 1 + extra)
        for n, platform in enumerate(platforms):
            arrival = first if n == 0 else _arrival(rng, start, day_cum)
            accounts.append(_account(rng, uniq, person, platform, arrival))
    _plant_traps(rng, uniq, people, accounts, scale)
    accounts.sort(key=lambda a: (a.arrival, a.platform, a.key))
    return people, accounts


def _person(rng: random.Random, uniq: _Uniq, i: int) -> Person:
    name = rng.choice(A.SURNAMES) + "".join(rng.choice(A.GIVEN) for _ in range(rng.choice((1, 2))))
    province, cities, _ = rng.choices(A.GEOGRAPHY, [g[2] for g in A.GEOGRAPHY])[0]
    city, districts = rng.choice(cities)
    street = f"{rng.choice(A.STREETS)}{rng.randint(1, 999)}号{rng.randint(1, 30)}栋{rng.randint(101, 2802)}室"
    phone = uniq.phone()
    email = uniq.email(_email(rng, i)) if rng.random() < 0.55 else None
    return Person(
        f"H{i + 1:06d}", name, phone, email, province, city, rng.choice(districts), street
    )


def _email(rng: random.Random, i: int) -> str:
    if rng.random() < 0.4:
        return f"{rng.randint(10**7, 10**10)}{i % 10}@qq.com"
    word = rng.choice([w for w in A.NICK_WORDS if w.isascii()] + ["qimu", "hello", "my", "shop"])
    return f"{word}.{rng.choice('abcdefghjklmnpqrstwxyz')}{i}@{rng.choice(A.EMAIL_DOMAINS)}"


def _arrival(rng: random.Random, start: date, day_cum: list[float]) -> date:
    return start + timedelta(days=rng.choices(range(len(day_cum)), cum_weights=day_cum)[0])


def _platforms(rng: random.Random, first: date, start: date, end: date, n: int) -> list[str]:
    t = (first - start).days / max(1, (end - start).days)
    weights = dict(PLATFORM_WEIGHTS, douyin=0.08 + 0.24 * t)
    chosen: list[str] = []
    while len(chosen) < n:
        pool = [p for p in weights if p not in chosen]
        chosen.append(rng.choices(pool, [weights[p] for p in pool])[0])
    return chosen


def _account(rng: random.Random, uniq: _Uniq, person: Person, platform: str, day: date) -> Account:
    loyalty = rng.choices((1, 2, 3, 5, 8), (50, 25, 12, 8, 5))[0]
    acc = Account(platform, "", person, day, loyalty)
    if platform == "tmall":
        acc.key = uniq.key(_nick(rng))
        acc.masked = rng.random() < 0.12
    elif platform == "jd":
        acc.key = uniq.key(_nick(rng) if rng.random() < 0.3 else f"jd_{rng.randrange(16**10):010x}")
        acc.masked = rng.random() < 0.25
        acc.email_shown = person.email if person.email and rng.random() < 0.65 else None
    elif platform == "shopify":
        if person.email is None:
            person.email = (
                f"{person.pid.lower()}.{rng.randrange(1000)}@{rng.choice(A.EMAIL_DOMAINS)}"
            )
        typed = person.email
        if rng.random() < 0.2:  # typed with capitals at checkout: OneID lower-cases e-mails
            local, domain = typed.split("@")
            typed = f"{local.capitalize()}@{domain.capitalize()}"
        acc.key = typed  # e-mails are unique per person
        acc.email_shown = typed
        if rng.random() < 0.5:
            p = person.phone
            acc.phone_shown = f"+86 {p[:3]} {p[3:7]} {p[7:]}" if rng.random() < 0.5 else f"+86{p}"
    else:
        acc.key = uniq.key(f"{platform}_{rng.randrange(10**9):09d}")
        acc.masked = True
    person.accounts.append(acc)
    return acc


def _nick(rng: random.Random) -> str:
    word = rng.choice(A.NICK_WORDS)
    if rng.random() < 0.3:
        return f"tb{rng.randrange(10**9):09d}"
    return f"{word}{rng.choice(('', '_', '的'))}{rng.randint(1, 9999)}"


def _plant_traps(
    rng: random.Random, uniq: _Uniq, people: list[Person], accounts: list[Account], scale: float
) -> None:
    """Store-pickup buyers sharing the shop's phone; pairs of people whose masked phones collide."""
    tmall = [a for a in accounts if a.platform == "tmall"]
    for acc in rng.sample(tmall, min(len(tmall), max(36, round(60 * scale)))):
        acc.pickup = True
    free = [a for a in tmall if not a.pickup]
    pairs = max(12, round(30 * scale))
    for first, second in zip(free[0 : 2 * pairs : 2], free[1 : 2 * pairs : 2], strict=False):
        # the second person's phone differs only in the masked middle digits
        first.masked = second.masked = True
        old = second.person.phone
        while True:
            phone = first.person.phone[:3] + f"{rng.randrange(10**4):04d}" + first.person.phone[7:]
            if phone not in uniq.phones:
                break
        uniq.phones.discard(old)
        uniq.phones.add(phone)
        second.person.phone = phone
        for other in second.person.accounts:
            if other.phone_shown:
                other.phone_shown = f"+86{phone}"
