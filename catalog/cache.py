"""Compiled queries remembered for a caller that asks the same questions over moving time ranges
(the board: every tick the same tiles, trend and alert windows, a few seconds later).

Compiling is pure Python (sqlglot) and, on a small machine, costs more than running the query on
the recent slice. A query is compiled once per shape — the query without its time range — into
a template: it is compiled for two different made-up ranges and, when the two SQL texts differ
only in the literals of those ranges, the literals become holes filled with each real range.
When they differ anywhere else (a trailing window, a previous period or a date spine derived
from the range) the shape is compiled every time, as before. So a template never changes an
answer: it is the compiler's own output with the range's literals written in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

# two made-up ranges (one with microseconds, like a live clock); nothing real is dated 1901-1902
PROBES = (
    (dt.datetime(1901, 2, 3, 4, 5, 6), dt.datetime(1901, 3, 4, 5, 6, 7)),
    (dt.datetime(1902, 5, 6, 7, 8, 9, 123456), dt.datetime(1902, 7, 8, 9, 10, 11, 654321)),
)
START, END = "\x00start\x00", "\x00end\x00"


def literal(value: dt.datetime) -> str:
    """How the compiler writes a timestamp (catalog/compiler.py: isoformat with a space)."""
    return value.isoformat(sep=" ")


@dataclass
class _Template:
    sql: str | None  # with START/END holes; None: this shape must be compiled every time
    compiled: Any
    any_day: bool = False  # compiled on another day, the same SQL: serves every day


OTHER_DAY = dt.date(1903, 9, 10)  # a made-up "today" for the day-independence check


class CompileCache:
    """compile_query for one catalog, remembering templates (and exact queries)."""

    def __init__(self, catalog: Any, remember: bool = True) -> None:
        self.catalog = catalog
        self.remember = remember  # False: compile every time (to measure what this saves)
        self.templates: dict[Any, _Template] = {}
        self.exact: dict[Any, Any] = {}
        self.hits = 0

    def compile(self, query: Any, today: dt.date | None = None) -> Any:
        from shopql.catalog import compile_query

        span = query.time_range
        if not self.remember:
            return compile_query(self.catalog, query, today=today)
        if span is None or span.start is None or span.end is None:
            key = (repr(query), today)
            if key not in self.exact:
                self.exact[key] = compile_query(self.catalog, query, today=today)
            else:
                self.hits += 1
            return self.exact[key]
        shape = (repr(replace(query, time_range=None)), span.label)
        # a shape whose SQL does not depend on the day it is compiled on serves every day
        template = self.templates.get((*shape, None)) or self.templates.get((*shape, today))
        if template is None:
            template = self._template(query, today)
            self.templates[(*shape, None if template.any_day else today)] = template
        else:
            self.hits += 1
        if template.sql is None:
            return compile_query(self.catalog, query, today=today)
        sql = template.sql.replace(START, literal(span.start)).replace(END, literal(span.end))
        return replace(template.compiled, sql=sql, query=query, time_range=span)

    def _template(self, query: Any, today: dt.date | None) -> _Template:
        """The shape's template: the same SQL but for the range's literals for two ranges on
        `today` (and, when also the same on another day, for every day)."""
        from shopql.catalog import compile_query

        days = (today, OTHER_DAY, today) if today is not None else (None, None)
        texts, notes, first, any_day = [], [], None, False
        for i, ((start, end), day) in enumerate(zip((*PROBES, PROBES[1]), days, strict=False)):
            span = replace(query.time_range, start=start, end=end)
            compiled = compile_query(self.catalog, replace(query, time_range=span), today=day)
            if compiled.previous is not None:  # a comparison period derived from the range
                return _Template(None, None)
            first = first or compiled
            texts.append(compiled.sql.replace(literal(start), START).replace(literal(end), END))
            notes.append(compiled.notes)
            if i == 1 and texts[0] == texts[1] and notes[0] == notes[1]:
                any_day = today is not None  # the same SQL on another day
                break
        years = [str(p.year) for p in PROBES[0] + PROBES[1]] + [str(OTHER_DAY.year)]
        if texts[0] != texts[-1] or any(y in texts[0] for y in years):
            return _Template(None, None)
        return _Template(texts[0], first, any_day)
