"""DuckDB's own parse tree of a query (the JSON form of ``json_serialize_sql``): the guard reads
function calls and tables from it, so what it checks is what DuckDB will run, named as DuckDB
names it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

from shopql.errors import GuardError

_parser_lock = threading.Lock()
_parser: Any = None


def parser_connection() -> Any:
    """The process's in-memory DuckDB for parsing (external access off, configuration locked;
    opening one costs more than a check, so the guard's binder shares it, warehouse/guard.py)."""
    global _parser
    import duckdb

    with _parser_lock:
        if _parser is None:
            _parser = duckdb.connect(":memory:", config={"enable_external_access": False})
            _parser.execute("SET lock_configuration = true")
        return _parser


def duckdb_parse(sql: str, con: Any = None) -> dict[str, Any]:
    """DuckDB's own parse tree of `sql` (its JSON form): what will really run, by its names.
    `con`: a connection already open to parse on (the parse is the same on any connection),
    used as it is by its one thread; else a cursor of the process's shared parser."""
    import duckdb

    cursor = con if con is not None else parser_connection().cursor()
    try:
        text = cursor.execute("SELECT json_serialize_sql(?::VARCHAR)", [sql]).fetchone()[0]
    except duckdb.Error as e:
        raise GuardError(f"not valid SQL: {str(e).splitlines()[0]}", "check the syntax") from e
    finally:
        if cursor is not con:
            cursor.close()
    parsed: dict[str, Any] = json.loads(text)
    if parsed.get("error"):
        message = str(parsed.get("error_message", "")).splitlines()[0]
        raise GuardError(f"not valid SQL: {message}", "check the syntax (DuckDB dialect)")
    return Parsed(parsed)


class Parsed(dict[str, Any]):
    """A whole parse tree, with its objects listed once (the guard walks them several times)."""

    def __init__(self, tree: dict[str, Any]) -> None:
        super().__init__(tree)
        self.flat = list(_walk(tree))


def nodes(parsed: Any) -> Iterator[dict[str, Any]]:
    """Every object of DuckDB's parse tree, depth first, without recursion."""
    if isinstance(parsed, Parsed):
        return iter(parsed.flat)
    return _walk(parsed)


def _walk(parsed: Any) -> Iterator[dict[str, Any]]:
    stack = [parsed]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def called_functions(parsed: dict[str, Any]) -> Iterator[tuple[str, bool]]:
    """(name, is_table_function) of every function call in DuckDB's parse tree."""
    table_calls = set()
    for node in nodes(parsed):
        if node.get("type") == "TABLE_FUNCTION" and isinstance(node.get("function"), dict):
            table_calls.add(id(node["function"]))
    for node in nodes(parsed):
        name = node.get("function_name")
        if isinstance(name, str):  # any class that calls by name (functions, windows …)
            yield name.lower(), id(node) in table_calls
