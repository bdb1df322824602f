"""Numeric conditions on one entity and groups of values, both declared in the catalog
(``catalog/default/thresholds.yaml``):

    thresholds:            # "评分低于3的订单", "orders over R$500", "消费超过1000元的客户"
      - name: order_value
        entity: order      # what the condition is about: an order, a person, a line
        model: orders      # the rows holding the number
        expr: paid_amount  # per row; with `agg`, aggregated per entity (sum of quantity per order)
        agg: sum           # optional: sum | count | avg | min | max | count_distinct (else: any row)
        unit: money        # money | count | score | day | hour | character: the unit words a question must use
        filter: ...        # optional: which rows count
        time: paid_date    # optional: with `agg`, the rows are those of the question's period
        bare: true         # a number with this unit and no name means this ("orders over R$500")
        synonyms: [...]    # the names of the number (订单金额, review score)

    value_groups:          # "华东地区的销售额", "Sudeste", "sales by region", "EU vs non-EU"
      - name: br_region    # a dimension of its own: CASE over the base dimension
        dimension: province
        synonyms: [region, 大区]
        groups:
          - {name: Sudeste, members: [SP, RJ, MG, ES], synonyms: [southeast, 东南部]}
        others: {name: Other, synonyms: [...]}   # optional: every value not listed

A threshold is a filter (`Filter("order_value", ">", (500,))`) the compiler turns into
`<entity key> IN (SELECT key FROM model WHERE … [GROUP BY key HAVING agg(expr) op value])`, so it
composes with any metric whose rows reach the entity (orders, lines, reviews, people). A group set
applies to a workspace when some member is one of its values (Brazil's regions on Olist)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from shopql.catalog.joins import parse_expr
from shopql.catalog.model import Catalog, CatalogError, Dimension, Issue, text

UNITS = ("money", "count", "score", "day", "hour", "character", "number")
ENTITY_AGGS = ("sum", "count", "avg", "min", "max", "count_distinct")
THRESHOLD_OPS = ("=", "!=", "in", "<", "<=", ">", ">=")


@dataclass
class Threshold:
    """A number about one entity (an order's value, its items, a person's spend)."""

    name: str
    entity: str
    model: str
    expr: str
    unit: str = "number"
    agg: str | None = None
    filter: str | None = None
    time: str | None = None
    bare: bool = False
    label: dict[str, str] = field(default_factory=dict)
    synonyms: list[str] = field(default_factory=list)


@dataclass
class ValueGroup:
    name: str
    members: list[str]
    synonyms: list[str] = field(default_factory=list)


@dataclass
class GroupSet:
    """Named groups of one dimension's values, a dimension of their own."""

    name: str
    dimension: str
    groups: list[ValueGroup]
    others: ValueGroup | None = None
    label: dict[str, str] = field(default_factory=dict)
    synonyms: list[str] = field(default_factory=list)

    def applies(self, values: list[Any]) -> bool:
        """Some member is one of the workspace's values of the base dimension."""
        known = {str(v) for v in values}
        return any(m in known for g in self.groups for m in g.members)

    def case_sql(self, base: str) -> str:
        """The group of `base` (SQL over the model): CASE WHEN base IN (…) THEN 'name' …"""
        whens = []
        for g in self.groups:
            members = ", ".join(_quote(m) for m in g.members)
            whens.append(f"WHEN ({base}) IN ({members}) THEN {_quote(g.name)}")
        if self.others is None:
            return f"CASE WHEN ({base}) IS NULL THEN NULL {' '.join(whens)} ELSE NULL END"
        # 'every value not listed' is every row not in a named group, an unknown value too: "the
        # UK vs the rest", "英国 vs 其他国家" — the rest is every invoice not known to be the UK's
        return f"CASE {' '.join(whens)} ELSE {_quote(self.others.name)} END"


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def read_thresholds(r: Any, data: Any, catalog: Catalog) -> None:
    """Read the `thresholds` and `value_groups` sections of one catalog file."""
    for obj in r.items(data, "thresholds"):
        entity, model = r.string(obj, "entity", required=True), r.string(obj, "model", True)
        expr = r.string(obj, "expr", required=True)
        if not (entity and model and expr):
            continue
        agg = r.string(obj, "agg")
        if agg is not None and agg not in ENTITY_AGGS:
            r.error(obj, f"{obj['name']}: agg {agg!r} is not one of {', '.join(ENTITY_AGGS)}")
            agg = None
        if _taken(r, obj, catalog.thresholds, "threshold"):
            continue
        catalog.thresholds[obj["name"]] = Threshold(
            name=obj["name"],
            entity=entity,
            model=model,
            expr=expr,
            unit=r.choice(obj, "unit", UNITS, "number"),
            agg=agg,
            filter=r.string(obj, "filter"),
            time=r.string(obj, "time"),
            bare=bool(obj.get("bare")),
            **_words(r, obj),
        )
    for obj in data.get("owned_values") or [] if isinstance(data, dict) else []:
        if isinstance(obj, dict) and all(
            isinstance(obj.get(k), str) for k in ("dimension", "owner", "as")
        ):
            catalog.owned_values.append((obj["dimension"], obj["owner"], obj["as"]))
        else:
            r.error(data, "every owned_values entry needs dimension, owner and as", "owned_values")
    for obj in r.items(data, "value_groups"):
        base = r.string(obj, "dimension", required=True)
        if not base:
            continue
        groups = [_group(r, g) for g in obj.get("groups") or [] if isinstance(g, dict)]
        others = obj.get("others")
        if _taken(r, obj, catalog.value_groups, "value group set"):
            continue
        catalog.value_groups[obj["name"]] = GroupSet(
            name=obj["name"],
            dimension=base,
            groups=[g for g in groups if g.members],
            others=_group(r, others) if isinstance(others, dict) else None,
            **_words(r, obj),
        )


def _taken(r: Any, obj: Any, named: dict[str, Any], kind: str) -> bool:
    """`obj`'s name is in `named` already: said as an error (the first definition stays)."""
    if obj["name"] in named:
        r.error(obj, f"{kind} {obj['name']} is defined twice")
        return True
    return False


def _words(r: Any, obj: Any) -> dict[str, Any]:
    """What a threshold or a group set is called: its label (per language) and synonyms."""
    return {"label": text(obj.get("label")), "synonyms": r.strings(obj, "synonyms")}


def _group(r: Any, obj: Any) -> ValueGroup:
    return ValueGroup(str(obj.get("name")), r.strings(obj, "members"), r.strings(obj, "synonyms"))


def add_group_dimensions(catalog: Catalog) -> None:
    """Each group set becomes a dimension of every model defining its base dimension."""
    for gs in catalog.value_groups.values():
        found = False
        for model in catalog.models.values():
            base = model.dimensions.get(gs.dimension)
            if base is None or gs.name in model.dimensions:
                continue
            found = True
            model.dimensions[gs.name] = Dimension(
                name=gs.name,
                type="categorical",
                expr=gs.case_sql(base.expr),
                model=model.name,
                label=gs.label,
                # its words (region, 大区) are the group set's: a workspace hears them only
                # where the set applies (nlq/thresholds.add_group_words), so not shared here
                synonyms=[],
                description={
                    "en": f"Groups of {gs.dimension} values (catalog value_groups {gs.name}).",
                    "zh": f"{gs.dimension} 取值的分组（目录 value_groups {gs.name}）。",
                },
            )
        if not found:
            catalog.issues.append(
                Issue("error", f"value group set {gs.name}: no dimension {gs.dimension}")
            )


def group_names(gs: GroupSet) -> list[str]:
    return [g.name for g in gs.groups] + ([gs.others.name] if gs.others else [])


# -- compiling a threshold filter ------------------------------------------------------------------


def entity_key(catalog: Catalog, plan: Any, entity: str) -> exp.Expression:
    """The key of `entity` seen from `plan`'s rows: the primary key of the model whose entity it
    is (joined many-to-one), else the dimension of that name (person: the OneID)."""
    owner = catalog.model_of_entity(entity)
    if entity in plan.root.dimensions and (owner is None or owner.name != plan.root.name):
        return plan.expr(plan.root.dimensions[entity].expr)  # orders.one_id: the person
    if owner is not None and owner.primary is not None:
        if plan.root.name == owner.name:
            return plan.expr(owner.primary.expr)
        local = plan.root.entity(entity)
        if local is not None:
            return plan.expr(local.expr)
        return plan.expr(f"{owner.name}.{owner.primary.expr}")
    return plan.dimension(entity)[0]


def _person_of_order(catalog: Catalog, plan: Any) -> exp.Expression:
    """The person (OneID) of the order a row belongs to, as the order model keeps it."""
    owner = catalog.model_of_entity("order")
    person = owner.dimensions.get("person") if owner is not None else None
    if owner is None or person is None:
        raise CatalogError("no person key on the orders: 'all of' per person is not defined")
    if plan.root.name == owner.name:
        return plan.expr(person.expr)
    return plan.expr(f"{owner.name}.{person.expr}")


def _orders_counted(
    catalog: Catalog, plan: Any, condition: str | None, time: str | None, tr: Any
) -> list[exp.Expression]:
    """`condition` (over the order model's columns) and the period `tr` of the `time`
    dimension, seen from `plan`'s rows."""
    owner = catalog.model_of_entity("order")
    out: list[exp.Expression] = []
    if condition and owner is not None:
        parsed = parse_expr(condition)
        for column in parsed.find_all(exp.Column):
            if not column.table:
                column.set("table", exp.to_identifier(owner.name))
        out.append(plan.expr(parsed.sql("duckdb")))
    if time and tr is not None:
        moment = plan.dimension(time)[0]
        if tr.start is not None:
            out.append(exp.GTE(this=moment.copy(), expression=_stamp(tr.start)))
        if tr.end is not None:
            out.append(exp.LT(this=moment.copy(), expression=_stamp(tr.end)))
    return out


def threshold_condition(
    catalog: Catalog,
    plan: Any,
    op: str,
    values: tuple[Any, ...],
    name: str,
    tr: Any,
    line: bool = False,
    scope: Any = None,
) -> exp.Expression:
    """`key IN (SELECT key FROM … WHERE/HAVING number op value)` for threshold `name`.

    A threshold about each `line` (an item's unit price, a line's quantity) is the row's own
    condition on the lines; on an order-level metric with a line-level twin (`line`: paid GMV →
    line amounts) it asks for the twin (FanoutError), else it keeps the orders with such a line
    ("orders with an item over R$100"). `is not null`: the rows that have the number (an order
    with lines for the items in it, a paid one for its value). `scope` (the subquery's plan ->
    conditions): the query's own value filters a person's total is taken within ("天猫上消费超过
    1000的客户": the spend on Tmall, not everywhere)."""
    from shopql.catalog.joins import FanoutError, JoinPlan

    t = catalog.thresholds[name]
    if op == "is not null":  # the rows that have the number at all (the whole of a share of them)
        values = ()
    elif op not in THRESHOLD_OPS or not values:
        raise CatalogError(
            f"a threshold on {name} takes one of {', '.join(THRESHOLD_OPS)} a number"
        )
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        raise CatalogError(f"a threshold on {name} compares numbers, not {values!r}")
    model = catalog.models.get(t.model)
    if model is None:
        raise CatalogError(f"threshold {name}: unknown semantic model {t.model}")
    if t.agg is None and plan.root.name == model.name:  # "reviews of 5 stars": the row's own
        own = [_compare(plan.expr(t.expr), op, values)]
        if t.filter:
            own.append(plan.expr(t.filter))
        return exp.and_(*own)
    entity = t.entity
    if entity == "line":
        if line:
            raise FanoutError(f"{name} is a condition on each line")
        entity = "order"
    sub = JoinPlan(catalog, model, allow_fanout=False)
    key = entity_key(catalog, sub, entity)
    number = sub.expr(t.expr)
    where: list[exp.Expression] = [exp.Not(this=exp.Is(this=key.copy(), expression=exp.Null()))]
    if t.filter:
        where.append(sub.expr(t.filter))
    if t.agg and t.time and tr is not None:
        time = sub.dimension(t.time)[0]
        if tr.start is not None:
            where.append(exp.GTE(this=time.copy(), expression=_stamp(tr.start)))
        if tr.end is not None:
            where.append(exp.LT(this=time.copy(), expression=_stamp(tr.end)))
    if t.agg and entity == "person" and scope is not None:
        where += scope(sub)
    select = exp.select(key.copy())
    if t.agg:
        total = (  # count_distinct: the different values per entity (categories on an order)
            exp.Count(this=exp.Distinct(expressions=[number]))
            if t.agg == "count_distinct"
            else exp.func(t.agg, number)
        )
        select = select.where(*where).group_by(key.copy()).having(_compare(total, op, values))
    else:
        select = select.where(*where, _compare(number, op, values)).distinct()
    select = sub.from_clause(select)
    return entity_key(catalog, plan, entity).isin(query=select)


def _stamp(value: dt.datetime) -> exp.Expression:
    return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), "TIMESTAMP")


def _compare(column: exp.Expression, op: str, values: tuple[Any, ...]) -> exp.Expression:
    if op == "is not null":
        return exp.Not(this=exp.Is(this=column, expression=exp.Null()))
    literals = [exp.convert(v) for v in values]
    if op == "in" or (op == "=" and len(values) > 1):
        return exp.In(this=column, expressions=literals)
    node = {"=": exp.EQ, "!=": exp.NEQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}
    return node[op](this=column, expression=literals[0])


def all_values_condition(
    catalog: Catalog,
    plan: Any,
    dimension: str,
    values: tuple[Any, ...],
    entity: str = "order",
    within: tuple[str | None, str | None, Any] = (None, None, None),
) -> exp.Expression:
    """ "orders paid with both credit card and voucher": the order has a row (a payment, a line)
    with each value — one `key IN (…)` per value over the rows that carry the dimension. For
    `entity` person (a count of people): the person has such a row on any of their orders that
    the count itself counts — `within`: the metric's own condition on the orders ("paid_at IS
    NOT NULL"), its time dimension and the period."""
    from shopql.catalog.joins import JoinPlan

    info = catalog.dimensions.get(dimension)
    # a person's rows are those of their orders (payments, lines): "people who paid with both
    # boleto and credit card" need not have paid with both on one order
    per = "order" if entity == "person" else entity
    rows = [
        catalog.models[m]
        for m in (info.models if info is not None else [])
        if (e := catalog.models[m].entity(per)) is not None and e.type == "foreign"
    ]
    if not rows or not values:
        raise CatalogError(
            f"{dimension} has no rows of their own per {entity}: 'all of' is not defined"
        )
    outer = entity_key(catalog, plan, entity)
    conditions = []
    for value in values:
        sub = JoinPlan(catalog, rows[0], allow_fanout=False)
        key = _person_of_order(catalog, sub) if per != entity else entity_key(catalog, sub, entity)
        column, _ = sub.dimension(dimension)
        if isinstance(value, tuple):  # one word's values ("家具": every moveis_ category): any
            where = [exp.In(this=column, expressions=[exp.convert(v) for v in value])]
        else:
            where = [exp.EQ(this=column, expression=exp.convert(value))]
        if per != entity:
            where += _orders_counted(catalog, sub, *within)
        select = exp.select(key).where(*where)
        conditions.append(outer.copy().isin(query=sub.from_clause(select.distinct())))
    return exp.and_(*conditions)
