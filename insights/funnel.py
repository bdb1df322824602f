"""Behaviour funnels over `events`: view → cart/favourite → buy, conversion and drop-off per step.

A funnel is a list of steps, each a set of event types, and a window. It is counted per visitor
(``events.user_key``: the same population as the catalog's ``conversion_rate``; anonymous visitors
have no person) and, with ``by``, per visitor and group:

- a visitor enters at their first event of step 1 in the time range (per group: per category,
  per platform, or per day of that first event), the convention of Mixpanel and Amplitude;
- they reach step k when they have an event of step k's types at or after the time they reached
  step k-1, and no later than `window` after they entered (a strict, ordered funnel: a buy with no
  cart or favourite before it does not count as passing the cart step);
- conversion = reached step k / entered; step conversion = reached k / reached k-1;
  drop-off = reached k-1 - reached k.

Funnels are defined in the catalog YAML: see catalog/funnels.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb

from shopql.catalog.funnels import Funnel, Step, load_funnels
from shopql.insights.purchases import AnalysisError

__all__ = ["Funnel", "StepResult", "load_funnels", "pick_funnel", "run_funnel"]

BY_CHOICES = ("category", "day", "platform")


@dataclass
class StepResult:
    group: str | None
    step: int
    name: str
    visitors: int
    conversion: float | None  # reached / entered
    step_conversion: float | None  # reached / reached the step before
    drop_off: int  # reached the step before - reached this one


def pick_funnel(funnels: dict[str, Funnel], name: str | None) -> Funnel:
    """The funnel called `name`, or the first one defined."""
    if not funnels:
        raise AnalysisError("no funnel is defined", "add `funnels:` to a catalog YAML file")
    if name is None:
        return next(iter(funnels.values()))
    if name not in funnels:
        import difflib

        close = difflib.get_close_matches(name, list(funnels), n=1)
        hint = f"did you mean {close[0]}?" if close else f"defined: {', '.join(funnels)}"
        raise AnalysisError(f"no funnel named {name!r}", hint)
    return funnels[name]


def run_funnel(
    con: duckdb.DuckDBPyConnection,
    funnel: Funnel,
    by: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[StepResult]:
    """Visitors per step (per group with `by`), in one query over `events`."""
    if by is not None and by not in BY_CHOICES:
        raise AnalysisError(f"unknown --by {by!r}", f"use one of {', '.join(BY_CHOICES)}")
    if not con.execute("SELECT count(*) FROM events").fetchone()[0]:  # type: ignore[index]
        raise AnalysisError(
            "the events table is empty", "sync behaviour logs (view/cart/fav/buy events) first"
        )
    sql, params = _sql(funnel, by, since, until)
    rows = con.execute(sql, params).fetchall()
    return _results(funnel, rows, by)


def _sql(
    funnel: Funnel, by: str | None, since: dt.datetime | None, until: dt.datetime | None
) -> tuple[str, list[Any]]:
    key = {
        None: "NULL::VARCHAR",
        "platform": "e.platform",
        "category": "coalesce(e.category, pr.category, '(none)')",
        "day": "NULL::VARCHAR",  # the day of entry, set below
    }[by]
    where, params = ["TRUE"], []
    if since is not None:
        where.append("e.event_time >= ?")
        params.append(since)
    if until is not None:
        where.append("e.event_time < ?")
        params.append(until)
    seconds = int(funnel.window.total_seconds())
    ctes = [
        f"""ev AS (SELECT e.user_key, e.event_type, e.event_time, {key} AS grp
                   FROM events e LEFT JOIN products pr ON pr.product_id = e.product_id
                   WHERE {" AND ".join(where)} AND e.user_key IS NOT NULL)"""
    ]
    first = _types(funnel.steps[0])
    entry_grp = "event_time::DATE::VARCHAR" if by == "day" else "grp"
    ctes.append(
        f"""s1 AS (SELECT user_key, {entry_grp} AS grp, min(event_time) AS t, min(event_time) AS t0
                   FROM ev WHERE event_type IN ({first}) GROUP BY 1, 2)"""
    )
    # with --by day a later step may fall on another day: it matches on the visitor only
    match = "" if by == "day" else " AND ev.grp IS NOT DISTINCT FROM s.grp"
    for k, step in enumerate(funnel.steps[1:], start=2):
        ctes.append(
            f"""s{k} AS (SELECT s.user_key, s.grp, min(ev.event_time) AS t, s.t0
                   FROM s{k - 1} s JOIN ev ON ev.user_key = s.user_key{match}
                   WHERE ev.event_type IN ({_types(step)}) AND ev.event_time >= s.t
                     AND ev.event_time <= s.t0 + INTERVAL '{seconds} seconds'
                   GROUP BY 1, 2, 4)"""
        )
    counts = " UNION ALL ".join(
        f"SELECT grp, {k} AS step, count(*) AS n FROM s{k} GROUP BY 1"
        for k in range(1, len(funnel.steps) + 1)
    )
    return f"WITH {', '.join(ctes)} {counts} ORDER BY 1, 2", params


def _types(step: Step) -> str:
    return ", ".join("'" + e.replace("'", "''") + "'" for e in step.events)


def _results(funnel: Funnel, rows: list[tuple[Any, ...]], by: str | None) -> list[StepResult]:
    counts: dict[str | None, dict[int, int]] = {}
    for grp, step, n in rows:
        counts.setdefault(grp, {})[int(step)] = int(n)
    ordered = sorted(counts, key=lambda g: (-counts[g].get(1, 0), str(g)))
    if by == "day":
        ordered = sorted(counts, key=str)
    out = []
    for grp in ordered:
        entered = counts[grp].get(1, 0)
        before = entered
        for k, step in enumerate(funnel.steps, start=1):
            n = counts[grp].get(k, 0)
            out.append(
                StepResult(
                    grp,
                    k,
                    step.name,
                    n,
                    n / entered if entered else None,
                    None if k == 1 else (n / before if before else None),
                    0 if k == 1 else before - n,
                )
            )
            before = n
    return out
