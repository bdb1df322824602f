"""The person behind a one_id: resolving a reference, explaining the join, the 360° view.

Every function takes an open connection (a reader: its macro pseudonymises account keys) and
returns plain dicts and lists of JSON-ready values, so the CLI and the TUI only render. Personal
data (account keys, phone, e-mail, name, openid, identifier values, and whatever the catalog
marks personal) is shown as stored for a role whose policy is ``show``, and otherwise masked in
SQL by the guard's own expressions (``warehouse.policy.PersonalData``): ``tmall:k3f9c…``,
``138****1234``, ``a***@qq.com`` for ``mask``, NULL for ``deny``.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from shopql.errors import ShopqlError
from shopql.warehouse.policy import PersonalData

# Orders that count as bought: the catalog's paid_gmv 口径 (paid_at set; refunds not deducted,
# reported apart), so a person's spend adds up to the same GMV `shopql metric paid_gmv` shows.
PAID = "(o.paid_at IS NOT NULL)"
PII_IDENTIFIER_TYPES = {"phone": "phone", "email": "email", "openid": "openid", "unionid": "openid"}
ONE_ID_PATTERN = re.compile(r"^P\d{8,}$")


class IdentityError(ShopqlError):
    """A person reference that resolves to nobody, or to several people."""


def _view(policy: str | PersonalData, con: duckdb.DuckDBPyConnection) -> PersonalData:
    return PersonalData.of(policy).ready(con)


def pii_policy(roles: dict[str, dict[str, Any]], role: str) -> str:
    """The PII policy of `role` (unknown roles and values fall back to masking)."""
    policy = str(roles.get(role, {}).get("pii", "mask"))
    return policy if policy in ("show", "mask", "deny") else "mask"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def resolve_one_id(con: duckdb.DuckDBPyConnection, ref: str, policy: str | PersonalData) -> str:
    """The one_id meant by `ref`: a one_id (also a retired one), a customer_id, a phone, an
    e-mail, a nick or a platform user key.

    A role that may not see personal data (`policy` mask or deny) can look a person up by
    one_id, or by a customer_id as the role sees it (the keyed pseudonym ``tmall:k…`` the guard
    and `shopql customer` show it; the raw key is no lookup for it): a phone, e-mail, nick or
    raw key gets the same answer as an unknown value, so the lookup never confirms who owns a
    phone number. `policy` has no default: every caller says which role it looks up for.

    Raises:
        IdentityError: nobody matches, or several persons do.
    """
    ref = ref.strip()
    if not ref:
        raise IdentityError("empty person reference", "give a one_id, customer_id, phone or nick")
    if ONE_ID_PATTERN.match(ref):
        found = _current_one_id(con, ref)
        if found:
            return found
    view = _view(policy, con)
    persons = _persons_for(con, ref) if view.shows else _persons_by_account(con, ref, view)
    if len(persons) == 1:
        return persons[0]
    if not persons:
        what = (
            "a customer_id (tmall:nick), a full phone, an e-mail or a nick"
            if view.shows
            else "a customer_id as your role sees it (tmall:k…; persons are looked up by "
            "one_id or that key only)"
        )
        raise IdentityError(f"no person matches {ref!r}", f"give a one_id (P00000001) or {what}")
    shown = ", ".join(persons[:5]) + (" …" if len(persons) > 5 else "")
    raise IdentityError(
        f"{ref!r} matches {len(persons)} persons: {shown}",
        "pick one of these one_ids (shopql customer ONE_ID)",
    )


def _current_one_id(con: duckdb.DuckDBPyConnection, one_id: str) -> str | None:
    row = con.execute(
        """SELECT one_id FROM one_ids WHERE one_id = ?
           UNION ALL SELECT one_id FROM _one_id_merges WHERE retired_one_id = ? LIMIT 1""",
        [one_id, one_id],
    ).fetchone()
    return str(row[0]) if row else None


def _persons_by_account(con: duckdb.DuckDBPyConnection, ref: str, view: PersonalData) -> list[str]:
    key = view.sql("one_ids", "customer_id", "customer_id")
    rows = con.execute(
        f"SELECT DISTINCT one_id FROM one_ids WHERE {key} = ? ORDER BY 1", [ref]
    ).fetchall()
    return [str(r[0]) for r in rows]


def _persons_for(con: duckdb.DuckDBPyConnection, ref: str) -> list[str]:
    from shopql.sync.pseudonym import lookup_pseudonym  # keys are pseudonyms of what users type

    phone = re.sub(r"[^0-9]", "", ref)
    phone = re.sub(r"^(0086|86)(1\d{10})$", r"\2", phone)
    rows = con.execute(
        """WITH hits AS (
            SELECT customer_id FROM customers
            WHERE customer_id IN ($ref, $key) OR nick = $ref OR buyer_key IN ($ref, $key)
            UNION SELECT customer_id FROM _identity_links
            WHERE (identifier_type = 'phone' AND identifier_value = $phone AND length($phone) >= 7)
               OR (identifier_type = 'email' AND identifier_value = lower($ref))
               OR (identifier_type IN ('platform_user', 'nick', 'member_card', 'openid',
                                       'unionid')
                   AND (identifier_value = $ref OR identifier_value LIKE '%:' || $ref)))
        SELECT DISTINCT o.one_id FROM hits JOIN one_ids o USING (customer_id) ORDER BY 1""",
        {"ref": ref, "phone": phone, "key": lookup_pseudonym(con, ref)},
    ).fetchall()
    return [str(r[0]) for r in rows]


ACCOUNT_COLUMNS = (
    "customer_id",
    "platform",
    "shop_id",
    "nick",
    "name",
    "phone",
    "email",
    "member_level",
    "province",
    "city",
)


def accounts_of(
    con: duckdb.DuckDBPyConnection, one_id: str, policy: str | PersonalData
) -> list[dict[str, Any]]:
    """The platform accounts of one person, oldest first order first."""
    view = _view(policy, con)
    shown = ", ".join(f"{view.sql('customers', c, 'c.' + c)} AS {c}" for c in ACCOUNT_COLUMNS)
    first = view.sql("customers", "first_order_at", "coalesce(c.first_order_at, o.first_order_at)")
    return _rows(
        con,
        f"""SELECT {shown}, {first} AS first_order_at, coalesce(o.orders, 0) AS orders
           FROM one_ids i JOIN customers c USING (customer_id)
           LEFT JOIN (SELECT customer_id, min(created_at) AS first_order_at, count(*) AS orders
                      FROM orders GROUP BY 1) o ON o.customer_id = c.customer_id
           WHERE i.one_id = ?
           ORDER BY coalesce(c.first_order_at, o.first_order_at) NULLS LAST, c.customer_id""",
        [one_id],
    )


def explain(
    con: duckdb.DuckDBPyConnection, one_id: str, policy: str | PersonalData = "mask"
) -> dict[str, Any]:
    """Which identifiers joined which accounts of a person, and which values were ignored.
    A caller that passes no `policy` gets the masked view (closed by default)."""
    view = _view(policy, con)
    one_id = resolve_one_id(con, one_id, view)
    rows = _rows(
        con,
        f"""SELECT type, shown AS value, status, shared_by, accounts, platforms FROM (
             SELECT *, {_identifier_sql(view, "type", "value")} AS shown FROM (
               SELECT l.identifier_type AS type, l.identifier_value AS value, l.status,
                      max(l.accounts) AS shared_by,
                      list(DISTINCT l.account ORDER BY l.account) AS accounts,
                      list(DISTINCT l.platform ORDER BY l.platform) AS platforms
               FROM (SELECT *, {view.sql("_identity_links", "customer_id", "customer_id")}
                               AS account FROM _identity_links) l
               JOIN one_ids i USING (customer_id)
               WHERE i.one_id = ? GROUP BY 1, 2, 3))
           ORDER BY status <> 'joined', type, shown, shared_by, accounts, platforms""",
        [one_id],
    )
    for row in rows:
        row["platforms"] = [p for p in row["platforms"] if p is not None]
        row["accounts"] = [a for a in row["accounts"] if a is not None]
    retired = con.execute(
        "SELECT retired_one_id FROM _one_id_merges WHERE one_id = ? ORDER BY 1", [one_id]
    ).fetchall()
    return {
        "one_id": one_id,
        "accounts": accounts_of(con, one_id, view),
        "joined_by": [r for r in rows if r["status"] == "joined"],
        "ignored": [r for r in rows if r["status"] not in ("joined", "unique")],
        "unique": [r for r in rows if r["status"] == "unique"],
        "merged_from": [str(r[0]) for r in retired],
    }


def _identifier_sql(view: PersonalData, type_sql: str, value_sql: str) -> str:
    """An identifier's value as the role may see it: a phone, e-mail or openid masked like the
    account column of its kind, anything else like `_identity_links.identifier_value`."""
    cases = " ".join(
        f"WHEN {type_sql} = '{t}' THEN {view.sql_for(kind, value_sql)}"
        for t, kind in sorted(PII_IDENTIFIER_TYPES.items())
    )
    other = view.sql("_identity_links", "identifier_value", value_sql)
    return f"CASE {cases} ELSE {other} END"


def identifier_value(
    con: duckdb.DuckDBPyConnection, identifier_type: str, value: Any, policy: str | PersonalData
) -> Any:
    """One identifier value (e.g. a junk example of `identity build`) as the role may see it."""
    row = con.execute(
        f"SELECT {_identifier_sql(_view(policy, con), 't', 'v')} FROM (SELECT ? AS t, ? AS v)",
        [identifier_type, None if value is None else str(value)],
    ).fetchone()
    return row[0] if row else None


def customer_view(
    con: duckdb.DuckDBPyConnection, ref: str, policy: str | PersonalData = "mask", top: int = 5
) -> dict[str, Any]:
    """The 360° view of the person `ref` resolves to: accounts, orders, spend, what they bought.
    A caller that passes no `policy` gets the masked view (closed by default)."""
    one_id = resolve_one_id(con, ref, policy)
    accounts = accounts_of(con, one_id, policy)
    return {
        "one_id": one_id,
        "query": ref,
        "platforms": sorted({a["platform"] for a in accounts if a["platform"]}),
        "accounts": accounts,
        **_order_summary(con, one_id),
        "categories": _categories(con, one_id),
        "top_products": _top_products(con, one_id, top),
    }


PERSON_ORDERS = """FROM one_ids i JOIN orders o ON o.customer_id = i.customer_id
    WHERE i.one_id = ?"""
# A line's category: its own, else its product's, else the category the same goods (商家编码,
# outer_code) carry on any other platform.
PERSON_ITEMS = """FROM one_ids i JOIN orders o ON o.customer_id = i.customer_id
    JOIN order_items oi ON oi.order_id = o.order_id
    LEFT JOIN products p ON p.product_id = oi.product_id
    LEFT JOIN (SELECT outer_code, min(category) AS category FROM products
               WHERE category IS NOT NULL AND outer_code IS NOT NULL GROUP BY 1) pc
      ON pc.outer_code = coalesce(oi.outer_code, p.outer_code)
    WHERE i.one_id = ?"""


def _order_summary(con: duckdb.DuckDBPyConnection, one_id: str) -> dict[str, Any]:
    summary = _rows(
        con,
        f"""SELECT count(*) AS orders, count(*) FILTER (WHERE {PAID}) AS paid_orders,
                  min(o.created_at) AS first_order_at, max(o.created_at) AS last_order_at,
                  coalesce(sum(o.refund_amount), 0) AS refund_amount
           {PERSON_ORDERS}""",
        [one_id],
    )[0]
    by_currency = con.execute(
        f"""SELECT coalesce(o.currency, 'unknown'), sum(o.paid_amount) {PERSON_ORDERS}
            AND {PAID} GROUP BY 1 ORDER BY 1""",
        [one_id],
    ).fetchall()
    spend = {str(c): (a if a is not None else 0) for c, a in by_currency}
    summary["spend"] = next(iter(spend.values())) if len(spend) == 1 else (0 if not spend else None)
    summary["currency"] = next(iter(spend)) if len(spend) == 1 else None
    summary["spend_by_currency"] = spend
    summary["by_platform"] = _rows(
        con,
        f"""SELECT o.platform, count(*) AS orders,
                  coalesce(sum(o.paid_amount) FILTER (WHERE {PAID}), 0) AS spend,
                  min(o.created_at) AS first_order_at, max(o.created_at) AS last_order_at
           {PERSON_ORDERS} GROUP BY 1 ORDER BY 1""",
        [one_id],
    )
    return summary


def _categories(con: duckdb.DuckDBPyConnection, one_id: str) -> list[dict[str, Any]]:
    return _rows(
        con,
        f"""SELECT coalesce(n.name_en, n.name_zh, cat) AS category, count(*) AS items,
                  sum(coalesce(quantity, 1)) AS quantity, sum(spend) AS spend
           FROM (SELECT coalesce(oi.category, p.category, pc.category) AS cat, o.platform, oi.quantity,
                        coalesce(oi.paid_amount, oi.unit_price * oi.quantity) AS spend
                 {PERSON_ITEMS} AND {PAID}) x
           LEFT JOIN category_names n ON n.platform = x.platform AND n.category = x.cat
           WHERE cat IS NOT NULL GROUP BY 1 ORDER BY spend DESC NULLS LAST, 1""",
        [one_id],
    )


def _top_products(con: duckdb.DuckDBPyConnection, one_id: str, top: int) -> list[dict[str, Any]]:
    return _rows(
        con,
        f"""SELECT oi.product_id, any_value(coalesce(oi.title, p.title)) AS title,
                  sum(coalesce(oi.quantity, 1)) AS quantity,
                  sum(coalesce(oi.paid_amount, oi.unit_price * oi.quantity)) AS spend
           {PERSON_ITEMS} AND {PAID}
           GROUP BY 1 ORDER BY spend DESC NULLS LAST, quantity DESC, 1 LIMIT ?""",
        [one_id, top],
    )


def identity_overview(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """What the last OneID build found, read back from the warehouse (counts only: no personal
    data, so no policy)."""
    row = con.execute(
        """SELECT count(*), count(DISTINCT one_id),
                  count(*) FILTER (WHERE n > 1), count(DISTINCT one_id) FILTER (WHERE n > 1)
           FROM (SELECT one_id, count(*) OVER (PARTITION BY one_id) AS n FROM one_ids)"""
    ).fetchone()
    assert row is not None
    by_status = _rows(
        con,
        """SELECT status, count(*) AS distinct_values, sum(n) AS accounts FROM (
             SELECT identifier_type, identifier_value, status, count(*) AS n FROM _identity_links
             GROUP BY ALL) GROUP BY 1 ORDER BY 1""",
        [],
    )
    return {
        "accounts": int(row[0]),
        "persons": int(row[1]),
        "merged_accounts": int(row[2]),
        "multi_account_persons": int(row[3]),
        "identifiers": by_status,
    }
