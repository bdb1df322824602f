"""Join planning for one measure: FROM its model, joined only along entities.

A join from model A to model B exists when A has a foreign entity that is B's primary entity
(many-to-one: each A row meets at most one B row, so no row of A is repeated). The reverse
direction (one-to-many) repeats rows; it is only taken for aggregations that do not change when a
row repeats (count distinct, min, max), which is how an order is counted in each category it has.
"""

from __future__ import annotations

import functools
from collections import deque
from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from shopql.catalog.model import Catalog, CatalogError, Dimension, SemanticModel


class FanoutError(CatalogError):
    """Reaching a dimension would repeat the measure's rows (a one-to-many join)."""


@dataclass(frozen=True)
class Edge:
    target: str
    from_expr: str
    to_expr: str
    fanout: bool


def parse_expr(sql: str) -> exp.Expression:
    """Parse one SQL expression (DuckDB dialect) from the catalog (a copy of the parse: each
    catalog expression is parsed once per process, every query qualifies its own copy)."""
    parsed = _parse_once(sql)
    if isinstance(parsed, str):
        raise CatalogError(f"cannot parse {sql!r}: {parsed}")
    return parsed.copy()


@functools.lru_cache(maxsize=4096)
def _parse_once(sql: str) -> exp.Expression | str:
    """The parse of `sql`, or the first line of its parse error (never handed out itself)."""
    try:
        return sqlglot.parse_one(sql, read="duckdb")
    except sqlglot.errors.ParseError as e:
        return str(e).splitlines()[0]


def edges(catalog: Catalog, model: SemanticModel) -> list[Edge]:
    """Join paths out of `model`: many-to-one first, then one-to-many."""
    out = []
    for ent in model.entities:
        target = catalog.model_of_entity(ent.name) if ent.type == "foreign" else None
        if target and target.primary and target.name != model.name:
            out.append(Edge(target.name, ent.expr, target.primary.expr, False))
    primary = model.primary
    if primary:
        for other in catalog.models.values():
            found = other.entity(primary.name)
            if other.name != model.name and found and found.type == "foreign":
                out.append(Edge(other.name, primary.expr, found.expr, True))
    return out


ROW_NUMBER = "_row_number"  # the numbered root's row column

# A model's SQL may bound the rows it ranks by the question's period: a person's consecutive
# orders "今年" are this year's orders one after another (the first order of the year has none
# before it), not each order of the year with the one before it whenever that was. The model
# writes the open period, `ts >= TIMESTAMP '0001-01-01' AND ts < TIMESTAMP '9999-12-31'` (so it
# runs as it is, over all time); a measure asked for a period gets those two bounds replaced.
PERIOD_OPEN = ("TIMESTAMP '0001-01-01'", "TIMESTAMP '9999-12-31'")


def bounded_sql(sql: str, period: tuple[object, object] | None) -> str:
    """`sql` with the open period's bounds replaced by `period`'s (None: a side left open)."""
    if period is None or PERIOD_OPEN[0] not in sql:
        return sql
    for bound, value in zip(PERIOD_OPEN, period, strict=True):
        if value is not None:
            sql = sql.replace(bound, f"TIMESTAMP '{value}'")
    return sql


class JoinPlan:
    """The FROM clause of one measure's query, growing as expressions need other models."""

    def __init__(self, catalog: Catalog, root: SemanticModel, allow_fanout: bool) -> None:
        self.catalog = catalog
        self.root = root
        self.allow_fanout = allow_fanout
        self.aliases: dict[tuple[str, ...], str] = {(root.name,): root.name}
        self.joins: list[tuple[exp.Expression, str, exp.Expression]] = []
        self.fanned_out = False
        # set: the root's rows are numbered (column ROW_NUMBER), so a query over a join that
        # repeats them can still count each root row once (compiler._per_row_leaf)
        self.numbered = False
        # the seller dimensions taken from each order line's own seller (a marketplace order can
        # have several): reached through the order's lines, not the order's (first) seller
        self.line_dims: frozenset[str] = frozenset()
        self.via_lines = False  # a dimension was so reached (the root's rows repeat per seller)
        # the measure's period (start, end): a model whose SQL bounds its rows by the open
        # period (PERIOD_OPEN) counts only the rows inside it (see `bounded_sql`)
        self.period: tuple[object, object] | None = None

    def source(self, model: SemanticModel, alias: str) -> exp.Expression:
        if self.numbered and model.name == self.root.name and alias == self.root.name:
            inner = (
                parse_expr(bounded_sql(model.sql, self.period))
                if model.sql
                else exp.select("*").from_(exp.to_table(model.table or model.name))
            )
            number = exp.Window(this=exp.RowNumber())
            return (
                exp.select("*", number.as_(ROW_NUMBER))
                .from_(inner.subquery("_rows", copy=False))
                .subquery(alias, copy=False)
            )
        # parse_expr hands out a copy of its own: wrapped as it is, not copied again (a model's
        # SQL is the largest tree a metric's query holds)
        if model.sql:
            return parse_expr(bounded_sql(model.sql, self.period)).subquery(alias, copy=False)
        return exp.to_table(model.table or model.name).as_(alias)

    def from_clause(self, select: exp.Select) -> exp.Select:
        select = select.from_(self.source(self.root, self.root.name))
        for source, _, on in self.joins:
            select = select.join(source, on=on, join_type="left")
        return select

    def find(
        self, start: tuple[str, ...], wanted: str | None, dim: str | None = None
    ) -> tuple[str, ...] | None:
        """Shortest path from `start` to model `wanted` (or one defining dimension `dim`)."""
        for fanout in (False, True):
            queue, seen = deque([start]), {start[-1]}
            while queue:
                path = queue.popleft()
                model = self.catalog.models[path[-1]]
                if path != start and (model.name == wanted or (dim and dim in model.dimensions)):
                    if fanout and not self.allow_fanout:
                        raise FanoutError(f"reaching {model.name} repeats rows")
                    return path
                for edge in edges(self.catalog, model):
                    if edge.target not in seen and (fanout or not edge.fanout):
                        seen.add(edge.target)
                        queue.append((*path, edge.target))
        return None

    def alias(self, path: tuple[str, ...]) -> str:
        """The alias of the model at the end of `path`, adding the joins on the way."""
        if path in self.aliases:
            return self.aliases[path]
        parent = self.alias(path[:-1])
        model = self.catalog.models[path[-1]]
        edge = next(
            e for e in edges(self.catalog, self.catalog.models[path[-2]]) if e.target == model.name
        )
        used = set(self.aliases.values())
        name = model.name if model.name not in used else f"{model.name}_{len(used)}"
        self.aliases[path] = name
        on = exp.EQ(
            this=self._qualify(parse_expr(edge.from_expr), parent, path[:-1]),
            expression=self._qualify(parse_expr(edge.to_expr), name, path),
        )
        self.joins.append((self.source(model, name), name, on))
        self.fanned_out = self.fanned_out or edge.fanout
        return name

    def expr(self, sql: str, base: tuple[str, ...] | None = None) -> exp.Expression:
        """`sql` with its columns qualified: bare names belong to the model at `base`,
        `entity.column` to the model whose primary entity that is (joined many-to-one)."""
        base = base or (self.root.name,)
        return self._qualify(parse_expr(sql), self.alias(base), base)

    def _qualify(self, tree: exp.Expression, alias: str, base: tuple[str, ...]) -> exp.Expression:
        for col in list(tree.find_all(exp.Column)):
            if not col.table:
                col.set("table", exp.to_identifier(alias))
                continue
            target = self.catalog.model_of_entity(col.table) or self.catalog.models.get(col.table)
            if target is None:
                raise CatalogError(f"{col.sql()}: no entity or semantic model named {col.table}")
            path = base if target.name == base[-1] else self._many_to_one(base, target.name)
            col.set("table", exp.to_identifier(self.alias(path)))
        return tree

    def _many_to_one(self, base: tuple[str, ...], target: str) -> tuple[str, ...]:
        saved, self.allow_fanout = self.allow_fanout, False
        try:
            path = self.find(base, target)
        except FanoutError:
            path = None
        finally:
            self.allow_fanout = saved
        if path is None:
            raise CatalogError(f"no many-to-one join from {base[-1]} to {target}")
        return path

    def _line_path(self, name: str) -> tuple[str, ...] | None:
        """The path from the root to the order lines, when seller dimension `name` would
        otherwise be read from the order (its first seller): None when the root is the lines
        themselves or reaches the seller another way (a product's shop, a first sale's seller).
        Raises FanoutError when the measure cannot have its rows repeated per line."""
        items, order = line_model(self.catalog), self.catalog.model_of_entity("order")
        if items is None or order is None or self.root.name == items.name:
            return None
        start = (self.root.name,)
        usual = start if name in self.root.dimensions else self._usual_path(name)
        if usual is None or order.name not in usual:
            return None
        self.via_lines = True
        return self.find(start, items.name)

    def _usual_path(self, name: str) -> tuple[str, ...] | None:
        saved, self.allow_fanout = self.allow_fanout, False
        try:
            return self.find((self.root.name,), None, dim=name)
        except FanoutError:
            return None
        finally:
            self.allow_fanout = saved

    def dimension(self, name: str) -> tuple[exp.Expression, Dimension]:
        """The SQL of dimension `name` as seen from the root model, joining what it needs."""
        start = (self.root.name,)
        lines = self._line_path(name) if name in self.line_dims else None
        if lines is not None:  # the seller of each line of the order, not the order's first
            model = self.catalog.models[lines[-1]]
            if name in model.dimensions:
                return self.expr(model.dimensions[name].expr, lines), model.dimensions[name]
            path = self.find(lines, None, dim=name)
            if path is None:
                raise CatalogError(f"dimension {name} cannot be reached from {model.name}")
            dim = self.catalog.models[path[-1]].dimensions[name]
            return self.expr(dim.expr, path), dim
        if name in self.root.dimensions:
            dim = self.root.dimensions[name]
            return self.expr(dim.expr, start), dim
        path = self.find(start, None, dim=name)
        if path is None:
            raise CatalogError(
                f"dimension {name} cannot be reached from {self.root.name}",
                "split this metric by a dimension of its own model (see `shopql catalog show`)",
            )
        dim = self.catalog.models[path[-1]].dimensions[name]
        return self.expr(dim.expr, path), dim


def line_model(catalog: Catalog) -> SemanticModel | None:
    """The order lines: the model pointing at both an order and a seller (shop) of its own."""
    for model in catalog.models.values():
        order, shop = model.entity("order"), model.entity("shop")
        if order and shop and order.type == shop.type == "foreign" and "shop" in model.dimensions:
            return model
    return None


def seller_dims(catalog: Catalog) -> frozenset[str]:
    """The seller and its own attributes: `shop` and the dimensions the catalog declares only on
    the model whose primary entity is the seller (shops: shop_name, seller_state, seller_city;
    not platform, which orders have too)."""
    model = catalog.model_of_entity("shop")
    if model is None:
        return frozenset({"shop"})
    own = {d for d, info in catalog.dimensions.items() if info.models == [model.name]}
    return frozenset({"shop"} | own)
