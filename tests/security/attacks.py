"""The generated attack table: each DuckDB feature that could carry a value past the guard,
crossed with each personal-data column (or each table holding one).

`attack_table()` returns (feature, table, column, sql) rows; the suite runs each under a role
that may not see personal data and checks no raw value comes back.
"""

from __future__ import annotations

from shopql.warehouse.guard import BUILTIN_PII, PERSON, Schema

# feature -> template over one personal-data column {c} of table {t}; {i} is the column's
# 1-based position in the table, {xs} an alias list naming every column x1 … xn.
COLUMN_ATTACKS: dict[str, str] = {
    "plain column": "select {c} from {t}",
    "qualified column": "select {t}.{c} from {t}",
    "table alias": "select x.{c} from {t} x",
    "quoted upper-case names": 'select "{C}" from "{T}"',
    "schema-qualified table": "select {c} from main.{t}",
    "catalog-qualified table": "select {c} from warehouse.main.{t}",
    "catalog without schema": "select {c} from warehouse.{t}",
    "function over the value": "select upper({c}) from {t}",
    "concatenation": "select {c} || '' from {t}",
    "cast": "select cast({c} as varchar) from {t}",
    "cast to blob": "select {c}::blob from {t}",
    "substring": "select substr({c}, 1) from {t}",
    "regexp": "select regexp_extract({c}, '.*') from {t}",
    "replace": "select replace({c}, '', '') from {t}",
    "coalesce": "select coalesce({c}, 'x') from {t}",
    "if": "select if(true, {c}, null) from {t}",
    "string_agg": "select string_agg({c}, ',') from {t}",
    "list aggregate": "select list({c}) from {t}",
    "min and max": "select min({c}), max({c}) from {t}",
    "arg_max": "select arg_max({c}, 1) from {t}",
    "first": "select first({c}) from {t}",
    "window lag": "select lag({c}) over () from {t}",
    "struct_pack": "select struct_pack(v := {c}) from {t}",
    "list literal": "select [{c}] from {t}",
    "struct literal": "select {{'v': {c}}} from {t}",
    "map": "select map([{c}], [1]) from {t}",
    "to_json of the value": "select to_json({c}) from {t}",
    "unnest": "select unnest([{c}]) from {t}",
    "scalar subquery": "select (select {c} from {t} limit 1)",
    "derived table": "select v from (select {c} as v from {t}) s",
    "CTE with column list": "with x(v) as (select {c} from {t}) select v from x",
    "recursive CTE": "with recursive r(v, n) as (select {c}, 0 from {t} "
    "union all select v, n + 1 from r where n < 1) select v from r",
    "lateral": "select l.v from {t}, lateral (select {t}.{c} as v) l",
    "union": "select {c} from {t} union all select {c} from {t}",
    "group by all": "select {c}, count(*) from {t} group by all",
    "order by the value": "select {c} from {t} order by {c} limit 5",
    "PIVOT statement": "pivot (select {c}, 1 as k from {t}) on k using first({c})",
    "UNPIVOT statement": "unpivot (select {c} from {t}) on {c} into name k value v",
    "pivot clause": "select * from (select {c}, 1 as k from {t}) pivot (first({c}) for k in (1))",
    "unpivot clause": "select * from (select {c}, 'a' as o from {t}) unpivot (v for k in ({c}, o))",
    "COLUMNS regex": "select columns('^{c}$') from {t}",
    "positional column": "select #{i} from {t}",
    "positional in where": "select count(*), min(#{i}) from {t} where #{i} is not null",
    "alias list": "select x{i} from {t} as a({xs})",
    "alias list in where": "select x{i} from {t} as a({xs}) where x{i} like '%'",
    "FROM-first": "from {t} select {c}",
    "string SQL: query()": "select * from query('select {c} from {t}')",
    "string SQL: json_execute_serialized_sql": "select * from json_execute_serialized_sql("
    "json_serialize_sql('select {c} from {t}'))",
    "histogram": "select histogram({c}) from {t}",
    "mode": "select mode({c}) from {t}",
}

# feature -> template over a table {t} holding personal data.
TABLE_ATTACKS: dict[str, str] = {
    "star": "select * from {t}",
    "star EXCLUDE": "select * exclude ({first}) from {t}",
    "star REPLACE": "select * replace ({first} as {first}) from {t}",
    "star RENAME": "select * rename ({first} as z) from {t}",
    "COLUMNS(*)": "select columns(*) from {t}",
    "COLUMNS regex all": "select columns('.*') from {t}",
    "whole row": "select {t} from {t}",
    "whole row to_json": "select to_json({t}) from {t}",
    "row_to_json": "select row_to_json(x) from {t} x",
    "list of rows": "select list({t}) from {t}",
    "unnest of rows": "select unnest(list({t})) from {t}",
    "FROM only": "from {t}",
    "TABLE statement": "table {t}",
    "catalog-qualified star": "select * from warehouse.main.{t}",
    "natural join": "select * from {t} natural join {t} as b",
    "self join using": "select * from {t} a join {t} b using ({first})",
    "sample": "select * from {t} using sample 10",
    "derived star": "select * from (select * from {t}) s",
    "CTE star": "with x as (select * from {t}) select * from x",
    "recursive CTE star": "with recursive r as (select * from {t} union all "
    "select * from r where false) select * from r",
    "union by name": "select * from {t} union all by name select * from {t}",
    "qualify": "select * from {t} qualify row_number() over () < 5",
    "lateral star": "select a.* from {t} a, lateral (select 1) l",
    "alias list star": "select * from {t} as a({xs})",
    "unpivot all": "unpivot (select columns(*)::varchar from {t}) on columns(*) "
    "into name k value v",
    "pivot all": "pivot (select columns(*)::varchar, 1 as k from {t}) on k using first({first})",
    "string SQL: query_table": "select * from query_table('{t}')",
    "histogram table macro": "select * from histogram('{t}', {first})",
    "summarize": "summarize {t}",
    "describe": "describe {t}",
}


def attack_table(schema: Schema) -> list[tuple[str, str, str, str]]:
    """(feature, table, column, sql) for every feature × personal-data column (or table)."""
    rows = []
    for table, classes in BUILTIN_PII.items():
        # person keys hold OneIDs here (OneID is built): test_person_keys.py attacks them where
        # they hold account keys
        columns = [c for c, kind in classes.items() if kind != PERSON]
        names = list(schema.get(table, {}))
        if not names or not columns:
            continue
        xs = ", ".join(f"x{n}" for n in range(1, len(names) + 1))
        fill = {"t": table, "T": table.upper(), "xs": xs, "first": names[0]}
        for column in columns:
            if column not in names:
                continue
            at = {**fill, "c": column, "C": column.upper(), "i": names.index(column) + 1}
            rows += [(f, table, column, t.format(**at)) for f, t in COLUMN_ATTACKS.items()]
        rows += [(f, table, "*", t.format(**fill)) for f, t in TABLE_ATTACKS.items()]
    return rows
