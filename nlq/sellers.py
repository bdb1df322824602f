"""Sellers on a marketplace whose orders can have several (Olist: 1,278 orders): figures by
seller, or of the sellers in a place, take each order line's own seller — its lines' amounts,
each order once for each of its sellers — never the whole order to the first of them. Shared
by the offline reading (nlq/comparisons.py), the people sets (nlq/people.py) and the LLM's
semantic query (nlq/pipeline.py); the compiler reads the seller through the order's lines
(`SemanticQuery.line_seller`, catalog/joins.py)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from shopql.catalog.semantic import SemanticQuery


def _seller_dims(ws: Any) -> set[str]:
    """The seller and its own attributes, split per line like the seller itself (shop_name,
    seller_state, seller_city; not platform, which orders have too)."""
    from shopql.catalog.joins import seller_dims

    return set(seller_dims(ws.catalog))


# a sale said of the sellers counted: "sellers who sold", "made a sale", "at least one sale",
# 卖过, 卖出过, 卖玩具的 (a bare 卖 before the thing sold), 有成交, 活跃卖家 / "active sellers"
# and 出单 / 出过单 / 有出单 (an order "going out": a paid line of theirs, as the sets read it —
# not 接单 / "had orders": the orders placed)
SALE_SAID = re.compile(
    r"\b(?:sold|sell|sells|selling)\b|\b(?:a|one|any)\s+sales?\b|卖出|卖过|售出|成交|有销量|动销"
    r"|(?<![发寄送])出\s*(?:过|了)?\s*单"
    r"|(?<![买])卖了?(?=\s*[^\s家方场点得的额量价])"  # 卖玩具的卖家: a bare verb before what is sold
    r"|活跃(?=\s*(?:的)?\s*(?:卖家|商家|店铺))|\bactive\s+(?:sellers|merchants|vendors|shops)\b"
)


# Counts of orders and buyers per seller: the orders (buyers) with a line of that seller
LINE_COUNTS = {
    "orders": "orders_with_items",
    "paid_orders": "paid_orders_with_items",
    "buyers": "buyers_with_items",
}
# a seller's own orders, each seller ranked or split by them ("单量前三的卖家", "top 5 sellers by
# number of orders", "出单最多的卖家城市"): the orders sold — paid, with a line of theirs, by
# payment time — as its sellers (seller_count, 出过单) and its orders per seller are counted;
# the orders of the sellers in a place, counted as one figure, stay every order placed
SOLD_COUNTS = {"orders": "paid_orders_with_items"}


def by_line_seller(query: SemanticQuery, ws: Any) -> SemanticQuery:
    """Sellers ranked, split or filtered ("sales of sellers in PR") by an amount, a count or a
    measure of orders, on a marketplace whose orders can have several sellers (Olist: 1,278
    orders): each line's amount goes to its own seller (the line metric by
    `order_items.shop_id`), an order counts once for each of its sellers — its orders, buyers,
    delivery days, review scores, average order value (the seller's line amounts over its
    orders) — not the whole order to the first of them. The compiler reads the seller through
    the order's lines (`line_seller`) and refuses an amount kept per order (freight)."""
    sellers = _seller_dims(ws)
    filtered = any(f.dimension in sellers for f in query.filters)
    if not (sellers & set(query.dimensions) or filtered) or not _split_orders(ws):
        return query
    metrics = ws.catalog.metrics
    split = bool(sellers & set(query.dimensions))
    per_line = {**LINE_COUNTS, **SOLD_COUNTS} if split else LINE_COUNTS
    renamed = {
        m: str(line)
        for m in query.metrics
        for line in [getattr(metrics.get(m), "line_metric", None) or per_line.get(m)]
        if line and line in metrics
    }
    lines = tuple(renamed.get(m, m) for m in query.metrics)
    order = tuple(replace(o, name=str(renamed.get(o.name, o.name))) for o in query.order_by)
    amounts = [m for m in renamed if m not in LINE_COUNTS]
    counts = [m for m in query.metrics if m not in amounts]  # once for each seller
    said = "both" if counts and amounts else "amounts" if amounts else "counts"
    extra = {**query.extra, "line_seller": said}
    having = tuple(
        replace(f, dimension=str(renamed.get(f.dimension, f.dimension))) for f in query.having
    )
    return replace(
        query, metrics=lines, order_by=order, extra=extra, having=having, line_seller=True
    )


# 接单 / 接了几单 / 接到的订单 / "received orders": the orders placed with the seller, any status
_RECEIVED = re.compile(
    r"接\s*(?:了|过|到)?\s*(?:的)?\s*(?:多少|几)?\s*(?:个|笔|张)?\s*(?:订)?单|\breceiv"
)
_PER_SELLER = ("orders_of_sellers", "seller_count")  # each seller's (order, seller) pairs / sellers


def orders_per_seller(text: str, metrics: list[str], ws: Any) -> list[str]:
    """ "平均每个卖家卖了几单", "每个卖家平均几单", "average orders per seller": the paid orders
    with a line of a seller over the sellers with a paid line, both by payment time (distinct
    orders / sellers: an order of two sellers once) — as the sellers themselves (出过单, sellers
    who sold) and each seller's orders are counted. Orders received (接单, "received orders")
    keep each seller's orders placed, of any status, by order time."""
    from shopql.catalog.families import dated_by

    catalog = ws.catalog
    if _RECEIVED.search(text) or not {"paid_orders_with_items", "seller_count"} <= set(
        catalog.metrics
    ):
        return metrics
    out = []
    for m in metrics:
        metric = catalog.metrics.get(m)
        if metric is not None and metric.type == "ratio":
            pair = (metric.numerator, metric.denominator)
            if pair == _PER_SELLER and catalog.metrics["seller_count"].time is None:
                m = _paid_orders_per_seller(
                    catalog, metric, dated_by(catalog, "seller_count", "paid_date")
                )
        out.append(m)
    return out


def _paid_orders_per_seller(catalog: Any, base: Any, sellers: str) -> str:
    name = "paid_orders_per_seller"
    if name not in catalog.metrics:
        catalog.metrics[name] = replace(
            base,
            name=name,
            label={"en": "Paid orders per seller", "zh": "平均每卖家支付订单数"},
            synonyms=[],
            numerator="paid_orders_with_items",
            denominator=sellers,
            description={
                "en": "Paid orders with an order line / the sellers with a line of a paid order,"
                " both by payment time (an order with two sellers is one order).",
                "zh": "有子订单的已付款订单数 / 有已付款子订单的卖家数，均按付款时间统计"
                "（一单有两个卖家时算一单）。",
            },
            generated=True,
        )
    return name


def _split_orders(ws: Any) -> bool:
    """Whether some order's lines name another seller than the order (read once)."""
    cached = ws.__dict__.get("_t_split_orders")
    if cached is None:
        try:
            row = ws.reader().execute(
                "SELECT 1 FROM order_items i JOIN orders o ON o.order_id = i.order_id "
                "WHERE i.shop_id <> o.shop_id LIMIT 1"
            )
            cached = row.fetchone() is not None
        except Exception:  # an older warehouse without line sellers
            cached = False
        ws.__dict__["_t_split_orders"] = cached
    return bool(cached)


def describe(query: SemanticQuery) -> list[str]:
    """The 'understood' line of a figure by each line's seller."""
    said = query.extra.get("line_seller")
    if not said:
        return []
    return [
        "by each order line's own seller: an order with several sellers"
        + (" counts once for each" if said != "amounts" else "")
        + (" and" if said == "both" else "")
        + (" gives each its lines' amounts (goods, no shipping)" if said != "counts" else "")
    ]


# Tables whose shop_id is not the order's first seller (a line's own seller, a product's, a
# shop's own key, an account's first shop): a query reading one of them beside orders is
# taken to mean it when it names shop_id without a table.
_OTHER_SHOP_TABLES = frozenset({"order_items", "products", "customers", "shops", "person_lines"})


def order_shop_sql(sql: str, ws: Any) -> str | None:
    """Why model-written SQL that reads ``orders.shop_id`` (grouping, filtering or joining
    sellers by it) would give the whole order to its first seller on a marketplace whose orders
    can have several (Olist: 1,278 orders), or None. The LLM path's SQL is checked with this
    before it runs (the semantic layer reads the line's seller itself, `by_line_seller`); a
    warehouse with one shop per order (the demo, Online Retail) is never refused. The guard
    itself lets it through: a person's own SQL may mean the first seller."""
    if "shop_id" not in sql.casefold() or not _split_orders(ws):
        return None
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except Exception:  # the guard says what is wrong with it
        return None
    ctes = {c.alias_or_name.casefold() for c in tree.find_all(exp.CTE)}

    def tables_of(select: exp.Expression | None) -> dict[str, str]:
        """alias -> real table of one SELECT's own FROM and JOINs (CTEs left out)."""
        found: dict[str, str] = {}
        if select is None:
            return found
        frm = select.args.get("from_") or select.args.get("from")
        sources = [frm, *(select.args.get("joins") or [])]
        for source in sources:
            table = source.this if source is not None else None
            if isinstance(table, exp.Table) and table.name.casefold() not in ctes:
                found[table.alias_or_name.casefold()] = table.name.casefold()
        return found

    hit = False
    for column in tree.find_all(exp.Column):
        if column.name.casefold() != "shop_id":
            continue
        tables = tables_of(column.find_ancestor(exp.Select))
        if column.table:
            hit = tables.get(column.table.casefold()) == "orders"
        else:
            real = set(tables.values())
            hit = "orders" in real and not real & _OTHER_SHOP_TABLES
        if hit:
            break
    if not hit:
        for join in tree.find_all(exp.Join):
            using = [str(u.name).casefold() for u in join.args.get("using") or []]
            real = set(tables_of(join.find_ancestor(exp.Select)).values())
            if "shop_id" in using and "orders" in real and "order_items" not in real:
                hit = True
                break
    if not hit:
        return None
    return (
        "orders.shop_id is only the order's FIRST seller: on this marketplace an order can have "
        "several sellers, so figures by seller (or seller state/city) from it give the whole "
        "order to one of them. Read each line's own seller, order_items.shop_id (JOIN shops ON "
        "shops.shop_id = order_items.shop_id for its state), with the line amounts "
        "(order_items.paid_amount) and count an order once per seller (count(DISTINCT "
        "order_items.order_id))"
    )
