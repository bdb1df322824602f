"""Saved segments: a named condition (or a list of persons), its size over time, who changed it.

A segment is stored in ``segments`` (the current definition and size) and every change or refresh
appends to ``segment_history`` (time, OS user, role, action, definition, size). A ``rule`` segment
is a condition (``shopql.insights.conditions``) evaluated when it is used, so it always reflects
the warehouse; a ``list`` segment is a fixed set of persons read from a file (``segment_members``).
Members are the persons of the last tag refresh (``person_tags``: every OneID person, and before
OneID is built every buyer account), so `shopql tags refresh` runs after each sync.
"""

from __future__ import annotations

import datetime as dt
import getpass
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from shopql.errors import ShopqlError
from shopql.insights.conditions import ConditionCompiler, ConditionError
from shopql.insights.tags import PERSON_COLUMNS
from shopql.warehouse.connection import transaction
from shopql.warehouse.policy import PersonalData

NAME_PATTERN = re.compile(r"^[A-Za-z0-9_\-\u4e00-\u9fff]{1,64}$")


class SegmentError(ShopqlError):
    """A segment that does not exist, already exists, or cannot be built."""


@dataclass(frozen=True)
class Actor:
    """Who changes a segment: the OS user and the shopql role."""

    user: str
    role: str

    @classmethod
    def current(cls, role: str) -> Actor:
        try:
            user = getpass.getuser()
        except Exception:  # no login name (containers): still record something
            user = "unknown"
        return cls(user, role)


def person_condition_sql(condition: str, today: dt.date | None = None) -> str:
    """A rule tag's condition as SQL over person_tags aliased ``pt`` (no tags, no segments)."""
    compiler = ConditionCompiler(
        PERSON_COLUMNS, "pt.one_id", today or dt.date.today(), allow_tags=False
    )
    return compiler.compile(condition)


def members_sql(con: duckdb.DuckDBPyConnection, condition: str, today: dt.date) -> str:
    """The SELECT of the one_ids meeting `condition`."""
    return _members_sql(con, condition, today, ())


def _members_sql(
    con: duckdb.DuckDBPyConnection, condition: str, today: dt.date, trail: tuple[str, ...]
) -> str:
    def segment_sql(name: str) -> str:
        if name in trail:
            raise SegmentError(f"segment {name} refers to itself ({' → '.join((*trail, name))})")
        kind, definition = _definition(con, name)
        if kind == "list":
            return f"SELECT one_id FROM segment_members WHERE name = '{_quote(name)}'"
        return _members_sql(con, definition, today, (*trail, name))

    compiler = ConditionCompiler(PERSON_COLUMNS, "pt.one_id", today, segment_sql)
    return f"SELECT pt.one_id FROM person_tags AS pt WHERE {compiler.compile(condition)}"


def segment_sql(con: duckdb.DuckDBPyConnection, name: str, today: dt.date) -> str:
    """The one_id SELECT of the saved segment `name`."""
    kind, definition = _definition(con, name)
    if kind == "list":
        return f"SELECT DISTINCT one_id FROM segment_members WHERE name = '{_quote(name)}'"
    return _members_sql(con, definition, today, (name,))


def _definition(con: duckdb.DuckDBPyConnection, name: str) -> tuple[str, str]:
    row = con.execute("SELECT kind, definition FROM segments WHERE name = ?", [name]).fetchone()
    if row is None:
        known = [r[0] for r in con.execute("SELECT name FROM segments ORDER BY 1").fetchall()]
        from difflib import get_close_matches

        close = get_close_matches(name, known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else "see `shopql segment list`"
        raise SegmentError(f"no segment named {name!r}", hint)
    return str(row[0]), str(row[1])


def size_of(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(f"SELECT count(DISTINCT one_id) FROM ({sql})").fetchone()
    return int(row[0]) if row else 0


def preview(
    con: duckdb.DuckDBPyConnection, name_or_condition: str, today: dt.date
) -> dict[str, Any]:
    """The size of a saved segment or of an unsaved condition, and how long it took."""
    started = time.perf_counter()
    exists = con.execute("SELECT 1 FROM segments WHERE name = ?", [name_or_condition]).fetchone()
    if exists:
        sql = segment_sql(con, name_or_condition, today)
    else:
        sql = _members_sql(con, name_or_condition, today, ())
    size = size_of(con, sql)
    ms = round((time.perf_counter() - started) * 1000, 1)
    return {"segment": name_or_condition if exists else None, "size": size, "ms": ms, "sql": sql}


def create_segment(
    con: duckdb.DuckDBPyConnection,
    name: str,
    condition: str,
    actor: Actor,
    today: dt.date,
    *,
    description: str | None = None,
    replace: bool = False,
) -> dict[str, Any]:
    """Save (or with `replace`, redefine) a rule segment; its size is recorded."""
    _check_name(name)
    sql = _members_sql(con, condition, today, (name,))  # refuses a bad condition before writing
    size = size_of(con, sql)
    return _save(con, name, "rule", condition, actor, size, description, replace, [])


def create_list_segment(
    con: duckdb.DuckDBPyConnection,
    name: str,
    path: Path,
    actor: Actor,
    *,
    description: str | None = None,
    replace: bool = False,
    policy: str | PersonalData = "mask",
) -> dict[str, Any]:
    """Save a segment of the persons listed in `path` (one reference per line, or a CSV whose
    first column is a one_id or customer_id, or — for a role whose PII `policy` is ``show`` — a
    phone, e-mail or nick); unknown lines are an error, the same for a phone that exists as for
    one that does not when the role may not see phones."""
    from shopql.insights.customer360 import IdentityError
    from shopql.insights.tags import resolve_person

    _check_name(name)
    refs = read_person_list(path)
    found: set[str] = set()
    missing: list[str] = []
    for ref in refs:
        try:
            found.add(resolve_person(con, ref, policy))
        except IdentityError:
            missing.append(ref)
    if missing:
        shown = ", ".join(repr(m) for m in missing[:5]) + (" …" if len(missing) > 5 else "")
        raise SegmentError(
            f"{len(missing)} of {len(refs)} lines of {path} match no single person: {shown}",
            "fix or remove those lines (one one_id, customer_id, phone, e-mail or nick per line)",
        )
    definition = f"list of {len(found)} persons from {path.name}"
    return _save(
        con, name, "list", definition, actor, len(found), description, replace, sorted(found)
    )


def read_person_list(path: Path) -> list[str]:
    """The references in a person-list file (a header line such as ``one_id`` is skipped)."""
    import csv

    if not path.is_file():
        raise SegmentError(f"no file {path}", "give a text or CSV file with one person per line")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.reader(f) if r and r[0].strip()]
    refs = [r[0].strip() for r in rows]
    if refs and refs[0].lower() in {"one_id", "customer_id", "phone", "email", "nick", "person"}:
        refs = refs[1:]
    if not refs:
        raise SegmentError(f"{path} lists no persons", "one one_id, phone, e-mail or nick a line")
    return refs


def _save(
    con: duckdb.DuckDBPyConnection,
    name: str,
    kind: str,
    definition: str,
    actor: Actor,
    size: int,
    description: str | None,
    replace: bool,
    members: list[str],
) -> dict[str, Any]:
    exists = con.execute("SELECT 1 FROM segments WHERE name = ?", [name]).fetchone() is not None
    if exists and not replace:
        raise SegmentError(f"segment {name!r} exists", "pass --replace to redefine it")
    who = f"{actor.user} ({actor.role})"
    with transaction(con):
        if exists:
            con.execute(
                """UPDATE segments SET kind = ?, definition = ?,
                   description = coalesce(?, description), updated_at = current_localtimestamp(),
                   updated_by = ?, size = ? WHERE name = ?""",
                [kind, definition, description, who, size, name],
            )
        else:
            con.execute(
                """INSERT INTO segments VALUES (?, ?, ?, ?, current_localtimestamp(), ?,
                   current_localtimestamp(), ?, ?)""",
                [name, kind, definition, description, who, who, size],
            )
        con.execute("DELETE FROM segment_members WHERE name = ?", [name])
        if members:
            con.executemany(
                "INSERT INTO segment_members VALUES (?, ?)", [[name, m] for m in members]
            )
        _history(con, name, actor, "update" if exists else "create", definition, size)
    return {"name": name, "kind": kind, "definition": definition, "size": size, "replaced": exists}


def _history(
    con: duckdb.DuckDBPyConnection,
    name: str,
    actor: Actor,
    action: str,
    definition: str | None,
    size: int | None,
) -> None:
    con.execute(
        "INSERT INTO segment_history VALUES (?, current_localtimestamp(), ?, ?, ?, ?, ?)",
        [name, actor.user, actor.role, action, definition, size],
    )


def refresh_segments(
    con: duckdb.DuckDBPyConnection,
    names: list[str],
    actor: Actor,
    today: dt.date,
    action: str = "refresh",
) -> list[dict[str, Any]]:
    """Recompute the size of each segment and record it; all segments when `names` is empty
    (then one that cannot be computed is reported in its row instead of stopping the rest)."""
    names_given = bool(names)
    if not names:
        names = [r[0] for r in con.execute("SELECT name FROM segments ORDER BY 1").fetchall()]
    out: list[dict[str, Any]] = []
    for name in names:
        kind, _ = _definition(con, name)
        try:
            size = size_of(con, segment_sql(con, name, today))
        except ShopqlError as e:  # e.g. it names a segment deleted since: say so, go on
            if not names_given:
                out.append({"name": name, "kind": kind, "size": None, "error": e.message})
                continue
            raise
        con.execute("UPDATE segments SET size = ? WHERE name = ?", [size, name])
        _history(con, name, actor, action, None, size)
        out.append({"name": name, "kind": kind, "size": size, "error": None})
    return out


def delete_segment(con: duckdb.DuckDBPyConnection, name: str, actor: Actor) -> None:
    """Remove a segment (its history stays, with a ``delete`` entry)."""
    _definition(con, name)
    con.execute("DELETE FROM segments WHERE name = ?", [name])
    con.execute("DELETE FROM segment_members WHERE name = ?", [name])
    _history(con, name, actor, "delete", None, None)


def list_segments(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every saved segment with its last recorded size and last change."""
    return _rows(
        con,
        """SELECT name, kind, size, definition, updated_at, updated_by, description
           FROM segments ORDER BY name""",
    )


def show_segment(con: duckdb.DuckDBPyConnection, name: str, today: dt.date) -> dict[str, Any]:
    """A segment's definition, current size, SQL and history (size over time, who changed it)."""
    _definition(con, name)
    doc = _rows(con, "SELECT * FROM segments WHERE name = ?", [name])[0]
    sql = segment_sql(con, name, today)
    doc["current_size"] = size_of(con, sql)
    doc["sql"] = sql
    doc["history"] = _rows(
        con,
        """SELECT changed_at, os_user, role, action, definition, size FROM segment_history
           WHERE name = ? ORDER BY changed_at""",
        [name],
    )
    return doc


def overlap(
    con: duckdb.DuckDBPyConnection, first: str, second: str, today: dt.date
) -> dict[str, Any]:
    """How two segments (or conditions) intersect: only in each, in both, Jaccard index."""
    a, b = (_sql_of(con, ref, today) for ref in (first, second))
    row = con.execute(
        f"""WITH a AS (SELECT DISTINCT one_id FROM ({a})), b AS (SELECT DISTINCT one_id FROM ({b}))
        SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b),
               (SELECT count(*) FROM a JOIN b USING (one_id))"""
    ).fetchone()
    size_a, size_b, both = (int(v) for v in row) if row else (0, 0, 0)
    union = size_a + size_b - both
    return {
        "a": first,
        "b": second,
        "size_a": size_a,
        "size_b": size_b,
        "both": both,
        "only_a": size_a - both,
        "only_b": size_b - both,
        "union": union,
        "jaccard": round(both / union, 4) if union else None,
    }


def _sql_of(con: duckdb.DuckDBPyConnection, ref: str, today: dt.date) -> str:
    if con.execute("SELECT 1 FROM segments WHERE name = ?", [ref]).fetchone():
        return segment_sql(con, ref, today)
    try:
        return _members_sql(con, ref, today, ())
    except ConditionError as e:
        raise SegmentError(f"{ref!r} is neither a saved segment nor a condition", e.hint) from e


def _check_name(name: str) -> None:
    if not NAME_PATTERN.match(name):
        raise SegmentError(
            f"bad segment name {name!r}", "use letters, digits, _ or - (up to 64 characters)"
        )


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _quote(text: str) -> str:
    return text.replace("'", "''")


class NotAPersonSet(SegmentError):
    """A question whose answer is not a set of persons (exit 5: not understood as one)."""

    exit_code = 5  # type: ignore[assignment]  # DESIGN: 5 = the question was not understood


# Metrics whose answer is a count of persons, and what a member must have done.
PERSON_METRICS = {"buyers": "", "tagged_persons": None, "repeat_buyers": "times >= 2"}
BOUGHT_DIMS = {
    "platform": "platform",
    "province": "province",
    "category": "category",
    "product": "product",
    "outer_code": "outer_code",
    "product_title": "title",
    "brand": "brand",
}


def condition_from_query(query: Any, compound: str | None = None) -> str:
    """The segment condition meaning the persons an offline-engine question counted (or, for
    the ``buyers_without`` compound, listed: bought X in the range, never Y).

    Raises:
        NotAPersonSet: the question is not "how many persons …" with filters the condition
            language can say (no grouping, ranking or comparison).
    """
    metrics = tuple(query.metrics)
    if getattr(query, "population", None) is not None and not metrics and compound is None:
        return _population_condition(query)  # "买了沙发但没买茶几的客户": the people set itself
    if len(metrics) != 1 or metrics[0] not in PERSON_METRICS:
        raise NotAPersonSet(
            "this question does not count persons, so it defines no segment",
            "ask e.g. '重要价值客户有多少人' or 'buyers of 沙发 on tmall last 60 days'",
        )
    if query.dimensions or query.grain or query.compare or query.limit:
        raise NotAPersonSet(
            "a question split by dimensions, ranked or compared defines no single segment",
            "drop the 'by …' / top-N / comparison part",
        )
    kind = PERSON_METRICS[metrics[0]]
    never = []
    filters = list(query.filters)
    if compound == "buyers_without":  # the negated filters are what they never bought
        never = [f for f in filters if f.op.lower().startswith("not")]
        filters = [f for f in filters if f not in never]
    person, bought = [], []
    for f in filters:
        # a buyers question filters orders (a province is where the order went)
        if f.dimension in BOUGHT_DIMS and (kind is not None or f.dimension not in PERSON_COLUMNS):
            bought.append(_filter_clause(f, BOUGHT_DIMS[f.dimension]))
        elif f.dimension in PERSON_COLUMNS:
            person.append(_filter_clause(f))
        else:
            raise NotAPersonSet(f"a segment cannot filter on {f.dimension}", HINT_FIELDS)
    if kind is not None:
        bought += _window(query.time_range) + ([kind] if kind else [])
        person.insert(0, f"bought({', '.join(bought)})")
    elif bought:
        raise NotAPersonSet("tagged persons cannot be filtered on what they bought", HINT_FIELDS)
    for f in never:
        if f.dimension not in BOUGHT_DIMS:
            raise NotAPersonSet(f"a segment cannot filter on {f.dimension}", HINT_FIELDS)
        positive = type(f)(f.dimension, "like" if "like" in f.op.lower() else "in", f.values)
        person.append(f"NOT bought({_filter_clause(positive, BOUGHT_DIMS[f.dimension])})")
    if not person:
        raise NotAPersonSet("the question names no condition on persons", HINT_FIELDS)
    return " AND ".join(person)


HINT_FIELDS = "use `shopql segment create NAME --where …` for conditions a question cannot say"


def _population_condition(query: Any) -> str:
    """The segment condition meaning a people question's population (catalog PeopleSet):
    ``bought`` / ``not_bought`` / ``orders`` conditions on what was bought, in their periods.

    Raises:
        NotAPersonSet: split by dimensions, or a condition the condition language cannot say.
    """
    if query.dimensions or query.grain or query.compare:
        raise NotAPersonSet(
            "a question split by dimensions, ranked or compared defines no single segment",
            "drop the 'by …' / top-N / comparison part",
        )
    if query.limit or query.order_by:
        raise NotAPersonSet("a ranked list of people defines no single segment", HINT_FIELDS)
    parts = []
    for c in query.population.conditions:
        if c.kind not in ("bought", "not_bought", "orders"):
            raise NotAPersonSet(
                f"a segment cannot say the {c.kind!r} people condition", HINT_FIELDS
            )
        bought = []
        for f in c.filters:
            if f.dimension not in BOUGHT_DIMS:
                raise NotAPersonSet(f"a segment cannot filter on {f.dimension}", HINT_FIELDS)
            bought.append(_filter_clause(f, BOUGHT_DIMS[f.dimension]))
        bought += _window(c.time_range)
        if c.kind == "orders":
            bought.append(f"times >= {int(c.n or 1)}")
        negate = "NOT " if c.kind == "not_bought" else ""
        parts.append(f"{negate}bought({', '.join(bought)})")
    if not any(not p.startswith("NOT ") for p in parts):  # "never bought X": among buyers
        parts.insert(0, "bought()")
    return " AND ".join(parts)


def _filter_clause(f: Any, field: str | None = None) -> str:
    from shopql.insights.conditions import _literal

    name = field or f.dimension
    values = [_literal(v) for v in f.values]
    op = f.op.lower()
    if "like" in op:  # the engine's LIKE ignores case
        negate = "NOT " if op.startswith("not") else ""
        return "(" + " OR ".join(f"{name} {negate}ILIKE {v}" for v in values) + ")"
    if op in ("in", "not in") or len(values) > 1:
        negate = "NOT " if op in ("not in", "!=") else ""
        return f"{name} {negate}IN ({', '.join(values)})"
    return f"{name} {op} {values[0]}"


def _window(time_range: Any) -> list[str]:
    if time_range is None:
        return []
    out = []
    if time_range.start is not None:
        out.append(f"since = '{time_range.start.date().isoformat()}'")
    if time_range.end is not None:
        last = time_range.end - dt.timedelta(microseconds=1)
        out.append(f"until = '{last.date().isoformat()}'")
    return out
