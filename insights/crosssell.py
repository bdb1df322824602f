"""Cross-sell: products and categories bought by the same OneID person, on any platform.

An item is bought by a person when a line of theirs is on a paid order that was not refunded as a
whole (``paid_at`` set, status not ``refunded``). Products are the same goods across platforms:
keyed by the seller's code (``outer_code``, 商家编码), else the platform product id. Over the
persons who bought anything (N):

- support(A, B) = persons who bought both / N
- confidence(A → B) = persons who bought both / persons who bought A
- lift(A → B) = confidence(A → B) / (persons who bought B / N): above 1, buying A makes B likelier.

Pairs are ranked by lift among those bought together by at least `min_persons` persons (a pair
seen twice has a huge lift by chance). `bought_a_not_b` is the marketer's audience "bought A,
never bought B" as a list of one_ids, for segments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from shopql.insights.purchases import AnalysisError

LEVELS = ("product", "category")
SORTS = {
    "lift": "lift DESC, x.n DESC",
    "confidence": "confidence DESC, lift DESC",
    "persons": "x.n DESC, lift DESC",
}

# (one_id, item key, label) per person and item bought
_BOUGHT = """
    SELECT DISTINCT c.one_id, {key} AS item, {label} AS label
    FROM order_items i
    JOIN orders o USING (order_id)
    JOIN customers c ON c.customer_id = o.customer_id
    LEFT JOIN products pr ON pr.product_id = i.product_id
    WHERE o.paid_at IS NOT NULL AND o.status IS DISTINCT FROM 'refunded'
      AND c.one_id IS NOT NULL AND i.product_id IS NOT NULL AND {key} IS NOT NULL
"""
KEYS = {
    "product": (
        "coalesce(i.outer_code, pr.outer_code, i.product_id)",
        "coalesce(i.title, pr.title)",
    ),
    "category": ("coalesce(i.category, pr.category)", "coalesce(i.category, pr.category)"),
}


@dataclass
class ItemMatch:
    """What a PRODUCT|CATEGORY argument names: a set of items at one level."""

    ref: str
    level: str
    items: tuple[str, ...]
    labels: tuple[str, ...]

    @property
    def shown(self) -> str:
        return self.labels[0] if len(self.labels) == 1 else f"{self.ref} ({len(self.items)} items)"


@dataclass
class Pair:
    a: str
    a_label: str
    b: str
    b_label: str
    persons_a: int
    persons_b: int
    persons_both: int
    support: float
    confidence: float
    lift: float


def bought_sql(level: str) -> str:
    key, label = KEYS[level]
    return _BOUGHT.format(key=key, label=label)


def match_items(con: duckdb.DuckDBPyConnection, ref: str) -> ItemMatch:
    """Resolve `ref`: an exact seller code or product id, an exact category, else products whose
    title contains it, else categories that contain it.

    Raises:
        AnalysisError: nothing bought matches.
    """
    ref = ref.strip()
    exact_product = "item = ? OR lower(item) = lower(?)"
    for level, cond, params in (
        ("product", exact_product, [ref, ref]),
        (
            "product",
            "EXISTS (SELECT 1 FROM products p WHERE p.product_id = ? AND "
            "coalesce(p.outer_code, p.product_id) = item)",
            [ref],
        ),  # fmt: skip
        ("category", "lower(item) = lower(?)", [ref]),
        ("product", "label ILIKE ?", [f"%{ref}%"]),
        ("category", "item ILIKE ?", [f"%{ref}%"]),
    ):
        rows = con.execute(
            f"SELECT item, any_value(label) FROM ({bought_sql(level)}) WHERE {cond} "
            "GROUP BY 1 ORDER BY 1",
            params,
        ).fetchall()
        if rows:
            return ItemMatch(ref, level, tuple(r[0] for r in rows), tuple(str(r[1]) for r in rows))
    raise AnalysisError(
        f"no product or category bought matches {ref!r}",
        "give a seller code (商家编码), a product id, a category, or a word of a product title",
    )


def pairs(
    con: duckdb.DuckDBPyConnection,
    level: str = "category",
    antecedent: ItemMatch | None = None,
    min_persons: int = 3,
    limit: int = 20,
    sort: str = "lift",
) -> list[Pair]:
    """Item pairs bought by the same persons, ranked by `sort` (lift, confidence or persons who
    bought both; ties by the others). With `antecedent`, A is that item set (as one item) and B
    every other item at its level."""
    if sort not in SORTS:
        raise AnalysisError(f"unknown sort {sort!r}", f"use one of {', '.join(SORTS)}")
    level = antecedent.level if antecedent is not None else level
    if level not in LEVELS:
        raise AnalysisError(f"unknown level {level!r}", f"use one of {', '.join(LEVELS)}")
    params: list[Any] = []
    if antecedent is None:
        a_side = "SELECT one_id, item, label FROM bought"
        pair_cond = "a.item < b.item"
    else:
        a_side = (
            "SELECT DISTINCT one_id, ? AS item, ? AS label FROM bought WHERE list_contains(?, item)"
        )
        params += [antecedent.ref, antecedent.shown, list(antecedent.items)]
        pair_cond = "NOT list_contains(?, b.item)"
        params.append(list(antecedent.items))
    sql = f"""
    WITH bought AS ({bought_sql(level)}),
    total AS (SELECT count(DISTINCT one_id) AS n FROM bought),
    a AS ({a_side}),
    b AS (SELECT item, any_value(label) AS label, count(*) AS nb FROM bought GROUP BY 1),
    na AS (SELECT item, any_value(label) AS label, count(*) AS na FROM a GROUP BY 1),
    both_ AS (
        SELECT a.item AS a, bb.item AS b, count(*) AS n
        FROM a JOIN bought bb ON bb.one_id = a.one_id
        WHERE {pair_cond.replace("b.item", "bb.item")}
        GROUP BY 1, 2 HAVING count(*) >= ?)
    SELECT x.a, na.label, x.b, b.label, na.na, b.nb, x.n,
           x.n / t.n AS support, x.n / na.na AS confidence,
           (x.n / na.na) / (b.nb / t.n) AS lift
    FROM both_ x JOIN na ON na.item = x.a JOIN b ON b.item = x.b, total t
    ORDER BY {SORTS[sort]}, x.a, x.b
    LIMIT ?
    """
    params += [min_persons, limit]
    rows = con.execute(sql, params).fetchall()
    return [
        Pair(
            str(r[0]),
            str(r[1]),
            str(r[2]),
            str(r[3]),
            int(r[4]),
            int(r[5]),
            int(r[6]),
            float(r[7]),
            float(r[8]),
            float(r[9]),
        )  # fmt: skip
        for r in rows
    ]


def bought_a_not_b(con: duckdb.DuckDBPyConnection, a: str, b: str) -> list[str]:
    """One_ids of the persons who bought `a` and never bought `b` (products or categories, as
    `match_items` resolves them; on any platform), sorted."""
    ma, mb = match_items(con, a), match_items(con, b)
    rows = con.execute(
        f"""SELECT DISTINCT one_id FROM ({bought_sql(ma.level)}) WHERE list_contains(?, item)
            EXCEPT
            SELECT DISTINCT one_id FROM ({bought_sql(mb.level)}) WHERE list_contains(?, item)
            ORDER BY 1""",
        [list(ma.items), list(mb.items)],
    ).fetchall()
    return [str(r[0]) for r in rows]
