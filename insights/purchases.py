"""What the customer analyses (cohort, LTV, cross-sell) stand on: the purchases of OneID persons.

A purchase is a paid order (``paid_at`` set: the catalog's paid_gmv 口径) of an account that OneID
has resolved to a person; analyses group by ``customers.one_id``, never by platform account, so a
buyer on Tmall and JD is one customer. Orders that cannot be placed on a person (guest orders, or
accounts synced before OneID was built) are counted and reported, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from shopql.errors import ShopqlError

# One row per paid order of a person: the base of cohorts and LTV.
PERSON_ORDERS = """
    SELECT c.one_id, o.order_id, o.platform, o.shop_id, o.paid_at, o.currency,
           coalesce(o.paid_amount, 0) AS paid_amount,
           coalesce(o.province, c.province) AS province
    FROM orders o JOIN customers c ON c.customer_id = o.customer_id
    WHERE o.paid_at IS NOT NULL AND c.one_id IS NOT NULL
"""

# Refunds of a person's orders, by the time the money went back (credit notes such as Online
# Retail's C invoices are orders of their own with no paid_at).
PERSON_REFUNDS = """
    SELECT c.one_id, coalesce(o.paid_at, o.created_at) AS refunded_at, o.refund_amount AS amount
    FROM orders o JOIN customers c ON c.customer_id = o.customer_id
    WHERE c.one_id IS NOT NULL AND coalesce(o.refund_amount, 0) <> 0
"""


class AnalysisError(ShopqlError):
    """An analysis that cannot run on this warehouse or with these arguments."""


@dataclass
class Coverage:
    """Paid orders the analyses use and the ones they leave out (and why)."""

    person_orders: int
    persons: int
    guest_orders: int  # no customer on the order: nobody to follow
    unresolved_orders: int  # an account without a one_id: OneID not built since it was synced
    currencies: tuple[str, ...] = ()

    def notes(self) -> list[str]:
        out = []
        if self.guest_orders:
            out.append(f"{self.guest_orders:,} paid orders without a customer (guests) left out")
        if self.unresolved_orders:
            out.append(
                f"{self.unresolved_orders:,} paid orders of accounts without a OneID left out: "
                "run `shopql identity build`"
            )
        if len(self.currencies) > 1:
            out.append(
                f"amounts mix currencies ({', '.join(self.currencies)}): they are added as they are"
            )
        return out


def coverage(con: duckdb.DuckDBPyConnection) -> Coverage:
    """Count what the person-level analyses can and cannot see."""
    row = con.execute(
        """SELECT count(*) FILTER (WHERE c.one_id IS NOT NULL),
                  count(DISTINCT c.one_id),
                  count(*) FILTER (WHERE o.customer_id IS NULL),
                  count(*) FILTER (WHERE o.customer_id IS NOT NULL AND c.one_id IS NULL),
                  list(DISTINCT o.currency ORDER BY o.currency)
                      FILTER (WHERE o.currency IS NOT NULL AND c.one_id IS NOT NULL)
           FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id
           WHERE o.paid_at IS NOT NULL"""
    ).fetchone()
    assert row is not None
    return Coverage(int(row[0]), int(row[1]), int(row[2]), int(row[3]), tuple(row[4] or ()))


def require_persons(cov: Coverage) -> None:
    """Raise when there is no paid order of any person to analyse."""
    if cov.person_orders:
        return
    if cov.unresolved_orders:
        raise AnalysisError(
            "no paid order belongs to a OneID person yet", "run `shopql identity build` first"
        )
    raise AnalysisError(
        "no paid orders of known customers in the warehouse",
        "sync order exports first (`shopql sync PATH`), or try `shopql demo`",
    )


@dataclass
class TagSource:
    """Where the person tags (helper module insights/tags.py) keep RFM segment and lifecycle."""

    table: str
    rfm_segment: str | None
    lifecycle: str | None


def find_tag_source(con: duckdb.DuckDBPyConnection) -> TagSource | None:
    """The person tags `shopql tags refresh` (insights/tags.py) writes, once it has run: the
    schema has `person_tags`, empty until the first refresh (None too when it is missing)."""
    try:
        row = con.execute("SELECT EXISTS (SELECT 1 FROM person_tags)").fetchone()
    except duckdb.CatalogException:
        return None
    return TagSource("person_tags", "rfm_segment", "lifecycle") if row and row[0] else None


def quoted(name: str) -> str:
    """A SQL identifier, double-quoted."""
    return '"' + name.replace('"', '""') + '"'
