"""The ground truth the demo knows and the exports only hint at: which accounts are one person,
and the planted facts (`demo_facts.json`) that tests, alerts and metrics can check against."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from shopql.demo import assortment as A
from shopql.demo.model import INCIDENT_CHANNEL, INCIDENT_MINUTES, PLATFORMS, Order, World


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


def planted_facts(world: World, days: int) -> dict[str, object]:
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
        "hot_product": _hot_facts(world),
        "payment_incident": _incident_facts(world),
        "sofa_and_coffee_table": _sofa_facts(world),
        "identity": _identity_facts(world),
        "refunds": _refund_facts(orders),
        "promotions": sorted(
            {
                f"{d:%Y-%m-%d}"
                for d in (world.start + timedelta(days=i) for i in range(days))
                if (d.month, d.day) in {(6, 18), (11, 11)}
            }  # fmt: skip
        ),
    }


def _refund_facts(orders: list[Order]) -> dict[str, dict[str, object]]:
    """Per platform: the orders whose export shows a refund and the refunded amount (yuan) it
    shows. JD's 订单导出 has no refund column: an order refunded whole shows as 已取消 after
    payment, i.e. its whole payment (shipping included) returned; partial refunds do not show
    at all and are counted apart, as `not_in_export`."""

    def shown(o: Order) -> int:
        if o.platform != "jd":
            return o.refund
        return o.payable if o.status == "refunded" else 0

    def yuan(fen: int) -> str:
        return f"{fen / 100:.2f}"

    return {
        p: {
            "orders": sum(1 for o in orders if o.platform == p and shown(o)),
            "amount": yuan(sum(shown(o) for o in orders if o.platform == p)),
            "not_in_export": yuan(
                sum(o.refund for o in orders if o.platform == p and o.refund and not shown(o))
            ),
        }
        for p in PLATFORMS
    }


def _hot_facts(world: World) -> dict[str, object]:
    b = world.hot
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
        "stock_at_live_start": b.stock_at_live,
        "units_sold_in_live_session": live_units,
        "sold_out_at": b.sold_out_at.isoformat(sep=" "),
        "first_zero_snapshot": b.live.isoformat(),
        "restocked": f"{b.restock.isoformat()} 00:00:00",
    }


def _incident_facts(world: World) -> dict[str, object]:
    """Attempts in the outage window as the gateway log (payments 'gw:…') records them."""
    end = world.incident_at + timedelta(minutes=INCIDENT_MINUTES)
    rates: dict[str, list[int]] = {}
    for o in world.orders:
        if o.platform == "shopify":  # Shopify's payments come from its own export
            continue
        for a in o.attempts:
            if world.incident_at <= a.at < end:
                r = rates.setdefault(a.channel, [0, 0])
                r[0] += a.ok
                r[1] += 1
    return {
        "channel": INCIDENT_CHANNEL,
        "start": world.incident_at.isoformat(sep=" "),
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
