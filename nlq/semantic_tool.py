"""The semantic layer as a tool the LLM calls: a JSON schema generated from the catalog, and the
check that turns the model's arguments into a SemanticQuery — or says precisely what is wrong.

The model is offered two functions (OpenAI tool calling): ``semantic_query`` (metrics,
dimensions, filters, time range, grain, order, limit, compare; every name an enum of the
catalog's, described in English and Chinese) and ``write_sql``, for a question the semantic layer
cannot express. Arguments are checked against the catalog before anything is compiled: an unknown
metric or dimension (with the closest names), a filter operator or value of the wrong type, a
value the dimension never takes, a dimension no join path reaches from a metric's model. The
message goes back to the model as the tool result, so it can repair its call.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from typing import Any

from shopql.catalog.semantic import OF_GROUPS, Filter, OrderBy, SemanticQuery, TimeRange
from shopql.errors import ShopqlError

SEMANTIC_TOOL = "semantic_query"
SQL_TOOL = "write_sql"
COMPARES = ("previous_period", "year_over_year")
VALUE_OPS = ("=", "!=", "<>", "in", "not in")  # compared with the dimension's stored values
ONE_VALUE_OPS = ("<", "<=", ">", ">=", "like", "not like")
NULL_OPS = ("is null", "is not null")
FIELDS = (
    "metrics",
    "dimensions",
    "grain",
    "filters",
    "time_range",
    "order_by",
    "limit",
    "compare",
    "population",
    "having",
    "of_groups",
)
MAX_LIMIT = 10_000
HAVING_OPS = (">", ">=", "<", "<=", "=")  # what a condition on a group's metric value may be


class InvalidQuery(ShopqlError):
    """The model's semantic query does not fit the catalog; `message` says what to change."""


def _both(text: dict[str, str]) -> str:
    en, zh = text.get("en", ""), text.get("zh", "")
    return " / ".join(x for x in (en, zh) if x)


def _line(name: str, label: dict[str, str], description: dict[str, str], lang: str) -> str:
    """`name (English label / 中文标签): the description in the question's language`."""
    head = f"{name} ({_both(label)})" if _both(label) else name
    desc = description.get(lang) or description.get("en", "")
    return f"{head}: {desc}" if desc else head


def _dimensions(catalog: Any) -> list[str]:
    return sorted(catalog.dimensions)


def semantic_schema(catalog: Any, lang: str = "en") -> dict[str, Any]:
    """The JSON schema of ``semantic_query``'s arguments, generated from `catalog`: names as
    enums, labels in English and Chinese, descriptions in the question's language `lang`."""
    from shopql.catalog.compiler import FILTER_OPS
    from shopql.catalog.model import GRAINS

    metrics = sorted(catalog.metrics)
    dims = _dimensions(catalog)
    metric_lines = [
        _line(m.name, m.label, m.description, lang) for m in (catalog.metrics[n] for n in metrics)
    ]
    dim_lines = [
        _line(d.name, d.label, d.description, lang) + (" [time]" if d.type == "time" else "")
        for d in (catalog.dimensions[n] for n in dims)
    ]
    ops = list(dict.fromkeys((*FILTER_OPS, *NULL_OPS)))
    filter_item = {
        "type": "object",
        "properties": {
            "dimension": {"type": "string", "enum": dims},
            "op": {"type": "string", "enum": ops},
            "values": {
                "type": "array",
                "items": {"type": ["string", "number", "boolean"]},
                "description": "One value for =, <, like …; several for in / not "
                "in; none for is null / is not null.",
            },
        },
        "required": ["dimension", "op"],
        "additionalProperties": False,
    }
    time_range = {
        "type": "object",
        "properties": {
            "start": {"type": "string", "format": "date"},
            "end": {"type": "string", "format": "date"},
            "label": {"type": "string", "description": "the question's words for it"},
        },
        "additionalProperties": False,
    }
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "metrics": {
                "type": "array",
                "items": {"type": "string", "enum": metrics},
                "description": "The catalog metrics (口径) to compute, each by its exact "
                "definition (at least one, unless `population` asks for a count or list of "
                "people):\n" + "\n".join(metric_lines),
            },
            "dimensions": {
                "type": "array",
                "items": {"type": "string", "enum": dims},
                "description": "Break the metrics down by these dimensions (GROUP BY):\n"
                + "\n".join(dim_lines),
            },
            "grain": {
                "type": "string",
                "enum": list(GRAINS),
                "description": "Add the metric's own time, truncated to this grain, as the "
                "first dimension (按天/按周/按月/按季度/按年).",
            },
            "filters": {
                "type": "array",
                "description": "Conditions on dimensions, all of them must hold (AND). Values "
                "are the values stored in the warehouse (e.g. platform 'tmall', not '天猫').",
                "items": filter_item,
            },
            "time_range": {
                **time_range,
                "description": "The period, in shop-local dates: start inclusive, end "
                "exclusive (June 2025 = 2025-06-01 to 2025-07-01). Leave it out for all time.",
            },
            "order_by": {
                "type": "array",
                "description": "Sort by a metric or dimension of this query.",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "enum": [*metrics, *dims, *GRAINS]},
                        "descending": {"type": "boolean"},
                    },
                    "required": ["name"],
                    "additionalProperties": False,
                },
            },
            "limit": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_LIMIT,
                "description": "Top N rows (with order_by).",
            },
            "compare": {
                "type": "string",
                "enum": list(COMPARES),
                "description": "Compare with the period just before (环比) or the same "
                "period a year before (同比); needs a time_range.",
            },
            "having": {
                "type": "array",
                "description": "Keep only the groups of the breakdown whose metric meets each "
                "condition (HAVING; needs dimensions or grain, no compare): 'sellers with more "
                "than 100 orders' / 卖超过1000件的类目 = dimensions [the group], the metric in "
                "`metrics`, having [{metric, op, value}].",
                "items": {
                    "type": "object",
                    "properties": {
                        "metric": {"type": "string", "enum": metrics},
                        "op": {"type": "string", "enum": list(HAVING_OPS)},
                        "value": {"type": "number"},
                    },
                    "required": ["metric", "op", "value"],
                    "additionalProperties": False,
                },
            },
            "of_groups": {
                "type": "string",
                "enum": list(OF_GROUPS),
                "description": "A figure over the groups instead of the groups themselves: "
                "'count' = how many groups there are (after `having`: 'how many sellers have "
                "more than 100 orders', 有几个类目卖超过1000件; no limit); 'top_share' = the "
                "first metric of the top `limit` groups (order_by that metric) as a share of "
                "its total over the same period and filters ('what share of sales do the top "
                "5 sellers make', 前10大客户贡献了多少比例; sums and counts only); 'median' = "
                "the median of the one metric over the groups ('median spend per customer': "
                "dimensions person, 客户消费的中位数; no limit); 'avg' = their average "
                "('平均每个卖家有几个买家': dimensions shop, metric buyers; no limit); 'max' = "
                "the largest ('max orders by one customer', 单个客户最多买过多少单: dimensions "
                "person, metric paid_orders; no limit).",
            },
        },
        "required": ["metrics"],
        "additionalProperties": False,
    }
    if has_people(catalog):
        schema["properties"]["population"] = population_schema(filter_item, time_range, lang)
    return schema


# What each people condition means (PeopleCondition's kinds), in English and Chinese.
PEOPLE_KIND_TEXT = {
    "bought": {
        "en": "a paid order matching every filter, within time_range (none: ever)",
        "zh": "在 time_range 内（不填为全部时间）有符合所有 filters 的已付款订单",
    },
    "not_bought": {
        "en": "no paid order matching the filters within time_range (none: ever)",
        "zh": "在 time_range 内没有符合 filters 的已付款订单（买了 A 没买 B 的 B）",
    },
    "platforms": {
        "en": "paid orders on at least n platforms (more than one platform: n = 2)",
        "zh": "在至少 n 个平台有已付款订单（多平台 / 跨平台购买：n = 2）",
    },
    "orders": {
        "en": "at least n paid orders (repeat buyers: n = 2)",
        "zh": "至少 n 笔已付款订单（复购：n = 2）",
    },
    "orders_exactly": {
        "en": "exactly n paid orders within time_range (none: ever; one-time buyers: n = 1)",
        "zh": "在 time_range 内（不填为全部时间）恰好 n 笔已付款订单（只买过一次：n = 1）",
    },
    "orders_at_most": {
        "en": "one paid order or more, at most n, within time_range (none: ever)",
        "zh": "在 time_range 内（不填为全部时间）有已付款订单、且不超过 n 笔（只下过一两单：n = 2）",
    },
    "lapsed": {
        "en": "bought before the last n days and not within them (lapsed / churned)",
        "zh": "最近 n 天之前买过、最近 n 天没买（流失 / 沉睡）",
    },
    "first_order": {
        "en": "the person's first paid order ever falls in time_range (new customers)",
        "zh": "首单落在 time_range 内（新客）",
    },
    "returning": {
        "en": "bought in time_range and had a paid order before it (returning customers)",
        "zh": "在 time_range 内购买且之前买过（老客）",
    },
    "sellers": {
        "en": "paid order lines from at least n different sellers (shops)",
        "zh": "在至少 n 个不同卖家（店铺）买过",
    },
    "sellers_exactly": {
        "en": "paid order lines from exactly n different sellers (always the same seller: n = 1)",
        "zh": "恰好在 n 个不同卖家（店铺）买过（每次都是同一个卖家：n = 1）",
    },
    "only": {
        "en": "bought in time_range, every paid order matching the one filter (only on Tmall)",
        "zh": "在 time_range 内买过，且所有已付款订单都符合这一个 filter（只在天猫买过）",
    },
    "repeat_within": {
        "en": "the second paid order ever came at most n days after the first",
        "zh": "第二笔已付款订单在首单后 n 天内",
    },
    "categories": {
        "en": "paid order lines in at least n different categories",
        "zh": "在至少 n 个不同类目买过",
    },
    "countries": {
        "en": "paid orders from at least n different countries (the order's country)",
        "zh": "在至少 n 个不同国家下过已付款订单（按订单的国家）",
    },
    "refunded": {
        "en": "had a completed refund on an order (matching the filters) in time_range",
        "zh": "在 time_range 内有过成功退款的订单（符合 filters）",
    },
}


def has_people(catalog: Any) -> bool:
    """Set logic over people needs the catalog's person dimension and buyers metric."""
    from shopql.catalog.people import BOUGHT_METRIC, PERSON

    return PERSON in catalog.dimensions and BOUGHT_METRIC in catalog.metrics


def population_schema(
    filter_item: dict[str, Any], time_range: dict[str, Any], lang: str
) -> dict[str, Any]:
    """The `population` field: the people (OneID persons) meeting all conditions."""
    from shopql.catalog.semantic import PEOPLE_KINDS, PEOPLE_OUTPUTS

    other = "zh" if lang == "en" else "en"
    kinds = "\n".join(
        f"{k}: {PEOPLE_KIND_TEXT[k][lang]} / {PEOPLE_KIND_TEXT[k][other]}" for k in PEOPLE_KINDS
    )
    return {
        "type": "object",
        "description": "Set logic over people (人群, OneID persons): the people meeting ALL "
        "conditions (bought A and B = two bought conditions; A but not B = bought + "
        "not_bought). With no metrics the answer is how many people there are (output "
        "count, by the query's dimensions when given) or who they are (output list); with "
        "metrics, the metrics over these people's orders only. Kinds:\n" + kinds,
        "properties": {
            "conditions": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": {
                        "kind": {"type": "string", "enum": list(PEOPLE_KINDS)},
                        "filters": {
                            "type": "array",
                            "items": filter_item,
                            "description": "what was (not) bought: conditions on dimensions",
                        },
                        "time_range": time_range,
                        "n": {
                            "type": "integer",
                            "minimum": 1,
                            "description": "platforms, sellers, categories, orders: at least n; lapsed, "
                            "repeat_within: days",
                        },
                    },
                    "required": ["kind"],
                    "additionalProperties": False,
                },
            },
            "output": {
                "type": "string",
                "enum": list(PEOPLE_OUTPUTS),
                "description": "count: how many people (人数); list: who they are (名单)",
            },
        },
        "required": ["conditions"],
        "additionalProperties": False,
    }


def tools(catalog: Any, lang: str = "en") -> list[dict[str, Any]]:
    """The two functions offered to the model, in OpenAI's `tools` format."""
    return [
        {
            "type": "function",
            "function": {
                "name": SEMANTIC_TOOL,
                "description": "Answer the question with the catalog's metrics: the compiler "
                "writes the SQL, so every number uses the shop's definitions (口径). Use this "
                "whenever the question can be expressed with these metrics and dimensions.",
                "parameters": semantic_schema(catalog, lang),
            },
        },
        {
            "type": "function",
            "function": {
                "name": SQL_TOOL,
                "description": "Only when semantic_query cannot express the question: one "
                "read-only DuckDB SELECT over the tables described in the system message.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "reason": {
                            "type": "string",
                            "description": "what the semantic layer cannot express",
                        },
                        "sql": {"type": "string", "description": "one DuckDB SELECT"},
                    },
                    "required": ["reason", "sql"],
                    "additionalProperties": False,
                },
            },
        },
    ]


TOOL_INSTRUCTIONS = """
## How to answer
Call the function `semantic_query` with the catalog metrics, dimensions, filters and period the
question asks for: the shop's metric compiler then writes the SQL, so the numbers follow the
definitions above exactly. Resolve relative periods to dates yourself (start inclusive, end
exclusive). By seller (shop, seller_state, seller_city) where an order can have several sellers,
the compiler takes each order line's own seller: an order counts once for each of its sellers,
a seller's sales are its lines' amounts, and an amount kept per order (freight) is refused by
seller. Only when the question needs something `semantic_query` cannot express, call
`write_sql` with the reason and one DuckDB SELECT (or reply with it in a ```sql fenced block).
If a call is rejected, read the error and call again with the fix."""


def parse_arguments(raw: str | dict[str, Any]) -> dict[str, Any]:
    """The tool call's arguments as a JSON object, or InvalidQuery."""
    if isinstance(raw, dict):
        return raw
    try:
        data = json.loads(raw or "{}")
    except json.JSONDecodeError as e:
        raise InvalidQuery(
            f"the arguments are not valid JSON ({e.msg} at character {e.pos})"
        ) from e
    if not isinstance(data, dict):
        raise InvalidQuery("the arguments must be a JSON object")
    return data


def _close(name: Any, choices: list[str]) -> str:
    close = difflib.get_close_matches(str(name), choices, n=3, cutoff=0.5)
    return f"; did you mean {', '.join(close)}?" if close else ""


def _names(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidQuery(f"{what} must be a list of names")
    return list(value)


def _date(value: Any, what: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InvalidQuery(f"time_range.{what} must be a date string YYYY-MM-DD, not {value!r}")
    try:
        day = dt.datetime.fromisoformat(value.strip().replace("Z", ""))
    except ValueError:
        raise InvalidQuery(f"time_range.{what} {value!r} is not a date (YYYY-MM-DD)") from None
    return day.replace(tzinfo=None)


def to_query(args: dict[str, Any], ws: Any) -> SemanticQuery:
    """Check the model's arguments against the catalog and build the SemanticQuery.

    Raises:
        InvalidQuery: what is wrong, precisely enough for the model to repair it.
    """
    catalog = ws.catalog
    unknown = sorted(set(args) - set(FIELDS))
    if unknown:
        raise InvalidQuery(
            f"unknown field {unknown[0]!r}; semantic_query takes {', '.join(FIELDS)}"
        )
    metrics = _names(args.get("metrics"), "metrics")
    population = _population(args.get("population"), ws)
    if not metrics and population is None:
        raise InvalidQuery("no metric: name at least one catalog metric in `metrics`")
    for m in metrics:
        if m not in catalog.metrics:
            raise InvalidQuery(
                f"unknown metric {m!r}{_close(m, list(catalog.metrics))} "
                "(metrics must be one of the enum's names)"
            )
    dims = _names(args.get("dimensions"), "dimensions")
    for d in dims:
        _known_dimension(d, catalog)
    grain = _grain(args.get("grain"))
    filters = tuple(_filter(f, ws) for f in _list(args.get("filters"), "filters"))
    query = SemanticQuery(
        metrics=tuple(dict.fromkeys(metrics)),
        dimensions=tuple(dict.fromkeys(dims)),
        grain=grain,
        time_range=_time_range(args.get("time_range")),
        filters=filters,
        order_by=tuple(
            _order(o, metrics, dims, grain) for o in _list(args.get("order_by"), "order_by")
        ),
        limit=_limit(args.get("limit")),
        compare=_compare(args.get("compare")),
        population=population,
        having=tuple(_having(h, metrics) for h in _list(args.get("having"), "having")),
        of_groups=_of_groups(args.get("of_groups")),
    )
    if query.compare and (query.time_range is None or query.time_range.start is None):
        raise InvalidQuery(
            f"compare={query.compare} needs a time_range with a start (the period to compare)"
        )
    _over_groups(query, catalog)
    _reachable(query, catalog)
    return query


def _having(value: Any, metrics: list[str]) -> Filter:
    """One condition on a group's metric value: Filter(metric, op, (number,))."""
    if not isinstance(value, dict):
        raise InvalidQuery("each having item is an object with metric, op and value")
    extra = sorted(set(value) - {"metric", "op", "value"})
    if extra:
        raise InvalidQuery(f"a having condition takes metric, op and value, not {extra[0]!r}")
    metric, op, number = value.get("metric"), value.get("op"), value.get("value")
    if metric not in metrics:
        raise InvalidQuery(
            f"having on {metric!r}: the metric must be one of this query's metrics "
            f"({', '.join(metrics)}); add it to `metrics`"
        )
    if op not in HAVING_OPS:
        raise InvalidQuery(f"having on {metric}: op {op!r}; use one of {', '.join(HAVING_OPS)}")
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        raise InvalidQuery(f"having on {metric}: value must be a number, not {number!r}")
    return Filter(str(metric), str(op), (number,))


def _of_groups(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if value not in OF_GROUPS:
        raise InvalidQuery(f"unknown of_groups {value!r}; use one of {', '.join(OF_GROUPS)}")
    return str(value)


def _over_groups(query: SemanticQuery, catalog: Any) -> None:
    """`having` and `of_groups` are about the groups of a breakdown: say what they need."""
    if not (query.having or query.of_groups):
        return
    what = "having" if query.having else f"of_groups={query.of_groups}"
    if not (query.dimensions or query.grain):
        raise InvalidQuery(f"{what} needs the groups: give `dimensions` (or a grain)")
    if query.compare:
        raise InvalidQuery(f"{what} cannot be combined with compare")
    if query.population is not None:
        raise InvalidQuery(f"{what} cannot be combined with population")
    if query.of_groups in ("count", "median", "max") and query.limit is not None:
        raise InvalidQuery(f"of_groups={query.of_groups} is over every group: leave out limit")
    if query.of_groups == "top_share":
        first = query.metrics[0] if query.metrics else None
        if query.limit is None or not query.order_by or query.order_by[0].name != first:
            raise InvalidQuery(
                f"of_groups=top_share needs the top N: limit and order_by the first metric ({first})"
            )
        metric = catalog.metrics[first]
        measure = catalog.measure(metric.measure or "") if metric.type == "simple" else None
        if measure is None or measure.agg not in ("sum", "count") or measure.having:
            raise InvalidQuery(
                f"of_groups=top_share: {first} does not add up over groups (no share of it); "
                "use a sum or a count (sales, orders, units)"
            )


def _known_dimension(name: str, catalog: Any) -> None:
    if name not in catalog.dimensions:
        raise InvalidQuery(
            f"unknown dimension {name!r}{_close(name, list(catalog.dimensions))} "
            "(dimensions must be one of the enum's names)"
        )


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidQuery(f"{what} must be a list")
    return value


def _grain(value: Any) -> str | None:
    from shopql.catalog.model import GRAINS

    if value in (None, ""):
        return None
    if value not in GRAINS:
        raise InvalidQuery(f"unknown grain {value!r}; use one of {', '.join(GRAINS)}")
    return str(value)


def _compare(value: Any) -> str | None:
    if value in (None, "", "none"):
        return None
    if value not in COMPARES:
        raise InvalidQuery(f"unknown compare {value!r}; use one of {', '.join(COMPARES)}")
    return str(value)


def _limit(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_LIMIT:
        raise InvalidQuery(f"limit must be a whole number from 1 to {MAX_LIMIT:,}, not {value!r}")
    return value


def _time_range(value: Any) -> TimeRange | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidQuery("time_range must be an object with start and end dates")
    extra = sorted(set(value) - {"start", "end", "label"})
    if extra:
        raise InvalidQuery(f"time_range takes start, end and label, not {extra[0]!r}")
    start, end = _date(value.get("start"), "start"), _date(value.get("end"), "end")
    if start and end and end <= start:
        raise InvalidQuery(
            f"time_range ends ({end.date()}) before it starts ({start.date()}); end is exclusive"
        )
    if start is None and end is None:
        return None
    return TimeRange(start, end, str(value.get("label") or ""))


def _order(value: Any, metrics: list[str], dims: list[str], grain: str | None) -> OrderBy:
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        raise InvalidQuery("each order_by item is an object with a name (and descending)")
    name = value["name"]
    allowed = [*metrics, *dims, *([grain] if grain else [])] or ["people"]
    if name not in allowed:
        raise InvalidQuery(
            f"order_by {name!r} is not a metric or dimension of this query; use one of "
            + ", ".join(allowed)
        )
    descending = value.get("descending", True)
    if not isinstance(descending, bool):
        raise InvalidQuery("order_by.descending must be true or false")
    return OrderBy(name, descending)


def _filter(value: Any, ws: Any) -> Filter:
    from shopql.catalog.compiler import FILTER_OPS

    if not isinstance(value, dict):
        raise InvalidQuery("each filter is an object with dimension, op and values")
    extra = sorted(set(value) - {"dimension", "op", "values", "value"})
    if extra:
        raise InvalidQuery(f"a filter takes dimension, op and values, not {extra[0]!r}")
    dim = value.get("dimension")
    if not isinstance(dim, str):
        raise InvalidQuery("a filter needs a dimension name")
    _known_dimension(dim, ws.catalog)
    op = str(value.get("op") or "=").strip().lower()
    if op not in FILTER_OPS + NULL_OPS:
        raise InvalidQuery(
            f"unknown filter operator {value.get('op')!r} on {dim}; use one of "
            + ", ".join(dict.fromkeys((*FILTER_OPS, *NULL_OPS)))
        )
    raw = value.get("values", value.get("value"))
    values = [] if raw is None else raw if isinstance(raw, list) else [raw]
    for v in values:
        if isinstance(v, (dict, list)) or v is None:
            raise InvalidQuery(
                f"filter on {dim}: values must be strings, numbers or booleans, not {v!r}"
            )
    if op in NULL_OPS:
        if values:
            raise InvalidQuery(f"filter on {dim}: {op} takes no values")
        return Filter(dim, op, ())
    if not values:
        raise InvalidQuery(f"filter on {dim} {op} has no value")
    if op in ONE_VALUE_OPS and len(values) != 1:
        raise InvalidQuery(f"filter on {dim}: {op} takes exactly one value, not {len(values)}")
    info = ws.catalog.dimensions[dim]
    if info.type == "time":
        for v in values:
            if not isinstance(v, str) or _date_or_none(v) is None:
                raise InvalidQuery(f"filter on {dim} (a time dimension): {v!r} is not a date")
    elif op in VALUE_OPS:
        _stored_values(dim, values, ws)
    return Filter(dim, op, tuple(values))


def _date_or_none(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None


def _stored_values(dim: str, values: list[Any], ws: Any) -> None:
    """Values of a dimension whose whole value list is indexed must be among them."""
    try:
        known = ws.values.values.get(dim) or []
    except Exception:  # no value index: the warehouse decides
        return
    if not known:
        return
    texts = {str(k) for k in known}
    for v in values:
        if str(v) not in texts:
            folded = {k.casefold(): k for k in texts}
            same = folded.get(str(v).casefold())
            hint = f"; did you mean {same!r}?" if same else _close(v, sorted(texts))
            shown = ", ".join(repr(k) for k in sorted(texts)[:12])
            more = " …" if len(texts) > 12 else ""
            raise InvalidQuery(f"{dim} has no value {v!r}{hint} (stored values: {shown}{more})")


def _reachable(query: SemanticQuery, catalog: Any) -> None:
    """Every dimension (breakdown or filter) must be joinable from each metric's model."""
    from shopql.catalog.compiler import metric_closure
    from shopql.catalog.joins import JoinPlan
    from shopql.catalog.model import CatalogError

    names = list(dict.fromkeys((*query.dimensions, *(f.dimension for f in query.filters))))
    if not names:
        return
    for metric in metric_closure(catalog, query.metrics):
        measure = catalog.measure(metric.measure or "") if metric.type == "simple" else None
        if measure is None:
            continue
        model = catalog.models[measure.model]
        plan = JoinPlan(catalog, model, allow_fanout=True)
        for name in names:
            try:
                plan.dimension(name)
            except CatalogError:
                asked = ", ".join(query.metrics)
                reachable = _reachable_from(catalog, model)
                raise InvalidQuery(
                    f"dimension {name!r} cannot be joined to metric {metric.name} "
                    f"(counted on {model.name}{'' if metric.name in query.metrics else ', for ' + asked}); "
                    f"dimensions it can be split or filtered by: {', '.join(reachable)}"
                ) from None


def _reachable_from(catalog: Any, model: Any) -> list[str]:
    from shopql.catalog.joins import JoinPlan
    from shopql.catalog.model import CatalogError

    out = []
    for name in sorted(catalog.dimensions):
        try:
            JoinPlan(catalog, model, allow_fanout=True).dimension(name)
        except CatalogError:
            continue
        out.append(name)
    return out


def _population(value: Any, ws: Any) -> Any:
    """The `population` argument as a PeopleSet, each condition's filters and period checked
    like the query's own (known dimension, stored value, reachable from the buyers metric)."""
    from shopql.catalog.people import BOUGHT_METRIC
    from shopql.catalog.semantic import (
        PEOPLE_COUNTED,
        PEOPLE_KINDS,
        PEOPLE_OUTPUTS,
        PeopleCondition,
        PeopleSet,
    )

    if value is None:
        return None
    if not has_people(ws.catalog):
        raise InvalidQuery(
            "this catalog has no person dimension or buyers metric: leave out `population`"
        )
    if not isinstance(value, dict):
        raise InvalidQuery("population must be an object with conditions (and output)")
    extra = sorted(set(value) - {"conditions", "output"})
    if extra:
        raise InvalidQuery(f"population takes conditions and output, not {extra[0]!r}")
    output = value.get("output") or "count"
    if output not in PEOPLE_OUTPUTS:
        raise InvalidQuery(f"population.output {output!r}: use one of {', '.join(PEOPLE_OUTPUTS)}")
    items = _list(value.get("conditions"), "population.conditions")
    if not items:
        raise InvalidQuery("population.conditions is empty: give at least one condition")
    conditions = []
    for i, item in enumerate(items):
        where = f"population.conditions[{i}]"
        if not isinstance(item, dict):
            raise InvalidQuery(f"{where} must be an object with a kind")
        extra = sorted(set(item) - {"kind", "filters", "time_range", "n"})
        if extra:
            raise InvalidQuery(f"{where} takes kind, filters, time_range and n, not {extra[0]!r}")
        kind = item.get("kind")
        if kind not in PEOPLE_KINDS:
            raise InvalidQuery(
                f"{where}.kind {kind!r} is not a kind{_close(kind, list(PEOPLE_KINDS))} "
                f"(use one of {', '.join(PEOPLE_KINDS)})"
            )
        n = item.get("n")
        if kind in PEOPLE_COUNTED:
            if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                raise InvalidQuery(f"{where}: {kind} needs n, a whole number ≥ 1, not {n!r}")
        elif n is not None:
            raise InvalidQuery(f"{where}: {kind} takes no n")
        filters = tuple(_filter(f, ws) for f in _list(item.get("filters"), f"{where}.filters"))
        _reachable(SemanticQuery(metrics=(BOUGHT_METRIC,), filters=filters), ws.catalog)
        tr = _time_range(item.get("time_range"))
        if kind == "first_order" and tr is None:
            raise InvalidQuery(f"{where}: first_order needs the time_range of the first order")
        if kind == "returning" and (tr is None or tr.start is None):
            raise InvalidQuery(f"{where}: returning needs a time_range with a start")
        if kind == "only" and len(filters) != 1:
            raise InvalidQuery(f"{where}: only takes exactly one filter (what every order matches)")
        conditions.append(PeopleCondition(str(kind), filters, tr, n))
    return PeopleSet(tuple(conditions), str(output))
